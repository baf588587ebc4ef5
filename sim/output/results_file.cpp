#include "output/results_file.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/calendar.hpp"
#include "experiment/comparison.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "version.hpp"

namespace ehsim::output {

namespace {

using engine::CountArray;
using engine::RunResult;

// Every count array of a run: where it goes, its axes, unit and meaning.
struct CountDataset {
  std::string path;
  std::vector<std::string> dims;
  std::string units;
  std::string description;
  CountArray RunResult::*member;
};

const std::vector<CountDataset>& count_datasets() {
  static const std::vector<CountDataset> datasets{
      {"initial/stock_families",
       {"level"},
       "families",
       "Families at each level at the start, before month 0.",
       &RunResult::initial_families},
      {"initial/stock_children",
       {"level"},
       "children",
       "Children under 18 in the families at each level at the start.",
       &RunResult::initial_children},
      {"initial/theme_families",
       {"theme"},
       "families",
       "Families with each theme active at the start.",
       &RunResult::initial_theme_families},
      {"monthly/stock_families",
       {"month", "level"},
       "families",
       "Families at each level at the end of the month.",
       &RunResult::stock_families},
      {"monthly/stock_children",
       {"month", "level"},
       "children",
       "Children under 18 in the families at each level at the end of the month.",
       &RunResult::stock_children},
      {"monthly/flows",
       {"month", "from_level", "to_level"},
       "families",
       "Families that were at from_level at the start of the month (and did not leave) and at to_level at its end; "
       "the diagonal counts those that stayed.",
       &RunResult::flows},
      {"monthly/arrivals",
       {"month", "level"},
       "families",
       "Families that joined during the month, by their level.",
       &RunResult::arrivals},
      {"monthly/departures_aged_out",
       {"month", "level"},
       "families",
       "Families that left because their youngest child turned 18, by level at the start of the month.",
       &RunResult::departures_aged_out},
      {"monthly/departures_moved",
       {"month", "level"},
       "families",
       "Families that moved out of the authority, by level at the start of the month.",
       &RunResult::departures_moved},
      {"monthly/theme_families",
       {"month", "theme"},
       "families",
       "Families with each theme active at the end of the month.",
       &RunResult::theme_families},
      {"monthly/stock_by_locality",
       {"month", "locality", "level"},
       "families",
       "Families at each level at the end of the month, by locality (names in /axes/locality).",
       &RunResult::stock_by_locality},
      {"monthly/stock_by_deprivation",
       {"month", "deprivation_quintile", "level"},
       "families",
       "Families at each level at the end of the month, by national deprivation quintile (1 = most deprived).",
       &RunResult::stock_by_deprivation},
      {"monthly/stock_by_age_band",
       {"month", "age_band", "level"},
       "families",
       "Families at each level at the end of the month, by the age of the youngest child (bands in "
       "/axes/age_band).",
       &RunResult::stock_by_age_band},
      {"monthly/referrals_by_locality",
       {"month", "locality"},
       "referrals",
       "Referrals to the front door in the month, by locality (no referrals without services).",
       &RunResult::referrals_by_locality},
      {"monthly/referrals_by_deprivation",
       {"month", "deprivation_quintile"},
       "referrals",
       "Referrals to the front door in the month, by deprivation quintile.",
       &RunResult::referrals_by_deprivation},
      {"monthly/referrals_by_age_band",
       {"month", "age_band"},
       "referrals",
       "Referrals to the front door in the month, by the age of the youngest child.",
       &RunResult::referrals_by_age_band},
      {"monthly/front_door",
       {"month", "front_door_measure"},
       "referrals",
       "The front door each month: referrals (identified, stepped up or re-routed), triaged, routed to a service, "
       "no further action, declined, waiting to be decided at the end of the month, and departed before a "
       "decision, and re-referrals (referrals within 12 months of the family's last closed case) (names in "
       "/axes/front_door_measure; no columns without services). waiting[m] = waiting[m-1] + referrals - triaged "
       "- departed.",
       &RunResult::front_door},
      {"monthly/service_caseload",
       {"month", "service"},
       "cases",
       "Open cases of each service at the end of the month.",
       &RunResult::service_caseload},
      {"monthly/service_capacity",
       {"month", "service"},
       "cases",
       "Cases each service can hold that month (statutory services: their caseload, as they take every case).",
       &RunResult::service_capacity},
      {"monthly/service_waiting",
       {"month", "service"},
       "families",
       "Families waiting for each service at the end of the month.",
       &RunResult::service_waiting},
      {"monthly/service_admissions",
       {"month", "service"},
       "cases",
       "Cases each service opened in the month.",
       &RunResult::service_admissions},
      {"monthly/service_wait_months",
       {"month", "service"},
       "months",
       "Months waited by the families each service admitted, summed (divide by admissions for the mean wait).",
       &RunResult::service_wait_months},
      {"monthly/service_closures",
       {"month", "service", "closure_outcome"},
       "cases",
       "Cases each service closed, by outcome: needs met, stepped up, other (names in /axes/closure_outcome).",
       &RunResult::service_closures},
      {"monthly/service_waiting_flows",
       {"month", "service", "waiting_flow"},
       "families",
       "Changes to each service's waiting list: joined (routed by the front door), re-routed (escalated while "
       "waiting), no longer needed (level fell below the service's), departed, stepped down (joined on stepping "
       "down from the service above) (names in /axes/waiting_flow). service_waiting[m] = service_waiting[m-1] + "
       "joined + stepped_down - service_admissions - rerouted - no_longer_needed - departed.",
       &RunResult::service_waiting_flows},
      {"monthly/service_children",
       {"month", "service"},
       "children",
       "Children under 18 in each service's open cases at the end of the month (child protection: children on "
       "plans; children in care: looked-after children).",
       &RunResult::service_children},
      {"monthly/service_open_months",
       {"month", "service"},
       "months",
       "Months each service's open cases at the end of the month have been open, summed (divide by "
       "service_caseload for the mean open duration; a case opened this month counts 0).",
       &RunResult::service_open_months},
      {"monthly/service_theme_cases",
       {"month", "service", "theme"},
       "cases",
       "Open cases of each service at the end of the month whose family has the theme active (divide by "
       "service_caseload for the theme's prevalence among open cases).",
       &RunResult::service_theme_cases},
      {"monthly/service_caseload_by_locality",
       {"month", "service", "locality"},
       "cases",
       "Open cases of each service at the end of the month, by the family's locality.",
       &RunResult::service_caseload_by_locality},
      {"monthly/service_capacity_by_locality",
       {"month", "service", "locality"},
       "cases",
       "Cases each service can hold in each locality that month, for services with capacity_by_locality; -1 "
       "where capacity is borough-wide (or the service is statutory).",
       &RunResult::service_capacity_by_locality},
      {"monthly/indicators",
       {"month", "indicator"},
       "families, cases or children",
       "The seed authorities' dashboard (names in /axes/indicator; no columns without services). Early help is "
       "every service that is not statutory. Flows in the month: referrals, referrals_no_further_action, "
       "referrals_to_early_help and referrals_to_social_care (routed by the front door), re_referrals, "
       "early_help_assessments_direct (early help cases opened from a front door referral), "
       "early_help_assessments_stepped_down (opened after stepping down from social care), step_downs_declined, "
       "early_help_closures_needs_met, _stepped_up, _other. Stocks at the end of the month: early_help_open_cases, "
       "early_help_open_case_months (divide by open cases for the mean open duration), children_on_plans "
       "(child_protection services), children_in_care (children_in_care services), families_waiting (for any "
       "service). Rates: re_referrals / referrals.",
       &RunResult::indicators},
      {"monthly/spend_by_level",
       {"month", "level"},
       "pence",
       "Spend in the month, nominal, by the level of the family it was spent on: universal costs, open cases and "
       "cases' start costs.",
       &RunResult::spend_by_level},
      {"monthly/spend_by_service",
       {"month", "service"},
       "pence",
       "Spend of each service in the month, nominal: cases open at the end of the month and start costs.",
       &RunResult::spend_by_service},
      {"monthly/spend_by_payer",
       {"month", "payer", "cashable"},
       "pence",
       "Spend in the month, nominal, by who pays and whether a saving on it is cashable (names in /axes/payer; "
       "cashable index 0 no, 1 yes).",
       &RunResult::spend_by_payer},
      {"monthly/spend_by_locality",
       {"month", "locality"},
       "pence",
       "Spend in the month, nominal, by the locality of the family it was spent on.",
       &RunResult::spend_by_locality},
      {"monthly/spend_by_deprivation",
       {"month", "deprivation_quintile"},
       "pence",
       "Spend in the month, nominal, by the family's deprivation quintile.",
       &RunResult::spend_by_deprivation},
      {"monthly/spend_by_age_band",
       {"month", "age_band"},
       "pence",
       "Spend in the month, nominal, by the age of the family's youngest child.",
       &RunResult::spend_by_age_band},
      {"financial_year/reinvestment",
       {"financial_year", "reinvestment_column"},
       "pence, cases or month index",
       "Reinvestment decided at each financial year's end (columns in /axes/reinvestment_column; no rows "
       "without reinvestment): the reference's spend on the chosen services that year (the baseline run of the "
       "same replicate, or the budget), this run's, the amount reinvested (share x saving, rounded down to the "
       "penny, 0 without a saving), the extra cases it buys in the receiving service (amount / 12 case-months' "
       "cost, rounded down), and the month index they open from (-1 for none).",
       &RunResult::reinvestment},
      {"monthly/spend_discounted",
       {"month"},
       "pence",
       "The month's total spend discounted to the start month at costs.discount_rate_per_year, rounded to the "
       "penny.",
       &RunResult::spend_discounted},
  };
  return datasets;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? separator : "") + parts[i];
  return text;
}

std::string replicate_group(std::uint32_t replicate) {
  char name[32];
  std::snprintf(name, sizeof name, "replicate_%04u", replicate);
  return name;
}

void write_axes(hid_t file, const engine::Model& model) {
  const Handle axes = create_group(file, "axes");
  const auto& authority = model.authority;
  std::vector<std::string> levels, level_labels, themes, theme_labels, months;
  for (const auto& level : authority.levels) {
    levels.push_back(level.name);
    level_labels.push_back(level.label.empty() ? level.name : level.label);
  }
  for (const auto& theme : authority.themes) {
    themes.push_back(theme.name);
    theme_labels.push_back(theme.label.empty() ? theme.name : theme.label);
  }
  const auto start = engine::parse_calendar_month(authority.simulation.start_month);
  std::vector<std::int64_t> financial_years;
  for (int m = 0; m < model.months; ++m) {
    months.push_back(engine::month_label(engine::add_months(start, m)));
    financial_years.push_back(engine::financial_year(engine::add_months(start, m)));
  }
  write_strings(axes.id(), "level", levels,
                {"", "Identifier of each level, lowest first; level numbers are 1-based.", {"level"}});
  write_strings(axes.id(), "level_label", level_labels, {"", "Name of each level as shown to people.", {"level"}});
  write_strings(axes.id(), "theme", themes, {"", "Identifier of each risk theme (bit j of a theme mask).", {"theme"}});
  write_strings(axes.id(), "theme_label", theme_labels, {"", "Name of each theme as shown to people.", {"theme"}});
  write_strings(axes.id(), "locality", authority.population.locality_names,
                {"", "Localities of the authority.", {"locality"}});
  write_strings(axes.id(), "month", months, {"YYYY-MM", "Calendar month of each simulated month.", {"month"}});
  write_int64(axes.id(), "financial_year", {financial_years.size()}, financial_years,
              {"year", "Financial year of each month, named by the year it starts (April).", {"month"}});
  write_strings(axes.id(), "payer", authority.costs.payers, {"", "Who pays, as in costs.payers.", {"payer"}});
  write_strings(axes.id(), "deprivation_quintile", {"1_most_deprived", "2", "3", "4", "5_least_deprived"},
                {"", "National deprivation quintiles.", {"deprivation_quintile"}});
  write_strings(axes.id(), "age_band", {"under_1", "1_to_4", "5_to_9", "10_to_15", "16_to_17"},
                {"", "Age bands of a family's youngest child (as the DfE reports children in need).", {"age_band"}});
  write_strings(axes.id(), "cashable", {"not_cashable", "cashable"},
                {"", "Last axis of spend_by_payer.", {"cashable"}});
  std::vector<std::int64_t> years;
  for (const auto year : financial_years)
    if (years.empty() || years.back() != year) years.push_back(year);
  write_int64(axes.id(), "financial_years", {years.size()}, years,
              {"year",
               "The financial years the run covers, in order: the rows of financial_year/ datasets.",
               {"financial_year"}});
  std::vector<std::string> services, service_labels;
  for (const auto& service : authority.services) {
    services.push_back(service.name);
    service_labels.push_back(service.label.empty() ? service.name : service.label);
  }
  write_strings(axes.id(), "service", services,
                {"", "Identifier of each service (1-based in the event log).", {"service"}});
  write_strings(axes.id(), "service_label", service_labels,
                {"", "Name of each service as shown to people.", {"service"}});
  write_strings(
      axes.id(), "front_door_measure",
      {"referrals", "triaged", "routed", "no_further_action", "declined", "waiting", "departed", "re_referrals"},
      {"", "Columns of monthly/front_door.", {"front_door_measure"}});
  write_strings(axes.id(), "waiting_flow", {"joined", "rerouted", "no_longer_needed", "departed", "stepped_down"},
                {"", "Last axis of monthly/service_waiting_flows.", {"waiting_flow"}});
  std::vector<std::string> indicators, kinds;
  for (std::size_t c = 0; c < engine::indicator::count; ++c) indicators.emplace_back(engine::indicator::name(c));
  write_strings(axes.id(), "indicator", indicators, {"", "Columns of monthly/indicators.", {"indicator"}});
  for (const auto& service : authority.services) kinds.emplace_back(config::name_of(service.kind));
  write_strings(axes.id(), "service_kind", kinds,
                {"",
                 "Kind of each service: early_help, targeted, intensive (early help); children_in_need, "
                 "child_protection, children_in_care (statutory social care).",
                 {"service"}});
  std::vector<std::string> measures, measure_units, comparisons, comparison_units, statistics, quantiles;
  for (std::size_t c = 0; c < experiment::measure::count; ++c) {
    measures.emplace_back(experiment::measure::name(c));
    measure_units.emplace_back(experiment::measure::unit(c));
  }
  for (std::size_t c = 0; c < experiment::comparison::count; ++c) {
    comparisons.emplace_back(experiment::comparison::name(c));
    comparison_units.emplace_back(experiment::comparison::unit(c));
  }
  for (std::size_t s = 0; s < experiment::statistic::count; ++s)
    statistics.emplace_back(experiment::statistic::name(s));
  for (const double q : experiment::fan_quantiles) quantiles.push_back(std::to_string(static_cast<int>(q * 100)));
  write_strings(axes.id(), "measure", measures, {"", "Columns of summary/<scenario>/measures.", {"measure"}});
  write_strings(axes.id(), "measure_unit", measure_units, {"", "Unit of each measure.", {"measure"}});
  write_strings(axes.id(), "comparison_measure", comparisons,
                {"", "Columns of comparisons/<option>_vs_baseline/differences.", {"comparison_measure"}});
  write_strings(axes.id(), "comparison_measure_unit", comparison_units,
                {"", "Unit of each comparison measure.", {"comparison_measure"}});
  write_strings(axes.id(), "statistic", statistics, {"", "Rows of the statistics datasets.", {"statistic"}});
  write_strings(axes.id(), "quantile", quantiles,
                {"percent", "Percentiles of the quantile axis (fan charts).", {"quantile"}});
  write_strings(axes.id(), "reinvestment_column",
                {"reference_pence", "spend_pence", "reinvested_pence", "extra_cases", "from_month"},
                {"", "Columns of financial_year/reinvestment.", {"reinvestment_column"}});
  write_strings(axes.id(), "closure_outcome", {"needs_met", "stepped_up", "other"},
                {"", "Last axis of monthly/service_closures.", {"closure_outcome"}});
  write_strings(
      axes.id(), "event_type",
      {"", "arrival", "aged_out", "moved_away", "level_up", "level_down", "level_jump", "referral", "no_further_action",
       "declined", "admission", "closure_needs_met", "closure_stepped_up", "closure_other", "step_down"},
      {"", "Name of each event type code in trajectories/events (index = code).", {"event_type"}});
}

// The services of one scenario (an option may add or remove some), as the
// service axis of its datasets.
void write_service_axes(hid_t group, const engine::Model& model) {
  std::vector<std::string> services, labels, kinds;
  for (const auto& service : model.authority.services) {
    services.push_back(service.name);
    labels.push_back(service.label.empty() ? service.name : service.label);
    kinds.emplace_back(config::name_of(service.kind));
  }
  const Handle axes = create_group(group, "axes");
  write_strings(axes.id(), "service", services,
                {"", "This scenario's services: the service axis of its datasets.", {"service"}});
  write_strings(axes.id(), "service_label", labels, {"", "Name of each service as shown to people.", {"service"}});
  write_strings(axes.id(), "service_kind", kinds, {"", "Kind of each service.", {"service"}});
}

// Statistics of each column of a [replicate, column] table: [statistic, column].
std::vector<double> column_statistics(const std::vector<double>& table, std::size_t columns) {
  const std::size_t replicates = columns ? table.size() / columns : 0;
  std::vector<double> out(experiment::statistic::count * columns, 0.0);
  for (std::size_t c = 0; c < columns; ++c) {
    std::vector<double> column;
    for (std::size_t r = 0; r < replicates; ++r) column.push_back(table[r * columns + c]);
    const auto stats = experiment::describe(column);
    for (std::size_t s = 0; s < experiment::statistic::count; ++s) out[s * columns + c] = stats[s];
  }
  return out;
}

constexpr const char* statistics_note =
    " Rows (/axes/statistic): mean, standard deviation, 95% interval of the mean (Student's t), the 5th, 25th, "
    "50th, 75th and 95th percentiles of the replicates, and the number of replicates used (ratios with nothing "
    "to divide by are left out).";

// Spend per financial year of each run, in pence: [replicate, financial year];
// nominal, or discounted to the start month.
std::vector<std::int64_t> spend_by_year(const std::vector<RunResult>& runs, const std::vector<std::size_t>& years,
                                        std::size_t year_count, bool discounted = false) {
  std::vector<std::int64_t> table(runs.size() * year_count, 0);
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t m = 0; m < years.size(); ++m) {
      if (discounted) {
        table[r * year_count + years[m]] += runs[r].spend_discounted(m);
        continue;
      }
      for (std::size_t k = 0; k < runs[r].spend_by_level.shape[1]; ++k)
        table[r * year_count + years[m]] += runs[r].spend_by_level(m, k);
    }
  return table;
}

void write_summary(hid_t file, const Scenario& scenario, const std::vector<std::size_t>& years) {
  const auto& model = *scenario.model;
  const auto& runs = scenario.runs;
  const Handle group = create_group(file, "summary/" + scenario.name);
  const std::size_t replicates = runs.size();
  std::vector<double> measures;
  for (const auto& run : runs) {
    const auto row = experiment::headline_measures(model, run);
    measures.insert(measures.end(), row.begin(), row.end());
  }
  write_float64(group.id(), "measures", {replicates, experiment::measure::count}, measures,
                {"see /axes/measure_unit",
                 "Headline measures of each replicate (names in /axes/measure): spend over the horizon, nominal and "
                 "discounted; family-months and child-months at the top level; child-months in care; children in "
                 "care and on plans at the end; early help case-months.",
                 {"replicate", "measure"}});
  write_float64(group.id(), "measure_statistics", {experiment::statistic::count, experiment::measure::count},
                column_statistics(measures, experiment::measure::count),
                {"see /axes/measure_unit",
                 std::string("Across replicates, of measures.") + statistics_note,
                 {"statistic", "measure"}});
  const std::size_t year_count = years.empty() ? 0 : years.back() + 1;
  const auto yearly = spend_by_year(runs, years, year_count);
  write_int64(group.id(), "spend_by_financial_year", {replicates, year_count}, yearly,
              {"pence", "Spend of each replicate in each financial year, nominal.", {"replicate", "financial_year"}});
  write_float64(group.id(), "spend_by_financial_year_statistics", {experiment::statistic::count, year_count},
                column_statistics(std::vector<double>(yearly.begin(), yearly.end()), year_count),
                {"pence",
                 std::string("Across replicates, of spend_by_financial_year.") + statistics_note,
                 {"statistic", "financial_year"}});
  const auto discounted = spend_by_year(runs, years, year_count, true);
  write_int64(group.id(), "spend_discounted_by_financial_year", {replicates, year_count}, discounted,
              {"pence",
               "Spend of each replicate in each financial year, discounted to the start month.",
               {"replicate", "financial_year"}});
  // Fan charts of demand: quantiles of families at each level, month by month.
  const auto months = static_cast<std::size_t>(model.months);
  const auto levels = static_cast<std::size_t>(model.level_count);
  std::vector<double> mean(months * levels, 0.0), fan(experiment::fan_quantiles.size() * months * levels, 0.0);
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t k = 0; k < levels; ++k) {
      std::vector<double> values;
      for (const auto& run : runs) values.push_back(static_cast<double>(run.stock_families(m, k)));
      const auto stats = experiment::describe(values);
      mean[m * levels + k] = stats[experiment::statistic::mean];
      for (std::size_t q = 0; q < experiment::fan_quantiles.size(); ++q)
        fan[(q * months + m) * levels + k] = stats[experiment::statistic::q05 + q];
    }
  write_float64(
      group.id(), "stock_families_mean", {months, levels}, mean,
      {"families", "Families at each level at the end of each month, mean over replicates.", {"month", "level"}});
  write_float64(group.id(), "stock_families_quantiles", {experiment::fan_quantiles.size(), months, levels}, fan,
                {"families",
                 "Families at each level at the end of each month: the 5th, 25th, 50th, 75th and 95th percentiles "
                 "over replicates (/axes/quantile), for fan charts.",
                 {"quantile", "month", "level"}});
}

void write_comparison(hid_t file, const Scenario& option, const Scenario& baseline,
                      const std::vector<std::size_t>& years) {
  const Handle group = create_group(file, "comparisons/" + option.name + "_vs_" + baseline.name);
  set_attribute(group.id(), "option", option.name);
  set_attribute(group.id(), "baseline", baseline.name);
  const std::size_t replicates = std::min(option.runs.size(), baseline.runs.size());
  std::vector<double> differences;
  for (std::size_t r = 0; r < replicates; ++r) {
    const auto row = experiment::compare(*option.model, option.runs[r], *baseline.model, baseline.runs[r]);
    differences.insert(differences.end(), row.begin(), row.end());
  }
  write_float64(group.id(), "differences", {replicates, experiment::comparison::count}, differences,
                {"see /axes/comparison_measure_unit",
                 "Per replicate, the option against the baseline with the same random numbers (names in "
                 "/axes/comparison_measure): each headline measure, option minus baseline; investment and savings "
                 "(the rise in spend on the lines, services or universal costs, that cost more, and the fall on "
                 "those that cost less, over the horizon); return per pound (savings / investment); cost per "
                 "top-level family-month avoided (spend difference / family-months avoided); break-even month "
                 "(first month from which the cumulative spend difference stays at or below 0, -1 if never); "
                 "saves money (1 if the discounted spend difference is below 0).",
                 {"replicate", "comparison_measure"}});
  const auto stats = column_statistics(differences, experiment::comparison::count);
  write_float64(group.id(), "statistics", {experiment::statistic::count, experiment::comparison::count}, stats,
                {"see /axes/comparison_measure_unit",
                 std::string("Across replicates, of differences; the mean of saves_money is the probability that "
                             "the option saves money.") +
                     statistics_note,
                 {"statistic", "comparison_measure"}});
  const std::size_t year_count = years.empty() ? 0 : years.back() + 1;
  const auto a = spend_by_year(option.runs, years, year_count);
  const auto b = spend_by_year(baseline.runs, years, year_count);
  std::vector<std::int64_t> yearly(replicates * year_count);
  for (std::size_t i = 0; i < yearly.size(); ++i) yearly[i] = a[i] - b[i];
  write_int64(group.id(), "spend_by_financial_year_difference", {replicates, year_count}, yearly,
              {"pence",
               "Per replicate and financial year, the option's spend minus the baseline's, nominal.",
               {"replicate", "financial_year"}});
  write_float64(group.id(), "spend_by_financial_year_difference_statistics", {experiment::statistic::count, year_count},
                column_statistics(std::vector<double>(yearly.begin(), yearly.end()), year_count),
                {"pence",
                 std::string("Across replicates, of spend_by_financial_year_difference.") + statistics_note,
                 {"statistic", "financial_year"}});
  const auto a_discounted = spend_by_year(option.runs, years, year_count, true);
  const auto b_discounted = spend_by_year(baseline.runs, years, year_count, true);
  std::vector<std::int64_t> discounted(replicates * year_count);
  for (std::size_t i = 0; i < discounted.size(); ++i) discounted[i] = a_discounted[i] - b_discounted[i];
  write_int64(group.id(), "spend_discounted_by_financial_year_difference", {replicates, year_count}, discounted,
              {"pence",
               "Per replicate and financial year, the option's spend minus the baseline's, discounted.",
               {"replicate", "financial_year"}});
  write_float64(group.id(), "spend_discounted_by_financial_year_difference_statistics",
                {experiment::statistic::count, year_count},
                column_statistics(std::vector<double>(discounted.begin(), discounted.end()), year_count),
                {"pence",
                 std::string("Across replicates, of spend_discounted_by_financial_year_difference.") + statistics_note,
                 {"statistic", "financial_year"}});
}

void write_events(hid_t group, const std::vector<engine::Event>& events) {
  Handle type(H5Tcreate(H5T_COMPOUND, sizeof(engine::Event)), H5Tclose, "make the event type");
  if (H5Tinsert(type.id(), "family", HOFFSET(engine::Event, family), H5T_NATIVE_UINT32) < 0 ||
      H5Tinsert(type.id(), "month", HOFFSET(engine::Event, month), H5T_NATIVE_INT32) < 0 ||
      H5Tinsert(type.id(), "type", HOFFSET(engine::Event, type), H5T_NATIVE_UINT8) < 0 ||
      H5Tinsert(type.id(), "from_level", HOFFSET(engine::Event, from_level), H5T_NATIVE_INT8) < 0 ||
      H5Tinsert(type.id(), "to_level", HOFFSET(engine::Event, to_level), H5T_NATIVE_INT8) < 0 ||
      H5Tinsert(type.id(), "service", HOFFSET(engine::Event, service), H5T_NATIVE_UINT8) < 0)
    throw OutputError("HDF5 could not make the event type");
  // On disk without the struct's padding byte (which holds no value).
  Handle file_type(H5Tcopy(type.id()), H5Tclose, "make the event file type");
  if (H5Tpack(file_type.id()) < 0) throw OutputError("HDF5 could not pack the event type");
  const hsize_t count = events.size();
  const hsize_t max_count = H5S_UNLIMITED;
  Handle space(H5Screate_simple(1, &count, &max_count), H5Sclose, "describe the event log");
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "make dataset properties");
  const hsize_t chunk = 65536;
  if (H5Pset_chunk(properties.id(), 1, &chunk) < 0 || H5Pset_deflate(properties.id(), 4) < 0)
    throw OutputError("HDF5 could not set up compression for the event log");
  Handle dataset(H5Dcreate2(group, "events", file_type.id(), space.id(), H5P_DEFAULT, properties.id(), H5P_DEFAULT),
                 H5Dclose, "create the event log");
  if (!events.empty() && H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, events.data()) < 0)
    throw OutputError("HDF5 could not write the event log");
  set_attribute(dataset.id(), "units", "");
  set_attribute(dataset.id(), "description",
                "One row per event: family id, month index, event type code (names in /axes/event_type), level "
                "before and after (1-based; 0 where not applicable), service (1-based, names in /axes/service; 0 "
                "where not applicable). By month; within a month, families' own events by id, then the front "
                "door's and services' decisions in the order taken, then arrivals.");
}

// Sums the rows (months) of `monthly` into financial years, given each month's
// index into the list of financial years.
CountArray by_financial_year(const CountArray& monthly, const std::vector<std::size_t>& year_of_month) {
  const std::size_t years = year_of_month.empty() ? 0 : year_of_month.back() + 1;
  CountArray yearly;
  yearly.shape = monthly.shape;
  yearly.shape.front() = years;
  const std::size_t row = monthly.values.size() / std::max<std::size_t>(1, monthly.shape.front());
  yearly.values.assign(years * row, 0);
  for (std::size_t m = 0; m < monthly.shape.front(); ++m)
    for (std::size_t c = 0; c < row; ++c) yearly.values[year_of_month[m] * row + c] += monthly.values[m * row + c];
  return yearly;
}

// The dashboard by financial year: flows summed, stocks as at the year's
// last month in the run (31 March, or the end of the run).
CountArray indicators_by_financial_year(const CountArray& monthly, const std::vector<std::size_t>& year_of_month) {
  CountArray yearly = by_financial_year(monthly, year_of_month);
  const std::size_t columns = monthly.shape.size() > 1 ? monthly.shape[1] : 0;
  for (std::size_t m = 0; m < monthly.shape.front(); ++m)
    for (std::size_t c = 0; c < columns; ++c)
      if (engine::indicator::is_stock(c)) yearly(year_of_month[m], c) = monthly(m, c);
  return yearly;
}

bool by_financial_year_too(const CountDataset& dataset) {
  return dataset.path.rfind("monthly/spend_", 0) == 0 || dataset.member == &RunResult::indicators;
}

std::string financial_year_description(const CountDataset& dataset) {
  if (dataset.member == &RunResult::indicators)
    return "monthly/indicators by financial year (/axes/financial_years): flows summed over the year's months, "
           "stocks (early_help_open_cases, early_help_open_case_months, children_on_plans, children_in_care, "
           "families_waiting) as at the year's last month in the run.";
  return dataset.description + " Summed by financial year (/axes/financial_years).";
}

// For each month, the index of its financial year among those the run covers.
std::vector<std::size_t> financial_year_of_month(const engine::Model& model) {
  const auto start = engine::parse_calendar_month(model.authority.simulation.start_month);
  const int first = engine::financial_year(start);
  std::vector<std::size_t> years;
  for (int m = 0; m < model.months; ++m)
    years.push_back(static_cast<std::size_t>(engine::financial_year(engine::add_months(start, m)) - first));
  return years;
}

void write_run(hid_t scenario_group, const RunResult& run, const std::vector<std::size_t>& financial_years) {
  const Handle group = create_group(scenario_group, replicate_group(run.replicate));
  set_attribute(group.id(), "replicate", static_cast<std::int64_t>(run.replicate));
  set_attribute(group.id(), "seed", static_cast<std::int64_t>(run.seed));
  for (const auto& dataset : count_datasets()) {
    const CountArray& array = run.*dataset.member;
    write_int64(group.id(), dataset.path, array.shape, array.values,
                {dataset.units, dataset.description, dataset.dims});
  }
  // Spend and the dashboard by financial year (April to March).
  for (const auto& dataset : count_datasets()) {
    if (!by_financial_year_too(dataset)) continue;
    const CountArray yearly = dataset.member == &RunResult::indicators
                                  ? indicators_by_financial_year(run.indicators, financial_years)
                                  : by_financial_year(run.*dataset.member, financial_years);
    std::vector<std::string> dims = dataset.dims;
    dims.front() = "financial_year";
    write_int64(group.id(), "financial_year/" + dataset.path.substr(std::string("monthly/").size()), yearly.shape,
                yearly.values, {dataset.units, financial_year_description(dataset), dims});
  }
  if (!run.has_trajectories) return;
  const Handle trajectories = create_group(group.id(), "trajectories");
  write_int8_chunked(trajectories.id(), "level", {run.trajectory_families, static_cast<std::size_t>(run.months)},
                     run.trajectory_levels,
                     {"level (1-based)",
                      "Level of each family (row = family id) at the end of each month; 0 = not in the authority.",
                      {"family", "month"}});
  write_events(trajectories.id(), run.events);
}

}  // namespace

void write_complete_file(const std::filesystem::path& path, const std::function<void(hid_t)>& fill) {
  check_writable(path);
  silence_hdf5_errors();
  const std::filesystem::path temporary = temporary_name(path);
  File file(temporary);  // built in memory: nothing on disk until close()
  fill(file.id());       // every group and dataset it opens is closed when it returns
  file.close();          // writes the temporary, or removes what it wrote and throws
  try {
    commit_file(temporary, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);  // written by close() above: ehsim's own
    throw;
  }
}

void write_results(const std::filesystem::path& path, const std::vector<Scenario>& scenarios,
                   const Provenance& provenance) {
  write_complete_file(path, [&](hid_t file) {
    set_attribute(file, "format", "ehsim results 1");
    set_attribute(file, "ehsim_version", std::string(version()));
    set_attribute(file, "git_revision", std::string(git_revision()));
    set_attribute(file, "created_utc", utc_now());
    set_attribute(file, "seed", static_cast<std::int64_t>(provenance.seed));
    set_attribute(file, "command_line", provenance.command_line);
    set_attribute(file, "config_source", provenance.config_source);
    std::vector<std::string> names;
    for (const auto& scenario : scenarios) names.push_back(scenario.name);
    set_attribute(file, "scenarios", names);
    if (!scenarios.empty()) write_axes(file, *scenarios.front().model);
    if (!provenance.uncertain_keys.empty()) {
      const Handle uncertainty = create_group(file, "uncertainty");
      const std::size_t keys = provenance.uncertain_keys.size();
      write_strings(uncertainty.id(), "parameter", provenance.uncertain_keys,
                    {"", "The configuration keys drawn for each replicate ([[uncertainty]]).", {"parameter"}});
      write_float64(uncertainty.id(), "draws", {provenance.draws.size() / keys, keys}, provenance.draws,
                    {"the key's",
                     "The value each replicate drew, used in every scenario of that replicate.",
                     {"replicate", "parameter"}});
    }
    const Handle config = create_group(file, "config");
    const Handle sources = create_group(config.id(), "source");
    for (const auto& scenario : scenarios) {
      write_text(config.id(), scenario.name, scenario.resolved_config,
                 {"TOML", "The fully resolved configuration of this scenario (every key, defaults applied).", {}});
      if (!scenario.source_text.empty())
        write_text(sources.id(), scenario.name, scenario.source_text,
                   {"TOML",
                    "The file this scenario came from as written, with its comments (the sources of its "
                    "numbers): the configuration for the baseline, the overlay for an option.",
                    {}});
      const Handle group = create_group(file, scenario.name);
      write_service_axes(group.id(), *scenario.model);
      const auto years = financial_year_of_month(*scenario.model);
      for (const auto& run : scenario.runs) write_run(group.id(), run, years);
      write_summary(file, scenario, years);
    }
    for (std::size_t s = 1; s < scenarios.size(); ++s)
      write_comparison(file, scenarios[s], scenarios.front(), financial_year_of_month(*scenarios[s].model));
  });
}

std::vector<DatasetDoc> run_dataset_reference() {
  std::vector<DatasetDoc> docs;
  for (const auto& dataset : count_datasets())
    docs.push_back({dataset.path, "int64", join(dataset.dims, " × "), dataset.units, dataset.description});
  for (const auto& dataset : count_datasets()) {
    if (!by_financial_year_too(dataset)) continue;
    std::vector<std::string> dims = dataset.dims;
    dims.front() = "financial_year";
    docs.push_back({"financial_year/" + dataset.path.substr(std::string("monthly/").size()), "int64", join(dims, " × "),
                    dataset.units,
                    dataset.member == &RunResult::indicators
                        ? "The monthly dashboard by financial year: flows summed, stocks as at the year's last month."
                        : "The monthly figure summed by financial year (April to March)."});
  }
  docs.push_back({"trajectories/level", "int8", "family × month", "level (1-based)",
                  "With --trajectories: level of each family (row = family id) at the end of each month; 0 = not in "
                  "the authority. Chunked and compressed."});
  docs.push_back(
      {"trajectories/events", "compound", "event", "",
       "With --trajectories: fields family (uint32), month (int32), type (uint8, names in "
       "/axes/event_type), from_level, to_level (int8, 1-based, 0 = not applicable), service (uint8, 1-based, 0 = "
       "none). By month; within a month, families' own events by id, then the front door's and services' "
       "decisions in the order taken, then arrivals."});
  return docs;
}

std::string output_reference_markdown() {
  std::string text = "| dataset | type | shape | units | description |\n|---|---|---|---|---|\n";
  for (const auto& doc : run_dataset_reference())
    text +=
        "| `" + doc.path + "` | " + doc.type + " | " + doc.dims + " | " + doc.units + " | " + doc.description + " |\n";
  return text;
}

}  // namespace ehsim::output

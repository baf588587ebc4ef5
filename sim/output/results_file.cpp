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
#include "engine/measures.hpp"
#include "experiment/comparison.hpp"
#include "experiment/summary.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "version.hpp"

namespace ehsim::output {

namespace {

using engine::CountArray;
using engine::RunResult;

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

// The names of an axis whose entries are fixed.
std::vector<std::string> labels(engine::Axis axis) {
  const auto names = engine::axis_labels(axis);
  return {names.begin(), names.end()};
}

// The lines of costs.partners: the partner_cost axis of monthly/partner_costs.
void write_partner_cost_axes(hid_t axes, const config::Authority& authority) {
  std::vector<std::string> names, labels, bases, charged_on, values, payers, cashable, sources;
  for (const auto& line : authority.costs.partners) {
    names.push_back(line.name);
    bases.emplace_back(config::name_of(line.basis));
    const bool leveled = line.basis == config::PartnerCostBasis::level_month || line.level > 0;
    charged_on.push_back(!line.theme.empty() ? line.theme
                         : leveled           ? authority.levels[static_cast<std::size_t>(line.level - 1)].name
                                             : std::string());
    labels.push_back(line.label.empty() ? line.name : line.label);
    values.emplace_back(config::name_of(line.value));
    payers.push_back(line.payer);
    cashable.emplace_back(line.cashable ? "cashable" : "not cashable");
    sources.push_back(line.source);
  }
  const std::vector<std::string> dims{"partner_cost"};
  write_strings(axes, "partner_cost", names, {"", "Each line of costs.partners.", dims});
  write_strings(axes, "partner_cost_label", labels, {"", "Name of each line as shown to people.", dims});
  write_strings(
      axes, "partner_cost_basis", bases,
      {"", "What each line is charged on: theme_month, theme_onset, level_month, escalation or care_entry.", dims});
  write_strings(axes, "partner_cost_charged_on", charged_on,
                {"",
                 "The theme (theme_month, theme_onset) or level (level_month, an escalation to it) a line names; "
                 "empty for an escalation to any level and for care_entry.",
                 dims});
  write_strings(axes, "partner_cost_value", values,
                {"", "fiscal (a partner agency's spend), economic (lost output) or social (wellbeing).", dims});
  write_strings(axes, "partner_cost_payer", payers, {"", "Who pays a fiscal line; empty for a wider cost.", dims});
  write_strings(axes, "partner_cost_cashable", cashable,
                {"", "Whether avoiding a fiscal line releases its payer's budget.", dims});
  write_strings(axes, "partner_cost_source", sources, {"", "Where each figure comes from, with its price year.", dims});
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
  write_strings(axes.id(), "deprivation_quintile", labels(engine::Axis::deprivation_quintile),
                {"", "National deprivation quintiles.", {"deprivation_quintile"}});
  write_strings(axes.id(), "age_band", labels(engine::Axis::age_band),
                {"", "Age bands of a family's youngest child (as the DfE reports children in need).", {"age_band"}});
  write_strings(axes.id(), "cashable", labels(engine::Axis::cashable),
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
  write_strings(axes.id(), "front_door_measure", labels(engine::Axis::front_door_measure),
                {"", "Columns of monthly/front_door.", {"front_door_measure"}});
  write_strings(axes.id(), "waiting_flow", labels(engine::Axis::waiting_flow),
                {"", "Last axis of monthly/service_waiting_flows.", {"waiting_flow"}});
  write_strings(axes.id(), "indicator", labels(engine::Axis::indicator),
                {"", "Columns of monthly/indicators.", {"indicator"}});
  std::vector<std::string> kinds;
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
  std::vector<std::string> pair_columns, pair_units;
  for (std::size_t c = 0; c < experiment::pair_column::count; ++c) {
    pair_columns.emplace_back(experiment::pair_column::name(c));
    pair_units.emplace_back(experiment::pair_column::unit(c));
  }
  write_strings(axes.id(), "pair_measure", pair_columns,
                {"", "Columns of pairs/<first>_vs_<second>/differences.", {"pair_measure"}});
  write_strings(axes.id(), "pair_measure_unit", pair_units, {"", "Unit of each pair measure.", {"pair_measure"}});
  std::vector<std::string> family_columns;
  for (std::size_t c = 0; c < experiment::family_column::count; ++c)
    family_columns.emplace_back(experiment::family_column::name(c));
  write_strings(axes.id(), "family_column", family_columns,
                {"", "Columns of comparisons/<option>_vs_<baseline>/family_differences.", {"family_column"}});
  write_strings(axes.id(), "quantile", quantiles,
                {"percent", "Percentiles of the quantile axis (fan charts).", {"quantile"}});
  write_strings(axes.id(), "reinvestment_column", labels(engine::Axis::reinvestment_column),
                {"", "Columns of financial_year/reinvestment.", {"reinvestment_column"}});
  write_partner_cost_axes(axes.id(), authority);
  write_strings(axes.id(), "closure_outcome", labels(engine::Axis::closure_outcome),
                {"", "Last axis of monthly/service_closures.", {"closure_outcome"}});
  write_strings(axes.id(), "event_type",
                std::vector<std::string>(engine::event_type_names.begin(), engine::event_type_names.end()),
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
  write_partner_cost_axes(axes.id(), model.authority);
}

constexpr const char* statistics_note =
    " Rows (/axes/statistic): mean, standard deviation, 95% interval of the mean (Student's t), the 5th, 25th, "
    "50th, 75th and 95th percentiles of the replicates, and the number of replicates used (ratios with nothing "
    "to divide by are left out).";

void write_table(hid_t group, const std::string& name, const experiment::Table& table, const DatasetInfo& info) {
  write_float64(group, name, table.shape, table.values, info);
}

std::vector<std::string> dims_of(const engine::MeasureSpec& measure);

void write_summary(hid_t file, const experiment::ScenarioSummary& summary) {
  const Handle group = create_group(file, "summary/" + summary.name);
  const std::size_t replicates = summary.measures.shape.front();
  const std::size_t years = replicates > 0 ? summary.spend_by_year.size() / replicates : 0;
  write_table(group.id(), "measures", summary.measures,
              {"see /axes/measure_unit",
               "Headline measures of each replicate (names in /axes/measure): spend over the horizon, undiscounted and "
               "discounted; family-months and child-months at the top level; child-months in care; children in "
               "care and on plans at the end; early help case-months; then costs outside spend (costs.partners), each "
               "account apart: partners' spend, lost output, wellbeing.",
               {"replicate", "measure"}});
  write_table(group.id(), "measure_statistics", summary.measure_statistics,
              {"see /axes/measure_unit",
               std::string("Across replicates, of measures.") + statistics_note,
               {"statistic", "measure"}});
  write_int64(
      group.id(), "spend_by_financial_year", {replicates, years}, summary.spend_by_year,
      {"pence", "Spend of each replicate in each financial year, undiscounted.", {"replicate", "financial_year"}});
  write_table(group.id(), "spend_by_financial_year_statistics", summary.spend_by_year_statistics,
              {"pence",
               std::string("Across replicates, of spend_by_financial_year.") + statistics_note,
               {"statistic", "financial_year"}});
  write_int64(group.id(), "spend_discounted_by_financial_year", {replicates, years}, summary.spend_discounted_by_year,
              {"pence",
               "Spend of each replicate in each financial year, discounted to the start month.",
               {"replicate", "financial_year"}});
  write_table(group.id(), "stock_families_quantiles", summary.stock_families_quantiles,
              {"families",
               "Families at each level at the end of each month: the 5th, 25th, 50th, 75th and 95th percentiles "
               "over replicates (/axes/quantile), for fan charts.",
               {"quantile", "month", "level"}});
  // The mean over replicates of every measure, under the path a run writes it.
  const auto& registry = engine::measures();
  for (std::size_t c = 0; c < registry.size(); ++c) {
    const auto& measure = registry[c];
    write_table(
        group.id(), "mean/" + std::string(measure.path), summary.means[c],
        {std::string(measure.unit), "Mean over replicates. " + std::string(measure.description), dims_of(measure)});
    if (measure.by_year == engine::ByYear::no) continue;
    std::vector<std::string> dims = dims_of(measure);
    dims.front() = "financial_year";
    write_table(
        group.id(), "mean/" + engine::financial_year_path(measure), summary.financial_year_means[c],
        {std::string(measure.unit), "Mean over replicates. " + engine::financial_year_description(measure), dims});
  }
}

void write_comparison(hid_t file, const experiment::ComparisonSummary& comparison,
                      const std::vector<experiment::ScenarioSummary>& scenarios) {
  const std::string& option = scenarios[comparison.option].name;
  const std::string& baseline = scenarios[comparison.baseline].name;
  const Handle group = create_group(file, "comparisons/" + option + "_vs_" + baseline);
  set_attribute(group.id(), "option", option);
  set_attribute(group.id(), "baseline", baseline);
  // Its cell of the decision table: the option, and the future it runs under
  // ("" as planned); a future against the baseline has no option.
  set_attribute(group.id(), "decision_option", scenarios[comparison.option].option);
  set_attribute(group.id(), "decision_future", scenarios[comparison.option].future);
  const std::size_t replicates = comparison.differences.shape.front();
  const std::size_t years = replicates > 0 ? comparison.spend_by_year_difference.size() / replicates : 0;
  write_table(group.id(), "differences", comparison.differences,
              {"see /axes/comparison_measure_unit",
               "Per replicate, the option against the baseline with the same random numbers (names in "
               "/axes/comparison_measure): each headline measure, option minus baseline; investment and savings "
               "(the rise in spend on the lines, services or universal costs, that cost more, and the fall on "
               "those that cost less, over the horizon; the option's own statutory services of one kind are one "
               "line, so a relabelled case is neither); own lines and consequence (the change in spend on the "
               "lines the option's overlay itself changes, a statutory one with the others of its kind, and on "
               "every other line); return per pound (-consequence / own lines, only where the option spends more "
               "on its own lines); cost per "
               "top-level family-month avoided (spend difference / family-months avoided); break-even month "
               "(first month from which the cumulative spend difference stays at or below 0, -1 if never); "
               "saves money (1 if the discounted spend difference is below 0).",
               {"replicate", "comparison_measure"}});
  if (!comparison.family.values.empty()) {
    write_table(group.id(), "family_differences", comparison.family,
                {"pence, families or share",
                 "Per replicate, each family's cost in the option minus the same family's cost in the run it is "
                 "compared with (same luck; negative: a saving), over the families the option's own services "
                 "admitted in either run (columns in /axes/family_column): how many, the mean, quartiles, the share "
                 "that cost more; "
                 "then the sum over every family of both runs, which is the spend difference to the penny.",
                 {"replicate", "family_column"}});
    write_table(group.id(), "family_differences_pooled", comparison.family_pooled,
                {"pence, families or share",
                 "The helped families of every replicate pooled: families a replicate (mean), mean, quartiles and "
                 "share that cost more; the all-families sum is the mean over replicates.",
                 {"family_column"}});
    write_table(group.id(), "family_differences_by_payer", comparison.family_by_payer,
                {"pence",
                 "Per replicate, the mean cost difference per helped family by who pays and whether cashable.",
                 {"replicate", "payer", "cashable"}});
  }
  write_table(group.id(), "statistics", comparison.statistics,
              {"see /axes/comparison_measure_unit",
               std::string("Across replicates, of differences; the mean of saves_money is the probability that "
                           "the option saves money.") +
                   statistics_note,
               {"statistic", "comparison_measure"}});
  write_int64(group.id(), "spend_by_financial_year_difference", {replicates, years},
              comparison.spend_by_year_difference,
              {"pence",
               "Per replicate and financial year, the option's spend minus the baseline's, undiscounted.",
               {"replicate", "financial_year"}});
  write_table(group.id(), "spend_by_financial_year_difference_statistics",
              comparison.spend_by_year_difference_statistics,
              {"pence",
               std::string("Across replicates, of spend_by_financial_year_difference.") + statistics_note,
               {"statistic", "financial_year"}});
  write_int64(group.id(), "spend_discounted_by_financial_year_difference", {replicates, years},
              comparison.spend_discounted_by_year_difference,
              {"pence",
               "Per replicate and financial year, the option's spend minus the baseline's, discounted.",
               {"replicate", "financial_year"}});
  write_table(group.id(), "spend_discounted_by_financial_year_difference_statistics",
              comparison.spend_discounted_by_year_difference_statistics,
              {"pence",
               std::string("Across replicates, of spend_discounted_by_financial_year_difference.") + statistics_note,
               {"statistic", "financial_year"}});
}

// Two options against each other, replicate by replicate.
void write_pair(hid_t file, const experiment::PairSummary& pair,
                const std::vector<experiment::ScenarioSummary>& scenarios) {
  const auto& first = scenarios[pair.first];
  const auto& second = scenarios[pair.second];
  const Handle group = create_group(file, "pairs/" + first.name + "_vs_" + second.name);
  set_attribute(group.id(), "first", first.name);
  set_attribute(group.id(), "second", second.name);
  set_attribute(group.id(), "first_option", first.option);
  set_attribute(group.id(), "second_option", second.option);
  set_attribute(group.id(), "decision_future", first.future);
  write_table(group.id(), "differences", pair.differences,
              {"see /axes/pair_measure_unit",
               "Per replicate, the first option minus the second, both compared with the same scenario (the "
               "baseline, or the future in decision_future) and run with the same random numbers (names in "
               "/axes/pair_measure): each headline measure; the difference in cashable spend; whether the first "
               "spends less (1 or 0); whether it has fewer level 4 family-months (1 or 0).",
               {"replicate", "pair_measure"}});
  write_table(group.id(), "statistics", pair.statistics,
              {"see /axes/pair_measure_unit",
               std::string("Across replicates, of differences; the mean of first_costs_less is the probability "
                           "that the first option spends less than the second.") +
                   statistics_note,
               {"statistic", "pair_measure"}});
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

// The axes of a measure, by name.
std::vector<std::string> dims_of(const engine::MeasureSpec& measure) {
  std::vector<std::string> dims;
  for (const auto axis : measure.axes) dims.emplace_back(engine::axis_name(axis));
  return dims;
}

void write_run(hid_t scenario_group, const RunResult& run, const std::vector<std::size_t>& financial_years) {
  const Handle group = create_group(scenario_group, replicate_group(run.replicate));
  set_attribute(group.id(), "replicate", static_cast<std::int64_t>(run.replicate));
  set_attribute(group.id(), "seed", static_cast<std::int64_t>(run.seed));
  for (const auto& measure : engine::measures()) {
    const CountArray& array = run.*measure.member;
    write_int64(group.id(), std::string(measure.path), array.shape, array.values,
                {std::string(measure.unit), std::string(measure.description), dims_of(measure)});
  }
  // Spend and the dashboard by financial year (April to March).
  for (const auto& measure : engine::measures()) {
    if (measure.by_year == engine::ByYear::no) continue;
    const CountArray& monthly = run.*measure.member;
    std::vector<std::size_t> shape = monthly.shape;
    shape.front() = financial_years.empty() ? 0 : financial_years.back() + 1;
    std::vector<std::string> dims = dims_of(measure);
    dims.front() = "financial_year";
    write_int64(group.id(), engine::financial_year_path(measure), shape,
                experiment::by_financial_year(monthly.values, monthly.shape, financial_years,
                                              measure.by_year == engine::ByYear::dashboard),
                {std::string(measure.unit), engine::financial_year_description(measure), dims});
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
                   const experiment::Summary& summary, const Provenance& provenance) {
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
    // Money is in real terms at the baseline's price year ("" not stated).
    if (!scenarios.empty()) set_attribute(file, "price_year", scenarios.front().model->authority.costs.price_year);
    if (!scenarios.empty()) write_axes(file, *scenarios.front().model);
    if (!provenance.uncertainty.keys.empty()) {
      const Handle uncertainty = create_group(file, "uncertainty");
      const auto& draws = provenance.uncertainty;
      std::vector<double> values;
      for (const auto& row : draws.values) values.insert(values.end(), row.begin(), row.end());
      write_strings(uncertainty.id(), "parameter", draws.keys,
                    {"", "The configuration keys drawn for each replicate ([[uncertainty]]).", {"parameter"}});
      write_float64(uncertainty.id(), "draws", {draws.values.size(), draws.keys.size()}, values,
                    {"the key's",
                     "The value each replicate drew, used in every scenario of that replicate.",
                     {"replicate", "parameter"}});
    }
    const Handle config = create_group(file, "config");
    const Handle sources = create_group(config.id(), "source");
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const Scenario& scenario = scenarios[s];
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
      for (const auto& run : *scenario.runs) write_run(group.id(), run, summary.year_of_month);
      write_summary(file, summary.scenarios[s]);
    }
    for (const auto& comparison : summary.comparisons) write_comparison(file, comparison, summary.scenarios);
    for (const auto& pair : summary.pairs) write_pair(file, pair, summary.scenarios);
  });
}

std::vector<DatasetDoc> run_dataset_reference() {
  std::vector<DatasetDoc> docs;
  for (const auto& measure : engine::measures())
    docs.push_back({std::string(measure.path), "int64", join(dims_of(measure), " × "), std::string(measure.unit),
                    std::string(measure.description)});
  for (const auto& measure : engine::measures()) {
    if (measure.by_year == engine::ByYear::no) continue;
    std::vector<std::string> dims = dims_of(measure);
    dims.front() = "financial_year";
    docs.push_back({engine::financial_year_path(measure), "int64", join(dims, " × "), std::string(measure.unit),
                    measure.by_year == engine::ByYear::dashboard
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

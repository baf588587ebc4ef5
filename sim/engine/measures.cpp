#include "engine/measures.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "engine/calendar.hpp"
#include "engine/families.hpp"

namespace ehsim::engine {

namespace {

constexpr std::array<std::string_view, deprivation_quintiles> quintile_labels{"1_most_deprived", "2", "3", "4",
                                                                              "5_least_deprived"};
constexpr std::array<std::string_view, age_bands> age_band_labels{"under_1", "1_to_4", "5_to_9", "10_to_15",
                                                                  "16_to_17"};
constexpr std::array<std::string_view, 2> cashable_labels{"not_cashable", "cashable"};

// The financial years months 0 .. months-1 touch.
std::size_t financial_years(const Model& model) {
  if (model.months <= 0) return 0;
  const auto start = parse_calendar_month(model.authority.simulation.start_month);
  return static_cast<std::size_t>(financial_year(add_months(start, model.months - 1)) - financial_year(start) + 1);
}

}  // namespace

std::string_view axis_name(Axis axis) {
  switch (axis) {
    case Axis::month:
      return "month";
    case Axis::level:
      return "level";
    case Axis::from_level:
      return "from_level";
    case Axis::to_level:
      return "to_level";
    case Axis::theme:
      return "theme";
    case Axis::service:
      return "service";
    case Axis::locality:
      return "locality";
    case Axis::deprivation_quintile:
      return "deprivation_quintile";
    case Axis::age_band:
      return "age_band";
    case Axis::payer:
      return "payer";
    case Axis::cashable:
      return "cashable";
    case Axis::closure_outcome:
      return "closure_outcome";
    case Axis::waiting_flow:
      return "waiting_flow";
    case Axis::front_door_measure:
      return "front_door_measure";
    case Axis::indicator:
      return "indicator";
    case Axis::reinvestment_year:
      return "financial_year";
    case Axis::reinvestment_column:
      return "reinvestment_column";
    case Axis::partner_cost:
      return "partner_cost";
  }
  throw std::logic_error("unknown axis");
}

std::size_t axis_size(Axis axis, const Model& model) {
  const bool services = !model.services.empty();
  switch (axis) {
    case Axis::month:
      return static_cast<std::size_t>(model.months);
    case Axis::level:
    case Axis::from_level:
    case Axis::to_level:
      return static_cast<std::size_t>(model.level_count);
    case Axis::theme:
      return static_cast<std::size_t>(model.theme_count);
    case Axis::service:
      return model.services.size();
    case Axis::locality:
      return model.authority.population.locality_names.size();
    case Axis::payer:
      return static_cast<std::size_t>(model.payer_count);
    case Axis::front_door_measure:
      return services ? std::size_t{front_door_measure::count} : 0;
    case Axis::indicator:
      return services ? std::size_t{indicator::count} : 0;
    case Axis::reinvestment_year:
      return model.reinvestment.share > 0 ? financial_years(model) : 0;
    case Axis::partner_cost:
      return model.partner_lines.size();
    default:
      return axis_labels(axis).size();
  }
}

std::span<const std::string_view> axis_labels(Axis axis) {
  switch (axis) {
    case Axis::deprivation_quintile:
      return quintile_labels;
    case Axis::age_band:
      return age_band_labels;
    case Axis::cashable:
      return cashable_labels;
    case Axis::closure_outcome:
      return closure_outcome::names;
    case Axis::waiting_flow:
      return waiting_flow::names;
    case Axis::front_door_measure:
      return front_door_measure::names;
    case Axis::indicator:
      return indicator::names;
    case Axis::reinvestment_column:
      return reinvestment_column::names;
    default:
      return {};
  }
}

std::vector<std::size_t> MeasureSpec::shape(const Model& model) const {
  std::vector<std::size_t> dims;
  for (const Axis axis : axes) dims.push_back(axis_size(axis, model));
  return dims;
}

const std::vector<MeasureSpec>& measures() {
  static const std::vector<MeasureSpec> registry{
      {"initial/stock_families",
       {Axis::level},
       "families",
       "Families at each level at the start, before month 0.",
       &RunResult::initial_families},
      {"initial/stock_children",
       {Axis::level},
       "children",
       "Children under 18 in the families at each level at the start.",
       &RunResult::initial_children},
      {"initial/theme_families",
       {Axis::theme},
       "families",
       "Families with each theme active at the start.",
       &RunResult::initial_theme_families},
      {"monthly/stock_families",
       {Axis::month, Axis::level},
       "families",
       "Families at each level at the end of the month.",
       &RunResult::stock_families},
      {"monthly/stock_children",
       {Axis::month, Axis::level},
       "children",
       "Children under 18 in the families at each level at the end of the month.",
       &RunResult::stock_children},
      {"monthly/flows",
       {Axis::month, Axis::from_level, Axis::to_level},
       "families",
       "Families that were at from_level at the start of the month (and did not leave) and at to_level at its end; "
       "the diagonal counts those that stayed.",
       &RunResult::flows},
      {"monthly/arrivals",
       {Axis::month, Axis::level},
       "families",
       "Families that joined during the month, by their level.",
       &RunResult::arrivals},
      {"monthly/departures_aged_out",
       {Axis::month, Axis::level},
       "families",
       "Families that left because their youngest child turned 18, by level at the start of the month.",
       &RunResult::departures_aged_out},
      {"monthly/departures_moved",
       {Axis::month, Axis::level},
       "families",
       "Families that moved out of the authority, by level at the start of the month.",
       &RunResult::departures_moved},
      {"monthly/theme_families",
       {Axis::month, Axis::theme},
       "families",
       "Families with each theme active at the end of the month.",
       &RunResult::theme_families},
      {"monthly/front_door",
       {Axis::month, Axis::front_door_measure},
       "referrals",
       "The front door each month: referrals (identified, stepped up or re-routed), triaged, routed to a service, "
       "no further action, declined, waiting to be decided at the end of the month, and departed before a "
       "decision, and re-referrals (referrals within 12 months of the family's last closed case) (names in "
       "/axes/front_door_measure; no columns without services). waiting[m] = waiting[m-1] + referrals - triaged "
       "- departed.",
       &RunResult::front_door},
      {"monthly/service_caseload",
       {Axis::month, Axis::service},
       "cases",
       "Open cases of each service at the end of the month.",
       &RunResult::service_caseload},
      {"monthly/service_capacity",
       {Axis::month, Axis::service},
       "cases",
       "Cases each service can hold that month (statutory services: their caseload, as they take every case).",
       &RunResult::service_capacity},
      {"monthly/service_waiting",
       {Axis::month, Axis::service},
       "families",
       "Families waiting for each service at the end of the month.",
       &RunResult::service_waiting},
      {"monthly/service_admissions",
       {Axis::month, Axis::service},
       "cases",
       "Cases each service opened in the month.",
       &RunResult::service_admissions},
      {"monthly/service_wait_months",
       {Axis::month, Axis::service},
       "months",
       "Months waited by the families each service admitted, summed (divide by admissions for the mean wait).",
       &RunResult::service_wait_months},
      {"monthly/service_closures",
       {Axis::month, Axis::service, Axis::closure_outcome},
       "cases",
       "Cases each service closed, by outcome: needs met, stepped up, other, transferred (moved to the "
       "service's transfer_to within the family's level) (names in /axes/closure_outcome).",
       &RunResult::service_closures},
      {"monthly/service_waiting_flows",
       {Axis::month, Axis::service, Axis::waiting_flow},
       "families",
       "Changes to each service's waiting list: joined (routed by the front door), re-routed (escalated while "
       "waiting), no longer needed (level fell below the service's), departed, stepped down (joined on stepping "
       "down from the service above), transferred (joined on a transfer from another social care service) (names "
       "in /axes/waiting_flow). service_waiting[m] = service_waiting[m-1] + joined + stepped_down + transferred - "
       "service_admissions - rerouted - no_longer_needed - departed.",
       &RunResult::service_waiting_flows},
      {"monthly/service_children",
       {Axis::month, Axis::service},
       "children",
       "Children under 18 in each service's open cases at the end of the month (child protection: children on "
       "plans; children in care: looked-after children).",
       &RunResult::service_children},
      {"monthly/service_admitted_children",
       {Axis::month, Axis::service},
       "children",
       "Children under 18 in the families each service admitted in the month: its starts counted per child, as the "
       "national returns count child protection plans and care.",
       &RunResult::service_admitted_children},
      {"monthly/service_closed_children",
       {Axis::month, Axis::service},
       "children",
       "Children in the cases each service closed in the month, every outcome, as the case last counted them (at the "
       "end of the month before: a child who leaves care at 18 is counted): its exits per child.",
       &RunResult::service_closed_children},
      {"monthly/service_open_months",
       {Axis::month, Axis::service},
       "months",
       "Months each service's open cases at the end of the month have been open, summed (divide by "
       "service_caseload for the mean open duration; a case opened this month counts 0).",
       &RunResult::service_open_months},
      {"monthly/service_theme_cases",
       {Axis::month, Axis::service, Axis::theme},
       "cases",
       "Open cases of each service at the end of the month whose family has the theme active (divide by "
       "service_caseload for the theme's prevalence among open cases).",
       &RunResult::service_theme_cases},
      {"monthly/service_caseload_by_locality",
       {Axis::month, Axis::service, Axis::locality},
       "cases",
       "Open cases of each service at the end of the month, by the family's locality.",
       &RunResult::service_caseload_by_locality},
      {"monthly/service_capacity_by_locality",
       {Axis::month, Axis::service, Axis::locality},
       "cases",
       "Cases each service can hold in each locality that month, for services with capacity_by_locality; -1 "
       "where capacity is borough-wide (or the service is statutory).",
       &RunResult::service_capacity_by_locality},
      {"monthly/indicators",
       {Axis::month, Axis::indicator},
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
       &RunResult::indicators,
       ByYear::dashboard},
      {"monthly/spend_by_level",
       {Axis::month, Axis::level},
       "pence",
       "Spend in the month, undiscounted, by the level of the family it was spent on: universal costs, open cases and "
       "cases' start costs.",
       &RunResult::spend_by_level,
       ByYear::summed},
      {"monthly/spend_by_service",
       {Axis::month, Axis::service},
       "pence",
       "Spend of each service in the month, undiscounted: cases open at the end of the month and start costs.",
       &RunResult::spend_by_service,
       ByYear::summed},
      {"monthly/spend_by_payer",
       {Axis::month, Axis::payer, Axis::cashable},
       "pence",
       "Spend in the month, undiscounted, by who pays and whether a saving on it is cashable (names in /axes/payer; "
       "cashable index 0 no, 1 yes).",
       &RunResult::spend_by_payer,
       ByYear::summed},
      {"monthly/spend_by_locality",
       {Axis::month, Axis::locality},
       "pence",
       "Spend in the month, undiscounted, by the locality of the family it was spent on.",
       &RunResult::spend_by_locality,
       ByYear::summed},
      {"monthly/spend_by_deprivation",
       {Axis::month, Axis::deprivation_quintile},
       "pence",
       "Spend in the month, undiscounted, by the family's deprivation quintile.",
       &RunResult::spend_by_deprivation,
       ByYear::summed},
      {"monthly/spend_by_age_band",
       {Axis::month, Axis::age_band},
       "pence",
       "Spend in the month, undiscounted, by the age of the family's youngest child.",
       &RunResult::spend_by_age_band,
       ByYear::summed},
      {"monthly/spend_discounted",
       {Axis::month},
       "pence",
       "The month's total spend discounted to the start month at costs.discount_rate_per_year, rounded to the "
       "penny.",
       &RunResult::spend_discounted,
       ByYear::summed},
      {"monthly/stock_by_locality",
       {Axis::month, Axis::locality, Axis::level},
       "families",
       "Families at each level at the end of the month, by locality (names in /axes/locality).",
       &RunResult::stock_by_locality},
      {"monthly/stock_by_deprivation",
       {Axis::month, Axis::deprivation_quintile, Axis::level},
       "families",
       "Families at each level at the end of the month, by national deprivation quintile (1 = most deprived).",
       &RunResult::stock_by_deprivation},
      {"monthly/stock_by_age_band",
       {Axis::month, Axis::age_band, Axis::level},
       "families",
       "Families at each level at the end of the month, by the age of the youngest child (bands in "
       "/axes/age_band).",
       &RunResult::stock_by_age_band},
      {"monthly/referrals_by_locality",
       {Axis::month, Axis::locality},
       "referrals",
       "Referrals to the front door in the month, by locality (no referrals without services).",
       &RunResult::referrals_by_locality},
      {"monthly/referrals_by_deprivation",
       {Axis::month, Axis::deprivation_quintile},
       "referrals",
       "Referrals to the front door in the month, by deprivation quintile.",
       &RunResult::referrals_by_deprivation},
      {"monthly/referrals_by_age_band",
       {Axis::month, Axis::age_band},
       "referrals",
       "Referrals to the front door in the month, by the age of the youngest child.",
       &RunResult::referrals_by_age_band},
      {"financial_year/reinvestment",
       {Axis::reinvestment_year, Axis::reinvestment_column},
       "pence, cases or month index",
       "Reinvestment decided at each financial year's end (columns in /axes/reinvestment_column; no rows "
       "without reinvestment): the reference's spend on the chosen services that year (the baseline run of the "
       "same replicate, or the budget), this run's, the amount available (share x saving, rounded down to the "
       "penny, 0 without a saving), the places the receiving service's waiting list could fill (its mean that "
       "year, plus reinvested places that close when the new ones open), the places bought for 12 months "
       "(available / 12 case-months' cost, rounded down, at most that; none that would open after the run), the "
       "amount they commit, and the first and last month index they are open (-1 for none).",
       &RunResult::reinvestment},
      {"monthly/partner_costs",
       {Axis::month, Axis::partner_cost},
       "pence",
       "Costs borne outside the services in the month, by costs.partners line (names, kinds, payers in "
       "/<scenario>/axes/partner_cost...): each line's cost times what it is charged on (family-months with its "
       "theme or at its level at the end of the month, families in which its theme starts, families moving up, "
       "children entering care). Not part of spend; fiscal, economic and social lines are never added together.",
       &RunResult::partner_costs,
       ByYear::summed},
      {"monthly/service_unfilled_places",
       {Axis::month, Axis::service},
       "places",
       "Places of each service paid for by block contract (contract = \"block\") and empty that month: its "
       "capacity, reinvested places included, less its cases (per locality, where capacity is held per "
       "locality), in the months it is open to new families; 0 for spot contracts. Each costs the service's "
       "cost_per_case_month_gbp, in its spend.",
       &RunResult::service_unfilled_places,
       ByYear::summed},
      {"monthly/theme_onsets",
       {Axis::month, Axis::theme},
       "families",
       "Families in which each theme started in the month (active at its end, not at its start; arrivals not "
       "counted).",
       &RunResult::theme_onsets},
  };
  return registry;
}

const MeasureSpec& measure_of(CountArray RunResult::*member) {
  for (const auto& measure : measures())
    if (measure.member == member) return measure;
  throw std::logic_error("a RunResult member without a measure declaration");
}

std::string financial_year_path(const MeasureSpec& measure) {
  return "financial_year/" + std::string(measure.path.substr(measure.path.find('/') + 1));
}

std::string financial_year_description(const MeasureSpec& measure) {
  if (measure.by_year == ByYear::dashboard)
    return "monthly/indicators by financial year (/axes/financial_years): flows summed over the year's months, "
           "stocks (early_help_open_cases, early_help_open_case_months, children_on_plans, children_in_care, "
           "families_waiting) as at the year's last month in the run.";
  return std::string(measure.description) + " Summed by financial year (/axes/financial_years).";
}

}  // namespace ehsim::engine

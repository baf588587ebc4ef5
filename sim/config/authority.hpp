// What an authority is: its population, levels of need, risk themes and the
// dynamics that move families between levels. Plain values; the engine reads
// them, nothing here runs anything.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/choices.hpp"

namespace ehsim::config {

struct SimulationConfig {
  std::string start_month;  // "YYYY-MM"; financial years start in April
  std::int64_t months = 0;
  std::int64_t burn_in_months = 0;  // simulated before the start, not recorded
  std::int64_t seed = 0;
  std::int64_t replicates = 0;
};

struct PopulationConfig {
  std::int64_t families = 0;
  std::vector<double> children_per_family_shares;  // share with 1, 2, 3, 4 children
  double sibling_gap_mean_months = 0;
  std::vector<std::string> locality_names;
  std::vector<double> locality_shares;
  std::vector<double> deprivation_quintile_shares;  // quintile 1 = most deprived
  bool arrivals = true;                             // new families replace departures and follow the projected growth
  double growth_per_year = 0;                       // projected change in the number of families
  double newborn_arrival_share = 0;                 // arrivals that are new households with a baby
  double move_away_hazard_per_month = 0;
  double birth_hazard_per_month = 0;  // for families with room for another child
  // The families the capacities and the reinvestment budget are stated for;
  // 0: they are absolute (see capacity_scale).
  std::int64_t capacity_reference_families = 0;
};

struct LevelConfig {
  std::string name;
  std::string label;
  double initial_share = 0;
  double up_hazard_per_month = 0;    // mean over the level's families at the start
  double down_hazard_per_month = 0;  // likewise
};

struct ThemeConfig {
  std::string name;
  std::string label;
  std::vector<double> prevalence_by_level;
  double onset_hazard_per_month = 0;
  double remission_hazard_per_month = 0;
  double escalation_hazard_ratio = 1;
  std::map<std::string, double> onset_multiplier_if_active;   // other theme -> multiplier on this onset
  std::map<std::string, double> onset_multiplier_from_month;  // "YYYY-MM" -> multiplier on onset from then on
};

// Extra escalation when several themes are active together (the toxic trio).
struct InteractionConfig {
  std::string name;
  std::vector<std::string> themes;
  double escalation_hazard_ratio = 1;
};

struct RiskConfig {
  double escalation_sensitivity = 1;                    // b in exp(b*s)
  double de_escalation_sensitivity = 0;                 // d in exp(-d*s)
  double resilience_escalation_hazard_ratio = 1;        // per standard deviation of resilience
  double max_escalation_hazard_ratio = 1;               // cap on the themes' combined ratio
  std::vector<double> onset_multiplier_by_deprivation;  // per quintile
  std::vector<InteractionConfig> interactions;
};

// A crisis that moves a family more than one level at once (e.g. 2 -> 4 after
// a domestic abuse incident).
struct JumpConfig {
  std::string name;
  std::string from_level;
  std::string to_level;
  std::string theme;  // empty: any family at from_level
  double hazard_per_month = 0;
};

// Who is found to need help: each month, a family at a level of need that
// is not known to services is referred to the front door with a probability,
// raised by its active themes (e.g. police notifications of domestic abuse).
struct IdentificationConfig {
  std::vector<double> probability_by_level;          // per month, one entry per level
  std::map<std::string, double> theme_multiplier;    // theme -> multiplier on the monthly referral hazard
  std::vector<double> after_closure_ratio_by_level;  // on the referral hazard in the 12 months after a needs-met
                                                     // closure, one entry per level; empty: 1
};

// A routing rule of the front door: a family at one of `levels` goes to
// `service` if the service targets one of its active themes (or none).
struct RouteConfig {
  std::vector<std::string> levels;
  std::string service;
};

// The front door (MASH, triage): how many referrals it decides a month, and
// where it routes them by the family's level.
struct FrontDoorConfig {
  std::int64_t triage_capacity_per_month = 0;
  std::vector<RouteConfig> routes;             // tried in order before route_by_level
  std::vector<std::string> route_by_level;     // a service name, or "" for no further action
  double waiting_escalation_hazard_ratio = 1;  // on moving up while waiting (front door or service)
};

// The kinds of service, lowest tier first.
enum class ServiceKind { early_help, targeted, intensive, children_in_need, child_protection, children_in_care };

template <>
struct Choices<ServiceKind> {
  static constexpr std::string_view what = "a kind of service";
  static constexpr std::array all{
      Choice<ServiceKind>{ServiceKind::early_help, "early_help", "early help open to any family at its levels"},
      Choice<ServiceKind>{ServiceKind::targeted, "targeted", "early help for particular needs or themes"},
      Choice<ServiceKind>{ServiceKind::intensive, "intensive",
                          "intensive family support, the highest tier of early help"},
      Choice<ServiceKind>{ServiceKind::children_in_need, "children_in_need", "statutory: a child in need plan"},
      Choice<ServiceKind>{ServiceKind::child_protection, "child_protection", "statutory: a child protection plan"},
      Choice<ServiceKind>{ServiceKind::children_in_care, "children_in_care",
                          "statutory: children looked after by the authority"},
  };
};

// Statutory social care (children in need, child protection, children in
// care) takes every case routed to it: capacity is not a limit and consent
// is not asked. Every other kind is early help.
constexpr bool statutory(ServiceKind kind) {
  return kind == ServiceKind::children_in_need || kind == ServiceKind::child_protection ||
         kind == ServiceKind::children_in_care;
}

// How a service is paid for.
enum class Contract { spot, block };

template <>
struct Choices<Contract> {
  static constexpr std::string_view what = "a kind of contract";
  static constexpr std::array all{
      Choice<Contract>{Contract::spot, "spot", "paid per open case: an empty place costs nothing"},
      Choice<Contract>{Contract::block, "block",
                       "paid per place: every place costs its case-month price in each month the service is open "
                       "to new families, filled or not"},
  };
};

// A service: data, not code. Capacity is in concurrent cases.
struct ServiceConfig {
  std::string name;
  std::string label;
  std::vector<std::string> levels;             // levels it serves; a family rising above them steps up
  ServiceKind kind = ServiceKind::early_help;  // lowest tier first; statutory() for social care
  std::vector<std::string> themes;             // themes targeted: only families with one of them are routed to it
  std::vector<double> youngest_age_years;      // [from, below): ages of the youngest child it takes; empty: any
  std::string open_from_month;                 // "YYYY-MM": takes new families from then on; empty: from the start
  std::string open_until_month;                // "YYYY-MM": takes none from then on; empty: to the end
  std::int64_t capacity_cases = 0;
  std::map<std::string, double> capacity_from_month;  // "YYYY-MM" -> cases from that month on
  bool capacity_by_locality = false;                  // capacity split across localities by their population shares
  double duration_mean_months = 1;
  std::vector<double> duration_mix_shares;        // a mixture of episode lengths: shares of cases...
  std::vector<double> duration_mix_means_months;  // ...and the mean length of each
  // Months open (as text, "6") -> ratio on the completion hazard from then on:
  // exits that depend on time already spent.
  std::map<std::string, double> completion_ratio_from_months_open;
  double consent_probability = 1;
  double dropout_hazard_per_month = 0;
  // Chance that a case closed at the end of its planned work (needs met)
  // also moves the family down a level that month.
  double completion_step_down_probability = 0;
  double escalation_hazard_ratio = 1;                  // on moving up, while in the service
  double de_escalation_hazard_ratio = 1;               // on moving down, while in the service
  double effect_half_life_months = 0;                  // after closure, the ratios decay to 1 with this half-life
  std::map<std::string, double> remission_multiplier;  // theme -> multiplier on its remission, in the service
  double cost_per_case_month_gbp = 0;                  // per open case, or per child when cost_per_child
  bool cost_per_child = false;                         // children in care cost per child
  std::map<std::string, double> placement_shares;      // placement type -> share of children (children in care)
  std::map<std::string, double> placement_cost_per_child_month_gbp;  // placement type -> cost
  double start_cost_gbp = 0;                                         // one-off, at admission
  Contract contract = Contract::spot;                                // block: places are paid for, filled or not
  std::string price_year;    // the prices its costs are stated in; empty: costs.price_year
  std::string step_down_to;  // service a family stepping down below this one goes to
  // Social care: the statutory service an open case moves to, within the
  // family's level, with this hazard (a child protection plan ending in care).
  std::string transfer_to;
  double transfer_hazard_per_month = 0;
  std::string payer;     // one of costs.payers
  bool cashable = true;  // whether a saving releases budget

  [[nodiscard]] bool statutory() const { return config::statutory(kind); }
};

// What a partner's cost is charged on.
enum class PartnerCostBasis { theme_month, theme_onset, level_month, escalation, care_entry };

template <>
struct Choices<PartnerCostBasis> {
  static constexpr std::string_view what = "a basis of a partner's cost";
  static constexpr std::array all{
      Choice<PartnerCostBasis>{PartnerCostBasis::theme_month, "theme_month",
                               "each family-month with `theme` active (at the end of the month)"},
      Choice<PartnerCostBasis>{PartnerCostBasis::theme_onset, "theme_onset",
                               "each family in which `theme` starts in the month (an event the theme stands for, "
                               "such as an exclusion from school)"},
      Choice<PartnerCostBasis>{PartnerCostBasis::level_month, "level_month",
                               "each family-month at `level` (at the end of the month)"},
      Choice<PartnerCostBasis>{PartnerCostBasis::escalation, "escalation",
                               "each family that moves up in the month, to `level` (0: to any higher level)"},
      Choice<PartnerCostBasis>{PartnerCostBasis::care_entry, "care_entry",
                               "each child who enters a children_in_care service"},
  };
};

// The account a cost belongs to, as HM Treasury's Green Book and the Greater
// Manchester cost-benefit model keep them apart.
enum class CostValue { fiscal, economic, social };

template <>
struct Choices<CostValue> {
  static constexpr std::string_view what = "a kind of cost";
  static constexpr std::array all{
      Choice<CostValue>{CostValue::fiscal, "fiscal", "public spend of a partner agency (its payer)"},
      Choice<CostValue>{CostValue::economic, "economic", "lost output: earnings and productivity, no one's budget"},
      Choice<CostValue>{CostValue::social, "social", "wellbeing (physical and emotional harm), no one's budget"},
  };
};

// A cost borne outside the services ehsim runs: by a partner agency (police,
// health, the courts, schools, housing, DWP), or a wider economic or social
// cost. Counted apart from spend, which is what services cost.
struct PartnerCostConfig {
  std::string name;
  std::string label;
  PartnerCostBasis basis = PartnerCostBasis::theme_month;
  std::string theme;       // theme_month: the theme
  std::int64_t level = 0;  // level_month: the level (1..K); escalation: the level moved to (0: any)
  double cost_gbp = 0;     // per family-month, per family escalating or per child entering care
  CostValue value = CostValue::fiscal;
  std::string payer;  // fiscal: one of costs.payers; economic and social: none
  bool cashable = false;
  std::string source;      // where the figure comes from, with its price year
  std::string price_year;  // the prices cost_gbp is stated in; empty: costs.price_year
};

// Money: who pays, what the levels cost, partners' costs, discounting and
// optimism bias.
struct CostsConfig {
  std::vector<std::string> payers;
  std::vector<double> universal_cost_per_family_month_gbp;  // per level, or empty for none
  std::string universal_payer;
  bool universal_cashable = false;
  double discount_rate_per_year = 0;
  std::vector<PartnerCostConfig> partners;
  // HM Treasury's optimism bias, for the adjusted view of an option: its
  // costs raised and its savings lowered by these shares.
  double optimism_bias_cost_uplift = 0;
  double optimism_bias_saving_reduction = 0;
  // Real terms: every figure is in the prices of price_year. A cost stated in
  // another year's prices is converted by price_index (year -> index, e.g. a
  // deflator). A payer's costs may rise faster than prices in general (the
  // relative price effect): by real_price_growth_per_year, from the start month.
  std::string price_year;
  std::map<std::string, double> price_index;
  std::map<std::string, double> real_price_growth_per_year;  // payer -> growth a year, above general inflation
};

// What a scenario overlay is: a commissioning decision, or a change in
// demand or the world that no one chooses.
enum class ScenarioKind { option, future };

template <>
struct Choices<ScenarioKind> {
  static constexpr std::string_view what = "a kind of scenario";
  static constexpr std::array all{
      Choice<ScenarioKind>{ScenarioKind::option, "option",
                           "a commissioning decision, compared with the baseline for its cost and return"},
      Choice<ScenarioKind>{ScenarioKind::future, "future",
                           "a change in demand or the world (population growth, a rise in domestic abuse): a "
                           "projection, never given an investment or a return"},
  };
};

// What a saving is measured against.
enum class ReinvestmentReference { baseline, budget };

template <>
struct Choices<ReinvestmentReference> {
  static constexpr std::string_view what = "a reference for savings";
  static constexpr std::array all{
      Choice<ReinvestmentReference>{ReinvestmentReference::baseline, "baseline",
                                    "the baseline run of the same replicate (the option is a scenario)"},
      Choice<ReinvestmentReference>{ReinvestmentReference::budget, "budget", "the budget line budget_gbp_per_year"},
  };
};

// Reinvestment (MODEL.md): at each financial year end, the saving on chosen
// services against a reference is partly put into another service as extra
// capacity, after a lag.
struct ReinvestmentConfig {
  double share = 0;  // of the saving reinvested; 0: no reinvestment
  std::vector<std::string> from_services;
  std::string to_service;
  std::int64_t lag_months = 0;
  ReinvestmentReference reference = ReinvestmentReference::baseline;
  double budget_gbp_per_year = 0;
};

// How an uncertain parameter is drawn, from its interval [low, high].
enum class Distribution { lognormal, normal, uniform, sample };

template <>
struct Choices<Distribution> {
  static constexpr std::string_view what = "a distribution";
  static constexpr std::array all{
      Choice<Distribution>{Distribution::lognormal, "lognormal",
                           "normal on the log scale, 95% in [low, high]; for ratios"},
      Choice<Distribution>{Distribution::normal, "normal", "95% of draws in [low, high]"},
      Choice<Distribution>{Distribution::uniform, "uniform", "every value in [low, high] alike"},
      Choice<Distribution>{Distribution::sample, "sample",
                           "one of the values listed, drawn jointly with every other sample key (row r of each)"},
  };
};

// Parameter uncertainty: a numeric key drawn afresh for each replicate (the
// same draw in every scenario), so intervals carry the evidence's uncertainty
// as well as chance.
struct UncertaintyConfig {
  std::string key;  // a numeric key, dotted, as in sweeps
  Distribution distribution = Distribution::normal;
  double low = 0;  // lognormal, normal: the 95% interval; uniform: the range
  double high = 0;
  // sample: the values, one per row of a joint sample (such as the plausible
  // sets ehsim calibrate writes); every sample key has as many, and each
  // replicate draws one row for all of them.
  std::vector<double> values;
};

struct Authority;

// How much the stated capacities (services' capacity_cases and
// capacity_from_month, front_door.triage_capacity_per_month) and
// reinvestment.budget_gbp_per_year are scaled by: families over
// capacity_reference_families, or 1 when that is 0.
double capacity_scale(const Authority& authority);
// A stated capacity as the run uses it: scaled, to the nearest case, and at
// least 1 where the stated capacity is above 0.
std::int64_t scaled_cases(const Authority& authority, double stated);

struct Authority {
  std::string extends;  // consumed by the loader; empty once resolved
  std::string name;
  std::string description;
  ScenarioKind kind = ScenarioKind::option;  // what it is when run as a --scenario overlay
  SimulationConfig simulation;
  PopulationConfig population;
  std::vector<LevelConfig> levels;
  std::vector<ThemeConfig> themes;
  RiskConfig risk;
  std::vector<JumpConfig> jumps;
  IdentificationConfig identification;
  FrontDoorConfig front_door;
  std::vector<ServiceConfig> services;
  CostsConfig costs;
  ReinvestmentConfig reinvestment;
  std::vector<UncertaintyConfig> uncertainty;
};

}  // namespace ehsim::config

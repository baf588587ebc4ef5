// Every configuration key of an authority, declared once: name, type, unit,
// default, range and description. Then the checks that involve several keys.
#include "config/authority_schema.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "config/apportion.hpp"
#include "config/limits.hpp"

namespace ehsim::config {

namespace {

TableSpec<SimulationConfig> simulation_spec() {
  TableSpec<SimulationConfig> spec;
  spec.key("start_month", &SimulationConfig::start_month,
           {.unit = "YYYY-MM",
            .fallback = std::string("2025-04"),
            .description = "Calendar month of the first simulated month; financial years start in April."})
      .key("months", &SimulationConfig::months,
           {.unit = "months",
            .fallback = std::int64_t{120},
            .bounds = between(1, 1200),
            .description = "Number of months simulated after the start month."})
      .key("burn_in_months", &SimulationConfig::burn_in_months,
           {.unit = "months",
            .fallback = std::int64_t{0},
            .bounds = between(0, 600),
            .description = "Months simulated before the start month and not recorded, so that themes and levels "
                           "settle into the balance the dynamics keep; the start is the state after them."})
      .key("seed", &SimulationConfig::seed,
           {.unit = "",
            .fallback = std::int64_t{1},
            .bounds = at_least(0),
            .description = "Seed of the counter-based random streams; the same seed gives identical results."})
      .key("replicates", &SimulationConfig::replicates,
           {.unit = "runs",
            .fallback = std::int64_t{1},
            .bounds = between(1, 9999),
            .description = "Independent replicates (0..R-1) of the whole run."});
  return spec;
}

TableSpec<PopulationConfig> population_spec() {
  TableSpec<PopulationConfig> spec;
  spec.key("families", &PopulationConfig::families,
           {.unit = "families",
            .bounds = between(1, 1.0e8),
            .description = "Families (households with a child under 18) generated, before any burn-in; with "
                           "arrivals the projection keeps about this many through the burn-in and grows it from "
                           "the start month. At most 100 million (about 3.5 GB of family state)."})
      .key("children_per_family_shares", &PopulationConfig::children_per_family_shares,
           {.unit = "share",
            .bounds = probability(),
            .description = "Share of families with 1, 2, 3 and 4 children under 18 (1 to 4 entries, sum 1)."})
      .key("sibling_gap_mean_months", &PopulationConfig::sibling_gap_mean_months,
           {.unit = "months",
            .fallback = 36.0,
            .bounds = between(10, 120),
            .description = "Mean age gap between siblings: a 9-month minimum plus an exponential (gaps are "
                           "shrunk when they would not fit four children under 18)."})
      .key("locality_names", &PopulationConfig::locality_names,
           {.unit = "",
            .fallback = std::vector<std::string>{"borough"},
            .description = "Localities of the authority (e.g. learning communities or districts)."})
      .key("locality_shares", &PopulationConfig::locality_shares,
           {.unit = "share",
            .fallback = std::vector<double>{1.0},
            .bounds = probability(),
            .description = "Share of families in each locality, in the order of locality_names (sum 1)."})
      .key("deprivation_quintile_shares", &PopulationConfig::deprivation_quintile_shares,
           {.unit = "share",
            .fallback = std::vector<double>{0.2, 0.2, 0.2, 0.2, 0.2},
            .bounds = probability(),
            .description = "Share of families in each national deprivation quintile, 1 = most deprived (5 "
                           "entries, sum 1)."})
      .key("arrivals", &PopulationConfig::arrivals,
           {.unit = "",
            .fallback = true,
            .description = "Whether families arrive: each month, as many as keep the number of families on its "
                           "projection (families x (1 + growth_per_year)^years), drawn as a Poisson count. false: a "
                           "closed cohort that only shrinks."})
      .key("growth_per_year", &PopulationConfig::growth_per_year,
           {.unit = "per year",
            .fallback = 0.0,
            .bounds = between(-0.5, 0.5),
            .description = "Projected growth in the number of families from the start month (e.g. from ONS "
                           "sub-national projections); 0 keeps it level."})
      .key("newborn_arrival_share", &PopulationConfig::newborn_arrival_share,
           {.unit = "share",
            .fallback = 0.5,
            .bounds = probability(),
            .description = "Share of arrivals that are new households with a newborn; the rest move in with "
                           "children of any age."})
      .key("move_away_hazard_per_month", &PopulationConfig::move_away_hazard_per_month,
           {.unit = "per month",
            .bounds = between(0, 1),
            .description = "Hazard that a family moves out of the authority."})
      .key("birth_hazard_per_month", &PopulationConfig::birth_hazard_per_month,
           {.unit = "per month",
            .bounds = between(0, 1),
            .description = "Hazard of a new baby in a family with fewer than 4 children under 18 whose youngest is "
                           "9 months to 10 years old."});
  return spec;
}

TableSpec<LevelConfig> level_spec() {
  TableSpec<LevelConfig> spec;
  spec.key("name", &LevelConfig::name,
           {.unit = "", .description = "Identifier used in output and by other keys (e.g. \"complex\")."})
      .key("label", &LevelConfig::label,
           {.unit = "", .fallback = std::string(), .description = "Name shown to people (e.g. \"3 Complex\")."})
      .key("initial_share", &LevelConfig::initial_share,
           {.unit = "share of families",
            .bounds = probability(),
            .description = "Share of families at this level as generated, before any burn-in (levels sum "
                           "to 1); after the burn-in the shares are those the hazards keep."})
      .key("up_hazard_per_month", &LevelConfig::up_hazard_per_month,
           {.unit = "per month",
            .bounds = at_least(0),
            .description = "Mean hazard of moving up one level, over this level's families as generated; "
                           "0 on the top level."})
      .key("down_hazard_per_month", &LevelConfig::down_hazard_per_month,
           {.unit = "per month",
            .bounds = at_least(0),
            .description = "Mean hazard of moving down one level; 0 on the bottom level."});
  return spec;
}

TableSpec<ThemeConfig> theme_spec() {
  TableSpec<ThemeConfig> spec;
  spec.key("label", &ThemeConfig::label,
           {.unit = "", .fallback = std::string(), .description = "Name shown to people."})
      .key("prevalence_by_level", &ThemeConfig::prevalence_by_level,
           {.unit = "share of families",
            .bounds = probability(),
            .description = "Share of families at each level with the theme active as generated, before any "
                           "burn-in (one entry per level)."})
      .key("onset_hazard_per_month", &ThemeConfig::onset_hazard_per_month,
           {.unit = "per month",
            .bounds = at_least(0),
            .description = "Base hazard that the theme starts, before co-occurrence and deprivation."})
      .key("remission_hazard_per_month", &ThemeConfig::remission_hazard_per_month,
           {.unit = "per month", .bounds = at_least(0), .description = "Hazard that an active theme ends."})
      .key("escalation_hazard_ratio", &ThemeConfig::escalation_hazard_ratio,
           {.unit = "ratio",
            .fallback = 1.0,
            .bounds = Bounds{0, 1000, true},
            .description = "Hazard ratio on moving up a level while the theme is active (its risk weight is "
                           "the log of this)."})
      .key("onset_multiplier_if_active", &ThemeConfig::onset_multiplier_if_active,
           {.unit = "ratio",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{0, 1000, true},
            .description = "Multiplier on this theme's onset while another theme is active, e.g. "
                           "{ domestic_abuse = 2.0 } (the co-occurrence matrix)."})
      .key("onset_multiplier_from_month", &ThemeConfig::onset_multiplier_from_month,
           {.unit = "ratio",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{0, 1000, true},
            .description = "Changes in demand over time: from each month named on, the onset hazard is "
                           "multiplied by the value, e.g. { \"2026-04\" = 1.2 } for 20% more from April 2026. "
                           "Months within the run (burn-in included)."});
  return spec;
}

TableSpec<InteractionConfig> interaction_spec() {
  TableSpec<InteractionConfig> spec;
  spec.key("themes", &InteractionConfig::themes,
           {.unit = "", .description = "Themes that must all be active together (at least two)."})
      .key("escalation_hazard_ratio", &InteractionConfig::escalation_hazard_ratio,
           {.unit = "ratio",
            .bounds = Bounds{0, 1000, true},
            .description = "Extra hazard ratio on moving up when all the themes are active, on top of "
                           "each theme's own."});
  return spec;
}

TableSpec<RiskConfig> risk_spec() {
  TableSpec<RiskConfig> spec;
  spec.key("escalation_sensitivity", &RiskConfig::escalation_sensitivity,
           {.unit = "",
            .fallback = 1.0,
            .bounds = between(0, 4),
            .description = "b in up = a*exp(b*s): 1 applies each theme's hazard ratio as given."})
      .key("de_escalation_sensitivity", &RiskConfig::de_escalation_sensitivity,
           {.unit = "",
            .fallback = 0.5,
            .bounds = between(0, 4),
            .description = "d in down = c*exp(-d*s): how much risk slows stepping down."})
      .key("resilience_escalation_hazard_ratio", &RiskConfig::resilience_escalation_hazard_ratio,
           {.unit = "ratio per SD",
            .fallback = 0.8,
            .bounds = between(0.05, 20),
            .description = "Hazard ratio on moving up per standard deviation of a family's resilience "
                           "(protective factors)."})
      .key("max_escalation_hazard_ratio", &RiskConfig::max_escalation_hazard_ratio,
           {.unit = "ratio",
            .fallback = 60.0,
            .bounds = between(1, 1.0e6),
            .description = "Cap on the combined hazard ratio of a family's active themes and interactions."})
      .key("onset_multiplier_by_deprivation", &RiskConfig::onset_multiplier_by_deprivation,
           {.unit = "ratio",
            .fallback = std::vector<double>{1.0, 1.0, 1.0, 1.0, 1.0},
            .bounds = Bounds{0, 100, true},
            .description = "Multiplier on every theme's onset by deprivation quintile, 1 = most deprived "
                           "(5 entries)."})
      .named_tables("interactions", &RiskConfig::interactions, interaction_spec(),
                    "Combinations of themes that escalate more together than apart.");
  return spec;
}

TableSpec<JumpConfig> jump_spec() {
  TableSpec<JumpConfig> spec;
  spec.key("from_level", &JumpConfig::from_level, {.unit = "", .description = "Level the crisis starts from."})
      .key("to_level", &JumpConfig::to_level,
           {.unit = "", .description = "Level the family jumps to (at least two above from_level)."})
      .key("theme", &JumpConfig::theme,
           {.unit = "",
            .fallback = std::string(),
            .description = "Theme that must be active for the jump; empty: any family at from_level."})
      .key("hazard_per_month", &JumpConfig::hazard_per_month,
           {.unit = "per month",
            .bounds = at_least(0),
            .description = "Hazard of the jump, scaled by the family's risk like moving up."});
  return spec;
}

TableSpec<IdentificationConfig> identification_spec() {
  TableSpec<IdentificationConfig> spec;
  spec.key("probability_by_level", &IdentificationConfig::probability_by_level,
           {.unit = "per month",
            .fallback = std::vector<double>{},
            .bounds = probability(),
            .description = "Chance a month that a family at each level, not known to services, is referred to the "
                           "front door (by schools, health visitors, police); one entry per level, or none."})
      .key("theme_multiplier", &IdentificationConfig::theme_multiplier,
           {.unit = "ratio",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{0, 1000, true},
            .description = "Multiplier on the monthly referral hazard of a family with the theme active, e.g. "
                           "{ domestic_abuse = 2.0 } for police notifications; several multiply."})
      .key("after_closure_ratio_by_level", &IdentificationConfig::after_closure_ratio_by_level,
           {.unit = "ratio",
            .fallback = std::vector<double>{},
            .bounds = Bounds{0, 1000, true},
            .description = "Hazard ratio on being referred again in the 12 months after a case closed with needs "
                           "met, by the family's level: below 1, a family whose needs a service judged met is not at "
                           "once found again. One entry per level, or none (1 at every level)."});
  return spec;
}

TableSpec<RouteConfig> route_spec() {
  TableSpec<RouteConfig> spec;
  spec.key("levels", &RouteConfig::levels,
           {.unit = "", .description = "Levels the rule applies to (names of [[levels]])."})
      .key("service", &RouteConfig::service,
           {.unit = "",
            .description = "Service the referral goes to when the family is at one of the levels and has one of the "
                           "themes the service targets (any family, when it targets none)."});
  return spec;
}

TableSpec<FrontDoorConfig> front_door_spec() {
  TableSpec<FrontDoorConfig> spec;
  spec.key("triage_capacity_per_month", &FrontDoorConfig::triage_capacity_per_month,
           {.unit = "referrals per month",
            .fallback = std::int64_t{0},
            .bounds = at_least(0),
            .description = "Referrals the front door (MASH) decides a month; the rest wait, highest level first, "
                           "then longest waiting, then lowest family id."})
      .table_array("routes", &FrontDoorConfig::routes, route_spec(),
                   "Routing rules tried in order before route_by_level; the first that matches the family's level "
                   "and themes decides. An overlay replaces the list whole.")
      .key("route_by_level", &FrontDoorConfig::route_by_level,
           {.unit = "",
            .fallback = std::vector<std::string>{},
            .description = "Service a referral is routed to, by the family's level, when no rule in routes "
                           "matches; \"\" for no further action. One entry per level, or none."})
      .key("waiting_escalation_hazard_ratio", &FrontDoorConfig::waiting_escalation_hazard_ratio,
           {.unit = "ratio",
            .fallback = 1.0,
            .bounds = Bounds{0, 1000, true},
            .description = "Hazard ratio on moving up while waiting, at the front door or for a service."});
  return spec;
}

TableSpec<ServiceConfig> service_spec() {
  TableSpec<ServiceConfig> spec;
  spec.key("label", &ServiceConfig::label,
           {.unit = "", .fallback = std::string(), .description = "Name shown to people."})
      .key("levels", &ServiceConfig::levels,
           {.unit = "",
            .description = "Levels the service works with; a family whose level rises above them is stepped up "
                           "(its case closes and it is referred to the front door again)."})
      .key("kind", &ServiceConfig::kind,
           {.unit = "",
            .description = "early_help, targeted, intensive, children_in_need, child_protection or "
                           "children_in_care. The last three are statutory social care: they take every case routed "
                           "to them, without a capacity limit or consent. Early help (the dashboards' open caseload, "
                           "assessments) is the first three."})
      .key("themes", &ServiceConfig::themes,
           {.unit = "",
            .fallback = std::vector<std::string>{},
            .description =
                "Themes the service targets: a routing rule sends a family to it only when one of them "
                "is active. Empty: any family at its levels. Step-down from social care does not look at them."})
      .key("capacity_cases", &ServiceConfig::capacity_cases,
           {.unit = "cases",
            .fallback = std::int64_t{0},
            .bounds = between(0, 1.0e9),
            .description = "Concurrent cases the service can hold (not for statutory services)."})
      .key("capacity_from_month", &ServiceConfig::capacity_from_month,
           {.unit = "cases",
            .fallback = std::map<std::string, double>{},
            .bounds = between(0, 1.0e9),
            .description = "Changes of capacity over time, e.g. { \"2026-04\" = 60 }: from that month on the "
                           "service holds that many cases. Months within the run (burn-in included)."})
      .key("capacity_by_locality", &ServiceConfig::capacity_by_locality,
           {.unit = "",
            .fallback = false,
            .description = "Whether capacity is held per locality: each capacity is split across the localities "
                           "in proportion to population.locality_shares (largest remainders, with at least one "
                           "place for every locality; a capacity smaller than the number of localities is an "
                           "error), and a family waits for a place in its own locality."})
      .key("duration_mean_months", &ServiceConfig::duration_mean_months,
           {.unit = "months",
            .bounds = between(1, 240),
            .description = "Mean length of a completed episode (closures as a constant hazard: geometric lengths)."})
      .key("duration_mix_shares", &ServiceConfig::duration_mix_shares,
           {.unit = "share",
            .fallback = std::vector<double>{},
            .bounds = probability(),
            .description = "Episode lengths as a mixture (e.g. children in need: many short, some long): the share "
                           "of cases of each kind, adding up to 1; at most 4. Empty: one kind, with mean "
                           "duration_mean_months."})
      .key("duration_mix_means_months", &ServiceConfig::duration_mix_means_months,
           {.unit = "months",
            .fallback = std::vector<double>{},
            .bounds = between(1, 240),
            .description = "Mean length of each kind in duration_mix_shares (geometric within a kind); their "
                           "mean must be duration_mean_months, within 2%."})
      .key("consent_probability", &ServiceConfig::consent_probability,
           {.unit = "probability",
            .fallback = 1.0,
            .bounds = probability(),
            .description = "Chance a family routed here agrees to take part (early help is consensual; statutory "
                           "services do not ask)."})
      .key("dropout_hazard_per_month", &ServiceConfig::dropout_hazard_per_month,
           {.unit = "per month",
            .fallback = 0.0,
            .bounds = between(0, 1),
            .description = "Hazard that a family disengages before the work is done (closure: other)."})
      .key("escalation_hazard_ratio", &ServiceConfig::escalation_hazard_ratio,
           {.unit = "ratio",
            .fallback = 1.0,
            .bounds = Bounds{0, 1000, true},
            .description = "Hazard ratio on moving up a level (and on crisis jumps) while in the service; below 1 "
                           "is protective."})
      .key("de_escalation_hazard_ratio", &ServiceConfig::de_escalation_hazard_ratio,
           {.unit = "ratio",
            .fallback = 1.0,
            .bounds = Bounds{0, 1000, true},
            .description = "Hazard ratio on moving down a level while in the service; above 1 helps families step "
                           "down."})
      .key("effect_half_life_months", &ServiceConfig::effect_half_life_months,
           {.unit = "months",
            .fallback = 0.0,
            .bounds = between(0, 600),
            .description = "After a case closes with needs met, both ratios decay towards 1 with this half-life; "
                           "0: the effect ends with the case. A family that disengages, moves or is stepped up "
                           "keeps no effect."})
      .key("remission_multiplier", &ServiceConfig::remission_multiplier,
           {.unit = "ratio",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{0, 1000, true},
            .description = "Multiplier on a theme's remission hazard while the family is in the service, e.g. "
                           "{ domestic_abuse = 1.5 } for a domestic abuse service."})
      .key("cost_per_case_month_gbp", &ServiceConfig::cost_per_case_month_gbp,
           {.unit = "GBP per case-month",
            .fallback = 0.0,
            .bounds = between(0, 1.0e7),
            .description = "Cost of each case open at the end of a month (per child when cost_per_child)."})
      .key("cost_per_child", &ServiceConfig::cost_per_child,
           {.unit = "",
            .fallback = false,
            .description = "Charge cost_per_case_month_gbp for each child under 18 in the family (children in "
                           "care cost per child)."})
      .key("placement_shares", &ServiceConfig::placement_shares,
           {.unit = "share",
            .fallback = std::map<std::string, double>{},
            .bounds = probability(),
            .description = "Children in care: the placement mix, e.g. { foster = 0.68, childrens_home = 0.12, "
                           "... }, adding up to 1. With placement_cost_per_child_month_gbp, it sets the cost per "
                           "child-month (instead of cost_per_case_month_gbp)."})
      .key("placement_cost_per_child_month_gbp", &ServiceConfig::placement_cost_per_child_month_gbp,
           {.unit = "GBP per child-month",
            .fallback = std::map<std::string, double>{},
            .bounds = between(0, 1.0e7),
            .description = "Cost of each placement type in placement_shares, per child per month."})
      .key("start_cost_gbp", &ServiceConfig::start_cost_gbp,
           {.unit = "GBP",
            .fallback = 0.0,
            .bounds = between(0, 1.0e8),
            .description = "One-off cost when a case opens (assessment, placement start)."})
      .key("step_down_to", &ServiceConfig::step_down_to,
           {.unit = "",
            .fallback = std::string(),
            .description = "Social care only: the early help, targeted or intensive service a family goes to when "
                           "its level falls below this service's levels (step-down). It joins that service's waiting "
                           "list, without going through the front door and whatever the service's themes, if it "
                           "consents and the service works with its new level. \"\": none."})
      .key("payer", &ServiceConfig::payer,
           {.unit = "",
            .fallback = std::string("childrens_services"),
            .description = "Who pays for the service: one of costs.payers."})
      .key("cashable", &ServiceConfig::cashable,
           {.unit = "",
            .fallback = true,
            .description = "Whether a saving on this service releases budget (placements, commissioned services) "
                           "or not (staff time absorbed elsewhere)."});
  return spec;
}

TableSpec<ReinvestmentConfig> reinvestment_spec() {
  TableSpec<ReinvestmentConfig> spec;
  spec.key("share", &ReinvestmentConfig::share,
           {.unit = "share",
            .fallback = 0.0,
            .bounds = probability(),
            .description = "Share of each financial year's saving that is reinvested; 0: no reinvestment."})
      .key("from_services", &ReinvestmentConfig::from_services,
           {.unit = "",
            .fallback = std::vector<std::string>{},
            .description = "Services whose spend is compared with the reference (e.g. [\"children_in_care\"])."})
      .key("to_service", &ReinvestmentConfig::to_service,
           {.unit = "",
            .fallback = std::string(),
            .description = "Service that receives the reinvestment as extra capacity: the amount divided by its "
                           "cost per case-year (12 x cost_per_case_month_gbp), rounded down."})
      .key("lag_months", &ReinvestmentConfig::lag_months,
           {.unit = "months",
            .fallback = std::int64_t{12},
            .bounds = between(0, 120),
            .description = "Months after the financial year's end before the extra capacity opens."})
      .key("reference", &ReinvestmentConfig::reference,
           {.unit = "",
            .fallback = ReinvestmentReference::baseline,
            .description = "What the saving is measured against: \"baseline\" (the baseline run of the same "
                           "replicate, so the option must be a scenario) or \"budget\" (budget_gbp_per_year)."})
      .key("budget_gbp_per_year", &ReinvestmentConfig::budget_gbp_per_year,
           {.unit = "GBP per year",
            .fallback = 0.0,
            .bounds = between(0, 1.0e11),
            .description = "The budget line for from_services when reference = \"budget\"; a financial year the "
                           "run covers only in part is prorated by its months."});
  return spec;
}

TableSpec<UncertaintyConfig> uncertainty_spec() {
  TableSpec<UncertaintyConfig> spec;
  spec.key("key", &UncertaintyConfig::key,
           {.unit = "",
            .description = "A numeric key of this configuration, dotted (services.<name>.escalation_hazard_ratio); "
                           "its value is drawn for each replicate, replacing the one given."})
      .key("distribution", &UncertaintyConfig::distribution,
           {.unit = "",
            .description = "lognormal (for ratios), normal or uniform. A lognormal or normal draw outside the key's "
                           "allowed range is replaced by one from the distribution truncated to that range."})
      .key("low", &UncertaintyConfig::low,
           {.unit = "the key's",
            .description = "lognormal and normal: the lower end of the 95% interval (e.g. of an evidence "
                           "estimate); uniform: the lowest value. Within the key's allowed range."})
      .key("high", &UncertaintyConfig::high,
           {.unit = "the key's",
            .description = "lognormal and normal: the upper end of the 95% interval; uniform: the highest value. "
                           "The median is the geometric (lognormal) or arithmetic (normal) mid-point. Within the "
                           "key's allowed range."});
  return spec;
}

TableSpec<CostsConfig> costs_spec() {
  TableSpec<CostsConfig> spec;
  spec.key("payers", &CostsConfig::payers,
           {.unit = "",
            .fallback = std::vector<std::string>{"childrens_services", "schools", "health", "police", "housing"},
            .description = "Who pays for services; spend is reported by payer, so a case shows who invests and "
                           "who benefits."})
      .key("universal_cost_per_family_month_gbp", &CostsConfig::universal_cost_per_family_month_gbp,
           {.unit = "GBP per family-month",
            .fallback = std::vector<double>{},
            .bounds = between(0, 1.0e6),
            .description = "Cost of each family at each level a month, outside any service case (universal and "
                           "level-wide services); one entry per level, or none."})
      .key("universal_payer", &CostsConfig::universal_payer,
           {.unit = "",
            .fallback = std::string("childrens_services"),
            .description = "Who pays the universal costs: one of payers."})
      .key("universal_cashable", &CostsConfig::universal_cashable,
           {.unit = "", .fallback = false, .description = "Whether a saving on universal costs releases budget."})
      .key("discount_rate_per_year", &CostsConfig::discount_rate_per_year,
           {.unit = "per year",
            .fallback = 0.035,
            .bounds = between(0, 0.5),
            .description = "Discount rate for present values (HM Treasury Green Book: 3.5% a year for the first "
                           "30 years)."});
  return spec;
}

}  // namespace

const TableSpec<Authority>& authority_spec() {
  static const TableSpec<Authority> spec = [] {
    TableSpec<Authority> root;
    root.key("extends", &Authority::extends,
             {.unit = "path",
              .fallback = std::string(),
              .description = "Configuration this file builds on, relative to this file; its tables are merged "
                             "key by key (inline tables, such as schedules, entry by entry), lists and [[levels]] are "
                             "replaced whole.",
              .emitted = false})
        .key("name", &Authority::name,
             {.unit = "", .fallback = std::string("authority"), .description = "Name of the authority."})
        .key("description", &Authority::description,
             {.unit = "", .fallback = std::string(), .description = "What this configuration represents."})
        .table("simulation", &Authority::simulation, simulation_spec(), "Time horizon, seed and replicates.")
        .table("population", &Authority::population, population_spec(),
               "The synthetic population: families, children, localities, deprivation, arrivals and moves.")
        .table_array("levels", &Authority::levels, level_spec(),
                     "Levels of need from lowest to highest (2 to 8 levels).")
        .named_tables("themes", &Authority::themes, theme_spec(), "Risk themes that drive escalation (at most 16).")
        .table("risk", &Authority::risk, risk_spec(), "How themes and resilience combine into a risk score.")
        .named_tables("jumps", &Authority::jumps, jump_spec(), "Crises that skip levels.")
        .table("identification", &Authority::identification, identification_spec(),
               "How families not known to services come to the front door.")
        .table("front_door", &Authority::front_door, front_door_spec(),
               "The front door (MASH, triage): its capacity and its routes by level.")
        .named_tables("services", &Authority::services, service_spec(),
                      "Services with capacity, waiting lists and efficacy (at most 250).")
        .table("costs", &Authority::costs, costs_spec(), "Payers, universal costs per level, and discounting.")
        .table("reinvestment", &Authority::reinvestment, reinvestment_spec(),
               "Reinvesting a share of the savings on some services in another, year by year.")
        .table_array("uncertainty", &Authority::uncertainty, uncertainty_spec(),
                     "Parameters drawn for each replicate from a distribution (the same draw in every scenario).");
    return root;
  }();
  return spec;
}

namespace {

constexpr double share_tolerance = 1e-6;

std::string entries(std::size_t n) { return std::to_string(n) + (n == 1 ? " entry" : " entries"); }

double sum(const std::vector<double>& values) {
  double total = 0;
  for (const double v : values) total += v;
  return total;
}

bool valid_month(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6})
    if (text[i] < '0' || text[i] > '9') return false;
  const int month = std::stoi(text.substr(5, 2));
  return month >= 1 && month <= 12;
}

// A mixture of episode lengths: shares and means that match, adding up to 1,
// with the mean the file states.
template <class Fail>
void check_duration_mix(const ServiceConfig& service, const std::string& key, const Fail& fail) {
  const auto& shares = service.duration_mix_shares;
  const auto& means = service.duration_mix_means_months;
  if (shares.empty() && means.empty()) return;
  if (shares.size() != means.size()) {
    fail(key + ".duration_mix_means_months",
         "has " + entries(means.size()) + " but duration_mix_shares has " + entries(shares.size()));
    return;
  }
  if (shares.size() > 4) fail(key + ".duration_mix_shares", "at most 4 kinds of episode");
  if (std::abs(sum(shares) - 1.0) > share_tolerance)
    fail(key + ".duration_mix_shares", "shares add up to " + format_number(sum(shares)) + ", not 1");
  double mean = 0;
  for (std::size_t c = 0; c < shares.size(); ++c) mean += shares[c] * means[c];
  if (std::abs(mean / service.duration_mean_months - 1) > 0.02)
    fail(key + ".duration_mean_months", format_number(service.duration_mean_months) +
                                            " months differs from the mean of the mixture, " + format_number(mean) +
                                            " (duration_mix_shares x duration_mix_means_months); make them agree");
}

// A placement mix: the same placement types in shares and costs, shares
// adding up to 1, costed per child, instead of a cost per case-month.
template <class Fail>
void check_placements(const ServiceConfig& service, const std::string& key, const Fail& fail) {
  const auto& shares = service.placement_shares;
  const auto& costs = service.placement_cost_per_child_month_gbp;
  if (shares.empty() && costs.empty()) return;
  for (const auto& [type, share] : shares)
    if (costs.count(type) == 0)
      fail(key + ".placement_cost_per_child_month_gbp", "has no cost for placement type '" + type + "'");
  for (const auto& [type, cost] : costs)
    if (shares.count(type) == 0) fail(key + ".placement_shares", "has no share for placement type '" + type + "'");
  double total = 0;
  for (const auto& [type, share] : shares) total += share;
  if (std::abs(total - 1.0) > share_tolerance)
    fail(key + ".placement_shares", "shares add up to " + format_number(total) + ", not 1");
  if (!service.cost_per_child)
    fail(key + ".placement_shares", "a placement mix is costed per child: set cost_per_child = true");
  if (service.cost_per_case_month_gbp != 0)
    fail(key + ".cost_per_case_month_gbp",
         "give either a cost per case-month or a placement mix (placement_shares and its costs), not both");
}

// Months since year 0, for comparing "YYYY-MM" months.
int month_index(const std::string& text) {
  return std::stoi(text.substr(0, 4)) * 12 + std::stoi(text.substr(5, 2)) - 1;
}

// A schedule's months: written "YYYY-MM" and within the run, burn-in included.
template <class Fail>
void check_schedule_months(const std::map<std::string, double>& schedule, const std::string& key,
                           const SimulationConfig& simulation, const Fail& fail) {
  for (const auto& [month, value] : schedule) {
    if (!valid_month(month)) {
      fail(key, "'" + month + "' is not a month written \"YYYY-MM\"");
      continue;
    }
    if (!valid_month(simulation.start_month)) continue;
    const int index = month_index(month) - month_index(simulation.start_month);
    if (index < -simulation.burn_in_months || index >= simulation.months)
      fail(key, "'" + month + "' is outside the run (" + std::to_string(simulation.burn_in_months) +
                    " months of burn-in before " + simulation.start_month + ", then " +
                    std::to_string(simulation.months) + " months)");
  }
}

// A capacity held per locality must give every locality a place, or its
// families wait for good. The first capacity that cannot is reported.
template <class Fail>
void check_locality_places(const ServiceConfig& service, const std::string& key, const PopulationConfig& population,
                           const Fail& fail) {
  const auto gives_none = [&](std::int64_t cases, const std::string& where) {
    const auto split = apportion(cases, population.locality_shares);
    for (std::size_t l = 0; l < split.size(); ++l) {
      if (split[l] > 0 || population.locality_shares[l] <= 0) continue;
      fail(where, std::to_string(cases) + " cases held per locality give '" + population.locality_names[l] +
                      "' no place, so its families would wait for good; give more cases or hold them borough wide");
      return true;
    }
    return false;
  };
  if (service.capacity_cases > 0 && gives_none(service.capacity_cases, key + ".capacity_cases")) return;
  for (const auto& [month, cases] : service.capacity_from_month)
    if (cases > 0 && gives_none(static_cast<std::int64_t>(cases), key + ".capacity_from_month")) return;
}

}  // namespace

void check_consistency(const Authority& authority, ParseContext& ctx) {
  const auto fail = [&ctx](const std::string& key, std::string message) {
    ctx.error(ctx.position(key), key, std::move(message));
  };
  const auto check_shares = [&](const std::string& key, const std::vector<double>& shares) {
    if (!shares.empty() && std::abs(sum(shares) - 1.0) > share_tolerance)
      fail(key, "shares add up to " + format_number(sum(shares)) + ", not 1");
  };

  if (!valid_month(authority.simulation.start_month))
    fail("simulation.start_month", "expected a month as \"YYYY-MM\", got \"" + authority.simulation.start_month + "\"");

  const auto& population = authority.population;
  if (population.children_per_family_shares.empty() || population.children_per_family_shares.size() > 4)
    fail("population.children_per_family_shares", "needs 1 to 4 entries (families with 1, 2, 3, 4 children)");
  check_shares("population.children_per_family_shares", population.children_per_family_shares);
  if (population.locality_names.empty()) fail("population.locality_names", "needs at least one locality");
  if (population.locality_names.size() > 255) fail("population.locality_names", "at most 255 localities");
  if (population.locality_shares.size() != population.locality_names.size())
    fail("population.locality_shares", "has " + entries(population.locality_shares.size()) + " but there are " +
                                           std::to_string(population.locality_names.size()) + " localities");
  check_shares("population.locality_shares", population.locality_shares);
  std::set<std::string> localities;
  for (const auto& locality : population.locality_names)
    if (!localities.insert(locality).second) fail("population.locality_names", "'" + locality + "' appears twice");
  if (population.deprivation_quintile_shares.size() != 5)
    fail("population.deprivation_quintile_shares", "needs 5 entries, one per quintile");
  // Families are held in memory: the projection's largest month must fit, or
  // a run would grow until the memory is gone.
  if (population.arrivals && population.growth_per_year > 0) {
    const double projected =
        static_cast<double>(population.families) *
        std::pow(1 + population.growth_per_year, static_cast<double>(authority.simulation.months) / 12);
    if (projected > limits::max_projected_families)
      fail("population.growth_per_year", "projects " + format_number(std::round(projected)) +
                                             " families by the last of " + std::to_string(authority.simulation.months) +
                                             " months; at most " + format_number(limits::max_projected_families) +
                                             " can be simulated: use a lower growth, fewer months or fewer families");
  }
  check_shares("population.deprivation_quintile_shares", population.deprivation_quintile_shares);

  const auto& levels = authority.levels;
  if (levels.size() < 2 || levels.size() > static_cast<std::size_t>(max_levels))
    fail("levels", "needs 2 to " + std::to_string(max_levels) + " [[levels]], found " + std::to_string(levels.size()));
  std::set<std::string> level_names;
  std::vector<double> level_shares;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const std::string key = "levels[" + std::to_string(k) + "]";
    if (!is_identifier(levels[k].name))
      fail(key + ".name", "names use lower-case letters, digits and underscores, starting with a letter");
    if (!level_names.insert(levels[k].name).second) fail(key + ".name", "'" + levels[k].name + "' appears twice");
    level_shares.push_back(levels[k].initial_share);
    if (k + 1 == levels.size() && levels[k].up_hazard_per_month != 0)
      fail(key + ".up_hazard_per_month", "must be 0 on the top level");
    if (k == 0 && levels[k].down_hazard_per_month != 0)
      fail(key + ".down_hazard_per_month", "must be 0 on the bottom level");
  }
  if (!levels.empty() && std::abs(sum(level_shares) - 1.0) > share_tolerance)
    fail("levels", "initial_share of the levels adds up to " + format_number(sum(level_shares)) + ", not 1");

  const auto& themes = authority.themes;
  if (themes.size() > static_cast<std::size_t>(max_themes))
    fail("themes", "at most " + std::to_string(max_themes) + " themes, found " + std::to_string(themes.size()));
  std::set<std::string> theme_names;
  for (const auto& theme : themes) theme_names.insert(theme.name);
  for (const auto& theme : themes) {
    const std::string key = "themes." + theme.name;
    if (theme.prevalence_by_level.size() != levels.size())
      fail(key + ".prevalence_by_level", "has " + entries(theme.prevalence_by_level.size()) + " but there are " +
                                             std::to_string(levels.size()) + " levels");
    for (const auto& [other, multiplier] : theme.onset_multiplier_if_active)
      if (theme_names.count(other) == 0) fail(key + ".onset_multiplier_if_active", "'" + other + "' is not a theme");
    check_schedule_months(theme.onset_multiplier_from_month, key + ".onset_multiplier_from_month", authority.simulation,
                          fail);
  }

  const auto& risk = authority.risk;
  if (risk.onset_multiplier_by_deprivation.size() != 5)
    fail("risk.onset_multiplier_by_deprivation", "needs 5 entries, one per quintile");
  for (const auto& interaction : risk.interactions) {
    const std::string key = "risk.interactions." + interaction.name + ".themes";
    if (interaction.themes.size() < 2) fail(key, "needs at least two themes");
    for (const auto& theme : interaction.themes)
      if (theme_names.count(theme) == 0) fail(key, "'" + theme + "' is not a theme");
  }

  const auto level_index = [&levels](const std::string& name) -> int {
    for (std::size_t k = 0; k < levels.size(); ++k)
      if (levels[k].name == name) return static_cast<int>(k);
    return -1;
  };
  std::vector<int> jumps_from(levels.size(), 0);
  for (const auto& jump : authority.jumps) {
    const std::string key = "jumps." + jump.name;
    const int from = level_index(jump.from_level);
    if (from >= 0 && ++jumps_from[static_cast<std::size_t>(from)] == max_jumps_per_level + 1)
      fail(key + ".from_level", "at most " + std::to_string(max_jumps_per_level) + " jumps from one level");
    const int to = level_index(jump.to_level);
    if (from < 0) fail(key + ".from_level", "'" + jump.from_level + "' is not a level");
    if (to < 0) fail(key + ".to_level", "'" + jump.to_level + "' is not a level");
    if (from >= 0 && to >= 0 && to < from + 2)
      fail(key + ".to_level", "a jump must skip at least one level upwards; use up_hazard_per_month for one step");
    if (!jump.theme.empty() && theme_names.count(jump.theme) == 0)
      fail(key + ".theme", "'" + jump.theme + "' is not a theme");
  }

  // Services, the front door and identification.
  const auto& services = authority.services;
  if (services.size() > static_cast<std::size_t>(max_services))
    fail("services", "at most " + std::to_string(max_services) + " services, found " + std::to_string(services.size()));
  const auto find_service = [&services](const std::string& name) {
    return std::find_if(services.begin(), services.end(), [&](const ServiceConfig& s) { return s.name == name; });
  };
  for (const auto& service : services) {
    const std::string key = "services." + service.name;
    if (service.levels.empty()) fail(key + ".levels", "needs at least one level");
    std::vector<int> served;
    for (const auto& level : service.levels) {
      if (level_index(level) < 0) fail(key + ".levels", "'" + level + "' is not a level");
      served.push_back(level_index(level));
    }
    std::sort(served.begin(), served.end());
    for (std::size_t l = 1; l < served.size(); ++l)
      if (served[l] != served[l - 1] + 1)
        fail(key + ".levels", "must be consecutive levels, with none skipped (a family moves one level at a time)");
    for (const auto& [theme, multiplier] : service.remission_multiplier)
      if (theme_names.count(theme) == 0) fail(key + ".remission_multiplier", "'" + theme + "' is not a theme");
    for (const auto& theme : service.themes)
      if (theme_names.count(theme) == 0) fail(key + ".themes", "'" + theme + "' is not a theme");
    check_duration_mix(service, key, fail);
    check_placements(service, key, fail);
    if (service.statutory()) {
      // Keys a statutory service would silently ignore are mistakes.
      const std::string kind(name_of(service.kind));
      if (service.capacity_cases != 0 || !service.capacity_from_month.empty() || service.capacity_by_locality)
        fail(key + (service.capacity_cases != 0    ? ".capacity_cases"
                    : service.capacity_by_locality ? ".capacity_by_locality"
                                                   : ".capacity_from_month"),
             "a " + kind + " service is statutory: it takes every case routed to it, so it has no capacity");
      if (service.consent_probability != 1)
        fail(key + ".consent_probability",
             "a " + kind + " service is statutory: families do not choose whether to take part");
    }
    check_schedule_months(service.capacity_from_month, key + ".capacity_from_month", authority.simulation, fail);
    for (const auto& [month, cases] : service.capacity_from_month)
      if (valid_month(month) && cases != std::floor(cases))
        fail(key + ".capacity_from_month", format_number(cases) + " cases from " + month + " is not a whole number");
    if (service.capacity_by_locality && population.locality_shares.size() == population.locality_names.size())
      check_locality_places(service, key, population, fail);
  }
  for (const auto& service : services) {
    if (service.step_down_to.empty()) continue;
    const std::string key = "services." + service.name + ".step_down_to";
    const auto target = find_service(service.step_down_to);
    int lowest = static_cast<int>(levels.size());
    for (const auto& level : service.levels)
      if (level_index(level) >= 0) lowest = std::min(lowest, level_index(level));
    if (target == services.end()) {
      fail(key, "'" + service.step_down_to + "' is not a service");
    } else if (!service.statutory()) {
      fail(key, "only social care (children_in_need, child_protection, children_in_care) steps families down; '" +
                    service.name + "' is " + std::string(name_of(service.kind)));
    } else if (target->statutory()) {
      fail(key, "'" + service.step_down_to + "' is " + std::string(name_of(target->kind)) +
                    ": step-down from social care goes to an early help, targeted or intensive service");
    } else if (lowest == 0) {
      fail(key, "the service works with the lowest level, so no family steps down below it");
    } else if (lowest < static_cast<int>(levels.size())) {
      const auto& below = levels[static_cast<std::size_t>(lowest - 1)].name;
      if (std::find(target->levels.begin(), target->levels.end(), below) == target->levels.end())
        fail(key, "'" + service.step_down_to + "' does not work with level '" + below +
                      "', where families stepping down from '" + service.name + "' arrive");
    }
  }
  const auto& payers = authority.costs.payers;
  if (payers.empty()) fail("costs.payers", "needs at least one payer");
  const auto is_payer = [&payers](const std::string& name) {
    return std::find(payers.begin(), payers.end(), name) != payers.end();
  };
  for (const auto& service : services)
    if (!is_payer(service.payer))
      fail("services." + service.name + ".payer", "'" + service.payer + "' is not one of costs.payers");
  if (!is_payer(authority.costs.universal_payer))
    fail("costs.universal_payer", "'" + authority.costs.universal_payer + "' is not one of costs.payers");
  const auto& universal = authority.costs.universal_cost_per_family_month_gbp;
  if (!universal.empty() && universal.size() != levels.size())
    fail("costs.universal_cost_per_family_month_gbp",
         "has " + entries(universal.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  const auto& identification = authority.identification.probability_by_level;
  if (!identification.empty() && identification.size() != levels.size())
    fail("identification.probability_by_level",
         "has " + entries(identification.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  for (const auto& [theme, multiplier] : authority.identification.theme_multiplier)
    if (theme_names.count(theme) == 0) fail("identification.theme_multiplier", "'" + theme + "' is not a theme");
  const auto& after_closure = authority.identification.after_closure_ratio_by_level;
  if (!after_closure.empty() && after_closure.size() != levels.size())
    fail("identification.after_closure_ratio_by_level",
         "has " + entries(after_closure.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  // Multipliers on an identification that is not there would silently do
  // nothing; to identify no family, the probabilities are given as zeros.
  if (identification.empty()) {
    const std::string why =
        "has nothing to multiply: identification.probability_by_level is empty; give it, or to identify no family "
        "give it as zeros (0.0 for each level)";
    if (!authority.identification.theme_multiplier.empty()) fail("identification.theme_multiplier", why);
    if (!after_closure.empty()) fail("identification.after_closure_ratio_by_level", why);
  }
  const auto& rules = authority.front_door.routes;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const std::string key = "front_door.routes[" + std::to_string(r) + "]";
    const auto service = find_service(rules[r].service);
    if (service == services.end()) fail(key + ".service", "'" + rules[r].service + "' is not a service");
    if (rules[r].levels.empty()) fail(key + ".levels", "needs at least one level");
    for (const auto& level : rules[r].levels) {
      if (level_index(level) < 0) {
        fail(key + ".levels", "'" + level + "' is not a level");
      } else if (service != services.end() &&
                 std::find(service->levels.begin(), service->levels.end(), level) == service->levels.end()) {
        fail(key + ".levels",
             "routes level '" + level + "' to '" + rules[r].service + "', which does not work with that level");
      }
    }
  }
  // A rule is never used when, at each of its levels, earlier rules already
  // take every family it would: one whose service targets no themes takes
  // everyone; themed ones take the families with their themes. (Unknown
  // services and levels are reported above, so such rules are skipped.)
  struct Routing {
    bool known = false;               // its service and levels exist
    std::vector<std::size_t> levels;  // indices
    std::set<std::string> themes;     // its service's; empty: everyone
  };
  std::vector<Routing> routing;
  for (const auto& rule : rules) {
    Routing& r = routing.emplace_back();
    const auto service = find_service(rule.service);
    r.known = service != services.end() && !rule.levels.empty();
    if (r.known) r.themes.insert(service->themes.begin(), service->themes.end());
    for (const auto& level : rule.levels) {
      if (level_index(level) < 0)
        r.known = false;
      else
        r.levels.push_back(static_cast<std::size_t>(level_index(level)));
    }
  }
  const auto takes_some_of = [](const Routing& earlier, const Routing& later) {
    const bool shares_level = std::any_of(earlier.levels.begin(), earlier.levels.end(), [&](std::size_t k) {
      return std::find(later.levels.begin(), later.levels.end(), k) != later.levels.end();
    });
    const bool shares_families = earlier.themes.empty() || later.themes.empty() ||
                                 std::any_of(earlier.themes.begin(), earlier.themes.end(),
                                             [&](const std::string& t) { return later.themes.count(t) > 0; });
    return earlier.known && shares_level && shares_families;
  };
  std::vector<bool> everyone(levels.size(), false);         // by level: an earlier rule takes every family
  std::vector<std::set<std::string>> taken(levels.size());  // by level: themes earlier rules take
  for (std::size_t r = 0; r < routing.size(); ++r) {
    const Routing& rule = routing[r];
    if (!rule.known) continue;
    const bool hidden = std::all_of(rule.levels.begin(), rule.levels.end(), [&](std::size_t k) {
      return everyone[k] || (!rule.themes.empty() &&
                             std::includes(taken[k].begin(), taken[k].end(), rule.themes.begin(), rule.themes.end()));
    });
    if (hidden) {
      std::string earlier;
      for (std::size_t q = 0; q < r; ++q)
        if (takes_some_of(routing[q], rule))
          earlier += (earlier.empty() ? "" : ", ") + std::string("front_door.routes[") + std::to_string(q) + "] ('" +
                     rules[q].service + "')";
      fail("front_door.routes[" + std::to_string(r) + "]",
           "is never used: every family it would route goes first to " + earlier + "; put it before them");
    }
    for (const std::size_t k : rule.levels) {
      everyone[k] = everyone[k] || rule.themes.empty();
      taken[k].insert(rule.themes.begin(), rule.themes.end());
    }
  }
  const auto& routes = authority.front_door.route_by_level;
  if (!routes.empty() && routes.size() != levels.size())
    fail("front_door.route_by_level",
         "has " + entries(routes.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  if ((!routes.empty() || !rules.empty()) && authority.front_door.triage_capacity_per_month == 0)
    fail("front_door.triage_capacity_per_month",
         "is 0, so no referral would ever be decided; give the referrals the front door decides a month");
  if (!identification.empty() && routes.empty() && rules.empty())
    fail("front_door.route_by_level", "families are referred (identification) but the front door has no routes");
  for (std::size_t k = 0; k < std::min(routes.size(), levels.size()); ++k) {
    if (routes[k].empty()) continue;
    const auto service = find_service(routes[k]);
    if (service == services.end()) {
      fail("front_door.route_by_level", "'" + routes[k] + "' is not a service");
    } else if (std::find(service->levels.begin(), service->levels.end(), levels[k].name) == service->levels.end()) {
      fail("front_door.route_by_level",
           "routes level '" + levels[k].name + "' to '" + routes[k] + "', which does not work with that level");
    } else if (!service->themes.empty()) {
      fail("front_door.route_by_level", "routes level '" + levels[k].name + "' to '" + routes[k] +
                                            "', which targets themes; route to it with a rule in front_door.routes");
    }
  }

  // Reinvestment.
  const auto& reinvestment = authority.reinvestment;
  if (reinvestment.share > 0) {
    if (reinvestment.from_services.empty())
      fail("reinvestment.from_services", "names no service whose saving would be reinvested");
    for (const auto& name : reinvestment.from_services)
      if (find_service(name) == services.end()) fail("reinvestment.from_services", "'" + name + "' is not a service");
    const auto target = find_service(reinvestment.to_service);
    if (target == services.end())
      fail("reinvestment.to_service", "'" + reinvestment.to_service + "' is not a service");
    else if (target->statutory())
      fail("reinvestment.to_service", "'" + reinvestment.to_service + "' is statutory: it has no capacity to add to");
    else if (target->cost_per_child)
      fail("reinvestment.to_service",
           "'" + reinvestment.to_service + "' is costed per child, so a case has no set price to buy capacity with");
    else if (target->cost_per_case_month_gbp < 0.005)  // less than a penny a case-month
      fail("reinvestment.to_service",
           "'" + reinvestment.to_service + "' costs nothing a case-month, so money cannot buy it capacity");
  }

  // Parameter uncertainty (whether each key exists is checked on loading).
  for (std::size_t u = 0; u < authority.uncertainty.size(); ++u) {
    const auto& spec = authority.uncertainty[u];
    const std::string key = "uncertainty[" + std::to_string(u) + "]";
    if (!(spec.high > spec.low)) fail(key + ".high", "needs high above low (" + format_number(spec.low) + ")");
    if (spec.distribution == Distribution::lognormal && spec.low <= 0)
      fail(key + ".low", "a lognormal distribution needs low above 0");
  }
}

std::vector<std::string> unreachable_services(const Authority& authority) {
  std::set<std::string> reached(authority.front_door.route_by_level.begin(), authority.front_door.route_by_level.end());
  for (const auto& route : authority.front_door.routes) reached.insert(route.service);
  for (const auto& service : authority.services) reached.insert(service.step_down_to);
  std::vector<std::string> unreached;
  for (const auto& service : authority.services)
    if (reached.count(service.name) == 0) unreached.push_back(service.name);
  return unreached;
}

}  // namespace ehsim::config

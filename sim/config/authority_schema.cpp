// Every configuration key of an authority, declared once: name, type, unit,
// default, range and description. The checks that involve several keys are
// in consistency.cpp.
#include "config/authority_schema.hpp"

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
                           "9 months to 10 years old."})
      .key("capacity_reference_families", &PopulationConfig::capacity_reference_families,
           {.unit = "families",
            .fallback = std::int64_t{0},
            .bounds = between(0, 1e8),
            .description = "The number of families the capacities (services' capacity_cases and "
                           "capacity_from_month, front_door.triage_capacity_per_month) and "
                           "reinvestment.budget_gbp_per_year are stated for. When families differs, each is scaled "
                           "by families / capacity_reference_families (a capacity to the nearest case, at least 1 "
                           "where stated above 0), so that an authority of another size keeps the same capacity per "
                           "family. An overlay that states capacities of its own sets this to its own families "
                           "(ehsim warns when it does not). 0: capacities and budgets are absolute, whatever the "
                           "number of families."});
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
      .key("youngest_age_years", &ServiceConfig::youngest_age_years,
           {.unit = "years",
            .fallback = std::vector<double>{},
            .bounds = between(0, 18),
            .description =
                "Ages of the family's youngest child the service takes, [from, below), e.g. [0, 5] for an "
                "under-fives team: the front door routes a family to it (by a rule, or as its level's route) only "
                "when its youngest child is at least `from` and under `below` years old; a family no rule can "
                "take by age, and whose level's route does not take it either, ends with no further action. "
                "Empty: any age. Not for statutory services; step-down from social care does not look at it."})
      .key("open_from_month", &ServiceConfig::open_from_month,
           {.unit = "YYYY-MM",
            .fallback = std::string(),
            .description = "The month a service an option adds opens: before it the front door routes no one to "
                           "it (its rules are passed over; as a level's route, the referral ends with no further "
                           "action) and no step-down goes to it. Statutory services too. Empty: open from the "
                           "start. A month within the run, burn-in included."})
      .key("open_until_month", &ServiceConfig::open_until_month,
           {.unit = "YYYY-MM",
            .fallback = std::string(),
            .description = "The month from which the service takes no new families, as before open_from_month; "
                           "its open cases run to their end and families already on its waiting list are still "
                           "admitted. Empty: open to the end of the run."})
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
      .key("completion_ratio_from_months_open", &ServiceConfig::completion_ratio_from_months_open,
           {.unit = "ratio",
            .fallback = std::map<std::string, double>{},
            .bounds = between(0, 100),
            .description = "Exits that depend on time already spent: months open -> ratio on the hazard that the "
                           "work completes, from that month of the case on (e.g. { \"3\" = 0.5, \"12\" = 0.25 }: "
                           "half as likely to complete from the third month, a quarter from the twelfth), so that "
                           "lengths need not be geometric and can have a long tail. Keys are whole months from 1; "
                           "before the first, 1. Empty: the hazard does not depend on time open. duration_mean_months "
                           "is then the mean before any ratio."})
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
      .key("completion_step_down_probability", &ServiceConfig::completion_step_down_probability,
           {.unit = "share of cases",
            .fallback = 0.0,
            .bounds = probability(),
            .description = "Chance that a case closing at the end of its planned work (needs met) also moves the "
                           "family down one level that month, in place of that month's level move: the step-down "
                           "the seed authorities describe when a plan ends with its outcomes achieved (below the "
                           "service's levels, the family goes on to its step_down_to). 0: the family stays at its "
                           "level and only the after-effect carries the work on."})
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
      .key("contract", &ServiceConfig::contract,
           {.unit = "",
            .fallback = Contract::spot,
            .description = "spot (paid per open case) or block (paid per place: each place of capacity_cases, and "
                           "each place reinvestment buys, costs cost_per_case_month_gbp in every month the service "
                           "is open to new families, filled or not). A case still open after open_until_month is "
                           "paid per case. Not for statutory services, which have no places."})
      .key("price_year", &ServiceConfig::price_year,
           {.unit = "",
            .fallback = std::string(),
            .description = "The year whose prices its costs are stated in, if not costs.price_year: converted to "
                           "costs.price_year by costs.price_index, which must hold both."})
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
      .key("transfer_to", &ServiceConfig::transfer_to,
           {.unit = "",
            .fallback = std::string(),
            .description = "Social care only: another social care service an open case moves to at "
                           "transfer_hazard_per_month while the family stays at its level (a child protection plan "
                           "that ends with the child coming into care). The case closes as transferred and the "
                           "family is admitted to that service the same month, without a referral to the front "
                           "door. That service must work with every level of this one. \"\": none."})
      .key("transfer_hazard_per_month", &ServiceConfig::transfer_hazard_per_month,
           {.unit = "per month",
            .fallback = 0.0,
            .bounds = between(0, 1),
            .description = "Hazard that an open case moves to transfer_to, competing with completion and dropout "
                           "(evidence §6: child protection to care about 0.028 a month). 0: no transfers (so a sweep "
                           "or an option can turn them off); above 0 needs transfer_to."})
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
            .description = "lognormal (for ratios), normal, uniform, or sample (one of values, drawn jointly with "
                           "every other sample key). A lognormal or normal draw outside the key's allowed range is "
                           "replaced by one from the distribution truncated to that range."})
      .key("low", &UncertaintyConfig::low,
           {.unit = "the key's",
            .fallback = 0.0,
            .description = "lognormal and normal: the lower end of the 95% interval (e.g. of an evidence "
                           "estimate); uniform: the lowest value. Within the key's allowed range."})
      .key("high", &UncertaintyConfig::high,
           {.unit = "the key's",
            .fallback = 0.0,
            .description = "lognormal and normal: the upper end of the 95% interval; uniform: the highest value. "
                           "The median is the geometric (lognormal) or arithmetic (normal) mid-point. Within the "
                           "key's allowed range."})
      .key("values", &UncertaintyConfig::values,
           {.unit = "the key's",
            .fallback = std::vector<double>{},
            .description = "sample: the values, one per row of a joint sample; every sample key lists as many, and "
                           "each replicate takes the same row of all of them (the rows of a calibration's "
                           "plausible sets). Within the key's allowed range."});
  return spec;
}

TableSpec<PartnerCostConfig> partner_cost_spec() {
  TableSpec<PartnerCostConfig> spec;
  spec.key("label", &PartnerCostConfig::label,
           {.unit = "", .fallback = std::string(), .description = "Name shown in outputs; the table's name if empty."})
      .key("basis", &PartnerCostConfig::basis,
           {.unit = "",
            .description = "What the cost is charged on: theme_month (each family-month with `theme` active), "
                           "theme_onset (each family in which `theme` starts: an event such as an exclusion, where a "
                           "theme stands for it), level_month (each family-month at `level`), escalation (each family "
                           "moving up, to "
                           "`level` or, with 0, to any higher level) or care_entry (each child entering a "
                           "children_in_care service)."})
      .key("theme", &PartnerCostConfig::theme,
           {.unit = "",
            .fallback = std::string(),
            .description = "theme_month and theme_onset: the theme; otherwise empty."})
      .key("level", &PartnerCostConfig::level,
           {.unit = "",
            .fallback = std::int64_t{0},
            .bounds = between(0, 16),
            .description = "level_month: the level (1 = the lowest); escalation: the level moved to, 0 for any; "
                           "otherwise 0."})
      .key("cost_gbp", &PartnerCostConfig::cost_gbp,
           {.unit = "GBP per family-month, family or child",
            .bounds = between(0, 1.0e7),
            .description = "The cost of each family-month, family whose theme starts, escalating family or child "
                           "entering care."})
      .key("value", &PartnerCostConfig::value,
           {.unit = "",
            .fallback = CostValue::fiscal,
            .description = "fiscal (a partner agency's spend, paid by `payer`), economic (lost output) or social "
                           "(wellbeing): the Green Book's accounts, never added together."})
      .key("payer", &PartnerCostConfig::payer,
           {.unit = "",
            .fallback = std::string(),
            .description = "fiscal: who pays, one of costs.payers; economic and social: empty (no one's budget)."})
      .key("cashable", &PartnerCostConfig::cashable,
           {.unit = "", .fallback = false, .description = "fiscal: whether avoiding it releases the payer's budget."})
      .key("source", &PartnerCostConfig::source,
           {.unit = "",
            .fallback = std::string(),
            .description = "Where the figure comes from and its price year, shown with it in the report."})
      .key("price_year", &PartnerCostConfig::price_year,
           {.unit = "",
            .fallback = std::string(),
            .description = "The year whose prices cost_gbp is stated in, if not costs.price_year: converted to "
                           "costs.price_year by costs.price_index, which must hold both."});
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
                           "30 years)."})
      .key("optimism_bias_cost_uplift", &CostsConfig::optimism_bias_cost_uplift,
           {.unit = "share",
            .fallback = 0.0,
            .bounds = between(0, 3),
            .description =
                "Optimism bias (HM Treasury Green Book supplementary guidance): in the adjusted view of "
                "an option, a rise in spend on its own lines, and one on every other line, each raised by this share "
                "(two totals, not line by line, so that a relabelled case is not penalised twice); 0.41 "
                "is the upper bound for outsourced running costs. The headline figures are never "
                "adjusted."})
      .key("optimism_bias_saving_reduction", &CostsConfig::optimism_bias_saving_reduction,
           {.unit = "share",
            .fallback = 0.0,
            .bounds = between(0, 1),
            .description =
                "Optimism bias on benefits: in the adjusted view, a fall in spend on the option's own lines (a cut's "
                "saving) or on every other line (a saving "
                "elsewhere, or a cut's own saving) lowered by this share."})
      .key("price_year", &CostsConfig::price_year,
           {.unit = "",
            .fallback = std::string(),
            .description = "The prices every cost is stated in and every output figure is given in (real terms), "
                           "e.g. \"2024-25\"; shown with the figures. A service or partner's line stated in "
                           "another year's prices names that year in its own price_year."})
      .key("price_index", &CostsConfig::price_index,
           {.unit = "index",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{0, 1.0e6, true},
            .description = "A price index by year (e.g. the GDP deflator), { \"2016-17\" = 80.6, \"2024-25\" = "
                           "100 }: a cost stated in year y's prices is multiplied by index[price_year] / "
                           "index[y]. Needs price_year and every year a line names."})
      .key("real_price_growth_per_year", &CostsConfig::real_price_growth_per_year,
           {.unit = "per year",
            .fallback = std::map<std::string, double>{},
            .bounds = Bounds{-0.2, 0.2},
            .description = "By payer, how much faster than prices in general its costs rise a year, from the "
                           "start month (the relative price effect, e.g. { childrens_services = 0.02 } for "
                           "placements outpacing inflation): a cost in month m is its price_year cost times "
                           "(1 + g)^(m / 12), to the penny. Still real terms; payers not named: 0. Fiscal partners' "
                           "lines follow their payer."})
      .named_tables("partners", &CostsConfig::partners, partner_cost_spec(),
                    "Costs borne outside the services: partner agencies' spend, lost output and wellbeing, each "
                    "counted apart from spend.");
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
        .key("kind", &Authority::kind,
             {.unit = "",
              .fallback = ScenarioKind::option,
              .description = "What a scenario overlay is: option (a commissioning decision: compared with the "
                             "baseline for its investment, savings and return) or future (a change in demand or "
                             "the world: its changes are projections, never an investment or a return)."})
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

}  // namespace ehsim::config

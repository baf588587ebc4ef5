// Configurations with services for the engine's tests: the small default
// authority with an early help offer, an intensive family service and
// statutory child protection behind a front door, with or without money, and
// with a themed service and step-down from child protection.
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "engine/run_result.hpp"
#include "support.hpp"

namespace ehsim::testing {

inline config::ServiceConfig service(std::string name, std::vector<std::string> levels, std::int64_t capacity,
                                     double duration, double up, double down) {
  config::ServiceConfig s;
  s.name = std::move(name);
  s.levels = std::move(levels);
  s.kind = config::ServiceKind::early_help;
  s.capacity_cases = capacity;
  s.duration_mean_months = duration;
  s.consent_probability = 0.85;
  s.dropout_hazard_per_month = 0.02;
  s.escalation_hazard_ratio = up;
  s.de_escalation_hazard_ratio = down;
  s.effect_half_life_months = 6;
  s.payer = "childrens_services";
  return s;
}

// The small default authority with an early help offer, an intensive family
// service and statutory child protection behind a front door.
inline config::Authority with_services(std::int64_t intensive_capacity = 20, double ratio_scale = 1.0) {
  config::Authority authority = dynamics_only(small_default(6000, 36));
  authority.population.capacity_reference_families = 0;  // the capacities below are this authority's own
  authority.identification.probability_by_level = {0.0, 0.05, 0.15, 0.4};
  authority.front_door.triage_capacity_per_month = 120;
  authority.front_door.route_by_level = {"", "early_help", "intensive_family", "child_protection"};
  authority.front_door.waiting_escalation_hazard_ratio = 1.0 + 0.2 * ratio_scale;
  authority.services = {
      service("child_protection", {"acute"}, 0, 10, 1.0, 1.0),
      service("early_help", {"additional"}, 60, 6, 1 - 0.2 * ratio_scale, 1 + 0.5 * ratio_scale),
      service("intensive_family", {"complex"}, intensive_capacity, 12, 1 - 0.5 * ratio_scale, 1 + 0.5 * ratio_scale)};
  authority.services[0].kind = config::ServiceKind::child_protection;
  authority.services[0].consent_probability = 1.0;
  authority.services[2].kind = config::ServiceKind::intensive;
  config::validate(authority);
  return authority;
}

inline std::size_t index_of(const config::Authority& authority, const std::string& name) {
  for (std::size_t s = 0; s < authority.services.size(); ++s)
    if (authority.services[s].name == name) return s;
  FAIL("no service " << name);
  return 0;
}

// with_services(), with money: universal costs by level, services costing per
// case-month (early help paid by health, not cashable) and per child.
inline config::Authority with_costs() {
  config::Authority authority = with_services();
  authority.costs.universal_cost_per_family_month_gbp = {10.0, 50.0, 200.0, 1000.5};
  auto& early_help = authority.services[index_of(authority, "early_help")];
  early_help.cost_per_case_month_gbp = 300.25;
  early_help.start_cost_gbp = 150;
  early_help.payer = "health";
  early_help.cashable = false;
  auto& intensive = authority.services[index_of(authority, "intensive_family")];
  intensive.cost_per_case_month_gbp = 2000;
  intensive.start_cost_gbp = 500;
  auto& protection = authority.services[index_of(authority, "child_protection")];
  protection.cost_per_case_month_gbp = 1300;
  protection.cost_per_child = true;
  config::validate(authority);
  return authority;
}

// with_costs(), plus a domestic abuse service that takes level 2 families
// with domestic abuse (a routing rule), and child protection stepping down to
// the intensive family service.
inline config::Authority with_routes_and_step_down() {
  config::Authority authority = with_costs();
  auto abuse = service("domestic_abuse_service", {"additional"}, 30, 6, 0.8, 1.3);
  abuse.themes = {"domestic_abuse"};
  abuse.remission_multiplier = {{"domestic_abuse", 1.5}};
  authority.services.push_back(abuse);
  authority.front_door.routes = {{{"additional"}, "domestic_abuse_service"}};
  auto& protection = authority.services[index_of(authority, "child_protection")];
  protection.de_escalation_hazard_ratio = 2.0;  // more families step down while on a plan
  protection.step_down_to = "intensive_family";
  config::validate(authority);
  return authority;
}

// with_services(), plus statutory care at level 4 that child protection
// transfers its cases to at `hazard` a month: care is reached by transfers
// only.
inline config::Authority with_transfer_to_care(double hazard = 0.05) {
  config::Authority authority = with_services();
  auto care = service("care", {"acute"}, 0, 30, 1.0, 0.9);
  care.kind = config::ServiceKind::children_in_care;
  care.consent_probability = 1.0;
  care.dropout_hazard_per_month = 0;
  authority.services.push_back(care);
  auto& protection = authority.services[index_of(authority, "child_protection")];
  protection.transfer_to = "care";
  protection.transfer_hazard_per_month = hazard;
  config::validate(authority);
  return authority;
}

inline std::int64_t row_sum(const engine::CountArray& array, std::size_t m) {
  const std::size_t row = array.values.size() / array.shape[0];
  std::int64_t total = 0;
  for (std::size_t c = 0; c < row; ++c) total += array.values[m * row + c];
  return total;
}

}  // namespace ehsim::testing

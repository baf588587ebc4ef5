// Episodes and what they cost: a mixture of episode lengths, a placement mix
// for children in care, and every penny traced back to a family.
#include <algorithm>
#include <map>
#include <numeric>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "engine/service_fixtures.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;
using namespace ehsim::testing;

TEST_CASE("a mixture of episode lengths closes each kind of case at its own rate", "[engine][services][durations]") {
  // Half the cases last a month (mean 1: they close at the first chance), half
  // last years (mean 240). Without dropout, a month after admission about half
  // have closed.
  config::Authority authority = with_services();
  authority.simulation.burn_in_months = 0;
  auto& early_help = authority.services[index_of(authority, "early_help")];
  early_help.capacity_cases = 100000;
  early_help.dropout_hazard_per_month = 0;
  early_help.consent_probability = 1;
  early_help.duration_mean_months = 120.5;
  early_help.duration_mix_shares = {0.5, 0.5};
  early_help.duration_mix_means_months = {1, 240};
  // Cases close only by their length: no family leaves the service's levels
  // downwards (it works with level 1 too), and few rise above them.
  early_help.levels = {"universal", "additional", "complex"};
  authority.front_door.route_by_level = {"", "early_help", "early_help", "child_protection"};
  config::validate(authority);
  const RunResult run = simulate(build_model(authority), {41, 0, true});
  const auto service = static_cast<std::uint8_t>(index_of(authority, "early_help") + 1);
  std::map<std::uint32_t, int> admitted;  // family -> month admitted
  std::int64_t one_month = 0, longer = 0, closed_later = 0;
  for (const auto& event : run.events) {
    if (event.service != service) continue;
    if (event.type == EventType::admission) admitted[event.family] = event.month;
    if (event.type != EventType::closure_needs_met) continue;
    const auto found = admitted.find(event.family);
    if (found == admitted.end()) continue;
    if (found->second < 30) {  // admitted in months 0-29, whose closures all fall within the run
      if (event.month - found->second == 1)
        ++one_month;
      else
        ++closed_later;
    }
    admitted.erase(found);
  }
  for (const auto& [family, month] : admitted) longer += month < 30;  // admitted early, still open at the end
  // Those closing after exactly a month are the short kind: about half of all admissions.
  std::int64_t admissions = 0;
  for (std::size_t m = 0; m < 30; ++m) admissions += run.service_admissions(m, service - 1u);
  CHECK(static_cast<double>(one_month) / static_cast<double>(admissions) == Approx(0.5).margin(0.04));
  CHECK(longer > 0);
  CHECK(closed_later < one_month / 5);  // long cases close at 1/240 a month
}

TEST_CASE("a placement mix costs each child in care its expected placement cost, to the penny",
          "[engine][costs][placements]") {
  config::Authority authority = with_costs();
  auto& care = authority.services[index_of(authority, "child_protection")];
  care.kind = config::ServiceKind::children_in_care;
  care.cost_per_case_month_gbp = 0;
  care.placement_shares = {{"fostering", 0.7}, {"childrens_home", 0.1}, {"other", 0.2}};
  care.placement_cost_per_child_month_gbp = {{"fostering", 3584.10}, {"childrens_home", 26500}, {"other", 6500.55}};
  config::validate(authority);
  const Model model = build_model(authority);
  // 0.7 x 3584.10 + 0.1 x 26500 + 0.2 x 6500.55 = 2508.87 + 2650 + 1300.11 = 6458.98
  CHECK(model.services[index_of(authority, "child_protection")].case_month_pence == 645898);
  const RunResult run = simulate(model, {42, 0, false});
  const auto s = index_of(authority, "child_protection");
  for (std::size_t m = 0; m < 36; ++m)
    REQUIRE(run.spend_by_service(m, s) == 645898 * run.service_children(m, s));  // no start cost
}

TEST_CASE("the sum over families of what each cost equals the sum over services and over levels, exactly",
          "[engine][costs]") {
  // Costs per case (not per child), so each family's bill can be rebuilt from
  // its trajectory and its events alone: its level's universal cost each month
  // present, its service's case-month cost each month a case is open at the
  // end, and a start cost at each admission.
  config::Authority authority = with_costs();
  authority.simulation.burn_in_months = 0;  // every case opens within the log
  authority.services[index_of(authority, "child_protection")].cost_per_child = false;
  config::validate(authority);
  const Model model = build_model(authority);
  const RunResult run = simulate(model, {43, 0, true});
  const std::size_t months = 36;
  std::vector<std::int64_t> by_family(run.trajectory_families, 0);
  for (std::size_t id = 0; id < run.trajectory_families; ++id)
    for (std::size_t m = 0; m < months; ++m)
      if (const int level = run.trajectory_levels[id * months + m]; level > 0)
        by_family[id] += model.universal_pence_by_level[static_cast<std::size_t>(level - 1)];
  std::map<std::uint32_t, std::pair<int, int>> open;  // family -> (service, month opened)
  const auto bill_case = [&](std::uint32_t family, int service, int from, int to) {  // open at the end of from..to-1
    const auto& provider = model.services[static_cast<std::size_t>(service)];
    by_family[family] += provider.case_month_pence * (to - from);
  };
  for (const auto& event : run.events) {
    if (event.type == EventType::admission) {
      open[event.family] = {event.service - 1, event.month};
      by_family[event.family] += model.services[event.service - 1u].start_pence;
    }
    if (event.type == EventType::closure_needs_met || event.type == EventType::closure_stepped_up ||
        event.type == EventType::closure_other) {
      const auto [service, opened] = open.at(event.family);
      bill_case(event.family, service, opened, event.month);
      open.erase(event.family);
    }
  }
  for (const auto& [family, opened] : open) bill_case(family, opened.first, opened.second, static_cast<int>(months));
  std::int64_t families_total = 0, services_total = 0, levels_total = 0, universal_total = 0;
  for (const auto v : by_family) families_total += v;
  for (const auto v : run.spend_by_service.values) services_total += v;
  for (const auto v : run.spend_by_level.values) levels_total += v;
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t k = 0; k < 4; ++k) universal_total += model.universal_pence_by_level[k] * run.stock_families(m, k);
  CHECK(services_total > 0);
  CHECK(families_total == levels_total);
  CHECK(families_total == services_total + universal_total);
}

namespace {

// For each needs-met closure in the events, whether the same family moved
// down a level in the same month.
std::pair<std::size_t, std::size_t> completions_stepping_down(const RunResult& run) {
  std::map<std::pair<std::uint32_t, std::int32_t>, bool> down;
  for (const auto& event : run.events)
    if (event.type == EventType::level_down) down[{event.family, event.month}] = true;
  std::size_t closures = 0, stepped = 0;
  for (const auto& event : run.events)
    if (event.type == EventType::closure_needs_met) {
      ++closures;
      stepped += down.count({event.family, event.month});
    }
  return {closures, stepped};
}

}  // namespace

TEST_CASE("a case completed at a service that steps families down moves the family down a level that month",
          "[engine][services][step_down]") {
  config::Authority authority = with_services();
  const RunResult without = simulate(build_model(authority), {5, 0, true});
  const auto [closed_without, down_without] = completions_stepping_down(without);
  REQUIRE(closed_without > 100);
  // Without it, a completed case leaves the family at its level: only the
  // cases that closed because the family fell below the service step down.
  CHECK(down_without < closed_without);
  for (auto& service : authority.services) service.completion_step_down_probability = 1.0;
  const RunResult with = simulate(build_model(authority), {5, 0, true});
  const auto [closed_with, down_with] = completions_stepping_down(with);
  REQUIRE(closed_with > 100);
  CHECK(down_with == closed_with);  // every needs-met closure, whichever way it came
  // And fewer families come back to the front door within a year of a closed case.
  const auto re_referral_share = [](const RunResult& run) {
    double re = 0, all = 0;
    for (std::size_t m = 0; m < static_cast<std::size_t>(run.months); ++m) {
      re += static_cast<double>(run.indicators(m, indicator::re_referrals));
      all += static_cast<double>(run.indicators(m, indicator::referrals));
    }
    return re / all;
  };
  CHECK(re_referral_share(with) < re_referral_share(without));
  // The flows still add up: every family counted once from its level to its next.
  for (std::size_t m = 0; m < static_cast<std::size_t>(with.months); ++m) {
    std::int64_t from_flows = 0, stock = 0;
    for (std::size_t a = 0; a < static_cast<std::size_t>(with.levels); ++a)
      for (std::size_t b = 0; b < static_cast<std::size_t>(with.levels); ++b) from_flows += with.flows(m, a, b);
    for (std::size_t k = 0; k < static_cast<std::size_t>(with.levels); ++k) {
      stock += with.stock_families(m, k) - with.arrivals(m, k);
    }
    CHECK(from_flows == stock);
  }
}

namespace {

// The months open of each case of `service` that completed (closed with needs
// met while the family's level stayed where it was that month).
std::vector<std::int32_t> completed_lengths(const RunResult& run, std::uint8_t service) {
  std::map<std::pair<std::uint32_t, std::int32_t>, bool> moved;
  for (const auto& event : run.events)
    if (event.type == EventType::level_down || event.type == EventType::level_up || event.type == EventType::level_jump)
      moved[{event.family, event.month}] = true;
  std::map<std::uint32_t, std::int32_t> admitted;
  std::vector<std::int32_t> lengths;
  for (const auto& event : run.events) {
    if (event.service != service) continue;
    if (event.type == EventType::admission) admitted[event.family] = event.month;
    if (event.type == EventType::closure_needs_met && admitted.count(event.family) > 0 &&
        moved.count({event.family, event.month}) == 0)
      lengths.push_back(event.month - admitted[event.family]);
  }
  return lengths;
}

}  // namespace

TEST_CASE("a completion ratio by months open makes exits depend on the time a case has been open",
          "[engine][services][duration]") {
  config::Authority authority = with_services();
  const auto s = index_of(authority, "early_help");
  authority.services[s].duration_mean_months = 6;
  const auto service = static_cast<std::uint8_t>(s + 1);
  const auto geometric = completed_lengths(simulate(build_model(authority), {3, 0, true}), service);
  REQUIRE(geometric.size() > 50);
  CHECK(*std::max_element(geometric.begin(), geometric.end()) >= 4);  // some complete after 3 months open
  // No completion from the fourth month open: every case that completes does so within 3 months.
  authority.services[s].completion_ratio_from_months_open = {{"4", 0.0}};
  config::validate(authority);
  const auto cut = completed_lengths(simulate(build_model(authority), {3, 0, true}), service);
  REQUIRE(cut.size() > 50);
  CHECK(*std::max_element(cut.begin(), cut.end()) <= 3);
  // And a ratio above 1 from the second month shortens them on average.
  authority.services[s].completion_ratio_from_months_open = {{"2", 3.0}};
  const auto faster = completed_lengths(simulate(build_model(authority), {3, 0, true}), service);
  const auto mean = [](const std::vector<std::int32_t>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  };
  CHECK(mean(faster) < mean(geometric));
  // Without a ratio the hazard is as it was: the step function is 1 before its first entry.
  const Model model = build_model(authority);
  CHECK(model.services[s].completion_ratio(1) == 1.0);
  CHECK(model.services[s].completion_ratio(2) == 3.0);
  CHECK(model.services[s].completion_ratio(40) == 3.0);
}

TEST_CASE("months open that are not whole numbers from 1 are refused at the key", "[engine][services][duration]") {
  for (const std::string months : {"0", "six", "-2", "1.5", ""}) {
    INFO(months);
    config::Authority authority = with_services();
    authority.services[index_of(authority, "early_help")].completion_ratio_from_months_open = {{months, 0.5}};
    try {
      config::validate(authority);
      FAIL("accepted");
    } catch (const config::ConfigError& error) {
      REQUIRE_FALSE(error.issues().empty());
      CHECK(error.issues()[0].key == "services.early_help.completion_ratio_from_months_open");
      CHECK_THAT(error.issues()[0].message, Catch::Contains("is not a number of months open"));
    }
  }
}

TEST_CASE(
    "starts and exits counted per child keep each service's children: last month's, less those whose case "
    "closed, plus those admitted, is this month's when no child is born",
    "[engine][services][children]") {
  // Every child in a case at the end of a month either leaves with the case
  // in the next month (counted in service_closed_children) or is in it at the
  // end of that month, unless the child turns 18 in between; those admitted
  // are service_admitted_children. Without births nothing else adds a child.
  config::Authority authority = config::default_authority();
  authority.population.families = 4000;
  authority.population.birth_hazard_per_month = 0;
  authority.simulation.months = 36;
  config::validate(authority);
  const RunResult run = simulate(build_model(authority), {44, 0, false});
  std::int64_t admitted = 0, closed = 0, aged_out = 0;
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    INFO(authority.services[s].name);
    for (std::size_t m = 1; m < 36; ++m) {
      INFO("month " << m);
      const std::int64_t kept = run.service_children(m, s) - run.service_admitted_children(m, s);
      const std::int64_t left = run.service_children(m - 1, s) - run.service_closed_children(m, s);
      CHECK(kept <= left);  // only turning 18 takes a child out of an open case
      aged_out += left - kept;
      admitted += run.service_admitted_children(m, s);
      closed += run.service_closed_children(m, s);
      // A family admitted or closed has a child at least (one who turned 18 closes its case, counted).
      CHECK(run.service_admitted_children(m, s) >= run.service_admissions(m, s));
      CHECK(run.service_admitted_children(m, s) <= 4 * run.service_admissions(m, s));
      std::int64_t closures = 0;
      for (std::size_t o = 0; o < closure_outcome::count; ++o) closures += run.service_closures(m, s, o);
      CHECK(run.service_closed_children(m, s) >= closures);
    }
  }
  CHECK(admitted > 1000);
  CHECK(closed > 1000);
  CHECK(aged_out < admitted / 20);  // a small correction, not the bulk of the flow
}

TEST_CASE(
    "a child protection case that moves into care closes as transferred and care admits the family that month, "
    "without a referral",
    "[engine][services][transfer]") {
  const config::Authority authority = with_transfer_to_care(0.05);
  const Model model = build_model(authority);
  const std::size_t protection = index_of(authority, "child_protection");
  const std::size_t care = index_of(authority, "care");
  std::int64_t transfers = 0, case_months = 0;
  for (std::uint32_t replicate = 0; replicate < 4; ++replicate) {
    const RunResult run = simulate(model, {7, replicate, true});
    std::map<std::pair<std::uint32_t, std::int32_t>, int> admitted_to_care, referred;
    for (const auto& event : run.events) {
      if (event.type == EventType::admission && event.service == care + 1)
        ++admitted_to_care[{event.family, event.month}];
      if (event.type == EventType::referral) ++referred[{event.family, event.month}];
    }
    std::size_t logged = 0;
    for (const auto& event : run.events) {
      if (event.type != EventType::closure_transferred) continue;
      ++logged;
      INFO("family " << event.family << ", month " << event.month);
      CHECK(event.service == protection + 1);
      CHECK(event.from_level == 4);
      CHECK(admitted_to_care[{event.family, event.month}] == 1);  // admitted the same month
      CHECK(referred.count({event.family, event.month}) == 0);    // not through the front door
    }
    std::int64_t closed = 0;
    for (std::size_t m = 0; m < static_cast<std::size_t>(run.months); ++m) {
      INFO("month " << m);
      const std::int64_t moved = run.service_closures(m, protection, closure_outcome::transferred);
      // Care is reached by transfers only: each is one care admission, and no other service transfers.
      CHECK(run.service_waiting_flows(m, care, waiting_flow::transferred) == moved);
      CHECK(run.service_admissions(m, care) == moved);
      CHECK(run.service_waiting_flows(m, care, waiting_flow::joined) == 0);
      CHECK(run.service_closures(m, care, closure_outcome::transferred) == 0);
      closed += moved;
      if (m > 0) case_months += run.service_caseload(m - 1, protection);
    }
    CHECK(static_cast<std::size_t>(closed) == logged);
    transfers += closed;
  }
  // Known answer: transfer competes with completion (mean 10 months) and
  // dropout (0.02), so an open case moves with chance (1 - e^-L) t / L a
  // month, L the three hazards' sum. Cases that leave the authority first
  // (about 0.5% a month) take no draw, which the tolerance allows.
  const double t = 0.05, total = -std::log(1 - 1.0 / 10) + 0.02 + t;
  const double expected = (1 - std::exp(-total)) * t / total;
  REQUIRE(case_months > 4000);
  const double observed = static_cast<double>(transfers) / static_cast<double>(case_months);
  const double standard_error = std::sqrt(expected * (1 - expected) / static_cast<double>(case_months));
  INFO("observed " << observed << ", expected " << expected << " from " << case_months << " case-months");
  CHECK(std::abs(observed - expected) < 4 * standard_error + 0.01 * expected);
}

TEST_CASE("a transfer waits while the service it goes to takes no new families", "[engine][services][transfer]") {
  config::Authority authority = with_transfer_to_care(0.05);
  authority.services[index_of(authority, "care")].open_from_month = "2026-04";  // month 12 of 36 from 2025-04
  config::validate(authority);
  const RunResult run = simulate(build_model(authority), {7, 0, false});
  const std::size_t protection = index_of(authority, "child_protection");
  std::int64_t before = 0, after = 0, other_before = 0, case_months_before = 0;
  for (std::size_t m = 0; m < static_cast<std::size_t>(run.months); ++m) {
    (m < 12 ? before : after) += run.service_closures(m, protection, closure_outcome::transferred);
    if (m < 12 && m > 0) {
      other_before += run.service_closures(m, protection, closure_outcome::other);
      case_months_before += run.service_caseload(m - 1, protection);
    }
  }
  CHECK(before == 0);
  CHECK(after > 0);
  // The drawn transfers keep their cases open rather than closing them some
  // other way: before month 12, cases close as "other" at about the dropout
  // (0.02) and departures (~0.005), not with the transfers' 0.05 added.
  REQUIRE(case_months_before > 300);
  const double other_rate = static_cast<double>(other_before) / static_cast<double>(case_months_before);
  INFO("closed as other: " << other_before << " of " << case_months_before << " case-months");
  CHECK(other_rate < 0.045);
}

TEST_CASE("a case that completes and steps the family down below its service goes on to the service's step-down",
          "[engine][services][step_down]") {
  // Child protection steps families down to the intensive family service.
  config::Authority authority = with_routes_and_step_down();
  const std::size_t protection = index_of(authority, "child_protection");
  const auto step_downs = [&](const config::Authority& a) {
    const RunResult run = simulate(build_model(a), {5, 0, true});
    std::map<std::pair<std::uint32_t, std::int32_t>, int> down;
    for (const auto& event : run.events)
      if (event.type == EventType::level_down) ++down[{event.family, event.month}];
    std::int64_t closed_down = 0, stepped = 0, declined = 0;
    for (const auto& event : run.events) {
      if (event.type == EventType::closure_needs_met && event.service == protection + 1)
        closed_down += down.count({event.family, event.month});
      if (event.type == EventType::step_down) ++stepped;
    }
    for (std::size_t m = 0; m < static_cast<std::size_t>(run.months); ++m)
      declined += run.indicators(m, indicator::step_downs_declined);
    // Every plan that closed with the family a level lower offered the
    // step-down, however it closed: at the end of its work (stepping the
    // family down, or followed by the level's own step down that month) or
    // because the family fell below it.
    CHECK(stepped + declined == closed_down);
    return stepped;
  };
  const std::int64_t without = step_downs(authority);
  authority.services[protection].completion_step_down_probability = 1.0;
  const std::int64_t with = step_downs(authority);
  CHECK(without > 0);
  CHECK(with > without);
}

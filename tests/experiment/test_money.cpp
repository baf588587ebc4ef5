// Money with answers worked out by hand: a cut, places bought by block
// contract, a relabelled statutory case and a change in demand, each with its
// investment, savings, own lines, consequence, net and cash asserted in pence.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "engine/service_fixtures.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using testing::index_of;
namespace cmp = experiment::comparison;
namespace ms = experiment::measure;

// with_costs() (36 months) and a family support line that no route reaches:
// 40 places by block contract at £500 a place-month, paid by health, not
// cashable. With no cases, what it costs is its places, whatever the families do.
config::Authority with_unused_block_service() {
  config::Authority authority = testing::with_costs();
  auto support = testing::service("family_support_line", {"universal"}, 40, 6, 1.0, 1.0);
  support.contract = config::Contract::block;
  support.cost_per_case_month_gbp = 500;
  support.payer = "health";
  support.cashable = false;
  authority.services.push_back(support);
  config::validate(authority);
  return authority;
}

struct Compared {
  std::array<double, cmp::count> values{};
  std::vector<std::int64_t> payer_difference;  // [payer * 2 + cashable], pence over the horizon
  experiment::PlanResults results;

  [[nodiscard]] std::int64_t cash() const {
    std::int64_t total = 0;
    for (std::size_t p = 1; p < payer_difference.size(); p += 2) total += payer_difference[p];
    return total;
  }
};

// One replicate of the option against the base, with the same random numbers.
Compared compared(const config::Authority& base, const config::Authority& option) {
  auto plan = experiment::comparison_plan(base, {{"option", option}});
  plan.replicates = 1;
  Compared out;
  out.results = experiment::run_and_keep(plan);
  const auto summary = experiment::summarise(plan, out.results);
  for (std::size_t c = 0; c < cmp::count; ++c) out.values[c] = summary.comparisons.at(0).differences(0, c);
  const auto& a = out.results.runs[1][0].spend_by_payer;
  const auto& b = out.results.runs[0][0].spend_by_payer;
  out.payer_difference.assign(a.values.size() / a.shape[0], 0);
  for (std::size_t i = 0; i < a.values.size(); ++i)
    out.payer_difference[i % out.payer_difference.size()] += a.values[i] - b.values[i];
  return out;
}

}  // namespace

TEST_CASE("a cut of block places no family uses saves exactly the places, costs nothing else, and is no investment",
          "[experiment][money]") {
  const config::Authority base = with_unused_block_service();
  config::Authority cut = base;
  cut.services[index_of(cut, "family_support_line")].capacity_from_month = {{"2026-04", 15}};  // month 12 of 36
  config::validate(cut);
  const auto result = compared(base, cut);
  const auto& run = result.results.runs[1][0];
  for (std::size_t m = 0; m < 36; ++m) REQUIRE(run.service_caseload(m, index_of(cut, "family_support_line")) == 0);
  // 25 places fewer for 24 months at £500: £300,000.
  CHECK(result.values[cmp::own_lines] == -30000000.0);
  CHECK(result.values[cmp::consequence] == 0.0);
  CHECK(result.values[ms::spend_nominal] == -30000000.0);
  CHECK(result.values[cmp::investment] == 0.0);
  CHECK(result.values[cmp::savings] == 30000000.0);
  CHECK(std::isnan(result.values[cmp::return_per_pound]));  // a cut is not an investment
  // Health pays, and none of it is cash: the whole saving is health's, not cashable.
  CHECK(result.payer_difference[2 * 2 + 0] == -30000000);  // payers: childrens_services, schools, health, ...
  CHECK(result.cash() == 0);
  CHECK(result.values[cmp::break_even_month] == 0.0);  // it never costs more
}

TEST_CASE("block places bought cost every place from the month they open, filled or not", "[experiment][money]") {
  const config::Authority base = with_unused_block_service();
  config::Authority more = base;
  auto& line = more.services[index_of(more, "family_support_line")];
  line.capacity_from_month = {{"2025-10", 50}};  // month 6: 10 places more for 30 months
  line.payer = "childrens_services";
  line.cashable = true;
  config::Authority base_paid_alike = base;  // the same payer in the baseline: only the places differ
  base_paid_alike.services[index_of(base, "family_support_line")].payer = "childrens_services";
  base_paid_alike.services[index_of(base, "family_support_line")].cashable = true;
  config::validate(more);
  config::validate(base_paid_alike);
  const auto result = compared(base_paid_alike, more);
  // 10 places x 30 months x £500 = £150,000, all cash, all the option's own.
  CHECK(result.values[cmp::own_lines] == 15000000.0);
  CHECK(result.values[cmp::investment] == 15000000.0);
  CHECK(result.values[cmp::consequence] == 0.0);
  CHECK(result.values[cmp::savings] == 0.0);
  CHECK(result.values[cmp::return_per_pound] == 0.0);  // nothing saved elsewhere for each pound
  CHECK(result.cash() == 15000000);
  CHECK(result.values[cmp::break_even_month] == -1.0);  // never
  // Each month: 10 more empty places.
  const auto s = index_of(more, "family_support_line");
  for (std::size_t m = 0; m < 36; ++m)
    REQUIRE(result.results.runs[1][0].service_unfilled_places(m, s) -
                result.results.runs[0][0].service_unfilled_places(m, s) ==
            (m < 6 ? 0 : 10));
}

TEST_CASE("a relabelled statutory case is one line: only the change in its price is an investment",
          "[experiment][money]") {
  const config::Authority base = testing::with_costs();
  // The same child protection plans under another name, £100 a child-month dearer (a review added).
  // New plans go to child protection with a review, £100 a child-month dearer; plans open at the start run on.
  config::Authority relabelled = base;
  const auto protection = index_of(base, "child_protection");
  auto review = relabelled.services[protection];
  review.name = "child_protection_with_review";
  review.label = "Child protection, with a review";
  review.cost_per_case_month_gbp += 100;
  relabelled.services[protection].open_until_month = "2025-04";  // the start month: it takes no new plans
  relabelled.services.push_back(review);
  for (auto& route : relabelled.front_door.route_by_level)
    if (route == "child_protection") route = review.name;
  config::validate(relabelled);
  const auto result = compared(base, relabelled);
  const auto& option = result.results.runs[1][0];
  const auto& baseline = result.results.runs[0][0];
  // The same families on the same plans (the same luck; a name changes no one's path).
  CHECK(option.stock_families.values == baseline.stock_families.values);
  const auto with_review = index_of(relabelled, "child_protection_with_review");
  std::int64_t child_months = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    child_months += option.service_children(m, with_review);
    REQUIRE(option.service_children(m, protection) + option.service_children(m, with_review) ==
            baseline.service_children(m, protection));
  }
  REQUIRE(child_months > 0);
  // £100 for each child-month on a plan; not the whole new line as investment and the old one as a saving.
  CHECK(result.values[cmp::own_lines] == static_cast<double>(10000 * child_months));
  CHECK(result.values[cmp::investment] == static_cast<double>(10000 * child_months));
  CHECK(result.values[cmp::savings] == 0.0);
  CHECK(result.values[cmp::consequence] == 0.0);
  CHECK(result.values[ms::spend_nominal] == static_cast<double>(10000 * child_months));
  CHECK(result.cash() == 10000 * child_months);  // child protection is the council's, cashable
}

TEST_CASE("a change in demand has a cost but no investment, saving or return, and its spend adds up by hand",
          "[experiment][money]") {
  const config::Authority base = testing::with_costs();
  config::Authority future = base;
  future.kind = config::ScenarioKind::future;
  for (auto& theme : future.themes) theme.onset_hazard_per_month *= 2;
  config::validate(future);
  const auto result = compared(base, future);
  for (const auto c : {cmp::investment, cmp::savings, cmp::return_per_pound, cmp::own_lines, cmp::consequence,
                       cmp::net_adjusted_for_optimism_bias})
    CHECK(std::isnan(result.values[c]));
  // Its cost, by hand from the runs' counts: universal costs by level, cases and starts at their prices.
  const auto& a = result.results.runs[1][0];
  const auto& b = result.results.runs[0][0];
  const std::vector<std::int64_t> universal{1000, 5000, 20000, 100050};
  const auto early_help = index_of(base, "early_help"), intensive = index_of(base, "intensive_family"),
             protection = index_of(base, "child_protection");
  std::int64_t by_hand = 0, health = 0, universal_total = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    for (std::size_t k = 0; k < 4; ++k)
      universal_total += universal[k] * (a.stock_families(m, k) - b.stock_families(m, k));
    const auto difference = [&](const engine::CountArray& x, const engine::CountArray& y, std::size_t s) {
      return x(m, s) - y(m, s);
    };
    const std::int64_t early = 30025 * difference(a.service_caseload, b.service_caseload, early_help) +
                               15000 * difference(a.service_admissions, b.service_admissions, early_help);
    by_hand += early + 200000 * difference(a.service_caseload, b.service_caseload, intensive) +
               50000 * difference(a.service_admissions, b.service_admissions, intensive) +
               130000 * difference(a.service_children, b.service_children, protection);
    health += early;
  }
  by_hand += universal_total;
  CHECK(result.values[ms::spend_nominal] == static_cast<double>(by_hand));
  CHECK(by_hand > 0);                                   // more need costs more
  CHECK(result.payer_difference[2 * 2 + 0] == health);  // early help is health's, not cashable
  // Universal costs are not cashable (shared staff and buildings); the intensive service and child protection are.
  CHECK(result.cash() == by_hand - health - universal_total);
}

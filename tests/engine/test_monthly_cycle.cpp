#include <bit>
#include <cmath>
#include <map>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/monthly_cycle.hpp"
#include "engine/run.hpp"
#include "engine/themes.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

TEST_CASE(
    "every month, the stocks add up to the population and each level's stock is last month's plus inflows "
    "minus outflows",
    "[engine][conservation]") {
  const Model model = build_model(testing::small_default(20000, 60));
  const RunResult run = simulate(model, {4, 0, false});
  const auto levels = static_cast<std::size_t>(model.level_count);
  std::vector<std::int64_t> previous = run.initial_families.values;
  std::int64_t population = 0;
  for (const auto v : previous) population += v;
  for (std::size_t m = 0; m < static_cast<std::size_t>(model.months); ++m) {
    std::int64_t arrivals = 0, departures = 0, total = 0;
    for (std::size_t l = 0; l < levels; ++l) {
      std::int64_t inflow = 0, outflow = 0;
      for (std::size_t k = 0; k < levels; ++k) {
        if (k == l) continue;
        inflow += run.flows(m, k, l);
        outflow += run.flows(m, l, k);
      }
      const std::int64_t left = run.departures_aged_out(m, l) + run.departures_moved(m, l);
      REQUIRE(run.stock_families(m, l) == previous[l] - left + inflow - outflow + run.arrivals(m, l));
      // The row of flows from l accounts for everyone at l who did not leave.
      std::int64_t row = 0;
      for (std::size_t k = 0; k < levels; ++k) row += run.flows(m, l, k);
      REQUIRE(row == previous[l] - left);
      arrivals += run.arrivals(m, l);
      departures += left;
      total += run.stock_families(m, l);
      previous[l] = run.stock_families(m, l);
    }
    population += arrivals - departures;
    REQUIRE(total == population);
  }
}

TEST_CASE("trajectories and the event log agree with the monthly counts", "[engine][trajectories]") {
  const Model model = build_model(testing::small_default(4000, 36));
  const RunResult run = simulate(model, {8, 0, true});
  const auto months = static_cast<std::size_t>(model.months);
  const auto levels = static_cast<std::size_t>(model.level_count);
  REQUIRE(run.trajectory_levels.size() == run.trajectory_families * months);
  for (std::size_t m = 0; m < months; ++m) {
    std::vector<std::int64_t> counted(levels, 0);
    for (std::size_t f = 0; f < run.trajectory_families; ++f) {
      const int level = run.trajectory_levels[f * months + m];
      if (level > 0) ++counted[static_cast<std::size_t>(level - 1)];
    }
    for (std::size_t l = 0; l < levels; ++l) REQUIRE(counted[l] == run.stock_families(m, l));
  }
  // Each off-diagonal flow is one level event; each arrival and departure one event.
  CountArray moves{months, levels, levels};
  std::map<EventType, std::int64_t> by_type;
  std::int32_t last_month = 0;
  for (const auto& event : run.events) {
    REQUIRE(event.month >= last_month);
    last_month = event.month;
    ++by_type[event.type];
    if (event.type == EventType::level_up || event.type == EventType::level_down || event.type == EventType::level_jump)
      ++moves(static_cast<std::size_t>(event.month), static_cast<std::size_t>(event.from_level - 1),
              static_cast<std::size_t>(event.to_level - 1));
  }
  std::int64_t arrivals = 0, aged_out = 0, moved = 0;
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t k = 0; k < levels; ++k) {
      arrivals += run.arrivals(m, k);
      aged_out += run.departures_aged_out(m, k);
      moved += run.departures_moved(m, k);
      for (std::size_t l = 0; l < levels; ++l)
        if (k != l) REQUIRE(moves(m, k, l) == run.flows(m, k, l));
    }
  CHECK(by_type[EventType::arrival] == arrivals);
  CHECK(by_type[EventType::aged_out] == aged_out);
  CHECK(by_type[EventType::moved_away] == moved);
  CHECK(by_type[EventType::level_jump] > 0);  // the default has a domestic abuse crisis jump
}

TEST_CASE("a family leaves in the month its youngest child turns 18, not before", "[engine][population]") {
  config::Authority authority = testing::small_default(1, 3);
  authority.population.arrivals = false;
  authority.population.move_away_hazard_per_month = 0;
  const Model model = build_model(authority);
  Families families;
  Family family;
  family.birth_month = {-214, -250, no_child, no_child};  // youngest is 17y10m at month 0
  families.append(family);
  RunResult result = empty_run_result(model, {1, 0, false});
  std::uint32_t next_id = 1;
  MonthScratch scratch(model);
  const RandomSource rng(1, 0);
  advance_month(model, rng, families, 0, next_id, {}, &result, scratch);
  advance_month(model, rng, families, 1, next_id, {}, &result, scratch);
  CHECK(result.departures_aged_out.values == std::vector<std::int64_t>(12, 0));
  CHECK(result.stock_children(0, families.need_level[0]) == 1);  // the elder child is already an adult
  advance_month(model, rng, families, 2, next_id, {}, &result, scratch);
  std::int64_t left_in_month_2 = 0;
  for (std::size_t k = 0; k < 4; ++k) left_in_month_2 += result.departures_aged_out(2, k);
  CHECK(left_in_month_2 == 1);
}

TEST_CASE("themes change as if each were drawn on its own with probability 1 - exp(-hazard)", "[engine][themes]") {
  const Model model = build_model(testing::small_default());
  // A family with child sexual exploitation and domestic abuse active, most deprived quintile.
  const std::uint16_t start = 0b11;
  const int themes = model.theme_count;
  REQUIRE(model.authority.themes[0].name == "cse");  // named tables are sorted: bit 0 is cse
  std::vector<double> expected(static_cast<std::size_t>(themes));
  for (int j = 0; j < themes; ++j) {
    double hazard = model.remission[j];
    if (!(start & (1u << j))) {
      hazard = model.onset[j] * model.deprivation_multiplier[0];
      for (int i = 0; i < themes; ++i)
        if (start & (1u << i)) hazard *= model.onset_multiplier[i * themes + j];
    }
    expected[j] = 1 - std::exp(-hazard);
  }
  const RandomSource rng(21, 0);
  const int n = 400000;
  std::vector<int> changed(static_cast<std::size_t>(themes), 0);
  int both_first_two = 0;
  for (int i = 0; i < n; ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const std::uint16_t next =
        next_themes(model, rng, id, 3, start, 0, to_uniform(rng.block(id, 3, stream("monthly.theme_event").block)[1]));
    const std::uint16_t diff = next ^ start;
    for (int j = 0; j < themes; ++j) changed[j] += (diff >> j) & 1;
    both_first_two += (diff & 0b11) == 0b11;
  }
  for (int j = 0; j < themes; ++j) {
    const double sd = std::sqrt(n * expected[j] * (1 - expected[j]));
    CHECK(std::abs(changed[j] - n * expected[j]) <= 5 * sd + 1);
  }
  const double p_both = expected[0] * expected[1];
  CHECK(std::abs(both_first_two - n * p_both) <= 5 * std::sqrt(n * p_both) + 1);
}

TEST_CASE("with no onset hazards no theme ever starts, while active themes still remit", "[engine][themes]") {
  config::Authority authority = testing::small_default();
  for (auto& theme : authority.themes) theme.onset_hazard_per_month = 0;
  const Model model = build_model(authority);
  const RandomSource rng(2, 0);
  const std::uint16_t start = 0b10110;  // three themes active
  int remitted = 0;
  for (std::uint32_t id = 0; id < 20000; ++id) {
    const double u = to_uniform(rng.block(id, 0, stream("monthly.theme_event").block)[1]);
    const std::uint16_t next = next_themes(model, rng, id, 0, start, 0, u);
    REQUIRE((next & ~start) == 0);  // nothing new
    remitted += next != start;
  }
  CHECK(remitted > 1000);  // the detailed path ran many times
}

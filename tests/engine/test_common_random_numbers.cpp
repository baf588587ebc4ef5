// Common random numbers: the same family meets the same luck in every
// scenario, so option-minus-baseline differences carry little noise. Two runs
// that differ only in population growth from the start month share the
// burn-in, so every family present at the start and every k-th arrival of a
// month are the same family in both, with the same path.
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

namespace {

// Ids of the families that arrived in each month, in order of arrival.
std::map<std::int32_t, std::vector<std::uint32_t>> arrivals_by_month(const RunResult& run) {
  std::map<std::int32_t, std::vector<std::uint32_t>> arrivals;
  for (const auto& event : run.events)
    if (event.type == EventType::arrival) arrivals[event.month].push_back(event.family);
  return arrivals;
}

std::vector<std::int8_t> path_from(const RunResult& run, std::uint32_t id, std::int32_t month) {
  const auto months = static_cast<std::size_t>(run.months);
  const auto begin = run.trajectory_levels.begin() + static_cast<std::ptrdiff_t>(id * months + month);
  return {begin, run.trajectory_levels.begin() + static_cast<std::ptrdiff_t>((id + 1) * months)};
}

}  // namespace

TEST_CASE("families present at the start and the k-th arrival of each month meet the same luck in every scenario",
          "[engine][crn]") {
  config::Authority baseline = testing::small_default(20000, 24);
  // The default's capacities as stated, for its 35,300 families: for 20,000
  // they never bind, so no family's path depends on another's.
  baseline.population.capacity_reference_families = 0;
  config::Authority growing = baseline;
  growing.population.growth_per_year = 0.05;  // more arrivals in every month from the start
  const RunResult a = simulate(build_model(baseline), {9, 0, true});
  const RunResult b = simulate(build_model(growing), {9, 0, true});

  const auto arrivals_a = arrivals_by_month(a);
  const auto arrivals_b = arrivals_by_month(b);
  const std::uint32_t first_arrival = arrivals_a.at(0).front();
  REQUIRE(first_arrival == arrivals_b.at(0).front());  // the same burn-in, so the same families at the start
  for (std::uint32_t id = 0; id < first_arrival; ++id) REQUIRE(path_from(a, id, 0) == path_from(b, id, 0));

  std::size_t compared = 0, more_in_b = 0;
  for (const auto& [month, ids_a] : arrivals_a) {
    const auto& ids_b = arrivals_b.at(month);
    more_in_b += ids_b.size() > ids_a.size();
    for (std::size_t k = 0; k < std::min(ids_a.size(), ids_b.size()); ++k) {
      INFO("arrival " << k << " of month " << month);
      REQUIRE(path_from(a, ids_a[k], month) == path_from(b, ids_b[k], month));
      ++compared;
    }
  }
  CHECK(compared > 1000);
  // The scenarios really differ: B's extra arrivals shift the ids of later months.
  CHECK(more_in_b > 12);
  CHECK(arrivals_a.at(12).front() != arrivals_b.at(12).front());
}

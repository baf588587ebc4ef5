#include <oneapi/tbb/global_control.h>
#include <catch2/catch.hpp>

#include "engine/compare_runs.hpp"
#include "engine/model.hpp"
#include "engine/monthly_cycle.hpp"
#include "engine/run.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

namespace {

RunResult run_with_threads(const Model& model, std::size_t threads, std::uint32_t replicate = 0) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return simulate(model, {77, replicate, true});
}

void require_identical(const RunResult& a, const RunResult& b) {
  REQUIRE(a.initial_families.values == b.initial_families.values);
  REQUIRE(a.stock_families.values == b.stock_families.values);
  REQUIRE(a.stock_children.values == b.stock_children.values);
  REQUIRE(a.flows.values == b.flows.values);
  REQUIRE(a.arrivals.values == b.arrivals.values);
  REQUIRE(a.departures_aged_out.values == b.departures_aged_out.values);
  REQUIRE(a.departures_moved.values == b.departures_moved.values);
  REQUIRE(a.theme_families.values == b.theme_families.values);
  REQUIRE(a.trajectory_levels == b.trajectory_levels);
  testing::require_identical_events(a, b);
}

}  // namespace

TEST_CASE("1, 2 and 4 threads give identical results, trajectories and events included", "[engine][determinism]") {
  // Several blocks of families, so that the threads really share the work.
  const Model model = build_model(testing::small_default(5 * families_per_block + 123, 36));
  const RunResult one = run_with_threads(model, 1);
  require_identical(one, run_with_threads(model, 2));
  require_identical(one, run_with_threads(model, 4));
}

TEST_CASE("another replicate gives different results from the same seed", "[engine][determinism]") {
  const Model model = build_model(testing::small_default(5000, 12));
  const RunResult a = run_with_threads(model, 2, 0);
  const RunResult b = run_with_threads(model, 2, 1);
  CHECK(a.flows.values != b.flows.values);
}

// A comparison plan runs the baseline and its options over replicates, in
// parallel across replicates: the same bits on any number of threads, each
// run what the burn-in and the branch from it give one at a time, and every
// replicate's uncertain draw checked before anything runs.
#include <oneapi/tbb/global_control.h>
#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "config/sweep.hpp"
#include "engine/run.hpp"
#include "engine/run_digest.hpp"
#include "experiment/comparison_plan.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;

// The small default with 3 replicates, two options (one reinvesting against the
// baseline) and one uncertain key.
experiment::ComparisonPlan small_plan() {
  config::Authority base = testing::small_default(1500, 24);
  base.simulation.replicates = 3;
  base.uncertainty.push_back(
      {"services.intensive_family_service.escalation_hazard_ratio", config::Distribution::lognormal, 0.5, 0.9});
  config::Authority more = base;
  for (auto& service : more.services)
    if (service.name == "intensive_family_service") service.capacity_cases *= 2;
  config::Authority reinvesting = config::load_scenario(testing::source_path("configs/default.toml"),
                                                        testing::source_path("scenarios/invest_to_save.toml"));
  reinvesting.population = base.population;
  reinvesting.simulation = base.simulation;
  reinvesting.uncertainty = base.uncertainty;
  return experiment::comparison_plan(base, {{"more", more}, {"invest_to_save", reinvesting}});
}

experiment::ComparisonResults run_with_threads(const experiment::ComparisonPlan& plan, std::size_t threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return experiment::run_plan(plan);
}

}  // namespace

TEST_CASE("a comparison plan gives the same bits on 1, 2 and 4 threads", "[experiment][determinism]") {
  const auto plan = small_plan();
  const auto one = run_with_threads(plan, 1);
  REQUIRE(one.runs.size() == 3);
  for (const std::size_t threads : {2u, 4u}) {
    const auto many = run_with_threads(plan, threads);
    CHECK(many.draws == one.draws);
    for (std::size_t s = 0; s < 3; ++s)
      for (std::size_t r = 0; r < 3; ++r) {
        INFO("threads " << threads << ", scenario " << s << ", replicate " << r);
        CHECK(testing::digest_of(many.runs[s][r]) == testing::digest_of(one.runs[s][r]));
        CHECK(many.runs[s][r].reinvestment.values == one.runs[s][r].reinvestment.values);
      }
  }
}

TEST_CASE("each replicate of a plan is its draw's burn-in with every scenario branching from its end", "[experiment]") {
  const auto plan = small_plan();
  const auto results = experiment::run_plan(plan);
  const auto keys = experiment::uncertain_keys(plan.scenarios.front().authority);
  for (std::uint32_t r = 0; r < 3; ++r) {
    const auto values = experiment::draw_uncertain(plan.scenarios.front().authority, plan.seed, r);
    CHECK(std::vector<double>(results.draws.begin() + r, results.draws.begin() + r + 1) == values);
    std::vector<engine::Model> models;
    for (const auto& scenario : plan.scenarios)
      models.push_back(engine::build_model(config::with_numbers(scenario.authority, keys, values)));
    const engine::RunSpec spec{plan.seed, r, false};
    const engine::StartState start = engine::burn_in(models[0], spec);
    const engine::RunResult baseline = engine::simulate_from(models[0], spec, start, models[0]);
    CHECK(testing::digest_of(results.runs[0][r]) == testing::digest_of(baseline));
    for (std::size_t s = 1; s < models.size(); ++s) {
      const auto option = engine::simulate_from(models[s], spec, start, models[0], &baseline);
      CHECK(testing::digest_of(results.runs[s][r]) == testing::digest_of(option));
      CHECK(results.runs[s][r].reinvestment.values == option.reinvestment.values);
    }
  }
}

TEST_CASE("a draw that makes a configuration invalid is refused before any run, naming the replicate", "[experiment]") {
  config::Authority base = testing::small_default(200, 2);
  base.simulation.replicates = 2;
  // Inside the key's own range, but level shares must add up to 1.
  base.uncertainty.push_back({"levels[0].initial_share", config::Distribution::uniform, 0.9, 0.95});
  const auto plan = experiment::comparison_plan(base, {});
  CHECK_THROWS_WITH(experiment::draw_replicates(plan), Contains("replicate 0's draw of [[uncertainty]]"));
}

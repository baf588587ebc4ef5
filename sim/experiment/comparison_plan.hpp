// A comparison as data: the baseline and each option (a scenario) over the
// same replicates, with common random numbers and, where the configuration
// asks, parameter uncertainty drawn per replicate. run_plan executes it with
// the replicates as tasks on TBB, nested with each run's parallel family
// loop, so a small authority fills the cores with replicates and a large one
// with families; the results do not depend on the number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::experiment {

struct ScenarioPlan {
  std::string name;             // "baseline" for the base configuration
  config::Authority authority;  // resolved
};

struct ComparisonPlan {
  std::vector<ScenarioPlan> scenarios;  // the baseline first, then each option
  std::uint64_t seed = 1;
  std::int64_t replicates = 1;
  bool trajectories = false;
};

// The plan for a base configuration and its options, with the base's seed and replicates.
ComparisonPlan comparison_plan(const config::Authority& base, const std::vector<ScenarioPlan>& options,
                               bool trajectories = false);

// One replicate's configurations, by scenario: as planned, or with the
// replicate's draw of the uncertain keys set in every scenario alike.
struct ReplicateDraw {
  std::vector<double> values;                  // one per uncertain key (none without [[uncertainty]])
  std::vector<config::Authority> authorities;  // by scenario; empty: as planned
};

// Draws every replicate's values and checks the configurations they make,
// before anything runs; a ConfigError names the replicate.
std::vector<ReplicateDraw> draw_replicates(const ComparisonPlan& plan);

struct ComparisonResults {
  std::vector<engine::Model> models;                 // by scenario, as planned
  std::vector<std::vector<engine::RunResult>> runs;  // [scenario][replicate]
  std::vector<std::string> uncertain_keys;           // the keys drawn per replicate
  std::vector<double> draws;                         // [replicate][key], flattened
};

// Runs every scenario of every replicate: each replicate's burn-in once, with
// the baseline, and every scenario branching from its end with the same
// random numbers (an option reinvesting against the baseline measures its
// savings from the baseline's run of the same replicate).
ComparisonResults run_plan(const ComparisonPlan& plan, const std::vector<ReplicateDraw>& draws);
inline ComparisonResults run_plan(const ComparisonPlan& plan) { return run_plan(plan, draw_replicates(plan)); }

}  // namespace ehsim::experiment

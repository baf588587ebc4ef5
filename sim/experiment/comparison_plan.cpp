#include "experiment/comparison_plan.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "config/sweep.hpp"
#include "engine/run.hpp"
#include "experiment/uncertainty.hpp"

namespace ehsim::experiment {

ComparisonPlan comparison_plan(const config::Authority& base, const std::vector<ScenarioPlan>& options,
                               bool trajectories) {
  ComparisonPlan plan;
  plan.scenarios.push_back({"baseline", base});
  plan.scenarios.insert(plan.scenarios.end(), options.begin(), options.end());
  plan.seed = static_cast<std::uint64_t>(base.simulation.seed);
  plan.replicates = base.simulation.replicates;
  plan.trajectories = trajectories;
  return plan;
}

std::vector<ReplicateDraw> draw_replicates(const ComparisonPlan& plan) {
  const config::Authority& base = plan.scenarios.front().authority;
  const auto keys = experiment::uncertain_keys(base);
  std::vector<ReplicateDraw> draws(static_cast<std::size_t>(plan.replicates));
  if (keys.empty()) return draws;
  for (std::size_t r = 0; r < draws.size(); ++r) {
    draws[r].values = experiment::draw_uncertain(base, plan.seed, static_cast<std::uint32_t>(r));
    try {
      for (const auto& scenario : plan.scenarios)
        draws[r].authorities.push_back(config::with_numbers(scenario.authority, keys, draws[r].values));
    } catch (const config::ConfigError& error) {
      std::vector<config::ConfigIssue> issues = error.issues();
      for (auto& issue : issues) issue.message += " (replicate " + std::to_string(r) + "'s draw of [[uncertainty]])";
      throw config::ConfigError(issues);
    }
  }
  return draws;
}

ComparisonResults run_plan(const ComparisonPlan& plan, const std::vector<ReplicateDraw>& draws) {
  ComparisonResults results;
  const std::size_t scenarios = plan.scenarios.size();
  const auto replicates = static_cast<std::size_t>(plan.replicates);
  for (const auto& scenario : plan.scenarios) results.models.push_back(engine::build_model(scenario.authority));
  results.uncertain_keys = experiment::uncertain_keys(plan.scenarios.front().authority);
  for (const auto& draw : draws) results.draws.insert(results.draws.end(), draw.values.begin(), draw.values.end());
  results.runs.assign(scenarios, std::vector<engine::RunResult>(replicates));

  // One task a replicate; each writes only its own slots, so the order the
  // tasks run in changes nothing.
  tbb::parallel_for(std::size_t{0}, replicates, [&](std::size_t r) {
    // Isolated: while this replicate waits on its own family loops, its
    // thread takes no other replicate, so at most one replicate is in flight
    // per thread and memory stays bounded.
    tbb::this_task_arena::isolate([&] {
      const engine::RunSpec spec{plan.seed, static_cast<std::uint32_t>(r), plan.trajectories};
      std::vector<engine::Model> drawn;
      for (const auto& authority : draws[r].authorities) drawn.push_back(engine::build_model(authority));
      const auto model_of = [&](std::size_t s) -> const engine::Model& {
        return drawn.empty() ? results.models[s] : drawn[s];
      };
      const engine::StartState start = engine::burn_in(model_of(0), spec);
      for (std::size_t s = 0; s < scenarios; ++s)
        results.runs[s][r] =
            engine::simulate_from(model_of(s), spec, start, model_of(0), s > 0 ? &results.runs[0][r] : nullptr);
    });
  });
  return results;
}

}  // namespace ehsim::experiment

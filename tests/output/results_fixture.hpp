// A small comparison run as `ehsim run` runs one (a plan, its runs and their
// summary), ready to write as a results file.
#pragma once

#include <string>
#include <vector>

#include "config/load.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"
#include "output/results_file.hpp"

namespace ehsim::testing {

struct SmallResults {
  experiment::RunPlan plan;
  experiment::PlanResults results;
  experiment::Summary summary;
  std::vector<output::Scenario> scenarios;

  SmallResults(const config::Authority& authority, bool trajectories) {
    config::Authority one = authority;
    one.simulation.replicates = 1;
    plan = experiment::comparison_plan(one, {}, trajectories);
    results = experiment::run_and_keep(plan);
    summary = experiment::summarise(plan, results);
    scenarios.push_back({"baseline", config::to_toml(one), "", &results.models.front(), &results.runs.front()});
  }
  void write(const std::filesystem::path& path, const output::Provenance& provenance = {}) const {
    output::write_results(path, scenarios, summary, provenance);
  }
};

}  // namespace ehsim::testing

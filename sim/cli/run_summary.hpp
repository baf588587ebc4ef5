// The short, readable account of a run printed after `ehsim run`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::cli {

struct RunTiming {
  double seconds = 0;
  int threads = 0;
  int scenarios = 1;  // the runs timed: the baseline's, times this
};

// What an option changes against the baseline, per replicate with the same
// random numbers: means and 95% intervals of the headline differences.
void print_comparison(std::ostream& out, const std::string& name, const engine::Model& option_model,
                      const std::vector<engine::RunResult>& option, const engine::Model& baseline_model,
                      const std::vector<engine::RunResult>& baseline);

void print_run_summary(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                       const std::string& config_source, const RunTiming& timing);

std::string thousands(long long value);  // 35300 -> "35,300"

}  // namespace ehsim::cli

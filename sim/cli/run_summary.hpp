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
};

void print_run_summary(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                       const std::string& config_source, const RunTiming& timing);

std::string thousands(long long value);  // 35300 -> "35,300"

}  // namespace ehsim::cli

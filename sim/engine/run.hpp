// A run: one configuration, one seed, one replicate, from the starting
// population to the last month. A pure function of its inputs with no global
// state, so many runs can go at once on many threads or processes.
#pragma once

#include <cstdint>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

struct RunSpec {
  std::uint64_t seed = 1;
  std::uint32_t replicate = 0;
  bool trajectories = false;  // keep each family's level by month and the event log
};

RunResult simulate(const Model& model, const RunSpec& spec);

// A result with every array sized for the model and zeroed, as simulate starts from.
RunResult empty_run_result(const Model& model, const RunSpec& spec);

}  // namespace ehsim::engine

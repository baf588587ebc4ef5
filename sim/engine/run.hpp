// A run: one configuration, one seed, one replicate, from the starting
// population to the last month. A pure function of its inputs with no global
// state, so many runs can go at once on many threads or processes.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/families.hpp"
#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

struct RunSpec {
  std::uint64_t seed = 1;
  std::uint32_t replicate = 0;
  bool trajectories = false;  // keep each family's level by month and the event log
};

// Called after each recorded month with the families as they stand and the
// result so far: for tests and checks that follow a run month by month. (A
// ledger's spend lacks the universal services' until the run ends.)
using MonthObserver = std::function<void(std::int32_t month, const Families& families, const RunResult& so_far)>;

RunResult simulate(const Model& model, const RunSpec& spec, const MonthObserver& observe = {});

// The state at the start (the end of the burn-in): the families and the next
// id to give. Scenarios of one replicate branch from the same start.
struct StartState {
  Families families;
  std::uint32_t next_id = 0;
};

// Generates the starting families and runs the burn-in months.
StartState burn_in(const Model& model, const RunSpec& spec);

// Runs the recorded months from a start made with `from` (the baseline's
// model): families in a service or on a waiting list that `model` does not
// have start it unserved (a waiting family goes back to the front door).
// `reference`: the baseline's run of the same replicate, which reinvestment
// against the baseline measures savings from (null: none).
// `reference_model`: the model `reference` ran (null: `from`), whose services
// reinvestment matches by name. `ledger`: keep each family's spend and the
// services that admitted it (RunResult::ledger).
RunResult simulate_from(const Model& model, const RunSpec& spec, StartState start, const Model& from,
                        const RunResult* reference = nullptr, const MonthObserver& observe = {}, bool ledger = false,
                        const Model* reference_model = nullptr);

// A result with every array sized for the model and zeroed, as simulate starts from.
RunResult empty_run_result(const Model& model, const RunSpec& spec);

}  // namespace ehsim::engine

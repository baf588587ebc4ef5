// What every step of a month reads: the model, the random numbers, the month,
// where its counts go and whether the month is recorded.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model.hpp"
#include "engine/month_tally.hpp"
#include "engine/random_streams.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

struct MonthContext {
  const Model& model;
  const RandomSource& rng;
  const TallyLayout& layout;
  std::int32_t month;
  // Burn-in months are simulated but not recorded: they keep only the counts
  // the month itself needs (families present, caseloads, queues).
  bool recording;
  // With trajectories: each family's level this month, and the event log.
  RunResult* trajectories;
  // With per-family costs: each family's spend and whether a watched service admitted it.
  FamilyLedger* ledger = nullptr;

  [[nodiscard]] bool has_services() const { return !model.services.empty(); }
};

}  // namespace ehsim::engine

// One month of the model for every family: departures (ageing out, moving
// away), births, theme onset and remission, moves between levels, then
// arrivals at the end of the month (docs/model.md describes each step).
#pragma once

#include "engine/families.hpp"
#include "engine/model.hpp"
#include "engine/random_streams.hpp"
#include "engine/run_result.hpp"
#include "engine/service_system.hpp"

namespace ehsim::engine {

// Families handled together by one task. Fixed, so that the partition (and
// the order events are logged in) is the same for any number of threads.
inline constexpr std::size_t families_per_block = 8192;

// Advances every family by one month. Writes the month's row of `record`
// unless it is null (burn-in months, which are simulated but not recorded).
// Reuses `scratch` between months so the per-family loop allocates nothing.
struct MonthScratch {
  std::vector<std::int64_t> block_tallies;            // one row of tally counters per block
  std::vector<std::vector<Event>> block_events;       // with trajectories only
  std::vector<std::vector<QueueEntry>> block_queues;  // families in a queue, per block
  std::vector<QueueEntry> queue;                      // all of them, in block order
  std::vector<std::int64_t> extra_capacity;           // per service, added by reinvestment so far (or empty)
};
void advance_month(const Model& model, const RandomSource& rng, Families& families, std::int32_t month,
                   std::uint32_t& next_id, RunResult* record, MonthScratch& scratch);

// The themes a family has after one month, from the themes it had.
// `remission_boost`: per theme, multipliers on remission from the service
// the family is in (null: none).
std::uint16_t next_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                          std::uint16_t themes, int deprivation_quintile, double event_uniform,
                          const std::vector<double>* remission_boost = nullptr);

}  // namespace ehsim::engine

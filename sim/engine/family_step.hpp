// The part of a month each family lives on its own (docs/model.md, the
// monthly cycle's steps 1 to 6): it may leave; a child may be born; its open
// case may close, or it may be referred; its themes start and remit; its
// level moves; and a level outside its service's closes the case or re-routes
// it. Families are taken in fixed blocks, in parallel, each block counting
// into its own tally, so the result is the same for any number of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/families.hpp"
#include "engine/month_context.hpp"
#include "engine/waiting_list.hpp"

namespace ehsim::engine {

// Families handled together by one task. Fixed, so that the partition (and
// the order events are logged in) is the same for any number of threads.
inline constexpr std::size_t families_per_block = 8192;

// What the families' step keeps from month to month, so that the per-family
// loop allocates nothing once warm, and leaves for the rest of the month.
struct FamilyStepResult {
  std::size_t blocks = 0;
  std::vector<std::int64_t> block_tallies;            // one tally (month_tally.hpp) per block
  std::vector<std::int64_t> block_groups;             // per block, families by locality, quintile, age band, level
  std::vector<std::vector<Event>> block_events;       // with trajectories only
  std::vector<std::vector<QueueEntry>> block_queues;  // families in a queue after their step, per block
};

// Steps every family and counts the month so far into `tally` (cleared
// first), and its events into the context's trajectories, in block order.
void step_families(const MonthContext& context, Families& families, FamilyStepResult& out, MonthTally& tally);

}  // namespace ehsim::engine

// The front door (MASH, triage): each month it decides as many referrals as
// its capacity allows, in order (highest level, longest wait, lowest id),
// and routes each by its rules: no further action, declined, or onto a
// service's waiting list. The rest wait for next month.
#pragma once

#include <vector>

#include "engine/families.hpp"
#include "engine/month_context.hpp"
#include "engine/waiting_list.hpp"

namespace ehsim::engine {

// `queues`: every family in a queue after the families' step, gathered per
// block. Returns each service's waiting list after triage, unordered.
// Counts go into `tally` (front_door, service_waiting_flows' joined);
// events into `events` when given.
std::vector<std::vector<QueueEntry>> triage(const MonthContext& context, Families& families,
                                            const std::vector<std::vector<QueueEntry>>& queues, MonthTally& tally,
                                            std::vector<Event>* events);

}  // namespace ehsim::engine

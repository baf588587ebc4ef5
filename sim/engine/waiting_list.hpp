// Families in a queue, the front door's or a service's waiting list, and the
// order they are taken in: the highest level, then the longest wait, then
// the lowest family id. A total order, so the result never depends on the
// order the entries were gathered in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ehsim::engine {

struct QueueEntry {
  std::uint32_t id;
  std::uint32_t position;  // index into the Families arrays this month
  std::uint8_t queue;      // front_door_queue or waiting_for(service)
  std::uint8_t level;
  std::uint16_t wait_months;
};

inline bool taken_before(const QueueEntry& a, const QueueEntry& b) {
  if (a.level != b.level) return a.level > b.level;
  if (a.wait_months != b.wait_months) return a.wait_months > b.wait_months;
  return a.id < b.id;
}

// Sorts into the order families are taken.
inline void order_for_admission(std::vector<QueueEntry>& entries) {
  std::sort(entries.begin(), entries.end(), taken_before);
}

}  // namespace ehsim::engine

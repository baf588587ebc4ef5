#include "engine/service_system.hpp"

#include <algorithm>

namespace ehsim::engine {

void order_for_admission(std::vector<QueueEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const QueueEntry& a, const QueueEntry& b) {
    if (a.level != b.level) return a.level > b.level;
    if (a.wait_months != b.wait_months) return a.wait_months > b.wait_months;
    return a.id < b.id;
  });
}

ServiceMonth run_front_door_and_admissions(const Model& model, const RandomSource& rng, Families& families,
                                           std::int32_t month, std::vector<QueueEntry>& queue,
                                           std::span<const std::int64_t> caseload, std::vector<Event>* events) {
  constexpr Stream consent_stream = stream("services.consent");
  const std::size_t service_count = model.services.size();
  ServiceMonth result;
  result.front_door.assign(front_door_measure::count, 0);
  result.joined.assign(service_count, 0);
  result.admissions.assign(service_count, 0);
  result.wait_months.assign(service_count, 0);
  result.waiting.assign(service_count, 0);
  result.caseload.assign(caseload.begin(), caseload.end());
  result.capacity.assign(service_count, 0);
  result.spend_by_level.assign(static_cast<std::size_t>(model.level_count), 0);
  result.spend_by_service.assign(service_count, 0);
  result.spend_by_payer.assign(2 * static_cast<std::size_t>(model.payer_count), 0);
  const auto log = [&](const QueueEntry& entry, EventType type, int service) {
    if (events)
      events->push_back({entry.id, month, type, static_cast<std::int8_t>(entry.level + 1),
                         static_cast<std::int8_t>(entry.level + 1), static_cast<std::uint8_t>(service + 1)});
  };

  // The front door decides as many referrals as it can, in order.
  std::vector<QueueEntry> at_front_door;
  std::vector<std::vector<QueueEntry>> waiting(service_count);
  for (const auto& entry : queue) {
    if (entry.queue == front_door_queue)
      at_front_door.push_back(entry);
    else
      waiting[entry.queue - waiting_for(0)].push_back(entry);
  }
  order_for_admission(at_front_door);
  const auto decided = static_cast<std::size_t>(
      std::min<std::int64_t>(model.triage_capacity, static_cast<std::int64_t>(at_front_door.size())));
  for (std::size_t d = 0; d < at_front_door.size(); ++d) {
    QueueEntry entry = at_front_door[d];
    if (d >= decided) {
      ++result.front_door[front_door_measure::waiting];
      continue;
    }
    ++result.front_door[front_door_measure::triaged];
    const int route = model.route_by_level[entry.level];
    if (route < 0) {
      families.queue[entry.position] = 0;
      ++result.front_door[front_door_measure::no_further_action];
      log(entry, EventType::no_further_action, -1);
      continue;
    }
    const auto& service = model.services[static_cast<std::size_t>(route)];
    if (rng.uniform(consent_stream, families.key[entry.position], month) >= service.consent_probability) {
      families.queue[entry.position] = 0;
      ++result.front_door[front_door_measure::declined];
      log(entry, EventType::declined, route);
      continue;
    }
    ++result.front_door[front_door_measure::routed];
    ++result.joined[static_cast<std::size_t>(route)];
    entry.queue = waiting_for(route);
    entry.wait_months = 0;
    families.queue[entry.position] = entry.queue;
    families.months_in_state[entry.position] = 0;
    waiting[static_cast<std::size_t>(route)].push_back(entry);
  }

  // Each service admits from its waiting list up to its free capacity; a cut
  // in capacity stops admissions until the caseload falls below it.
  for (std::size_t s = 0; s < service_count; ++s) {
    const auto& service = model.services[s];
    auto& candidates = waiting[s];
    order_for_admission(candidates);
    const std::int64_t capacity = service.capacity(month);
    const std::size_t admitted = service.statutory
                                     ? candidates.size()
                                     : static_cast<std::size_t>(std::min<std::int64_t>(
                                           capacity > result.caseload[s] ? capacity - result.caseload[s] : 0,
                                           static_cast<std::int64_t>(candidates.size())));
    for (std::size_t a = 0; a < admitted; ++a) {
      const auto& entry = candidates[a];
      families.service[entry.position] = static_cast<std::uint8_t>(s + 1);
      families.queue[entry.position] = 0;
      families.months_in_state[entry.position] = 0;
      result.wait_months[s] += entry.wait_months;
      const int children = children_under_18(families.birth_month[entry.position], month);
      const std::int64_t pence =
          service.start_pence + service.case_month_pence * (service.cost_per_child ? children : 1);
      result.spend_by_level[entry.level] += pence;
      result.spend_by_service[s] += pence;
      result.spend_by_payer[2 * static_cast<std::size_t>(service.payer) + (service.cashable ? 1 : 0)] += pence;
      log(entry, EventType::admission, static_cast<int>(s));
    }
    result.admissions[s] = static_cast<std::int64_t>(admitted);
    result.caseload[s] += static_cast<std::int64_t>(admitted);
    result.waiting[s] = static_cast<std::int64_t>(candidates.size() - admitted);
    result.capacity[s] = service.statutory ? result.caseload[s] : capacity;
  }
  return result;
}

}  // namespace ehsim::engine

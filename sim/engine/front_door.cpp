#include "engine/front_door.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

namespace ehsim::engine {

namespace {
constexpr Stream consent_stream = stream("services.consent");

struct Decision {
  int route = -1;  // service, or -1 for no further action
  bool consents = false;
};
}  // namespace

std::vector<std::vector<QueueEntry>> triage(const MonthContext& context, Families& families,
                                            const std::vector<std::vector<QueueEntry>>& queues, MonthTally& tally,
                                            std::vector<Event>* events) {
  const Model& model = context.model;
  std::vector<QueueEntry> at_front_door;
  std::vector<std::vector<QueueEntry>> waiting(model.services.size());
  for (const auto& block : queues)
    for (const auto& entry : block) {
      if (entry.queue == front_door_queue)
        at_front_door.push_back(entry);
      else
        waiting[entry.queue - waiting_for(0)].push_back(entry);
    }
  // A total order: the same result however the sort divides the work.
  tbb::parallel_sort(at_front_door.begin(), at_front_door.end(), taken_before);
  const auto decided = static_cast<std::size_t>(
      std::min<std::int64_t>(model.triage_capacity, static_cast<std::int64_t>(at_front_door.size())));

  // Each decision depends on the family alone (its level, themes, the age of
  // its youngest child and its own consent draw), so they are made in
  // parallel and applied in order.
  std::vector<Decision> decisions(decided);
  tbb::parallel_for(std::size_t{0}, decided, [&](std::size_t d) {
    const QueueEntry& entry = at_front_door[d];
    Decision& decision = decisions[d];
    decision.route = model.route(entry.level, families.themes[entry.position],
                                 context.month - families.birth_month[entry.position][0], context.month);
    if (decision.route < 0) return;
    const auto& service = model.services[static_cast<std::size_t>(decision.route)];
    decision.consents =
        context.rng.uniform(consent_stream, families.key[entry.position], context.month) < service.consent_probability;
  });

  TallyRow front_door = tally[&RunResult::front_door];
  TallyRow waiting_flows = tally[&RunResult::service_waiting_flows];
  const auto log = [&](const QueueEntry& entry, EventType type, int service) {
    if (events)
      events->push_back({entry.id, context.month, type, static_cast<std::int8_t>(entry.level + 1),
                         static_cast<std::int8_t>(entry.level + 1), static_cast<std::uint8_t>(service + 1)});
  };
  front_door[front_door_measure::waiting] += static_cast<std::int64_t>(at_front_door.size() - decided);
  front_door[front_door_measure::triaged] += static_cast<std::int64_t>(decided);
  for (std::size_t d = 0; d < decided; ++d) {
    QueueEntry entry = at_front_door[d];
    const auto [route, consents] = decisions[d];
    if (route < 0 || !consents) {
      families.queue[entry.position] = 0;
      ++front_door[route < 0 ? front_door_measure::no_further_action : front_door_measure::declined];
      log(entry, route < 0 ? EventType::no_further_action : EventType::declined, route);
      continue;
    }
    ++front_door[front_door_measure::routed];
    ++waiting_flows(static_cast<std::size_t>(route), waiting_flow::joined);
    entry.queue = waiting_for(route);
    entry.wait_months = 0;
    families.queue[entry.position] = entry.queue;
    families.months_in_state[entry.position] = 0;
    waiting[static_cast<std::size_t>(route)].push_back(entry);
  }
  return waiting;
}

}  // namespace ehsim::engine

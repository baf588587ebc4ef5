#include "engine/service_system.hpp"

#include <algorithm>
#include <bit>

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
                                           std::span<const std::int64_t> caseload_by_locality,
                                           std::span<const std::int64_t> extra_capacity, std::vector<Event>* events) {
  constexpr Stream consent_stream = stream("services.consent");
  constexpr Stream duration_stream = stream("services.duration");
  const std::size_t service_count = model.services.size();
  const std::size_t localities = model.locality_shares.size();
  const auto themes = static_cast<std::size_t>(model.theme_count);
  ServiceMonth result;
  result.front_door.assign(front_door_measure::count, 0);
  result.joined.assign(service_count, 0);
  result.admissions.assign(service_count, 0);
  result.wait_months.assign(service_count, 0);
  result.waiting.assign(service_count, 0);
  result.caseload.assign(service_count, 0);
  result.capacity.assign(service_count, 0);
  result.admitted_stepped_down.assign(service_count, 0);
  result.children.assign(service_count, 0);
  result.theme_cases.assign(service_count * themes, 0);
  result.caseload_by_locality.assign(caseload_by_locality.begin(), caseload_by_locality.end());
  result.capacity_by_locality.assign(service_count * localities, -1);
  result.spend_by_level.assign(static_cast<std::size_t>(model.level_count), 0);
  result.spend_by_service.assign(service_count, 0);
  result.spend_by_payer.assign(2 * static_cast<std::size_t>(model.payer_count), 0);
  result.spend_by_locality.assign(localities, 0);
  result.spend_by_deprivation.assign(deprivation_quintiles, 0);
  result.spend_by_age_band.assign(age_bands, 0);
  for (std::size_t s = 0; s < service_count; ++s)
    for (std::size_t l = 0; l < localities; ++l) result.caseload[s] += caseload_by_locality[s * localities + l];
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
    const int route = model.route(entry.level, families.themes[entry.position]);
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

  // Each service admits from its waiting list up to its free capacity, in
  // the families' own locality where capacity is held per locality; a cut in
  // capacity stops admissions until the caseload falls below it.
  for (std::size_t s = 0; s < service_count; ++s) {
    const auto& service = model.services[s];
    auto& candidates = waiting[s];
    order_for_admission(candidates);
    const std::int64_t capacity = service.capacity(month) + (extra_capacity.empty() ? 0 : extra_capacity[s]);
    std::int64_t* caseload_here = result.caseload_by_locality.data() + s * localities;
    // Free places: one pool, or one per locality.
    std::vector<std::int64_t> free(service.capacity_by_locality ? localities : 1, 0);
    if (service.capacity_by_locality) {
      const auto split = model.capacity_by_locality(capacity);
      for (std::size_t l = 0; l < localities; ++l) {
        result.capacity_by_locality[s * localities + l] = split[l];
        free[l] = std::max<std::int64_t>(0, split[l] - caseload_here[l]);
      }
    } else {
      free[0] = std::max<std::int64_t>(0, capacity - result.caseload[s]);
    }
    std::int64_t admitted = 0;
    for (const auto& entry : candidates) {
      const std::size_t i = entry.position;
      const std::size_t locality = families.locality[i];
      std::int64_t& places = free[service.capacity_by_locality ? locality : 0];
      if (!service.statutory) {
        if (places == 0) continue;
        --places;
      }
      ++admitted;
      families.service[i] = static_cast<std::uint8_t>(s + 1);
      families.queue[i] = 0;
      families.months_in_state[i] = 0;
      if (families.flags[i] & family_flag::stepped_down) ++result.admitted_stepped_down[s];
      // The kind of episode, where the service's lengths are a mixture.
      int kind = 0;
      if (service.duration_kind_cdf.size() > 1) {
        const double u = rng.uniform(duration_stream, families.key[i], month);
        while (u >= service.duration_kind_cdf[static_cast<std::size_t>(kind)]) ++kind;
      }
      families.flags[i] = static_cast<std::uint8_t>(
          (families.flags[i] & ~(family_flag::stepped_down | family_flag::duration_kind_mask)) |
          (kind << family_flag::duration_kind_shift));
      result.wait_months[s] += entry.wait_months;
      ++caseload_here[locality];
      const int children = children_under_18(families.birth_month[i], month);
      result.children[s] += children;
      for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
        ++result.theme_cases[s * themes + static_cast<std::size_t>(std::countr_zero(bits))];
      const std::int64_t pence =
          service.start_pence + service.case_month_pence * (service.cost_per_child ? children : 1);
      result.spend_by_level[entry.level] += pence;
      result.spend_by_service[s] += pence;
      result.spend_by_payer[2 * static_cast<std::size_t>(service.payer) + (service.cashable ? 1 : 0)] += pence;
      result.spend_by_locality[locality] += pence;
      result.spend_by_deprivation[families.deprivation_quintile[i]] += pence;
      result.spend_by_age_band[static_cast<std::size_t>(age_band_of_youngest(families.birth_month[i], month))] += pence;
      log(entry, EventType::admission, static_cast<int>(s));
    }
    result.admissions[s] = admitted;
    result.caseload[s] += admitted;
    result.waiting[s] = static_cast<std::int64_t>(candidates.size()) - admitted;
    result.capacity[s] = service.statutory ? result.caseload[s] : capacity;
  }
  return result;
}

}  // namespace ehsim::engine

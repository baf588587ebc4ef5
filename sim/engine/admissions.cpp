#include "engine/admissions.hpp"

#include <algorithm>
#include <bit>

#include <oneapi/tbb/parallel_for.h>

namespace ehsim::engine {

namespace {

constexpr Stream duration_stream = stream("services.duration");

// What one service's admissions add to the rows that all services share,
// gathered apart so that services can admit at the same time.
struct SharedCounts {
  std::vector<std::int64_t> spend_by_level, spend_by_payer, spend_by_locality, spend_by_deprivation, spend_by_age_band;
  std::int64_t stepped_down = 0;  // admitted after stepping down from social care
  std::vector<Event> events;
};

SharedCounts admit_to_service(const MonthContext& context, Families& families, std::size_t s,
                              std::vector<QueueEntry>& candidates, std::int64_t extra_capacity, MonthTally& tally) {
  const Model& model = context.model;
  const auto& service = model.services[s];
  const std::size_t localities = model.locality_shares.size();
  SharedCounts shared;
  shared.spend_by_level.assign(static_cast<std::size_t>(model.level_count), 0);
  shared.spend_by_payer.assign(2 * static_cast<std::size_t>(model.payer_count), 0);
  shared.spend_by_locality.assign(localities, 0);
  shared.spend_by_deprivation.assign(deprivation_quintiles, 0);
  shared.spend_by_age_band.assign(age_bands, 0);
  // This service's rows: no other service writes them.
  TallyRow caseload_by_locality = tally[&RunResult::service_caseload_by_locality];
  TallyRow capacity_by_locality = tally[&RunResult::service_capacity_by_locality];
  TallyRow theme_cases = tally[&RunResult::service_theme_cases];

  order_for_admission(candidates);
  const std::int64_t capacity = service.capacity(context.month) + extra_capacity;
  std::int64_t caseload = 0;
  for (std::size_t l = 0; l < localities; ++l) caseload += caseload_by_locality(s, l);
  // Free places: one pool, or one per locality.
  std::vector<std::int64_t> free(service.capacity_by_locality ? localities : 1, 0);
  if (service.capacity_by_locality) {
    const auto split = model.capacity_by_locality(capacity);
    for (std::size_t l = 0; l < localities; ++l) {
      capacity_by_locality(s, l) = split[l];
      free[l] = std::max<std::int64_t>(0, split[l] - caseload_by_locality(s, l));
    }
  } else {
    for (std::size_t l = 0; l < localities; ++l) capacity_by_locality(s, l) = -1;
    free[0] = std::max<std::int64_t>(0, capacity - caseload);
  }
  std::int64_t admitted = 0, children_admitted = 0, wait_months = 0;
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
    if (families.flags[i] & family_flag::stepped_down) ++shared.stepped_down;
    // The kind of episode, where the service's lengths are a mixture.
    int kind = 0;
    if (service.duration_kind_cdf.size() > 1) {
      const double u = context.rng.uniform(duration_stream, families.key[i], context.month);
      while (u >= service.duration_kind_cdf[static_cast<std::size_t>(kind)]) ++kind;
    }
    families.flags[i] =
        static_cast<std::uint8_t>((families.flags[i] & ~(family_flag::stepped_down | family_flag::duration_kind_mask)) |
                                  (kind << family_flag::duration_kind_shift));
    wait_months += entry.wait_months;
    ++caseload_by_locality(s, locality);
    const int children = children_under_18(families.birth_month[i], context.month);
    children_admitted += children;
    for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
      ++theme_cases(s, static_cast<std::size_t>(std::countr_zero(bits)));
    // The start cost and the first month.
    const std::int64_t pence = model.price(service.start_pence, service.payer, context.month) +
                               model.case_month_price(s, context.month) * (service.cost_per_child ? children : 1);
    shared.spend_by_level[entry.level] += pence;
    if (context.ledger != nullptr) {  // a family waits for one service: no other writes its slots
      context.ledger->charge(entry.id, service.payer, service.cashable, pence);
      context.ledger->mark(entry.id, s);
    }
    tally[&RunResult::spend_by_service][s] += pence;
    shared.spend_by_payer[2 * static_cast<std::size_t>(service.payer) + (service.cashable ? 1 : 0)] += pence;
    shared.spend_by_locality[locality] += pence;
    shared.spend_by_deprivation[families.deprivation_quintile[i]] += pence;
    shared.spend_by_age_band[static_cast<std::size_t>(age_band_of_youngest(families.birth_month[i], context.month))] +=
        pence;
    if (context.trajectories != nullptr)
      shared.events.push_back({entry.id, context.month, EventType::admission, static_cast<std::int8_t>(entry.level + 1),
                               static_cast<std::int8_t>(entry.level + 1), static_cast<std::uint8_t>(s + 1)});
  }
  caseload += admitted;
  tally[&RunResult::service_admissions][s] = admitted;
  tally[&RunResult::service_wait_months][s] = wait_months;
  tally[&RunResult::service_caseload][s] = caseload;
  tally[&RunResult::service_waiting][s] = static_cast<std::int64_t>(candidates.size()) - admitted;
  tally[&RunResult::service_capacity][s] = service.statutory ? caseload : capacity;
  tally[&RunResult::service_children][s] += children_admitted;
  tally[&RunResult::service_admitted_children][s] = children_admitted;
  return shared;
}

}  // namespace

void admit(const MonthContext& context, Families& families, std::vector<std::vector<QueueEntry>>& waiting,
           std::span<const std::int64_t> extra_capacity, MonthTally& tally, std::vector<Event>* events) {
  const Model& model = context.model;
  std::vector<SharedCounts> shared(model.services.size());
  tbb::parallel_for(std::size_t{0}, model.services.size(), [&](std::size_t s) {
    shared[s] =
        admit_to_service(context, families, s, waiting[s], extra_capacity.empty() ? 0 : extra_capacity[s], tally);
  });
  // In service order: the event log lists each service's admissions in turn.
  TallyRow spend_by_level = tally[&RunResult::spend_by_level];
  TallyRow spend_by_payer = tally[&RunResult::spend_by_payer];
  TallyRow spend_by_locality = tally[&RunResult::spend_by_locality];
  TallyRow spend_by_deprivation = tally[&RunResult::spend_by_deprivation];
  TallyRow spend_by_age_band = tally[&RunResult::spend_by_age_band];
  TallyRow indicators = tally[&RunResult::indicators];
  const auto add = [](TallyRow row, const std::vector<std::int64_t>& values) {
    for (std::size_t c = 0; c < values.size(); ++c) row[c] += values[c];
  };
  for (std::size_t s = 0; s < shared.size(); ++s) {
    add(spend_by_level, shared[s].spend_by_level);
    add(spend_by_payer, shared[s].spend_by_payer);
    add(spend_by_locality, shared[s].spend_by_locality);
    add(spend_by_deprivation, shared[s].spend_by_deprivation);
    add(spend_by_age_band, shared[s].spend_by_age_band);
    if (model.services[s].early_help)
      indicators[indicator::early_help_assessments_stepped_down] += shared[s].stepped_down;
    if (events) events->insert(events->end(), shared[s].events.begin(), shared[s].events.end());
  }
}

}  // namespace ehsim::engine

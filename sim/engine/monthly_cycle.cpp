#include "engine/monthly_cycle.hpp"

#include "engine/admissions.hpp"
#include "engine/arrivals.hpp"
#include "engine/front_door.hpp"
#include "engine/month_totals.hpp"

namespace ehsim::engine {

void advance_month(const Model& model, const RandomSource& rng, Families& families, std::int32_t month,
                   std::uint32_t& next_id, std::span<const std::int64_t> extra_capacity, RunResult* record,
                   MonthScratch& scratch) {
  RunResult* trajectories = record != nullptr && record->has_trajectories ? record : nullptr;
  FamilyLedger* ledger = record != nullptr && record->ledger.kept() ? &record->ledger : nullptr;
  const MonthContext context{model, rng, scratch.layout, month, record != nullptr, trajectories, ledger};
  std::vector<Event>* events = trajectories != nullptr ? &record->events : nullptr;
  MonthTally& tally = scratch.tally;

  // 1-6. Each family on its own: departures, births, its open case or a
  //      referral, its themes, its level, and what the level means for its case.
  step_families(context, families, scratch.families, tally);

  // 7. The front door decides referrals; 8. services admit from their lists.
  if (context.has_services()) {
    auto waiting = triage(context, families, scratch.families.block_queues, tally, events);
    admit(context, families, waiting, extra_capacity, tally, events);
  }

  // 9. Arrivals join at the end of the month.
  arrive(context, families, next_id, tally, events);

  // Departed families are swept out once they are a quarter of the arrays.
  std::size_t present = 0;
  const TallyRow stock = tally[&RunResult::stock_families];
  for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k)
    present += static_cast<std::size_t>(stock[k]);
  if (families.size() - present > families.size() / 4) families.remove_departed();

  if (record == nullptr) return;  // a burn-in month
  complete_month(context, tally);
  tally.record(*record, static_cast<std::size_t>(month));
  if (trajectories != nullptr) record->trajectory_families = next_id;
}

}  // namespace ehsim::engine

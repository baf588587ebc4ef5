#include "engine/arrivals.hpp"

#include <bit>
#include <limits>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include "config/diagnostics.hpp"
#include "engine/population.hpp"

namespace ehsim::engine {

void arrive(const MonthContext& context, Families& families, std::uint32_t& next_id, MonthTally& tally,
            std::vector<Event>* events) {
  const Model& model = context.model;
  const std::int32_t month = context.month;
  TallyRow stock_families = tally[&RunResult::stock_families];
  std::int64_t present = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k) present += stock_families[k];
  const std::int64_t arriving = arrivals_in_month(model, context.rng, month, present);
  if (arriving <= 0) return;
  if (arriving > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max() - 1 - next_id)) {
    config::ConfigIssue issue;  // ids are 32-bit; every family ever present needs one
    issue.key = "population";
    issue.message =
        "this run would create more than 4 billion families; use fewer families, months or a lower "
        "move_away_hazard_per_month";
    throw config::ConfigError({issue});
  }
  const std::size_t first = families.size();
  const std::uint32_t first_id = next_id;
  families.resize(first + static_cast<std::size_t>(arriving));
  next_id += static_cast<std::uint32_t>(arriving);
  // The a-th arrival of a month is the same family in every scenario,
  // however many arrived before it (random_streams.hpp).
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, static_cast<std::size_t>(arriving), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t a = range.begin(); a != range.end(); ++a) {
                        const FamilyKey key = arrival_key(month + model.burn_in_months, static_cast<std::uint32_t>(a));
                        families.set(first + a,
                                     generate_family(model, context.rng, first_id + static_cast<std::uint32_t>(a), key,
                                                     month, Origin::arrival));
                      }
                    });

  TallyRow arrivals = tally[&RunResult::arrivals];
  TallyRow stock_children = tally[&RunResult::stock_children];
  TallyRow theme_families = tally[&RunResult::theme_families];
  TallyRow stock_by_locality = tally[&RunResult::stock_by_locality];
  TallyRow stock_by_deprivation = tally[&RunResult::stock_by_deprivation];
  TallyRow stock_by_age_band = tally[&RunResult::stock_by_age_band];
  RunResult* trajectories = context.trajectories;
  const auto months = static_cast<std::size_t>(model.months);
  if (trajectories != nullptr) trajectories->trajectory_levels.resize(static_cast<std::size_t>(next_id) * months, 0);
  FamilyLedger* ledger = context.ledger;
  if (ledger != nullptr) ledger->grow(next_id);
  for (std::size_t i = first; i < families.size(); ++i) {
    const std::size_t level = families.need_level[i];
    if (ledger != nullptr && model.universal_pence_by_level[level] != 0)
      ledger->charge_universal(families.id[i], model.universal_price(level, month));
    const auto& births = families.birth_month[i];
    ++arrivals[level];
    ++stock_families[level];
    stock_children[level] += children_under_18(births, month);
    for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
      ++theme_families[static_cast<std::size_t>(std::countr_zero(bits))];
    ++stock_by_locality(families.locality[i], level);
    ++stock_by_deprivation(families.deprivation_quintile[i], level);
    ++stock_by_age_band(static_cast<std::size_t>(age_band_of_youngest(births, month)), level);
    if (trajectories != nullptr) {
      const auto recorded = static_cast<std::int8_t>(level + 1);
      trajectories->trajectory_levels[families.id[i] * months + static_cast<std::size_t>(month)] = recorded;
      events->push_back({families.id[i], month, EventType::arrival, 0, recorded});
    }
  }
}

}  // namespace ehsim::engine

#include "engine/run.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

#include "engine/calendar.hpp"
#include "engine/measures.hpp"
#include "engine/monthly_cycle.hpp"
#include "engine/population.hpp"
#include "engine/reinvestment.hpp"

namespace ehsim::engine {

RunResult empty_run_result(const Model& model, const RunSpec& spec) {
  RunResult result;
  result.seed = spec.seed;
  result.replicate = spec.replicate;
  result.months = model.months;
  result.levels = model.level_count;
  result.themes = model.theme_count;
  for (const auto& measure : measures()) {
    CountArray& array = result.*measure.member;
    array.shape = measure.shape(model);
    std::size_t size = 1;
    for (const std::size_t dim : array.shape) size *= dim;
    array.values.assign(size, 0);
  }
  result.has_trajectories = spec.trajectories;
  return result;
}

namespace {

// Room for every family a run holds at once: the most its projection expects,
// and the departed that wait, up to a quarter of the arrays, to be swept out.
std::size_t families_capacity(const Model& model) {
  double most = projected_families(model, -1);
  for (std::int32_t month = 0; month < model.months; ++month) most = std::max(most, projected_families(model, month));
  return static_cast<std::size_t>(most * 1.4) + 64;
}

}  // namespace

StartState burn_in(const Model& model, const RunSpec& spec) {
  const RandomSource rng(spec.seed, spec.replicate);
  // Months -burn_in..-1 run the same cycle but record nothing.
  StartState start;
  start.families = initial_population(model, rng, -model.burn_in_months);
  start.families.reserve(families_capacity(model));
  start.next_id = static_cast<std::uint32_t>(start.families.size());
  MonthScratch scratch(model);
  for (std::int32_t month = -model.burn_in_months; month < 0; ++month)
    advance_month(model, rng, start.families, month, start.next_id, {}, nullptr, scratch);
  return start;
}

namespace {

// Moves a start made under `from` onto `to`'s services, matched by name.
void remap_services(Families& families, const Model& from, const Model& to) {
  std::vector<int> index(from.services.size(), -1);  // from's service -> to's, or -1
  for (std::size_t s = 0; s < from.services.size(); ++s)
    for (std::size_t t = 0; t < to.services.size(); ++t)
      if (from.authority.services[s].name == to.authority.services[t].name) index[s] = static_cast<int>(t);
  bool identity = from.services.size() == to.services.size();
  for (std::size_t s = 0; s < index.size(); ++s) identity = identity && index[s] == static_cast<int>(s);
  if (identity) return;
  const auto mapped = [&index](std::uint8_t one_based) {
    return one_based == 0 ? 0 : index[one_based - 1u] + 1;  // 0: none (or gone)
  };
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (families.need_level[i] == departed) continue;
    if (families.service[i] != 0) {
      families.service[i] = static_cast<std::uint8_t>(mapped(families.service[i]));
      if (families.service[i] == 0) families.months_in_state[i] = 0;  // its service is gone: unserved
    }
    if (families.queue[i] >= waiting_for(0)) {
      const int waited_for = mapped(static_cast<std::uint8_t>(families.queue[i] - waiting_for(0) + 1));
      families.queue[i] = waited_for == 0 ? front_door_queue : waiting_for(waited_for - 1);
      if (waited_for == 0) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
    }
    families.last_service[i] = static_cast<std::uint8_t>(mapped(families.last_service[i]));
    if (families.last_service[i] == 0) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::after_effect);
  }
}

// A service's episodes may be a mixture of fewer kinds in the option.
void clamp_duration_kinds(Families& families, const Model& model) {
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (families.service[i] == 0) continue;
    const auto kinds = model.services[families.service[i] - 1u].closure_hazards.size();
    const auto kind = static_cast<std::size_t>((families.flags[i] & family_flag::duration_kind_mask) >>
                                               family_flag::duration_kind_shift);
    if (kind >= kinds) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::duration_kind_mask);
  }
}

}  // namespace

RunResult simulate(const Model& model, const RunSpec& spec, const MonthObserver& observe) {
  return simulate_from(model, spec, burn_in(model, spec), model, nullptr, observe);
}

RunResult simulate_from(const Model& model, const RunSpec& spec, StartState start, const Model& from,
                        const RunResult* reference, const MonthObserver& observe, bool ledger,
                        const Model* reference_model) {
  const RandomSource rng(spec.seed, spec.replicate);
  RunResult result = empty_run_result(model, spec);
  Families& families = start.families;
  families.reserve(families_capacity(model));
  std::uint32_t& next_id = start.next_id;
  if (&from != &model) {
    remap_services(families, from, model);
    clamp_duration_kinds(families, model);
  }
  MonthScratch scratch(model);

  // The start: the state at the end of the month before month 0, like every
  // other stock. Without a burn-in the families are generated as of month 0
  // (children born up to month 0), which is then the moment they describe.
  const int start_month = model.burn_in_months > 0 ? -1 : 0;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const int level = families.need_level[i];
    if (level == departed) continue;
    ++result.initial_families(level);
    result.initial_children(level) += children_under_18(families.birth_month[i], start_month);
    for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
      ++result.initial_theme_families(std::countr_zero(bits));
  }
  if (spec.trajectories) {
    // Rows are family ids; families that left during the burn-in keep empty rows.
    result.trajectory_families = next_id;
    result.trajectory_levels.assign(static_cast<std::size_t>(next_id) * static_cast<std::size_t>(model.months), 0);
  }
  if (ledger) {
    result.ledger.columns = 2 * static_cast<std::size_t>(model.payer_count);
    result.ledger.universal_column =
        2 * static_cast<std::size_t>(model.universal_payer) + (model.universal_cashable ? 1 : 0);
    result.ledger.grow(next_id);
  }
  Reinvestor reinvestor(model, reference_model != nullptr ? reference_model : &from, reference);
  for (std::int32_t month = 0; month < model.months; ++month) {
    advance_month(model, rng, families, month, next_id, reinvestor.extra_capacity(month), &result, scratch);
    reinvestor.decide(month, result);
    if (observe) observe(month, families, result);
  }
  if (ledger) result.ledger.fold_universal();
  return result;
}

}  // namespace ehsim::engine

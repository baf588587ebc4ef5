#include "engine/run.hpp"

#include <bit>

#include "engine/monthly_cycle.hpp"
#include "engine/population.hpp"

namespace ehsim::engine {

RunResult simulate(const Model& model, const RunSpec& spec) {
  const auto months = static_cast<std::size_t>(model.months);
  const auto levels = static_cast<std::size_t>(model.level_count);
  const auto themes = static_cast<std::size_t>(model.theme_count);
  const RandomSource rng(spec.seed, spec.replicate);

  RunResult result;
  result.seed = spec.seed;
  result.replicate = spec.replicate;
  result.months = model.months;
  result.levels = model.level_count;
  result.themes = model.theme_count;
  result.initial_families = CountArray{levels};
  result.initial_children = CountArray{levels};
  result.initial_theme_families = CountArray{themes};
  result.stock_families = CountArray{months, levels};
  result.stock_children = CountArray{months, levels};
  result.flows = CountArray{months, levels, levels};
  result.arrivals = CountArray{months, levels};
  result.departures_aged_out = CountArray{months, levels};
  result.departures_moved = CountArray{months, levels};
  result.theme_families = CountArray{months, themes};

  Families families = initial_population(model, rng);
  for (std::size_t i = 0; i < families.size(); ++i) {
    const int level = families.need_level[i];
    ++result.initial_families(level);
    result.initial_children(level) += children_under_18(families.birth_month[i], 0);
    for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
      ++result.initial_theme_families(std::countr_zero(bits));
  }

  auto next_id = static_cast<std::uint32_t>(families.size());
  result.has_trajectories = spec.trajectories;
  if (spec.trajectories) {
    result.trajectory_families = next_id;
    result.trajectory_levels.assign(families.size() * months, 0);
  }
  MonthScratch scratch;
  for (std::size_t month = 0; month < months; ++month)
    advance_month(model, rng, families, static_cast<std::int32_t>(month), next_id, result, scratch);
  return result;
}

}  // namespace ehsim::engine

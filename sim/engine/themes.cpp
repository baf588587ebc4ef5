#include "engine/themes.hpp"

#include <array>
#include <bit>

#include "config/limits.hpp"
#include "engine/hazard.hpp"

namespace ehsim::engine {

namespace {
constexpr std::size_t max_theme_count = config::max_themes;
constexpr Stream theme_detail_stream = stream("monthly.theme_detail");
}  // namespace

std::uint16_t next_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                          std::uint16_t themes, int deprivation_quintile, double event_uniform,
                          const std::vector<double>* remission_boost) {
  const int count = model.theme_count;
  // The chance that no theme changes is exp(-total hazard), exactly as if each
  // theme were drawn on its own; 1 - exp(-total) <= total, so a uniform at or
  // above the total needs no exponential. Most family-months stop here.
  const double dep = model.deprivation_multiplier[deprivation_quintile];
  const auto remission = [&](int j) { return model.remission[j] * (remission_boost ? (*remission_boost)[j] : 1.0); };
  double remission_total = model.remission_sum_by_mask[themes];
  if (remission_boost) {
    remission_total = 0;
    for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1) remission_total += remission(std::countr_zero(bits));
  }
  // Demand as it stands this month.
  const std::vector<double>* onset = &model.onset;
  const std::vector<double>* onset_sum_by_mask = &model.onset_sum_by_mask;
  for (const auto& change : model.onset_changes)
    if (month >= change.from_month) {
      onset = &change.onset;
      onset_sum_by_mask = &change.onset_sum_by_mask;
    }
  const double total_hazard = dep * (*onset_sum_by_mask)[themes] + remission_total;
  if (event_uniform >= total_hazard || event_uniform >= probability_from_hazard(total_hazard)) return themes;
  std::array<double, max_theme_count> hazard{};  // per theme: onset if inactive, remission if active
  for (int j = 0; j < count; ++j) {
    hazard[j] = remission(j);
    if (!(themes & (1u << j))) {
      hazard[j] = (*onset)[j] * dep;
      for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1)
        hazard[j] *= model.onset_multiplier[std::countr_zero(bits) * count + j];
    }
  }
  // At least one theme changes. Draw them in order: until one has changed,
  // theme j changes with P(j changes) / P(some theme from j on changes), and
  // with P(j changes) after. The factors telescope, so this is exactly
  // independent per-theme draws given that something changed. P(some theme
  // from j on changes) = 1 - exp(-(sum of their hazards)), from suffix sums:
  // accurate for small hazards, and 1 for the last theme with a hazard, so
  // the month's change always happens.
  std::array<double, max_theme_count + 1> hazard_from{};
  for (int j = count - 1; j >= 0; --j) hazard_from[j] = hazard_from[j + 1] + hazard[j];
  FamilyDraws draws(rng, key, month);
  bool changed = false;
  std::uint16_t next = themes;
  for (int j = 0; j < count; ++j) {
    if (hazard[j] <= 0) continue;
    const double p_change = probability_from_hazard(hazard[j]);
    const double p = changed ? p_change : p_change / probability_from_hazard(hazard_from[j]);
    if (draws.uniform(theme_detail_stream, static_cast<std::uint32_t>(j)) < p) {
      next ^= static_cast<std::uint16_t>(1u << j);
      changed = true;
    }
  }
  return next;
}

}  // namespace ehsim::engine

#include "engine/themes.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include "config/limits.hpp"
#include "engine/hazard.hpp"

namespace ehsim::engine {

namespace {

constexpr std::size_t max_theme_count = config::max_themes;
constexpr Stream theme_detail_stream = stream("monthly.theme_detail");

using Hazards = std::array<double, max_theme_count>;

// Each theme's hazard this month: onset if inactive (times the deprivation
// multiplier and the active themes' multipliers), remission if active.
Hazards theme_hazards(const Model& model, const std::vector<double>& onset, double dep, std::uint16_t themes,
                      const std::vector<double>* remission_boost) {
  const int count = model.theme_count;
  Hazards hazard{};
  for (int j = 0; j < count; ++j) {
    hazard[j] = model.remission[j] * (remission_boost ? (*remission_boost)[j] : 1.0);
    if (!(themes & (1u << j))) {
      hazard[j] = onset[j] * dep;
      for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1)
        hazard[j] *= model.onset_multiplier[std::countr_zero(bits) * count + j];
    }
  }
  return hazard;
}

// Given that at least one theme changes, theme j changes with P(j changes) /
// P(some theme from j on changes) until one has changed, and with P(j
// changes) after. The factors telescope, so this is exactly independent
// per-theme draws given that something changed. P(some theme from j on
// changes) = 1 - exp(-(sum of their hazards)), from suffix sums: accurate for
// small hazards, and 1 for the last theme with a hazard, so the month's
// change always happens. Calls chance(j, p_change, p_first) for each theme
// with a hazard.
template <class F>
void for_each_chance(int count, const Hazards& hazard, F&& chance) {
  std::array<double, max_theme_count + 1> hazard_from{};
  for (int j = count - 1; j >= 0; --j) hazard_from[j] = hazard_from[j + 1] + hazard[j];
  for (int j = 0; j < count; ++j) {
    if (hazard[j] <= 0) continue;
    const double p_change = probability_from_hazard(hazard[j]);
    chance(j, p_change, p_change / probability_from_hazard(hazard_from[j]));
  }
}

// The draw below which some theme changes: the chance that none does is
// exp(-total hazard), exactly as if each theme were drawn on its own, and
// 1 - exp(-total) <= total, so a draw at or above the total needs no
// exponential.
double change_threshold(double total_hazard) {
  return total_hazard <= 0 ? total_hazard : std::min(total_hazard, probability_from_hazard(total_hazard));
}

}  // namespace

void tabulate_theme_chances(Model& model) {
  model.theme_chances.clear();
  const int count = model.theme_count;
  if (count > Model::tabulated_themes) return;
  const std::size_t masks = std::size_t{1} << count;
  std::vector<const std::vector<double>*> onsets{&model.onset}, sums{&model.onset_sum_by_mask};
  for (const auto& change : model.onset_changes) {
    onsets.push_back(&change.onset);
    sums.push_back(&change.onset_sum_by_mask);
  }
  for (std::size_t t = 0; t < onsets.size(); ++t) {
    std::vector<Model::ThemeChances> table(deprivation_quintiles * masks);
    for (std::size_t q = 0; q < deprivation_quintiles; ++q)
      for (std::size_t mask = 0; mask < masks; ++mask) {
        const double dep = model.deprivation_multiplier[q];
        const auto themes = static_cast<std::uint16_t>(mask);
        Model::ThemeChances& entry = table[q * masks + mask];
        entry.threshold = change_threshold(dep * (*sums[t])[mask] + model.remission_sum_by_mask[mask]);
        for_each_chance(count, theme_hazards(model, *onsets[t], dep, themes, nullptr),
                        [&](int j, double p_change, double p_first) {
                          entry.with_hazard |= static_cast<std::uint16_t>(1u << j);
                          entry.p_change[static_cast<std::size_t>(j)] = p_change;
                          entry.p_first[static_cast<std::size_t>(j)] = p_first;
                        });
      }
    model.theme_chances.push_back(std::move(table));
  }
}

std::uint16_t changed_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                             std::uint16_t themes, int deprivation_quintile, double event_uniform,
                             const std::vector<double>* remission_boost) {
  // Demand as it stands this month.
  const std::size_t epoch = demand_epoch(model, month);
  if (remission_boost == nullptr && !model.theme_chances.empty()) {
    // Tabulated: the same chances as below, computed once per model.
    const auto& entry =
        model.theme_chances[epoch][(static_cast<std::size_t>(deprivation_quintile) << model.theme_count) | themes];
    if (event_uniform >= entry.threshold) return themes;  // most family-months stop here
    FamilyDraws draws(rng, key, month);
    bool changed = false;
    std::uint16_t next = themes;
    for (std::uint32_t bits = entry.with_hazard; bits != 0; bits &= bits - 1) {
      const int j = std::countr_zero(bits);
      const double p =
          changed ? entry.p_change[static_cast<std::size_t>(j)] : entry.p_first[static_cast<std::size_t>(j)];
      if (draws.uniform(theme_detail_stream, static_cast<std::uint32_t>(j)) < p) {
        next ^= static_cast<std::uint16_t>(1u << j);
        changed = true;
      }
    }
    return next;
  }
  const double dep = model.deprivation_multiplier[deprivation_quintile];
  double remission_total = model.remission_sum_by_mask[themes];
  if (remission_boost) {
    remission_total = 0;
    for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1) {
      const int j = std::countr_zero(bits);
      remission_total += model.remission[j] * (*remission_boost)[j];
    }
  }
  const auto& onset = epoch == 0 ? model.onset : model.onset_changes[epoch - 1].onset;
  const auto& onset_sum_by_mask =
      epoch == 0 ? model.onset_sum_by_mask : model.onset_changes[epoch - 1].onset_sum_by_mask;
  if (event_uniform >= change_threshold(dep * onset_sum_by_mask[themes] + remission_total)) return themes;
  FamilyDraws draws(rng, key, month);
  bool changed = false;
  std::uint16_t next = themes;
  for_each_chance(
      model.theme_count, theme_hazards(model, onset, dep, themes, remission_boost),
      [&](int j, double p_change, double p_first) {
        if (draws.uniform(theme_detail_stream, static_cast<std::uint32_t>(j)) < (changed ? p_change : p_first)) {
          next ^= static_cast<std::uint16_t>(1u << j);
          changed = true;
        }
      });
  return next;
}

}  // namespace ehsim::engine

// How a family's risk themes start and remit in a month (docs/model.md
// section 3): independent hazards per theme, with co-occurrence, deprivation
// and the remission its service boosts.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model.hpp"
#include "engine/random_streams.hpp"

namespace ehsim::engine {

// Fills model.theme_chances from the model's onsets, remissions and
// multipliers (when it has at most Model::tabulated_themes themes).
void tabulate_theme_chances(Model& model);

// Which table of model.theme_chances a month reads: the latest onset change begun.
inline std::size_t demand_epoch(const Model& model, std::int32_t month) {
  std::size_t epoch = 0;
  for (std::size_t c = 0; c < model.onset_changes.size(); ++c)
    if (month >= model.onset_changes[c].from_month) epoch = c + 1;
  return epoch;
}

// The themes a family has after a month in which some may change (below).
std::uint16_t changed_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                             std::uint16_t themes, int deprivation_quintile, double event_uniform,
                             const std::vector<double>* remission_boost);

// The themes a family has after one month, from the themes it had.
// `event_uniform`: the month's draw of monthly.theme_event.
// `remission_boost`: per theme, multipliers on remission from the service
// the family is in (null: none). Most family-months change nothing, which
// the tabulated chances tell at once.
inline std::uint16_t next_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                                 std::uint16_t themes, int deprivation_quintile, double event_uniform,
                                 const std::vector<double>* remission_boost = nullptr) {
  if (remission_boost == nullptr && !model.theme_chances.empty()) {
    const auto& table = model.theme_chances[demand_epoch(model, month)];
    if (event_uniform >=
        table[(static_cast<std::size_t>(deprivation_quintile) << model.theme_count) | themes].threshold)
      return themes;
  }
  return changed_themes(model, rng, key, month, themes, deprivation_quintile, event_uniform, remission_boost);
}

}  // namespace ehsim::engine

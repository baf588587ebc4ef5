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

// The themes a family has after one month, from the themes it had.
// `event_uniform`: the month's draw of monthly.theme_event.
// `remission_boost`: per theme, multipliers on remission from the service
// the family is in (null: none).
std::uint16_t next_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                          std::uint16_t themes, int deprivation_quintile, double event_uniform,
                          const std::vector<double>* remission_boost = nullptr);

}  // namespace ehsim::engine

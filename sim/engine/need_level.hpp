// How a family's level of need moves in a month (docs/model.md section 4):
// up, down or a jump, as competing risks whose hazards the family's themes,
// its resilience and its services scale.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <span>

#include "engine/families.hpp"
#include "engine/hazard.hpp"
#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

// A family's level after a month, and how it got there.
struct LevelMove {
  int level;
  EventType event;  // meaningful only when the level changed
};

// The new level of a family: up, down or a jump, as competing risks.
inline LevelMove next_level(const Model& model, int level, std::uint16_t themes, int resilience_band, double up_ratio,
                            double down_ratio, double u) {
  std::array<double, 2 + max_jumps_per_level> hazards{};
  const double escalation =
      model.escalation_by_mask[themes] * model.escalation_by_resilience[resilience_band] * up_ratio;
  hazards[0] = model.up_scale[level] * escalation;
  hazards[1] = model.down_scale[level] * model.de_escalation_by_mask[themes] *
               model.de_escalation_by_resilience[resilience_band] * down_ratio;
  const auto& jumps = model.jumps_by_level[level];
  for (std::size_t x = 0; x < jumps.size(); ++x)
    if ((themes & jumps[x].theme_mask) == jumps[x].theme_mask) hazards[2 + x] = jumps[x].hazard_scale * escalation;
  const int chosen = choose_competing(std::span<const double>(hazards.data(), 2 + jumps.size()), u);
  switch (chosen) {
    case -1:
      return {level, EventType::level_up};
    case 0:
      return {level + 1, EventType::level_up};
    case 1:
      return {level - 1, EventType::level_down};
    default:
      return {jumps[static_cast<std::size_t>(chosen - 2)].to_level, EventType::level_jump};
  }
}

// Hazard ratios a family's services put on moving up and down: those of the
// service it is in, or the decaying after-effect of the one that last closed
// its case with needs met; waiting raises escalation.
struct ServiceRatios {
  double up = 1;
  double down = 1;
};

inline ServiceRatios service_ratios(const Model& model, const Families& families, std::size_t i, int month,
                                    bool waiting) {
  ServiceRatios ratios;
  if (families.service[i] != 0) {
    const auto& service = model.services[families.service[i] - 1u];
    ratios = {service.up_ratio, service.down_ratio};
  } else if (families.flags[i] & family_flag::after_effect) {
    const auto& service = model.services[families.last_service[i] - 1u];
    if (service.half_life_months > 0) {
      const double remaining = service.remaining(months_since_closure(families, i, month));
      ratios = {1 + (service.up_ratio - 1) * remaining, 1 + (service.down_ratio - 1) * remaining};
    }
  }
  if (waiting) ratios.up *= model.waiting_up_ratio;
  return ratios;
}

}  // namespace ehsim::engine

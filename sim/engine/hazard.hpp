// Hazards (events per month) and the probabilities they imply over a month.
#pragma once

#include <cmath>
#include <span>

namespace ehsim::engine {

// P(event within a month) for a constant hazard h: 1 - exp(-h).
inline double probability_from_hazard(double hazard) { return -std::expm1(-hazard); }

// Competing risks: with hazards h_i, some event happens with probability
// 1 - exp(-sum h), and it is event i with probability h_i / sum h. One uniform
// decides both: u < p says whether, u / p (itself uniform) says which.
// Returns the index of the event, or -1 for none.
inline int choose_competing(std::span<const double> hazards, double u) {
  double total = 0;
  for (const double h : hazards) total += h;
  // 1 - exp(-total) <= total: a uniform at or above the total hazard can never
  // be an event, so most calls return before computing the exponential.
  if (u >= total) return -1;
  const double p = probability_from_hazard(total);
  if (u >= p) return -1;
  const double target = u / p * total;
  double cumulative = 0;
  for (std::size_t i = 0; i < hazards.size(); ++i) {
    cumulative += hazards[i];
    if (target < cumulative) return static_cast<int>(i);
  }
  // Rounding can leave target a hair above the sum: the last event with a hazard.
  for (std::size_t i = hazards.size(); i-- > 0;)
    if (hazards[i] > 0) return static_cast<int>(i);
  return -1;
}

}  // namespace ehsim::engine

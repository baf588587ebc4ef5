// Sweep designs and what they tell: the points a grid, a Latin hypercube, a
// Morris or a Saltelli (Sobol) design visits, and from the outputs at those
// points Morris's elementary-effect statistics and Sobol's first-order and
// total indices. Sampling uses its own seeded generator, so a design is the
// same on every machine and compiler.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "config/sweep.hpp"

namespace ehsim::experiment {

struct SweepDesign {
  std::vector<std::vector<double>> points;  // [point][parameter], in the parameters' own units
  // Morris: per trajectory, k + 1 points in a row; for each point after the
  // first, the parameter that moved and its step in [0, 1] units.
  std::vector<std::pair<std::size_t, double>> morris_steps;
  std::size_t sobol_base = 0;  // Sobol: N; the points are, per row i, A_i, B_i, then A_i with column j from B_i
};

SweepDesign make_design(const config::SweepConfig& sweep);

struct MorrisStatistics {
  std::vector<double> mu, mu_star, sigma;         // per parameter: mean, mean absolute and sd of the elementary effects
  std::vector<double> mu_star_low, mu_star_high;  // 95% bootstrap interval of mu*, resampling trajectories
};
// `y`: one output per point. Effects are per unit of the parameter's range.
MorrisStatistics morris(const SweepDesign& design, const std::vector<double>& y, std::size_t parameters,
                        std::uint64_t seed);

struct SobolIndices {
  std::vector<double> first, first_low, first_high;  // first-order index and its 95% bootstrap interval
  std::vector<double> total, total_low, total_high;  // total index, likewise
};
// Saltelli (2010) first-order and Jansen total estimators, bootstrapped over rows.
SobolIndices sobol(const SweepDesign& design, const std::vector<double>& y, std::size_t parameters, std::uint64_t seed);

// Whether indices have settled enough to rank the parameters. Morris: every
// mu* interval is narrower than a tenth of the largest mu* (or every effect
// is 0). Sobol: every first-order and total interval is narrower than 0.1 of
// the variance. Otherwise the design needs more points (trajectories or base
// samples), or the replicates' noise hides the effects.
inline constexpr double morris_interval_share = 0.1;
inline constexpr double sobol_interval_width = 0.1;
bool converged(const MorrisStatistics& statistics);
bool converged(const SobolIndices& indices);

// SplitMix64: a small generator whose output is fixed by its seed everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }

 private:
  std::uint64_t state_;
};

}  // namespace ehsim::experiment

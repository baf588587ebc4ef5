#include "experiment/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "experiment/comparison.hpp"

namespace ehsim::experiment {

namespace {

std::vector<double> to_units(const config::SweepConfig& sweep, const std::vector<double>& unit) {
  std::vector<double> values;
  for (std::size_t j = 0; j < unit.size(); ++j) {
    const auto& p = sweep.parameters[j];
    values.push_back(p.min + unit[j] * (p.max - p.min));
  }
  return values;
}

std::vector<std::size_t> permutation(std::size_t n, SplitMix64& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

double mean_of(const std::vector<double>& values) {
  double total = 0;
  for (const double v : values) total += v;
  return values.empty() ? 0 : total / static_cast<double>(values.size());
}

}  // namespace

SweepDesign make_design(const config::SweepConfig& sweep) {
  SweepDesign design;
  const std::size_t k = sweep.parameters.size();
  SplitMix64 rng(static_cast<std::uint64_t>(sweep.seed) ^ 0x5eed5eed5eedULL);
  if (sweep.design == config::Design::grid) {
    // Every combination, the first parameter varying slowest.
    std::vector<std::size_t> index(k, 0);
    while (true) {
      std::vector<double> point;
      for (std::size_t j = 0; j < k; ++j) point.push_back(sweep.parameters[j].values[index[j]]);
      design.points.push_back(point);
      std::size_t j = k;
      while (j > 0 && ++index[j - 1] == sweep.parameters[j - 1].values.size()) index[--j] = 0;
      if (j == 0) break;
    }
  } else if (sweep.design == config::Design::latin_hypercube) {
    const auto n = static_cast<std::size_t>(sweep.points);
    std::vector<std::vector<std::size_t>> strata;
    for (std::size_t j = 0; j < k; ++j) strata.push_back(permutation(n, rng));
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> unit;
      for (std::size_t j = 0; j < k; ++j) unit.push_back((static_cast<double>(strata[j][i]) + rng.uniform()) / n);
      design.points.push_back(to_units(sweep, unit));
    }
  } else if (sweep.design == config::Design::morris) {
    // Trajectories on a grid of p levels with step p / (2 (p - 1)); each
    // starts low enough that every parameter can step up once, in a random order.
    const auto p = static_cast<std::size_t>(sweep.levels);
    const double delta = static_cast<double>(p) / (2.0 * static_cast<double>(p - 1));
    const std::size_t starts = p - static_cast<std::size_t>(std::ceil(delta * static_cast<double>(p - 1)));
    for (std::int64_t t = 0; t < sweep.points; ++t) {
      std::vector<double> unit;
      for (std::size_t j = 0; j < k; ++j) unit.push_back(static_cast<double>(rng.below(starts)) / (p - 1));
      design.points.push_back(to_units(sweep, unit));
      for (const std::size_t j : permutation(k, rng)) {
        unit[j] += delta;
        design.points.push_back(to_units(sweep, unit));
        design.morris_steps.emplace_back(j, delta);
      }
    }
  } else {  // sobol
    const auto n = static_cast<std::size_t>(sweep.points);
    design.sobol_base = n;
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> a, b;
      for (std::size_t j = 0; j < k; ++j) a.push_back(rng.uniform());
      for (std::size_t j = 0; j < k; ++j) b.push_back(rng.uniform());
      design.points.push_back(to_units(sweep, a));
      design.points.push_back(to_units(sweep, b));
      for (std::size_t j = 0; j < k; ++j) {
        auto ab = a;
        ab[j] = b[j];
        design.points.push_back(to_units(sweep, ab));
      }
    }
  }
  return design;
}

MorrisStatistics morris(const SweepDesign& design, const std::vector<double>& y, std::size_t parameters,
                        std::uint64_t seed) {
  std::vector<std::vector<double>> effects(parameters);
  const std::size_t per_trajectory = parameters + 1;
  for (std::size_t t = 0; t * per_trajectory < y.size(); ++t)
    for (std::size_t s = 0; s < parameters; ++s) {
      const std::size_t at = t * per_trajectory + s + 1;
      const auto [j, step] = design.morris_steps[t * parameters + s];
      effects[j].push_back((y[at] - y[at - 1]) / step);
    }
  MorrisStatistics result;
  for (const auto& e : effects) {
    const double mu = mean_of(e);
    double absolute = 0, squares = 0;
    for (const double v : e) {
      absolute += std::abs(v);
      squares += (v - mu) * (v - mu);
    }
    result.mu.push_back(mu);
    result.mu_star.push_back(e.empty() ? 0 : absolute / static_cast<double>(e.size()));
    result.sigma.push_back(e.size() > 1 ? std::sqrt(squares / static_cast<double>(e.size() - 1)) : 0);
  }
  // mu* over trajectories drawn with replacement: each parameter has one
  // effect per trajectory, so resampling trajectories resamples its effects.
  SplitMix64 rng(seed ^ 0x3077155ULL);
  constexpr int resamples = 500;
  const std::size_t trajectories = effects.empty() ? 0 : effects.front().size();
  std::vector<std::vector<double>> draws(parameters);
  for (int b = 0; b < resamples && trajectories > 0; ++b) {
    std::vector<std::size_t> chosen;
    for (std::size_t t = 0; t < trajectories; ++t) chosen.push_back(rng.below(trajectories));
    for (std::size_t j = 0; j < parameters; ++j) {
      double absolute = 0;
      for (const std::size_t t : chosen) absolute += std::abs(effects[j][t]);
      draws[j].push_back(absolute / static_cast<double>(trajectories));
    }
  }
  for (std::size_t j = 0; j < parameters; ++j) {
    result.mu_star_low.push_back(draws[j].empty() ? result.mu_star[j] : percentile(draws[j], 0.025));
    result.mu_star_high.push_back(draws[j].empty() ? result.mu_star[j] : percentile(draws[j], 0.975));
  }
  return result;
}

bool converged(const MorrisStatistics& statistics) {
  double largest = 0;
  for (const double value : statistics.mu_star) largest = std::max(largest, value);
  for (std::size_t j = 0; j < statistics.mu_star.size(); ++j)
    if (statistics.mu_star_high[j] - statistics.mu_star_low[j] > morris_interval_share * largest) return false;
  return true;
}

bool converged(const SobolIndices& indices) {
  for (std::size_t j = 0; j < indices.first.size(); ++j)
    if (indices.first_high[j] - indices.first_low[j] > sobol_interval_width ||
        indices.total_high[j] - indices.total_low[j] > sobol_interval_width)
      return false;
  return true;
}

SobolIndices sobol(const SweepDesign& design, const std::vector<double>& y, std::size_t parameters,
                   std::uint64_t seed) {
  const std::size_t n = design.sobol_base;
  const std::size_t row = parameters + 2;
  const auto indices = [&](const std::vector<std::size_t>& rows, std::size_t j, double& first, double& total) {
    std::vector<double> both;
    for (const std::size_t i : rows) {
      both.push_back(y[i * row]);
      both.push_back(y[i * row + 1]);
    }
    const double mean = mean_of(both);
    double variance = 0;
    for (const double v : both) variance += (v - mean) * (v - mean);
    variance /= static_cast<double>(both.size());
    double s = 0, t = 0;
    for (const std::size_t i : rows) {
      const double a = y[i * row], b = y[i * row + 1], ab = y[i * row + 2 + j];
      s += (b - mean) * (ab - a);  // centred: the same expectation, far less noise
      t += (a - ab) * (a - ab);
    }
    const auto m = static_cast<double>(rows.size());
    first = variance > 0 ? s / m / variance : 0;
    total = variance > 0 ? t / (2 * m) / variance : 0;
  };
  SobolIndices result;
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  SplitMix64 rng(seed ^ 0xb0075742ULL);
  constexpr int resamples = 500;
  for (std::size_t j = 0; j < parameters; ++j) {
    double first = 0, total = 0;
    indices(all, j, first, total);
    std::vector<double> firsts, totals;
    for (int b = 0; b < resamples; ++b) {
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < n; ++i) rows.push_back(rng.below(n));
      double f = 0, t = 0;
      indices(rows, j, f, t);
      firsts.push_back(f);
      totals.push_back(t);
    }
    result.first.push_back(first);
    result.first_low.push_back(percentile(firsts, 0.025));
    result.first_high.push_back(percentile(firsts, 0.975));
    result.total.push_back(total);
    result.total_low.push_back(percentile(totals, 0.025));
    result.total_high.push_back(percentile(totals, 0.975));
  }
  return result;
}

}  // namespace ehsim::experiment

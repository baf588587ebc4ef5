#include "experiment/uncertainty.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "config/load.hpp"
#include "experiment/sensitivity.hpp"

namespace ehsim::experiment {

std::vector<std::string> uncertain_keys(const config::Authority& authority) {
  std::vector<std::string> keys;
  for (const auto& spec : authority.uncertainty) keys.push_back(spec.key);
  return keys;
}

std::vector<double> draw_uncertain(const config::Authority& authority, std::uint64_t seed, std::uint32_t replicate) {
  std::vector<double> values;
  const boost::math::normal standard;
  const double z95 = boost::math::quantile(standard, 0.975);
  // A uniform in (0, 1), never 0 or 1, for the inverse normal.
  const auto open_uniform = [](SplitMix64& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; };
  // Samples are joint: one row for every sample key, drawn from a stream of
  // its own so that adding or removing other keys leaves it as it was.
  std::size_t sample_row = 0;
  for (const auto& spec : authority.uncertainty)
    if (spec.distribution == config::Distribution::sample) {
      SplitMix64 rows(seed * 0x9e3779b97f4a7c15ULL ^ (static_cast<std::uint64_t>(replicate) << 20) ^ 0x5a3b1e5ULL);
      sample_row = rows.below(spec.values.size());
      break;
    }
  for (std::size_t u = 0; u < authority.uncertainty.size(); ++u) {
    const auto& spec = authority.uncertainty[u];
    SplitMix64 rng(seed * 0x9e3779b97f4a7c15ULL ^ (static_cast<std::uint64_t>(replicate) << 20) ^
                   (u + 1) * 0x51ed27ULL);
    if (spec.distribution == config::Distribution::sample) {
      values.push_back(spec.values[sample_row]);
      continue;
    }
    const double uniform = open_uniform(rng);
    // low and high are inside the key's range (checked on loading)
    if (spec.distribution == config::Distribution::uniform) {
      values.push_back(spec.low + uniform * (spec.high - spec.low));
      continue;
    }
    // normal, or lognormal (normal on the log scale): the 95% interval
    // [low, high] is symmetric about the median on its scale.
    const bool log_scale = spec.distribution == config::Distribution::lognormal;
    const auto scale = [log_scale](double x) { return log_scale ? std::log(x) : x; };
    const double mu = (scale(spec.low) + scale(spec.high)) / 2;
    const double sigma = (scale(spec.high) - scale(spec.low)) / (2 * z95);
    const auto value_at = [&](double p) {
      const double x = mu + sigma * boost::math::quantile(standard, p);
      return log_scale ? std::exp(x) : x;
    };
    double value = value_at(uniform);
    // Truncated to the key's range: a draw outside it is replaced by one from
    // the distribution restricted to the range (a second, independent
    // uniform), which leaves exactly the truncated distribution and leaves
    // every draw inside the range as it was.
    const auto bounds = config::key_bounds(spec.key).value_or(config::Bounds{});
    if (!bounds.contains(value)) {
      const auto cdf = [&](double x) {
        if (log_scale && x <= 0) return 0.0;
        if (!std::isfinite(x)) return x > 0 ? 1.0 : 0.0;
        return boost::math::cdf(standard, (scale(x) - mu) / sigma);
      };
      const double from = cdf(bounds.min), to = cdf(bounds.max);
      value = value_at(std::clamp(from + open_uniform(rng) * (to - from), 0x1.0p-60, 1 - 0x1.0p-53));
      value = std::clamp(value, bounds.min, bounds.max);
      if (!bounds.contains(value)) value = std::nextafter(bounds.min, bounds.max);  // an exclusive lower end
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace ehsim::experiment

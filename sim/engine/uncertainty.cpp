#include "engine/uncertainty.hpp"

#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "engine/sensitivity.hpp"

namespace ehsim::engine {

std::vector<std::string> uncertain_keys(const config::Authority& authority) {
  std::vector<std::string> keys;
  for (const auto& spec : authority.uncertainty) keys.push_back(spec.key);
  return keys;
}

std::vector<double> draw_uncertain(const config::Authority& authority, std::uint64_t seed, std::uint32_t replicate) {
  std::vector<double> values;
  const boost::math::normal standard;
  const double z95 = boost::math::quantile(standard, 0.975);
  for (std::size_t u = 0; u < authority.uncertainty.size(); ++u) {
    const auto& spec = authority.uncertainty[u];
    SplitMix64 rng(seed * 0x9e3779b97f4a7c15ULL ^ (static_cast<std::uint64_t>(replicate) << 20) ^
                   (u + 1) * 0x51ed27ULL);
    // A uniform in (0, 1), never 0, for the inverse normal.
    const double uniform = (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53;
    if (spec.distribution == "uniform") {
      values.push_back(spec.low + uniform * (spec.high - spec.low));
    } else if (spec.distribution == "normal") {
      const double mean = (spec.low + spec.high) / 2, sd = (spec.high - spec.low) / (2 * z95);
      values.push_back(mean + sd * boost::math::quantile(standard, uniform));
    } else {  // lognormal: the interval is symmetric on the log scale about the median
      const double log_low = std::log(spec.low), log_high = std::log(spec.high);
      const double mu = (log_low + log_high) / 2, sigma = (log_high - log_low) / (2 * z95);
      values.push_back(std::exp(mu + sigma * boost::math::quantile(standard, uniform)));
    }
  }
  return values;
}

}  // namespace ehsim::engine

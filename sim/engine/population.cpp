#include "engine/population.hpp"

#include <algorithm>
#include <cmath>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>

namespace ehsim::engine {

int draw_category(const std::vector<double>& cdf, double u) {
  const auto found = std::upper_bound(cdf.begin(), cdf.end(), u);
  return static_cast<int>(std::min<std::ptrdiff_t>(found - cdf.begin(), static_cast<std::ptrdiff_t>(cdf.size()) - 1));
}

Family generate_family(const Model& model, const RandomSource& rng, std::uint32_t id, FamilyKey key, std::int32_t month,
                       Origin origin) {
  constexpr Stream children_stream = stream("population.children");
  constexpr Stream locality_stream = stream("population.locality");
  constexpr Stream deprivation_stream = stream("population.deprivation");
  constexpr Stream level_stream = stream("population.level");
  constexpr Stream resilience_stream = stream("population.resilience");
  constexpr Stream age_stream = stream("population.youngest_age");
  constexpr Stream kind_stream = stream("population.arrival_kind");
  constexpr Stream gap_stream = stream("population.sibling_gaps");
  constexpr Stream theme_stream = stream("population.themes");

  FamilyDraws draws(rng, key, month);
  Family family;
  family.id = id;
  family.key = key;
  const bool newborn_household = origin == Origin::arrival && draws.uniform(kind_stream) < model.newborn_arrival_share;
  if (newborn_household) {
    family.birth_month[0] = static_cast<std::int16_t>(month);
  } else {
    // Gaps between siblings, then the youngest's age so that every child is under 18.
    const int children = draw_category(model.children_cdf, draws.uniform(children_stream)) + 1;
    const double gap_mean = model.authority.population.sibling_gap_mean_months;
    // Whole months throughout, so that the eldest is under 18 exactly.
    std::array<int, max_children> gaps{};
    double raw_span = 0;
    std::array<double, max_children> raw{};
    for (int c = 1; c < children; ++c) {
      raw[c] =
          sibling_gap_min_months - (gap_mean - sibling_gap_min_months) * std::log(draws.uniform(gap_stream, c - 1));
      raw_span += raw[c];
    }
    constexpr double max_span = adult_age_months - 24;  // leaves the youngest some room
    const double scale = raw_span > max_span ? max_span / raw_span : 1.0;
    int span = 0;
    for (int c = 1; c < children; ++c) span += gaps[c] = static_cast<int>(std::lround(raw[c] * scale));
    const auto youngest_age = static_cast<int>(draws.uniform(age_stream) * (adult_age_months - span));
    int birth = month - youngest_age;
    for (int c = 0; c < children; ++c) {
      birth -= gaps[c];
      family.birth_month[c] = static_cast<std::int16_t>(birth);
    }
  }
  family.locality = static_cast<std::uint8_t>(draw_category(model.locality_cdf, draws.uniform(locality_stream)));
  family.deprivation_quintile =
      static_cast<std::uint8_t>(draw_category(model.deprivation_cdf, draws.uniform(deprivation_stream)));
  const int level = draw_category(model.level_cdf, draws.uniform(level_stream));
  family.need_level = static_cast<std::uint8_t>(level);
  const double resilience =
      boost::math::quantile(boost::math::normal_distribution<double>{}, draws.uniform(resilience_stream));
  family.resilience_band = Model::resilience_band(resilience);
  for (int j = 0; j < model.theme_count; ++j)
    if (draws.uniform(theme_stream, static_cast<std::uint32_t>(j)) < model.prevalence[level * model.theme_count + j])
      family.themes |= static_cast<std::uint16_t>(1u << j);
  return family;
}

Families initial_population(const Model& model, const RandomSource& rng, std::int32_t month) {
  Families families;
  const auto count = static_cast<std::size_t>(model.authority.population.families);
  families.resize(count);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i)
      families.set(i, generate_family(model, rng, static_cast<std::uint32_t>(i), i, month, Origin::initial));
  });
  return families;
}

double projected_families(const Model& model, std::int32_t month) {
  const auto families = static_cast<double>(model.authority.population.families);
  return month < 0 ? families : families * std::pow(model.monthly_growth, month + 1);
}

std::int64_t arrivals_in_month(const Model& model, const RandomSource& rng, std::int32_t month, std::int64_t present) {
  const double shortfall = projected_families(model, month) - static_cast<double>(present);
  if (!model.arrivals || shortfall <= 0) return 0;
  using namespace boost::math::policies;
  using Poisson = boost::math::poisson_distribution<double, policy<discrete_quantile<integer_round_up>>>;
  const double u = rng.uniform(stream("authority.arrivals"), authority_key, month);
  return static_cast<std::int64_t>(boost::math::quantile(Poisson(shortfall), u));
}

}  // namespace ehsim::engine

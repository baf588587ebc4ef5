#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/families.hpp"
#include "engine/model.hpp"
#include "engine/population.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

namespace {

// |observed - expected| within 5 binomial standard deviations.
bool close_share(std::int64_t count, std::int64_t total, double p) {
  const double sd = std::sqrt(static_cast<double>(total) * p * (1 - p));
  return std::abs(static_cast<double>(count) - static_cast<double>(total) * p) <= 5 * sd + 1e-9;
}

}  // namespace

TEST_CASE("the generated population matches the configured marginals", "[engine][population]") {
  const Model model = build_model(testing::small_default(200000));
  const auto& population = model.authority.population;
  const Families families = initial_population(model, RandomSource(5, 0), 0);
  const auto n = static_cast<std::int64_t>(families.size());
  REQUIRE(n == 200000);

  std::vector<std::int64_t> children(max_children, 0), locality(population.locality_names.size(), 0), quintile(5, 0),
      level(static_cast<std::size_t>(model.level_count), 0),
      theme_at_level(static_cast<std::size_t>(model.level_count * model.theme_count), 0);
  double resilience_sum = 0, resilience_squares = 0;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const int count = children_under_18(families.birth_month[i], 0);
    REQUIRE(count >= 1);
    ++children[static_cast<std::size_t>(count - 1)];
    ++locality[families.locality[i]];
    ++quintile[families.deprivation_quintile[i]];
    ++level[families.need_level[i]];
    for (int j = 0; j < model.theme_count; ++j)
      if (families.themes[i] & (1u << j)) ++theme_at_level[families.need_level[i] * model.theme_count + j];
    const double r = Model::resilience_of(families.resilience_band[i]);
    resilience_sum += r;
    resilience_squares += r * r;
  }
  for (std::size_t c = 0; c < population.children_per_family_shares.size(); ++c)
    CHECK(close_share(children[c], n, population.children_per_family_shares[c]));
  for (std::size_t l = 0; l < locality.size(); ++l) CHECK(close_share(locality[l], n, population.locality_shares[l]));
  for (std::size_t q = 0; q < 5; ++q) CHECK(close_share(quintile[q], n, population.deprivation_quintile_shares[q]));
  for (int k = 0; k < model.level_count; ++k) {
    CHECK(close_share(level[k], n, model.authority.levels[k].initial_share));
    for (int j = 0; j < model.theme_count; ++j)
      CHECK(close_share(theme_at_level[k * model.theme_count + j], level[k],
                        model.authority.themes[j].prevalence_by_level[k]));
  }
  const double mean = resilience_sum / n;
  CHECK(std::abs(mean) < 0.02);
  CHECK(std::sqrt(resilience_squares / n - mean * mean) == Approx(1.0).epsilon(0.02));
}

TEST_CASE("every generated child is under 18 and born by the month the family appears, youngest first",
          "[engine][population]") {
  const Model model = build_model(testing::small_default(20000));
  const RandomSource rng(9, 1);
  for (std::uint32_t id = 0; id < 20000; ++id) {
    const auto origin = id % 2 ? Origin::arrival : Origin::initial;
    const int month = id % 2 ? 37 : 0;
    const Family family = generate_family(model, rng, id, id, month, origin);
    const int count = children_under_18(family.birth_month, month);
    int present = 0;
    for (const auto birth : family.birth_month) present += birth != no_child;
    REQUIRE(count == present);
    for (int c = 1; c < present; ++c) REQUIRE(family.birth_month[c] <= family.birth_month[c - 1]);
    REQUIRE(month - family.birth_month[present - 1] < adult_age_months);
    REQUIRE(family.birth_month[0] <= month);
  }
}

TEST_CASE("a family is generated from its key and month alone, whatever its id", "[engine][population]") {
  const Model model = build_model(testing::small_default());
  const RandomSource rng(3, 0);
  const FamilyKey key = arrival_key(40, 17);
  const Family a = generate_family(model, rng, 1234, key, 7, Origin::arrival);
  const Family b = generate_family(model, rng, 9876, key, 7, Origin::arrival);
  CHECK(a.birth_month == b.birth_month);
  CHECK(a.themes == b.themes);
  CHECK(a.need_level == b.need_level);
  CHECK(a.resilience_band == b.resilience_band);
  CHECK(b.id == 9876);
  // Over many keys, at least one attribute differs from the neighbour's,
  // and arrival keys of different months give different families.
  int differing = 0, other_month = 0;
  for (std::uint32_t k = 0; k < 100; ++k) {
    const Family x = generate_family(model, rng, 0, arrival_key(40, k), 7, Origin::arrival);
    const Family y = generate_family(model, rng, 0, arrival_key(40, k + 1), 7, Origin::arrival);
    const Family z = generate_family(model, rng, 0, arrival_key(41, k), 7, Origin::arrival);
    differing += x.birth_month != y.birth_month || x.resilience_band != y.resilience_band;
    other_month += x.birth_month != z.birth_month || x.resilience_band != z.resilience_band;
  }
  CHECK(differing > 95);
  CHECK(other_month > 95);
}

TEST_CASE("arrivals are Poisson with mean the shortfall against the projected number of families",
          "[engine][population]") {
  config::Authority authority = testing::small_default(10000);
  const Model model = build_model(authority);
  const RandomSource rng(11, 0);
  const double mean = 300;
  const int months = 2000;
  double sum = 0, squares = 0;
  for (int m = 0; m < months; ++m) {
    const auto count = static_cast<double>(arrivals_in_month(model, rng, m, 10000 - 300));
    sum += count;
    squares += count * count;
  }
  const double sample_mean = sum / months;
  CHECK(std::abs(sample_mean - mean) < 5 * std::sqrt(mean / months));
  CHECK(squares / months - sample_mean * sample_mean == Approx(mean).epsilon(0.15));
  // At or above the projection nobody arrives; nor when arrivals are off.
  CHECK(arrivals_in_month(model, rng, 5, 10000) == 0);
  CHECK(arrivals_in_month(model, rng, 5, 10500) == 0);
  authority.population.arrivals = false;
  CHECK(arrivals_in_month(build_model(authority), rng, 5, 9000) == 0);
}

TEST_CASE("the projection grows the families at growth_per_year from the start month", "[engine][population]") {
  config::Authority authority = testing::small_default(10000);
  authority.population.growth_per_year = 0.02;
  const Model model = build_model(authority);
  CHECK(projected_families(model, -5) == 10000);
  CHECK(projected_families(model, 11) == Approx(10200).epsilon(1e-12));
  CHECK(projected_families(model, 23) == Approx(10404).epsilon(1e-12));
}

TEST_CASE("a set share of arrivals are new households with a newborn", "[engine][population]") {
  const Model model = build_model(testing::small_default(10000));
  const RandomSource rng(12, 0);
  int newborn = 0;
  const int arrivals = 20000;
  for (std::uint32_t id = 0; id < arrivals; ++id) {
    const Family family = generate_family(model, rng, id, id, 50, Origin::arrival);
    newborn += family.birth_month[0] == 50 && family.birth_month[1] == no_child;
  }
  // Families moving in can also hold a single newborn, so this is a lower bound plus a little.
  CHECK(newborn >= 0.5 * arrivals - 5 * std::sqrt(arrivals * 0.25));
  CHECK(newborn < 0.56 * arrivals);
}

TEST_CASE("sweeping out departed families keeps every column of the others, in order", "[engine][population]") {
  using namespace ehsim::engine;
  // Families i = 0..n-1 whose every field is a function of i; every third has left.
  const auto family_of = [](std::uint32_t i) {
    Family f;
    f.id = i;
    f.key = (std::uint64_t{i} << 32) | (i * 7u);
    f.birth_month = {static_cast<std::int16_t>(i % 100), static_cast<std::int16_t>(-int(i % 50)), no_child, no_child};
    f.locality = static_cast<std::uint8_t>(i % 3);
    f.deprivation_quintile = static_cast<std::uint8_t>(i % 5);
    f.resilience_band = static_cast<std::uint8_t>(i % 251);
    f.need_level = i % 3 == 1 ? departed : static_cast<std::uint8_t>(i % 4 == 3 ? 2 : i % 4);
    f.themes = static_cast<std::uint16_t>(i % 256);
    f.service = static_cast<std::uint8_t>(i % 9);
    f.queue = static_cast<std::uint8_t>(i % 11);
    f.months_in_state = static_cast<std::uint16_t>(i % 1000);
    f.last_service = static_cast<std::uint8_t>(i % 7);
    f.closed_month = static_cast<std::int16_t>(i % 500 - 250);
    f.flags = static_cast<std::uint8_t>(i % 16);
    return f;
  };
  const std::uint32_t n = 20000;
  Families families;
  for (std::uint32_t i = 0; i < n; ++i) families.append(family_of(i));
  families.remove_departed();

  std::vector<std::uint32_t> stayed;
  for (std::uint32_t i = 0; i < n; ++i)
    if (i % 3 != 1) stayed.push_back(i);
  REQUIRE(families.size() == stayed.size());
  for (std::size_t k = 0; k < stayed.size(); ++k) {
    const Family want = family_of(stayed[k]);
    INFO("family " << stayed[k] << " at " << k);
    REQUIRE(families.id[k] == want.id);
    REQUIRE(families.key[k] == want.key);
    REQUIRE(families.birth_month[k] == want.birth_month);
    REQUIRE(families.locality[k] == want.locality);
    REQUIRE(families.deprivation_quintile[k] == want.deprivation_quintile);
    REQUIRE(families.resilience_band[k] == want.resilience_band);
    REQUIRE(families.need_level[k] == want.need_level);
    REQUIRE(families.themes[k] == want.themes);
    REQUIRE(families.service[k] == want.service);
    REQUIRE(families.queue[k] == want.queue);
    REQUIRE(families.months_in_state[k] == want.months_in_state);
    REQUIRE(families.last_service[k] == want.last_service);
    REQUIRE(families.closed_month[k] == want.closed_month);
    REQUIRE(families.flags[k] == want.flags);
  }

  // With none departed, nothing moves; with all departed, none stays.
  Families none;
  for (std::uint32_t i = 0; i < 5; ++i) {
    Family f = family_of(i);
    f.need_level = 0;
    none.append(f);
  }
  none.remove_departed();
  REQUIRE(none.size() == 5);
  REQUIRE(none.id[4] == 4);
  Families all;
  for (std::uint32_t i = 0; i < 5; ++i) {
    Family f = family_of(i);
    f.need_level = departed;
    all.append(f);
  }
  all.remove_departed();
  REQUIRE(all.size() == 0);
}

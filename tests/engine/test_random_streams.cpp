#include <array>
#include <cmath>
#include <set>

#include <catch2/catch.hpp>

#include "engine/random_streams.hpp"

using namespace ehsim::engine;

TEST_CASE("the same seed, replicate, family, month and purpose give the same number", "[engine][rng]") {
  const RandomSource a(2025, 3);
  const RandomSource b(2025, 3);
  constexpr Stream level = stream("monthly.level_event");
  CHECK(a.uniform(level, 17, 40) == b.uniform(level, 17, 40));
  CHECK(a.block(17, 40, 16) == b.block(17, 40, 16));
}

TEST_CASE("changing any one of seed, replicate, family, month or purpose changes the number", "[engine][rng]") {
  constexpr Stream level = stream("monthly.level_event");
  constexpr Stream move = stream("monthly.move_away");
  const double base = RandomSource(2025, 3).uniform(level, 17, 40);
  CHECK(RandomSource(2026, 3).uniform(level, 17, 40) != base);
  CHECK(RandomSource(2025, 4).uniform(level, 17, 40) != base);
  CHECK(RandomSource(2025, 3).uniform(level, 18, 40) != base);
  CHECK(RandomSource(2025, 3).uniform(level, 17, 41) != base);
  CHECK(RandomSource(2025, 3).uniform(move, 17, 40) != base);
  // The high half of a 64-bit seed matters too.
  CHECK(RandomSource(2025 + (std::uint64_t{1} << 32), 3).uniform(level, 17, 40) != base);
}

TEST_CASE("uniforms lie strictly inside (0, 1)", "[engine][rng]") {
  CHECK(to_uniform(0) > 0.0);
  CHECK(to_uniform(0xFFFFFFFFu) < 1.0);
}

TEST_CASE("draws for different purposes are independent and uniform", "[engine][rng]") {
  constexpr Stream theme = stream("monthly.theme_event");
  constexpr Stream level = stream("monthly.level_event");
  const RandomSource rng(7, 0);
  const int n = 200000;
  double sum_x = 0, sum_y = 0, sum_xy = 0, sum_xx = 0, sum_yy = 0;
  std::array<int, 10> bins{};
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniform(theme, static_cast<std::uint32_t>(i), 5);
    const double y = rng.uniform(level, static_cast<std::uint32_t>(i), 5);
    sum_x += x;
    sum_y += y;
    sum_xy += x * y;
    sum_xx += x * x;
    sum_yy += y * y;
    ++bins[static_cast<std::size_t>(x * 10)];
  }
  const double covariance = sum_xy / n - (sum_x / n) * (sum_y / n);
  const double correlation =
      covariance / std::sqrt((sum_xx / n - std::pow(sum_x / n, 2)) * (sum_yy / n - std::pow(sum_y / n, 2)));
  CHECK(std::abs(correlation) < 5 / std::sqrt(n));  // 5 standard errors
  double chi_square = 0;
  for (const int count : bins) chi_square += std::pow(count - n / 10.0, 2) / (n / 10.0);
  CHECK(chi_square < 27.9);  // 9 degrees of freedom, p = 0.001
}

TEST_CASE("the declared streams are disjoint and a colliding declaration is refused", "[engine][rng]") {
  const std::array<Stream, 2> same_name{{{"a", 1, 0, 1}, {"a", 2, 0, 1}}};
  CHECK_FALSE(streams_are_disjoint(same_name));
  const std::array<Stream, 2> same_lane{{{"a", 1, 0, 2}, {"b", 1, 1, 1}}};
  CHECK_FALSE(streams_are_disjoint(same_lane));
  // A stream spilling into the next block collides with that block's streams.
  const std::array<Stream, 2> spill{{{"a", 1, 2, 4}, {"b", 2, 1, 1}}};
  CHECK_FALSE(streams_are_disjoint(spill));
  const std::array<Stream, 2> apart{{{"a", 1, 0, 4}, {"b", 2, 0, 4}}};
  CHECK(streams_are_disjoint(apart));
}

TEST_CASE("every stream's draws land in distinct Philox cells", "[engine][rng]") {
  std::set<std::uint32_t> cells;
  std::size_t draws = 0;
  for (const auto& s : stream_table)
    for (std::uint32_t i = 0; i < s.lanes; ++i) {
      cells.insert(s.block * 4 + s.first_lane + i);
      ++draws;
    }
  CHECK(cells.size() == draws);
}

TEST_CASE("a family's cached draws are the same numbers as drawing each on its own", "[engine][rng]") {
  const RandomSource rng(31, 2);
  FamilyDraws draws(rng, 4242, 17);
  // Every lane of every stream, in an order that revisits and evicts blocks.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& s : stream_table)
      for (std::uint32_t i = 0; i < s.lanes; ++i) REQUIRE(draws.uniform(s, i) == rng.uniform(s, 4242, 17, i));
}

#include <array>
#include <cmath>

#include <catch2/catch.hpp>

#include "engine/hazard.hpp"
#include "engine/random_streams.hpp"

using namespace ehsim::engine;

TEST_CASE("a hazard becomes the monthly probability 1 - exp(-h)", "[engine][hazard]") {
  CHECK(probability_from_hazard(0.0) == 0.0);
  CHECK(probability_from_hazard(0.1) == Approx(1 - std::exp(-0.1)).epsilon(1e-15));
  CHECK(probability_from_hazard(std::log(2.0)) == Approx(0.5).epsilon(1e-15));
  // Accurate for tiny hazards, where 1 - exp(-h) would lose every digit.
  CHECK(probability_from_hazard(1e-12) == Approx(1e-12).epsilon(1e-9));
}

TEST_CASE("competing risks happen with probability 1 - exp(-sum) and split in proportion to the hazards",
          "[engine][hazard]") {
  const std::array<double, 3> hazards{0.2, 0.1, 0.3};
  const double total = 0.6;
  const double p_any = 1 - std::exp(-total);
  std::array<int, 3> counts{};
  int none = 0;
  const int draws = 400000;
  const RandomSource rng(42, 0);
  for (int i = 0; i < draws; ++i) {
    const int event = choose_competing(hazards, to_uniform(rng.block(static_cast<std::uint32_t>(i), 0, 99)[0]));
    if (event < 0)
      ++none;
    else
      ++counts[static_cast<std::size_t>(event)];
  }
  const auto within = [draws](int count, double p) {
    const double sd = std::sqrt(draws * p * (1 - p));
    return std::abs(count - draws * p) < 5 * sd;
  };
  CHECK(within(none, 1 - p_any));
  for (std::size_t i = 0; i < hazards.size(); ++i) CHECK(within(counts[i], p_any * hazards[i] / total));
}

TEST_CASE("competing risks: the uniform decides deterministically at the boundaries", "[engine][hazard]") {
  const std::array<double, 2> hazards{0.5, 0.5};
  const double p_any = 1 - std::exp(-1.0);
  CHECK(choose_competing(hazards, p_any * 0.25) == 0);
  CHECK(choose_competing(hazards, p_any * 0.75) == 1);
  CHECK(choose_competing(hazards, p_any + 1e-9) == -1);
  const std::array<double, 2> zero{0.0, 0.0};
  CHECK(choose_competing(zero, 1e-9) == -1);
  const std::array<double, 3> only_last{0.0, 0.0, 2.0};
  CHECK(choose_competing(only_last, 0.5) == 2);
}

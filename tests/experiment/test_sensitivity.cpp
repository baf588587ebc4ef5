// Sweep designs and sensitivity statistics against known answers.
#include <cmath>
#include <set>

#include <catch2/catch.hpp>

#include "experiment/sensitivity.hpp"

using namespace ehsim;
using namespace ehsim::experiment;

namespace {

config::SweepConfig unit_sweep(config::SweepDesign design, std::int64_t points, std::size_t parameters) {
  config::SweepConfig sweep;
  sweep.design = design;
  sweep.points = points;
  sweep.seed = 42;
  for (std::size_t j = 0; j < parameters; ++j) sweep.parameters.push_back({"p" + std::to_string(j), {}, 0.0, 1.0});
  return sweep;
}

}  // namespace

TEST_CASE("a Latin hypercube puts one point in each stratum of every parameter", "[engine][sweep]") {
  const auto sweep = unit_sweep(config::SweepDesign::latin_hypercube, 20, 3);
  const auto design = make_design(sweep);
  REQUIRE(design.points.size() == 20);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (const auto& point : design.points) strata.insert(static_cast<int>(std::floor(point[j] * 20)));
    CHECK(strata.size() == 20);
  }
  // The same seed gives the same design.
  CHECK(make_design(sweep).points == design.points);
}

TEST_CASE("Morris elementary effects of a linear function are its slopes, with no spread", "[engine][sweep]") {
  auto sweep = unit_sweep(config::SweepDesign::morris, 12, 3);
  sweep.levels = 4;
  sweep.parameters[1].min = 10;  // effects are per unit of each parameter's range
  sweep.parameters[1].max = 20;
  const auto design = make_design(sweep);
  REQUIRE(design.points.size() == 12 * 4);
  std::vector<double> y;
  for (const auto& x : design.points) y.push_back(3 * x[0] - 2 * (x[1] - 10) / 10 + 0 * x[2]);
  const auto stats = morris(design, y, 3);
  CHECK(stats.mu[0] == Approx(3));
  CHECK(stats.mu_star[0] == Approx(3));
  CHECK(stats.mu[1] == Approx(-2));
  CHECK(stats.mu_star[1] == Approx(2));
  CHECK(stats.mu_star[2] == Approx(0).margin(1e-12));
  CHECK(stats.sigma[0] == Approx(0).margin(1e-9));
  // A product term makes the effects depend on where they are taken: sigma > 0.
  std::vector<double> z;
  for (const auto& x : design.points) z.push_back(x[0] * x[2]);
  CHECK(morris(design, z, 3).sigma[0] > 0.05);
}

TEST_CASE("Sobol indices of an additive function are the shares of its variance", "[engine][sweep]") {
  // y = x0 + 2 x1 on uniform inputs: variances 1/12 and 4/12, so S0 = 0.2,
  // S1 = 0.8, and the totals equal the first-order indices; x2 does nothing.
  const auto sweep = unit_sweep(config::SweepDesign::sobol, 4000, 3);
  const auto design = make_design(sweep);
  REQUIRE(design.points.size() == 4000 * 5);
  std::vector<double> y;
  for (const auto& x : design.points) y.push_back(x[0] + 2 * x[1]);
  const auto s = sobol(design, y, 3, 7);
  CHECK(s.first[0] == Approx(0.2).margin(0.03));
  CHECK(s.first[1] == Approx(0.8).margin(0.03));
  CHECK(s.total[0] == Approx(0.2).margin(0.03));
  CHECK(s.total[1] == Approx(0.8).margin(0.03));
  CHECK(std::abs(s.first[2]) < 0.03);
  CHECK(s.total[2] == Approx(0).margin(1e-12));
  CHECK(s.first_low[1] < s.first[1]);
  CHECK(s.first[1] < s.first_high[1]);
}

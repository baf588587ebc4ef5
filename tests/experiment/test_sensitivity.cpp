// Sweep designs and sensitivity statistics against known answers.
#include <cmath>
#include <set>

#include <catch2/catch.hpp>

#include "experiment/sensitivity.hpp"

using namespace ehsim;
using namespace ehsim::experiment;

namespace {

config::SweepConfig unit_sweep(config::Design design, std::int64_t points, std::size_t parameters) {
  config::SweepConfig sweep;
  sweep.design = design;
  sweep.points = points;
  sweep.seed = 42;
  for (std::size_t j = 0; j < parameters; ++j) sweep.parameters.push_back({"p" + std::to_string(j), {}, 0.0, 1.0});
  return sweep;
}

}  // namespace

TEST_CASE("a Latin hypercube puts one point in each stratum of every parameter", "[engine][sweep]") {
  const auto sweep = unit_sweep(config::Design::latin_hypercube, 20, 3);
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
  auto sweep = unit_sweep(config::Design::morris, 12, 3);
  sweep.levels = 4;
  sweep.parameters[1].min = 10;  // effects are per unit of each parameter's range
  sweep.parameters[1].max = 20;
  const auto design = make_design(sweep);
  REQUIRE(design.points.size() == 12 * 4);
  std::vector<double> y;
  for (const auto& x : design.points) y.push_back(3 * x[0] - 2 * (x[1] - 10) / 10 + 0 * x[2]);
  const auto stats = morris(design, y, 3, 1);
  CHECK(stats.mu[0] == Approx(3));
  CHECK(stats.mu_star[0] == Approx(3));
  CHECK(stats.mu[1] == Approx(-2));
  CHECK(stats.mu_star[1] == Approx(2));
  CHECK(stats.mu_star[2] == Approx(0).margin(1e-12));
  CHECK(stats.sigma[0] == Approx(0).margin(1e-9));
  // Every trajectory gives the same effects: the bootstrap interval is a point
  // and the ranking has converged.
  CHECK(stats.mu_star_low[0] == Approx(3));
  CHECK(stats.mu_star_high[0] == Approx(3));
  CHECK(converged(stats));
  // A product term makes the effects depend on where they are taken: sigma > 0,
  // and mu* has an interval around it.
  std::vector<double> z;
  for (const auto& x : design.points) z.push_back(x[0] * x[2]);
  const auto product = morris(design, z, 3, 1);
  CHECK(product.sigma[0] > 0.05);
  CHECK(product.mu_star_low[0] < product.mu_star[0]);
  CHECK(product.mu_star[0] < product.mu_star_high[0]);
}

TEST_CASE("sensitivity indices say they have not converged when their intervals are wide, and have when narrow",
          "[engine][sweep]") {
  const auto y_of = [](const SweepDesign& design) {
    std::vector<double> y;
    for (const auto& x : design.points) y.push_back(x[0] + 2 * x[1] + x[0] * x[2]);
    return y;
  };
  const auto few = make_design(unit_sweep(config::Design::sobol, 16, 3));
  const auto many = make_design(unit_sweep(config::Design::sobol, 4000, 3));
  CHECK_FALSE(converged(sobol(few, y_of(few), 3, 7)));
  CHECK(converged(sobol(many, y_of(many), 3, 7)));
  auto morris_sweep = unit_sweep(config::Design::morris, 4, 3);
  const auto short_design = make_design(morris_sweep);
  morris_sweep.points = 400;
  const auto long_design = make_design(morris_sweep);
  CHECK_FALSE(converged(morris(short_design, y_of(short_design), 3, 1)));
  CHECK(converged(morris(long_design, y_of(long_design), 3, 1)));
}

TEST_CASE("Sobol indices of an additive function are the shares of its variance", "[engine][sweep]") {
  // y = x0 + 2 x1 on uniform inputs: variances 1/12 and 4/12, so S0 = 0.2,
  // S1 = 0.8, and the totals equal the first-order indices; x2 does nothing.
  const auto sweep = unit_sweep(config::Design::sobol, 4000, 3);
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

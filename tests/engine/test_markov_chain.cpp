// With themes and crises switched off and resilience neutral, every family
// has the same constant hazards: the level process is a Markov chain, and the
// mean occupancy must follow p0 * P^t.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

namespace {

using Matrix = std::vector<std::vector<double>>;

// The monthly transition matrix implied by competing up/down hazards.
Matrix transition_matrix(const config::Authority& authority) {
  const std::size_t n = authority.levels.size();
  Matrix p(n, std::vector<double>(n, 0.0));
  for (std::size_t k = 0; k < n; ++k) {
    const double up = authority.levels[k].up_hazard_per_month;
    const double down = authority.levels[k].down_hazard_per_month;
    const double any = 1 - std::exp(-(up + down));
    if (k + 1 < n) p[k][k + 1] = up + down > 0 ? any * up / (up + down) : 0;
    if (k > 0) p[k][k - 1] = up + down > 0 ? any * down / (up + down) : 0;
    p[k][k] = 1 - any;
  }
  return p;
}

std::vector<double> step(const std::vector<double>& occupancy, const Matrix& p) {
  std::vector<double> next(occupancy.size(), 0.0);
  for (std::size_t k = 0; k < occupancy.size(); ++k)
    for (std::size_t l = 0; l < occupancy.size(); ++l) next[l] += occupancy[k] * p[k][l];
  return next;
}

}  // namespace

TEST_CASE("with themes off and constant hazards, level occupancy matches p0 * P^t", "[engine][markov]") {
  config::Authority authority = testing::dynamics_only(testing::small_default(200000, 36));
  authority.themes.clear();
  authority.costs.partners.clear();  // they are charged on themes
  authority.jumps.clear();
  authority.risk.interactions.clear();
  authority.risk.resilience_escalation_hazard_ratio = 1.0;
  authority.population.arrivals = false;
  authority.simulation.burn_in_months = 0;                 // start away from the chain's balance
  authority.population.move_away_hazard_per_month = 0.01;  // departures are independent of level
  // Fast hazards so the chain moves far from where it starts.
  const std::vector<std::pair<double, double>> hazards{{0.05, 0.0}, {0.08, 0.10}, {0.06, 0.15}, {0.0, 0.12}};
  for (std::size_t k = 0; k < hazards.size(); ++k) {
    authority.levels[k].up_hazard_per_month = hazards[k].first;
    authority.levels[k].down_hazard_per_month = hazards[k].second;
  }
  config::validate(authority);
  const Model model = build_model(authority);
  const RunResult run = simulate(model, {13, 0, false});

  const Matrix p = transition_matrix(authority);
  std::vector<double> occupancy;
  double total = 0;
  for (const auto v : run.initial_families.values) total += static_cast<double>(v);
  for (const auto v : run.initial_families.values) occupancy.push_back(static_cast<double>(v) / total);

  double worst_z = 0;
  for (std::size_t m = 0; m < static_cast<std::size_t>(model.months); ++m) {
    occupancy = step(occupancy, p);
    double present = 0;
    for (std::size_t l = 0; l < hazards.size(); ++l) present += static_cast<double>(run.stock_families(m, l));
    for (std::size_t l = 0; l < hazards.size(); ++l) {
      const double share = static_cast<double>(run.stock_families(m, l)) / present;
      const double se = std::sqrt(occupancy[l] * (1 - occupancy[l]) / present);
      worst_z = std::max(worst_z, std::abs(share - occupancy[l]) / se);
    }
  }
  INFO("largest deviation from p0 * P^t, in standard errors: " << worst_z);
  CHECK(worst_z < 5.0);
  // The chain really moved far from where it started.
  double moved = 0;
  for (std::size_t l = 0; l < hazards.size(); ++l)
    moved += std::abs(occupancy[l] - static_cast<double>(run.initial_families.values[l]) / total);
  CHECK(moved > 0.2);
}

// The default authority is the product's first impression: with nothing
// changed, its level stocks must hold where they start, and what it spends on
// each level must look like what a real authority spends.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

namespace {

constexpr int default_replicates = 8;

// The default authority's runs, simulated once for the tests that read them.
const std::vector<RunResult>& default_runs() {
  static const std::vector<RunResult> runs = [] {
    const Model model = build_model(config::default_authority());
    std::vector<RunResult> results;
    for (int r = 0; r < default_replicates; ++r)
      results.push_back(simulate(model, {1, static_cast<std::uint32_t>(r), false}));
    return results;
  }();
  return runs;
}

}  // namespace

TEST_CASE("with nothing changed, the default authority's level stocks stay within 10% of their start over ten years",
          "[engine][default]") {
  const config::Authority authority = config::default_authority();
  REQUIRE(authority.simulation.months == 120);
  const auto levels = authority.levels.size();
  const auto theme_count = authority.themes.size();
  const double replicates = default_replicates;
  std::vector<double> start(levels, 0.0);
  std::vector<std::vector<double>> stock(120, std::vector<double>(levels, 0.0));
  std::vector<double> theme_start(theme_count, 0.0);
  std::vector<double> theme_end(theme_count, 0.0);
  for (const RunResult& run : default_runs()) {
    for (std::size_t k = 0; k < levels; ++k) {
      start[k] += static_cast<double>(run.initial_families.values[k]) / replicates;
      for (std::size_t m = 0; m < 120; ++m) stock[m][k] += static_cast<double>(run.stock_families(m, k)) / replicates;
    }
    for (std::size_t j = 0; j < theme_count; ++j) {
      theme_start[j] += static_cast<double>(run.initial_theme_families.values[j]) / replicates;
      theme_end[j] += static_cast<double>(run.theme_families(119, j)) / replicates;
    }
  }
  double start_total = 0;
  for (std::size_t k = 0; k < levels; ++k) {
    start_total += start[k];
    // After the burn-in the levels sit where the calibration put them: within
    // the targets' uncertainty of the evidence's stocks (configs/default.targets.csv:
    // 15% at level 2, 20% at levels 3 and 4; level 3 measured 13% short,
    // docs/validation.md).
    INFO("level " << k + 1 << ": " << start[k] / 35300 << " of families after the burn-in");
    CHECK(start[k] / 35300 == Approx(authority.levels[k].initial_share).epsilon(k >= 2 ? 0.20 : 0.15));
  }
  for (std::size_t m = 0; m < 120; ++m) {
    double total = 0;
    for (std::size_t k = 0; k < levels; ++k) {
      INFO("level " << k + 1 << ", month " << m << ": " << stock[m][k] << " families against " << start[k]);
      CHECK(std::abs(stock[m][k] / start[k] - 1) <= 0.10);
      total += stock[m][k];
    }
    CHECK(std::abs(total / start_total - 1) <= 0.05);
  }
  for (std::size_t j = 0; j < theme_count; ++j) {
    INFO("theme " << authority.themes[j].name);
    CHECK(std::abs(theme_end[j] / theme_start[j] - 1) <= 0.15);
  }
}

TEST_CASE("the default authority spends on each level within 15% of Barnet's 2014 spend, scaled to its population",
          "[engine][default][costs]") {
  // Barnet's 2014 table (authorities.md): level 1 £7.6m; level 2 £4.7m for
  // ~700 cases; level 3 £15.5m for 1,256 cases; level 4 £21.8m for 326 looked-
  // after children. Scaled to the default: level 1 by children (60,000 against
  // Barnet's ~87,000, an assumption), levels 2-4 per case, since the default
  // has the national rate of care (70 per 10,000), about twice Barnet's; Barnet
  // counted child protection at level 3, so the default's plans are costed at
  // Barnet's level 3 rate. All in 2024 prices: x1.33 (evidence §6, from 2013-14).
  constexpr double uplift = 1.33;
  constexpr double level_1 = 7.6e6 * 60000.0 / 87000.0 * uplift;
  constexpr double level_2_per_case = 4.7e6 / 700 * uplift;
  constexpr double level_3_per_case = 15.5e6 / 1256 * uplift;
  constexpr double level_4_per_child_in_care = 21.8e6 / 326 * uplift;

  const config::Authority authority = config::default_authority();
  const auto& services = authority.services;
  // Open cases by the level their service works with (each default service works with one).
  std::vector<double> cases(authority.levels.size(), 0.0), spend(authority.levels.size(), 0.0);
  double children_in_care = 0, plans = 0, children_on_plans = 0;
  const double years = 10.0 * default_replicates;
  for (const RunResult& run : default_runs()) {
    for (std::size_t m = 0; m < 120; ++m) {
      for (std::size_t k = 0; k < spend.size(); ++k)
        spend[k] += static_cast<double>(run.spend_by_level(m, k)) / 100 / years;
      for (std::size_t s = 0; s < services.size(); ++s) {
        REQUIRE(services[s].levels.size() == 1);
        const auto level =
            static_cast<std::size_t>(std::find_if(authority.levels.begin(), authority.levels.end(),
                                                  [&](const auto& l) { return l.name == services[s].levels[0]; }) -
                                     authority.levels.begin());
        const double open = static_cast<double>(run.service_caseload(m, s)) / (120.0 * default_replicates);
        const double children = static_cast<double>(run.service_children(m, s)) / (120.0 * default_replicates);
        if (services[s].kind == config::ServiceKind::children_in_care) {
          children_in_care += children;
        } else if (services[s].kind == config::ServiceKind::child_protection) {
          plans += open;
          children_on_plans += children;
        } else {
          cases[level] += open;
        }
      }
    }
  }
  const std::vector<double> barnet{level_1, level_2_per_case * cases[1], level_3_per_case * cases[2],
                                   level_4_per_child_in_care * children_in_care + level_3_per_case * plans};
  for (std::size_t k = 0; k < barnet.size(); ++k) {
    INFO("level " << k + 1 << ": £" << spend[k] / 1e6 << "m a year against Barnet's £" << barnet[k] / 1e6 << "m");
    CHECK(std::abs(spend[k] / barnet[k] - 1) <= 0.15);
  }
  // And the stocks the costs rest on are the evidence's (§6), within 10%.
  CHECK(children_in_care == Approx(420).epsilon(0.10));
  // Children on plans are the one target the calibrated default misses
  // (docs/validation.md: about 314 against 255 in its first year, 330 over
  // the ten; configs/presets.toml lists it): held to that gap, so that a
  // change that widens it fails here as well as in the backcast.
  CHECK(children_on_plans > 255);
  CHECK(children_on_plans == Approx(255).epsilon(0.35));
}

TEST_CASE("every authority preset in configs/ loads, runs and holds its level stocks within 10%", "[engine][presets]") {
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("configs"))) {
    // Calibration fit files (*.fit.toml) sit beside the presets they fit, and
    // presets.toml lists them.
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".toml" || name.ends_with(".fit.toml") || name == "presets.toml") continue;
    // A seed authority's structure (NAME.toml) is a preset only through the
    // overlay calibrated on it (NAME.calibrated.toml), which is held here.
    const auto calibrated = entry.path().parent_path() / (entry.path().stem().string() + ".calibrated.toml");
    if (std::filesystem::exists(calibrated)) continue;
    INFO("preset " << entry.path().filename().string());
    config::Authority authority = config::load_authority_file(entry.path());
    authority.simulation.months = 60;
    const Model model = build_model(authority);
    const auto levels = static_cast<std::size_t>(model.level_count);
    std::vector<double> start(levels, 0.0), lowest(levels, 1e300), highest(levels, 0.0);
    const int replicates = 4;
    std::vector<std::vector<double>> mean(60, std::vector<double>(levels, 0.0));
    for (int r = 0; r < replicates; ++r) {
      const RunResult run = simulate(model, {2, static_cast<std::uint32_t>(r), false});
      for (std::size_t k = 0; k < levels; ++k) {
        start[k] += static_cast<double>(run.initial_families.values[k]) / replicates;
        for (std::size_t m = 0; m < 60; ++m) mean[m][k] += static_cast<double>(run.stock_families(m, k)) / replicates;
      }
    }
    for (std::size_t k = 0; k < levels; ++k) {
      for (std::size_t m = 0; m < 60; ++m) {
        lowest[k] = std::min(lowest[k], mean[m][k]);
        highest[k] = std::max(highest[k], mean[m][k]);
      }
      INFO("level " << authority.levels[k].name << ": start " << start[k] << ", range " << lowest[k] << " to "
                    << highest[k]);
      CHECK(lowest[k] >= 0.9 * start[k]);
      CHECK(highest[k] <= 1.1 * start[k]);
    }
  }
}

// The default authority is the product's first impression: with nothing
// changed, its level stocks must hold where they start.
#include <cmath>

#include <catch2/catch.hpp>

#include "engine/model.hpp"
#include "engine/run.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;

TEST_CASE("with nothing changed, the default authority's level stocks stay within 10% of their start over ten years",
          "[engine][default]") {
  const config::Authority authority = config::default_authority();
  REQUIRE(authority.simulation.months == 120);
  const Model model = build_model(authority);
  const int replicates = 8;
  const auto levels = static_cast<std::size_t>(model.level_count);
  std::vector<double> start(levels, 0.0);
  std::vector<std::vector<double>> stock(120, std::vector<double>(levels, 0.0));
  std::vector<double> theme_start(static_cast<std::size_t>(model.theme_count), 0.0);
  std::vector<double> theme_end(static_cast<std::size_t>(model.theme_count), 0.0);
  for (int r = 0; r < replicates; ++r) {
    const RunResult run = simulate(model, {1, static_cast<std::uint32_t>(r), false});
    for (std::size_t k = 0; k < levels; ++k) {
      start[k] += static_cast<double>(run.initial_families.values[k]) / replicates;
      for (std::size_t m = 0; m < 120; ++m) stock[m][k] += static_cast<double>(run.stock_families(m, k)) / replicates;
    }
    for (std::size_t j = 0; j < theme_start.size(); ++j) {
      theme_start[j] += static_cast<double>(run.initial_theme_families.values[j]) / replicates;
      theme_end[j] += static_cast<double>(run.theme_families(119, j)) / replicates;
    }
  }
  double start_total = 0;
  for (std::size_t k = 0; k < levels; ++k) {
    start_total += start[k];
    CHECK(start[k] / 35300 == Approx(authority.levels[k].initial_share).epsilon(0.05));
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
  for (std::size_t j = 0; j < theme_start.size(); ++j) {
    INFO("theme " << authority.themes[j].name);
    CHECK(std::abs(theme_end[j] / theme_start[j] - 1) <= 0.15);
  }
}

TEST_CASE("every authority preset in configs/ loads, runs and holds its level stocks within 10%", "[engine][presets]") {
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("configs"))) {
    if (entry.path().extension() != ".toml") continue;
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

// Calibration: it recovers known parameters from targets simulated with them,
// searches only inside the bounds, leaves held-out targets out of the
// objective, resumes to the same result, and writes an overlay that loads to
// the fitted values and changes nothing else.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <mutex>

#include "calibration/calibrate.hpp"
#include "calibration/overlay.hpp"
#include "config/diff.hpp"
#include "engine/measures.hpp"
#include "engine/model.hpp"
#include "engine/run.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

namespace ehsim {
namespace {

using testing::TempDir;

config::Authority small_authority(int months = 36, std::int64_t families = 3000) {
  config::Overrides overrides;
  overrides.families = families;
  overrides.months = months;
  auto authority = config::default_authority(overrides);
  authority.simulation.burn_in_months = 12;
  return authority;
}

const std::string target_lines =
    "referrals,steady,0,,x\n"
    "stock_families.complex,steady,0,,x\n"
    "early_help_open_cases,steady,0,,x\n"
    "children_on_plans,FY2026-27,0,,x\n"
    "cin_starts,FY2026-27,0,,x\n"
    "referrals,FY2027-28,0,,x\n";

calibration::FitConfig fit_of(std::vector<calibration::FitParameter> parameters) {
  calibration::FitConfig fit;
  fit.starts = 2;
  fit.evaluations = 60;
  fit.replicates = 2;
  fit.report_replicates = 4;
  fit.seed = 11;
  fit.algorithm = calibration::Algorithm::sbplx;
  fit.parameters = std::move(parameters);
  return fit;
}

// Targets equal to the simulated means at `truth`, each with a tenth of its
// value as uncertainty (the objective is exactly 0 at the truth).
calibration::Problem synthetic_problem(const std::vector<double>& truth, calibration::FitConfig fit,
                                       const std::optional<std::string>& holdout = std::nullopt,
                                       std::int64_t families = 3000) {
  TempDir dir;
  const auto authority = small_authority(36, families);
  auto targets = calibration::load_targets(
      dir.file("t.csv", "measure,period,value,uncertainty,source\n" + target_lines), authority);
  auto problem = calibration::make_problem(authority, targets, fit, holdout);
  const auto runs = calibration::simulate_targets(problem, truth, static_cast<std::size_t>(fit.replicates));
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    problem.targets[t].value = runs.mean[t];
    problem.targets[t].uncertainty = std::max(1.0, 0.1 * runs.mean[t]);
  }
  return problem;
}

const std::vector<calibration::FitParameter> two_keys{{"levels[1].up_hazard_per_month", 0.008, 0.04},
                                                      {"identification.probability_by_level[1]", 0.005, 0.06}};
const std::vector<double> truth{0.021, 0.025};

TEST_CASE("calibration recovers the parameters its targets were simulated with", "[calibration]") {
  const auto problem = synthetic_problem(truth, fit_of(two_keys));
  const auto result = calibration::calibrate(problem);
  INFO("best " << result.best[0] << ", " << result.best[1] << "; objective " << result.best_objective);
  for (const auto& start : result.starts)
    UNSCOPED_INFO("start " << start.initial[0] << "," << start.initial[1] << " -> " << start.best[0] << ","
                           << start.best[1] << " obj " << start.best_objective << " after " << start.evaluations << " "
                           << start.stopped);
  // Within 8% of each range of the truth, from starts a Latin hypercube
  // spreads over the bounds (the two keys trade off along a shallow valley:
  // both raise referrals, so 3,000 families pin them only so far).
  CHECK(std::abs(result.best[0] - truth[0]) < 0.08 * (0.04 - 0.008));
  CHECK(std::abs(result.best[1] - truth[1]) < 0.08 * (0.06 - 0.005));
  CHECK(result.best_objective < 0.1);
  CHECK(result.improved);
  CHECK_FALSE(result.on_bound[0]);
  CHECK_FALSE(result.on_bound[1]);
  // The truth itself is plausible, and is found so.
  CHECK_FALSE(result.plausible.empty());
  for (const std::size_t i : result.plausible)
    CHECK(result.evaluations[i].implausibility <= problem.fit.plausible_cutoff);
}

TEST_CASE("calibration evaluates only values inside the bounds, and says when the best is on one", "[calibration]") {
  // The truth lies outside the range searched.
  auto fit = fit_of({{"levels[1].up_hazard_per_month", 0.045, 0.06}});
  fit.evaluations = 30;
  const auto problem = synthetic_problem({0.021}, fit, std::nullopt, 12000);
  const auto result = calibration::calibrate(problem);
  REQUIRE(result.evaluations.size() > 10);
  for (const auto& evaluation : result.evaluations)
    for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
      CHECK(evaluation.values[k] >= fit.parameters[k].min);
      CHECK(evaluation.values[k] <= fit.parameters[k].max);
    }
  CHECK(result.on_bound[0]);
  CHECK(result.best[0] < 0.045 + 0.05 * (0.06 - 0.045));
}

TEST_CASE("a held-out target is not in the objective, and a steady one covers only the fitted months",
          "[calibration]") {
  auto problem = synthetic_problem(truth, fit_of(two_keys), "2027-04");
  const auto fitted = calibration::fitted_targets(problem);
  const auto held = calibration::held_out_targets(problem);
  // referrals FY2027-28 (months 24-35) is held out; the steady ones end before month 24.
  CHECK(fitted == std::vector<bool>{true, true, true, true, true, false});
  CHECK(held == std::vector<bool>{false, false, false, false, false, true});
  CHECK(problem.targets[0].period.last == 23);
  // Moving the held-out figure leaves the objective as it was; moving a fitted one does not.
  const auto runs = calibration::simulate_targets(problem, {0.03, 0.04}, 2);
  const double before = calibration::objective(problem, runs);
  problem.targets[5].value *= 3;
  CHECK(calibration::objective(problem, runs) == before);
  problem.targets[3].value *= 3;
  CHECK(calibration::objective(problem, runs) != before);
  // A weight of 0 takes a target out too.
  problem.fit.weights["stock_families.complex"] = 0;
  CHECK(calibration::fitted_targets(problem)[1] == false);
  CHECK_THROWS_WITH(synthetic_problem(truth, fit_of(two_keys), "2028-04"), Catch::Contains("months on both sides"));
  CHECK_THROWS_WITH(synthetic_problem(truth, fit_of(two_keys), "April"), Catch::Contains("expected a month"));
}

TEST_CASE("a calibration replayed from its first evaluations ends where the whole one did", "[calibration]") {
  const auto problem = synthetic_problem(truth, fit_of(two_keys));
  std::mutex mutex;
  std::vector<calibration::Evaluation> recorded;
  calibration::Hooks record;
  record.record = [&](const calibration::Evaluation& e) {
    const std::lock_guard<std::mutex> lock(mutex);
    recorded.push_back(e);
  };
  const auto whole = calibration::calibrate(problem, record);
  REQUIRE(recorded.size() == whole.evaluations.size());
  // Keep half of each start's evaluations, as if it had been killed.
  std::map<std::pair<std::size_t, std::size_t>, calibration::Evaluation> kept;
  for (const auto& e : recorded)
    if (e.step < whole.starts[e.start].evaluations / 2) kept[{e.start, e.step}] = e;
  std::size_t replayed = 0, simulated = 0;
  calibration::Hooks resume;
  resume.lookup = [&](std::size_t start, std::size_t step,
                      const std::vector<double>& values) -> std::optional<calibration::Evaluation> {
    const std::lock_guard<std::mutex> lock(mutex);
    const auto found = kept.find({start, step});
    if (found == kept.end() || found->second.values != values) return std::nullopt;
    ++replayed;
    return found->second;
  };
  resume.record = [&](const calibration::Evaluation&) {
    const std::lock_guard<std::mutex> lock(mutex);
    ++simulated;
  };
  const auto again = calibration::calibrate(problem, resume);
  CHECK(replayed == kept.size());
  CHECK(replayed + simulated == whole.evaluations.size());
  CHECK(again.best == whole.best);
  CHECK(again.best_objective == whole.best_objective);
  REQUIRE(again.evaluations.size() == whole.evaluations.size());
  for (std::size_t i = 0; i < whole.evaluations.size(); ++i)
    CHECK(again.evaluations[i].values == whole.evaluations[i].values);
}

TEST_CASE("a run's first months do not depend on how many follow, so calibration may stop at the last target",
          "[calibration]") {
  const auto long_run = engine::simulate(engine::build_model(small_authority(36)), {3, 1, false});
  const auto short_run = engine::simulate(engine::build_model(small_authority(20)), {3, 1, false});
  for (const auto& measure : engine::measures()) {
    if (!measure.monthly()) continue;
    const auto& a = long_run.*(measure.member);
    const auto& b = short_run.*(measure.member);
    const std::size_t row = b.values.size() / b.shape.front();
    INFO(measure.path);
    REQUIRE(a.values.size() / a.shape.front() == row);
    CHECK(std::equal(b.values.begin(), b.values.end(), a.values.begin()));
  }
}

TEST_CASE("the calibrated overlay loads to the fitted values and changes no other key", "[calibration]") {
  auto fit =
      fit_of({two_keys[0], two_keys[1], {"services.intensive_family_service.escalation_hazard_ratio", 0.3, 1.0}});
  fit.evaluations = 8;
  const auto problem = synthetic_problem({0.021, 0.025, 0.6}, fit);
  const auto result = calibration::calibrate(problem);
  TempDir dir;
  const auto base = dir.file("base.toml", config::to_toml(problem.base));
  const auto overlay =
      dir.file("calibrated.toml", calibration::calibrated_overlay(problem, result, "base.toml", {"a test"}));
  const auto text = testing::read_text(overlay);
  CHECK(text.rfind(std::string(calibration::overlay_marker), 0) == 0);
  CHECK_THAT(text, Catch::Contains("searched in [0.3, 1.0]"));
  const auto loaded = config::load_authority_file(overlay);
  const auto changed = config::differences(problem.base, loaded);
  std::vector<std::string> keys;
  for (const auto& difference : changed) keys.push_back(difference.key);
  // Exactly the fitted keys, and nothing else in the lists they sit in.
  CHECK(keys == std::vector<std::string>{"identification.probability_by_level", "levels[1].up_hazard_per_month",
                                         "services.intensive_family_service.escalation_hazard_ratio"});
  auto expected = problem.base;
  expected.levels[1].up_hazard_per_month = result.best[0];
  expected.identification.probability_by_level[1] = result.best[1];
  CHECK(config::differences(expected, loaded).size() == 1);  // the service's ratio only
  CHECK(loaded.levels[1].up_hazard_per_month == result.best[0]);
  CHECK(loaded.identification.probability_by_level[1] == result.best[1]);
  const auto& service = *std::find_if(loaded.services.begin(), loaded.services.end(),
                                      [](const auto& s) { return s.name == "intensive_family_service"; });
  CHECK(service.escalation_hazard_ratio == result.best[2]);

  // The plausible sets: a joint sample that each replicate takes a row of.
  REQUIRE_FALSE(result.plausible.empty());
  const auto sample =
      dir.file("plausible.toml", calibration::plausible_overlay(problem, result, "calibrated.toml", {"a test"}));
  const auto drawn = config::load_authority_file(sample);
  REQUIRE(drawn.uncertainty.size() == 3);
  for (std::uint32_t r = 0; r < 6; ++r) {
    const auto values = experiment::draw_uncertain(drawn, 5, r);
    const bool a_row = std::any_of(result.plausible.begin(), result.plausible.end(),
                                   [&](std::size_t i) { return result.evaluations[i].values == values; });
    CHECK(a_row);
  }
}

}  // namespace
}  // namespace ehsim

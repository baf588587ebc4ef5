// Fitting a configuration to what an authority observed. The objective is the
// weighted mean of squared standardised errors, (simulated mean - observed) /
// uncertainty, over the fitted targets, the mean taken over a fixed set of
// replicates with common random numbers so that it moves only with the
// parameters. NLopt (BOBYQA or Subplex) minimises it from several starts of a
// Latin hypercube over the bounds, in parallel; every evaluation is kept, and
// those within history matching's implausibility cut-off are the plausible
// sets. Nothing depends on the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calibration/fit.hpp"
#include "calibration/targets.hpp"
#include "config/authority.hpp"

namespace ehsim::calibration {

struct Problem {
  config::Authority base;  // the configuration calibrated, resolved and checked
  std::vector<Target> targets;
  std::vector<TargetMeasure> measures;  // of `base`
  FitConfig fit;
  int holdout_from = -1;             // month index of the run from which targets are held out; -1: none
  std::string fit_source = "<fit>";  // the fit file, named in messages about the values it sets
  std::vector<bool> whole;           // per fitted key: takes whole numbers only (a count of cases)
};

// Builds a problem, checking the hold-out month (and which fitted keys take
// whole numbers: their values are rounded before they are set) (a ConfigError names
// --holdout-from): targets whose period ends before it are fitted and the
// rest held out; a steady target is then the mean over the months before it.
Problem make_problem(config::Authority base, std::vector<Target> targets, FitConfig fit,
                     const std::optional<std::string>& holdout_from);

// Whether each target is in the objective: weight above 0 and not held out.
std::vector<bool> fitted_targets(const Problem& problem);
std::vector<bool> held_out_targets(const Problem& problem);

// Each target's figure in each replicate, at the given values of the fitted keys.
struct TargetRuns {
  std::vector<std::vector<double>> by_replicate;  // [replicate][target]
  std::vector<double> mean, sd;                   // [target], over replicates
};
TargetRuns simulate_targets(const Problem& problem, const std::vector<double>& values, std::size_t replicates);

double objective(const Problem& problem, const TargetRuns& runs);
// The largest |simulated mean - observed| / sqrt(uncertainty^2 + sd^2 / replicates)
// over the fitted targets.
double implausibility(const Problem& problem, const TargetRuns& runs);

struct Evaluation {
  std::size_t start = 0, step = 0;  // the start, and the evaluation's place in it
  std::vector<double> values;       // of the fitted keys
  double objective = 0;
  double implausibility = 0;
  std::vector<double> mean, sd;  // per target
};

struct StartResult {
  std::vector<double> initial, best;  // values of the fitted keys
  double initial_objective = 0, best_objective = 0;
  std::size_t evaluations = 0;
  std::string stopped;  // why the optimiser stopped
};

// A target at the best fit, over report_replicates runs.
struct TargetFit {
  bool fitted = false, held_out = false;
  double observed = 0, mean = 0, low = 0, high = 0;  // low, high: the 5th and 95th percentiles of the runs
  double standardised_error = 0;                     // (mean - observed) / uncertainty
  bool inside = false;                               // observed within [low, high]
};

struct CalibrationResult {
  std::vector<Evaluation> evaluations;  // by start, then step
  std::vector<StartResult> starts;
  std::size_t best_start = 0;
  std::vector<double> best;
  double best_objective = 0;
  std::vector<bool> on_bound;  // per fitted key: within 5% of its range of min or max (at or near it)
  std::vector<TargetFit> fit;  // per target
  std::vector<std::size_t>
      plausible;         // evaluations within the cut-off, best first, distinct values, at most plausible_max
  bool improved = true;  // some start ended better than it began
};

// Lets a caller keep and replay evaluations (resuming an interrupted
// calibration): `lookup` returns a stored evaluation of this start and step
// with exactly these values, `record` stores a new one (called concurrently
// from different starts), `evaluated` reports progress.
struct Hooks {
  std::function<std::optional<Evaluation>(std::size_t start, std::size_t step, const std::vector<double>& values)>
      lookup;
  std::function<void(const Evaluation&)> record;
  std::function<void()> evaluated;
};

CalibrationResult calibrate(const Problem& problem, const Hooks& hooks = {});

// Each target at the given values of the fitted keys (none: the configuration
// as it is), over `replicates` runs: the rows of a fit table.
std::vector<TargetFit> assess(const Problem& problem, const std::vector<double>& values, std::size_t replicates);

// The starting points calibrate() uses, checked: each makes a valid
// configuration (a config::ConfigError names the fit file and the values).
std::vector<std::vector<double>> checked_starts(const Problem& problem);

// The configuration at the given values of the fitted keys, checked.
config::Authority fitted_configuration(const Problem& problem, const std::vector<double>& values);

}  // namespace ehsim::calibration

#include "calibration/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <mutex>

#include <nlopt.h>
#include <oneapi/tbb/parallel_for.h>

#include "config/diff.hpp"
#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/sweep.hpp"
#include "engine/calendar.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/sensitivity.hpp"

namespace ehsim::calibration {

namespace {

double weight_of(const FitConfig& fit, const Target& target) {
  const auto found = fit.weights.find(target.measure);
  return found == fit.weights.end() ? 1.0 : found->second;
}

std::vector<std::string> keys_of(const FitConfig& fit) {
  std::vector<std::string> keys;
  for (const auto& parameter : fit.parameters) keys.push_back(parameter.key);
  return keys;
}

// One start's optimisation, as NLopt's objective sees it.
struct StartState {
  const Problem* problem = nullptr;
  const Hooks* hooks = nullptr;
  std::size_t start = 0;
  nlopt_opt opt = nullptr;
  std::vector<Evaluation> evaluations;
  std::exception_ptr failure;
};

std::vector<double> to_values(const Problem& problem, const double* unit) {
  std::vector<double> values;
  for (std::size_t k = 0; k < problem.fit.parameters.size(); ++k) {
    const auto& p = problem.fit.parameters[k];
    const double value = p.min + std::clamp(unit[k], 0.0, 1.0) * (p.max - p.min);
    // A count (capacity, a schedule's cases) is set as the whole number the
    // run uses, so that the values reported are those simulated.
    const bool whole = k < problem.whole.size() && problem.whole[k];
    values.push_back(whole ? std::clamp(std::round(value), std::ceil(p.min), std::floor(p.max)) : value);
  }
  return values;
}

// Whether a key takes whole numbers: set to 0.2 and to 0.4, it comes out
// the same (an integer key rounds both); a capacity schedule's entries are
// whole cases (checked in config/consistency.cpp; set_number keeps them as
// given, as a file would).
bool takes_whole_numbers(const config::Authority& base, const std::string& key) {
  if (key.find(".capacity_from_month.") != std::string::npos) return true;
  config::Authority a = base, b = base;
  config::set_number(a, key, 0.2);
  config::set_number(b, key, 0.4);
  return config::differences(a, b).empty();
}

Evaluation evaluate(const Problem& problem, std::size_t start, std::size_t step, const std::vector<double>& values,
                    const Hooks& hooks) {
  if (hooks.lookup)
    if (auto stored = hooks.lookup(start, step, values)) {
      if (hooks.evaluated) hooks.evaluated();
      return *stored;
    }
  const TargetRuns runs = simulate_targets(problem, values, static_cast<std::size_t>(problem.fit.replicates));
  Evaluation evaluation{start,     step,   values, objective(problem, runs), implausibility(problem, runs),
                        runs.mean, runs.sd};
  if (hooks.record) hooks.record(evaluation);
  if (hooks.evaluated) hooks.evaluated();
  return evaluation;
}

double nlopt_objective(unsigned n, const double* x, double* gradient, void* data) {
  (void)n;
  (void)gradient;  // derivative-free algorithms pass none
  auto& state = *static_cast<StartState*>(data);
  try {
    const auto values = to_values(*state.problem, x);
    state.evaluations.push_back(evaluate(*state.problem, state.start, state.evaluations.size(), values, *state.hooks));
    return state.evaluations.back().objective;
  } catch (...) {
    // Not thrown through NLopt's C code: kept, the optimiser stopped, and
    // rethrown once it has returned.
    state.failure = std::current_exception();
    nlopt_force_stop(state.opt);
    return HUGE_VAL;
  }
}

std::string stop_reason(nlopt_result result) {
  switch (result) {
    case NLOPT_XTOL_REACHED:
      return "converged (steps below the tolerance)";
    case NLOPT_FTOL_REACHED:
      return "converged (the objective stopped improving)";
    case NLOPT_MAXEVAL_REACHED:
      return "evaluations used up";
    case NLOPT_STOPVAL_REACHED:
      return "objective reached 0";
    case NLOPT_SUCCESS:
      return "converged";
    case NLOPT_ROUNDOFF_LIMITED:
      return "limited by round-off";
    default:
      return std::string("stopped: ") + nlopt_result_to_string(result);
  }
}

// The best evaluation, the latest of equals (so that a key moved onto its
// bound at no cost stays there).
std::vector<Evaluation>::const_iterator best_of(const std::vector<Evaluation>& evaluations) {
  auto best = evaluations.begin();
  for (auto it = evaluations.begin(); it != evaluations.end(); ++it)
    if (it->objective <= best->objective) best = it;
  return best;
}

StartResult optimise(const Problem& problem, std::size_t start, const std::vector<double>& initial_unit,
                     const Hooks& hooks, std::vector<Evaluation>& evaluations) {
  const auto k = static_cast<unsigned>(problem.fit.parameters.size());
  nlopt_opt opt = nlopt_create(problem.fit.algorithm == Algorithm::bobyqa ? NLOPT_LN_BOBYQA : NLOPT_LN_SBPLX, k);
  if (opt == nullptr) throw std::runtime_error("NLopt could not create an optimiser");
  StartState state{&problem, &hooks, start, opt, {}, nullptr};
  nlopt_set_lower_bounds1(opt, 0.0);
  nlopt_set_upper_bounds1(opt, 1.0);
  nlopt_set_min_objective(opt, nlopt_objective, &state);
  nlopt_set_maxeval(opt, static_cast<int>(problem.fit.evaluations));
  nlopt_set_xtol_abs1(opt, problem.fit.tolerance);
  nlopt_set_stopval(opt, 0.0);
  // A first step of a fifth of each range, no further than the nearer bound
  // allows BOBYQA to keep its interpolation points inside.
  std::vector<double> x = initial_unit, steps;
  for (const double u : initial_unit) steps.push_back(std::max(0.02, std::min(0.2, std::max(u, 1 - u) * 0.5)));
  nlopt_set_initial_step(opt, steps.data());
  double best = 0;
  const nlopt_result result = nlopt_optimize(opt, x.data(), &best);
  nlopt_destroy(opt);
  if (state.failure) std::rethrow_exception(state.failure);
  // A noisy objective leaves a derivative-free optimiser short of a bound it
  // is heading for: a key within a tenth of its range of a bound is tried on
  // the bound itself, and kept there if the objective is no worse.
  if (!state.evaluations.empty() && result > 0) {
    for (unsigned j = 0; j < k; ++j) {
      const auto best = best_of(state.evaluations);
      const auto& p = problem.fit.parameters[j];
      const double unit = (best->values[j] - p.min) / (p.max - p.min);
      if (unit <= 0 || unit >= 1 || (unit > 0.1 && unit < 0.9)) continue;
      std::vector<double> values = best->values;
      const bool whole = j < problem.whole.size() && problem.whole[j];
      values[j] = unit < 0.5 ? (whole ? std::ceil(p.min) : p.min) : (whole ? std::floor(p.max) : p.max);
      if (values[j] == best->values[j]) continue;
      state.evaluations.push_back(evaluate(problem, start, state.evaluations.size(), values, hooks));
    }
  }
  StartResult outcome;
  outcome.stopped = stop_reason(result);
  outcome.evaluations = state.evaluations.size();
  if (state.evaluations.empty()) throw std::runtime_error("NLopt made no evaluation: " + outcome.stopped);
  outcome.initial = state.evaluations.front().values;
  outcome.initial_objective = state.evaluations.front().objective;
  const auto found = best_of(state.evaluations);
  outcome.best = found->values;
  outcome.best_objective = found->objective;
  evaluations = std::move(state.evaluations);
  return outcome;
}

}  // namespace

Problem make_problem(config::Authority base, std::vector<Target> targets, FitConfig fit,
                     const std::optional<std::string>& holdout_from) {
  Problem problem;
  problem.measures = target_measures(base);
  if (holdout_from) {
    const auto fail = [&](const std::string& message) {
      config::ConfigIssue issue;
      issue.where.file = "--holdout-from";
      issue.key = *holdout_from;
      issue.message = message;
      throw config::ConfigError({issue});
    };
    const std::string& text = *holdout_from;
    const auto digits = [&text](std::size_t from, std::size_t count) {
      return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                         text.begin() + static_cast<std::ptrdiff_t>(from + count),
                         [](char c) { return c >= '0' && c <= '9'; });
    };
    const bool shaped = text.size() == 7 && text[4] == '-' && digits(0, 4) && digits(5, 2);
    if (!shaped || std::stoi(text.substr(5, 2)) < 1 || std::stoi(text.substr(5, 2)) > 12)
      fail("expected a month YYYY-MM");
    const auto start = engine::parse_calendar_month(base.simulation.start_month);
    const auto month = engine::parse_calendar_month(text);
    const int index = (month.year * 12 + month.month) - (start.year * 12 + start.month);
    if (index < 1 || index >= base.simulation.months)
      fail("the hold-out must leave months on both sides: the run covers " + engine::month_label(start) + " to " +
           engine::month_label(engine::add_months(start, static_cast<int>(base.simulation.months) - 1)));
    problem.holdout_from = index;
    for (auto& target : targets)
      if (target.period.kind == Period::Kind::steady) target.period.last = index - 1;
  }
  for (const auto& parameter : fit.parameters) problem.whole.push_back(takes_whole_numbers(base, parameter.key));
  problem.base = std::move(base);
  problem.targets = std::move(targets);
  problem.fit = std::move(fit);
  const auto fitted = fitted_targets(problem);
  // Nothing to fit (a backcast of a configuration as it is) may hold every target out.
  if (!problem.fit.parameters.empty() && std::none_of(fitted.begin(), fitted.end(), [](bool f) { return f; })) {
    config::ConfigIssue issue;
    issue.where.file = holdout_from ? "--holdout-from" : "--targets";
    issue.key = holdout_from ? *holdout_from : "";
    issue.message = "no target is left to fit: every one is held out or weighted 0";
    throw config::ConfigError({issue});
  }
  return problem;
}

std::vector<bool> fitted_targets(const Problem& problem) {
  std::vector<bool> fitted;
  for (const auto& target : problem.targets)
    fitted.push_back(weight_of(problem.fit, target) > 0 &&
                     (problem.holdout_from < 0 || target.period.last < problem.holdout_from));
  return fitted;
}

std::vector<bool> held_out_targets(const Problem& problem) {
  std::vector<bool> held;
  for (const auto& target : problem.targets)
    held.push_back(problem.holdout_from >= 0 && target.period.last >= problem.holdout_from);
  return held;
}

config::Authority fitted_configuration(const Problem& problem, const std::vector<double>& values) {
  return config::with_numbers(problem.base, keys_of(problem.fit), values, problem.fit_source, "the values");
}

TargetRuns simulate_targets(const Problem& problem, const std::vector<double>& values, std::size_t replicates) {
  config::Authority authority = fitted_configuration(problem, values);
  // Only the months the targets read are simulated: a run's first months do
  // not depend on how many follow.
  authority.simulation.months = last_month_needed(problem.targets, problem.base) + 1;
  experiment::RunPlan plan;
  plan.scenarios.push_back({"baseline", std::move(authority)});
  plan.seed = static_cast<std::uint64_t>(problem.fit.seed);
  plan.replicates = replicates;
  TargetRuns runs;
  runs.by_replicate.assign(replicates, std::vector<double>(problem.targets.size(), 0.0));
  experiment::run_plan(plan, experiment::draw_uncertainty(plan), {}, [&](experiment::PlanRun&& run) {
    auto& row = runs.by_replicate[run.replicate];  // each run writes its own row
    for (std::size_t t = 0; t < problem.targets.size(); ++t)
      row[t] = simulated(problem.targets[t], problem.measures, run.runs.front());
  });
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    double total = 0, squares = 0;
    for (const auto& row : runs.by_replicate) total += row[t];
    const double mean = total / static_cast<double>(replicates);
    for (const auto& row : runs.by_replicate) squares += (row[t] - mean) * (row[t] - mean);
    runs.mean.push_back(mean);
    runs.sd.push_back(replicates > 1 ? std::sqrt(squares / static_cast<double>(replicates - 1)) : 0.0);
  }
  return runs;
}

double objective(const Problem& problem, const TargetRuns& runs) {
  const auto fitted = fitted_targets(problem);
  double total = 0, weights = 0;
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    if (!fitted[t]) continue;
    const Target& target = problem.targets[t];
    const double z = (runs.mean[t] - target.value) / target.uncertainty;
    const double weight = weight_of(problem.fit, target);
    total += weight * z * z;
    weights += weight;
  }
  return weights > 0 ? total / weights : 0;
}

double implausibility(const Problem& problem, const TargetRuns& runs) {
  const auto fitted = fitted_targets(problem);
  const auto replicates = static_cast<double>(runs.by_replicate.size());
  double worst = 0;
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    if (!fitted[t]) continue;
    const Target& target = problem.targets[t];
    const double spread = target.uncertainty * target.uncertainty + runs.sd[t] * runs.sd[t] / replicates;
    worst = std::max(worst, std::abs(runs.mean[t] - target.value) / std::sqrt(spread));
  }
  return worst;
}

std::vector<std::vector<double>> checked_starts(const Problem& problem) {
  // A Latin hypercube over the bounds, as sweeps make one, in unit coordinates.
  config::SweepConfig design_config;
  design_config.design = config::Design::latin_hypercube;
  design_config.points = problem.fit.starts;
  design_config.seed = problem.fit.seed;
  for (const auto& parameter : problem.fit.parameters)
    design_config.parameters.push_back({parameter.key, {}, 0.0, 1.0, {}});
  const auto starts = experiment::make_design(design_config).points;
  for (const auto& unit : starts) (void)fitted_configuration(problem, to_values(problem, unit.data()));
  return starts;
}

CalibrationResult calibrate(const Problem& problem, const Hooks& hooks) {
  const FitConfig& fit = problem.fit;
  const std::size_t k = fit.parameters.size();
  const auto starts = checked_starts(problem);

  CalibrationResult result;
  result.starts.resize(starts.size());
  std::vector<std::vector<Evaluation>> by_start(starts.size());
  tbb::parallel_for(std::size_t{0}, starts.size(),
                    [&](std::size_t s) { result.starts[s] = optimise(problem, s, starts[s], hooks, by_start[s]); });
  for (auto& evaluations : by_start)
    for (auto& evaluation : evaluations) result.evaluations.push_back(std::move(evaluation));

  // The best start (the first of equals), and where its values sit.
  for (std::size_t s = 1; s < result.starts.size(); ++s)
    if (result.starts[s].best_objective < result.starts[result.best_start].best_objective) result.best_start = s;
  result.best = result.starts[result.best_start].best;
  result.best_objective = result.starts[result.best_start].best_objective;
  result.improved = std::any_of(result.starts.begin(), result.starts.end(),
                                [](const StartResult& s) { return s.best_objective < s.initial_objective; });
  for (std::size_t j = 0; j < k; ++j) {
    const auto& p = fit.parameters[j];
    const double unit = (result.best[j] - p.min) / (p.max - p.min);
    result.on_bound.push_back(unit < 0.05 || unit > 0.95);
  }

  // Plausible sets: within the cut-off, distinct values, best first.
  std::vector<std::size_t> order(result.evaluations.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return result.evaluations[a].objective < result.evaluations[b].objective;
  });
  for (const std::size_t i : order) {
    const auto& evaluation = result.evaluations[i];
    if (evaluation.implausibility > fit.plausible_cutoff) continue;
    const bool repeated = std::any_of(result.plausible.begin(), result.plausible.end(),
                                      [&](std::size_t j) { return result.evaluations[j].values == evaluation.values; });
    if (repeated) continue;
    result.plausible.push_back(i);
    if (result.plausible.size() == static_cast<std::size_t>(fit.plausible_max)) break;
  }

  // The fit table: the best values over more replicates.
  result.fit = assess(problem, result.best, static_cast<std::size_t>(fit.report_replicates));
  return result;
}

std::vector<TargetFit> assess(const Problem& problem, const std::vector<double>& values, std::size_t replicates) {
  const TargetRuns runs = simulate_targets(problem, values, replicates);
  const auto fitted = fitted_targets(problem);
  const auto held = held_out_targets(problem);
  std::vector<TargetFit> rows;
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    const Target& target = problem.targets[t];
    std::vector<double> figures;
    for (const auto& row : runs.by_replicate) figures.push_back(row[t]);
    TargetFit row;
    row.fitted = fitted[t];
    row.held_out = held[t];
    row.observed = target.value;
    row.mean = runs.mean[t];
    row.low = experiment::percentile(figures, 0.05);
    row.high = experiment::percentile(figures, 0.95);
    row.standardised_error = (row.mean - target.value) / target.uncertainty;
    row.inside = target.value >= row.low && target.value <= row.high;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace ehsim::calibration

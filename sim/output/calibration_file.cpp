#include "output/calibration_file.hpp"

#include "config/load.hpp"
#include "config/schema.hpp"
#include "output/hdf5.hpp"
#include "output/results_file.hpp"
#include "version.hpp"

namespace ehsim::output {

void write_calibration_trace(const std::filesystem::path& path, const calibration::Problem& problem,
                             const calibration::CalibrationResult& result, const CalibrationProvenance& provenance) {
  const std::size_t n = result.evaluations.size(), k = problem.fit.parameters.size(), targets = problem.targets.size(),
                    starts = result.starts.size();
  write_complete_file(path, [&](hid_t file) {
    set_attribute(file, "format", "ehsim calibration 1");
    set_attribute(file, "ehsim_version", std::string(version()));
    set_attribute(file, "git_revision", std::string(git_revision()));
    set_attribute(file, "created_utc", utc_now());
    set_attribute(file, "command_line", provenance.command_line);
    set_attribute(file, "config_source", provenance.config_source);
    set_attribute(file, "algorithm", std::string(config::name_of(problem.fit.algorithm)));
    set_attribute(file, "seed", problem.fit.seed);
    set_attribute(file, "best_start", static_cast<std::int64_t>(result.best_start));
    {
      const Handle config = create_group(file, "config");
      write_text(config.id(), "base", config::to_toml(problem.base),
                 {"TOML", "The configuration calibrated, fully resolved.", {}});
      write_text(config.id(), "targets", provenance.targets_text, {"CSV", "The targets file as given.", {}});
      write_text(config.id(), "fit", provenance.fit_text, {"TOML", "The fit file as given.", {}});
    }
    std::vector<std::string> keys, labels, sources;
    std::vector<double> bounds, observed, uncertainty;
    for (const auto& parameter : problem.fit.parameters) {
      keys.push_back(parameter.key);
      bounds.push_back(parameter.min);
      bounds.push_back(parameter.max);
    }
    for (const auto& target : problem.targets) {
      labels.push_back(target.label());
      sources.push_back(target.source);
      observed.push_back(target.value);
      uncertainty.push_back(target.uncertainty);
    }
    {
      const Handle axes = create_group(file, "axes");
      write_strings(axes.id(), "parameter", keys, {"", "The configuration keys fitted, in order.", {"parameter"}});
      write_strings(axes.id(), "target", labels, {"", "The targets, as measure @ period.", {"target"}});
      write_float64(axes.id(), "bounds", {k, 2}, bounds,
                    {"the key's", "The range each key was searched in: min, max.", {"parameter", "end"}});
    }
    {
      const Handle group = create_group(file, "evaluations");
      std::vector<std::int64_t> start, step, plausible(n, 0);
      std::vector<double> values, objective, implausibility, mean, sd;
      for (const auto& evaluation : result.evaluations) {
        start.push_back(static_cast<std::int64_t>(evaluation.start));
        step.push_back(static_cast<std::int64_t>(evaluation.step));
        values.insert(values.end(), evaluation.values.begin(), evaluation.values.end());
        objective.push_back(evaluation.objective);
        implausibility.push_back(evaluation.implausibility);
        mean.insert(mean.end(), evaluation.mean.begin(), evaluation.mean.end());
        sd.insert(sd.end(), evaluation.sd.begin(), evaluation.sd.end());
      }
      for (const std::size_t i : result.plausible) plausible[i] = 1;
      write_int64(group.id(), "start", {n}, start, {"", "The start each evaluation belongs to.", {"evaluation"}});
      write_int64(group.id(), "step", {n}, step, {"", "The evaluation's place in its start.", {"evaluation"}});
      write_float64(group.id(), "values", {n, k}, values,
                    {"the key's", "The fitted keys' values evaluated.", {"evaluation", "parameter"}});
      write_float64(group.id(), "objective", {n}, objective,
                    {"", "Weighted mean of squared standardised errors over the fitted targets.", {"evaluation"}});
      write_float64(group.id(), "implausibility", {n}, implausibility,
                    {"standard errors",
                     "The largest standardised distance of a fitted target (history matching).",
                     {"evaluation"}});
      write_int64(group.id(), "plausible", {n}, plausible,
                  {"", "1 for the evaluations written as plausible sets.", {"evaluation"}});
      write_float64(group.id(), "mean", {n, targets}, mean,
                    {"the target's", "Each target's mean over the evaluation's replicates.", {"evaluation", "target"}});
      write_float64(group.id(), "sd", {n, targets}, sd,
                    {"the target's",
                     "Each target's standard deviation over the evaluation's replicates.",
                     {"evaluation", "target"}});
    }
    {
      const Handle group = create_group(file, "starts");
      std::vector<double> initial, best, initial_objective, best_objective;
      std::vector<std::int64_t> evaluations;
      std::vector<std::string> stopped;
      for (const auto& start : result.starts) {
        initial.insert(initial.end(), start.initial.begin(), start.initial.end());
        best.insert(best.end(), start.best.begin(), start.best.end());
        initial_objective.push_back(start.initial_objective);
        best_objective.push_back(start.best_objective);
        evaluations.push_back(static_cast<std::int64_t>(start.evaluations));
        stopped.push_back(start.stopped);
      }
      write_float64(group.id(), "initial", {starts, k}, initial,
                    {"the key's", "Each start's point (a Latin hypercube over the bounds).", {"start", "parameter"}});
      write_float64(group.id(), "best", {starts, k}, best,
                    {"the key's", "The best values each start found.", {"start", "parameter"}});
      write_float64(group.id(), "initial_objective", {starts}, initial_objective,
                    {"", "The objective at each start's point.", {"start"}});
      write_float64(group.id(), "best_objective", {starts}, best_objective,
                    {"", "The best objective each start found.", {"start"}});
      write_int64(group.id(), "evaluations", {starts}, evaluations, {"", "Evaluations each start made.", {"start"}});
      write_strings(group.id(), "stopped", stopped, {"", "Why each start's optimiser stopped.", {"start"}});
    }
    {
      const Handle group = create_group(file, "fit");
      std::vector<double> mean, low, high, z;
      std::vector<std::int64_t> fitted, held_out, inside, on_bound;
      for (const auto& row : result.fit) {
        mean.push_back(row.mean);
        low.push_back(row.low);
        high.push_back(row.high);
        z.push_back(row.standardised_error);
        fitted.push_back(row.fitted);
        held_out.push_back(row.held_out);
        inside.push_back(row.inside);
      }
      for (const bool bound : result.on_bound) on_bound.push_back(bound);
      set_attribute(group.id(), "replicates", problem.fit.report_replicates);
      write_float64(group.id(), "best", {k}, result.best, {"the key's", "The fitted values.", {"parameter"}});
      write_int64(group.id(), "on_bound", {k}, on_bound,
                  {"", "1 where a fitted value is within 5% of its range of a bound (at or near it).", {"parameter"}});
      write_float64(group.id(), "observed", {targets}, observed, {"the target's", "The figure observed.", {"target"}});
      write_float64(group.id(), "uncertainty", {targets}, uncertainty,
                    {"the target's", "One standard deviation of the observation (given, or the default).", {"target"}});
      write_strings(group.id(), "source", sources, {"", "Where each figure comes from.", {"target"}});
      write_float64(group.id(), "mean", {targets}, mean,
                    {"the target's", "The mean over report_replicates runs at the best fit.", {"target"}});
      write_float64(
          group.id(), "low", {targets}, low,
          {"the target's", "The 5th percentile of the runs at the best fit (range of outcomes).", {"target"}});
      write_float64(
          group.id(), "high", {targets}, high,
          {"the target's", "The 95th percentile of the runs at the best fit (range of outcomes).", {"target"}});
      write_float64(group.id(), "standardised_error", {targets}, z,
                    {"", "(mean - observed) / uncertainty.", {"target"}});
      write_int64(group.id(), "fitted", {targets}, fitted,
                  {"", "1 where the target was in the objective.", {"target"}});
      write_int64(group.id(), "held_out", {targets}, held_out,
                  {"", "1 where the target was held out (--holdout-from).", {"target"}});
      write_int64(group.id(), "inside", {targets}, inside,
                  {"", "1 where the observed figure lies within [low, high].", {"target"}});
    }
  });
}

}  // namespace ehsim::output

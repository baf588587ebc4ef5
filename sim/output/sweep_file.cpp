#include "output/sweep_file.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>

#include <unistd.h>

#include "config/load.hpp"
#include "experiment/comparison.hpp"
#include "output/hdf5.hpp"
#include "output/results_file.hpp"
#include "version.hpp"

namespace ehsim::output {

namespace {

// Morris or Sobol statistics of a [point, column] table of means, into `group`/sensitivity/.
void write_sensitivity(hid_t group, const config::LoadedSweep& sweep, const experiment::Sensitivity& sensitivity,
                       const std::string& axis, const std::string& of) {
  const std::size_t parameters = sweep.sweep.parameters.size();
  const std::size_t columns = sensitivity.converged.size();
  if (columns == 0) return;
  const auto table = [&](const auto& field) {
    std::vector<double> values(parameters * columns);
    for (std::size_t c = 0; c < columns; ++c)
      for (std::size_t j = 0; j < parameters; ++j) values[j * columns + c] = field(c)[j];
    return values;
  };
  const std::vector<std::string> dims{"parameter", axis};
  std::vector<std::int64_t> settled;
  for (const bool converged : sensitivity.converged) settled.push_back(converged ? 1 : 0);
  const std::string per = " of " + of + ", per unit of the parameter's range";
  if (!sensitivity.morris.empty()) {
    const auto& m = sensitivity.morris;
    const auto write = [&](const char* name, const std::string& description, auto field) {
      write_float64(group, std::string("sensitivity/morris/") + name, {parameters, columns}, table(field),
                    {"measure units", description, dims});
    };
    write("mu_star", "Morris mu*: mean absolute elementary effect" + per + ".",
          [&](std::size_t c) { return m[c].mu_star; });
    write("mu_star_low", "Morris mu*, 2.5th percentile of 500 bootstrap resamples of the trajectories" + per + ".",
          [&](std::size_t c) { return m[c].mu_star_low; });
    write("mu_star_high", "Morris mu*, 97.5th percentile of 500 bootstrap resamples of the trajectories" + per + ".",
          [&](std::size_t c) { return m[c].mu_star_high; });
    write("mu", "Morris mu: mean elementary effect" + per + ".", [&](std::size_t c) { return m[c].mu; });
    write("sigma", "Morris sigma: standard deviation of the elementary effects" + per + ".",
          [&](std::size_t c) { return m[c].sigma; });
    write_int64(group, "sensitivity/morris/converged", {columns}, settled,
                {"0 or 1",
                 "1 where every parameter's mu* interval is narrower than a tenth of the largest mu*; 0: more "
                 "trajectories are needed to rank the parameters.",
                 {axis}});
  }
  if (!sensitivity.sobol.empty()) {
    const auto& s = sensitivity.sobol;
    const std::vector<std::pair<const char*, const char*>> names{
        {"first_order", "first-order index (Saltelli 2010)"},
        {"first_order_low", "first-order index, 2.5th bootstrap percentile"},
        {"first_order_high", "first-order index, 97.5th bootstrap percentile"},
        {"total", "total index (Jansen)"},
        {"total_low", "total index, 2.5th bootstrap percentile"},
        {"total_high", "total index, 97.5th bootstrap percentile"}};
    const std::vector<std::vector<double> experiment::SobolIndices::*> fields{
        &experiment::SobolIndices::first, &experiment::SobolIndices::first_low, &experiment::SobolIndices::first_high,
        &experiment::SobolIndices::total, &experiment::SobolIndices::total_low, &experiment::SobolIndices::total_high};
    for (std::size_t t = 0; t < names.size(); ++t)
      write_float64(group, std::string("sensitivity/sobol/") + names[t].first, {parameters, columns},
                    table([&](std::size_t c) { return s[c].*fields[t]; }),
                    {"share of variance", std::string("Sobol ") + names[t].second + " of " + of + ".", dims});
    write_int64(group, "sensitivity/sobol/converged", {columns}, settled,
                {"0 or 1",
                 "1 where every first-order and total interval is narrower than 0.1; 0: more base samples are "
                 "needed.",
                 {axis}});
  }
}

}  // namespace

void write_sweep_file(const std::filesystem::path& path, const config::LoadedSweep& sweep,
                      const experiment::SweepDesign& design, const experiment::SweepSummary& summary,
                      const SweepProvenance& provenance) {
  const std::size_t points = design.points.size();
  const std::size_t parameters = sweep.sweep.parameters.size();
  write_complete_file(path, [&](hid_t file) {
    set_attribute(file, "format", "ehsim sweep 1");
    set_attribute(file, "ehsim_version", std::string(version()));
    set_attribute(file, "git_revision", std::string(git_revision()));
    set_attribute(file, "created_utc", utc_now());
    set_attribute(file, "command_line", provenance.command_line);
    set_attribute(file, "design", std::string(config::name_of(sweep.sweep.design)));
    set_attribute(file, "seed", sweep.sweep.seed);
    set_attribute(file, "scenarios", summary.scenarios);
    const Handle config = create_group(file, "config");
    write_text(config.id(), "sweep", provenance.sweep_text, {"TOML", "The sweep file as given.", {}});
    write_text(config.id(), "base", provenance.base_config,
               {"TOML", "The base configuration the sweep varies, fully resolved.", {}});
    if (!sweep.options.empty()) {
      const Handle options = create_group(config.id(), "option");
      for (const auto& option : sweep.options)
        write_text(options.id(), option.name, config::to_toml(option.authority),
                   {"TOML", "An option the sweep runs against the baseline at every point, fully resolved.", {}});
    }
    const Handle axes = create_group(file, "axes");
    std::vector<std::string> keys, targets, names, units, comparisons, comparison_units;
    for (const auto& parameter : sweep.sweep.parameters) {
      keys.push_back(parameter.key);
      targets.push_back(parameter.scenario);
    }
    for (std::size_t c = 0; c < experiment::measure::count; ++c) {
      names.emplace_back(experiment::measure::name(c));
      units.emplace_back(experiment::measure::unit(c));
    }
    for (std::size_t c = 0; c < experiment::comparison::count; ++c) {
      comparisons.emplace_back(experiment::comparison::name(c));
      comparison_units.emplace_back(experiment::comparison::unit(c));
    }
    write_strings(axes.id(), "parameter", keys, {"", "The configuration keys varied, in order.", {"parameter"}});
    write_strings(
        axes.id(), "parameter_scenario", targets,
        {"", "The option each key is set in; empty: the base (and options that leave it as it is).", {"parameter"}});
    write_strings(axes.id(), "measure", names, {"", "Headline measures of a run.", {"measure"}});
    write_strings(axes.id(), "measure_unit", units, {"", "Unit of each measure.", {"measure"}});
    write_strings(axes.id(), "scenario", summary.scenarios,
                  {"", "The baseline, then each option, as in /options.", {"scenario"}});
    if (summary.scenarios.size() > 1) {
      write_strings(axes.id(), "comparison_measure", comparisons,
                    {"", "Columns of options/<name>/differences.", {"comparison_measure"}});
      write_strings(axes.id(), "comparison_measure_unit", comparison_units,
                    {"", "Unit of each comparison measure.", {"comparison_measure"}});
    }
    std::vector<double> flat_points;
    for (const auto& point : design.points) flat_points.insert(flat_points.end(), point.begin(), point.end());
    write_float64(
        file, "design/points", {points, parameters}, flat_points,
        {"parameter units", "The value of each parameter at each point of the design.", {"point", "parameter"}});
    const std::vector<std::string> by_run{"point", "replicate", "measure"}, by_point{"point", "measure"};
    write_float64(file, "runs/measures", summary.measures.front().shape, summary.measures.front().values,
                  {"see /axes/measure_unit",
                   "The baseline's headline measures in every run (replicate r of every point has the same random "
                   "numbers).",
                   by_run});
    write_float64(file, "runs/mean", summary.means.front().shape, summary.means.front().values,
                  {"see /axes/measure_unit", "Mean over replicates of each point's measures.", by_point});
    write_sensitivity(file, sweep, summary.baseline_sensitivity, "measure", "each measure's mean over replicates");
    for (std::size_t s = 1; s < summary.scenarios.size(); ++s) {
      const Handle group = create_group(file, "options/" + summary.scenarios[s]);
      write_float64(group.id(), "measures", summary.measures[s].shape, summary.measures[s].values,
                    {"see /axes/measure_unit", "The option's headline measures in every run.", by_run});
      write_float64(group.id(), "mean", summary.means[s].shape, summary.means[s].values,
                    {"see /axes/measure_unit", "Mean over replicates of each point's measures.", by_point});
      const auto& differences = summary.differences[s - 1];
      write_float64(group.id(), "differences", differences.shape, differences.values,
                    {"see /axes/comparison_measure_unit",
                     "Per run, the option against the baseline at the same point with the same random numbers "
                     "(as comparisons/<option>_vs_baseline/differences of ehsim run).",
                     {"point", "replicate", "comparison_measure"}});
      write_float64(group.id(), "differences_mean", summary.difference_means[s - 1].shape,
                    summary.difference_means[s - 1].values,
                    {"see /axes/comparison_measure_unit",
                     "Mean over replicates of each point's differences (NaN where a ratio has nothing to divide "
                     "by in some replicate).",
                     {"point", "comparison_measure"}});
      write_sensitivity(group.id(), sweep, summary.difference_sensitivities[s - 1], "comparison_measure",
                        "each difference's mean over replicates");
    }
  });
}

}  // namespace ehsim::output

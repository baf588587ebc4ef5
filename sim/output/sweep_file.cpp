#include "output/sweep_file.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>

#include <unistd.h>

#include "experiment/comparison.hpp"
#include "output/hdf5.hpp"
#include "output/results_file.hpp"
#include "version.hpp"

namespace ehsim::output {

void write_sweep_file(const std::filesystem::path& path, const config::LoadedSweep& sweep,
                      const experiment::SweepDesign& design, const std::map<std::uint64_t, SweepRun>& runs,
                      const SweepProvenance& provenance) {
  const std::size_t points = design.points.size();
  const auto replicates = static_cast<std::size_t>(sweep.sweep.replicates);
  const std::size_t parameters = sweep.sweep.parameters.size();
  const std::size_t measures = experiment::measure::count;
  write_complete_file(path, [&](hid_t file) {
    set_attribute(file, "format", "ehsim sweep 1");
    set_attribute(file, "ehsim_version", std::string(version()));
    set_attribute(file, "git_revision", std::string(git_revision()));
    set_attribute(file, "created_utc", utc_now());
    set_attribute(file, "command_line", provenance.command_line);
    set_attribute(file, "design", std::string(config::name_of(sweep.sweep.design)));
    set_attribute(file, "seed", sweep.sweep.seed);
    const Handle config = create_group(file, "config");
    write_text(config.id(), "sweep", provenance.sweep_text, {"TOML", "The sweep file as given.", {}});
    write_text(config.id(), "base", provenance.base_config,
               {"TOML", "The base configuration the sweep varies, fully resolved.", {}});
    const Handle axes = create_group(file, "axes");
    std::vector<std::string> keys, names, units;
    for (const auto& parameter : sweep.sweep.parameters) keys.push_back(parameter.key);
    for (std::size_t c = 0; c < measures; ++c) {
      names.emplace_back(experiment::measure::name(c));
      units.emplace_back(experiment::measure::unit(c));
    }
    write_strings(axes.id(), "parameter", keys, {"", "The configuration keys varied, in order.", {"parameter"}});
    write_strings(axes.id(), "measure", names, {"", "Headline measures of a run.", {"measure"}});
    write_strings(axes.id(), "measure_unit", units, {"", "Unit of each measure.", {"measure"}});
    std::vector<double> flat_points;
    for (const auto& point : design.points) flat_points.insert(flat_points.end(), point.begin(), point.end());
    write_float64(
        file, "design/points", {points, parameters}, flat_points,
        {"parameter units", "The value of each parameter at each point of the design.", {"point", "parameter"}});
    std::vector<double> all(points * replicates * measures, 0.0), mean(points * measures, 0.0);
    for (const auto& [index, run] : runs)
      for (std::size_t c = 0; c < measures; ++c) {
        all[(run.point * replicates + run.replicate) * measures + c] = run.measures[c];
        mean[run.point * measures + c] += run.measures[c] / static_cast<double>(replicates);
      }
    write_float64(file, "runs/measures", {points, replicates, measures}, all,
                  {"see /axes/measure_unit",
                   "Headline measures of every run (replicate r of every point has the same random numbers).",
                   {"point", "replicate", "measure"}});
    write_float64(file, "runs/mean", {points, measures}, mean,
                  {"see /axes/measure_unit", "Mean over replicates of each point's measures.", {"point", "measure"}});
    // Sensitivity of each measure's mean to each parameter.
    const auto column = [&](std::size_t c) {
      std::vector<double> y;
      for (std::size_t p = 0; p < points; ++p) y.push_back(mean[p * measures + c]);
      return y;
    };
    if (sweep.sweep.design == config::SweepDesign::morris) {
      std::vector<double> mu(parameters * measures), mu_star(parameters * measures), sigma(parameters * measures);
      for (std::size_t c = 0; c < measures; ++c) {
        const auto stats = experiment::morris(design, column(c), parameters);
        for (std::size_t j = 0; j < parameters; ++j) {
          mu[j * measures + c] = stats.mu[j];
          mu_star[j * measures + c] = stats.mu_star[j];
          sigma[j * measures + c] = stats.sigma[j];
        }
      }
      const std::string per = " of each measure's mean over replicates, per unit of the parameter's range";
      write_float64(
          file, "sensitivity/morris/mu_star", {parameters, measures}, mu_star,
          {"measure units", "Morris mu*: mean absolute elementary effect" + per + ".", {"parameter", "measure"}});
      write_float64(file, "sensitivity/morris/mu", {parameters, measures}, mu,
                    {"measure units", "Morris mu: mean elementary effect" + per + ".", {"parameter", "measure"}});
      write_float64(file, "sensitivity/morris/sigma", {parameters, measures}, sigma,
                    {"measure units",
                     "Morris sigma: standard deviation of the elementary effects" + per + ".",
                     {"parameter", "measure"}});
    }
    if (sweep.sweep.design == config::SweepDesign::sobol) {
      std::vector<std::vector<double>> tables(6, std::vector<double>(parameters * measures));
      for (std::size_t c = 0; c < measures; ++c) {
        const auto s = experiment::sobol(design, column(c), parameters, static_cast<std::uint64_t>(sweep.sweep.seed));
        for (std::size_t j = 0; j < parameters; ++j) {
          const std::size_t at = j * measures + c;
          tables[0][at] = s.first[j];
          tables[1][at] = s.first_low[j];
          tables[2][at] = s.first_high[j];
          tables[3][at] = s.total[j];
          tables[4][at] = s.total_low[j];
          tables[5][at] = s.total_high[j];
        }
      }
      const char* names6[6] = {"first_order", "first_order_low", "first_order_high",
                               "total",       "total_low",       "total_high"};
      const char* notes[6] = {"first-order index (Saltelli 2010)",
                              "first-order index, 2.5th bootstrap percentile",
                              "first-order index, 97.5th bootstrap percentile",
                              "total index (Jansen)",
                              "total index, 2.5th bootstrap percentile",
                              "total index, 97.5th bootstrap percentile"};
      for (int t = 0; t < 6; ++t)
        write_float64(file, std::string("sensitivity/sobol/") + names6[t], {parameters, measures}, tables[t],
                      {"share of variance",
                       std::string("Sobol ") + notes[t] + " of each measure's mean.",
                       {"parameter", "measure"}});
    }
  });
}

}  // namespace ehsim::output

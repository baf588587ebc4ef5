#include "config/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "config/limits.hpp"
#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"

namespace ehsim::config {

namespace {

TableSpec<SweepParameter> parameter_spec() {
  TableSpec<SweepParameter> spec;
  spec.key("key", &SweepParameter::key,
           {.unit = "", .description = "A numeric configuration key, dotted, e.g. services.<name>.capacity_cases."})
      .key("scenario", &SweepParameter::scenario,
           {.unit = "",
            .fallback = std::string(),
            .description = "Set the key in this option only (named by its file, as in options); empty: in the base, "
                           "and in every option that leaves the key as the base has it."})
      .key("values", &SweepParameter::values,
           {.unit = "", .fallback = std::vector<double>{}, .description = "Grid design: the values the key takes."})
      .key("min", &SweepParameter::min,
           {.unit = "", .fallback = 0.0, .description = "Other designs: the lowest value sampled."})
      .key("max", &SweepParameter::max,
           {.unit = "", .fallback = 0.0, .description = "Other designs: the highest value sampled."});
  return spec;
}

const TableSpec<SweepConfig>& sweep_spec() {
  static const TableSpec<SweepConfig> spec = [] {
    TableSpec<SweepConfig> root;
    root.key("base", &SweepConfig::base,
             {.unit = "",
              .fallback = std::string(),
              .description = "Configuration the sweep varies, relative to this file; empty: the embedded default."})
        .key("design", &SweepConfig::design,
             {.unit = "", .description = "grid, latin_hypercube, morris (elementary effects) or sobol (Saltelli)."})
        .key("replicates", &SweepConfig::replicates,
             {.unit = "runs",
              .fallback = std::int64_t{1},
              .bounds = between(1, 9999),
              .description = "Replicates at each point, with the same random numbers at every point."})
        .key("seed", &SweepConfig::seed,
             {.unit = "",
              .fallback = std::int64_t{1},
              .bounds = between(0, 9.2e18),
              .description = "Seed of the simulations and of the design's sampling."})
        .key("points", &SweepConfig::points,
             {.unit = "",
              .fallback = std::int64_t{0},
              .bounds = between(0, 1.0e6),
              .description = "latin_hypercube: points; morris: trajectories; sobol: base samples N."})
        .key("levels", &SweepConfig::levels,
             {.unit = "",
              .fallback = std::int64_t{4},
              .bounds = between(2, 100),
              .description = "morris: levels of the grid each parameter moves on (even is usual)."})
        .key("months", &SweepConfig::months,
             {.unit = "months",
              .fallback = std::int64_t{0},
              .bounds = between(0, 1200),
              .description = "Months simulated; 0: the base's simulation.months."})
        .key("options", &SweepConfig::options,
             {.unit = "",
              .fallback = std::vector<std::string>{},
              .description = "Overlay files (relative to this file), each run against the baseline at every point "
                             "with the same random numbers; the sweep records their paired differences."})
        .table_array("parameters", &SweepConfig::parameters, parameter_spec(), "The keys varied, in order.");
    return root;
  }();
  return spec;
}

}  // namespace

double design_points(const SweepConfig& sweep) {
  const auto k = static_cast<double>(sweep.parameters.size());
  const auto n = static_cast<double>(sweep.points);
  if (sweep.design == Design::grid) {
    double points = 1;
    for (const auto& parameter : sweep.parameters) points *= static_cast<double>(parameter.values.size());
    return points;
  }
  if (sweep.design == Design::morris) return n * (k + 1);  // each trajectory moves every parameter once
  if (sweep.design == Design::sobol) return n * (k + 2);   // matrices A, B and each A with a column of B
  return n;
}

Authority with_numbers(Authority configuration, const std::vector<std::string>& keys, const std::vector<double>& values,
                       const std::string& source, const std::string& at) {
  try {
    for (std::size_t p = 0; p < keys.size(); ++p) set_number(configuration, keys[p], values[p]);
    validate(configuration);
    return configuration;
  } catch (const ConfigError& error) {
    std::string assignments;
    for (std::size_t p = 0; p < keys.size(); ++p)
      assignments += (p == 0 ? "" : ";") + keys[p] + " = " + format_number(values[p]);
    std::vector<ConfigIssue> issues;
    for (auto issue : error.issues()) {
      if (issue.where.file.empty()) issue.where.file = source;
      issue.message += " (at " + at + " " + assignments + ")";
      for (char& c : issue.message)
        if (c == '\n') c = ';';
      issues.push_back(issue);
    }
    throw ConfigError(issues);
  }
}

Authority with_numbers(const Authority& authority, const std::vector<std::string>& keys,
                       const std::vector<double>& values) {
  return with_numbers(authority, keys, values, "<drawn values>", "the drawn values");
}

LoadedSweep load_sweep(const std::filesystem::path& path) {
  LoadedSweep loaded;
  const std::string name = path.string();
  const TomlValue document = parse_toml_text(read_config_file(path), name);
  Diagnostics diagnostics;
  ParseContext ctx{diagnostics, {}};
  ctx.positions[""] = {name, 0};
  sweep_spec().parse(&document, loaded.sweep, ctx, "", {name, 0});
  const auto fail = [&ctx](const std::string& key, std::string message) {
    ctx.error(ctx.position(key), key, std::move(message));
  };
  const auto& sweep = loaded.sweep;
  if (diagnostics.empty() && sweep.parameters.empty()) fail("parameters", "a sweep varies at least one key");
  if (diagnostics.empty() && sweep.design != Design::grid && sweep.points < 1)
    fail("points", "a " + std::string(name_of(sweep.design)) +
                       " design needs points (latin_hypercube: points; morris: trajectories; "
                       "sobol: base samples)");
  if (!diagnostics.empty()) throw ConfigError(diagnostics.issues());
  // Counted in floating point, which cannot overflow, before any point is made.
  const double runs = design_points(sweep) * static_cast<double>(sweep.replicates);
  if (runs > limits::max_sweep_runs)
    fail(sweep.design == Design::grid ? "parameters" : "points",
         "the design makes " + format_number(design_points(sweep)) + " points x " + std::to_string(sweep.replicates) +
             " replicates = " + format_number(runs) + " runs; at most " + format_number(limits::max_sweep_runs) +
             " fit one sweep: use fewer values or points, or a " +
             (sweep.design == Design::grid ? "latin_hypercube or morris design" : "screening design first"));
  if (!diagnostics.empty()) throw ConfigError(diagnostics.issues());

  loaded.base_path = sweep.base.empty() ? std::filesystem::path() : path.parent_path() / sweep.base;
  loaded.base = loaded.base_path.empty() ? default_authority() : load_authority_file(loaded.base_path);
  if (!loaded.base.uncertainty.empty()) {
    ConfigIssue issue;
    issue.where = ctx.position("base");
    issue.key = "base";
    issue.message =
        "the base configuration draws parameters per replicate ([[uncertainty]]), which a sweep would not do; "
        "sweep those keys instead, or use a base without [[uncertainty]]";
    throw ConfigError({issue});
  }
  if (sweep.months > 0) loaded.base.simulation.months = sweep.months;
  loaded.base.simulation.seed = sweep.seed;
  loaded.base.simulation.replicates = sweep.replicates;
  validate(loaded.base);
  // The options, on the sweep's base with its months, seed and replicates.
  const Overrides overrides{sweep.months > 0 ? std::optional<std::int64_t>(sweep.months) : std::nullopt,
                            sweep.replicates, sweep.seed, std::nullopt};
  std::vector<std::string> names{"baseline"};
  for (const auto& option : sweep.options) {
    const std::filesystem::path option_path = path.parent_path() / option;
    names.push_back(scenario_name(option_path, names, "options"));
    loaded.options.push_back(
        {names.back(), option_path, load_scenario(loaded.base_path, option_path, true, overrides)});
  }
  const auto base_numeric = numeric_keys(loaded.base);
  for (std::size_t p = 0; p < sweep.parameters.size(); ++p) {
    const std::string key = "parameters[" + std::to_string(p) + "]";
    const auto& parameter = sweep.parameters[p];
    const auto option = std::find_if(loaded.options.begin(), loaded.options.end(),
                                     [&](const SweepOption& o) { return o.name == parameter.scenario; });
    if (!parameter.scenario.empty() && option == loaded.options.end()) {
      std::string list;
      for (const auto& o : loaded.options) list += (list.empty() ? "" : ", ") + o.name;
      fail(key + ".scenario", "'" + parameter.scenario + "' is not one of the sweep's options (" +
                                  (list.empty() ? std::string("it has none") : list) + ")");
      continue;
    }
    const auto numeric = parameter.scenario.empty() ? base_numeric : numeric_keys(option->authority);
    if (std::find(numeric.begin(), numeric.end(), parameter.key) == numeric.end()) {
      const std::string suggestion = closest_name(parameter.key, numeric);
      fail(key + ".key", "'" + parameter.key + "' is not a numeric key of " +
                             (parameter.scenario.empty() ? "the base configuration" : "option " + parameter.scenario) +
                             (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      continue;
    }
    if (sweep.design == Design::grid && parameter.values.empty())
      fail(key + ".values", "a grid design needs the values each key takes");
    if (sweep.design != Design::grid && !(parameter.max > parameter.min))
      fail(key + ".max", "needs max above min (" + format_number(parameter.min) + ")");
  }
  if (!diagnostics.empty()) throw ConfigError(diagnostics.issues());
  return loaded;
}

}  // namespace ehsim::config

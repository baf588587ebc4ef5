#include "calibration/fit.hpp"

#include <algorithm>

#include "calibration/presets.hpp"
#include "calibration/targets.hpp"
#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"

namespace ehsim::calibration {

namespace {

using config::between;
using config::TableSpec;

TableSpec<FitParameter> parameter_spec() {
  TableSpec<FitParameter> spec;
  spec.key("key", &FitParameter::key,
           {.unit = "",
            .description = "A numeric configuration key to fit, dotted as in sweeps (schedule entries included), e.g. "
                           "levels[1].up_hazard_per_month or services.<name>.capacity_from_month.2027-04."})
      .key("min", &FitParameter::min, {.unit = "the key's", .description = "The lowest value searched."})
      .key("max", &FitParameter::max, {.unit = "the key's", .description = "The highest value searched."});
  return spec;
}

const TableSpec<FitConfig>& fit_spec() {
  static const TableSpec<FitConfig> spec = [] {
    TableSpec<FitConfig> root;
    root.key("algorithm", &FitConfig::algorithm,
             {.unit = "",
              .fallback = Algorithm::sbplx,
              .description = "sbplx (Subplex: robust to the small jumps a simulated objective has, the default) or "
                             "bobyqa (quadratic models: fewer evaluations on a smooth objective, but it can stop "
                             "early on a noisy one)."})
        .key("starts", &FitConfig::starts,
             {.unit = "",
              .fallback = std::int64_t{4},
              .bounds = between(1, 64),
              .description = "Starting points, spread over the bounds by a Latin hypercube; each is optimised on "
                             "its own, in parallel, and the best result is kept."})
        .key("evaluations", &FitConfig::evaluations,
             {.unit = "",
              .fallback = std::int64_t{100},
              .bounds = between(3, 10000),
              .description = "Evaluations of the objective per start, at most; then one more for each key that "
                             "ends near a bound, tried on the bound."})
        .key("replicates", &FitConfig::replicates,
             {.unit = "runs",
              .fallback = std::int64_t{4},
              .bounds = between(1, 100),
              .description = "Runs per evaluation, with the same random numbers at every evaluation (common random "
                             "numbers), so that the objective moves only with the parameters."})
        .key("report_replicates", &FitConfig::report_replicates,
             {.unit = "runs",
              .fallback = std::int64_t{20},
              .bounds = between(2, 1000),
              .description = "Runs at the best fit for the fit table: the simulated mean and the 90% range of "
                             "outcomes, and the hold-out's prediction intervals."})
        .key("seed", &FitConfig::seed,
             {.unit = "",
              .fallback = std::int64_t{1},
              .bounds = between(0, 9.2e18),
              .description = "Seed of the runs (as simulation.seed) and of the starting points."})
        .key("tolerance", &FitConfig::tolerance,
             {.unit = "share of range",
              .fallback = 1e-4,
              .bounds = between(1e-9, 0.5),
              .description = "A start stops when a step moves every key by less than this share of its range."})
        .key("plausible_cutoff", &FitConfig::plausible_cutoff,
             {.unit = "standard errors",
              .fallback = 3.0,
              .bounds = between(0.5, 100),
              .description = "History matching's implausibility cut-off: an evaluated parameter set is plausible "
                             "when no target's |simulated mean - observed| exceeds this many standard errors "
                             "(observation uncertainty and the replicates' spread combined). 3 is the usual rule."})
        .key("plausible_max", &FitConfig::plausible_max,
             {.unit = "",
              .fallback = std::int64_t{200},
              .bounds = between(1, 100000),
              .description = "Plausible sets written at most, the best fits first."})
        .key("weights", &FitConfig::weights,
             {.unit = "",
              .fallback = std::map<std::string, double>{},
              .description = "Weight of each measure's targets in the objective, e.g. { re_referral_share = 2 } "
                             "(quote a name with a dot); default 1. 0 leaves a measure's targets out of the fit "
                             "but in the fit table."})
        .table_array("parameters", &FitConfig::parameters, parameter_spec(), "The keys fitted, in order.");
    return root;
  }();
  return spec;
}

}  // namespace

std::string fit_reference_markdown() {
  std::vector<config::KeyDoc> docs;
  fit_spec().document(docs, "");
  const auto cell = [](std::string text) {
    std::string escaped;
    for (const char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    return escaped;
  };
  std::string text = "| key | type | unit | default | allowed | description |\n|---|---|---|---|---|---|\n";
  for (const auto& doc : docs) {
    if (doc.type == "list of tables") continue;
    text += "| `" + doc.key + "` | " + doc.type + " | " + cell(doc.unit) + " | `" + cell(doc.default_value) + "` | " +
            cell(doc.allowed) + " | " + cell(doc.description) + " |\n";
  }
  return text;
}

std::string calibration_reference_markdown() {
  return "### Fit file keys\n\n" + fit_reference_markdown() +
         "\n### Measures a targets file may name (the default authority's)\n\n" +
         target_measures_markdown(config::default_authority()) + "\n### Presets file keys (configs/presets.toml)\n\n" +
         presets_reference_markdown();
}

FitConfig load_fit(const std::filesystem::path& path, const config::Authority& authority) {
  FitConfig fit;
  const std::string name = path.string();
  const config::TomlValue document = config::parse_toml_text(config::read_config_file(path), name);
  config::Diagnostics diagnostics;
  config::ParseContext ctx{diagnostics, {}};
  ctx.positions[""] = {name, 0};
  fit_spec().parse(&document, fit, ctx, "", {name, 0});
  const auto fail = [&ctx](const std::string& key, std::string message) {
    ctx.error(ctx.position(key), key, std::move(message));
  };
  if (diagnostics.empty() && fit.parameters.empty()) fail("parameters", "a fit names at least one key to fit");
  if (!diagnostics.empty()) throw config::ConfigError(diagnostics.issues());
  const auto numeric = config::numeric_keys(authority);
  for (std::size_t p = 0; p < fit.parameters.size(); ++p) {
    const std::string key = "parameters[" + std::to_string(p) + "]";
    const auto& parameter = fit.parameters[p];
    if (parameter.key.rfind("simulation.", 0) == 0 || parameter.key.rfind("uncertainty[", 0) == 0 ||
        parameter.key == "population.families" || parameter.key == "population.capacity_reference_families") {
      fail(key + ".key", "'" + parameter.key +
                             "' sets up the runs rather than the model (calibration sets the months, seed and "
                             "replicates itself, and fits one authority's size): fit a rate, share or capacity");
      continue;
    }
    if (std::find(numeric.begin(), numeric.end(), parameter.key) == numeric.end()) {
      const std::string suggestion = config::closest_name(parameter.key, numeric);
      fail(key + ".key", "'" + parameter.key + "' is not a numeric key of the configuration" +
                             (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
      continue;
    }
    for (std::size_t q = 0; q < p; ++q)
      if (fit.parameters[q].key == parameter.key)
        fail(key + ".key", "'" + parameter.key + "' is already fitted by parameters[" + std::to_string(q) + "]");
    if (!(parameter.max > parameter.min)) {
      fail(key + ".max", "needs max above min (" + config::format_number(parameter.min) + ")");
      continue;
    }
    const auto bounds = config::key_bounds(parameter.key);
    for (const auto& [end, value] : {std::pair{"min", parameter.min}, std::pair{"max", parameter.max}})
      if (bounds && !bounds->contains(value))
        fail(key + "." + end,
             config::format_number(value) + " is outside the range of " + parameter.key + ", " + bounds->describe());
  }
  std::vector<std::string> measures;
  for (const auto& measure : target_measures(authority)) measures.push_back(measure.info.name);
  for (const auto& [measure, weight] : fit.weights) {
    if (std::find(measures.begin(), measures.end(), measure) == measures.end()) {
      const std::string suggestion = config::closest_name(measure, measures);
      fail("weights." + measure, "'" + measure + "' is not a measure of the configuration" +
                                     (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)"));
    } else if (!(weight >= 0) || weight > 1e6) {
      fail("weights." + measure, "a weight is from 0 to 1e6, not " + config::format_number(weight));
    }
  }
  if (!diagnostics.empty()) throw config::ConfigError(diagnostics.issues());
  return fit;
}

}  // namespace ehsim::calibration

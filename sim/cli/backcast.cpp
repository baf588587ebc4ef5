#include "cli/backcast.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include "calibration/calibrate.hpp"
#include "calibration/presets.hpp"
#include "cli/commands.hpp"
#include "cli/fit_table.hpp"
#include "config/load.hpp"

namespace ehsim::cli {

namespace {

struct Backcast {
  std::string config_path, targets_path;
  config::Authority authority;
  calibration::Problem problem;
  std::vector<calibration::TargetFit> rows;  // once assessed
  std::size_t replicates = 0;
};

// Reads and checks a configuration and its targets; nothing runs yet.
Backcast prepare(const std::string& config_path, const std::string& targets_path,
                 const std::optional<std::string>& holdout_from, std::size_t replicates,
                 const std::optional<std::int64_t>& seed) {
  Backcast result{config_path, targets_path, config::load_authority_file(config_path), {}, {}, replicates};
  auto targets = calibration::load_targets(targets_path, result.authority);
  calibration::FitConfig fit;  // nothing fitted: the configuration as it is
  fit.seed = seed.value_or(static_cast<std::int64_t>(result.authority.simulation.seed));
  result.problem = calibration::make_problem(result.authority, std::move(targets), fit, holdout_from);
  return result;
}

// How many targets a backcast compares and meets, and how many it holds out.
struct Counts {
  std::size_t compared = 0, met = 0, held = 0, inside = 0;
};

Counts counts_of(const Backcast& b, double tolerance) {
  Counts c;
  for (const auto& row : b.rows) {
    c.compared += !row.held_out;
    c.met += is_met(row, tolerance);
    c.held += row.held_out;
    c.inside += row.held_out && row.inside;
  }
  return c;
}

std::string runs_text(const Backcast& b) {
  return "the mean of " + std::to_string(b.replicates) + " runs (seed " + std::to_string(b.problem.fit.seed) + ")" +
         (b.authority.uncertainty.empty() ? "" : ", each with its own draw of the configuration's [[uncertainty]],") +
         " and their 5%-95% range of outcomes";
}

void print_terminal(std::ostream& out, const Backcast& b, double tolerance) {
  out << b.config_path << " (" << b.authority.name << ") against " << b.targets_path << ": " << b.rows.size()
      << " targets, " << runs_text(b) << "; z = (mean - observed) / uncertainty; met when |z| <= " << shown(tolerance)
      << "\n";
  print_target_table(out, b.problem, b.rows, tolerance);
  const Counts c = counts_of(b, tolerance);
  out << "\n  Met: " << c.met << " of " << c.compared << " targets" << (c.held > 0 ? " not held out" : "") << "\n";
  print_holdout_coverage(out, b.rows);
}

void print_markdown(std::ostream& out, const Backcast& b, const calibration::Preset& preset, double tolerance) {
  out << "## " << b.authority.name << "\n\n";
  if (!b.authority.description.empty()) out << b.authority.description << ".\n\n";
  out << "`" << b.config_path << "` against `" << b.targets_path << "` (" << b.rows.size()
      << " targets): " << runs_text(b) << "; z = (mean − observed) / uncertainty, met when |z| ≤ " << shown(tolerance)
      << ".";
  if (!preset.made_by.empty()) out << " Made by `" << preset.made_by << "`.";
  if (!preset.holdout_from.empty())
    out << " Targets from " << preset.holdout_from
        << " were held out of its calibration: for those the table says whether the observed figure lies inside "
           "the simulated range (the backcast).";
  out << "\n\n";
  markdown_target_table(out, b.problem, b.rows, tolerance);
  const Counts c = counts_of(b, tolerance);
  out << "\nMet: " << c.met << " of " << c.compared << (c.held ? " fitted targets" : " targets") << ".";
  if (c.held)
    out << " Backcast: " << c.inside << " of " << c.held
        << " held-out targets inside the 5%–95% range (a well-calibrated model covers about 90%).";
  out << "\n\n";
}

}  // namespace

int run_backcast(const BackcastOptions& options, std::ostream& out, std::ostream& err) {
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  if (options.presets_path.empty()) {
    Backcast b = prepare(options.config_path, options.targets_path, options.holdout_from,
                         static_cast<std::size_t>(options.replicates.value_or(20)), options.seed);
    b.rows = calibration::assess(b.problem, {}, b.replicates);
    const double tolerance = options.tolerance.value_or(2.0);
    if (options.markdown)
      markdown_target_table(out, b.problem, b.rows, tolerance);
    else
      print_terminal(out, b, tolerance);
    return exit_ok;
  }

  const auto list = calibration::load_presets(options.presets_path);
  const auto folder = std::filesystem::path(options.presets_path).parent_path();
  const double tolerance = options.tolerance.value_or(list.tolerance);
  // Everything is read and checked before any preset runs, a hold-out month
  // named at its line in the presets file.
  std::vector<Backcast> prepared;
  for (std::size_t p = 0; p < list.presets.size(); ++p) {
    const auto& preset = list.presets[p];
    const std::optional<std::string> holdout =
        preset.holdout_from.empty() ? std::nullopt : std::optional<std::string>(preset.holdout_from);
    const auto replicates = static_cast<std::size_t>(options.replicates.value_or(list.replicates));
    try {
      prepared.push_back(prepare((folder / preset.config).string(), (folder / preset.targets).string(), holdout,
                                 replicates, options.seed));
    } catch (const config::ConfigError& error) {
      std::vector<config::ConfigIssue> issues = error.issues();
      for (auto& issue : issues)
        if (issue.where.file == "--holdout-from") {  // make_problem's: the month is this preset's
          issue.where = preset.holdout_where;
          issue.key = "presets[" + std::to_string(p) + "].holdout_from";
        }
      throw config::ConfigError(issues);
    }
  }
  bool as_stated = true;
  for (std::size_t p = 0; p < list.presets.size(); ++p) {
    const auto& preset = list.presets[p];
    Backcast& b = prepared[p];
    b.rows = calibration::assess(b.problem, {}, b.replicates);
    if (options.markdown)
      print_markdown(out, b, preset, tolerance);
    else
      print_terminal(out, b, tolerance);
    // The gaps it states, against the gaps measured.
    std::set<std::string> stated(preset.not_met.begin(), preset.not_met.end()), labels;
    for (std::size_t t = 0; t < b.rows.size(); ++t) {
      const std::string label = b.problem.targets[t].label();
      labels.insert(label);
      if (b.rows[t].held_out) {
        if (stated.count(label)) {
          err << "ehsim backcast: " << preset.where.file << ":" << preset.where.line << ": not_met lists '" << label
              << "', which is held out (from " << preset.holdout_from
              << "): a held-out target is predicted, not met; take it off the list\n";
          as_stated = false;
        }
        continue;
      }
      const bool met = is_met(b.rows[t], tolerance);
      if (!met && !stated.count(label)) {
        err << "ehsim backcast: " << preset.where.file << ":" << preset.where.line << ": " << preset.config
            << " does not meet " << label << " (" << shown(b.rows[t].mean) << " against " << shown(b.rows[t].observed)
            << ", z " << shown(b.rows[t].standardised_error) << "), and not_met does not list it\n";
        as_stated = false;
      } else if (met && stated.count(label)) {
        err << "ehsim backcast: " << preset.where.file << ":" << preset.where.line << ": " << preset.config
            << " now meets " << label
            << ", which not_met lists: take it off the list (and out of docs/validation.md)\n";
        as_stated = false;
      }
    }
    for (const auto& label : stated)
      if (!labels.count(label)) {
        err << "ehsim backcast: " << preset.where.file << ":" << preset.where.line << ": not_met lists '" << label
            << "', which is not a target of " << preset.targets << "\n";
        as_stated = false;
      }
  }
  return as_stated ? exit_ok : exit_targets_not_as_stated;
}

}  // namespace ehsim::cli

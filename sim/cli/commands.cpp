#include "cli/commands.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <CLI/CLI.hpp>

#include "calibration/fit.hpp"
#include "cli/backcast.hpp"
#include "cli/calibrate.hpp"
#include "cli/run_summary.hpp"
#include "cli/sweep.hpp"
#include "config/consistency.hpp"
#include "config/diff.hpp"
#include "config/load.hpp"
#include "config/sweep.hpp"
#include "config/toml_text.hpp"
#include "engine/run.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"
#include "experiment/uncertainty.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "output/results_file.hpp"
#include "serve/api.hpp"
#include "serve/server.hpp"
#include "version.hpp"

namespace ehsim::cli {

namespace {

const char* const default_output = "out/results.h5";

struct RunOptions {
  std::string config_path;
  config::Overrides overrides;  // --months, --replicates, --seed, --families
  int threads = 0;
  bool trajectories = false;
  std::string out = default_output;
  bool force = false;                  // may replace an existing --out that ehsim did not write
  std::vector<std::string> scenarios;  // overlay files, each an option against the baseline
  std::vector<std::string> futures;    // overlay files of kind "future": every option also runs under each
};

// A scenario of the comparison before it is planned: its name, configuration,
// the files it came from and its place in the decision table.
struct PlannedScenario {
  experiment::ScenarioPlan plan;
  std::string source_text;  // the file(s) as written
};

// A whole number in [min, max], checked on the text as typed: digits only (no
// sign, space or trailing characters) and no overflow, so that a mistyped
// number is refused rather than read as something else.
CLI::Validator whole_number(std::int64_t min, std::int64_t max) {
  const std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
  return {[range, min, max](std::string& text) -> std::string {
            std::int64_t value = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            const bool digits =
                !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (digits && error == std::errc() && end == text.data() + text.size() && value >= min && value <= max)
              return {};
            return "expected a whole number " + range + " (digits only), got '" + text + "'";
          },
          "INT " + range};
}

std::string command_line(int argc, const char* const* argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.find_first_of(" \t\"'") != std::string::npos) arg = "'" + arg + "'";
    text += (i ? " " : "") + arg;
  }
  return text;
}

config::Authority load(const std::string& path, const config::Overrides& overrides) {
  return path.empty() ? config::default_authority(overrides) : config::load_authority_file(path, overrides);
}

std::string source_of(const std::string& path) {
  return path.empty() ? "embedded default (configs/default.toml)" : path;
}

// A service nothing routes to takes no cases: legitimate (decommissioning by
// routing round it) but easily an oversight, such as an overlay that adds a
// service without restating the routes. Said on validate and on run.
// `already`: services a warning named before (the base's, for an option).
void warn_unreachable(const config::Authority& authority, const std::string& source, std::ostream& err,
                      const std::vector<std::string>& already = {}) {
  for (const auto& service : config::unreachable_services(authority))
    if (std::find(already.begin(), already.end(), service) == already.end())
      err << "ehsim: warning: " << source << ": services." << service
          << " is reached by no front_door.routes rule, route_by_level entry or step_down_to, so it takes no "
             "cases\n";
}

// The name and description of an authority of another size than the one
// they were written for: said on validate and on run.
void warn_inherited_identity(const std::string& path, const config::Authority& loaded, std::int64_t families,
                             std::ostream& err) {
  if (path.empty()) {
    const auto stated = config::default_authority().population.families;
    if (families > 0 && families != stated)
      err << "ehsim: warning: embedded default: --families " << families
          << " runs it at another size than its name and description were written for (" << stated << " families)\n";
    return;
  }
  for (const auto& warning : config::inherited_identity_warnings(path, loaded, families))
    err << "ehsim: warning: " << path << ": " << warning << "\n";
}

// The line of a top-level key in a TOML file's text (top-level keys come
// before any table), or 0 when it has none.
std::uint32_t top_level_line(const std::string& text, std::string_view key) {
  std::istringstream lines(text);
  std::uint32_t number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    if (line[start] == '[') break;
    const auto after = start + key.size();
    if (line.compare(start, key.size(), key) == 0 &&
        (after == line.size() || line[after] == ' ' || line[after] == '\t' || line[after] == '='))
      return number;
  }
  return 0;
}

int run_simulation(const RunOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err) {
  config::Authority authority = load(options.config_path, options.overrides);
  if (authority.reinvestment.share > 0 && authority.reinvestment.reference == config::ReinvestmentReference::baseline) {
    config::ConfigIssue issue;
    issue.where.file = source_of(options.config_path);
    issue.key = "reinvestment.reference";
    issue.message =
        "\"baseline\" measures savings against the baseline run, so it belongs in a scenario overlay (--scenario); "
        "in the base configuration use \"budget\"";
    throw config::ConfigError({issue});
  }
  // Options: the base with each overlay, named by file; then the futures,
  // and every option under every future. All errors before any simulating.
  std::vector<std::string> names{"baseline"};
  std::vector<PlannedScenario> planned;
  for (const auto& overlay : options.scenarios) {
    names.push_back(config::scenario_name(overlay, names));
    PlannedScenario scenario{
        {names.back(), config::load_scenario(options.config_path, overlay, true, options.overrides)},
        config::read_config_file(overlay)};
    (scenario.plan.authority.kind == config::ScenarioKind::future ? scenario.plan.future : scenario.plan.option) =
        names.back();
    planned.push_back(std::move(scenario));
  }
  const std::size_t given_as_scenarios = planned.size();
  for (const auto& overlay : options.futures) {
    names.push_back(config::scenario_name(overlay, names, "--future"));
    PlannedScenario future{{names.back(), config::load_scenario(options.config_path, overlay, true, options.overrides)},
                           config::read_config_file(overlay)};
    if (future.plan.authority.kind != config::ScenarioKind::future) {
      config::ConfigIssue issue;
      issue.where.file = overlay;
      issue.where.line = top_level_line(future.source_text, "kind");
      issue.key = "kind";
      issue.message =
          "--future takes a change in demand or the world, an overlay with kind = \"future\"; this one is an "
          "option (give it with --scenario, or say kind = \"future\" if it is a future)";
      throw config::ConfigError({issue});
    }
    future.plan.future = names.back();
    planned.push_back(std::move(future));
  }
  const std::size_t alone = planned.size();  // the scenarios given, before the pairs
  for (std::size_t f = given_as_scenarios; f < alone; ++f)
    for (std::size_t o = 0; o < given_as_scenarios; ++o) {
      // Copied: the pairs are added to `planned` as they are made.
      const std::string future = planned[f].plan.future, option = planned[o].plan.option;
      if (option.empty()) continue;  // a future given with --scenario runs alone
      const std::string& future_file = options.futures[f - given_as_scenarios];
      const std::string name = option + "_under_" + future;
      names.push_back(config::scenario_name(name + ".toml", names, "--future " + future_file));
      PlannedScenario pair{
          {name, config::load_scenario_under(options.config_path, future_file, options.scenarios[o], options.overrides),
           f + 1, option, future},
          "# The future (" + future_file + "):\n" + planned[f].source_text + "\n# The option under it (" +
              options.scenarios[o] + "):\n" + planned[o].source_text};
      planned.push_back(std::move(pair));
    }
  warn_unreachable(authority, source_of(options.config_path), err);
  warn_inherited_identity(options.config_path, authority, options.overrides.families.value_or(0), err);
  // An option that leaves a service unreached says so; one the base already leaves is said once.
  const auto base_unreached = config::unreachable_services(authority);
  for (std::size_t s = 0; s < given_as_scenarios + options.futures.size(); ++s)
    warn_unreachable(planned[s].plan.authority,
                     s < given_as_scenarios ? options.scenarios[s] : options.futures[s - given_as_scenarios], err,
                     base_unreached);

  if (options.out == default_output)
    std::filesystem::create_directories(std::filesystem::path(options.out).parent_path());
  std::vector<std::filesystem::path> inputs{options.scenarios.begin(), options.scenarios.end()};
  inputs.insert(inputs.end(), options.futures.begin(), options.futures.end());
  if (!options.config_path.empty())
    for (const auto& file : config::configuration_files(options.config_path)) inputs.push_back(file);
  const output::OutputRequest out_request{options.out, "--out", options.force, inputs};
  std::filesystem::path out_path = output::resolve_output(out_request);

  std::vector<experiment::ScenarioPlan> option_plans;
  for (const auto& scenario : planned) option_plans.push_back(scenario.plan);
  experiment::RunPlan plan = experiment::comparison_plan(authority, option_plans, options.trajectories);
  plan.family_savings = plan.scenarios.size() > 1;  // each option's cost family by family
  // Every replicate's draw of uncertain values is checked before simulating.
  const auto draws = experiment::draw_uncertainty(plan);

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  const auto started = std::chrono::steady_clock::now();
  const experiment::PlanResults results = experiment::run_and_keep(plan, draws);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const experiment::Summary summary = experiment::summarise(plan, results);

  std::vector<output::Scenario> scenarios;
  for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
    const std::string source = s > 0 ? planned[s - 1].source_text
                                     : (options.config_path.empty() ? std::string(config::default_authority_text())
                                                                    : config::read_config_file(options.config_path));
    scenarios.push_back({plan.scenarios[s].name, config::to_toml(plan.scenarios[s].authority), source,
                         &results.models[s], &results.runs[s]});
  }
  // Checked again now the results are ready: a file may have appeared at
  // --out while the runs ran.
  out_path = output::resolve_output(out_request);
  output::write_results(out_path, scenarios, summary,
                        {invocation, source_of(options.config_path),
                         static_cast<std::uint64_t>(authority.simulation.seed), results.draws});
  print_run_summary(out, results.models.front(), summary, source_of(options.config_path),
                    {seconds, threads, static_cast<int>(scenarios.size())});
  for (const auto& comparison : summary.comparisons)
    if (summary.scenarios[comparison.option].option.empty() || summary.scenarios[comparison.option].future.empty())
      print_comparison(out, results.models[comparison.option], results.models[comparison.baseline], summary,
                       comparison);
  print_ranking(out, results.models, summary);
  print_pairs(out, summary);
  print_decision_table(out, summary);
  out << "\n  Results: " << out_path.string() << "\n";
  return exit_ok;
}

// An option file with `extends` is a configuration of its own; without, an
// overlay on the base.
bool has_extends(const std::string& path) { return top_level_line(config::read_config_file(path), "extends") > 0; }

int print_differences(const std::string& base_path, const std::string& option_path, std::ostream& out) {
  const config::Authority base = config::load_authority_file(base_path);
  const config::Authority option = has_extends(option_path)
                                       ? config::load_authority_file(option_path)
                                       : config::load_scenario(base_path, option_path, /*branching=*/false);
  const auto found = config::differences(base, option);
  if (found.empty()) {
    out << "No differences: " << option_path << " resolves to the same configuration as " << base_path << ".\n";
    return exit_ok;
  }
  out << found.size() << (found.size() == 1 ? " key differs" : " keys differ") << " (" << base_path << " -> "
      << option_path << "):\n";
  for (const auto& difference : found)
    out << "  " << difference.key << ": " << (difference.base.empty() ? "(absent)" : difference.base) << " -> "
        << (difference.option.empty() ? "(absent)" : difference.option) << "\n";
  return exit_ok;
}

}  // namespace

struct ServeOptions {
  std::string workspace = "workspace";
  std::string configs = "configs";
  std::string scenarios = "scenarios";
  std::string web;
  std::string host = "127.0.0.1";
  int port = 8080;
};

// Serves until interrupted (SIGINT or SIGTERM).
int run_serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  // Ctrl-C (or SIGTERM) stops the server: blocked here, before any thread
  // starts, so that every thread inherits the mask and one waits for it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const bool loopback = options.host == "127.0.0.1" || options.host == "::1" || options.host == "localhost";
  serve::ApiOptions api_options;
  api_options.workspace = options.workspace;
  api_options.configs = options.configs;
  api_options.scenarios = options.scenarios;
  api_options.web = options.web;
#ifdef EHSIM_WEB_DIR
  if (api_options.web.empty() && std::filesystem::is_regular_file(std::filesystem::path(EHSIM_WEB_DIR) / "index.html"))
    api_options.web = EHSIM_WEB_DIR;  // the app this build bundled
#endif
#ifdef EHSIM_ANALYSIS_DIR
  api_options.analysis = EHSIM_ANALYSIS_DIR;
#endif
  if (!loopback) {
    std::random_device seed;
    std::ostringstream token;
    for (int i = 0; i < 4; ++i) token << std::hex << std::setw(8) << std::setfill('0') << seed();
    api_options.token = token.str();
  }
  std::unique_ptr<serve::Api> api;
  std::unique_ptr<serve::Server> server;
  try {
    api = std::make_unique<serve::Api>(api_options);
    server = std::make_unique<serve::Server>(*api, loopback && options.host == "localhost" ? "127.0.0.1" : options.host,
                                             static_cast<std::uint16_t>(options.port));
  } catch (const std::exception& e) {
    err << "ehsim serve: " << e.what() << "\n";
    return exit_bad_input;
  }
  const std::string shown = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  const std::string fragment = api_options.token.empty() ? "" : "#token=" + api_options.token;
  out << "ehsim serve: open http://" << shown << ":" << server->port() << "/" << fragment << " (options saved in "
      << std::filesystem::absolute(options.workspace).string() << ")\n";
  if (!api_options.token.empty())
    out << "ehsim serve: the API needs the header Authorization: Bearer " << api_options.token
        << " (the page reads it from the address above)\n";
  out << "ehsim serve: stop with Ctrl-C\n" << std::flush;
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    server->stop();
  });
  server->run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // ends the wait when run() stopped for another reason
  waiter.join();
  out << "ehsim serve: stopped\n";
  return exit_ok;
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "ehsim simulates families moving between levels of need, so that a council can see what a "
      "commissioning decision does to demand and cost before it spends."};
  app.name("ehsim");
  app.set_version_flag("--version",
                       std::string("ehsim ") + std::string(version()) + " (git " + std::string(git_revision()) + ")");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  ehsim run                              the embedded default authority, 120 months\n"
      "  ehsim run configs/merton.toml --replicates 20 --out out/merton.h5\n"
      "  ehsim validate configs/default.toml    check a configuration and print it resolved\n"
      "  ehsim schema                           every configuration key with its unit, default and range\n"
      "\nExit status: 0 success; 2 bad configuration, arguments or output path (nothing written); 1 internal error.");

  RunOptions run_options;
  auto* run = app.add_subcommand("run", "Simulate an authority and write the results to an HDF5 file.");
  run->add_option("config", run_options.config_path, "Configuration file (TOML); the embedded default if omitted")
      ->check(CLI::ExistingFile);
  run->add_option("--months", run_options.overrides.months, "Months to simulate (overrides simulation.months)")
      ->check(whole_number(1, 1200));
  run->add_option("--replicates", run_options.overrides.replicates, "Replicates (overrides simulation.replicates)")
      ->check(whole_number(1, 9999));
  run->add_option("--seed", run_options.overrides.seed, "Random seed (overrides simulation.seed)")
      ->check(whole_number(0, std::numeric_limits<std::int64_t>::max()));
  run->add_option("--families", run_options.overrides.families, "Families at the start (overrides population.families)")
      ->check(whole_number(1, 100000000));
  run->add_option("--threads", run_options.threads, "Threads to use (default: all cores); results do not depend on it")
      ->check(whole_number(1, 1024));
  run->add_option("--scenario", run_options.scenarios,
                  "An option to compare with the baseline: an overlay file merged onto the configuration "
                  "(repeatable; named by its file)")
      ->check(CLI::ExistingFile);
  run->add_option("--future", run_options.futures,
                  "A future (an overlay with kind = \"future\": a change in demand or the world): the baseline and "
                  "every option also run under it, compared with common random numbers (repeatable)")
      ->check(CLI::ExistingFile);
  run->add_flag("--trajectories", run_options.trajectories,
                "Also write each family's level by month and the event log");
  run->add_option("--out", run_options.out, "Output HDF5 file; an existing one is replaced only if ehsim wrote it")
      ->capture_default_str();
  run->add_flag("--force", run_options.force, "Replace --out even if it is a file ehsim did not write, or read-only");
  run->footer(
      "Examples:\n"
      "  ehsim run\n"
      "  ehsim run configs/default.toml --months 60 --replicates 10 --seed 7\n"
      "  ehsim run --families 1000000 --threads 16 --out out/large.h5\n"
      "  ehsim run --families 2000 --months 24 --trajectories --out out/small.h5\n"
      "  ehsim run --scenario scenarios/invest_to_save.toml --future scenarios/rise_in_domestic_abuse.toml");

  std::string diff_base, diff_option;
  auto* diff = app.add_subcommand("diff", "List the resolved configuration keys an option changes.");
  diff->add_option("base", diff_base, "Base configuration (TOML)")->required()->check(CLI::ExistingFile);
  diff->add_option("option", diff_option,
                   "The option: a scenario overlay (merged onto the base), or a configuration with extends")
      ->required()
      ->check(CLI::ExistingFile);

  SweepOptions sweep_options;
  auto* sweep = app.add_subcommand("sweep", "Run a parameter sweep (grid, Latin hypercube, Morris or Sobol).");
  sweep->add_option("sweep", sweep_options.path, "Sweep file (TOML)")->required()->check(CLI::ExistingFile);
  sweep->add_option("--out", sweep_options.out, "Output HDF5 file; an existing one is replaced only if ehsim wrote it")
      ->capture_default_str();
  sweep->add_flag("--force", sweep_options.force, "Replace --out even if it is a file ehsim did not write");
  sweep->add_option("--parts", sweep_options.parts,
                    "Folder of committed runs (default: OUT.parts); a killed sweep resumes from it");
  sweep->add_option("--shard", sweep_options.shard, "Run part i of n (0-based), e.g. 3/10, for job arrays");
  sweep->add_option("--threads", sweep_options.threads, "Threads to use (default: all cores)")
      ->check(whole_number(1, 1024));
  sweep->footer(
      "Examples:\n"
      "  ehsim sweep sweeps/intensive_support_grid.toml --out out/sweep.h5\n"
      "  ehsim sweep sweeps/morris_screening.toml --shard 0/4 --parts parts/0   (one of four job-array tasks)\n"
      "  ehsim merge sweeps/morris_screening.toml --out out/morris.h5 --parts parts/0 --parts parts/1 ...");
  SweepOptions merge_options;
  auto* merge = app.add_subcommand("merge", "Join the runs of a sharded sweep into one HDF5 file.");
  merge->add_option("sweep", merge_options.path, "Sweep file (TOML)")->required()->check(CLI::ExistingFile);
  merge->add_option("--out", merge_options.out, "Output HDF5 file; an existing one is replaced only if ehsim wrote it")
      ->capture_default_str();
  merge->add_flag("--force", merge_options.force, "Replace --out even if it is a file ehsim did not write");
  merge->add_option("--parts", merge_options.parts, "Folders of committed runs (default: OUT.parts)");

  CalibrateOptions calibrate_options;
  auto* calibrate = app.add_subcommand(
      "calibrate", "Fit numeric keys of a configuration to an authority's figures; write a calibrated overlay.");
  calibrate->add_option("config", calibrate_options.config_path, "Configuration file (TOML) to calibrate")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate
      ->add_option("--targets", calibrate_options.targets_path,
                   "Targets file (CSV: measure,period,value,uncertainty,source); see docs/calibration.md")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate
      ->add_option("--fit", calibrate_options.fit_path, "Fit file (TOML): the keys fitted, their bounds, the optimiser")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate
      ->add_option("--out", calibrate_options.out,
                   "The calibrated overlay (TOML) to write; an existing one is replaced only if ehsim wrote it")
      ->required();
  calibrate->add_option("--trace", calibrate_options.trace, "The optimisation trace (HDF5); default OUT.trace.h5");
  calibrate->add_option("--plausible", calibrate_options.plausible,
                        "The plausible sets as an [[uncertainty]] sample (TOML); default OUT.plausible.toml");
  calibrate->add_option("--holdout-from", calibrate_options.holdout_from,
                        "Fit only targets before this month (YYYY-MM) and report how the later ones are predicted");
  calibrate->add_option("--threads", calibrate_options.threads, "Threads to use (default: all cores)")
      ->check(whole_number(1, 1024));
  calibrate->add_flag("--force", calibrate_options.force, "Replace output files even if ehsim did not write them");
  calibrate->footer(
      "Examples:\n"
      "  ehsim calibrate configs/default.toml --targets configs/default.targets.csv --fit configs/default.fit.toml \\\n"
      "      --out out/calibrated.toml\n"
      "  ehsim calibrate my.toml --targets my.csv --fit fit.toml --out my.calibrated.toml --holdout-from 2027-04\n"
      "An interrupted calibration resumes from OUT.journal when run again with the same inputs.");

  BackcastOptions backcast_options;
  auto* backcast = app.add_subcommand(
      "backcast", "Run a configuration as it is and set it beside an authority's figures; or check every preset.");
  backcast->add_option("config", backcast_options.config_path, "Configuration file (TOML)")->check(CLI::ExistingFile);
  backcast
      ->add_option("--targets", backcast_options.targets_path,
                   "Targets file (CSV: measure,period,value,uncertainty,source); see docs/calibration.md")
      ->check(CLI::ExistingFile);
  backcast->add_option("--holdout-from", backcast_options.holdout_from,
                       "Targets from this month (YYYY-MM) were held out of the calibration: report coverage");
  auto* presets_option =
      backcast
          ->add_option("--presets", backcast_options.presets_path,
                       "Check every preset of a presets file (configs/presets.toml) against its targets and the "
                       "gaps it states; exit 3 if they differ")
          ->check(CLI::ExistingFile);
  backcast->add_option("--replicates", backcast_options.replicates, "Runs (default 20, or the presets file's)")
      ->check(whole_number(2, 1000));
  backcast->add_option("--seed", backcast_options.seed, "Seed of the runs (default: the configuration's)")
      ->check(whole_number(0, std::numeric_limits<std::int64_t>::max()));
  backcast
      ->add_option("--tolerance", backcast_options.tolerance,
                   "A target is met within this many uncertainties (default 2, or the presets file's)")
      ->check(CLI::Range(0.1, 100.0));
  backcast->add_option("--threads", backcast_options.threads, "Threads to use (default: all cores)")
      ->check(whole_number(1, 1024));
  backcast->add_flag("--markdown", backcast_options.markdown,
                     "As Markdown (with --presets: docs/validation.md's tables)");
  presets_option->excludes(backcast->get_option("config"))
      ->excludes(backcast->get_option("--targets"))
      ->excludes(backcast->get_option("--holdout-from"));
  backcast->footer(
      "Examples:\n"
      "  ehsim backcast configs/default.toml --targets configs/default.targets.csv\n"
      "  ehsim backcast out/calibrated.toml --targets my.csv --holdout-from 2027-04\n"
      "  ehsim backcast --presets configs/presets.toml --markdown   (the tables of docs/validation.md)");

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "Check a configuration; print it fully resolved, or every error.");
  validate->add_option("config", validate_path, "Configuration file (TOML)")->required()->check(CLI::ExistingFile);

  bool schema_markdown = false;
  bool schema_output = false;
  auto* schema = app.add_subcommand("schema", "Print every configuration key: type, unit, default, range, meaning.");
  schema->add_flag("--markdown", schema_markdown, "As the Markdown of docs/configuration.md");
  schema->add_flag("--output-datasets", schema_output, "The datasets of a run in the HDF5 output, as Markdown");
  bool schema_calibration = false;
  schema->add_flag("--calibration", schema_calibration,
                   "The keys of a calibration's fit file and the measures its targets file may name (for the "
                   "default authority), as the Markdown of docs/calibration.md");

  ServeOptions serve_options;
  auto* serve =
      app.add_subcommand("serve", "Serve the strategist's web app and its JSON API on this machine (docs/serve.md).");
  serve->add_option("--workspace", serve_options.workspace, "Folder for saved options (created if missing)")
      ->capture_default_str();
  serve->add_option("--configs", serve_options.configs, "Folder of authority presets (<name>.toml)")
      ->capture_default_str();
  serve
      ->add_option("--scenarios", serve_options.scenarios,
                   "Folder of overlays; those of kind \"future\" are offered to run options under")
      ->capture_default_str();
  serve->add_option("--web", serve_options.web,
                    "Folder of the built web app (index.html); default: the one this build bundled (build/web-app)");
  serve
      ->add_option("--host", serve_options.host,
                   "Address to listen on; any but 127.0.0.1 or ::1 needs the token printed at start")
      ->capture_default_str();
  serve->add_option("--port", serve_options.port, "Port (0: any free one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e, out, err);
    return status == 0 ? exit_ok : exit_bad_input;
  }

  try {
    if (*run) return run_simulation(run_options, command_line(argc, argv), out, err);
    if (*diff) return print_differences(diff_base, diff_option, out);
    if (*sweep) return run_sweep(sweep_options, command_line(argc, argv), out, err);
    if (*merge) return merge_sweep(merge_options, command_line(argc, argv), out, err);
    if (*calibrate) return run_calibrate(calibrate_options, command_line(argc, argv), out, err);
    if (*backcast) {
      if (backcast_options.presets_path.empty() &&
          (backcast_options.config_path.empty() || backcast_options.targets_path.empty())) {
        err << "ehsim backcast: give a configuration and --targets, or --presets\n";
        return exit_bad_input;
      }
      return run_backcast(backcast_options, out, err);
    }
    if (*serve) return run_serve(serve_options, out, err);
    if (*validate) {
      const config::Authority authority = config::load_authority_file(validate_path);
      out << config::to_toml(authority);
      warn_unreachable(authority, validate_path, err);
      warn_inherited_identity(validate_path, authority, 0, err);
      return exit_ok;
    }
    if (*schema) {
      if (schema_calibration)
        out << calibration::calibration_reference_markdown();
      else if (schema_output)
        out << output::output_reference_markdown();
      else
        out << (schema_markdown ? config::configuration_reference_markdown() : config::configuration_reference_text());
      return exit_ok;
    }
  } catch (const config::ConfigError& e) {
    for (const auto& issue : e.issues()) err << issue.format() << "\n";
    err << "ehsim: " << e.issues().size() << (e.issues().size() == 1 ? " error" : " errors")
        << " in the configuration; nothing was written.\n";
    return exit_bad_input;
  } catch (const output::OutputError& e) {
    err << e.what() << "\nehsim: nothing was written.\n";
    return exit_bad_input;
  } catch (const std::bad_alloc&) {
    err << "ehsim: not enough memory for this run; use fewer families, months or replicates, or leave out "
           "--trajectories.\nehsim: nothing was written.\n";
    return exit_bad_input;
  } catch (const std::filesystem::filesystem_error& e) {
    err << e.what() << "\nehsim: nothing was written.\n";
    return exit_bad_input;
  } catch (const std::exception& e) {
    err << "ehsim: internal error: " << e.what() << "\n";
    return exit_internal_error;
  }
  return exit_ok;
}

}  // namespace ehsim::cli

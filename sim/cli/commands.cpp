#include "cli/commands.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <CLI/CLI.hpp>

#include "cli/run_summary.hpp"
#include "config/load.hpp"
#include "engine/run.hpp"
#include "output/hdf5.hpp"
#include "output/results_file.hpp"
#include "version.hpp"

namespace ehsim::cli {

namespace {

const char* const default_output = "out/results.h5";

struct RunOptions {
  std::string config_path;
  std::optional<std::int64_t> months;
  std::optional<std::int64_t> replicates;
  std::optional<std::int64_t> seed;
  std::optional<std::int64_t> families;
  int threads = 0;
  bool trajectories = false;
  std::string out = default_output;
};

std::string command_line(int argc, const char* const* argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.find_first_of(" \t\"'") != std::string::npos) arg = "'" + arg + "'";
    text += (i ? " " : "") + arg;
  }
  return text;
}

config::Authority load(const std::string& path) {
  return path.empty() ? config::default_authority() : config::load_authority_file(path);
}

std::string source_of(const std::string& path) {
  return path.empty() ? "embedded default (configs/default.toml)" : path;
}

int run_simulation(const RunOptions& options, const std::string& invocation, std::ostream& out) {
  config::Authority authority = load(options.config_path);
  if (options.months) authority.simulation.months = *options.months;
  if (options.replicates) authority.simulation.replicates = *options.replicates;
  if (options.seed) authority.simulation.seed = *options.seed;
  if (options.families) authority.population.families = *options.families;
  config::validate(authority);

  const std::filesystem::path out_path = options.out;
  if (options.out == default_output) std::filesystem::create_directories(out_path.parent_path());
  output::check_writable(out_path);

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  const engine::Model model = engine::build_model(authority);
  const auto started = std::chrono::steady_clock::now();
  std::vector<engine::RunResult> runs;
  for (std::int64_t r = 0; r < authority.simulation.replicates; ++r)
    runs.push_back(engine::simulate(model, {static_cast<std::uint64_t>(authority.simulation.seed),
                                            static_cast<std::uint32_t>(r), options.trajectories}));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::vector<output::Scenario> scenarios;
  scenarios.push_back({"baseline", config::to_toml(authority), &model, std::move(runs)});
  output::write_results(
      out_path, scenarios,
      {invocation, source_of(options.config_path), static_cast<std::uint64_t>(authority.simulation.seed)});
  print_run_summary(out, model, scenarios.front().runs, source_of(options.config_path), {seconds, threads});
  out << "\n  Results: " << out_path.string() << "\n";
  return exit_ok;
}

}  // namespace

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
  run->add_option("--months", run_options.months, "Months to simulate (overrides simulation.months)")
      ->check(CLI::Range(1, 1200));
  run->add_option("--replicates", run_options.replicates, "Replicates (overrides simulation.replicates)")
      ->check(CLI::Range(1, 9999));
  run->add_option("--seed", run_options.seed, "Random seed (overrides simulation.seed)")
      ->check(CLI::Range(std::int64_t{0}, std::numeric_limits<std::int64_t>::max()));
  run->add_option("--families", run_options.families, "Families at the start (overrides population.families)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  run->add_option("--threads", run_options.threads, "Threads to use (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 1024));
  run->add_flag("--trajectories", run_options.trajectories,
                "Also write each family's level by month and the event log");
  run->add_option("--out", run_options.out, "Output HDF5 file")->capture_default_str();
  run->footer(
      "Examples:\n"
      "  ehsim run\n"
      "  ehsim run configs/default.toml --months 60 --replicates 10 --seed 7\n"
      "  ehsim run --families 1000000 --threads 16 --out out/large.h5\n"
      "  ehsim run --families 2000 --months 24 --trajectories --out out/small.h5");

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "Check a configuration; print it fully resolved, or every error.");
  validate->add_option("config", validate_path, "Configuration file (TOML)")->required()->check(CLI::ExistingFile);

  bool schema_markdown = false;
  bool schema_output = false;
  auto* schema = app.add_subcommand("schema", "Print every configuration key: type, unit, default, range, meaning.");
  schema->add_flag("--markdown", schema_markdown, "As the Markdown of docs/configuration.md");
  schema->add_flag("--output-datasets", schema_output, "The datasets of a run in the HDF5 output, as Markdown");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e, out, err);
    return status == 0 ? exit_ok : exit_bad_input;
  }

  try {
    if (*run) return run_simulation(run_options, command_line(argc, argv), out);
    if (*validate) {
      out << config::to_toml(config::load_authority_file(validate_path));
      return exit_ok;
    }
    if (*schema) {
      if (schema_output)
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

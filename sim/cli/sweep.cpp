#include "cli/sweep.hpp"

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <unistd.h>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "cli/commands.hpp"
#include "cli/fingerprint.hpp"
#include "cli/progress.hpp"
#include "config/load.hpp"
#include "config/sweep.hpp"
#include "config/toml_text.hpp"
#include "engine/model.hpp"
#include "engine/run.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/sweep.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "output/results_file.hpp"
#include "output/sweep_file.hpp"
#include "output/sweep_parts.hpp"
#include "version.hpp"

namespace ehsim::cli {

namespace {

// Which sweep a part belongs to: the sweep file, the resolved base and the
// program, hashed (FNV-1a, 64 bit).
std::uint64_t fingerprint(const std::string& sweep_text, const config::LoadedSweep& loaded) {
  // The columns a part's rows hold, so that a part of another layout is never read as this one's.
  std::string columns;
  for (std::size_t c = 0; c < experiment::comparison::count; ++c)
    columns += std::string(experiment::comparison::name(c)) + ",";
  std::vector<std::string> texts{sweep_text, config::to_toml(loaded.base), std::string(version()), columns};
  for (const auto& option : loaded.options) texts.push_back(config::to_toml(option.authority));
  std::uint64_t hash = fnv1a_start;
  for (const std::string& text : texts) hash = fnv1a(text, hash);
  return hash;
}

std::vector<std::string> scenario_names(const experiment::RunPlan& plan) {
  std::vector<std::string> names;
  for (const auto& scenario : plan.scenarios) names.push_back(scenario.name);
  return names;
}

// The summary of a complete set of runs, with a warning for each sensitivity
// that has not converged.
experiment::SweepSummary summarise(const config::LoadedSweep& loaded, const experiment::SweepDesign& design,
                                   const experiment::RunPlan& plan,
                                   const std::map<std::uint64_t, output::SweepRun>& runs, std::ostream& err) {
  std::vector<std::vector<double>> rows(runs.size());
  for (const auto& [index, run] : runs) rows[index] = run.measures;
  auto summary = experiment::summarise_sweep(loaded.sweep, design, scenario_names(plan), rows);
  const auto warn = [&](const experiment::Sensitivity& sensitivity, const std::string& of, const auto& column_name) {
    std::string unsettled;
    for (std::size_t c = 0; c < sensitivity.converged.size(); ++c)
      if (!sensitivity.converged[c]) unsettled += (unsettled.empty() ? "" : ", ") + std::string(column_name(c));
    if (!unsettled.empty())
      err << "ehsim sweep: warning: the " << loaded.sweep.design << " indices of " << of
          << " have not converged (their intervals are wide: " << unsettled << "); use more "
          << (loaded.sweep.design == config::Design::morris ? "trajectories" : "base samples")
          << " (points) or replicates\n";
  };
  warn(summary.baseline_sensitivity, "the baseline's measures", experiment::measure::name);
  for (std::size_t s = 1; s < summary.scenarios.size(); ++s)
    warn(summary.difference_sensitivities[s - 1], summary.scenarios[s] + "'s differences",
         experiment::comparison::name);
  return summary;
}

struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

Shard parse_shard(const std::string& text) {
  Shard shard;
  if (text.empty()) return shard;
  const std::string expected = "--shard " + text + ": expected i/n, part i (0-based) of n, as whole numbers, e.g. 3/10";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw output::OutputError(expected);
  const auto whole = [&](std::string_view digits, std::size_t& value) {
    // Digits only: no sign, space or trailing characters, and no overflow.
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || digits.front() < '0' || digits.front() > '9' || error != std::errc() ||
        end != digits.data() + digits.size())
      throw output::OutputError(expected);
  };
  whole(std::string_view(text).substr(0, slash), shard.index);
  whole(std::string_view(text).substr(slash + 1), shard.count);
  if (shard.count == 0) throw output::OutputError("--shard " + text + ": n, the number of shards, must be at least 1");
  if (shard.index >= shard.count)
    throw output::OutputError("--shard " + text + ": i must be 0 to " + std::to_string(shard.count - 1) + " for " +
                              std::to_string(shard.count) + " shards");
  return shard;
}

// Whether this process was started by mpirun (OpenMPI, or another MPI's
// process manager): only then is MPI set up, so that plain runs, and the
// tests that run the command in process, never touch it.
bool under_mpirun() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

std::filesystem::path parts_folder(const SweepOptions& options) {
  return options.parts.empty() ? std::filesystem::path(options.out + ".parts")
                               : std::filesystem::path(options.parts.front());
}

// Where the sweep's file goes, checked before any work: never over the sweep
// file or its base, nor over a file ehsim did not write unless --force.
std::filesystem::path resolve_sweep_output(const SweepOptions& options, const config::LoadedSweep& loaded,
                                           const std::vector<std::filesystem::path>& parts_folders) {
  const std::filesystem::path out_path = options.out;
  if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path());
  std::vector<std::filesystem::path> inputs{options.path};
  if (!loaded.base_path.empty())
    for (const auto& file : config::configuration_files(loaded.base_path)) inputs.push_back(file);
  const auto resolved = output::resolve_output({out_path, "--out", options.force, inputs});
  // The parts folder is emptied of ehsim's files once the sweep is assembled.
  std::error_code ec;
  for (const auto& folder : parts_folders)
    if (std::filesystem::equivalent(resolved.parent_path().empty() ? "." : resolved.parent_path(), folder, ec))
      throw output::OutputError("--out " + options.out + ": it is inside the parts folder " + folder.string() +
                                "; write the results elsewhere");
  return resolved;
}

output::PartsFound read_parts(const std::filesystem::path& folder, std::uint64_t stamp, const experiment::RunPlan& plan,
                              bool set_aside) {
  return output::read_parts(folder, stamp, plan.point_count(), plan.replicates,
                            experiment::sweep_row_length(plan.scenarios.size()), set_aside);
}

// The rank of this process among those mpirun started (one: not under MPI).
struct Rank {
  std::size_t index = 0;
  std::size_t count = 1;
  std::function<void()> barrier;
};

int run_sweep_part(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err,
                   const Rank& mpi);

}  // namespace

int run_sweep(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err) {
  // Under mpirun the ranks share the points like shards, write their parts to
  // the same folder, and rank 0 assembles the file once all are done.
  std::optional<boost::mpi::environment> environment;
  std::optional<boost::mpi::communicator> world;
  if (under_mpirun()) {
    environment.emplace();
    world.emplace();
  }
  const int rank = world ? world->rank() : 0;
  const int ranks = world ? world->size() : 1;
  if (ranks > 1 && !options.shard.empty())
    throw output::OutputError("--shard: under mpirun the ranks share the sweep; leave --shard out");
  if (ranks == 1) return run_sweep_part(options, invocation, out, err, {});
  std::ostringstream quiet;
  try {
    const int status = run_sweep_part(
        options, invocation, rank == 0 ? out : quiet, rank == 0 ? err : quiet,
        Rank{static_cast<std::size_t>(rank), static_cast<std::size_t>(ranks), [&world] { world->barrier(); }});
    return status;
  } catch (const std::exception& error) {
    // One rank's failure must not leave the others waiting at the barrier.
    err << "ehsim sweep (rank " << rank << "): " << error.what() << "\n" << std::flush;
    world->abort(exit_bad_input);
  }
  return exit_bad_input;
}

namespace {

int run_sweep_part(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err,
                   const Rank& mpi) {
  const Shard shard = mpi.count > 1 ? Shard{mpi.index, mpi.count} : parse_shard(options.shard);
  const config::LoadedSweep loaded = config::load_sweep(options.path);
  const std::string sweep_text = config::read_config_file(options.path);
  const experiment::SweepDesign design = experiment::make_design(loaded.sweep);
  const experiment::RunPlan plan = experiment::sweep_plan(loaded, design);
  experiment::check_extremes(plan);
  const auto parts = parts_folder(options);
  std::filesystem::path out_path = resolve_sweep_output(options, loaded, {parts});
  const std::uint64_t stamp = fingerprint(sweep_text, loaded);
  const auto replicates = plan.replicates;
  const std::size_t points = plan.point_count();

  // What is already committed. One process claims the folder and sets damaged
  // parts aside (their runs are then done again); under mpirun the other ranks
  // look once it has.
  const bool lead = mpi.index == 0;
  output::PartsFound found;
  if (lead) {
    output::claim_parts_folder(parts);
    found = read_parts(parts, stamp, plan, /*set_aside=*/true);
    for (const auto& note : found.damaged) err << "ehsim sweep: " << note << "; its run is done again\n";
  }
  if (mpi.count > 1) mpi.barrier();
  if (!lead) {
    output::claim_parts_folder(parts);
    found = read_parts(parts, stamp, plan, /*set_aside=*/false);
  }
  const auto& done = found.runs;
  std::vector<std::size_t> mine;
  std::size_t total = 0, already = 0;
  for (std::size_t p = shard.index; p < points; p += shard.count) {
    mine.push_back(p);
    total += replicates;
    for (std::size_t r = 0; r < replicates; ++r) already += done.count(p * replicates + r);
  }
  out << "ehsim sweep: " << loaded.sweep.design << " design, " << points << " points x " << replicates
      << " replicates = " << points * replicates << " runs";
  if (plan.scenarios.size() > 1)
    out << " of the baseline and " << plan.scenarios.size() - 1
        << (plan.scenarios.size() == 2 ? " option" : " options");
  if (mpi.count > 1)
    out << "; " << mpi.count << " MPI ranks share them";
  else if (shard.count > 1)
    out << "; shard " << shard.index << "/" << shard.count << ": " << total << " runs";
  if (already > 0) out << "; " << already << " already done (resuming from " << parts.string() << ")";
  out << "\n" << std::flush;

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  Progress progress(err, total, already, options.progress);
  const auto started = std::chrono::steady_clock::now();
  std::atomic<std::size_t> ran{0};
  // This shard's runs not yet committed, as tasks of the plan: points and
  // replicates in parallel, each run's families in parallel within it.
  const auto wanted = [&](std::size_t point, std::size_t replicate) {
    return point % shard.count == shard.index && !done.count(point * replicates + replicate);
  };
  experiment::run_plan(plan, {}, wanted, [&](experiment::PlanRun&& run) {
    output::write_part(parts, stamp, {run.point, run.replicate, experiment::sweep_row(run)});
    ++ran;
    progress.finished_one();
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << "  ran " << ran.load() << " runs in " << seconds << " s on " << threads << " threads";
  if (ran.load() > 0 && seconds > 0) out << " (" << static_cast<double>(ran.load()) / seconds << " runs a second)";
  out << "\n";

  if (mpi.count > 1) {
    mpi.barrier();  // every rank's runs are committed
    if (mpi.index != 0) return exit_ok;
  } else if (shard.count > 1) {
    out << "  shard " << shard.index << "/" << shard.count << " done; its runs are in " << parts.string()
        << ".\n  When every shard is done: ehsim merge " << options.path << " --out " << options.out
        << " --parts FOLDER ...\n";
    return exit_ok;
  }
  const auto complete = read_parts(parts, stamp, plan, /*set_aside=*/false);
  if (complete.runs.size() != points * replicates || !complete.damaged.empty())
    throw output::OutputError("the sweep's parts in " + parts.string() + " are incomplete: " +
                              std::to_string(complete.runs.size()) + " of " + std::to_string(points * replicates) +
                              " runs sound" + (complete.damaged.empty() ? "" : ", " + complete.damaged.front()) +
                              "; run the same command again to finish them");
  out_path = resolve_sweep_output(options, loaded, {parts});  // again: a file may have appeared meanwhile
  output::write_sweep_file(out_path, loaded, design, summarise(loaded, design, plan, complete.runs, err),
                           {invocation, sweep_text, config::to_toml(loaded.base)});
  out << "  Results: " << options.out << "\n";
  // The results are written: what is left is tidying, which never fails the command.
  const auto left = output::release_parts_folder(parts, stamp);
  if (!left.empty())
    out << "  Left " << parts.string() << " in place: it also holds " << left.front()
        << (left.size() > 1 ? " and " + std::to_string(left.size() - 1) + " more" : "")
        << ", which ehsim did not make\n";
  return exit_ok;
}

}  // namespace

int merge_sweep(const SweepOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err) {
  const config::LoadedSweep loaded = config::load_sweep(options.path);
  const std::string sweep_text = config::read_config_file(options.path);
  const experiment::SweepDesign design = experiment::make_design(loaded.sweep);
  const experiment::RunPlan plan = experiment::sweep_plan(loaded, design);
  experiment::check_extremes(plan);
  const std::uint64_t stamp = fingerprint(sweep_text, loaded);
  const auto replicates = plan.replicates;
  const std::size_t expected = plan.run_count();
  std::vector<std::string> folders = options.parts;
  if (folders.empty()) folders.push_back(options.out + ".parts");
  const std::filesystem::path out_path = resolve_sweep_output(options, loaded, {folders.begin(), folders.end()});
  std::map<std::uint64_t, output::SweepRun> runs;
  std::vector<std::string> damaged;
  for (const auto& folder : folders) {
    if (!std::filesystem::is_directory(folder)) throw output::OutputError("--parts " + folder + ": no such folder");
    auto found = read_parts(folder, stamp, plan, /*set_aside=*/false);
    runs.merge(found.runs);
    damaged.insert(damaged.end(), found.damaged.begin(), found.damaged.end());
  }
  if (runs.size() != expected) {
    std::string missing;
    int listed = 0;
    for (std::size_t i = 0; i < expected && listed < 5; ++i)
      if (!runs.count(i)) {
        missing += (listed++ ? ", " : "") + std::string("point ") + std::to_string(i / replicates) + " replicate " +
                   std::to_string(i % replicates);
      }
    std::string message = "ehsim merge: " + std::to_string(expected - runs.size()) + " of " + std::to_string(expected) +
                          " runs are missing (" + missing + (expected - runs.size() > 5 ? ", ..." : "") +
                          "); run the shards that hold them";
    for (const auto& note : damaged) message += "\n  " + note;
    if (!damaged.empty()) message += "\n  (a shard run again sets its damaged parts aside and does their runs again)";
    throw output::OutputError(message);
  }
  output::write_sweep_file(out_path, loaded, design, summarise(loaded, design, plan, runs, err),
                           {invocation, sweep_text, config::to_toml(loaded.base)});
  out << "ehsim merge: " << expected << " runs from " << folders.size()
      << (folders.size() == 1 ? " folder" : " folders") << " into " << options.out << "\n";
  return exit_ok;
}

}  // namespace ehsim::cli

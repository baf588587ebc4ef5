#include "cli/calibrate.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <fcntl.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <unistd.h>

#include "calibration/calibrate.hpp"
#include "calibration/overlay.hpp"
#include "cli/commands.hpp"
#include "cli/fingerprint.hpp"
#include "cli/fit_table.hpp"
#include "cli/progress.hpp"
#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"
#include "output/calibration_file.hpp"
#include "output/hdf5.hpp"
#include "output/output_path.hpp"
#include "version.hpp"

namespace ehsim::cli {

namespace {

using calibration::Evaluation;

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// Every evaluation of a calibration, one line each, appended and synced as it
// is made, so that a calibration killed at any moment resumes from it: the
// optimisers are deterministic, so replaying the journal's evaluations takes
// each start back along the same path to where it stopped. The first line
// names the calibration (a hash of the configuration, targets, fit, hold-out
// and ehsim's version); each line ends with a hash of itself, and a line cut
// short or damaged is evaluated again.
class Journal {
 public:
  static constexpr std::string_view header_start = "# ehsim calibration journal 1 ";

  Journal(std::filesystem::path path, std::uint64_t fingerprint, std::size_t keys, std::size_t targets)
      : path_(std::move(path)), keys_(keys), targets_(targets) {
    const std::string header = std::string(header_start) + hex(fingerprint) + "\n";
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(path_, ec);
    if (std::filesystem::exists(status)) {
      if (!std::filesystem::is_regular_file(status))
        throw output::OutputError(path_.string() + ": the calibration's journal would go here, but it is not a file");
      std::ifstream stream(path_, std::ios::binary);
      std::string first;
      std::getline(stream, first);
      if (first.rfind(header_start, 0) != 0)
        throw output::OutputError(path_.string() +
                                  ": the calibration's journal would go here, but this file is not one ehsim wrote; "
                                  "move it, or write --out elsewhere");
      if (first + "\n" != header)
        throw output::OutputError(path_.string() +
                                  ": the journal of a different calibration (another configuration, targets, fit, "
                                  "hold-out or ehsim version); remove it to start afresh, or write --out elsewhere");
      std::string line;
      std::uint64_t kept_bytes = first.size() + 1;
      while (std::getline(stream, line)) {
        if (stream.eof()) break;  // no newline: cut short by a kill
        if (const auto evaluation = parse(line)) {
          stored_[{evaluation->start, evaluation->step}] = *evaluation;
          ++replayable_;
        }
        kept_bytes += line.size() + 1;
      }
      stream.close();
      // A line cut short is dropped so that the next one starts on its own line.
      std::filesystem::resize_file(path_, kept_bytes);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    } else {
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
      if (fd_ >= 0) write_line(header);
    }
    if (fd_ < 0) throw output::OutputError(path_.string() + ": cannot write the journal: " + std::strerror(errno));
  }
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] std::size_t replayable() const { return replayable_; }

  std::optional<Evaluation> lookup(std::size_t start, std::size_t step, const std::vector<double>& values) const {
    const auto found = stored_.find({start, step});
    if (found == stored_.end() || found->second.values != values) return std::nullopt;
    return found->second;
  }

  void record(const Evaluation& evaluation) {
    std::string line = "E " + std::to_string(evaluation.start) + " " + std::to_string(evaluation.step);
    const auto add = [&line](double value) {
      char text[40];
      std::snprintf(text, sizeof text, " %a", value);
      line += text;
    };
    for (const double v : evaluation.values) add(v);
    add(evaluation.objective);
    add(evaluation.implausibility);
    for (const double v : evaluation.mean) add(v);
    for (const double v : evaluation.sd) add(v);
    line += " " + hex(fnv1a(line)) + "\n";
    const std::lock_guard<std::mutex> lock(mutex_);
    write_line(line);
  }

  // Once the calibration's files are written: the journal is ehsim's own.
  void remove() {
    ::close(fd_);
    fd_ = -1;
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

 private:
  void write_line(const std::string& line) {
    std::size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw output::OutputError(path_.string() + ": cannot write the journal: " + std::strerror(errno));
      written += static_cast<std::size_t>(n);
    }
    ::fsync(fd_);
  }

  std::optional<Evaluation> parse(const std::string& line) const {
    const auto space = line.rfind(' ');
    if (space == std::string::npos || line.compare(0, 2, "E ") != 0) return std::nullopt;
    if (line.substr(space + 1) != hex(fnv1a(std::string_view(line).substr(0, space)))) return std::nullopt;
    std::istringstream fields(line.substr(2, space - 2));
    Evaluation evaluation;
    fields >> evaluation.start >> evaluation.step;
    std::vector<double> numbers;
    for (std::string token; fields >> token;) numbers.push_back(std::strtod(token.c_str(), nullptr));
    if (!fields.eof() || numbers.size() != keys_ + 2 + 2 * targets_) return std::nullopt;
    auto at = numbers.begin();
    evaluation.values.assign(at, at + static_cast<std::ptrdiff_t>(keys_));
    at += static_cast<std::ptrdiff_t>(keys_);
    evaluation.objective = *at++;
    evaluation.implausibility = *at++;
    evaluation.mean.assign(at, at + static_cast<std::ptrdiff_t>(targets_));
    at += static_cast<std::ptrdiff_t>(targets_);
    evaluation.sd.assign(at, at + static_cast<std::ptrdiff_t>(targets_));
    return evaluation;
  }

  std::filesystem::path path_;
  std::size_t keys_, targets_;
  int fd_ = -1;
  std::mutex mutex_;
  std::map<std::pair<std::size_t, std::size_t>, Evaluation> stored_;
  std::size_t replayable_ = 0;
};

std::string with_suffix(const std::string& out, const std::string& suffix) {
  std::filesystem::path path(out);
  if (path.extension() == ".toml") path.replace_extension();
  return path.string() + suffix;
}

// Whether a file is one of calibrate's own overlays: only those does it remove
// (not any file ehsim wrote, such as a results file given as --plausible).
bool written_by_calibrate(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::string first;
  std::getline(stream, first);
  return first.rfind(calibration::overlay_marker, 0) == 0;
}

void print_fit(std::ostream& out, std::ostream& err, const calibration::Problem& problem,
               const calibration::CalibrationResult& result, const std::string& config_source) {
  const auto& fit = problem.fit;
  std::size_t fitted = 0, held = 0;
  for (const auto& row : result.fit) {
    fitted += row.fitted;
    held += row.held_out;
  }
  out << "Calibrated " << config_source << ": " << problem.targets.size() << " targets, " << fitted << " fitted"
      << (held ? ", " + std::to_string(held) + " held out" : std::string()) << "; " << result.evaluations.size()
      << " evaluations of " << fit.replicates << " runs each, from " << result.starts.size() << " starts ("
      << config::name_of(fit.algorithm) << ")\n";
  const auto& best_start = result.starts[result.best_start];
  out << "  Objective (weighted mean squared standardised error): " << shown(result.best_objective) << ", start "
      << result.best_start + 1 << " of " << result.starts.size() << " (" << best_start.stopped << "; from "
      << shown(best_start.initial_objective) << ")\n\n";
  std::size_t width = 24;
  for (const auto& parameter : fit.parameters) width = std::max(width, parameter.key.size() + 2);
  out << "  " << padded("Fitted key", width) << right("value", 12) << "   searched in\n";
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    const auto& p = fit.parameters[k];
    out << "  " << padded(p.key, width) << right(shown(result.best[k]), 12) << "   [" << shown(p.min) << ", "
        << shown(p.max) << "]" << (result.on_bound[k] ? "  AT OR NEAR A BOUND" : "") << "\n";
  }
  out << "\n  At the fitted values: the mean of " << fit.report_replicates
      << " runs and their 5%-95% range of outcomes; z = (mean - observed) / uncertainty\n";
  print_target_table(out, problem, result.fit);
  print_holdout_coverage(out, result.fit);
  out << "  Plausible sets: " << result.plausible.size() << " of the evaluations have implausibility at most "
      << shown(fit.plausible_cutoff) << " (history matching)\n";

  // What the user should look at.
  std::vector<std::string> bound_keys;
  for (std::size_t k = 0; k < fit.parameters.size(); ++k)
    if (result.on_bound[k]) bound_keys.push_back(fit.parameters[k].key);
  std::string bounds_text;
  for (const auto& key : bound_keys) bounds_text += (bounds_text.empty() ? "" : ", ") + key;
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    const auto& row = result.fit[t];
    if (!row.fitted || std::abs(row.standardised_error) <= 2) continue;
    err << "ehsim calibrate: warning: " << problem.targets[t].label() << " (" << problem.targets[t].where.file << ":"
        << problem.targets[t].where.line << ") is not met: " << shown(row.mean) << " against " << shown(row.observed)
        << " (z " << shown(row.standardised_error) << ")"
        << (bound_keys.empty() ? "; no fitted key is near a bound, so the keys fitted cannot move it further together "
                                 "with the other targets"
                               : "; keys at or near their bounds: " + bounds_text)
        << "\n";
  }
  if (!bound_keys.empty())
    err << "ehsim calibrate: warning: fitted values at or near a bound of the range searched (within 5% of it): "
        << bounds_text << "; the fit may want values outside it\n";
  if (!result.improved)
    err << "ehsim calibrate: warning: no start improved on its starting point: the objective does not respond to the "
           "keys fitted at this scale (check the keys move the targets, or use more replicates)\n";
  if (result.plausible.empty())
    err << "ehsim calibrate: warning: no evaluation is plausible (implausibility at most "
        << shown(fit.plausible_cutoff) << "), so no plausible sets are written\n";
}

}  // namespace

int run_calibrate(const CalibrateOptions& options, const std::string& invocation, std::ostream& out,
                  std::ostream& err) {
  // Everything is read and checked before any run.
  config::Authority base = config::load_authority_file(options.config_path);
  if (!base.uncertainty.empty()) {
    config::ConfigIssue issue;
    issue.where.file = options.config_path;
    issue.key = "uncertainty";
    issue.message =
        "the configuration draws parameters per replicate ([[uncertainty]]), which would move the objective between "
        "evaluations; calibrate a configuration without it";
    throw config::ConfigError({issue});
  }
  auto targets = calibration::load_targets(options.targets_path, base);
  auto fit = calibration::load_fit(options.fit_path, base);
  base.simulation.seed = fit.seed;
  calibration::Problem problem = calibration::make_problem(base, std::move(targets), fit, options.holdout_from);
  problem.fit_source = options.fit_path;
  (void)calibration::checked_starts(problem);  // a start that makes no valid configuration, before anything is written

  std::vector<std::filesystem::path> inputs{options.targets_path, options.fit_path};
  for (const auto& file : config::configuration_files(options.config_path)) inputs.push_back(file);
  const std::string trace = options.trace.empty() ? with_suffix(options.out, ".trace.h5") : options.trace;
  const std::string plausible =
      options.plausible.empty() ? with_suffix(options.out, ".plausible.toml") : options.plausible;
  const std::vector<output::OutputRequest> requests{{options.out, "--out", options.force, inputs},
                                                    {trace, "--trace", options.force, inputs},
                                                    {plausible, "--plausible", options.force, inputs}};
  std::vector<std::filesystem::path> paths;
  for (const auto& request : requests) paths.push_back(output::resolve_output(request));
  for (std::size_t i = 0; i < paths.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (paths[i] == paths[j])
        throw output::OutputError(requests[i].option + " " + requests[i].path.string() + ": it is also " +
                                  requests[j].option + "; give each file its own path");
  const std::filesystem::path journal_path = paths[0].string() + ".journal";
  for (std::size_t i = 1; i < paths.size(); ++i)
    if (paths[i] == journal_path)
      throw output::OutputError(requests[i].option + " " + requests[i].path.string() +
                                ": that is where the calibration keeps its journal (--out with .journal); give "
                                "another path");

  const std::string targets_text = config::read_config_file(options.targets_path),
                    fit_text = config::read_config_file(options.fit_path);
  const std::uint64_t fingerprint =
      fnv1a(std::string(version()), fnv1a(options.holdout_from.value_or("-"),
                                          fnv1a(fit_text, fnv1a(targets_text, fnv1a(config::to_toml(problem.base))))));
  Journal journal(journal_path, fingerprint, problem.fit.parameters.size(), problem.targets.size());
  if (journal.replayable() > 0)
    err << "ehsim calibrate: resuming: " << journal.replayable() << " evaluations are in " << paths[0].string()
        << ".journal\n";

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  Progress progress(err, static_cast<std::size_t>(fit.starts * fit.evaluations), 0, options.progress, "evaluations",
                    "calibrate");
  calibration::Hooks hooks;
  hooks.lookup = [&journal](std::size_t start, std::size_t step, const std::vector<double>& values) {
    return journal.lookup(start, step, values);
  };
  hooks.record = [&journal](const Evaluation& evaluation) { journal.record(evaluation); };
  hooks.evaluated = [&progress] { progress.finished_one(); };
  const auto started = std::chrono::steady_clock::now();
  calibration::CalibrationResult result;
  try {
    result = calibration::calibrate(problem, hooks);
  } catch (const config::ConfigError&) {
    // Values inside the ranges that make no valid configuration: the same
    // inputs would meet them again, so the journal cannot be resumed from.
    journal.remove();
    throw;
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The files, each complete under its name; the journal goes last.
  const auto folder = std::filesystem::absolute(paths[0]).parent_path();
  const std::string extends =
      std::filesystem::absolute(options.config_path).lexically_normal().lexically_proximate(folder).string();
  const std::vector<std::string> about{
      "Command: " + invocation, "ehsim " + std::string(version()) + " (git " + std::string(git_revision()) + ")",
      "Targets: " + options.targets_path + "; fit: " + options.fit_path +
          (options.holdout_from ? "; held out from " + *options.holdout_from : std::string()),
      "Objective at the fit: " + config::format_number(result.best_objective) +
          " (weighted mean squared standardised "
          "error); trace in " +
          paths[1].string()};
  for (std::size_t i = 0; i < requests.size(); ++i) paths[i] = output::resolve_output(requests[i]);  // again, now
  output::write_text_file(paths[0], calibration::calibrated_overlay(problem, result, extends, about));
  // The sets extend the overlay, named from the sets' own folder.
  const std::string overlay_from_plausible = std::filesystem::absolute(paths[0])
                                                 .lexically_normal()
                                                 .lexically_proximate(std::filesystem::absolute(paths[2]).parent_path())
                                                 .string();
  const std::string plausible_text = calibration::plausible_overlay(
      problem, result, overlay_from_plausible,
      {about[0], about[1],
       std::to_string(result.plausible.size()) + " plausible sets: implausibility at most " +
           config::format_number(fit.plausible_cutoff) + " standard errors on every fitted target (history matching)"});
  std::error_code ec;
  if (!plausible_text.empty())
    output::write_text_file(paths[2], plausible_text);
  else if (std::filesystem::is_regular_file(paths[2], ec) && written_by_calibrate(paths[2]))
    std::filesystem::remove(paths[2], ec);  // an earlier calibration's sets would mislead
  output::write_calibration_trace(paths[1], problem, result, {invocation, options.config_path, targets_text, fit_text});
  journal.remove();

  print_fit(out, err, problem, result, options.config_path);
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.1f s on %d threads", seconds, threads);
  out << "\n  Calibrated overlay: " << paths[0].string() << "\n";
  if (!plausible_text.empty())
    out << "  Plausible sets (an [[uncertainty]] sample; ehsim run it to carry them into a comparison): "
        << paths[2].string() << "\n";
  out << "  Trace: " << paths[1].string() << "\n  Took " << timing << "\n";
  return exit_ok;
}

}  // namespace ehsim::cli

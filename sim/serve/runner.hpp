// The runs `ehsim serve` is asked for, queued and run one at a time (each
// spreads over every core), with progress by finished replicate and
// cancellation between batches of replicates. Any number of clients see the
// same queue; a client that goes away leaves its run to finish. Runs are
// kept (experiment::RunCache): an option run against an authority whose
// baseline was run before, or warmed up while the user built the option,
// runs only what is new to it (a future alone is kept as the baseline is).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/authority.hpp"
#include "experiment/run_cache.hpp"

namespace ehsim::serve {

enum class RunState { queued, running, done, failed, cancelled, expired };
const char* name_of(RunState state);

struct RunRequest {
  std::string authority;    // the base's name, as /api/authorities lists it
  std::string option;       // the option's name
  std::string toml;         // the option's overlay as given
  std::string base_source;  // the base's file, or "" for the embedded default
  config::Authority base, changed;
  // Futures the option also runs under (ehsim run --future): each alone and
  // the option under it, by name, with the future's overlay text.
  struct Future {
    std::string name, toml;
    config::Authority alone, under;
  };
  std::vector<Future> futures;
  // Another option to set this one against, replicate by replicate with the
  // same families and luck (ehsim run's pairs): its name ("" for none), overlay text and configuration.
  std::string against, against_toml;
  config::Authority against_changed;
};

struct RunStatus {
  std::uint64_t id = 0;
  std::string authority, option;
  RunState state = RunState::queued;
  std::size_t done = 0, total = 0;  // replicates
  double seconds = 0;               // running time, when done
  std::size_t runs = 0;             // scenarios x replicates, when done
  std::size_t runs_reused = 0;      // of them, those an earlier run (or a warm-up) had run
  std::string error;                // failed: why
  std::string result_json;          // done: the comparison (runner.cpp says what it holds)
  std::filesystem::path results;    // done: its HDF5 results file, as ehsim run writes it
};

class Runner {
 public:
  explicit Runner(std::filesystem::path results_folder);  // where finished runs' HDF5 files go
  ~Runner();  // cancels what is queued, lets the running one stop at its next batch
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // 0 when the queue already holds max_queued runs.
  std::uint64_t submit(RunRequest request);
  static constexpr std::size_t max_queued = 16;
  static constexpr std::size_t max_kept = 20;  // finished runs whose results are kept; older ones expire
  [[nodiscard]] bool status(std::uint64_t id, RunStatus& out) const;
  [[nodiscard]] std::vector<RunStatus> all() const;  // without results, newest last
  bool cancel(std::uint64_t id);                     // false: no such run, or it had ended
  // Runs the authority's baseline, when no run is waiting, so that the first
  // option run against it finds its baseline done. A run submitted
  // meanwhile goes first; the warm-up stops at its next batch and takes up
  // again when the queue is empty.
  void warm(config::Authority base);
  [[nodiscard]] std::size_t cached_runs() const { return kept_.runs(); }
  // What kept runs may hold: about 220 runs of the default authority (2.3 MB each).
  static constexpr std::size_t max_cached_bytes = std::size_t{512} << 20;

 private:
  void work();
  bool warm_up(const config::Authority& base);  // false: put off by a waiting run

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::uint64_t> queue_;
  std::map<std::uint64_t, RunStatus> runs_;
  std::map<std::uint64_t, RunRequest> requests_;
  std::map<std::uint64_t, bool> cancelled_;
  std::deque<config::Authority> warm_;  // baselines to run when idle
  experiment::RunCache kept_{max_cached_bytes};
  std::filesystem::path results_folder_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace ehsim::serve

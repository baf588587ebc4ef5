// The baseline's runs, kept for the next plan that has the same baseline.
// `ehsim serve` runs one option after another against the same authority:
// the baseline's burn-in and run of each replicate are the same every time
// (a run is a pure function of its configuration, seed and replicate), so
// they are kept and reused, and each option costs only its own runs. The
// results are the same bits as without the cache (tests pin it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/run.hpp"

namespace ehsim::experiment {

// A replicate's start (the end of its burn-in) and the baseline's run from it.
struct BaselineRun {
  engine::StartState start;
  engine::RunResult run;
};

class BaselineCache {
 public:
  // Keeps at most `max_runs` replicates' runs, letting go of the baselines
  // used longest ago first.
  explicit BaselineCache(std::size_t max_runs) : max_runs_(max_runs) {}
  BaselineCache(const BaselineCache&) = delete;
  BaselineCache& operator=(const BaselineCache&) = delete;

  // What identifies a baseline's run: its whole resolved configuration, the
  // seed and replicate, and whether the run keeps trajectories and a ledger.
  static std::string key(const config::Authority& baseline, const engine::RunSpec& spec, bool ledger);

  // Null when it is not kept. Safe to call from several threads at once.
  [[nodiscard]] std::shared_ptr<const BaselineRun> find(const std::string& key, std::uint32_t replicate);
  void store(const std::string& key, std::uint32_t replicate, std::shared_ptr<const BaselineRun> run);

  [[nodiscard]] std::size_t runs() const;  // replicates kept
  [[nodiscard]] std::size_t hits() const;  // replicates found, since it was made

 private:
  struct Entry {
    std::map<std::uint32_t, std::shared_ptr<const BaselineRun>> replicates;
    std::list<std::string>::iterator recent;  // its place in recent_
  };
  void touch(Entry& entry);

  mutable std::mutex mutex_;
  std::size_t max_runs_;
  std::size_t runs_ = 0;
  std::size_t hits_ = 0;
  std::map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // keys, most recently used first
};

}  // namespace ehsim::experiment

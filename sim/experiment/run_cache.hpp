// Runs kept for the next plan that asks for the same ones. A run is a pure
// function of its inputs: the baseline's of its configuration, seed and
// replicate; any other scenario's of its own configuration and of the run
// it branches from and is compared with. `ehsim serve` runs one option after
// another against the same authority, so the baseline's burn-in and run, a
// future's run alone, and an option run before are kept and reused, and each
// new option costs only its own runs. The results are the same bits as
// without the cache (tests pin it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/run.hpp"

namespace ehsim::experiment {

// A scenario's run of one replicate; the baseline's also keeps its start
// (the end of the burn-in), which every other scenario branches from.
struct CachedRun {
  std::optional<engine::StartState> start;
  engine::RunResult run;
};

// Roughly what a kept run holds in memory, in bytes.
std::size_t bytes_of(const CachedRun& run);

class RunCache {
 public:
  // Keeps runs up to about `max_bytes`, letting go of the scenarios used
  // longest ago first.
  explicit RunCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  RunCache(const RunCache&) = delete;
  RunCache& operator=(const RunCache&) = delete;

  // What identifies a scenario's run. The baseline's (`branched_from`
  // empty): its whole resolved configuration (but for the number of
  // replicates, which no replicate's run reads), the seed, and whether runs
  // keep trajectories and a ledger; the replicate is asked for apart. Any
  // other scenario's: its configuration after the key of the run it is
  // compared with (which it branches from and measures reinvestment against).
  static std::string key(const config::Authority& scenario, const engine::RunSpec& spec, bool ledger,
                         const std::string& branched_from);

  // Null when it is not kept. Safe to call from several threads at once.
  [[nodiscard]] std::shared_ptr<const CachedRun> find(const std::string& key, std::uint32_t replicate);
  void store(const std::string& key, std::uint32_t replicate, std::shared_ptr<const CachedRun> run);
  [[nodiscard]] bool contains(const std::string& key, std::uint32_t replicate) const;  // counts no hit

  [[nodiscard]] std::size_t runs() const;   // runs kept
  [[nodiscard]] std::size_t bytes() const;  // what they hold, as bytes_of counts it
  [[nodiscard]] std::size_t hits() const;   // runs found, since it was made

 private:
  struct Entry {
    std::map<std::uint32_t, std::shared_ptr<const CachedRun>> replicates;
    std::size_t bytes = 0;
    std::list<std::string>::iterator recent;  // its place in recent_
  };
  void touch(Entry& entry);

  mutable std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t runs_ = 0;
  std::size_t bytes_ = 0;
  std::size_t hits_ = 0;
  std::map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // keys, most recently used first
};

}  // namespace ehsim::experiment

#include "experiment/run_cache.hpp"

#include "config/load.hpp"
#include "engine/measures.hpp"

namespace ehsim::experiment {

std::size_t bytes_of(const CachedRun& cached) {
  const engine::RunResult& run = cached.run;
  std::size_t bytes = sizeof(CachedRun);
  for (const auto& measure : engine::measures()) bytes += (run.*measure.member).values.size() * sizeof(std::int64_t);
  bytes += run.ledger.spend.size() * sizeof(std::int64_t) + run.ledger.admitted.size() * sizeof(std::uint64_t);
  bytes += run.trajectory_levels.size() + run.events.size() * sizeof(engine::Event);
  if (cached.start) bytes += cached.start->families.size() * engine::Families::bytes_per_family();
  return bytes;
}

namespace {
// The configuration as one replicate's run reads it: a replicate's run does
// not depend on how many replicates the plan has.
std::string one_replicate(config::Authority scenario) {
  scenario.simulation.replicates = 1;
  return config::to_toml(scenario);
}
}  // namespace

std::string RunCache::key(const config::Authority& scenario, const engine::RunSpec& spec, bool ledger,
                          const std::string& branched_from) {
  if (!branched_from.empty()) return branched_from + "\n# branched with\n" + one_replicate(scenario);
  return "# seed " + std::to_string(spec.seed) + (spec.trajectories ? ", trajectories" : "") +
         (ledger ? ", ledger" : "") + "\n" + one_replicate(scenario);
}

bool RunCache::contains(const std::string& key, std::uint32_t replicate) const {
  const std::lock_guard lock(mutex_);
  const auto entry = entries_.find(key);
  return entry != entries_.end() && entry->second.replicates.count(replicate) > 0;
}

void RunCache::touch(Entry& entry) { recent_.splice(recent_.begin(), recent_, entry.recent); }

std::shared_ptr<const CachedRun> RunCache::find(const std::string& key, std::uint32_t replicate) {
  const std::lock_guard lock(mutex_);
  const auto entry = entries_.find(key);
  if (entry == entries_.end()) return nullptr;
  const auto run = entry->second.replicates.find(replicate);
  if (run == entry->second.replicates.end()) return nullptr;
  touch(entry->second);
  ++hits_;
  return run->second;
}

void RunCache::store(const std::string& key, std::uint32_t replicate, std::shared_ptr<const CachedRun> run) {
  const std::size_t size = bytes_of(*run);
  const std::lock_guard lock(mutex_);
  if (size > max_bytes_) return;
  auto entry = entries_.find(key);
  if (entry == entries_.end()) {
    recent_.push_front(key);
    entry = entries_.emplace(key, Entry{{}, 0, recent_.begin()}).first;
  } else {
    touch(entry->second);
  }
  auto& replicates = entry->second.replicates;
  if (const auto old = replicates.find(replicate); old != replicates.end()) {
    const std::size_t old_size = bytes_of(*old->second);
    entry->second.bytes -= old_size;
    bytes_ -= old_size;
    --runs_;
  }
  replicates[replicate] = std::move(run);
  entry->second.bytes += size;
  bytes_ += size;
  ++runs_;
  // Over the limit: the scenarios used longest ago go first, whole, never
  // the one just stored; then, if it alone is over, its highest replicates
  // (which may be the one just stored).
  while (bytes_ > max_bytes_ && recent_.size() > 1) {
    const auto oldest = entries_.find(recent_.back());
    bytes_ -= oldest->second.bytes;
    runs_ -= oldest->second.replicates.size();
    entries_.erase(oldest);
    recent_.pop_back();
  }
  while (bytes_ > max_bytes_) {
    auto highest = std::prev(replicates.end());
    const std::size_t highest_size = bytes_of(*highest->second);
    entry->second.bytes -= highest_size;
    bytes_ -= highest_size;
    --runs_;
    replicates.erase(highest);
  }
}

std::size_t RunCache::runs() const {
  const std::lock_guard lock(mutex_);
  return runs_;
}

std::size_t RunCache::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t RunCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

}  // namespace ehsim::experiment

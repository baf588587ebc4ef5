#include "experiment/baseline_cache.hpp"

#include "config/load.hpp"

namespace ehsim::experiment {

std::string BaselineCache::key(const config::Authority& baseline, const engine::RunSpec& spec, bool ledger) {
  return "seed " + std::to_string(spec.seed) + (spec.trajectories ? ", trajectories" : "") +
         (ledger ? ", ledger" : "") + "\n" + config::to_toml(baseline);
}

void BaselineCache::touch(Entry& entry) { recent_.splice(recent_.begin(), recent_, entry.recent); }

std::shared_ptr<const BaselineRun> BaselineCache::find(const std::string& key, std::uint32_t replicate) {
  const std::lock_guard lock(mutex_);
  const auto entry = entries_.find(key);
  if (entry == entries_.end()) return nullptr;
  const auto run = entry->second.replicates.find(replicate);
  if (run == entry->second.replicates.end()) return nullptr;
  touch(entry->second);
  ++hits_;
  return run->second;
}

void BaselineCache::store(const std::string& key, std::uint32_t replicate, std::shared_ptr<const BaselineRun> run) {
  if (max_runs_ == 0) return;
  const std::lock_guard lock(mutex_);
  auto entry = entries_.find(key);
  if (entry == entries_.end()) {
    recent_.push_front(key);
    entry = entries_.emplace(key, Entry{{}, recent_.begin()}).first;
  } else {
    touch(entry->second);
  }
  if (entry->second.replicates.insert_or_assign(replicate, std::move(run)).second) ++runs_;
  // Over the limit: the baselines used longest ago go first, whole, never
  // the one just stored (it alone may hold more than the limit's runs).
  while (runs_ > max_runs_ && recent_.size() > 1) {
    const auto oldest = entries_.find(recent_.back());
    runs_ -= oldest->second.replicates.size();
    entries_.erase(oldest);
    recent_.pop_back();
  }
  while (runs_ > max_runs_) {  // one baseline with more replicates than the limit: its highest go
    auto& replicates = entries_.begin()->second.replicates;
    replicates.erase(std::prev(replicates.end()));
    --runs_;
  }
}

std::size_t BaselineCache::runs() const {
  const std::lock_guard lock(mutex_);
  return runs_;
}

std::size_t BaselineCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

}  // namespace ehsim::experiment

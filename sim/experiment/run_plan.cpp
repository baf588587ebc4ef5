#include "experiment/run_plan.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "config/diff.hpp"
#include "config/sweep.hpp"
#include "engine/run.hpp"
#include "experiment/comparison.hpp"
#include "experiment/uncertainty.hpp"

namespace ehsim::experiment {

namespace {

// Which swept keys each scenario takes: all of them for the baseline; for an
// option, those it leaves as the base has them (an option that sets a key
// itself keeps its own value, as an overlay on the swept base would), and
// those the sweep names it for.
std::vector<std::vector<bool>> swept_keys_taken(const RunPlan& plan) {
  std::vector<std::vector<bool>> taken(plan.scenarios.size(), std::vector<bool>(plan.swept.size(), false));
  if (plan.swept.empty()) return taken;
  const config::Authority& base = plan.scenarios.front().authority;
  for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
    const auto changed =
        s == 0 ? std::vector<config::Difference>{} : config::differences(base, plan.scenarios[s].authority);
    for (std::size_t k = 0; k < plan.swept.size(); ++k) {
      const SweptKey& swept = plan.swept[k];
      if (!swept.scenario.empty()) {
        taken[s][k] = plan.scenarios[s].name == swept.scenario;
        continue;
      }
      bool own = false;
      for (const auto& difference : changed) own = own || config::covers(difference.key, swept.key);
      taken[s][k] = !own;
    }
  }
  return taken;
}

// The configurations of one point and replicate, checked; a problem names
// the scenario and the values set (`at`: where they come from).
std::vector<config::Authority> configurations_of(const RunPlan& plan, const std::vector<std::vector<bool>>& taken,
                                                 std::size_t point, const UncertainDraws& draws, std::size_t replicate,
                                                 const std::string& where = {}) {
  std::vector<config::Authority> authorities;
  for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
    std::vector<std::string> keys;
    std::vector<double> values;
    if (!plan.points.empty())
      for (std::size_t k = 0; k < plan.swept.size(); ++k)
        if (taken[s][k]) {
          keys.push_back(plan.swept[k].key);
          values.push_back(plan.points[point][k]);
        }
    if (!draws.values.empty()) {
      keys.insert(keys.end(), draws.keys.begin(), draws.keys.end());
      values.insert(values.end(), draws.values[replicate].begin(), draws.values[replicate].end());
    }
    const std::string at =
        !where.empty()         ? where
        : plan.points.empty()  ? "replicate " + std::to_string(replicate) + "'s draw of [[uncertainty]]:"
        : draws.values.empty() ? "point " + std::to_string(point) + " of the sweep:"
                               : "point " + std::to_string(point) + ", replicate " + std::to_string(replicate) + ":";
    const auto& scenario = plan.scenarios[s];
    authorities.push_back(keys.empty()
                              ? scenario.authority
                              : config::with_numbers(scenario.authority, keys, values, "<" + scenario.name + ">", at));
  }
  return authorities;
}

std::vector<engine::Model> models_of(const std::vector<config::Authority>& authorities) {
  std::vector<engine::Model> models;
  models.reserve(authorities.size());
  for (const auto& authority : authorities) models.push_back(engine::build_model(authority));
  return models;
}

}  // namespace

RunPlan comparison_plan(const config::Authority& base, const std::vector<ScenarioPlan>& options, bool trajectories) {
  RunPlan plan;
  plan.scenarios.push_back({"baseline", base});
  plan.scenarios.insert(plan.scenarios.end(), options.begin(), options.end());
  for (std::size_t s = 1; s < plan.scenarios.size(); ++s)
    if (plan.scenarios[s].compared_with >= s)
      throw std::invalid_argument("scenario " + plan.scenarios[s].name + " is compared with one planned after it");
  plan.seed = static_cast<std::uint64_t>(base.simulation.seed);
  plan.replicates = static_cast<std::size_t>(base.simulation.replicates);
  plan.trajectories = trajectories;
  return plan;
}

UncertainDraws draw_uncertainty(const RunPlan& plan) {
  const config::Authority& base = plan.scenarios.front().authority;
  UncertainDraws draws;
  draws.keys = uncertain_keys(base);
  if (draws.keys.empty()) return draws;
  const auto taken = swept_keys_taken(plan);
  for (std::size_t r = 0; r < plan.replicates; ++r) {
    draws.values.push_back(draw_uncertain(base, plan.seed, static_cast<std::uint32_t>(r)));
    for (std::size_t p = 0; p < plan.point_count(); ++p) (void)configurations_of(plan, taken, p, draws, r);
  }
  return draws;
}

std::vector<config::Authority> configurations(const RunPlan& plan, std::size_t point, const UncertainDraws& draws,
                                              std::size_t replicate, const std::string& where) {
  return configurations_of(plan, swept_keys_taken(plan), point, draws, replicate, where);
}

namespace {

// With family savings: for each scenario, its own lines against the scenario
// it is compared with (experiment::own_lines) as masks of service indices, in
// its own model and in the other's: a family either run's own services
// admitted is one it helped (or, for a cut, one that lost the service).
std::vector<FamilyWatch> watched_services(const RunPlan& plan) {
  std::vector<FamilyWatch> watched;
  if (!plan.family_savings) return watched;
  const auto mask_of = [](const config::Authority& authority, const std::vector<std::string>& names, bool& markable) {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < authority.services.size(); ++i) {
      if (std::find(names.begin(), names.end(), authority.services[i].name) == names.end()) continue;
      if (i >= engine::FamilyLedger::marked_services)
        markable = false;
      else
        mask |= std::uint64_t{1} << i;
    }
    return mask;
  };
  for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
    FamilyWatch watch;
    if (s > 0) {
      const auto& other = plan.scenarios[plan.scenarios[s].compared_with].authority;
      const auto own = own_lines(other, plan.scenarios[s].authority);
      watch.scenario = mask_of(plan.scenarios[s].authority, own.services, watch.markable);
      watch.compared_with = mask_of(other, own.services, watch.markable);
      watch.same_payers = plan.scenarios[s].authority.costs.payers == other.costs.payers;
    }
    watched.push_back(watch);
  }
  return watched;
}

// Whether a scenario after `s` is compared with it (its families' costs are still needed).
bool compared_with_later(const RunPlan& plan, std::size_t s) {
  for (std::size_t later = s + 1; later < plan.scenarios.size(); ++later)
    if (plan.scenarios[later].compared_with == s) return true;
  return false;
}

}  // namespace

FamilyDifferences family_differences(const engine::RunResult& scenario, const engine::RunResult& compared_with,
                                     const FamilyWatch& watch) {
  FamilyDifferences out;
  const auto& a = scenario.ledger;
  const auto& b = compared_with.ledger;
  // By payer only where both runs have the same payers, column for column.
  const bool by_payer = watch.same_payers && a.columns == b.columns;
  if (by_payer) out.by_payer.assign(a.columns, 0);
  const std::size_t ids = std::max(a.ids(), b.ids());
  const auto cost = [](const engine::FamilyLedger& ledger, std::size_t id, std::size_t c) {
    return id < ledger.ids() && c < ledger.columns ? ledger.spend[id * ledger.columns + c] : std::int64_t{0};
  };
  const auto admitted = [](const engine::FamilyLedger& ledger, std::size_t id, std::uint64_t mask) {
    return id < ledger.ids() && (ledger.admitted[id] & mask) != 0;
  };
  for (std::size_t id = 0; id < ids; ++id) {
    std::int64_t difference = 0;
    for (std::size_t c = 0; c < a.columns; ++c) difference += cost(a, id, c);
    for (std::size_t c = 0; c < b.columns; ++c) difference -= cost(b, id, c);
    out.all_families += difference;
    if (!watch.markable || !(admitted(a, id, watch.scenario) || admitted(b, id, watch.compared_with))) continue;
    out.helped.push_back(difference);
    if (by_payer)
      for (std::size_t c = 0; c < a.columns; ++c) out.by_payer[c] += cost(a, id, c) - cost(b, id, c);
  }
  return out;
}

std::string kept_run_key(const RunPlan& plan, const config::Authority& scenario, std::size_t replicate,
                         const std::string& branched_from) {
  const engine::RunSpec spec{plan.seed, static_cast<std::uint32_t>(replicate), plan.trajectories};
  return RunCache::key(scenario, spec, plan.family_savings, branched_from);
}

void run_plan(const RunPlan& plan, const UncertainDraws& draws,
              const std::function<bool(std::size_t point, std::size_t replicate)>& wanted,
              const std::function<void(PlanRun&& run)>& finished, RunCache* cache) {
  const auto taken = swept_keys_taken(plan);
  const auto watched = watched_services(plan);
  const bool by_point = !plan.points.empty();
  const bool by_replicate = !draws.values.empty();
  // Models are built once where they can be: for the plan, for each point,
  // or (with uncertainty) for each replicate.
  std::vector<engine::Model> shared;
  if (!by_point && !by_replicate) shared = models_of(configurations_of(plan, taken, 0, draws, 0));

  tbb::parallel_for(std::size_t{0}, plan.point_count(), [&](std::size_t point) {
    std::vector<std::size_t> replicates;
    for (std::size_t r = 0; r < plan.replicates; ++r)
      if (!wanted || wanted(point, r)) replicates.push_back(r);
    if (replicates.empty()) return;
    std::vector<engine::Model> point_models;
    if (by_point && !by_replicate) point_models = models_of(configurations_of(plan, taken, point, draws, 0));
    tbb::parallel_for(std::size_t{0}, replicates.size(), [&](std::size_t task) {
      // Isolated: while this run waits on its own family loops, its thread
      // takes no other run, so at most one is in flight per thread and
      // memory stays bounded.
      tbb::this_task_arena::isolate([&] {
        const std::size_t replicate = replicates[task];
        std::vector<engine::Model> own;
        if (by_replicate) own = models_of(configurations_of(plan, taken, point, draws, replicate));
        const auto& models = by_replicate ? own : by_point ? point_models : shared;
        const engine::RunSpec spec{plan.seed, static_cast<std::uint32_t>(replicate), plan.trajectories};
        // Runs a plan asked for before, kept: then the burn-in too is run
        // only if some scenario's run is not kept.
        std::vector<std::string> keys(cache != nullptr ? models.size() : 0);
        std::shared_ptr<const CachedRun> baseline_kept;
        std::optional<engine::StartState> burnt_in;
        const auto start = [&]() -> const engine::StartState& {
          if (baseline_kept && baseline_kept->start) return *baseline_kept->start;
          if (!burnt_in) burnt_in.emplace(engine::burn_in(models.front(), spec));
          return *burnt_in;
        };
        PlanRun run{point, replicate, &models, {}};
        run.runs.reserve(models.size());
        if (plan.family_savings) run.family_differences.resize(models.size());
        for (std::size_t s = 0; s < models.size(); ++s) {
          const std::size_t compared_with = plan.scenarios[s].compared_with;
          std::shared_ptr<const CachedRun> kept;
          if (cache != nullptr) {
            keys[s] = kept_run_key(plan, models[s].authority, replicate, s == 0 ? std::string() : keys[compared_with]);
            kept = cache->find(keys[s], spec.replicate);
            if (s == 0) baseline_kept = kept;
          }
          if (kept) {
            run.runs.push_back(kept->run);
          } else {
            // Reinvestment against the baseline reads the run it is compared with, by that run's model.
            run.runs.push_back(engine::simulate_from(models[s], spec, start(), models.front(),
                                                     s > 0 ? &run.runs[compared_with] : nullptr, {},
                                                     plan.family_savings, &models[compared_with]));
            if (cache != nullptr)
              cache->store(keys[s], spec.replicate,
                           std::make_shared<const CachedRun>(CachedRun{
                               s == 0 ? std::optional<engine::StartState>(start()) : std::nullopt, run.runs[s]}));
          }
          if (!plan.family_savings || s == 0) continue;
          run.family_differences[s] = family_differences(run.runs[s], run.runs[compared_with], watched[s]);
          if (!compared_with_later(plan, s)) run.runs[s].ledger.release();
        }
        for (auto& kept : run.runs) kept.ledger.release();
        finished(std::move(run));
      });
    });
  });
}

PlanResults run_and_keep(const RunPlan& plan, const UncertainDraws& draws) {
  PlanResults results;
  results.draws = draws;
  results.models = models_of(configurations_of(plan, swept_keys_taken(plan), 0, {}, 0));
  results.runs.assign(plan.scenarios.size(), std::vector<engine::RunResult>(plan.replicates));
  if (plan.family_savings)
    results.family_differences.assign(plan.scenarios.size(), std::vector<FamilyDifferences>(plan.replicates));
  // Each run writes only its own slots, so the order runs finish in changes nothing.
  run_plan(plan, draws, {}, [&](PlanRun&& run) {
    for (std::size_t s = 0; s < run.family_differences.size(); ++s)
      results.family_differences[s][run.replicate] = std::move(run.family_differences[s]);
    for (std::size_t s = 0; s < run.runs.size(); ++s) results.runs[s][run.replicate] = std::move(run.runs[s]);
  });
  return results;
}

}  // namespace ehsim::experiment

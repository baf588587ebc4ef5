// Experiments as data. A run plan names everything an experiment runs: the
// scenarios (the baseline, then each option), the replicates and seed,
// parameter uncertainty drawn per replicate, and sweep points (values of
// swept keys). `ehsim run` and `ehsim sweep` build one from their flags and
// files, and run_plan() executes it: every (point, replicate) burns in once
// under the point's baseline, and every scenario branches from the end of
// that burn-in with the same random numbers (an option that reinvests against
// the baseline measures its savings from the baseline's run of the same point
// and replicate). Points and replicates are tasks on TBB, nested with each
// run's own parallel family loops: a small authority fills the cores with
// runs, a large one with families, and at most one run is in flight per
// thread. Nothing depends on the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "engine/model.hpp"
#include "engine/run_result.hpp"
#include "experiment/run_cache.hpp"

namespace ehsim::experiment {

struct ScenarioPlan {
  std::string name;             // "baseline" for the base configuration
  config::Authority authority;  // resolved and checked
  // The scenario it is compared with, and whose run of the same replicate its
  // reinvestment against the baseline measures savings from: the baseline,
  // or for an option under a future, that future. Always an earlier one.
  std::size_t compared_with = 0;
  // Its place in the decision table (options by futures): an option's name
  // and the future it runs under; an option as planned has no future, a
  // future alone no option.
  std::string option, future;
};

// A key a sweep varies, and which scenarios it is set in.
struct SweptKey {
  std::string key;       // dotted, as ehsim diff names keys
  std::string scenario;  // empty: the baseline, and every option that leaves the key as the base has it
};

struct RunPlan {
  std::vector<ScenarioPlan> scenarios;  // the baseline first
  std::uint64_t seed = 1;
  std::size_t replicates = 1;
  bool trajectories = false;  // keep each family's level by month and the event log
  // Keep each family's spend in every run of a replicate, so that an option's
  // cost for each family it helped is set against the same family in the run
  // it is compared with (run_and_keep: PlanResults::family_differences).
  bool family_savings = false;
  // A sweep: the keys varied, and one row of their values per point; no
  // points: one point, the configurations as given.
  std::vector<SweptKey> swept;
  std::vector<std::vector<double>> points;

  [[nodiscard]] std::size_t point_count() const { return points.empty() ? 1 : points.size(); }
  [[nodiscard]] std::size_t run_count() const { return point_count() * replicates; }
};

// A plan of the base configuration and its options, with the base's seed and
// replicates and no sweep. Each option is compared with the baseline unless
// it says otherwise (compared_with counts the baseline as 0).
RunPlan comparison_plan(const config::Authority& base, const std::vector<ScenarioPlan>& options,
                        bool trajectories = false);

// Parameter uncertainty: each replicate's values of the base's [[uncertainty]]
// keys, the same in every scenario and at every point.
struct UncertainDraws {
  std::vector<std::string> keys;
  std::vector<std::vector<double>> values;  // [replicate][key]; empty without [[uncertainty]]
};

// Draws every replicate's values and checks the configurations they make at
// each point, before anything runs; a ConfigError names the replicate.
UncertainDraws draw_uncertainty(const RunPlan& plan);

// The configurations of one point and replicate, by scenario: as planned,
// with the point's swept values and the replicate's draw. Checked: a problem
// names the scenario and the values set, and where they come from (`where`,
// e.g. "point 3 of the sweep:", by default from the point and replicate).
std::vector<config::Authority> configurations(const RunPlan& plan, std::size_t point, const UncertainDraws& draws,
                                              std::size_t replicate, const std::string& where = {});

// Each family's cost in a scenario against the same family in the run it is
// compared with (the same luck), over one replicate: for every family
// present in either, and for the families the scenario's own services
// (experiment::own_lines) admitted in either run: the ones it helped, or
// for a cut, the ones that lost or kept the service.
struct FamilyDifferences {
  std::int64_t all_families = 0;       // pence: the sum over every family of both runs
  std::vector<std::int64_t> helped;    // pence, per helped family, by id
  std::vector<std::int64_t> by_payer;  // [payer][cashable] pence over the helped; empty if the payers differ
};

// The own services of a scenario as masks of service indices: in its own
// model and in the one it is compared with; not markable when one of them is
// beyond the 64 a ledger marks (then no family is counted as helped).
struct FamilyWatch {
  std::uint64_t scenario = 0, compared_with = 0;
  bool markable = true;
  bool same_payers = true;
};

// What one (point, replicate) produced: a run per scenario, with the models
// they ran.
struct PlanRun {
  std::size_t point = 0;
  std::size_t replicate = 0;
  const std::vector<engine::Model>* models = nullptr;  // by scenario
  std::vector<engine::RunResult> runs;                 // by scenario
  // With family_savings: each scenario's families against the run it is
  // compared with (none for the baseline). The runs' ledgers are summed into
  // these as soon as nothing else needs them, so at most the baseline's and the
  // futures' are held at once.
  std::vector<FamilyDifferences> family_differences;
};

// Runs the (point, replicate) pairs that `wanted` selects (all when empty),
// handing each to `finished` as soon as it is done. `finished` is called from
// the threads that ran the runs, at the same time for different runs, so it
// must be safe to call concurrently; what it does not keep is freed.
// With a cache, a scenario's run that it keeps (the same configuration,
// seed and replicate, branching from the same kept runs) is taken from it,
// and one it does not keep is left there: the same results, without running
// again what an earlier plan ran.
// The key a plan's run of `scenario` (its configuration as the point and
// replicate make it; for the baseline, configurations(...).front()) is kept
// under in a RunCache: `branched_from` is the key of the run it is compared
// with, empty for the baseline.
std::string kept_run_key(const RunPlan& plan, const config::Authority& scenario, std::size_t replicate,
                         const std::string& branched_from = {});

void run_plan(const RunPlan& plan, const UncertainDraws& draws,
              const std::function<bool(std::size_t point, std::size_t replicate)>& wanted,
              const std::function<void(PlanRun&& run)>& finished, RunCache* cache = nullptr);

// A plan's runs kept whole, for a comparison (one point): the models by
// scenario and the runs [scenario][replicate]; with family_savings, each
// scenario's FamilyDifferences [scenario][replicate] (none for the baseline).
struct PlanResults {
  std::vector<engine::Model> models;
  std::vector<std::vector<engine::RunResult>> runs;
  UncertainDraws draws;
  std::vector<std::vector<FamilyDifferences>> family_differences;
};

// The families' costs in one run against another's, by id (both kept a ledger).
FamilyDifferences family_differences(const engine::RunResult& scenario, const engine::RunResult& compared_with,
                                     const FamilyWatch& watch);
PlanResults run_and_keep(const RunPlan& plan, const UncertainDraws& draws);
inline PlanResults run_and_keep(const RunPlan& plan) { return run_and_keep(plan, draw_uncertainty(plan)); }

}  // namespace ehsim::experiment

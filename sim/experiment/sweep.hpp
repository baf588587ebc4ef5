// A sweep as a run plan, what it keeps of each run and what its runs amount
// to. The plan: the base and its options at every point of the design. Of
// each (point, replicate) it keeps one row: every scenario's headline
// measures, then each option's paired differences from the baseline (the same
// random numbers at the same point). Summarised: each point's mean over
// replicates, and the sensitivity of those means to the swept keys (Morris or
// Sobol, with intervals and whether they have converged).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/sweep.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/summary.hpp"

namespace ehsim::experiment {

RunPlan sweep_plan(const config::LoadedSweep& sweep, const SweepDesign& design);

// Checks, before any run, the configurations that each key's lowest and
// highest value among the points make in every scenario; a ConfigError says
// which values.
void check_extremes(const RunPlan& plan);

// The length of a run's row for a plan of `scenarios` (the baseline and its options).
std::size_t sweep_row_length(std::size_t scenarios);
// The row of one (point, replicate).
std::vector<double> sweep_row(const PlanRun& run);

// The sensitivity of each column of a [point, column] table of means.
struct Sensitivity {
  std::vector<MorrisStatistics> morris;  // per column (morris designs)
  std::vector<SobolIndices> sobol;       // per column (sobol designs)
  std::vector<bool> converged;           // per column; empty for other designs
};

struct SweepSummary {
  std::vector<std::string> scenarios;  // the baseline, then each option
  std::size_t points = 0, replicates = 0;
  // Per scenario: [point, replicate, measure] and its mean over replicates [point, measure].
  std::vector<Table> measures, means;
  // Per option (scenario 1 on): [point, replicate, comparison measure], and the mean.
  std::vector<Table> differences, difference_means;
  Sensitivity baseline_sensitivity;                   // of the baseline's mean measures
  std::vector<Sensitivity> difference_sensitivities;  // per option, of its mean differences
};

// `rows`: every run's row, by run index (point * replicates + replicate).
SweepSummary summarise_sweep(const config::SweepConfig& sweep, const SweepDesign& design,
                             const std::vector<std::string>& scenarios, const std::vector<std::vector<double>>& rows);

}  // namespace ehsim::experiment

// The short, readable account of a comparison printed after `ehsim run`,
// from its summary (experiment/summary.hpp): nothing here computes a
// statistic of its own.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "experiment/summary.hpp"

namespace ehsim::cli {

struct RunTiming {
  double seconds = 0;
  int threads = 0;
  int scenarios = 1;  // the runs timed: the baseline's, times this
};

// The baseline: its authority, levels, themes, services, dashboard and spend.
void print_run_summary(std::ostream& out, const engine::Model& model, const experiment::Summary& summary,
                       const std::string& config_source, const RunTiming& timing);

// What an option changes against the baseline, per replicate with the same
// random numbers: means and 95% intervals of the headline differences.
void print_comparison(std::ostream& out, const engine::Model& option_model, const engine::Model& baseline_model,
                      const experiment::Summary& summary, const experiment::ComparisonSummary& comparison);

// The options (not the futures) ranked against each other, as they all meet
// the baseline's random numbers: by net cost per level 4 family-month
// avoided, and by net cost in cash. Nothing when there are fewer than two.
void print_ranking(std::ostream& out, const std::vector<engine::Model>& models, const experiment::Summary& summary);

// Every two options as planned set against each other, replicate by
// replicate: net cost with its range of outcomes, in cash, level 4
// family-months and how often the first spends less. Nothing with fewer than two.
void print_pairs(std::ostream& out, const experiment::Summary& summary);

// The decision table: each option as planned and under each future (a
// --future), against that future without the option with the same random
// numbers: net cost with the range of outcomes, in cash, level 4
// family-months and the chance it saves money. Nothing without futures.
void print_decision_table(std::ostream& out, const experiment::Summary& summary);

std::string thousands(long long value);  // 35300 -> "35,300"

}  // namespace ehsim::cli

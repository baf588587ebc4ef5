// What the runs of a scenario amount to, and what an option changes against
// the baseline: headline measures per run, their paired differences per
// replicate (common random numbers make these far less noisy than the
// measures themselves), and statistics across replicates.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::experiment {

// Headline measures of one run (columns of the measures tables).
namespace measure {
enum : std::size_t {
  spend_nominal = 0,                  // pence over the horizon
  spend_discounted = 1,               // pence, discounted to the start month
  top_level_family_months = 2,        // families at the top level (level 4), summed over months
  top_level_child_months = 3,         // children in them
  children_in_care_child_months = 4,  // children in children_in_care services, summed over months
  children_in_care_at_end = 5,
  children_on_plans_at_end = 6,
  early_help_case_months = 7,  // open early help cases, summed over months
  // Costs outside spend (costs.partners), pence over the horizon, each
  // account apart: partner agencies' spend, lost output, wellbeing.
  partner_costs_fiscal = 8,
  economic_costs = 9,
  social_costs = 10,
  count = 11
};
const char* name(std::size_t column);
const char* unit(std::size_t column);
}  // namespace measure

// What an option changes, per replicate (columns of the comparison tables).
namespace comparison {
enum : std::size_t {
  // measure::count differences, option - baseline, first
  // pence: the rise in spend on the lines that cost more (services, universal;
  // the option's own statutory services of one kind are one line)
  investment = measure::count,
  savings,                                  // pence: the fall in spend on the lines that cost less
  return_per_pound,                         // savings / investment (NaN without investment)
  cost_per_top_level_family_month_avoided,  // pence: spend difference / level 4 family-months avoided (NaN if none)
  break_even_month,  // first month from which the cumulative spend difference stays at or below 0; -1 never
  saves_money,       // 1 if the discounted spend difference is below 0, else 0
  own_lines,         // pence: the change in spend on the lines the option itself changes (+ spends more, - cuts)
  consequence,       // pence: the change in spend on every other line (- saves, + costs more)
  // pence: the spend difference adjusted for optimism bias (the option's
  // costs.optimism_bias_*): own lines and consequence, each rise raised by the
  // cost uplift and each fall lowered by the saving reduction, as two totals
  net_adjusted_for_optimism_bias,
  count
};
const char* name(std::size_t column);
const char* unit(std::size_t column);
}  // namespace comparison

std::array<double, measure::count> headline_measures(const engine::Model& model, const engine::RunResult& run);

// The spend lines an option itself changes: the services whose keys its
// overlay changes (added, removed, changed, or receiving its reinvestment),
// and universal costs when it changes them. A statutory service it adds or
// changes brings in every statutory service of the same kind, so that a case
// relabelled from one to the other (a children in need plan with a family
// group conference) is not both an investment and a saving.
struct OwnLines {
  std::vector<std::string> services;    // names, in the option or the baseline
  std::vector<std::string> named;       // labels of the services its keys change, for sentences
  std::vector<std::string> taken_over;  // labels of the statutory services of the same kinds it brings in
  bool universal = false;
};
OwnLines own_lines(const config::Authority& baseline, const config::Authority& option);

std::array<double, comparison::count> compare(const engine::Model& option_model, const engine::RunResult& option,
                                              const engine::Model& baseline_model, const engine::RunResult& baseline,
                                              const OwnLines* own = nullptr);

// Statistics across replicates of one column: mean, standard deviation, 95%
// interval of the mean (Student's t), and quantiles for fan charts. NaN
// values (a ratio with nothing to divide by) are left out; `count` says how
// many were used.
inline constexpr std::array<double, 5> fan_quantiles{0.05, 0.25, 0.5, 0.75, 0.95};
namespace statistic {
enum : std::size_t { mean = 0, sd, ci95_low, ci95_high, q05, q25, q50, q75, q95, count_used, count };
const char* name(std::size_t row);
}  // namespace statistic
std::array<double, statistic::count> describe(std::vector<double> values);

// Quantile of sorted values (linear interpolation, as numpy's default).
double quantile_of_sorted(const std::vector<double>& sorted, double q);
// The same of values in any order.
double percentile(std::vector<double> values, double q);

}  // namespace ehsim::experiment

// What a comparison's runs amount to, computed in one place for the
// terminal, the results file and the board report: for each scenario, every
// measure's mean over replicates, the headline measures of each replicate
// and their statistics, spend by financial year and the fan chart of demand;
// for each option, its paired differences from the baseline (same random
// numbers) and their statistics.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"

namespace ehsim::experiment {

// A table of doubles with its shape, row-major.
struct Table {
  std::vector<std::size_t> shape;
  std::vector<double> values;

  [[nodiscard]] double operator()(std::size_t i) const { return values[i]; }
  [[nodiscard]] double operator()(std::size_t i, std::size_t j) const { return values[i * shape[1] + j]; }
  [[nodiscard]] double operator()(std::size_t i, std::size_t j, std::size_t k) const {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
  // The sum of the entries [i, j] over i (months, or replicates).
  [[nodiscard]] double sum_over_first(std::size_t j) const {
    double total = 0;
    for (std::size_t i = 0; i < shape[0]; ++i) total += (*this)(i, j);
    return total;
  }
  [[nodiscard]] double sum() const {
    double total = 0;
    for (const double v : values) total += v;
    return total;
  }
};

struct ScenarioSummary {
  std::string name;
  std::string option, future;  // its place in the decision table, as planned (ScenarioPlan)
  // Per measure of the registry (engine::measures()), in its order: the mean
  // over replicates, in the measure's shape; and for those also given by
  // financial year, the mean of that.
  std::vector<Table> means;
  std::vector<Table> financial_year_means;  // empty tables for measures not given by year
  Table measures;                           // [replicate, measure]: headline measures
  Table measure_statistics;                 // [statistic, measure]
  // Spend per financial year in pence: [replicate, financial year], and its statistics.
  std::vector<std::int64_t> spend_by_year, spend_discounted_by_year;
  Table spend_by_year_statistics;
  Table stock_families_quantiles;  // [quantile, month, level]: fan charts
  // The lowest and highest replicate's families at each level in the last month.
  std::vector<std::int64_t> end_stock_lowest, end_stock_highest;

  // The mean over replicates of a measure, by its RunResult member.
  [[nodiscard]] const Table& mean(engine::CountArray engine::RunResult::*member) const;
  [[nodiscard]] const Table& financial_year_mean(engine::CountArray engine::RunResult::*member) const;
};

// Columns of a comparison's savings per family helped: the families the
// option's own services admitted, each family's cost in the option minus the
// same family's in the run it is compared with (pence; negative: a saving).
namespace family_column {
enum : std::size_t {
  helped_families = 0,  // families the option's own services admitted
  mean,                 // their mean cost difference
  q25,
  q50,
  q75,
  share_cost_more,  // the share of them that cost more in the option
  all_families,     // the sum over every family of both runs: the spend difference, to the penny
  count
};
const char* name(std::size_t column);
}  // namespace family_column

struct ComparisonSummary {
  std::size_t option = 0, baseline = 0;  // scenario indices
  Table differences;                     // [replicate, comparison measure], option minus baseline
  Table statistics;                      // [statistic, comparison measure]
  std::vector<std::int64_t> spend_by_year_difference, spend_discounted_by_year_difference;  // [replicate, year]
  Table spend_by_year_difference_statistics, spend_discounted_by_year_difference_statistics;
  // With family savings (else empty): per replicate [replicate, family_column];
  // the helped families of every replicate pooled [family_column] (helped
  // families: the mean a replicate; all families: the mean over replicates);
  // and the mean per helped family by payer [replicate, payer, cashable].
  Table family, family_pooled, family_by_payer;
};

// Columns of a pair of options set against each other (first minus second,
// the same replicate, so the same random numbers).
namespace pair_column {
enum : std::size_t {
  // measure::count differences of the headline measures first
  cash_spend = measure::count,  // pence: the difference in cashable spend over the horizon
  first_costs_less,             // 1 if the first option's spend is below the second's, else 0
  first_fewer_top_level,        // 1 if the first has fewer level 4 family-months, else 0
  count
};
const char* name(std::size_t column);
const char* unit(std::size_t column);
}  // namespace pair_column

// Two options compared with the same scenario (the baseline, or the same
// future), set against each other replicate by replicate.
struct PairSummary {
  std::size_t first = 0, second = 0;  // scenario indices, first planned earlier
  Table differences;                  // [replicate, pair_column], first minus second
  Table statistics;                   // [statistic, pair_column]
};

struct Summary {
  std::size_t replicates = 0;
  std::vector<std::int64_t> financial_years;   // the years the run covers, by the year they start in
  std::vector<std::size_t> year_of_month;      // index into financial_years of each month
  std::vector<ScenarioSummary> scenarios;      // as planned: the baseline first
  std::vector<ComparisonSummary> comparisons;  // each scenario against the one it is compared with
  std::vector<PairSummary> pairs;              // every two options under the same future, in plan order
};

Summary summarise(const RunPlan& plan, const PlanResults& results);

// A comparison's spend difference by payer, [payer][0 not cashable,
// 1 cashable], in pence, of the means over replicates; empty when the two
// scenarios do not have the same payers.
std::vector<std::array<double, 2>> payer_differences(const Summary& summary, const ComparisonSummary& comparison);

// Statistics of each column of a [row, column] table: [statistic, column].
Table column_statistics(const std::vector<double>& table, std::size_t columns);

// Sums the months of a [month, ...] array into financial years (a measure
// given by year as its ByYear says: summed, or the dashboard's stocks as at
// the year's last month).
template <class T>
std::vector<T> by_financial_year(const std::vector<T>& monthly, const std::vector<std::size_t>& shape,
                                 const std::vector<std::size_t>& year_of_month, bool dashboard);

}  // namespace ehsim::experiment

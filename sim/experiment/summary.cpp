#include "experiment/summary.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "engine/calendar.hpp"
#include "engine/measures.hpp"

namespace ehsim::experiment {

namespace {

using engine::RunResult;

// Spend per financial year of each run, in pence: [replicate, year];
// undiscounted, or discounted to the start month.
std::vector<std::int64_t> spend_by_year(const std::vector<RunResult>& runs, const Summary& summary, bool discounted) {
  const std::size_t years = summary.financial_years.size();
  std::vector<std::int64_t> table(runs.size() * years, 0);
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t m = 0; m < summary.year_of_month.size(); ++m) {
      std::int64_t& cell = table[r * years + summary.year_of_month[m]];
      if (discounted) {
        cell += runs[r].spend_discounted(m);
        continue;
      }
      for (std::size_t k = 0; k < runs[r].spend_by_level.shape[1]; ++k) cell += runs[r].spend_by_level(m, k);
    }
  return table;
}

std::vector<double> as_doubles(const std::vector<std::int64_t>& values) { return {values.begin(), values.end()}; }

ScenarioSummary summarise_scenario(const std::string& name, const engine::Model& model,
                                   const std::vector<RunResult>& runs, const Summary& summary) {
  ScenarioSummary out;
  out.name = name;
  const auto replicates = static_cast<double>(runs.size());
  for (const auto& measure : engine::measures()) {
    const engine::CountArray& first = runs.front().*measure.member;
    Table mean{first.shape, std::vector<double>(first.values.size(), 0.0)};
    for (const auto& run : runs) {
      const auto& values = (run.*measure.member).values;
      for (std::size_t c = 0; c < values.size(); ++c) mean.values[c] += static_cast<double>(values[c]);
    }
    for (double& value : mean.values) value /= replicates;
    Table yearly;
    if (measure.by_year != engine::ByYear::no) {
      yearly.shape = mean.shape;
      yearly.shape.front() = summary.financial_years.size();
      yearly.values = by_financial_year(mean.values, mean.shape, summary.year_of_month,
                                        measure.by_year == engine::ByYear::dashboard);
    }
    out.means.push_back(std::move(mean));
    out.financial_year_means.push_back(std::move(yearly));
  }
  out.measures.shape = {runs.size(), measure::count};
  for (const auto& run : runs) {
    const auto row = headline_measures(model, run);
    out.measures.values.insert(out.measures.values.end(), row.begin(), row.end());
  }
  out.measure_statistics = column_statistics(out.measures.values, measure::count);
  out.spend_by_year = spend_by_year(runs, summary, false);
  out.spend_discounted_by_year = spend_by_year(runs, summary, true);
  out.spend_by_year_statistics = column_statistics(as_doubles(out.spend_by_year), summary.financial_years.size());

  const auto months = static_cast<std::size_t>(model.months);
  const auto levels = static_cast<std::size_t>(model.level_count);
  out.stock_families_quantiles = {{fan_quantiles.size(), months, levels},
                                  std::vector<double>(fan_quantiles.size() * months * levels, 0.0)};
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t k = 0; k < levels; ++k) {
      std::vector<double> values;
      for (const auto& run : runs) values.push_back(static_cast<double>(run.stock_families(m, k)));
      const auto stats = describe(values);
      for (std::size_t q = 0; q < fan_quantiles.size(); ++q)
        out.stock_families_quantiles.values[(q * months + m) * levels + k] = stats[statistic::q05 + q];
    }
  out.end_stock_lowest.assign(levels, std::numeric_limits<std::int64_t>::max());
  out.end_stock_highest.assign(levels, std::numeric_limits<std::int64_t>::min());
  for (const auto& run : runs)
    for (std::size_t k = 0; k < levels && months > 0; ++k) {
      out.end_stock_lowest[k] = std::min(out.end_stock_lowest[k], run.stock_families(months - 1, k));
      out.end_stock_highest[k] = std::max(out.end_stock_highest[k], run.stock_families(months - 1, k));
    }
  return out;
}

ComparisonSummary summarise_comparison(std::size_t option, std::size_t baseline, const PlanResults& results,
                                       const Summary& summary) {
  ComparisonSummary out;
  out.option = option;
  out.baseline = baseline;
  const auto& a = results.runs[option];
  const auto& b = results.runs[baseline];
  const std::size_t replicates = std::min(a.size(), b.size());
  out.differences.shape = {replicates, comparison::count};
  const OwnLines own = own_lines(results.models[baseline].authority, results.models[option].authority);
  for (std::size_t r = 0; r < replicates; ++r) {
    const auto row = compare(results.models[option], a[r], results.models[baseline], b[r], &own);
    out.differences.values.insert(out.differences.values.end(), row.begin(), row.end());
  }
  out.statistics = column_statistics(out.differences.values, comparison::count);
  const std::size_t years = summary.financial_years.size();
  const auto difference = [](const std::vector<std::int64_t>& x, const std::vector<std::int64_t>& y) {
    std::vector<std::int64_t> d(std::min(x.size(), y.size()));
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = x[i] - y[i];
    return d;
  };
  const auto& option_summary = summary.scenarios[option];
  const auto& baseline_summary = summary.scenarios[baseline];
  out.spend_by_year_difference = difference(option_summary.spend_by_year, baseline_summary.spend_by_year);
  out.spend_discounted_by_year_difference =
      difference(option_summary.spend_discounted_by_year, baseline_summary.spend_discounted_by_year);
  out.spend_by_year_difference_statistics = column_statistics(as_doubles(out.spend_by_year_difference), years);
  out.spend_discounted_by_year_difference_statistics =
      column_statistics(as_doubles(out.spend_discounted_by_year_difference), years);
  return out;
}

// Savings per family helped, from each replicate's family differences.
void summarise_families(ComparisonSummary& out, const std::vector<FamilyDifferences>& replicates) {
  namespace fc = family_column;
  namespace st = statistic;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Families, their mean and quartiles (describe), and the share that cost more.
  const auto row_of = [nan](const std::vector<double>& values, double families, double all) {
    const auto stats = describe(values);
    double more = 0;
    for (const double v : values) more += v > 0;
    return std::array<double, fc::count>{families,
                                         stats[st::mean],
                                         stats[st::q25],
                                         stats[st::q50],
                                         stats[st::q75],
                                         values.empty() ? nan : more / static_cast<double>(values.size()),
                                         all};
  };
  const std::size_t columns = replicates.empty() ? 0 : replicates.front().by_payer.size();
  out.family = {{replicates.size(), fc::count}, {}};
  out.family_by_payer = {{replicates.size(), columns / 2, 2}, {}};
  std::vector<double> pooled;
  double all = 0;
  for (const auto& replicate : replicates) {
    const std::vector<double> helped(replicate.helped.begin(), replicate.helped.end());
    pooled.insert(pooled.end(), helped.begin(), helped.end());
    const auto row = row_of(helped, static_cast<double>(helped.size()), static_cast<double>(replicate.all_families));
    out.family.values.insert(out.family.values.end(), row.begin(), row.end());
    for (std::size_t c = 0; c < columns; ++c)
      out.family_by_payer.values.push_back(
          helped.empty() ? 0.0 : static_cast<double>(replicate.by_payer[c]) / static_cast<double>(helped.size()));
    all += static_cast<double>(replicate.all_families);
  }
  const auto count = static_cast<double>(replicates.size());
  const auto row =
      row_of(pooled, count > 0 ? static_cast<double>(pooled.size()) / count : nan, count > 0 ? all / count : nan);
  out.family_pooled = {{fc::count}, {row.begin(), row.end()}};
}

// A run's cashable spend over the horizon, in pence.
std::int64_t cashable_spend(const RunResult& run) {
  std::int64_t total = 0;
  const auto& shape = run.spend_by_payer.shape;
  for (std::size_t m = 0; m < shape[0]; ++m)
    for (std::size_t p = 0; p < shape[1]; ++p) total += run.spend_by_payer(m, p, 1);
  return total;
}

// Every two options compared with the same scenario, set against each other.
std::vector<PairSummary> summarise_pairs(const RunPlan& plan, const PlanResults& results, const Summary& summary) {
  namespace pc = pair_column;
  std::vector<PairSummary> pairs;
  const auto is_option = [&](std::size_t s) {
    return s > 0 && plan.scenarios[s].authority.kind == config::ScenarioKind::option;
  };
  for (std::size_t i = 1; i < plan.scenarios.size(); ++i)
    for (std::size_t j = i + 1; j < plan.scenarios.size(); ++j) {
      if (!is_option(i) || !is_option(j) || plan.scenarios[i].compared_with != plan.scenarios[j].compared_with)
        continue;
      PairSummary pair;
      pair.first = i;
      pair.second = j;
      const auto& a = summary.scenarios[i].measures;
      const auto& b = summary.scenarios[j].measures;
      const std::size_t replicates = std::min(a.shape[0], b.shape[0]);
      pair.differences.shape = {replicates, pc::count};
      for (std::size_t r = 0; r < replicates; ++r) {
        std::array<double, pc::count> row{};
        for (std::size_t c = 0; c < measure::count; ++c) row[c] = a(r, c) - b(r, c);
        row[pc::cash_spend] =
            static_cast<double>(cashable_spend(results.runs[i][r]) - cashable_spend(results.runs[j][r]));
        row[pc::first_costs_less] = row[measure::spend_nominal] < 0 ? 1 : 0;
        row[pc::first_fewer_top_level] = row[measure::top_level_family_months] < 0 ? 1 : 0;
        pair.differences.values.insert(pair.differences.values.end(), row.begin(), row.end());
      }
      pair.statistics = column_statistics(pair.differences.values, pc::count);
      pairs.push_back(std::move(pair));
    }
  return pairs;
}

std::size_t registry_index(engine::CountArray RunResult::*member) {
  const auto& registry = engine::measures();
  for (std::size_t c = 0; c < registry.size(); ++c)
    if (registry[c].member == member) return c;
  throw std::logic_error("a RunResult member without a measure declaration");
}

}  // namespace

const char* family_column::name(std::size_t column) {
  static const char* names[count] = {"helped_families", "mean", "q25", "q50", "q75", "share_cost_more", "all_families"};
  return names[column];
}

const char* pair_column::name(std::size_t column) {
  if (column < measure::count) return measure::name(column);
  static const char* names[std::size_t{count} - std::size_t{measure::count}] = {"cash_spend", "first_costs_less",
                                                                                "first_fewer_top_level"};
  return names[column - measure::count];
}

const char* pair_column::unit(std::size_t column) {
  if (column < measure::count) return measure::unit(column);
  static const char* units[std::size_t{count} - std::size_t{measure::count}] = {"pence", "1 or 0", "1 or 0"};
  return units[column - measure::count];
}

const Table& ScenarioSummary::mean(engine::CountArray RunResult::*member) const {
  return means.at(registry_index(member));
}

const Table& ScenarioSummary::financial_year_mean(engine::CountArray RunResult::*member) const {
  return financial_year_means.at(registry_index(member));
}

Table column_statistics(const std::vector<double>& table, std::size_t columns) {
  const std::size_t rows = columns ? table.size() / columns : 0;
  Table out{{statistic::count, columns}, std::vector<double>(statistic::count * columns, 0.0)};
  for (std::size_t c = 0; c < columns; ++c) {
    std::vector<double> column;
    for (std::size_t r = 0; r < rows; ++r) column.push_back(table[r * columns + c]);
    const auto stats = describe(column);
    for (std::size_t s = 0; s < statistic::count; ++s) out.values[s * columns + c] = stats[s];
  }
  return out;
}

template <class T>
std::vector<T> by_financial_year(const std::vector<T>& monthly, const std::vector<std::size_t>& shape,
                                 const std::vector<std::size_t>& year_of_month, bool dashboard) {
  const std::size_t years = year_of_month.empty() ? 0 : year_of_month.back() + 1;
  const std::size_t months = shape.empty() ? 0 : shape.front();
  const std::size_t row = months > 0 ? monthly.size() / months : 0;
  std::vector<T> yearly(years * row, T{});
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t c = 0; c < row; ++c) {
      T& cell = yearly[year_of_month[m] * row + c];
      // The dashboard's stocks are as at the year's last month in the run.
      if (dashboard && engine::indicator::is_stock(c))
        cell = monthly[m * row + c];
      else
        cell += monthly[m * row + c];
    }
  return yearly;
}

template std::vector<std::int64_t> by_financial_year(const std::vector<std::int64_t>&, const std::vector<std::size_t>&,
                                                     const std::vector<std::size_t>&, bool);
template std::vector<double> by_financial_year(const std::vector<double>&, const std::vector<std::size_t>&,
                                               const std::vector<std::size_t>&, bool);

std::vector<std::array<double, 2>> payer_differences(const Summary& summary, const ComparisonSummary& comparison) {
  const auto& option = summary.scenarios[comparison.option].mean(&RunResult::spend_by_payer);
  const auto& baseline = summary.scenarios[comparison.baseline].mean(&RunResult::spend_by_payer);
  if (option.shape != baseline.shape || option.shape.size() != 3 || option.shape[2] != 2) return {};
  std::vector<std::array<double, 2>> by_payer(option.shape[1], {0.0, 0.0});
  for (std::size_t m = 0; m < option.shape[0]; ++m)
    for (std::size_t p = 0; p < option.shape[1]; ++p)
      for (std::size_t c = 0; c < 2; ++c) by_payer[p][c] += option(m, p, c) - baseline(m, p, c);
  return by_payer;
}

Summary summarise(const RunPlan& plan, const PlanResults& results) {
  Summary summary;
  summary.replicates = plan.replicates;
  const engine::Model& baseline = results.models.front();
  const auto start = engine::parse_calendar_month(baseline.authority.simulation.start_month);
  for (int m = 0; m < baseline.months; ++m) {
    const int year = engine::financial_year(engine::add_months(start, m));
    if (summary.financial_years.empty() || summary.financial_years.back() != year)
      summary.financial_years.push_back(year);
    summary.year_of_month.push_back(summary.financial_years.size() - 1);
  }
  for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
    summary.scenarios.push_back(
        summarise_scenario(plan.scenarios[s].name, results.models[s], results.runs[s], summary));
    summary.scenarios.back().option = plan.scenarios[s].option;
    summary.scenarios.back().future = plan.scenarios[s].future;
  }
  for (std::size_t s = 1; s < plan.scenarios.size(); ++s) {
    summary.comparisons.push_back(summarise_comparison(s, plan.scenarios[s].compared_with, results, summary));
    if (!results.family_differences.empty())
      summarise_families(summary.comparisons.back(), results.family_differences[s]);
  }
  summary.pairs = summarise_pairs(plan, results, summary);
  return summary;
}

}  // namespace ehsim::experiment

#include "experiment/sweep.hpp"

#include <algorithm>

#include "experiment/comparison.hpp"

namespace ehsim::experiment {

namespace {

// [point, replicate, width] and its mean over replicates [point, width] of a
// block of columns of the rows.
std::pair<Table, Table> block_of(const std::vector<std::vector<double>>& rows, std::size_t points,
                                 std::size_t replicates, std::size_t offset, std::size_t width) {
  Table all{{points, replicates, width}, std::vector<double>(points * replicates * width, 0.0)};
  Table mean{{points, width}, std::vector<double>(points * width, 0.0)};
  for (std::size_t p = 0; p < points; ++p)
    for (std::size_t r = 0; r < replicates; ++r) {
      const auto& row = rows[p * replicates + r];
      for (std::size_t c = 0; c < width; ++c) {
        all.values[(p * replicates + r) * width + c] = row[offset + c];
        mean.values[p * width + c] += row[offset + c] / static_cast<double>(replicates);
      }
    }
  return {std::move(all), std::move(mean)};
}

Sensitivity sensitivity_of(const config::SweepConfig& sweep, const SweepDesign& design, const Table& means) {
  Sensitivity out;
  const std::size_t parameters = sweep.parameters.size();
  const std::size_t points = means.shape[0], columns = means.shape[1];
  const auto column = [&](std::size_t c) {
    std::vector<double> y;
    for (std::size_t p = 0; p < points; ++p) y.push_back(means(p, c));
    return y;
  };
  const auto seed = static_cast<std::uint64_t>(sweep.seed);
  for (std::size_t c = 0; c < columns; ++c) {
    if (sweep.design == config::Design::morris) {
      out.morris.push_back(morris(design, column(c), parameters, seed));
      out.converged.push_back(converged(out.morris.back()));
    } else if (sweep.design == config::Design::sobol) {
      out.sobol.push_back(sobol(design, column(c), parameters, seed));
      out.converged.push_back(converged(out.sobol.back()));
    }
  }
  return out;
}

}  // namespace

RunPlan sweep_plan(const config::LoadedSweep& loaded, const SweepDesign& design) {
  RunPlan plan;
  plan.scenarios.push_back({"baseline", loaded.base});
  for (const auto& option : loaded.options) plan.scenarios.push_back({option.name, option.authority});
  plan.seed = static_cast<std::uint64_t>(loaded.sweep.seed);
  plan.replicates = static_cast<std::size_t>(loaded.sweep.replicates);
  for (const auto& parameter : loaded.sweep.parameters) plan.swept.push_back({parameter.key, parameter.scenario});
  plan.points = design.points;
  return plan;
}

void check_extremes(const RunPlan& plan) {
  if (plan.points.empty()) return;
  RunPlan extremes = plan;
  extremes.points = {plan.points.front(), plan.points.front()};
  for (const auto& point : plan.points)
    for (std::size_t k = 0; k < point.size(); ++k) {
      extremes.points[0][k] = std::min(extremes.points[0][k], point[k]);
      extremes.points[1][k] = std::max(extremes.points[1][k], point[k]);
    }
  (void)configurations(extremes, 0, {}, 0, "the sweep's lowest values:");
  (void)configurations(extremes, 1, {}, 0, "the sweep's highest values:");
}

std::size_t sweep_row_length(std::size_t scenarios) {
  return scenarios * measure::count + (scenarios > 0 ? scenarios - 1 : 0) * comparison::count;
}

std::vector<double> sweep_row(const PlanRun& run) {
  const auto& models = *run.models;
  std::vector<double> row;
  for (std::size_t s = 0; s < run.runs.size(); ++s) {
    const auto measures = headline_measures(models[s], run.runs[s]);
    row.insert(row.end(), measures.begin(), measures.end());
  }
  for (std::size_t s = 1; s < run.runs.size(); ++s) {
    const auto differences = compare(models[s], run.runs[s], models.front(), run.runs.front());
    row.insert(row.end(), differences.begin(), differences.end());
  }
  return row;
}

SweepSummary summarise_sweep(const config::SweepConfig& sweep, const SweepDesign& design,
                             const std::vector<std::string>& scenarios, const std::vector<std::vector<double>>& rows) {
  SweepSummary out;
  out.scenarios = scenarios;
  out.points = design.points.size();
  out.replicates = static_cast<std::size_t>(sweep.replicates);
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    auto [all, mean] = block_of(rows, out.points, out.replicates, s * measure::count, measure::count);
    out.measures.push_back(std::move(all));
    out.means.push_back(std::move(mean));
  }
  for (std::size_t s = 1; s < scenarios.size(); ++s) {
    const std::size_t offset = scenarios.size() * measure::count + (s - 1) * comparison::count;
    auto [all, mean] = block_of(rows, out.points, out.replicates, offset, comparison::count);
    out.differences.push_back(std::move(all));
    out.difference_means.push_back(std::move(mean));
  }
  out.baseline_sensitivity = sensitivity_of(sweep, design, out.means.front());
  for (const auto& means : out.difference_means)
    out.difference_sensitivities.push_back(sensitivity_of(sweep, design, means));
  return out;
}

}  // namespace ehsim::experiment

#include "serve/runner.hpp"

#include <algorithm>
#include <chrono>

#include <oneapi/tbb/info.h>
#include <nlohmann/json.hpp>

#include "config/load.hpp"
#include "engine/model.hpp"
#include "engine/run_result.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"
#include "output/results_file.hpp"

namespace ehsim::serve {

namespace {

using nlohmann::json;
namespace st = experiment::statistic;

json statistics_of(const experiment::Table& statistics, std::size_t column) {
  const auto value = [&](std::size_t row) {
    const double v = statistics(row, column);
    return std::isfinite(v) ? json(v) : json(nullptr);
  };
  return {{"mean", value(st::mean)},       {"ci95_low", value(st::ci95_low)}, {"ci95_high", value(st::ci95_high)},
          {"q05", value(st::q05)},         {"q50", value(st::q50)},           {"q95", value(st::q95)},
          {"count", value(st::count_used)}};
}

// Families at each level by month: the mean and the 5%, 50% and 95% of replicates (fan charts).
json demand_of(const experiment::ScenarioSummary& scenario) {
  const auto& mean = scenario.mean(&engine::RunResult::stock_families);
  const auto& quantiles = scenario.stock_families_quantiles;  // [quantile, month, level]
  const std::size_t months = mean.shape[0], levels = mean.shape[1];
  json out = {{"mean", json::array()}, {"q05", json::array()}, {"q50", json::array()}, {"q95", json::array()}};
  for (std::size_t k = 0; k < levels; ++k) {
    json m = json::array(), low = json::array(), mid = json::array(), high = json::array();
    for (std::size_t t = 0; t < months; ++t) {
      m.push_back(mean(t, k));
      low.push_back(quantiles(0, t, k));
      mid.push_back(quantiles(2, t, k));
      high.push_back(quantiles(4, t, k));
    }
    out["mean"].push_back(m);
    out["q05"].push_back(low);
    out["q50"].push_back(mid);
    out["q95"].push_back(high);
  }
  return out;
}

// Each service's month on average (means over replicates and months): its
// capacity, open cases and families waiting, and those waiting at the end.
json services_of(const engine::Model& model, const experiment::ScenarioSummary& scenario) {
  const auto& capacity = scenario.mean(&engine::RunResult::service_capacity);
  const auto& caseload = scenario.mean(&engine::RunResult::service_caseload);
  const auto& waiting = scenario.mean(&engine::RunResult::service_waiting);
  json out = json::array();
  if (capacity.shape.size() < 2) return out;
  const std::size_t months = capacity.shape[0];
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    const auto& service = model.authority.services[s];
    const auto average = [&](const experiment::Table& table) {
      return table.sum_over_first(s) / static_cast<double>(months);
    };
    out.push_back({{"name", service.name},
                   {"label", service.label.empty() ? service.name : service.label},
                   {"statutory", service.statutory()},
                   {"capacity_mean", average(capacity)},
                   {"caseload_mean", average(caseload)},
                   {"waiting_mean", average(waiting)},
                   {"waiting_end", waiting(months - 1, s)}});
  }
  return out;
}

// The seed authorities' dashboard by financial year (flows summed, stocks as
// at the year's end), mean over replicates: {names, by_year [year][indicator]}.
json dashboard_of(const experiment::ScenarioSummary& scenario) {
  const auto& yearly = scenario.financial_year_mean(&engine::RunResult::indicators);
  json names = json::array(), by_year = json::array();
  for (const auto name : engine::indicator::names) names.push_back(std::string(name));
  if (yearly.shape.size() == 2)
    for (std::size_t y = 0; y < yearly.shape[0]; ++y) {
      json row = json::array();
      for (std::size_t c = 0; c < yearly.shape[1]; ++c) row.push_back(yearly(y, c));
      by_year.push_back(row);
    }
  return {{"names", names}, {"by_year", by_year}};
}

// What a finished run returns: the scenarios' demand and spend, and the
// option's paired differences from the base with their statistics (money in
// pence, real terms at the base's price year).
std::string comparison_json(const RunRequest& request, const experiment::Summary& summary,
                            const std::vector<engine::Model>& models) {
  const auto& authority = request.base;
  json levels = json::array();
  for (const auto& level : authority.levels) levels.push_back(level.label.empty() ? level.name : level.label);
  json out = {{"authority", request.authority},
              {"option", request.option},
              {"option_description", request.changed.description},
              {"start_month", authority.simulation.start_month},
              {"months", authority.simulation.months},
              {"replicates", summary.replicates},
              {"price_year", authority.costs.price_year},
              {"levels", levels},
              {"financial_years", summary.financial_years}};
  json scenarios = json::object();
  for (std::size_t s = 0; s < summary.scenarios.size(); ++s) {
    const auto& scenario = summary.scenarios[s];
    json spend = json::array();
    for (std::size_t y = 0; y < summary.financial_years.size(); ++y)
      spend.push_back(scenario.spend_by_year_statistics(st::mean, y));
    scenarios[scenario.name] = {{"demand", demand_of(scenario)},
                                {"spend_by_year_mean", spend},
                                {"services", services_of(models[s], scenario)},
                                {"dashboard", dashboard_of(scenario)}};
  }
  out["scenarios"] = scenarios;
  const auto& comparison = summary.comparisons.at(0);
  json differences = json::object();
  for (std::size_t c = 0; c < experiment::comparison::count; ++c)
    differences[experiment::comparison::name(c)] = statistics_of(comparison.statistics, c);
  out["differences"] = differences;
  // Who pays, cash and not: the option's spend less the base's, mean over replicates.
  const auto cash_of = [&](const experiment::ComparisonSummary& cell) {
    double cash = 0;
    for (const auto& [not_cashable, cashable] : experiment::payer_differences(summary, cell)) cash += cashable;
    return cash;
  };
  json payers = json::array();
  const auto by_payer = experiment::payer_differences(summary, comparison);
  for (std::size_t p = 0; p < by_payer.size(); ++p)
    payers.push_back({{"payer", models.front().authority.costs.payers[p]},
                      {"total", by_payer[p][0] + by_payer[p][1]},
                      {"cashable", by_payer[p][1]}});
  const double cash = cash_of(comparison);
  out["by_payer"] = payers;
  out["cash_difference_mean"] = cash;
  // The decision table: the option as planned and under each future, each
  // against that future without it.
  json decision = json::array();
  for (const auto& cell : summary.comparisons) {
    const auto& scenario = summary.scenarios[cell.option];
    if (scenario.option != request.option) continue;  // a future alone, or the option it is set against
    decision.push_back(
        {{"future", scenario.future},
         {"spend_nominal", statistics_of(cell.statistics, experiment::measure::spend_nominal)},
         {"top_level_family_months", statistics_of(cell.statistics, experiment::measure::top_level_family_months)},
         {"children_in_care_at_end", statistics_of(cell.statistics, experiment::measure::children_in_care_at_end)},
         {"saves_money", statistics_of(cell.statistics, experiment::comparison::saves_money)},
         {"cash_difference_mean", cash_of(cell)}});
  }
  out["decision"] = decision;
  // Set against another option: this one less that one, both against the
  // base, replicate by replicate.
  for (const auto& pair : summary.pairs) {
    if (request.against.empty() || summary.scenarios[pair.first].name != request.option ||
        summary.scenarios[pair.second].name != request.against)
      continue;
    json columns = json::object();
    for (std::size_t c = 0; c < experiment::pair_column::count; ++c)
      columns[experiment::pair_column::name(c)] = statistics_of(pair.statistics, c);
    out["against"] = {{"option", request.against},
                      {"option_description", request.against_changed.description},
                      {"differences", columns}};
  }
  return out.dump();
}

}  // namespace

const char* name_of(RunState state) {
  switch (state) {
    case RunState::queued:
      return "queued";
    case RunState::running:
      return "running";
    case RunState::done:
      return "done";
    case RunState::failed:
      return "failed";
    case RunState::cancelled:
      return "cancelled";
    case RunState::expired:
      return "expired";
  }
  return "unknown";
}

Runner::Runner(std::filesystem::path results_folder)
    : results_folder_(std::move(results_folder)), worker_([this] { work(); }) {}

Runner::~Runner() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, flag] : cancelled_) flag = true;
  }
  wake_.notify_all();
  worker_.join();
}

std::uint64_t Runner::submit(RunRequest request) {
  const std::lock_guard lock(mutex_);
  if (queue_.size() >= max_queued) return 0;
  const std::uint64_t id = next_id_++;
  RunStatus status;
  status.id = id;
  status.authority = request.authority;
  status.option = request.option;
  status.total = static_cast<std::size_t>(request.base.simulation.replicates);
  runs_[id] = status;
  requests_[id] = std::move(request);
  cancelled_[id] = false;
  queue_.push_back(id);
  wake_.notify_all();
  return id;
}

bool Runner::status(std::uint64_t id, RunStatus& out) const {
  const std::lock_guard lock(mutex_);
  const auto found = runs_.find(id);
  if (found == runs_.end()) return false;
  out = found->second;
  return true;
}

std::vector<RunStatus> Runner::all() const {
  const std::lock_guard lock(mutex_);
  std::vector<RunStatus> out;
  for (const auto& [id, status] : runs_) {
    out.push_back(status);
    out.back().result_json.clear();
  }
  return out;
}

bool Runner::cancel(std::uint64_t id) {
  const std::lock_guard lock(mutex_);
  const auto found = runs_.find(id);
  if (found == runs_.end()) return false;
  RunStatus& status = found->second;
  if (status.state != RunState::queued && status.state != RunState::running) return false;
  cancelled_[id] = true;
  if (status.state == RunState::queued) {
    status.state = RunState::cancelled;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), id), queue_.end());
    requests_.erase(id);
  }
  return true;
}

void Runner::warm(config::Authority base) {
  const std::lock_guard lock(mutex_);
  // Only the authority the page opened last: one opened before it waits no more.
  warm_.clear();
  warm_.push_back(std::move(base));
  wake_.notify_all();
}

bool Runner::warm_up(const config::Authority& base) {
  const auto plan = experiment::comparison_plan(base, {});
  const auto draws = experiment::draw_uncertainty(plan);
  // The replicates not kept yet, each by the key its run is kept under.
  std::vector<std::size_t> missing;
  std::vector<std::string> keys(plan.replicates);
  for (std::size_t r = 0; r < plan.replicates; ++r) {
    keys[r] = experiment::kept_run_key(plan, experiment::configurations(plan, 0, draws, r).front(), r);
    if (!kept_.contains(keys[r], static_cast<std::uint32_t>(r))) missing.push_back(r);
  }
  const std::size_t batch = std::max<std::size_t>(1, static_cast<std::size_t>(tbb::info::default_concurrency()));
  for (std::size_t first = 0; first < missing.size(); first += batch) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_ || !warm_.empty()) return true;  // stopping, or another authority opened since
      if (!queue_.empty()) return false;             // a run is waiting: it goes first
    }
    const std::size_t last = std::min(missing.size(), first + batch);
    const std::vector<std::size_t> these(missing.begin() + static_cast<std::ptrdiff_t>(first),
                                         missing.begin() + static_cast<std::ptrdiff_t>(last));
    experiment::run_plan(
        plan, draws,
        [&](std::size_t, std::size_t r) { return std::find(these.begin(), these.end(), r) != these.end(); },
        [](experiment::PlanRun&&) {}, &kept_);
    // No room left to keep them: warming further would only push out what is kept.
    for (std::size_t k = first; k < last; ++k)
      if (!kept_.contains(keys[missing[k]], static_cast<std::uint32_t>(missing[k]))) return true;
  }
  return true;
}

void Runner::work() {
  for (;;) {
    std::uint64_t id = 0;
    RunRequest request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || !warm_.empty(); });
      if (stopping_) return;
      if (queue_.empty()) {
        const config::Authority base = std::move(warm_.front());
        warm_.pop_front();
        lock.unlock();
        try {
          // Put off by a run: taken up again after it, from the replicates
          // not yet kept, unless another authority was opened meanwhile.
          if (!warm_up(base)) {
            const std::lock_guard relock(mutex_);
            if (warm_.empty()) warm_.push_back(base);
          }
        } catch (const std::exception&) {
          // A base that does not run is reported by the run that asks for it.
        }
        continue;
      }
      id = queue_.front();
      queue_.pop_front();
      request = std::move(requests_[id]);
      requests_.erase(id);
      runs_[id].state = RunState::running;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto stopped = [&] {
      const std::lock_guard lock(mutex_);
      return cancelled_[id];
    };
    try {
      std::vector<experiment::ScenarioPlan> planned{{request.option, request.changed, 0, request.option, ""}};
      for (const auto& future : request.futures) {
        const std::size_t alone = planned.size() + 1;  // the baseline is 0
        planned.push_back({future.name, future.alone, 0, "", future.name});
        planned.push_back({request.option + "_under_" + future.name, future.under, alone, request.option, future.name});
      }
      if (!request.against.empty())
        planned.push_back({request.against, request.against_changed, 0, request.against, ""});
      auto plan = experiment::comparison_plan(request.base, planned);
      const auto draws = experiment::draw_uncertainty(plan);
      experiment::PlanResults results;
      results.draws = draws;
      for (const auto& scenario : plan.scenarios) results.models.push_back(engine::build_model(scenario.authority));
      results.runs.assign(plan.scenarios.size(), std::vector<engine::RunResult>(plan.replicates));
      // A batch of replicates at a time, as many as there are threads, so
      // that a cancel takes effect within one batch and progress is seen.
      const std::size_t batch = std::max<std::size_t>(1, static_cast<std::size_t>(tbb::info::default_concurrency()));
      bool cancelled = false;
      const std::size_t hits_before = kept_.hits();
      for (std::size_t first = 0; first < plan.replicates && !cancelled; first += batch) {
        experiment::run_plan(
            plan, draws, [&](std::size_t, std::size_t r) { return r >= first && r < first + batch; },
            [&](experiment::PlanRun&& run) {
              const std::lock_guard lock(mutex_);
              for (std::size_t s = 0; s < run.runs.size(); ++s) results.runs[s][run.replicate] = std::move(run.runs[s]);
              ++runs_[id].done;
            },
            &kept_);
        cancelled = stopped();
      }
      {
        const std::lock_guard lock(mutex_);
        runs_[id].runs_reused = kept_.hits() - hits_before;
        if (!cancelled) runs_[id].runs = plan.scenarios.size() * plan.replicates;
      }
      const auto summary = cancelled ? experiment::Summary{} : experiment::summarise(plan, results);
      const std::string result = cancelled ? std::string() : comparison_json(request, summary, results.models);
      // The results file, as `ehsim run --scenario` writes it, to download.
      std::filesystem::path file;
      if (!cancelled) {
        file = results_folder_ / ("run-" + std::to_string(id) + ".h5");
        std::vector<output::Scenario> scenarios;
        for (std::size_t s = 0; s < plan.scenarios.size(); ++s) {
          std::string source = s == 0 ? std::string() : request.toml;
          for (const auto& future : request.futures)
            if (plan.scenarios[s].name == future.name) source = future.toml;
          if (!request.against.empty() && plan.scenarios[s].name == request.against) source = request.against_toml;
          scenarios.push_back({plan.scenarios[s].name, config::to_toml(plan.scenarios[s].authority), source,
                               &results.models[s], &results.runs[s]});
        }
        output::Provenance provenance{"ehsim serve: " + request.option + " against " + request.authority +
                                          (request.against.empty() ? "" : ", set against " + request.against),
                                      request.base_source.empty() ? "embedded default" : request.base_source, plan.seed,
                                      draws};
        output::write_results(file, scenarios, summary, provenance);
      }
      const std::lock_guard lock(mutex_);
      RunStatus& status = runs_[id];
      status.state = cancelled ? RunState::cancelled : RunState::done;
      status.result_json = result;
      status.results = file;
      // Only the latest finished runs keep their results and files.
      std::size_t kept = 0;
      for (auto it = runs_.rbegin(); it != runs_.rend(); ++it) {
        if (it->second.state != RunState::done || ++kept <= max_kept) continue;
        std::error_code ignored;
        std::filesystem::remove(it->second.results, ignored);  // ehsim's own file
        std::filesystem::remove(std::filesystem::path(it->second.results).replace_extension(".html"), ignored);
        it->second.result_json.clear();
        it->second.results.clear();
        it->second.state = RunState::expired;
      }
      status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    } catch (const std::exception& error) {
      const std::lock_guard lock(mutex_);
      runs_[id].state = RunState::failed;
      runs_[id].error = error.what();
    }
  }
}

}  // namespace ehsim::serve

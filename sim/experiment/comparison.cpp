#include "experiment/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

#include "config/authority.hpp"
#include "config/diff.hpp"

namespace ehsim::experiment {

using engine::CountArray;
using engine::Model;
using engine::RunResult;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double total(const CountArray& array) {
  return static_cast<double>(std::accumulate(array.values.begin(), array.values.end(), std::int64_t{0}));
}

// Spend over the horizon by line: each service, then universal costs.
std::vector<double> spend_by_line(const Model& model, const RunResult& run) {
  std::vector<double> lines;
  double services = 0;
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    double spend = 0;
    for (std::size_t m = 0; m < static_cast<std::size_t>(model.months); ++m)
      spend += static_cast<double>(run.spend_by_service(m, s));
    lines.push_back(spend);
    services += spend;
  }
  lines.push_back(total(run.spend_by_level) - services);  // universal costs
  return lines;
}

}  // namespace

const char* measure::name(std::size_t column) {
  static const char* names[count] = {"spend_nominal",
                                     "spend_discounted",
                                     "top_level_family_months",
                                     "top_level_child_months",
                                     "children_in_care_child_months",
                                     "children_in_care_at_end",
                                     "children_on_plans_at_end",
                                     "early_help_case_months",
                                     "partner_costs_fiscal",
                                     "economic_costs",
                                     "social_costs"};
  return names[column];
}

const char* measure::unit(std::size_t column) {
  static const char* units[count] = {"pence",        "pence",    "family-months", "child-months",
                                     "child-months", "children", "children",      "case-months",
                                     "pence",        "pence",    "pence"};
  return units[column];
}

const char* comparison::name(std::size_t column) {
  if (column < measure::count) return measure::name(column);
  static const char* names[std::size_t{count} - std::size_t{measure::count}] = {
      "investment",  "savings",   "return_per_pound", "cost_per_top_level_family_month_avoided", "break_even_month",
      "saves_money", "own_lines", "consequence",      "net_adjusted_for_optimism_bias"};
  return names[column - measure::count];
}

const char* comparison::unit(std::size_t column) {
  if (column < measure::count) return measure::unit(column);
  static const char* units[std::size_t{count} - std::size_t{measure::count}] = {
      "pence", "pence", "ratio", "pence", "month index", "0 or 1", "pence", "pence", "pence"};
  return units[column - measure::count];
}

const char* statistic::name(std::size_t row) {
  static const char* names[count] = {"mean", "sd", "ci95_low", "ci95_high", "q05", "q25", "q50", "q75", "q95", "count"};
  return names[row];
}

std::array<double, measure::count> headline_measures(const Model& model, const RunResult& run) {
  std::array<double, measure::count> values{};
  const auto months = static_cast<std::size_t>(model.months);
  const auto top = static_cast<std::size_t>(model.level_count - 1);
  values[measure::spend_nominal] = total(run.spend_by_level);
  values[measure::spend_discounted] = total(run.spend_discounted);
  for (std::size_t m = 0; m < months; ++m) {
    values[measure::top_level_family_months] += static_cast<double>(run.stock_families(m, top));
    values[measure::top_level_child_months] += static_cast<double>(run.stock_children(m, top));
  }
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    const config::ServiceKind kind = model.authority.services[s].kind;
    for (std::size_t m = 0; m < months; ++m) {
      if (kind == config::ServiceKind::children_in_care)
        values[measure::children_in_care_child_months] += static_cast<double>(run.service_children(m, s));
      if (model.services[s].early_help)
        values[measure::early_help_case_months] += static_cast<double>(run.service_caseload(m, s));
    }
    if (months == 0) continue;
    if (kind == config::ServiceKind::children_in_care)
      values[measure::children_in_care_at_end] += static_cast<double>(run.service_children(months - 1, s));
    if (kind == config::ServiceKind::child_protection)
      values[measure::children_on_plans_at_end] += static_cast<double>(run.service_children(months - 1, s));
  }
  const auto& partners = model.authority.costs.partners;
  for (std::size_t c = 0; c < partners.size(); ++c) {
    const std::size_t column = partners[c].value == config::CostValue::fiscal     ? measure::partner_costs_fiscal
                               : partners[c].value == config::CostValue::economic ? measure::economic_costs
                                                                                  : measure::social_costs;
    for (std::size_t m = 0; m < months; ++m) values[column] += static_cast<double>(run.partner_costs(m, c));
  }
  return values;
}

OwnLines own_lines(const config::Authority& baseline, const config::Authority& option) {
  OwnLines own;
  std::vector<std::string> direct;
  const auto add = [](std::vector<std::string>& list, const std::string& name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
  };
  for (const auto& difference : config::differences(baseline, option)) {
    const std::string& key = difference.key;
    if (key.rfind("services.", 0) == 0) {
      const auto end = key.find('.', 9);
      add(direct, key.substr(9, end == std::string::npos ? std::string::npos : end - 9));
    } else if (key.rfind("reinvestment.", 0) == 0 && !option.reinvestment.to_service.empty()) {
      add(direct, option.reinvestment.to_service);
    } else if (key.rfind("costs.universal_", 0) == 0) {
      own.universal = true;
    }
  }
  const auto find_in = [](const config::Authority& authority, const std::string& name) -> const config::ServiceConfig* {
    for (const auto& service : authority.services)
      if (service.name == name) return &service;
    return nullptr;
  };
  for (const auto& name : direct) {
    add(own.services, name);
    const auto* service = find_in(option, name);
    if (service == nullptr) service = find_in(baseline, name);
    if (service == nullptr) continue;
    own.named.push_back(service->label.empty() ? service->name : service->label);
    if (!service->statutory()) continue;
    for (const auto* authority : {&baseline, &option})
      for (const auto& other : authority->services)
        if (other.kind == service->kind &&
            std::find(own.services.begin(), own.services.end(), other.name) == own.services.end()) {
          own.services.push_back(other.name);
          if (std::find(direct.begin(), direct.end(), other.name) == direct.end())
            own.taken_over.push_back(other.label.empty() ? other.name : other.label);
        }
  }
  return own;
}

std::array<double, comparison::count> compare(const Model& option_model, const RunResult& option,
                                              const Model& baseline_model, const RunResult& baseline,
                                              const OwnLines* own_given) {
  std::array<double, comparison::count> values{};
  const auto a = headline_measures(option_model, option);
  const auto b = headline_measures(baseline_model, baseline);
  for (std::size_t c = 0; c < measure::count; ++c) values[c] = a[c] - b[c];

  // Investment and savings, line by line: services matched by name (an option
  // may add or remove some), then universal costs.
  const auto option_lines = spend_by_line(option_model, option);
  const auto baseline_lines = spend_by_line(baseline_model, baseline);
  const OwnLines own = own_given != nullptr ? *own_given : own_lines(baseline_model.authority, option_model.authority);
  const auto is_own = [&own](const std::string& name) {
    return std::find(own.services.begin(), own.services.end(), name) != own.services.end();
  };
  // The change on each line, (change, on one of the option's own lines). The
  // option's own statutory services of one kind are one line, so that a case
  // relabelled from one to another is neither an investment nor a saving,
  // only the change in what it costs.
  std::vector<std::string> keys;
  std::vector<std::pair<double, bool>> changes;
  const auto add = [&](const config::ServiceConfig& service, double change) {
    const bool on_own = is_own(service.name);
    const std::string key = on_own && service.statutory() ? "kind " + std::string(config::name_of(service.kind))
                                                          : "service " + service.name;
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at != keys.end()) {
      changes[static_cast<std::size_t>(at - keys.begin())].first += change;
      return;
    }
    keys.push_back(key);
    changes.emplace_back(change, on_own);
  };
  for (std::size_t s = 0; s < option_model.services.size(); ++s) {
    double before = 0;
    const std::string& name = option_model.authority.services[s].name;
    for (std::size_t t = 0; t < baseline_model.services.size(); ++t)
      if (baseline_model.authority.services[t].name == name) before = baseline_lines[t];
    add(option_model.authority.services[s], option_lines[s] - before);
  }
  for (std::size_t t = 0; t < baseline_model.services.size(); ++t) {
    bool kept = false;
    const std::string& name = baseline_model.authority.services[t].name;
    for (std::size_t s = 0; s < option_model.services.size(); ++s)
      kept = kept || name == option_model.authority.services[s].name;
    if (!kept) add(baseline_model.authority.services[t], -baseline_lines[t]);
  }
  changes.emplace_back(option_lines.back() - baseline_lines.back(), own.universal);
  for (const auto& [change, on_own] : changes) {
    (change > 0 ? values[comparison::investment] : values[comparison::savings]) += std::abs(change);
    values[on_own ? comparison::own_lines : comparison::consequence] += change;
  }
  // A return only where the option invests: what it saves elsewhere per pound it spends on its own lines.
  values[comparison::return_per_pound] =
      values[comparison::own_lines] > 0 ? -values[comparison::consequence] / values[comparison::own_lines] : nan;
  const double avoided = -values[measure::top_level_family_months];
  values[comparison::cost_per_top_level_family_month_avoided] =
      avoided > 0 ? values[measure::spend_nominal] / avoided : nan;

  // Break-even: the first month from which the cumulative difference in spend
  // never rises above zero again.
  const auto months = static_cast<std::size_t>(std::min(option_model.months, baseline_model.months));
  std::vector<double> cumulative(months, 0.0);
  double running = 0;
  for (std::size_t m = 0; m < months; ++m) {
    for (std::size_t k = 0; k < static_cast<std::size_t>(option_model.level_count); ++k)
      running += static_cast<double>(option.spend_by_level(m, k) - baseline.spend_by_level(m, k));
    cumulative[m] = running;
  }
  double break_even = -1;
  for (std::size_t m = months; m-- > 0;) {
    if (cumulative[m] > 0) break;
    break_even = static_cast<double>(m);
  }
  values[comparison::break_even_month] = break_even;
  values[comparison::saves_money] = values[measure::spend_discounted] < 0 ? 1.0 : 0.0;
  // The Green Book's adjusted view: every rise in spend raised, every fall lowered.
  const auto& costs = option_model.authority.costs;
  const auto adjusted = [&costs](double change) {
    return change > 0 ? change * (1 + costs.optimism_bias_cost_uplift)
                      : change * (1 - costs.optimism_bias_saving_reduction);
  };
  values[comparison::net_adjusted_for_optimism_bias] =
      adjusted(values[comparison::own_lines]) + adjusted(values[comparison::consequence]);
  // A future is a projection, not a decision: what it changes is no one's
  // investment and no one's saving.
  if (option_model.authority.kind == config::ScenarioKind::future)
    for (const std::size_t c :
         {comparison::investment, comparison::savings, comparison::return_per_pound,
          comparison::cost_per_top_level_family_month_avoided, comparison::break_even_month, comparison::saves_money,
          comparison::own_lines, comparison::consequence, comparison::net_adjusted_for_optimism_bias})
      values[c] = nan;
  return values;
}

double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return nan;
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - static_cast<double>(below));
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return quantile_of_sorted(values, q);
}

std::array<double, statistic::count> describe(std::vector<double> values) {
  std::array<double, statistic::count> result;
  result.fill(nan);
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  result[statistic::count_used] = static_cast<double>(values.size());
  if (values.empty()) return result;
  std::sort(values.begin(), values.end());
  const auto n = static_cast<double>(values.size());
  double mean = 0;
  for (const double v : values) mean += v;  // sorted: the order is fixed
  mean /= n;
  result[statistic::mean] = mean;
  if (values.size() > 1) {
    double squares = 0;
    for (const double v : values) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / (n - 1));
    const boost::math::students_t t(n - 1);
    const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
    result[statistic::sd] = sd;
    result[statistic::ci95_low] = mean - half;
    result[statistic::ci95_high] = mean + half;
  }
  const std::size_t first_quantile = statistic::q05;
  for (std::size_t q = 0; q < fan_quantiles.size(); ++q)
    result[first_quantile + q] = quantile_of_sorted(values, fan_quantiles[q]);
  return result;
}

}  // namespace ehsim::experiment

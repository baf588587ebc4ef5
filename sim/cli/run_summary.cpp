#include "cli/run_summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "engine/calendar.hpp"
#include "experiment/comparison.hpp"

namespace ehsim::cli {

std::string thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return value < 0 ? "-" + text : text;
}

namespace {

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

// Padded to a width in characters (UTF-8: "£" is one), on the left (right-aligned) or the right.
std::string pad(const std::string& text, std::size_t width, bool right = true) {
  const auto length = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  if (length >= width) return text;
  const std::string space(width - length, ' ');
  return right ? space + text : text + space;
}

// Money as a finance officer writes it: £1.2m, £850k, £700.
std::string money(double pounds) {
  const double size = std::abs(pounds);
  if (size >= 1e6) return format("£%.1fm", pounds / 1e6);
  if (size >= 1e4) return format("£%.0fk", pounds / 1e3);
  return format("£%.0f", pounds);
}

// A difference in pence as money with its sign: +£1.2m, -£850k, £0.
std::string signed_money(double pence) {
  return (pence > 0 ? "+" : pence < 0 ? "-" : "") + money(std::abs(pence) / 100);
}

using engine::RunResult;
using experiment::ScenarioSummary;

// What prices the money is in: real terms at the price year, with each
// payer's real price growth.
std::string prices_note(const config::CostsConfig& costs) {
  std::string note = costs.price_year.empty() ? "money at the configuration's prices (costs.price_year not stated)"
                                              : "money in real terms, at " + costs.price_year + " prices";
  std::string growth;
  for (const auto& [payer, rate] : costs.real_price_growth_per_year)
    if (rate != 0) growth += (growth.empty() ? "" : ", ") + payer + format(" %+.1f%%", 100 * rate);
  if (!growth.empty()) note += "; costs rising faster than inflation a year: " + growth;
  return note;
}

void print_services(std::ostream& out, const engine::Model& model, const ScenarioSummary& summary,
                    const char* mean_note) {
  const auto& authority = model.authority;
  const auto months = static_cast<double>(model.months);
  const auto per_month = [&](engine::CountArray RunResult::*measure, std::size_t s) {
    return summary.mean(measure).sum_over_first(s) / months;
  };
  out << "\n  Services, an average month" << mean_note << "\n";
  out << "  " << pad("service", 46, false) << pad("kind", 18, false) << pad("open", 7) << pad("capacity", 10)
      << pad("waiting", 9) << pad("mean wait", 12) << "\n";
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    const auto& service = authority.services[s];
    const double admissions = per_month(&RunResult::service_admissions, s);
    const double waited = per_month(&RunResult::service_wait_months, s);
    std::string kind(config::name_of(service.kind));
    std::replace(kind.begin(), kind.end(), '_', ' ');
    out << "  " << pad(service.label.empty() ? service.name : service.label, 46, false) << pad(kind, 18, false)
        << pad(thousands(std::llround(per_month(&RunResult::service_caseload, s))), 7)
        << pad(service.statutory() ? "-" : thousands(std::llround(per_month(&RunResult::service_capacity, s))), 10)
        << pad(thousands(std::llround(per_month(&RunResult::service_waiting, s))), 9)
        << pad(admissions > 0 ? format("%.1f months", waited / admissions) : "-", 12) << "\n";
  }
  namespace ind = engine::indicator;
  const auto& indicators = summary.mean(&RunResult::indicators);
  const auto flow = [&](std::size_t column) { return indicators.sum_over_first(column) / months; };
  const auto at_end = [&](std::size_t column) { return indicators(indicators.shape[0] - 1, column); };
  const auto count = [](double value) { return thousands(std::llround(value)); };
  const double referrals = flow(ind::referrals);
  const double open = flow(ind::early_help_open_cases);
  out << "\n  The dashboard, an average month" << mean_note << "\n";
  out << "  front door: " << count(referrals) << " referrals ("
      << format("%.0f%%", referrals > 0 ? 100 * flow(ind::re_referrals) / referrals : 0.0) << " re-referrals); "
      << count(flow(ind::referrals_to_early_help)) << " to early help, " << count(flow(ind::referrals_to_social_care))
      << " to social care, " << count(flow(ind::referrals_no_further_action)) << " no further action\n";
  out << "  early help: " << count(flow(ind::early_help_assessments_direct)) << " assessments direct and "
      << count(flow(ind::early_help_assessments_stepped_down)) << " stepped down from social care; " << count(open)
      << " open cases, open " << format("%.1f", open > 0 ? flow(ind::early_help_open_case_months) / open : 0.0)
      << " months on average\n";
  out << "  at the end: " << count(at_end(ind::children_on_plans)) << " children on child protection plans, "
      << count(at_end(ind::children_in_care)) << " in care\n";
}

void print_spend(std::ostream& out, const engine::Model& model, const experiment::Summary& run,
                 const ScenarioSummary& summary, const char* mean_note) {
  const auto& authority = model.authority;
  const auto& yearly = summary.financial_year_mean(&RunResult::spend_by_level);
  const std::size_t last = run.financial_years.size() - 1;
  const auto year_label = [](std::int64_t year) {
    return format("FY%.0f-", static_cast<double>(year)) + format("%02.0f", static_cast<double>((year + 1) % 100));
  };
  out << "\n  Spend by level of need" << mean_note << ", undiscounted\n";
  // The first and last financial years; one column when the run is within one.
  const bool two = last > 0;
  const auto row = [&](const std::string& label, const std::string& first, const std::string& final) {
    out << "  " << pad(label, 24, false) << pad(first, 12) << (two ? pad(final, 12) : "") << "\n";
  };
  row("level", year_label(run.financial_years.front()), year_label(run.financial_years.back()));
  double first_total = 0, last_total = 0;
  for (int k = 0; k < model.level_count; ++k) {
    const auto& level = authority.levels[static_cast<std::size_t>(k)];
    const double first = yearly(0, static_cast<std::size_t>(k)) / 100;
    const double final = yearly(last, static_cast<std::size_t>(k)) / 100;
    first_total += first;
    last_total += final;
    row(level.label.empty() ? level.name : level.label, money(first), money(final));
  }
  row("total", money(first_total), money(last_total));
  const double undiscounted = summary.mean(&RunResult::spend_by_level).sum() / 100;
  const double discounted = summary.mean(&RunResult::spend_discounted).sum() / 100;
  out << "  over the " << model.months << " months: " << money(undiscounted) << " undiscounted, " << money(discounted)
      << " discounted at " << format("%.1f%%", 100 * authority.costs.discount_rate_per_year) << " a year\n";
  out << "  " << prices_note(authority.costs) << "\n";
}

}  // namespace

namespace {

using experiment::payer_differences;

// What an option changes outside spend (costs.partners), in pence, of the
// means over replicates: partner agencies' spend by payer with its cashable
// part, lost output and wellbeing. Lines are matched by name.
struct PartnerDifferences {
  std::vector<std::string> payers;              // in the order first met
  std::vector<std::array<double, 2>> by_payer;  // [payer][0 total, 1 cashable]
  double economic = 0, social = 0;
};

PartnerDifferences partner_differences(const engine::Model& option_model, const engine::Model& baseline_model,
                                       const experiment::Summary& summary,
                                       const experiment::ComparisonSummary& comparison) {
  PartnerDifferences out;
  const auto add = [&out](const config::PartnerCostConfig& line, double pence) {
    if (line.value == config::CostValue::economic) {
      out.economic += pence;
      return;
    }
    if (line.value == config::CostValue::social) {
      out.social += pence;
      return;
    }
    auto found = std::find(out.payers.begin(), out.payers.end(), line.payer);
    if (found == out.payers.end()) {
      out.payers.push_back(line.payer);
      out.by_payer.push_back({0.0, 0.0});
      found = out.payers.end() - 1;
    }
    auto& cell = out.by_payer[static_cast<std::size_t>(found - out.payers.begin())];
    cell[0] += pence;
    if (line.cashable) cell[1] += pence;
  };
  for (const auto& [model, scenario, sign] :
       {std::tuple{&option_model, comparison.option, 1.0}, std::tuple{&baseline_model, comparison.baseline, -1.0}}) {
    const auto& costs = summary.scenarios[scenario].mean(&RunResult::partner_costs);
    const auto& lines = model->authority.costs.partners;
    for (std::size_t c = 0; c < lines.size(); ++c) add(lines[c], sign * costs.sum_over_first(c));
  }
  return out;
}

}  // namespace

void print_comparison(std::ostream& out, const engine::Model& option_model, const engine::Model& baseline_model,
                      const experiment::Summary& summary, const experiment::ComparisonSummary& comparison) {
  namespace cmp = experiment::comparison;
  namespace st = experiment::statistic;
  const std::size_t replicates = comparison.differences.shape.front();
  if (replicates == 0) return;
  const auto stats = [&](std::size_t column) {
    std::array<double, st::count> row{};
    for (std::size_t s = 0; s < st::count; ++s) row[s] = comparison.statistics(s, column);
    return row;
  };
  // The mean, the 95% interval of the mean, and the 5%-95% range of the
  // outcomes themselves (what one run of the future could be).
  const auto interval_and_range = [&](std::size_t column, const auto& shown) {
    const auto s = stats(column);
    if (!std::isfinite(s[st::mean])) return std::string("-");
    std::string text = shown(s[st::mean]);
    if (std::isfinite(s[st::ci95_low]))
      text += " (mean " + shown(s[st::ci95_low]) + " to " + shown(s[st::ci95_high]) + "; outcomes " +
              shown(s[st::q05]) + " to " + shown(s[st::q95]) + ")";
    return text;
  };
  const auto money_interval = [&](std::size_t column) { return interval_and_range(column, signed_money); };
  const auto count_interval = [&](std::size_t column) {
    const auto signed_count = [](double v) { return (v > 0 ? "+" : "") + thousands(std::llround(v)); };
    return interval_and_range(column, signed_count);
  };
  const bool future = option_model.authority.kind == config::ScenarioKind::future;
  out << "\n  " << (future ? "Future" : "Option") << " \"" << summary.scenarios[comparison.option].name
      << "\" against the baseline over " << replicates << (replicates == 1 ? " replicate" : " replicates")
      << ", each with the baseline's random numbers: the mean difference, then the 95% interval of the mean and "
         "the 5%-95% range of the replicates' outcomes\n";
  out << "  spend over " << option_model.months << " months: " << money_interval(experiment::measure::spend_nominal)
      << " undiscounted, " << money_interval(experiment::measure::spend_discounted) << " discounted\n";
  // Who pays, and in cash.
  const auto& payers = option_model.authority.costs.payers;
  const auto by_payer = payer_differences(summary, comparison);
  if (by_payer.size() == payers.size() && !payers.empty()) {
    double cash = 0, other = 0;
    for (const auto& [not_cashable, cashable] : by_payer) {
      other += not_cashable;
      cash += cashable;
    }
    out << "  in cash (cashable spend): " << signed_money(cash) << "; not cashable: " << signed_money(other)
        << "\n  by who pays:";
    for (std::size_t p = 0; p < payers.size(); ++p) {
      const double total = by_payer[p][0] + by_payer[p][1];
      if (std::llround(total) == 0 && std::llround(by_payer[p][1]) == 0) continue;
      out << (p == 0 ? " " : "; ") << payers[p] << " " << signed_money(total) << " (cash "
          << signed_money(by_payer[p][1]) << ")";
    }
    out << "\n";
  }
  // Outside spend: partner agencies' costs, lost output and wellbeing, each apart.
  if (!option_model.authority.costs.partners.empty() || !baseline_model.authority.costs.partners.empty()) {
    const auto partners = partner_differences(option_model, baseline_model, summary, comparison);
    double fiscal = 0, cash = 0;
    std::string payers;
    for (std::size_t p = 0; p < partners.payers.size(); ++p) {
      fiscal += partners.by_payer[p][0];
      cash += partners.by_payer[p][1];
      payers += (p == 0 ? ": " : ", ") + partners.payers[p] + " " + signed_money(partners.by_payer[p][0]);
    }
    out << "  outside spend (costs.partners, each account apart): partners' costs " << signed_money(fiscal) << " (cash "
        << signed_money(cash) << ")" << payers << "; lost output " << signed_money(partners.economic) << "; wellbeing "
        << signed_money(partners.social) << "\n";
  }
  // Family by family: what the option costs for each family its services
  // admitted, against the same family (the same luck) without it.
  if (!comparison.family_pooled.values.empty() && std::isfinite(comparison.family_pooled(0)) &&
      comparison.family_pooled(0) > 0) {
    namespace fc = experiment::family_column;
    const auto& pooled = comparison.family_pooled;
    double cash = 0;
    const auto& by_payer = comparison.family_by_payer;
    for (std::size_t r = 0; r < by_payer.shape[0]; ++r)
      for (std::size_t p = 0; p < by_payer.shape[1]; ++p) cash += by_payer(r, p, 1);
    cash /= static_cast<double>(std::max<std::size_t>(1, by_payer.shape[0]));
    const bool by_payer_known = by_payer.shape.size() == 3 && by_payer.shape[1] > 0;
    out << "  per family its own services admitted, in either run ("
        << thousands(std::llround(pooled(fc::helped_families)))
        << " a replicate), against the same family without it: " << signed_money(pooled(fc::mean)) << " each on average"
        << (by_payer_known ? " (cash " + signed_money(cash) + ")" : std::string()) << "; quartiles "
        << signed_money(pooled(fc::q25)) << ", " << signed_money(pooled(fc::q50)) << ", "
        << signed_money(pooled(fc::q75)) << "; " << format("%.0f%%", 100 * pooled(fc::share_cost_more))
        << " cost more\n";
  }
  // What reinvestment did: the savings it could use, and what it bought.
  const auto& reinvested = summary.scenarios[comparison.option].mean(&RunResult::reinvestment);
  if (option_model.reinvestment.share > 0 && !reinvested.shape.empty() && reinvested.shape[0] > 0) {
    namespace col = engine::reinvestment_column;
    double available = 0, committed = 0, places = 0;
    for (std::size_t y = 0; y < reinvested.shape[0]; ++y) {
      available += reinvested(y, col::available_pence);
      committed += reinvested(y, col::reinvested_pence);
      places += reinvested(y, col::extra_cases);
    }
    const auto& to = option_model.authority.services[static_cast<std::size_t>(option_model.reinvestment.to_service)];
    out << "  reinvestment: " << money(available / 100) << " of savings available, " << money(committed / 100)
        << " committed to " << format("%.1f", places) << " place-years in " << (to.label.empty() ? to.name : to.label)
        << " (the rest bought nothing: more places than the waiting list could fill, or opening after the run)\n";
  }
  out << "  family-months at the top level: " << count_interval(experiment::measure::top_level_family_months)
      << "; children in care at the end: " << count_interval(experiment::measure::children_in_care_at_end) << "\n";
  if (future) {
    out << "  a future, not an option: its change in spend is a projection of demand, no one's investment or "
           "saving\n";
    return;
  }
  const auto ratio = stats(cmp::return_per_pound);
  const auto break_even = stats(cmp::break_even_month);
  const auto saves = stats(cmp::saves_money);
  // What the option does on its own lines, and what follows everywhere else.
  const auto own = experiment::own_lines(baseline_model.authority, option_model.authority);
  std::string lines;
  for (std::size_t i = 0; i < own.named.size(); ++i)
    lines += (i == 0 ? "" : i + 1 == own.named.size() ? " and " : ", ") + own.named[i];
  if (own.universal) lines += std::string(lines.empty() ? "" : " and ") + "universal services";
  for (std::size_t i = 0; i < own.taken_over.size(); ++i)
    lines += (i == 0 ? " (with the " : " and ") + own.taken_over[i] +
             (i + 1 == own.taken_over.size() ? " cases it takes over)" : "");
  if (lines.empty()) lines = "no line of its own";
  const double own_pence = stats(cmp::own_lines)[st::mean], consequence = stats(cmp::consequence)[st::mean];
  out << "  "
      << (own_pence >= 0 ? "spends " + money(own_pence / 100) + " more on "
                         : "cuts " + money(-own_pence / 100) + " from ")
      << lines << "; "
      << (consequence <= 0 ? "saves " + money(-consequence / 100) + " elsewhere"
                           : "costs " + money(consequence / 100) + " more elsewhere")
      << (std::isfinite(ratio[st::mean]) ? format(" (%.2f back per 1 spent)", ratio[st::mean]) : "")
      << "; break-even month (median): "
      << (break_even[st::q50] < 0 ? std::string("never") : format("%.0f", break_even[st::q50]))
      << "; chance it saves money: " << format("%.0f%%", 100 * saves[st::mean]) << "\n";
  const auto& costs = option_model.authority.costs;
  if (costs.optimism_bias_cost_uplift > 0 || costs.optimism_bias_saving_reduction > 0)
    out << "  adjusted for optimism bias (rises in spend +" << format("%.0f%%", 100 * costs.optimism_bias_cost_uplift)
        << ", savings -" << format("%.0f%%", 100 * costs.optimism_bias_saving_reduction)
        << "; the Green Book's prudent view, not a forecast): net "
        << interval_and_range(cmp::net_adjusted_for_optimism_bias, signed_money) << "\n";
}

void print_ranking(std::ostream& out, const std::vector<engine::Model>& models, const experiment::Summary& summary) {
  namespace st = experiment::statistic;
  struct Ranked {
    std::string name;
    double net = 0, avoided = 0, per_month = 0, cash = 0;
  };
  std::vector<Ranked> options;
  for (const auto& comparison : summary.comparisons) {
    const auto& scenario = summary.scenarios[comparison.option];
    if (models[comparison.option].authority.kind == config::ScenarioKind::future || !scenario.future.empty()) continue;
    Ranked r;
    r.name = summary.scenarios[comparison.option].name;
    r.net = comparison.statistics(st::mean, experiment::measure::spend_nominal);
    r.avoided = -comparison.statistics(st::mean, experiment::measure::top_level_family_months);
    r.per_month = r.avoided > 0 ? r.net / r.avoided : std::numeric_limits<double>::quiet_NaN();
    const auto by_payer = payer_differences(summary, comparison);
    r.cash = by_payer.empty() ? std::numeric_limits<double>::quiet_NaN() : 0.0;
    for (const auto& payer : by_payer) r.cash += payer[1];
    options.push_back(r);
  }
  if (options.size() < 2) return;
  std::size_t width = 8;
  for (const auto& r : options) width = std::max(width, r.name.size() + 2);
  const auto pad = [width](std::string text) {
    return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
  };
  // Lower is better: saving money while avoiding level 4 months ranks first; an option that avoids none ranks last.
  auto by_month = options;
  std::stable_sort(by_month.begin(), by_month.end(), [](const Ranked& a, const Ranked& b) {
    if (std::isfinite(a.per_month) != std::isfinite(b.per_month)) return std::isfinite(a.per_month);
    return a.per_month < b.per_month;
  });
  out << "\n  Options ranked (each against the baseline with the same random numbers, so against each other):\n"
      << "  by net cost per level 4 family-month avoided (lowest first):\n";
  for (std::size_t i = 0; i < by_month.size(); ++i) {
    const auto& r = by_month[i];
    out << "    " << i + 1 << ". " << pad(r.name)
        << (std::isfinite(r.per_month) ? signed_money(r.per_month) + " a month avoided" : std::string("avoids none"))
        << " (net " << signed_money(r.net) << ", "
        << (r.avoided >= 0 ? thousands(std::llround(r.avoided)) + " months avoided"
                           : thousands(std::llround(-r.avoided)) + " more months at level 4")
        << ")\n";
  }
  auto by_cash = options;
  std::stable_sort(by_cash.begin(), by_cash.end(), [](const Ranked& a, const Ranked& b) { return a.cash < b.cash; });
  out << "  by net cost in cash (cashable spend; lowest first):\n";
  for (std::size_t i = 0; i < by_cash.size(); ++i)
    out << "    " << i + 1 << ". " << pad(by_cash[i].name) << signed_money(by_cash[i].cash) << "\n";
}

void print_pairs(std::ostream& out, const experiment::Summary& summary) {
  namespace st = experiment::statistic;
  namespace pc = experiment::pair_column;
  bool first_line = true;
  for (const auto& pair : summary.pairs) {
    if (!summary.scenarios[pair.first].future.empty()) continue;  // the file has those under each future
    if (first_line)
      out << "\n  Options against each other, replicate by replicate with the same random numbers (the first less "
             "the second: mean, and the 5%-95% range of outcomes):\n";
    first_line = false;
    const auto& stats = pair.statistics;
    const double months = stats(st::mean, experiment::measure::top_level_family_months);
    out << "    " << summary.scenarios[pair.first].name << " against " << summary.scenarios[pair.second].name
        << ": net " << signed_money(stats(st::mean, experiment::measure::spend_nominal)) << " ("
        << signed_money(stats(st::q05, experiment::measure::spend_nominal)) << " to "
        << signed_money(stats(st::q95, experiment::measure::spend_nominal)) << "), in cash "
        << signed_money(stats(st::mean, pc::cash_spend)) << "; level 4 family-months "
        << (months > 0   ? "+"
            : months < 0 ? "-"
                         : "")
        << thousands(std::llround(std::abs(months))) << "; spends less in "
        << format("%.0f%%", 100 * stats(st::mean, pc::first_costs_less)) << " of replicates\n";
  }
}

void print_decision_table(std::ostream& out, const experiment::Summary& summary) {
  namespace st = experiment::statistic;
  namespace ms = experiment::measure;
  // The options, in the order planned, and the futures they run under.
  std::vector<std::string> rows, columns{""};
  for (const auto& comparison : summary.comparisons) {
    const auto& scenario = summary.scenarios[comparison.option];
    if (scenario.option.empty()) continue;
    if (std::find(rows.begin(), rows.end(), scenario.option) == rows.end()) rows.push_back(scenario.option);
    if (std::find(columns.begin(), columns.end(), scenario.future) == columns.end()) columns.push_back(scenario.future);
  }
  if (columns.size() < 2 || summary.replicates == 0) return;
  std::size_t option_width = 8, future_width = 12;
  for (const auto& row : rows) option_width = std::max(option_width, row.size() + 2);
  for (const auto& column : columns) future_width = std::max(future_width, column.size() + 2);
  out << "\n  Each option under each future, against that future without the option, with the same random numbers: "
         "the mean over "
      << summary.replicates << (summary.replicates == 1 ? " replicate" : " replicates")
      << ", and the 5%-95% range of the replicates' outcomes\n";
  out << "  " << pad("option", option_width, false) << pad("future", future_width, false) << pad("net cost", 32, false)
      << pad("in cash", 10) << pad("level 4 family-months", 23) << pad("chance it saves money", 23) << "\n";
  for (const auto& row : rows)
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const experiment::ComparisonSummary* cell = nullptr;
      for (const auto& comparison : summary.comparisons) {
        const auto& scenario = summary.scenarios[comparison.option];
        if (scenario.option == row && scenario.future == columns[c]) cell = &comparison;
      }
      out << "  " << pad(c == 0 ? row : "", option_width, false)
          << pad(columns[c].empty() ? "as planned" : columns[c], future_width, false);
      if (cell == nullptr) {
        out << "-\n";
        continue;
      }
      const auto& stats = cell->statistics;
      const std::string net = signed_money(stats(st::mean, ms::spend_nominal)) + " (" +
                              signed_money(stats(st::q05, ms::spend_nominal)) + " to " +
                              signed_money(stats(st::q95, ms::spend_nominal)) + ")";
      double cash = 0;
      const auto by_payer = payer_differences(summary, *cell);
      for (const auto& payer : by_payer) cash += payer[1];
      const double months = stats(st::mean, ms::top_level_family_months);
      out << pad(net, 32, false) << pad(by_payer.empty() ? "-" : signed_money(cash), 10)
          << pad((months > 0 ? "+" : "") + thousands(std::llround(months)), 23)
          << pad(format("%.0f%%", 100 * stats(st::mean, experiment::comparison::saves_money)), 23) << "\n";
    }
  out << "  (net cost: the change in spend over the horizon, undiscounted, to everyone who pays; in cash: its cashable "
         "part)\n";
}

void print_run_summary(std::ostream& out, const engine::Model& model, const experiment::Summary& summary,
                       const std::string& config_source, const RunTiming& timing) {
  if (summary.replicates == 0 || summary.scenarios.empty()) return;
  const ScenarioSummary& baseline = summary.scenarios.front();
  const auto& authority = model.authority;
  const auto replicates = static_cast<double>(summary.replicates);
  const std::size_t last = static_cast<std::size_t>(model.months - 1);
  const auto start = engine::parse_calendar_month(authority.simulation.start_month);
  const auto& stock = baseline.mean(&RunResult::stock_families);
  const auto& initial = baseline.mean(&RunResult::initial_families);

  auto family_months = std::llround(stock.sum() * replicates);
  out << authority.name << (authority.description.empty() ? "" : " — " + authority.description) << "\n";
  out << "  configuration: " << config_source << "\n";
  out << "  " << thousands(authority.population.families) << " families, " << model.months << " months from "
      << engine::month_label(start) << " to " << engine::month_label(engine::add_months(start, model.months - 1))
      << ", " << summary.replicates << (summary.replicates == 1 ? " replicate" : " replicates") << ", seed "
      << authority.simulation.seed << ", " << timing.threads << (timing.threads == 1 ? " thread" : " threads") << "\n";
  if (!authority.uncertainty.empty())
    out << "  parameter uncertainty: " << authority.uncertainty.size()
        << (authority.uncertainty.size() == 1 ? " key" : " keys")
        << " drawn afresh for each replicate, the same in every scenario, so every range of outcomes below carries "
           "what the evidence does not know as well as chance\n";
  family_months *= timing.scenarios;  // every scenario runs the baseline's months (to within its own changes)
  out << "  simulated " << (timing.scenarios > 1 ? "about " : "") << thousands(family_months) << " family-months"
      << (timing.scenarios > 1 ? " (" + std::to_string(timing.scenarios) + " scenarios)" : "") << " in "
      << format("%.2f", timing.seconds) << " s ("
      << format("%.1f", timing.seconds > 0 ? static_cast<double>(family_months) / timing.seconds / 1e6 : 0.0)
      << " million a second)\n\n";

  const char* mean_note = summary.replicates > 1 ? " (mean over replicates)" : "";
  out << "  Families by level of need, start and end" << mean_note << "\n";
  const bool ranges = summary.replicates > 1;
  out << "  " << pad("level", 24, false) << pad("start", 10) << pad("end", 10) << pad("change", 9)
      << (ranges ? pad("end, lowest-highest replicate", 32) : "") << pad("children", 11) << "\n";
  const auto& children = baseline.mean(&RunResult::stock_children);
  for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k) {
    const double start_families = initial(k);
    const double end_families = stock(last, k);
    const auto& level = authority.levels[k];
    const std::string name = level.label.empty() ? std::to_string(k + 1) + " " + level.name : level.label;
    const double change = start_families > 0 ? (end_families / start_families - 1) * 100 : 0;
    out << "  " << pad(name, 24, false) << pad(thousands(std::llround(start_families)), 10)
        << pad(thousands(std::llround(end_families)), 10) << pad(format("%+.1f%%", change), 9)
        << (ranges ? pad(thousands(baseline.end_stock_lowest[k]) + " - " + thousands(baseline.end_stock_highest[k]), 32)
                   : "")
        << pad(thousands(std::llround(children(last, k))), 11) << "\n";
  }

  if (model.theme_count > 0) {
    out << "\n  Families with each risk theme active" << mean_note << "\n";
    const auto& initial_themes = baseline.mean(&RunResult::initial_theme_families);
    const auto& themes = baseline.mean(&RunResult::theme_families);
    double start_total = 0, end_total = 0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k) {
      start_total += initial(k);
      end_total += stock(last, k);
    }
    for (std::size_t j = 0; j < static_cast<std::size_t>(model.theme_count); ++j) {
      const auto& theme = authority.themes[j];
      const auto share = [](double count, double total) { return total > 0 ? 100 * count / total : 0.0; };
      out << "  " << pad(theme.label.empty() ? theme.name : theme.label, 34, false)
          << pad(format("%.1f%%", share(initial_themes(j), start_total)), 8) << " -> "
          << pad(format("%.1f%%", share(themes(last, j), end_total)), 6) << "\n";
    }
  }

  if (!model.services.empty()) print_services(out, model, baseline, mean_note);
  if (!authority.costs.universal_cost_per_family_month_gbp.empty() || !model.services.empty())
    print_spend(out, model, summary, baseline, mean_note);

  out << "\n  Over the run" << mean_note << ": " << thousands(std::llround(baseline.mean(&RunResult::arrivals).sum()))
      << " families arrived, " << thousands(std::llround(baseline.mean(&RunResult::departures_aged_out).sum()))
      << " left as their youngest turned 18, "
      << thousands(std::llround(baseline.mean(&RunResult::departures_moved).sum())) << " moved away.\n";
}

}  // namespace ehsim::cli

#include "cli/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

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

std::string pad(const std::string& text, std::size_t width, bool right = true) {
  if (text.size() >= width) return text;
  const std::string space(width - text.size(), ' ');
  return right ? space + text : text + space;
}

// Money as a finance officer writes it: £1.2m, £850k, £700.
std::string money(double pounds) {
  const double size = std::abs(pounds);
  if (size >= 1e6) return format("£%.1fm", pounds / 1e6);
  if (size >= 1e4) return format("£%.0fk", pounds / 1e3);
  return format("£%.0f", pounds);
}

// Mean over replicates of a run's value.
template <class F>
double mean_of(const std::vector<engine::RunResult>& runs, F value) {
  double total = 0;
  for (const auto& run : runs) total += value(run);
  return total / static_cast<double>(runs.size());
}

void print_services(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                    const char* mean_note) {
  const auto& authority = model.authority;
  const auto months = static_cast<std::size_t>(model.months);
  const auto per_month = [&](const engine::CountArray engine::RunResult::*array, std::size_t s) {
    return mean_of(runs,
                   [&](const engine::RunResult& run) {
                     double total = 0;
                     for (std::size_t m = 0; m < months; ++m) total += static_cast<double>((run.*array)(m, s));
                     return total;
                   }) /
           static_cast<double>(months);
  };
  out << "\n  Services, an average month" << mean_note << "\n";
  out << "  " << pad("service", 46, false) << pad("kind", 18, false) << pad("open", 7) << pad("capacity", 10)
      << pad("waiting", 9) << pad("mean wait", 12) << "\n";
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    const auto& service = authority.services[s];
    const double admissions = per_month(&engine::RunResult::service_admissions, s);
    const double waited = per_month(&engine::RunResult::service_wait_months, s);
    std::string kind(config::name_of(service.kind));
    std::replace(kind.begin(), kind.end(), '_', ' ');
    out << "  " << pad(service.label.empty() ? service.name : service.label, 46, false) << pad(kind, 18, false)
        << pad(thousands(std::llround(per_month(&engine::RunResult::service_caseload, s))), 7)
        << pad(service.statutory() ? "-" : thousands(std::llround(per_month(&engine::RunResult::service_capacity, s))),
               10)
        << pad(thousands(std::llround(per_month(&engine::RunResult::service_waiting, s))), 9)
        << pad(admissions > 0 ? format("%.1f months", waited / admissions) : "-", 12) << "\n";
  }
  namespace ind = engine::indicator;
  const auto flow = [&](std::size_t column) { return per_month(&engine::RunResult::indicators, column); };
  const auto at_end = [&](std::size_t column) {
    return mean_of(
        runs, [&](const engine::RunResult& run) { return static_cast<double>(run.indicators(months - 1, column)); });
  };
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

void print_spend(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                 const char* mean_note) {
  const auto& authority = model.authority;
  const auto months = static_cast<std::size_t>(model.months);
  const auto start = engine::parse_calendar_month(authority.simulation.start_month);
  const int first_year = engine::financial_year(start);
  const int last_year = engine::financial_year(engine::add_months(start, model.months - 1));
  const auto year_spend = [&](int year, std::size_t k) {
    return mean_of(runs, [&](const engine::RunResult& run) {
      double pence = 0;
      for (std::size_t m = 0; m < months; ++m)
        if (engine::financial_year(engine::add_months(start, static_cast<int>(m))) == year)
          pence += static_cast<double>(run.spend_by_level(m, k));
      return pence / 100;
    });
  };
  const auto year_label = [](int year) { return format("FY%.0f-", year) + format("%02.0f", (year + 1) % 100); };
  out << "\n  Spend by level of need" << mean_note << ", nominal\n";
  // The first and last financial years; one column when the run is within one.
  const bool two = last_year != first_year;
  const auto row = [&](const std::string& label, const std::string& first, const std::string& last) {
    out << "  " << pad(label, 24, false) << pad(first, 12) << (two ? pad(last, 12) : "") << "\n";
  };
  row("level", year_label(first_year), year_label(last_year));
  double first_total = 0, last_total = 0;
  for (int k = 0; k < model.level_count; ++k) {
    const auto& level = authority.levels[static_cast<std::size_t>(k)];
    const double first = year_spend(first_year, static_cast<std::size_t>(k));
    const double last = year_spend(last_year, static_cast<std::size_t>(k));
    first_total += first;
    last_total += last;
    row(level.label.empty() ? level.name : level.label, money(first), money(last));
  }
  row("total", money(first_total), money(last_total));
  const double nominal = mean_of(runs, [&](const engine::RunResult& run) {
    double pence = 0;
    for (const auto v : run.spend_by_level.values) pence += static_cast<double>(v);
    return pence / 100;
  });
  const double discounted = mean_of(runs, [&](const engine::RunResult& run) {
    double pence = 0;
    for (const auto v : run.spend_discounted.values) pence += static_cast<double>(v);
    return pence / 100;
  });
  out << "  over the " << model.months << " months: " << money(nominal) << " nominal, " << money(discounted)
      << " discounted at " << format("%.1f%%", 100 * authority.costs.discount_rate_per_year) << " a year\n";
}

}  // namespace

void print_comparison(std::ostream& out, const std::string& name, const engine::Model& option_model,
                      const std::vector<engine::RunResult>& option, const engine::Model& baseline_model,
                      const std::vector<engine::RunResult>& baseline) {
  namespace cmp = experiment::comparison;
  const std::size_t replicates = std::min(option.size(), baseline.size());
  if (replicates == 0) return;
  std::vector<std::array<double, cmp::count>> rows;
  for (std::size_t r = 0; r < replicates; ++r)
    rows.push_back(experiment::compare(option_model, option[r], baseline_model, baseline[r]));
  const auto stats = [&rows](std::size_t column) {
    std::vector<double> values;
    for (const auto& row : rows) values.push_back(row[column]);
    return experiment::describe(values);
  };
  namespace st = experiment::statistic;
  const auto signed_money = [](double pence) {
    return (pence > 0 ? "+" : pence < 0 ? "-" : "") + money(std::abs(pence) / 100);
  };
  const auto money_interval = [&](std::size_t column) {
    const auto s = stats(column);
    if (!std::isfinite(s[st::mean])) return std::string("-");
    return signed_money(s[st::mean]) + (std::isfinite(s[st::ci95_low]) ? " (" + signed_money(s[st::ci95_low]) + " to " +
                                                                             signed_money(s[st::ci95_high]) + ")"
                                                                       : "");
  };
  const auto count_interval = [&](std::size_t column) {
    const auto s = stats(column);
    const auto signed_count = [](double v) { return (v > 0 ? "+" : "") + thousands(std::llround(v)); };
    return signed_count(s[st::mean]) + (std::isfinite(s[st::ci95_low]) ? " (" + signed_count(s[st::ci95_low]) + " to " +
                                                                             signed_count(s[st::ci95_high]) + ")"
                                                                       : "");
  };
  out << "\n  Option \"" << name << "\" against the baseline: mean and 95% interval over " << replicates
      << (replicates == 1 ? " replicate" : " replicates") << ", each with the baseline's random numbers\n";
  out << "  spend over " << option_model.months << " months: " << money_interval(experiment::measure::spend_nominal)
      << " nominal, " << money_interval(experiment::measure::spend_discounted) << " discounted\n";
  out << "  family-months at the top level: " << count_interval(experiment::measure::top_level_family_months)
      << "; children in care at the end: " << count_interval(experiment::measure::children_in_care_at_end) << "\n";
  const auto ratio = stats(cmp::return_per_pound);
  const auto break_even = stats(cmp::break_even_month);
  const auto saves = stats(cmp::saves_money);
  out << "  invested " << money(stats(cmp::investment)[st::mean] / 100) << ", saved "
      << money(stats(cmp::savings)[st::mean] / 100)
      << (std::isfinite(ratio[st::mean]) ? format(" (%.2f", ratio[st::mean]) + " saved per 1 invested)" : "")
      << "; break-even month (median): "
      << (break_even[st::q50] < 0 ? std::string("never") : format("%.0f", break_even[st::q50]))
      << "; chance it saves money: " << format("%.0f%%", 100 * saves[st::mean]) << "\n";
}

void print_run_summary(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                       const std::string& config_source, const RunTiming& timing) {
  if (runs.empty()) return;
  const auto& authority = model.authority;
  const auto replicates = static_cast<double>(runs.size());
  const std::size_t last = static_cast<std::size_t>(model.months - 1);
  const auto start = engine::parse_calendar_month(authority.simulation.start_month);

  long long family_months = 0;
  for (const auto& run : runs)
    for (const auto value : run.stock_families.values) family_months += value;

  out << authority.name << (authority.description.empty() ? "" : " — " + authority.description) << "\n";
  out << "  configuration: " << config_source << "\n";
  out << "  " << thousands(authority.population.families) << " families, " << model.months << " months from "
      << engine::month_label(start) << " to " << engine::month_label(engine::add_months(start, model.months - 1))
      << ", " << runs.size() << (runs.size() == 1 ? " replicate" : " replicates") << ", seed "
      << authority.simulation.seed << ", " << timing.threads << (timing.threads == 1 ? " thread" : " threads") << "\n";
  family_months *= timing.scenarios;  // every scenario runs the baseline's months (to within its own changes)
  out << "  simulated " << (timing.scenarios > 1 ? "about " : "") << thousands(family_months) << " family-months"
      << (timing.scenarios > 1 ? " (" + std::to_string(timing.scenarios) + " scenarios)" : "") << " in "
      << format("%.2f", timing.seconds) << " s ("
      << format("%.1f", timing.seconds > 0 ? family_months / timing.seconds / 1e6 : 0.0) << " million a second)\n\n";

  const char* mean_note = runs.size() > 1 ? " (mean over replicates)" : "";
  out << "  Families by level of need, start and end" << mean_note << "\n";
  const bool ranges = runs.size() > 1;
  out << "  " << pad("level", 24, false) << pad("start", 10) << pad("end", 10) << pad("change", 9)
      << (ranges ? pad("end, lowest-highest replicate", 32) : "") << pad("children", 11) << "\n";
  for (int k = 0; k < model.level_count; ++k) {
    double start_families = 0, end_families = 0, end_children = 0;
    std::int64_t lowest = std::numeric_limits<std::int64_t>::max(), highest = 0;
    for (const auto& run : runs) {
      start_families += static_cast<double>(run.initial_families.values[k]);
      end_families += static_cast<double>(run.stock_families(last, k));
      end_children += static_cast<double>(run.stock_children(last, k));
      lowest = std::min(lowest, run.stock_families(last, k));
      highest = std::max(highest, run.stock_families(last, k));
    }
    start_families /= replicates;
    end_families /= replicates;
    end_children /= replicates;
    const auto& level = authority.levels[k];
    const std::string name = level.label.empty() ? std::to_string(k + 1) + " " + level.name : level.label;
    const double change = start_families > 0 ? (end_families / start_families - 1) * 100 : 0;
    out << "  " << pad(name, 24, false) << pad(thousands(std::llround(start_families)), 10)
        << pad(thousands(std::llround(end_families)), 10) << pad(format("%+.1f%%", change), 9)
        << (ranges ? pad(thousands(lowest) + " - " + thousands(highest), 32) : "")
        << pad(thousands(std::llround(end_children)), 11) << "\n";
  }

  if (model.theme_count > 0) {
    out << "\n  Families with each risk theme active" << mean_note << "\n";
    for (int j = 0; j < model.theme_count; ++j) {
      double start_count = 0, end_count = 0, end_total = 0, start_total = 0;
      for (const auto& run : runs) {
        start_count += static_cast<double>(run.initial_theme_families.values[j]);
        end_count += static_cast<double>(run.theme_families(last, j));
        for (int k = 0; k < model.level_count; ++k) {
          start_total += static_cast<double>(run.initial_families.values[k]);
          end_total += static_cast<double>(run.stock_families(last, k));
        }
      }
      const auto& theme = authority.themes[j];
      const auto share = [](double count, double total) { return total > 0 ? 100 * count / total : 0.0; };
      out << "  " << pad(theme.label.empty() ? theme.name : theme.label, 34, false)
          << pad(format("%.1f%%", share(start_count, start_total)), 8) << " -> "
          << pad(format("%.1f%%", share(end_count, end_total)), 6) << "\n";
    }
  }

  double arrivals = 0, aged_out = 0, moved = 0;
  for (const auto& run : runs) {
    for (const auto v : run.arrivals.values) arrivals += static_cast<double>(v);
    for (const auto v : run.departures_aged_out.values) aged_out += static_cast<double>(v);
    for (const auto v : run.departures_moved.values) moved += static_cast<double>(v);
  }
  if (!model.services.empty()) print_services(out, model, runs, mean_note);
  if (!authority.costs.universal_cost_per_family_month_gbp.empty() || !model.services.empty())
    print_spend(out, model, runs, mean_note);

  out << "\n  Over the run" << mean_note << ": " << thousands(std::llround(arrivals / replicates))
      << " families arrived, " << thousands(std::llround(aged_out / replicates))
      << " left as their youngest turned 18, " << thousands(std::llround(moved / replicates)) << " moved away.\n";
}

}  // namespace ehsim::cli

#include "calibration/targets.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <variant>

#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"
#include "engine/calendar.hpp"

namespace ehsim::calibration {

namespace {

using engine::RunResult;
namespace indicator = engine::indicator;
using MonthValue = std::function<double(const RunResult&, int month)>;

constexpr std::string_view per_10k_suffix = "_per_10k_children";

MonthValue indicator_of(std::size_t column) {
  return [column](const RunResult& run, int m) { return static_cast<double>(run.indicators(m, column)); };
}

MonthValue sum_of(std::vector<MonthValue> parts) {
  return [parts = std::move(parts)](const RunResult& run, int m) {
    double total = 0;
    for (const auto& part : parts) total += part(run, m);
    return total;
  };
}

using ServiceFilter = std::function<bool(const config::ServiceConfig&)>;

// The indices of the services that `keep` selects.
std::vector<std::size_t> services_where(const config::Authority& authority, const ServiceFilter& keep) {
  std::vector<std::size_t> chosen;
  for (std::size_t s = 0; s < authority.services.size(); ++s)
    if (keep(authority.services[s])) chosen.push_back(s);
  return chosen;
}

// A per-service count summed over the services that `keep` selects.
MonthValue over_services(const config::Authority& authority, const ServiceFilter& keep,
                         engine::CountArray RunResult::*member) {
  return [chosen = services_where(authority, keep), member](const RunResult& run, int m) {
    double total = 0;
    for (const std::size_t s : chosen) total += static_cast<double>((run.*member)(m, s));
    return total;
  };
}

// Closures of the chosen services, every outcome.
MonthValue closures_of(const config::Authority& authority, const ServiceFilter& keep) {
  return [chosen = services_where(authority, keep)](const RunResult& run, int m) {
    double total = 0;
    for (const std::size_t s : chosen)
      for (std::size_t o = 0; o < engine::closure_outcome::count; ++o)
        total += static_cast<double>(run.service_closures(m, s, o));
    return total;
  };
}

bool of_kind(const config::ServiceConfig& service, config::ServiceKind kind) { return service.kind == kind; }

}  // namespace

std::vector<TargetMeasure> target_measures(const config::Authority& authority) {
  using A = Aggregate;
  std::vector<TargetMeasure> all;
  const auto add = [&all](std::string name, Aggregate aggregate, std::string unit, std::string description,
                          MonthValue value, MonthValue denominator = {}) {
    all.push_back({{std::move(name), aggregate, std::move(unit), std::move(description)},
                   std::move(value),
                   std::move(denominator)});
  };
  const auto statutory = [](const config::ServiceConfig& s) { return s.statutory(); };
  const auto kind = [](config::ServiceKind k) { return [k](const config::ServiceConfig& s) { return of_kind(s, k); }; };
  const bool services = !authority.services.empty();

  if (services) {
    // Social care: children (as the national returns count them) and cases.
    add("children_in_need", A::stock, "children",
        "Children in open statutory social care cases (children in need, on child protection plans and in care, as "
        "the CIN census counts them), at the end of the month.",
        over_services(authority, statutory, &RunResult::service_children));
    add("children_on_plans", A::stock, "children", "Children on child protection plans at the end of the month.",
        indicator_of(indicator::children_on_plans));
    add("children_in_care", A::stock, "children", "Children in care (looked after) at the end of the month.",
        indicator_of(indicator::children_in_care));
    add("referrals", A::flow, "referrals", "Referrals to the front door.", indicator_of(indicator::referrals));
    add("re_referrals", A::flow, "referrals", "Referrals within 12 months of the family's last closed case.",
        indicator_of(indicator::re_referrals));
    add("re_referral_share", A::share, "share", "Re-referrals over referrals.", indicator_of(indicator::re_referrals),
        indicator_of(indicator::referrals));
    add("referrals_no_further_action", A::flow, "referrals", "Referrals closed at the front door.",
        indicator_of(indicator::referrals_no_further_action));
    add("no_further_action_share", A::share, "share", "Referrals closed at the front door over referrals.",
        indicator_of(indicator::referrals_no_further_action), indicator_of(indicator::referrals));
    add("referrals_to_early_help", A::flow, "referrals", "Referrals the front door routed to early help.",
        indicator_of(indicator::referrals_to_early_help));
    add("referrals_to_social_care", A::flow, "referrals", "Referrals the front door routed to statutory social care.",
        indicator_of(indicator::referrals_to_social_care));
    add("cin_starts", A::flow, "cases", "Cases opened by children_in_need services (families, not children).",
        over_services(authority, kind(config::ServiceKind::children_in_need), &RunResult::service_admissions));
    add("plan_starts", A::flow, "cases", "Cases opened by child_protection services (families, not children).",
        over_services(authority, kind(config::ServiceKind::child_protection), &RunResult::service_admissions));
    add("care_starts", A::flow, "cases", "Cases opened by children_in_care services (families, not children).",
        over_services(authority, kind(config::ServiceKind::children_in_care), &RunResult::service_admissions));
    add("care_exits", A::flow, "cases", "Cases children_in_care services closed, every outcome.",
        closures_of(authority, kind(config::ServiceKind::children_in_care)));
    // The same flows per child, as the CIN census and SSDA903 count them.
    add("cin_starts_children", A::flow, "children", "Children in the cases children_in_need services opened.",
        over_services(authority, kind(config::ServiceKind::children_in_need), &RunResult::service_admitted_children));
    add("plan_starts_children", A::flow, "children",
        "Children who started a child protection plan: children in the cases child_protection services opened.",
        over_services(authority, kind(config::ServiceKind::child_protection), &RunResult::service_admitted_children));
    add("care_starts_children", A::flow, "children",
        "Children who started to be looked after: children in the cases children_in_care services opened.",
        over_services(authority, kind(config::ServiceKind::children_in_care), &RunResult::service_admitted_children));
    add("care_exits_children", A::flow, "children",
        "Children who ceased to be looked after: children in the cases children_in_care services closed.",
        over_services(authority, kind(config::ServiceKind::children_in_care), &RunResult::service_closed_children));
    // Early help: every service that is not statutory.
    add("early_help_open_cases", A::stock, "cases", "Open early help cases at the end of the month.",
        indicator_of(indicator::early_help_open_cases));
    const MonthValue closures = sum_of({indicator_of(indicator::early_help_closures_needs_met),
                                        indicator_of(indicator::early_help_closures_stepped_up),
                                        indicator_of(indicator::early_help_closures_other)});
    add("early_help_closures", A::flow, "cases", "Early help cases closed, every outcome.", closures);
    add("early_help_mean_duration_months", A::duration, "months",
        "Mean months an early help case lasts, by Little's law: mean open cases over mean closures a month.",
        indicator_of(indicator::early_help_open_cases), closures);
    add("early_help_closure_share.needs_met", A::share, "share", "Early help closures with needs met, of all closures.",
        indicator_of(indicator::early_help_closures_needs_met), closures);
    add("early_help_closure_share.stepped_up", A::share, "share",
        "Early help closures stepped up to a higher level, of all closures.",
        indicator_of(indicator::early_help_closures_stepped_up), closures);
    add("early_help_closure_share.other", A::share, "share",
        "Early help closures for other reasons (disengaged, moved, aged out), of all closures.",
        indicator_of(indicator::early_help_closures_other), closures);
    const MonthValue assessments = sum_of({indicator_of(indicator::early_help_assessments_direct),
                                           indicator_of(indicator::early_help_assessments_stepped_down)});
    add("early_help_assessments", A::flow, "cases", "Early help cases opened, from the front door or stepped down.",
        assessments);
    add("early_help_route_share.direct", A::share, "share",
        "Early help cases opened from a front door referral, of all opened.",
        indicator_of(indicator::early_help_assessments_direct), assessments);
    add("early_help_route_share.stepped_down", A::share, "share",
        "Early help cases opened after a step-down from social care, of all opened.",
        indicator_of(indicator::early_help_assessments_stepped_down), assessments);
    add("families_waiting", A::stock, "families", "Families waiting for any service at the end of the month.",
        indicator_of(indicator::families_waiting));
  }
  // Families, children and spend by level.
  for (std::size_t l = 0; l < authority.levels.size(); ++l) {
    const std::string& level = authority.levels[l].name;
    add("stock_families." + level, A::stock, "families", "Families at the level at the end of the month.",
        [l](const RunResult& run, int m) { return static_cast<double>(run.stock_families(m, l)); });
    add("stock_children." + level, A::stock, "children",
        "Children in the families at the level at the end of the month.",
        [l](const RunResult& run, int m) { return static_cast<double>(run.stock_children(m, l)); });
    add("spend_by_level." + level, A::flow, "pounds", "Spend on the level's families (undiscounted).",
        [l](const RunResult& run, int m) { return static_cast<double>(run.spend_by_level(m, l)) / 100; });
    if (!services) continue;
    // What the services of a level hold and cost, as an authority's table by
    // level counts them (Barnet's open cases and annual cost per level).
    const auto at_level = [level](const config::ServiceConfig& service) {
      return std::find(service.levels.begin(), service.levels.end(), level) != service.levels.end();
    };
    add("caseload_at_level." + level, A::stock, "cases",
        "Open cases of the services that work at the level (its name in their levels; a service of several levels "
        "counts at each), at the end of the month.",
        over_services(authority, at_level, &RunResult::service_caseload));
    add("service_spend_at_level." + level, A::flow, "pounds",
        "Spend of the services that work at the level (as caseload_at_level counts them), undiscounted; universal "
        "services are spend_by_level.",
        [pence = over_services(authority, at_level, &RunResult::spend_by_service)](const RunResult& run, int m) {
          return pence(run, m) / 100;
        });
  }
  // Risk themes.
  for (std::size_t t = 0; t < authority.themes.size(); ++t)
    add("theme_families." + authority.themes[t].name, A::stock, "families",
        "Families with the theme active at the end of the month (any level).",
        [t](const RunResult& run, int m) { return static_cast<double>(run.theme_families(m, t)); });
  for (std::size_t t = 0; t < authority.themes.size(); ++t)
    add("theme_onsets." + authority.themes[t].name, A::flow, "families",
        "Families in which the theme started (any level; arrivals not counted): exclusions, say, where a theme "
        "stands for them.",
        [t](const RunResult& run, int m) { return static_cast<double>(run.theme_onsets(m, t)); });
  add("spend_total", A::flow, "pounds", "All spend (undiscounted).",
      [levels = authority.levels.size()](const RunResult& run, int m) {
        double pence = 0;
        for (std::size_t l = 0; l < levels; ++l) pence += static_cast<double>(run.spend_by_level(m, l));
        return pence / 100;
      });
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    const std::string& service = authority.services[s].name;
    const auto count = [s](engine::CountArray RunResult::*member) {
      return [s, member](const RunResult& run, int m) { return static_cast<double>((run.*member)(m, s)); };
    };
    add("service_caseload." + service, A::stock, "cases", "The service's open cases at the end of the month.",
        count(&RunResult::service_caseload));
    add("service_children." + service, A::stock, "children",
        "Children in the service's open cases at the end of the month.", count(&RunResult::service_children));
    add("service_waiting." + service, A::stock, "families", "Families waiting for the service at the end of the month.",
        count(&RunResult::service_waiting));
    add("service_admissions." + service, A::flow, "cases", "Cases the service opened.",
        count(&RunResult::service_admissions));
    const auto one = [&](const config::ServiceConfig& other) { return other.name == service; };
    add("service_closures." + service, A::flow, "cases", "Cases the service closed, every outcome.",
        closures_of(authority, one));
    add("service_mean_duration_months." + service, A::duration, "months",
        "Mean months a case of the service lasts, by Little's law: mean open cases over mean closures a month.",
        count(&RunResult::service_caseload), closures_of(authority, one));
    add("spend_by_service." + service, A::flow, "pounds", "The service's spend (undiscounted).",
        [s](const RunResult& run, int m) { return static_cast<double>(run.spend_by_service(m, s)) / 100; });
  }
  return all;
}

namespace {

const TargetMeasure* find(const std::vector<TargetMeasure>& all, const std::string& name) {
  for (const auto& definition : all)
    if (definition.info.name == name) return &definition;
  return nullptr;
}

double children_at(const RunResult& run, int m) {
  double children = 0;
  for (int l = 0; l < run.levels; ++l)
    children += static_cast<double>(run.stock_children(m, static_cast<std::size_t>(l)));
  return children;
}

// Splits one CSV line into fields: commas separate, a field in double quotes
// may hold commas and "" for a quote. Returns nothing for an unclosed quote.
std::optional<std::vector<std::string>> split_csv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  for (auto& field : fields) {
    const auto first = field.find_first_not_of(" \t");
    const auto last = field.find_last_not_of(" \t\r");
    field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
  }
  return fields;
}

std::optional<double> number(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The period a text names, or a message saying why it names none in this run.
std::variant<Period, std::string> parse_period(const std::string& text, const config::Authority& authority) {
  const engine::CalendarMonth start = engine::parse_calendar_month(authority.simulation.start_month);
  const int months = static_cast<int>(authority.simulation.months);
  const int start_index = start.year * 12 + start.month - 1;
  const std::string run = "the run covers " + engine::month_label(start) + " to " +
                          engine::month_label(engine::add_months(start, months - 1));
  Period period;
  period.text = text;
  if (text == "steady") {
    period.kind = Period::Kind::steady;
    period.first = 0;
    period.last = months - 1;
    return period;
  }
  if (text.size() == 7 && digits(text.substr(0, 4)) && text[4] == '-' && digits(text.substr(5, 2))) {
    const int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2));
    if (month < 1 || month > 12) return "'" + text + "' is not a month (YYYY-MM, month 01 to 12)";
    period.kind = Period::Kind::month;
    period.first = period.last = year * 12 + month - 1 - start_index;
  } else if (text.size() == 9 && text.compare(0, 2, "FY") == 0 && digits(text.substr(2, 4)) && text[6] == '-' &&
             digits(text.substr(7, 2))) {
    const int year = std::stoi(text.substr(2, 4));
    if (std::stoi(text.substr(7, 2)) != (year + 1) % 100)
      return "'" + text + "' is not a financial year: FY" + std::to_string(year) + "-" +
             (((year + 1) % 100) < 10 ? "0" : "") + std::to_string((year + 1) % 100) + " runs April " +
             std::to_string(year) + " to March " + std::to_string(year + 1);
    period.kind = Period::Kind::financial_year;
    period.first = year * 12 + 3 - start_index;
    period.last = period.first + 11;
  } else {
    return "'" + text + "' is not a period: a month YYYY-MM, a financial year FY2014-15, or steady";
  }
  if (period.first < 0 || period.last >= months)
    return "'" + text + "' is outside the run: " + run +
           (period.kind == Period::Kind::financial_year ? " and a financial year must lie inside it whole" : "") +
           " (set simulation.start_month and simulation.months to cover the targets)";
  return period;
}

}  // namespace

std::string target_measures_markdown(const config::Authority& authority) {
  const auto aggregate_name = [](Aggregate aggregate) {
    switch (aggregate) {
      case Aggregate::stock:
        return "stock";
      case Aggregate::flow:
        return "flow";
      case Aggregate::share:
        return "share";
      case Aggregate::duration:
        return "duration";
    }
    return "";
  };
  std::string text = "| Measure | Kind | Unit | Meaning |\n|---|---|---|---|\n";
  std::vector<std::string> written;
  for (const auto& measure : target_measures(authority)) {
    std::string name = measure.info.name;
    const auto dot = name.rfind('.');
    if (dot != std::string::npos) {
      const std::string suffix = name.substr(dot + 1);
      const bool level = std::any_of(authority.levels.begin(), authority.levels.end(),
                                     [&](const auto& l) { return l.name == suffix; });
      const bool service = std::any_of(authority.services.begin(), authority.services.end(),
                                       [&](const auto& s) { return s.name == suffix; });
      const bool theme = std::any_of(authority.themes.begin(), authority.themes.end(),
                                     [&](const auto& t) { return t.name == suffix; });
      if (level) name = name.substr(0, dot) + ".<level>";
      if (service) name = name.substr(0, dot) + ".<service>";
      if (theme) name = name.substr(0, dot) + ".<theme>";
    }
    if (std::find(written.begin(), written.end(), name) != written.end()) continue;
    written.push_back(name);
    text += "| `" + name + "` | " + aggregate_name(measure.info.aggregate) + " | " + measure.info.unit + " | " +
            measure.info.description + " |\n";
  }
  return text;
}

std::string Target::label() const {
  return measure + (per_10k_children ? std::string(per_10k_suffix) : std::string()) + " @ " + period.text;
}

double default_uncertainty(Aggregate aggregate, double value) {
  if (aggregate == Aggregate::share) return 0.05;
  return std::max(0.1 * std::abs(value), 1.0);
}

std::vector<Target> load_targets(const std::filesystem::path& path, const config::Authority& authority) {
  const std::string name = path.string();
  const std::string text = config::read_config_file(path);
  const auto all = target_measures(authority);
  std::vector<std::string> names;
  for (const auto& definition : all) names.push_back(definition.info.name);
  config::Diagnostics diagnostics;
  std::vector<Target> targets;
  std::istringstream lines(text);
  std::uint32_t line_number = 0;
  bool header = false;
  const std::vector<std::string> columns{"measure", "period", "value", "uncertainty", "source"};
  std::map<std::string, std::uint32_t> seen;  // label -> line
  for (std::string line; std::getline(lines, line);) {
    ++line_number;
    // A spreadsheet's UTF-8 byte order mark is not part of the header.
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    const config::SourcePosition where{name, line_number};
    const auto start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    const auto fields = split_csv(line);
    if (!fields) {
      diagnostics.error(where, "", "a quoted field is not closed (\")");
      continue;
    }
    if (!header) {
      header = true;
      if (*fields != columns)
        diagnostics.error(
            where, "",
            "the first line that is not a comment must be the header measure,period,value,uncertainty,source");
      continue;
    }
    if (fields->size() != columns.size()) {
      diagnostics.error(where, "",
                        "expected 5 fields (measure,period,value,uncertainty,source), found " +
                            std::to_string(fields->size()) + " (quote a source that holds a comma)");
      continue;
    }
    Target target;
    target.where = where;
    target.measure = (*fields)[0];
    target.source = (*fields)[4];
    if (target.measure.size() > per_10k_suffix.size() &&
        target.measure.compare(target.measure.size() - per_10k_suffix.size(), per_10k_suffix.size(), per_10k_suffix) ==
            0) {
      target.per_10k_children = true;
      target.measure.resize(target.measure.size() - per_10k_suffix.size());
    }
    const TargetMeasure* definition = find(all, target.measure);
    if (definition == nullptr) {
      const std::string suggestion = config::closest_name(target.measure, names);
      diagnostics.error(where, (*fields)[0],
                        "not a measure of this configuration" +
                            (suggestion.empty() ? std::string() : " (did you mean '" + suggestion + "'?)") +
                            "; docs/calibration.md lists them");
      continue;
    }
    target.aggregate = definition->info.aggregate;
    target.index = static_cast<std::size_t>(definition - all.data());
    if (target.per_10k_children && (target.aggregate == Aggregate::share || target.aggregate == Aggregate::duration)) {
      diagnostics.error(where, (*fields)[0], "a share or duration is not scaled per 10,000 children");
      continue;
    }
    auto period = parse_period((*fields)[1], authority);
    if (auto* message = std::get_if<std::string>(&period)) {
      diagnostics.error(where, target.measure, *message);
      continue;
    }
    target.period = std::get<Period>(period);
    const auto value = number((*fields)[2]);
    if (!value) {
      diagnostics.error(where, target.label(), "value '" + (*fields)[2] + "' is not a number");
      continue;
    }
    target.value = *value;
    if (target.aggregate == Aggregate::share && (target.value < 0 || target.value > 1)) {
      diagnostics.error(where, target.label(),
                        "a share is from 0 to 1, not " + config::format_number(target.value) + " (write 22% as 0.22)");
      continue;
    }
    if (target.value > 1e15) {
      diagnostics.error(where, target.label(), "value " + (*fields)[2] + " is beyond any figure an authority holds");
      continue;
    }
    if (target.value < 0) {
      diagnostics.error(where, target.label(), "a count, sum of money or duration is not negative");
      continue;
    }
    if ((*fields)[3].empty()) {
      target.uncertainty = default_uncertainty(target.aggregate, target.value);
      target.default_uncertainty = true;
    } else {
      const auto uncertainty = number((*fields)[3]);
      if (!uncertainty || !(*uncertainty >= 1e-9 * std::max(1.0, std::abs(target.value)))) {
        diagnostics.error(
            where, target.label(),
            "uncertainty '" + (*fields)[3] +
                "' must be a number above 0, and not below a billionth of the value (one standard deviation "
                "of the figure, in its units), or empty for the default");
        continue;
      }
      target.uncertainty = *uncertainty;
    }
    const auto [previous, fresh] = seen.emplace(target.label(), line_number);
    if (!fresh) {
      diagnostics.error(where, target.label(), "is also a target on line " + std::to_string(previous->second));
      continue;
    }
    targets.push_back(std::move(target));
  }
  if (diagnostics.empty() && targets.empty())
    diagnostics.error({name, line_number}, "", "no targets: give a header and at least one line");
  if (!diagnostics.empty()) throw config::ConfigError(diagnostics.issues());
  return targets;
}

double simulated(const Target& target, const std::vector<TargetMeasure>& measures, const RunResult& run) {
  const TargetMeasure* definition = &measures.at(target.index);
  const int first = target.period.first, last = target.period.last;
  const double months = last - first + 1;
  double value = 0, denominator = 0;
  for (int m = first; m <= last; ++m) {
    value += definition->value(run, m);
    if (definition->denominator) denominator += definition->denominator(run, m);
  }
  double children = 0;
  if (target.aggregate == Aggregate::share || target.aggregate == Aggregate::duration)
    return denominator > 0 ? value / denominator : 0;
  const bool at_year_end = target.aggregate == Aggregate::stock && target.period.kind == Period::Kind::financial_year;
  if (at_year_end) {
    value = definition->value(run, last);
    children = children_at(run, last);
  } else {
    if (target.aggregate == Aggregate::stock || target.period.kind == Period::Kind::steady) value /= months;
    for (int m = first; m <= last; ++m) children += children_at(run, m);
    children /= months;
  }
  if (!target.per_10k_children) return value;
  return children > 0 ? value * 10000 / children : 0;
}

int last_month_needed(const std::vector<Target>& targets, const config::Authority& authority) {
  int last = 0;
  for (const auto& target : targets) last = std::max(last, target.period.last);
  return std::min(last, static_cast<int>(authority.simulation.months) - 1);
}

}  // namespace ehsim::calibration

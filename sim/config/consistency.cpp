// The checks across keys, one function per section of the configuration,
// called in the order of the sections so that issues come in file order.
#include "config/consistency.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "config/apportion.hpp"
#include "config/limits.hpp"

namespace ehsim::config {

namespace {

constexpr double share_tolerance = 1e-6;

// Reports an issue at the position of its key (or of the nearest table given).
class Report {
 public:
  explicit Report(ParseContext& ctx) : ctx_(ctx) {}
  void operator()(const std::string& key, std::string message) const {
    ctx_.error(ctx_.position(key), key, std::move(message));
  }

 private:
  ParseContext& ctx_;
};

std::string entries(std::size_t n) { return std::to_string(n) + (n == 1 ? " entry" : " entries"); }

double sum(const std::vector<double>& values) {
  double total = 0;
  for (const double v : values) total += v;
  return total;
}

bool valid_month(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6})
    if (text[i] < '0' || text[i] > '9') return false;
  const int month = std::stoi(text.substr(5, 2));
  return month >= 1 && month <= 12;
}

// Months since year 0, for comparing "YYYY-MM" months.
int month_index(const std::string& text) {
  return std::stoi(text.substr(0, 4)) * 12 + std::stoi(text.substr(5, 2)) - 1;
}

// Index of a level by name, or -1.
int level_index(const Authority& authority, const std::string& name) {
  const auto& levels = authority.levels;
  for (std::size_t k = 0; k < levels.size(); ++k)
    if (levels[k].name == name) return static_cast<int>(k);
  return -1;
}

const ServiceConfig* find_service(const Authority& authority, const std::string& name) {
  const auto& services = authority.services;
  const auto found =
      std::find_if(services.begin(), services.end(), [&](const ServiceConfig& s) { return s.name == name; });
  return found == services.end() ? nullptr : &*found;
}

std::set<std::string> theme_names(const Authority& authority) {
  std::set<std::string> names;
  for (const auto& theme : authority.themes) names.insert(theme.name);
  return names;
}

// Shares, when given, add up to 1.
void check_shares(const std::string& key, const std::vector<double>& shares, const Report& fail) {
  if (!shares.empty() && std::abs(sum(shares) - 1.0) > share_tolerance)
    fail(key, "shares add up to " + format_number(sum(shares)) + ", not 1");
}

// A month of the run: written "YYYY-MM" and within the run, burn-in included.
void check_run_month(const std::string& month, const std::string& key, const SimulationConfig& simulation,
                     const Report& fail) {
  if (!valid_month(month)) {
    fail(key, "'" + month + "' is not a month written \"YYYY-MM\"");
    return;
  }
  if (!valid_month(simulation.start_month)) return;
  const int index = month_index(month) - month_index(simulation.start_month);
  if (index < -simulation.burn_in_months || index >= simulation.months)
    fail(key, "'" + month + "' is outside the run (" + std::to_string(simulation.burn_in_months) +
                  " months of burn-in before " + simulation.start_month + ", then " +
                  std::to_string(simulation.months) + " months)");
}

// A schedule's months, each a month of the run.
void check_schedule_months(const std::map<std::string, double>& schedule, const std::string& key,
                           const SimulationConfig& simulation, const Report& fail) {
  for (const auto& [month, value] : schedule) check_run_month(month, key, simulation, fail);
}

// The start month is a month.
void check_simulation(const Authority& authority, const Report& fail) {
  if (!valid_month(authority.simulation.start_month))
    fail("simulation.start_month", "expected a month as \"YYYY-MM\", got \"" + authority.simulation.start_month + "\"");
}

// Shares that add up to 1, localities named once, five quintiles, and a
// projection of the families that fits in memory.
void check_population(const Authority& authority, const Report& fail) {
  const auto& population = authority.population;
  if (population.children_per_family_shares.empty() || population.children_per_family_shares.size() > 4)
    fail("population.children_per_family_shares", "needs 1 to 4 entries (families with 1, 2, 3, 4 children)");
  check_shares("population.children_per_family_shares", population.children_per_family_shares, fail);
  if (population.locality_names.empty()) fail("population.locality_names", "needs at least one locality");
  if (population.locality_names.size() > 255) fail("population.locality_names", "at most 255 localities");
  if (population.locality_shares.size() != population.locality_names.size())
    fail("population.locality_shares", "has " + entries(population.locality_shares.size()) + " but there are " +
                                           std::to_string(population.locality_names.size()) + " localities");
  check_shares("population.locality_shares", population.locality_shares, fail);
  std::set<std::string> localities;
  for (const auto& locality : population.locality_names)
    if (!localities.insert(locality).second) fail("population.locality_names", "'" + locality + "' appears twice");
  if (population.deprivation_quintile_shares.size() != 5)
    fail("population.deprivation_quintile_shares", "needs 5 entries, one per quintile");
  // Families are held in memory: the projection's largest month must fit, or
  // a run would grow until the memory is gone.
  if (population.arrivals && population.growth_per_year > 0) {
    const double projected =
        static_cast<double>(population.families) *
        std::pow(1 + population.growth_per_year, static_cast<double>(authority.simulation.months) / 12);
    if (projected > limits::max_projected_families)
      fail("population.growth_per_year", "projects " + format_number(std::round(projected)) +
                                             " families by the last of " + std::to_string(authority.simulation.months) +
                                             " months; at most " + format_number(limits::max_projected_families) +
                                             " can be simulated: use a lower growth, fewer months or fewer families");
  }
  check_shares("population.deprivation_quintile_shares", population.deprivation_quintile_shares, fail);
}

// Two to eight levels, named once with identifiers, whose initial shares add
// up to 1; nothing moves up from the top level or down from the bottom one.
void check_levels(const Authority& authority, const Report& fail) {
  const auto& levels = authority.levels;
  if (levels.size() < 2 || levels.size() > static_cast<std::size_t>(max_levels))
    fail("levels", "needs 2 to " + std::to_string(max_levels) + " [[levels]], found " + std::to_string(levels.size()));
  std::set<std::string> level_names;
  std::vector<double> level_shares;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const std::string key = "levels[" + std::to_string(k) + "]";
    if (!is_identifier(levels[k].name))
      fail(key + ".name", "names use lower-case letters, digits and underscores, starting with a letter");
    if (!level_names.insert(levels[k].name).second) fail(key + ".name", "'" + levels[k].name + "' appears twice");
    level_shares.push_back(levels[k].initial_share);
    if (k + 1 == levels.size() && levels[k].up_hazard_per_month != 0)
      fail(key + ".up_hazard_per_month", "must be 0 on the top level");
    if (k == 0 && levels[k].down_hazard_per_month != 0)
      fail(key + ".down_hazard_per_month", "must be 0 on the bottom level");
  }
  if (!levels.empty() && std::abs(sum(level_shares) - 1.0) > share_tolerance)
    fail("levels", "initial_share of the levels adds up to " + format_number(sum(level_shares)) + ", not 1");
}

// At most sixteen themes, each with a prevalence per level, multiplied by
// themes that exist, and changing over months within the run.
void check_themes(const Authority& authority, const Report& fail) {
  const auto& themes = authority.themes;
  if (themes.size() > static_cast<std::size_t>(max_themes))
    fail("themes", "at most " + std::to_string(max_themes) + " themes, found " + std::to_string(themes.size()));
  const auto names = theme_names(authority);
  for (const auto& theme : themes) {
    const std::string key = "themes." + theme.name;
    if (theme.prevalence_by_level.size() != authority.levels.size())
      fail(key + ".prevalence_by_level", "has " + entries(theme.prevalence_by_level.size()) + " but there are " +
                                             std::to_string(authority.levels.size()) + " levels");
    for (const auto& [other, multiplier] : theme.onset_multiplier_if_active)
      if (names.count(other) == 0) fail(key + ".onset_multiplier_if_active", "'" + other + "' is not a theme");
    check_schedule_months(theme.onset_multiplier_from_month, key + ".onset_multiplier_from_month", authority.simulation,
                          fail);
  }
}

// A multiplier per deprivation quintile, and interactions of two or more
// themes that exist.
void check_risk(const Authority& authority, const Report& fail) {
  const auto& risk = authority.risk;
  if (risk.onset_multiplier_by_deprivation.size() != 5)
    fail("risk.onset_multiplier_by_deprivation", "needs 5 entries, one per quintile");
  const auto names = theme_names(authority);
  for (const auto& interaction : risk.interactions) {
    const std::string key = "risk.interactions." + interaction.name + ".themes";
    if (interaction.themes.size() < 2) fail(key, "needs at least two themes");
    for (const auto& theme : interaction.themes)
      if (names.count(theme) == 0) fail(key, "'" + theme + "' is not a theme");
  }
}

// Crisis jumps between levels that exist, skipping at least one level
// upwards, at most six from one level, on a theme that exists.
void check_jumps(const Authority& authority, const Report& fail) {
  const auto names = theme_names(authority);
  std::vector<int> jumps_from(authority.levels.size(), 0);
  for (const auto& jump : authority.jumps) {
    const std::string key = "jumps." + jump.name;
    const int from = level_index(authority, jump.from_level);
    if (from >= 0 && ++jumps_from[static_cast<std::size_t>(from)] == max_jumps_per_level + 1)
      fail(key + ".from_level", "at most " + std::to_string(max_jumps_per_level) + " jumps from one level");
    const int to = level_index(authority, jump.to_level);
    if (from < 0) fail(key + ".from_level", "'" + jump.from_level + "' is not a level");
    if (to < 0) fail(key + ".to_level", "'" + jump.to_level + "' is not a level");
    if (from >= 0 && to >= 0 && to < from + 2)
      fail(key + ".to_level", "a jump must skip at least one level upwards; use up_hazard_per_month for one step");
    if (!jump.theme.empty() && names.count(jump.theme) == 0)
      fail(key + ".theme", "'" + jump.theme + "' is not a theme");
  }
}

// A mixture of episode lengths: shares and means that match, adding up to 1,
// with the mean the file states.
// Months open are whole numbers from 1, written as text keys.
void check_months_open(const ServiceConfig& service, const std::string& key, const Report& fail) {
  for (const auto& [months, ratio] : service.completion_ratio_from_months_open) {
    const bool whole = !months.empty() && months.size() <= 4 &&
                       std::all_of(months.begin(), months.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!whole || std::stoi(months) < 1)
      fail(key + ".completion_ratio_from_months_open",
           "'" + months + "' is not a number of months open (a whole number from 1 to 9999, as text: \"6\")");
  }
}

void check_duration_mix(const ServiceConfig& service, const std::string& key, const Report& fail) {
  const auto& shares = service.duration_mix_shares;
  const auto& means = service.duration_mix_means_months;
  if (shares.empty() && means.empty()) return;
  if (shares.size() != means.size()) {
    fail(key + ".duration_mix_means_months",
         "has " + entries(means.size()) + " but duration_mix_shares has " + entries(shares.size()));
    return;
  }
  if (shares.size() > 4) fail(key + ".duration_mix_shares", "at most 4 kinds of episode");
  if (std::abs(sum(shares) - 1.0) > share_tolerance)
    fail(key + ".duration_mix_shares", "shares add up to " + format_number(sum(shares)) + ", not 1");
  double mean = 0;
  for (std::size_t c = 0; c < shares.size(); ++c) mean += shares[c] * means[c];
  if (std::abs(mean / service.duration_mean_months - 1) > 0.02)
    fail(key + ".duration_mean_months", format_number(service.duration_mean_months) +
                                            " months differs from the mean of the mixture, " + format_number(mean) +
                                            " (duration_mix_shares x duration_mix_means_months); make them agree");
}

// A placement mix: the same placement types in shares and costs, shares
// adding up to 1, costed per child, instead of a cost per case-month.
void check_placements(const ServiceConfig& service, const std::string& key, const Report& fail) {
  const auto& shares = service.placement_shares;
  const auto& costs = service.placement_cost_per_child_month_gbp;
  if (shares.empty() && costs.empty()) return;
  for (const auto& [type, share] : shares)
    if (costs.count(type) == 0)
      fail(key + ".placement_cost_per_child_month_gbp", "has no cost for placement type '" + type + "'");
  for (const auto& [type, cost] : costs)
    if (shares.count(type) == 0) fail(key + ".placement_shares", "has no share for placement type '" + type + "'");
  double total = 0;
  for (const auto& [type, share] : shares) total += share;
  if (std::abs(total - 1.0) > share_tolerance)
    fail(key + ".placement_shares", "shares add up to " + format_number(total) + ", not 1");
  if (!service.cost_per_child)
    fail(key + ".placement_shares", "a placement mix is costed per child: set cost_per_child = true");
  if (service.cost_per_case_month_gbp != 0)
    fail(key + ".cost_per_case_month_gbp",
         "give either a cost per case-month or a placement mix (placement_shares and its costs), not both");
}

// A capacity held per locality must give every locality a place, or its
// families wait for good. The first capacity that cannot is reported.
void check_locality_places(const ServiceConfig& service, const std::string& key, const Authority& authority,
                           const Report& fail) {
  const PopulationConfig& population = authority.population;
  const auto gives_none = [&](std::int64_t cases, const std::string& where) {
    const auto split = apportion(cases, population.locality_shares);
    for (std::size_t l = 0; l < split.size(); ++l) {
      if (split[l] > 0 || population.locality_shares[l] <= 0) continue;
      fail(where, std::to_string(cases) + " cases held per locality give '" + population.locality_names[l] +
                      "' no place, so its families would wait for good; give more cases or hold them borough wide");
      return true;
    }
    return false;
  };
  if (service.capacity_cases > 0 &&
      gives_none(scaled_cases(authority, static_cast<double>(service.capacity_cases)), key + ".capacity_cases"))
    return;
  for (const auto& [month, cases] : service.capacity_from_month)
    if (cases > 0 && gives_none(scaled_cases(authority, cases), key + ".capacity_from_month")) return;
}

// One service: consecutive levels that exist, themes that exist, its episode
// lengths and placements, no capacity or consent when statutory, and a
// capacity schedule of whole cases within the run, with a place in every
// locality when held per locality.
void check_service(const Authority& authority, const ServiceConfig& service, const std::set<std::string>& names,
                   const Report& fail) {
  const std::string key = "services." + service.name;
  if (service.levels.empty()) fail(key + ".levels", "needs at least one level");
  std::vector<int> served;
  for (const auto& level : service.levels) {
    if (level_index(authority, level) < 0) fail(key + ".levels", "'" + level + "' is not a level");
    served.push_back(level_index(authority, level));
  }
  std::sort(served.begin(), served.end());
  for (std::size_t l = 1; l < served.size(); ++l)
    if (served[l] != served[l - 1] + 1)
      fail(key + ".levels", "must be consecutive levels, with none skipped (a family moves one level at a time)");
  for (const auto& [theme, multiplier] : service.remission_multiplier)
    if (names.count(theme) == 0) fail(key + ".remission_multiplier", "'" + theme + "' is not a theme");
  for (const auto& theme : service.themes)
    if (names.count(theme) == 0) fail(key + ".themes", "'" + theme + "' is not a theme");
  check_duration_mix(service, key, fail);
  check_months_open(service, key, fail);
  if (!service.youngest_age_years.empty()) {
    const auto& ages = service.youngest_age_years;
    if (ages.size() != 2)
      fail(key + ".youngest_age_years", "needs two ages, [from, below), not " + entries(ages.size()));
    else if (!(std::lround(ages[0] * 12) < std::lround(ages[1] * 12)))  // as the run uses them, in whole months
      fail(key + ".youngest_age_years",
           "needs from below below: [" + format_number(ages[0]) + ", " + format_number(ages[1]) + "] takes no family");
    if (service.statutory())
      fail(key + ".youngest_age_years",
           "a statutory service takes every child routed to it, whatever the age; limit an early help, targeted or "
           "intensive service");
  }
  check_placements(service, key, fail);
  if (service.statutory()) {
    // Keys a statutory service would silently ignore are mistakes.
    const std::string kind(name_of(service.kind));
    if (service.capacity_cases != 0 || !service.capacity_from_month.empty() || service.capacity_by_locality)
      fail(key + (service.capacity_cases != 0    ? ".capacity_cases"
                  : service.capacity_by_locality ? ".capacity_by_locality"
                                                 : ".capacity_from_month"),
           "a " + kind + " service is statutory: it takes every case routed to it, so it has no capacity");
    if (service.consent_probability != 1)
      fail(key + ".consent_probability",
           "a " + kind + " service is statutory: families do not choose whether to take part");
    if (service.contract == Contract::block)
      fail(key + ".contract", "a " + kind + " service is statutory: it has no places to pay for by block contract");
  } else if (service.contract == Contract::block && service.cost_per_child) {
    fail(key + ".contract", "a block contract pays per place, but cost_per_child charges per child: choose one");
  }
  check_schedule_months(service.capacity_from_month, key + ".capacity_from_month", authority.simulation, fail);
  for (const auto& [field, month] : {std::pair{".open_from_month", service.open_from_month},
                                     std::pair{".open_until_month", service.open_until_month}})
    if (!month.empty()) check_run_month(month, key + field, authority.simulation, fail);
  if (valid_month(service.open_from_month) && valid_month(service.open_until_month) &&
      month_index(service.open_until_month) <= month_index(service.open_from_month))
    fail(key + ".open_until_month", "'" + service.open_until_month + "' is not after open_from_month '" +
                                        service.open_from_month + "': the service would take no one");
  for (const auto& [month, cases] : service.capacity_from_month)
    if (valid_month(month) && cases != std::floor(cases))
      fail(key + ".capacity_from_month", format_number(cases) + " cases from " + month + " is not a whole number");
  const auto& population = authority.population;
  if (service.capacity_by_locality && population.locality_shares.size() == population.locality_names.size())
    check_locality_places(service, key, authority, fail);
}

// A step-down, from social care only, to a service that exists, is not social
// care and works with the level below the service's lowest.
void check_step_down(const Authority& authority, const ServiceConfig& service, const Report& fail) {
  if (service.step_down_to.empty()) return;
  const auto& levels = authority.levels;
  const std::string key = "services." + service.name + ".step_down_to";
  const ServiceConfig* target = find_service(authority, service.step_down_to);
  int lowest = static_cast<int>(levels.size());
  for (const auto& level : service.levels)
    if (level_index(authority, level) >= 0) lowest = std::min(lowest, level_index(authority, level));
  if (target == nullptr) {
    fail(key, "'" + service.step_down_to + "' is not a service");
  } else if (!service.statutory()) {
    fail(key, "only social care (children_in_need, child_protection, children_in_care) steps families down; '" +
                  service.name + "' is " + std::string(name_of(service.kind)));
  } else if (target->statutory()) {
    fail(key, "'" + service.step_down_to + "' is " + std::string(name_of(target->kind)) +
                  ": step-down from social care goes to an early help, targeted or intensive service");
  } else if (lowest == 0) {
    fail(key, "the service works with the lowest level, so no family steps down below it");
  } else if (lowest < static_cast<int>(levels.size())) {
    const auto& below = levels[static_cast<std::size_t>(lowest - 1)].name;
    if (std::find(target->levels.begin(), target->levels.end(), below) == target->levels.end())
      fail(key, "'" + service.step_down_to + "' does not work with level '" + below +
                    "', where families stepping down from '" + service.name + "' arrive");
  }
}

// A transfer, from social care to another social care service that works
// with every level of the first; a hazard above 0 needs one (0 is off).
void check_transfer(const Authority& authority, const ServiceConfig& service, const Report& fail) {
  const std::string key = "services." + service.name;
  if (service.transfer_to.empty()) {
    if (service.transfer_hazard_per_month > 0)
      fail(key + ".transfer_hazard_per_month",
           "is " + format_number(service.transfer_hazard_per_month) + " but transfer_to names no service to move to");
    return;
  }
  const ServiceConfig* target = find_service(authority, service.transfer_to);
  if (target == nullptr) {
    fail(key + ".transfer_to", "'" + service.transfer_to + "' is not a service");
  } else if (!service.statutory()) {
    fail(key + ".transfer_to",
         "only social care (children_in_need, child_protection, children_in_care) transfers cases; '" + service.name +
             "' is " + std::string(name_of(service.kind)));
  } else if (target == &service) {
    fail(key + ".transfer_to", "a service cannot transfer its cases to itself");
  } else if (!target->statutory()) {
    fail(key + ".transfer_to", "'" + service.transfer_to + "' is " + std::string(name_of(target->kind)) +
                                   ": a transfer goes to another social care service, which takes every case");
  } else {
    for (const auto& level : service.levels)
      if (std::find(target->levels.begin(), target->levels.end(), level) == target->levels.end())
        fail(key + ".transfer_to", "'" + service.transfer_to + "' does not work with level '" + level + "', where '" +
                                       service.name + "' holds cases");
  }
}

// At most 250 services, each checked, then their step-downs and transfers.
void check_services(const Authority& authority, const Report& fail) {
  const auto& services = authority.services;
  if (services.size() > static_cast<std::size_t>(max_services))
    fail("services", "at most " + std::to_string(max_services) + " services, found " + std::to_string(services.size()));
  const auto names = theme_names(authority);
  for (const auto& service : services) check_service(authority, service, names, fail);
  for (const auto& service : services) check_step_down(authority, service, fail);
  for (const auto& service : services) check_transfer(authority, service, fail);
}

// Real terms: a line stated in another year's prices needs the index of
// that year and of the price year; growth is by payer.
void check_prices(const Authority& authority, const std::function<bool(const std::string&)>& is_payer,
                  const Report& fail) {
  const auto& costs = authority.costs;
  const auto check_year = [&](const std::string& year, const std::string& key) {
    if (year.empty() || year == costs.price_year) return;
    if (costs.price_year.empty())
      fail(key, "states its prices in '" + year + "', but costs.price_year does not say which prices to convert to");
    else if (costs.price_index.count(year) == 0)
      fail(key, "'" + year + "' is not in costs.price_index, so its costs cannot be converted to " + costs.price_year +
                    " prices");
  };
  for (const auto& service : authority.services)
    check_year(service.price_year, "services." + service.name + ".price_year");
  for (const auto& line : costs.partners) check_year(line.price_year, "costs.partners." + line.name + ".price_year");
  const bool converts =
      std::any_of(authority.services.begin(), authority.services.end(),
                  [&](const ServiceConfig& s) { return !s.price_year.empty() && s.price_year != costs.price_year; }) ||
      std::any_of(costs.partners.begin(), costs.partners.end(), [&](const PartnerCostConfig& l) {
        return !l.price_year.empty() && l.price_year != costs.price_year;
      });
  if (!costs.price_index.empty() && costs.price_year.empty())
    fail("costs.price_index", "converts costs to costs.price_year, which is not stated");
  else if (converts && !costs.price_year.empty() && costs.price_index.count(costs.price_year) == 0)
    fail("costs.price_index",
         "has no index for costs.price_year '" + costs.price_year + "', the prices it converts to");
  const double years = static_cast<double>(authority.simulation.months) / 12;
  for (const auto& [payer, growth] : costs.real_price_growth_per_year) {
    if (!is_payer(payer)) fail("costs.real_price_growth_per_year", "'" + payer + "' is not one of costs.payers");
    // Kept to what a real price can do over a run (and to what whole pence can hold).
    const double factor = std::pow(1 + growth, years);
    if (factor > 100 || factor < 0.01)
      fail("costs.real_price_growth_per_year", "'" + payer + "' at " + format_number(growth) +
                                                   " a year changes its prices " + format_number(factor) +
                                                   "-fold over the run; a real price change is at most 100-fold");
  }
}

// At least one payer, every service and the universal costs paid by one of
// them, and universal costs, when given, for each level.
void check_costs(const Authority& authority, const Report& fail) {
  const auto& payers = authority.costs.payers;
  if (payers.empty()) fail("costs.payers", "needs at least one payer");
  const auto is_payer = [&payers](const std::string& name) {
    return std::find(payers.begin(), payers.end(), name) != payers.end();
  };
  for (const auto& service : authority.services)
    if (!is_payer(service.payer))
      fail("services." + service.name + ".payer", "'" + service.payer + "' is not one of costs.payers");
  if (!is_payer(authority.costs.universal_payer))
    fail("costs.universal_payer", "'" + authority.costs.universal_payer + "' is not one of costs.payers");
  const auto& universal = authority.costs.universal_cost_per_family_month_gbp;
  if (!universal.empty() && universal.size() != authority.levels.size())
    fail("costs.universal_cost_per_family_month_gbp",
         "has " + entries(universal.size()) + " but there are " + std::to_string(authority.levels.size()) + " levels");
  // Partners' costs: a basis with what it needs and nothing it does not, a
  // payer for a partner's spend and none for a wider cost.
  const auto themes = theme_names(authority);
  const auto levels = static_cast<std::int64_t>(authority.levels.size());
  for (const auto& line : authority.costs.partners) {
    const std::string key = "costs.partners." + line.name + ".";
    const bool by_theme = line.basis == PartnerCostBasis::theme_month || line.basis == PartnerCostBasis::theme_onset;
    if (by_theme && themes.count(line.theme) == 0)
      fail(key + "theme", line.theme.empty() ? std::string(name_of(line.basis)) + " needs the theme it is charged on"
                                             : "'" + line.theme + "' is not a theme");
    if (!by_theme && !line.theme.empty())
      fail(key + "theme",
           "only a theme_month or theme_onset cost names a theme; this one is " + std::string(name_of(line.basis)));
    if (line.basis == PartnerCostBasis::level_month && (line.level < 1 || line.level > levels))
      fail(key + "level",
           "level_month needs a level from 1 to " + std::to_string(levels) + ", got " + std::to_string(line.level));
    if (line.basis == PartnerCostBasis::escalation && (line.level == 1 || line.level > levels))
      fail(key + "level", "an escalation is to a level from 2 to " + std::to_string(levels) + ", or 0 for any, got " +
                              std::to_string(line.level));
    if ((by_theme || line.basis == PartnerCostBasis::care_entry) && line.level != 0)
      fail(key + "level",
           "only a level_month or escalation cost names a level; this one is " + std::string(name_of(line.basis)));
    if (line.value == CostValue::fiscal && !is_payer(line.payer))
      fail(key + "payer", line.payer.empty() ? "a fiscal cost needs its payer, one of costs.payers"
                                             : "'" + line.payer + "' is not one of costs.payers");
    if (line.value != CostValue::fiscal && !line.payer.empty())
      fail(key + "payer", std::string(line.value == CostValue::economic ? "an economic" : "a social") +
                              " cost is no one's budget, so it has no payer (a partner's spend is value = \"fiscal\")");
    if (line.value != CostValue::fiscal && line.cashable) fail(key + "cashable", "only a fiscal cost can be cashable");
  }
  check_prices(authority, is_payer, fail);
}

// Referral probabilities and ratios, when given, for each level; multipliers
// by themes that exist, and only on probabilities that are there.
void check_identification(const Authority& authority, const Report& fail) {
  const auto& levels = authority.levels;
  const auto names = theme_names(authority);
  const auto& identification = authority.identification.probability_by_level;
  if (!identification.empty() && identification.size() != levels.size())
    fail("identification.probability_by_level",
         "has " + entries(identification.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  for (const auto& [theme, multiplier] : authority.identification.theme_multiplier)
    if (names.count(theme) == 0) fail("identification.theme_multiplier", "'" + theme + "' is not a theme");
  const auto& after_closure = authority.identification.after_closure_ratio_by_level;
  if (!after_closure.empty() && after_closure.size() != levels.size())
    fail("identification.after_closure_ratio_by_level",
         "has " + entries(after_closure.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  // Multipliers on an identification that is not there would silently do
  // nothing; to identify no family, the probabilities are given as zeros.
  if (identification.empty()) {
    const std::string why =
        "has nothing to multiply: identification.probability_by_level is empty; give it, or to identify no family "
        "give it as zeros (0.0 for each level)";
    if (!authority.identification.theme_multiplier.empty()) fail("identification.theme_multiplier", why);
    if (!after_closure.empty()) fail("identification.after_closure_ratio_by_level", why);
  }
}

// A rule is never used when, at each of its levels, earlier rules already
// take every family it would: one whose service targets no themes takes
// everyone; themed ones take the families with their themes. A rule whose
// service takes only some ages of the youngest child hides nothing. (Unknown
// services and levels are reported by check_front_door, so such rules are
// skipped.)
void check_hidden_rules(const Authority& authority, const Report& fail) {
  const auto& rules = authority.front_door.routes;
  struct Routing {
    bool known = false;               // its service and levels exist
    std::vector<std::size_t> levels;  // indices
    std::set<std::string> themes;     // its service's; empty: everyone
    bool all_ages = true;             // its service takes every age of the youngest child, in every month
  };
  std::vector<Routing> routing;
  for (const auto& rule : rules) {
    Routing& r = routing.emplace_back();
    const ServiceConfig* service = find_service(authority, rule.service);
    r.known = service != nullptr && !rule.levels.empty();
    if (r.known) {
      r.themes.insert(service->themes.begin(), service->themes.end());
      const auto& ages = service->youngest_age_years;
      // A rule for only some ages, or only some months, hides nothing.
      r.all_ages = (ages.size() != 2 || (ages[0] <= 0 && ages[1] >= 18)) && service->open_from_month.empty() &&
                   service->open_until_month.empty();
    }
    for (const auto& level : rule.levels) {
      if (level_index(authority, level) < 0)
        r.known = false;
      else
        r.levels.push_back(static_cast<std::size_t>(level_index(authority, level)));
    }
  }
  const auto takes_some_of = [](const Routing& earlier, const Routing& later) {
    const bool shares_level = std::any_of(earlier.levels.begin(), earlier.levels.end(), [&](std::size_t k) {
      return std::find(later.levels.begin(), later.levels.end(), k) != later.levels.end();
    });
    const bool shares_families = earlier.themes.empty() || later.themes.empty() ||
                                 std::any_of(earlier.themes.begin(), earlier.themes.end(),
                                             [&](const std::string& t) { return later.themes.count(t) > 0; });
    return earlier.known && shares_level && shares_families;
  };
  const std::size_t levels = authority.levels.size();
  std::vector<bool> everyone(levels, false);         // by level: an earlier rule takes every family
  std::vector<std::set<std::string>> taken(levels);  // by level: themes earlier rules take
  for (std::size_t r = 0; r < routing.size(); ++r) {
    const Routing& rule = routing[r];
    if (!rule.known) continue;
    const bool hidden = std::all_of(rule.levels.begin(), rule.levels.end(), [&](std::size_t k) {
      return everyone[k] || (!rule.themes.empty() &&
                             std::includes(taken[k].begin(), taken[k].end(), rule.themes.begin(), rule.themes.end()));
    });
    if (hidden) {
      std::string earlier;
      for (std::size_t q = 0; q < r; ++q)
        if (routing[q].all_ages && takes_some_of(routing[q], rule))
          earlier += (earlier.empty() ? "" : ", ") + std::string("front_door.routes[") + std::to_string(q) + "] ('" +
                     rules[q].service + "')";
      fail("front_door.routes[" + std::to_string(r) + "]",
           "is never used: every family it would route goes first to " + earlier + "; put it before them");
    }
    if (!rule.all_ages) continue;
    for (const std::size_t k : rule.levels) {
      everyone[k] = everyone[k] || rule.themes.empty();
      taken[k].insert(rule.themes.begin(), rule.themes.end());
    }
  }
}

// Routing rules to services that work with their levels, none hidden by
// earlier ones; route_by_level, when given, for each level, to services that
// work with it and target no themes; a front door that decides referrals when
// it routes them, and routes when families are referred.
void check_front_door(const Authority& authority, const Report& fail) {
  const auto& levels = authority.levels;
  const auto& rules = authority.front_door.routes;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const std::string key = "front_door.routes[" + std::to_string(r) + "]";
    const ServiceConfig* service = find_service(authority, rules[r].service);
    if (service == nullptr) fail(key + ".service", "'" + rules[r].service + "' is not a service");
    if (rules[r].levels.empty()) fail(key + ".levels", "needs at least one level");
    for (const auto& level : rules[r].levels) {
      if (level_index(authority, level) < 0) {
        fail(key + ".levels", "'" + level + "' is not a level");
      } else if (service != nullptr &&
                 std::find(service->levels.begin(), service->levels.end(), level) == service->levels.end()) {
        fail(key + ".levels",
             "routes level '" + level + "' to '" + rules[r].service + "', which does not work with that level");
      }
    }
  }
  check_hidden_rules(authority, fail);
  const auto& routes = authority.front_door.route_by_level;
  if (!routes.empty() && routes.size() != levels.size())
    fail("front_door.route_by_level",
         "has " + entries(routes.size()) + " but there are " + std::to_string(levels.size()) + " levels");
  if ((!routes.empty() || !rules.empty()) && authority.front_door.triage_capacity_per_month == 0)
    fail("front_door.triage_capacity_per_month",
         "is 0, so no referral would ever be decided; give the referrals the front door decides a month");
  if (!authority.identification.probability_by_level.empty() && routes.empty() && rules.empty())
    fail("front_door.route_by_level", "families are referred (identification) but the front door has no routes");
  for (std::size_t k = 0; k < std::min(routes.size(), levels.size()); ++k) {
    if (routes[k].empty()) continue;
    const ServiceConfig* service = find_service(authority, routes[k]);
    if (service == nullptr) {
      fail("front_door.route_by_level", "'" + routes[k] + "' is not a service");
    } else if (std::find(service->levels.begin(), service->levels.end(), levels[k].name) == service->levels.end()) {
      fail("front_door.route_by_level",
           "routes level '" + levels[k].name + "' to '" + routes[k] + "', which does not work with that level");
    } else if (!service->themes.empty()) {
      fail("front_door.route_by_level", "routes level '" + levels[k].name + "' to '" + routes[k] +
                                            "', which targets themes; route to it with a rule in front_door.routes");
    }
  }
}

// When a share is reinvested: services that exist to save on, and one to
// invest in that sells capacity by the case at a price.
void check_reinvestment(const Authority& authority, const Report& fail) {
  const auto& reinvestment = authority.reinvestment;
  if (reinvestment.share <= 0) return;
  if (reinvestment.from_services.empty())
    fail("reinvestment.from_services", "names no service whose saving would be reinvested");
  for (const auto& name : reinvestment.from_services)
    if (find_service(authority, name) == nullptr) fail("reinvestment.from_services", "'" + name + "' is not a service");
  const ServiceConfig* target = find_service(authority, reinvestment.to_service);
  if (target == nullptr)
    fail("reinvestment.to_service", "'" + reinvestment.to_service + "' is not a service");
  else if (target->statutory())
    fail("reinvestment.to_service", "'" + reinvestment.to_service + "' is statutory: it has no capacity to add to");
  else if (target->cost_per_child)
    fail("reinvestment.to_service",
         "'" + reinvestment.to_service + "' is costed per child, so a case has no set price to buy capacity with");
  else if (target->cost_per_case_month_gbp < 0.005)  // less than a penny a case-month
    fail("reinvestment.to_service",
         "'" + reinvestment.to_service + "' costs nothing a case-month, so money cannot buy it capacity");
}

// Intervals with high above low, and low above 0 for a lognormal (whether
// each key exists is checked on loading).
void check_uncertainty(const Authority& authority, const Report& fail) {
  std::size_t sample_rows = 0;
  for (std::size_t u = 0; u < authority.uncertainty.size(); ++u) {
    const auto& spec = authority.uncertainty[u];
    const std::string key = "uncertainty[" + std::to_string(u) + "]";
    if (spec.distribution == Distribution::sample) {
      if (spec.values.empty()) fail(key + ".values", "a sample needs its values, one per row");
      if (spec.low != 0 || spec.high != 0) fail(key + ".low", "a sample takes values, not low and high");
      if (sample_rows == 0) sample_rows = spec.values.size();
      if (!spec.values.empty() && spec.values.size() != sample_rows)
        fail(key + ".values", "has " + std::to_string(spec.values.size()) + " values where the first sample key has " +
                                  std::to_string(sample_rows) + ": the rows of a joint sample go together");
      continue;
    }
    if (!spec.values.empty()) fail(key + ".values", "only a sample takes values; give low and high");
    if (!(spec.high > spec.low)) fail(key + ".high", "needs high above low (" + format_number(spec.low) + ")");
    if (spec.distribution == Distribution::lognormal && spec.low <= 0)
      fail(key + ".low", "a lognormal distribution needs low above 0");
  }
}

}  // namespace

void check_consistency(const Authority& authority, ParseContext& ctx) {
  const Report fail(ctx);
  check_simulation(authority, fail);
  check_population(authority, fail);
  check_levels(authority, fail);
  check_themes(authority, fail);
  check_risk(authority, fail);
  check_jumps(authority, fail);
  check_services(authority, fail);
  check_costs(authority, fail);
  check_identification(authority, fail);
  check_front_door(authority, fail);
  check_reinvestment(authority, fail);
  check_uncertainty(authority, fail);
}

std::vector<std::string> unreachable_services(const Authority& authority) {
  std::set<std::string> reached(authority.front_door.route_by_level.begin(), authority.front_door.route_by_level.end());
  for (const auto& route : authority.front_door.routes) reached.insert(route.service);
  for (const auto& service : authority.services) {
    reached.insert(service.step_down_to);
    reached.insert(service.transfer_to);
  }
  std::vector<std::string> unreached;
  for (const auto& service : authority.services)
    if (reached.count(service.name) == 0) unreached.push_back(service.name);
  return unreached;
}

}  // namespace ehsim::config

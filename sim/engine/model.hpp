// A configuration turned into the constants the monthly cycle needs: lookup
// tables by theme mask and resilience band, cumulative shares for generation,
// and level hazards normalised so that each configured hazard is the mean
// over that level's families at the start. Built once, read by every run.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/limits.hpp"

namespace ehsim::engine {

inline constexpr int resilience_bands = 256;
inline constexpr int deprivation_quintiles = 5;
using config::max_jumps_per_level;
inline constexpr double sibling_gap_min_months = 9;

struct Jump {
  int to_level = 0;
  std::uint16_t theme_mask = 0;  // 0: any family; else this theme must be active
  double hazard_scale = 0;       // per month, for a family of the level's mean risk
};

// A service, as the monthly cycle needs it.
struct ServiceModel {
  bool statutory = false;
  bool early_help = true;        // not statutory: counts towards the early help dashboard
  config::ServiceKind kind{};    // as configured
  std::uint16_t theme_mask = 0;  // themes targeted; 0: any family
  // Ages of the youngest child it takes, in months: [from, below).
  int youngest_from_months = 0;
  int youngest_below_months = 1 << 20;
  [[nodiscard]] bool takes_youngest_aged(int months) const {
    return months >= youngest_from_months && months < youngest_below_months;
  }
  // Month indices from which it takes new families and from which it no longer does.
  int open_from = std::numeric_limits<int>::min();
  int open_until = std::numeric_limits<int>::max();
  [[nodiscard]] bool open_to_new(int month) const { return month >= open_from && month < open_until; }
  int step_down_to = -1;  // service a family stepping down below this one joins, or -1
  int transfer_to = -1;   // statutory service an open case moves to within its level, or -1
  double transfer_hazard = 0;
  bool capacity_by_locality = false;
  std::int64_t base_capacity = 0;
  std::vector<std::pair<int, std::int64_t>> capacity_changes;  // (month index, cases), by month
  std::vector<bool> serves_level;
  int highest_level = 0;
  int lowest_level = 0;
  // Monthly closure hazard per kind of episode (one kind unless the duration
  // is a mixture), and the cumulative shares of the kinds.
  std::vector<double> closure_hazards;
  std::vector<double> duration_kind_cdf;
  double dropout_hazard = 0;
  double completion_step_down = 0;  // chance a completed case moves the family down a level
  // (months open, ratio on the completion hazard from then on), by months; empty: none.
  std::vector<std::pair<int, double>> completion_ratio_steps;
  [[nodiscard]] double completion_ratio(int months_open) const {
    double ratio = 1;
    for (const auto& [from, value] : completion_ratio_steps)
      if (months_open >= from) ratio = value;
    return ratio;
  }
  double consent_probability = 1;
  double up_ratio = 1;
  double down_ratio = 1;
  double half_life_months = 0;
  // The share of the effect left m months after closure, 2^(-m / half-life),
  // for m below its size (computed beyond).
  std::vector<double> remaining_effect;
  [[nodiscard]] double remaining(std::uint16_t months) const {
    return months < remaining_effect.size() ? remaining_effect[months] : std::exp2(-months / half_life_months);
  }
  std::vector<double> remission_multiplier;  // per theme; empty when the service boosts no theme
  // Money, in whole pence so that every sum is exact.
  std::int64_t case_month_pence = 0;
  bool cost_per_child = false;
  std::int64_t start_pence = 0;
  bool block = false;  // a block contract: its places are paid for in the months it is open, filled or not
  int payer = 0;
  bool cashable = true;

  // Concurrent cases it can hold in a month: capacity_cases until the first
  // change in the schedule (burn-in months included), then the latest change.
  [[nodiscard]] std::int64_t capacity(int month) const {
    std::int64_t cases = base_capacity;
    for (const auto& [from, value] : capacity_changes)
      if (month >= from) cases = value;
    return cases;
  }
};

struct Model {
  config::Authority authority;
  int level_count = 0;
  int theme_count = 0;
  int months = 0;
  int burn_in_months = 0;

  // Generating families.
  std::vector<double> children_cdf;
  std::vector<double> locality_cdf;
  std::vector<double> deprivation_cdf;
  std::vector<double> level_cdf;
  std::vector<double> prevalence;  // [level * theme_count + theme]
  double newborn_arrival_share = 0;
  bool arrivals = true;
  double monthly_growth = 1;  // factor on the projected number of families per month
  double move_away_probability = 0;
  double birth_probability = 0;

  // Themes.
  std::vector<double> onset;             // per theme, before multipliers
  std::vector<double> remission;         // per theme
  std::vector<double> onset_multiplier;  // [active * theme_count + theme]
  std::array<double, deprivation_quintiles> deprivation_multiplier{};
  // Per theme mask: the sum of onset hazards of the inactive themes (before
  // the deprivation multiplier) and of remission hazards of the active ones,
  // so a month without change costs a lookup rather than a loop.
  std::vector<double> onset_sum_by_mask;
  std::vector<double> remission_sum_by_mask;
  // Demand that changes over time: from `from_month` on, these replace onset
  // and onset_sum_by_mask (in month order; empty when demand never changes).
  struct OnsetChange {
    int from_month = 0;
    std::vector<double> onset;
    std::vector<double> onset_sum_by_mask;
  };
  std::vector<OnsetChange> onset_changes;
  // With at most 8 themes, each month's chances of change by quintile and
  // theme mask, tabulated (themes.cpp): one table for the base onsets, then
  // one per onset change, in the same order. Empty with more themes.
  struct ThemeChances {
    double threshold = 0;              // some theme changes when the month's draw is below this
    std::uint16_t with_hazard = 0;     // themes whose hazard is above 0
    std::array<double, 8> p_change{};  // each theme's chance of changing
    std::array<double, 8> p_first{};   // ... given that no theme before it has changed and some theme does
  };
  static constexpr int tabulated_themes = 8;
  std::vector<std::vector<ThemeChances>> theme_chances;  // [table][quintile << theme_count | mask]

  // Levels.
  std::vector<double> up_scale;               // per level
  std::vector<double> down_scale;             // per level
  std::vector<double> escalation_by_mask;     // min(cap, product of ratios)^b, per theme mask
  std::vector<double> de_escalation_by_mask;  // the same ratio ^ -d
  std::array<double, resilience_bands> escalation_by_resilience{};
  std::array<double, resilience_bands> de_escalation_by_resilience{};
  std::vector<std::vector<Jump>> jumps_by_level;

  // The service system (empty when the configuration has no services).
  std::vector<ServiceModel> services;
  std::vector<double> identification_probability;       // per level; empty: nobody is referred
  std::vector<double> identification_theme_multiplier;  // per theme, on the referral hazard; empty: none
  std::vector<double> identification_after_closure;     // per level: ratio in the 12 months after a needs-met closure
  struct Route {
    std::uint32_t level_mask = 0;  // bit k: level k
    int service = 0;
  };
  std::vector<Route> routes;            // rules, tried in order
  std::vector<int> route_by_level;      // service index, or -1 for no further action
  std::vector<double> locality_shares;  // for capacities held per locality (as configured)
  std::int64_t triage_capacity = 0;
  double waiting_up_ratio = 1;

  // Reinvestment (share 0: none).
  struct Reinvestment {
    double share = 0;
    std::vector<std::string> from_services;  // by name: the reference run may have other indices
    int to_service = -1;
    int lag_months = 0;
    bool against_budget = false;
    std::int64_t budget_pence_per_year = 0;
  } reinvestment;

  // Costs.
  std::vector<std::int64_t> universal_pence_by_level;  // per family-month, by level
  int universal_payer = 0;
  bool universal_cashable = false;
  int payer_count = 1;
  double discount_rate_per_year = 0;
  // Partners' costs (costs.partners, in order): what each is charged on and
  // its whole pence per family-month, family whose theme starts, escalating
  // family or child entering care.
  struct PartnerLine {
    config::PartnerCostBasis basis = config::PartnerCostBasis::theme_month;
    int index = -1;  // theme_month, theme_onset: the theme; level_month: the level; escalation: the level moved to
                     // (-1 any)
    std::int64_t pence = 0;
    int payer = -1;  // fiscal: its payer, whose real price growth it follows; else -1
  };
  std::vector<PartnerLine> partner_lines;
  // Real price growth (costs.real_price_growth_per_year): per payer, the
  // factor on its costs in each month of the run; empty without growth, and
  // empty for a payer without it.
  std::vector<std::vector<double>> price_factor;
  std::vector<double> price_growth;  // per payer, 1 + its growth a year
  // What a cost of `pence` at the price year's prices costs `payer` in
  // `month`, to the penny: itself without growth and in burn-in months.
  [[nodiscard]] std::int64_t price(std::int64_t pence, int payer, int month) const {
    if (price_factor.empty() || payer < 0 || month < 0) return pence;
    const auto& factors = price_factor[static_cast<std::size_t>(payer)];
    if (factors.empty()) return pence;
    // Beyond the run (reinvested places priced for their 12 months): the same growth, on.
    const double factor = static_cast<std::size_t>(month) < factors.size()
                              ? factors[static_cast<std::size_t>(month)]
                              : std::pow(price_growth[static_cast<std::size_t>(payer)], month / 12.0);
    return std::llround(static_cast<double>(pence) * factor);
  }
  // price() of a universal family-month at `level`, and of a case-month of
  // service `s`, tabulated for the months of the run (the family loop reads
  // them for every family-month); price() itself outside them.
  std::vector<std::int64_t> universal_month_prices;  // [month][level]
  std::vector<std::int64_t> case_month_prices;       // [service][month]
  [[nodiscard]] std::int64_t universal_price(std::size_t level, int month) const {
    if (month < 0 || month >= months) return price(universal_pence_by_level[level], universal_payer, month);
    return universal_month_prices[static_cast<std::size_t>(month) * universal_pence_by_level.size() + level];
  }
  [[nodiscard]] std::int64_t case_month_price(std::size_t s, int month) const {
    if (month < 0 || month >= months) return price(services[s].case_month_pence, services[s].payer, month);
    return case_month_prices[s * static_cast<std::size_t>(months) + static_cast<std::size_t>(month)];
  }

  // The front door's route for a family: the first rule whose levels hold the
  // family's and whose service targets one of its themes (or none), else the
  // route by level. -1: no further action.
  // The service a referral in `month` goes to, or -1 for no further action:
  // the first rule whose levels, themes and ages match and whose service is
  // open, else the level's route if it is open and takes the family's
  // youngest child (aged `youngest_months`).
  [[nodiscard]] int route(int level, std::uint16_t themes, int youngest_months = 0, int month = 0) const {
    for (const auto& rule : routes) {
      if (!(rule.level_mask & (1u << level))) continue;
      const auto& service = services[static_cast<std::size_t>(rule.service)];
      if ((service.theme_mask == 0 || (service.theme_mask & themes) != 0) &&
          service.takes_youngest_aged(youngest_months) && service.open_to_new(month))
        return rule.service;
    }
    const int fallback = route_by_level.empty() ? -1 : route_by_level[static_cast<std::size_t>(level)];
    if (fallback < 0) return -1;
    const auto& service = services[static_cast<std::size_t>(fallback)];
    return service.takes_youngest_aged(youngest_months) && service.open_to_new(month) ? fallback : -1;
  }

  // The chance a month that a family not known to services is referred:
  // tabulated by level, recent closure and theme mask where there are at most
  // tabulated_themes themes, else computed.
  [[nodiscard]] double identification(int level, std::uint16_t themes, bool recently_met = false) const {
    if (identification_chances.empty()) return identification_of(level, themes, recently_met);
    const auto row = static_cast<std::size_t>(level) * 2 + (recently_met ? 1 : 0);
    return identification_chances[(row << theme_count) | themes];
  }
  [[nodiscard]] double identification_of(int level, std::uint16_t themes, bool recently_met) const;
  std::vector<double> identification_chances;  // [(level * 2 + recently met) << theme_count | theme mask]

  // A service's capacity in a month, split across localities in proportion
  // to their shares by largest remainders (ties to the lower locality).
  [[nodiscard]] std::vector<std::int64_t> capacity_by_locality(std::int64_t total) const;

  // Resilience is stored as a band: value = (band - 128) / 32 standard deviations.
  static double resilience_of(int band) { return (band - 128) / 32.0; }
  static std::uint8_t resilience_band(double value);
};

Model build_model(const config::Authority& authority);

}  // namespace ehsim::engine

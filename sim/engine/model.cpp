#include "engine/model.hpp"
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "config/apportion.hpp"
#include "config/diagnostics.hpp"
#include "engine/calendar.hpp"
#include "engine/hazard.hpp"
#include "engine/themes.hpp"

namespace ehsim::engine {

namespace {

std::vector<double> cumulative(const std::vector<double>& shares) {
  std::vector<double> cdf;
  double total = 0;
  for (const double share : shares) cdf.push_back(total += share);
  if (!cdf.empty()) cdf.back() = 1.0;  // shares were checked to sum to 1; make the last bucket catch rounding
  return cdf;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Probability of each resilience band when resilience is standard normal.
std::array<double, resilience_bands> resilience_band_probabilities() {
  std::array<double, resilience_bands> p{};
  for (int band = 0; band < resilience_bands; ++band) {
    const double value = Model::resilience_of(band);
    const double lower = band == 0 ? 0.0 : normal_cdf(value - 0.5 / 32);
    const double upper = band == resilience_bands - 1 ? 1.0 : normal_cdf(value + 0.5 / 32);
    p[band] = upper - lower;
  }
  return p;
}

}  // namespace

std::uint8_t Model::resilience_band(double value) {
  const double band = std::round(value * 32.0) + 128.0;
  return static_cast<std::uint8_t>(std::clamp(band, 0.0, 255.0));
}

Model build_model(const config::Authority& authority) {
  Model model;
  model.authority = authority;
  const int levels = static_cast<int>(authority.levels.size());
  const int themes = static_cast<int>(authority.themes.size());
  model.level_count = levels;
  model.theme_count = themes;
  model.months = static_cast<int>(authority.simulation.months);
  model.burn_in_months = static_cast<int>(authority.simulation.burn_in_months);

  const auto& population = authority.population;
  model.children_cdf = cumulative(population.children_per_family_shares);
  model.locality_cdf = cumulative(population.locality_shares);
  model.deprivation_cdf = cumulative(population.deprivation_quintile_shares);
  std::vector<double> level_shares;
  for (const auto& level : authority.levels) level_shares.push_back(level.initial_share);
  model.level_cdf = cumulative(level_shares);
  model.prevalence.assign(static_cast<std::size_t>(levels * themes), 0.0);
  for (int j = 0; j < themes; ++j)
    for (int k = 0; k < levels; ++k) model.prevalence[k * themes + j] = authority.themes[j].prevalence_by_level[k];
  model.newborn_arrival_share = population.newborn_arrival_share;
  model.arrivals = population.arrivals;
  model.monthly_growth = std::pow(1 + population.growth_per_year, 1.0 / 12);
  model.move_away_probability = probability_from_hazard(population.move_away_hazard_per_month);
  model.birth_probability = probability_from_hazard(population.birth_hazard_per_month);

  const auto theme_index = [&authority](const std::string& name) {
    for (std::size_t j = 0; j < authority.themes.size(); ++j)
      if (authority.themes[j].name == name) return static_cast<int>(j);
    throw std::logic_error("unknown theme " + name);  // consistency checks run before this
  };

  model.onset_multiplier.assign(static_cast<std::size_t>(themes * themes), 1.0);
  for (int j = 0; j < themes; ++j) {
    const auto& theme = authority.themes[j];
    model.onset.push_back(theme.onset_hazard_per_month);
    model.remission.push_back(theme.remission_hazard_per_month);
    for (const auto& [other, multiplier] : theme.onset_multiplier_if_active)
      model.onset_multiplier[theme_index(other) * themes + j] = multiplier;
  }
  const auto& risk = authority.risk;
  for (int q = 0; q < deprivation_quintiles; ++q)
    model.deprivation_multiplier[q] = risk.onset_multiplier_by_deprivation[q];
  const std::size_t masks = std::size_t{1} << themes;
  model.remission_sum_by_mask.assign(masks, 0.0);
  for (std::size_t mask = 0; mask < masks; ++mask)
    for (int j = 0; j < themes; ++j)
      if (mask & (std::size_t{1} << j)) model.remission_sum_by_mask[mask] += model.remission[j];
  // Sums of the inactive themes' onsets, given each theme's onset.
  const auto onset_sums = [&](const std::vector<double>& onset_of) {
    std::vector<double> sums(masks, 0.0);
    for (std::size_t mask = 0; mask < masks; ++mask)
      for (int j = 0; j < themes; ++j) {
        if (mask & (std::size_t{1} << j)) continue;
        double onset = onset_of[j];
        for (int i = 0; i < themes; ++i)
          if (mask & (std::size_t{1} << i)) onset *= model.onset_multiplier[i * themes + j];
        sums[mask] += onset;
      }
    return sums;
  };
  model.onset_sum_by_mask = onset_sums(model.onset);
  {
    // Each month a schedule names starts a new set of onsets: every theme at
    // its latest multiplier.
    const auto start = parse_calendar_month(authority.simulation.start_month);
    const auto index_of_month = [&start](const std::string& text) {
      const auto month = parse_calendar_month(text);
      return (month.year - start.year) * 12 + (month.month - start.month);
    };
    std::set<int> months;
    for (const auto& theme : authority.themes)
      for (const auto& [month, multiplier] : theme.onset_multiplier_from_month) months.insert(index_of_month(month));
    for (const int from : months) {
      Model::OnsetChange change;
      change.from_month = from;
      for (int j = 0; j < themes; ++j) {
        double multiplier = 1;
        int latest = std::numeric_limits<int>::min();
        for (const auto& [month, value] : authority.themes[static_cast<std::size_t>(j)].onset_multiplier_from_month) {
          const int at = index_of_month(month);
          if (at <= from && at > latest) {
            latest = at;
            multiplier = value;
          }
        }
        change.onset.push_back(model.onset[j] * multiplier);
      }
      change.onset_sum_by_mask = onset_sums(change.onset);
      model.onset_changes.push_back(std::move(change));
    }
  }
  tabulate_theme_chances(model);

  // Hazard ratio of each combination of themes: each theme's ratio, times the
  // ratio of every interaction whose themes are all active, capped.
  std::vector<std::uint16_t> interaction_masks;
  for (const auto& interaction : risk.interactions) {
    std::uint16_t mask = 0;
    for (const auto& name : interaction.themes) mask |= static_cast<std::uint16_t>(1u << theme_index(name));
    interaction_masks.push_back(mask);
  }
  model.escalation_by_mask.resize(masks);
  model.de_escalation_by_mask.resize(masks);
  for (std::size_t mask = 0; mask < masks; ++mask) {
    double ratio = 1;
    for (int j = 0; j < themes; ++j)
      if (mask & (std::size_t{1} << j)) ratio *= authority.themes[j].escalation_hazard_ratio;
    for (std::size_t x = 0; x < interaction_masks.size(); ++x)
      if ((mask & interaction_masks[x]) == interaction_masks[x]) ratio *= risk.interactions[x].escalation_hazard_ratio;
    ratio = std::min(ratio, risk.max_escalation_hazard_ratio);
    // s = log(ratio) - w_res * resilience; up ~ exp(b s), down ~ exp(-d s).
    model.escalation_by_mask[mask] = std::pow(ratio, risk.escalation_sensitivity);
    model.de_escalation_by_mask[mask] = std::pow(ratio, -risk.de_escalation_sensitivity);
  }
  const double resilience_weight = -std::log(risk.resilience_escalation_hazard_ratio);
  for (int band = 0; band < resilience_bands; ++band) {
    const double value = Model::resilience_of(band);
    model.escalation_by_resilience[band] = std::exp(-risk.escalation_sensitivity * resilience_weight * value);
    model.de_escalation_by_resilience[band] = std::exp(risk.de_escalation_sensitivity * resilience_weight * value);
  }

  // Normalise: the configured hazard of a level is the mean hazard over its
  // families at the start, whose themes are independent with the level's
  // prevalence and whose resilience is standard normal.
  const auto band_probability = resilience_band_probabilities();
  double mean_escalation_resilience = 0;
  double mean_de_escalation_resilience = 0;
  for (int band = 0; band < resilience_bands; ++band) {
    mean_escalation_resilience += band_probability[band] * model.escalation_by_resilience[band];
    mean_de_escalation_resilience += band_probability[band] * model.de_escalation_by_resilience[band];
  }
  std::vector<double> mean_escalation(levels);
  for (int k = 0; k < levels; ++k) {
    double mean_up = 0;
    double mean_down = 0;
    for (std::size_t mask = 0; mask < masks; ++mask) {
      double p = 1;
      for (int j = 0; j < themes; ++j) {
        const double prevalence = model.prevalence[k * themes + j];
        p *= (mask & (std::size_t{1} << j)) ? prevalence : 1 - prevalence;
      }
      mean_up += p * model.escalation_by_mask[mask];
      mean_down += p * model.de_escalation_by_mask[mask];
    }
    mean_escalation[k] = mean_up * mean_escalation_resilience;
    model.up_scale.push_back(authority.levels[k].up_hazard_per_month / mean_escalation[k]);
    model.down_scale.push_back(authority.levels[k].down_hazard_per_month / (mean_down * mean_de_escalation_resilience));
  }

  // The ranges of the risk keys keep these finite; a combination of extremes
  // that still overflows is refused rather than simulated.
  const auto finite = [](const auto& values) {
    return std::all_of(values.begin(), values.end(), [](double x) { return std::isfinite(x) && x >= 0; });
  };
  if (!finite(model.escalation_by_mask) || !finite(model.de_escalation_by_mask) ||
      !finite(model.escalation_by_resilience) || !finite(model.de_escalation_by_resilience) ||
      !finite(model.up_scale) || !finite(model.down_scale)) {
    config::ConfigIssue issue;
    issue.key = "risk";
    issue.message = "these risk settings make hazards too large to compute; lower the sensitivities or hazard ratios";
    throw config::ConfigError({issue});
  }

  model.jumps_by_level.resize(levels);
  const auto level_index = [&authority](const std::string& name) {
    for (std::size_t k = 0; k < authority.levels.size(); ++k)
      if (authority.levels[k].name == name) return static_cast<int>(k);
    throw std::logic_error("unknown level " + name);
  };
  for (const auto& jump : authority.jumps) {
    const int from = level_index(jump.from_level);
    model.jumps_by_level[from].push_back(
        {level_index(jump.to_level),
         static_cast<std::uint16_t>(jump.theme.empty() ? 0u : 1u << theme_index(jump.theme)),
         jump.hazard_per_month / mean_escalation[from]});
  }
  // The service system and its costs.
  const auto& costs = authority.costs;
  const auto payer_index = [&costs](const std::string& name) {
    return static_cast<int>(std::find(costs.payers.begin(), costs.payers.end(), name) - costs.payers.begin());
  };
  model.payer_count = static_cast<int>(costs.payers.size());
  model.universal_payer = payer_index(costs.universal_payer);
  model.universal_cashable = costs.universal_cashable;
  model.discount_rate_per_year = costs.discount_rate_per_year;
  model.universal_pence_by_level.assign(static_cast<std::size_t>(levels), 0);
  for (std::size_t k = 0; k < costs.universal_cost_per_family_month_gbp.size(); ++k)
    model.universal_pence_by_level[k] = std::llround(costs.universal_cost_per_family_month_gbp[k] * 100);
  // Costs stated in another year's prices, converted to the price year's.
  const auto in_price_year = [&costs](double gbp, const std::string& year) {
    if (year.empty() || year == costs.price_year) return gbp;
    return gbp * costs.price_index.at(costs.price_year) / costs.price_index.at(year);
  };
  // Each payer's real price growth, month by month of the run.
  if (!costs.real_price_growth_per_year.empty()) {
    model.price_factor.assign(costs.payers.size(), {});
    model.price_growth.assign(costs.payers.size(), 1.0);
    for (const auto& [payer, growth] : costs.real_price_growth_per_year) {
      model.price_growth[static_cast<std::size_t>(payer_index(payer))] = 1 + growth;
      auto& factors = model.price_factor[static_cast<std::size_t>(payer_index(payer))];
      for (int m = 0; m < model.months; ++m) factors.push_back(std::pow(1 + growth, m / 12.0));
    }
  }
  for (const auto& line : costs.partners) {
    Model::PartnerLine built{line.basis, -1, std::llround(in_price_year(line.cost_gbp, line.price_year) * 100)};
    built.payer = line.value == config::CostValue::fiscal ? payer_index(line.payer) : -1;
    if (line.basis == config::PartnerCostBasis::theme_month || line.basis == config::PartnerCostBasis::theme_onset)
      built.index = theme_index(line.theme);
    if (line.level > 0) built.index = static_cast<int>(line.level - 1);
    model.partner_lines.push_back(built);
  }
  const auto start = parse_calendar_month(authority.simulation.start_month);
  for (const auto& service : authority.services) {
    ServiceModel built;
    built.statutory = service.statutory();
    built.early_help = !built.statutory;
    built.kind = service.kind;
    for (const auto& theme : service.themes) built.theme_mask |= static_cast<std::uint16_t>(1u << theme_index(theme));
    built.capacity_by_locality = service.capacity_by_locality;
    // Capacities stated for capacity_reference_families, scaled to this authority's size.
    built.base_capacity = config::scaled_cases(authority, static_cast<double>(service.capacity_cases));
    for (const auto& [month, cases] : service.capacity_from_month) {
      const auto changed = parse_calendar_month(month);
      const int index = (changed.year - start.year) * 12 + (changed.month - start.month);
      built.capacity_changes.emplace_back(index, config::scaled_cases(authority, cases));
    }
    std::sort(built.capacity_changes.begin(), built.capacity_changes.end());
    const auto index_of_month = [&start](const std::string& text) {
      const auto month = parse_calendar_month(text);
      return (month.year - start.year) * 12 + (month.month - start.month);
    };
    if (!service.open_from_month.empty()) built.open_from = index_of_month(service.open_from_month);
    if (!service.open_until_month.empty()) built.open_until = index_of_month(service.open_until_month);
    built.serves_level.assign(static_cast<std::size_t>(levels), false);
    built.lowest_level = levels;
    for (const auto& name : service.levels) {
      const int k = level_index(name);
      built.serves_level[static_cast<std::size_t>(k)] = true;
      built.highest_level = std::max(built.highest_level, k);
      built.lowest_level = std::min(built.lowest_level, k);
    }
    // Monthly closure chance 1 / mean, so completed episodes average the mean
    // in whole months (geometric); a mean of one month closes every case after a month.
    const auto closure_hazard = [](double d) { return d > 1 ? -std::log1p(-1.0 / d) : 50.0; };
    if (service.duration_mix_shares.empty()) {
      built.closure_hazards = {closure_hazard(service.duration_mean_months)};
    } else {
      double cumulative = 0;
      for (std::size_t c = 0; c < service.duration_mix_shares.size(); ++c) {
        built.closure_hazards.push_back(closure_hazard(service.duration_mix_means_months[c]));
        cumulative += service.duration_mix_shares[c];
        built.duration_kind_cdf.push_back(cumulative);
      }
      built.duration_kind_cdf.back() = 1.0;
    }
    built.dropout_hazard = service.dropout_hazard_per_month;
    if (service.youngest_age_years.size() == 2) {
      built.youngest_from_months = static_cast<int>(std::lround(service.youngest_age_years[0] * 12));
      built.youngest_below_months = static_cast<int>(std::lround(service.youngest_age_years[1] * 12));
    }
    built.completion_step_down = service.completion_step_down_probability;
    for (const auto& [months, ratio] : service.completion_ratio_from_months_open)
      built.completion_ratio_steps.emplace_back(std::stoi(months), ratio);
    std::sort(built.completion_ratio_steps.begin(), built.completion_ratio_steps.end());
    built.consent_probability = built.statutory ? 1.0 : service.consent_probability;
    built.up_ratio = service.escalation_hazard_ratio;
    built.down_ratio = service.de_escalation_hazard_ratio;
    built.half_life_months = service.effect_half_life_months;
    if (built.half_life_months > 0)
      for (int months = 0; months < 256; ++months)
        built.remaining_effect.push_back(std::exp2(-months / built.half_life_months));
    if (!service.remission_multiplier.empty()) {
      built.remission_multiplier.assign(static_cast<std::size_t>(themes), 1.0);
      for (const auto& [theme, multiplier] : service.remission_multiplier)
        built.remission_multiplier[static_cast<std::size_t>(theme_index(theme))] = multiplier;
    }
    // A placement mix is costed at its expected cost per child.
    double case_month = service.cost_per_case_month_gbp;
    for (const auto& [type, share] : service.placement_shares)
      case_month += share * service.placement_cost_per_child_month_gbp.at(type);
    built.case_month_pence = std::llround(in_price_year(case_month, service.price_year) * 100);
    built.cost_per_child = service.cost_per_child;
    built.start_pence = std::llround(in_price_year(service.start_cost_gbp, service.price_year) * 100);
    built.block = service.contract == config::Contract::block;
    built.payer = payer_index(service.payer);
    built.cashable = service.cashable;
    model.services.push_back(std::move(built));
  }
  const auto service_index = [&authority](const std::string& name) {
    int index = -1;
    for (std::size_t s = 0; s < authority.services.size(); ++s)
      if (authority.services[s].name == name) index = static_cast<int>(s);
    return index;
  };
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    model.services[s].step_down_to = service_index(authority.services[s].step_down_to);
    model.services[s].transfer_to = service_index(authority.services[s].transfer_to);
    model.services[s].transfer_hazard = authority.services[s].transfer_hazard_per_month;
  }
  model.identification_probability = authority.identification.probability_by_level;
  model.identification_after_closure = authority.identification.after_closure_ratio_by_level;
  if (model.identification_after_closure.empty())
    model.identification_after_closure.assign(static_cast<std::size_t>(model.level_count), 1.0);
  if (!authority.identification.theme_multiplier.empty()) {
    model.identification_theme_multiplier.assign(static_cast<std::size_t>(themes), 1.0);
    for (const auto& [theme, multiplier] : authority.identification.theme_multiplier)
      model.identification_theme_multiplier[static_cast<std::size_t>(theme_index(theme))] = multiplier;
  }
  for (const auto& rule : authority.front_door.routes) {
    Model::Route route;
    for (const auto& level : rule.levels) route.level_mask |= 1u << level_index(level);
    route.service = service_index(rule.service);
    model.routes.push_back(route);
  }
  for (const auto& route : authority.front_door.route_by_level) model.route_by_level.push_back(service_index(route));
  const auto& reinvestment = authority.reinvestment;
  if (reinvestment.share > 0) {
    model.reinvestment.share = reinvestment.share;
    model.reinvestment.from_services = reinvestment.from_services;
    model.reinvestment.to_service = service_index(reinvestment.to_service);
    model.reinvestment.lag_months = static_cast<int>(reinvestment.lag_months);
    model.reinvestment.against_budget = reinvestment.reference == config::ReinvestmentReference::budget;
    model.reinvestment.budget_pence_per_year =
        std::llround(reinvestment.budget_gbp_per_year * config::capacity_scale(authority) * 100);
  }
  model.locality_shares = authority.population.locality_shares;
  model.triage_capacity =
      config::scaled_cases(authority, static_cast<double>(authority.front_door.triage_capacity_per_month));
  model.waiting_up_ratio = authority.front_door.waiting_escalation_hazard_ratio;
  // Identification by level, recent closure and themes, computed once.
  if (!model.identification_probability.empty() && themes <= Model::tabulated_themes) {
    const std::size_t masks = std::size_t{1} << themes;
    model.identification_chances.resize(static_cast<std::size_t>(model.level_count) * 2 * masks);
    for (int level = 0; level < model.level_count; ++level)
      for (const bool recently_met : {false, true})
        for (std::size_t mask = 0; mask < masks; ++mask)
          model.identification_chances[((static_cast<std::size_t>(level) * 2 + (recently_met ? 1 : 0)) << themes) |
                                       mask] =
              model.identification_of(level, static_cast<std::uint16_t>(mask), recently_met);
  }
  // What a family-month costs in each recorded month, once, for the family loop.
  const auto months = static_cast<std::size_t>(std::max(model.months, 0));
  for (std::size_t m = 0; m < months; ++m)
    for (const std::int64_t pence : model.universal_pence_by_level)
      model.universal_month_prices.push_back(model.price(pence, model.universal_payer, static_cast<int>(m)));
  for (const auto& service : model.services)
    for (std::size_t m = 0; m < months; ++m)
      model.case_month_prices.push_back(model.price(service.case_month_pence, service.payer, static_cast<int>(m)));
  return model;
}

double Model::identification_of(int level, std::uint16_t themes, bool recently_met) const {
  const double p = identification_probability[static_cast<std::size_t>(level)];
  double ratio = recently_met ? identification_after_closure[static_cast<std::size_t>(level)] : 1.0;
  if ((identification_theme_multiplier.empty() || themes == 0) && ratio == 1) return p;
  if (p <= 0 || p >= 1) return p;
  if (!identification_theme_multiplier.empty())
    for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1)
      ratio *= identification_theme_multiplier[static_cast<std::size_t>(std::countr_zero(bits))];
  // The multipliers act on the hazard, so the chance stays below 1.
  return -std::expm1(std::log1p(-p) * ratio);
}

std::vector<std::int64_t> Model::capacity_by_locality(std::int64_t total) const {
  return config::apportion(total, locality_shares);
}

}  // namespace ehsim::engine

#include "engine/month_totals.hpp"

#include <algorithm>
#include <cmath>

#include "config/apportion.hpp"
#include "engine/families.hpp"

namespace ehsim::engine {

namespace {

// Every family present at the end of the month costs its level's universal
// cost: the stocks, by level and by each breakdown, times that cost.
void charge_universal_costs(const Model& model, int month, MonthTally& tally) {
  const auto levels = static_cast<std::size_t>(model.level_count);
  const auto localities = model.authority.population.locality_names.size();
  TallyRow stock = tally[&RunResult::stock_families];
  TallyRow by_locality = tally[&RunResult::stock_by_locality];
  TallyRow by_deprivation = tally[&RunResult::stock_by_deprivation];
  TallyRow by_age_band = tally[&RunResult::stock_by_age_band];
  TallyRow spend_by_level = tally[&RunResult::spend_by_level];
  TallyRow spend_by_locality = tally[&RunResult::spend_by_locality];
  TallyRow spend_by_deprivation = tally[&RunResult::spend_by_deprivation];
  TallyRow spend_by_age_band = tally[&RunResult::spend_by_age_band];
  std::int64_t total = 0;
  for (std::size_t k = 0; k < levels; ++k) {
    const std::int64_t cost = model.universal_price(k, month);
    spend_by_level[k] += stock[k] * cost;
    total += stock[k] * cost;
    for (std::size_t l = 0; l < localities; ++l) spend_by_locality[l] += by_locality(l, k) * cost;
    for (std::size_t q = 0; q < deprivation_quintiles; ++q) spend_by_deprivation[q] += by_deprivation(q, k) * cost;
    for (std::size_t a = 0; a < age_bands; ++a) spend_by_age_band[a] += by_age_band(a, k) * cost;
  }
  tally[&RunResult::spend_by_payer](static_cast<std::size_t>(model.universal_payer),
                                    model.universal_cashable ? 1 : 0) += total;
}

// Block contracts: a place paid for and left empty costs its case-month price
// too. It belongs to no family, so it is spread over the families the service
// is there for, those at its levels at the end of the month: by level, and by
// locality, quintile and age band, each in proportion to their numbers, by
// largest remainders so that every breakdown adds up to the penny. Where
// capacity is held per locality, each locality's empty places are its own.
void charge_unfilled_places(const MonthContext& context, MonthTally& tally) {
  const Model& model = context.model;
  const auto levels = static_cast<std::size_t>(model.level_count);
  const auto localities = model.locality_shares.size();
  TallyRow caseload = tally[&RunResult::service_caseload];
  TallyRow capacity = tally[&RunResult::service_capacity];
  TallyRow caseload_by_locality = tally[&RunResult::service_caseload_by_locality];
  TallyRow capacity_by_locality = tally[&RunResult::service_capacity_by_locality];
  TallyRow unfilled = tally[&RunResult::service_unfilled_places];
  TallyRow stock = tally[&RunResult::stock_families];
  TallyRow by_locality = tally[&RunResult::stock_by_locality];
  TallyRow by_deprivation = tally[&RunResult::stock_by_deprivation];
  TallyRow by_age_band = tally[&RunResult::stock_by_age_band];
  const auto spread = [](TallyRow row, std::int64_t pence, const std::vector<double>& weights) {
    const auto split = config::apportion(pence, weights);
    for (std::size_t c = 0; c < split.size(); ++c) row[c] += split[c];
  };
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    const auto& service = model.services[s];
    if (!service.block || !service.open_to_new(context.month)) continue;
    std::vector<std::int64_t> empty_by_locality(localities, 0);
    std::int64_t empty = 0;
    if (service.capacity_by_locality) {
      for (std::size_t l = 0; l < localities; ++l) {
        empty_by_locality[l] = std::max<std::int64_t>(0, capacity_by_locality(s, l) - caseload_by_locality(s, l));
        empty += empty_by_locality[l];
      }
    } else {
      empty = std::max<std::int64_t>(0, capacity[s] - caseload[s]);
    }
    unfilled[s] = empty;
    const std::int64_t place_pence = model.case_month_price(s, context.month);
    const std::int64_t pence = empty * place_pence;
    if (pence == 0) continue;
    std::vector<double> at_level(levels, 0), in_locality(localities, 0), in_quintile(deprivation_quintiles, 0),
        in_band(age_bands, 0);
    for (std::size_t k = 0; k < levels; ++k) {
      if (!service.serves_level[k]) continue;
      at_level[k] = static_cast<double>(stock[k]);
      for (std::size_t l = 0; l < localities; ++l) in_locality[l] += static_cast<double>(by_locality(l, k));
      for (std::size_t q = 0; q < deprivation_quintiles; ++q)
        in_quintile[q] += static_cast<double>(by_deprivation(q, k));
      for (std::size_t a = 0; a < age_bands; ++a) in_band[a] += static_cast<double>(by_age_band(a, k));
    }
    // No family at its levels: the cost still falls, on its lowest level.
    if (std::all_of(at_level.begin(), at_level.end(), [](double n) { return n == 0; })) {
      at_level[static_cast<std::size_t>(service.lowest_level)] = 1;
      in_locality.assign(localities, 1);
      in_quintile.assign(deprivation_quintiles, 1);
      in_band.assign(age_bands, 1);
    }
    spread(tally[&RunResult::spend_by_level], pence, at_level);
    if (service.capacity_by_locality) {
      TallyRow spend_by_locality = tally[&RunResult::spend_by_locality];
      for (std::size_t l = 0; l < localities; ++l) spend_by_locality[l] += empty_by_locality[l] * place_pence;
    } else {
      spread(tally[&RunResult::spend_by_locality], pence, in_locality);
    }
    spread(tally[&RunResult::spend_by_deprivation], pence, in_quintile);
    spread(tally[&RunResult::spend_by_age_band], pence, in_band);
    tally[&RunResult::spend_by_service][s] += pence;
    tally[&RunResult::spend_by_payer](static_cast<std::size_t>(service.payer), service.cashable ? 1 : 0) += pence;
  }
}

// The dashboard (run_result.hpp's indicator columns), from the month's
// counts. Early help is every service that is not statutory.
void fill_dashboard(const Model& model, MonthTally& tally) {
  TallyRow indicators = tally[&RunResult::indicators];
  TallyRow front_door = tally[&RunResult::front_door];
  TallyRow joined = tally[&RunResult::service_waiting_flows];
  TallyRow admissions = tally[&RunResult::service_admissions];
  TallyRow caseload = tally[&RunResult::service_caseload];
  TallyRow waiting = tally[&RunResult::service_waiting];
  TallyRow open_months = tally[&RunResult::service_open_months];
  TallyRow closures = tally[&RunResult::service_closures];
  TallyRow children = tally[&RunResult::service_children];
  indicators[indicator::referrals] = front_door[front_door_measure::referrals];
  indicators[indicator::referrals_no_further_action] = front_door[front_door_measure::no_further_action];
  indicators[indicator::re_referrals] = front_door[front_door_measure::re_referrals];
  // Tallied where they happen: step_downs_declined (the families' step) and
  // early_help_assessments_stepped_down (admissions).
  std::int64_t early_help_admissions = 0;
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    const auto& service = model.services[s];
    indicators[indicator::families_waiting] += waiting[s];
    if (service.early_help) {
      indicators[indicator::referrals_to_early_help] += joined(s, waiting_flow::joined);
      early_help_admissions += admissions[s];
      indicators[indicator::early_help_open_cases] += caseload[s];
      indicators[indicator::early_help_open_case_months] += open_months[s];
      indicators[indicator::early_help_closures_needs_met] += closures(s, closure_outcome::needs_met);
      indicators[indicator::early_help_closures_stepped_up] += closures(s, closure_outcome::stepped_up);
      indicators[indicator::early_help_closures_other] += closures(s, closure_outcome::other);
    } else {
      indicators[indicator::referrals_to_social_care] += joined(s, waiting_flow::joined);
    }
    if (model.authority.services[s].kind == config::ServiceKind::child_protection)
      indicators[indicator::children_on_plans] += children[s];
    if (model.authority.services[s].kind == config::ServiceKind::children_in_care)
      indicators[indicator::children_in_care] += children[s];
  }
  indicators[indicator::early_help_assessments_direct] =
      early_help_admissions - indicators[indicator::early_help_assessments_stepped_down];
}

// Partners' costs: each line's pence times what it is charged on this month
// (the stocks at the end of the month, the month's flows and admissions).
void charge_partner_costs(const Model& model, int month, MonthTally& tally) {
  if (model.partner_lines.empty()) return;
  const auto levels = static_cast<std::size_t>(model.level_count);
  TallyRow costs = tally[&RunResult::partner_costs];
  TallyRow themes = tally[&RunResult::theme_families];
  TallyRow onsets = tally[&RunResult::theme_onsets];
  TallyRow stock = tally[&RunResult::stock_families];
  TallyRow flows = tally[&RunResult::flows];
  TallyRow admitted = tally[&RunResult::service_admitted_children];
  for (std::size_t c = 0; c < model.partner_lines.size(); ++c) {
    const auto& line = model.partner_lines[c];
    std::int64_t count = 0;
    switch (line.basis) {
      case config::PartnerCostBasis::theme_month:
        count = themes[static_cast<std::size_t>(line.index)];
        break;
      case config::PartnerCostBasis::theme_onset:
        count = onsets[static_cast<std::size_t>(line.index)];
        break;
      case config::PartnerCostBasis::level_month:
        count = stock[static_cast<std::size_t>(line.index)];
        break;
      case config::PartnerCostBasis::escalation:
        for (std::size_t from = 0; from < levels; ++from)
          for (std::size_t to = from + 1; to < levels; ++to)
            if (line.index < 0 || to == static_cast<std::size_t>(line.index)) count += flows(from, to);
        break;
      case config::PartnerCostBasis::care_entry:
        for (std::size_t s = 0; s < model.services.size(); ++s)
          if (model.services[s].kind == config::ServiceKind::children_in_care) count += admitted[s];
        break;
    }
    costs[c] = count * model.price(line.pence, line.payer, month);
  }
}

}  // namespace

void complete_month(const MonthContext& context, MonthTally& tally) {
  const Model& model = context.model;
  charge_universal_costs(model, context.month, tally);
  if (context.has_services()) charge_unfilled_places(context, tally);
  charge_partner_costs(model, context.month, tally);
  if (context.has_services()) fill_dashboard(model, tally);
  // Present value of the month's spend (Green Book: a year is discounted by
  // 1 / (1 + r), month m by (1 + r)^(-m / 12)).
  TallyRow spend_by_level = tally[&RunResult::spend_by_level];
  std::int64_t total = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k) total += spend_by_level[k];
  const double factor = std::pow(1 + model.discount_rate_per_year, -static_cast<double>(context.month) / 12);
  tally[&RunResult::spend_discounted][0] = std::llround(static_cast<double>(total) * factor);
}

}  // namespace ehsim::engine

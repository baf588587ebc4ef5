#include "engine/monthly_cycle.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include "config/diagnostics.hpp"
#include "engine/hazard.hpp"
#include "engine/population.hpp"
#include "engine/service_system.hpp"

namespace ehsim::engine {

namespace {

constexpr std::size_t max_theme_count = config::max_themes;
constexpr std::uint16_t re_referral_window_months = 12;
constexpr Stream move_stream = stream("monthly.move_away");
constexpr Stream theme_event_stream = stream("monthly.theme_event");
constexpr Stream level_event_stream = stream("monthly.level_event");
constexpr Stream theme_detail_stream = stream("monthly.theme_detail");
constexpr Stream birth_stream = stream("monthly.birth");
constexpr Stream identification_stream = stream("services.identification");
constexpr Stream closure_stream = stream("services.closure");
constexpr Stream consent_stream = stream("services.consent");
static_assert(identification_stream.block == closure_stream.block, "service draws share one block");
static_assert(move_stream.block == theme_event_stream.block && move_stream.block == level_event_stream.block &&
                  move_stream.block == birth_stream.block,
              "the common monthly decisions share one Philox block, drawn once per family-month");

// Where each counter lives in a block's row of tallies: consecutive
// sections, each laid out row-major.
class TallyLayout {
 public:
  TallyLayout(std::size_t levels, std::size_t themes, std::size_t services, std::size_t payers, std::size_t localities)
      : levels(levels), themes(themes), services(services), payers(payers), localities(localities) {
    std::size_t next = 0;
    const auto section = [&next](std::size_t size) {
      const std::size_t at = next;
      next += size;
      return at;
    };
    flows_ = section(levels * levels);
    aged_out_ = section(levels);
    moved_ = section(levels);
    stock_families_ = section(levels);
    stock_children_ = section(levels);
    theme_ = section(themes);
    closures_ = section(services * closure_outcome::count);
    caseload_ = section(services * localities);
    service_children_ = section(services);
    open_months_ = section(services);
    service_theme_ = section(services * themes);
    referrals_ = section(1);
    spend_level_ = section(levels);
    spend_service_ = section(services);
    spend_payer_ = section(2 * payers);
    spend_locality_ = section(localities);
    spend_deprivation_ = section(deprivation_quintiles);
    spend_age_ = section(age_bands);
    list_left_ = section(services * waiting_flow::count);
    front_door_departed_ = section(1);
    re_referrals_ = section(1);
    step_down_joined_ = section(services);
    step_down_declined_ = section(1);
    stock_by_group_ = section(localities * deprivation_quintiles * age_bands * levels);
    referrals_by_locality_ = section(localities);
    referrals_by_deprivation_ = section(deprivation_quintiles);
    referrals_by_age_ = section(age_bands);
    size_ = next;
  }

  const std::size_t levels, themes, services, payers, localities;

  [[nodiscard]] std::size_t flows(std::size_t from, std::size_t to) const { return flows_ + from * levels + to; }
  [[nodiscard]] std::size_t aged_out(std::size_t k) const { return aged_out_ + k; }
  [[nodiscard]] std::size_t moved(std::size_t k) const { return moved_ + k; }
  [[nodiscard]] std::size_t stock_families(std::size_t k) const { return stock_families_ + k; }
  [[nodiscard]] std::size_t stock_children(std::size_t k) const { return stock_children_ + k; }
  [[nodiscard]] std::size_t theme(std::size_t j) const { return theme_ + j; }
  [[nodiscard]] std::size_t closures(std::size_t s, std::size_t outcome) const {
    return closures_ + s * closure_outcome::count + outcome;
  }
  [[nodiscard]] std::size_t caseload(std::size_t s, std::size_t l) const { return caseload_ + s * localities + l; }
  [[nodiscard]] std::size_t service_children(std::size_t s) const { return service_children_ + s; }
  [[nodiscard]] std::size_t open_months(std::size_t s) const { return open_months_ + s; }
  [[nodiscard]] std::size_t service_theme(std::size_t s, std::size_t j) const {
    return service_theme_ + s * themes + j;
  }
  [[nodiscard]] std::size_t referrals() const { return referrals_; }
  [[nodiscard]] std::size_t spend_level(std::size_t k) const { return spend_level_ + k; }
  [[nodiscard]] std::size_t spend_service(std::size_t s) const { return spend_service_ + s; }
  [[nodiscard]] std::size_t spend_payer(std::size_t p, bool cashable) const {
    return spend_payer_ + 2 * p + (cashable ? 1 : 0);
  }
  [[nodiscard]] std::size_t spend_locality(std::size_t l) const { return spend_locality_ + l; }
  [[nodiscard]] std::size_t spend_deprivation(std::size_t q) const { return spend_deprivation_ + q; }
  [[nodiscard]] std::size_t spend_age(std::size_t a) const { return spend_age_ + a; }
  [[nodiscard]] std::size_t list_left(std::size_t s, std::size_t flow) const {
    return list_left_ + s * waiting_flow::count + flow;
  }
  [[nodiscard]] std::size_t front_door_departed() const { return front_door_departed_; }
  [[nodiscard]] std::size_t re_referrals() const { return re_referrals_; }
  [[nodiscard]] std::size_t step_down_joined(std::size_t s) const { return step_down_joined_ + s; }
  [[nodiscard]] std::size_t step_down_declined() const { return step_down_declined_; }
  // Families by (locality, quintile, age band, level): one counter a family,
  // from which the three breakdowns are summed at the end of the month.
  [[nodiscard]] std::size_t stock_by_group(std::size_t l, std::size_t q, std::size_t a, std::size_t k) const {
    return stock_by_group_ + ((l * deprivation_quintiles + q) * age_bands + a) * levels + k;
  }
  [[nodiscard]] std::size_t referrals_by_locality(std::size_t l) const { return referrals_by_locality_ + l; }
  [[nodiscard]] std::size_t referrals_by_deprivation(std::size_t q) const { return referrals_by_deprivation_ + q; }
  [[nodiscard]] std::size_t referrals_by_age(std::size_t a) const { return referrals_by_age_ + a; }
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  std::size_t flows_, aged_out_, moved_, stock_families_, stock_children_, theme_, closures_, caseload_,
      service_children_, open_months_, service_theme_, referrals_, spend_level_, spend_service_, spend_payer_,
      spend_locality_, spend_deprivation_, spend_age_, list_left_, front_door_departed_, re_referrals_,
      step_down_joined_, step_down_declined_, stock_by_group_, referrals_by_locality_, referrals_by_deprivation_,
      referrals_by_age_, size_;
};

// Who a family is, for the breakdowns of stocks and referrals.
struct FamilyGroups {
  std::size_t locality;
  std::size_t quintile;
  std::size_t age_band;
};

void tally_present(const TallyLayout& layout, std::int64_t* tally, int level, int children, std::uint16_t themes,
                   const FamilyGroups& groups) {
  ++tally[layout.stock_by_group(groups.locality, groups.quintile, groups.age_band, static_cast<std::size_t>(level))];
  ++tally[layout.stock_families(level)];
  tally[layout.stock_children(level)] += children;
  for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1) ++tally[layout.theme(std::countr_zero(bits))];
}

// A family's level after a month, and how it got there.
struct LevelMove {
  int level;
  EventType event;  // meaningful only when the level changed
};

// The new level of a family: up, down or a jump, as competing risks.
LevelMove next_level(const Model& model, int level, std::uint16_t themes, int resilience_band, double up_ratio,
                     double down_ratio, double u) {
  std::array<double, 2 + max_jumps_per_level> hazards{};
  const double escalation =
      model.escalation_by_mask[themes] * model.escalation_by_resilience[resilience_band] * up_ratio;
  hazards[0] = model.up_scale[level] * escalation;
  hazards[1] = model.down_scale[level] * model.de_escalation_by_mask[themes] *
               model.de_escalation_by_resilience[resilience_band] * down_ratio;
  const auto& jumps = model.jumps_by_level[level];
  for (std::size_t x = 0; x < jumps.size(); ++x)
    if ((themes & jumps[x].theme_mask) == jumps[x].theme_mask) hazards[2 + x] = jumps[x].hazard_scale * escalation;
  const int chosen = choose_competing(std::span<const double>(hazards.data(), 2 + jumps.size()), u);
  switch (chosen) {
    case -1:
      return {level, EventType::level_up};
    case 0:
      return {level + 1, EventType::level_up};
    case 1:
      return {level - 1, EventType::level_down};
    default:
      return {jumps[static_cast<std::size_t>(chosen - 2)].to_level, EventType::level_jump};
  }
}

// Hazard ratios a family's services put on moving up and down: those of the
// service it is in, or the decaying after-effect of the one that last closed
// its case with needs met; waiting raises escalation.
struct ServiceRatios {
  double up = 1;
  double down = 1;
};

ServiceRatios service_ratios(const Model& model, const Families& families, std::size_t i, bool waiting) {
  ServiceRatios ratios;
  if (families.service[i] != 0) {
    const auto& service = model.services[families.service[i] - 1u];
    ratios = {service.up_ratio, service.down_ratio};
  } else if (families.flags[i] & family_flag::after_effect) {
    const auto& service = model.services[families.last_service[i] - 1u];
    if (service.half_life_months > 0) {
      const double remaining = std::exp2(-families.months_since_closure[i] / service.half_life_months);
      ratios = {1 + (service.up_ratio - 1) * remaining, 1 + (service.down_ratio - 1) * remaining};
    }
  }
  if (waiting) ratios.up *= model.waiting_up_ratio;
  return ratios;
}

std::uint16_t saturating_increment(std::uint16_t months) {
  return months == std::numeric_limits<std::uint16_t>::max() ? months : static_cast<std::uint16_t>(months + 1);
}

}  // namespace

std::uint16_t next_themes(const Model& model, const RandomSource& rng, FamilyKey key, std::int32_t month,
                          std::uint16_t themes, int deprivation_quintile, double event_uniform,
                          const std::vector<double>* remission_boost) {
  const int count = model.theme_count;
  // The chance that no theme changes is exp(-total hazard), exactly as if each
  // theme were drawn on its own; 1 - exp(-total) <= total, so a uniform at or
  // above the total needs no exponential. Most family-months stop here.
  const double dep = model.deprivation_multiplier[deprivation_quintile];
  const auto remission = [&](int j) { return model.remission[j] * (remission_boost ? (*remission_boost)[j] : 1.0); };
  double remission_total = model.remission_sum_by_mask[themes];
  if (remission_boost) {
    remission_total = 0;
    for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1) remission_total += remission(std::countr_zero(bits));
  }
  // Demand as it stands this month.
  const std::vector<double>* onset = &model.onset;
  const std::vector<double>* onset_sum_by_mask = &model.onset_sum_by_mask;
  for (const auto& change : model.onset_changes)
    if (month >= change.from_month) {
      onset = &change.onset;
      onset_sum_by_mask = &change.onset_sum_by_mask;
    }
  const double total_hazard = dep * (*onset_sum_by_mask)[themes] + remission_total;
  if (event_uniform >= total_hazard || event_uniform >= probability_from_hazard(total_hazard)) return themes;
  std::array<double, max_theme_count> hazard{};  // per theme: onset if inactive, remission if active
  for (int j = 0; j < count; ++j) {
    hazard[j] = remission(j);
    if (!(themes & (1u << j))) {
      hazard[j] = (*onset)[j] * dep;
      for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1)
        hazard[j] *= model.onset_multiplier[std::countr_zero(bits) * count + j];
    }
  }
  // At least one theme changes. Draw them in order: until one has changed,
  // theme j changes with P(j changes) / P(some theme from j on changes), and
  // with P(j changes) after. The factors telescope, so this is exactly
  // independent per-theme draws given that something changed. P(some theme
  // from j on changes) = 1 - exp(-(sum of their hazards)), from suffix sums:
  // accurate for small hazards, and 1 for the last theme with a hazard, so
  // the month's change always happens.
  std::array<double, max_theme_count + 1> hazard_from{};
  for (int j = count - 1; j >= 0; --j) hazard_from[j] = hazard_from[j + 1] + hazard[j];
  FamilyDraws draws(rng, key, month);
  bool changed = false;
  std::uint16_t next = themes;
  for (int j = 0; j < count; ++j) {
    if (hazard[j] <= 0) continue;
    const double p_change = probability_from_hazard(hazard[j]);
    const double p = changed ? p_change : p_change / probability_from_hazard(hazard_from[j]);
    if (draws.uniform(theme_detail_stream, static_cast<std::uint32_t>(j)) < p) {
      next ^= static_cast<std::uint16_t>(1u << j);
      changed = true;
    }
  }
  return next;
}

void advance_month(const Model& model, const RandomSource& rng, Families& families, std::int32_t month,
                   std::uint32_t& next_id, RunResult* record, MonthScratch& scratch) {
  const TallyLayout layout{static_cast<std::size_t>(model.level_count), static_cast<std::size_t>(model.theme_count),
                           model.services.size(), static_cast<std::size_t>(model.payer_count),
                           model.authority.population.locality_names.size()};
  // Money: a family's level costs its universal cost each month; an open case
  // at the end of the month costs its service's case-month cost.
  const auto charge = [&model, &layout](std::int64_t* tally, int level, int service, int children,
                                        const FamilyGroups& groups) {
    const auto by_group = [&](std::int64_t pence) {
      tally[layout.spend_level(static_cast<std::size_t>(level))] += pence;
      tally[layout.spend_locality(groups.locality)] += pence;
      tally[layout.spend_deprivation(groups.quintile)] += pence;
      tally[layout.spend_age(groups.age_band)] += pence;
    };
    if (const std::int64_t universal = model.universal_pence_by_level[static_cast<std::size_t>(level)]) {
      by_group(universal);
      tally[layout.spend_payer(static_cast<std::size_t>(model.universal_payer), model.universal_cashable)] += universal;
    }
    if (service < 0) return;
    const auto& provider = model.services[static_cast<std::size_t>(service)];
    const std::int64_t pence = provider.case_month_pence * (provider.cost_per_child ? children : 1);
    by_group(pence);
    tally[layout.spend_service(static_cast<std::size_t>(service))] += pence;
    tally[layout.spend_payer(static_cast<std::size_t>(provider.payer), provider.cashable)] += pence;
  };
  const std::size_t blocks = (families.size() + families_per_block - 1) / families_per_block;
  scratch.block_tallies.assign(blocks * layout.size(), 0);
  const bool log = record != nullptr && record->has_trajectories;
  scratch.block_events.resize(blocks);
  scratch.block_queues.resize(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    scratch.block_events[b].clear();
    scratch.block_queues[b].clear();
  }
  const auto months = static_cast<std::size_t>(model.months);
  const bool has_services = !model.services.empty();
  // Burn-in months record nothing: only the counts the month itself needs
  // (families present, caseloads, queues) are kept.
  const bool recording = record != nullptr;
  const bool identifies = !model.identification_probability.empty();

  const auto advance_block = [&](std::size_t block) {
    std::int64_t* tally = scratch.block_tallies.data() + block * layout.size();
    std::vector<Event>* events = log ? &scratch.block_events[block] : nullptr;
    std::vector<QueueEntry>& queue = scratch.block_queues[block];
    const std::size_t end = std::min(families.size(), (block + 1) * families_per_block);
    for (std::size_t i = block * families_per_block; i < end; ++i) {
      const int level = families.need_level[i];
      if (level == departed) continue;
      const std::uint32_t id = families.id[i];
      const auto& births = families.birth_month[i];
      const FamilyKey key = families.key[i];
      // Who the family is, for breakdowns; its age band is set after this month's births.
      FamilyGroups groups{families.locality[i], families.deprivation_quintile[i], 0};
      const auto event = [&](EventType type, int from, int to, int service) {
        if (events)
          events->push_back({id, month, type, static_cast<std::int8_t>(from + 1), static_cast<std::int8_t>(to + 1),
                             static_cast<std::uint8_t>(service + 1)});
      };
      const auto close_case = [&](std::size_t outcome, int at_level) {
        const int service = families.service[i] - 1;
        ++tally[layout.closures(static_cast<std::size_t>(service), outcome)];
        families.service[i] = 0;
        families.last_service[i] = static_cast<std::uint8_t>(service + 1);
        families.months_since_closure[i] = 0;
        if (outcome == closure_outcome::needs_met)
          families.flags[i] |= family_flag::after_effect;
        else
          families.flags[i] &= static_cast<std::uint8_t>(~family_flag::after_effect);
        event(closure_event(outcome), at_level, at_level, service);
      };
      const auto refer = [&](int at_level) {
        families.queue[i] = front_door_queue;
        families.flags[i] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
        families.months_in_state[i] = 0;
        ++tally[layout.referrals()];
        if (recording) {
          ++tally[layout.referrals_by_locality(groups.locality)];
          ++tally[layout.referrals_by_deprivation(groups.quintile)];
          ++tally[layout.referrals_by_age(groups.age_band)];
        }
        // A re-referral: within 12 months of a closed case (MODEL.md).
        if (families.last_service[i] != 0 && families.months_since_closure[i] <= re_referral_window_months)
          ++tally[layout.re_referrals()];
        event(EventType::referral, at_level, at_level, -1);
      };

      // 1. Departures: the youngest child turns 18, or the family moves away.
      const auto draws = rng.block(key, month, move_stream.block);
      const bool aged_out = month - births[0] >= adult_age_months;
      if (aged_out || to_uniform(draws[move_stream.first_lane]) < model.move_away_probability) {
        ++tally[aged_out ? layout.aged_out(level) : layout.moved(level)];
        if (families.service[i] != 0) close_case(closure_outcome::other, level);
        if (families.queue[i] == front_door_queue) ++tally[layout.front_door_departed()];
        if (families.queue[i] >= waiting_for(0))
          ++tally[layout.list_left(families.queue[i] - waiting_for(0), waiting_flow::departed)];
        families.queue[i] = 0;
        families.need_level[i] = departed;
        event(aged_out ? EventType::aged_out : EventType::moved_away, level, -1, -1);
        continue;
      }

      // 2. Births: the family grows.
      if (to_uniform(draws[birth_stream.first_lane]) < model.birth_probability)
        add_birth(families.birth_month[i], month);
      if (recording) groups.age_band = static_cast<std::size_t>(age_band_of_youngest(births, month));

      // 3. Services: an open case may close (the work is done, or the family
      //    disengages); a family not known to services may be referred.
      const bool was_waiting = families.queue[i] != 0;  // at the start of the month
      if (has_services) {
        // Another month waiting, for families already queued (a referral this
        // month starts at 0).
        if (was_waiting) families.months_in_state[i] = saturating_increment(families.months_in_state[i]);
        // And another month since the last closed case (0 in the month it closes).
        if (families.service[i] == 0 && families.last_service[i] != 0)
          families.months_since_closure[i] = saturating_increment(families.months_since_closure[i]);
        const bool referable = identifies && families.service[i] == 0 && families.queue[i] == 0 &&
                               model.identification_probability[static_cast<std::size_t>(level)] > 0;
        if (families.service[i] != 0 || referable) {
          const auto service_draws = rng.block(key, month, closure_stream.block);
          if (families.service[i] != 0) {
            const auto& service = model.services[families.service[i] - 1u];
            families.months_in_state[i] = saturating_increment(families.months_in_state[i]);
            const int kind = (families.flags[i] & family_flag::duration_kind_mask) >> family_flag::duration_kind_shift;
            const std::array<double, 2> closing{service.closure_hazards[static_cast<std::size_t>(kind)],
                                                service.dropout_hazard};
            switch (choose_competing(closing, to_uniform(service_draws[closure_stream.first_lane]))) {
              case 0:
                close_case(closure_outcome::needs_met, level);
                break;
              case 1:
                close_case(closure_outcome::other, level);
                break;
              default:
                break;
            }
          } else if (to_uniform(service_draws[identification_stream.first_lane]) <
                     model.identification(level, families.themes[i],
                                          (families.flags[i] & family_flag::after_effect) &&
                                              families.months_since_closure[i] <= re_referral_window_months)) {
            refer(level);
          }
        }
      }

      // 4. Risk themes start and remit.
      const std::vector<double>* boost = nullptr;
      if (has_services && families.service[i] != 0) {
        const auto& service = model.services[families.service[i] - 1u];
        if (!service.remission_multiplier.empty()) boost = &service.remission_multiplier;
      }
      const std::uint16_t themes =
          next_themes(model, rng, key, month, families.themes[i], families.deprivation_quintile[i],
                      to_uniform(draws[theme_event_stream.first_lane]), boost);
      families.themes[i] = themes;

      // 5. The level of need moves up, down or jumps, under the services' effects.
      const ServiceRatios ratios = has_services ? service_ratios(model, families, i, was_waiting) : ServiceRatios{};
      const LevelMove move = next_level(model, level, themes, families.resilience_band[i], ratios.up, ratios.down,
                                        to_uniform(draws[level_event_stream.first_lane]));
      const int next = move.level;
      families.need_level[i] = static_cast<std::uint8_t>(next);
      ++tally[layout.flows(level, next)];
      if (next != level) event(move.event, level, next, -1);

      // 6. A family whose need leaves its service's levels: above them it is
      //    stepped up and referred again; below them its needs are met. One
      //    that escalates while waiting is re-routed by the front door.
      if (has_services && next != level) {
        if (families.service[i] != 0) {
          const auto& service = model.services[families.service[i] - 1u];
          if (next > service.highest_level) {
            close_case(closure_outcome::stepped_up, next);
            refer(next);
          } else if (next < service.lowest_level) {
            close_case(closure_outcome::needs_met, next);
            // Step-down from social care: straight onto the waiting list of
            // the service below, if the family agrees.
            if (service.step_down_to >= 0) {
              const auto target = static_cast<std::size_t>(service.step_down_to);
              if (rng.uniform(consent_stream, key, month) < model.services[target].consent_probability) {
                families.queue[i] = waiting_for(service.step_down_to);
                families.months_in_state[i] = 0;
                families.flags[i] |= family_flag::stepped_down;
                ++tally[layout.step_down_joined(target)];
                event(EventType::step_down, next, next, service.step_down_to);
              } else {
                ++tally[layout.step_down_declined()];
              }
            }
          }
        } else if (families.queue[i] >= waiting_for(0)) {
          const std::size_t waited_for = families.queue[i] - waiting_for(0);
          if (next > level) {
            ++tally[layout.list_left(waited_for, waiting_flow::rerouted)];
            refer(next);
          } else if (next < model.services[waited_for].lowest_level) {
            ++tally[layout.list_left(waited_for, waiting_flow::no_longer_needed)];
            families.queue[i] = 0;
            families.flags[i] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
          }
        }
      }
      const int children = recording ? children_under_18(births, month) : 0;
      if (families.service[i] != 0) {
        const std::size_t service = families.service[i] - 1u;
        ++tally[layout.caseload(service, groups.locality)];
        if (recording) {
          tally[layout.service_children(service)] += children;
          tally[layout.open_months(service)] += families.months_in_state[i];
          for (std::uint32_t bits = themes; bits != 0; bits &= bits - 1)
            ++tally[layout.service_theme(service, static_cast<std::size_t>(std::countr_zero(bits)))];
        }
      }
      if (families.queue[i] != 0)
        queue.push_back({id, static_cast<std::uint32_t>(i), families.queue[i], static_cast<std::uint8_t>(next),
                         families.months_in_state[i]});

      if (recording) {
        tally_present(layout, tally, next, children, themes, groups);
        charge(tally, next, families.service[i] - 1, children, groups);
      } else {
        ++tally[layout.stock_families(next)];
      }
      if (log) record->trajectory_levels[id * months + month] = static_cast<std::int8_t>(next + 1);
    }
  };
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t block = range.begin(); block != range.end(); ++block) advance_block(block);
      },
      tbb::simple_partitioner());

  // Sum the blocks into this month's row (integers: the order cannot matter).
  std::vector<std::int64_t> tally(layout.size(), 0);
  for (std::size_t block = 0; block < blocks; ++block)
    for (std::size_t c = 0; c < layout.size(); ++c) tally[c] += scratch.block_tallies[block * layout.size() + c];
  if (log)
    for (const auto& events : scratch.block_events)
      record->events.insert(record->events.end(), events.begin(), events.end());

  // 7. The front door and the services' admissions, in the fixed order.
  ServiceMonth services;
  if (has_services) {
    std::vector<QueueEntry>& queue = scratch.queue;
    queue.clear();
    for (const auto& block_queue : scratch.block_queues)
      queue.insert(queue.end(), block_queue.begin(), block_queue.end());
    const std::span<const std::int64_t> caseload(tally.data() + layout.caseload(0, 0),
                                                 layout.services * layout.localities);
    services = run_front_door_and_admissions(model, rng, families, month, queue, caseload, scratch.extra_capacity,
                                             log ? &record->events : nullptr);
  }

  // 8. Arrivals join at the end of the month.
  std::int64_t present_before = 0;
  for (std::size_t k = 0; k < layout.levels; ++k) present_before += tally[layout.stock_families(k)];
  const std::int64_t arriving = arrivals_in_month(model, rng, month, present_before);
  if (arriving > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max() - 1 - next_id)) {
    config::ConfigIssue issue;  // ids are 32-bit; every family ever present needs one
    issue.key = "population";
    issue.message =
        "this run would create more than 4 billion families; use fewer families, months or a lower "
        "move_away_hazard_per_month";
    throw config::ConfigError({issue});
  }
  std::vector<std::int64_t> arrivals(layout.levels, 0);
  if (log) record->trajectory_levels.resize((static_cast<std::size_t>(next_id) + arriving) * months, 0);
  for (std::int64_t a = 0; a < arriving; ++a) {
    const FamilyKey key = arrival_key(month + model.burn_in_months, static_cast<std::uint32_t>(a));
    const Family family = generate_family(model, rng, next_id++, key, month, Origin::arrival);
    families.append(family);
    ++arrivals[family.need_level];
    const int children = children_under_18(family.birth_month, month);
    const FamilyGroups groups{family.locality, family.deprivation_quintile,
                              static_cast<std::size_t>(age_band_of_youngest(family.birth_month, month))};
    tally_present(layout, tally.data(), family.need_level, children, family.themes, groups);
    charge(tally.data(), family.need_level, -1, children, groups);
    if (log) {
      const auto level = static_cast<std::int8_t>(family.need_level + 1);
      record->trajectory_levels[family.id * months + month] = level;
      record->events.push_back({family.id, month, EventType::arrival, 0, level});
    }
  }

  // Sweep out departed families once they are a quarter of the arrays.
  std::size_t present = 0;
  for (std::size_t k = 0; k < layout.levels; ++k) present += static_cast<std::size_t>(tally[layout.stock_families(k)]);
  if (families.size() - present > families.size() / 4) families.remove_departed();

  if (record == nullptr) return;  // a burn-in month
  RunResult& result = *record;
  if (log) result.trajectory_families = next_id;
  const auto m = static_cast<std::size_t>(month);
  for (std::size_t k = 0; k < layout.levels; ++k) {
    result.arrivals(m, k) = arrivals[k];
    for (std::size_t l = 0; l < layout.levels; ++l) result.flows(m, k, l) = tally[layout.flows(k, l)];
    result.departures_aged_out(m, k) = tally[layout.aged_out(k)];
    result.departures_moved(m, k) = tally[layout.moved(k)];
    result.stock_families(m, k) = tally[layout.stock_families(k)];
    result.stock_children(m, k) = tally[layout.stock_children(k)];
  }
  for (std::size_t j = 0; j < layout.themes; ++j) result.theme_families(m, j) = tally[layout.theme(j)];
  for (std::size_t l = 0; l < layout.localities; ++l)
    for (std::size_t q = 0; q < deprivation_quintiles; ++q)
      for (std::size_t a = 0; a < age_bands; ++a)
        for (std::size_t k = 0; k < layout.levels; ++k) {
          const std::int64_t families_in_group = tally[layout.stock_by_group(l, q, a, k)];
          result.stock_by_locality(m, l, k) += families_in_group;
          result.stock_by_deprivation(m, q, k) += families_in_group;
          result.stock_by_age_band(m, a, k) += families_in_group;
        }
  for (std::size_t l = 0; l < layout.localities; ++l)
    result.referrals_by_locality(m, l) = tally[layout.referrals_by_locality(l)];
  for (std::size_t q = 0; q < deprivation_quintiles; ++q)
    result.referrals_by_deprivation(m, q) = tally[layout.referrals_by_deprivation(q)];
  for (std::size_t a = 0; a < age_bands; ++a) result.referrals_by_age_band(m, a) = tally[layout.referrals_by_age(a)];
  // Cases opened this month cost their start and the month (service_system.cpp).
  const auto opened = [has_services](const std::vector<std::int64_t>& spend, std::size_t c) {
    return has_services ? spend[c] : 0;
  };
  for (std::size_t k = 0; k < layout.levels; ++k)
    result.spend_by_level(m, k) = tally[layout.spend_level(k)] + opened(services.spend_by_level, k);
  for (std::size_t p = 0; p < layout.payers; ++p)
    for (const bool cashable : {false, true})
      result.spend_by_payer(m, p, cashable ? 1 : 0) =
          tally[layout.spend_payer(p, cashable)] + opened(services.spend_by_payer, 2 * p + cashable);
  for (std::size_t l = 0; l < layout.localities; ++l)
    result.spend_by_locality(m, l) = tally[layout.spend_locality(l)] + opened(services.spend_by_locality, l);
  for (std::size_t q = 0; q < deprivation_quintiles; ++q)
    result.spend_by_deprivation(m, q) = tally[layout.spend_deprivation(q)] + opened(services.spend_by_deprivation, q);
  for (std::size_t a = 0; a < age_bands; ++a)
    result.spend_by_age_band(m, a) = tally[layout.spend_age(a)] + opened(services.spend_by_age_band, a);
  if (!has_services) return;
  for (std::size_t s = 0; s < layout.services; ++s)
    result.spend_by_service(m, s) = tally[layout.spend_service(s)] + services.spend_by_service[s];
  for (std::size_t c = 0; c < front_door_measure::count; ++c) result.front_door(m, c) = services.front_door[c];
  result.front_door(m, front_door_measure::referrals) = tally[layout.referrals()];
  result.front_door(m, front_door_measure::departed) = tally[layout.front_door_departed()];
  result.front_door(m, front_door_measure::re_referrals) = tally[layout.re_referrals()];
  for (std::size_t s = 0; s < layout.services; ++s) {
    result.service_caseload(m, s) = services.caseload[s];
    result.service_capacity(m, s) = services.capacity[s];
    result.service_waiting(m, s) = services.waiting[s];
    result.service_admissions(m, s) = services.admissions[s];
    result.service_wait_months(m, s) = services.wait_months[s];
    for (std::size_t o = 0; o < closure_outcome::count; ++o)
      result.service_closures(m, s, o) = tally[layout.closures(s, o)];
    result.service_waiting_flows(m, s, waiting_flow::joined) = services.joined[s];
    result.service_waiting_flows(m, s, waiting_flow::stepped_down) = tally[layout.step_down_joined(s)];
    for (const std::size_t flow : {waiting_flow::rerouted, waiting_flow::no_longer_needed, waiting_flow::departed})
      result.service_waiting_flows(m, s, flow) = tally[layout.list_left(s, flow)];
    result.service_children(m, s) = tally[layout.service_children(s)] + services.children[s];
    result.service_open_months(m, s) = tally[layout.open_months(s)];
    for (std::size_t j = 0; j < layout.themes; ++j)
      result.service_theme_cases(m, s, j) =
          tally[layout.service_theme(s, j)] + services.theme_cases[s * layout.themes + j];
    for (std::size_t l = 0; l < layout.localities; ++l) {
      result.service_caseload_by_locality(m, s, l) = services.caseload_by_locality[s * layout.localities + l];
      result.service_capacity_by_locality(m, s, l) = services.capacity_by_locality[s * layout.localities + l];
    }
  }

  // The dashboard, from the counts above.
  const auto set = [&result, m](std::size_t column, std::int64_t value) { result.indicators(m, column) = value; };
  set(indicator::referrals, result.front_door(m, front_door_measure::referrals));
  set(indicator::referrals_no_further_action, result.front_door(m, front_door_measure::no_further_action));
  set(indicator::re_referrals, result.front_door(m, front_door_measure::re_referrals));
  set(indicator::step_downs_declined, tally[layout.step_down_declined()]);
  for (std::size_t s = 0; s < layout.services; ++s) {
    const auto& service = model.services[s];
    const auto add = [&result, m](std::size_t column, std::int64_t value) { result.indicators(m, column) += value; };
    add(indicator::families_waiting, services.waiting[s]);
    if (service.early_help) {
      add(indicator::referrals_to_early_help, services.joined[s]);
      add(indicator::early_help_assessments_direct, services.admissions[s] - services.admitted_stepped_down[s]);
      add(indicator::early_help_assessments_stepped_down, services.admitted_stepped_down[s]);
      add(indicator::early_help_open_cases, services.caseload[s]);
      add(indicator::early_help_open_case_months, result.service_open_months(m, s));
      add(indicator::early_help_closures_needs_met, result.service_closures(m, s, closure_outcome::needs_met));
      add(indicator::early_help_closures_stepped_up, result.service_closures(m, s, closure_outcome::stepped_up));
      add(indicator::early_help_closures_other, result.service_closures(m, s, closure_outcome::other));
    } else {
      add(indicator::referrals_to_social_care, services.joined[s]);
    }
    if (service.kind == config::ServiceKind::child_protection)
      add(indicator::children_on_plans, result.service_children(m, s));
    if (service.kind == config::ServiceKind::children_in_care)
      add(indicator::children_in_care, result.service_children(m, s));
  }
}
}  // namespace ehsim::engine

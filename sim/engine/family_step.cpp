#include "engine/family_step.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include "engine/need_level.hpp"
#include "engine/themes.hpp"

namespace ehsim::engine {

namespace {

constexpr std::uint16_t re_referral_window_months = 12;
constexpr Stream move_stream = stream("monthly.move_away");
constexpr Stream theme_event_stream = stream("monthly.theme_event");
constexpr Stream level_event_stream = stream("monthly.level_event");
constexpr Stream birth_stream = stream("monthly.birth");
constexpr Stream identification_stream = stream("services.identification");
constexpr Stream closure_stream = stream("services.closure");
constexpr Stream completion_step_down_stream = stream("services.completion_step_down");
constexpr Stream consent_stream = stream("services.consent");
static_assert(identification_stream.block == closure_stream.block, "service draws share one block");
static_assert(move_stream.block == theme_event_stream.block && move_stream.block == level_event_stream.block &&
                  move_stream.block == birth_stream.block,
              "the common monthly decisions share one Philox block, drawn once per family-month");

std::uint16_t saturating_increment(std::uint16_t months) {
  return months == std::numeric_limits<std::uint16_t>::max() ? months : static_cast<std::uint16_t>(months + 1);
}

// The rows of a block's tally that the families' step counts into.
struct FamilyRows {
  FamilyRows(const TallyLayout& layout, std::int64_t* tally, std::int64_t* groups)
      : groups(groups),
        flows(layout.row(tally, &RunResult::flows)),
        aged_out(layout.row(tally, &RunResult::departures_aged_out)),
        moved(layout.row(tally, &RunResult::departures_moved)),
        stock_children(layout.row(tally, &RunResult::stock_children)),
        theme_families(layout.row(tally, &RunResult::theme_families)),
        theme_onsets(layout.row(tally, &RunResult::theme_onsets)),
        front_door(layout.row(tally, &RunResult::front_door)),
        referrals_by_locality(layout.row(tally, &RunResult::referrals_by_locality)),
        referrals_by_deprivation(layout.row(tally, &RunResult::referrals_by_deprivation)),
        referrals_by_age_band(layout.row(tally, &RunResult::referrals_by_age_band)),
        closures(layout.row(tally, &RunResult::service_closures)),
        waiting_flows(layout.row(tally, &RunResult::service_waiting_flows)),
        caseload_by_locality(layout.row(tally, &RunResult::service_caseload_by_locality)),
        service_children(layout.row(tally, &RunResult::service_children)),
        closed_children(layout.row(tally, &RunResult::service_closed_children)),
        open_months(layout.row(tally, &RunResult::service_open_months)),
        theme_cases(layout.row(tally, &RunResult::service_theme_cases)),
        indicators(layout.row(tally, &RunResult::indicators)),
        spend_by_level(layout.row(tally, &RunResult::spend_by_level)),
        spend_by_service(layout.row(tally, &RunResult::spend_by_service)),
        spend_by_payer(layout.row(tally, &RunResult::spend_by_payer)),
        spend_by_locality(layout.row(tally, &RunResult::spend_by_locality)),
        spend_by_deprivation(layout.row(tally, &RunResult::spend_by_deprivation)),
        spend_by_age_band(layout.row(tally, &RunResult::spend_by_age_band)) {}

  // Families at the end of their step, by (locality, quintile, age band,
  // level): one counter a family, from which the month's stocks and their
  // breakdowns are summed (family_groups).
  std::int64_t* groups;
  TallyRow flows, aged_out, moved, stock_children, theme_families, theme_onsets;
  TallyRow front_door, referrals_by_locality, referrals_by_deprivation, referrals_by_age_band;
  TallyRow closures, waiting_flows, caseload_by_locality, service_children, closed_children, open_months, theme_cases,
      indicators;
  TallyRow spend_by_level, spend_by_service, spend_by_payer, spend_by_locality, spend_by_deprivation, spend_by_age_band;
};

// One family's month, step by step. A departed family takes no further steps.
class FamilyMonth {
 public:
  FamilyMonth(const MonthContext& context, Families& families, std::size_t i, FamilyRows& rows,
              std::vector<Event>* events)
      : context_(context),
        model_(context.model),
        families_(families),
        i_(i),
        rows_(rows),
        events_(events),
        month_(context.month),
        key_(families.key[i]),
        level_(families.need_level[i]),
        locality_(families.locality[i]),
        quintile_(families.deprivation_quintile[i]) {}

  // 1. Departures: the youngest child turns 18, or the family moves away.
  //    Returns whether it left.
  bool departs(const std::array<std::uint32_t, 4>& draws) {
    auto& f = families_;
    const bool aged_out = month_ - f.birth_month[i_][0] >= adult_age_months;
    if (!aged_out && to_uniform(draws[move_stream.first_lane]) >= model_.move_away_probability) return false;
    ++(aged_out ? rows_.aged_out : rows_.moved)[static_cast<std::size_t>(level_)];
    if (f.service[i_] != 0) close_case(closure_outcome::other, level_);
    if (f.queue[i_] == front_door_queue) ++rows_.front_door[front_door_measure::departed];
    if (f.queue[i_] >= waiting_for(0)) ++rows_.waiting_flows(f.queue[i_] - waiting_for(0), waiting_flow::departed);
    f.queue[i_] = 0;
    f.need_level[i_] = departed;
    event(aged_out ? EventType::aged_out : EventType::moved_away, level_, -1, -1);
    return true;
  }

  // 2. Births: the family grows.
  void births(const std::array<std::uint32_t, 4>& draws) {
    if (to_uniform(draws[birth_stream.first_lane]) < model_.birth_probability)
      add_birth(families_.birth_month[i_], month_);
    if (context_.recording)
      age_band_ = static_cast<std::size_t>(age_band_of_youngest(families_.birth_month[i_], month_));
  }

  // 3. Services: an open case may close (the work is done, or the family
  //    disengages); a family not known to services may be referred.
  void services() {
    auto& f = families_;
    was_waiting_ = f.queue[i_] != 0;  // at the start of the month
    // Another month waiting, for families already queued (a referral this
    // month starts at 0).
    if (was_waiting_) f.months_in_state[i_] = saturating_increment(f.months_in_state[i_]);
    const bool referable = !model_.identification_probability.empty() && f.service[i_] == 0 && f.queue[i_] == 0 &&
                           model_.identification_probability[static_cast<std::size_t>(level_)] > 0;
    if (f.service[i_] == 0 && !referable) return;
    const auto draws = context_.rng.block(key_, month_, closure_stream.block);
    if (f.service[i_] != 0) {
      const auto& service = model_.services[f.service[i_] - 1u];
      f.months_in_state[i_] = saturating_increment(f.months_in_state[i_]);
      const int kind = (f.flags[i_] & family_flag::duration_kind_mask) >> family_flag::duration_kind_shift;
      // The completion hazard, times the ratio for the months the case has been open (this one counted).
      const double completion = service.closure_hazards[static_cast<std::size_t>(kind)];
      // Completion, dropout and a transfer within the level compete; without
      // a transfer its hazard is 0 and the draw decides as between two.
      const std::array<double, 3> closing{service.completion_ratio_steps.empty()
                                              ? completion
                                              : completion * service.completion_ratio(f.months_in_state[i_]),
                                          service.dropout_hazard, service.transfer_hazard};
      switch (choose_competing(closing, to_uniform(draws[closure_stream.first_lane]))) {
        case 0:
          close_case(closure_outcome::needs_met, level_);
          completed_at_ = &service;
          if (service.completion_step_down > 0 && level_ > 0)
            completed_down_ =
                to_uniform(context_.rng.block(
                    key_, month_, completion_step_down_stream.block)[completion_step_down_stream.first_lane]) <
                service.completion_step_down;
          break;
        case 1:
          close_case(closure_outcome::other, level_);
          break;
        case 2:
          transfer(service.transfer_to);
          break;
        default:
          break;
      }
    } else if (to_uniform(draws[identification_stream.first_lane]) <
               model_.identification(level_, f.themes[i_], recently_met())) {
      refer(level_);
    }
  }

  // 4. Risk themes start and remit, under the service's boosts.
  void themes(const std::array<std::uint32_t, 4>& draws) {
    auto& f = families_;
    const std::vector<double>* boost = nullptr;
    if (f.service[i_] != 0) {
      const auto& service = model_.services[f.service[i_] - 1u];
      if (!service.remission_multiplier.empty()) boost = &service.remission_multiplier;
    }
    const std::uint16_t before = f.themes[i_];
    f.themes[i_] = next_themes(model_, context_.rng, key_, month_, before, quintile_,
                               to_uniform(draws[theme_event_stream.first_lane]), boost);
    if (context_.recording)
      for (std::uint32_t bits = f.themes[i_] & ~before; bits != 0; bits &= bits - 1)
        ++rows_.theme_onsets[static_cast<std::size_t>(std::countr_zero(bits))];
  }

  // 5. The level of need moves up, down or jumps, under the services' effects.
  void level(const std::array<std::uint32_t, 4>& draws) {
    auto& f = families_;
    const ServiceRatios ratios =
        context_.has_services() ? service_ratios(model_, f, i_, month_, was_waiting_) : ServiceRatios{};
    // A case completed this month with the family stepping down: that is its
    // move. A case transferred this month: the family stays at its level (no
    // move, so no event), so that the service it moves to admits it.
    const LevelMove move = completed_down_ ? LevelMove{level_ - 1, EventType::level_down}
                           : transferred_  ? LevelMove{level_, EventType::level_down}
                                           : next_level(model_, level_, f.themes[i_], f.resilience_band[i_], ratios.up,
                                                        ratios.down, to_uniform(draws[level_event_stream.first_lane]));
    next_level_ = move.level;
    f.need_level[i_] = static_cast<std::uint8_t>(next_level_);
    ++rows_.flows(static_cast<std::size_t>(level_), static_cast<std::size_t>(next_level_));
    if (next_level_ != level_) event(move.event, level_, next_level_, -1);
  }

  // 6. A family whose need leaves its service's levels: above them it is
  //    stepped up and referred again; below them its needs are met. One that
  //    escalates while waiting is re-routed by the front door.
  void leave_service_levels() {
    if (next_level_ == level_) return;
    auto& f = families_;
    if (completed_at_ != nullptr) {
      // A case that completed this month, with the family then below its
      // service (stepped down by the completion or by the level's own
      // hazard), goes on to the service's step-down, as one that fell below
      // it does.
      if (next_level_ < completed_at_->lowest_level && completed_at_->step_down_to >= 0)
        step_down(completed_at_->step_down_to);
    } else if (f.service[i_] != 0) {
      const auto& service = model_.services[f.service[i_] - 1u];
      if (next_level_ > service.highest_level) {
        close_case(closure_outcome::stepped_up, next_level_);
        refer(next_level_);
      } else if (next_level_ < service.lowest_level) {
        close_case(closure_outcome::needs_met, next_level_);
        if (service.step_down_to >= 0) step_down(service.step_down_to);
      }
    } else if (f.queue[i_] >= waiting_for(0)) {
      const std::size_t waited_for = f.queue[i_] - waiting_for(0);
      if (next_level_ > level_) {
        ++rows_.waiting_flows(waited_for, waiting_flow::rerouted);
        refer(next_level_);
      } else if (next_level_ < model_.services[waited_for].lowest_level) {
        ++rows_.waiting_flows(waited_for, waiting_flow::no_longer_needed);
        f.queue[i_] = 0;
        f.flags[i_] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
      }
    }
  }

  // The family as it stands at the end of its step: its stocks, its open
  // case, its place in a queue and its case's cost. (Universal costs follow
  // from the stocks at the month's end.)
  [[gnu::always_inline]] void tally(std::vector<QueueEntry>& queue) {
    auto& f = families_;
    const auto level = static_cast<std::size_t>(next_level_);
    ++rows_.groups[((locality_ * deprivation_quintiles + quintile_) * age_bands + age_band_) *
                       static_cast<std::size_t>(model_.level_count) +
                   level];
    const bool recording = context_.recording;
    const int children = recording ? children_under_18(f.birth_month[i_], month_) : 0;
    if (f.service[i_] != 0) {
      const std::size_t s = f.service[i_] - 1u;
      ++rows_.caseload_by_locality(s, locality_);
      if (recording) {
        rows_.service_children[s] += children;
        rows_.open_months[s] += f.months_in_state[i_];
        for (std::uint32_t bits = f.themes[i_]; bits != 0; bits &= bits - 1)
          ++rows_.theme_cases(s, static_cast<std::size_t>(std::countr_zero(bits)));
        const auto& service = model_.services[s];
        const std::int64_t pence = model_.case_month_price(s, month_) * (service.cost_per_child ? children : 1);
        rows_.spend_by_level[level] += pence;
        rows_.spend_by_locality[locality_] += pence;
        rows_.spend_by_deprivation[quintile_] += pence;
        rows_.spend_by_age_band[age_band_] += pence;
        rows_.spend_by_service[s] += pence;
        rows_.spend_by_payer(static_cast<std::size_t>(service.payer), service.cashable ? 1 : 0) += pence;
        if (context_.ledger != nullptr) context_.ledger->charge(f.id[i_], service.payer, service.cashable, pence);
      }
    }
    // The family's universal cost (month_totals.cpp charges the stocks the same).
    if (context_.ledger != nullptr && model_.universal_pence_by_level[level] != 0)
      context_.ledger->charge_universal(f.id[i_], model_.universal_price(level, month_));
    if (f.queue[i_] != 0)
      queue.push_back({f.id[i_], static_cast<std::uint32_t>(i_), f.queue[i_], static_cast<std::uint8_t>(next_level_),
                       f.months_in_state[i_]});
    if (recording) {
      rows_.stock_children[level] += children;
      for (std::uint32_t bits = f.themes[i_]; bits != 0; bits &= bits - 1)
        ++rows_.theme_families[static_cast<std::size_t>(std::countr_zero(bits))];
    }
    if (context_.trajectories != nullptr)
      context_.trajectories
          ->trajectory_levels[f.id[i_] * static_cast<std::size_t>(model_.months) + static_cast<std::size_t>(month_)] =
          static_cast<std::int8_t>(next_level_ + 1);
  }

 private:
  // The rarer steps of a month (an event logged, a case closed, a referral,
  // a step-down or a transfer) are kept out of the loop's code, which runs
  // faster without them (docs/performance.md).
  [[gnu::noinline, gnu::cold]] void event(EventType type, int from, int to, int service) {
    if (events_)
      events_->push_back({families_.id[i_], month_, type, static_cast<std::int8_t>(from + 1),
                          static_cast<std::int8_t>(to + 1), static_cast<std::uint8_t>(service + 1)});
  }

  [[gnu::noinline, gnu::cold]] void close_case(std::size_t outcome, int at_level) {
    auto& f = families_;
    const int service = f.service[i_] - 1;
    ++rows_.closures(static_cast<std::size_t>(service), outcome);
    // The case's children as it last counted them, at the end of last month.
    rows_.closed_children[static_cast<std::size_t>(service)] += children_under_18(f.birth_month[i_], month_ - 1);
    f.service[i_] = 0;
    f.last_service[i_] = static_cast<std::uint8_t>(service + 1);
    f.closed_month[i_] = static_cast<std::int16_t>(month_);
    if (outcome == closure_outcome::needs_met)
      f.flags[i_] |= family_flag::after_effect;
    else
      f.flags[i_] &= static_cast<std::uint8_t>(~family_flag::after_effect);
    event(closure_event(outcome), at_level, at_level, service);
  }

  [[gnu::noinline, gnu::cold]] void refer(int at_level) {
    auto& f = families_;
    f.queue[i_] = front_door_queue;
    f.flags[i_] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
    f.months_in_state[i_] = 0;
    ++rows_.front_door[front_door_measure::referrals];
    if (context_.recording) {
      ++rows_.referrals_by_locality[locality_];
      ++rows_.referrals_by_deprivation[quintile_];
      ++rows_.referrals_by_age_band[age_band_];
    }
    // A re-referral: within 12 months of a closed case (MODEL.md).
    if (f.last_service[i_] != 0 && months_since_closure(f, i_, month_) <= re_referral_window_months)
      ++rows_.front_door[front_door_measure::re_referrals];
    event(EventType::referral, at_level, at_level, -1);
  }

  // Step-down from social care: straight onto the waiting list of the
  // service below, if it is open and the family agrees.
  [[gnu::noinline, gnu::cold]] void step_down(int to_service) {
    auto& f = families_;
    const auto target = static_cast<std::size_t>(to_service);
    if (!model_.services[target].open_to_new(month_)) return;
    if (context_.rng.uniform(consent_stream, key_, month_) < model_.services[target].consent_probability) {
      join_list(to_service, waiting_flow::stepped_down);
      f.flags[i_] |= family_flag::stepped_down;
      event(EventType::step_down, next_level_, next_level_, to_service);
    } else {
      ++rows_.indicators[indicator::step_downs_declined];
    }
  }

  // A transfer within the level (a plan that ends in care): the case closes
  // and the family joins the other service's list, which admits it this
  // month, without a referral. While that service takes no new families the
  // case stays open.
  [[gnu::noinline, gnu::cold]] void transfer(int to_service) {
    if (!model_.services[static_cast<std::size_t>(to_service)].open_to_new(month_)) return;
    close_case(closure_outcome::transferred, level_);
    join_list(to_service, waiting_flow::transferred);
    families_.flags[i_] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
    transferred_ = true;
  }

  // Onto a service's waiting list without the front door (a step-down or a
  // transfer), counted as `flow` of that list.
  void join_list(int to_service, std::size_t flow) {
    families_.queue[i_] = waiting_for(to_service);
    families_.months_in_state[i_] = 0;
    ++rows_.waiting_flows(static_cast<std::size_t>(to_service), flow);
  }

  // Its last case closed with needs met within the re-referral window.
  [[nodiscard]] bool recently_met() const {
    return (families_.flags[i_] & family_flag::after_effect) &&
           months_since_closure(families_, i_, month_) <= re_referral_window_months;
  }

  const MonthContext& context_;
  const Model& model_;
  Families& families_;
  std::size_t i_;
  FamilyRows& rows_;
  std::vector<Event>* events_;
  std::int32_t month_;
  FamilyKey key_;
  int level_;       // at the start of the month
  int next_level_;  // at the end of its step
  std::size_t locality_, quintile_;
  std::size_t age_band_ = 0;  // of the youngest child, after this month's births (recorded months only)
  bool was_waiting_ = false;
  bool completed_down_ = false;                 // a case completed this month and steps the family down
  const ServiceModel* completed_at_ = nullptr;  // the service whose case completed this month, if one did
  bool transferred_ = false;                    // a case moved to another service this month: the level stays
};

// The groups' counts into the month's stocks, and, in a recorded month, their
// breakdowns by locality, deprivation quintile and age band.
void add_groups(const MonthContext& context, const std::int64_t* groups, MonthTally& tally) {
  const auto levels = static_cast<std::size_t>(context.model.level_count);
  const std::size_t localities = context.model.authority.population.locality_names.size();
  TallyRow stock = tally[&RunResult::stock_families];
  TallyRow by_locality = tally[&RunResult::stock_by_locality];
  TallyRow by_deprivation = tally[&RunResult::stock_by_deprivation];
  TallyRow by_age_band = tally[&RunResult::stock_by_age_band];
  std::size_t g = 0;
  for (std::size_t l = 0; l < localities; ++l)
    for (std::size_t q = 0; q < deprivation_quintiles; ++q)
      for (std::size_t a = 0; a < age_bands; ++a)
        for (std::size_t k = 0; k < levels; ++k, ++g) {
          stock[k] += groups[g];
          if (!context.recording) continue;
          by_locality(l, k) += groups[g];
          by_deprivation(q, k) += groups[g];
          by_age_band(a, k) += groups[g];
        }
}

std::size_t group_count(const Model& model) {
  return model.authority.population.locality_names.size() * deprivation_quintiles * age_bands *
         static_cast<std::size_t>(model.level_count);
}

}  // namespace

void step_families(const MonthContext& context, Families& families, FamilyStepResult& out, MonthTally& tally) {
  const TallyLayout& layout = context.layout;
  const std::size_t groups = group_count(context.model);
  out.blocks = (families.size() + families_per_block - 1) / families_per_block;
  out.block_tallies.assign(out.blocks * layout.size(), 0);
  out.block_groups.assign(out.blocks * groups, 0);
  out.block_events.resize(out.blocks);
  out.block_queues.resize(out.blocks);
  for (std::size_t b = 0; b < out.blocks; ++b) {
    out.block_events[b].clear();
    out.block_queues[b].clear();
  }
  const bool has_services = context.has_services();
  const auto step_block = [&](std::size_t block) {
    FamilyRows rows(layout, out.block_tallies.data() + block * layout.size(), out.block_groups.data() + block * groups);
    std::vector<Event>* events = context.trajectories != nullptr ? &out.block_events[block] : nullptr;
    std::vector<QueueEntry>& queue = out.block_queues[block];
    const std::size_t end = std::min(families.size(), (block + 1) * families_per_block);
    for (std::size_t i = block * families_per_block; i < end; ++i) {
      if (families.need_level[i] == departed) continue;
      FamilyMonth family(context, families, i, rows, events);
      const auto draws = context.rng.block(families.key[i], context.month, move_stream.block);
      if (family.departs(draws)) continue;
      family.births(draws);
      if (has_services) family.services();
      family.themes(draws);
      family.level(draws);
      if (has_services) family.leave_service_levels();
      family.tally(queue);
    }
  };
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, out.blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t block = range.begin(); block != range.end(); ++block) step_block(block);
      },
      tbb::simple_partitioner());

  // The blocks' counts, in block order (integers: the order cannot matter to
  // a count, but it fixes the event log's).
  tally.clear();
  for (std::size_t block = 0; block < out.blocks; ++block) {
    tally.add(out.block_tallies.data() + block * layout.size());
    add_groups(context, out.block_groups.data() + block * groups, tally);
    if (context.trajectories != nullptr) {
      const auto& block_events = out.block_events[block];
      context.trajectories->events.insert(context.trajectories->events.end(), block_events.begin(), block_events.end());
    }
  }
}

}  // namespace ehsim::engine

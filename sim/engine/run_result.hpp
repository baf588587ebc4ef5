// What one run (configuration, seed, replicate) produces: monthly counts, and
// optionally each family's level by month and a log of events. Counts are
// integers so that sums are exact whatever the order or thread count.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace ehsim::engine {

// A row-major array of counts with its shape.
struct CountArray {
  std::vector<std::size_t> shape;
  std::vector<std::int64_t> values;

  CountArray() = default;
  explicit CountArray(std::initializer_list<std::size_t> dims) : shape(dims) {
    std::size_t n = 1;
    for (const std::size_t d : shape) n *= d;
    values.assign(n, 0);
  }
  std::int64_t& operator()(std::size_t i) { return values[i]; }
  std::int64_t& operator()(std::size_t i, std::size_t j) { return values[i * shape[1] + j]; }
  std::int64_t& operator()(std::size_t i, std::size_t j, std::size_t k) {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
  [[nodiscard]] std::int64_t operator()(std::size_t i) const { return values[i]; }
  [[nodiscard]] std::int64_t operator()(std::size_t i, std::size_t j) const { return values[i * shape[1] + j]; }
  [[nodiscard]] std::int64_t operator()(std::size_t i, std::size_t j, std::size_t k) const {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
};

enum class EventType : std::uint8_t {
  arrival = 1,
  aged_out = 2,  // the youngest child turned 18
  moved_away = 3,
  level_up = 4,
  level_down = 5,
  level_jump = 6,            // a crisis that skipped at least one level
  referral = 7,              // to the front door: identified, or stepped up or re-routed
  no_further_action = 8,     // the front door closed the referral
  declined = 9,              // routed to a service but did not consent
  admission = 10,            // a case opened in `service`
  closure_needs_met = 11,    // the case closed: work done or the family stepped down
  closure_stepped_up = 12,   // the family's need rose above the service; referred again
  closure_other = 13,        // disengaged, moved away or aged out
  step_down = 14,            // joined `service`'s waiting list on stepping down from the service above
  closure_transferred = 15,  // the case moved to the service's transfer_to within the family's level
};
// The name of each event type, indexed by its code (0 is no event).
inline constexpr std::array<std::string_view, 16> event_type_names{"",
                                                                   "arrival",
                                                                   "aged_out",
                                                                   "moved_away",
                                                                   "level_up",
                                                                   "level_down",
                                                                   "level_jump",
                                                                   "referral",
                                                                   "no_further_action",
                                                                   "declined",
                                                                   "admission",
                                                                   "closure_needs_met",
                                                                   "closure_stepped_up",
                                                                   "closure_other",
                                                                   "step_down",
                                                                   "closure_transferred"};
static_assert(event_type_names.size() == static_cast<std::size_t>(EventType::closure_transferred) + 1,
              "every event type has its name");

// Why a family's place on a service's waiting list changed, the last axis of
// service_waiting_flows: waiting(m) = waiting(m-1) + joined + stepped_down
// + transferred - admissions - rerouted - no_longer_needed - departed.
namespace waiting_flow {
enum : std::size_t {
  joined = 0,            // routed to the service by the front door
  rerouted = 1,          // escalated while waiting: back to the front door
  no_longer_needed = 2,  // its level fell below the service's levels
  departed = 3,          // left the authority while waiting
  stepped_down = 4,      // joined on stepping down from the service above (not through the front door)
  transferred = 5,       // joined on a transfer from another social care service (not through the front door)
  count = 6
};
inline constexpr std::array<std::string_view, count> names{"joined",   "rerouted",     "no_longer_needed",
                                                           "departed", "stepped_down", "transferred"};
}  // namespace waiting_flow

// Outcomes of a closed case, the last axis of service_closures.
namespace closure_outcome {
enum : std::size_t {
  needs_met = 0,    // the work is done, or the family stepped down below the service
  stepped_up = 1,   // its need rose above the service; referred again
  other = 2,        // disengaged, moved away or aged out
  transferred = 3,  // moved to another social care service within the family's level (transfer_to)
  count = 4
};
inline constexpr std::array<std::string_view, count> names{"needs_met", "stepped_up", "other", "transferred"};
}  // namespace closure_outcome

// The event logged for a closure with this outcome.
inline EventType closure_event(std::size_t outcome) {
  static constexpr std::array<EventType, closure_outcome::count> events{
      EventType::closure_needs_met, EventType::closure_stepped_up, EventType::closure_other,
      EventType::closure_transferred};
  return events[outcome];
}

struct Event {
  std::uint32_t family;
  std::int32_t month;
  EventType type;
  std::int8_t from_level;  // 1-based; 0 where it does not apply
  std::int8_t to_level;
  std::uint8_t service = 0;  // 1-based service index; 0 where it does not apply
};

// The columns of RunResult::front_door.
namespace front_door_measure {
enum : std::size_t {
  referrals = 0,          // new referrals this month
  triaged = 1,            // referrals decided this month
  routed = 2,             // of those, sent to a service (that consented or is statutory)
  no_further_action = 3,  // closed at the front door
  declined = 4,           // routed to a service but did not consent
  waiting = 5,            // referrals not yet decided at the end of the month
  departed = 6,           // referrals that left the authority before being decided
  re_referrals = 7,       // of the referrals, those within 12 months of the family's last closed case
  count = 8
};
inline constexpr std::array<std::string_view, count> names{"referrals", "triaged", "routed",   "no_further_action",
                                                           "declined",  "waiting", "departed", "re_referrals"};
}  // namespace front_door_measure

// The columns of RunResult::indicators: the seed authorities' dashboard.
// "Early help" is every service that is not statutory.
namespace indicator {
enum : std::size_t {
  referrals = 0,                            // to the front door
  referrals_no_further_action = 1,          // closed at the front door
  referrals_to_early_help = 2,              // routed by the front door to early help (consented)
  referrals_to_social_care = 3,             // routed by the front door to statutory social care
  re_referrals = 4,                         // referrals within 12 months of a closed case
  early_help_assessments_direct = 5,        // early help cases opened from a front door referral
  early_help_assessments_stepped_down = 6,  // early help cases opened after a step-down from social care
  step_downs_declined = 7,                  // families stepping down that did not consent to early help
  early_help_open_cases = 8,                // at the end of the month
  early_help_open_case_months = 9,          // months those cases have been open, summed (mean = / open cases)
  early_help_closures_needs_met = 10,
  early_help_closures_stepped_up = 11,
  early_help_closures_other = 12,
  children_on_plans = 13,  // children in open child_protection cases, end of month
  children_in_care = 14,   // children in open children_in_care cases, end of month
  families_waiting = 15,   // for any service, end of month
  count = 16
};
// Whether a column is a stock (a financial year reports its last month) or a
// flow (a financial year reports the sum of its months).
inline bool is_stock(std::size_t column) {
  return column == early_help_open_cases || column == early_help_open_case_months || column == children_on_plans ||
         column == children_in_care || column == families_waiting;
}
inline constexpr std::array<std::string_view, count> names{"referrals",
                                                           "referrals_no_further_action",
                                                           "referrals_to_early_help",
                                                           "referrals_to_social_care",
                                                           "re_referrals",
                                                           "early_help_assessments_direct",
                                                           "early_help_assessments_stepped_down",
                                                           "step_downs_declined",
                                                           "early_help_open_cases",
                                                           "early_help_open_case_months",
                                                           "early_help_closures_needs_met",
                                                           "early_help_closures_stepped_up",
                                                           "early_help_closures_other",
                                                           "children_on_plans",
                                                           "children_in_care",
                                                           "families_waiting"};
}  // namespace indicator

// The columns of RunResult::reinvestment.
namespace reinvestment_column {
enum : std::size_t {
  reference_pence = 0,   // spend on the chosen services in the reference (baseline run or budget) that year
  spend_pence = 1,       // this run's spend on them that year
  available_pence = 2,   // share x (reference - spend), when positive, rounded down to the penny
  fillable_cases = 3,    // places the receiving service's waiting list kept busy: its mean that year, plus the
                         // reinvested places that close when these open
  extra_cases = 4,       // places bought for 12 months: available / (12 x case-month cost), rounded down, at most
                         // fillable; none when they would open after the run
  reinvested_pence = 5,  // extra_cases x 12 x case-month cost: what is committed (at most available)
  from_month = 6,        // month index the places open from, or -1 when none
  until_month = 7,       // the last month index they are open (from + 11; may be past the run), or -1
  count = 8
};
inline constexpr std::array<std::string_view, count> names{"reference_pence", "spend_pence", "available_pence",
                                                           "fillable_cases",  "extra_cases", "reinvested_pence",
                                                           "from_month",      "until_month"};
}  // namespace reinvestment_column

// Each family's spend over the recorded months, by who pays and whether it
// is cashable, and the services that admitted it: what lets an option's cost
// for a family be set against the same family's cost in the baseline
// (savings per family helped). Kept only when asked for (simulate_from's
// `ledger`), by family id, which is the same family in every scenario of a
// replicate.
struct FamilyLedger {
  static constexpr std::size_t marked_services = 64;  // services 0..63 are marked in `admitted`
  std::size_t columns = 0;                            // payers x 2 (0: not kept)
  std::vector<std::int64_t> spend;                    // [id][payer * 2 + cashable], pence
  std::vector<std::uint64_t> admitted;                // [id]: bit s set when service s admitted it
  // The universal services' spend, charged every family-month, is summed
  // apart, one number a family (a cache line holds eight families, where
  // `spend` holds less than one), and added into its column of `spend` when
  // the run ends (fold_universal): the same sums.
  std::size_t universal_column = 0;     // payer * 2 + cashable of the universal services
  std::vector<std::int64_t> universal;  // [id], pence, until folded
  [[nodiscard]] bool kept() const { return columns > 0; }
  [[nodiscard]] std::size_t ids() const { return admitted.size(); }
  void grow(std::size_t ids) {
    if (ids <= admitted.size()) return;
    spend.resize(ids * columns, 0);
    admitted.resize(ids, 0);
    universal.resize(ids, 0);
  }
  void mark(std::uint32_t id, std::size_t service) {
    if (service < marked_services) admitted[id] |= std::uint64_t{1} << service;
  }
  void charge(std::uint32_t id, int payer, bool cashable, std::int64_t pence) {
    spend[id * columns + static_cast<std::size_t>(payer) * 2 + (cashable ? 1 : 0)] += pence;
  }
  void charge_universal(std::uint32_t id, std::int64_t pence) { universal[id] += pence; }
  void fold_universal() {
    for (std::size_t id = 0; id < universal.size(); ++id) spend[id * columns + universal_column] += universal[id];
    universal = {};
  }
  void release() { *this = FamilyLedger{}; }
};

struct RunResult {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  int months = 0;
  int levels = 0;
  int themes = 0;

  // The counts, each described once in measures.cpp (path, axes, unit,
  // meaning); sized, written and digested by looping over measures().
  CountArray initial_families, initial_children, initial_theme_families;  // at the start, before month 0
  // By month, at the end of the month.
  CountArray stock_families, stock_children, flows, arrivals, departures_aged_out, departures_moved, theme_families,
      theme_onsets;
  // The service system (no columns, or no services, without one).
  CountArray front_door, service_caseload, service_capacity, service_waiting, service_admissions, service_wait_months,
      service_closures, service_waiting_flows, service_children, service_admitted_children, service_closed_children,
      service_open_months, service_theme_cases, service_caseload_by_locality, service_capacity_by_locality, indicators;
  // Money, in pence.
  CountArray spend_by_level, spend_by_service, spend_by_payer, spend_by_locality, spend_by_deprivation,
      spend_by_age_band, spend_discounted;
  // Whom the system reaches.
  CountArray stock_by_locality, stock_by_deprivation, stock_by_age_band, referrals_by_locality,
      referrals_by_deprivation, referrals_by_age_band;
  CountArray reinvestment;             // by financial year; no rows without reinvestment
  CountArray partner_costs;            // pence, by costs.partners line: outside spend
  CountArray service_unfilled_places;  // places paid for by block contract and left empty

  // With trajectories: level (1-based, 0 = not present) of family id by month.
  bool has_trajectories = false;
  std::vector<std::int8_t> trajectory_levels;  // [family id, month]
  std::size_t trajectory_families = 0;
  std::vector<Event> events;  // by month, then family id

  FamilyLedger ledger;  // empty unless asked for
};

}  // namespace ehsim::engine

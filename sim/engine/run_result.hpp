// What one run (configuration, seed, replicate) produces: monthly counts, and
// optionally each family's level by month and a log of events. Counts are
// integers so that sums are exact whatever the order or thread count.
#pragma once

#include <cstdint>
#include <initializer_list>
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
  level_jump = 6,           // a crisis that skipped at least one level
  referral = 7,             // to the front door: identified, or stepped up or re-routed
  no_further_action = 8,    // the front door closed the referral
  declined = 9,             // routed to a service but did not consent
  admission = 10,           // a case opened in `service`
  closure_needs_met = 11,   // the case closed: work done or the family stepped down
  closure_stepped_up = 12,  // the family's need rose above the service; referred again
  closure_other = 13,       // disengaged, moved away or aged out
  step_down = 14,           // joined `service`'s waiting list on stepping down from the service above
};

// Why a family's place on a service's waiting list changed, the last axis of
// service_waiting_flows: waiting(m) = waiting(m-1) + joined + stepped_down
// - admissions - rerouted - no_longer_needed - departed.
namespace waiting_flow {
enum : std::size_t {
  joined = 0,            // routed to the service by the front door
  rerouted = 1,          // escalated while waiting: back to the front door
  no_longer_needed = 2,  // its level fell below the service's levels
  departed = 3,          // left the authority while waiting
  stepped_down = 4,      // joined on stepping down from the service above (not through the front door)
  count = 5
};
}  // namespace waiting_flow

// Outcomes of a closed case, the last axis of service_closures.
namespace closure_outcome {
enum : std::size_t {
  needs_met = 0,   // the work is done, or the family stepped down below the service
  stepped_up = 1,  // its need rose above the service; referred again
  other = 2,       // disengaged, moved away or aged out
  count = 3
};
}  // namespace closure_outcome

// The event logged for a closure with this outcome.
inline EventType closure_event(std::size_t outcome) {
  static_assert(static_cast<int>(EventType::closure_stepped_up) == static_cast<int>(EventType::closure_needs_met) + 1 &&
                    static_cast<int>(EventType::closure_other) == static_cast<int>(EventType::closure_needs_met) + 2,
                "closure events follow the order of closure_outcome");
  return static_cast<EventType>(static_cast<int>(EventType::closure_needs_met) + static_cast<int>(outcome));
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
inline const char* name(std::size_t column) {
  static const char* names[count] = {"referrals",
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
  return names[column];
}
}  // namespace indicator

// The columns of RunResult::reinvestment.
namespace reinvestment_column {
enum : std::size_t {
  reference_pence = 0,   // spend on the chosen services in the reference (baseline run or budget) that year
  spend_pence = 1,       // this run's spend on them that year
  reinvested_pence = 2,  // share x (reference - spend), when positive, rounded down to the penny
  extra_cases = 3,       // reinvested / (12 x the receiving service's case-month cost), rounded down
  from_month = 4,        // month index the extra capacity opens (may be past the run), or -1 when none
  count = 5
};
}  // namespace reinvestment_column

struct RunResult {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  int months = 0;
  int levels = 0;
  int themes = 0;

  // At the start (before month 0).
  CountArray initial_families;        // [level]
  CountArray initial_children;        // [level]
  CountArray initial_theme_families;  // [theme]

  // Per month, at the end of the month.
  CountArray stock_families;       // [month, level]
  CountArray stock_children;       // [month, level]
  CountArray flows;                // [month, from level, to level]; the diagonal counts families that stayed
  CountArray arrivals;             // [month, level]
  CountArray departures_aged_out;  // [month, level at the start of the month]
  CountArray departures_moved;     // [month, level at the start of the month]
  CountArray theme_families;       // [month, theme]

  // The service system, per month (zero-sized when there are no services).
  CountArray front_door;                    // [month, measure]: see front_door_measure
  CountArray service_caseload;              // [month, service], open cases at the end of the month
  CountArray service_capacity;              // [month, service]; statutory services: their caseload
  CountArray service_waiting;               // [month, service], waiting at the end of the month
  CountArray service_admissions;            // [month, service]
  CountArray service_wait_months;           // [month, service], months waited, summed over those admitted
  CountArray service_closures;              // [month, service, outcome]
  CountArray service_waiting_flows;         // [month, service, waiting_flow]
  CountArray service_children;              // [month, service], children under 18 in open cases, end of month
  CountArray service_open_months;           // [month, service], months the open cases have been open, summed
  CountArray service_theme_cases;           // [month, service, theme], open cases with the theme active
  CountArray service_caseload_by_locality;  // [month, service, locality]
  CountArray service_capacity_by_locality;  // [month, service, locality]; -1 where capacity is borough-wide
  CountArray indicators;                    // [month, indicator]: see indicator

  // Whom the system reaches: stocks by level and referrals, broken down.
  CountArray stock_by_locality;         // [month, locality, level]
  CountArray stock_by_deprivation;      // [month, quintile, level]
  CountArray stock_by_age_band;         // [month, age band of the youngest child, level]
  CountArray referrals_by_locality;     // [month, locality]
  CountArray referrals_by_deprivation;  // [month, quintile]
  CountArray referrals_by_age_band;     // [month, age band]

  // Money, in pence: every family-month's universal cost by its level, every
  // open case's cost and every start cost by service, all by payer.
  CountArray spend_by_level;        // [month, level]
  CountArray spend_by_service;      // [month, service]
  CountArray spend_by_payer;        // [month, payer, cashable (0 no, 1 yes)]
  CountArray spend_by_locality;     // [month, locality]
  CountArray spend_by_deprivation;  // [month, quintile]
  CountArray spend_by_age_band;     // [month, age band of the youngest child]
  CountArray spend_discounted;      // [month], the month's total at the discount rate, rounded to the penny

  // Reinvestment, per financial year ([financial year, reinvestment_column];
  // no rows without reinvestment).
  CountArray reinvestment;

  // With trajectories: level (1-based, 0 = not present) of family id by month.
  bool has_trajectories = false;
  std::vector<std::int8_t> trajectory_levels;  // [family id, month]
  std::size_t trajectory_families = 0;
  std::vector<Event> events;  // by month, then family id
};

}  // namespace ehsim::engine

// The part of a month that families cannot do alone: the front door decides
// referrals up to its capacity and routes them, and each service admits from
// its waiting list up to its free capacity. Both take, in order, the highest
// level, then the longest wait, then the lowest family id: deterministic.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/families.hpp"
#include "engine/model.hpp"
#include "engine/random_streams.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

// A family in a queue (the front door's or a service's waiting list).
struct QueueEntry {
  std::uint32_t id;
  std::uint32_t position;  // index into the Families arrays this month
  std::uint8_t queue;      // front_door_queue or waiting_for(service)
  std::uint8_t level;
  std::uint16_t wait_months;
};

// Sorts into the order families are taken: highest level, then longest
// wait, then lowest id.
void order_for_admission(std::vector<QueueEntry>& entries);

// What the front door and the services did this month.
struct ServiceMonth {
  std::vector<std::int64_t> front_door;             // front_door_measure columns
  std::vector<std::int64_t> joined;                 // per service: routed to it this month
  std::vector<std::int64_t> admissions;             // per service
  std::vector<std::int64_t> wait_months;            // per service, summed over those admitted
  std::vector<std::int64_t> waiting;                // per service, at the end of the month
  std::vector<std::int64_t> caseload;               // per service, at the end of the month
  std::vector<std::int64_t> capacity;               // per service (statutory: its caseload)
  std::vector<std::int64_t> admitted_stepped_down;  // per service: of the admissions, families that stepped down
  // What the admitted add to the month's end-of-month counts of open cases.
  std::vector<std::int64_t> children;              // per service
  std::vector<std::int64_t> theme_cases;           // [service * themes + theme]
  std::vector<std::int64_t> caseload_by_locality;  // [service * localities + locality], end of month
  std::vector<std::int64_t> capacity_by_locality;  // [service * localities + locality]; -1: borough-wide
  // Money for the cases opened: their start cost and their first month, in pence.
  std::vector<std::int64_t> spend_by_level;    // per level
  std::vector<std::int64_t> spend_by_service;  // per service
  std::vector<std::int64_t> spend_by_payer;    // per payer and cashable: [2 * payer + cashable]
  std::vector<std::int64_t> spend_by_locality;
  std::vector<std::int64_t> spend_by_deprivation;
  std::vector<std::int64_t> spend_by_age_band;
};

// Triage, then admissions, updating the families' service state. `queue`
// holds every family in a queue after the month's own steps;
// `caseload_by_locality` the open cases per service and locality before
// admissions ([service * localities + locality]). Events are logged when given.
// `extra_capacity`: per service, cases added to its capacity (reinvestment);
// empty for none.
ServiceMonth run_front_door_and_admissions(const Model& model, const RandomSource& rng, Families& families,
                                           std::int32_t month, std::vector<QueueEntry>& queue,
                                           std::span<const std::int64_t> caseload_by_locality,
                                           std::span<const std::int64_t> extra_capacity, std::vector<Event>* events);

}  // namespace ehsim::engine

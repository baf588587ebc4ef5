// One month of the model for every family, as the steps of docs/model.md:
// the families' own step (departures, births, services' closures and
// referrals, themes, levels), the front door, admissions, then arrivals at
// the end of the month; a recorded month then completes its counts (universal
// costs, the dashboard, discounting) and writes its row of every measure.
#pragma once

#include <cstdint>
#include <span>

#include "engine/families.hpp"
#include "engine/family_step.hpp"
#include "engine/model.hpp"
#include "engine/month_tally.hpp"
#include "engine/random_streams.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

// What a run keeps from month to month so that a month allocates nothing
// once warm: the layout of its tallies and the buffers of its steps.
struct MonthScratch {
  explicit MonthScratch(const Model& model) : layout(model), tally(layout) {}
  MonthScratch(const MonthScratch&) = delete;
  MonthScratch& operator=(const MonthScratch&) = delete;

  TallyLayout layout;
  MonthTally tally;
  FamilyStepResult families;
};

// Advances every family by one month. Writes the month's row of every
// measure in `record` unless it is null (burn-in months, which are simulated
// but not recorded). `extra_capacity`: per service, places reinvestment has
// bought (empty: none).
void advance_month(const Model& model, const RandomSource& rng, Families& families, std::int32_t month,
                   std::uint32_t& next_id, std::span<const std::int64_t> extra_capacity, RunResult* record,
                   MonthScratch& scratch);

}  // namespace ehsim::engine

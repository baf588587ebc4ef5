// Each service admits from its waiting list up to its free capacity, in
// order (highest level, longest wait, lowest id), in the families' own
// locality where capacity is held per locality; statutory services take
// every case. A cut in capacity stops admissions until the caseload falls
// below it. Services admit in parallel: each family waits for one service.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/families.hpp"
#include "engine/month_context.hpp"
#include "engine/waiting_list.hpp"

namespace ehsim::engine {

// `waiting`: each service's waiting list (any order). `extra_capacity`: per
// service, places that reinvestment has bought so far (empty: none). The
// families' open cases per service and locality are in `tally` already
// (service_caseload_by_locality), and the admissions add to them; the month's
// counts of waiting, caseload and capacity are set, and the admitted cases'
// children, themes, start costs and first month's cost added.
void admit(const MonthContext& context, Families& families, std::vector<std::vector<QueueEntry>>& waiting,
           std::span<const std::int64_t> extra_capacity, MonthTally& tally, std::vector<Event>* events);

}  // namespace ehsim::engine

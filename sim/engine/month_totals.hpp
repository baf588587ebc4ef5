// The counts of a recorded month that follow from the others, once every
// step has counted: the universal costs of the families present (from the
// stocks), the seed authorities' dashboard, and the month's spend discounted
// to the start month.
#pragma once

#include "engine/month_context.hpp"

namespace ehsim::engine {

void complete_month(const MonthContext& context, MonthTally& tally);

}  // namespace ehsim::engine

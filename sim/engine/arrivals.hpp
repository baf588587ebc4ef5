// The month's last step: families join at its end (new households with a
// baby, and families moving in), as many as the population projection is
// short of, drawn from the same generator as the starting population.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/families.hpp"
#include "engine/month_context.hpp"

namespace ehsim::engine {

// Generates the month's arrivals in parallel (each keyed by its order among
// them), appends them with ids from `next_id` on, and counts them into
// `tally`, whose stock_families row must already hold the families present.
void arrive(const MonthContext& context, Families& families, std::uint32_t& next_id, MonthTally& tally,
            std::vector<Event>* events);

}  // namespace ehsim::engine

// The synthetic population: families drawn from the configured marginals
// (children and their ages, locality, deprivation, level, themes by level,
// resilience). Initial families and arrivals come from the same generator,
// keyed by the family's id and the month it appears.
#pragma once

#include <cstdint>

#include "engine/families.hpp"
#include "engine/model.hpp"
#include "engine/random_streams.hpp"

namespace ehsim::engine {

enum class Origin : std::uint8_t {
  initial,  // present at the start
  arrival,  // joins during the run: a new household with a baby, or a family moving in
};

Family generate_family(const Model& model, const RandomSource& rng, std::uint32_t id, FamilyKey key, std::int32_t month,
                       Origin origin);

// The starting population, ids 0..families-1, as of `month` (the first
// month of the burn-in, or 0 without one), generated in parallel.
Families initial_population(const Model& model, const RandomSource& rng, std::int32_t month);

// The number of families the projection expects at the end of a month:
// population.families, growing from month 0 at growth_per_year.
double projected_families(const Model& model, std::int32_t month);

// How many families arrive in a month, given how many are present after the
// month's departures: Poisson with mean equal to the shortfall against the
// projection, so the population follows the projection whatever its age mix.
std::int64_t arrivals_in_month(const Model& model, const RandomSource& rng, std::int32_t month, std::int64_t present);

// Index of the bucket of a cumulative distribution that u falls in.
int draw_category(const std::vector<double>& cdf, double u);

}  // namespace ehsim::engine

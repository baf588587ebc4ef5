// Parameter uncertainty: each replicate draws its own values of the
// configuration's uncertain keys, from a generator seeded by the seed, the
// replicate and the key's place, so every scenario of a replicate gets the
// same values and a rerun the same again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/authority.hpp"

namespace ehsim::experiment {

std::vector<std::string> uncertain_keys(const config::Authority& authority);
std::vector<double> draw_uncertain(const config::Authority& authority, std::uint64_t seed, std::uint32_t replicate);

}  // namespace ehsim::experiment

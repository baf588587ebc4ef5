// The checks that span several keys of an authority (shares that add up to
// 1, names that refer to levels, themes or services), one per section, made
// after every key has been read and checked on its own.
#pragma once

#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

// Reports every inconsistency between keys, section by section; positions
// come from ctx.
void check_consistency(const Authority& authority, ParseContext& ctx);

// Services that no routing rule, route_by_level entry or step-down reaches:
// they take no cases. Legitimate (a service decommissioned by routing round
// it), so a warning, not an error.
std::vector<std::string> unreachable_services(const Authority& authority);

}  // namespace ehsim::config

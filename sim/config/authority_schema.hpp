// The declared keys of an authority configuration and the checks that span
// several keys (shares that sum to 1, names that refer to levels or themes).
#pragma once

#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

const TableSpec<Authority>& authority_spec();

// Reports every inconsistency between keys; positions come from ctx.
void check_consistency(const Authority& authority, ParseContext& ctx);

// Services that no routing rule, route_by_level entry or step-down reaches:
// they take no cases. Legitimate (a service decommissioned by routing round
// it), so a warning, not an error.
std::vector<std::string> unreachable_services(const Authority& authority);

}  // namespace ehsim::config

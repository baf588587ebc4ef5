// The declared keys of an authority configuration and the checks that span
// several keys (shares that sum to 1, names that refer to levels or themes).
#pragma once

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

const TableSpec<Authority>& authority_spec();

// Reports every inconsistency between keys; positions come from ctx.
void check_consistency(const Authority& authority, ParseContext& ctx);

}  // namespace ehsim::config

// The declared keys of an authority configuration: one TableSpec that parses,
// checks, writes and documents them (the checks across keys are in
// consistency.hpp).
#pragma once

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

const TableSpec<Authority>& authority_spec();

}  // namespace ehsim::config

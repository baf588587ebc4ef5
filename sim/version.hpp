// The version of ehsim and the git revision it was built from.
#pragma once

#include <string_view>

namespace ehsim {

std::string_view version();
std::string_view git_revision();  // "unknown" outside a git checkout; "-dirty" when built with local changes

}  // namespace ehsim

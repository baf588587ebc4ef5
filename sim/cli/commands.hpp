// The ehsim command line. Kept out of main() so tests can run any command in
// process and check its output and exit status.
#pragma once

#include <ostream>

namespace ehsim::cli {

// Exit statuses.
inline constexpr int exit_ok = 0;
inline constexpr int exit_internal_error = 1;  // a bug: please report it
inline constexpr int exit_bad_input = 2;       // bad configuration, arguments or output path; nothing written

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace ehsim::cli

// `ehsim backcast`: runs a configuration as it is and sets what it simulates
// beside what the authority observed (a targets file): each target's
// simulated mean, 5%-95% range of outcomes and standardised error, whether it
// is met, and for targets a calibration held out, whether the observed figure
// falls inside the range (coverage). With --presets it checks every shipped
// preset against its own targets and the gaps it states, and --markdown
// prints the tables of docs/validation.md.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace ehsim::cli {

struct BackcastOptions {
  std::string config_path;  // one configuration, with targets_path
  std::string targets_path;
  std::optional<std::string> holdout_from;
  std::string presets_path;  // or every preset of a presets file
  std::optional<std::int64_t> replicates;
  std::optional<std::int64_t> seed;  // default: each configuration's simulation.seed
  std::optional<double> tolerance;
  int threads = 0;
  bool markdown = false;
};

// Exit status when a preset misses a target it does not list as a gap, or
// meets one it does (the list is then out of date).
inline constexpr int exit_targets_not_as_stated = 3;

int run_backcast(const BackcastOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ehsim::cli

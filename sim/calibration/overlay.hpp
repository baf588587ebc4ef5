// What a calibration writes for `ehsim run` to use: an overlay that extends
// the calibrated configuration and sets only the fitted keys (a key inside a
// list restates the list, as overlays replace lists whole), each with a
// comment giving its fitted value, the range searched and whether it sits on
// a bound; and the plausible sets as a joint [[uncertainty]] sample, an
// overlay on that one, so that every comparison can carry calibration
// uncertainty.
#pragma once

#include <string>
#include <vector>

#include "calibration/calibrate.hpp"

namespace ehsim::calibration {

// The first line of every file calibration writes in TOML, by which ehsim
// knows it may replace one.
inline constexpr std::string_view overlay_marker = "# Written by ehsim calibrate";

// `extends`: the calibrated configuration's path as the overlay names it
// (relative to the overlay's folder); `about`: comment lines for the header.
std::string calibrated_overlay(const Problem& problem, const CalibrationResult& result, const std::string& extends,
                               const std::vector<std::string>& about);

// Empty when no evaluation is plausible.
std::string plausible_overlay(const Problem& problem, const CalibrationResult& result, const std::string& extends,
                              const std::vector<std::string>& about);

}  // namespace ehsim::calibration

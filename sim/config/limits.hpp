// Structural limits of a configuration that the engine's data layout relies
// on; the consistency checks enforce them so that no run can exceed them.
#pragma once

namespace ehsim::config {

inline constexpr int max_levels = 8;           // levels fit an int8 in trajectories
inline constexpr int max_themes = 16;          // themes fit a 16-bit mask
inline constexpr int max_jumps_per_level = 6;  // crisis jumps from one level
inline constexpr int max_services = 250;       // a family's service fits a byte

}  // namespace ehsim::config

// Structural limits of a configuration that the engine's data layout relies
// on; the consistency checks enforce them so that no run can exceed them.
#pragma once

#include <cstddef>

namespace ehsim::config {

inline constexpr int max_levels = 8;           // levels fit an int8 in trajectories
inline constexpr int max_themes = 16;          // themes fit a 16-bit mask
inline constexpr int max_jumps_per_level = 6;  // crisis jumps from one level
inline constexpr int max_services = 250;       // a family's service fits a byte

}  // namespace ehsim::config

// Bounds on the inputs themselves, checked before any work so that a hostile
// or mistaken file is refused with a message rather than exhausting the stack,
// the memory or the patience of whoever runs it.
namespace ehsim::config::limits {

inline constexpr std::size_t max_config_bytes = std::size_t{16} << 20;  // a configuration is a few KB
inline constexpr int max_toml_nesting = 32;              // arrays and inline tables inside each other; ehsim uses 2
inline constexpr int max_key_parts = 32;                 // dotted parts of one key or table header; ehsim uses 4
inline constexpr int max_extends_depth = 16;             // files in one extends chain
inline constexpr double max_projected_families = 1.0e8;  // families at any month of a run
inline constexpr double max_sweep_runs = 1.0e6;          // points x replicates of one sweep

}  // namespace ehsim::config::limits

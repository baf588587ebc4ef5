// A parameter sweep: which configuration keys vary, over what, by which
// design, with how many replicates. Read from a TOML file with the same
// schema machinery as an authority, so errors name file, line and key.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

struct SweepParameter {
  std::string key;             // a dotted configuration key, e.g. services.intensive_family_service.capacity_cases
  std::vector<double> values;  // grid: the values taken
  double min = 0;              // other designs: the range sampled
  double max = 0;
  std::string scenario;  // empty: the base (and every option that leaves the key as the base has it); else one option
};

// How a sweep chooses its points.
enum class Design { grid, latin_hypercube, morris, sobol };

template <>
struct Choices<Design> {
  static constexpr std::string_view what = "a design";
  static constexpr std::array all{
      Choice<Design>{Design::grid, "grid", "every combination of the values of each parameter"},
      Choice<Design>{Design::latin_hypercube, "latin_hypercube",
                     "points spread over the ranges, one in each stratum of every parameter"},
      Choice<Design>{Design::morris, "morris", "elementary effects along trajectories, for screening"},
      Choice<Design>{Design::sobol, "sobol", "Saltelli samples for first-order and total Sobol' indices"},
  };
};

struct SweepConfig {
  std::string base;  // configuration file, relative to the sweep file; empty: the embedded default
  Design design = Design::grid;
  std::int64_t replicates = 1;
  std::int64_t seed = 1;             // of the simulations (as simulation.seed) and of the design's sampling
  std::int64_t points = 0;           // latin_hypercube: points; morris: trajectories; sobol: base samples
  std::int64_t levels = 4;           // morris: grid levels
  std::int64_t months = 0;           // 0: the base's simulation.months
  std::vector<std::string> options;  // overlay files, relative to the sweep file: each run against the baseline
  std::vector<SweepParameter> parameters;
};

// An option of a sweep: an overlay on the base, named by its file.
struct SweepOption {
  std::string name;
  std::filesystem::path path;
  Authority authority;  // resolved on the sweep's base
};

struct LoadedSweep {
  SweepConfig sweep;
  std::filesystem::path base_path;  // resolved; empty for the embedded default
  Authority base;                   // with the sweep's months, seed and replicates
  std::vector<SweepOption> options;
};

// How many points the design makes (before replicates); in floating point, so
// a design far too large to enumerate is still counted.
double design_points(const SweepConfig& sweep);

// Reads and checks a sweep file, its base configuration, and that every
// parameter names a numeric key the base has (each value is checked by
// loading the configuration it makes).
LoadedSweep load_sweep(const std::filesystem::path& path);

// A configuration with numeric keys (dotted, see set_number) set to values,
// checked like any other. Every problem says at which values it arose,
// "(at AT key = 0.5;...)", and one with no file of its own is named after
// `source`; the three-argument form says "<drawn values>" and "the drawn values".
Authority with_numbers(Authority configuration, const std::vector<std::string>& keys, const std::vector<double>& values,
                       const std::string& source, const std::string& at);
Authority with_numbers(const Authority& authority, const std::vector<std::string>& keys,
                       const std::vector<double>& values);

}  // namespace ehsim::config

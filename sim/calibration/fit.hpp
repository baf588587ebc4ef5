// What `ehsim calibrate` fits and how: the numeric keys with the bounds they
// are searched in (the key syntax of sweeps), the optimiser, its starts and
// budget, the replicates each evaluation runs with common random numbers,
// weights per measure and the implausibility cut-off that makes a parameter
// set plausible. Read from TOML with the schema machinery, so errors name
// file, line and key.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/choices.hpp"

namespace ehsim::calibration {

struct FitParameter {
  std::string key;  // a numeric configuration key, dotted, as in sweeps
  double min = 0;
  double max = 0;
};

enum class Algorithm { bobyqa, sbplx };

}  // namespace ehsim::calibration

namespace ehsim::config {
template <>
struct Choices<calibration::Algorithm> {
  static constexpr std::string_view what = "an optimiser";
  static constexpr std::array all{
      Choice<calibration::Algorithm>{calibration::Algorithm::bobyqa, "bobyqa",
                                     "Powell's BOBYQA: quadratic models within the bounds (NLopt LN_BOBYQA)"},
      Choice<calibration::Algorithm>{calibration::Algorithm::sbplx, "sbplx",
                                     "Rowan's Subplex: Nelder-Mead on subspaces, robust to noise (NLopt LN_SBPLX)"},
  };
};
}  // namespace ehsim::config

namespace ehsim::calibration {

struct FitConfig {
  Algorithm algorithm = Algorithm::sbplx;
  std::int64_t starts = 4;              // multi-start: points of a Latin hypercube over the bounds
  std::int64_t evaluations = 100;       // per start, at most
  std::int64_t replicates = 4;          // runs per evaluation, the same random numbers at every evaluation
  std::int64_t report_replicates = 20;  // runs at the best fit for the fit table's means and ranges
  std::int64_t seed = 1;                // of the runs (as simulation.seed) and of the starts
  double tolerance = 1e-4;           // stop a start when a step changes every key by less than this share of its range
  double plausible_cutoff = 3.0;     // implausibility (standard errors) above which a parameter set is ruled out
  std::int64_t plausible_max = 200;  // plausible sets kept, the best first
  std::map<std::string, double> weights;  // measure -> weight (default 1)
  std::vector<FitParameter> parameters;
};

// The fit file's keys as a Markdown table for docs/calibration.md.
std::string fit_reference_markdown();

// The generated reference of docs/calibration.md: the fit file's keys, and
// the measures a targets file may name (of the default authority).
std::string calibration_reference_markdown();

// Reads and checks a fit file against the configuration it calibrates: every
// key numeric in it, every range inside the key's allowed range, every weight
// naming a measure of the configuration.
FitConfig load_fit(const std::filesystem::path& path, const config::Authority& authority);

}  // namespace ehsim::calibration

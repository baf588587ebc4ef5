// `ehsim calibrate`: fits a configuration's numeric keys to an authority's
// targets, writes the calibrated overlay, the plausible sets and the trace,
// and prints the fit table. Every evaluation is journalled beside --out, so
// an interrupted calibration resumes where it stopped and ends with the same
// result.
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace ehsim::cli {

struct CalibrateOptions {
  std::string config_path;
  std::string targets_path;
  std::string fit_path;
  std::string out;
  std::string trace;      // default: OUT without .toml, plus .trace.h5
  std::string plausible;  // default: OUT without .toml, plus .plausible.toml
  std::optional<std::string> holdout_from;
  int threads = 0;
  bool force = false;
  bool progress = true;
};

int run_calibrate(const CalibrateOptions& options, const std::string& invocation, std::ostream& out, std::ostream& err);

}  // namespace ehsim::cli

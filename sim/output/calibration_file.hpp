// The HDF5 trace of a calibration: every evaluation (start, step, values,
// objective, implausibility, each target's simulated mean and spread), each
// start's path, the best fit and the fit table, with the inputs as given.
#pragma once

#include <filesystem>
#include <string>

#include "calibration/calibrate.hpp"

namespace ehsim::output {

struct CalibrationProvenance {
  std::string command_line;
  std::string config_source;  // path of the configuration calibrated
  std::string targets_text, fit_text;
};

void write_calibration_trace(const std::filesystem::path& path, const calibration::Problem& problem,
                             const calibration::CalibrationResult& result, const CalibrationProvenance& provenance);

}  // namespace ehsim::output

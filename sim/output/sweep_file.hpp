// A sweep's results file: the committed runs (sweep_parts.hpp), assembled in
// a fixed order into one HDF5 file that does not depend on how, or in how
// many pieces, they were made.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/sweep.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/sweep.hpp"

namespace ehsim::output {

struct SweepProvenance {
  std::string command_line;
  std::string sweep_text;   // the sweep file as given
  std::string base_config;  // the base configuration, resolved
};

// Writes the sweep's design and summary into `path` (temporary name, renamed when complete).
void write_sweep_file(const std::filesystem::path& path, const config::LoadedSweep& sweep,
                      const experiment::SweepDesign& design, const experiment::SweepSummary& summary,
                      const SweepProvenance& provenance);

}  // namespace ehsim::output

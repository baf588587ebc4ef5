// A sweep's results: each finished run is committed as a small part file
// (written, synced, renamed) before it counts as done, so a sweep killed at
// any moment resumes without redoing finished runs; shards write parts of
// their own; the parts are then assembled, in a fixed order, into one HDF5
// file that does not depend on how, or in how many pieces, they were made.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/sweep.hpp"
#include "engine/sensitivity.hpp"

namespace ehsim::output {

// One finished run: its point, replicate and headline measures.
struct SweepRun {
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
  std::vector<double> measures;  // engine::measure columns
};

// Parts live in a folder; each names the sweep it belongs to by a fingerprint.
void write_part(const std::filesystem::path& folder, std::uint64_t fingerprint, const SweepRun& run);
// The parts in a folder that belong to this sweep, by run index (point *
// replicates + replicate). Throws OutputError for a part of another sweep or
// a damaged one.
std::map<std::uint64_t, SweepRun> read_parts(const std::filesystem::path& folder, std::uint64_t fingerprint,
                                             std::uint64_t replicates);

struct SweepProvenance {
  std::string command_line;
  std::string sweep_text;   // the sweep file as given
  std::string base_config;  // the base configuration, resolved
};

// Assembles the complete set of runs into `path` (temporary name, renamed when complete).
void write_sweep_file(const std::filesystem::path& path, const config::LoadedSweep& sweep,
                      const engine::SweepDesign& design, const std::map<std::uint64_t, SweepRun>& runs,
                      const SweepProvenance& provenance);

}  // namespace ehsim::output

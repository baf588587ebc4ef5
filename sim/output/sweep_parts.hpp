// A sweep's committed runs: each finished run is a small part file (written,
// synced, renamed, with a checksum) before it counts as done, so a sweep killed
// at any moment resumes without redoing finished runs, and a part damaged on
// disk is found, set aside and run again rather than merged. Parts live in a
// folder ehsim claims with a marker file; it removes only its own files from
// it, and the folder only if it made it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ehsim::output {

// One finished run: its point, replicate and headline measures.
struct SweepRun {
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
  std::vector<double> measures;  // experiment::measure columns
};

// The marker file that makes a folder ehsim's parts folder.
inline constexpr const char* parts_marker = ".ehsim-parts";

// Makes `folder` a parts folder before any work: creates it (it is then
// ehsim's to remove once the sweep is assembled), adopts it if it is empty, or
// reopens it if it carries the marker. Throws OutputError for a file, or for a
// folder that holds anything and no marker: it is someone else's.
void claim_parts_folder(const std::filesystem::path& folder);

void write_part(const std::filesystem::path& folder, std::uint64_t fingerprint, const SweepRun& run);

// What a parts folder holds for one sweep.
struct PartsFound {
  std::map<std::uint64_t, SweepRun> runs;  // by run index, point * replicates + replicate
  std::vector<std::string> damaged;        // "path: why", for parts that fail their checks
};

// The sound parts of this sweep in `folder`. A part that is truncated, fails
// its checksum or names a run outside the design is damaged: reported, never
// returned, and renamed to NAME.damaged-FINGERPRINT when `set_aside` (so that
// the run is done again). Entries that are not part files are ignored. Throws
// OutputError for a sound part of another sweep, before setting anything aside.
PartsFound read_parts(const std::filesystem::path& folder, std::uint64_t fingerprint, std::uint64_t points,
                      std::uint64_t replicates, std::uint64_t measures, bool set_aside);

// Once the sweep is assembled: removes the folder's part files, the damaged
// parts this sweep set aside, temporaries and marker, then the folder itself
// if ehsim made it and it is empty. Never throws; returns what it left, if
// anything, for a note.
std::vector<std::string> release_parts_folder(const std::filesystem::path& folder, std::uint64_t fingerprint);

}  // namespace ehsim::output

// Writes an experiment's results to one HDF5 file, laid out as documented in
// docs/output.md. The file is written under a temporary name in the same
// folder and renamed when complete: a file with the final name is complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include <hdf5.h>
#include <string>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/summary.hpp"

namespace ehsim::output {

struct Provenance {
  std::string command_line;
  std::string config_source;  // file the configuration came from, or "embedded default"
  std::uint64_t seed = 0;
  experiment::UncertainDraws uncertainty;  // parameters drawn per replicate (none: empty)
};

struct Scenario {
  std::string name;  // "baseline" for the configuration as given
  std::string resolved_config;
  std::string source_text;  // the file as written, comments and all: the base's, or the overlay's
  const engine::Model* model = nullptr;
  const std::vector<engine::RunResult>* runs = nullptr;  // by replicate
};

// The runs of every scenario, and what they amount to (summary.hpp): the
// summary's scenarios are in the order of `scenarios`.
void write_results(const std::filesystem::path& path, const std::vector<Scenario>& scenarios,
                   const experiment::Summary& summary, const Provenance& provenance);

// Writes an HDF5 file complete or not at all: `fill` writes into a file built
// under a temporary name in the same folder, which is renamed to `path` once
// closed; on any failure the temporary is removed and nothing is left. `path`
// is one resolve_output allowed (output_path.hpp).
void write_complete_file(const std::filesystem::path& path, const std::function<void(hid_t)>& fill);

// One row per dataset a run writes, for docs/output.md.
struct DatasetDoc {
  std::string path;  // relative to /<scenario>/replicate_<r>/
  std::string type;
  std::string dims;
  std::string units;
  std::string description;
};
std::vector<DatasetDoc> run_dataset_reference();
std::string output_reference_markdown();

}  // namespace ehsim::output

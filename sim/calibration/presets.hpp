// The authorities ehsim ships as presets (configs/presets.toml), each with
// the figures it is checked against: its configuration, its targets file, the
// month from which calibration held targets out (the backcast), and the
// targets it is known not to meet, each one a gap docs/validation.md
// explains. `ehsim backcast --presets` runs them all and writes the tables of
// docs/validation.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/diagnostics.hpp"

namespace ehsim::calibration {

struct Preset {
  std::string config;                    // relative to the presets file's folder
  std::string targets;                   // likewise
  std::string holdout_from;              // YYYY-MM, or empty: calibration fitted every target
  std::string made_by;                   // the command that makes `config` (a calibration), or empty: written by hand
  std::vector<std::string> not_met;      // target labels ("measure @ period") known not to be met
  config::SourcePosition where;          // the [[presets]] entry, for messages
  config::SourcePosition holdout_where;  // its holdout_from
};

struct PresetList {
  std::int64_t replicates = 20;  // runs per preset
  double tolerance = 2;          // a target is met when |simulated mean - observed| <= tolerance x uncertainty
  std::vector<Preset> presets;
};

// Reads and checks a presets file: keys known, paths existing, each preset's
// configuration named once. Throws config::ConfigError naming file:line:key.
PresetList load_presets(const std::filesystem::path& path);

// The presets file's keys as a Markdown table (docs/validation.md).
std::string presets_reference_markdown();

}  // namespace ehsim::calibration

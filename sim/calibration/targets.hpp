// What an authority observed, as calibration targets: a CSV file in long
// format (measure, period, value, uncertainty, source), each line a figure
// the authority publishes or holds, and the same figure computed from a run.
// Measures are named after the outputs a run writes (docs/calibration.md
// lists them); errors name file:line like every configuration error.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/authority.hpp"
#include "config/diagnostics.hpp"
#include "engine/run_result.hpp"

namespace ehsim::calibration {

// How a measure turns a run's months into one figure.
enum class Aggregate {
  stock,     // at the end of a month; a financial year gives its last month (31 March); steady the mean
  flow,      // in a month; a financial year gives the sum of its months; steady the mean per month
  share,     // a numerator over a denominator, both summed over the period's months; 0 to 1
  duration,  // mean months of a case (Little's law): mean open cases over mean closures per month
};

// A measure a target can name, for a configuration: its name (with a level or
// service where it has one), how it aggregates and what it counts.
struct MeasureInfo {
  std::string name;
  Aggregate aggregate = Aggregate::stock;
  std::string unit;
  std::string description;
};

// A measure and how to read it from a run month by month: its value (a stock
// or flow), or for a share or duration the numerator and denominator.
struct TargetMeasure {
  MeasureInfo info;
  std::function<double(const engine::RunResult&, int month)> value;
  std::function<double(const engine::RunResult&, int month)> denominator;  // share and duration
};

// Every measure a target file may name for this configuration, in the order
// docs/calibration.md lists them.
std::vector<TargetMeasure> target_measures(const config::Authority& authority);

// The measures as a Markdown table for docs/calibration.md: the
// configuration's own names, with a level's or service's name written
// <level> or <service>.
std::string target_measures_markdown(const config::Authority& authority);

// A period: one month, a financial year (April to March) or the run's steady level.
struct Period {
  enum class Kind { month, financial_year, steady } kind = Kind::steady;
  int first = 0, last = 0;  // month indices of the run (0 = simulation.start_month), inclusive; steady: all
  std::string text;         // as written
};

struct Target {
  std::string measure;    // as named in the file, without the scaling suffix
  std::size_t index = 0;  // in target_measures()
  bool per_10k_children = false;
  Aggregate aggregate = Aggregate::stock;
  Period period;
  double value = 0;
  double uncertainty = 0;  // one standard deviation of the observation; the default when the file leaves it empty
  bool default_uncertainty = false;
  std::string source;
  config::SourcePosition where;

  [[nodiscard]] std::string label() const;  // "measure[_per_10k_children] @ period"
};

// The uncertainty a target gets when its file leaves it empty: 10% of the
// value for counts, money and durations (at least 1), 0.05 for a share.
double default_uncertainty(Aggregate aggregate, double value);

// Reads and checks a targets file against the configuration it calibrates:
// every measure known, every period inside the run, every share in 0-1, every
// uncertainty above 0. Throws config::ConfigError naming each bad line.
std::vector<Target> load_targets(const std::filesystem::path& path, const config::Authority& authority);

// A target's figure in one run; `measures` are those of the configuration the
// targets were loaded for (or one with the same levels and services).
double simulated(const Target& target, const std::vector<TargetMeasure>& measures, const engine::RunResult& run);

// The last month index any target reads (steady: the run's last month).
int last_month_needed(const std::vector<Target>& targets, const config::Authority& authority);

}  // namespace ehsim::calibration

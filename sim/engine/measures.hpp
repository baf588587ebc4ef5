// Every count a run records, declared once: where it goes in the results
// file, its axes, unit and meaning, whether it is also given by financial
// year, and the RunResult member that holds it. Sizing a run's arrays, the
// month's tallies (month_tally.hpp), the HDF5 writer, the golden digest and
// docs/output.md all loop over this list: adding a measure is one entry here,
// its member in RunResult, and the code in the monthly cycle that counts it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

// An axis of a measure: its name in the file and its length for a model.
enum class Axis : std::uint8_t {
  month,
  level,
  from_level,
  to_level,
  theme,
  service,
  locality,
  deprivation_quintile,
  age_band,  // of the youngest child
  payer,
  cashable,            // 0 not cashable, 1 cashable
  closure_outcome,     // closure_outcome columns
  waiting_flow,        // waiting_flow columns
  front_door_measure,  // front_door_measure columns; none without services
  indicator,           // indicator columns; none without services
  reinvestment_year,   // the run's financial years, with reinvestment; none without
  reinvestment_column,
  partner_cost,  // costs.partners lines; none without
};

std::string_view axis_name(Axis axis);
std::size_t axis_size(Axis axis, const Model& model);
// The names of an axis whose entries are fixed (the columns of a measure,
// quintiles, age bands); empty for an axis named by the configuration.
std::span<const std::string_view> axis_labels(Axis axis);

// How the results file also gives a monthly measure by financial year.
enum class ByYear : std::uint8_t {
  no,
  summed,     // the sum of the year's months
  dashboard,  // the indicators: flows summed, stocks as at the year's last month
};

struct MeasureSpec {
  std::string_view path;  // under /<scenario>/replicate_<r>/, e.g. "monthly/stock_families"
  std::vector<Axis> axes;
  std::string_view unit;
  std::string_view description;
  CountArray RunResult::*member;
  ByYear by_year = ByYear::no;

  // Recorded month by month: its first axis is the month.
  [[nodiscard]] bool monthly() const { return !axes.empty() && axes.front() == Axis::month; }
  [[nodiscard]] std::vector<std::size_t> shape(const Model& model) const;
};

// In the order of the golden digest (tests/engine/run_digest.hpp), which a
// new measure joins at the end.
const std::vector<MeasureSpec>& measures();
const MeasureSpec& measure_of(CountArray RunResult::*member);

// Where a monthly measure is also written by financial year, and how.
std::string financial_year_path(const MeasureSpec& measure);
std::string financial_year_description(const MeasureSpec& measure);

}  // namespace ehsim::engine

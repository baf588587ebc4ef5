// The counts one month adds to a run, laid out as measures() lists them: the
// row of every monthly measure for one month, one after another. The
// families' step keeps a tally per block of families, summed in block order;
// the front door, admissions and arrivals add to the sum, and a recorded
// month copies it into the run's result. Counts are integers, so the order
// of the additions cannot change a total.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

// One measure's row of a month: the measure's shape without its month axis,
// row-major.
class TallyRow {
 public:
  TallyRow() = default;
  TallyRow(std::int64_t* values, std::size_t second, std::size_t third)
      : values_(values), second_(second), third_(third) {}
  std::int64_t& operator[](std::size_t i) const { return values_[i]; }
  std::int64_t& operator()(std::size_t i, std::size_t j) const { return values_[i * second_ + j]; }
  std::int64_t& operator()(std::size_t i, std::size_t j, std::size_t k) const {
    return values_[(i * second_ + j) * third_ + k];
  }

 private:
  std::int64_t* values_ = nullptr;
  std::size_t second_ = 0, third_ = 0;  // lengths of the row's second and third axes
};

// Where each monthly measure's row lies in a month's tally, for one model.
class TallyLayout {
 public:
  explicit TallyLayout(const Model& model);

  [[nodiscard]] std::size_t size() const { return size_; }
  // The row of `member` (a monthly measure) in a tally of this layout.
  [[nodiscard]] TallyRow row(std::int64_t* tally, CountArray RunResult::*member) const;
  // Writes every row of `tally` into month `month` of `result`.
  void record(const std::int64_t* tally, RunResult& result, std::size_t month) const;

 private:
  struct Section {
    CountArray RunResult::*member;
    std::size_t offset, size, second, third;
  };
  std::vector<Section> sections_;
  std::size_t size_ = 0;
};

// A month's tally of every monthly measure.
class MonthTally {
 public:
  explicit MonthTally(const TallyLayout& layout) : layout_(&layout), values_(layout.size(), 0) {}

  TallyRow operator[](CountArray RunResult::*member) { return layout_->row(values_.data(), member); }
  [[nodiscard]] std::int64_t* data() { return values_.data(); }
  [[nodiscard]] const std::int64_t* data() const { return values_.data(); }
  [[nodiscard]] const TallyLayout& layout() const { return *layout_; }
  void clear() { std::fill(values_.begin(), values_.end(), 0); }
  // Adds a tally of the same layout.
  void add(const std::int64_t* other) {
    for (std::size_t c = 0; c < values_.size(); ++c) values_[c] += other[c];
  }
  void record(RunResult& result, std::size_t month) const { layout_->record(values_.data(), result, month); }

 private:
  const TallyLayout* layout_;
  std::vector<std::int64_t> values_;
};

}  // namespace ehsim::engine

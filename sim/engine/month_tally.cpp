#include "engine/month_tally.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/measures.hpp"

namespace ehsim::engine {

TallyLayout::TallyLayout(const Model& model) {
  for (const auto& measure : measures()) {
    if (!measure.monthly()) continue;
    const auto shape = measure.shape(model);
    Section section{measure.member, size_, 1, shape.size() > 2 ? shape[2] : 1, shape.size() > 3 ? shape[3] : 1};
    for (std::size_t d = 1; d < shape.size(); ++d) section.size *= shape[d];
    if (shape.size() > 1 && shape[1] == 0) section.size = 0;
    sections_.push_back(section);
    size_ += section.size;
  }
}

TallyRow TallyLayout::row(std::int64_t* tally, CountArray RunResult::*member) const {
  for (const auto& section : sections_)
    if (section.member == member) return {tally + section.offset, section.second, section.third};
  throw std::logic_error("not a monthly measure");
}

void TallyLayout::record(const std::int64_t* tally, RunResult& result, std::size_t month) const {
  for (const auto& section : sections_) {
    CountArray& array = result.*section.member;
    std::copy_n(tally + section.offset, section.size,
                array.values.begin() + static_cast<std::ptrdiff_t>(month * section.size));
  }
}

}  // namespace ehsim::engine

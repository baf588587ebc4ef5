// Splitting a whole number across parts in proportion to their shares, by
// largest remainders: the configuration checks and the engine use the same
// rule, so a check that every locality gets a place holds in the run.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace ehsim::config {

// Shares need not add up to 1; a part with share 0 gets nothing. Ties in the
// remainders go to the earlier part. When the total is at least the number of
// parts with a share, each of them gets at least one: a part left at 0 takes
// one from the part with most (the later on a tie), so a total that grows
// (capacity bought by reinvestment) never leaves a locality with no place.
[[nodiscard]] inline std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& shares) {
  double share_total = 0;
  for (const double share : shares) share_total += share;
  std::vector<std::int64_t> split(shares.size(), 0);
  if (total <= 0 || share_total <= 0) return split;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t p = 0; p < shares.size(); ++p) {
    const double exact = static_cast<double>(total) * (shares[p] / share_total);
    split[p] = static_cast<std::int64_t>(std::floor(exact));
    given += split[p];
    remainders.emplace_back(exact - static_cast<double>(split[p]), p);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t r = 0; given < total && r < remainders.size(); ++r, ++given) ++split[remainders[r].second];
  const auto sharing =
      static_cast<std::int64_t>(std::count_if(shares.begin(), shares.end(), [](double share) { return share > 0; }));
  if (total >= sharing) {
    for (std::size_t p = 0; p < shares.size(); ++p) {
      if (shares[p] <= 0 || split[p] > 0) continue;
      std::size_t most = 0;
      for (std::size_t q = 1; q < split.size(); ++q)
        if (split[q] >= split[most]) most = q;
      --split[most];
      ++split[p];
    }
  }
  return split;
}

}  // namespace ehsim::config

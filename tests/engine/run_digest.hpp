// A digest of a run's results (FNV-1a over every measure, trajectory and
// event), for the golden test and for tests that two runs are the same to the bit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "engine/measures.hpp"
#include "engine/run_result.hpp"

namespace ehsim::testing {

using engine::CountArray;
using engine::RunResult;

// FNV-1a, 64 bit, over values fed one by one (never over padding).
class Digest {
 public:
  template <class T>
  void add(T value) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
    for (std::size_t i = 0; i < sizeof(T); ++i) hash_ = (hash_ ^ bytes[i]) * 0x100000001b3ULL;
  }
  void add(const CountArray& array) {
    for (const auto dim : array.shape) add(static_cast<std::uint64_t>(dim));
    for (const auto value : array.values) add(value);
  }
  [[nodiscard]] std::string hex() const {
    char text[20];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// Every measure of the registry, in its order; a measure with no values (no
// reinvestment, no services) adds nothing, so a measure that a configuration
// does not use leaves its digest as it was.
inline std::string digest_of(const RunResult& run) {
  Digest digest;
  for (const auto& measure : engine::measures())
    if (const CountArray& array = run.*measure.member; !array.values.empty()) digest.add(array);
  for (const auto level : run.trajectory_levels) digest.add(level);
  for (const auto& event : run.events) {
    digest.add(event.family);
    digest.add(event.month);
    digest.add(static_cast<std::uint8_t>(event.type));
    digest.add(event.from_level);
    digest.add(event.to_level);
    digest.add(event.service);
  }
  return digest.hex();
}

}  // namespace ehsim::testing

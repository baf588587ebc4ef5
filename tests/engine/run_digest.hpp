// A digest of a run's results (FNV-1a over every count, trajectory and
// event), for the golden test and for tests that two runs are the same to the bit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

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

inline std::string digest_of(const RunResult& run) {
  Digest digest;
  for (const CountArray* array : {&run.initial_families,
                                  &run.initial_children,
                                  &run.initial_theme_families,
                                  &run.stock_families,
                                  &run.stock_children,
                                  &run.flows,
                                  &run.arrivals,
                                  &run.departures_aged_out,
                                  &run.departures_moved,
                                  &run.theme_families,
                                  &run.front_door,
                                  &run.service_caseload,
                                  &run.service_capacity,
                                  &run.service_waiting,
                                  &run.service_admissions,
                                  &run.service_wait_months,
                                  &run.service_closures,
                                  &run.service_waiting_flows,
                                  &run.service_children,
                                  &run.service_open_months,
                                  &run.service_theme_cases,
                                  &run.service_caseload_by_locality,
                                  &run.service_capacity_by_locality,
                                  &run.indicators,
                                  &run.spend_by_level,
                                  &run.spend_by_service,
                                  &run.spend_by_payer,
                                  &run.spend_by_locality,
                                  &run.spend_by_deprivation,
                                  &run.spend_by_age_band,
                                  &run.spend_discounted,
                                  &run.stock_by_locality,
                                  &run.stock_by_deprivation,
                                  &run.stock_by_age_band,
                                  &run.referrals_by_locality,
                                  &run.referrals_by_deprivation,
                                  &run.referrals_by_age_band})
    digest.add(*array);
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

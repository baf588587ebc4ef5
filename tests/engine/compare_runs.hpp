// Comparing two runs' event logs field by field, for the determinism tests.
#pragma once

#include <catch2/catch.hpp>

#include "engine/run_result.hpp"

namespace ehsim::testing {

inline void require_identical_events(const engine::RunResult& a, const engine::RunResult& b) {
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    INFO("event " << i);
    REQUIRE(a.events[i].family == b.events[i].family);
    REQUIRE(a.events[i].month == b.events[i].month);
    REQUIRE(a.events[i].type == b.events[i].type);
    REQUIRE(a.events[i].from_level == b.events[i].from_level);
    REQUIRE(a.events[i].to_level == b.events[i].to_level);
    REQUIRE(a.events[i].service == b.events[i].service);
  }
}

}  // namespace ehsim::testing

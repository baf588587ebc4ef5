// What one run (configuration, seed, replicate) produces: monthly counts, and
// optionally each family's level by month and a log of events. Counts are
// integers so that sums are exact whatever the order or thread count.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace ehsim::engine {

// A row-major array of counts with its shape.
struct CountArray {
  std::vector<std::size_t> shape;
  std::vector<std::int64_t> values;

  CountArray() = default;
  explicit CountArray(std::initializer_list<std::size_t> dims) : shape(dims) {
    std::size_t n = 1;
    for (const std::size_t d : shape) n *= d;
    values.assign(n, 0);
  }
  std::int64_t& operator()(std::size_t i) { return values[i]; }
  std::int64_t& operator()(std::size_t i, std::size_t j) { return values[i * shape[1] + j]; }
  std::int64_t& operator()(std::size_t i, std::size_t j, std::size_t k) {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
  [[nodiscard]] std::int64_t operator()(std::size_t i, std::size_t j) const { return values[i * shape[1] + j]; }
  [[nodiscard]] std::int64_t operator()(std::size_t i, std::size_t j, std::size_t k) const {
    return values[(i * shape[1] + j) * shape[2] + k];
  }
};

enum class EventType : std::uint8_t {
  arrival = 1,
  aged_out = 2,  // the youngest child turned 18
  moved_away = 3,
  level_up = 4,
  level_down = 5,
  level_jump = 6,  // a crisis that skipped at least one level
};

struct Event {
  std::uint32_t family;
  std::int32_t month;
  EventType type;
  std::int8_t from_level;  // 1-based; 0 where it does not apply
  std::int8_t to_level;
};

struct RunResult {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  int months = 0;
  int levels = 0;
  int themes = 0;

  // At the start (before month 0).
  CountArray initial_families;        // [level]
  CountArray initial_children;        // [level]
  CountArray initial_theme_families;  // [theme]

  // Per month, at the end of the month.
  CountArray stock_families;       // [month, level]
  CountArray stock_children;       // [month, level]
  CountArray flows;                // [month, from level, to level]; the diagonal counts families that stayed
  CountArray arrivals;             // [month, level]
  CountArray departures_aged_out;  // [month, level at the start of the month]
  CountArray departures_moved;     // [month, level at the start of the month]
  CountArray theme_families;       // [month, theme]

  // With trajectories: level (1-based, 0 = not present) of family id by month.
  bool has_trajectories = false;
  std::vector<std::int8_t> trajectory_levels;  // [family id, month]
  std::size_t trajectory_families = 0;
  std::vector<Event> events;  // by month, then family id
};

}  // namespace ehsim::engine

// The families of one run, as structure-of-arrays indexed by position and
// kept in increasing id order (arrivals get new, larger ids). Departed
// families are marked and swept out now and then. Nothing random depends on
// the position or the id, only on the family's key (random_streams.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/random_streams.hpp"

namespace ehsim::engine {

inline constexpr std::uint8_t departed = 0xFF;       // need_level of a family that has left
inline constexpr std::int16_t no_child = INT16_MIN;  // unused birth_month slot
inline constexpr int max_children = 4;
inline constexpr int adult_age_months = 18 * 12;

// One family's state, for building and appending.
struct Family {
  std::uint32_t id = 0;  // dense, in order of appearance: the row of trajectory outputs
  FamilyKey key = 0;     // what its random draws are keyed by
  std::array<std::int16_t, max_children> birth_month{no_child, no_child, no_child, no_child};  // youngest first
  std::uint8_t locality = 0;
  std::uint8_t deprivation_quintile = 0;  // 0 = most deprived
  std::uint8_t resilience_band = 128;     // see Model::resilience_of
  std::uint8_t need_level = 0;            // 0-based
  std::uint16_t themes = 0;               // bit j: theme j active
  // The service system: where the family is, for how long, and what it last had.
  std::uint8_t service = 0;           // 0: none; s + 1: in service s
  std::uint8_t queue = 0;             // 0: none; front_door_queue; waiting_for(s)
  std::uint16_t months_in_state = 0;  // months in the current episode or queue
  std::uint8_t last_service = 0;      // 0: none; s + 1: the service that last closed its case
  std::int16_t closed_month = 0;      // the month its last case closed (with last_service)
  std::uint8_t flags = 0;             // family_flag bits
};

// Bits of Family::flags.
namespace family_flag {
inline constexpr std::uint8_t after_effect = 1;  // the last case closed with needs met: its effect decays
inline constexpr std::uint8_t stepped_down = 2;  // on a waiting list by step-down from the service above
inline constexpr int duration_kind_shift = 2;    // bits 2-3: the kind of episode, in a service with a mixture
inline constexpr std::uint8_t duration_kind_mask = 0x0C;
}  // namespace family_flag

inline constexpr std::uint8_t front_door_queue = 1;
inline constexpr std::uint8_t waiting_for(int service) { return static_cast<std::uint8_t>(2 + service); }

struct Families {
  std::vector<std::uint32_t> id;
  std::vector<FamilyKey> key;
  std::vector<std::array<std::int16_t, max_children>> birth_month;
  std::vector<std::uint8_t> locality;
  std::vector<std::uint8_t> deprivation_quintile;
  std::vector<std::uint8_t> resilience_band;
  std::vector<std::uint8_t> need_level;
  std::vector<std::uint16_t> themes;
  std::vector<std::uint8_t> service;
  std::vector<std::uint8_t> queue;
  std::vector<std::uint16_t> months_in_state;
  std::vector<std::uint8_t> last_service;
  std::vector<std::int16_t> closed_month;
  std::vector<std::uint8_t> flags;

  [[nodiscard]] std::size_t size() const { return id.size(); }
  void resize(std::size_t n);
  // Room for n families without reallocating (a run reserves what its
  // projection will need, so the arrays never double as families arrive).
  void reserve(std::size_t n);
  void set(std::size_t i, const Family& family);
  void append(const Family& family);
  // Removes departed families, keeping the order of the rest.
  void remove_departed();

  // Calls f on every column but need_level.
  template <class F>
  void for_each_column_but_level(F&& f) {
    f(id), f(key), f(birth_month), f(locality), f(deprivation_quintile), f(resilience_band), f(themes);
    f(service), f(queue), f(months_in_state), f(last_service), f(closed_month), f(flags);
  }
  // Calls f on every column but need_level, then on need_level.
  template <class F>
  void for_each_column(F&& f) {
    for_each_column_but_level(f);
    f(need_level);
  }
  // Bytes a family's state takes.
  [[nodiscard]] static std::size_t bytes_per_family() {
    std::size_t bytes = 0;
    Families{}.for_each_column([&bytes](auto& column) { bytes += sizeof(column[0]); });
    return bytes;
  }
};

// Months since the family's last case closed, as of `month` (0 in the month
// it closed); meaningful once it has had a case (last_service).
inline std::uint16_t months_since_closure(const Families& families, std::size_t i, int month) {
  return static_cast<std::uint16_t>(std::clamp(month - families.closed_month[i], 0, 0xFFFF));
}

inline constexpr int birth_youngest_min_months = 9;
inline constexpr int birth_youngest_max_months = 120;

// Adds a baby born this month if the family has room: fewer than 4 children
// under 18 and a youngest between 9 months and 10 years. An adult child's
// slot is reused. Returns whether the baby was added.
inline bool add_birth(std::array<std::int16_t, max_children>& births, int month) {
  const int youngest_age = month - births[0];
  if (youngest_age < birth_youngest_min_months || youngest_age > birth_youngest_max_months) return false;
  const std::int16_t eldest = births[max_children - 1];
  if (eldest != no_child && month - eldest < adult_age_months) return false;  // four children already
  for (int c = max_children - 1; c > 0; --c) births[c] = births[c - 1];
  births[0] = static_cast<std::int16_t>(month);
  return true;
}

// Age bands of a family's youngest child, as the DfE reports children in
// need: under 1, 1-4, 5-9, 10-15, 16-17.
inline constexpr int age_bands = 5;
inline int age_band_of_youngest(const std::array<std::int16_t, max_children>& births, int month) {
  const int age = month - births[0];
  // Counted rather than branched on: every family-month takes this.
  return static_cast<int>(age >= 12) + static_cast<int>(age >= 60) + static_cast<int>(age >= 120) +
         static_cast<int>(age >= 192);
}

// Children under 18 in the given month.
inline int children_under_18(const std::array<std::int16_t, max_children>& births, int month) {
  // Born by `month` and not yet 18: 0 <= month - birth < 216, one unsigned
  // comparison (an unused slot, no_child, is never within 18 years).
  int count = 0;
  for (const std::int16_t birth : births)
    count += static_cast<int>(static_cast<std::uint32_t>(month - birth) < static_cast<std::uint32_t>(adult_age_months));
  return count;
}

}  // namespace ehsim::engine

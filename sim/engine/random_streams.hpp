// Counter-based random numbers. Every draw is a pure function of
// (seed, replicate, family key, month, purpose): Philox4x32-10 keyed by the
// seed, with counter (family key's low 32 bits, month, block, replicate plus
// the key's high bits). A purpose is a
// named stream owning fixed lanes of fixed blocks, declared once below; the
// compiler refuses two streams that share a name or a lane. Because nothing
// depends on a family's position in memory or on the thread that runs it,
// results are identical for any thread count, and a family meets the same
// luck in every scenario.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include <Random123/philox.h>

namespace ehsim::engine {

struct Stream {
  std::string_view name;
  std::uint32_t block;       // counter word 2
  std::uint32_t first_lane;  // 0..3; draw i lives in block + (first_lane + i) / 4, lane (first_lane + i) % 4
  std::uint32_t lanes;       // how many draws the stream has per (family, month)
};

// What a family's draws are keyed by, the same in every scenario so that the
// same family meets the same luck (common random numbers). A family present
// at the start: its id (under 2^32). An arrival: the month it arrived,
// counted from the first simulated month (burn-in included) plus 1, in the
// high bits, and its order among that month's arrivals in the low 32 bits;
// so the k-th arrival of a month is the same family however many arrived
// before. Draws about the whole authority use authority_key.
using FamilyKey = std::uint64_t;
inline constexpr FamilyKey authority_key = 0xFFFFFFFFu;
inline constexpr int family_key_high_bits = 18;  // months of burn-in and run, at most 2^18 - 1
inline constexpr std::uint32_t max_replicates = 1u << (32 - family_key_high_bits);

inline FamilyKey arrival_key(std::int32_t month_index_from_first, std::uint32_t order) {
  return (static_cast<FamilyKey>(month_index_from_first + 1) << 32) | order;
}

inline constexpr std::array<Stream, 21> stream_table{{
    // Generating a family, keyed by (id, month it was created).
    {"population.children", 1, 0, 1},
    {"population.locality", 1, 1, 1},
    {"population.deprivation", 1, 2, 1},
    {"population.level", 1, 3, 1},
    {"population.resilience", 2, 0, 1},
    {"population.youngest_age", 2, 1, 1},
    {"population.arrival_kind", 2, 2, 1},
    {"population.sibling_gaps", 3, 0, 3},
    {"population.themes", 4, 0, 16},  // blocks 4..7
    // The monthly cycle, keyed by (id, month). Block 16 is drawn for every
    // family every month, so its lanes hold the common decisions.
    {"monthly.move_away", 16, 0, 1},
    {"monthly.theme_event", 16, 1, 1},
    {"monthly.level_event", 16, 2, 1},
    {"monthly.birth", 16, 3, 1},
    {"monthly.theme_detail", 17, 0, 16},  // blocks 17..20, drawn only when some theme changes
    // The service system, keyed by (family key, month); block 24 is drawn only
    // for families that are in a service or could be referred this month.
    {"services.identification", 24, 0, 1},
    {"services.closure", 24, 1, 1},
    {"services.consent", 24, 2, 1},
    {"services.duration", 24, 3, 1},
    // Drawn only in the month a case completes, at a service that steps
    // families down on completion.
    {"services.completion_step_down", 25, 0, 1},
    // The authority as a whole, keyed by (authority_key, month).
    {"authority.arrivals", 32, 0, 1},
    {"authority.reserved", 32, 1, 3},
}};

// True when no two streams share a name or a (block, lane) cell.
constexpr bool streams_are_disjoint(std::span<const Stream> streams) {
  for (std::size_t a = 0; a < streams.size(); ++a) {
    for (std::size_t b = a + 1; b < streams.size(); ++b) {
      if (streams[a].name == streams[b].name) return false;
      for (std::uint32_t i = 0; i < streams[a].lanes; ++i)
        for (std::uint32_t j = 0; j < streams[b].lanes; ++j) {
          const std::uint32_t cell_a = streams[a].block * 4 + streams[a].first_lane + i;
          const std::uint32_t cell_b = streams[b].block * 4 + streams[b].first_lane + j;
          if (cell_a == cell_b) return false;
        }
    }
  }
  return true;
}
static_assert(streams_are_disjoint(stream_table), "two random streams share a name or a lane");

// The stream with this name; an unknown name does not compile.
consteval Stream stream(std::string_view name) {
  for (const auto& s : stream_table)
    if (s.name == name) return s;
  throw "unknown random stream";  // not a constant expression: compile error
}

// A 32-bit word as a uniform number strictly inside (0, 1).
inline double to_uniform(std::uint32_t word) { return (static_cast<double>(word) + 0.5) * 0x1p-32; }

class RandomSource {
 public:
  // replicate < max_replicates (the configuration allows at most 9,999).
  RandomSource(std::uint64_t seed, std::uint32_t replicate)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}}, replicate_(replicate) {}

  // The four words of one block.
  [[nodiscard]] std::array<std::uint32_t, 4> block(FamilyKey key, std::int32_t month, std::uint32_t block) const {
    const auto high = static_cast<std::uint32_t>(key >> 32) << (32 - family_key_high_bits);
    const r123::Philox4x32::ctr_type counter{
        {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(month), block, replicate_ | high}};
    const auto words = r123::Philox4x32{}(counter, key_);
    return {words[0], words[1], words[2], words[3]};
  }

  // Draw `index` (< stream.lanes) of a stream.
  [[nodiscard]] double uniform(const Stream& s, FamilyKey key, std::int32_t month, std::uint32_t index = 0) const {
    const std::uint32_t cell = s.first_lane + index;
    return to_uniform(block(key, month, s.block + cell / 4)[cell % 4]);
  }

 private:
  r123::Philox4x32::key_type key_;
  std::uint32_t replicate_;
};

// The draws of one family (or the authority) in one month, computing each
// Philox block once however many of its lanes are used.
class FamilyDraws {
 public:
  FamilyDraws(const RandomSource& rng, FamilyKey key, std::int32_t month) : rng_(rng), key_(key), month_(month) {}

  // Draw `index` (< stream.lanes) of a stream: the same number as RandomSource::uniform.
  [[nodiscard]] double uniform(const Stream& s, std::uint32_t index = 0) {
    const std::uint32_t cell = s.first_lane + index;
    return to_uniform(words(s.block + cell / 4)[cell % 4]);
  }

 private:
  const std::array<std::uint32_t, 4>& words(std::uint32_t block) {
    for (std::size_t b = 0; b < cached_; ++b)
      if (block_ids_[b] == block) return blocks_[b];
    const std::size_t slot = cached_ < blocks_.size() ? cached_++ : block % blocks_.size();
    block_ids_[slot] = block;
    blocks_[slot] = rng_.block(key_, month_, block);
    return blocks_[slot];
  }

  const RandomSource& rng_;
  FamilyKey key_;
  std::int32_t month_;
  std::array<std::array<std::uint32_t, 4>, 8> blocks_{};
  std::array<std::uint32_t, 8> block_ids_{};
  std::size_t cached_ = 0;
};

}  // namespace ehsim::engine

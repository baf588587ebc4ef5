// FNV-1a (64 bit) over text, chained: how a sweep's parts and a calibration's
// journal name the inputs they belong to.
#pragma once

#include <cstdint>
#include <string_view>

namespace ehsim::cli {

inline constexpr std::uint64_t fnv1a_start = 0xcbf29ce484222325ULL;

inline std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = fnv1a_start) {
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

}  // namespace ehsim::cli

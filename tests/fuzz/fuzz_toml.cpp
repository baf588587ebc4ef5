// libFuzzer target for the TOML front end alone: the text checks of
// config/toml_text.cpp (nesting, dotted keys, strings and comments as the
// nesting check reads them) and toml11's parser behind them. Every file ehsim
// reads passes here first; it is where inputs crashed ehsim (deep nesting), and
// it is fast enough for millions of inputs where fuzz_config.cpp, which checks
// whole configurations, manages tens a second. See tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/toml_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)ehsim::config::parse_toml_text(text, "<fuzz toml>");
  } catch (const ehsim::config::ConfigError&) {
    // The expected answer to bad input; anything else escaping is a finding.
  }
  return 0;
}

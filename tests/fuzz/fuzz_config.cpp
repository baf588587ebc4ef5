// libFuzzer target for the configuration surface: authority configurations,
// scenario overlays and sweep files, parsed and checked as ehsim reads them.
// ConfigError is the answer to bad input; any other exception, a crash or a
// sanitizer report is a finding. See tests/fuzz/README.md.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "config/load.hpp"
#include "config/sweep.hpp"
#include "engine/model.hpp"
#include "engine/run.hpp"

namespace {

namespace fs = std::filesystem;
using ehsim::config::ConfigError;

// The first byte of an input says what the rest is (byte % 3; the seed
// corpus uses the characters '0', '1' and '2'). A targets file would be the
// fourth kind: '3', with the modulus raised to 4 ('0'-'2' keep their kinds).
enum class Kind {
  configuration = 0,  // an authority configuration, as text (load_authority_text)
  scenario = 1,       // a scenario overlay file on the embedded default (load_scenario, as `ehsim compare`)
  sweep = 2,          // a sweep file (load_sweep)
};
constexpr int kinds = 3;

// One in this many configurations that load is also simulated, small.
constexpr std::uint64_t simulate_one_in = 100;

// A private folder made once: the overlay and sweep files are written here,
// beside links to configs/*.toml, so a sweep's `base = "default.toml"`
// resolves as a configuration's `extends = "default.toml"` does when the
// fuzzer runs in configs/ (as tests/fuzz/run does).
fs::path workspace;

void remove_workspace() {
  std::error_code ignored;
  fs::remove_all(workspace, ignored);
}

fs::path write_input(const std::string& name, std::string_view text) {
  const fs::path path = workspace / name;
  std::ofstream stream(path, std::ios::binary | std::ios::trunc);
  stream.write(text.data(), static_cast<std::streamsize>(text.size()));
  return path;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

// A configuration that loaded, cut to a few hundred families over a year
// (burn-in included), checked again and simulated; skipped when the cut
// itself makes it invalid (a schedule beyond the shorter horizon).
void simulate_small(ehsim::config::Authority authority) {
  authority.population.families = std::min<std::int64_t>(authority.population.families, 300);
  authority.simulation.months = std::min<std::int64_t>(authority.simulation.months, 12);
  authority.simulation.burn_in_months = std::min<std::int64_t>(authority.simulation.burn_in_months, 12);
  try {
    ehsim::config::validate(authority);
  } catch (const ConfigError&) {
    return;
  }
  const ehsim::engine::Model model = ehsim::engine::build_model(authority);
  (void)ehsim::engine::simulate(model, {.seed = 1, .replicate = 0, .trajectories = true});
}

void load(Kind kind, std::string_view text) {
  switch (kind) {
    case Kind::configuration: {
      const auto authority = ehsim::config::load_authority_text(text, "<fuzz configuration>");
      if (fnv1a(text) % simulate_one_in == 0) simulate_small(authority);
      break;
    }
    case Kind::scenario: {
      const auto authority = ehsim::config::load_scenario({}, write_input("overlay.toml", text), /*branching=*/true);
      if (fnv1a(text) % simulate_one_in == 0) simulate_small(authority);
      break;
    }
    case Kind::sweep:
      (void)ehsim::config::load_sweep(write_input("sweep.toml", text));
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  std::string pattern = (fs::temp_directory_path() / "ehsim-fuzz-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("ehsim fuzz: mkdtemp");
    std::abort();
  }
  workspace = pattern;
  std::atexit(remove_workspace);
  for (const auto& entry : fs::directory_iterator(fs::path(EHSIM_SOURCE_DIR) / "configs"))
    if (entry.path().extension() == ".toml") fs::create_symlink(entry.path(), workspace / entry.path().filename());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<Kind>(data[0] % kinds);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    load(kind, text);
  } catch (const ConfigError&) {
    // The expected answer to bad input.
  }
  // Anything else escapes: libFuzzer reports the uncaught exception as a crash.
  return 0;
}

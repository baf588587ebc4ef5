// Shared helpers for the tests: paths into the source tree, small
// configurations, and running the command line in process.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/commands.hpp"
#include "config/load.hpp"

namespace ehsim::testing {

inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(EHSIM_SOURCE_DIR) / relative;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

// A fresh folder under the system temp folder, removed with the object.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("ehsim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path file(const std::string& name, const std::string& text = {}) const {
    const auto file_path = path_ / name;
    if (!text.empty()) std::ofstream(file_path) << text;
    return file_path;
  }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path path_;
};

// Names of the files in a folder, in no particular order.
inline std::vector<std::string> files_in(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path().filename());
  return names;
}

struct CliResult {
  int status = 0;
  std::string out;
  std::string err;
};

inline CliResult run_ehsim(std::vector<std::string> args) {
  args.insert(args.begin(), "ehsim");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out, err;
  const int status = cli::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

// The default authority, made small and short for fast tests.
inline config::Authority small_default(std::int64_t families = 3000, std::int64_t months = 24) {
  config::Authority authority = config::default_authority();
  authority.population.families = families;
  authority.simulation.months = months;
  return authority;
}

// The same authority without its service system and costs: the dynamics alone.
inline config::Authority dynamics_only(config::Authority authority) {
  authority.services.clear();
  authority.identification = {};
  authority.front_door = {};
  authority.front_door.waiting_escalation_hazard_ratio = 1;
  authority.costs.universal_cost_per_family_month_gbp.clear();
  return authority;
}

}  // namespace ehsim::testing

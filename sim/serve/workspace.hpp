// The folder `ehsim serve` keeps a strategist's options in: TOML overlays, the
// same files the CLI reads. Names are checked before any path is made, so
// nothing outside the folder is ever read or written; a saved option is
// written whole under a temporary name and renamed, and a file ehsim did not
// save is never replaced.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::serve {

// A request the workspace refuses: bad name (400), absent (404), a file it
// may not replace (409).
class WorkspaceError : public std::runtime_error {
 public:
  WorkspaceError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  [[nodiscard]] int status() const { return status_; }

 private:
  int status_;
};

// The first line of every option ehsim serve saves: it may replace a file
// that starts with it, and no other.
inline constexpr const char* saved_mark = "# Saved by ehsim serve: an option overlay (ehsim run --scenario FILE).";

class Workspace {
 public:
  explicit Workspace(std::filesystem::path root);  // created if missing; must be a folder

  // An option's name: 1 to 64 letters, digits, '_' or '-', starting with a
  // letter. Anything else (a path, "..", a dot) is a WorkspaceError (400).
  static void check_name(const std::string& name);

  [[nodiscard]] std::vector<std::string> names() const;  // the *.toml files, by name, sorted
  [[nodiscard]] std::string read(const std::string& name) const;
  // Saves `text` (the mark is put first if it is not there). An existing file
  // is replaced only when `replace` is set and it carries the mark.
  void save(const std::string& name, const std::string& text, bool replace) const;
  [[nodiscard]] std::filesystem::path path_of(const std::string& name) const;
  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace ehsim::serve

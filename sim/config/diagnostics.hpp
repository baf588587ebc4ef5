// Collects configuration problems with their file, line and key, so that a
// user sees every error in one pass rather than one per attempt.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::config {

struct SourcePosition {
  std::string file;
  std::uint32_t line = 0;  // 0: the key is absent, so no line can be named
};

struct ConfigIssue {
  SourcePosition where;
  std::string key;  // dotted path, e.g. "themes.domestic_abuse.onset_hazard_per_month"
  std::string message;

  // "file:line: key: message", the format every input error uses.
  [[nodiscard]] std::string format() const;
};

class Diagnostics {
 public:
  void error(SourcePosition where, std::string key, std::string message);
  [[nodiscard]] bool empty() const { return issues_.empty(); }
  [[nodiscard]] const std::vector<ConfigIssue>& issues() const { return issues_; }

 private:
  std::vector<ConfigIssue> issues_;
};

// Thrown when a configuration cannot be used; carries every issue found.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigIssue> issues);
  [[nodiscard]] const std::vector<ConfigIssue>& issues() const { return issues_; }

 private:
  std::vector<ConfigIssue> issues_;
};

}  // namespace ehsim::config

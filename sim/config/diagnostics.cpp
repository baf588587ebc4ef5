#include "config/diagnostics.hpp"

namespace ehsim::config {

std::string ConfigIssue::format() const {
  std::string text = where.file.empty() ? std::string("<configuration>") : where.file;
  if (where.line > 0) text += ":" + std::to_string(where.line);
  text += ": ";
  if (!key.empty()) text += key + ": ";
  return text + message;
}

void Diagnostics::error(SourcePosition where, std::string key, std::string message) {
  issues_.push_back({std::move(where), std::move(key), std::move(message)});
}

namespace {
std::string join_issues(const std::vector<ConfigIssue>& issues) {
  std::string text;
  for (const auto& issue : issues) {
    if (!text.empty()) text += '\n';
    text += issue.format();
  }
  return text;
}
}  // namespace

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(join_issues(issues)), issues_(std::move(issues)) {}

}  // namespace ehsim::config

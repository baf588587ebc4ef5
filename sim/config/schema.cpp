#include "config/schema.hpp"

#include <array>
#include <cstdio>

namespace ehsim::config {

SourcePosition position_of(const TomlValue& value) {
  const auto location = value.location();
  return {location.file_name(), location.line()};
}

std::string Bounds::describe(bool integer) const {
  // For people: whole numbers in full ("10000000.0", not "1e+07").
  const auto number = [integer](double x) {
    if (integer) return std::to_string(static_cast<long long>(x));
    if (x == std::floor(x) && std::abs(x) < 1e15) return std::to_string(static_cast<long long>(x)) + ".0";
    return format_number(x);
  };
  const bool has_min = std::isfinite(min);
  const bool has_max = std::isfinite(max);
  if (has_min && has_max) return (exclusive_min ? "(" : "[") + number(min) + ", " + number(max) + "]";
  if (has_min) return (exclusive_min ? "> " : ">= ") + number(min);
  if (has_max) return "<= " + number(max);
  return "";
}

SourcePosition ParseContext::position(const std::string& key) const {
  // Walk up the dotted path ("a.b[2].c" -> "a.b[2]" -> "a.b" -> "a") to the
  // nearest part the user wrote, so a missing key still points at its table.
  std::string path = key;
  while (!path.empty()) {
    if (const auto found = positions.find(path); found != positions.end()) return found->second;
    const auto cut = path.find_last_of(".[");
    if (cut == std::string::npos) break;
    path.resize(cut);
  }
  if (const auto root = positions.find(""); root != positions.end()) return root->second;
  return {};
}

std::string format_number(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string text(buffer.data(), result.ptr);
  // TOML needs a float to look like one.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string quote_string(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {  // TOML forbids raw control characters
          std::array<char, 8> escape{};
          std::snprintf(escape.data(), escape.size(), "\\u%04x", c);
          quoted += escape.data();
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, name.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<std::pair<std::size_t, std::string_view>> leading_index(std::string_view path) {
  const std::size_t close = path.find(']');
  if (path.empty() || path.front() != '[' || close == std::string_view::npos || close == 1) return std::nullopt;
  std::size_t index = 0;
  const char* first = path.data() + 1;
  const char* last = path.data() + close;
  const auto [end, error] = std::from_chars(first, last, index);
  if (error != std::errc() || end != last) return std::nullopt;
  return std::pair{index, path.substr(close + 1)};
}

bool is_identifier(const std::string& name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace ehsim::config

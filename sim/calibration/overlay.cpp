#include "calibration/overlay.hpp"

#include <algorithm>

#include "config/load.hpp"
#include "config/schema.hpp"
#include "config/toml_text.hpp"

namespace ehsim::calibration {

namespace {

using config::TomlValue;

// The parts of a dotted key, as TOML paths: "levels[1].up_hazard_per_month"
// gives {"levels"} (the list, restated whole); "services.x.capacity_cases"
// gives {"services", "x", "capacity_cases"}.
std::vector<std::string> written_path(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  for (std::size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '.') {
      parts.push_back(part);
      part.clear();
      continue;
    }
    if (key[i] == '[') {
      parts.push_back(part);
      return parts;
    }
    part += key[i];
  }
  return parts;
}

std::string bare_or_quoted(const std::string& key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return bare ? key : config::quote_string(key);
}

bool is_table_array(const TomlValue& value) {
  return value.is_array() && !value.as_array().empty() &&
         std::all_of(value.as_array().begin(), value.as_array().end(), [](const TomlValue& v) { return v.is_table(); });
}

// A value on one line; numbers in their shortest form that reads back the same.
std::string value_text(const TomlValue& value) {
  if (value.is_floating()) return config::format_number(value.as_floating());
  if (value.is_integer()) return std::to_string(value.as_integer());
  if (value.is_boolean()) return value.as_boolean() ? "true" : "false";
  if (value.is_string()) return config::quote_string(value.as_string().str);
  if (value.is_array()) {
    std::string text = "[";
    for (std::size_t i = 0; i < value.as_array().size(); ++i) text += (i ? ", " : "") + value_text(value.as_array()[i]);
    return text + "]";
  }
  if (value.is_table()) {
    std::string text = "{";
    bool first = true;
    for (const auto& [key, entry] : value.as_table()) {
      text += (first ? " " : ", ") + bare_or_quoted(key) + " = " + value_text(entry);
      first = false;
    }
    return text + (first ? "}" : " }");
  }
  return "\"\"";
}

std::string comments_text(const TomlValue& value) {
  std::string text;
  for (const auto& comment : value.comments()) text += "#" + comment + "\n";
  return text;
}

// A table's keys, then its lists of tables as [[...]] and its tables as [...].
void emit(const TomlValue& table, const std::string& path, std::string& text) {
  for (const auto& [key, value] : table.as_table())
    if (!value.is_table() && !is_table_array(value))
      text += comments_text(value) + bare_or_quoted(key) + " = " + value_text(value) + "\n";
  for (const auto& [key, value] : table.as_table()) {
    const std::string name = path.empty() ? bare_or_quoted(key) : path + "." + bare_or_quoted(key);
    if (is_table_array(value)) {
      text += "\n" + comments_text(value);
      for (const auto& element : value.as_array()) {
        text += "[[" + name + "]]\n";
        emit(element, name, text);
      }
    } else if (value.is_table()) {
      const bool has_keys = std::any_of(value.as_table().begin(), value.as_table().end(), [](const auto& entry) {
        return !entry.second.is_table() && !is_table_array(entry.second);
      });
      if (has_keys) text += "\n" + comments_text(value) + "[" + name + "]\n";
      emit(value, name, text);
    }
  }
}

std::string header(const std::vector<std::string>& about) {
  std::string text = std::string(overlay_marker) + ". Made by a command, not typed: run it again to change it.\n";
  for (std::string line : about) {
    for (char& c : line)
      if (c == '\n' || c == '\r') c = ' ';  // a path with a line break stays in its comment
    text += "# " + line + "\n";
  }
  return text;
}

std::string describe_fit(const FitParameter& parameter, double value, bool on_bound) {
  const double unit = (value - parameter.min) / (parameter.max - parameter.min);
  return " fitted " + parameter.key + " = " + config::format_number(value) + ", searched in [" +
         config::format_number(parameter.min) + ", " + config::format_number(parameter.max) + "]" +
         (on_bound
              ? (unit < 0.5
                     ? "; AT OR NEAR ITS LOWER BOUND (within 5% of the range): widen the range or question the model"
                     : "; AT OR NEAR ITS UPPER BOUND (within 5% of the range): widen the range or question the model")
              : "; inside the range");
}

}  // namespace

std::string calibrated_overlay(const Problem& problem, const CalibrationResult& result, const std::string& extends,
                               const std::vector<std::string>& about) {
  const config::Authority calibrated = fitted_configuration(problem, result.best);
  const TomlValue resolved = config::parse_toml_text(config::to_toml(calibrated), "<calibrated configuration>");
  TomlValue overlay = toml::table{};
  for (std::size_t k = 0; k < problem.fit.parameters.size(); ++k) {
    const auto path = written_path(problem.fit.parameters[k].key);
    const TomlValue* from = &resolved;
    TomlValue* to = &overlay;
    for (std::size_t i = 0; i < path.size(); ++i) {
      from = &from->as_table().at(path[i]);
      auto& table = to->as_table();
      if (i + 1 == path.size()) {
        auto [slot, fresh] = table.emplace(path[i], *from);
        if (fresh) slot->second.comments().clear();
        slot->second.comments().push_back(describe_fit(problem.fit.parameters[k], result.best[k], result.on_bound[k]));
      } else {
        to = &table.emplace(path[i], toml::table{}).first->second;
      }
    }
  }
  std::string text = header(about);
  text += "# The configuration calibrated; this overlay sets only the fitted keys.\n";
  text += "extends = " + config::quote_string(extends) + "\n";
  emit(overlay, "", text);
  return text;
}

std::string plausible_overlay(const Problem& problem, const CalibrationResult& result, const std::string& extends,
                              const std::vector<std::string>& about) {
  if (result.plausible.empty()) return {};
  std::string text = header(about);
  text += "# Each replicate of a run takes one row of the sample (the same row for every key), so that a\n";
  text += "# comparison's intervals carry the calibration's uncertainty as well as chance.\n";
  text += "extends = " + config::quote_string(extends) + "\n";
  for (std::size_t k = 0; k < problem.fit.parameters.size(); ++k) {
    text += "\n[[uncertainty]]\nkey = " + config::quote_string(problem.fit.parameters[k].key) +
            "\ndistribution = \"sample\"\nvalues = [";
    for (std::size_t i = 0; i < result.plausible.size(); ++i)
      text += (i ? ", " : "") + config::format_number(result.evaluations[result.plausible[i]].values[k]);
    text += "]\n";
  }
  return text;
}

}  // namespace ehsim::calibration

// One declaration per configuration key. A TableSpec<T> lists the keys of a
// TOML table and where each lands in the struct T; the same declaration
// parses and validates input, writes the resolved configuration back as TOML,
// and documents every key for `ehsim schema` and docs/configuration.md.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <toml.hpp>

#include "config/choices.hpp"
#include "config/diagnostics.hpp"

namespace ehsim::config {

// Tables are std::map so that iteration (and the resolved text) is sorted and
// reproducible; comments are kept because they carry each number's source.
using TomlValue = toml::basic_value<toml::preserve_comments, std::map, std::vector>;

SourcePosition position_of(const TomlValue& value);

// The allowed range of a number (each element, for lists and maps).
struct Bounds {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool exclusive_min = false;

  [[nodiscard]] bool contains(double x) const {
    if (!std::isfinite(x)) return false;
    return (exclusive_min ? x > min : x >= min) && x <= max;
  }
  [[nodiscard]] std::string describe(bool integer = false) const;
};

inline Bounds at_least(double min) { return {min, std::numeric_limits<double>::infinity(), false}; }
inline Bounds above(double min) { return {min, std::numeric_limits<double>::infinity(), true}; }
inline Bounds between(double min, double max) { return {min, max, false}; }
inline Bounds probability() { return between(0.0, 1.0); }

template <class M>
struct KeyInfo {
  std::string unit;
  std::optional<M> fallback;  // no fallback: the key is required
  Bounds bounds{};
  std::string description;
  bool emitted = true;  // false for keys the loader consumes (extends)
};

// One row of the configuration reference.
struct KeyDoc {
  std::string key;
  std::string type;
  std::string unit;
  std::string default_value;
  std::string allowed;
  std::string description;
  Bounds bounds{};  // of a number, or of each number in a list or table of them
  std::vector<std::pair<std::string, std::string>> choices;  // of a word of a fixed set: each word and its meaning
};

// Carries diagnostics and records where every key was found, so that checks
// across keys (made after parsing) can still name the file and line.
struct ParseContext {
  Diagnostics& diagnostics;
  std::map<std::string, SourcePosition> positions;

  void error(const SourcePosition& where, const std::string& key, std::string message) {
    diagnostics.error(where, key, std::move(message));
  }
  // Position of a key if it was given, else of the nearest enclosing table given.
  [[nodiscard]] SourcePosition position(const std::string& key) const;
};

std::string format_number(double value);
std::string quote_string(const std::string& text);
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);
bool is_identifier(const std::string& name);

// A dotted path that starts with an index, "[2].rest", split into 2 and
// ".rest"; none when it does not start with one.
std::optional<std::pair<std::size_t, std::string_view>> leading_index(std::string_view path);

// The numbers a value of a key holds, for the range checks: the number
// itself, each element of a list, each entry of a table of numbers.
template <class M>
inline constexpr bool holds_numbers =
    std::is_same_v<M, double> || std::is_same_v<M, std::int64_t> || std::is_same_v<M, std::vector<double>> ||
    std::is_same_v<M, std::map<std::string, double>>;

// How one C++ member type is read from TOML, written back and described.
template <class M>
struct Codec;

template <>
struct Codec<double> {
  static std::string type_name() { return "float"; }
  static bool read(const TomlValue& v, double& out, std::string& problem) {
    if (v.is_floating()) {
      out = v.as_floating();
      return true;
    }
    if (v.is_integer()) {
      out = static_cast<double>(v.as_integer());
      return true;
    }
    problem = "expected a number";
    return false;
  }
  static std::string write(double v) { return format_number(v); }
  template <class F>
  static void for_each_number(double v, F&& f) {
    f(v);
  }
};

template <>
struct Codec<std::int64_t> {
  static std::string type_name() { return "integer"; }
  static bool read(const TomlValue& v, std::int64_t& out, std::string& problem) {
    if (!v.is_integer()) {
      problem = "expected a whole number";
      return false;
    }
    out = v.as_integer();
    return true;
  }
  static std::string write(std::int64_t v) { return std::to_string(v); }
  template <class F>
  static void for_each_number(std::int64_t v, F&& f) {
    f(static_cast<double>(v));
  }
};

template <>
struct Codec<bool> {
  static std::string type_name() { return "boolean"; }
  static bool read(const TomlValue& v, bool& out, std::string& problem) {
    if (!v.is_boolean()) {
      problem = "expected true or false";
      return false;
    }
    out = v.as_boolean();
    return true;
  }
  static std::string write(bool v) { return v ? "true" : "false"; }
  template <class F>
  static void for_each_number(bool, F&&) {}
};

template <>
struct Codec<std::string> {
  static std::string type_name() { return "string"; }
  static bool read(const TomlValue& v, std::string& out, std::string& problem) {
    if (!v.is_string()) {
      problem = "expected a string";
      return false;
    }
    out = v.as_string().str;
    return true;
  }
  static std::string write(const std::string& v) { return quote_string(v); }
  template <class F>
  static void for_each_number(const std::string&, F&&) {}
};

template <class E>
struct Codec<std::vector<E>> {
  static std::string type_name() { return "list of " + Codec<E>::type_name(); }
  static bool read(const TomlValue& v, std::vector<E>& out, std::string& problem) {
    if (!v.is_array()) {
      problem = "expected a list of " + Codec<E>::type_name();
      return false;
    }
    out.clear();
    for (const auto& element : v.as_array()) {
      E parsed{};
      if (!Codec<E>::read(element, parsed, problem)) {
        problem = "list element " + std::to_string(out.size() + 1) + ": " + problem;
        return false;
      }
      out.push_back(std::move(parsed));
    }
    return true;
  }
  static std::string write(const std::vector<E>& v) {
    std::string text = "[";
    for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + Codec<E>::write(v[i]);
    return text + "]";
  }
  template <class F>
  static void for_each_number(const std::vector<E>& v, F&& f) {
    for (const auto& e : v) Codec<E>::for_each_number(e, f);
  }
};

// One word of a fixed set (see choices.hpp), written as a TOML string.
template <Enumerated E>
struct Codec<E> {
  static std::string type_name() { return "string"; }
  static bool read(const TomlValue& v, E& out, std::string& problem) {
    if (!v.is_string()) {
      problem = "expected a string";
      return false;
    }
    const std::string& word = v.as_string().str;
    if (const auto value = from_name<E>(word)) {
      out = *value;
      return true;
    }
    problem = "'" + word + "' is not " + std::string(Choices<E>::what) + ": " + allowed_names<E>();
    const std::string suggestion = closest_name(word, names_of<E>());
    if (!suggestion.empty()) problem += " (did you mean '" + suggestion + "'?)";
    return false;
  }
  static std::string write(E v) { return quote_string(std::string(name_of(v))); }
  template <class F>
  static void for_each_number(E, F&&) {}
};

// An inline table of named numbers, e.g. { mental_health = 2.0 }.
template <>
struct Codec<std::map<std::string, double>> {
  using Map = std::map<std::string, double>;
  static std::string type_name() { return "table of float"; }
  static bool read(const TomlValue& v, Map& out, std::string& problem) {
    if (!v.is_table()) {
      problem = "expected a table of numbers, e.g. { name = 2.0 }";
      return false;
    }
    out.clear();
    for (const auto& [name, element] : v.as_table()) {
      double parsed = 0;
      if (!Codec<double>::read(element, parsed, problem)) {
        problem = name + ": " + problem;
        return false;
      }
      out.emplace(name, parsed);
    }
    return true;
  }
  static std::string write(const Map& v) {
    std::string text = "{";
    bool first = true;
    for (const auto& [name, value] : v) {
      text += (first ? " " : ", ") + name + " = " + format_number(value);
      first = false;
    }
    return text + (first ? "}" : " }");
  }
  template <class F>
  static void for_each_number(const Map& v, F&& f) {
    for (const auto& [name, value] : v) f(value);
  }
};

// Why a value breaks its key's range, or empty when it keeps to it: the first
// number outside, named by its entry in a list or table.
template <class M>
std::string range_problem(const M& value, const Bounds& bounds) {
  std::size_t index = 0;
  std::optional<std::pair<std::size_t, double>> outside;
  Codec<M>::for_each_number(value, [&](double x) {
    if (!outside && !bounds.contains(x)) outside = std::pair{index, x};
    ++index;
  });
  if (!outside) return {};
  const std::string shown = std::is_arithmetic_v<M> ? Codec<M>::write(value)
                                                    : "entry " + std::to_string(outside->first + 1) + ", " +
                                                          format_number(outside->second) + ",";
  return shown + " is outside the allowed range " + bounds.describe(std::is_integral_v<M>);
}

template <class T>
class TableSpec {
 public:
  // A key holding a value.
  template <class M>
  TableSpec& key(std::string name, M T::*member, KeyInfo<M> info) {
    Entry entry;
    entry.name = name;
    entry.parse = [name, member, info](T& out, const TomlValue* value, ParseContext& ctx, const std::string& path,
                                       const SourcePosition& table_pos) {
      if (value == nullptr) {
        if (info.fallback) {
          out.*member = *info.fallback;
        } else {
          ctx.error(table_pos, path, "required key is missing");
        }
        return;
      }
      const SourcePosition where = position_of(*value);
      ctx.positions[path] = where;
      M parsed{};
      std::string problem;
      if (!Codec<M>::read(*value, parsed, problem)) {
        ctx.error(where, path, problem);
        return;
      }
      if (const std::string outside = range_problem(parsed, info.bounds); !outside.empty()) {
        ctx.error(where, path, outside);
        return;
      }
      out.*member = std::move(parsed);
    };
    entry.check = [member, info](T& in, ParseContext& ctx, const std::string& path) {
      std::string problem;
      if constexpr (Enumerated<M>) {
        if (!declared(in.*member)) problem = "is not " + std::string(Choices<M>::what) + ": " + allowed_names<M>();
      } else {
        problem = range_problem(in.*member, info.bounds);
      }
      if (problem.empty()) return;
      ctx.error(ctx.position(path), path, problem);
      in.*member = T{}.*member;  // as parsing leaves a value that fails
    };
    if constexpr (holds_numbers<M>) {
      entry.set_number = [member](T& out, std::string_view rest, double value) {
        auto& held = out.*member;
        if constexpr (std::is_same_v<M, double>) {
          if (!rest.empty()) return false;
          held = value;
        } else if constexpr (std::is_same_v<M, std::int64_t>) {
          if (!rest.empty()) return false;
          held = std::llround(value);
        } else if constexpr (std::is_same_v<M, std::vector<double>>) {
          const auto index = leading_index(rest);
          if (!index || !index->second.empty() || index->first >= held.size()) return false;
          held[index->first] = value;
        } else {  // a table of numbers: an entry it lacks is added
          if (rest.size() < 2 || rest.front() != '.') return false;
          held[std::string(rest.substr(1))] = value;
        }
        return true;
      };
      entry.bounds_of = [info](std::string_view rest) -> std::optional<Bounds> {
        bool named = false;
        if constexpr (std::is_arithmetic_v<M>) {
          named = rest.empty();
        } else if constexpr (std::is_same_v<M, std::vector<double>>) {
          const auto index = leading_index(rest);
          named = index && index->second.empty();
        } else {
          named = rest.size() > 1 && rest.front() == '.';
        }
        if (!named) return std::nullopt;
        return info.bounds;
      };
      entry.numeric_keys = [member](const T& in, const std::string& path, std::vector<std::string>& keys) {
        const auto& held = in.*member;
        if constexpr (std::is_arithmetic_v<M>) {
          keys.push_back(path);
        } else if constexpr (std::is_same_v<M, std::vector<double>>) {
          for (std::size_t i = 0; i < held.size(); ++i) keys.push_back(path + "[" + std::to_string(i) + "]");
        } else {
          for (const auto& [name, value] : held) keys.push_back(path + "." + name);
        }
      };
    }
    entry.emit = [name, member, info](const T& in, const std::string&, std::string& text) {
      if (info.emitted) text += name + " = " + Codec<M>::write(in.*member) + "\n";
    };
    // A map (an inline table: a schedule, multipliers by theme) merges entry by
    // entry, like any table; other values are replaced whole.
    if constexpr (std::is_same_v<M, std::map<std::string, double>>) {
      entry.merge = [](const TomlValue& base, const TomlValue& overlay) {
        if (!base.is_table() || !overlay.is_table()) return overlay;
        TomlValue merged = overlay;  // keeps the overlay's position, for errors in what it adds
        for (const auto& [key, value] : base.as_table()) merged.as_table().emplace(key, value);
        return merged;
      };
    }
    entry.document = [name, info](std::vector<KeyDoc>& docs, const std::string& path) {
      KeyDoc doc{path,
                 Codec<M>::type_name(),
                 info.unit,
                 info.fallback ? Codec<M>::write(*info.fallback) : std::string("required"),
                 info.bounds.describe(std::is_integral_v<M>),
                 info.description,
                 info.bounds};
      if constexpr (Enumerated<M>) {
        doc.allowed = allowed_names<M>();
        for (const auto& choice : Choices<M>::all) doc.choices.emplace_back(choice.name, choice.meaning);
      }
      docs.push_back(std::move(doc));
    };
    entries_.push_back(std::move(entry));
    return *this;
  }

  // A sub-table, e.g. [population].
  template <class S>
  TableSpec& table(std::string name, S T::*member, TableSpec<S> spec, std::string description) {
    Entry entry;
    entry.name = name;
    entry.section = true;
    entry.parse = [member, spec](T& out, const TomlValue* value, ParseContext& ctx, const std::string& path,
                                 const SourcePosition& table_pos) {
      if (value != nullptr) ctx.positions[path] = position_of(*value);
      spec.parse(value, out.*member, ctx, path, value != nullptr ? position_of(*value) : table_pos);
    };
    entry.merge = [spec](const TomlValue& base, const TomlValue& overlay) { return spec.merge(base, overlay); };
    entry.emit = [member, spec](const T& in, const std::string& path, std::string& text) {
      text += "\n[" + path + "]\n";
      spec.emit(in.*member, path, text);
    };
    entry.document = [spec, description](std::vector<KeyDoc>& docs, const std::string& path) {
      docs.push_back({path, "table", "", "", "", description});
      spec.document(docs, path);
    };
    entry.check = [member, spec](T& in, ParseContext& ctx, const std::string& path) {
      spec.check(in.*member, ctx, path);
    };
    entry.set_number = [member, spec](T& out, std::string_view rest, double value) {
      return rest.size() > 1 && rest.front() == '.' && spec.set_number(out.*member, rest.substr(1), value);
    };
    entry.bounds_of = [spec](std::string_view rest) -> std::optional<Bounds> {
      if (rest.size() < 2 || rest.front() != '.') return std::nullopt;
      return spec.bounds_of(rest.substr(1));
    };
    entry.numeric_keys = [member, spec](const T& in, const std::string& path, std::vector<std::string>& keys) {
      spec.numeric_keys(in.*member, path, keys);
    };
    entries_.push_back(std::move(entry));
    return *this;
  }

  // An ordered list of tables, e.g. [[levels]]; an overlay replaces it whole.
  template <class S>
  TableSpec& table_array(std::string name, std::vector<S> T::*member, TableSpec<S> spec, std::string description) {
    Entry entry;
    entry.name = name;
    entry.section = true;
    entry.parse = [member, spec](T& out, const TomlValue* value, ParseContext& ctx, const std::string& path,
                                 const SourcePosition& table_pos) {
      auto& elements = out.*member;
      elements.clear();
      if (value == nullptr) return;
      const SourcePosition where = position_of(*value);
      ctx.positions[path] = where;
      if (!value->is_array()) {
        ctx.error(where, path, "expected a list of tables ([[" + path + "]] sections)");
        return;
      }
      for (const auto& element : value->as_array()) {
        const std::string element_path = path + "[" + std::to_string(elements.size()) + "]";
        ctx.positions[element_path] = position_of(element);
        S parsed{};
        spec.parse(&element, parsed, ctx, element_path, position_of(element));
        elements.push_back(std::move(parsed));
      }
      (void)table_pos;
    };
    entry.merge = [](const TomlValue&, const TomlValue& overlay) { return overlay; };  // replaced whole
    entry.emit = [member, spec](const T& in, const std::string& path, std::string& text) {
      for (const auto& element : in.*member) {
        text += "\n[[" + path + "]]\n";
        spec.emit(element, path, text);
      }
    };
    entry.document = [spec, description](std::vector<KeyDoc>& docs, const std::string& path) {
      docs.push_back({path + "[]", "list of tables", "", "", "", description});
      spec.document(docs, path + "[]");
    };
    entry.check = [member, spec](T& in, ParseContext& ctx, const std::string& path) {
      auto& elements = in.*member;
      for (std::size_t i = 0; i < elements.size(); ++i)
        spec.check(elements[i], ctx, path + "[" + std::to_string(i) + "]");
    };
    entry.set_number = [member, spec](T& out, std::string_view rest, double value) {
      auto& elements = out.*member;
      const auto index = leading_index(rest);
      if (!index || index->first >= elements.size()) return false;
      const std::string_view key = index->second;
      return key.size() > 1 && key.front() == '.' && spec.set_number(elements[index->first], key.substr(1), value);
    };
    entry.bounds_of = [spec](std::string_view rest) -> std::optional<Bounds> {
      const auto index = leading_index(rest);
      if (!index || index->second.size() < 2 || index->second.front() != '.') return std::nullopt;
      return spec.bounds_of(index->second.substr(1));
    };
    entry.numeric_keys = [member, spec](const T& in, const std::string& path, std::vector<std::string>& keys) {
      const auto& elements = in.*member;
      for (std::size_t i = 0; i < elements.size(); ++i)
        spec.numeric_keys(elements[i], path + "[" + std::to_string(i) + "]", keys);
    };
    entries_.push_back(std::move(entry));
    return *this;
  }

  // Tables keyed by name, e.g. [themes.domestic_abuse]; S::name receives the
  // key. Sorted by name; an overlay changes one by naming it.
  template <class S>
  TableSpec& named_tables(std::string name, std::vector<S> T::*member, TableSpec<S> spec, std::string description) {
    Entry entry;
    entry.name = name;
    entry.section = true;
    entry.parse = [member, spec](T& out, const TomlValue* value, ParseContext& ctx, const std::string& path,
                                 const SourcePosition&) {
      auto& elements = out.*member;
      elements.clear();
      if (value == nullptr) return;
      const SourcePosition where = position_of(*value);
      ctx.positions[path] = where;
      if (!value->is_table()) {
        ctx.error(where, path, "expected a table of named tables ([" + path + ".<name>] sections)");
        return;
      }
      for (const auto& [element_name, element] : value->as_table()) {
        const std::string element_path = path + "." + element_name;
        if (!is_identifier(element_name)) {
          ctx.error(position_of(element), element_path,
                    "names use lower-case letters, digits and underscores, starting with a letter");
          continue;
        }
        S parsed{};
        parsed.name = element_name;
        ctx.positions[element_path] = position_of(element);
        spec.parse(&element, parsed, ctx, element_path, position_of(element));
        elements.push_back(std::move(parsed));
      }
    };
    entry.merge = [spec](const TomlValue& base, const TomlValue& overlay) {
      if (!base.is_table() || !overlay.is_table()) return overlay;
      TomlValue merged = base;
      auto& elements = merged.as_table();
      for (const auto& [name, element] : overlay.as_table()) {
        if (element.is_boolean() && !element.as_boolean()) {
          elements.erase(name);  // `name = false` removes a table the base declared
          continue;
        }
        const auto found = elements.find(name);
        elements[name] = found == elements.end() ? element : spec.merge(found->second, element);
      }
      return merged;
    };
    entry.emit = [member, spec](const T& in, const std::string& path, std::string& text) {
      for (const auto& element : in.*member) {
        text += "\n[" + path + "." + element.name + "]\n";
        spec.emit(element, path + "." + element.name, text);
      }
    };
    entry.document = [spec, description](std::vector<KeyDoc>& docs, const std::string& path) {
      docs.push_back({path + ".<name>", "named tables", "", "", "", description});
      spec.document(docs, path + ".<name>");
    };
    entry.check = [member, spec](T& in, ParseContext& ctx, const std::string& path) {
      // A table that fails by its name is left out, as parsing leaves it out.
      auto& elements = in.*member;
      for (auto element = elements.begin(); element != elements.end();) {
        const std::string element_path = path + "." + element->name;
        const auto same_name = [&](const S& other) { return other.name == element->name; };
        if (!is_identifier(element->name)) {
          ctx.error(ctx.position(element_path), element_path,
                    "names use lower-case letters, digits and underscores, starting with a letter");
          element = elements.erase(element);
        } else if (std::any_of(elements.begin(), element, same_name)) {
          ctx.error(ctx.position(path), path, "'" + element->name + "' appears twice");
          element = elements.erase(element);
        } else {
          spec.check(*element, ctx, element_path);
          ++element;
        }
      }
    };
    entry.set_number = [member, spec](T& out, std::string_view rest, double value) {
      if (rest.size() < 2 || rest.front() != '.') return false;
      const std::size_t dot = rest.find('.', 1);
      if (dot == std::string_view::npos) return false;
      const std::string_view name = rest.substr(1, dot - 1);
      auto& elements = out.*member;
      const auto found = std::find_if(elements.begin(), elements.end(), [&](const S& e) { return e.name == name; });
      return found != elements.end() && spec.set_number(*found, rest.substr(dot + 1), value);
    };
    entry.bounds_of = [spec](std::string_view rest) -> std::optional<Bounds> {
      const std::size_t dot = rest.size() > 1 && rest.front() == '.' ? rest.find('.', 1) : std::string_view::npos;
      if (dot == std::string_view::npos || dot == 1) return std::nullopt;
      return spec.bounds_of(rest.substr(dot + 1));
    };
    entry.numeric_keys = [member, spec](const T& in, const std::string& path, std::vector<std::string>& keys) {
      for (const auto& element : in.*member) spec.numeric_keys(element, path + "." + element.name, keys);
    };
    entries_.push_back(std::move(entry));
    return *this;
  }

  // Reads `table` (null when absent: every key takes its default) into `out`.
  void parse(const TomlValue* table, T& out, ParseContext& ctx, const std::string& path,
             const SourcePosition& table_pos) const {
    if (table != nullptr && !table->is_table()) {
      ctx.error(position_of(*table), path, "expected a table");
      return;
    }
    if (table != nullptr) {
      std::vector<std::string> known;
      for (const auto& entry : entries_) known.push_back(entry.name);
      for (const auto& [name, value] : table->as_table()) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string message = "unknown key";
        const std::string suggestion = closest_name(name, known);
        if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
        ctx.error(position_of(value), join(path, name), message);
      }
    }
    for (const auto& entry : entries_) {
      const TomlValue* value = nullptr;
      if (table != nullptr) {
        const auto& fields = table->as_table();
        if (const auto found = fields.find(entry.name); found != fields.end()) value = &found->second;
      }
      entry.parse(out, value, ctx, join(path, entry.name), table_pos);
    }
  }

  // Layers `overlay` on `base` as the declarations say: values (inline tables
  // and lists included) and [[arrays]] are replaced whole, sub-tables merge key
  // by key, named tables merge by name and `name = false` removes one. Every
  // value keeps the file and line it came from.
  [[nodiscard]] TomlValue merge(const TomlValue& base, const TomlValue& overlay) const {
    if (!base.is_table() || !overlay.is_table()) return overlay;
    TomlValue merged = base;
    auto& fields = merged.as_table();
    for (const auto& [name, value] : overlay.as_table()) {
      const auto found = fields.find(name);
      const auto entry = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
      if (found == fields.end() || entry == entries_.end() || !entry->merge)
        fields[name] = value;
      else
        fields[name] = entry->merge(found->second, value);
    }
    return merged;
  }

  // Writes `in` as TOML: this table's keys, then its sub-tables under headers.
  void emit(const T& in, const std::string& path, std::string& text) const {
    for (const auto& entry : entries_)
      if (!entry.section) entry.emit(in, join(path, entry.name), text);
    for (const auto& entry : entries_)
      if (entry.section) entry.emit(in, join(path, entry.name), text);
  }

  void document(std::vector<KeyDoc>& docs, const std::string& path) const {
    for (const auto& entry : entries_)
      if (!entry.section) entry.document(docs, join(path, entry.name));
    for (const auto& entry : entries_)
      if (entry.section) entry.document(docs, join(path, entry.name));
  }

  // Checks `in` as parsing checks what it reads, for a value built or changed
  // in code: every number within its range, every word one of its set, every
  // named table's name an identifier, used once. What fails is then left as
  // parsing leaves it (a value at its default, a named table out), so that
  // the checks across keys see what they would have seen after parsing.
  void check(T& in, ParseContext& ctx, const std::string& path) const {
    for (const auto& entry : entries_) entry.check(in, ctx, join(path, entry.name));
  }

  // Sets the number a dotted path names, as flatten() names keys: "key",
  // "table.key", "list[2]", "table_array[1].key", "named.<name>.key" and
  // "table_of_numbers.<entry>" (an entry the table lacks is added). An integer
  // takes the value rounded (llround). False, and nothing changed, when the
  // path names no number of `out`.
  bool set_number(T& out, std::string_view path, double value) const {
    const auto [name, rest] = first_part(path);
    const Entry* entry = find(name);
    return entry != nullptr && entry->set_number && entry->set_number(out, rest, value);
  }

  // The declared range of the number a dotted path names, in any value of T
  // (any index of a list, any name, any entry); none when it names no number.
  [[nodiscard]] std::optional<Bounds> bounds_of(std::string_view path) const {
    const auto [name, rest] = first_part(path);
    const Entry* entry = find(name);
    if (entry == nullptr || !entry->bounds_of) return std::nullopt;
    return entry->bounds_of(rest);
  }

  // Every number of `in`, dotted as set_number takes them.
  void numeric_keys(const T& in, const std::string& path, std::vector<std::string>& keys) const {
    for (const auto& entry : entries_)
      if (entry.numeric_keys) entry.numeric_keys(in, join(path, entry.name), keys);
  }

 private:
  struct Entry {
    std::string name;
    bool section = false;  // table-like: written after plain keys, under its own header
    std::function<void(T&, const TomlValue*, ParseContext&, const std::string&, const SourcePosition&)> parse;
    std::function<void(const T&, const std::string&, std::string&)> emit;
    std::function<void(std::vector<KeyDoc>&, const std::string&)> document;
    std::function<TomlValue(const TomlValue&, const TomlValue&)> merge;  // empty: the overlay replaces the value
    std::function<void(T&, ParseContext&, const std::string&)> check;
    // The number the rest of a path names below this entry ("" for the
    // entry itself, "[2]", ".key", "[1].key", ".name.key"); empty when the
    // entry holds no numbers.
    std::function<bool(T&, std::string_view, double)> set_number;
    std::function<std::optional<Bounds>(std::string_view)> bounds_of;
    std::function<void(const T&, const std::string&, std::vector<std::string>&)> numeric_keys;
  };

  static std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

  // "name.rest" or "name[2].rest" as "name" and the rest, delimiter included.
  static std::pair<std::string_view, std::string_view> first_part(std::string_view path) {
    const std::size_t cut = path.find_first_of(".[");
    if (cut == std::string_view::npos) return {path, {}};
    return {path.substr(0, cut), path.substr(cut)};
  }

  [[nodiscard]] const Entry* find(std::string_view name) const {
    const auto found = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
    return found == entries_.end() ? nullptr : &*found;
  }

  std::vector<Entry> entries_;
};

}  // namespace ehsim::config

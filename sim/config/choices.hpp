// Keys that take one word of a fixed set. Each enumeration's words are
// declared once, next to the enumeration, with their TOML name and meaning;
// the parser, the resolved TOML, `ehsim schema` and the output all read them
// from that one table.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ehsim::config {

template <class E>
struct Choice {
  E value;
  std::string_view name;     // as written in TOML
  std::string_view meaning;  // one line, for the configuration reference
};

// Specialised once per enumeration:
//   template <> struct Choices<ServiceKind> {
//     static constexpr std::string_view what = "a kind of service";  // for "'x' is not <what>"
//     static constexpr std::array all{Choice<ServiceKind>{...}, ...};
//   };
template <class E>
struct Choices;

template <class E>
concept Enumerated = std::is_enum_v<E> && requires {
  Choices<E>::what;
  Choices<E>::all;
};

template <Enumerated E>
constexpr std::string_view name_of(E value) {
  for (const auto& choice : Choices<E>::all)
    if (choice.value == value) return choice.name;
  return "?";  // only a value cast from outside the declared ones
}

template <Enumerated E>
constexpr std::optional<E> from_name(std::string_view name) {
  for (const auto& choice : Choices<E>::all)
    if (choice.name == name) return choice.value;
  return std::nullopt;
}

// Whether a value is one of the declared words (not one cast from outside them).
template <Enumerated E>
constexpr bool declared(E value) {
  for (const auto& choice : Choices<E>::all)
    if (choice.value == value) return true;
  return false;
}

template <Enumerated E>
std::vector<std::string> names_of() {
  std::vector<std::string> names;
  for (const auto& choice : Choices<E>::all) names.emplace_back(choice.name);
  return names;
}

// The words as a reader lists them: "a, b or c".
template <Enumerated E>
std::string allowed_names() {
  std::string text;
  const auto& all = Choices<E>::all;
  for (std::size_t i = 0; i < all.size(); ++i)
    text += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i].name);
  return text;
}

// Written as its TOML name, so that messages and summaries read as the file does.
template <Enumerated E>
std::ostream& operator<<(std::ostream& out, E value) {
  return out << name_of(value);
}

}  // namespace ehsim::config

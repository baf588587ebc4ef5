#include "config/diff.hpp"

#include <sstream>

#include <toml.hpp>

#include "config/load.hpp"

namespace ehsim::config {

namespace {

void flatten_into(const toml::value& value, const std::string& path, std::map<std::string, std::string>& out) {
  if (value.is_table()) {
    for (const auto& [name, field] : value.as_table())
      flatten_into(field, path.empty() ? name : path + "." + name, out);
    return;
  }
  if (value.is_array() && !value.as_array().empty() && value.as_array().front().is_table()) {
    const auto& elements = value.as_array();
    for (std::size_t i = 0; i < elements.size(); ++i)
      flatten_into(elements[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  const auto one_line = [](const toml::value& v) {
    std::string text = toml::format(v, 0);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  };
  if (value.is_array()) {  // on one line: ["a", "b"]
    std::string text = "[";
    for (const auto& element : value.as_array()) text += (text.size() > 1 ? ", " : "") + one_line(element);
    out[path] = text + "]";
    return;
  }
  out[path] = one_line(value);
}

}  // namespace

std::map<std::string, std::string> flatten(const Authority& authority) {
  std::istringstream stream(to_toml(authority));
  const toml::value document = toml::parse(stream, "<resolved configuration>");
  std::map<std::string, std::string> keys;
  flatten_into(document, "", keys);
  return keys;
}

std::vector<Difference> differences(const Authority& base, const Authority& option) {
  const auto a = flatten(base);
  const auto b = flatten(option);
  std::vector<Difference> found;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() || j != b.end()) {
    if (j == b.end() || (i != a.end() && i->first < j->first)) {
      found.push_back({i->first, i->second, ""});
      ++i;
    } else if (i == a.end() || j->first < i->first) {
      found.push_back({j->first, "", j->second});
      ++j;
    } else {
      if (i->second != j->second) found.push_back({i->first, i->second, j->second});
      ++i;
      ++j;
    }
  }
  return found;
}

bool covers(const std::string& changed, const std::string& key) {
  return key == changed || (key.size() > changed.size() && key.compare(0, changed.size(), changed) == 0 &&
                            (key[changed.size()] == '.' || key[changed.size()] == '['));
}

}  // namespace ehsim::config

// What differs between two resolved configurations, key by key: what a
// strategist checks before trusting a comparison of two options.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/authority.hpp"

namespace ehsim::config {

// Every resolved key as a dotted path ("services.early_help.capacity_cases",
// "levels[2].down_hazard_per_month") with its value written as TOML.
std::map<std::string, std::string> flatten(const Authority& authority);

struct Difference {
  std::string key;
  std::string base;    // empty: the key is not in the base
  std::string option;  // empty: the key is not in the option
};

// The keys whose resolved values differ, in key order.
std::vector<Difference> differences(const Authority& base, const Authority& option);

// Whether `changed` (a key differences() lists) is `key` or holds it: a
// schedule or a list is listed whole, a numeric key may name one entry of it.
bool covers(const std::string& changed, const std::string& key);

}  // namespace ehsim::config

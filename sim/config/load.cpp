#include "config/load.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "config/authority_schema.hpp"
#include "config/consistency.hpp"
#include "config/diff.hpp"
#include "config/limits.hpp"
#include "config/toml_text.hpp"

namespace ehsim::config {

namespace {

[[noreturn]] void fail(SourcePosition where, std::string key, std::string message) {
  throw ConfigError({{std::move(where), std::move(key), std::move(message)}});
}

// The files of one extends chain: how deep it goes and which it has read, so
// that a cycle is found in one look-up and a runaway chain stops early.
struct ExtendsChain {
  std::set<std::filesystem::path> read;
  int depth = 0;
};

TomlValue resolve_extends(TomlValue document, const std::filesystem::path& directory, ExtendsChain& chain);

TomlValue read_file(const std::filesystem::path& path, ExtendsChain& chain) {
  const std::string text = read_config_file(path);
  std::error_code ec;
  chain.read.insert(std::filesystem::weakly_canonical(path, ec));
  ++chain.depth;
  return resolve_extends(parse_toml_text(text, path.string()), path.parent_path(), chain);
}

TomlValue resolve_extends(TomlValue document, const std::filesystem::path& directory, ExtendsChain& chain) {
  if (!document.is_table()) return document;
  auto& fields = document.as_table();
  const auto found = fields.find("extends");
  if (found == fields.end()) return document;
  const TomlValue extends = found->second;
  fields.erase(found);
  if (!extends.is_string()) fail(position_of(extends), "extends", "expected a path (string)");
  const std::filesystem::path base_path = directory / std::string(extends.as_string().str);
  if (const auto problem = unreadable_config_file(base_path); !problem.empty())
    fail(position_of(extends), "extends", "cannot read '" + base_path.string() + "': " + problem);
  std::error_code ec;
  if (chain.read.count(std::filesystem::weakly_canonical(base_path, ec)) > 0)
    fail(position_of(extends), "extends", "'" + base_path.string() + "' is already being read: extends forms a cycle");
  if (chain.depth >= limits::max_extends_depth)
    fail(position_of(extends), "extends",
         "a chain of more than " + std::to_string(limits::max_extends_depth) +
             " files, each extending the next; an authority needs two or three");
  return authority_spec().merge(read_file(base_path, chain), document);
}

// After the checks of single keys (made while parsing a file, or by
// validate), the checks across keys, so one pass reports every problem; a
// check is dropped when a key it covers already failed on its own. Then, if
// all is well, that each uncertain key is a numeric key whose range holds
// its interval. Positions come from ctx.
void check_across_keys(const Authority& authority, ParseContext& ctx) {
  Diagnostics& diagnostics = ctx.diagnostics;
  Diagnostics consistency;
  ParseContext check_ctx{consistency, ctx.positions};
  check_consistency(authority, check_ctx);
  for (const auto& issue : consistency.issues()) {
    const bool covered = std::any_of(diagnostics.issues().begin(), diagnostics.issues().end(), [&](const auto& failed) {
      return failed.key.rfind(issue.key, 0) == 0 || issue.key.rfind(failed.key, 0) == 0;
    });
    if (!covered) diagnostics.error(issue.where, issue.key, issue.message);
  }
  if (diagnostics.empty() && !authority.uncertainty.empty()) {
    const auto keys = numeric_keys(authority);
    for (std::size_t u = 0; u < authority.uncertainty.size(); ++u) {
      const std::string& name = authority.uncertainty[u].key;
      const std::string key = "uncertainty[" + std::to_string(u) + "]";
      if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
        diagnostics.error(ctx.position(key + ".key"), key + ".key",
                          "'" + name + "' is not a numeric key of this configuration");
        continue;
      }
      // Draws are truncated to the key's range (see engine/uncertainty.cpp),
      // which needs the interval itself inside it.
      const auto bounds = key_bounds(name);
      const auto& spec = authority.uncertainty[u];
      for (std::size_t v = 0; v < spec.values.size(); ++v)
        if (bounds && !bounds->contains(spec.values[v]))
          diagnostics.error(ctx.position(key + ".values"), key + ".values",
                            "value " + std::to_string(v + 1) + ", " + format_number(spec.values[v]) +
                                ", is outside the range of " + name + ", " + bounds->describe());
      if (spec.distribution == Distribution::sample) continue;
      // Read from a file (positions known): low and high must have been given.
      bool both = true;
      for (const char* end : {"low", "high"})
        if (!ctx.positions.empty() && ctx.positions.find(key + "." + end) == ctx.positions.end()) {
          diagnostics.error(ctx.position(key), key + "." + end,
                            "is required for a " + std::string(name_of(spec.distribution)) +
                                " distribution (only a sample takes values instead)");
          both = false;
        }
      if (!both) continue;
      for (const auto& [end, value] : {std::pair{"low", spec.low}, std::pair{"high", spec.high}})
        if (bounds && !bounds->contains(value))
          diagnostics.error(ctx.position(key + "." + end), key + "." + end,
                            format_number(value) + " is outside the range of " + name + ", " + bounds->describe() +
                                "; every draw must be a value the key can take");
    }
  }
}

Authority parse_checked(const TomlValue& document, const std::string& source_name) {
  Diagnostics diagnostics;
  ParseContext ctx{diagnostics, {}};
  ctx.positions[""] = {source_name, 0};
  Authority authority;
  authority_spec().parse(&document, authority, ctx, "", {source_name, 0});
  check_across_keys(authority, ctx);
  if (!diagnostics.empty()) throw ConfigError(diagnostics.issues());
  authority.extends.clear();
  return authority;
}

// The command line's overrides: the key each sets, its option and its value.
std::vector<std::tuple<std::string, std::string, std::int64_t>> overriding(const Overrides& overrides) {
  std::vector<std::tuple<std::string, std::string, std::int64_t>> set;
  if (overrides.months) set.emplace_back("simulation.months", "--months", *overrides.months);
  if (overrides.replicates) set.emplace_back("simulation.replicates", "--replicates", *overrides.replicates);
  if (overrides.seed) set.emplace_back("simulation.seed", "--seed", *overrides.seed);
  if (overrides.families) set.emplace_back("population.families", "--families", *overrides.families);
  return set;
}

// A copy of the document with the overrides set in it; a section that is
// absent is created, one that is not a table is left for the checks to report.
TomlValue with_overrides(TomlValue document, const Overrides& overrides) {
  if (!document.is_table()) return document;
  auto& table = document.as_table();
  for (const auto& [key, option, value] : overriding(overrides)) {
    const std::size_t dot = key.find('.');  // every overridden key is "section.name"
    auto found = table.find(key.substr(0, dot));
    if (found == table.end()) found = table.emplace(key.substr(0, dot), TomlValue(TomlValue::table_type{})).first;
    if (found->second.is_table()) found->second.as_table()[key.substr(dot + 1)] = TomlValue(value);
  }
  return document;
}

// Checks the document with the overrides set in it, so an override can also
// mend a clash in the file (a schedule beyond the file's horizon but within
// --months). A problem the file has without them too reads as it always does;
// one only the overrides cause says which were applied.
Authority parse_document(const TomlValue& document, const std::string& source_name, const Overrides& overrides = {}) {
  if (overrides.empty()) return parse_checked(document, source_name);
  try {
    return parse_checked(with_overrides(document, overrides), source_name);
  } catch (const ConfigError& error) {
    std::vector<ConfigIssue> own;
    try {
      (void)parse_checked(document, source_name);
    } catch (const ConfigError& plain) {
      own = plain.issues();
    }
    const auto set = overriding(overrides);
    std::string applied;
    for (const auto& [key, option, value] : set)
      applied += (applied.empty() ? "" : ", ") + option + " " + std::to_string(value);
    std::vector<ConfigIssue> issues;
    for (auto issue : error.issues()) {
      const bool file_own = std::any_of(own.begin(), own.end(), [&](const ConfigIssue& other) {
        return other.key == issue.key && other.message == issue.message;
      });
      if (!file_own) {
        for (const auto& [key, option, value] : set)
          if (issue.key == key) issue.where = {"the command line (" + option + ")", 0};
        issue.message += " (with the command line's " + applied + ")";
      }
      issues.push_back(issue);
    }
    throw ConfigError(issues);
  }
}

Authority parse_text(std::string_view text, const std::string& source_name, const Overrides& overrides) {
  ExtendsChain chain;
  // Text has no directory of its own: extends resolves from the working directory.
  return parse_document(resolve_extends(parse_toml_text(text, source_name), ".", chain), source_name, overrides);
}

}  // namespace

Authority load_authority_file(const std::filesystem::path& path, const Overrides& overrides) {
  ExtendsChain chain;
  return parse_document(read_file(path, chain), path.string(), overrides);
}

std::vector<std::filesystem::path> configuration_files(const std::filesystem::path& path) {
  ExtendsChain chain;
  (void)read_file(path, chain);
  return {chain.read.begin(), chain.read.end()};
}

std::vector<std::string> inherited_identity_warnings(const std::filesystem::path& path, const Authority& loaded,
                                                     std::int64_t families) {
  const TomlValue document = parse_toml_text(read_config_file(path), path.string());
  const auto& table = document.as_table();
  const auto extends = table.find("extends");
  // The file's own size: as loaded, less any --families.
  Authority own = loaded;
  if (families > 0) {
    const auto stated = table.find("population");
    own.population.families = 0;
    if (stated != table.end() && stated->second.is_table() && stated->second.as_table().count("families") > 0 &&
        stated->second.as_table().at("families").is_integer())
      own.population.families = stated->second.as_table().at("families").as_integer();
  }
  std::vector<std::string> warnings;
  std::optional<Authority> base;  // what this file extends, loaded once
  if (extends != table.end() && extends->second.is_string()) {
    const std::filesystem::path base_path = path.parent_path() / std::string(extends->second.as_string().str);
    try {
      base = load_authority_file(base_path);
    } catch (const ConfigError&) {
      return warnings;  // a base that is not a configuration on its own says nothing of its size
    }
    if (own.population.families == 0) own.population.families = base->population.families;
    for (const char* key : {"name", "description"}) {
      const std::string& text = std::string(key) == "name" ? own.name : own.description;
      if (table.count(key) > 0 || text.empty() || base->population.families == own.population.families) continue;
      warnings.push_back(std::string(key) + " \"" + text + "\" is inherited from " + base_path.string() +
                         ", written for " + std::to_string(base->population.families) +
                         " families, but this authority has " + std::to_string(own.population.families) +
                         ": give it a " + key + " of its own");
    }
  }
  // Capacities stated here, for this authority, would be scaled by an inherited reference.
  const auto population = table.find("population");
  const bool own_reference = population != table.end() && population->second.is_table() &&
                             population->second.as_table().count("capacity_reference_families") > 0;
  const auto services = table.find("services");
  if (!own_reference && loaded.population.capacity_reference_families > 0 &&
      loaded.population.capacity_reference_families != own.population.families && services != table.end() &&
      services->second.is_table()) {
    std::vector<std::string> stated;
    for (const auto& [name, service] : services->second.as_table())
      if (service.is_table() &&
          (service.as_table().count("capacity_cases") > 0 || service.as_table().count("capacity_from_month") > 0))
        stated.push_back(name);
    if (!stated.empty()) {
      std::string list;
      for (const auto& name : stated) list += (list.empty() ? "" : ", ") + name;
      warnings.push_back("the capacities this file states (" + list + ") are scaled by " +
                         std::to_string(own.population.families) + " / " +
                         std::to_string(loaded.population.capacity_reference_families) +
                         ", as population.capacity_reference_families is inherited; if they are this authority's "
                         "own, set it to " +
                         std::to_string(own.population.families));
    }
  }
  // The converse: this file states its own reference, so every capacity it
  // inherits without restating is taken as its own, unscaled.
  if (own_reference && base) {
    const auto base_reference = base->population.capacity_reference_families;
    if (base_reference > 0 && base_reference != loaded.population.capacity_reference_families) {
      const auto stated_here = [&table](const std::string& section, const std::string& name, const std::string& key) {
        const auto found = table.find(section);
        if (found == table.end() || !found->second.is_table()) return false;
        const auto& inner = found->second.as_table();
        if (name.empty()) return inner.count(key) > 0;
        const auto entry = inner.find(name);
        return entry != inner.end() && entry->second.is_table() && entry->second.as_table().count(key) > 0;
      };
      std::vector<std::string> inherited;
      for (const auto& service : loaded.services) {
        const bool in_base = std::any_of(base->services.begin(), base->services.end(),
                                         [&](const ServiceConfig& s) { return s.name == service.name; });
        if (in_base && !service.statutory() && !stated_here("services", service.name, "capacity_cases"))
          inherited.push_back("services." + service.name + ".capacity_cases");
        if (in_base && !service.capacity_from_month.empty() &&
            !stated_here("services", service.name, "capacity_from_month"))
          inherited.push_back("services." + service.name + ".capacity_from_month");
      }
      if (loaded.front_door.triage_capacity_per_month > 0 &&
          !stated_here("front_door", "", "triage_capacity_per_month"))
        inherited.emplace_back("front_door.triage_capacity_per_month");
      if (loaded.reinvestment.budget_gbp_per_year > 0 && !stated_here("reinvestment", "", "budget_gbp_per_year"))
        inherited.emplace_back("reinvestment.budget_gbp_per_year");
      if (!inherited.empty()) {
        std::string list;
        for (const auto& key : inherited) list += (list.empty() ? "" : ", ") + key;
        warnings.push_back("population.capacity_reference_families is " +
                           std::to_string(loaded.population.capacity_reference_families) + " here and " +
                           std::to_string(base_reference) +
                           " in what it extends, so what it inherits without "
                           "restating (" +
                           list + ") is taken as this authority's own, unscaled; restate each for " +
                           std::to_string(loaded.population.capacity_reference_families) + " families");
      }
    }
  }
  if (families > 0 && families != own.population.families)
    warnings.push_back("--families " + std::to_string(families) +
                       " runs it at another size than its name and description were written for (" +
                       std::to_string(own.population.families) + " families: \"" + own.description + "\")");
  return warnings;
}

Authority load_authority_text(std::string_view text, const std::string& source_name) {
  return parse_text(text, source_name, {});
}

namespace {

// The names of a configuration's named tables, by collection ("services", ...).
std::map<std::string, std::vector<std::string>> named_tables(const Authority& authority) {
  std::map<std::string, std::vector<std::string>> names;
  for (const auto& theme : authority.themes) names["themes"].push_back(theme.name);
  for (const auto& jump : authority.jumps) names["jumps"].push_back(jump.name);
  for (const auto& service : authority.services) names["services"].push_back(service.name);
  for (const auto& interaction : authority.risk.interactions) names["risk.interactions"].push_back(interaction.name);
  return names;
}

// An overlay that names a theme, jump or service the base does not have adds
// one; when it lacks the keys a new one needs, it is most likely a misspelt
// name: say so once, rather than list every missing key.
ConfigError explain_new_tables(const ConfigError& error, const Authority& base) {
  const auto names = named_tables(base);
  std::vector<ConfigIssue> issues;
  std::set<std::string> explained;
  for (const auto& issue : error.issues()) {
    std::string collection, name;
    for (const auto& [candidate, existing] : names) {
      const std::string prefix = candidate + ".";
      if (issue.key.rfind(prefix, 0) != 0) continue;
      name = issue.key.substr(prefix.size());
      name = name.substr(0, name.find('.'));
      if (std::find(existing.begin(), existing.end(), name) == existing.end()) collection = candidate;
    }
    if (collection.empty() || issue.message != "required key is missing") {
      issues.push_back(issue);
      continue;
    }
    const std::string key = collection + "." + name;
    if (!explained.insert(key).second) continue;
    ConfigIssue merged = issue;
    merged.key = key;
    const std::string suggestion = closest_name(name, names.at(collection));
    merged.message = "'" + name + "' is not in the base configuration" +
                     (suggestion.empty() ? "" : " (did you mean '" + suggestion + "'?)") +
                     "; to add one, give every key it needs (ehsim schema lists them)";
    issues.push_back(merged);
  }
  return ConfigError(issues);
}

// Keys every scenario must share with the baseline: each replicate's burn-in
// runs once, with the baseline, and every scenario branches from its state.
bool fixed_by_burn_in(const Difference& difference) {
  const std::string& key = difference.key;
  const auto starts = [&key](const std::string& prefix) { return key.rfind(prefix, 0) == 0; };
  if (starts("simulation.") || starts("uncertainty[")) return true;
  for (const char* fixed :
       {"population.families", "population.children_per_family_shares", "population.sibling_gap_mean_months",
        "population.locality_names", "population.locality_shares", "population.deprivation_quintile_shares"})
    if (key == fixed) return true;
  // A level or theme added or removed shows as its name or prevalence appearing or disappearing.
  if (starts("levels[")) return key.ends_with(".name") || key.ends_with(".initial_share");
  if (starts("themes.")) return key.ends_with(".prevalence_by_level");
  return false;
}

// The value a dotted key ("services.x.capacity_cases", "levels[2].name") has
// in a document, or null when it is not set. `last` is the deepest value met
// on the way (the document itself at worst).
const TomlValue* find_key(const TomlValue& document, const std::string& key, const TomlValue** last = nullptr) {
  const TomlValue* value = &document;
  if (last != nullptr) *last = value;
  std::size_t start = 0;
  while (start < key.size()) {
    const std::size_t end = key.find_first_of(".[", start);
    const std::string part = key.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!part.empty()) {
      if (!value->is_table() || value->as_table().count(part) == 0) return nullptr;
      value = &value->as_table().at(part);
      if (last != nullptr) *last = value;
    }
    if (end == std::string::npos) break;
    if (key[end] == '[') {
      const std::size_t close = key.find(']', end);
      const std::size_t index = std::stoul(key.substr(end + 1, close - end - 1));
      if (!value->is_array() || index >= value->as_array().size()) return nullptr;
      value = &value->as_array()[index];
      if (last != nullptr) *last = value;
      start = close + 1;
      if (start < key.size() && key[start] == '.') ++start;
    } else {
      start = end + 1;
    }
  }
  return value;
}

// Where a dotted key is set in a document: its value's position; the list's
// when the index is past its end; the file alone when the key is not set.
SourcePosition position_in(const TomlValue& document, const std::string& key, const std::string& file) {
  const TomlValue* last = nullptr;
  if (const TomlValue* value = find_key(document, key, &last)) return position_of(*value);
  if (last != &document && last->is_array()) return position_of(*last);
  return {file, 0};
}

}  // namespace

namespace {

// The base document and configuration of a scenario (a file, or the embedded
// default when `base` is empty).
struct BaseDocument {
  TomlValue document;
  Authority authority;
  std::string name;
};

BaseDocument read_base(const std::filesystem::path& base, const Overrides& overrides) {
  ExtendsChain chain;
  BaseDocument out;
  out.name = base.empty() ? "configs/default.toml" : base.string();
  out.document = base.empty() ? resolve_extends(parse_toml_text(default_authority_text(), out.name), ".", chain)
                              : read_file(base, chain);
  out.authority = parse_document(out.document, out.name, overrides);
  return out;
}

// An overlay file's document: anything but `extends`, which only a
// configuration of its own may have.
TomlValue read_overlay(const std::filesystem::path& overlay) {
  TomlValue document = parse_toml_text(read_config_file(overlay), overlay.string());
  if (document.is_table())
    if (const auto found = document.as_table().find("extends"); found != document.as_table().end())
      fail(position_of(found->second), "extends",
           "a scenario overlay applies to the base configuration given on the command line; it cannot extend "
           "another file");
  return document;
}

// The overlays merged onto the base in order, checked as a scenario that
// branches from the base's burn-in when `branching`; `documents` are the
// overlays' own, named by `names`, the last naming the scenario.
Authority merged_scenario(const BaseDocument& base, const std::vector<TomlValue>& documents,
                          const std::vector<std::string>& names, bool branching, const Overrides& overrides) {
  TomlValue merged = base.document;
  for (const auto& document : documents) merged = authority_spec().merge(merged, document);
  const std::string& name = names.back();
  Authority option;
  try {
    option = parse_document(merged, name, overrides);
  } catch (const ConfigError& error) {
    throw explain_new_tables(error, base.authority);
  }
  if (!branching) return option;
  // Where a key is set: in the last overlay that sets it, else the last one.
  const auto where = [&](const std::string& key) {
    for (std::size_t d = documents.size(); d-- > 0;)
      if (find_key(documents[d], key) != nullptr) return position_in(documents[d], key, names[d]);
    return position_in(documents.back(), key, name);
  };
  const auto refuse = [&](const std::string& key) {
    ConfigIssue issue;
    issue.where = where(key);
    issue.key = key;
    issue.message =
        "every scenario branches from the baseline's burn-in and starting families, so this must be as in the base; "
        "run a different population, horizon or set of levels and themes as a configuration of its own";
    return issue;
  };
  std::vector<ConfigIssue> issues;
  // The overrides set these keys alike in the base and the option, so the
  // overlay's own value is compared with the base document's.
  std::set<std::string> overridden;
  for (const auto& [key, option_name, value] : overriding(overrides)) {
    overridden.insert(key);
    const TomlValue* base_value = find_key(base.document, key);
    for (const auto& document : documents) {
      const TomlValue* own = find_key(document, key);
      const bool same = own != nullptr && base_value != nullptr && own->is_integer() && base_value->is_integer() &&
                        own->as_integer() == base_value->as_integer();
      if (own != nullptr && !same) {
        issues.push_back(refuse(key));
        break;
      }
    }
  }
  for (const auto& difference : differences(base.authority, option)) {
    if (fixed_by_burn_in(difference) && overridden.count(difference.key) == 0) issues.push_back(refuse(difference.key));
    // One set of prices for every scenario, or the differences would be re-pricing.
    if (difference.key == "costs.price_year" || difference.key.rfind("costs.price_index", 0) == 0) {
      ConfigIssue issue;
      issue.where = where(difference.key);
      issue.key = difference.key;
      issue.message =
          "every scenario is compared in the base's prices, so this must be as in the base (a "
          "payer's costs rising faster is costs.real_price_growth_per_year)";
      issues.push_back(issue);
    }
    // A key the base draws for each replicate would be replaced by the draw: the overlay's value would be lost.
    for (const auto& uncertain : base.authority.uncertainty) {
      const std::string& key = difference.key;
      if (!covers(key, uncertain.key)) continue;
      ConfigIssue issue;
      issue.where = where(key);
      issue.key = key;
      issue.message = "the base configuration draws " + uncertain.key +
                      " afresh for each replicate ([[uncertainty]]), which would replace the value set here; change "
                      "its range in the base, or run this option on a base without it";
      issues.push_back(issue);
    }
  }
  if (!issues.empty()) throw ConfigError(issues);
  return option;
}

// Keys that say what a scenario is rather than what it changes.
bool describes_scenario(const std::string& key) { return key == "description" || key == "kind" || key == "name"; }

// A key as what it sets: a schedule's entry (services.x.capacity_from_month.2026-04)
// is its schedule, since entries of one schedule act on each other in time.
std::string what_it_sets(const std::string& key) {
  const auto dot = key.rfind('.');
  if (dot == std::string::npos) return key;
  const std::string last = key.substr(dot + 1);
  const bool month = last.size() == 7 && last[4] == '-' &&
                     std::all_of(last.begin(), last.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  return month ? key.substr(0, dot) : key;
}

}  // namespace

Authority load_scenario(const std::filesystem::path& base, const std::filesystem::path& overlay, bool branching,
                        const Overrides& overrides) {
  return merged_scenario(read_base(base, overrides), {read_overlay(overlay)}, {overlay.string()}, branching, overrides);
}

Authority load_scenario_under(const std::filesystem::path& base, const std::filesystem::path& future,
                              const std::filesystem::path& option, const Overrides& overrides) {
  const BaseDocument base_document = read_base(base, overrides);
  const TomlValue future_document = read_overlay(future);
  const TomlValue option_document = read_overlay(option);
  const Authority future_alone = merged_scenario(base_document, {future_document}, {future.string()}, true, overrides);
  const Authority option_alone = merged_scenario(base_document, {option_document}, {option.string()}, true, overrides);
  // An option under a future changes what the future leaves alone: a key
  // both change would be the option's value or the future's, silently.
  std::set<std::string> changed_by_future;
  for (const auto& difference : differences(base_document.authority, future_alone))
    if (!describes_scenario(difference.key)) changed_by_future.insert(what_it_sets(difference.key));
  std::vector<ConfigIssue> issues;
  std::set<std::string> said;
  for (const auto& difference : differences(base_document.authority, option_alone)) {
    const std::string sets = what_it_sets(difference.key);
    if (changed_by_future.count(sets) == 0 || !said.insert(sets).second) continue;
    ConfigIssue issue;
    issue.where = position_in(option_document, difference.key, option.string());
    issue.key = difference.key;
    issue.message = "the future " + future.string() + " changes " +
                    (sets == difference.key ? std::string("this key") : "the schedule " + sets) +
                    " too, so the option cannot be run under it: an option changes what a future leaves as it is "
                    "(run this pair as an option of its own with --scenario)";
    issues.push_back(issue);
  }
  if (!issues.empty()) throw ConfigError(issues);
  Authority combined = merged_scenario(base_document, {future_document, option_document},
                                       {future.string(), option.string()}, true, overrides);
  combined.kind = option_alone.kind;
  combined.description = option_alone.description;
  return combined;
}

Authority load_overlay_text(std::string_view base, std::string_view overlay, const std::string& source_name) {
  const TomlValue merged =
      authority_spec().merge(parse_toml_text(base, source_name), parse_toml_text(overlay, source_name));
  return parse_document(merged, source_name);
}

// A scenario is named by its file: scenarios/more_support.toml is "more_support".
std::string scenario_name(const std::filesystem::path& path, const std::vector<std::string>& taken,
                          const std::string& given_as) {
  const std::string name = path.stem().string();
  const auto fail = [&](const std::string& message) {
    ConfigIssue issue;
    issue.where.file = path.string();
    issue.message = given_as + ": " + message;
    throw ConfigError({issue});
  };
  if (!is_identifier(name))
    fail("a scenario is named by its file, so '" + name +
         "' must use lower-case letters, digits and underscores, starting with a letter");
  if (name.find("_vs_") != std::string::npos)
    fail("'" + name + "' holds _vs_, which the results file uses to name comparisons; rename the file");
  for (const char* reserved : {"baseline", "summary", "comparisons", "pairs", "config", "axes", "uncertainty"})
    if (name == reserved) fail("'" + name + "' is a name the results file uses; rename the file");
  if (std::find(taken.begin(), taken.end(), name) != taken.end()) fail("two scenarios are named '" + name + "'");
  return name;
}

double capacity_scale(const Authority& authority) {
  const auto reference = authority.population.capacity_reference_families;
  return reference > 0 ? static_cast<double>(authority.population.families) / static_cast<double>(reference) : 1.0;
}

std::int64_t scaled_cases(const Authority& authority, double stated) {
  if (authority.population.capacity_reference_families <= 0) return static_cast<std::int64_t>(stated);
  const auto cases = std::llround(stated * capacity_scale(authority));
  return stated > 0 ? std::max<std::int64_t>(1, cases) : cases;
}

Authority default_authority(const Overrides& overrides) {
  return parse_text(default_authority_text(), "configs/default.toml", overrides);
}

std::string to_toml(const Authority& authority) {
  std::string text = "# Resolved configuration (every key, defaults and extends applied), written by ehsim.\n";
  authority_spec().emit(authority, "", text);
  return text;
}

void validate(const Authority& authority) {
  Diagnostics diagnostics;
  ParseContext ctx{diagnostics, {}};
  Authority checked = authority;
  authority_spec().check(checked, ctx, "");
  check_across_keys(checked, ctx);
  if (!diagnostics.empty()) throw ConfigError(diagnostics.issues());
}

void set_number(Authority& authority, const std::string& key, double value) {
  if (authority_spec().set_number(authority, key, value)) return;
  const std::string suggestion = closest_name(key, numeric_keys(authority));
  ConfigIssue issue;
  issue.key = key;
  issue.message = "is not a numeric key of this configuration" +
                  (suggestion.empty() ? std::string() : " (did you mean '" + suggestion + "'?)");
  throw ConfigError({issue});
}

std::vector<std::string> numeric_keys(const Authority& authority) {
  std::vector<std::string> keys;
  authority_spec().numeric_keys(authority, "", keys);
  return keys;
}

std::vector<KeyDoc> configuration_reference() {
  std::vector<KeyDoc> docs;
  authority_spec().document(docs, "");
  return docs;
}

std::optional<Bounds> key_bounds(const std::string& key) { return authority_spec().bounds_of(key); }

namespace {
std::string escape_cell(std::string text) {
  std::string escaped;
  for (const char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  return escaped;
}
}  // namespace

std::string configuration_reference_markdown() {
  std::string text =
      "# Configuration reference\n\n"
      "Generated by `ehsim schema --markdown` from the one declaration of each key in\n"
      "`sim/config/authority_schema.cpp`; a test fails when this file is stale.\n"
      "Regenerate with `build/ehsim schema --markdown > docs/configuration.md`.\n\n"
      "`<name>` stands for the name of a named table (a theme, an interaction, a jump);\n"
      "`[]` marks a list of tables such as `[[levels]]`. \"required\" keys have no default.\n\n"
      "A key that is unknown, malformed or out of range, or that contradicts another, is an error naming the\n"
      "file, line and key; `ehsim` then exits with status 2 and writes nothing. `ehsim run`'s `--months`,\n"
      "`--replicates`, `--seed` and `--families` are set into the configuration before it is checked, so a\n"
      "problem only they cause (a schedule month beyond a shorter run) names the line of the key it clashes\n"
      "with and says which options were applied.\n";
  const std::string header = "| key | type | unit | default | allowed | description |\n|---|---|---|---|---|---|\n";
  text += "\n## Top level\n\n" + header;  // plain keys of the root come first
  for (const auto& doc : configuration_reference()) {
    if (doc.type == "table" || doc.type == "named tables" || doc.type == "list of tables") {
      text += "\n## `" + doc.key + "`\n\n" + doc.description + "\n\n" + header;
      continue;
    }
    text += "| `" + doc.key + "` | " + doc.type + " | " + escape_cell(doc.unit) + " | `" +
            escape_cell(doc.default_value) + "` | " + escape_cell(doc.allowed) + " | " + escape_cell(doc.description) +
            " |\n";
  }
  return text;
}

std::string configuration_reference_text() {
  std::string text;
  for (const auto& doc : configuration_reference()) {
    text += doc.key + "  (" + doc.type + (doc.unit.empty() ? "" : ", " + doc.unit) + ")\n";
    if (!doc.default_value.empty()) text += "    default: " + doc.default_value + "\n";
    if (!doc.allowed.empty()) text += "    allowed: " + doc.allowed + "\n";
    for (const auto& [word, meaning] : doc.choices) text += "      " + word + ": " + meaning + "\n";
    text += "    " + doc.description + "\n";
  }
  return text;
}

}  // namespace ehsim::config

// Reads an authority configuration from a file or text: resolves `extends`,
// parses every key against the schema, checks consistency, and throws
// ConfigError with every problem found.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/authority.hpp"
#include "config/schema.hpp"

namespace ehsim::config {

// Values the command line sets over the configuration's own (--months,
// --replicates, --seed, --families). They are set in the document before it is
// checked, so a problem they cause names the file and line of the key it
// clashes with; a problem with an overriding value itself names the command line.
struct Overrides {
  std::optional<std::int64_t> months;
  std::optional<std::int64_t> replicates;
  std::optional<std::int64_t> seed;
  std::optional<std::int64_t> families;
  [[nodiscard]] bool empty() const { return !months && !replicates && !seed && !families; }
};

Authority load_authority_file(const std::filesystem::path& path, const Overrides& overrides = {});
Authority load_authority_text(std::string_view text, const std::string& source_name);
// The files a configuration is read from: itself and every file its extends chain names.
std::vector<std::filesystem::path> configuration_files(const std::filesystem::path& path);

// A configuration that extends another with a different number of families
// but keeps the other's name or description (which speak of its size, such
// as "about 60,000 children (35,300 families)"): a warning for each, naming
// what is inherited and from which file, so the user can say what this
// authority is. Empty when the file states both, does not extend, or keeps
// the size. `loaded`: the configuration as the command loaded it (with its
// command-line options); `families`: --families, when given (0: none).
std::vector<std::string> inherited_identity_warnings(const std::filesystem::path& path, const Authority& loaded,
                                                     std::int64_t families = 0);

// A scenario: the base configuration (a file, or the embedded default when
// `base` is empty) with an overlay file merged onto it by the same rules as
// `extends`. An overlay cannot itself extend another file.
// `branching`: the option branches from the base's burn-in, so keys that fix
// the starting families and the horizon must not change (an error if they do).
Authority load_scenario(const std::filesystem::path& base, const std::filesystem::path& overlay, bool branching = true,
                        const Overrides& overrides = {});

// An option under a future: the base with the future's overlay merged onto
// it, then the option's, as a scenario that branches from the base's burn-in.
// It is the option (its kind and description), run in the world the future
// describes. A key that both overlays change is an error naming the key in
// the option's file, since one of the two values would be silently lost.
Authority load_scenario_under(const std::filesystem::path& base, const std::filesystem::path& future,
                              const std::filesystem::path& option, const Overrides& overrides = {});

// A configuration given as text with an overlay, also text, merged onto it.
Authority load_overlay_text(std::string_view base, std::string_view overlay, const std::string& source_name);

// The name of an option given as a file (scenarios/more_support.toml is
// "more_support"), as the results files name it; `taken`: the names already
// used. Throws ConfigError for a name that is not an identifier, that the
// results file uses for itself, or that is taken, naming the option it was
// given as (`given_as`).
std::string scenario_name(const std::filesystem::path& path, const std::vector<std::string>& taken,
                          const std::string& given_as = "--scenario");

// The default authority compiled into the binary from configs/default.toml.
Authority default_authority(const Overrides& overrides = {});
std::string_view default_authority_text();

// The fully resolved configuration as TOML; loading it gives the same Authority.
std::string to_toml(const Authority& authority);

// Checks an Authority built or changed in code (a sweep point, drawn values):
// every number within its declared range, every name, and the checks across
// keys, as loading checks a file, without writing it as TOML. Throws
// ConfigError with every problem; each names its key (there is no file or line).
void validate(const Authority& authority);

// Sets a numeric key, dotted as `flatten` names it
// (services.intensive_family_service.capacity_cases,
// levels[1].up_hazard_per_month, identification.probability_by_level[2],
// themes.domestic_abuse.onset_multiplier_if_active.substance_misuse,
// services.<name>.capacity_from_month.2026-04, where a month the schedule
// lacks is added). An integer key takes the value rounded (llround). Throws
// ConfigError naming the key (and the nearest numeric key) when it is not a
// numeric key of `authority`. The value is not checked: validate does that.
void set_number(Authority& authority, const std::string& key, double value);

// Every numeric key of a configuration, as set_number takes them: numbers,
// each element of a list of numbers, each entry of a table of numbers.
std::vector<std::string> numeric_keys(const Authority& authority);

// Every key, for `ehsim schema` and docs/configuration.md.
std::vector<KeyDoc> configuration_reference();
// The allowed range of a numeric key given dotted, as set_number takes it
// (services.early_help.capacity_cases, levels[1].up_hazard_per_month,
// identification.probability_by_level[2],
// themes.domestic_abuse.onset_multiplier_if_active.substance_misuse); none
// when the key is not a number of the schema.
std::optional<Bounds> key_bounds(const std::string& key);
std::string configuration_reference_markdown();
std::string configuration_reference_text();

}  // namespace ehsim::config

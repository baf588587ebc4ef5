// Numeric keys set on the typed configuration by their dotted names, and
// checked without writing TOML: the same result, value for value and error
// for error, as setting them in the configuration's TOML and loading it again.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "config/diff.hpp"
#include "config/load.hpp"
#include "config/sweep.hpp"
#include "support.hpp"

namespace {

using namespace ehsim::config;
using Catch::Matchers::Contains;

// What making a configuration gives: its resolved TOML, or its problems as
// "key: message", in order. Positions differ between the two paths (the
// typed one has no file), so they are left out.
struct Outcome {
  std::string toml;
  std::vector<std::string> issues;
};

Outcome outcome_of(const std::function<Authority()>& make) {
  try {
    return {to_toml(make()), {}};
  } catch (const ConfigError& error) {
    Outcome outcome;
    for (const auto& issue : error.issues()) outcome.issues.push_back(issue.key + ": " + issue.message);
    return outcome;
  }
}

Outcome typed(const Authority& base, const std::string& key, double value) {
  return outcome_of([&] {
    Authority authority = base;
    set_number(authority, key, value);
    validate(authority);
    return authority;
  });
}

// The path with_numbers took before: an overlay of `key = value` merged onto
// the resolved TOML and loaded again, an integer key (as the resolved text
// writes it) rounded. Only for keys TOML can write as a dotted key: no [i].
Outcome through_overlay(const Authority& base, const std::string& key, double value) {
  const auto keys = flatten(base);
  const auto found = keys.find(key);
  const bool integer = found != keys.end() && found->second.find_first_of(".eEn") == std::string::npos;
  std::ostringstream text;
  if (integer) {
    text << std::llround(value);
  } else {
    text.precision(17);
    text << value;
    if (text.str().find_first_of(".eEn") == std::string::npos) text << ".0";
  }
  return outcome_of([&] { return load_overlay_text(to_toml(base), key + " = " + text.str() + "\n", "<overlay>"); });
}

// The same for any key: the value set at its place in the resolved TOML
// document (an element of a list, a table of [[levels]]), written out and
// loaded again.
Outcome through_document(const Authority& base, const std::string& key, double value) {
  std::istringstream stream(to_toml(base));
  TomlValue document = toml::parse<toml::preserve_comments, std::map, std::vector>(stream, "<document>");
  TomlValue* at = &document;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t dot = std::min(key.find('.', start), key.size());
    std::string part = key.substr(start, dot - start);
    std::vector<std::size_t> indices;
    for (std::size_t open; (open = part.rfind('[')) != std::string::npos; part.resize(open))
      indices.insert(indices.begin(), std::stoul(part.substr(open + 1)));
    at = &at->as_table()[part];  // a table of numbers gains an entry it lacks
    for (const std::size_t index : indices) at = &at->as_array().at(index);
    start = dot + 1;
  }
  *at = at->is_integer() ? TomlValue(std::llround(value)) : TomlValue(value);
  return outcome_of([&] { return load_authority_text(toml::format(document), "<document>"); });
}

// The default with a capacity schedule, so that a month it has can be changed.
Authority with_schedule() {
  return load_overlay_text(default_authority_text(),
                           "[services.intensive_family_service]\ncapacity_from_month = { \"2026-04\" = 60 }\n",
                           "<base>");
}

}  // namespace

TEST_CASE("setting a numeric key on the typed configuration gives what setting it in its TOML and loading gives",
          "[config][numbers]") {
  const Authority plain = default_authority();
  const Authority scheduled = with_schedule();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Sample {
    const Authority* base;
    std::string key;
  };
  const std::vector<Sample> samples{
      {&plain, "population.growth_per_year"},                                         // float in a table
      {&plain, "costs.discount_rate_per_year"},                                       // float in a table
      {&plain, "simulation.months"},                                                  // integer
      {&plain, "front_door.triage_capacity_per_month"},                               // integer
      {&plain, "services.intensive_family_service.capacity_cases"},                   // integer, named table
      {&plain, "services.intensive_family_service.escalation_hazard_ratio"},          // float, named table
      {&plain, "risk.interactions.toxic_trio.escalation_hazard_ratio"},               // named table in a table
      {&plain, "jumps.domestic_abuse_crisis.hazard_per_month"},                       // named table
      {&plain, "levels[1].up_hazard_per_month"},                                      // table array
      {&plain, "levels[0].initial_share"},                                            // table array, sum of shares
      {&plain, "identification.probability_by_level[2]"},                             // list element
      {&plain, "risk.onset_multiplier_by_deprivation[0]"},                            // list element
      {&plain, "population.locality_shares[3]"},                                      // list element, sum of shares
      {&plain, "themes.domestic_abuse.onset_multiplier_if_active.substance_misuse"},  // map entry
      {&plain, "services.school_early_help.capacity_from_month.2026-04"},             // schedule: a new month
      {&scheduled, "services.intensive_family_service.capacity_from_month.2026-04"},  // schedule: the month it has
      {&scheduled, "services.intensive_family_service.capacity_from_month.2027-01"},  // schedule: another month
      {&plain, "reinvestment.share"},                                                 // checks across keys
  };
  int compared_with_overlay = 0;
  for (const auto& [base, key] : samples) {
    const auto keys = flatten(*base);
    const auto found = keys.find(key);
    const double current = found != keys.end() ? std::stod(found->second) : 0.0;
    const bool integer = found != keys.end() && found->second.find_first_of(".eEn") == std::string::npos;
    for (const double value : {current * 1.5 + 0.5, 0.25, 12.5, -1.0, 1.0e9 + 0.3, current, nan}) {
      if (std::isnan(value) && integer) continue;  // llround(nan) is unspecified
      INFO(key << " = " << value);
      const Outcome set = typed(*base, key, value);
      const Outcome reference = through_document(*base, key, value);
      CHECK(set.issues == reference.issues);
      CHECK(set.toml == reference.toml);
      if (key.find('[') == std::string::npos) {
        const Outcome overlay = through_overlay(*base, key, value);
        CHECK(set.issues == overlay.issues);
        CHECK(set.toml == overlay.toml);
        ++compared_with_overlay;
      }
    }
  }
  CHECK(compared_with_overlay > 50);
}

TEST_CASE("an integer key takes the value rounded half away from zero", "[config][numbers]") {
  Authority authority = default_authority();
  for (const auto& [value, cases] : std::vector<std::pair<double, std::int64_t>>{{12.4, 12}, {12.5, 13}, {-0.5, -1}}) {
    set_number(authority, "services.intensive_family_service.capacity_cases", value);
    CHECK(authority.services[5].name == "intensive_family_service");
    CHECK(authority.services[5].capacity_cases == cases);
  }
}

TEST_CASE("a schedule month is changed when the schedule has it and added when it does not", "[config][numbers]") {
  Authority authority = with_schedule();
  set_number(authority, "services.intensive_family_service.capacity_from_month.2026-04", 80);
  set_number(authority, "services.intensive_family_service.capacity_from_month.2027-01", 90);
  const auto& schedule = authority.services[5].capacity_from_month;
  CHECK(schedule == std::map<std::string, double>{{"2026-04", 80.0}, {"2027-01", 90.0}});
}

TEST_CASE("a key that is not numeric, or not in the configuration, is refused by name with the nearest numeric key",
          "[config][numbers]") {
  const Authority base = default_authority();
  const auto refused = [&](const std::string& key) {
    Authority authority = base;
    try {
      set_number(authority, key, 1.0);
    } catch (const ConfigError& error) {
      REQUIRE(error.issues().size() == 1);
      CHECK(to_toml(authority) == to_toml(base));  // nothing changed
      return error.issues().front();
    }
    FAIL(key << " was set");
    return ConfigIssue{};
  };
  const ConfigIssue misspelt = refused("services.intensive_family_service.capacity");
  CHECK(misspelt.key == "services.intensive_family_service.capacity");
  CHECK(misspelt.where.file.empty());
  CHECK(misspelt.message ==
        "is not a numeric key of this configuration (did you mean "
        "'services.intensive_family_service.capacity_cases'?)");
  for (const std::string key :
       {"services.intensive_family_service.label", "services.intensive_family_service.cashable",
        "services.family_hub.capacity_cases", "identification.probability_by_level[4]",
        "identification.probability_by_level", "identification.probability_by_level[1].x", "levels[9].initial_share",
        "levels[1]", "levels.initial_share", "services.intensive_family_service.capacity_from_month", "simulation", "",
        "population.families.x", "identification.probability_by_level[-1]", "identification.probability_by_level[]"})
    CHECK_THAT(refused(key).message, Contains("is not a numeric key of this configuration"));
}

TEST_CASE("numeric_keys lists every number, list element and table entry, each of which can be set",
          "[config][numbers]") {
  const Authority base = with_schedule();
  const auto keys = numeric_keys(base);
  for (const std::string key :
       {"population.families", "levels[3].down_hazard_per_month", "identification.probability_by_level[3]",
        "services.intensive_family_service.capacity_from_month.2026-04",
        "themes.cse.onset_multiplier_if_active.missing_school"})
    CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
  for (const auto& key : keys) {
    INFO(key);
    Authority authority = base;
    CHECK_NOTHROW(set_number(authority, key, 0.5));
    CHECK(key_bounds(key).has_value());
  }
  // Every number flatten shows is among them.
  for (const auto& [key, value] : flatten(base))
    if (!value.empty() && value.find_first_not_of("0123456789.eE+-") == std::string::npos)
      CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
}

TEST_CASE("the range of a list element or a schedule month is its key's", "[config][numbers][bounds]") {
  CHECK(key_bounds("identification.probability_by_level[2]")->max == 1.0);
  CHECK(key_bounds("services.x.capacity_from_month.2026-04")->max == 1.0e9);
  CHECK(key_bounds("risk.interactions.any.escalation_hazard_ratio")->exclusive_min);
  CHECK_FALSE(key_bounds("identification.probability_by_level").has_value());
  CHECK_FALSE(key_bounds("identification.probability_by_level[x]").has_value());
  CHECK_FALSE(key_bounds("services.x.capacity_from_month").has_value());
  CHECK_FALSE(key_bounds("levels.initial_share").has_value());
  CHECK_FALSE(key_bounds("services..capacity_cases").has_value());
}

TEST_CASE("validate names the key of every problem in a configuration changed in code, with no file or line",
          "[config][numbers]") {
  Authority authority = default_authority();
  authority.population.families = 0;
  authority.population.children_per_family_shares = {0.5, 0.25};
  authority.levels[1].up_hazard_per_month = -0.1;
  authority.risk.interactions[0].name = "Toxic Trio";
  authority.jumps.push_back(authority.jumps[0]);
  try {
    validate(authority);
    FAIL("validate accepted the changes");
  } catch (const ConfigError& error) {
    std::vector<std::string> formatted;
    for (const auto& issue : error.issues()) formatted.push_back(issue.format());
    CHECK(formatted ==
          std::vector<std::string>{
              "<configuration>: population.families: 0 is outside the allowed range [1, 100000000]",
              "<configuration>: levels[1].up_hazard_per_month: -0.1 is outside the allowed range >= 0.0",
              "<configuration>: risk.interactions.Toxic Trio: names use lower-case letters, digits and underscores, "
              "starting with a letter",
              "<configuration>: jumps: '" + authority.jumps[0].name + "' appears twice",
              "<configuration>: population.children_per_family_shares: shares add up to 0.75, not 1",
          });
  }
}

TEST_CASE("with_numbers says at which values, and in which scenario, a configuration fails", "[config][numbers]") {
  const Authority base = default_authority();
  try {
    (void)with_numbers(base, {"population.growth_per_year", "simulation.months"}, {0.9, 12});
    FAIL("with_numbers accepted growth of 90% a year");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].format() ==
          "<drawn values>: population.growth_per_year: 0.9 is outside the allowed range [-0.5, 0.5] (at the drawn "
          "values population.growth_per_year = 0.9;simulation.months = 12.0)");
  }
  const Authority drawn = with_numbers(base, {"identification.probability_by_level[1]"}, {0.07});
  CHECK(drawn.identification.probability_by_level[1] == 0.07);
  CHECK(differences(base, drawn).size() == 1);

  try {
    (void)with_numbers(base, {"levels[1].up_hazard_per_month"}, {-0.5}, "<option more>", "point 3 of the sweep:");
    FAIL("with_numbers accepted a negative hazard");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].format() ==
          "<option more>: levels[1].up_hazard_per_month: -0.5 is outside the allowed range >= 0.0 (at point 3 of "
          "the sweep: levels[1].up_hazard_per_month = -0.5)");
  }
}

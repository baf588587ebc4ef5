// The TableSpec machinery on a small struct of its own, so that these tests
// pin down parsing, errors, emitting and documenting independently of the
// authority's keys.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "config/schema.hpp"

namespace {

using namespace ehsim::config;

struct Pump {
  std::string name;
  double litres_per_minute = 0;
  bool operator==(const Pump&) const = default;
};

struct Stage {
  std::string label;
  std::int64_t workers = 0;
  bool operator==(const Stage&) const = default;
};

struct Site {
  std::string town;
  double altitude_m = 0;
  bool operator==(const Site&) const = default;
};

enum class Fuel { diesel, electric, hydrogen };

}  // namespace

template <>
struct ehsim::config::Choices<Fuel> {
  static constexpr std::string_view what = "a fuel";
  static constexpr std::array all{
      Choice<Fuel>{Fuel::diesel, "diesel", "burnt on site"},
      Choice<Fuel>{Fuel::electric, "electric", "from the grid"},
      Choice<Fuel>{Fuel::hydrogen, "hydrogen", "from the tank"},
  };
};

namespace {

struct Van {
  Fuel fuel = Fuel::diesel;
  Fuel spare_fuel = Fuel::diesel;
};

TableSpec<Van> van_spec() {
  TableSpec<Van> spec;
  spec.key("fuel", &Van::fuel, {.unit = "", .description = "What the van runs on."})
      .key("spare_fuel", &Van::spare_fuel,
           {.unit = "", .fallback = Fuel::electric, .description = "What the spare tank holds."});
  return spec;
}

struct ParsedVan {
  Van van;
  std::vector<ConfigIssue> issues;
};

ParsedVan parse_van(const std::string& text) {
  std::istringstream stream(text);
  const TomlValue document = toml::parse<toml::preserve_comments, std::map, std::vector>(stream, "van.toml");
  Diagnostics diagnostics;
  ParseContext ctx{diagnostics, {}};
  ParsedVan parsed;
  van_spec().parse(&document, parsed.van, ctx, "", {"van.toml", 0});
  parsed.issues = diagnostics.issues();
  return parsed;
}

struct Plant {
  std::int64_t staff = 0;
  double efficiency = 0;
  std::string owner;
  bool open = false;
  std::vector<double> weights;
  std::map<std::string, double> boosts;
  Site site;
  std::vector<Stage> stages;
  std::vector<Pump> pumps;
  bool operator==(const Plant&) const = default;
};

TableSpec<Site> site_spec() {
  TableSpec<Site> spec;
  spec.key("town", &Site::town, {.unit = "", .description = "Town of the plant."})
      .key("altitude_m", &Site::altitude_m,
           {.unit = "m", .fallback = 0.0, .bounds = at_least(0), .description = "Height above sea level."});
  return spec;
}

TableSpec<Stage> stage_spec() {
  TableSpec<Stage> spec;
  spec.key("label", &Stage::label, {.unit = "", .description = "Name of the stage."})
      .key("workers", &Stage::workers,
           {.unit = "people", .fallback = std::int64_t{1}, .bounds = at_least(1), .description = "Crew."});
  return spec;
}

TableSpec<Pump> pump_spec() {
  TableSpec<Pump> spec;
  spec.key("litres_per_minute", &Pump::litres_per_minute,
           {.unit = "l/min", .bounds = above(0), .description = "Flow of the pump."});
  return spec;
}

const TableSpec<Plant>& plant_spec() {
  static const TableSpec<Plant> spec = [] {
    TableSpec<Plant> root;
    root.key("staff", &Plant::staff, {.unit = "people", .bounds = between(1, 100), .description = "Staff on site."})
        .key("efficiency", &Plant::efficiency,
             {.unit = "share", .fallback = 0.9, .bounds = probability(), .description = "Share of input kept."})
        .key("owner", &Plant::owner, {.unit = "", .fallback = std::string("council"), .description = "Owner."})
        .key("open", &Plant::open, {.unit = "", .fallback = true, .description = "Whether the plant runs."})
        .key("weights", &Plant::weights,
             {.unit = "share",
              .fallback = std::vector<double>{1.0},
              .bounds = probability(),
              .description = "Weight of each input."})
        .key("boosts", &Plant::boosts,
             {.unit = "ratio",
              .fallback = std::map<std::string, double>{},
              .bounds = above(0),
              .description = "Multiplier by input."})
        .table("site", &Plant::site, site_spec(), "Where the plant is.")
        .table_array("stages", &Plant::stages, stage_spec(), "Stages in order.")
        .named_tables("pumps", &Plant::pumps, pump_spec(), "Pumps by name.");
    return root;
  }();
  return spec;
}

struct Parsed {
  Plant plant;
  std::vector<ConfigIssue> issues;
};

Parsed parse_plant(const std::string& text) {
  std::istringstream stream(text);
  const TomlValue document = toml::parse<toml::preserve_comments, std::map, std::vector>(stream, "plant.toml");
  Diagnostics diagnostics;
  ParseContext ctx{diagnostics, {}};
  Parsed parsed;
  plant_spec().parse(&document, parsed.plant, ctx, "", {"plant.toml", 0});
  parsed.issues = diagnostics.issues();
  return parsed;
}

// A plant that is refused: its text and the one issue it gives, in plant.toml.
struct Refusal {
  std::string name;  // what the row shows
  std::string text;
  std::uint32_t line = 0;  // 0: the key is absent and so is its table
  std::string key;
  std::string message;
};

// Each row in a section of its own, named by the row.
void check_refusals(const std::vector<Refusal>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.name);
  std::sort(names.begin(), names.end());
  REQUIRE(std::adjacent_find(names.begin(), names.end()) == names.end());  // sections are told apart by name
  for (const auto& row : rows) {
    SECTION(row.name) {
      INFO(row.text);
      const Parsed parsed = parse_plant(row.text);
      REQUIRE(parsed.issues.size() == 1);
      const ConfigIssue& issue = parsed.issues.front();
      CHECK(issue.where.file == "plant.toml");
      CHECK(issue.where.line == row.line);
      CHECK(issue.key == row.key);
      CHECK(issue.message == row.message);
    }
  }
}

// Built member by member: GCC 12 warns (maybe-uninitialized) on a nested braced ConfigIssue.
ConfigIssue make_issue(const std::string& file, std::uint32_t line, const std::string& key,
                       const std::string& message) {
  ConfigIssue issue;
  issue.where.file = file;
  issue.where.line = line;
  issue.key = key;
  issue.message = message;
  return issue;
}

// Staff and the site's town are the only required keys.
const std::string minimal = "staff = 3\n[site]\ntown = \"Leeds\"\n";

}  // namespace

TEST_CASE("a minimal table parses without issues and absent keys take their fallbacks", "[config]") {
  const Parsed parsed = parse_plant(minimal);
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant.staff == 3);
  CHECK(parsed.plant.efficiency == 0.9);
  CHECK(parsed.plant.owner == "council");
  CHECK(parsed.plant.open);
  CHECK(parsed.plant.weights == std::vector<double>{1.0});
  CHECK(parsed.plant.boosts.empty());
  CHECK(parsed.plant.site.town == "Leeds");
  CHECK(parsed.plant.site.altitude_m == 0.0);
  CHECK(parsed.plant.stages.empty());
  CHECK(parsed.plant.pumps.empty());
}

TEST_CASE("a given key overrides its fallback", "[config]") {
  const Parsed parsed = parse_plant("efficiency = 0.5\nopen = false\n" + minimal);
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant.efficiency == 0.5);
  CHECK_FALSE(parsed.plant.open);
}

TEST_CASE("a float key accepts an integer", "[config]") {
  const Parsed parsed = parse_plant("efficiency = 1\n" + minimal);
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant.efficiency == 1.0);
}

TEST_CASE("the edges of a range are allowed, and just above an exclusive minimum", "[config]") {
  CHECK(parse_plant("efficiency = 0.0\n" + minimal).issues.empty());
  CHECK(parse_plant("efficiency = 1.0\n" + minimal).issues.empty());
  CHECK(parse_plant("staff = 100\n[site]\ntown = \"Leeds\"\n").issues.empty());
  CHECK(parse_plant(minimal + "[pumps.main]\nlitres_per_minute = 0.001\n").issues.empty());
}

TEST_CASE("a table of numbers reads each entry by its name", "[config]") {
  const Parsed parsed = parse_plant("boosts = { wind = 2.0, sun = 1 }\n" + minimal);
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant.boosts == std::map<std::string, double>{{"sun", 1.0}, {"wind", 2.0}});
}

TEST_CASE("a missing, mistyped, out-of-range or unknown key is reported at its line with its dotted key", "[config]") {
  const std::string names_use = "names use lower-case letters, digits and underscores, starting with a letter";
  check_refusals({
      // Required keys.
      {"a missing required key is reported with its dotted key", "[site]\ntown = \"Leeds\"\n", 0, "staff",
       "required key is missing"},
      {"a missing required key in a sub-table is reported with its dotted key", "staff = 3\n[site]\naltitude_m = 10\n",
       2, "site.town", "required key is missing"},
      {"a missing required key in a sub-table names the line of the table's header",
       "staff = 3\n\n[site]\naltitude_m = 10\n", 3, "site.town", "required key is missing"},
      // Types.
      {"a float in a sub-table given a string", minimal + "altitude_m = \"high\"\n", 4, "site.altitude_m",
       "expected a number"},
      {"a float given a string", "efficiency = \"high\"\n" + minimal, 1, "efficiency", "expected a number"},
      {"a boolean given a number", "open = 1\n" + minimal, 1, "open", "expected true or false"},
      {"a string given a number", "owner = 7\n" + minimal, 1, "owner", "expected a string"},
      {"a list given a number", "\nweights = 0.5\n" + minimal, 2, "weights", "expected a list of float"},
      {"a table of numbers given a number", "boosts = 2.0\n" + minimal, 1, "boosts",
       "expected a table of numbers, e.g. { name = 2.0 }"},
      {"a sub-table given a number", "staff = 3\nsite = 4\n", 2, "site", "expected a table"},
      {"an integer key given a float is an error, not a silent truncation", "staff = 3.5\n[site]\ntown = \"Leeds\"\n",
       1, "staff", "expected a whole number"},
      {"an integer key given a whole float is an error too", "staff = 3.0\n[site]\ntown = \"Leeds\"\n", 1, "staff",
       "expected a whole number"},
      {"a list element of the wrong type is reported by its 1-based position", "weights = [0.5, \"x\"]\n" + minimal, 1,
       "weights", "list element 2: expected a number"},
      {"an entry of a table of numbers of the wrong type is reported by its name",
       "boosts = { wind = \"x\" }\n" + minimal, 1, "boosts", "wind: expected a number"},
      {"a table array given as something else is rejected", "stages = 3\n" + minimal, 1, "stages",
       "expected a list of tables ([[stages]] sections)"},
      // Ranges.
      {"a value above its bounds is reported with the allowed range", "efficiency = 1.5\n" + minimal, 1, "efficiency",
       "1.5 is outside the allowed range [0.0, 1.0]"},
      {"a value below a minimum is reported with the allowed range", minimal + "altitude_m = -2\n", 4,
       "site.altitude_m", "-2.0 is outside the allowed range >= 0.0"},
      {"a value at an exclusive minimum is outside the range", minimal + "\n[pumps.main]\nlitres_per_minute = 0\n", 6,
       "pumps.main.litres_per_minute", "0.0 is outside the allowed range > 0.0"},
      {"an integer above its bounds is reported with the allowed range", "staff = 101\n[site]\ntown = \"Leeds\"\n", 1,
       "staff", "101 is outside the allowed range [1, 100]"},
      {"an integer below its bounds is reported with the allowed range", "staff = 0\n[site]\ntown = \"Leeds\"\n", 1,
       "staff", "0 is outside the allowed range [1, 100]"},
      {"an infinite number is outside every range", minimal + "altitude_m = inf\n", 4, "site.altitude_m",
       "inf is outside the allowed range >= 0.0"},
      {"not a number is outside every range", minimal + "altitude_m = nan\n", 4, "site.altitude_m",
       "nan is outside the allowed range >= 0.0"},
      {"a list element outside the bounds is an error for the whole list", "weights = [0.5, 1.5]\n" + minimal, 1,
       "weights", "entry 2, 1.5, is outside the allowed range [0.0, 1.0]"},
      {"an entry of a table of numbers outside the bounds is an error for the whole table",
       "boosts = { wind = 0.0 }\n" + minimal, 1, "boosts", "entry 1, 0.0, is outside the allowed range > 0.0"},
      // Unknown keys.
      {"an unknown key is reported with its line and a suggestion",
       "staff = 3\neficiency = 0.5\n[site]\ntown = \"Leeds\"\n", 2, "eficiency",
       "unknown key (did you mean 'efficiency'?)"},
      {"an unknown key in a sub-table is reported with its line and a suggestion", minimal + "altitude = 5\n", 4,
       "site.altitude", "unknown key (did you mean 'altitude_m'?)"},
      {"an unknown key far from every known key gets no suggestion",
       "staff = 3\ncolour_of_the_front_door = 1\n[site]\ntown = \"Leeds\"\n", 2, "colour_of_the_front_door",
       "unknown key"},
      // Named tables and table arrays.
      {"a named table whose name has capitals is rejected at its line",
       minimal + "[pumps.Main]\nlitres_per_minute = 2\n", 4, "pumps.Main", names_use},
      {"a named table whose name has a space is rejected at its line",
       minimal + "[pumps.\"big pump\"]\nlitres_per_minute = 2\n", 4, "pumps.big pump", names_use},
      {"a named table whose name starts with a digit is rejected at its line",
       minimal + "[pumps.2nd]\nlitres_per_minute = 2\n", 4, "pumps.2nd", names_use},
      {"an unknown key inside a named table names the table in its key",
       minimal + "[pumps.main]\nlitres_per_mnute = 2\nlitres_per_minute = 2\n", 5, "pumps.main.litres_per_mnute",
       "unknown key (did you mean 'litres_per_minute'?)"},
      {"a missing key inside a named table names the table in its key", minimal + "\n[pumps.main]\n", 5,
       "pumps.main.litres_per_minute", "required key is missing"},
      {"an issue inside a table array names the element by its 0-based index",
       minimal + "[[stages]]\nlabel = \"wash\"\n[[stages]]\nlabel = \"dry\"\nworkers = 0\n", 8, "stages[1].workers",
       "0 is outside the allowed range >= 1"},
      {"a missing key inside a table array names the element by its 0-based index",
       minimal + "[[stages]]\nlabel = \"wash\"\n[[stages]]\nworkers = 2\n", 6, "stages[1].label",
       "required key is missing"},
  });
}

TEST_CASE("every problem in a table is reported, each at its own line", "[config]") {
  const Parsed parsed = parse_plant(
      "staff = 3.5\n"     // 1
      "efficiency = 2\n"  // 2
      "ownr = \"x\"\n"    // 3
      "[site]\n"          // 4
      "town = 5\n");      // 5
  REQUIRE(parsed.issues.size() == 4);
  std::vector<std::string> lines;
  for (const auto& issue : parsed.issues) lines.push_back(issue.format());
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{
                     "plant.toml:1: staff: expected a whole number",
                     "plant.toml:2: efficiency: 2.0 is outside the allowed range [0.0, 1.0]",
                     "plant.toml:3: ownr: unknown key (did you mean 'owner'?)",
                     "plant.toml:5: site.town: expected a string",
                 });
}

// Parses a valid plant and keeps the context, to ask where keys were found.
struct Positions {
  std::unique_ptr<Diagnostics> diagnostics = std::make_unique<Diagnostics>();
  std::unique_ptr<ParseContext> ctx;
};
Positions positions_after_parsing(const std::string& text) {
  std::istringstream stream(text);
  const TomlValue document = toml::parse<toml::preserve_comments, std::map, std::vector>(stream, "plant.toml");
  Positions result;
  result.ctx = std::make_unique<ParseContext>(ParseContext{*result.diagnostics, {}});
  result.ctx->positions[""] = {"plant.toml", 0};
  Plant plant;
  plant_spec().parse(&document, plant, *result.ctx, "", {"plant.toml", 0});
  REQUIRE(result.diagnostics->empty());
  return result;
}

TEST_CASE("the positions of the keys given are recorded for later checks", "[config]") {
  const auto positions =
      positions_after_parsing("staff = 3\n\n[site]\ntown = \"Leeds\"\n\n[pumps.main]\nlitres_per_minute = 4\n");
  const ParseContext& ctx = *positions.ctx;
  CHECK(ctx.position("site.town").line == 4);
  CHECK(ctx.position("pumps.main.litres_per_minute").line == 7);
  // An absent key falls back to its nearest enclosing table that was given.
  CHECK(ctx.position("pumps.main.colour").line == 6);
  CHECK(ctx.position("efficiency").file == "plant.toml");
  CHECK(ctx.position("efficiency").line == 0);
}

TEST_CASE("a later check on an absent key in a sub-table points at the sub-table's header", "[config]") {
  const auto positions = positions_after_parsing("staff = 3\n\n[site]\ntown = \"Leeds\"\n");
  const ParseContext& ctx = *positions.ctx;
  CHECK(ctx.position("site.altitude_m").line == 3);
}

TEST_CASE("named tables take their name from the key, sorted by name", "[config]") {
  const Parsed parsed =
      parse_plant(minimal + "[pumps.west]\nlitres_per_minute = 2\n[pumps.east]\nlitres_per_minute = 3\n");
  REQUIRE(parsed.issues.empty());
  REQUIRE(parsed.plant.pumps.size() == 2);
  CHECK(parsed.plant.pumps[0] == Pump{"east", 3.0});
  CHECK(parsed.plant.pumps[1] == Pump{"west", 2.0});
}

TEST_CASE("a table array keeps the order of its tables", "[config]") {
  const Parsed parsed = parse_plant(minimal +
                                    "[[stages]]\nlabel = \"wash\"\n"
                                    "[[stages]]\nlabel = \"dry\"\nworkers = 4\n"
                                    "[[stages]]\nlabel = \"bag\"\n");
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant.stages == std::vector<Stage>{{"wash", 1}, {"dry", 4}, {"bag", 1}});
}

TEST_CASE("emitting a table and parsing it again gives the same struct", "[config]") {
  Plant plant;
  plant.staff = 42;
  plant.efficiency = 0.1 + 0.2;  // not exactly 0.3: every digit must survive
  plant.owner = "Quote \" backslash \\ tab \t newline \n caf\xc3\xa9";
  plant.open = false;
  plant.weights = {0.25, 1e-9, 1.0};
  plant.boosts = {{"sun", 1.5}, {"wind", 3.0}};
  plant.site = {"Hull", 12.75};
  plant.stages = {{"wash", 2}, {"dry", 1}};
  plant.pumps = {{"east", 3.0}, {"west", 2.5}};

  std::string text;
  plant_spec().emit(plant, "", text);
  const Parsed parsed = parse_plant(text);
  INFO(text);
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.plant == plant);

  std::string again;
  plant_spec().emit(parsed.plant, "", again);
  CHECK(again == text);
}

TEST_CASE("emit writes plain keys first, then each sub-table under its header", "[config]") {
  const Parsed parsed = parse_plant(minimal + "[[stages]]\nlabel = \"wash\"\n[pumps.east]\nlitres_per_minute = 3\n");
  REQUIRE(parsed.issues.empty());
  std::string text;
  plant_spec().emit(parsed.plant, "", text);
  CHECK(text ==
        "staff = 3\n"
        "efficiency = 0.9\n"
        "owner = \"council\"\n"
        "open = true\n"
        "weights = [1.0]\n"
        "boosts = {}\n"
        "\n[site]\n"
        "town = \"Leeds\"\n"
        "altitude_m = 0.0\n"
        "\n[[stages]]\n"
        "label = \"wash\"\n"
        "workers = 1\n"
        "\n[pumps.east]\n"
        "litres_per_minute = 3.0\n");
}

TEST_CASE("document lists every key with its type, unit, default and range", "[config]") {
  std::vector<KeyDoc> docs;
  plant_spec().document(docs, "");
  std::vector<std::string> keys;
  for (const auto& doc : docs) keys.push_back(doc.key);
  CHECK(keys == std::vector<std::string>{"staff", "efficiency", "owner", "open", "weights", "boosts", "site",
                                         "site.town", "site.altitude_m", "stages[]", "stages[].label",
                                         "stages[].workers", "pumps.<name>", "pumps.<name>.litres_per_minute"});

  const auto doc_of = [&docs](const std::string& key) {
    const auto found = std::find_if(docs.begin(), docs.end(), [&](const KeyDoc& d) { return d.key == key; });
    REQUIRE(found != docs.end());
    return *found;
  };
  const KeyDoc staff = doc_of("staff");
  CHECK(staff.type == "integer");
  CHECK(staff.unit == "people");
  CHECK(staff.default_value == "required");
  CHECK(staff.description == "Staff on site.");

  const KeyDoc efficiency = doc_of("efficiency");
  CHECK(efficiency.type == "float");
  CHECK(efficiency.unit == "share");
  CHECK(efficiency.default_value == "0.9");
  CHECK(efficiency.allowed == "[0.0, 1.0]");

  CHECK(doc_of("owner").type == "string");
  CHECK(doc_of("owner").default_value == "\"council\"");
  CHECK(doc_of("owner").allowed.empty());
  CHECK(doc_of("open").type == "boolean");
  CHECK(doc_of("open").default_value == "true");
  CHECK(doc_of("weights").type == "list of float");
  CHECK(doc_of("weights").default_value == "[1.0]");
  CHECK(doc_of("boosts").type == "table of float");
  CHECK(doc_of("boosts").default_value == "{}");
  CHECK(doc_of("boosts").allowed == "> 0.0");
  CHECK(doc_of("site").type == "table");
  CHECK(doc_of("site").description == "Where the plant is.");
  CHECK(doc_of("site.altitude_m").unit == "m");
  CHECK(doc_of("site.altitude_m").allowed == ">= 0.0");
  CHECK(doc_of("stages[]").type == "list of tables");
  CHECK(doc_of("stages[].workers").default_value == "1");
  CHECK(doc_of("pumps.<name>").type == "named tables");
  CHECK(doc_of("pumps.<name>.litres_per_minute").unit == "l/min");
  CHECK(doc_of("pumps.<name>.litres_per_minute").default_value == "required");
}

TEST_CASE("an issue is formatted as file:line: key: message, leaving out what is unknown", "[config]") {
  CHECK(make_issue("a.toml", 7, "x.y", "bad").format() == "a.toml:7: x.y: bad");
  CHECK(make_issue("a.toml", 0, "x.y", "bad").format() == "a.toml: x.y: bad");
  CHECK(make_issue("a.toml", 3, "", "bad").format() == "a.toml:3: bad");
  CHECK(make_issue("", 0, "x", "bad").format() == "<configuration>: x: bad");
}

TEST_CASE("a ConfigError's message lists every issue, one a line", "[config]") {
  const ConfigError error({make_issue("a.toml", 1, "x", "one"), make_issue("a.toml", 2, "y", "two")});
  CHECK(std::string(error.what()) == "a.toml:1: x: one\na.toml:2: y: two");
  CHECK(error.issues().size() == 2);
}

TEST_CASE("closest_name suggests only a near match", "[config]") {
  CHECK(closest_name("familes", {"families", "months"}) == "families");
  CHECK(closest_name("zzzzzz", {"families", "months"}).empty());
}

TEST_CASE("format_number writes the shortest text that reads back as the same float", "[config]") {
  CHECK(format_number(2.0) == "2.0");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(-0.5) == "-0.5");
  const double third = 1.0 / 3.0;
  CHECK(std::stod(format_number(third)) == third);
}

TEST_CASE("a key of a fixed set of words reads each word into its enumeration value", "[config]") {
  const ParsedVan parsed = parse_van("fuel = \"hydrogen\"\n");
  REQUIRE(parsed.issues.empty());
  CHECK(parsed.van.fuel == Fuel::hydrogen);
  CHECK(parsed.van.spare_fuel == Fuel::electric);
}

TEST_CASE("a word outside the set is refused at its line, listing the allowed words and the nearest", "[config]") {
  const auto only = [](const std::string& text) {
    const ParsedVan parsed = parse_van(text);
    REQUIRE(parsed.issues.size() == 1);
    return parsed.issues.front().format();
  };
  CHECK(only("\nfuel = \"electrc\"\n") ==
        "van.toml:2: fuel: 'electrc' is not a fuel: diesel, electric or hydrogen (did you mean 'electric'?)");
  CHECK(only("fuel = \"coal\"\n") == "van.toml:1: fuel: 'coal' is not a fuel: diesel, electric or hydrogen");
  CHECK(only("fuel = \"Diesel\"\n") ==
        "van.toml:1: fuel: 'Diesel' is not a fuel: diesel, electric or hydrogen (did you mean 'diesel'?)");
  CHECK(only("fuel = 3\n") == "van.toml:1: fuel: expected a string");
}

TEST_CASE("a word of a fixed set is written and documented by its name", "[config]") {
  Van van;
  van.fuel = Fuel::electric;
  van.spare_fuel = Fuel::hydrogen;
  std::string text;
  van_spec().emit(van, "", text);
  CHECK(text == "fuel = \"electric\"\nspare_fuel = \"hydrogen\"\n");
  std::vector<KeyDoc> docs;
  van_spec().document(docs, "");
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].type == "string");
  CHECK(docs[0].default_value == "required");
  CHECK(docs[0].allowed == "diesel, electric or hydrogen");
  CHECK(docs[0].choices == std::vector<std::pair<std::string, std::string>>{{"diesel", "burnt on site"},
                                                                            {"electric", "from the grid"},
                                                                            {"hydrogen", "from the tank"}});
  CHECK(docs[1].default_value == "\"electric\"");
  CHECK(name_of(Fuel::hydrogen) == "hydrogen");
  CHECK(from_name<Fuel>("diesel") == Fuel::diesel);
  CHECK_FALSE(from_name<Fuel>("petrol").has_value());
}

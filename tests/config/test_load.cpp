// Loading an authority: the embedded default, `extends`, the resolved TOML,
// and every error a configuration can carry, each with its file, line and key
// (tables of rows, one section each, further down).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config/load.hpp"
#include "support.hpp"

namespace {

using namespace ehsim::config;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using ehsim::testing::read_text;
using ehsim::testing::source_path;
using ehsim::testing::TempDir;

std::string default_config_path() { return source_path("configs/default.toml").string(); }

// A file whose first line extends the default; `body` starts on line 2.
std::filesystem::path extending_default(const TempDir& dir, const std::string& body,
                                        const std::string& name = "authority.toml") {
  return dir.file(name, "extends = " + quote_string(default_config_path()) + "\n" + body);
}

// A standalone authority with two levels and no themes or jumps, for the
// checks that the default's themes and jumps would otherwise drown.
const std::string two_level_authority =
    "[population]\n"
    "families = 100\n"
    "children_per_family_shares = [1.0]\n"
    "move_away_hazard_per_month = 0.0\n"
    "birth_hazard_per_month = 0.0\n"
    "\n"
    "[[levels]]\n"
    "name = \"low\"\n"
    "initial_share = 0.75\n"
    "up_hazard_per_month = 0.1\n"
    "down_hazard_per_month = 0.0\n"
    "\n"
    "[[levels]]\n"
    "name = \"high\"\n"
    "initial_share = 0.25\n"
    "up_hazard_per_month = 0.0\n"
    "down_hazard_per_month = 0.1\n";

std::vector<ConfigIssue> issues_loading(const std::filesystem::path& path, const Overrides& overrides = {}) {
  try {
    (void)load_authority_file(path, overrides);
  } catch (const ConfigError& error) {
    return error.issues();
  }
  FAIL("loading " << path << " succeeded, but an error was expected");
  return {};
}

// The one issue loading `path` gives, as "file:line: key: message".
std::string only_issue(const std::filesystem::path& path) {
  const auto issues = issues_loading(path);
  INFO(read_text(path));
  REQUIRE(issues.size() == 1);
  return issues.front().format();
}

// 1-based line of the `occurrence`-th line of `text` that contains `needle`.
int line_of(const std::string& text, const std::string& needle, int occurrence = 1) {
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (text.substr(start, end - start).find(needle) != std::string::npos && --occurrence == 0) return line;
    start = end + 1;
    ++line;
  }
  FAIL("'" << needle << "' does not occur in the text");
  return 0;
}

// "file:line: ", the start of an issue found at that line of that file.
std::string at(const std::filesystem::path& file, int line) {
  return file.string() + ":" + std::to_string(line) + ": ";
}

struct LevelRow {
  std::string name;
  double initial_share = 0;
  double up_hazard_per_month = 0;
  double down_hazard_per_month = 0;
};

// The default's four level names (its themes and jump refer to them), with
// shares that sum to exactly 1 in binary.
std::vector<LevelRow> four_levels() {
  return {{"universal", 0.5, 0.01, 0.0},
          {"additional", 0.25, 0.02, 0.03},
          {"complex", 0.125, 0.04, 0.05},
          {"acute", 0.125, 0.0, 0.06}};
}

std::string levels_toml(const std::vector<LevelRow>& levels) {
  std::string text;
  for (const auto& level : levels)
    text += "\n[[levels]]\nname = " + quote_string(level.name) +
            "\ninitial_share = " + format_number(level.initial_share) +
            "\nup_hazard_per_month = " + format_number(level.up_hazard_per_month) +
            "\ndown_hazard_per_month = " + format_number(level.down_hazard_per_month) + "\n";
  return text;
}

// A file that builds on the default, `body` starting on line 2.
std::string over_default(const std::string& body) {
  return "extends = " + quote_string(default_config_path()) + "\n" + body;
}

// A file that builds on base.toml (the two-level authority unless a row says
// otherwise), `body` starting on line 2.
std::string over_base(const std::string& body) { return "extends = \"base.toml\"\n" + body; }

// Lines 2-10 of an authority with one early help service behind a front door.
const std::string early_help_service =
    "[front_door]\n"
    "route_by_level = [\"\", \"early_help\", \"\", \"\"]\n"
    "triage_capacity_per_month = 100\n"
    "[identification]\n"
    "probability_by_level = [0.0, 0.05, 0.0, 0.0]\n"
    "[services.early_help]\n"
    "levels = [\"additional\"]\n"
    "duration_mean_months = 6\n"
    "kind = \"early_help\"\n";

// The file an expected issue names: the one loaded, the base.toml beside it,
// or configs/default.toml.
enum class In { file, base, default_config };
// How an expected message is compared: whole, by how it starts, or by a part.
enum class Match { whole, start, part };

struct Expected {
  In in = In::file;
  int line = 0;              // or, when line_holding is given, the line holding it
  std::string line_holding;  // text the line holds
  int occurrence = 1;        // of line_holding
  std::string key;
  std::string message;
  Match match = Match::whole;
};

// A configuration refused: its file (written as authority.toml beside
// base.toml) and the issues loading it gives, in order.
struct Refusal {
  std::string name;  // what the row shows
  std::string text;
  std::vector<Expected> issues;
  bool more_may_follow = false;  // the issues listed come first; consequences of them may follow
  std::string base = two_level_authority;
};

// Each row in a section of its own, named by the row: every issue's file,
// line, key and message as the row expects.
void check_refusals(const std::vector<Refusal>& rows) {
  std::vector<std::string> names;
  for (const auto& row : rows) names.push_back(row.name);
  std::sort(names.begin(), names.end());
  REQUIRE(std::adjacent_find(names.begin(), names.end()) == names.end());  // sections are told apart by name
  for (const auto& row : rows) {
    SECTION(row.name) {
      TempDir dir;
      const auto base = dir.file("base.toml", row.base);
      const auto file = dir.file("authority.toml", row.text);
      INFO(row.text);
      const auto issues = issues_loading(file);
      if (row.more_may_follow)
        REQUIRE(issues.size() >= row.issues.size());
      else
        REQUIRE(issues.size() == row.issues.size());
      for (std::size_t i = 0; i < row.issues.size(); ++i) {
        const Expected& expected = row.issues[i];
        const ConfigIssue& issue = issues[i];
        INFO("issue " << i << ": " << issue.format());
        const std::filesystem::path where = expected.in == In::file   ? file
                                            : expected.in == In::base ? base
                                                                      : std::filesystem::path(default_config_path());
        const int line = expected.line_holding.empty()
                             ? expected.line
                             : line_of(read_text(where), expected.line_holding, expected.occurrence);
        CHECK(issue.where.file == where.string());
        CHECK(issue.where.line == static_cast<std::uint32_t>(line));
        CHECK(issue.key == expected.key);
        if (expected.match == Match::whole) CHECK(issue.message == expected.message);
        if (expected.match == Match::start) CHECK_THAT(issue.message, StartsWith(expected.message));
        if (expected.match == Match::part) CHECK_THAT(issue.message, Contains(expected.message));
      }
    }
  }
}

// A configuration at the edge of a check, which loads.
struct Accepted {
  std::string name;
  std::string text;
};

void check_accepted(const std::vector<Accepted>& rows) {
  for (const auto& row : rows) {
    SECTION(row.name) {
      TempDir dir;
      (void)dir.file("base.toml", two_level_authority);
      const auto file = dir.file("authority.toml", row.text);
      INFO(row.text);
      CHECK_NOTHROW(load_authority_file(file));
    }
  }
}

}  // namespace

// --- The default and the resolved configuration -----------------------------

TEST_CASE("the embedded default is configs/default.toml", "[config]") {
  const Authority embedded = default_authority();
  CHECK(embedded.name == "Default authority");
  CHECK(default_authority_text() == read_text(source_path("configs/default.toml")));
  CHECK(to_toml(embedded) == to_toml(load_authority_file(source_path("configs/default.toml"))));
}

TEST_CASE("the resolved TOML of the default loads back to the same configuration", "[config]") {
  const std::string resolved = to_toml(default_authority());
  CHECK(to_toml(load_authority_text(resolved, "resolved.toml")) == resolved);
}

TEST_CASE("the resolved TOML keeps every digit and awkward characters in strings", "[config]") {
  Authority authority = default_authority();
  authority.name = "Quote \" backslash \\ tab \t newline \n return \r caf\xc3\xa9";
  authority.population.growth_per_year = 0.1 + 0.2;  // 0.30000000000000004
  authority.levels[0].up_hazard_per_month = 1.0 / 3.0;
  const std::string resolved = to_toml(authority);
  const Authority loaded = load_authority_text(resolved, "resolved.toml");
  CHECK(loaded.name == authority.name);
  CHECK(loaded.population.growth_per_year == authority.population.growth_per_year);
  CHECK(loaded.levels[0].up_hazard_per_month == authority.levels[0].up_hazard_per_month);
  CHECK(to_toml(loaded) == resolved);
}

TEST_CASE("the resolved TOML escapes every control character, DEL included", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "description = \"a\\u007fb\"\n");
  const Authority authority = load_authority_file(file);
  REQUIRE(authority.description ==
          "a\x7f"
          "b");
  CHECK_NOTHROW(load_authority_text(to_toml(authority), "resolved.toml"));
}

TEST_CASE("the resolved TOML leaves out extends: it is already applied", "[config]") {
  TempDir dir;
  const Authority authority = load_authority_file(extending_default(dir, "name = \"Overlay\"\n"));
  CHECK(authority.extends.empty());
  CHECK_THAT(to_toml(authority), !Contains("extends ="));
}

TEST_CASE("validate accepts the default and rejects an authority changed out of range in code", "[config]") {
  CHECK_NOTHROW(validate(default_authority()));

  Authority authority = default_authority();
  authority.population.families = 0;
  try {
    validate(authority);
    FAIL("validate accepted 0 families");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues().front().key == "population.families");
    CHECK_THAT(error.issues().front().message, Contains("outside the allowed range"));
  }
}

TEST_CASE("validate runs the checks across keys", "[config]") {
  Authority authority = default_authority();
  authority.levels[0].initial_share = 0.5;
  try {
    validate(authority);
    FAIL("validate accepted level shares that do not sum to 1");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues().front().key == "levels");
  }
}

TEST_CASE("docs/configuration.md is the current configuration reference", "[config]") {
  // Regenerate with: build/ehsim schema --markdown > docs/configuration.md
  CHECK(read_text(source_path("docs/configuration.md")) == configuration_reference_markdown());
}

TEST_CASE("the configuration reference documents every key once", "[config]") {
  const auto docs = configuration_reference();
  std::vector<std::string> keys;
  for (const auto& doc : docs) keys.push_back(doc.key);
  for (const std::string key :
       {"population.families", "simulation.months", "levels[].initial_share", "themes.<name>.prevalence_by_level",
        "risk.interactions.<name>.themes", "jumps.<name>.to_level"})
    CHECK(std::count(keys.begin(), keys.end(), key) == 1);
  const auto months =
      std::find_if(docs.begin(), docs.end(), [](const KeyDoc& d) { return d.key == "simulation.months"; });
  REQUIRE(months != docs.end());
  CHECK(months->type == "integer");
  CHECK(months->unit == "months");
  CHECK(months->default_value == "120");
}

TEST_CASE("an authority with three levels loads", "[config]") {
  TempDir dir;
  const auto file = dir.file("three.toml",
                             "[population]\n"
                             "families = 1000\n"
                             "children_per_family_shares = [0.5, 0.5]\n"
                             "move_away_hazard_per_month = 0.01\n"
                             "birth_hazard_per_month = 0.01\n"
                             "[[levels]]\nname = \"low\"\ninitial_share = 0.75\n"
                             "up_hazard_per_month = 0.01\ndown_hazard_per_month = 0.0\n"
                             "[[levels]]\nname = \"middle\"\ninitial_share = 0.125\n"
                             "up_hazard_per_month = 0.02\ndown_hazard_per_month = 0.05\n"
                             "[[levels]]\nname = \"high\"\ninitial_share = 0.125\n"
                             "up_hazard_per_month = 0.0\ndown_hazard_per_month = 0.04\n"
                             "[themes.debt]\n"
                             "prevalence_by_level = [0.1, 0.2, 0.3]\n"
                             "onset_hazard_per_month = 0.01\n"
                             "remission_hazard_per_month = 0.05\n"
                             "[jumps.eviction]\n"
                             "from_level = \"low\"\nto_level = \"high\"\ntheme = \"debt\"\nhazard_per_month = 0.001\n");
  const Authority authority = load_authority_file(file);
  REQUIRE(authority.levels.size() == 3);
  CHECK(authority.levels[1].name == "middle");
  REQUIRE(authority.themes.size() == 1);
  CHECK(authority.themes[0].prevalence_by_level == std::vector<double>{0.1, 0.2, 0.3});
  REQUIRE(authority.jumps.size() == 1);
  CHECK(authority.jumps[0].to_level == "high");
}

// --- extends ----------------------------------------------------------------

TEST_CASE("extends merges tables key by key", "[config]") {
  TempDir dir;
  const Authority base = default_authority();
  const Authority authority = load_authority_file(extending_default(dir, "[simulation]\nmonths = 12\n"));
  CHECK(authority.simulation.months == 12);
  CHECK(authority.simulation.seed == base.simulation.seed);
  CHECK(authority.simulation.start_month == base.simulation.start_month);
  CHECK(authority.population.families == base.population.families);
}

TEST_CASE("extends merges a named table key by key and keeps the others", "[config]") {
  TempDir dir;
  const Authority base = default_authority();
  const Authority authority =
      load_authority_file(extending_default(dir, "[themes.cse]\nescalation_hazard_ratio = 3.5\n"));
  REQUIRE(authority.themes.size() == base.themes.size());
  for (std::size_t j = 0; j < base.themes.size(); ++j) {
    const ThemeConfig& theme = authority.themes[j];
    REQUIRE(theme.name == base.themes[j].name);
    CHECK(theme.label == base.themes[j].label);
    CHECK(theme.prevalence_by_level == base.themes[j].prevalence_by_level);
    CHECK(theme.escalation_hazard_ratio == (theme.name == "cse" ? 3.5 : base.themes[j].escalation_hazard_ratio));
  }
}

TEST_CASE("extends can add a named table", "[config]") {
  TempDir dir;
  const Authority authority = load_authority_file(extending_default(
      dir, "[jumps.neglect_crisis]\nfrom_level = \"universal\"\nto_level = \"complex\"\nhazard_per_month = 0.0001\n"));
  CHECK(authority.jumps.size() == default_authority().jumps.size() + 1);
}

TEST_CASE("extends replaces a list whole", "[config]") {
  TempDir dir;
  const Authority authority = load_authority_file(
      extending_default(dir, "[population]\nlocality_names = [\"a\", \"b\"]\nlocality_shares = [0.5, 0.5]\n"));
  CHECK(authority.population.locality_names == std::vector<std::string>{"a", "b"});
  CHECK(authority.population.locality_shares == std::vector<double>{0.5, 0.5});
}

TEST_CASE("extends replaces [[levels]] whole", "[config]") {
  TempDir dir;
  const Authority authority = load_authority_file(extending_default(dir, levels_toml(four_levels())));
  REQUIRE(authority.levels.size() == 4);
  CHECK(authority.levels[0].initial_share == 0.5);
  CHECK(authority.levels[3].down_hazard_per_month == 0.06);
  // The default labels its levels; nothing of its [[levels]] survives.
  for (const auto& level : authority.levels) CHECK(level.label.empty());
}

TEST_CASE("extends resolves relative paths from the extending file, along a chain", "[config]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "base");
  (void)dir.file("base/bottom.toml",
                 "extends = " + quote_string(default_config_path()) + "\n[simulation]\nmonths = 24\nseed = 5\n");
  (void)dir.file("base/middle.toml", "extends = \"bottom.toml\"\ndescription = \"middle\"\n[simulation]\nseed = 6\n");
  const auto top = dir.file("top.toml", "extends = \"base/middle.toml\"\nname = \"top\"\n");
  const Authority authority = load_authority_file(top);
  CHECK(authority.name == "top");
  CHECK(authority.description == "middle");
  CHECK(authority.simulation.months == 24);
  CHECK(authority.simulation.seed == 6);
}

TEST_CASE("a cycle of extends is an error", "[config]") {
  TempDir dir;
  const auto first = dir.file("first.toml", "extends = \"second.toml\"\n");
  (void)dir.file("second.toml", "extends = \"first.toml\"\n");
  const auto issues = issues_loading(first);
  REQUIRE(issues.size() == 1);
  CHECK(issues.front().key == "extends");
  CHECK_THAT(issues.front().message, Contains("extends forms a cycle"));
  // Reported where the loop closes: second.toml's extends, line 1.
  CHECK_THAT(issues.front().where.file, Contains("second.toml"));
  CHECK(issues.front().where.line == 1);
}

TEST_CASE("a missing extends target is reported at the extends key", "[config]") {
  TempDir dir;
  const auto file = dir.file("authority.toml", "# builds on a file that is not there\n\nextends = \"absent.toml\"\n");
  CHECK(only_issue(file) ==
        at(file, 3) + "extends: cannot read '" + (dir.path() / "absent.toml").string() + "': it does not exist");
}

TEST_CASE("extends naming a folder says so", "[config]") {
  TempDir dir;
  const auto file = dir.file("authority.toml", "extends = " + quote_string(dir.path().string()) + "\n");
  CHECK(only_issue(file) ==
        at(file, 1) + "extends: cannot read '" + dir.path().string() + "': it is a folder, not a file");
}

// --- Errors in a file --------------------------------------------------------

TEST_CASE("a routing rule after one whose service takes only some ages of the youngest child is not hidden",
          "[config][routing]") {
  // early_help, for every family at level 2 but only the under-fives, leaves the older ones to the next rule.
  const std::string rules =
      "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"early_help\"\n"
      "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n";
  CHECK_NOTHROW(
      load_authority_text(over_default(early_help_service + "youngest_age_years = [0, 5]\n" + rules), "ages.toml"));
  // For every age it hides the next rule, as before.
  CHECK_THROWS_AS(
      load_authority_text(over_default(early_help_service + "youngest_age_years = [0, 18]\n" + rules), "ages.toml"),
      ConfigError);
}

TEST_CASE("a configuration file that does not exist is an error naming it", "[config]") {
  TempDir dir;
  const auto file = dir.path() / "absent.toml";
  CHECK(only_issue(file) == file.string() + ": cannot read the file: it does not exist");
}

TEST_CASE("every error in a file is reported, each at its own line", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir,
                                      "[simulation]\n"    // 2
                                      "months = 0\n"      // 3
                                      "seed = 1.5\n"      // 4
                                      "[population]\n"    // 5
                                      "familes = 10\n");  // 6
  const auto issues = issues_loading(file);
  std::vector<std::string> formatted;
  for (const auto& issue : issues) formatted.push_back(issue.format());
  std::sort(formatted.begin(), formatted.end());
  CHECK(formatted == std::vector<std::string>{
                         at(file, 3) + "simulation.months: 0 is outside the allowed range [1, 1200]",
                         at(file, 4) + "simulation.seed: expected a whole number",
                         at(file, 6) + "population.familes: unknown key (did you mean 'families'?)",
                     });
}

TEST_CASE("a ConfigError's message lists its issues in the file:line: key: message format", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[simulation]\nmonths = 0\n");
  try {
    (void)load_authority_file(file);
    FAIL("loading succeeded");
  } catch (const ConfigError& error) {
    CHECK(std::string(error.what()) == at(file, 3) + "simulation.months: 0 is outside the allowed range [1, 1200]");
  }
}

TEST_CASE("every inconsistency is reported, not only the first", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir,
                                      "[simulation]\nstart_month = \"2025-13\"\n"
                                      "[population]\nchildren_per_family_shares = [0.5, 0.25]\n"
                                      "[jumps.crisis]\nfrom_level = \"nowhere\"\nto_level = \"acute\"\n"
                                      "hazard_per_month = 0.1\n");
  const auto issues = issues_loading(file);
  std::vector<std::string> keys;
  for (const auto& issue : issues) keys.push_back(issue.key);
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"jumps.crisis.from_level", "population.children_per_family_shares",
                                         "simulation.start_month"});
}

TEST_CASE("checks across keys are reported in the same pass as errors in single keys", "[config]") {
  TempDir dir;
  const auto file = extending_default(
      dir, "[simulation]\nstart_month = \"2025-13\"\nmonths = 0\n[themes.cse]\nprevalence_by_level = [0.1]\n");
  const auto issues = issues_loading(file);
  std::vector<std::string> keys;
  for (const auto& issue : issues) keys.push_back(issue.key);
  std::sort(keys.begin(), keys.end());
  CHECK(keys ==
        std::vector<std::string>{"simulation.months", "simulation.start_month", "themes.cse.prevalence_by_level"});
}

TEST_CASE("a value the command line overrides is checked like the file's, and named as the command line's",
          "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[simulation]\nmonths = 24\n");
  Overrides overrides;
  overrides.months = 36;
  overrides.families = 0;
  const auto issues = issues_loading(file, overrides);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].format() ==
        "the command line (--families): population.families: 0 is outside the allowed range [1, 100000000] (with "
        "the command line's --months 36, --families 0)");
  overrides.families = 500;
  const Authority authority = load_authority_file(file, overrides);
  CHECK(authority.simulation.months == 36);
  CHECK(authority.population.families == 500);
  CHECK(default_authority(overrides).population.families == 500);
}

TEST_CASE("a service behind the front door loads", "[config][services]") {
  TempDir dir;
  const Authority authority = load_authority_file(extending_default(dir, early_help_service + "capacity_cases = 40\n"));
  const auto early_help = std::find_if(authority.services.begin(), authority.services.end(),
                                       [](const ServiceConfig& service) { return service.name == "early_help"; });
  REQUIRE(early_help != authority.services.end());
  CHECK(early_help->capacity_cases == 40);
  CHECK(authority.services.size() == default_authority().services.size() + 1);  // added to the default's
  CHECK(authority.front_door.route_by_level[1] == "early_help");
}

// --- Errors, row by row: the file, the line, the key and the message ----------

TEST_CASE("a mistake is reported at its line in whichever file of the extends chain holds it", "[config]") {
  check_refusals({
      {"a file that extends itself is an error",
       "extends = \"authority.toml\"\n",
       {{.line = 1, .key = "extends", .message = "extends forms a cycle", .match = Match::part}}},
      {"extends must be a path",
       "name = \"x\"\nextends = 3\n",
       {{.line = 2, .key = "extends", .message = "expected a path (string)"}}},
      {"an error in the file extended is reported at that file's line",
       over_base("name = \"x\"\n"),
       {{.in = In::base,
         .line_holding = "months = 0",
         .key = "simulation.months",
         .message = "0 is outside the allowed range [1, 1200]"}},
       false,
       two_level_authority + "\n[simulation]\nmonths = 0\n"},
      {"a check across keys names the file each key came from",  // the four shares still come from the default
       over_default("[population]\nlocality_names = [\"a\", \"b\"]\n"),
       {{.in = In::default_config,
         .line_holding = "locality_shares =",
         .key = "population.locality_shares",
         .message = "has 4 entries but there are 2 localities"}}},
      {"an unknown theme in an overlay's onset_multiplier_if_active is reported at the overlay's line",
       over_default("[themes.cse]\nonset_multiplier_if_active = { nobody = 2.0 }\n"),
       {{.line = 3, .key = "themes.cse.onset_multiplier_if_active", .message = "'nobody' is not a theme"}}},
      {"a TOML syntax error is reported with its file and line",
       "name = \"x\"\n\n[simulation\nmonths = 12\n",
       {{.line = 3, .key = "", .message = "TOML syntax error", .match = Match::start}}},
      {"a TOML syntax error in a file extended is reported in that file",
       over_base(""),
       {{.in = In::base, .line = 2, .key = "", .message = "TOML syntax error", .match = Match::start}},
       false,
       "name = \"x\"\nmonths = 1 2\n"},
  });
}

TEST_CASE("simulation and population keys are refused at their line when they break a check", "[config]") {
  std::vector<Refusal> rows;
  for (const std::string month : {"2025-13", "2025-00", "2025-4", "April 2025", "2025/04"})
    rows.push_back({"start_month must be a month written YYYY-MM, not " + month,
                    over_default("[simulation]\nstart_month = \"" + month + "\"\n"),
                    {{.line = 3,
                      .key = "simulation.start_month",
                      .message = "expected a month as \"YYYY-MM\", got \"" + month + "\""}}});
  std::string names, shares;
  for (int i = 0; i < 256; ++i) {
    names += (i ? ", " : "") + quote_string("l" + std::to_string(i));
    shares += (i ? ", " : "") + std::string("0.00390625");  // 1/256, exact
  }
  const std::string children = "needs 1 to 4 entries (families with 1, 2, 3, 4 children)";
  rows.insert(
      rows.end(),
      {
          {"children_per_family_shares needs at most 4 entries",
           over_default("[population]\nchildren_per_family_shares = [0.5, 0.25, 0.125, 0.0625, 0.0625]\n"),
           {{.line = 3, .key = "population.children_per_family_shares", .message = children}}},
          {"children_per_family_shares needs at least 1 entry",
           over_default("[population]\nchildren_per_family_shares = []\n"),
           {{.line = 3, .key = "population.children_per_family_shares", .message = children}}},
          {"children_per_family_shares must sum to 1",
           over_default("[population]\nchildren_per_family_shares = [0.5, 0.25]\n"),
           {{.line = 3, .key = "population.children_per_family_shares", .message = "shares add up to 0.75, not 1"}}},
          {"there must be at least one locality",
           over_default("[population]\nlocality_names = []\nlocality_shares = []\n"),
           {{.line = 3, .key = "population.locality_names", .message = "needs at least one locality"}}},
          {"there can be at most 255 localities",
           over_default("[population]\nlocality_names = [" + names + "]\nlocality_shares = [" + shares + "]\n"),
           {{.line = 3, .key = "population.locality_names", .message = "at most 255 localities"}}},
          {"locality_shares needs one entry per locality",
           over_default("[population]\nlocality_names = [\"a\", \"b\"]\nlocality_shares = [1.0]\n"),
           {{.line = 4, .key = "population.locality_shares", .message = "has 1 entry but there are 2 localities"}}},
          {"locality_shares must sum to 1",
           over_default("[population]\nlocality_shares = [0.5, 0.25, 0.125, 0.0625]\n"),
           {{.line = 3, .key = "population.locality_shares", .message = "shares add up to 0.9375, not 1"}}},
          {"a locality name may appear only once",
           over_default("[population]\nlocality_names = [\"a\", \"a\"]\nlocality_shares = [0.5, 0.5]\n"),
           {{.line = 3, .key = "population.locality_names", .message = "'a' appears twice"}}},
          {"deprivation_quintile_shares needs 5 entries",
           over_default("[population]\ndeprivation_quintile_shares = [0.25, 0.25, 0.25, 0.25]\n"),
           {{.line = 3,
             .key = "population.deprivation_quintile_shares",
             .message = "needs 5 entries, one per quintile"}}},
          {"deprivation_quintile_shares must sum to 1",
           over_default("[population]\ndeprivation_quintile_shares = [0.5, 0.25, 0.125, 0.0625, 0.03125]\n"),
           {{.line = 3,
             .key = "population.deprivation_quintile_shares",
             .message = "shares add up to 0.96875, not 1"}}},
          {"a sibling gap mean must leave room above the 9-month minimum gap",
           over_default("[population]\nsibling_gap_mean_months = 5\n"),
           {{.line = 3,
             .key = "population.sibling_gap_mean_months",
             .message = "5.0 is outside the allowed range [10.0, 120.0]"}}},
          {"a check across keys is not repeated for a key that already failed",  // the sum of the shares is not
           over_default("[population]\nlocality_shares = [0.26, 0.24, 0.27, 1.5]\n"),
           {{.line = 3,
             .key = "population.locality_shares",
             .message = "entry 4, 1.5, is outside the allowed range [0.0, 1.0]"}}},
      });
  check_refusals(rows);
}

TEST_CASE("levels are refused at their line when they break a check", "[config]") {
  std::vector<LevelRow> nine;
  for (int k = 0; k < 9; ++k) nine.push_back({"level" + std::to_string(k), k == 0 ? 0.5 : 0.0625, 0.0, 0.0});
  const auto levels_with = [](const std::function<void(std::vector<LevelRow>&)>& change) {
    auto levels = four_levels();
    change(levels);
    return over_default(levels_toml(levels));
  };
  check_refusals({
      {"there must be at least 2 levels",
       over_base(levels_toml({{"only", 1.0, 0.0, 0.0}})),
       {{.line_holding = "[[levels]]", .key = "levels", .message = "needs 2 to 8 [[levels]], found 1"}}},
      {"there can be at most 8 levels",
       over_base(levels_toml(nine)),
       {{.line_holding = "[[levels]]", .key = "levels", .message = "needs 2 to 8 [[levels]], found 9"}}},
      {"level names are identifiers",
       levels_with([](auto& levels) { levels[0].name = "Universal"; }),
       {{.line_holding = "name = \"Universal\"",
         .key = "levels[0].name",
         .message = "names use lower-case letters, digits and underscores, starting with a letter"}}},
      {"a level name may appear only once",  // the default's services working with "complex" then fail too
       levels_with([](auto& levels) { levels[2].name = "additional"; }),
       {{.line_holding = "name = \"additional\"",
         .occurrence = 2,
         .key = "levels[2].name",
         .message = "'additional' appears twice"}},
       true},
      {"the top level has no up hazard",
       levels_with([](auto& levels) { levels[3].up_hazard_per_month = 0.5; }),
       {{.line_holding = "up_hazard_per_month = 0.5",
         .key = "levels[3].up_hazard_per_month",
         .message = "must be 0 on the top level"}}},
      {"the bottom level has no down hazard",
       levels_with([](auto& levels) { levels[0].down_hazard_per_month = 0.5; }),
       {{.line_holding = "down_hazard_per_month = 0.5",
         .key = "levels[0].down_hazard_per_month",
         .message = "must be 0 on the bottom level"}}},
      {"the initial shares of the levels must sum to 1",
       levels_with([](auto& levels) { levels[3].initial_share = 0.0625; }),
       {{.line_holding = "[[levels]]",
         .key = "levels",
         .message = "initial_share of the levels adds up to 0.9375, not 1"}}},
  });
}

TEST_CASE("themes, risk and crisis jumps are refused at their line when they break a check", "[config]") {
  std::string themes;
  for (int j = 0; j < 17; ++j)
    themes += "\n[themes.theme" + std::to_string(j) +
              "]\nprevalence_by_level = [0.0, 0.0]\nonset_hazard_per_month = 0.0\nremission_hazard_per_month = 0.0\n";
  std::string seven_jumps;
  for (int j = 0; j < 7; ++j)  // the default already has one jump, from "additional"
    seven_jumps += "[jumps.crisis_" + std::to_string(j) +
                   "]\nfrom_level = \"universal\"\nto_level = \"acute\"\n"
                   "hazard_per_month = 0.001\n";
  const std::string one_step = "a jump must skip at least one level upwards; use up_hazard_per_month for one step";
  check_refusals({
      {"there can be at most 16 themes",
       over_base(themes),
       {{.line = 3, .key = "themes", .message = "at most 16 themes, found 17"}}},
      {"prevalence_by_level needs one entry per level",
       over_default("[themes.cse]\nprevalence_by_level = [0.1, 0.2, 0.3]\n"),
       {{.line = 3, .key = "themes.cse.prevalence_by_level", .message = "has 3 entries but there are 4 levels"}}},
      {"onset_multiplier_if_active names only themes",
       over_default("[themes.debt]\n"
                    "prevalence_by_level = [0.1, 0.2, 0.3, 0.4]\n"
                    "onset_hazard_per_month = 0.01\n"
                    "remission_hazard_per_month = 0.05\n"
                    "onset_multiplier_if_active = { cse = 1.5, ghost = 2.0 }\n"),
       {{.line = 6, .key = "themes.debt.onset_multiplier_if_active", .message = "'ghost' is not a theme"}}},
      {"onset_multiplier_by_deprivation needs 5 entries",
       over_default("[risk]\nonset_multiplier_by_deprivation = [1.0, 1.0]\n"),
       {{.line = 3, .key = "risk.onset_multiplier_by_deprivation", .message = "needs 5 entries, one per quintile"}}},
      {"an interaction needs at least two themes",
       over_default("[risk.interactions.alone]\nthemes = [\"cse\"]\nescalation_hazard_ratio = 2.0\n"),
       {{.line = 3, .key = "risk.interactions.alone.themes", .message = "needs at least two themes"}}},
      {"an interaction names only themes",
       over_default("[risk.interactions.pair]\nthemes = [\"cse\", \"ghost\"]\nescalation_hazard_ratio = 2.0\n"),
       {{.line = 3, .key = "risk.interactions.pair.themes", .message = "'ghost' is not a theme"}}},
      {"a jump starts from a level",
       over_default("[jumps.crisis]\nfrom_level = \"nowhere\"\nto_level = \"acute\"\nhazard_per_month = 0.1\n"),
       {{.line = 3, .key = "jumps.crisis.from_level", .message = "'nowhere' is not a level"}}},
      {"a jump goes to a level",
       over_default("[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"sky\"\nhazard_per_month = 0.1\n"),
       {{.line = 4, .key = "jumps.crisis.to_level", .message = "'sky' is not a level"}}},
      {"a jump skips at least one level upwards, not one step",
       over_default("[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"additional\"\nhazard_per_month = 0.1\n"),
       {{.line = 4, .key = "jumps.crisis.to_level", .message = one_step}}},
      {"a jump skips at least one level upwards, not downwards",
       over_default("[jumps.crisis]\nfrom_level = \"acute\"\nto_level = \"universal\"\nhazard_per_month = 0.1\n"),
       {{.line = 4, .key = "jumps.crisis.to_level", .message = one_step}}},
      {"a jump's theme is a theme",
       over_default("[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"complex\"\n"
                    "theme = \"ghost\"\nhazard_per_month = 0.1\n"),
       {{.line = 5, .key = "jumps.crisis.theme", .message = "'ghost' is not a theme"}}},
      {"at most six crisis jumps start from one level",  // the seventh from "universal", sorted last, is one too many
       over_default(seven_jumps),
       {{.line = 27, .key = "jumps.crisis_6.from_level", .message = "at most 6 jumps from one level"}}},
  });
}

TEST_CASE("a service is refused at its line when it breaks a check", "[config][services]") {
  std::string care = early_help_service;
  care.replace(care.find("kind = \"early_help\""), 19, "kind = \"children_in_care\"");
  const std::string protection =
      "[services.protection]\nkind = \"child_protection\"\nlevels = [\"acute\"]\nduration_mean_months = 10\n";
  const auto with_levels = [](const std::string& levels) {
    std::string body = early_help_service;
    body.replace(body.find("levels = [\"additional\"]"), 23, "levels = " + levels);
    return over_default(body);
  };
  std::string family_hub = early_help_service;
  family_hub.replace(family_hub.find("kind = \"early_help\""), 19, "kind = \"family_hub\"");
  check_refusals({
      {"a negative capacity is an error",
       over_default(early_help_service + "capacity_cases = -5\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_cases",
         .message = "-5 is outside the allowed range [0, 1000000000]"}}},
      {"a negative capacity in a schedule is an error",
       over_default(early_help_service + "capacity_from_month = { \"2026-04\" = -1 }\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_from_month",
         .message = "entry 1, -1.0, is outside the allowed range [0.0, 1000000000.0]"}}},
      {"a capacity schedule names months as YYYY-MM",
       over_default(early_help_service + "capacity_from_month = { \"April 2026\" = 50 }\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_from_month",
         .message = "'April 2026' is not a month written \"YYYY-MM\""}}},
      {"a capacity schedule gives whole numbers of cases",
       over_default(early_help_service + "capacity_from_month = { \"2026-04\" = 50.5 }\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_from_month",
         .message = "50.5 cases from 2026-04 is not a whole number"}}},
      {"a capacity schedule's months end with the run",  // 48 months of burn-in from 2021-04, then 120 from 2025-04
       over_default(early_help_service + "capacity_from_month = { \"2035-04\" = 50 }\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_from_month",
         .message = "'2035-04' is outside the run (48 months of burn-in before 2025-04, then 120 months)"}}},
      {"a capacity schedule's months start with the burn-in",
       over_default(early_help_service + "capacity_from_month = { \"2021-03\" = 50 }\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_from_month",
         .message = "'2021-03' is outside the run (48 months of burn-in before 2025-04, then 120 months)"}}},
      {"a hazard ratio of zero is an error",
       over_default(early_help_service + "escalation_hazard_ratio = 0\n"),
       {{.line = 11,
         .key = "services.early_help.escalation_hazard_ratio",
         .message = "0.0 is outside the allowed range (0.0, 1000.0]"}}},
      {"a negative hazard ratio is an error",
       over_default(early_help_service + "de_escalation_hazard_ratio = -1.5\n"),
       {{.line = 11,
         .key = "services.early_help.de_escalation_hazard_ratio",
         .message = "-1.5 is outside the allowed range (0.0, 1000.0]"}}},
      {"a service works with levels that exist",
       with_levels("[\"tier_2\"]"),
       {{.line = 8, .key = "services.early_help.levels", .message = "'tier_2' is not a level"}},
       true},
      {"a service works with consecutive levels",
       with_levels("[\"additional\", \"acute\"]"),
       {{.line = 8,
         .key = "services.early_help.levels",
         .message = "must be consecutive levels, with none skipped (a family moves one level at a time)"}}},
      {"a service's ages of the youngest child are two, from below below",
       over_default(early_help_service + "youngest_age_years = [5, 5]\n"),
       {{.line = 11,
         .key = "services.early_help.youngest_age_years",
         .message = "needs from below below: [5.0, 5.0] takes no family"}}},
      {"a service's ages of the youngest child take some whole month",
       over_default(early_help_service + "youngest_age_years = [1, 1.04]\n"),
       {{.line = 11,
         .key = "services.early_help.youngest_age_years",
         .message = "needs from below below: [1.0, 1.04] takes no family"}}},
      {"a service's ages of the youngest child are a pair",
       over_default(early_help_service + "youngest_age_years = [0, 5, 18]\n"),
       {{.line = 11,
         .key = "services.early_help.youngest_age_years",
         .message = "needs two ages, [from, below), not 3 entries"}}},
      {"a service's ages of the youngest child are under 18",
       over_default(early_help_service + "youngest_age_years = [5, 19]\n"),
       {{.line = 11,
         .key = "services.early_help.youngest_age_years",
         .message = "entry 2, 19.0, is outside the allowed range [0.0, 18.0]"}}},
      {"a statutory service takes every age",
       over_default(care + "youngest_age_years = [0, 5]\n"),
       {{.line = 11,
         .key = "services.early_help.youngest_age_years",
         .message = "a statutory service takes every child routed to it, whatever the age; limit an early help, "
                    "targeted or intensive service"}}},
      {"a service opens within the run",
       over_default(early_help_service + "open_from_month = \"2036-04\"\n"),
       {{.line = 11,
         .key = "services.early_help.open_from_month",
         .message = "'2036-04' is outside the run (48 months of burn-in before 2025-04, then 120 months)"}}},
      {"a service's opening is a month",
       over_default(early_help_service + "open_from_month = \"April 2026\"\n"),
       {{.line = 11,
         .key = "services.early_help.open_from_month",
         .message = "'April 2026' is not a month written \"YYYY-MM\""}}},
      {"a service closes after it opens",
       over_default(early_help_service + "open_from_month = \"2026-04\"\nopen_until_month = \"2026-04\"\n"),
       {{.line = 12,
         .key = "services.early_help.open_until_month",
         .message = "'2026-04' is not after open_from_month '2026-04': the service would take no one"}}},
      {"a service's payer is one of the payers",
       over_default(early_help_service + "payer = \"lottery\"\n"),
       {{.line = 11, .key = "services.early_help.payer", .message = "'lottery' is not one of costs.payers"}}},
      {"a service's cost is not negative",
       over_default(early_help_service + "cost_per_case_month_gbp = -1\n"),
       {{.line = 11,
         .key = "services.early_help.cost_per_case_month_gbp",
         .message = "-1.0 is outside the allowed range [0.0, 10000000.0]"}}},
      {"a service's remission boosts name themes",
       over_default(early_help_service + "remission_multiplier = { gambling = 2.0 }\n"),
       {{.line = 11, .key = "services.early_help.remission_multiplier", .message = "'gambling' is not a theme"}}},
      {"a service's kind is one of the six",
       over_default(family_hub),
       {{.line = 10,
         .key = "services.early_help.kind",
         .message = "'family_hub' is not a kind of service: early_help, targeted, intensive, children_in_need, "
                    "child_protection or children_in_care"}}},
      {"the themes a service targets exist",
       over_default(early_help_service + "themes = [\"gambling\"]\n"),
       {{.line = 11, .key = "services.early_help.themes", .message = "'gambling' is not a theme"}},
       true},
      {"a statutory service with a capacity is an error, not silently ignored",
       over_default(care + "capacity_cases = 400\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_cases",
         .message = "a children_in_care service is statutory: it takes every case routed to it, so it has no "
                    "capacity"}}},
      {"a statutory service with a consent probability is an error, not silently ignored",
       over_default(care + "consent_probability = 0.8\n"),
       {{.line = 11,
         .key = "services.early_help.consent_probability",
         .message = "a children_in_care service is statutory: families do not choose whether to take part"}}},
      {"a statutory service has no places to pay for by block contract",
       over_default(care + "contract = \"block\"\n"),
       {{.line = 11,
         .key = "services.early_help.contract",
         .message = "a children_in_care service is statutory: it has no places to pay for by block contract"}}},
      {"a block contract pays per place, not per child",
       over_default(early_help_service + "contract = \"block\"\ncost_per_child = true\n"),
       {{.line = 11,
         .key = "services.early_help.contract",
         .message = "a block contract pays per place, but cost_per_child charges per child: choose one"}}},
      {"a cost in another year's prices needs that year's index",
       over_default(early_help_service + "price_year = \"2010-11\"\n"),
       {{.line = 11,
         .key = "services.early_help.price_year",
         .message = "'2010-11' is not in costs.price_index, so its costs cannot be converted to 2024 prices"}}},
      {"a price index holds the price year it converts to",
       over_default("[costs]\nprice_year = \"2025-26\"\nprice_index = { \"2016-17\" = 80.0 }\n"),
       {{.line = 4,
         .key = "costs.price_index",
         .message = "has no index for costs.price_year '2025-26', the prices it converts to"}}},
      {"real price growth is by payer",
       over_default("[costs]\nreal_price_growth_per_year = { council = 0.02 }\n"),
       {{.line = 3, .key = "costs.real_price_growth_per_year", .message = "'council' is not one of costs.payers"}}},
      {"real price growth is within reason",
       over_default("[costs]\nreal_price_growth_per_year = { health = 0.9 }\n"),
       {{.line = 3,
         .key = "costs.real_price_growth_per_year",
         .message = "entry 1, 0.9, is outside the allowed range [-0.2, 0.2]"}}},

      {"a contract is spot or block",
       over_default(early_help_service + "contract = \"framework\"\n"),
       {{.line = 11,
         .key = "services.early_help.contract",
         .message = "'framework' is not a kind of contract: spot or block"}}},
      {"a step-down goes to a service that exists",
       over_default(early_help_service + protection + "step_down_to = \"family_hub\"\n"),
       {{.line = 15, .key = "services.protection.step_down_to", .message = "'family_hub' is not a service"}}},
      {"a step-down goes to a service that works with the level below",
       over_default(early_help_service + protection + "step_down_to = \"early_help\"\n"),
       {{.line = 15,
         .key = "services.protection.step_down_to",
         .message = "'early_help' does not work with level 'complex', where families stepping down from "
                    "'protection' arrive"}}},
      {"a step-down needs a level below the service's",
       over_default(early_help_service + "[services.need]\nkind = \"children_in_need\"\nlevels = [\"universal\", "
                                         "\"additional\"]\nduration_mean_months = 8\nstep_down_to = \"early_help\"\n"),
       {{.line = 15,
         .key = "services.need.step_down_to",
         .message = "the service works with the lowest level, so no family steps down below it"}}},
      {"only social care steps families down",  // the default's intensive family service works with level 3
       over_default("[services.intensive_family_service]\nstep_down_to = \"school_early_help\"\n"),
       {{.line = 3,
         .key = "services.intensive_family_service.step_down_to",
         .message = "only social care (children_in_need, child_protection, children_in_care) steps families down; "
                    "'intensive_family_service' is intensive"}}},
      {"social care steps families down only to a service that is not social care",
       over_default("[services.child_protection]\nstep_down_to = \"children_in_need\"\n"),
       {{.line = 3,
         .key = "services.child_protection.step_down_to",
         .message = "'children_in_need' is children_in_need: step-down from social care goes to an early help, "
                    "targeted or intensive service"}}},
      {"a transfer goes to a service that exists",
       over_default("[services.child_protection]\ntransfer_to = \"care\"\ntransfer_hazard_per_month = 0.03\n"),
       {{.line = 3, .key = "services.child_protection.transfer_to", .message = "'care' is not a service"}}},
      {"only social care transfers cases",
       over_default("[services.intensive_family_service]\ntransfer_to = \"children_in_need\"\n"
                    "transfer_hazard_per_month = 0.03\n"),
       {{.line = 3,
         .key = "services.intensive_family_service.transfer_to",
         .message = "only social care (children_in_need, child_protection, children_in_care) transfers cases; "
                    "'intensive_family_service' is intensive"}}},
      {"a transfer goes to social care, which takes every case",
       over_default("[services.child_protection]\ntransfer_to = \"intensive_family_service\"\n"
                    "transfer_hazard_per_month = 0.03\n"),
       {{.line = 3,
         .key = "services.child_protection.transfer_to",
         .message = "'intensive_family_service' is intensive: a transfer goes to another social care service, "
                    "which takes every case"}}},
      {"a service does not transfer to itself",
       over_default("[services.child_protection]\ntransfer_to = \"child_protection\"\n"
                    "transfer_hazard_per_month = 0.03\n"),
       {{.line = 3,
         .key = "services.child_protection.transfer_to",
         .message = "a service cannot transfer its cases to itself"}}},
      {"a transfer stays within the family's level",  // children in need work with level 3 only
       over_default("[services.child_protection]\ntransfer_to = \"children_in_need\"\n"
                    "transfer_hazard_per_month = 0.03\n"),
       {{.line = 3,
         .key = "services.child_protection.transfer_to",
         .message = "'children_in_need' does not work with level 'acute', where 'child_protection' holds cases"}}},
      {"a transfer hazard needs a service to move to",
       over_default("[services.child_protection]\ntransfer_to = \"\"\ntransfer_hazard_per_month = 0.03\n"),
       {{.line = 4,
         .key = "services.child_protection.transfer_hazard_per_month",
         .message = "is 0.03 but transfer_to names no service to move to"}}},
      {"a capacity held per locality gives every locality a place",  // 3 places leave 'west' (0.69) with none
       over_default(early_help_service + "capacity_cases = 3\ncapacity_by_locality = true\n"),
       {{.line = 11,
         .key = "services.early_help.capacity_cases",
         .message = "3 cases held per locality give 'west' no place, so its families would wait for good; give "
                    "more cases or hold them borough wide"}}},
      {"a scheduled capacity held per locality gives every locality a place",
       over_default(early_help_service +
                    "capacity_cases = 40\ncapacity_by_locality = true\ncapacity_from_month = { \"2026-04\" = 2 }\n"),
       {{.line = 13,
         .key = "services.early_help.capacity_from_month",
         .message = "2 cases held per locality give 'central' no place, so its families would wait for good; give "
                    "more cases or hold them borough wide"}}},
      {"a mixture of episode lengths has matching lists",
       over_default(early_help_service + "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0]\n"),
       {{.line = 12,
         .key = "services.early_help.duration_mix_means_months",
         .message = "has 1 entry but duration_mix_shares has 2 entries"}}},
      {"a mixture of episode lengths has shares adding up to 1",
       over_default(early_help_service + "duration_mix_shares = [0.5, 0.4]\nduration_mix_means_months = [2.0, 12.5]\n"),
       {{.line = 11, .key = "services.early_help.duration_mix_shares", .message = "shares add up to 0.9, not 1"}}},
      {"a mixture of episode lengths has the stated mean",
       over_default(early_help_service + "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0, 20.0]\n"),
       {{.line = 9,
         .key = "services.early_help.duration_mean_months",
         .message = "6.0 months differs from the mean of the mixture, 11.0 (duration_mix_shares x "
                    "duration_mix_means_months); make them agree"}}},
      {"a placement mix names the same types in shares and costs",
       over_default(early_help_service +
                    "cost_per_child = true\nplacement_shares = { fostering = 0.8, childrens_home = 0.2 }\n"
                    "placement_cost_per_child_month_gbp = { fostering = 3584.0, residential = 26500.0 }\n"),
       {{.line = 13,
         .key = "services.early_help.placement_cost_per_child_month_gbp",
         .message = "has no cost for placement type 'childrens_home'"},
        {.line = 12,
         .key = "services.early_help.placement_shares",
         .message = "has no share for placement type 'residential'"}}},
      {"a placement mix replaces a cost per case-month",
       over_default(early_help_service +
                    "cost_per_child = true\ncost_per_case_month_gbp = 6450\nplacement_shares = { fostering = 1.0 "
                    "}\nplacement_cost_per_child_month_gbp = { fostering = 3584.0 }\n"),
       {{.line = 12,
         .key = "services.early_help.cost_per_case_month_gbp",
         .message = "give either a cost per case-month or a placement mix (placement_shares and its costs), not "
                    "both"}}},
      {"a placement mix is costed per child",
       over_default(early_help_service +
                    "placement_shares = { fostering = 1.0 }\nplacement_cost_per_child_month_gbp = { fostering = "
                    "3584.0 }\n"),
       {{.line = 11,
         .key = "services.early_help.placement_shares",
         .message = "a placement mix is costed per child: set cost_per_child = true"}}},
  });
}

TEST_CASE("the front door and identification are refused at their line when they break a check", "[config][services]") {
  std::string universal = early_help_service;
  universal.replace(universal.find("[\"\", \"early_help\""), 17, "[\"early_help\", \"\"");
  std::string no_triage = early_help_service;
  no_triage.replace(no_triage.find("triage_capacity_per_month = 100"), 31, "triage_capacity_per_month = 0");
  // early_help targets no themes, so a rule to it at level 2 takes every level 2 family before the default's rules.
  const std::string hidden = early_help_service +
                             "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"early_help\"\n"
                             "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n";
  // A themed rule whose themes an earlier rule at its levels already takes is hidden too.
  const std::string covered =
      early_help_service +
      "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n"
      "[services.refuge]\nkind = \"targeted\"\nlevels = [\"additional\"]\nduration_mean_months = 4\n"
      "themes = [\"domestic_abuse\"]\ncapacity_cases = 10\n"
      "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"refuge\"\n";
  const std::string nothing_to_multiply =
      "has nothing to multiply: identification.probability_by_level is empty; give it, or to identify no family "
      "give it as zeros (0.0 for each level)";
  check_refusals({
      {"routing to a service that does not exist is an error",
       over_default("[front_door]\nroute_by_level = [\"\", \"family_hubs\", \"\", \"\"]\n"
                    "triage_capacity_per_month = 10\n[identification]\nprobability_by_level = [0.0, 0.05, 0.0, 0.0]\n"),
       {{.line = 3, .key = "front_door.route_by_level", .message = "'family_hubs' is not a service"}}},
      {"routing a level to a service that does not work with it is an error",
       over_default(universal),
       {{.line = 3,
         .key = "front_door.route_by_level",
         .message = "routes level 'universal' to 'early_help', which does not work with that level"}}},
      {"routing a level to a service that targets themes takes a rule",
       over_default(early_help_service + "themes = [\"domestic_abuse\"]\n"),
       {{.line = 3,
         .key = "front_door.route_by_level",
         .message = "routes level 'additional' to 'early_help', which targets themes; route to it with a rule in "
                    "front_door.routes"}}},
      {"a front door with routes decides some referrals",
       over_default(no_triage),
       {{.line = 4,
         .key = "front_door.triage_capacity_per_month",
         .message = "is 0, so no referral would ever be decided; give the referrals the front door decides a "
                    "month"}}},
      {"identification needs routes",
       over_default("[front_door]\nroute_by_level = []\nroutes = []\n[identification]\nprobability_by_level = "
                    "[0.0, 0.05, 0.1, 0.2]\n"),
       {{.line = 3,
         .key = "front_door.route_by_level",
         .message = "families are referred (identification) but the front door has no routes"}}},
      {"a routing rule names a service that exists",
       over_default(early_help_service +
                    "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"family_hub\"\n"),
       {{.line = 13, .key = "front_door.routes[0].service", .message = "'family_hub' is not a service"}}},
      {"a routing rule names levels its service works with",
       over_default(early_help_service + "[[front_door.routes]]\nlevels = [\"complex\"]\nservice = \"early_help\"\n"),
       {{.line = 12,
         .key = "front_door.routes[0].levels",
         .message = "routes level 'complex' to 'early_help', which does not work with that level"}}},
      {"a routing rule that an earlier rule for everyone hides is an error",
       over_default(hidden),
       {{.line = 14,
         .key = "front_door.routes[1]",
         .message = "is never used: every family it would route goes first to front_door.routes[0] ('early_help'); "
                    "put it before them"}}},
      {"a themed routing rule that an earlier rule for its themes hides is an error",
       over_default(covered),
       {{.line = 20,
         .key = "front_door.routes[1]",
         .message = "is never used: every family it would route goes first to front_door.routes[0] "
                    "('domestic_abuse_service'); put it before them"}}},
      {"identification by level needs one entry per level",
       over_default("[identification]\nprobability_by_level = [0.0, 0.05]\n[front_door]\n"
                    "route_by_level = [\"\", \"\", \"\", \"\"]\ntriage_capacity_per_month = 10\n"),
       {{.line = 3, .key = "identification.probability_by_level", .message = "has 2 entries but there are 4 levels"}}},
      {"identification after a closure needs one entry per level",
       over_default("[identification]\nafter_closure_ratio_by_level = [1.0, 0.5, 0.2]\n"),
       {{.line = 3,
         .key = "identification.after_closure_ratio_by_level",
         .message = "has 3 entries but there are 4 levels"}}},
      {"identification by theme names themes",
       over_default(early_help_service + "[identification.theme_multiplier]\ngambling = 2.0\n"),
       {{.line = 11, .key = "identification.theme_multiplier", .message = "'gambling' is not a theme"}}},
      {"multipliers by theme need identification by level",
       over_default("[identification]\nprobability_by_level = []\ntheme_multiplier = { domestic_abuse = 2.0 }\n"),
       {{.line = 4, .key = "identification.theme_multiplier", .message = nothing_to_multiply}}},
      {"ratios after a closure need identification by level",  // and so do the default's theme multipliers
       over_default(
           "[identification]\nprobability_by_level = []\nafter_closure_ratio_by_level = [1.0, 0.2, 0.1, 1.0]\n"),
       {{.in = In::default_config,
         .line_holding = "theme_multiplier =",
         .key = "identification.theme_multiplier",
         .message = nothing_to_multiply},
        {.line = 4, .key = "identification.after_closure_ratio_by_level", .message = nothing_to_multiply}}},
  });
}

TEST_CASE("costs and reinvestment are refused at their line when they break a check", "[config][costs][reinvestment]") {
  const auto reinvesting = [](const std::string& body) { return over_default("[reinvestment]\nshare = 0.5\n" + body); };
  check_refusals({
      {"universal costs have one entry per level",
       over_default("[costs]\nuniversal_cost_per_family_month_gbp = [10.0, 20.0]\n"),
       {{.line = 3,
         .key = "costs.universal_cost_per_family_month_gbp",
         .message = "has 2 entries but there are 4 levels"}}},
      {"reinvestment names services whose saving it reinvests",
       reinvesting("to_service = \"school_early_help\"\nfrom_services = []\n"),
       {{.line = 5,
         .key = "reinvestment.from_services",
         .message = "names no service whose saving would be reinvested"}}},
      {"reinvestment names services that exist",
       reinvesting("to_service = \"hub\"\nfrom_services = [\"care\"]\n"),
       {{.line = 5, .key = "reinvestment.from_services", .message = "'care' is not a service"},
        {.line = 4, .key = "reinvestment.to_service", .message = "'hub' is not a service"}}},
      {"reinvestment buys capacity a service has",
       reinvesting("to_service = \"child_protection\"\nfrom_services = [\"children_in_care\"]\n"),
       {{.line = 4,
         .key = "reinvestment.to_service",
         .message = "'child_protection' is statutory: it has no capacity to add to"}}},
      {"reinvestment buys capacity a service sells by the case",
       reinvesting("to_service = \"early_help\"\nfrom_services = [\"children_in_care\"]\n" + early_help_service +
                   "cost_per_case_month_gbp = 500\ncost_per_child = true\n"),
       {{.line = 4,
         .key = "reinvestment.to_service",
         .message = "'early_help' is costed per child, so a case has no set price to buy capacity with"}}},
      {"reinvestment buys capacity at a price",
       reinvesting("to_service = \"early_help\"\nfrom_services = [\"children_in_care\"]\n" + early_help_service +
                   "cost_per_case_month_gbp = 0.004\n"),
       {{.line = 4,
         .key = "reinvestment.to_service",
         .message = "'early_help' costs nothing a case-month, so money cannot buy it capacity"}}},
      {"the reference of a reinvestment is one of its words",
       reinvesting("to_service = \"school_early_help\"\nfrom_services = [\"children_in_care\"]\nreference = "
                   "\"forecast\"\n"),
       {{.line = 6,
         .key = "reinvestment.reference",
         .message = "'forecast' is not a reference for savings: baseline or budget"}}},
      {"a partner's cost on a theme names a theme that exists",
       over_default("[costs.partners.police]\nbasis = \"theme_month\"\ntheme = \"domestic_violence\"\n"
                    "cost_gbp = 50\npayer = \"police\"\n"),
       {{.line = 4, .key = "costs.partners.police.theme", .message = "'domestic_violence' is not a theme"}}},
      {"a partner's cost at a theme's onset names the theme",
       over_default("[costs.partners.exclusion]\nbasis = \"theme_onset\"\ncost_gbp = 50\npayer = \"police\"\n"),
       {{.line = 2,
         .key = "costs.partners.exclusion.theme",
         .message = "theme_onset needs the theme it is charged on"}}},
      {"a partner's cost names a theme only on a theme",
       over_default("[costs.partners.police]\nbasis = \"care_entry\"\ntheme = \"domestic_abuse\"\n"
                    "cost_gbp = 50\npayer = \"police\"\n"),
       {{.line = 4,
         .key = "costs.partners.police.theme",
         .message = "only a theme_month or theme_onset cost names a theme; this one is care_entry"}}},
      {"a partner's cost at a level names one the authority has",
       over_default("[costs.partners.courts]\nbasis = \"level_month\"\nlevel = 5\ncost_gbp = 50\n"
                    "payer = \"police\"\n"),
       {{.line = 4, .key = "costs.partners.courts.level", .message = "level_month needs a level from 1 to 4, got 5"}}},
      {"an escalation's cost is to a level above the first",
       over_default("[costs.partners.courts]\nbasis = \"escalation\"\nlevel = 1\ncost_gbp = 50\n"
                    "payer = \"police\"\n"),
       {{.line = 4,
         .key = "costs.partners.courts.level",
         .message = "an escalation is to a level from 2 to 4, or 0 for any, got 1"}}},
      {"a partner's spend has a payer of costs.payers",
       over_default("[costs.partners.courts]\nbasis = \"care_entry\"\ncost_gbp = 50\npayer = \"courts\"\n"),
       {{.line = 5, .key = "costs.partners.courts.payer", .message = "'courts' is not one of costs.payers"}}},
      {"a wider cost has no payer and is not cashable",
       over_default("[costs.partners.harm]\nbasis = \"care_entry\"\ncost_gbp = 50\nvalue = \"social\"\n"
                    "payer = \"police\"\ncashable = true\n"),
       {{.line = 6,
         .key = "costs.partners.harm.payer",
         .message = "a social cost is no one's budget, so it has no payer (a partner's spend is value = \"fiscal\")"},
        {.line = 7, .key = "costs.partners.harm.cashable", .message = "only a fiscal cost can be cashable"}}},
      {"a partner's cost is charged on one of its bases",
       over_default("[costs.partners.harm]\nbasis = \"per_referral\"\ncost_gbp = 50\npayer = \"police\"\n"),
       {{.line = 3,
         .key = "costs.partners.harm.basis",
         .message = "'per_referral' is not a basis of a partner's cost: theme_month, theme_onset, level_month, "
                    "escalation or care_entry",
         .match = Match::start},
        // Read as the first basis, it then lacks a theme: said too, at the table.
        {.line = 2, .key = "costs.partners.harm.theme", .message = "theme_month needs the theme it is charged on"}}},
      {"the reference of a reinvestment is one of its words even when nothing is reinvested",
       over_default("[reinvestment]\nshare = 0.0\nreference = \"budgets\"\n"),
       {{.line = 4,
         .key = "reinvestment.reference",
         .message = "'budgets' is not a reference for savings: baseline or budget (did you mean 'budget'?)"}}},
  });
}

TEST_CASE("configurations at the edges of the checks load", "[config]") {
  std::string six_jumps;
  for (int j = 0; j < 6; ++j)
    six_jumps += "[jumps.crisis_" + std::to_string(j) +
                 "]\nfrom_level = \"universal\"\nto_level = \"acute\"\n"
                 "hazard_per_month = 0.001\n";
  check_accepted({
      {"shares within a millionth of 1 are accepted",
       over_default("[population]\nchildren_per_family_shares = [0.5, 0.4999995]\n")},
      {"six crisis jumps may start from one level", over_default(six_jumps)},
      {"a capacity schedule may start with the burn-in's first month",
       over_default(early_help_service + "capacity_from_month = { \"2021-04\" = 50 }\n")},
      {"a capacity schedule may change in the run's last month",
       over_default(early_help_service + "capacity_from_month = { \"2035-03\" = 50 }\n")},
      {"a themed routing rule before one for everyone at the same level is used",
       over_default(early_help_service +
                    "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n"
                    "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"early_help\"\n")},
      {"capacity held per locality that gives every locality a place",
       over_default(early_help_service + "capacity_cases = 4\ncapacity_by_locality = true\n")},
      {"a mixture of episode lengths with the stated mean",
       over_default(early_help_service +
                    "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0, 10.0]\n")},
      {"zeros switch identification off, whatever multiplies them",
       over_default("[identification]\nprobability_by_level = [0.0, 0.0, 0.0, 0.0]\n")},
  });
}

TEST_CASE("a cost in another year's prices needs the price year to convert to", "[config][costs][prices]") {
  Authority authority = default_authority();
  authority.costs.price_year.clear();
  CHECK_THROWS_WITH(validate(authority),
                    Catch::Matchers::Contains("costs.partners.police_domestic_abuse.price_year: states its prices in "
                                              "'2016-17', but costs.price_year does not say which prices to convert "
                                              "to"));
  // Nor does an index without a price year convert to anything.
  CHECK_THROWS_WITH(
      validate(authority),
      Catch::Matchers::Contains("costs.price_index: converts costs to costs.price_year, which is not stated"));
}

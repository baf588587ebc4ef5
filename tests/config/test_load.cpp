// Loading an authority: the embedded default, `extends`, the resolved TOML,
// and every error a configuration can carry, each with its file, line and key.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
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

// Where the first line containing `needle` is in the file.
std::string at(const std::filesystem::path& file, const std::string& needle, int occurrence = 1) {
  return at(file, line_of(read_text(file), needle, occurrence));
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

TEST_CASE("a file that extends itself is an error", "[config]") {
  TempDir dir;
  const auto file = dir.file("self.toml", "extends = \"self.toml\"\n");
  CHECK_THAT(only_issue(file), Contains("self.toml:1: extends: ") && Contains("extends forms a cycle"));
}

TEST_CASE("a missing extends target is reported at the extends key", "[config]") {
  TempDir dir;
  const auto file = dir.file("authority.toml", "# builds on a file that is not there\n\nextends = \"absent.toml\"\n");
  CHECK(only_issue(file) ==
        at(file, 3) + "extends: cannot read '" + (dir.path() / "absent.toml").string() + "': it does not exist");
}

TEST_CASE("extends must be a path", "[config]") {
  TempDir dir;
  const auto file = dir.file("authority.toml", "name = \"x\"\nextends = 3\n");
  CHECK(only_issue(file) == at(file, 2) + "extends: expected a path (string)");
}

TEST_CASE("an error in the file extended is reported at that file's line", "[config]") {
  TempDir dir;
  const auto base = dir.file("base.toml", two_level_authority + "\n[simulation]\nmonths = 0\n");
  const auto file = dir.file("authority.toml", "extends = \"base.toml\"\nname = \"x\"\n");
  CHECK(only_issue(file) == at(base, "months = 0") + "simulation.months: 0 is outside the allowed range [1, 1200]");
}

TEST_CASE("a check across keys names the file each key came from", "[config]") {
  // Two localities in the overlay; the four shares still come from the default.
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nlocality_names = [\"a\", \"b\"]\n");
  CHECK(only_issue(file) == at(default_config_path(), "locality_shares =") +
                                "population.locality_shares: has 4 entries but there are 2 localities");
}

TEST_CASE("an unknown theme in an overlay's onset_multiplier_if_active is reported at the overlay's line", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[themes.cse]\nonset_multiplier_if_active = { nobody = 2.0 }\n");
  CHECK(only_issue(file) == at(file, 3) + "themes.cse.onset_multiplier_if_active: 'nobody' is not a theme");
}

// --- Errors in a file --------------------------------------------------------

TEST_CASE("a configuration file that does not exist is an error naming it", "[config]") {
  TempDir dir;
  const auto file = dir.path() / "absent.toml";
  CHECK(only_issue(file) == file.string() + ": cannot read the file: it does not exist");
}

TEST_CASE("a TOML syntax error is reported with its file and line", "[config]") {
  TempDir dir;
  const auto file = dir.file("broken.toml", "name = \"x\"\n\n[simulation\nmonths = 12\n");
  CHECK_THAT(only_issue(file), StartsWith(at(file, 3) + "TOML syntax error"));
}

TEST_CASE("a TOML syntax error in a file extended is reported in that file", "[config]") {
  TempDir dir;
  const auto base = dir.file("base.toml", "name = \"x\"\nmonths = 1 2\n");
  const auto file = dir.file("authority.toml", "extends = \"base.toml\"\n");
  CHECK_THAT(only_issue(file), StartsWith(at(base, 2) + "TOML syntax error"));
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

// --- Checks across keys (check_consistency) ----------------------------------

TEST_CASE("start_month must be a month written YYYY-MM", "[config]") {
  TempDir dir;
  for (const std::string month : {"2025-13", "2025-00", "2025-4", "April 2025", "2025/04"}) {
    const auto file = extending_default(dir, "[simulation]\nstart_month = \"" + month + "\"\n");
    CHECK(only_issue(file) ==
          at(file, 3) + "simulation.start_month: expected a month as \"YYYY-MM\", got \"" + month + "\"");
  }
}

TEST_CASE("children_per_family_shares needs 1 to 4 entries", "[config]") {
  TempDir dir;
  const auto five =
      extending_default(dir, "[population]\nchildren_per_family_shares = [0.5, 0.25, 0.125, 0.0625, 0.0625]\n");
  CHECK(only_issue(five) == at(five, 3) +
                                "population.children_per_family_shares: needs 1 to 4 entries (families "
                                "with 1, 2, 3, 4 children)");
  const auto none = extending_default(dir, "[population]\nchildren_per_family_shares = []\n");
  CHECK(only_issue(none) == at(none, 3) +
                                "population.children_per_family_shares: needs 1 to 4 entries (families "
                                "with 1, 2, 3, 4 children)");
}

TEST_CASE("children_per_family_shares must sum to 1", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nchildren_per_family_shares = [0.5, 0.25]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.children_per_family_shares: shares add up to 0.75, not 1");
}

TEST_CASE("shares within a millionth of 1 are accepted", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nchildren_per_family_shares = [0.5, 0.4999995]\n");
  CHECK_NOTHROW(load_authority_file(file));
}

TEST_CASE("there must be at least one locality", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nlocality_names = []\nlocality_shares = []\n");
  CHECK(only_issue(file) == at(file, 3) + "population.locality_names: needs at least one locality");
}

TEST_CASE("there can be at most 255 localities", "[config]") {
  TempDir dir;
  std::string names, shares;
  for (int i = 0; i < 256; ++i) {
    names += (i ? ", " : "") + quote_string("l" + std::to_string(i));
    shares += (i ? ", " : "") + std::string("0.00390625");  // 1/256, exact
  }
  const auto file =
      extending_default(dir, "[population]\nlocality_names = [" + names + "]\nlocality_shares = [" + shares + "]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.locality_names: at most 255 localities");
}

TEST_CASE("locality_shares needs one entry per locality", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nlocality_names = [\"a\", \"b\"]\nlocality_shares = [1.0]\n");
  CHECK(only_issue(file) == at(file, 4) + "population.locality_shares: has 1 entry but there are 2 localities");
}

TEST_CASE("locality_shares must sum to 1", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nlocality_shares = [0.5, 0.25, 0.125, 0.0625]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.locality_shares: shares add up to 0.9375, not 1");
}

TEST_CASE("a locality name may appear only once", "[config]") {
  TempDir dir;
  const auto file =
      extending_default(dir, "[population]\nlocality_names = [\"a\", \"a\"]\nlocality_shares = [0.5, 0.5]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.locality_names: 'a' appears twice");
}

TEST_CASE("deprivation_quintile_shares needs 5 entries", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\ndeprivation_quintile_shares = [0.25, 0.25, 0.25, 0.25]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.deprivation_quintile_shares: needs 5 entries, one per quintile");
}

TEST_CASE("deprivation_quintile_shares must sum to 1", "[config]") {
  TempDir dir;
  const auto file =
      extending_default(dir, "[population]\ndeprivation_quintile_shares = [0.5, 0.25, 0.125, 0.0625, 0.03125]\n");
  CHECK(only_issue(file) == at(file, 3) + "population.deprivation_quintile_shares: shares add up to 0.96875, not 1");
}

TEST_CASE("there must be 2 to 8 levels", "[config]") {
  TempDir dir;
  (void)dir.file("base.toml", two_level_authority);
  const auto one = dir.file("one.toml", "extends = \"base.toml\"\n" + levels_toml({{"only", 1.0, 0.0, 0.0}}));
  CHECK(only_issue(one) == at(one, "[[levels]]") + "levels: needs 2 to 8 [[levels]], found 1");

  std::vector<LevelRow> nine;
  for (int k = 0; k < 9; ++k) nine.push_back({"level" + std::to_string(k), k == 0 ? 0.5 : 0.0625, 0.0, 0.0});
  const auto many = dir.file("nine.toml", "extends = \"base.toml\"\n" + levels_toml(nine));
  CHECK(only_issue(many) == at(many, "[[levels]]") + "levels: needs 2 to 8 [[levels]], found 9");
}

TEST_CASE("level names are identifiers", "[config]") {
  TempDir dir;
  auto levels = four_levels();
  levels[0].name = "Universal";
  const auto file = extending_default(dir, levels_toml(levels));
  CHECK(only_issue(file) == at(file, "name = \"Universal\"") +
                                "levels[0].name: names use lower-case letters, digits and underscores, starting with "
                                "a letter");
}

TEST_CASE("a level name may appear only once", "[config]") {
  TempDir dir;
  auto levels = four_levels();
  levels[2].name = "additional";
  const auto file = extending_default(dir, levels_toml(levels));
  // The default's services working with "complex" then fail too; the duplicate comes first.
  const auto issues = issues_loading(file);
  REQUIRE_FALSE(issues.empty());
  CHECK(issues.front().format() == at(file, "name = \"additional\"", 2) + "levels[2].name: 'additional' appears twice");
}

TEST_CASE("the top level has no up hazard", "[config]") {
  TempDir dir;
  auto levels = four_levels();
  levels[3].up_hazard_per_month = 0.5;
  const auto file = extending_default(dir, levels_toml(levels));
  CHECK(only_issue(file) ==
        at(file, "up_hazard_per_month = 0.5") + "levels[3].up_hazard_per_month: must be 0 on the top level");
}

TEST_CASE("the bottom level has no down hazard", "[config]") {
  TempDir dir;
  auto levels = four_levels();
  levels[0].down_hazard_per_month = 0.5;
  const auto file = extending_default(dir, levels_toml(levels));
  CHECK(only_issue(file) ==
        at(file, "down_hazard_per_month = 0.5") + "levels[0].down_hazard_per_month: must be 0 on the bottom level");
}

TEST_CASE("the initial shares of the levels must sum to 1", "[config]") {
  TempDir dir;
  auto levels = four_levels();
  levels[3].initial_share = 0.0625;
  const auto file = extending_default(dir, levels_toml(levels));
  CHECK(only_issue(file) == at(file, "[[levels]]") + "levels: initial_share of the levels adds up to 0.9375, not 1");
}

TEST_CASE("there can be at most 16 themes", "[config]") {
  TempDir dir;
  (void)dir.file("base.toml", two_level_authority);
  std::string themes;
  for (int j = 0; j < 17; ++j)
    themes += "\n[themes.theme" + std::to_string(j) +
              "]\nprevalence_by_level = [0.0, 0.0]\nonset_hazard_per_month = 0.0\nremission_hazard_per_month = 0.0\n";
  const auto file = dir.file("authority.toml", "extends = \"base.toml\"\n" + themes);
  const auto issues = issues_loading(file);
  REQUIRE(issues.size() == 1);
  CHECK(issues.front().where.file == file.string());
  CHECK(issues.front().key == "themes");
  CHECK(issues.front().message == "at most 16 themes, found 17");
}

TEST_CASE("prevalence_by_level needs one entry per level", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[themes.cse]\nprevalence_by_level = [0.1, 0.2, 0.3]\n");
  CHECK(only_issue(file) == at(file, 3) + "themes.cse.prevalence_by_level: has 3 entries but there are 4 levels");
}

TEST_CASE("onset_multiplier_if_active names only themes", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir,
                                      "[themes.debt]\n"
                                      "prevalence_by_level = [0.1, 0.2, 0.3, 0.4]\n"
                                      "onset_hazard_per_month = 0.01\n"
                                      "remission_hazard_per_month = 0.05\n"
                                      "onset_multiplier_if_active = { cse = 1.5, ghost = 2.0 }\n");
  CHECK(only_issue(file) == at(file, 6) + "themes.debt.onset_multiplier_if_active: 'ghost' is not a theme");
}

TEST_CASE("onset_multiplier_by_deprivation needs 5 entries", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[risk]\nonset_multiplier_by_deprivation = [1.0, 1.0]\n");
  CHECK(only_issue(file) == at(file, 3) + "risk.onset_multiplier_by_deprivation: needs 5 entries, one per quintile");
}

TEST_CASE("an interaction needs at least two themes", "[config]") {
  TempDir dir;
  const auto file =
      extending_default(dir, "[risk.interactions.alone]\nthemes = [\"cse\"]\nescalation_hazard_ratio = 2.0\n");
  CHECK(only_issue(file) == at(file, 3) + "risk.interactions.alone.themes: needs at least two themes");
}

TEST_CASE("an interaction names only themes", "[config]") {
  TempDir dir;
  const auto file = extending_default(
      dir, "[risk.interactions.pair]\nthemes = [\"cse\", \"ghost\"]\nescalation_hazard_ratio = 2.0\n");
  CHECK(only_issue(file) == at(file, 3) + "risk.interactions.pair.themes: 'ghost' is not a theme");
}

TEST_CASE("a jump starts from a level", "[config]") {
  TempDir dir;
  const auto file = extending_default(
      dir, "[jumps.crisis]\nfrom_level = \"nowhere\"\nto_level = \"acute\"\nhazard_per_month = 0.1\n");
  CHECK(only_issue(file) == at(file, 3) + "jumps.crisis.from_level: 'nowhere' is not a level");
}

TEST_CASE("a jump goes to a level", "[config]") {
  TempDir dir;
  const auto file = extending_default(
      dir, "[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"sky\"\nhazard_per_month = 0.1\n");
  CHECK(only_issue(file) == at(file, 4) + "jumps.crisis.to_level: 'sky' is not a level");
}

TEST_CASE("a jump skips at least one level upwards", "[config]") {
  TempDir dir;
  const std::string message =
      "jumps.crisis.to_level: a jump must skip at least one level upwards; use up_hazard_per_month for one step";
  const auto one_step = extending_default(
      dir, "[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"additional\"\nhazard_per_month = 0.1\n");
  CHECK(only_issue(one_step) == at(one_step, 4) + message);
  const auto downwards = extending_default(
      dir, "[jumps.crisis]\nfrom_level = \"acute\"\nto_level = \"universal\"\nhazard_per_month = 0.1\n");
  CHECK(only_issue(downwards) == at(downwards, 4) + message);
}

TEST_CASE("a jump's theme is a theme", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir,
                                      "[jumps.crisis]\nfrom_level = \"universal\"\nto_level = \"complex\"\n"
                                      "theme = \"ghost\"\nhazard_per_month = 0.1\n");
  CHECK(only_issue(file) == at(file, 5) + "jumps.crisis.theme: 'ghost' is not a theme");
}

TEST_CASE("at most six crisis jumps start from one level", "[config]") {
  TempDir dir;
  std::string body;
  for (int j = 0; j < 7; ++j)  // the default already has one jump, from "additional"
    body += "[jumps.crisis_" + std::to_string(j) +
            "]\nfrom_level = \"universal\"\nto_level = \"acute\"\n"
            "hazard_per_month = 0.001\n";
  const auto file = extending_default(dir, body);
  // The seventh from "universal" (named crisis_6, sorted last) is the one too many.
  CHECK(only_issue(file) ==
        at(file, 27) + "jumps.crisis_6.from_level: at most 6 jumps from one level");  // its from_level line
  // Six are fine.
  const auto six = extending_default(dir, body.substr(0, body.find("[jumps.crisis_6]")), "six.toml");
  CHECK_NOTHROW(load_authority_file(six));
}

TEST_CASE("a sibling gap mean must leave room above the 9-month minimum gap", "[config]") {
  TempDir dir;
  const auto file = extending_default(dir, "[population]\nsibling_gap_mean_months = 5\n");
  CHECK(only_issue(file) ==
        at(file, 3) + "population.sibling_gap_mean_months: 5.0 is outside the allowed range [10.0, 120.0]");
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

TEST_CASE("a check across keys is not repeated for a key that already failed", "[config]") {
  TempDir dir;
  // An out-of-range share fails on its own; the sum of the shares is not reported again.
  const auto file = extending_default(dir, "[population]\nlocality_shares = [0.26, 0.24, 0.27, 1.5]\n");
  CHECK(only_issue(file) ==
        at(file, 3) + "population.locality_shares: entry 4, 1.5, is outside the allowed range [0.0, 1.0]");
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

TEST_CASE("extends naming a folder says so", "[config]") {
  TempDir dir;
  const auto file = dir.file("authority.toml", "extends = " + quote_string(dir.path().string()) + "\n");
  CHECK(only_issue(file) ==
        at(file, 1) + "extends: cannot read '" + dir.path().string() + "': it is a folder, not a file");
}

// --- Services, the front door and identification -------------------------------

namespace {
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
}  // namespace

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

TEST_CASE("routing to a service that does not exist is an error", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(
      dir,
      "[front_door]\nroute_by_level = [\"\", \"family_hubs\", \"\", \"\"]\n"
      "triage_capacity_per_month = 10\n[identification]\nprobability_by_level = [0.0, 0.05, 0.0, 0.0]\n");
  CHECK(only_issue(file) == at(file, 3) + "front_door.route_by_level: 'family_hubs' is not a service");
}

TEST_CASE("routing a level to a service that does not work with it is an error", "[config][services]") {
  TempDir dir;
  std::string body = early_help_service;
  body.replace(body.find("[\"\", \"early_help\""), 17, "[\"early_help\", \"\"");
  const auto file = extending_default(dir, body);
  CHECK(only_issue(file) == at(file, 3) +
                                "front_door.route_by_level: routes level 'universal' to 'early_help', which does "
                                "not work with that level");
}

TEST_CASE("a negative capacity, in cases or in a schedule, is an error", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "capacity_cases = -5\n");
  CHECK(only_issue(file) ==
        at(file, 11) + "services.early_help.capacity_cases: -5 is outside the allowed range [0, 1000000000]");
  const auto schedule =
      extending_default(dir, early_help_service + "capacity_from_month = { \"2026-04\" = -1 }\n", "schedule.toml");
  CHECK(only_issue(schedule) == at(schedule, 11) +
                                    "services.early_help.capacity_from_month: entry 1, -1.0, is outside the allowed "
                                    "range [0.0, 1000000000.0]");
}

TEST_CASE("a capacity schedule names months as YYYY-MM and whole numbers of cases", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "capacity_from_month = { \"April 2026\" = 50 }\n");
  CHECK(only_issue(file) ==
        at(file, 11) + "services.early_help.capacity_from_month: 'April 2026' is not a month written \"YYYY-MM\"");
  const auto half =
      extending_default(dir, early_help_service + "capacity_from_month = { \"2026-04\" = 50.5 }\n", "half.toml");
  CHECK(only_issue(half) ==
        at(half, 11) + "services.early_help.capacity_from_month: 50.5 cases from 2026-04 is not a whole number");
}

TEST_CASE("a hazard ratio of zero or less is an error", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "escalation_hazard_ratio = 0\n");
  CHECK(only_issue(file) ==
        at(file, 11) + "services.early_help.escalation_hazard_ratio: 0.0 is outside the allowed range (0.0, 1000.0]");
  const auto negative = extending_default(dir, early_help_service + "de_escalation_hazard_ratio = -1.5\n", "neg.toml");
  CHECK(only_issue(negative) == at(negative, 11) +
                                    "services.early_help.de_escalation_hazard_ratio: -1.5 is outside the allowed "
                                    "range (0.0, 1000.0]");
}

TEST_CASE("identification needs routes, and both need one entry per level", "[config][services]") {
  TempDir dir;
  const auto no_routes = extending_default(dir,
                                           "[front_door]\nroute_by_level = []\nroutes = "
                                           "[]\n[identification]\nprobability_by_level = [0.0, 0.05, 0.1, 0.2]\n");
  CHECK(only_issue(no_routes) ==
        at(no_routes, 3) +
            "front_door.route_by_level: families are referred (identification) but the front door "
            "has no routes");
  const auto short_list =
      extending_default(dir,
                        "[identification]\nprobability_by_level = [0.0, 0.05]\n[front_door]\n"
                        "route_by_level = [\"\", \"\", \"\", \"\"]\ntriage_capacity_per_month = 10\n",
                        "short.toml");
  CHECK(only_issue(short_list) ==
        at(short_list, 3) + "identification.probability_by_level: has 2 entries but there are 4 levels");
  const auto after_closure =
      extending_default(dir, "[identification]\nafter_closure_ratio_by_level = [1.0, 0.5, 0.2]\n", "after.toml");
  CHECK(only_issue(after_closure) ==
        at(after_closure, 3) + "identification.after_closure_ratio_by_level: has 3 entries but there are 4 levels");
}

TEST_CASE("a service works with levels that exist", "[config][services]") {
  TempDir dir;
  std::string body = early_help_service;
  body.replace(body.find("levels = [\"additional\"]"), 23, "levels = [\"tier_2\"]");
  const auto file = extending_default(dir, body);
  const auto issues = issues_loading(file);
  REQUIRE_FALSE(issues.empty());
  CHECK(issues.front().format() == at(file, 8) + "services.early_help.levels: 'tier_2' is not a level");
}

TEST_CASE("a service's payer is one of the payers, and universal costs have one entry per level", "[config][costs]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "payer = \"lottery\"\n");
  CHECK(only_issue(file) == at(file, 11) + "services.early_help.payer: 'lottery' is not one of costs.payers");
  const auto universal =
      extending_default(dir, "[costs]\nuniversal_cost_per_family_month_gbp = [10.0, 20.0]\n", "universal.toml");
  CHECK(only_issue(universal) ==
        at(universal, 3) + "costs.universal_cost_per_family_month_gbp: has 2 entries but there are 4 levels");
  const auto negative = extending_default(dir, early_help_service + "cost_per_case_month_gbp = -1\n", "neg.toml");
  CHECK(only_issue(negative) ==
        at(negative, 11) +
            "services.early_help.cost_per_case_month_gbp: -1.0 is outside the allowed range [0.0, 10000000.0]");
}

TEST_CASE("a service works with consecutive levels, and a front door with routes decides some referrals",
          "[config][services]") {
  TempDir dir;
  std::string body = early_help_service;
  body.replace(body.find("levels = [\"additional\"]"), 23, "levels = [\"additional\", \"acute\"]");
  const auto gap = extending_default(dir, body);
  CHECK(only_issue(gap) == at(gap, 8) +
                               "services.early_help.levels: must be consecutive levels, with none skipped (a family "
                               "moves one level at a time)");
  std::string no_triage = early_help_service;
  no_triage.replace(no_triage.find("triage_capacity_per_month = 100"), 31, "triage_capacity_per_month = 0");
  const auto stalled = extending_default(dir, no_triage, "stalled.toml");
  CHECK(only_issue(stalled) == at(stalled, 4) +
                                   "front_door.triage_capacity_per_month: is 0, so no referral would ever be "
                                   "decided; give the referrals the front door decides a month");
}

TEST_CASE("a service's remission boosts name themes", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "remission_multiplier = { gambling = 2.0 }\n");
  CHECK(only_issue(file) == at(file, 11) + "services.early_help.remission_multiplier: 'gambling' is not a theme");
}

TEST_CASE("a service's kind is one of the six, and the themes it targets exist", "[config][services]") {
  TempDir dir;
  std::string body = early_help_service;
  body.replace(body.find("kind = \"early_help\""), 19, "kind = \"family_hub\"");
  const auto file = extending_default(dir, body);
  CHECK(only_issue(file) == at(file, 10) +
                                "services.early_help.kind: 'family_hub' is not a kind of service: early_help, "
                                "targeted, intensive, children_in_need, child_protection or children_in_care");
  const auto themes = extending_default(dir, early_help_service + "themes = [\"gambling\"]\n", "themes.toml");
  const auto issues = issues_loading(themes);
  REQUIRE_FALSE(issues.empty());
  CHECK(issues.front().format() == at(themes, 11) + "services.early_help.themes: 'gambling' is not a theme");
}

TEST_CASE("a statutory service with a capacity or a consent probability is an error, not silently ignored",
          "[config][services]") {
  TempDir dir;
  std::string body = early_help_service;
  body.replace(body.find("kind = \"early_help\""), 19, "kind = \"children_in_care\"");
  const auto capacity = extending_default(dir, body + "capacity_cases = 400\n");
  CHECK(only_issue(capacity) == at(capacity, 11) +
                                    "services.early_help.capacity_cases: a children_in_care service is statutory: it "
                                    "takes every case routed to it, so it has no capacity");
  const auto consent = extending_default(dir, body + "consent_probability = 0.8\n", "consent.toml");
  CHECK(only_issue(consent) == at(consent, 11) +
                                   "services.early_help.consent_probability: a children_in_care service is "
                                   "statutory: families do not choose whether to take part");
}

TEST_CASE("a capacity schedule's months fall within the run, burn-in included", "[config][services]") {
  TempDir dir;
  // The default starts in 2025-04 with 48 months of burn-in and runs 120 months.
  const auto late = extending_default(dir, early_help_service + "capacity_from_month = { \"2035-04\" = 50 }\n");
  CHECK(only_issue(late) == at(late, 11) +
                                "services.early_help.capacity_from_month: '2035-04' is outside the run (48 months "
                                "of burn-in before 2025-04, then 120 months)");
  const auto early =
      extending_default(dir, early_help_service + "capacity_from_month = { \"2021-03\" = 50 }\n", "early.toml");
  CHECK_FALSE(issues_loading(early).empty());
  const auto first =
      extending_default(dir, early_help_service + "capacity_from_month = { \"2021-04\" = 50 }\n", "first.toml");
  CHECK_NOTHROW(load_authority_file(first));
  const auto last =
      extending_default(dir, early_help_service + "capacity_from_month = { \"2035-03\" = 50 }\n", "last.toml");
  CHECK_NOTHROW(load_authority_file(last));
}

TEST_CASE("a step-down goes to a service that exists and works with the level below", "[config][services]") {
  TempDir dir;
  const std::string protection =
      "[services.protection]\nkind = \"child_protection\"\nlevels = [\"acute\"]\nduration_mean_months = 10\n";
  const auto missing = extending_default(dir, early_help_service + protection + "step_down_to = \"family_hub\"\n");
  CHECK(only_issue(missing) == at(missing, 15) + "services.protection.step_down_to: 'family_hub' is not a service");
  const auto wrong_level =
      extending_default(dir, early_help_service + protection + "step_down_to = \"early_help\"\n", "wrong.toml");
  CHECK(only_issue(wrong_level) == at(wrong_level, 15) +
                                       "services.protection.step_down_to: 'early_help' does not work with level "
                                       "'complex', where families stepping down from 'protection' arrive");
  const auto bottom =
      extending_default(dir,
                        early_help_service +
                            "[services.need]\nkind = \"children_in_need\"\nlevels = [\"universal\", "
                            "\"additional\"]\nduration_mean_months = 8\nstep_down_to = \"early_help\"\n",
                        "bottom.toml");
  CHECK(only_issue(bottom) ==
        at(bottom, 15) +
            "services.need.step_down_to: the service works with the lowest level, so no family steps down below it");
}

TEST_CASE("only social care steps families down, and only to a service that is not social care", "[config][services]") {
  TempDir dir;
  // The default's intensive family service works with level 3; school early help with level 2.
  const auto from_early_help =
      extending_default(dir, "[services.intensive_family_service]\nstep_down_to = \"school_early_help\"\n");
  CHECK(only_issue(from_early_help) == at(from_early_help, 3) +
                                           "services.intensive_family_service.step_down_to: only social care "
                                           "(children_in_need, child_protection, children_in_care) steps families "
                                           "down; 'intensive_family_service' is intensive");
  const auto to_social_care = extending_default(
      dir, "[services.child_protection]\nstep_down_to = \"children_in_need\"\n", "to_social_care.toml");
  CHECK(only_issue(to_social_care) ==
        at(to_social_care, 3) +
            "services.child_protection.step_down_to: 'children_in_need' is children_in_need: step-down from social "
            "care goes to an early help, targeted or intensive service");
}

TEST_CASE("a routing rule names a service that exists and levels it works with", "[config][services]") {
  TempDir dir;
  const auto missing = extending_default(
      dir, early_help_service + "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"family_hub\"\n");
  CHECK(only_issue(missing) == at(missing, 13) + "front_door.routes[0].service: 'family_hub' is not a service");
  const auto level = extending_default(
      dir, early_help_service + "[[front_door.routes]]\nlevels = [\"complex\"]\nservice = \"early_help\"\n",
      "level.toml");
  CHECK(only_issue(level) == at(level, 12) +
                                 "front_door.routes[0].levels: routes level 'complex' to 'early_help', which does "
                                 "not work with that level");
  const auto themed = extending_default(dir, early_help_service + "themes = [\"domestic_abuse\"]\n", "themed.toml");
  CHECK(only_issue(themed) == at(themed, 3) +
                                  "front_door.route_by_level: routes level 'additional' to 'early_help', which "
                                  "targets themes; route to it with a rule in front_door.routes");
}

TEST_CASE("identification by theme names themes", "[config][services]") {
  TempDir dir;
  const auto file = extending_default(dir, early_help_service + "[identification.theme_multiplier]\ngambling = 2.0\n");
  CHECK(only_issue(file) == at(file, 11) + "identification.theme_multiplier: 'gambling' is not a theme");
}

TEST_CASE("multipliers on identification, by theme or after a closure, need identification by level",
          "[config][services]") {
  TempDir dir;
  const auto file = extending_default(
      dir, "[identification]\nprobability_by_level = []\ntheme_multiplier = { domestic_abuse = 2.0 }\n");
  CHECK(only_issue(file) == at(file, 4) +
                                "identification.theme_multiplier: has nothing to multiply: "
                                "identification.probability_by_level is empty; give it, or to identify no family give "
                                "it as zeros (0.0 for each level)");
  const auto after = extending_default(
      dir, "[identification]\nprobability_by_level = []\nafter_closure_ratio_by_level = [1.0, 0.2, 0.1, 1.0]\n",
      "after.toml");
  const auto issues = issues_loading(after);
  REQUIRE(issues.size() == 2);  // the default's theme multipliers, and the ratios
  CHECK(issues[1].format() == at(after, 4) +
                                  "identification.after_closure_ratio_by_level: has nothing to multiply: "
                                  "identification.probability_by_level is empty; give it, or to identify no family "
                                  "give it as zeros (0.0 for each level)");
  // Zeros switch identification off, whatever multiplies them.
  CHECK_NOTHROW(load_authority_file(
      extending_default(dir, "[identification]\nprobability_by_level = [0.0, 0.0, 0.0, 0.0]\n", "off.toml")));
}

TEST_CASE("a routing rule that earlier rules hide, taking every family it would route, is an error",
          "[config][services]") {
  TempDir dir;
  // early_help targets no themes, so a rule to it at level 2 takes every level 2 family before the default's rules.
  std::string body = early_help_service;
  body += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"early_help\"\n";
  body += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n";
  const auto hidden = extending_default(dir, body);
  CHECK(only_issue(hidden) == at(hidden, 14) +
                                  "front_door.routes[1]: is never used: every family it would route goes first to "
                                  "front_door.routes[0] ('early_help'); put it before them");
  // A themed rule whose themes an earlier rule at its levels already takes is hidden too.
  std::string themed = early_help_service;
  themed += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n";
  themed +=
      "[services.refuge]\nkind = \"targeted\"\nlevels = [\"additional\"]\nduration_mean_months = 4\n"
      "themes = [\"domestic_abuse\"]\ncapacity_cases = 10\n";
  themed += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"refuge\"\n";
  const auto covered = extending_default(dir, themed, "covered.toml");
  CHECK(only_issue(covered) == at(covered, 20) +
                                   "front_door.routes[1]: is never used: every family it would route goes first to "
                                   "front_door.routes[0] ('domestic_abuse_service'); put it before them");
  // Themed first, then everyone else: both rules are used.
  std::string ordered = early_help_service;
  ordered += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"domestic_abuse_service\"\n";
  ordered += "[[front_door.routes]]\nlevels = [\"additional\"]\nservice = \"early_help\"\n";
  CHECK_NOTHROW(load_authority_file(extending_default(dir, ordered, "ordered.toml")));
}

TEST_CASE("capacity held per locality gives every locality a place", "[config][services]") {
  TempDir dir;
  // The default's four localities have shares 0.26, 0.24, 0.27, 0.23: three places leave 'west' (0.69) with none.
  const auto few = extending_default(dir, early_help_service + "capacity_cases = 3\ncapacity_by_locality = true\n");
  CHECK(only_issue(few) == at(few, 11) +
                               "services.early_help.capacity_cases: 3 cases held per locality give 'west' no place, "
                               "so its families would wait for good; give more cases or hold them borough wide");
  const auto scheduled = extending_default(
      dir,
      early_help_service +
          "capacity_cases = 40\ncapacity_by_locality = true\ncapacity_from_month = { \"2026-04\" = 2 }\n",
      "scheduled.toml");
  CHECK_THAT(only_issue(scheduled),
             Contains("services.early_help.capacity_from_month: 2 cases held per locality give 'central' no place"));
  CHECK_NOTHROW(load_authority_file(
      extending_default(dir, early_help_service + "capacity_cases = 4\ncapacity_by_locality = true\n", "four.toml")));
}

TEST_CASE("reinvestment names services that exist and buys capacity a service sells by the case",
          "[config][reinvestment]") {
  TempDir dir;
  const auto with = [&](const std::string& body, const std::string& name) {
    return extending_default(dir, "[reinvestment]\nshare = 0.5\n" + body, name);
  };
  const auto none = with("to_service = \"school_early_help\"\nfrom_services = []\n", "none.toml");
  CHECK(only_issue(none) ==
        at(none, 5) + "reinvestment.from_services: names no service whose saving would be reinvested");
  const auto unknown = with("to_service = \"hub\"\nfrom_services = [\"care\"]\n", "unknown.toml");
  const auto unknown_issues = issues_loading(unknown);
  REQUIRE(unknown_issues.size() == 2);
  CHECK(unknown_issues[0].format() == at(unknown, 5) + "reinvestment.from_services: 'care' is not a service");
  CHECK(unknown_issues[1].format() == at(unknown, 4) + "reinvestment.to_service: 'hub' is not a service");
  const auto statutory =
      with("to_service = \"child_protection\"\nfrom_services = [\"children_in_care\"]\n", "statutory.toml");
  CHECK(only_issue(statutory) ==
        at(statutory, 4) + "reinvestment.to_service: 'child_protection' is statutory: it has no capacity to add to");
  const auto per_child = with("to_service = \"early_help\"\nfrom_services = [\"children_in_care\"]\n" +
                                  early_help_service + "cost_per_case_month_gbp = 500\ncost_per_child = true\n",
                              "per_child.toml");
  CHECK(only_issue(per_child) == at(per_child, 4) +
                                     "reinvestment.to_service: 'early_help' is costed per child, so a case has no set "
                                     "price to buy capacity with");
  const auto free = with("to_service = \"early_help\"\nfrom_services = [\"children_in_care\"]\n" + early_help_service +
                             "cost_per_case_month_gbp = 0.004\n",
                         "free.toml");
  CHECK(only_issue(free) == at(free, 4) +
                                "reinvestment.to_service: 'early_help' costs nothing a case-month, so money cannot "
                                "buy it capacity");
  const auto reference =
      with("to_service = \"school_early_help\"\nfrom_services = [\"children_in_care\"]\nreference = \"forecast\"\n",
           "reference.toml");
  CHECK(only_issue(reference) ==
        at(reference, 6) + "reinvestment.reference: 'forecast' is not a reference for savings: baseline or budget");
}

TEST_CASE("the reference of a reinvestment is one of its words even when nothing is reinvested",
          "[config][reinvestment]") {
  TempDir dir;
  const auto file = extending_default(dir, "[reinvestment]\nshare = 0.0\nreference = \"budgets\"\n");
  CHECK(only_issue(file) == at(file, 4) +
                                "reinvestment.reference: 'budgets' is not a reference for savings: baseline or budget "
                                "(did you mean 'budget'?)");
}

TEST_CASE("a mixture of episode lengths has matching lists, shares adding up to 1, and the stated mean",
          "[config][services]") {
  TempDir dir;
  const auto mismatched = extending_default(
      dir, early_help_service + "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0]\n");
  CHECK(only_issue(mismatched) ==
        at(mismatched, 12) +
            "services.early_help.duration_mix_means_months: has 1 entry but duration_mix_shares has 2 entries");
  const auto shares = extending_default(
      dir, early_help_service + "duration_mix_shares = [0.5, 0.4]\nduration_mix_means_months = [2.0, 12.5]\n",
      "shares.toml");
  CHECK(only_issue(shares) == at(shares, 11) + "services.early_help.duration_mix_shares: shares add up to 0.9, not 1");
  const auto mean = extending_default(
      dir, early_help_service + "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0, 20.0]\n",
      "mean.toml");
  CHECK(only_issue(mean) == at(mean, 9) +
                                "services.early_help.duration_mean_months: 6.0 months differs from the mean of the "
                                "mixture, 11.0 (duration_mix_shares x duration_mix_means_months); make them agree");
  const auto good = extending_default(
      dir, early_help_service + "duration_mix_shares = [0.5, 0.5]\nduration_mix_means_months = [2.0, 10.0]\n",
      "good.toml");
  CHECK_NOTHROW(load_authority_file(good));
}

TEST_CASE("a placement mix names the same types in shares and costs, adds up to 1 and is costed per child",
          "[config][services]") {
  TempDir dir;
  const std::string mix =
      "cost_per_child = true\nplacement_shares = { fostering = 0.8, childrens_home = 0.2 }\n"
      "placement_cost_per_child_month_gbp = { fostering = 3584.0, residential = 26500.0 }\n";
  const auto file = extending_default(dir, early_help_service + mix);
  const auto issues = issues_loading(file);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].format() == at(file, 13) +
                                  "services.early_help.placement_cost_per_child_month_gbp: has no cost for placement "
                                  "type 'childrens_home'");
  CHECK(issues[1].format() ==
        at(file, 12) + "services.early_help.placement_shares: has no share for placement type 'residential'");
  const auto both = extending_default(dir,
                                      early_help_service +
                                          "cost_per_child = true\ncost_per_case_month_gbp = 6450\nplacement_shares = "
                                          "{ fostering = 1.0 }\nplacement_cost_per_child_month_gbp = { fostering = "
                                          "3584.0 }\n",
                                      "both.toml");
  CHECK(only_issue(both) == at(both, 12) +
                                "services.early_help.cost_per_case_month_gbp: give either a cost per case-month or a "
                                "placement mix (placement_shares and its costs), not both");
  const auto per_case =
      extending_default(dir,
                        early_help_service +
                            "placement_shares = { fostering = 1.0 }\nplacement_cost_per_child_month_gbp = { "
                            "fostering = 3584.0 }\n",
                        "per_case.toml");
  CHECK(only_issue(per_case) == at(per_case, 11) +
                                    "services.early_help.placement_shares: a placement mix is costed per child: set "
                                    "cost_per_child = true");
}

// Scenario overlays: an option is the base configuration with an overlay file
// merged onto it, and `ehsim diff` lists what it changes.
#include <algorithm>
#include <regex>

#include <catch2/catch.hpp>

#include "config/diagnostics.hpp"
#include "config/diff.hpp"
#include "config/load.hpp"
#include "config/sweep.hpp"
#include "config/toml_text.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::config;
using ehsim::testing::TempDir;

namespace {

std::vector<ConfigIssue> scenario_issues(const std::filesystem::path& overlay, bool branching = true) {
  try {
    (void)load_scenario({}, overlay, branching);
  } catch (const ConfigError& error) {
    return error.issues();
  }
  FAIL("loading " << overlay << " succeeded, but an error was expected");
  return {};
}

const ServiceConfig* find_service(const Authority& authority, const std::string& name) {
  for (const auto& service : authority.services)
    if (service.name == name) return &service;
  return nullptr;
}

}  // namespace

TEST_CASE("an overlay changes the keys it names and keeps the rest of the base", "[config][scenario]") {
  TempDir dir;
  const auto overlay = dir.file("more.toml",
                                "[services.intensive_family_service]\n"
                                "capacity_from_month = { \"2026-04\" = 240 }\n"
                                "[services.parenting_programme]\n"
                                "capacity_cases = 30\n");
  const Authority base = default_authority();
  const Authority option = load_scenario({}, overlay);
  const auto* intensive = find_service(option, "intensive_family_service");
  REQUIRE(intensive != nullptr);
  CHECK(intensive->capacity_from_month.at("2026-04") == 240);
  CHECK(intensive->capacity_cases == find_service(base, "intensive_family_service")->capacity_cases);
  CHECK(find_service(option, "parenting_programme")->capacity_cases == 30);
  // Exactly the two keys differ.
  const auto found = differences(base, option);
  REQUIRE(found.size() == 2);
  CHECK(found[0].key == "services.intensive_family_service.capacity_from_month.2026-04");
  CHECK(found[0].base.empty());
  CHECK(found[0].option == "240.0");
  CHECK(found[1].key == "services.parenting_programme.capacity_cases");
  CHECK(found[1].base == "14");
  CHECK(found[1].option == "30");
}

TEST_CASE("an overlay adds a service with all its keys, and removes one with name = false", "[config][scenario]") {
  TempDir dir;
  const auto overlay = dir.file("fgc.toml",
                                "[services]\n"
                                "parenting_programme = false\n"
                                "[services.family_group_conference]\n"
                                "kind = \"intensive\"\n"
                                "levels = [\"complex\"]\n"
                                "capacity_cases = 20\n"
                                "duration_mean_months = 2\n");
  // The parenting programme has a routing rule in the base: removing it alone is an error...
  const auto issues = scenario_issues(overlay);
  REQUIRE_FALSE(issues.empty());
  CHECK(issues.front().message == "'parenting_programme' is not a service");
  // ...and with the rules restated without it, the option has the new service and not the old.
  const auto rules = dir.file("rules.toml",
                              "[services]\nparenting_programme = false\n"
                              "[services.family_group_conference]\nkind = \"intensive\"\nlevels = [\"complex\"]\n"
                              "capacity_cases = 20\nduration_mean_months = 2\n"
                              "[[front_door.routes]]\nlevels = [\"complex\"]\nservice = \"family_group_conference\"\n");
  const Authority option = load_scenario({}, rules);
  CHECK(find_service(option, "parenting_programme") == nullptr);
  CHECK(find_service(option, "family_group_conference") != nullptr);
  CHECK(option.front_door.routes.size() == 1);
}

TEST_CASE("an overlay that names a service the base does not have, without its keys, is a misspelling",
          "[config][scenario]") {
  TempDir dir;
  const auto overlay = dir.file("typo.toml", "[services.intensive_family_servce]\ncapacity_cases = 240\n");
  const auto issues = scenario_issues(overlay);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].format() == overlay.string() +
                                  ":1: services.intensive_family_servce: 'intensive_family_servce' is not in the base "
                                  "configuration (did you mean 'intensive_family_service'?); to add one, give every "
                                  "key it needs (ehsim schema lists them)");
  const auto unknown = dir.file("unknown.toml", "[services.intensive_family_service]\ncapacity_case = 240\n");
  const auto unknown_issues = scenario_issues(unknown);
  REQUIRE(unknown_issues.size() == 1);
  CHECK(unknown_issues[0].format() ==
        unknown.string() +
            ":2: services.intensive_family_service.capacity_case: unknown key (did you mean "
            "'capacity_cases'?)");
}

TEST_CASE("an overlay cannot change what the shared burn-in fixes, nor extend another file", "[config][scenario]") {
  TempDir dir;
  const auto families = dir.file("bigger.toml", "[population]\nfamilies = 40000\n");
  const auto issues = scenario_issues(families);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].format() == families.string() +
                                  ":2: population.families: every scenario branches from the baseline's burn-in and "
                                  "starting families, so this must be as in the base; run a different population, "
                                  "horizon or set of levels and themes as a configuration of its own");
  const auto months = dir.file("longer.toml", "[simulation]\nmonths = 60\n");
  CHECK(scenario_issues(months).front().key == "simulation.months");
  // ehsim diff may compare them all the same.
  CHECK_NOTHROW(load_scenario({}, families, /*branching=*/false));
  // Growth is a dynamic, applied from the start month: allowed.
  const auto growth = dir.file("growth.toml", "[population]\ngrowth_per_year = 0.01\n");
  CHECK_NOTHROW(load_scenario({}, growth));
  const auto extends = dir.file("extends.toml", "extends = \"../configs/default.toml\"\n");
  CHECK(scenario_issues(extends).front().format() ==
        extends.string() +
            ":1: extends: a scenario overlay applies to the base configuration given on the command line; it "
            "cannot extend another file");
}

TEST_CASE("an overlay compares in the base's prices: it may not change the price year or the price index",
          "[config][scenario][prices]") {
  TempDir dir;
  const auto index = dir.file("reprice.toml", "[costs]\nprice_index = { \"2016-17\" = 100.0, \"2024\" = 200.0 }\n");
  const auto issues = scenario_issues(index);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].format() == index.string() +
                                  ":2: costs.price_index.2024: every scenario is compared in the base's prices, so "
                                  "this must be as in the base (a payer's costs rising faster is "
                                  "costs.real_price_growth_per_year)");
  const auto year = dir.file("year.toml", "[costs]\nprice_year = \"2016-17\"\n");
  CHECK(scenario_issues(year).front().key == "costs.price_year");
  const auto growth = dir.file("growth.toml", "[costs]\nreal_price_growth_per_year = { childrens_services = 0.02 }\n");
  CHECK_NOTHROW(load_scenario({}, growth));  // a future of placements outpacing inflation
}

TEST_CASE("every scenario shipped in scenarios/ loads onto the default and changes something", "[config][scenario]") {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().filename().string());
    const Authority option = load_scenario({}, entry.path());
    CHECK(differences(default_authority(), option).size() >= 2);  // its description and at least one lever
    ++count;
  }
  CHECK(count >= 5);
}

TEST_CASE("every scenario in scenarios/<authority>/ loads onto that authority's preset and changes something",
          "[config][scenario][presets]") {
  int count = 0;
  for (const auto& folder : std::filesystem::directory_iterator(testing::source_path("scenarios"))) {
    if (!folder.is_directory()) continue;
    const auto authority = folder.path().filename().string();
    const auto preset = testing::source_path("configs/" + authority + ".calibrated.toml");
    INFO(authority);
    REQUIRE(std::filesystem::exists(preset));
    const Authority base = load_authority_file(preset);
    for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
      if (entry.path().extension() != ".toml") continue;
      INFO(entry.path().filename().string());
      const Authority option = load_scenario(preset, entry.path());
      CHECK(differences(base, option).size() >= 2);  // its description and at least one lever
      ++count;
    }
  }
  CHECK(count >= 1);
}

TEST_CASE("an uncertain parameter names a numeric key and a distribution with its interval", "[config][uncertainty]") {
  TempDir dir;
  const std::string base = "extends = " + quote_string(testing::source_path("configs/default.toml").string()) + "\n";
  const auto missing =
      dir.file("missing.toml", base +
                                   "[[uncertainty]]\nkey = \"services.intensive.escalation_hazard_ratio\"\n"
                                   "distribution = \"lognormal\"\nlow = 0.5\nhigh = 0.9\n");
  try {
    (void)load_authority_file(missing);
    FAIL("expected an error");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].format() == missing.string() +
                                            ":3: uncertainty[0].key: 'services.intensive.escalation_hazard_ratio' is "
                                            "not a numeric key of this configuration");
  }
  const auto bad = dir.file("bad.toml", base +
                                            "[[uncertainty]]\nkey = \"population.growth_per_year\"\n"
                                            "distribution = \"lognormal\"\nlow = 0.0\nhigh = -0.1\n");
  try {
    (void)load_authority_file(bad);
    FAIL("expected an error");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 2);
    CHECK(error.issues()[0].format() == bad.string() + ":6: uncertainty[0].high: needs high above low (0.0)");
    CHECK(error.issues()[1].format() ==
          bad.string() + ":5: uncertainty[0].low: a lognormal distribution needs low above 0");
  }
}

TEST_CASE("a sample's keys are drawn as one row, and a sample that cannot be is refused at its line",
          "[config][uncertainty]") {
  TempDir dir;
  const std::string base = "extends = " + quote_string(testing::source_path("configs/default.toml").string()) + "\n";
  const std::string first = "[[uncertainty]]\nkey = \"population.growth_per_year\"\ndistribution = \"sample\"\n";
  const std::string second =
      "[[uncertainty]]\nkey = \"services.intensive_family_service.escalation_hazard_ratio\"\ndistribution = "
      "\"sample\"\n";
  const auto good =
      dir.file("good.toml", base + first + "values = [0.01, 0.02, 0.03]\n" + second + "values = [0.5, 0.6, 0.7]\n");
  const auto authority = load_authority_file(good);
  std::vector<int> rows_seen(3, 0);
  for (std::uint32_t r = 0; r < 30; ++r) {
    const auto values = experiment::draw_uncertain(authority, 9, r);
    REQUIRE(values.size() == 2);
    // Row i of one key goes with row i of the other.
    const auto row = static_cast<std::size_t>(std::lround(values[0] * 100)) - 1;
    REQUIRE(row < 3);
    CHECK(values[1] == std::vector<double>{0.5, 0.6, 0.7}[row]);
    ++rows_seen[row];
  }
  CHECK(std::all_of(rows_seen.begin(), rows_seen.end(), [](int n) { return n > 0; }));
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases{
      {first + "\n", ":2: uncertainty[0].values: a sample needs its values, one per row"},
      {first + "values = [0.01]\n" + second + "values = [0.5, 0.6]\n",
       ":9: uncertainty[1].values: has 2 values where the first sample key has 1: the rows of a joint sample go "
       "together"},
      {first + "values = [0.01]\nlow = 0.01\n", ":6: uncertainty[0].low: a sample takes values, not low and high"},
      {first + "values = [0.01, 9.0]\n",
       ":5: uncertainty[0].values: value 2, 9.0, is outside the range of "
       "population.growth_per_year"},
      {"[[uncertainty]]\nkey = \"population.growth_per_year\"\ndistribution = \"normal\"\nlow = 0.0\nhigh = 0.01\n"
       "values = [0.005]\n",
       ":7: uncertainty[0].values: only a sample takes values; give low and high"},
      {"[[uncertainty]]\nkey = \"population.growth_per_year\"\ndistribution = \"normal\"\nhigh = 0.01\n",
       ":2: uncertainty[0].low: is required for a normal distribution"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto path = dir.file("bad.toml", base + c.text);
    try {
      (void)load_authority_file(path);
      FAIL("expected an error");
    } catch (const ConfigError& error) {
      REQUIRE(error.issues().size() == 1);
      CHECK_THAT(error.issues()[0].format(), Catch::StartsWith(path.string() + c.expected));
    }
  }
}

TEST_CASE("a distribution or a sweep design outside its words is refused at its line, with the nearest word",
          "[config][uncertainty]") {
  TempDir dir;
  const std::string base = "extends = " + quote_string(testing::source_path("configs/default.toml").string()) + "\n";
  const auto misspelt = dir.file("misspelt.toml", base +
                                                      "[[uncertainty]]\nkey = \"population.growth_per_year\"\n"
                                                      "distribution = \"lognormel\"\nlow = 0.01\nhigh = 0.02\n");
  try {
    (void)load_authority_file(misspelt);
    FAIL("expected an error");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].format() == misspelt.string() +
                                            ":4: uncertainty[0].distribution: 'lognormel' is not a distribution: "
                                            "lognormal, normal, uniform or sample (did you mean 'lognormal'?)");
  }
  const auto sweep = dir.file("sweep.toml",
                              "design = \"sobel\"\npoints = 4\n[[parameters]]\nkey = \"population.growth_per_year\"\n"
                              "min = 0.0\nmax = 0.01\n");
  try {
    (void)load_sweep(sweep);
    FAIL("expected an error");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    CHECK(error.issues()[0].format() == sweep.string() +
                                            ":1: design: 'sobel' is not a design: grid, latin_hypercube, morris or "
                                            "sobol (did you mean 'sobol'?)");
  }
}

namespace {

// The months an overlay's dated keys name: the entries of a *_from_month
// schedule and a service's open_from_month.
void dated_months(const TomlValue& value, std::vector<std::string>& months) {
  if (!value.is_table()) return;
  for (const auto& [key, inner] : value.as_table()) {
    const bool dated = key.size() > 11 && key.compare(key.size() - 11, 11, "_from_month") == 0;
    if (dated && inner.is_table())
      for (const auto& [month, unused] : inner.as_table()) months.push_back(month);
    else if (dated && inner.is_string())
      months.push_back(inner.as_string().str);
    else
      dated_months(inner, months);
  }
}

}  // namespace

TEST_CASE(
    "a shipped option that says when it starts starts then: the month in its description is its first dated "
    "change, or its authority's first month when nothing in it is dated",
    "[config][scenario][presets]") {
  static const std::regex said(
      "from (January|February|March|April|May|June|July|August|September|October|November|December) (\\d{4})");
  static const std::vector<std::string> names{"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};
  int checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().string());
    const auto folder = entry.path().parent_path().filename().string();
    const auto base = folder == "scenarios" ? testing::source_path("configs/default.toml")
                                            : testing::source_path("configs/" + folder + ".calibrated.toml");
    const Authority option = load_scenario(base, entry.path());
    std::smatch match;
    if (!std::regex_search(option.description, match, said)) continue;
    const auto month_number = std::find(names.begin(), names.end(), match[1].str()) - names.begin() + 1;
    char stated[8];
    std::snprintf(stated, sizeof stated, "%s-%02d", match[2].str().c_str(), static_cast<int>(month_number));
    std::vector<std::string> months;
    dated_months(parse_toml_text(read_config_file(entry.path()), entry.path().string()), months);
    const std::string first =
        months.empty() ? option.simulation.start_month : *std::min_element(months.begin(), months.end());
    CHECK(first == stated);
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("an overlay may not set a key its base draws for each replicate: the draw would replace it",
          "[config][scenario][uncertainty]") {
  TempDir dir;
  const auto base = testing::source_path("configs/default_with_uncertainty.toml");
  const auto overlay = dir.file("stronger.toml",
                                "description = \"Option: a stronger effect\"\n[themes.domestic_abuse]\n"
                                "escalation_hazard_ratio = 3.0\n");
  try {
    (void)load_scenario(base, overlay);
    FAIL("an overlay setting an uncertain key loaded");
  } catch (const ConfigError& error) {
    REQUIRE(error.issues().size() == 1);
    const auto& issue = error.issues().front();
    CHECK(issue.where.file == overlay.string());
    CHECK(issue.where.line == 3);
    CHECK(issue.key == "themes.domestic_abuse.escalation_hazard_ratio");
    CHECK_THAT(issue.message, Catch::Matchers::StartsWith("the base configuration draws "
                                                          "themes.domestic_abuse.escalation_hazard_ratio afresh"));
  }
  // On a base that does not draw it, the same overlay loads.
  CHECK_NOTHROW(load_scenario(testing::source_path("configs/default.toml"), overlay));
}

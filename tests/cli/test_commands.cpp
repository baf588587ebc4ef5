// The ehsim command line, run in process: exit statuses, what each command
// prints, and that a bad configuration, argument or output path writes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "config/load.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using ehsim::testing::read_text;
using ehsim::testing::run_ehsim;
using ehsim::testing::source_path;
using ehsim::testing::TempDir;

std::string default_config() { return source_path("configs/default.toml").string(); }

// A configuration with one bad key on line 3.
std::filesystem::path bad_config(const TempDir& dir) {
  return dir.file("bad.toml", "extends = " + config::quote_string(default_config()) + "\n[simulation]\nmonths = 0\n");
}

}  // namespace

TEST_CASE("ehsim --version prints the version and exits 0", "[cli]") {
  const auto result = run_ehsim({"--version"});
  CHECK(result.status == cli::exit_ok);
  CHECK_THAT(result.out, StartsWith("ehsim 0.1.0"));
}

TEST_CASE("ehsim --help exits 0 and shows examples", "[cli]") {
  const auto result = run_ehsim({"--help"});
  CHECK(result.status == cli::exit_ok);
  CHECK_THAT(result.out, Contains("Examples"));
  CHECK_THAT(result.out, Contains("validate"));
}

TEST_CASE("ehsim run --help exits 0 and shows the run examples", "[cli]") {
  const auto result = run_ehsim({"run", "--help"});
  CHECK(result.status == cli::exit_ok);
  CHECK_THAT(result.out, Contains("--families"));
  CHECK_THAT(result.out, Contains("Examples"));
}

TEST_CASE("ehsim without a subcommand exits 2", "[cli]") { CHECK(run_ehsim({}).status == cli::exit_bad_input); }

TEST_CASE("an unknown subcommand or option exits 2", "[cli]") {
  CHECK(run_ehsim({"simulate"}).status == cli::exit_bad_input);
  const auto result = run_ehsim({"run", "--no-such-option"});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("--no-such-option"));
}

TEST_CASE("ehsim schema prints every key with its unit, default and range", "[cli]") {
  const auto result = run_ehsim({"schema"});
  CHECK(result.status == cli::exit_ok);
  CHECK(result.out == config::configuration_reference_text());
  CHECK_THAT(result.out, Contains("population.families"));
  CHECK_THAT(result.out, Contains("levels[].up_hazard_per_month"));
}

TEST_CASE("ehsim schema --markdown prints the configuration reference", "[cli]") {
  const auto result = run_ehsim({"schema", "--markdown"});
  CHECK(result.status == cli::exit_ok);
  CHECK(result.out == config::configuration_reference_markdown());
}

TEST_CASE("ehsim validate prints the resolved configuration, which loads", "[cli]") {
  const auto result = run_ehsim({"validate", default_config()});
  REQUIRE(result.status == cli::exit_ok);
  CHECK(result.err.empty());
  CHECK(result.out == config::to_toml(config::default_authority()));
  CHECK(config::to_toml(config::load_authority_text(result.out, "validated.toml")) == result.out);
}

TEST_CASE("ehsim validate on a bad configuration exits 2 with every issue and its line", "[cli]") {
  TempDir dir;
  const auto file = dir.file(
      "bad.toml", "extends = " + config::quote_string(default_config()) + "\n[simulation]\nmonths = 0\nseeed = 3\n");
  const auto result = run_ehsim({"validate", file.string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK(result.out.empty());
  CHECK_THAT(result.err, Contains(file.string() + ":3: simulation.months: 0 is outside the allowed range [1, 1200]\n"));
  CHECK_THAT(result.err, Contains(file.string() + ":4: simulation.seeed: unknown key (did you mean 'seed'?)\n"));
  CHECK_THAT(result.err, Contains("2 errors in the configuration; nothing was written"));
}

TEST_CASE("ehsim run with a bad configuration exits 2 and writes nothing", "[cli]") {
  TempDir config_dir, out_dir;
  const auto out = out_dir.path() / "r.h5";
  const auto result = run_ehsim({"run", bad_config(config_dir).string(), "--out", out.string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains(":3: simulation.months:"));
  CHECK_THAT(result.err, Contains("nothing was written"));
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(testing::files_in(out_dir.path()).empty());
}

TEST_CASE("ehsim run into a folder that does not exist exits 2 and writes nothing", "[cli]") {
  TempDir dir;
  const auto missing = dir.path() / "missing";
  const auto result = run_ehsim({"run", "--families", "100", "--months", "1", "--out", (missing / "r.h5").string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("does not exist"));
  CHECK_THAT(result.err, Contains("nothing was written"));
  CHECK_FALSE(std::filesystem::exists(missing));
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("ehsim run onto a folder's name exits 2", "[cli]") {
  TempDir dir;
  const auto result = run_ehsim({"run", "--families", "100", "--months", "1", "--out", dir.path().string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("it is a folder"));
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("ehsim run rejects options out of range with exit 2", "[cli]") {
  TempDir dir;
  const auto out = (dir.path() / "r.h5").string();
  CHECK(run_ehsim({"run", "--months", "0", "--out", out}).status == cli::exit_bad_input);
  CHECK(run_ehsim({"run", "--families", "0", "--out", out}).status == cli::exit_bad_input);
  CHECK(run_ehsim({"run", "--replicates", "0", "--out", out}).status == cli::exit_bad_input);
  CHECK(run_ehsim({"run", "--months", "twelve", "--out", out}).status == cli::exit_bad_input);
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("ehsim run or validate with a configuration that does not exist exits 2", "[cli]") {
  TempDir dir;
  const auto absent = (dir.path() / "absent.toml").string();
  const auto run = run_ehsim({"run", absent, "--out", (dir.path() / "r.h5").string()});
  CHECK(run.status == cli::exit_bad_input);
  CHECK_THAT(run.err, Contains("absent.toml"));
  CHECK(run_ehsim({"validate", absent}).status == cli::exit_bad_input);
  CHECK(testing::files_in(dir.path()).empty());
}

TEST_CASE("ehsim run writes the results file, and nothing else, and says where", "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "r.h5";
  const auto result = run_ehsim({"run", "--families", "500", "--months", "6", "--out", out.string()});
  INFO(result.err);
  REQUIRE(result.status == cli::exit_ok);
  CHECK(std::filesystem::is_regular_file(out));
  CHECK(std::filesystem::file_size(out) > 0);
  CHECK(testing::files_in(dir.path()) == std::vector<std::string>{"r.h5"});  // no .partial file left behind
  CHECK_THAT(result.out, Contains("Results: " + out.string()));
}

TEST_CASE("ehsim run with a configuration file writes its results", "[cli]") {
  TempDir dir;
  const auto config = dir.file("small.toml", "extends = " + config::quote_string(default_config()) +
                                                 "\n[simulation]\nmonths = 3\nburn_in_months = 0\n"
                                                 "[population]\nfamilies = 200\n");
  const auto out = dir.path() / "small.h5";
  const auto result = run_ehsim({"run", config.string(), "--out", out.string()});
  INFO(result.err);
  REQUIRE(result.status == cli::exit_ok);
  CHECK(std::filesystem::is_regular_file(out));
}

TEST_CASE("ehsim run with scenarios writes the baseline, each option and their comparison, and prints it", "[cli]") {
  TempDir dir;
  const auto overlay = dir.file("more_places.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto out = dir.path() / "results.h5";
  const auto result = run_ehsim({"run", "--scenario", overlay.string(), "--families", "3000", "--months", "12",
                                 "--replicates", "2", "--out", out.string()});
  CHECK(result.status == cli::exit_ok);
  CHECK_THAT(result.out, Contains("Option \"more_places\" against the baseline"));
  CHECK_THAT(result.out, Contains("chance it saves money"));
  CHECK(std::filesystem::exists(out));
}

TEST_CASE("a future is compared as a projection: its change in spend is no one's investment, saving or return",
          "[cli][futures]") {
  TempDir dir;
  const auto future = dir.file("more_abuse.toml",
                               "kind = \"future\"\n[themes.domestic_abuse]\n"
                               "onset_multiplier_from_month = { \"2025-10\" = 1.5 }\n");
  const auto option = dir.file("more_places.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto out = dir.path() / "results.h5";
  const auto result = run_ehsim({"run", "--scenario", future.string(), "--scenario", option.string(), "--families",
                                 "3000", "--months", "12", "--replicates", "3", "--out", out.string()});
  INFO(result.err);
  REQUIRE(result.status == cli::exit_ok);
  const auto future_text = result.out.substr(result.out.find("Future \"more_abuse\""));
  const auto option_text = future_text.substr(future_text.find("Option \"more_places\""));
  const auto future_part = future_text.substr(0, future_text.size() - option_text.size());
  CHECK_THAT(future_part, Contains("a future, not an option"));
  CHECK_THAT(future_part, !Contains("invested"));
  CHECK_THAT(future_part, !Contains("saves money"));
  CHECK_THAT(option_text, Contains("spends "));
  CHECK_THAT(option_text, Contains(" more on Intensive family service; "));
  // The headline in cash and by who pays, for options and futures alike.
  CHECK_THAT(option_text, Contains("in cash (cashable spend): "));
  CHECK_THAT(option_text, Contains("by who pays: childrens_services "));
  // The Green Book's adjusted view beside the headline, for an option only.
  CHECK_THAT(option_text, Contains("adjusted for optimism bias (rises in spend +41%, savings -41%"));
  CHECK_THAT(future_part, !Contains("optimism bias"));
  CHECK_THAT(future_part, Contains("in cash (cashable spend): +"));
  // With one option there is nothing to rank; futures are never ranked.
  CHECK_THAT(result.out, !Contains("Options ranked"));
  const auto fewer = dir.file("fewer_places.toml", "[services.intensive_family_service]\ncapacity_cases = 60\n");
  const auto ranked = run_ehsim({"run", "--scenario", future.string(), "--scenario", option.string(), "--scenario",
                                 fewer.string(), "--families", "3000", "--months", "12", "--replicates", "3", "--out",
                                 (dir.path() / "ranked.h5").string()});
  REQUIRE(ranked.status == cli::exit_ok);
  const auto ranking = ranked.out.substr(ranked.out.find("Options ranked"));
  CHECK_THAT(ranking, Contains("by net cost per level 4 family-month avoided"));
  CHECK_THAT(ranking, Contains("by net cost in cash"));
  CHECK_THAT(ranking, Contains("more_places"));
  CHECK_THAT(ranking, Contains("fewer_places"));
  CHECK_THAT(ranking, !Contains("more_abuse"));
  // In cash, the option that spends more on places ranks after the one that spends less.
  const auto cash = ranking.substr(ranking.find("by net cost in cash"));
  CHECK(cash.find("fewer_places") < cash.find("more_places"));
  // Both say which interval is which: of the mean, and the range of outcomes.
  CHECK_THAT(future_part, Contains("95% interval of the mean and the 5%-95% range of the replicates' outcomes"));
  CHECK_THAT(future_part, Contains("; outcomes "));
  // A kind that is neither is an error naming the file and key.
  const auto wrong = dir.file("wrong.toml", "kind = \"trend\"\n");
  const auto refused = run_ehsim({"run", "--scenario", wrong.string(), "--months", "1", "--replicates", "1", "--out",
                                  (dir.path() / "wrong.h5").string()});
  CHECK(refused.status == cli::exit_bad_input);
  CHECK_THAT(refused.err, Contains("wrong.toml:1: kind: 'trend' is not a kind of scenario: option or future"));
}

TEST_CASE("a scenario whose file name cannot name it, or names a group of the file, exits 2 and writes nothing",
          "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "results.h5";
  const auto spaced = dir.file("More Places.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto result = run_ehsim({"run", "--scenario", spaced.string(), "--months", "3", "--out", out.string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("'More Places' must use lower-case letters"));
  const auto baseline = dir.file("baseline.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto reserved = run_ehsim({"run", "--scenario", baseline.string(), "--months", "3", "--out", out.string()});
  CHECK(reserved.status == cli::exit_bad_input);
  CHECK_THAT(reserved.err, Contains("'baseline' is a name the results file uses"));
  for (const std::string name : {"pairs", "uncertainty"}) {
    const auto group = dir.file(name + ".toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
    const auto refused = run_ehsim({"run", "--scenario", group.string(), "--months", "3", "--out", out.string()});
    CHECK(refused.status == cli::exit_bad_input);
    CHECK_THAT(refused.err, Contains("'" + name + "' is a name the results file uses"));
  }
  const auto joined = dir.file("x_vs_y.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto clash = run_ehsim({"run", "--scenario", joined.string(), "--months", "3", "--out", out.string()});
  CHECK(clash.status == cli::exit_bad_input);
  CHECK_THAT(clash.err, Contains("holds _vs_"));
  const auto twice = run_ehsim({"run", "--scenario", baseline.string(), "--scenario", baseline.string(), "--months",
                                "3", "--out", out.string()});
  CHECK(twice.status == cli::exit_bad_input);
  CHECK(testing::files_in(dir.path()).size() == 5);  // the five overlays, no results
}

TEST_CASE(
    "a scenario that changes the starting population exits 2 naming its file, line and key, whatever the "
    "command line overrides",
    "[cli]") {
  TempDir dir;
  const auto out = dir.path() / "results.h5";
  const auto refused = [&](const std::string& name, const std::string& body, const std::string& key,
                           std::vector<std::string> extra) {
    const auto overlay = dir.file(name, body);
    std::vector<std::string> args{"run", "--scenario", overlay.string(), "--months", "3", "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_ehsim(args);
    INFO(name);
    CHECK(result.status == cli::exit_bad_input);
    CHECK_THAT(result.err, Contains(overlay.string() + ":2: " + key + ": every scenario branches"));
    CHECK_FALSE(std::filesystem::exists(out));
  };
  refused("bigger.toml", "[population]\nfamilies = 50000\n", "population.families", {});
  // The overrides set these keys in the base and the option alike; the overlay's own value still counts.
  refused("bigger_too.toml", "[population]\nfamilies = 50000\n", "population.families", {"--families", "200"});
  refused("seeded.toml", "[simulation]\nseed = 5\n", "simulation.seed", {"--seed", "5"});
  // An overlay that repeats the base's value changes nothing.
  const auto same = dir.file("same.toml", "[population]\nfamilies = 35300\n");
  CHECK(run_ehsim({"run", "--scenario", same.string(), "--families", "200", "--months", "3", "--replicates", "1",
                   "--out", out.string()})
            .status == 0);
}

TEST_CASE("a problem that only the command line's --months makes names the file, line and key, and says so", "[cli]") {
  TempDir dir;
  const std::string schedule = "[services.intensive_family_service]\ncapacity_from_month = { \"2027-04\" = 240 }\n";
  const auto overlay = dir.file("later.toml", schedule);
  const auto out = dir.path() / "results.h5";
  // Fine over the default's ten years; outside a run of 12 months.
  const auto scenario = run_ehsim({"run", "--scenario", overlay.string(), "--months", "12", "--out", out.string()});
  CHECK(scenario.status == cli::exit_bad_input);
  CHECK_THAT(scenario.err, Contains(overlay.string() +
                                    ":2: services.intensive_family_service.capacity_from_month: '2027-04' is outside "
                                    "the run (48 months of burn-in before 2025-04, then 12 months) (with the command "
                                    "line's --months 12)"));
  const auto config = dir.file("base.toml", "extends = " + config::quote_string(default_config()) + "\n" + schedule);
  const auto base = run_ehsim({"run", config.string(), "--months", "12", "--seed", "3", "--out", out.string()});
  CHECK(base.status == cli::exit_bad_input);
  CHECK_THAT(base.err, Contains(config.string() + ":3: services.intensive_family_service.capacity_from_month: "));
  CHECK_THAT(base.err, Contains("(with the command line's --months 12, --seed 3)"));
  CHECK_FALSE(std::filesystem::exists(out));
  // Without --months the schedule is within the run.
  const config::Authority later = config::load_scenario("", overlay);
  const auto intensive = std::find_if(later.services.begin(), later.services.end(),
                                      [](const auto& service) { return service.name == "intensive_family_service"; });
  REQUIRE(intensive != later.services.end());
  CHECK(intensive->capacity_from_month.at("2027-04") == 240);
}

TEST_CASE("the command line's --months can mend a schedule beyond the file's own horizon", "[cli]") {
  TempDir dir;
  const auto config = dir.file("short.toml", "extends = " + config::quote_string(default_config()) +
                                                 "\n[simulation]\nmonths = 12\n[services.intensive_family_service]\n"
                                                 "capacity_from_month = { \"2027-04\" = 240 }\n");
  const auto out = dir.path() / "results.h5";
  const auto alone = run_ehsim({"run", config.string(), "--families", "200", "--out", out.string()});
  CHECK(alone.status == cli::exit_bad_input);
  // The file's own problem, so it reads as it always does.
  CHECK_THAT(alone.err, Contains(config.string() + ":5: services.intensive_family_service.capacity_from_month: "
                                                   "'2027-04' is outside the run (48 months of burn-in before "
                                                   "2025-04, then 12 months)\n"));
  const auto longer = run_ehsim(
      {"run", config.string(), "--months", "36", "--families", "200", "--replicates", "1", "--out", out.string()});
  CHECK(longer.status == 0);
  CHECK(std::filesystem::exists(out));
}

TEST_CASE("reinvestment against the baseline in the base configuration exits 2: it belongs in a scenario", "[cli]") {
  TempDir dir;
  const auto config = dir.file("reinvest.toml", "extends = " + config::quote_string(default_config()) +
                                                    "\n[reinvestment]\nshare = 0.5\nfrom_services = "
                                                    "[\"children_in_care\"]\nto_service = \"school_early_help\"\n");
  const auto out = dir.path() / "results.h5";
  const auto result = run_ehsim({"run", config.string(), "--months", "3", "--out", out.string()});
  CHECK(result.status == cli::exit_bad_input);
  CHECK_THAT(result.err, Contains("reinvestment.reference: \"baseline\" measures savings against the baseline run"));
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("ehsim diff lists the keys an option changes, or says there are none", "[cli]") {
  TempDir dir;
  const auto overlay = dir.file("option.toml", "[services.parenting_programme]\ncapacity_cases = 30\n");
  const auto result = run_ehsim({"diff", default_config(), overlay.string()});
  CHECK(result.status == cli::exit_ok);
  CHECK_THAT(result.out, Contains("1 key differs"));
  CHECK_THAT(result.out, Contains("services.parenting_programme.capacity_cases: 14 -> 30"));
  const auto same = dir.file("same.toml", "[services.parenting_programme]\ncapacity_cases = 14\n");
  CHECK_THAT(run_ehsim({"diff", default_config(), same.string()}).out, Contains("No differences"));
  // A configuration with extends is compared as it stands.
  const auto full = dir.file(
      "full.toml", "extends = " + config::quote_string(default_config()) + "\n[population]\nfamilies = 40000\n");
  CHECK_THAT(run_ehsim({"diff", default_config(), full.string()}).out, Contains("population.families: 35300 -> 40000"));
  const auto bad = dir.file("bad.toml", "[services.parenting_programme]\ncapacity_case = 30\n");
  const auto error = run_ehsim({"diff", default_config(), bad.string()});
  CHECK(error.status == cli::exit_bad_input);
  CHECK_THAT(error.err, Contains("bad.toml:2: services.parenting_programme.capacity_case: unknown key"));
}

TEST_CASE("every file the help texts name as an example exists in the repository", "[cli]") {
  std::string help;
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"},
                                               {"run", "--help"},
                                               {"sweep", "--help"},
                                               {"merge", "--help"},
                                               {"diff", "--help"},
                                               {"validate", "--help"}})
    help += run_ehsim(args).out;
  int named = 0;
  for (const char* folder : {"configs/", "scenarios/", "sweeps/"})
    for (auto at = help.find(folder); at != std::string::npos; at = help.find(folder, at + 1)) {
      const auto end = help.find_first_of(" \n)", at);
      const std::string path = help.substr(at, end - at);
      INFO(path);
      CHECK(std::filesystem::is_regular_file(source_path(path)));
      ++named;
    }
  CHECK(named >= 4);
}

namespace ehsim {
namespace {

TEST_CASE("an authority of another size is told when its name or description speak of the size it extends",
          "[cli][scaling]") {
  testing::TempDir dir;
  const std::string base =
      "extends = " + config::quote_string(testing::source_path("configs/default.toml").string()) + "\n";
  const auto resized = dir.file("resized.toml", base + "name = \"Mine\"\n[population]\nfamilies = 41000\n");
  auto result = testing::run_ehsim({"validate", resized.string()});
  CHECK(result.status == 0);
  CHECK_THAT(result.err, Catch::Contains("description \"A typical English authority of about 60,000 children (35,300 "
                                         "families)\" is inherited from"));
  CHECK_THAT(result.err, Catch::Contains("written for 35300 families, but this authority has 41000"));
  CHECK_THAT(result.err, !Catch::Contains("name \""));  // its own name
  // Both stated, or the size kept: nothing to say.
  const auto stated = dir.file(
      "stated.toml", base + "name = \"Mine\"\ndescription = \"41,000 families\"\n[population]\nfamilies = 41000\n");
  CHECK_THAT(testing::run_ehsim({"validate", stated.string()}).err, !Catch::Contains("warning"));
  const auto same = dir.file("same.toml", base + "[population]\nbirth_hazard_per_month = 0.009\n");
  CHECK_THAT(testing::run_ehsim({"validate", same.string()}).err, !Catch::Contains("warning"));
  // Capacities an overlay of another size states are scaled by the reference it inherits: said.
  const auto own_capacities =
      dir.file("capacities.toml", base +
                                      "name = \"Mine\"\ndescription = \"41,000 families\"\n"
                                      "[population]\nfamilies = 41000\n"
                                      "[services.intensive_family_service]\ncapacity_cases = 50\n");
  CHECK_THAT(testing::run_ehsim({"validate", own_capacities.string()}).err,
             Catch::Contains("the capacities this file states (intensive_family_service) are scaled by 41000 / 35300"));
  // The converse: a reference of its own takes what it inherits unrestated as its own, unscaled: said.
  const auto own_reference =
      dir.file("reference.toml", base +
                                     "name = \"Mine\"\ndescription = \"41,000 families\"\n"
                                     "[population]\nfamilies = 41000\ncapacity_reference_families = 41000\n"
                                     "[services.intensive_family_service]\ncapacity_cases = 210\n");
  const auto told = testing::run_ehsim({"validate", own_reference.string()}).err;
  CHECK_THAT(told, Catch::Contains("population.capacity_reference_families is 41000 here and 35300 in what it "
                                   "extends, so what it inherits without restating (services."
                                   "childrens_centre_outreach.capacity_cases"));
  CHECK_THAT(told, Catch::Contains("services.school_early_help.capacity_cases"));
  CHECK_THAT(told, Catch::Contains("front_door.triage_capacity_per_month) is taken as this authority's own"));
  CHECK_THAT(told, !Catch::Contains("intensive_family_service.capacity_cases"));  // restated
  CHECK_THAT(told, !Catch::Contains("children_in_need"));                         // statutory: no capacity
  // An inherited capacity schedule is the base's too, and said.
  const auto scheduled_base = dir.file("scheduled.toml", base +
                                                             "[services.school_early_help]\n"
                                                             "capacity_from_month = { \"2026-04\" = 400 }\n");
  const auto scheduled_child =
      dir.file("scheduled_child.toml",
               "extends = \"scheduled.toml\"\nname = \"Half\"\ndescription = \"17,650 families\"\n"
               "[population]\nfamilies = 17650\ncapacity_reference_families = 17650\n");
  CHECK_THAT(testing::run_ehsim({"validate", scheduled_child.string()}).err,
             Catch::Contains("services.school_early_help.capacity_from_month"));
  // The presets state their own capacities, and say nothing.
  for (const char* preset : {"merton", "barnet", "plymouth", "rotherham", "staffordshire"}) {
    INFO(preset);
    CHECK_THAT(
        testing::run_ehsim({"validate", testing::source_path(std::string("configs/") + preset + ".toml").string()}).err,
        !Catch::Contains("warning"));
  }
  // --families on the command line is said too.
  result = testing::run_ehsim({"run", stated.string(), "--families", "2000", "--months", "1", "--replicates", "1",
                               "--out", (dir.path() / "r.h5").string()});
  CHECK(result.status == 0);
  CHECK_THAT(result.err, Catch::Contains("--families 2000 runs it at another size than its name and description were "
                                         "written for (41000 families"));
}

}  // namespace
}  // namespace ehsim

TEST_CASE("every option runs under every future, each pair named by both and compared with its future",
          "[cli][futures]") {
  TempDir dir;
  const auto abuse = dir.file("more_abuse.toml",
                              "kind = \"future\"\n[themes.domestic_abuse]\n"
                              "onset_multiplier_from_month = { \"2025-06\" = 1.5 }\n");
  const auto misuse = dir.file("more_misuse.toml",
                               "kind = \"future\"\n[themes.substance_misuse]\n"
                               "onset_multiplier_from_month = { \"2025-06\" = 1.5 }\n");
  const auto more = dir.file("more_places.toml", "[services.intensive_family_service]\ncapacity_cases = 240\n");
  const auto fewer = dir.file("fewer_places.toml", "[services.intensive_family_service]\ncapacity_cases = 60\n");
  const auto out = dir.path() / "decided.h5";
  const auto result = run_ehsim({"run", "--scenario", more.string(), "--scenario", fewer.string(), "--future",
                                 abuse.string(), "--future", misuse.string(), "--families", "2000", "--months", "6",
                                 "--replicates", "2", "--out", out.string()});
  INFO(result.err);
  REQUIRE(result.status == cli::exit_ok);
  const auto table = result.out.substr(result.out.find("Each option under each future"));
  for (const char* row : {"more_places", "fewer_places", "as planned", "more_abuse", "more_misuse"})
    CHECK_THAT(table, Contains(row));
  // The table has a line per option and future: 2 options x (as planned + 2 futures).
  std::size_t lines = 0;
  for (const char* future : {"as planned  ", "more_abuse  ", "more_misuse  "})
    for (std::size_t at = table.find(future); at != std::string::npos; at = table.find(future, at + 1)) ++lines;
  CHECK(lines == 6);
  // The pairs are in the table, not printed as options of their own, and not ranked.
  CHECK_THAT(result.out, !Contains("Option \"more_places_under_more_abuse\""));
  const auto ranking = result.out.substr(result.out.find("Options ranked"), table.size());
  CHECK_THAT(ranking.substr(0, ranking.find("Each option under")), !Contains("_under_"));
  // An option under a future clashing with a name given is refused, naming it.
  const auto clash = dir.file("more_places_under_more_abuse.toml", "[front_door]\ntriage_capacity_per_month = 900\n");
  const auto refused =
      run_ehsim({"run", "--scenario", more.string(), "--scenario", clash.string(), "--future", abuse.string(),
                 "--months", "3", "--replicates", "1", "--out", (dir.path() / "refused.h5").string()});
  CHECK(refused.status == cli::exit_bad_input);
  CHECK_THAT(refused.err, Contains("two scenarios are named 'more_places_under_more_abuse'"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "refused.h5"));
}

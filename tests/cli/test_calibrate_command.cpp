// `ehsim calibrate` from the command line: what it writes and prints, that it
// replaces only its own files, and every way its inputs and outputs can be
// wrong (exit 2, a message naming the file, nothing written).
#include <catch2/catch.hpp>

#include <sstream>

#include "support.hpp"

namespace ehsim {
namespace {

using testing::run_ehsim;
using testing::TempDir;

struct Calibration {
  TempDir dir;
  std::filesystem::path config, targets, fit;
  Calibration() {
    config = dir.file("authority.toml",
                      "extends = " + config::quote_string(testing::source_path("configs/default.toml").string()) +
                          "\n[simulation]\nmonths = 36\nburn_in_months = 12\n[population]\n"
                          "families = 3000\n");
    targets = dir.file("targets.csv",
                       "# figures, made up for the test\n"
                       "measure,period,value,uncertainty,source\n"
                       "referrals,FY2025-26,300,,\"a test, with a comma\"\n"
                       "stock_families.complex,steady,95,10,a test\n"
                       "referrals,FY2027-28,300,,a test\n");
    fit = dir.file("fit.toml",
                   "algorithm = \"sbplx\"\nstarts = 2\nevaluations = 12\nreplicates = 2\nreport_replicates = 4\n"
                   "[[parameters]]\nkey = \"levels[1].up_hazard_per_month\"\nmin = 0.01\nmax = 0.04\n");
  }
  [[nodiscard]] std::vector<std::string> args(const std::string& out = "calibrated.toml") const {
    return {"calibrate", config.string(), "--targets", targets.string(),
            "--fit",     fit.string(),    "--out",     (dir.path() / out).string()};
  }
};

std::vector<std::string> plus(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST_CASE("ehsim calibrate writes the overlay, the trace and the plausible sets, and prints the fit table",
          "[cli][calibration]") {
  Calibration c;
  const auto result = run_ehsim(plus(c.args(), {"--holdout-from", "2027-04"}));
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK_THAT(result.out, Catch::Contains("levels[1].up_hazard_per_month"));
  CHECK_THAT(result.out, Catch::Contains("referrals @ FY2027-28"));
  CHECK_THAT(result.out, Catch::Contains("held out"));
  CHECK_THAT(result.out, Catch::Contains("Hold-out: "));
  CHECK(std::filesystem::exists(c.dir.path() / "calibrated.toml"));
  CHECK(std::filesystem::exists(c.dir.path() / "calibrated.trace.h5"));
  CHECK_FALSE(std::filesystem::exists(c.dir.path() / "calibrated.toml.journal"));
  const auto calibrated = config::load_authority_file(c.dir.path() / "calibrated.toml");
  CHECK(calibrated.levels[1].up_hazard_per_month >= 0.01);
  CHECK(calibrated.levels[1].up_hazard_per_month <= 0.04);
  // `ehsim run` takes the overlay, and the plausible sets where there are some.
  CHECK(run_ehsim({"validate", (c.dir.path() / "calibrated.toml").string()}).status == 0);
  // The sets are written exactly when some evaluation is plausible, as the summary says.
  const bool plausible = std::filesystem::exists(c.dir.path() / "calibrated.plausible.toml");
  CHECK(plausible == (result.out.find("Plausible sets (an [[uncertainty]] sample") != std::string::npos));
  if (plausible) CHECK(run_ehsim({"validate", (c.dir.path() / "calibrated.plausible.toml").string()}).status == 0);
  // Run again: its own files are replaced without --force.
  const auto again = run_ehsim(plus(c.args(), {"--holdout-from", "2027-04"}));
  CHECK(again.status == 0);
  CHECK(again.out == result.out.substr(0, result.out.find("  Took")) + again.out.substr(again.out.find("  Took")));
}

TEST_CASE(
    "with no plausible set, ehsim calibrate removes only an earlier calibration's sets, not another file of ehsim's",
    "[cli][calibration]") {
  Calibration c;
  // Out of reach: no evaluation is plausible.
  std::ofstream(c.targets) << "measure,period,value,uncertainty,source\nreferrals,FY2025-26,30000,1,a test\n";
  const auto results = c.dir.path() / "results.h5";
  REQUIRE(
      run_ehsim({"run", c.config.string(), "--months", "1", "--replicates", "1", "--out", results.string()}).status ==
      0);
  const auto given = run_ehsim(plus(c.args(), {"--plausible", results.string()}));
  REQUIRE(given.status == 0);
  CHECK_THAT(given.err, Catch::Contains("no plausible sets are written"));
  CHECK(std::filesystem::exists(results));  // a results file, though ehsim wrote it, is not calibrate's to remove
  // An earlier calibration's sets are.
  const auto earlier = c.dir.file("calibrated.plausible.toml", "# Written by ehsim calibrate. An earlier run.\n");
  REQUIRE(run_ehsim(c.args()).status == 0);
  CHECK_FALSE(std::filesystem::exists(earlier));
}

TEST_CASE("ehsim calibrate gives the same fit on 1 and on 2 threads", "[cli][calibration]") {
  Calibration c;
  const auto body = [](const std::filesystem::path& path) {
    std::string kept;
    std::istringstream lines(testing::read_text(path));
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("# Command:", 0) != 0 && line.rfind("# Objective", 0) != 0) kept += line + "\n";
    return kept;
  };
  const auto one = run_ehsim(plus(c.args("one.toml"), {"--threads", "1"}));
  const auto two = run_ehsim(plus(c.args("two.toml"), {"--threads", "2"}));
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(body(c.dir.path() / "one.toml") == body(c.dir.path() / "two.toml"));
  // The fit tables too, but for the files' names and the time taken.
  const auto table = [](const std::string& out) { return out.substr(0, out.find("  Calibrated overlay:")); };
  CHECK(table(one.out) == table(two.out));
}

TEST_CASE("ehsim calibrate refuses bad inputs and outputs before any run, and writes nothing",
          "[cli][calibration][errors]") {
  struct Case {
    std::string what;
    std::function<std::vector<std::string>(Calibration&)> args;
    std::string expected;
  };
  const std::vector<Case> cases{
      {"a malformed target",
       [](Calibration& c) {
         std::ofstream(c.targets, std::ios::app) << "referals,steady,3,,x\n";
         return c.args();
       },
       "targets.csv:6: referals: not a measure of this configuration (did you mean 'referrals'?)"},
      {"an unknown key to fit",
       [](Calibration& c) {
         std::ofstream(c.fit, std::ios::app) << "[[parameters]]\nkey = \"levels[1].up_hazard\"\nmin = 0.0\nmax = 1.0\n";
         return c.args();
       },
       "fit.toml:11: parameters[1].key: 'levels[1].up_hazard' is not a numeric key"},
      {"a range outside the key's",
       [](Calibration& c) {
         std::ofstream(c.fit, std::ios::app) << "[[parameters]]\nkey = \"identification.probability_by_level[2]\"\n"
                                                "min = 0.5\nmax = 1.5\n";
         return c.args();
       },
       "parameters[1].max: 1.5 is outside the range of identification.probability_by_level[2]"},
      {"a weight on an unknown measure",
       [](Calibration& c) {
         std::ofstream(c.fit, std::ios::app) << "";
         auto text = testing::read_text(c.fit);
         std::ofstream(c.fit) << "weights = { referals = 2.0 }\n" << text;
         return c.args();
       },
       "weights.referals: 'referals' is not a measure of the configuration (did you mean 'referrals'?)"},
      {"a configuration that draws per replicate",
       [](Calibration& c) {
         std::ofstream(c.config, std::ios::app)
             << "[[uncertainty]]\nkey = \"population.growth_per_year\"\ndistribution = \"uniform\"\nlow = 0.0\n"
                "high = 0.01\n";
         return c.args();
       },
       "calibrate a configuration without it"},
      {"a hold-out that is not a month",
       [](Calibration& c) {
         return plus(c.args(), {"--holdout-from", "2027"});
       },
       "--holdout-from: 2027: expected a month YYYY-MM"},
      {"a hold-out with stray characters",
       [](Calibration& c) {
         return plus(c.args(), {"--holdout-from", "2027---"});
       },
       "--holdout-from: 2027---: expected a month YYYY-MM"},
      {"a start that makes no valid configuration",
       [](Calibration& c) {
         std::ofstream(c.fit, std::ios::app)
             << "[[parameters]]\nkey = \"levels[1].initial_share\"\nmin = 0.2\nmax = 0.3\n";
         return c.args();
       },
       "fit.toml: levels: "},
      {"a key that sets up the runs",
       [](Calibration& c) {
         std::ofstream(c.fit, std::ios::app) << "[[parameters]]\nkey = \"simulation.months\"\nmin = 12\nmax = 24\n";
         return c.args();
       },
       "'simulation.months' sets up the runs rather than the model"},
      {"--plausible onto the journal",
       [](Calibration& c) {
         return plus(c.args(), {"--plausible", (c.dir.path() / "calibrated.toml.journal").string()});
       },
       "that is where the calibration keeps its journal"},
      {"a hold-out outside the run",
       [](Calibration& c) {
         return plus(c.args(), {"--holdout-from", "2030-01"});
       },
       "the hold-out must leave months on both sides"},
      {"--out onto an input",
       [](Calibration& c) {
         auto args = c.args();
         args.back() = c.targets.string();
         return args;
       },
       "it is an input of this command"},
      {"--trace onto --out",
       [](Calibration& c) {
         return plus(c.args(), {"--trace", (c.dir.path() / "calibrated.toml").string()});
       },
       "it is also --out"},
      {"--out onto a file ehsim did not write",
       [](Calibration& c) {
         (void)c.dir.file("calibrated.toml", "# my notes\n");
         return c.args();
       },
       "the file exists and is not one ehsim wrote"},
      {"a journal of another calibration",
       [](Calibration& c) {
         (void)c.dir.file("calibrated.toml.journal", "# ehsim calibration journal 1 0123456789abcdef\n");
         return c.args();
       },
       "the journal of a different calibration"},
      {"a file of the user's where the journal goes",
       [](Calibration& c) {
         (void)c.dir.file("calibrated.toml.journal", "my data\n");
         return c.args();
       },
       "this file is not one ehsim wrote"},
  };
  for (const auto& test : cases) {
    INFO(test.what);
    Calibration c;
    const auto args = test.args(c);
    const auto before = testing::files_in(c.dir.path());
    std::vector<std::string> texts;
    for (const auto& name : before) texts.push_back(testing::read_text(c.dir.path() / name));
    const auto result = run_ehsim(args);
    INFO(result.err);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains(test.expected));
    CHECK_THAT(result.err, Catch::Contains("nothing was written"));
    // Nothing added, nothing changed.
    auto after = testing::files_in(c.dir.path());
    std::sort(after.begin(), after.end());
    auto sorted = before;
    std::sort(sorted.begin(), sorted.end());
    CHECK(after == sorted);
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(testing::read_text(c.dir.path() / before[i]) == texts[i]);
  }
}

TEST_CASE("ehsim calibrate fits a count as whole numbers and names the overlay from the plausible sets' folder",
          "[cli][calibration]") {
  Calibration c;
  // Easily met (a wide uncertainty): every evaluation is plausible.
  std::ofstream(c.targets) << "measure,period,value,uncertainty,source\nreferrals,FY2025-26,300,100000,a test\n";
  std::ofstream(c.fit) << "starts = 1\nevaluations = 6\nreplicates = 1\nreport_replicates = 2\n"
                          "[[parameters]]\nkey = \"services.intensive_family_service.capacity_cases\"\nmin = 10.5\n"
                          "max = 40.0\n";
  std::filesystem::create_directories(c.dir.path() / "sets");
  const auto plausible = c.dir.path() / "sets" / "p.toml";
  const auto result = run_ehsim(plus(c.args(), {"--plausible", plausible.string()}));
  INFO(result.err);
  REQUIRE(result.status == 0);
  const auto calibrated = config::load_authority_file(c.dir.path() / "calibrated.toml");
  const auto& service = *std::find_if(calibrated.services.begin(), calibrated.services.end(),
                                      [](const auto& s) { return s.name == "intensive_family_service"; });
  CHECK(service.capacity_cases >= 11);
  CHECK(service.capacity_cases <= 40);
  CHECK_THAT(testing::read_text(c.dir.path() / "calibrated.toml"),
             Catch::Contains("fitted services.intensive_family_service.capacity_cases = " +
                             std::to_string(service.capacity_cases) + ".0,"));
  // The sets extend the overlay from their own folder, and are whole numbers.
  const auto drawn = config::load_authority_file(plausible);
  REQUIRE(drawn.uncertainty.size() == 1);
  REQUIRE_FALSE(drawn.uncertainty[0].values.empty());
  for (const double value : drawn.uncertainty[0].values) CHECK(value == std::round(value));
}

}  // namespace
}  // namespace ehsim

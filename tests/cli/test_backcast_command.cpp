// `ehsim backcast`: a configuration set beside an authority's figures as it
// is (nothing fitted), the presets' check against the gaps they state, and
// every way a presets file can be wrong (exit 2 naming file:line:key).
#include <catch2/catch.hpp>

#include "calibration/calibrate.hpp"
#include "calibration/presets.hpp"
#include "support.hpp"

namespace ehsim {
namespace {

using testing::run_ehsim;
using testing::TempDir;

struct Authority {
  TempDir dir;
  std::filesystem::path config, targets;
  Authority() {
    config = dir.file("authority.toml",
                      "extends = " + config::quote_string(testing::source_path("configs/default.toml").string()) +
                          "\n[simulation]\nmonths = 36\nburn_in_months = 12\n[population]\nfamilies = 3000\n");
    // Referrals a year far out of reach; level 2 families near what the runs hold.
    targets = dir.file("targets.csv",
                       "measure,period,value,uncertainty,source\n"
                       "referrals,FY2025-26,30000,100,out of reach\n"
                       "stock_families.additional,FY2025-26,450,60,about right\n"
                       "stock_families.additional,FY2027-28,450,60,about right\n");
  }
  [[nodiscard]] std::filesystem::path presets(const std::string& not_met, const std::string& more = "") const {
    return dir.file("presets.toml",
                    "replicates = 4\n[[presets]]\nconfig = \"authority.toml\"\ntargets = "
                    "\"targets.csv\"\nnot_met = " +
                        not_met + "\n" + more);
  }
};

TEST_CASE("ehsim backcast sets a configuration as it is beside its targets and says which are met",
          "[cli][calibration]") {
  Authority a;
  const auto result = run_ehsim({"backcast", a.config.string(), "--targets", a.targets.string(), "--replicates", "4"});
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK_THAT(result.out, Catch::Contains("the mean of 4 runs (seed 1)"));
  CHECK_THAT(result.out, Catch::Contains("referrals @ FY2025-26"));
  CHECK_THAT(result.out, Catch::Contains("NOT MET"));
  CHECK_THAT(result.out, Catch::Contains("Met: 2 of 3 targets"));
  // The figures are those of the configuration's own runs: assess() with nothing fitted.
  const auto authority = config::load_authority_file(a.config);
  calibration::FitConfig fit;
  const auto problem =
      calibration::make_problem(authority, calibration::load_targets(a.targets, authority), fit, std::nullopt);
  const auto rows = calibration::assess(problem, {}, 4);
  CHECK(rows[0].observed == 30000);
  CHECK(rows[0].mean < 10000);
  CHECK(std::abs(rows[1].standardised_error) <= 2);
  // A hold-out labels the later targets and reports their coverage.
  const auto held = run_ehsim({"backcast", a.config.string(), "--targets", a.targets.string(), "--replicates", "4",
                               "--holdout-from", "2027-04"});
  REQUIRE(held.status == 0);
  CHECK_THAT(held.out, Catch::Contains("held out, "));
  CHECK_THAT(held.out, Catch::Contains("Hold-out: "));
  CHECK_THAT(held.out, Catch::Contains("Met: 1 of 2 targets not held out"));
  // Every target after the hold-out: nothing is fitted, so nothing need be left to fit.
  const auto late =
      a.dir.file("late.csv", "measure,period,value,uncertainty,source\nreferrals,FY2027-28,300,30,late\n");
  const auto all_held = run_ehsim(
      {"backcast", a.config.string(), "--targets", late.string(), "--replicates", "2", "--holdout-from", "2027-04"});
  INFO(all_held.err);
  CHECK(all_held.status == 0);
  CHECK_THAT(all_held.out, Catch::Contains("Hold-out: "));
  // The same seed and replicates give the same table.
  CHECK(run_ehsim({"backcast", a.config.string(), "--targets", a.targets.string(), "--replicates", "4"}).out ==
        result.out);
}

TEST_CASE("ehsim backcast --presets passes when the gaps are as stated and fails when they are not",
          "[cli][calibration]") {
  Authority a;
  SECTION("as stated") {
    const auto result = run_ehsim({"backcast", "--presets", a.presets("[\"referrals @ FY2025-26\"]").string()});
    INFO(result.err);
    CHECK(result.status == 0);
    const auto markdown =
        run_ehsim({"backcast", "--presets", a.presets("[\"referrals @ FY2025-26\"]").string(), "--markdown"});
    CHECK(markdown.status == 0);
    CHECK_THAT(markdown.out, Catch::Contains("| referrals | FY2025-26 | 30,000 |"));
    CHECK_THAT(markdown.out, Catch::Contains("| **no** | out of reach |"));
  }
  SECTION("a target missed that is not listed") {
    const auto result = run_ehsim({"backcast", "--presets", a.presets("[]").string()});
    CHECK(result.status == 3);
    CHECK_THAT(result.err, Catch::Contains("presets.toml:2: authority.toml does not meet referrals @ FY2025-26"));
  }
  SECTION("a target listed that is met") {
    const auto result =
        run_ehsim({"backcast", "--presets",
                   a.presets("[\"referrals @ FY2025-26\", \"stock_families.additional @ FY2025-26\"]").string()});
    CHECK(result.status == 3);
    CHECK_THAT(result.err, Catch::Contains("now meets stock_families.additional @ FY2025-26"));
  }
  SECTION("a held-out target listed, which is predicted rather than met") {
    const auto result = run_ehsim({"backcast", "--presets",
                                   a.presets("[\"referrals @ FY2025-26\", \"stock_families.additional @ FY2027-28\"]",
                                             "holdout_from = \"2027-04\"\n")
                                       .string()});
    CHECK(result.status == 3);
    CHECK_THAT(result.err, Catch::Contains("not_met lists 'stock_families.additional @ FY2027-28', which is held out"));
  }
  SECTION("a target listed that the file does not have") {
    const auto result = run_ehsim(
        {"backcast", "--presets", a.presets("[\"referrals @ FY2025-26\", \"referals @ FY2025-26\"]").string()});
    CHECK(result.status == 3);
    CHECK_THAT(result.err, Catch::Contains("not_met lists 'referals @ FY2025-26', which is not a target"));
  }
}

TEST_CASE("a bad presets file or backcast command exits 2 naming the file, line and key", "[cli][calibration]") {
  Authority a;
  const auto fails = [](const std::vector<std::string>& args, const std::string& message) {
    const auto result = run_ehsim(args);
    INFO(result.err);
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains(message));
  };
  fails({"backcast", "--presets", a.presets("[]", "unknown = 1\n").string()}, "unknown");
  fails({"backcast", "--presets",
         a.dir
             .file("p.toml",
                   "replicates = 1\n[[presets]]\nconfig = \"authority.toml\"\n"
                   "targets = \"targets.csv\"\n")
             .string()},
        "p.toml:1: replicates");
  fails({"backcast", "--presets",
         a.dir
             .file("p.toml",
                   "[[presets]]\nconfig = \"missing.toml\"\ntargets = "
                   "\"targets.csv\"\n")
             .string()},
        "missing.toml");
  fails({"backcast", "--presets", a.dir.file("p.toml", "replicates = 4\n").string()}, "at least one [[presets]]");
  // A hold-out month is checked before any preset runs, at its line.
  fails({"backcast", "--presets", a.presets("[]", "holdout_from = \"2027-4\"\n").string()},
        "presets.toml:6: presets[0].holdout_from: expected a month YYYY-MM");
  fails({"backcast", "--presets",
         a.dir
             .file("p.toml",
                   "[[presets]]\nconfig = \"authority.toml\"\ntargets = \"targets.csv\"\n[[presets]]\n"
                   "config = \"authority.toml\"\ntargets = \"targets.csv\"\n")
             .string()},
        "is already presets[0]");
  // A preset's targets that do not fit its configuration: before any run.
  std::ofstream(a.targets) << "measure,period,value,uncertainty,source\nreferals,FY2025-26,1,1,typo\n";
  fails({"backcast", "--presets", a.presets("[]").string()}, "targets.csv:2");
  fails({"backcast", a.config.string()}, "give a configuration and --targets, or --presets");
  fails({"backcast", a.config.string(), "--targets", a.targets.string(), "--presets", a.presets("[]").string()},
        "excludes");
}

TEST_CASE("the shipped presets meet their targets but for the gaps they state", "[cli][calibration][presets]") {
  const auto presets = testing::source_path("configs/presets.toml");
  const auto list = calibration::load_presets(presets);
  CHECK(list.presets.size() >= 2);
  const auto result = run_ehsim({"backcast", "--presets", presets.string()});
  INFO(result.err);
  CHECK(result.status == 0);
}

}  // namespace
}  // namespace ehsim

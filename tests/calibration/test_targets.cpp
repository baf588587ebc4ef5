// Targets files: every measure's figure against a hand computation from the
// run's own arrays, and every way a file can be wrong, with its file:line.
#include <catch2/catch.hpp>

#include "calibration/targets.hpp"
#include "engine/model.hpp"
#include "engine/run.hpp"
#include "support.hpp"

namespace ehsim {
namespace {

using calibration::load_targets;
using calibration::simulated;
using testing::TempDir;

// The default authority, small and short: 2025-04 for 24 months.
config::Authority small_authority() {
  config::Overrides overrides;
  overrides.families = 2500;
  overrides.months = 24;
  return config::default_authority(overrides);
}

engine::RunResult run_once(const config::Authority& authority) {
  const engine::Model model = engine::build_model(authority);
  return engine::simulate(model, {7, 0, false});
}

std::vector<calibration::Target> targets_of(const config::Authority& authority, const std::string& lines) {
  TempDir dir;
  return load_targets(dir.file("t.csv", "measure,period,value,uncertainty,source\n" + lines), authority);
}

double value_of(const config::Authority& authority, const engine::RunResult& run, const std::string& line) {
  const auto targets = targets_of(authority, line + "\n");
  REQUIRE(targets.size() == 1);
  return simulated(targets.front(), calibration::target_measures(authority), run);
}

double indicator(const engine::RunResult& run, int m, std::size_t column) {
  return static_cast<double>(run.indicators(static_cast<std::size_t>(m), column));
}

TEST_CASE("a target's figure is the run's month, financial year or steady level, as documented", "[calibration]") {
  const auto authority = small_authority();
  const auto run = run_once(authority);
  namespace ind = engine::indicator;
  // A flow: the month itself; a financial year (April 2025 = month 0) the sum; steady the mean a month.
  CHECK(value_of(authority, run, "referrals,2025-06,1,,x") == indicator(run, 2, ind::referrals));
  double year = 0, all = 0;
  for (int m = 0; m < 12; ++m) year += indicator(run, m, ind::referrals);
  for (int m = 0; m < 24; ++m) all += indicator(run, m, ind::referrals);
  CHECK(value_of(authority, run, "referrals,FY2025-26,1,,x") == year);
  CHECK(value_of(authority, run, "referrals,steady,1,,x") == Approx(all / 24).epsilon(1e-12));
  // A stock: a financial year gives its last month (31 March); steady the mean.
  CHECK(value_of(authority, run, "children_in_care,FY2026-27,1,,x") == indicator(run, 23, ind::children_in_care));
  double care = 0;
  for (int m = 0; m < 24; ++m) care += indicator(run, m, ind::children_in_care);
  CHECK(value_of(authority, run, "children_in_care,steady,1,,x") == Approx(care / 24).epsilon(1e-12));
  // A share: the numerator's sum over the denominator's.
  double re = 0;
  for (int m = 0; m < 12; ++m) re += indicator(run, m, ind::re_referrals);
  CHECK(value_of(authority, run, "re_referral_share,FY2025-26,0.2,,x") == Approx(re / year).epsilon(1e-12));
  // Little's law: mean open cases over mean closures a month.
  double open = 0, closed = 0;
  for (int m = 0; m < 24; ++m) {
    open += indicator(run, m, ind::early_help_open_cases);
    closed += indicator(run, m, ind::early_help_closures_needs_met) +
              indicator(run, m, ind::early_help_closures_stepped_up) +
              indicator(run, m, ind::early_help_closures_other);
  }
  CHECK(value_of(authority, run, "early_help_mean_duration_months,steady,6,,x") ==
        Approx(open / closed).epsilon(1e-12));
  // Per 10,000 children: of the children at the same month (a stock at the year's end).
  double children = 0;
  for (int l = 0; l < run.levels; ++l)
    children += static_cast<double>(run.stock_children(23, static_cast<std::size_t>(l)));
  CHECK(value_of(authority, run, "children_in_care_per_10k_children,FY2026-27,70,,x") ==
        Approx(indicator(run, 23, ind::children_in_care) * 10000 / children).epsilon(1e-12));
  // By level and by service, in pounds for money; statutory children summed over the statutory services.
  CHECK(value_of(authority, run, "stock_families.complex,2025-04,1,,x") ==
        static_cast<double>(run.stock_families(0, 2)));
  std::size_t care_service = 0, protection = 0, need = 0;
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    if (authority.services[s].name == "children_in_care") care_service = s;
    if (authority.services[s].name == "child_protection") protection = s;
    if (authority.services[s].name == "children_in_need") need = s;
  }
  CHECK(value_of(authority, run, "spend_by_service.children_in_care,2025-05,1,,x") ==
        static_cast<double>(run.spend_by_service(1, care_service)) / 100);
  CHECK(value_of(authority, run, "children_in_need,2025-05,1,,x") ==
        static_cast<double>(run.service_children(1, care_service) + run.service_children(1, protection) +
                            run.service_children(1, need)));
  CHECK(value_of(authority, run, "care_starts,2025-05,1,,x") ==
        static_cast<double>(run.service_admissions(1, care_service)));
}

TEST_CASE("a targets file's values, uncertainties, sources and comments are read as written", "[calibration]") {
  const auto authority = small_authority();
  const auto targets = targets_of(authority,
                                  "# a comment\n"
                                  "\n"
                                  "referrals,steady,259,25,\"evidence.md §6, monthly flows\"\n"
                                  "  # indented comment\n"
                                  "re_referral_share,FY2025-26,0.22,,\"said \"\"22%\"\"\"\n"
                                  "children_in_care,2026-03,420,,DfE\n");
  REQUIRE(targets.size() == 3);
  CHECK(targets[0].value == 259);
  CHECK(targets[0].uncertainty == 25);
  CHECK_FALSE(targets[0].default_uncertainty);
  CHECK(targets[0].source == "evidence.md §6, monthly flows");
  CHECK(targets[0].where.line == 4);
  CHECK(targets[1].source == "said \"22%\"");
  CHECK(targets[1].default_uncertainty);
  CHECK(targets[1].uncertainty == 0.05);        // a share's default
  CHECK(targets[2].uncertainty == Approx(42));  // 10% of a count
  CHECK(targets[2].period.first == 11);
  CHECK(targets[2].period.last == 11);
  CHECK(targets[1].period.first == 0);
  CHECK(targets[1].period.last == 11);
}

TEST_CASE("every malformed targets line is refused with its file, line and reason", "[calibration][errors]") {
  const auto authority = small_authority();
  struct Case {
    std::string body;
    std::string expected;  // in the message
  };
  const std::vector<Case> cases{
      {"referral,steady,1,,x\n", "not a measure of this configuration (did you mean 'referrals'?)"},
      {"referrals,2025-13,1,,x\n", "is not a month"},
      {"referrals,2024-03,1,,x\n", "is outside the run: the run covers 2025-04 to 2027-03"},
      {"referrals,FY2026-28,1,,x\n", "is not a financial year"},
      {"referrals,FY2027-28,1,,x\n", "must lie inside it whole"},
      {"referrals,last year,1,,x\n", "is not a period"},
      {"referrals,steady,many,,x\n", "is not a number"},
      {"referrals,steady,-3,,x\n", "is not negative"},
      {"re_referral_share,steady,22,,x\n", "a share is from 0 to 1, not 22"},
      {"referrals,steady,3,0,x\n", "must be a number above 0"},
      {"referrals,steady,3,x,x\n", "must be a number above 0"},
      {"referrals,steady,300,1e-320,x\n", "not below a billionth of the value"},
      {"referrals,steady,1e308,1,x\n", "is beyond any figure an authority holds"},
      {"referrals,steady,3,,x,extra\n", "expected 5 fields"},
      {"referrals,steady,3,,\"unclosed\n", "a quoted field is not closed"},
      {"re_referral_share_per_10k_children,steady,0.2,,x\n", "is not scaled per 10,000 children"},
      {"referrals,steady,3,,x\nreferrals,steady,4,,y\n", "is also a target on line 2"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    TempDir dir;
    const auto path = dir.file("t.csv", "measure,period,value,uncertainty,source\n" + c.body);
    try {
      (void)load_targets(path, authority);
      FAIL("accepted");
    } catch (const config::ConfigError& error) {
      REQUIRE(error.issues().size() == 1);
      const auto& issue = error.issues().front();
      CHECK(issue.where.file == path.string());
      CHECK(issue.where.line >= 2);
      CHECK_THAT(issue.message, Catch::Contains(c.expected));
    }
  }
  TempDir dir;
  // A spreadsheet's byte order mark before the header is not part of it.
  CHECK(
      load_targets(dir.file("bom.csv", "\xEF\xBB\xBFmeasure,period,value,uncertainty,source\nreferrals,steady,3,,x\n"),
                   authority)
          .size() == 1);
  const auto headerless = dir.file("h.csv", "# comment\nreferrals,steady,3,,x\n");
  CHECK_THROWS_WITH(load_targets(headerless, authority), Catch::Contains("must be the header"));
  const auto empty = dir.file("e.csv", "measure,period,value,uncertainty,source\n");
  CHECK_THROWS_WITH(load_targets(empty, authority), Catch::Contains("no targets"));
  CHECK_THROWS_WITH(load_targets(dir.path() / "missing.csv", authority), Catch::Contains("missing.csv"));
}

TEST_CASE("the measures a targets file may name follow the configuration's levels and services", "[calibration]") {
  const auto authority = small_authority();
  std::vector<std::string> names;
  for (const auto& measure : calibration::target_measures(authority)) names.push_back(measure.info.name);
  for (const std::string expected :
       {"children_in_need", "children_on_plans", "children_in_care", "referrals", "re_referral_share", "plan_starts",
        "care_starts", "care_exits", "early_help_open_cases", "early_help_mean_duration_months",
        "early_help_closure_share.needs_met", "early_help_route_share.stepped_down", "stock_families.complex",
        "spend_by_level.acute", "spend_by_service.intensive_family_service",
        "service_caseload.intensive_family_service"})
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  // Names are unique.
  auto sorted = names;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
}

}  // namespace
}  // namespace ehsim

// Scenarios branch from one burn-in with the same random numbers: an option
// that changes nothing gives the baseline exactly, a change shows only from
// the month it starts, differences are far less noisy than independent runs,
// and reinvestment moves exactly the stated share after the lag.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "config/sweep.hpp"
#include "engine/model.hpp"
#include "engine/run.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::engine;
using namespace ehsim::experiment;

namespace {

std::size_t service_index(const config::Authority& authority, const std::string& name) {
  for (std::size_t s = 0; s < authority.services.size(); ++s)
    if (authority.services[s].name == name) return s;
  FAIL("no service " << name);
  return 0;
}

// The default with more intensive family support from month 0.
config::Authority more_support(config::Authority authority, std::int64_t places) {
  authority.services[service_index(authority, "intensive_family_service")].capacity_cases += places;
  config::validate(authority);
  return authority;
}

// The baseline and one option, replicate 0, as ehsim run runs a comparison.
std::pair<RunResult, RunResult> baseline_and_option(const config::Authority& base, const config::Authority& option,
                                                    std::uint64_t seed) {
  auto plan = comparison_plan(base, {{"option", option}});
  plan.seed = seed;
  plan.replicates = 1;
  auto results = run_and_keep(plan);
  return {std::move(results.runs[0][0]), std::move(results.runs[1][0])};
}

double sd(const std::vector<double>& values) {
  double mean = 0, squares = 0;
  for (const double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  for (const double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

}  // namespace

TEST_CASE("an option branched from the baseline's burn-in that changes nothing is the baseline, bit for bit",
          "[engine][scenarios]") {
  const config::Authority authority = testing::small_default(3000, 24);
  const Model baseline = build_model(authority);
  const Model same = build_model(authority);
  const RunSpec spec{3, 1, true};
  const StartState start = burn_in(baseline, spec);
  const RunResult a = simulate_from(baseline, spec, start, baseline);
  const RunResult b = simulate_from(same, spec, start, baseline);
  const RunResult whole = simulate(baseline, spec);
  CHECK(a.trajectory_levels == b.trajectory_levels);
  CHECK(a.spend_by_service.values == b.spend_by_service.values);
  CHECK(a.stock_families.values == whole.stock_families.values);
  CHECK(a.indicators.values == whole.indicators.values);
}

TEST_CASE("a capacity change from April 2026 leaves the months before it exactly as the baseline's",
          "[engine][scenarios]") {
  config::Authority authority = testing::small_default(6000, 36);
  config::Authority option = authority;
  // At this size the service's 180 places are more than enough; 10 are not.
  option.services[service_index(option, "intensive_family_service")].capacity_from_month = {{"2026-04", 10.0}};
  config::validate(option);
  const auto [baseline, changed] = baseline_and_option(authority, option, 5);
  const std::size_t levels = 4, months = 36;
  for (std::size_t m = 0; m < 12; ++m)  // 2025-04 to 2026-03
    for (std::size_t k = 0; k < levels; ++k) REQUIRE(changed.stock_families(m, k) == baseline.stock_families(m, k));
  bool differs = false;
  for (std::size_t m = 12; m < months; ++m)
    for (std::size_t s = 0; s < authority.services.size(); ++s)
      differs = differs || changed.service_caseload(m, s) != baseline.service_caseload(m, s);
  CHECK(differs);
}

TEST_CASE("a service an option adds from April 2026 takes no one before it, and the months before are the baseline's",
          "[engine][scenarios]") {
  const config::Authority authority = testing::small_default(6000, 36);
  // The shipped family group conferencing option, which opens its service in April 2026.
  const config::Authority option = config::load_scenario(
      testing::source_path("configs/default.toml"), testing::source_path("scenarios/family_group_conferencing.toml"));
  REQUIRE(option.services[service_index(option, "children_in_need_with_conference")].open_from_month == "2026-04");
  config::Authority sized = option;
  sized.population = authority.population;
  sized.simulation = authority.simulation;
  config::validate(sized);
  const auto [baseline, changed] = baseline_and_option(authority, sized, 5);
  const std::size_t conference = service_index(sized, "children_in_need_with_conference");
  std::int64_t before = 0, after = 0;
  for (std::size_t m = 0; m < 36; ++m) (m < 12 ? before : after) += changed.service_admissions(m, conference);
  CHECK(before == 0);
  CHECK(after > 0);
  for (std::size_t m = 0; m < 12; ++m)  // 2025-04 to 2026-03
    for (std::size_t k = 0; k < 4; ++k) REQUIRE(changed.stock_families(m, k) == baseline.stock_families(m, k));
  // Closed again from a month: no one admitted from the waiting list's newcomers after it.
  config::Authority closing = sized;
  closing.services[conference].open_until_month = "2026-10";
  config::validate(closing);
  const auto [unused, closed] = baseline_and_option(authority, closing, 5);
  std::int64_t joined_after = 0;
  for (std::size_t m = 18; m < 36; ++m)  // from 2026-10
    joined_after += closed.service_waiting_flows(m, conference, waiting_flow::joined);
  CHECK(joined_after == 0);
}

TEST_CASE("an option that removes a service starts its families unserved, and one that adds a service can use it",
          "[engine][scenarios]") {
  // Enough families that the parenting programme's scaled places are open at the start.
  const config::Authority authority = testing::small_default(12000, 12);
  config::Authority option = authority;
  const auto removed = service_index(option, "parenting_programme");
  option.services.erase(option.services.begin() + static_cast<std::ptrdiff_t>(removed));
  std::erase_if(option.front_door.routes, [](const auto& rule) { return rule.service == "parenting_programme"; });
  config::validate(option);
  const Model baseline_model = build_model(authority);
  const Model option_model = build_model(option);
  const RunSpec spec{6, 0, false};
  const StartState start = burn_in(baseline_model, spec);
  std::int64_t in_parenting = 0;
  for (std::size_t i = 0; i < start.families.size(); ++i)
    in_parenting += start.families.need_level[i] != departed && start.families.service[i] == removed + 1;
  REQUIRE(in_parenting > 0);
  const RunResult run = simulate_from(option_model, spec, start, baseline_model);
  // Every other service's caseload in month 0 follows from the start: none is lost or invented.
  for (std::size_t s = 0; s < option.services.size(); ++s) CHECK(run.service_caseload(0, s) >= 0);
  CHECK(run.service_caseload.shape[1] == option.services.size());
}

TEST_CASE(
    "with common random numbers an option's difference from the baseline varies at least 3 times less than "
    "with independent streams",
    "[engine][scenarios][crn]") {
  const config::Authority authority = config::default_authority();
  const Model baseline = build_model(authority);
  const Model option = build_model(more_support(authority, 60));
  constexpr std::uint32_t replicates = 8;
  std::vector<double> common_spend, independent_spend, common_level4, independent_level4;
  for (std::uint32_t r = 0; r < replicates; ++r) {
    const RunSpec spec{1, r, false};
    const StartState start = burn_in(baseline, spec);
    const auto base = headline_measures(baseline, simulate_from(baseline, spec, start, baseline));
    const auto same_luck = headline_measures(option, simulate_from(option, spec, start, baseline));
    const auto other_luck = headline_measures(option, simulate(option, {1, r + replicates, false}));
    common_spend.push_back(same_luck[measure::spend_nominal] - base[measure::spend_nominal]);
    independent_spend.push_back(other_luck[measure::spend_nominal] - base[measure::spend_nominal]);
    common_level4.push_back(same_luck[measure::top_level_family_months] - base[measure::top_level_family_months]);
    independent_level4.push_back(other_luck[measure::top_level_family_months] - base[measure::top_level_family_months]);
  }
  INFO("spend: sd " << sd(common_spend) << " with common random numbers, " << sd(independent_spend)
                    << " independent; level 4 family-months: " << sd(common_level4) << ", " << sd(independent_level4));
  CHECK(sd(independent_spend) >= 3 * sd(common_spend));
  CHECK(sd(independent_level4) >= 3 * sd(common_level4));
}

TEST_CASE(
    "reinvestment buys 12 months of places with the stated share of each year's saving, after the lag, no more "
    "than the waiting list could fill and none after the run",
    "[engine][scenarios][reinvestment]") {
  const config::Authority authority = testing::small_default(35300, 48);
  config::Authority option = more_support(authority, 60);
  option.reinvestment.share = 0.5;
  option.reinvestment.from_services = {"children_in_care", "child_protection"};
  option.reinvestment.to_service = "intensive_family_service";
  option.reinvestment.lag_months = 6;
  option.reinvestment.reference = config::ReinvestmentReference::baseline;
  config::validate(option);
  const Model option_model = build_model(option);
  const auto [baseline, run] = baseline_and_option(authority, option, 8);
  const auto to = service_index(option, "intensive_family_service");
  const std::int64_t case_year = 12 * option_model.services[to].case_month_pence;
  namespace col = reinvestment_column;
  REQUIRE(run.reinvestment.shape[0] == 4);     // financial years 2025-26 to 2028-29
  std::vector<std::int64_t> open(48 + 24, 0);  // reinvested places open by month
  std::int64_t bought_years = 0, capped_years = 0;
  for (std::size_t y = 0; y < 4; ++y) {
    INFO("financial year " << y);
    const std::size_t first = 12 * y, last = first + 11;
    std::int64_t reference = 0, spend = 0, waiting = 0;
    for (const auto& name : option.reinvestment.from_services) {
      const auto b = service_index(authority, name), o = service_index(option, name);
      for (std::size_t m = first; m <= last; ++m) {
        reference += baseline.spend_by_service(m, b);
        spend += run.spend_by_service(m, o);
      }
    }
    for (std::size_t m = first; m <= last; ++m) waiting += run.service_waiting(m, to);
    REQUIRE(run.reinvestment(y, col::reference_pence) == reference);
    REQUIRE(run.reinvestment(y, col::spend_pence) == spend);
    const std::int64_t saving = reference - spend;
    const std::int64_t available = saving > 0 ? saving / 2 : 0;  // 0.5 x whole pence, rounded down
    REQUIRE(run.reinvestment(y, col::available_pence) == available);
    const std::size_t from = last + 1 + 6;
    // The mean waiting list, and last year's places that close as these open.
    const std::int64_t fillable = waiting / 12 + open[last] - open[from];
    REQUIRE(run.reinvestment(y, col::fillable_cases) == fillable);
    const std::int64_t cases = from < 48 ? std::max<std::int64_t>(0, std::min(available / case_year, fillable)) : 0;
    REQUIRE(run.reinvestment(y, col::extra_cases) == cases);
    REQUIRE(run.reinvestment(y, col::reinvested_pence) == cases * case_year);
    REQUIRE(run.reinvestment(y, col::reinvested_pence) <= available);
    if (cases > 0) {
      ++bought_years;
      capped_years += cases < available / case_year;
      REQUIRE(run.reinvestment(y, col::from_month) == static_cast<std::int64_t>(from));
      REQUIRE(run.reinvestment(y, col::until_month) == static_cast<std::int64_t>(from + 11));
      for (std::size_t m = from; m < from + 12 && m < open.size(); ++m) open[m] += cases;
    } else {
      REQUIRE(run.reinvestment(y, col::from_month) == -1);
      REQUIRE(run.reinvestment(y, col::until_month) == -1);
    }
  }
  CHECK(bought_years > 0);
  // The last year's places would open after the run: none are bought, whatever it saved.
  CHECK(run.reinvestment(3, col::extra_cases) == 0);
  CHECK(run.reinvestment(3, col::reinvested_pence) == 0);
  // The receiving service's capacity is its own plus the reinvested places open that month.
  const std::int64_t own = option_model.services[to].capacity(0);
  for (std::size_t m = 0; m < 48; ++m) REQUIRE(run.service_capacity(m, to) == own + open[m]);
  INFO("years the waiting list capped the places: " << capped_years);
}

TEST_CASE("demand can change over time: domestic abuse onset 20% higher from April 2026", "[engine][scenarios]") {
  const config::Authority authority = testing::small_default(20000, 36);
  config::Authority option = authority;
  std::size_t abuse = 0;
  for (std::size_t j = 0; j < option.themes.size(); ++j)
    if (option.themes[j].name == "domestic_abuse") abuse = j;
  option.themes[abuse].onset_multiplier_from_month = {{"2026-04", 1.2}};
  config::validate(option);
  const Model baseline_model = build_model(authority);
  const Model option_model = build_model(option);
  REQUIRE(option_model.onset_changes.size() == 1);
  CHECK(option_model.onset_changes[0].from_month == 12);
  for (std::size_t j = 0; j < option.themes.size(); ++j)
    CHECK(option_model.onset_changes[0].onset[j] == baseline_model.onset[j] * (j == abuse ? 1.2 : 1.0));
  const auto [baseline, more] = baseline_and_option(authority, option, 9);
  for (std::size_t m = 0; m < 12; ++m) REQUIRE(more.theme_families(m, abuse) == baseline.theme_families(m, abuse));
  CHECK(more.theme_families(35, abuse) > baseline.theme_families(35, abuse));
}

TEST_CASE("uncertain parameters are drawn per replicate, the same every time, within their intervals",
          "[engine][uncertainty]") {
  const config::Authority authority =
      config::load_authority_file(testing::source_path("configs/default_with_uncertainty.toml"));
  REQUIRE(authority.uncertainty.size() == 3);
  CHECK(draw_uncertain(authority, 1, 0) == draw_uncertain(authority, 1, 0));
  CHECK(draw_uncertain(authority, 1, 0) != draw_uncertain(authority, 1, 1));
  CHECK(draw_uncertain(authority, 1, 0) != draw_uncertain(authority, 2, 0));
  // Over many replicates: about 95% inside each interval (all inside for the
  // uniform), and the lognormal's median at the interval's geometric mid-point.
  std::vector<std::vector<double>> values(3);
  constexpr std::uint32_t replicates = 4000;
  for (std::uint32_t r = 0; r < replicates; ++r) {
    const auto drawn = draw_uncertain(authority, 7, r);
    for (std::size_t u = 0; u < 3; ++u) values[u].push_back(drawn[u]);
  }
  for (std::size_t u = 0; u < 3; ++u) {
    const auto& spec = authority.uncertainty[u];
    INFO(spec.key);
    double inside = 0;
    for (const double v : values[u]) inside += v >= spec.low && v <= spec.high;
    CHECK(inside / replicates == Approx(spec.distribution == config::Distribution::uniform ? 1.0 : 0.95).margin(0.015));
    auto sorted = values[u];
    std::sort(sorted.begin(), sorted.end());
    if (spec.distribution == config::Distribution::lognormal)
      CHECK(sorted[replicates / 2] == Approx(std::sqrt(spec.low * spec.high)).epsilon(0.02));
  }
  // A drawn configuration is the base with those keys set.
  const auto drawn = draw_uncertain(authority, 1, 3);
  const config::Authority replicate = config::with_numbers(authority, uncertain_keys(authority), drawn);
  CHECK(replicate.services[service_index(replicate, "intensive_family_service")].escalation_hazard_ratio ==
        Approx(drawn[0]).epsilon(1e-12));
}

TEST_CASE("reinvestment against a budget line reinvests the share of what the year spends below it",
          "[engine][scenarios][reinvestment]") {
  config::Authority authority = testing::small_default(35300, 36);
  authority.reinvestment.share = 0.25;
  authority.reinvestment.from_services = {"children_in_care"};
  authority.reinvestment.to_service = "school_early_help";
  authority.reinvestment.lag_months = 0;
  authority.reinvestment.reference = config::ReinvestmentReference::budget;
  authority.reinvestment.budget_gbp_per_year = 40.0e6;  // above what care costs here: a saving every year
  config::validate(authority);
  const Model model = build_model(authority);
  const RunResult run = simulate(model, {10, 0, false});
  namespace col = reinvestment_column;
  const auto school = service_index(authority, "school_early_help");
  const std::int64_t case_year = 12 * model.services[school].case_month_pence;
  for (std::size_t y = 0; y < 2; ++y) {
    REQUIRE(run.reinvestment(y, col::reference_pence) == 4000000000);  // £40m in pence, a whole year
    const std::int64_t saving = run.reinvestment(y, col::reference_pence) - run.reinvestment(y, col::spend_pence);
    REQUIRE(saving > 0);
    REQUIRE(run.reinvestment(y, col::available_pence) == saving / 4);
    REQUIRE(run.reinvestment(y, col::extra_cases) ==
            std::min(saving / 4 / case_year, run.reinvestment(y, col::fillable_cases)));
    REQUIRE(run.reinvestment(y, col::from_month) == static_cast<std::int64_t>(12 * y + 12));
  }
  // The first year's places open in month 12, at once (no lag), and close after 12 months.
  CHECK(run.reinvestment(0, col::extra_cases) > 0);
  CHECK(run.service_capacity(12, school) ==
        model.services[school].capacity(12) + run.reinvestment(0, col::extra_cases));
  CHECK(run.service_capacity(24, school) ==
        model.services[school].capacity(24) + run.reinvestment(1, col::extra_cases));
}

TEST_CASE(
    "an option's own lines and their consequence add up to its spend difference to the penny, a cut is a cut, "
    "and a relabelled statutory case is not both",
    "[engine][scenarios][money]") {
  const config::Authority authority = testing::small_default(5000, 36);
  const auto load = [&](const std::string& file) {
    config::Authority option =
        config::load_scenario(testing::source_path("configs/default.toml"), testing::source_path("scenarios/" + file));
    option.population = authority.population;
    option.simulation = authority.simulation;
    config::validate(option);
    return option;
  };
  for (const std::string file : {"cut_childrens_centre_outreach.toml", "family_group_conferencing.toml",
                                 "invest_to_save.toml", "more_intensive_family_support.toml"}) {
    INFO(file);
    const config::Authority option = load(file);
    const auto [baseline, changed] = baseline_and_option(authority, option, 7);
    const Model baseline_model = build_model(authority);
    const Model option_model = build_model(option);
    const auto values = compare(option_model, changed, baseline_model, baseline);
    // Whole pence, and the two parts are the whole.
    CHECK(values[comparison::own_lines] == std::round(values[comparison::own_lines]));
    CHECK(values[comparison::own_lines] + values[comparison::consequence] == values[measure::spend_nominal]);
    // By who pays, cash and not, the same difference to the penny (the terminal's who-pays lines).
    std::int64_t by_payer = 0;
    for (std::size_t i = 0; i < changed.spend_by_payer.values.size(); ++i)
      by_payer += changed.spend_by_payer.values[i] - baseline.spend_by_payer.values[i];
    CHECK(static_cast<double>(by_payer) == values[measure::spend_nominal]);
    const auto own = own_lines(authority, option);
    if (file == "cut_childrens_centre_outreach.toml") {
      CHECK(own.services == std::vector<std::string>{"childrens_centre_outreach"});
      CHECK(values[comparison::own_lines] < 0);                 // a cut, not an investment
      CHECK(std::isnan(values[comparison::return_per_pound]));  // so no return
    }
    if (file == "family_group_conferencing.toml") {
      // The conference plans and the plans they replace are one line.
      CHECK(std::find(own.services.begin(), own.services.end(), "children_in_need") != own.services.end());
      CHECK(own.taken_over == std::vector<std::string>{"Children in need (section 17)"});
    }
    if (file == "invest_to_save.toml")  // its reinvestment goes to the service it expands
      CHECK(own.services == std::vector<std::string>{"intensive_family_service"});
    // The adjusted view: each rise raised by 41%, each fall lowered by 41% (the default's optimism bias).
    REQUIRE(option.costs.optimism_bias_cost_uplift == 0.41);
    REQUIRE(option.costs.optimism_bias_saving_reduction == 0.41);
    const auto biased = [](double change) { return change > 0 ? change * 1.41 : change * (1 - 0.41); };
    CHECK(values[comparison::net_adjusted_for_optimism_bias] ==
          biased(values[comparison::own_lines]) + biased(values[comparison::consequence]));
    CHECK(values[comparison::net_adjusted_for_optimism_bias] > values[measure::spend_nominal]);  // always prudent
    config::Authority unbiased = option;
    unbiased.costs.optimism_bias_cost_uplift = 0;
    unbiased.costs.optimism_bias_saving_reduction = 0;
    CHECK(compare(build_model(unbiased), changed, baseline_model,
                  baseline)[comparison::net_adjusted_for_optimism_bias] == values[measure::spend_nominal]);
  }
}

// A run plan runs the baseline and its options over replicates and sweep
// points, in parallel across runs: the same bits on any number of threads,
// each run what the burn-in and the branch from it give one at a time, every
// replicate's uncertain draw checked before anything runs, and a swept key set
// where an overlay on the swept base would set it.
#include <filesystem>
#include <mutex>
#include <set>

#include <oneapi/tbb/global_control.h>
#include <catch2/catch.hpp>

#include "config/load.hpp"
#include "config/sweep.hpp"
#include "engine/run.hpp"
#include "engine/run_digest.hpp"
#include "experiment/comparison.hpp"
#include "experiment/run_cache.hpp"
#include "experiment/run_plan.hpp"
#include "experiment/sensitivity.hpp"
#include "experiment/sweep.hpp"
#include "experiment/uncertainty.hpp"
#include "support.hpp"

namespace {

using namespace ehsim;
using Catch::Matchers::Contains;

const char* const intensive = "services.intensive_family_service.capacity_cases";

config::Authority with_intensive_capacity(config::Authority authority, std::int64_t cases) {
  for (auto& service : authority.services)
    if (service.name == "intensive_family_service") service.capacity_cases = cases;
  return authority;
}

std::int64_t intensive_capacity(const config::Authority& authority) {
  for (const auto& service : authority.services)
    if (service.name == "intensive_family_service") return service.capacity_cases;
  return -1;
}

// The small default with 3 replicates, two options (one reinvesting against the
// baseline) and one uncertain key.
experiment::RunPlan small_plan() {
  config::Authority base = testing::small_default(1500, 24);
  base.simulation.replicates = 3;
  base.uncertainty.push_back(
      {"services.intensive_family_service.escalation_hazard_ratio", config::Distribution::lognormal, 0.5, 0.9});
  config::Authority more = with_intensive_capacity(base, 2 * intensive_capacity(base));
  config::Authority reinvesting = config::load_scenario(testing::source_path("configs/default.toml"),
                                                        testing::source_path("scenarios/invest_to_save.toml"));
  reinvesting.population = base.population;
  reinvesting.simulation = base.simulation;
  reinvesting.uncertainty = base.uncertainty;
  return experiment::comparison_plan(base, {{"more", more}, {"invest_to_save", reinvesting}});
}

experiment::PlanResults run_with_threads(const experiment::RunPlan& plan, std::size_t threads) {
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return experiment::run_and_keep(plan);
}

// A sweep of two points over the intensive service's places, with an option
// that sets them itself and one that does not.
experiment::RunPlan small_sweep() {
  config::Authority base = testing::small_default(800, 12);
  base.simulation.replicates = 2;
  config::Authority own = with_intensive_capacity(base, 7);
  config::Authority other = base;
  other.front_door.waiting_escalation_hazard_ratio = 1.5;
  experiment::RunPlan plan = experiment::comparison_plan(base, {{"own", own}, {"other", other}});
  plan.swept = {{intensive, ""}, {"front_door.waiting_escalation_hazard_ratio", "own"}};
  plan.points = {{20, 1.25}, {40, 1.75}};
  return plan;
}

}  // namespace

TEST_CASE("a comparison plan gives the same bits on 1, 2 and 4 threads", "[experiment][determinism]") {
  const auto plan = small_plan();
  const auto one = run_with_threads(plan, 1);
  REQUIRE(one.runs.size() == 3);
  for (const std::size_t threads : {2u, 4u}) {
    const auto many = run_with_threads(plan, threads);
    CHECK(many.draws.values == one.draws.values);
    for (std::size_t s = 0; s < 3; ++s)
      for (std::size_t r = 0; r < 3; ++r) {
        INFO("threads " << threads << ", scenario " << s << ", replicate " << r);
        CHECK(testing::digest_of(many.runs[s][r]) == testing::digest_of(one.runs[s][r]));
        CHECK(many.runs[s][r].reinvestment.values == one.runs[s][r].reinvestment.values);
      }
  }
}

TEST_CASE("each replicate of a plan is its draw's burn-in with every scenario branching from its end", "[experiment]") {
  const auto plan = small_plan();
  const auto results = experiment::run_and_keep(plan);
  const auto keys = experiment::uncertain_keys(plan.scenarios.front().authority);
  for (std::uint32_t r = 0; r < 3; ++r) {
    const auto values = experiment::draw_uncertain(plan.scenarios.front().authority, plan.seed, r);
    CHECK(results.draws.values[r] == values);
    std::vector<engine::Model> models;
    for (const auto& scenario : plan.scenarios)
      models.push_back(engine::build_model(config::with_numbers(scenario.authority, keys, values)));
    const engine::RunSpec spec{plan.seed, r, false};
    const engine::StartState start = engine::burn_in(models[0], spec);
    const engine::RunResult baseline = engine::simulate_from(models[0], spec, start, models[0]);
    CHECK(testing::digest_of(results.runs[0][r]) == testing::digest_of(baseline));
    for (std::size_t s = 1; s < models.size(); ++s) {
      const auto option = engine::simulate_from(models[s], spec, start, models[0], &baseline);
      CHECK(testing::digest_of(results.runs[s][r]) == testing::digest_of(option));
      CHECK(results.runs[s][r].reinvestment.values == option.reinvestment.values);
    }
  }
}

TEST_CASE("a draw that makes a configuration invalid is refused before any run, naming the replicate", "[experiment]") {
  config::Authority base = testing::small_default(200, 2);
  base.simulation.replicates = 2;
  // Inside the key's own range, but level shares must add up to 1.
  base.uncertainty.push_back({"levels[0].initial_share", config::Distribution::uniform, 0.9, 0.95});
  const auto plan = experiment::comparison_plan(base, {});
  CHECK_THROWS_WITH(experiment::draw_uncertainty(plan), Contains("replicate 0's draw of [[uncertainty]]"));
}

TEST_CASE("a swept key is set in the baseline and in every option that leaves it as the base has it",
          "[experiment][sweep]") {
  const auto plan = small_sweep();
  for (std::size_t point = 0; point < 2; ++point) {
    INFO("point " << point);
    const auto authorities = experiment::configurations(plan, point, {}, 0);
    const auto places = static_cast<std::int64_t>(plan.points[point][0]);
    CHECK(intensive_capacity(authorities[0]) == places);
    CHECK(intensive_capacity(authorities[1]) == 7);  // the option sets the places itself
    CHECK(intensive_capacity(authorities[2]) == places);
    // A key swept for one option only is set there alone.
    CHECK(authorities[0].front_door.waiting_escalation_hazard_ratio ==
          plan.scenarios[0].authority.front_door.waiting_escalation_hazard_ratio);
    CHECK(authorities[1].front_door.waiting_escalation_hazard_ratio == plan.points[point][1]);
    CHECK(authorities[2].front_door.waiting_escalation_hazard_ratio == 1.5);
  }
}

TEST_CASE("a plan runs only the runs it is asked for, each exactly as a run of its point on its own",
          "[experiment][sweep]") {
  const auto plan = small_sweep();
  std::mutex lock;
  std::set<std::pair<std::size_t, std::size_t>> ran;
  std::vector<std::vector<double>> rows(plan.run_count());
  experiment::run_plan(
      plan, {}, [](std::size_t point, std::size_t replicate) { return !(point == 1 && replicate == 0); },
      [&](experiment::PlanRun&& run) {
        const std::lock_guard<std::mutex> guard(lock);
        ran.insert({run.point, run.replicate});
        rows[run.point * plan.replicates + run.replicate] = experiment::sweep_row(run);
      });
  CHECK(ran == std::set<std::pair<std::size_t, std::size_t>>{{0, 0}, {0, 1}, {1, 1}});
  // Point 1, replicate 1, by hand: the point's configurations, burnt in once.
  const auto authorities = experiment::configurations(plan, 1, {}, 1);
  std::vector<engine::Model> models;
  for (const auto& authority : authorities) models.push_back(engine::build_model(authority));
  const engine::RunSpec spec{plan.seed, 1, false};
  const auto start = engine::burn_in(models[0], spec);
  std::vector<engine::RunResult> runs;
  for (const auto& model : models) runs.push_back(engine::simulate_from(model, spec, start, models[0]));
  const auto& row = rows[1 * plan.replicates + 1];
  REQUIRE(row.size() == experiment::sweep_row_length(3));
  for (std::size_t s = 0; s < 3; ++s) {
    const auto measures = experiment::headline_measures(models[s], runs[s]);
    for (std::size_t c = 0; c < experiment::measure::count; ++c)
      CHECK(row[s * experiment::measure::count + c] == measures[c]);
  }
  for (std::size_t s = 1; s < 3; ++s) {
    const auto differences = experiment::compare(models[s], runs[s], models[0], runs[0]);
    const std::size_t offset = 3 * experiment::measure::count + (s - 1) * experiment::comparison::count;
    for (std::size_t c = 0; c < experiment::comparison::count; ++c) {
      INFO("option " << s << ", column " << experiment::comparison::name(c));
      if (std::isnan(differences[c]))
        CHECK(std::isnan(row[offset + c]));
      else
        CHECK(row[offset + c] == differences[c]);
    }
  }
}

TEST_CASE("every sweep shipped in sweeps/ loads, with its extremes valid configurations", "[experiment][sweep]") {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_path("sweeps"))) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path().filename().string());
    const auto loaded = config::load_sweep(entry.path());
    CHECK_NOTHROW(experiment::check_extremes(experiment::sweep_plan(loaded, experiment::make_design(loaded.sweep))));
    ++count;
  }
  CHECK(count >= 2);
}

TEST_CASE("a sweep whose extreme values make an invalid configuration is refused before any run, saying which",
          "[experiment][sweep]") {
  auto plan = small_sweep();
  plan.points.push_back({40, 2000.0});  // the escalation ratio while waiting is at most 1000 (set in "own" only)
  // Only option "own" takes that key, and the message names it and the values it was given.
  CHECK_THROWS_WITH(experiment::check_extremes(plan),
                    "<own>: front_door.waiting_escalation_hazard_ratio: 2000.0 is outside the allowed range (0.0, "
                    "1000.0] (at the sweep's highest values: front_door.waiting_escalation_hazard_ratio = 2000.0)");
  plan.points.pop_back();
  CHECK_NOTHROW(experiment::check_extremes(plan));
}

TEST_CASE("an option's own lever can be swept: a schedule entry and its reinvestment share, in that option only",
          "[experiment][sweep]") {
  const config::Authority base = testing::small_default(800, 36);
  config::Authority option = config::load_scenario(testing::source_path("configs/default.toml"),
                                                   testing::source_path("scenarios/invest_to_save.toml"));
  option.population = base.population;
  option.simulation = base.simulation;
  auto plan = experiment::comparison_plan(base, {{"invest_to_save", option}});
  plan.swept = {{"services.intensive_family_service.capacity_from_month.2026-04", "invest_to_save"},
                {"reinvestment.share", "invest_to_save"}};
  plan.points = {{150, 0.25}, {260, 0.75}};
  for (std::size_t point = 0; point < 2; ++point) {
    const auto authorities = experiment::configurations(plan, point, {}, 0);
    for (const auto& service : authorities[1].services)
      if (service.name == "intensive_family_service")
        CHECK(service.capacity_from_month.at("2026-04") == plan.points[point][0]);
    CHECK(authorities[1].reinvestment.share == plan.points[point][1]);
    for (const auto& service : authorities[0].services)
      if (service.name == "intensive_family_service") CHECK(service.capacity_from_month.empty());
    CHECK(authorities[0].reinvestment.share == 0);
  }
}

TEST_CASE("an option under a future is compared with that future, and reinvests from the future's savings",
          "[experiment][futures]") {
  const config::Authority base = testing::small_default(4000, 48);
  // A future from a month after the start, so that its burn-in is the base's.
  config::Authority future = base;
  config::set_number(future, "themes.domestic_abuse.onset_multiplier_from_month.2025-06", 3.0);
  future.kind = config::ScenarioKind::future;
  config::Authority option = config::load_scenario(testing::source_path("configs/default.toml"),
                                                   testing::source_path("scenarios/invest_to_save.toml"));
  option.population = base.population;
  option.simulation = base.simulation;
  config::Authority option_under_future = option;
  config::set_number(option_under_future, "themes.domestic_abuse.onset_multiplier_from_month.2025-06", 3.0);
  const auto plan = experiment::comparison_plan(
      base, {{"invest_to_save", option, 0, "invest_to_save", ""},
             {"more_abuse", future, 0, "", "more_abuse"},
             {"invest_to_save_under_more_abuse", option_under_future, 2, "invest_to_save", "more_abuse"}});
  const auto results = experiment::run_and_keep(plan);
  // The same option in a plan whose baseline is the future: the same run, bit
  // for bit, only if its reinvestment measured savings from the future's run.
  const auto alone = experiment::run_and_keep(experiment::comparison_plan(future, {{"option", option_under_future}}));
  for (std::size_t r = 0; r < plan.replicates; ++r) {
    const auto& under = results.runs[3][r];
    CHECK(under.reinvestment.values == alone.runs[1][r].reinvestment.values);
    CHECK(under.stock_families.values == alone.runs[1][r].stock_families.values);
    CHECK(under.spend_by_level.values == alone.runs[1][r].spend_by_level.values);
    // Its reference is the future's care spend, year by year, which the rise in demand makes differ from the
    // baseline's.
    const auto& future_run = results.runs[2][r];
    const auto& baseline_run = results.runs[0][r];
    std::size_t care = 0;
    while (future.services[care].name != "children_in_care") ++care;
    bool differs = false;
    for (std::size_t y = 0; y < 4; ++y) {
      std::int64_t future_spend = 0, baseline_spend = 0;
      for (std::size_t m = 12 * y; m < 12 * y + 12; ++m) {
        future_spend += future_run.spend_by_service(m, care);
        baseline_spend += baseline_run.spend_by_service(m, care);
      }
      CHECK(under.reinvestment(y, engine::reinvestment_column::reference_pence) == future_spend);
      differs = differs || future_spend != baseline_spend;
    }
    CHECK(differs);
  }
  const auto summary = experiment::summarise(plan, results);
  REQUIRE(summary.comparisons.size() == 3);
  CHECK(summary.comparisons[2].option == 3);
  CHECK(summary.comparisons[2].baseline == 2);
  CHECK(summary.scenarios[3].option == "invest_to_save");
  CHECK(summary.scenarios[3].future == "more_abuse");
  // A future that adds a service (sorted before the ones reinvestment reads) and changes nothing else:
  // the option under it reinvests exactly as planned, reading the future's spend by service name.
  config::Authority helpline = base;
  helpline.services.insert(helpline.services.begin(), helpline.services.front());
  helpline.services.front().name = "a_helpline";
  helpline.kind = config::ScenarioKind::future;
  config::Authority option_with_helpline = option;
  option_with_helpline.services.insert(option_with_helpline.services.begin(), helpline.services.front());
  const auto shifted = experiment::run_and_keep(experiment::comparison_plan(
      base, {{"invest_to_save", option, 0, "invest_to_save", ""},
             {"helpline", helpline, 0, "", "helpline"},
             {"invest_to_save_under_helpline", option_with_helpline, 2, "invest_to_save", "helpline"}}));
  for (std::size_t r = 0; r < plan.replicates; ++r)
    CHECK(shifted.runs[3][r].reinvestment.values == shifted.runs[1][r].reinvestment.values);
  // A scenario compared with one planned after it is refused.
  CHECK_THROWS_AS(experiment::comparison_plan(base, {{"early", option, 1, "", ""}}), std::invalid_argument);
}

TEST_CASE("each family's cost in an option is set against the same family in the baseline, and they add up exactly",
          "[experiment][families]") {
  const config::Authority base = testing::small_default(3000, 24);
  config::Authority more = with_intensive_capacity(base, 3 * intensive_capacity(base));
  auto plan = experiment::comparison_plan(base, {{"more", more}});
  plan.replicates = 3;
  plan.family_savings = true;
  const auto results = run_with_threads(plan, 2);
  REQUIRE(results.family_differences.size() == 2);
  const auto intensive_index = [](const config::Authority& authority) {
    for (std::size_t s = 0; s < authority.services.size(); ++s)
      if (authority.services[s].name == "intensive_family_service") return s;
    return std::size_t{0};
  };
  for (std::size_t r = 0; r < plan.replicates; ++r) {
    INFO("replicate " << r);
    const auto& families = results.family_differences[1][r];
    const auto& option = results.runs[1][r];
    const auto& baseline = results.runs[0][r];
    // Over every family of both runs, the differences are the spend difference to the penny.
    std::int64_t difference = 0;
    for (std::size_t c = 0; c < option.spend_by_level.values.size(); ++c)
      difference += option.spend_by_level.values[c] - baseline.spend_by_level.values[c];
    CHECK(families.all_families == difference);
    // By payer, the helped families' differences are their whole differences.
    std::int64_t helped_total = 0, by_payer_total = 0;
    for (const auto d : families.helped) helped_total += d;
    for (const auto d : families.by_payer) by_payer_total += d;
    CHECK(helped_total == by_payer_total);
    // The helped are families the intensive service (the option's own line) admitted: at most its admissions.
    std::int64_t admissions = 0;
    const auto s = intensive_index(more);
    for (std::size_t m = 0; m < 24; ++m) admissions += option.service_admissions(m, s);
    CHECK(!families.helped.empty());
    CHECK(static_cast<std::int64_t>(families.helped.size()) <= admissions);
    // The ledgers are summed and let go: no run keeps one.
    CHECK_FALSE(option.ledger.kept());
    CHECK_FALSE(baseline.ledger.kept());
  }
  CHECK(results.family_differences[0][0].helped.empty());  // the baseline is compared with nothing
  // A cut counts the families that lost the service too: those the baseline's service admitted.
  config::Authority fewer = with_intensive_capacity(base, intensive_capacity(base) / 4);
  auto cut_plan = experiment::comparison_plan(base, {{"fewer", fewer}});
  cut_plan.replicates = 1;
  cut_plan.family_savings = true;
  const auto cut = run_with_threads(cut_plan, 2);
  std::int64_t cut_admissions = 0;
  for (std::size_t m = 0; m < 24; ++m) cut_admissions += cut.runs[1][0].service_admissions(m, intensive_index(fewer));
  CHECK(static_cast<std::int64_t>(cut.family_differences[1][0].helped.size()) > cut_admissions);
  // With other payers than the baseline, no breakdown by payer: columns would not match.
  config::Authority other_payers = more;
  other_payers.costs.payers.insert(other_payers.costs.payers.begin(), "dwp");
  auto payer_plan = experiment::comparison_plan(base, {{"other_payers", other_payers}});
  payer_plan.replicates = 1;
  payer_plan.family_savings = true;
  const auto payers = run_with_threads(payer_plan, 2);
  CHECK(payers.family_differences[1][0].by_payer.empty());
  CHECK_FALSE(payers.family_differences[1][0].helped.empty());
  // The same on one thread.
  const auto one = run_with_threads(plan, 1);
  for (std::size_t r = 0; r < plan.replicates; ++r) {
    CHECK(one.family_differences[1][r].helped == results.family_differences[1][r].helped);
    CHECK(one.family_differences[1][r].by_payer == results.family_differences[1][r].by_payer);
  }
}

TEST_CASE("a run's ledger holds each family's spend: summed over families it is the run's spend by payer, exactly",
          "[engine][families]") {
  config::Authority authority = testing::small_default(3000, 24);
  const auto summed_by_column = [](const config::Authority& configuration) {
    const engine::Model model = engine::build_model(configuration);
    const engine::RunSpec spec{5, 0, false};
    const auto run = engine::simulate_from(model, spec, engine::burn_in(model, spec), model, nullptr, {}, true);
    REQUIRE(run.ledger.kept());
    std::vector<std::int64_t> from_families(run.ledger.columns, 0);
    for (std::size_t id = 0; id < run.ledger.ids(); ++id)
      for (std::size_t c = 0; c < run.ledger.columns; ++c)
        from_families[c] += run.ledger.spend[id * run.ledger.columns + c];
    std::vector<std::int64_t> by_payer(run.ledger.columns, 0);
    for (std::size_t m = 0; m < 24; ++m)
      for (std::size_t c = 0; c < run.ledger.columns; ++c)
        by_payer[c] += run.spend_by_payer.values[m * run.ledger.columns + c];
    CHECK(from_families == by_payer);
    return from_families;
  };
  (void)summed_by_column(authority);
  // The universal services' spend, summed apart a family, lands in its own payer's column.
  REQUIRE(authority.costs.payers.size() > 1);
  authority.costs.universal_payer = authority.costs.payers.back();
  authority.costs.universal_cashable = true;
  const auto moved = summed_by_column(authority);
  CHECK(moved[2 * (authority.costs.payers.size() - 1) + 1] > 0);
  const engine::Model model = engine::build_model(testing::small_default(3000, 24));
  const engine::RunSpec spec{5, 0, false};
  const auto run = engine::simulate_from(model, spec, engine::burn_in(model, spec), model, nullptr, {}, true);
  // The families each service admitted are marked: as many as its admissions at most, and some.
  for (std::size_t s = 0; s < authority.services.size(); ++s) {
    std::int64_t marked = 0, admissions = 0;
    for (const auto mask : run.ledger.admitted) marked += (mask >> s) & 1u;
    for (std::size_t m = 0; m < 24; ++m) admissions += run.service_admissions(m, s);
    CHECK(marked <= admissions);
    CHECK((marked > 0) == (admissions > 0));
  }
  // Without asking, no ledger, and the same run otherwise.
  const auto plain = engine::simulate_from(model, spec, engine::burn_in(model, spec), model);
  CHECK_FALSE(plain.ledger.kept());
  CHECK(plain.spend_by_payer.values == run.spend_by_payer.values);
  CHECK(plain.stock_families.values == run.stock_families.values);
}

TEST_CASE("every two options compared with the same scenario are set against each other, replicate by replicate",
          "[experiment][pairs]") {
  namespace pc = experiment::pair_column;
  config::Authority base = testing::small_default(1500, 24);
  config::Authority more = with_intensive_capacity(base, 2 * intensive_capacity(base));
  config::Authority fewer = with_intensive_capacity(base, intensive_capacity(base) / 2);
  config::Authority future = base;
  future.kind = config::ScenarioKind::future;
  for (auto& theme : future.themes)
    if (theme.name == "domestic_abuse") theme.onset_hazard_per_month *= 1.5;
  config::Authority more_under = more, fewer_under = fewer;
  for (auto* under : {&more_under, &fewer_under}) under->themes = future.themes;
  auto plan = experiment::comparison_plan(base, {{"more", more, 0, "more", ""},
                                                 {"fewer", fewer, 0, "fewer", ""},
                                                 {"abuse", future, 0, "", "abuse"},
                                                 {"more_under_abuse", more_under, 3, "more", "abuse"},
                                                 {"fewer_under_abuse", fewer_under, 3, "fewer", "abuse"}});
  plan.replicates = 3;
  const auto results = experiment::run_and_keep(plan);
  const auto summary = experiment::summarise(plan, results);
  // Two options as planned, and the same two under the future; never an option against a future or across futures.
  REQUIRE(summary.pairs.size() == 2);
  CHECK(summary.pairs[0].first == 1);
  CHECK(summary.pairs[0].second == 2);
  CHECK(summary.pairs[1].first == 4);
  CHECK(summary.pairs[1].second == 5);
  for (const auto& pair : summary.pairs) {
    REQUIRE(pair.differences.shape == std::vector<std::size_t>{3, pc::count});
    for (std::size_t r = 0; r < 3; ++r) {
      INFO("pair " << pair.first << " " << pair.second << ", replicate " << r);
      const auto& a = results.runs[pair.first][r];
      const auto& b = results.runs[pair.second][r];
      std::int64_t spend = 0, cash = 0, level4 = 0;
      for (std::size_t m = 0; m < 24; ++m) {
        for (std::size_t k = 0; k < 4; ++k) spend += a.spend_by_level(m, k) - b.spend_by_level(m, k);
        for (std::size_t p = 0; p < a.spend_by_payer.shape[1]; ++p)
          cash += a.spend_by_payer(m, p, 1) - b.spend_by_payer(m, p, 1);
        level4 += a.stock_families(m, 3) - b.stock_families(m, 3);
      }
      CHECK(pair.differences(r, experiment::measure::spend_nominal) == static_cast<double>(spend));
      CHECK(pair.differences(r, pc::cash_spend) == static_cast<double>(cash));
      CHECK(pair.differences(r, experiment::measure::top_level_family_months) == static_cast<double>(level4));
      CHECK(pair.differences(r, pc::first_costs_less) == (spend < 0 ? 1.0 : 0.0));
      CHECK(pair.differences(r, pc::first_fewer_top_level) == (level4 < 0 ? 1.0 : 0.0));
      // Against the same scenario with the same luck: the pair is the difference of the two comparisons.
      const auto& to_first = summary.comparisons[pair.first - 1].differences;
      const auto& to_second = summary.comparisons[pair.second - 1].differences;
      CHECK(pair.differences(r, experiment::measure::spend_nominal) ==
            to_first(r, experiment::measure::spend_nominal) - to_second(r, experiment::measure::spend_nominal));
    }
    CHECK(pair.statistics(experiment::statistic::mean, pc::first_costs_less) == 0.0);  // more places cost more
    CHECK(pair.statistics(experiment::statistic::mean, experiment::measure::spend_nominal) > 0);
  }
}

TEST_CASE("a plan that finds its runs kept runs only what is new to it, with the same bits", "[experiment][cache]") {
  auto plan = small_plan();
  plan.family_savings = true;  // the kept runs carry their ledgers
  const auto fresh = experiment::run_and_keep(plan);
  experiment::RunCache cache(std::size_t{1} << 30);
  const auto through = [&](const experiment::RunPlan& p) {
    experiment::PlanResults results;
    results.runs.assign(p.scenarios.size(), std::vector<engine::RunResult>(p.replicates));
    results.family_differences.assign(p.scenarios.size(), std::vector<experiment::FamilyDifferences>(p.replicates));
    std::mutex guard;
    experiment::run_plan(
        p, experiment::draw_uncertainty(p), {},
        [&](experiment::PlanRun&& run) {
          const std::lock_guard lock(guard);
          for (std::size_t s = 0; s < run.runs.size(); ++s) {
            results.runs[s][run.replicate] = std::move(run.runs[s]);
            if (s < run.family_differences.size())
              results.family_differences[s][run.replicate] = std::move(run.family_differences[s]);
          }
        },
        &cache);
    return results;
  };
  const auto same = [&](const experiment::PlanResults& results, std::size_t s, std::size_t as) {
    for (std::size_t r = 0; r < 3; ++r) {
      INFO("scenario " << s << ", replicate " << r);
      CHECK(testing::digest_of(results.runs[s][r]) == testing::digest_of(fresh.runs[as][r]));
      CHECK(results.runs[s][r].reinvestment.values == fresh.runs[as][r].reinvestment.values);
      CHECK(results.family_differences[s][r].helped == fresh.family_differences[as][r].helped);
      CHECK(results.family_differences[s][r].all_families == fresh.family_differences[as][r].all_families);
    }
  };
  const auto first = through(plan);
  CHECK(cache.hits() == 0);
  CHECK(cache.runs() == 9);
  for (std::size_t s = 0; s < 3; ++s) same(first, s, s);
  const auto second = through(plan);
  CHECK(cache.hits() == 9);
  for (std::size_t s = 0; s < 3; ++s) same(second, s, s);
  // The baseline and the reinvesting option again, with the other option
  // changed: only the changed one runs.
  auto changed = plan;
  changed.scenarios[1].authority = with_intensive_capacity(plan.scenarios[1].authority, 3);
  const auto third = through(changed);
  CHECK(cache.hits() == 9 + 6);
  same(third, 0, 0);
  same(third, 2, 2);
  CHECK(testing::digest_of(third.runs[1][0]) != testing::digest_of(fresh.runs[1][0]));
  // A baseline that differs in one key: nothing found, as nothing branches from the same start.
  auto other_base = plan;
  for (auto& scenario : other_base.scenarios) scenario.authority.front_door.waiting_escalation_hazard_ratio += 0.25;
  (void)through(other_base);
  CHECK(cache.hits() == 15);
  // Only the baseline changed, as just above, the options as they were first:
  // the baseline is found, but the options, though each is as first run,
  // branch from another start and are set against another run: not found.
  auto base_only = plan;
  base_only.scenarios[0].authority.front_door.waiting_escalation_hazard_ratio += 0.25;
  (void)through(base_only);
  CHECK(cache.hits() == 15 + 3);
  // With trajectories, nothing is found.
  auto with_trajectories = plan;
  with_trajectories.trajectories = true;
  (void)through(with_trajectories);
  CHECK(cache.hits() == 18);
  // More replicates: those run before are found (a replicate's run does not depend on how many there are).
  auto more_replicates = plan;
  more_replicates.replicates = 4;
  for (auto& scenario : more_replicates.scenarios) scenario.authority.simulation.replicates = 4;
  (void)through(more_replicates);
  CHECK(cache.hits() == 18 + 9);
  // Another seed, another baseline (the uncertain draws differ too): nothing found.
  auto reseeded = plan;
  reseeded.seed = 2;
  (void)through(reseeded);
  CHECK(cache.hits() == 27);
  // Without the ledger the kept runs are not the ones asked for.
  auto without_ledger = plan;
  without_ledger.family_savings = false;
  (void)through(without_ledger);
  CHECK(cache.hits() == 27);
}

TEST_CASE("the run cache keeps what fits, letting go of the scenarios used longest ago first", "[experiment][cache]") {
  const auto run = std::make_shared<const experiment::CachedRun>();
  const std::size_t each = experiment::bytes_of(*run);
  experiment::RunCache cache(4 * each);
  for (std::uint32_t r = 0; r < 3; ++r) cache.store("a", r, run);
  for (std::uint32_t r = 0; r < 3; ++r) cache.store("b", r, run);
  CHECK(cache.runs() == 3);  // a went whole
  CHECK(cache.bytes() == 3 * each);
  CHECK(cache.find("a", 0) == nullptr);
  CHECK(cache.find("b", 2) != nullptr);
  cache.store("c", 0, run);
  CHECK(cache.runs() == 4);
  CHECK(cache.find("b", 0) != nullptr);  // b is now used more recently than c
  cache.store("d", 0, run);
  CHECK(cache.find("c", 0) == nullptr);
  CHECK(cache.find("b", 1) != nullptr);
  CHECK(cache.find("d", 0) != nullptr);
  CHECK(cache.runs() == 4);
  cache.store("d", 0, run);  // stored again: counted once
  CHECK(cache.runs() == 4);
  CHECK(cache.bytes() == 4 * each);
  // One scenario of more replicates than the cache holds keeps what fits.
  for (std::uint32_t r = 0; r < 6; ++r) cache.store("e", r, run);
  CHECK(cache.runs() == 4);
  CHECK(cache.find("e", 0) != nullptr);
  CHECK(cache.find("e", 5) == nullptr);
  // A run bigger than the whole cache is not kept, and evicts nothing.
  experiment::RunCache small(each - 1);
  small.store("a", 0, run);
  CHECK(small.runs() == 0);
  // What a run holds is counted: a bigger run, more bytes.
  experiment::CachedRun bigger;
  bigger.run.stock_families.values.assign(1000, 0);
  CHECK(experiment::bytes_of(bigger) == each + 8000);
}

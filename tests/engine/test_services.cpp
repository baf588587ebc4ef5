// The service system: capacity, waiting lists and their order, efficacy.
#include <cmath>
#include <map>
#include <numeric>

#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>

#include "engine/admissions.hpp"
#include "engine/compare_runs.hpp"
#include "engine/model.hpp"
#include "engine/monthly_cycle.hpp"
#include "engine/run.hpp"
#include "engine/service_fixtures.hpp"
#include "engine/themes.hpp"
#include "engine/waiting_list.hpp"
#include "experiment/comparison.hpp"
#include "support.hpp"

using namespace ehsim;
using namespace ehsim::testing;
using namespace ehsim::engine;

TEST_CASE("a service never holds more cases than its capacity: a full one queues and one with room does not",
          "[engine][services]") {
  const config::Authority authority = with_services();
  const RunResult run = simulate(build_model(authority), {5, 0, false});
  std::int64_t months_full = 0;
  for (std::size_t m = 0; m < 36; ++m)
    for (std::size_t s = 0; s < authority.services.size(); ++s) {
      INFO("month " << m << ", service " << authority.services[s].name);
      if (authority.services[s].statutory()) {
        CHECK(run.service_waiting(m, s) == 0);
        CHECK(run.service_capacity(m, s) == run.service_caseload(m, s));
        continue;
      }
      REQUIRE(run.service_caseload(m, s) <= run.service_capacity(m, s));
      if (run.service_waiting(m, s) > 0) {
        REQUIRE(run.service_caseload(m, s) == run.service_capacity(m, s));
        ++months_full;
      }
    }
  CHECK(months_full > 0);  // the small services really fill up
}

TEST_CASE("each service's caseload is last month's plus admissions minus closures", "[engine][services]") {
  const config::Authority authority = with_services();
  const RunResult run = simulate(build_model(authority), {6, 0, false});
  for (std::size_t s = 0; s < authority.services.size(); ++s)
    for (std::size_t m = 1; m < 36; ++m) {
      std::int64_t closed = 0;
      for (std::size_t o = 0; o < closure_outcome::count; ++o) closed += run.service_closures(m, s, o);
      REQUIRE(run.service_caseload(m, s) == run.service_caseload(m - 1, s) + run.service_admissions(m, s) - closed);
    }
}

TEST_CASE("families are taken in order: highest level, then longest wait, then lowest id", "[engine][services]") {
  std::vector<QueueEntry> entries{{7, 0, 2, 1, 3}, {3, 1, 2, 2, 0}, {5, 2, 2, 1, 3},
                                  {2, 3, 2, 1, 9}, {9, 4, 2, 2, 0}, {1, 5, 2, 0, 40}};
  order_for_admission(entries);
  std::vector<std::uint32_t> order;
  for (const auto& entry : entries) order.push_back(entry.id);
  CHECK(order == std::vector<std::uint32_t>{3, 9, 2, 5, 7, 1});
}

TEST_CASE("a service with room for two admits the first two in that order and leaves the rest waiting",
          "[engine][services]") {
  config::Authority authority = with_services();
  authority.services[index_of(authority, "early_help")].capacity_cases = 5;
  authority.services[index_of(authority, "early_help")].consent_probability = 1.0;
  const Model model = build_model(authority);
  const auto early_help = static_cast<int>(index_of(authority, "early_help"));
  Families families;
  std::vector<std::vector<QueueEntry>> waiting(authority.services.size());
  // Five waiting families: (id, level, months waited).
  const std::vector<std::tuple<std::uint32_t, std::uint8_t, std::uint16_t>> listed{
      {10, 1, 2}, {11, 1, 5}, {12, 1, 5}, {13, 1, 0}, {14, 1, 1}};
  for (const auto& [id, level, wait] : listed) {
    Family family;
    family.id = id;
    family.key = id;
    family.need_level = level;
    family.queue = waiting_for(early_help);
    family.months_in_state = wait;
    families.append(family);
    waiting[static_cast<std::size_t>(early_help)].push_back(
        {id, static_cast<std::uint32_t>(families.size() - 1), family.queue, level, wait});
  }
  // Open cases by service and locality; the families all live in locality 0.
  const TallyLayout layout(model);
  MonthTally tally(layout);
  const auto s = static_cast<std::size_t>(early_help);
  tally[&RunResult::service_caseload_by_locality](s, 0) = 3;  // room for two
  const RandomSource rng(1, 0);
  admit({model, rng, layout, 4, true, nullptr}, families, waiting, {}, tally, nullptr);
  CHECK(tally[&RunResult::service_admissions][s] == 2);
  CHECK(tally[&RunResult::service_waiting][s] == 3);
  CHECK(tally[&RunResult::service_caseload][s] == 5);
  // Ids 11 and 12 waited longest (5 months); 11 first by id. Both are now in the service.
  std::vector<std::uint32_t> admitted;
  for (std::size_t i = 0; i < families.size(); ++i)
    if (families.service[i] == early_help + 1) admitted.push_back(families.id[i]);
  CHECK(admitted == std::vector<std::uint32_t>{11, 12});
}

TEST_CASE("services whose hazard ratios are all 1 change no family's path", "[engine][services]") {
  const config::Authority without = dynamics_only(small_default(6000, 36));
  const config::Authority neutral = with_services(20, 0.0);  // every ratio exactly 1
  const RunResult a = simulate(build_model(without), {8, 0, true});
  const RunResult b = simulate(build_model(neutral), {8, 0, true});
  REQUIRE(a.trajectory_levels.size() == b.trajectory_levels.size());
  CHECK(a.trajectory_levels == b.trajectory_levels);
  CHECK(a.stock_families.values == b.stock_families.values);
  std::int64_t admissions = 0;
  for (const auto v : b.service_admissions.values) admissions += v;
  CHECK(admissions > 100);  // the services did work
}

TEST_CASE("more capacity in an effective intensive service lowers level 4 and costs more in that service",
          "[engine][services]") {
  // Waiting is neutral here, so capacity can change level 4 only through the
  // service's efficacy: an ineffective service would give identical runs.
  const auto configured = [](std::int64_t capacity, double up_ratio) {
    config::Authority authority = with_services(capacity, 0.0);  // every ratio 1, waiting included
    auto& intensive = authority.services[index_of(authority, "intensive_family")];
    intensive.escalation_hazard_ratio = up_ratio;
    intensive.de_escalation_hazard_ratio = 1.0 / up_ratio;
    intensive.cost_per_case_month_gbp = 2000;
    return build_model(authority);
  };
  const auto intensive = index_of(with_services(), "intensive_family");
  double acute_small = 0, acute_large = 0, acute_ineffective = 0, spend_small = 0, spend_large = 0;
  for (std::uint32_t r = 0; r < 4; ++r) {
    const RunResult small = simulate(configured(10, 0.5), {21, r, false});
    const RunResult large = simulate(configured(150, 0.5), {21, r, false});
    const RunResult ineffective_small = simulate(configured(10, 1.0), {21, r, false});
    const RunResult ineffective_large = simulate(configured(150, 1.0), {21, r, false});
    REQUIRE(ineffective_small.stock_families.values == ineffective_large.stock_families.values);
    for (std::size_t m = 0; m < 36; ++m) {
      acute_small += static_cast<double>(small.stock_families(m, 3));
      acute_large += static_cast<double>(large.stock_families(m, 3));
      acute_ineffective += static_cast<double>(ineffective_large.stock_families(m, 3));
      spend_small += static_cast<double>(small.spend_by_service(m, intensive));
      spend_large += static_cast<double>(large.spend_by_service(m, intensive));
    }
  }
  INFO("level-4 family-months: " << acute_small << " with 10 places, " << acute_large << " with 150, "
                                 << acute_ineffective << " with 150 ineffective places");
  CHECK(acute_large < acute_small);
  CHECK(acute_large < acute_ineffective);
  CHECK(spend_large > 2 * spend_small);
}

TEST_CASE("a capacity schedule changes what a service can hold from the month it names", "[engine][services]") {
  config::Authority authority = with_services();
  const auto early_help = index_of(authority, "early_help");
  authority.services[early_help].capacity_from_month = {{"2025-10", 90.0}, {"2026-04", 30.0}};
  const RunResult run = simulate(build_model(authority), {3, 0, false});
  CHECK(run.service_capacity(5, early_help) == 60);   // 2025-09
  CHECK(run.service_capacity(6, early_help) == 90);   // 2025-10
  CHECK(run.service_capacity(12, early_help) == 30);  // 2026-04
  // After the cut the open cases continue, so the caseload may stay above 30
  // for a while; but admissions never take the service above its capacity.
  bool over_after_cut = false;
  for (std::size_t m = 12; m < 36; ++m) {
    over_after_cut = over_after_cut || run.service_caseload(m, early_help) > 30;
    if (run.service_admissions(m, early_help) > 0) CHECK(run.service_caseload(m, early_help) <= 30);
  }
  CHECK(over_after_cut);
}

TEST_CASE("spend adds up exactly: by level, by payer, and universal costs plus services", "[engine][costs]") {
  const config::Authority authority = with_costs();
  const RunResult run = simulate(build_model(authority), {12, 0, false});
  const std::vector<std::int64_t> universal{1000, 5000, 20000, 100050};  // pence
  for (std::size_t m = 0; m < 36; ++m) {
    std::int64_t universal_total = 0;
    for (std::size_t k = 0; k < 4; ++k) universal_total += universal[k] * run.stock_families(m, k);
    const std::int64_t by_level = row_sum(run.spend_by_level, m);
    REQUIRE(by_level == row_sum(run.spend_by_payer, m));
    REQUIRE(by_level == universal_total + row_sum(run.spend_by_service, m));
    REQUIRE(by_level > universal_total);
  }
}

TEST_CASE("a service's spend is its case-month cost times its caseload plus its start cost times admissions",
          "[engine][costs]") {
  const config::Authority authority = with_costs();
  const RunResult run = simulate(build_model(authority), {13, 0, false});
  const auto early_help = index_of(authority, "early_help");
  const auto intensive = index_of(authority, "intensive_family");
  const auto protection = index_of(authority, "child_protection");
  std::int64_t health_not_cashable = 0, early_help_spend = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    REQUIRE(run.spend_by_service(m, early_help) ==
            30025 * run.service_caseload(m, early_help) + 15000 * run.service_admissions(m, early_help));
    REQUIRE(run.spend_by_service(m, intensive) ==
            200000 * run.service_caseload(m, intensive) + 50000 * run.service_admissions(m, intensive));
    // Per child: every family in the authority has between 1 and 4 children under 18.
    REQUIRE(run.spend_by_service(m, protection) >= 130000 * run.service_caseload(m, protection));
    REQUIRE(run.spend_by_service(m, protection) <= 4 * 130000 * run.service_caseload(m, protection));
    health_not_cashable += run.spend_by_payer(m, 2, 0);  // payers: childrens_services, schools, health, ...
    early_help_spend += run.spend_by_service(m, early_help);
  }
  CHECK(health_not_cashable == early_help_spend);
  CHECK(early_help_spend > 0);
}

TEST_CASE("spend is discounted at the Green Book rate by month, rounded to the penny", "[engine][costs]") {
  const config::Authority authority = with_costs();
  REQUIRE(authority.costs.discount_rate_per_year == 0.035);
  const RunResult run = simulate(build_model(authority), {14, 0, false});
  for (std::size_t m = 0; m < 36; ++m) {
    const auto total = static_cast<double>(row_sum(run.spend_by_level, m));
    REQUIRE(run.spend_discounted(m) == std::llround(total / std::pow(1.035, static_cast<double>(m) / 12)));
  }
  CHECK(run.spend_discounted(0) == row_sum(run.spend_by_level, 0));
  CHECK(static_cast<double>(run.spend_discounted(24)) ==
        Approx(static_cast<double>(row_sum(run.spend_by_level, 24)) / (1.035 * 1.035)).margin(0.5));  // two years
}

TEST_CASE("1 and 2 threads give identical results with services", "[engine][services][determinism]") {
  config::Authority authority = with_costs();
  authority.population.families = 3 * static_cast<std::int64_t>(families_per_block) + 100;  // several blocks
  const Model model = build_model(authority);
  RunResult one, two;
  {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = simulate(model, {4, 0, true});
  }
  {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = simulate(model, {4, 0, true});
  }
  CHECK(one.trajectory_levels == two.trajectory_levels);
  CHECK(one.service_caseload.values == two.service_caseload.values);
  CHECK(one.service_waiting.values == two.service_waiting.values);
  CHECK(one.service_closures.values == two.service_closures.values);
  CHECK(one.front_door.values == two.front_door.values);
  CHECK(one.spend_by_payer.values == two.spend_by_payer.values);
  testing::require_identical_events(one, two);
}

TEST_CASE("waiting lists and the front door's queue add up: last month's, plus those who came, less those who left",
          "[engine][services]") {
  // Without step-down, and with it: families stepping down from child
  // protection join a list without passing the front door; and with
  // transfers from child protection into care, which do not pass it either.
  for (const int variant : {0, 1, 2}) {
    const bool step_down = variant == 1, transfer = variant == 2;
    INFO((step_down ? "with step-down" : transfer ? "with transfers" : "without step-down"));
    config::Authority authority = step_down  ? with_routes_and_step_down()
                                  : transfer ? with_transfer_to_care()
                                             : with_services(4);  // few intensive places: a list to leave
    authority.front_door.triage_capacity_per_month = 25;          // a queue builds at the front door
    const RunResult run = simulate(build_model(authority), {15, 0, false});
    namespace fd = front_door_measure;
    std::int64_t left_lists = 0, departed_front_door = 0, stepped_down = 0, transferred = 0;
    for (std::size_t m = 1; m < 36; ++m) {
      INFO("month " << m);
      REQUIRE(run.front_door(m, fd::waiting) == run.front_door(m - 1, fd::waiting) + run.front_door(m, fd::referrals) -
                                                    run.front_door(m, fd::triaged) - run.front_door(m, fd::departed));
      departed_front_door += run.front_door(m, fd::departed);
      std::int64_t joined = 0;
      for (std::size_t s = 0; s < authority.services.size(); ++s) {
        const auto flow = [&](std::size_t f) { return run.service_waiting_flows(m, s, f); };
        REQUIRE(run.service_waiting(m, s) == run.service_waiting(m - 1, s) + flow(waiting_flow::joined) +
                                                 flow(waiting_flow::stepped_down) + flow(waiting_flow::transferred) -
                                                 run.service_admissions(m, s) - flow(waiting_flow::rerouted) -
                                                 flow(waiting_flow::no_longer_needed) - flow(waiting_flow::departed));
        joined += flow(waiting_flow::joined);
        left_lists +=
            flow(waiting_flow::rerouted) + flow(waiting_flow::no_longer_needed) + flow(waiting_flow::departed);
        stepped_down += flow(waiting_flow::stepped_down);
        transferred += flow(waiting_flow::transferred);
      }
      REQUIRE(joined == run.front_door(m, fd::routed));
    }
    CHECK(left_lists > 0);  // the flows out of lists really happen
    CHECK(departed_front_door > 0);
    // The identity's step-down and transfer terms are exercised, each only where configured.
    CHECK((stepped_down > 0) == step_down);
    CHECK((transferred > 0) == transfer);
  }
}

TEST_CASE("a service's remission boost makes a theme end with probability 1 - exp(-remission x boost)",
          "[engine][services][themes]") {
  config::Authority authority = testing::small_default();
  for (auto& theme : authority.themes) theme.onset_hazard_per_month = 0;  // only remission can happen
  const Model model = build_model(authority);
  const int domestic_abuse = 1;  // named tables are sorted: cse, domestic_abuse, ...
  REQUIRE(authority.themes[domestic_abuse].name == "domestic_abuse");
  std::vector<double> boost(static_cast<std::size_t>(model.theme_count), 1.0);
  boost[domestic_abuse] = 3.0;
  const RandomSource rng(31, 0);
  const int n = 200000;
  int remitted_plain = 0, remitted_boosted = 0;
  for (std::uint32_t id = 0; id < static_cast<std::uint32_t>(n); ++id) {
    const double u = to_uniform(rng.block(id, 2, stream("monthly.theme_event").block)[1]);
    remitted_plain += next_themes(model, rng, id, 2, 1u << domestic_abuse, 2, u) == 0;
    remitted_boosted += next_themes(model, rng, id, 2, 1u << domestic_abuse, 2, u, &boost) == 0;
  }
  const double r = model.remission[domestic_abuse];
  for (const auto& [count, hazard] : {std::pair{remitted_plain, r}, std::pair{remitted_boosted, 3 * r}}) {
    const double p = 1 - std::exp(-hazard);
    CHECK(std::abs(count - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  }
}

TEST_CASE("a domestic abuse service that speeds remission lowers domestic abuse among families", "[engine][services]") {
  const auto configured = [](double boost) {
    config::Authority authority = with_services(60, 0.0);
    auto& early_help = authority.services[index_of(authority, "early_help")];
    if (boost != 1.0) early_help.remission_multiplier = {{"domestic_abuse", boost}};
    return build_model(authority);
  };
  double plain = 0, boosted = 0;
  for (std::uint32_t r = 0; r < 3; ++r) {
    const RunResult a = simulate(configured(1.0), {17, r, false});
    const RunResult b = simulate(configured(3.0), {17, r, false});
    for (std::size_t m = 0; m < 36; ++m) {
      plain += static_cast<double>(a.theme_families(m, 1));
      boosted += static_cast<double>(b.theme_families(m, 1));
    }
  }
  INFO("family-months with domestic abuse: " << plain << " without the boost, " << boosted << " with it");
  CHECK(boosted < plain);
}

TEST_CASE("re-referrals are the referrals within 12 months of the family's last closed case, as the event log shows",
          "[engine][services]") {
  const RunResult run = simulate(build_model(with_services()), {19, 0, true});
  // The last closure of each family so far, replayed from the event log.
  std::map<std::uint32_t, std::int32_t> last_closure;
  std::vector<std::int64_t> from_log(36, 0);
  for (const auto& event : run.events) {
    if (event.type == EventType::closure_needs_met || event.type == EventType::closure_stepped_up ||
        event.type == EventType::closure_other)
      last_closure[event.family] = event.month;
    if (event.type != EventType::referral) continue;
    const auto closed = last_closure.find(event.family);
    if (closed != last_closure.end() && event.month - closed->second <= 12) ++from_log[event.month];
  }
  std::int64_t total = 0;
  for (std::size_t m = 12; m < 36; ++m) {  // earlier months may count closures from the unrecorded burn-in
    INFO("month " << m);
    REQUIRE(run.front_door(m, front_door_measure::re_referrals) == from_log[m]);
    REQUIRE(run.front_door(m, front_door_measure::re_referrals) <= run.front_door(m, front_door_measure::referrals));
    total += from_log[m];
  }
  CHECK(total > 0);
}

TEST_CASE("stocks and referrals broken down by locality, deprivation and age band add up to the totals",
          "[engine][services][breakdowns]") {
  const config::Authority authority = with_services();
  const RunResult run = simulate(build_model(authority), {23, 0, false});
  const std::size_t localities = authority.population.locality_names.size();
  for (std::size_t m = 0; m < 36; ++m) {
    for (std::size_t k = 0; k < 4; ++k) {
      std::int64_t by_locality = 0, by_quintile = 0, by_age = 0;
      for (std::size_t l = 0; l < localities; ++l) by_locality += run.stock_by_locality(m, l, k);
      for (std::size_t q = 0; q < 5; ++q) by_quintile += run.stock_by_deprivation(m, q, k);
      for (std::size_t a = 0; a < 5; ++a) by_age += run.stock_by_age_band(m, a, k);
      REQUIRE(by_locality == run.stock_families(m, k));
      REQUIRE(by_quintile == run.stock_families(m, k));
      REQUIRE(by_age == run.stock_families(m, k));
    }
    std::int64_t by_locality = 0, by_quintile = 0, by_age = 0;
    for (std::size_t l = 0; l < localities; ++l) by_locality += run.referrals_by_locality(m, l);
    for (std::size_t q = 0; q < 5; ++q) by_quintile += run.referrals_by_deprivation(m, q);
    for (std::size_t a = 0; a < 5; ++a) by_age += run.referrals_by_age_band(m, a);
    REQUIRE(by_locality == run.front_door(m, front_door_measure::referrals));
    REQUIRE(by_quintile == run.front_door(m, front_door_measure::referrals));
    REQUIRE(by_age == run.front_door(m, front_door_measure::referrals));
  }
  // The default's onset gradient by deprivation shows: more families at level 4 in quintile 1 than 5.
  std::int64_t most = 0, least = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    most += run.stock_by_deprivation(m, 0, 3);
    least += run.stock_by_deprivation(m, 4, 3);
  }
  CHECK(most > least);
}

TEST_CASE("capacities and the reinvestment budget stated for capacity_reference_families scale with the families",
          "[engine][services][scaling]") {
  config::Authority authority = with_services();
  const auto early_help = index_of(authority, "early_help");
  authority.services[early_help].capacity_cases = 30;
  authority.services[early_help].capacity_from_month = {{"2026-04", 41.0}, {"2027-04", 1.0}};
  authority.front_door.triage_capacity_per_month = 450;
  authority.reinvestment.share = 0.5;
  authority.reinvestment.reference = config::ReinvestmentReference::budget;
  authority.reinvestment.from_services = {"intensive_family"};
  authority.reinvestment.to_service = "early_help";
  authority.reinvestment.budget_gbp_per_year = 1000000;
  // Absolute (reference 0): as stated, whatever the families.
  Model model = build_model(authority);
  CHECK(model.services[early_help].base_capacity == 30);
  CHECK(model.triage_capacity == 450);
  CHECK(model.reinvestment.budget_pence_per_year == 100000000);
  // Stated for 12,000 families, run with 6,000: halved, to the nearest case,
  // at least 1 where a capacity was stated above 0.
  authority.population.capacity_reference_families = 12000;
  REQUIRE(authority.population.families == 6000);
  model = build_model(authority);
  CHECK(config::capacity_scale(authority) == 0.5);
  CHECK(model.services[early_help].base_capacity == 15);
  CHECK(model.services[early_help].capacity_changes ==
        std::vector<std::pair<int, std::int64_t>>{{12, 21}, {24, 1}});  // 20.5 rounds up; 0.5 is kept at 1
  CHECK(model.triage_capacity == 225);
  CHECK(model.reinvestment.budget_pence_per_year == 50000000);
  // A statutory service, which takes every case, has no capacity to scale.
  CHECK(model.services[index_of(authority, "child_protection")].base_capacity == 0);
  // Run with twice the families: doubled.
  authority.population.families = 24000;
  CHECK(build_model(authority).services[early_help].base_capacity == 60);
}

TEST_CASE("a capacity held per locality is checked as scaled: a small authority can leave a locality without a place",
          "[engine][services][scaling]") {
  config::Authority authority = with_services();
  auto& early_help = authority.services[index_of(authority, "early_help")];
  early_help.capacity_by_locality = true;
  early_help.capacity_cases = 8;  // two a locality as stated
  CHECK_NOTHROW(config::validate(authority));
  authority.population.capacity_reference_families = 60000;  // stated for ten times the families: 1 place
  try {
    config::validate(authority);
    FAIL("expected an error");
  } catch (const config::ConfigError& error) {
    REQUIRE_FALSE(error.issues().empty());
    CHECK(error.issues()[0].key == "services.early_help.capacity_cases");
    CHECK_THAT(error.issues()[0].message, Catch::StartsWith("1 cases held per locality give"));
  }
}

TEST_CASE(
    "partners' costs are each line's pence times what it is charged on, and leave spend and families as they were",
    "[engine][costs]") {
  config::Authority authority = small_default(3000, 24);
  authority.costs.payers.push_back("justice");
  using config::CostValue;
  using config::PartnerCostBasis;
  // Pence that are not whole pounds, so a rounding would show.
  authority.costs.partners = {
      {"police", "Police", PartnerCostBasis::theme_month, "domestic_abuse", 0, 53.75, CostValue::fiscal, "police",
       false, ""},
      {"courts", "Courts", PartnerCostBasis::level_month, "", 4, 12.34, CostValue::fiscal, "justice", true, ""},
      {"any_step_up", "", PartnerCostBasis::escalation, "", 0, 7.01, CostValue::economic, "", false, ""},
      {"to_acute", "", PartnerCostBasis::escalation, "", 4, 99.99, CostValue::fiscal, "justice", false, ""},
      {"care", "", PartnerCostBasis::care_entry, "", 0, 1000.5, CostValue::social, "", false, ""},
      {"excluded", "", PartnerCostBasis::theme_onset, "missing_school", 0, 321.09, CostValue::fiscal, "justice", true,
       ""},
  };
  config::validate(authority);
  const Model model = build_model(authority);
  const RunResult run = simulate(model, {21, 0, false});
  std::size_t domestic_abuse = 0;
  while (authority.themes[domestic_abuse].name != "domestic_abuse") ++domestic_abuse;
  std::size_t missing_school = 0;
  while (authority.themes[missing_school].name != "missing_school") ++missing_school;
  std::int64_t escalations = 0, to_acute = 0, care_entries = 0, onsets = 0;
  for (std::size_t m = 0; m < 24; ++m) {
    std::int64_t up = 0, up_to_acute = 0, care = 0;
    for (std::size_t from = 0; from < 4; ++from)
      for (std::size_t to = from + 1; to < 4; ++to) {
        up += run.flows(m, from, to);
        if (to == 3) up_to_acute += run.flows(m, from, to);
      }
    for (std::size_t s = 0; s < authority.services.size(); ++s)
      if (authority.services[s].kind == config::ServiceKind::children_in_care)
        care += run.service_admitted_children(m, s);
    CHECK(run.partner_costs(m, 0) == 5375 * run.theme_families(m, domestic_abuse));
    CHECK(run.partner_costs(m, 1) == 1234 * run.stock_families(m, 3));
    CHECK(run.partner_costs(m, 2) == 701 * up);
    CHECK(run.partner_costs(m, 3) == 9999 * up_to_acute);
    CHECK(run.partner_costs(m, 4) == 100050 * care);
    CHECK(run.partner_costs(m, 5) == 32109 * run.theme_onsets(m, missing_school));
    onsets += run.theme_onsets(m, missing_school);
    escalations += up;
    to_acute += up_to_acute;
    care_entries += care;
  }
  // Each basis is met in two years of a small authority, so no line is trivially zero.
  CHECK(escalations > to_acute);
  CHECK(to_acute > 0);
  CHECK(care_entries > 0);
  CHECK(onsets > 0);
  // The headline measures keep the accounts apart.
  const auto headline = experiment::headline_measures(model, run);
  double fiscal = 0, economic = 0, social = 0;
  for (std::size_t m = 0; m < 24; ++m) {
    fiscal += static_cast<double>(run.partner_costs(m, 0) + run.partner_costs(m, 1) + run.partner_costs(m, 3) +
                                  run.partner_costs(m, 5));
    economic += static_cast<double>(run.partner_costs(m, 2));
    social += static_cast<double>(run.partner_costs(m, 4));
  }
  CHECK(headline[experiment::measure::partner_costs_fiscal] == fiscal);
  CHECK(headline[experiment::measure::economic_costs] == economic);
  CHECK(headline[experiment::measure::social_costs] == social);
  // Outside spend: without the lines, every other count is the same, bit for bit.
  config::Authority without = authority;
  without.costs.partners.clear();
  const RunResult plain = simulate(build_model(without), {21, 0, false});
  CHECK(plain.spend_by_level.values == run.spend_by_level.values);
  CHECK(plain.spend_by_payer.values == run.spend_by_payer.values);
  CHECK(plain.stock_families.values == run.stock_families.values);
  CHECK(plain.partner_costs.values.empty());
}

TEST_CASE(
    "a block contract pays for every place in the months its service is open, filled or not, and spend still adds "
    "up to the penny in every breakdown",
    "[engine][costs][block]") {
  config::Authority authority = with_costs();
  const auto intensive = index_of(authority, "intensive_family");
  auto& service = authority.services[intensive];
  service.contract = config::Contract::block;
  service.capacity_from_month = {{"2026-04", 600}};  // month 12: more places than families to fill them
  service.open_until_month = "2027-10";              // month 30: from then on, what is left is paid per case
  config::validate(authority);
  const Model model = build_model(authority);
  const RunSpec spec{15, 0, false};
  const RunResult run = simulate_from(model, spec, burn_in(model, spec), model, nullptr, {}, true);
  std::int64_t unfilled_months = 0, unfilled_pence = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    INFO("month " << m);
    const std::int64_t caseload = run.service_caseload(m, intensive);
    const std::int64_t places = run.service_capacity(m, intensive);
    const std::int64_t unfilled = run.service_unfilled_places(m, intensive);
    REQUIRE(unfilled == (m < 30 ? std::max<std::int64_t>(0, places - caseload) : 0));
    // Filled and empty places alike at £2,000 a month, and £500 for each case that starts.
    REQUIRE(run.spend_by_service(m, intensive) ==
            200000 * (caseload + unfilled) + 50000 * run.service_admissions(m, intensive));
    for (std::size_t s = 0; s < authority.services.size(); ++s)
      if (s != intensive) REQUIRE(run.service_unfilled_places(m, s) == 0);  // spot contracts
    const std::int64_t by_level = row_sum(run.spend_by_level, m);
    REQUIRE(by_level == row_sum(run.spend_by_payer, m));
    REQUIRE(by_level == row_sum(run.spend_by_locality, m));
    REQUIRE(by_level == row_sum(run.spend_by_deprivation, m));
    REQUIRE(by_level == row_sum(run.spend_by_age_band, m));
    if (unfilled > 0) ++unfilled_months;
    unfilled_pence += 200000 * unfilled;
  }
  CHECK(unfilled_months >= 6);  // the 600 places take months to fill
  // Empty places are no family's: the families' ledgers hold all spend but theirs.
  std::int64_t families = 0, by_payer = 0;
  for (const auto pence : run.ledger.spend) families += pence;
  for (const auto pence : run.spend_by_payer.values) by_payer += pence;
  CHECK(families == by_payer - unfilled_pence);
  // The same places paid per case cost exactly the empty places less; nothing else moves.
  config::Authority spot = authority;
  spot.services[intensive].contract = config::Contract::spot;
  const RunResult per_case = simulate(build_model(spot), {15, 0, false});
  CHECK(per_case.service_caseload.values == run.service_caseload.values);
  std::int64_t spot_total = 0, block_total = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    spot_total += row_sum(per_case.spend_by_service, m);
    block_total += row_sum(run.spend_by_service, m);
  }
  CHECK(block_total - spot_total == unfilled_pence);
}

TEST_CASE("a block contract held per locality pays for each locality's empty places as that locality's spend",
          "[engine][costs][block][locality]") {
  config::Authority authority = with_costs();
  const auto intensive = index_of(authority, "intensive_family");
  authority.services[intensive].contract = config::Contract::block;
  authority.services[intensive].capacity_by_locality = true;
  authority.services[intensive].capacity_cases = 600;
  config::validate(authority);
  config::Authority spot = authority;
  spot.services[intensive].contract = config::Contract::spot;
  const RunResult run = simulate(build_model(authority), {16, 0, false});
  const RunResult per_case = simulate(build_model(spot), {16, 0, false});
  const std::size_t localities = authority.population.locality_names.size();
  std::int64_t unfilled_total = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    INFO("month " << m);
    std::int64_t empty = 0;
    for (std::size_t l = 0; l < localities; ++l) {
      const std::int64_t locality_empty = std::max<std::int64_t>(
          0, run.service_capacity_by_locality(m, intensive, l) - run.service_caseload_by_locality(m, intensive, l));
      empty += locality_empty;
      REQUIRE(run.spend_by_locality(m, l) - per_case.spend_by_locality(m, l) == 200000 * locality_empty);
    }
    REQUIRE(run.service_unfilled_places(m, intensive) == empty);
    REQUIRE(row_sum(run.spend_by_level, m) == row_sum(run.spend_by_locality, m));
    unfilled_total += empty;
  }
  CHECK(unfilled_total > 0);
}

TEST_CASE("a payer's real price growth raises its costs month by month to the penny, and no one else's",
          "[engine][costs][prices]") {
  config::Authority authority = with_costs();
  authority.costs.real_price_growth_per_year = {{"health", 0.10}};  // early help is paid by health
  config::validate(authority);
  const RunResult grown = simulate(build_model(authority), {17, 0, false});
  const RunResult flat = simulate(build_model(with_costs()), {17, 0, false});
  const auto early_help = index_of(authority, "early_help");
  const auto intensive = index_of(authority, "intensive_family");
  CHECK(grown.service_caseload.values == flat.service_caseload.values);  // prices move no family
  for (std::size_t m = 0; m < 36; ++m) {
    INFO("month " << m);
    const double factor = std::pow(1.10, static_cast<double>(m) / 12);
    const std::int64_t case_month = std::llround(30025 * factor), start = std::llround(15000 * factor);
    REQUIRE(grown.spend_by_service(m, early_help) ==
            case_month * grown.service_caseload(m, early_help) + start * grown.service_admissions(m, early_help));
    REQUIRE(grown.spend_by_service(m, intensive) == flat.spend_by_service(m, intensive));
    REQUIRE(row_sum(grown.spend_by_level, m) == row_sum(grown.spend_by_payer, m));
  }
  CHECK(grown.spend_by_service(0, early_help) == flat.spend_by_service(0, early_help));  // from the start month
  CHECK(grown.spend_by_service(24, early_help) ==
        36330 * grown.service_caseload(24, early_help) +
            18150 * grown.service_admissions(24, early_help));  // x 1.21: £363.30, £181.50
}

TEST_CASE("a cost stated in another year's prices is converted by the price index to the price year's",
          "[engine][costs][prices]") {
  config::Authority authority = with_costs();
  authority.costs.price_year = "2024-25";
  authority.costs.price_index = {{"2016-17", 80.0}, {"2024-25", 100.0}};
  auto& intensive = authority.services[index_of(authority, "intensive_family")];
  intensive.price_year = "2016-17";  // £2,000 a case-month and £500 to start, in 2016-17 prices
  config::validate(authority);
  const Model model = build_model(authority);
  CHECK(model.services[index_of(authority, "intensive_family")].case_month_pence == 250000);  // £2,500
  CHECK(model.services[index_of(authority, "intensive_family")].start_pence == 62500);
  CHECK(model.services[index_of(authority, "early_help")].case_month_pence == 30025);  // in the price year already
}

TEST_CASE(
    "real price growth reaches every cost of its payer: universal costs, block places, partners' lines, the "
    "families' ledger and reinvested places",
    "[engine][costs][prices]") {
  config::Authority authority = with_costs();  // universal costs and child protection: childrens_services
  const auto intensive = index_of(authority, "intensive_family");
  authority.services[intensive].contract = config::Contract::block;
  authority.services[intensive].capacity_cases = 400;  // empty places to pay for
  config::PartnerCostConfig police;
  police.name = "police";
  police.basis = config::PartnerCostBasis::level_month;
  police.level = 4;
  police.cost_gbp = 100;
  police.payer = "childrens_services";
  authority.costs.partners = {police};
  config::Authority grown = authority;
  grown.costs.real_price_growth_per_year = {{"childrens_services", 0.05}};
  config::validate(authority);
  config::validate(grown);
  const Model model = build_model(grown);
  const RunSpec spec{18, 0, false};
  const RunResult run = simulate_from(model, spec, burn_in(model, spec), model, nullptr, {}, true);
  const RunResult flat = simulate(build_model(authority), spec);
  const std::vector<std::int64_t> universal{1000, 5000, 20000, 100050};
  std::int64_t unfilled_pence = 0;
  for (std::size_t m = 0; m < 36; ++m) {
    INFO("month " << m);
    const double factor = std::pow(1.05, static_cast<double>(m) / 12);
    const auto at = [factor](std::int64_t pence) { return std::llround(static_cast<double>(pence) * factor); };
    for (std::size_t k = 0; k < 4; ++k) {
      const std::int64_t services = run.spend_by_level(m, k) - at(universal[k]) * run.stock_families(m, k);
      REQUIRE(services >= 0);  // the universal cost of each family at its grown price, and the rest is cases
    }
    REQUIRE(run.spend_by_service(m, intensive) ==
            at(200000) * (run.service_caseload(m, intensive) + run.service_unfilled_places(m, intensive)) +
                at(50000) * run.service_admissions(m, intensive));
    REQUIRE(run.partner_costs(m, 0) == at(10000) * run.stock_families(m, 3));
    REQUIRE(row_sum(run.spend_by_level, m) == row_sum(run.spend_by_payer, m));
    unfilled_pence += at(200000) * run.service_unfilled_places(m, intensive);
  }
  CHECK(unfilled_pence > 0);
  // The ledger charged every family at the same grown prices as the tallies.
  std::int64_t families = 0, by_payer = 0;
  for (const auto pence : run.ledger.spend) families += pence;
  for (const auto pence : run.spend_by_payer.values) by_payer += pence;
  CHECK(families == by_payer - unfilled_pence);
  CHECK(row_sum(run.spend_by_level, 30) > row_sum(flat.spend_by_level, 30));
  // Places for 12 months from month 30 of 36 are priced at the months they are open, past the run too.
  std::int64_t year = 0;
  for (int m = 30; m < 42; ++m) year += model.price(model.services[intensive].case_month_pence, 0, m);
  CHECK(year == [&] {
    std::int64_t total = 0;
    for (int m = 30; m < 42; ++m) total += std::llround(200000.0 * std::pow(1.05, m / 12.0));
    return total;
  }());
}

TEST_CASE("a theme's onsets are the families in which it starts in the month, arrivals left out", "[engine][themes]") {
  const config::Authority authority = small_default(2000, 18);
  const Model model = build_model(authority);
  const auto themes = authority.themes.size();
  // Each family's themes at the end of the month before, by id.
  std::map<std::uint32_t, std::uint16_t> before;
  bool first = true;
  std::int64_t seen = 0;
  const auto observe = [&](std::int32_t month, const Families& families, const RunResult& so_far) {
    std::vector<std::int64_t> counted(themes, 0);
    std::map<std::uint32_t, std::uint16_t> now;
    for (std::size_t i = 0; i < families.size(); ++i) {
      if (families.need_level[i] == departed) continue;
      now[families.id[i]] = families.themes[i];
      const auto was = before.find(families.id[i]);
      if (first || was == before.end()) continue;  // arrived this month
      for (std::size_t j = 0; j < themes; ++j)
        if ((families.themes[i] >> j & 1u) && !(was->second >> j & 1u)) ++counted[j];
    }
    if (!first)
      for (std::size_t j = 0; j < themes; ++j) {
        INFO("month " << month << ", theme " << j);
        CHECK(so_far.theme_onsets(static_cast<std::size_t>(month), j) == counted[j]);
        seen += counted[j];
      }
    before = std::move(now);
    first = false;
  };
  (void)simulate(model, {5, 0, false}, observe);
  CHECK(seen > 100);
}

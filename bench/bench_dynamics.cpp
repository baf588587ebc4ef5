// Measures the speed of the monthly dynamics: family-months per second, on one
// thread and on several, and the memory a family takes; and, beside it on one
// thread, a micro-benchmark of the least a family-month can cost (one Philox
// block and a branchy four-level update), so that the ratio of the two says
// how far the full model is from that floor on the same machine in the same
// run. Figures go in docs/performance.md with the command that produced them.
//
//   build/ehsim_bench [--config FILE] [--families N] [--months M] [--threads 1,2,16] [--repeats R]
//                     [--dynamics-only]
//
// Without --config it runs the embedded default authority, service system
// included; --dynamics-only drops the services, front door, identification
// and costs, leaving the population, themes and levels.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include "config/load.hpp"
#include "engine/families.hpp"
#include "engine/hazard.hpp"
#include "engine/model.hpp"
#include "engine/random_streams.hpp"
#include "engine/run.hpp"

namespace {

// The floor: per family-month, one Philox block, then a departure, a birth
// and a move between four levels as competing risks, and a tally of flows.
// Returns family-months per second (best of `repeats`) and a checksum that
// keeps the compiler from dropping the work.
std::pair<double, std::int64_t> micro_benchmark(std::int64_t families, std::int64_t months, int repeats) {
  const ehsim::engine::RandomSource rng(1, 0);
  std::vector<std::uint8_t> level(static_cast<std::size_t>(families));
  for (std::size_t i = 0; i < level.size(); ++i) level[i] = static_cast<std::uint8_t>(i % 7 == 0 ? 1 : 0);
  const double up[4] = {0.004, 0.02, 0.03, 0}, down[4] = {0, 0.05, 0.06, 0.07};
  double best = 1e300;
  std::int64_t checksum = 0;
  for (int r = 0; r < repeats; ++r) {
    std::int64_t flows[4][4] = {};
    const auto start = std::chrono::steady_clock::now();
    for (std::int32_t month = 0; month < months; ++month)
      for (std::size_t i = 0; i < level.size(); ++i) {
        const auto words = rng.block(i, month, 16);
        const int k = level[i];
        if (ehsim::engine::to_uniform(words[0]) < 0.002) continue;   // moved away (kept, for a steady population)
        if (ehsim::engine::to_uniform(words[3]) < 0.01) ++checksum;  // a birth
        const double hazards[2] = {up[k], down[k]};
        const int move = ehsim::engine::choose_competing(hazards, ehsim::engine::to_uniform(words[2]));
        const int next = move == 0 ? k + 1 : move == 1 ? k - 1 : k;
        level[i] = static_cast<std::uint8_t>(next);
        ++flows[k][next];
      }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (const auto& row : flows)
      for (const auto count : row) checksum += count;
  }
  return {static_cast<double>(families * months) / best, checksum};
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> values;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) values.push_back(std::stoi(item));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t families = 1000000;
  std::int64_t months = 120;
  int repeats = 3;
  std::vector<int> threads{1, tbb::info::default_concurrency()};
  std::string config_path;
  bool dynamics_only = false;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--dynamics-only") {
      dynamics_only = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", flag.c_str());
      return 2;
    }
    if (flag == "--config")
      config_path = argv[i + 1];
    else if (flag == "--families")
      families = std::atoll(argv[i + 1]);
    else if (flag == "--months")
      months = std::atoll(argv[i + 1]);
    else if (flag == "--threads")
      threads = parse_list(argv[i + 1]);
    else if (flag == "--repeats")
      repeats = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      return 2;
    }
  }

  ehsim::config::Authority authority =
      config_path.empty() ? ehsim::config::default_authority() : ehsim::config::load_authority_file(config_path);
  // Scale the service system with the population, so that queues stay as
  // long relative to the authority as the configuration made them.
  const double scale = static_cast<double>(families) / static_cast<double>(authority.population.families);
  const auto scaled = [scale](double cases) { return static_cast<std::int64_t>(std::llround(cases * scale)); };
  for (auto& service : authority.services) {
    service.capacity_cases = scaled(static_cast<double>(service.capacity_cases));
    for (auto& [month, cases] : service.capacity_from_month) cases = static_cast<double>(scaled(cases));
  }
  authority.front_door.triage_capacity_per_month =
      scaled(static_cast<double>(authority.front_door.triage_capacity_per_month));
  if (dynamics_only) {
    authority.services.clear();
    authority.identification = {};
    authority.front_door = {};
    authority.front_door.waiting_escalation_hazard_ratio = 1;
    authority.costs.universal_cost_per_family_month_gbp.clear();
  }
  authority.population.families = families;
  authority.simulation.months = months;
  const ehsim::engine::Model model = ehsim::engine::build_model(authority);
  const long rss_before = peak_rss_kib();

  std::printf("%s%s scaled to %lld families, %lld months after a %lld-month burn-in\n",
              config_path.empty() ? "default authority" : config_path.c_str(), dynamics_only ? " (dynamics only)" : "",
              static_cast<long long>(families), static_cast<long long>(months),
              static_cast<long long>(authority.simulation.burn_in_months));
  std::printf("%8s %14s %10s %14s %16s\n", "threads", "family-months", "seconds", "million fm/s", "million fm/s/core");
  double single_thread_rate = 0;
  for (const int thread_count : threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(thread_count));
    double best = 1e300;
    long long family_months = 0;
    for (int r = 0; r < repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const auto run = ehsim::engine::simulate(model, {1, 0, false});
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      // Family-months simulated: those recorded plus the burn-in's (estimated at the starting size).
      family_months = 0;
      for (const auto v : run.stock_families.values) family_months += v;
      family_months += families * authority.simulation.burn_in_months;
    }
    const double rate = static_cast<double>(family_months) / best / 1e6;
    if (thread_count == 1) single_thread_rate = rate;
    std::printf("%8d %14lld %10.3f %14.1f %16.1f\n", thread_count, family_months, best, rate, rate / thread_count);
  }
  if (single_thread_rate > 0) std::printf("(single-thread rate %.1f million family-months/s)\n", single_thread_rate);

  const long rss_after = peak_rss_kib();
  const auto state_bytes = static_cast<double>(ehsim::engine::Families::bytes_per_family());
  std::printf("family state: %.0f bytes per family (structure of arrays)\n", state_bytes);
  std::printf("peak memory growth during runs: %.1f bytes per family (peak RSS %ld KiB)\n",
              static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(families), rss_after);
  {
    const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    const auto [micro_rate, checksum] = micro_benchmark(families, months, repeats);
    std::printf(
        "micro-benchmark (one Philox block and a four-level update per family-month, one thread): %.1f "
        "million fm/s (checksum %lld)\n",
        micro_rate / 1e6, static_cast<long long>(checksum));
    if (single_thread_rate > 0)
      std::printf("full model on one thread / micro-benchmark: %.2f\n", single_thread_rate * 1e6 / micro_rate);
  }
  return 0;
}

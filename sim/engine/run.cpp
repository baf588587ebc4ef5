#include "engine/run.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

#include "engine/calendar.hpp"

#include "engine/monthly_cycle.hpp"
#include "engine/population.hpp"

namespace ehsim::engine {

RunResult empty_run_result(const Model& model, const RunSpec& spec) {
  const auto months = static_cast<std::size_t>(model.months);
  const auto levels = static_cast<std::size_t>(model.level_count);
  const auto themes = static_cast<std::size_t>(model.theme_count);
  RunResult result;
  result.seed = spec.seed;
  result.replicate = spec.replicate;
  result.months = model.months;
  result.levels = model.level_count;
  result.themes = model.theme_count;
  result.initial_families = CountArray{levels};
  result.initial_children = CountArray{levels};
  result.initial_theme_families = CountArray{themes};
  result.stock_families = CountArray{months, levels};
  result.stock_children = CountArray{months, levels};
  result.flows = CountArray{months, levels, levels};
  result.arrivals = CountArray{months, levels};
  result.departures_aged_out = CountArray{months, levels};
  result.departures_moved = CountArray{months, levels};
  result.theme_families = CountArray{months, themes};
  const std::size_t services = model.services.size();
  result.front_door = CountArray{months, services > 0 ? std::size_t{front_door_measure::count} : 0};
  result.service_caseload = CountArray{months, services};
  result.service_capacity = CountArray{months, services};
  result.service_waiting = CountArray{months, services};
  result.service_admissions = CountArray{months, services};
  result.service_wait_months = CountArray{months, services};
  result.service_closures = CountArray{months, services, std::size_t{closure_outcome::count}};
  result.service_waiting_flows = CountArray{months, services, std::size_t{waiting_flow::count}};
  const std::size_t localities = model.authority.population.locality_names.size();
  result.service_children = CountArray{months, services};
  result.service_open_months = CountArray{months, services};
  result.service_theme_cases = CountArray{months, services, themes};
  result.service_caseload_by_locality = CountArray{months, services, localities};
  result.service_capacity_by_locality = CountArray{months, services, localities};
  result.indicators = CountArray{months, services > 0 ? std::size_t{indicator::count} : 0};
  const auto quintiles = static_cast<std::size_t>(deprivation_quintiles);
  const auto bands = static_cast<std::size_t>(age_bands);
  result.stock_by_locality = CountArray{months, localities, levels};
  result.stock_by_deprivation = CountArray{months, quintiles, levels};
  result.stock_by_age_band = CountArray{months, bands, levels};
  result.referrals_by_locality = CountArray{months, localities};
  result.referrals_by_deprivation = CountArray{months, quintiles};
  result.referrals_by_age_band = CountArray{months, bands};
  result.spend_by_level = CountArray{months, levels};
  result.spend_by_service = CountArray{months, services};
  result.spend_by_payer = CountArray{months, static_cast<std::size_t>(model.payer_count), 2};
  result.spend_by_locality = CountArray{months, localities};
  result.spend_by_deprivation = CountArray{months, quintiles};
  result.spend_by_age_band = CountArray{months, bands};
  result.spend_discounted = CountArray{months};
  result.reinvestment = CountArray{0, std::size_t{reinvestment_column::count}};
  result.has_trajectories = spec.trajectories;
  return result;
}

StartState burn_in(const Model& model, const RunSpec& spec) {
  const RandomSource rng(spec.seed, spec.replicate);
  // Months -burn_in..-1 run the same cycle but record nothing.
  StartState start;
  start.families = initial_population(model, rng, -model.burn_in_months);
  start.next_id = static_cast<std::uint32_t>(start.families.size());
  MonthScratch scratch;
  for (std::int32_t month = -model.burn_in_months; month < 0; ++month)
    advance_month(model, rng, start.families, month, start.next_id, nullptr, scratch);
  return start;
}

namespace {

// Moves a start made under `from` onto `to`'s services, matched by name.
void remap_services(Families& families, const Model& from, const Model& to) {
  std::vector<int> index(from.services.size(), -1);  // from's service -> to's, or -1
  for (std::size_t s = 0; s < from.services.size(); ++s)
    for (std::size_t t = 0; t < to.services.size(); ++t)
      if (from.authority.services[s].name == to.authority.services[t].name) index[s] = static_cast<int>(t);
  bool identity = from.services.size() == to.services.size();
  for (std::size_t s = 0; s < index.size(); ++s) identity = identity && index[s] == static_cast<int>(s);
  if (identity) return;
  const auto mapped = [&index](std::uint8_t one_based) {
    return one_based == 0 ? 0 : index[one_based - 1u] + 1;  // 0: none (or gone)
  };
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (families.need_level[i] == departed) continue;
    if (families.service[i] != 0) {
      families.service[i] = static_cast<std::uint8_t>(mapped(families.service[i]));
      if (families.service[i] == 0) families.months_in_state[i] = 0;  // its service is gone: unserved
    }
    if (families.queue[i] >= waiting_for(0)) {
      const int waited_for = mapped(static_cast<std::uint8_t>(families.queue[i] - waiting_for(0) + 1));
      families.queue[i] = waited_for == 0 ? front_door_queue : waiting_for(waited_for - 1);
      if (waited_for == 0) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::stepped_down);
    }
    families.last_service[i] = static_cast<std::uint8_t>(mapped(families.last_service[i]));
    if (families.last_service[i] == 0) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::after_effect);
  }
}

// A service's episodes may be a mixture of fewer kinds in the option.
void clamp_duration_kinds(Families& families, const Model& model) {
  for (std::size_t i = 0; i < families.size(); ++i) {
    if (families.service[i] == 0) continue;
    const auto kinds = model.services[families.service[i] - 1u].closure_hazards.size();
    const auto kind = static_cast<std::size_t>((families.flags[i] & family_flag::duration_kind_mask) >>
                                               family_flag::duration_kind_shift);
    if (kind >= kinds) families.flags[i] &= static_cast<std::uint8_t>(~family_flag::duration_kind_mask);
  }
}

}  // namespace

RunResult simulate(const Model& model, const RunSpec& spec) {
  return simulate_from(model, spec, burn_in(model, spec), model);
}

namespace {

// Reinvestment, decided at each financial year's end: the saving on the
// chosen services against the reference that year, times the share, buys
// extra places in the receiving service (whole cases a year) from lag months
// after the year ends. Every amount is whole pence and whole cases.
class Reinvestor {
 public:
  Reinvestor(const Model& model, const Model* reference_model, const RunResult* reference)
      : model_(model), reference_model_(reference_model), reference_(reference) {
    const auto start = parse_calendar_month(model.authority.simulation.start_month);
    for (int m = 0; m < model.months; ++m) {
      const int year = financial_year(add_months(start, m));
      if (year_of_month_.empty() || year != year_of_month_.back().first) year_of_month_.push_back({year, m});
      last_month_of_year_[m] = m + 1 == model.months || financial_year(add_months(start, m + 1)) != year;
    }
  }

  [[nodiscard]] bool active() const { return model_.reinvestment.share > 0; }
  [[nodiscard]] std::size_t years() const { return year_of_month_.size(); }

  // Opens the capacity due this month.
  void open(int month, std::vector<std::int64_t>& extra) {
    for (const auto& [from, cases] : pending_)
      if (from == month) extra[static_cast<std::size_t>(model_.reinvestment.to_service)] += cases;
  }

  // At a year's last month, decides that year's reinvestment into `row`;
  // returns whether it did (whether the month ends a financial year).
  bool decide(int month, const RunResult& run, std::int64_t* row) {
    if (!last_month_of_year_.at(month)) return false;
    int first = month;
    while (first > 0 && !last_month_of_year_.at(first - 1)) --first;
    const auto& r = model_.reinvestment;
    std::int64_t spend = spend_on(model_, run, first, month);
    std::int64_t reference = 0;
    if (r.against_budget)
      reference = r.budget_pence_per_year * (month - first + 1) / 12;
    else if (reference_ != nullptr)
      reference = spend_on(*reference_model_, *reference_, first, month);
    const std::int64_t saving = reference - spend;
    const std::int64_t reinvested =
        saving > 0 ? static_cast<std::int64_t>(std::floor(r.share * static_cast<double>(saving))) : 0;
    const std::int64_t case_year = 12 * model_.services[static_cast<std::size_t>(r.to_service)].case_month_pence;
    const std::int64_t cases = case_year > 0 ? reinvested / case_year : 0;
    const int from = month + 1 + r.lag_months;
    row[reinvestment_column::reference_pence] = reference;
    row[reinvestment_column::spend_pence] = spend;
    row[reinvestment_column::reinvested_pence] = reinvested;
    row[reinvestment_column::extra_cases] = cases;
    row[reinvestment_column::from_month] = cases > 0 ? from : -1;
    if (cases > 0) pending_.emplace_back(from, cases);
    return true;
  }

 private:
  // Spend on the chosen services (by name) in months first..last of a run.
  std::int64_t spend_on(const Model& model, const RunResult& run, int first, int last) const {
    std::int64_t total = 0;
    for (std::size_t s = 0; s < model.services.size(); ++s) {
      const auto& names = model_.reinvestment.from_services;
      if (std::find(names.begin(), names.end(), model.authority.services[s].name) == names.end()) continue;
      for (int m = first; m <= last; ++m) total += run.spend_by_service(static_cast<std::size_t>(m), s);
    }
    return total;
  }

  const Model& model_;
  const Model* reference_model_;
  const RunResult* reference_;
  std::vector<std::pair<int, int>> year_of_month_;  // (financial year, first month), in order
  std::map<int, bool> last_month_of_year_;
  std::vector<std::pair<int, std::int64_t>> pending_;  // (month it opens, cases)
};

}  // namespace

RunResult simulate_from(const Model& model, const RunSpec& spec, StartState start, const Model& from,
                        const RunResult* reference) {
  const RandomSource rng(spec.seed, spec.replicate);
  RunResult result = empty_run_result(model, spec);
  Families& families = start.families;
  std::uint32_t& next_id = start.next_id;
  if (&from != &model) {
    remap_services(families, from, model);
    clamp_duration_kinds(families, model);
  }
  MonthScratch scratch;

  // The start: the state at the end of the month before month 0, like every
  // other stock. Without a burn-in the families are generated as of month 0
  // (children born up to month 0), which is then the moment they describe.
  const int start_month = model.burn_in_months > 0 ? -1 : 0;
  for (std::size_t i = 0; i < families.size(); ++i) {
    const int level = families.need_level[i];
    if (level == departed) continue;
    ++result.initial_families(level);
    result.initial_children(level) += children_under_18(families.birth_month[i], start_month);
    for (std::uint32_t bits = families.themes[i]; bits != 0; bits &= bits - 1)
      ++result.initial_theme_families(std::countr_zero(bits));
  }
  if (spec.trajectories) {
    // Rows are family ids; families that left during the burn-in keep empty rows.
    result.trajectory_families = next_id;
    result.trajectory_levels.assign(static_cast<std::size_t>(next_id) * static_cast<std::size_t>(model.months), 0);
  }
  Reinvestor reinvestor(model, &from, reference);
  if (reinvestor.active()) {
    scratch.extra_capacity.assign(model.services.size(), 0);
    result.reinvestment = CountArray{reinvestor.years(), std::size_t{reinvestment_column::count}};
  }
  std::size_t year = 0;
  for (std::int32_t month = 0; month < model.months; ++month) {
    if (reinvestor.active()) reinvestor.open(month, scratch.extra_capacity);
    advance_month(model, rng, families, month, next_id, &result, scratch);
    if (reinvestor.active()) {
      std::int64_t* row = result.reinvestment.values.data() + year * reinvestment_column::count;
      if (reinvestor.decide(month, result, row)) ++year;
    }
  }

  // Present value of each month's spend (Green Book: a year is discounted by
  // 1 / (1 + r), month m by (1 + r)^(-m / 12)).
  for (std::size_t m = 0; m < static_cast<std::size_t>(model.months); ++m) {
    std::int64_t total = 0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(model.level_count); ++k) total += result.spend_by_level(m, k);
    const double factor = std::pow(1 + model.discount_rate_per_year, -static_cast<double>(m) / 12);
    result.spend_discounted(m) = std::llround(static_cast<double>(total) * factor);
  }
  return result;
}

}  // namespace ehsim::engine

#include "engine/reinvestment.hpp"

#include <algorithm>
#include <cmath>

#include "engine/calendar.hpp"

namespace ehsim::engine {

Reinvestor::Reinvestor(const Model& model, const Model* reference_model, const RunResult* reference)
    : model_(model), reference_model_(reference_model), reference_(reference) {
  if (!active()) return;
  const auto start = parse_calendar_month(model.authority.simulation.start_month);
  int last_year = 0;
  for (int m = 0; m < model.months; ++m) {
    const int year = financial_year(add_months(start, m));
    if (m == 0 || year != last_year) first_month_of_year_.push_back(m);
    last_year = year;
    year_of_month_.push_back(static_cast<int>(first_month_of_year_.size()) - 1);
  }
  extra_.assign(model.services.size(), 0);
}

std::span<const std::int64_t> Reinvestor::extra_capacity(int month) {
  if (!active()) return {};
  extra_[static_cast<std::size_t>(model_.reinvestment.to_service)] = open_in(month);
  return extra_;
}

std::int64_t Reinvestor::open_in(int month) const {
  std::int64_t cases = 0;
  for (const auto& [from, bought] : bought_)
    if (month >= from && month < from + places_months) cases += bought;
  return cases;
}

void Reinvestor::decide(int month, RunResult& run) {
  if (!active()) return;
  const auto m = static_cast<std::size_t>(month);
  const bool year_ends = month + 1 == model_.months || year_of_month_[m + 1] != year_of_month_[m];
  if (!year_ends) return;
  const int year = year_of_month_[m];
  const int first = first_month_of_year_[static_cast<std::size_t>(year)];
  const auto& rule = model_.reinvestment;
  const std::int64_t spend = spend_on(model_, run, first, month);
  std::int64_t reference = 0;
  if (rule.against_budget)
    reference = rule.budget_pence_per_year * (month - first + 1) / 12;
  else if (reference_ != nullptr)
    reference = spend_on(*reference_model_, *reference_, first, month);
  const std::int64_t saving = reference - spend;
  const std::int64_t available =
      saving > 0 ? static_cast<std::int64_t>(std::floor(rule.share * static_cast<double>(saving))) : 0;
  const auto to = static_cast<std::size_t>(rule.to_service);
  const int from = month + 1 + rule.lag_months;
  // A place for 12 months, at the prices of the months it is open.
  std::int64_t case_year = 0;
  for (int m = from; m < from + places_months; ++m) case_year += model_.case_month_price(to, m);
  // What the places could be used for: the families the service kept waiting
  // this year (its mean list), and the reinvested places that close by the
  // time these open (their families would otherwise wait again).
  std::int64_t waiting = 0;
  for (int m = first; m <= month; ++m) waiting += run.service_waiting(static_cast<std::size_t>(m), to);
  const std::int64_t fillable = waiting / (month - first + 1) + open_in(month) - open_in(from);
  std::int64_t cases = case_year > 0 ? std::min(available / case_year, fillable) : 0;
  if (from >= model_.months) cases = 0;  // they would open after the run: nothing is bought
  cases = std::max<std::int64_t>(cases, 0);
  const auto row = static_cast<std::size_t>(year);
  namespace col = reinvestment_column;
  run.reinvestment(row, col::reference_pence) = reference;
  run.reinvestment(row, col::spend_pence) = spend;
  run.reinvestment(row, col::available_pence) = available;
  run.reinvestment(row, col::fillable_cases) = fillable;
  run.reinvestment(row, col::extra_cases) = cases;
  run.reinvestment(row, col::reinvested_pence) = cases * case_year;
  run.reinvestment(row, col::from_month) = cases > 0 ? from : -1;
  run.reinvestment(row, col::until_month) = cases > 0 ? from + places_months - 1 : -1;
  if (cases > 0) bought_.emplace_back(from, cases);
}

// Spend on the chosen services (by name) in months first..last of a run.
std::int64_t Reinvestor::spend_on(const Model& model, const RunResult& run, int first, int last) const {
  std::int64_t total = 0;
  const auto& names = model_.reinvestment.from_services;
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    if (std::find(names.begin(), names.end(), model.authority.services[s].name) == names.end()) continue;
    for (int m = first; m <= last; ++m) total += run.spend_by_service(static_cast<std::size_t>(m), s);
  }
  return total;
}

}  // namespace ehsim::engine

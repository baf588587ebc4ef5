// Reinvestment (docs/model.md section 5a), decided at each financial year's
// end: the saving on the chosen services against the reference that year
// (the baseline's run of the same replicate, or a budget), times the share,
// buys extra places in the receiving service for 12 months (whole cases a
// year) from lag months after the year ends: never more than its waiting
// list could fill, and none that would open after the run. Every amount is
// whole pence and whole cases.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "engine/model.hpp"
#include "engine/run_result.hpp"

namespace ehsim::engine {

class Reinvestor {
 public:
  // `reference`: the run savings are measured against (null for a budget,
  // or none), with its model (services are matched by name).
  Reinvestor(const Model& model, const Model* reference_model, const RunResult* reference);

  [[nodiscard]] bool active() const { return model_.reinvestment.share > 0; }
  // Places bought so far and open in `month`, per service (empty when
  // reinvestment is off): what admissions add to each service's capacity.
  [[nodiscard]] std::span<const std::int64_t> extra_capacity(int month);
  // At a financial year's last month, decides that year's reinvestment and
  // writes it as the year's row of run.reinvestment; other months do nothing.
  void decide(int month, RunResult& run);

 private:
  [[nodiscard]] std::int64_t spend_on(const Model& model, const RunResult& run, int first, int last) const;
  // The reinvested places open in `month`.
  [[nodiscard]] std::int64_t open_in(int month) const;

  static constexpr int places_months = 12;  // what a year's reinvestment pays for

  const Model& model_;
  const Model* reference_model_;
  const RunResult* reference_;
  std::vector<int> year_of_month_;                    // index of each month's financial year among the run's
  std::vector<int> first_month_of_year_;              // by that index
  std::vector<std::pair<int, std::int64_t>> bought_;  // (month the places open, cases)
  std::vector<std::int64_t> extra_;                   // per service, open this month
};

}  // namespace ehsim::engine

// How a configuration meets an authority's figures, printed: the table of
// targets (observed, simulated mean, 5%-95% range of outcomes, standardised
// error) that `ehsim calibrate` shows at the fit and `ehsim backcast` shows
// for a configuration as it is, on the terminal or as the Markdown of
// docs/validation.md.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "calibration/calibrate.hpp"

namespace ehsim::cli {

// A number as a person reads it: up to 4 significant figures, or from 10,000
// a whole number with its thousands separated.
std::string shown(double value);
std::string padded(std::string text, std::size_t width);
std::string right(std::string text, std::size_t width);

// A target is met when it is not held out and its simulated mean is within
// `tolerance` of its uncertainties of the observed figure.
bool is_met(const calibration::TargetFit& row, double tolerance);

// The targets' rows; `met_within` > 0 adds whether each is met (|z| at most that).
void print_target_table(std::ostream& out, const calibration::Problem& problem,
                        const std::vector<calibration::TargetFit>& rows, double met_within = 0);

// "Hold-out: k of n held-out targets lie inside ..." when any is held out.
void print_holdout_coverage(std::ostream& out, const std::vector<calibration::TargetFit>& rows);

// The same table in Markdown, with each target's source.
void markdown_target_table(std::ostream& out, const calibration::Problem& problem,
                           const std::vector<calibration::TargetFit>& rows, double met_within);

}  // namespace ehsim::cli

#include "cli/fit_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ehsim::cli {

std::string shown(double value) {
  char text[48];
  if (std::abs(value) >= 1e4 && std::abs(value) < 1e15) {
    // Whole, with thousands separated: 10,108,000.
    std::snprintf(text, sizeof text, "%.0f", std::abs(value));
    std::string digits = text, grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
      grouped += digits[i];
    }
    return (value < 0 ? "-" : "") + grouped;
  }
  if (value != 0 && (std::abs(value) >= 1e15 || std::abs(value) < 1e-3))
    std::snprintf(text, sizeof text, "%.3g", value);
  else if (std::abs(value) >= 100)
    std::snprintf(text, sizeof text, "%.0f", value);
  else
    std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text += std::string(width - text.size(), ' ');
  return text;
}

std::string right(std::string text, std::size_t width) {
  if (text.size() < width) text = std::string(width - text.size(), ' ') + text;
  return text;
}

bool is_met(const calibration::TargetFit& row, double tolerance) {
  return !row.held_out && std::abs(row.standardised_error) <= tolerance;
}

namespace {

std::string signed_z(double z) {
  char text[16];
  std::snprintf(text, sizeof text, "%+.2f", z);
  return text;
}

}  // namespace

void print_target_table(std::ostream& out, const calibration::Problem& problem,
                        const std::vector<calibration::TargetFit>& rows, double met_within) {
  std::size_t label_width = 28, number_width = 9, range_width = 20;
  for (const auto& target : problem.targets) label_width = std::max(label_width, target.label().size() + 2);
  const auto range_of = [](const calibration::TargetFit& row) {
    return "[" + shown(row.low) + ", " + shown(row.high) + "]";
  };
  for (const auto& row : rows) {
    number_width = std::max({number_width, shown(row.observed).size(), shown(row.mean).size()});
    range_width = std::max(range_width, range_of(row).size());
  }
  number_width += 2;
  range_width += 2;
  out << "  " << padded("Target", label_width) << right("observed", number_width) << right("simulated", number_width)
      << right("5%-95% range", range_width) << right("z", 8) << "\n";
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    const auto& target = problem.targets[t];
    const auto& row = rows[t];
    std::string note;
    if (row.held_out)
      note = row.inside ? "  held out, inside" : "  held out, OUTSIDE";
    else if (!row.fitted)
      note = "  weight 0";
    else if (met_within > 0)
      note = is_met(row, met_within) ? "  met" : "  NOT MET";
    out << "  " << padded(target.label(), label_width) << right(shown(row.observed), number_width)
        << right(shown(row.mean), number_width) << right(range_of(row), range_width)
        << right(signed_z(row.standardised_error), 8) << note << "\n";
  }
}

void print_holdout_coverage(std::ostream& out, const std::vector<calibration::TargetFit>& rows) {
  std::size_t held = 0, inside = 0;
  for (const auto& row : rows) {
    held += row.held_out;
    inside += row.held_out && row.inside;
  }
  if (held == 0) return;
  char coverage[64];
  std::snprintf(coverage, sizeof coverage, "%.0f%%", 100.0 * static_cast<double>(inside) / static_cast<double>(held));
  out << "\n  Hold-out: " << inside << " of " << held << " held-out targets lie inside the runs' 90% range (coverage "
      << coverage << "; a well-calibrated model covers about 90%)\n";
}

void markdown_target_table(std::ostream& out, const calibration::Problem& problem,
                           const std::vector<calibration::TargetFit>& rows, double met_within) {
  const auto cell = [](const std::string& text) {
    std::string escaped;
    for (const char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    return escaped;
  };
  out << "| Target | Period | Observed | Simulated | 5%–95% range | z | Met? | Source |\n"
      << "|---|---|---:|---:|---:|---:|---|---|\n";
  for (std::size_t t = 0; t < problem.targets.size(); ++t) {
    const auto& target = problem.targets[t];
    const auto& row = rows[t];
    const bool pounds = target.index < problem.measures.size() && problem.measures[target.index].info.unit == "pounds";
    const auto money = [pounds](double value) { return (pounds ? "£" : "") + shown(value); };
    std::string verdict;
    if (row.held_out)
      verdict = row.inside ? "held out: inside the range" : "held out: **outside** the range";
    else
      verdict = is_met(row, met_within) ? "yes" : "**no**";
    out << "| " << cell(target.measure + (target.per_10k_children ? "_per_10k_children" : "")) << " | "
        << target.period.text << " | " << money(row.observed) << " | " << money(row.mean) << " | " << money(row.low)
        << "–" << money(row.high) << " | " << signed_z(row.standardised_error) << " | " << verdict << " | "
        << cell(target.source) << " |\n";
  }
}

}  // namespace ehsim::cli

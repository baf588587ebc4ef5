#include "cli/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "engine/calendar.hpp"

namespace ehsim::cli {

std::string thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return value < 0 ? "-" + text : text;
}

namespace {

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string pad(const std::string& text, std::size_t width, bool right = true) {
  if (text.size() >= width) return text;
  const std::string space(width - text.size(), ' ');
  return right ? space + text : text + space;
}

}  // namespace

void print_run_summary(std::ostream& out, const engine::Model& model, const std::vector<engine::RunResult>& runs,
                       const std::string& config_source, const RunTiming& timing) {
  if (runs.empty()) return;
  const auto& authority = model.authority;
  const auto replicates = static_cast<double>(runs.size());
  const std::size_t last = static_cast<std::size_t>(model.months - 1);
  const auto start = engine::parse_calendar_month(authority.simulation.start_month);

  long long family_months = 0;
  for (const auto& run : runs)
    for (const auto value : run.stock_families.values) family_months += value;

  out << authority.name << (authority.description.empty() ? "" : " — " + authority.description) << "\n";
  out << "  configuration: " << config_source << "\n";
  out << "  " << thousands(authority.population.families) << " families, " << model.months << " months from "
      << engine::month_label(start) << " to " << engine::month_label(engine::add_months(start, model.months - 1))
      << ", " << runs.size() << (runs.size() == 1 ? " replicate" : " replicates") << ", seed "
      << authority.simulation.seed << ", " << timing.threads << (timing.threads == 1 ? " thread" : " threads") << "\n";
  out << "  simulated " << thousands(family_months) << " family-months in " << format("%.2f", timing.seconds) << " s ("
      << format("%.1f", timing.seconds > 0 ? family_months / timing.seconds / 1e6 : 0.0) << " million a second)\n\n";

  const char* mean_note = runs.size() > 1 ? " (mean over replicates)" : "";
  out << "  Families by level of need, start and end" << mean_note << "\n";
  const bool ranges = runs.size() > 1;
  out << "  " << pad("level", 24, false) << pad("start", 10) << pad("end", 10) << pad("change", 9)
      << (ranges ? pad("end, lowest-highest replicate", 32) : "") << pad("children", 11) << "\n";
  for (int k = 0; k < model.level_count; ++k) {
    double start_families = 0, end_families = 0, end_children = 0;
    std::int64_t lowest = std::numeric_limits<std::int64_t>::max(), highest = 0;
    for (const auto& run : runs) {
      start_families += static_cast<double>(run.initial_families.values[k]);
      end_families += static_cast<double>(run.stock_families(last, k));
      end_children += static_cast<double>(run.stock_children(last, k));
      lowest = std::min(lowest, run.stock_families(last, k));
      highest = std::max(highest, run.stock_families(last, k));
    }
    start_families /= replicates;
    end_families /= replicates;
    end_children /= replicates;
    const auto& level = authority.levels[k];
    const std::string name = level.label.empty() ? std::to_string(k + 1) + " " + level.name : level.label;
    const double change = start_families > 0 ? (end_families / start_families - 1) * 100 : 0;
    out << "  " << pad(name, 24, false) << pad(thousands(std::llround(start_families)), 10)
        << pad(thousands(std::llround(end_families)), 10) << pad(format("%+.1f%%", change), 9)
        << (ranges ? pad(thousands(lowest) + " - " + thousands(highest), 32) : "")
        << pad(thousands(std::llround(end_children)), 11) << "\n";
  }

  if (model.theme_count > 0) {
    out << "\n  Families with each risk theme active" << mean_note << "\n";
    for (int j = 0; j < model.theme_count; ++j) {
      double start_count = 0, end_count = 0, end_total = 0, start_total = 0;
      for (const auto& run : runs) {
        start_count += static_cast<double>(run.initial_theme_families.values[j]);
        end_count += static_cast<double>(run.theme_families(last, j));
        for (int k = 0; k < model.level_count; ++k) {
          start_total += static_cast<double>(run.initial_families.values[k]);
          end_total += static_cast<double>(run.stock_families(last, k));
        }
      }
      const auto& theme = authority.themes[j];
      const auto share = [](double count, double total) { return total > 0 ? 100 * count / total : 0.0; };
      out << "  " << pad(theme.label.empty() ? theme.name : theme.label, 34, false)
          << pad(format("%.1f%%", share(start_count, start_total)), 8) << " -> "
          << pad(format("%.1f%%", share(end_count, end_total)), 6) << "\n";
    }
  }

  double arrivals = 0, aged_out = 0, moved = 0;
  for (const auto& run : runs) {
    for (const auto v : run.arrivals.values) arrivals += static_cast<double>(v);
    for (const auto v : run.departures_aged_out.values) aged_out += static_cast<double>(v);
    for (const auto v : run.departures_moved.values) moved += static_cast<double>(v);
  }
  out << "\n  Over the run" << mean_note << ": " << thousands(std::llround(arrivals / replicates))
      << " families arrived, " << thousands(std::llround(aged_out / replicates))
      << " left as their youngest turned 18, " << thousands(std::llround(moved / replicates)) << " moved away.\n";
}

}  // namespace ehsim::cli

// Calendar months and financial years (April to March) for simulated months.
#pragma once

#include <cstdio>
#include <string>

namespace ehsim::engine {

struct CalendarMonth {
  int year = 2025;
  int month = 4;  // 1..12
};

// "YYYY-MM" (already validated by the configuration checks).
inline CalendarMonth parse_calendar_month(const std::string& text) {
  return {std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
}

inline CalendarMonth add_months(CalendarMonth start, int months) {
  const int index = start.year * 12 + (start.month - 1) + months;
  return {index / 12, index % 12 + 1};
}

inline std::string month_label(CalendarMonth month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", month.year, month.month);
  return text;
}

// Financial year labelled by its first calendar year: 2025 is April 2025 to March 2026.
inline int financial_year(CalendarMonth month) { return month.month >= 4 ? month.year : month.year - 1; }

}  // namespace ehsim::engine

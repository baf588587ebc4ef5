#include "engine/families.hpp"

#include <oneapi/tbb/task_group.h>

namespace ehsim::engine {

void Families::resize(std::size_t n) {
  for_each_column([n](auto& column) { column.resize(n); });
}

void Families::reserve(std::size_t n) {
  for_each_column([n](auto& column) { column.reserve(n); });
}

void Families::set(std::size_t i, const Family& family) {
  id[i] = family.id;
  key[i] = family.key;
  birth_month[i] = family.birth_month;
  locality[i] = family.locality;
  deprivation_quintile[i] = family.deprivation_quintile;
  resilience_band[i] = family.resilience_band;
  need_level[i] = family.need_level;
  themes[i] = family.themes;
  service[i] = family.service;
  queue[i] = family.queue;
  months_in_state[i] = family.months_in_state;
  last_service[i] = family.last_service;
  closed_month[i] = family.closed_month;
  flags[i] = family.flags;
}

void Families::append(const Family& family) {
  resize(size() + 1);
  set(size() - 1, family);
}

namespace {

// Moves the values of the families that stay to the front of `column`, in
// order, without a branch on who stays: each value is written at the next
// place and the place moves on only if the family stays. Returns how many stay.
template <class Column>
std::size_t compact(Column& column, const std::vector<std::uint8_t>& need_level) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < column.size(); ++i) {
    const bool stays = need_level[i] != departed;  // read before the write: column may be need_level
    column[kept] = column[i];
    kept += static_cast<std::size_t>(stays);
  }
  return kept;
}

}  // namespace

void Families::remove_departed() {
  // The columns are compacted at once, in parallel; need_level, which tells
  // every column which families stay, goes last.
  tbb::task_group columns;
  for_each_column_but_level(
      [this, &columns](auto& column) { columns.run([this, &column] { compact(column, need_level); }); });
  columns.wait();
  resize(compact(need_level, need_level));
}

}  // namespace ehsim::engine

#include "engine/families.hpp"

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
  months_since_closure[i] = family.months_since_closure;
  flags[i] = family.flags;
}

void Families::append(const Family& family) {
  resize(size() + 1);
  set(size() - 1, family);
}

void Families::remove_departed() {
  // need_level is compacted last, so every column reads which families stay from it.
  std::size_t kept = 0;
  for_each_column([this, &kept](auto& column) {
    kept = 0;
    for (std::size_t i = 0; i < column.size(); ++i)
      if (need_level[i] != departed) column[kept++] = column[i];
  });
  resize(kept);
}

}  // namespace ehsim::engine

#include "engine/families.hpp"

namespace ehsim::engine {

void Families::resize(std::size_t n) {
  id.resize(n);
  key.resize(n);
  birth_month.resize(n);
  locality.resize(n);
  deprivation_quintile.resize(n);
  resilience_band.resize(n);
  need_level.resize(n);
  themes.resize(n);
  service.resize(n);
  queue.resize(n);
  months_in_state.resize(n);
  last_service.resize(n);
  months_since_closure.resize(n);
  flags.resize(n);
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
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (need_level[i] == departed) continue;
    if (kept != i) {
      id[kept] = id[i];
      key[kept] = key[i];
      birth_month[kept] = birth_month[i];
      locality[kept] = locality[i];
      deprivation_quintile[kept] = deprivation_quintile[i];
      resilience_band[kept] = resilience_band[i];
      need_level[kept] = need_level[i];
      themes[kept] = themes[i];
      service[kept] = service[i];
      queue[kept] = queue[i];
      months_in_state[kept] = months_in_state[i];
      last_service[kept] = last_service[i];
      months_since_closure[kept] = months_since_closure[i];
      flags[kept] = flags[i];
    }
    ++kept;
  }
  resize(kept);
}

}  // namespace ehsim::engine

// Kb::FromEntries: a Kb from entries already in memory (tests, benchmarks).
#include <algorithm>

#include "blindspot/kb.h"

namespace blindspot {

Kb Kb::FromEntries(std::vector<KbEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const KbEntry& a, const KbEntry& b) { return a.id < b.id; });
  Kb kb;
  kb.entries_ = std::move(entries);
  return kb;
}

}  // namespace blindspot

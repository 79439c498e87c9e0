#include "blindspot/finding.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>

namespace blindspot {
namespace {
constexpr std::array<std::string_view, 4> kSeverity = {"info", "low", "medium", "high"};
constexpr std::array<std::string_view, 6> kSubject = {"register",  "organisation", "activity",
                                                      "processor", "touchpoint",   "detected"};
}  // namespace

std::string_view ToString(Severity s) { return kSeverity[static_cast<size_t>(s)]; }
std::optional<Severity> ParseSeverity(std::string_view t) {
  for (size_t i = 0; i < kSeverity.size(); ++i)
    if (kSeverity[i] == t) return static_cast<Severity>(i);
  return std::nullopt;
}
std::string_view ToString(SubjectKind k) { return kSubject[static_cast<size_t>(k)]; }
std::optional<SubjectKind> ParseSubjectKind(std::string_view t) {
  for (size_t i = 0; i < kSubject.size(); ++i)
    if (kSubject[i] == t) return static_cast<SubjectKind>(i);
  return std::nullopt;
}

std::string FindingSubject(const Finding& f) {
  std::string s = !f.path.empty() ? f.path : std::string(ToString(f.subject_kind)) + ":" + f.subject_id;
  if (!f.key.empty()) s += "#" + f.key;
  return s;
}

std::string_view RuleNumber(std::string_view rule_id) { return rule_id.substr(0, rule_id.find('-')); }

std::string Fingerprint(const Finding& f) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  add(RuleNumber(f.rule_id));
  add(std::string_view("\x1f", 1));
  add(FindingSubject(f));
  return fmt::format("{:016x}", h);
}

}  // namespace blindspot

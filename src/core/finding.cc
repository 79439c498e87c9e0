#include "blindspot/finding.h"

#include <array>

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

}  // namespace blindspot

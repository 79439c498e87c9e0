// A finding of the audit: which rule, about what, and the specific gap as a
// Message (rendered in any language by the TextCatalog). Plain data, owned by
// value; safe to copy, store and share between threads.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/text.h"

namespace blindspot {

enum class Severity { kInfo, kLow, kMedium, kHigh };
std::string_view ToString(Severity);
std::optional<Severity> ParseSeverity(std::string_view);

// What a finding is about.
enum class SubjectKind { kRegister, kOrganisation, kActivity, kProcessor, kTouchpoint, kDetected };
std::string_view ToString(SubjectKind);
std::optional<SubjectKind> ParseSubjectKind(std::string_view);

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kMedium;
  // The rule's severity; `severity` differs from it when the context changed
  // it, for the reasons in severity_context (values of the severity_context
  // vocabulary: "special_category", "children", ...). See docs/rules-format.md.
  Severity base_severity = Severity::kMedium;
  std::vector<std::string> severity_context;
  SubjectKind subject_kind = SubjectKind::kRegister;
  std::string subject_id;  // activity/processor/touchpoint id, or kb id for detected touchpoints
  std::string subject_name;
  Message detail;  // the specific gap, e.g. "purpose 'Retargeting' has no lawful basis"
  // Where in the register, as a field path such as
  // "activities[newsletter].purposes[purpose-1].lawful_basis" (docs/formats/register.md);
  // empty when the finding is not about a register field. A SourceMap turns it
  // into file:line:col for file registers.
  std::string path;
};

}  // namespace blindspot

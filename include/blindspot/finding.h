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
  // What tells apart findings of one rule about one subject and path (BS015:
  // "user.contact.email/advanced-matching", BS021: "email/ud[em]"); empty when
  // a rule reports a subject at most once. Stable ids only, never display text.
  std::string key;
};

// The subject a finding is about, as one stable text: its field path, else
// "<subject kind>:<subject id>" ("detected:meta-pixel"), with "#<key>" when the
// finding has a key. The same in every language and run.
std::string FindingSubject(const Finding& f);

// A stable id of the problem (docs/formats/baseline.md): 16 hex digits of the
// FNV-1a 64-bit hash of the rule number ("BS001") and FindingSubject. Not
// from the message text, severity, order or time, so the same problem has the
// same fingerprint across runs, languages and report formats; a rename of the
// subject (another id or path) gives a new one.
std::string Fingerprint(const Finding& f);
// The rule number of a rule id: "BS001-blind-spot" -> "BS001".
std::string_view RuleNumber(std::string_view rule_id);

}  // namespace blindspot

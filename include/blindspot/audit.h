// Audit: reconcile detected touchpoints with the register and run the rules.
//
// Rules live one per file in src/audit/rules/ and are listed in one table
// (src/audit/rules/registry.cc). Their metadata drives `blindspot rules`,
// docs/rules.md and the JSON report. RunAudit is pure: no I/O, deterministic
// order (findings sorted by severity desc, rule id, subject id).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "blindspot/detect.h"
#include "blindspot/kb.h"
#include "blindspot/register.h"

namespace blindspot {

enum class Severity { kInfo, kLow, kMedium, kHigh };
std::string_view ToString(Severity);
std::optional<Severity> ParseSeverity(std::string_view);

struct RuleInfo {
  std::string id;  // stable, e.g. "BS001-blind-spot"
  Severity severity = Severity::kMedium;
  LocalizedText title;
  LocalizedText remediation;
  std::vector<Source> legal_sources;  // at least one
};

enum class SubjectKind { kRegister, kOrganisation, kActivity, kProcessor, kTouchpoint, kDetected };
std::string_view ToString(SubjectKind);

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kMedium;
  SubjectKind subject_kind = SubjectKind::kRegister;
  std::string subject_id;  // activity/processor/touchpoint id, or kb id for detected touchpoints
  std::string subject_name;
  LocalizedText detail;  // the specific gap, e.g. "purpose 'Retargeting' has no lawful basis"
  Loc loc;               // where in the register (0 when not applicable)
};

// One row per detected or registered touchpoint.
struct ReconciledTouchpoint {
  std::string kb_id;  // empty for a registered touchpoint without product
  const KbEntry* kb = nullptr;
  const DetectedTouchpoint* detected = nullptr;  // into AuditResult::detection
  const Touchpoint* registered = nullptr;        // into the Register
  bool blind_spot() const { return detected && !registered; }
  bool not_seen() const { return registered && !detected; }
};

struct AuditResult {
  const Register* reg = nullptr;  // not owned; must outlive the result
  const Kb* kb = nullptr;
  DetectionResult detection;
  // Detected first (by kb id; a detected touchpoint matched by several registered touchpoints with the
  // same product gives one row per registered touchpoint, in register order), then registered
  // touchpoints not seen, in register order (including those whose product is empty or unknown to the
  // kb: kb == nullptr). Pointers stay valid when the AuditResult is moved.
  std::vector<ReconciledTouchpoint> touchpoints;
  std::vector<Finding> findings;
  size_t CountAtLeast(Severity s) const;
};

struct AuditContext;  // defined in src/audit/rule.h
struct Rule {
  RuleInfo info;
  std::function<void(const AuditContext&, std::vector<Finding>&)> check;
};
const std::vector<Rule>& AllRules();
const RuleInfo* FindRule(std::string_view id);

// The rule catalogue as Markdown: a table of every rule (id, severity, title en/nl, legal sources)
// and per rule its remediation in both languages. Deterministic; ends with a newline.
// docs/rules.md, generated from the rule metadata (a golden test keeps the file in sync).
std::string RulesMarkdown();

// `detection` is moved into the result. `reg` and `kb` must outlive it.
AuditResult RunAudit(const Register& reg, const Kb& kb, DetectionResult detection);

}  // namespace blindspot

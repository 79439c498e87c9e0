// Audit: reconcile detected touchpoints with the register and run the rules.
//
// A rule is data plus a check: its metadata (severity, applicability, title,
// explanation, remediation, sources, finding messages) is data/rules/<id>.yaml
// (TextCatalog::rules()); its check is one C++ file in src/audit/rules/ and
// one line in src/audit/rules/registry.cc. RunAudit is pure: no I/O,
// deterministic order (findings sorted by severity desc, rule id, subject id,
// then in the order the check found them).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "blindspot/catalog.h"
#include "blindspot/detect.h"
#include "blindspot/finding.h"
#include "blindspot/kb.h"
#include "blindspot/register.h"
#include "blindspot/statement.h"

namespace blindspot {

// Verdicts (docs/verdicts.md): the judgement per touchpoint and per processing
// activity, made of checks. kGaps: at least one check shows a gap; kSafeguarded:
// every check made is ok or not applicable, and at least one is ok;
// kNotAssessed: otherwise (something is unknown, or nothing could be checked).
enum class Verdict { kSafeguarded, kGaps, kNotAssessed };
std::string_view ToString(Verdict);  // "safeguarded", "gaps", "not_assessed" (vocabulary verdict)
// The state of one check.
enum class CheckState { kOk, kGap, kUnknown, kNotApplicable };
std::string_view ToString(CheckState);  // "ok", "gap", "unknown", "not_applicable" (vocabulary check_state)

// Why a verdict is what it is: one check, its state and what decided it.
struct VerdictReason {
  std::string check;  // a value of the verdict_check vocabulary: "consent", "transfer", "other", ...
  CheckState state = CheckState::kUnknown;
  std::vector<std::string>
      rule_ids;                  // the rules whose findings decided it (empty: judged from register/evidence)
  std::vector<size_t> findings;  // indexes into AuditResult::findings
  Message message;               // ui.vr_* from data/i18n (no sentence in code)
};

struct Judgement {
  Verdict verdict = Verdict::kNotAssessed;
  std::vector<VerdictReason> reasons;  // ordered by the verdict_check vocabulary
};

// One row per detected or registered touchpoint.
struct ReconciledTouchpoint {
  std::string kb_id;  // empty for a registered touchpoint without product
  const KbEntry* kb = nullptr;
  const DetectedTouchpoint* detected = nullptr;  // into AuditResult::detection
  const Touchpoint* registered = nullptr;        // into AuditResult::reg
  // Seen (directly, or shown by a signal that is the product's own data flow)
  // and not in the register.
  bool blind_spot() const { return detected && !registered && !processor && !detected->inferred(); }
  // Only suggested by another product's signal (DetectedTouchpoint::inferred)
  // and not in the register: to be confirmed by the organisation (BS020).
  bool inferred() const { return detected && !registered && !processor && detected->inferred(); }
  // An e-mail platform known only from discovery records (DNS, DMARC) that the
  // register names as a processor, not as a touchpoint: by its id (the kb id),
  // its name (the kb name), or its legal entity (the kb vendor's, legal form
  // and brackets aside) with a word of the kb name in its name. Registered,
  // so neither a blind spot nor an inference.
  const Processor* processor = nullptr;  // into AuditResult::reg
  bool not_seen() const { return registered && !detected; }
  Judgement verdict;  // set by ComputeVerdicts (RunAudit)
};

// One row per register activity, in register order.
struct ActivityVerdict {
  const ProcessingActivity* activity = nullptr;  // into AuditResult::reg
  std::vector<size_t> touchpoints;               // indexes into AuditResult::touchpoints serving it
  Judgement verdict;
};

struct AuditResult;

// The action list (docs/actions.md): one action per thing to do, made from
// the findings that one act fixes (the findings of one rule about one
// subject), with its owner from the register and a due date by priority.
enum class ActionPriority { kImmediate, kHigh, kMedium, kLow };
std::string_view ToString(ActionPriority);  // "immediate", "high", ... (vocabulary action_priority)

struct Action {
  std::string rule_id;  // whose `action:` text says what to do
  SubjectKind subject_kind = SubjectKind::kRegister;
  std::string subject_id;
  std::string subject_name;
  Message what;  // "<rule id>.action" with {subject}
  // The touchpoint's or activity's owner, else the DPO, else the contact of
  // the organisation; empty = unassigned. owner_from says which (vocabulary
  // action_owner: touchpoint, activity, dpo, contact, unassigned).
  std::string owner;
  std::string owner_from;
  ActionPriority priority = ActionPriority::kMedium;
  int due_in_days = 0;
  std::string due;               // YYYY-MM-DD: the action list's date + due_in_days; empty without a date
  std::vector<size_t> findings;  // indexes into AuditResult::findings, in their order
};

struct ActionList {
  // The day the due dates count from (--as-of, else the evidence date, else
  // today); empty: due dates are given in days only.
  std::string date;
  std::vector<Action> actions;  // by due date (days), then priority, then rule and subject
};

// Pure: the actions for `result`'s findings and register, due dates counted
// from `date` (YYYY-MM-DD or empty).
ActionList BuildActionList(const AuditResult& result, std::string_view date);

// The outcome of an audit. It owns (or shares) everything its rows point
// into, so it is safe to move, store and hand to other threads; it cannot be
// copied (the rows would point into the original).
struct AuditResult {
  std::shared_ptr<const Register> reg;  // never null after RunAudit
  std::shared_ptr<const Kb> kb;         // never null after RunAudit
  DetectionResult detection;
  // Detected first (by kb id; a detected touchpoint matched by several registered touchpoints with the
  // same product gives one row per registered touchpoint, in register order), then registered
  // touchpoints not seen, in register order (including those whose product is empty or unknown to the
  // kb: kb == nullptr).
  std::vector<ReconciledTouchpoint> touchpoints;
  std::vector<Finding> findings;
  std::vector<ActivityVerdict> activities;  // one per register activity, in register order
  // The privacy statements checked by BS043-BS047 (--statement, or found in a scan bundle).
  std::vector<Statement> statements;
  // What to do (BuildActionList): made by RunAudit with the evidence date; the
  // audit use case makes it again for --as-of (or today, without evidence date).
  ActionList actions;

  AuditResult() = default;
  AuditResult(AuditResult&&) = default;
  AuditResult& operator=(AuditResult&&) = default;
  AuditResult(const AuditResult&) = delete;
  AuditResult& operator=(const AuditResult&) = delete;

  size_t CountAtLeast(Severity s) const;
  // The touchpoint rows as every summary counts them: an unregistered one
  // only inferred from another product's signal apart from those detected.
  struct TouchpointCounts {
    size_t detected = 0, inferred = 0, blind_spots = 0, not_seen = 0, registered = 0;
  };
  TouchpointCounts CountTouchpoints() const;
};

struct AuditContext;  // defined in src/audit/rule.h
using RuleCheck = void (*)(const AuditContext&, std::vector<Finding>&);
struct Rule {
  const RuleMeta* meta = nullptr;  // from TextCatalog::Builtin()
  RuleCheck check = nullptr;
};
// Every rule, sorted by id. A rule listed in the registry without a data file
// (or the reverse) is a defect that a unit test catches.
const std::vector<Rule>& AllRules();

// Nested items without an id (a register built in code) get their derived ids
// in a copy first (AssignDerivedIds), so every finding has a field path.
AuditResult RunAudit(std::shared_ptr<const Register> reg, std::shared_ptr<const Kb> kb,
                     DetectionResult detection);
// With the privacy statements to check against the register and the evidence
// (BS043-BS047); without them those rules report nothing.
AuditResult RunAudit(std::shared_ptr<const Register> reg, std::shared_ptr<const Kb> kb,
                     DetectionResult detection, std::vector<Statement> statements);

// Sets every touchpoint's verdict and fills `activities` from the findings
// (each rule's `check`) and the checks the register and the evidence allow.
// Called at the end of RunAudit; findings must be final (their order is what
// VerdictReason::findings indexes).
void ComputeVerdicts(AuditResult& result);

}  // namespace blindspot

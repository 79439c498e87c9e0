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

// One row per detected or registered touchpoint.
struct ReconciledTouchpoint {
  std::string kb_id;  // empty for a registered touchpoint without product
  const KbEntry* kb = nullptr;
  const DetectedTouchpoint* detected = nullptr;  // into AuditResult::detection
  const Touchpoint* registered = nullptr;        // into AuditResult::reg
  // Seen (directly, or shown by a signal that is the product's own data flow)
  // and not in the register.
  bool blind_spot() const { return detected && !registered && !detected->inferred(); }
  // Only suggested by another product's signal (DetectedTouchpoint::inferred)
  // and not in the register: to be confirmed by the organisation (BS020).
  bool inferred() const { return detected && !registered && detected->inferred(); }
  bool not_seen() const { return registered && !detected; }
};

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
  // The privacy statements checked by BS043-BS047 (--statement, or found in a scan bundle).
  std::vector<Statement> statements;

  AuditResult() = default;
  AuditResult(AuditResult&&) = default;
  AuditResult& operator=(AuditResult&&) = default;
  AuditResult(const AuditResult&) = delete;
  AuditResult& operator=(const AuditResult&) = delete;

  size_t CountAtLeast(Severity s) const;
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

}  // namespace blindspot

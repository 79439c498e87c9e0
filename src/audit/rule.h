// Internal to bs_audit: what a rule check sees (AuditContext) and small
// helpers the rule files share. A check is a pure function of the context; it
// appends findings (a Message from its data file plus the field path) and
// never reads files, prints, or writes sentences itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/text_ids.h"

namespace blindspot {

struct AuditContext {
  const Register& reg;
  const RegisterIndex& index;
  const Kb& kb;
  const DetectionResult& detection;
  const std::vector<ReconciledTouchpoint>& touchpoints;  // reconciled rows, documented order
  const RuleMeta* rule = nullptr;                        // the rule being checked
  const std::vector<Statement>* statements = nullptr;    // privacy statements (BS043-BS047); may be null

  const ProcessingActivity* Activity(std::string_view id) const { return index.FindActivity(id); }
  const Processor* Vendor(std::string_view id) const {
    return id.empty() ? nullptr : index.FindProcessor(id);
  }
  // The register activities a touchpoint refers to (unknown ids are skipped).
  std::vector<const ProcessingActivity*> ActivitiesOf(const Touchpoint& tp) const;
  // A finding of the current rule.
  Finding Make(SubjectKind kind, std::string subject_id, std::string subject_name, Message detail,
               std::string path) const;
};

namespace audit {

// Paths of register objects (blindspot/register.h).
inline std::string PathOf(const ProcessingActivity& a) { return path::Item("activities", a.id); }
inline std::string PathOf(const Processor& p) { return path::Item("processors", p.id); }
inline std::string PathOf(const Touchpoint& t) { return path::Item("touchpoints", t.id); }

// A Chapter V tool is recorded (set, and not "none").
inline bool HasSafeguard(const std::optional<TransferSafeguard>& s) {
  return s && *s != TransferSafeguard::kNone;
}

// Fideslang hierarchy: `declared` covers `category` when equal or an ancestor
// ("user.contact" covers "user.contact.email"). Keys deprecated in the
// fideslang taxonomy are compared as the key that replaced them.
bool CategoryCovered(std::string_view category, const std::vector<std::string>& declared);

// Display names: the name, else the id.
std::string DisplayName(const Touchpoint& tp);
std::string DisplayName(const ProcessingActivity& a);
std::string DisplayName(const Processor& p);
// The kb entry's name, else its id.
std::string ProductName(const ReconciledTouchpoint& row);

// Appends the data categories a registered touchpoint declares: its answers'
// data_collected and its activities' categories and special categories.
void AddDeclaredCategories(const AuditContext& ctx, const Touchpoint& tp, std::vector<std::string>& declared);

// The signals of other products that imply a detected touchpoint (its kSignal
// evidence items), grouped by product and signal, parameters in first-seen
// order: {"meta-pixel", "advanced-matching", {"ud[em]", "ud[ph]"}}.
struct ImplyingSignal {
  std::string via;
  std::string signal_id;
  std::vector<std::string> params;
};
std::vector<ImplyingSignal> ImplyingSignals(const DetectedTouchpoint& d);
// Its parameters as one text: "ud[em], ud[ph]".
std::string JoinParams(const ImplyingSignal& s);

// The rule table (src/audit/rules/registry.cc): rule id -> check.
struct RuleEntry {
  std::string_view id;
  RuleCheck check;
};
const std::vector<RuleEntry>& RuleTable();

}  // namespace audit
}  // namespace blindspot

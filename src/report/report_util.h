// Internal to src/report: what the text, JSON and HTML formats share, so
// they agree on status, names, grouping of findings and localisation.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/report.h"

namespace blindspot::report_internal {

// "registered" (in the register and seen, or registered product not
// detectable), "blind_spot" (seen, not registered) or "not_seen".
std::string_view StatusId(const ReconciledTouchpoint& tp);

// The kb entry behind a row (from the row or its detection); may be null.
const KbEntry* KbOf(const ReconciledTouchpoint& tp);
// kb name, else the registered name, else the kb id.
std::string DisplayName(const ReconciledTouchpoint& tp);

// Whether finding `f` is about the touchpoint row `tp` (a register
// touchpoint by its id, or a detected touchpoint by its kb id).
bool FindingIsAbout(const Finding& f, const ReconciledTouchpoint& tp);

// Severities from most to least severe.
const std::vector<Severity>& SeveritiesDesc();

// Localised labels; keys of data/i18n/*.yaml.
std::string_view SeverityKey(Severity s);                    // "sev_high", ...
std::string_view SubjectKindKey(SubjectKind k);              // "subject_activity", ...
std::string_view EvidenceKindKey(EvidenceKind k);            // "evidence_request", ...
std::string_view LawfulBasisKey(LawfulBasis b);              // "basis_consent", ...
std::string_view StatusKey(const ReconciledTouchpoint& tp);  // "status_blind_spot", ...
// Every key built by the functions above (for the i18n completeness test).
std::vector<std::string> DynamicI18nKeys();

// Rule metadata for a finding, localised. A rule id unknown to the audit
// registry gives the rule id as title and no remediation/sources.
struct RuleText {
  std::string title;
  std::string remediation;
  std::vector<Source> legal_sources;
};
RuleText LookupRule(std::string_view rule_id, std::string_view lang);

// The kb meaning of a signal id, localised; empty when unknown.
std::string SignalMeaning(const KbEntry* kb, std::string_view signal_id, std::string_view lang);

struct Counts {
  size_t detected = 0;
  size_t blind_spots = 0;
  size_t not_seen = 0;
  size_t registered = 0;  // rows with a register touchpoint
  size_t high = 0, medium = 0, low = 0, info = 0;
  size_t findings = 0;
  size_t BySeverity(Severity s) const;
};
Counts CountAll(const AuditResult& r);

// Only http(s) URLs become links; anything else is shown as text.
bool IsWebUrl(std::string_view url);

}  // namespace blindspot::report_internal

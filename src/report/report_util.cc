#include "report/report_util.h"

namespace blindspot::report_internal {

std::string_view StatusId(const ReconciledTouchpoint& tp) {
  if (tp.blind_spot()) return "blind_spot";
  if (tp.not_seen()) return "not_seen";
  return "registered";
}

std::string_view StatusKey(const ReconciledTouchpoint& tp) {
  if (tp.blind_spot()) return "status_blind_spot";
  if (tp.not_seen()) return "status_not_seen";
  return "status_registered";
}

const KbEntry* KbOf(const ReconciledTouchpoint& tp) {
  if (tp.kb) return tp.kb;
  if (tp.detected) return tp.detected->kb;
  return nullptr;
}

std::string DisplayName(const ReconciledTouchpoint& tp) {
  if (const KbEntry* kb = KbOf(tp); kb && !kb->name.empty()) return kb->name;
  if (tp.registered && !tp.registered->name.empty()) return tp.registered->name;
  if (tp.registered && tp.kb_id.empty()) return tp.registered->id;
  return tp.kb_id;
}

bool FindingIsAbout(const Finding& f, const ReconciledTouchpoint& tp) {
  if (f.subject_kind == SubjectKind::kTouchpoint) return tp.registered && f.subject_id == tp.registered->id;
  if (f.subject_kind == SubjectKind::kDetected) return !tp.kb_id.empty() && f.subject_id == tp.kb_id;
  return false;
}

const std::vector<Severity>& SeveritiesDesc() {
  static const std::vector<Severity> kAll = {Severity::kHigh, Severity::kMedium, Severity::kLow,
                                             Severity::kInfo};
  return kAll;
}

std::string_view SeverityKey(Severity s) {
  switch (s) {
    case Severity::kHigh:
      return "sev_high";
    case Severity::kMedium:
      return "sev_medium";
    case Severity::kLow:
      return "sev_low";
    case Severity::kInfo:
      return "sev_info";
  }
  return "sev_info";
}

std::string_view SubjectKindKey(SubjectKind k) {
  switch (k) {
    case SubjectKind::kRegister:
      return "subject_register";
    case SubjectKind::kOrganisation:
      return "subject_organisation";
    case SubjectKind::kActivity:
      return "subject_activity";
    case SubjectKind::kProcessor:
      return "subject_processor";
    case SubjectKind::kTouchpoint:
      return "subject_touchpoint";
    case SubjectKind::kDetected:
      return "subject_detected";
  }
  return "subject_register";
}

std::string_view EvidenceKindKey(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kRequest:
      return "evidence_request";
    case EvidenceKind::kCookie:
      return "evidence_cookie";
    case EvidenceKind::kSetCookie:
      return "evidence_set_cookie";
    case EvidenceKind::kLink:
      return "evidence_link";
    case EvidenceKind::kHtmlMarker:
      return "evidence_html_marker";
  }
  return "evidence_request";
}

std::string_view LawfulBasisKey(LawfulBasis b) {
  switch (b) {
    case LawfulBasis::kConsent:
      return "basis_consent";
    case LawfulBasis::kContract:
      return "basis_contract";
    case LawfulBasis::kLegalObligation:
      return "basis_legal_obligation";
    case LawfulBasis::kVitalInterests:
      return "basis_vital_interests";
    case LawfulBasis::kPublicTask:
      return "basis_public_task";
    case LawfulBasis::kLegitimateInterests:
      return "basis_legitimate_interests";
  }
  return "basis_consent";
}

std::vector<std::string> DynamicI18nKeys() {
  std::vector<std::string> keys;
  for (Severity s : SeveritiesDesc()) keys.emplace_back(SeverityKey(s));
  for (SubjectKind k : {SubjectKind::kRegister, SubjectKind::kOrganisation, SubjectKind::kActivity,
                        SubjectKind::kProcessor, SubjectKind::kTouchpoint, SubjectKind::kDetected})
    keys.emplace_back(SubjectKindKey(k));
  for (EvidenceKind k : {EvidenceKind::kRequest, EvidenceKind::kCookie, EvidenceKind::kSetCookie,
                         EvidenceKind::kLink, EvidenceKind::kHtmlMarker})
    keys.emplace_back(EvidenceKindKey(k));
  for (LawfulBasis b :
       {LawfulBasis::kConsent, LawfulBasis::kContract, LawfulBasis::kLegalObligation,
        LawfulBasis::kVitalInterests, LawfulBasis::kPublicTask, LawfulBasis::kLegitimateInterests})
    keys.emplace_back(LawfulBasisKey(b));
  keys.insert(keys.end(), {"status_registered", "status_blind_spot", "status_not_seen", "yes", "no"});
  // Translations of kb claim values and transfer mechanisms (html_report.cc
  // shows the raw value for one without a key).
  keys.insert(keys.end(),
              {"role_processor", "role_joint_controller", "role_independent_controller", "consent_true",
               "consent_false", "transfer_data_privacy_framework", "transfer_sccs",
               "transfer_adequacy_decision", "transfer_bcrs", "transfer_derogation_art49", "transfer_none"});
  return keys;
}

RuleText LookupRule(std::string_view rule_id, std::string_view lang) {
  RuleText t;
  if (const RuleInfo* info = FindRule(rule_id)) {
    t.title = info->title.Get(lang);
    t.remediation = info->remediation.Get(lang);
    t.legal_sources = info->legal_sources;
  }
  if (t.title.empty()) t.title = std::string(rule_id);
  return t;
}

std::string SignalMeaning(const KbEntry* kb, std::string_view signal_id, std::string_view lang) {
  if (!kb) return {};
  for (const DataSignal& s : kb->data_signals)
    if (s.id == signal_id) return s.meaning.Get(lang);
  return {};
}

size_t Counts::BySeverity(Severity s) const {
  switch (s) {
    case Severity::kHigh:
      return high;
    case Severity::kMedium:
      return medium;
    case Severity::kLow:
      return low;
    case Severity::kInfo:
      return info;
  }
  return 0;
}

Counts CountAll(const AuditResult& r) {
  Counts c;
  for (const ReconciledTouchpoint& tp : r.touchpoints) {
    if (tp.detected) ++c.detected;
    if (tp.registered) ++c.registered;
    if (tp.blind_spot()) ++c.blind_spots;
    if (tp.not_seen()) ++c.not_seen;
  }
  for (const Finding& f : r.findings) {
    ++c.findings;
    switch (f.severity) {
      case Severity::kHigh:
        ++c.high;
        break;
      case Severity::kMedium:
        ++c.medium;
        break;
      case Severity::kLow:
        ++c.low;
        break;
      case Severity::kInfo:
        ++c.info;
        break;
    }
  }
  return c;
}

bool IsWebUrl(std::string_view url) { return url.starts_with("https://") || url.starts_with("http://"); }

}  // namespace blindspot::report_internal

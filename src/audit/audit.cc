// RunAudit: reconciliation of detected and registered touchpoints, then every
// rule of the registry table; plus the rule catalogue (AllRules/FindRule).
#include "blindspot/audit.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "audit/rule.h"

namespace blindspot {

std::string_view ToString(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
  }
  return "info";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

std::string_view ToString(SubjectKind k) {
  switch (k) {
    case SubjectKind::kRegister:
      return "register";
    case SubjectKind::kOrganisation:
      return "organisation";
    case SubjectKind::kActivity:
      return "activity";
    case SubjectKind::kProcessor:
      return "processor";
    case SubjectKind::kTouchpoint:
      return "touchpoint";
    case SubjectKind::kDetected:
      return "detected";
  }
  return "register";
}

size_t AuditResult::CountAtLeast(Severity s) const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity >= s; }));
}

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> r = audit::RuleTable();
    std::stable_sort(r.begin(), r.end(), [](const Rule& a, const Rule& b) { return a.info.id < b.info.id; });
    return r;
  }();
  return rules;
}

const RuleInfo* FindRule(std::string_view id) {
  for (const Rule& r : AllRules()) {
    if (r.info.id == id) return &r.info;
  }
  return nullptr;
}

namespace {

// Detected rows first (by kb id; each followed by any further registered
// touchpoints with the same product), then registered touchpoints that were
// not seen, in register order.
std::vector<ReconciledTouchpoint> Reconcile(const Register& reg, const Kb& kb, const DetectionResult& det) {
  std::vector<const DetectedTouchpoint*> detected;
  for (const DetectedTouchpoint& d : det.touchpoints) detected.push_back(&d);
  std::stable_sort(
      detected.begin(), detected.end(),
      [](const DetectedTouchpoint* a, const DetectedTouchpoint* b) { return a->kb_id < b->kb_id; });

  std::map<std::string, std::vector<const Touchpoint*>, std::less<>> by_product;
  for (const Touchpoint& tp : reg.touchpoints) {
    if (!tp.product.empty()) by_product[tp.product].push_back(&tp);
  }

  std::vector<ReconciledTouchpoint> rows;
  std::set<const Touchpoint*> seen;
  for (const DetectedTouchpoint* d : detected) {
    ReconciledTouchpoint row;
    row.kb_id = d->kb_id;
    row.kb = d->kb ? d->kb : kb.Find(d->kb_id);
    row.detected = d;
    auto it = by_product.find(d->kb_id);
    if (it == by_product.end()) {
      rows.push_back(row);
      continue;
    }
    for (const Touchpoint* tp : it->second) {
      row.registered = tp;
      rows.push_back(row);
      seen.insert(tp);
    }
  }
  for (const Touchpoint& tp : reg.touchpoints) {
    if (seen.count(&tp)) continue;
    ReconciledTouchpoint row;
    row.kb_id = tp.product;
    row.kb = tp.product.empty() ? nullptr : kb.Find(tp.product);
    row.registered = &tp;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

AuditResult RunAudit(const Register& reg, const Kb& kb, DetectionResult detection) {
  AuditResult result;
  result.reg = &reg;
  result.kb = &kb;
  result.detection = std::move(detection);
  result.touchpoints = Reconcile(reg, kb, result.detection);

  AuditContext ctx{reg, kb, result.detection, result.touchpoints};
  for (const Rule& rule : AllRules()) {
    if (rule.check) rule.check(ctx, result.findings);
  }
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    return std::forward_as_tuple(b.severity, a.rule_id, a.subject_id, a.loc.line, a.loc.column, a.detail.en) <
           std::forward_as_tuple(a.severity, b.rule_id, b.subject_id, b.loc.line, b.loc.column, b.detail.en);
  });
  return result;
}

}  // namespace blindspot

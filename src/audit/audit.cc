// RunAudit: reconciliation of detected and registered touchpoints, then every
// rule check of the registry table; and the rule list (AllRules).
#include "blindspot/audit.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "audit/rule.h"

namespace blindspot {

size_t AuditResult::CountAtLeast(Severity s) const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity >= s; }));
}

AuditResult::TouchpointCounts AuditResult::CountTouchpoints() const {
  TouchpointCounts c;
  for (const ReconciledTouchpoint& tp : touchpoints) {
    if (tp.inferred())
      ++c.inferred;
    else if (tp.detected)
      ++c.detected;
    if (tp.blind_spot()) ++c.blind_spots;
    if (tp.not_seen()) ++c.not_seen;
    if (tp.registered) ++c.registered;
  }
  return c;
}

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> r;
    const TextCatalog& cat = TextCatalog::Builtin();
    for (const audit::RuleEntry& e : audit::RuleTable()) {
      // A check without metadata cannot be described or cited; the unit tests
      // fail on it (rules_test.cc), here it is skipped rather than crash.
      if (const RuleMeta* meta = cat.FindRule(e.id)) r.push_back({meta, e.check});
    }
    std::sort(r.begin(), r.end(), [](const Rule& a, const Rule& b) { return a.meta->id < b.meta->id; });
    return r;
  }();
  return rules;
}

namespace {

// Detected rows first (by kb id; each followed by any further registered
// touchpoints with the same product), then registered touchpoints that were
// not seen, in register order.
// The processor of the register that is this product: its id is the kb id, or
// its name is the product's name; or its legal entity is the vendor's and its
// name shares a word with the product's (a vendor's other product, registered
// as "Live chat" with the same legal entity, is not this one).
const Processor* RegisteredProcessor(const Register& reg, const KbEntry& kb) {
  using audit::CompanyKey;
  using audit::ShareWord;
  std::string entity = CompanyKey(kb.vendor.legal_entity);
  std::string name = CompanyKey(kb.name);
  for (const Processor& p : reg.processors) {
    if (p.id == kb.id) return &p;
    std::string pe = CompanyKey(p.legal_entity), pn = CompanyKey(p.name);
    if (!name.empty() && pn == name) return &p;
    if (!entity.empty() && pe == entity && ShareWord(pn, name)) return &p;
  }
  return nullptr;
}

std::vector<ReconciledTouchpoint> Reconcile(const Register& reg, const Kb& kb, const DetectionResult& det) {
  std::vector<const DetectedTouchpoint*> detected;
  for (const DetectedTouchpoint& d : det.touchpoints) detected.push_back(&d);
  std::stable_sort(
      detected.begin(), detected.end(),
      [](const DetectedTouchpoint* a, const DetectedTouchpoint* b) { return a->kb_id < b->kb_id; });

  // A draft an audit made of a blind spot (Touchpoint::discovered) that its
  // owner has not confirmed yet (in use not answered) registers nothing: the
  // touchpoint stays a blind spot until someone says it is in use (or not).
  // Its unanswered questions are BS013's.
  std::set<const Touchpoint*> seen;
  auto unconfirmed = [](const Touchpoint& tp) { return !tp.discovered.empty() && !tp.answers.in_use; };
  std::map<std::string, std::vector<const Touchpoint*>, std::less<>> by_product;
  for (const Touchpoint& tp : reg.touchpoints) {
    if (unconfirmed(tp)) {
      seen.insert(&tp);
      continue;
    }
    if (!tp.product.empty()) by_product[tp.product].push_back(&tp);
  }

  std::vector<ReconciledTouchpoint> rows;
  for (const DetectedTouchpoint* d : detected) {
    ReconciledTouchpoint row;
    row.kb_id = d->kb_id;
    row.kb = d->kb ? d->kb : kb.Find(d->kb_id);
    row.detected = d;
    auto it = by_product.find(d->kb_id);
    if (it == by_product.end()) {
      // An e-mail platform seen only in DNS or DMARC records is registered as
      // a processor of the activities that send mail, not as a touchpoint.
      if (d->records_only && row.kb && row.kb->channel == "email")
        row.processor = RegisteredProcessor(reg, *row.kb);
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

namespace {
// True when a nested item has no id yet (a register built in code rather
// than read from a file): findings need ids for their field paths.
bool MissingNestedIds(const Register& r) {
  auto missing = [](const auto& items) {
    return std::any_of(items.begin(), items.end(), [](const auto& x) { return x.id.empty(); });
  };
  for (const ProcessingActivity& a : r.activities)
    if (missing(a.purposes) || missing(a.special_categories) || missing(a.recipients) ||
        missing(a.transfers) || missing(a.retention))
      return true;
  for (const ProcessorRecord& pr : r.processor_records)
    if (missing(pr.transfers)) return true;
  return false;
}
}  // namespace

AuditResult RunAudit(std::shared_ptr<const Register> reg, std::shared_ptr<const Kb> kb,
                     DetectionResult detection) {
  return RunAudit(std::move(reg), std::move(kb), std::move(detection), {});
}

AuditResult RunAudit(std::shared_ptr<const Register> reg, std::shared_ptr<const Kb> kb,
                     DetectionResult detection, std::vector<Statement> statements) {
  AuditResult result;
  if (reg && MissingNestedIds(*reg)) {
    auto copy = std::make_shared<Register>(*reg);
    AssignDerivedIds(*copy);
    reg = std::move(copy);
  }
  result.reg = reg ? std::move(reg) : std::make_shared<const Register>();
  result.kb = kb ? std::move(kb) : std::make_shared<const Kb>();
  result.detection = std::move(detection);
  result.touchpoints = Reconcile(*result.reg, *result.kb, result.detection);

  RegisterIndex index(*result.reg);
  result.statements = std::move(statements);
  AuditContext ctx{*result.reg, index, *result.kb, result.detection, result.touchpoints};
  ctx.statements = &result.statements;
  for (const Rule& rule : AllRules()) {
    ctx.rule = rule.meta;
    if (rule.check) rule.check(ctx, result.findings);
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    // Within one rule and subject the check's own order stands (question
    // number, position in the register).
    return std::forward_as_tuple(b.severity, a.rule_id, a.subject_id) <
           std::forward_as_tuple(a.severity, b.rule_id, b.subject_id);
  });
  ComputeVerdicts(result);
  // Due dates from the day of the evidence; the audit use case uses --as-of when given.
  result.actions = BuildActionList(result, result.detection.LastCaptureDate());
  return result;
}

}  // namespace blindspot

// BS040: a term of the curated special-category list (data/sensitive_terms.yaml)
// in a parameter value of a request to a third party (CarriedKind::kSensitiveTerm,
// found by the detector in carried.cc). One finding per touchpoint (or
// unattributed third-party domain), parameter and term; high when the
// recipient is an advertising product, the rule's severity (medium) otherwise.
#include "audit/rule.h"

namespace blindspot::audit {

namespace {

Message Sent(const CarriedData& c) {
  return Message(msg::BS040::sent)
      .Text("term", c.term)
      .Term("category", "sensitive_category", c.category)
      .Text("param", c.param)
      .Text("host", c.host)
      .Number("requests", static_cast<int64_t>(c.requests))
      .Text("page", c.page.empty() ? "-" : c.page);
}

// One finding per parameter and term, so each has its own fingerprint: a new
// term sent to the same host is a new finding to a baseline.
std::string Key(const CarriedData& c) { return c.param + "/" + c.term; }

bool Advertising(const KbEntry* kb) {
  if (!kb) return false;
  if (kb->channel == "advertising") return true;
  for (std::string_view c :
       {"advertising-pixel", "custom-audience", "conversion-tracking", "retargeting", "dmp"})
    if (kb->category == c) return true;
  return false;
}

}  // namespace

void CheckSensitiveInTraffic(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected) continue;
    for (const CarriedData& c : row.detected->carried) {
      if (c.kind != CarriedKind::kSensitiveTerm) continue;
      Finding f = ctx.Make(SubjectKind::kDetected, row.detected->kb_id, ProductName(row), Sent(c), "");
      if (Advertising(row.kb)) f.severity = Severity::kHigh;
      f.key = Key(c);
      out.push_back(std::move(f));
    }
  }
  for (const UnattributedCarried& u : ctx.detection.carried)
    for (const CarriedData& c : u.carried) {
      if (c.kind != CarriedKind::kSensitiveTerm) continue;
      out.push_back(ctx.Make(SubjectKind::kDetected, "third-party:" + u.registrable_domain,
                             u.registrable_domain, Sent(c), ""));
      out.back().key = Key(c);
    }
}

}  // namespace blindspot::audit

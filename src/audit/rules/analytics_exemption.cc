// BS054: a touchpoint whose register answers rely on the Dutch analytics
// exemption (art. 11.7a(3)(b) Tw; analytics_exemption) without meeting it: one
// finding naming the conditions the register does not confirm, else what the
// evidence shows against the configuration, else a product the kb knows no
// qualifying configuration for. BS006 leaves such a touchpoint to this rule
// when its product can be configured so.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckAnalyticsExemption(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    ExemptionJudgement j = JudgeAnalyticsExemption(row);
    if (!j.claimed || j.exempt()) continue;
    const Touchpoint& tp = *row.registered;
    // Without a kb product there is nothing to judge the configuration by (BS016
    // asks for the product); a product that needs no consent has nothing to be exempt from.
    if (!row.kb || !row.kb->consent_required.value) continue;
    std::string at = path::Field(PathOf(tp), "analytics_exemption");
    Message m;
    if (!j.allowed) {
      m = Message(msg::BS054::not_configurable);
    } else if (!j.missing.empty()) {
      std::vector<MessageArg> items;
      for (std::string_view c : j.missing) items.push_back(TermItem("analytics_exemption_condition", c));
      m = Message(msg::BS054::missing).List("conditions", std::move(items));
      at = path::Field(at, j.missing.front());
    } else {
      std::vector<MessageArg> items;
      for (std::string_view c : j.contradicted) items.push_back(TermItem("exemption_contradiction", c));
      m = Message(msg::BS054::contradicted).List("evidence", std::move(items));
    }
    m.Text("touchpoint", DisplayName(tp)).Text("product", ProductName(row));
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m), at));
  }
}

}  // namespace blindspot::audit

// BS022: a touchpoint whose product needs prior consent (kb claim) and whose
// own traffic was recorded before consent or after reject (an evidence
// bundle's phases; DetectedTouchpoint::phases_active). A touchpoint the
// register gives consent as its basis is left to BS035 (one finding, both facts);
// one that meets the Dutch analytics exemption (JudgeAnalyticsExemption) is not reported.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckTrackingWithoutConsent(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.kb || !row.kb->consent_required.value) continue;
    // Registered with consent as its basis: BS035 reports it with the register's claim.
    if (row.registered && RegisteredWithConsent(ctx, *row.registered)) continue;
    // Exempt from consent (art. 11.7a(3)(b) Tw, the evidence not against it): may run before consent.
    if (JudgeAnalyticsExemption(row).exempt()) continue;
    std::vector<MessageArg> phases;
    std::vector<MessageArg> sources;
    for (ConsentPhase p : row.detected->phases_active) {
      if (!IsWithoutConsent(p)) continue;
      phases.push_back(TermItem("consent_phase", ToString(p)));
      for (const EvidenceSourceInfo& s : ctx.detection.sources)
        if (s.phase == p) sources.push_back(TextItem(s.name));
    }
    if (phases.empty()) continue;
    out.push_back(ctx.Make(SubjectKind::kDetected, row.detected->kb_id, ProductName(row),
                           Message(msg::BS022::active)
                               .Text("product", ProductName(row))
                               .List("phases", std::move(phases))
                               .List("sources", std::move(sources)),
                           ""));
  }
}

}  // namespace blindspot::audit

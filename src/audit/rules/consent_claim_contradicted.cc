// BS035: a registered touchpoint whose lawful basis is consent (its answer,
// else its activities' purposes) while its product's own traffic was recorded
// before consent or after reject (DetectedTouchpoint::phases_active). The
// evidence beats the label; BS022 leaves such a touchpoint to this rule, so
// that one finding names both facts.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckConsentClaimContradicted(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.detected || row.detected->inferred()) continue;
    const Touchpoint& tp = *row.registered;
    if (!RegisteredWithConsent(ctx, tp)) continue;
    // Exempt from consent (art. 11.7a(3)(b) Tw): running before consent contradicts nothing.
    if (JudgeAnalyticsExemption(row).exempt()) continue;
    std::vector<MessageArg> phases;
    std::vector<MessageArg> sources;
    for (ConsentPhase p : row.detected->phases_active) {
      if (!IsWithoutConsent(p)) continue;
      phases.push_back(TermItem("consent_phase", ToString(p)));
      for (MessageArg& s : SourcesIn(ctx, p)) sources.push_back(std::move(s));
    }
    if (phases.empty()) continue;
    std::string path = tp.answers.lawful_basis
                           ? path::Field(path::Field(PathOf(tp), "answers"), "lawful_basis")
                           : PathOf(tp);
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                           Message(msg::BS035::active_without_consent)
                               .Text("touchpoint", DisplayName(tp))
                               .Text("product", ProductName(row))
                               .List("phases", std::move(phases))
                               .List("sources", std::move(sources)),
                           path));
  }
}

}  // namespace blindspot::audit

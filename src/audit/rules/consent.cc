// BS006: a registered touchpoint whose product needs prior consent (kb claim)
// while the register names another lawful basis (or none): the touchpoint's
// own answer when given, else the purposes of its activities. A touchpoint
// seen only as links (LinkOnly) is skipped, and so is one relying on the
// Dutch analytics exemption for a product that allows it (met, or BS054).
// Severity in context: medium for what the register says, high when the
// touchpoint is seen in the traffic or something is at stake (special
// categories, also in its traffic, children, a public body, large scale).
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckConsent(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || !row.kb->consent_required.value) continue;
    // A link seen in the pages runs nothing: not the vendor's tracking, not joint control.
    if (row.detected && LinkOnly(*row.detected)) continue;
    const Touchpoint& tp = *row.registered;
    // The Dutch analytics exemption: met, nothing to report; relied on for a
    // product that can be configured so but not met, BS054 names what is missing.
    ExemptionJudgement exemption = JudgeAnalyticsExemption(row);
    if (exemption.claimed && exemption.allowed) continue;
    bool from_answer = false;
    std::vector<LawfulBasis> bases = RegisteredBases(ctx, tp, &from_answer);
    std::string path =
        from_answer ? path::Field(path::Field(PathOf(tp), "answers"), "lawful_basis") : PathOf(tp);
    if (std::find(bases.begin(), bases.end(), LawfulBasis::kConsent) != bases.end()) continue;
    std::vector<MessageArg> names;
    for (LawfulBasis b : bases) names.push_back(TermItem("lawful_basis", ToString(b)));
    Message m = bases.empty() ? Message(msg::BS006::no_basis)
                : from_answer ? Message(msg::BS006::answer_basis).List("bases", names)
                              : Message(msg::BS006::activity_basis).List("bases", names);
    m.Text("touchpoint", DisplayName(tp)).Text("product", ProductName(row));
    Finding f = ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m), path);
    std::vector<std::string_view> why = StakesInContext(ctx, row);
    if (SeenSending(row)) why.push_back("evidence_of_sending");
    RaiseSeverity(f, why);
    out.push_back(std::move(f));
  }
}

}  // namespace blindspot::audit

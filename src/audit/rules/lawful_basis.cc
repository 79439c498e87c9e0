// BS004: a purpose without a lawful basis.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS004-no-lawful-basis";
  i.severity = Severity::kHigh;
  i.title = {"Purpose without a lawful basis", "Doel zonder grondslag"};
  i.remediation = {
      "Record for every purpose one of the six lawful bases of Art. 6(1) and the reasoning behind it. If no "
      "basis applies, the processing for that purpose must stop.",
      "Leg voor ieder doel een van de zes grondslagen van art. 6 lid 1 AVG vast, met de onderbouwing. Is er "
      "geen grondslag van toepassing, dan moet de verwerking voor dat doel stoppen."};
  i.legal_sources = {
      src::Gdpr("Art. 6(1) (lawfulness of processing)", "art. 6 lid 1 (rechtmatigheid van de verwerking)"),
      src::Gdpr("Art. 5(1)(a) (lawfulness)", "art. 5 lid 1 onder a (rechtmatigheid)"),
      src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis) continue;
      out.push_back(MakeFinding(
          info, SubjectKind::kActivity, a.id, DisplayName(a),
          fmt::format("Purpose '{}' of activity '{}' has no lawful basis", p.description, DisplayName(a)),
          fmt::format("Doel '{}' van verwerking '{}' heeft geen grondslag", p.description, DisplayName(a)),
          p.loc.line ? p.loc : a.loc));
    }
  }
}

}  // namespace

Rule LawfulBasisRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

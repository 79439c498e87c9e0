// BS005: legitimate interests as lawful basis without a reference to the
// legitimate-interests assessment.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS005-lia-missing";
  i.severity = Severity::kMedium;
  i.title = {"Legitimate interests without a legitimate interests assessment",
             "Gerechtvaardigd belang zonder belangenafweging"};
  i.remediation = {
      "Carry out and document a legitimate interests assessment (purpose test, necessity test, balancing "
      "test) and record its reference with the purpose. If the balance tips towards the data subjects, "
      "choose another lawful basis, such as consent.",
      "Voer een belangenafweging uit en documenteer die (doeltoets, noodzakelijkheidstoets, afweging), en "
      "leg de verwijzing ernaar vast bij het doel. Valt de afweging uit in het voordeel van de betrokkenen, "
      "kies dan een andere grondslag, zoals toestemming."};
  i.legal_sources = {
      src::Gdpr("Art. 6(1)(f) (legitimate interests)", "art. 6 lid 1 onder f (gerechtvaardigd belang)"),
      src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
      src::EdpbLegitimateInterests()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis != LawfulBasis::kLegitimateInterests || !p.lia_reference.empty()) continue;
      out.push_back(
          MakeFinding(info, SubjectKind::kActivity, a.id, DisplayName(a),
                      fmt::format("Purpose '{}' of activity '{}' relies on legitimate interests but "
                                  "refers to no legitimate interests assessment",
                                  p.description, DisplayName(a)),
                      fmt::format("Doel '{}' van verwerking '{}' steunt op gerechtvaardigd belang, "
                                  "maar verwijst niet naar een belangenafweging",
                                  p.description, DisplayName(a)),
                      p.loc.line ? p.loc : a.loc));
    }
  }
}

}  // namespace

Rule LiaRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

// BS012: an activity without a description of its technical and
// organisational security measures.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS012-toms-missing";
  i.severity = Severity::kMedium;
  i.title = {"Technical and organisational measures not described",
             "Technische en organisatorische maatregelen niet beschreven"};
  i.remediation = {
      "Describe, in general terms, the technical and organisational security measures that protect the data "
      "of this activity (for example access control, encryption, pseudonymisation, logging, backups, staff "
      "confidentiality), or refer to the information security policy that covers them.",
      "Beschrijf in algemene termen de technische en organisatorische beveiligingsmaatregelen die de "
      "gegevens van deze verwerking beschermen (bijvoorbeeld toegangsbeheer, versleuteling, "
      "pseudonimisering, logging, back-ups, geheimhouding door medewerkers), of verwijs naar het "
      "informatiebeveiligingsbeleid waarin ze staan."};
  i.legal_sources = {
      src::Gdpr("Art. 32(1) (security of processing)", "art. 32 lid 1 (beveiliging van de verwerking)"),
      src::Gdpr("Art. 30(1)(g) (general description of the security measures)",
                "art. 30 lid 1 onder g (algemene beschrijving van de technische en organisatorische "
                "beveiligingsmaatregelen)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (!a.toms.empty()) continue;
    out.push_back(MakeFinding(
        info, SubjectKind::kActivity, a.id, DisplayName(a),
        fmt::format(
            "Activity '{}' does not describe its technical and organisational measures (Art. 30(1)(g))",
            DisplayName(a)),
        fmt::format(
            "Verwerking '{}' beschrijft geen technische en organisatorische maatregelen (art. 30 lid 1 "
            "sub g)",
            DisplayName(a)),
        a.toms.loc.line ? a.toms.loc : a.loc));
  }
}

}  // namespace

Rule TomsRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

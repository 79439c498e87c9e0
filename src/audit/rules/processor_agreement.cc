// BS008: a processor without a signed data processing agreement. Checks every
// registered vendor with role processor, and every touchpoint whose kb entry
// says the vendor acts as processor while the register names no vendor or a
// vendor recorded in another role without a signed agreement.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS008-processor-no-dpa";
  i.severity = Severity::kHigh;
  i.title = {"Processor without a signed data processing agreement",
             "Verwerker zonder getekende verwerkersovereenkomst"};
  i.remediation = {
      "Conclude a data processing agreement with the processor that covers every element of Art. 28(3) "
      "(subject matter, duration, instructions, confidentiality, security, sub-processors, assistance, "
      "deletion, audits) and record its date and reference in the register. Many vendors offer one in their "
      "terms; make sure it is accepted for your account.",
      "Sluit met de verwerker een verwerkersovereenkomst die alle onderdelen van art. 28 lid 3 AVG dekt "
      "(onderwerp, duur, instructies, geheimhouding, beveiliging, subverwerkers, bijstand, verwijdering, "
      "audits) en leg de datum en verwijzing vast in het register. Veel leveranciers bieden die aan in hun "
      "voorwaarden; zorg dat deze voor uw account is geaccepteerd."};
  i.legal_sources = {
      src::Gdpr("Art. 28(3) (contract with the processor)", "art. 28 lid 3 (verwerkersovereenkomst)"),
      src::Gdpr("Art. 28(9) (in writing)", "art. 28 lid 9 (schriftelijke vastlegging)"),
      src::EdpbControllerProcessor()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Processor& p : ctx.reg.processors) {
    if (p.role != VendorRole::kProcessor || p.agreement.status == AgreementStatus::kSigned) continue;
    out.push_back(
        MakeFinding(info, SubjectKind::kProcessor, p.id, DisplayName(p),
                    fmt::format("Processor '{}' has no signed data processing agreement (status: {})",
                                DisplayName(p), AgreementStatusEn(p.agreement.status)),
                    fmt::format("Verwerker '{}' heeft geen getekende verwerkersovereenkomst (status: {})",
                                DisplayName(p), AgreementStatusNl(p.agreement.status)),
                    p.agreement.loc.line ? p.agreement.loc : p.loc));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->role.value != "processor") continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    std::string product = row.kb->name.empty() ? row.kb_id : row.kb->name;
    std::string en, nl;
    if (!v && tp.vendor.empty()) {
      en = fmt::format(
          "Touchpoint '{}' uses {}, whose vendor acts as processor, but the register names no "
          "vendor for it, so no data processing agreement is recorded",
          DisplayName(tp), product);
      nl = fmt::format(
          "Touchpoint '{}' gebruikt {}, waarvan de leverancier verwerker is, maar het register "
          "noemt geen leverancier, dus er is geen verwerkersovereenkomst vastgelegd",
          DisplayName(tp), product);
    } else if (!v) {
      en = fmt::format(
          "Touchpoint '{}' uses {}, whose vendor acts as processor, but its vendor '{}' is not "
          "among the registered vendors, so no data processing agreement is recorded",
          DisplayName(tp), product, tp.vendor);
      nl = fmt::format(
          "Touchpoint '{}' gebruikt {}, waarvan de leverancier verwerker is, maar leverancier '{}' "
          "staat niet bij de geregistreerde leveranciers, dus er is geen verwerkersovereenkomst "
          "vastgelegd",
          DisplayName(tp), product, tp.vendor);
    } else if (v->role != VendorRole::kProcessor && v->agreement.status != AgreementStatus::kSigned) {
      LocalizedText role = VendorRoleName(v->role);
      en = fmt::format(
          "Touchpoint '{}' uses {}, whose vendor acts as processor, but vendor '{}' is registered "
          "as {} without a signed data processing agreement",
          DisplayName(tp), product, DisplayName(*v), role.en);
      nl = fmt::format(
          "Touchpoint '{}' gebruikt {}, waarvan de leverancier verwerker is, maar leverancier '{}' "
          "staat geregistreerd als {} zonder getekende verwerkersovereenkomst",
          DisplayName(tp), product, DisplayName(*v), role.nl);
    } else {
      continue;  // processor role: reported above if unsigned
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule ProcessorAgreementRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

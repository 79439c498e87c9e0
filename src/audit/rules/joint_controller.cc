// BS010: joint controllers without an Art. 26 arrangement. Checks vendors
// registered as joint controller, and touchpoints whose kb entry says the
// vendor is a joint controller (Fashion ID) while the register names no
// vendor or a vendor in another role without a signed arrangement.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS010-joint-controller-no-arrangement";
  i.severity = Severity::kMedium;
  i.title = {"Joint controllers without an arrangement",
             "Gezamenlijke verwerkingsverantwoordelijken zonder regeling"};
  i.remediation = {
      "Put an arrangement in place that sets out the respective responsibilities of the joint controllers "
      "(for social plug-ins and pixels often the vendor's controller addendum), record it in the register "
      "and make its essence available to data subjects, for example in the privacy statement.",
      "Leg in een regeling vast hoe de gezamenlijke verwerkingsverantwoordelijken hun verantwoordelijkheden "
      "verdelen (bij social plug-ins en pixels vaak het controller addendum van de leverancier), neem die "
      "op in het register en maak de kern ervan beschikbaar voor betrokkenen, bijvoorbeeld in de "
      "privacyverklaring."};
  i.legal_sources = {src::Gdpr("Art. 26(1)-(2) (joint controllers)",
                               "art. 26 leden 1 en 2 (gezamenlijke verwerkingsverantwoordelijken)"),
                     src::FashionId(), src::Wirtschaftsakademie(), src::EdpbControllerProcessor()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Processor& p : ctx.reg.processors) {
    if (p.role != VendorRole::kJointController || p.agreement.status == AgreementStatus::kSigned) continue;
    out.push_back(
        MakeFinding(info, SubjectKind::kProcessor, p.id, DisplayName(p),
                    fmt::format("Joint controller '{}' has no signed Art. 26 arrangement (status: {})",
                                DisplayName(p), AgreementStatusEn(p.agreement.status)),
                    fmt::format("Met gezamenlijke verwerkingsverantwoordelijke '{}' is geen getekende "
                                "regeling volgens art. 26 (status: {})",
                                DisplayName(p), AgreementStatusNl(p.agreement.status)),
                    p.agreement.loc.line ? p.agreement.loc : p.loc));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->role.value != "joint_controller") continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    if (v && (v->role == VendorRole::kJointController || v->agreement.status == AgreementStatus::kSigned))
      continue;
    std::string product = row.kb->name.empty() ? row.kb_id : row.kb->name;
    std::string en, nl;
    if (!v) {
      en = fmt::format(
          "Touchpoint '{}' uses {}, whose vendor is a joint controller, but the register names no "
          "registered vendor and no Art. 26 arrangement",
          DisplayName(tp), product);
      nl = fmt::format(
          "Touchpoint '{}' gebruikt {}, waarvan de leverancier gezamenlijk "
          "verwerkingsverantwoordelijke is, maar het register noemt geen geregistreerde leverancier "
          "en geen regeling volgens art. 26",
          DisplayName(tp), product);
    } else {
      LocalizedText role = VendorRoleName(v->role);
      en = fmt::format(
          "Touchpoint '{}' uses {}, whose vendor is a joint controller, but vendor '{}' is "
          "registered as {} without a signed arrangement",
          DisplayName(tp), product, DisplayName(*v), role.en);
      nl = fmt::format(
          "Touchpoint '{}' gebruikt {}, waarvan de leverancier gezamenlijk "
          "verwerkingsverantwoordelijke is, maar leverancier '{}' staat geregistreerd als {} zonder "
          "getekende regeling",
          DisplayName(tp), product, DisplayName(*v), role.nl);
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule JointControllerRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

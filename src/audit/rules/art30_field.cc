// BS003: an Art. 30(1) field of the register is empty. One finding per missing
// field: per activity purposes, data subjects, data categories, recipients;
// for the organisation the controller's name and contact details and the DPO.
// Retention periods and TOMs have their own rules (BS011, BS012).
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS003-art30-field-missing";
  i.severity = Severity::kMedium;
  i.title = {"Mandatory field of the register of processing activities is empty",
             "Verplicht onderdeel van het verwerkingsregister ontbreekt"};
  i.remediation = {
      "Complete the field named in the finding. Art. 30(1) requires, per processing activity, the purposes, "
      "the categories of data subjects and of personal data and the categories of recipients, and for the "
      "organisation the name and contact details of the controller and, where designated, of the DPO.",
      "Vul het genoemde onderdeel aan. Art. 30 lid 1 AVG vereist per verwerking de doeleinden, de "
      "categorieën "
      "betrokkenen en persoonsgegevens en de categorieën ontvangers, en voor de organisatie de naam en "
      "contactgegevens van de verwerkingsverantwoordelijke en, indien aangesteld, van de functionaris "
      "gegevensbescherming (FG)."};
  i.legal_sources = {src::Gdpr("Art. 30(1)(a)-(d) (content of the records)",
                               "art. 30 lid 1 onder a tot en met d (inhoud van het verwerkingsregister)"),
                     src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
                     src::Gdpr("Art. 37(7) (publication and communication of DPO contact details)",
                               "art. 37 lid 7 (bekendmaking en melding van de contactgegevens van de "
                               "functionaris gegevensbescherming)")};
  return i;
}

struct Field {
  const char* en;
  const char* nl;
};

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  const Organisation& org = ctx.reg.organisation;
  auto org_finding = [&](const char* id, Field f) {
    out.push_back(MakeFinding(info, SubjectKind::kOrganisation, id, org.name,
                              fmt::format("The register does not record the {}", f.en),
                              fmt::format("Het register vermeldt geen {}", f.nl), org.loc));
  };
  if (org.name.empty()) {
    org_finding("organisation", {"name of the controller (Art. 30(1)(a))",
                                 "naam van de verwerkingsverantwoordelijke (art. 30 lid 1 sub a)"});
  }
  if (org.contact.email.empty() && org.contact.phone.empty() && org.contact.address.empty()) {
    org_finding("organisation.contact",
                {"contact details of the controller (Art. 30(1)(a))",
                 "contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 1 sub a)"});
  }
  if (org.dpo.empty()) {
    org_finding(
        "organisation.dpo",
        {"name and contact details of the DPO (Art. 30(1)(a); if no DPO is designated under Art. 37, "
         "record the privacy contact person instead)",
         "naam en contactgegevens van de functionaris gegevensbescherming (art. 30 lid 1 sub a; is er "
         "op grond van art. 37 geen FG aangesteld, vermeld dan de privacycontactpersoon)"});
  }

  for (const ProcessingActivity& a : ctx.reg.activities) {
    auto activity_finding = [&](Field f) {
      out.push_back(MakeFinding(info, SubjectKind::kActivity, a.id, DisplayName(a),
                                fmt::format("Activity '{}' does not record its {}", DisplayName(a), f.en),
                                fmt::format("Verwerking '{}' vermeldt geen {}", DisplayName(a), f.nl),
                                a.loc));
    };
    if (a.purposes.empty())
      activity_finding({"purposes (Art. 30(1)(b))", "doeleinden (art. 30 lid 1 sub b)"});
    if (a.data_subjects.empty()) {
      activity_finding(
          {"categories of data subjects (Art. 30(1)(c))", "categorieën betrokkenen (art. 30 lid 1 sub c)"});
    }
    if (a.data_categories.empty() && a.special_categories.empty()) {
      activity_finding({"categories of personal data (Art. 30(1)(c))",
                        "categorieën persoonsgegevens (art. 30 lid 1 sub c)"});
    }
    if (a.recipients.internal.empty() && a.recipients.external.empty() && a.recipients.processors.empty()) {
      activity_finding(
          {"categories of recipients (Art. 30(1)(d))", "categorieën ontvangers (art. 30 lid 1 sub d)"});
    }
  }
}

}  // namespace

Rule Art30FieldRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

// BS018: a record kept as processor (Art. 30(2)) is incomplete. One finding
// per missing item of each processor_records entry: the controller's name and
// contact details (a), the categories of processing (b), a transfer to a
// country outside the EEA without a Chapter V safeguard (c, one finding per
// transfer) and the description of the security measures (d).
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS018-processor-record-incomplete";
  i.severity = Severity::kMedium;
  i.title = {"Record kept as processor is incomplete",
             "Register van verwerkingsactiviteiten als verwerker is onvolledig"};
  i.remediation = {
      "Complete the record the organisation keeps as processor for each controller it works for: the name "
      "and contact details of the controller, the categories of processing carried out on its behalf, any "
      "transfer to a third country with the Chapter V safeguard it relies on, and a general description of "
      "the technical and organisational security measures. A transfer outside the EEA without a safeguard "
      "must be stopped or given one (adequacy decision, standard contractual clauses, BCRs).",
      "Vul het register aan dat de organisatie als verwerker bijhoudt voor elke verwerkingsverantwoordelijke "
      "voor wie zij werkt: de naam en contactgegevens van de verwerkingsverantwoordelijke, de categorieën "
      "verwerkingen die namens haar worden uitgevoerd, elke doorgifte naar een derde land met de waarborg "
      "uit hoofdstuk V waarop die steunt, en een algemene beschrijving van de technische en organisatorische "
      "beveiligingsmaatregelen. Een doorgifte buiten de EER zonder waarborg moet stoppen of alsnog een "
      "waarborg krijgen (adequaatheidsbesluit, modelcontractbepalingen, BCR's)."};
  i.legal_sources = {
      src::Gdpr("Art. 30(2)(a)-(d) (records kept by a processor)",
                "art. 30 lid 2 onder a tot en met d (register van de verwerker)"),
      src::Gdpr("Art. 32(1) (security of processing, referred to in Art. 30(2)(d))",
                "art. 32 lid 1 (beveiliging van de verwerking, bedoeld in art. 30 lid 2 onder d)"),
      src::Gdpr("Art. 44 and 46, Chapter V (transfers to third countries, Art. 30(2)(c))",
                "art. 44 en 46, hoofdstuk V (doorgifte naar derde landen, art. 30 lid 2 onder c)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (size_t n = 0; n < ctx.reg.processor_records.size(); ++n) {
    const ProcessorRecord& rec = ctx.reg.processor_records[n];
    // 1-based like the register parser's paths ("processor_records[1].toms").
    std::string id = fmt::format("processor_records[{}]", n + 1);
    std::string who = rec.controller.empty() ? id : rec.controller;
    auto finding = [&](std::string en, std::string nl, Loc loc) {
      out.push_back(
          MakeFinding(info, SubjectKind::kRegister, id, rec.controller,
                      fmt::format("Processor record for '{}' {}", who, en),
                      fmt::format("Register van verwerkingsactiviteiten als verwerker voor '{}' {}", who, nl),
                      loc.line ? loc : rec.loc));
    };
    if (rec.controller.empty()) {
      finding("does not record the name of the controller (Art. 30(2)(a))",
              "vermeldt geen naam van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)", rec.loc);
    }
    const Contact& c = rec.controller_contact;
    if (c.email.empty() && c.phone.empty() && c.address.empty()) {
      finding("does not record the contact details of the controller (Art. 30(2)(a))",
              "vermeldt geen contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)",
              c.loc);
    }
    if (rec.categories_of_processing.empty()) {
      finding("does not record the categories of processing carried out for the controller (Art. 30(2)(b))",
              "vermeldt geen categorieën verwerkingen die voor de verwerkingsverantwoordelijke worden "
              "uitgevoerd (art. 30 lid 2 sub b)",
              rec.loc);
    }
    for (const Transfer& t : rec.transfers) {
      if (t.country.empty() || InEea(t.country) || HasSafeguard(t.safeguard)) continue;
      std::string to_en = t.recipient.empty() ? "to " : fmt::format("to '{}' in ", t.recipient);
      std::string to_nl = t.recipient.empty() ? "naar " : fmt::format("aan '{}' in ", t.recipient);
      finding(fmt::format("records a transfer {}{} (outside the EEA) without a transfer safeguard "
                          "(Art. 30(2)(c), Chapter V)",
                          to_en, t.country),
              fmt::format("vermeldt een doorgifte {}{} (buiten de EER) zonder waarborg voor doorgifte "
                          "(art. 30 lid 2 sub c, hoofdstuk V)",
                          to_nl, t.country),
              t.loc);
    }
    if (rec.toms.empty()) {
      finding("does not describe the technical and organisational security measures (Art. 30(2)(d))",
              "beschrijft geen technische en organisatorische beveiligingsmaatregelen (art. 30 lid 2 sub d)",
              rec.toms.loc);
    }
  }
}

}  // namespace

Rule ProcessorRecordRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

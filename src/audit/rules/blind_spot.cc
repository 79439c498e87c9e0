// BS001: a touchpoint seen in the HAR files that the register does not list.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS001-blind-spot";
  i.severity = Severity::kHigh;
  i.title = {"Touchpoint in use but not in the register (blind spot)",
             "Touchpoint in gebruik maar niet in het verwerkingsregister (blinde vlek)"};
  i.remediation = {
      "Add the touchpoint to the register: link it to the processing activity it serves, record the vendor "
      "and its role, and answer the touchpoint questions. If the organisation did not intend to use it, "
      "remove the tag from the website and find out how it got there.",
      "Neem het touchpoint op in het verwerkingsregister: koppel het aan de verwerking waarvoor het wordt "
      "gebruikt, leg de leverancier en diens rol vast en beantwoord de touchpointvragen. Is het gebruik niet "
      "bedoeld, verwijder de tag dan van de website en zoek uit hoe die daar terecht is gekomen."};
  i.legal_sources = {src::Gdpr("Art. 30(1) (records of processing activities)",
                               "art. 30 lid 1 (register van verwerkingsactiviteiten)"),
                     src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
                     src::Gdpr("Art. 24(1) (responsibility of the controller)",
                               "art. 24 lid 1 (verantwoordelijkheid van de verwerkingsverantwoordelijke)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.blind_spot()) continue;
    const DetectedTouchpoint& d = *row.detected;
    std::string name = row.kb && !row.kb->name.empty() ? row.kb->name : d.kb_id;
    std::string en, nl;
    if (!d.implied_by.empty() && d.evidence_count == 0) {
      en = fmt::format("{} ({}) is shown to be in use by a data signal of {}, but is not in the register",
                       name, d.kb_id, d.implied_by);
      nl = fmt::format(
          "{} ({}) blijkt in gebruik door een datasignaal van {}, maar staat niet in het "
          "verwerkingsregister",
          name, d.kb_id, d.implied_by);
    } else {
      size_t n = d.evidence_count, p = d.pages.size();
      en = fmt::format("{} ({}) was seen on {} {} ({} {}) but is not in the register", name, d.kb_id, p,
                       p == 1 ? "page" : "pages", n, n == 1 ? "piece of evidence" : "pieces of evidence");
      nl =
          fmt::format("{} ({}) is gezien op {} {} ({} {}), maar staat niet in het verwerkingsregister", name,
                      d.kb_id, p, p == 1 ? "pagina" : "pagina's", n, n == 1 ? "bewijsstuk" : "bewijsstukken");
      if (!d.implied_by.empty()) {
        en += fmt::format("; also implied by {}", d.implied_by);
        nl += fmt::format("; ook afgeleid uit {}", d.implied_by);
      }
    }
    std::vector<std::string> cats;
    for (const SignalHit& s : d.signals) {
      std::string c = s.data_category.empty() ? s.signal_id : s.data_category;
      c += " (" + s.param + ")";
      cats.push_back(c);
    }
    if (!cats.empty()) {
      en += "; data signals seen: " + Join(cats);
      nl += "; geziene datasignalen: " + Join(cats);
    }
    if (row.kb && !row.kb->vendor.processing_country.empty() && !InEea(row.kb->vendor.processing_country)) {
      // The transfer is part of what must be registered (Art. 30(1)(e)).
      auto mech = ParseTransferSafeguard(row.kb->vendor.transfer_mechanism);
      bool named = mech && *mech != TransferSafeguard::kNone;
      LocalizedText mech_name = named ? SafeguardName(*mech) : LocalizedText{};
      en += fmt::format("; the vendor processes data in {} (outside the EEA{}), so record the transfer too",
                        row.kb->vendor.processing_country, named ? "; relies on " + mech_name.en : "");
      nl += fmt::format(
          "; de leverancier verwerkt gegevens in {} (buiten de EER{}), leg dus ook de doorgifte vast",
          row.kb->vendor.processing_country, named ? "; beroept zich op " + mech_name.nl : "");
    }
    out.push_back(MakeFinding(info, SubjectKind::kDetected, d.kb_id, name, std::move(en), std::move(nl), {}));
  }
}

}  // namespace

Rule BlindSpotRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

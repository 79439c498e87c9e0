// BS009: a transfer to a country outside the EEA without a Chapter V
// safeguard. Three checks: (1) an activity's transfer to a non-EEA country
// with no safeguard, (2) a vendor in a non-EEA country with no
// transfer_safeguard, (3) a detected touchpoint whose kb vendor processes data
// outside the EEA while the register records no transfer for it (no transfer
// to its vendor in its activities, and no safeguard on its vendor).
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS009-transfer-no-safeguard";
  i.severity = Severity::kHigh;
  i.title = {"Transfer to a third country without a recorded safeguard",
             "Doorgifte naar een derde land zonder vastgelegde waarborg"};
  i.remediation = {
      "Record the transfer (recipient, country) and the Chapter V tool it relies on: an adequacy decision "
      "(for the US: the recipient's certification under the EU-US Data Privacy Framework), standard "
      "contractual clauses or BCRs with a transfer impact assessment and supplementary measures, or an "
      "Art. 49 derogation where it truly applies. Without one, stop the transfer or choose an EEA-hosted "
      "alternative.",
      "Leg de doorgifte vast (ontvanger, land) en de waarborg uit hoofdstuk V waarop die steunt: een "
      "adequaatheidsbesluit (voor de VS: certificering van de ontvanger onder het EU-VS Data Privacy "
      "Framework), modelcontractbepalingen of BCR's met een doorgiftetoetsing (TIA) en aanvullende "
      "maatregelen, of een uitzondering van art. 49 als die echt van toepassing is. Zonder waarborg: stop de "
      "doorgifte of kies een alternatief dat in de EER host."};
  i.legal_sources = {
      src::Gdpr("Art. 44 (general principle for transfers)", "art. 44 (algemeen beginsel inzake doorgiften)"),
      src::Gdpr("Art. 45 (adequacy decisions)", "art. 45 (adequaatheidsbesluiten)"),
      src::Gdpr("Art. 46 (appropriate safeguards)", "art. 46 (passende waarborgen)"),
      src::Gdpr("Art. 30(1)(e) (transfers in the records)",
                "art. 30 lid 1 onder e (doorgiften in het verwerkingsregister)"),
      src::SchremsII(),
      src::EdpbSupplementaryMeasures()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Transfer& t : a.transfers) {
      if (t.country.empty() || InEea(t.country) || HasSafeguard(t.safeguard)) continue;
      const Processor* v = ctx.Vendor(t.recipient);
      std::string recipient = v ? DisplayName(*v) : t.recipient;
      out.push_back(
          MakeFinding(info, SubjectKind::kActivity, a.id, DisplayName(a),
                      fmt::format("Activity '{}' transfers personal data to '{}' in {} without a "
                                  "transfer safeguard",
                                  DisplayName(a), recipient, t.country),
                      fmt::format("Verwerking '{}' geeft persoonsgegevens door aan '{}' in {} zonder "
                                  "waarborg voor doorgifte",
                                  DisplayName(a), recipient, t.country),
                      t.loc.line ? t.loc : a.loc));
    }
  }
  for (const Processor& p : ctx.reg.processors) {
    if (p.country.empty() || InEea(p.country) || HasSafeguard(p.transfer_safeguard)) continue;
    out.push_back(MakeFinding(
        info, SubjectKind::kProcessor, p.id, DisplayName(p),
        fmt::format(
            "Vendor '{}' is established in {} (outside the EEA) and no transfer safeguard is recorded",
            DisplayName(p), p.country),
        fmt::format(
            "Leverancier '{}' is gevestigd in {} (buiten de EER) en er is geen waarborg voor doorgifte "
            "vastgelegd",
            DisplayName(p), p.country),
        p.loc));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.kb) continue;
    const std::string& country = row.kb->vendor.processing_country;
    if (country.empty() || InEea(country)) continue;
    std::string product = row.kb->name.empty() ? row.kb_id : row.kb->name;
    // A blind spot is reported by BS001, which asks to register the touchpoint
    // with its vendor and transfer; a second finding here would only repeat it.
    if (!row.registered) continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    bool recorded = v && !InEea(v->country) && HasSafeguard(v->transfer_safeguard);
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
      for (const Transfer& t : a->transfers) {
        bool to_vendor = (!tp.vendor.empty() && t.recipient == tp.vendor) || (v && t.recipient == v->name);
        bool same_country = !t.country.empty() && t.country == country;
        if (to_vendor || same_country) recorded = true;
      }
    }
    if (recorded) continue;
    std::string en = fmt::format(
        "Touchpoint '{}' ({}) sends data to {} (outside the EEA), but the register records no transfer to "
        "its "
        "vendor",
        DisplayName(tp), product, country);
    std::string nl = fmt::format(
        "Touchpoint '{}' ({}) stuurt gegevens naar {} (buiten de EER), maar het register vermeldt geen "
        "doorgifte aan de leverancier",
        DisplayName(tp), product, country);
    auto mechanism = ParseTransferSafeguard(row.kb->vendor.transfer_mechanism);
    if (mechanism && *mechanism != TransferSafeguard::kNone) {
      LocalizedText name = SafeguardName(*mechanism);
      en += fmt::format(" (the vendor relies on: {})", name.en);
      nl += fmt::format(" (de leverancier beroept zich op: {})", name.nl);
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule TransferRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

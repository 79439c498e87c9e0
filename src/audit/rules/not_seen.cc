// BS002: a registered touchpoint of a known product that no HAR file shows.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS002-not-seen";
  i.severity = Severity::kInfo;
  i.title = {"Registered touchpoint not seen in the analysed traffic",
             "Geregistreerd touchpoint niet gezien in het geanalyseerde verkeer"};
  i.remediation = {
      "Check whether the touchpoint is still in use. If it is, capture a HAR file of the pages or flows "
      "where it runs (for example after consent, or in the checkout) and audit again. If it is no longer "
      "used, record that in the register (in use: no) so the register stays accurate.",
      "Controleer of het touchpoint nog in gebruik is. Zo ja, maak een HAR-bestand van de pagina's of "
      "stappen waar het draait (bijvoorbeeld na toestemming of in de checkout) en voer de audit opnieuw uit. "
      "Zo nee, leg dat vast in het register (in gebruik: nee), zodat het register juist blijft."};
  i.legal_sources = {src::Gdpr("Art. 5(1)(d) (accuracy)", "art. 5 lid 1 onder d (juistheid)"),
                     src::Gdpr("Art. 30(1) (records of processing activities)",
                               "art. 30 lid 1 (register van verwerkingsactiviteiten)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.not_seen() || !row.kb) continue;
    const Touchpoint& tp = *row.registered;
    if (tp.answers.in_use == false) continue;  // recorded as not in use: consistent with not seen
    std::string en, nl;
    if (ctx.detection.hars.empty()) {
      en = fmt::format(
          "Touchpoint '{}' (product {}) is registered; no HAR file was analysed, so it was not "
          "seen",
          DisplayName(tp), tp.product);
      nl = fmt::format(
          "Touchpoint '{}' (product {}) staat in het register; er is geen HAR-bestand "
          "geanalyseerd, dus het is niet gezien",
          DisplayName(tp), tp.product);
    } else {
      en = fmt::format(
          "Touchpoint '{}' (product {}) is registered but was not seen in {} HAR file(s) with {} "
          "request(s)",
          DisplayName(tp), tp.product, ctx.detection.hars.size(), ctx.detection.entries);
      nl = fmt::format(
          "Touchpoint '{}' (product {}) staat in het register, maar is niet gezien in {} "
          "HAR-bestand(en) met {} verzoek(en)",
          DisplayName(tp), tp.product, ctx.detection.hars.size(), ctx.detection.entries);
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule NotSeenRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

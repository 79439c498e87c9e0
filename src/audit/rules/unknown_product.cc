// BS016: a registered touchpoint without a product, or with a product the
// knowledge base does not know; it cannot be matched with the traffic.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS016-unknown-product";
  i.severity = Severity::kLow;
  i.title = {"Registered touchpoint with an unknown product",
             "Geregistreerd touchpoint met onbekend product"};
  i.remediation = {
      "Set the touchpoint's product to the id of a knowledge-base entry (`blindspot kb` lists them) so the "
      "audit can match it with the traffic, or add an entry for the product to the knowledge base, with "
      "sources.",
      "Vul bij het touchpoint als product de id van een entry uit de kennisbank in (`blindspot kb` toont "
      "ze), "
      "zodat de audit het met het verkeer kan vergelijken, of voeg een entry voor het product toe aan de "
      "kennisbank, met bronnen."};
  i.legal_sources = {src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
                     src::Gdpr("Art. 30(1) (records of processing activities)",
                               "art. 30 lid 1 (register van verwerkingsactiviteiten)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || row.kb) continue;
    const Touchpoint& tp = *row.registered;
    std::string en, nl;
    if (tp.product.empty()) {
      en = fmt::format("Touchpoint '{}' names no product, so it cannot be matched with the traffic",
                       DisplayName(tp));
      nl = fmt::format("Touchpoint '{}' noemt geen product en kan dus niet met het verkeer worden vergeleken",
                       DisplayName(tp));
    } else {
      en = fmt::format(
          "Touchpoint '{}' names product '{}', which the knowledge base does not know, so it cannot "
          "be matched with the traffic",
          DisplayName(tp), tp.product);
      nl = fmt::format(
          "Touchpoint '{}' noemt product '{}', dat de kennisbank niet kent, en kan dus niet met het "
          "verkeer worden vergeleken",
          DisplayName(tp), tp.product);
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule UnknownProductRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

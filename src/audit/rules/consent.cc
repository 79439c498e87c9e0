// BS006: a touchpoint that needs prior consent (kb consent_required = true)
// whose registered lawful basis is not consent. The registered basis is the
// touchpoint's own answer when given, else the bases of its activities'
// purposes (any consent purpose satisfies the rule).
#include <fmt/format.h>

#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS006-consent-required";
  i.severity = Severity::kHigh;
  i.title = {"Touchpoint requires consent but the register names another lawful basis",
             "Touchpoint vereist toestemming, maar het register noemt een andere grondslag"};
  i.remediation = {
      "Load the touchpoint only after the visitor has given prior, freely given, specific, informed and "
      "unambiguous consent through the consent banner, and record consent as the lawful basis. A pre-ticked "
      "box or continued browsing is not consent.",
      "Laad het touchpoint pas nadat de bezoeker via de cookiebanner vooraf vrije, specifieke, geïnformeerde "
      "en ondubbelzinnige toestemming heeft gegeven, en leg toestemming vast als grondslag. Een vooraf "
      "aangevinkt vakje of doorklikken is geen toestemming."};
  i.legal_sources = {
      src::TelecomWet117a(),
      src::EprivacyArt53(),
      src::Planet49(),
      src::Gdpr("Art. 6(1)(a) and Art. 7 (consent)", "art. 6 lid 1 onder a en art. 7 (toestemming)"),
      src::EdpbConsent(),
      src::ApCookies()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->consent_required.value != "true") continue;
    const Touchpoint& tp = *row.registered;
    std::vector<std::string> en_bases, nl_bases;
    bool consent = false;
    std::string where_en, where_nl;
    if (tp.answers.lawful_basis) {
      consent = *tp.answers.lawful_basis == LawfulBasis::kConsent;
      LocalizedText n = LawfulBasisName(*tp.answers.lawful_basis);
      en_bases.push_back(n.en);
      nl_bases.push_back(n.nl);
      where_en = "the touchpoint answer names";
      where_nl = "het antwoord bij het touchpoint noemt";
    } else {
      for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
        for (const Purpose& p : a->purposes) {
          if (!p.lawful_basis) continue;
          if (*p.lawful_basis == LawfulBasis::kConsent) consent = true;
          LocalizedText n = LawfulBasisName(*p.lawful_basis);
          if (std::find(en_bases.begin(), en_bases.end(), n.en) == en_bases.end()) {
            en_bases.push_back(n.en);
            nl_bases.push_back(n.nl);
          }
        }
      }
      where_en = "its activities name";
      where_nl = "de gekoppelde verwerkingen noemen";
    }
    if (consent) continue;
    std::string name = row.kb->name.empty() ? row.kb_id : row.kb->name;
    std::string en, nl;
    if (en_bases.empty()) {
      en = fmt::format(
          "Touchpoint '{}' ({}) requires prior consent, but the register records no lawful basis "
          "for it",
          DisplayName(tp), name);
      nl = fmt::format(
          "Touchpoint '{}' ({}) vereist voorafgaande toestemming, maar het register vermeldt er "
          "geen grondslag voor",
          DisplayName(tp), name);
    } else {
      en = fmt::format("Touchpoint '{}' ({}) requires prior consent, but {} {} as lawful basis",
                       DisplayName(tp), name, where_en, Join(en_bases));
      nl = fmt::format("Touchpoint '{}' ({}) vereist voorafgaande toestemming, maar {} {} als grondslag",
                       DisplayName(tp), name, where_nl, Join(nl_bases));
    }
    out.push_back(MakeFinding(info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(en),
                              std::move(nl), tp.loc));
  }
}

}  // namespace

Rule ConsentRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

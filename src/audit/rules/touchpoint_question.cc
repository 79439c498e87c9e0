// BS013: one of the touchpoint questions is unanswered. One finding per
// unanswered question: (1) in use, (2) stored by us, (3) stored by the vendor,
// (4) how people are informed (privacy statement and section), (5) which data,
// (6) lawful and proportionate (lawful basis, necessity, subsidiarity), (7) which security
// measures apply. A touchpoint answered as not in use is skipped.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS013-touchpoint-question-unanswered";
  i.severity = Severity::kLow;
  i.title = {"Touchpoint question unanswered", "Touchpointvraag niet beantwoord"};
  i.remediation = {
      "Ask the business owner of the touchpoint to answer the question in the register: whether it is in "
      "use, whether the organisation and the vendor store the data (where, how long), where the privacy "
      "statement informs people about it, which personal data it collects, on which lawful basis and why "
      "it is necessary and proportionate, and which security measures protect the data.",
      "Vraag de eigenaar van het touchpoint de vraag in het register te beantwoorden: is het in gebruik, "
      "slaan wij en de leverancier de gegevens op (waar, hoe lang), waar informeert de privacyverklaring "
      "erover, welke persoonsgegevens verzamelt het, op welke grondslag en waarom is het noodzakelijk en "
      "proportioneel, en welke beveiligingsmaatregelen de gegevens beschermen."};
  i.legal_sources = {
      src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
      src::Gdpr("Art. 32(1) (security of processing)", "art. 32 lid 1 (beveiliging van de verwerking)"),
      src::Gdpr("Art. 12(1) and 13(1) (transparency)", "art. 12 lid 1 en art. 13 lid 1 (transparantie)"),
      src::Gdpr("Art. 30(1) (records of processing activities)",
                "art. 30 lid 1 (register van verwerkingsactiviteiten)"),
      src::Wp260Transparency()};
  return i;
}

struct Question {
  int number;
  const char* en;
  const char* nl;
};

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const TouchpointAnswers& ans = tp.answers;
    if (ans.in_use == false) continue;  // not in use: the other questions do not apply
    std::vector<Question> open;
    if (!ans.in_use) open.push_back({1, "is it in use", "is het in gebruik"});
    if (!ans.stored_by_us) {
      open.push_back({2, "do we store the data", "slaan wij de gegevens op"});
    } else if (*ans.stored_by_us && ans.stored_by_us_where.empty()) {
      open.push_back({2, "where do we store the data", "waar slaan wij de gegevens op"});
    }
    if (!ans.stored_by_vendor) {
      open.push_back({3, "does the vendor store the data", "slaat de leverancier de gegevens op"});
    } else if (*ans.stored_by_vendor && ans.stored_by_vendor_details.empty()) {
      open.push_back({3, "where and how long does the vendor store the data",
                      "waar en hoe lang slaat de leverancier de gegevens op"});
    }
    if (ans.informed_statement.empty() || ans.informed_section.empty()) {
      const char* en = ans.informed_statement.empty()
                           ? "how are people informed (privacy statement and section)"
                           : "how are people informed (section of the privacy statement)";
      const char* nl = ans.informed_statement.empty()
                           ? "hoe worden betrokkenen geïnformeerd (privacyverklaring en onderdeel)"
                           : "hoe worden betrokkenen geïnformeerd (onderdeel van de privacyverklaring)";
      open.push_back({4, en, nl});
    }
    if (ans.data_collected.empty()) {
      open.push_back({5, "which personal data are collected", "welke persoonsgegevens worden verzameld"});
    }
    if (ans.lawful_basis && !ans.necessity.empty() && ans.subsidiarity.empty()) {
      open.push_back({6, "is it proportionate (subsidiarity: is there a less intrusive way)",
                      "is het proportioneel (subsidiariteit: kan het minder ingrijpend)"});
    }
    if (!ans.lawful_basis || ans.necessity.empty()) {
      const char* en = !ans.lawful_basis
                           ? (ans.necessity.empty() ? "is it lawful and proportionate (lawful basis "
                                                      "and necessity)"
                                                    : "is it lawful (lawful basis)")
                           : "is it proportionate (necessity)";
      const char* nl = !ans.lawful_basis ? (ans.necessity.empty() ? "is het rechtmatig en proportioneel "
                                                                    "(grondslag en noodzakelijkheid)"
                                                                  : "is het rechtmatig (grondslag)")
                                         : "is het proportioneel (noodzakelijkheid)";
      open.push_back({6, en, nl});
    }
    if (ans.security_measures.empty()) {
      open.push_back(
          {7, "which security measures apply", "welke beveiligingsmaatregelen zijn van toepassing"});
    }
    for (const Question& q : open) {
      out.push_back(MakeFinding(
          info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
          fmt::format("Touchpoint '{}': question {} is unanswered: {}?", DisplayName(tp), q.number, q.en),
          fmt::format("Touchpoint '{}': vraag {} is niet beantwoord: {}?", DisplayName(tp), q.number, q.nl),
          ans.loc.line ? ans.loc : tp.loc));
    }
  }
}

}  // namespace

Rule TouchpointQuestionRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

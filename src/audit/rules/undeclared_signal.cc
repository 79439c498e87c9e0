// BS015: a data signal seen in the traffic (e.g. a hashed e-mail address sent
// to Meta) whose data category the register does not declare for that
// touchpoint (answers.data_collected and its activities' data categories;
// fideslang ancestors count, so "user.contact" covers "user.contact.email").
#include <fmt/format.h>

#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS015-undeclared-data-signal";
  i.severity = Severity::kHigh;
  i.title = {"Personal data sent that the register does not declare",
             "Persoonsgegevens verstuurd die het register niet vermeldt"};
  i.remediation = {
      "Either stop sending the data (for example switch off automatic advanced matching or the form field "
      "capture in the tag settings), or declare the data category for the touchpoint and its activity, check "
      "that the purpose and lawful basis cover it, and inform data subjects in the privacy statement.",
      "Stop met het versturen van deze gegevens (zet bijvoorbeeld automatische geavanceerde matching of het "
      "uitlezen van formuliervelden uit in de tag-instellingen), of neem de categorie persoonsgegevens op "
      "bij "
      "het touchpoint en de verwerking, controleer of doel en grondslag het dekken en informeer betrokkenen "
      "in de privacyverklaring."};
  i.legal_sources = {
      src::Gdpr("Art. 5(1)(a) (lawfulness, fairness, transparency)",
                "art. 5 lid 1 onder a (rechtmatigheid, behoorlijkheid en transparantie)"),
      src::Gdpr("Art. 5(1)(c) (data minimisation)", "art. 5 lid 1 onder c (minimale gegevensverwerking)"),
      src::Gdpr("Art. 13(1) (information to be provided)", "art. 13 lid 1 (te verstrekken informatie)"),
      src::Gdpr("Art. 30(1)(c) (categories of personal data)",
                "art. 30 lid 1 onder c (categorieën persoonsgegevens)"),
      src::EdpbTargeting()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered) continue;
    const Touchpoint& tp = *row.registered;
    std::vector<std::string> declared = tp.answers.data_collected;
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
      declared.insert(declared.end(), a->data_categories.begin(), a->data_categories.end());
      for (const SpecialCategory& sc : a->special_categories) declared.push_back(sc.category);
    }
    std::vector<std::string> reported;
    for (const SignalHit& s : row.detected->signals) {
      if (s.data_category.empty() || CategoryCovered(s.data_category, declared)) continue;
      std::string key = s.data_category + "/" + s.signal_id;
      if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
      reported.push_back(key);
      std::string product = row.kb && !row.kb->name.empty() ? row.kb->name : row.kb_id;
      out.push_back(MakeFinding(
          info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
          fmt::format(
              "{} sends '{}' (parameter {}, signal {}), but touchpoint '{}' and its activities do not "
              "declare that data category",
              product, s.data_category, s.param, s.signal_id, DisplayName(tp)),
          fmt::format("{} verstuurt '{}' (parameter {}, signaal {}), maar touchpoint '{}' en de gekoppelde "
                      "verwerkingen vermelden die categorie persoonsgegevens niet",
                      product, s.data_category, s.param, s.signal_id, DisplayName(tp)),
          tp.loc));
    }
  }
}

}  // namespace

Rule UndeclaredSignalRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

// BS011: an activity without a retention period (or with an entry whose
// period is empty).
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS011-retention-missing";
  i.severity = Severity::kMedium;
  i.title = {"Retention period missing", "Bewaartermijn ontbreekt"};
  i.remediation = {
      "Record for each category of personal data how long it is kept, or the criteria that determine that "
      "period, with the reason (for example a statutory retention duty), and make sure the data is actually "
      "deleted or anonymised afterwards.",
      "Leg per categorie persoonsgegevens vast hoe lang die wordt bewaard, of de criteria die de termijn "
      "bepalen, met de reden (bijvoorbeeld een wettelijke bewaarplicht), en zorg dat de gegevens daarna "
      "echt worden verwijderd of geanonimiseerd."};
  i.legal_sources = {src::Gdpr("Art. 5(1)(e) (storage limitation)", "art. 5 lid 1 onder e (opslagbeperking)"),
                     src::Gdpr("Art. 30(1)(f) (time limits for erasure)",
                               "art. 30 lid 1 onder f (termijnen voor het wissen van de gegevens)"),
                     src::Gdpr("Art. 13(2)(a) (inform about the retention period)",
                               "art. 13 lid 2 onder a (informatie over de bewaartermijn)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.retention.empty()) {
      out.push_back(MakeFinding(
          info, SubjectKind::kActivity, a.id, DisplayName(a),
          fmt::format("Activity '{}' records no retention period (Art. 30(1)(f))", DisplayName(a)),
          fmt::format("Verwerking '{}' vermeldt geen bewaartermijn (art. 30 lid 1 sub f)", DisplayName(a)),
          a.loc));
      continue;
    }
    for (const Retention& r : a.retention) {
      if (!r.period.empty()) continue;
      std::string cat = r.data_category.empty() || r.data_category == "*" ? "all data" : r.data_category;
      std::string cat_nl =
          r.data_category.empty() || r.data_category == "*" ? "alle gegevens" : r.data_category;
      out.push_back(MakeFinding(
          info, SubjectKind::kActivity, a.id, DisplayName(a),
          fmt::format("Activity '{}' has a retention entry for '{}' without a period", DisplayName(a), cat),
          fmt::format("Verwerking '{}' heeft een bewaarregel voor '{}' zonder termijn", DisplayName(a),
                      cat_nl),
          r.loc.line ? r.loc : a.loc));
    }
  }
}

}  // namespace

Rule RetentionRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

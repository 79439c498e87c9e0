// BS007: a special category of personal data without an Art. 9(2) condition.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS007-special-category-no-condition";
  i.severity = Severity::kHigh;
  i.title = {"Special category of personal data without an Art. 9(2) exception",
             "Bijzondere categorie persoonsgegevens zonder uitzondering van art. 9 lid 2"};
  i.remediation = {
      "Processing special categories of personal data is prohibited unless one of the exceptions in "
      "Art. 9(2)(a)-(j) applies. Record the exception and its justification (for example explicit consent), "
      "or stop processing the data. A lawful basis under Art. 6 alone is not enough.",
      "Het verwerken van bijzondere categorieën persoonsgegevens is verboden, tenzij een van de "
      "uitzonderingen "
      "van art. 9 lid 2 sub a-j van toepassing is. Leg die uitzondering en de onderbouwing vast "
      "(bijvoorbeeld "
      "uitdrukkelijke toestemming), of stop met het verwerken van deze gegevens. Een grondslag van art. 6 "
      "alleen is niet genoeg."};
  i.legal_sources = {src::Gdpr("Art. 9(1)-(2) (special categories of personal data)",
                               "art. 9 leden 1 en 2 (bijzondere categorieën persoonsgegevens)"),
                     src::Gdpr("Art. 30(1)(c) (categories of personal data)",
                               "art. 30 lid 1 onder c (categorieën persoonsgegevens)"),
                     src::MetaBundeskartellamt()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const SpecialCategory& sc : a.special_categories) {
      Loc loc = sc.loc.line ? sc.loc : a.loc;
      if (!sc.condition) {
        out.push_back(
            MakeFinding(info, SubjectKind::kActivity, a.id, DisplayName(a),
                        fmt::format("Special category '{}' in activity '{}' has no Art. 9(2) exception",
                                    sc.category, DisplayName(a)),
                        fmt::format("Bijzondere categorie '{}' in verwerking '{}' heeft geen "
                                    "uitzondering van art. 9 lid 2",
                                    sc.category, DisplayName(a)),
                        loc));
      } else if (*sc.condition < 'a' || *sc.condition > 'j') {
        out.push_back(
            MakeFinding(info, SubjectKind::kActivity, a.id, DisplayName(a),
                        fmt::format("Special category '{}' in activity '{}' names Art. 9(2)({}), which "
                                    "does not exist (expected a-j)",
                                    sc.category, DisplayName(a), *sc.condition),
                        fmt::format("Bijzondere categorie '{}' in verwerking '{}' noemt art. 9 lid 2 "
                                    "sub {}, dat niet bestaat (verwacht a-j)",
                                    sc.category, DisplayName(a), *sc.condition),
                        loc));
      }
    }
  }
}

}  // namespace

Rule SpecialCategoryRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit

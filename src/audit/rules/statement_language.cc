// BS045: a privacy statement in another language than the site's audience
// (the scanned pages' language, else the register organisation's country).
#include "audit/rule.h"
#include "audit/statement_match.h"

namespace blindspot::audit {

void CheckStatementLanguage(const AuditContext& ctx, std::vector<Finding>& out) {
  if (!ctx.statements) return;
  const StatementTerms& terms = StatementTerms::Builtin();
  const std::string& country = ctx.reg.organisation.country;
  auto by_country = terms.country_languages.find(country);
  for (const Statement& st : *ctx.statements) {
    if (st.lang.empty()) continue;
    Message m;
    if (!st.audience_lang.empty()) {
      if (st.audience_lang == st.lang) continue;
      m = Message(msg::BS045::language_scan).Term("audience", "statement_language", st.audience_lang);
    } else if (by_country != terms.country_languages.end()) {
      if (by_country->second == st.lang) continue;
      m = Message(msg::BS045::language_register)
              .Text("country", country)
              .Term("audience", "statement_language", by_country->second);
    } else {
      continue;
    }
    m.Text("statement", st.name).Term("language", "statement_language", st.lang);
    out.push_back(
        ctx.Make(SubjectKind::kOrganisation, st.name, st.name, std::move(m),
                 st.audience_lang.empty() ? "organisation.country" : "organisation.privacy_statement"));
  }
}

}  // namespace blindspot::audit

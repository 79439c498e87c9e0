// BS046: a sentence of a privacy statement that denies what the evidence or
// the register shows (no tracking, no sharing, data stays in the EU), quoted.
#include "audit/rule.h"
#include "audit/statement_match.h"

namespace blindspot::audit {

void CheckStatementContradictions(const AuditContext& ctx, std::vector<Finding>& out) {
  if (!ctx.statements || ctx.statements->empty()) return;
  StatementFacts facts = FactsOf(ctx);
  for (const Statement& st : *ctx.statements) {
    StatementText text(st);
    for (const ContradictionSpec& c : StatementTerms::Builtin().contradictions) {
      const std::vector<std::string>* shown = c.when == "tracking"        ? &facts.tracking
                                              : c.when == "third_parties" ? &facts.third_parties
                                              : c.when == "eu_only"       ? &facts.outside_eea
                                                                          : nullptr;
      if (!shown || shown->empty()) continue;
      for (const StatementText::Sentence& s : text.SentencesWith(c.terms, c.unless)) {
        std::vector<MessageArg> names;
        for (const std::string& n : *shown) names.push_back(TextItem(n));
        Message m = s.section->heading.empty()
                        ? Message(msg::BS046::contradiction_no_section)
                        : Message(msg::BS046::contradiction).Text("section", s.section->heading);
        m.Text("statement", st.name)
            .Term("claim", "statement_contradiction", c.id)
            .Text("quote", Excerpt(s.text, 300))
            .Number("products", static_cast<int64_t>(shown->size()))
            .List("names", std::move(names));
        out.push_back(ctx.Make(SubjectKind::kOrganisation, st.name, st.name, std::move(m),
                               "organisation.privacy_statement"));
      }
    }
  }
}

}  // namespace blindspot::audit

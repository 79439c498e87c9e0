// BS043: an Art. 13 element that no privacy statement given mentions (one
// finding per element; the section where it belongs is quoted).
#include "audit/rule.h"
#include "audit/statement_match.h"

namespace blindspot::audit {

void CheckStatementElements(const AuditContext& ctx, std::vector<Finding>& out) {
  if (!ctx.statements || ctx.statements->empty()) return;
  const StatementTerms& terms = StatementTerms::Builtin();
  std::vector<StatementText> texts;
  std::string names;
  for (const Statement& st : *ctx.statements) {
    texts.emplace_back(st);
    if (!names.empty()) names += ", ";
    names += st.name;
  }
  StatementFacts facts = FactsOf(ctx);
  bool consent = facts.consent;
  for (const StatementText& t : texts) consent = consent || ContainsAny(t.folded(), terms.consent_terms);
  for (const StatementElementSpec& e : terms.elements) {
    if ((e.when == "dpo" && !facts.dpo) ||
        (e.when == "legitimate_interests" && !facts.legitimate_interests) ||
        (e.when == "transfer" && facts.outside_eea.empty()) || (e.when == "consent" && !consent))
      continue;
    bool mentioned = false;
    for (const StatementText& t : texts) mentioned = mentioned || ContainsAny(t.folded(), e.terms);
    if (mentioned) continue;
    const StatementSection* section = nullptr;
    for (const StatementText& t : texts)
      if (!section) section = t.SectionFor(e.section);
    Message m = section ? Message(msg::BS043::missing).Text("section", section->heading)
                        : Message(msg::BS043::missing_no_section);
    m.Text("statement", names).Term("element", "statement_element", e.id);
    out.push_back(
        ctx.Make(SubjectKind::kOrganisation, names, names, std::move(m), "organisation.privacy_statement"));
    out.back().key = e.id;  // one fingerprint per missing element
  }
}

}  // namespace blindspot::audit

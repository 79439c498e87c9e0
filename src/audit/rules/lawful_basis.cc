// BS004: a purpose without a lawful basis. Severity in context
// (docs/rules-format.md): medium for a register field left empty, high when
// the activity's touchpoints are seen sending data or when something is at
// stake (special categories, children, a public body, large scale).
#include "audit/rule.h"

namespace blindspot::audit {

void CheckLawfulBasis(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis) continue;
      Finding f = ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                           Message(msg::BS004::purpose_no_basis)
                               .Text("purpose", p.description)
                               .Text("activity", DisplayName(a)),
                           path::Field(path::Item(PathOf(a), "purposes", p.id), "lawful_basis"));
      std::vector<std::string_view> why = StakesInContext(ctx, a);
      if (SeenSendingFor(ctx, a)) why.push_back("evidence_of_sending");
      RaiseSeverity(f, why);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace blindspot::audit

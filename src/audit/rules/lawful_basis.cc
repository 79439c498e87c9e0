// BS004: a purpose without a lawful basis.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckLawfulBasis(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis) continue;
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS004::purpose_no_basis)
                                 .Text("purpose", p.description)
                                 .Text("activity", DisplayName(a)),
                             path::Field(path::Item(PathOf(a), "purposes", p.id), "lawful_basis")));
    }
  }
}

}  // namespace blindspot::audit

// BS005: a purpose on legitimate interests without a legitimate interests assessment.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckLia(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis != LawfulBasis::kLegitimateInterests || !p.lia_reference.empty()) continue;
      out.push_back(ctx.Make(
          SubjectKind::kActivity, a.id, DisplayName(a),
          Message(msg::BS005::no_lia).Text("purpose", p.description).Text("activity", DisplayName(a)),
          path::Field(path::Item(PathOf(a), "purposes", p.id), "lia_reference")));
    }
  }
}

}  // namespace blindspot::audit

// BS012: an activity without a description of its technical and organisational measures.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckToms(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (!a.toms.empty()) continue;
    out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                           Message(msg::BS012::no_toms).Text("activity", DisplayName(a)),
                           path::Field(PathOf(a), "toms")));
  }
}

}  // namespace blindspot::audit

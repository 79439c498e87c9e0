// BS028 (advisory): an activity that meets exactly one WP248 criterion and no
// item of the Dutch DPA's list (DpiaCriteriaOf) while no DPIA assessment is
// recorded (status not assessed).
#include "audit/rule.h"

namespace blindspot::audit {

void CheckDpiaOneCriterion(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.dpia.status != DpiaStatus::kNotAssessed) continue;
    DpiaCriteria c = DpiaCriteriaOf(ctx, a);
    if (!c.ap.empty() || c.wp248.size() != 1) continue;
    out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                           Message(msg::BS028::one_criterion)
                               .Text("activity", DisplayName(a))
                               .Term("criterion", "dpia_criterion", c.wp248[0]),
                           path::Field(path::Field(PathOf(a), "dpia"), "status")));
  }
}

}  // namespace blindspot::audit

// BS027: an activity that meets two or more WP248 criteria, or an item of the
// Dutch DPA's list (DpiaCriteriaOf), while its DPIA is recorded as not
// assessed or not required. The criteria met are named (Dutch list first).
#include "audit/rule.h"

namespace blindspot::audit {

void CheckDpiaIndicated(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.dpia.status != DpiaStatus::kNotAssessed && a.dpia.status != DpiaStatus::kNotRequired) continue;
    DpiaCriteria c = DpiaCriteriaOf(ctx, a);
    if (c.ap.empty() && c.wp248.size() < 2) continue;
    std::vector<MessageArg> names;
    for (std::string_view id : c.ap) names.push_back(TermItem("dpia_criterion", id));
    for (std::string_view id : c.wp248) names.push_back(TermItem("dpia_criterion", id));
    out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                           Message(msg::BS027::indicated)
                               .Text("activity", DisplayName(a))
                               .List("criteria", std::move(names))
                               .Term("status", "dpia_status", ToString(a.dpia.status)),
                           path::Field(path::Field(PathOf(a), "dpia"), "status")));
  }
}

}  // namespace blindspot::audit

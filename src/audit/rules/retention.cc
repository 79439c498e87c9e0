// BS011: an activity without a retention period, or a retention rule without a period.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckRetention(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.retention.empty()) {
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS011::no_retention).Text("activity", DisplayName(a)),
                             path::Field(PathOf(a), "retention")));
      continue;
    }
    for (const Retention& r : a.retention) {
      if (!r.period.empty()) continue;
      bool all = r.data_category.empty() || r.data_category == "*";
      Message m = all ? Message(msg::BS011::no_period_all)
                      : Message(msg::BS011::no_period).Text("category", r.data_category);
      m.Text("activity", DisplayName(a));
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a), std::move(m),
                             path::Field(path::Item(PathOf(a), "retention", r.id), "period")));
    }
  }
}

}  // namespace blindspot::audit

// BS024: a national identification number (the Dutch BSN; UAVG art. 46)
// without the law that allows it: a data category under
// user.government_id.national_identification_number, or a national_id block,
// while national_id names no law.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckNationalId(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.national_id && !a.national_id->law.empty()) continue;
    bool reported = false;
    for (size_t i = 0; i < a.data_categories.size(); ++i) {
      if (!CategoryCovered(a.data_categories[i], {"user.government_id.national_identification_number"}))
        continue;
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS024::category_no_law)
                                 .Text("activity", DisplayName(a))
                                 .Text("category", a.data_categories[i]),
                             path::Index(PathOf(a), "data_categories", i)));
      reported = true;
    }
    if (a.national_id && !reported)
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS024::block_no_law).Text("activity", DisplayName(a)),
                             path::Field(path::Field(PathOf(a), "national_id"), "law")));
  }
}

}  // namespace blindspot::audit

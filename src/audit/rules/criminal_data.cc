// BS023: criminal-offence data (Art. 10) without a recorded basis: a data
// category under user.criminal_history, or a criminal_data block, while
// criminal_data names no basis.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckCriminalData(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    if (a.criminal_data && !a.criminal_data->basis.empty()) continue;
    bool reported = false;
    for (size_t i = 0; i < a.data_categories.size(); ++i) {
      if (!CategoryCovered(a.data_categories[i], {"user.criminal_history"})) continue;
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS023::category_no_basis)
                                 .Text("activity", DisplayName(a))
                                 .Text("category", a.data_categories[i]),
                             path::Index(PathOf(a), "data_categories", i)));
      reported = true;
    }
    if (a.criminal_data && !reported)
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(msg::BS023::block_no_basis).Text("activity", DisplayName(a)),
                             path::Field(path::Field(PathOf(a), "criminal_data"), "basis")));
  }
}

}  // namespace blindspot::audit

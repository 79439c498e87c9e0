// BS007: a special category of personal data (Art. 9(1)) without an Art. 9(2) exception.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckSpecialCategory(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const SpecialCategory& sc : a.special_categories) {
      std::string p = path::Field(path::Item(PathOf(a), "special_categories", sc.id), "condition");
      Message m;
      if (!sc.condition)
        m = Message(msg::BS007::no_condition);
      else if (!IsValidArt9Condition(*sc.condition))
        m = Message(msg::BS007::bad_condition).Text("letter", std::string(1, *sc.condition));
      else
        continue;
      m.Text("category", sc.category).Text("activity", DisplayName(a));
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a), std::move(m), p));
    }
  }
}

}  // namespace blindspot::audit

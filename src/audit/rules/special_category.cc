// BS007: a special category of personal data (Art. 9(1)) without an Art. 9(2)
// exception: (1) a special category item with no or an invalid condition,
// (2) a key among an activity's ordinary data categories that is itself a
// special category (IsSpecialCategoryKey) and that no special category item
// with a valid condition covers.
#include "audit/rule.h"
#include "blindspot/fideslang.h"

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
    for (size_t i = 0; i < a.data_categories.size(); ++i) {
      const std::string& key = a.data_categories[i];
      if (!IsSpecialCategoryKey(key)) continue;
      // A special category item for the same data (or a broader key) is the
      // place of the exception; without a valid one it is reported above.
      bool listed = false;
      for (const SpecialCategory& sc : a.special_categories)
        if (CategoryCovered(key, {sc.category})) listed = true;
      if (listed) continue;
      out.push_back(ctx.Make(
          SubjectKind::kActivity, a.id, DisplayName(a),
          Message(msg::BS007::in_data_categories).Text("category", key).Text("activity", DisplayName(a)),
          path::Index(PathOf(a), "data_categories", i)));
    }
  }
}

}  // namespace blindspot::audit

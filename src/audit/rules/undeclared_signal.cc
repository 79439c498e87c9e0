// BS015: a detected data signal carries a category of personal data that
// neither the touchpoint's answers nor its activities declare.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckUndeclaredSignal(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered) continue;
    const Touchpoint& tp = *row.registered;
    std::vector<std::string> declared = tp.answers.data_collected;
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
      declared.insert(declared.end(), a->data_categories.begin(), a->data_categories.end());
      for (const SpecialCategory& sc : a->special_categories) declared.push_back(sc.category);
    }
    std::vector<std::string> reported;
    for (const SignalHit& s : row.detected->signals) {
      if (s.data_category.empty() || CategoryCovered(s.data_category, declared)) continue;
      std::string key = s.data_category + "/" + s.signal_id;
      if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
      reported.push_back(key);
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             Message(msg::BS015::undeclared)
                                 .Text("product", ProductName(row))
                                 .Text("category", s.data_category)
                                 .Text("param", s.param)
                                 .Text("signal", s.signal_id)
                                 .Text("touchpoint", DisplayName(tp)),
                             path::Field(path::Field(PathOf(tp), "answers"), "data_collected")));
    }
  }
}

}  // namespace blindspot::audit

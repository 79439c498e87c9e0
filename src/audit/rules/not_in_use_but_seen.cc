// BS017: a touchpoint answered as not in use whose product was seen.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckNotInUseButSeen(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered || row.registered->answers.in_use != false) continue;
    // Only inferred (BS020): "not in use" is the answer the inference asked for.
    if (row.detected->inferred()) continue;
    const Touchpoint& tp = *row.registered;
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                           Message(msg::BS017::seen)
                               .Text("touchpoint", DisplayName(tp))
                               .Text("kb_id", row.kb_id)
                               .Number("evidence", static_cast<int64_t>(row.detected->evidence_count)),
                           path::Field(path::Field(PathOf(tp), "answers"), "in_use")));
  }
}

}  // namespace blindspot::audit

// BS002: a registered touchpoint whose product was not seen in the evidence.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckNotSeen(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.not_seen() || !row.kb) continue;
    const Touchpoint& tp = *row.registered;
    if (tp.answers.in_use == false) continue;  // recorded as not in use: consistent with not seen
    Message m = ctx.detection.sources.empty()
                    ? Message(msg::BS002::no_evidence)
                    : Message(msg::BS002::not_seen)
                          .Number("sources", static_cast<int64_t>(ctx.detection.sources.size()))
                          .Number("requests", static_cast<int64_t>(ctx.detection.entries));
    m.Text("touchpoint", DisplayName(tp)).Text("product", tp.product);
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m), PathOf(tp)));
  }
}

}  // namespace blindspot::audit

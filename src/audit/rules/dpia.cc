// BS014: a registered touchpoint of a high-risk category (large-scale
// profiling, systematic observation) whose activities do not record whether a
// DPIA is required. A touchpoint answered as not in use and not seen is skipped.
#include <algorithm>
#include <array>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {
// Kb categories that mean large-scale profiling or systematic observation of
// behaviour, on the AP's list of processing that needs a DPIA.
constexpr std::array<std::string_view, 4> kHighRisk = {"session-recording", "custom-audience", "dmp",
                                                       "retargeting"};
}  // namespace

void CheckDpia(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb) continue;
    if (std::find(kHighRisk.begin(), kHighRisk.end(), row.kb->category) == kHighRisk.end()) continue;
    const Touchpoint& tp = *row.registered;
    if (tp.answers.in_use == false && !row.detected) continue;
    bool assessed = false;
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp))
      if (a->dpia.status != DpiaStatus::kNotAssessed) assessed = true;
    if (assessed) continue;
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                           Message(msg::BS014::not_assessed)
                               .Text("touchpoint", DisplayName(tp))
                               .Text("product", ProductName(row))
                               .Term("category", "kb_category", row.kb->category),
                           path::Field(PathOf(tp), "activities")));
  }
}

}  // namespace blindspot::audit

// BS025: a DPIA the register marks as required but not carried out (status
// required), one still in progress while a touchpoint of the activity is
// already seen in the evidence, and a completed DPIA dated before the GDPR
// applied (25 May 2018, Art. 99(2)).
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {
constexpr std::string_view kGdprApplies = "2018-05-25";
}  // namespace

void CheckDpiaRequired(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    std::string status_path = path::Field(path::Field(PathOf(a), "dpia"), "status");
    switch (a.dpia.status) {
      case DpiaStatus::kRequired:
        out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                               Message(msg::BS025::required).Text("activity", DisplayName(a)), status_path));
        break;
      case DpiaStatus::kInProgress:
        // Processing that has started while its DPIA is unfinished: the first
        // touchpoint of the activity seen in the evidence shows it.
        for (const ReconciledTouchpoint& row : ctx.touchpoints) {
          if (!row.detected || !row.registered || row.detected->inferred()) continue;
          const auto& acts = row.registered->activities;
          if (std::find(acts.begin(), acts.end(), a.id) == acts.end()) continue;
          out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                                 Message(msg::BS025::in_progress_seen)
                                     .Text("activity", DisplayName(a))
                                     .Text("touchpoint", DisplayName(*row.registered)),
                                 status_path));
          break;
        }
        break;
      case DpiaStatus::kCompleted:
        // Dates are checked by the reader (calendar dates, ISO 8601); the
        // first ten characters compare as text.
        if (a.dpia.date.size() >= 10 && a.dpia.date.substr(0, 10) < kGdprApplies)
          out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                                 Message(msg::BS025::before_gdpr)
                                     .Text("activity", DisplayName(a))
                                     .Text("date", a.dpia.date.substr(0, 10)),
                                 path::Field(path::Field(PathOf(a), "dpia"), "date")));
        break;
      default:
        break;
    }
  }
}

}  // namespace blindspot::audit

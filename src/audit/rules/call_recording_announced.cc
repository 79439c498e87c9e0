// BS050: calls recorded (touchpoint contact.call_recording) that the register
// says are not announced to the caller. An unanswered announcement is not judged.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckCallRecordingAnnounced(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const CallRecording& r = tp.contact.call_recording;
    if (!r.recorded.value_or(false) || r.announced.value_or(true) || tp.answers.in_use == false) continue;
    Message m(msg::BS050::not_announced);
    m.Text("touchpoint", DisplayName(tp));
    if (r.scope.empty())
      m.Term("scope", "call_recording_scope", "all");
    else
      m.Term("scope", "call_recording_scope", r.scope);
    out.push_back(ctx.Make(
        SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m),
        path::Field(path::Field(path::Field(PathOf(tp), "contact"), "call_recording"), "announced")));
  }
}

}  // namespace blindspot::audit

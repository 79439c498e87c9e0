// BS051: call recordings and chat transcripts kept without a retention period,
// and all calls recorded while the register names no purpose for it
// (touchpoint contact.call_recording, contact.chat_transcripts).
#include "audit/rule.h"

namespace blindspot::audit {

void CheckContactRetention(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    if (tp.answers.in_use == false) continue;
    std::string contact = path::Field(PathOf(tp), "contact");
    auto make = [&](Message m, std::string path) {
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             std::move(m.Text("touchpoint", DisplayName(tp))), std::move(path)));
    };
    const CallRecording& r = tp.contact.call_recording;
    if (r.recorded.value_or(false)) {
      std::string at = path::Field(contact, "call_recording");
      if (!r.retention_days) make(Message(msg::BS051::call_no_retention), path::Field(at, "retention_days"));
      if (r.scope == "all" && r.purpose.empty())
        make(Message(msg::BS051::all_calls_no_purpose), path::Field(at, "scope"));
    }
    const ChatTranscripts& c = tp.contact.chat_transcripts;
    if (c.stored.value_or(false) && !c.retention_days)
      make(Message(msg::BS051::chat_no_retention),
           path::Field(path::Field(contact, "chat_transcripts"), "retention_days"));
  }
}

}  // namespace blindspot::audit

// BS052: chat transcripts reused in the CRM (touchpoint
// contact.chat_transcripts.reused_in_crm) while the touchpoint's own lawful
// basis is not consent: further processing for another purpose (Art. 5(1)(b),
// 6(4) GDPR) the register shows no assessment for.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckChatTranscriptsReused(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const ChatTranscripts& c = tp.contact.chat_transcripts;
    if (!c.reused_in_crm.value_or(false) || tp.answers.in_use == false) continue;
    if (tp.answers.lawful_basis == LawfulBasis::kConsent) continue;
    out.push_back(ctx.Make(
        SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
        Message(msg::BS052::reused_in_crm).Text("touchpoint", DisplayName(tp)),
        path::Field(path::Field(path::Field(PathOf(tp), "contact"), "chat_transcripts"), "reused_in_crm")));
  }
}

}  // namespace blindspot::audit

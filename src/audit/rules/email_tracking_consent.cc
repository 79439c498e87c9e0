// BS053: e-mail opens or clicks tracked per recipient (touchpoint
// contact.email_tracking) without the recipients' consent (EDPB Guidelines
// 2/2023: a tracking pixel in an e-mail is within Art. 5(3) ePrivacy).
// Aggregate measurement and unanswered facts are not judged.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckEmailTrackingConsent(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const EmailTracking& e = tp.contact.email_tracking;
    bool opens = e.open_tracking.value_or(false);
    bool clicks = e.click_tracking.value_or(false);
    if (!(opens || clicks) || !e.per_recipient.value_or(false) || e.consent.value_or(false)) continue;
    if (tp.answers.in_use == false) continue;
    std::string_view what = opens && clicks ? "both" : opens ? "open" : "click";
    out.push_back(
        ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                 Message(msg::BS053::per_recipient)
                     .Text("touchpoint", DisplayName(tp))
                     .Text("tracking", std::string(what)),
                 path::Field(path::Field(path::Field(PathOf(tp), "contact"), "email_tracking"), "consent")));
  }
}

}  // namespace blindspot::audit

// BS039: a list upload to an ad platform whose register entry does not name
// the privacy statement and the section that tell people about the upload.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckAudienceListStatement(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    if (!IsListUpload(ctx, tp)) continue;
    const TouchpointAnswers& a = tp.answers;
    if (!a.informed_statement.empty() && !a.informed_section.empty()) continue;
    std::string answers = path::Field(PathOf(tp), "answers");
    Message m(a.informed_statement.empty() ? msg::BS039::no_statement : msg::BS039::no_section);
    m.Text("touchpoint", DisplayName(tp)).Text("product", ProductName(ctx, tp));
    if (!a.informed_statement.empty()) m.Text("statement", a.informed_statement);
    out.push_back(ctx.Make(
        SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m),
        path::Field(answers, a.informed_statement.empty() ? "informed_statement" : "informed_section")));
  }
}

}  // namespace blindspot::audit

// BS010: a joint controller without a signed Art. 26 arrangement, and a
// registered touchpoint whose vendor is a joint controller (kb claim) while
// the register names no vendor, or one in another role without a signed
// arrangement. A touchpoint seen only as links (LinkOnly) is skipped.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckJointController(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Processor& p : ctx.reg.processors) {
    if (p.role != VendorRole::kJointController || p.agreement.status == AgreementStatus::kSigned) continue;
    out.push_back(ctx.Make(SubjectKind::kProcessor, p.id, DisplayName(p),
                           Message(msg::BS010::unsigned_)
                               .Text("processor", DisplayName(p))
                               .Term("status", "agreement_status", ToString(p.agreement.status)),
                           path::Field(path::Field(PathOf(p), "agreement"), "status")));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->role.value != VendorRole::kJointController) continue;
    // A link seen in the pages runs nothing: not the vendor's tracking, not joint control.
    if (row.detected && LinkOnly(*row.detected)) continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    if (v && (v->role == VendorRole::kJointController || v->agreement.status == AgreementStatus::kSigned))
      continue;
    Message m = !v ? Message(msg::BS010::no_vendor)
                   : Message(msg::BS010::wrong_role)
                         .Text("vendor", DisplayName(*v))
                         .Term("role", "vendor_role", ToString(v->role));
    m.Text("touchpoint", DisplayName(tp)).Text("product", ProductName(row));
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m),
                           path::Field(PathOf(tp), "vendor")));
  }
}

}  // namespace blindspot::audit

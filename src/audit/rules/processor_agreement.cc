// BS008: a processor without a signed data processing agreement (Art. 28(3)),
// or whose signed agreement ended (`expires`) before the evidence was captured,
// and a registered touchpoint whose vendor acts as processor (kb claim) while
// the register names no vendor, an unknown one, or one in another role
// without a signed agreement.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckProcessorAgreement(const AuditContext& ctx, std::vector<Finding>& out) {
  // An agreement that ended is judged by the date of the evidence (the core has no clock).
  const std::string captured = ctx.detection.LastCaptureDate();
  for (const Processor& p : ctx.reg.processors) {
    if (p.role != VendorRole::kProcessor) continue;
    if (p.agreement.status == AgreementStatus::kSigned) {
      if (p.agreement.expires.empty() || captured.empty() || p.agreement.expires.substr(0, 10) >= captured)
        continue;
      out.push_back(ctx.Make(SubjectKind::kProcessor, p.id, DisplayName(p),
                             Message(msg::BS008::expired)
                                 .Text("processor", DisplayName(p))
                                 .Text("expires", p.agreement.expires.substr(0, 10))
                                 .Text("captured", captured),
                             path::Field(path::Field(PathOf(p), "agreement"), "expires")));
      continue;
    }
    out.push_back(ctx.Make(SubjectKind::kProcessor, p.id, DisplayName(p),
                           Message(msg::BS008::unsigned_)
                               .Text("processor", DisplayName(p))
                               .Term("status", "agreement_status", ToString(p.agreement.status)),
                           path::Field(path::Field(PathOf(p), "agreement"), "status")));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->role.value != VendorRole::kProcessor) continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    Message m;
    if (!v && tp.vendor.empty()) {
      m = Message(msg::BS008::no_vendor);
    } else if (!v) {
      m = Message(msg::BS008::unknown_vendor).Text("vendor", tp.vendor);
    } else if (v->role != VendorRole::kProcessor && v->agreement.status != AgreementStatus::kSigned) {
      m = Message(msg::BS008::wrong_role)
              .Text("vendor", DisplayName(*v))
              .Term("role", "vendor_role", ToString(v->role));
    } else {
      continue;  // processor role: reported above if unsigned
    }
    m.Text("touchpoint", DisplayName(tp)).Text("product", ProductName(row));
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m),
                           path::Field(PathOf(tp), "vendor")));
  }
}

}  // namespace blindspot::audit

// BS026: a registered touchpoint whose vendor the register calls a processor
// while the kb finds that vendor a joint or independent controller for the
// product; one finding per (vendor, product). A touchpoint seen only as links
// (wa.me, m.me, tel:) is skipped: a link sends nothing until it is clicked.
#include <set>
#include <utility>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckRoleContradictsKb(const AuditContext& ctx, std::vector<Finding>& out) {
  std::set<std::pair<std::string, std::string>> done;
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb || row.kb->role.value == VendorRole::kProcessor) continue;
    if (row.detected && LinkOnly(*row.detected)) continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    if (!v || v->role != VendorRole::kProcessor) continue;
    if (!done.emplace(v->id, row.kb_id).second) continue;
    Message signed_ =
        v->agreement.status == AgreementStatus::kSigned ? Message(msg::BS026::signed_agreement) : Message();
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                           Message(msg::BS026::processor_role)
                               .Text("vendor", DisplayName(*v))
                               .Text("touchpoint", DisplayName(tp))
                               .Text("product", ProductName(row))
                               .Term("kb_role", "vendor_role", ToString(row.kb->role.value))
                               .Sub("agreement", signed_),
                           path::Field(PathOf(tp), "vendor")));
  }
}

}  // namespace blindspot::audit

// BS016: a registered touchpoint whose product the knowledge base does not know.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckUnknownProduct(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || row.kb) continue;
    const Touchpoint& tp = *row.registered;
    Message m = tp.product.empty() ? Message(msg::BS016::no_product)
                                   : Message(msg::BS016::unknown_product).Text("product", tp.product);
    m.Text("touchpoint", DisplayName(tp));
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m),
                           path::Field(PathOf(tp), "product")));
  }
}

}  // namespace blindspot::audit

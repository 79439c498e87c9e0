// BS047: a touchpoint whose own requests or cookies were seen and whose
// product or vendor no privacy statement names (the rows: statement_vendor.cc).
#include "audit/rule.h"

namespace blindspot::audit {

void ReportUnnamedVendors(const AuditContext& ctx, bool want_active, std::vector<Finding>& out);

void CheckStatementVendorsActive(const AuditContext& ctx, std::vector<Finding>& out) {
  ReportUnnamedVendors(ctx, true, out);
}

}  // namespace blindspot::audit

// BS019: a third party that a filter list flags and no kb entry explains.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckUnidentifiedTracker(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const UnidentifiedTracker& t : ctx.detection.unidentified) {
    std::string hosts;
    for (const std::string& h : t.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
    Message m(msg::BS019::flagged);
    m.Text("domain", t.registrable_domain)
        .Number("requests", static_cast<int64_t>(t.requests))
        .Text("hosts", hosts)
        .Text("list", t.list)
        .Number("line", static_cast<int64_t>(t.line))
        .Text("filter", t.filter);
    out.push_back(ctx.Make(SubjectKind::kDetected, "unidentified:" + t.registrable_domain,
                           t.registrable_domain, std::move(m), ""));
  }
}

}  // namespace blindspot::audit

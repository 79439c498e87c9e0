// BS033: a cookie in the browser before consent (the before-consent phase's
// cookie jar) that the recorded cookie declaration (the consent manager's
// list, or a page's cookie table, in any phase of the scan) does not name.
// A scan without a declaration is not judged.
#include <set>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckCookieNotDeclared(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    const PhaseObservations* before = nullptr;
    bool declared = false;
    for (const PhaseObservations& o : scan) {
      if (o.phase == ConsentPhase::kBeforeConsent) before = &o;
      declared = declared || !o.scan->cmp_categories.empty() || !o.scan->page_declarations.empty();
    }
    if (!before || !declared) continue;
    auto named = [&](const std::string& cookie) {
      for (const PhaseObservations& o : scan)
        if (o.scan->Declares(cookie)) return true;
      return false;
    };
    std::set<std::pair<std::string, std::string>> done;
    for (const ScanCookie& c : before->scan->cookies) {
      if (named(c.name) || !done.insert({c.name, c.domain}).second) continue;
      const KbEntry* owner = CookieOwner(ctx.kb, c.name);
      std::string id = owner ? owner->id : c.name;
      std::string name = owner ? (owner->name.empty() ? owner->id : owner->name) : c.name;
      out.push_back(ctx.Make(SubjectKind::kDetected, id, name,
                             Message(msg::BS033::not_declared)
                                 .Text("cookie", c.name)
                                 .Text("domain", c.domain)
                                 .Text("source", before->scan->file),
                             ""));
    }
  }
}

}  // namespace blindspot::audit

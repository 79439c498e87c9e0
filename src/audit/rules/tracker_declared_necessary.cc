// BS032: a cookie that the consent manager's declaration (or a cookie table
// on a page) puts in an always-active / strictly-necessary category, while the
// kb names it as a cookie of a product that needs consent. One finding per
// cookie name and scan.
#include <set>

#include "audit/ascii.h"
#include "audit/rule.h"

namespace blindspot::audit {

namespace {

// A category name that says "strictly necessary" (the words consent managers
// use in English, Dutch and German; matched, never shown).
bool SaysNecessary(std::string_view name) {
  std::string n = AsciiLower(name);
  for (std::string_view w : {"necessary", "essential", "noodzakelijk", "essentieel", "notwendig",
                             "erforderlich", "essenziell", "unbedingt"})
    if (n.find(w) != std::string::npos) return true;
  return false;
}

bool AlwaysActive(const DeclaredCategory& c) {
  return AsciiLower(c.status) == "always active" || c.id == "C0001" || SaysNecessary(c.name);
}

}  // namespace

void CheckTrackerDeclaredNecessary(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    std::set<std::string> done;
    auto flag = [&](const std::string& cookie, const std::string& category, const std::string& file) {
      const KbEntry* owner = ConsentCookieOwner(ctx.kb, cookie);
      if (!owner || owner->category == "consent-management" || !done.insert(cookie).second) return;
      std::string product = owner->name.empty() ? owner->id : owner->name;
      out.push_back(ctx.Make(SubjectKind::kDetected, owner->id, product,
                             Message(msg::BS032::declared_necessary)
                                 .Text("cookie", cookie)
                                 .Text("product", product)
                                 .Text("category", category)
                                 .Text("source", file),
                             ""));
    };
    for (const PhaseObservations& o : scan) {
      for (const DeclaredCategory& c : o.scan->cmp_categories)
        if (AlwaysActive(c))
          for (const DeclaredCookie& k : c.cookies)
            flag(k.name, c.name.empty() ? c.id : c.name, o.scan->file);
      for (const PageDeclarationRow& row : o.scan->page_declarations)
        if (row.cells.size() >= 3 && SaysNecessary(row.cells[2]))
          flag(row.cells[0], row.cells[2], o.scan->file);
    }
  }
}

}  // namespace blindspot::audit

// BS033: a cookie in the browser before consent (the before-consent phase's
// cookie jar) that the cookie declaration does not name: the one the scan
// recorded (the consent manager's list, or a page's cookie table, in any phase
// of the scan) and the consent manager's declaration given as a discovery file
// (declared-cookie observations of cmp-cookiebot, cmp-onetrust). A scan with no
// declaration of either kind is not judged.
#include <set>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

// Whether a declared name covers a cookie: equal, or a family written with a
// trailing "*", a "#" for the variable part (Cookiebot: "_ga_#"), a run of
// "x" (OneTrust: "_ga_xxxxxxxxxx"), or a Cookiebot name pattern whose literal
// start is the declared name followed by a group with a literal start
// ("^_gat(_.+)*$" for "_gat" covers "_gat_UA-1", not "_gatx").
bool Covers(const Observation& d, std::string_view cookie) {
  std::string_view name = d.key;
  if (name.empty()) return false;
  if (name == cookie) return true;
  auto prefix = [&](std::string_view p) { return !p.empty() && cookie.starts_with(p); };
  if (name.ends_with('*')) return prefix(name.substr(0, name.size() - 1));
  if (size_t hash = name.find('#'); hash != std::string_view::npos)
    return prefix(name.substr(0, hash)) && cookie.ends_with(name.substr(hash + 1)) &&
           cookie.size() > name.size() - 1;
  size_t xs = name.size();
  while (xs > 0 && (name[xs - 1] == 'x' || name[xs - 1] == 'X')) --xs;
  if (name.size() - xs >= 3) return prefix(name.substr(0, xs)) && cookie.size() > xs;
  std::string_view pattern = d.Attr("pattern");
  if (pattern.starts_with('^')) {
    size_t end = 1;
    while (end < pattern.size() &&
           std::string_view("()[]{}.*+?|\\$").find(pattern[end]) == std::string_view::npos)
      ++end;
    std::string_view literal = pattern.substr(1, end - 1);
    if (literal != name || end >= pattern.size() || pattern[end] != '(') return false;
    // The group's own literal start ("_" of "(_.+)*"): "_gat_UA-1", not "_gatx".
    size_t more = end + 1;
    while (more < pattern.size() &&
           std::string_view("()[]{}.*+?|\\$").find(pattern[more]) == std::string_view::npos)
      ++more;
    std::string_view group = pattern.substr(end + 1, more - end - 1);
    return !group.empty() && cookie.starts_with(std::string(literal) + std::string(group));
  }
  return false;
}

}  // namespace

void CheckCookieNotDeclared(const AuditContext& ctx, std::vector<Finding>& out) {
  // The declarations given as files, and their report names.
  std::vector<const Observation*> file_declared;
  std::vector<MessageArg> files;
  for (const DiscoverySource& ds : ctx.detection.discoveries) {
    bool any = false;
    for (const Observation& o : ds.report->observations)
      if (o.kind == ObservationKind::kDeclaredCookie) {
        file_declared.push_back(&o);
        any = true;
      }
    if (any) files.push_back(TextItem(ds.name));
  }
  for (const auto& scan : ObservationsPerScan(ctx)) {
    const PhaseObservations* before = nullptr;
    bool declared = false;
    for (const PhaseObservations& o : scan) {
      if (o.phase == ConsentPhase::kBeforeConsent) before = &o;
      declared = declared || !o.scan->cmp_categories.empty() || !o.scan->page_declarations.empty();
    }
    if (!before || (!declared && file_declared.empty())) continue;
    auto named = [&](const std::string& cookie) {
      for (const PhaseObservations& o : scan)
        if (o.scan->Declares(cookie)) return true;
      for (const Observation* d : file_declared)
        if (Covers(*d, cookie)) return true;
      return false;
    };
    std::set<std::pair<std::string, std::string>> done;
    for (const ScanCookie& c : before->scan->cookies) {
      if (named(c.name) || !done.insert({c.name, c.domain}).second) continue;
      const KbEntry* owner = CookieOwner(ctx.kb, c.name);
      std::string id = owner ? owner->id : c.name;
      std::string name = owner ? (owner->name.empty() ? owner->id : owner->name) : c.name;
      Message m(files.empty() ? msg::BS033::not_declared : msg::BS033::not_in_file);
      m.Text("cookie", c.name).Text("domain", c.domain).Text("source", before->scan->file);
      if (!files.empty()) m.List("files", files).Text("scan", declared ? "yes" : "no");
      out.push_back(ctx.Make(SubjectKind::kDetected, id, name, std::move(m), ""));
    }
  }
}

}  // namespace blindspot::audit

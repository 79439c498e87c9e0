// BS042: browsing on was taken as consent, as the before-consent phase of a
// live scan shows it (the scanner visits several pages without touching the
// banner): the IAB TCF consent string records consent for a purpose on a page
// (pages[].tc_string), or a product that needs consent was not contacted on
// the first page but on every later page that loaded, at least two
// (pages[].third_party_hosts). Conservative: a product on only some later
// pages (an embed) or already on the first page (BS022/BS035) is not
// reported; a scan without the fields is not judged.
#include <map>
#include <set>

#include "audit/rule.h"
#include "blindspot/tc_string.h"

namespace blindspot::audit {

namespace {

bool HostMatches(std::string_view host, std::string_view sig) {
  if (host == sig) return true;
  return host.size() > sig.size() && host.ends_with(sig) && host[host.size() - sig.size() - 1] == '.';
}

// The kb entry that names `host` as a request host of its own (a signature on
// the host alone, no path: shared hosts are left out; the longest host wins),
// when it needs consent.
const KbEntry* ConsentProductOfHost(const Kb& kb, std::string_view host) {
  const KbEntry* best = nullptr;
  size_t best_len = 0;
  for (const KbEntry& e : kb.entries()) {
    for (const RequestSignature& s : e.signatures.requests)
      if (s.host != "*" && s.path_prefix.empty() && s.path.empty() && s.query_has.empty() &&
          s.host.size() > best_len && HostMatches(host, s.host)) {
        best = &e;
        best_len = s.host.size();
      }
  }
  return best && best->consent_required.value ? best : nullptr;
}

}  // namespace

void CheckBrowsingAsConsent(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    for (const PhaseObservations& o : scan) {
      if (o.phase != ConsentPhase::kBeforeConsent) continue;
      const ScanObservations& s = *o.scan;
      if (s.consent.action != "none" && !s.consent.action.empty()) continue;  // something was clicked
      BannerSubject who = BannerOf(ctx, s, o.source);
      // 1. Consent in the TCF string without a click.
      for (const ScanPage& p : s.pages) {
        if (p.tc_string.empty()) continue;
        auto tc = ParseTcString(p.tc_string);
        if (!tc || tc->purposes_consent.empty()) continue;
        std::string purposes;
        for (int n : tc->purposes_consent) purposes += (purposes.empty() ? "" : ", ") + std::to_string(n);
        out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                               Message(msg::BS042::tcf_consent_without_click)
                                   .Text("banner", who.name)
                                   .Text("purposes", purposes)
                                   .Number("page", static_cast<int64_t>(p.index))
                                   .Text("url", p.url)
                                   .Text("source", s.file),
                               ""));
        break;  // the first page that shows it
      }
      // 2. A product of the template that starts from the second page on.
      if (s.pages.empty() || s.pages.front().failed || !s.pages.front().has_hosts) continue;
      std::vector<const ScanPage*> later;
      for (size_t i = 1; i < s.pages.size(); ++i)
        if (!s.pages[i].failed && s.pages[i].has_hosts) later.push_back(&s.pages[i]);
      if (later.size() < 2) continue;
      std::set<std::string> first_products;
      for (const std::string& h : s.pages.front().third_party_hosts)
        if (const KbEntry* e = ConsentProductOfHost(ctx.kb, h)) first_products.insert(e->id);
      // Per product: the hosts it used and on how many later pages it was seen.
      std::map<std::string, std::pair<std::set<std::string>, size_t>> seen;
      std::vector<std::string> order;
      for (const ScanPage* p : later) {
        std::set<std::string> on_page;
        for (const std::string& h : p->third_party_hosts) {
          const KbEntry* e = ConsentProductOfHost(ctx.kb, h);
          if (!e || first_products.count(e->id)) continue;
          if (!seen.count(e->id)) order.push_back(e->id);
          seen[e->id].first.insert(h);
          on_page.insert(e->id);
        }
        for (const std::string& id : on_page) ++seen[id].second;
      }
      for (const std::string& id : order) {
        const auto& [hosts, pages] = seen[id];
        if (pages != later.size()) continue;
        const KbEntry* e = ctx.kb.Find(id);
        std::vector<MessageArg> host_list;
        for (const std::string& h : hosts) host_list.push_back(TextItem(h));
        out.push_back(ctx.Make(SubjectKind::kDetected, id, e ? e->name : id,
                               Message(msg::BS042::tracker_after_first_page)
                                   .Text("product", e ? e->name : id)
                                   .List("hosts", std::move(host_list))
                                   .Number("pages", static_cast<int64_t>(later.size()))
                                   .Text("source", s.file),
                               ""));
      }
    }
  }
}

}  // namespace blindspot::audit

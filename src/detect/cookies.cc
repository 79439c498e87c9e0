// Cookie names: exact names and prefixes ("_ga_*") of the kb.
//
// A cookie name is evidence for a product only in the product's context
// (issue 6 §2): it is kept as pending while the capture is read and attached
// at the end of the source only when
//   - the entry was detected in the same source by something other than a
//     cookie (a request, a link, an HTML marker), and
//   - the cookie was sent to or set by one of the entry's own request hosts,
//     or it is one of the entry's `first_party_cookies` (set by the product's
//     script) on the site's own eTLD+1.
// So a generic name ("uid", "id", "IDE") never identifies a product on its
// own, and a name that happens to equal a kb cookie on an unrelated host is
// ignored. A Set-Cookie that deletes the cookie (Max-Age <= 0, or an expiry
// before the capture) is not a cookie being set and is ignored.
#include <algorithm>
#include <cstdlib>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

namespace {

// "YYYYMMDD" as a number from an ISO date ("2022-01-24T10:00:00Z") or an HTTP
// date ("Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 01-Jan-2027 10:00:00 GMT");
// 0 when it cannot be read.
long DateKey(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  auto num = [](std::string_view t, size_t n) -> long {
    if (t.size() < n) return -1;
    long v = 0;
    for (size_t i = 0; i < n; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    long y = num(s, 4), m = num(s.substr(5), 2), d = num(s.substr(8), 2);
    if (y < 0 || m < 0 || d < 0) return 0;
    return y * 10000 + m * 100 + d;
  }
  size_t comma = s.find(',');
  if (comma != std::string_view::npos) s.remove_prefix(comma + 1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  // "01 Jan 1970" or "01-Jan-1970" (two-digit years are read as 19xx/20xx).
  long d = num(s, 2);
  if (d < 0 || s.size() < 7) return 0;
  std::string_view mon = s.substr(3, 3);
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  long m = 0;
  for (int i = 0; i < 12; ++i)
    if (mon.size() == 3 && Lower(mon[0]) == kMonths[i][0] && Lower(mon[1]) == kMonths[i][1] &&
        Lower(mon[2]) == kMonths[i][2])
      m = i + 1;
  if (m == 0) return 0;
  std::string_view rest = s.substr(7);
  long y = num(rest, 4);
  if (y < 0) {
    y = num(rest, 2);
    if (y < 0) return 0;
    y += y < 70 ? 2000 : 1900;
  }
  return y * 10000 + m * 100 + d;
}

}  // namespace

namespace detect_internal {

bool IsCookieDeletion(const Cookie& c, std::string_view started) {
  std::string_view x = c.expires;
  if (x.empty()) return false;
  if (x.size() > 8 && StartsWithNoCase(x, "max-age=")) {
    std::string_view v = x.substr(8);
    if (!v.empty() && v.front() == '-') return true;
    for (char ch : v)
      if (ch != '0') return false;
    return true;  // Max-Age=0
  }
  long exp = DateKey(x);
  if (exp == 0) return false;
  long now = DateKey(started);
  return now ? exp < now : exp < 20000101;
}

}  // namespace detect_internal

void Detector::Impl::MatchCookie(const Cookie& c, EvidenceKind kind, const EvidenceRecord& e) {
  std::string_view name = c.name;
  if (name.empty()) return;
  if (kind == EvidenceKind::kSetCookie && IsCookieDeletion(c, e.started)) return;
  auto pend = [&](CookieRef ref, std::string_view pattern) {
    PendingCookie p;
    p.entry = ref.entry;
    p.first_party = ref.first_party;
    p.kind = kind;
    p.pattern = std::string(pattern);
    p.name = std::string(name);
    p.domain = std::string(c.domain);
    p.expires = std::string(c.expires);
    p.host = host_buf;
    p.pageref = std::string(e.pageref);
    p.index = e.index;
    pending_cookies.push_back(std::move(p));
  };
  auto it = d.cookie_exact.find(name);
  if (it != d.cookie_exact.end())
    for (CookieRef ref : it->second) pend(ref, it->first);
  const auto& bucket = d.cookie_prefix[static_cast<unsigned char>(name[0])];
  for (const auto& [prefix, ref] : bucket) {
    if (!name.starts_with(prefix)) continue;
    // The pattern as written in the kb ("_ga_*").
    pend(ref, std::string_view(prefix.data(), prefix.size() + 1));
  }
}

bool Detector::Impl::EntryOwnsHost(uint32_t entry, std::string_view host) const {
  if (host.empty()) return false;
  for (const RequestSignature& rs : kb.entries()[entry].signatures.requests)
    if (HostMatches(host, rs.host)) return true;
  return false;
}

void Detector::Impl::ResolveCookies(const std::set<std::string>& first_party_domains) {
  for (const PendingCookie& p : pending_cookies) {
    Tp& tp = tps[p.entry];
    if (!tp.active || !tp.direct) continue;
    std::string cookie_host = p.domain;
    while (!cookie_host.empty() && cookie_host.front() == '.') cookie_host.erase(0, 1);
    for (char& ch : cookie_host) ch = Lower(ch);
    bool own = EntryOwnsHost(p.entry, p.host) || EntryOwnsHost(p.entry, cookie_host);
    bool first_party =
        p.first_party && (first_party_domains.count(Regdom(p.host)) > 0 ||
                          (!cookie_host.empty() && first_party_domains.count(Regdom(cookie_host)) > 0));
    if (!own && !first_party) continue;
    EvidenceRecord rec;
    rec.pageref = p.pageref;
    rec.index = p.index;
    AddEvidence(
        p.entry, p.kind, p.name,
        [&](EvidenceItem& item) {
          item.signature = p.pattern;
          item.cookie_name = p.name;
          item.cookie_domain = p.domain;
          item.cookie_expires = p.expires;
        },
        rec, true);
  }
  pending_cookies.clear();
  // Keep this source's items in capture order: the cookies were added last.
  for (Tp& tp : tps) {
    if (!tp.active) continue;
    size_t from = tp.ev_source.size();
    while (from > 0 && tp.ev_source[from - 1] == source_seq) --from;
    std::stable_sort(tp.out.evidence.begin() + static_cast<std::ptrdiff_t>(from), tp.out.evidence.end(),
                     [](const EvidenceItem& a, const EvidenceItem& b) { return a.entry < b.entry; });
  }
}

}  // namespace blindspot

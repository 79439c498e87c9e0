// Sources and parties: where each source begins and ends, the pages its
// records belong to, its first-party domains (eTLD+1) and third-party hosts.
#include <unordered_map>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::BeginSource(const std::string& name, const std::string& kind) {
  ++source_seq;
  source_name = name;
  source_kind = kind;
  source_hosts.clear();
  first_doc_url.clear();
  first_url.clear();
  for (Tp& tp : tps) tp.pending_pagerefs.clear();
  pending_cookies.clear();
  pending_requests.clear();
}

const std::string& Detector::Impl::Regdom(const std::string& host) {
  auto it = regdom_cache.find(std::string_view(host));
  if (it != regdom_cache.end()) return it->second;
  return regdom_cache.emplace(host, RegistrableDomain(host)).first->second;
}

std::optional<std::string> Detector::Impl::DomainOfUrlish(std::string_view text) {
  size_t sp = text.find_first_of(" \t");
  std::string_view tok = text.substr(0, sp);
  ParsedUrl u;
  if (!ParseUrl(tok, &u) || u.host.empty()) return std::nullopt;
  if (!StartsWithNoCase(u.scheme, "http") || (u.scheme.size() != 4 && u.scheme.size() != 5) ||
      (u.scheme.size() == 5 && Lower(u.scheme[4]) != 's'))
    return std::nullopt;
  std::string h;
  LowerHost(u.host, &h);
  return Regdom(h);
}

void Detector::Impl::EndSource(const SourceSummary& summary) {
  const std::vector<Page>& pages = summary.pages;
  // First-party domains of this source.
  std::set<std::string> fp;
  for (const Page& p : pages)
    if (auto dom = DomainOfUrlish(p.title)) fp.insert(*dom);
  if (fp.empty()) {
    const std::string& doc = !first_doc_url.empty() ? first_doc_url : first_url;
    if (auto dom = DomainOfUrlish(doc)) fp.insert(*dom);
  }
  for (const auto& [host, st] : source_hosts) {
    const std::string& rd = Regdom(host);
    if (fp.count(rd)) continue;
    ThirdPartyHost& t = third_party[host];
    t.host = host;
    t.registrable_domain = rd;
    t.requests += st.requests;
    t.matched = t.matched || st.matched;
  }
  first_party.insert(fp.begin(), fp.end());
  ResolveCookies(fp);
  ClassifyUnmatched(fp);

  // Resolve pagerefs to page titles for what this source added.
  std::unordered_map<std::string, std::string> titles;
  for (const Page& p : pages) titles[p.id] = p.title.empty() ? p.id : p.title;
  std::string fallback = !first_doc_url.empty() ? MaskUrl(first_doc_url, kMaxValue)
                                                : (first_url.empty() ? "" : MaskUrl(first_url, kMaxValue));
  auto resolve = [&](const std::string& ref) -> std::string {
    if (ref.empty()) return fallback;
    auto it = titles.find(ref);
    return it != titles.end() ? it->second : ref;
  };
  for (Tp& tp : tps) {
    if (!tp.active) continue;
    for (size_t i = 0; i < tp.out.evidence.size(); ++i)
      if (tp.ev_source[i] == source_seq) tp.out.evidence[i].page = resolve(tp.out.evidence[i].page);
    for (const std::string& ref : tp.pending_pagerefs) {
      std::string p = resolve(ref);
      if (!p.empty()) tp.out.pages.insert(std::move(p));
    }
    tp.pending_pagerefs.clear();
  }
  result.sources.push_back({source_name, source_kind});
  result.pages.insert(result.pages.end(), pages.begin(), pages.end());
  result.entries += summary.entries;
  result.bytes += summary.bytes;
  source_hosts.clear();
}

}  // namespace blindspot

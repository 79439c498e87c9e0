// Sources and parties: where each source begins and ends, the pages its
// records belong to (titles and URLs masked), its first-party domains (eTLD+1)
// and third-party hosts, and the warnings about it.
#include <unordered_map>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

Result<std::string> ParseFirstParty(std::string_view given) {
  std::string d(given);
  auto bad = [&](std::string what, std::string hint = {}) -> Result<std::string> {
    return MakeError(ErrorKind::kUsage, "--first-party '" + std::string(given) + "': " + what, {},
                     "a domain name such as shop.example.nl",
                     hint.empty() ? "give the site's domain without scheme, path or port" : hint);
  };
  if (d.empty()) return bad("empty");
  if (d.find("://") != std::string::npos || d.find('/') != std::string::npos)
    return bad("a URL, not a domain",
               "give only the host name, e.g. shop.example.nl for https://shop.example.nl/");
  if (d.find('@') != std::string::npos) return bad("an e-mail address, not a domain");
  for (char& c : d) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return bad("not ASCII", "write an internationalised domain in its xn-- (punycode) form");
    c = Lower(c);
  }
  if (d.back() == '.') d.pop_back();
  if (d.empty() || d.size() > 253) return bad("not a domain name (length)");
  size_t labels = 0;
  bool all_numeric = true;
  for (size_t start = 0; start <= d.size();) {
    size_t dot = d.find('.', start);
    if (dot == std::string::npos) dot = d.size();
    std::string_view label(d.data() + start, dot - start);
    if (label.empty() || label.size() > 63) return bad("has an empty or too long label");
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok)
        return bad(std::string("has the character '") + c + "'", "a domain has letters, digits, '-' and '.'");
      if (c < '0' || c > '9') all_numeric = false;
    }
    if (label.front() == '-' || label.back() == '-') return bad("has a label that starts or ends with '-'");
    ++labels;
    start = dot + 1;
  }
  if (all_numeric) return bad("an IP address, not a domain");
  if (labels < 2) return bad("a single label, not a domain", "give the full domain, e.g. example.nl");
  if (IsPublicSuffix(d))
    return bad(
        "a public suffix (a name under which anyone can register domains, like co.uk or github.io), not a "
        "site's domain");
  return RegistrableDomain(d);
}

void Detector::Impl::BeginSource(const std::string& name, const std::string& kind, ConsentPhase phase) {
  ++source_seq;
  source_name = name;
  source_kind = kind;
  source_phase = phase;
  source_first_capture.clear();
  source_last_capture.clear();
  source_hosts.clear();
  source_doc = FirstDocument{};
  page_docs.clear();
  source_has_types = false;
  for (Tp& tp : tps) tp.pending_pagerefs.clear();
  pending_cookies.clear();
  pending_requests.clear();
  pending_carried.clear();
}

void Detector::Impl::NoteDocument(const EvidenceRecord& e, bool by_type) {
  auto note = [&](FirstDocument& doc) {
    if (by_type) {
      if (doc.by_type.empty()) doc.by_type = std::string(e.url);
      return;
    }
    bool navigation = e.fetch_dest.empty() ? e.referer.empty() : e.fetch_dest == "document";
    if (navigation && doc.navigation.empty()) doc.navigation = std::string(e.url);
    if (doc.html.empty()) doc.html = std::string(e.url);
  };
  note(source_doc);
  auto it = page_docs.find(e.pageref);
  if (it == page_docs.end()) it = page_docs.emplace(std::string(e.pageref), FirstDocument{}).first;
  note(it->second);
}

const std::string& Detector::Impl::FirstDocumentOf(const FirstDocument& doc) const {
  if (source_has_types) return doc.by_type;
  return !doc.navigation.empty() ? doc.navigation : doc.html;
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
  static const std::string kNone;
  auto page_doc = [&](const std::string& id) -> const std::string& {
    auto it = page_docs.find(std::string_view(id));
    return it == page_docs.end() ? kNone : FirstDocumentOf(it->second);
  };
  // First-party domains of this source.
  std::set<std::string> fp(options.first_party.begin(), options.first_party.end());
  if (fp.empty()) {
    for (const Page& p : pages) {
      std::optional<std::string> dom = DomainOfUrlish(p.url);
      if (!dom) dom = DomainOfUrlish(p.title);
      if (!dom) dom = DomainOfUrlish(page_doc(p.id));
      if (dom) fp.insert(*dom);
    }
    if (fp.empty())
      if (auto dom = DomainOfUrlish(FirstDocumentOf(source_doc))) fp.insert(*dom);
  }
  uint64_t warnings = summary.warning_count;
  std::vector<ReadWarning> own;
  if (fp.empty() && !source_hosts.empty()) {  // (without hosts nothing depends on it)
    ReadWarning w;
    w.issue = ReadIssue::kNoFirstParty;
    w.action = ReadAction::kAllThirdParty;
    own.push_back(std::move(w));
    ++warnings;
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

  // Resolve pagerefs to page labels (masked) for what this source added.
  std::unordered_map<std::string, std::string> labels;
  for (const Page& p : pages) {
    const std::string& label = !p.title.empty()          ? p.title
                               : !p.url.empty()          ? p.url
                               : !page_doc(p.id).empty() ? page_doc(p.id)
                                                         : p.id;
    labels[p.id] = MaskText(label);
  }
  const std::string& doc = FirstDocumentOf(source_doc);
  std::string fallback = doc.empty() ? std::string() : MaskUrl(doc, kMaxValue);
  auto resolve = [&](const std::string& ref) -> std::string {
    if (ref.empty()) return fallback;
    auto it = labels.find(ref);
    return it != labels.end() ? it->second : MaskText(ref);
  };
  ResolveCarried(fp, resolve);
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
  result.sources.push_back({source_name, source_kind, warnings, source_phase, source_observations,
                            source_first_capture, source_last_capture});
  for (const Page& p : pages) {
    Page m = p;
    m.title = MaskText(p.title);
    m.url = MaskText(p.url);
    result.pages.push_back(std::move(m));
  }
  for (const ReadWarning& w : summary.warnings) {
    result.warnings.push_back(w);
    result.warnings.back().source = source_name;
  }
  for (ReadWarning& w : own) {
    w.source = source_name;
    result.warnings.push_back(std::move(w));
  }
  result.warning_count += warnings;
  for (const auto& [issue, n] : summary.warning_counts) result.warning_counts[issue] += n;
  if (!own.empty()) result.warning_counts[ReadIssue::kNoFirstParty] += own.size();
  result.entries += summary.entries;
  result.bytes += summary.bytes;
  source_hosts.clear();
  page_docs.clear();
}

}  // namespace blindspot

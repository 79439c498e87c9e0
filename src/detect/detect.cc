// Detection: HAR entries -> touchpoints, by the knowledge base's signatures.
//
// At construction the Kb's signatures are compiled into lookups:
//   - request signatures: hash map from lower-case host to candidate
//     signatures (sorted most specific first), looked up for the request host
//     and each parent suffix ("a.b.c" -> "a.b.c", "b.c", "c");
//   - cookie names: exact hash map + prefix lists bucketed by first byte;
//   - link prefixes, HTML markers and "tel:"/"mailto:": one multi-pattern
//     scanner (body_scanner.h), run over HTML bodies only; a link is the
//     URL-like token around a link-prefix occurrence;
//   - data signals: per kb entry, checked only on requests attributed to it.
// Observe() does no allocation on the common path (a request that matches
// nothing and carries no known cookie) beyond the per-HAR host counter.
#include "blindspot/detect.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "body_scanner.h"
#include "url_util.h"

namespace blindspot {

std::string_view ToString(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kRequest:
      return "request";
    case EvidenceKind::kCookie:
      return "cookie";
    case EvidenceKind::kSetCookie:
      return "set-cookie";
    case EvidenceKind::kLink:
      return "link";
    case EvidenceKind::kHtmlMarker:
      return "html-marker";
  }
  return "unknown";
}

const DetectedTouchpoint* DetectionResult::Find(std::string_view kb_id) const {
  auto it = std::lower_bound(touchpoints.begin(), touchpoints.end(), kb_id,
                             [](const DetectedTouchpoint& t, std::string_view id) { return t.kb_id < id; });
  if (it != touchpoints.end() && it->kb_id == kb_id) return &*it;
  return nullptr;
}

namespace {

using detect_internal::DecodeName;
using detect_internal::ForEachParamName;
using detect_internal::HostMatches;
using detect_internal::LowerHost;
using detect_internal::MaskUrl;
using detect_internal::ParsedUrl;
using detect_internal::ParseUrl;
using detect_internal::StartsWithNoCase;

struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <class V>
using SvMap = std::unordered_map<std::string_view, V, StringViewHash, std::equal_to<>>;
template <class V>
using StrMap = std::unordered_map<std::string, V, StringViewHash, std::equal_to<>>;

struct CompiledRequest {
  uint32_t entry = 0;
  const RequestSignature* sig = nullptr;
  size_t score = 0;  // query_has count * 4096 + path_prefix length: higher = more specific
};

struct CompiledSignal {
  uint32_t entry = 0;
  const DataSignal* sig = nullptr;
  std::string_view pattern;  // without the trailing '*'
  bool prefix = false;
  int implies = -1;  // kb entry index, or -1
};

struct Pattern {
  std::string text;  // lower-case for links; as written for markers/cookies
  uint32_t entry = 0;
};

// Per-touchpoint state while detecting.
struct Tp {
  bool active = false;
  bool direct = false;  // has evidence of its own (not only via another entry's signal)
  DetectedTouchpoint out;
  std::vector<uint32_t> ev_har;                         // HAR sequence number of each kept evidence item
  std::set<std::string, std::less<>> pending_pagerefs;  // pagerefs seen in the current HAR
};

struct HostStat {
  uint64_t requests = 0;
  bool matched = false;
};

constexpr size_t kMaxValue = 300;
constexpr size_t kShortCookie = 2;

}  // namespace

struct Detector::Impl {
  const Kb& kb;
  std::deque<std::string> storage;        // owns lower-cased hosts used as map keys
  SvMap<std::vector<uint32_t>> host_map;  // host -> indexes into requests
  std::vector<CompiledRequest> requests;
  SvMap<std::vector<uint32_t>> cookie_exact;  // name -> kb entry indexes
  std::array<std::vector<std::pair<std::string_view, uint32_t>>, 256> cookie_prefix;
  bool any_cookie_prefix_empty = false;
  std::vector<Pattern> link_prefixes;
  std::vector<Pattern> markers;
  enum class BodyKind : uint8_t { kMarker, kLink, kTel, kMailto };
  struct BodyPattern {
    BodyKind kind;
    uint32_t index;  // into markers / link_prefixes
  };
  detect_internal::BodyScanner scanner;
  std::vector<BodyPattern> body_patterns;  // by scanner pattern id
  std::vector<uint64_t> marker_seen;       // body sequence number a marker was last found in
  uint64_t body_seq = 0;
  std::vector<std::vector<CompiledSignal>> signals;  // by kb entry index
  size_t max_link_prefix = 0;

  // Detection state.
  std::vector<Tp> tps;  // by kb entry index
  uint32_t har_seq = 0;
  std::string har_name;
  std::vector<HarPage> begin_pages;
  StrMap<HostStat> har_hosts;  // hosts of the current HAR
  std::string first_doc_url;   // first document request of the current HAR
  std::string first_url;       // first request of the current HAR
  StrMap<std::string> regdom_cache;
  std::map<std::string, ThirdPartyHost> third_party;
  std::set<std::string> first_party;
  DetectionResult result;

  // Scratch (reused to avoid allocation).
  std::string host_buf;
  std::vector<std::string> names;  // decoded parameter names of the current request
  size_t n_names = 0;
  bool names_ready = false;
  std::vector<uint32_t> matched;

  explicit Impl(const Kb& k) : kb(k) { Compile(); }

  void Compile() {
    const auto& entries = kb.entries();
    signals.resize(entries.size());
    tps.resize(entries.size());
    SvMap<uint32_t> id_index;
    for (uint32_t i = 0; i < entries.size(); ++i) id_index.emplace(entries[i].id, i);
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const KbEntry& e = entries[i];
      for (const RequestSignature& rs : e.signatures.requests) {
        std::string h = LowerHost(rs.host);
        while (!h.empty() && h.back() == '.') h.pop_back();
        if (h.empty()) continue;
        CompiledRequest cr;
        cr.entry = i;
        cr.sig = &rs;
        cr.score = rs.query_has.size() * 4096 + rs.path_prefix.size();
        requests.push_back(cr);
        auto it = host_map.find(std::string_view(h));
        if (it == host_map.end()) {
          storage.push_back(std::move(h));
          it = host_map.emplace(std::string_view(storage.back()), std::vector<uint32_t>{}).first;
        }
        it->second.push_back(static_cast<uint32_t>(requests.size() - 1));
      }
      for (const std::string& c : e.signatures.cookies) {
        if (c.empty()) continue;
        if (c.back() == '*') {
          std::string_view p(c.data(), c.size() - 1);
          if (p.empty()) continue;  // "*" alone would match every cookie: ignore
          cookie_prefix[static_cast<unsigned char>(p[0])].emplace_back(p, i);
        } else {
          auto& v = cookie_exact[std::string_view(c)];
          if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
        }
      }
      for (const std::string& l : e.signatures.links) {
        if (l.empty()) continue;
        std::string low = l;
        for (char& ch : low) ch = detect_internal::Lower(ch);
        max_link_prefix = std::max(max_link_prefix, low.size());
        link_prefixes.push_back({std::move(low), i});
      }
      for (const std::string& m : e.signatures.html_markers) {
        if (!m.empty()) markers.push_back({m, i});
      }
      for (const DataSignal& ds : e.data_signals) {
        if (ds.param.empty()) continue;
        CompiledSignal cs;
        cs.entry = i;
        cs.sig = &ds;
        cs.prefix = ds.param.back() == '*';
        cs.pattern = std::string_view(ds.param).substr(0, ds.param.size() - (cs.prefix ? 1 : 0));
        if (!ds.implies.empty()) {
          auto it = id_index.find(std::string_view(ds.implies));
          if (it != id_index.end()) cs.implies = static_cast<int>(it->second);
        }
        signals[i].push_back(cs);
      }
    }
    for (uint32_t i = 0; i < markers.size(); ++i) {
      scanner.Add(markers[i].text, /*nocase=*/false);
      body_patterns.push_back({BodyKind::kMarker, i});
    }
    for (uint32_t i = 0; i < link_prefixes.size(); ++i) {
      scanner.Add(link_prefixes[i].text, /*nocase=*/true);
      body_patterns.push_back({BodyKind::kLink, i});
    }
    scanner.Add("tel:", true);
    body_patterns.push_back({BodyKind::kTel, 0});
    scanner.Add("mailto:", true);
    body_patterns.push_back({BodyKind::kMailto, 0});
    scanner.Build();
    marker_seen.assign(markers.size(), 0);
    for (auto& [host, idx] : host_map) {
      std::stable_sort(idx.begin(), idx.end(),
                       [&](uint32_t a, uint32_t b) { return requests[a].score > requests[b].score; });
    }
  }

  // --- URL classification -------------------------------------------------

  // Calls has(name) for query_has checks. Appends to `out` the kb entries of
  // the most specific matching signatures (the longest matching host suffix,
  // then the highest score). Returns true when something matched.
  template <class HasParam>
  bool MatchRequest(std::string_view host, std::string_view path, HasParam&& has, std::vector<uint32_t>* out,
                    const CompiledRequest** first) const {
    std::string_view h = host;
    while (!h.empty()) {
      auto it = host_map.find(h);
      if (it != host_map.end()) {
        size_t best = 0;
        bool found = false;
        for (uint32_t ri : it->second) {
          const CompiledRequest& cr = requests[ri];
          if (found && cr.score < best) break;
          if (!cr.sig->path_prefix.empty() && !path.starts_with(cr.sig->path_prefix)) continue;
          bool ok = true;
          for (const std::string& q : cr.sig->query_has) {
            if (!has(std::string_view(q))) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          if (!found) {
            found = true;
            best = cr.score;
            if (first) *first = &cr;
            if (!out) return true;
          }
          if (std::find(out->begin(), out->end(), cr.entry) == out->end()) out->push_back(cr.entry);
        }
        if (found) return true;
      }
      size_t dot = h.find('.');
      if (dot == std::string_view::npos) break;
      h.remove_prefix(dot + 1);
    }
    return false;
  }

  // --- Parameters -----------------------------------------------------------

  void AddName(std::string_view raw) {
    if (raw.empty()) return;
    if (n_names == names.size()) names.emplace_back();
    DecodeName(raw, &names[n_names++]);
  }

  // Collects decoded parameter names from the query and, for form-encoded or
  // JSON POST bodies, from the body (JSON: top-level keys only).
  void CollectNames(const ParsedUrl& u, const HarEntry& e) {
    if (names_ready) return;
    names_ready = true;
    n_names = 0;
    ForEachParamName(u.query, [&](std::string_view n) { AddName(n); });
    if (e.post_text.empty()) return;
    std::string_view mime = e.post_mime;
    std::string_view body = e.post_text;
    size_t ws = body.find_first_not_of(" \t\r\n");
    bool json_like = ws != std::string_view::npos && body[ws] == '{';
    if (mime.find("json") != std::string_view::npos || (mime.empty() && json_like)) {
      if (json_like)
        detect_internal::ForEachJsonTopKey(body, [&](std::string_view k) {
          if (k.empty()) return;
          if (n_names == names.size()) names.emplace_back();
          detect_internal::UnescapeJsonKey(k, &names[n_names++]);
        });
    } else if (mime.find("x-www-form-urlencoded") != std::string_view::npos ||
               (mime.empty() && body.find('=') != std::string_view::npos && !json_like)) {
      ForEachParamName(body, [&](std::string_view n) { AddName(n); });
    } else if (mime.starts_with("text/plain") && body.find('=') != std::string_view::npos &&
               body.find_first_of(" \n") == std::string_view::npos) {
      // sendBeacon payloads are often form-encoded with a text/plain type.
      ForEachParamName(body, [&](std::string_view n) { AddName(n); });
    }
  }

  bool HasName(std::string_view n) const {
    for (size_t i = 0; i < n_names; ++i)
      if (names[i] == n) return true;
    return false;
  }

  // --- Evidence ---------------------------------------------------------------

  Tp& TouchpointFor(uint32_t entry) {
    Tp& tp = tps[entry];
    if (!tp.active) {
      tp.active = true;
      tp.out.kb_id = kb.entries()[entry].id;
      tp.out.kb = &kb.entries()[entry];
    }
    return tp;
  }

  // `value` is called only when the item is kept.
  template <class ValueFn>
  void AddEvidence(uint32_t entry, EvidenceKind kind, ValueFn&& value, std::string_view signature,
                   const HarEntry& e, bool direct, std::string_view dedup_key = {}) {
    Tp& tp = TouchpointFor(entry);
    tp.out.evidence_count++;
    if (direct) tp.direct = true;
    if (tp.pending_pagerefs.find(e.pageref) == tp.pending_pagerefs.end())
      tp.pending_pagerefs.emplace(e.pageref);
    if (tp.out.evidence.size() >= DetectedTouchpoint::kMaxEvidence) return;
    // Keep distinct items: the same (kind, value) within one HAR is counted but not kept twice.
    auto seen = [&](std::string_view v) {
      for (size_t i = 0; i < tp.out.evidence.size(); ++i)
        if (tp.ev_har[i] == har_seq && tp.out.evidence[i].kind == kind && tp.out.evidence[i].value == v)
          return true;
      return false;
    };
    if (!dedup_key.empty() && seen(dedup_key)) return;
    EvidenceItem item;
    item.kind = kind;
    item.value = value();
    if (dedup_key.empty() && seen(item.value)) return;
    item.page = std::string(e.pageref);
    item.har = har_name;
    item.entry = e.index;
    item.signature = std::string(signature);
    tp.out.evidence.push_back(std::move(item));
    tp.ev_har.push_back(har_seq);
  }

  static std::string RequestSigText(const CompiledRequest& cr) {
    if (!cr.sig->description.empty()) return cr.sig->description;
    std::string s = cr.sig->host + cr.sig->path_prefix;
    for (const std::string& q : cr.sig->query_has) s += (s.find('?') == std::string::npos ? "?" : "&") + q;
    return s;
  }

  void MatchSignals(uint32_t entry, const ParsedUrl& u, const HarEntry& e) {
    const auto& sigs = signals[entry];
    if (sigs.empty()) return;
    CollectNames(u, e);
    if (n_names == 0) return;
    for (const CompiledSignal& cs : sigs) {
      const DataSignal& ds = *cs.sig;
      if (!ds.host.empty() && !HostMatches(host_buf, ds.host)) continue;
      if (!ds.path_prefix.empty() && !u.path.starts_with(ds.path_prefix)) continue;
      for (size_t i = 0; i < n_names; ++i) {
        const std::string& n = names[i];
        bool hit = cs.prefix ? std::string_view(n).starts_with(cs.pattern) : n == cs.pattern;
        if (!hit) continue;
        RecordSignal(cs, n, u, e);
        break;
      }
    }
  }

  void RecordSignal(const CompiledSignal& cs, const std::string& param, const ParsedUrl& u,
                    const HarEntry& e) {
    const DataSignal& ds = *cs.sig;
    auto add_hit = [&](Tp& tp) {
      // One hit per signal and parameter: ud[em] and ud[ph] share the id
      // "advanced-matching" but carry different personal data.
      for (const SignalHit& h : tp.out.signals)
        if (h.signal_id == ds.id && h.param == param) return;
      SignalHit hit;
      hit.signal_id = ds.id;
      hit.param = param;
      hit.data_category = ds.data_category;
      hit.har = har_name;
      hit.entry = e.index;
      hit.example_url = MaskUrl(e.url, kMaxValue);
      tp.out.signals.push_back(std::move(hit));
    };
    add_hit(TouchpointFor(cs.entry));
    if (cs.implies >= 0) {
      uint32_t target = static_cast<uint32_t>(cs.implies);
      std::string sig = "signal " + ds.id + " (" + param + ") of " + kb.entries()[cs.entry].id;
      AddEvidence(
          target, EvidenceKind::kRequest, [&] { return MaskUrl(e.url, kMaxValue); }, sig, e,
          /*direct=*/false);
      Tp& tp = TouchpointFor(target);
      if (tp.out.implied_by.empty()) tp.out.implied_by = kb.entries()[cs.entry].id;
      add_hit(tp);
    }
  }

  void MatchCookie(std::string_view name, EvidenceKind kind, const HarEntry& e) {
    if (name.empty()) return;
    auto it = cookie_exact.find(name);
    if (it != cookie_exact.end()) {
      for (uint32_t entry : it->second) {
        // Names of up to kShortCookie bytes ("fr", "RT") are too generic to
        // prove anything on their own: they count only on requests attributed to
        // the same entry (e.g. "fr" sent to facebook.com, not a language cookie).
        if (name.size() <= kShortCookie && std::find(matched.begin(), matched.end(), entry) == matched.end())
          continue;
        AddEvidence(
            entry, kind, [&] { return std::string(name); }, it->first, e, true, name);
      }
    }
    const auto& bucket = cookie_prefix[static_cast<unsigned char>(name[0])];
    for (const auto& [prefix, entry] : bucket) {
      if (name.starts_with(prefix)) {
        // Signature text: the pattern as written in the kb ("_ga_*").
        std::string_view pattern(prefix.data(), prefix.size() + 1);
        AddEvidence(
            entry, kind, [&] { return std::string(name); }, pattern, e, true, name);
      }
    }
  }

  void ScanHtml(const HarEntry& e) {
    std::string_view body = e.body;
    ++body_seq;
    size_t last_link_start = std::string_view::npos;
    scanner.Scan(body, [&](uint32_t id, size_t pos) {
      const BodyPattern& bp = body_patterns[id];
      switch (bp.kind) {
        case BodyKind::kMarker: {
          if (marker_seen[bp.index] == body_seq) return;  // once per body
          marker_seen[bp.index] = body_seq;
          const Pattern& m = markers[bp.index];
          std::string sig = "html marker " + m.text;
          AddEvidence(
              m.entry, EvidenceKind::kHtmlMarker, [&] { return m.text; }, sig, e, true, m.text);
          return;
        }
        case BodyKind::kTel:
        case BodyKind::kMailto: {
          // "hotel:" is no link: the scheme must start a token.
          if (pos > 0 && std::isalnum(static_cast<unsigned char>(body[pos - 1]))) return;
          (bp.kind == BodyKind::kTel ? result.tel_links : result.mailto_links)++;
          return;
        }
        case BodyKind::kLink: {
          size_t start = 0;
          std::string_view link = detect_internal::UrlTokenAt(body, pos, &start);
          if (start == last_link_start) return;  // same token, already matched against every prefix
          last_link_start = start;
          MatchLink(link, e);
          return;
        }
      }
    });
  }

  // Matches a link (a URL-like token) against the kb link prefixes: the
  // prefix must start the link, or its remainder after "scheme://", "//" or
  // "www.".
  void MatchLink(std::string_view link, const HarEntry& e) {
    if (link_prefixes.empty()) return;
    std::string_view rest = link;
    size_t colon = link.find("://");
    if (colon != std::string_view::npos && colon < 16) {
      rest = link.substr(colon + 3);
    } else if (link.starts_with("//")) {
      rest = link.substr(2);
    }
    std::string_view no_www = StartsWithNoCase(rest, "www.") ? rest.substr(4) : std::string_view();
    for (const Pattern& p : link_prefixes) {
      bool hit = StartsWithNoCase(rest, p.text) || StartsWithNoCase(link, p.text) ||
                 (!no_www.empty() && StartsWithNoCase(no_www, p.text));
      if (!hit) continue;
      std::string sig = "link " + p.text;
      bool phone_like = StartsWithNoCase(link, "tel:") || StartsWithNoCase(link, "mailto:");
      AddEvidence(
          p.entry, EvidenceKind::kLink,
          [&] {
            // tel:/mailto: carry a number or address: keep only the scheme.
            if (phone_like) return std::string(link.substr(0, link.find(':') + 1)) + "…";
            return MaskUrl(link, kMaxValue);
          },
          sig, e, true);
    }
  }

  // --- Observe ---------------------------------------------------------------

  void Observe(const HarEntry& e) {
    ParsedUrl u;
    bool has_url = ParseUrl(e.url, &u);
    if (first_url.empty() && !e.url.empty()) first_url = std::string(e.url);
    if (first_doc_url.empty() && e.resource_type == "document") first_doc_url = std::string(e.url);
    names_ready = false;
    matched.clear();
    if (has_url) {
      LowerHost(u.host, &host_buf);
      HostStat* hs = nullptr;
      auto is = [&](std::string_view sch) {
        return u.scheme.size() == sch.size() && StartsWithNoCase(u.scheme, sch);
      };
      bool web = is("https") || is("http") || is("wss") || is("ws");
      if (web && !host_buf.empty()) {
        auto it = har_hosts.find(std::string_view(host_buf));
        if (it == har_hosts.end()) it = har_hosts.emplace(host_buf, HostStat{}).first;
        hs = &it->second;
        hs->requests++;
      }
      matched.clear();
      const CompiledRequest* first = nullptr;
      bool m = MatchRequest(
          host_buf, u.path,
          [&](std::string_view q) {
            CollectNames(u, e);
            return HasName(q);
          },
          &matched, &first);
      if (m) {
        if (hs) hs->matched = true;
        for (uint32_t entry : matched) {
          // Find this entry's best signature text on this host for the evidence.
          const CompiledRequest* cr = first;
          if (cr->entry != entry) cr = FindSignatureFor(entry, u);
          std::string sig = cr ? RequestSigText(*cr) : std::string();
          AddEvidence(
              entry, EvidenceKind::kRequest, [&] { return MaskUrl(e.url, kMaxValue); }, sig, e, true);
        }
        // Copy: RecordSignal may not touch `matched`, but keep it simple and safe.
        for (uint32_t entry : matched) MatchSignals(entry, u, e);
      }
    }
    for (const HarCookie& c : e.request_cookies) MatchCookie(c.name, EvidenceKind::kCookie, e);
    for (const HarCookie& c : e.response_cookies) MatchCookie(c.name, EvidenceKind::kSetCookie, e);
    if (!e.body.empty() && StartsWithNoCase(e.mime_type, "text/html")) ScanHtml(e);
  }

  const CompiledRequest* FindSignatureFor(uint32_t entry, const ParsedUrl& u) const {
    std::string_view h = host_buf;
    while (!h.empty()) {
      auto it = host_map.find(h);
      if (it != host_map.end()) {
        for (uint32_t ri : it->second)
          if (requests[ri].entry == entry &&
              (requests[ri].sig->path_prefix.empty() || u.path.starts_with(requests[ri].sig->path_prefix)))
            return &requests[ri];
      }
      size_t dot = h.find('.');
      if (dot == std::string_view::npos) break;
      h.remove_prefix(dot + 1);
    }
    return nullptr;
  }

  // --- HAR boundaries --------------------------------------------------------

  void BeginHar(const std::string& name, const HarSummary& pages) {
    ++har_seq;
    har_name = name;
    begin_pages = pages.pages;
    har_hosts.clear();
    first_doc_url.clear();
    first_url.clear();
    for (Tp& tp : tps) tp.pending_pagerefs.clear();
  }

  const std::string& Regdom(const std::string& host) {
    auto it = regdom_cache.find(std::string_view(host));
    if (it != regdom_cache.end()) return it->second;
    return regdom_cache.emplace(host, RegistrableDomain(host)).first->second;
  }

  std::optional<std::string> DomainOfUrlish(std::string_view text) {
    size_t sp = text.find_first_of(" \t");
    std::string_view tok = text.substr(0, sp);
    ParsedUrl u;
    if (!ParseUrl(tok, &u) || u.host.empty()) return std::nullopt;
    if (!StartsWithNoCase(u.scheme, "http") || (u.scheme.size() != 4 && u.scheme.size() != 5) ||
        (u.scheme.size() == 5 && detect_internal::Lower(u.scheme[4]) != 's'))
      return std::nullopt;
    std::string h;
    LowerHost(u.host, &h);
    return Regdom(h);
  }

  void EndHar(const HarSummary& summary) {
    std::vector<HarPage> pages = summary.pages.empty() ? begin_pages : summary.pages;
    // First-party domains of this HAR.
    std::set<std::string> fp;
    for (const HarPage& p : pages) {
      if (auto d = DomainOfUrlish(p.title)) fp.insert(*d);
    }
    if (fp.empty()) {
      const std::string& doc = !first_doc_url.empty() ? first_doc_url : first_url;
      if (auto d = DomainOfUrlish(doc)) fp.insert(*d);
    }
    for (const auto& [host, st] : har_hosts) {
      const std::string& rd = Regdom(host);
      if (fp.count(rd)) continue;
      ThirdPartyHost& t = third_party[host];
      t.host = host;
      t.registrable_domain = rd;
      t.requests += st.requests;
      t.matched = t.matched || st.matched;
    }
    first_party.insert(fp.begin(), fp.end());

    // Resolve pagerefs to page titles for what this HAR added.
    std::unordered_map<std::string, std::string> titles;
    for (const HarPage& p : pages) titles[p.id] = p.title.empty() ? p.id : p.title;
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
        if (tp.ev_har[i] == har_seq) tp.out.evidence[i].page = resolve(tp.out.evidence[i].page);
      for (const std::string& ref : tp.pending_pagerefs) {
        std::string p = resolve(ref);
        if (!p.empty()) tp.out.pages.insert(std::move(p));
      }
      tp.pending_pagerefs.clear();
    }
    result.hars.push_back(har_name);
    result.pages.insert(result.pages.end(), pages.begin(), pages.end());
    result.entries += summary.entries;
    result.bytes += summary.bytes;
    har_hosts.clear();
  }

  DetectionResult Finish() {
    DetectionResult r = std::move(result);
    result = DetectionResult{};
    for (Tp& tp : tps) {
      if (!tp.active) continue;
      if (tp.direct) tp.out.implied_by.clear();
      r.touchpoints.push_back(std::move(tp.out));
      tp = Tp{};
    }
    std::sort(r.touchpoints.begin(), r.touchpoints.end(),
              [](const DetectedTouchpoint& a, const DetectedTouchpoint& b) { return a.kb_id < b.kb_id; });
    for (auto& [host, t] : third_party) r.third_party_hosts.push_back(std::move(t));
    third_party.clear();
    r.first_party_domains.assign(first_party.begin(), first_party.end());
    first_party.clear();
    return r;
  }
};

Detector::Detector(const Kb& kb) : impl_(std::make_unique<Impl>(kb)) {}
Detector::~Detector() = default;

void Detector::BeginHar(const std::string& har_name, const HarSummary& pages_so_far) {
  impl_->BeginHar(har_name, pages_so_far);
}
void Detector::Observe(const HarEntry& entry) { impl_->Observe(entry); }
void Detector::EndHar(const HarSummary& summary) { impl_->EndHar(summary); }
DetectionResult Detector::Finish() { return impl_->Finish(); }

const KbEntry* Detector::ClassifyUrl(std::string_view url) const {
  ParsedUrl u;
  if (!ParseUrl(url, &u)) return nullptr;
  char buf[256];
  std::string_view host = u.host;
  std::string big;
  if (detect_internal::NeedsLowering(host)) {
    if (host.size() <= sizeof(buf)) {
      for (size_t i = 0; i < host.size(); ++i) buf[i] = detect_internal::Lower(host[i]);
      host = std::string_view(buf, host.size());
    } else {
      LowerHost(host, &big);
      host = big;
    }
  }
  const CompiledRequest* first = nullptr;
  std::string scratch;
  bool m = impl_->MatchRequest(
      host, u.path,
      [&](std::string_view q) {
        bool found = false;
        ForEachParamName(u.query, [&](std::string_view raw) {
          if (found) return;
          if (raw.find_first_of("%+") == std::string_view::npos) {
            found = raw == q;
          } else {
            DecodeName(raw, &scratch);
            found = scratch == q;
          }
        });
        return found;
      },
      nullptr, &first);
  if (!m || !first) return nullptr;
  return &impl_->kb.entries()[first->entry];
}

Result<DetectionResult> DetectFromHars(const Kb& kb, const std::vector<std::string>& har_paths) {
  Detector detector(kb);
  HarReader reader;
  for (const std::string& path : har_paths) {
    detector.BeginHar(path, HarSummary{});
    auto summary = reader.ReadFile(path, [&](const HarEntry& e) { detector.Observe(e); });
    if (!summary) return std::unexpected(std::move(summary.error()));
    detector.EndHar(*summary);
  }
  return detector.Finish();
}

}  // namespace blindspot

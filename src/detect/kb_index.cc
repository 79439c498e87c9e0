// KbIndex: compiling the knowledge base into lookups, and URL classification.
//   - request signatures: hash map from lower-case host to candidate
//     signatures (sorted most specific first), looked up for the request host
//     and each parent suffix ("a.b.c" -> "a.b.c", "b.c", "c");
//   - cookie names: exact hash map + prefix lists bucketed by first byte;
//   - link prefixes, HTML markers and "tel:"/"mailto:": one multi-pattern
//     scanner (body_scanner.h), run over HTML bodies only;
//   - data signals: per kb entry, checked only on requests attributed to it.
#include "detect/kb_index.h"

#include <algorithm>

#include "detect/url_util.h"

namespace blindspot {

using namespace detect_internal;

KbIndex::~KbIndex() = default;

const Kb& KbIndex::kb() const { return *kb_; }

std::shared_ptr<const KbIndex> KbIndex::Build(std::shared_ptr<const Kb> kb_ptr) {
  std::shared_ptr<KbIndex> index(new KbIndex());
  index->kb_ = std::move(kb_ptr);
  index->data_ = std::make_unique<Data>();
  Data& d = *index->data_;
  d.kb = index->kb_.get();
  const auto& entries = d.kb->entries();
  d.signals.resize(entries.size());
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
      cr.pattern = rs.Pattern();
      cr.score = rs.query_has.size() * 4096 + rs.PathWeight();
      d.requests.push_back(std::move(cr));
      if (h == "*") {
        d.any_host.push_back(static_cast<uint32_t>(d.requests.size() - 1));
        continue;
      }
      auto it = d.host_map.find(std::string_view(h));
      if (it == d.host_map.end()) {
        d.storage.push_back(std::move(h));
        it = d.host_map.emplace(std::string_view(d.storage.back()), std::vector<uint32_t>{}).first;
      }
      it->second.push_back(static_cast<uint32_t>(d.requests.size() - 1));
    }
    auto add_cookies = [&](const std::vector<std::string>& names, bool first_party) {
      for (const std::string& c : names) {
        if (c.empty()) continue;
        CookieRef ref{i, first_party};
        if (c.back() == '*') {
          std::string_view p(c.data(), c.size() - 1);
          if (p.empty()) continue;  // "*" alone would match every cookie: ignore
          d.cookie_prefix[static_cast<unsigned char>(p[0])].emplace_back(p, ref);
        } else {
          auto& v = d.cookie_exact[std::string_view(c)];
          bool dup = false;
          for (const CookieRef& r : v) dup = dup || r.entry == i;
          if (!dup) v.push_back(ref);
        }
      }
    };
    add_cookies(e.signatures.cookies, false);
    add_cookies(e.signatures.first_party_cookies, true);
    for (const std::string& l : e.signatures.links) {
      if (l.empty()) continue;
      std::string low = l;
      for (char& ch : low) ch = Lower(ch);
      d.link_prefixes.push_back({std::move(low), i});
    }
    for (const std::string& m : e.signatures.html_markers)
      if (!m.empty()) d.markers.push_back({m, i});
    for (const DataSignal& ds : e.data_signals) {
      if (ds.param.empty()) continue;
      CompiledSignal cs;
      cs.entry = i;
      cs.sig = &ds;
      cs.prefix = ds.param.back() == '*';
      cs.pattern = std::string_view(ds.param).substr(0, ds.param.size() - (cs.prefix ? 1 : 0));
      cs.dotted = cs.pattern.find('.') != std::string_view::npos;
      if (!ds.implies.empty()) {
        auto it = id_index.find(std::string_view(ds.implies));
        if (it != id_index.end()) cs.implies = static_cast<int>(it->second);
      }
      d.signals[i].push_back(cs);
    }
  }
  d.record_maps.resize(AllObservationKinds().size());
  for (uint32_t i = 0; i < entries.size(); ++i)
    for (const RecordSignature& rs : entries[i].signatures.records) {
      std::string v = rs.value;
      for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (rs.kind == ObservationKind::kVerificationToken)
        d.record_prefixes.emplace_back(std::move(v), RecordRef{i, &rs});
      else
        d.record_maps[static_cast<size_t>(rs.kind)][std::move(v)].push_back(RecordRef{i, &rs});
    }
  // Longer prefixes first, so "google-site-verification=" is tried before "google".
  std::stable_sort(d.record_prefixes.begin(), d.record_prefixes.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (uint32_t i = 0; i < d.markers.size(); ++i) {
    d.scanner.Add(d.markers[i].text, /*nocase=*/false);
    d.body_patterns.push_back({BodyKind::kMarker, i});
  }
  for (uint32_t i = 0; i < d.link_prefixes.size(); ++i) {
    d.scanner.Add(d.link_prefixes[i].text, /*nocase=*/true);
    d.body_patterns.push_back({BodyKind::kLink, i});
  }
  d.scanner.Add("tel:", true);
  d.body_patterns.push_back({BodyKind::kTel, 0});
  d.scanner.Add("mailto:", true);
  d.body_patterns.push_back({BodyKind::kMailto, 0});
  if (!d.link_prefixes.empty()) {
    d.scanner.Add("href=", true);
    d.body_patterns.push_back({BodyKind::kAttr, 0});
  }
  d.scanner.Build();
  std::stable_sort(d.any_host.begin(), d.any_host.end(),
                   [&](uint32_t a, uint32_t b) { return d.requests[a].score > d.requests[b].score; });
  for (auto& [host, idx] : d.host_map) {
    std::stable_sort(idx.begin(), idx.end(),
                     [&](uint32_t a, uint32_t b) { return d.requests[a].score > d.requests[b].score; });
  }
  return index;
}

const CompiledRequest* KbIndex::Data::SignatureFor(uint32_t entry, std::string_view host,
                                                   std::string_view path) const {
  for (uint32_t ri : any_host)
    if (requests[ri].entry == entry && requests[ri].sig->PathMatches(path)) return &requests[ri];
  std::string_view h = host;
  while (!h.empty()) {
    auto it = host_map.find(h);
    if (it != host_map.end()) {
      for (uint32_t ri : it->second)
        if (requests[ri].entry == entry && requests[ri].sig->PathMatches(path)) return &requests[ri];
    }
    size_t dot = h.find('.');
    if (dot == std::string_view::npos) break;
    h.remove_prefix(dot + 1);
  }
  return nullptr;
}

const KbEntry* KbIndex::ClassifyUrl(std::string_view url) const {
  ParsedUrl u;
  if (!ParseUrl(url, &u)) return nullptr;
  char buf[256];
  std::string_view host = u.host;
  std::string big;
  if (NeedsLowering(host)) {
    if (host.size() <= sizeof(buf)) {
      for (size_t i = 0; i < host.size(); ++i) buf[i] = Lower(host[i]);
      host = std::string_view(buf, host.size());
    } else {
      LowerHost(host, &big);
      host = big;
    }
  }
  const CompiledRequest* first = nullptr;
  std::string scratch;
  bool m = data_->MatchRequest(
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
  return &kb_->entries()[first->entry];
}

}  // namespace blindspot

namespace blindspot {

std::vector<detect_internal::RecordRef> KbIndex::Data::MatchRecord(ObservationKind kind,
                                                                   std::string_view key) const {
  std::vector<detect_internal::RecordRef> out;
  if (key.empty()) return out;
  std::string k(key);
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (kind == ObservationKind::kVerificationToken) {
    // The longest prefix that starts the token (ties: every entry that claims it).
    size_t best = 0;
    for (const auto& [prefix, ref] : record_prefixes) {
      if (prefix.size() < best) break;
      if (std::string_view(k).starts_with(prefix)) {
        best = prefix.size();
        out.push_back(ref);
      }
    }
    return out;
  }
  const auto& map = record_maps[static_cast<size_t>(kind)];
  bool host_kind = kind == ObservationKind::kSpfInclude || kind == ObservationKind::kDkimKey ||
                   kind == ObservationKind::kMx || kind == ObservationKind::kCname ||
                   kind == ObservationKind::kDmarcReportTo || kind == ObservationKind::kMailSent;
  if (!host_kind) {
    auto it = map.find(std::string_view(k));
    if (it != map.end()) out = it->second;
    return out;
  }
  while (!k.empty() && k.back() == '.') k.pop_back();
  std::string_view h = k;
  while (!h.empty()) {
    auto it = map.find(h);
    if (it != map.end()) return it->second;
    size_t dot = h.find('.');
    if (dot == std::string_view::npos) break;
    h.remove_prefix(dot + 1);
  }
  return out;
}

}  // namespace blindspot

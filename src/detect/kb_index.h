// Internal to bs_detect: the compiled knowledge base (KbIndex::Data) and the
// request matcher shared by the Detector and KbIndex::ClassifyUrl. Built once
// by KbIndex::Build; read-only afterwards (safe from many threads).
#pragma once
#include <array>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "blindspot/detect.h"
#include "detect/body_scanner.h"

namespace blindspot {

namespace detect_internal {

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
  std::string pattern;  // sig->Pattern(), shown as the matched signature
  size_t score = 0;     // query_has count * 4096 + literal path length: higher = more specific
};

struct CompiledSignal {
  uint32_t entry = 0;
  const DataSignal* sig = nullptr;
  std::string_view pattern;  // without the trailing '*'
  bool prefix = false;
  bool dotted = false;  // the pattern is a JSON path ("user_data.em"): it also matches nested deeper
  int implies = -1;     // kb entry index, or -1

  // Whether parameter name `n` is one this signal covers.
  bool Matches(std::string_view n) const {
    if (prefix ? n.starts_with(pattern) : n == pattern) return true;
    if (!dotted || n.size() <= pattern.size()) return false;
    // "data.user_data.em" for "user_data.em": the pattern after a '.'.
    if (!prefix) return n.ends_with(pattern) && n[n.size() - pattern.size() - 1] == '.';
    for (size_t at = n.find(pattern, 1); at != std::string_view::npos; at = n.find(pattern, at + 1))
      if (n[at - 1] == '.') return true;
    return false;
  }
};

struct Pattern {
  std::string text;  // lower-case for links; as written for markers/cookies
  uint32_t entry = 0;
};

struct CookieRef {
  uint32_t entry = 0;
  bool first_party = false;  // listed under first_party_cookies
};

// kAttr: "href=" (a value with character references is decoded before it is
// matched as a link).
enum class BodyKind : uint8_t { kMarker, kLink, kTel, kMailto, kAttr };
struct BodyPattern {
  BodyKind kind;
  uint32_t index;  // into markers / link_prefixes
};

// A record signature of a kb entry (discovery evidence).
struct RecordRef {
  uint32_t entry = 0;
  const RecordSignature* sig = nullptr;
};

}  // namespace detect_internal

struct KbIndex::Data {
  const Kb* kb = nullptr;
  std::deque<std::string> storage;                         // owns lower-cased hosts used as map keys
  detect_internal::SvMap<std::vector<uint32_t>> host_map;  // host -> indexes into requests
  std::vector<detect_internal::CompiledRequest> requests;
  std::vector<uint32_t> any_host;  // indexes into requests of `host: "*"` signatures, most specific first
  detect_internal::SvMap<std::vector<detect_internal::CookieRef>> cookie_exact;  // name -> entries
  std::array<std::vector<std::pair<std::string_view, detect_internal::CookieRef>>, 256> cookie_prefix;
  std::vector<detect_internal::Pattern> link_prefixes;
  std::vector<detect_internal::Pattern> markers;
  detect_internal::BodyScanner scanner;
  std::vector<detect_internal::BodyPattern> body_patterns;            // by scanner pattern id
  std::vector<std::vector<detect_internal::CompiledSignal>> signals;  // by kb entry index
  // Record signatures (discovery.h), by ObservationKind: verification-token
  // prefixes (lower case) in `record_prefixes`, every other kind by its
  // lower-case value (a host for the host kinds, matched by suffix).
  std::vector<std::pair<std::string, detect_internal::RecordRef>> record_prefixes;
  std::vector<detect_internal::StrMap<std::vector<detect_internal::RecordRef>>> record_maps;
  // The record signatures an observation of `kind` with `key` matches: the
  // longest matching host suffix for host kinds, the prefixes that start a
  // token, the exact key otherwise. Empty when none.
  std::vector<detect_internal::RecordRef> MatchRecord(ObservationKind kind, std::string_view key) const;

  // Whether a signature's path and query_has names fit a request.
  template <class HasParam>
  static bool Fits(const detect_internal::CompiledRequest& cr, std::string_view path, HasParam& has) {
    if (!cr.sig->PathMatches(path)) return false;
    for (const std::string& q : cr.sig->query_has)
      if (!has(std::string_view(q))) return false;
    return true;
  }

  // Calls has(name) for query_has checks. Appends to `out` the kb entries of
  // the most specific matching signatures (the longest matching host suffix,
  // then the highest score). Returns true when something matched.
  template <class HasParam>
  bool MatchRequest(std::string_view host, std::string_view path, HasParam&& has, std::vector<uint32_t>* out,
                    const detect_internal::CompiledRequest** first) const {
    std::string_view h = host;
    while (!h.empty()) {
      auto it = host_map.find(h);
      if (it != host_map.end()) {
        size_t best = 0;
        bool found = false;
        for (uint32_t ri : it->second) {
          const detect_internal::CompiledRequest& cr = requests[ri];
          if (found && cr.score < best) break;
          if (!Fits(cr, path, has)) continue;
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
    // Signatures for any host (a tracker behind the site's own CNAME): path
    // and query names only, checked when no host-specific signature matched.
    for (uint32_t ri : any_host) {
      const detect_internal::CompiledRequest& cr = requests[ri];
      if (!Fits(cr, path, has)) continue;
      if (first) *first = &cr;
      if (out && std::find(out->begin(), out->end(), cr.entry) == out->end()) out->push_back(cr.entry);
      return true;
    }
    return false;
  }

  // Whether a kb request signature names `host` or one of its parent domains
  // (whatever its path): the vendor is known even when the path is not.
  bool HostKnown(std::string_view host) const {
    std::string_view h = host;
    while (!h.empty()) {
      if (host_map.find(h) != host_map.end()) return true;
      size_t dot = h.find('.');
      if (dot == std::string_view::npos) break;
      h.remove_prefix(dot + 1);
    }
    return false;
  }

  // The best signature of `entry` on `host` (lower case) whose path prefix holds.
  const detect_internal::CompiledRequest* SignatureFor(uint32_t entry, std::string_view host,
                                                       std::string_view path) const;
};

}  // namespace blindspot

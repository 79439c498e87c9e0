// Detection: evidence (HAR entries) -> touchpoints, by the knowledge base.
//
// A Detector is fed entries one by one (Observe) and produces a
// DetectionResult at the end. It keeps only what it reports (touchpoints,
// capped evidence lists, counters), never the entries themselves, so memory
// does not grow with the HAR. Not thread-safe (except ClassifyUrl, which is
// const and may be called from several threads); the Kb must outlive it.
//
// How entries are matched (src/detect/detect.cc):
//  - Request: the kb request signatures of the longest matching host suffix
//    whose path_prefix/query_has hold; among those only the most specific
//    (most query_has names, then longest path_prefix). Hosts are compared
//    lower-case, without port. query_has names are percent-decoded and also
//    looked up in form-encoded and JSON (top-level keys) POST bodies.
//  - Cookies (kCookie from request cookies, kSetCookie from response cookies):
//    only names that a kb entry lists (exact, or prefix with a trailing '*');
//    exact names of 2 bytes or less ("fr", "RT") count only on requests
//    attributed to the same entry.
//  - HTML bodies (response mimeType text/html only): html_markers as
//    case-sensitive substrings (once per body), link prefixes as
//    case-insensitive substrings that start a URL-like token (after an
//    optional scheme://, // or www.); "tel:"/"mailto:" occurrences are counted.
//  - Data signals: only on requests attributed to the entry that owns them,
//    restricted to the signal's host/path_prefix; a signal's `implies` adds a
//    touchpoint for that entry (implied_by set unless it has its own evidence).
//  - Values: query values in kept URLs are replaced by "…", tel:/mailto: links
//    keep only the scheme, cookie values are never copied.
//  - Pages: an entry's pageref resolves to the page title at EndHar (entries
//    without one get the first document URL of the HAR).
//  - First party: eTLD+1 of page titles that start with an http(s) URL, else
//    of the first "document" request (else of the first request) of each HAR;
//    every other http(s)/ws(s) host is a third-party host.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "blindspot/evidence.h"
#include "blindspot/kb.h"

namespace blindspot {

enum class EvidenceKind { kRequest, kCookie, kSetCookie, kLink, kHtmlMarker };
std::string_view ToString(EvidenceKind);

struct EvidenceItem {
  EvidenceKind kind = EvidenceKind::kRequest;
  std::string value;      // URL (query values masked as "…", truncated to 300 bytes), cookie name, or link
  std::string page;       // page URL/title the entry belongs to
  std::string har;        // HAR file it came from
  uint64_t entry = 0;     // entry index in that HAR
  std::string signature;  // which signature matched, human-readable
};

struct SignalHit {
  std::string signal_id;      // DataSignal::id
  std::string param;          // parameter actually seen, e.g. "ud[em]"
  std::string data_category;  // fideslang key
  std::string har;
  uint64_t entry = 0;
  std::string example_url;  // truncated; cookie/personal values are not copied
};

struct DetectedTouchpoint {
  std::string kb_id;
  const KbEntry* kb = nullptr;  // points into the Kb
  // First kMaxEvidence distinct items (the same kind+value within one HAR is kept once).
  std::vector<EvidenceItem> evidence;
  uint64_t evidence_count = 0;     // all matches, including those not kept
  std::vector<SignalHit> signals;  // one per distinct (signal id, parameter)
  std::set<std::string> pages;
  std::string implied_by;  // non-empty when only proven by another entry's signal
  static constexpr size_t kMaxEvidence = 10;
};

struct ThirdPartyHost {
  std::string host;
  std::string registrable_domain;
  uint64_t requests = 0;
  bool matched = false;  // attributed to a kb entry
};

struct DetectionResult {
  std::vector<DetectedTouchpoint> touchpoints;    // sorted by kb_id
  std::vector<ThirdPartyHost> third_party_hosts;  // sorted by host
  std::vector<std::string> first_party_domains;   // eTLD+1 of the pages
  std::vector<std::string> hars;
  std::vector<HarPage> pages;
  uint64_t entries = 0;
  uint64_t bytes = 0;
  // Links in HTML bodies with these schemes (counted whether or not a kb
  // entry lists them; phone numbers / addresses are not kept).
  uint64_t tel_links = 0;
  uint64_t mailto_links = 0;
  const DetectedTouchpoint* Find(std::string_view kb_id) const;
};

class Detector {
 public:
  explicit Detector(const Kb& kb);
  ~Detector();
  // Call before the entries of each HAR.
  void BeginHar(const std::string& har_name, const HarSummary& pages_so_far);
  void Observe(const HarEntry& entry);
  void EndHar(const HarSummary& summary);
  DetectionResult Finish();

  // Classifies one URL: the kb entry whose request signature matches, or
  // nullptr. Exposed for benchmarks and tests. O(host labels) hash lookups.
  const KbEntry* ClassifyUrl(std::string_view url) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience: read each HAR (one HarReader for all) and detect; the HAR's
// name in the result is the path as given. Stops at the first HAR error and
// returns it unchanged (file and byte offset).
Result<DetectionResult> DetectFromHars(const Kb& kb, const std::vector<std::string>& har_paths);

}  // namespace blindspot

// Internal to bs_detect: the per-capture state of a Detector. Its methods are
// defined by job, one file each:
//   detector.cc   Observe (the order of checks), Finish, Detect()
//   params.cc     parameter names of a request (query, form, multipart, JSON incl.
//                 nested keys as dotted paths, beacon bodies)
//   evidence.cc   touchpoint state and the evidence kept for each
//   cookies.cc    cookie names
//   html_scan.cc  markers and links in HTML bodies
//   signals.cc    data signals and the products they imply
//   parties.cc    sources, pages (masked), first- and third-party hosts, warnings
//   carried.cc    first-party URLs and personal data in third-party requests' values
#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detect/kb_index.h"
#include "detect/url_util.h"

namespace blindspot {

namespace detect_internal {

// Per-touchpoint state while detecting.
struct Tp {
  bool active = false;
  bool direct = false;   // has evidence of its own (not only via another entry's signal)
  bool records = false;  // has discovery records (kRecord evidence)
  DetectedTouchpoint out;
  std::vector<uint32_t> ev_source;                      // source sequence number of each kept evidence item
  std::set<std::string, std::less<>> pending_pagerefs;  // pagerefs seen in the current source
};

// A cookie that matched a kb name, kept until the end of its source, when its
// context is known (cookies.cc).
struct PendingCookie {
  uint32_t entry = 0;
  bool first_party = false;  // a first_party_cookies name
  EvidenceKind kind = EvidenceKind::kCookie;
  std::string pattern, name, domain, expires;
  std::string host;  // lower-case host of the request it was sent to / set by
  std::string pageref;
  uint64_t index = 0;
};

// A third-party candidate for the filter lists: a web request no kb
// signature matched, classified at the end of its source.
struct PendingRequest {
  std::string url;
  std::string host;  // lower case
  std::string type;  // resource type as the source recorded it ("script", "xhr", ...)
  std::string mime;  // response MIME type, for when the type is not recorded
  uint64_t index = 0;
};

// Something a request's parameter carried (carried.cc), kept until the end of
// its source, when the first party is known.
struct PendingCarried {
  static constexpr uint32_t kNoEntry = UINT32_MAX;
  uint32_t entry = kNoEntry;  // the kb entry the request was attributed to
  CarriedKind kind = CarriedKind::kPageUrl;
  std::string host;      // the request's host, lower case
  std::string url_host;  // kPageUrl: the embedded URL's host, lower case
  std::string param, inner;
  std::string term, category;  // kSensitiveTerm
  std::string pageref;
  uint64_t index = 0;
};

// Sorts by kind, param, inner.
void SortCarried(std::vector<CarriedData>& list);

struct HostStat {
  uint64_t requests = 0;
  bool matched = false;
};

constexpr size_t kMaxValue = 300;

// What makes two evidence items of one kind the same: the cookie name, the
// marker, or the URL.
inline std::string_view DedupKey(const EvidenceItem& i) {
  if (i.kind == EvidenceKind::kCookie || i.kind == EvidenceKind::kSetCookie) return i.cookie_name;
  if (i.kind == EvidenceKind::kHtmlMarker) return i.signature;
  // Another product's signal: one item per parameter (ud[em], ud[ph]), whatever the URL.
  if (i.kind == EvidenceKind::kSignal) return i.signal_param;
  return i.url;
}

// Whether a Set-Cookie deletes the cookie: Max-Age <= 0, or an expiry date
// before `started` (the request's startedDateTime; before 2000 when unknown).
bool IsCookieDeletion(const Cookie& c, std::string_view started);

}  // namespace detect_internal

namespace detect_internal {
// The first document of a page (or of a source): by _resourceType
// "document"; else (captures without resource types) the first HTML response
// to a navigation (Sec-Fetch-Dest "document", or no Referer: an iframe has
// one), else the first HTML response at all.
struct FirstDocument {
  std::string by_type;
  std::string navigation;
  std::string html;
};
}  // namespace detect_internal

struct Detector::Impl {
  Impl(std::shared_ptr<const KbIndex> idx, DetectOptions opts);

  std::shared_ptr<const KbIndex> index;
  std::shared_ptr<const FilterEngine> filters;  // may be null
  const KbIndex::Data& d;
  const Kb& kb;
  DetectOptions options;

  // Detection state.
  std::vector<detect_internal::Tp> tps;  // by kb entry index
  std::vector<uint64_t> marker_seen;     // body sequence number a marker was last found in
  uint64_t body_seq = 0;
  uint32_t source_seq = 0;
  std::string source_name;
  std::string source_kind;
  ConsentPhase source_phase = ConsentPhase::kUnknown;
  std::shared_ptr<const ScanObservations> source_observations;
  std::string source_first_capture;  // earliest / latest startedDateTime with a date (as text)
  std::string source_last_capture;
  detect_internal::StrMap<detect_internal::HostStat> source_hosts;    // hosts of the current source
  detect_internal::FirstDocument source_doc;                          // of the current source
  detect_internal::StrMap<detect_internal::FirstDocument> page_docs;  // of each pageref in it
  bool source_has_types = false;                                      // some record has a _resourceType
  detect_internal::StrMap<std::string> regdom_cache;
  std::map<std::string, ThirdPartyHost> third_party;
  std::set<std::string> first_party;
  DetectionResult result;

  // Scratch (reused to avoid allocation).
  std::string host_buf;
  std::vector<std::string> names;       // decoded parameter names of the current request
  std::vector<uint8_t> name_has_value;  // by names index: 0 for "rl=" or "rl" (query and form only)
  size_t n_names = 0;
  bool names_ready = false;
  std::string json_path, json_key;  // scratch of ForEachJsonName
  std::vector<uint32_t> matched;
  std::vector<detect_internal::PendingCookie> pending_cookies;      // of the current source
  std::vector<detect_internal::PendingRequest> pending_requests;    // of the current source (with filters)
  std::map<std::string, UnidentifiedTracker> unidentified;          // by eTLD+1
  std::vector<detect_internal::PendingCarried> pending_carried;     // of the current source
  std::map<std::string, UnattributedCarried> carried_unattributed;  // by eTLD+1
  // Scratch of carried.cc, and the first party as known while reading.
  std::string carried_name, carried_value, carried_inner, carried_inner_name, carried_scratch;
  std::string carried_doc, carried_doc_domain;
  std::string sensitive_name, sensitive_value, sensitive_scratch;

  // detector.cc
  void Observe(const EvidenceRecord& e);
  DetectionResult Finish();
  // discovery_match.cc: discovery files, matched at Finish (a DMARC row is
  // attributed through a DKIM selector that a zone file of the same run delegates).
  std::vector<std::pair<std::string, std::shared_ptr<const DiscoveryReport>>> discoveries;
  void MatchDiscoveries(DetectionResult& r);
  void AddRecordEvidence(uint32_t entry, const Observation& o, const std::string& source, size_t index,
                         std::string_view signature);
  // params.cc
  void CollectNames(const detect_internal::ParsedUrl& u, const EvidenceRecord& e);
  void AddName(std::string_view raw, bool has_value = true);
  bool HasName(std::string_view n) const;
  // evidence.cc
  detect_internal::Tp& TouchpointFor(uint32_t entry);
  template <class Fill>
  void AddEvidence(uint32_t entry, EvidenceKind kind, std::string_view dedup_value, Fill&& fill,
                   const EvidenceRecord& e, bool direct);
  // cookies.cc
  void MatchCookie(const Cookie& c, EvidenceKind kind, const EvidenceRecord& e);
  bool EntryOwnsHost(uint32_t entry, std::string_view host) const;
  void ResolveCookies(const std::set<std::string>& first_party_domains);
  // html_scan.cc
  void ScanHtml(const EvidenceRecord& e);
  void MatchLink(std::string_view link, const EvidenceRecord& e);
  std::string link_buf;  // a decoded attribute value
  // signals.cc
  void MatchSignals(uint32_t entry, const detect_internal::ParsedUrl& u, const EvidenceRecord& e);
  void RecordSignal(const detect_internal::CompiledSignal& cs, const std::string& param,
                    const detect_internal::ParsedUrl& u, const EvidenceRecord& e);
  // trackers.cc
  void ClassifyUnmatched(const std::set<std::string>& first_party_domains);
  // carried.cc
  bool LikelyFirstParty();  // host_buf is on the first party as known so far
  void ScanCarried(const detect_internal::ParsedUrl& u, const EvidenceRecord& e);
  void ScanText(std::string_view name, std::string_view value, const EvidenceRecord& e);
  // A term of the sensitive list in a value (decoded `value`, `name` raw or decoded).
  void ScanSensitive(std::string_view name, std::string_view value, bool decode, const EvidenceRecord& e);
  void PendCarried(CarriedKind kind, std::string_view param, std::string_view inner,
                   std::string_view url_host, const EvidenceRecord& e);
  void ResolveCarried(const std::set<std::string>& first_party_domains,
                      const std::function<std::string(const std::string&)>& page_of);
  // parties.cc
  void NoteDocument(const EvidenceRecord& e, bool by_type);
  void BeginSource(const std::string& name, const std::string& kind, ConsentPhase phase);
  void EndSource(const SourceSummary& summary);
  const std::string& Regdom(const std::string& host);
  std::optional<std::string> DomainOfUrlish(std::string_view text);
  const std::string& FirstDocumentOf(const detect_internal::FirstDocument& doc) const;
};

// Adds one piece of evidence for `entry`: counted always, kept (with
// fill(item) called to complete it) while fewer than kMaxEvidence are kept and
// no item of the same kind and `dedup_value` was kept from the same source.
template <class Fill>
void Detector::Impl::AddEvidence(uint32_t entry, EvidenceKind kind, std::string_view dedup_value, Fill&& fill,
                                 const EvidenceRecord& e, bool direct) {
  detect_internal::Tp& tp = TouchpointFor(entry);
  tp.out.evidence_count++;
  if (direct) tp.direct = true;
  // Its own traffic (not a link or marker on a page) in a known consent phase;
  // a signal that proves it in use adds its carrier's phase (RecordSignal).
  if (source_phase != ConsentPhase::kUnknown &&
      (kind == EvidenceKind::kRequest || kind == EvidenceKind::kCookie || kind == EvidenceKind::kSetCookie))
    tp.out.phases_active.insert(source_phase);
  if (tp.pending_pagerefs.find(e.pageref) == tp.pending_pagerefs.end())
    tp.pending_pagerefs.emplace(e.pageref);
  if (tp.out.evidence.size() >= DetectedTouchpoint::kMaxEvidence) return;
  // Keep distinct items: the same kind and value within one source is counted, not kept twice.
  auto seen = [&](std::string_view key) {
    for (size_t i = 0; i < tp.out.evidence.size(); ++i) {
      const EvidenceItem& k = tp.out.evidence[i];
      if (tp.ev_source[i] == source_seq && k.kind == kind && detect_internal::DedupKey(k) == key) return true;
    }
    return false;
  };
  if (!dedup_value.empty() && seen(dedup_value)) return;
  EvidenceItem item;
  item.kind = kind;
  fill(item);
  if (dedup_value.empty() && seen(detect_internal::DedupKey(item))) return;
  item.page = std::string(e.pageref);
  item.source = source_name;
  item.entry = e.index;
  tp.out.evidence.push_back(std::move(item));
  tp.ev_source.push_back(source_seq);
}

}  // namespace blindspot

// Detection: evidence records -> touchpoints, by the knowledge base.
//
// Two parts (as a database separates a compiled plan from its execution):
//  - KbIndex: the knowledge base compiled into lookups (host-suffix map of
//    request signatures, cookie names, one multi-pattern scanner for HTML
//    bodies, data signals per entry). Built once, immutable, thread-safe:
//    many detectors, scans and server requests share one index.
//  - Detector: the state of one capture (touchpoints found, evidence kept,
//    host counters). Fed records one by one from any EvidenceSource; keeps
//    only what it reports, never the records, so memory does not grow with
//    the capture. Not thread-safe; one per capture.
//
// How records are matched (src/detect/):
//  - Request: the kb request signatures of the longest matching host suffix
//    whose path_prefix/query_has hold; among those only the most specific
//    (most query_has names, then longest path_prefix). Hosts are compared
//    lower-case, without port. query_has names are percent-decoded and also
//    looked up in POST bodies (already base64-decoded by the reader):
//    form-encoded (also text/plain beacons), multipart/form-data (the part
//    names) and JSON, whose names are the top-level keys plus the dotted path
//    of every nested key ({"user_data":{"em":..}} gives "user_data" and
//    "user_data.em"; arrays are transparent: {"data":[{"em":..}]} gives
//    "data" and "data.em").
//  - Cookies (kCookie from request cookies, kSetCookie from response cookies):
//    only names that a kb entry lists (exact, or prefix with a trailing '*'),
//    and only as added evidence for an entry detected otherwise in the same
//    source, on the entry's own hosts (or, for first_party_cookies, on the
//    first party's eTLD+1); deletions are ignored (src/detect/cookies.cc).
//  - HTML bodies (response mimeType text/html or application/xhtml+xml, or
//    no mimeType and a body that starts with "<!doctype html" or "<html"
//    after blanks and a byte-order mark): html_markers as case-sensitive
//    substrings (once per body), link prefixes as case-insensitive substrings
//    that start a URL-like token (after an optional scheme://, // or www.);
//    "tel:"/"mailto:" occurrences are counted. An href value that holds a
//    character reference ("&amp;", "&#47;") is decoded as a browser does
//    before it is matched.
//  - Data signals: only on requests attributed to the entry that owns them,
//    restricted to the signal's host/path_prefix; a prefix signal ("ud[*")
//    gives a hit per parameter it covers, "*" (any parameter) one per request;
//    a dotted signal ("user_data.em") also matches that path nested deeper
//    ("data.user_data.em"); a signal's `implies` adds a touchpoint for that
//    entry (implied_by and confidence set unless it has its own evidence).
//    Each hit is kept once, on the entry that owns the signal; the implied
//    entry gets a kSignal evidence item naming it (`via`), not the hit.
//  - Values: query values in kept URLs are replaced by "…", tel:/mailto: links
//    keep only the scheme, cookie values are never copied. Page titles and
//    URLs are masked the same way (every URL in them, and e-mail addresses).
//  - Pages: a record's pageref resolves at EndSource to the page title (else
//    its URL, else the first document of that page, else its id); records
//    without one get the first document URL of the source.
//  - First party: DetectOptions::first_party when given; else per source the
//    eTLD+1 of each page's URL (_url/_URL), else of its title when that
//    starts with an http(s) URL, else of the page's first document; a source
//    without pages uses its first document. The first document is the first
//    request with _resourceType "document", or, in captures that record no
//    resource types, the first HTML response (never simply the first entry:
//    that may be an OCSP check). Every other http(s)/ws(s) host is a
//    third-party host; a source whose first party cannot be told gets a
//    ReadIssue::kNoFirstParty warning.
//  - Carried data (src/detect/carried.cc; issue 6 §2): the parameter values
//    of every request to a host outside the first party (query, form-encoded
//    and JSON bodies; not multipart, not headers: the Referer a browser sends
//    by default is governed by Referrer-Policy and not counted) are looked at
//    for what the tag itself puts in: a first-party URL (the value, percent-
//    decoded once or twice, is an http(s) URL whose eTLD+1 is a first-party
//    domain: "dl", "rl", "url", "context.page.url"), an e-mail address in
//    clear (FindEmail: conservative; also inside an embedded URL's query or
//    fragment, then `inner` names that URL's parameter), and a phone number
//    in a parameter named like phone/tel/mobile, and (issue 8, BS040) a term
//    of the curated special-category list data/sensitive_terms.yaml as whole
//    words in any value (a page URL, title, product name; then `term` and
//    `category` say which). Values are decoded only for requests that are not
//    on the first party as far as it is known while reading (the
//    --first-party domains, else the source's first document); for URLs and
//    personal data only when a value can hold one (starts with "http", holds
//    an '@' or "%40", or the name is a phone name), for terms when it has
//    three characters or more and a letter. Found items wait, compact, until
//    EndSource, when the first party is known; they are then kept on the
//    touchpoint the request was attributed to, else under the request's
//    registrable domain. Values are never kept: only the kind, parameter
//    names, counts and where it was first seen.
//  - Filter lists (DetectOptions::filters, when given): at the end of each
//    source, every third-party request that no kb request signature matched,
//    on a host that no kb signature names (a known vendor's other paths are
//    not "unidentified"), is classified with the source's first document as
//    its source URL; what a list blocks is an unidentified tracker of its
//    eTLD+1.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "blindspot/discovery.h"
#include "blindspot/evidence.h"
#include "blindspot/kb.h"

namespace blindspot {

enum class EvidenceKind {
  kRequest,     // a request matched a request signature
  kCookie,      // a request sent a known cookie
  kSetCookie,   // a response set a known cookie
  kLink,        // an HTML body links to a known link prefix (wa.me/...)
  kHtmlMarker,  // an HTML body contains a known marker (fbq('init')
  kSignal,      // a data signal of another product proves this one in use
  kRecord,      // a discovery observation (discovery.h): a DNS record, a DMARC row, a tag,
                // an audience, matched by a record signature
};
std::string_view ToString(
    EvidenceKind);  // "request", "cookie", "set-cookie", "link", "html-marker", "signal", "record"

// One piece of evidence, structured and language-neutral: reports render it.
struct EvidenceItem {
  EvidenceKind kind = EvidenceKind::kRequest;
  std::string url;     // request or link: the URL, query values masked as "…", cut at 300 bytes
  std::string page;    // the page (URL or title) the record belongs to
  std::string source;  // the evidence source it came from (a HAR file's base name)
  uint64_t entry = 0;  // record index in that source
  std::string
      signature;  // what matched, as written in the kb: "facebook.com/tr", "_ga_*", "wa.me/", "fbq('init'"
  std::vector<std::string> params;  // parameter names the signature required (query_has)
  // Cookies (kCookie, kSetCookie); values are never copied.
  std::string cookie_name;
  std::string cookie_domain;
  std::string cookie_expires;
  // kSignal: which signal of which product.
  std::string signal_id;
  std::string signal_param;
  std::string via;  // kb id of the product whose request carried the signal
  // kRecord: the observation (signature = the record signature's value,
  // source = the file's report name, entry = the observation's index there).
  ObservationKind record_kind = ObservationKind::kVerificationToken;
  Proof proof = Proof::kConfigured;
  std::string subject;   // Observation::subject (the DNS name, tag or audience)
  std::string detail;    // Observation::detail
  std::string location;  // Observation::location ("line 12")
  std::string first_date;
  std::string last_date;
  uint64_t count = 0;
};

struct SignalHit {
  std::string signal_id;      // DataSignal::id
  std::string param;          // parameter actually seen, e.g. "ud[em]"
  std::string data_category;  // fideslang key
  std::string source;
  uint64_t entry = 0;
  std::string example_url;  // masked, cut; cookie/personal values are not copied
};

// Data a request to a third party carried that matters for the register
// (see "Carried data" above). Values are never copied: only what kind of data
// it was, in which parameter, how often and where it was first seen.
enum class CarriedKind {
  kPageUrl,        // an http(s) URL on a first-party domain (the page, the referrer, ...)
  kEmail,          // an e-mail address in clear (unhashed)
  kPhone,          // a phone number in clear, in a parameter named like phone/tel/mobile
  kSensitiveTerm,  // a term of data/sensitive_terms.yaml (health, religion, ...) in a value (BS040)
};
std::string_view ToString(CarriedKind);  // "page-url", "email", "phone", "sensitive-term"
// kEmail and kPhone: personal data in clear (BS021).
inline bool IsPersonalData(CarriedKind k) { return k == CarriedKind::kEmail || k == CarriedKind::kPhone; }

struct CarriedData {
  CarriedKind kind = CarriedKind::kPageUrl;
  std::string param;  // the request parameter: "dl", "ud[em]", "context.page.url" (decoded)
  std::string inner;  // when found inside an embedded URL: that URL's parameter ("email"); else empty
  // kSensitiveTerm: the term of the curated list (not the value) and its
  // sensitive_category ("hiv test", "health"); else empty.
  std::string term;
  std::string category;
  uint64_t requests = 0;  // requests that carried it (this kind, param, inner and term)
  // Where it was first seen:
  std::string host;    // the request's host, lower case
  std::string page;    // the page (masked label, as EvidenceItem::page)
  std::string source;  // the evidence source
  uint64_t entry = 0;  // and the record number there
};

struct DetectedTouchpoint {
  std::string kb_id;
  const KbEntry* kb = nullptr;  // points into the Kb of the index
  // First kMaxEvidence distinct items (the same kind+value within one source is kept once).
  std::vector<EvidenceItem> evidence;
  uint64_t evidence_count = 0;     // all matches, including those not kept
  std::vector<SignalHit> signals;  // one per distinct (signal id, parameter)
  std::set<std::string> pages;
  std::string implied_by;  // non-empty when only shown by another entry's signal
  // With implied_by: how sure the implication is (the strongest of the signals
  // that implied it; DataSignal::implies_confidence). kHigh: the signal is this
  // product's own data flow, so it counts as seen; kMedium/kLow: suggested, not
  // seen (inferred()).
  InferenceConfidence confidence = InferenceConfidence::kHigh;
  bool inferred() const {
    return (!implied_by.empty() || records_only) && confidence != InferenceConfidence::kHigh;
  }
  // What the requests attributed to it carried (on third-party hosts only),
  // one item per (kind, param, inner), sorted so; at most kMaxCarried.
  std::vector<CarriedData> carried;
  // The consent phases in which its own traffic was seen: a request that
  // matched its signature, or its cookie sent or set (not links or HTML
  // markers: a wa.me link on a page does not run anything, and not another
  // product's signal). Empty when no source had a known phase.
  std::set<ConsentPhase> phases_active;
  // Discovery (kRecord evidence): the strongest proof among its records, and
  // whether records are all the evidence there is. A touchpoint known only
  // from records counts as seen when that proof is kSendingNow or kInUse and
  // is an inference otherwise (confidence kMedium for kConfigured, kLow for
  // the rest); evidence from a capture makes it seen whatever the records say.
  std::optional<Proof> discovered;
  bool records_only = false;
  // The records' period: the earliest first_date and latest last_date.
  std::string records_first_date;
  std::string records_last_date;
  static constexpr size_t kMaxEvidence = 10;
  static constexpr size_t kMaxCarried = 32;
};

// The inference confidence a discovery proof gives a touchpoint known only
// from records: kHigh (seen) for kSendingNow and kInUse, kMedium for
// kConfigured, kLow otherwise.
InferenceConfidence RecordConfidence(Proof p);

// What requests carried to a third party that no kb entry was attributed
// for those requests: one per registrable domain.
struct UnattributedCarried {
  std::string registrable_domain;
  std::vector<CarriedData> carried;  // as DetectedTouchpoint::carried
};

struct ThirdPartyHost {
  std::string host;
  std::string registrable_domain;
  uint64_t requests = 0;
  bool matched = false;  // attributed to a kb entry
};

// A third party that a filter list (EasyPrivacy, EasyList, --filter-list)
// flags as a tracker or ad request and that no kb entry explains: reported so
// that the organisation identifies it (issue 6 §4). One per eTLD+1.
struct UnidentifiedTracker {
  std::string registrable_domain;  // "xplosion.de"
  std::vector<std::string> hosts;  // the flagged hosts under it, sorted
  uint64_t requests = 0;           // flagged requests
  std::string filter;              // the first matching filter's text
  std::string list;                // its list's name ("easyprivacy.txt")
  uint32_t line = 0;               // its line in that list
  std::string example_url;         // the first flagged request, values masked
  std::string source;              // the evidence source it was seen in first
  uint64_t entry = 0;              // and the record number there
};

struct EvidenceSourceInfo {
  std::string name;       // base name ("home.har"), or "after-reject/capture.har" for a bundle's phase
  std::string kind;       // "har"
  uint64_t warnings = 0;  // warnings about this source (all, also those not kept)
  ConsentPhase phase = ConsentPhase::kUnknown;  // the consent phase it was recorded in, when known
  // What a live scan recorded in that phase besides the capture (its scan.json;
  // EvidenceSource::observations()), carried for the audit; null when none.
  std::shared_ptr<const ScanObservations> observations;
  // The earliest and latest startedDateTime of its records that begin with a
  // calendar date (ISO 8601, as recorded); empty when none does.
  std::string first_capture;
  std::string last_capture;
};

// One discovery file as the detector read it: the reader's report and what
// of it no kb entry explains.
struct DiscoverySource {
  std::string name;  // report name of the file (as EvidenceSourceInfo::name)
  std::shared_ptr<const DiscoveryReport> report;
  // Indexes into report->observations that matched no record signature (nor,
  // for a tag, a request signature through its URLs).
  std::vector<size_t> unattributed;
  uint64_t matched = 0;  // observations that matched some kb entry
  // Every match: (index into report->observations, kb id of the entry it is
  // evidence of), in observation order. Unlike a touchpoint's evidence, not
  // capped: the rules on tags (BS056) read every tag of a product.
  std::vector<std::pair<size_t, std::string>> attributed;
};

struct DetectionResult {
  std::vector<DetectedTouchpoint> touchpoints;    // sorted by kb_id
  std::vector<ThirdPartyHost> third_party_hosts;  // sorted by host
  std::vector<UnidentifiedTracker> unidentified;  // sorted by registrable_domain; empty without filter lists
  std::vector<UnattributedCarried> carried;       // sorted by registrable_domain
  std::vector<std::string> first_party_domains;   // eTLD+1 of the pages
  std::vector<EvidenceSourceInfo> sources;
  std::vector<Page> pages;                   // titles and URLs masked (see "Values" above)
  std::vector<DiscoverySource> discoveries;  // in the order given
  uint64_t entries = 0;
  uint64_t bytes = 0;
  // Links in HTML bodies with these schemes (counted whether or not a kb
  // entry lists them; phone numbers / addresses are not kept).
  uint64_t tel_links = 0;
  uint64_t mailto_links = 0;
  // What the readers recovered (and the detector's own kNoFirstParty), by
  // source and offset, `source` set: at most SourceSummary::kMaxWarnings per
  // source are kept; warning_count counts all.
  std::vector<ReadWarning> warnings;
  uint64_t warning_count = 0;
  std::map<ReadIssue, uint64_t> warning_counts;  // all warnings by issue
  const DetectedTouchpoint* Find(std::string_view kb_id) const;
  // True when some source was recorded in a known consent phase.
  bool HasPhases() const;
  // The earliest first_capture and latest last_capture of the sources, as
  // "YYYY-MM-DD"; empty when no source has one.
  std::string FirstCaptureDate() const;
  std::string LastCaptureDate() const;
};

class FilterEngine;  // include/blindspot/filter.h

struct DetectOptions {
  // The first party's registrable domains (lower case, eTLD+1) for every
  // source, instead of telling them from the pages. See ParseFirstParty.
  std::vector<std::string> first_party;
  // Filter lists (EasyPrivacy, EasyList, --filter-list) that flag third-party
  // requests no kb entry matched as unidentified trackers; may be null.
  std::shared_ptr<const FilterEngine> filters;
};

// Checks a --first-party value: a domain name (not a URL, an address or a
// public suffix), ASCII (IDNs in punycode, xn--), labels of letters, digits
// and '-'. Returns its registrable domain, lower case ("WWW.Shop.nl." ->
// "shop.nl"); a kUsage error saying what is wrong otherwise.
Result<std::string> ParseFirstParty(std::string_view domain);

class KbIndex {
 public:
  // Compiles `kb`, which the index keeps alive.
  static std::shared_ptr<const KbIndex> Build(std::shared_ptr<const Kb> kb);
  ~KbIndex();
  const Kb& kb() const;
  // Classifies one URL: the kb entry whose request signature matches, or
  // nullptr. O(host labels) hash lookups. Thread-safe.
  const KbEntry* ClassifyUrl(std::string_view url) const;

  struct Data;  // the compiled lookups (src/detect/kb_index.h)
  const Data& data() const { return *data_; }

 private:
  KbIndex() = default;
  std::shared_ptr<const Kb> kb_;
  std::unique_ptr<Data> data_;
};

class Detector {
 public:
  // `options.filters` (may be null) flags third-party requests that no kb
  // entry matched as unidentified trackers.
  explicit Detector(std::shared_ptr<const KbIndex> index, DetectOptions options = {});
  ~Detector();
  // Call before the records of each source; `name` is how reports name it,
  // `phase` the consent phase it was recorded in (EvidenceSource::phase()).
  // `observations` (may be null) is what the scan recorded besides the capture;
  // it is passed on in DetectionResult::sources.
  void BeginSource(const std::string& name, const std::string& kind,
                   ConsentPhase phase = ConsentPhase::kUnknown,
                   std::shared_ptr<const ScanObservations> observations = nullptr);
  void Observe(const EvidenceRecord& record);
  void EndSource(const SourceSummary& summary);
  // A discovery file (discovery.h), outside BeginSource/EndSource: its
  // observations are matched against the kb's record signatures (and a tag's
  // URLs against the request signatures) and become kRecord evidence; it is
  // listed in DetectionResult::sources with kind = report->reader.
  void AddDiscovery(const std::string& name, std::shared_ptr<const DiscoveryReport> report);
  DetectionResult Finish();

 private:
  struct Impl;  // src/detect/detector.h
  std::unique_ptr<Impl> impl_;
};

// Reads every source in order through one Detector. Stops at the first
// source error and returns it unchanged (file and byte offset).
// Discovery files (`discoveries`: report name and report) are added after the
// sources.
Result<DetectionResult> Detect(
    std::shared_ptr<const KbIndex> index, const std::vector<std::unique_ptr<EvidenceSource>>& sources,
    const DetectOptions& options = {},
    const std::vector<std::pair<std::string, std::shared_ptr<const DiscoveryReport>>>& discoveries = {});

}  // namespace blindspot

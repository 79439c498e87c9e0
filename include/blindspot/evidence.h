// Evidence: the source-neutral record the detector reads (EvidenceRecord),
// the EvidenceSource interface, and the HAR 1.2 reader (Chrome/Firefox/Safari
// DevTools, chrome-har). The module does no file I/O: the application layer
// reads files through an Env and hands the bytes over.
//
// The HAR reader streams: it calls a visitor once per entry with views into
// its own buffer, valid only during the call; copy what you keep. The buffer
// is walked with simdjson On-Demand (no DOM, no copy of the entries);
// resident memory is about twice the file size (the buffer plus simdjson's
// structural index and string buffer, reused between reads). Files up to 4 GiB.
// A capture is never thrown away for one bad field: what real tools write
// wrongly inside an entry (a value of the wrong type, invalid UTF-8 or a raw
// control character in a string, "base64" text that is not base64, an entry
// without a request or URL, an entry that is not an object) is recovered per
// entry and recorded as a ReadWarning with the entry index, the byte offset,
// the JSON path and what was done (value coerced, field ignored, entry
// skipped, bytes replaced, text used as is). Fields blindspot does not read
// (timings, sizes, httpVersion, ...) may be absent or of any type without a
// warning; null counts as absent everywhere except request.url.
// Fatal (the read returns an Error; nothing is visited afterwards): a document
// that is not JSON or is cut off, and one that is not a HAR at all (top level
// not an object with a 'log' object holding an 'entries' array), nesting
// deeper than 1024, content after the top-level object.
// Errors carry the byte offset (SourceLocation::offset, has_offset set) and:
//   where.line = 0, so Error::Format() prints "file: byte N";
//   source_line = the offending input line, clipped to ~120 characters around
//   the offset ("..." marks the cut) for minified files;
//   where.column = the 1-based caret position inside source_line;
//   the message ends with the real position " (line L, column C)" (bytes).
// Kinds: kIo (missing/unreadable), kParse (empty, not JSON, truncated, invalid
// UTF-8 outside a string, nesting deeper than 1024), kSchema (not a HAR:
// no log / log.entries, or log.entries not an array). Messages name the JSON
// path: "log.entries: expected an array, found object".
// Unknown keys are skipped.
// A HarReader is not thread-safe; use one per thread.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

struct Cookie {
  std::string_view name;
  std::string_view value;
  std::string_view domain;   // may be empty
  std::string_view expires;  // as recorded: an ISO date, an HTTP date or "Max-Age=N"; may be empty
};

struct Page {
  std::string id;
  std::string title;  // often the page URL
  std::string started;
  std::string
      url;  // the page URL where the tool records one (_url: chrome-har, Browsertime; _URL: WebPageTest)
};

// What was wrong in a capture (the `har_issue` vocabulary of data/vocab.yaml).
enum class ReadIssue {
  kWrongType,         // a value of the wrong JSON type
  kMissing,           // a field blindspot needs is absent (request, request.url)
  kInvalidUtf8,       // bytes in a string that are not UTF-8
  kControlCharacter,  // a raw control character (tab, newline, ...) inside a string
  kBadEscape,         // a string with an invalid escape (\x, a lone \ud800)
  kBadNumber,         // a number that does not fit (1e999)
  kNotBase64,         // text marked "base64" that is not base64
  kNoFirstParty,      // no page URL and no document request: the first party is unknown (detector)
};
// What was done about it (the `har_action` vocabulary).
enum class ReadAction {
  kCoerced,        // the value was converted ("200" -> 200, 42 -> "42")
  kFieldIgnored,   // the field was read as absent
  kEntrySkipped,   // the entry was not analysed
  kBytesReplaced,  // the offending bytes were replaced ('?' for invalid UTF-8, ' ' for control characters)
  kUsedAsText,     // the text was used as it is
  kAllThirdParty,  // every host of the source counts as third party (give --first-party)
};
std::string_view ToString(ReadIssue);   // "wrong-type", "missing", "invalid-utf8", "control-character",
                                        // "bad-escape", "bad-number", "not-base64", "no-first-party"
std::string_view ToString(ReadAction);  // "coerced", "field-ignored", "entry-skipped", "bytes-replaced",
                                        // "used-as-text", "all-third-party"
const std::vector<ReadIssue>& AllReadIssues();
const std::vector<ReadAction>& AllReadActions();

// A part of a capture that was not taken as written, and what was done.
struct ReadWarning {
  ReadIssue issue = ReadIssue::kWrongType;
  ReadAction action = ReadAction::kFieldIgnored;
  bool has_entry = false;  // false: outside log.entries (pages, creator) or about the whole source
  uint64_t entry = 0;      // 0-based index in log.entries
  uint64_t offset = 0;     // byte offset of the offending value in the file
  std::string path;        // JSON path: "log.entries[3].request.postData.params[0].value"
  std::string expected;    // kWrongType: the JSON type wanted ("string", "number", "object", "array")
  std::string found;       // kWrongType: the type found ("object", "null", ...)
  std::string source;      // the source's report name; set by the detector
};

// One observed request of a capture, whatever recorded it (a HAR entry today;
// a browser-scan record next). The detector reads only this.
struct EvidenceRecord {
  uint64_t index = 0;        // 0-based record number in its source
  uint64_t offset = 0;       // byte offset of the record in the source file (0 when not a file)
  std::string_view pageref;  // may be empty
  std::string_view started;  // startedDateTime
  std::string_view method;
  std::string_view url;        // full URL as recorded
  std::string_view post_mime;  // request.postData.mimeType
  std::string_view post_text;  // request.postData.text, base64-decoded when postData.encoding (or _encoding)
                               // is "base64" or _base64 is true (text that is not base64 is kept as is, with
                               // a warning); else params[] joined as "a=b&c=d" (may be empty)
  std::vector<Cookie> request_cookies;   // from request.cookies, else parsed Cookie header
  std::vector<Cookie> response_cookies;  // from response.cookies, else parsed Set-Cookie headers
  int status = 0;
  std::string_view mime_type;      // response.content.mimeType
  std::string_view body;           // response.content.text, decoded if encoding is "base64" (text that is not
                                   // base64 is kept as is, with a warning); empty if absent
  std::string_view resource_type;  // _resourceType (chrome-har) when present
  // Request headers Referer and Sec-Fetch-Dest ("document", "iframe", ...) as
  // written (JSON escapes not decoded); empty when absent.
  std::string_view referer;
  std::string_view fetch_dest;
};

// Filled while reading; complete only when the read returns (log.pages and
// log.browser may come after log.entries in a HAR).
struct SourceSummary {
  std::string kind;     // "har"
  std::string creator;  // "WebInspector 537.36", "chrome-har 0.12.0" (name and version)
  std::string browser;  // "Chrome 97.0.4692.99"; empty when absent
  std::vector<Page> pages;
  uint64_t entries = 0;  // entries visited (skipped ones are not counted)
  uint64_t bytes = 0;
  // What was recovered, by byte offset: at most kMaxWarnings are kept,
  // warning_count counts all.
  std::vector<ReadWarning> warnings;
  uint64_t warning_count = 0;
  std::map<ReadIssue, uint64_t> warning_counts;  // all warnings by issue
  static constexpr size_t kMaxWarnings = 100;
};

using RecordVisitor = std::function<void(const EvidenceRecord&)>;

// The consent phase a capture was recorded in (an evidence bundle holds one
// capture per phase, docs/formats/evidence.md): before any interaction with
// the consent banner, after "reject all", after "accept all". A HAR exported
// by hand has no known phase. Ordered as a scan records them.
enum class ConsentPhase {
  kUnknown,
  kBeforeConsent,
  kAfterReject,
  kAfterAccept,
};
// The bundle's folder names: "before-consent", "after-reject", "after-accept";
// kUnknown is "unknown" (the `consent_phase` vocabulary of data/vocab.yaml).
std::string_view ToString(ConsentPhase);
// The phase of a folder name; kUnknown for any other text (also "unknown").
ConsentPhase ParseConsentPhase(std::string_view folder);
// The three known phases in scan order (not kUnknown).
const std::vector<ConsentPhase>& AllConsentPhases();
// Before consent or after reject: a phase in which the visitor has not
// consented, so nothing that needs consent may run.
inline bool IsWithoutConsent(ConsentPhase p) {
  return p == ConsentPhase::kBeforeConsent || p == ConsentPhase::kAfterReject;
}

// What a live scan recorded in one phase besides its HAR: the phase's
// scan.json (docs/formats/evidence.md), the parts the audit judges consent by.
// Fields an older scan did not write are left at their defaults (the `has_`
// flags and std::optional say whether they were recorded).
struct ConsentButton {
  std::string text;
  std::string role;  // "accept", "reject", "settings", "other"
};
// A toggle of the banner's second layer (preferences panel) as the page
// rendered it before anything was clicked.
struct ConsentToggle {
  std::string category;  // its label ("Marketing", "Statistieken")
  std::string key;       // its id or name ("ot-group-id-C0004")
  std::string kind;      // "category", "legitimate-interest", "vendor"
  bool checked = false;
  bool disabled = false;
};
// The banner's box and what it does to the page beneath (consent.banner).
struct BannerBox {
  bool recorded = false;
  uint64_t page = 0;
  double viewport_share = 0;  // 0..1 of the viewport it covers
  bool scroll_locked = false;
  bool inert = false;  // the rest of the page is inert, aria-hidden or blurred
  std::vector<std::string> paywall_terms;
};
struct ScanConsent {
  bool recorded = false;      // the scan.json has a consent object with a result
  bool banner_found = false;  // a consent banner was found
  std::string consent_manager;
  std::string action;  // "reject", "accept", "none"
  std::string result;  // "not-attempted", "clicked", "failed", "no-banner", "not-run"
  std::vector<ConsentButton> first_layer_buttons;
  bool has_buttons = false;         // first_layer_buttons was recorded
  std::optional<int64_t> clicks;    // clicks the choice took, when recorded
  std::optional<bool> shown_again;  // banner_shown_again, when recorded
  std::optional<bool> self_test;    // the consent manager's stored choice checked; null: none
  std::vector<ConsentToggle> second_layer;
  bool has_second_layer = false;  // second_layer was recorded
  BannerBox banner;
  std::string tc_string;  // the IAB TCF consent string at the end of the phase ("" when none)
  std::string tc_from;    // "tcfapi" or "cookie"
  bool HasRole(std::string_view role) const;
};
struct ScanCookie {
  std::string name;
  std::string domain;
  bool session = false;
  bool third_party = false;
  std::string set_by;  // "http" or "script"
  uint64_t first_page = 0;
  std::optional<int64_t> lifetime_days;  // absent for session cookies
};
struct DeclaredCookie {
  std::string name;
  std::string host;
  std::string lifetime;  // as the consent manager writes it ("365 dagen", "2 years")
};
// A category of the consent manager's declaration (OneTrust's groups).
struct DeclaredCategory {
  std::string id;
  std::string name;
  std::string status;  // "always active", "active", "inactive", ...
  std::vector<DeclaredCookie> cookies;
};
// A row of a cookie table shown on a page (name, provider, category, lifetime, ...).
struct PageDeclarationRow {
  uint64_t page = 0;  // the page's index
  std::vector<std::string> cells;
};
// A page of the phase, in crawl order.
struct ScanPage {
  uint64_t index = 0;
  std::string url;
  bool failed = false;
  bool has_hosts = false;  // third_party_hosts was recorded
  std::vector<std::string> third_party_hosts;
  std::string tc_string;  // the TCF consent string on this page ("" when none)
};
struct ScanObservations {
  std::string file;  // the scan.json as named in messages ("after-reject/scan.json")
  ConsentPhase phase = ConsentPhase::kUnknown;
  ScanConsent consent;
  std::vector<ScanCookie> cookies;
  bool has_cmp_declaration = false;  // the consent manager's own declaration was loaded
  std::string cmp_declaration_manager;
  std::vector<DeclaredCategory> cmp_categories;
  std::vector<PageDeclarationRow> page_declarations;
  std::vector<ScanPage> pages;
  // Names of the cookies declared anywhere (the consent manager's declaration
  // and the pages' tables).
  bool Declares(std::string_view cookie_name) const;
};
// Reads a phase's scan.json. Strict about what it reads: a document that is
// not JSON, or a known field of the wrong type, is an Error with file:line:col
// (`label` names the file) and the JSON path; keys it does not read are
// skipped and fields an older scan did not write may be absent. No I/O.
Result<ScanObservations> ParseScanObservations(std::string_view json, const std::string& label);

// One source of evidence (a HAR file now; a browser scan or another capture
// next): it reads its records and hands them to a visitor, in order. The
// visitor's views are valid only during the call. Not thread-safe; one
// source per thread.
class EvidenceSource {
 public:
  virtual ~EvidenceSource() = default;
  // How reports name the source: the file's base name ("home.har").
  virtual const std::string& name() const = 0;
  // Reads every record; what it recovers is in SourceSummary::warnings. Stops
  // only at a fatal error (not JSON, cut off, not a HAR) and returns it.
  virtual Result<SourceSummary> Read(const RecordVisitor& visit) = 0;
  // The consent phase the capture was recorded in: known for a phase of an
  // evidence bundle, kUnknown for a HAR file given on its own.
  virtual ConsentPhase phase() const { return ConsentPhase::kUnknown; }
  // What the scan recorded besides the capture (its scan.json), when known.
  virtual std::shared_ptr<const ScanObservations> observations() const { return nullptr; }
};

// A HAR file already read into memory (by the application layer, through an
// Env). `data` is kept and parsed in place; give it capacity for 64 bytes more
// than its size to avoid a copy. `label` names the file in errors (the path as
// given), `name` in reports (its base name); `phase` is the consent phase it
// was recorded in, when it comes from an evidence bundle.
std::unique_ptr<EvidenceSource> NewHarSource(std::string data, std::string label, std::string name,
                                             ConsentPhase phase = ConsentPhase::kUnknown,
                                             std::shared_ptr<const ScanObservations> observations = nullptr);

class HarReader {
 public:
  HarReader();
  ~HarReader();
  // Parses `json` (copied into a padded buffer) and calls `visit` for each
  // entry in file order. Recovers per entry (SourceSummary::warnings); stops
  // and returns the error only for a fatal problem (not JSON, truncated, not
  // a HAR). `name` labels errors.
  Result<SourceSummary> ReadBuffer(std::string_view json, const std::string& name,
                                   const RecordVisitor& visit);
  // Same, parsing `data` in place (a leading byte-order mark is blanked;
  // invalid UTF-8 and raw control characters in strings are replaced, see
  // ReadAction::kBytesReplaced) when its capacity leaves room for the
  // parser's padding, else via a copy.
  Result<SourceSummary> ReadOwned(std::string& data, const std::string& name, const RecordVisitor& visit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Links found in an HTML body: values of href, src, action, formaction,
// data-href and data-src attributes (DOM order, via gumbo), then bare contact
// links found anywhere in the text or scripts ("https://wa.me/31612345678",
// "api.whatsapp.com/send?...", "m.me/page", "tel:+31...", "mailto:a@b.nl") that
// are not inside an attribute already returned (source order). Views into
// `html`, as written: character references such as "&amp;" are NOT decoded.
// Empty values, "#fragment" and "javascript:" links are left out. Relative
// URLs are returned unresolved. Thread-safe; never fails (any bytes accepted).
std::vector<std::string_view> ExtractLinks(std::string_view html);

// Registrable domain (eTLD+1) by the Public Suffix List (libpsl), lower-case.
// "www.facebook.com" -> "facebook.com", "a.b.co.uk" -> "b.co.uk"; for IPs,
// "localhost" and hosts that are themselves a public suffix returns the host
// itself (lower-cased; a leading or trailing dot is removed). Uses the system
// list (/usr/share/publicsuffix) when newer, else libpsl's built-in list;
// loaded once. Thread-safe.
std::string RegistrableDomain(std::string_view host);

// True when `host` (lower case) is itself a public suffix by the Public
// Suffix List ("nl", "co.uk", "github.io"). Thread-safe.
bool IsPublicSuffix(std::string_view host);

// True when `tld` (one label, lower case) is a top-level domain that the
// Public Suffix List names ("nl", "com", "io"), not only by its default rule
// ("png", "js", "local" are not). Thread-safe.
bool IsKnownTld(std::string_view tld);

// Splits a URL. Views into `url`. Returns false when it has no scheme://host.
// host excludes userinfo and port ("[::1]" keeps its brackets); path may be
// empty; query is without '?'; the #fragment is dropped.
struct UrlParts {
  std::string_view scheme, host, path, query;  // host lower-case in the input is not guaranteed
};
bool SplitUrl(std::string_view url, UrlParts* out);

}  // namespace blindspot

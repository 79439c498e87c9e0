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
// Errors carry the byte offset (SourceLocation::offset, has_offset set) and:
//   where.line = 0, so Error::Format() prints "file: byte N";
//   source_line = the offending input line, clipped to ~120 characters around
//   the offset ("..." marks the cut) for minified files;
//   where.column = the 1-based caret position inside source_line;
//   the message ends with the real position " (line L, column C)" (bytes).
// Kinds: kIo (missing/unreadable), kParse (empty, not JSON, truncated, invalid
// UTF-8, nesting deeper than 1024), kSchema (not a HAR, wrong type, missing
// log / log.entries / entries[i].request / request.url). Messages name the JSON
// path: "log.entries[3].request.url: expected a string, found number".
// Unknown keys are skipped; null is accepted for optional fields.
// A HarReader is not thread-safe; use one per thread.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
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
  std::string_view post_text;  // request.postData.text; else params[] joined as "a=b&c=d" (may be empty)
  std::vector<Cookie> request_cookies;   // from request.cookies, else parsed Cookie header
  std::vector<Cookie> response_cookies;  // from response.cookies, else parsed Set-Cookie headers
  int status = 0;
  std::string_view mime_type;  // response.content.mimeType
  std::string_view body;       // response.content.text, decoded if encoding is "base64" (a body that is not
                               // valid base64 is cut where it stops decoding); empty if absent
  std::string_view resource_type;  // _resourceType (chrome-har) when present
};

// Filled while reading; complete only when the read returns (log.pages and
// log.browser may come after log.entries in a HAR).
struct SourceSummary {
  std::string kind;     // "har"
  std::string creator;  // "WebInspector 537.36", "chrome-har 0.12.0" (name and version)
  std::string browser;  // "Chrome 97.0.4692.99"; empty when absent
  std::vector<Page> pages;
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

using RecordVisitor = std::function<void(const EvidenceRecord&)>;

// One source of evidence (a HAR file now; a browser scan or another capture
// next): it reads its records and hands them to a visitor, in order. The
// visitor's views are valid only during the call. Not thread-safe; one
// source per thread.
class EvidenceSource {
 public:
  virtual ~EvidenceSource() = default;
  // How reports name the source: the file's base name ("home.har").
  virtual const std::string& name() const = 0;
  // Reads every record; stops at the first malformed part and returns its error.
  virtual Result<SourceSummary> Read(const RecordVisitor& visit) = 0;
};

// A HAR file already read into memory (by the application layer, through an
// Env). `data` is kept and parsed in place; give it capacity for 64 bytes more
// than its size to avoid a copy. `label` names the file in errors (the path as
// given), `name` in reports (its base name).
std::unique_ptr<EvidenceSource> NewHarSource(std::string data, std::string label, std::string name);

class HarReader {
 public:
  HarReader();
  ~HarReader();
  // Parses `json` (copied into a padded buffer) and calls `visit` for each
  // entry in file order. Stops and returns the error at the first malformed
  // part (not JSON, truncated, invalid UTF-8, wrong type:
  // "log.entries[3].request.url: expected string"). `name` labels errors.
  Result<SourceSummary> ReadBuffer(std::string_view json, const std::string& name,
                                   const RecordVisitor& visit);
  // Same, parsing `data` in place (a leading byte-order mark is blanked) when
  // its capacity leaves room for the parser's padding, else via a copy.
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

// Splits a URL. Views into `url`. Returns false when it has no scheme://host.
// host excludes userinfo and port ("[::1]" keeps its brackets); path may be
// empty; query is without '?'; the #fragment is dropped.
struct UrlParts {
  std::string_view scheme, host, path, query;  // host lower-case in the input is not guaranteed
};
bool SplitUrl(std::string_view url, UrlParts* out);

}  // namespace blindspot

// Evidence readers: HAR 1.2 files (Chrome/Firefox/Safari DevTools, chrome-har).
//
// The reader streams: it calls a visitor once per entry with views into its
// own buffer, valid only during the call; copy what you keep. Memory is the
// file size plus a small constant (the file is read once into a padded buffer;
// no DOM is built). Errors carry the byte offset (SourceLocation::offset).
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

struct HarCookie {
  std::string_view name;
  std::string_view value;
  std::string_view domain;  // may be empty
};

struct HarPage {
  std::string id;
  std::string title;   // often the page URL
  std::string started;
};

struct HarEntry {
  uint64_t index = 0;          // 0-based entry number in the file
  uint64_t offset = 0;         // byte offset of the entry object in the file
  std::string_view pageref;    // may be empty
  std::string_view started;    // startedDateTime
  std::string_view method;
  std::string_view url;        // full URL as recorded
  std::string_view post_mime;  // request.postData.mimeType
  std::string_view post_text;  // request.postData.text (may be empty)
  std::vector<HarCookie> request_cookies;   // from request.cookies, else parsed Cookie header
  std::vector<HarCookie> response_cookies;  // from response.cookies, else parsed Set-Cookie headers
  int status = 0;
  std::string_view mime_type;  // response.content.mimeType
  std::string_view body;       // response.content.text, decoded if base64; empty if absent
  std::string_view resource_type;  // _resourceType (chrome-har) when present
};

struct HarSummary {
  std::string creator;   // "WebInspector 537.36", "chrome-har 0.12.0"
  std::string browser;
  std::vector<HarPage> pages;
  uint64_t entries = 0;
  uint64_t bytes = 0;
};

class HarReader {
 public:
  HarReader();
  ~HarReader();
  // Reads `path` and calls `visit` for each entry in file order. Stops and
  // returns the error at the first malformed part (not JSON, truncated,
  // invalid UTF-8, wrong type: "log.entries[3].request.url: expected string").
  Result<HarSummary> ReadFile(const std::string& path, const std::function<void(const HarEntry&)>& visit);
  // Same, for a buffer already in memory (fuzzing, tests). `name` labels errors.
  Result<HarSummary> ReadBuffer(std::string_view json, const std::string& name,
                                const std::function<void(const HarEntry&)>& visit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Links found in an HTML body (href/src/action values and bare URLs such as
// "https://wa.me/31612345678"). Views into `html`.
std::vector<std::string_view> ExtractLinks(std::string_view html);

// Registrable domain (eTLD+1) by the Public Suffix List (libpsl), lower-case.
// "www.facebook.com" -> "facebook.com", "a.b.co.uk" -> "b.co.uk"; for IPs and
// unknown suffixes returns the host itself. Thread-safe.
std::string RegistrableDomain(std::string_view host);

// Splits a URL. Views into `url`. Returns false when it has no scheme://host.
struct UrlParts {
  std::string_view scheme, host, path, query;  // host lower-case in the input is not guaranteed
};
bool SplitUrl(std::string_view url, UrlParts* out);

}  // namespace blindspot

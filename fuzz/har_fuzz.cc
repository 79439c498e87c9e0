// libFuzzer target: HarReader::ReadBuffer on arbitrary bytes, then ExtractLinks
// on every response body and SplitUrl/RegistrableDomain on every URL. Every
// view the reader hands out is copied so that AddressSanitizer sees a read of
// each byte while the view is supposed to be valid. The same bytes then go
// through the path the application layer uses (NewHarSource: parsed in place
// with ReadOwned), which must agree with ReadBuffer. See docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <string>

#include "blindspot/evidence.h"

namespace {

size_t Touch(std::string_view v) {
  std::string copy(v);  // reads every byte of the view
  size_t h = 0;
  for (unsigned char ch : copy) h = h * 31 + ch;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static blindspot::HarReader reader;  // reused, as the CLI does for several files
  std::string_view input(reinterpret_cast<const char*>(data), size);
  volatile size_t sink = 0;
  auto result = reader.ReadBuffer(input, "fuzz.har", [&](const blindspot::EvidenceRecord& e) {
    size_t h = Touch(e.pageref) + Touch(e.started) + Touch(e.method) + Touch(e.url) + Touch(e.post_mime) +
               Touch(e.post_text) + Touch(e.mime_type) + Touch(e.body) + Touch(e.resource_type);
    for (const auto& c : e.request_cookies)
      h += Touch(c.name) + Touch(c.value) + Touch(c.domain) + Touch(c.expires);
    for (const auto& c : e.response_cookies)
      h += Touch(c.name) + Touch(c.value) + Touch(c.domain) + Touch(c.expires);
    if (!e.body.empty()) {
      for (std::string_view link : blindspot::ExtractLinks(e.body)) {
        // Links are views into the body.
        if (link.data() < e.body.data() || link.data() + link.size() > e.body.data() + e.body.size())
          __builtin_trap();
        h += Touch(link);
      }
    }
    blindspot::UrlParts parts;
    if (blindspot::SplitUrl(e.url, &parts)) h += blindspot::RegistrableDomain(parts.host).size();
    sink = sink + h;
  });
  if (!result) {
    const blindspot::Error& err = result.error();
    // Errors from a buffer always carry an offset inside (or at the end of) it.
    if (!err.where.has_offset || err.where.offset > size) __builtin_trap();
    sink = sink + err.Format().size();
  } else {
    if (result->bytes != size) __builtin_trap();
  }
  // The application layer's path: the bytes owned by an evidence source (with
  // room for the parser's padding), parsed in place. Same records, same error.
  std::string owned;
  owned.reserve(size + 64);
  owned.assign(input);
  auto source = blindspot::NewHarSource(std::move(owned), "fuzz.har", "fuzz.har");
  uint64_t records = 0;
  auto in_place = source->Read([&](const blindspot::EvidenceRecord& e) {
    ++records;
    sink = sink + Touch(e.url) + Touch(e.body);
  });
  if (in_place.has_value() != result.has_value()) __builtin_trap();
  if (result) {
    if (records != result->entries || in_place->entries != result->entries || in_place->kind != "har")
      __builtin_trap();
  } else if (in_place.error().where.offset != result.error().where.offset ||
             in_place.error().message != result.error().message) {
    __builtin_trap();
  }
  // Also treat the raw input as HTML.
  for (std::string_view link : blindspot::ExtractLinks(input)) sink = sink + Touch(link);
  return 0;
}

// libFuzzer target for the discovery readers: the input through every reader
// of the registry (AllDiscoveryReaders()), first its `recognise` (under two
// file names), then its `read` (without and with a --domain), whatever the
// score, so that each parser sees every input.
//
// Checks besides "no crash, no exception, no sanitizer report":
//   - recognise() scores 0..100;
//   - an error has a message, names the file, and has a column when it has a
//     line; it formats;
//   - a report names its reader; every warning is marked as one and names the
//     file; every observation has a location;
//   - reading the same bytes twice gives the same observation count.
// See docs/fuzzing.md.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "blindspot/discovery.h"

namespace {

[[noreturn]] void Fail(std::string_view who, const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "discover_fuzz: %.*s: %s: %.*s\n", static_cast<int>(who.size()), who.data(), what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void CheckError(std::string_view who, const blindspot::Error& e, const std::string& file) {
  if (e.message.empty()) Fail(who, "an error without a message");
  // The file, or the file with the part inside it ("report.xml.gz (member x.xml)").
  if (e.where.file != file && !e.where.file.starts_with(file + " ("))
    Fail(who, "an error that does not name the file", e.message);
  if (e.where.line > 0 && e.where.column == 0) Fail(who, "an error with a line but no column", e.message);
  (void)e.Format();
}

void ReadOnce(const blindspot::DiscoveryReader& r, std::string_view text, const std::string& file,
              const blindspot::DiscoveryOptions& options) {
  auto first = r.read(text, file, options);
  if (!first) {
    CheckError(r.name, first.error(), file);
    if (first.error().warning) Fail(r.name, "a failed read whose error is a warning", first.error().message);
    return;
  }
  if (first->reader != r.name) Fail(r.name, "a report that does not name its reader", first->reader);
  for (const auto& w : first->warnings) {
    if (!w.warning) Fail(r.name, "a warning not marked as one", w.message);
    CheckError(r.name, w, file);
  }
  for (const auto& o : first->observations)
    if (o.location.empty()) Fail(r.name, "an observation without a location", o.key);
  auto second = r.read(text, file, options);
  if (!second || second->observations.size() != first->observations.size())
    Fail(r.name, "reading the same bytes twice differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& r : blindspot::AllDiscoveryReaders()) {
    try {
      for (std::string_view name : {"fuzz.in", "example.org.yaml"}) {
        int score = r.recognise(text, name);
        if (score < 0 || score > 100) Fail(r.name, "a score outside 0..100");
      }
      ReadOnce(r, text, "fuzz.in", blindspot::DiscoveryOptions{});
      blindspot::DiscoveryOptions with_domain;
      with_domain.domain = "example.org";
      ReadOnce(r, text, "fuzz.in", with_domain);
    } catch (const std::exception& e) {
      Fail(r.name, "the reader threw", e.what());
    } catch (...) {
      Fail(r.name, "the reader threw");
    }
  }
  return 0;
}

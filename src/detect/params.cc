// The parameter names a request carries: query, form-encoded and JSON
// (top-level keys) POST bodies, and form-encoded beacons sent as text/plain.
// Names are percent-decoded; values are never looked at.
#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::AddName(std::string_view raw) {
  if (raw.empty()) return;
  if (n_names == names.size()) names.emplace_back();
  DecodeName(raw, &names[n_names++]);
}

void Detector::Impl::CollectNames(const ParsedUrl& u, const EvidenceRecord& e) {
  if (names_ready) return;
  names_ready = true;
  n_names = 0;
  ForEachParamName(u.query, [&](std::string_view n) { AddName(n); });
  if (e.post_text.empty()) return;
  std::string_view mime = e.post_mime;
  std::string_view body = e.post_text;
  size_t ws = body.find_first_not_of(" \t\r\n");
  bool json_like = ws != std::string_view::npos && body[ws] == '{';
  if (mime.find("json") != std::string_view::npos || (mime.empty() && json_like)) {
    if (json_like)
      ForEachJsonTopKey(body, [&](std::string_view k) {
        if (k.empty()) return;
        if (n_names == names.size()) names.emplace_back();
        UnescapeJsonKey(k, &names[n_names++]);
      });
  } else if (mime.find("x-www-form-urlencoded") != std::string_view::npos ||
             (mime.empty() && body.find('=') != std::string_view::npos && !json_like)) {
    ForEachParamName(body, [&](std::string_view n) { AddName(n); });
  } else if (mime.starts_with("text/plain") && body.find('=') != std::string_view::npos &&
             body.find_first_of(" \n") == std::string_view::npos) {
    // sendBeacon payloads are often form-encoded with a text/plain type.
    ForEachParamName(body, [&](std::string_view n) { AddName(n); });
  }
}

bool Detector::Impl::HasName(std::string_view n) const {
  for (size_t i = 0; i < n_names; ++i)
    if (names[i] == n) return true;
  return false;
}

}  // namespace blindspot

// The parameter names a request carries: the query, and POST bodies (already
// base64-decoded by the reader): form-encoded, form-encoded beacons sent as
// text/plain, multipart/form-data part names, and JSON (top-level keys plus
// nested keys as dotted paths: "user_data.em"). Names are percent-decoded
// (query, form) or unescaped (JSON); values are never looked at.
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
  bool json_like = ws != std::string_view::npos && (body[ws] == '{' || body[ws] == '[');
  auto add_exact = [&](std::string_view n) {
    if (n.empty()) return;
    if (n_names == names.size()) names.emplace_back();
    names[n_names++].assign(n);
  };
  if (mime.find("json") != std::string_view::npos ||
      (json_like && (mime.empty() || StartsWithNoCase(mime, "text/plain")))) {
    // JSON, also sent as text/plain by sendBeacon.
    if (json_like) ForEachJsonName(body, &json_path, &json_key, add_exact);
  } else if (StartsWithNoCase(mime, "multipart/form-data")) {
    ForEachMultipartName(body, add_exact);
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

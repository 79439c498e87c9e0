// The parameter names a request carries: the query, and POST bodies (already
// base64-decoded by the reader): form-encoded, form-encoded beacons sent as
// text/plain, multipart/form-data part names, and JSON (top-level keys plus
// nested keys as dotted paths: "user_data.em"). Names are percent-decoded
// (query, form) or unescaped (JSON); values are never looked at.
#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::AddName(std::string_view raw, bool has_value) {
  if (raw.empty()) return;
  if (n_names == names.size()) {
    names.emplace_back();
    name_has_value.push_back(1);
  }
  name_has_value[n_names] = has_value ? 1 : 0;
  DecodeName(raw, &names[n_names++]);
}

void Detector::Impl::CollectNames(const ParsedUrl& u, const EvidenceRecord& e) {
  if (names_ready) return;
  names_ready = true;
  n_names = 0;
  ForEachParam(u.query, [&](std::string_view n, std::string_view v) { AddName(n, !v.empty()); });
  if (e.post_text.empty()) return;
  std::string_view mime = e.post_mime;
  std::string_view body = e.post_text;
  size_t ws = body.find_first_not_of(" \t\r\n");
  bool json_like = ws != std::string_view::npos && (body[ws] == '{' || body[ws] == '[');
  auto add_exact = [&](std::string_view n) {
    if (n.empty()) return;
    if (n_names == names.size()) {
      names.emplace_back();
      name_has_value.push_back(1);
    }
    name_has_value[n_names] = 1;  // JSON and multipart: the value is not looked at
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
    ForEachParam(body, [&](std::string_view n, std::string_view v) { AddName(n, !v.empty()); });
  } else if (mime.starts_with("text/plain") && body.find('=') != std::string_view::npos &&
             body.find_first_of(" \n") == std::string_view::npos) {
    // sendBeacon payloads are often form-encoded with a text/plain type.
    ForEachParam(body, [&](std::string_view n, std::string_view v) { AddName(n, !v.empty()); });
  }
}

bool Detector::Impl::HasName(std::string_view n) const {
  for (size_t i = 0; i < n_names; ++i)
    if (names[i] == n) return true;
  return false;
}

}  // namespace blindspot

// Unidentified trackers: third-party requests that no kb entry matched,
// classified with the filter lists at the end of each source (issue 6 §4).
//
// The request's type comes from what the capture recorded: Chrome's
// _resourceType when present, else the response MIME type, else the file
// extension of the URL path; the source URL is the source's first document
// (the page), so that $third-party and domain= options see the site.
#include <algorithm>

#include "blindspot/filter.h"
#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

ResourceType TypeOf(const PendingRequest& p) {
  std::string rt = LowerAscii(p.type);
  if (StartsWithNoCase(p.url, "ws")) return ResourceType::kWebSocket;
  if (rt == "websocket") return ResourceType::kWebSocket;
  if (rt == "document") return ResourceType::kSubdocument;  // not the page itself: that is first party
  if (rt == "script") return ResourceType::kScript;
  if (rt == "stylesheet") return ResourceType::kStylesheet;
  if (rt == "image") return ResourceType::kImage;
  if (rt == "font") return ResourceType::kFont;
  if (rt == "media") return ResourceType::kMedia;
  if (rt == "xhr" || rt == "fetch") return ResourceType::kXmlHttpRequest;
  if (rt == "ping") return ResourceType::kPing;
  if (!rt.empty()) return ResourceType::kOther;
  std::string mime = LowerAscii(p.mime.substr(0, p.mime.find(';')));
  while (!mime.empty() && mime.back() == ' ') mime.pop_back();
  if (mime == "text/html" || mime == "application/xhtml+xml") return ResourceType::kSubdocument;
  if (mime.find("javascript") != std::string::npos || mime.find("ecmascript") != std::string::npos)
    return ResourceType::kScript;
  if (mime == "text/css") return ResourceType::kStylesheet;
  if (mime.starts_with("image/")) return ResourceType::kImage;
  if (mime.starts_with("font/") || mime.find("woff") != std::string::npos) return ResourceType::kFont;
  if (mime.starts_with("video/") || mime.starts_with("audio/")) return ResourceType::kMedia;
  if (mime.find("json") != std::string::npos || mime.find("xml") != std::string::npos || mime == "text/plain")
    return ResourceType::kXmlHttpRequest;
  ParsedUrl u;
  std::string_view path;
  if (ParseUrl(p.url, &u)) path = u.path;
  size_t dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos
                        ? std::string()
                        : LowerAscii(path.substr(dot + 1));
  if (ext == "js" || ext == "mjs") return ResourceType::kScript;
  if (ext == "css") return ResourceType::kStylesheet;
  if (ext == "png" || ext == "gif" || ext == "jpg" || ext == "jpeg" || ext == "webp" || ext == "svg" ||
      ext == "ico" || ext == "avif")
    return ResourceType::kImage;
  if (ext == "woff" || ext == "woff2" || ext == "ttf" || ext == "otf" || ext == "eot")
    return ResourceType::kFont;
  if (ext == "mp4" || ext == "webm" || ext == "mp3" || ext == "m3u8") return ResourceType::kMedia;
  if (ext == "html" || ext == "htm") return ResourceType::kSubdocument;
  if (ext == "json") return ResourceType::kXmlHttpRequest;
  return ResourceType::kOther;
}

}  // namespace

void Detector::Impl::ClassifyUnmatched(const std::set<std::string>& first_party_domains) {
  if (!filters || pending_requests.empty()) return;
  // The page the requests were made from, for $third-party and domain=: the
  // source's first document, else the first party's home page.
  std::string page = FirstDocumentOf(source_doc);
  if (page.empty() && !first_party_domains.empty()) page = "https://" + *first_party_domains.begin() + "/";
  for (const PendingRequest& p : pending_requests) {
    const std::string& dom = Regdom(p.host);
    if (first_party_domains.count(dom)) continue;
    FilterRequest req{p.url, page, TypeOf(p)};
    FilterDecision dec = filters->Match(req);
    if (!dec.block || !dec.filter) continue;
    UnidentifiedTracker& t = unidentified[dom];
    if (t.requests == 0) {
      t.registrable_domain = dom;
      t.filter = std::string(dec.filter->text);
      t.list = std::string(dec.filter->list);
      t.line = dec.filter->line;
      t.example_url = MaskUrl(p.url, kMaxValue);
      t.source = source_name;
      t.entry = p.index;
    }
    t.requests++;
    auto it = std::lower_bound(t.hosts.begin(), t.hosts.end(), p.host);
    if (it == t.hosts.end() || *it != p.host) t.hosts.insert(it, p.host);
  }
  pending_requests.clear();
}

}  // namespace blindspot

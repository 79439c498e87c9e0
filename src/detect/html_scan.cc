// HTML bodies: markers (once per body), links to known prefixes, and counts of
// tel:/mailto: links, in one pass of the multi-pattern scanner.
#include <cctype>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::ScanHtml(const EvidenceRecord& e) {
  std::string_view body = e.body;
  ++body_seq;
  size_t last_link_start = std::string_view::npos;
  d.scanner.Scan(body, [&](uint32_t id, size_t pos) {
    const BodyPattern& bp = d.body_patterns[id];
    switch (bp.kind) {
      case BodyKind::kMarker: {
        if (marker_seen[bp.index] == body_seq) return;  // once per body
        marker_seen[bp.index] = body_seq;
        const Pattern& m = d.markers[bp.index];
        AddEvidence(
            m.entry, EvidenceKind::kHtmlMarker, m.text, [&](EvidenceItem& item) { item.signature = m.text; },
            e, true);
        return;
      }
      case BodyKind::kTel:
      case BodyKind::kMailto: {
        // "hotel:" is no link: the scheme must start a token.
        if (pos > 0 && std::isalnum(static_cast<unsigned char>(body[pos - 1]))) return;
        (bp.kind == BodyKind::kTel ? result.tel_links : result.mailto_links)++;
        return;
      }
      case BodyKind::kLink: {
        size_t start = 0;
        std::string_view link = UrlTokenAt(body, pos, &start);
        if (start == last_link_start) return;  // same token, already matched against every prefix
        last_link_start = start;
        MatchLink(link, e);
        return;
      }
    }
  });
}

// Matches a link (a URL-like token) against the kb link prefixes: the prefix
// must start the link, or its remainder after "scheme://", "//" or "www.".
void Detector::Impl::MatchLink(std::string_view link, const EvidenceRecord& e) {
  if (d.link_prefixes.empty()) return;
  std::string_view rest = link;
  size_t colon = link.find("://");
  if (colon != std::string_view::npos && colon < 16) {
    rest = link.substr(colon + 3);
  } else if (link.starts_with("//")) {
    rest = link.substr(2);
  }
  std::string_view no_www = StartsWithNoCase(rest, "www.") ? rest.substr(4) : std::string_view();
  for (const Pattern& p : d.link_prefixes) {
    bool hit = StartsWithNoCase(rest, p.text) || StartsWithNoCase(link, p.text) ||
               (!no_www.empty() && StartsWithNoCase(no_www, p.text));
    if (!hit) continue;
    bool phone_like = StartsWithNoCase(link, "tel:") || StartsWithNoCase(link, "mailto:");
    AddEvidence(
        p.entry, EvidenceKind::kLink, {},
        [&](EvidenceItem& item) {
          // tel:/mailto: carry a number or address: keep only the scheme.
          item.url =
              phone_like ? std::string(link.substr(0, link.find(':') + 1)) + "…" : MaskUrl(link, kMaxValue);
          item.signature = p.text;
        },
        e, true);
  }
}

}  // namespace blindspot

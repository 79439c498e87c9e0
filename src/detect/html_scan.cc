// HTML bodies: markers (once per body), links to known prefixes, and counts of
// tel:/mailto: links, in one pass of the multi-pattern scanner. An href value
// that holds a character reference ("&amp;", "&#47;") is decoded as a browser
// does and matched whole; the raw link tokens inside it are then not matched
// again.
#include <cctype>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

namespace {

// The attribute value that starts at text[pos] (just after "name="): quoted
// with " or ', or unquoted up to a blank or '>'. Sets *end to the offset
// after it.
std::string_view AttributeValue(std::string_view text, size_t pos, size_t* end) {
  *end = pos;
  if (pos >= text.size()) return {};
  char q = text[pos];
  if (q == '"' || q == '\'') {
    size_t close = text.find(q, pos + 1);
    if (close == std::string_view::npos || close - pos > 8192) return {};
    *end = close + 1;
    return text.substr(pos + 1, close - pos - 1);
  }
  size_t e = pos;
  while (e < text.size() && e - pos < 8192 && text[e] != ' ' && text[e] != '>' && text[e] != '\t' &&
         text[e] != '\n' && text[e] != '\r')
    ++e;
  *end = e;
  return text.substr(pos, e - pos);
}

}  // namespace

void Detector::Impl::ScanHtml(const EvidenceRecord& e) {
  std::string_view body = e.body;
  ++body_seq;
  size_t last_link_start = std::string_view::npos;
  size_t decoded_end = 0;  // links before this offset were matched in a decoded attribute value
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
      case BodyKind::kAttr: {
        if (pos < decoded_end) return;
        size_t eq = body.find('=', pos);
        size_t end = 0;
        std::string_view value = AttributeValue(body, eq + 1, &end);
        if (!DecodeCharRefs(value, &link_buf)) return;  // no '&': the raw tokens are matched
        decoded_end = end;
        size_t first = link_buf.find_first_not_of(" \t\r\n");
        if (first == std::string::npos) return;
        size_t last = link_buf.find_last_not_of(" \t\r\n");
        MatchLink(std::string_view(link_buf).substr(first, last - first + 1), e);
        return;
      }
      case BodyKind::kLink: {
        if (pos < decoded_end) return;
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

// ExtractLinks: URL-bearing attributes from the DOM (gumbo) plus a scan of the
// raw text for bare contact links (wa.me, m.me, tel:, mailto:, ...).
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "blindspot/evidence.h"
#include "evidence/har_util.h"

namespace blindspot {
namespace {

// Attributes whose value is a URL.
constexpr std::array<std::string_view, 6> kUrlAttributes = {"href",       "src",       "action",
                                                            "formaction", "data-href", "data-src"};

// Bare links looked for in text and scripts.
constexpr std::array<std::string_view, 6> kBareNeedles = {
    "wa.me/", "api.whatsapp.com/", "web.whatsapp.com/", "m.me/", "tel:", "mailto:"};

// Gumbo builds the tree recursively in places (and frees it recursively);
// documents nested deeper than this are scanned without the DOM.
constexpr size_t kMaxTagDepthForDom = 5000;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool Keep(std::string_view v) {
  if (v.empty() || v.front() == '#') return false;
  if (v.size() >= 11 && evidence_internal::EqualsIgnoreCase(v.substr(0, 11), "javascript:")) return false;
  return true;
}

// Characters that end a bare URL in text or script source.
bool EndsUrl(char c) {
  return IsSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\' || c == ')' ||
         c == '(' || c == ',' || c == ';' || c == '{' || c == '}' || c == '[' || c == ']' || c == '\0';
}

bool HostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

// Rough upper bound of the element nesting depth: open tags minus close tags.
size_t ApproxTagDepth(std::string_view html) {
  size_t depth = 0, max_depth = 0;
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    if (i + 1 >= html.size()) break;
    char c = html[i + 1];
    if (c == '/') {
      if (depth) --depth;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      max_depth = std::max(max_depth, ++depth);
    }
  }
  return max_depth;
}

void AddAttributeLinks(std::string_view html, std::vector<std::string_view>* out) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we do not read parse errors
  GumboOutput* doc = gumbo_parse_with_options(&options, html.data(), html.size());
  if (!doc) return;
  const char* begin = html.data();
  const char* end = html.data() + html.size();
  std::vector<const GumboNode*> stack;
  stack.push_back(doc->root);
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& el = node->v.element;
    for (unsigned i = 0; i < el.attributes.length; ++i) {
      const auto* attr = static_cast<const GumboAttribute*>(el.attributes.data[i]);
      std::string_view name(attr->name);
      bool wanted = false;
      for (auto w : kUrlAttributes) wanted = wanted || name == w;
      if (!wanted) continue;
      std::string_view raw(attr->original_value.data, attr->original_value.length);
      // Views must point into `html`; gumbo's original_value does, unless the
      // attribute was synthesised by the parser.
      if (raw.data() == nullptr || raw.data() < begin || raw.data() + raw.size() > end) continue;
      if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front()) {
        raw = raw.substr(1, raw.size() - 2);
      }
      raw = TrimView(raw);
      if (Keep(raw)) out->push_back(raw);
    }
    for (unsigned i = el.children.length; i-- > 0;) {
      stack.push_back(static_cast<const GumboNode*>(el.children.data[i]));
    }
  }
  gumbo_destroy_output(&options, doc);
}

// Fallback without a DOM: quoted values of url attributes ("href=..." etc.).
void AddAttributeLinksByScan(std::string_view html, std::vector<std::string_view>* out) {
  for (auto attr : kUrlAttributes) {
    for (size_t pos = html.find(attr); pos != std::string_view::npos; pos = html.find(attr, pos + 1)) {
      if (pos > 0 && !IsSpace(html[pos - 1])) continue;
      size_t i = pos + attr.size();
      while (i < html.size() && IsSpace(html[i])) ++i;
      if (i >= html.size() || html[i] != '=') continue;
      ++i;
      while (i < html.size() && IsSpace(html[i])) ++i;
      if (i >= html.size()) break;
      size_t start, stop;
      if (html[i] == '"' || html[i] == '\'') {
        start = i + 1;
        stop = html.find(html[i], start);
        if (stop == std::string_view::npos) break;
      } else {
        start = i;
        stop = start;
        while (stop < html.size() && !IsSpace(html[stop]) && html[stop] != '>') ++stop;
      }
      std::string_view v = TrimView(html.substr(start, stop - start));
      if (Keep(v)) out->push_back(v);
    }
  }
}

void AddBareLinks(std::string_view html, std::vector<std::string_view>* out) {
  // Spans already returned as attribute values, to avoid duplicates.
  std::vector<std::pair<const char*, const char*>> spans;
  spans.reserve(out->size());
  for (auto v : *out) spans.emplace_back(v.data(), v.data() + v.size());
  std::sort(spans.begin(), spans.end());
  // Attribute values do not overlap: look at the last span starting at or before p.
  auto covered = [&](const char* p) {
    auto it = std::upper_bound(spans.begin(), spans.end(), p,
                               [](const char* q, const auto& span) { return q < span.first; });
    if (it == spans.begin()) return false;
    --it;
    return p >= it->first && p < it->second;
  };
  std::vector<std::string_view> found;
  for (auto needle : kBareNeedles) {
    bool is_scheme = needle.back() == ':';
    for (size_t pos = html.find(needle); pos != std::string_view::npos; pos = html.find(needle, pos + 1)) {
      size_t start = pos;
      if (is_scheme) {
        // "tel:" / "mailto:" must start a token ("hotel:" is not a link).
        if (pos > 0 && (std::isalnum(static_cast<unsigned char>(html[pos - 1])) || html[pos - 1] == '-'))
          continue;
        size_t after = pos + needle.size();
        if (after >= html.size() || EndsUrl(html[after])) continue;
        if (needle == "tel:" && !(std::isdigit(static_cast<unsigned char>(html[after])) ||
                                  html[after] == '+' || html[after] == '%' || html[after] == '('))
          continue;
      } else {
        // The host must not continue to the left ("fm.me/" is another host).
        if (pos > 0 && HostChar(html[pos - 1])) {
          continue;
        }
        // Include "//" and a scheme ("https:") right before the host.
        if (start >= 2 && html.substr(start - 2, 2) == "//") {
          start -= 2;
          if (start > 0 && html[start - 1] == ':') {
            size_t s = start - 1;
            while (s > 0 && std::isalpha(static_cast<unsigned char>(html[s - 1])) && start - s < 12) --s;
            if (s < start - 1) start = s;
          }
        }
      }
      size_t stop = pos + needle.size();
      while (stop < html.size() && !EndsUrl(html[stop])) ++stop;
      if (covered(html.data() + pos)) continue;
      std::string_view v = html.substr(start, stop - start);
      // Strip trailing sentence punctuation.
      while (!v.empty() && (v.back() == '.' || v.back() == ':' || v.back() == '!' || v.back() == '?')) {
        v.remove_suffix(1);
      }
      if (v.size() > needle.size()) found.push_back(v);
    }
  }
  std::sort(found.begin(), found.end(),
            [](std::string_view a, std::string_view b) { return a.data() < b.data(); });
  out->insert(out->end(), found.begin(), found.end());
}

}  // namespace

std::vector<std::string_view> ExtractLinks(std::string_view html) {
  std::vector<std::string_view> out;
  if (html.empty()) return out;
  // gumbo takes an unsigned int length.
  if (html.size() < (1u << 31) && ApproxTagDepth(html) <= kMaxTagDepthForDom) {
    AddAttributeLinks(html, &out);
  } else {
    AddAttributeLinksByScan(html, &out);
  }
  AddBareLinks(html, &out);
  return out;
}

}  // namespace blindspot

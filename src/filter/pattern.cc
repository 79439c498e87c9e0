// The pattern matcher (literal bytes, `*`, `^`, anchors) and the choice of
// index tokens from patterns and regular expressions.
#include <string.h>

#include <algorithm>

#include "filter/filter_internal.h"

namespace blindspot::filter_internal {
namespace {

// Matches one segment (no `*`) at exactly `pos`. A `^` matches a separator
// or, at the end of the URL, nothing. Sets *end past what was consumed.
bool SegmentAt(std::string_view seg, std::string_view url, size_t pos, size_t* end) {
  size_t p = pos;
  const size_t n = url.size();
  for (char c : seg) {
    if (c == '^') {
      if (p < n) {
        if (!IsSeparator(static_cast<unsigned char>(url[p]))) return false;
        ++p;
      }
      // At the end: zero width; any literal after it fails below.
    } else {
      if (p >= n || url[p] != c) return false;
      ++p;
    }
  }
  *end = p;
  return true;
}

// The leftmost occurrence of `seg` at or after `from`.
size_t SegmentFind(std::string_view seg, std::string_view url, size_t from, size_t* end) {
  if (seg.find('^') == std::string_view::npos) {
    // memmem (two-way, vectorized) rather than find: URLs are full of `%`
    // and `/`, the usual first bytes of a pattern.
    if (from > url.size()) return std::string_view::npos;
    const void* hit = memmem(url.data() + from, url.size() - from, seg.data(), seg.size());
    if (!hit) return std::string_view::npos;
    size_t p = static_cast<size_t>(static_cast<const char*>(hit) - url.data());
    *end = p + seg.size();
    return p;
  }
  const size_t n = url.size();
  const char first = seg[0];
  for (size_t p = from; p <= n; ++p) {
    if (first != '^') {
      p = url.find(first, p);
      if (p == std::string_view::npos) return p;
    }
    if (SegmentAt(seg, url, p, end)) return p;
  }
  return std::string_view::npos;
}

// An occurrence of `seg` at or after `from` that ends at the end of the URL.
// Only trailing `^`s can match nothing (at the end), so a few start
// positions are possible.
bool SegmentEndsAt(std::string_view seg, std::string_view url, size_t from) {
  const size_t n = url.size();
  size_t carets = 0;
  while (carets < seg.size() && seg[seg.size() - 1 - carets] == '^') ++carets;
  for (size_t zero = 0; zero <= carets; ++zero) {
    size_t consumed = seg.size() - zero;
    if (consumed > n) continue;
    size_t start = n - consumed;
    size_t end = 0;
    if (start >= from && SegmentAt(seg, url, start, &end) && end == n) return true;
  }
  return false;
}

// Matches `rest` (segments after a `*`) anywhere at or after `from`.
bool MatchRest(std::string_view rest, bool right, std::string_view url, size_t from) {
  for (;;) {
    while (!rest.empty() && rest.front() == '*') rest.remove_prefix(1);
    if (rest.empty()) return true;  // a trailing `*` reaches the end too
    size_t star = rest.find('*');
    std::string_view seg = rest.substr(0, star);
    if (star == std::string_view::npos) {
      if (right) return SegmentEndsAt(seg, url, from);
      size_t end = 0;
      return SegmentFind(seg, url, from, &end) != std::string_view::npos;
    }
    size_t end = 0;
    if (SegmentFind(seg, url, from, &end) == std::string_view::npos) return false;
    from = end;
    rest.remove_prefix(star + 1);
  }
}

}  // namespace

bool MatchAt(std::string_view pattern, bool right, std::string_view url, size_t pos) {
  if (pos > url.size()) return false;
  size_t star = pattern.find('*');
  size_t end = 0;
  if (!SegmentAt(pattern.substr(0, star), url, pos, &end)) return false;
  if (star == std::string_view::npos) return !right || end == url.size();
  return MatchRest(pattern.substr(star + 1), right, url, end);
}

bool PatternMatches(std::string_view pattern, uint8_t anchors, std::string_view url, size_t host_begin,
                    size_t host_end) {
  const bool right = (anchors & kAnchorRight) != 0;
  if (anchors & kAnchorLeft) return MatchAt(pattern, right, url, 0);
  if (anchors & kAnchorHost) {
    for (size_t s = host_begin; s < host_end; ++s) {
      if ((s == host_begin || url[s - 1] == '.') && MatchAt(pattern, right, url, s)) return true;
    }
    return false;
  }
  size_t star = pattern.find('*');
  std::string_view first = pattern.substr(0, star);
  if (first.empty()) return MatchRest(pattern, right, url, 0);
  if (star == std::string_view::npos) {
    if (right) return SegmentEndsAt(first, url, 0);
    size_t end = 0;
    return SegmentFind(first, url, 0, &end) != std::string_view::npos;
  }
  // The leftmost occurrence of the first segment leaves the most room for
  // the rest, so it is the only one to try.
  size_t end = 0;
  if (SegmentFind(first, url, 0, &end) == std::string_view::npos) return false;
  return MatchRest(pattern.substr(star + 1), right, url, end);
}

std::vector<PatternToken> PatternTokens(std::string_view pattern, uint8_t anchors) {
  std::vector<PatternToken> out;
  const size_t n = pattern.size();
  size_t i = 0;
  while (i < n) {
    if (!IsTokenChar(static_cast<unsigned char>(pattern[i]))) {
      ++i;
      continue;
    }
    size_t s = i;
    while (i < n && IsTokenChar(static_cast<unsigned char>(pattern[i]))) ++i;
    // The URL must have a token starting exactly here: the character before
    // is a literal non-token character or `^` (never `*`), or the anchor.
    bool left = s > 0 ? pattern[s - 1] != '*' : (anchors & (kAnchorLeft | kAnchorHost)) != 0;
    // ... and ending exactly here, unless the key (8 bytes) is covered.
    bool right = i < n ? pattern[i] != '*' : (anchors & kAnchorRight) != 0;
    if (i - s >= kTokenKeyBytes) right = true;
    if (left && right) out.push_back({pattern.substr(s, i - s), static_cast<uint32_t>(s)});
  }
  return out;
}

std::vector<std::string> RegexTokens(std::string_view re) {
  // Walks the top level of the expression as a sequence of atoms: literal
  // characters, and "unknown" atoms (classes, groups, `.`, escapes such as
  // \d or \b, anything quantified). A run of literal token characters is a
  // certain token when a literal non-token character (or the start `^` /
  // end `$`) stands unquantified on both sides. An alternation at the top
  // level makes nothing certain.
  std::vector<std::string> out;
  const size_t n = re.size();
  std::string run;
  bool left = false;
  auto close = [&](bool right) {
    if (!run.empty() && left && (right || run.size() >= kTokenKeyBytes)) out.push_back(run);
    run.clear();
  };
  auto quantified = [&](size_t next) {
    return next < n && (re[next] == '?' || re[next] == '*' || re[next] == '+' || re[next] == '{');
  };
  size_t i = 0;
  if (n > 0 && re[0] == '^') {
    left = true;
    i = 1;
  }
  while (i < n) {
    char c = re[i];
    bool literal = false;
    char lit = 0;
    size_t next = i + 1;
    if (c == '\\') {
      if (i + 1 >= n) return {};
      char e = re[i + 1];
      next = i + 2;
      if (!((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
        literal = true;
        lit = e;
      }
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < n && re[j] == '^') ++j;
      if (j < n && re[j] == ']') ++j;
      while (j < n && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
      next = j + 1;
    } else if (c == '(') {
      int depth = 0;
      size_t j = i;
      for (; j < n; ++j) {
        if (re[j] == '\\') {
          ++j;
        } else if (re[j] == '[') {
          ++j;
          if (j < n && re[j] == '^') ++j;
          if (j < n && re[j] == ']') ++j;
          while (j < n && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
        } else if (re[j] == '(') {
          ++depth;
        } else if (re[j] == ')') {
          if (--depth == 0) break;
        }
      }
      next = j + 1;
    } else if (c == '|') {
      return {};
    } else if (c == '$' && i + 1 == n) {
      close(true);
      return out;
    } else if (c == '.' || c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == '{' || c == ')') {
      // unknown
    } else {
      literal = true;
      lit = c;
    }
    // A quantifier makes the atom optional or repeated: unknown.
    if (quantified(next)) {
      literal = false;
      if (re[next] == '{') {
        while (next < n && re[next] != '}') ++next;
      }
      if (next < n) ++next;
      if (next < n && re[next] == '?') ++next;  // lazy
    }
    if (literal && IsTokenChar(static_cast<unsigned char>(lit))) {
      run.push_back(Lower(lit));  // `left` still says what precedes the run
    } else if (literal) {
      close(true);
      left = true;
    } else {
      close(false);
      left = false;
    }
    i = next;
  }
  close(false);
  return out;
}

}  // namespace blindspot::filter_internal

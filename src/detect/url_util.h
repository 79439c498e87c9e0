// Small, allocation-free URL and parameter helpers for the detection hot path.
// Internal to src/detect (not a public header). All functions are pure and
// thread-safe; string_views returned point into the input.
#pragma once
#include <string>
#include <string_view>

namespace blindspot::detect_internal {

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool NeedsLowering(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return true;
  return false;
}

inline void LowerHost(std::string_view in, std::string* out) {
  out->assign(in);
  for (char& c : *out) c = Lower(c);
}

inline std::string LowerHost(std::string_view in) {
  std::string s;
  LowerHost(in, &s);
  return s;
}

inline bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (Lower(s[i]) != Lower(prefix[i])) return false;
  return true;
}

// host == pattern or host ends with "." + pattern. Both lower-case.
inline bool HostMatches(std::string_view host, std::string_view pattern) {
  if (host.size() == pattern.size()) return host == pattern;
  if (host.size() < pattern.size() + 1) return false;
  return host.ends_with(pattern) && host[host.size() - pattern.size() - 1] == '.';
}

struct ParsedUrl {
  std::string_view scheme;  // as written
  std::string_view host;    // without userinfo and port; case as written
  std::string_view path;    // from the first '/' up to '?' or '#'; may be empty
  std::string_view query;   // after '?' up to '#'; may be empty
};

// Splits "scheme://[userinfo@]host[:port][/path][?query][#fragment]".
// Returns false when there is no "scheme://".
inline bool ParseUrl(std::string_view url, ParsedUrl* out) {
  size_t p = url.find("://");
  if (p == std::string_view::npos || p == 0 || p > 32) return false;
  out->scheme = url.substr(0, p);
  std::string_view rest = url.substr(p + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view auth = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  size_t at = auth.rfind('@');
  if (at != std::string_view::npos) auth.remove_prefix(at + 1);
  if (!auth.empty() && auth.front() == '[') {
    size_t close = auth.find(']');
    auth = close == std::string_view::npos ? auth : auth.substr(0, close + 1);
  } else {
    size_t colon = auth.rfind(':');
    if (colon != std::string_view::npos) auth = auth.substr(0, colon);
  }
  while (!auth.empty() && auth.back() == '.') auth.remove_suffix(1);
  out->host = auth;
  size_t hash = tail.find('#');
  if (hash != std::string_view::npos) tail = tail.substr(0, hash);
  size_t q = tail.find('?');
  if (q == std::string_view::npos) {
    out->path = tail;
    out->query = {};
  } else {
    out->path = tail.substr(0, q);
    out->query = tail.substr(q + 1);
  }
  return true;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a parameter name ("ud%5Bem%5D" -> "ud[em]"); '+' -> ' '.
// Invalid escapes are kept as written.
inline void DecodeName(std::string_view raw, std::string* out) {
  out->clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size()) {
      int hi = HexValue(raw[i + 1]), lo = HexValue(raw[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out->push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out->push_back(c == '+' ? ' ' : c);
  }
}

// Calls f(raw_name) for each "name[=value]" in an '&'-separated list.
template <class F>
inline void ForEachParamName(std::string_view q, F&& f) {
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    if (!name.empty()) f(name);
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
}

// Skips a JSON string starting at s[i] == '"'; returns the index after the
// closing quote (or s.size() when unterminated).
inline size_t SkipJsonString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

// Calls f(raw_key) (still JSON-escaped, without quotes) for each key of the
// top-level object of `json`. Stops quietly at the first malformed part.
template <class F>
inline void ForEachJsonTopKey(std::string_view s, F&& f) {
  size_t i = s.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || s[i] != '{') return;
  ++i;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == ',')) ++i;
    if (i >= s.size() || s[i] != '"') return;  // '}' or malformed
    size_t end = SkipJsonString(s, i);
    if (end > s.size() || end < i + 2) return;
    f(s.substr(i + 1, end - i - 2));
    i = end;
    while (i < s.size() && s[i] != ':') {
      if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return;
      ++i;
    }
    ++i;
    // Skip the value.
    int depth = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '"') {
        i = SkipJsonString(s, i) - 1;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return;  // end of the top-level object
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
  }
}

// Unescapes the simple JSON escapes of a key (\" \\ \/ \uXXXX for ASCII).
inline void UnescapeJsonKey(std::string_view raw, std::string* out) {
  out->clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out->push_back(c);
      continue;
    }
    char n = raw[++i];
    switch (n) {
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'u':
        if (i + 4 < raw.size()) {
          int v = 0;
          bool ok = true;
          for (int k = 1; k <= 4; ++k) {
            int h = HexValue(raw[i + k]);
            if (h < 0) ok = false;
            v = v * 16 + (h < 0 ? 0 : h);
          }
          if (ok && v < 0x80) {
            out->push_back(static_cast<char>(v));
            i += 4;
            break;
          }
        }
        out->push_back('\\');
        out->push_back('u');
        break;
      default:
        out->push_back(n);
        break;
    }
  }
}

// The URL with every query value replaced by "…" and the fragment dropped,
// parameter names percent-decoded: "https://h/p?ud%5Bem%5D=x&a=1" ->
// "https://h/p?ud[em]=…&a=…". Truncated to `max` bytes (at a UTF-8 boundary).
inline std::string MaskUrl(std::string_view url, size_t max) {
  size_t hash = url.find('#');
  if (hash != std::string_view::npos) url = url.substr(0, hash);
  size_t q = url.find('?');
  std::string out(url.substr(0, q));
  if (q != std::string_view::npos) {
    out.push_back('?');
    bool first = true;
    std::string name;
    std::string_view query = url.substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      DecodeName(pair.substr(0, eq), &name);
      if (!pair.empty()) {
        if (!first) out.push_back('&');
        first = false;
        out += name;
        if (eq != std::string_view::npos) out += "=…";
      }
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
      if (out.size() > max) break;
    }
  }
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace blindspot::detect_internal

// Small, allocation-free URL and parameter helpers for the detection hot path.
// Internal to src/detect (not a public header). All functions are pure and
// thread-safe; string_views returned point into the input.
#pragma once
#include <cstdint>
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

// Calls f(raw_name, raw_value) for each "name[=value]" in an '&'-separated
// list (value empty when there is no '=').
template <class F>
inline void ForEachParam(std::string_view q, F&& f) {
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    if (!name.empty()) f(name, eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
}

// Calls f(raw_name) for each "name[=value]" in an '&'-separated list.
template <class F>
inline void ForEachParamName(std::string_view q, F&& f) {
  ForEachParam(q, [&](std::string_view name, std::string_view) { f(name); });
}

// Calls f(name) for every key of the JSON object or array in `s`: top-level
// keys as written, nested keys as the dotted path of their parents' keys
// ({"user_data":{"em":1}} gives "user_data", "user_data.em"); arrays add
// nothing to a path ({"data":[{"em":1}]} gives "data", "data.em"). Keys are
// unescaped (UnescapeJsonKey); empty keys are not reported. `path` and `key`
// are scratch. Follows at most kMaxJsonDepth nested containers and reports at
// most kMaxJsonNames names; stops quietly at the first malformed part.
inline constexpr size_t kMaxJsonDepth = 32;
inline constexpr size_t kMaxJsonNames = 1024;
inline void UnescapeJsonKey(std::string_view raw, std::string* out);
template <class F, class V>
inline void WalkJson(std::string_view s, std::string* path, std::string* key, F&& f, V&& on_string);
template <class F>
inline void ForEachJsonName(std::string_view s, std::string* path, std::string* key, F&& f) {
  WalkJson(s, path, key, f, [](std::string_view, std::string_view) {});
}

// As ForEachJsonName, and also calls on_string(path, raw) for every string
// value (`raw` still JSON-escaped, without quotes; `path` the dotted name of
// its key, an array element's that of the array).
template <class F, class V>
inline void WalkJson(std::string_view s, std::string* path, std::string* key, F&& f, V&& on_string) {
  struct Frame {
    bool object;
    size_t path_len;  // length of the container's own path in *path
  };
  Frame stack[kMaxJsonDepth];
  size_t depth = 0, names = 0, i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  // Skips a scalar value (string, number, literal) at s[i].
  auto skip_scalar = [&] {
    if (i < s.size() && s[i] == '"') {
      i = SkipJsonString(s, i);
      return;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  };
  // Opens the container at s[i] ('{' or '['), whose path is path[0, len).
  auto open = [&](size_t len) {
    if (depth == kMaxJsonDepth) return false;
    stack[depth++] = Frame{s[i] == '{', len};
    ++i;
    return true;
  };
  path->clear();
  ws();
  if (i >= s.size() || (s[i] != '{' && s[i] != '[')) return;
  open(0);
  while (depth > 0) {
    ws();
    while (i < s.size() && s[i] == ',') {
      ++i;
      ws();
    }
    if (i >= s.size()) return;
    Frame& top = stack[depth - 1];
    if (s[i] == '}' || s[i] == ']') {
      if ((s[i] == '}') != top.object) return;
      --depth;
      ++i;
      continue;
    }
    size_t value_path = top.path_len;
    if (top.object) {
      if (s[i] != '"') return;
      size_t end = SkipJsonString(s, i);
      if (end > s.size() || end < i + 2) return;
      UnescapeJsonKey(s.substr(i + 1, end - i - 2), key);
      i = end;
      path->resize(top.path_len);
      if (!key->empty()) {
        if (!path->empty()) path->push_back('.');
        *path += *key;
        if (names++ == kMaxJsonNames) return;
        f(std::string_view(*path));
      }
      value_path = path->size();
      ws();
      if (i >= s.size() || s[i] != ':') return;
      ++i;
      ws();
      if (i >= s.size()) return;
    }
    if (s[i] == '{' || s[i] == '[') {
      if (!open(value_path)) return;
    } else if (s[i] == '"') {
      size_t start = i;
      skip_scalar();
      if (i <= s.size() && i >= start + 2 && s[i - 1] == '"') {
        path->resize(value_path);
        on_string(std::string_view(*path), s.substr(start + 1, i - start - 2));
      }
    } else {
      skip_scalar();
    }
  }
}

// The names of the parts of a multipart/form-data body: the name="..." of
// each Content-Disposition header (not filename="...").
template <class F>
inline void ForEachMultipartName(std::string_view body, F&& f) {
  size_t at = 0;
  while ((at = body.find("name=\"", at)) != std::string_view::npos) {
    size_t start = at + 6;
    bool word = at > 0 && ((body[at - 1] >= 'a' && body[at - 1] <= 'z') ||
                           (body[at - 1] >= 'A' && body[at - 1] <= 'Z') || body[at - 1] == '-');
    at = start;
    if (word) continue;  // filename="..."
    size_t end = body.find('"', start);
    if (end == std::string_view::npos) return;
    if (end > start) f(body.substr(start, end - start));
    at = end + 1;
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

inline bool IsHtmlMime(std::string_view mime) {
  return StartsWithNoCase(mime, "text/html") || StartsWithNoCase(mime, "application/xhtml+xml");
}

// A body without a mime type that is HTML: "<!doctype html" or "<html" (any
// case) after blanks and a UTF-8 byte-order mark.
inline bool SniffHtml(std::string_view body) {
  size_t i = 0;
  if (body.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < body.size() &&
         (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n' || body[i] == '\f'))
    ++i;
  std::string_view rest = body.substr(i);
  return StartsWithNoCase(rest, "<!doctype html") || StartsWithNoCase(rest, "<html");
}

inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the character references in an HTML attribute value as a browser
// does (HTML Living Standard, "character reference state" in an attribute):
//  - numeric: "&#47;", "&#x2F;" (the ';' may be left out); 0, surrogates and
//    values above U+10FFFF give U+FFFD, 0x80-0x9F are read as windows-1252;
//  - named, with ';': the references that can appear in URLs (&amp; &lt;
//    &gt; &quot; &apos; &sol; &bsol; &colon; &semi; &period; &comma; &commat;
//    &quest; &equals; &num; &percnt; &plus; &lowbar; &excl; &lpar; &rpar;
//    &ast; &dollar; &Tab; &NewLine; &nbsp;);
//  - named without ';': only the legacy &amp &lt &gt &quot &nbsp, and not
//    when an alphanumeric or '=' follows ("?a=1&copy=2" stays as written).
// Anything else is kept as written. Returns false (out untouched) when
// `value` has no '&'.
inline bool DecodeCharRefs(std::string_view value, std::string* out) {
  if (value.find('&') == std::string_view::npos) return false;
  struct Named {
    std::string_view name;
    uint32_t cp;
    bool legacy;  // may appear without ';'
  };
  static constexpr Named kNamed[] = {
      {"amp", '&', true},     {"lt", '<', true},       {"gt", '>', true},      {"quot", '"', true},
      {"nbsp", 0xA0, true},   {"apos", '\'', false},   {"sol", '/', false},    {"bsol", '\\', false},
      {"colon", ':', false},  {"semi", ';', false},    {"period", '.', false}, {"comma", ',', false},
      {"commat", '@', false}, {"quest", '?', false},   {"equals", '=', false}, {"num", '#', false},
      {"percnt", '%', false}, {"plus", '+', false},    {"lowbar", '_', false}, {"excl", '!', false},
      {"lpar", '(', false},   {"rpar", ')', false},    {"ast", '*', false},    {"dollar", '$', false},
      {"Tab", '\t', false},   {"NewLine", '\n', false}};
  static constexpr uint16_t kCp1252[32] = {0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
                                           0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
  auto alnum = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  out->clear();
  size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (c != '&') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 < value.size() && value[i + 1] == '#') {
      size_t j = i + 2;
      bool hex = j < value.size() && (value[j] == 'x' || value[j] == 'X');
      if (hex) ++j;
      size_t digits = j;
      uint64_t v = 0;
      while (j < value.size() && (hex ? HexValue(value[j]) >= 0 : (value[j] >= '0' && value[j] <= '9'))) {
        v = v * (hex ? 16 : 10) + static_cast<uint64_t>(hex ? HexValue(value[j]) : value[j] - '0');
        if (v > 0x10FFFF) v = 0x110000;
        ++j;
      }
      if (j == digits) {  // "&#" without digits: as written
        out->push_back('&');
        ++i;
        continue;
      }
      if (j < value.size() && value[j] == ';') ++j;
      uint32_t cp = static_cast<uint32_t>(v);
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
      if (cp >= 0x80 && cp <= 0x9F) cp = kCp1252[cp - 0x80];
      AppendUtf8(cp, out);
      i = j;
      continue;
    }
    bool done = false;
    for (const Named& n : kNamed) {
      std::string_view rest = value.substr(i + 1);
      if (!rest.starts_with(n.name)) continue;
      size_t after = i + 1 + n.name.size();
      if (after < value.size() && value[after] == ';') {
        AppendUtf8(n.cp, out);
        i = after + 1;
        done = true;
        break;
      }
      if (n.legacy && (after >= value.size() || (!alnum(value[after]) && value[after] != '='))) {
        AppendUtf8(n.cp, out);
        i = after;
        done = true;
        break;
      }
    }
    if (!done) {
      out->push_back('&');
      ++i;
    }
  }
  return true;
}

// `text` (a page title or URL) with personal data masked as in request URLs:
// every URL in it ("scheme://" up to a blank, quote or angle bracket) as
// MaskUrl gives it (query values "…", fragment dropped), then every e-mail
// address ("name@domain.tld", also with "%40") replaced by "…".
inline std::string MaskText(std::string_view text) {
  auto url_char = [](char c) {
    return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '"' && c != '\'' && c != '<' && c != '>';
  };
  auto scheme_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
  };
  std::string out;
  size_t from = 0;
  while (true) {
    size_t sep = text.find("://", from);
    if (sep == std::string_view::npos) break;
    size_t b = sep;
    while (b > from && scheme_char(text[b - 1])) --b;
    size_t e = sep + 3;
    while (e < text.size() && url_char(text[e])) ++e;
    if (b == sep) {  // no scheme
      out.append(text.substr(from, e - from));
      from = e;
      continue;
    }
    out.append(text.substr(from, b - from));
    out += MaskUrl(text.substr(b, e - b), 4096);
    from = e;
  }
  out.append(text.substr(from));
  // E-mail addresses.
  auto local_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
  };
  auto domain_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  };
  std::string masked;
  size_t done = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    size_t at_len = out[i] == '@' ? 1 : (out.compare(i, 3, "%40") == 0 ? 3 : 0);
    if (at_len == 0) continue;
    size_t b = i;
    while (b > done && local_char(out[b - 1])) --b;
    size_t e = i + at_len;
    while (e < out.size() && domain_char(out[e])) ++e;
    while (e > i + at_len && (out[e - 1] == '.' || out[e - 1] == '-')) --e;
    std::string_view domain(out.data() + i + at_len, e - i - at_len);
    size_t dot = domain.rfind('.');
    bool ok = b < i && dot != std::string_view::npos && dot > 0 && domain.size() - dot - 1 >= 2;
    if (!ok) continue;
    masked.append(out, done, b - done);
    masked += "…";
    done = e;
    i = e - 1;
  }
  if (done == 0) return out;
  masked.append(out, done, std::string::npos);
  return masked;
}

}  // namespace blindspot::detect_internal

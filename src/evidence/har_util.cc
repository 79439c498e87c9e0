#include "evidence/har_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace blindspot::evidence_internal {
namespace {

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

// Length of the well-formed UTF-8 sequence starting at p[0] (1..4), or 0 when
// it is not well-formed. `n` is the number of bytes available.
size_t Utf8SeqLen(const unsigned char* p, size_t n) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (n >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0) {
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (c == 0xED && p[1] >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c < 0xF5) {
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (c == 0xF4 && p[1] >= 0x90) return 0;  // > U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

void ParseCookieHeader(std::string_view header, std::vector<Cookie>* out) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    if (pair.empty()) continue;
    Cookie c;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      c.name = pair;
    } else {
      c.name = Trim(pair.substr(0, eq));
      c.value = Trim(pair.substr(eq + 1));
    }
    if (!c.name.empty() || !c.value.empty()) out->push_back(c);
  }
}

void ParseSetCookie(std::string_view header, std::vector<Cookie>* out) {
  while (!header.empty()) {
    size_t nl = header.find('\n');
    std::string_view line = header.substr(0, nl);
    header = nl == std::string_view::npos ? std::string_view() : header.substr(nl + 1);
    line = Trim(line);
    if (line.empty()) continue;
    size_t semi = line.find(';');
    std::string_view pair = Trim(line.substr(0, semi));
    std::string_view attrs = semi == std::string_view::npos ? std::string_view() : line.substr(semi + 1);
    Cookie c;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      c.value = pair;  // RFC 6265 5.2: no '=' means an empty name
    } else {
      c.name = Trim(pair.substr(0, eq));
      c.value = Trim(pair.substr(eq + 1));
    }
    while (!attrs.empty()) {
      size_t s = attrs.find(';');
      std::string_view attr = Trim(attrs.substr(0, s));
      attrs = s == std::string_view::npos ? std::string_view() : attrs.substr(s + 1);
      size_t aeq = attr.find('=');
      if (aeq == std::string_view::npos) continue;
      std::string_view aname = Trim(attr.substr(0, aeq));
      if (EqualsIgnoreCase(aname, "domain")) {
        c.domain = Trim(attr.substr(aeq + 1));
      } else if (EqualsIgnoreCase(aname, "expires") && c.expires.empty()) {
        c.expires = Trim(attr.substr(aeq + 1));
      } else if (EqualsIgnoreCase(aname, "max-age")) {
        c.expires = attr;  // "Max-Age=N" takes precedence over Expires (RFC 6265 5.3)
      }
    }
    if (!c.name.empty() || !c.value.empty()) out->push_back(c);
  }
}

bool Base64Decode(std::string_view in, std::string* out) {
  static const auto kTable = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(a[i])] = static_cast<int8_t>(i);
    t['-'] = 62;  // URL-safe alphabet
    t['_'] = 63;
    t['\n'] = t['\r'] = -2;
    t['='] = -3;
    return t;
  }();
  out->clear();
  out->reserve(in.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t chars = 0;
  size_t i = 0;
  for (; i < in.size(); ++i) {
    int8_t v = kTable[static_cast<unsigned char>(in[i])];
    if (v >= 0) {
      acc = (acc << 6) | static_cast<uint32_t>(v);
      bits += 6;
      ++chars;
      if (bits >= 8) {
        bits -= 8;
        out->push_back(static_cast<char>((acc >> bits) & 0xFF));
      }
    } else if (v == -2) {
      continue;
    } else if (v == -3) {
      break;
    } else {
      return false;
    }
  }
  // After the padding only more padding and line breaks.
  for (; i < in.size(); ++i) {
    int8_t v = kTable[static_cast<unsigned char>(in[i])];
    if (v != -2 && v != -3) return false;
  }
  return chars % 4 != 1;
}

bool RepairStrings(char* text, size_t size, std::vector<StringRepair>* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text);
  std::vector<StringRepair> found;
  auto note = [&](size_t at, bool control) {
    if (!found.empty() && found.back().control == control &&
        found.back().offset + found.back().length == at) {
      ++found.back().length;
    } else {
      found.push_back({at, 1, control});
    }
  };
  size_t i = 0;
  while (i < size) {
    if (p[i] != '"') {
      ++i;
      continue;
    }
    ++i;  // inside a string
    for (;;) {
      if (i >= size) return false;  // runs to the end: cut off
      unsigned char c = p[i];
      if (c == '"') {
        ++i;
        break;
      }
      if (c == '\\') {
        // Skip the escaped character unless it is itself a byte to repair.
        i += (i + 1 < size && p[i + 1] >= 0x20 && p[i + 1] < 0x80) ? 2 : 1;
        continue;
      }
      if (c < 0x20) {
        note(i, true);
        ++i;
        continue;
      }
      if (c < 0x80) {
        ++i;
        continue;
      }
      size_t len = Utf8SeqLen(p + i, size - i);
      if (len == 0) {
        note(i, false);
        len = 1;
      }
      i += len;
    }
  }
  for (const StringRepair& r : found)
    std::memset(text + r.offset, r.control ? ' ' : '?', static_cast<size_t>(r.length));
  out->insert(out->end(), found.begin(), found.end());
  return true;
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size(), i = 0;
  while (i < n) {
    // Fast path over ASCII, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    size_t len = Utf8SeqLen(p + i, n - i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

void LineColumn(std::string_view text, uint64_t offset, uint32_t* line, uint32_t* column) {
  size_t off = std::min<uint64_t>(offset, text.size());
  size_t nl = static_cast<size_t>(std::count(text.begin(), text.begin() + off, '\n'));
  size_t ls = 0;
  if (off > 0) {
    size_t nlpos = text.rfind('\n', off - 1);
    ls = nlpos == std::string_view::npos ? 0 : nlpos + 1;
  }
  *line = static_cast<uint32_t>(std::min<size_t>(nl + 1, UINT32_MAX));
  *column = static_cast<uint32_t>(std::min<size_t>(off - ls + 1, UINT32_MAX));
}

Error ErrorAt(std::string_view text, const std::string& name, uint64_t offset, ErrorKind kind,
              std::string message, std::string expected, std::string hint) {
  constexpr size_t kWindow = 120;
  Error e;
  e.kind = kind;
  e.where.file = name;
  e.where.offset = offset;
  e.where.has_offset = true;
  e.expected = std::move(expected);
  e.hint = std::move(hint);
  uint32_t line = 0, col = 0;
  LineColumn(text, offset, &line, &col);
  e.message = text.empty() ? std::move(message) : fmt::format("{} (line {}, column {})", message, line, col);

  size_t off = std::min<uint64_t>(offset, text.size());
  size_t ls = off - (col - 1);
  size_t le = text.find('\n', off);
  if (le == std::string_view::npos) le = text.size();
  if (le > ls && text[le - 1] == '\r') --le;
  if (le < off) le = off;
  size_t start = ls, end = le;
  bool clip_left = false, clip_right = false;
  if (end - start > kWindow) {
    if (off - ls > kWindow / 2) {
      start = off - kWindow / 2;
      clip_left = true;
    }
    if (end - start > kWindow) {
      end = start + kWindow;
      clip_right = true;
    }
  }
  // Do not start in the middle of a UTF-8 sequence.
  while (clip_left && start < off && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  std::string snippet;
  uint32_t caret = 0;
  if (clip_left) snippet += "...";
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = start;
  bool caret_set = false;
  while (i < end) {
    if (i >= off && !caret_set) {
      caret = static_cast<uint32_t>(snippet.size()) + 1;
      caret_set = true;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      snippet.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = Utf8SeqLen(p + i, end - i);
    if (len == 0) {
      snippet.push_back('?');
      ++i;
    } else {
      snippet.append(text.data() + i, len);
      i += len;
    }
  }
  if (!caret_set) caret = static_cast<uint32_t>(snippet.size()) + 1;
  if (clip_right) snippet += "...";
  // Caret position in characters (multi-byte characters take one column).
  uint32_t chars = 0;
  for (size_t k = 0; k + 1 < caret && k < snippet.size(); ++k) {
    if ((static_cast<unsigned char>(snippet[k]) & 0xC0) != 0x80) ++chars;
  }
  e.source_line = std::move(snippet);
  e.where.line = 0;
  e.where.column = chars + 1;
  if (e.source_line.find_first_not_of(' ') == std::string::npos) e.source_line.clear();
  if (e.source_line.empty()) e.where.column = 0;
  return e;
}

}  // namespace blindspot::evidence_internal

#include "blindspot/terminal.h"

#include <fmt/format.h>

namespace blindspot {
namespace {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0.
size_t Utf8Len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

template <class Out>
bool Walk(std::string_view s, bool keep_newlines, Out&& out) {
  bool changed = false;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8Len(s, i);
    if (n == 0) {
      out(fmt::format("\\x{:02x}", c));
      changed = true;
      ++i;
      continue;
    }
    if (n == 1) {
      bool control = (c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7F;
      if (control) {
        out(fmt::format("\\x{:02x}", c));
        changed = true;
      } else {
        out(std::string_view(&s[i], 1));
      }
      ++i;
      continue;
    }
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out(fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1])));
      changed = true;
    } else {
      out(s.substr(i, n));
    }
    i += n;
  }
  return changed;
}

}  // namespace

std::string EscapeControl(std::string_view s, bool keep_newlines) {
  if (!NeedsEscape(s, keep_newlines)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 16);
  Walk(s, keep_newlines, [&](std::string_view part) { out += part; });
  return out;
}

bool NeedsEscape(std::string_view s, bool keep_newlines) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7F) return Walk(s, keep_newlines, [](std::string_view) {});
  }
  return false;
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace blindspot

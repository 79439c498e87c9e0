#include <fmt/format.h>
#include <simdjson.h>

#include <optional>

#include "blindspot/input.h"
#include "blindspot/terminal.h"

namespace blindspot {

std::string HumanSize(uint64_t b) {
  auto fmt1 = [](double v, const char* unit) {
    std::string n = fmt::format("{:.1f}", v);
    if (n.ends_with(".0")) n.resize(n.size() - 2);
    return n + " " + unit;
  };
  if (b >= (1ull << 30)) return fmt1(static_cast<double>(b) / (1ull << 30), "GiB");
  if (b >= (1ull << 20)) return fmt1(static_cast<double>(b) / (1ull << 20), "MiB");
  if (b >= (1ull << 10)) return fmt1(static_cast<double>(b) / (1ull << 10), "KiB");
  return fmt::format("{} bytes", b);
}

std::optional<uint64_t> ParseSize(std::string_view t) {
  size_t i = 0;
  double v = 0;
  bool digits = false, dot = false;
  double scale = 1;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (dot) {
        scale /= 10;
        v += (c - '0') * scale;
      } else {
        v = v * 10 + (c - '0');
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!digits) return std::nullopt;
  std::string unit;
  for (; i < t.size(); ++i) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(t[i])));
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();  // "MB", "MiB", "b"
  if (unit.size() == 2 && unit[1] == 'i') unit.pop_back();   // "mi" -> "m"
  double mult = 1;
  if (unit.empty())
    mult = 1;
  else if (unit == "k")
    mult = 1024.0;
  else if (unit == "m")
    mult = 1024.0 * 1024;
  else if (unit == "g")
    mult = 1024.0 * 1024 * 1024;
  else if (unit == "t")
    mult = 1024.0 * 1024 * 1024 * 1024;
  else
    return std::nullopt;
  double bytes = v * mult;
  if (bytes < 1 || bytes > 1.8e19) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

size_t FindInvalidUtf8(std::string_view s) {
  // Fast path: simdjson's validator checks gigabytes per second; the byte
  // loop below only runs to locate the first bad byte.
  if (simdjson::validate_utf8(s.data(), s.size())) return std::string_view::npos;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {

Status Fail(const std::string& file, std::string message, std::string_view what, std::string hint,
            std::optional<uint64_t> offset = std::nullopt) {
  SourceLocation where;
  where.file = file;
  if (offset) {
    where.offset = *offset;
    where.has_offset = true;
  }
  return MakeError(ErrorKind::kParse, std::move(message), where, std::string(what), std::move(hint));
}

// 1-based line and column (bytes) of `offset`.
std::pair<uint32_t, uint32_t> LineCol(std::string_view text, size_t offset) {
  uint32_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

}  // namespace

Status CheckTextInput(std::string_view t, const std::string& file, std::string_view what) {
  auto u = [&](size_t i) { return static_cast<unsigned char>(t[i]); };
  if (t.starts_with(std::string_view("PK\x03\x04", 4)))
    return Fail(file, "this is a ZIP archive (an .xlsx, .docx or .zip file), not a text file", what,
                "export it as text (YAML, JSON), or use an importer for its format if one exists "
                "(see 'blindspot import --help')");
  if (t.starts_with("%PDF")) return Fail(file, "this is a PDF document, not a text file", what, "");
  if (t.size() >= 2 && u(0) == 0x1F && u(1) == 0x8B)
    return Fail(file, "this is a gzip-compressed file", what, "decompress it first (gunzip)");
  if (t.size() >= 4 && ((u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0) ||
                        (u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF)))
    return Fail(file, "the file is UTF-32 encoded, not UTF-8", what,
                "convert it, e.g. iconv -f UTF-32 -t UTF-8 in > out");
  if (t.size() >= 2 && ((u(0) == 0xFF && u(1) == 0xFE) || (u(0) == 0xFE && u(1) == 0xFF) ||
                        (t.size() >= 4 && ((u(0) != 0 && u(1) == 0 && u(2) != 0 && u(3) == 0) ||
                                           (u(0) == 0 && u(1) != 0 && u(2) == 0 && u(3) != 0)))))
    return Fail(file, "the file is UTF-16 encoded, not UTF-8", what,
                "convert it, e.g. iconv -f UTF-16 -t UTF-8 in > out");
  size_t nul = t.find('\0');
  size_t bad = FindInvalidUtf8(t);
  if (nul != std::string_view::npos && (bad == std::string_view::npos || nul < bad)) {
    auto [line, col] = LineCol(t, nul);
    return Fail(file,
                fmt::format("this is a binary file, not text: NUL byte at byte {} (line {}, column {})", nul,
                            line, col),
                what, "check that this is the file you meant", nul);
  }
  if (bad != std::string_view::npos) {
    auto [line, col] = LineCol(t, bad);
    // Mostly binary, or text in another encoding?
    size_t high = 0, sample = std::min<size_t>(t.size(), 4096);
    for (size_t i = 0; i < sample; ++i)
      if (u(i) < 0x09 || (u(i) > 0x0D && u(i) < 0x20)) ++high;
    if (high * 20 > sample)
      return Fail(
          file,
          fmt::format("this is a binary file, not text (first byte that is not UTF-8: 0x{:02X} at byte {})",
                      u(bad), bad),
          what, "check that this is the file you meant", bad);
    return Fail(file,
                fmt::format("the file is not UTF-8: byte 0x{:02X} at byte {} (line {}, column {})", u(bad),
                            bad, line, col),
                what, "re-save the file as UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8 in > out)",
                bad);
  }
  return {};
}

}  // namespace blindspot

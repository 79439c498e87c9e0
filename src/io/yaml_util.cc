#include "io/yaml_util.h"

#include <fmt/format.h>

#include <algorithm>

namespace blindspot::yamlutil {

size_t FindInvalidUtf8(std::string_view s) {
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

std::string_view StripBom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

SourceText::SourceText(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::string SourceText::Line(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return "";
  size_t b = starts_[line - 1];
  size_t e = text_.find('\n', b);
  if (e == std::string_view::npos) e = text_.size();
  std::string_view l = text_.substr(b, e - b);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  if (l.size() > 200) return "";
  return std::string(l);
}

void SourceText::Finish(Diagnostics& errors) const {
  for (auto& e : errors)
    if (e.where.line > 0 && e.source_line.empty()) e.source_line = Line(e.where.line);
  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
}

Loc ToLoc(const YAML::Mark& m) {
  if (m.is_null() || m.line < 0 || m.column < 0) return {};
  return {static_cast<uint32_t>(m.line) + 1, static_cast<uint32_t>(m.column) + 1};
}

Error MakeAt(ErrorKind kind, const std::string& file, const Loc& loc, std::string message,
             std::string expected, std::string hint) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  e.where.file = file;
  e.where.line = loc.line;
  e.where.column = loc.column;
  e.expected = std::move(expected);
  e.hint = std::move(hint);
  return e;
}

namespace {
std::string SyntaxHint(const std::string& msg, const std::string& line) {
  if (line.find('\t') != std::string::npos)
    return "indent with spaces; YAML does not allow tabs for indentation";
  if (msg.find("map") != std::string::npos)
    return "check the indentation of this line and that every key is followed by ': ' (colon and space)";
  if (msg.find("quote") != std::string::npos) return "close the quoted text with the same quote character";
  if (msg.find("flow") != std::string::npos || msg.find("sequence") != std::string::npos)
    return "check that every '[' and '{' is closed and items are separated by ','";
  return "check the indentation and punctuation around this position";
}
}  // namespace

std::string DecodeJsonSurrogatePairs(std::string_view text) {
  auto hex4 = [&](size_t at, unsigned& out) {
    if (at + 4 > text.size()) return false;
    out = 0;
    for (size_t k = at; k < at + 4; ++k) {
      char c = text[k];
      unsigned d = c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : 16;
      if (d == 16) return false;
      out = out * 16 + d;
    }
    return true;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned hi = 0, lo = 0;
    // Count the backslashes before this one: "\\ud83c" is an escaped backslash.
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (text[i] == '\\' && i + 11 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U') &&
        hex4(i + 2, hi) && hi >= 0xD800 && hi <= 0xDBFF && text[i + 6] == '\\' &&
        (text[i + 7] == 'u' || text[i + 7] == 'U') && hex4(i + 8, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
      unsigned cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      i += 11;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::optional<YAML::Node> Load(std::string_view text, const SourceText& src, Diagnostics& errors) {
  // Binary documents people mistake for a register: name them instead of
  // reporting their first non-UTF-8 byte.
  if (text.starts_with(std::string_view("PK\x03\x04", 4))) {
    errors.push_back(
        MakeAt(ErrorKind::kParse, src.file(), {},
               "this is a ZIP archive (an .xlsx, .docx or .zip file), not a YAML or JSON register",
               "a YAML or JSON register (docs/formats/register.md)",
               "export the register as YAML/JSON, or import it with 'blindspot import' if its format "
               "is supported (see 'blindspot import --help')"));
    return std::nullopt;
  }
  if (text.size() >= 2 &&
      ((static_cast<unsigned char>(text[0]) == 0xFF && static_cast<unsigned char>(text[1]) == 0xFE) ||
       (static_cast<unsigned char>(text[0]) == 0xFE && static_cast<unsigned char>(text[1]) == 0xFF) ||
       (text[0] != 0 && text[1] == 0) || (text[0] == 0 && text[1] != 0))) {
    errors.push_back(MakeAt(ErrorKind::kParse, src.file(), {}, "the file is UTF-16 encoded, not UTF-8",
                            "a UTF-8 YAML or JSON file",
                            "convert it, e.g. iconv -f UTF-16 -t UTF-8 in.yaml > out.yaml"));
    return std::nullopt;
  }
  if (text.starts_with("%PDF")) {
    errors.push_back(MakeAt(ErrorKind::kParse, src.file(), {}, "this is a PDF document, not a register",
                            "a YAML or JSON register (docs/formats/register.md)", ""));
    return std::nullopt;
  }
  // yaml-cpp recurses per nesting level; refuse absurd nesting with a location
  // instead of its "bad file" (no register needs more than a few levels).
  {
    constexpr int kMaxFlowDepth = 64;
    int depth = 0;
    char quote = 0;
    uint32_t line = 1, col = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      ++col;
      if (c == '\n') {
        ++line;
        col = 0;
        continue;
      }
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxFlowDepth) {
          errors.push_back(MakeAt(ErrorKind::kParse, src.file(), {line, col},
                                  fmt::format("nesting deeper than {} levels of '[' or '{{'", kMaxFlowDepth),
                                  "a register: a few levels of maps and lists",
                                  "this does not look like a register; check the file"));
          return std::nullopt;
        }
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
  }
  // yaml-cpp rejects JSON's escaped surrogate pairs ("\ud83c\udf5e", what most
  // JSON writers emit for emoji); decode them to UTF-8 first (only in JSON,
  // where every such escape is inside a double-quoted string).
  std::string decoded;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{' && text.find("\\u") != std::string_view::npos) {
    decoded = DecodeJsonSurrogatePairs(text);
    text = decoded;
  }
  size_t bad = FindInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    // Line and column (1-based, in bytes) for the message; the location itself is the byte offset.
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < bad; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    Error e;
    e.kind = ErrorKind::kParse;
    e.where.file = src.file();
    e.where.offset = bad;
    e.where.has_offset = true;
    e.message = fmt::format("invalid UTF-8 byte 0x{:02X} at byte {} (line {}, column {})",
                            static_cast<unsigned>(static_cast<unsigned char>(text[bad])), bad, line, col);
    e.expected = "a file encoded as UTF-8";
    e.hint = "re-save the file as UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8)";
    errors.push_back(std::move(e));
    return std::nullopt;
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& ex) {
    Loc loc = ToLoc(ex.mark);
    Error e = MakeAt(ErrorKind::kParse, src.file(), loc, "YAML syntax error: " + ex.msg,
                     "well-formed YAML or JSON", SyntaxHint(ex.msg, src.Line(loc.line)));
    errors.push_back(std::move(e));
    return std::nullopt;
  } catch (const std::exception& ex) {
    errors.push_back(
        MakeAt(ErrorKind::kParse, src.file(), {}, std::string("cannot parse YAML: ") + ex.what()));
    return std::nullopt;
  }
}

std::string ScalarText(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull() || !n.IsScalar()) return "";
  return n.Scalar();
}

std::string_view TypeName(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  return "a text value";
}

bool LooksLikeCountryCode(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool LooksLikeIsoDate(std::string_view s) {
  auto digits = [&](size_t from, size_t count) {
    if (from + count > s.size()) return false;
    for (size_t i = from; i < from + count; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (!digits(0, 4)) return false;
  if (s.size() == 4) return true;
  if (s[4] != '-' || !digits(5, 2)) return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  if (month < 1 || month > 12) return false;
  if (s.size() == 7) return true;
  if (s.size() < 10 || s[7] != '-' || !digits(8, 2)) return false;
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (day < 1 || day > 31) return false;
  return s.size() == 10 || s[10] == 'T' || s[10] == ' ';
}

}  // namespace blindspot::yamlutil

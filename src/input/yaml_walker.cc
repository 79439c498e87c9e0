#include "input/yaml_walker.h"

#include <fmt/format.h>

#include <algorithm>

#include "blindspot/input.h"
#include "blindspot/suggest.h"

namespace blindspot::input {

Loc ToLoc(const yaml::Mark& m) {
  if (m.is_null() || m.line < 0 || m.column < 0) return {};
  return {static_cast<uint32_t>(m.line) + 1, static_cast<uint32_t>(m.column) + 1};
}

std::string_view TypeName(const yaml::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  return "a text value";
}

std::string ScalarText(const yaml::Node& n) {
  if (!n.IsDefined() || n.IsNull() || !n.IsScalar()) return "";
  return std::string(n.Scalar());
}

std::string_view StripBom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

std::string JoinKeys(const std::vector<std::string_view>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i];
  }
  return out;
}

std::string DidYouMeanKey(std::string_view key, const std::vector<std::string_view>& keys) {
  std::string hint = DidYouMean(key, keys);
  if (hint.empty()) hint = "remove it, or check the format description";
  return hint;
}

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
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {  // an escaped backslash
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

Walker::Walker(std::string_view text, std::string file) : text_(StripBom(text)), file_(std::move(file)) {
  starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') starts_.push_back(i + 1);
}

std::string Walker::Line(uint32_t line) const {
  if (line == 0 || line > starts_.size()) return "";
  size_t b = starts_[line - 1];
  size_t e = text_.find('\n', b);
  if (e == std::string_view::npos) e = text_.size();
  std::string_view l = text_.substr(b, e - b);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  if (l.size() > 200) return "";
  return std::string(l);
}

Loc Walker::LocOf(const yaml::Node& n, const Loc& fallback) const {
  Loc l = ToLoc(n.GetMark());
  return l.line ? l : fallback;
}

void Walker::Err(ErrorKind kind, const Loc& loc, std::string message, std::string expected,
                 std::string hint) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  e.where.file = file_;
  e.where.line = loc.line;
  e.where.column = loc.column;
  e.expected = std::move(expected);
  e.hint = std::move(hint);
  errors_.push_back(std::move(e));
}

void Walker::Warn(const Loc& loc, std::string message, std::string hint) {
  Error e;
  e.kind = ErrorKind::kSchema;
  e.warning = true;
  e.message = std::move(message);
  e.where.file = file_;
  e.where.line = loc.line;
  e.where.column = loc.column;
  e.hint = std::move(hint);
  warnings_.push_back(std::move(e));
}

namespace {
std::string SyntaxHint(const std::string& msg, const std::string& line) {
  if (line.find('\t') != std::string::npos)
    return "indent with spaces; YAML does not allow tabs for indentation";
  if (msg.find("quoted") != std::string::npos) return "close the quoted text with the same quote character";
  if (msg.find("flow") != std::string::npos || msg.find("','") != std::string::npos ||
      msg.find("']'") != std::string::npos || msg.find("'}'") != std::string::npos)
    return "check that every '[' and '{' is closed and items are separated by ','";
  if (msg.find("mapping") != std::string::npos || msg.find("block") != std::string::npos)
    return "check the indentation of this line and that every key is followed by ': ' (colon and space)";
  return "check the indentation and punctuation around this position";
}
}  // namespace

std::optional<yaml::Node> Walker::Load(std::string_view what) {
  if (auto st = CheckTextInput(text_, file_, what); !st) {
    errors_.push_back(st.error());
    return std::nullopt;
  }
  // A JSON object (how a big register is usually kept) is read without
  // libyaml when it is plain JSON; anything else, and every problem, goes the
  // way below (yaml_doc.h).
  if (size_t first = text_.find_first_not_of(" \t\r\n");
      first != std::string_view::npos && text_[first] == '{') {
    if (auto doc = yaml::Document::ParseJson(text_)) {
      doc_ = std::move(doc);
      return doc_->root();
    }
  }
  // Refuse absurd nesting with a location (no document here needs more than a
  // few levels, and the schema walk recurses per level). Brackets count only
  // where YAML reads them as flow collections: not inside quoted scalars
  // (with their escapes: \" in double quotes, '' in single quotes), not in
  // comments, and not inside a plain scalar (`zei "ja` is text; a quote there
  // opens nothing, so a quoted scalar later on the line is still seen as one).
  {
    constexpr int kMaxFlowDepth = 64;
    int depth = 0;
    char quote = 0;      // the open quoted scalar's quote character, or 0
    bool plain = false;  // inside a plain scalar
    char prev = '\n';    // the previous character; a line start counts as '\n'
    uint32_t line = 1, col = 0;
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    for (size_t i = 0; i < text_.size(); ++i) {
      char c = text_[i];
      char next = i + 1 < text_.size() ? text_[i + 1] : '\n';
      ++col;
      if (c == '\n') {
        ++line;
        col = 0;
        prev = c;
        plain = false;  // a continuation line is read afresh (quotes in it are rare)
        continue;
      }
      if (quote == '"') {
        if (c == '\\' && next != '\n') {
          ++i;
          ++col;
        } else if (c == '"') {
          quote = 0;
        }
        prev = c;
        continue;
      }
      if (quote == '\'') {
        if (c == '\'' && next == '\'') {
          ++i;
          ++col;
        } else if (c == '\'') {
          quote = 0;
        }
        prev = c;
        continue;
      }
      if (c == '#' && blank(prev)) {  // a comment, also after a plain scalar
        while (i + 1 < text_.size() && text_[i + 1] != '\n') ++i;
        plain = false;
        continue;
      }
      if (plain) {
        // A plain scalar ends at ": " and, inside a flow collection, at , [ ] { }.
        bool flow_end = depth > 0 && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}');
        if (c == ':' && blank(next)) plain = false;
        if (!flow_end) {
          prev = c;
          continue;
        }
        plain = false;
      }
      if ((c == '"' || c == '\'') && (blank(prev) || prev == '[' || prev == '{' || prev == ',' ||
                                      prev == ':' || prev == '-' || prev == '?')) {
        quote = c;
      } else if (c == '[' || c == '{') {
        if (++depth > kMaxFlowDepth) {
          Err(ErrorKind::kParse, {line, col},
              fmt::format("nesting deeper than {} levels of '[' or '{{'", kMaxFlowDepth), std::string(what),
              "this does not look like the expected document; check the file");
          return std::nullopt;
        }
      } else if (c == ']' || c == '}') {
        if (depth > 0) --depth;
      } else if (c == '&' || c == '*' || c == '!') {  // an anchor, alias or tag: up to the next blank
        while (i + 1 < text_.size() && !blank(text_[i + 1]) && text_[i + 1] != ',' && text_[i + 1] != '[' &&
               text_[i + 1] != '{' && text_[i + 1] != ']' && text_[i + 1] != '}') {
          ++i;
          ++col;
        }
      } else if ((c == '-' || c == '?' || c == ':') && blank(next)) {
        // an indicator
      } else if (!blank(c) && c != ',' && c != ':') {
        plain = true;
      }
      prev = text_[i];
    }
  }
  // libyaml rejects JSON's escaped surrogate pairs ("\ud83c\udf5e", what most
  // JSON writers emit for emoji); decode them first (only in JSON, where every
  // such escape is inside a double-quoted string). Lengths change only inside
  // strings on the same line, so line numbers stay right.
  std::string_view text = text_;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{' && text.find("\\u") != std::string_view::npos) {
    decoded_ = DecodeJsonSurrogatePairs(text);
    text = decoded_;
  }
  yaml::ParseError err;
  doc_ = yaml::Document::Parse(text, &err);
  if (!doc_) {
    Loc loc = ToLoc(err.mark);
    std::string hint = SyntaxHint(err.message, Line(loc.line));
    Loc opened = ToLoc(err.context_mark);
    bool flow = err.context.find("flow sequence") != std::string::npos ||
                err.context.find("flow mapping") != std::string::npos;
    if (flow && opened.line && opened.line != loc.line) {
      char open = err.context.find("sequence") != std::string::npos ? '[' : '{';
      hint = fmt::format("close the '{}' at line {}, column {} with '{}', or separate its items with ','",
                         open, opened.line, opened.column, open == '[' ? ']' : '}');
    }
    Err(ErrorKind::kParse, loc, "YAML syntax error: " + err.message, "well-formed YAML or JSON", hint);
    return std::nullopt;
  }
  return doc_->root();
}

std::string Walker::Str(const yaml::Node& v, std::string_view what, const Loc& kl) {
  if (!v.IsDefined() || v.IsNull()) return "";
  if (!v.IsScalar()) {
    Err(ErrorKind::kSchema, LocOf(v, kl),
        fmt::format("'{}' must be a text value, found {}", what, TypeName(v)), "a text value",
        v.IsSequence() ? "write a single value, or join the items in one text" : "");
    return "";
  }
  std::string_view text = v.Scalar();
  if (text.find('\0') != std::string_view::npos) {
    // A NUL (from "\u0000") would cut ids and report lines short in other tools.
    Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' contains the control character 0x00", what),
        "text without NUL characters", "remove the escape \\u0000 (or \\0) from the value");
    return "";
  }
  return std::string(text);
}

std::string Walker::NonEmpty(const yaml::Node& v, std::string_view what, const Loc& kl) {
  bool typed_ok = !v.IsDefined() || v.IsNull() || v.IsScalar();
  std::string s = Str(v, what, kl);
  if (s.empty() && typed_ok)
    Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' is empty", what), "non-empty text",
        "fill in a value");
  return s;
}

std::vector<std::string> Walker::List(const yaml::Node& v, std::string_view what, const Loc& kl,
                                      std::vector<Loc>* item_locs) {
  std::vector<std::string> out;
  if (!v.IsDefined() || v.IsNull()) return out;
  if (!v.IsSequence()) {
    std::string w(what);
    Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' must be a list, found {}", what, TypeName(v)),
        "a list of text values",
        v.IsScalar() ? fmt::format("write it as a list: `{}: [{}]`", w.substr(w.rfind('.') + 1), v.Scalar())
                     : "");
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    const yaml::Node& item = v[i];
    if (!item.IsScalar()) {
      Err(ErrorKind::kSchema, LocOf(item, kl),
          fmt::format("item {} of '{}' must be a text value, found {}", i + 1, what, TypeName(item)),
          "a text value");
      continue;
    }
    std::string s = Str(item, what, kl);
    if (item_locs) item_locs->push_back(LocOf(item, kl));
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<bool> Walker::Bool(const yaml::Node& v, std::string_view what, const Loc& kl, bool optional) {
  if (!v.IsDefined() || v.IsNull()) return std::nullopt;
  bool b;
  if (v.IsScalar() && yaml::DecodeBool(v, &b)) return b;
  Err(ErrorKind::kSchema, LocOf(v, kl),
      fmt::format("'{}' must be true or false, found '{}'", what,
                  v.IsScalar() ? v.Scalar() : std::string(TypeName(v))),
      "true or false (yes/no also accepted)",
      optional ? "leave the key out when the answer is not known yet" : "");
  return std::nullopt;
}

std::optional<std::string> Walker::OneOf(const yaml::Node& v, std::string_view what, const Loc& kl,
                                         const std::vector<std::string_view>& allowed) {
  std::string s = Str(v, what, kl);
  if (s.empty()) return std::nullopt;
  for (std::string_view a : allowed)
    if (a == s) return s;
  std::string hint = DidYouMean(s, allowed);
  if (auto en = EnumValueForTerm(s); en && std::find(allowed.begin(), allowed.end(), *en) != allowed.end())
    hint = fmt::format("'{}' is the Dutch or German term; the file uses the English value '{}'", s, *en);
  Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("invalid value '{}' for '{}'", s, what),
      AllowedValues(allowed), hint);
  return std::nullopt;
}

std::string Walker::Country(const yaml::Node& v, std::string_view what, const Loc& kl) {
  std::string s = Str(v, what, kl);
  if (s.empty() || IsIsoCountryCode(s)) return s;
  std::string hint = "use the ISO 3166-1 alpha-2 code, e.g. NL for the Netherlands, US for the United States";
  if (auto h = CountryCodeHint(s)) hint = fmt::format("write '{}'", *h);
  if (s == "UK" || s == "uk") hint = "the ISO code of the United Kingdom is 'GB'";
  if (s == "EL" || s == "el")
    hint = "the ISO code of Greece is 'GR' ('EL' is only the EU's own abbreviation)";
  Err(ErrorKind::kSchema, LocOf(v, kl),
      fmt::format("'{}' is not an ISO 3166-1 alpha-2 country code in '{}'", s, what),
      "a two-letter upper-case country code such as NL, DE, US", hint);
  return s;
}

std::string Walker::Date(const yaml::Node& v, std::string_view what, const Loc& kl) {
  std::string s = Str(v, what, kl);
  if (!s.empty() && !IsCalendarDate(s))
    Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' is not a calendar date in '{}'", s, what),
        "a date written as YYYY-MM-DD (or YYYY-MM, YYYY) that exists in the calendar", "e.g. 2024-03-01");
  return s;
}

bool Walker::ok() const { return errors_.empty(); }

void Walker::Finish(Diagnostics& d) const {
  for (auto& e : d)
    if (e.where.line > 0 && e.source_line.empty()) e.source_line = Line(e.where.line);
  std::stable_sort(d.begin(), d.end(), [](const Error& a, const Error& b) {
    if (a.where.line != b.where.line) return a.where.line < b.where.line;
    return a.where.column < b.where.column;
  });
}

Diagnostics Walker::TakeErrors() {
  Finish(errors_);
  return std::move(errors_);
}

Diagnostics Walker::TakeWarnings() {
  Finish(warnings_);
  return std::move(warnings_);
}

}  // namespace blindspot::input

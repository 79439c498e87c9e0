// Reader "cmp-cookiebot": the cookie declaration in a Cookiebot cc.js file
// (consent.cookiebot.com/<id>/cc.js). The format is not published; the layout
// below was read from real files (docs/formats/discovery.md "## Consent-manager
// declarations"). After the library code come statements
//   CookieConsentDialog.cookieTableNecessary = [[...], ...];
// (also ...Preference, ...Statistics, ...Advertising, ...Unclassified), each a
// JavaScript array of rows [name, provider domain, purpose, expiry, type label,
// type code, name pattern, initiator host]. The literals are JavaScript, not
// JSON ('\'' and unnecessary escapes such as '\d' occur), so they are read by a
// small parser for that literal subset; nothing is evaluated.
// One declared-cookie observation per row.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "blindspot/discovery.h"
#include "discover/json_doc.h"
#include "discover/readers.h"

namespace blindspot::discover {
namespace {

constexpr std::string_view kName = "cmp-cookiebot";
constexpr std::string_view kMarker = "CookieConsentDialog.cookieTable";
constexpr std::string_view kExpected =
    "a Cookiebot cc.js declaration (CookieConsentDialog.cookieTable... = [[...]];)";
constexpr int kMaxDepth = 8;  // rows are arrays in an array; deeper is not a declaration

constexpr std::string_view kCategories[] = {"Necessary", "Preference", "Statistics", "Advertising",
                                            "Unclassified"};

// A value of the JS literal subset: a string, or an array of values
// (numbers, true/false/null are kept as their text).
struct JsValue {
  bool is_array = false;
  std::string text;
  std::vector<JsValue> items;
};

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class JsLiteralParser {
 public:
  JsLiteralParser(std::string_view text, size_t pos) : text_(text), pos_(pos) {}

  // On failure: false, with error_at() and message().
  bool ParseValue(JsValue& out, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("the file ends inside the table");
    char c = text_[pos_];
    if (c == '[') {
      if (depth >= kMaxDepth) return Fail(fmt::format("arrays nested deeper than {} levels", kMaxDepth));
      out.is_array = true;
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      while (true) {
        JsValue item;
        if (!ParseValue(item, depth + 1)) return false;
        out.items.push_back(std::move(item));
        SkipSpace();
        if (pos_ >= text_.size()) return Fail("the file ends inside the table");
        if (text_[pos_] == ',') {
          ++pos_;
          SkipSpace();
          if (pos_ < text_.size() && text_[pos_] == ']') {  // a trailing comma
            ++pos_;
            return true;
          }
          continue;
        }
        if (text_[pos_] == ']') {
          ++pos_;
          return true;
        }
        return Fail("expected ',' or ']' in the table");
      }
    }
    if (c == '"' || c == '\'') return ParseString(out.text);
    // A bare word or number: taken as its text.
    size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '.' || text_[pos_] == '-' || text_[pos_] == '+'))
      ++pos_;
    if (pos_ == start) return Fail(fmt::format("unexpected '{}' in the table", c));
    out.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  size_t pos() const { return pos_; }
  size_t error_at() const { return error_at_; }
  const std::string& message() const { return message_; }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool Fail(std::string message) {
    error_at_ = pos_;
    message_ = std::move(message);
    return false;
  }

  int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // n hex digits at pos_, or -1.
  int64_t ReadHex(size_t n) {
    if (pos_ + n > text_.size()) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      int h = Hex(text_[pos_ + i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    pos_ += n;
    return v;
  }

  bool ParseString(std::string& out) {
    char quote = text_[pos_++];
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == quote) return true;
      if (c == '\n') {
        --pos_;
        return Fail("a string runs to the end of the line");
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      char e = text_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case '0':
          out += '\0';
          break;
        case '\n':
          break;  // a line continuation
        case 'x': {
          int64_t v = ReadHex(2);
          if (v < 0) return Fail("a \\x escape without two hex digits");
          AppendUtf8(out, static_cast<uint32_t>(v));
          break;
        }
        case 'u': {
          int64_t v = ReadHex(4);
          if (v < 0) return Fail("a \\u escape without four hex digits");
          if (v >= 0xD800 && v <= 0xDBFF && pos_ + 6 <= text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            size_t save = pos_;
            pos_ += 2;
            int64_t lo = ReadHex(4);
            if (lo >= 0xDC00 && lo <= 0xDFFF)
              v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            else
              pos_ = save;
          }
          AppendUtf8(out, static_cast<uint32_t>(v));
          break;
        }
        default:
          out += e;
          break;  // \' \" \\ \/ and unnecessary escapes such as \d
      }
    }
    return Fail("the file ends inside a string");
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t error_at_ = 0;
  std::string message_;
};

// Offset just after "CookieConsentDialog.<property>" followed by '=' (spaces
// allowed around it), or npos.
size_t FindAssignment(std::string_view bytes, std::string_view property) {
  std::string needle = "CookieConsentDialog." + std::string(property);
  size_t pos = 0;
  while ((pos = bytes.find(needle, pos)) != std::string_view::npos) {
    size_t p = pos + needle.size();
    // The property must end here ("cookieTableNecessary", not "...NecessaryCount").
    if (p < bytes.size() && (std::isalnum(static_cast<unsigned char>(bytes[p])) || bytes[p] == '_')) {
      pos = p;
      continue;
    }
    while (p < bytes.size() && (bytes[p] == ' ' || bytes[p] == '\t')) ++p;
    if (p < bytes.size() && bytes[p] == '=' && (p + 1 >= bytes.size() || bytes[p + 1] != '=')) return p + 1;
    pos = p;
  }
  return std::string_view::npos;
}

// The number or string literal assigned to `property` ("" if absent).
std::string ScalarAssigned(std::string_view bytes, std::string_view property) {
  size_t p = FindAssignment(bytes, property);
  if (p == std::string_view::npos) return {};
  JsLiteralParser parser(bytes, p);
  JsValue v;
  if (!parser.ParseValue(v, kMaxDepth - 1) || v.is_array) return {};
  return v.text;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A JavaScript file assigning a cookie table. A JSON document (a HAR that
// captured cc.js holds the same text inside a string) is not one.
int Recognise(std::string_view bytes, std::string_view /*file_name*/) {
  if (LooksLikeJsonObject(bytes) || bytes.find(kMarker) == std::string_view::npos) return 0;
  for (std::string_view category : kCategories)
    if (FindAssignment(bytes, "cookieTable" + std::string(category)) != std::string_view::npos) return 90;
  return 0;
}

Error Warning(std::string_view bytes, const std::string& file, size_t offset, std::string message) {
  Error w;
  w.kind = ErrorKind::kSchema;
  w.warning = true;
  w.message = std::move(message);
  w.where = LocationAt(bytes, offset, file);
  return w;
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file,
                             const DiscoveryOptions& options) {
  DiscoveryReport report;
  report.reader = std::string(kName);

  // Provider domain -> company name, from CookieConsentDialog.privacyPolicies
  // ([[domain, name, policy URL], ...]); absent or unreadable: domains only.
  std::map<std::string, std::string> company;
  if (size_t p = FindAssignment(bytes, "privacyPolicies"); p != std::string_view::npos) {
    JsLiteralParser parser(bytes, p);
    JsValue v;
    if (parser.ParseValue(v, 0) && v.is_array)
      for (const JsValue& row : v.items)
        if (row.is_array && row.items.size() >= 2 && !row.items[0].text.empty() && !row.items[1].text.empty())
          company[Lower(row.items[0].text)] = row.items[1].text;
  }

  std::map<std::string, int> necessary_hosts;
  std::string consent_cookie_host;
  bool any_table = false;
  std::string missing;
  for (std::string_view category : kCategories) {
    std::string property = "cookieTable" + std::string(category);
    size_t p = FindAssignment(bytes, property);
    if (p == std::string_view::npos) {
      missing += (missing.empty() ? "" : ", ") + property;
      continue;
    }
    any_table = true;
    JsLiteralParser parser(bytes, p);
    JsValue table;
    if (!parser.ParseValue(table, 0))
      return MakeError(ErrorKind::kParse,
                       fmt::format("CookieConsentDialog.{}: {}", property, parser.message()),
                       LocationAt(bytes, parser.error_at(), file), std::string(kExpected),
                       "give the cc.js file exactly as consent.cookiebot.com serves it");
    if (!table.is_array)
      return MakeError(ErrorKind::kParse, fmt::format("CookieConsentDialog.{} is not an array", property),
                       LocationAt(bytes, p, file), std::string(kExpected));
    std::string cat = Lower(category);
    size_t rows = 0;
    for (size_t i = 0; i < table.items.size(); ++i) {
      const JsValue& row = table.items[i];
      auto field = [&](size_t k) -> std::string {
        return k < row.items.size() ? row.items[k].text : std::string();
      };
      if (!row.is_array || field(0).empty()) {
        report.warnings.push_back(
            Warning(bytes, file, p,
                    fmt::format("CookieConsentDialog.{}[{}] is not a row with a cookie name: "
                                "skipped",
                                property, i)));
        continue;
      }
      ++rows;
      Observation o;
      o.kind = ObservationKind::kDeclaredCookie;
      o.proof = Proof::kDeclared;
      o.key = field(0);
      o.subject = field(0);
      o.location = fmt::format("{}[{}]", property, i);
      std::string host = Lower(field(1));
      auto it = company.find(host);
      o.attrs.emplace_back("category", cat);
      o.attrs.emplace_back("provider", it != company.end() ? it->second : host);
      o.attrs.emplace_back("expiry", field(3));
      o.attrs.emplace_back("host", host);
      if (!field(4).empty()) o.attrs.emplace_back("type", field(4));
      if (!field(6).empty()) o.attrs.emplace_back("pattern", field(6));
      if (!field(7).empty()) o.attrs.emplace_back("initiator", Lower(field(7)));
      o.detail = field(2);
      if (category == "Necessary") {
        ++necessary_hosts[host];
        if (o.key == "CookieConsent") consent_cookie_host = host;
      }
      report.observations.push_back(std::move(o));
    }
    // The file states each table's size; a different number is worth saying.
    if (std::string count = ScalarAssigned(bytes, property + "Count");
        !count.empty() && count != std::to_string(rows))
      report.warnings.push_back(
          Warning(bytes, file, FindAssignment(bytes, property + "Count"),
                  fmt::format("CookieConsentDialog.{}Count says {}, the table has {} rows: the rows are used",
                              property, count, rows)));
  }
  if (!any_table)
    return MakeError(ErrorKind::kParse, "no cookie table in the Cookiebot file", LocationAt(bytes, 0, file),
                     std::string(kExpected), "the file may be cut off; download cc.js again");
  if (!missing.empty())
    report.warnings.push_back(
        Warning(bytes, file, bytes.size(),
                fmt::format("no CookieConsentDialog.{} in the file (cut off?): read as no "
                            "cookies declared there",
                            missing)));

  // The site: given, else the domain of Cookiebot's own consent cookie, else
  // the domain most necessary cookies are set on.
  report.subject = options.domain;
  if (report.subject.empty()) report.subject = consent_cookie_host;
  if (report.subject.empty()) {
    int best = 0;
    for (const auto& [host, n] : necessary_hosts)
      if (n > best) {
        best = n;
        report.subject = host;
      }
  }
  if (report.subject.empty())
    report.warnings.push_back(
        Warning(bytes, file, 0, "the file does not say which site it declares; give --domain"));

  // lastUpdatedDate: milliseconds since 1970 (when the declaration last changed).
  std::string updated = ScalarAssigned(bytes, "lastUpdatedDate");
  if (!updated.empty() && updated.size() <= 15 &&
      updated.find_first_not_of("0123456789") == std::string::npos) {
    report.first_date = report.last_date = DateFromUnixMillis(std::stoll(updated));
    for (Observation& o : report.observations) o.first_date = o.last_date = report.first_date;
  }
  return report;
}

}  // namespace

DiscoveryReader CmpCookiebotReader() {
  return DiscoveryReader{kName, "Cookiebot cookie declaration (cc.js)", &Recognise, &Read};
}

}  // namespace blindspot::discover

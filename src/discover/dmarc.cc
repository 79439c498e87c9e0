// The "dmarc" reader: DMARC aggregate reports (RFC 7489 §7.2 and Appendix C;
// also the DMARCbis namespace urn:ietf:params:xml:ns:dmarc-2.0), as XML,
// gzip, zip or an e-mail carrying one of those as an attachment. Every
// <record> row becomes a mail-sent observation: who (DKIM d=, else SPF
// domain, else header_from) sent how many messages as the domain in the
// report's period. Rows that agree on everything we keep (the source IP and
// envelope_to are never kept) are merged and their counts summed.
//
// The unwrapping is bounded: at most kMaxUnpacked bytes come out of all
// gzip/zip members of one file together, at most kMaxMembers zip entries,
// and wrappers nest at most kMaxDepth deep (an e-mail in an e-mail, a zip
// in a gzip...). Nothing here keeps state between calls.
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/discovery.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

constexpr uint64_t kMaxUnpacked = 64ull << 20;  // bytes out of all gzip/zip members of one file
constexpr int kMaxMembers = 256;                // entries of one zip
constexpr int kMaxDepth = 6;                    // nested wrappers (e-mail, multipart, zip, gzip)
constexpr size_t kPeek = 4096;                  // bytes looked at to recognise a format

// ---------------------------------------------------------------- text helpers

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

bool IEndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && IEquals(s.substr(s.size() - suffix.size()), suffix);
}

size_t IFind(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (IEquals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A host name as the kb matches it: lower case, no trailing dot.
std::string Host(std::string_view s) {
  std::string h = ToLower(Trim(s));
  while (!h.empty() && h.back() == '.') h.pop_back();
  return h;
}

// `sub` is `domain` or a name under it.
bool SameOrUnder(std::string_view sub, std::string_view domain) {
  if (sub.empty() || domain.empty()) return false;
  if (sub == domain) return true;
  return sub.size() > domain.size() && sub.ends_with(domain) && sub[sub.size() - domain.size() - 1] == '.';
}

// Skips a UTF-8 byte-order mark and white space.
std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  return s;
}

bool IsGzip(std::string_view s) { return s.size() >= 2 && s[0] == '\x1f' && s[1] == '\x8b'; }
bool IsZip(std::string_view s) { return s.starts_with(std::string_view("PK\x03\x04", 4)); }

// The first line is a header field ("Name: value"), as an e-mail starts.
bool LooksLikeMail(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && i < 80) {
    char c = s[i];
    if (c == ':') return i > 0;
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
    ++i;
  }
  return false;
}

// 1-based line and column of byte offsets, by a table of line starts built
// once per document (a report of thousands of records asks thousands of times).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : size_(text.size()) {
    starts_.push_back(0);
    for (size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
      starts_.push_back(i + 1);
  }
  void Locate(size_t offset, SourceLocation* loc) const {
    offset = std::min(offset, size_);
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const size_t line = static_cast<size_t>(it - starts_.begin());  // >= 1
    loc->line = static_cast<uint32_t>(line);
    loc->column = static_cast<uint32_t>(offset - starts_[line - 1] + 1);
    loc->offset = offset;
    loc->has_offset = true;
  }
  // The text of 1-based line `line` of `text` (the text the index was built on).
  std::string_view Line(std::string_view text, uint32_t line) const {
    if (line == 0 || line > starts_.size()) return {};
    const size_t begin = starts_[line - 1];
    const size_t end = line < starts_.size() ? starts_[line] - 1 : text.size();
    std::string_view l = text.substr(begin, end - begin);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
  }

 private:
  size_t size_;
  std::vector<size_t> starts_;
};

std::string DateOfEpoch(int64_t secs) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_seconds{seconds{secs}});
  const year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

Error Warning(SourceLocation where, std::string message) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.message = std::move(message);
  e.where = std::move(where);
  e.warning = true;
  return e;
}

// ------------------------------------------------------------------ unwrapping

// One XML document found in the file, with where it came from ("" for the
// file itself, else "attachment x.zip, member y.xml").
struct Doc {
  std::string label;
  std::string_view xml;  // into the caller's bytes or into what the Unwrapper unpacked
};

class Unwrapper {
 public:
  Unwrapper(const std::string& file, std::vector<Error>* warnings) : file_(file), warnings_(warnings) {}

  // Sniffs `bytes` and adds the XML document(s) in it to docs().
  Status Add(std::string_view bytes, const std::string& label, int depth);
  // The same for bytes this object unpacked (kept alive with the document).
  Status AddOwned(std::string bytes, const std::string& label, int depth) {
    owned_.push_back(std::make_unique<std::string>(std::move(bytes)));
    return Add(*owned_.back(), label, depth);
  }
  std::vector<Doc>& docs() { return docs_; }

  SourceLocation Where(const std::string& label) const {
    SourceLocation loc;
    loc.file = label.empty() ? file_ : file_ + " (" + label + ")";
    return loc;
  }
  SourceLocation WhereOffset(const std::string& label, uint64_t offset) const {
    SourceLocation loc = Where(label);
    loc.offset = offset;
    loc.has_offset = true;
    return loc;
  }

 private:
  Status Gunzip(std::string_view bytes, const std::string& label, int depth);
  Status Unzip(std::string_view bytes, const std::string& label, int depth);
  Status Mail(std::string_view bytes, const std::string& label, int depth, bool* found);
  Status TooMuch(const std::string& label) const {
    return MakeError(ErrorKind::kParse,
                     "refused: the compressed report unpacks to more than " +
                         std::to_string(kMaxUnpacked >> 20) + " MiB (a compression bomb?)",
                     Where(label), "a DMARC aggregate report of a sensible size",
                     "unpack it yourself and check what it is");
  }

  const std::string& file_;
  std::vector<Error>* warnings_;
  std::vector<Doc> docs_;
  std::vector<std::unique_ptr<std::string>> owned_;  // unpacked bytes the docs point into
  uint64_t unpacked_ = 0;
};

std::string Join(const std::string& label, const std::string& what) {
  return label.empty() ? what : label + ", " + what;
}

Status Unwrapper::Add(std::string_view bytes, const std::string& label, int depth) {
  if (depth > kMaxDepth)
    return MakeError(ErrorKind::kParse, "wrappers nested more than " + std::to_string(kMaxDepth) + " deep",
                     Where(label), "an XML, gzip or zip report, or an e-mail carrying one");
  std::string_view s = SkipBomAndSpace(bytes);
  if (IsGzip(s)) return Gunzip(s, label, depth);
  if (IsZip(s)) return Unzip(s, label, depth);
  if (!s.empty() && s.front() == '<') {
    docs_.push_back(Doc{label, bytes});
    return {};
  }
  if (LooksLikeMail(s)) {
    bool found = false;
    if (auto st = Mail(s, label, depth, &found); !st) return st;
    if (!found)
      return MakeError(ErrorKind::kParse, "the e-mail has no DMARC report attachment", Where(label),
                       "a part of type application/zip, application/gzip or text/xml, or a file name ending "
                       ".xml, .xml.gz, .gz or .zip",
                       "save the report attachment itself, or the whole message the reporter sent");
    return {};
  }
  return MakeError(ErrorKind::kParse, "not a DMARC aggregate report", WhereOffset(label, 0),
                   "XML with <feedback>, a gzip or zip file holding it, or an e-mail with it attached");
}

Status Unwrapper::Gunzip(std::string_view in, const std::string& label, int depth) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK)
    return MakeError(ErrorKind::kInternal, "cannot start the gzip decoder", Where(label));
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  gz_header header{};
  char name[256] = {};
  header.name = reinterpret_cast<Bytef*>(name);
  header.name_max = sizeof name - 1;
  inflateGetHeader(&zs, &header);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof buf - zs.avail_out;
    unpacked_ += produced;
    if (unpacked_ > kMaxUnpacked) return TooMuch(label);
    out.append(buf, produced);
    const uint64_t consumed = in.size() - zs.avail_in;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      std::string_view rest = in.substr(consumed);
      if (IsGzip(rest)) {
        warnings_->push_back(Warning(WhereOffset(label, consumed),
                                     "a second gzip member starts here; the members are read as one stream"));
        inflateReset(&zs);
        continue;
      }
      warnings_->push_back(
          Warning(WhereOffset(label, consumed),
                  std::to_string(rest.size()) +
                      " byte(s) after the end of the gzip stream ignored (not a gzip member)"));
      break;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0)
      return MakeError(ErrorKind::kParse, "the gzip data is cut off", WhereOffset(label, in.size()),
                       "the rest of the compressed stream", "the file was not saved or sent completely");
    return MakeError(ErrorKind::kParse,
                     std::string("the gzip data is damaged (") + (zs.msg ? zs.msg : "inflate failed") + ")",
                     WhereOffset(label, consumed), "a valid gzip (RFC 1952) stream");
  }
  std::string inner = name[0] ? std::string("gzip of ") + name : std::string("gzip");
  return AddOwned(std::move(out), Join(label, inner), depth + 1);
}

Status Unwrapper::Unzip(std::string_view bytes, const std::string& label, int depth) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) {
    zip_error_fini(&err);
    return MakeError(ErrorKind::kInternal, "cannot read the zip archive from memory", Where(label));
  }
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (raw == nullptr) {
    std::string why = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    return MakeError(ErrorKind::kParse, "not a readable zip archive (" + why + ")", WhereOffset(label, 0),
                     "a zip archive holding the report's .xml", "the file may be cut off");
  }
  zip_error_fini(&err);
  std::unique_ptr<zip_t, void (*)(zip_t*)> za(raw, [](zip_t* z) { zip_discard(z); });
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  if (n < 0 || n > kMaxMembers)
    return MakeError(ErrorKind::kParse,
                     "the zip holds " + std::to_string(n) + " entries, more than the " +
                         std::to_string(kMaxMembers) + " a report archive is read with",
                     Where(label));
  bool any = false;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
      return MakeError(ErrorKind::kParse, "entry " + std::to_string(i + 1) + " of the zip cannot be read",
                       Where(label));
    const std::string name = st.name;
    if (name.empty() || name.back() == '/') continue;
    if (!IEndsWith(name, ".xml") && !IEndsWith(name, ".gz")) {
      warnings_->push_back(Warning(Where(label), "zip member '" + name + "' skipped (not .xml or .gz)"));
      continue;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      return MakeError(ErrorKind::kParse, "zip member '" + name + "' is encrypted", Where(label));
    if ((st.valid & ZIP_STAT_SIZE) && unpacked_ + st.size > kMaxUnpacked)
      return TooMuch(Join(label, "member " + name));
    zip_file_t* f = zip_fopen_index(za.get(), static_cast<zip_uint64_t>(i), 0);
    if (f == nullptr)
      return MakeError(
          ErrorKind::kParse,
          "zip member '" + name + "' cannot be opened (" + zip_error_strerror(zip_get_error(za.get())) + ")",
          Where(label));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(f, zip_fclose);
    std::string content;
    char buf[64 * 1024];
    for (;;) {
      zip_int64_t got = zip_fread(file.get(), buf, sizeof buf);
      if (got < 0)
        return MakeError(ErrorKind::kParse,
                         "zip member '" + name + "' is damaged (" +
                             zip_error_strerror(zip_file_get_error(file.get())) + ")",
                         Where(label));
      if (got == 0) break;
      unpacked_ += static_cast<uint64_t>(got);
      if (unpacked_ > kMaxUnpacked) return TooMuch(Join(label, "member " + name));
      content.append(buf, static_cast<size_t>(got));
    }
    if (auto s = AddOwned(std::move(content), Join(label, "member " + name), depth + 1); !s) return s;
    any = true;
  }
  if (!any)
    return MakeError(ErrorKind::kParse, "the zip holds no .xml report", Where(label),
                     "a member named <receiver>!<domain>!<begin>!<end>.xml (RFC 7489 §7.2.1.1)");
  return {};
}

// ---------------------------------------------------------------------- MIME

struct Headers {
  std::vector<std::pair<std::string, std::string>> fields;  // name lower case, value unfolded
  std::string_view Get(std::string_view name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return {};
  }
};

// Splits a message or part into its header fields and its body.
std::pair<Headers, std::string_view> SplitMessage(std::string_view s) {
  Headers h;
  size_t pos = 0;
  std::string* last = nullptr;
  while (pos < s.size()) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string_view::npos) eol = s.size();
    std::string_view line = s.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = std::min(eol + 1, s.size());
    if (line.empty()) return {std::move(h), s.substr(pos)};
    if ((line.front() == ' ' || line.front() == '\t') && last != nullptr) {
      *last += ' ';
      *last += Trim(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      last = nullptr;
      continue;
    }
    h.fields.emplace_back(ToLower(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1))));
    last = &h.fields.back().second;
  }
  return {std::move(h), std::string_view()};
}

// "type/subtype; a=b; c="d"" -> lower-case type and parameters (names lower case).
struct HeaderValue {
  std::string value;
  std::map<std::string, std::string> params;
};

HeaderValue ParseHeaderValue(std::string_view v) {
  HeaderValue out;
  size_t semi = v.find(';');
  out.value = ToLower(Trim(v.substr(0, semi)));
  while (semi != std::string_view::npos) {
    v.remove_prefix(semi + 1);
    size_t eq = v.find('=');
    if (eq == std::string_view::npos) break;
    std::string name = ToLower(Trim(v.substr(0, eq)));
    v.remove_prefix(eq + 1);
    v = Trim(v);
    std::string value;
    if (!v.empty() && v.front() == '"') {
      size_t close = v.find('"', 1);
      value = std::string(v.substr(1, close == std::string_view::npos ? v.size() - 1 : close - 1));
      v.remove_prefix(close == std::string_view::npos ? v.size() : close + 1);
      semi = v.find(';');
    } else {
      semi = v.find(';');
      value = std::string(Trim(v.substr(0, semi)));
    }
    // RFC 2231 continuations ("filename*0=", "filename*=") are kept under the plain name.
    if (size_t star = name.find('*'); star != std::string::npos) name.resize(star);
    out.params[name] += value;
  }
  return out;
}

std::string DecodeBase64(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(s.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    int v = val(c);
    if (v < 0) continue;  // line breaks and white space (RFC 2045 §6.8: ignored)
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = Lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '\n') {  // soft line break
      i += 1;
      continue;
    }
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      i += 2;
      continue;
    }
    if (i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
      continue;
    }
    out.push_back('=');
  }
  return out;
}

bool ReportType(std::string_view type) {
  return type == "application/zip" || type == "application/x-zip" || type == "application/x-zip-compressed" ||
         type == "application/gzip" || type == "application/x-gzip" || type == "text/xml" ||
         type == "application/xml";
}

bool ReportName(std::string_view name) {
  return IEndsWith(name, ".xml") || IEndsWith(name, ".gz") || IEndsWith(name, ".zip");
}

Status Unwrapper::Mail(std::string_view bytes, const std::string& label, int depth, bool* found) {
  if (depth > kMaxDepth)
    return MakeError(ErrorKind::kParse, "MIME parts nested more than " + std::to_string(kMaxDepth) + " deep",
                     Where(label));
  auto [headers, body] = SplitMessage(bytes);
  HeaderValue type = ParseHeaderValue(headers.Get("content-type"));
  if (type.value.empty()) type.value = "text/plain";
  if (type.value.starts_with("multipart/")) {
    const std::string boundary = type.params["boundary"];
    if (boundary.empty())
      return MakeError(ErrorKind::kParse, "a multipart e-mail part without a boundary", Where(label),
                       "Content-Type: multipart/...; boundary=\"...\"");
    const std::string delim = "--" + boundary;
    // Delimiter lines start a line with "--boundary"; the part ends before the
    // line break in front of the next one.
    std::vector<size_t> starts;  // offsets of delimiter lines
    size_t pos = 0;
    while ((pos = body.find(delim, pos)) != std::string_view::npos) {
      if (pos == 0 || body[pos - 1] == '\n') starts.push_back(pos);
      pos += delim.size();
    }
    for (size_t i = 0; i < starts.size(); ++i) {
      std::string_view after = body.substr(starts[i] + delim.size());
      if (after.starts_with("--")) break;  // the closing delimiter
      size_t eol = after.find('\n');
      if (eol == std::string_view::npos) break;
      size_t begin = starts[i] + delim.size() + eol + 1;
      size_t end = i + 1 < starts.size() ? starts[i + 1] : body.size();
      if (end > begin && body[end - 1] == '\n') --end;
      if (end > begin && body[end - 1] == '\r') --end;
      std::string_view part = end > begin ? body.substr(begin, end - begin) : std::string_view();
      if (auto st = Mail(part, label, depth + 1, found); !st) return st;
    }
    return {};
  }
  if (type.value == "message/rfc822") return Mail(body, Join(label, "forwarded message"), depth + 1, found);
  HeaderValue disposition = ParseHeaderValue(headers.Get("content-disposition"));
  std::string name = disposition.params["filename"];
  if (name.empty()) name = type.params["name"];
  if (!ReportType(type.value) && !ReportName(name)) return {};
  const std::string encoding = ToLower(Trim(headers.Get("content-transfer-encoding")));
  std::string decoded;
  if (encoding == "base64")
    decoded = DecodeBase64(body);
  else if (encoding == "quoted-printable")
    decoded = DecodeQuotedPrintable(body);
  else
    decoded = std::string(body);
  *found = true;
  return AddOwned(std::move(decoded), Join(label, "attachment " + (name.empty() ? type.value : name)),
                  depth + 1);
}

// ------------------------------------------------------------------ the XML

// Element names are compared without a namespace prefix: reporters use the
// 0.1 namespace, the dmarc-2.0 one, a prefix or none.
std::string_view LocalName(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  return {};
}

std::string Text(pugi::xml_node parent, std::string_view local) {
  pugi::xml_node c = Child(parent, local);
  if (!c) return {};
  std::string out;
  for (pugi::xml_node t = c.first_child(); t; t = t.next_sibling())
    if (t.type() == pugi::node_pcdata || t.type() == pugi::node_cdata) out += t.value();
  return std::string(Trim(out));
}

struct Row {
  size_t index = 0;  // 1-based <record> number
  uint32_t line = 0;
  uint64_t count = 0;
  std::string header_from, dkim_domain, dkim_selector, dkim_result, spf_domain, spf_result, disposition,
      eval_dkim, eval_spf;
};

struct Feedback {
  std::string label;
  std::string reporter, report_id, domain, policy, first_date, last_date;
  std::vector<Row> rows;
};

// Parses one XML document; junk before <feedback (a stray start tag, seen in
// the wild) is skipped with a warning.
Result<Feedback> ParseFeedback(const Doc& doc, const Unwrapper& u, std::vector<Error>* warnings) {
  const LineIndex lines(doc.xml);
  auto at_offset = [&](size_t offset) {
    SourceLocation loc = u.Where(doc.label);
    lines.Locate(offset, &loc);
    return loc;
  };
  const unsigned opts = pugi::parse_default;  // comments and processing instructions are dropped
  pugi::xml_document whole, tail;
  pugi::xml_document* xml = &whole;
  size_t base = 0;
  std::string buffer(doc.xml);  // parsed in place: one copy, not two
  pugi::xml_parse_result res =
      whole.load_buffer_inplace(buffer.data(), buffer.size(), opts, pugi::encoding_utf8);
  if (!res) {
    const size_t at = doc.xml.find("<feedback");
    if (at != std::string::npos && at > 0) {
      pugi::xml_parse_result r2 =
          tail.load_buffer(doc.xml.data() + at, doc.xml.size() - at, opts, pugi::encoding_utf8);
      if (r2) {
        warnings->push_back(Warning(
            at_offset(at), "the XML is not well-formed before <feedback> (" + std::string(res.description()) +
                               " at byte " + std::to_string(res.offset) + "); the " + std::to_string(at) +
                               " byte(s) before <feedback> were skipped"));
        xml = &tail;
        base = at;
        res = r2;
      } else {
        res = r2;
        res.offset += static_cast<ptrdiff_t>(at);
      }
    }
    if (!res) {
      const bool cut = static_cast<size_t>(res.offset) + 1 >= doc.xml.size();
      auto error = MakeError(
          ErrorKind::kParse,
          std::string("the DMARC report's XML is not well-formed (") + res.description() + ")",
          at_offset(static_cast<size_t>(res.offset)), "a complete <feedback> document (RFC 7489 Appendix C)",
          cut ? "the file is cut off: save or send it completely" : "");
      const std::string_view text = lines.Line(doc.xml, error.error().where.line);
      if (text.size() <= 300) error.error().source_line = std::string(text);
      return error;
    }
  }
  pugi::xml_node root = xml->document_element();
  auto line_of = [&](pugi::xml_node n) {
    return at_offset(base + static_cast<size_t>(std::max<ptrdiff_t>(0, n.offset_debug())));
  };
  if (root && LocalName(root.name()) != "feedback") {
    // A <feedback> wrapped in another element (a stray wrapper that was
    // closed): read it, say so.
    pugi::xml_node inner = root.find_node(
        [](pugi::xml_node n) { return n.type() == pugi::node_element && LocalName(n.name()) == "feedback"; });
    if (!inner)
      return MakeError(ErrorKind::kParse,
                       std::string("not a DMARC aggregate report: the root element is <") + root.name() + ">",
                       line_of(root), "<feedback> (RFC 7489 Appendix C)");
    warnings->push_back(Warning(
        line_of(inner), std::string("the <feedback> is inside <") + root.name() + ">; read from there"));
    root = inner;
  }
  if (!root)
    return MakeError(ErrorKind::kParse, "not a DMARC aggregate report: no element", at_offset(0),
                     "<feedback> (RFC 7489 Appendix C)");
  pugi::xml_node meta = Child(root, "report_metadata");
  pugi::xml_node policy = Child(root, "policy_published");
  if (!meta || !policy)
    return MakeError(
        ErrorKind::kParse,
        std::string("the DMARC report has no <") + (meta ? "policy_published" : "report_metadata") + ">",
        line_of(root), "<report_metadata> and <policy_published> in <feedback> (RFC 7489 §7.2.1)");
  Feedback fb;
  fb.label = doc.label;
  fb.reporter = Text(meta, "org_name");
  fb.report_id = Text(meta, "report_id");
  fb.domain = Host(Text(policy, "domain"));
  fb.policy = ToLower(Text(policy, "p"));
  if (fb.domain.empty())
    warnings->push_back(
        Warning(line_of(policy), "the report names no policy domain (policy_published/domain)"));
  pugi::xml_node range = Child(meta, "date_range");
  auto begin = ParseInt(Text(range, "begin"));
  auto end = ParseInt(Text(range, "end"));
  if (begin && end && *begin >= 0 && *end >= *begin && *end < 253402300800) {
    fb.first_date = DateOfEpoch(*begin);
    fb.last_date = DateOfEpoch(*end);
  } else {
    warnings->push_back(Warning(line_of(range ? range : meta),
                                "the report's date_range is missing or not two ordered Unix times (begin '" +
                                    Text(range, "begin") + "', end '" + Text(range, "end") +
                                    "'); the period is left empty"));
  }
  size_t index = 0, bad_counts = 0, foreign = 0;
  SourceLocation first_bad, first_foreign;
  std::string foreign_example;
  for (pugi::xml_node rec = root.first_child(); rec; rec = rec.next_sibling()) {
    if (rec.type() != pugi::node_element || LocalName(rec.name()) != "record") continue;
    Row r;
    r.index = ++index;
    pugi::xml_node row = Child(rec, "row");
    pugi::xml_node eval = Child(row, "policy_evaluated");
    auto count = ParseInt(Text(row, "count"));
    if (count && *count >= 0) {
      r.count = static_cast<uint64_t>(*count);
    } else if (bad_counts++ == 0) {
      first_bad = line_of(rec);
    }
    r.disposition = ToLower(Text(eval, "disposition"));
    r.eval_dkim = ToLower(Text(eval, "dkim"));
    r.eval_spf = ToLower(Text(eval, "spf"));
    r.header_from = Host(Text(Child(rec, "identifiers"), "header_from"));
    pugi::xml_node auth = Child(rec, "auth_results");
    // DKIM: a passing signature aligned with header_from first, then any
    // passing one, then the first.
    pugi::xml_node best;
    int best_rank = -1;
    for (pugi::xml_node d = auth.first_child(); d; d = d.next_sibling()) {
      if (d.type() != pugi::node_element || LocalName(d.name()) != "dkim") continue;
      const std::string dom = Host(Text(d, "domain"));
      const bool pass = ToLower(Text(d, "result")) == "pass";
      const bool aligned = SameOrUnder(dom, r.header_from) || SameOrUnder(r.header_from, dom);
      const int rank = (pass ? 2 : 0) + (aligned ? 1 : 0) + (dom.empty() ? -4 : 0);
      if (rank > best_rank) {
        best = d;
        best_rank = rank;
      }
    }
    if (best) {
      r.dkim_domain = Host(Text(best, "domain"));
      r.dkim_selector = Text(best, "selector");
      r.dkim_result = ToLower(Text(best, "result"));
    }
    // SPF: the MAIL FROM result first, else the first with a domain.
    pugi::xml_node spf;
    for (pugi::xml_node s = auth.first_child(); s; s = s.next_sibling()) {
      if (s.type() != pugi::node_element || LocalName(s.name()) != "spf") continue;
      const std::string scope = ToLower(Text(s, "scope"));
      if (!spf || (Host(Text(spf, "domain")).empty() && !Host(Text(s, "domain")).empty()) ||
          (scope == "mfrom" && ToLower(Text(spf, "scope")) != "mfrom" && !Host(Text(s, "domain")).empty()))
        spf = s;
    }
    if (spf) {
      r.spf_domain = Host(Text(spf, "domain"));
      r.spf_result = ToLower(Text(spf, "result"));
    }
    if (!fb.domain.empty() && !r.header_from.empty() && !SameOrUnder(r.header_from, fb.domain)) {
      if (foreign++ == 0) {
        first_foreign = line_of(rec);
        foreign_example = r.header_from;
      }
    }
    r.line = line_of(rec).line;
    fb.rows.push_back(std::move(r));
  }
  if (bad_counts > 0)
    warnings->push_back(Warning(
        first_bad,
        std::to_string(bad_counts) + " record(s) without a whole-number <count>; counted as 0 messages"));
  if (foreign > 0)
    warnings->push_back(Warning(first_foreign, std::to_string(foreign) + " record(s) with header_from '" +
                                                   foreign_example +
                                                   "' (or another domain) outside the policy domain '" +
                                                   fb.domain + "'; reported as given"));
  if (index == 0)
    warnings->push_back(Warning(line_of(root), "the report has no <record>: no mail was reported"));
  return fb;
}

// ---------------------------------------------------------------- recognise

// XML text that holds a <feedback> with <report_metadata> near its start.
bool FeedbackXml(std::string_view s) {
  std::string_view head = s.substr(0, 4 * kPeek);
  size_t at = head.find("<feedback");
  if (at == std::string_view::npos) at = head.find(":feedback");
  return at != std::string_view::npos && head.find("report_metadata", at) != std::string_view::npos;
}

// The first few KB a gzip stream unpacks to.
std::string PeekGzip(std::string_view in) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return {};
  std::string out(2 * kPeek, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 1 << 20));
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  inflate(&zs, Z_SYNC_FLUSH);
  out.resize(out.size() - zs.avail_out);
  inflateEnd(&zs);
  return out;
}

std::string PeekZip(std::string_view bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_error_fini(&err);
  if (src == nullptr) return {};
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, nullptr);
  if (za == nullptr) {
    zip_source_free(src);
    return {};
  }
  std::string out;
  const zip_int64_t n = std::min<zip_int64_t>(zip_get_num_entries(za, 0), kMaxMembers);
  for (zip_int64_t i = 0; i < n && out.empty(); ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr || !(IEndsWith(name, ".xml") || IEndsWith(name, ".gz"))) continue;
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    if (f == nullptr) continue;
    out.resize(2 * kPeek);
    zip_int64_t got = zip_fread(f, out.data(), out.size());
    out.resize(got > 0 ? static_cast<size_t>(got) : 0);
    zip_fclose(f);
  }
  zip_discard(za);
  return out;
}

int Recognise(std::string_view bytes, std::string_view file_name, int depth) {
  if (depth > 2) return 0;
  std::string_view s = SkipBomAndSpace(bytes);
  if (IsGzip(s)) {
    std::string inner = PeekGzip(s);
    return Recognise(inner, "", depth + 1) > 0 ? 90 : 0;
  }
  if (IsZip(s)) {
    std::string inner = PeekZip(s);
    return Recognise(inner, "", depth + 1) > 0 ? 90 : 0;
  }
  if (!s.empty() && s.front() == '<') return FeedbackXml(s) ? 95 : 0;
  if (depth == 0 && LooksLikeMail(s)) {
    std::string_view head = s.substr(0, 64 * 1024);
    if (IFind(head, "mime-version:") == std::string_view::npos) return 0;
    // A part or the message itself of a report's type, or a report's file name.
    bool report_part = false;
    for (std::string_view t : {"application/zip", "application/gzip", "application/x-gzip",
                               "application/x-zip", "text/xml", "application/xml"})
      if (IFind(head, "content-type: " + std::string(t)) != std::string_view::npos ||
          IFind(head, "content-type:" + std::string(t)) != std::string_view::npos)
        report_part = true;
    if (!report_part) {
      for (std::string_view ext : {".xml\"", ".xml.gz\"", ".zip\""})
        if (IFind(head, ext) != std::string_view::npos) report_part = true;
    }
    if (!report_part) return 0;
    const bool says_report = IFind(head, "report domain:") != std::string_view::npos ||
                             IFind(head, "report-id:") != std::string_view::npos;
    int score = says_report ? 85 : 60;
    if (IEndsWith(file_name, ".eml")) score += 5;
    return score;
  }
  return 0;
}

int RecogniseDmarc(std::string_view bytes, std::string_view file_name) {
  return Recognise(bytes, file_name, 0);
}

// ---------------------------------------------------------------------- read

std::string Detail(const Row& r, uint64_t count, size_t rows) {
  std::string d = std::to_string(count) + (count == 1 ? " message" : " messages");
  if (rows > 1) d += " in " + std::to_string(rows) + " rows";
  if (!r.dkim_domain.empty()) {
    d += "; DKIM d=" + r.dkim_domain;
    if (!r.dkim_selector.empty()) d += " s=" + r.dkim_selector;
    d += " " + (r.dkim_result.empty() ? std::string("?") : r.dkim_result);
  } else {
    d += "; no DKIM result";
  }
  if (!r.spf_domain.empty() || !r.spf_result.empty())
    d += "; SPF " + (r.spf_domain.empty() ? std::string("(no domain)") : r.spf_domain) + " " + r.spf_result;
  else
    d += "; no SPF result";
  d += "; DMARC dkim=" + r.eval_dkim + " spf=" + r.eval_spf + ", disposition " +
       (r.disposition.empty() ? std::string("?") : r.disposition);
  return d;
}

Result<DiscoveryReport> ReadDmarc(std::string_view bytes, const std::string& file_name,
                                  const DiscoveryOptions& /*options*/) {
  DiscoveryReport report;
  report.reader = "dmarc";
  Unwrapper u(file_name, &report.warnings);
  if (auto st = u.Add(bytes, "", 0); !st) return std::unexpected(st.error());
  std::set<std::string> seen_ids;
  std::vector<std::string> domains;
  for (const Doc& doc : u.docs()) {
    std::vector<Error> doc_warnings;  // kept only if the report is not a repeat
    auto fb = ParseFeedback(doc, u, &doc_warnings);
    if (!fb) return std::unexpected(fb.error());
    // A report is its reporter's org_name and report_id (two receivers may
    // number their reports alike).
    if (!fb->report_id.empty() && !seen_ids.insert(fb->reporter + '\x1f' + fb->report_id).second) {
      report.warnings.push_back(Warning(
          u.Where(doc.label), "report '" + fb->report_id + "' appears again; the repeat was not counted"));
      continue;
    }
    for (Error& w : doc_warnings) report.warnings.push_back(std::move(w));
    if (!fb->domain.empty() && std::find(domains.begin(), domains.end(), fb->domain) == domains.end())
      domains.push_back(fb->domain);
    if (!fb->first_date.empty() && (report.first_date.empty() || fb->first_date < report.first_date))
      report.first_date = fb->first_date;
    if (!fb->last_date.empty() && (report.last_date.empty() || fb->last_date > report.last_date))
      report.last_date = fb->last_date;
    // Rows that agree on everything kept are one observation with the counts summed.
    std::map<std::string, size_t> merged;  // merge key -> index in report.observations
    for (const Row& r : fb->rows) {
      const std::string key = !r.dkim_domain.empty()  ? r.dkim_domain
                              : !r.spf_domain.empty() ? r.spf_domain
                                                      : r.header_from;
      std::string mk;
      for (const std::string* f : {&key, &r.header_from, &r.dkim_domain, &r.dkim_selector, &r.dkim_result,
                                   &r.spf_domain, &r.spf_result, &r.disposition, &r.eval_dkim, &r.eval_spf}) {
        mk += *f;
        mk += '\x1f';
      }
      auto [it, fresh] = merged.emplace(mk, report.observations.size());
      if (!fresh) {
        Observation& o = report.observations[it->second];
        o.count += r.count;
        size_t rows = 1;
        for (auto& [n, v] : o.attrs)
          if (n == "rows") {
            rows = std::stoul(v) + 1;
            v = std::to_string(rows);
          }
        o.detail = Detail(r, o.count, rows);
        continue;
      }
      Observation o;
      o.kind = ObservationKind::kMailSent;
      o.key = key;
      o.subject = r.header_from.empty() ? fb->domain : r.header_from;
      o.proof = Proof::kSendingNow;
      o.first_date = fb->first_date;
      o.last_date = fb->last_date;
      o.count = r.count;
      o.location = (fb->label.empty() ? std::string() : fb->label + ", ") + "record " +
                   std::to_string(r.index) + " (line " + std::to_string(r.line) + ")";
      o.detail = Detail(r, r.count, 1);
      o.attrs = {{"dkim_domain", r.dkim_domain}, {"dkim_selector", r.dkim_selector},
                 {"dkim_result", r.dkim_result}, {"spf_domain", r.spf_domain},
                 {"spf_result", r.spf_result},   {"disposition", r.disposition},
                 {"header_from", r.header_from}, {"dmarc_dkim", r.eval_dkim},
                 {"dmarc_spf", r.eval_spf},      {"reporter", fb->reporter},
                 {"policy", fb->policy},         {"policy_domain", fb->domain},
                 {"report_id", fb->report_id},   {"rows", "1"}};
      report.observations.push_back(std::move(o));
    }
  }
  if (!domains.empty()) report.subject = domains.front();
  if (domains.size() > 1) {
    std::string all;
    for (const std::string& d : domains) all += (all.empty() ? "" : ", ") + d;
    report.warnings.push_back(Warning(u.Where(""), "the file holds reports for several policy domains (" +
                                                       all + "); the first is taken as its subject"));
  }
  // Every warning names the file (a document inside a .gz, .zip or e-mail
  // is located in it by its own line; the file is the one given).
  for (Error& w : report.warnings)
    if (w.where.file.empty()) w.where.file = file_name;
  return report;
}

}  // namespace

DiscoveryReader DmarcReader() {
  return DiscoveryReader{"dmarc",
                         "DMARC aggregate report (RFC 7489 XML; .gz, .zip or the e-mail carrying it)",
                         &RecogniseDmarc, &ReadDmarc};
}

}  // namespace blindspot::discover

// HarReader: streams log.entries of a HAR 1.2 file with simdjson On-Demand.
//
// Lifetime of the views handed to the visitor: strings that simdjson unescapes
// (get_string) are written to the parser's string buffer, which is sized for
// the whole document and only appended to while one document is iterated, so
// such views stay valid until the next Read* call. Views into per-entry
// scratch storage (decoded base64 bodies, post bodies rebuilt from params[])
// are overwritten by the next entry. The public contract is the stricter one:
// everything in EvidenceRecord is valid only during the visit call.
//
// Recovery (include/blindspot/evidence.h): the HAR's own structure (log,
// log.entries) is read strictly (GetObject/GetArray, TypeFail); everything
// inside it leniently (Text/Obj/Arr), where a value that cannot be used is a
// Warn() and reads as absent. Invalid UTF-8 and raw control characters in
// strings are found only when simdjson's stage 1 rejects the file: then they
// are replaced in the buffer (RepairStrings, same length) and the file is
// parsed again, so valid files pay nothing.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "blindspot/evidence.h"
#include "evidence/har_util.h"

namespace blindspot {

namespace od = simdjson::ondemand;
using evidence_internal::Base64Decode;
using evidence_internal::EqualsIgnoreCase;
using evidence_internal::ErrorAt;

namespace {

constexpr const char* kHarHint =
    "export the HAR again from the browser DevTools (Network panel, 'Save all as HAR') or check the tool "
    "that "
    "wrote it";
constexpr size_t kMaxDepth = 1024;

const char* TypeName(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "array";
    case od::json_type::object:
      return "object";
    case od::json_type::number:
      return "number";
    case od::json_type::string:
      return "string";
    case od::json_type::boolean:
      return "boolean";
    case od::json_type::null:
      return "null";
  }
  return "unknown";
}

struct PathSeg {
  std::string_view key;  // empty: array index
  uint64_t index = 0;
};

// Result of one string-aware pass over the input, used to locate problems that
// simdjson reports without a position, and to bound the nesting depth.
struct ScanResult {
  size_t control_char = std::string_view::npos;     // raw control character inside a string
  size_t unclosed_string = std::string_view::npos;  // opening quote of a string running to EOF
  size_t too_deep = std::string_view::npos;         // bracket that exceeds kMaxDepth
  size_t unbalanced = std::string_view::npos;       // closing bracket without an opener
  size_t depth_at_end = 0;
  size_t top_end = std::string_view::npos;  // just after the first top-level array/object closes
};

// True when some byte of `w` equals the byte repeated in `pattern`.
inline bool HasByte(uint64_t w, uint64_t pattern) {
  uint64_t v = w ^ pattern;
  return ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL) != 0;
}

// `fast`: the hot-path pass before parsing, which only bounds the depth (it
// stops at the first bracket too deep and does not look for control
// characters). The slow pass, run only to locate an error, fills everything.
ScanResult ScanStructure(std::string_view text, bool fast) {
  ScanResult r;
  const char* p = text.data();
  size_t n = text.size();
  size_t depth = 0;
  size_t i = 0;
  while (i < n) {
    char c = p[i];
    if (c == '"') {
      size_t start = i++;
      for (;;) {
        if (fast) {
          // Skip 8 bytes at a time while they hold neither '"' nor '\\'.
          while (i + 8 <= n) {
            uint64_t w;
            std::memcpy(&w, p + i, 8);
            if (HasByte(w, 0x2222222222222222ULL) || HasByte(w, 0x5C5C5C5C5C5C5C5CULL)) break;
            i += 8;
          }
          while (i < n && p[i] != '"' && p[i] != '\\') ++i;
        } else {
          while (i < n && p[i] != '"' && p[i] != '\\') {
            if (static_cast<unsigned char>(p[i]) < 0x20 && r.control_char == std::string_view::npos)
              r.control_char = i;
            ++i;
          }
        }
        if (i >= n) {
          r.unclosed_string = start;
          r.depth_at_end = depth;
          return r;
        }
        if (p[i] == '\\') {
          i += 2;
          continue;
        }
        ++i;  // closing quote
        break;
      }
      continue;
    }
    if (c == ' ') {  // indentation of pretty-printed files: skip 8 spaces at a time
      uint64_t w;
      while (i + 8 <= n && (std::memcpy(&w, p + i, 8), w == 0x2020202020202020ULL)) i += 8;
      if (i < n && p[i] == ' ') ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxDepth && r.too_deep == std::string_view::npos) {
        r.too_deep = i;
        if (fast) return r;
      }
    } else if (c == ']' || c == '}') {
      if (depth == 0) {
        if (r.unbalanced == std::string_view::npos) r.unbalanced = i;
      } else if (--depth == 0 && r.top_end == std::string_view::npos) {
        r.top_end = i + 1;
      }
    }
    ++i;
  }
  r.depth_at_end = depth;
  return r;
}

}  // namespace

struct HarReader::Impl {
  od::parser parser;
  std::unique_ptr<char[]> copy_buf;
  size_t copy_cap = 0;

  // State of the current read.
  std::string_view text;
  std::string name;
  od::document* doc = nullptr;
  std::vector<PathSeg> path;
  Error error;
  EvidenceRecord entry;
  SourceSummary summary;
  std::string body_buf, post_buf, post_dec_buf;
  bool skip_entry = false;  // the current entry is not visited (request or URL unusable)
  bool in_entry = false;    // warnings name cur_entry
  uint64_t cur_entry = 0;
  std::vector<evidence_internal::StringRepair> repairs;  // bytes replaced before parsing, by offset
  size_t next_repair = 0;
  std::vector<std::string_view> cookie_headers, set_cookie_headers;
  std::vector<std::pair<std::string_view, std::string_view>> params;

  struct Guard {
    Impl* impl;
    Guard(Impl* i, std::string_view key) : impl(i) { impl->path.push_back({key, 0}); }
    Guard(Impl* i, uint64_t index) : impl(i) { impl->path.push_back({{}, index}); }
    ~Guard() { impl->path.pop_back(); }
  };

  std::string PathString() const {
    std::string out;
    for (const auto& s : path) {
      if (s.key.empty()) {
        out += fmt::format("[{}]", s.index);
      } else {
        if (!out.empty()) out += '.';
        out += s.key;
      }
    }
    return out;
  }

  uint64_t OffsetOf(const char* p) const {
    if (p < text.data()) return 0;
    uint64_t off = static_cast<uint64_t>(p - text.data());
    return off > text.size() ? text.size() : off;
  }
  uint64_t ValueOffset(od::value& v) { return OffsetOf(v.raw_json_token().data()); }
  uint64_t CurrentOffset() {
    const char* p = nullptr;
    if (doc && doc->current_location().get(p) == simdjson::SUCCESS) return OffsetOf(p);
    return text.size();
  }

  bool Fail(uint64_t offset, ErrorKind kind, std::string message, std::string expected = {},
            std::string hint = {}) {
    error = ErrorAt(text, name, offset, kind, std::move(message), std::move(expected), std::move(hint));
    return false;
  }

  std::string Where() const {
    std::string p = PathString();
    return p.empty() ? std::string() : p + ": ";
  }

  // Maps a simdjson error to a located Error.
  bool SjFail(simdjson::error_code code, uint64_t offset) {
    using simdjson::error_code;
    switch (code) {
      case error_code::EMPTY:
        return Fail(0, ErrorKind::kParse, "empty file: expected a HAR file (JSON object with a 'log' key)",
                    "", kHarHint);
      case error_code::UTF8_ERROR: {
        size_t bad = evidence_internal::FindInvalidUtf8(text);
        return Fail(bad == std::string_view::npos ? offset : bad, ErrorKind::kParse,
                    "invalid UTF-8 byte sequence", "UTF-8 encoded text",
                    "HAR files are UTF-8 JSON; the file may be damaged or saved in another encoding");
      }
      case error_code::UNCLOSED_STRING: {
        ScanResult s = ScanStructure(text, false);
        uint64_t at = s.unclosed_string != std::string_view::npos ? s.unclosed_string : text.size();
        return Fail(at, ErrorKind::kParse,
                    "string is not closed before the end of the file (truncated file?)", "a closing '\"'",
                    "the file looks cut off; export the HAR again");
      }
      case error_code::UNESCAPED_CHARS: {
        ScanResult s = ScanStructure(text, false);
        uint64_t at = s.control_char != std::string_view::npos ? s.control_char : offset;
        return Fail(at, ErrorKind::kParse, "control character inside a JSON string",
                    "control characters escaped as \\n, \\t or \\u00XX");
      }
      case error_code::INCOMPLETE_ARRAY_OR_OBJECT:
        return StructureFail(offset);
      case error_code::DEPTH_ERROR:
        return Fail(offset, ErrorKind::kParse, fmt::format("JSON nesting deeper than {} levels", kMaxDepth));
      case error_code::CAPACITY:
        return Fail(0, ErrorKind::kParse, "file too large: the JSON parser handles at most 4 GiB", "",
                    "split the capture into several HAR files");
      case error_code::MEMALLOC:
        return Fail(0, ErrorKind::kInternal, "out of memory while parsing the HAR file");
      case error_code::T_ATOM_ERROR:
      case error_code::F_ATOM_ERROR:
      case error_code::N_ATOM_ERROR:
      case error_code::NUMBER_ERROR:
        return Fail(offset, ErrorKind::kParse, Where() + "invalid JSON value",
                    "a string, number, true, false or null");
      default:
        break;
    }
    // Structural errors. When the problem is at the end of the input, the file
    // was most likely cut off.
    if (offset >= text.size() || AtEndIgnoringSpace(offset)) return StructureFail(offset);
    return Fail(offset, ErrorKind::kParse,
                Where() + "invalid JSON syntax (a missing or extra comma, bracket, colon or quote?)", "",
                "check the file with a JSON validator; it may have been edited by hand");
  }

  // Brackets do not match: decide between a cut-off file, a stray closing
  // bracket and content after the top-level value.
  bool StructureFail(uint64_t offset) {
    ScanResult s = ScanStructure(text, false);
    if (s.unclosed_string != std::string_view::npos || s.depth_at_end > 0) {
      return Fail(text.size(), ErrorKind::kParse,
                  Where() + "unexpected end of file: an array or object is not closed (truncated file?)",
                  "']' or '}'", "the file looks cut off; export the HAR again");
    }
    if (s.unbalanced != std::string_view::npos &&
        (s.top_end == std::string_view::npos || s.unbalanced < s.top_end)) {
      return Fail(s.unbalanced, ErrorKind::kParse,
                  Where() + "closing bracket without a matching opening bracket");
    }
    if (s.top_end != std::string_view::npos) {
      uint64_t at = s.top_end;
      while (at < text.size() &&
             (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t'))
        ++at;
      if (at < text.size()) {
        return Fail(at, ErrorKind::kParse, "unexpected content after the end of the top-level JSON object",
                    "end of file");
      }
    }
    return Fail(offset, ErrorKind::kParse, Where() + "invalid JSON structure");
  }

  bool AtEndIgnoringSpace(uint64_t offset) const {
    for (size_t i = offset; i < text.size(); ++i) {
      char c = text[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
    }
    return true;
  }

  bool TypeFail(od::value& v, const char* expected, od::json_type found) {
    return Fail(ValueOffset(v), ErrorKind::kSchema,
                fmt::format("{}expected {}, found {}", Where(), expected, TypeName(found)), expected,
                kHarHint);
  }

  [[gnu::always_inline]] bool GetType(od::value& v, od::json_type* t) {
    if (auto e = v.type().get(*t)) [[unlikely]]
      return SjFail(e, ValueOffset(v));
    return true;
  }

  // ---- warnings: what was recovered --------------------------------------

  // Records a warning at the current path (plus `leaf`), in the current entry.
  [[gnu::cold, gnu::noinline]] void Warn(ReadIssue issue, ReadAction action, uint64_t offset,
                                         std::string_view leaf = {}, std::string_view expected = {},
                                         std::string_view found = {}) {
    summary.warning_count++;
    summary.warning_counts[issue]++;
    if (summary.warnings.size() >= SourceSummary::kMaxWarnings) return;
    ReadWarning w;
    w.issue = issue;
    w.action = action;
    w.has_entry = in_entry;
    w.entry = cur_entry;
    w.offset = offset;
    w.path = PathString();
    if (!leaf.empty()) {
      if (!w.path.empty()) w.path += '.';
      w.path += leaf;
    }
    w.expected = std::string(expected);
    w.found = std::string(found);
    summary.warnings.push_back(std::move(w));
  }

  [[gnu::cold, gnu::noinline]] void WrongType(od::value& v, ReadAction action, const char* expected,
                                              od::json_type found, std::string_view leaf = {}) {
    Warn(ReadIssue::kWrongType, action, ValueOffset(v), leaf, expected, TypeName(found));
  }

  // Bytes replaced before parsing (RepairStrings), reported as warnings of the
  // entry they lie in: those before byte `end`, in the entry when `entry`.
  void FlushRepairs(uint64_t end, bool entry) {
    bool was = in_entry;
    in_entry = entry;
    while (next_repair < repairs.size() && repairs[next_repair].offset < end) {
      const auto& r = repairs[next_repair++];
      std::vector<PathSeg> saved;
      if (!entry) saved.swap(path);  // outside an entry the path is not known
      Warn(r.control ? ReadIssue::kControlCharacter : ReadIssue::kInvalidUtf8, ReadAction::kBytesReplaced,
           r.offset);
      if (!entry) saved.swap(path);
    }
    in_entry = was;
  }

  // A raw JSON token without the blanks simdjson includes after it.
  static std::string_view TrimRight(std::string_view raw) {
    while (!raw.empty() &&
           (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
      raw.remove_suffix(1);
    return raw;
  }

  // ---- tolerant readers of the fields inside log -------------------------
  // Each returns false only on a fatal error (the document is not JSON); a
  // value that cannot be used is a warning and reads as absent.

  // A string: null is absent, a number or boolean is coerced to its JSON text,
  // an object or array is ignored. *usable: a value was read. `leaf`: the
  // value's key, for the path of a warning (no Guard on this hot path).
  [[gnu::always_inline]] bool Text(od::value& v, std::string_view* out, std::string_view leaf,
                                   bool* usable = nullptr) {
    od::json_type t = od::json_type::null;
    if (auto e = v.type().get(t)) [[unlikely]]
      return LeafFail(e, v, leaf);
    if (t == od::json_type::string) [[likely]] {
      auto e = v.get_string().get(*out);
      if (e) [[unlikely]]
        return BadString(v, e, out, leaf, usable);
      if (usable) *usable = true;
      return true;
    }
    return NotText(v, t, out, leaf, usable);
  }

  // A fatal error at `leaf` under the current path.
  [[gnu::cold, gnu::noinline]] bool LeafFail(simdjson::error_code e, od::value& v, std::string_view leaf) {
    if (leaf.empty()) return SjFail(e, ValueOffset(v));
    Guard g(this, leaf);
    return SjFail(e, ValueOffset(v));
  }

  // Text() of a string simdjson could not unescape.
  [[gnu::cold, gnu::noinline]] bool BadString(od::value& v, simdjson::error_code e, std::string_view* out,
                                              std::string_view leaf, bool* usable) {
    if (e != simdjson::STRING_ERROR) return LeafFail(e, v, leaf);
    // An invalid escape ("\x", a lone "\ud800"): the string as written
    // between its quotes, escapes not decoded.
    std::string_view raw = TrimRight(v.raw_json_token());
    *out = raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : std::string_view();
    Warn(ReadIssue::kBadEscape, ReadAction::kUsedAsText, ValueOffset(v), leaf);
    if (usable) *usable = true;
    return true;
  }

  // Text() of a value that is not a string.
  [[gnu::noinline]] bool NotText(od::value& v, od::json_type t, std::string_view* out, std::string_view leaf,
                                 bool* usable) {
    *out = {};
    if (usable) *usable = false;
    switch (t) {
      case od::json_type::null:
        return true;
      case od::json_type::number:
      case od::json_type::boolean: {
        std::string_view raw = TrimRight(v.raw_json_token());
        WrongType(v, ReadAction::kCoerced, "string", t, leaf);
        *out = raw;
        if (usable) *usable = true;
        return true;
      }
      default:
        WrongType(v, ReadAction::kFieldIgnored, "string", t, leaf);
        return true;
    }
  }

  // An object: null is absent (*present false), another type is ignored.
  [[gnu::always_inline]] bool Obj(od::value& v, od::object* out, bool* present) {
    *present = false;
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::object) [[unlikely]] {
      WrongType(v, ReadAction::kFieldIgnored, "object", t);
      return true;
    }
    if (auto e = v.get_object().get(*out)) return SjFail(e, ValueOffset(v));
    *present = true;
    return true;
  }

  [[gnu::always_inline]] bool Arr(od::value& v, od::array* out, bool* present) {
    *present = false;
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t == od::json_type::null) return true;
    if (t != od::json_type::array) [[unlikely]] {
      WrongType(v, ReadAction::kFieldIgnored, "array", t);
      return true;
    }
    if (auto e = v.get_array().get(*out)) return SjFail(e, ValueOffset(v));
    *present = true;
    return true;
  }

  // ---- strict readers: the HAR's own structure (log, log.entries) ---------

  // Reads an object; *present is false for null.
  bool GetObject(od::value& v, od::object* out, bool* present) {
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t == od::json_type::null) {
      *present = false;
      return true;
    }
    if (t != od::json_type::object) return TypeFail(v, "an object", t);
    if (auto e = v.get_object().get(*out)) return SjFail(e, ValueOffset(v));
    *present = true;
    return true;
  }

  bool GetArray(od::value& v, od::array* out, bool* present) {
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t == od::json_type::null) {
      *present = false;
      return true;
    }
    if (t != od::json_type::array) return TypeFail(v, "an array", t);
    if (auto e = v.get_array().get(*out)) return SjFail(e, ValueOffset(v));
    *present = true;
    return true;
  }

  // Calls fn(key, value) for each field of the object; fn returns false on error.
  template <class Fn>
  bool ForEachField(od::object& obj, Fn&& fn) {
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return SjFail(e, CurrentOffset());
      od::raw_json_string key = f.key();
      if (!fn(key, f.value())) return false;
    }
    return true;
  }

  template <class Fn>
  bool ForEachElement(od::array& arr, Fn&& fn) {
    uint64_t i = 0;
    for (auto er : arr) {
      od::value v;
      if (auto e = std::move(er).get(v)) return SjFail(e, CurrentOffset());
      Guard g(this, i);
      if (!fn(v, i)) return false;
      ++i;
    }
    return true;
  }

  bool MissingKey(uint64_t offset, const char* key) {
    return Fail(offset, ErrorKind::kSchema, fmt::format("{}missing required key '{}'", Where(), key),
                fmt::format("an object with a '{}' key", key), kHarHint);
  }

  // [{name, value, domain, ...}] -> cookies.
  bool ReadCookies(od::value& v, std::vector<Cookie>* out) {
    od::array arr;
    bool present = false;
    if (!Arr(v, &arr, &present)) return false;
    if (!present) return true;
    return ForEachElement(arr, [&](od::value& cv, uint64_t) {
      od::object obj;
      bool have = false;
      if (!Obj(cv, &obj, &have)) return false;
      if (!have) return true;
      Cookie c;
      if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
            if (key == "name") {
              return Text(fv, &c.name, "name");
            }
            if (key == "value") {
              return Text(fv, &c.value, "value");
            }
            if (key == "domain") {
              return Text(fv, &c.domain, "domain");
            }
            if (key == "expires") {
              // A string in most tools; chrome-har writes numbers or null: keep only text.
              od::json_type t = od::json_type::null;
              if (!GetType(fv, &t)) return false;
              if (t != od::json_type::string) return true;
              return Text(fv, &c.expires, "expires");
            }
            return true;
          }))
        return false;
      if (!c.name.empty() || !c.value.empty()) out->push_back(c);
      return true;
    });
  }

  // Which header values a request or response keeps (names case-insensitive):
  // Cookie (0), Referer (1) and Sec-Fetch-Dest (2) of a request, Set-Cookie
  // (0) of a response; -1 for the others.
  static int WantedHeader(std::string_view name, bool request) {
    switch (name.size()) {
      case 6:
        return request && EqualsIgnoreCase(name, "cookie") ? 0 : -1;
      case 7:
        return request && EqualsIgnoreCase(name, "referer") ? 1 : -1;
      case 10:
        return !request && EqualsIgnoreCase(name, "set-cookie") ? 0 : -1;
      case 14:
        return request && EqualsIgnoreCase(name, "sec-fetch-dest") ? 2 : -1;
      default:
        return -1;
    }
  }

  // [{name, value}] -> the values of the wanted headers.
  bool ReadHeaders(od::value& v, bool request) {
    od::array arr;
    bool present = false;
    if (!Arr(v, &arr, &present)) return false;
    if (!present) return true;
    return ForEachElement(arr, [&](od::value& hv, uint64_t) {
      od::object obj;
      bool have = false;
      if (!Obj(hv, &obj, &have)) return false;
      if (!have) return true;
      std::string_view hname, hvalue;
      bool have_name = false, have_value = false;
      int wanted = -1;
      if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
            if (key == "name") {
              have_name = true;
              if (!Text(fv, &hname, "name")) return false;
              wanted = WantedHeader(hname, request);
              return true;
            }
            if (key == "value") {
              // Only unescape the value when the name (usually first) is wanted.
              if (have_name && wanted < 0) return true;
              if (have_name && wanted > 0) {
                // Referer, Sec-Fetch-Dest: only looked at for being empty or
                // "document"; the text as written is enough.
                od::json_type t = od::json_type::null;
                if (!GetType(fv, &t)) return false;
                if (t == od::json_type::string) {
                  std::string_view raw = TrimRight(fv.raw_json_token());
                  hvalue = raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : std::string_view();
                  have_value = true;
                }
                return true;
              }
              have_value = true;
              return Text(fv, &hvalue, "value");
            }
            return true;
          }))
        return false;
      if (!have_value || wanted < 0) return true;
      switch (wanted) {
        case 0:
          (request ? cookie_headers : set_cookie_headers).push_back(hvalue);
          break;
        case 1:
          entry.referer = hvalue;
          break;
        default:
          entry.fetch_dest = hvalue;
          break;
      }
      return true;
    });
  }

  // Decodes `*text` (at `offset`, JSON path leaf `leaf`) from base64 into
  // `buf`; text that is not base64 is kept as it is, with a warning.
  void DecodeBase64(std::string_view* text, std::string* buf, uint64_t offset, std::string_view leaf) {
    if (text->empty()) return;
    if (Base64Decode(*text, buf)) {
      *text = *buf;
    } else {
      Warn(ReadIssue::kNotBase64, ReadAction::kUsedAsText, offset, leaf);
    }
  }

  bool ReadPostData(od::value& v) {
    od::object obj;
    bool present = false;
    if (!Obj(v, &obj, &present)) return false;
    if (!present) return true;
    params.clear();
    std::string_view b64_text;
    bool base64 = false;
    uint64_t text_offset = 0, b64_offset = 0;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "mimeType") {
            return Text(fv, &entry.post_mime, "mimeType");
          }
          if (key == "text") {
            text_offset = ValueOffset(fv);
            return Text(fv, &entry.post_text, "text");
          }
          if (key == "encoding" || key == "_encoding") {
            std::string_view e;
            if (!Text(fv, &e, "encoding")) return false;
            if (EqualsIgnoreCase(e, "base64")) base64 = true;
            return true;
          }
          if (key == "_base64") {
            // true: `text` is base64; a string: the body itself, in base64.
            od::json_type t = od::json_type::null;
            if (!GetType(fv, &t)) return false;
            if (t == od::json_type::boolean) {
              bool b = false;
              if (auto e = fv.get_bool().get(b)) return SjFail(e, ValueOffset(fv));
              base64 = base64 || b;
              return true;
            }
            b64_offset = ValueOffset(fv);
            return Text(fv, &b64_text, "_base64");
          }
          if (key == "params") {
            Guard g(this, "params");
            od::array arr;
            bool have = false;
            if (!Arr(fv, &arr, &have)) return false;
            if (!have) return true;
            return ForEachElement(arr, [&](od::value& pv, uint64_t) {
              od::object pobj;
              bool have_p = false;
              if (!Obj(pv, &pobj, &have_p)) return false;
              if (!have_p) return true;
              std::string_view pn, pval;
              if (!ForEachField(pobj, [&](od::raw_json_string k, od::value& x) {
                    if (k == "name") {
                      return Text(x, &pn, "name");
                    }
                    if (k == "value") {
                      return Text(x, &pval, "value");
                    }
                    return true;
                  }))
                return false;
              params.emplace_back(pn, pval);
              return true;
            });
          }
          return true;
        }))
      return false;
    if (base64) DecodeBase64(&entry.post_text, &post_dec_buf, text_offset, "text");
    if (entry.post_text.empty() && !b64_text.empty()) {
      entry.post_text = b64_text;
      DecodeBase64(&entry.post_text, &post_dec_buf, b64_offset, "_base64");
    }
    if (entry.post_text.empty() && !params.empty()) {
      post_buf.clear();
      for (size_t i = 0; i < params.size(); ++i) {
        if (i) post_buf += '&';
        post_buf += params[i].first;
        post_buf += '=';
        post_buf += params[i].second;
      }
      entry.post_text = post_buf;
    }
    return true;
  }

  bool ReadRequest(od::value& v) {
    uint64_t obj_offset = ValueOffset(v);
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t != od::json_type::object) {
      WrongType(v, ReadAction::kEntrySkipped, "object", t);
      skip_entry = true;
      return true;
    }
    od::object obj;
    if (auto e = v.get_object().get(obj)) return SjFail(e, obj_offset);
    bool have_url = false;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "url") {
            Guard g(this, "url");
            have_url = true;
            od::json_type t = od::json_type::null;
            if (!GetType(fv, &t)) return false;
            if (t != od::json_type::string) {
              // No URL, no request to analyse.
              WrongType(fv, ReadAction::kEntrySkipped, "string", t);
              skip_entry = true;
              return true;
            }
            bool ok = false;
            if (!Text(fv, &entry.url, {}, &ok)) return false;
            if (!ok) skip_entry = true;
            return true;
          }
          if (key == "method") {
            return Text(fv, &entry.method, "method");
          }
          if (key == "cookies") {
            Guard g(this, "cookies");
            return ReadCookies(fv, &entry.request_cookies);
          }
          if (key == "headers") {
            Guard g(this, "headers");
            return ReadHeaders(fv, /*request=*/true);
          }
          if (key == "postData") {
            Guard g(this, "postData");
            return ReadPostData(fv);
          }
          return true;
        }))
      return false;
    if (!have_url) {
      Warn(ReadIssue::kMissing, ReadAction::kEntrySkipped, obj_offset, "url");
      skip_entry = true;
    }
    return true;
  }

  bool ReadContent(od::value& v) {
    od::object obj;
    bool present = false;
    if (!Obj(v, &obj, &present)) return false;
    if (!present) return true;
    std::string_view encoding;
    uint64_t text_offset = 0;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "text") {
            text_offset = ValueOffset(fv);
            return Text(fv, &entry.body, "text");
          }
          if (key == "mimeType") {
            return Text(fv, &entry.mime_type, "mimeType");
          }
          if (key == "encoding") {
            return Text(fv, &encoding, "encoding");
          }
          return true;
        }))
      return false;
    if (EqualsIgnoreCase(encoding, "base64")) DecodeBase64(&entry.body, &body_buf, text_offset, "text");
    return true;
  }

  bool ReadStatus(od::value& v) {
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t == od::json_type::null) return true;
    if (t == od::json_type::string) {
      // "200": coerced when it is a number.
      std::string_view s;
      bool ok = false;
      if (!Text(v, &s, {}, &ok)) return false;
      int n = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ok && ec == std::errc() && p == s.data() + s.size() && !s.empty()) {
        entry.status = std::clamp(n, -1, 999);
        WrongType(v, ReadAction::kCoerced, "number", t);
      } else if (ok) {
        WrongType(v, ReadAction::kFieldIgnored, "number", t);
      }
      return true;
    }
    if (t != od::json_type::number) {
      WrongType(v, ReadAction::kFieldIgnored, "number", t);
      return true;
    }
    int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS) {
      entry.status = static_cast<int>(std::clamp<int64_t>(i, -1, 999));
      return true;
    }
    double d = 0;
    if (v.get_double().get(d) != simdjson::SUCCESS) {
      Warn(ReadIssue::kBadNumber, ReadAction::kFieldIgnored, ValueOffset(v));
      return true;
    }
    entry.status = d >= -1 && d <= 999 ? static_cast<int>(d) : -1;
    return true;
  }

  bool ReadResponse(od::value& v) {
    od::object obj;
    bool present = false;
    if (!Obj(v, &obj, &present)) return false;
    if (!present) return true;
    return ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
      if (key == "status") {
        Guard g(this, "status");
        return ReadStatus(fv);
      }
      if (key == "content") {
        Guard g(this, "content");
        return ReadContent(fv);
      }
      if (key == "cookies") {
        Guard g(this, "cookies");
        return ReadCookies(fv, &entry.response_cookies);
      }
      if (key == "headers") {
        Guard g(this, "headers");
        return ReadHeaders(fv, /*request=*/false);
      }
      return true;
    });
  }

  void ResetEntry(uint64_t index, uint64_t offset) {
    std::vector<Cookie> req = std::move(entry.request_cookies), resp = std::move(entry.response_cookies);
    req.clear();
    resp.clear();
    entry = EvidenceRecord{};
    entry.request_cookies = std::move(req);
    entry.response_cookies = std::move(resp);
    entry.index = index;
    entry.offset = offset;
    cookie_headers.clear();
    set_cookie_headers.clear();
    skip_entry = false;
  }

  bool ReadEntry(od::value& v, uint64_t index, const std::function<void(const EvidenceRecord&)>& visit) {
    uint64_t offset = ValueOffset(v);
    if (next_repair < repairs.size()) FlushRepairs(offset, false);
    in_entry = true;
    cur_entry = index;
    struct Leave {
      bool* flag;
      ~Leave() { *flag = false; }
    } leave{&in_entry};
    od::json_type t = od::json_type::null;
    if (!GetType(v, &t)) return false;
    if (t != od::json_type::object) {
      WrongType(v, ReadAction::kEntrySkipped, "object", t);
      return true;
    }
    od::object obj;
    if (auto e = v.get_object().get(obj)) return SjFail(e, offset);
    ResetEntry(index, offset);
    bool have_request = false;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "request") {
            Guard g(this, "request");
            have_request = true;
            return ReadRequest(fv);
          }
          if (key == "response") {
            Guard g(this, "response");
            return ReadResponse(fv);
          }
          if (key == "pageref") {
            return Text(fv, &entry.pageref, "pageref");
          }
          if (key == "startedDateTime") {
            return Text(fv, &entry.started, "startedDateTime");
          }
          if (key == "_resourceType") {
            return Text(fv, &entry.resource_type, "_resourceType");
          }
          return true;
        }))
      return false;
    if (next_repair < repairs.size()) FlushRepairs(CurrentOffset(), true);
    if (!have_request) {
      Warn(ReadIssue::kMissing, ReadAction::kEntrySkipped, offset, "request");
      return true;
    }
    if (skip_entry) return true;
    if (entry.request_cookies.empty()) {
      for (auto h : cookie_headers) evidence_internal::ParseCookieHeader(h, &entry.request_cookies);
    }
    if (entry.response_cookies.empty()) {
      for (auto h : set_cookie_headers) evidence_internal::ParseSetCookie(h, &entry.response_cookies);
    }
    ++summary.entries;
    if (visit) visit(entry);
    return true;
  }

  // {name, version} -> "name version".
  bool ReadNameVersion(od::value& v, std::string* out) {
    od::object obj;
    bool present = false;
    if (!Obj(v, &obj, &present)) return false;
    if (!present) return true;
    std::string_view n, ver;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "name") {
            return Text(fv, &n, "name");
          }
          if (key == "version") {
            return Text(fv, &ver, "version");
          }
          return true;
        }))
      return false;
    *out = std::string(n);
    if (!ver.empty()) {
      if (!out->empty()) *out += ' ';
      *out += ver;
    }
    return true;
  }

  bool ReadPages(od::value& v) {
    od::array arr;
    bool present = false;
    if (!Arr(v, &arr, &present)) return false;
    if (!present) return true;
    return ForEachElement(arr, [&](od::value& pv, uint64_t) {
      od::object obj;
      bool have = false;
      if (!Obj(pv, &obj, &have)) return false;
      if (!have) return true;
      std::string_view id, title, started, url;
      if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
            if (key == "id") {
              return Text(fv, &id, "id");
            }
            if (key == "title") {
              return Text(fv, &title, "title");
            }
            if (key == "startedDateTime") {
              return Text(fv, &started, "startedDateTime");
            }
            if (key == "_url" || key == "_URL") {
              return Text(fv, &url, "_url");
            }
            return true;
          }))
        return false;
      summary.pages.push_back(
          Page{std::string(id), std::string(title), std::string(started), std::string(url)});
      return true;
    });
  }

  bool ReadLog(od::value& v, const std::function<void(const EvidenceRecord&)>& visit) {
    uint64_t log_offset = ValueOffset(v);
    od::object obj;
    bool present = false;
    if (!GetObject(v, &obj, &present)) return false;
    if (!present) {
      od::json_type t = od::json_type::null;
      return TypeFail(v, "an object", t);
    }
    bool have_entries = false;
    if (!ForEachField(obj, [&](od::raw_json_string key, od::value& fv) {
          if (key == "entries") {
            Guard g(this, "entries");
            have_entries = true;
            od::array arr;
            bool have = false;
            if (!GetArray(fv, &arr, &have)) return false;
            if (!have) return TypeFail(fv, "an array", od::json_type::null);
            return ForEachElement(arr, [&](od::value& ev, uint64_t i) { return ReadEntry(ev, i, visit); });
          }
          if (key == "creator") {
            Guard g(this, "creator");
            return ReadNameVersion(fv, &summary.creator);
          }
          if (key == "browser") {
            Guard g(this, "browser");
            return ReadNameVersion(fv, &summary.browser);
          }
          if (key == "pages") {
            Guard g(this, "pages");
            return ReadPages(fv);
          }
          return true;
        }))
      return false;
    if (!have_entries) return MissingKey(log_offset, "entries");
    return true;
  }

  Result<SourceSummary> Run(char* data, size_t size, size_t capacity, const std::string& label,
                            const std::function<void(const EvidenceRecord&)>& visit) {
    text = std::string_view(data, size);
    name = label;
    path.clear();
    summary = SourceSummary{};
    summary.bytes = size;
    doc = nullptr;
    repairs.clear();
    next_repair = 0;
    in_entry = false;
    auto fail = [&]() -> Result<SourceSummary> { return std::unexpected(std::move(error)); };

    // Name the two common non-JSON inputs before the structural scan, whose
    // messages ("string is not closed") would mislead for them.
    if (size >= 2 &&
        ((static_cast<unsigned char>(data[0]) == 0xFF && static_cast<unsigned char>(data[1]) == 0xFE) ||
         (static_cast<unsigned char>(data[0]) == 0xFE && static_cast<unsigned char>(data[1]) == 0xFF) ||
         (data[0] != 0 && data[1] == 0) || (data[0] == 0 && data[1] != 0))) {
      Fail(0, ErrorKind::kParse, "the file is UTF-16 encoded, not UTF-8", "a UTF-8 JSON file (HAR 1.2)",
           "convert it, e.g. iconv -f UTF-16 -t UTF-8 in.har > out.har");
      return fail();
    }
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{' && text[first] != '[') {
      Fail(first, ErrorKind::kParse, "not JSON: expected a HAR file (a JSON object with a 'log' key)",
           "'{' (a HAR file is a JSON object with a 'log' key)",
           "export the HAR again from the browser's DevTools (Network tab, 'Save all as HAR')");
      return fail();
    }

    // Bound the nesting depth before parsing: simdjson On-Demand skips
    // unread values without recursion, but a hostile file should still be
    // refused with a located error.
    ScanResult scan = ScanStructure(text, true);
    if (scan.too_deep != std::string_view::npos) {
      Fail(scan.too_deep, ErrorKind::kParse, fmt::format("JSON nesting deeper than {} levels", kMaxDepth),
           fmt::format("at most {} nested arrays/objects", kMaxDepth),
           "this does not look like a browser HAR file");
      return fail();
    }

    od::document d;
    auto err = parser.iterate(data, size, capacity).get(d);
    if (err == simdjson::UTF8_ERROR || err == simdjson::UNESCAPED_CHARS) {
      // Bytes that are not UTF-8, or raw control characters, inside strings:
      // replaced (same length, so offsets hold) and reported per entry.
      if (evidence_internal::RepairStrings(data, size, &repairs) && !repairs.empty())
        err = parser.iterate(data, size, capacity).get(d);
    }
    if (err) {
      SjFail(err, 0);
      return fail();
    }
    doc = &d;
    od::json_type t = od::json_type::null;
    if (d.type().get(t) != simdjson::SUCCESS) {
      // The first token does not start a JSON value.
      Fail(FirstNonSpace(), ErrorKind::kParse,
           "not JSON: expected a HAR file (a JSON object with a 'log' key)", "'{'", kHarHint);
      return fail();
    }
    if (t != od::json_type::object) {
      Fail(FirstNonSpace(), ErrorKind::kSchema,
           fmt::format("expected a HAR file: top-level object with a 'log' key, found {}", TypeName(t)),
           "{\"log\": {...}}", kHarHint);
      return fail();
    }
    od::object top;
    if (auto e = d.get_object().get(top)) {
      SjFail(e, CurrentOffset());
      return fail();
    }
    bool have_log = false;
    for (auto fr : top) {
      od::field f;
      if (auto e = std::move(fr).get(f)) {
        SjFail(e, CurrentOffset());
        return fail();
      }
      if (f.key() == "log") {
        have_log = true;
        Guard g(this, "log");
        if (!ReadLog(f.value(), visit)) return fail();
      }
    }
    if (!have_log) {
      Fail(FirstNonSpace(), ErrorKind::kSchema, "expected a HAR file: top-level object with a 'log' key",
           "{\"log\": {...}}", kHarHint);
      return fail();
    }
    const char* rest = nullptr;
    if (d.current_location().get(rest) == simdjson::SUCCESS) {
      Fail(OffsetOf(rest), ErrorKind::kParse, "unexpected content after the end of the top-level JSON object",
           "end of file");
      return fail();
    }
    doc = nullptr;
    FlushRepairs(UINT64_MAX, false);
    std::stable_sort(summary.warnings.begin(), summary.warnings.end(),
                     [](const ReadWarning& a, const ReadWarning& b) { return a.offset < b.offset; });
    return std::move(summary);
  }

  uint64_t FirstNonSpace() const {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return i;
    }
    return 0;
  }
};

std::string_view ToString(ReadIssue i) {
  switch (i) {
    case ReadIssue::kWrongType:
      return "wrong-type";
    case ReadIssue::kMissing:
      return "missing";
    case ReadIssue::kInvalidUtf8:
      return "invalid-utf8";
    case ReadIssue::kControlCharacter:
      return "control-character";
    case ReadIssue::kBadEscape:
      return "bad-escape";
    case ReadIssue::kBadNumber:
      return "bad-number";
    case ReadIssue::kNotBase64:
      return "not-base64";
    case ReadIssue::kNoFirstParty:
      return "no-first-party";
  }
  return "wrong-type";
}

std::string_view ToString(ReadAction a) {
  switch (a) {
    case ReadAction::kCoerced:
      return "coerced";
    case ReadAction::kFieldIgnored:
      return "field-ignored";
    case ReadAction::kEntrySkipped:
      return "entry-skipped";
    case ReadAction::kBytesReplaced:
      return "bytes-replaced";
    case ReadAction::kUsedAsText:
      return "used-as-text";
    case ReadAction::kAllThirdParty:
      return "all-third-party";
  }
  return "field-ignored";
}

const std::vector<ReadIssue>& AllReadIssues() {
  static const std::vector<ReadIssue> v = {
      ReadIssue::kWrongType, ReadIssue::kMissing,   ReadIssue::kInvalidUtf8, ReadIssue::kControlCharacter,
      ReadIssue::kBadEscape, ReadIssue::kBadNumber, ReadIssue::kNotBase64,   ReadIssue::kNoFirstParty};
  return v;
}

const std::vector<ReadAction>& AllReadActions() {
  static const std::vector<ReadAction> v = {ReadAction::kCoerced,      ReadAction::kFieldIgnored,
                                            ReadAction::kEntrySkipped, ReadAction::kBytesReplaced,
                                            ReadAction::kUsedAsText,   ReadAction::kAllThirdParty};
  return v;
}

HarReader::HarReader() : impl_(std::make_unique<Impl>()) {}
HarReader::~HarReader() = default;

// Some tools save HARs with a UTF-8 byte-order mark. JSON forbids it
// (RFC 8259 §8.1) but allows parsers to ignore it; it becomes blanks in our own
// buffer so byte offsets in errors stay those of the file.
static void BlankByteOrderMark(char* data, size_t size) {
  if (size >= 3 && static_cast<unsigned char>(data[0]) == 0xEF &&
      static_cast<unsigned char>(data[1]) == 0xBB && static_cast<unsigned char>(data[2]) == 0xBF)
    std::memset(data, ' ', 3);
}

Result<SourceSummary> HarReader::ReadOwned(std::string& data, const std::string& name,
                                           const RecordVisitor& visit) {
  if (data.capacity() < data.size() + simdjson::SIMDJSON_PADDING) return ReadBuffer(data, name, visit);
  size_t size = data.size();
  // The padding bytes past size() belong to the string's allocation; the parser
  // only reads them (zeroed here for determinism).
  data.resize(size + simdjson::SIMDJSON_PADDING);
  std::memset(data.data() + size, 0, simdjson::SIMDJSON_PADDING);
  data.resize(size);
  BlankByteOrderMark(data.data(), size);
  return impl_->Run(data.data(), size, data.capacity(), name, visit);
}

namespace {

class HarSource : public EvidenceSource {
 public:
  HarSource(std::string data, std::string label, std::string name, ConsentPhase phase,
            std::shared_ptr<const ScanObservations> observations)
      : data_(std::move(data)),
        label_(std::move(label)),
        name_(std::move(name)),
        phase_(phase),
        observations_(std::move(observations)) {}
  const std::string& name() const override { return name_; }
  ConsentPhase phase() const override { return phase_; }
  std::shared_ptr<const ScanObservations> observations() const override { return observations_; }
  Result<SourceSummary> Read(const RecordVisitor& visit) override {
    auto r = reader_.ReadOwned(data_, label_, visit);
    if (r) r->kind = "har";
    return r;
  }

 private:
  HarReader reader_;
  std::string data_;
  std::string label_;
  std::string name_;
  ConsentPhase phase_;
  std::shared_ptr<const ScanObservations> observations_;
};

}  // namespace

std::unique_ptr<EvidenceSource> NewHarSource(std::string data, std::string label, std::string name,
                                             ConsentPhase phase,
                                             std::shared_ptr<const ScanObservations> observations) {
  return std::make_unique<HarSource>(std::move(data), std::move(label), std::move(name), phase,
                                     std::move(observations));
}

Result<SourceSummary> HarReader::ReadBuffer(std::string_view json, const std::string& name,
                                            const RecordVisitor& visit) {
  size_t need = json.size() + simdjson::SIMDJSON_PADDING;
  if (impl_->copy_cap < need) {
    impl_->copy_buf.reset(new char[need]);
    impl_->copy_cap = need;
  }
  if (!json.empty()) std::memcpy(impl_->copy_buf.get(), json.data(), json.size());
  std::memset(impl_->copy_buf.get() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  BlankByteOrderMark(impl_->copy_buf.get(), json.size());
  return impl_->Run(impl_->copy_buf.get(), json.size(), impl_->copy_cap, name, visit);
}

}  // namespace blindspot

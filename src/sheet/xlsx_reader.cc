// XLSX (Office Open XML spreadsheet) reading: the zip archive is opened from
// memory with libzip, its XML parts are parsed with pugixml. Only what a
// register needs is read: the sheets in workbook order with their names,
// cell values (shared and inline strings, numbers, booleans, cached formula
// results, dates by their number format), merged ranges and which rows and
// columns are hidden. Every part is
// unpacked under one budget of uncompressed bytes (Limits::max_bytes), so a
// zip bomb is refused instead of filling the memory.
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <set>

#include "blindspot/sheet.h"
#include "sheet/utf8.h"

namespace blindspot::sheet {
namespace {

std::unexpected<Error> Fail(const std::string& file, std::string what, std::string expected = {},
                            std::string hint = {}) {
  SourceLocation where;
  where.file = file;
  return MakeError(ErrorKind::kParse, std::move(what), where, std::move(expected), std::move(hint));
}

std::string Mib(uint64_t n) {
  return n % (1u << 20) == 0 ? fmt::format("{} MiB", n >> 20) : fmt::format("{} bytes", n);
}

class Archive {
 public:
  Archive(const std::string& file, const Limits& limits) : file_(file), limits_(limits) {}
  ~Archive() {
    if (za_) zip_discard(za_);
  }
  Status Open(std::string_view bytes) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) {
      zip_error_fini(&err);
      return MakeError(ErrorKind::kInternal, "cannot read the workbook from memory");
    }
    za_ = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (za_ == nullptr) {
      std::string why = zip_error_strerror(&err);
      zip_source_free(src);
      zip_error_fini(&err);
      return Fail(file_, "not a readable XLSX workbook: the zip archive cannot be opened (" + why + ")",
                  "an Excel workbook (.xlsx) as saved by a spreadsheet program",
                  "a .xls (Excel 97-2003) or .ods file must be saved as .xlsx or .csv first");
    }
    zip_error_fini(&err);
    return {};
  }
  bool Has(const std::string& name) { return zip_name_locate(za_, name.c_str(), 0) >= 0; }
  // The part's bytes; every part counts against one budget.
  Result<std::string> Read(const std::string& name) {
    zip_int64_t idx = zip_name_locate(za_, name.c_str(), 0);
    if (idx < 0)
      return Fail(file_, fmt::format("the workbook has no part '{}'", name), "a complete XLSX archive");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za_, static_cast<zip_uint64_t>(idx), 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        used_ + st.size > limits_.max_bytes)
      return TooLarge(name);
    zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(idx), 0);
    if (f == nullptr)
      return Fail(file_, fmt::format("the workbook's part '{}' cannot be opened ({})", name,
                                     zip_error_strerror(zip_get_error(za_))));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(f, zip_fclose);
    // Inflated straight into the string, sized once from the directory's
    // size (a hint only: the loop grows it when the data goes on, and stops
    // at the budget); resize_and_overwrite leaves the new bytes unfilled.
    std::string out;
    size_t have = 0;
    bool done = false, over = false;
    zip_int64_t failed = 0;
    size_t want = (st.valid & ZIP_STAT_SIZE) ? static_cast<size_t>(st.size) + 1 : 64 * 1024;
    while (!done && !over && failed == 0) {
      out.resize_and_overwrite(want, [&](char* p, size_t n) {
        while (have < n) {
          zip_int64_t got = zip_fread(file.get(), p + have, n - have);
          if (got < 0) failed = got;
          if (got <= 0) {
            done = got == 0;
            break;
          }
          have += static_cast<size_t>(got);
          used_ += static_cast<uint64_t>(got);
          if (used_ > limits_.max_bytes) {
            over = true;
            break;
          }
        }
        return have;
      });
      want = std::max<size_t>(want * 2, 64 * 1024);
    }
    if (over) return TooLarge(name);
    if (failed != 0)
      return Fail(file_,
                  fmt::format("the workbook's part '{}' is damaged ({})", name,
                              zip_error_strerror(zip_file_get_error(file.get()))),
                  "a complete XLSX archive", "the file may be truncated: save or download it again");
    return out;
  }

 private:
  std::unexpected<Error> TooLarge(const std::string& name) {
    return Fail(
        file_,
        fmt::format("the workbook unpacks to more than {} (at part '{}'), the most a register may have",
                    Mib(limits_.max_bytes), name),
        {}, "a larger archive is refused as a possible zip bomb; save the register sheet alone as CSV");
  }
  std::string file_;
  Limits limits_;
  zip_t* za_ = nullptr;
  uint64_t used_ = 0;
};

// Parses `text` in place: the document points into it, so the caller keeps
// `text` alive as long as the document.
Result<pugi::xml_document> ParseXml(const std::string& file, const std::string& part, std::string& text,
                                    const std::string& sheet = {}) {
  pugi::xml_document doc;
  pugi::xml_parse_result r =
      doc.load_buffer_inplace(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    return Fail(file,
                fmt::format("{}the part '{}' is not well-formed XML at byte {}: {}",
                            sheet.empty() ? "" : "sheet '" + sheet + "': ", part, r.offset, r.description()),
                "a workbook as saved by a spreadsheet program");
  return doc;
}

// The children of one element found in a part's text without a document of
// the whole part, so that a sheet of a million cells is parsed one row at a
// time (a document per row, reused) instead of as a tree of millions of nodes.
// Taken only when every '<' of the part starts a tag: no comments, CDATA
// sections, processing instructions or DTD ("<!" or "<?" after the XML
// declaration). Then a child element ends at the first end tag with its name.
// Anything else (another element among the children, text, a tag that does
// not end) gives nullopt, and the caller parses the whole part as a document,
// which also gives the exact error of a part that is not well-formed.
struct Children {
  size_t begin = 0, end = 0;                     // the parent: its start tag to after its end tag
  std::vector<std::pair<size_t, size_t>> spans;  // each child element: offset, length
};

bool XmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool EveryLessThanIsATag(std::string_view t) {
  size_t from = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  if (t.substr(from).starts_with("<?xml")) {
    size_t e = t.find("?>", from);
    if (e == std::string_view::npos) return false;
    from = e + 2;
  }
  // memchr for the rarer second character is many times faster than
  // memmem for the pair.
  for (char second : {'!', '?'})
    for (size_t i = from; i < t.size(); ++i) {
      const void* hit = memchr(t.data() + i, second, t.size() - i);
      if (hit == nullptr) break;
      i = static_cast<size_t>(static_cast<const char*>(hit) - t.data());
      if (i > from && t[i - 1] == '<') return false;
    }
  return true;
}

// The tag name at `pos` (just after '<' or "</"): up to a space, '/' or '>'.
std::string_view TagName(std::string_view t, size_t pos) {
  size_t e = pos;
  while (e < t.size() && !XmlSpace(t[e]) && t[e] != '/' && t[e] != '>') ++e;
  return t.substr(pos, e - pos);
}
std::string_view LocalOf(std::string_view qname) {
  size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// After the start tag that begins at `lt`: the offset just past its '>' and
// whether it closes itself ("/>"); quoted attribute values may hold '>'.
std::optional<std::pair<size_t, bool>> StartTagEnd(std::string_view t, size_t lt) {
  char quote = 0;
  for (size_t i = lt + 1; i < t.size(); ++i) {
    char c = t[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return std::pair{i + 1, t[i - 1] == '/'};
    }
  }
  return std::nullopt;
}

// The offset just past the end tag "</qname>" (spaces allowed before '>')
// that follows `from`, or npos.
size_t EndTagEnd(std::string_view t, size_t from, std::string_view qname) {
  std::string needle = "</" + std::string(qname);
  while (from < t.size()) {
    const void* hit = memmem(t.data() + from, t.size() - from, needle.data(), needle.size());
    if (hit == nullptr) return std::string_view::npos;
    size_t i = static_cast<size_t>(static_cast<const char*>(hit) - t.data()) + needle.size();
    while (i < t.size() && XmlSpace(t[i])) ++i;
    if (i < t.size() && t[i] == '>') return i + 1;
    from = i;  // "</rows>" is not "</row>"
  }
  return std::string_view::npos;
}

std::optional<Children> SplitChildren(std::string_view t, std::string_view parent, std::string_view child) {
  if (!EveryLessThanIsATag(t)) return std::nullopt;
  Children out;
  // The parent's start tag: the first start tag with its local name.
  size_t lt = 0;
  std::string_view pname;
  for (;; ++lt) {
    const void* hit = memchr(t.data() + lt, '<', t.size() - lt);
    if (hit == nullptr) return std::nullopt;
    lt = static_cast<size_t>(static_cast<const char*>(hit) - t.data());
    if (lt + 1 < t.size() && t[lt + 1] != '/' && LocalOf(TagName(t, lt + 1)) == parent) {
      pname = TagName(t, lt + 1);
      break;
    }
  }
  out.begin = lt;
  auto open = StartTagEnd(t, lt);
  if (!open) return std::nullopt;
  size_t pos = open->first;
  if (open->second) {  // <sheetData/>
    out.end = pos;
    return out;
  }
  for (;;) {
    while (pos < t.size() && XmlSpace(t[pos])) ++pos;
    if (pos + 1 >= t.size() || t[pos] != '<') return std::nullopt;
    if (t[pos + 1] == '/') {
      if (TagName(t, pos + 2) != pname) return std::nullopt;
      size_t e = pos + 2 + pname.size();
      while (e < t.size() && XmlSpace(t[e])) ++e;
      if (e >= t.size() || t[e] != '>') return std::nullopt;
      out.end = e + 1;
      return out;
    }
    std::string_view cname = TagName(t, pos + 1);
    if (LocalOf(cname) != child) return std::nullopt;
    auto tag = StartTagEnd(t, pos);
    if (!tag) return std::nullopt;
    size_t end = tag->second ? tag->first : EndTagEnd(t, tag->first, cname);
    if (end == std::string_view::npos) return std::nullopt;
    out.spans.emplace_back(pos, end - pos);
    pos = end;
  }
}

// Strips a namespace prefix: "x:row" -> "row".
std::string_view Local(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}
pugi::xml_node Child(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_node c : n.children())
    if (Local(c.name()) == name) return c;
  return {};
}
std::string_view Attr(pugi::xml_node n, std::string_view name) {
  for (pugi::xml_attribute a : n.attributes())
    if (Local(a.name()) == name) return a.value();
  return {};
}

// The text of <si>/<is>: <t> directly or the <t> of each rich-text run <r>;
// phonetic runs (<rPh>) are not text.
std::string RunText(pugi::xml_node n) {
  std::string out;
  for (pugi::xml_node c : n.children()) {
    std::string_view l = Local(c.name());
    if (l == "t") {
      out += c.text().get();
    } else if (l == "r") {
      for (pugi::xml_node t : c.children())
        if (Local(t.name()) == "t") out += t.text().get();
    }
  }
  return out;
}

// Resolves a relationship target against the folder of the part that names it.
std::string Resolve(std::string_view base_dir, std::string_view target) {
  if (!target.empty() && target.front() == '/') return std::string(target.substr(1));
  std::vector<std::string> parts;
  std::string joined = std::string(base_dir) + std::string(target);
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t end = joined.find('/', pos);
    if (end == std::string::npos) end = joined.size();
    std::string seg = joined.substr(pos, end - pos);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    pos = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Built-in number formats that show a date (ECMA-376 part 1, 18.8.30).
bool BuiltinDate(int id) {
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

// A custom format code shows a date when it has d, m or y outside quotes,
// brackets and escapes (a format with only h/m/s is a time, kept as a number).
bool CodeIsDate(std::string_view code) {
  bool quoted = false, bracket = false, date = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\\' || c == '_' || c == '*') {
      ++i;
      continue;
    }
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (bracket) continue;
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == 'd' || l == 'y') date = true;
  }
  return date;
}

// A day serial as YYYY-MM-DD (the 1900 system counts the non-existent
// 1900-02-29; the 1904 system starts on 1904-01-01).
std::string SerialDate(double serial, bool date1904) {
  long days = static_cast<long>(std::floor(serial));  // days since 1899-12-31
  if (date1904)
    days += 1462;
  else if (days >= 61)
    --days;  // 1900 was not a leap year (serial 60 is read as 1900-02-28)
  else if (days == 60)
    days = 59;
  // Days since 1970-01-01 to a civil date (Howard Hinnant's civil_from_days).
  long z = days - 25568 + 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  long d = doy - (153 * mp + 2) / 5 + 1;
  long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// "C14" -> (13, 2); false when it is not a cell reference.
bool ParseRef(std::string_view ref, size_t* row, size_t* col) {
  size_t i = 0, c = 0, r = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    c = c * 26 + static_cast<size_t>(std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (c > 1'000'000) return false;
    ++i;
  }
  size_t digits = i;
  while (i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i]))) {
    r = r * 10 + static_cast<size_t>(ref[i] - '0');
    if (r > 100'000'000) return false;
    ++i;
  }
  if (c == 0 || r == 0 || i != ref.size() || digits == i) return false;
  *row = r - 1;
  *col = c - 1;
  return true;
}

// The first `chars` characters of UTF-8 text.
std::string CutChars(std::string_view s, size_t chars) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == chars) return std::string(s.substr(0, i));
      ++n;
    }
  }
  return std::string(s);
}

class XlsxReader {
 public:
  XlsxReader(const std::string& file, const Limits& limits)
      : file_(file), limits_(limits), zip_(file, limits) {}

  Result<Workbook> Run(std::string_view bytes) {
    if (auto st = zip_.Open(bytes); !st) return std::unexpected(st.error());
    if (!zip_.Has("xl/workbook.xml"))
      return Fail(file_, "not an XLSX workbook: the archive has no xl/workbook.xml",
                  "an Excel workbook (.xlsx)",
                  "an .ods must be saved as .xlsx first; a .docx or other zip file is not a register");
    auto wb_text = zip_.Read("xl/workbook.xml");
    if (!wb_text) return std::unexpected(wb_text.error());
    auto wb = ParseXml(file_, "xl/workbook.xml", *wb_text);
    if (!wb) return std::unexpected(wb.error());
    pugi::xml_node root = wb->document_element();
    date1904_ = Attr(Child(root, "workbookPr"), "date1904") == "1" ||
                Attr(Child(root, "workbookPr"), "date1904") == "true";
    // Relationships: id -> part.
    std::map<std::string, std::string> rels;
    std::string shared_part = "xl/sharedStrings.xml", styles_part = "xl/styles.xml";
    if (zip_.Has("xl/_rels/workbook.xml.rels")) {
      auto rt = zip_.Read("xl/_rels/workbook.xml.rels");
      if (!rt) return std::unexpected(rt.error());
      auto rd = ParseXml(file_, "xl/_rels/workbook.xml.rels", *rt);
      if (!rd) return std::unexpected(rd.error());
      for (pugi::xml_node r : rd->document_element().children()) {
        std::string target = Resolve("xl/", Attr(r, "Target"));
        std::string_view type = Attr(r, "Type");
        rels[std::string(Attr(r, "Id"))] = target;
        if (type.ends_with("/sharedStrings")) shared_part = target;
        if (type.ends_with("/styles")) styles_part = target;
      }
    }
    if (zip_.Has(shared_part))
      if (auto st = SharedStrings(shared_part); !st) return std::unexpected(st.error());
    if (zip_.Has(styles_part))
      if (auto st = Styles(styles_part); !st) return std::unexpected(st.error());
    Workbook out;
    pugi::xml_node sheets = Child(root, "sheets");
    size_t n = 0;
    for (pugi::xml_node s : sheets.children()) {
      if (Local(s.name()) != "sheet") continue;
      ++n;
      Sheet sh;
      sh.name = Attr(s, "name");
      sh.hidden = Attr(s, "state") == "hidden" || Attr(s, "state") == "veryHidden";
      if (size_t bad = BadUtf8(sh.name); bad != std::string::npos)
        return Fail(
            file_,
            fmt::format("the name of sheet {} is not UTF-8: its byte {} (0x{:02X}) is not valid UTF-8", n,
                        bad, static_cast<unsigned char>(sh.name[bad])),
            "UTF-8 text, as a spreadsheet program saves it");
      std::string id(Attr(s, "id"));
      std::string part = rels.count(id) ? rels[id] : fmt::format("xl/worksheets/sheet{}.xml", n);
      if (!zip_.Has(part))
        return Fail(
            file_,
            fmt::format("sheet '{}': the workbook names the part '{}' but the archive does not hold it",
                        sh.name, part),
            "a complete XLSX archive", "the file may be damaged: save it again from the spreadsheet program");
      if (auto st = ReadSheet(part, sh, out.warnings); !st) return std::unexpected(st.error());
      out.sheets.push_back(std::move(sh));
    }
    if (out.sheets.empty()) return Fail(file_, "the workbook has no sheets", "at least one worksheet");
    out.warnings.insert(out.warnings.begin(), doctype_.begin(), doctype_.end());
    return out;
  }

 private:
  // pugixml does not expand a DTD's entities (no billion laughs, no external
  // entities): "&name;" stays text. A spreadsheet program never writes a
  // DOCTYPE, so one is said (before the root element: the first 64 KiB).
  void Doctype(const std::string& part, std::string_view text, const std::string& sheet = {}) {
    if (text.substr(0, 64 * 1024).find("<!DOCTYPE") == std::string_view::npos) return;
    Error e;
    e.kind = ErrorKind::kParse;
    e.warning = true;
    e.where.file = file_;
    e.message = fmt::format(
        "{}the part '{}' declares a DOCTYPE, which a spreadsheet program never writes; its entities are not "
        "expanded, so a reference such as '&name;' is read as that text",
        sheet.empty() ? "" : "sheet '" + sheet + "': ", part);
    doctype_.push_back(std::move(e));
  }

  Status SharedStrings(const std::string& part) {
    auto text = zip_.Read(part);
    if (!text) return std::unexpected(text.error());
    Doctype(part, *text);
    if (auto split = SplitChildren(*text, "sst", "si")) {
      shared_.reserve(split->spans.size());
      pugi::xml_document doc;  // one <si> at a time
      for (auto [at, len] : split->spans) {
        if (auto st = ParseAt(doc, part, *text, at, len); !st) return st;
        shared_.push_back(RunText(doc.first_child()));
      }
      return {};
    }
    auto doc = ParseXml(file_, part, *text);
    if (!doc) return std::unexpected(doc.error());
    for (pugi::xml_node si : doc->document_element().children())
      if (Local(si.name()) == "si") shared_.push_back(RunText(si));
    return {};
  }
  // Parses the element at text[at, at + len) in place into `doc`; an error
  // names its byte in the part.
  Status ParseAt(pugi::xml_document& doc, const std::string& part, std::string& text, size_t at, size_t len,
                 const std::string& sheet = {}) {
    pugi::xml_parse_result r =
        doc.load_buffer_inplace(text.data() + at, len, pugi::parse_default, pugi::encoding_utf8);
    if (!r)
      return Fail(
          file_,
          fmt::format("{}the part '{}' is not well-formed XML at byte {}: {}",
                      sheet.empty() ? "" : "sheet '" + sheet + "': ", part, at + r.offset, r.description()),
          "a workbook as saved by a spreadsheet program");
    return {};
  }
  Status Styles(const std::string& part) {
    auto text = zip_.Read(part);
    if (!text) return std::unexpected(text.error());
    auto doc = ParseXml(file_, part, *text);
    if (!doc) return std::unexpected(doc.error());
    pugi::xml_node root = doc->document_element();
    std::set<int> custom_dates;
    for (pugi::xml_node f : Child(root, "numFmts").children())
      if (CodeIsDate(Attr(f, "formatCode")))
        custom_dates.insert(std::atoi(std::string(Attr(f, "numFmtId")).c_str()));
    for (pugi::xml_node xf : Child(root, "cellXfs").children()) {
      int id = std::atoi(std::string(Attr(xf, "numFmtId")).c_str());
      date_style_.push_back(BuiltinDate(id) || custom_dates.count(id) > 0);
    }
    return {};
  }
  void Warn(Diagnostics& w, const Sheet& s, size_t row, size_t col, std::string what) {
    Error e;
    e.kind = ErrorKind::kParse;
    e.warning = true;
    e.where.file = file_;
    e.message = Where(s, row, col) + ": " + what;
    w.push_back(std::move(e));
  }
  std::unexpected<Error> CellError(const Sheet& s, size_t row, size_t col, std::string what,
                                   std::string expected) {
    return Fail(file_, Where(s, row, col) + ": " + what, std::move(expected));
  }

  // A sheet's rows are parsed one <row> at a time when the part allows it
  // (SplitChildren); the rest of the part, without its rows, as a document
  // for the merged ranges. Else the whole part is one document.
  Status ReadSheet(const std::string& part, Sheet& sh, Diagnostics& warnings) {
    auto text = zip_.Read(part);
    if (!text) return std::unexpected(text.error());
    Doctype(part, *text, sh.name);
    size_t next_row = 0;
    if (auto split = SplitChildren(*text, "sheetData", "row")) {
      {
        sh.rows.reserve(split->spans.size());
        pugi::xml_document doc;
        for (auto [at, len] : split->spans) {
          if (auto st = ParseAt(doc, part, *text, at, len, sh.name); !st) return st;
          if (auto st = Row(doc.first_child(), sh, next_row, warnings); !st) return st;
        }
      }
      SortHidden(sh);
      std::string rest = text->substr(0, split->begin);
      rest.append(*text, split->end);
      const size_t cut = split->end - split->begin;
      text->clear();
      text->shrink_to_fit();
      pugi::xml_document doc;
      pugi::xml_parse_result r =
          doc.load_buffer_inplace(rest.data(), rest.size(), pugi::parse_default, pugi::encoding_utf8);
      if (!r)
        return Fail(
            file_,
            fmt::format(
                "sheet '{}': the part '{}' is not well-formed XML at byte {}: {}", sh.name, part,
                static_cast<size_t>(r.offset) + (static_cast<size_t>(r.offset) >= split->begin ? cut : 0),
                r.description()),
            "a workbook as saved by a spreadsheet program");
      HiddenColumns(doc.document_element(), sh);
      return Merges(doc.document_element(), sh, warnings);
    }
    auto doc = ParseXml(file_, part, *text, sh.name);
    if (!doc) return std::unexpected(doc.error());  // the document lives in `text`
    pugi::xml_node root = doc->document_element();
    for (pugi::xml_node row : Child(root, "sheetData").children())
      if (auto st = Row(row, sh, next_row, warnings); !st) return st;
    SortHidden(sh);
    HiddenColumns(root, sh);
    return Merges(root, sh, warnings);
  }

  static bool True(std::string_view v) { return v == "1" || v == "true"; }
  // Rows come in any order (each names its own); the hidden ones are kept
  // ascending, each once.
  static void SortHidden(Sheet& sh) {
    std::sort(sh.hidden_rows.begin(), sh.hidden_rows.end());
    sh.hidden_rows.erase(std::unique(sh.hidden_rows.begin(), sh.hidden_rows.end()), sh.hidden_rows.end());
  }
  // <cols><col min="26" max="26" hidden="1"/></cols> (1-based, inclusive;
  // a worksheet may have several <cols>): the hidden spans, 0-based,
  // ascending and joined where they touch. A span beyond the column limit is
  // cut to it ("hide every column after the register" is common).
  void HiddenColumns(pugi::xml_node root, Sheet& sh) {
    std::vector<std::pair<size_t, size_t>> spans;
    for (pugi::xml_node cols : root.children()) {
      if (Local(cols.name()) != "cols") continue;
      for (pugi::xml_node col : cols.children()) {
        if (Local(col.name()) != "col" || !True(Attr(col, "hidden"))) continue;
        size_t lo = std::strtoull(std::string(Attr(col, "min")).c_str(), nullptr, 10);
        size_t hi = std::strtoull(std::string(Attr(col, "max")).c_str(), nullptr, 10);
        if (lo == 0 || hi < lo || lo > limits_.max_columns) continue;
        spans.emplace_back(lo - 1, std::min(hi, limits_.max_columns) - 1);
      }
    }
    std::sort(spans.begin(), spans.end());
    for (const auto& sp : spans)
      if (!sh.hidden_columns.empty() && sp.first <= sh.hidden_columns.back().second + 1)
        sh.hidden_columns.back().second = std::max(sh.hidden_columns.back().second, sp.second);
      else
        sh.hidden_columns.push_back(sp);
  }

  // One <row>: its cells into sh.rows; `next_row` is the row a <row> without
  // an r attribute has.
  Status Row(pugi::xml_node row, Sheet& sh, size_t& next_row, Diagnostics& warnings) {
    if (Local(row.name()) != "row") return {};
    size_t r = next_row;
    if (std::string_view rr = Attr(row, "r"); !rr.empty())
      r = std::strtoull(std::string(rr).c_str(), nullptr, 10) - 1;
    if (r >= limits_.max_rows)
      return CellError(sh, std::min(r, limits_.max_rows), 0,
                       fmt::format("the sheet has more than {} rows", limits_.max_rows),
                       fmt::format("at most {} rows (Excel's limit)", limits_.max_rows));
    next_row = r + 1;
    if (True(Attr(row, "hidden"))) sh.hidden_rows.push_back(r);
    size_t next_col = 0;
    for (pugi::xml_node c : row.children()) {
      if (Local(c.name()) != "c") continue;
      size_t cr = r, cc = next_col;
      if (std::string_view ref = Attr(c, "r"); !ref.empty() && !ParseRef(ref, &cr, &cc))
        return CellError(sh, r, next_col, fmt::format("the cell reference '{}' is not valid", ref),
                         "a reference such as C14");
      if (cc >= limits_.max_columns)
        return CellError(sh, r, cc, fmt::format("the sheet has more than {} columns", limits_.max_columns),
                         fmt::format("at most {} columns (Excel's limit)", limits_.max_columns));
      cr = r;
      next_col = cc + 1;
      std::string v = Value(c, sh, r, cc, warnings);
      if (v.empty()) continue;
      // pugixml passes the bytes of a part through as they are (and writes
      // character references such as &#xD800; as they are): a cell's text
      // must still be UTF-8 for a register to hold it.
      if (size_t bad = BadUtf8(v); bad != std::string::npos)
        return CellError(
            sh, r, cc,
            fmt::format("the cell's text is not UTF-8: its byte {} (0x{:02X}) is not valid UTF-8", bad,
                        static_cast<unsigned char>(v[bad])),
            "UTF-8 text, as a spreadsheet program saves it");
      if (v.size() > limits_.max_cell_chars && Utf8Chars(v) > limits_.max_cell_chars) {
        Warn(warnings, sh, r, cc,
             fmt::format("the cell has {} characters; cut to {} (Excel's limit)", Utf8Chars(v),
                         limits_.max_cell_chars));
        v = CutChars(v, limits_.max_cell_chars);
      }
      if (sh.rows.size() <= r) sh.rows.resize(r + 1);
      auto& cells = sh.rows[r];
      if (cells.size() <= cc) cells.resize(cc + 1);
      cells[cc] = std::move(v);
    }
    return {};
  }

  Status Merges(pugi::xml_node root, Sheet& sh, Diagnostics& warnings) {
    // Filling merged ranges is bounded in cells and bytes: a few hostile
    // ranges could otherwise ask for billions of copies.
    const uint64_t max_cells = uint64_t{1} << 22, max_fill_bytes = limits_.max_bytes;
    uint64_t cells_filled = 0, bytes_filled = 0;
    for (pugi::xml_node m : Child(root, "mergeCells").children()) {
      std::string ref(Attr(m, "ref"));
      size_t colon = ref.find(':');
      Range rg;
      if (colon == std::string::npos ||
          !ParseRef(std::string_view(ref).substr(0, colon), &rg.row0, &rg.col0) ||
          !ParseRef(std::string_view(ref).substr(colon + 1), &rg.row1, &rg.col1) || rg.row1 < rg.row0 ||
          rg.col1 < rg.col0 || rg.row1 >= limits_.max_rows || rg.col1 >= limits_.max_columns) {
        Warn(warnings, sh, 0, 0, fmt::format("the merged range '{}' is not valid and is ignored", ref));
        continue;
      }
      sh.merged.push_back(rg);
      // The top-left value fills the range.
      std::string value = sh.Cell(rg.row0, rg.col0);
      if (value.empty()) continue;
      uint64_t area = uint64_t{rg.row1 - rg.row0 + 1} * (rg.col1 - rg.col0 + 1);
      cells_filled += area;
      bytes_filled += area * value.size();
      if (cells_filled > max_cells || bytes_filled > max_fill_bytes)
        return CellError(
            sh, rg.row0, rg.col0,
            fmt::format("the merged ranges (up to '{}') would fill more than {} cells or {} bytes", ref,
                        max_cells, max_fill_bytes),
            "merged ranges of a register's size");
      if (sh.rows.size() <= rg.row1) sh.rows.resize(rg.row1 + 1);
      for (size_t r = rg.row0; r <= rg.row1; ++r) {
        auto& cells = sh.rows[r];
        if (cells.size() <= rg.col1) cells.resize(rg.col1 + 1);
        for (size_t c = rg.col0; c <= rg.col1; ++c)
          if (r != rg.row0 || c != rg.col0) cells[c] = value;
      }
    }
    return {};
  }

  std::string Value(pugi::xml_node c, const Sheet& sh, size_t r, size_t col, Diagnostics& warnings) {
    // One pass over the cell's attributes and children (a cell is read
    // millions of times in a large register).
    std::string_view t, style;
    bool has_t = false, has_s = false;  // the first of each, as Attr
    for (pugi::xml_attribute a : c.attributes()) {
      std::string_view l = Local(a.name());
      if (l == "t" && !has_t) t = a.value(), has_t = true;
      if (l == "s" && !has_s) style = a.value(), has_s = true;
    }
    pugi::xml_node v, f, is;
    for (pugi::xml_node k : c.children()) {
      std::string_view l = Local(k.name());
      if (l == "v" && !v) v = k;
      if (l == "f" && !f) f = k;
      if (l == "is" && !is) is = k;
    }
    if (t == "inlineStr") return RunText(is);
    // No value, or an empty one without a type (openpyxl writes <v></v> after
    // a formula it did not compute); Excel saves an empty text result as
    // t="str" with an empty <v>, which is a value.
    if (f && (!v || (std::string_view(v.text().get()).empty() && t != "str"))) {
      Warn(warnings, sh, r, col,
           fmt::format("the formula '{}' has no value saved with the file; the cell is read as empty "
                       "(formulas are never evaluated)",
                       std::string(f.text().get()).substr(0, 80)));
      return "";
    }
    std::string raw = v.text().get();
    if (t == "s") {
      size_t i = std::strtoull(raw.c_str(), nullptr, 10);
      if (raw.empty() || i >= shared_.size()) {
        Warn(warnings, sh, r, col,
             fmt::format("the shared string {} does not exist; the cell is read as empty", raw));
        return "";
      }
      return shared_[i];
    }
    if (t == "b") return raw == "1" ? "TRUE" : raw == "0" ? "FALSE" : raw;
    if (t == "str" || t == "e") return raw;
    // A number: a date when its style has a date format.
    size_t s = std::strtoull(std::string(style).c_str(), nullptr, 10);
    if (!raw.empty() && s < date_style_.size() && date_style_[s]) {
      char* end = nullptr;
      double d = std::strtod(raw.c_str(), &end);
      if (end && *end == '\0' && d >= 1 && d < 2958466) return SerialDate(d, date1904_);
    }
    return raw;
  }

  std::string file_;
  Limits limits_;
  Archive zip_;
  std::vector<std::string> shared_;
  std::vector<bool> date_style_;
  bool date1904_ = false;
  Diagnostics doctype_;  // parts that declare a DOCTYPE (Doctype)
};

}  // namespace

const std::string& Sheet::Cell(size_t row, size_t col) const {
  static const std::string kEmpty;
  if (row >= rows.size() || col >= rows[row].size()) return kEmpty;
  return rows[row][col];
}

std::string ColumnName(size_t col) {
  std::string out;
  for (size_t c = col + 1; c > 0; c = (c - 1) / 26)
    out.insert(out.begin(), static_cast<char>('A' + (c - 1) % 26));
  return out;
}
bool Sheet::RowHidden(size_t row) const {
  return std::binary_search(hidden_rows.begin(), hidden_rows.end(), row);
}
bool Sheet::ColumnHidden(size_t col) const {
  auto it = std::upper_bound(hidden_columns.begin(), hidden_columns.end(), col,
                             [](size_t c, const std::pair<size_t, size_t>& sp) { return c < sp.first; });
  return it != hidden_columns.begin() && col <= std::prev(it)->second;
}

std::string CellName(size_t row, size_t col) { return ColumnName(col) + std::to_string(row + 1); }
std::string Where(const Sheet& s, size_t row, size_t col) {
  return s.name.empty() ? CellName(row, col) : fmt::format("sheet '{}' {}", s.name, CellName(row, col));
}

bool LooksLikeXlsx(std::string_view bytes) {
  if (!bytes.starts_with(std::string_view("PK\x03\x04", 4))) return false;
  // The local file headers name their parts in the clear.
  return bytes.find("xl/workbook.xml") != std::string_view::npos ||
         bytes.find("xl/worksheets/") != std::string_view::npos;
}

Result<Workbook> ReadXlsx(std::string_view bytes, const std::string& file, const Limits& limits) {
  XlsxReader reader(file, limits);
  return reader.Run(bytes);
}

}  // namespace blindspot::sheet

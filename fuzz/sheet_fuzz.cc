// libFuzzer target for the spreadsheet readers (src/sheet): the input as an
// XLSX workbook (sheet::ReadXlsx), as a CSV file (sheet::ReadCsv), and as the
// content of one XML part of a valid XLSX archive built here with libzip, so
// that pugixml and the cell, style, shared-string and merge code get inputs
// the zip reader would otherwise refuse first. The part is chosen by what the
// input looks like: a shared-string table ("<sst"), a style sheet
// ("<styleSheet"), a workbook ("<workbook"), relationships ("<Relationships"),
// else the worksheet xl/worksheets/sheet1.xml. Small Limits keep large and
// hostile inputs (zip bombs, huge merged ranges) quick.
//
// Checks besides "no crash, no exception, no sanitizer report":
//   - an error has a message and names the file; one that names a cell names
//     it as a valid reference ("sheet 'Register' C14: ..." or "C14: ...");
//   - a workbook that reads has at least one sheet (a CSV file exactly one,
//     without a name), at most max_rows rows of at most max_columns cells of
//     at most max_cell_chars characters, merged ranges inside the limits, and
//     sheet names and cells that are UTF-8 as the native register reader has
//     it (FindInvalidUtf8), so that an importer can keep them;
//   - every warning names the file and a cell of one of the workbook's sheets
//     inside the limits;
//   - reading the same bytes twice gives the same workbook or error;
//   - CSV: a UTF-8 byte-order mark in front changes nothing, and neither do
//     CRLF line ends for LF in a file without quotes or carriage returns.
// See docs/fuzzing.md.
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/input.h"
#include "blindspot/sheet.h"
#include "sheet/utf8.h"

namespace {

namespace sheet = blindspot::sheet;
using sheet::Utf8Chars;

[[noreturn]] void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "sheet_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

sheet::Limits SmallLimits() {
  sheet::Limits l;
  l.max_bytes = 64 * 1024;
  l.max_rows = 200;
  l.max_columns = 40;
  l.max_cell_chars = 100;
  return l;
}

// Reads a cell reference such as "C14" at the start of `s` followed by ": ";
// false when there is none.
bool CellPrefix(std::string_view s, size_t* row, size_t* col) {
  size_t i = 0, c = 0, r = 0;
  while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z' && i < 8)
    c = c * 26 + static_cast<size_t>(s[i++] - 'A' + 1);
  size_t letters = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i < letters + 12)
    r = r * 10 + static_cast<size_t>(s[i++] - '0');
  if (letters == 0 || i == letters || r == 0 || !s.substr(i).starts_with(": ")) return false;
  *row = r - 1;
  *col = c - 1;
  return true;
}

void CheckError(const blindspot::Error& e, const std::string& file) {
  if (e.message.empty()) Fail("error without a message");
  if (e.where.file != file) Fail("error does not name the file", e.message);
  (void)e.Format();
  // A message about a sheet names it, then a cell or the sheet's part.
  std::string_view m = e.message;
  if (m.starts_with("sheet '")) {
    bool named = false;
    for (size_t p = m.find("' "); p != std::string_view::npos && !named; p = m.find("' ", p + 1)) {
      size_t row, col;
      named = CellPrefix(m.substr(p + 2), &row, &col);
    }
    if (!named && m.find("': the ") == std::string_view::npos) Fail("a sheet error names no cell", m);
  }
}

bool SameSheet(const sheet::Sheet& a, const sheet::Sheet& b) {
  if (a.name != b.name || a.rows != b.rows || a.merged.size() != b.merged.size()) return false;
  for (size_t i = 0; i < a.merged.size(); ++i) {
    const sheet::Range &x = a.merged[i], &y = b.merged[i];
    if (x.row0 != y.row0 || x.col0 != y.col0 || x.row1 != y.row1 || x.col1 != y.col1) return false;
  }
  return true;
}

bool Same(const blindspot::Result<sheet::Workbook>& a, const blindspot::Result<sheet::Workbook>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return a.error().message == b.error().message && a.error().Format() == b.error().Format();
  if (a->sheets.size() != b->sheets.size() || a->warnings.size() != b->warnings.size()) return false;
  for (size_t i = 0; i < a->sheets.size(); ++i)
    if (!SameSheet(a->sheets[i], b->sheets[i])) return false;
  for (size_t i = 0; i < a->warnings.size(); ++i)
    if (a->warnings[i].Format() != b->warnings[i].Format()) return false;
  return true;
}

void CheckWorkbook(const sheet::Workbook& wb, const std::string& file, const sheet::Limits& limits,
                   bool csv) {
  if (wb.sheets.empty()) Fail("a workbook without sheets");
  if (csv && (wb.sheets.size() != 1 || !wb.sheets[0].name.empty()))
    Fail("a CSV file is not one unnamed sheet");
  for (const auto& s : wb.sheets) {
    if (s.rows.size() > limits.max_rows) Fail("more rows than the limit", s.name);
    if (blindspot::FindInvalidUtf8(s.name) != std::string_view::npos)
      Fail("a sheet name that is not UTF-8", s.name);
    for (const auto& row : s.rows) {
      if (row.size() > limits.max_columns) Fail("more columns than the limit", s.name);
      for (const auto& cell : row) {
        if (Utf8Chars(cell) > limits.max_cell_chars) Fail("a cell longer than the limit", cell);
        if (blindspot::FindInvalidUtf8(cell) != std::string_view::npos)
          Fail("a cell that is not UTF-8", cell);
      }
    }
    for (const auto& r : s.merged)
      if (r.row1 < r.row0 || r.col1 < r.col0 || r.row1 >= limits.max_rows || r.col1 >= limits.max_columns)
        Fail("a merged range outside the limits", s.name);
  }
  for (const auto& w : wb.warnings) {
    if (!w.warning) Fail("a workbook warning not marked as one", w.message);
    if (w.where.file != file) Fail("a warning does not name the file", w.message);
    if (w.message.empty()) Fail("a warning without a message");
    (void)w.Format();
    bool placed = false;
    for (const auto& s : wb.sheets) {
      std::string prefix = s.name.empty() ? "" : "sheet '" + s.name + "' ";
      size_t row, col;
      if (w.message.starts_with(prefix) &&
          CellPrefix(std::string_view(w.message).substr(prefix.size()), &row, &col) &&
          row < limits.max_rows && col < limits.max_columns) {
        placed = true;
        break;
      }
    }
    if (!placed) Fail("a warning names no cell of the workbook inside the limits", w.message);
  }
}

void Check(const blindspot::Result<sheet::Workbook>& r, const std::string& file, const sheet::Limits& limits,
           bool csv) {
  if (r)
    CheckWorkbook(*r, file, limits, csv);
  else
    CheckError(r.error(), file);
}

// ---- a valid archive around one part ----------------------------------------

constexpr std::string_view kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr std::string_view kRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";
constexpr std::string_view kShared =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Naam verwerking</t></si><si><t>Doel</t></si><si><r><t>Grond</t></r><r><t xml:space="preserve">slag</t></r></si></sst>)";
constexpr std::string_view kStyles =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd\-mm\-yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>)";
constexpr std::string_view kSheet =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Salaris</t></is></c><c r="B2" s="1"><v>45000</v></c><c r="C2"><v>0.25</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A3:C3"/></mergeCells></worksheet>)";

// The bytes of a stored (uncompressed) zip archive with these parts; empty
// when libzip fails.
std::string Zip(const std::vector<std::pair<const char*, std::string_view>>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (buf == nullptr) return {};
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  std::string out;
  if (za != nullptr) {
    bool ok = true;
    for (const auto& [name, data] : parts) {
      zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
      zip_int64_t idx = s ? zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) : -1;
      if (idx < 0) {
        if (s) zip_source_free(s);
        ok = false;
        break;
      }
      zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
    }
    if (ok && zip_close(za) == 0) {
      if (zip_source_open(buf) == 0) {
        zip_source_seek(buf, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(buf);
        zip_source_seek(buf, 0, SEEK_SET);
        if (size > 0) {
          out.resize(static_cast<size_t>(size));
          if (zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size)) != size) out.clear();
        }
        zip_source_close(buf);
      }
    } else {
      zip_discard(za);
    }
  }
  zip_source_free(buf);
  zip_error_fini(&err);
  return out;
}

std::string ArchiveAround(std::string_view input) {
  std::string_view workbook = kWorkbook, rels = kRels, shared = kShared, styles = kStyles, sheet1 = kSheet;
  if (input.find("<sst") != std::string_view::npos)
    shared = input;
  else if (input.find("<styleSheet") != std::string_view::npos)
    styles = input;
  else if (input.find("<workbook") != std::string_view::npos)
    workbook = input;
  else if (input.find("<Relationships") != std::string_view::npos)
    rels = input;
  else
    sheet1 = input;
  return Zip({{"xl/workbook.xml", workbook},
              {"xl/_rels/workbook.xml.rels", rels},
              {"xl/sharedStrings.xml", shared},
              {"xl/styles.xml", styles},
              {"xl/worksheets/sheet1.xml", sheet1}});
}

void Xlsx(std::string_view bytes, const std::string& file, const sheet::Limits& limits) {
  auto first = sheet::ReadXlsx(bytes, file, limits);
  Check(first, file, limits, false);
  if (!Same(first, sheet::ReadXlsx(bytes, file, limits))) Fail("reading the workbook twice differs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const sheet::Limits limits = SmallLimits();

  (void)sheet::LooksLikeXlsx(input);
  Xlsx(input, "fuzz.xlsx", limits);

  std::string archive = ArchiveAround(input);
  if (archive.empty()) Fail("libzip could not build the archive");
  Xlsx(archive, "part.xlsx", limits);

  const std::string csv_file = "fuzz.csv";
  char d = sheet::SniffDelimiter(input);
  if (d != ',' && d != ';' && d != '\t') Fail("a delimiter that is not a candidate");
  auto csv = sheet::ReadCsv(input, csv_file, limits);
  Check(csv, csv_file, limits, true);
  if (!Same(csv, sheet::ReadCsv(input, csv_file, limits))) Fail("reading the CSV file twice differs");
  if (!input.starts_with("\xEF\xBB\xBF")) {
    std::string bom = "\xEF\xBB\xBF" + std::string(input);
    auto with_bom = sheet::ReadCsv(bom, csv_file, limits);
    // An error's byte offset moves with the mark; compare messages only
    // when both read.
    if (csv.has_value() != with_bom.has_value() || (csv && !Same(csv, with_bom)))
      Fail("a byte-order mark changes the CSV file");
  }
  if (csv && input.find('"') == std::string_view::npos && input.find('\r') == std::string_view::npos &&
      input.size() < 16 * 1024) {
    std::string crlf;
    for (char c : input) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    if (!Same(csv, sheet::ReadCsv(crlf, csv_file, limits))) Fail("CRLF line ends change the CSV file");
  }
  return 0;
}

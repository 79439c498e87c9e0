// Spreadsheet reading (src/sheet): XLSX workbooks and CSV files as a grid of
// cell texts. Pure: bytes in, cells out; no file I/O and no evaluation. Used
// by the spreadsheet register importer (src/io/sheet_importer.cc).
//
// What a cell's text is:
//  - text cells (shared strings with their rich-text runs joined, inline
//    strings): the text;
//  - numbers: the number as stored ("3", "0.25"); in a cell with a date
//    format (styles.xml): the date as YYYY-MM-DD;
//  - booleans: TRUE / FALSE; error values: as stored ("#N/A");
//  - formulas: the value Excel cached when the file was saved. A formula is
//    NEVER evaluated; one without a cached value is an empty cell and a
//    warning;
//  - merged cells: the value of the range's top-left cell applies to every
//    cell of the range (so a merged header names each column it spans);
//  - hidden rows and columns are read like any other (hidden is not
//    deleted); which ones are hidden is kept on the Sheet, for the importer
//    to say.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::sheet {

// A merged range, 0-based and inclusive.
struct Range {
  size_t row0 = 0, col0 = 0, row1 = 0, col1 = 0;
};

struct Sheet {
  std::string name;                            // the tab's name; empty for a CSV file
  bool hidden = false;                         // the tab is hidden (state "hidden" or "veryHidden")
  std::vector<std::vector<std::string>> rows;  // rows[r][c]; rows may be shorter than others
  std::vector<Range> merged;
  // Hidden rows (<row hidden="1">), 0-based, ascending, each once; a hidden
  // row need not hold cells. Empty for a CSV file.
  std::vector<size_t> hidden_rows;
  // Hidden columns (<col min max hidden="1">) as 0-based inclusive spans
  // (first, last), ascending and apart. Empty for a CSV file.
  std::vector<std::pair<size_t, size_t>> hidden_columns;
  // The text of a cell, "" outside the grid.
  const std::string& Cell(size_t row, size_t col) const;
  bool RowHidden(size_t row) const;
  bool ColumnHidden(size_t col) const;
};

struct Workbook {
  std::vector<Sheet> sheets;  // in the workbook's order
  Diagnostics warnings;       // each with the sheet and cell
  char delimiter = 0;         // a CSV file's (',', ';' or '\t', as sniffed); 0 for a workbook
};

// Each limit is a clear error (or, for a cell, a cut with a warning); never
// a crash or unbounded memory.
struct Limits {
  uint64_t max_bytes = 256ull << 20;  // all parts of an XLSX, uncompressed, or a CSV file
  size_t max_rows = 1048576;          // Excel's limits
  size_t max_columns = 16384;
  size_t max_cell_chars = 32767;  // a longer cell is cut (characters, not bytes)
};

// "A", "Z", "AA", ... for a 0-based column; "C14" for 0-based (13, 2).
std::string ColumnName(size_t col);
std::string CellName(size_t row, size_t col);
// "sheet 'Register' C14" (XLSX) or "C14" (CSV): where a message points.
std::string Where(const Sheet& s, size_t row, size_t col);

// True for a zip archive holding xl/workbook.xml.
bool LooksLikeXlsx(std::string_view bytes);

// Reads an XLSX workbook from memory. Errors name the file and, where there
// is one, the sheet and cell ("register.xlsx: sheet 'Register' C14: ...").
// A cell or sheet name whose text is not UTF-8 (a surrogate, an overlong form
// or a byte that starts no character) is an error naming it.
Result<Workbook> ReadXlsx(std::string_view bytes, const std::string& file, const Limits& limits = {});

// Reads a CSV file (RFC 4180): a UTF-8 byte-order mark is stripped, the
// delimiter is sniffed among ',', ';' and tab, quoted fields may hold
// newlines and doubled quotes, lines end in CRLF or LF. Text that is not
// UTF-8 (as FindInvalidUtf8 in blindspot/input.h has it: no overlong forms,
// surrogates or code points above U+10FFFF) is an error naming the byte offset
// (no code-page guessing). The one
// sheet has an empty name.
Result<Workbook> ReadCsv(std::string_view text, const std::string& file, const Limits& limits = {});

// The delimiter ReadCsv would use: among ',', ';' and tab, the one whose
// count per line is the same on the most of the first non-blank lines that
// hold it (a title line or an empty line above the header does not count).
char SniffDelimiter(std::string_view text);

}  // namespace blindspot::sheet

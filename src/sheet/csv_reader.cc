// CSV reading (RFC 4180, with the variations spreadsheet programs write): a
// UTF-8 byte-order mark is stripped, the delimiter is sniffed among ',', ';'
// and tab (a European Excel writes ';'), quoted fields may hold delimiters,
// newlines and doubled quotes, and lines end in CRLF or LF. Input that is not
// UTF-8 is refused with its byte offset: guessing a code page could change
// what a register says.
#include <fmt/format.h>

#include <algorithm>

#include "blindspot/sheet.h"
#include "sheet/utf8.h"

namespace blindspot::sheet {
namespace {

size_t Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

char SniffDelimiter(std::string_view text) {
  // Each candidate is counted outside quotes on each of the first non-blank
  // lines. A line without the candidate (a title above the header, an empty
  // line) says nothing about it; among the lines that have it, the count
  // most of them share is the candidate's field count, and the candidate
  // that the most lines share a count for wins (then the larger count, then
  // the earlier candidate). So a title line, an empty line and a ';' header
  // with commas inside cells give ';': its count is the same on every line
  // that has one, the commas' are not.
  const char kCandidates[] = {',', ';', '\t'};
  constexpr size_t kLines = 20, kBytes = 64 * 1024;
  size_t best_same = 0, best_count = 0;
  char best = ',';
  for (char d : kCandidates) {
    std::vector<size_t> counts;  // per non-blank line that holds d
    size_t n = 0, lines = 0;
    bool quoted = false, blank = true;
    size_t i = 0;
    for (; i < text.size() && i < kBytes && lines < kLines; ++i) {
      char c = text[i];
      if (c == '"') quoted = !quoted;
      if (c != '\n' && c != '\r' && c != ' ') blank = false;
      if (quoted) continue;
      if (c == d) ++n;
      if (c == '\n') {
        if (n > 0) counts.push_back(n);
        lines += !blank;
        n = 0;
        blank = true;
      }
    }
    // The last line counts only when the text ends there (not cut off by
    // the scan's limits).
    if (n > 0 && i == text.size()) counts.push_back(n);
    std::sort(counts.begin(), counts.end());
    size_t same = 0, count = 0;
    for (size_t a = 0; a < counts.size();) {
      size_t b = a;
      while (b < counts.size() && counts[b] == counts[a]) ++b;
      if (b - a >= same) {  // ties: the larger count (sorted ascending)
        same = b - a;
        count = counts[a];
      }
      a = b;
    }
    if (same > best_same || (same == best_same && same > 0 && count > best_count)) {
      best_same = same;
      best_count = count;
      best = d;
    }
  }
  return best;
}

Result<Workbook> ReadCsv(std::string_view text, const std::string& file, const Limits& limits) {
  SourceLocation where;
  where.file = file;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.size() > limits.max_bytes)
    return MakeError(ErrorKind::kParse,
                     fmt::format("the CSV file has {} bytes, more than the {} a register may have",
                                 text.size(), limits.max_bytes),
                     where);
  if (size_t bad = BadUtf8(text); bad != std::string_view::npos) {
    where.offset = bad;
    where.has_offset = true;
    return MakeError(
        ErrorKind::kParse,
        fmt::format("the CSV file is not UTF-8 text: byte {} (0x{:02X}) is not valid UTF-8", bad,
                    static_cast<unsigned char>(text[bad])),
        where, "UTF-8 text",
        "save the sheet as \"CSV UTF-8\" (Excel) or choose the UTF-8 character set (LibreOffice)");
  }
  const char d = SniffDelimiter(text);
  Workbook wb;
  wb.delimiter = d;
  Sheet sh;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, was_quoted = false;
  size_t quote_row = 0, quote_col = 0;
  bool cut = false;
  auto end_cell = [&]() -> Status {
    if (Chars(cell) > limits.max_cell_chars) {
      size_t n = 0, i = 0;
      for (; i < cell.size(); ++i)
        if ((static_cast<unsigned char>(cell[i]) & 0xC0) != 0x80 && n++ == limits.max_cell_chars) break;
      Error e;
      e.kind = ErrorKind::kParse;
      e.warning = true;
      e.where.file = file;
      e.message = fmt::format("{}: the cell has {} characters; cut to {} (Excel's limit)",
                              CellName(sh.rows.size(), row.size()), Chars(cell), limits.max_cell_chars);
      wb.warnings.push_back(std::move(e));
      cell.resize(i);
      cut = true;
    }
    if (row.size() >= limits.max_columns)
      return MakeError(ErrorKind::kParse,
                       fmt::format("{}: the row has more than {} columns",
                                   CellName(sh.rows.size(), row.size()), limits.max_columns),
                       where, fmt::format("at most {} columns (Excel's limit)", limits.max_columns));
    row.push_back(std::move(cell));
    cell.clear();
    was_quoted = false;
    return {};
  };
  auto end_row = [&]() -> Status {
    if (auto st = end_cell(); !st) return st;
    if (sh.rows.size() >= limits.max_rows)
      return MakeError(ErrorKind::kParse, fmt::format("the CSV file has more than {} rows", limits.max_rows),
                       where, fmt::format("at most {} rows (Excel's limit)", limits.max_rows));
    bool empty = row.size() == 1 && row[0].empty();
    sh.rows.push_back(empty ? std::vector<std::string>{} : std::move(row));
    row.clear();
    return {};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
      quote_row = sh.rows.size();
      quote_col = row.size();
    } else if (c == d) {
      if (auto st = end_cell(); !st) return std::unexpected(st.error());
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (auto st = end_row(); !st) return std::unexpected(st.error());
    } else {
      cell += c;  // a quote inside an unquoted field is kept as it is
    }
  }
  if (quoted)
    return MakeError(
        ErrorKind::kParse,
        fmt::format("{}: the quoted field opened here is never closed", CellName(quote_row, quote_col)),
        where, "a closing '\"' (a quote inside a field is written twice: \"\")",
        "the file may be truncated, or a quote is missing");
  if (!cell.empty() || !row.empty())
    if (auto st = end_row(); !st) return std::unexpected(st.error());
  (void)cut;
  wb.sheets.push_back(std::move(sh));
  return wb;
}

}  // namespace blindspot::sheet

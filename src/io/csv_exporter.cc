// The CSV writer of the layout exporters, and the formula neutralising every
// spreadsheet writer uses.
// CSV: RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote,
// CR or LF), UTF-8 with a byte-order mark so Excel reads it as UTF-8.
#include <fmt/format.h>

#include "io/exporters.h"

namespace blindspot {

std::string NeutraliseFormula(std::string_view cell) {
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    return "'" + std::string(cell);
  return std::string(cell);
}

namespace {

void CsvField(std::string& out, std::string_view raw) {
  std::string v = NeutraliseFormula(raw);
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void CsvRow(std::string& out, const std::vector<std::string>& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    CsvField(out, row[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string CsvTable(const FlatTable& t) {
  std::string out = "\xEF\xBB\xBF";
  CsvRow(out, t.header);
  for (const auto& row : t.rows) CsvRow(out, row);
  return out;
}

}  // namespace blindspot

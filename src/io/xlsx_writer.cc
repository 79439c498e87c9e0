// WriteXlsx (blindspot/io.h) with libxlsxwriter. This is the one place the io library touches the file
// system: libxlsxwriter 1.1.4 has no in-memory output (no output_buffer
// option), so the workbook is written to a private file made by mkstemp in
// $TMPDIR (else /tmp), read back and removed, on success and on every error.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <memory>

#include "io/exporters.h"
#include "sheet/utf8.h"

namespace blindspot {
namespace {

using sheet::Utf8Chars;

// Excel's limits: characters in a cell, rows in a sheet.
constexpr size_t kMaxCellChars = 32767;
constexpr size_t kMaxRows = 1048576;

std::unexpected<Error> Fail(std::string message, std::string expected = {}) {
  return MakeError(ErrorKind::kUsage, std::move(message), {}, std::move(expected));
}

// Removes the temporary file when it goes out of scope.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

bool ValidSheetName(std::string_view n) {
  if (n.empty() || n.size() > 31 || n.front() == '\'' || n.back() == '\'') return false;
  return n.find_first_of("[]:*?/\\") == std::string_view::npos;
}

}  // namespace

std::expected<std::string, Error> WriteXlsx(const std::vector<XlsxSheet>& sheets) {
  if (sheets.empty()) return Fail("a workbook needs at least one sheet", "one sheet or more");
  for (size_t s = 0; s < sheets.size(); ++s) {
    const XlsxSheet& sh = sheets[s];
    if (!ValidSheetName(sh.name))
      return Fail(fmt::format("sheet {} has the name '{}', which Excel does not accept", s + 1, sh.name),
                  "1 to 31 characters, none of [ ] : * ? / \\, not starting or ending with '");
    for (size_t t = 0; t < s; ++t)
      if (sheets[t].name == sh.name)
        return Fail(fmt::format("two sheets are named '{}'", sh.name), "distinct names");
    if (sh.rows.size() + 1 > kMaxRows)
      return Fail(fmt::format("sheet '{}' has {} rows", sh.name, sh.rows.size()),
                  fmt::format("at most {} rows under the header", kMaxRows - 1));
    for (size_t r = 0; r < sh.rows.size(); ++r)
      for (size_t c = 0; c < sh.rows[r].size(); ++c)
        if (Utf8Chars(sh.rows[r][c]) + 1 > kMaxCellChars)
          return Fail(fmt::format("sheet '{}', row {}, column {}: the cell has {} characters", sh.name, r + 2,
                                  c + 1, Utf8Chars(sh.rows[r][c])),
                      fmt::format("at most {} characters in a cell (Excel's limit)", kMaxCellChars - 1));
  }

  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/blindspot-xlsx-XXXXXX";
  TempFile tmp;
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0)
    return MakeError(ErrorKind::kIo, "cannot create a temporary file for the XLSX workbook",
                     SourceLocation{.file = tmpl}, "a writable $TMPDIR or /tmp");
  tmp.path = tmpl;
  ::close(fd);

  lxw_workbook_options opt = {};
  // Rows are streamed to the temporary folder as they are written, strings
  // inline: no shared-string table and no in-memory cell tree, so memory
  // stays flat on a 100,000-row register (bench/sheet_bench.cc). The rows
  // are written in order, as this mode requires.
  opt.constant_memory = LXW_TRUE;
  std::string tmpdir = dir && *dir ? dir : "/tmp";
  opt.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(tmp.path.c_str(), &opt);
  if (!wb)
    return MakeError(ErrorKind::kIo, "libxlsxwriter could not start a workbook",
                     SourceLocation{.file = tmp.path});
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_error err = LXW_NO_ERROR;
  std::string where;
  for (const XlsxSheet& sh : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sh.name.c_str());
    if (!ws) {
      err = LXW_ERROR_SHEETNAME_ALREADY_USED;
      where = "sheet '" + sh.name + "'";
      break;
    }
    for (size_t c = 0; c < sh.widths.size(); ++c)
      if (sh.widths[c] > 0)
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), sh.widths[c], nullptr);
    auto put = [&](size_t r, size_t c, const std::string& v, lxw_format* f) {
      if (err != LXW_NO_ERROR || v.empty()) return;
      std::string safe = NeutraliseFormula(v);
      err = worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), safe.c_str(), f);
      if (err != LXW_NO_ERROR) where = fmt::format("sheet '{}', row {}, column {}", sh.name, r + 1, c + 1);
    };
    for (size_t c = 0; c < sh.header.size(); ++c) put(0, c, sh.header[c], bold);
    for (size_t r = 0; r < sh.rows.size(); ++r)
      for (size_t c = 0; c < sh.rows[r].size(); ++c) put(r + 1, c, sh.rows[r][c], wrap);
    if (err != LXW_NO_ERROR) break;
    worksheet_freeze_panes(ws, 1, 0);
    size_t cols = sh.header.size();
    for (const auto& row : sh.rows) cols = std::max(cols, row.size());
    if (cols > 0)
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sh.rows.size()),
                           static_cast<lxw_col_t>(cols - 1));
  }
  lxw_error closed = workbook_close(wb);  // frees the workbook in every case
  if (err != LXW_NO_ERROR)
    return MakeError(ErrorKind::kInternal, fmt::format("XLSX writer: {}: {}", where, lxw_strerror(err)));
  if (closed != LXW_NO_ERROR)
    return MakeError(ErrorKind::kIo,
                     std::string("XLSX writer could not write the workbook: ") + lxw_strerror(closed),
                     SourceLocation{.file = tmp.path});

  int in = ::open(tmp.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return MakeError(ErrorKind::kIo, "cannot read back the XLSX workbook", SourceLocation{.file = tmp.path});
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0) {
      ::close(in);
      return MakeError(ErrorKind::kIo, "cannot read back the XLSX workbook",
                       SourceLocation{.file = tmp.path});
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(in);
  return out;
}

}  // namespace blindspot

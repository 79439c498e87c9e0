// The spreadsheet readers: workbooks written with libxlsxwriter into a temp
// folder, hostile and broken files, CSV edge cases.
#include "blindspot/sheet.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "blindspot_testing/files.h"
#include "sheet/utf8.h"

namespace blindspot::sheet {
namespace {

namespace fs = std::filesystem;
using testing::ReplaceInPart;
using testing::Slurp;
using testing::TempDir;

TEST(SheetNames, ColumnsAndCells) {
  EXPECT_EQ(ColumnName(0), "A");
  EXPECT_EQ(ColumnName(25), "Z");
  EXPECT_EQ(ColumnName(26), "AA");
  EXPECT_EQ(ColumnName(16383), "XFD");
  EXPECT_EQ(CellName(13, 2), "C14");
  Sheet s;
  s.name = "Register";
  EXPECT_EQ(Where(s, 13, 2), "sheet 'Register' C14");
  s.name = "";
  EXPECT_EQ(Where(s, 0, 0), "A1");
}

TEST(Utf8, CharsCountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Chars(""), 0u);
  EXPECT_EQ(Utf8Chars("abc"), 3u);
  EXPECT_EQ(Utf8Chars("\xC3\x89tats"), 5u);              // États: 2 bytes for É
  EXPECT_EQ(Utf8Chars("\xE2\x82\xAC 5"), 3u);            // € (3 bytes), space, 5
  EXPECT_EQ(Utf8Chars("\xF0\x9F\x98\x80"), 1u);          // one emoji, 4 bytes
  EXPECT_EQ(Utf8Chars("\xEF\xBF\xBE\xEF\xBF\xBF"), 2u);  // U+FFFE U+FFFF
  EXPECT_EQ(BadUtf8("\xC3\x89tats"), std::string_view::npos);
}

TEST(XlsxReader, ReadsTextNumbersDatesBooleansFormulasAndMerges) {
  TempDir dir;
  std::string path = dir.File("book.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* first = workbook_add_worksheet(wb, "Toelichting");
  worksheet_write_string(first, 0, 0, "Lees mij eerst", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd-mm-yyyy");
  lxw_format* builtin_date = workbook_add_format(wb);
  format_set_num_format_index(builtin_date, 14);
  worksheet_write_string(ws, 0, 0, "Naam verwerking", nullptr);
  worksheet_write_string(ws, 0, 1, "Aantal", nullptr);
  worksheet_write_number(ws, 1, 1, 42, nullptr);
  worksheet_write_number(ws, 2, 1, 0.25, nullptr);
  lxw_datetime dt = {2024, 3, 15, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 2, &dt, date);
  worksheet_write_number(ws, 2, 2, 45000, builtin_date);
  worksheet_write_boolean(ws, 1, 3, 1, nullptr);
  worksheet_write_formula_str(ws, 1, 4, "=HYPERLINK(\"https://evil.example/\",\"klik\")", nullptr, "klik");
  worksheet_write_formula_num(ws, 2, 4, "=1+1", nullptr, 2);
  worksheet_merge_range(ws, 3, 0, 4, 2, "Samengevoegd", nullptr);
  worksheet_write_string(ws, 1, 0, "Salarisadministratie\nmet tweede regel", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto book = ReadXlsx(Slurp(path), "book.xlsx");
  ASSERT_TRUE(book) << book.error().Format();
  ASSERT_EQ(book->sheets.size(), 2u);
  EXPECT_EQ(book->sheets[0].name, "Toelichting");
  EXPECT_EQ(book->sheets[0].Cell(0, 0), "Lees mij eerst");
  const Sheet& s = book->sheets[1];
  EXPECT_EQ(s.name, "Register");
  EXPECT_EQ(s.Cell(0, 0), "Naam verwerking");
  EXPECT_EQ(s.Cell(1, 0), "Salarisadministratie\nmet tweede regel");
  EXPECT_EQ(s.Cell(1, 1), "42");
  EXPECT_EQ(s.Cell(2, 1), "0.25");
  EXPECT_EQ(s.Cell(1, 2), "2024-03-15");
  EXPECT_EQ(s.Cell(2, 2), "2023-03-15");
  EXPECT_EQ(s.Cell(1, 3), "TRUE");
  // The cached value, never the formula's evaluation.
  EXPECT_EQ(s.Cell(1, 4), "klik");
  EXPECT_EQ(s.Cell(2, 4), "2");
  // The merged range's top-left value fills every cell of the range.
  EXPECT_EQ(s.Cell(3, 0), "Samengevoegd");
  EXPECT_EQ(s.Cell(4, 2), "Samengevoegd");
  EXPECT_EQ(s.Cell(4, 1), "Samengevoegd");
  EXPECT_EQ(s.Cell(5, 0), "");
  ASSERT_EQ(s.merged.size(), 1u);
  EXPECT_EQ(s.merged[0].row1, 4u);
  EXPECT_EQ(s.merged[0].col1, 2u);
}

TEST(XlsxReader, LongCellIsCutWithAWarningAndManyRowsAreRead) {
  TempDir dir;
  std::string path = dir.File("big.xlsx");
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_TRUE;  // strings inline
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  worksheet_write_string(ws, 0, 0, "Naam", nullptr);
  worksheet_write_string(ws, 1, 0, "LONGCELL", nullptr);
  for (lxw_row_t r = 2; r < 100002; ++r) worksheet_write_number(ws, r, 0, r, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ReplaceInPart(path, "xl/worksheets/sheet1.xml", "LONGCELL", std::string(39999, 'x') + "\xC3\xA9");
  auto book = ReadXlsx(Slurp(path), "big.xlsx");
  ASSERT_TRUE(book) << book.error().Format();
  const Sheet& s = book->sheets[0];
  EXPECT_EQ(s.rows.size(), 100002u);
  EXPECT_EQ(s.Cell(100001, 0), "100001");
  EXPECT_EQ(s.Cell(1, 0).size(), 32767u);
  ASSERT_EQ(book->warnings.size(), 1u);
  EXPECT_EQ(book->warnings[0].message,
            "sheet 'Register' A2: the cell has 40000 characters; cut to 32767 (Excel's limit)");
}

TEST(XlsxReader, LimitsAreErrorsNamingTheCell) {
  TempDir dir;
  std::string path = dir.File("rows.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  for (lxw_row_t r = 0; r < 20; ++r) worksheet_write_number(ws, r, 3, r, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  Limits small;
  small.max_rows = 10;
  auto rows = ReadXlsx(Slurp(path), "rows.xlsx", small);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().message, "sheet 'Register' A11: the sheet has more than 10 rows");
  EXPECT_EQ(rows.error().where.file, "rows.xlsx");
  Limits narrow;
  narrow.max_columns = 3;
  auto cols = ReadXlsx(Slurp(path), "rows.xlsx", narrow);
  ASSERT_FALSE(cols);
  EXPECT_EQ(cols.error().message, "sheet 'Register' D1: the sheet has more than 3 columns");
  Limits tiny;
  tiny.max_bytes = 1000;
  auto bomb = ReadXlsx(Slurp(path), "rows.xlsx", tiny);
  ASSERT_FALSE(bomb);
  EXPECT_NE(bomb.error().message.find("the workbook unpacks to more than 1000 bytes"), std::string::npos)
      << bomb.error().message;
}

TEST(XlsxReader, BadFilesAreErrorsWithTheirPlace) {
  auto not_zip = ReadXlsx("Naam;Doel\n", "r.xlsx");
  ASSERT_FALSE(not_zip);
  EXPECT_NE(not_zip.error().message.find("not a readable XLSX workbook"), std::string::npos);
  EXPECT_EQ(not_zip.error().where.file, "r.xlsx");

  TempDir dir;
  std::string path = dir.File("ok.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  for (lxw_row_t r = 0; r < 200; ++r) worksheet_write_string(ws, r, 0, "verwerking", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string bytes = Slurp(path);
  auto truncated = ReadXlsx(bytes.substr(0, bytes.size() / 2), "t.xlsx");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("XLSX"), std::string::npos) << truncated.error().message;

  // Rewrite one part: the sheet part removed, then with broken XML.
  auto rewrite = [&](const std::string& name, const char* content) {
    std::string copy = dir.File(name);
    fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
    int err = 0;
    zip_t* z = zip_open(copy.c_str(), 0, &err);
    EXPECT_NE(z, nullptr);
    zip_int64_t idx = zip_name_locate(z, "xl/worksheets/sheet1.xml", 0);
    if (content == nullptr) {
      zip_delete(z, static_cast<zip_uint64_t>(idx));
    } else {
      zip_source_t* src = zip_source_buffer(z, content, strlen(content), 0);
      zip_file_replace(z, static_cast<zip_uint64_t>(idx), src, 0);
    }
    zip_close(z);
    return Slurp(copy);
  };
  auto missing = ReadXlsx(rewrite("missing.xlsx", nullptr), "m.xlsx");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "sheet 'Register': the workbook names the part 'xl/worksheets/sheet1.xml' but the archive does "
            "not hold "
            "it");
  auto bad = ReadXlsx(rewrite("bad.xlsx", "<worksheet><sheetData><row></sheetData>"), "b.xlsx");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find(
                "sheet 'Register': the part 'xl/worksheets/sheet1.xml' is not well-formed XML"),
            std::string::npos)
      << bad.error().message;
  auto no_value =
      ReadXlsx(rewrite("formula.xlsx",
                       "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                       "<sheetData><row r=\"3\"><c r=\"B3\"><f>SUM(A1:A2)</f></c></row></sheetData>"
                       "</worksheet>"),
               "f.xlsx");
  ASSERT_TRUE(no_value) << no_value.error().Format();
  EXPECT_EQ(no_value->sheets[0].Cell(2, 1), "");
  ASSERT_EQ(no_value->warnings.size(), 1u);
  EXPECT_EQ(
      no_value->warnings[0].message,
      "sheet 'Register' B3: the formula 'SUM(A1:A2)' has no value saved with the file; the cell is read as "
      "empty (formulas are never evaluated)");
  // openpyxl writes an empty <v/> after a formula it did not compute: the same warning.
  auto empty_value =
      ReadXlsx(rewrite("formula2.xlsx",
                       "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                       "<sheetData><row r=\"2\"><c r=\"C2\"><f>1+1</f><v></v></c></row></sheetData>"
                       "</worksheet>"),
               "f2.xlsx");
  ASSERT_TRUE(empty_value) << empty_value.error().Format();
  ASSERT_EQ(empty_value->warnings.size(), 1u);
  EXPECT_EQ(
      empty_value->warnings[0].message,
      "sheet 'Register' C2: the formula '1+1' has no value saved with the file; the cell is read as empty "
      "(formulas are never evaluated)");
  // Excel saves a formula whose result is the empty string with t="str" and
  // an empty <v>: a value that was computed, read without a warning.
  auto empty_text =
      ReadXlsx(rewrite("formula3.xlsx",
                       "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                       "<sheetData><row r=\"2\"><c r=\"C2\" t=\"str\"><f>IF(A2=\"\",\"\",A2)</f><v></v></c>"
                       "</row></sheetData></worksheet>"),
               "f3.xlsx");
  ASSERT_TRUE(empty_text) << empty_text.error().Format();
  EXPECT_EQ(empty_text->sheets[0].Cell(1, 2), "");
  EXPECT_TRUE(empty_text->warnings.empty()) << empty_text->warnings[0].message;
}

// Found by import_fuzz (docs/fuzzing.md): pugixml passes a part's bytes
// through, so a Latin-1 cell (or a character reference to a surrogate) reached
// the register, whose writer then wrote a file that is not UTF-8. Such a cell
// is now an error naming it, as a CSV file that is not UTF-8 is.
TEST(XlsxReader, TextThatIsNotUtf8IsAnErrorNamingTheCell) {
  TempDir dir;
  std::string path = dir.File("latin1.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  worksheet_write_string(ws, 0, 0, "Naam verwerking", nullptr);
  worksheet_write_string(ws, 2, 1, "CAFE", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string copy = dir.File("surrogate.xlsx");
  fs::copy_file(path, copy);
  ReplaceInPart(path, "xl/sharedStrings.xml", "CAFE", "Caf\xE9");
  auto latin1 = ReadXlsx(Slurp(path), "latin1.xlsx");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().message,
            "sheet 'Register' B3: the cell's text is not UTF-8: its byte 3 (0xE9) is not valid UTF-8");
  EXPECT_EQ(latin1.error().where.file, "latin1.xlsx");
  ReplaceInPart(copy, "xl/sharedStrings.xml", "CAFE", "x&#xD800;");
  auto surrogate = ReadXlsx(Slurp(copy), "s.xlsx");
  ASSERT_FALSE(surrogate);
  EXPECT_EQ(surrogate.error().message,
            "sheet 'Register' B3: the cell's text is not UTF-8: its byte 1 (0xED) is not valid UTF-8");
}

// A sheet is parsed one <row> at a time when every '<' of the part starts a
// tag; comments, CDATA or processing instructions make it one document. Both
// ways give the same cells, and an error names the byte in the part.
TEST(XlsxReader, RowsOneAtATimeOrAsOneDocumentGiveTheSameCells) {
  TempDir dir;
  std::string path = dir.File("base.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  workbook_add_worksheet(wb, "Register");
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  const std::string head =
      "<?xml version=\"1.0\"?>\n<x:worksheet "
      "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:dimension ref=\"A1:C3\"/><x:cols><x:col min=\"26\" max=\"26\" hidden=\"true\"/>"
      "<x:col min=\"2\" max=\"2\" width=\"9\" hidden=\"1\"/><x:col min=\"4\" max=\"4\" hidden=\"0\"/>"
      "<x:col min=\"3\" max=\"3\" hidden=\"1\"/></x:cols><x:sheetData>";
  auto read = [&](const std::string& rows, const std::string& after = "") {
    std::string copy = dir.File("case.xlsx");
    fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
    testing::ReplacePart(copy, "xl/worksheets/sheet1.xml",
                         head + rows + "</x:sheetData >" + after + "</x:worksheet>");
    return ReadXlsx(Slurp(copy), "r.xlsx");
  };
  auto byte_of = [](const Result<Workbook>& r) -> size_t {
    if (r) return 0;
    size_t at = r.error().message.find("is not well-formed XML at byte ");
    return at == std::string::npos ? 0 : std::stoul(r.error().message.substr(at + 31));
  };
  const std::string rows =
      "<x:row r=\"1\" spans=\"1:2\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>Naam &amp; "
      "doel</x:t></x:is></x:c>"
      "<x:c r=\"B1\" t=\"inlineStr\" x:note=\"a > b\"><x:is><x:t>Grondslag</x:t></x:is></x:c></x:row>\n"
      "<x:row r=\"2\"/>"
      "<x:row r=\"3\" hidden=\"1\"><x:c r=\"C3\"><x:v>42</x:v></x:c></x:row>";
  const std::string merge = "<x:mergeCells count=\"1\"><x:mergeCell ref=\"C3:C4\"/></x:mergeCells>";
  auto check = [&](const Result<Workbook>& got, const char* how) {
    ASSERT_TRUE(got) << how << ": " << got.error().Format();
    const Sheet& s = got->sheets[0];
    EXPECT_EQ(s.Cell(0, 0), "Naam & doel") << how;
    EXPECT_EQ(s.Cell(0, 1), "Grondslag") << how;
    EXPECT_EQ(s.Cell(1, 0), "") << how;
    EXPECT_EQ(s.Cell(2, 2), "42") << how;
    EXPECT_EQ(s.Cell(3, 2), "42") << how;  // the merged range, read from the part without its rows
    EXPECT_EQ(s.rows.size(), 4u) << how;
    // Row 3 and columns B, C (two touching spans, one span) and Z are
    // hidden; column D says hidden="0". They are read all the same.
    EXPECT_EQ(s.hidden_rows, (std::vector<size_t>{2})) << how;
    EXPECT_EQ(s.hidden_columns, (std::vector<std::pair<size_t, size_t>>{{1, 2}, {25, 25}})) << how;
    EXPECT_TRUE(s.RowHidden(2)) << how;
    EXPECT_FALSE(s.RowHidden(1)) << how;
    EXPECT_FALSE(s.ColumnHidden(0)) << how;
    EXPECT_TRUE(s.ColumnHidden(1)) << how;
    EXPECT_TRUE(s.ColumnHidden(2)) << how;
    EXPECT_FALSE(s.ColumnHidden(3)) << how;
    EXPECT_FALSE(s.ColumnHidden(24)) << how;
    EXPECT_TRUE(s.ColumnHidden(25)) << how;
    EXPECT_FALSE(s.ColumnHidden(26)) << how;
  };
  check(read(rows, merge), "one row at a time");
  // A comment between rows, CDATA in a cell, a processing instruction: one document.
  check(read("<!-- rows -->" + rows, merge), "comment");
  std::string cdata = rows;
  cdata.replace(cdata.find("Grondslag"), 9, "<![CDATA[Grondslag]]>");
  check(read(cdata, merge), "CDATA");
  check(read(rows + "<?keep this?>", merge), "processing instruction");
  // An end tag inside a comment inside a row cannot end that row.
  std::string hidden = rows;
  hidden.insert(hidden.find("<x:c r=\"C3\">"), "<!-- </x:row> -->");
  check(read(hidden, merge), "end tag in a comment");

  // A row that is not well-formed: the error names its byte in the part,
  // inside that row (the row is parsed alone; the offset is the part's).
  const std::string bad_row = "<x:row r=\"4\"><x:c r=\"A4\"><x:v>1</x:c></x:row>";
  auto bad = read(rows + bad_row);
  ASSERT_FALSE(bad);
  EXPECT_NE(
      bad.error().message.find("sheet 'Register': the part 'xl/worksheets/sheet1.xml' is not well-formed "
                               "XML at byte "),
      std::string::npos)
      << bad.error().message;
  const size_t row4 = head.size() + rows.size();
  EXPECT_GT(byte_of(bad), row4) << bad.error().message;
  EXPECT_LT(byte_of(bad), row4 + bad_row.size()) << bad.error().message;
  // After the rows (the part without its rows is parsed apart): the offset
  // still counts the rows' bytes.
  const std::string bad_merge = "<x:mergeCells><x:mergeCell ref=\"A1:B1\"></x:mergeCells>";
  auto bad_after = read(rows, bad_merge);
  ASSERT_FALSE(bad_after);
  const size_t merge_at = head.size() + rows.size() + std::string("</x:sheetData >").size();
  EXPECT_GT(byte_of(bad_after), merge_at) << bad_after.error().message;
  EXPECT_LT(byte_of(bad_after), merge_at + bad_merge.size()) << bad_after.error().message;
}

// A DOCTYPE's entities are never expanded (no billion laughs, no external
// file read); the reference stays text, and the DOCTYPE is said.
TEST(XlsxReader, ADoctypeIsSaidAndItsEntitiesStayText) {
  TempDir dir;
  std::string path = dir.File("lol.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  workbook_add_worksheet(wb, "Register");
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  testing::ReplacePart(
      path, "xl/worksheets/sheet1.xml",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\"><!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>");
  auto got = ReadXlsx(Slurp(path), "lol.xlsx");
  ASSERT_TRUE(got) << got.error().Format();
  EXPECT_EQ(got->sheets[0].Cell(0, 0), "&lol2;");
  EXPECT_EQ(got->sheets[0].Cell(0, 1), "&xxe;");
  ASSERT_EQ(got->warnings.size(), 1u);
  EXPECT_EQ(got->warnings[0].message,
            "sheet 'Register': the part 'xl/worksheets/sheet1.xml' declares a DOCTYPE, which a spreadsheet "
            "program never writes; its entities are not expanded, so a reference such as '&name;' is read as "
            "that text");
}

TEST(XlsxReader, Sniff) {
  EXPECT_FALSE(LooksLikeXlsx("Naam,Doel\n"));
  EXPECT_FALSE(LooksLikeXlsx(std::string("PK\x03\x04", 4) + "word/document.xml"));
  EXPECT_TRUE(LooksLikeXlsx(std::string("PK\x03\x04", 4) + "....xl/workbook.xml"));
}

TEST(CsvReader, QuotesNewlinesDelimitersAndBom) {
  auto book = ReadCsv(
      "\xEF\xBB\xBFNaam;Doel;Opmerking\r\n\"Werving; selectie\";\"regel 1\nregel 2\";\"zei "
      "\"\"ja\"\"\"\r\n\r\nx;;\n",
      "r.csv");
  ASSERT_TRUE(book) << book.error().Format();
  const Sheet& s = book->sheets[0];
  EXPECT_EQ(s.name, "");
  ASSERT_EQ(s.rows.size(), 4u);
  EXPECT_EQ(s.Cell(0, 0), "Naam");
  EXPECT_EQ(s.Cell(1, 0), "Werving; selectie");
  EXPECT_EQ(s.Cell(1, 1), "regel 1\nregel 2");
  EXPECT_EQ(s.Cell(1, 2), "zei \"ja\"");
  EXPECT_TRUE(s.rows[2].empty());
  EXPECT_EQ(s.rows[3].size(), 3u);
  EXPECT_EQ(SniffDelimiter("a\tb\tc\n1\t2\t3\n"), '\t');
  EXPECT_EQ(SniffDelimiter("a,b;c\n1,2;3\n"), ',');
  EXPECT_EQ(SniffDelimiter("\"a,b\";c;d\n1;2;3\n"), ';');
  EXPECT_EQ(book->delimiter, ';');
}

// User run: a title line without delimiters, an empty line, then a ';'
// header with commas inside cells was split on ','. The delimiter is the
// one whose count is the same on the lines that hold it.
TEST(CsvReader, DelimiterIsSniffedOnTheLinesThatHoldOne) {
  const std::string title =
      "Verwerkingsregister gemeente Voorbeeld\n\n"
      "Naam verwerking;Doel;Rechtmatige grondslag;Categorie\xC3\xABn betrokkenen;Bewaartermijn\n"
      "Parkeervergunningen;Vergunning verlenen, handhaven;Publiekrechtelijke taak;inwoners, bezoekers;5 "
      "jaar\n"
      "Belastingen;Heffen;Wettelijke verplichting;inwoners;7 jaar\n";
  EXPECT_EQ(SniffDelimiter(title), ';');
  auto book = ReadCsv(title, "title.csv");
  ASSERT_TRUE(book) << book.error().Format();
  EXPECT_EQ(book->delimiter, ';');
  const Sheet& s = book->sheets[0];
  ASSERT_EQ(s.rows.size(), 5u);
  EXPECT_EQ(s.rows[2].size(), 5u);
  EXPECT_EQ(s.Cell(3, 1), "Vergunning verlenen, handhaven");
  EXPECT_EQ(s.Cell(3, 3), "inwoners, bezoekers");
  // Excel pads the title with delimiters: the same answer.
  EXPECT_EQ(SniffDelimiter("Register;;;\nNaam;Doel;Grondslag;Termijn\nA;b, c;d;e\n"), ';');
  // Commas inside quotes do not count; a comma file whose cells hold a ';'
  // on some rows stays a comma file.
  EXPECT_EQ(SniffDelimiter("Naam,Doel,Termijn\n\"A, B\",x;y,1\nC,z,2\nD,w,3\n"), ',');
  // No delimiter at all: ','.
  EXPECT_EQ(SniffDelimiter("Naam\nWerving\n"), ',');
  EXPECT_EQ(ReadCsv("a,b\n", "r.csv")->delimiter, ',');
}

TEST(CsvReader, ErrorsNameThePlace) {
  auto open = ReadCsv("Naam,Doel\nx,\"never closed\n", "r.csv");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message, "B2: the quoted field opened here is never closed");
  EXPECT_EQ(open.error().where.file, "r.csv");
  auto latin1 = ReadCsv("Naam,Doel\nCaf\xE9,x\n", "r.csv");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().message, "the CSV file is not UTF-8 text: byte 13 (0xE9) is not valid UTF-8");
  EXPECT_EQ(latin1.error().where.offset, 13u);
  // A surrogate (U+D800), an overlong form and a code point above U+10FFFF are
  // not UTF-8 either (the native register reader refuses them; import_fuzz).
  for (std::string bad : {"\xED\xA0\x80", "\xE0\x80\xAF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80"}) {
    auto r = ReadCsv("Naam,Doel\nx," + bad + "\n", "r.csv");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().where.offset, 12u);
  }
  EXPECT_TRUE(ReadCsv("Naam,Doel\nx,\xED\x9F\xBF \xF4\x8F\xBF\xBF\n", "r.csv"));  // U+D7FF, U+10FFFF
  Limits l;
  l.max_rows = 2;
  EXPECT_FALSE(ReadCsv("a\nb\nc\n", "r.csv", l));
  l = {};
  l.max_cell_chars = 3;
  auto cut = ReadCsv("abcdef,x\n", "r.csv", l);
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->sheets[0].Cell(0, 0), "abc");
  ASSERT_EQ(cut->warnings.size(), 1u);
  EXPECT_EQ(cut->warnings[0].message, "A1: the cell has 6 characters; cut to 3 (Excel's limit)");
}

}  // namespace
}  // namespace blindspot::sheet

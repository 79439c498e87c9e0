// Input checks shared by every reader: naming files that are not UTF-8 text,
// and sizes (ParseSize for --max-input-size, HumanSize for messages).
#include <gtest/gtest.h>

#include <string>

#include "blindspot/input.h"

namespace blindspot {
namespace {

using namespace std::string_literals;

constexpr std::string_view kWhat = "a YAML or JSON register";

Error Check(const std::string& bytes, const std::string& file = "register.yaml") {
  auto st = CheckTextInput(bytes, file, kWhat);
  EXPECT_FALSE(st.has_value()) << "accepted: " << bytes;
  return st ? Error{} : st.error();
}

TEST(CheckTextInput, AcceptsUtf8TextWithOrWithoutBom) {
  EXPECT_TRUE(CheckTextInput("blindspot_register: 1\n", "r.yaml", kWhat).has_value());
  EXPECT_TRUE(CheckTextInput("\xEF\xBB\xBF"
                             "blindspot_register: 1\n",
                             "r.yaml", kWhat)
                  .has_value());
  EXPECT_TRUE(CheckTextInput("name: Café Ûber 日本 \xF0\x9F\x8D\x9E\n", "r.yaml", kWhat).has_value());
  EXPECT_TRUE(CheckTextInput("", "r.yaml", kWhat).has_value());
  EXPECT_TRUE(CheckTextInput("tab\there\r\n", "r.yaml", kWhat).has_value());
}

TEST(CheckTextInput, NamesZipPdfAndGzip) {
  Error zip = Check("PK\x03\x04\x14\x00\x06\x00"s, "datamap.xlsx");
  EXPECT_EQ(zip.kind, ErrorKind::kParse);
  EXPECT_EQ(zip.where.file, "datamap.xlsx");
  EXPECT_EQ(zip.message, "this is a ZIP archive (an .xlsx, .docx or .zip file), not a text file");
  EXPECT_EQ(zip.expected, kWhat);
  EXPECT_NE(zip.hint.find("blindspot import --help"), std::string::npos) << zip.hint;

  Error pdf = Check("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "register.pdf");
  EXPECT_EQ(pdf.kind, ErrorKind::kParse);
  EXPECT_EQ(pdf.message, "this is a PDF document, not a text file");
  EXPECT_EQ(pdf.expected, kWhat);

  Error gz = Check("\x1F\x8B\x08\x00\x00\x00\x00\x00"s, "capture.har.gz");
  EXPECT_EQ(gz.kind, ErrorKind::kParse);
  EXPECT_EQ(gz.message, "this is a gzip-compressed file");
  EXPECT_EQ(gz.hint, "decompress it first (gunzip)");
}

TEST(CheckTextInput, NamesUtf16WithAndWithoutBom) {
  const std::string kMsg = "the file is UTF-16 encoded, not UTF-8";
  // "bl" in UTF-16 LE and BE, with a byte-order mark.
  EXPECT_EQ(Check("\xFF\xFE"
                  "b\0l\0"s)
                .message,
            kMsg);
  EXPECT_EQ(Check("\xFE\xFF"
                  "\0b\0l"s)
                .message,
            kMsg);
  // Without a byte-order mark: recognised by the zero bytes.
  EXPECT_EQ(Check("b\0l\0i\0n\0"s).message, kMsg);
  EXPECT_EQ(Check("\0b\0l\0i\0n"s).message, kMsg);
  Error e = Check(
      "\xFF\xFE"
      "b\0l\0"s);
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_NE(e.hint.find("iconv -f UTF-16 -t UTF-8"), std::string::npos) << e.hint;
  // UTF-32 is named as such, not as UTF-16.
  EXPECT_EQ(Check("\xFF\xFE\0\0"
                  "b\0\0\0"s)
                .message,
            "the file is UTF-32 encoded, not UTF-8");
  EXPECT_EQ(Check("\0\0\xFE\xFF"
                  "\0\0\0b"s)
                .message,
            "the file is UTF-32 encoded, not UTF-8");
}

TEST(CheckTextInput, NulByteIsBinaryWithOffsetLineAndColumn) {
  Error e = Check("blindspot_register: 1\nname: a\0b\n"s);
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_TRUE(e.where.has_offset);
  EXPECT_EQ(e.where.offset, 29u);
  EXPECT_EQ(e.message, "this is a binary file, not text: NUL byte at byte 29 (line 2, column 8)");
  EXPECT_EQ(e.Format().rfind("register.yaml: byte 29: error: this is a binary file", 0), 0u) << e.Format();
}

TEST(CheckTextInput, NonUtf8TextNamesTheByteWithOffsetLineAndColumn) {
  Error e = Check("blindspot_register: 1\norganisation:\n  name: Caf\xE9\n");
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_TRUE(e.where.has_offset);
  EXPECT_EQ(e.where.offset, 47u);
  EXPECT_EQ(e.message, "the file is not UTF-8: byte 0xE9 at byte 47 (line 3, column 12)");
  EXPECT_NE(e.hint.find("iconv"), std::string::npos);
  EXPECT_EQ(e.Format().rfind("register.yaml: byte 47: error: the file is not UTF-8", 0), 0u) << e.Format();
  // An invalid byte that comes before a NUL is reported first, and the other way round.
  EXPECT_EQ(Check("a\xFF\0"s).where.offset, 1u);
  EXPECT_EQ(Check("a\0\xFF"s).where.offset, 1u);
  EXPECT_NE(Check("a\0\xFF"s).message.find("NUL byte"), std::string::npos);
}

TEST(CheckTextInput, MostlyControlBytesAreBinary) {
  std::string bin = "\x01\x02\x03\x04\x05\x06\x07\x08\xFF\x10\x11\x12"s;
  Error e = Check(bin, "image.bin");
  EXPECT_EQ(e.message, "this is a binary file, not text (first byte that is not UTF-8: 0xFF at byte 8)");
  EXPECT_EQ(e.where.offset, 8u);
  EXPECT_TRUE(e.where.has_offset);
}

TEST(FindInvalidUtf8, RejectsOverlongSurrogatesAndOutOfRange) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("Café 日本 \xF0\x9F\x8D\x9E \xF4\x8F\xBF\xBF"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xE0\x80\xAF"), 2u);      // overlong, 3 bytes
  EXPECT_EQ(FindInvalidUtf8("ab\xF0\x80\x80\xAF"), 2u);  // overlong, 4 bytes
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);      // lone surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("ab\xF4\x90\x80\x80"), 2u);  // U+110000
  EXPECT_EQ(FindInvalidUtf8("ab\xF5\x80\x80\x80"), 2u);
  EXPECT_EQ(FindInvalidUtf8("abc\xE6\x97"), 3u);  // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("abc\xE6"
                            "x"),
            3u);                           // continuation byte missing
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);  // lone continuation byte
}

TEST(ParseSize, BinaryUnitsAndPlainBytes) {
  EXPECT_EQ(ParseSize("500M"), 500ull << 20);
  EXPECT_EQ(ParseSize("2G"), 2ull << 30);
  EXPECT_EQ(ParseSize("64k"), 64ull << 10);
  EXPECT_EQ(ParseSize("64K"), 64ull << 10);
  EXPECT_EQ(ParseSize("1048576"), 1048576ull);
  EXPECT_EQ(ParseSize("300MiB"), 300ull << 20);
  EXPECT_EQ(ParseSize("300MB"), 300ull << 20);
  EXPECT_EQ(ParseSize("1.5G"), 3ull << 29);
  EXPECT_EQ(ParseSize("4095M"), 4095ull << 20);
  EXPECT_EQ(ParseSize("1T"), 1ull << 40);
  EXPECT_EQ(ParseSize("17b"), 17ull);
}

TEST(ParseSize, RejectsWhatIsNotASize) {
  for (const char* bad : {"", "M", "abc", "5X", "-1", "0", "0.1", "1.5.5G", "10 potatoes", "2GiBs"})
    EXPECT_FALSE(ParseSize(bad).has_value()) << bad;
}

TEST(HumanSize, AsDocumented) {
  EXPECT_EQ(HumanSize(0), "0 bytes");
  EXPECT_EQ(HumanSize(17), "17 bytes");
  EXPECT_EQ(HumanSize(1023), "1023 bytes");
  EXPECT_EQ(HumanSize(1536), "1.5 KiB");
  EXPECT_EQ(HumanSize(3ull << 29), "1.5 GiB");
  // The examples of blindspot/input.h: whole numbers without a decimal.
  EXPECT_EQ(HumanSize(12ull << 10), "12 KiB");
  EXPECT_EQ(HumanSize(300ull << 20), "300 MiB");
}

TEST(InputLimits, Defaults) {
  InputLimits l;
  EXPECT_EQ(l.max_text_bytes, 256ull << 20);
  EXPECT_EQ(l.max_evidence_bytes, 4095ull << 20);
  EXPECT_LT(l.max_evidence_bytes, 4ull << 30);  // below simdjson's 4 GiB
}

}  // namespace
}  // namespace blindspot

// UTF-8 validation and counting shared by the spreadsheet readers
// (csv_reader.cc, xlsx_reader.cc), the XLSX writer (src/io/xlsx_writer.cc) and
// fuzz/sheet_fuzz.cc. The rules are those of FindInvalidUtf8 (blindspot/input.h),
// which the native register reader applies: overlong forms, surrogates
// (U+D800..U+DFFF) and code points above U+10FFFF are not UTF-8, so a cell the
// readers accept can be written into a register and read back.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace blindspot::sheet {

// The offset of the first byte that is not part of well-formed UTF-8, or npos.
inline size_t BadUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len; ++k) {
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

// The number of characters (code points) in UTF-8 text: the bytes that do
// not continue a sequence. Text that is not UTF-8 counts as many characters as
// it has lead bytes.
inline size_t Utf8Chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace blindspot::sheet

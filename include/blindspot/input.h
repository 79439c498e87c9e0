// Input checks shared by every reader: size limits, and naming a file that is
// not text (binary, UTF-16, ZIP/xlsx, PDF, gzip) instead of reporting a syntax
// error deep inside it. Pure functions; thread-safe.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "blindspot/error.h"

namespace blindspot {

// How much a reader takes before it refuses (the CLI's --max-input-size sets
// both). A file larger than its limit is refused with its size and the
// option to raise it, before it is read into memory.
struct InputLimits {
  uint64_t max_text_bytes = 256ull << 20;       // registers, kb files: 256 MiB
  uint64_t max_evidence_bytes = 4095ull << 20;  // HAR files: just under the JSON parser's 4 GiB
};

// "1.5 GiB", "300 MiB", "12 KiB", "17 bytes".
std::string HumanSize(uint64_t bytes);
// Parses "500M", "2G", "64k", "1048576", "300MiB", "1.5G" (binary units); nullopt if not a size.
std::optional<uint64_t> ParseSize(std::string_view text);

// Checks that `bytes` (the start of a file is enough) is UTF-8 text: names a
// ZIP archive (xlsx, docx), PDF, gzip, UTF-16 or UTF-32 text, and other binary
// data (a NUL byte, or bytes that are not UTF-8), with the byte offset. `what`
// names what was expected ("a YAML or JSON register", "a HAR file (JSON)").
// A leading UTF-8 byte-order mark is fine. kParse on failure.
Status CheckTextInput(std::string_view bytes, const std::string& file, std::string_view what);

// Offset of the first byte that is not well-formed UTF-8 (overlongs,
// surrogates and code points above U+10FFFF are rejected), or npos.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace blindspot

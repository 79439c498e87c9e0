// Internal helpers of the evidence module (not part of the public API): cookie
// parsing, base64, UTF-8 validation and error locations for byte offsets.
// All functions are pure and thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/evidence.h"

namespace blindspot::evidence_internal {

// Parses a request Cookie header value ("a=b; c=d"). Appends views into
// `header` to `out` (domain empty). Pairs without '=' get an empty value;
// empty pairs are skipped.
void ParseCookieHeader(std::string_view header, std::vector<Cookie>* out);

// Parses one Set-Cookie header value. Several cookies may be joined with '\n'
// (Firefox). For each line, "name=value; Attr; Domain=x" gives one cookie with
// the Domain attribute (as written, leading dot kept) when present.
void ParseSetCookie(std::string_view header, std::vector<Cookie>* out);

// Decodes standard or URL-safe base64; line breaks (\r, \n) are skipped,
// '=' padding ends the data. Returns false (and leaves what was decoded so far
// in `out`) when `in` is not base64: a character outside the alphabet (a space
// or tab included), anything but padding and line breaks after the padding, or
// one character left over (no base64 text has that length). `out` is cleared
// first.
bool Base64Decode(std::string_view in, std::string* out);

// A run of bytes inside a JSON string that RepairStrings replaced.
struct StringRepair {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool control = false;  // raw control characters (else bytes that are not UTF-8)
};

// Replaces in place, inside JSON strings only, bytes that are not UTF-8 by
// '?' and raw control characters (below 0x20) by ' ', so that the text
// parses with the same byte offsets. Appends one StringRepair per run of
// replaced bytes. Changes nothing and returns false when a string runs to the
// end of the text (a cut-off file, whose error is reported as it is).
bool RepairStrings(char* text, size_t size, std::vector<StringRepair>* out);

// Offset of the first byte that breaks UTF-8 well-formedness (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos when valid.
size_t FindInvalidUtf8(std::string_view text);

// Builds an error located at byte `offset` of `text` (the whole input). Sets
// where.file = name, where.offset/has_offset, where.line = 0 (so Error::Format
// prints "name: byte N"), source_line = the offending line, clipped to about
// 120 characters around the offset with "..." marks and control/invalid bytes
// replaced, and where.column = the 1-based caret position inside source_line.
// The real 1-based line and column (in bytes) are appended to the message as
// " (line L, column C)".
Error ErrorAt(std::string_view text, const std::string& name, uint64_t offset, ErrorKind kind,
              std::string message, std::string expected = {}, std::string hint = {});

// 1-based line and byte column of `offset` in `text`.
void LineColumn(std::string_view text, uint64_t offset, uint32_t* line, uint32_t* column);

// Case-insensitive ASCII equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace blindspot::evidence_internal

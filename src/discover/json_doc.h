// JSON input for the discovery readers that take JSON (gtm, cmp-onetrust):
// parsing with a located error, a nesting-depth bound checked before the
// parser runs, and small typed look-ups that never throw. Pure functions.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "blindspot/error.h"

namespace blindspot::discover {

using Json = nlohmann::json;

// Deepest nesting of arrays and objects a reader accepts (real files: < 20).
inline constexpr int kMaxJsonDepth = 128;

// Line and column (1-based) of byte `offset` in `bytes`, with the file name.
SourceLocation LocationAt(std::string_view bytes, size_t offset, const std::string& file);

// Parses `bytes` as one JSON document. Not JSON, cut off, or nested deeper
// than kMaxJsonDepth: kParse with line:col and `expected` (what the reader
// wanted: "a Google Tag Manager container export (JSON)").
Result<Json> ParseJsonDocument(std::string_view bytes, const std::string& file, std::string_view expected);

// The first non-space byte is '{' (after a UTF-8 byte-order mark).
bool LooksLikeJsonObject(std::string_view bytes);

// j[key] as a string when it is one ("" otherwise); a number is written out.
std::string StringAt(const Json& j, std::string_view key);
// j[key] when it is an object / array, else nullptr.
const Json* ObjectAt(const Json& j, std::string_view key);
const Json* ArrayAt(const Json& j, std::string_view key);

// Milliseconds since 1970-01-01 UTC -> "YYYY-MM-DD" (the day, UTC).
std::string DateFromUnixMillis(int64_t ms);

}  // namespace blindspot::discover

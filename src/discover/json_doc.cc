// JSON input shared by the JSON discovery readers (see json_doc.h).
#include "discover/json_doc.h"

#include <fmt/format.h>

namespace blindspot::discover {

SourceLocation LocationAt(std::string_view bytes, size_t offset, const std::string& file) {
  SourceLocation where;
  where.file = file;
  if (offset > bytes.size()) offset = bytes.size();
  where.offset = offset;
  where.has_offset = true;
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i)
    if (bytes[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  where.line = line;
  where.column = static_cast<uint32_t>(offset - line_start + 1);
  return where;
}

namespace {

// Offset where nesting first exceeds `max_depth`, or npos. Strings are skipped
// (brackets inside them do not count); one linear pass.
size_t FindTooDeep(std::string_view bytes, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<Json> ParseJsonDocument(std::string_view bytes, const std::string& file, std::string_view expected) {
  std::string_view body = bytes;
  size_t skipped = 0;
  if (body.starts_with("\xEF\xBB\xBF")) {
    body.remove_prefix(3);
    skipped = 3;
  }
  if (size_t deep = FindTooDeep(body, kMaxJsonDepth); deep != std::string_view::npos)
    return MakeError(ErrorKind::kParse, fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth),
                     LocationAt(bytes, skipped + deep, file), std::string(expected));
  try {
    return Json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    size_t at = skipped + (e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> after ": "
    size_t colon = what.find(": ");
    std::string why = colon == std::string::npos ? what : what.substr(colon + 2);
    bool cut = at + 1 >= bytes.size();
    return MakeError(ErrorKind::kParse, cut ? "the JSON is cut off: " + why : "not JSON: " + why,
                     LocationAt(bytes, at, file), std::string(expected),
                     cut ? "the file ends early; export or download it again" : "");
  }
}

bool LooksLikeJsonObject(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  for (char c : bytes) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

std::string StringAt(const Json& j, std::string_view key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  return {};
}

const Json* ObjectAt(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? &*it : nullptr;
}

const Json* ArrayAt(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? &*it : nullptr;
}

std::string DateFromUnixMillis(int64_t ms) {
  // Days since 1970-01-01 -> civil date (proleptic Gregorian).
  int64_t z = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

}  // namespace blindspot::discover

// Small helpers shared by the ad-platform readers (airbyte_records.cc,
// meta_audiences.cc, google_ads_userlists.cc): bounded JSON parsing with a
// location, typed field access that never throws, and dates as YYYY-MM-DD.
// Header-only, stateless; nothing here copies values into observations by
// itself (the readers choose which fields they keep).
#pragma once
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "blindspot/discovery.h"
#include "blindspot/error.h"

namespace blindspot::discover::adjson {

using Json = nlohmann::json;

// Nesting deeper than this is refused before parsing (the platforms' objects
// are a few levels deep; the limit keeps a hostile file from exhausting the
// stack of whatever walks the tree).
inline constexpr int kMaxDepth = 64;
// A single file larger than this is refused (an export of audiences is a few
// megabytes at most).
inline constexpr size_t kMaxBytes = 256u * 1024 * 1024;

// The deepest nesting of arrays/objects in `text`, counting outside strings;
// stops counting once `limit` is passed.
inline int NestingDepth(std::string_view text, int limit = kMaxDepth) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// Parses `text` (one JSON document). Errors carry `file`, and `line` when the
// caller knows the line `text` starts on (JSONL: one line per document), with
// the column or byte offset nlohmann reports.
inline Result<Json> Parse(std::string_view text, const std::string& file, uint32_t line,
                          std::string expected) {
  SourceLocation where;
  where.file = file;
  where.line = line;
  if (NestingDepth(text) > kMaxDepth) {
    where.column = line ? 1 : 0;
    return MakeError(ErrorKind::kParse, "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep",
                     where, std::move(expected));
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    uint64_t byte = e.byte > 0 ? e.byte - 1 : 0;
    if (line) {
      where.column = static_cast<uint32_t>(std::min<uint64_t>(byte + 1, UINT32_MAX));
    } else {
      // One document over many lines: give line and column of the byte.
      uint64_t stop = std::min<uint64_t>(byte, text.size());
      where.line = 1;
      uint64_t line_start = 0;
      for (uint64_t i = 0; i < stop; ++i)
        if (text[i] == '\n') {
          ++where.line;
          line_start = i + 1;
        }
      where.column = static_cast<uint32_t>(std::min<uint64_t>(stop - line_start + 1, UINT32_MAX));
      where.offset = byte;
      where.has_offset = true;
    }
    std::string what = e.what();
    size_t colon = what.find(": ");
    bool cut = byte >= text.size() || what.find("unexpected end of input") != std::string::npos;
    return MakeError(ErrorKind::kParse,
                     std::string(cut ? "cut off: " : "not JSON: ") +
                         (colon == std::string::npos ? what : what.substr(colon + 2)),
                     where, std::move(expected));
  }
}

// Field access that never throws: text of strings and of numbers (ids are
// numbers in some exports), empty when absent or of another type.
inline std::string Str(const Json& j, std::string_view key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return {};
}
inline const Json* Field(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}
// A count from a number or a numeric string ("1200" in proto3 JSON); 0 when
// absent, negative or not a number.
inline uint64_t Count(const Json& j, std::string_view key) {
  const Json* v = Field(j, key);
  if (!v) return 0;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer()) return v->get<int64_t>() > 0 ? static_cast<uint64_t>(v->get<int64_t>()) : 0;
  if (v->is_number_float()) return v->get<double>() > 0 ? static_cast<uint64_t>(v->get<double>()) : 0;
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > 19 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return 0;
    return std::stoull(s);
  }
  return 0;
}
// true/false from a JSON boolean; `absent` otherwise.
inline int Bool(const Json& j, std::string_view key, int absent = -1) {
  const Json* v = Field(j, key);
  if (!v || !v->is_boolean()) return absent;
  return v->get<bool>() ? 1 : 0;
}

// YYYY-MM-DD from an epoch in seconds (or milliseconds when larger than any
// date in seconds this century can be); empty for 0 or negatives.
inline std::string DateFromEpoch(int64_t t) {
  if (t <= 0) return {};
  if (t > 100000000000LL) t /= 1000;  // milliseconds
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (!gmtime_r(&tt, &tm)) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

// YYYY-MM-DD from a date text that starts with one ("2021-07-22T21:50:36.669Z",
// "2021-10-20 07:26:39", "2021-06-14T10:09:22+00:00", Meta's
// "2024-01-05T10:00:00+0000"), or from an epoch number (or numeric string);
// empty when neither.
inline std::string Date(const Json& j, std::string_view key) {
  const Json* v = Field(j, key);
  if (!v) return {};
  if (v->is_number_integer()) return DateFromEpoch(v->get<int64_t>());
  if (v->is_number_unsigned()) return DateFromEpoch(static_cast<int64_t>(v->get<uint64_t>() & INT64_MAX));
  if (!v->is_string()) return {};
  const std::string& s = v->get_ref<const std::string&>();
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() >= 10 && digit(0) && digit(1) && digit(2) && digit(3) && s[4] == '-' && digit(5) && digit(6) &&
      s[7] == '-' && digit(8) && digit(9) && (s.size() == 10 || s[10] == 'T' || s[10] == ' '))
    return s.substr(0, 10);
  if (!s.empty() && s.size() <= 13 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return DateFromEpoch(std::stoll(s));
  return {};
}

// Widens [first, last] by an observation's dates.
inline void Widen(std::string& first, std::string& last, const std::string& a, const std::string& b) {
  for (const std::string* d : {&a, &b}) {
    if (d->empty()) continue;
    if (first.empty() || *d < first) first = *d;
    if (last.empty() || *d > last) last = *d;
  }
}
inline void WidenReport(DiscoveryReport& r) {
  for (const Observation& o : r.observations) Widen(r.first_date, r.last_date, o.first_date, o.last_date);
}

inline Error Warning(std::string message, const std::string& file, uint32_t line, std::string hint = {}) {
  Error e;
  e.kind = ErrorKind::kSchema;
  e.message = std::move(message);
  e.where.file = file;
  e.where.line = line;
  e.where.column = line ? 1 : 0;
  e.hint = std::move(hint);
  e.warning = true;
  return e;
}

// Lower case ASCII.
inline std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The first non-blank byte of `bytes` (skipping a UTF-8 BOM), or 0.
inline char FirstNonBlank(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  for (char c : bytes)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  return 0;
}

}  // namespace blindspot::discover::adjson

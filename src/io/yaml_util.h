// Shared helpers for YAML-based register readers (native format, importers):
// UTF-8 checking, YAML loading with syntax errors turned into Diagnostics,
// 1-based locations and source lines for carets. Internal to bs_io.
#pragma once
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/register.h"

namespace blindspot::yamlutil {

// Offset of the first byte that is not well-formed UTF-8 (overlongs,
// surrogates and code points above U+10FFFF are rejected), or npos.
size_t FindInvalidUtf8(std::string_view text);

// Text of the document with a leading UTF-8 byte-order mark removed.
std::string_view StripBom(std::string_view text);

// Source text split in lines, to attach the offending line to errors.
class SourceText {
 public:
  SourceText(std::string_view text, std::string file);
  const std::string& file() const { return file_; }
  // Line `line` (1-based) without its line break; "" when out of range or too long to show.
  std::string Line(uint32_t line) const;
  // Fills source_line of every error that has a line and none yet; sorts by position (stable).
  void Finish(Diagnostics& errors) const;

 private:
  std::string_view text_;
  std::string file_;
  std::vector<size_t> starts_;
};

// yaml-cpp marks are 0-based; Loc is 1-based. A null mark gives {0,0}.
Loc ToLoc(const YAML::Mark& m);

Error MakeAt(ErrorKind kind, const std::string& file, const Loc& loc, std::string message,
             std::string expected = {}, std::string hint = {});

// Replaces JSON escaped surrogate pairs ("\ud83c\udf5e") by their UTF-8
// bytes; other escapes are left for the parser.
std::string DecodeJsonSurrogatePairs(std::string_view text);

// Checks UTF-8 and parses YAML/JSON. On failure returns the diagnostics
// (invalid UTF-8 with its byte offset, or the YAML syntax error with line:col).
std::optional<YAML::Node> Load(std::string_view text, const SourceText& src, Diagnostics& errors);

// Scalar text of a node, "" for null.
std::string ScalarText(const YAML::Node& n);

// Human name of a node's type: "a map", "a list", "a text value", "nothing".
std::string_view TypeName(const YAML::Node& n);

// ISO 3166-1 alpha-2 shape (two upper-case ASCII letters).
bool LooksLikeCountryCode(std::string_view s);
// ISO 8601 calendar date or year-month or year: YYYY, YYYY-MM, YYYY-MM-DD (optionally with a time part).
bool LooksLikeIsoDate(std::string_view s);

}  // namespace blindspot::yamlutil

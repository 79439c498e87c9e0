// Making untrusted text safe to print. Input files (HAR host names, register
// texts, the bytes of a binary file shown in an error) can contain terminal
// control sequences; text output and error messages show them escaped.
// Pure functions; thread-safe.
#pragma once
#include <string>
#include <string_view>

namespace blindspot {

// `s` with C0 control characters (except '\n' when keep_newlines, and '\t'),
// DEL, C1 control characters (U+0080..U+009F) and bytes that are not part of
// well-formed UTF-8 replaced by visible escapes: "\x1b", "\x7f", "\u009b",
// "\xff". Everything else (including non-ASCII letters) is kept.
std::string EscapeControl(std::string_view s, bool keep_newlines = false);

// True when EscapeControl would change `s`.
bool NeedsEscape(std::string_view s, bool keep_newlines = false);

// The last component of a path ("reports/client a/site.har" -> "site.har"),
// so reports do not reveal local folder names; "-" (standard input) stays "-".
std::string BaseName(std::string_view path);

}  // namespace blindspot

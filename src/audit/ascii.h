// ASCII helpers the rules share for matching labels and category names that
// consent managers and registers write (never for text shown to people).
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace blindspot::audit {

// Lower-case copy of `s`: A-Z become a-z, every other byte (UTF-8 included) is kept.
std::string AsciiLower(std::string_view s);

}  // namespace blindspot::audit

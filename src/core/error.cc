#include "blindspot/error.h"

#include <fmt/format.h>

namespace blindspot {

std::string Error::Format() const {
  std::string out;
  if (!where.file.empty()) out += where.file;
  if (where.line > 0) {
    out += fmt::format(":{}:{}", where.line, where.column);
  } else if (where.has_offset) {
    out += fmt::format(": byte {}", where.offset);
  }
  if (!out.empty()) out += ": ";
  out += "error: " + message + "\n";
  if (!source_line.empty()) {
    out += "  " + source_line + "\n";
    if (where.column > 0) out += "  " + std::string(where.column - 1, ' ') + "^\n";
  }
  if (!expected.empty()) out += "  expected: " + expected + "\n";
  if (!hint.empty()) out += "  hint: " + hint + "\n";
  return out;
}

}  // namespace blindspot

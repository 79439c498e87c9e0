#include "blindspot/error.h"

#include <fmt/format.h>

#include "blindspot/terminal.h"

namespace blindspot {

std::string Error::Format() const {
  std::string out;
  if (!where.file.empty()) out += EscapeControl(where.file);
  if (where.line > 0) {
    out += fmt::format(":{}:{}", where.line, where.column);
  } else if (where.has_offset) {
    out += fmt::format(": byte {}", where.offset);
  } else if (!where.pointer.empty()) {
    out += (out.empty() ? "" : " at ") + EscapeControl(where.pointer);
  }
  if (!out.empty()) out += ": ";
  out += (warning ? (note ? "note: " : "warning: ") : "error: ") + EscapeControl(message) + "\n";
  if (!source_line.empty()) {
    out += "  " + EscapeControl(source_line) + "\n";
    if (where.column > 0) {
      // The caret goes under the same character after escaping.
      size_t col = std::min<size_t>(where.column - 1, source_line.size());
      std::string before = EscapeControl(std::string_view(source_line).substr(0, col));
      size_t width = 0;
      for (unsigned char c : before)
        if ((c & 0xC0) != 0x80) ++width;
      out += "  " + std::string(width, ' ') + "^\n";
    }
  }
  if (!path.empty() && where.line == 0) out += "  field: " + EscapeControl(path) + "\n";
  if (!expected.empty()) out += "  expected: " + EscapeControl(expected) + "\n";
  if (!hint.empty()) out += "  hint: " + EscapeControl(hint) + "\n";
  return out;
}

}  // namespace blindspot

// Test helpers for texts: a finding's detail rendered in a language, and a
// check that a rendered text has no unfilled placeholder.
#pragma once
#include <string>

#include "blindspot/catalog.h"
#include "blindspot/finding.h"

namespace blindspot::testing {

inline std::string Render(const Message& m, std::string_view lang) {
  return TextCatalog::Builtin().Render(m, lang);
}
inline std::string En(const Finding& f) { return Render(f.detail, "en"); }
inline std::string Nl(const Finding& f) { return Render(f.detail, "nl"); }
inline std::string De(const Finding& f) { return Render(f.detail, "de"); }

// True when `text` still holds a "{name}" placeholder (an argument the check did not pass).
inline bool HasPlaceholder(const std::string& text) {
  size_t open = text.find('{');
  return open != std::string::npos && text.find('}', open) != std::string::npos;
}

}  // namespace blindspot::testing

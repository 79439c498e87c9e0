// Files compiled into the binary at build time (see cmake/embed.cmake).
// The tables are immutable static data: safe to read from any thread.
#pragma once
#include <cstddef>
#include <string_view>

namespace blindspot {

struct EmbeddedFile {
  const char* path;  // relative to the embedded base dir, e.g. "kb/meta-pixel.yaml"; nullptr ends the table
  std::string_view data;  // file contents (not NUL-terminated in the view; the storage is)
};

// data/kb/**.yaml, data/templates/**, data/i18n/** (relative to data/).
extern const EmbeddedFile kDataFiles[];
extern const std::size_t kDataFiles_count;

}  // namespace blindspot

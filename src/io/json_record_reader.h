// A base for importers of JSON registers (the VWS export, the open Dutch
// privacy-register standard): reads values with their position, reports
// errors and warnings with file:line:col and a JSON pointer, and keeps what has
// no place in the model as notes on the activity (never drops it silently).
// Not thread-safe: one reader per import.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/io.h"
#include "input/yaml_walker.h"

namespace blindspot {

// The last step of every importer: derives ids, validates the register and
// places each problem by the source map (file, line, column). Returns the
// problems; those marked `warning` leave the register usable.
Diagnostics ValidateImported(LoadedRegister& out);
// For importers that read through an input::Walker: when the document loaded
// without errors, validates it (ValidateImported); then the errors, or the
// register with the walker's warnings followed by `warnings`.
std::expected<LoadedRegister, Diagnostics> FinishImport(input::Walker& w, LoadedRegister out, bool loaded,
                                                        Diagnostics warnings = {});

class JsonRecordReader {
 public:
  JsonRecordReader(std::string_view text, const std::string& file);
  virtual ~JsonRecordReader() = default;

  // Loads the document, calls Top(), then derives ids and validates the
  // register; errors (this reader's and the validator's, placed by the source
  // map) or the register with every warning.
  std::expected<LoadedRegister, Diagnostics> Run(std::string_view what);

 protected:
  using Node = input::yaml::Node;
  // A single value longer than this is refused (a register cell is a few
  // kilobytes at most; the limit keeps one hostile value out of the report).
  static constexpr size_t kMaxValueBytes = 64 * 1024;

  virtual void Top(const Node& root, Register& reg) = 0;

  Loc LocOf(const Node& n, const Loc& fb = {}) const {
    Loc l = n.IsDefined() ? input::ToLoc(n.GetMark()) : Loc{};
    return l.line ? l : fb;
  }
  Error Make(ErrorKind k, const Loc& l, const std::string& ptr, std::string m, std::string exp = {},
             std::string hint = {});
  void Err(const Node& n, const Loc& fb, const std::string& ptr, std::string m, std::string exp);
  // Keeps `text` as a note on the activity ("label: text", or the text alone
  // when not `labelled`) and reports it.
  void Note(ProcessingActivity& a, const Node& n, const Loc& fb, const std::string& ptr,
            const std::string& label, const std::string& text, const std::string& why, bool labelled = true);
  static std::string Ptr(const std::string& parent, std::string_view key);
  static std::string Ptr(const std::string& parent, size_t i) { return parent + "/" + std::to_string(i); }
  static Node Get(const Node& map, std::string_view key);
  static bool Absent(const Node& v) { return !v.IsDefined() || v.IsNull(); }
  // Trimmed text with "\r\n" as "\n"; numbers are text too (ids).
  std::string Text(const Node& map, std::string_view key, const std::string& ptr);
  std::optional<bool> Bool(const Node& map, std::string_view key, const std::string& ptr);
  // A list of maps (null = empty); items that are not maps are errors.
  std::vector<Node> Objects(const Node& map, std::string_view key, const std::string& ptr);
  std::vector<std::string> Texts(const Node& map, std::string_view key, const std::string& ptr);
  // Keys of `map` not in `known` with a value: kept as notes.
  void Unknown(ProcessingActivity& a, const Node& map, const std::string& ptr,
               const std::vector<std::string_view>& known, const std::string& label);

  input::Walker w_;
  SourceMap* map_ = nullptr;
  std::vector<std::string> notes_;  // of the activity being read; the subclass moves them
  Diagnostics warnings_;
};

}  // namespace blindspot

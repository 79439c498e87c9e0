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
             std::string hint = {}) {
    Error e;
    e.kind = k;
    e.where.file = w_.file();
    e.where.line = l.line;
    e.where.column = l.column;
    e.where.pointer = ptr.empty() ? "/" : ptr;
    e.message = fmt::format("at {}: {}", e.where.pointer, m);
    e.expected = std::move(exp);
    e.hint = std::move(hint);
    e.source_line = w_.Line(l.line);
    return e;
  }
  void Err(const Node& n, const Loc& fb, const std::string& ptr, std::string m, std::string exp) {
    w_.Add(Make(ErrorKind::kSchema, LocOf(n, fb), ptr, std::move(m), std::move(exp)));
  }
  // Keeps `text` as a note on the activity and reports it.
  void Note(ProcessingActivity& a, const Node& n, const Loc& fb, const std::string& ptr,
            const std::string& label, const std::string& text, const std::string& why) {
    if (text.empty()) return;
    notes_.push_back(label + ": " + text);
    std::string shown = text.size() > 80 ? text.substr(0, 77) + "..." : text;
    Error e = Make(ErrorKind::kSchema, LocOf(n, fb), ptr,
                   fmt::format("{} kept as a note on activity '{}': {}", label, a.id, why), {},
                   "kept: \"" + shown + "\"");
    e.warning = true;
    warnings_.push_back(std::move(e));
  }
  static std::string Ptr(const std::string& parent, std::string_view key) {
    std::string out = parent + "/";
    for (char c : key) {
      if (c == '~')
        out += "~0";
      else if (c == '/')
        out += "~1";
      else
        out += c;
    }
    return out;
  }
  static std::string Ptr(const std::string& parent, size_t i) { return parent + "/" + std::to_string(i); }
  static Node Get(const Node& map, std::string_view key) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    return Node();
  }
  static bool Absent(const Node& v) { return !v.IsDefined() || v.IsNull(); }
  // Trimmed text with "\r\n" as "\n"; numbers are text too (ids).
  std::string Text(const Node& map, std::string_view key, const std::string& ptr) {
    Node v = Get(map, key);
    if (Absent(v)) return "";
    std::string p = Ptr(ptr, key);
    if (!v.IsScalar()) {
      Err(v, LocOf(map), p, fmt::format("'{}' must be a text value, found {}", key, input::TypeName(v)),
          "a text value (a JSON string) or null");
      return "";
    }
    std::string_view s = v.Scalar();
    if (s.size() > kMaxValueBytes) {
      Err(v, LocOf(map), p, fmt::format("'{}' is {} bytes long", key, s.size()),
          fmt::format("a value of at most {} bytes", kMaxValueBytes));
      return "";
    }
    if (s.find('\0') != std::string_view::npos) {
      Err(v, LocOf(map), p, fmt::format("'{}' contains the control character 0x00", key),
          "text without NUL characters");
      return "";
    }
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
      out += s[i];
    }
    size_t b = out.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = out.find_last_not_of(" \t\r\n");
    return out.substr(b, e - b + 1);
  }
  std::optional<bool> Bool(const Node& map, std::string_view key, const std::string& ptr) {
    Node v = Get(map, key);
    if (Absent(v)) return std::nullopt;
    bool b;
    if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false") && input::yaml::DecodeBool(v, &b))
      return b;
    Err(v, LocOf(map), Ptr(ptr, key),
        fmt::format("'{}' must be true or false, found {}", key, input::TypeName(v)), "true, false or null");
    return std::nullopt;
  }
  // A list of maps (null = empty); items that are not maps are errors.
  std::vector<Node> Objects(const Node& map, std::string_view key, const std::string& ptr) {
    std::vector<Node> out;
    Node v = Get(map, key);
    if (Absent(v)) return out;
    if (!v.IsSequence()) {
      Err(v, LocOf(map), Ptr(ptr, key), fmt::format("'{}' must be a list, found {}", key, input::TypeName(v)),
          "a JSON array of objects");
      return out;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsMap()) {
        Err(v[i], LocOf(v), Ptr(Ptr(ptr, key), i),
            fmt::format("item {} of '{}' must be an object, found {}", i, key, input::TypeName(v[i])),
            "a JSON object");
        continue;
      }
      out.push_back(v[i]);
    }
    return out;
  }
  std::vector<std::string> Texts(const Node& map, std::string_view key, const std::string& ptr) {
    std::vector<std::string> out;
    Node v = Get(map, key);
    if (Absent(v)) return out;
    if (!v.IsSequence()) {
      Err(v, LocOf(map), Ptr(ptr, key), fmt::format("'{}' must be a list, found {}", key, input::TypeName(v)),
          "a JSON array of text values");
      return out;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsScalar()) {
        Err(v[i], LocOf(v), Ptr(Ptr(ptr, key), i),
            fmt::format("item {} of '{}' must be a text value, found {}", i, key, input::TypeName(v[i])),
            "a JSON string");
        continue;
      }
      // Reuse Text's checks through a one-entry view of the item.
      std::string_view s = v[i].Scalar();
      if (s.size() > kMaxValueBytes || s.find('\0') != std::string_view::npos) {
        Err(v[i], LocOf(v), Ptr(Ptr(ptr, key), i),
            fmt::format("item {} of '{}' is too long or has NUL", i, key),
            fmt::format("text of at most {} bytes without NUL characters", kMaxValueBytes));
        continue;
      }
      std::string t;
      for (size_t j = 0; j < s.size(); ++j)
        if (!(s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n')) t += s[j];
      size_t b = t.find_first_not_of(" \t\r\n");
      if (b == std::string::npos) continue;
      out.push_back(t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1));
    }
    return out;
  }
  // Keys of `map` not in `known` with a value: kept as notes.
  void Unknown(ProcessingActivity& a, const Node& map, const std::string& ptr,
               const std::vector<std::string_view>& known, const std::string& label) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string_view k = it->first.Scalar();
      if (std::find(known.begin(), known.end(), k) != known.end()) continue;
      Node v = it->second;
      if (Absent(v)) continue;
      std::string text;
      if (v.IsScalar()) {
        text = Text(map, k, ptr);
      } else if (v.IsSequence() && v.size() == 0) {
        continue;
      } else {
        text = fmt::format("({} not read)", input::TypeName(v));
      }
      Note(a, v, LocOf(map), Ptr(ptr, k), label + std::string(k), text,
           "a field this importer does not know");
    }
  }

  input::Walker w_;
  SourceMap* map_ = nullptr;
  std::vector<std::string> notes_;  // of the activity being read; the subclass moves them
  Diagnostics warnings_;
};

}  // namespace blindspot

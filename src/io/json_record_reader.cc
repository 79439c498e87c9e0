// See json_record_reader.h.
#include "io/json_record_reader.h"

namespace blindspot {

JsonRecordReader::JsonRecordReader(std::string_view text, const std::string& file)
    : w_(input::StripBom(text), file) {}

Diagnostics ValidateImported(LoadedRegister& out) {
  AssignDerivedIds(out.reg);
  out.map.Finish();
  Diagnostics placed = ValidateRegister(out.reg);
  for (Error& e : placed) {
    Loc l = out.map.Find(e.path);
    e.where.file = out.map.file;
    e.where.line = l.line;
    e.where.column = l.column;
  }
  return placed;
}

std::expected<LoadedRegister, Diagnostics> FinishImport(input::Walker& w, LoadedRegister out, bool loaded,
                                                        Diagnostics warnings) {
  if (loaded && w.ok())
    for (Error& e : ValidateImported(out)) w.Add(std::move(e));
  Diagnostics errors = w.TakeErrors();
  if (!errors.empty()) return std::unexpected(std::move(errors));
  out.warnings = w.TakeWarnings();
  for (Error& e : warnings) out.warnings.push_back(std::move(e));
  return out;
}

std::expected<LoadedRegister, Diagnostics> JsonRecordReader::Run(std::string_view what) {
  LoadedRegister out;
  out.reg.source = w_.file();
  out.reg.version = "1";
  out.map.file = w_.file();
  map_ = &out.map;
  auto root = w_.Load(what);
  if (root) Top(*root, out.reg);
  return FinishImport(w_, std::move(out), root.has_value(), std::move(warnings_));
}

Error JsonRecordReader::Make(ErrorKind k, const Loc& l, const std::string& ptr, std::string m,
                             std::string exp, std::string hint) {
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

void JsonRecordReader::Err(const Node& n, const Loc& fb, const std::string& ptr, std::string m,
                           std::string exp) {
  w_.Add(Make(ErrorKind::kSchema, LocOf(n, fb), ptr, std::move(m), std::move(exp)));
}

void JsonRecordReader::Note(ProcessingActivity& a, const Node& n, const Loc& fb, const std::string& ptr,
                            const std::string& label, const std::string& text, const std::string& why,
                            bool labelled) {
  if (text.empty()) return;
  notes_.push_back(labelled ? label + ": " + text : text);
  std::string shown = text.size() > 80 ? text.substr(0, 77) + "..." : text;
  Error e = Make(ErrorKind::kSchema, LocOf(n, fb), ptr,
                 fmt::format("{} kept as a note on activity '{}': {}", label, a.id, why), {},
                 "kept: \"" + shown + "\"");
  e.warning = true;
  warnings_.push_back(std::move(e));
}

std::string JsonRecordReader::Ptr(const std::string& parent, std::string_view key) {
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

JsonRecordReader::Node JsonRecordReader::Get(const Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return Node();
}

std::string JsonRecordReader::Text(const Node& map, std::string_view key, const std::string& ptr) {
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

std::optional<bool> JsonRecordReader::Bool(const Node& map, std::string_view key, const std::string& ptr) {
  Node v = Get(map, key);
  if (Absent(v)) return std::nullopt;
  bool b;
  if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false") && input::yaml::DecodeBool(v, &b))
    return b;
  Err(v, LocOf(map), Ptr(ptr, key),
      fmt::format("'{}' must be true or false, found {}", key, input::TypeName(v)), "true, false or null");
  return std::nullopt;
}

std::vector<JsonRecordReader::Node> JsonRecordReader::Objects(const Node& map, std::string_view key,
                                                              const std::string& ptr) {
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

std::vector<std::string> JsonRecordReader::Texts(const Node& map, std::string_view key,
                                                 const std::string& ptr) {
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

void JsonRecordReader::Unknown(ProcessingActivity& a, const Node& map, const std::string& ptr,
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
    Note(a, v, LocOf(map), Ptr(ptr, k), label + std::string(k), text, "a field this importer does not know");
  }
}

}  // namespace blindspot

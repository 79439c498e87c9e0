// The one schema walker for YAML/JSON inputs: the native register, Fides
// manifests, knowledge-base entries and the text catalogue (rules, UI strings,
// sources) all read through it, so they share checks and messages:
//   - encoding (binary, UTF-16, not UTF-8; CheckTextInput), absurd nesting,
//     YAML syntax errors with line:col and a hint;
//   - maps with a fixed key set: unknown keys with "did you mean", duplicate
//     keys, missing required keys;
//   - typed values: text (no NUL), lists of text, booleans, enums (with the
//     allowed values, and the English value for a Dutch or German term),
//     ISO 3166-1 country codes, calendar dates.
// Every problem is collected (not thrown) with file:line:col, what was
// expected and a hint; Finish() attaches the source lines for carets.
// Internal to the readers (bs_input); not thread-safe (one per document).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/register.h"
#include "input/yaml_doc.h"

namespace blindspot::input {

// Marks are 0-based; Loc is 1-based. A null mark gives {0,0}.
Loc ToLoc(const yaml::Mark& m);
// Human name of a node's type: "a map", "a list", "a text value", "nothing".
std::string_view TypeName(const yaml::Node& n);
// Scalar text of a node, "" for null or non-scalars.
std::string ScalarText(const yaml::Node& n);
// Text of the document with a leading UTF-8 byte-order mark removed.
std::string_view StripBom(std::string_view text);
// Replaces JSON escaped surrogate pairs ("\ud83c\udf5e") by their UTF-8 bytes.
std::string DecodeJsonSurrogatePairs(std::string_view text);
// "a, b, c".
std::string JoinKeys(const std::vector<std::string_view>& keys);

// How a map is named in messages: the text, optionally in quotes (built only
// when a message needs it).
struct Where {
  Where(std::string_view t) : text(t) {}    // NOLINT: implicit, as the text itself
  Where(const std::string& t) : text(t) {}  // NOLINT
  Where(const char* t) : text(t) {}         // NOLINT
  static Where Quoted(std::string_view t) {
    Where w(t);
    w.quoted = true;
    return w;
  }
  std::string str() const { return quoted ? "'" + std::string(text) + "'" : std::string(text); }
  std::string_view text;
  bool quoted = false;
};

class Walker {
 public:
  // `text` must outlive the walker; `file` labels every message.
  Walker(std::string_view text, std::string file);

  // Checks the encoding and nesting, then parses (libyaml, yaml_doc.h). nullopt
  // (with the problem recorded) when the document cannot be read at all. The
  // nodes stay valid as long as the walker. `what` names the
  // expected document for messages ("a YAML or JSON register").
  std::optional<yaml::Node> Load(std::string_view what);

  const std::string& file() const { return file_; }
  // Nodes of the loaded document (0 before Load).
  size_t node_count() const { return doc_ ? doc_->node_count() : 0; }
  // The line (1-based) without its line break; "" when out of range or longer than 200 bytes.
  std::string Line(uint32_t line) const;
  Loc LocOf(const yaml::Node& n, const Loc& fallback = {}) const;

  void Err(ErrorKind kind, const Loc& loc, std::string message, std::string expected = {},
           std::string hint = {});
  void Warn(const Loc& loc, std::string message, std::string hint = {});
  // Records a finished problem: a warning when e.warning is set, else an error.
  void Add(Error e) { (e.warning ? warnings_ : errors_).push_back(std::move(e)); }

  // Walks a map: reports a non-map, unknown keys (with a suggestion),
  // duplicate keys and missing `required` keys; calls fn(key, value, key_loc)
  // (key: a std::string_view into the document)
  // for each known key in document order. `where` names the object in
  // messages ("'activities[2]'"). False when `n` is not a map.
  template <class Fn>
  bool Map(const yaml::Node& n, const std::vector<std::string_view>& keys, const Where& where,
           const Loc& fallback, Fn&& fn, const std::vector<std::string_view>& required = {});

  // Typed values; each records a problem and returns an empty value when the
  // node has the wrong type. Null or undefined nodes give the empty value.
  std::string Str(const yaml::Node& v, std::string_view what, const Loc& kl);
  // Like Str, but an empty value is a problem too.
  std::string NonEmpty(const yaml::Node& v, std::string_view what, const Loc& kl);
  // A list of text values; item_loc (when given) receives each item's location.
  std::vector<std::string> List(const yaml::Node& v, std::string_view what, const Loc& kl,
                                std::vector<Loc>* item_locs = nullptr);
  // `optional`: the key may be left out (the hint says so).
  std::optional<bool> Bool(const yaml::Node& v, std::string_view what, const Loc& kl, bool optional = true);
  // One of `allowed`; `hint_for` may name the English value for a local term.
  std::optional<std::string> OneOf(const yaml::Node& v, std::string_view what, const Loc& kl,
                                   const std::vector<std::string_view>& allowed);
  template <class E>
  std::optional<E> Enum(const yaml::Node& v, std::string_view what, const Loc& kl,
                        std::optional<E> (*parse)(std::string_view),
                        const std::vector<std::string_view>& allowed) {
    auto s = OneOf(v, what, kl, allowed);
    if (!s) return std::nullopt;
    return parse(*s);
  }
  // ISO 3166-1 alpha-2 (upper case), with hints for UK, EL, lower case, names.
  std::string Country(const yaml::Node& v, std::string_view what, const Loc& kl);
  // A calendar date YYYY[-MM[-DD]] (optionally with a time).
  std::string Date(const yaml::Node& v, std::string_view what, const Loc& kl);

  bool ok() const;  // no errors (warnings allowed)
  // Attaches source lines, sorts by position and hands out errors and warnings.
  Diagnostics TakeErrors();
  Diagnostics TakeWarnings();

 private:
  void Finish(Diagnostics& d) const;

  std::string_view text_;
  std::string decoded_;
  std::shared_ptr<const yaml::Document>
      doc_;  // keeps the nodes handed out alive  // the text with JSON surrogate pairs decoded, when needed
  std::string file_;
  std::vector<size_t> starts_;
  Diagnostics errors_;
  Diagnostics warnings_;
};

// ---- template implementation ----

std::string DidYouMeanKey(std::string_view key, const std::vector<std::string_view>& keys);

template <class Fn>
bool Walker::Map(const yaml::Node& n, const std::vector<std::string_view>& keys, const Where& where,
                 const Loc& fallback, Fn&& fn, const std::vector<std::string_view>& required) {
  if (!n.IsMap()) {
    std::string hint;
    if (n.IsSequence())
      hint = "remove the '- ' in front: this is a single object, not a list";
    else if (n.IsScalar() && !keys.empty())
      hint = "put its fields on indented lines below the key, e.g. `" + std::string(keys.front()) + ": ...`";
    Err(ErrorKind::kSchema, LocOf(n, fallback),
        where.str() + " must be a map, found " + std::string(TypeName(n)),
        "a map with keys: " + JoinKeys(keys), hint);
    return false;
  }
  // Keys seen, by their index in `keys` (a schema map has few keys).
  std::vector<bool> seen(keys.size());
  for (auto it = n.begin(); it != n.end(); ++it) {
    yaml::Node k = it->first;  // a copy: the iterator proxy is a temporary
    Loc kl = LocOf(k, fallback);
    if (!k.IsScalar()) {
      Err(ErrorKind::kSchema, kl, "a key in " + where.str() + " is not a text value", "a plain key name");
      continue;
    }
    std::string_view key = k.Scalar();
    size_t at = keys.size();
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) {
        at = i;
        break;
      }
    if (at == keys.size()) {
      std::string hint = DidYouMeanKey(key, keys);
      Err(ErrorKind::kSchema, kl, "unknown key '" + std::string(key) + "' in " + where.str(),
          "one of " + JoinKeys(keys), hint);
      continue;
    }
    if (seen[at]) {
      Err(ErrorKind::kSchema, kl, "duplicate key '" + std::string(key) + "' in " + where.str(),
          "each key at most once", "remove one of the two; YAML would silently keep only one value");
      continue;
    }
    seen[at] = true;
    fn(key, it->second, kl);
  }
  for (std::string_view r : required) {
    bool have = false;
    for (size_t i = 0; i < keys.size(); ++i) have = have || (seen[i] && keys[i] == r);
    if (!have)
      Err(ErrorKind::kSchema, LocOf(n, fallback),
          "missing required key '" + std::string(r) + "' in " + where.str(), "key '" + std::string(r) + "'",
          "");
  }
  return true;
}

}  // namespace blindspot::input

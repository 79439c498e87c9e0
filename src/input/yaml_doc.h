// A YAML (and therefore JSON) document as a compact, read-only tree, parsed
// with libyaml (the reference C implementation, event API). It replaces a DOM
// of individually allocated nodes: nodes, scalars and child lists live in
// three arrays, so a 30 MB register takes a few times its size in memory and
// parses at libyaml's speed. The Node interface is the subset the readers use
// (type checks, scalar text, position, indexing, iteration over maps and
// sequences); a missing key or index gives an undefined Node.
//
// Semantics: the first document of the stream; plain scalars "", "~",
// "null", "Null", "NULL" are null (quoted ones are text); aliases share the
// anchored node; tags are ignored; duplicate keys are kept in order (the
// schema walker reports them). Positions are 0-based (line, column) as
// libyaml reports them. A document holds at most 4 GiB of scalar text and
// 2^32 nodes (Parse fails beyond). Internal to bs_input; a Document is immutable after
// parsing and may be read from many threads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot::input::yaml {

struct Mark {
  int line = -1;  // 0-based; -1 = unknown
  int column = -1;
  bool is_null() const { return line < 0; }
};

enum class NodeType : uint8_t { kUndefined, kNull, kScalar, kSequence, kMap };

class Document;

class Node {
 public:
  Node() = default;
  bool IsDefined() const { return doc_ != nullptr; }
  bool IsNull() const { return Type() == NodeType::kNull; }
  bool IsScalar() const { return Type() == NodeType::kScalar; }
  bool IsSequence() const { return Type() == NodeType::kSequence; }
  bool IsMap() const { return Type() == NodeType::kMap; }
  NodeType Type() const;
  explicit operator bool() const { return IsDefined(); }
  // The text of a scalar ("" for other nodes and null); valid as long as the
  // Document.
  std::string_view Scalar() const;
  Mark GetMark() const;
  // Items of a sequence, entries of a map, 0 otherwise.
  size_t size() const;
  // Sequence item `i`, or undefined.
  Node operator[](size_t i) const;
  Node operator[](int i) const { return (*this)[static_cast<size_t>(i)]; }
  // The value of the first entry whose key is the scalar `key`, or undefined.
  Node operator[](std::string_view key) const;
  Node operator[](const char* key) const { return (*this)[std::string_view(key)]; }

  // Iteration: over a sequence each element is the item (a Node); over a map
  // each element has .first (key) and .second (value); `->` works too.
  class iterator;
  iterator begin() const;
  iterator end() const;

 private:
  friend class Document;
  friend class iterator;
  friend struct NodeEntry;
  Node(const Document* doc, uint32_t idx) : doc_(doc), idx_(idx) {}
  const Document* doc_ = nullptr;
  uint32_t idx_ = 0;
};

struct NodeEntry : Node {
  Node first, second;
};

class Node::iterator {
 public:
  iterator(const Node& owner, size_t i) : owner_(owner), i_(i) {}
  NodeEntry operator*() const;
  struct Arrow {
    NodeEntry e;
    const NodeEntry* operator->() const { return &e; }
  };
  Arrow operator->() const { return Arrow{**this}; }
  iterator& operator++() {
    ++i_;
    return *this;
  }
  bool operator!=(const iterator& o) const { return i_ != o.i_; }
  bool operator==(const iterator& o) const { return i_ == o.i_; }

 private:
  Node owner_;  // by value: iterators over temporaries stay valid
  size_t i_;
};

inline Node::iterator Node::begin() const { return iterator(*this, 0); }
inline Node::iterator Node::end() const { return iterator(*this, size()); }

// YAML 1.1/1.2 booleans as yaml-cpp accepted them: true/false, yes/no, on/off,
// y/n in lower, Capitalised or UPPER case.
bool DecodeBool(const Node& n, bool* out);

struct ParseError {
  // libyaml's problem and context, with where the context started when that
  // is another line: "did not find expected ',' or ']' (while parsing a flow
  // sequence that starts at line 32, column 20)".
  std::string message;
  Mark mark;            // where the problem was found
  std::string context;  // "while parsing a flow sequence", or ""
  Mark context_mark;    // where that construct started (e.g. its '['), or null
};

class Document {
 public:
  // Parses `text`. nullptr (with *error set) when it is not YAML.
  static std::shared_ptr<const Document> Parse(std::string_view text, ParseError* error);
  // The same tree, read without libyaml, for `text` (valid UTF-8) that is a
  // JSON object libyaml reads as plain JSON: marks in characters as libyaml
  // counts them, \uXXXX escapes and surrogate pairs decoded, numbers, true
  // and false as their text, null as null. nullptr when the text holds anything
  // else (another JSON value at the root, YAML syntax, a tab or lone carriage
  // return outside strings, a raw control character or YAML line break in a
  // string, a lone surrogate, '\/', a key over 1,000 bytes or with its ':' on
  // another line, nesting deeper than 64): the caller then uses Parse, which
  // reports what is wrong. Several times faster than Parse on a big register.
  static std::shared_ptr<const Document> ParseJson(std::string_view text);
  Node root() const { return Node(this, 0); }
  size_t node_count() const { return nodes_.size(); }

 private:
  friend class Node;
  friend struct Builder;
  friend class JsonBuilder;
  // 16 bytes per node: a 20,000-activity register has about two million.
  struct Data {
    int32_t line = -1;      // 0-based; -1 unknown
    uint32_t col_type = 0;  // column << 3 | NodeType (columns are clamped to 2^29 - 1)
    uint32_t a = 0;         // scalar: offset into text_; sequence/map: first index into children_
    uint32_t b = 0;         // scalar: length; sequence: items; map: entries (children holds key, value pairs)
    NodeType type() const { return static_cast<NodeType>(col_type & 7); }
  };
  std::vector<Data> nodes_;
  std::string text_;  // the text of every scalar, back to back
  std::vector<uint32_t> children_;
};

}  // namespace blindspot::input::yaml

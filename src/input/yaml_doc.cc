#include "input/yaml_doc.h"

#include <yaml.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace blindspot::input::yaml {

NodeType Node::Type() const { return doc_ ? doc_->nodes_[idx_].type() : NodeType::kUndefined; }

std::string_view Node::Scalar() const {
  if (!doc_) return {};
  const auto& d = doc_->nodes_[idx_];
  if (d.type() != NodeType::kScalar) return {};
  return std::string_view(doc_->text_).substr(d.a, d.b);
}

Mark Node::GetMark() const {
  if (!doc_) return Mark{};
  const auto& d = doc_->nodes_[idx_];
  if (d.line < 0) return Mark{};
  return Mark{d.line, static_cast<int>(d.col_type >> 3)};
}

size_t Node::size() const {
  if (!doc_) return 0;
  const auto& d = doc_->nodes_[idx_];
  return d.type() == NodeType::kSequence || d.type() == NodeType::kMap ? d.b : 0;
}

Node Node::operator[](size_t i) const {
  if (!doc_) return {};
  const auto& d = doc_->nodes_[idx_];
  if (d.type() != NodeType::kSequence || i >= d.b) return {};
  return Node(doc_, doc_->children_[d.a + i]);
}

Node Node::operator[](std::string_view key) const {
  if (!doc_) return {};
  const auto& d = doc_->nodes_[idx_];
  if (d.type() != NodeType::kMap) return {};
  for (uint32_t i = 0; i < d.b; ++i) {
    Node k(doc_, doc_->children_[d.a + 2 * i]);
    if (k.IsScalar() && k.Scalar() == key) return Node(doc_, doc_->children_[d.a + 2 * i + 1]);
  }
  return {};
}

NodeEntry Node::iterator::operator*() const {
  NodeEntry e;
  const Document* doc = owner_.doc_;
  if (!doc) return e;
  const auto& d = doc->nodes_[owner_.idx_];
  if (d.type() == NodeType::kSequence) {
    static_cast<Node&>(e) = Node(doc, doc->children_[d.a + i_]);
  } else if (d.type() == NodeType::kMap) {
    e.first = Node(doc, doc->children_[d.a + 2 * i_]);
    e.second = Node(doc, doc->children_[d.a + 2 * i_ + 1]);
    static_cast<Node&>(e) = e.second;
  }
  return e;
}

bool DecodeBool(const Node& n, bool* out) {
  if (!n.IsScalar()) return false;
  static const std::pair<const char*, bool> kWords[] = {
      {"true", true}, {"True", true}, {"TRUE", true}, {"false", false}, {"False", false}, {"FALSE", false},
      {"yes", true},  {"Yes", true},  {"YES", true},  {"no", false},    {"No", false},    {"NO", false},
      {"on", true},   {"On", true},   {"ON", true},   {"off", false},   {"Off", false},   {"OFF", false},
      {"y", true},    {"Y", true},    {"n", false},   {"N", false}};
  std::string_view s = n.Scalar();
  for (const auto& [w, v] : kWords) {
    if (s == w) {
      *out = v;
      return true;
    }
  }
  return false;
}

// Builds the arrays from libyaml's events with an explicit stack (no recursion,
// so deep nesting cannot exhaust the C++ stack). The children of the open
// containers wait on one shared stack (no allocation per container).
struct Builder {
  Document& doc;
  struct Open {
    uint32_t node;
    size_t first_kid;  // index into kids
  };
  std::vector<Open> stack;
  std::vector<uint32_t> kids;
  std::unordered_map<std::string, uint32_t> anchors;
  std::string too_large;  // set when a limit of the compact layout is reached

  static constexpr uint32_t kMaxColumn = (1u << 29) - 1;

  void SetMark(Document::Data& d, const yaml_mark_t& m) {
    d.line = m.line > static_cast<size_t>(INT32_MAX) ? INT32_MAX : static_cast<int32_t>(m.line);
    uint32_t col = m.column > kMaxColumn ? kMaxColumn : static_cast<uint32_t>(m.column);
    d.col_type = col << 3 | (d.col_type & 7);
  }
  static void SetType(Document::Data& d, NodeType t) {
    d.col_type = (d.col_type & ~7u) | static_cast<uint32_t>(t);
  }

  uint32_t NewNode(NodeType t, const yaml_mark_t& mark) {
    if (doc.nodes_.size() >= UINT32_MAX) {
      too_large = "more than 2^32 nodes";
      return 0;
    }
    Document::Data d;
    SetType(d, t);
    SetMark(d, mark);
    doc.nodes_.push_back(d);
    return static_cast<uint32_t>(doc.nodes_.size() - 1);
  }

  void Attach(uint32_t node) {
    if (!stack.empty()) kids.push_back(node);
  }

  void Anchor(const yaml_char_t* anchor, uint32_t node) {
    if (anchor) anchors[reinterpret_cast<const char*>(anchor)] = node;
  }

  // Moves the children of the innermost open container into place.
  uint32_t Close() {
    Open o = stack.back();
    stack.pop_back();
    size_t n = kids.size() - o.first_kid;
    if (doc.children_.size() + n > UINT32_MAX) too_large = "more than 2^32 items";
    Document::Data& d = doc.nodes_[o.node];
    d.a = static_cast<uint32_t>(doc.children_.size());
    if (d.type() == NodeType::kMap) {
      if (n % 2) --n;  // cannot happen for well-formed input
      d.b = static_cast<uint32_t>(n / 2);
    } else {
      d.b = static_cast<uint32_t>(n);
    }
    doc.children_.insert(doc.children_.end(), kids.begin() + static_cast<ptrdiff_t>(o.first_kid),
                         kids.begin() + static_cast<ptrdiff_t>(o.first_kid + n));
    kids.resize(o.first_kid);
    return o.node;
  }

  bool Run(std::string_view text, ParseError* error) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      if (error) error->message = "out of memory";
      return false;
    }
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    bool ok = true, done = false, have_root = false;
    // Node 0 is the root; a stream without a document gives a null root at 0:0.
    NewNode(NodeType::kNull, yaml_mark_t{0, 0, 0});
    while (!done) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        if (error) {
          error->message = parser.problem ? parser.problem : "not valid YAML";
          error->mark =
              Mark{static_cast<int>(parser.problem_mark.line), static_cast<int>(parser.problem_mark.column)};
          if (parser.context) {
            // An unclosed '[' is found only on a later line: say where it was opened.
            error->context = parser.context;
            error->context_mark = Mark{static_cast<int>(parser.context_mark.line),
                                       static_cast<int>(parser.context_mark.column)};
            error->message += std::string(" (") + parser.context;
            if (parser.context_mark.line != parser.problem_mark.line)
              error->message += " that starts at line " + std::to_string(parser.context_mark.line + 1) +
                                ", column " + std::to_string(parser.context_mark.column + 1);
            error->message += ")";
          }
        }
        ok = false;
        break;
      }
      const yaml_mark_t at = ev.start_mark;  // yaml_event_delete clears the event
      bool root_level = stack.empty();
      switch (ev.type) {
        case YAML_SCALAR_EVENT: {
          std::string_view value(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
          bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
          bool null = plain && (value.empty() || value == "~" || value == "null" || value == "Null" ||
                                value == "NULL");
          uint32_t n = root_level && !have_root ? 0 : NewNode(NodeType::kNull, ev.start_mark);
          Document::Data& d = doc.nodes_[n];
          SetMark(d, ev.start_mark);
          SetType(d, null ? NodeType::kNull : NodeType::kScalar);
          if (!null) {
            if (doc.text_.size() + value.size() > UINT32_MAX) too_large = "more than 4 GiB of text values";
            d.a = static_cast<uint32_t>(doc.text_.size());
            d.b = static_cast<uint32_t>(value.size());
            doc.text_.append(value);
          }
          Anchor(ev.data.scalar.anchor, n);
          if (root_level) {
            have_root = true;
          } else {
            Attach(n);
          }
          break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
          NodeType t = ev.type == YAML_SEQUENCE_START_EVENT ? NodeType::kSequence : NodeType::kMap;
          uint32_t n = root_level && !have_root ? 0 : NewNode(t, ev.start_mark);
          SetType(doc.nodes_[n], t);
          SetMark(doc.nodes_[n], ev.start_mark);
          Anchor(t == NodeType::kSequence ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor, n);
          if (root_level) have_root = true;
          stack.push_back(Open{n, kids.size()});
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          if (!stack.empty()) {
            uint32_t n = Close();
            Attach(n);  // the root container is attached to nothing (the stack is empty then)
          }
          break;
        case YAML_ALIAS_EVENT: {
          auto it = anchors.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
          if (it == anchors.end()) {
            if (error) {
              error->message =
                  std::string("unknown alias '*") + reinterpret_cast<const char*>(ev.data.alias.anchor) + "'";
              error->mark =
                  Mark{static_cast<int>(ev.start_mark.line), static_cast<int>(ev.start_mark.column)};
            }
            ok = false;
            done = true;
            break;
          }
          if (root_level) {
            have_root = true;
          } else {
            Attach(it->second);
          }
          break;
        }
        case YAML_DOCUMENT_END_EVENT:
          // Only the first document is read.
          if (have_root) done = true;
          break;
        case YAML_STREAM_END_EVENT:
          done = true;
          break;
        default:
          break;
      }
      yaml_event_delete(&ev);
      if (!too_large.empty()) {
        if (error) {
          error->message = "the document is too large to read (" + too_large + ")";
          error->mark = Mark{static_cast<int>(at.line), static_cast<int>(at.column)};
        }
        ok = false;
        done = true;
      }
    }
    yaml_parser_delete(&parser);
    return ok;
  }
};

// Reads JSON straight into the arrays, giving each node the mark libyaml would
// give it (0-based line; column in characters, as libyaml counts), or gives up
// on anything libyaml might read otherwise (see Document::ParseJson). Nesting
// is at most 64 levels, so the recursion is bounded.
class JsonBuilder {
 public:
  JsonBuilder(Document& doc, std::string_view text)
      : doc_(doc), p_(text.data()), e_(text.data() + text.size()), line_start_(p_), col_at_(p_) {}

  bool Run() {
    doc_.nodes_.emplace_back();  // the root, node 0
    if (!Skip() || p_ == e_ || *p_ != '{') return false;
    if (!Value(0, 0)) return false;
    return Skip() && p_ == e_;
  }

 private:
  static constexpr int kMaxDepth = 64;  // as Walker::Load allows
  static constexpr uint32_t kMaxColumn = (1u << 29) - 1;
  static constexpr ptrdiff_t kMaxKey = 1000;  // libyaml drops a simple key after 1024 characters

  // Skips blanks and line breaks; false on a tab or a lone carriage return.
  bool Skip() {
    while (p_ < e_) {
      char c = *p_;
      if (c == ' ') {
        ++p_;
      } else if (c == '\n' || (c == '\r' && p_ + 1 < e_ && p_[1] == '\n')) {
        p_ += c == '\r' ? 2 : 1;
        ++line_;
        line_start_ = col_at_ = p_;
        col_ = 0;
        utf8_line_ = false;
      } else if (c == '\t' || c == '\r') {
        return false;
      } else {
        return true;
      }
    }
    return true;
  }

  uint32_t Column(const char* at) {
    if (!utf8_line_) return static_cast<uint32_t>(at - line_start_);
    for (; col_at_ < at; ++col_at_)
      if ((static_cast<unsigned char>(*col_at_) & 0xC0) != 0x80) ++col_;
    return col_;
  }

  bool New(uint32_t* n) {
    if (doc_.nodes_.size() >= UINT32_MAX) return false;
    doc_.nodes_.emplace_back();
    *n = static_cast<uint32_t>(doc_.nodes_.size() - 1);
    return true;
  }

  void Set(uint32_t n, NodeType t, const char* at) {
    Document::Data& d = doc_.nodes_[n];
    d.line = line_ > INT32_MAX ? INT32_MAX : static_cast<int32_t>(line_);
    uint32_t col = std::min(Column(at), kMaxColumn);
    d.col_type = col << 3 | static_cast<uint32_t>(t);
  }

  bool Value(uint32_t n, int depth) {
    char c = *p_;
    if (c == '{' || c == '[') {
      if (depth + 1 > kMaxDepth) return false;
      return c == '{' ? Object(n, depth + 1) : Array(n, depth + 1);
    }
    if (c == '"') {
      Set(n, NodeType::kScalar, p_);
      return String(n);
    }
    return Plain(n);
  }

  // Moves the children of the container `n` (from kids_[first]) into place.
  bool Close(uint32_t n, size_t first, bool map) {
    size_t count = kids_.size() - first;
    if (doc_.children_.size() + count > UINT32_MAX) return false;
    Document::Data& d = doc_.nodes_[n];
    d.a = static_cast<uint32_t>(doc_.children_.size());
    d.b = static_cast<uint32_t>(map ? count / 2 : count);
    doc_.children_.insert(doc_.children_.end(), kids_.begin() + static_cast<ptrdiff_t>(first), kids_.end());
    kids_.resize(first);
    return true;
  }

  bool Object(uint32_t n, int depth) {
    Set(n, NodeType::kMap, p_);
    ++p_;
    size_t first = kids_.size();
    if (!Skip() || p_ == e_) return false;
    if (*p_ == '}') {
      ++p_;
      return Close(n, first, true);
    }
    for (;;) {
      if (p_ == e_ || *p_ != '"') return false;
      const char* key_at = p_;
      int64_t key_line = line_;
      uint32_t k, v;
      if (!New(&k)) return false;
      Set(k, NodeType::kScalar, p_);
      if (!String(k) || !Skip()) return false;
      // libyaml reads a key only when its ':' follows on the same line, soon.
      if (p_ == e_ || *p_ != ':' || line_ != key_line || p_ - key_at > kMaxKey) return false;
      ++p_;
      if (!Skip() || p_ == e_ || !New(&v)) return false;
      kids_.push_back(k);
      kids_.push_back(v);
      if (!Value(v, depth) || !Skip() || p_ == e_) return false;
      if (*p_ == '}') break;
      if (*p_ != ',') return false;
      ++p_;
      if (!Skip()) return false;
    }
    ++p_;
    return Close(n, first, true);
  }

  bool Array(uint32_t n, int depth) {
    Set(n, NodeType::kSequence, p_);
    ++p_;
    size_t first = kids_.size();
    if (!Skip() || p_ == e_) return false;
    if (*p_ == ']') {
      ++p_;
      return Close(n, first, false);
    }
    for (;;) {
      uint32_t v;
      if (p_ == e_ || !New(&v)) return false;
      kids_.push_back(v);
      if (!Value(v, depth) || !Skip() || p_ == e_) return false;
      if (*p_ == ']') break;
      if (*p_ != ',') return false;
      ++p_;
      if (!Skip()) return false;
    }
    ++p_;
    return Close(n, first, false);
  }

  static int Hex(char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  }
  // Four hex digits at `at`, or -1.
  long Hex4(const char* at) const {
    if (e_ - at < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(at[i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  void Utf8(uint32_t cp) {
    std::string& t = doc_.text_;
    if (cp < 0x80) {
      t += static_cast<char>(cp);
    } else if (cp < 0x800) {
      t += static_cast<char>(0xC0 | (cp >> 6));
      t += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      t += static_cast<char>(0xE0 | (cp >> 12));
      t += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      t += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      t += static_cast<char>(0xF0 | (cp >> 18));
      t += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      t += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      t += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The escape at p_ (a backslash), decoded into the text; false for one
  // that is not JSON's or that libyaml reads otherwise.
  bool Escape() {
    if (e_ - p_ < 2) return false;
    char c = p_[1];
    static constexpr std::string_view kFrom = "\"\\bfnrt", kTo = "\"\\\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      doc_.text_ += kTo[i];
      p_ += 2;
      return true;
    }
    if (c != 'u') return false;
    long cp = Hex4(p_ + 2);
    if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
    p_ += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair, as Walker::Load decodes it for libyaml
      if (e_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
      long lo = Hex4(p_ + 2);
      if (lo < 0xDC00 || lo > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      p_ += 6;
    }
    Utf8(static_cast<uint32_t>(cp));
    return true;
  }

  // The string at p_ (its opening quote) as the text of node n.
  bool String(uint32_t n) {
    ++p_;
    std::string& t = doc_.text_;
    size_t start = t.size();
    const char* run = p_;
    for (;;) {
      if (p_ == e_) return false;
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') break;
      if (c == '\\') {
        t.append(run, p_);
        if (!Escape()) return false;
        run = p_;
        continue;
      }
      if (c < 0x20 || c == 0x7F) return false;  // raw control characters, line breaks, tabs
      if (c >= 0x80) {
        // The input is valid UTF-8, so a lead byte's sequence is complete.
        unsigned char c1 = static_cast<unsigned char>(p_[1]);
        unsigned char c2 = c >= 0xE0 ? static_cast<unsigned char>(p_[2]) : 0;
        if (c == 0xC2 && c1 < 0xA0) return false;                                 // C1 controls, NEL
        if (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9)) return false;  // U+2028, U+2029
        if (c == 0xEF && ((c1 == 0xBB && c2 == 0xBF) || (c1 == 0xBF && c2 >= 0xBE))) return false;
        utf8_line_ = true;
      }
      ++p_;
    }
    t.append(run, p_);
    ++p_;
    if (t.size() > UINT32_MAX) return false;
    Document::Data& d = doc_.nodes_[n];
    d.a = static_cast<uint32_t>(start);
    d.b = static_cast<uint32_t>(t.size() - start);
    return true;
  }

  // true, false, null or a number: a plain scalar (null is null).
  bool Plain(uint32_t n) {
    const char* at = p_;
    auto word = [&](std::string_view w) {
      if (static_cast<size_t>(e_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
      p_ += w.size();
      return true;
    };
    auto digit = [&](const char* q) { return q < e_ && *q >= '0' && *q <= '9'; };
    bool null = false;
    if (word("true") || word("false")) {
    } else if (word("null")) {
      null = true;
    } else if (digit(p_) || (*p_ == '-' && digit(p_ + 1))) {
      ++p_;
      while (p_ < e_ && (digit(p_) || *p_ == '.' || *p_ == 'e' || *p_ == 'E' || *p_ == '+' || *p_ == '-'))
        ++p_;
    } else {
      return false;
    }
    if (p_ < e_ && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' && *p_ != ',' && *p_ != ']' && *p_ != '}')
      return false;
    Set(n, null ? NodeType::kNull : NodeType::kScalar, at);
    if (!null) {
      std::string& t = doc_.text_;
      Document::Data& d = doc_.nodes_[n];
      d.a = static_cast<uint32_t>(t.size());
      d.b = static_cast<uint32_t>(p_ - at);
      t.append(at, p_);
      if (t.size() > UINT32_MAX) return false;
    }
    return true;
  }

  Document& doc_;
  const char* p_;
  const char* e_;
  int64_t line_ = 0;
  const char* line_start_;
  const char* col_at_;  // Column() has counted the characters of the line up to here
  uint32_t col_ = 0;
  bool utf8_line_ = false;      // the line has a non-ASCII character (columns are counted)
  std::vector<uint32_t> kids_;  // children of the open containers, as in Builder
};

std::shared_ptr<const Document> Document::ParseJson(std::string_view text) {
  auto doc = std::make_shared<Document>();
  doc->nodes_.reserve(text.size() / 12 + 16);
  doc->children_.reserve(text.size() / 12 + 16);
  doc->text_.reserve(text.size() + 16);
  if (!JsonBuilder(*doc, text).Run()) return nullptr;
  return doc;
}

std::shared_ptr<const Document> Document::Parse(std::string_view text, ParseError* error) {
  auto doc = std::make_shared<Document>();
  // Estimates from registers and kb files (about one node per 12 bytes; the
  // scalar text is about as long as the document). Reserved pages that are
  // never written take no memory.
  doc->nodes_.reserve(text.size() / 12 + 16);
  doc->children_.reserve(text.size() / 12 + 16);
  doc->text_.reserve(text.size() + 16);
  Builder b{*doc, {}, {}, {}, {}};
  if (!b.Run(text, error)) return nullptr;
  // No shrink_to_fit: reserved pages never written take no memory, and a copy
  // to a tighter array would touch them all again.
  return doc;
}

}  // namespace blindspot::input::yaml

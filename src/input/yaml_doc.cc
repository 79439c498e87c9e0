#include "input/yaml_doc.h"

#include <yaml.h>

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

#include "input/yaml_doc.h"

#include <yaml.h>

#include <unordered_map>

namespace blindspot::input::yaml {

namespace {
const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}
}  // namespace

NodeType Node::Type() const { return doc_ ? doc_->nodes_[idx_].type : NodeType::kUndefined; }

const std::string& Node::Scalar() const {
  if (!doc_ || doc_->nodes_[idx_].type != NodeType::kScalar) return EmptyString();
  return doc_->scalars_[doc_->nodes_[idx_].scalar];
}

Mark Node::GetMark() const { return doc_ ? doc_->nodes_[idx_].mark : Mark{}; }

size_t Node::size() const {
  if (!doc_) return 0;
  const auto& d = doc_->nodes_[idx_];
  return d.type == NodeType::kSequence || d.type == NodeType::kMap ? d.count : 0;
}

Node Node::operator[](size_t i) const {
  if (!doc_) return {};
  const auto& d = doc_->nodes_[idx_];
  if (d.type != NodeType::kSequence || i >= d.count) return {};
  return Node(doc_, doc_->children_[d.first + i]);
}

Node Node::operator[](std::string_view key) const {
  if (!doc_) return {};
  const auto& d = doc_->nodes_[idx_];
  if (d.type != NodeType::kMap) return {};
  for (uint32_t i = 0; i < d.count; ++i) {
    uint32_t k = doc_->children_[d.first + 2 * i];
    const auto& kd = doc_->nodes_[k];
    if (kd.type == NodeType::kScalar && doc_->scalars_[kd.scalar] == key)
      return Node(doc_, doc_->children_[d.first + 2 * i + 1]);
  }
  return {};
}

NodeEntry Node::iterator::operator*() const {
  NodeEntry e;
  const Document* doc = owner_.doc_;
  if (!doc) return e;
  const auto& d = doc->nodes_[owner_.idx_];
  if (d.type == NodeType::kSequence) {
    static_cast<Node&>(e) = Node(doc, doc->children_[d.first + i_]);
  } else if (d.type == NodeType::kMap) {
    e.first = Node(doc, doc->children_[d.first + 2 * i_]);
    e.second = Node(doc, doc->children_[d.first + 2 * i_ + 1]);
    static_cast<Node&>(e) = e.second;
  }
  return e;
}

bool DecodeBool(const Node& n, bool* out) {
  if (!n.IsScalar()) return false;
  static const std::pair<const char*, bool> kWords[] = {
      {"true", true},   {"True", true},   {"TRUE", true},   {"false", false}, {"False", false}, {"FALSE", false},
      {"yes", true},    {"Yes", true},    {"YES", true},    {"no", false},    {"No", false},    {"NO", false},
      {"on", true},     {"On", true},     {"ON", true},     {"off", false},   {"Off", false},   {"OFF", false},
      {"y", true},      {"Y", true},      {"n", false},     {"N", false}};
  const std::string& s = n.Scalar();
  for (const auto& [w, v] : kWords) {
    if (s == w) {
      *out = v;
      return true;
    }
  }
  return false;
}

// Builds the arrays from libyaml's events with an explicit stack (no recursion,
// so deep nesting cannot exhaust the C++ stack).
struct Builder {
  Document& doc;
  struct Open {
    uint32_t node;
    std::vector<uint32_t> kids;
  };
  std::vector<Open> stack;
  std::unordered_map<std::string, uint32_t> anchors;

  static Mark MarkOf(const yaml_mark_t& m) { return Mark{static_cast<int>(m.line), static_cast<int>(m.column)}; }

  uint32_t NewNode(NodeType t, Mark mark) {
    Document::Data d;
    d.type = t;
    d.mark = mark;
    doc.nodes_.push_back(d);
    return static_cast<uint32_t>(doc.nodes_.size() - 1);
  }

  void Attach(uint32_t node) {
    if (!stack.empty()) stack.back().kids.push_back(node);
  }

  void Anchor(const yaml_char_t* anchor, uint32_t node) {
    if (anchor) anchors[reinterpret_cast<const char*>(anchor)] = node;
  }

  void Close() {
    Open o = std::move(stack.back());
    stack.pop_back();
    Document::Data& d = doc.nodes_[o.node];
    d.first = static_cast<uint32_t>(doc.children_.size());
    if (d.type == NodeType::kMap) {
      if (o.kids.size() % 2) o.kids.pop_back();  // cannot happen for well-formed input
      d.count = static_cast<uint32_t>(o.kids.size() / 2);
    } else {
      d.count = static_cast<uint32_t>(o.kids.size());
    }
    doc.children_.insert(doc.children_.end(), o.kids.begin(), o.kids.end());
    Attach(o.node);
  }

  bool Run(std::string_view text, ParseError* error) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      if (error) error->message = "out of memory";
      return false;
    }
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    bool ok = true, done = false, have_root = false;
    // Node 0 is the root; a stream without a document gives a null root.
    NewNode(NodeType::kNull, Mark{0, 0});
    while (!done) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        if (error) {
          error->message = parser.problem ? parser.problem : "not valid YAML";
          if (parser.context) error->message += std::string(" (") + parser.context + ")";
          error->mark = MarkOf(parser.problem_mark);
        }
        ok = false;
        break;
      }
      bool root_level = stack.empty();
      switch (ev.type) {
        case YAML_SCALAR_EVENT: {
          std::string value(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
          bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
          bool null = plain && (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL");
          uint32_t n = root_level && !have_root ? 0 : NewNode(NodeType::kNull, MarkOf(ev.start_mark));
          Document::Data& d = doc.nodes_[n];
          d.mark = MarkOf(ev.start_mark);
          d.type = null ? NodeType::kNull : NodeType::kScalar;
          if (!null) {
            d.scalar = static_cast<uint32_t>(doc.scalars_.size());
            doc.scalars_.push_back(std::move(value));
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
          uint32_t n = root_level && !have_root ? 0 : NewNode(t, MarkOf(ev.start_mark));
          doc.nodes_[n].type = t;
          doc.nodes_[n].mark = MarkOf(ev.start_mark);
          Anchor(t == NodeType::kSequence ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor, n);
          if (root_level) have_root = true;
          stack.push_back(Open{n, {}});
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          if (!stack.empty()) {
            // The root container is not attached to anything.
            if (stack.size() == 1) {
              Open o = std::move(stack.back());
              stack.pop_back();
              Document::Data& d = doc.nodes_[o.node];
              d.first = static_cast<uint32_t>(doc.children_.size());
              d.count = static_cast<uint32_t>(d.type == NodeType::kMap ? o.kids.size() / 2 : o.kids.size());
              doc.children_.insert(doc.children_.end(), o.kids.begin(), o.kids.end());
            } else {
              Close();
            }
          }
          break;
        case YAML_ALIAS_EVENT: {
          auto it = anchors.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
          if (it == anchors.end()) {
            if (error) {
              error->message = std::string("unknown alias '*") +
                               reinterpret_cast<const char*>(ev.data.alias.anchor) + "'";
              error->mark = MarkOf(ev.start_mark);
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
    }
    yaml_parser_delete(&parser);
    return ok;
  }
};

std::shared_ptr<const Document> Document::Parse(std::string_view text, ParseError* error) {
  auto doc = std::make_shared<Document>();
  doc->nodes_.reserve(text.size() / 16 + 16);
  doc->scalars_.reserve(text.size() / 24 + 16);
  Builder b{*doc, {}, {}};
  if (!b.Run(text, error)) return nullptr;
  doc->nodes_.shrink_to_fit();
  doc->scalars_.shrink_to_fit();
  return doc;
}

}  // namespace blindspot::input::yaml

#include "text/message_format.h"

#include <fmt/format.h>

namespace blindspot::text_internal {
namespace {

class Parser {
 public:
  Parser(std::string_view s, std::string* error) : s_(s), error_(error) {}

  bool Parse(std::vector<Node>* out) {
    if (!Nodes(out, /*in_plural=*/false, /*nested=*/false)) return false;
    if (pos_ != s_.size()) return Fail("'}' without a matching '{'");
    return true;
  }

 private:
  bool Fail(std::string msg) {
    if (error_ && error_->empty()) *error_ = fmt::format("position {}: {}", pos_, msg);
    return false;
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t')) ++pos_;
  }

  std::string Word() {
    SkipSpace();
    size_t b = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-' || c == '=' || c == '.';
      if (!ok) break;
      ++pos_;
    }
    std::string w(s_.substr(b, pos_ - b));
    SkipSpace();
    return w;
  }

  // Reads nodes until the end or an unmatched '}' (left for the caller).
  bool Nodes(std::vector<Node>* out, bool in_plural, bool nested) {
    std::string lit;
    auto flush = [&] {
      if (!lit.empty()) {
        Node n;
        n.text = std::move(lit);
        out->push_back(std::move(n));
        lit.clear();
      }
    };
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '}') {
        if (!nested) return Fail("'}' without a matching '{'");
        break;
      }
      if (c == '#' && in_plural) {
        flush();
        Node n;
        n.kind = Node::Kind::kHash;
        out->push_back(std::move(n));
        ++pos_;
        continue;
      }
      if (c == '{') {
        flush();
        ++pos_;
        Node n;
        if (!Placeholder(&n)) return false;
        out->push_back(std::move(n));
        continue;
      }
      lit += c;
      ++pos_;
    }
    flush();
    return true;
  }

  bool Placeholder(Node* n) {
    std::string name = Word();
    if (name.empty()) return Fail("a placeholder needs a name: {name}");
    n->text = name;
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      n->kind = Node::Kind::kArg;
      return true;
    }
    if (pos_ >= s_.size() || s_[pos_] != ',') return Fail("expected '}' or ',' after the placeholder name");
    ++pos_;
    std::string type = Word();
    if (type == "plural") {
      n->kind = Node::Kind::kPlural;
    } else if (type == "select") {
      n->kind = Node::Kind::kSelect;
    } else {
      return Fail("unknown placeholder type '" + type + "' (plural or select)");
    }
    if (pos_ >= s_.size() || s_[pos_] != ',') return Fail("expected ',' after '" + type + "'");
    ++pos_;
    bool other = false;
    for (;;) {
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        break;
      }
      std::string key = Word();
      if (key.empty()) return Fail("expected a branch key such as 'one', 'other' or a value");
      if (pos_ >= s_.size() || s_[pos_] != '{') return Fail("expected '{' after branch '" + key + "'");
      ++pos_;
      Node::Branch b;
      b.key = key;
      if (!Nodes(&b.nodes, n->kind == Node::Kind::kPlural, /*nested=*/true)) return false;
      if (pos_ >= s_.size() || s_[pos_] != '}') return Fail("branch '" + key + "' is not closed with '}'");
      ++pos_;
      other = other || key == "other";
      n->branches.push_back(std::move(b));
    }
    if (!other) return Fail("a " + type + " placeholder needs an 'other' branch");
    return true;
  }

  std::string_view s_;
  std::string* error_;
  size_t pos_ = 0;
};

void CollectArgs(const std::vector<Node>& nodes, std::vector<std::pair<std::string, char>>* out) {
  for (const Node& n : nodes) {
    char how = n.kind == Node::Kind::kArg ? 'v' : n.kind == Node::Kind::kPlural ? 'p' : 's';
    if (n.kind == Node::Kind::kArg || n.kind == Node::Kind::kPlural || n.kind == Node::Kind::kSelect) {
      bool seen = false;
      for (const auto& [name, h] : *out) seen = seen || name == n.text;
      if (!seen) out->emplace_back(n.text, how);
    }
    for (const auto& b : n.branches) CollectArgs(b.nodes, out);
  }
}

}  // namespace

std::shared_ptr<const TextCatalog::ParsedTemplate> ParseTemplate(std::string_view text, std::string* error) {
  auto t = std::make_shared<TextCatalog::ParsedTemplate>();
  t->source = std::string(text);
  if (!Parser(text, error).Parse(&t->nodes)) return nullptr;
  return t;
}

std::vector<std::pair<std::string, char>> ArgumentsOf(const TextCatalog::ParsedTemplate& t) {
  std::vector<std::pair<std::string, char>> out;
  CollectArgs(t.nodes, &out);
  return out;
}

}  // namespace blindspot::text_internal

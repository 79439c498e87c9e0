// Message templates (docs/texts.md): literal text with placeholders
//   {name}                                   the argument, rendered
//   {name, plural, =0 {...} one {...} other {...}}   by a number argument;
//                                            '#' in a branch is the number
//   {name, select, value {...} other {...}}  by a text or term argument
// Branches nest. Braces have no escape (texts do not need literal braces); an
// apostrophe is an ordinary character. Plural forms: "one" is n == 1, which
// holds for English, Dutch, German and the other Germanic and Romance
// languages; "=N" matches exactly. Internal to bs_text.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/catalog.h"

namespace blindspot::text_internal {

struct Node {
  enum class Kind { kText, kArg, kPlural, kSelect, kHash };
  Kind kind = Kind::kText;
  std::string text;  // kText: literal; kArg/kPlural/kSelect: the argument name
  struct Branch {
    std::string key;  // "one", "other", "=0", or a select value
    std::vector<Node> nodes;
  };
  std::vector<Branch> branches;
};

}  // namespace blindspot::text_internal

namespace blindspot {

struct TextCatalog::ParsedTemplate {
  std::string source;
  std::vector<text_internal::Node> nodes;
};

}  // namespace blindspot

namespace blindspot::text_internal {

// Parses a template. On a syntax error returns nullptr and sets *error to a
// message with the 0-based byte position ("position 12: '}' without '{'").
std::shared_ptr<const TextCatalog::ParsedTemplate> ParseTemplate(std::string_view text, std::string* error);

// The argument names a template uses (each once, in first-use order), with
// how each is used: 'v' value, 'p' plural, 's' select.
std::vector<std::pair<std::string, char>> ArgumentsOf(const TextCatalog::ParsedTemplate& t);

}  // namespace blindspot::text_internal

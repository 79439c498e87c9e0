// Document::ParseJson against Document::Parse (libyaml): the same tree, marks
// included, for JSON it takes; nullptr for what it leaves to libyaml.
#include "input/yaml_doc.h"

#include <gtest/gtest.h>

#include <string>

#include "input/yaml_walker.h"

namespace blindspot::input::yaml {
using input::DecodeJsonSurrogatePairs;
namespace {

// The tree as text: type, mark and scalar of every node, in document order.
void Dump(const Node& n, std::string& out) {
  Mark m = n.GetMark();
  out += std::to_string(static_cast<int>(n.Type())) + "@" + std::to_string(m.line) + ":" +
         std::to_string(m.column);
  if (n.IsScalar()) out += "'" + std::string(n.Scalar()) + "'";
  if (n.IsSequence()) {
    out += "[";
    for (size_t i = 0; i < n.size(); ++i) Dump(n[i], out), out += ",";
    out += "]";
  } else if (n.IsMap()) {
    out += "{";
    for (auto it = n.begin(); it != n.end(); ++it) {
      Dump(it->first, out);
      out += "=";
      Dump(it->second, out);
      out += ",";
    }
    out += "}";
  }
}

std::string Tree(const std::shared_ptr<const Document>& d) {
  std::string s;
  if (d) Dump(d->root(), s);
  return s;
}

TEST(ParseJson, SameTreeAndMarksAsLibyaml) {
  const char* cases[] = {
      "{}",
      "  {\n}\n",
      "{\"a\": 1}",
      "{\"a\":1,\"b\":[true,false,null,-2.5e+3,\"x\"],\"c\":{}}",
      "{\n  \"blindspot_register\": 1,\n  \"activities\": [\n    {\n      \"id\": \"a\",\n"
      "      \"name\": \"Caf\xC3\xA9 \xE2\x82\xAC\",  \"x\": \"\xF0\x9F\x8D\x9E\", \"y\": [ ]\n    }\n  "
      "]\n}\n",
      "{\"\xC3\xA9\xC3\xA9\": \"\xC3\xA9\", \"b\": \"\xE2\x82\xAC\", \"c\": [\"d\", {\"e\": null}]}",
      "{\r\n  \"a\": \"b\",\r\n  \"c\": [1, 2]\r\n}\r\n",
      "{\"esc\": \"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u00e9 \\u20ac \\u0001 \\ud83c\\udf5e\"}",
      "{\"dup\": 1, \"dup\": 2, \"\": \"\", \"n\": \"null\", \"t\": \"true\"}",
      "{\"a\": [[[[1]]], {\"b\": {\"c\": []}}]}",
  };
  for (const char* text : cases) {
    ParseError err;
    auto yaml = Document::Parse(DecodeJsonSurrogatePairs(text), &err);
    ASSERT_TRUE(yaml) << text << ": " << err.message;
    auto json = Document::ParseJson(text);
    ASSERT_TRUE(json) << text;
    EXPECT_EQ(Tree(json), Tree(yaml)) << text;
  }
}

TEST(ParseJson, LeavesEverythingElseToLibyaml) {
  const char* cases[] = {
      "[1, 2]",                       // not an object at the root
      "a: 1",                         // YAML
      "{\"a\": 1} # note",            // a comment
      "{\"a\": 1,}",                  // a trailing comma
      "{\"a\":\t1}",                  // a tab outside strings
      "{\"a\": \"b\tc\"}",            // a raw tab in a string
      "{\"a\": \"b\nc\"}",            // a raw line break in a string
      "{\"a\": 1}\r",                 // a lone carriage return
      "{\"a\"\n: 1}",                 // the ':' on another line
      "{\"a\": 'b'}",                 // single quotes
      "{\"a\": yes}",                 // a YAML word
      "{\"a\": 1 2}",                 // a plain scalar with a space
      "{\"a\": \"\\/\"}",             // an escaped slash
      "{\"a\": \"\\x41\"}",           // a YAML escape
      "{\"a\": \"\\ud83c\"}",         // a lone surrogate
      "{\"a\": \"\\udf5e\"}",         // a lone low surrogate
      "{\"a\": \"x\xC2\x85y\"}",      // NEL, a YAML line break
      "{\"a\": \"x\xE2\x80\xA8y\"}",  // LINE SEPARATOR
      "{\"a\": \"x\x7Fy\"}",          // DEL
      "{\"a\": \"x\xEF\xBB\xBFy\"}",  // a byte-order mark inside
      "{\"a\": &x 1}",                // an anchor
      "{\"a\": 1} {\"b\": 2}",        // more after the root
      "{\"a\": 1",                    // unclosed
  };
  for (const char* text : cases) EXPECT_FALSE(Document::ParseJson(text)) << text;
  // A key libyaml would no longer take as a simple key.
  EXPECT_FALSE(Document::ParseJson("{\"" + std::string(1200, 'k') + "\": 1}"));
  EXPECT_TRUE(Document::ParseJson("{\"" + std::string(900, 'k') + "\": 1}"));
  // 64 levels are read; 65 are left to the walker, which reports them.
  std::string deep(63, '[');
  EXPECT_TRUE(Document::ParseJson("{\"a\": " + deep + std::string(63, ']') + "}"));
  EXPECT_FALSE(Document::ParseJson("{\"a\": [" + deep + std::string(64, ']') + "}"));
}

}  // namespace
}  // namespace blindspot::input::yaml

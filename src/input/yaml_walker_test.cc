// The shared schema walker: loading (encoding, nesting, syntax), maps with a
// fixed key set, typed values (text, lists, booleans, enums with local terms,
// country codes, calendar dates), and the order and shape of its diagnostics.
#include "input/yaml_walker.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace blindspot::input {
namespace {

using namespace std::string_literals;

// The walker's node type (the document tree it parses into).
using Node = std::remove_cvref_t<decltype(*std::declval<Walker&>().Load(""))>;

std::string Pos(const Error& e) {
  return e.where.file + ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.column);
}

// Walks a document's root map with `keys`, handing each value to `fn`.
template <class Fn>
Diagnostics WalkRoot(const std::string& text, const std::vector<std::string_view>& keys, Fn&& fn,
                     const std::vector<std::string_view>& required = {}) {
  Walker w(text, "doc.yaml");
  auto root = w.Load("a test document");
  EXPECT_TRUE(root.has_value()) << text;
  if (root)
    w.Map(
        *root, keys, "the document", {1, 1},
        [&](std::string_view k, const Node& v, Loc kl) { fn(w, std::string(k), v, kl); }, required);
  return w.TakeErrors();
}

TEST(WalkerHelpers, SmallFunctions) {
  Walker w("a: [1, 2]\nb: x\nc:\n", "doc.yaml");
  auto root = w.Load("a test document");
  ASSERT_TRUE(root.has_value());
  const Node& n = *root;
  EXPECT_EQ(w.LocOf(n["b"]), (Loc{2, 4}));
  EXPECT_EQ(w.LocOf(n["a"][1]), (Loc{1, 8}));
  EXPECT_EQ(w.LocOf(Node(), Loc{7, 7}), (Loc{7, 7}));  // no position: the fallback
  EXPECT_EQ(TypeName(n), "a map");
  EXPECT_EQ(TypeName(n["a"]), "a list");
  EXPECT_EQ(TypeName(n["b"]), "a text value");
  EXPECT_EQ(TypeName(n["c"]), "nothing");
  EXPECT_EQ(TypeName(n["missing"]), "nothing");
  EXPECT_EQ(ScalarText(n["b"]), "x");
  EXPECT_EQ(ScalarText(n["a"]), "");
  EXPECT_EQ(ScalarText(n["c"]), "");
  EXPECT_EQ(StripBom("\xEF\xBB\xBF"
                     "abc"),
            "abc");
  EXPECT_EQ(StripBom("abc"), "abc");
  EXPECT_EQ(JoinKeys({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(JoinKeys({}), "");
  EXPECT_EQ(DecodeJsonSurrogatePairs(R"({"n": "Bakkerij \ud83c\udf5e"})"),
            "{\"n\": \"Bakkerij \xF0\x9F\x8D\x9E\"}");
  EXPECT_EQ(DecodeJsonSurrogatePairs(R"({"n": "\\ud83c\\udf5e"})"),
            R"({"n": "\\ud83c\\udf5e"})");                            // escaped backslashes
  EXPECT_EQ(DecodeJsonSurrogatePairs(R"("\u00e9")"), R"("\u00e9")");  // not a pair: left to the parser
  EXPECT_EQ(DidYouMeanKey("contry", {"name", "country"}), "did you mean 'country'?");
  EXPECT_EQ(DidYouMeanKey("zzzzzz", {"name", "country"}), "remove it, or check the format description");
}

TEST(WalkerLoad, ParsesYamlAndJsonWithBom) {
  Walker w(
      "\xEF\xBB\xBF"
      "a: 1\nb: [x, y]\n",
      "doc.yaml");
  auto root = w.Load("a test document");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ((*root)["a"].Scalar(), "1");
  EXPECT_EQ(w.Line(2), "b: [x, y]");
  EXPECT_EQ(w.Line(3), "");
  EXPECT_EQ(w.Line(0), "");
  EXPECT_TRUE(w.ok());
  Walker j(R"({"name": "Bakkerij \ud83c\udf5e B.V."})", "doc.json");
  auto jr = j.Load("a test document");
  ASSERT_TRUE(jr.has_value()) << j.TakeErrors()[0].Format();
  EXPECT_EQ((*jr)["name"].Scalar(), "Bakkerij \xF0\x9F\x8D\x9E B.V.");
}

TEST(WalkerLoad, EncodingProblemsAreNamed) {
  Walker zip("PK\x03\x04\x14\x00"s, "datamap.xlsx");
  EXPECT_FALSE(zip.Load("a YAML or JSON register").has_value());
  Diagnostics d = zip.TakeErrors();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message.rfind("this is a ZIP archive", 0), 0u) << d[0].message;
  EXPECT_EQ(d[0].expected, "a YAML or JSON register");
  Walker utf16(
      "\xFF\xFE"
      "a\0:\0"s,
      "doc.yaml");
  EXPECT_FALSE(utf16.Load("x").has_value());
  EXPECT_EQ(utf16.TakeErrors()[0].message, "the file is UTF-16 encoded, not UTF-8");
}

TEST(WalkerLoad, AbsurdNestingIsRefusedWithAPosition) {
  std::string deep = "a: 1\nb: " + std::string(100, '[');
  Walker w(deep, "deep.yaml");
  EXPECT_FALSE(w.Load("a test document").has_value());
  Diagnostics d = w.TakeErrors();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_EQ(d[0].message, "nesting deeper than 64 levels of '[' or '{'");
  EXPECT_EQ(Pos(d[0]), "deep.yaml:2:" + std::to_string(3 + 65));
  // Brackets inside quotes and comments do not count.
  std::string quoted = "a: \"" + std::string(100, '[') + "\"\n# " + std::string(100, '{') + "\n";
  Walker q(quoted, "q.yaml");
  EXPECT_TRUE(q.Load("a test document").has_value());
  // Found by import_fuzz (docs/fuzzing.md): a quote inside a plain scalar
  // (`zei "ja`, `it's`) opens nothing, and escaped quotes do not close a
  // quoted scalar; the brackets in the quoted text after them were counted and
  // a register the writer had written was refused.
  std::string b = std::string(100, '{');
  for (std::string text :
       {"a: zei \"ja\nb: \"" + b + "\"\n", "a: it's \"" + b + "\"\n", "a: \"x \\\" " + b + "\"\n",
        "a: 'it''s " + b + "'\n", "{\"a\":\"zei \\\"" + b + "\"}\n", "a: x[1] \"" + b + "\"\n"}) {
    Walker w2(text, "t.yaml");
    EXPECT_TRUE(w2.Load("a test document").has_value()) << text;
  }
  // Still refused: deep nesting after an anchor, a tag, in JSON, after a comment.
  for (std::string text : {"a: &x " + std::string(100, '['), "a: !!seq " + std::string(100, '['),
                           "{\"a\":" + std::string(100, '['), "a: 1 # it's\nb: " + std::string(100, '[')}) {
    Walker w2(text, "t.yaml");
    EXPECT_FALSE(w2.Load("a test document").has_value()) << text;
    Diagnostics e = w2.TakeErrors();
    ASSERT_EQ(e.size(), 1u) << text;
    EXPECT_EQ(e[0].message, "nesting deeper than 64 levels of '[' or '{'") << text;
  }
}

TEST(WalkerLoad, SyntaxErrorsHaveLineColumnAndHint) {
  Walker w("a: 1\nb:\n  c: \"x\" y\n", "doc.yaml");
  EXPECT_FALSE(w.Load("a test document").has_value());
  Diagnostics d = w.TakeErrors();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_EQ(Pos(d[0]), "doc.yaml:3:10");
  EXPECT_EQ(d[0].message, "YAML syntax error: did not find expected key (while parsing a block mapping)");
  EXPECT_EQ(d[0].source_line, "  c: \"x\" y");
  EXPECT_NE(d[0].hint.find("indentation"), std::string::npos) << d[0].hint;

  Walker tab("a:\n\tb: 1\n", "doc.yaml");
  EXPECT_FALSE(tab.Load("a test document").has_value());
  EXPECT_EQ(tab.TakeErrors()[0].hint, "indent with spaces; YAML does not allow tabs for indentation");

  Walker flow("a: [1, 2}\n", "doc.yaml");  // found on the line of the '['
  EXPECT_FALSE(flow.Load("a test document").has_value());
  EXPECT_EQ(flow.TakeErrors()[0].hint,
            "check that every '[' and '{' is closed and items are separated by ','");
  Walker open("a: [1, 2\n", "doc.yaml");  // found at the end: names the '['
  EXPECT_FALSE(open.Load("a test document").has_value());
  EXPECT_EQ(open.TakeErrors()[0].hint,
            "close the '[' at line 1, column 4 with ']', or separate its items with ','");
}

TEST(WalkerLoad, UnclosedFlowListNamesWhereItWasOpened) {
  // libyaml notices the missing ']' only on the next line; the error says
  // where the list was opened.
  Walker w("name: x\ndata_subjects: [customer\ndata_categories: [user.name]\n", "register.yaml");
  EXPECT_FALSE(w.Load("a test document").has_value());
  Diagnostics d = w.TakeErrors();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:3:16");
  EXPECT_EQ(
      d[0].message,
      "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that starts at "
      "line 2, column 16)");
  EXPECT_EQ(d[0].hint, "close the '[' at line 2, column 16 with ']', or separate its items with ','");
  Walker map("a: {x: 1,\nb: 2\n", "doc.yaml");
  EXPECT_FALSE(map.Load("a test document").has_value());
  d = map.TakeErrors();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("(while parsing a flow mapping that starts at line 1, column 4)"),
            std::string::npos)
      << d[0].message;
  EXPECT_EQ(d[0].hint, "close the '{' at line 1, column 4 with '}', or separate its items with ','");
}

TEST(WalkerMap, UnknownDuplicateAndMissingKeys) {
  std::vector<std::string> seen;
  Diagnostics d = WalkRoot("name: A\ncontry: NL\nname: B\n", {"name", "country", "id"},
                           [&](Walker&, const std::string& k, const Node& v, Loc) {
                             seen.push_back(k + "=" + std::string(v.Scalar()));
                           },
                           {"id", "name"});
  EXPECT_EQ(seen, (std::vector<std::string>{"name=A"}));
  ASSERT_EQ(d.size(), 3u);
  // Sorted by position: the missing key points at the map (1:1).
  EXPECT_EQ(Pos(d[0]), "doc.yaml:1:1");
  EXPECT_EQ(d[0].message, "missing required key 'id' in the document");
  EXPECT_EQ(Pos(d[1]), "doc.yaml:2:1");
  EXPECT_EQ(d[1].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[1].message, "unknown key 'contry' in the document");
  EXPECT_EQ(d[1].expected, "one of name, country, id");
  EXPECT_EQ(d[1].hint, "did you mean 'country'?");
  EXPECT_EQ(d[1].source_line, "contry: NL");
  EXPECT_EQ(Pos(d[2]), "doc.yaml:3:1");
  EXPECT_EQ(d[2].message, "duplicate key 'name' in the document");
  EXPECT_EQ(d[2].Format(),
            "doc.yaml:3:1: error: duplicate key 'name' in the document\n"
            "  name: B\n"
            "  ^\n"
            "  expected: each key at most once\n"
            "  hint: remove one of the two; YAML would silently keep only one value\n");
}

TEST(WalkerMap, NotAMapNamesWhatItFound) {
  Diagnostics d = WalkRoot("dpo: J. Jansen\nlist:\n  - a: 1\n", {"dpo", "list"},
                           [&](Walker& w, const std::string& k, const Node& v, Loc kl) {
                             w.Map(v, {"name", "email"}, "'" + k + "'", kl, [](auto&&...) {});
                           });
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].message, "'dpo' must be a map, found a text value");
  EXPECT_EQ(d[0].expected, "a map with keys: name, email");
  EXPECT_EQ(d[0].hint, "put its fields on indented lines below the key, e.g. `name: ...`");
  EXPECT_EQ(Pos(d[0]), "doc.yaml:1:6");
  EXPECT_EQ(d[1].message, "'list' must be a map, found a list");
  EXPECT_EQ(d[1].hint, "remove the '- ' in front: this is a single object, not a list");
}

TEST(WalkerValues, TextListsAndBooleans) {
  std::string s, empty, nul;
  std::vector<std::string> list, scalar_list, mixed;
  std::vector<Loc> locs;
  std::optional<bool> yes, no, maybe;
  Diagnostics d = WalkRoot(
      "s: text\nempty: \"\"\nnul: \"a\\0b\"\nlist: [a, b]\nscalar_list: user.name\nmixed: [a, [b], c]\n"
      "yes: yes\nno: false\nmaybe: perhaps\nmapped: {x: 1}\n",
      {"s", "empty", "nul", "list", "scalar_list", "mixed", "yes", "no", "maybe", "mapped"},
      [&](Walker& w, const std::string& k, const Node& v, Loc kl) {
        if (k == "s") s = w.Str(v, k, kl);
        if (k == "empty") empty = w.NonEmpty(v, k, kl);
        if (k == "nul") nul = w.Str(v, k, kl);
        if (k == "list") list = w.List(v, k, kl, &locs);
        if (k == "scalar_list") scalar_list = w.List(v, "activities[a]." + k, kl);
        if (k == "mixed") mixed = w.List(v, k, kl);
        if (k == "yes") yes = w.Bool(v, k, kl);
        if (k == "no") no = w.Bool(v, k, kl);
        if (k == "maybe") maybe = w.Bool(v, k, kl);
        if (k == "mapped") w.Str(v, k, kl);
      });
  EXPECT_EQ(s, "text");
  EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(locs, (std::vector<Loc>{{4, 8}, {4, 11}}));
  EXPECT_EQ(mixed, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(yes, true);
  EXPECT_EQ(no, false);
  EXPECT_FALSE(maybe.has_value());
  std::vector<std::string> msgs;
  for (const auto& e : d) msgs.push_back(Pos(e) + " " + e.message);
  EXPECT_EQ(msgs, (std::vector<std::string>{
                      "doc.yaml:2:8 'empty' is empty",
                      "doc.yaml:3:6 'nul' contains the control character 0x00",
                      "doc.yaml:5:14 'activities[a].scalar_list' must be a list, found a text value",
                      "doc.yaml:6:12 item 2 of 'mixed' must be a text value, found a list",
                      "doc.yaml:9:8 'maybe' must be true or false, found 'perhaps'",
                      "doc.yaml:10:9 'mapped' must be a text value, found a map",
                  }));
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(d[2].hint, "write it as a list: `scalar_list: [user.name]`");
  EXPECT_EQ(d[4].expected, "true or false (yes/no also accepted)");
}

TEST(WalkerValues, EnumsWithSuggestionsAndLocalTerms) {
  std::optional<LawfulBasis> ok, typo, dutch, german;
  std::optional<std::string> channel;
  Diagnostics d = WalkRoot(
      "ok: consent\ntypo: legitimate_interest\ndutch: toestemming\ngerman: Berechtigtes Interesse\n"
      "channel: web-trackng\n",
      {"ok", "typo", "dutch", "german", "channel"},
      [&](Walker& w, const std::string& k, const Node& v, Loc kl) {
        if (k == "channel") {
          channel = w.OneOf(v, k, kl, {"web-tracking", "advertising", "chat"});
          return;
        }
        auto parsed = w.Enum(v, k, kl, &ParseLawfulBasis, LawfulBasisValues());
        (k == "ok" ? ok : k == "typo" ? typo : k == "dutch" ? dutch : german) = parsed;
      });
  EXPECT_EQ(ok, LawfulBasis::kConsent);
  EXPECT_FALSE(typo.has_value());
  EXPECT_FALSE(dutch.has_value());
  EXPECT_FALSE(german.has_value());
  EXPECT_FALSE(channel.has_value());
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(Pos(d[0]), "doc.yaml:2:7");
  EXPECT_EQ(d[0].message, "invalid value 'legitimate_interest' for 'typo'");
  EXPECT_EQ(d[0].expected,
            "one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests");
  EXPECT_EQ(d[0].hint, "did you mean 'legitimate_interests'?");
  EXPECT_EQ(d[1].hint,
            "'toestemming' is the Dutch or German term; the file uses the English value 'consent'");
  EXPECT_EQ(d[2].hint,
            "'Berechtigtes Interesse' is the Dutch or German term; the file uses the English value "
            "'legitimate_interests'");
  EXPECT_EQ(d[3].message, "invalid value 'web-trackng' for 'channel'");
  EXPECT_EQ(d[3].expected, "one of web-tracking, advertising, chat");
  EXPECT_EQ(d[3].hint, "did you mean 'web-tracking'?");
}

TEST(WalkerValues, CountryCodes) {
  std::vector<std::string> got;
  Diagnostics d = WalkRoot(
      "a: NL\nb: UK\nc: EL\nd: nl\ne: Netherlands\nf: XK\ng: GB\n", {"a", "b", "c", "d", "e", "f", "g"},
      [&](Walker& w, const std::string& k, const Node& v, Loc kl) { got.push_back(w.Country(v, k, kl)); });
  EXPECT_EQ(got, (std::vector<std::string>{"NL", "UK", "EL", "nl", "Netherlands", "XK", "GB"}));
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(Pos(d[0]), "doc.yaml:2:4");
  EXPECT_EQ(d[0].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[0].message, "'UK' is not an ISO 3166-1 alpha-2 country code in 'b'");
  EXPECT_EQ(d[0].hint, "the ISO code of the United Kingdom is 'GB'");
  EXPECT_EQ(d[1].message, "'EL' is not an ISO 3166-1 alpha-2 country code in 'c'");
  EXPECT_EQ(d[1].hint, "the ISO code of Greece is 'GR' ('EL' is only the EU's own abbreviation)");
  EXPECT_EQ(d[2].hint, "write 'NL'");
  EXPECT_EQ(d[3].hint,
            "use the ISO 3166-1 alpha-2 code, e.g. NL for the Netherlands, US for the United States");
  EXPECT_EQ(d[4].message, "'XK' is not an ISO 3166-1 alpha-2 country code in 'f'");  // Kosovo: user-assigned
}

TEST(WalkerValues, CalendarDates) {
  std::vector<std::string> got;
  Diagnostics d = WalkRoot(
      "a: 2024-02-29\nb: 2023-02-29\nc: 2024-13-01\nd: 2024-04\ne: \"2024\"\nf: 15-01-2024\n"
      "g: 2024-06-30T12:00:00Z\nh: 2024-06-31\n",
      {"a", "b", "c", "d", "e", "f", "g", "h"},
      [&](Walker& w, const std::string& k, const Node& v, Loc kl) { got.push_back(w.Date(v, k, kl)); });
  EXPECT_EQ(got[0], "2024-02-29");
  std::vector<std::string> msgs;
  for (const auto& e : d) msgs.push_back(Pos(e) + " " + e.message);
  EXPECT_EQ(msgs, (std::vector<std::string>{
                      "doc.yaml:2:4 '2023-02-29' is not a calendar date in 'b'",
                      "doc.yaml:3:4 '2024-13-01' is not a calendar date in 'c'",
                      "doc.yaml:6:4 '15-01-2024' is not a calendar date in 'f'",
                      "doc.yaml:8:4 '2024-06-31' is not a calendar date in 'h'",
                  }));
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].expected, "a date written as YYYY-MM-DD (or YYYY-MM, YYYY) that exists in the calendar");
}

TEST(WalkerDiagnostics, WarningsAreSeparateAndEverythingIsSortedWithSourceLines) {
  Walker w("a: 1\nb: 2\nc: 3\n", "doc.yaml");
  ASSERT_TRUE(w.Load("a test document").has_value());
  w.Err(ErrorKind::kSchema, {3, 4}, "third");
  w.Warn({2, 4}, "a warning", "look at it");
  w.Err(ErrorKind::kReference, {1, 1}, "first");
  EXPECT_FALSE(w.ok());
  Diagnostics errors = w.TakeErrors();
  Diagnostics warnings = w.TakeWarnings();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].message, "first");
  EXPECT_EQ(errors[0].source_line, "a: 1");
  EXPECT_EQ(errors[1].message, "third");
  EXPECT_EQ(errors[1].source_line, "c: 3");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(warnings[0].warning);
  EXPECT_EQ(Pos(warnings[0]), "doc.yaml:2:4");
  EXPECT_EQ(warnings[0].Format(),
            "doc.yaml:2:4: warning: a warning\n"
            "  b: 2\n"
            "     ^\n"
            "  hint: look at it\n");

  Walker only_warn("a: 1\n", "doc.yaml");
  ASSERT_TRUE(only_warn.Load("a test document").has_value());
  only_warn.Warn({1, 1}, "w");
  EXPECT_TRUE(only_warn.ok());  // warnings do not make a document unusable
}

}  // namespace
}  // namespace blindspot::input

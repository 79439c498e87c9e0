#include "io/json_out.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace blindspot::io_internal {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

// Writes `j` through JsonOut (the reference is nlohmann's own dump).
void Write(JsonOut& o, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object:
      o.BeginObject();
      for (auto it = j.begin(); it != j.end(); ++it) {
        o.Key(it.key());
        Write(o, it.value());
      }
      o.EndObject();
      break;
    case Json::value_t::array:
      o.BeginArray();
      for (const Json& e : j) Write(o, e);
      o.EndArray();
      break;
    case Json::value_t::string:
      o.Str(j.get_ref<const std::string&>());
      break;
    case Json::value_t::boolean:
      o.Bool(j.get<bool>());
      break;
    case Json::value_t::number_unsigned:
      o.Uint(j.get<uint64_t>());
      break;
    case Json::value_t::number_integer:
      o.Int(j.get<int64_t>());
      break;
    default:
      o.Null();
  }
}

std::string Out(const Json& j) {
  std::string s;
  JsonOut o(s);
  Write(o, j);
  return s;
}

TEST(JsonOut, StringsAreEscapedAsNlohmannDoes) {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t",
      std::string("nul \0 unit \x1f del \x7f", 20),
      "\x01\x02\x1b[31m",
      "Ünïcödé € 𝄞",
      "bad \xff byte",
      "truncated \xe2\x82",
      "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80",
  };
  for (const std::string& c : cases) {
    EXPECT_EQ(Out(Json(c)), Dump(Json(c))) << c;
    std::string quoted;
    JsonOut::Quote(quoted, c);
    EXPECT_EQ(quoted, Json(c).dump(-1, ' ', false, Json::error_handler_t::replace)) << c;
  }
  EXPECT_EQ(Out(Json("a\x01")), "\"a\\u0001\"");
  EXPECT_EQ(Out(Json("x\xffy")), "\"x\xef\xbf\xbdy\"");  // U+FFFD
}

TEST(JsonOut, NestingAndEmptyContainersMatchDumpWithIndentTwo) {
  Json j = {{"a", Json::array()},
            {"b", Json::object()},
            {"c", {1, -2, true, nullptr, "s", Json::array(), {{"k", Json::object()}}}},
            {"d", {{"e", {{"f", {{"g", 18446744073709551615ull}}}}}}},
            {"\"key\"\n", INT64_MIN}};
  EXPECT_EQ(Out(j), Dump(j));
  EXPECT_EQ(Out(Json::array()), "[]");
  EXPECT_EQ(Out(Json::object()), "{}");
  EXPECT_EQ(Out(Json(nullptr)), "null");
}

// Random documents of every shape: the bytes equal nlohmann's.
TEST(JsonOut, RandomDocumentsMatchDump) {
  std::mt19937 rng(20261202);
  const std::vector<std::string> words = {"", "x", "tab\t", "\xc3\xa9t\xc3\xa9", "q\"", "\x7f", "\xfe"};
  std::function<Json(int)> make = [&](int depth) -> Json {
    int kind = static_cast<int>(rng() % (depth > 3 ? 5 : 7));
    switch (kind) {
      case 0:
        return nullptr;
      case 1:
        return rng() % 2 == 0;
      case 2:
        return static_cast<int64_t>(rng()) - (1LL << 31);
      case 3:
        return static_cast<uint64_t>(rng()) << 20;
      case 4:
        return words[rng() % words.size()];
      case 5: {
        Json a = Json::array();
        for (unsigned n = rng() % 4; n > 0; --n) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (unsigned n = rng() % 4; n > 0; --n)
          o[words[rng() % words.size()] + std::to_string(n)] = make(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 500; ++i) {
    Json j = make(0);
    ASSERT_EQ(Out(j), Dump(j)) << i;
  }
}

TEST(JsonOut, ConveniencesWriteNullForEmpty) {
  std::string s;
  JsonOut o(s);
  o.BeginObject();
  o.MemberOrNull("a", "");
  o.Key("b"), o.StrListOrNull({});
  o.Key("c"), o.OptBool(std::nullopt);
  o.Key("d"), o.OptBool(false);
  o.Key("e"), o.StrList({"x", "y"});
  o.EndObject();
  EXPECT_EQ(s,
            "{\n  \"a\": null,\n  \"b\": null,\n  \"c\": null,\n  \"d\": false,\n  \"e\": [\n    \"x\",\n    "
            "\"y\"\n  ]\n}");
}

}  // namespace
}  // namespace blindspot::io_internal

// DiffJson and the documented hash of a history entry.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "blindspot/store.h"

namespace blindspot::store {
namespace {

std::vector<FieldChange> Diff(std::string_view a, std::string_view b) {
  auto d = DiffJson(a, b);
  EXPECT_TRUE(d.has_value()) << (d ? "" : d.error().message);
  return d ? *d : std::vector<FieldChange>{};
}

void ExpectChanges(const std::vector<FieldChange>& got, const std::vector<FieldChange>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got[i].path, want[i].path);
    EXPECT_EQ(got[i].old_value, want[i].old_value);
    EXPECT_EQ(got[i].new_value, want[i].new_value);
  }
}

TEST(DiffJson, EqualDocumentsHaveNoChanges) {
  EXPECT_TRUE(
      Diff(R"({"a":1,"b":[1,2],"c":{"d":null}})", R"({ "c": {"d": null}, "b": [1, 2], "a": 1 })").empty());
  EXPECT_TRUE(Diff("", "").empty());
  EXPECT_TRUE(Diff(R"({"n":1})", R"({"n":1.0})").empty());
}

TEST(DiffJson, NestedObjectsByKey) {
  ExpectChanges(Diff(R"({"answers":{"in_use":true,"where":"eu"},"name":"x"})",
                     R"({"answers":{"in_use":false,"since":"2020"},"name":"x"})"),
                {{"answers.in_use", "true", "false"},
                 {"answers.where", "\"eu\"", ""},
                 {"answers.since", "", "\"2020\""}});
}

TEST(DiffJson, ArraysOfObjectsWithIdsById) {
  const std::string old_doc =
      R"({"purposes":[{"id":"p1","lawful_basis":"consent"},{"id":"p2","lawful_basis":"contract"}]})";
  // p1 changed, p2 removed, p3 added.
  ExpectChanges(Diff(old_doc, R"({"purposes":[{"id":"p1","lawful_basis":"legal"},{"id":"p3"}]})"),
                {{"purposes[p1].lawful_basis", "\"consent\"", "\"legal\""},
                 {"purposes[p2]", R"({"id":"p2","lawful_basis":"contract"})", ""},
                 {"purposes[p3]", "", R"({"id":"p3"})"}});
  // From and to an empty list, by id.
  ExpectChanges(Diff(R"({"p":[]})", R"({"p":[{"id":"a"}]})"), {{"p[a]", "", R"({"id":"a"})"}});
  // A change of order alone is a change of the whole list.
  ExpectChanges(Diff(R"({"p":[{"id":"a"},{"id":"b"}]})", R"({"p":[{"id":"b"},{"id":"a"}]})"),
                {{"p", R"([{"id":"a"},{"id":"b"}])", R"([{"id":"b"},{"id":"a"}])"}});
}

TEST(DiffJson, OtherArraysAsAWhole) {
  ExpectChanges(Diff(R"({"c":["nl","de"]})", R"({"c":["nl","be"]})"),
                {{"c", R"(["nl","de"])", R"(["nl","be"])"}});
  // Objects without ids, and duplicate ids, are whole values too.
  ExpectChanges(Diff(R"({"x":[{"a":1}]})", R"({"x":[{"a":2}]})"), {{"x", R"([{"a":1}])", R"([{"a":2}])"}});
  ExpectChanges(Diff(R"({"x":[{"id":"a"},{"id":"a"}]})", R"({"x":[{"id":"a"}]})"),
                {{"x", R"([{"id":"a"},{"id":"a"}])", R"([{"id":"a"}])"}});
}

TEST(DiffJson, TypeChangesAndUnicode) {
  ExpectChanges(Diff(R"({"a":"1","b":{"c":1},"d":null})", R"({"a":1,"b":[1],"d":false})"),
                {{"a", "\"1\"", "1"}, {"b", R"({"c":1})", "[1]"}, {"d", "null", "false"}});
  ExpectChanges(Diff(R"({"naam":"Café"})", R"({"naam":"Café ☕ 𝄞"})"), {{"naam", "\"Café\"", "\"Café ☕ 𝄞\""}});
  // Whole documents appearing and going.
  ExpectChanges(Diff("", R"({"a":1})"), {{"", "", R"({"a":1})"}});
  ExpectChanges(Diff(R"({"a":1})", ""), {{"", R"({"a":1})", ""}});
}

TEST(DiffJson, InvalidJsonIsAParseError) {
  auto d = DiffJson("{", "{}");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().kind, ErrorKind::kParse);
  EXPECT_EQ(DiffJson("{}", "\"\xff\"").error().kind, ErrorKind::kParse);
}

std::string Sha256(const std::string& s) {
  unsigned char d[32];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    hex += "0123456789abcdef"[d[i] >> 4];
    hex += "0123456789abcdef"[d[i] & 15];
  }
  return hex;
}

TEST(HistoryHash, IsTheDocumentedSerialisation) {
  HistoryEntry e;
  e.org_id = "org_0123456789abcdef";
  e.seq = 12;
  e.at = "2026-01-02T03:04:05Z";
  e.actor = "usr_1";
  e.kind = RecordKind::kProcessorRecord;
  e.record_id = "r,1";
  e.version = 3;
  e.field = "a.b";
  e.old_value = "";
  e.new_value = "\"Café\"";
  e.reason = "why:";
  e.prev_hash = std::string(64, '0');
  // docs/formats/history.md: each item as <length>:<bytes>, in this order.
  const std::string canonical =
      "19:blindspot-history-1,20:org_0123456789abcdef,2:12,20:2026-01-02T03:04:05Z,5:usr_1,"
      "16:processor_record,3:r,1,1:3,3:a.b,0:,7:\"Café\",4:why:,64:" +
      std::string(64, '0') + ",";
  EXPECT_EQ(HistoryHash(e), Sha256(canonical));
  HistoryEntry other = e;
  other.reason = "why";
  EXPECT_NE(HistoryHash(other), HistoryHash(e));
}

TEST(Names, RoundTrip) {
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleName(r)), r);
  for (RecordKind k : AllRecordKinds()) EXPECT_EQ(ParseRecordKind(RecordKindName(k)), k);
  EXPECT_EQ(RecordKindList(RecordKind::kActivity), "activities");
  EXPECT_EQ(RecordStatusName(RecordStatus::kInReview), "in_review");
  EXPECT_EQ(ParseRecordStatus("published"), RecordStatus::kPublished);
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_TRUE(IsPostgresUrl("postgresql://u@/db?host=/tmp"));
  EXPECT_TRUE(IsPostgresUrl("host=/tmp port=5 dbname=x"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/blindspot/blindspot.db"));
}

TEST(OpenDb, ErrorsAreValues) {
  auto pg = OpenDb("host=/nonexistent/socket/dir port=1 dbname=x user=x connect_timeout=2");
  ASSERT_FALSE(pg.has_value());
  EXPECT_EQ(pg.error().kind, ErrorKind::kIo);
  EXPECT_NE(pg.error().message.find("PostgreSQL"), std::string::npos) << pg.error().message;
  auto under_file = OpenDb("/dev/null/sub/x.db");
  ASSERT_FALSE(under_file.has_value());
  EXPECT_EQ(under_file.error().kind, ErrorKind::kIo);
  const std::string not_db = std::string(BLINDSPOT_SOURCE_DIR) + "/README.md";
  auto text = OpenDb(not_db);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, ErrorKind::kIo);
  EXPECT_EQ(OpenDb("").error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace blindspot::store

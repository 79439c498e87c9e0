// The size the administration is built for: 10,000 records in one
// organisation. Checks the counts and the chain; the times are printed (the
// machine decides them), not asserted.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "store_test_db.h"

namespace blindspot::store {
namespace {

using test_db::Backend;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

class ScaleTest : public ::testing::TestWithParam<Backend> {};

TEST_P(ScaleTest, TenThousandRecordsInOneOrganisation) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = Store::Open(tdb.url);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  auto org = (*s)->CreateOrg("big");
  ASSERT_TRUE(org.has_value());
  constexpr int kRecords = 10000;
  std::vector<RecordChange> all;
  for (int i = 0; i < kRecords; ++i) {
    const std::string id = "a" + std::to_string(i);
    all.push_back({RecordKind::kActivity, id, 0,
                   R"({"id":")" + id + R"(","name":"Activity )" + std::to_string(i) +
                       R"(","purposes":[{"id":"p1","lawful_basis":"consent"}],"answers":{"in_use":true}})",
                   ""});
  }
  auto t0 = Clock::now();
  auto imported = (*s)->ReplaceRegister(org->id, "cli", all, "import");
  const double import_ms = Ms(Clock::now() - t0);
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  ASSERT_EQ(imported->size(), static_cast<size_t>(kRecords));

  t0 = Clock::now();
  auto list = (*s)->ListRecords(org->id, RecordKind::kActivity);
  const double list_ms = Ms(Clock::now() - t0);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), static_cast<size_t>(kRecords));
  EXPECT_EQ((*list)[9999].id, "a9999");
  EXPECT_EQ((*list)[9999].position, 9999);

  std::vector<double> gets;
  for (int i = 0; i < 500; ++i) {
    t0 = Clock::now();
    auto r = (*s)->GetRecord(org->id, RecordKind::kActivity, "a" + std::to_string((i * 37) % kRecords));
    gets.push_back(Ms(Clock::now() - t0));
    ASSERT_TRUE(r.has_value());
  }
  std::vector<double> updates;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "a" + std::to_string((i * 53) % kRecords);
    t0 = Clock::now();
    auto r = (*s)->ApplyChanges(
        org->id, "u", {{RecordKind::kActivity, id, 1, R"({"id":")" + id + R"(","name":"changed"})", ""}});
    updates.push_back(Ms(Clock::now() - t0));
    ASSERT_TRUE(r.has_value()) << r.error().message;
  }
  t0 = Clock::now();
  auto page = (*s)->History(org->id, Page{0, 100});
  const double history_ms = Ms(Clock::now() - t0);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->front().seq, kRecords + 200 * 3);  // 3 field changes each: name, purposes, answers
  t0 = Clock::now();
  auto check = (*s)->VerifyHistory(org->id);
  const double verify_ms = Ms(Clock::now() - t0);
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE((*check)[0].ok) << (*check)[0].problem;
  EXPECT_EQ((*check)[0].entries, kRecords + 600);

  auto p99 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() * 99 / 100];
  };
  std::printf(
      "[ scale ] %s: import %d records %.0f ms, list %.1f ms, get p99 %.2f ms, update p99 %.2f ms, "
      "history page %.2f ms, verify %d entries %.0f ms\n",
      test_db::BackendName(GetParam()).c_str(), kRecords, import_ms, list_ms, p99(gets), p99(updates),
      history_ms, kRecords + 600, verify_ms);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScaleTest, ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         [](const auto& info) { return test_db::BackendName(info.param); });

}  // namespace
}  // namespace blindspot::store

// Reader "google-ads-userlists" on SYNTHETIC answers (no real Google Ads
// export is in the shared realdata): hand-made after the Google Ads API
// reference "UserList" (REST JSON representation,
// developers.google.com/google-ads/api/rest/reference/rest/v16/UserList;
// UserListTypeEnum, CrmBasedUserListInfo) and the GoogleAdsService
// Search/SearchStream answer shape ({"results": [...]}, a list of batches
// for SearchStream). Ids, names and sizes are invented.
#include <gtest/gtest.h>

#include <string>

#include "blindspot/discovery.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

// SearchStream: SELECT user_list.resource_name, user_list.id, user_list.name, user_list.type,
//   user_list.membership_status, user_list.size_for_display, user_list.size_for_search,
//   user_list.crm_based_user_list.upload_key_type, user_list.crm_based_user_list.data_source_type
//   FROM user_list   (synthetic)
constexpr const char* kStream = R"js([
  {"results": [
    {"userList": {"resourceName": "customers/1234567890/userLists/111", "id": "111",
      "name": "Newsletter subscribers (CRM)", "type": "CRM_BASED", "membershipStatus": "OPEN",
      "sizeForDisplay": "5400", "sizeForSearch": "6100",
      "crmBasedUserList": {"uploadKeyType": "CONTACT_INFO", "dataSourceType": "FIRST_PARTY"}}},
    {"userList": {"resourceName": "customers/1234567890/userLists/222", "id": "222",
      "name": "All visitors (Google Ads)", "type": "REMARKETING", "membershipStatus": "OPEN",
      "sizeForDisplay": "18000"}}
  ], "fieldMask": "userList.resourceName,userList.id,userList.name,userList.type", "requestId": "r1"},
  {"results": [
    {"userList": {"resourceName": "customers/1234567890/userLists/333", "id": "333",
      "name": "Old buyers 2021", "type": "CRM_BASED", "membershipStatus": "CLOSED",
      "closingReason": "UNUSED", "crmBasedUserList": {"uploadKeyType": "CRM_ID"}}},
    {"userList": {"resourceName": "customers/1234567890/userLists/444", "id": "444",
      "name": "Similar to Newsletter subscribers", "type": "SIMILAR", "membershipStatus": "OPEN"}},
    {"customer": {"id": "1234567890"}}
  ], "fieldMask": "userList.id", "requestId": "r2"}
])js";

TEST(GoogleAdsUserLists, RecognisedByContent) {
  EXPECT_EQ(RecogniseDiscovery(kStream, "lists.json")->name, "google-ads-userlists");
  DiscoveryReader r = discover::GoogleAdsUserListsReader();
  EXPECT_EQ(r.recognise(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), 0);
  EXPECT_EQ(r.recognise(R"({"results": [{"campaign": {"id": "1"}}]})", "a.json"), 0);
  EXPECT_EQ(r.recognise("results userList\n", "a.txt"), 0);
}

TEST(GoogleAdsUserLists, CustomerMatchRemarketingClosedAndSimilar) {
  auto rep = discover::GoogleAdsUserListsReader().read(kStream, "lists.json", {});
  ASSERT_TRUE(rep.has_value()) << rep.error().Format();
  const DiscoveryReport& r = *rep;
  EXPECT_EQ(r.reader, "google-ads-userlists");
  EXPECT_EQ(r.subject, "customers/1234567890");
  ASSERT_EQ(r.observations.size(), 4u);
  const Observation& crm = r.observations[0];
  EXPECT_EQ(crm.key, "google-ads:customer_list");
  EXPECT_EQ(crm.subject, "Newsletter subscribers (CRM)");
  EXPECT_EQ(crm.proof, Proof::kInUse);
  EXPECT_EQ(crm.count, 6100u);
  EXPECT_EQ(crm.Attr("size_for_display"), "5400");
  EXPECT_EQ(crm.Attr("upload_key_type"), "CONTACT_INFO");
  EXPECT_EQ(crm.Attr("source"), "customer file, uploaded by the advertiser");
  EXPECT_EQ(crm.location, "batch[0].results[0]");
  EXPECT_EQ(r.observations[1].key, "google-ads:website");
  EXPECT_EQ(r.observations[2].key, "google-ads:customer_list");
  EXPECT_EQ(r.observations[2].proof, Proof::kPaused);  // CLOSED
  EXPECT_EQ(r.observations[2].Attr("closing_reason"), "UNUSED");
  EXPECT_EQ(r.observations[3].key, "google-ads:lookalike");
  ASSERT_EQ(r.warnings.size(), 1u);  // the row without a userList
  EXPECT_EQ(r.warnings[0].where.pointer, "/1/results/2");
}

TEST(GoogleAdsUserLists, SearchAnswerWithSnakeCaseNames) {
  auto rep = discover::GoogleAdsUserListsReader().read(
      R"({"results": [{"user_list": {"resource_name": "customers/42/userLists/1", "name": "Buyers",
          "type": "CRM_BASED", "membership_status": "OPEN", "size_for_search": 900,
          "crm_based_user_list": {"data_source_type": "THIRD_PARTY_CREDIT_BUREAU"}}}],
          "nextPageToken": "abc"})",
      "s.json", {});
  ASSERT_TRUE(rep.has_value()) << rep.error().Format();
  ASSERT_EQ(rep->observations.size(), 1u);
  EXPECT_EQ(rep->observations[0].location, "results[0]");
  EXPECT_EQ(rep->observations[0].count, 900u);
  EXPECT_EQ(rep->observations[0].Attr("source"),
            "customer file, third-party data (THIRD_PARTY_CREDIT_BUREAU)");
  EXPECT_EQ(rep->subject, "customers/42");
  ASSERT_EQ(rep->warnings.size(), 1u);  // a next page not in the file
}

TEST(GoogleAdsUserLists, BadInputIsAnErrorWithLocation) {
  DiscoveryReader r = discover::GoogleAdsUserListsReader();
  auto cut = r.read(std::string(kStream).substr(0, 200), "lists.json", {});
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().kind, ErrorKind::kParse);
  EXPECT_GT(cut.error().where.line, 1u);
  auto other = r.read(R"({"results": [{"campaign": {"id": "1"}}]})", "x.json", {});
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("no result row with a userList"), std::string::npos);
}

}  // namespace
}  // namespace blindspot

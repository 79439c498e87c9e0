// Reader "airbyte-records": the real Airbyte connector records in
// ../shared/realdata/ad-platforms (read in place; expected values are those of
// plan §7.8, written before the reader), synthetic lines for errors, and a
// scan that no member/contact value of the files reaches the observations.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"
#include "discover/discover_test_util.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

using discover::testing::Slurp;

std::string AdFile(const std::string& name) {
  return std::string(BLINDSPOT_REALDATA_DIR) + "/ad-platforms/" + name;
}

DiscoveryReport ReadOk(const std::string& bytes, const std::string& name = "records.jsonl") {
  static const DiscoveryReader reader = discover::AirbyteRecordsReader();
  return discover::testing::ReadOk(reader, bytes, name);
}

DiscoveryReport ReadReal(const std::string& name) {
  std::string bytes = Slurp(AdFile(name));
  EXPECT_FALSE(bytes.empty()) << name;
  const DiscoveryReader* by_content = RecogniseDiscovery(bytes, name);
  EXPECT_NE(by_content, nullptr) << name;
  if (by_content) {
    EXPECT_EQ(by_content->name, "airbyte-records") << name;
  }
  return ReadOk(bytes, name);
}

std::vector<const Observation*> WithKey(const DiscoveryReport& r, const std::string& key) {
  std::vector<const Observation*> out;
  for (const Observation& o : r.observations)
    if (o.key == key) out.push_back(&o);
  return out;
}

const Observation* Named(const DiscoveryReport& r, const std::string& subject) {
  for (const Observation& o : r.observations)
    if (o.subject == subject) return &o;
  return nullptr;
}

std::string AllWarnings(const DiscoveryReport& r) {
  std::string s;
  for (const Error& e : r.warnings) s += e.message + "\n";
  return s;
}

class AirbyteRealData : public ::testing::Test {
 protected:
  void SetUp() override { BLINDSPOT_REQUIRE_REALDATA(); }
};

TEST_F(AirbyteRealData, SnapchatTenCustomerListSegmentsFourUploaded) {
  DiscoveryReport r = ReadReal("airbyte_snapchat-marketing_expected_records.jsonl");
  EXPECT_EQ(r.reader, "airbyte-records");
  EXPECT_EQ(r.subject, "7f064d90-52a1-42db-b25b-7539e663e926");  // the organisation
  auto lists = WithKey(r, "snapchat:customer_list");
  ASSERT_EQ(lists.size(), 10u);
  EXPECT_EQ(r.observations.size(), 10u);
  std::set<std::string> uploaded;
  int empty = 0;
  for (const Observation* o : lists) {
    if (o->proof == Proof::kInUse) {
      uploaded.insert(o->subject);
      EXPECT_EQ(o->Attr("upload_status"), "COMPLETE");
      EXPECT_EQ(o->Attr("retention_days"), "9999");
    } else {
      EXPECT_EQ(o->proof, Proof::kAccountExists) << o->subject;
      EXPECT_EQ(o->Attr("upload_status"), "NO_UPLOAD");
      ++empty;
    }
    EXPECT_EQ(o->Attr("type"), "FIRST_PARTY");
    EXPECT_TRUE(o->location.starts_with("line ")) << o->location;
  }
  EXPECT_EQ(uploaded, (std::set<std::string>{"Audience_Match_Email_Example", "custom_audience",
                                             "custom_audience_3", "custom_audience_4"}));
  EXPECT_EQ(empty, 6);
  const Observation* email = Named(r, "Audience_Match_Email_Example");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->first_date, "2021-07-22");
  EXPECT_EQ(email->Attr("source"), "customer file, uploaded");
  EXPECT_EQ(r.first_date, "2021-07-22");
  EXPECT_EQ(r.last_date, "2021-07-29");
  // Campaigns, ads, creatives, media and the stats streams are counted, not read.
  std::string w = AllWarnings(r);
  EXPECT_NE(w.find("campaigns (5)"), std::string::npos) << w;
  EXPECT_NE(w.find("campaigns_stats_hourly (13)"), std::string::npos) << w;
}

TEST_F(AirbyteRealData, TikTokTwoExpiredAudiencesPerFileReportsAreNotAudiences) {
  for (const char* name : {"airbyte_tiktok-marketing_expected_records.jsonl",
                           "airbyte_tiktok-marketing_expected_records2.jsonl"}) {
    SCOPED_TRACE(name);
    DiscoveryReport r = ReadReal(name);
    ASSERT_EQ(r.observations.size(), 2u);
    const Observation* web = Named(r, "Airbyte");
    const Observation* lead = Named(r, "Airbyte2");
    ASSERT_NE(web, nullptr);
    ASSERT_NE(lead, nullptr);
    EXPECT_EQ(web->key, "tiktok:website");
    EXPECT_EQ(lead->key, "tiktok:engagement");
    for (const Observation* o : {web, lead}) {
      EXPECT_EQ(o->proof, Proof::kPaused);  // is_valid false, expired 2022-10-20
      EXPECT_EQ(o->first_date, "2021-10-20");
      EXPECT_EQ(o->Attr("expires"), "2022-10-20");
      EXPECT_EQ(o->Attr("is_valid"), "false");
    }
    EXPECT_EQ(web->Attr("audience_id"), "125450951");
    std::string w = AllWarnings(r);
    EXPECT_NE(w.find("audience_reports"), std::string::npos) << w;  // counted as not read
  }
  EXPECT_EQ(ReadReal("airbyte_tiktok-marketing_expected_records.jsonl").subject, "7002238017842757633");
}

TEST_F(AirbyteRealData, PinterestOneEngagementAudience) {
  DiscoveryReport r = ReadReal("airbyte_pinterest_expected_records.jsonl");
  ASSERT_EQ(r.observations.size(), 1u);
  const Observation& o = r.observations[0];
  EXPECT_EQ(o.key, "pinterest:engagement");  // not a customer list
  EXPECT_EQ(o.subject, "airbyte audience");
  EXPECT_EQ(o.proof, Proof::kInUse);
  EXPECT_EQ(o.Attr("status"), "TOO_SMALL");
  EXPECT_EQ(r.subject, "549761668032");
}

TEST_F(AirbyteRealData, LinkedInOneBillingAdminOnThreeAccountsNoMatchedAudience) {
  DiscoveryReport r = ReadReal("airbyte_linkedin-ads_expected_records.jsonl");
  EXPECT_EQ(r.subject, "urn:li:organization:64265083");
  ASSERT_EQ(r.observations.size(), 1u);
  const Observation& o = r.observations[0];
  EXPECT_EQ(o.kind, ObservationKind::kAccountAccess);
  EXPECT_EQ(o.key, "linkedin:account_billing_admin");
  EXPECT_EQ(o.subject, "person urn:li:person:HRnXB4kIO7");
  EXPECT_EQ(o.count, 3u);
  EXPECT_EQ(o.Attr("accounts"), "508720451, 508774356, 508777244");
  EXPECT_EQ(o.first_date, "2021-06-14");
  EXPECT_EQ(o.last_date, "2021-08-21");
  EXPECT_TRUE(WithKey(r, "linkedin:customer_list").empty());
  // The Insight Tag conversions are said, not made observations.
  std::string w = AllWarnings(r);
  EXPECT_NE(w.find("3 LinkedIn conversion rules (Insight Tag partner ids 3417636, 3446556)"),
            std::string::npos)
      << w;
}

TEST_F(AirbyteRealData, MailchimpOneListImportedMembersNoDoubleOptIn) {
  DiscoveryReport r = ReadReal("airbyte_mailchimp_expected_records.jsonl");
  ASSERT_EQ(r.observations.size(), 1u);
  const Observation& o = r.observations[0];
  EXPECT_EQ(o.key, "mailchimp:mail_list");
  EXPECT_EQ(o.subject, "Airbyte");
  EXPECT_EQ(o.count, 47u);
  EXPECT_EQ(o.Attr("double_optin"), "false");
  EXPECT_EQ(o.Attr("members_added_by"), "Admin Add 1, Import 1 (of 2 member records in the file)");
  EXPECT_EQ(o.Attr("source"), "members imported from a file");
  EXPECT_EQ(o.Attr("segments"), "Customer (2), Member (0)");
  EXPECT_EQ(o.first_date, "2022-12-27");
  EXPECT_EQ(o.last_date, "2023-11-06");  // last unsubscribe
}

TEST_F(AirbyteRealData, KlaviyoSixListsFiveDoubleOptIn) {
  DiscoveryReport r = ReadReal("airbyte_klaviyo_expected_records.jsonl");
  auto lists = WithKey(r, "klaviyo:mail_list");
  ASSERT_EQ(lists.size(), 6u);  // `lists` and `lists_detailed` name the same six
  EXPECT_EQ(r.observations.size(), 6u);
  int double_optin = 0;
  for (const Observation* o : lists) double_optin += o->Attr("double_optin") == "true";
  EXPECT_EQ(double_optin, 5);
  const Observation* news = Named(r, "Newsletter");
  ASSERT_NE(news, nullptr);
  EXPECT_EQ(news->count, 1u);  // profile_count of lists_detailed
  EXPECT_EQ(news->first_date, "2021-03-31");
  std::string w = AllWarnings(r);
  EXPECT_NE(w.find("profiles (14)"), std::string::npos) << w;
}

// Every string value under a key that holds personal data of a member,
// profile or contact in the real files (and every string with an '@').
void CollectPersonal(const nlohmann::json& j, const std::string& key, std::set<std::string>& out) {
  static const std::set<std::string> keys = {"email",
                                             "email_address",
                                             "full_name",
                                             "FNAME",
                                             "LNAME",
                                             "first_name",
                                             "last_name",
                                             "phone_number",
                                             "phone",
                                             "PHONE",
                                             "addr1",
                                             "address1",
                                             "address2",
                                             "address_line_1",
                                             "address",
                                             "contact_name",
                                             "contact_email",
                                             "contact_phone",
                                             "my_display_name",
                                             "my_invited_email",
                                             "from_email",
                                             "from_name",
                                             "ip_opt",
                                             "ip_signup",
                                             "username",
                                             "contacter",
                                             "telephone_number",
                                             "cellphone_number",
                                             "user",
                                             "title",
                                             "organization",
                                             "zip",
                                             "postal_code",
                                             "latitude",
                                             "longitude"};
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) CollectPersonal(it.value(), it.key(), out);
  } else if (j.is_array()) {
    for (const auto& x : j) CollectPersonal(x, key, out);
  } else if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s.size() >= 4 && (keys.contains(key) || s.find('@') != std::string::npos)) out.insert(s);
  }
}

TEST_F(AirbyteRealData, NoMemberOrContactDataInAnyObservation) {
  size_t checked = 0;
  for (const char* name :
       {"airbyte_klaviyo_expected_records.jsonl", "airbyte_linkedin-ads_expected_records.jsonl",
        "airbyte_mailchimp_expected_records.jsonl", "airbyte_pinterest_expected_records.jsonl",
        "airbyte_snapchat-marketing_expected_records.jsonl",
        "airbyte_tiktok-marketing_expected_records.jsonl",
        "airbyte_tiktok-marketing_expected_records2.jsonl"}) {
    SCOPED_TRACE(name);
    std::string bytes = Slurp(AdFile(name));
    std::set<std::string> personal;
    std::istringstream lines(bytes);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) CollectPersonal(nlohmann::json::parse(line), "", personal);
    checked += personal.size();
    DiscoveryReport r = ReadOk(bytes, name);
    // The LinkedIn person URN is the one pseudonymous id the contract allows.
    personal.erase("urn:li:person:HRnXB4kIO7");
    std::vector<std::string> strings = {r.subject};
    for (const Observation& o : r.observations) {
      strings.insert(strings.end(), {o.key, o.subject, o.detail, o.location});
      strings.insert(strings.end(), o.urls.begin(), o.urls.end());
      for (const auto& [k, v] : o.attrs) strings.insert(strings.end(), {k, v});
    }
    for (const Error& e : r.warnings) strings.insert(strings.end(), {e.message, e.hint});
    for (const std::string& s : strings)
      for (const std::string& p : personal)
        EXPECT_EQ(s.find(p), std::string::npos) << "'" << p << "' in '" << s << "'";
  }
  // The files do hold such values (e-mail addresses, names, phone numbers, addresses).
  EXPECT_GT(checked, 40u);
}

// Synthetic lines (shapes as in the connectors' records above).
TEST(AirbyteRecords, RecognisedByTheFirstRecordNotByName) {
  DiscoveryReader r = discover::AirbyteRecordsReader();
  std::string line = R"({"stream": "audiences", "data": {"audience_id": "1"}, "emitted_at": 1700000000000})";
  EXPECT_GT(r.recognise("\n" + line + "\n", "export.txt"), 0);
  EXPECT_EQ(r.recognise(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), 0);
  EXPECT_EQ(r.recognise("hello\n", "records.jsonl"), 0);
  EXPECT_EQ(r.recognise(R"({"stream": "x", "data": 1, "emitted_at": 1})", "records.jsonl"), 0);
  EXPECT_EQ(r.recognise(R"({"data": [{"id": "1", "subtype": "CUSTOM"}]})", "records.jsonl"), 0);
}

TEST(AirbyteRecords, BadLineIsAnErrorWithItsLine) {
  DiscoveryReader r = discover::AirbyteRecordsReader();
  std::string good = R"({"stream": "lists", "data": {"id": "a"}, "emitted_at": 1})";
  auto cut = r.read(good + "\n\n" + R"({"stream": "lists", "data": {"id": )", "x.jsonl", {});
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().kind, ErrorKind::kParse);
  EXPECT_EQ(cut.error().where.line, 3u);
  EXPECT_NE(cut.error().message.find("cut off"), std::string::npos) << cut.error().message;
  auto other = r.read(good + "\n" + R"({"type": "RECORD"})", "x.jsonl", {});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().where.line, 2u);
  EXPECT_NE(other.error().message.find("not an Airbyte record"), std::string::npos);
  auto deep = r.read(R"({"stream": "s", "data": {"a":)" + std::string(100, '[') + std::string(100, ']') +
                         "}, \"emitted_at\": 1}",
                     "x.jsonl", {});
  ASSERT_FALSE(deep.has_value());
  EXPECT_NE(deep.error().message.find("nested"), std::string::npos);
  EXPECT_FALSE(r.read("\n\n", "x.jsonl", {}).has_value());
}

TEST(AirbyteRecords, TikTokAudiencesCountedOnceAndReportsIgnored) {
  std::string a =
      R"({"stream": "audiences", "data": {"audience_id": "7", "name": "Site visitors", "audience_type": "Website Audience", "create_time": "2024-03-01 10:00:00", "is_valid": true, "expired_time": "2025-03-01 10:00:00"}, "emitted_at": 1709287200000})";
  std::string rep =
      R"({"stream": "ads_audience_reports_daily", "data": {"audience_id": "7"}, "emitted_at": 1709287200000})";
  DiscoveryReport r = ReadOk(a + "\n" + rep + "\n" + a + "\n");
  ASSERT_EQ(r.observations.size(), 1u);
  EXPECT_EQ(r.observations[0].proof, Proof::kInUse);  // valid, and not expired when emitted
  EXPECT_EQ(r.observations[0].location, "line 1");
  std::string w = AllWarnings(r);
  EXPECT_NE(w.find("1 record of 1 stream not read"), std::string::npos) << w;
  EXPECT_NE(w.find("repeated an audience_id"), std::string::npos) << w;
}

// A connector's own output: Airbyte protocol messages, a LOG before the
// records (shape of the Airbyte protocol's AirbyteMessage; synthetic).
TEST(AirbyteRecords, ProtocolMessagesAreReadToo) {
  std::string log = R"({"type": "LOG", "log": {"level": "INFO", "message": "Starting syncing"}})";
  std::string rec =
      R"({"type": "RECORD", "record": {"stream": "audiences", "data": {"id": "5", "name": "Newsletter upload", "ad_account_id": "9", "audience_type": "CUSTOMER_LIST", "status": "READY"}, "emitted_at": 1709287200000}})";
  std::string state = R"({"type": "STATE", "state": {"type": "STREAM"}})";
  std::string text = log + "\n" + rec + "\n" + state + "\n";
  EXPECT_EQ(RecogniseDiscovery(text, "sync.log")->name, "airbyte-records");
  DiscoveryReport r = ReadOk(text);
  ASSERT_EQ(r.observations.size(), 1u);
  EXPECT_EQ(r.observations[0].key, "pinterest:customer_list");
  EXPECT_EQ(r.observations[0].location, "line 2");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(r.warnings[0].note);
  EXPECT_NE(r.warnings[0].message.find("2 Airbyte protocol messages without a record"), std::string::npos);
  EXPECT_EQ(discover::AirbyteRecordsReader().recognise(log + "\n", "x"), 0);  // no record at all
}

TEST(AirbyteRecords, SnapchatPixelSegmentAndPinterestCustomerList) {
  std::string snap =
      R"({"stream": "segments", "data": {"id": "1", "name": "Buyers", "source_type": "PIXEL", "status": "ACTIVE", "created_at": "2024-01-02T00:00:00Z", "updated_at": "2024-02-03T00:00:00Z", "approximate_number_users": 1200}, "emitted_at": 1})";
  std::string pin =
      R"({"stream": "audiences", "data": {"id": "2", "name": "CRM export", "ad_account_id": "9", "audience_type": "CUSTOMER_LIST", "status": "READY", "size": 5000}, "emitted_at": 1})";
  DiscoveryReport r = ReadOk(snap + "\n" + pin + "\n");
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].key, "snapchat:website");
  EXPECT_EQ(r.observations[0].count, 1200u);
  EXPECT_EQ(r.observations[0].proof, Proof::kInUse);
  EXPECT_EQ(r.observations[1].key, "pinterest:customer_list");
  EXPECT_EQ(r.observations[1].count, 5000u);
  EXPECT_EQ(r.first_date, "2024-01-02");
  EXPECT_EQ(r.last_date, "2024-02-03");
  EXPECT_TRUE(r.warnings.empty()) << AllWarnings(r);
}

}  // namespace
}  // namespace blindspot

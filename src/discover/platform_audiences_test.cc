// Reader "platform-audiences" on SYNTHETIC answers (no real answer of these
// APIs is in the shared realdata; the Airbyte records there hold the same
// objects): hand-made after Snap's Marketing API "Customer Lists" page
// (developers.snap.com/api/marketing-api/Ads-API/customer-lists), Pinterest
// API v5 "List audiences" (Audience model), Mailchimp Marketing API
// "Lists/Audiences", Klaviyo API "Get Lists", LinkedIn Marketing API "DMP
// Segments" (the find-by-account answer of LinkedIn's versioned-API Postman
// collection) and X Ads API "Custom Audiences". Ids, names and counts are
// invented.
#include <gtest/gtest.h>

#include <string>

#include "blindspot/discovery.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

DiscoveryReport Read(const std::string& text) {
  const DiscoveryReader* r = RecogniseDiscovery(text, "answer.json");
  EXPECT_NE(r, nullptr);
  if (!r) return {};
  EXPECT_EQ(r->name, "platform-audiences");
  auto rep = r->read(text, "answer.json", {});
  EXPECT_TRUE(rep.has_value()) << (rep ? "" : rep.error().Format());
  return rep ? *rep : DiscoveryReport{};
}

TEST(PlatformAudiences, SnapchatSegmentsAnswer) {
  DiscoveryReport r = Read(R"({"request_status": "SUCCESS", "request_id": "abc",
    "segments": [
      {"sub_request_status": "SUCCESS", "segment": {"id": "111", "name": "Klanten NL",
        "ad_account_id": "8adc3db7-0000-4fbf-999c-8d2266369d74", "source_type": "FIRST_PARTY",
        "retention_in_days": 9999, "approximate_number_users": 15000, "status": "ACTIVE",
        "upload_status": "COMPLETE", "targetable_status": "READY",
        "created_at": "2024-02-01T10:00:00.000Z", "updated_at": "2024-03-01T10:00:00.000Z"}},
      {"sub_request_status": "SUCCESS", "segment": {"id": "112", "name": "Empty list",
        "ad_account_id": "8adc3db7-0000-4fbf-999c-8d2266369d74", "source_type": "FIRST_PARTY",
        "upload_status": "NO_UPLOAD", "status": "ACTIVE"}}
    ]})");
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.subject, "8adc3db7-0000-4fbf-999c-8d2266369d74");
  EXPECT_EQ(r.observations[0].key, "snapchat:customer_list");
  EXPECT_EQ(r.observations[0].proof, Proof::kInUse);
  EXPECT_EQ(r.observations[0].count, 15000u);
  EXPECT_EQ(r.observations[0].location, "segments[0]");
  EXPECT_EQ(r.observations[1].proof, Proof::kAccountExists);  // nothing uploaded
  EXPECT_EQ(r.first_date, "2024-02-01");
  EXPECT_EQ(r.last_date, "2024-03-01");
}

TEST(PlatformAudiences, PinterestAudiencesAnswerWithANextPage) {
  DiscoveryReport r = Read(R"({"items": [
      {"type": "audience", "id": "2542620000001", "name": "CRM upload", "ad_account_id": "549760000001",
       "audience_type": "CUSTOMER_LIST", "status": "READY", "size": 4200,
       "created_timestamp": 1704448800, "updated_timestamp": 1706745600},
      {"type": "audience", "id": "2542620000002", "name": "Site visitors", "ad_account_id": "549760000001",
       "audience_type": "VISITOR", "status": "READY"}],
    "bookmark": "Y2JVSG81V2sxcmNHRlpWM1J2VFVac1ZWTnJaR2hXYkVwRldWVmtZV1F3TVVkWFZGcFlWbTFvVkZWdGVIZGpNVkpGVW0xR1UxWnFRakpVVlU="})");
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].key, "pinterest:customer_list");
  EXPECT_EQ(r.observations[0].count, 4200u);
  EXPECT_EQ(r.observations[0].first_date, "2024-01-05");
  EXPECT_EQ(r.observations[0].last_date, "2024-02-01");
  EXPECT_EQ(r.observations[1].key, "pinterest:website");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].where.pointer, "/bookmark");
}

TEST(PlatformAudiences, MailchimpListsAndKlaviyoLists) {
  DiscoveryReport m = Read(R"({"lists": [{"id": "a1b2c3d4e5", "name": "Nieuwsbrief", "double_optin": true,
      "date_created": "2023-04-01T09:00:00+00:00",
      "stats": {"member_count": 1250, "last_sub_date": "2024-05-01T08:00:00+00:00"}}],
    "total_items": 3})");
  ASSERT_EQ(m.observations.size(), 1u);
  EXPECT_EQ(m.observations[0].key, "mailchimp:mail_list");
  EXPECT_EQ(m.observations[0].count, 1250u);
  EXPECT_EQ(m.observations[0].Attr("double_optin"), "true");
  EXPECT_EQ(m.observations[0].Attr("members_added_by"), "");  // members are not in this answer
  EXPECT_EQ(m.observations[0].last_date, "2024-05-01");
  ASSERT_EQ(m.warnings.size(), 1u);  // 3 lists in all, 1 here
  EXPECT_NE(m.warnings[0].message.find("3 lists in all (1 here)"), std::string::npos);

  DiscoveryReport k = Read(R"({"data": [{"type": "list", "id": "Y6nRLr", "attributes": {"name": "Newsletter",
      "created": "2022-01-10T10:00:00+00:00", "updated": "2023-01-10T10:00:00+00:00",
      "opt_in_process": "single_opt_in"}, "links": {"self": "https://a.klaviyo.com/api/lists/Y6nRLr/"}}],
    "links": {"self": "https://a.klaviyo.com/api/lists/", "next": null, "prev": null}})");
  ASSERT_EQ(k.observations.size(), 1u);
  EXPECT_EQ(k.observations[0].key, "klaviyo:mail_list");
  EXPECT_EQ(k.observations[0].Attr("double_optin"), "false");
  EXPECT_EQ(k.observations[0].location, "data[0]");
  EXPECT_TRUE(k.warnings.empty());
}

// LinkedIn DMP segments: a USER segment is a contact list (Matched
// Audiences); a COMPANY segment lists companies, no person; an expired one is
// paused. More segments than the page holds is a warning.
TEST(PlatformAudiences, LinkedInDmpSegments) {
  DiscoveryReport r = Read(R"({"paging": {"start": 0, "count": 10, "links": [], "total": 3},
    "elements": [
      {"created": 1709460000000, "lastModified": 1712000000000, "name": "Klanten 2024", "type": "USER",
       "sourcePlatform": "LIST_UPLOAD", "accessPolicy": "PRIVATE", "id": 9821736,
       "account": "urn:li:sponsoredAccount:508123456", "inputCount": 4200,
       "destinations": [{"destination": "LINKEDIN", "status": "READY", "matchedCount": 2900,
                         "audienceSize": 3100, "destinationSegmentId": "urn:li:adSegment:8596576"}]},
      {"created": 1683068124000, "name": "Doelbedrijven", "type": "COMPANY", "sourcePlatform": "HUBSPOT",
       "id": 17667093, "account": "urn:li:sponsoredAccount:508123456",
       "destinations": [{"destination": "LINKEDIN", "status": "EXPIRED"}]}
    ]})");
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.subject, "urn:li:sponsoredAccount:508123456");
  const Observation& list = r.observations[0];
  EXPECT_EQ(list.kind, ObservationKind::kAudience);
  EXPECT_EQ(list.key, "linkedin:customer_list");
  EXPECT_EQ(list.subject, "Klanten 2024");
  EXPECT_EQ(list.proof, Proof::kInUse);
  EXPECT_EQ(list.first_date, "2024-03-03");
  EXPECT_EQ(list.count, 2900u);
  EXPECT_EQ(list.detail, "LinkedIn DMP segment, type USER, list upload, status READY");
  EXPECT_EQ(list.location, "elements[0]");
  const Observation& companies = r.observations[1];
  EXPECT_EQ(companies.key, "linkedin:other");
  EXPECT_EQ(companies.proof, Proof::kPaused);
  EXPECT_EQ(companies.detail, "LinkedIn DMP segment, type COMPANY, streamed from HUBSPOT, status EXPIRED");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("3 segments in all (2 here)"), std::string::npos);
}

// X custom audiences: CRM is an uploaded list; WEB comes from the website
// tag; a deleted one is paused.
TEST(PlatformAudiences, XCustomAudiences) {
  DiscoveryReport r = Read(R"({"request": {"params": {"account_id": "18ce54d4x5t"}},
    "next_cursor": "8x7v00oow", "data": [
      {"targetable": true, "name": "Nieuwsbriefabonnees", "targetable_types": ["CRM", "EXCLUDED_CRM"],
       "audience_type": "CRM", "id": "1nmth", "reasons_not_targetable": [], "audience_size": 12000,
       "created_at": "2024-05-02T09:00:00Z", "updated_at": "2024-06-01T09:00:00Z", "deleted": false,
       "partner_source": "OTHER", "permission_level": "READ_WRITE", "owner_account_id": "18ce54d4x5t"},
      {"targetable": false, "name": "Bezoekers", "audience_type": "WEB", "id": "1nmti",
       "created_at": "2023-01-10T09:00:00Z", "updated_at": "2023-02-01T09:00:00Z", "deleted": true}
    ]})");
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].key, "x:customer_list");
  EXPECT_EQ(r.observations[0].subject, "Nieuwsbriefabonnees");
  EXPECT_EQ(r.observations[0].proof, Proof::kInUse);
  EXPECT_EQ(r.observations[0].first_date, "2024-05-02");
  EXPECT_EQ(r.observations[0].count, 12000u);
  EXPECT_EQ(r.observations[1].key, "x:website");
  EXPECT_EQ(r.observations[1].proof, Proof::kPaused);
  EXPECT_EQ(r.observations[1].detail, "X custom audience, type WEB, deleted, not targetable");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("next_cursor"), std::string::npos);
}

TEST(PlatformAudiences, OtherJsonIsNotTakenAndBadInputIsLocated) {
  DiscoveryReader r = discover::PlatformAudiencesReader();
  EXPECT_EQ(r.recognise(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), 0);
  EXPECT_EQ(r.recognise(R"({"data": [{"type": "profile", "id": "1", "attributes": {}}]})", "p.json"), 0);
  EXPECT_EQ(r.recognise(R"({"items": [{"type": "pin", "id": "1"}]})", "p.json"), 0);
  EXPECT_EQ(r.recognise(R"({"data": [{"id": "1", "subtype": "CUSTOM", "approximate_count": 5}]})", "m.json"),
            0);
  auto cut = r.read(R"({"lists": [{"id": "a", "name": )", "x.json", {});
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().where.line, 1u);
  EXPECT_NE(cut.error().message.find("cut off"), std::string::npos);
}

}  // namespace
}  // namespace blindspot

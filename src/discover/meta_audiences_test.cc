// Reader "meta-audiences" on SYNTHETIC answers (no real Meta export is in the
// shared realdata): hand-made after Meta's Marketing API reference pages
// "Custom Audience" (developers.facebook.com/docs/marketing-api/reference/custom-audience),
// "Custom Audience Data Source" (.../reference/custom-audience-data-source/)
// and "Ad Account Agencies" (.../reference/ad-account/agencies/); field
// values as the references and Meta's Business SDK list them. Ids, names and
// counts are invented.
#include <gtest/gtest.h>

#include <string>

#include "blindspot/discovery.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

// GET act_1234567890/customaudiences?fields=id,account_id,name,subtype,customer_file_source,
//   data_source,approximate_count_lower_bound,approximate_count_upper_bound,operation_status,
//   delivery_status,retention_days,time_created,time_updated   (synthetic)
constexpr const char* kAudiences = R"({
  "data": [
    {"id": "23850000000000001", "account_id": "1234567890", "name": "Klanten 2024",
     "subtype": "CUSTOM", "customer_file_source": "USER_PROVIDED_ONLY",
     "data_source": {"type": "FILE_IMPORTED", "sub_type": "HASHES"},
     "approximate_count_lower_bound": 12000, "approximate_count_upper_bound": 14100,
     "operation_status": {"code": 200, "description": "Normal"},
     "delivery_status": {"code": 200, "description": "This audience is ready for use."},
     "time_created": 1704448800, "time_updated": 1717236000},
    {"id": "23850000000000002", "account_id": "1234567890", "name": "Partner leads",
     "subtype": "CUSTOM", "customer_file_source": "PARTNER_PROVIDED_ONLY",
     "data_source": {"type": "THIRD_PARTY_IMPORTED", "sub_type": "HASHES"},
     "approximate_count_lower_bound": 3000, "time_created": 1706745600, "time_updated": 1706745600},
    {"id": "23850000000000003", "account_id": "1234567890", "name": "Site visitors 30d",
     "subtype": "WEBSITE", "data_source": {"type": "EVENT_BASED", "sub_type": "WEB_PIXEL_HITS"},
     "retention_days": 30, "approximate_count_lower_bound": 45000, "time_created": 1700000000,
     "time_updated": 1700000000},
    {"id": "23850000000000004", "account_id": "1234567890", "name": "Lookalike NL 1%",
     "subtype": "LOOKALIKE", "data_source": {"type": "SEED_BASED"}, "time_created": 1701000000},
    {"id": "23850000000000005", "account_id": "1234567890", "name": "Pharmacy buyers",
     "subtype": "CUSTOM", "customer_file_source": "USER_PROVIDED_ONLY",
     "operation_status": {"code": 471, "description": "restricted"}, "time_created": 1757000000}
  ],
  "paging": {"cursors": {"before": "QVFIUa", "after": "QVFIUb"},
             "next": "https://graph.facebook.com/v25.0/act_1234567890/customaudiences?after=QVFIUb"}
})";

// GET act_1234567890/agencies?fields=id,name,access_status,access_requested_time,
//   access_updated_time,permitted_tasks   (synthetic)
constexpr const char* kAgencies = R"({
  "data": [
    {"id": "900000000000001", "name": "Voorbeeld Media B.V.", "access_status": "CONFIRMED",
     "access_requested_time": "2023-05-02T09:00:00+0000", "access_updated_time": "2023-05-03T10:00:00+0000",
     "permitted_tasks": ["ADVERTISE", "ANALYZE"]},
    {"id": "900000000000002", "name": "Beispiel Agentur GmbH", "access_status": "PENDING",
     "access_requested_time": "2024-11-20T08:00:00+0000"}
  ],
  "paging": {"cursors": {"before": "a", "after": "b"}}
})";

TEST(MetaAudiences, RecognisedByContent) {
  EXPECT_EQ(RecogniseDiscovery(kAudiences, "export.json")->name, "meta-audiences");
  EXPECT_EQ(RecogniseDiscovery(kAgencies, "x.json")->name, "meta-audiences");
  DiscoveryReader r = discover::MetaAudiencesReader();
  EXPECT_EQ(r.recognise(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), 0);
  EXPECT_EQ(r.recognise(R"({"data": [], "paging": {}})", "a.json"), 0);
  EXPECT_EQ(r.recognise(R"({"stream": "x", "data": {"subtype": "CUSTOM"}, "emitted_at": 1})", "a.jsonl"), 0);
  EXPECT_EQ(r.recognise("subtype data\n", "a.txt"), 0);
}

TEST(MetaAudiences, CustomerFilesWebsiteLookalikeAndTheSensitiveFlag) {
  auto rep = discover::MetaAudiencesReader().read(kAudiences, "ca.json", {});
  ASSERT_TRUE(rep.has_value()) << rep.error().Format();
  const DiscoveryReport& r = *rep;
  EXPECT_EQ(r.reader, "meta-audiences");
  EXPECT_EQ(r.subject, "act_1234567890");
  ASSERT_EQ(r.observations.size(), 5u);
  const Observation& own = r.observations[0];
  EXPECT_EQ(own.kind, ObservationKind::kAudience);
  EXPECT_EQ(own.key, "meta:customer_list");
  EXPECT_EQ(own.subject, "Klanten 2024");
  EXPECT_EQ(own.proof, Proof::kInUse);
  EXPECT_EQ(own.count, 12000u);  // the lower bound
  EXPECT_EQ(own.Attr("size"), "12000 - 14100");
  EXPECT_EQ(own.Attr("source"), "customer file, uploaded by the advertiser");
  EXPECT_EQ(own.Attr("data_source"), "FILE_IMPORTED/HASHES");
  EXPECT_EQ(own.first_date, "2024-01-05");
  EXPECT_EQ(own.last_date, "2024-06-01");
  EXPECT_EQ(own.location, "data[0]");
  EXPECT_EQ(r.observations[1].key, "meta:customer_list");
  EXPECT_EQ(r.observations[1].Attr("source"), "customer file, provided by a partner");
  EXPECT_EQ(r.observations[2].key, "meta:website");
  EXPECT_EQ(r.observations[2].Attr("retention_days"), "30");
  EXPECT_EQ(r.observations[3].key, "meta:lookalike");
  EXPECT_EQ(r.observations[4].Attr("flagged").find("operation_status 471") != std::string_view::npos, true);
  EXPECT_EQ(r.observations[0].Attr("flagged"), "");
  EXPECT_EQ(r.first_date, "2023-11-14");
  EXPECT_EQ(r.last_date, "2025-09-04");
  // One page of several: said.
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].where.pointer, "/paging/next");
  EXPECT_TRUE(r.warnings[0].warning);
}

TEST(MetaAudiences, AgenciesAreAccountAccessByBusinessName) {
  auto rep = discover::MetaAudiencesReader().read(kAgencies, "ag.json", {});
  ASSERT_TRUE(rep.has_value()) << rep.error().Format();
  ASSERT_EQ(rep->observations.size(), 2u);
  const Observation& a = rep->observations[0];
  EXPECT_EQ(a.kind, ObservationKind::kAccountAccess);
  EXPECT_EQ(a.key, "meta:agency");
  EXPECT_EQ(a.subject, "Voorbeeld Media B.V.");
  EXPECT_EQ(a.proof, Proof::kInUse);
  EXPECT_EQ(a.Attr("permitted_tasks"), "ADVERTISE, ANALYZE");
  EXPECT_EQ(a.first_date, "2023-05-02");
  EXPECT_EQ(a.last_date, "2023-05-03");
  EXPECT_EQ(rep->observations[1].proof, Proof::kConfigured);  // access requested, not confirmed
  EXPECT_TRUE(rep->warnings.empty());
}

TEST(MetaAudiences, BadInputIsAnErrorWithLocation) {
  DiscoveryReader r = discover::MetaAudiencesReader();
  auto cut = r.read(std::string(kAudiences).substr(0, 300), "ca.json", {});
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().kind, ErrorKind::kParse);
  EXPECT_GT(cut.error().where.line, 1u);
  EXPECT_NE(cut.error().message.find("cut off"), std::string::npos) << cut.error().message;
  auto other = r.read(R"({"data": [{"id": "1", "name": "x"}]})", "x.json", {});
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("not a Meta custom audiences or agencies answer"), std::string::npos);
}

}  // namespace
}  // namespace blindspot

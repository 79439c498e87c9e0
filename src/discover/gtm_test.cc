// Reader "gtm": the real container export (../shared/realdata/gtm, read in
// place; expectations written by hand from the file, research plan §7.7) and
// synthetic exports written here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"
#include "discover/discover_test_util.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

using discover::testing::ReadRealFile;

const DiscoveryReader& Gtm() {
  static const DiscoveryReader r = discover::GtmReader();
  return r;
}

DiscoveryReport ReadOk(std::string_view bytes, const std::string& file = "container.json") {
  return discover::testing::ReadOk(Gtm(), bytes, file);
}

TEST(GtmRealData, AnalyzifyKitTwelveGoogleTagsWithPlaceholders) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::string path = "gtm/analyzify_gtm-kit_GTM-K2W53WLF.json";
  std::string bytes = ReadRealFile(path);
  ASSERT_FALSE(bytes.empty());
  const DiscoveryReader* found = RecogniseDiscovery(bytes, "analyzify_gtm-kit_GTM-K2W53WLF.json");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->name, "gtm");

  DiscoveryReport r = ReadOk(bytes, path);
  EXPECT_EQ(r.reader, "gtm");
  EXPECT_EQ(r.subject, "GTM-K2W53WLF");
  EXPECT_EQ(r.first_date, "2025-06-26");
  EXPECT_EQ(r.last_date, "2025-06-26");
  ASSERT_EQ(r.observations.size(), 12u);

  std::map<std::string, int> by_type;
  for (const Observation& o : r.observations) {
    EXPECT_EQ(o.kind, ObservationKind::kTagConfigured);
    EXPECT_EQ(o.proof, Proof::kConfigured) << o.subject;  // none paused
    EXPECT_EQ(o.Attr("consent"), "not set") << o.subject;
    EXPECT_EQ(o.Attr("tag_id"), "") << o.subject;     // every id is a placeholder
    EXPECT_EQ(o.Attr("container"), "") << o.subject;  // a web container
    EXPECT_EQ(o.Attr("container_version"), "workspace (not a published version)");
    EXPECT_EQ(o.first_date, "2025-06-26");
    EXPECT_TRUE(o.urls.empty()) << o.subject;
    EXPECT_FALSE(o.location.empty());
    ++by_type[o.key];
  }
  // Google products only: no Meta, TikTok or other template or custom code.
  std::map<std::string, int> expected{{"googtag", 2}, {"gclidw", 1}, {"sp", 2},
                                      {"awct", 3},    {"awud", 1},   {"gaawe", 3}};
  EXPECT_EQ(by_type, expected);

  auto find = [&](std::string_view name) -> const Observation* {
    for (const Observation& o : r.observations)
      if (o.subject == name) return &o;
    return nullptr;
  };
  const Observation* linker = find("002.01 - GAds - Conversion Linker");
  ASSERT_NE(linker, nullptr);
  EXPECT_EQ(linker->key, "gclidw");
  EXPECT_EQ(linker->location, "tag[2]");
  EXPECT_EQ(linker->Attr("trigger"), "Initialization - All Pages");  // built-in trigger 2147479573

  const Observation* enhanced = find("002.03.04 - GAds - Enhanced - purchase");
  ASSERT_NE(enhanced, nullptr);
  EXPECT_EQ(enhanced->key, "awud");
  EXPECT_EQ(enhanced->Attr("user_data"), "email, phone_number");  // the awec variable's fields
  EXPECT_EQ(enhanced->Attr("trigger"), "cEv - ee_purchase");

  // GA4 events that use the event settings variable (type gtes) send user_data too.
  const Observation* ecom = find("001.02 - GA4 - Event - eCom Events - purchase");
  ASSERT_NE(ecom, nullptr);
  EXPECT_EQ(ecom->Attr("user_data"), "email, phone_number");
  const Observation* pageview = find("001.02 - GA4 - Event - Pageview");
  ASSERT_NE(pageview, nullptr);
  EXPECT_EQ(pageview->Attr("user_data"), "");  // no event settings variable
  const Observation* remarketing = find("002.01 - GAds - Configuration");
  ASSERT_NE(remarketing, nullptr);
  EXPECT_EQ(remarketing->Attr("user_data"), "");

  // One warning for the whole kit, not one per tag.
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(r.warnings[0].warning);
  EXPECT_NE(r.warnings[0].message.find("account ids are placeholders"), std::string::npos);
  EXPECT_EQ(r.warnings[0].where.file, path);
}

// Each of the three readers of this task takes its own real files and none of
// the others: HARs, DNS zones, DMARC reports, ad-platform exports, the rule
// lists and the OneTrust ruleset.
TEST(GtmRealData, TagAndConsentReadersTakeOnlyTheirOwnFiles) {
  BLINDSPOT_REQUIRE_REALDATA();
  const DiscoveryReader readers[] = {discover::GtmReader(), discover::CmpCookiebotReader(),
                                     discover::CmpOnetrustReader()};
  auto own = [](const std::string& name) -> std::string_view {
    if (name.starts_with("analyzify_gtm-kit")) return "gtm";
    if (name.starts_with("cookiebot_cc_")) return "cmp-cookiebot";
    if (name.starts_with("onetrust_domaindata_")) return "cmp-onetrust";
    return {};
  };
  size_t files = 0;
  for (const char* dir : {"har", "dns", "dmarc", "ad-platforms", "cookie-declarations", "gtm"}) {
    std::filesystem::path folder = std::filesystem::path(BLINDSPOT_REALDATA_DIR) / dir;
    if (!std::filesystem::is_directory(folder)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      std::string name = entry.path().filename().string();
      std::string bytes = ReadRealFile(std::string(dir) + "/" + name);
      ++files;
      for (const DiscoveryReader& r : readers) {
        int score = r.recognise(bytes, name);
        if (own(name) == r.name)
          EXPECT_GT(score, 50) << r.name << " " << name;
        else
          EXPECT_EQ(score, 0) << r.name << " " << name;
      }
    }
  }
  EXPECT_GT(files, 30u);
}

// Synthetic: a server-side container following the field names of the Tag
// Manager API v2 resources (Tag, Trigger, Variable, CustomTemplate:
// developers.google.com/tag-platform/tag-manager/api/reference/rest/v2).
// The ids are made up.
constexpr std::string_view kSynthetic = R"({
  "exportFormatVersion": 2,
  "exportTime": "2024-03-05 10:00:00",
  "containerVersion": {
    "containerId": "555",
    "containerVersionId": "7",
    "container": {"publicId": "GTM-SYNTH1", "usageContext": ["SERVER"]},
    "tag": [
      {"tagId": "1", "name": "Ads conversion", "type": "awct",
       "parameter": [{"type": "TEMPLATE", "key": "conversionId", "value": "{{Ads id}}"},
                     {"type": "TEMPLATE", "key": "conversionLabel", "value": "abc"}],
       "firingTriggerId": ["10"], "blockingTriggerId": ["11"],
       "consentSettings": {"consentStatus": "NEEDED",
         "consentType": {"type": "LIST", "list": [{"type": "TEMPLATE", "value": "ad_storage"},
                                                  {"type": "TEMPLATE", "value": "ad_user_data"}]}}},
      {"tagId": "2", "name": "GA4", "type": "googtag", "paused": true,
       "parameter": [{"type": "TEMPLATE", "key": "tagId", "value": "G-ABC123XYZ9"}],
       "firingTriggerId": ["2147479553"], "consentSettings": {"consentStatus": "notNeeded"}},
      {"tagId": "3", "name": "Pixel code", "type": "html",
       "parameter": [{"type": "TEMPLATE", "key": "html",
         "value": "<script src=\"https://connect.example-pixel.com/en_US/events.js\"></script><noscript><img src=\"//px.example-ads.net/tr?id=1&ev=PageView\"/></noscript>"}],
       "firingTriggerId": ["99"]},
      {"tagId": "4", "name": "Vendor template", "type": "cvt_555_12",
       "firingTriggerId": ["2147479572"]},
      {"tagId": "5", "name": "Own template", "type": "cvt_555_13"},
      {"tagId": "6", "name": "broken"}
    ],
    "trigger": [{"triggerId": "10", "name": "Purchase", "type": "CUSTOM_EVENT"},
                {"triggerId": "11", "name": "No consent", "type": "CUSTOM_EVENT"}],
    "variable": [{"name": "Ads id", "type": "c", "parameter": [{"type": "TEMPLATE", "key": "value", "value": "123456789"}]}],
    "customTemplate": [
      {"containerId": "555", "templateId": "12", "name": "Example Pixel",
       "galleryReference": {"host": "github.com", "owner": "ExampleVendor", "repository": "gtm-pixel-template"}},
      {"containerId": "555", "templateId": "13", "name": "Home made"}
    ]
  }
})";

TEST(Gtm, SyntheticServerContainer) {
  EXPECT_EQ(RecogniseDiscovery(kSynthetic, "x.json")->name, "gtm");
  DiscoveryReport r = ReadOk(kSynthetic);
  EXPECT_EQ(r.subject, "GTM-SYNTH1");
  EXPECT_EQ(r.first_date, "2024-03-05");
  ASSERT_EQ(r.observations.size(), 5u);  // the tag without a type is skipped with a warning

  const Observation& ads = r.observations[0];
  EXPECT_EQ(ads.key, "awct");
  EXPECT_EQ(ads.proof, Proof::kConfigured);
  EXPECT_EQ(ads.Attr("consent"), "needed: ad_storage, ad_user_data");
  EXPECT_EQ(ads.Attr("tag_id"), "AW-123456789");  // a constant variable holding the conversion number
  EXPECT_EQ(ads.Attr("trigger"), "Purchase");
  EXPECT_EQ(ads.Attr("blocking_trigger"), "No consent");
  EXPECT_EQ(ads.Attr("container"), "server");
  EXPECT_EQ(ads.Attr("container_version"), "7");
  EXPECT_EQ(ads.location, "tag[0]");

  const Observation& ga = r.observations[1];
  EXPECT_EQ(ga.proof, Proof::kPaused);
  EXPECT_EQ(ga.Attr("consent"), "not needed");  // the API's camelCase value
  EXPECT_EQ(ga.Attr("tag_id"), "G-ABC123XYZ9");
  EXPECT_EQ(ga.Attr("trigger"), "All Pages");

  const Observation& html = r.observations[2];
  EXPECT_EQ(html.key, "html");
  ASSERT_EQ(html.urls.size(), 2u);
  EXPECT_EQ(html.urls[0], "https://connect.example-pixel.com/en_US/events.js");
  EXPECT_EQ(html.urls[1], "https://px.example-ads.net/tr?id=1&ev=PageView");
  EXPECT_EQ(html.Attr("trigger"), "trigger 99");

  EXPECT_EQ(r.observations[3].key, "template:github.com/examplevendor/gtm-pixel-template");
  EXPECT_EQ(r.observations[3].Attr("template"), "Example Pixel");
  EXPECT_EQ(r.observations[3].Attr("trigger"), "Consent Initialization - All Pages");
  EXPECT_EQ(r.observations[4].key, "cvt_555_13");  // no gallery reference: the type itself
  EXPECT_EQ(r.observations[4].Attr("consent"), "not set");
  EXPECT_EQ(r.observations[4].Attr("trigger"), "none");

  bool skipped = false, unknown_trigger = false;
  for (const Error& w : r.warnings) {
    EXPECT_TRUE(w.warning);
    skipped |= w.message.find("tag[5] has no type") != std::string::npos;
    unknown_trigger |= w.message.find("99") != std::string::npos;
    EXPECT_EQ(w.message.find("placeholder"), std::string::npos) << w.message;
  }
  EXPECT_TRUE(skipped);
  EXPECT_TRUE(unknown_trigger);
}

TEST(Gtm, PlaceholderIdsGiveOneWarning) {
  constexpr std::string_view kKit = R"({"exportFormatVersion": 2, "containerVersion": {"tag": [
    {"name": "a", "type": "awct", "parameter": [{"type": "TEMPLATE", "key": "conversionId", "value": "AW-XXXXXXXXX"}]},
    {"name": "b", "type": "googtag", "parameter": [{"type": "TEMPLATE", "key": "tagId", "value": "G-XXXXXXX"}]}]}})";
  DiscoveryReport r = ReadOk(kKit);
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].Attr("tag_id"), "");
  EXPECT_EQ(r.observations[1].Attr("tag_id"), "");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("account ids are placeholders"), std::string::npos);
}

TEST(Gtm, CutOffFileIsAnErrorWithLineAndColumn) {
  std::string cut(kSynthetic.substr(0, 400));
  auto r = Gtm().read(cut, "cut.json", DiscoveryOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_EQ(r.error().where.file, "cut.json");
  EXPECT_GT(r.error().where.line, 1u);
  EXPECT_GT(r.error().where.column, 0u);
  EXPECT_NE(r.error().message.find("cut off"), std::string::npos) << r.error().message;
}

TEST(Gtm, NotAContainerIsAnError) {
  auto r = Gtm().read(R"({"exportFormatVersion": 2})", "x.json", DiscoveryOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.pointer, "/containerVersion");
  std::string deep(500, '[');
  auto d = Gtm().read("{\"containerVersion\": " + deep, "deep.json", DiscoveryOptions{});
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("nested deeper"), std::string::npos);
}

TEST(Gtm, RecognisesOnlyContainers) {
  EXPECT_EQ(Gtm().recognise(R"({"log":{"version":"1.2","entries":[]}})", "x.har"), 0);
  // A HAR that captured an export still is a HAR: the keys are inside a string.
  EXPECT_EQ(
      Gtm().recognise(
          R"({"log":{"entries":[{"response":{"content":{"text":"{\"containerVersion\":{}}"}}}]}})", "x.har"),
      0);
  EXPECT_EQ(Gtm().recognise("hello world", "container.json"), 0);
  EXPECT_EQ(Gtm().recognise(R"({"DomainData": {"Groups": [{"OptanonGroupId": "1"}]}})", "x.json"), 0);
  EXPECT_EQ(Gtm().recognise("CookieConsentDialog.cookieTableNecessary = [];", "cc.js"), 0);
  EXPECT_GT(Gtm().recognise(kSynthetic, "x"), 50);
}

}  // namespace
}  // namespace blindspot

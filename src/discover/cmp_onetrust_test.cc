// Reader "cmp-onetrust": the two real domain data files, the ruleset and the
// CMP rule lists that are not declarations (../shared/realdata/
// cookie-declarations, read in place; counts checked by hand, research plan
// §7.9), and synthetic snippets written here.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"
#include "discover/discover_test_util.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

using discover::testing::ReadRealFile;

const DiscoveryReader& OneTrust() {
  static const DiscoveryReader r = discover::CmpOnetrustReader();
  return r;
}

DiscoveryReport ReadOk(std::string_view bytes, const std::string& file = "domaindata.json") {
  return discover::testing::ReadOk(OneTrust(), bytes, file);
}

std::map<std::string, int> CountByCategory(const DiscoveryReport& r) {
  std::map<std::string, int> n;
  for (const Observation& o : r.observations) {
    EXPECT_EQ(o.kind, ObservationKind::kDeclaredCookie);
    EXPECT_EQ(o.proof, Proof::kDeclared);
    EXPECT_FALSE(o.Attr("category").empty()) << o.key;  // never an empty category name
    ++n[std::string(o.Attr("category"))];
  }
  return n;
}

TEST(OneTrustRealData, MetabombCurrentLayout) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::string bytes = ReadRealFile("cookie-declarations/onetrust_domaindata_metabomb.net.json");
  ASSERT_FALSE(bytes.empty());
  ASSERT_NE(RecogniseDiscovery(bytes, "x.json"), nullptr);
  EXPECT_EQ(RecogniseDiscovery(bytes, "x.json")->name, "cmp-onetrust");
  DiscoveryReport r = ReadOk(bytes);
  EXPECT_EQ(r.reader, "cmp-onetrust");
  EXPECT_EQ(r.subject, "metabomb.net");
  // 7 groups; 4 declare cookies: first-party cookies plus 27 third-party hosts under Targeting
  // (74 entries, one of them, under www.facebook.com, without a name).
  std::map<std::string, int> expected{{"Strictly Necessary Cookies", 3},
                                      {"Performance Cookies", 5},
                                      {"Functional Cookies", 1},
                                      {"Targeting Cookies", 73}};
  EXPECT_EQ(CountByCategory(r), expected);
  std::set<std::string> providers;
  for (const Observation& o : r.observations) {
    EXPECT_EQ(o.Attr("consent_model"), "opt-in");
    if (o.Attr("category") == "Strictly Necessary Cookies")
      EXPECT_EQ(o.Attr("default"), "always active");
    else
      EXPECT_EQ(o.Attr("default"), "inactive") << o.key;
    if (o.Attr("category") == "Targeting Cookies") providers.insert(std::string(o.Attr("provider")));
  }
  EXPECT_EQ(providers.size(), 28u);  // 26 hosts with a named cookie, metabomb.net and www.metabomb.net
  EXPECT_TRUE(providers.contains("doubleclick.net"));
  EXPECT_TRUE(providers.contains("facebook.com"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].message, "a cookie without a name: skipped");
  EXPECT_EQ(r.warnings[0].where.pointer, "/DomainData/Groups/3/Hosts/19/Cookies/0");
}

TEST(OneTrustRealData, AvedaLegacyLayoutMergesHostSubgroups) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::string bytes = ReadRealFile("cookie-declarations/onetrust_domaindata_aveda.com.json");
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(RecogniseDiscovery(bytes, "x.json")->name, "cmp-onetrust");
  DiscoveryReport r = ReadOk(bytes);
  EXPECT_EQ(r.subject, "aveda.com");
  // 5 top-level groups; 27 per-host sub-groups merged into their parents, the
  // embedded copies of the parent group not counted again.
  std::map<std::string, int> expected{{"Strictly Necessary Cookies", 29},
                                      {"Performance Cookies", 7},
                                      {"Functional Cookies", 4},
                                      {"Targeting Cookies", 72},
                                      {"Social Media Cookies", 3}};
  EXPECT_EQ(CountByCategory(r), expected);
  for (const Observation& o : r.observations) {
    EXPECT_EQ(o.Attr("consent_model"), "opt-out");
    // Opt-out: every non-necessary category is on until the visitor objects.
    EXPECT_EQ(o.Attr("default"),
              o.Attr("category") == "Strictly Necessary Cookies" ? "always active" : "active")
        << o.key;
  }
  const Observation* muidb = nullptr;
  for (const Observation& o : r.observations)
    if (o.key == "MUIDB") muidb = &o;
  ASSERT_NE(muidb, nullptr);
  EXPECT_EQ(muidb->Attr("category"), "Targeting Cookies");
  EXPECT_EQ(muidb->Attr("provider"), "bat.bing.com");  // the sub-group's host
  EXPECT_EQ(muidb->Attr("expiry").empty(), false);
}

TEST(OneTrustRealData, RulesetAndCmpRuleListsAreNotDeclarations) {
  BLINDSPOT_REQUIRE_REALDATA();
  for (const char* name : {"onetrust_ruleset_32083dcf.json", "autoconsent_coverage.json",
                           "consent-o-matic_rule_optanon.json", "mozilla_cookie-banner-rules-list.json"}) {
    std::string bytes = ReadRealFile(std::string("cookie-declarations/") + name);
    ASSERT_FALSE(bytes.empty()) << name;
    EXPECT_EQ(RecogniseDiscovery(bytes, name), nullptr) << name;
  }
  // Given to the reader anyway, the ruleset says what it is and which file to give.
  std::string ruleset = ReadRealFile("cookie-declarations/onetrust_ruleset_32083dcf.json");
  auto r = OneTrust().read(ruleset, "ruleset.json", DiscoveryOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("ruleset"), std::string::npos);
  EXPECT_NE(r.error().message.find("32083dcf-5370-4a31-b304-4d087dae7d42"), std::string::npos);
}

// Synthetic, in the current layout of the real files (OneTrust publishes no
// format description).
TEST(OneTrust, DuplicatesCountedOnceAndSessionExpiry) {
  constexpr std::string_view kJson =
      R"({"DomainData": {"ConsentModel": "opt-in", "LastReconsentDate": 1598307990633, "Groups": [
    {"OptanonGroupId": "C0001", "CustomGroupId": "C0001", "GroupName": "Necessary", "Status": "always active", "Parent": "",
     "FirstPartyCookies": [{"Name": "OptanonConsent", "Host": ".example.com", "IsSession": false, "Length": "365"},
                           {"Name": "OptanonConsent", "Host": ".example.com", "IsSession": false, "Length": "365"}],
     "Hosts": []},
    {"OptanonGroupId": "C0004", "GroupName": "Targeting", "Status": "inactive", "Parent": "",
     "FirstPartyCookies": [],
     "Hosts": [{"HostName": "ads.example.net", "DisplayName": "Example Ads", "Cookies": [{"Name": "id", "IsSession": true, "Length": "0"}]}]}
  ]}})";
  EXPECT_EQ(OneTrust().recognise(kJson, "x"), 90);
  DiscoveryReport r = ReadOk(kJson);
  EXPECT_EQ(r.subject, "example.com");
  EXPECT_EQ(r.first_date, "2020-08-24");  // LastReconsentDate (ms)
  ASSERT_EQ(r.observations.size(), 2u);
  EXPECT_EQ(r.observations[0].first_date, "2020-08-24");
  EXPECT_EQ(r.observations[0].Attr("expiry"), "365 days");
  EXPECT_EQ(r.observations[1].Attr("provider"), "Example Ads");
  EXPECT_EQ(r.observations[1].Attr("host"), "ads.example.net");
  EXPECT_EQ(r.observations[1].Attr("expiry"), "session");
  EXPECT_EQ(r.observations[1].location, "/DomainData/Groups/1/Hosts/0/Cookies/0");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("declared twice"), std::string::npos);
}

TEST(OneTrust, BadInputIsAnErrorWithLocation) {
  auto cut = OneTrust().read("{\"Groups\": [{\"OptanonGroupId\": \"1\",\n \"Cookies\": [", "d.json",
                             DiscoveryOptions{});
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().kind, ErrorKind::kParse);
  EXPECT_EQ(cut.error().where.line, 2u);
  auto other = OneTrust().read(R"({"hello": 1})", "d.json", DiscoveryOptions{});
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().where.pointer, "/Groups");
}

TEST(OneTrust, RecognisesOnlyDomainData) {
  EXPECT_EQ(OneTrust().recognise(R"({"log":{"version":"1.2","entries":[]}})", "x.har"), 0);
  EXPECT_EQ(
      OneTrust().recognise(
          R"({"log":{"entries":[{"response":{"content":{"text":"{\"Groups\":[{\"OptanonGroupId\":\"1\"}]}"}}}]}})",
          "x.har"),
      0);
  EXPECT_EQ(OneTrust().recognise("hello world", "d.json"), 0);
  EXPECT_EQ(OneTrust().recognise(R"({"exportFormatVersion": 2, "containerVersion": {"tag": []}})", "x"), 0);
}

// Any prefix of a real file is read or refused with a located error; never a crash.
TEST(DeclarationsRealData, EveryPrefixIsReadOrRefusedWithALocation) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::pair<DiscoveryReader, const char*> cases[] = {
      {discover::CmpCookiebotReader(), "cookie-declarations/cookiebot_cc_purplemath.com.js"},
      {discover::CmpOnetrustReader(), "cookie-declarations/onetrust_domaindata_aveda.com.json"},
      {discover::GtmReader(), "gtm/analyzify_gtm-kit_GTM-K2W53WLF.json"}};
  for (const auto& [reader, path] : cases) {
    std::string bytes = ReadRealFile(path);
    ASSERT_FALSE(bytes.empty()) << path;
    for (size_t cut = 0; cut < bytes.size(); cut += bytes.size() / 97 + 1) {
      auto r = reader.read(std::string_view(bytes).substr(0, cut), path, DiscoveryOptions{});
      if (!r) {
        EXPECT_EQ(r.error().kind, ErrorKind::kParse) << path << " cut at " << cut;
        EXPECT_EQ(r.error().where.file, path);
        EXPECT_TRUE(r.error().where.line > 0 || !r.error().where.pointer.empty())
            << path << " cut at " << cut;
      }
    }
  }
}

}  // namespace
}  // namespace blindspot

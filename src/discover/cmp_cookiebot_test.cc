// Reader "cmp-cookiebot": the two real cc.js files (../shared/realdata/
// cookie-declarations, read in place; counts checked by hand, research plan
// §7.9) and synthetic snippets written here.
#include <gtest/gtest.h>

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

const DiscoveryReader& Cookiebot() {
  static const DiscoveryReader r = discover::CmpCookiebotReader();
  return r;
}

DiscoveryReport ReadOk(std::string_view bytes, const std::string& file = "cc.js") {
  return discover::testing::ReadOk(Cookiebot(), bytes, file);
}

std::map<std::string, int> CountByCategory(const DiscoveryReport& r) {
  std::map<std::string, int> n;
  for (const Observation& o : r.observations) {
    EXPECT_EQ(o.kind, ObservationKind::kDeclaredCookie);
    EXPECT_EQ(o.proof, Proof::kDeclared);
    EXPECT_EQ(o.key, o.subject);
    ++n[std::string(o.Attr("category"))];
  }
  return n;
}

const Observation* Find(const DiscoveryReport& r, std::string_view name) {
  for (const Observation& o : r.observations)
    if (o.key == name) return &o;
  return nullptr;
}

TEST(CookiebotRealData, Gamefly) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::string bytes = ReadRealFile("cookie-declarations/cookiebot_cc_gamefly.com.js");
  ASSERT_FALSE(bytes.empty());
  ASSERT_NE(RecogniseDiscovery(bytes, "cc.js"), nullptr);
  EXPECT_EQ(RecogniseDiscovery(bytes, "cc.js")->name, "cmp-cookiebot");
  DiscoveryReport r = ReadOk(bytes);
  EXPECT_EQ(r.reader, "cmp-cookiebot");
  EXPECT_EQ(r.subject, "gamefly.com");    // the domain of Cookiebot's own CookieConsent cookie
  EXPECT_EQ(r.first_date, "2020-08-28");  // lastUpdatedDate 1598645638013
  std::map<std::string, int> expected{
      {"necessary", 2}, {"statistics", 4}, {"advertising", 14}, {"unclassified", 2}};
  EXPECT_EQ(CountByCategory(r), expected);  // Preference: an empty table
  EXPECT_TRUE(r.warnings.empty());          // the tables match the counts the file states

  const Observation* sctr = Find(r, "_sctr");
  ASSERT_NE(sctr, nullptr);
  EXPECT_EQ(sctr->Attr("category"), "unclassified");
  EXPECT_EQ(sctr->detail, "Pending");
  EXPECT_EQ(sctr->Attr("initiator"), "www.googletagmanager.com");
  const Observation* xab = Find(r, "X-AB");
  ASSERT_NE(xab, nullptr);
  EXPECT_EQ(xab->Attr("host"), "sc-static.net");
  EXPECT_EQ(xab->Attr("expiry"), "1 day");
  const Observation* consent = Find(r, "CookieConsent");
  ASSERT_NE(consent, nullptr);
  EXPECT_EQ(consent->detail,
            "Stores the user's cookie consent state for the current domain");  // \' unescaped
  EXPECT_EQ(consent->location, "cookieTableNecessary[0]");
  const Observation* fbp = Find(r, "_fbp");
  ASSERT_NE(fbp, nullptr);
  EXPECT_EQ(fbp->Attr("category"), "advertising");
  EXPECT_EQ(fbp->Attr("host"), "gamefly.com");  // set on the site's own domain
  const Observation* nid = Find(r, "NID");
  ASSERT_NE(nid, nullptr);
  EXPECT_EQ(nid->Attr("host"), "google.com");
  EXPECT_EQ(nid->Attr("provider"), "Google");  // the company privacyPolicies names for google.com
}

TEST(CookiebotRealData, PurplemathNeedsJsUnescaping) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::string bytes = ReadRealFile("cookie-declarations/cookiebot_cc_purplemath.com.js");
  ASSERT_FALSE(bytes.empty());
  DiscoveryReport r = ReadOk(bytes, "cookiebot_cc_purplemath.com.js");
  EXPECT_EQ(r.subject, "purplemath.com");
  EXPECT_EQ(r.first_date, "2020-08-24");  // lastUpdatedDate 1598307990633
  std::map<std::string, int> expected{
      {"necessary", 6}, {"preference", 3}, {"statistics", 7}, {"advertising", 16}, {"unclassified", 14}};
  EXPECT_EQ(CountByCategory(r), expected);
  // The Advertising table holds "\d" in a pattern, which JSON would refuse; as in
  // JavaScript, the unnecessary escape reads as the letter itself.
  const Observation* mod = Find(r, "google_experiment_mod#");
  ASSERT_NE(mod, nullptr);
  EXPECT_EQ(mod->Attr("pattern"), "^google_experiment_modd*$");
  EXPECT_EQ(mod->Attr("type"), "HTML");
  // The file says 11 statistics cookies but lists 7: said, with its place.
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(r.warnings[0].warning);
  EXPECT_NE(r.warnings[0].message.find("cookieTableStatisticsCount says 11"), std::string::npos);
  EXPECT_GT(r.warnings[0].where.line, 0u);
}

// Synthetic, in the layout of the real cc.js files (Cookiebot publishes no
// format description).
TEST(Cookiebot, EscapesAndDomainOption) {
  constexpr std::string_view kJs =
      "CookieControl.Dialog=function(){};\n"
      "CookieConsentDialog.cookieTableNecessary = [[\"a\\u00e9\\x41\\/b\",\"Example.org\",\"it\\'s "
      "\\\"x\\\"\",\"1 "
      "year\",\"HTTP\",\"1\",\"\",\"example.org\"],];\n"
      "CookieConsentDialog.cookieTableAdvertising = [['px', 'ads.example.net', 'Pending', 'Session', "
      "'Pixel', '5', '', "
      "'ads.example.net']];\n";
  EXPECT_EQ(Cookiebot().recognise(kJs, "x.js"), 90);
  auto r = Cookiebot().read(kJs, "cc.js", DiscoveryOptions{"example.com"});
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "example.com");
  ASSERT_EQ(r->observations.size(), 2u);
  EXPECT_EQ(r->observations[0].key,
            "a\xC3\xA9"
            "A/b");
  EXPECT_EQ(r->observations[0].detail, "it's \"x\"");
  EXPECT_EQ(r->observations[0].Attr("host"), "example.org");
  EXPECT_EQ(r->observations[1].Attr("category"), "advertising");
  EXPECT_EQ(r->observations[1].Attr("expiry"), "Session");
  EXPECT_EQ(r->first_date, "");  // no lastUpdatedDate
  // Three of the five tables are absent: said once, at the end of the file.
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(
      r->warnings[0].message.find("cookieTablePreference, cookieTableStatistics, cookieTableUnclassified"),
      std::string::npos)
      << r->warnings[0].message;
  EXPECT_EQ(r->warnings[0].where.line, 4u);
}

TEST(Cookiebot, CutOffTableIsAnErrorWithLocation) {
  constexpr std::string_view kCut =
      "x=1;\nCookieConsentDialog.cookieTableNecessary = [[\"a\",\"example.org\",\"p\",\"1 "
      "year\",\"HTTP\",\"1\",\"\",\"e";
  auto r = Cookiebot().read(kCut, "cc.js", DiscoveryOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_EQ(r.error().where.file, "cc.js");
  EXPECT_EQ(r.error().where.line, 2u);
  EXPECT_NE(r.error().message.find("ends inside"), std::string::npos) << r.error().message;
}

TEST(Cookiebot, RecognisesOnlyCcJs) {
  EXPECT_EQ(Cookiebot().recognise(R"({"log":{"version":"1.2","entries":[]}})", "x.har"), 0);
  // A HAR holding cc.js in a response body is JSON: not this reader's.
  EXPECT_EQ(
      Cookiebot().recognise(
          R"({"log":{"entries":[{"response":{"content":{"text":"CookieConsentDialog.cookieTableNecessary = [];"}}}]}})",
          "x.har"),
      0);
  EXPECT_EQ(Cookiebot().recognise("hello world\n", "cc.js"), 0);
  EXPECT_EQ(Cookiebot().recognise("var CookieConsentDialog = {};", "cc.js"), 0);
}

}  // namespace
}  // namespace blindspot

// Detection on the bundled example (examples/webshop): the touchpoints the
// example was built to show, and every personal-data parameter seen.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

#include "blindspot/app.h"
#include "blindspot/detect.h"
#include "blindspot/env.h"
#include "blindspot_testing/realdata_fixture.h"

namespace blindspot {
namespace {

std::string Example(const std::string& name) {
  return std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/har/" + name;
}

TEST(ExampleShop, TouchpointsAndEveryPersonalDataParameter) {
  DetectionResult r = testing::DetectFiles({Example("home.har"), Example("checkout.har")});
  const DetectionResult* det = &r;
  ASSERT_EQ(det->sources.size(), 2u);
  EXPECT_EQ(det->sources[0].name, "home.har");
  EXPECT_EQ(det->sources[1].name, "checkout.har");
  std::set<std::string> ids;
  for (const auto& t : det->touchpoints) ids.insert(t.kb_id);
  // gtag.js?id=AW-... is the Google tag of Ads, not a Tag Manager container (no gtm.js).
  EXPECT_EQ(
      ids, (std::set<std::string>{"callrail", "google-ads-remarketing", "google-enhanced-conversions",
                                  "meta-custom-audiences", "meta-pixel", "tidio", "whatsapp-click-to-chat"}));
  const DetectedTouchpoint* meta = det->Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  std::set<std::pair<std::string, std::string>> params;
  for (const auto& s : meta->signals) params.insert({s.param, s.data_category});
  // Advanced Matching sends the hashed e-mail address and phone number; every
  // event the page URL (the referrer `rl=` is empty: no data); the purchase
  // its value and currency.
  EXPECT_EQ(params,
            (std::set<std::pair<std::string, std::string>>{{"cd[currency]", "user.behavior.purchase_history"},
                                                           {"cd[value]", "user.behavior.purchase_history"},
                                                           {"dl", "user.behavior.browsing_history"},
                                                           {"ud[em]", "user.contact.email"},
                                                           {"ud[ph]", "user.contact.phone_number"}}));
  for (const auto& s : meta->signals)
    EXPECT_EQ(s.example_url.find("ud[em]=…"), s.example_url.find("ud[em]="));
  EXPECT_EQ(det->tel_links, 1u);
  EXPECT_EQ(det->mailto_links, 1u);
  EXPECT_EQ(det->first_party_domains, std::vector<std::string>{"fietshuis-zonnepad.nl"});
}

// The built-in index, shared by detectors on several threads at once (as
// server requests would share it): each gets the touchpoints, evidence
// counts and signals a lone detector gets.
TEST(ExampleShop, BuiltinIndexSharedAcrossThreads) {
  auto index = app::LoadKbIndex(app::Options{});
  ASSERT_TRUE(index.has_value()) << index.error().Format();
  auto home = Env::Default().ReadFile(Example("home.har"), 1 << 26, 64);
  auto checkout = Env::Default().ReadFile(Example("checkout.har"), 1 << 26, 64);
  ASSERT_TRUE(home && checkout);
  auto run = [&]() {
    std::vector<std::unique_ptr<EvidenceSource>> sources;
    sources.push_back(NewHarSource(*home, "home.har", "home.har"));
    sources.push_back(NewHarSource(*checkout, "checkout.har", "checkout.har"));
    auto r = Detect(*index, sources);
    std::string s = r ? "" : r.error().Format();
    if (r)
      for (const auto& t : r->touchpoints) {
        s += t.kb_id + " " + std::to_string(t.evidence_count) + " " + std::to_string(t.evidence.size()) +
             " " + std::to_string(t.signals.size()) + " " + t.implied_by + "\n";
        for (const auto& e : t.evidence) s += "  " + e.url + e.cookie_name + "@" + e.source + "\n";
      }
    return s;
  };
  const std::string expected = run();
  ASSERT_NE(expected.find("meta-pixel"), std::string::npos) << expected;
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        std::string s = run();
        if (s != expected) got[t] = s;
      }
      if (got[t].empty()) got[t] = expected;
    });
  for (auto& th : threads) th.join();
  for (const std::string& g : got) EXPECT_EQ(g, expected);
}

}  // namespace
}  // namespace blindspot

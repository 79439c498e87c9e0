// Detection on the bundled example (examples/webshop): the touchpoints the
// example was built to show, and every personal-data parameter seen.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "blindspot/detect.h"
#include "blindspot/kb.h"

namespace blindspot {
namespace {

std::string Example(const std::string& name) {
  return std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/har/" + name;
}

TEST(ExampleShop, TouchpointsAndEveryPersonalDataParameter) {
  auto kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value()) << kb.error().Format();
  auto det = DetectFromHars(*kb, {Example("home.har"), Example("checkout.har")});
  ASSERT_TRUE(det.has_value()) << det.error().Format();
  std::set<std::string> ids;
  for (const auto& t : det->touchpoints) ids.insert(t.kb_id);
  EXPECT_EQ(ids, (std::set<std::string>{"callrail", "google-ads-remarketing", "google-enhanced-conversions",
                                        "google-tag-manager", "meta-custom-audiences", "meta-pixel", "tidio",
                                        "whatsapp-click-to-chat"}));
  const DetectedTouchpoint* meta = det->Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  std::set<std::pair<std::string, std::string>> params;
  for (const auto& s : meta->signals) params.insert({s.param, s.data_category});
  // Advanced Matching sends the hashed e-mail address and phone number.
  EXPECT_EQ(params, (std::set<std::pair<std::string, std::string>>{{"ud[em]", "user.contact.email"},
                                                                    {"ud[ph]", "user.contact.phone_number"}}));
  for (const auto& s : meta->signals) EXPECT_EQ(s.example_url.find("ud[em]=…"), s.example_url.find("ud[em]="));
  EXPECT_EQ(det->tel_links, 1u);
  EXPECT_EQ(det->mailto_links, 1u);
  EXPECT_EQ(det->first_party_domains, std::vector<std::string>{"fietshuis-zonnepad.nl"});
}

}  // namespace
}  // namespace blindspot

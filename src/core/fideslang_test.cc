#include "blindspot/fideslang.h"

#include <gtest/gtest.h>

#include <set>

namespace blindspot {
namespace {

TEST(Fideslang, KnownKeys) {
  EXPECT_TRUE(IsKnownDataCategory("user.contact.email"));
  EXPECT_TRUE(IsKnownDataCategory("user.device.cookie_id"));
  EXPECT_TRUE(IsKnownDataCategory("user"));
  EXPECT_TRUE(IsKnownDataCategory("system"));
  EXPECT_TRUE(IsKnownDataCategory("user.health_and_medical"));  // deprecated, still accepted
  EXPECT_EQ(FindDataCategory("user.health_and_medical")->replaced_by, "user.health");
  EXPECT_EQ(FindDataCategory("user.contact.email")->name, "User Contact Email");
  EXPECT_FALSE(IsKnownDataCategory("user.email"));
  EXPECT_FALSE(IsKnownDataCategory("marketing.advertising"));
  EXPECT_TRUE(IsKnownDataUse("marketing.advertising.third_party.targeted"));
  EXPECT_TRUE(IsKnownDataUse("functional.service.improve"));
  EXPECT_TRUE(IsKnownDataUse("essential.service"));
  EXPECT_FALSE(IsKnownDataUse("user.contact"));
  EXPECT_FALSE(IsKnownDataUse("advertising"));  // fideslang 1.x key, not in the 2.x taxonomy
  EXPECT_EQ(FindDataUse("personalize.profiling")->replaced_by, "personalize.content.profiling");
}

// Structural facts of the taxonomy: unique keys, every parent known,
// every replacement known and not itself deprecated.
void CheckTable(std::span<const TaxonomyEntry> t, bool (*known)(std::string_view)) {
  std::set<std::string_view> keys;
  for (const auto& e : t) {
    EXPECT_TRUE(keys.insert(e.key).second) << "duplicate " << e.key;
    EXPECT_FALSE(e.name.empty()) << e.key;
    size_t dot = e.key.rfind('.');
    if (dot != std::string_view::npos) {
      EXPECT_TRUE(known(e.key.substr(0, dot))) << "parent of " << e.key;
    }
    if (!e.replaced_by.empty()) {
      EXPECT_TRUE(known(e.replaced_by)) << e.key << " -> " << e.replaced_by;
    }
  }
}

TEST(Fideslang, TablesAreConsistent) {
  EXPECT_EQ(FideslangDataCategories().size(), 123u);
  EXPECT_EQ(FideslangDataUses().size(), 56u);
  CheckTable(FideslangDataCategories(), &IsKnownDataCategory);
  CheckTable(FideslangDataUses(), &IsKnownDataUse);
}

TEST(Fideslang, Suggestions) {
  EXPECT_EQ(SuggestDataCategory("user.contact.emial"), "user.contact.email");
  EXPECT_EQ(SuggestDataCategory("user.email"), "user.contact.email");
  EXPECT_EQ(SuggestDataCategory("user.device.cookieid"), "user.device.cookie_id");
  EXPECT_EQ(SuggestDataCategory("qqqqqqqqqqqqqqqqqqqqqq"), "");
  EXPECT_EQ(SuggestDataUse("marketing.advertisement"), "marketing.advertising");
  EXPECT_EQ(SuggestDataUse("third_party.targeted"), "marketing.advertising.third_party.targeted");
  // Suggestions never point at a deprecated key.
  EXPECT_EQ(SuggestDataCategory("user.health_and_medicl"), "user.health");
  EXPECT_TRUE(FindDataCategory(SuggestDataCategory("user.biometric.finger"))->replaced_by.empty());
}

TEST(Fideslang, SpecialCategories) {
  EXPECT_TRUE(IsSpecialCategoryKey("user.health"));
  EXPECT_TRUE(IsSpecialCategoryKey("user.health.genetic"));
  EXPECT_TRUE(IsSpecialCategoryKey("user.health_and_medical.record_id"));
  EXPECT_TRUE(IsSpecialCategoryKey("user.biometrics.fingerprint"));
  EXPECT_TRUE(IsSpecialCategoryKey("user.demographic.religious_belief"));
  EXPECT_TRUE(IsSpecialCategoryKey("user.demographic.sexual_orientation"));
  EXPECT_FALSE(IsSpecialCategoryKey("user.demographic.gender"));
  EXPECT_FALSE(IsSpecialCategoryKey("user.healthy"));
  EXPECT_FALSE(IsSpecialCategoryKey("user.criminal_history"));  // Art. 10, not Art. 9
  EXPECT_FALSE(IsSpecialCategoryKey("user.contact.email"));
}

}  // namespace
}  // namespace blindspot

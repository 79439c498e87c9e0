// The kb's record signatures for ad-platform and mailing-list exports
// (discovery, issue 11): the audience keys the readers in src/discover emit
// name the right entries, each with the platform's API reference as source.
#include <gtest/gtest.h>

#include <string>

#include "blindspot/kb.h"

namespace blindspot {
namespace {

const Kb& Builtin() {
  static const Kb* kb = [] {
    auto r = Kb::LoadEmbedded();
    if (!r) {
      ADD_FAILURE() << r.error().Format();
      return new Kb();
    }
    return new Kb(std::move(*r));
  }();
  return *kb;
}

// The entry whose audience record signature is `key`, with the source ids of
// that signature ("" when none).
std::string EntryFor(const std::string& key, std::vector<std::string>* sources = nullptr) {
  std::string found;
  for (const KbEntry& e : Builtin().entries())
    for (const RecordSignature& r : e.signatures.records)
      if (r.kind == ObservationKind::kAudience && r.value == key) {
        EXPECT_TRUE(found.empty()) << key << " in " << found << " and " << e.id;
        found = e.id;
        if (sources)
          for (const Source& s : r.sources) sources->push_back(s.id);
      }
  return found;
}

TEST(AudienceRecords, CustomerListsAndMailListsNameTheirEntries) {
  std::vector<std::string> meta, google;
  EXPECT_EQ(EntryFor("meta:customer_list", &meta), "meta-custom-audiences");
  EXPECT_EQ(meta, (std::vector<std::string>{"meta-marketing-api-custom-audience",
                                            "meta-business-help-customer-list-custom-audiences"}));
  EXPECT_EQ(EntryFor("google-ads:customer_list", &google), "google-customer-match");
  EXPECT_EQ(google.front(), "google-ads-api-user-list-type");
  EXPECT_EQ(EntryFor("linkedin:customer_list"), "linkedin-matched-audiences");
  std::vector<std::string> x;
  EXPECT_EQ(EntryFor("x:customer_list", &x), "x-custom-audiences");
  EXPECT_EQ(x, std::vector<std::string>{"x-ads-api-custom-audiences"});
  EXPECT_EQ(EntryFor("mailchimp:mail_list"), "mailchimp");
  EXPECT_EQ(EntryFor("klaviyo:mail_list"), "klaviyo");
}

TEST(AudienceRecords, AudiencesWithoutADocumentedEntryStayUnattributed) {
  // No kb entry for these platforms' customer lists (no vendor source read),
  // and a website audience is not proof of a pixel on the site.
  for (const char* key :
       {"snapchat:customer_list", "tiktok:website", "tiktok:engagement", "pinterest:engagement",
        "meta:website", "meta:agency", "linkedin:other", "x:website"})
    EXPECT_EQ(EntryFor(key), "") << key;
}

}  // namespace
}  // namespace blindspot

// The built-in kb's tag-configured record signatures against the real Tag
// Manager export (../shared/realdata/gtm, read in place): which kb entries
// its tags name (research plan §7.7: Google Ads, enhanced conversions and
// Google Analytics; no Meta, TikTok or other non-Google product).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "blindspot/discovery.h"
#include "blindspot/kb.h"
#include "blindspot_testing/realdata.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

// kb ids whose tag-configured record equals `key` (the detector's rule for this kind).
std::set<std::string> EntriesNaming(const Kb& kb, std::string_view key) {
  std::set<std::string> ids;
  for (const KbEntry& e : kb.entries())
    for (const RecordSignature& r : e.signatures.records)
      if (r.kind == ObservationKind::kTagConfigured && r.value == key) ids.insert(e.id);
  return ids;
}

TEST(KbRecordsGtm, EveryTagTypeRecordIsOnOneEntryAndCitesASource) {
  auto kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value()) << kb.error().Format();
  std::map<std::string, std::string> expected{
      {"awct", "google-ads-remarketing"},
      {"sp", "google-ads-remarketing"},
      {"gclidw", "google-ads-remarketing"},
      {"gaawe", "google-analytics"},
      {"awud", "google-enhanced-conversions"},
      {"flc", "google-floodlight"},
      {"fls", "google-floodlight"},
      {"template:github.com/linkedin/linkedin-gtm-community-template", "linkedin-insight"}};
  for (const auto& [type, id] : expected)
    EXPECT_EQ(EntriesNaming(*kb, type), std::set<std::string>{id}) << type;
  for (const KbEntry& e : kb->entries()) {
    for (const RecordSignature& r : e.signatures.records) {
      if (r.kind == ObservationKind::kTagConfigured) {
        EXPECT_FALSE(r.sources.empty()) << e.id << " " << r.value;
      }
    }
  }
}

TEST(KbRecordsGtm, RealExportNamesOnlyGoogleProducts) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::ifstream in(std::string(BLINDSPOT_REALDATA_DIR) + "/gtm/analyzify_gtm-kit_GTM-K2W53WLF.json",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto report = discover::GtmReader().read(s.str(), "gtm.json", DiscoveryOptions{});
  ASSERT_TRUE(report.has_value()) << report.error().Format();
  auto kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value()) << kb.error().Format();
  std::map<std::string, int> tags_per_entry;
  int unmatched = 0;
  for (const Observation& o : report->observations) {
    std::set<std::string> ids = EntriesNaming(*kb, o.key);
    if (ids.empty()) ++unmatched;
    for (const std::string& id : ids) ++tags_per_entry[id];
  }
  std::map<std::string, int> expected{
      {"google-ads-remarketing", 6}, {"google-analytics", 3}, {"google-enhanced-conversions", 1}};
  EXPECT_EQ(tags_per_entry, expected);
  EXPECT_EQ(unmatched, 2);  // the two Google tags (googtag): their destination is in the tag id
}

}  // namespace
}  // namespace blindspot

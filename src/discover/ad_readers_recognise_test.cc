// The ad-platform readers (airbyte-records, meta-audiences,
// google-ads-userlists) claim none of the other real files: HARs, DNS zones,
// DMARC reports, the GTM container, consent-manager files (read in place from
// ../shared/realdata).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

TEST(AdReadersRecognise, NoOtherRealFileIsTaken) {
  BLINDSPOT_REQUIRE_REALDATA();
  const DiscoveryReader readers[] = {discover::AirbyteRecordsReader(), discover::MetaAudiencesReader(),
                                     discover::GoogleAdsUserListsReader()};
  int files = 0;
  for (const char* dir : {"har", "dns", "dmarc", "gtm", "cookie-declarations", "register", "kb"}) {
    std::filesystem::path p = std::filesystem::path(BLINDSPOT_REALDATA_DIR) / dir;
    if (!std::filesystem::exists(p)) continue;
    for (const auto& f : std::filesystem::directory_iterator(p)) {
      if (!f.is_regular_file()) continue;
      std::ifstream in(f.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      std::string name = f.path().filename().string();
      for (const DiscoveryReader& r : readers)
        EXPECT_EQ(r.recognise(s.str(), name), 0) << r.name << " took " << name;
      ++files;
    }
  }
  EXPECT_GT(files, 30);
  // And each of the ad-platform files is taken by airbyte-records alone.
  for (const auto& f :
       std::filesystem::directory_iterator(std::filesystem::path(BLINDSPOT_REALDATA_DIR) / "ad-platforms")) {
    std::ifstream in(f.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string name = f.path().filename().string();
    EXPECT_GT(readers[0].recognise(s.str(), name), 0) << name;
    EXPECT_EQ(readers[1].recognise(s.str(), name), 0) << name;
    EXPECT_EQ(readers[2].recognise(s.str(), name), 0) << name;
  }
}

}  // namespace
}  // namespace blindspot

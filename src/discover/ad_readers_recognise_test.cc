// The ad-platform readers (airbyte-records, meta-audiences,
// google-ads-userlists) claim none of the other real files: HARs, DNS zones,
// DMARC reports, the GTM container, consent-manager files (read in place from
// ../shared/realdata).
#include <gtest/gtest.h>

#include <algorithm>
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
                                     discover::GoogleAdsUserListsReader(),
                                     discover::PlatformAudiencesReader()};
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
    EXPECT_EQ(readers[3].recognise(s.str(), name), 0) << name;
  }
}

// Every prefix of a real file (cut anywhere) is read or refused with a
// location; nothing crashes and a cut inside a line names that line.
TEST(AdReadersRecognise, CutOffFilesAreErrorsWithTheirLine) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::ifstream in(std::filesystem::path(BLINDSPOT_REALDATA_DIR) / "ad-platforms" /
                       "airbyte_mailchimp_expected_records.jsonl",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  const std::string bytes = s.str();
  DiscoveryReader r = discover::AirbyteRecordsReader();
  for (size_t cut = 1; cut < bytes.size(); cut += 97) {
    std::string part = bytes.substr(0, cut);
    auto rep = r.read(part, "m.jsonl", {});
    bool at_line_end = part.back() == '\n' || bytes[cut] == '\n';
    if (at_line_end) continue;
    ASSERT_FALSE(rep.has_value()) << cut;
    uint32_t line = 1 + static_cast<uint32_t>(std::count(part.begin(), part.end(), '\n'));
    EXPECT_EQ(rep.error().where.line, line) << cut;
  }
}

// Arbitrary bytes after a valid start: errors or reports, never a crash.
TEST(AdReadersRecognise, GarbageIsRefusedNotCrashedOn) {
  const DiscoveryReader readers[] = {discover::AirbyteRecordsReader(), discover::MetaAudiencesReader(),
                                     discover::GoogleAdsUserListsReader(),
                                     discover::PlatformAudiencesReader()};
  const std::string starts[] = {
      R"({"stream": "segments", "data": {"source_type": )", R"({"data": [{"subtype": "CUSTOM", "name": )",
      R"([{"results": [{"userList": )", R"({"segments": [{"segment": {"source_type": )"};
  uint32_t seed = 12345;
  for (int round = 0; round < 300; ++round) {
    for (const std::string& start : starts) {
      std::string text = start;
      for (int i = 0; i < 40; ++i) {
        seed = seed * 1103515245u + 12345u;
        text += "{}[]\",:0a\\\n "[(seed >> 16) % 15];
      }
      for (const DiscoveryReader& r : readers) {
        (void)r.recognise(text, "x");
        auto rep = r.read(text, "x", {});
        if (!rep) {
          EXPECT_FALSE(rep.error().message.empty());
        }
      }
    }
  }
}

}  // namespace
}  // namespace blindspot

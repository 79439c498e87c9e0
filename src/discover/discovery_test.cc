// The registry: names, kinds and recognition.
#include "blindspot/discovery.h"

#include <gtest/gtest.h>

#include <set>

namespace blindspot {
namespace {

TEST(Discovery, KindsRoundTripByName) {
  for (ObservationKind k : AllObservationKinds()) {
    auto back = ParseObservationKind(ToString(k));
    ASSERT_TRUE(back.has_value()) << ToString(k);
    EXPECT_EQ(*back, k);
  }
  EXPECT_FALSE(ParseObservationKind("spf").has_value());
}

TEST(Discovery, ReaderNamesAreUniqueAndFindable) {
  std::set<std::string_view> names;
  for (const DiscoveryReader& r : AllDiscoveryReaders()) {
    EXPECT_TRUE(names.insert(r.name).second) << r.name;
    EXPECT_FALSE(r.description.empty()) << r.name;
    ASSERT_NE(r.recognise, nullptr) << r.name;
    ASSERT_NE(r.read, nullptr) << r.name;
    EXPECT_EQ(FindDiscoveryReader(r.name), &r);
  }
  EXPECT_EQ(FindDiscoveryReader("no-such-reader"), nullptr);
}

TEST(Discovery, NoReaderTakesAHarOrPlainText) {
  EXPECT_EQ(RecogniseDiscovery(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), nullptr);
  EXPECT_EQ(RecogniseDiscovery("hello world\n", "notes.txt"), nullptr);
  EXPECT_EQ(RecogniseDiscovery("", "empty"), nullptr);
}

TEST(Discovery, AttrLooksUpByName) {
  Observation o;
  o.attrs = {{"selector", "k2"}, {"tenant", "justiceuk"}};
  EXPECT_EQ(o.Attr("tenant"), "justiceuk");
  EXPECT_EQ(o.Attr("missing"), "");
}

}  // namespace
}  // namespace blindspot

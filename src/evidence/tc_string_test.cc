#include "blindspot/tc_string.h"

#include <gtest/gtest.h>

#include <random>

namespace blindspot {
namespace {

// Builds TC strings bit by bit, as the IAB format v2 lays them out, so that
// the tests can say exactly which purposes and vendors are on.
class Writer {
 public:
  Writer& Put(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bits_.push_back((v >> i) & 1);
    return *this;
  }
  Writer& Letters(const char* two) { return Put(two[0] - 'A', 6).Put(two[1] - 'A', 6); }
  Writer& Flags(std::initializer_list<int> on, int n) {
    for (int i = 1; i <= n; ++i) Put(std::find(on.begin(), on.end(), i) != on.end() ? 1 : 0, 1);
    return *this;
  }
  std::string Text() const {
    static const char* kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    for (size_t i = 0; i < bits_.size(); i += 6) {
      int v = 0;
      for (size_t j = 0; j < 6; ++j) v = v * 2 + (i + j < bits_.size() ? bits_[i + j] : 0);
      out.push_back(kAlpha[v]);
    }
    return out;
  }

 private:
  std::vector<int> bits_;
};

// A core segment: CMP 300, policy 4 (TCF 2.2), publisher NL; purposes and
// vendors as given; vendor consent as a bitfield, legitimate interest as ranges.
std::string Core(std::initializer_list<int> consent, std::initializer_list<int> li,
                 std::initializer_list<int> vendor_consent, std::vector<std::pair<int, int>> li_ranges,
                 int max_li) {
  Writer w;
  w.Put(2, 6).Put(17000000000, 36).Put(17000000001, 36).Put(300, 12).Put(7, 12).Put(1, 6).Letters("NL");
  w.Put(120, 12).Put(4, 6).Put(0, 1).Put(0, 1).Flags({}, 12).Flags(consent, 24).Flags(li, 24).Put(0, 1);
  w.Letters("NL");
  int max_consent = 0;
  for (int v : vendor_consent) max_consent = std::max(max_consent, v);
  w.Put(max_consent, 16).Put(0, 1).Flags(vendor_consent, max_consent);
  w.Put(max_li, 16).Put(1, 1).Put(li_ranges.size(), 12);
  for (auto [a, b] : li_ranges) {
    if (a == b)
      w.Put(0, 1).Put(a, 16);
    else
      w.Put(1, 1).Put(a, 16).Put(b, 16);
  }
  w.Put(0, 12);  // no publisher restrictions
  return w.Text();
}

// A real string: made with the IAB's encoder at iabtcf.com and decoded in the
// tests of travelaudience/go-iabtcf (parse_test.go): CMP 92, EN, vendor list
// 34, policy 2, purposes 1-10 consented, none under legitimate interest,
// special features 1 and 2, vendor 423 (range encoded), publisher "AA"; with
// a disclosed-vendors segment.
constexpr const char* kReal =
    "COzcJxTOzcJxTBcAAAENAiCMAP_AAAAAAAAADTwAQDTgAAAA."
    "IF5EX2S5OI2tho2YdF7BEYYwfJxyigMgShgQIsS8NwIeFbBoGPmAAHBG4JA"
    "QAGBAkkACBAQIsHGBcCQABgIgRiRCMQEGMjzNKBJBAggkbI0FACCVmnkHS3ZCY70-6u__bA";

TEST(TcString, DecodesARealString) {
  auto tc = ParseTcString(kReal);
  ASSERT_TRUE(tc) << tc.error().message;
  EXPECT_EQ(tc->version, 2);
  EXPECT_EQ(tc->cmp_id, 92);
  EXPECT_EQ(tc->consent_language, "EN");
  EXPECT_EQ(tc->vendor_list_version, 34);
  EXPECT_EQ(tc->policy_version, 2);
  EXPECT_EQ(tc->purposes_consent, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_TRUE(tc->purposes_li.empty());
  EXPECT_EQ(tc->special_features, (std::vector<int>{1, 2}));
  EXPECT_EQ(tc->publisher_cc, "AA");
  EXPECT_EQ(tc->max_vendor_consent, 423);
  EXPECT_EQ(tc->vendors_consent, (std::vector<int>{423}));
  EXPECT_TRUE(tc->vendors_li.empty());
  EXPECT_EQ(tc->segments, 2);
  EXPECT_TRUE(tc->PurposeConsent(7));
  EXPECT_FALSE(tc->PurposeConsent(11));
  EXPECT_FALSE(tc->PurposeLi(2));
}

TEST(TcString, LegitimateInterestAfterAllConsentRefused) {
  // What a CMP writes after "reject all" that keeps legitimate interest on:
  // no purpose consented, purposes 2, 7 and 10 under legitimate interest for
  // vendors 1-3 and 755.
  std::string s = Core({}, {2, 7, 10}, {}, {{1, 3}, {755, 755}}, 755);
  auto tc = ParseTcString(s);
  ASSERT_TRUE(tc) << tc.error().message;
  EXPECT_EQ(tc->cmp_id, 300);
  EXPECT_EQ(tc->policy_version, 4);
  EXPECT_EQ(tc->publisher_cc, "NL");
  EXPECT_TRUE(tc->purposes_consent.empty());
  EXPECT_EQ(tc->purposes_li, (std::vector<int>{2, 7, 10}));
  EXPECT_TRUE(tc->vendors_consent.empty());
  EXPECT_EQ(tc->vendors_li, (std::vector<int>{1, 2, 3, 755}));
  EXPECT_EQ(tc->max_vendor_li, 755);
  EXPECT_EQ(tc->created, 17000000000);
  EXPECT_EQ(tc->last_updated, 17000000001);
}

TEST(TcString, TheStringsTheRuleTestsUse) {
  // src/audit/banner_rules_test.cc and the bundle fixtures (make_fixtures.py) carry these as text.
  EXPECT_EQ(Core({}, {2, 7, 10}, {}, {{1, 3}, {755, 755}}, 755),
            "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAEJAABpYAAALzgBQABAAMBeYAA");
  EXPECT_EQ(Core({}, {8, 9, 10}, {}, {{1, 3}}, 3), "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAHAABpYAAAADgAwABAAMAA");
  EXPECT_EQ(Core({}, {}, {}, {}, 0), "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAAAABpYAAAAAgAAAA");
  EXPECT_EQ(Core({1, 3, 4}, {}, {5, 8, 13}, {}, 0), "CP1R2oAP1R2oBEsAHBNLB4EAALAAAAAAABpYAGgkIAAQAAAA");
}

TEST(TcString, ConsentBitfieldAndNoLegitimateInterest) {
  std::string s = Core({1, 3, 4}, {}, {5, 8, 13}, {}, 0);
  auto tc = ParseTcString(s);
  ASSERT_TRUE(tc) << tc.error().message;
  EXPECT_EQ(tc->purposes_consent, (std::vector<int>{1, 3, 4}));
  EXPECT_TRUE(tc->purposes_li.empty());
  EXPECT_EQ(tc->vendors_consent, (std::vector<int>{5, 8, 13}));
  EXPECT_TRUE(tc->vendors_li.empty());
  // Padding '=' and quotes around a cookie value are tolerated.
  EXPECT_TRUE(ParseTcString("\"" + s + "==\""));
}

TEST(TcString, Refusals) {
  EXPECT_FALSE(ParseTcString(""));
  EXPECT_FALSE(ParseTcString("   "));
  auto v1 = ParseTcString(
      "BOv1FaTOv1FdvAHABBFRDG-AAAAvRr_7__7-_9_-_f__9uj3Or_v_f__32ccL59v_h_7v-_7fi_20nV4u_1vft9yfk1");
  ASSERT_FALSE(v1);
  EXPECT_NE(v1.error().message.find("version 1"), std::string::npos);
  auto bad = ParseTcString("COzc$xTO");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("character 5"), std::string::npos);
  // Cut off inside the purposes.
  EXPECT_FALSE(ParseTcString(std::string(kReal).substr(0, 20)));
  // Cut off inside the vendor bitfield.
  std::string s = Core({}, {}, {900}, {}, 0);
  EXPECT_FALSE(ParseTcString(s.substr(0, s.size() - 40)));
  // A range beyond the maximum vendor id.
  auto range = ParseTcString(Core({}, {2}, {}, {{10, 20}}, 15));
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("10-20"), std::string::npos);
  // A range that runs backwards.
  EXPECT_FALSE(ParseTcString(Core({}, {2}, {}, {{20, 10}}, 30)));
  // An empty segment after the core.
  EXPECT_FALSE(ParseTcString(std::string(kReal) + "."));
  EXPECT_FALSE(ParseTcString(Core({}, {}, {}, {}, 0) + ".IF5.."));
}

// A small fuzz loop in the unit tests (the libFuzzer target is
// fuzz/tc_string_fuzz.cc): random and mutated strings never crash, and a
// string that decodes gives sorted ids within its bounds.
TEST(TcString, RandomInputsAreSafe) {
  std::mt19937 rng(8);
  const std::string alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ $";
  std::vector<std::string> seeds = {kReal, Core({}, {2, 7}, {1, 2}, {{1, 3}, {755, 755}}, 755),
                                    Core({1}, {}, {}, {}, 0)};
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    if (i % 2 == 0) {
      s = seeds[i % seeds.size()];
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        size_t at = rng() % s.size();
        switch (rng() % 3) {
          case 0:
            s[at] = alpha[rng() % alpha.size()];
            break;
          case 1:
            s.erase(at, 1 + rng() % 8);
            break;
          default:
            s.insert(at, 1, alpha[rng() % alpha.size()]);
        }
      }
    } else {
      size_t n = rng() % 64;
      for (size_t j = 0; j < n; ++j) s.push_back(alpha[rng() % alpha.size()]);
      if (n > 0) s[0] = 'C';  // version 2
    }
    auto tc = ParseTcString(s);
    if (!tc) {
      EXPECT_FALSE(tc.error().message.empty());
      continue;
    }
    EXPECT_EQ(tc->version, 2);
    EXPECT_TRUE(std::is_sorted(tc->vendors_consent.begin(), tc->vendors_consent.end()));
    EXPECT_TRUE(std::is_sorted(tc->vendors_li.begin(), tc->vendors_li.end()));
    if (!tc->vendors_li.empty()) {
      EXPECT_LE(tc->vendors_li.back(), tc->max_vendor_li);
    }
    if (!tc->vendors_consent.empty()) {
      EXPECT_LE(tc->vendors_consent.back(), tc->max_vendor_consent);
    }
    for (int p : tc->purposes_li) EXPECT_TRUE(p >= 1 && p <= 24);
  }
}

}  // namespace
}  // namespace blindspot

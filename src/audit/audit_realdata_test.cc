// End to end on real input: the embedded knowledge base, detection on the
// ferguson.com and mytoys.de HAR files (../shared/realdata/har, read in place;
// the README lists the trackers they contain) and a small hand-made register.
#include <gtest/gtest.h>

#include "blindspot_testing/realdata_fixture.h"

#include <algorithm>
#include <set>
#include <string>

#include "blindspot/audit.h"

namespace blindspot {
namespace {

class AuditRealData : public testing::RealDataTest {
 protected:
  static Touchpoint Tp(std::string id, std::string product) {
    Touchpoint t;
    t.id = std::move(id);
    t.name = t.id;
    t.product = std::move(product);
    return t;
  }
  static std::set<std::string> Subjects(const AuditResult& r, std::string_view rule) {
    std::set<std::string> out;
    for (const Finding& f : r.findings)
      if (f.rule_id == rule) out.insert(f.subject_id);
    return out;
  }
  static void CheckInvariants(const AuditResult& r) {
    for (const Finding& f : r.findings) {
      const RuleInfo* info = FindRule(f.rule_id);
      ASSERT_NE(info, nullptr) << f.rule_id;
      EXPECT_EQ(f.severity, info->severity) << f.rule_id;
      EXPECT_FALSE(f.detail.en.empty()) << f.rule_id;
      EXPECT_FALSE(f.detail.nl.empty()) << f.rule_id;
      EXPECT_NE(f.detail.en, f.detail.nl) << f.rule_id;
      EXPECT_FALSE(f.subject_id.empty()) << f.rule_id;
    }
    EXPECT_TRUE(std::is_sorted(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
      return a.severity != b.severity ? a.severity > b.severity : a.rule_id < b.rule_id;
    }));
  }
};

TEST_F(AuditRealData, FergusonEverythingButTheMetaPixelIsABlindSpot) {
  ASSERT_TRUE(kb_->Find("meta-pixel") && kb_->Find("linkedin-insight"));
  Register reg;
  reg.touchpoints.push_back(Tp("tp-meta", "meta-pixel"));
  reg.touchpoints.push_back(Tp("tp-whatsapp", "whatsapp-click-to-chat"));  // not on ferguson.com
  DetectionResult det = Detect("ferguson.com.har");
  std::set<std::string> detected;
  for (const auto& t : det.touchpoints) detected.insert(t.kb_id);
  ASSERT_TRUE(detected.count("meta-pixel"));
  // The README names these trackers in the HAR.
  for (const char* id : {"linkedin-insight", "google-analytics", "oracle-bluekai", "the-trade-desk"}) {
    EXPECT_TRUE(detected.count(id)) << id;
  }

  AuditResult r = RunAudit(reg, *kb_, std::move(det));
  CheckInvariants(r);
  ASSERT_EQ(r.touchpoints.size(), detected.size() + 1);
  std::set<std::string> expected_blind = detected;
  expected_blind.erase("meta-pixel");
  EXPECT_EQ(Subjects(r, "BS001-blind-spot"), expected_blind);
  EXPECT_EQ(Subjects(r, "BS002-not-seen"), std::set<std::string>{"tp-whatsapp"});
  EXPECT_EQ(r.touchpoints.back().registered->id, "tp-whatsapp");
  // The Meta Pixel needs consent (kb) and the register gives no basis; its vendor processes in the US.
  EXPECT_TRUE(Subjects(r, "BS006-consent-required").count("tp-meta"));
  EXPECT_TRUE(Subjects(r, "BS009-transfer-no-safeguard").count("tp-meta"));
  EXPECT_GE(r.CountAtLeast(Severity::kHigh), expected_blind.size());
}

TEST_F(AuditRealData, FergusonRegisteredTrackersDataAndDpia) {
  ASSERT_TRUE(kb_->Find("google-analytics") && kb_->Find("oracle-bluekai"));
  Register reg;
  ProcessingActivity a;
  a.id = "analytics";
  a.name = "Web analytics";
  a.data_categories = {"user.behavior"};
  a.dpia.status = DpiaStatus::kNotAssessed;
  reg.activities.push_back(a);
  Touchpoint ga = Tp("tp-ga", "google-analytics");
  ga.activities = {"analytics"};
  reg.touchpoints.push_back(ga);
  Touchpoint dmp = Tp("tp-bluekai", "oracle-bluekai");
  dmp.activities = {"analytics"};
  reg.touchpoints.push_back(dmp);

  DetectionResult det = Detect("ferguson.com.har");
  const DetectedTouchpoint* ga_det = det.Find("google-analytics");
  ASSERT_NE(ga_det, nullptr);
  std::set<std::string> ga_categories;
  for (const SignalHit& s : ga_det->signals)
    if (!s.data_category.empty()) ga_categories.insert(s.data_category);

  ASSERT_FALSE(ga_categories.empty()) << "the HAR's GA hits carry a client id (cid)";
  AuditResult r = RunAudit(reg, *kb_, std::move(det));
  CheckInvariants(r);
  // Every data category Google Analytics was seen sending is undeclared (only user.behavior is).
  size_t undeclared = 0;
  for (const Finding& f : r.findings) {
    if (f.rule_id != "BS015-undeclared-data-signal") continue;
    EXPECT_EQ(f.subject_id, "tp-ga");
    ++undeclared;
  }
  EXPECT_EQ(undeclared, ga_categories.size());
  // BlueKai is a DMP: high risk, and the activity has no DPIA assessment.
  if (kb_->Find("oracle-bluekai")->category == "dmp") {
    EXPECT_TRUE(Subjects(r, "BS014-dpia-not-assessed").count("tp-bluekai"));
  }
  EXPECT_FALSE(Subjects(r, "BS001-blind-spot").count("google-analytics"));
  EXPECT_FALSE(Subjects(r, "BS001-blind-spot").count("oracle-bluekai"));
}

TEST_F(AuditRealData, MyToysAuditIsDeterministic) {
  Register reg;
  reg.touchpoints.push_back(Tp("tp-meta", "meta-pixel"));
  AuditResult a = RunAudit(reg, *kb_, Detect("mytoys.de.har"));
  AuditResult b = RunAudit(reg, *kb_, Detect("mytoys.de.har"));
  CheckInvariants(a);
  ASSERT_EQ(a.findings.size(), b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].rule_id, b.findings[i].rule_id);
    EXPECT_EQ(a.findings[i].subject_id, b.findings[i].subject_id);
    EXPECT_EQ(a.findings[i].detail.nl, b.findings[i].detail.nl);
  }
  EXPECT_FALSE(Subjects(a, "BS001-blind-spot").count("meta-pixel"));
  EXPECT_FALSE(Subjects(a, "BS001-blind-spot").empty());
}

}  // namespace
}  // namespace blindspot

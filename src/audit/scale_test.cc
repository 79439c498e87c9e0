// A synthetic register of 2,000 activities and 2,000 touchpoints: the audit
// completes and reports exactly the findings the generated shape implies
// (correctness only; timing is the benchmarks' job).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

constexpr size_t kActivities = 2000;
constexpr size_t kTouchpoints = 2000;

// Activities cycle through 4 shapes, touchpoints through 5:
//   activity i % 4: 0 complete; 1 a purpose without lawful basis (BS004);
//                   2 no retention and no TOMs (BS011 + BS012); 3 no data subjects (BS003).
//   touchpoint j % 5: 0 plausible, every question answered; 1 plausible, nothing
//                   answered (BS013 x7); 2 plausible, answered "not in use" but seen
//                   (BS017); 3 no product (BS016); 4 unknown product (BS016).
Register SyntheticRegister() {
  Register r = CleanRegister();
  ProcessingActivity base = r.activities[0];
  base.transfers.clear();
  base.recipients = {{"recipient-1", RecipientKind::kInternal, "Marketing department", ""}};
  Touchpoint answered = r.touchpoints[0];
  answered.product = "plausible";
  answered.vendor = "plausible-eu";
  answered.answers.lawful_basis = LawfulBasis::kLegitimateInterests;  // plausible needs no consent
  answered.answers.stored_by_vendor = false;
  r.activities.clear();
  r.touchpoints.clear();
  r.processors.clear();
  Processor p;
  p.id = "plausible-eu";
  p.name = "Plausible Insights OÜ";
  p.country = "EE";
  p.role = VendorRole::kProcessor;
  p.agreement.status = AgreementStatus::kSigned;
  r.processors.push_back(p);

  for (size_t i = 0; i < kActivities; ++i) {
    ProcessingActivity a = base;
    a.id = "act-" + std::to_string(i);
    a.name = "Activity " + std::to_string(i);
    switch (i % 4) {
      case 1:
        a.purposes.push_back({"purpose-2", "Unclear", std::nullopt, "", "", {}});
        break;
      case 2:
        a.retention.clear();
        a.toms = {};
        break;
      case 3:
        a.data_subjects.clear();
        break;
    }
    r.activities.push_back(std::move(a));
  }
  for (size_t j = 0; j < kTouchpoints; ++j) {
    Touchpoint tp = answered;
    tp.id = "tp-" + std::to_string(j);
    tp.name = "Touchpoint " + std::to_string(j);
    tp.activities = {"act-" + std::to_string(j % kActivities)};
    switch (j % 5) {
      case 1:
        tp.answers = {};
        break;
      case 2:
        tp.answers.in_use = false;
        break;
      case 3:
        tp.product.clear();
        break;
      case 4:
        tp.product = "unknown-" + std::to_string(j);
        break;
    }
    r.touchpoints.push_back(std::move(tp));
  }
  return r;
}

TEST(Scale, TwoThousandActivitiesAndTouchpoints) {
  auto kb = TestKb();
  Register reg = SyntheticRegister();
  ASSERT_EQ(reg.activities.size(), kActivities);
  ASSERT_EQ(reg.touchpoints.size(), kTouchpoints);
  EXPECT_TRUE(ValidateRegister(reg).empty());
  DetectionResult det;
  det.sources = {{"site.har", "har"}};
  det.entries = 5000;
  det.touchpoints.push_back(Detected(*kb, "plausible", 10, {"https://voorbeeld.nl/"}));

  AuditResult r = Audit(reg, kb, std::move(det));

  // Rows: every plausible touchpoint (j % 5 in 0..2) shares the one detection; the
  // 800 without a known product follow as registered, not seen.
  ASSERT_EQ(r.touchpoints.size(), kTouchpoints);
  size_t matched = 0;
  for (const ReconciledTouchpoint& row : r.touchpoints)
    if (row.detected && row.registered) ++matched;
  EXPECT_EQ(matched, 1200u);

  std::map<std::string, size_t> per_rule;
  for (const Finding& f : r.findings) ++per_rule[f.rule_id];
  const std::map<std::string, size_t> expected = {
      {"BS003-art30-field-missing", kActivities / 4},                  // i % 4 == 3
      {"BS004-no-lawful-basis", kActivities / 4},                      // i % 4 == 1
      {"BS011-retention-missing", kActivities / 4},                    // i % 4 == 2
      {"BS012-toms-missing", kActivities / 4},                         // i % 4 == 2
      {"BS013-touchpoint-question-unanswered", 7 * kTouchpoints / 5},  // j % 5 == 1: seven questions each
      {"BS016-unknown-product", 2 * kTouchpoints / 5},                 // j % 5 == 3, 4
      {"BS017-not-in-use-but-seen", kTouchpoints / 5},                 // j % 5 == 2
  };
  EXPECT_EQ(per_rule, expected);
  // 500 + 500 + 500 + 500 + 2,800 + 800 + 400.
  EXPECT_EQ(r.findings.size(), 6000u);
  // BS004 where a touchpoint of the activity is seen sending (severity in context); the other 200 stay
  // medium.
  EXPECT_EQ(r.CountAtLeast(Severity::kHigh), 300u);
  EXPECT_EQ(r.CountAtLeast(Severity::kMedium), 2400u);  // + BS003, BS011, BS012, BS017

  // Sorted: severity, rule, subject id; within one subject the check's own order (question number).
  for (size_t i = 1; i < r.findings.size(); ++i) {
    const Finding& a = r.findings[i - 1];
    const Finding& b = r.findings[i];
    ASSERT_TRUE(a.severity > b.severity ||
                (a.severity == b.severity &&
                 (a.rule_id < b.rule_id || (a.rule_id == b.rule_id && a.subject_id <= b.subject_id))))
        << i << ": " << a.rule_id << " " << a.subject_id << " before " << b.rule_id << " " << b.subject_id;
  }
  // One touchpoint's seven questions stay in question order.
  std::vector<std::string> tp1;
  for (const Finding& f : r.findings)
    if (f.subject_id == "tp-1") tp1.push_back(f.path);
  EXPECT_EQ(tp1,
            (std::vector<std::string>{
                "touchpoints[tp-1].answers.in_use", "touchpoints[tp-1].answers.stored_by_us",
                "touchpoints[tp-1].answers.stored_by_vendor", "touchpoints[tp-1].answers.informed_statement",
                "touchpoints[tp-1].answers.data_collected", "touchpoints[tp-1].answers.lawful_basis",
                "touchpoints[tp-1].answers.security_measures"}));
}

}  // namespace
}  // namespace blindspot

// Severity in context (docs/rules-format.md#severity-in-context) for BS004,
// BS006, BS009, BS021 and BS022: each raise and each non-raise pinned.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;
using Context = std::vector<std::string>;

DetectionResult NoTraffic() {
  DetectionResult det;
  det.sources = {{"site.har", "har"}};
  det.entries = 10;
  return det;
}

// One purpose without a lawful basis in the activity "marketing" (BS004).
Register WithoutBasis() {
  Register r = CleanRegister();
  r.activities[0].purposes.push_back({"purpose-2", "Profiling", std::nullopt, "", "", {}});
  return r;
}

Finding Only(const AuditResult& r, std::string_view rule) {
  std::vector<Finding> fs = Of(r, rule);
  EXPECT_EQ(fs.size(), 1u) << rule;
  return fs.empty() ? Finding{} : fs[0];
}

TEST(SeverityContext, Bs004MissingFieldWithoutEvidenceStaysAtBase) {
  Finding f = Only(Audit(WithoutBasis(), TestKb(), NoTraffic()), "BS004-no-lawful-basis");
  EXPECT_EQ(f.base_severity, Severity::kMedium);
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_TRUE(f.severity_context.empty());
}

TEST(SeverityContext, Bs004RaisedByEvidenceOfSending) {
  // The activity's Meta Pixel is seen in the traffic.
  auto kb = TestKb();
  Finding f = Only(Audit(WithoutBasis(), kb, CleanDetection(*kb)), "BS004-no-lawful-basis");
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.severity_context, (Context{"evidence_of_sending"}));
}

TEST(SeverityContext, Bs004RaisedByWhatIsAtStake) {
  struct Case {
    void (*change)(Register&);
    Context expected;
  };
  const Case cases[] = {
      {[](Register& r) {
         r.activities[0].special_categories.push_back({"h", "user.health_and_medical", 'a', ""});
       },
       {"special_category"}},
      {[](Register& r) { r.activities[0].data_subjects.push_back("children under 16"); }, {"children"}},
      {[](Register& r) { r.organisation.public_body = true; }, {"public_body"}},
      {[](Register& r) { r.activities[0].large_scale = true; }, {"large_scale"}},
      {[](Register& r) {
         r.organisation.public_body = true;
         r.activities[0].data_subjects.push_back("leerlingen");
       },
       {"children", "public_body"}},
  };
  for (const Case& c : cases) {
    Register reg = WithoutBasis();
    c.change(reg);
    Finding f = Only(Audit(reg, TestKb(), NoTraffic()), "BS004-no-lawful-basis");
    EXPECT_EQ(f.severity, Severity::kHigh) << c.expected[0];
    EXPECT_EQ(f.base_severity, Severity::kMedium);
    EXPECT_EQ(f.severity_context, c.expected);
  }
  // An adult customer base, a private company, not large-scale: nothing at stake beyond the base.
  Register reg = WithoutBasis();
  reg.activities[0].data_subjects = {"customer", "employee"};
  EXPECT_EQ(Only(Audit(reg, TestKb(), NoTraffic()), "BS004-no-lawful-basis").severity, Severity::kMedium);
}

// The pixel's touchpoint answers legitimate interests although the kb requires consent (BS006).
Register PixelOnLegitimateInterests() {
  Register r = CleanRegister();
  r.touchpoints[0].answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  return r;
}

TEST(SeverityContext, Bs006RegisterOnlyStaysMediumSeenIsHigh) {
  Finding base = Only(Audit(PixelOnLegitimateInterests(), TestKb(), NoTraffic()), "BS006-consent-required");
  EXPECT_EQ(base.severity, Severity::kMedium);
  EXPECT_TRUE(base.severity_context.empty());

  auto kb = TestKb();
  Finding seen = Only(Audit(PixelOnLegitimateInterests(), kb, CleanDetection(*kb)), "BS006-consent-required");
  EXPECT_EQ(seen.severity, Severity::kHigh);
  EXPECT_EQ(seen.severity_context, (Context{"evidence_of_sending"}));
}

TEST(SeverityContext, Bs006StakesOfItsActivitiesAndItsTraffic) {
  Register reg = PixelOnLegitimateInterests();
  reg.activities[0].data_subjects = {"minors"};
  Finding kids = Only(Audit(reg, TestKb(), NoTraffic()), "BS006-consent-required");
  EXPECT_EQ(kids.severity, Severity::kHigh);
  EXPECT_EQ(kids.severity_context, (Context{"children"}));

  // A special-category term in the pixel's own requests counts as special categories.
  auto kb = TestKb();
  DetectionResult det = CleanDetection(*kb);
  CarriedData c;
  c.kind = CarriedKind::kSensitiveTerm;
  c.param = "dl";
  c.term = "hiv test";
  c.category = "health";
  c.requests = 1;
  c.host = "www.facebook.com";
  det.touchpoints[0].carried.push_back(c);
  Finding f = Only(Audit(PixelOnLegitimateInterests(), kb, std::move(det)), "BS006-consent-required");
  EXPECT_EQ(f.severity_context, (Context{"special_category", "evidence_of_sending"}));
}

TEST(SeverityContext, Bs009ActivityTransfer) {
  Register reg = CleanRegister();
  reg.activities[0].transfers.push_back({"transfer-2", "acme", "IN", TransferSafeguard::kNone, ""});
  auto bs009 = [&](const AuditResult& r) {
    for (const Finding& f : Of(r, "BS009-transfer-no-safeguard"))
      if (f.path == "activities[marketing].transfers[transfer-2].safeguard") return f;
    ADD_FAILURE() << "no BS009 for transfer-2";
    return Finding{};
  };
  Finding f = bs009(Audit(reg, TestKb(), NoTraffic()));
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_TRUE(f.severity_context.empty());
  // The activity is seen sending (no vendor "acme" in the register: the activity's touchpoints count).
  auto kb = TestKb();
  f = bs009(Audit(reg, kb, CleanDetection(*kb)));
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.severity_context, (Context{"evidence_of_sending"}));
}

TEST(SeverityContext, Bs009VendorOutsideTheEea) {
  Register reg = CleanRegister();
  Processor p;
  p.id = "offshore";
  p.name = "Offshore Support";
  p.country = "US";
  p.agreement.status = AgreementStatus::kSigned;
  reg.processors.push_back(p);
  auto vendor = [](const AuditResult& r) {
    for (const Finding& f : Of(r, "BS009-transfer-no-safeguard"))
      if (f.subject_id == "offshore") return f;
    ADD_FAILURE() << "no BS009 for the vendor";
    return Finding{};
  };
  // Named by no activity, not seen: the base.
  EXPECT_EQ(vendor(Audit(reg, TestKb(), NoTraffic())).severity, Severity::kMedium);
  // An activity about children names it as recipient.
  Register kids = reg;
  kids.activities[0].data_subjects = {"children"};
  kids.activities[0].recipients.push_back({"recipient-2", RecipientKind::kProcessor, "", "offshore"});
  Finding f = vendor(Audit(kids, TestKb(), NoTraffic()));
  EXPECT_EQ(f.severity, Severity::kHigh);
  EXPECT_EQ(f.severity_context, (Context{"children"}));
  // A public body.
  reg.organisation.public_body = true;
  EXPECT_EQ(vendor(Audit(reg, TestKb(), NoTraffic())).severity_context, (Context{"public_body"}));
}

TEST(SeverityContext, Bs021AndBs022AreEvidenceAndStayAtTheirHighBase) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  reg.touchpoints[0].answers.lawful_basis = LawfulBasis::kLegitimateInterests;  // BS022, not BS035
  reg.activities[0].data_subjects = {"children"};
  reg.organisation.public_body = true;
  DetectionResult det = CleanDetection(*kb);
  CarriedData c;
  c.kind = CarriedKind::kPhone;  // the register declares e-mail addresses, not phone numbers
  c.param = "phone";
  c.requests = 2;
  c.host = "www.facebook.com";
  det.touchpoints[0].carried.push_back(c);
  det.touchpoints[0].phases_active = {ConsentPhase::kBeforeConsent};
  det.sources[0].phase = ConsentPhase::kBeforeConsent;
  AuditResult r = Audit(reg, kb, std::move(det));
  for (std::string_view rule : {"BS021-personal-data-in-clear", "BS022-tracking-without-consent"}) {
    Finding f = Only(r, rule);
    EXPECT_EQ(f.severity, Severity::kHigh) << rule;
    EXPECT_EQ(f.base_severity, Severity::kHigh) << rule;
    EXPECT_TRUE(f.severity_context.empty()) << rule;  // nothing changed, nothing recorded
  }
  // Both are to be done at once in the action list.
  for (const Action& a : r.actions.actions) {
    if (a.rule_id == "BS021-personal-data-in-clear" || a.rule_id == "BS022-tracking-without-consent") {
      EXPECT_EQ(a.priority, ActionPriority::kImmediate) << a.rule_id;
    }
  }
}

}  // namespace
}  // namespace blindspot

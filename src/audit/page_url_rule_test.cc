// BS041: personal data in the site's own page URLs, passed on to third parties.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

constexpr std::string_view kBs041 = "BS041-personal-data-in-page-url";

CarriedData Carried(CarriedKind kind, std::string param, std::string inner = {}, uint64_t requests = 1) {
  CarriedData c;
  c.kind = kind;
  c.param = std::move(param);
  c.inner = std::move(inner);
  c.requests = requests;
  c.host = "www.facebook.com";
  c.page = "page 1";
  return c;
}

DetectionResult WithCarried(const Kb& kb, std::vector<CarriedData> carried) {
  DetectionResult det = CleanDetection(kb);
  det.first_party_domains = {"voorbeeld.nl"};
  det.touchpoints[0].carried = std::move(carried);
  return det;
}

TEST(PersonalDataInPageUrl, PageUrlWithAnAddressSentOnIsOneFindingAboutTheSite) {
  auto kb = TestKb();
  DetectionResult det = WithCarried(
      *kb, {Carried(CarriedKind::kPageUrl, "dl", {}, 3), Carried(CarriedKind::kEmail, "dl", "email", 2)});
  // An unattributed third party got the same page URL.
  UnattributedCarried u;
  u.registrable_domain = "collector.example";
  u.carried = {Carried(CarriedKind::kPageUrl, "url"), Carried(CarriedKind::kEmail, "url", "email")};
  det.carried.push_back(u);
  AuditResult r = Audit(CleanRegister(), kb, std::move(det));
  std::vector<Finding> fs = Of(r, kBs041);
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(fs[0].subject_id, "site:voorbeeld.nl");
  EXPECT_EQ(fs[0].key, "email/email");
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(
      En(fs[0]),
      "Pages of voorbeeld.nl carry personal data (e-mail address) in their own URL (parameter 'email'); "
      "Meta Pixel, collector.example received it with the page URL (3 requests, first on page page 1)");
  // One thing to do, at once: fix the site.
  bool found = false;
  for (const Action& a : r.actions.actions)
    if (a.rule_id == kBs041) {
      found = true;
      EXPECT_EQ(a.priority, ActionPriority::kImmediate);
      EXPECT_EQ(a.findings.size(), 1u);
    }
  EXPECT_TRUE(found);
}

TEST(PersonalDataInPageUrl, NotWithoutAFirstPartyPageUrlInTheSameParameter) {
  auto kb = TestKb();
  // The address sits inside a URL in "u", but "u" holds no first-party page URL (another site's URL).
  AuditResult r = Audit(
      CleanRegister(), kb,
      WithCarried(*kb, {Carried(CarriedKind::kPageUrl, "dl"), Carried(CarriedKind::kEmail, "u", "email")}));
  EXPECT_TRUE(Of(r, kBs041).empty());
  // A phone number sent directly in a parameter (not in a URL): BS021's matter, not the site's URLs.
  r = Audit(CleanRegister(), kb,
            WithCarried(*kb, {Carried(CarriedKind::kPageUrl, "dl"), Carried(CarriedKind::kPhone, "phone")}));
  EXPECT_TRUE(Of(r, kBs041).empty());
  EXPECT_EQ(Of(r, "BS021-personal-data-in-clear").size(), 1u);
  // A page URL alone (what every analytics tool sends).
  r = Audit(CleanRegister(), kb, WithCarried(*kb, {Carried(CarriedKind::kPageUrl, "dl")}));
  EXPECT_TRUE(Of(r, kBs041).empty());
}

TEST(PersonalDataInPageUrl, ARegisteredRecipientOfTheDataDoesNotMakeTheUrlSafe) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  reg.touchpoints[0].answers.data_collected.push_back("user.contact.email");
  AuditResult r = Audit(
      reg, kb,
      WithCarried(*kb, {Carried(CarriedKind::kPageUrl, "dl"), Carried(CarriedKind::kEmail, "dl", "email")}));
  EXPECT_TRUE(Of(r, "BS021-personal-data-in-clear").empty());  // the intended recipient
  ASSERT_EQ(Of(r, kBs041).size(), 1u);
  EXPECT_EQ(Of(r, kBs041)[0].key, "email/email");
}

}  // namespace
}  // namespace blindspot

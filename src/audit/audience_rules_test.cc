// Rules BS037-BS040 (issue 8: lists and audiences, sensitive data in traffic):
// positive and negative cases on the clean fixture of audit_test_util.h.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

class AudienceRuleTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = TestKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  AuditResult Run() { return Audit(reg, kb, det); }
  Touchpoint& pixel() { return reg.touchpoints[0]; }
  // A second touchpoint: a customer list uploaded to Meta, on consent, informed.
  Touchpoint& AddList() {
    Touchpoint t = reg.touchpoints[0];
    t.id = "tp-list";
    t.name = "Klantenlijst naar Meta";
    t.product = "meta-custom-audiences";
    t.answers.lawful_basis = LawfulBasis::kConsent;
    t.answers.informed_section = "Advertenties op sociale media";
    t.audience_list.subjects = "customers";
    t.audience_list.hashed = true;
    t.audience_list.consent_reference = "CRM field ads_consent";
    reg.touchpoints.push_back(t);
    return reg.touchpoints.back();
  }
};

TEST_F(AudienceRuleTest, ConsentedInformedCustomerListHasNoFinding) {
  AddList();
  AuditResult r = Run();
  for (const char* id : {"BS037-audience-list-basis", "BS038-hashed-not-anonymous",
                         "BS039-audience-list-not-in-statement", "BS040-sensitive-data-in-traffic"})
    EXPECT_TRUE(Of(r, id).empty()) << id;
}

// --- BS037 ---------------------------------------------------------------

TEST_F(AudienceRuleTest, ProspectsOnLegitimateInterests) {
  Touchpoint& t = AddList();
  t.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  t.audience_list.subjects = "prospects";
  auto f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].path, "touchpoints[tp-list].audience_list.list_subjects");
  EXPECT_EQ(
      En(f[0]),
      "Audience list 'Klantenlijst naar Meta' (Meta Custom Audiences) of prospects (not customers) is "
      "uploaded on legitimate interests: people who are not customers do not expect their contact data to "
      "go to an ad platform; ask their consent");
  EXPECT_EQ(
      Nl(f[0]).rfind("Doelgroeplijst 'Klantenlijst naar Meta' (Meta Custom Audiences) met prospects", 0), 0u);
  EXPECT_EQ(De(f[0]).rfind("Zielgruppenliste 'Klantenlijst naar Meta'", 0), 0u);
}

TEST_F(AudienceRuleTest, ExclusionListIsStillProcessing) {
  Touchpoint& t = AddList();
  t.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  t.audience_list.subjects = "newsletter_subscribers";
  t.audience_list.exclusion = true;
  auto f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      En(f[0]).rfind(
          "Exclusion list 'Klantenlijst naar Meta' (Meta Custom Audiences) of newsletter subscribers", 0),
      0u)
      << En(f[0]);
}

TEST_F(AudienceRuleTest, CustomersOnLegitimateInterestsNeedAnOptOut) {
  Touchpoint& t = AddList();
  t.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  auto f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-list].answers.lawful_basis");
  EXPECT_NE(En(f[0]).find("can object to it at any time (Art. 21(2)-(3) GDPR)"), std::string::npos)
      << En(f[0]);
}

TEST_F(AudienceRuleTest, UnknownSubjectsOnLegitimateInterests) {
  Touchpoint& t = AddList();
  t.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  t.audience_list = {};  // only the kb category says it is a list upload
  auto f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("does not say who is on the list"), std::string::npos);
}

TEST_F(AudienceRuleTest, NoBasisFallsBackToActivitiesAndContractDoesNotFit) {
  Touchpoint& t = AddList();
  t.answers.lawful_basis.reset();  // the activity's purpose is consent
  EXPECT_TRUE(Of(Run(), "BS037-audience-list-basis").empty());
  reg.activities[0].purposes[0].lawful_basis.reset();
  auto f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(En(f[0]),
            "Audience list 'Klantenlijst naar Meta' (Meta Custom Audiences) is uploaded without a recorded "
            "lawful basis");
  reg.touchpoints[1].answers.lawful_basis = LawfulBasis::kContract;
  f = Of(Run(), "BS037-audience-list-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("on the basis contract"), std::string::npos) << En(f[0]);
}

TEST_F(AudienceRuleTest, PixelAndListNotInUseAreNotListUploads) {
  pixel().answers.lawful_basis = LawfulBasis::kLegitimateInterests;  // a pixel, not a list
  Touchpoint& t = AddList();
  t.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  t.audience_list.subjects = "prospects";
  t.answers.in_use = false;
  EXPECT_TRUE(Of(Run(), "BS037-audience-list-basis").empty());
}

// --- BS038 ---------------------------------------------------------------

TEST_F(AudienceRuleTest, ListRecordedAsAnonymous) {
  Touchpoint& t = AddList();
  t.audience_list.anonymous = true;
  auto f = Of(Run(), "BS038-hashed-not-anonymous");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-list].audience_list.anonymous");
  EXPECT_EQ(
      En(f[0]),
      "Audience list 'Klantenlijst naar Meta' (Meta Custom Audiences) is recorded as anonymous because it is "
      "hashed; a list of hashed contact data is uploaded to be matched to people, so it is personal data");
  reg.touchpoints[1].audience_list.anonymous = false;
  EXPECT_TRUE(Of(Run(), "BS038-hashed-not-anonymous").empty());
}

TEST_F(AudienceRuleTest, PixelCalledAnonymousWhileSendingHashedEmail) {
  pixel().answers.security_measures = {"consent_management", "e-mail anonymised by hashing"};
  auto f = Of(Run(), "BS038-hashed-not-anonymous");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.security_measures[1]");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' lists the security measure 'e-mail anonymised by hashing', but "
      "Meta Pixel sends user.contact.email in the data signal advanced-matching (parameter ud[em]): a hashed "
      "identifier is pseudonymous, not anonymous");
  // "pseudonymised" is the right word, not a claim of anonymity.
  pixel().answers.security_measures = {"e-mail pseudonymised (hashed), not anonymous"};
  EXPECT_TRUE(Of(Run(), "BS038-hashed-not-anonymous").empty());
  // Without a contact data signal the claim is not contradicted by the evidence.
  pixel().answers.security_measures = {"geanonimiseerd"};
  ASSERT_EQ(Of(Run(), "BS038-hashed-not-anonymous").size(), 1u);
  det.touchpoints[0].signals.clear();
  EXPECT_TRUE(Of(Run(), "BS038-hashed-not-anonymous").empty());
}

// --- BS039 ---------------------------------------------------------------

TEST_F(AudienceRuleTest, ListUploadWithoutStatementOrSection) {
  Touchpoint& t = AddList();
  t.answers.informed_section.clear();
  auto f = Of(Run(), "BS039-audience-list-not-in-statement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-list].answers.informed_section");
  EXPECT_EQ(
      En(f[0]),
      "The upload of list 'Klantenlijst naar Meta' to Meta Custom Audiences refers to the privacy statement "
      "https://voorbeeld.nl/privacy, but not to the section that names the upload");
  reg.touchpoints[1].answers.informed_statement.clear();
  f = Of(Run(), "BS039-audience-list-not-in-statement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-list].answers.informed_statement");
  // The pixel touchpoint without a section is not a list upload (BS013 covers it).
  pixel().answers.informed_section.clear();
  EXPECT_EQ(Of(Run(), "BS039-audience-list-not-in-statement").size(), 1u);
}

// --- BS040 ---------------------------------------------------------------

CarriedData Term(std::string param, std::string term, std::string category) {
  CarriedData c;
  c.kind = CarriedKind::kSensitiveTerm;
  c.param = std::move(param);
  c.term = std::move(term);
  c.category = std::move(category);
  c.host = "www.facebook.com";
  c.requests = 3;
  c.page = "https://apotheek.example/hiv-zelftest";
  return c;
}

TEST_F(AudienceRuleTest, SensitiveTermToAnAdvertisingProductIsHigh) {
  det.touchpoints[0].carried = {Term("dl", "hiv", "health")};
  auto f = Of(Run(), "BS040-sensitive-data-in-traffic");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_id, "meta-pixel");
  EXPECT_EQ(En(f[0]),
            "The term \"hiv\" (health) in parameter dl sent to www.facebook.com (3 requests), first on page "
            "https://apotheek.example/hiv-zelftest");
  EXPECT_EQ(Nl(f[0]).rfind("De term \"hiv\" (gezondheid) in parameter dl", 0), 0u) << Nl(f[0]);
  EXPECT_EQ(De(f[0]).rfind("Der Begriff „hiv“ (Gesundheit) im Parameter dl", 0), 0u) << De(f[0]);
  // Not personal data in clear: BS021 stays silent.
  EXPECT_TRUE(Of(Run(), "BS021-personal-data-in-clear").empty());
}

TEST_F(AudienceRuleTest, SensitiveTermToOtherVendorsIsMediumAndPageUrlsAreNot) {
  DetectedTouchpoint hj = Detected(*kb, "hotjar", 3, {"https://voorbeeld.nl/"});
  hj.carried = {Term("url", "mosque", "religion")};
  CarriedData page;  // a page URL without a term is not a finding
  page.kind = CarriedKind::kPageUrl;
  page.param = "dl";
  page.host = "www.facebook.com";
  page.requests = 1;
  det.touchpoints[0].carried = {page};
  det.touchpoints.push_back(hj);
  auto f = Of(Run(), "BS040-sensitive-data-in-traffic");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "hotjar");
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  UnattributedCarried u;
  u.registrable_domain = "tracker.example";
  u.carried = {Term("dt", "depressie", "health")};
  det.carried = {u};
  f = Of(Run(), "BS040-sensitive-data-in-traffic");
  ASSERT_EQ(f.size(), 2u);
}

}  // namespace
}  // namespace blindspot

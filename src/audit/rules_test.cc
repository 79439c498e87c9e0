// One positive and one negative case per rule, on the clean fixture of
// audit_test_util.h with one change each.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "audit/audit_test_util.h"
#include "audit/rule.h"

namespace blindspot {
namespace {

using namespace testing_audit;

class RuleTest : public ::testing::Test {
 protected:
  Kb kb = TestKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(kb);
  AuditResult Run() {
    SortDetections(det);
    return RunAudit(reg, kb, det);
  }
  ProcessingActivity& act() { return reg.activities[0]; }
  Touchpoint& tp() { return reg.touchpoints[0]; }
  Processor& vendor() { return reg.processors[0]; }
};

// --- BS003 Art. 30 fields -------------------------------------------------

TEST_F(RuleTest, Art30OneFindingPerMissingActivityField) {
  act().purposes.clear();
  act().data_subjects.clear();
  act().data_categories.clear();
  act().recipients = {};
  AuditResult r = Run();
  auto f = Of(r, "BS003-art30-field-missing");
  ASSERT_EQ(f.size(), 4u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kMedium);
    EXPECT_EQ(x.subject_kind, SubjectKind::kActivity);
    EXPECT_EQ(x.subject_id, "marketing");
    EXPECT_EQ(x.subject_name, "Online marketing");
    EXPECT_EQ(x.loc.line, 10u);
  }
  // Sorted by detail within the same subject.
  EXPECT_EQ(f[0].detail.en,
            "Activity 'Online marketing' does not record its categories of data subjects (Art. 30(1)(c))");
  EXPECT_EQ(f[1].detail.en,
            "Activity 'Online marketing' does not record its categories of personal data (Art. 30(1)(c))");
  EXPECT_EQ(f[2].detail.en,
            "Activity 'Online marketing' does not record its categories of recipients (Art. 30(1)(d))");
  EXPECT_EQ(f[3].detail.en, "Activity 'Online marketing' does not record its purposes (Art. 30(1)(b))");
  EXPECT_EQ(f[3].detail.nl, "Verwerking 'Online marketing' vermeldt geen doeleinden (art. 30 lid 1 sub b)");
}

TEST_F(RuleTest, Art30OrganisationFields) {
  reg.organisation.name.clear();
  reg.organisation.contact = {};
  reg.organisation.dpo = {};
  AuditResult r = Run();
  auto f = Of(r, "BS003-art30-field-missing");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kOrganisation);
  EXPECT_EQ(f[0].subject_id, "organisation");
  EXPECT_EQ(f[0].detail.en, "The register does not record the name of the controller (Art. 30(1)(a))");
  EXPECT_EQ(f[1].subject_id, "organisation.contact");
  EXPECT_EQ(
      f[1].detail.nl,
      "Het register vermeldt geen contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 1 sub a)");
  EXPECT_EQ(f[2].subject_id, "organisation.dpo");
  EXPECT_EQ(f[2].loc.line, 2u);
}

TEST_F(RuleTest, Art30NegativeSpecialCategoriesCountAsDataAndAnyRecipientKind) {
  act().data_categories.clear();
  act().special_categories.push_back({"user.health_and_medical", 'a', "explicit consent", {}});
  act().recipients = {};
  act().recipients.internal = {"marketing department"};
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS003-art30-field-missing").empty());
}

// --- BS004 / BS005 lawful basis ----------------------------------------------

TEST_F(RuleTest, PurposeWithoutLawfulBasis) {
  act().purposes[0].lawful_basis.reset();
  AuditResult r = Run();
  auto f = Of(r, "BS004-no-lawful-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_id, "marketing");
  EXPECT_EQ(f[0].loc.line, 12u);  // the purpose's own line
  EXPECT_EQ(f[0].detail.en, "Purpose 'Retargeting' of activity 'Online marketing' has no lawful basis");
  EXPECT_EQ(f[0].detail.nl, "Doel 'Retargeting' van verwerking 'Online marketing' heeft geen grondslag");
}

TEST_F(RuleTest, PurposeWithLawfulBasisIsFine) {
  act().purposes[0].lawful_basis = LawfulBasis::kContract;
  tp().answers.lawful_basis = LawfulBasis::kConsent;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS004-no-lawful-basis").empty());
}

TEST_F(RuleTest, LegitimateInterestsWithoutLia) {
  act().purposes[0].lawful_basis = LawfulBasis::kLegitimateInterests;
  AuditResult r = Run();
  auto f = Of(r, "BS005-lia-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(
      f[0].detail.en,
      "Purpose 'Retargeting' of activity 'Online marketing' relies on legitimate interests but refers to no "
      "legitimate interests assessment");
  EXPECT_NE(f[0].detail.nl.find("belangenafweging"), std::string::npos);
}

TEST_F(RuleTest, LegitimateInterestsWithLiaIsFine) {
  act().purposes[0].lawful_basis = LawfulBasis::kLegitimateInterests;
  act().purposes[0].lia_reference = "LIA-2024-03";
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS005-lia-missing").empty());
}

// --- BS006 consent -----------------------------------------------------------

TEST_F(RuleTest, ConsentRequiredButTouchpointAnswerIsLegitimateInterests) {
  tp().answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  AuditResult r = Run();
  auto f = Of(r, "BS006-consent-required");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(f[0].loc.line, 40u);
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) requires prior consent, but the touchpoint answer "
      "names legitimate interests as lawful basis");
  EXPECT_EQ(f[0].detail.nl,
            "Touchpoint 'Meta Pixel on the website' (Meta Pixel) vereist voorafgaande toestemming, maar het "
            "antwoord bij het touchpoint noemt gerechtvaardigd belang als grondslag");
}

TEST_F(RuleTest, ConsentRequiredFallsBackToActivityPurposes) {
  tp().answers.lawful_basis.reset();
  act().purposes[0].lawful_basis = LawfulBasis::kContract;
  AuditResult r = Run();
  auto f = Of(r, "BS006-consent-required");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.en.find("but its activities name contract as lawful basis"), std::string::npos);
  EXPECT_NE(f[0].detail.nl.find("de gekoppelde verwerkingen noemen overeenkomst als grondslag"),
            std::string::npos);
}

TEST_F(RuleTest, ConsentRequiredSatisfiedByActivityConsentPurpose) {
  tp().answers.lawful_basis.reset();
  Purpose extra;
  extra.description = "Order handling";
  extra.lawful_basis = LawfulBasis::kContract;
  act().purposes.push_back(extra);  // consent purpose remains
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS006-consent-required").empty());
}

TEST_F(RuleTest, ConsentNotRequiredByKbIsFine) {
  tp().product = "plausible";
  tp().answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS006-consent-required").empty());
}

// --- BS007 special categories ------------------------------------------------

TEST_F(RuleTest, SpecialCategoryWithoutCondition) {
  act().special_categories.push_back({"user.health_and_medical", std::nullopt, "", {15, 9}});
  act().special_categories.push_back({"user.religious_belief", 'z', "", {}});
  AuditResult r = Run();
  auto f = Of(r, "BS007-special-category-no-condition");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].loc.line, 10u);  // no own loc: the activity's
  EXPECT_EQ(f[0].detail.en,
            "Special category 'user.religious_belief' in activity 'Online marketing' names Art. 9(2)(z), "
            "which does "
            "not exist (expected a-j)");
  EXPECT_EQ(f[1].loc.line, 15u);
  EXPECT_EQ(
      f[1].detail.en,
      "Special category 'user.health_and_medical' in activity 'Online marketing' has no Art. 9(2) exception");
  EXPECT_EQ(f[1].detail.nl,
            "Bijzondere categorie 'user.health_and_medical' in verwerking 'Online marketing' heeft geen "
            "uitzondering van art. 9 lid 2");
}

TEST_F(RuleTest, SpecialCategoryWithConditionIsFine) {
  act().special_categories.push_back({"user.health_and_medical", 'a', "explicit consent", {}});
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS007-special-category-no-condition").empty());
}

// --- BS008 processor agreement ----------------------------------------------

TEST_F(RuleTest, ProcessorWithoutSignedAgreement) {
  Processor p;
  p.id = "mailer";
  p.name = "Mailer BV";
  p.country = "NL";
  p.role = VendorRole::kProcessor;
  p.agreement.status = AgreementStatus::kPending;
  p.loc = {50, 5};
  reg.processors.push_back(p);
  AuditResult r = Run();
  auto f = Of(r, "BS008-processor-no-dpa");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].subject_id, "mailer");
  EXPECT_EQ(f[0].loc.line, 50u);
  EXPECT_EQ(f[0].detail.en,
            "Processor 'Mailer BV' has no signed data processing agreement (status: pending)");
  EXPECT_EQ(f[0].detail.nl,
            "Verwerker 'Mailer BV' heeft geen getekende verwerkersovereenkomst (status: in behandeling)");
}

TEST_F(RuleTest, KbProcessorTouchpointWithVendorInOtherRoleUnsigned) {
  tp().product = "plausible";  // kb role: processor
  vendor().role = VendorRole::kIndependentController;
  vendor().agreement.status = AgreementStatus::kMissing;
  AuditResult r = Run();
  auto f = Of(r, "BS008-processor-no-dpa");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Meta Pixel on the website' uses Plausible Analytics, whose vendor acts as processor, but "
      "vendor 'Meta Platforms Ireland' is registered as independent controller without a signed data "
      "processing agreement");
}

TEST_F(RuleTest, KbProcessorTouchpointWithoutVendor) {
  tp().product = "plausible";
  tp().vendor.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS008-processor-no-dpa");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.en.find("the register names no vendor for it"), std::string::npos);
  EXPECT_NE(f[0].detail.nl.find("noemt geen leverancier"), std::string::npos);
}

TEST_F(RuleTest, ProcessorWithSignedAgreementIsFine) {
  tp().product = "plausible";
  vendor().role = VendorRole::kProcessor;
  vendor().agreement.status = AgreementStatus::kSigned;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS008-processor-no-dpa").empty());
}

// --- BS009 transfers ----------------------------------------------------------

TEST_F(RuleTest, ActivityTransferWithoutSafeguard) {
  act().transfers[0].safeguard = TransferSafeguard::kNone;
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kActivity);
  EXPECT_EQ(f[0].loc.line, 20u);
  EXPECT_EQ(f[0].detail.en,
            "Activity 'Online marketing' transfers personal data to 'Meta Platforms Ireland' in US without a "
            "transfer safeguard");
}

TEST_F(RuleTest, NonEeaVendorWithoutSafeguard) {
  vendor().country = "US";
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].subject_id, "meta");
  EXPECT_EQ(
      f[0].detail.nl,
      "Leverancier 'Meta Platforms Ireland' is gevestigd in US (buiten de EER) en er is geen waarborg voor "
      "doorgifte vastgelegd");
}

TEST_F(RuleTest, DetectedNonEeaTouchpointWithoutRegisteredTransfer) {
  act().transfers.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(f[0].detail.en,
            "Touchpoint 'Meta Pixel on the website' (Meta Pixel) sends data to US (outside the EEA), but the "
            "register records no transfer to its vendor");
}

TEST_F(RuleTest, DetectedNonEeaTouchpointNamesVendorMechanism) {
  act().transfers.clear();
  std::vector<KbEntry> entries = kb.entries();
  for (KbEntry& e : entries)
    if (e.id == "meta-pixel") e.vendor.transfer_mechanism = "data_privacy_framework";
  kb = Kb::FromEntries(entries);
  det = CleanDetection(kb);
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      f[0].detail.nl,
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) stuurt gegevens naar US (buiten de EER), maar "
      "het register vermeldt geen doorgifte aan de leverancier (de leverancier beroept zich op: "
      "EU-VS Data Privacy Framework)");
}

TEST_F(RuleTest, BlindSpotWithNonEeaProcessingIsOneFindingThatNamesTheTransfer) {
  reg.touchpoints.clear();
  AuditResult r = Run();
  // The blind spot (BS001) carries the transfer; BS009 does not repeat it.
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
  auto f = Of(r, "BS001-blind-spot");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(f[0].subject_id, "meta-pixel");
  EXPECT_NE(f[0].detail.en.find("processes data in US (outside the EEA"), std::string::npos) << f[0].detail.en;
  EXPECT_NE(f[0].detail.nl.find("leg dus ook de doorgifte vast"), std::string::npos) << f[0].detail.nl;
}

TEST_F(RuleTest, TransfersWithSafeguardsAreFine) {
  vendor().country = "US";
  vendor().transfer_safeguard = TransferSafeguard::kSccs;
  act().transfers.clear();  // the vendor's safeguard records the transfer
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
}

// --- BS010 joint controllers -------------------------------------------------

TEST_F(RuleTest, JointControllerWithoutArrangement) {
  vendor().agreement.status = AgreementStatus::kMissing;
  AuditResult r = Run();
  auto f = Of(r, "BS010-joint-controller-no-arrangement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].loc.line, 33u);
  EXPECT_EQ(f[0].detail.en,
            "Joint controller 'Meta Platforms Ireland' has no signed Art. 26 arrangement (status: missing)");
}

TEST_F(RuleTest, KbJointControllerRegisteredAsProcessorUnsigned) {
  vendor().role = VendorRole::kProcessor;
  vendor().agreement.status = AgreementStatus::kMissing;
  AuditResult r = Run();
  auto f = Of(r, "BS010-joint-controller-no-arrangement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(
      f[0].detail.nl,
      "Touchpoint 'Meta Pixel on the website' gebruikt Meta Pixel, waarvan de leverancier gezamenlijk "
      "verwerkingsverantwoordelijke is, maar leverancier 'Meta Platforms Ireland' staat geregistreerd als "
      "verwerker zonder getekende regeling");
}

TEST_F(RuleTest, JointControllerSignedIsFine) {
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS010-joint-controller-no-arrangement").empty());
}

// --- BS011 retention / BS012 TOMs -------------------------------------------

TEST_F(RuleTest, RetentionMissing) {
  act().retention.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS011-retention-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].detail.en, "Activity 'Online marketing' records no retention period (Art. 30(1)(f))");
  EXPECT_EQ(f[0].detail.nl,
            "Verwerking 'Online marketing' vermeldt geen bewaartermijn (art. 30 lid 1 sub f)");
}

TEST_F(RuleTest, RetentionEntryWithoutPeriod) {
  act().retention.push_back({"user.contact.email", "", "", {26, 9}});
  AuditResult r = Run();
  auto f = Of(r, "BS011-retention-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].loc.line, 26u);
  EXPECT_EQ(f[0].detail.en,
            "Activity 'Online marketing' has a retention entry for 'user.contact.email' without a period");
}

TEST_F(RuleTest, RetentionPresentIsFine) {
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS011-retention-missing").empty());
}

TEST_F(RuleTest, TomsMissing) {
  act().toms = {};
  AuditResult r = Run();
  auto f = Of(r, "BS012-toms-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_id, "marketing");
  EXPECT_EQ(f[0].detail.en,
            "Activity 'Online marketing' does not describe its technical and organisational measures (Art. "
            "30(1)(g))");
}

TEST_F(RuleTest, TomsDescriptionOnlyIsFine) {
  act().toms = {};
  act().toms.description = "See information security policy v3";
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS012-toms-missing").empty());
}

// --- BS013 touchpoint questions ---------------------------------------------

TEST_F(RuleTest, EveryUnansweredQuestionIsAFinding) {
  tp().answers = {};
  tp().answers.loc = {42, 7};
  tp().answers.lawful_basis = LawfulBasis::kConsent;  // keeps BS006 quiet; necessity still missing
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 7u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kLow);
    EXPECT_EQ(x.subject_id, "tp-meta");
    EXPECT_EQ(x.loc.line, 42u);
  }
  EXPECT_EQ(f[0].detail.en,
            "Touchpoint 'Meta Pixel on the website': question 1 is unanswered: is it in use?");
  EXPECT_EQ(
      f[3].detail.en,
      "Touchpoint 'Meta Pixel on the website': question 4 is unanswered: how are people informed (privacy "
      "statement and section)?");
  EXPECT_EQ(
      f[5].detail.en,
      "Touchpoint 'Meta Pixel on the website': question 6 is unanswered: is it proportionate (necessity)?");
  EXPECT_EQ(
      f[4].detail.nl,
      "Touchpoint 'Meta Pixel on the website': vraag 5 is niet beantwoord: welke persoonsgegevens worden "
      "verzameld?");
  EXPECT_EQ(f[6].detail.en,
            "Touchpoint 'Meta Pixel on the website': question 7 is unanswered: which security measures apply?");
}

TEST_F(RuleTest, QuestionsAnsweredOrNotInUseAreFine) {
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS013-touchpoint-question-unanswered").empty());
  Touchpoint old;
  old.id = "tp-old";
  old.product = "plausible";
  old.answers.in_use = false;
  reg.touchpoints.push_back(old);
  AuditResult r2 = Run();
  EXPECT_TRUE(Of(r2, "BS013-touchpoint-question-unanswered").empty());
  EXPECT_TRUE(Of(r2, "BS002-not-seen").empty());  // registered as not in use
}

// --- BS014 DPIA ---------------------------------------------------------------

TEST_F(RuleTest, DpiaNotAssessedForSessionRecording) {
  Touchpoint rec = tp();
  rec.id = "tp-hotjar";
  rec.name = "Session recording";
  rec.product = "hotjar";
  rec.loc = {60, 5};
  reg.touchpoints.push_back(rec);
  act().dpia.status = DpiaStatus::kNotAssessed;
  det.touchpoints.push_back(Detected(kb, "hotjar", 4, {"p"}));
  AuditResult r = Run();
  auto f = Of(r, "BS014-dpia-not-assessed");
  ASSERT_EQ(f.size(), 1u);  // the meta pixel is not a high-risk category
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_id, "tp-hotjar");
  EXPECT_EQ(f[0].loc.line, 60u);
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Session recording' uses Hotjar (category session-recording), but none of its activities "
      "records whether a DPIA is required");
}

TEST_F(RuleTest, DpiaAssessedIsFine) {
  tp().product = "hotjar";
  act().dpia.status = DpiaStatus::kNotRequired;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS014-dpia-not-assessed").empty());
}

// --- BS015 undeclared data signals ------------------------------------------

TEST_F(RuleTest, HashedEmailNotDeclared) {
  act().data_categories = {"user.device.cookie_id"};
  AuditResult r = Run();
  auto f = Of(r, "BS015-undeclared-data-signal");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(
      f[0].detail.en,
      "Meta Pixel sends 'user.contact.email' (parameter ud[em], signal advanced-matching), but touchpoint "
      "'Meta Pixel on the website' and its activities do not declare that data category");
  EXPECT_EQ(f[0].detail.nl,
            "Meta Pixel verstuurt 'user.contact.email' (parameter ud[em], signaal advanced-matching), maar "
            "touchpoint 'Meta Pixel on the website' en de gekoppelde verwerkingen vermelden die categorie "
            "persoonsgegevens niet");
}

TEST_F(RuleTest, DataSignalDeclaredByAncestorCategoryIsFine) {
  act().data_categories = {"user.device.cookie_id"};
  tp().answers.data_collected = {"user.contact"};
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS015-undeclared-data-signal").empty());
  tp().answers.data_collected = {"user.telemetry"};  // deprecated key, now user.device.telemetry
  det.touchpoints[0].signals[0].data_category = "user.device.telemetry.session";
  EXPECT_TRUE(Of(Run(), "BS015-undeclared-data-signal").empty());
  det.touchpoints[0].signals[0].data_category = "user.contact.email";
  tp().answers.data_collected = {"user.contactless"};  // not an ancestor
  AuditResult r2 = Run();
  EXPECT_EQ(Of(r2, "BS015-undeclared-data-signal").size(), 1u);
}

// --- BS016 unknown product / BS017 not in use but seen ----------------------

TEST_F(RuleTest, UnknownAndMissingProduct) {
  Touchpoint a;
  a.id = "tp-a";
  a.name = "Chat";
  a.product = "acme-chat";
  Touchpoint b;
  b.id = "tp-b";
  b.name = "Phone";
  reg.touchpoints.push_back(a);
  reg.touchpoints.push_back(b);
  AuditResult r = Run();
  auto f = Of(r, "BS016-unknown-product");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].subject_id, "tp-a");
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Chat' names product 'acme-chat', which the knowledge base does not know, so it cannot be "
      "matched with the traffic");
  EXPECT_EQ(f[1].subject_id, "tp-b");
  EXPECT_EQ(f[1].detail.nl,
            "Touchpoint 'Phone' noemt geen product en kan dus niet met het verkeer worden vergeleken");
}

TEST_F(RuleTest, KnownProductIsFine) {
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS016-unknown-product").empty());
}

TEST_F(RuleTest, NotInUseButSeen) {
  tp().answers.in_use = false;
  AuditResult r = Run();
  auto f = Of(r, "BS017-not-in-use-but-seen");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].loc.line, 42u);
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Meta Pixel on the website' is registered as not in use, but meta-pixel was seen (12 "
      "pieces of evidence)");
  det.touchpoints.clear();
  AuditResult r2 = Run();
  EXPECT_TRUE(Of(r2, "BS017-not-in-use-but-seen").empty());
}

// --- BS001 / BS002 negatives (positives in audit_test.cc) --------------------

TEST_F(RuleTest, NoHarsNotSeenSaysSo) {
  det = {};
  AuditResult r = Run();
  auto f = Of(r, "BS002-not-seen");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      f[0].detail.en,
      "Touchpoint 'Meta Pixel on the website' (product meta-pixel) is registered; no HAR file was analysed, "
      "so it was not seen");
  EXPECT_TRUE(Of(r, "BS001-blind-spot").empty());
}

// --- Dutch titles of the legal sources ---------------------------------------

// Lower-case words (runs of letters; bytes >= 0x80 count as letters, so "categorieën" stays one word).
std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      out.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

TEST(SourceCatalogue, EveryLegalSourceHasADutchTitleInOneCitationStyle) {
  // English words that must not appear in a Dutch title ("of", "in", "en" are Dutch too).
  const std::vector<std::string> english = Words(
      "records record consent guidelines guideline recommendations processing controller controllers "
      "processor security transfer transfers accountability lawfulness the and on under by with for to gdpr "
      "cjeu directive endorsed regulation article chapter personal data assessment protection contract "
      "writing retention erasure special categories interests legitimate safeguards adequacy transparency "
      "information storage limitation accuracy minimisation concepts measures targeting users");
  const std::set<std::string> kEnglish(english.begin(), english.end());
  const std::regex english_paragraph(R"(\((\d+|[a-z])\))");  // "Art. 30(1)(c)" style
  std::map<std::string, std::string> nl_of;                  // EN title -> NL title, across rules
  size_t sources = 0;
  for (const Rule& r : AllRules()) {
    for (const Source& s : r.info.legal_sources) {
      ++sources;
      SCOPED_TRACE(r.info.id + ": " + s.title);
      ASSERT_FALSE(s.title_nl.empty());
      EXPECT_NE(s.title_nl, s.title);
      EXPECT_EQ(s.Title("nl"), s.title_nl);
      EXPECT_EQ(s.Title("en"), s.title);
      for (const std::string& w : Words(s.title_nl))
        EXPECT_EQ(kEnglish.count(w), 0u) << "English word: " << w;
      EXPECT_EQ(s.title_nl.find("Art. "), std::string::npos) << "Dutch style writes 'art.'";
      EXPECT_EQ(s.title_nl.find(" v "), std::string::npos) << "Dutch style writes 'X / Y', not 'X v Y'";
      EXPECT_FALSE(std::regex_search(s.title_nl, english_paragraph)) << s.title_nl;
      if (s.url == audit::src::kGdprUrl) {
        EXPECT_EQ(s.title_nl.rfind("AVG art. ", 0), 0u) << s.title_nl;
      }
      if (s.title.starts_with("CJEU ")) {
        EXPECT_EQ(s.title_nl.rfind("HvJ EU ", 0), 0u) << s.title_nl;
      }
      auto [it, inserted] = nl_of.emplace(s.title, s.title_nl);
      EXPECT_EQ(it->second, s.title_nl) << "one English provision, two Dutch titles";
    }
  }
  EXPECT_GE(sources, 40u);

  auto nl_titles = [](std::string_view rule_id) {
    std::vector<std::string> out;
    const RuleInfo* info = FindRule(rule_id);
    EXPECT_NE(info, nullptr) << rule_id;
    if (info)
      for (const Source& s : info->legal_sources) out.push_back(s.title_nl);
    return out;
  };
  auto blind = nl_titles("BS001-blind-spot");
  ASSERT_FALSE(blind.empty());
  EXPECT_EQ(blind[0], "AVG art. 30 lid 1 (register van verwerkingsactiviteiten)");
  auto consent = nl_titles("BS006-consent-required");
  for (const char* want :
       {"Telecommunicatiewet art. 11.7a (cookiebepaling)", "HvJ EU C-673/17 Planet49, ECLI:EU:C:2019:801",
        "AVG art. 6 lid 1 onder a en art. 7 (toestemming)",
        "EDPB-richtsnoeren 05/2020 inzake toestemming overeenkomstig Verordening 2016/679"})
    EXPECT_NE(std::find(consent.begin(), consent.end(), want), consent.end()) << want;
}

TEST(SourceCatalogue, TitleFallsBackToEnglishWithoutDutchTitle) {
  Source s{"Meta Business Help: About Advanced Matching", "https://www.facebook.com/business/help/"};
  EXPECT_EQ(s.Title("nl"), s.title);
  EXPECT_EQ(s.Title("en"), s.title);
  s.title_nl = "Meta Business Help: geavanceerde matching";
  EXPECT_EQ(s.Title("nl"), "Meta Business Help: geavanceerde matching");
  EXPECT_EQ(s.Title("en"), s.title);
  EXPECT_EQ(s.Title("de"), s.title);
}

TEST_F(RuleTest, FollowUpQuestionsNeedTheirDetails) {
  tp().answers.stored_by_us = true;  // but not where
  tp().answers.stored_by_vendor_details.clear();
  tp().answers.subsidiarity.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].detail.en,
            "Touchpoint 'Meta Pixel on the website': question 2 is unanswered: where do we store the data?");
  EXPECT_EQ(f[1].detail.nl,
            "Touchpoint 'Meta Pixel on the website': vraag 3 is niet beantwoord: waar en hoe lang slaat de "
            "leverancier de gegevens op?");
  EXPECT_EQ(f[2].detail.en,
            "Touchpoint 'Meta Pixel on the website': question 6 is unanswered: is it proportionate "
            "(subsidiarity: is there a less intrusive way)?");
}

}  // namespace
}  // namespace blindspot

// One positive and one negative case per rule, on the clean fixture of
// audit_test_util.h with one change each. Findings point at the register field
// they are about (Finding::path); a reader's SourceMap turns that into line:col.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

class RuleTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = TestKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  AuditResult Run() { return Audit(reg, kb, det); }
  ProcessingActivity& act() { return reg.activities[0]; }
  Touchpoint& tp() { return reg.touchpoints[0]; }
  Processor& vendor() { return reg.processors[0]; }
};

TEST_F(RuleTest, CleanFixtureHasNoFinding) {
  AuditResult r = Run();
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << En(f);
}

// --- BS003 Art. 30 fields -------------------------------------------------

TEST_F(RuleTest, Art30OneFindingPerMissingActivityField) {
  act().purposes.clear();
  act().data_subjects.clear();
  act().data_categories.clear();
  act().recipients.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS003-art30-field-missing");
  ASSERT_EQ(f.size(), 4u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kMedium);
    EXPECT_EQ(x.subject_kind, SubjectKind::kActivity);
    EXPECT_EQ(x.subject_id, "marketing");
    EXPECT_EQ(x.subject_name, "Online marketing");
  }
  // In the order of Art. 30(1) within the same subject, each at its own field.
  EXPECT_EQ(f[0].path, "activities[marketing].purposes");
  EXPECT_EQ(En(f[0]), "Activity 'Online marketing' does not record its purposes (Art. 30(1)(b))");
  EXPECT_EQ(Nl(f[0]), "Verwerking 'Online marketing' vermeldt geen doeleinden (art. 30 lid 1 sub b)");
  EXPECT_EQ(f[1].path, "activities[marketing].data_subjects");
  EXPECT_EQ(En(f[1]),
            "Activity 'Online marketing' does not record its categories of data subjects (Art. 30(1)(c))");
  EXPECT_EQ(f[2].path, "activities[marketing].data_categories");
  EXPECT_EQ(En(f[2]),
            "Activity 'Online marketing' does not record its categories of personal data (Art. 30(1)(c))");
  EXPECT_EQ(f[3].path, "activities[marketing].recipients");
  EXPECT_EQ(En(f[3]),
            "Activity 'Online marketing' does not record its categories of recipients (Art. 30(1)(d)); if "
            "the data is "
            "disclosed to no one, record `recipients: none`");
  EXPECT_EQ(
      Nl(f[3]),
      "Verwerking 'Online marketing' vermeldt geen categorieën ontvangers (art. 30 lid 1 sub d); worden de "
      "gegevens aan niemand verstrekt, leg dan `recipients: none` vast");
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
  EXPECT_EQ(f[0].path, "organisation.name");
  EXPECT_EQ(En(f[0]), "The register does not record the name of the controller (Art. 30(1)(a))");
  EXPECT_EQ(f[1].subject_id, "organisation.contact");
  EXPECT_EQ(f[1].path, "organisation.contact");
  EXPECT_EQ(
      Nl(f[1]),
      "Het register vermeldt geen contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 1 sub a)");
  EXPECT_EQ(f[2].subject_id, "organisation.dpo");
  EXPECT_EQ(f[2].path, "organisation.dpo");
  EXPECT_EQ(
      En(f[2]),
      "The register does not record the name and contact details of the DPO (Art. 30(1)(a)); if no DPO is "
      "designated because Art. 37 does not apply, record `dpo: none` and name the privacy contact person "
      "under "
      "contact");
  EXPECT_EQ(
      De(f[2]).rfind("Das Verzeichnis nennt weder Namen noch Kontaktdaten des Datenschutzbeauftragten", 0),
      0u);
}

TEST_F(RuleTest, Art30ContactNeedsAWayToReachTheController) {
  reg.organisation.contact = {};
  reg.organisation.contact.name = "Privacy desk";  // a name alone is not contact details
  EXPECT_EQ(Of(Run(), "BS003-art30-field-missing").size(), 1u);
  for (auto set : {+[](Contact& c) { c.email = "a@b.nl"; }, +[](Contact& c) { c.phone = "+31 20 000 0000"; },
                   +[](Contact& c) { c.address = "Dam 1, Amsterdam"; }}) {
    reg.organisation.contact = {};
    set(reg.organisation.contact);
    EXPECT_TRUE(Of(Run(), "BS003-art30-field-missing").empty());
  }
}

TEST_F(RuleTest, Art30DpoNoneAndRecipientsNoneAreAnswers) {
  reg.organisation.dpo = {};
  reg.organisation.no_dpo = true;  // `dpo: none`
  act().recipients.clear();
  act().no_recipients = true;  // `recipients: none`
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS003-art30-field-missing").empty());
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.path << ": " << En(f);

  // Absent (neither given nor `none`): one finding each.
  reg.organisation.no_dpo = false;
  act().no_recipients = false;
  AuditResult r2 = Run();
  auto f = Of(r2, "BS003-art30-field-missing");
  ASSERT_EQ(f.size(), 2u);
  std::set<std::string> paths;
  for (const Finding& x : f) paths.insert(x.path);
  EXPECT_EQ(paths, (std::set<std::string>{"organisation.dpo", "activities[marketing].recipients"}));
  for (const Finding& x : f) {
    EXPECT_EQ(x.detail.id, x.path == "organisation.dpo" ? "BS003-art30-field-missing.no_dpo"
                                                        : "BS003-art30-field-missing.no_recipients");
  }

  // `none` next to a filled field is no finding either.
  reg.organisation.no_dpo = true;
  reg.organisation.dpo.name = "F. Gegevens";
  act().no_recipients = true;
  act().recipients.push_back({"recipient-1", RecipientKind::kInternal, "Marketing department", ""});
  EXPECT_TRUE(Of(Run(), "BS003-art30-field-missing").empty());
}

TEST_F(RuleTest, Art30NegativeSpecialCategoriesCountAsDataAndAnyRecipientKind) {
  act().data_categories.clear();
  act().special_categories.push_back(
      {"special-category-1", "user.health_and_medical", 'a', "explicit consent"});
  for (RecipientKind kind : {RecipientKind::kInternal, RecipientKind::kExternal, RecipientKind::kProcessor}) {
    act().recipients.clear();
    Recipient rec;
    rec.id = "recipient-1";
    rec.kind = kind;
    rec.name = kind == RecipientKind::kProcessor ? "" : "marketing department";
    rec.processor = kind == RecipientKind::kProcessor ? "meta" : "";
    act().recipients.push_back(rec);
    AuditResult r = Run();
    EXPECT_TRUE(Of(r, "BS003-art30-field-missing").empty()) << ToString(kind);
  }
}

// --- BS004 / BS005 lawful basis ----------------------------------------------

TEST_F(RuleTest, PurposeWithoutLawfulBasis) {
  act().purposes[0].lawful_basis.reset();
  AuditResult r = Run();
  auto f = Of(r, "BS004-no-lawful-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_id, "marketing");
  EXPECT_EQ(f[0].path, "activities[marketing].purposes[purpose-1].lawful_basis");  // the purpose's own field
  EXPECT_EQ(En(f[0]), "Purpose 'Retargeting' of activity 'Online marketing' has no lawful basis");
  EXPECT_EQ(Nl(f[0]), "Doel 'Retargeting' van verwerking 'Online marketing' heeft geen grondslag");
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
  EXPECT_EQ(f[0].path, "activities[marketing].purposes[purpose-1].lia_reference");
  EXPECT_EQ(
      En(f[0]),
      "Purpose 'Retargeting' of activity 'Online marketing' relies on legitimate interests but refers to no "
      "legitimate interests assessment");
  EXPECT_NE(Nl(f[0]).find("belangenafweging"), std::string::npos);
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.lawful_basis");
  // The lawful basis is a vocabulary term: its label names the Art. 6(1) point.
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) requires prior consent, but the touchpoint answer "
      "names legitimate interests (Art. 6(1)(f)) as lawful basis");
  EXPECT_EQ(Nl(f[0]),
            "Touchpoint 'Meta Pixel on the website' (Meta Pixel) vereist voorafgaande toestemming, maar het "
            "antwoord bij het touchpoint noemt gerechtvaardigd belang (art. 6 lid 1 sub f) als grondslag");
}

TEST_F(RuleTest, ConsentRequiredFallsBackToActivityPurposes) {
  tp().answers.lawful_basis.reset();
  act().purposes[0].lawful_basis = LawfulBasis::kContract;
  Purpose second;
  second.id = "purpose-2";
  second.description = "Fraud prevention";
  second.lawful_basis = LawfulBasis::kLegitimateInterests;
  second.lia_reference = "LIA-1";
  act().purposes.push_back(second);
  AuditResult r = Run();
  auto f = Of(r, "BS006-consent-required");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta]");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) requires prior consent, but its activities name "
      "contract (Art. 6(1)(b)), legitimate interests (Art. 6(1)(f)) as lawful basis");
  EXPECT_NE(
      Nl(f[0]).find("de gekoppelde verwerkingen noemen overeenkomst (art. 6 lid 1 sub b), gerechtvaardigd "
                    "belang (art. 6 lid 1 sub f) als grondslag"),
      std::string::npos)
      << Nl(f[0]);
}

TEST_F(RuleTest, ConsentRequiredWithoutAnyBasis) {
  tp().answers.lawful_basis.reset();
  act().purposes[0].lawful_basis.reset();
  AuditResult r = Run();
  auto f = Of(r, "BS006-consent-required");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta]");
  EXPECT_EQ(En(f[0]),
            "Touchpoint 'Meta Pixel on the website' (Meta Pixel) requires prior consent, but the register "
            "records no "
            "lawful basis for it");
}

TEST_F(RuleTest, ConsentRequiredSatisfiedByActivityConsentPurpose) {
  tp().answers.lawful_basis.reset();
  Purpose extra;
  extra.id = "purpose-2";
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
  act().special_categories.push_back({"health", "user.health_and_medical", std::nullopt, ""});
  act().special_categories.push_back({"special-category-2", "user.religious_belief", 'z', ""});
  AuditResult r = Run();
  auto f = Of(r, "BS007-special-category-no-condition");
  ASSERT_EQ(f.size(), 2u);
  // In register order, each at its own item's condition.
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].path, "activities[marketing].special_categories[health].condition");
  EXPECT_EQ(
      En(f[0]),
      "Special category 'user.health_and_medical' in activity 'Online marketing' has no Art. 9(2) exception");
  EXPECT_EQ(Nl(f[0]),
            "Bijzondere categorie 'user.health_and_medical' in verwerking 'Online marketing' heeft geen "
            "uitzondering van art. 9 lid 2");
  EXPECT_EQ(f[1].path, "activities[marketing].special_categories[special-category-2].condition");
  EXPECT_EQ(En(f[1]),
            "Special category 'user.religious_belief' in activity 'Online marketing' names Art. 9(2)(z), "
            "which does "
            "not exist (expected a-j)");
}

TEST_F(RuleTest, SpecialCategoryWithConditionIsFine) {
  act().special_categories.push_back(
      {"special-category-1", "user.health_and_medical", 'a', "explicit consent"});
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
  reg.processors.push_back(p);
  AuditResult r = Run();
  auto f = Of(r, "BS008-processor-no-dpa");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].subject_id, "mailer");
  EXPECT_EQ(f[0].path, "processors[mailer].agreement.status");
  EXPECT_EQ(En(f[0]), "Processor 'Mailer BV' has no signed data processing agreement (status: pending)");
  EXPECT_EQ(Nl(f[0]),
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(
      En(f[0]),
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_NE(En(f[0]).find("the register names no vendor for it"), std::string::npos);
  EXPECT_NE(Nl(f[0]).find("noemt geen leverancier"), std::string::npos);
}

TEST_F(RuleTest, KbProcessorTouchpointWithUnknownVendor) {
  tp().product = "plausible";
  tp().vendor = "plausible-insights";  // no such processor in the register
  AuditResult r = Run();
  auto f = Of(r, "BS008-processor-no-dpa");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' uses Plausible Analytics, whose vendor acts as processor, but "
      "its "
      "vendor 'plausible-insights' is not among the registered vendors, so no data processing agreement is "
      "recorded");
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
  EXPECT_EQ(f[0].path, "activities[marketing].transfers[transfer-1].safeguard");
  EXPECT_EQ(En(f[0]),
            "Activity 'Online marketing' transfers personal data to 'Meta Platforms Ireland' in US without a "
            "transfer safeguard");
}

TEST_F(RuleTest, NonEeaVendorWithoutSafeguard) {
  vendor().country = "US";
  act().transfers[0].recipient = "another-recipient";  // the activity's transfer is not to this vendor
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].subject_id, "meta");
  EXPECT_EQ(f[0].path, "processors[meta].transfer_safeguard");
  EXPECT_EQ(
      Nl(f[0]),
      "Leverancier 'Meta Platforms Ireland' is gevestigd in US (buiten de EER) en er is geen waarborg voor "
      "doorgifte vastgelegd");
}

// The activity records the transfer to the vendor with a safeguard: the
// vendor's own record need not say it again.
TEST_F(RuleTest, NonEeaVendorWhoseTransferAnActivityRecords) {
  vendor().country = "US";
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
}

// An independent controller in the EEA: its onward transfer is its own
// (EDPB Guidelines 05/2021); a joint controller's is checked (next test).
TEST_F(RuleTest, EeaIndependentControllerOnwardTransferIsItsOwn) {
  act().transfers.clear();
  vendor().role = VendorRole::kIndependentController;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
}

TEST_F(RuleTest, DetectedNonEeaTouchpointWithoutRegisteredTransfer) {
  act().transfers.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) sends data to US (outside the EEA), but the "
      "register records no transfer to its vendor (the vendor relies on: EU-US Data Privacy Framework)");
}

TEST_F(RuleTest, DetectedNonEeaTouchpointNamesVendorMechanism) {
  act().transfers.clear();
  std::vector<KbEntry> entries = kb->entries();
  for (KbEntry& e : entries)
    if (e.id == "meta-pixel") e.vendor.transfer_mechanism = TransferSafeguard::kDataPrivacyFramework;
  kb = std::make_shared<const Kb>(Kb::FromEntries(entries));
  det = CleanDetection(*kb);
  AuditResult r = Run();
  auto f = Of(r, "BS009-transfer-no-safeguard");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      Nl(f[0]),
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) stuurt gegevens naar US (buiten de EER), maar "
      "het register vermeldt geen doorgifte aan de leverancier (de leverancier beroept zich op: "
      "EU-VS Data Privacy Framework)");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' (Meta Pixel) sends data to US (outside the EEA), but the "
      "register records no transfer to its vendor (the vendor relies on: EU-US Data Privacy Framework)");
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
  EXPECT_NE(En(f[0]).find("processes data in US (outside the EEA"), std::string::npos) << En(f[0]);
  EXPECT_NE(Nl(f[0]).find("leg dus ook de doorgifte vast"), std::string::npos) << Nl(f[0]);
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
  EXPECT_EQ(f[0].path, "processors[meta].agreement.status");
  EXPECT_EQ(En(f[0]),
            "Joint controller 'Meta Platforms Ireland' has no signed Art. 26 arrangement (status: missing)");
  EXPECT_EQ(
      Nl(f[0]),
      "Met gezamenlijke verwerkingsverantwoordelijke 'Meta Platforms Ireland' is geen getekende regeling "
      "volgens art. 26 (status: ontbreekt)");
}

TEST_F(RuleTest, KbJointControllerRegisteredAsProcessorUnsigned) {
  vendor().role = VendorRole::kProcessor;
  vendor().agreement.status = AgreementStatus::kMissing;
  AuditResult r = Run();
  auto f = Of(r, "BS010-joint-controller-no-arrangement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(
      Nl(f[0]),
      "Touchpoint 'Meta Pixel on the website' gebruikt Meta Pixel, waarvan de leverancier gezamenlijk "
      "verwerkingsverantwoordelijke is, maar leverancier 'Meta Platforms Ireland' staat geregistreerd als "
      "verwerker zonder getekende regeling");
}

TEST_F(RuleTest, KbJointControllerWithoutRegisteredVendor) {
  tp().vendor.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS010-joint-controller-no-arrangement");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' uses Meta Pixel, whose vendor is a joint controller, but the "
      "register names no registered vendor and no Art. 26 arrangement");
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
  EXPECT_EQ(f[0].path, "activities[marketing].retention");
  EXPECT_EQ(En(f[0]), "Activity 'Online marketing' records no retention period (Art. 30(1)(f))");
  EXPECT_EQ(Nl(f[0]), "Verwerking 'Online marketing' vermeldt geen bewaartermijn (art. 30 lid 1 sub f)");
}

TEST_F(RuleTest, RetentionEntryWithoutPeriod) {
  act().retention.push_back({"retention-2", "user.contact.email", "", ""});
  AuditResult r = Run();
  auto f = Of(r, "BS011-retention-missing");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].retention[retention-2].period");
  EXPECT_EQ(En(f[0]),
            "Activity 'Online marketing' has a retention entry for 'user.contact.email' without a period");
}

TEST_F(RuleTest, RetentionEntryForAllDataWithoutPeriod) {
  act().retention[0].period.clear();                       // data_category "*"
  act().retention.push_back({"crm-rule", "", "", "CRM"});  // no category: all data too
  AuditResult r = Run();
  auto f = Of(r, "BS011-retention-missing");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].path, "activities[marketing].retention[retention-1].period");
  EXPECT_EQ(En(f[0]), "Activity 'Online marketing' has a retention entry for all data without a period");
  EXPECT_EQ(Nl(f[0]),
            "Verwerking 'Online marketing' heeft een bewaarregel voor alle gegevens zonder termijn");
  EXPECT_EQ(f[1].path, "activities[marketing].retention[crm-rule].period");
  EXPECT_EQ(f[1].detail.id, "BS011-retention-missing.no_period_all");
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
  EXPECT_EQ(f[0].path, "activities[marketing].toms");
  EXPECT_EQ(En(f[0]),
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
  tp().answers.lawful_basis = LawfulBasis::kConsent;  // keeps BS006 quiet; necessity still missing
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 7u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kLow);
    EXPECT_EQ(x.subject_id, "tp-meta");
  }
  // Each finding points at the answer it asks for.
  const char* answers[] = {"in_use",         "stored_by_us", "stored_by_vendor", "informed_statement",
                           "data_collected", "necessity",    "security_measures"};
  for (size_t i = 0; i < 7; ++i)
    EXPECT_EQ(f[i].path, std::string("touchpoints[tp-meta].answers.") + answers[i]) << i;
  EXPECT_EQ(En(f[0]), "Touchpoint 'Meta Pixel on the website': question 1 is unanswered: is it in use?");
  EXPECT_EQ(
      En(f[3]),
      "Touchpoint 'Meta Pixel on the website': question 4 is unanswered: how are people informed (privacy "
      "statement and section)?");
  EXPECT_EQ(
      En(f[5]),
      "Touchpoint 'Meta Pixel on the website': question 6 is unanswered: is it proportionate (necessity)?");
  EXPECT_EQ(
      Nl(f[4]),
      "Touchpoint 'Meta Pixel on the website': vraag 5 is niet beantwoord: welke persoonsgegevens worden "
      "verzameld?");
  EXPECT_EQ(
      En(f[6]),
      "Touchpoint 'Meta Pixel on the website': question 7 is unanswered: which security measures apply?");
}

TEST_F(RuleTest, NoLawfulBasisAndNoNecessityIsOneQuestion) {
  tp().answers.lawful_basis.reset();
  tp().answers.necessity.clear();
  act().purposes[0].lawful_basis = LawfulBasis::kConsent;  // BS006 falls back to the activity: quiet
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.lawful_basis");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website': question 6 is unanswered: is it lawful and proportionate "
      "(lawful basis and necessity)?");
  tp().answers.necessity = "Measure campaign effect";  // only the basis is missing now
  f = Of(Run(), "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.lawful_basis");
  EXPECT_EQ(
      Nl(f[0]),
      "Touchpoint 'Meta Pixel on the website': vraag 6 is niet beantwoord: is het rechtmatig (grondslag)?");
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

TEST_F(RuleTest, FollowUpQuestionsNeedTheirDetails) {
  tp().answers.stored_by_us = true;  // but not where
  tp().answers.stored_by_vendor_details.clear();
  tp().answers.subsidiarity.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.stored_by_us_where");
  EXPECT_EQ(En(f[0]),
            "Touchpoint 'Meta Pixel on the website': question 2 is unanswered: where do we store the data?");
  EXPECT_EQ(f[1].path, "touchpoints[tp-meta].answers.stored_by_vendor_details");
  EXPECT_EQ(Nl(f[1]),
            "Touchpoint 'Meta Pixel on the website': vraag 3 is niet beantwoord: waar en hoe lang slaat de "
            "leverancier de gegevens op?");
  EXPECT_EQ(f[2].path, "touchpoints[tp-meta].answers.subsidiarity");
  EXPECT_EQ(En(f[2]),
            "Touchpoint 'Meta Pixel on the website': question 6 is unanswered: is it proportionate "
            "(subsidiarity: is there a less intrusive way)?");
}

TEST_F(RuleTest, PrivacyStatementWithoutSection) {
  tp().answers.informed_section.clear();
  AuditResult r = Run();
  auto f = Of(r, "BS013-touchpoint-question-unanswered");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.informed_section");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website': question 4 is unanswered: how are people informed (section of "
      "the privacy statement)?");
}

// --- BS014 DPIA ---------------------------------------------------------------

TEST_F(RuleTest, DpiaNotAssessedForSessionRecording) {
  Touchpoint rec = tp();
  rec.id = "tp-hotjar";
  rec.name = "Session recording";
  rec.product = "hotjar";
  reg.touchpoints.push_back(rec);
  act().dpia.status = DpiaStatus::kNotAssessed;
  det.touchpoints.push_back(Detected(*kb, "hotjar", 4, {"p"}));
  AuditResult r = Run();
  auto f = Of(r, "BS014-dpia-not-assessed");
  ASSERT_EQ(f.size(), 1u);  // the meta pixel is not a high-risk category
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_id, "tp-hotjar");
  EXPECT_EQ(f[0].path, "touchpoints[tp-hotjar].activities");
  // The category is a vocabulary term, shown with its label.
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Session recording' uses Hotjar (category session recording), but none of its activities "
      "records whether a DPIA is required");
  EXPECT_EQ(Nl(f[0]),
            "Touchpoint 'Session recording' gebruikt Hotjar (categorie sessie-opname), maar bij geen van de "
            "gekoppelde verwerkingen is vastgelegd of een DPIA verplicht is");
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.data_collected");
  EXPECT_EQ(
      En(f[0]),
      "Meta Pixel sends 'user.contact.email' (parameter ud[em], signal advanced-matching), but touchpoint "
      "'Meta Pixel on the website' and its activities do not declare that data category");
  EXPECT_EQ(Nl(f[0]),
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

TEST_F(RuleTest, DataSignalDeclaredOnTheImpliedProductsTouchpointIsFine) {
  // The hit stays on the Meta Pixel (each signal once); the register records
  // Custom Audiences as a touchpoint of its own and declares the e-mail there.
  std::vector<KbEntry> entries = TestKbEntries();
  for (KbEntry& e : entries)
    if (e.id == "meta-pixel") {
      DataSignal s;
      s.id = "advanced-matching";
      s.param = "ud[em]";
      s.data_category = "user.contact.email";
      s.implies = "meta-custom-audiences";
      s.implies_confidence = InferenceConfidence::kLow;
      e.data_signals.push_back(s);
    }
  kb = std::make_shared<const Kb>(Kb::FromEntries(entries));
  det = CleanDetection(*kb);
  act().data_categories = {"user.device.cookie_id"};
  ASSERT_EQ(Of(Run(), "BS015-undeclared-data-signal").size(), 1u);
  Touchpoint audiences = tp();
  audiences.id = "tp-audiences";
  audiences.product = "meta-custom-audiences";
  audiences.answers.data_collected = {"user.contact.email"};
  reg.touchpoints.push_back(audiences);
  EXPECT_TRUE(Of(Run(), "BS015-undeclared-data-signal").empty());
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-a].product");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Chat' names product 'acme-chat', which the knowledge base does not know, so it cannot be "
      "matched with the traffic");
  EXPECT_EQ(f[1].subject_id, "tp-b");
  EXPECT_EQ(f[1].path, "touchpoints[tp-b].product");
  EXPECT_EQ(Nl(f[1]),
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
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.in_use");
  EXPECT_EQ(En(f[0]),
            "Touchpoint 'Meta Pixel on the website' is registered as not in use, but meta-pixel was seen (12 "
            "pieces of evidence)");
  det.touchpoints.clear();
  AuditResult r2 = Run();
  EXPECT_TRUE(Of(r2, "BS017-not-in-use-but-seen").empty());
}

TEST_F(RuleTest, NotInUseAnswersAnInference) {
  // BS020 asks whether an inferred product is in use; "no" is accepted.
  det.touchpoints[0].implied_by = "google-analytics";
  det.touchpoints[0].confidence = InferenceConfidence::kLow;
  tp().answers.in_use = false;
  EXPECT_TRUE(Of(Run(), "BS017-not-in-use-but-seen").empty());
}

TEST_F(RuleTest, PersonalDataInClearToARegisteredRecipientThatDeclaresIt) {
  CarriedData c;
  c.kind = CarriedKind::kEmail;
  c.param = "EMAIL";
  c.host = "shop.us1.list-manage.com";
  c.requests = 1;
  det.touchpoints[0].carried = {c};
  act().data_categories = {"user.device.cookie_id"};
  ASSERT_EQ(Of(Run(), "BS021-personal-data-in-clear").size(), 1u);
  tp().answers.data_collected = {"user.contact"};  // declared (an ancestor covers it)
  EXPECT_TRUE(Of(Run(), "BS021-personal-data-in-clear").empty());
  det.touchpoints[0].carried[0].kind = CarriedKind::kPhone;         // not declared
  EXPECT_EQ(Of(Run(), "BS021-personal-data-in-clear").size(), 0u);  // user.contact covers the phone too
  tp().answers.data_collected = {"user.contact.email"};
  EXPECT_EQ(Of(Run(), "BS021-personal-data-in-clear").size(), 1u);
}

// --- BS001 / BS002 negatives (positives in audit_test.cc) --------------------

TEST_F(RuleTest, NoEvidenceNotSeenSaysSo) {
  det = {};
  AuditResult r = Run();
  auto f = Of(r, "BS002-not-seen");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta]");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Meta Pixel on the website' (product meta-pixel) is registered; no evidence was analysed, "
      "so it was not seen");
  EXPECT_TRUE(Of(r, "BS001-blind-spot").empty());
}

// --- Dutch and German titles of the legal sources ----------------------------

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

constexpr const char* kGdprUrl = "https://eur-lex.europa.eu/eli/reg/2016/679/oj#";  // + art_N

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
    for (const Source& s : r.meta->sources) {
      ++sources;
      const std::string& en = s.Title("en");
      SCOPED_TRACE(r.meta->id + ": " + s.id + ": " + en);
      ASSERT_NE(s.title.Find("nl"), nullptr);
      const std::string& nl = *s.title.Find("nl");
      EXPECT_NE(nl, en);
      EXPECT_EQ(s.Title("nl"), nl);
      for (const std::string& w : Words(nl)) EXPECT_EQ(kEnglish.count(w), 0u) << "English word: " << w;
      EXPECT_EQ(nl.find("Art. "), std::string::npos) << "Dutch style writes 'art.'";
      EXPECT_EQ(nl.find(" v "), std::string::npos) << "Dutch style writes 'X / Y', not 'X v Y'";
      EXPECT_FALSE(std::regex_search(nl, english_paragraph)) << nl;
      if (s.url.starts_with(kGdprUrl)) {
        EXPECT_EQ(en.rfind("GDPR Art. ", 0), 0u) << en;
        EXPECT_EQ(nl.rfind("AVG art. ", 0), 0u) << nl;
      }
      if (en.starts_with("CJEU ")) {
        EXPECT_EQ(nl.rfind("HvJ EU ", 0), 0u) << nl;
      }
      auto [it, inserted] = nl_of.emplace(en, nl);
      EXPECT_EQ(it->second, nl) << "one English provision, two Dutch titles";
    }
  }
  EXPECT_GE(sources, 40u);

  auto nl_titles = [](std::string_view rule_id) {
    std::vector<std::string> out;
    const RuleMeta* meta = TextCatalog::Builtin().FindRule(rule_id);
    EXPECT_NE(meta, nullptr) << rule_id;
    if (meta)
      for (const Source& s : meta->sources) out.push_back(s.Title("nl"));
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

TEST(SourceCatalogue, EveryLegalSourceHasAGermanTitle) {
  std::map<std::string, std::string> de_of;
  for (const Rule& r : AllRules()) {
    for (const Source& s : r.meta->sources) {
      const std::string& en = s.Title("en");
      SCOPED_TRACE(r.meta->id + ": " + s.id + ": " + en);
      ASSERT_NE(s.title.Find("de"), nullptr);
      const std::string& de = *s.title.Find("de");
      EXPECT_NE(de, en);
      EXPECT_EQ(s.Title("de"), de);
      if (s.url.starts_with(kGdprUrl)) {
        EXPECT_EQ(de.rfind("DSGVO Art. ", 0), 0u) << de;
      }
      if (en.starts_with("CJEU ")) {
        EXPECT_EQ(de.rfind("EuGH ", 0), 0u) << de;
      }
      auto [it, inserted] = de_of.emplace(en, de);
      EXPECT_EQ(it->second, de) << "one English provision, two German titles";
    }
  }
  const RuleMeta* consent = TextCatalog::Builtin().FindRule("BS006-consent-required");
  ASSERT_NE(consent, nullptr);
  std::vector<std::string> titles;
  for (const Source& s : consent->sources) titles.push_back(s.Title("de"));
  for (const char* want :
       {"EuGH C-673/17 Planet49, ECLI:EU:C:2019:801", "DSGVO Art. 6 Abs. 1 lit. a und Art. 7 (Einwilligung)"})
    EXPECT_NE(std::find(titles.begin(), titles.end(), want), titles.end()) << want;
}

TEST(SourceCatalogue, TitleFallsBackToEnglishWithoutATranslation) {
  Source s{"meta-advanced-matching", SourceKind::kVendor, "https://www.facebook.com/business/help/",
           LocalizedText{{"en", "Meta Business Help: About Advanced Matching"}}};
  EXPECT_EQ(s.Title("nl"), "Meta Business Help: About Advanced Matching");
  EXPECT_EQ(s.Title("en"), "Meta Business Help: About Advanced Matching");
  bool fell_back = false;
  EXPECT_EQ(s.title.Get("de", &fell_back), "Meta Business Help: About Advanced Matching");
  EXPECT_TRUE(fell_back);
  s.title.Set("nl", "Meta Business Help: geavanceerde matching");
  EXPECT_EQ(s.Title("nl"), "Meta Business Help: geavanceerde matching");
  EXPECT_EQ(s.Title("en"), "Meta Business Help: About Advanced Matching");
  EXPECT_EQ(s.Title("de"), "Meta Business Help: About Advanced Matching");
}

}  // namespace
}  // namespace blindspot

// Register checks of issue 8: BS007 (special-category keys among ordinary data
// categories), BS023 (criminal data, Art. 10), BS024 (BSN, UAVG art. 46),
// BS025 (DPIA required but not carried out, or pre-GDPR), BS026 (a vendor
// registered as processor where the kb finds a controller), BS027/BS028 (DPIA
// indicators), BS029 (transfer tools by the date of the evidence), severity in
// context, and link touchpoints (wa.me, m.me) that must never count as
// tracking or joint control. Each on the clean fixture of audit_test_util.h
// with one change.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"
#include "audit/rule.h"

namespace blindspot {
namespace {

using namespace testing_audit;

std::shared_ptr<const Kb> RegKb() {
  std::vector<KbEntry> e = TestKbEntries();
  e.push_back(Entry("google-ads", "Google Ads", "advertising-pixel", VendorRole::kIndependentController, true,
                    "US", TransferSafeguard::kDataPrivacyFramework));
  e.push_back(
      Entry("messenger", "Facebook Messenger", "messaging", VendorRole::kJointController, true, "US"));
  return std::make_shared<const Kb>(Kb::FromEntries(std::move(e)));
}

class RegChecks : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = RegKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  AuditResult Run() { return Audit(reg, kb, det); }
  ProcessingActivity& act() { return reg.activities[0]; }
  Touchpoint& tp() { return reg.touchpoints[0]; }
  Processor& vendor() { return reg.processors[0]; }

  // A second touchpoint on the same activity for `product`, vendor `vendor_id`
  // (a processor with a signed agreement, added when new).
  Touchpoint& AddTouchpoint(const std::string& id, const std::string& product, const std::string& vendor_id) {
    if (!reg.FindProcessor(vendor_id)) {
      Processor v;
      v.id = vendor_id;
      v.name = vendor_id + " Ltd";
      v.country = "IE";
      v.role = VendorRole::kProcessor;
      v.agreement.status = AgreementStatus::kSigned;
      reg.processors.push_back(v);
    }
    Touchpoint t = reg.touchpoints[0];
    t.id = id;
    t.name = id;
    t.product = product;
    t.vendor = vendor_id;
    reg.touchpoints.push_back(t);
    return reg.touchpoints.back();
  }
  // `product` seen only as links on a page.
  void SeenAsLinkOnly(const std::string& product, const std::string& link) {
    DetectedTouchpoint d = Detected(*kb, product, 2, {"https://voorbeeld.nl/contact"});
    EvidenceItem e;
    e.kind = EvidenceKind::kLink;
    e.url = link;
    e.signature = "m.me/";
    e.source = "site.har";
    d.evidence.push_back(e);
    det.touchpoints.push_back(d);
  }
};

TEST_F(RegChecks, CleanFixtureHasNoFindingOfTheseRules) {
  AuditResult r = Run();
  for (std::string_view id :
       {"BS007-special-category-no-condition", "BS025-dpia-required-not-done", "BS026-role-contradicts-kb"})
    EXPECT_TRUE(Of(r, id).empty()) << id;
}

// --- BS007: special categories among the ordinary data categories ----------

TEST_F(RegChecks, SpecialCategoryKeyInDataCategories) {
  act().data_categories.push_back("user.health_and_medical.insurance_beneficiary_id");
  act().data_categories.push_back("user.demographic.religious_belief");
  act().data_categories.push_back("user.biometric.fingerprint");
  AuditResult r = Run();
  auto f = Of(r, "BS007-special-category-no-condition");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].path, "activities[marketing].data_categories[2]");
  EXPECT_EQ(f[1].path, "activities[marketing].data_categories[3]");
  EXPECT_EQ(f[2].path, "activities[marketing].data_categories[4]");
  EXPECT_EQ(En(f[1]),
            "Data category 'user.demographic.religious_belief' of activity 'Online marketing' is a special "
            "category of personal data (Art. 9(1)), listed among the ordinary data categories without an "
            "Art. 9(2) exception");
  EXPECT_EQ(Nl(f[1]),
            "Gegevenscategorie 'user.demographic.religious_belief' van verwerking 'Online marketing' is een "
            "bijzondere categorie persoonsgegevens (art. 9 lid 1), vermeld bij de gewone gegevenscategorieën "
            "zonder uitzondering van art. 9 lid 2");
  EXPECT_FALSE(De(f[1]).empty());
}

TEST_F(RegChecks, SpecialCategoryKeyCoveredBySpecialCategoryItemIsNotReportedTwice) {
  // Covered by a broader special category item with a valid exception: nothing.
  act().data_categories.push_back("user.health_and_medical.insurance_beneficiary_id");
  act().special_categories.push_back({"health", "user.health_and_medical", 'h', "occupational health"});
  EXPECT_TRUE(Of(Run(), "BS007-special-category-no-condition").empty());
  // The item without a condition is reported once, at the item, not again at the key.
  act().special_categories[0].condition.reset();
  auto f = Of(Run(), "BS007-special-category-no-condition");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].special_categories[health].condition");
}

TEST_F(RegChecks, OrdinaryAndLookAlikeKeysAreNotSpecial) {
  act().data_categories = {"user.contact.email", "user.demographic.age_range", "user.demographic.gender",
                           "user.criminal_history", "user.device.cookie_id"};
  EXPECT_TRUE(Of(Run(), "BS007-special-category-no-condition").empty());
}

// --- BS025: DPIA required but not carried out ------------------------------

TEST_F(RegChecks, DpiaRequiredButNotCarriedOut) {
  act().dpia.status = DpiaStatus::kRequired;
  auto f = Of(Run(), "BS025-dpia-required-not-done");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].path, "activities[marketing].dpia.status");
  EXPECT_EQ(En(f[0]),
            "Activity 'Online marketing' records that a DPIA is required, but not that it was carried out");
  EXPECT_EQ(
      De(f[0]),
      "Bei Verarbeitungstätigkeit 'Online marketing' ist erfasst, dass eine DSFA erforderlich ist, aber "
      "nicht, dass sie durchgeführt wurde");
}

TEST_F(RegChecks, DpiaInProgressOnlyReportedWhenProcessingIsSeen) {
  act().dpia.status = DpiaStatus::kInProgress;
  auto f = Of(Run(), "BS025-dpia-required-not-done");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(En(f[0]),
            "The DPIA of activity 'Online marketing' is still in progress, but its touchpoint 'Meta Pixel on "
            "the website' is already seen in the traffic");
  det.touchpoints.clear();  // register only: the DPIA may well be done before the start
  EXPECT_TRUE(Of(Run(), "BS025-dpia-required-not-done").empty());
}

TEST_F(RegChecks, DpiaCompletedBeforeTheGdpr) {
  act().dpia.date = "2018-05-24";
  auto f = Of(Run(), "BS025-dpia-required-not-done");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].dpia.date");
  EXPECT_EQ(Nl(f[0]),
            "De DPIA van verwerking 'Online marketing' is gedateerd 2018-05-24, vóór de AVG van toepassing "
            "werd (25 mei 2018)");
}

TEST_F(RegChecks, DpiaCompletedOnOrAfterTheGdprOrUndatedOrOtherStatusIsFine) {
  for (const char* date : {"2018-05-25", "2024-01-10", ""}) {
    act().dpia.date = date;
    EXPECT_TRUE(Of(Run(), "BS025-dpia-required-not-done").empty()) << date;
  }
  act().dpia.date = "2017-01-01";
  for (DpiaStatus s : {DpiaStatus::kNotAssessed, DpiaStatus::kNotRequired}) {
    act().dpia.status = s;
    EXPECT_TRUE(Of(Run(), "BS025-dpia-required-not-done").empty());
  }
}

// --- BS026: vendor registered as processor where the kb finds a controller --

TEST_F(RegChecks, JointControllerRegisteredAsProcessorWithSignedDpa) {
  vendor().role = VendorRole::kProcessor;  // agreement stays signed: BS010 is silent
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS010-joint-controller-no-arrangement").empty());
  auto f = Of(r, "BS026-role-contradicts-kb");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].vendor");
  EXPECT_EQ(En(f[0]),
            "Vendor 'Meta Platforms Ireland' of touchpoint 'Meta Pixel on the website' is registered as "
            "processor, but for Meta Pixel the knowledge base finds it joint controller; the signed "
            "processing agreement does not change that");
  EXPECT_EQ(Nl(f[0]),
            "Leverancier 'Meta Platforms Ireland' van touchpoint 'Meta Pixel on the website' staat "
            "geregistreerd als verwerker, maar voor Meta Pixel is die volgens de kennisbank gezamenlijke "
            "verwerkingsverantwoordelijke; de getekende verwerkersovereenkomst verandert dat niet");
}

TEST_F(RegChecks, IndependentControllerRegisteredAsProcessorWithoutAgreement) {
  Touchpoint& t = AddTouchpoint("tp-ads", "google-ads", "google");
  (void)t;
  reg.processors.back().agreement.status = AgreementStatus::kMissing;
  auto f = Of(Run(), "BS026-role-contradicts-kb");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(En(f[0]),
            "Vendor 'google Ltd' of touchpoint 'tp-ads' is registered as processor, but for Google Ads the "
            "knowledge base finds it independent controller");
}

TEST_F(RegChecks, OneFindingPerVendorAndProduct) {
  vendor().role = VendorRole::kProcessor;
  AddTouchpoint("tp-meta-2", "meta-pixel", "meta");
  EXPECT_EQ(Of(Run(), "BS026-role-contradicts-kb").size(), 1u);
}

TEST_F(RegChecks, RolesThatAgreeWithTheKbAreFine) {
  // Joint controller registered as joint controller (the fixture), and a kb
  // processor registered as processor.
  AddTouchpoint("tp-hotjar", "hotjar", "hotjar-ltd");
  // A kb controller registered as independent controller: not a processor, not this rule.
  Touchpoint& ads = AddTouchpoint("tp-ads", "google-ads", "google");
  (void)ads;
  reg.processors.back().role = VendorRole::kIndependentController;
  EXPECT_TRUE(Of(Run(), "BS026-role-contradicts-kb").empty());
}

// --- link touchpoints: never tracking, never joint control ------------------

TEST_F(RegChecks, MessengerLinkIsNotJointControlNorTracking) {
  Touchpoint& t = AddTouchpoint("tp-messenger", "messenger", "meta-messenger");
  t.answers.lawful_basis = LawfulBasis::kContract;
  reg.processors.back().agreement.status = AgreementStatus::kMissing;
  SeenAsLinkOnly("messenger", "https://m.me/voorbeeld");
  AuditResult r = Run();
  for (std::string_view id : {"BS006-consent-required", "BS010-joint-controller-no-arrangement",
                              "BS026-role-contradicts-kb", "BS022-tracking-without-consent"})
    for (const Finding& f : Of(r, id)) EXPECT_NE(f.subject_id, "tp-messenger") << id << ": " << En(f);
}

TEST_F(RegChecks, MessengerPluginRequestIsJointControl) {
  // The same touchpoint seen through a request of the chat plugin is reported.
  Touchpoint& t = AddTouchpoint("tp-messenger", "messenger", "meta-messenger");
  t.answers.lawful_basis = LawfulBasis::kContract;
  SeenAsLinkOnly("messenger", "https://m.me/voorbeeld");
  EvidenceItem req;
  req.kind = EvidenceKind::kRequest;
  req.url = "https://connect.facebook.net/nl_NL/sdk/xfbml.customerchat.js";
  det.touchpoints.back().evidence.push_back(req);
  AuditResult r = Run();
  EXPECT_EQ(Of(r, "BS026-role-contradicts-kb").size(), 1u);
  EXPECT_EQ(Of(r, "BS006-consent-required").size(), 1u);
}

// --- BS023 criminal-offence data / BS024 national identification number ----

TEST_F(RegChecks, CriminalHistoryWithoutBasis) {
  act().data_categories.push_back("user.criminal_history");
  auto f = Of(Run(), "BS023-criminal-data-no-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].data_categories[2]");
  EXPECT_EQ(En(f[0]),
            "Activity 'Online marketing' lists 'user.criminal_history' (criminal convictions and offences, "
            "Art. 10), but records no basis for it in criminal_data");
  // A block without a basis is not enough; with a basis it is fine.
  act().criminal_data.emplace();
  EXPECT_EQ(Of(Run(), "BS023-criminal-data-no-basis").size(), 1u);
  act().criminal_data->basis = "UAVG art. 33 lid 2 onder a (screening)";
  EXPECT_TRUE(Of(Run(), "BS023-criminal-data-no-basis").empty());
}

TEST_F(RegChecks, CriminalDataBlockWithoutBasisAndNoKey) {
  act().criminal_data.emplace();
  auto f = Of(Run(), "BS023-criminal-data-no-basis");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].criminal_data.basis");
  EXPECT_EQ(
      Nl(f[0]),
      "Verwerking 'Online marketing' verwerkt strafrechtelijke gegevens (criminal_data), maar noemt geen "
      "grondslag van art. 10");
}

TEST_F(RegChecks, OtherGovernmentIdsAreNotTheBsn) {
  act().data_categories = {"user.government_id.passport_number", "user.government_id",
                           "user.government_id.drivers_license_number"};
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS024-national-id-no-law").empty());
  EXPECT_TRUE(Of(r, "BS023-criminal-data-no-basis").empty());
}

TEST_F(RegChecks, NationalIdWithoutLaw) {
  act().data_categories.push_back("user.government_id.national_identification_number");
  auto f = Of(Run(), "BS024-national-id-no-law");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].data_categories[2]");
  EXPECT_EQ(De(f[0]),
            "Verarbeitungstätigkeit 'Online marketing' führt "
            "'user.government_id.national_identification_number' (eine nationale Kennnummer) auf, nennt aber "
            "in national_id kein Gesetz, das dies erlaubt");
  act().national_id = NationalId{"Wet op de loonbelasting 1964, art. 28"};
  EXPECT_TRUE(Of(Run(), "BS024-national-id-no-law").empty());
  act().national_id->law.clear();
  EXPECT_EQ(Of(Run(), "BS024-national-id-no-law").size(), 1u);
}

// --- BS027 / BS028 DPIA indicators -------------------------------------------

TEST_F(RegChecks, TwoWp248CriteriaNotAssessed) {
  act().dpia.status = DpiaStatus::kNotAssessed;
  act().data_subjects = {"Kinderen (leden jeugdafdeling)"};  // vulnerable
  // With the pixel's systematic monitoring: two criteria.
  auto f = Of(Run(), "BS027-dpia-indicated");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].dpia.status");
  EXPECT_EQ(
      En(f[0]),
      "Activity 'Online marketing' records its DPIA as not assessed, but it meets criteria that call for "
      "one: systematic monitoring, data of vulnerable data subjects such as children or employees");
  EXPECT_TRUE(Of(Run(), "BS028-dpia-one-criterion").empty());
}

TEST_F(RegChecks, OneDutchListItemIsEnoughAndNotRequiredCounts) {
  act().dpia.status = DpiaStatus::kNotRequired;
  tp().product = "hotjar";  // session recording: observation of behaviour (AP list), monitoring
  tp().vendor.clear();
  auto f = Of(Run(), "BS027-dpia-indicated");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      Nl(f[0]),
      "Bij verwerking 'Online marketing' is de DPIA vastgelegd als niet vereist, maar de verwerking voldoet "
      "aan criteria die om een DPIA vragen: stelselmatige observatie of beïnvloeding van gedrag (lijst van "
      "de AP), stelselmatige monitoring");
}

TEST_F(RegChecks, OneWp248CriterionIsAnAdvisory) {
  act().dpia.status = DpiaStatus::kNotAssessed;
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS027-dpia-indicated").empty());
  auto f = Of(r, "BS028-dpia-one-criterion");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kInfo);
  EXPECT_EQ(En(f[0]),
            "Activity 'Online marketing' meets one WP248 criterion (systematic monitoring); assess whether a "
            "DPIA is needed and record the outcome");
  // Assessed as not required: no advisory.
  act().dpia.status = DpiaStatus::kNotRequired;
  EXPECT_TRUE(Of(Run(), "BS028-dpia-one-criterion").empty());
}

TEST_F(RegChecks, NoCriterionOrDpiaDoneGivesNothing) {
  act().dpia.status = DpiaStatus::kNotAssessed;
  reg.touchpoints.clear();
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS027-dpia-indicated").empty());
  EXPECT_TRUE(Of(r, "BS028-dpia-one-criterion").empty());
  act().data_subjects = {"children"};
  act().data_categories.push_back("user.health_and_medical");
  for (DpiaStatus s : {DpiaStatus::kRequired, DpiaStatus::kInProgress, DpiaStatus::kCompleted}) {
    act().dpia.status = s;
    EXPECT_TRUE(Of(Run(), "BS027-dpia-indicated").empty());
  }
}

TEST_F(RegChecks, LinkTouchpointIsNotMonitoring) {
  act().dpia.status = DpiaStatus::kNotAssessed;
  tp().product = "messenger";  // messaging: not a monitoring category
  tp().vendor.clear();
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS027-dpia-indicated").empty());
  EXPECT_TRUE(Of(r, "BS028-dpia-one-criterion").empty());
}

// --- BS029 transfer tools by date ---------------------------------------------

class TransferByDate : public RegChecks {
 protected:
  Transfer& transfer() { return act().transfers[0]; }
  void CapturedOn(std::string first, std::string last) {
    for (EvidenceSourceInfo& s : det.sources) {
      s.first_capture = first;
      s.last_capture = last;
    }
  }
  std::vector<Finding> Bs029() { return Of(Run(), "BS029-transfer-tool-by-date"); }
};

TEST_F(TransferByDate, DpfWithCertifiedVendorIsFine) { EXPECT_TRUE(Bs029().empty()); }

TEST_F(TransferByDate, PrivacyShieldInvalidTodayAndAfterSchremsII) {
  transfer().safeguard = TransferSafeguard::kPrivacyShield;
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].transfers[transfer-1].safeguard");
  // The pixel of this vendor is seen: evidence of actual sending raises medium to high.
  EXPECT_EQ(f[0].base_severity, Severity::kMedium);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].severity_context, std::vector<std::string>{"evidence_of_sending"});
  EXPECT_EQ(
      En(f[0]),
      "The transfer to 'Meta Platforms Ireland' (US) relies on the EU-US Privacy Shield, which is invalid "
      "since 16 July 2020 (C-311/18 Schrems II)");
  CapturedOn("2020-07-16T08:00:00Z", "2020-07-16T08:10:00Z");
  f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      En(f[0]),
      "The transfer to 'Meta Platforms Ireland' (US) relies on the EU-US Privacy Shield, which is invalid "
      "since 16 July 2020 (C-311/18 Schrems II); the evidence was captured up to 2020-07-16");
}

TEST_F(TransferByDate, PrivacyShieldOnEvidenceFromBeforeSchremsIIIsFine) {
  transfer().safeguard = TransferSafeguard::kPrivacyShield;
  CapturedOn("2020-07-01T08:00:00Z", "2020-07-15T23:59:59Z");
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, DpfBeforeItApplied) {
  CapturedOn("2023-07-09T10:00:00Z", "2023-08-01T10:00:00Z");
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Nl(f[0]),
            "De doorgifte aan 'Meta Platforms Ireland' (US) steunt op het EU-VS Data Privacy Framework, maar "
            "het bewijs is opgenomen vanaf 2023-07-09, vóór het kader gold (10 juli 2023)");
  CapturedOn("2023-07-10T00:00:00Z", "2023-08-01T10:00:00Z");
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, DpfOnlyForTheUsAndCertifiedOrganisations) {
  transfer().country = "IN";
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail.id, "BS029-transfer-tool-by-date.dpf_not_us");
  // A vendor whose product relies on SCCs according to the kb.
  transfer().country = "US";
  Touchpoint& ads = AddTouchpoint("tp-acme", "google-ads", "acme");
  (void)ads;
  act().transfers.push_back({"transfer-2", "acme", "US", TransferSafeguard::kDataPrivacyFramework, ""});
  std::vector<KbEntry> e = TestKbEntries();
  e.push_back(Entry("google-ads", "Google Ads", "advertising-pixel", VendorRole::kIndependentController, true,
                    "US", TransferSafeguard::kSccs));
  kb = std::make_shared<const Kb>(Kb::FromEntries(std::move(e)));
  det = CleanDetection(*kb);
  f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(
      En(f[0]),
      "The transfer to 'acme Ltd' (US) relies on the EU-US Data Privacy Framework, but the knowledge base "
      "records that Google Ads relies on standard contractual clauses, not on a certification");
  EXPECT_EQ(f[0].severity, Severity::kMedium);  // google-ads not seen: no evidence of sending
}

TEST_F(TransferByDate, DpfUnverifiedWithoutAKnownProduct) {
  transfer().recipient = "Payroll Cloud Inc.";
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail.id, "BS029-transfer-tool-by-date.dpf_unverified");
  EXPECT_TRUE(f[0].severity_context.empty());
}

TEST_F(TransferByDate, TheRegistersOwnCheckOfTheDpfListComesFirst) {
  // The kb says Meta's products rely on the DPF; the register's check says the entity was not listed.
  vendor().dpf_listing = {false, "2025-03-01", "https://www.dataprivacyframework.gov/list"};
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail.id, "BS029-transfer-tool-by-date.dpf_register_not_listed");
  EXPECT_EQ(
      En(f[0]),
      "The transfer to 'Meta Platforms Ireland' (US) relies on the EU-US Data Privacy Framework, but the "
      "register records that the recipient was not on the DPF list when it was checked (2025-03-01)");
  // A check from the Privacy Shield years does not count.
  vendor().dpf_listing = {true, "2021-05-04", ""};
  f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail.id, "BS029-transfer-tool-by-date.dpf_checked_before");
  EXPECT_NE(En(f[0]).find("dated 2021-05-04, before the framework applied (10 July 2023)"), std::string::npos)
      << En(f[0]);
  vendor().dpf_listing = {true, "2023-07-10", ""};
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, ADatedListingVerifiesAVendorWithoutAKnownProduct) {
  transfer().recipient = "payroll";
  Processor payroll;
  payroll.id = "payroll";
  payroll.name = "Payroll Cloud Inc.";
  payroll.country = "US";
  reg.processors.push_back(payroll);
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].detail.id, "BS029-transfer-tool-by-date.dpf_unverified");
  reg.processors.back().dpf_listing = {true, "2026-01-15", "DPF list entry, checked by the DPO"};
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, SccsNeedATransferImpactAssessment) {
  transfer().safeguard = TransferSafeguard::kSccs;
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "activities[marketing].transfers[transfer-1].tia");
  EXPECT_EQ(
      De(f[0]),
      "Die Übermittlung an 'Meta Platforms Ireland' (US) stützt sich auf Standardvertragsklauseln, aber es "
      "ist keine Bewertung der Übermittlung (Transfer Impact Assessment) erfasst");
  transfer().tia = {"2024-02-01", "TIA-2024-07"};
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, VendorLevelPrivacyShieldAndEeaTransfersAreJudged) {
  vendor().country = "US";
  vendor().transfer_safeguard = TransferSafeguard::kPrivacyShield;
  auto f = Bs029();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kProcessor);
  EXPECT_EQ(f[0].path, "processors[meta].transfer_safeguard");
  // Inside the EEA no Chapter V tool is needed: nothing to judge.
  vendor().country = "IE";
  transfer().country = "DE";
  transfer().safeguard = TransferSafeguard::kPrivacyShield;
  EXPECT_TRUE(Bs029().empty());
}

TEST_F(TransferByDate, NoToolIsBs009NotBs029) {
  transfer().safeguard.reset();
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS029-transfer-tool-by-date").empty());
  EXPECT_EQ(Of(r, "BS009-transfer-no-safeguard").size(), 1u);
}

// --- severity in context ------------------------------------------------------

TEST(SeverityContext, RaisesOneStepAndRecordsOnlyAChange) {
  Finding f;
  f.severity = f.base_severity = Severity::kLow;
  audit::RaiseSeverity(f, "children");
  EXPECT_EQ(f.severity, Severity::kMedium);
  EXPECT_EQ(f.base_severity, Severity::kLow);
  audit::RaiseSeverity(f, "evidence_of_sending");
  EXPECT_EQ(f.severity, Severity::kHigh);
  audit::RaiseSeverity(f, "public_body");  // already high: unchanged, not recorded
  EXPECT_EQ(f.severity_context, (std::vector<std::string>{"children", "evidence_of_sending"}));
}

TEST(SeverityContext, StakesOfAnActivity) {
  ProcessingActivity a;
  EXPECT_TRUE(audit::StakesOf(a).empty());
  a.data_subjects = {"customers", "Leerlingen"};
  a.data_categories = {"user.health_and_medical"};
  EXPECT_EQ(audit::StakesOf(a), (std::vector<std::string_view>{"special_category", "children"}));
  EXPECT_TRUE(audit::NamesEmployees("Beschäftigte"));
  EXPECT_FALSE(audit::NamesEmployees("customers"));
}

}  // namespace
}  // namespace blindspot

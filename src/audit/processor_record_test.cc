// BS018: the record kept as processor (Art. 30(2)), on the clean fixture of
// audit_test_util.h plus one complete processor record; each test breaks it.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

constexpr const char* kRule = "BS018-processor-record-incomplete";

ProcessorRecord CompleteRecord() {
  ProcessorRecord p;
  p.controller = "Stichting Broodfonds Noord";
  p.controller_contact.name = "Secretariaat";
  p.controller_contact.email = "info@broodfonds.example";
  p.controller_contact.loc = {52, 7};
  p.categories_of_processing = {"payroll administration"};
  Transfer t;
  t.recipient = "Payroll Cloud Inc.";
  t.country = "US";
  t.safeguard = TransferSafeguard::kSccs;
  t.loc = {57, 9};
  p.transfers.push_back(t);
  p.toms.measures = {"access_control"};
  p.toms.loc = {61, 7};
  p.loc = {50, 5};
  return p;
}

class ProcessorRecordTest : public ::testing::Test {
 protected:
  Kb kb = TestKb();
  Register reg = [] {
    Register r = CleanRegister();
    r.processor_records.push_back(CompleteRecord());
    return r;
  }();
  DetectionResult det = CleanDetection(kb);
  AuditResult Run() {
    SortDetections(det);
    return RunAudit(reg, kb, det);
  }
  ProcessorRecord& rec() { return reg.processor_records[0]; }
};

TEST_F(ProcessorRecordTest, RuleIsInTheCatalogue) {
  const RuleInfo* info = FindRule(kRule);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->severity, Severity::kMedium);
  ASSERT_EQ(info->legal_sources.size(), 3u);
  EXPECT_EQ(info->legal_sources[0].title, "GDPR (AVG) Art. 30(2)(a)-(d) (records kept by a processor)");
  EXPECT_EQ(info->legal_sources[0].url, "https://eur-lex.europa.eu/eli/reg/2016/679/oj");
  EXPECT_NE(info->legal_sources[1].title.find("Art. 32(1)"), std::string::npos);
  EXPECT_NE(info->legal_sources[2].title.find("Chapter V"), std::string::npos);
  EXPECT_NE(info->remediation.nl.find("verwerkingsverantwoordelijke"), std::string::npos);
  EXPECT_NE(info->remediation.nl.find("technische en organisatorische beveiligingsmaatregelen"),
            std::string::npos);
  EXPECT_NE(info->remediation.nl.find("doorgifte"), std::string::npos);
  EXPECT_NE(info->title.nl.find("Register van verwerkingsactiviteiten"), std::string::npos);
}

TEST_F(ProcessorRecordTest, CompleteRecordHasNoFinding) {
  AuditResult r = Run();
  for (const Finding& f : r.findings)
    ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << f.detail.en;
}

TEST_F(ProcessorRecordTest, OneFindingPerMissingItem) {
  rec() = {};
  rec().loc = {50, 5};
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 4u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kMedium);
    EXPECT_EQ(x.subject_kind, SubjectKind::kRegister);
    EXPECT_EQ(x.subject_id, "processor_records[1]");
    EXPECT_EQ(x.subject_name, "");
    EXPECT_EQ(x.loc, (Loc{50, 5}));
  }
  // Sorted by detail within the same subject and line.
  EXPECT_EQ(f[0].detail.en,
            "Processor record for 'processor_records[1]' does not describe the technical and organisational "
            "security measures (Art. 30(2)(d))");
  EXPECT_EQ(f[0].detail.nl,
            "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[1]' beschrijft geen "
            "technische en organisatorische beveiligingsmaatregelen (art. 30 lid 2 sub d)");
  EXPECT_EQ(
      f[1].detail.en,
      "Processor record for 'processor_records[1]' does not record the categories of processing carried "
      "out for the controller (Art. 30(2)(b))");
  EXPECT_EQ(
      f[1].detail.nl,
      "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[1]' vermeldt geen "
      "categorieën verwerkingen die voor de verwerkingsverantwoordelijke worden uitgevoerd (art. 30 lid "
      "2 sub b)");
  EXPECT_EQ(
      f[2].detail.en,
      "Processor record for 'processor_records[1]' does not record the contact details of the controller "
      "(Art. 30(2)(a))");
  EXPECT_EQ(f[3].detail.en,
            "Processor record for 'processor_records[1]' does not record the name of the controller (Art. "
            "30(2)(a))");
  EXPECT_EQ(
      f[3].detail.nl,
      "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[1]' vermeldt geen naam "
      "van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)");
}

TEST_F(ProcessorRecordTest, ContactWithOnlyANameAndEmptyTomsPointAtTheirKeys) {
  rec().controller_contact.email.clear();  // "Secretariaat" alone is not a way to reach the controller
  rec().toms.measures.clear();             // key present, loc {61, 7}
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].subject_id, "processor_records[1]");
  EXPECT_EQ(f[0].subject_name, "Stichting Broodfonds Noord");
  EXPECT_EQ(f[0].loc, (Loc{52, 7}));
  EXPECT_EQ(
      f[0].detail.nl,
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt geen "
      "contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)");
  EXPECT_EQ(f[1].loc, (Loc{61, 7}));
  EXPECT_EQ(f[1].detail.en,
            "Processor record for 'Stichting Broodfonds Noord' does not describe the technical and "
            "organisational security measures (Art. 30(2)(d))");
}

TEST_F(ProcessorRecordTest, NonEeaTransferWithoutSafeguardPerTransfer) {
  rec().transfers[0].safeguard = TransferSafeguard::kNone;
  Transfer unset;  // safeguard not given at all, and no recipient
  unset.country = "IN";
  unset.loc = {59, 9};
  rec().transfers.push_back(unset);
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kRegister);
  EXPECT_EQ(f[0].subject_id, "processor_records[1]");
  EXPECT_EQ(f[0].subject_name, "Stichting Broodfonds Noord");
  EXPECT_EQ(f[0].loc, (Loc{57, 9}));
  EXPECT_EQ(
      f[0].detail.en,
      "Processor record for 'Stichting Broodfonds Noord' records a transfer to 'Payroll Cloud Inc.' in US "
      "(outside the EEA) without a transfer safeguard (Art. 30(2)(c), Chapter V)");
  EXPECT_EQ(
      f[0].detail.nl,
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt een "
      "doorgifte aan 'Payroll Cloud Inc.' in US (buiten de EER) zonder waarborg voor doorgifte (art. 30 "
      "lid 2 sub c, hoofdstuk V)");
  EXPECT_EQ(f[1].loc, (Loc{59, 9}));
  EXPECT_EQ(f[1].detail.en,
            "Processor record for 'Stichting Broodfonds Noord' records a transfer to IN (outside the EEA) "
            "without a transfer safeguard (Art. 30(2)(c), Chapter V)");
  EXPECT_EQ(
      f[1].detail.nl,
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt een "
      "doorgifte naar IN (buiten de EER) zonder waarborg voor doorgifte (art. 30 lid 2 sub c, hoofdstuk "
      "V)");
  // The activity-level transfer rule does not look at processor records.
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
}

TEST_F(ProcessorRecordTest, EeaOrSafeguardedOrCountrylessTransfersAndDescriptionOnlyTomsAreFine) {
  rec().transfers.clear();
  for (const char* country : {"NL", "no", "EL", ""}) {
    Transfer t;
    t.recipient = "none";
    t.country = country;
    t.safeguard = TransferSafeguard::kNone;
    rec().transfers.push_back(t);
  }
  for (TransferSafeguard s :
       {TransferSafeguard::kAdequacyDecision, TransferSafeguard::kDataPrivacyFramework,
        TransferSafeguard::kSccs, TransferSafeguard::kBcrs, TransferSafeguard::kDerogationArt49}) {
    Transfer t;
    t.country = "US";
    t.safeguard = s;
    rec().transfers.push_back(t);
  }
  rec().toms = {};
  rec().toms.description = "See information security policy v3";
  rec().controller_contact = {};
  rec().controller_contact.phone = "+31 50 000 0000";
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, kRule).empty());
}

TEST_F(ProcessorRecordTest, SubjectIdCountsRecordsFromOne) {
  ProcessorRecord second = CompleteRecord();
  second.controller = "Gemeente Voorbeeld";
  second.categories_of_processing.clear();
  second.loc = {70, 5};
  reg.processor_records.push_back(second);
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "processor_records[2]");
  EXPECT_EQ(f[0].subject_name, "Gemeente Voorbeeld");
  EXPECT_EQ(f[0].loc, (Loc{70, 5}));
  EXPECT_EQ(f[0].detail.en,
            "Processor record for 'Gemeente Voorbeeld' does not record the categories of processing carried "
            "out for the controller (Art. 30(2)(b))");
}

TEST_F(ProcessorRecordTest, NoProcessorRecordsNoFinding) {
  reg.processor_records.clear();
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, kRule).empty());
}

}  // namespace
}  // namespace blindspot

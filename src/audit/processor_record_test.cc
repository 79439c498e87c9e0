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
  p.categories_of_processing = {"payroll administration"};
  Transfer t;
  t.id = "transfer-1";
  t.recipient = "Payroll Cloud Inc.";
  t.country = "US";
  t.safeguard = TransferSafeguard::kSccs;
  p.transfers.push_back(t);
  p.toms.measures = {"access_control"};
  return p;
}

class ProcessorRecordTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = TestKb();
  Register reg = [] {
    Register r = CleanRegister();
    r.processor_records.push_back(CompleteRecord());
    return r;
  }();
  DetectionResult det = CleanDetection(*kb);
  AuditResult Run() { return Audit(reg, kb, det); }
  ProcessorRecord& rec() { return reg.processor_records[0]; }
};

TEST_F(ProcessorRecordTest, RuleIsInTheCatalogue) {
  const RuleMeta* meta = TextCatalog::Builtin().FindRule(kRule);
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->severity, Severity::kMedium);
  EXPECT_EQ(meta->applies_to, std::vector<SubjectKind>{SubjectKind::kRegister});
  ASSERT_EQ(meta->sources.size(), 3u);
  EXPECT_EQ(meta->sources[0].id, "gdpr-art-30-2");
  EXPECT_EQ(meta->sources[0].kind, SourceKind::kLaw);
  EXPECT_EQ(meta->sources[0].Title("en"), "GDPR Art. 30(2)(a)-(d) (records kept by a processor)");
  EXPECT_EQ(meta->sources[0].Title("nl"),
            "AVG art. 30 lid 2 onder a tot en met d (register van de verwerker)");
  EXPECT_EQ(meta->sources[0].url, "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_30");
  EXPECT_NE(meta->sources[1].Title("en").find("Art. 32(1)"), std::string::npos);
  EXPECT_NE(meta->sources[2].Title("en").find("Chapter V"), std::string::npos);
  const std::string& nl = meta->remediation.Get("nl");
  EXPECT_NE(nl.find("verwerkingsverantwoordelijke"), std::string::npos);
  EXPECT_NE(nl.find("technische en organisatorische beveiligingsmaatregelen"), std::string::npos);
  EXPECT_NE(nl.find("doorgifte"), std::string::npos);
  EXPECT_NE(meta->title.Get("nl").find("Register van verwerkingsactiviteiten"), std::string::npos);
  EXPECT_EQ(meta->title.Get("de"), "Verzeichnis als Auftragsverarbeiter unvollständig");
}

TEST_F(ProcessorRecordTest, CompleteRecordHasNoFinding) {
  AuditResult r = Run();
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << En(f);
}

TEST_F(ProcessorRecordTest, OneFindingPerMissingItem) {
  rec() = {};
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 4u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.severity, Severity::kMedium);
    EXPECT_EQ(x.subject_kind, SubjectKind::kRegister);
    // A record has no id: its path (0-based index) names it.
    EXPECT_EQ(x.subject_id, "processor_records[0]");
    EXPECT_EQ(x.subject_name, "");
  }
  // In Art. 30(2) order within the same record, each at its own field.
  EXPECT_EQ(f[0].path, "processor_records[0].controller");
  EXPECT_EQ(En(f[0]),
            "Processor record for 'processor_records[0]' does not record the name of the controller (Art. "
            "30(2)(a))");
  EXPECT_EQ(
      Nl(f[0]),
      "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[0]' vermeldt geen naam "
      "van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)");
  EXPECT_EQ(f[1].path, "processor_records[0].controller_contact");
  EXPECT_EQ(
      En(f[1]),
      "Processor record for 'processor_records[0]' does not record the contact details of the controller "
      "(Art. 30(2)(a))");
  EXPECT_EQ(f[2].path, "processor_records[0].categories_of_processing");
  EXPECT_EQ(
      En(f[2]),
      "Processor record for 'processor_records[0]' does not record the categories of processing carried "
      "out for the controller (Art. 30(2)(b))");
  EXPECT_EQ(
      Nl(f[2]),
      "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[0]' vermeldt geen "
      "categorieën verwerkingen die voor de verwerkingsverantwoordelijke worden uitgevoerd (art. 30 lid "
      "2 sub b)");
  EXPECT_EQ(f[3].path, "processor_records[0].toms");
  EXPECT_EQ(En(f[3]),
            "Processor record for 'processor_records[0]' does not describe the technical and organisational "
            "security measures (Art. 30(2)(d))");
  EXPECT_EQ(Nl(f[3]),
            "Register van verwerkingsactiviteiten als verwerker voor 'processor_records[0]' beschrijft geen "
            "technische en organisatorische beveiligingsmaatregelen (art. 30 lid 2 sub d)");
}

TEST_F(ProcessorRecordTest, ContactWithOnlyANameAndEmptyTomsPointAtTheirKeys) {
  rec().controller_contact.email.clear();  // "Secretariaat" alone is not a way to reach the controller
  rec().toms.measures.clear();
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].subject_id, "processor_records[0]");
  EXPECT_EQ(f[0].subject_name, "Stichting Broodfonds Noord");
  EXPECT_EQ(f[0].path, "processor_records[0].controller_contact");
  EXPECT_EQ(
      Nl(f[0]),
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt geen "
      "contactgegevens van de verwerkingsverantwoordelijke (art. 30 lid 2 sub a)");
  EXPECT_EQ(f[1].path, "processor_records[0].toms");
  EXPECT_EQ(En(f[1]),
            "Processor record for 'Stichting Broodfonds Noord' does not describe the technical and "
            "organisational security measures (Art. 30(2)(d))");
}

TEST_F(ProcessorRecordTest, NonEeaTransferWithoutSafeguardPerTransfer) {
  rec().transfers[0].safeguard = TransferSafeguard::kNone;
  Transfer unset;  // safeguard not given at all, and no recipient
  unset.id = "transfer-2";
  unset.country = "IN";
  rec().transfers.push_back(unset);
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kRegister);
  EXPECT_EQ(f[0].subject_id, "processor_records[0]");
  EXPECT_EQ(f[0].subject_name, "Stichting Broodfonds Noord");
  EXPECT_EQ(f[0].path, "processor_records[0].transfers[transfer-1].safeguard");
  EXPECT_EQ(
      En(f[0]),
      "Processor record for 'Stichting Broodfonds Noord' records a transfer to 'Payroll Cloud Inc.' in US "
      "(outside the EEA) without a transfer safeguard (Art. 30(2)(c), Chapter V)");
  EXPECT_EQ(
      Nl(f[0]),
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt een "
      "doorgifte aan 'Payroll Cloud Inc.' in US (buiten de EER) zonder waarborg voor doorgifte (art. 30 "
      "lid 2 sub c, hoofdstuk V)");
  EXPECT_EQ(f[1].path, "processor_records[0].transfers[transfer-2].safeguard");
  EXPECT_EQ(En(f[1]),
            "Processor record for 'Stichting Broodfonds Noord' records a transfer to IN (outside the EEA) "
            "without a transfer safeguard (Art. 30(2)(c), Chapter V)");
  EXPECT_EQ(
      Nl(f[1]),
      "Register van verwerkingsactiviteiten als verwerker voor 'Stichting Broodfonds Noord' vermeldt een "
      "doorgifte naar IN (buiten de EER) zonder waarborg voor doorgifte (art. 30 lid 2 sub c, hoofdstuk "
      "V)");
  // The activity-level transfer rule does not look at processor records.
  EXPECT_TRUE(Of(r, "BS009-transfer-no-safeguard").empty());
}

TEST_F(ProcessorRecordTest, EeaOrSafeguardedOrCountrylessTransfersAndDescriptionOnlyTomsAreFine) {
  rec().transfers.clear();
  int n = 0;
  for (const char* country : {"NL", "NO", "EL", ""}) {
    Transfer t;
    t.id = "transfer-" + std::to_string(++n);
    t.recipient = "none";
    t.country = country;
    t.safeguard = TransferSafeguard::kNone;
    rec().transfers.push_back(t);
  }
  for (TransferSafeguard s :
       {TransferSafeguard::kAdequacyDecision, TransferSafeguard::kDataPrivacyFramework,
        TransferSafeguard::kSccs, TransferSafeguard::kBcrs, TransferSafeguard::kDerogationArt49}) {
    Transfer t;
    t.id = "transfer-" + std::to_string(++n);
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

TEST_F(ProcessorRecordTest, SubjectIdIsTheRecordPath) {
  ProcessorRecord second = CompleteRecord();
  second.controller = "Gemeente Voorbeeld";
  second.categories_of_processing.clear();
  reg.processor_records.push_back(second);
  AuditResult r = Run();
  auto f = Of(r, kRule);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "processor_records[1]");
  EXPECT_EQ(f[0].subject_name, "Gemeente Voorbeeld");
  EXPECT_EQ(f[0].path, "processor_records[1].categories_of_processing");
  EXPECT_EQ(En(f[0]),
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

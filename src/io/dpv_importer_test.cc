// The DPV JSON-LD importer: the DPV export read back, a DPV file written as
// another tool would (full IRIs, its own prefixes, bases only on the
// activity), and bad documents. Expected values written by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "blindspot/env.h"
#include "blindspot/io.h"
#include "io/exporters.h"
#include "io/importers.h"

namespace blindspot {
namespace {

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format() + "\n";
  return s;
}

std::expected<LoadedRegister, Diagnostics> Import(std::string_view text) {
  const Importer* imp = FindImporter("dpv");
  EXPECT_NE(imp, nullptr);
  return imp->import(text, "register.jsonld", RegisterReadOptions{});
}

// What the DPV export carries of a register (docs/formats/export.md#dpv):
// the rest is compared as absent.
Register DpvView(const Register& r) {
  Register v;
  v.organisation.name = r.organisation.name;
  v.organisation.country = r.organisation.country;
  for (const Processor& p : r.processors) {
    Processor q;
    q.id = p.id;
    q.name = p.name == p.id ? "" : p.name;
    q.role = p.role;
    q.country = p.country;
    v.processors.push_back(q);
  }
  for (const ProcessingActivity& a : r.activities) {
    ProcessingActivity b;
    b.id = a.id;
    b.name = a.name;
    b.description = a.description;
    b.purposes = a.purposes;
    b.data_categories = a.data_categories;
    for (SpecialCategory s : a.special_categories) {
      s.id.clear();
      b.special_categories.push_back(s);
    }
    b.data_subjects = a.data_subjects;
    for (Recipient rc : a.recipients) {
      rc.id.clear();
      if (rc.kind == RecipientKind::kProcessor) rc.name.clear();
      b.recipients.push_back(rc);
    }
    for (Transfer t : a.transfers) {
      t.id.clear();
      t.tia = {};
      b.transfers.push_back(t);
    }
    b.toms = a.toms;
    for (Retention rt : a.retention) {
      rt.id.clear();
      b.retention.push_back(rt);
    }
    v.activities.push_back(b);
  }
  return v;
}

Register Example() {
  auto text =
      Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml", 1 << 24);
  EXPECT_TRUE(text.has_value());
  auto l = ParseRegisterText(text ? *text : "", "register.yaml");
  EXPECT_TRUE(l.has_value()) << (l ? "" : AllText(l.error()));
  return l ? l->reg : Register{};
}

TEST(DpvImporter, TheDpvExportReadsBackAsTheSameRegisterInWhatDpvCarries) {
  Register want = Example();
  ASSERT_GE(want.activities.size(), 4u);
  // What a DPV class alone would lose is written as a labelled instance:
  // a sub-key of a pd: class, a data subject in the plural, a measure finer
  // than dpv:Encryption. Special categories carry their condition, purposes
  // their law and assessment, a DPF transfer says it is the DPF.
  ProcessingActivity& a = want.activities[0];
  a.data_subjects.push_back("employees");
  a.toms.measures = {"encryption_at_rest", "access_control", "logging"};
  a.special_categories.push_back(
      {.category = "user.health", .condition = 'h', .justification = "arbodienst"});
  a.special_categories.push_back({.category = "user.health_and_medical"});
  a.purposes.at(1).legal_obligation = "Art. 52 Awr";
  Transfer dpf;
  dpf.recipient = "mailchimp";
  dpf.country = "US";
  dpf.safeguard = TransferSafeguard::kDataPrivacyFramework;
  dpf.reference = "DPF-lijst gecontroleerd 2025-01";
  a.transfers.push_back(dpf);
  AssignDerivedIds(want);
  ASSERT_TRUE(std::any_of(a.data_categories.begin(), a.data_categories.end(),
                          [](const std::string& c) { return c == "user.behavior.purchase_history"; }));

  auto text = FindExporter("dpv")->write(want, {});
  ASSERT_TRUE(text.has_value());
  ASSERT_TRUE(ParseAnyRegister(*text, "r.jsonld", {}).has_value()) << "recognised by content";
  auto got = Import(*text);
  ASSERT_TRUE(got.has_value()) << AllText(got.error());
  EXPECT_EQ(DpvView(got->reg), DpvView(want));
  // What DPV does not carry comes back empty, and nothing is kept as a note.
  EXPECT_TRUE(got->reg.systems.empty());
  EXPECT_EQ(got->reg.activities[0].dpia.status, DpiaStatus::kNotAssessed);
  for (const auto& act : got->reg.activities) EXPECT_TRUE(act.notes.empty()) << act.id;
  // Exported again, the same document.
  auto again = FindExporter("dpv")->write(got->reg, {});
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *text);
}

// A DPV file as another tool writes it: its own prefix for DPV, full IRIs for
// the GDPR extension, no blindspot ids, the Art. 6 basis only on the process,
// a property blindspot has no field for.
constexpr std::string_view kOtherTool = R"json({
  "@context": {
    "w": "https://w3id.org/dpv#",
    "label": "http://www.w3.org/2000/01/rdf-schema#label"
  },
  "@graph": [
    {"@id": "https://example.org/org", "@type": "w:DataController", "label": "Gemeente Voorbeeld",
     "w:hasCountry": {"@id": "https://w3id.org/dpv/loc#NL"}},
    {"@id": "https://example.org/hoster", "@type": "w:DataProcessor", "label": "Hosting B.V."},
    {"@id": "https://example.org/pa/1", "@type": ["w:Process"],
     "label": "Parkeervergunningen",
     "w:hasDataController": {"@id": "https://example.org/org"},
     "w:hasPurpose": [{"@type": "w:Purpose", "label": "Vergunning verlenen"}],
     "w:hasLegalBasis": {"@id": "https://w3id.org/dpv/legal/eu/gdpr#A6-1-e"},
     "w:hasPersonalData": [{"@id": "https://w3id.org/dpv/pd#Name"}, {"@id": "https://w3id.org/dpv/pd#Health"}],
     "w:hasDataSubject": {"@id": "w:Visitor"},
     "w:hasRecipient": [{"@id": "https://example.org/hoster"}],
     "w:hasStorageCondition": {"@type": "w:StorageDuration", "label": "P5Y"},
     "w:hasDataSource": {"@type": "w:DataSource", "label": "Aanvrager"}}
  ]
})json";

TEST(DpvImporter, AFileFromAnotherToolIsReadByItsOwnPrefixes) {
  auto got = Import(kOtherTool);
  ASSERT_TRUE(got.has_value()) << AllText(got.error());
  const Register& r = got->reg;
  EXPECT_EQ(r.organisation.name, "Gemeente Voorbeeld");
  EXPECT_EQ(r.organisation.country, "NL");
  ASSERT_EQ(r.processors.size(), 1u);
  EXPECT_EQ(r.processors[0].id, "hosting-b-v");
  EXPECT_EQ(r.processors[0].name, "Hosting B.V.");
  ASSERT_EQ(r.activities.size(), 1u);
  const ProcessingActivity& a = r.activities[0];
  EXPECT_EQ(a.id, "parkeervergunningen");
  ASSERT_EQ(a.purposes.size(), 1u);
  EXPECT_EQ(a.purposes[0].description, "Vergunning verlenen");
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kPublicTask);  // the process's one basis
  EXPECT_EQ(a.data_categories, (std::vector<std::string>{"user.name"}));
  ASSERT_EQ(a.special_categories.size(), 1u);
  EXPECT_EQ(a.special_categories[0].category, "user.health");
  EXPECT_EQ(a.data_subjects, (std::vector<std::string>{"visitor"}));
  ASSERT_EQ(a.recipients.size(), 1u);
  EXPECT_EQ(a.recipients[0].kind, RecipientKind::kProcessor);
  EXPECT_EQ(a.recipients[0].processor, "hosting-b-v");
  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].period, "P5Y");
  // dpv:hasDataSource has no field: a note, and a warning at its line.
  EXPECT_EQ(a.notes, (std::vector<std::string>{"dpv:hasDataSource: Aanvrager"}));
  auto w = std::find_if(got->warnings.begin(), got->warnings.end(), [](const Error& e) {
    return e.message.find("dpv:hasDataSource") != std::string::npos;
  });
  ASSERT_NE(w, got->warnings.end()) << AllText(got->warnings);
  EXPECT_EQ(w->where.line, 19u);
}

TEST(DpvImporter, BadDocumentsAreErrorsWithTheirPlace) {
  auto no_graph = Import("{\"@context\": {\"dpv\": \"https://w3id.org/dpv#\"}}");
  ASSERT_FALSE(no_graph.has_value());
  EXPECT_NE(AllText(no_graph.error()).find("the document has no '@graph'"), std::string::npos)
      << AllText(no_graph.error());
  auto not_list = Import("{\"@context\": {\"dpv\": \"https://w3id.org/dpv#\"},\n \"@graph\": 3}");
  ASSERT_FALSE(not_list.has_value());
  EXPECT_NE(AllText(not_list.error()).find("'@graph' must be a list, found"), std::string::npos);
  EXPECT_EQ(not_list.error().front().where.line, 2u);
  auto no_process = Import(
      "{\"@context\": {\"dpv\": \"https://w3id.org/dpv#\"},\n"
      " \"@graph\": [{\"@id\": \"x\", \"@type\": \"dpv:DataController\", \"rdfs:label\": \"X\"}]}");
  ASSERT_FALSE(no_process.has_value());
  EXPECT_NE(AllText(no_process.error()).find("the register has no processing activities"), std::string::npos);
  auto broken = Import("{\"@context\": {\"dpv\": \"https://w3id.org/dpv#\"}, \"@graph\": [");
  ASSERT_FALSE(broken.has_value());
  EXPECT_GE(broken.error().front().where.line, 1u);
}

}  // namespace
}  // namespace blindspot

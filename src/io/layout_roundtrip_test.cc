// Reading exports back: every spreadsheet layout (VNG and ICO, XLSX and CSV)
// imports back into the fields it has columns for, field by field, and a
// second export of what was read is the same as the first (the layouts are a
// fixpoint). The native formats' identity and the VWS round trip are tested
// in export_test.cc and vws_importer_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "blindspot/app.h"
#include "blindspot/audit.h"
#include "blindspot/env.h"
#include "blindspot/io.h"
#include "blindspot/sheet.h"
#include "io/exporters.h"
#include "io/io_test_util.h"

namespace blindspot {
namespace {

using testing_io::ExpectEachPair;

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format() + "\n";
  return s;
}

// A register that uses every column the VNG layout has.
Register Rich() {
  Register r;
  r.version = "1";
  r.organisation.name = "Gemeente Voorbeeld";
  Processor mail;
  mail.id = "mailer";
  mail.name = "Mailer B.V.";
  mail.legal_entity = "Mailer Holding Inc.";
  mail.country = "US";
  mail.agreement = AgreementRef{AgreementStatus::kSigned, "2023-04-01", "VWO-2023-12", "2026-03-31"};
  mail.transfer_safeguard = TransferSafeguard::kDataPrivacyFramework;
  mail.dpf_listing.listed = true;
  mail.dpf_listing.checked = "2025-01-15";
  mail.dpf_listing.reference = "https://www.dataprivacyframework.gov/list";
  mail.sub_processors = {{"Amazon Web Services EMEA SARL", "IE", "hosting; back-ups"},
                         {"Twilio Inc.", "US", ""},
                         {"Zendesk", "", "support tickets"},
                         {"Lokale drukker", "", ""}};
  r.processors.push_back(mail);
  Processor joint;
  joint.id = "regio";
  joint.name = "Regio Samenwerking";
  joint.role = VendorRole::kJointController;
  joint.country = "NL";
  joint.agreement.status = AgreementStatus::kPending;
  joint.agreement.reference = "Convenant regio 2024";
  r.processors.push_back(joint);
  Processor ads;
  ads.id = "ads";
  ads.name = "Advertentieplatform";
  ads.role = VendorRole::kIndependentController;
  ads.legal_entity = "Advertentieplatform Ltd";
  ads.country = "GB";
  ads.agreement.status = AgreementStatus::kNotRequired;
  ads.transfer_safeguard = TransferSafeguard::kAdequacyDecision;
  ads.dpf_listing.listed = false;
  r.processors.push_back(ads);
  // Named by no activity: only the processor sheet carries it.
  Processor archive;
  archive.id = "archief";
  archive.name = "Archiefdienst";
  archive.country = "NL";
  archive.transfer_safeguard = TransferSafeguard::kNone;
  r.processors.push_back(archive);
  System crm;
  crm.id = "crm";
  crm.name = "Zaaksysteem";
  r.systems.push_back(crm);

  ProcessingActivity a;
  a.id = "uitkeringen";
  a.name = "Uitkeringen verstrekken";
  a.description = "Aanvragen beoordelen, met \"aanhalingstekens\", komma's\nen twee regels.";
  a.business_function = "Werk en inkomen";
  a.owner = "Teamleider W&I";
  Purpose p1;
  p1.description = "Recht op bijstand vaststellen";
  p1.lawful_basis = LawfulBasis::kPublicTask;
  p1.legal_obligation = "Participatiewet art. 7";
  Purpose p2;
  p2.description = "Nieuwsbrief sturen";
  p2.lawful_basis = LawfulBasis::kConsent;
  Purpose p4;
  p4.description = "Fraude opsporen";
  p4.lawful_basis = LawfulBasis::kLegitimateInterests;
  p4.lia_reference = "LIA-2025-01";
  a.purposes = {p1, p2, p4};
  a.data_subjects = {"aanvragers", "huisgenoten"};
  a.data_categories = {"user.name", "user.contact.address",
                       "user.government_id.national_identification_number"};
  SpecialCategory health;
  health.category = "user.health";
  health.condition = 'b';
  a.special_categories = {health};
  Recipient internal;
  internal.kind = RecipientKind::kInternal;
  internal.name = "Team handhaving";
  Recipient external;
  external.kind = RecipientKind::kExternal;
  external.name = "UWV";
  Recipient proc;
  proc.kind = RecipientKind::kProcessor;
  proc.processor = "mailer";
  Recipient jc;
  jc.kind = RecipientKind::kProcessor;
  jc.processor = "regio";
  Recipient indep;
  indep.kind = RecipientKind::kProcessor;
  indep.processor = "ads";
  a.recipients = {internal, external, proc, jc, indep};
  Transfer t;
  t.recipient = "mailer";
  t.country = "US";
  t.safeguard = TransferSafeguard::kSccs;
  t.reference = "SCC 2021/914 module 2";
  Transfer t2;
  t2.recipient = "mailer";
  t2.country = "GB";
  t2.safeguard = TransferSafeguard::kAdequacyDecision;
  a.transfers = {t, t2};
  Retention all;
  all.data_category = "*";
  all.period = "P7Y";
  all.justification = "Archiefwet, selectielijst";
  a.retention = {all};
  a.toms.description = "Toegang op rol; logging.";
  a.toms.measures = {"access_control", "encryption_at_rest", "logging"};
  a.data_sources = {"Betrokkene", "BRP"};
  a.systems = {"crm"};
  a.dpia.status = DpiaStatus::kCompleted;
  a.dpia.reference = "DPIA-2024-03";
  a.notes = {"Herzien: 2024-05-01", "-2 open acties"};
  a.criminal_data = CriminalData{"UAVG art. 33 lid 4", "fraudeonderzoek"};
  a.national_id = NationalId{"Participatiewet art. 64"};
  a.large_scale = true;
  r.activities.push_back(a);

  ProcessingActivity b;
  b.id = "bezwaar";
  b.name = "=Bezwaarschriften";  // a formula on the way out, text on the way back
  Purpose p3;
  p3.description = "Bezwaar behandelen";
  p3.lawful_basis = LawfulBasis::kLegalObligation;
  b.purposes = {p3};
  Retention r1, r2;
  r1.data_category = "user.name";
  r1.period = "P10Y";
  r2.data_category = "user.contact.address";
  r2.period = "P1Y6M";
  r2.justification = "Afhandeling";
  b.retention = {r1, r2};
  b.dpia.status = DpiaStatus::kNotRequired;
  r.activities.push_back(b);
  return r;
}

std::string Export(std::string_view format, const Register& r) {
  const Exporter* e = FindExporter(format);
  EXPECT_NE(e, nullptr) << format;
  if (!e) return "";
  auto out = e->write(r, ExportOptions{});
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().Format());
  return out ? *out : "";
}

Register Import(const std::string& bytes, const std::string& file) {
  auto l = ParseAnyRegister(bytes, file, RegisterReadOptions{});
  EXPECT_TRUE(l.has_value()) << file << ": " << (l ? "" : AllText(l.error()));
  return l ? l->reg : Register{};
}

// The cells of every written sheet, so XLSX exports compare without the
// workbook's creation time.
std::vector<std::vector<std::vector<std::string>>> Cells(const std::string& bytes, const std::string& file) {
  auto wb = sheet::LooksLikeXlsx(bytes) ? sheet::ReadXlsx(bytes, file) : sheet::ReadCsv(bytes, file);
  EXPECT_TRUE(wb.has_value()) << file;
  std::vector<std::vector<std::vector<std::string>>> out;
  if (wb)
    for (const auto& sh : wb->sheets) out.push_back(sh.rows);
  return out;
}

struct Layout {
  const char* format;
  const char* file;
};
constexpr Layout kLayouts[] = {
    {"xlsx", "r.xlsx"}, {"csv", "r.csv"}, {"ico-xlsx", "r.ico.xlsx"}, {"ico-csv", "r.ico.csv"}};

TEST(LayoutRoundTrip, EveryLayoutIsAFixpoint) {
  for (const auto& l : kLayouts) {
    std::string first = Export(l.format, Rich());
    Register once = Import(first, l.file);
    ASSERT_EQ(once.activities.size(), 2u) << l.format;
    std::string second = Export(l.format, once);
    EXPECT_EQ(Cells(second, l.file), Cells(first, l.file)) << l.format;
    Register twice = Import(second, l.file);
    twice.source = once.source;
    EXPECT_EQ(twice, once) << l.format;
  }
}

TEST(LayoutRoundTrip, TheVngLayoutCarriesEveryArticle30Field) {
  Register want = Rich();
  for (const char* format : {"xlsx", "csv"}) {
    SCOPED_TRACE(format);
    Register got = Import(Export(format, want), std::string("r.") + format);
    ASSERT_EQ(got.activities.size(), 2u);
    const ProcessingActivity& a = got.activities[0];
    const ProcessingActivity& w = want.activities[0];
    EXPECT_EQ(a.id, w.id);
    EXPECT_EQ(a.name, w.name);
    EXPECT_EQ(a.description, w.description);
    EXPECT_EQ(a.business_function, w.business_function);
    EXPECT_EQ(a.owner, w.owner);
    ASSERT_EQ(a.purposes.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(a.purposes[i].description, w.purposes[i].description);
      EXPECT_EQ(a.purposes[i].lawful_basis, w.purposes[i].lawful_basis);
      EXPECT_EQ(a.purposes[i].legal_obligation, w.purposes[i].legal_obligation);
      // The assessment stays on the purpose on legitimate interests.
      EXPECT_EQ(a.purposes[i].lia_reference, w.purposes[i].lia_reference) << i;
    }
    EXPECT_EQ(a.data_subjects, w.data_subjects);
    EXPECT_EQ(a.data_categories, w.data_categories);
    ASSERT_EQ(a.special_categories.size(), 1u);
    EXPECT_EQ(a.special_categories[0].category, "user.health");
    EXPECT_EQ(a.special_categories[0].condition, 'b');
    ASSERT_EQ(a.recipients.size(), 5u);
    const bool xlsx = std::string_view(format) == "xlsx";  // with the processor sheet
    // In CSV the independent controller is an external recipient, not a
    // processor (no processor agreement is expected of it); the XLSX
    // processor sheet names it as the register's independent controller.
    EXPECT_EQ(a.recipients[2].kind, xlsx ? RecipientKind::kProcessor : RecipientKind::kExternal);
    EXPECT_EQ(a.recipients[2].processor, xlsx ? "ads" : "");
    EXPECT_EQ(a.recipients[2].name, "Advertentieplatform");
    EXPECT_EQ(got.FindProcessor("processor-advertentieplatform"), nullptr);
    EXPECT_EQ(a.recipients[0].kind, RecipientKind::kInternal);
    EXPECT_EQ(a.recipients[0].name, "Team handhaving");
    EXPECT_EQ(a.recipients[1].kind, RecipientKind::kExternal);
    EXPECT_EQ(a.recipients[1].name, "UWV");
    EXPECT_EQ(a.recipients[3].kind, RecipientKind::kProcessor);
    const Processor* mailer = got.FindProcessor(a.recipients[3].processor);
    ASSERT_NE(mailer, nullptr);
    EXPECT_EQ(mailer->name, "Mailer B.V.");
    // CSV: the id is made from the name; XLSX: the processor sheet's id.
    const std::string regio_id = xlsx ? "regio" : "joint-controller-regio-samenwerking";
    EXPECT_EQ(a.recipients[4].processor, regio_id);
    const Processor* regio = got.FindProcessor(regio_id);
    ASSERT_NE(regio, nullptr);
    EXPECT_EQ(regio->role, VendorRole::kJointController);
    ASSERT_EQ(a.transfers.size(), 2u);
    EXPECT_EQ(a.transfers[0].country, "US");
    EXPECT_EQ(a.transfers[0].safeguard, TransferSafeguard::kSccs);
    EXPECT_EQ(a.transfers[0].reference, "SCC 2021/914 module 2");
    EXPECT_EQ(a.transfers[1].country, "GB");  // each transfer keeps its own safeguard
    EXPECT_EQ(a.transfers[1].safeguard, TransferSafeguard::kAdequacyDecision);
    EXPECT_EQ(a.transfers[1].reference, "");
    ASSERT_EQ(a.retention.size(), 1u);
    EXPECT_EQ(a.retention[0].data_category, "*");
    EXPECT_EQ(a.retention[0].period, "P7Y");
    EXPECT_EQ(a.retention[0].justification, "Archiefwet, selectielijst");
    EXPECT_EQ(a.toms, w.toms);
    EXPECT_EQ(a.data_sources, w.data_sources);
    EXPECT_EQ(a.criminal_data, w.criminal_data);
    EXPECT_EQ(a.national_id, w.national_id);
    EXPECT_TRUE(a.large_scale);
    ASSERT_EQ(a.systems.size(), 1u);
    const System* sys = got.FindSystem(a.systems[0]);
    ASSERT_NE(sys, nullptr);
    EXPECT_EQ(sys->name, "Zaaksysteem");
    EXPECT_EQ(a.dpia, w.dpia);
    // A note without a label gets the column's header as its label.
    EXPECT_EQ(a.notes, (std::vector<std::string>{"Herzien: 2024-05-01", "Opmerkingen: -2 open acties"}));

    const ProcessingActivity& b = got.activities[1];
    EXPECT_EQ(b.name, "=Bezwaarschriften") << "the formula guard is taken off again";
    ASSERT_EQ(b.purposes.size(), 1u);
    EXPECT_EQ(b.purposes[0].lawful_basis, LawfulBasis::kLegalObligation);
    EXPECT_EQ(b.retention.size(), 2u);
    for (size_t i = 0; i < b.retention.size() && i < 2; ++i) {
      EXPECT_EQ(b.retention[i].data_category, want.activities[1].retention[i].data_category);
      EXPECT_EQ(b.retention[i].period, want.activities[1].retention[i].period);
      EXPECT_EQ(b.retention[i].justification, want.activities[1].retention[i].justification);
    }
    EXPECT_EQ(b.dpia.status, DpiaStatus::kNotRequired);
  }
}

// The processor sheet of both XLSX layouts carries every field of every
// processor, joint and independent controller, in the register's order.
TEST(LayoutRoundTrip, ProcessorsSurviveTheXlsxLayouts) {
  const Register want = Rich();
  for (const char* format : {"xlsx", "ico-xlsx"}) {
    SCOPED_TRACE(format);
    std::string bytes = Export(format, want);
    auto wb = sheet::ReadXlsx(bytes, "r.xlsx");
    ASSERT_TRUE(wb.has_value());
    ASSERT_EQ(wb->sheets.size(), 3u);
    EXPECT_EQ(wb->sheets[1].name, std::string_view(format) == "xlsx" ? "Verwerkers" : "Processors");
    EXPECT_EQ(wb->sheets[2].name, std::string_view(format) == "xlsx" ? "Organisatie" : "Organisation");
    Register got = Import(bytes, "r.xlsx");
    ASSERT_NO_FATAL_FAILURE(
        ExpectEachPair(got.processors, want.processors, [](const Processor& g, const Processor& w) {
          EXPECT_EQ(g.id, w.id);
          EXPECT_EQ(g.name, w.name);
          EXPECT_EQ(g.role, w.role);
          EXPECT_EQ(g.legal_entity, w.legal_entity);
          EXPECT_EQ(g.country, w.country);
          EXPECT_EQ(g.agreement.status, w.agreement.status);
          EXPECT_EQ(g.agreement.reference, w.agreement.reference);
          EXPECT_EQ(g.agreement.date, w.agreement.date);
          EXPECT_EQ(g.agreement.expires, w.agreement.expires);
          EXPECT_EQ(g.transfer_safeguard, w.transfer_safeguard);
          EXPECT_EQ(g.dpf_listing.listed, w.dpf_listing.listed);
          EXPECT_EQ(g.dpf_listing.checked, w.dpf_listing.checked);
          EXPECT_EQ(g.dpf_listing.reference, w.dpf_listing.reference);
          EXPECT_EQ(g.sub_processors, w.sub_processors);
          EXPECT_EQ(g, w);
        }));
    // The activity's recipients name the register's processors by their ids.
    std::vector<std::string> named;
    for (const Recipient& rc : got.activities[0].recipients)
      if (rc.kind == RecipientKind::kProcessor) named.push_back(rc.processor);
    std::sort(named.begin(), named.end());  // the ICO layout has the joint controllers first
    EXPECT_EQ(named, (std::vector<std::string>{"ads", "mailer", "regio"}));
  }
  // CSV has one sheet: the processors are names only, their agreements missing.
  Register csv = Import(Export("csv", want), "r.csv");
  const Processor* mailer = csv.FindProcessor("processor-mailer-b-v");
  ASSERT_NE(mailer, nullptr);
  EXPECT_EQ(mailer->agreement.status, AgreementStatus::kMissing);
  EXPECT_EQ(mailer->country, "");
}

// A processor sheet with Dutch words as a user types them, a processor the
// register sheet does not name, and cells that cannot be read.
TEST(LayoutRoundTrip, TheProcessorSheetReadsWordsAndNamesBadCells) {
  const std::string main_sheet = Export("xlsx", Rich());
  auto wb = sheet::ReadXlsx(main_sheet, "r.xlsx");
  ASSERT_TRUE(wb.has_value());
  XlsxSheet reg{.name = "Verwerkingsregister", .header = wb->sheets[0].rows[0], .rows = {}, .widths = {}};
  for (size_t r = 1; r < wb->sheets[0].rows.size(); ++r) reg.rows.push_back(wb->sheets[0].rows[r]);
  XlsxSheet procs{.name = "Verwerkers",
                  .header = {"Naam verwerker", "Rol", "Land", "Status overeenkomst", "Einddatum overeenkomst",
                             "Waarborg doorgifte", "Op DPF-lijst"},
                  .rows = {{"Mailer B.V.", "verwerker", "Verenigde Staten", "getekend", "2027-01-31",
                            "modelcontractbepalingen", "nee"},
                           {"Nieuwe Leverancier", "Verwerker", "NL", "in behandeling"}},
                  .widths = {}};
  auto ok = WriteXlsx({reg, procs});
  ASSERT_TRUE(ok.has_value());
  Register got = Import(*ok, "r.xlsx");
  const Processor* m = got.FindProcessor("processor-mailer-b-v");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->country, "US");
  EXPECT_EQ(m->agreement.status, AgreementStatus::kSigned);
  EXPECT_EQ(m->agreement.expires, "2027-01-31");
  EXPECT_EQ(m->transfer_safeguard, TransferSafeguard::kSccs);
  EXPECT_EQ(m->dpf_listing.listed, false);
  const Processor* n = got.FindProcessor("processor-nieuwe-leverancier");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->agreement.status, AgreementStatus::kPending);
  ASSERT_GE(got.processors.size(), 2u);
  EXPECT_EQ(got.processors[0].id, "processor-mailer-b-v") << "the sheet's order first";
  EXPECT_EQ(got.processors[1].id, "processor-nieuwe-leverancier");

  procs.rows = {
      {"Mailer B.V.", "leverancier", "Atlantis", "misschien", "31-01-2027", "handdruk", "wellicht"}};
  auto bad = WriteXlsx({reg, procs});
  ASSERT_TRUE(bad.has_value());
  auto l = ParseAnyRegister(*bad, "r.xlsx", RegisterReadOptions{});
  ASSERT_FALSE(l.has_value());
  std::vector<std::string> messages;
  for (const Error& e : l.error()) {
    messages.push_back(e.message);
    EXPECT_EQ(e.where.file, "r.xlsx");
  }
  // The role is read first: a row whose role is unknown is not read further.
  EXPECT_EQ(messages,
            (std::vector<std::string>{"sheet 'Verwerkers' B2: 'leverancier' is not a role of a vendor"}));
  EXPECT_EQ(
      l.error()[0].expected,
      "verwerker, gezamenlijke verwerkingsverantwoordelijke, zelfstandige verwerkingsverantwoordelijke");

  procs.rows[0][1] = "verwerker";
  bad = WriteXlsx({reg, procs});
  ASSERT_TRUE(bad.has_value());
  l = ParseAnyRegister(*bad, "r.xlsx", RegisterReadOptions{});
  ASSERT_FALSE(l.has_value());
  messages.clear();
  for (const Error& e : l.error()) messages.push_back(e.message);
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "sheet 'Verwerkers' C2: 'Atlantis' is not a country name or code the phrase table knows",
                "sheet 'Verwerkers' D2: 'misschien' is not a state of an agreement",
                "sheet 'Verwerkers' E2: '31-01-2027' is not a calendar date (the date the agreement ends)",
                "sheet 'Verwerkers' F2: 'handdruk' names no transfer safeguard",
                "sheet 'Verwerkers' G2: 'wellicht' is not yes or no"}));
}

TEST(LayoutRoundTrip, TheIcoLayoutKeepsItsColumns) {
  Register got = Import(Export("ico-xlsx", Rich()), "r.xlsx");
  ASSERT_EQ(got.activities.size(), 2u);
  const ProcessingActivity& a = got.activities[0];
  EXPECT_EQ(a.id, "uitkeringen");
  EXPECT_EQ(a.name, "Uitkeringen verstrekken");
  EXPECT_EQ(a.business_function, "Werk en inkomen");
  EXPECT_EQ(a.description, Rich().activities[0].description);
  EXPECT_EQ(a.data_categories, Rich().activities[0].data_categories);
  ASSERT_EQ(a.special_categories.size(), 1u);
  EXPECT_EQ(a.special_categories[0].condition, 'b');
  EXPECT_EQ(a.dpia.status, DpiaStatus::kCompleted);
  EXPECT_EQ(a.dpia.reference, "DPIA-2024-03");
  EXPECT_EQ(a.notes, (std::vector<std::string>{"Herzien: 2024-05-01", "Notes: -2 open acties"}));
  // The purposes one by one in the blindspot column, each with its basis.
  ASSERT_EQ(a.purposes.size(), 3u);
  EXPECT_EQ(a.purposes[0].description, "Recht op bijstand vaststellen");
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kPublicTask);
  EXPECT_EQ(a.purposes[0].legal_obligation, "Participatiewet art. 7");
  EXPECT_EQ(a.purposes[1].lawful_basis, LawfulBasis::kConsent);
  const ProcessingActivity& b = got.activities[1];
  ASSERT_EQ(b.purposes.size(), 1u);
  EXPECT_EQ(b.purposes[0].description, "Bezwaar behandelen");
  EXPECT_EQ(b.purposes[0].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(b.purposes[0].legal_obligation, "") << "the basis's name alone names no law";
}

TEST(LayoutRoundTrip, ANulCharacterIsAnErrorAtItsCell) {
  const std::string csv = std::string("Naam verwerking,Doel,Bewaartermijn\r\nA,b\0c,P1Y\r\n", 47);
  auto l = ParseAnyRegister(csv, "nul.csv", RegisterReadOptions{});
  ASSERT_FALSE(l.has_value());
  EXPECT_EQ(l.error().front().message, "B2: the cell contains the control character 0x00");
  EXPECT_EQ(l.error().front().where.file, "nul.csv");
}

TEST(LayoutRoundTrip, TheIcoLayoutKeepsPurposesWithoutABasis) {
  Register r = Rich();
  for (Purpose& p : r.activities[0].purposes) p.lawful_basis.reset();
  Register got = Import(Export("ico-csv", r), "r.csv");
  ASSERT_EQ(got.activities.size(), 2u);
  ASSERT_EQ(got.activities[0].purposes.size(), 3u);
  EXPECT_EQ(got.activities[0].purposes[1].description, "Nieuwsbrief sturen");
  EXPECT_FALSE(got.activities[0].purposes[1].lawful_basis.has_value());
}

TEST(LayoutRoundTrip, ASecondActivityWithTheSameNameIsKeptAndNamed) {
  const std::string csv = "Naam verwerking,Doel,Bewaartermijn\r\nKlachten,a,P1Y\r\nKlachten,b,P2Y\r\n";
  auto l = ParseAnyRegister(csv, "dup.csv", RegisterReadOptions{});
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  ASSERT_EQ(l->reg.activities.size(), 2u);
  EXPECT_EQ(l->reg.activities[1].id, "klachten-2");
  bool warned = false;
  for (const Error& e : l->warnings)
    warned = warned ||
             e.message == "A3: a second activity named 'Klachten' (the first is 'klachten'); both are kept";
  EXPECT_TRUE(warned) << AllText(l->warnings);
}

}  // namespace
}  // namespace blindspot

namespace blindspot {
namespace {

// The audit's findings as (rule id, subject id).
std::set<std::pair<std::string, std::string>> Findings(const Register& r) {
  auto index = app::LoadKbIndex(app::Options{});
  EXPECT_TRUE(index.has_value()) << (index ? "" : index.error().Format());
  if (!index) return {};
  std::shared_ptr<const Kb> kb(*index, &(*index)->kb());
  AuditResult result = RunAudit(std::make_shared<Register>(r), kb, DetectionResult{});
  std::set<std::pair<std::string, std::string>> out;
  for (const Finding& f : result.findings) out.emplace(f.rule_id, f.subject_id);
  return out;
}

// The example register read back from each XLSX layout gives the audit the
// same findings (rule and subject): the organisation (its DPO included) comes
// back from the organisation sheet, each transfer's recipient as the
// processor's id. The touchpoints have no place in a layout (export.md), so
// the register is compared without them.
TEST(LayoutRoundTrip, TheXlsxLayoutsKeepTheAuditsFindings) {
  auto text =
      Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml", 1 << 24);
  ASSERT_TRUE(text.has_value());
  auto l = ParseRegisterText(*text, "register.yaml");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  Register want = l->reg;
  want.touchpoints.clear();
  ASSERT_FALSE(want.organisation.dpo.empty());
  const auto findings = Findings(want);
  ASSERT_FALSE(findings.empty());
  for (const char* format : {"xlsx", "ico-xlsx"}) {
    SCOPED_TRACE(format);
    Register got = Import(Export(format, want), "r.xlsx");
    EXPECT_EQ(got.organisation, want.organisation);
    size_t transfers = 0;
    for (size_t i = 0; i < want.activities.size() && i < got.activities.size(); ++i) {
      ASSERT_EQ(got.activities[i].transfers.size(), want.activities[i].transfers.size());
      for (size_t t = 0; t < want.activities[i].transfers.size(); ++t, ++transfers)
        EXPECT_EQ(got.activities[i].transfers[t].recipient, want.activities[i].transfers[t].recipient);
    }
    EXPECT_EQ(transfers, 3u);
    EXPECT_EQ(Findings(got), findings);
  }
  // CSV has one sheet: the organisation is not carried (the audit then asks
  Register csv = Import(Export("csv", want), "r.csv");
  EXPECT_TRUE(csv.organisation.dpo.empty());
  // for it); the transfers' recipients are, by name: a processor's becomes
  // the id CSV gives it, an independent controller's stays its name.
  ASSERT_EQ(csv.activities.size(), 4u);
  EXPECT_EQ(csv.activities[3].transfers.at(0).recipient, "processor-mailchimp");
  EXPECT_EQ(csv.activities[2].transfers.at(0).recipient, "Google Ads");
}

// Names with a ',' or ';' are one item after a round trip through every
// layout: the export ends such a list cell with a line break, and the
// importer reads a cell that ends so one item per line. Without that, a
// processor "Webhosting Utrecht, Amsterdam B.V." came back as two processors
// without an agreement (two false BS008s). A cell typed by hand is still
// split on ',' and ';'.
TEST(LayoutRoundTrip, NamesWithCommasOrSemicolonsStayOneItem) {
  auto text =
      Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml", 1 << 24);
  ASSERT_TRUE(text.has_value());
  auto l = ParseRegisterText(*text, "register.yaml");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  Register want = l->reg;
  want.touchpoints.clear();
  want.processors.at(0).name = "Webhosting Utrecht, Amsterdam B.V.";
  ProcessingActivity& orders = want.activities.at(0);
  ASSERT_EQ(orders.id, "webshop-orders");
  orders.purposes.at(0).description = "Uitvoeren van de koopovereenkomst; inclusief retouren";
  orders.data_subjects.push_back("ouders, voogden");
  orders.data_sources = {"Betrokkene; via formulier"};
  Recipient carriers;
  carriers.kind = RecipientKind::kExternal;
  carriers.name = "PostNL, DHL (vervoerders)";
  orders.recipients.push_back(carriers);
  want.systems.at(0).name = "Webwinkel; Shopware 6";
  const auto findings = Findings(want);
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(layout.format);
    Register got = Import(Export(layout.format, want), layout.file);
    ASSERT_EQ(got.activities.size(), want.activities.size());
    const ProcessingActivity& a = got.activities[0];
    ASSERT_EQ(a.purposes.size(), 2u);
    EXPECT_EQ(a.purposes[0].description, "Uitvoeren van de koopovereenkomst; inclusief retouren");
    EXPECT_EQ(a.purposes[0].lawful_basis, orders.purposes[0].lawful_basis);
    EXPECT_EQ(a.purposes[1].lawful_basis, orders.purposes[1].lawful_basis);
    EXPECT_EQ(a.data_subjects, orders.data_subjects);
    EXPECT_EQ(a.data_sources, orders.data_sources);
    std::vector<std::string> names;
    for (const Recipient& r : a.recipients) names.push_back(r.name);
    EXPECT_NE(std::find(names.begin(), names.end(), "PostNL, DHL (vervoerders)"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "Webhosting Utrecht, Amsterdam B.V."), names.end());
    EXPECT_EQ(
        std::count_if(got.processors.begin(), got.processors.end(),
                      [](const Processor& p) { return p.name.find("Webhosting") != std::string::npos; }),
        1);
    ASSERT_EQ(a.systems.size(), 1u);
    ASSERT_NE(got.FindSystem(a.systems[0]), nullptr);
    EXPECT_EQ(got.FindSystem(a.systems[0])->name, "Webwinkel; Shopware 6");
    // The XLSX layouts carry the processors and the organisation: the audit
    // finds what it found before the round trip, no phantom processors.
    if (std::string_view(layout.file).ends_with(".xlsx")) {
      EXPECT_EQ(Findings(got), findings);
    }
  }
  // Typed by hand, without a line break at the end: split on ',' and ';'.
  const std::string typed =
      "Naam verwerking,Doel,Categorieën betrokkenen\n"
      "Ledenadministratie,Leden werven; contributie innen,\"ouders, voogden\"\n";
  Register hand = Import(typed, "hand.csv");
  ASSERT_EQ(hand.activities.size(), 1u);
  EXPECT_EQ(hand.activities[0].purposes.size(), 2u);
  EXPECT_EQ(hand.activities[0].data_subjects, (std::vector<std::string>{"ouders", "voogden"}));
}

}  // namespace
}  // namespace blindspot

namespace blindspot {
namespace {

// Every sheet of an XLSX export, to edit and write again.
std::vector<XlsxSheet> Sheets(const std::string& bytes) {
  auto wb = sheet::ReadXlsx(bytes, "r.xlsx");
  EXPECT_TRUE(wb.has_value());
  std::vector<XlsxSheet> out;
  if (wb)
    for (const auto& sh : wb->sheets) {
      XlsxSheet x{.name = sh.name, .header = sh.rows.at(0), .rows = {}, .widths = {}};
      x.rows.assign(sh.rows.begin() + 1, sh.rows.end());
      out.push_back(std::move(x));
    }
  return out;
}
size_t ColumnOf(const XlsxSheet& s, std::string_view header) {
  return static_cast<size_t>(std::find(s.header.begin(), s.header.end(), header) - s.header.begin());
}
std::vector<std::string> Messages(const Diagnostics& d, bool warnings) {
  std::vector<std::string> out;
  for (const Error& e : d)
    if (e.warning == warnings && !e.note) out.push_back(e.message);
  return out;
}

// What an edit of the processor sheet (or of the names the register sheet
// gives processors) can get wrong is said at its cell.
TEST(LayoutRoundTrip, TheProcessorSheetSaysWhatDoesNotFit) {
  std::vector<XlsxSheet> base = Sheets(Export("xlsx", Rich()));
  ASSERT_EQ(base.size(), 3u);
  XlsxSheet& reg = base[0];
  const size_t verwerker = ColumnOf(reg, "Verwerker");
  ASSERT_LT(verwerker, reg.header.size());
  ASSERT_EQ(reg.rows[0].at(verwerker), "Mailer B.V.");
  auto import = [](const std::vector<XlsxSheet>& sheets) {
    auto bytes = WriteXlsx(sheets);
    EXPECT_TRUE(bytes.has_value());
    return ParseAnyRegister(bytes ? *bytes : "", "r.xlsx", RegisterReadOptions{});
  };

  // (a) A name the processor sheet does not have: imported as named, said
  // at the activity's cell with the closest name on the sheet.
  {
    std::vector<XlsxSheet> s = base;
    s[0].rows[0][verwerker] = "Mailer BV";
    auto l = import(s);
    ASSERT_TRUE(l.has_value()) << AllText(l.error());
    const Processor* typo = l->reg.FindProcessor("processor-mailer-bv");
    ASSERT_NE(typo, nullptr);
    EXPECT_EQ(typo->agreement.status, AgreementStatus::kMissing);
    EXPECT_EQ(
        Messages(l->warnings, true),
        (std::vector<std::string>{
            "sheet 'Verwerkingsregister' " + sheet::CellName(1, verwerker) +
            ": processor 'Mailer BV' (activity 'uitkeringen') is not on sheet 'Verwerkers' (the closest "
            "name there: 'Mailer B.V.'); it is imported without an agreement"}));
  }
  // (b) A column the template does not know: listed with its filled cells.
  {
    std::vector<XlsxSheet> s = base;
    XlsxSheet& p = s[1];
    const size_t extra = p.header.size();
    p.header.push_back("Opmerking");
    p.rows[0].resize(extra + 1);
    p.rows[0][extra] = "contract loopt af";
    auto l = import(s);
    ASSERT_TRUE(l.has_value()) << AllText(l.error());
    const std::string col = sheet::ColumnName(extra);
    EXPECT_EQ(Messages(l->warnings, true),
              (std::vector<std::string>{"sheet 'Verwerkers' " + col +
                                        "1: column 'Opmerking' is not a processor column of template nl-vng; "
                                        "its 1 filled cell(s) are not imported: " +
                                        col + "2 'contract loopt af'"}));
  }
  // (c) Two rows of one role with one name and different ids: an error
  // naming both cells (the register sheet could not tell them apart).
  {
    std::vector<XlsxSheet> s = base;
    std::vector<std::string> copy = s[1].rows[0];
    copy[0] = "mailer-2";
    s[1].rows.push_back(copy);
    auto l = import(s);
    ASSERT_FALSE(l.has_value());
    EXPECT_EQ(Messages(l.error(), false),
              (std::vector<std::string>{"sheet 'Verwerkers' B6: a second processor named 'Mailer B.V.' (id "
                                        "'mailer-2'); B2 names the same with id 'mailer'"}));
  }
  // (d) "Not applicable" is not_required (said for a processor, which needs
  // a contract), "geen" is missing, a word that is no state an error.
  {
    std::vector<XlsxSheet> s = base;
    const size_t status = ColumnOf(s[1], "Status overeenkomst");
    ASSERT_EQ(s[1].rows[2].at(1), "Advertentieplatform");
    s[1].rows[0][status] = "n.v.t.";
    s[1].rows[1][status] = "geen";
    s[1].rows[2][status] = "Niet van toepassing";
    auto l = import(s);
    ASSERT_TRUE(l.has_value()) << AllText(l.error());
    EXPECT_EQ(l->reg.FindProcessor("mailer")->agreement.status, AgreementStatus::kNotRequired);
    EXPECT_EQ(l->reg.FindProcessor("regio")->agreement.status, AgreementStatus::kMissing);
    EXPECT_EQ(l->reg.FindProcessor("ads")->agreement.status, AgreementStatus::kNotRequired);
    const std::string cell = sheet::ColumnName(status) + "2";
    EXPECT_EQ(
        Messages(l->warnings, true),
        (std::vector<std::string>{"sheet 'Verwerkers' " + cell +
                                  ": 'n.v.t.' read as 'niet vereist' for processor 'Mailer B.V.', which "
                                  "needs a contract with the controller (Art. 28(3) GDPR)"}));
    s[1].rows[0][status] = "soms";
    l = import(s);
    ASSERT_FALSE(l.has_value());
    EXPECT_EQ(
        Messages(l.error(), false),
        (std::vector<std::string>{"sheet 'Verwerkers' " + cell + ": 'soms' is not a state of an agreement"}));
    EXPECT_EQ(l.error()[0].expected, "getekend, in behandeling, ontbreekt, niet vereist, n.v.t.");
  }
  // (e) An id that is no slug, or another processor's: the sheet's cell.
  {
    std::vector<XlsxSheet> s = base;
    s[1].rows[0][0] = "Mailer!";
    auto l = import(s);
    ASSERT_FALSE(l.has_value());
    ASSERT_EQ(l.error().size(), 1u);
    EXPECT_TRUE(l.error()[0].message.starts_with("sheet 'Verwerkers' A2: processor id 'Mailer!' "))
        << l.error()[0].message;
    EXPECT_EQ(l.error()[0].where.line, 0u);
    s[1].rows[0][0] = "regio";
    l = import(s);
    ASSERT_FALSE(l.has_value());
    EXPECT_EQ(
        Messages(l.error(), false),
        (std::vector<std::string>{"sheet 'Verwerkers' A3: a second row for processor 'regio' (the first is "
                                  "row 2)"}));
  }
}

}  // namespace
}  // namespace blindspot

// Spreadsheet registers: the real Fides data-map export checked field by
// field, workbooks in the templates' columns written with libxlsxwriter,
// CSV, a user column map, the starting map and a hostile workbook.
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "blindspot/env.h"
#include "blindspot/input.h"
#include "blindspot/io.h"
#include "blindspot_testing/files.h"
#include "blindspot_testing/realdata.h"

namespace blindspot {
namespace {

namespace fs = std::filesystem;
using testing::ReplaceInPart;
using testing::Slurp;
using testing::TempDir;

std::expected<LoadedRegister, Diagnostics> Import(const std::string& bytes, const std::string& file,
                                                  const std::string& format = "spreadsheet",
                                                  const std::string& columns = "") {
  const Importer* imp = FindImporter(format);
  EXPECT_NE(imp, nullptr) << format;
  RegisterReadOptions o;
  o.column_map = columns;
  o.column_map_file = "map.yaml";
  return imp->import(bytes, file, o);
}

std::string All(const Diagnostics& d) {
  std::string out;
  for (const auto& e : d) out += e.Format();
  return out;
}

bool HasWarning(const Diagnostics& d, const std::string& text) {
  for (const auto& e : d)
    if (e.message.find(text) != std::string::npos) return true;
  return false;
}

// Writes rows of text (row 0 the header) to a sheet.
void Rows(lxw_worksheet* ws, const std::vector<std::vector<std::string>>& rows, lxw_row_t first = 0) {
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t c = 0; c < rows[r].size(); ++c)
      if (!rows[r][c].empty())
        worksheet_write_string(ws, static_cast<lxw_row_t>(first + r), static_cast<lxw_col_t>(c),
                               rows[r][c].c_str(), nullptr);
}

TEST(SheetImporter, FidesDataMapExportFieldByField) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::string path = std::string(BLINDSPOT_REALDATA_DIR) + "/register/fides_datamap_export_2022.xlsx";
  auto bytes = Env::Default().ReadFile(path, InputLimits{}.max_text_bytes);
  ASSERT_TRUE(bytes) << bytes.error().Format();
  // Recognised from the content, read as the fides-datamap template.
  EXPECT_TRUE(FindImporter("spreadsheet")->sniff(*bytes));
  auto reg = ParseAnyRegister(*bytes, "fides_datamap_export_2022.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  ASSERT_FALSE(reg->warnings.empty());
  EXPECT_EQ(
      reg->warnings[0].message,
      "sheet 'sheet1' A9: read as template 'fides-datamap' (24 of the header row's columns recognised)");
  const Register& r = reg->reg;
  // The controller block above the header (C1:H6).
  EXPECT_EQ(r.organisation.name, "Con Troller");
  EXPECT_EQ(r.organisation.contact.address, "123 demo street, New York, NY, USA");
  EXPECT_EQ(r.organisation.contact.email, "controller@demo_company.com");
  EXPECT_EQ(r.organisation.contact.phone, "+1 555 555 5555");
  EXPECT_EQ(r.organisation.dpo.name, "DataPro Tection");
  EXPECT_EQ(r.organisation.dpo.email, "dpo@demo_company.com");
  EXPECT_EQ(r.organisation.representative.name, "Rep Resentative");
  EXPECT_EQ(r.organisation.representative.email, "representative@demo_company.com");
  // Rows 10-16 are one system (Demo Analytics System), row 17 another.
  ASSERT_EQ(r.activities.size(), 2u);
  const ProcessingActivity& a = r.activities[0];
  EXPECT_EQ(a.id, "demo-analytics-system");
  EXPECT_EQ(a.name, "Demo Analytics System");
  EXPECT_EQ(a.business_function, "Engineering");
  ASSERT_EQ(a.purposes.size(), 1u);
  EXPECT_EQ(a.purposes[0].description, "System");
  EXPECT_TRUE(a.purposes[0].data_uses.empty());
  EXPECT_FALSE(a.purposes[0].lawful_basis);  // O10:O16 say N/A
  EXPECT_EQ(a.data_subjects, (std::vector<std::string>{"Customer"}));
  EXPECT_EQ(a.data_categories,
            (std::vector<std::string>{"system.operations", "user.contact", "user.contact.address.state",
                                      "user.contact.email", "user.device.cookie_id", "user.name",
                                      "user.unique_id"}));
  // J10: "CAN, USA, GBR" (ISO alpha-3).
  ASSERT_EQ(a.transfers.size(), 3u);
  EXPECT_EQ(a.transfers[0].country, "CA");
  EXPECT_EQ(a.transfers[1].country, "US");
  EXPECT_EQ(a.transfers[2].country, "GB");
  // L10 "30 days after account deletion" and L13 "Account termination".
  ASSERT_EQ(a.retention.size(), 2u);
  EXPECT_EQ(a.retention[0].period, "P30D");
  EXPECT_EQ(a.retention[0].justification, "30 days after account deletion");
  EXPECT_EQ(a.retention[1].period, "Account termination");
  EXPECT_EQ(a.toms.description, "https://ethyca.com/privacy-policy/");
  EXPECT_EQ(a.data_sources, (std::vector<std::string>{"Demo Users Dataset"}));
  // V10 "1" (required) and W10 "Complete": the furthest state.
  EXPECT_EQ(a.dpia.status, DpiaStatus::kCompleted);
  EXPECT_EQ(a.dpia.reference, "https://example.org/analytics_system_data_protection_impact_assessment");
  EXPECT_EQ(a.notes,
            (std::vector<std::string>{"Role or Responsibility: Controller",
                                      "Rights available to individuals: No data subject rights listed"}));
  const ProcessingActivity& m = r.activities[1];
  EXPECT_EQ(m.id, "demo-marketing-system");
  EXPECT_EQ(m.business_function, "Marketing");
  ASSERT_EQ(m.purposes.size(), 1u);
  EXPECT_EQ(m.purposes[0].description, "Advertising, Marketing or Promotion");
  // The Fides data use's name gives the fideslang key; "System" names none.
  EXPECT_EQ(m.purposes[0].data_uses, (std::vector<std::string>{"marketing.advertising"}));
  EXPECT_EQ(m.data_categories, (std::vector<std::string>{"user.device.cookie_id"}));
  EXPECT_TRUE(m.transfers.empty());
  EXPECT_TRUE(m.retention.empty());
  EXPECT_EQ(m.dpia.status, DpiaStatus::kNotRequired);  // V17 "0"
  EXPECT_EQ(m.notes,
            (std::vector<std::string>{"Role or Responsibility: Processor",
                                      "Rights available to individuals: No data subject rights listed"}));
  EXPECT_TRUE(HasWarning(reg->warnings, "sheet 'sheet1' L13: retention period kept as free text"));
  // The titles above the header are listed (a merged title once), not dropped silently.
  EXPECT_TRUE(
      HasWarning(reg->warnings,
                 "sheet 'sheet1' C1: 5 cell(s) above the header row are not read: C1 'Controller', "
                 "A8 'Fides annotation', C8 'Article 30 Record of Processing Activities', O8 'Privacy "
                 "Notices', V8 'Data Protection Impact Assessments'"));
  // The native output reads back.
  auto back = ParseRegisterText(WriteRegisterYaml(r), "back.yaml");
  ASSERT_TRUE(back) << All(back.error());
  EXPECT_EQ(back->reg.activities, r.activities);
}

TEST(SheetImporter, VngWorkbookWithNotesAndWarnings) {
  TempDir dir;
  std::string path = dir.File("register.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  Rows(workbook_add_worksheet(wb, "Toelichting"), {{"Dit register volgt het VNG-model."}});
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  Rows(ws, {{"Verwerkingsregister gemeente Voorbeeld"},
            {},
            {"Afdeling", "Naam verwerking", "Doel(einden)", "Rechtmatige grondslag",
             "Categorieën\nbetrokkenen", "Categorieën persoonsgegevens", "Ontvangers", "Doorgifte derde land",
             "Bewaartermijn", "Verwerker(s)", "DPIA", "Interne code"},
            {"Burgerzaken", "Basisregistratie personen", "Bijhouden BRP\nVerstrekken gegevens",
             "Wettelijke verplichting: Wet BRP", "Ingezetenen; niet-ingezetenen", "user.name, NAW-gegevens",
             "Belastingdienst", "nee", "tot 1 jaar na overlijden", "Centric", "ja", "BZ-01"},
            {"Sociaal domein", "Bijstand", "Uitvoeren Participatiewet", "iets onduidelijks", "Aanvragers", "",
             "", "Verenigde Staten", "zolang nodig", "", "Uitgevoerd", ""},
            {"", "", "", "", "", "", "", "", "", "", "", ""},
            {"Financiën", "", "Salarisbetaling", "", "", "", "", "", "", "", "", ""}});
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto reg = Import(Slurp(path), "register.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  EXPECT_EQ(reg->warnings[0].message,
            "sheet 'Register' A3: read as template 'nl-vng' (11 of the header row's columns recognised)");
  const auto& acts = reg->reg.activities;
  ASSERT_EQ(acts.size(), 2u);
  const auto& brp = acts[0];
  EXPECT_EQ(brp.id, "basisregistratie-personen");
  EXPECT_EQ(brp.business_function, "Burgerzaken");
  ASSERT_EQ(brp.purposes.size(), 2u);
  EXPECT_EQ(brp.purposes[1].description, "Verstrekken gegevens");
  EXPECT_EQ(brp.purposes[0].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(brp.purposes[1].legal_obligation, "Wettelijke verplichting: Wet BRP");
  EXPECT_EQ(brp.data_subjects, (std::vector<std::string>{"Ingezetenen", "niet-ingezetenen"}));
  EXPECT_EQ(brp.data_categories, (std::vector<std::string>{"user.name"}));
  EXPECT_TRUE(brp.transfers.empty());  // "nee"
  ASSERT_EQ(brp.retention.size(), 1u);
  EXPECT_EQ(brp.retention[0].period, "P1Y");
  ASSERT_EQ(brp.recipients.size(), 2u);
  EXPECT_EQ(brp.recipients[0].name, "Belastingdienst");
  EXPECT_EQ(brp.recipients[1].kind, RecipientKind::kProcessor);
  EXPECT_EQ(brp.recipients[1].processor, "processor-centric");
  EXPECT_EQ(brp.dpia.status, DpiaStatus::kRequired);
  EXPECT_EQ(brp.notes,
            (std::vector<std::string>{"Categorieën persoonsgegevens: NAW-gegevens", "Interne code: BZ-01"}));
  EXPECT_TRUE(
      HasWarning(reg->warnings, "sheet 'Register' F4: 'Categorieën persoonsgegevens' kept as a note"));
  EXPECT_TRUE(HasWarning(reg->warnings,
                         "sheet 'Register' L4: 'Interne code' kept as a note on activity "
                         "'basisregistratie-personen': template nl-vng does not know this column"));
  const auto& bijstand = acts[1];
  EXPECT_FALSE(bijstand.purposes[0].lawful_basis);
  EXPECT_EQ(bijstand.notes[0], "Rechtmatige grondslag: iets onduidelijks");
  EXPECT_TRUE(HasWarning(reg->warnings, "sheet 'Register' D5: 'Rechtmatige grondslag' kept as a note"));
  ASSERT_EQ(bijstand.transfers.size(), 1u);
  EXPECT_EQ(bijstand.transfers[0].country, "US");
  EXPECT_EQ(bijstand.dpia.status, DpiaStatus::kCompleted);
  // Row 7 has no name: skipped with a warning, not silently.
  EXPECT_TRUE(HasWarning(reg->warnings,
                         "sheet 'Register' B7: the row has no activity name (column 'Naam verwerking'); "
                         "its 2 other filled cell(s) are not imported"));
  // Forcing another template: no header row of it.
  auto cnil = Import(Slurp(path), "register.xlsx", "cnil");
  ASSERT_FALSE(cnil);
  EXPECT_NE(cnil.error()[0].message.find("the columns match no spreadsheet template 'cnil'"),
            std::string::npos)
      << All(cnil.error());
}

// The CNIL's model as forms: a list sheet, then one "fiche" per activity
// with labels in column A and values to their right (continued below them).
TEST(SheetImporter, CnilFichesAreOneActivityPerSheet) {
  TempDir dir;
  std::string path = dir.File("registre.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  Rows(workbook_add_worksheet(wb, "Liste"), {{"Activités"}, {"Activité 1", "Gestion de la paie"}});
  Rows(workbook_add_worksheet(wb, "Fiche 1"), {{"Fiche de registre"},
                                               {"Description du traitement"},
                                               {"Nom / sigle", "Gestion de la paie"},
                                               {"Date de création", "2024-03-01"},
                                               {"Finalité(s) du traitement effectué"},
                                               {"Finalité principale", "Paie des salariés"},
                                               {"Sous-finalité 1", "Déclarations sociales"},
                                               {"Base légale", "Obligation légale"},
                                               {"Catégories de personnes concernées", "Salariés"},
                                               {"", "Anciens salariés"},
                                               {"Destinataires", "URSSAF"},
                                               {"Durée de conservation", "5 ans"}});
  Rows(workbook_add_worksheet(wb, "Fiche 2"), {{"Nom / sigle", "Vidéosurveillance"},
                                               {"Finalité principale", "Sécurité des locaux"},
                                               {"Base légale", "quelque chose d'autre"},
                                               {"Durée de conservation", "30 jours"}});
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto reg = Import(Slurp(path), "registre.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  EXPECT_EQ(reg->warnings[0].message,
            "read as 2 form(s) of template 'cnil', one activity per sheet (8 labels recognised)");
  const auto& acts = reg->reg.activities;
  ASSERT_EQ(acts.size(), 2u);
  const auto& paie = acts[0];
  EXPECT_EQ(paie.name, "Gestion de la paie");
  ASSERT_EQ(paie.purposes.size(), 2u);
  EXPECT_EQ(paie.purposes[0].description, "Paie des salariés");
  EXPECT_EQ(paie.purposes[1].description, "Déclarations sociales");
  EXPECT_EQ(paie.purposes[1].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(paie.data_subjects, (std::vector<std::string>{"Salariés", "Anciens salariés"}));
  ASSERT_EQ(paie.recipients.size(), 1u);
  EXPECT_EQ(paie.recipients[0].name, "URSSAF");
  ASSERT_EQ(paie.retention.size(), 1u);
  EXPECT_EQ(paie.retention[0].period, "P5Y");
  // A label the template does not know is kept as a note; a section title is not a value.
  EXPECT_EQ(paie.notes, (std::vector<std::string>{"Date de création: 2024-03-01"}));
  const auto& video = acts[1];
  EXPECT_EQ(video.name, "Vidéosurveillance");
  EXPECT_EQ(video.retention[0].period, "P30D");
  EXPECT_FALSE(video.purposes[0].lawful_basis);
  // Messages name the cell in its own sheet.
  EXPECT_TRUE(HasWarning(reg->warnings, "sheet 'Fiche 2' B3: 'Base légale' kept as a note"))
      << All(reg->warnings);
}

TEST(SheetImporter, CsvInCnilColumns) {
  std::string csv =
      "\xEF\xBB\xBFNom du traitement;Finalité(s);Base légale;Catégories de personnes concernées;Catégories "
      "de "
      "données;Destinataires;Transferts hors UE;Durées de conservation;Mesures de sécurité\r\n"
      "Gestion de la paie;Paie des salariés;Obligation légale;Salariés;user.financial;URSSAF;Non;5 ans;"
      "\"Contrôle d'accès\nChiffrement\"\r\n";
  EXPECT_TRUE(FindImporter("spreadsheet")->sniff(csv));
  auto reg = Import(csv, "registre.csv");
  ASSERT_TRUE(reg) << All(reg.error());
  EXPECT_EQ(reg->warnings[0].message,
            "A1: read as template 'cnil' (9 of the header row's columns recognised)");
  ASSERT_EQ(reg->reg.activities.size(), 1u);
  const auto& a = reg->reg.activities[0];
  EXPECT_EQ(a.id, "gestion-de-la-paie");
  EXPECT_EQ(a.purposes[0].description, "Paie des salariés");
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(a.recipients[0].name, "URSSAF");
  EXPECT_EQ(a.retention[0].period, "P5Y");
  EXPECT_EQ(a.toms.description, "Contrôle d'accès\nChiffrement");
  EXPECT_TRUE(a.transfers.empty());
  // An unknown set of columns is not sniffed as a register.
  EXPECT_FALSE(FindImporter("spreadsheet")->sniff("a,b,c\n1,2,3\n"));
}

TEST(SheetImporter, ColumnMapAndStartingMap) {
  std::string csv = "Proces,Waarom,Wie,Code\nWerving,Vacatures vervullen,Sollicitanten,HR-7\n";
  auto none = Import(csv, "eigen.csv");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error()[0].message,
            "the columns match no spreadsheet template (the likeliest header row, A1, has 'Proces', "
            "'Waarom', 'Wie', 'Code'; the CSV file's cells were split on ',')");
  EXPECT_NE(none.error()[0].hint.find("--columns-template"), std::string::npos);

  auto start = SpreadsheetColumnMap(csv, "eigen.csv");
  ASSERT_TRUE(start) << All(start.error());
  EXPECT_NE(start->find("# Header row: A1"), std::string::npos) << *start;
  EXPECT_NE(start->find("  \"Proces\": note  # A: no guess; kept as a note\n"), std::string::npos) << *start;
  // The starting map is a valid map (everything a note, no name column yet).
  auto all_notes = Import(csv, "eigen.csv", "spreadsheet", *start);
  ASSERT_FALSE(all_notes);
  EXPECT_EQ(all_notes.error()[0].message, "A1: the header row has no column for the activity's name");

  std::string map = "columns:\n  Proces: name\n  Waarom: purposes\n  Wie: data_subjects\n  Code: ignore\n";
  auto reg = Import(csv, "eigen.csv", "spreadsheet", map);
  ASSERT_TRUE(reg) << All(reg.error());
  ASSERT_EQ(reg->reg.activities.size(), 1u);
  EXPECT_EQ(reg->reg.activities[0].name, "Werving");
  EXPECT_EQ(reg->reg.activities[0].purposes[0].description, "Vacatures vervullen");
  EXPECT_EQ(reg->reg.activities[0].data_subjects, (std::vector<std::string>{"Sollicitanten"}));
  EXPECT_TRUE(reg->reg.activities[0].notes.empty());

  auto bad = Import(csv, "eigen.csv", "spreadsheet", "columns:\n  Proces: naam\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error()[0].message, "'naam' is not a field a column can map to");
  EXPECT_EQ(bad.error()[0].where.file, "map.yaml");
  EXPECT_EQ(bad.error()[0].hint, "did you mean 'name'?");
  auto purpose = Import(csv, "eigen.csv", "spreadsheet", "columns:\n  Proces: name\n  Waarom: purpose\n");
  ASSERT_FALSE(purpose);
  EXPECT_EQ(purpose.error()[0].message, "'purpose' is not a field a column can map to");
  EXPECT_EQ(purpose.error()[0].where.line, 3u);
  EXPECT_EQ(purpose.error()[0].hint, "did you mean 'purposes'?");

  // A template's header gets its field as the guess.
  auto guess = SpreadsheetColumnMap("Naam verwerking,Bewaartermijn,Code\nx,1 jaar,2\n", "r.csv");
  ASSERT_TRUE(guess);
  EXPECT_NE(guess->find("  \"Naam verwerking\": name  # A: as in template nl-vng\n"), std::string::npos)
      << *guess;
  EXPECT_NE(guess->find("  \"Bewaartermijn\": retention  # B: as in template nl-vng\n"), std::string::npos);
}

TEST(SheetImporter, HostileWorkbookIsImportedSafely) {
  TempDir dir;
  std::string path = dir.File("hostile.xlsx");
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  Rows(workbook_add_worksheet(wb, "Lees mij"), {{"Naam verwerking"}, {"geen register hier"}});
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  Rows(ws, {{"Naam verwerking", "Doel(einden)", "Bewaartermijn", "Afdeling"}});
  worksheet_write_formula_str(ws, 1, 0, "=HYPERLINK(\"https://evil.example/\",\"Klik hier\")", nullptr,
                              "Klik hier");
  worksheet_write_formula_str(ws, 1, 1, "=cmd|' /C calc'!A0", nullptr, "=cmd|' /C calc'!A0");
  worksheet_write_string(ws, 1, 2, "LONGCELL", nullptr);
  worksheet_merge_range(ws, 2, 3, 100001, 3, "Samen", nullptr);
  for (lxw_row_t r = 2; r < 100002; ++r) {
    std::string name = "Verwerking " + std::to_string(r);
    worksheet_write_string(ws, r, 0, name.c_str(), nullptr);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ReplaceInPart(path, "xl/sharedStrings.xml", "LONGCELL", std::string(40000, 'x'));
  auto reg = Import(Slurp(path), "hostile.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  const auto& acts = reg->reg.activities;
  ASSERT_EQ(acts.size(), 100001u);
  // The cached values, never evaluated.
  EXPECT_EQ(acts[0].name, "Klik hier");
  EXPECT_EQ(acts[0].purposes[0].description, "=cmd|' /C calc'!A0");
  EXPECT_EQ(acts[0].retention[0].period.size(), 32767u);
  EXPECT_TRUE(HasWarning(reg->warnings, "sheet 'Register' C2: the cell has 40000 characters; cut to 32767"));
  // The merged range's value applies to every row it spans.
  EXPECT_EQ(acts[1].business_function, "Samen");
  EXPECT_EQ(acts[100000].business_function, "Samen");
  EXPECT_EQ(acts[100000].name, "Verwerking 100001");
}

// The register's own checks (ids, here) name the sheet and cell like the
// importer's messages, not a line and column.
TEST(SheetImporter, RegisterErrorsNameTheSheetAndCell) {
  const std::vector<std::vector<std::string>> rows = {{"Nummer", "Naam verwerking", "Doel"},
                                                      {"a1", "Werving", "Vacatures vervullen"},
                                                      {"a1", "Salaris", "Salaris betalen"},
                                                      {"b 2", "Bezwaar", "Bezwaren behandelen"}};
  std::string csv;
  for (const auto& r : rows) csv += r[0] + "," + r[1] + "," + r[2] + "\n";
  auto from_csv = Import(csv, "r.csv");
  ASSERT_FALSE(from_csv);
  ASSERT_EQ(from_csv.error().size(), 2u) << All(from_csv.error());
  EXPECT_EQ(from_csv.error()[0].message, "A3: duplicate activity id 'a1'") << All(from_csv.error());
  EXPECT_EQ(from_csv.error()[1].message, "A4: activity id 'b 2' contains whitespace");
  for (const Error& e : from_csv.error()) {
    EXPECT_EQ(e.where.file, "r.csv");
    EXPECT_EQ(e.where.line, 0u);
  }
  TempDir dir;
  std::string path = dir.File("r.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  Rows(workbook_add_worksheet(wb, "Register"), rows);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto from_xlsx = Import(Slurp(path), "r.xlsx");
  ASSERT_FALSE(from_xlsx);
  ASSERT_EQ(from_xlsx.error().size(), 2u) << All(from_xlsx.error());
  EXPECT_EQ(from_xlsx.error()[0].message, "sheet 'Register' A3: duplicate activity id 'a1'");
  EXPECT_NE(All(from_xlsx.error()).find("r.xlsx: error: sheet 'Register' A4: activity id 'b 2' contains"),
            std::string::npos)
      << All(from_xlsx.error());
}

TEST(SheetImporter, BadFilesAreErrorsWithTheirPlace) {
  auto truncated = Import(std::string("PK\x03\x04", 4) + "xl/workbook.xml garbage", "r.xlsx");
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error()[0].message.find("not a readable XLSX workbook"), std::string::npos);
  EXPECT_EQ(truncated.error()[0].where.file, "r.xlsx");
  auto quote = Import("Naam verwerking,Bewaartermijn,Afdeling\n\"x,1 jaar,HR\n", "r.csv");
  ASSERT_FALSE(quote);
  EXPECT_EQ(quote.error()[0].message, "A2: the quoted field opened here is never closed");
}

}  // namespace
}  // namespace blindspot

namespace blindspot {
namespace {

// A form's name is one cell: a second value beside it is kept as a note and
// said; a form whose name is empty is said in a form's words at that cell.
TEST(SheetImporter, AFormsNameIsOneCell) {
  TempDir dir;
  std::string path = dir.File("fiches.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  Rows(workbook_add_worksheet(wb, "Fiche 1"),
       {{"Fiche de registre"},
        {"Nom / sigle", "Gestion de la paie", "Service RH"},
        {"Finalité principale", "Paie des salariés"},
        {"Base légale", "Obligation légale"},
        {"Catégories de personnes concernées", "Salariés", "Stagiaires"},
        {"Durée de conservation", "5 ans"}});
  Rows(workbook_add_worksheet(wb, "Fiche 2"), {{"Fiche de registre"},
                                               {"Description du traitement"},
                                               {"Nom / sigle", ""},
                                               {"Finalité principale", "Sécurité des locaux"},
                                               {"Base légale", "Intérêt légitime"},
                                               {"Durée de conservation", "30 jours"}});
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto reg = Import(Slurp(path), "fiches.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  ASSERT_EQ(reg->reg.activities.size(), 1u);
  const auto& paie = reg->reg.activities[0];
  EXPECT_EQ(paie.name, "Gestion de la paie");
  EXPECT_EQ(paie.notes, (std::vector<std::string>{"Nom / sigle: Service RH"}));
  // A list takes every cell right of its label.
  EXPECT_EQ(paie.data_subjects, (std::vector<std::string>{"Salariés", "Stagiaires"}));
  std::vector<std::string> warnings;
  for (const Error& e : reg->warnings)
    if (!e.note) warnings.push_back(e.message);
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "sheet 'Fiche 1' C2: a second value of the form's 'Nom / sigle' kept as a note on "
                "activity 'gestion-de-la-paie': the name is one cell, B2",
                "sheet 'Fiche 2' B3: the form's 'Nom / sigle' is empty; the sheet is not imported"}));

  // The only form without a name: an error in the same words, not the
  // table's "no row below the header".
  std::string one = dir.File("une.xlsx");
  wb = workbook_new(one.c_str());
  Rows(workbook_add_worksheet(wb, "Fiche 2"), {{"Nom / sigle"},
                                               {"Finalité principale", "Sécurité des locaux"},
                                               {"Base légale", "Intérêt légitime"},
                                               {"Durée de conservation", "30 jours"}});
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto none = Import(Slurp(one), "une.xlsx");
  ASSERT_FALSE(none);
  ASSERT_EQ(none.error().size(), 1u);
  EXPECT_EQ(none.error()[0].message,
            "sheet 'Fiche 2' B1: the form's 'Nom / sigle' is empty; the sheet is not imported");
  EXPECT_FALSE(none.error()[0].warning);
}

// User run: a workbook with one register sheet per department read only the
// first, and a hidden old register won over the visible current one. The
// visible one is read now, and every other sheet with the register's header
// is said with its rows; a register read from a hidden sheet is said too.
TEST(SheetImporter, OtherRegisterSheetsAndHiddenSheetsAreSaid) {
  const std::vector<std::string> header = {"Afdeling", "Naam verwerking", "Doel(einden)",
                                           "Rechtmatige grondslag", "Bewaartermijn"};
  TempDir dir;
  std::string path = dir.File("two.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* old = workbook_add_worksheet(wb, "Register 2019 (oud)");
  Rows(old, {header, {"HR", "Oude verwerking", "Archief", "Wettelijke verplichting", "7 jaar"}});
  worksheet_hide(old);
  Rows(workbook_add_worksheet(wb, "Register 2025"),
       {header,
        {"HR", "Werving", "Vacatures vervullen", "Overeenkomst", "4 weken"},
        {"HR", "Salaris", "Salaris betalen", "Wettelijke verplichting", "7 jaar"}});
  Rows(workbook_add_worksheet(wb, "Afdeling Marketing"),
       {{"Register van de afdeling Marketing"},
        header,
        {"Marketing", "Nieuwsbrief", "Nieuwsbrief sturen", "Toestemming", "tot afmelding"}});
  worksheet_activate(workbook_get_worksheet_by_name(wb, "Register 2025"));
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto reg = Import(Slurp(path), "two.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  ASSERT_EQ(reg->reg.activities.size(), 2u);
  EXPECT_EQ(reg->reg.activities[0].name, "Werving");
  EXPECT_TRUE(
      HasWarning(reg->warnings,
                 "sheet 'Register 2019 (oud)' A1: this sheet (hidden) also has a header row of template "
                 "'nl-vng' (1 filled row(s) below it); it is not read: only sheet 'Register 2025' is"))
      << All(reg->warnings);
  EXPECT_TRUE(
      HasWarning(reg->warnings,
                 "sheet 'Afdeling Marketing' A2: this sheet also has a header row of template 'nl-vng' "
                 "(1 filled row(s) below it); it is not read: only sheet 'Register 2025' is"))
      << All(reg->warnings);

  // Only a hidden register sheet: it is read, and said.
  std::string hidden = dir.File("hidden.xlsx");
  wb = workbook_new(hidden.c_str());
  Rows(workbook_add_worksheet(wb, "Toelichting"), {{"Zie het register."}});
  lxw_worksheet* only = workbook_add_worksheet(wb, "Register");
  Rows(only, {header, {"HR", "Werving", "Vacatures vervullen", "Overeenkomst", "4 weken"}});
  worksheet_hide(only);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto from_hidden = Import(Slurp(hidden), "hidden.xlsx");
  ASSERT_TRUE(from_hidden) << All(from_hidden.error());
  ASSERT_EQ(from_hidden->reg.activities.size(), 1u);
  EXPECT_TRUE(
      HasWarning(from_hidden->warnings, "sheet 'Register' A1: the register was read from a hidden sheet"))
      << All(from_hidden->warnings);
}

// User run: a CSV with a title line, an empty line and a ';' header whose
// cells hold commas was split on ','. It is read now; and when no header is
// found in a CSV, the error says what the cells were split on.
TEST(SheetImporter, CsvTitleLineAndDelimiterInTheError) {
  const std::string title =
      "Verwerkingsregister gemeente Voorbeeld\n\n"
      "Naam verwerking;Doel;Rechtmatige grondslag;Categorie\xC3\xABn betrokkenen;Bewaartermijn\n"
      "Parkeervergunningen;Vergunning verlenen, handhaven;Publiekrechtelijke taak;inwoners, bezoekers;5 "
      "jaar\n"
      "Belastingen;Heffen;Wettelijke verplichting;inwoners;7 jaar\n";
  auto reg = Import(title, "title.csv");
  ASSERT_TRUE(reg) << All(reg.error());
  EXPECT_EQ(reg->warnings[0].message,
            "A3: read as template 'nl-vng' (5 of the header row's columns recognised)");
  ASSERT_EQ(reg->reg.activities.size(), 2u);
  EXPECT_EQ(reg->reg.activities[0].name, "Parkeervergunningen");
  EXPECT_EQ(reg->reg.activities[0].data_subjects, (std::vector<std::string>{"inwoners", "bezoekers"}));
  EXPECT_EQ(reg->reg.activities[1].retention[0].period, "P7Y");

  auto none = Import("Proces\tWaarom\nWerving\tVacatures\n", "eigen.csv");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error()[0].message,
            "the columns match no spreadsheet template (the likeliest header row, A1, has 'Proces', "
            "'Waarom'; the CSV file's cells were split on tabs)");
  auto mapped = Import("Proces;Waarom\nWerving;Vacatures\n", "eigen.csv", "spreadsheet",
                       "columns:\n  Doel: purposes\n");
  ASSERT_FALSE(mapped);
  EXPECT_EQ(mapped.error()[0].message,
            "no row among the first 20 of any sheet has a header the column map names; the CSV file's cells "
            "were split on ';'");
}

// User run: hidden rows and columns were read without a word. They are still
// read (hidden is not deleted), and said once per sheet: the hidden rows and
// columns that hold register data, not the empty ones.
TEST(SheetImporter, HiddenRowsAndColumnsAreReadAndSaid) {
  TempDir dir;
  std::string path = dir.File("hidden_rows.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  Rows(ws, {{"Naam verwerking", "Doel", "Rechtmatige grondslag", "Bewaartermijn"},
            {"Werving", "Vacatures vervullen", "Overeenkomst", "4 weken"},
            {"Oud project", "Onderzoek", "Toestemming", "1 jaar"},
            {"Salaris", "Salaris betalen", "Wettelijke verplichting", "7 jaar"},
            {"Camera", "Beveiliging", "Gerechtvaardigd belang", "4 weken"},
            {"Bezoekers", "Registratie", "Gerechtvaardigd belang", "1 jaar"}});
  worksheet_write_string(ws, 1, 25, "verborgen opmerking", nullptr);
  lxw_row_col_options hide = {};
  hide.hidden = 1;
  for (lxw_row_t r : {2, 4, 5, 9}) worksheet_set_row_opt(ws, r, LXW_DEF_ROW_HEIGHT, nullptr, &hide);
  worksheet_set_column_opt(ws, 25, 25, 8, nullptr, &hide);     // Z: a note
  worksheet_set_column_opt(ws, 27, 16383, 8, nullptr, &hide);  // AB onwards: empty
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto reg = Import(Slurp(path), "hidden_rows.xlsx");
  ASSERT_TRUE(reg) << All(reg.error());
  ASSERT_EQ(reg->reg.activities.size(), 5u);
  EXPECT_EQ(reg->reg.activities[1].name, "Oud project");
  size_t said = 0;
  for (const Error& w : reg->warnings)
    if (w.message.find("hidden") != std::string::npos) {
      ++said;
      EXPECT_EQ(w.message,
                "sheet 'Register' A3: rows 3, 5-6 and column Z are hidden; they were read like the others");
      EXPECT_TRUE(w.warning);
      EXPECT_FALSE(w.note);
    }
  EXPECT_EQ(said, 1u) << All(reg->warnings);

  // Only a hidden column with data: said at its header cell.
  std::string one = dir.File("hidden_column.xlsx");
  wb = workbook_new(one.c_str());
  ws = workbook_add_worksheet(wb, "Register");
  Rows(ws, {{"Register 2025"},
            {"Naam verwerking", "Doel", "Rechtmatige grondslag", "Bewaartermijn"},
            {"Werving", "Vacatures vervullen", "Overeenkomst", "4 weken"}});
  worksheet_set_column_opt(ws, 1, 1, 8, nullptr, &hide);
  worksheet_set_row_opt(ws, 0, LXW_DEF_ROW_HEIGHT, nullptr, &hide);  // above the header: not register data
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto col = Import(Slurp(one), "hidden_column.xlsx");
  ASSERT_TRUE(col) << All(col.error());
  EXPECT_EQ(col->reg.activities[0].purposes[0].description, "Vacatures vervullen");
  EXPECT_TRUE(
      HasWarning(col->warnings, "sheet 'Register' B2: column B is hidden; it was read like the others"))
      << All(col->warnings);

  // Many runs: the first 10, then how many more.
  std::string many = dir.File("many.xlsx");
  wb = workbook_new(many.c_str());
  ws = workbook_add_worksheet(wb, "Register");
  std::vector<std::vector<std::string>> table = {{"Naam verwerking", "Doel", "Rechtmatige grondslag"}};
  for (int i = 1; i <= 26; ++i) table.push_back({"Verwerking " + std::to_string(i), "Doel", "Toestemming"});
  Rows(ws, table);
  for (lxw_row_t r = 1; r <= 25; r += 2) worksheet_set_row_opt(ws, r, LXW_DEF_ROW_HEIGHT, nullptr, &hide);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto lots = Import(Slurp(many), "many.xlsx");
  ASSERT_TRUE(lots) << All(lots.error());
  EXPECT_EQ(lots->reg.activities.size(), 26u);
  EXPECT_TRUE(
      HasWarning(lots->warnings,
                 "sheet 'Register' A2: rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 (3 more) are hidden; they "
                 "were read like the others"))
      << All(lots->warnings);
}

// User run: a column map header that the sheet does not have was silent.
// Each is said at its place in the map, with the closest header of the row.
TEST(SheetImporter, MapHeadersThatMatchNoColumnAreSaid) {
  const std::string csv =
      "Naam verwerking;Doel;Rechtmatige grondslag\nWerving;Vacatures vervullen;Overeenkomst\n";
  auto reg =
      Import(csv, "r.csv", "spreadsheet",
             "columns:\n  \"Naam verwerking\": name\n  \"Doelen\": purposes\n  Grondslag: lawful_basis\n");
  ASSERT_TRUE(reg) << All(reg.error());
  std::vector<const Error*> map_warnings;
  for (const Error& w : reg->warnings)
    if (w.where.file == "map.yaml") map_warnings.push_back(&w);
  ASSERT_EQ(map_warnings.size(), 2u) << All(reg->warnings);
  EXPECT_EQ(map_warnings[0]->message, "'Doelen' matches no header of the CSV file (closest: 'Doel')");
  EXPECT_EQ(map_warnings[0]->where.line, 3u);
  EXPECT_EQ(map_warnings[0]->where.column, 3u);
  EXPECT_EQ(map_warnings[0]->source_line, "  \"Doelen\": purposes");
  EXPECT_EQ(map_warnings[0]->hint,
            "the header row read is row 1; a header matches ignoring case, accents, punctuation and line "
            "breaks");
  EXPECT_EQ(map_warnings[1]->message,
            "'Grondslag' matches no header of the CSV file (closest: 'Rechtmatige grondslag')");
  EXPECT_EQ(map_warnings[1]->where.line, 4u);
  // The name's header missing: the error, and why, with the sheet's name.
  TempDir dir;
  std::string path = dir.File("map.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  Rows(workbook_add_worksheet(wb, "Afdeling HR"),
       {{"Naam verwerking", "Doel"}, {"Werving", "Vacatures vervullen"}});
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto no_name = Import(Slurp(path), "map.xlsx", "spreadsheet", "columns:\n  Naam: name\n  Doel: purposes\n");
  ASSERT_FALSE(no_name);
  EXPECT_EQ(no_name.error()[0].message,
            "sheet 'Afdeling HR' A1: the header row has no column for the activity's name");
  ASSERT_EQ(no_name.error().size(), 2u) << All(no_name.error());
  EXPECT_TRUE(no_name.error()[1].warning);
  EXPECT_EQ(no_name.error()[1].message,
            "'Naam' matches no header of sheet 'Afdeling HR' (closest: 'Naam verwerking')");
  EXPECT_EQ(no_name.error()[1].where.line, 2u);
}

}  // namespace
}  // namespace blindspot

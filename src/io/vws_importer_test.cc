// VWS Verwerkingsregister importer: the real controller record (read in place
// from ../shared/realdata/register), a round trip through the native format,
// the phrase tables, and hostile input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blindspot/app.h"
#include "blindspot/env.h"
#include "blindspot/io.h"
#include "blindspot_testing/realdata.h"
#include "io/exporters.h"
#include "io/importers.h"

namespace blindspot {
namespace {
// The activity's notes as one text, each note after a newline.
std::string NotesText(const blindspot::ProcessingActivity& a) {
  std::string t;
  for (const auto& n : a.notes) t += "\n" + n;
  return t;
}

const std::string kFile = std::string(BLINDSPOT_REALDATA_DIR) + "/register/vws_avg_controller_record.json";

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

std::expected<LoadedRegister, Diagnostics> Import(std::string_view text,
                                                  const std::string& file = "vws.json") {
  const Importer* imp = FindImporter("vws");
  EXPECT_NE(imp, nullptr);
  return imp->import(text, file, RegisterReadOptions{});
}

bool StartsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

TEST(VwsImporter, Registered) {
  const Importer* imp = FindImporter("vws");
  ASSERT_NE(imp, nullptr);
  EXPECT_EQ(imp->name, "vws");
  EXPECT_NE(imp->description.find("VWS"), std::string::npos);
  EXPECT_TRUE(imp->sniff("\xEF\xBB\xBF[ {\"Naam\": \"x\", \"Doelen\": []} ]"));
  EXPECT_FALSE(imp->sniff("{\"Doelen\": []}"));
  EXPECT_FALSE(imp->sniff("system:\n  - fides_key: a\n"));
  EXPECT_FALSE(FindImporter("fides")->sniff("[{\"Doelen\": []}]"));
}

// Expectations written by hand from the file.
TEST(VwsImporter, RealControllerRecord) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = Env::Default().ReadFile(kFile, InputLimits{}.max_text_bytes);
  ASSERT_TRUE(text.has_value()) << text.error().Format();
  ASSERT_TRUE(StartsWith(*text, "\xEF\xBB\xBF"));  // the file has a byte-order mark
  EXPECT_TRUE(FindImporter("vws")->sniff(*text));
  auto l = Import(*text, "vws_avg_controller_record.json");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Register& r = l->reg;
  EXPECT_EQ(r.source, "vws_avg_controller_record.json");
  EXPECT_EQ(r.organisation.name, "Bakkerij Leemans");
  EXPECT_EQ(r.organisation.country, "NL");
  EXPECT_EQ(r.organisation.contact.email, "ovandoorn@example.org");
  EXPECT_EQ(r.organisation.contact.phone, "(071) 6450006");
  EXPECT_EQ(r.organisation.contact.address,
            "Koningpad 3-2, 6411ND Zevenhoven; Postbus 79068, 1068NE Doetinchem");
  ASSERT_EQ(r.activities.size(), 1u);
  const ProcessingActivity& a = r.activities[0];
  EXPECT_EQ(a.id, "m5071");  // the Nummer as an id slug
  EXPECT_EQ(a.name, "Jet Tours");
  EXPECT_EQ(a.business_function, "Kern - Directie Informatiebeleid / CIO");
  EXPECT_EQ(a.owner, "Luca de Graaf <lind.mike@example.net>");

  ASSERT_EQ(a.purposes.size(), 1u);
  EXPECT_EQ(a.purposes[0].id, "doel-11191");
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kConsent);  // "Toestemming betrokkene"
  EXPECT_TRUE(
      StartsWith(a.purposes[0].description, "Het Platform Informatieberaad Zorg is een online omgeving"));
  EXPECT_TRUE(a.purposes[0].description.ends_with("brieven aan de Tweede Kamer."));

  EXPECT_EQ(a.data_subjects, std::vector<std::string>{"Gebruikers van het Platform Informatieberaad Zorg."});
  // RasOfEtniciteit and Gezondheid are true, the other flags false.
  EXPECT_EQ(a.data_categories, (std::vector<std::string>{"user.demographic.race_ethnicity", "user.health"}));
  ASSERT_EQ(a.special_categories.size(), 2u);
  EXPECT_EQ(a.special_categories[0].category, "user.demographic.race_ethnicity");
  EXPECT_EQ(a.special_categories[1].category, "user.health");
  EXPECT_FALSE(a.special_categories[1].condition.has_value());
  EXPECT_FALSE(a.criminal_data.has_value());

  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].id, "bewaartermijn-15085");
  EXPECT_EQ(a.retention[0].data_category, "*");
  EXPECT_EQ(a.retention[0].period, "P1M");  // "tot uiterlijk 1 maand bewaard"
  EXPECT_TRUE(
      StartsWith(a.retention[0].justification, "De persoonsgegevens worden tot uiterlijk 1 maand bewaard"));
  EXPECT_EQ(a.data_sources, std::vector<std::string>{"Betrokkene"});

  ASSERT_EQ(r.systems.size(), 1u);
  EXPECT_EQ(r.systems[0].id, "vws-system-14086");
  EXPECT_EQ(r.systems[0].name, "Database en servers van Mett.");
  EXPECT_EQ(a.systems, std::vector<std::string>{"vws-system-14086"});

  ASSERT_EQ(r.processors.size(), 1u);
  const Processor& p = r.processors[0];
  EXPECT_EQ(p.id, "vws-processor-1838");
  EXPECT_EQ(p.name, "Stichting ICTU");
  EXPECT_EQ(p.country, "NL");
  EXPECT_EQ(p.role, VendorRole::kProcessor);
  EXPECT_EQ(p.legal_entity,
            "Stichting ICTU, Wilhemina van Pruisenweg  104, 2595AN Den Haag; Postbus 84011, 2508AA Den Haag");
  EXPECT_EQ(p.agreement.status, AgreementStatus::kSigned);
  EXPECT_EQ(p.agreement.reference,
            "181002 Verwerkersovereenkomst Platform Informatieberaad Zorg (VWS-ICTU) 2zijdig.pdf");

  // The processor, then the five Ontvangers.
  ASSERT_EQ(a.recipients.size(), 6u);
  EXPECT_EQ(a.recipients[0].kind, RecipientKind::kProcessor);
  EXPECT_EQ(a.recipients[0].processor, "vws-processor-1838");
  EXPECT_EQ(a.recipients[1].id, "ontvanger-13123");
  EXPECT_EQ(a.recipients[1].kind, RecipientKind::kExternal);
  EXPECT_EQ(a.recipients[1].name, "Gebruikers van het Platform Informatieberaad Zorg.");
  EXPECT_EQ(a.recipients[5].id, "ontvanger-13129");
  EXPECT_TRUE(StartsWith(a.recipients[5].name, "AZ-DPC: De Dienst Publiek en Communicatie"));

  EXPECT_TRUE(a.transfers.empty());  // BuitenEu: false
  EXPECT_FALSE(a.large_scale);
  EXPECT_EQ(a.dpia.status, DpiaStatus::kCompleted);
  EXPECT_EQ(a.dpia.reference, "181022 DPIA Platform Informatieberaad Zorg (1.0 FINAL - incl bijlagen).pdf");

  EXPECT_EQ(a.toms.measures,
            (std::vector<std::string>{"access_control", "encryption", "logging", "physical_access_control",
                                      "pseudonymisation", "security_policy"}));
  EXPECT_NE(a.toms.description.find("Encryptie: De gegevensopslag is versleuteld."), std::string::npos);
  EXPECT_NE(a.toms.description.find("ISO 27001"), std::string::npos);
  ASSERT_EQ(a.access.size(), 3u);
  EXPECT_EQ(a.access[0], "Personeel dat onder leiding van de verantwoordelijke staat");

  // Kept as notes, each reported with its JSON pointer.
  EXPECT_TRUE(a.notes.size() >= 2 && a.notes[0] == "Status: Vastgesteld" && a.notes[1] == "Versie: 1");
  EXPECT_NE(NotesText(a).find("\nAanmaakDatum: 2018-09-20T11:09:48.213"), std::string::npos);
  EXPECT_NE(
      NotesText(a).find("\nPersoonsgegevens (Gebruikers van het Platform Informatieberaad Zorg.): Gewone "
                        "persoonsgegevens van gebruikers."),
      std::string::npos);
  EXPECT_NE(NotesText(a).find("\nVerplichte verstrekking: ja"), std::string::npos);
  EXPECT_NE(NotesText(a).find("\nBijlage: AVG authenticatieformulier.pdf [Versie: Definitief]"),
            std::string::npos);
  EXPECT_NE(NotesText(a).find("\nId: 5071\nNummer: M5071\n"), std::string::npos) << NotesText(a);
  // Status, Versie, AanmaakDatum, LaatsteWijzigDatum, Id, Nummer; Gegevens: Omschrijving,
  // Verzameldoel, IsBetrokkeneVerplicht, BetrokkeneConsequenties; three Bijlagen.
  EXPECT_EQ(l->warnings.size(), 13u) << AllText(l->warnings);
  ASSERT_FALSE(l->warnings.empty());
  EXPECT_TRUE(l->warnings[0].warning);
  EXPECT_EQ(l->warnings[0].where.pointer, "/0/Status");
  EXPECT_EQ(l->warnings[0].where.line, 3u);
  EXPECT_NE(l->warnings[0].Format().find("Status kept as a note on activity 'm5071'"), std::string::npos);
  EXPECT_EQ(l->map.Find("activities[m5071]").line, 2u);
  EXPECT_EQ(l->map.Find("processors[vws-processor-1838]").line, 48u);
}

TEST(VwsImporter, RoundTripThroughNativeYaml) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = Env::Default().ReadFile(kFile, InputLimits{}.max_text_bytes);
  ASSERT_TRUE(text.has_value());
  auto l = Import(*text);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  std::string yaml = WriteRegisterYaml(l->reg);
  auto back = ParseRegisterText(yaml, "vws.json");
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << yaml;
  EXPECT_EQ(back->reg, l->reg);
  auto json = ParseRegisterText(WriteRegisterJson(l->reg), "vws.json");
  ASSERT_TRUE(json.has_value()) << AllText(json.error());
  EXPECT_EQ(json->reg, l->reg);
}

// The VWS export of the imported record gives the ministry back its record's
// identity: Nummer as written, Versie and Id as numbers in their own fields.
TEST(VwsImporter, RealRecordKeepsNummerVersieAndIdThroughTheVwsExport) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = Env::Default().ReadFile(kFile, InputLimits{}.max_text_bytes);
  ASSERT_TRUE(text.has_value());
  auto l = Import(*text);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Exporter* vws = FindExporter("vws");
  ASSERT_NE(vws, nullptr);
  auto out = vws->write(l->reg, ExportOptions{});
  ASSERT_TRUE(out.has_value()) << out.error().Format();
  nlohmann::json orig = nlohmann::json::parse(text->substr(3));
  nlohmann::json back = nlohmann::json::parse(out->substr(3));
  ASSERT_EQ(back.size(), 1u);
  for (const char* k : {"Nummer", "Versie", "Id", "Status", "AanmaakDatum", "LaatsteWijzigDatum"}) {
    SCOPED_TRACE(k);
    ASSERT_TRUE(back[0].contains(k)) << *out;
    EXPECT_EQ(back[0][k], orig[0][k]);  // the value and its JSON type
  }
  EXPECT_EQ(back[0]["Nummer"], "M5071");
  EXPECT_EQ(back[0]["Versie"], 1);
  EXPECT_EQ(back[0]["Id"], 5071);
  EXPECT_EQ(out->find("Id: 5071"), std::string::npos) << "not a remark";
  // Read back: the same activity, and the same record again.
  auto again = Import(*out);
  ASSERT_TRUE(again.has_value()) << AllText(again.error());
  ASSERT_EQ(again->reg.activities.size(), 1u);
  EXPECT_EQ(again->reg.activities[0].id, "m5071");
  EXPECT_EQ(again->reg.activities[0].notes, l->reg.activities[0].notes);
  nlohmann::json twice =
      nlohmann::json::parse(vws->write(again->reg, ExportOptions{}).value_or("   []").substr(3));
  ASSERT_EQ(twice.size(), 1u);
  for (const char* k : {"Nummer", "Versie", "Id"}) EXPECT_EQ(twice[0][k], orig[0][k]) << k;
}

// A VWS text as the register holds it: the ministry's "\r\n" line breaks are
// "\n", and spaces that end the whole value are trimmed (not those that end
// one of its lines).
std::string Lf(std::string v) {
  for (size_t i; (i = v.find("\r\n")) != std::string::npos;) v.erase(i, 1);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

// Beveiliging's values with line breaks (Pseudonimisering, the 'Overige
// beveiligingsmaatregelen' measure) come back whole, each in its own field,
// with the spaces that end their lines; a second trip changes nothing.
TEST(VwsImporter, RealRecordKeepsMultiLineSecurityValuesTogether) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = Env::Default().ReadFile(kFile, InputLimits{}.max_text_bytes);
  ASSERT_TRUE(text.has_value());
  auto l = Import(*text);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const std::string& d = l->reg.activities[0].toms.description;
  // In the register: one field per line, its continuation lines indented.
  EXPECT_NE(d.find("\nPseudonimisering: AZ-DPC\n  De Dienst Publiek en Communicatie van het ministerie van "
                   "Algemene Zaken (AZ\n  DPC) is aanbieder van Piwik"),
            std::string::npos)
      << d;
  const Exporter* vws = FindExporter("vws");
  ASSERT_NE(vws, nullptr);
  auto out = vws->write(l->reg, ExportOptions{});
  ASSERT_TRUE(out.has_value()) << out.error().Format();
  nlohmann::json orig = nlohmann::json::parse(text->substr(3))[0]["Beveiliging"];
  nlohmann::json back = nlohmann::json::parse(out->substr(3))[0]["Beveiliging"];
  const std::string pseudo = Lf(orig["Pseudonimisering"]);
  ASSERT_TRUE(pseudo.starts_with("AZ-DPC\nDe Dienst Publiek") &&
              pseudo.ends_with("gepseudonimiseerd\nverwerkt."))
      << pseudo;
  EXPECT_EQ(back["Pseudonimisering"], pseudo);
  EXPECT_EQ(back["Encryptie"], orig["Encryptie"]);
  ASSERT_EQ(back["Maatregelen"].size(), orig["Maatregelen"].size()) << back["Maatregelen"].dump(1);
  for (size_t i = 0; i < orig["Maatregelen"].size(); ++i)
    EXPECT_EQ(back["Maatregelen"][i], Lf(orig["Maatregelen"][i])) << i;
  // The space that ends a line of the 'Overige' measure is kept.
  const std::string other = back["Maatregelen"][5];
  EXPECT_NE(other.find("ISAE\n3402, NEN 1010 en NEN 3140. \nBackups vallen"), std::string::npos) << other;
  EXPECT_EQ(back["Toegang"].size(), orig["Toegang"].size());
  // Read back and written again: the same Beveiliging.
  auto again = Import(*out);
  ASSERT_TRUE(again.has_value()) << AllText(again.error());
  EXPECT_EQ(again->reg.activities[0].toms, l->reg.activities[0].toms);
  auto twice = vws->write(again->reg, ExportOptions{});
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(nlohmann::json::parse(twice->substr(3))[0]["Beveiliging"], back);
}

// A register whose id no longer is the number's slug writes its id; the kept
// number stays a remark.
TEST(VwsImporter, ARenamedActivityWritesItsIdAsNummer) {
  auto l = Import(R"([{"Id": 7, "Nummer": "M7", "Naam": "x", "Versie": "2b"}])");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  l->reg.activities[0].id = "intake";
  auto out = FindExporter("vws")->write(l->reg, ExportOptions{});
  ASSERT_TRUE(out.has_value());
  nlohmann::json back = nlohmann::json::parse(out->substr(3));
  EXPECT_EQ(back[0]["Nummer"], "intake");
  EXPECT_EQ(back[0]["Id"], 7);
  EXPECT_EQ(back[0]["Versie"], "2b");  // not a whole number: text
  EXPECT_NE(out->find("\"Opmerking\": \"Nummer: M7\""), std::string::npos) << *out;
}

TEST(VwsImporter, PhraseTables) {
  EXPECT_EQ(LawfulBasisFromPhrase("Toestemming betrokkene"), LawfulBasis::kConsent);
  EXPECT_EQ(LawfulBasisFromPhrase("Wettelijke verplichting"), LawfulBasis::kLegalObligation);
  EXPECT_EQ(LawfulBasisFromPhrase("Vervulling van een taak van algemeen belang of openbaar gezag"),
            LawfulBasis::kPublicTask);
  EXPECT_EQ(LawfulBasisFromPhrase("Berechtigte Interessen des Verantwortlichen"),
            LawfulBasis::kLegitimateInterests);
  EXPECT_EQ(LawfulBasisFromPhrase("exécution d'un contrat"), LawfulBasis::kContract);
  EXPECT_EQ(LawfulBasisFromPhrase("Legitimate interests"), LawfulBasis::kLegitimateInterests);
  EXPECT_EQ(LawfulBasisFromPhrase("Toestemming of gerechtvaardigd belang"), std::nullopt);  // two bases
  EXPECT_EQ(LawfulBasisFromPhrase("Zie bijlage"), std::nullopt);
  EXPECT_EQ(CountryCodeFromName("NEDERLAND"), "NL");
  EXPECT_EQ(CountryCodeFromName("Verenigde Staten"), "US");
  EXPECT_EQ(CountryCodeFromName("de"), "DE");
  EXPECT_EQ(CountryCodeFromName("Atlantis"), "");
  EXPECT_EQ(RetentionDuration("7 jaar na einde contract"), "P7Y");
  EXPECT_EQ(RetentionDuration("kept for 30 days"), "P30D");
  EXPECT_EQ(RetentionDuration("2 Jahre"), "P2Y");
  EXPECT_EQ(RetentionDuration("1 maand, daarna 2 jaar in het archief"), "");  // two periods
  EXPECT_EQ(RetentionDuration("zo kort mogelijk"), "");
}

TEST(VwsImporter, UnmappedTextIsKeptAndReported) {
  auto l = Import(R"([{"Nummer": "M1", "Naam": "Test",
  "Doelen": [{"Id": 1, "Doel": "Iets", "Rechtsgrond": "Zie de bijlage"}],
  "Betrokkenen": [{"Omschrijving": "Burgers", "Gegevens": [{"Bewaartermijn": "zo kort mogelijk"}]}],
  "Doorgifte": {"BuitenEu": true, "BuitenEuOmschrijving": "Cloud in Atlantis"},
  "Onbekend": "waarde"}])");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const auto& a = l->reg.activities.at(0);
  EXPECT_FALSE(a.purposes.at(0).lawful_basis.has_value());
  EXPECT_NE(NotesText(a).find("\nRechtsgrond: Zie de bijlage"), std::string::npos);
  EXPECT_NE(NotesText(a).find("\nOnbekend: waarde"), std::string::npos);
  EXPECT_EQ(a.retention.at(0).period, "zo kort mogelijk");
  ASSERT_EQ(a.transfers.size(), 1u);
  EXPECT_EQ(a.transfers[0].recipient, "Cloud in Atlantis");
  EXPECT_EQ(a.transfers[0].country, "");
  std::string all = AllText(l->warnings);
  EXPECT_NE(all.find("at /0/Doelen/0/Rechtsgrond: Rechtsgrond kept as a note"), std::string::npos) << all;
  EXPECT_NE(all.find("at /0/Onbekend: Onbekend kept as a note"), std::string::npos) << all;
  EXPECT_NE(all.find("at /0/Betrokkenen/0/Gegevens/0/Bewaartermijn: retention period kept as free text"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("at /0/Doorgifte/BuitenEuOmschrijving: transfer outside the EU"), std::string::npos)
      << all;
}

TEST(VwsImporter, HostileInput) {
  auto first = [](const std::expected<LoadedRegister, Diagnostics>& r) {
    return r.has_value() || r.error().empty() ? std::string("(accepted)") : r.error().front().Format();
  };
  // Not JSON.
  auto bad = Import("[{\"Naam\": ");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(first(bad).find("vws.json:"), std::string::npos) << first(bad);
  // A byte-order mark and nothing else; an empty array; an object instead of an array.
  auto bom = Import("\xEF\xBB\xBF");
  ASSERT_FALSE(bom.has_value());
  auto empty = Import("\xEF\xBB\xBF[]");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(first(empty).find("has no records"), std::string::npos) << first(empty);
  auto obj = Import("{\"Naam\": \"x\"}");
  ASSERT_FALSE(obj.has_value());
  EXPECT_NE(first(obj).find("must be a JSON array, found a map"), std::string::npos) << first(obj);
  // Wrong types, with the pointer and the line.
  auto types = Import(
      "[{\"Naam\": \"x\",\n \"Doelen\": \"geen lijst\",\n \"Naam2\": 1, \"Betrokkenen\": [{\"Gezondheid\": "
      "\"ja\"}],\n \"Dienst\": {\"a\": 1}}]");
  ASSERT_FALSE(types.has_value());
  std::string all = AllText(types.error());
  EXPECT_NE(all.find("vws.json:2:12: error: at /0/Doelen: 'Doelen' must be a list, found a text value"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("at /0/Betrokkenen/0/Gezondheid: 'Gezondheid' must be true or false"), std::string::npos)
      << all;
  EXPECT_NE(all.find("at /0/Dienst: 'Dienst' must be a text value, found a map"), std::string::npos) << all;
  // A huge value.
  std::string huge = "[{\"Naam\": \"" + std::string(70000, 'x') + "\"}]";
  auto h = Import(huge);
  ASSERT_FALSE(h.has_value());
  EXPECT_NE(first(h).find("'Naam' is 70000 bytes long"), std::string::npos) << first(h);
  // A record that is not an object.
  auto n = Import("[1]");
  ASSERT_FALSE(n.has_value());
  EXPECT_NE(first(n).find("at /0: record 0 must be an object"), std::string::npos) << first(n);
}

}  // namespace
}  // namespace blindspot

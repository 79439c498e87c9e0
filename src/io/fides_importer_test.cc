// Fides importer on the two real Fides files and on synthetic ones that use
// the newer fideslang fields.
#include <gtest/gtest.h>

#include "blindspot/app.h"
#include "blindspot/env.h"
#include "blindspot/io.h"
#include "blindspot_testing/realdata.h"

namespace blindspot {
namespace {

const std::string kDir = std::string(BLINDSPOT_REALDATA_DIR) + "/register/";

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

std::expected<LoadedRegister, Diagnostics> Import(std::string_view text,
                                                  const std::string& file = "fides.yml") {
  const Importer* imp = FindImporter("fides");
  EXPECT_NE(imp, nullptr);
  return imp->import(text, file, RegisterReadOptions{});
}

Result<std::string> ReadRealFile(const std::string& path) {
  return Env::Default().ReadFile(path, InputLimits{}.max_text_bytes);
}

TEST(FidesImporter, Registered) {
  // fides, vws, privacyregister, dpv, spreadsheet and one per spreadsheet template (5).
  ASSERT_EQ(AllImporters().size(), 10u);
  EXPECT_EQ(AllImporters()[0].name, "fides");
  EXPECT_EQ(AllImporters()[2].name, "privacyregister");
  EXPECT_EQ(AllImporters()[3].name, "dpv");
  EXPECT_EQ(AllImporters()[4].name, "spreadsheet");
  EXPECT_EQ(FindImporter("nl-vng"), &AllImporters()[9]);
  EXPECT_EQ(FindImporter("fides"), &AllImporters()[0]);
  EXPECT_EQ(FindImporter("onetrust"), nullptr);
}

TEST(FidesImporter, RealDemoSystem) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = ReadRealFile(kDir + "fides_demo_system.yml");
  ASSERT_TRUE(text.has_value()) << text.error().Format();
  EXPECT_TRUE(FindImporter("fides")->sniff(*text));
  auto l = Import(*text, "fides_demo_system.yml");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Register* r = &l->reg;
  EXPECT_EQ(r->source, "fides_demo_system.yml");
  EXPECT_EQ(r->version, "1");
  ASSERT_EQ(r->systems.size(), 2u);
  ASSERT_EQ(r->activities.size(), 2u);
  EXPECT_EQ(r->systems[0].id, "demo_analytics_system");
  EXPECT_EQ(r->systems[0].name, "Demo Analytics System");
  EXPECT_EQ(r->systems[0].description, "A system used for analyzing customer behaviour.");
  EXPECT_EQ(l->map.Find("systems[demo_analytics_system]").line, 2u);
  EXPECT_EQ(l->map.file, "fides_demo_system.yml");
  EXPECT_EQ(r->systems[1].id, "demo_marketing_system");
  const auto& a = r->activities[0];
  EXPECT_EQ(a.id, "demo_analytics_system-1");
  EXPECT_EQ(a.name, "Analyze customer behaviour for improvements.");
  EXPECT_EQ(a.business_function, "Engineering");
  EXPECT_EQ(a.data_categories, (std::vector<std::string>{"user.contact", "user.device.cookie_id"}));
  EXPECT_EQ(a.data_subjects, (std::vector<std::string>{"customer"}));
  ASSERT_EQ(a.purposes.size(), 1u);
  EXPECT_EQ(a.purposes[0].id, "purpose-1");
  EXPECT_EQ(a.purposes[0].data_uses, (std::vector<std::string>{"functional.service.improve"}));
  EXPECT_EQ(a.purposes[0].description, "Improve Service");
  EXPECT_FALSE(a.purposes[0].lawful_basis.has_value());  // the file states none: the audit must flag it
  EXPECT_EQ(a.systems, (std::vector<std::string>{"demo_analytics_system"}));
  EXPECT_EQ(a.data_sources, (std::vector<std::string>{"system:demo_marketing_system"}));
  // The purpose's path points at its data_use line.
  Loc use = l->map.Find("activities[demo_analytics_system-1].purposes[purpose-1]");
  EXPECT_GT(use.line, l->map.Find("activities[demo_analytics_system-1]").line);
  const auto& m = r->activities[1];
  EXPECT_EQ(m.id, "demo_marketing_system-1");
  EXPECT_EQ(m.business_function, "Marketing");
  // The commented-out "#- user.contact" line stays out.
  EXPECT_EQ(m.data_categories, (std::vector<std::string>{"user.device.cookie_id"}));
  EXPECT_EQ(m.purposes[0].data_uses, (std::vector<std::string>{"marketing.advertising"}));
  EXPECT_TRUE(r->organisation.name.empty());
  EXPECT_TRUE(l->warnings.empty());
}

TEST(FidesImporter, RealSampleSystems) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto text = ReadRealFile(kDir + "fides_sample_systems.yml");
  ASSERT_TRUE(text.has_value());
  auto l = Import(*text, "fides_sample_systems.yml");
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Register* r = &l->reg;
  ASSERT_EQ(r->systems.size(), 6u);
  ASSERT_EQ(r->activities.size(), 6u);
  std::vector<std::string> ids;
  int engineering = 0, marketing = 0;
  for (const auto& a : r->activities) {
    ids.push_back(a.id);
    engineering += a.business_function == "Engineering";
    marketing += a.business_function == "Marketing";
  }
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "cookie_house-1", "cookie_house_loyalty_database-1",
                     "cookie_house_postgresql_database-1", "cookie_house_customer_database-1",
                     "cookie_house_marketing_system-1", "cookie_house_custom_request_fields_database-1"}));
  EXPECT_EQ(engineering, 5);
  EXPECT_EQ(marketing, 1);
  // Declarations without a name are named after system and data use.
  EXPECT_EQ(r->activities[0].name, "Cookie House: Improve Service");
  EXPECT_EQ(r->activities[1].data_categories, (std::vector<std::string>{"user"}));
  EXPECT_EQ(r->activities[1].purposes[0].data_uses, (std::vector<std::string>{"essential.service"}));
  EXPECT_EQ(r->activities[2].data_categories, (std::vector<std::string>{"user.contact", "user.financial"}));
  EXPECT_EQ(r->activities[3].purposes[0].data_uses,
            (std::vector<std::string>{"marketing.advertising.first_party.targeted"}));
  EXPECT_EQ(r->activities[5].data_categories, (std::vector<std::string>{"system"}));
  EXPECT_EQ(r->systems[5].name, "Cookie House Custom Request Fields Database");
  for (const auto& a : r->activities) EXPECT_FALSE(a.purposes[0].lawful_basis.has_value()) << a.id;
}

TEST(FidesImporter, OutputIsAValidNativeRegister) {
  BLINDSPOT_REQUIRE_REALDATA();
  for (const char* f : {"fides_demo_system.yml", "fides_sample_systems.yml"}) {
    SCOPED_TRACE(f);
    auto in = app::LoadRegister(app::Options{}, kDir + f);  // sniffed as Fides
    ASSERT_TRUE(in.has_value()) << AllText(in.error());
    const Register& a = *in->reg;
    EXPECT_EQ(a.source, kDir + f);
    std::string yaml = WriteRegisterYaml(a);
    auto back = ParseRegisterText(yaml, a.source);
    ASSERT_TRUE(back.has_value()) << AllText(back.error()) << yaml;
    EXPECT_EQ(a, back->reg);
    auto json = ParseRegisterText(WriteRegisterJson(a), a.source);
    ASSERT_TRUE(json.has_value()) << AllText(json.error());
    EXPECT_EQ(a, json->reg);
  }
}

TEST(FidesImporter, NewerFieldsAreMapped) {
  const char* text = R"(organization:
  - fides_key: default_organization
    name: Cookie House B.V.
    controller: {name: Jane, email: jane@example.com, phone: "+31 6", address: Main st 1}
    data_protection_officer: {name: Dee Pee, email: dpo@example.com}
system:
  - fides_key: crm
    name: CRM
    system_type: Application
    administrating_department: Not defined
    does_international_transfers: true
    legal_basis_for_transfers: [SCCs, Other]
    requires_data_protection_assessments: true
    dpa_progress: Complete
    dpa_location: https://example.com/dpia
    data_security_practices: Encrypted at rest
    ingress:
      - fides_key: user
        type: user
    privacy_declarations:
      - name: Newsletter
        data_categories: [user.contact.email, user.health.condition]
        data_use: marketing.communications.email
        data_subjects: [customer]
        legal_basis_for_processing: Legitimate interests
        impact_assessment_location: https://example.com/lia
        retention_period: 2 years
        processes_special_category_data: true
        special_category_legal_basis: Explicit consent
        data_shared_with_third_parties: true
        third_parties: Mailing house
)";
  auto l = Import(text);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Register* r = &l->reg;
  EXPECT_EQ(r->organisation.name, "Cookie House B.V.");
  EXPECT_EQ(r->organisation.contact.email, "jane@example.com");
  EXPECT_EQ(r->organisation.dpo.name, "Dee Pee");
  EXPECT_EQ(l->map.Find("organisation").line, 2u);
  ASSERT_EQ(r->activities.size(), 1u);
  const auto& a = r->activities[0];
  EXPECT_EQ(a.id, "crm-1");
  EXPECT_EQ(a.name, "Newsletter");
  EXPECT_EQ(a.business_function, "");  // fideslang's default "Not defined"
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kLegitimateInterests);
  EXPECT_EQ(a.purposes[0].lia_reference, "https://example.com/lia");
  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].id, "retention-1");
  EXPECT_EQ(a.retention[0].data_category, "*");
  EXPECT_EQ(a.retention[0].period, "2 years");
  EXPECT_EQ(l->map.Find("activities[crm-1].retention").line, 27u);
  ASSERT_EQ(a.special_categories.size(), 1u);
  EXPECT_EQ(a.special_categories[0].id, "special-category-1");
  EXPECT_EQ(a.special_categories[0].category, "user.health.condition");
  EXPECT_EQ(a.special_categories[0].condition, 'a');
  EXPECT_EQ(a.recipients,
            (std::vector<Recipient>{
                {.id = "recipient-1", .kind = RecipientKind::kExternal, .name = "Mailing house"}}));
  EXPECT_EQ(l->map.Find("activities[crm-1].recipients").line, 30u);
  ASSERT_EQ(a.transfers.size(), 2u);
  EXPECT_EQ(a.transfers[0].id, "transfer-1");
  EXPECT_EQ(a.transfers[1].id, "transfer-2");
  EXPECT_EQ(a.transfers[0].safeguard, TransferSafeguard::kSccs);
  EXPECT_FALSE(a.transfers[1].safeguard.has_value());
  EXPECT_EQ(a.transfers[1].reference, "Fides legal_basis_for_transfers: Other");
  EXPECT_EQ(l->map.Find("activities[crm-1].transfers[transfer-2]").line, 12u);
  EXPECT_EQ(a.dpia.status, DpiaStatus::kCompleted);
  EXPECT_EQ(a.dpia.reference, "https://example.com/dpia");
  EXPECT_EQ(a.toms.description, "Encrypted at rest");
  EXPECT_EQ(a.data_sources, (std::vector<std::string>{"user"}));
}

TEST(FidesImporter, JsonManifest) {
  const char* text =
      R"({"system": [{"fides_key": "app", "name": "App", "system_type": "Service",
        "privacy_declarations": [{"data_categories": ["user.device.ip_address"], "data_use": "analytics.reporting",
                                  "legal_basis_for_processing": "Consent"}]}]})";
  EXPECT_TRUE(FindImporter("fides")->sniff(text));
  auto r = Import(text, "fides.json");
  ASSERT_TRUE(r.has_value()) << AllText(r.error());
  EXPECT_EQ(r->reg.activities[0].purposes[0].lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(r->reg.activities[0].name, "App: Analytics for Reporting");
}

TEST(FidesImporter, Errors) {
  auto r = Import(
      "system:\n  - fides_key: app\n    name: App\n    privacy_declarations:\n"
      "      - data_categories: [user.contact.emial]\n        data_use: marketing.advertsing\n"
      "        legal_basis_for_processing: Legitimate interest\n");
  ASSERT_FALSE(r.has_value());
  const auto& d = r.error();
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].where.line, 5u);
  EXPECT_EQ(d[0].where.column, 27u);
  EXPECT_EQ(d[0].message,
            "unknown fideslang data category 'user.contact.emial' in "
            "'app.privacy_declarations[1].data_categories'");
  EXPECT_EQ(d[0].hint, "did you mean 'user.contact.email'?");
  EXPECT_EQ(d[1].where.line, 6u);
  EXPECT_EQ(d[1].hint, "did you mean 'marketing.advertising'?");
  EXPECT_EQ(d[2].message, "unknown Fides legal_basis_for_processing 'Legitimate interest'");
  EXPECT_EQ(d[2].hint, "did you mean 'Legitimate interests'?");

  r = Import("dataset:\n  - fides_key: x\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].message, "the Fides manifest has no 'system:' list");
  r = Import("system:\n  fides_key: x\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].message, "Fides 'system' must be a list, found a map");
  r = Import("system:\n  - name: no key\n    privacy_declarations: []\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].message, "Fides system[1] has no fides_key");
  EXPECT_EQ(r.error()[0].where.line, 2u);
  r = Import("system:\n  - fides_key: a\n    name: A\n  - fides_key: a\n    name: B\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].message, "duplicate system id 'a'");
  EXPECT_EQ(r.error()[0].where.line, 4u);
  EXPECT_EQ(r.error()[0].where.column, 16u);
  r = Import("system:\n  - fides_key: [a\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].kind, ErrorKind::kParse);
  // Files that are not text are named, as for the native format.
  r = Import(std::string("\xFF\xFE"
                         "s\0y\0",
                         6),
             "fides.yml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].message, "the file is UTF-16 encoded, not UTF-8");
}

// Found by fuzz/register_fuzz: the importer took a NUL (written "\0" or
// "\u0000" in a double-quoted YAML string) that the native reader refuses, so
// its register could be written but not read back.
TEST(FidesImporter, NulInTextIsRefusedAsTheNativeReaderDoes) {
  auto r = Import("system:\n  - fides_key: app\n    name: \"A\\0pp\"\n");
  ASSERT_FALSE(r.has_value()) << WriteRegisterYaml(r->reg);
  EXPECT_EQ(r.error()[0].message, "Fides field 'app.name' contains the control character 0x00")
      << AllText(r.error());
  EXPECT_EQ(r.error()[0].where.line, 3u);
  EXPECT_EQ(r.error()[0].where.column, 11u);

  r = Import(
      "system:\n  - fides_key: app\n    name: App\n    privacy_declarations:\n"
      "      - data_categories: [\"user.contact\\u0000\"]\n        data_use: marketing.advertising\n");
  ASSERT_FALSE(r.has_value()) << WriteRegisterYaml(r->reg);
  EXPECT_EQ(r.error()[0].message,
            "Fides field 'app.privacy_declarations[1].data_categories' contains the control character 0x00")
      << AllText(r.error());
  EXPECT_EQ(r.error()[0].where.line, 5u);

  // The fuzzer's original input (a raw NUL byte, 36 bytes) is refused before
  // the importer sees it, as a binary file.
  r = Import(std::string("system:\n - fides_key: d\n   name: \"\0\n", 36));
  ASSERT_FALSE(r.has_value()) << WriteRegisterYaml(r->reg);
  EXPECT_EQ(r.error()[0].where.line, 0u);
  EXPECT_EQ(r.error()[0].where.offset, 34u);
}

TEST(FidesImporter, SniffDistinguishesFormats) {
  const auto& sniff = FindImporter("fides")->sniff;
  EXPECT_TRUE(sniff("system:\n  - fides_key: a\n"));
  EXPECT_TRUE(
      sniff("\xEF\xBB\xBF"
            "system:\n  - fides_key: a\n"));
  EXPECT_FALSE(sniff("blindspot_register: 1\nsystems:\n  - id: fides_key\n"));
  EXPECT_FALSE(sniff("dataset:\n  - fides_key: a\n"));
  EXPECT_FALSE(sniff(""));
}

TEST(LoadRegister, NativeFidesAndMissingFile) {
  MemEnv env;
  env.AddFile("register.yaml", "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n");
  env.AddFile("fides.yml", "system:\n  - fides_key: app\n    name: App\n");
  app::Options o;
  o.env = &env;
  auto native = app::LoadRegister(o, "register.yaml");
  ASSERT_TRUE(native.has_value()) << AllText(native.error());
  EXPECT_EQ(native->reg->activities.size(), 1u);
  EXPECT_EQ(native->source_map.Find("activities[a]").line, 3u);
  auto fides = app::LoadRegister(o, "fides.yml");
  ASSERT_TRUE(fides.has_value()) << AllText(fides.error());
  EXPECT_EQ(fides->reg->systems.at(0).id, "app");
  auto missing = app::LoadRegister(o, "/nonexistent/register.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error()[0].kind, ErrorKind::kIo);
  auto real = app::LoadRegister(app::Options{}, "/nonexistent/register.yaml");
  ASSERT_FALSE(real.has_value());
  EXPECT_EQ(real.error()[0].kind, ErrorKind::kIo);
}

}  // namespace
}  // namespace blindspot

// Native register format: parsing, strict errors (with exact positions),
// writing and round trip, JSON variant, UTF-8, docs/schema sync.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "blindspot/io.h"
#include "io/register_schema.h"

namespace blindspot {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kFull =
    std::string(BLINDSPOT_SOURCE_DIR) + "/tests/cases/register/valid_full/register.yaml";

Diagnostics Errors(std::string_view text, const std::string& file = "register.yaml") {
  auto r = ParseRegisterText(text, file);
  EXPECT_FALSE(r.has_value()) << "expected errors for:\n" << text;
  return r ? Diagnostics{} : r.error();
}

std::string Pos(const Error& e) {
  return e.where.file + ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.column);
}

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

TEST(RegisterParse, FullExampleHasEveryField) {
  auto r = ReadRegisterFile(kFull);
  ASSERT_TRUE(r.has_value()) << AllText(r.error());
  EXPECT_EQ(r->version, "1");
  EXPECT_EQ(r->source, kFull);
  EXPECT_EQ(r->organisation.name, "Bakkerij De Korenschoof B.V.");
  EXPECT_EQ(r->organisation.registration, "KvK 12345678");
  EXPECT_EQ(r->organisation.country, "NL");
  EXPECT_EQ(r->organisation.contact.phone, "+31 20 123 4567");
  EXPECT_EQ(r->organisation.dpo.email, "fg@korenschoof.example");
  EXPECT_EQ(r->organisation.representative.name, "not applicable (established in the EU)");
  ASSERT_EQ(r->activities.size(), 2u);
  const auto& a = r->activities[0];
  EXPECT_EQ(a.id, "web-shop");
  EXPECT_EQ(a.loc.line, 18u);
  EXPECT_EQ(a.loc.column, 5u);
  EXPECT_EQ(a.business_function, "Sales");
  ASSERT_EQ(a.purposes.size(), 2u);
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kContract);
  EXPECT_EQ(a.purposes[0].data_uses,
            (std::vector<std::string>{"essential.service", "essential.service.payment_processing"}));
  EXPECT_EQ(a.purposes[1].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(a.purposes[1].legal_obligation, "Art. 2:10 BW; Art. 52 AWR");
  EXPECT_EQ(a.data_categories.size(), 4u);
  EXPECT_EQ(a.data_categories[3], "user.financial.bank_account");
  EXPECT_EQ(a.recipients.internal, (std::vector<std::string>{"Sales", "Finance"}));
  EXPECT_EQ(a.recipients.external, (std::vector<std::string>{"Belastingdienst"}));
  EXPECT_EQ(a.recipients.processors, (std::vector<std::string>{"shopcloud"}));
  ASSERT_EQ(a.transfers.size(), 1u);
  EXPECT_EQ(a.transfers[0].country, "US");
  EXPECT_EQ(a.transfers[0].safeguard, TransferSafeguard::kDataPrivacyFramework);
  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].data_category, "*");
  EXPECT_EQ(a.retention[0].period, "7 years after the order");
  EXPECT_EQ(a.toms.measures, (std::vector<std::string>{"encryption_in_transit", "access_control"}));
  EXPECT_EQ(a.data_sources, (std::vector<std::string>{"data subject"}));
  EXPECT_EQ(a.systems, (std::vector<std::string>{"shop"}));
  EXPECT_EQ(a.access.size(), 2u);
  EXPECT_EQ(a.dpia.status, DpiaStatus::kNotRequired);
  EXPECT_EQ(a.dpia.date, "2024-01-15");
  const auto& m = r->activities[1];
  EXPECT_EQ(m.purposes[1].lawful_basis, LawfulBasis::kLegitimateInterests);
  EXPECT_EQ(m.purposes[1].lia_reference, "LIA-2024-03");
  ASSERT_EQ(m.special_categories.size(), 1u);
  EXPECT_EQ(m.special_categories[0].condition, 'a');
  EXPECT_EQ(m.dpia.status, DpiaStatus::kInProgress);
  ASSERT_EQ(r->processors.size(), 2u);
  EXPECT_EQ(r->processors[0].agreement.status, AgreementStatus::kSigned);
  EXPECT_EQ(r->processors[0].agreement.date, "2023-11-02");
  EXPECT_EQ(r->processors[0].transfer_safeguard, TransferSafeguard::kDataPrivacyFramework);
  ASSERT_EQ(r->processors[0].sub_processors.size(), 1u);
  EXPECT_EQ(r->processors[0].sub_processors[0].country, "LU");
  EXPECT_EQ(r->processors[1].role, VendorRole::kJointController);
  ASSERT_EQ(r->systems.size(), 1u);
  EXPECT_EQ(r->systems[0].processor, "shopcloud");
  EXPECT_EQ(r->systems[0].location, "AWS eu-central-1");
  ASSERT_EQ(r->touchpoints.size(), 1u);
  const auto& t = r->touchpoints[0];
  EXPECT_EQ(t.product, "meta-pixel");
  EXPECT_EQ(t.vendor, "meta");
  EXPECT_EQ(t.answers.in_use, true);
  EXPECT_EQ(t.answers.in_use_since, "2022-04");
  EXPECT_EQ(t.answers.stored_by_us, false);
  EXPECT_EQ(t.answers.stored_by_vendor, true);
  EXPECT_EQ(t.answers.informed_section, "Cookies and advertising");
  EXPECT_EQ(t.answers.lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(t.answers.security_measures.size(), 2u);
  ASSERT_EQ(r->processor_records.size(), 1u);
  EXPECT_EQ(r->processor_records[0].controller, "Stichting Broodfonds Noord");
  EXPECT_EQ(r->processor_records[0].transfers[0].safeguard, TransferSafeguard::kNone);
  EXPECT_EQ(r->processor_records[0].toms.measures, (std::vector<std::string>{"access_control"}));
}

TEST(RegisterParse, MinimalRegister) {
  auto r = ParseRegisterText("blindspot_register: 1\n", "min.yaml");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->activities.empty());
  EXPECT_EQ(r->version, "1");
}

TEST(RegisterErrors, UnknownKeyWithSuggestion) {
  auto d = Errors("blindspot_register: 1\norganisation:\n  name: X\n  contry: NL\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:3");
  EXPECT_EQ(d[0].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[0].message, "unknown key 'contry' in 'organisation'");
  EXPECT_EQ(d[0].expected, "one of name, registration, country, contact, dpo, representative");
  EXPECT_EQ(d[0].hint, "did you mean 'country'?");
  EXPECT_EQ(d[0].source_line, "  contry: NL");
  EXPECT_EQ(d[0].Format(),
            "register.yaml:4:3: error: unknown key 'contry' in 'organisation'\n"
            "    contry: NL\n"
            "    ^\n"
            "  expected: one of name, registration, country, contact, dpo, representative\n"
            "  hint: did you mean 'country'?\n");
}

TEST(RegisterErrors, WrongEnumListsAllowedValues) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    purposes:\n      - description: x\n"
      "        lawful_basis: legitimate_interest\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:7:23");
  EXPECT_EQ(d[0].message, "invalid value 'legitimate_interest' for 'activities[1].purposes[1].lawful_basis'");
  EXPECT_EQ(d[0].expected,
            "one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests");
  EXPECT_EQ(d[0].hint, "did you mean 'legitimate_interests'?");
}

TEST(RegisterErrors, DanglingReferencePointsAtTheItem) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: web-shop\n    name: Shop\n    systems: [shop, shpo]\n"
      "systems:\n  - id: shop\n    name: Shop\n    processor: cloud\n");
  ASSERT_EQ(d.size(), 2u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:5:21");
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].message, "activity 'web-shop' refers to unknown system 'shpo' in 'systems'");
  EXPECT_EQ(d[0].hint, "did you mean 'shop'?");
  EXPECT_EQ(Pos(d[1]), "register.yaml:9:16");
  EXPECT_EQ(d[1].hint, "there are no processors in this register; add one under 'processors:'");
}

TEST(RegisterErrors, DuplicateIdAndDuplicateKey) {
  auto d = Errors(
      "blindspot_register: 1\nprocessors:\n  - id: meta\n    name: Meta\n  - id: meta\n    name: Meta again\n"
      "    name: twice\n");
  ASSERT_EQ(d.size(), 2u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:5:9");
  EXPECT_EQ(d[0].message, "duplicate processor id 'meta'");
  EXPECT_EQ(d[0].hint, "'meta' is already defined at line 3; rename one of them");
  EXPECT_EQ(Pos(d[1]), "register.yaml:7:5");
  EXPECT_EQ(d[1].message, "duplicate key 'name' in 'processors[2]'");
}

TEST(RegisterErrors, MissingIdAndName) {
  auto d = Errors("blindspot_register: 1\nsystems:\n  - description: no id\n  - id: s2\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:3:5");
  EXPECT_EQ(d[0].message, "system #1 in 'systems' has no id");
  EXPECT_EQ(d[1].message, "system '#1' has no name");
  EXPECT_EQ(Pos(d[2]), "register.yaml:4:5");
  EXPECT_EQ(d[2].message, "system 's2' has no name");
}

TEST(RegisterErrors, WrongNodeTypes) {
  auto d = Errors("blindspot_register: 1\nactivities:\n  id: a\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:3:3");
  EXPECT_EQ(d[0].message, "'activities' must be a list, found a map");
  EXPECT_EQ(d[0].hint, "put '- ' in front of the first key");
  d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: [A, B]\n    data_categories: user.name\n"
      "    recipients: [x]\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].message, "'activities[1].name' must be a text value, found a list");
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:11");
  EXPECT_EQ(d[1].message, "'activities[1].data_categories' must be a list, found a text value");
  EXPECT_EQ(d[1].hint, "write it as a list: `data_categories: [user.name]`");
  EXPECT_EQ(d[2].message, "'activities[1].recipients' must be a map, found a list");
  d = Errors("blindspot_register: 1\norganisation:\n  dpo: J. Jansen\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "'organisation.dpo' must be a map, found a text value");
  EXPECT_EQ(d[0].expected, "a map with keys: name, email, phone, address");
  EXPECT_EQ(d[0].hint, "put its fields on indented lines below the key, e.g. `name: ...`");
}

TEST(RegisterErrors, AllProblemsAtOnce) {
  auto d = Errors(
      "blindspot_register: 1\norganisation:\n  country: nl\nactivities:\n  - id: a\n    name: A\n"
      "    data_categories: [user.contact.emial]\n    purposes:\n      - data_uses: "
      "[marketing.advertisment]\n"
      "    special_categories:\n      - category: user.health\n        condition: 9(2)(h)\n    dpia:\n"
      "      status: done\n      date: 15-01-2024\n    systems: [nope]\n");
  std::vector<std::string> pos;
  for (const auto& e : d) pos.push_back(Pos(e));
  EXPECT_EQ(pos, (std::vector<std::string>{"register.yaml:3:12", "register.yaml:7:23", "register.yaml:9:21",
                                           "register.yaml:12:20", "register.yaml:14:15",
                                           "register.yaml:15:13", "register.yaml:16:15"}))
      << AllText(d);
  ASSERT_EQ(d.size(), 7u);
  EXPECT_EQ(d[0].hint, "write it in upper case: 'NL'");
  EXPECT_EQ(d[1].hint, "did you mean 'user.contact.email'?");
  EXPECT_EQ(d[2].message,
            "unknown fideslang data use 'marketing.advertisment' in 'activities[1].purposes[1].data_uses'");
  EXPECT_EQ(d[2].hint, "did you mean 'marketing.advertising'?");
  EXPECT_EQ(d[3].hint, "write only the letter: 'h'");
  EXPECT_EQ(d[4].expected, "one of not_assessed, not_required, required, in_progress, completed");
  EXPECT_EQ(d[5].message, "'15-01-2024' is not an ISO 8601 date in 'activities[1].dpia.date'");
  EXPECT_EQ(d[6].kind, ErrorKind::kReference);
}

TEST(RegisterErrors, Art9ConditionHints) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    special_categories:\n"
      "      - condition: B\n      - condition: x\n      - condition: art9_2_c\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].hint, "write the letter in lower case: 'b'");
  EXPECT_EQ(Pos(d[0]), "register.yaml:6:20");
  EXPECT_EQ(d[1].hint, "use the letter of Art. 9(2), e.g. 'a' for explicit consent");
  EXPECT_EQ(d[2].hint, "write only the letter: 'c'");
}

TEST(RegisterErrors, VersionAndShape) {
  auto d = Errors("activities: []\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "missing 'blindspot_register' version key");
  d = Errors("blindspot_register: 2\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "unsupported register format version '2'");
  EXPECT_EQ(Pos(d[0]), "register.yaml:1:21");
  d = Errors("");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "the register is empty");
  d = Errors("- a\n- b\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "the register must be a map, found a list");
}

TEST(RegisterErrors, YamlSyntaxErrorHasPosition) {
  auto d = Errors("blindspot_register: 1\norganisation:\n  name: \"x\" y\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_EQ(Pos(d[0]), "register.yaml:3:13");
  EXPECT_EQ(d[0].message, "YAML syntax error: end of map not found");
  d = Errors("blindspot_register: 1\norganisation:\n\tname: a\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].hint, "indent with spaces; YAML does not allow tabs for indentation");
  d = Errors("blindspot_register: 1\nactivities:\n  - id: a\n   name: b\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:4");
  EXPECT_EQ(d[0].message, "YAML syntax error: end of sequence not found");
  EXPECT_EQ(d[0].source_line, "   name: b");
}

TEST(RegisterErrors, InvalidUtf8ReportsByteOffset) {
  auto d = Errors("blindspot_register: 1\norganisation:\n  name: Caf\xE9\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_TRUE(d[0].where.has_offset);
  EXPECT_EQ(d[0].where.offset, 47u);
  EXPECT_EQ(d[0].message, "invalid UTF-8 byte 0xE9 at byte 47 (line 3, column 12)");
  EXPECT_EQ(d[0].Format().substr(0, 34), "register.yaml: byte 47: error: inv");
  // Overlong encoding and a lone surrogate are rejected too.
  EXPECT_EQ(Errors("blindspot_register: 1 #\xC0\xAF\n")[0].where.offset, 23u);
  EXPECT_EQ(Errors("blindspot_register: 1 #\xED\xA0\x80\n")[0].where.offset, 23u);
}

TEST(RegisterParse, Utf8AndBomAccepted) {
  auto r = ParseRegisterText(
      "\xEF\xBB\xBF"
      "blindspot_register: 1\norganisation:\n  name: Café Ûber 日本\n",
      "bom.yaml");
  ASSERT_TRUE(r.has_value()) << AllText(r.error());
  EXPECT_EQ(r->organisation.name, "Café Ûber 日本");
}

TEST(RegisterParse, JsonVariant) {
  const char* json = R"({
	"blindspot_register": 1,
	"activities": [
		{"id": "a", "name": "A", "data_categories": ["user.name"], "systems": ["s"],
		 "purposes": [{"description": "p", "lawful_basis": "consent"}]}
	],
	"systems": [{"id": "s", "name": "S", "country": "DE"}],
	"touchpoints": [{"id": "t", "name": "T", "activities": ["a"], "answers": {"in_use": true}}]
})";
  auto r = ParseRegisterText(json, "register.json");
  ASSERT_TRUE(r.has_value()) << AllText(r.error());
  EXPECT_EQ(r->activities[0].purposes[0].lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(r->systems[0].country, "DE");
  EXPECT_EQ(r->touchpoints[0].answers.in_use, true);
  auto d = Errors(R"({"blindspot_register": 1, "systems": [{"id": "s", "name": "S", "procesor": "x"}]})",
                  "r.json");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "r.json:1:64");
  EXPECT_EQ(d[0].hint, "did you mean 'processor'?");
}

TEST(RegisterWrite, RoundTripFullExample) {
  auto r = ReadRegisterFile(kFull);
  ASSERT_TRUE(r.has_value());
  std::string yaml = WriteRegisterYaml(*r);
  auto again = ParseRegisterText(yaml, kFull);
  ASSERT_TRUE(again.has_value()) << AllText(again.error()) << yaml;
  Register a = *r, b = *again;
  ClearLocations(a);
  ClearLocations(b);
  EXPECT_EQ(a, b) << yaml;
  EXPECT_EQ(WriteRegisterYaml(b), yaml);  // writing is deterministic
}

TEST(RegisterWrite, RoundTripTrickyStrings) {
  Register r;
  r.version = "1";
  r.source = "x.yaml";
  r.organisation.name = "yes";
  r.organisation.registration = "00123";
  r.organisation.contact.address = "Line one\nLine two: with colon";
  r.organisation.contact.name = "null";
  r.organisation.dpo.name = " leading space";
  r.organisation.dpo.email = "#not-a-comment";
  r.organisation.dpo.phone = "tab\there, bell\x07, cr\r end ";
  r.organisation.representative.name = "'single' and \"double\" quotes: & * ! %";
  ProcessingActivity a{.id = "a:1", .name = "- dash"};
  a.data_subjects = {"true", "~", "[x]", "Café"};
  a.purposes.push_back({.description = "{braces}", .lawful_basis = LawfulBasis::kPublicTask});
  a.special_categories.push_back({.category = "user.health", .condition = 'j'});
  a.dpia.status = DpiaStatus::kRequired;
  r.activities.push_back(a);
  Processor p{.id = "p", .name = "P", .role = VendorRole::kIndependentController};
  p.agreement.status = AgreementStatus::kNotRequired;
  r.processors.push_back(p);
  Touchpoint t{.id = "t", .name = "T"};
  t.answers.stored_by_us = false;
  t.answers.lawful_basis = LawfulBasis::kVitalInterests;
  r.touchpoints.push_back(t);
  std::string yaml = WriteRegisterYaml(r);
  auto back = ParseRegisterText(yaml, "x.yaml");
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << yaml;
  Register b = *back;
  ClearLocations(b);
  EXPECT_EQ(r, b) << yaml;
}

// docs/formats/register.schema.json must list exactly the keys the parser accepts.
TEST(RegisterSchema, JsonSchemaMatchesParserKeys) {
  std::string text = Slurp(std::string(BLINDSPOT_SOURCE_DIR) + "/docs/formats/register.schema.json");
  ASSERT_FALSE(text.empty());
  nlohmann::json schema = nlohmann::json::parse(text);
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  for (const auto& obj : register_schema::AllObjects()) {
    const nlohmann::json& node = obj.object == "register" ? schema : schema["$defs"][std::string(obj.object)];
    ASSERT_TRUE(node.contains("properties")) << obj.object;
    std::set<std::string> in_schema, in_parser;
    for (auto it = node["properties"].begin(); it != node["properties"].end(); ++it)
      in_schema.insert(it.key());
    for (auto k : obj.keys) in_parser.insert(std::string(k));
    EXPECT_EQ(in_schema, in_parser) << "object " << obj.object;
    EXPECT_EQ(node.value("additionalProperties", true), false) << obj.object << " must be strict";
  }
  for (const char* o : {"activity", "processor", "system", "touchpoint"}) {
    auto req = schema["$defs"][o]["required"];
    EXPECT_NE(std::find(req.begin(), req.end(), "id"), req.end()) << o;
    EXPECT_NE(std::find(req.begin(), req.end(), "name"), req.end()) << o;
  }
  // Enum values in the schema are the library's stable strings.
  std::vector<std::string> lb = schema["$defs"]["lawful_basis"]["enum"];
  std::vector<std::string> want(LawfulBasisValues().begin(), LawfulBasisValues().end());
  EXPECT_EQ(lb, want);
  std::vector<std::string> sg = schema["$defs"]["safeguard"]["enum"];
  EXPECT_EQ(sg, std::vector<std::string>(TransferSafeguardValues().begin(), TransferSafeguardValues().end()));
}

// Every YAML example in docs/formats/register.md that is a whole register parses.
TEST(RegisterSchema, DocExamplesParse) {
  std::string md = Slurp(std::string(BLINDSPOT_SOURCE_DIR) + "/docs/formats/register.md");
  ASSERT_FALSE(md.empty());
  std::regex block("```yaml\n([\\s\\S]*?)```");
  int checked = 0;
  for (std::sregex_iterator it(md.begin(), md.end(), block), end; it != end; ++it) {
    std::string y = (*it)[1];
    if (y.find("blindspot_register") == std::string::npos) continue;
    auto r = ParseRegisterText(y, "register.md");
    EXPECT_TRUE(r.has_value()) << (r ? "" : AllText(r.error())) << y;
    ++checked;
  }
  EXPECT_GE(checked, 2);
}

}  // namespace
}  // namespace blindspot

TEST(RegisterInputKinds, ZipDeepNestingAndListsGetClearMessages) {
  auto zip = blindspot::ParseRegisterText(std::string("PK\x03\x04\x14\x00", 6), "datamap.xlsx");
  ASSERT_FALSE(zip.has_value());
  EXPECT_EQ(zip.error()[0].message.rfind("this is a ZIP archive", 0), 0u) << zip.error()[0].message;
  std::string deep = "blindspot_register: 1\nactivities: " + std::string(100, '[');
  auto d = blindspot::ParseRegisterText(deep, "deep.yaml");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error()[0].message, "nesting deeper than 64 levels of '[' or '{'");
  EXPECT_EQ(d.error()[0].where.line, 2u);
  EXPECT_EQ(d.error()[0].where.column, 13u + 64u);
  auto utf16 = blindspot::ParseRegisterText(std::string("\xFF\xFE" "b\0l\0", 6), "utf16.yaml");
  ASSERT_FALSE(utf16.has_value());
  EXPECT_EQ(utf16.error()[0].message, "the file is UTF-16 encoded, not UTF-8");
  auto list = blindspot::ParseRegisterText("[{\"name\": \"x\"}]", "export.json");
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error()[0].message, "the register must be a map, found a list");
}

TEST(RegisterInputKinds, JsonEmojiEscapesAndControlCharacters) {
  std::string json =
      "{\"blindspot_register\": 1, \"organisation\": {\"name\": \"Bakkerij \\ud83c\\udf5e B.V.\"}}";
  auto ok = blindspot::ParseRegisterText(json, "emoji.json");
  ASSERT_TRUE(ok.has_value()) << ok.error()[0].Format();
  EXPECT_EQ(ok->organisation.name, "Bakkerij \xF0\x9F\x8D\x9E B.V.");
  std::string nul = "{\"blindspot_register\": 1, \"organisation\": {\"name\": \"web\\u0000shop\"}}";
  auto bad = blindspot::ParseRegisterText(nul, "nul.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error()[0].message, "'organisation.name' contains the control character 0x00");
  EXPECT_EQ(bad.error()[0].where.line, 1u);
}

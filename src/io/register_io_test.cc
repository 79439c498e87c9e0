// Native register format: parsing, strict errors (with exact positions from
// the source map), stable ids of nested items, writing and round trips (YAML
// and JSON), recipients, vocabularies, country codes, dates, UTF-8, docs/schema
// sync.
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

// A complete register: every key of the native format is used once (the
// register of tests/cases/register/valid_full with a channel of the vocabulary).
// Nested items have no ids here; they are derived.
const char* kFullText = R"(# A complete register: every key of the native format is used once.
blindspot_register: 1
organisation:
  name: Bakkerij De Korenschoof B.V.
  registration: "KvK 12345678"
  country: NL
  contact:
    name: Privacy desk
    email: privacy@korenschoof.example
    phone: "+31 20 123 4567"
    address: Dorpsstraat 1, 1234 AB Ergens
  dpo:
    name: J. Jansen
    email: fg@korenschoof.example
  representative:
    name: not applicable (established in the EU)
activities:
  - id: web-shop
    name: Online orders
    description: Taking and delivering orders placed in the web shop.
    business_function: Sales
    owner: Head of e-commerce
    purposes:
      - description: Deliver the ordered goods and invoice them
        lawful_basis: contract
        data_uses: [essential.service, essential.service.payment_processing]
      - description: Keep the books
        lawful_basis: legal_obligation
        legal_obligation: "Art. 2:10 BW; Art. 52 AWR"
        data_uses: [finance]
    data_subjects: [customer]
    data_categories:
      - user.name
      - user.contact.email
      - user.contact.address
      - user.financial.bank_account
    recipients:
      internal: [Sales, Finance]
      external: [Belastingdienst]
      processors: [shopcloud]
    transfers:
      - recipient: shopcloud
        country: US
        safeguard: data_privacy_framework
        reference: "DPF list entry checked 2024-05-01"
    retention:
      - data_category: "*"
        period: 7 years after the order
        justification: Art. 52 AWR (fiscal retention)
    toms:
      measures: [encryption_in_transit, access_control]
      description: TLS everywhere; role-based access in the shop back office.
    data_sources: [data subject]
    systems: [shop]
    access: [sales staff, finance staff]
    dpia:
      status: not_required
      reference: DPIA screening 2024-01
      date: 2024-01-15
  - id: marketing-pixel
    name: Advertising with the Meta Pixel
    business_function: Marketing
    owner: Marketing lead
    purposes:
      - description: Measure and target ads on Facebook and Instagram
        lawful_basis: consent
        data_uses: [marketing.advertising.third_party.targeted]
      - description: Fraud prevention on ad clicks
        lawful_basis: legitimate_interests
        lia_reference: LIA-2024-03
        data_uses: [essential.fraud_detection]
    data_subjects: [website visitor]
    data_categories: [user.device.cookie_id, user.device.ip_address, user.behavior.browsing_history]
    special_categories:
      - category: user.health
        condition: a
        justification: Explicit consent for dietary preferences in the gluten-free campaign
    recipients:
      processors: [meta]
    dpia:
      status: in_progress
processors:
  - id: shopcloud
    name: ShopCloud Inc.
    legal_entity: ShopCloud Inc., Delaware
    country: US
    role: processor
    agreement:
      status: signed
      date: 2023-11-02
      reference: DPA-2023-017
    transfer_safeguard: data_privacy_framework
    sub_processors:
      - name: Amazon Web Services EMEA SARL
        country: LU
        purpose: hosting
  - id: meta
    name: Meta Platforms Ireland Ltd.
    country: IE
    role: joint_controller
    agreement:
      status: signed
      reference: Meta Controller Addendum
systems:
  - id: shop
    name: Web shop back office
    description: Order management
    location: AWS eu-central-1
    country: DE
    processor: shopcloud
touchpoints:
  - id: meta-pixel-site
    name: Meta Pixel on korenschoof.example
    channel: advertising
    product: meta-pixel
    vendor: meta
    activities: [marketing-pixel]
    owner: Marketing lead
    answers:
      in_use: true
      in_use_since: 2022-04
      stored_by_us: false
      stored_by_us_where: not stored
      stored_by_vendor: true
      stored_by_vendor_details: Meta ad account, per Meta's data policy
      informed:
        statement: https://korenschoof.example/privacy
        section: Cookies and advertising
      data_collected: [user.device.cookie_id, user.device.ip_address]
      lawful_basis: consent
      necessity: Needed to measure campaign results
      subsidiarity: Aggregated statistics were considered and are insufficient for targeting
      proportionality: Only page views and purchases are sent
      security_measures: [consent_gate, advanced_matching_off]
  - id: meta-customer-list
    name: Customer list to Meta
    product: meta-custom-audiences
    vendor: meta
    answers:
      lawful_basis: consent
    audience_list:
      list_subjects: customers
      exclusion_list: true
      hashed_before_upload: true
      anonymous: false
      consent_reference: CRM field ads_consent
processor_records:
  - controller: Stichting Broodfonds Noord
    controller_contact:
      name: Secretariaat
      email: info@broodfonds.example
    categories_of_processing: [payroll administration]
    transfers:
      - recipient: none
        country: NL
        safeguard: none
    toms:
      measures: [access_control]
)";

Diagnostics Errors(std::string_view text, const std::string& file = "register.yaml",
                   const RegisterReadOptions& options = {}) {
  auto r = ParseRegisterText(text, file, options);
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

// Writes `r` as YAML and as JSON and reads each text back as `file`: the
// register comes back equal, and each text holds `written` when it is given.
void ExpectYamlAndJsonRoundTrip(const Register& r, const std::string& file, std::string_view written = {}) {
  for (const std::string& out : {WriteRegisterYaml(r), WriteRegisterJson(r)}) {
    if (!written.empty()) {
      EXPECT_NE(out.find(written), std::string::npos) << out;
    }
    auto back = ParseRegisterText(out, file);
    ASSERT_TRUE(back.has_value()) << AllText(back.error()) << out;
    EXPECT_EQ(back->reg, r) << out;
  }
}

LoadedRegister Parse(std::string_view text, const std::string& file = "register.yaml",
                     const RegisterReadOptions& options = {}) {
  auto r = ParseRegisterText(text, file, options);
  EXPECT_TRUE(r.has_value()) << (r ? "" : AllText(r.error())) << text;
  return r ? std::move(*r) : LoadedRegister{};
}

std::string LocText(const Loc& l) { return std::to_string(l.line) + ":" + std::to_string(l.column); }

TEST(RegisterParse, FullExampleHasEveryField) {
  LoadedRegister loaded = Parse(kFullText, "full.yaml");
  const Register* r = &loaded.reg;
  EXPECT_TRUE(loaded.warnings.empty()) << AllText(loaded.warnings);
  EXPECT_EQ(r->version, "1");
  EXPECT_EQ(r->source, "full.yaml");
  EXPECT_EQ(loaded.map.file, "full.yaml");
  EXPECT_EQ(r->organisation.name, "Bakkerij De Korenschoof B.V.");
  EXPECT_EQ(r->organisation.registration, "KvK 12345678");
  EXPECT_EQ(r->organisation.country, "NL");
  EXPECT_EQ(r->organisation.contact.phone, "+31 20 123 4567");
  EXPECT_EQ(r->organisation.dpo.email, "fg@korenschoof.example");
  EXPECT_FALSE(r->organisation.no_dpo);
  EXPECT_EQ(r->organisation.representative.name, "not applicable (established in the EU)");
  ASSERT_EQ(r->activities.size(), 2u);
  const auto& a = r->activities[0];
  EXPECT_EQ(a.id, "web-shop");
  EXPECT_EQ(loaded.map.Find("activities[web-shop]"), (Loc{18, 5}));
  EXPECT_EQ(a.business_function, "Sales");
  ASSERT_EQ(a.purposes.size(), 2u);
  EXPECT_EQ(a.purposes[0].id, "purpose-1");
  EXPECT_EQ(a.purposes[1].id, "purpose-2");
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kContract);
  EXPECT_EQ(a.purposes[0].data_uses,
            (std::vector<std::string>{"essential.service", "essential.service.payment_processing"}));
  EXPECT_EQ(a.purposes[1].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(a.purposes[1].legal_obligation, "Art. 2:10 BW; Art. 52 AWR");
  EXPECT_EQ(a.data_categories.size(), 4u);
  EXPECT_EQ(a.data_categories[3], "user.financial.bank_account");
  // The by-kind form of recipients becomes one recipient per entry, with derived ids.
  EXPECT_EQ(a.recipients,
            (std::vector<Recipient>{
                {.id = "recipient-1", .kind = RecipientKind::kInternal, .name = "Sales"},
                {.id = "recipient-2", .kind = RecipientKind::kInternal, .name = "Finance"},
                {.id = "recipient-3", .kind = RecipientKind::kExternal, .name = "Belastingdienst"},
                {.id = "recipient-4", .kind = RecipientKind::kProcessor, .processor = "shopcloud"},
            }));
  EXPECT_FALSE(a.no_recipients);
  ASSERT_EQ(a.transfers.size(), 1u);
  EXPECT_EQ(a.transfers[0].id, "transfer-1");
  EXPECT_EQ(a.transfers[0].country, "US");
  EXPECT_EQ(a.transfers[0].safeguard, TransferSafeguard::kDataPrivacyFramework);
  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].id, "retention-1");
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
  EXPECT_EQ(m.special_categories[0].id, "special-category-1");
  EXPECT_EQ(m.special_categories[0].condition, 'a');
  EXPECT_EQ(m.recipients,
            (std::vector<Recipient>{
                {.id = "recipient-1", .kind = RecipientKind::kProcessor, .processor = "meta"}}));
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
  ASSERT_EQ(r->touchpoints.size(), 2u);
  const AudienceList& list = r->touchpoints[1].audience_list;
  EXPECT_EQ(list.subjects, "customers");
  EXPECT_EQ(list.exclusion, true);
  EXPECT_EQ(list.hashed, true);
  EXPECT_EQ(list.anonymous, false);
  EXPECT_EQ(list.consent_reference, "CRM field ads_consent");
  EXPECT_TRUE(r->touchpoints[0].audience_list.empty());
  const auto& t = r->touchpoints[0];
  EXPECT_EQ(t.channel, "advertising");
  EXPECT_EQ(t.product, "meta-pixel");
  EXPECT_EQ(t.vendor, "meta");
  EXPECT_EQ(t.answers.in_use, true);
  EXPECT_EQ(t.answers.in_use_since, "2022-04");
  EXPECT_EQ(t.answers.stored_by_us, false);
  EXPECT_EQ(t.answers.stored_by_vendor, true);
  EXPECT_EQ(t.answers.informed_statement, "https://korenschoof.example/privacy");
  EXPECT_EQ(t.answers.informed_section, "Cookies and advertising");
  EXPECT_EQ(t.answers.lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(t.answers.security_measures.size(), 2u);
  ASSERT_EQ(r->processor_records.size(), 1u);
  EXPECT_EQ(r->processor_records[0].controller, "Stichting Broodfonds Noord");
  EXPECT_EQ(r->processor_records[0].transfers[0].id, "transfer-1");
  EXPECT_EQ(r->processor_records[0].transfers[0].safeguard, TransferSafeguard::kNone);
  EXPECT_EQ(r->processor_records[0].toms.measures, (std::vector<std::string>{"access_control"}));
}

// The golden case the full example was taken from still reads (once its
// channel is a value of the channel vocabulary).
TEST(RegisterParse, ValidFullGoldenCaseParses) {
  const std::string path =
      std::string(BLINDSPOT_SOURCE_DIR) + "/tests/cases/register/valid_full/register.yaml";
  std::string text = Slurp(path);
  ASSERT_FALSE(text.empty()) << path;
  auto r = ParseRegisterText(text, path);
  ASSERT_TRUE(r.has_value()) << AllText(r.error());
  EXPECT_EQ(r->reg.activities.size(), 2u);
}

TEST(RegisterParse, AudienceListSubjectsAreAVocabulary) {
  auto r = ParseRegisterText(
      "blindspot_register: 1\ntouchpoints:\n  - id: l\n    name: L\n    audience_list:\n      list_subjects: "
      "leads\n      hashed_before_upload: maybe\n",
      "list.yaml");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 2u) << AllText(r.error());
  EXPECT_EQ(r.error()[0].where.line, 6u);
  EXPECT_EQ(r.error()[0].where.column, 22u);
  EXPECT_NE(r.error()[0].expected.find("prospects"), std::string::npos) << r.error()[0].expected;
  EXPECT_EQ(r.error()[1].where.line, 7u);
}

TEST(RegisterParse, MinimalRegister) {
  LoadedRegister r = Parse("blindspot_register: 1\n", "min.yaml");
  EXPECT_TRUE(r.reg.activities.empty());
  EXPECT_EQ(r.reg.version, "1");
  EXPECT_TRUE(r.warnings.empty());
}

// ---- stable ids -------------------------------------------------------------------

const char* kIdsText = R"(blindspot_register: 1
activities:
  - id: crm
    name: CRM
    purposes:
      - description: first, no id
      - id: newsletter
        description: second, explicit id
      - description: third, no id
    special_categories:
      - category: user.health
        condition: h
      - id: religion
        category: user.demographic.religious_belief
        condition: a
    recipients:
      - kind: internal
        name: Sales
      - id: tax
        kind: external
        name: Tax office
    transfers:
      - id: us-hosting
        country: US
        safeguard: sccs
      - country: CH
        safeguard: adequacy_decision
    retention:
      - data_category: "*"
        period: P2Y
processor_records:
  - controller: Client B.V.
    transfers:
      - country: GB
        safeguard: adequacy_decision
)";

TEST(RegisterIds, DerivedWhenAbsentPreservedWhenPresent) {
  LoadedRegister l = Parse(kIdsText);
  const auto& a = l.reg.activities.at(0);
  ASSERT_EQ(a.purposes.size(), 3u);
  EXPECT_EQ(a.purposes[0].id, "purpose-1");
  EXPECT_EQ(a.purposes[1].id, "newsletter");
  EXPECT_EQ(a.purposes[2].id, "purpose-3");
  ASSERT_EQ(a.special_categories.size(), 2u);
  EXPECT_EQ(a.special_categories[0].id, "special-category-1");
  EXPECT_EQ(a.special_categories[1].id, "religion");
  ASSERT_EQ(a.recipients.size(), 2u);
  EXPECT_EQ(a.recipients[0].id, "recipient-1");
  EXPECT_EQ(a.recipients[1].id, "tax");
  ASSERT_EQ(a.transfers.size(), 2u);
  EXPECT_EQ(a.transfers[0].id, "us-hosting");
  EXPECT_EQ(a.transfers[1].id, "transfer-2");
  ASSERT_EQ(a.retention.size(), 1u);
  EXPECT_EQ(a.retention[0].id, "retention-1");
  EXPECT_EQ(l.reg.processor_records.at(0).transfers.at(0).id, "transfer-1");
  // Reading assigns exactly what AssignDerivedIds would.
  Register again = l.reg;
  AssignDerivedIds(again);
  EXPECT_EQ(again, l.reg);
  // Paths use the ids, derived or explicit.
  EXPECT_EQ(LocText(l.map.Find("activities[crm].purposes[purpose-1]")), "6:9");
  EXPECT_EQ(LocText(l.map.Find("activities[crm].purposes[newsletter]")), "7:9");
  EXPECT_EQ(LocText(l.map.Find("activities[crm].purposes[purpose-3].description")), "9:22");
  EXPECT_EQ(LocText(l.map.Find("activities[crm].transfers[transfer-2].country")), "26:18");
}

TEST(RegisterIds, AnExplicitIdThatLooksDerivedIsNotGivenTwice) {
  LoadedRegister l = Parse(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    purposes:\n      - description: x\n"
      "      - id: purpose-1\n        description: y\n");
  const auto& p = l.reg.activities.at(0).purposes;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].id, "purpose-1");
  EXPECT_NE(p[0].id, "purpose-1");
  EXPECT_FALSE(p[0].id.empty());
}

TEST(RegisterIds, YamlAndJsonRoundTripsKeepEveryId) {
  LoadedRegister l = Parse(kIdsText, "ids.yaml");
  std::string yaml = WriteRegisterYaml(l.reg);
  EXPECT_NE(yaml.find("id: purpose-1"), std::string::npos) << yaml;  // derived ids are written
  EXPECT_NE(yaml.find("id: transfer-2"), std::string::npos) << yaml;
  auto from_yaml = ParseRegisterText(yaml, "ids.yaml");
  ASSERT_TRUE(from_yaml.has_value()) << AllText(from_yaml.error()) << yaml;
  EXPECT_EQ(from_yaml->reg, l.reg) << yaml;

  std::string json = WriteRegisterJson(l.reg);
  EXPECT_NE(json.find("\"id\": \"purpose-1\""), std::string::npos) << json;
  auto from_json = ParseRegisterText(json, "ids.yaml");
  ASSERT_TRUE(from_json.has_value()) << AllText(from_json.error()) << json;
  EXPECT_EQ(from_json->reg, l.reg) << json;
}

// ---- source map ---------------------------------------------------------------------

TEST(RegisterSourceMap, FindingPathsPointAtTheRightLineAndColumn) {
  LoadedRegister l = Parse(kFullText, "full.yaml");
  const SourceMap& m = l.map;
  EXPECT_FALSE(m.empty());
  EXPECT_EQ(LocText(m.Find("organisation")), "4:3");
  EXPECT_EQ(LocText(m.Find("organisation.country")), "6:12");
  EXPECT_EQ(LocText(m.Find("organisation.dpo")), "13:5");
  EXPECT_EQ(LocText(m.Find("organisation.dpo.email")), "14:12");
  EXPECT_EQ(LocText(m.Find("activities[web-shop]")), "18:5");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].owner")), "22:12");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].purposes[purpose-1]")), "24:9");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].purposes[purpose-1].lawful_basis")), "25:23");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].purposes[purpose-2].legal_obligation")), "29:27");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].systems[0]")), "54:15");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].recipients[recipient-2]")), "38:25");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].recipients[recipient-4].processor")), "40:20");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].transfers[transfer-1].safeguard")), "44:20");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].dpia.date")), "59:13");
  EXPECT_EQ(LocText(m.Find("activities[web-shop].retention[retention-1].period")), "48:17");
  EXPECT_EQ(LocText(m.Find("activities[marketing-pixel].special_categories[special-category-1].condition")),
            "76:20");
  EXPECT_EQ(LocText(m.Find("processors[shopcloud].agreement.date")), "90:13");
  EXPECT_EQ(LocText(m.Find("systems[shop].processor")), "110:16");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].channel")), "114:14");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].vendor")), "116:13");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].answers.in_use")), "120:15");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].answers.informed_section")), "128:18");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].answers.lawful_basis")), "130:21");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-customer-list].audience_list.list_subjects")), "142:22");
  EXPECT_EQ(LocText(m.Find("processor_records[0].transfers[transfer-1].safeguard")), "156:20");
  // A path that was not written falls back to the nearest enclosing one.
  EXPECT_EQ(LocText(m.Find("activities[marketing-pixel].purposes[purpose-1].lia_reference")), "65:9");
  EXPECT_EQ(LocText(m.Find("activities[marketing-pixel].retention")), "60:5");
  EXPECT_EQ(LocText(m.Find("touchpoints[meta-pixel-site].answers.necessity")), "131:18");
  EXPECT_EQ(LocText(m.Find("no-such-list[x]")), "0:0");
}

// ---- strict errors ------------------------------------------------------------------

TEST(RegisterErrors, UnknownKeyWithSuggestion) {
  auto d = Errors("blindspot_register: 1\norganisation:\n  name: X\n  contry: NL\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:3");
  EXPECT_EQ(d[0].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[0].message, "unknown key 'contry' in 'organisation'");
  EXPECT_EQ(d[0].expected, "one of name, registration, country, public_body, contact, dpo, representative");
  EXPECT_EQ(d[0].hint, "did you mean 'country'?");
  EXPECT_EQ(d[0].source_line, "  contry: NL");
  EXPECT_EQ(d[0].Format(),
            "register.yaml:4:3: error: unknown key 'contry' in 'organisation'\n"
            "    contry: NL\n"
            "    ^\n"
            "  expected: one of name, registration, country, public_body, contact, dpo, representative\n"
            "  hint: did you mean 'country'?\n");
}

TEST(RegisterErrors, WrongEnumListsAllowedValues) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    purposes:\n      - description: x\n"
      "        lawful_basis: legitimate_interest\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:7:23");
  EXPECT_EQ(d[0].message,
            "invalid value 'legitimate_interest' for 'activities[a].purposes[purpose-1].lawful_basis'");
  EXPECT_EQ(d[0].expected,
            "one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests");
  EXPECT_EQ(d[0].hint, "did you mean 'legitimate_interests'?");
}

TEST(RegisterErrors, LocalTermForAnEnumNamesTheEnglishValue) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    purposes:\n      - lawful_basis: "
      "toestemming\n"
      "      - lawful_basis: Berechtigtes Interesse\nprocessors:\n  - id: p\n    name: P\n    role: "
      "verwerker\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].hint,
            "'toestemming' is the Dutch or German term; the file uses the English value 'consent'");
  EXPECT_EQ(d[1].hint,
            "'Berechtigtes Interesse' is the Dutch or German term; the file uses the English value "
            "'legitimate_interests'");
  EXPECT_EQ(Pos(d[2]), "register.yaml:11:11");
  EXPECT_EQ(d[2].hint,
            "'verwerker' is the Dutch or German term; the file uses the English value 'processor'");
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
  EXPECT_EQ(d[0].path, "activities[web-shop].systems[1]");
  EXPECT_EQ(d[0].source_line, "    systems: [shop, shpo]");
  EXPECT_EQ(Pos(d[1]), "register.yaml:9:16");
  EXPECT_EQ(d[1].path, "systems[shop].processor");
  EXPECT_EQ(d[1].hint, "there are no processors in this register; add one under 'processors:'");
}

TEST(RegisterErrors, DanglingRecipientProcessorPointsAtTheItem) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    recipients:\n"
      "      processors: [cloud, clod]\nprocessors:\n  - id: cloud\n    name: Cloud\n");
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:6:27");
  EXPECT_EQ(d[0].message, "activity 'a' refers to unknown processor 'clod' in 'recipients'");
  EXPECT_EQ(d[0].hint, "did you mean 'cloud'?");
  EXPECT_EQ(d[0].path, "activities[a].recipients[recipient-2].processor");
}

TEST(RegisterErrors, DuplicateIdAndDuplicateKey) {
  auto d = Errors(
      "blindspot_register: 1\nprocessors:\n  - id: meta\n    name: Meta\n  - id: meta\n    name: Meta again\n"
      "    name: twice\n");
  ASSERT_EQ(d.size(), 2u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:5:9");
  EXPECT_EQ(d[0].message, "duplicate processor id 'meta'");
  EXPECT_EQ(d[0].hint, "'meta' is already the id of processor #1; rename one of them");
  EXPECT_EQ(Pos(d[1]), "register.yaml:7:5");
  EXPECT_EQ(d[1].message, "duplicate key 'name' in 'processors[meta]'");
}

// Ids are slugs (a-z, 0-9, '-', '_', '.'): the server puts them in URLs,
// where '/', '"', '<', '>', '?', '#', '%' ... cannot stand as they are.
TEST(RegisterErrors, IdsThatAreNotSlugsAreRefusedWhereTheyAre) {
  const std::string slug =
      "a slug: lower-case letters a-z, digits 0-9, '-', '_' and '.', starting with a letter or digit";
  struct Case {
    std::string id, what;
  };
  for (const Case& c : std::vector<Case>{{"a/b", "'/'"},
                                         {"x\\\"y", "'\"'"},
                                         {"<script>", "'<'"},
                                         {"q?x", "'?'"},
                                         {"h#1", "'#'"},
                                         {"p%2F", "'%'"},
                                         {"back\\\\slash", "'\\'"},
                                         {"Shop", "an upper-case letter ('S')"},
                                         {"caf\u00e9", "a character outside a-z"},
                                         {"-lead", "'-' at the start"},
                                         {"..", "'.' at the start"},
                                         {"tp two", "whitespace"}}) {
    SCOPED_TRACE(c.id);
    auto d = Errors("blindspot_register: 1\nsystems:\n  - id: ok\n    name: OK\n  - id: \"" + c.id +
                    "\"\n    name: Bad\n");
    ASSERT_EQ(d.size(), 1u) << AllText(d);
    EXPECT_EQ(Pos(d[0]), "register.yaml:5:9");
    EXPECT_EQ(d[0].kind, ErrorKind::kSchema);
    EXPECT_EQ(d[0].expected, slug);
    EXPECT_NE(d[0].message.find("contains " + c.what), std::string::npos) << d[0].message;
  }
  // Nested ids too, at their position.
  auto nested = Errors(R"(blindspot_register: 1
organisation: {name: X}
systems:
  - {id: shop, name: Shop}
activities:
  - id: web-shop
    name: Web shop
    systems: [shop]
    purposes:
      - id: "ads/1"
        description: Ads
        lawful_basis: consent
        data_uses: [marketing.advertising]
)");
  ASSERT_GE(nested.size(), 1u);
  EXPECT_EQ(nested[0].message, "purpose id 'ads/1' contains '/'") << AllText(nested);
  EXPECT_EQ(Pos(nested[0]), "register.yaml:10:13");
  EXPECT_EQ(nested[0].expected, slug);
  // What the examples use reads.
  Parse("blindspot_register: 1\nsystems:\n  - id: db.eu-1_b\n    name: OK\n  - id: 9lives\n    name: N\n");
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
      "    recipients: internal\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].message, "'activities[a].name' must be a text value, found a list");
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:11");
  EXPECT_EQ(d[1].message, "'activities[a].data_categories' must be a list, found a text value");
  EXPECT_EQ(d[1].hint, "write it as a list: `data_categories: [user.name]`");
  EXPECT_EQ(d[2].message, "'activities[a].recipients' must be a list or 'none', found 'internal'");
  EXPECT_EQ(Pos(d[2]), "register.yaml:6:17");
  d = Errors("blindspot_register: 1\norganisation:\n  dpo: J. Jansen\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:3:8");
  EXPECT_EQ(d[0].message, "'organisation.dpo' must be a contact or 'none', found 'J. Jansen'");
  EXPECT_EQ(d[0].hint, "write `dpo: none`, or the DPO's contact details on indented lines");
  d = Errors("blindspot_register: 1\norganisation:\n  contact: J. Jansen\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "'organisation.contact' must be a map, found a text value");
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
  EXPECT_EQ(d[0].message, "'nl' is not an ISO 3166-1 alpha-2 country code in 'organisation.country'");
  EXPECT_EQ(d[0].hint, "write 'NL'");
  EXPECT_EQ(d[1].hint, "did you mean 'user.contact.email'?");
  EXPECT_EQ(
      d[2].message,
      "unknown fideslang data use 'marketing.advertisment' in 'activities[a].purposes[purpose-1].data_uses'");
  EXPECT_EQ(d[2].hint, "did you mean 'marketing.advertising'?");
  EXPECT_EQ(d[3].hint, "write only the letter: 'h'");
  EXPECT_EQ(d[4].expected, "one of not_assessed, not_required, required, in_progress, completed");
  EXPECT_EQ(d[5].message, "'15-01-2024' is not a calendar date in 'activities[a].dpia.date'");
  EXPECT_EQ(d[6].kind, ErrorKind::kReference);
}

TEST(RegisterErrors, Art9ConditionHints) {
  auto d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    special_categories:\n"
      "      - condition: B\n      - condition: x\n      - condition: art9_2_c\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(d[0].hint, "write the letter in lower case: 'b'");
  EXPECT_EQ(Pos(d[0]), "register.yaml:6:20");
  EXPECT_EQ(
      d[0].message,
      "invalid Art. 9(2) condition 'B' in 'activities[a].special_categories[special-category-1].condition'");
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
  EXPECT_EQ(d[0].message, "YAML syntax error: did not find expected key (while parsing a block mapping)");
  d = Errors("blindspot_register: 1\norganisation:\n\tname: a\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].hint, "indent with spaces; YAML does not allow tabs for indentation");
  d = Errors("blindspot_register: 1\nactivities:\n  - id: a\n   name: b\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:4:4");
  EXPECT_EQ(d[0].message,
            "YAML syntax error: did not find expected '-' indicator (while parsing a block collection that "
            "starts at line 3, column 3)");
  EXPECT_EQ(d[0].source_line, "   name: b");
}

TEST(RegisterErrors, InvalidUtf8ReportsByteOffset) {
  auto d = Errors("blindspot_register: 1\norganisation:\n  name: Caf\xE9\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_TRUE(d[0].where.has_offset);
  EXPECT_EQ(d[0].where.offset, 47u);
  EXPECT_EQ(d[0].message, "the file is not UTF-8: byte 0xE9 at byte 47 (line 3, column 12)");
  EXPECT_EQ(d[0].Format().substr(0, 34), "register.yaml: byte 47: error: the");
  // Overlong encoding and a lone surrogate are rejected too.
  EXPECT_EQ(Errors("blindspot_register: 1 #\xC0\xAF\n")[0].where.offset, 23u);
  EXPECT_EQ(Errors("blindspot_register: 1 #\xED\xA0\x80\n")[0].where.offset, 23u);
}

// ---- recipients -------------------------------------------------------------------------

TEST(RegisterRecipients, ListByKindMapAndNone) {
  LoadedRegister l = Parse(R"(blindspot_register: 1
activities:
  - id: list
    name: List form
    recipients:
      - kind: internal
        name: Customer service
      - id: mailer
        kind: processor
        processor: cloud
      - kind: external
        name: Tax office
  - id: by-kind
    name: By-kind form
    recipients:
      internal: [Sales]
      processors: [cloud]
  - id: nobody
    name: No recipients
    recipients: none
  - id: unstated
    name: Recipients not stated
processors:
  - id: cloud
    name: Cloud
)");
  const auto& acts = l.reg.activities;
  ASSERT_EQ(acts.size(), 4u);
  EXPECT_EQ(acts[0].recipients,
            (std::vector<Recipient>{
                {.id = "recipient-1", .kind = RecipientKind::kInternal, .name = "Customer service"},
                {.id = "mailer", .kind = RecipientKind::kProcessor, .processor = "cloud"},
                {.id = "recipient-3", .kind = RecipientKind::kExternal, .name = "Tax office"},
            }));
  EXPECT_FALSE(acts[0].no_recipients);
  EXPECT_EQ(acts[1].recipients,
            (std::vector<Recipient>{
                {.id = "recipient-1", .kind = RecipientKind::kInternal, .name = "Sales"},
                {.id = "recipient-2", .kind = RecipientKind::kProcessor, .processor = "cloud"},
            }));
  EXPECT_TRUE(acts[2].recipients.empty());
  EXPECT_TRUE(acts[2].no_recipients);
  EXPECT_TRUE(acts[3].recipients.empty());
  EXPECT_FALSE(acts[3].no_recipients);  // not stated is not the same as none
  EXPECT_EQ(LocText(l.map.Find("activities[list].recipients[mailer].processor")), "10:20");
  EXPECT_EQ(LocText(l.map.Find("activities[by-kind].recipients[recipient-1]")), "16:18");

  // Written back in the list form (`none` stays `none`) and read again unchanged.
  std::string yaml = WriteRegisterYaml(l.reg);
  EXPECT_NE(yaml.find("recipients: none"), std::string::npos) << yaml;
  auto back = ParseRegisterText(yaml, "register.yaml");
  ASSERT_TRUE(back.has_value()) << AllText(back.error()) << yaml;
  EXPECT_EQ(back->reg, l.reg) << yaml;
  auto json = ParseRegisterText(WriteRegisterJson(l.reg), "register.yaml");
  ASSERT_TRUE(json.has_value()) << AllText(json.error());
  EXPECT_EQ(json->reg, l.reg);
}

TEST(RegisterRecipients, Errors) {
  auto d = Errors(R"(blindspot_register: 1
activities:
  - id: a
    name: A
    recipients:
      - name: no kind
      - kind: processors
        name: plural kind
      - kind: processor
      - kind: internal
      - kind: external
        name: ok
)");
  std::vector<std::string> msgs;
  for (const auto& e : d) msgs.push_back(Pos(e) + " " + e.message);
  EXPECT_EQ(
      msgs,
      (std::vector<std::string>{
          "register.yaml:6:9 'activities[a].recipients[recipient-1]' has no kind",
          "register.yaml:7:15 invalid value 'processors' for 'activities[a].recipients[recipient-2].kind'",
          "register.yaml:9:9 'activities[a].recipients[recipient-3]' is a processor recipient without "
          "'processor'",
          "register.yaml:10:9 'activities[a].recipients[recipient-4]' has no name",
      }));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].expected, "one of internal, external, processor");
  EXPECT_EQ(d[1].hint, "did you mean 'processor'?");
  d = Errors(
      "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    recipients:\n      public: [x]\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "unknown key 'public' in 'activities[a].recipients'");
  EXPECT_EQ(d[0].expected, "one of internal, external, processors");
}

// ---- organisation ------------------------------------------------------------------------

TEST(RegisterOrganisation, DpoNone) {
  LoadedRegister l = Parse("blindspot_register: 1\norganisation:\n  name: Small B.V.\n  dpo: none\n");
  EXPECT_TRUE(l.reg.organisation.no_dpo);
  EXPECT_TRUE(l.reg.organisation.dpo.empty());
  EXPECT_EQ(LocText(l.map.Find("organisation.dpo")), "4:8");
  std::string yaml = WriteRegisterYaml(l.reg);
  EXPECT_NE(yaml.find("dpo: none"), std::string::npos) << yaml;
  auto back = ParseRegisterText(yaml, "register.yaml");
  ASSERT_TRUE(back.has_value()) << AllText(back.error());
  EXPECT_EQ(back->reg, l.reg);
  auto json = ParseRegisterText(WriteRegisterJson(l.reg), "register.yaml");
  ASSERT_TRUE(json.has_value()) << AllText(json.error());
  EXPECT_TRUE(json->reg.organisation.no_dpo);
  // A DPO whose name is "none" is a contact, written quoted, and stays one.
  Register r;
  r.version = "1";
  r.organisation.dpo.name = "none";
  auto named = ParseRegisterText(WriteRegisterYaml(r), "register.yaml");
  ASSERT_TRUE(named.has_value()) << AllText(named.error());
  EXPECT_FALSE(named->reg.organisation.no_dpo);
  EXPECT_EQ(named->reg.organisation.dpo.name, "none");
}

// ---- values: dates, countries, vocabularies ------------------------------------------------

TEST(RegisterValues, CalendarDates) {
  auto d = Errors(
      "blindspot_register: 1\nprocessors:\n  - id: p\n    name: P\n    agreement:\n      status: signed\n"
      "      date: 2023-02-29\n");
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:7:13");
  EXPECT_EQ(d[0].message, "'2023-02-29' is not a calendar date in 'processors[p].agreement.date'");
  LoadedRegister ok = Parse(
      "blindspot_register: 1\nprocessors:\n  - id: p\n    name: P\n    agreement:\n      status: signed\n"
      "      date: 2024-02-29\n");
  EXPECT_EQ(ok.reg.processors.at(0).agreement.date, "2024-02-29");
  d = Errors(
      "blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    answers:\n      in_use_since: "
      "2024-13\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "'2024-13' is not a calendar date in 'touchpoints[t].answers.in_use_since'");
}

TEST(RegisterValues, IsoCountryCodesWithHints) {
  auto d = Errors(
      "blindspot_register: 1\nprocessors:\n  - id: p\n    name: P\n    country: UK\n"
      "    sub_processors:\n      - name: S\n        country: EL\nsystems:\n  - id: s\n    name: S\n"
      "    country: Germany\n");
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  EXPECT_EQ(Pos(d[0]), "register.yaml:5:14");
  EXPECT_EQ(d[0].message, "'UK' is not an ISO 3166-1 alpha-2 country code in 'processors[p].country'");
  EXPECT_EQ(d[0].hint, "the ISO code of the United Kingdom is 'GB'");
  EXPECT_EQ(Pos(d[1]), "register.yaml:8:18");
  EXPECT_NE(d[1].hint.find("'GR'"), std::string::npos) << d[1].hint;
  EXPECT_EQ(d[2].message, "'Germany' is not an ISO 3166-1 alpha-2 country code in 'systems[s].country'");
  // EL is the EU's code for Greece: an EEA country for the audit, but not an ISO code in a register.
  EXPECT_TRUE(IsEeaCountry("EL"));
}

TEST(RegisterValues, UnknownProductIdIsAWarningAtItsValue) {
  const std::string text =
      "blindspot_register: 1\ntouchpoints:\n  - id: wa\n    name: WhatsApp button\n"
      "    product: whatsapp-chat\n  - id: pixel\n    name: Pixel\n    product: meta-pixel\n";
  RegisterReadOptions opts;
  std::vector<std::string> ids = {"meta-pixel", "whatsapp-click-to-chat"};
  opts.kb_ids.assign(ids.begin(), ids.end());
  LoadedRegister l = Parse(text, "register.yaml", opts);
  ASSERT_EQ(l.reg.touchpoints.size(), 2u);
  ASSERT_EQ(l.warnings.size(), 1u);
  const Error& w = l.warnings[0];
  EXPECT_TRUE(w.warning);
  EXPECT_EQ(Pos(w), "register.yaml:5:14");
  EXPECT_EQ(w.Format(),
            "register.yaml:5:14: warning: touchpoint 'wa' names product 'whatsapp-chat', which the knowledge "
            "base does not have; the audit cannot match it with the traffic\n"
            "      product: whatsapp-chat\n"
            "               ^\n"
            "  expected: a knowledge-base product id; `blindspot kb` lists them\n"
            "  hint: did you mean 'whatsapp-click-to-chat'?\n");
  // The same in JSON; without kb ids there is no such check.
  LoadedRegister j = Parse(
      "{\"blindspot_register\": 1,\n \"touchpoints\": [{\"id\": \"wa\", \"name\": \"W\",\n"
      "   \"product\": \"whatsapp-chat\"}]}\n",
      "register.json", opts);
  ASSERT_EQ(j.warnings.size(), 1u);
  EXPECT_EQ(Pos(j.warnings[0]), "register.json:3:15");
  EXPECT_TRUE(Parse(text).warnings.empty());
  // A warning does not hide an error, nor an error a warning's file.
  auto bad = ParseRegisterText(text + "    vendor: nobody\n", "register.yaml", opts);
  ASSERT_FALSE(bad.has_value());
  ASSERT_EQ(bad.error().size(), 1u);
  EXPECT_FALSE(bad.error()[0].warning);
}

TEST(RegisterValues, FutureAgreementDateIsAWarningNotAnError) {
  const char* text =
      "blindspot_register: 1\nprocessors:\n  - id: p\n    name: P\n    agreement:\n      status: signed\n"
      "      date: 2027-03-01\n";
  RegisterReadOptions opts;
  opts.today = "2026-12-02";
  LoadedRegister l = Parse(text, "register.yaml", opts);
  EXPECT_EQ(l.reg.processors.at(0).agreement.date, "2027-03-01");
  ASSERT_EQ(l.warnings.size(), 1u);
  const Error& w = l.warnings[0];
  EXPECT_TRUE(w.warning);
  EXPECT_EQ(Pos(w), "register.yaml:7:13");
  EXPECT_EQ(w.message,
            "the agreement of 'p' is dated 2027-03-01, which is in the future (today is 2026-12-02)");
  EXPECT_EQ(w.Format().rfind("register.yaml:7:13: warning: ", 0), 0u) << w.Format();
  // Today and the past are fine; without a date for today there is no such check.
  opts.today = "2027-03-01";
  EXPECT_TRUE(Parse(text, "register.yaml", opts).warnings.empty());
  EXPECT_TRUE(Parse(text).warnings.empty());
  // A warning does not hide an error elsewhere.
  opts.today = "2026-12-02";
  auto bad = ParseRegisterText(std::string(text) + "    country: UK\n", "register.yaml", opts);
  ASSERT_FALSE(bad.has_value());
  ASSERT_EQ(bad.error().size(), 1u);
  EXPECT_FALSE(bad.error()[0].warning);
}

TEST(RegisterValues, TouchpointChannelIsAVocabularyValue) {
  LoadedRegister ok =
      Parse("blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    channel: web-tracking\n");
  EXPECT_EQ(ok.reg.touchpoints.at(0).channel, "web-tracking");
  auto d = Errors("blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    channel: web-trackng\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "register.yaml:5:14");
  EXPECT_EQ(d[0].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[0].message, "invalid value 'web-trackng' for 'touchpoints[t].channel'");
  EXPECT_EQ(
      d[0].expected,
      "one of web-tracking, advertising, messaging, chat, phone, email, video, reviews, feedback, social, "
      "web-resources");
  EXPECT_EQ(d[0].hint, "did you mean 'web-tracking'?");
  // The channels of the old free-text examples are not values any more.
  d = Errors("blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    channel: web-pixel\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "invalid value 'web-pixel' for 'touchpoints[t].channel'");
}

// ---- UTF-8, JSON, input kinds ----------------------------------------------------------------

TEST(RegisterParse, Utf8AndBomAccepted) {
  LoadedRegister r = Parse(
      "\xEF\xBB\xBF"
      "blindspot_register: 1\norganisation:\n  name: Café Ûber 日本\n",
      "bom.yaml");
  EXPECT_EQ(r.reg.organisation.name, "Café Ûber 日本");
}

TEST(RegisterParse, JsonVariant) {
  const char* json = R"({
	"blindspot_register": 1,
	"activities": [
		{"id": "a", "name": "A", "data_categories": ["user.name"], "systems": ["s"],
		 "purposes": [{"description": "p", "lawful_basis": "consent"}]}
	],
	"systems": [{"id": "s", "name": "S", "country": "DE"}],
	"touchpoints": [{"id": "t", "name": "T", "channel": "chat", "activities": ["a"], "answers": {"in_use": true}}]
})";
  LoadedRegister r = Parse(json, "register.json");
  EXPECT_EQ(r.reg.activities[0].purposes[0].lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(r.reg.activities[0].purposes[0].id, "purpose-1");
  EXPECT_EQ(r.reg.systems[0].country, "DE");
  EXPECT_EQ(r.reg.touchpoints[0].answers.in_use, true);
  EXPECT_EQ(LocText(r.map.Find("activities[a].purposes[purpose-1].lawful_basis")), "5:54");
  auto d = Errors(R"({"blindspot_register": 1, "systems": [{"id": "s", "name": "S", "procesor": "x"}]})",
                  "r.json");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(Pos(d[0]), "r.json:1:64");
  EXPECT_EQ(d[0].hint, "did you mean 'processor'?");
}

TEST(RegisterWrite, RoundTripFullExample) {
  LoadedRegister r = Parse(kFullText, "full.yaml");
  std::string yaml = WriteRegisterYaml(r.reg);
  auto again = ParseRegisterText(yaml, "full.yaml");
  ASSERT_TRUE(again.has_value()) << AllText(again.error()) << yaml;
  EXPECT_EQ(again->reg, r.reg) << yaml;
  EXPECT_EQ(WriteRegisterYaml(again->reg), yaml);  // writing is deterministic

  std::string json = WriteRegisterJson(r.reg);
  EXPECT_TRUE(nlohmann::json::accept(json)) << json;
  auto from_json = ParseRegisterText(json, "full.yaml");
  ASSERT_TRUE(from_json.has_value()) << AllText(from_json.error()) << json;
  EXPECT_EQ(from_json->reg, r.reg) << json;
  EXPECT_EQ(WriteRegisterJson(from_json->reg), json);
}

// Issue 10: what an import could not map is kept in `notes`, read, written
// and read back in YAML and JSON; a note that is not text is an error.
TEST(RegisterWrite, NotesRoundTrip) {
  const char* text = R"(blindspot_register: 1
organisation: {name: Acme}
activities:
  - id: crm
    name: Customer records
    notes: ["Bewaartermijn: tot einde relatie + 2 jaar", "Column 'Opmerking': zie bijlage"]
)";
  LoadedRegister r = Parse(text, "notes.yaml");
  ASSERT_EQ(r.reg.activities[0].notes.size(), 2u);
  EXPECT_EQ(r.reg.activities[0].notes[0], "Bewaartermijn: tot einde relatie + 2 jaar");
  ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r.reg, "notes.yaml"));
  std::string all = AllText(Errors(
      "blindspot_register: 1\norganisation: {name: Acme}\nactivities:\n  - id: crm\n    name: C\n    notes: "
      "{a: 1}\n",
      "bad.yaml"));
  EXPECT_NE(all.find("bad.yaml:6:"), std::string::npos) << all;
}

// Issue 8: criminal_data (Art. 10), national_id (UAVG art. 46), a transfer's
// tia and the privacy_shield value are read, written and read back.
TEST(RegisterWrite, CriminalDataNationalIdAndTiaRoundTrip) {
  const char* text = R"(blindspot_register: 1
activities:
  - id: hr
    name: HR
    data_categories: [user.criminal_history]
    criminal_data:
      basis: UAVG art. 33 lid 2 onder a
      justification: screening
    national_id: {law: "Wet op de loonbelasting 1964"}
    transfers:
      - id: t1
        country: US
        safeguard: sccs
        tia: {date: "2025-06-01", reference: TIA-7}
      - id: t2
        country: US
        safeguard: privacy_shield
  - id: vog
    name: VOG
    criminal_data:
    national_id: {}
)";
  LoadedRegister r = Parse(text, "hr.yaml");
  const ProcessingActivity& hr = r.reg.activities[0];
  ASSERT_TRUE(hr.criminal_data.has_value());
  EXPECT_EQ(hr.criminal_data->basis, "UAVG art. 33 lid 2 onder a");
  EXPECT_EQ(hr.criminal_data->justification, "screening");
  ASSERT_TRUE(hr.national_id.has_value());
  EXPECT_EQ(hr.national_id->law, "Wet op de loonbelasting 1964");
  EXPECT_EQ(hr.transfers[0].tia.date, "2025-06-01");
  EXPECT_EQ(hr.transfers[0].tia.reference, "TIA-7");
  EXPECT_EQ(hr.transfers[1].safeguard, TransferSafeguard::kPrivacyShield);
  EXPECT_TRUE(hr.transfers[1].tia.empty());
  // Empty blocks say "we process it" without a basis or law.
  const ProcessingActivity& vog = r.reg.activities[1];
  ASSERT_TRUE(vog.criminal_data.has_value());
  EXPECT_TRUE(vog.criminal_data->basis.empty());
  ASSERT_TRUE(vog.national_id.has_value());
  EXPECT_TRUE(vog.national_id->law.empty());

  ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r.reg, "hr.yaml"));
  // A misspelt key inside the new blocks is an error with its position.
  std::string all =
      AllText(Errors("blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n"
                     "    criminal_data: {basis: x, bases: y}\n",
                     "bad.yaml"));
  EXPECT_NE(all.find("bad.yaml:5:"), std::string::npos) << all;
}

TEST(RegisterWrite, DpfListingRoundTripAndErrors) {
  const char* text = R"(blindspot_register: 1
processors:
  - id: crm
    name: CRM Cloud Inc.
    country: US
    transfer_safeguard: data_privacy_framework
    dpf_listing: {listed: true, checked: "2026-02-01", reference: "https://www.dataprivacyframework.gov/list"}
  - id: mail
    name: Mail Inc.
    country: US
    transfer_safeguard: data_privacy_framework
    dpf_listing:
      listed: false
)";
  LoadedRegister r = Parse(text, "dpf.yaml");
  ASSERT_EQ(r.reg.processors.size(), 2u);
  EXPECT_EQ(r.reg.processors[0].dpf_listing.listed, std::optional<bool>(true));
  EXPECT_EQ(r.reg.processors[0].dpf_listing.checked, "2026-02-01");
  EXPECT_EQ(r.reg.processors[0].dpf_listing.reference, "https://www.dataprivacyframework.gov/list");
  EXPECT_EQ(r.reg.processors[1].dpf_listing.listed, std::optional<bool>(false));
  EXPECT_TRUE(r.reg.processors[1].dpf_listing.checked.empty());
  ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r.reg, "dpf.yaml"));
  // Not a yes/no, an impossible date, a misspelt key: each with its position.
  std::string all =
      AllText(Errors("blindspot_register: 1\nprocessors:\n  - id: a\n    name: A\n"
                     "    dpf_listing: {listed: maybe, checked: 2023-02-30, refrence: x}\n",
                     "bad.yaml"));
  EXPECT_NE(all.find("bad.yaml:5:"), std::string::npos) << all;
  EXPECT_NE(all.find("listed"), std::string::npos) << all;
  EXPECT_NE(all.find("2023-02-30"), std::string::npos) << all;
  EXPECT_NE(all.find("refrence"), std::string::npos) << all;
}

TEST(RegisterWrite, AgreementExpiryRoundTripAndErrors) {
  const char* text = R"(blindspot_register: 1
processors:
  - id: hotjar
    name: Hotjar
    agreement: {status: signed, date: "2024-07-01", expires: "2026-06-30", reference: "DPA"}
  - id: mollie
    name: Mollie
    agreement: {status: signed}
)";
  LoadedRegister r = Parse(text, "agreements.yaml");
  ASSERT_EQ(r.reg.processors.size(), 2u);
  EXPECT_EQ(r.reg.processors[0].agreement.expires, "2026-06-30");
  EXPECT_TRUE(r.reg.processors[1].agreement.expires.empty());
  ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r.reg, "agreements.yaml", "2026-06-30"));
  std::string all = AllText(Errors(
      "blindspot_register: 1\nprocessors:\n  - id: a\n    name: A\n    agreement: {status: signed, expires: "
      "2026-02-30}\n",
      "bad.yaml"));
  EXPECT_NE(all.find("bad.yaml:5:"), std::string::npos) << all;
  EXPECT_NE(all.find("2026-02-30"), std::string::npos) << all;
}

TEST(RegisterWrite, PublicBodyAndLargeScaleRoundTrip) {
  const char* text = R"(blindspot_register: 1
organisation:
  name: Gemeente Voorbeeld
  public_body: true
activities:
  - id: benefits
    name: Benefits
    large_scale: true
  - id: library
    name: Library
    large_scale: false
)";
  LoadedRegister r = Parse(text, "gemeente.yaml");
  EXPECT_TRUE(r.reg.organisation.public_body);
  EXPECT_TRUE(r.reg.activities[0].large_scale);
  EXPECT_FALSE(r.reg.activities[1].large_scale);
  ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r.reg, "gemeente.yaml", "public_body"));
  // Not a yes/no: an error at its position.
  std::string all =
      AllText(Errors("blindspot_register: 1\norganisation:\n  public_body: sometimes\n", "bad.yaml"));
  EXPECT_NE(all.find("bad.yaml:3:"), std::string::npos) << all;
}

Register TrickyRegister() {
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
  ProcessingActivity a{.id = "1.0", .name = "- dash"};  // an id YAML would read as a number
  a.data_subjects = {"true", "~", "[x]", "Café", "none"};
  a.purposes.push_back(
      {.id = "purpose-1", .description = "{braces}", .lawful_basis = LawfulBasis::kPublicTask});
  a.special_categories.push_back({.id = "special-category-1", .category = "user.health", .condition = 'j'});
  a.recipients.push_back({.id = "no", .kind = RecipientKind::kExternal, .name = "off"});
  a.dpia.status = DpiaStatus::kRequired;
  r.activities.push_back(a);
  Processor p{.id = "p", .name = "P", .role = VendorRole::kIndependentController};
  p.agreement.status = AgreementStatus::kNotRequired;
  r.processors.push_back(p);
  Touchpoint t{.id = "t", .name = "T"};
  t.answers.stored_by_us = false;
  t.answers.lawful_basis = LawfulBasis::kVitalInterests;
  r.touchpoints.push_back(t);
  return r;
}

TEST(RegisterWrite, RoundTripTrickyStrings) { ExpectYamlAndJsonRoundTrip(TrickyRegister(), "x.yaml"); }

// Found by import_fuzz (docs/fuzzing.md): a spreadsheet cell with a control
// character, DEL or a Unicode line separator imported fine, but the register
// written from it could not be read back (libyaml refuses control characters
// and DEL in a stream and reads U+2028 as a line break; yaml-cpp and
// nlohmann::json wrote them raw).
TEST(RegisterWrite, ControlCharactersAndLineSeparatorsRoundTrip) {
  for (std::string text : {std::string("Sal\x01"
                                       "aris"),
                           std::string("Betalen\x7F"), std::string("x\xE2\x80\xA8y"),
                           std::string("x\xE2\x80\xA9y \xC3\xA9t\xC3\xA9"), std::string("next\xC2\x85line"),
                           std::string("tab\there\r\nand\xEF\xBB\xBF")}) {
    Register r = TrickyRegister();
    r.activities[0].name = text;
    r.activities[0].notes = {text};
    r.organisation.name = text;
    ASSERT_NO_FATAL_FAILURE(ExpectYamlAndJsonRoundTrip(r, "x.yaml"));
  }
  // Text without such characters stays readable: accents are not escaped.
  Register r = TrickyRegister();
  r.organisation.name = "Caf\xC3\xA9 \xE2\x82\xAC";
  EXPECT_NE(WriteRegisterYaml(r).find("Caf\xC3\xA9 \xE2\x82\xAC"), std::string::npos);
  EXPECT_NE(WriteRegisterJson(r).find("Caf\xC3\xA9 \xE2\x82\xAC"), std::string::npos);
}

// Found by fuzzing (docs/fuzzing.md): yaml-cpp 0.7 writes every Unicode
// non-character (U+FDD0..U+FDEF, U+FFFE, U+FFFF and the last two of every
// plane) as U+FFFD in quotes, so such text did not read back equal from YAML.
// The writer now writes it double-quoted with its own escapes.
TEST(RegisterWrite, NoncharactersRoundTripExactly) {
  Register r = TrickyRegister();
  r.organisation.name = "\xEF\xBF\xBE";                            // U+FFFE alone
  r.activities[0].name = "Caf\xC3\xA9 \"x\" \\ \xEF\xBF\xBF end";  // U+FFFF among quotes, backslash, é
  r.activities[0].notes = {"no", "\xEF\xB7\x90\xEF\xB7\xAF",       // U+FDD0 U+FDEF
                           "plane 1 \xF0\x9F\xBF\xBE, last \xF4\x8F\xBF\xBF",  // U+1FFFE, U+10FFFF
                           "- looks like a list: \xEF\xBF\xBE\n\ttab \xE2\x80\xA8", "plain"};
  r.processors[0].name = "P \xEF\xBF\xBF";
  std::string yaml = WriteRegisterYaml(r);
  EXPECT_NE(yaml.find("name: \"\\ufffe\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\"Caf\\u00e9 \\\"x\\\" \\\\ \\uffff end\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\"plane 1 \\U0001fffe, last \\U0010ffff\""), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("\xEF\xBF\xBD"), std::string::npos) << "no U+FFFD: " << yaml;
  ExpectYamlAndJsonRoundTrip(r, "x.yaml");
  // The same text without a non-character is written as before.
  r = TrickyRegister();
  r.activities[0].notes = {"no", "Caf\xC3\xA9"};
  EXPECT_NE(WriteRegisterYaml(r).find("- \"no\"\n"), std::string::npos);
  EXPECT_NE(WriteRegisterYaml(r).find("- Caf\xC3\xA9\n"), std::string::npos);
}

// Customer contact off the website (BS049-BS053) and the Dutch analytics
// exemption (BS054): read with positions, written and read back as YAML and JSON.
TEST(RegisterWrite, ContactAndAnalyticsExemptionRoundTrip) {
  const char* text = R"(blindspot_register: 1
processors:
  - id: bsp
    name: Berichten BV
touchpoints:
  - id: wa
    name: WhatsApp
    contact:
      whatsapp: {app: business_platform, provider: bsp, staff_own_phones: false, contact_upload: false}
      call_recording:
        recorded: true
        announced: false
        scope: sample
        retention_days: 30
        purpose: training
      chat_transcripts: {stored: true, reused_in_crm: true, retention_days: 90}
      email_tracking: {open_tracking: true, click_tracking: false, per_recipient: true, consent: false}
    analytics_exemption: {processor_agreement: true, ip_masked: false, informed: true, cookieless: true}
)";
  LoadedRegister r = Parse(text, "contact.yaml");
  const Touchpoint& t = r.reg.touchpoints[0];
  EXPECT_EQ(t.contact.whatsapp.app, "business_platform");
  EXPECT_EQ(t.contact.whatsapp.provider, "bsp");
  EXPECT_EQ(t.contact.whatsapp.contact_upload, false);
  EXPECT_EQ(t.contact.call_recording.recorded, true);
  EXPECT_EQ(t.contact.call_recording.announced, false);
  EXPECT_EQ(t.contact.call_recording.scope, "sample");
  EXPECT_EQ(t.contact.call_recording.retention_days, 30);
  EXPECT_EQ(t.contact.call_recording.purpose, "training");
  EXPECT_EQ(t.contact.chat_transcripts.reused_in_crm, true);
  EXPECT_EQ(t.contact.chat_transcripts.retention_days, 90);
  EXPECT_EQ(t.contact.email_tracking.per_recipient, true);
  EXPECT_EQ(t.contact.email_tracking.click_tracking, false);
  EXPECT_EQ(t.analytics_exemption.processor_agreement, true);
  EXPECT_EQ(t.analytics_exemption.ip_masked, false);
  EXPECT_FALSE(t.analytics_exemption.no_sharing.has_value());
  EXPECT_EQ(t.analytics_exemption.cookieless, true);
  EXPECT_EQ(LocText(r.map.Find("touchpoints[wa].contact.call_recording.announced")), "12:20");
  EXPECT_EQ(LocText(r.map.Find("touchpoints[wa].contact.whatsapp.provider")), "9:52");
  EXPECT_EQ(LocText(r.map.Find("touchpoints[wa].analytics_exemption.ip_masked")), "18:65");

  std::string yaml = WriteRegisterYaml(r.reg);
  auto again = ParseRegisterText(yaml, "contact.yaml");
  ASSERT_TRUE(again.has_value()) << AllText(again.error()) << yaml;
  EXPECT_EQ(again->reg, r.reg) << yaml;
  EXPECT_NE(yaml.find("retention_days: 30"), std::string::npos) << yaml;
  std::string json = WriteRegisterJson(r.reg);
  auto from_json = ParseRegisterText(json, "contact.yaml");
  ASSERT_TRUE(from_json.has_value()) << AllText(from_json.error()) << json;
  EXPECT_EQ(from_json->reg, r.reg) << json;
  EXPECT_NE(json.find("\"retention_days\": 30"), std::string::npos) << json;
  EXPECT_TRUE(Parse("blindspot_register: 1\n", "min.yaml").reg.touchpoints.empty());
}

// A draft the server made from an audit's blind spot keeps what was seen
// (Touchpoint::discovered) through YAML and JSON; its suggested answers are
// not answers.
TEST(RegisterWrite, DiscoveredRoundTrip) {
  const char* text = R"(blindspot_register: 1
touchpoints:
  - id: twilio-sendgrid
    name: Twilio SendGrid
    channel: email
    product: twilio-sendgrid
    discovered:
      audit: aud_0123456789abcdef
      date: 2026-12-05
      proof: sending-now
      first_date: 2026-12-01
      last_date: 2026-12-01
      seen:
        - {kind: mail-sent, what: fietshuis-zonnepad.nl, detail: "DKIM s1 pass", proof: sending-now,
           first_date: 2026-12-01, last_date: 2026-12-01, count: 341, source: "dmarc.xml, record 2"}
        - {kind: dkim-key, what: s1._domainkey.fietshuis-zonnepad.nl, proof: configured, source: "zone, line 25"}
      suggested: {in_use: true, in_use_since: 2026-12-01, data_collected: [user.contact.email]}
)";
  LoadedRegister r = Parse(text, "drafts.yaml");
  const Touchpoint& t = r.reg.touchpoints[0];
  EXPECT_TRUE(t.answers.empty());
  EXPECT_EQ(t.discovered.audit, "aud_0123456789abcdef");
  EXPECT_EQ(t.discovered.proof, "sending-now");
  ASSERT_EQ(t.discovered.seen.size(), 2u);
  EXPECT_EQ(t.discovered.seen[0].count, 341);
  EXPECT_EQ(t.discovered.seen[1].kind, "dkim-key");
  EXPECT_EQ(t.discovered.suggested.in_use, true);
  EXPECT_EQ(t.discovered.suggested.data_collected, std::vector<std::string>{"user.contact.email"});
  for (const std::string& out : {WriteRegisterYaml(r.reg), WriteRegisterJson(r.reg)}) {
    auto again = ParseRegisterText(out, "drafts.yaml");
    ASSERT_TRUE(again.has_value()) << AllText(again.error()) << out;
    EXPECT_EQ(again->reg, r.reg) << out;
  }
  // A count that is no number is placed.
  auto bad = ParseRegisterText(
      "blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    discovered:\n      seen:\n"
      "        - {kind: mx, count: many}\n",
      "drafts.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(AllText(bad.error()).find("must be a whole number"), std::string::npos) << AllText(bad.error());
  EXPECT_EQ(bad.error().front().where.line, 7u);
}

TEST(RegisterErrors, ContactValuesAreCheckedWithTheirPosition) {
  auto r = ParseRegisterText(
      "blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    contact:\n      whatsapp: {app: "
      "personal, provider: nobody}\n      call_recording: {retention_days: 1 year}\n      fax: {}\n",
      "contact.yaml");
  ASSERT_FALSE(r.has_value());
  std::string all = AllText(r.error());
  // The app (line 6), the provider that is no processor (line 6), the days (line 7), the unknown key (line
  // 8).
  ASSERT_EQ(r.error().size(), 4u) << all;
  EXPECT_EQ(r.error()[0].where.line, 6u);
  EXPECT_NE(all.find("business_platform"), std::string::npos) << all;
  EXPECT_NE(
      all.find("7:40: error: 'touchpoints[t].contact.call_recording.retention_days' must be a whole number"),
      std::string::npos)
      << all;
  EXPECT_EQ(r.error()[3].where.line, 8u) << all;  // unknown key
  // A provider that is no processor is a reference error at its value.
  auto ref = ParseRegisterText(
      "blindspot_register: 1\ntouchpoints:\n  - id: t\n    name: T\n    contact:\n      whatsapp: {provider: "
      "nobody}\n",
      "contact.yaml");
  ASSERT_FALSE(ref.has_value());
  EXPECT_EQ(ref.error()[0].path, "touchpoints[t].contact.whatsapp.provider");
  EXPECT_EQ(ref.error()[0].where.line, 6u) << AllText(ref.error());
}

// ---- docs and schema --------------------------------------------------------------------------

// docs/formats/register.schema.json must list exactly the keys the parser accepts.
TEST(RegisterSchema, JsonSchemaMatchesParserKeys) {
  std::string text = Slurp(std::string(BLINDSPOT_SOURCE_DIR) + "/docs/formats/register.schema.json");
  ASSERT_FALSE(text.empty());
  nlohmann::json schema = nlohmann::json::parse(text);
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  for (const auto& obj : register_schema::AllObjects()) {
    SCOPED_TRACE(std::string(obj.object));
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

TEST(RegisterInputKinds, ZipDeepNestingAndListsGetClearMessages) {
  auto zip = ParseRegisterText(std::string("PK\x03\x04\x14\x00", 6), "datamap.xlsx");
  ASSERT_FALSE(zip.has_value());
  EXPECT_EQ(zip.error()[0].message.rfind("this is a ZIP archive", 0), 0u) << zip.error()[0].message;
  EXPECT_EQ(zip.error()[0].expected, "a YAML or JSON register (docs/formats/register.md)");
  std::string deep = "blindspot_register: 1\nactivities: " + std::string(100, '[');
  auto d = ParseRegisterText(deep, "deep.yaml");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error()[0].message, "nesting deeper than 64 levels of '[' or '{'");
  EXPECT_EQ(d.error()[0].where.line, 2u);
  EXPECT_EQ(d.error()[0].where.column, 13u + 64u);
  auto utf16 = ParseRegisterText(std::string("\xFF\xFE"
                                             "b\0l\0",
                                             6),
                                 "utf16.yaml");
  ASSERT_FALSE(utf16.has_value());
  EXPECT_EQ(utf16.error()[0].message, "the file is UTF-16 encoded, not UTF-8");
  auto pdf = ParseRegisterText("%PDF-1.4\n", "register.pdf");
  ASSERT_FALSE(pdf.has_value());
  EXPECT_EQ(pdf.error()[0].message, "this is a PDF document, not a text file");
  auto list = ParseRegisterText("[{\"name\": \"x\"}]", "export.json");
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error()[0].message, "the register must be a map, found a list");
}

TEST(RegisterInputKinds, JsonEmojiEscapesAndControlCharacters) {
  std::string json =
      "{\"blindspot_register\": 1, \"organisation\": {\"name\": \"Bakkerij \\ud83c\\udf5e B.V.\"}}";
  auto ok = ParseRegisterText(json, "emoji.json");
  ASSERT_TRUE(ok.has_value()) << ok.error()[0].Format();
  EXPECT_EQ(ok->reg.organisation.name, "Bakkerij \xF0\x9F\x8D\x9E B.V.");
  std::string nul = "{\"blindspot_register\": 1, \"organisation\": {\"name\": \"web\\u0000shop\"}}";
  auto bad = ParseRegisterText(nul, "nul.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error()[0].message, "'organisation.name' contains the control character 0x00");
  EXPECT_EQ(bad.error()[0].where.line, 1u);
}

TEST(ParseAnyRegister, NativeOrSniffedImporter) {
  auto native = ParseAnyRegister(kFullText, "full.yaml");
  ASSERT_TRUE(native.has_value()) << AllText(native.error());
  EXPECT_EQ(native->reg.activities.size(), 2u);
  auto fides = ParseAnyRegister("system:\n  - fides_key: app\n    name: App\n", "fides.yml");
  ASSERT_TRUE(fides.has_value()) << AllText(fides.error());
  ASSERT_EQ(fides->reg.systems.size(), 1u);
  EXPECT_EQ(fides->reg.systems[0].id, "app");
  auto neither = ParseAnyRegister("dataset:\n  - fides_key: x\n", "x.yaml");
  ASSERT_FALSE(neither.has_value());
  EXPECT_EQ(neither.error()[0].message, "unknown key 'dataset' in 'register'");
}

}  // namespace
}  // namespace blindspot

// The open Dutch privacy-register standard's JSON importer. The standard
// publishes field names and an example schema, not example files
// (../shared/realdata/register/Technical_specifications_EN.md), so the inputs
// here are written from that text, with the option texts of its lawful-basis
// dropdown verbatim; the expected values were written by hand before running.
#include <gtest/gtest.h>

#include <algorithm>

#include "blindspot/env.h"
#include "blindspot/io.h"
#include "blindspot_testing/realdata.h"
#include "io/importers.h"

namespace blindspot {
namespace {

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

std::expected<LoadedRegister, Diagnostics> Import(std::string_view text) {
  const Importer* imp = FindImporter("privacyregister");
  EXPECT_NE(imp, nullptr);
  return imp->import(text, "register.json", RegisterReadOptions{});
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

constexpr std::string_view kRegister = R"json({
  "Organisation": {
    "id": 7,
    "name": "Huisartsenpraktijk De Linde",
    "contactPerson": "J. de Vries",
    "chamberOfCommerceNo": 12345678,
    "postalAddress": {"streetAddress": "Lindelaan 4", "postalCode": "1234 AB"},
    "phoneNumber": 201234567,
    "emailAddress": "info@delinde.example",
    "dpoName": "M. Jansen",
    "dpoEmailAddress": "fg@delinde.example",
    "processingActivitiesAsController": [
      {
        "id": 1,
        "namePA": "Patientendossier",
        "departmentPA": ["Praktijk"],
        "purposePA": ["Medische behandeling", "Declaratie bij de zorgverzekeraar"],
        "categoriesOfDataSubjects": ["Patienten"],
        "categoriesOfPersonalData": [
          {"name": "NAW-gegevens", "special": false,
           "legalGround": "Necessary for compliance with a legal obligation(art. 6.1 (c) GDPR)"},
          {"name": "BSN", "special": false,
           "legalGround": "Necessary for compliance with a legal obligation(art. 6.1 (c) GDPR)"},
          {"name": "Medische gegevens", "special": true,
           "legalGround": "Necessary for the purposes of preventive or occupational medicine, for the assessment of the working capacity of the employee, medical diagnosis (art. 9.2. (h) GDPR)"},
          {"name": "Huisdieren", "special": false, "legalGround": "Zie bijlage"}
        ],
        "categoriesOfInternalRecipients": ["Huisartsen", "Assistentes"],
        "categoriesOfExternalRecipients": ["Zorgverzekeraar"],
        "transfersToThirdCountriesInternationalOrganisations": ["Back-up bij een dienst in de Verenigde Staten"],
        "retentionPeriod": ["20 jaar na het laatste contact", "zolang nodig"],
        "securityMeasures": ["Versleuteling", "Tweefactorauthenticatie"],
        "source": ["Patient", "Vorige huisarts"],
        "reviewedBy": "FG"
      },
      {
        "namePA": "Nieuwsbrief",
        "purposePA": "Informeren over de praktijk",
        "categoriesOfPersonalData": [
          {"name": "e-mailadres", "special": false, "legalGround": "Consent data subject (art. 6.1 (a) GDPR)"},
          {"name": "Naam", "special": false, "legalGround": "Toestemming"}
        ]
      }
    ],
    "processingActivitiesAsProcessor": [
      {
        "categoryOfProcessing": ["Waarneming voor andere praktijken"],
        "controller": {"name": "Huisartsenpraktijk Het Anker", "contactDetails": "Ankerweg 1",
                       "dpoName": "P. Smit"},
        "transfersToThirdCountriesInternationalOrganisations": [],
        "securityMeasures": ["Toegang alleen voor waarnemers"]
      }
    ]
  }
})json";

TEST(PrivacyRegisterImporter, SniffedAndListed) {
  const Importer* imp = FindImporter("privacyregister");
  ASSERT_NE(imp, nullptr);
  EXPECT_TRUE(imp->sniff(kRegister));
  EXPECT_TRUE(imp->sniff("\xEF\xBB\xBF{\"processingActivitiesAsProcessor\": []}"));
  EXPECT_FALSE(imp->sniff("[{\"Doelen\": []}]"));
  EXPECT_FALSE(FindImporter("vws")->sniff(kRegister));
  auto any = ParseAnyRegister(kRegister, "register.json");
  ASSERT_TRUE(any.has_value()) << AllText(any.error());
  EXPECT_EQ(any->reg.organisation.name, "Huisartsenpraktijk De Linde");
}

TEST(PrivacyRegisterImporter, OrganisationAndControllerRecordFieldByField) {
  auto l = Import(kRegister);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const Register& r = l->reg;
  EXPECT_EQ(r.organisation.registration, "12345678");
  EXPECT_EQ(r.organisation.contact.name, "J. de Vries");
  EXPECT_EQ(r.organisation.contact.address, "Lindelaan 4, 1234 AB");
  EXPECT_EQ(r.organisation.contact.phone, "201234567");
  EXPECT_EQ(r.organisation.contact.email, "info@delinde.example");
  EXPECT_EQ(r.organisation.dpo.name, "M. Jansen");
  EXPECT_EQ(r.organisation.dpo.email, "fg@delinde.example");

  ASSERT_EQ(r.activities.size(), 2u);
  const ProcessingActivity& a = r.activities[0];
  EXPECT_EQ(a.id, "pa-1");
  EXPECT_EQ(a.name, "Patientendossier");
  EXPECT_EQ(a.business_function, "Praktijk");
  ASSERT_EQ(a.purposes.size(), 2u);
  EXPECT_EQ(a.purposes[1].description, "Declaratie bij de zorgverzekeraar");
  // The one Art. 6 basis of the ordinary data goes to every purpose.
  EXPECT_EQ(a.purposes[0].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(a.purposes[1].lawful_basis, LawfulBasis::kLegalObligation);
  EXPECT_EQ(a.data_subjects, std::vector<std::string>{"Patienten"});
  EXPECT_EQ(a.data_categories,
            (std::vector<std::string>{"user.name", "user.contact.address",
                                      "user.government_id.national_identification_number", "user.health"}));
  ASSERT_EQ(a.special_categories.size(), 1u);
  EXPECT_EQ(a.special_categories[0].category, "user.health");
  EXPECT_EQ(a.special_categories[0].condition, 'h');
  ASSERT_EQ(a.recipients.size(), 3u);
  EXPECT_EQ(a.recipients[0].kind, RecipientKind::kInternal);
  EXPECT_EQ(a.recipients[0].name, "Huisartsen");
  EXPECT_EQ(a.recipients[2].kind, RecipientKind::kExternal);
  EXPECT_EQ(a.recipients[2].name, "Zorgverzekeraar");
  ASSERT_EQ(a.transfers.size(), 1u);
  EXPECT_EQ(a.transfers[0].country, "US");
  EXPECT_EQ(a.transfers[0].recipient, "Back-up bij een dienst in de Verenigde Staten");
  ASSERT_EQ(a.retention.size(), 2u);
  EXPECT_EQ(a.retention[0].period, "P20Y");
  EXPECT_EQ(a.retention[0].justification, "20 jaar na het laatste contact");
  EXPECT_EQ(a.retention[1].period, "zolang nodig");
  EXPECT_EQ(a.toms.description, "Versleuteling\nTweefactorauthenticatie");
  EXPECT_EQ(a.data_sources, (std::vector<std::string>{"Patient", "Vorige huisarts"}));
  // Kept, never dropped: the names as written, the ground that names no basis, the unknown key.
  EXPECT_TRUE(Has(a.notes, "categoriesOfPersonalData: NAW-gegevens; BSN; Medische gegevens; Huisdieren"))
      << ::testing::PrintToString(a.notes);
  EXPECT_TRUE(Has(a.notes, "legalGround (Huisdieren): Zie bijlage")) << ::testing::PrintToString(a.notes);
  EXPECT_TRUE(Has(a.notes, "reviewedBy: FG")) << ::testing::PrintToString(a.notes);
  std::string warnings = AllText(l->warnings);
  EXPECT_NE(warnings.find("no data category known for Huisdieren"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("retention period kept as free text"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("the organisation's 'id' is not read"), std::string::npos) << warnings;

  // Without an id: the id from the name; one purpose given as text; consent from an article and a word.
  const ProcessingActivity& b = r.activities[1];
  EXPECT_EQ(b.id, "nieuwsbrief");
  ASSERT_EQ(b.purposes.size(), 1u);
  EXPECT_EQ(b.purposes[0].description, "Informeren over de praktijk");
  EXPECT_EQ(b.purposes[0].lawful_basis, LawfulBasis::kConsent);
  EXPECT_EQ(b.data_categories, (std::vector<std::string>{"user.contact.email", "user.name"}));
}

TEST(PrivacyRegisterImporter, ProcessorRecord) {
  auto l = Import(kRegister);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  ASSERT_EQ(l->reg.processor_records.size(), 1u);
  const ProcessorRecord& p = l->reg.processor_records[0];
  EXPECT_EQ(p.controller, "Huisartsenpraktijk Het Anker");
  EXPECT_EQ(p.controller_contact.address, "Ankerweg 1");
  EXPECT_EQ(p.categories_of_processing, std::vector<std::string>{"Waarneming voor andere praktijken"});
  EXPECT_TRUE(p.transfers.empty());
  EXPECT_EQ(p.toms.description, "Toegang alleen voor waarnemers");
  EXPECT_EQ(p.notes, std::vector<std::string>{"controller dpoName: P. Smit"});
}

TEST(PrivacyRegisterImporter, SeveralBasesStayNotesAndTheRegisterRoundTrips) {
  constexpr std::string_view kTwo = R"json({"name": "Acme", "processingActivitiesAsController": [
    {"id": "crm", "namePA": "CRM", "purposePA": ["Orders", "Marketing"],
     "categoriesOfPersonalData": [
       {"name": "Naam", "legalGround": "Necessary for the performance of a contract(art. 6.1 (b) GDPR)"},
       {"name": "Surfgedrag", "legalGround": "Consent data subject (art. 6.1 (a) GDPR)"}]}]})json";
  auto l = Import(kTwo);
  ASSERT_TRUE(l.has_value()) << AllText(l.error());
  const ProcessingActivity& a = l->reg.activities[0];
  EXPECT_EQ(a.id, "pa-crm");
  EXPECT_FALSE(a.purposes[0].lawful_basis.has_value());  // not guessed
  EXPECT_FALSE(a.purposes[1].lawful_basis.has_value());
  EXPECT_TRUE(
      Has(a.notes,
          "legalGround: Naam: Necessary for the performance of a contract(art. 6.1 (b) GDPR); Surfgedrag: "
          "Consent data subject (art. 6.1 (a) GDPR)"))
      << ::testing::PrintToString(a.notes);
  EXPECT_NE(AllText(l->warnings).find("several Art. 6(1) bases"), std::string::npos);
  // The imported register written and read back in the native format is the same register.
  auto again = ParseRegisterText(WriteRegisterYaml(l->reg), "register.yaml");
  ASSERT_TRUE(again.has_value()) << AllText(again.error());
  auto full = Import(kRegister);
  ASSERT_TRUE(full.has_value());
  auto full_again = ParseRegisterText(WriteRegisterYaml(full->reg), "register.yaml");
  ASSERT_TRUE(full_again.has_value()) << AllText(full_again.error());
  full_again->reg.source = full->reg.source;
  EXPECT_EQ(full_again->reg, full->reg);
}

TEST(PrivacyRegisterImporter, BadFilesNameThePlace) {
  auto not_object = Import("[1, 2]");
  ASSERT_FALSE(not_object.has_value());
  EXPECT_NE(AllText(not_object.error()).find("must be a JSON object"), std::string::npos);
  auto empty = Import(R"({"name": "Acme"})");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(AllText(empty.error()).find("no processing activities"), std::string::npos);
  auto bad_item = Import(
      "{\"name\": \"Acme\",\n \"processingActivitiesAsController\": [\n  {\"namePA\": \"X\", "
      "\"categoriesOfPersonalData\": 5}]}");
  ASSERT_FALSE(bad_item.has_value());
  std::string t = AllText(bad_item.error());
  EXPECT_NE(t.find("register.json:3:"), std::string::npos) << t;
  EXPECT_NE(t.find("/processingActivitiesAsController/0/categoriesOfPersonalData"), std::string::npos) << t;
  auto no_controller =
      Import(R"({"name": "Acme", "processingActivitiesAsProcessor": [{"categoryOfProcessing": "x"}]})");
  ASSERT_FALSE(no_controller.has_value());
  EXPECT_NE(AllText(no_controller.error()).find("names no controller"), std::string::npos);
  auto truncated = Import(R"({"name": "Acme", "processingActivitiesAsController": [)");
  ASSERT_FALSE(truncated.has_value());
  EXPECT_NE(AllText(truncated.error()).find("register.json:2:1: error: YAML syntax error"), std::string::npos)
      << AllText(truncated.error());  // the end of the text, where the list should have closed
}

}  // namespace
}  // namespace blindspot

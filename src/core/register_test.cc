#include "blindspot/register.h"

#include <gtest/gtest.h>

#include "blindspot/suggest.h"

namespace blindspot {
namespace {

TEST(RegisterEnums, StringFormsAreStableAndRoundTrip) {
  EXPECT_EQ(ToString(LawfulBasis::kConsent), "consent");
  EXPECT_EQ(ToString(LawfulBasis::kLegitimateInterests), "legitimate_interests");
  EXPECT_EQ(ToString(LawfulBasis::kPublicTask), "public_task");
  EXPECT_EQ(ToString(TransferSafeguard::kDataPrivacyFramework), "data_privacy_framework");
  EXPECT_EQ(ToString(TransferSafeguard::kDerogationArt49), "derogation_art49");
  EXPECT_EQ(ToString(VendorRole::kJointController), "joint_controller");
  EXPECT_EQ(ToString(AgreementStatus::kNotRequired), "not_required");
  EXPECT_EQ(ToString(DpiaStatus::kInProgress), "in_progress");
  EXPECT_EQ(ToString(RecipientKind::kProcessor), "processor");
  EXPECT_EQ(LawfulBasisValues().size(), 6u);
  EXPECT_EQ(TransferSafeguardValues().size(), 7u);
  EXPECT_EQ(VendorRoleValues().size(), 3u);
  EXPECT_EQ(AgreementStatusValues().size(), 4u);
  EXPECT_EQ(DpiaStatusValues().size(), 5u);
  EXPECT_EQ(RecipientKindValues().size(), 3u);
  for (auto v : LawfulBasisValues()) EXPECT_EQ(ToString(*ParseLawfulBasis(v)), v);
  for (auto v : TransferSafeguardValues()) EXPECT_EQ(ToString(*ParseTransferSafeguard(v)), v);
  for (auto v : VendorRoleValues()) EXPECT_EQ(ToString(*ParseVendorRole(v)), v);
  for (auto v : AgreementStatusValues()) EXPECT_EQ(ToString(*ParseAgreementStatus(v)), v);
  for (auto v : DpiaStatusValues()) EXPECT_EQ(ToString(*ParseDpiaStatus(v)), v);
  for (auto v : RecipientKindValues()) EXPECT_EQ(ToString(*ParseRecipientKind(v)), v);
  EXPECT_FALSE(ParseLawfulBasis("Consent"));
  EXPECT_FALSE(ParseTransferSafeguard("scc"));
  EXPECT_FALSE(ParseDpiaStatus(""));
  EXPECT_FALSE(ParseRecipientKind("processors"));
  EXPECT_EQ(AllowedValues(AgreementStatusValues()), "one of signed, pending, missing, not_required");
  EXPECT_EQ(AllowedValues(RecipientKindValues()), "one of internal, external, processor");
  EXPECT_EQ(TouchpointQuestionIds().size(), 14u);
  EXPECT_EQ(TouchpointQuestionIds().front(), "in_use");
  EXPECT_EQ(TouchpointQuestionIds().back(), "security_measures");
}

TEST(RegisterEea, MembersAndNonMembers) {
  for (auto c : {"NL", "DE", "GR", "EL", "IE", "IS", "LI", "NO", "HR"}) EXPECT_TRUE(IsEeaCountry(c)) << c;
  for (auto c : {"US", "GB", "CH", "nl", "", "EU"}) EXPECT_FALSE(IsEeaCountry(c)) << c;
}

TEST(RegisterCountries, IsoCodesAndHints) {
  for (auto c : {"NL", "DE", "GB", "GR", "US", "CH", "JP", "AX", "SS", "ZW"})
    EXPECT_TRUE(IsIsoCountryCode(c)) << c;
  for (auto c : {"UK", "EL", "EU", "XK", "nl", "", "NLD", "N"}) EXPECT_FALSE(IsIsoCountryCode(c)) << c;
  EXPECT_EQ(CountryCodeHint("UK"), "GB");
  EXPECT_EQ(CountryCodeHint("EL"), "GR");
  EXPECT_EQ(CountryCodeHint("uk"), "GB");
  EXPECT_EQ(CountryCodeHint("nl"), "NL");  // lower case of a real code
  EXPECT_EQ(CountryCodeHint("NLD"), "NL");
  EXPECT_EQ(CountryCodeHint("USA"), "US");
  EXPECT_EQ(CountryCodeHint("GER"), "DE");
  EXPECT_FALSE(CountryCodeHint("Netherlands").has_value());
  EXPECT_FALSE(CountryCodeHint("XK").has_value());
}

TEST(RegisterDates, CalendarDates) {
  for (auto d : {"2024-02-29", "2000-02-29", "2023-02-28", "2024-12-31", "2024-04", "2024",
                 "2024-06-30T12:00:00Z", "1999-01-01"})
    EXPECT_TRUE(IsCalendarDate(d)) << d;
  for (auto d : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00",
                 "15-01-2024", "2024-1-5", "2024/01/05", "", "24", "2024-06-30X", "abcd"})
    EXPECT_FALSE(IsCalendarDate(d)) << d;
}

TEST(RegisterFind, ByIdLinearAndIndexed) {
  Register r;
  r.activities.push_back({.id = "a1", .name = "A"});
  r.processors.push_back({.id = "p1", .name = "P"});
  r.systems.push_back({.id = "s1", .name = "S"});
  r.touchpoints.push_back({.id = "t1", .name = "T"});
  ASSERT_NE(r.FindActivity("a1"), nullptr);
  EXPECT_EQ(r.FindActivity("a1")->name, "A");
  EXPECT_EQ(r.FindProcessor("p1")->name, "P");
  EXPECT_EQ(r.FindSystem("s1")->name, "S");
  EXPECT_EQ(r.FindTouchpoint("t1")->name, "T");
  EXPECT_EQ(r.FindActivity("p1"), nullptr);
  EXPECT_EQ(r.FindSystem(""), nullptr);
  RegisterIndex idx(r);
  EXPECT_EQ(idx.FindActivity("a1"), &r.activities[0]);
  EXPECT_EQ(idx.FindProcessor("p1"), &r.processors[0]);
  EXPECT_EQ(idx.FindSystem("s1"), &r.systems[0]);
  EXPECT_EQ(idx.FindTouchpoint("t1"), &r.touchpoints[0]);
  EXPECT_EQ(idx.FindTouchpoint("a1"), nullptr);
  // A duplicate id: the first definition wins, in both lookups.
  r.activities.push_back({.id = "a1", .name = "Second"});
  RegisterIndex idx2(r);
  EXPECT_EQ(r.FindActivity("a1")->name, "A");
  EXPECT_EQ(idx2.FindActivity("a1")->name, "A");
}

TEST(RegisterEmpty, OnlyANewRegisterIsEmpty) {
  EXPECT_TRUE(Register{}.empty());
  Register named;
  named.organisation.name = "X";
  EXPECT_FALSE(named.empty());
  Register from_file;
  from_file.source = "reg.yaml";
  EXPECT_FALSE(from_file.empty());
}

// ---- field paths and source maps ------------------------------------------------

TEST(FieldPath, BuildersAndParent) {
  EXPECT_EQ(path::Item("activities", "crm"), "activities[crm]");
  EXPECT_EQ(path::Item("activities[crm]", "purposes", "purpose-1"), "activities[crm].purposes[purpose-1]");
  EXPECT_EQ(path::Item("", "activities", "crm"), "activities[crm]");
  EXPECT_EQ(path::Field("organisation", "dpo"), "organisation.dpo");
  EXPECT_EQ(path::Field("", "organisation"), "organisation");
  EXPECT_EQ(path::Index("activities[crm]", "data_categories", 2), "activities[crm].data_categories[2]");
  EXPECT_EQ(path::Parent("activities[crm].purposes[purpose-1].lawful_basis"),
            "activities[crm].purposes[purpose-1]");
  EXPECT_EQ(path::Parent("activities[crm].purposes[purpose-1]"), "activities[crm].purposes");
  EXPECT_EQ(path::Parent("activities[crm].purposes"), "activities[crm]");
  EXPECT_EQ(path::Parent("activities[crm]"), "activities");
  EXPECT_EQ(path::Parent("activities"), "");
  EXPECT_EQ(path::Parent(""), "");
  // Ids may contain dots: brackets are matched.
  EXPECT_EQ(path::Parent("systems[db.eu-1].country"), "systems[db.eu-1]");
  EXPECT_EQ(path::Parent("systems[db.eu-1]"), "systems");
}

TEST(SourceMap, FindFallsBackToTheEnclosingPath) {
  SourceMap m;
  EXPECT_TRUE(m.empty());
  m.Add("activities[crm]", {5, 5});
  m.Add("activities[crm].purposes[purpose-1]", {9, 9});
  m.Add("activities[crm].purposes[purpose-1].lawful_basis", {10, 23});
  m.Add("activities[crm].name", {0, 0});              // unknown positions are not recorded
  m.Add("activities[crm]", {99, 1});                  // the first position of a path is kept
  EXPECT_EQ(m.size(), 4u);                            // as recorded
  EXPECT_EQ(m.Find("activities[crm]"), (Loc{5, 5}));  // before Finish: scanned
  m.Finish();
  EXPECT_EQ(m.size(), 3u);  // distinct paths
  EXPECT_EQ(m.Find("activities[crm].purposes[purpose-1].lawful_basis"), (Loc{10, 23}));
  EXPECT_EQ(m.Find("activities[crm].purposes[purpose-1].lia_reference"), (Loc{9, 9}));
  EXPECT_EQ(m.Find("activities[crm].purposes[purpose-2].lawful_basis"), (Loc{5, 5}));
  EXPECT_EQ(m.Find("activities[crm].name"), (Loc{5, 5}));
  EXPECT_EQ(m.Find("activities[crm]"), (Loc{5, 5}));
  EXPECT_EQ(m.Find("processors[meta]"), (Loc{0, 0}));
  EXPECT_EQ(m.Find(""), (Loc{0, 0}));
}

TEST(SourceMap, ManyPathsStayFindable) {
  SourceMap m;
  for (uint32_t i = 0; i < 20000; ++i)
    m.Add(path::Field(path::Item("activities", "a" + std::to_string(i)), "name"), {i + 1, 3});
  EXPECT_EQ(m.size(), 20000u);
  for (uint32_t i = 0; i < 20000; i += 997)
    EXPECT_EQ(m.Find("activities[a" + std::to_string(i) + "].name"), (Loc{i + 1, 3})) << i;
  EXPECT_EQ(m.Find("activities[a20000].name"), (Loc{0, 0}));
}

// ---- derived ids ------------------------------------------------------------------

TEST(DerivedIds, PositionBasedSkippingTakenIds) {
  EXPECT_EQ(DeriveIds({"", "", ""}, "purpose"),
            (std::vector<std::string>{"purpose-1", "purpose-2", "purpose-3"}));
  EXPECT_EQ(DeriveIds({"", "newsletter", ""}, "purpose"),
            (std::vector<std::string>{"purpose-1", "newsletter", "purpose-3"}));
  // An explicit sibling already uses the derived id of another position.
  std::vector<std::string> ids = DeriveIds({"purpose-2", ""}, "purpose");
  EXPECT_EQ(ids[0], "purpose-2");
  EXPECT_EQ(ids[1].rfind("purpose-2", 0), 0u);
  EXPECT_NE(ids[1], "purpose-2");
  ids = DeriveIds({"", "purpose-1"}, "purpose");
  EXPECT_NE(ids[0], "purpose-1");
  EXPECT_EQ(ids[1], "purpose-1");
  EXPECT_TRUE(DeriveIds({}, "purpose").empty());
}

TEST(DerivedIds, AssignedToEveryNestedListAndIdempotent) {
  Register r;
  ProcessingActivity a{.id = "crm", .name = "CRM"};
  a.purposes.push_back({.description = "first"});
  a.purposes.push_back({.id = "newsletter", .description = "second"});
  a.purposes.push_back({.description = "third"});
  a.special_categories.push_back({.category = "user.health"});
  a.recipients.push_back({.kind = RecipientKind::kInternal, .name = "Sales"});
  a.recipients.push_back({.kind = RecipientKind::kExternal, .name = "Tax office"});
  a.transfers.push_back({.country = "US"});
  a.retention.push_back({.data_category = "*", .period = "P2Y"});
  r.activities.push_back(a);
  ProcessorRecord pr{.controller = "Client"};
  pr.transfers.push_back({.country = "CH"});
  r.processor_records.push_back(pr);

  AssignDerivedIds(r);
  const auto& x = r.activities[0];
  EXPECT_EQ(x.purposes[0].id, "purpose-1");
  EXPECT_EQ(x.purposes[1].id, "newsletter");  // explicit ids are kept
  EXPECT_EQ(x.purposes[2].id, "purpose-3");
  EXPECT_EQ(x.special_categories[0].id, "special-category-1");
  EXPECT_EQ(x.recipients[0].id, "recipient-1");
  EXPECT_EQ(x.recipients[1].id, "recipient-2");
  EXPECT_EQ(x.transfers[0].id, "transfer-1");
  EXPECT_EQ(x.retention[0].id, "retention-1");
  EXPECT_EQ(r.processor_records[0].transfers[0].id, "transfer-1");
  EXPECT_EQ(x.id, "crm");  // top-level ids are never derived

  Register again = r;
  AssignDerivedIds(again);
  EXPECT_EQ(again, r);
}

// ---- validation ---------------------------------------------------------------------

Register ValidSample() {
  Register r;
  r.source = "reg.yaml";
  ProcessingActivity a{.id = "web-shop", .name = "Shop"};
  a.systems = {"shop"};
  a.recipients.push_back({.id = "recipient-1", .kind = RecipientKind::kProcessor, .processor = "cloud"});
  a.special_categories.push_back({.id = "special-category-1", .category = "user.health", .condition = 'h'});
  r.activities.push_back(a);
  r.processors.push_back({.id = "cloud", .name = "Cloud"});
  r.systems.push_back({.id = "shop", .name = "Shop", .processor = "cloud"});
  Touchpoint t{.id = "pixel", .name = "Pixel", .vendor = "cloud"};
  t.activities = {"web-shop"};
  r.touchpoints.push_back(t);
  return r;
}

TEST(ValidateRegister, ValidRegisterHasNoDiagnostics) {
  EXPECT_TRUE(ValidateRegister(ValidSample()).empty());
}

TEST(ValidateRegister, DanglingReferencesWithHintsAndPaths) {
  Register r = ValidSample();
  r.activities[0].systems = {"shop", "shpo"};
  r.activities[0].recipients[0].processor = "shop";  // a system id, not a processor
  r.touchpoints[0].activities = {"webshop"};
  r.systems[0].processor = "nobody";
  Diagnostics d = ValidateRegister(r);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].message, "activity 'web-shop' refers to unknown system 'shpo' in 'systems'");
  EXPECT_EQ(d[0].hint, "did you mean 'shop'?");
  EXPECT_EQ(d[0].where.file, "reg.yaml");
  EXPECT_EQ(d[0].where.line, 0u);  // no positions in the model: the reader adds them from the path
  EXPECT_EQ(d[0].path, "activities[web-shop].systems[1]");
  EXPECT_EQ(d[1].message, "activity 'web-shop' refers to unknown processor 'shop' in 'recipients'");
  EXPECT_EQ(d[1].hint, "'shop' is a system, not a processor");
  EXPECT_EQ(d[1].path, "activities[web-shop].recipients[recipient-1].processor");
  EXPECT_EQ(d[2].message, "system 'shop' refers to unknown processor 'nobody' in 'processor'");
  EXPECT_EQ(d[2].expected, "the id of a processor defined under 'processors:'");
  EXPECT_EQ(d[2].hint, "add a processor with id 'nobody' under 'processors:', or use an existing id");
  EXPECT_EQ(d[2].path, "systems[shop].processor");
  EXPECT_EQ(d[3].message, "touchpoint 'pixel' refers to unknown activity 'webshop' in 'activities'");
  EXPECT_EQ(d[3].hint, "did you mean 'web-shop'?");
  EXPECT_EQ(d[3].expected, "the id of an activity defined under 'activities:'");
  EXPECT_EQ(d[3].path, "touchpoints[pixel].activities[0]");
}

TEST(ValidateRegister, NoProcessorsAtAll) {
  Register r = ValidSample();
  r.processors.clear();
  r.activities[0].recipients.clear();
  r.touchpoints[0].vendor.clear();
  Diagnostics d = ValidateRegister(r);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "systems[shop].processor");
  EXPECT_EQ(d[0].hint, "there are no processors in this register; add one under 'processors:'");
}

TEST(ValidateRegister, DuplicatesMissingIdsAndArt9) {
  Register r = ValidSample();
  r.systems.push_back({.id = "shop", .name = "Second"});
  r.processors.push_back({.id = "", .name = "Nameless id"});
  r.touchpoints.push_back({.id = "tp two", .name = ""});
  r.activities[0].special_categories[0].condition = 'k';
  Diagnostics d = ValidateRegister(r);
  std::vector<std::string> msgs;
  for (const auto& e : d) msgs.push_back(e.message);
  ASSERT_EQ(d.size(), 5u) << ::testing::PrintToString(msgs);
  // Identity checks for every collection come first, then references per object.
  EXPECT_EQ(msgs[0], "processor #2 in 'processors' has no id");
  EXPECT_EQ(d[0].hint, "add e.g. `id: nameless-id`");
  EXPECT_EQ(d[0].path, "processors[1]");
  EXPECT_EQ(msgs[1], "duplicate system id 'shop'");
  EXPECT_EQ(d[1].kind, ErrorKind::kReference);
  EXPECT_EQ(d[1].path, "systems[1].id");  // by position: the id is not unique
  EXPECT_EQ(d[1].hint, "'shop' is already the id of system #1; rename one of them");
  EXPECT_EQ(msgs[2], "touchpoint id 'tp two' contains whitespace");
  EXPECT_EQ(d[2].hint, "use a slug such as 'tp-two'");
  EXPECT_EQ(msgs[3], "touchpoint 'tp two' has no name");
  EXPECT_EQ(msgs[4], "invalid Art. 9(2) condition 'k' in activity 'web-shop'");
  EXPECT_EQ(d[4].kind, ErrorKind::kSchema);
  EXPECT_EQ(d[4].path, "activities[web-shop].special_categories[special-category-1].condition");
}

TEST(ValidateRegister, NestedIdsMustBeUniqueAmongSiblings) {
  Register r = ValidSample();
  r.activities[0].purposes.push_back({.id = "ads", .description = "one"});
  r.activities[0].purposes.push_back({.id = "ads", .description = "two"});
  r.activities[0].transfers.push_back({.id = "to us", .country = "US"});
  Diagnostics d = ValidateRegister(r);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].message, "duplicate purpose id 'ads' in 'activities[web-shop]'");
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].path, "activities[web-shop].purposes[1].id");
  EXPECT_EQ(d[1].message, "transfer id 'to us' contains whitespace");
  EXPECT_EQ(d[1].path, "activities[web-shop].transfers[0].id");
  EXPECT_EQ(d[1].hint, "use a slug such as 'to-us'");
}

TEST(RegisterEquality, ContentOnly) {
  Register a = ValidSample(), b = ValidSample();
  EXPECT_EQ(a, b);
  b.systems[0].country = "NL";
  EXPECT_NE(a, b);
  b = ValidSample();
  b.activities[0].recipients[0].id = "recipient-2";  // nested ids are content
  EXPECT_NE(a, b);
  b = ValidSample();
  b.organisation.no_dpo = true;
  EXPECT_NE(a, b);
}

TEST(Suggest, EditDistanceAndClosest) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("same", "same"), 0u);
  std::vector<std::string_view> c = {"country", "contact", "name"};
  EXPECT_EQ(ClosestMatch("contry", c).value(), "country");
  EXPECT_FALSE(ClosestMatch("zzzzzz", c));
  EXPECT_EQ(DidYouMean("Name", c), "did you mean 'name'?");
  EXPECT_EQ(DidYouMean("name", c), "");
}

TEST(Suggest, ClosestMatchesNearestFirstThenByParts) {
  std::vector<std::string_view> ids = {
      "meta-pixel", "meta-capi",     "whatsapp-click-to-chat", "nowbuttons-whatsapp-widget",
      "hotjar",     "hotjar-surveys"};
  EXPECT_EQ(ClosestMatches("Meta-Pixel", ids, 3), (std::vector<std::string>{"meta-pixel"}));
  EXPECT_EQ(ClosestMatches("hotjr", ids, 3), (std::vector<std::string>{"hotjar"}));
  // No id is within the edit distance: ids holding every part of the word.
  EXPECT_EQ(ClosestMatches("whatsapp", ids, 3),
            (std::vector<std::string>{"whatsapp-click-to-chat", "nowbuttons-whatsapp-widget"}));
  EXPECT_EQ(ClosestMatches("WhatsApp-Chat", ids, 3), (std::vector<std::string>{"whatsapp-click-to-chat"}));
  EXPECT_EQ(ClosestMatches("whatsapp", ids, 1), (std::vector<std::string>{"whatsapp-click-to-chat"}));
  // The word itself is never suggested.
  EXPECT_EQ(ClosestMatches("hotjar", ids, 3), (std::vector<std::string>{"hotjar-surveys"}));
  EXPECT_TRUE(ClosestMatches("zzzzzz", ids, 3).empty());
  EXPECT_TRUE(ClosestMatches("", ids, 3).empty());
  EXPECT_EQ(DidYouMeanOneOf("whatsapp", ids),
            "did you mean 'whatsapp-click-to-chat' or 'nowbuttons-whatsapp-widget'?");
  EXPECT_EQ(DidYouMeanOneOf("meta-pixl", ids), "did you mean 'meta-pixel'?");
  EXPECT_EQ(DidYouMeanOneOf("x", {"a", "b", "c", "d"}), "did you mean 'a', 'b' or 'c'?");
  EXPECT_EQ(DidYouMeanOneOf("zzzzzz", ids), "");
}

TEST(CheckProductIds, WarnsPerTouchpointWithTheClosestIds) {
  Register r;
  r.source = "register.yaml";
  r.touchpoints.push_back({.id = "wa", .name = "WhatsApp button", .product = "whatsapp-chat"});
  r.touchpoints.push_back({.id = "pixel", .name = "Pixel", .product = "meta-pixel"});
  r.touchpoints.push_back({.id = "phone", .name = "Phone line"});  // no product: left to BS016
  r.touchpoints.push_back({.id = "own", .name = "Own widget", .product = "praatpaal"});
  r.touchpoints.push_back({.id = "wa2", .name = "WhatsApp again", .product = "whatsapp-chat"});
  std::vector<std::string_view> ids = {"meta-pixel", "whatsapp-click-to-chat", "hotjar"};
  Diagnostics d = CheckProductIds(r, ids);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].warning);
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].where.file, "register.yaml");
  EXPECT_EQ(d[0].path, "touchpoints[wa].product");
  EXPECT_EQ(
      d[0].message,
      "touchpoint 'wa' names product 'whatsapp-chat', which the knowledge base does not have; the audit "
      "cannot match it with the traffic");
  EXPECT_EQ(d[0].expected, "a knowledge-base product id; `blindspot kb` lists them");
  EXPECT_EQ(d[0].hint, "did you mean 'whatsapp-click-to-chat'?");
  EXPECT_EQ(d[1].path, "touchpoints[own].product");
  EXPECT_EQ(
      d[1].hint,
      "if the knowledge base has no entry for this product, add one (docs/kb.md) or leave 'product' out");
  EXPECT_EQ(d[2].path, "touchpoints[wa2].product");
  EXPECT_EQ(d[2].hint, d[0].hint);
  // Ids match exactly, as the audit matches them.
  r.touchpoints[1].product = "Meta-Pixel";
  d = CheckProductIds(r, ids);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[1].hint, "did you mean 'meta-pixel'?");
  EXPECT_TRUE(CheckProductIds(Register{}, ids).empty());
}

TEST(LocalTerms, DutchTermsMapToEnumValues) {
  EXPECT_EQ(EnumValueForTerm("toestemming"), "consent");
  EXPECT_EQ(EnumValueForTerm("Gerechtvaardigd_belang"), "legitimate_interests");
  EXPECT_EQ(EnumValueForTerm("gerechtvaardigd-belang"), "legitimate_interests");
  EXPECT_EQ(EnumValueForTerm("modelcontractbepalingen"), "sccs");
  EXPECT_EQ(EnumValueForTerm("verwerker"), "processor");
  EXPECT_EQ(EnumValueForTerm("Gezamenlijke verwerkingsverantwoordelijke"), "joint_controller");
  EXPECT_EQ(EnumValueForTerm("niet vereist"), "not_required");
  EXPECT_FALSE(EnumValueForTerm("consent").has_value());  // the English value is not a term
  EXPECT_FALSE(EnumValueForTerm("").has_value());
}

TEST(LocalTerms, GermanTermsMapToEnumValues) {
  EXPECT_EQ(EnumValueForTerm("Einwilligung"), "consent");
  EXPECT_EQ(EnumValueForTerm("einwilligung"), "consent");
  EXPECT_EQ(EnumValueForTerm("Berechtigtes Interesse"), "legitimate_interests");
  EXPECT_EQ(EnumValueForTerm("Rechtliche_Verpflichtung"), "legal_obligation");
  EXPECT_EQ(EnumValueForTerm("Auftragsverarbeiter"), "processor");
  EXPECT_EQ(EnumValueForTerm("Standardvertragsklauseln"), "sccs");
  EXPECT_EQ(EnumValueForTerm("gemeinsam Verantwortliche"), "joint_controller");
  EXPECT_EQ(EnumValueForTerm("nicht erforderlich"), "not_required");
  // Terms with umlauts, as a user types them (German nouns are capitalised).
  EXPECT_EQ(EnumValueForTerm("Vertragserfüllung"), "contract");
  EXPECT_EQ(EnumValueForTerm("öffentliche Aufgabe"), "public_task");
  EXPECT_EQ(EnumValueForTerm("Öffentliche Aufgabe"), "public_task");
}

}  // namespace
}  // namespace blindspot

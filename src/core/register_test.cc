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
  EXPECT_EQ(LawfulBasisValues().size(), 6u);
  EXPECT_EQ(TransferSafeguardValues().size(), 6u);
  EXPECT_EQ(VendorRoleValues().size(), 3u);
  EXPECT_EQ(AgreementStatusValues().size(), 4u);
  EXPECT_EQ(DpiaStatusValues().size(), 5u);
  for (auto v : LawfulBasisValues()) EXPECT_EQ(ToString(*ParseLawfulBasis(v)), v);
  for (auto v : TransferSafeguardValues()) EXPECT_EQ(ToString(*ParseTransferSafeguard(v)), v);
  for (auto v : VendorRoleValues()) EXPECT_EQ(ToString(*ParseVendorRole(v)), v);
  for (auto v : AgreementStatusValues()) EXPECT_EQ(ToString(*ParseAgreementStatus(v)), v);
  for (auto v : DpiaStatusValues()) EXPECT_EQ(ToString(*ParseDpiaStatus(v)), v);
  EXPECT_FALSE(ParseLawfulBasis("Consent"));
  EXPECT_FALSE(ParseTransferSafeguard("scc"));
  EXPECT_FALSE(ParseDpiaStatus(""));
  EXPECT_EQ(AllowedValues(AgreementStatusValues()), "one of signed, pending, missing, not_required");
}

TEST(RegisterEea, MembersAndNonMembers) {
  for (auto c : {"NL", "DE", "GR", "IE", "IS", "LI", "NO", "HR"}) EXPECT_TRUE(IsEeaCountry(c)) << c;
  for (auto c : {"US", "GB", "CH", "EL", "nl", "", "EU"}) EXPECT_FALSE(IsEeaCountry(c)) << c;
}

TEST(RegisterFind, ById) {
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
}

Register ValidSample() {
  Register r;
  r.source = "reg.yaml";
  ProcessingActivity a{.id = "web-shop", .name = "Shop"};
  a.systems = {"shop"};
  a.recipients.processors = {"cloud"};
  a.special_categories.push_back({.category = "user.health", .condition = 'h'});
  a.loc = {5, 3};
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

TEST(ValidateRegister, DanglingReferencesWithHints) {
  Register r = ValidSample();
  r.activities[0].systems = {"shpo"};
  r.activities[0].recipients.processors = {"shop"};  // a system id, not a processor
  r.touchpoints[0].activities = {"webshop"};
  r.systems[0].processor = "nobody";
  Diagnostics d = ValidateRegister(r);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].message, "activity 'web-shop' refers to unknown system 'shpo' in 'systems'");
  EXPECT_EQ(d[0].hint, "did you mean 'shop'?");
  EXPECT_EQ(d[0].where.file, "reg.yaml");
  EXPECT_EQ(d[0].where.line, 5u);
  EXPECT_EQ(d[0].where.column, 3u);
  EXPECT_EQ(d[1].hint, "'shop' is a system, not a processor");
  EXPECT_EQ(d[2].message, "system 'shop' refers to unknown processor 'nobody' in 'processor'");
  EXPECT_EQ(d[2].expected, "the id of a processor defined under 'processors:'");
  EXPECT_EQ(d[3].message, "touchpoint 'pixel' refers to unknown activity 'webshop' in 'activities'");
  EXPECT_EQ(d[3].hint, "did you mean 'web-shop'?");
  EXPECT_EQ(d[3].expected, "the id of an activity defined under 'activities:'");
}

TEST(ValidateRegister, DuplicatesMissingIdsAndArt9) {
  Register r = ValidSample();
  r.systems.push_back({.id = "shop", .name = "Second", .loc = {20, 5}});
  r.processors.push_back({.id = "", .name = "Nameless id"});
  r.touchpoints.push_back({.id = "tp two", .name = ""});
  r.activities[0].special_categories[0].condition = 'k';
  Diagnostics d = ValidateRegister(r);
  std::vector<std::string> msgs;
  for (const auto& e : d) msgs.push_back(e.message);
  ASSERT_EQ(d.size(), 5u) << testing::PrintToString(msgs);
  // Identity checks for every collection come first, then references per object.
  EXPECT_EQ(msgs[0], "processor #2 in 'processors' has no id");
  EXPECT_EQ(d[0].hint, "add e.g. `id: nameless-id`");
  EXPECT_EQ(msgs[1], "duplicate system id 'shop'");
  EXPECT_EQ(d[1].where.line, 20u);
  EXPECT_EQ(d[1].kind, ErrorKind::kReference);
  EXPECT_EQ(msgs[2], "touchpoint id 'tp two' contains whitespace");
  EXPECT_EQ(d[2].hint, "use a slug such as 'tp-two'");
  EXPECT_EQ(msgs[3], "touchpoint 'tp two' has no name");
  EXPECT_EQ(msgs[4], "invalid Art. 9(2) condition 'k' in activity 'web-shop'");
  EXPECT_EQ(d[4].kind, ErrorKind::kSchema);
}

TEST(ValidateRegister, RefinerPointsAtTheListItem) {
  Register r = ValidSample();
  r.activities[0].systems = {"shop", "nope"};
  Diagnostics d = ValidateRegister(r, [](const Loc& owner, std::string_view field, size_t index) {
    if (owner.line == 5 && field == "systems" && index == 1) return Loc{9, 17};
    return Loc{};
  });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].where.line, 9u);
  EXPECT_EQ(d[0].where.column, 17u);
}

TEST(RegisterEquality, ClearLocationsComparesContentOnly) {
  Register a = ValidSample(), b = ValidSample();
  b.activities[0].loc = {99, 1};
  b.systems[0].loc = {7, 7};
  EXPECT_NE(a, b);
  ClearLocations(a);
  ClearLocations(b);
  EXPECT_EQ(a, b);
  b.systems[0].country = "NL";
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

}  // namespace
}  // namespace blindspot

TEST(DutchTerms, MapToEnumValues) {
  EXPECT_EQ(blindspot::EnumValueForDutchTerm("toestemming"), "consent");
  EXPECT_EQ(blindspot::EnumValueForDutchTerm("Gerechtvaardigd_belang"), "legitimate_interests");
  EXPECT_EQ(blindspot::EnumValueForDutchTerm("modelcontractbepalingen"), "sccs");
  EXPECT_EQ(blindspot::EnumValueForDutchTerm("verwerker"), "processor");
  EXPECT_FALSE(blindspot::EnumValueForDutchTerm("consent").has_value());
}

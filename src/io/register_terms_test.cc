// The shared phrase tables of the register importers (src/io/register_terms.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "io/importers.h"

namespace blindspot {
namespace {

using V = std::vector<std::string>;

TEST(RegisterTerms, SplitFieldsKeepsEveryPartAndCutsOnlyWholeSeparators) {
  EXPECT_EQ(SplitFields("a; b; c", "; "), (V{"a", "b", "c"}));
  EXPECT_EQ(SplitFields("encryption, access_control", ", "), (V{"encryption", "access_control"}));
  // Empty parts stay, in the middle, at the start and after a trailing separator.
  EXPECT_EQ(SplitFields("a; ; b", "; "), (V{"a", "", "b"}));
  EXPECT_EQ(SplitFields("; a", "; "), (V{"", "a"}));
  EXPECT_EQ(SplitFields("a; ", "; "), (V{"a", ""}));
  EXPECT_EQ(SplitFields("", "; "), (V{""}));
  EXPECT_EQ(SplitFields("; ", "; "), (V{"", ""}));
  // Only the whole separator cuts: a ';' or ',' without the space is text.
  EXPECT_EQ(SplitFields("a;b; c,d", "; "), (V{"a;b", "c,d"}));
  EXPECT_EQ(SplitFields("1,5, 2", ", "), (V{"1,5", "2"}));
  EXPECT_EQ(SplitFields("a;; b", "; "), (V{"a;", "b"}));
  EXPECT_EQ(SplitFields("no separator", "; "), (V{"no separator"}));
  // max_parts: the last part is the rest, separators and all.
  EXPECT_EQ(SplitFields("user.health; Art. 9(2)(h); care; and cure", "; ", 3),
            (V{"user.health", "Art. 9(2)(h)", "care; and cure"}));
  EXPECT_EQ(SplitFields("UAVG art. 33; reason; more", "; ", 2), (V{"UAVG art. 33", "reason; more"}));
  EXPECT_EQ(SplitFields("only", "; ", 3), (V{"only"}));
  EXPECT_EQ(SplitFields("a; b", "; ", 1), (V{"a; b"}));
  EXPECT_EQ(SplitFields("a; b; ", "; ", 3), (V{"a", "b", ""}));
  // An empty separator cuts nothing.
  EXPECT_EQ(SplitFields("a; b", ""), (V{"a; b"}));
}

TEST(RegisterTerms, DataCategoriesFromDutchEnglishFrenchGermanText) {
  EXPECT_EQ(DataCategoriesFromPhrase("NAW-gegevens, e-mailadres en BSN"),
            (V{"user.name", "user.contact.address", "user.contact.email",
               "user.government_id.national_identification_number"}));
  EXPECT_EQ(DataCategoriesFromPhrase("Name, date of birth, IP address"),
            (V{"user.name", "user.demographic.date_of_birth", "user.device.ip_address"}));
  EXPECT_EQ(DataCategoriesFromPhrase("Nom, prénom, adresse e-mail"), (V{"user.name", "user.contact.email"}));
  EXPECT_EQ(DataCategoriesFromPhrase("Gesundheitsdaten; Bankverbindung"),
            (V{"user.health", "user.financial.bank_account"}));
  // A longer phrase hides the shorter one inside it: "e-mailadres" is not also "adres".
  EXPECT_EQ(DataCategoriesFromPhrase("e-mailadres"), (V{"user.contact.email"}));
  // Words inside other words do not count: "rasp" is not "ras", "naamloos" not "naam".
  EXPECT_TRUE(DataCategoriesFromPhrase("rasp naamloos").empty());
  EXPECT_TRUE(DataCategoriesFromPhrase("zie bijlage").empty());
}

TEST(RegisterTerms, EveryCategoryOfTheTableIsACurrentFideslangKey) {
  std::string table;
  for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i)
    if (std::string_view(kDataFiles[i].path) == "import/register_terms.yaml") table = kDataFiles[i].data;
  ASSERT_FALSE(table.empty());
  size_t at = table.find("\ndata_categories:\n");
  size_t end = table.find("\n# art9_conditions", at);
  ASSERT_NE(at, std::string::npos);
  int keys = 0;
  for (size_t p = table.find("\n  user.", at); p < end; p = table.find("\n  user.", p + 1)) {
    std::string key = table.substr(p + 3, table.find(':', p) - p - 3);
    for (size_t b = 0;;) {
      size_t e = key.find('+', b);
      std::string one = key.substr(b, e == std::string::npos ? std::string::npos : e - b);
      const TaxonomyEntry* t = FindDataCategory(one);
      ASSERT_NE(t, nullptr) << one;
      EXPECT_TRUE(t->replaced_by.empty()) << one << " is deprecated: " << t->replaced_by;
      ++keys;
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  EXPECT_GE(keys, 30);
}

TEST(RegisterTerms, ArticleReferencesNameTheBasisAndTheCondition) {
  EXPECT_EQ(LawfulBasisFromArticle("Consent data subject (art. 6.1 (a) GDPR)"), LawfulBasis::kConsent);
  EXPECT_EQ(LawfulBasisFromArticle("artikel 6 lid 1 sub e AVG"), LawfulBasis::kPublicTask);
  EXPECT_EQ(LawfulBasisFromArticle("Art. 6(1)(f) GDPR"), LawfulBasis::kLegitimateInterests);
  EXPECT_EQ(LawfulBasisFromArticle("Art. 6 Abs. 1 lit. b DSGVO"), LawfulBasis::kContract);
  EXPECT_EQ(LawfulBasisFromArticle("art. 6.1 (a) en art. 6.1 (b)"), std::nullopt);  // two bases
  EXPECT_EQ(LawfulBasisFromArticle("art. 9.2 (a)"), std::nullopt);
  // The article wins over the words: the standard's option text names both.
  EXPECT_EQ(LawfulBasisFromPhrase("Necessary for the performance of a contract(art. 6.1 (b) GDPR)"),
            LawfulBasis::kContract);
  EXPECT_EQ(Art9ConditionFromPhrase("Explicit consent data subject (art. 9.2 (a) GDPR)"), 'a');
  EXPECT_EQ(
      Art9ConditionFromPhrase("Necessary for reasons of substantial public interest (art. 9.2. (g) GDPR)"),
      'g');
  EXPECT_EQ(Art9ConditionFromPhrase("artikel 9 lid 2 sub h AVG"), 'h');
  EXPECT_EQ(Art9ConditionFromPhrase("uitdrukkelijke toestemming"), 'a');
  EXPECT_EQ(Art9ConditionFromPhrase("toestemming"), std::nullopt);
}

// Capitals with accents fold as their small letters ("États-Unis" is the
// most common transfer country of a French register).
// Headers pasted from Word or a web page carry no-break spaces, and some
// carry zero-width characters: invisible in the cell, they must not make a
// column unknown (user run: "\u00a0Naam\u00a0verwerking " was no header).
TEST(RegisterTerms, InvisibleSpacesInAHeaderAreSpacesOrNothing) {
  EXPECT_EQ(FoldHeader("\xC2\xA0Naam\xC2\xA0verwerking "), "naam verwerking");
  EXPECT_EQ(FoldHeader("Categorie\xC3\xABn\xE2\x80\x8B betrokkenen"), "categorieen betrokkenen");
  EXPECT_EQ(FoldHeader("\xEF\xBB\xBF"
                       "Doel\xE2\x80\xAF"
                       "van\xE3\x80\x80"
                       "de verwerking"),
            "doel van de verwerking");
  EXPECT_EQ(FoldHeader("Bewaar\xC2\xADtermijn"), "bewaartermijn");  // a soft hyphen is nothing
  EXPECT_EQ(FoldHeader("Ontvanger\xE2\x81\xA0s"), "ontvangers");    // a word joiner too
  EXPECT_EQ(FoldHeader("n\xC2\xBA 12"), "n 12");                    // Latin-1 signs are punctuation
  EXPECT_EQ(FoldHeader("caf\xC3\xA9 \xE2\x80\x94 bar"), "cafe \xE2\x80\x94 bar");  // other characters stay
}

TEST(RegisterTerms, CountriesWithCapitalAccents) {
  EXPECT_EQ(CountryCodeFromName("États-Unis"), "US");
  EXPECT_EQ(CountryCodeFromName("Etats-Unis"), "US");
  EXPECT_EQ(CountryCodeFromName("ÉTATS-UNIS"), "US");
  EXPECT_EQ(FoldPhrase("Données Sensibles"), "données sensibles");
  EXPECT_EQ(FoldPhrase("a×b"), "a×b");  // U+00D7 is a sign, not a letter
}

}  // namespace
}  // namespace blindspot

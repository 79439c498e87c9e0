// The privacy statement: parsing (Markdown, HTML), the language guess, the
// term matcher (word starts, aliases, exceptions) and the rules BS043-BS047,
// each with what must and must not be reported.
#include "blindspot/statement.h"

#include <gtest/gtest.h>

#include "audit/audit_test_util.h"
#include "audit/statement_match.h"

namespace blindspot {
namespace {

using namespace testing_audit;
using audit::ContainsTerm;
using audit::StatementTerms;
using audit::StatementText;

constexpr const char* kDutch = R"(# Privacyverklaring

Voorbeeld BV (wij) is verantwoordelijk voor de verwerking van uw persoonsgegevens. U kunt contact met ons opnemen via privacy@voorbeeld.nl.

## Doeleinden en grondslag

Wij gebruiken uw gegevens om uw bestelling te leveren. De grondslag is de uitvoering van een overeenkomst. Voor advertenties vragen we uw toestemming; u kunt die altijd intrekken via de cookie-instellingen.

## Delen met derden

Wij delen uw gegevens met Meta Platforms Ireland voor advertenties.

## Doorgifte buiten de EER

Meta verwerkt gegevens in de Verenigde Staten op basis van het Data Privacy Framework.

## Bewaartermijn

Wij bewaren uw gegevens zeven jaar.

## Uw rechten

U heeft recht op inzage, rectificatie, verwijdering, beperking van de verwerking, bezwaar en overdraagbaarheid van uw gegevens. U kunt een klacht indienen bij de Autoriteit Persoonsgegevens. U bent niet verplicht om gegevens te verstrekken, maar zonder adres kunnen we niet leveren.
)";

Statement Dutch() { return ParseStatement(kDutch, "privacy.md"); }

std::vector<std::string> Elements(const AuditResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : Of(r, "BS043-statement-element-missing")) out.push_back(En(f));
  return out;
}

// One kb for the whole file: detected touchpoints point into the kb they
// were made with, which must outlive the audit.
const std::shared_ptr<const Kb>& SharedKb() {
  static const std::shared_ptr<const Kb> kb = TestKb();
  return kb;
}

AuditResult AuditWith(const Register& reg, const DetectionResult& det, std::vector<Statement> st) {
  DetectionResult copy = det;
  SortDetections(copy);
  return RunAudit(std::make_shared<const Register>(reg), SharedKb(), std::move(copy), std::move(st));
}

TEST(StatementParse, MarkdownSectionsByHeading) {
  Statement st = Dutch();
  ASSERT_EQ(st.sections.size(), 6u);
  EXPECT_EQ(st.sections[0].heading, "Privacyverklaring");
  EXPECT_EQ(st.sections[0].level, 1);
  EXPECT_EQ(st.sections[1].heading, "Doeleinden en grondslag");
  EXPECT_EQ(st.sections[1].level, 2);
  ASSERT_EQ(st.sections[1].paragraphs.size(), 1u);
  EXPECT_EQ(st.lang, "nl");
}

TEST(StatementParse, HeadingMarkupAndAttributeListsDropped) {
  Statement st = ParseStatement("### **How we use cookies**\n\ntext\n\n## Contact {: #contact }\n", "s.md");
  ASSERT_EQ(st.sections.size(), 2u);
  EXPECT_EQ(st.sections[0].heading, "How we use cookies");
  EXPECT_EQ(st.sections[1].heading, "Contact");
}

TEST(StatementParse, HtmlHeadingsAndParagraphs) {
  Statement st = ParseStatement(
      "<html><head><title>x</title><script>var a = 'we do not track';</script></head><body>"
      "<h1>Datenschutzerklärung</h1><p>Wir verarbeiten Ihre Daten.</p>"
      "<h2>Ihre Rechte</h2><ul><li>Auskunft</li><li>Löschung</li></ul></body></html>",
      "privacy.html");
  ASSERT_EQ(st.sections.size(), 2u);
  EXPECT_EQ(st.sections[0].heading, "Datenschutzerklärung");
  ASSERT_EQ(st.sections[0].paragraphs.size(), 1u);
  EXPECT_EQ(st.sections[0].paragraphs[0], "Wir verarbeiten Ihre Daten.");
  EXPECT_EQ(st.sections[1].heading, "Ihre Rechte");
  EXPECT_EQ(st.sections[1].paragraphs.size(), 2u);
  // The script is not text.
  StatementText t(st);
  EXPECT_FALSE(ContainsTerm(t.folded(), "track"));
}

TEST(StatementParse, TextWithoutHeadingsIsOneSection) {
  Statement st = ParseStatement("first paragraph\nstill first\n\nsecond", "s.txt", StatementFormat::kText);
  ASSERT_EQ(st.sections.size(), 1u);
  EXPECT_EQ(st.sections[0].heading, "");
  ASSERT_EQ(st.sections[0].paragraphs.size(), 2u);
  EXPECT_EQ(st.sections[0].paragraphs[0], "first paragraph still first");
}

TEST(StatementLanguage, GuessesNlEnDeFrAndRefusesTooLittle) {
  EXPECT_EQ(GuessLanguage(kDutch), "nl");
  EXPECT_EQ(GuessLanguage("We collect your data and we use it to provide the service. You can ask us to "
                          "delete your data. This is how we share it with the processors that are "
                          "working for us and with your consent. The data is yours and we respect that "
                          "with care."),
            "en");
  EXPECT_EQ(
      GuessLanguage("Wir verarbeiten Ihre Daten, die wir für die Lieferung benötigen, und geben sie "
                    "nicht weiter. Sie haben das Recht auf Auskunft und Löschung der Daten. Wir werden "
                    "Ihre Daten mit einer Frist löschen, und Sie können sich bei der Behörde beschweren, "
                    "wenn Sie mit uns nicht zufrieden sind, und das ist für eine gute Sache."),
      "de");
  EXPECT_EQ(
      GuessLanguage("Nous traitons vos données pour la livraison et nous ne les vendons pas. Vous avez "
                    "le droit de les consulter et les supprimer. Les données sont conservées pour une "
                    "durée limitée et vous pouvez vous adresser à la CNIL, et nous sommes là pour vous, "
                    "et les réponses sont rapides et la procédure est simple pour vous."),
      "fr");
  EXPECT_EQ(GuessLanguage("Privacy policy. Contact: privacy@example.com"), "");
}

TEST(StatementMatch, TermsStartAtWordStarts) {
  EXPECT_TRUE(ContainsTerm("you may object to it", "object"));
  EXPECT_FALSE(ContainsTerm("a subobject here", "object"));
  EXPECT_TRUE(ContainsTerm("rectification", "rectif"));  // stems match word starts
  EXPECT_TRUE(ContainsTerm("mail us at a@b.nl", "@"));   // a term that starts with a sign matches anywhere
  EXPECT_FALSE(ContainsTerm("", "x"));
}

TEST(StatementMatch, BuiltinTermsLoadAndCoverTheVocabulary) {
  const StatementTerms& t = StatementTerms::Builtin();
  ASSERT_GE(t.elements.size(), 18u);
  for (const auto& e : t.elements) {
    for (const char* lang : {"en", "nl", "de"}) {
      EXPECT_FALSE(e.terms.at(lang).empty()) << e.id << " " << lang;
      EXPECT_FALSE(e.section.at(lang).empty()) << e.id << " " << lang;
    }
  }
  // Every list cites sources the catalogue knows.
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const auto& e : t.elements) {
    EXPECT_FALSE(e.sources.empty()) << e.id;
    for (const std::string& id : e.sources) EXPECT_NE(cat.FindSource(id), nullptr) << e.id << " " << id;
  }
  for (const auto& c : t.contradictions) {
    EXPECT_FALSE(c.sources.empty()) << c.id;
    for (const std::string& id : c.sources) EXPECT_NE(cat.FindSource(id), nullptr) << c.id << " " << id;
  }
  EXPECT_EQ(t.contradictions.size(), 3u);
  EXPECT_EQ(t.country_languages.at("NL"), "nl");
  EXPECT_FALSE(t.aliases.at("meta-pixel").empty());
}

TEST(StatementMatch, NamesNeedWholeWords) {
  Statement st = ParseStatement("We use Hotjar and Facebook tools. Metadata is kept.", "s.md");
  StatementText t(st);
  EXPECT_TRUE(t.NamesAny({"hotjar"}));
  EXPECT_TRUE(t.NamesAny({"Facebook"}));
  EXPECT_FALSE(t.NamesAny({"Meta"}));  // not inside "Metadata"
  EXPECT_FALSE(t.NamesAny({"Google Analytics"}));
}

TEST(StatementMatch, SentencesWithExceptionsAreNotQuoted) {
  Statement st = ParseStatement(
      "We do not share your personal data with third parties. We do not share your personal data, except "
      "with our processors.",
      "s.md");
  StatementText t(st);
  const auto& spec = StatementTerms::Builtin().contradictions[1];
  ASSERT_EQ(spec.id, "no_sharing");
  auto hits = t.SentencesWith(spec.terms, spec.unless);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].text, "We do not share your personal data with third parties.");
}

// ---- BS043 ----

TEST(StatementRules, CompleteDutchStatementHasNoMissingElement) {
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {Dutch()});
  // The register names a DPO (CleanRegister), the statement does not: the one gap.
  auto found = Elements(r);
  ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(found);
  EXPECT_NE(found[0].find("data protection officer"), std::string::npos);
}

TEST(StatementRules, MissingElementsQuoteTheirSection) {
  Register reg = CleanRegister();
  reg.organisation.dpo = {};
  Statement st = ParseStatement(
      "# Privacy\n\nVoorbeeld BV is verantwoordelijk. Contact: privacy@voorbeeld.nl.\n\n## Uw rechten\n\nU "
      "heeft "
      "recht op inzage.\n",
      "short.md");
  auto r = AuditWith(reg, CleanDetection(*SharedKb()), {st});
  auto found = Elements(r);
  auto has = [&](std::string_view needle) {
    for (const std::string& f : found)
      if (f.find(needle) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(
      has("does not mention the right to erasure (Art. 13(2)(b)); it belongs in the section 'Uw rechten'"));
  EXPECT_TRUE(
      has("lawful basis of the processing (Art. 13(1)(c)); it has no section where this would belong"));
  EXPECT_TRUE(has("transfer to a third country"));  // a US transfer is recorded
  EXPECT_FALSE(has("right of access"));             // "inzage" is there
  EXPECT_FALSE(has("identity of the controller"));
  EXPECT_FALSE(has("data protection officer"));  // no DPO recorded
  EXPECT_FALSE(has("legitimate interests"));     // not relied on
  EXPECT_EQ(Of(r, "BS043-statement-element-missing")[0].severity, Severity::kMedium);
}

TEST(StatementRules, NoStatementNoFinding) {
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {});
  for (const char* id :
       {"BS043-statement-element-missing", "BS044-statement-vendor-not-named", "BS045-statement-language",
        "BS046-statement-contradiction", "BS047-statement-active-vendor-not-named"})
    EXPECT_TRUE(Of(r, id).empty()) << id;
}

// ---- BS044 ----

TEST(StatementRules, VendorNamedByAliasOrLegalEntityIsNotReported) {
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {Dutch()});  // "Meta Platforms Ireland"
  EXPECT_TRUE(Of(r, "BS044-statement-vendor-not-named").empty());
  Statement fb = ParseStatement("Wij gebruiken de pixel van Facebook.", "fb.md");
  auto r2 = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {fb});
  EXPECT_TRUE(Of(r2, "BS044-statement-vendor-not-named").empty());
}

TEST(StatementRules, UnnamedActiveVendorIsHigh) {
  DetectionResult det = CleanDetection(*SharedKb());
  DetectedTouchpoint hj = Detected(*SharedKb(), "hotjar", 3, {"https://voorbeeld.nl/"});
  EvidenceItem e;
  e.kind = EvidenceKind::kRequest;
  e.url = "https://script.hotjar.com/x.js";
  hj.evidence.push_back(e);
  det.touchpoints.push_back(hj);
  DetectedTouchpoint pl = Detected(*SharedKb(), "plausible", 1, {"https://voorbeeld.nl/"});
  EvidenceItem m;
  m.kind = EvidenceKind::kHtmlMarker;
  pl.evidence.push_back(m);
  det.touchpoints.push_back(pl);
  auto r = AuditWith(CleanRegister(), det, {Dutch()});
  auto active = Of(r, "BS047-statement-active-vendor-not-named");
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].subject_id, "hotjar");
  EXPECT_EQ(active[0].severity, Severity::kHigh);
  EXPECT_EQ(En(active[0]),
            "The privacy statement 'privacy.md' does not name 'Hotjar' (Hotjar), which was seen active in "
            "the evidence");
  auto f = Of(r, "BS044-statement-vendor-not-named");
  ASSERT_EQ(f.size(), 1u);  // only an HTML marker: not active
  EXPECT_EQ(f[0].subject_id, "plausible");
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(En(f[0]),
            "The privacy statement 'privacy.md' does not name 'Plausible Analytics' (Plausible Analytics)");
}

// ---- BS045 ----

TEST(StatementRules, EnglishStatementForADutchOrganisation) {
  Register reg = CleanRegister();
  reg.organisation.country = "NL";
  Statement en = ParseStatement(
      "# Privacy\n\nWe are the controller and we use your data to deliver the goods that you order from us. "
      "You can ask us for a copy of the data that we have and we will send it to you with care. This is "
      "the way that we work with the data of our customers.",
      "en.md");
  ASSERT_EQ(en.lang, "en");
  auto r = AuditWith(reg, CleanDetection(*SharedKb()), {en, Dutch()});
  auto f = Of(r, "BS045-statement-language");
  ASSERT_EQ(f.size(), 1u);  // the Dutch one is fine
  EXPECT_EQ(En(f[0]),
            "The privacy statement 'en.md' is in English, but the organisation is in NL, whose audience "
            "reads Dutch");
  EXPECT_EQ(Nl(f[0]),
            "De privacyverklaring 'en.md' is in het Engels, maar de organisatie is gevestigd in NL, waar het "
            "publiek Nederlands leest");
}

TEST(StatementRules, LanguageUnknownOrCountryUnmappedSaysNothing) {
  Register reg = CleanRegister();
  reg.organisation.country = "BE";  // Dutch, French and German: not mapped
  auto r = AuditWith(reg, CleanDetection(*SharedKb()), {Dutch()});
  EXPECT_TRUE(Of(r, "BS045-statement-language").empty());
  Statement scan = Dutch();
  scan.audience_lang = "de";
  reg.organisation.country = "NL";
  auto r2 = AuditWith(reg, CleanDetection(*SharedKb()), {scan});  // the scanned pages win over the country
  ASSERT_EQ(Of(r2, "BS045-statement-language").size(), 1u);
  EXPECT_EQ(En(Of(r2, "BS045-statement-language")[0]),
            "The privacy statement 'privacy.md' is in Dutch, but the scanned pages are in German");
}

// ---- BS046 ----

TEST(StatementRules, NoTrackingClaimWhileATrackerWasSeen) {
  Statement st = ParseStatement(
      "## Cookies\n\nWij gebruiken geen tracking cookies. Alleen functionele cookies.", "c.md");
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {st});
  auto f = Of(r, "BS046-statement-contradiction");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(En(f[0]),
            "The privacy statement 'c.md' says no tracking is used (section 'Cookies': \"Wij gebruiken geen "
            "tracking cookies.\"), but this was seen or recorded: Meta Pixel");
}

TEST(StatementRules, ClaimsWithoutContraryEvidenceOrWithExceptionsAreNotReported) {
  Statement st = ParseStatement(
      "We do not use tracking cookies without your consent. Wij delen uw gegevens niet met derden, behalve "
      "met "
      "onze verwerkers.",
      "s.md");
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {st});
  EXPECT_TRUE(Of(r, "BS046-statement-contradiction").empty()) << ::testing::PrintToString(Elements(r));
  // Nothing seen, nothing registered: a plain denial contradicts nothing.
  Statement plain = ParseStatement("We do not use tracking cookies. Your data stays in the EU.", "p.md");
  Register empty;
  DetectionResult none;
  none.entries = 1;
  auto r2 = AuditWith(empty, none, {plain});
  EXPECT_TRUE(Of(r2, "BS046-statement-contradiction").empty());
}

TEST(StatementRules, EuOnlyClaimWhileATransferIsRecorded) {
  Statement st = ParseStatement("Uw gegevens worden uitsluitend binnen de EU verwerkt.", "eu.md");
  auto r = AuditWith(CleanRegister(), CleanDetection(*SharedKb()), {st});
  auto f = Of(r, "BS046-statement-contradiction");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("says the data stays in the EU"), std::string::npos);
  EXPECT_NE(En(f[0]).find("Meta Pixel"), std::string::npos);
}

}  // namespace
}  // namespace blindspot

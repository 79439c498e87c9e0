// The text catalogue: message templates (placeholders, plural, select, '#',
// nested messages, lists, terms), language fallback, loading errors with
// file:line:col, the built-in catalogue (en, nl, de) and the build-time
// generator tools/gen_text_ids.
#include "blindspot/catalog.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/bundle.h"
#include "blindspot/embedded.h"
#include "blindspot/evidence.h"
#include "blindspot/register.h"
#include "blindspot/text_ids.h"
#include "input/yaml_walker.h"

namespace fs = std::filesystem;

namespace blindspot {
namespace {

// ---- a small catalogue built from files in memory ---------------------------------

// Line numbers below refer to these texts; each test changes one thing.
const char* kEn = R"y(language: English
ui:
  hello: "Hello {name}"
  pages: "{n, plural, =0 {no pages} one {# page} other {# pages}}"
  kind: "{kind, select, cookie {a cookie} request {a request} other {something else}}"
  nested: "Note: {inner}"
  items: "Items: {items}"
  basis: "Basis: {basis}"
  ticket: "Ticket #{id} of {n, plural, one {# ticket} other {# tickets}}"
  deep: "{kind, select, cookie {{n, plural, one {one cookie named {name}} other {# cookies}}} other {no cookie}}"
  only_en: "Only in English"
terms:
  lawful_basis:
    consent: "consent (Art. 6(1)(a))"
    contract: "contract (Art. 6(1)(b))"
)y";

const char* kNl = R"y(language: Nederlands
ui:
  hello: "Hallo {name}"
  pages: "{n, plural, =0 {geen pagina's} one {# pagina} other {# pagina's}}"
  kind: "{kind, select, cookie {een cookie} request {een verzoek} other {iets anders}}"
  nested: "Let op: {inner}"
  items: "Onderdelen: {items}"
  basis: "Grondslag: {basis}"
terms:
  lawful_basis:
    consent: "toestemming (art. 6 lid 1 sub a)"
    contract: "overeenkomst (art. 6 lid 1 sub b)"
)y";

const char* kDe = R"y(language: Deutsch
ui:
  hello: "Hallo {name}"
  pages: "{n, plural, =0 {keine Seiten} one {# Seite} other {# Seiten}}"
  basis: "Rechtsgrundlage: {basis}"
terms:
  lawful_basis:
    consent: "Einwilligung (Art. 6 Abs. 1 lit. a)"
)y";

const char* kVocab = "lawful_basis: [consent, contract]\n";

const char* kSources = R"y(gdpr-art-6:
  kind: law
  url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
  title:
    en: "GDPR Art. 6"
    nl: "AVG art. 6"
    de: "DSGVO Art. 6"
vendor-doc:
  kind: vendor
  url: "https://vendor.example/privacy"
  title:
    en: "Vendor privacy policy"
)y";

const char* kRule = R"y(id: "BS900-demo"
severity: high
applies_to: [activity]
needs: [register]
title:
  en: "Purpose without a basis"
  nl: "Doel zonder grondslag"
  de: "Zweck ohne Rechtsgrundlage"
explanation:
  en: "Explains."
remediation:
  en: "Record a basis."
  nl: "Leg een grondslag vast."
action:
  en: "Record a lawful basis for {subject}"
  nl: "Leg een grondslag vast voor {subject}"
sources:
  - gdpr-art-6
  - vendor-doc
messages:
  no_basis:
    en: "Purpose '{purpose}' has no basis"
    nl: "Doel '{purpose}' heeft geen grondslag"
)y";

using Files = std::map<std::string, std::string>;

Files BaseFiles() {
  return {{"i18n/en.yaml", kEn},  {"i18n/nl.yaml", kNl},      {"i18n/de.yaml", kDe},
          {"vocab.yaml", kVocab}, {"sources.yaml", kSources}, {"rules/BS900-demo.yaml", kRule}};
}

std::vector<std::pair<std::string, std::string_view>> AsList(const Files& f) {
  std::vector<std::pair<std::string, std::string_view>> out;
  for (const auto& [k, v] : f) out.emplace_back(k, v);
  return out;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::string AllText(const Diagnostics& d) {
  std::string s;
  for (const auto& e : d) s += e.Format();
  return s;
}

std::string Pos(const Error& e) {
  return e.where.file + ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.column);
}

const TextCatalog& Demo() {
  static const TextCatalog* cat = [] {
    Files f = BaseFiles();
    auto c = TextCatalog::FromFiles(AsList(f));
    if (!c) {
      ADD_FAILURE() << AllText(c.error());
      return new TextCatalog();
    }
    return new TextCatalog(std::move(*c));
  }();
  return *cat;
}

// The errors of loading `f`; fails the test when it loads.
Diagnostics LoadErrors(const Files& f) {
  auto c = TextCatalog::FromFiles(AsList(f));
  EXPECT_FALSE(c.has_value()) << "loaded without errors";
  return c ? Diagnostics{} : c.error();
}

Message M(std::string_view id) { return Message(MessageId{id}); }

// ---- rendering ------------------------------------------------------------------------

TEST(MessageFormat, PlaceholdersInEachLanguage) {
  const TextCatalog& c = Demo();
  Message m = M("ui.hello").Text("name", "Ann");
  EXPECT_EQ(c.Render(m, "en"), "Hello Ann");
  EXPECT_EQ(c.Render(m, "nl"), "Hallo Ann");
  EXPECT_EQ(c.Render(m, "de"), "Hallo Ann");
  // Argument text is inserted as is, braces included.
  EXPECT_EQ(c.Render(M("ui.hello").Text("name", "{x} #1"), "en"), "Hello {x} #1");
  EXPECT_EQ(c.Render(M("ui.ticket").Number("id", 42).Number("n", 3), "en"), "Ticket #42 of 3 tickets");
}

TEST(MessageFormat, PluralOneOtherAndExactZero) {
  const TextCatalog& c = Demo();
  auto pages = [&](int64_t n, std::string_view lang) { return c.Render(M("ui.pages").Number("n", n), lang); };
  EXPECT_EQ(pages(0, "en"), "no pages");
  EXPECT_EQ(pages(1, "en"), "1 page");
  EXPECT_EQ(pages(2, "en"), "2 pages");
  EXPECT_EQ(pages(1000, "en"), "1000 pages");
  EXPECT_EQ(pages(0, "nl"), "geen pagina's");
  EXPECT_EQ(pages(1, "nl"), "1 pagina");
  EXPECT_EQ(pages(7, "nl"), "7 pagina's");
  EXPECT_EQ(pages(0, "de"), "keine Seiten");
  EXPECT_EQ(pages(1, "de"), "1 Seite");
  EXPECT_EQ(pages(-1, "en"), "-1 pages");
  // A list argument selects by its number of items.
  EXPECT_EQ(c.Render(M("ui.pages").List("n", {TextItem("a")}), "en"), "1 page");
  EXPECT_EQ(c.Render(M("ui.pages").List("n", {}), "en"), "no pages");
}

TEST(MessageFormat, SelectWithOther) {
  const TextCatalog& c = Demo();
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "cookie"), "en"), "a cookie");
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "request"), "en"), "a request");
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "link"), "en"), "something else");
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "cookie"), "nl"), "een cookie");
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "link"), "nl"), "iets anders");
  // A term argument selects by its value, not its label.
  EXPECT_EQ(c.Render(M("ui.kind").Term("kind", "evidence_kind", "cookie"), "en"), "a cookie");
  EXPECT_EQ(c.Render(M("ui.kind"), "en"), "something else");  // no argument: the other branch
}

TEST(MessageFormat, HashIsTheNumberOnlyInsidePlural) {
  const TextCatalog& c = Demo();
  EXPECT_EQ(c.Render(M("ui.ticket").Number("id", 7).Number("n", 1), "en"), "Ticket #7 of 1 ticket");
  // Branches nest: a plural inside a select, a placeholder inside the plural.
  Message deep = M("ui.deep").Text("kind", "cookie").Number("n", 1).Text("name", "_ga");
  EXPECT_EQ(c.Render(deep, "en"), "one cookie named _ga");
  EXPECT_EQ(c.Render(M("ui.deep").Text("kind", "cookie").Number("n", 4), "en"), "4 cookies");
  EXPECT_EQ(c.Render(M("ui.deep").Text("kind", "request").Number("n", 4), "en"), "no cookie");
}

TEST(MessageFormat, NestedMessagesRenderInTheSameLanguage) {
  const TextCatalog& c = Demo();
  Message inner = M("ui.hello").Text("name", "Bo");
  Message outer = M("ui.nested").Sub("inner", inner);
  EXPECT_EQ(c.Render(outer, "en"), "Note: Hello Bo");
  EXPECT_EQ(c.Render(outer, "nl"), "Let op: Hallo Bo");
  // Two levels.
  Message twice = M("ui.nested").Sub("inner", M("ui.nested").Sub("inner", M("ui.pages").Number("n", 2)));
  EXPECT_EQ(c.Render(twice, "en"), "Note: Note: 2 pages");
  EXPECT_EQ(c.Render(twice, "nl"), "Let op: Let op: 2 pagina's");
}

TEST(MessageFormat, ListsOfTextTermsAndMessages) {
  const TextCatalog& c = Demo();
  Message m = M("ui.items")
                  .List("items", {TextItem("alpha"), TermItem("lawful_basis", "consent"),
                                  MessageItem(M("ui.pages").Number("n", 1))});
  EXPECT_EQ(c.Render(m, "en"), "Items: alpha, consent (Art. 6(1)(a)), 1 page");
  EXPECT_EQ(c.Render(m, "nl"), "Onderdelen: alpha, toestemming (art. 6 lid 1 sub a), 1 pagina");
  EXPECT_EQ(c.Render(M("ui.items").List("items", {}), "en"), "Items: ");
  EXPECT_EQ(c.Render(M("ui.items").List("items", {TextItem("one")}), "en"), "Items: one");
}

TEST(MessageFormat, TermsInEachLanguage) {
  const TextCatalog& c = Demo();
  EXPECT_EQ(c.Term("en", "lawful_basis", "consent"), "consent (Art. 6(1)(a))");
  EXPECT_EQ(c.Term("nl", "lawful_basis", "consent"), "toestemming (art. 6 lid 1 sub a)");
  EXPECT_EQ(c.Term("de", "lawful_basis", "consent"), "Einwilligung (Art. 6 Abs. 1 lit. a)");
  EXPECT_EQ(c.Term("de", "lawful_basis", "contract"), "contract (Art. 6(1)(b))");  // no German label: English
  EXPECT_EQ(c.Term("fr", "lawful_basis", "contract"), "contract (Art. 6(1)(b))");
  EXPECT_EQ(c.Term("en", "lawful_basis", "vital_interests"), "vital_interests");  // no label: the value
  EXPECT_EQ(c.Term("en", "no_such_vocab", "x"), "x");
  Message m = M("ui.basis").Term("basis", "lawful_basis", "consent");
  EXPECT_EQ(c.Render(m, "en"), "Basis: consent (Art. 6(1)(a))");
  EXPECT_EQ(c.Render(m, "nl"), "Grondslag: toestemming (art. 6 lid 1 sub a)");
  EXPECT_EQ(c.Render(m, "de"), "Rechtsgrundlage: Einwilligung (Art. 6 Abs. 1 lit. a)");
}

TEST(MessageFormat, UnknownIdRendersTheIdAndMissingArgumentRendersThePlaceholder) {
  const TextCatalog& c = Demo();
  EXPECT_EQ(c.Render(M("ui.no_such_message"), "en"), "ui.no_such_message");
  EXPECT_EQ(c.Render(M("BS999-nothing.gap").Text("x", "y"), "nl"), "BS999-nothing.gap");
  EXPECT_EQ(c.Render(Message(), "en"), "");
  EXPECT_EQ(c.Render(M("ui.hello"), "en"), "Hello {name}");
  EXPECT_EQ(c.Render(M("ui.hello").Text("nam", "typo"), "nl"), "Hallo {name}");
  EXPECT_EQ(c.Ui("en", MessageId{"ui.only_en"}), "Only in English");
  EXPECT_EQ(c.Ui("en", MessageId{"ui.nope"}), "ui.nope");
  EXPECT_EQ(c.Render(MessageId{"ui.only_en"}, "de"), "Only in English");
}

TEST(MessageFormat, MissingLanguageFallsBackToEnglish) {
  const TextCatalog& c = Demo();
  EXPECT_EQ(c.Render(M("ui.only_en"), "nl"), "Only in English");
  EXPECT_EQ(c.Render(M("ui.kind").Text("kind", "cookie"), "de"), "a cookie");
  EXPECT_EQ(c.Render(M("ui.hello").Text("name", "Ann"), "fr"), "Hello Ann");
  ASSERT_NE(c.Template("nl", "ui.hello"), nullptr);
  EXPECT_EQ(*c.Template("nl", "ui.hello"), "Hallo {name}");
  EXPECT_EQ(*c.Template("de", "ui.only_en"), "Only in English");
  EXPECT_EQ(c.Template("en", "ui.nope"), nullptr);
}

TEST(MessageFormat, RuleMessagesAndMetadata) {
  const TextCatalog& c = Demo();
  Message m = M("BS900-demo.no_basis").Text("purpose", "Ads");
  EXPECT_EQ(c.Render(m, "en"), "Purpose 'Ads' has no basis");
  EXPECT_EQ(c.Render(m, "nl"), "Doel 'Ads' heeft geen grondslag");
  EXPECT_EQ(c.Render(m, "de"), "Purpose 'Ads' has no basis");
  ASSERT_EQ(c.rules().size(), 1u);
  const RuleMeta* r = c.FindRule("BS900-demo");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(c.FindRule("BS900"), nullptr);
  EXPECT_EQ(r->severity, Severity::kHigh);
  EXPECT_EQ(r->applies_to, (std::vector<SubjectKind>{SubjectKind::kActivity}));
  EXPECT_EQ(r->needs, (std::vector<std::string>{"register"}));
  EXPECT_EQ(r->title.Get("de"), "Zweck ohne Rechtsgrundlage");
  bool fell_back = false;
  EXPECT_EQ(r->remediation.Get("de", &fell_back), "Record a basis.");
  EXPECT_TRUE(fell_back);
  // The action is kept on the rule and is a message "<rule id>.action" with {subject}.
  EXPECT_EQ(r->action.Get("nl"), "Leg een grondslag vast voor {subject}");
  EXPECT_EQ(c.Render(Message{MessageId{"BS900-demo.action"}}.Text("subject", "CRM"), "nl"),
            "Leg een grondslag vast voor CRM");
  ASSERT_EQ(r->sources.size(), 2u);
  EXPECT_EQ(r->sources[0].id, "gdpr-art-6");
  EXPECT_EQ(r->sources[0].kind, SourceKind::kLaw);
  EXPECT_EQ(r->sources[0].Title("nl"), "AVG art. 6");
  EXPECT_EQ(r->sources[1].Title("nl"), "Vendor privacy policy");  // a vendor document keeps its title
  EXPECT_EQ(c.sources().size(), 2u);
  EXPECT_EQ(c.FindSource("vendor-doc")->url, "https://vendor.example/privacy");
  EXPECT_EQ(c.FindSource("nope"), nullptr);
  auto all = c.AllMessages();
  ASSERT_FALSE(all.empty());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_NE(std::find(all.begin(), all.end(),
                      std::pair<std::string, std::string>("BS900-demo.no_basis",
                                                          "Purpose '{purpose}' has no basis")),
            all.end());
  EXPECT_EQ(all.size(), 11u);  // 9 ui strings, 1 rule message and the rule's action, English texts
}

TEST(MessageFormat, LanguagesAndVocabularies) {
  const TextCatalog& c = Demo();
  ASSERT_EQ(c.languages().size(), 3u);
  EXPECT_EQ(c.languages()[0].code, "en");
  EXPECT_EQ(c.languages()[0].name, "English");
  EXPECT_EQ(c.languages()[1].code, "de");
  EXPECT_EQ(c.languages()[1].name, "Deutsch");
  EXPECT_EQ(c.languages()[2].name, "Nederlands");
  EXPECT_EQ(c.LanguageCodes(), (std::vector<std::string_view>{"en", "de", "nl"}));
  EXPECT_TRUE(c.HasLanguage("nl"));
  EXPECT_FALSE(c.HasLanguage("fr"));
  EXPECT_EQ(c.Vocabulary("lawful_basis"), (std::vector<std::string>{"consent", "contract"}));
  EXPECT_TRUE(c.Vocabulary("channel").empty());
  EXPECT_TRUE(c.InVocabulary("lawful_basis", "contract"));
  EXPECT_FALSE(c.InVocabulary("lawful_basis", "Contract"));
  EXPECT_TRUE(c.load_errors().empty());
}

// ---- values: LocalizedText and Message ---------------------------------------------------

TEST(LocalizedText, FallsBackToEnglishAndSaysSo) {
  LocalizedText t{{"en", "Hello"}, {"nl", "Hallo"}};
  bool fell_back = false;
  EXPECT_EQ(t.Get("nl", &fell_back), "Hallo");
  EXPECT_FALSE(fell_back);
  EXPECT_EQ(t.Get("de", &fell_back), "Hello");
  EXPECT_TRUE(fell_back);
  EXPECT_EQ(t.Get("en"), "Hello");
  EXPECT_EQ(t.Find("de"), nullptr);
  ASSERT_NE(t.Find("nl"), nullptr);
  t.Set("de", "Hallo (de)");
  t.Set("nl", "Goedendag");
  EXPECT_EQ(t.Get("de"), "Hallo (de)");
  EXPECT_EQ(t.Get("nl"), "Goedendag");
  EXPECT_EQ(t.entries().size(), 3u);
  EXPECT_EQ((LocalizedText{{"en", "a"}}), (LocalizedText{{"en", "a"}}));
  EXPECT_NE((LocalizedText{{"en", "a"}}), (LocalizedText{{"en", "b"}}));
  // Without English there is nothing to fall back to.
  LocalizedText nl_only{{"nl", "alleen"}};
  bool fb = false;
  EXPECT_EQ(nl_only.Get("de", &fb), "");
  EXPECT_FALSE(fb);
  EXPECT_TRUE(LocalizedText().empty());
  EXPECT_EQ(LocalizedText().Get("en"), "");
}

TEST(MessageValue, BuildersArgumentsAndEquality) {
  Message m = Message(MessageId{"ui.x"}).Text("a", "t").Number("n", 3).Term("b", "lawful_basis", "consent");
  EXPECT_FALSE(m.empty());
  EXPECT_TRUE(Message().empty());
  ASSERT_NE(m.Arg("n"), nullptr);
  EXPECT_EQ(m.Arg("n")->kind, ArgKind::kNumber);
  EXPECT_EQ(m.Arg("n")->number, 3);
  EXPECT_EQ(m.Arg("b")->kind, ArgKind::kTerm);
  EXPECT_EQ(m.Arg("b")->vocab, "lawful_basis");
  EXPECT_EQ(m.Arg("b")->text, "consent");
  EXPECT_EQ(m.Arg("zzz"), nullptr);
  Message same =
      Message(MessageId{"ui.x"}).Text("a", "t").Number("n", 3).Term("b", "lawful_basis", "consent");
  EXPECT_EQ(m, same);
  EXPECT_NE(m, Message(MessageId{"ui.x"}).Text("a", "t").Number("n", 4).Term("b", "lawful_basis", "consent"));
  Message sub = Message(MessageId{"ui.y"}).Sub("inner", m);
  EXPECT_EQ(sub.Arg("inner")->kind, ArgKind::kMessage);
  ASSERT_EQ(sub.Arg("inner")->message.size(), 1u);
  EXPECT_EQ(sub.Arg("inner")->message[0], m);
  EXPECT_EQ(MessageItem(m).kind, ArgKind::kMessage);
  EXPECT_EQ(TextItem("x").name, "");
  EXPECT_EQ(ToString(SourceKind::kRuling), "ruling");
}

// ---- loading errors carry file:line:col ------------------------------------------------------

const Error* FindError(const Diagnostics& d, std::string_view needle) {
  for (const auto& e : d)
    if (e.message.find(needle) != std::string::npos) return &e;
  return nullptr;
}

TEST(CatalogErrors, BadTemplateSyntax) {
  Files f = BaseFiles();
  f["i18n/en.yaml"] = Replace(kEn, R"(hello: "Hello {name}")", R"(hello: "Hello {name")");
  Diagnostics d = LoadErrors(f);
  const Error* e = FindError(d, "message 'ui.hello' (en)");
  ASSERT_NE(e, nullptr) << AllText(d);
  EXPECT_EQ(Pos(*e), "i18n/en.yaml:3:10");
  EXPECT_EQ(e->kind, ErrorKind::kSchema);
  EXPECT_NE(e->message.find("position"), std::string::npos) << e->message;
  for (const char* bad : {"{n, plural, one {# page}}",               // no other branch
                          "{n, plurl, other {x}}",                   // unknown type
                          "text } here",                             // unmatched '}'
                          "{}",                                      // no name
                          "{kind, select, cookie {x} other {y}"}) {  // not closed
    SCOPED_TRACE(bad);
    Files g = BaseFiles();
    g["i18n/en.yaml"] =
        Replace(kEn, R"(only_en: "Only in English")", std::string("only_en: \"") + bad + "\"");
    Diagnostics dg = LoadErrors(g);
    const Error* eg = FindError(dg, "message 'ui.only_en' (en)");
    ASSERT_NE(eg, nullptr) << AllText(dg);
    EXPECT_EQ(Pos(*eg), "i18n/en.yaml:11:12");
  }
}

TEST(CatalogErrors, PlaceholderThatTheEnglishTextLacks) {
  Files f = BaseFiles();
  f["i18n/nl.yaml"] = Replace(kNl, R"(hello: "Hallo {name}")", R"(hello: "Hallo {naam}")");
  f["i18n/de.yaml"] = Replace(kDe, R"(pages: "{n, plural)", R"(pages: "{count, plural)");
  f["rules/BS900-demo.yaml"] = Replace(kRule, "Doel '{purpose}'", "Doel '{doel}'");
  Diagnostics d = LoadErrors(f);
  ASSERT_EQ(d.size(), 3u) << AllText(d);
  const Error* nl = FindError(d, "message 'ui.hello' (nl)");
  ASSERT_NE(nl, nullptr) << AllText(d);
  EXPECT_EQ(nl->message,
            "message 'ui.hello' (nl) uses the placeholder '{naam}', which the English text does not have");
  EXPECT_EQ(Pos(*nl), "i18n/nl.yaml:3:10");
  const Error* de = FindError(d, "message 'ui.pages' (de)");
  ASSERT_NE(de, nullptr) << AllText(d);
  EXPECT_EQ(Pos(*de), "i18n/de.yaml:4:10");
  EXPECT_NE(de->message.find("'{count}'"), std::string::npos);
  const Error* rule = FindError(d, "message 'BS900-demo.no_basis' (nl)");
  ASSERT_NE(rule, nullptr) << AllText(d);
  EXPECT_EQ(Pos(*rule), "rules/BS900-demo.yaml:23:9");
  // Fewer placeholders than English is fine (a language may leave one out).
  Files ok = BaseFiles();
  ok["i18n/nl.yaml"] = Replace(kNl, R"(hello: "Hallo {name}")", R"(hello: "Hallo")");
  EXPECT_TRUE(TextCatalog::FromFiles(AsList(ok)).has_value());
}

TEST(CatalogErrors, UnknownSourceIdInARule) {
  Files f = BaseFiles();
  f["rules/BS900-demo.yaml"] = Replace(kRule, "  - gdpr-art-6\n", "  - gdpr-art-7\n");
  Diagnostics d = LoadErrors(f);
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].message, "unknown source id 'gdpr-art-7'");
  EXPECT_EQ(Pos(d[0]), "rules/BS900-demo.yaml:18:5");
  EXPECT_EQ(d[0].hint, "did you mean 'gdpr-art-6'?");
}

TEST(CatalogErrors, UnknownVocabularyValueInTerms) {
  Files f = BaseFiles();
  f["i18n/nl.yaml"] = Replace(kNl, "    contract: \"overeenkomst", "    contrakt: \"overeenkomst");
  Diagnostics d = LoadErrors(f);
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(d[0].kind, ErrorKind::kReference);
  EXPECT_EQ(d[0].message, "'contrakt' is not a value of vocabulary 'lawful_basis'");
  EXPECT_EQ(Pos(d[0]), "i18n/nl.yaml:12:5");
  EXPECT_EQ(d[0].hint, "did you mean 'contract'?");
  EXPECT_EQ(d[0].expected, "one of consent, contract");
  // An unknown vocabulary too.
  Files g = BaseFiles();
  g["i18n/de.yaml"] = Replace(kDe, "  lawful_basis:\n", "  lawful_bases:\n");
  Diagnostics dg = LoadErrors(g);
  ASSERT_EQ(dg.size(), 1u) << AllText(dg);
  EXPECT_EQ(dg[0].message, "unknown vocabulary 'lawful_bases' in terms");
  EXPECT_EQ(Pos(dg[0]), "i18n/de.yaml:7:3");
  EXPECT_EQ(dg[0].hint, "did you mean 'lawful_basis'?");
}

TEST(CatalogErrors, VocabularyValueWithoutEnglishLabel) {
  Files f = BaseFiles();
  f["vocab.yaml"] = "lawful_basis: [consent, contract, public_task]\n";
  Diagnostics d = LoadErrors(f);
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(d[0].message, "vocabulary value 'lawful_basis.public_task' has no English label in i18n/en.yaml");
  // Located where the value is defined (the label belongs in i18n/en.yaml, as the message says).
  EXPECT_EQ(Pos(d[0]), "vocab.yaml:1:35");
}

TEST(CatalogErrors, LanguageKeyWithoutAnI18nFile) {
  Files f = BaseFiles();
  f["rules/BS900-demo.yaml"] =
      Replace(kRule, "  de: \"Zweck ohne Rechtsgrundlage\"\n",
              "  de: \"Zweck ohne Rechtsgrundlage\"\n  fr: \"Finalité sans base\"\n");
  f["sources.yaml"] =
      Replace(kSources, "    de: \"DSGVO Art. 6\"\n", "    de: \"DSGVO Art. 6\"\n    es: \"RGPD art. 6\"\n");
  Diagnostics d = LoadErrors(f);
  ASSERT_EQ(d.size(), 2u) << AllText(d);
  const Error* fr = FindError(d, "unknown key 'fr'");
  ASSERT_NE(fr, nullptr) << AllText(d);
  EXPECT_EQ(fr->message, "unknown key 'fr' in 'title'");
  EXPECT_EQ(Pos(*fr), "rules/BS900-demo.yaml:9:3");
  EXPECT_EQ(fr->expected, "one of de, en, nl");  // the languages with an i18n file
  const Error* es = FindError(d, "unknown key 'es'");
  ASSERT_NE(es, nullptr) << AllText(d);
  EXPECT_EQ(Pos(*es), "sources.yaml:8:5");
}

TEST(CatalogErrors, OtherProblems) {
  Files no_en = BaseFiles();
  no_en.erase("i18n/en.yaml");
  Diagnostics d = LoadErrors(no_en);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "no English language file");

  Files id = BaseFiles();
  id["rules/BS900-demo.yaml"] = Replace(kRule, "id: \"BS900-demo\"", "id: \"BS900-other\"");
  d = LoadErrors(id);
  ASSERT_NE(FindError(d, "does not match the file name"), nullptr) << AllText(d);
  EXPECT_EQ(Pos(*FindError(d, "does not match the file name")), "rules/BS900-demo.yaml:1:5");

  Files msg_no_en = BaseFiles();
  msg_no_en["rules/BS900-demo.yaml"] = Replace(kRule, "    en: \"Purpose '{purpose}' has no basis\"\n", "");
  d = LoadErrors(msg_no_en);
  ASSERT_NE(FindError(d, "'messages.no_basis' has no English text"), nullptr) << AllText(d);

  Files url = BaseFiles();
  url["sources.yaml"] = Replace(kSources, "https://vendor.example/privacy", "http://vendor.example/privacy");
  d = LoadErrors(url);
  ASSERT_EQ(d.size(), 1u) << AllText(d);
  EXPECT_EQ(d[0].message, "source url is not an https URL: 'http://vendor.example/privacy'");
  EXPECT_EQ(Pos(d[0]), "sources.yaml:10:8");

  Files ui = BaseFiles();
  ui["i18n/nl.yaml"] = Replace(kNl, "  hello:", "  Hello-World:");
  d = LoadErrors(ui);
  ASSERT_NE(FindError(d, "UI key 'Hello-World' is not lower_snake_case"), nullptr) << AllText(d);
}

// ---- the built-in catalogue ------------------------------------------------------------------

const TextCatalog& B() { return TextCatalog::Builtin(); }

TEST(BuiltinCatalog, LoadsWithoutErrors) {
  EXPECT_TRUE(B().load_errors().empty()) << AllText(B().load_errors());
  EXPECT_EQ(&TextCatalog::Builtin(), &B());
  EXPECT_EQ(B().LanguageCodes(), (std::vector<std::string_view>{"en", "de", "nl"}));
  std::map<std::string, std::string> names;
  for (const auto& l : B().languages()) names[l.code] = l.name;
  EXPECT_EQ(names,
            (std::map<std::string, std::string>{{"en", "English"}, {"nl", "Nederlands"}, {"de", "Deutsch"}}));
  EXPECT_GE(B().rules().size(), 18u);
  EXPECT_GE(B().sources().size(), 150u);
}

// Issue 8: a law source links to the exact article, not to the top of the
// regulation: EUR-Lex with the article anchor (#art_N, N the first article
// its id names), wetten.overheid.nl with the Artikel anchor or the article's juriconnect identifier.
TEST(BuiltinCatalog, LawSourcesLinkToTheExactArticle) {
  size_t laws = 0;
  for (const Source& s : B().sources()) {
    if (s.kind != SourceKind::kLaw) continue;
    ++laws;
    // The juriconnect identifier of a Dutch article (jci1.3:c:BWBR...&artikel=N) resolves to that
    // article: as exact as an anchor. N is the first article the id names (uavg-art-31-33 -> 31).
    if (s.url.starts_with("https://wetten.overheid.nl/jci1.3:c:")) {
      size_t at = s.id.find("-art-");
      ASSERT_NE(at, std::string::npos) << s.id;
      std::string first = s.id.substr(at + 5, s.id.find('-', at + 5) - (at + 5));
      EXPECT_TRUE(s.url.ends_with("&artikel=" + first)) << s.id << ": " << s.url;
      continue;
    }
    size_t hash = s.url.find('#');
    ASSERT_NE(hash, std::string::npos) << s.id << " links to the top of the act: " << s.url;
    std::string fragment = s.url.substr(hash + 1);
    if (s.url.starts_with("https://eur-lex.europa.eu/")) {
      // gdpr-art-30-1-a-d -> art_30; eprivacy-art-5-3 -> art_5; gdpr-recital-26 -> rct_26
      if (size_t r = s.id.find("-recital-"); r != std::string::npos) {
        EXPECT_EQ(fragment, "rct_" + s.id.substr(r + 9)) << s.id << ": " << s.url;
        continue;
      }
      size_t at = s.id.find("-art-");
      ASSERT_NE(at, std::string::npos) << s.id;
      std::string number = s.id.substr(at + 5, s.id.find('-', at + 5) - (at + 5));
      EXPECT_EQ(fragment, "art_" + number) << s.id << ": " << s.url;
    } else if (s.url.starts_with("https://wetten.overheid.nl/")) {
      // telecomwet-art-11-7a -> ...Artikel11.7a (and not Artikel11.7 for it)
      size_t at = s.id.find("-art-");
      ASSERT_NE(at, std::string::npos) << s.id;
      std::string number = s.id.substr(at + 5);
      std::replace(number.begin(), number.end(), '-', '.');
      EXPECT_TRUE(fragment.ends_with("_Artikel" + number)) << s.id << ": " << s.url;
    } else {
      ADD_FAILURE() << s.id << ": a law source outside EUR-Lex and wetten.overheid.nl; teach this test its "
                    << "article anchor: " << s.url;
    }
  }
  EXPECT_GE(laws, 30u);
}

// The ui keys of every language file and the messages of every rule file, read
// with the same walker as the catalogue (so a text missing in one language is
// not hidden by the fallback to English).
std::map<std::string, std::set<std::string>> MessageIdsByLanguage() {
  std::map<std::string, std::set<std::string>> out;
  for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
    std::string path = kDataFiles[i].path;
    bool i18n = path.starts_with("i18n/"), rule = path.starts_with("rules/");
    if (!i18n && !rule) continue;
    input::Walker w(kDataFiles[i].data, path);
    auto root = w.Load("test");
    EXPECT_TRUE(root.has_value()) << path;
    if (!root) continue;
    if (i18n) {
      std::string lang = path.substr(5, path.size() - 10);
      for (auto it = (*root)["ui"].begin(); it != (*root)["ui"].end(); ++it)
        out[lang].insert("ui." + std::string(it->first.Scalar()));
    } else {
      std::string stem = path.substr(6, path.size() - 11);
      // A rule's `action` is the message "<rule id>.action" (the action list).
      for (auto lt = (*root)["action"].begin(); lt != (*root)["action"].end(); ++lt)
        out[std::string(lt->first.Scalar())].insert(stem + ".action");
      auto msgs = (*root)["messages"];
      for (auto it = msgs.begin(); it != msgs.end(); ++it)
        for (auto lt = it->second.begin(); lt != it->second.end(); ++lt)
          out[std::string(lt->first.Scalar())].insert(stem + "." + std::string(it->first.Scalar()));
    }
  }
  return out;
}

TEST(BuiltinCatalog, EveryMessageExistsInAllThreeLanguages) {
  auto ids = MessageIdsByLanguage();
  ASSERT_EQ(ids.size(), 3u);
  size_t ui = 0;
  for (const auto& id : ids["en"]) ui += id.starts_with("ui.");
  EXPECT_GE(ui, 100u);
  for (const char* lang : {"nl", "de"}) {
    SCOPED_TRACE(lang);
    std::vector<std::string> missing, extra;
    std::set_difference(ids["en"].begin(), ids["en"].end(), ids[lang].begin(), ids[lang].end(),
                        std::back_inserter(missing));
    std::set_difference(ids[lang].begin(), ids[lang].end(), ids["en"].begin(), ids["en"].end(),
                        std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
    EXPECT_TRUE(extra.empty()) << ::testing::PrintToString(extra);
  }
  // And the catalogue holds exactly the English ones.
  std::set<std::string> in_catalog;
  for (const auto& [id, text] : B().AllMessages()) in_catalog.insert(id);
  EXPECT_EQ(in_catalog, ids["en"]);
}

TEST(BuiltinCatalog, RuleMetadataInAllLanguagesWithSources) {
  for (const RuleMeta& r : B().rules()) {
    SCOPED_TRACE(r.id);
    for (const char* lang : {"en", "nl", "de"}) {
      EXPECT_NE(r.title.Find(lang), nullptr) << lang;
      EXPECT_NE(r.explanation.Find(lang), nullptr) << lang;
      EXPECT_NE(r.remediation.Find(lang), nullptr) << lang;
    }
    EXPECT_FALSE(r.applies_to.empty());
    ASSERT_FALSE(r.sources.empty());
    for (const Source& s : r.sources) {
      EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.id;
      EXPECT_EQ(s, *B().FindSource(s.id));
    }
  }
  const RuleMeta* bs004 = B().FindRule(rule_id::BS004);
  ASSERT_NE(bs004, nullptr);
  EXPECT_EQ(bs004->severity, Severity::kMedium);  // the base; raised in context
  EXPECT_EQ(bs004->title.Get("nl"), "Doel zonder grondslag");
  EXPECT_EQ(bs004->sources.at(0).id, "gdpr-art-6-1");
}

TEST(BuiltinCatalog, RendersRealMessagesInEachLanguage) {
  Message m =
      Message(msg::BS004::purpose_no_basis).Text("purpose", "Retargeting").Text("activity", "Marketing");
  EXPECT_EQ(B().Render(m, "en"), "Purpose 'Retargeting' of activity 'Marketing' has no lawful basis");
  EXPECT_EQ(B().Render(m, "nl"), "Doel 'Retargeting' van verwerking 'Marketing' heeft geen grondslag");
  EXPECT_EQ(B().Render(m, "de"),
            "Zweck 'Retargeting' der Verarbeitungstätigkeit 'Marketing' hat keine Rechtsgrundlage");
  Message third = Message(ui::detect_third_parties).Number("hosts", 1).Number("unmatched", 0);
  EXPECT_EQ(B().Render(third, "en"), "1 third-party host, 0 not attributed to a known touchpoint");
  third = Message(ui::detect_third_parties).Number("hosts", 5).Number("unmatched", 2);
  EXPECT_EQ(B().Render(third, "en"), "5 third-party hosts, 2 not attributed to a known touchpoint:");
  EXPECT_EQ(B().Render(ui::report_title, "en"), "blindspot audit report");
  EXPECT_EQ(B().Term("nl", "transfer_safeguard", "sccs"), "modelcontractbepalingen");
  EXPECT_EQ(B().Term("en", "transfer_safeguard", "sccs"), "standard contractual clauses");
}

TEST(BuiltinCatalog, EveryTemplateRendersWithoutArgumentsInEveryLanguage) {
  for (const auto& [id, en] : B().AllMessages()) {
    for (std::string_view lang : B().LanguageCodes()) {
      std::string out = B().Render(Message(MessageId{id}), lang);
      EXPECT_NE(out, id) << id << " in " << lang;  // known, so not rendered as its id
    }
  }
}

// The enum vocabularies of data/vocab.yaml equal the C++ enums' string forms,
// and every vocabulary value has a label in every language.
TEST(BuiltinCatalog, VocabulariesMatchTheEnumsAndHaveLabels) {
  auto strings = [](const std::vector<std::string_view>& v) {
    return std::vector<std::string>(v.begin(), v.end());
  };
  EXPECT_EQ(B().Vocabulary("lawful_basis"), strings(LawfulBasisValues()));
  EXPECT_EQ(B().Vocabulary("transfer_safeguard"), strings(TransferSafeguardValues()));
  EXPECT_EQ(B().Vocabulary("vendor_role"), strings(VendorRoleValues()));
  EXPECT_EQ(B().Vocabulary("agreement_status"), strings(AgreementStatusValues()));
  EXPECT_EQ(B().Vocabulary("dpia_status"), strings(DpiaStatusValues()));
  EXPECT_EQ(B().Vocabulary("recipient_kind"), strings(RecipientKindValues()));
  std::vector<std::string> sev, subj;
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh})
    sev.emplace_back(ToString(s));
  for (SubjectKind k : {SubjectKind::kRegister, SubjectKind::kOrganisation, SubjectKind::kActivity,
                        SubjectKind::kProcessor, SubjectKind::kTouchpoint, SubjectKind::kDetected})
    subj.emplace_back(ToString(k));
  EXPECT_EQ(B().Vocabulary("severity"), sev);
  EXPECT_EQ(B().Vocabulary("subject_kind"), subj);
  std::vector<std::string> issues, actions;
  for (ReadIssue i : AllReadIssues()) issues.emplace_back(ToString(i));
  for (ReadAction a : AllReadActions()) actions.emplace_back(ToString(a));
  EXPECT_EQ(B().Vocabulary("har_issue"), issues);
  EXPECT_EQ(B().Vocabulary("har_action"), actions);
  std::vector<std::string> phases = {std::string(ToString(ConsentPhase::kUnknown))};
  for (ConsentPhase p : AllConsentPhases()) phases.emplace_back(ToString(p));
  EXPECT_EQ(B().Vocabulary("consent_phase"), phases);
  std::vector<std::string> states;
  for (FileState f : {FileState::kOk, FileState::kChanged, FileState::kMissing, FileState::kExtra})
    states.emplace_back(ToString(f));
  EXPECT_EQ(B().Vocabulary("file_state"), states);
  EXPECT_EQ(B().Vocabulary("json_type"),
            (std::vector<std::string>{"string", "number", "object", "array", "boolean", "null"}));
  EXPECT_EQ(B().Vocabulary("channel"),
            (std::vector<std::string>{"web-tracking", "advertising", "messaging", "chat", "phone", "email",
                                      "video", "reviews", "feedback", "social", "web-resources"}));
  // Labels, read from the language files themselves (Term() falls back to English, then to the value).
  std::map<std::string, std::set<std::string>> labels;  // lang -> "vocab.value"
  for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
    std::string path = kDataFiles[i].path;
    if (!path.starts_with("i18n/")) continue;
    std::string lang = path.substr(5, path.size() - 10);
    input::Walker w(kDataFiles[i].data, path);
    auto root = w.Load("test");
    ASSERT_TRUE(root.has_value()) << path;
    auto terms = (*root)["terms"];
    for (auto vt = terms.begin(); vt != terms.end(); ++vt)
      for (auto it = vt->second.begin(); it != vt->second.end(); ++it)
        labels[lang].insert(std::string(vt->first.Scalar()) + "." + std::string(it->first.Scalar()));
  }
  ASSERT_EQ(labels.size(), 3u);
  for (const char* vocab : {"channel", "kb_category", "lawful_basis", "transfer_safeguard", "vendor_role",
                            "agreement_status", "dpia_status", "recipient_kind", "severity", "subject_kind",
                            "har_issue", "har_action", "json_type"}) {
    ASSERT_FALSE(B().Vocabulary(vocab).empty()) << vocab;
    for (const std::string& v : B().Vocabulary(vocab))
      for (const auto& [lang, have] : labels)
        EXPECT_TRUE(have.count(std::string(vocab) + "." + v))
            << vocab << "." << v << " has no label in " << lang;
  }
  EXPECT_EQ(B().Term("nl", "lawful_basis", "consent"), "toestemming (art. 6 lid 1 sub a)");
}

// ---- the build-time generator ------------------------------------------------------------------

std::string GeneratorPath() {
  return (fs::read_symlink("/proc/self/exe").parent_path() / ".." / "src" / "gen_text_ids")
      .lexically_normal()
      .string();
}

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

RunResult RunCommand(const std::string& command) {
  RunResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class GenTextIds : public ::testing::Test {
 protected:
  void SetUp() override {
    gen_ = GeneratorPath();
    ASSERT_TRUE(fs::exists(gen_)) << gen_ << " (build the gen_text_ids target)";
    std::string tmpl = (fs::temp_directory_path() / "bs-gen-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    fs::path src = fs::path(BLINDSPOT_SOURCE_DIR) / "data";
    fs::create_directories(dir_ / "data");
    for (const char* d : {"i18n", "rules", "sources"})
      fs::copy(src / d, dir_ / "data" / d, fs::copy_options::recursive);
    for (const char* f : {"vocab.yaml", "sources.yaml"}) fs::copy_file(src / f, dir_ / "data" / f);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  RunResult Generate() {
    return RunCommand(Quote(gen_) + " " + Quote((dir_ / "data").string()) + " " + Quote(Out()));
  }
  std::string Out() const { return (dir_ / "out" / "blindspot" / "text_ids.h").string(); }
  std::string Read(const std::string& rel) const {
    std::ifstream in(dir_ / "data" / rel, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void Write(const std::string& rel, const std::string& text) const {
    std::ofstream(dir_ / "data" / rel, std::ios::binary) << text;
  }
  // "line:col" (1-based) of the first occurrence of `needle` in data/rel.
  std::string LineColOf(const std::string& rel, const std::string& needle) const {
    std::string text = Read(rel);
    size_t at = text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    size_t bol = text.rfind('\n', at);
    size_t col = at - (bol == std::string::npos ? 0 : bol + 1) + 1;
    return std::to_string(line) + ":" + std::to_string(col);
  }

  std::string gen_;
  fs::path dir_;
};

TEST_F(GenTextIds, WritesTheHeaderForGoodData) {
  RunResult r = Generate();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(Out());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string h = ss.str();
  EXPECT_NE(
      h.find("inline constexpr MessageId purpose_no_basis{\"BS004-no-lawful-basis.purpose_no_basis\"};"),
      std::string::npos);
  EXPECT_NE(h.find("inline constexpr MessageId report_title{\"ui.report_title\"};"), std::string::npos);
  EXPECT_NE(h.find("inline constexpr std::string_view BS004 = \"BS004-no-lawful-basis\";"),
            std::string::npos);
}

TEST_F(GenTextIds, ABrokenMessageFailsWithFileLineAndColumn) {
  const std::string rel = "rules/BS004-no-lawful-basis.yaml";
  const std::string good = "\"Purpose '{purpose}' of activity '{activity}' has no lawful basis\"";
  std::string where = LineColOf(rel, good);
  Write(rel, Replace(Read(rel), good, "\"Purpose '{purpose' of activity '{activity}' has no lawful basis\""));
  RunResult r = Generate();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  std::string expect = (dir_ / "data" / rel).string() + ":" + where +
                       ": error: message 'BS004-no-lawful-basis.purpose_no_basis' (en): position";
  EXPECT_NE(r.output.find(expect), std::string::npos) << "expected: " << expect << "\noutput:\n" << r.output;
  EXPECT_NE(r.output.find("gen_text_ids: 1 problem(s) in the text data"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(Out())) << "no header is written for broken data";
}

TEST_F(GenTextIds, APlaceholderOnlyInGermanFailsWithFileLineAndColumn) {
  const std::string rel = "i18n/de.yaml";
  const std::string line = "kb_text_fallback: \"";
  std::string text = Read(rel);
  size_t at = text.find(line);
  ASSERT_NE(at, std::string::npos);
  std::string where = LineColOf(rel, line);
  // The value starts after the key.
  std::string col_of_value = where.substr(0, where.find(':')) + ":" +
                             std::to_string(std::stoi(where.substr(where.find(':') + 1)) + 18);
  text.insert(at + line.size(), "{sprache} ");
  Write(rel, text);
  RunResult r = Generate();
  EXPECT_EQ(r.exit_code, 1) << r.output;
  std::string expect = (dir_ / "data" / rel).string() + ":" + col_of_value +
                       ": error: message 'ui.kb_text_fallback' (de) uses the placeholder '{sprache}'";
  EXPECT_NE(r.output.find(expect), std::string::npos) << "expected: " << expect << "\noutput:\n" << r.output;
}

TEST_F(GenTextIds, UsageErrors) {
  RunResult r = RunCommand(Quote(gen_));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("usage: gen_text_ids <data dir> <output header>"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace blindspot

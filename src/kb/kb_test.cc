// Tests for the knowledge-base loader and for the embedded entries.
#include "blindspot/kb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/embedded.h"
#include "blindspot/env.h"
#include "blindspot_testing/realdata.h"

namespace blindspot {
namespace {

const TextCatalog& Cat() { return TextCatalog::Builtin(); }

const Kb& EmbeddedKb() {
  static const Kb* kb = [] {
    auto r = Kb::LoadEmbedded();
    if (!r) {
      ADD_FAILURE() << r.error().Format();
      return new Kb();
    }
    return new Kb(std::move(*r));
  }();
  return *kb;
}

// A minimal valid entry; tests below break it in one place at a time.
// Sources are cited by id from data/sources.yaml.
std::string ValidEntry(const std::string& id = "demo-widget") {
  return "id: " + id + R"(
name: Demo Widget
category: live-chat
channel: chat
description:
  en: A demo chat widget.
  nl: Een demo-chatwidget.
vendor:
  legal_entity: Demo B.V.
  country: NL
  processing_country: NL
  transfer_mechanism: none
  sources:
    - livechat-legal-faq
signatures:
  requests:
    - host: widget.demo.example
      path_prefix: /loader.js
  cookies: [demo_id, demo_session_*]
data_categories: [user.device.cookie_id]
data_uses: [essential.service.operations.support]
role:
  value: processor
  reason:
    en: DPA.
    nl: Verwerkersovereenkomst.
  sources:
    - gdpr-art-4-7-8-26-28
consent_required:
  value: "true"
  reason:
    en: Cookies.
    nl: Cookies.
  sources:
    - telecomwet-art-11-7a
)";
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

Result<KbEntry> Parse(const std::string& text, const std::string& file = "demo-widget.yaml") {
  return Kb::ParseEntry(text, file, Cat());
}

// ---------------------------------------------------------------- loader

TEST(KbParse, ValidEntryParses) {
  auto e = Parse(ValidEntry(), "data/kb/demo-widget.yaml");
  ASSERT_TRUE(e) << e.error().Format();
  EXPECT_EQ(e->id, "demo-widget");
  EXPECT_EQ(e->category, "live-chat");
  EXPECT_EQ(e->channel, "chat");
  EXPECT_EQ(e->vendor.legal_entity, "Demo B.V.");
  EXPECT_EQ(e->vendor.transfer_mechanism, TransferSafeguard::kNone);
  ASSERT_EQ(e->signatures.requests.size(), 1u);
  EXPECT_EQ(e->signatures.requests[0].host, "widget.demo.example");
  EXPECT_EQ(e->signatures.requests[0].path_prefix, "/loader.js");
  EXPECT_EQ(e->signatures.requests[0].Pattern(), "widget.demo.example/loader.js");
  EXPECT_EQ(e->signatures.cookies, (std::vector<std::string>{"demo_id", "demo_session_*"}));
  EXPECT_EQ(e->role.value, VendorRole::kProcessor);
  EXPECT_EQ(e->role.reason.Get("nl"), "Verwerkersovereenkomst.");
  EXPECT_EQ(e->consent_required.value, true);
  EXPECT_EQ(e->description.Get("nl"), "Een demo-chatwidget.");
  bool fell_back = false;
  EXPECT_EQ(e->description.Get("de", &fell_back), "A demo chat widget.");  // no German text: English
  EXPECT_TRUE(fell_back);
  // Sources are resolved from the catalogue.
  ASSERT_EQ(e->role.sources.size(), 1u);
  EXPECT_EQ(e->role.sources[0], *Cat().FindSource("gdpr-art-4-7-8-26-28"));
  EXPECT_EQ(e->role.sources[0].kind, SourceKind::kLaw);
  EXPECT_EQ(e->vendor.sources.at(0).id, "livechat-legal-faq");
  EXPECT_EQ(e->consent_required.sources.at(0).url,
            "https://wetten.overheid.nl/BWBR0009950/#Hoofdstuk11_Paragraaf11.1_Artikel11.7a");
  EXPECT_TRUE(e->sources.empty());
}

TEST(KbParse, ConsentRequiredIsABoolean) {
  auto f = Parse(Replace(ValidEntry(), "value: \"true\"", "value: false"));
  ASSERT_TRUE(f) << f.error().Format();
  EXPECT_EQ(f->consent_required.value, false);
  auto bad = Parse(Replace(ValidEntry(), "value: \"true\"", "value: maybe"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "'consent_required.value' must be true or false, found 'maybe'");
  EXPECT_EQ(bad.error().where.line, 30u);
  EXPECT_EQ(bad.error().where.column, 10u);
}

// The Dutch analytics exemption (art. 11.7a(3)(b) Tw): an optional claim with
// the signatures whose evidence contradicts it; sources are required.
TEST(KbParse, AnalyticsExemptionClaim) {
  EXPECT_FALSE(Parse(ValidEntry())->analytics_exemption.value);  // absent: not configurable
  std::string claim =
      "analytics_exemption:\n  value: true\n  reason:\n    en: \"Configurable.\"\n  sources:\n"
      "    - telecomwet-art-11-7a\n  contradicted_by:\n    - \"ads.demo.example\"\n";
  auto e = Parse(ValidEntry() + claim);
  ASSERT_TRUE(e) << e.error().Format();
  EXPECT_TRUE(e->analytics_exemption.value);
  EXPECT_EQ(e->analytics_exemption.contradicted_by, std::vector<std::string>{"ads.demo.example"});
  EXPECT_EQ(e->analytics_exemption.sources.at(0).id, "telecomwet-art-11-7a");
  auto bad = Parse(ValidEntry() + "analytics_exemption:\n  value: true\n  reason:\n    en: \"No source.\"\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("sources"), std::string::npos) << bad.error().Format();
  // The shipped claims: Matomo Cloud and Google Analytics (its advertising features contradict it).
  const KbEntry* matomo = EmbeddedKb().Find("matomo-cloud");
  const KbEntry* ga = EmbeddedKb().Find("google-analytics");
  ASSERT_TRUE(matomo && ga);
  EXPECT_TRUE(matomo->analytics_exemption.value);
  EXPECT_TRUE(ga->analytics_exemption.value);
  EXPECT_NE(std::find(ga->analytics_exemption.contradicted_by.begin(),
                      ga->analytics_exemption.contradicted_by.end(), "stats.g.doubleclick.net"),
            ga->analytics_exemption.contradicted_by.end());
  EXPECT_FALSE(EmbeddedKb().Find("meta-pixel")->analytics_exemption.value);
}

TEST(KbParse, UnknownKeyHasLineAndColumn) {
  std::string text = Replace(ValidEntry(), "channel: chat\n", "channel: chat\nchanel: typo\n");
  auto e = Parse(text, "kb/demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_EQ(e.error().where.file, "kb/demo-widget.yaml");
  EXPECT_EQ(e.error().where.line, 5u);
  EXPECT_EQ(e.error().where.column, 1u);
  EXPECT_NE(e.error().message.find("chanel"), std::string::npos);
  EXPECT_NE(e.error().expected.find("channel"), std::string::npos);
  EXPECT_EQ(e.error().hint, "did you mean 'channel'?");
  EXPECT_EQ(e.error().source_line, "chanel: typo");
  EXPECT_EQ(e.error().Format().rfind("kb/demo-widget.yaml:5:1: error:", 0), 0u) << e.error().Format();
}

TEST(KbParse, MissingSourceIsAnError) {
  std::string text = Replace(ValidEntry(), "  sources:\n    - gdpr-art-4-7-8-26-28\n", "  sources: []\n");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_EQ(e.error().message, "role.sources needs at least 1 source(s)");
  EXPECT_EQ(e.error().where.line, 27u);  // role.sources
  EXPECT_EQ(e.error().where.column, 12u);
  auto none = Parse(Replace(ValidEntry(), "  sources:\n    - gdpr-art-4-7-8-26-28\n", ""));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "missing required key 'sources' in 'role'");
}

TEST(KbParse, MissingRequiredKeyNamesIt) {
  std::string text = Replace(ValidEntry(), "  transfer_mechanism: none\n", "");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("transfer_mechanism"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 9u);  // the vendor mapping starts on line 9
  EXPECT_EQ(e.error().where.column, 3u);
}

TEST(KbParse, WrongTypeIsAnError) {
  std::string text = Replace(ValidEntry(), "  cookies: [demo_id, demo_session_*]", "  cookies: demo_id");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_EQ(e.error().message, "'signatures.cookies' must be a list, found a text value");
  EXPECT_EQ(e.error().where.line, 19u);
  EXPECT_EQ(e.error().where.column, 12u);
}

TEST(KbParse, UnknownSourceIdIsAReferenceErrorWithASuggestion) {
  std::string text = Replace(ValidEntry(), "    - gdpr-art-4-7-8-26-28", "    - gdpr-art-4-7-8-26-27");
  auto e = Parse(text, "kb/demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kReference);
  EXPECT_EQ(e.error().message, "role.sources: unknown source id 'gdpr-art-4-7-8-26-27'");
  EXPECT_EQ(e.error().hint, "did you mean 'gdpr-art-4-7-8-26-28'?");
  EXPECT_EQ(e.error().where.line, 28u);
  EXPECT_EQ(e.error().where.column, 7u);
  auto far = Parse(Replace(ValidEntry(), "    - gdpr-art-4-7-8-26-28", "    - some-blog-post"));
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().hint, "add the source to data/sources/<vendor group>.yaml (docs/sources.md)");
}

TEST(KbParse, SourceTitlesComeFromTheCatalogueInEveryLanguage) {
  auto e = Parse(ValidEntry());
  ASSERT_TRUE(e) << e.error().Format();
  // A law has a title per language; a vendor document keeps its own (English) title.
  const Source& law = e->consent_required.sources.at(0);
  EXPECT_EQ(law.Title("en"), "Telecommunicatiewet (NL), art. 11.7a (Dutch cookie rule)");
  EXPECT_EQ(law.Title("nl"), "Telecommunicatiewet art. 11.7a (cookiebepaling)");
  EXPECT_EQ(law.Title("de"), "Telecommunicatiewet (NL), Art. 11.7a (niederländische Cookie-Regelung)");
  const Source& vendor = e->vendor.sources.at(0);
  EXPECT_EQ(vendor.kind, SourceKind::kVendor);
  EXPECT_FALSE(vendor.Title("en").empty());
  EXPECT_EQ(vendor.Title("nl"), vendor.Title("en"));
  // The same source cited twice in one list counts once.
  auto twice = Parse(Replace(ValidEntry(), "    - gdpr-art-4-7-8-26-28\n",
                             "    - gdpr-art-4-7-8-26-28\n    - gdpr-art-4-7-8-26-28\n"));
  ASSERT_TRUE(twice) << twice.error().Format();
  EXPECT_EQ(twice->role.sources.size(), 1u);
}

TEST(KbParse, AnInlineSourceOfTheOldFormatIsAnErrorWithLocation) {
  // Sources used to be written inline ({title, url, title_nl}); now they are ids.
  std::string text = Replace(ValidEntry(), "    - gdpr-art-4-7-8-26-28\n",
                             "    - title: Demo DPA\n      url: https://demo.example/dpa\n");
  auto e = Parse(text, "kb/demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_EQ(e.error().message, "item 1 of 'role.sources' must be a text value, found a map");
  EXPECT_EQ(e.error().where.line, 28u);
  EXPECT_EQ(e.error().where.column, 7u);
  EXPECT_EQ(e.error().Format().rfind("kb/demo-widget.yaml:28:7: error:", 0), 0u) << e.error().Format();
}

TEST(KbParse, TextsNeedEnglishAndKnownLanguages) {
  auto no_en = Parse(Replace(ValidEntry(), "  en: A demo chat widget.\n", ""));
  ASSERT_FALSE(no_en);
  EXPECT_EQ(no_en.error().message, "'description' has no English text");
  EXPECT_EQ(no_en.error().where.line, 6u);
  auto fr = Parse(Replace(ValidEntry(), "  nl: Een demo-chatwidget.\n", "  fr: Un widget.\n"));
  ASSERT_FALSE(fr);
  EXPECT_EQ(fr.error().message, "unknown key 'fr' in 'description'");
  EXPECT_EQ(fr.error().where.line, 7u);
  EXPECT_EQ(fr.error().where.column, 3u);
  EXPECT_EQ(fr.error().expected, "one of en, de, nl");
  auto de = Parse(Replace(ValidEntry(), "  nl: Een demo-chatwidget.\n",
                          "  nl: Een demo-chatwidget.\n  de: Ein Demo-Chat-Widget.\n"));
  ASSERT_TRUE(de) << de.error().Format();
  EXPECT_EQ(de->description.Get("de"), "Ein Demo-Chat-Widget.");
  auto empty = Parse(Replace(ValidEntry(), "  nl: Een demo-chatwidget.\n", "  nl: \"\"\n"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "'description.nl' is empty");
}

TEST(KbParse, IdMustMatchFileName) {
  auto e = Parse(ValidEntry("other-id"), "kb/demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("file name"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 1u);
  EXPECT_EQ(e.error().where.column, 5u);
}

TEST(KbParse, BadEnumsAndKeysAreRejected) {
  struct Case {
    std::string from, to, needle;
  };
  const std::vector<Case> cases = {
      {"category: live-chat", "category: chatbot-thing", "invalid value 'chatbot-thing' for 'category'"},
      {"channel: chat", "channel: pigeon", "invalid value 'pigeon' for 'channel'"},
      {"value: processor", "value: owner", "role.value"},
      {"value: \"true\"", "value: maybe", "consent_required.value"},
      {"country: NL", "country: Netherlands", "ISO 3166"},
      {"country: NL", "country: UK", "ISO 3166"},
      {"transfer_mechanism: none", "transfer_mechanism: safe_harbor", "transfer_mechanism"},
      {"[user.device.cookie_id]", "[user.cookie]", "fideslang data category"},
      {"[essential.service.operations.support]", "[marketting]", "fideslang data use"},
      {"host: widget.demo.example", "host: https://widget.demo.example", "bare host"},
      {"host: widget.demo.example", "host: Widget.Demo.example", "bare host"},
      {"path_prefix: /loader.js", "path_prefix: loader.js", "does not start with '/'"},
  };
  for (const auto& c : cases) {
    auto e = Parse(Replace(ValidEntry(), c.from, c.to));
    ASSERT_FALSE(e) << c.to;
    EXPECT_NE(e.error().message.find(c.needle), std::string::npos) << c.to << " -> " << e.error().message;
    EXPECT_GT(e.error().where.line, 0u) << c.to;
    EXPECT_GT(e.error().where.column, 0u) << c.to;
  }
  // A vocabulary value gets a suggestion; a channel of the old free-text kind names the values.
  auto typo = Parse(Replace(ValidEntry(), "category: live-chat", "category: live_chat"));
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().hint, "did you mean 'live-chat'?");
  auto role = Parse(Replace(ValidEntry(), "value: processor", "value: verwerker"));
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().hint,
            "'verwerker' is the Dutch or German term; the file uses the English value 'processor'");
}

TEST(KbParse, UnknownFideslangKeyGetsASuggestion) {
  auto e = Parse(Replace(ValidEntry(), "[user.device.cookie_id]", "[user.contact.emial]"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().where.line, 20u);
  EXPECT_EQ(e.error().where.column, 19u);
  EXPECT_NE(e.error().hint.find("user.contact.email"), std::string::npos) << e.error().hint;
}

TEST(KbParse, SignaturesNeedADetectionMethod) {
  std::string text = Replace(ValidEntry(), R"(  requests:
    - host: widget.demo.example
      path_prefix: /loader.js
  cookies: [demo_id, demo_session_*]
)",
                             "  script_globals: [Demo]\n");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("no way to detect"), std::string::npos);
}

TEST(KbParse, LinksMustNotHaveAScheme) {
  std::string text = Replace(ValidEntry(), "  cookies: [demo_id, demo_session_*]",
                             "  links: [\"wa.me/\", \"https://m.me/\"]");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("scheme"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 19u);
  EXPECT_EQ(e.error().where.column, 21u);
}

TEST(KbParse, SyntaxErrorHasLocation) {
  auto e = Parse("id: demo-widget\nname: [unclosed\n");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kParse);
  EXPECT_GT(e.error().where.line, 0u);
}

TEST(KbParse, EmptyTextBinaryAndBadFileNameAreErrors) {
  auto empty = Parse("", "kb/empty.yaml");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "empty kb entry");
  auto list = Parse("- a\n- b\n", "kb/list.yaml");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().message, "the entry must be a map, found a list");
  EXPECT_EQ(list.error().where.line, 1u);
  auto utf16 = Parse(std::string("\xFF\xFE"
                                 "i\0d\0",
                                 6),
                     "kb/utf16.yaml");
  ASSERT_FALSE(utf16);
  EXPECT_EQ(utf16.error().message, "the file is UTF-16 encoded, not UTF-8");
  auto name = Parse(ValidEntry(), "kb/demo-widget.yml");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().where.line, 0u);
  EXPECT_NE(name.error().message.find(".yaml"), std::string::npos);
}

TEST(KbParse, DuplicateKeyIsAnError) {
  std::string text = Replace(ValidEntry(), "name: Demo Widget\n", "name: Demo Widget\nname: Again\n");
  auto e = Parse(text);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("duplicate key 'name'"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 3u);
}

TEST(KbParse, ImpliesNeedsAConfidence) {
  std::string with = Replace(ValidEntry(), "data_categories:", R"(data_signals:
  - id: sig
    param: em
    data_category: user.contact.email
    meaning: {en: x, nl: y}
    implies: beta
data_categories:)");
  auto e = Parse(with);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_NE(e.error().message.find("'implies' but no 'implies_confidence'"), std::string::npos)
      << e.error().message;
  auto bad = Parse(Replace(with, "    implies: beta\n", "    implies: beta\n    implies_confidence: sure\n"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().Format().find("high"), std::string::npos) << bad.error().Format();
  auto alone = Parse(Replace(with, "    implies: beta\n", "    implies_confidence: low\n"));
  ASSERT_FALSE(alone);
  EXPECT_NE(alone.error().message.find("without 'implies'"), std::string::npos) << alone.error().message;
}

TEST(KbFromTexts, DanglingImpliesIsAReferenceError) {
  std::string a = Replace(ValidEntry("alpha"), "data_categories:", R"(data_signals:
  - id: sig
    param: em
    data_category: user.contact.email
    meaning: {en: x, nl: y}
    implies: no-such-entry
    implies_confidence: low
data_categories:)");
  std::string b = ValidEntry("beta");
  auto kb = Kb::FromTexts({{"kb/alpha.yaml", a}, {"kb/beta.yaml", b}}, Cat());
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().kind, ErrorKind::kReference);
  EXPECT_EQ(kb.error().where.file, "kb/alpha.yaml");
  EXPECT_EQ(kb.error().where.line, 25u);
  EXPECT_EQ(kb.error().where.column, 14u);
  EXPECT_EQ(kb.error().source_line, "    implies: no-such-entry");
  EXPECT_NE(kb.error().message.find("no-such-entry"), std::string::npos);

  auto ok =
      Kb::FromTexts({{"kb/alpha.yaml", Replace(a, "no-such-entry", "beta")}, {"kb/beta.yaml", b}}, Cat());
  ASSERT_TRUE(ok) << ok.error().Format();
  ASSERT_EQ(ok->entries().size(), 2u);
  EXPECT_EQ(ok->entries()[0].id, "alpha");
  ASSERT_NE(ok->Find("beta"), nullptr);
  EXPECT_EQ(ok->Find("alpha")->data_signals.at(0).implies, "beta");
  EXPECT_EQ(ok->Find("alpha")->data_signals.at(0).meaning.Get("nl"), "y");
  EXPECT_EQ(ok->Find("gamma"), nullptr);
}

TEST(KbFromTexts, DuplicateIdIsAReferenceError) {
  auto kb =
      Kb::FromTexts({{"a/demo-widget.yaml", ValidEntry()}, {"b/demo-widget.yaml", ValidEntry()}}, Cat());
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().kind, ErrorKind::kReference);
  EXPECT_EQ(kb.error().message, "duplicate kb id 'demo-widget'");
}

TEST(KbFromEntries, SortsById) {
  KbEntry b, a;
  b.id = "b";
  a.id = "a";
  Kb kb = Kb::FromEntries({b, a});
  ASSERT_EQ(kb.entries().size(), 2u);
  EXPECT_EQ(kb.entries()[0].id, "a");
  EXPECT_EQ(kb.Find("b"), &kb.entries()[1]);
}

// Kb::LoadDirectory is gone: a kb directory is read through an Env by the application layer.
TEST(KbDirectory, LoadsSourceTreeAndReportsBadFile) {
  app::Options real;
  real.kb_dir = std::string(BLINDSPOT_SOURCE_DIR) + "/data/kb";
  auto index = app::LoadKbIndex(real);
  ASSERT_TRUE(index) << index.error().Format();
  EXPECT_EQ((*index)->kb().entries().size(), EmbeddedKb().entries().size());

  MemEnv env;
  env.AddDirectory("kb");
  env.AddFile("kb/demo-widget.yaml", Replace(ValidEntry(), "name: Demo Widget", "name: [1, 2]"));
  app::Options mem;
  mem.env = &env;
  mem.kb_dir = "kb";
  auto bad = app::LoadKbIndex(mem);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where.file, "kb/demo-widget.yaml");
  EXPECT_EQ(bad.error().where.line, 2u);
  EXPECT_EQ(bad.error().where.column, 7u);

  env.AddFile("kb/demo-widget.yaml", ValidEntry());
  auto good = app::LoadKbIndex(mem);
  ASSERT_TRUE(good) << good.error().Format();
  EXPECT_EQ((*good)->kb().entries().size(), 1u);

  app::Options missing;
  missing.kb_dir = "/nonexistent/kb/dir";
  auto m = app::LoadKbIndex(missing);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::kIo);
  MemEnv empty_env;
  empty_env.AddDirectory("empty");
  app::Options empty;
  empty.env = &empty_env;
  empty.kb_dir = "empty";
  auto e = app::LoadKbIndex(empty);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "no *.yaml files in directory");
}

// ------------------------------------------------------- embedded entries

TEST(KbEmbedded, AllEntriesLoad) {
  size_t files = 0;
  for (size_t i = 0; i < kDataFiles_count; ++i) {
    std::string_view p = kDataFiles[i].path;
    if (p.starts_with("kb/") && p.ends_with(".yaml")) ++files;
  }
  EXPECT_EQ(EmbeddedKb().entries().size(), files);
  EXPECT_GE(EmbeddedKb().entries().size(), 20u);
}

TEST(KbEmbedded, IdsEqualFileNamesAndAreSorted) {
  std::set<std::string> files;
  for (size_t i = 0; i < kDataFiles_count; ++i) {
    std::string_view p = kDataFiles[i].path;
    if (p.starts_with("kb/") && p.ends_with(".yaml")) files.insert(std::string(p.substr(3, p.size() - 8)));
  }
  std::set<std::string> ids;
  for (const auto& e : EmbeddedKb().entries()) ids.insert(e.id);
  EXPECT_EQ(ids, files);
  const auto& es = EmbeddedKb().entries();
  EXPECT_TRUE(std::is_sorted(es.begin(), es.end(), [](const auto& a, const auto& b) { return a.id < b.id; }));
}

TEST(KbEmbedded, NamedChannelsAreCovered) {
  const std::vector<std::string> required = {
      // advertising and audiences
      "meta-pixel",
      "meta-custom-audiences",
      "google-ads-remarketing",
      "google-customer-match",
      "google-enhanced-conversions",
      "google-floodlight",
      "x-pixel",
      "linkedin-insight",
      "tiktok-pixel",
      "microsoft-uet",
      "pinterest-tag",
      "snapchat-pixel",
      "criteo",
      "the-trade-desk",
      "mntn",
      "oracle-bluekai",
      "adition",
      "semasio",
      "theadex",
      // analytics, session recording, monitoring, tag management
      "google-analytics",
      "google-tag-manager",
      "microsoft-clarity",
      "hotjar",
      "decibel-insight",
      "crazy-egg",
      "oracle-infinity",
      "oracle-maxymiser",
      "webtrends",
      "infonline",
      "akamai-mpulse",
      "appdynamics-eum",
      "commanders-act",
      // customer contact: messaging, chat, phone, e-mail
      "messenger",
      "whatsapp-click-to-chat",
      "nowbuttons-whatsapp-widget",
      "intercom",
      "zendesk-messaging",
      "livechat",
      "tidio",
      "trengo",
      "drift",
      "hubspot-chat",
      "callrail",
      "invoca",
      "responsetap",
      "adcalls",
      "mailchimp",
      "klaviyo",
      "spotler",
      "oracle-eloqua",
      // embeds, feedback and reviews, social, fonts
      "youtube",
      "vimeo",
      "medallia-digital",
      "trustpilot",
      "kiyoh",
      "feedback-company",
      "trusted-shops",
      "addtoany",
      "google-fonts",
  };
  for (const auto& id : required) EXPECT_NE(EmbeddedKb().Find(id), nullptr) << id;
  EXPECT_GE(EmbeddedKb().entries().size(), 45u);
}

TEST(KbEmbedded, EveryCategoryAndChannelIsUsed) {
  std::set<std::string> categories, channels;
  for (const auto& e : EmbeddedKb().entries()) {
    categories.insert(e.category);
    channels.insert(e.channel);
    EXPECT_TRUE(Cat().InVocabulary("kb_category", e.category)) << e.id;
    EXPECT_TRUE(Cat().InVocabulary("channel", e.channel)) << e.id;
  }
  ASSERT_FALSE(Cat().Vocabulary("kb_category").empty());
  ASSERT_FALSE(Cat().Vocabulary("channel").empty());
  // "unidentified-tracker" is the category of what a filter list flags and no
  // entry explains: reserved for detection, never used by an entry.
  EXPECT_EQ(categories.count("unidentified-tracker"), 0u);
  for (const auto& c : Cat().Vocabulary("kb_category"))
    if (c != "unidentified-tracker") {
      EXPECT_TRUE(categories.count(c)) << "no entry with category " << c;
    }
  for (const auto& c : Cat().Vocabulary("channel"))
    EXPECT_TRUE(channels.count(c)) << "no entry with channel " << c;
}

bool HasSource(const std::vector<Source>& s, std::string_view id) {
  return std::any_of(s.begin(), s.end(), [&](const Source& x) { return x.id == id; });
}

TEST(KbEmbedded, RolesAndConsentAreConsistent) {
  size_t processors = 0, joint = 0, independent = 0;
  for (const auto& e : EmbeddedKb().entries()) {
    SCOPED_TRACE(e.id);
    if (e.role.value == VendorRole::kProcessor) ++processors;
    if (e.role.value == VendorRole::kJointController) ++joint;
    if (e.role.value == VendorRole::kIndependentController) ++independent;
    // A vendor outside the EEA/adequate countries must name its safeguard.
    // (For the US that is the DPF, which must then be cited with the participant list.)
    if (e.vendor.processing_country == "US") {
      EXPECT_NE(e.vendor.transfer_mechanism, TransferSafeguard::kAdequacyDecision);
    }
    if (e.vendor.transfer_mechanism == TransferSafeguard::kDataPrivacyFramework) {
      EXPECT_TRUE(std::any_of(e.vendor.sources.begin(), e.vendor.sources.end(), [](const Source& s) {
        return s.url.find("dataprivacyframework.gov") != std::string::npos;
      }));
    }
    // Everything in the advertising channel that sets or reads identifiers needs consent.
    if (e.category == "advertising-pixel" || e.category == "retargeting" || e.category == "dmp") {
      EXPECT_TRUE(e.consent_required.value);
    }
  }
  EXPECT_GT(processors, 0u);
  EXPECT_GT(joint, 0u);
  EXPECT_GT(independent, 0u);
  // Specific, cited decisions.
  EXPECT_EQ(EmbeddedKb().Find("meta-pixel")->role.value, VendorRole::kJointController);
  // EDPB Guidelines 8/2020, section 5.2.2: list-based targeting is joint control.
  EXPECT_EQ(EmbeddedKb().Find("meta-custom-audiences")->role.value, VendorRole::kJointController);
  EXPECT_TRUE(HasSource(EmbeddedKb().Find("meta-custom-audiences")->role.sources,
                        "edpb-guidelines-08-2020-targeting"));
  EXPECT_EQ(EmbeddedKb().Find("google-ads-remarketing")->role.value, VendorRole::kIndependentController);
  EXPECT_FALSE(EmbeddedKb().Find("whatsapp-click-to-chat")->consent_required.value);
  EXPECT_TRUE(EmbeddedKb().Find("google-fonts")->consent_required.value);
  // Sources are cited by id; the catalogue entry carries the URL.
  EXPECT_TRUE(HasSource(EmbeddedKb().Find("meta-pixel")->role.sources, "cjeu-c-40-17-fashion-id"));
  EXPECT_TRUE(HasSource(EmbeddedKb().Find("meta-pixel")->role.sources, "meta-controller-addendum"));
  EXPECT_EQ(Cat().FindSource("meta-controller-addendum")->url,
            "https://www.facebook.com/legal/controller_addendum");
  EXPECT_TRUE(HasSource(EmbeddedKb().Find("google-ads-remarketing")->role.sources,
                        "google-ads-controller-controller-data-protection-terms"));
  EXPECT_EQ(Cat().FindSource("google-ads-controller-controller-data-protection-terms")->url,
            "https://business.safety.google/controllerterms/");
  EXPECT_TRUE(HasSource(EmbeddedKb().Find("meta-pixel")->consent_required.sources, "telecomwet-art-11-7a"));
}

// Every source of an entry, wherever it sits (vendor, claims, data signals, general documentation).
std::vector<const Source*> AllSources(const KbEntry& e) {
  std::vector<const Source*> out;
  for (const auto* srcs : {&e.vendor.sources, &e.role.sources, &e.consent_required.sources, &e.sources})
    for (const Source& s : *srcs) out.push_back(&s);
  for (const DataSignal& d : e.data_signals)
    for (const Source& s : d.sources) out.push_back(&s);
  return out;
}

TEST(KbEmbedded, EveryClaimHasHttpsSourcesAndEveryTextIsTranslated) {
  for (const auto& e : EmbeddedKb().entries()) {
    SCOPED_TRACE(e.id);
    for (const auto* srcs : {&e.vendor.sources, &e.role.sources, &e.consent_required.sources}) {
      ASSERT_GE(srcs->size(), 1u);
    }
    for (const Source* s : AllSources(e)) {
      EXPECT_EQ(s->url.rfind("https://", 0), 0u) << s->url;
      EXPECT_FALSE(s->Title("en").empty()) << s->id;
      EXPECT_EQ(*s, *Cat().FindSource(s->id)) << "resolved from the catalogue";
    }
    for (const char* lang : {"en", "nl", "de"}) {
      EXPECT_NE(e.description.Find(lang), nullptr) << lang;
      EXPECT_NE(e.role.reason.Find(lang), nullptr) << lang;
      EXPECT_NE(e.consent_required.reason.Find(lang), nullptr) << lang;
      for (const auto& d : e.data_signals) EXPECT_NE(d.meaning.Find(lang), nullptr) << d.id << " " << lang;
    }
  }
}

TEST(KbEmbedded, LegalSourcesHaveDutchAndGermanTitles) {
  size_t legal = 0;
  std::set<std::string> ids;
  for (const auto& e : EmbeddedKb().entries()) {
    for (const Source* s : AllSources(e)) {
      ids.insert(s->id);
      if (s->kind == SourceKind::kVendor) continue;
      SCOPED_TRACE(e.id + ": " + s->id);
      ++legal;
      const std::string* nl = s->title.Find("nl");
      const std::string* de = s->title.Find("de");
      ASSERT_NE(nl, nullptr);
      ASSERT_NE(de, nullptr);
      EXPECT_NE(*nl, s->Title("en"));
      // Dutch citation style: "art. 5 lid 3", "HvJ EU", "AVG", "Richtlijn ... /EG".
      EXPECT_EQ(nl->find("Art. "), std::string::npos) << *nl;
      EXPECT_EQ(nl->find("GDPR"), std::string::npos) << *nl;
      EXPECT_EQ(nl->find("CJEU"), std::string::npos) << *nl;
      EXPECT_EQ(nl->find("Directive"), std::string::npos) << *nl;
      if (s->Title("en").starts_with("CJEU ")) {
        EXPECT_EQ(nl->rfind("HvJ EU ", 0), 0u) << *nl;
      }
      if (s->Title("en").starts_with("GDPR")) {
        EXPECT_EQ(nl->rfind("AVG art. ", 0), 0u) << *nl;
        EXPECT_EQ(de->rfind("DSGVO Art. ", 0), 0u) << *de;
      }
    }
  }
  EXPECT_GE(legal, 250u);  // the cookie rule, ePrivacy, GDPR and CJEU sources recur in most entries
  EXPECT_GE(ids.size(), 100u);

  // Spot checks of the citation style on the most used sources.
  const KbEntry* meta = EmbeddedKb().Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  std::set<std::string> meta_nl;
  for (const Source* s : AllSources(*meta)) meta_nl.insert(s->Title("nl"));
  EXPECT_TRUE(meta_nl.count("Telecommunicatiewet art. 11.7a (cookiebepaling)"));
  EXPECT_TRUE(meta_nl.count("Richtlijn 2002/58/EG (e-privacyrichtlijn) art. 5 lid 3"));
}

TEST(KbEmbedded, ImpliesReferencesResolveToOtherEntries) {
  size_t implies = 0;
  for (const auto& e : EmbeddedKb().entries()) {
    for (const auto& d : e.data_signals) {
      if (d.implies.empty()) continue;
      ++implies;
      EXPECT_NE(EmbeddedKb().Find(d.implies), nullptr) << e.id << " -> " << d.implies;
      EXPECT_NE(d.implies, e.id);
    }
  }
  EXPECT_GE(implies, 3u);
  // The chains the issue names.
  auto implies_of = [](const char* id, const char* signal) {
    std::set<std::string> out;
    for (const auto& d : EmbeddedKb().Find(id)->data_signals)
      if (d.id == signal) out.insert(d.implies);
    return out;
  };
  EXPECT_EQ(implies_of("meta-pixel", "advanced-matching"), std::set<std::string>{"meta-custom-audiences"});
  EXPECT_EQ(implies_of("google-analytics", "remarketing-audiences"),
            std::set<std::string>{"google-ads-remarketing"});
}

TEST(KbEmbedded, SignatureSanity) {
  std::map<std::string, std::string> seen;  // host|path|query -> entry
  for (const auto& e : EmbeddedKb().entries()) {
    SCOPED_TRACE(e.id);
    for (const auto& r : e.signatures.requests) {
      EXPECT_EQ(r.host.find("://"), std::string::npos) << r.host;
      EXPECT_EQ(r.host.find('/'), std::string::npos) << r.host;
      EXPECT_TRUE(std::none_of(r.host.begin(), r.host.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
          << r.host;
      if (r.host != "*") {
        EXPECT_NE(r.host.find('.'), std::string::npos) << r.host;
      }
      EXPECT_TRUE(r.path_prefix.empty() || r.path_prefix[0] == '/') << r.path_prefix;
      std::string key = r.host + "|" + r.path_prefix + "|" + r.path + "|";
      for (const auto& q : r.query_has) key += q + ",";
      auto [it, fresh] = seen.emplace(key, e.id);
      EXPECT_TRUE(fresh) << "signature " << key << " also in " << it->second;
    }
    for (const auto& l : e.signatures.links) EXPECT_EQ(l.find("://"), std::string::npos) << l;
    std::vector<std::string> all = e.signatures.cookies;
    all.insert(all.end(), e.signatures.first_party_cookies.begin(), e.signatures.first_party_cookies.end());
    for (const auto& c : all) {
      auto [it, fresh] = seen.emplace("cookie|" + c, e.id);
      EXPECT_TRUE(fresh) << "cookie " << c << " also in " << it->second;
    }
    for (const auto& c : all) {
      EXPECT_FALSE(c.empty());
      EXPECT_EQ(c.find('*'), c.find('*') == std::string::npos ? std::string::npos : c.size() - 1) << c;
    }
  }
}

// A data signal is only evaluated on requests attributed to its own entry, so
// a signal restricted to a host must share that host with a request signature.
TEST(KbEmbedded, SignalHostsAreCoveredByTheirEntry) {
  auto related = [](const std::string& a, const std::string& b) {
    return a == b || a.ends_with("." + b) || b.ends_with("." + a);
  };
  size_t with_host = 0;
  for (const auto& e : EmbeddedKb().entries()) {
    for (const auto& d : e.data_signals) {
      if (d.host.empty()) continue;
      ++with_host;
      bool covered = std::any_of(e.signatures.requests.begin(), e.signatures.requests.end(),
                                 [&](const RequestSignature& r) { return related(d.host, r.host); });
      EXPECT_TRUE(covered) << e.id << " signal " << d.id << " host " << d.host;
    }
  }
  EXPECT_GE(with_host, 10u);
}

// No request that fits one entry's signature also fits another entry's: an
// example URL built from each signature (its host, its path prefix) is matched
// against all other entries with the kb.h rule.
TEST(KbEmbedded, RequestSignaturesDoNotOverlapAcrossEntries) {
  auto host_matches = [](const std::string& host, const std::string& sig) {
    return host == sig || (host.size() > sig.size() && host.ends_with("." + sig));
  };
  size_t checked = 0;
  for (const auto& a : EmbeddedKb().entries()) {
    for (const auto& ra : a.signatures.requests) {
      ++checked;
      for (const auto& b : EmbeddedKb().entries()) {
        if (&a == &b) continue;
        for (const auto& rb : b.signatures.requests) {
          // A path that ra accepts: its prefix, or its pattern with '*' as "x".
          std::string pa = ra.path_prefix;
          for (char c : ra.path) pa += c == '*' ? 'x' : c;
          if (pa.empty()) pa = "/";
          bool overlap = host_matches(ra.host, rb.host) && rb.PathMatches(pa) && rb.query_has.empty();
          EXPECT_FALSE(overlap) << a.id << " " << ra.Pattern() << " also matches " << b.id << " "
                                << rb.Pattern();
        }
      }
    }
  }
  EXPECT_GT(checked, 100u);
}

// ------------------------------------------------------- real HAR coverage

// A deliberately simple matcher (host suffix only) so this test does not
// depend on the detect module.
bool HostCovered(const Kb& kb, const std::string& host) {
  for (const auto& e : kb.entries())
    for (const auto& r : e.signatures.requests)
      if (host == r.host || (host.size() > r.host.size() && host.ends_with("." + r.host))) return true;
  return false;
}

std::set<std::string> HarHosts(const std::string& file) {
  std::ifstream in(std::string(BLINDSPOT_REALDATA_DIR) + "/har/" + file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::set<std::string> hosts;
  const std::string key = "\"url\": \"";
  for (size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
    size_t start = pos + key.size();
    size_t scheme = text.find("://", start);
    if (scheme == std::string::npos || scheme - start > 6) continue;
    size_t h = scheme + 3;
    size_t end = text.find_first_of("/:?\"", h);
    hosts.insert(text.substr(h, end - h));
  }
  return hosts;
}

TEST(KbRealHar, ThirdPartyHostsInRealHarsAreCovered) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::vector<std::pair<std::string, std::vector<std::string>>> expect = {
      {"ferguson.com.har",
       {"px.ads.linkedin.com",
        "stats.g.doubleclick.net",
        "collection.decibelinsight.net",
        "nebula-cdn.kampyle.com",
        "stags.bluekai.com",
        "match.adsrvr.org",
        "px.steelhousemedia.com",
        "img.en25.com",
        "www.facebook.com",
        "connect.facebook.net",
        "www.google-analytics.com",
        "analytics.google.com",
        "www.googletagmanager.com",
        "script.crazyegg.com",
        "snap.licdn.com",
        "www.linkedin.com",
        "c.go-mpulse.net",
        "cdn.appdynamics.com",
        "col.eum-appdynamics.com",
        "service.maxymiser.net",
        "dc.oracleinfinity.io",
        "tags.bkrtx.com",
        "insight.adsrvr.org",
        "www.google.com",
        "www.google.se"}},
      {"mytoys.de.har",
       {"5127363.fls.doubleclick.net", "statse.webtrendslive.com", "scs.webtrends.com",
        "imagesrv.adition.com", "widgets.trustedshops.com", "uip.semasio.net", "dmp.theadex.com",
        "engage.commander1.com", "connect.facebook.net"}},
      {"chrome_enorm-magazin.de.har",
       {"de.ioam.de", "script.ioam.de", "static.addtoany.com", "www.googletagmanager.com",
        "fonts.googleapis.com", "fonts.gstatic.com", "www.google-analytics.com"}},
  };
  for (const auto& [har, hosts] : expect) {
    std::set<std::string> in_har = HarHosts(har);
    for (const auto& h : hosts) {
      EXPECT_TRUE(in_har.count(h)) << h << " not in " << har << " (test data changed?)";
      EXPECT_TRUE(HostCovered(EmbeddedKb(), h)) << h << " from " << har << " has no kb entry";
    }
  }
}

}  // namespace
}  // namespace blindspot

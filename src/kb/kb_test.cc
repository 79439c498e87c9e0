// Tests for the knowledge-base loader and for the embedded entries.
#include "blindspot/kb.h"

#include <gtest/gtest.h>

#include "blindspot_testing/realdata.h"
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/embedded.h"

namespace blindspot {
namespace {

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
    - title: Demo privacy policy
      url: https://demo.example/privacy
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
    - title: Demo DPA
      url: https://demo.example/dpa
consent_required:
  value: "true"
  reason:
    en: Cookies.
    nl: Cookies.
  sources:
    - title: Telecommunicatiewet art. 11.7a
      url: https://wetten.overheid.nl/BWBR0009950/
)";
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

// ---------------------------------------------------------------- loader

TEST(KbParse, ValidEntryParses) {
  auto e = Kb::ParseEntry(ValidEntry(), "data/kb/demo-widget.yaml");
  ASSERT_TRUE(e) << e.error().Format();
  EXPECT_EQ(e->id, "demo-widget");
  EXPECT_EQ(e->vendor.legal_entity, "Demo B.V.");
  ASSERT_EQ(e->signatures.requests.size(), 1u);
  EXPECT_EQ(e->signatures.requests[0].host, "widget.demo.example");
  EXPECT_EQ(e->signatures.requests[0].path_prefix, "/loader.js");
  EXPECT_EQ(e->signatures.cookies, (std::vector<std::string>{"demo_id", "demo_session_*"}));
  EXPECT_EQ(e->role.value, "processor");
  EXPECT_EQ(e->consent_required.value, "true");
  EXPECT_EQ(e->description.Get("nl"), "Een demo-chatwidget.");
}

TEST(KbParse, UnknownKeyHasLineAndColumn) {
  std::string text = Replace(ValidEntry(), "channel: chat\n", "channel: chat\nchanel: typo\n");
  auto e = Kb::ParseEntry(text, "kb/demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_EQ(e.error().where.file, "kb/demo-widget.yaml");
  EXPECT_EQ(e.error().where.line, 5u);
  EXPECT_EQ(e.error().where.column, 1u);
  EXPECT_NE(e.error().message.find("chanel"), std::string::npos);
  EXPECT_NE(e.error().expected.find("channel"), std::string::npos);
  EXPECT_FALSE(e.error().hint.empty());
  EXPECT_EQ(e.error().source_line, "chanel: typo");
  EXPECT_EQ(e.error().Format().rfind("kb/demo-widget.yaml:5:1: error:", 0), 0u) << e.error().Format();
}

TEST(KbParse, MissingSourceIsAnError) {
  std::string text = Replace(ValidEntry(), R"(  sources:
    - title: Demo DPA
      url: https://demo.example/dpa
)",
                             "  sources: []\n");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_NE(e.error().message.find("role.sources"), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().where.line, 28u);  // role.sources
  EXPECT_EQ(e.error().where.column, 12u);
}

TEST(KbParse, MissingRequiredKeyNamesIt) {
  std::string text = Replace(ValidEntry(), "  transfer_mechanism: none\n", "");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("transfer_mechanism"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 9u);  // the vendor mapping starts on line 9
  EXPECT_EQ(e.error().where.column, 3u);
}

TEST(KbParse, WrongTypeIsAnError) {
  std::string text = Replace(ValidEntry(), "  cookies: [demo_id, demo_session_*]", "  cookies: demo_id");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
  EXPECT_NE(e.error().message.find("signatures.cookies must be a list"), std::string::npos)
      << e.error().message;
  EXPECT_EQ(e.error().where.line, 20u);
  EXPECT_EQ(e.error().where.column, 12u);
}

TEST(KbParse, NonHttpsSourceIsAnError) {
  std::string text = Replace(ValidEntry(), "https://demo.example/dpa", "http://demo.example/dpa");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("https"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 30u);
}

TEST(KbParse, SourceTitleNlIsOptionalText) {
  auto plain = Kb::ParseEntry(ValidEntry(), "demo-widget.yaml");
  ASSERT_TRUE(plain) << plain.error().Format();
  ASSERT_EQ(plain->role.sources.size(), 1u);
  EXPECT_EQ(plain->role.sources[0].title_nl, "");
  EXPECT_EQ(plain->role.sources[0].Title("nl"), "Demo DPA");

  std::string text =
      Replace(ValidEntry(), "    - title: Demo DPA\n",
              "    - title: Demo DPA\n      title_nl: \"Demo verwerkersovereenkomst (art. 28 lid 3)\"\n");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_TRUE(e) << e.error().Format();
  ASSERT_EQ(e->role.sources.size(), 1u);
  const Source& s = e->role.sources[0];
  EXPECT_EQ(s.title, "Demo DPA");
  EXPECT_EQ(s.title_nl, "Demo verwerkersovereenkomst (art. 28 lid 3)");
  EXPECT_EQ(s.Title("nl"), "Demo verwerkersovereenkomst (art. 28 lid 3)");
  EXPECT_EQ(s.Title("en"), "Demo DPA");
  EXPECT_EQ(s.url, "https://demo.example/dpa");
  // The other sources of the entry are untouched.
  ASSERT_EQ(e->consent_required.sources.size(), 1u);
  EXPECT_EQ(e->consent_required.sources[0].title_nl, "");
}

TEST(KbParse, NonTextTitleNlIsAnErrorWithLocation) {
  // Line 29 is "    - title: Demo DPA"; title_nl goes on line 30, its value at column 17.
  for (const char* bad : {"[a, b]", "{x: y}"}) {
    SCOPED_TRACE(bad);
    std::string text = Replace(ValidEntry(), "    - title: Demo DPA\n",
                               std::string("    - title: Demo DPA\n      title_nl: ") + bad + "\n");
    auto e = Kb::ParseEntry(text, "kb/demo-widget.yaml");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
    EXPECT_NE(e.error().message.find("role.sources[0].title_nl must be text"), std::string::npos)
        << e.error().message;
    EXPECT_EQ(e.error().where.line, 30u);
    EXPECT_EQ(e.error().where.column, 17u);
    EXPECT_EQ(e.error().Format().rfind("kb/demo-widget.yaml:30:17: error:", 0), 0u) << e.error().Format();
  }
  // Empty (or null) is an error too: leave the key out instead.
  for (const char* bad : {"\"\"", ""}) {
    SCOPED_TRACE(std::string("value: '") + bad + "'");
    std::string text = Replace(ValidEntry(), "    - title: Demo DPA\n",
                               std::string("    - title: Demo DPA\n      title_nl: ") + bad + "\n");
    auto e = Kb::ParseEntry(text, "kb/demo-widget.yaml");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, ErrorKind::kSchema);
    EXPECT_NE(e.error().message.find("title_nl"), std::string::npos) << e.error().message;
    EXPECT_EQ(e.error().where.line, 30u) << e.error().Format();
    EXPECT_EQ(e.error().where.column, *bad ? 17u : 7u)
        << e.error().Format();  // the value, or the key if none
  }
  // A misspelt key names title_nl among the allowed keys.
  auto typo = Kb::ParseEntry(
      Replace(ValidEntry(), "    - title: Demo DPA\n", "    - title: Demo DPA\n      title_nld: Demo\n"),
      "kb/demo-widget.yaml");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().where.line, 30u);
  EXPECT_EQ(typo.error().where.column, 7u);
  EXPECT_NE(typo.error().expected.find("title_nl"), std::string::npos) << typo.error().expected;
}

TEST(KbParse, IdMustMatchFileName) {
  auto e = Kb::ParseEntry(ValidEntry("other-id"), "kb/demo-widget.yaml");
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
      {"category: live-chat", "category: chatbot-thing", "unknown category"},
      {"channel: chat", "channel: pigeon", "unknown channel"},
      {"value: processor", "value: owner", "role.value"},
      {"value: \"true\"", "value: maybe", "consent_required.value"},
      {"country: NL", "country: Netherlands", "ISO 3166"},
      {"transfer_mechanism: none", "transfer_mechanism: privacy_shield", "transfer_mechanism"},
      {"[user.device.cookie_id]", "[user.cookie]", "fideslang data category"},
      {"[essential.service.operations.support]", "[marketting]", "fideslang data use"},
      {"host: widget.demo.example", "host: https://widget.demo.example", "bare host"},
      {"host: widget.demo.example", "host: Widget.Demo.example", "bare host"},
      {"path_prefix: /loader.js", "path_prefix: loader.js", "does not start with '/'"},
  };
  for (const auto& c : cases) {
    auto e = Kb::ParseEntry(Replace(ValidEntry(), c.from, c.to), "demo-widget.yaml");
    ASSERT_FALSE(e) << c.to;
    EXPECT_NE(e.error().message.find(c.needle), std::string::npos) << c.to << " -> " << e.error().message;
    EXPECT_GT(e.error().where.line, 0u) << c.to;
    EXPECT_GT(e.error().where.column, 0u) << c.to;
  }
}

TEST(KbParse, UnknownFideslangKeyGetsASuggestion) {
  auto e = Kb::ParseEntry(Replace(ValidEntry(), "[user.device.cookie_id]", "[user.contact.emial]"),
                          "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().where.line, 21u);
  EXPECT_NE(e.error().hint.find("user.contact.email"), std::string::npos) << e.error().hint;
}

TEST(KbParse, SignaturesNeedADetectionMethod) {
  std::string text = Replace(ValidEntry(), R"(  requests:
    - host: widget.demo.example
      path_prefix: /loader.js
  cookies: [demo_id, demo_session_*]
)",
                             "  script_globals: [Demo]\n");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("no way to detect"), std::string::npos);
}

TEST(KbParse, LinksMustNotHaveAScheme) {
  std::string text = Replace(ValidEntry(), "  cookies: [demo_id, demo_session_*]",
                             "  links: [\"wa.me/\", \"https://m.me/\"]");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("scheme"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 20u);
  EXPECT_EQ(e.error().where.column, 21u);
}

TEST(KbParse, SyntaxErrorHasLocation) {
  auto e = Kb::ParseEntry("id: demo-widget\nname: [unclosed\n", "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::kParse);
  EXPECT_GT(e.error().where.line, 0u);
}

TEST(KbParse, EmptyTextAndBadFileNameAreErrors) {
  auto empty = Kb::ParseEntry("", "kb/empty.yaml");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("empty kb entry"), std::string::npos);
  auto list = Kb::ParseEntry("- a\n- b\n", "kb/list.yaml");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("must be a mapping"), std::string::npos);
  EXPECT_EQ(list.error().where.line, 1u);
  auto name = Kb::ParseEntry(ValidEntry(), "kb/demo-widget.yml");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().where.line, 0u);
  EXPECT_NE(name.error().message.find(".yaml"), std::string::npos);
}

TEST(KbParse, DuplicateKeyIsAnError) {
  std::string text = Replace(ValidEntry(), "name: Demo Widget\n", "name: Demo Widget\nname: Again\n");
  auto e = Kb::ParseEntry(text, "demo-widget.yaml");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("duplicate key 'name'"), std::string::npos);
  EXPECT_EQ(e.error().where.line, 3u);
}

TEST(KbFromTexts, DanglingImpliesIsAReferenceError) {
  std::string a = Replace(ValidEntry("alpha"), "data_categories:", R"(data_signals:
  - id: sig
    param: em
    data_category: user.contact.email
    meaning: {en: x, nl: y}
    implies: no-such-entry
data_categories:)");
  std::string b = ValidEntry("beta");
  auto kb = Kb::FromTexts({{"kb/alpha.yaml", a}, {"kb/beta.yaml", b}});
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().kind, ErrorKind::kReference);
  EXPECT_EQ(kb.error().where.file, "kb/alpha.yaml");
  EXPECT_EQ(kb.error().where.line, 26u);
  EXPECT_EQ(kb.error().where.column, 14u);
  EXPECT_NE(kb.error().message.find("no-such-entry"), std::string::npos);

  auto ok = Kb::FromTexts({{"kb/alpha.yaml", Replace(a, "no-such-entry", "beta")}, {"kb/beta.yaml", b}});
  ASSERT_TRUE(ok) << ok.error().Format();
  ASSERT_EQ(ok->entries().size(), 2u);
  EXPECT_EQ(ok->entries()[0].id, "alpha");
  ASSERT_NE(ok->Find("beta"), nullptr);
  EXPECT_EQ(ok->Find("alpha")->data_signals.at(0).implies, "beta");
  EXPECT_EQ(ok->Find("gamma"), nullptr);
}

TEST(KbFromTexts, DuplicateIdIsAReferenceError) {
  auto kb = Kb::FromTexts({{"a/demo-widget.yaml", ValidEntry()}, {"b/demo-widget.yaml", ValidEntry()}});
  ASSERT_FALSE(kb);
  EXPECT_EQ(kb.error().kind, ErrorKind::kReference);
}

TEST(KbLoadDirectory, LoadsSourceTreeAndReportsBadFile) {
  auto kb = Kb::LoadDirectory(std::string(BLINDSPOT_SOURCE_DIR) + "/data/kb");
  ASSERT_TRUE(kb) << kb.error().Format();
  EXPECT_EQ(kb->entries().size(), EmbeddedKb().entries().size());

  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bs_kb_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "demo-widget.yaml") << Replace(ValidEntry(), "name: Demo Widget", "name: [1, 2]");
  auto bad = Kb::LoadDirectory(dir.string());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where.file, (dir / "demo-widget.yaml").string());
  EXPECT_EQ(bad.error().where.line, 2u);
  EXPECT_EQ(bad.error().where.column, 7u);
  fs::remove_all(dir);

  auto missing = Kb::LoadDirectory("/nonexistent/kb/dir");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
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
  }
  for (auto c : KbCategories())
    EXPECT_TRUE(categories.count(std::string(c))) << "no entry with category " << c;
  for (auto c : KbChannels()) EXPECT_TRUE(channels.count(std::string(c))) << "no entry with channel " << c;
}

TEST(KbEmbedded, RolesAndConsentAreConsistent) {
  size_t processors = 0, joint = 0, independent = 0;
  for (const auto& e : EmbeddedKb().entries()) {
    SCOPED_TRACE(e.id);
    if (e.role.value == "processor") ++processors;
    if (e.role.value == "joint_controller") ++joint;
    if (e.role.value == "independent_controller") ++independent;
    // A vendor outside the EEA/adequate countries must name its safeguard.
    // (For the US that is the DPF, which must then be cited with the participant list.)
    if (e.vendor.processing_country == "US") {
      EXPECT_NE(e.vendor.transfer_mechanism, "adequacy_decision");
    }
    if (e.vendor.transfer_mechanism == "data_privacy_framework") {
      EXPECT_TRUE(std::any_of(e.vendor.sources.begin(), e.vendor.sources.end(), [](const Source& s) {
        return s.url.find("dataprivacyframework.gov") != std::string::npos;
      }));
    }
    // Everything in the advertising channel that sets or reads identifiers needs consent.
    if (e.category == "advertising-pixel" || e.category == "retargeting" || e.category == "dmp") {
      EXPECT_EQ(e.consent_required.value, "true");
    }
  }
  EXPECT_GT(processors, 0u);
  EXPECT_GT(joint, 0u);
  EXPECT_GT(independent, 0u);
  // Specific, cited decisions.
  EXPECT_EQ(EmbeddedKb().Find("meta-pixel")->role.value, "joint_controller");
  EXPECT_EQ(EmbeddedKb().Find("meta-custom-audiences")->role.value, "processor");
  EXPECT_EQ(EmbeddedKb().Find("google-ads-remarketing")->role.value, "independent_controller");
  EXPECT_EQ(EmbeddedKb().Find("whatsapp-click-to-chat")->consent_required.value, "false");
  EXPECT_EQ(EmbeddedKb().Find("google-fonts")->consent_required.value, "true");
  auto has_url = [](const std::vector<Source>& s, std::string_view needle) {
    return std::any_of(s.begin(), s.end(),
                       [&](const Source& x) { return x.url.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has_url(EmbeddedKb().Find("meta-pixel")->role.sources, "C-40/17"));
  EXPECT_TRUE(has_url(EmbeddedKb().Find("meta-pixel")->role.sources, "controller_addendum"));
  EXPECT_TRUE(has_url(EmbeddedKb().Find("google-ads-remarketing")->role.sources, "controllerterms"));
  EXPECT_TRUE(has_url(EmbeddedKb().Find("meta-pixel")->consent_required.sources, "BWBR0009950"));
}

TEST(KbEmbedded, EveryClaimHasHttpsSources) {
  for (const auto& e : EmbeddedKb().entries()) {
    SCOPED_TRACE(e.id);
    for (const auto* srcs : {&e.vendor.sources, &e.role.sources, &e.consent_required.sources}) {
      ASSERT_GE(srcs->size(), 1u);
      for (const auto& s : *srcs) {
        EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.url;
        EXPECT_FALSE(s.title.empty());
      }
    }
    EXPECT_FALSE(e.role.reason.en.empty());
    EXPECT_FALSE(e.role.reason.nl.empty());
    EXPECT_FALSE(e.consent_required.reason.nl.empty());
    EXPECT_FALSE(e.description.nl.empty());
    for (const auto& d : e.data_signals) {
      EXPECT_FALSE(d.meaning.en.empty());
      EXPECT_FALSE(d.meaning.nl.empty());
    }
  }
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

TEST(KbEmbedded, LegalSourcesHaveADutchTitle) {
  const std::vector<std::string_view> legal_prefixes = {"Regulation (EU) 2016/679",
                                                        "GDPR",
                                                        "Directive 2002/58",
                                                        "Telecommunicatiewet",
                                                        "CJEU",
                                                        "EDPB",
                                                        "Article 29",
                                                        "Autoriteit Persoonsgegevens",
                                                        "LG München",
                                                        "Commission Implementing Decision"};
  std::map<std::string, std::string> nl_of;  // one Dutch title per English title across the KB
  size_t legal = 0, with_nl = 0;
  for (const auto& e : EmbeddedKb().entries()) {
    for (const Source* s : AllSources(e)) {
      SCOPED_TRACE(e.id + ": " + s->title);
      bool is_legal = std::any_of(legal_prefixes.begin(), legal_prefixes.end(),
                                  [&](std::string_view p) { return s->title.starts_with(p); });
      if (is_legal) {
        ++legal;
        EXPECT_FALSE(s->title_nl.empty());
        EXPECT_NE(s->title_nl, s->title);
      }
      if (s->title_nl.empty()) continue;
      ++with_nl;
      EXPECT_EQ(s->Title("nl"), s->title_nl);
      EXPECT_EQ(s->Title("en"), s->title);
      // Dutch citation style: "art. 5 lid 3", "HvJ EU", "AVG", "Richtlijn ... /EG".
      EXPECT_EQ(s->title_nl.find("Art. "), std::string::npos) << s->title_nl;
      EXPECT_EQ(s->title_nl.find("GDPR"), std::string::npos) << s->title_nl;
      EXPECT_EQ(s->title_nl.find("CJEU"), std::string::npos) << s->title_nl;
      EXPECT_EQ(s->title_nl.find("Directive"), std::string::npos) << s->title_nl;
      if (s->title.starts_with("CJEU ")) {
        EXPECT_EQ(s->title_nl.rfind("HvJ EU ", 0), 0u) << s->title_nl;
      }
      if (s->title.starts_with("Regulation (EU) 2016/679") || s->title.starts_with("GDPR")) {
        EXPECT_EQ(s->title_nl.rfind("AVG art. ", 0), 0u) << s->title_nl;
      }
      auto [it, inserted] = nl_of.emplace(s->title, s->title_nl);
      EXPECT_EQ(it->second, s->title_nl) << "one English title, two Dutch titles";
    }
  }
  EXPECT_GE(legal, 250u);  // the cookie rule, ePrivacy, GDPR and CJEU sources recur in most entries
  EXPECT_GE(with_nl, legal);

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
      EXPECT_NE(r.host.find('.'), std::string::npos) << r.host;
      EXPECT_TRUE(r.path_prefix.empty() || r.path_prefix[0] == '/') << r.path_prefix;
      std::string key = r.host + "|" + r.path_prefix + "|";
      for (const auto& q : r.query_has) key += q + ",";
      auto [it, fresh] = seen.emplace(key, e.id);
      EXPECT_TRUE(fresh) << "signature " << key << " also in " << it->second;
    }
    for (const auto& l : e.signatures.links) EXPECT_EQ(l.find("://"), std::string::npos) << l;
    for (const auto& c : e.signatures.cookies) {
      auto [it, fresh] = seen.emplace("cookie|" + c, e.id);
      EXPECT_TRUE(fresh) << "cookie " << c << " also in " << it->second;
    }
    for (const auto& c : e.signatures.cookies) {
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
          bool overlap = host_matches(ra.host, rb.host) && ra.path_prefix.starts_with(rb.path_prefix) &&
                         rb.query_has.empty();
          EXPECT_FALSE(overlap) << a.id << " " << ra.host << ra.path_prefix << " also matches " << b.id << " "
                                << rb.host << rb.path_prefix;
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

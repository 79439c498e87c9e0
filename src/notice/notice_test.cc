#include "blindspot/notice.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "blindspot/audit.h"
#include "blindspot/io.h"
#include "blindspot/statement.h"

namespace blindspot {
namespace {

const Kb& BuiltinKb() {
  static const Kb kb = [] {
    auto k = Kb::LoadEmbedded();
    EXPECT_TRUE(k.has_value());
    return k ? *k : Kb();
  }();
  return kb;
}

Register Parse(const std::string& yaml) {
  auto r = ParseRegisterText(yaml, "register.yaml");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().front().Format());
  return r ? r->reg : Register();
}

Register Example() {
  std::ifstream in(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str());
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += what.size()) ++n;
  return n;
}

const TextCatalog& T() { return TextCatalog::Builtin(); }

TEST(Notice, ExampleRegisterInEveryLanguage) {
  NoticeDraft d = BuildNotice(Example(), BuiltinKb(), "2026-12-02");
  EXPECT_EQ(d.sections, 4);  // who we are, activities, touchpoints, rights
  for (const char* lang : {"en", "nl", "de"}) {
    SCOPED_TRACE(lang);
    std::string md = RenderNoticeMarkdown(d, T(), lang);
    EXPECT_EQ(md.find('{'), std::string::npos) << "a placeholder was left:\n" << md;
    EXPECT_NE(md.find("# "), std::string::npos);
    EXPECT_NE(md.find("Fietshuis Zonnepad B.V."), std::string::npos);
    EXPECT_NE(md.find("privacy@fietshuis-zonnepad.nl"), std::string::npos);
    EXPECT_NE(md.find("Autoriteit Persoonsgegevens"), std::string::npos);  // NL organisation
    EXPECT_NE(md.find("2026-12-02"), std::string::npos);
    // Each activity and each touchpoint in use is a subsection.
    for (const char* name : {"### Bestellingen afhandelen", "### Nieuwsbrief", "### Meta Pixel",
                             "### WhatsApp-knop op de website"})
      EXPECT_NE(md.find(name), std::string::npos) << name;
  }
  std::string nl = RenderNoticeMarkdown(d, T(), "nl");
  EXPECT_EQ(static_cast<int>(Count(nl, "[AANVULLEN:")), d.todos);
  EXPECT_GT(d.todos, 0);  // e.g. the essence of the arrangement with Meta (joint controller)
  EXPECT_NE(nl.find("gezamenlijk verwerkingsverantwoordelijk"), std::string::npos);
  EXPECT_NE(nl.find("toestemming (art. 6 lid 1 sub a)"), std::string::npos);
  EXPECT_NE(nl.find("<!-- GDPR Art. 13(1)(a)-(b) -->"), std::string::npos);
  std::string en = RenderNoticeMarkdown(d, T(), "en");
  EXPECT_EQ(static_cast<int>(Count(en, "[TO COMPLETE:")), d.todos);
  EXPECT_NE(en.find("Your rights"), std::string::npos);
  std::string de = RenderNoticeMarkdown(d, T(), "de");
  EXPECT_EQ(static_cast<int>(Count(de, "[ERGÄNZEN:")), d.todos);
  EXPECT_NE(de.find("Ihre Rechte"), std::string::npos);
}

TEST(Notice, WhatTheRegisterLacksIsMarkedNeverGuessed) {
  Register r = Parse(R"(blindspot_register: 1
organisation:
  name: Kapsalon Knip
  country: NL
activities:
  - id: bookings
    name: Afspraken
    purposes:
      - description: Afspraken maken
    data_categories: [user.name, user.contact.phone_number]
    transfers:
      - recipient: Salonized
        country: US
)");
  NoticeDraft d = BuildNotice(r, BuiltinKb(), "2026-12-02");
  std::string en = RenderNoticeMarkdown(d, T(), "en");
  // No contact (twice: who we are, rights), no DPO, no basis, no recipients, transfer safeguard, retention.
  EXPECT_EQ(d.todos, 7) << en;
  EXPECT_EQ(static_cast<int>(Count(en, "[TO COMPLETE:")), 7);
  EXPECT_NE(en.find("[TO COMPLETE: the lawful basis for 'Afspraken maken']"), std::string::npos) << en;
  EXPECT_NE(en.find("[TO COMPLETE: the safeguard for the transfer to Salonized in US]"), std::string::npos);
  EXPECT_NE(en.find("Personal data we use: name, contact details."), std::string::npos) << en;
  // No touchpoints: no such section; no consent relied on: no withdrawal paragraph.
  EXPECT_EQ(en.find("Contact with us, our website"), std::string::npos);
  EXPECT_EQ(en.find("withdraw"), std::string::npos);
}

TEST(Notice, DpoNoneAndNonDutchAuthority) {
  Register r = Parse(R"(blindspot_register: 1
organisation:
  name: Backstube Weber GmbH
  country: DE
  contact:
    email: datenschutz@backstube-weber.de
  dpo: none
)");
  NoticeDraft d = BuildNotice(r, BuiltinKb(), "2026-12-02");
  std::string de = RenderNoticeMarkdown(d, T(), "de");
  EXPECT_EQ(d.todos, 0) << de;
  EXPECT_EQ(de.find("Datenschutzbeauftragter"), std::string::npos);
  EXPECT_NE(de.find("Datenschutzaufsichtsbehörde Ihres Bundeslandes"), std::string::npos);
  EXPECT_NE(de.find("datenschutz@backstube-weber.de"), std::string::npos);
}

TEST(Notice, TouchpointsSwitchedOffAreLeftOut) {
  Register r = Example();
  for (Touchpoint& t : r.touchpoints)
    if (t.id == "meta-pixel") t.answers.in_use = false;
  std::string en = RenderNoticeMarkdown(BuildNotice(r, BuiltinKb(), "2026-12-02"), T(), "en");
  EXPECT_EQ(en.find("### Meta Pixel"), std::string::npos);
  EXPECT_NE(en.find("### Google Ads remarketing"), std::string::npos);
}

TEST(Notice, HtmlEscapesAndMarksWhatToComplete) {
  Register r = Parse(R"(blindspot_register: 1
organisation:
  name: "Tom & Jerry <script>alert(1)</script>"
  country: NL
)");
  std::string html = RenderNoticeHtml(BuildNotice(r, BuiltinKb(), "2026-12-02"), T(), "nl");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Tom &amp; Jerry &lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<mark>[AANVULLEN: "), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(html.find("data-article=\"GDPR Art. 13(2)(d), 77\""), std::string::npos);
}

TEST(Notice, DataGroups) {
  EXPECT_EQ(NoticeDataGroup("user.name"), "name");
  EXPECT_EQ(NoticeDataGroup("user.contact.email"), "contact");
  EXPECT_EQ(NoticeDataGroup("user.contact.address.postal_code"), "address");
  EXPECT_EQ(NoticeDataGroup("user.device.cookie_id"), "online_id");
  EXPECT_EQ(NoticeDataGroup("user.behavior.purchase_history"), "purchase");
  EXPECT_EQ(NoticeDataGroup("user.behavior.browsing_history"), "browsing");
  EXPECT_EQ(NoticeDataGroup("user.health_and_medical"), "health");
  EXPECT_EQ(NoticeDataGroup("user.government_id.national_identification_number"), "government_id");
  EXPECT_EQ(NoticeDataGroup("user.criminal_history"), "criminal");
  EXPECT_EQ(NoticeDataGroup("user.nameless"), "other");  // a prefix is not a parent key
  // Every group has a label in every language.
  for (const std::string& g : T().Vocabulary("notice_data_group"))
    for (const char* lang : {"nl", "de"})  // (an English label may equal its value: "name")
      EXPECT_NE(T().Term(lang, "notice_data_group", g), g) << g << " " << lang;
}

TEST(Notice, EveryChannelHasAPurposePhrase) {
  for (const std::string& c : T().Vocabulary("channel")) {
    std::string id = "ui.notice_ch_" + c;
    std::replace(id.begin(), id.end(), '-', '_');
    for (const char* lang : {"en", "nl", "de"})
      EXPECT_NE(T().Template(lang, id), nullptr) << id << " " << lang;
  }
}

}  // namespace
}  // namespace blindspot

namespace blindspot {
namespace {

// The draft passes the tool's own statement check (BS043, docs/transparency.md)
// for every data-subject right it states: user run s10, F4 (the Dutch draft's
// "in te zien", "wissen", "over te laten dragen" and "art. 15 tot en met 21";
// the English "corrected", "restrict its processing").
TEST(Notice, TheDraftStatesEveryRightAsTheStatementCheckReadsIt) {
  auto reg = std::make_shared<const Register>(Example());
  NoticeDraft d = BuildNotice(*reg, BuiltinKb(), "2026-12-02");
  auto kb = std::make_shared<const Kb>(BuiltinKb());
  for (const char* lang : {"en", "nl", "de"}) {
    SCOPED_TRACE(lang);
    std::vector<Statement> st;
    st.push_back(ParseStatement(RenderNoticeMarkdown(d, T(), lang), std::string("privacy-") + lang + ".md"));
    AuditResult r = RunAudit(reg, kb, DetectionResult{}, std::move(st));
    std::vector<std::string> missing;
    for (const Finding& f : r.findings)
      if (f.rule_id.starts_with("BS043") && f.key.starts_with("right")) missing.push_back(f.key);
    EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
  }
}

}  // namespace
}  // namespace blindspot

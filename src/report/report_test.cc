// Report formats on a hand-built AuditResult: exact JSON values, HTML that
// loads nothing and escapes hostile evidence, text counts, i18n completeness.
#include "blindspot/report.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "blindspot/kb.h"
#include "report/i18n.h"
#include "report/report_util.h"

namespace blindspot {
namespace {

using nlohmann::json;

constexpr const char* kHostileUrl =
    "https://evil.example/p?q=\"><script>alert(1)</script><img src=//x.example/a>";

// Owns everything an AuditResult points into.
struct Fixture {
  Register reg;
  std::vector<KbEntry> kb;
  AuditResult result;

  Fixture() {
    reg.source = "acme/register.yaml";
    reg.organisation.name = "Acme Zorg B.V.";
    ProcessingActivity act;
    act.id = "marketing";
    act.name = "Online marketing";
    reg.activities.push_back(act);
    Processor meta;
    meta.id = "meta";
    meta.name = "Meta";
    reg.processors.push_back(meta);

    Touchpoint wa;
    wa.id = "wa-klantenservice";
    wa.name = "WhatsApp klantenservice";
    wa.product = "whatsapp-business";
    wa.answers.in_use = true;
    wa.answers.in_use_since = "2023-04-01";
    wa.answers.lawful_basis = LawfulBasis::kConsent;
    wa.answers.informed_statement = "https://acme.example/privacy";
    wa.answers.data_collected = {"user.contact.phone_number"};
    wa.loc = {40, 3};
    reg.touchpoints.push_back(wa);
    Touchpoint call;
    call.id = "callcenter";
    call.name = "Callcenter recording";
    call.channel = "phone";
    call.loc = {60, 3};
    reg.touchpoints.push_back(call);

    KbEntry pixel;
    pixel.id = "meta-pixel";
    pixel.name = "Meta Pixel";
    pixel.category = "advertising-pixel";
    pixel.channel = "web-tracking";
    pixel.vendor.legal_entity = "Meta Platforms Ireland Ltd.";
    pixel.vendor.country = "IE";
    pixel.vendor.processing_country = "US";
    pixel.vendor.transfer_mechanism = "data_privacy_framework";
    DataSignal am;
    am.id = "advanced-matching";
    am.param = "ud[em]";
    am.data_category = "user.contact.email";
    am.meaning = {"Hashed e-mail address sent to Meta", "Gehasht e-mailadres naar Meta gestuurd"};
    pixel.data_signals.push_back(am);
    pixel.role.value = "joint_controller";
    pixel.role.reason = {"Joint controller for collection", "Gezamenlijk verantwoordelijk voor verzamelen"};
    pixel.role.sources = {{"CJEU C-40/17 Fashion ID", "https://curia.europa.eu/juris/liste.jsf?num=C-40/17"}};
    pixel.consent_required.value = "true";
    pixel.consent_required.sources = {{"Telecommunicatiewet art. 11.7a", "https://wetten.overheid.nl/"}};
    kb.push_back(pixel);
    KbEntry wab;
    wab.id = "whatsapp-business";
    wab.name = "WhatsApp Business";
    wab.category = "messaging";
    wab.channel = "messaging";
    wab.vendor.legal_entity = "WhatsApp Ireland Ltd.";
    wab.vendor.country = "IE";
    kb.push_back(wab);

    DetectionResult& d = result.detection;
    d.hars = {"home.har", "contact.har"};
    d.pages = {{"page_1", "https://acme.example/", ""}, {"page_2", "https://acme.example/contact", ""}};
    d.entries = 321;
    d.bytes = 654321;
    d.first_party_domains = {"acme.example"};
    d.third_party_hosts = {{"connect.facebook.net", "facebook.net", 7, true},
                           {"cdn.unknown.example", "unknown.example", 2, false}};
    DetectedTouchpoint dp;
    dp.kb_id = "meta-pixel";
    dp.evidence.push_back({EvidenceKind::kRequest, kHostileUrl, "https://acme.example/", "home.har", 17,
                           "www.facebook.com/tr"});
    dp.evidence.push_back(
        {EvidenceKind::kCookie, "_fbp", "https://acme.example/contact", "contact.har", 3, "_fbp"});
    dp.evidence_count = 12;
    dp.signals.push_back({"advanced-matching", "ud[em]", "user.contact.email", "home.har", 17, ""});
    dp.pages = {"https://acme.example/", "https://acme.example/contact"};
    d.touchpoints.push_back(dp);
    DetectedTouchpoint dw;
    dw.kb_id = "whatsapp-business";
    dw.evidence.push_back({EvidenceKind::kLink, "wa.me/31612345678", "https://acme.example/contact",
                           "contact.har", 5, "wa.me/"});
    dw.evidence_count = 1;
    dw.pages = {"https://acme.example/contact"};
    d.touchpoints.push_back(dw);
    // Pointers only after the vectors are final.
    d.touchpoints[0].kb = &kb[0];
    d.touchpoints[1].kb = &kb[1];

    result.reg = &reg;
    result.touchpoints.push_back({"meta-pixel", &kb[0], &d.touchpoints[0], nullptr});
    result.touchpoints.push_back({"whatsapp-business", &kb[1], &d.touchpoints[1], &reg.touchpoints[0]});
    result.touchpoints.push_back({"", nullptr, nullptr, &reg.touchpoints[1]});

    result.findings.push_back(F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "meta-pixel",
                                "Meta Pixel", {"pixel detail", "pixel toelichting"}, {}));
    result.findings.push_back(F("BS004-no-lawful-basis", Severity::kMedium, SubjectKind::kActivity,
                                "marketing", "Online marketing",
                                {"purpose has no basis", "doel zonder grondslag"}, {12, 5}));
    result.findings.push_back(F("BS002-not-seen", Severity::kLow, SubjectKind::kTouchpoint, "callcenter",
                                "Callcenter recording", {"not seen", "niet gezien"}, {60, 3}));
    result.findings.push_back(F("BS003-art30-field-missing", Severity::kLow, SubjectKind::kOrganisation, "",
                                "Acme Zorg B.V.", {"no DPO contact", "geen FG"}, {2, 1}));
    result.findings.push_back(F("XX999-not-a-rule", Severity::kInfo, SubjectKind::kRegister, "", "",
                                {"free text", "vrije tekst"}, {}));
  }

  static Finding F(std::string rule, Severity s, SubjectKind k, std::string id, std::string name,
                   LocalizedText detail, Loc loc) {
    Finding f;
    f.rule_id = std::move(rule);
    f.severity = s;
    f.subject_kind = k;
    f.subject_id = std::move(id);
    f.subject_name = std::move(name);
    f.detail = std::move(detail);
    f.loc = loc;
    return f;
  }
};

std::string Render(const char* format, const AuditResult& r, const std::string& lang) {
  const ReportFormat* f = FindReportFormat(format);
  EXPECT_NE(f, nullptr) << format;
  if (!f) return {};
  ReportOptions o;
  o.lang = lang;
  Result<std::string> out = f->render(r, o);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().Format());
  return out ? *out : std::string();
}

TEST(ReportRegistry, HasTheThreeFormats) {
  std::vector<std::string> names;
  for (const ReportFormat& f : AllReportFormats()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"text", "json", "html"}));
  EXPECT_EQ(FindReportFormat("pdf"), nullptr);
  ASSERT_NE(FindReportFormat("json"), nullptr);
  EXPECT_EQ(FindReportFormat("json")->name, "json");
}

TEST(Tr, LooksUpFallsBackToEnglishThenKey) {
  EXPECT_EQ(Tr("nl", "status_blind_spot"), "blinde vlek");
  EXPECT_EQ(Tr("en", "status_blind_spot"), "blind spot");
  EXPECT_EQ(Tr("de", "status_blind_spot"), "blind spot");
  EXPECT_EQ(Tr("nl", "no-such-key"), "no-such-key");
  // Same storage on the second call (returned by reference).
  EXPECT_EQ(&Tr("nl", "no-such-key"), &Tr("nl", "no-such-key"));
}

TEST(JsonReport, ExactValues) {
  Fixture fx;
  json j = json::parse(Render("json", fx.result, "en"));
  EXPECT_EQ(j["blindspot_report"], 1);
  EXPECT_EQ(j["lang"], "en");
  EXPECT_FALSE(j.contains("generated_at"));
  EXPECT_EQ(j["register"]["file"], "acme/register.yaml");
  EXPECT_EQ(j["register"]["organisation"], "Acme Zorg B.V.");
  EXPECT_EQ(j["register"]["counts"]["touchpoints"], 2);
  EXPECT_EQ(j["evidence"]["entries"], 321);
  EXPECT_EQ(j["evidence"]["bytes"], 654321);
  EXPECT_EQ(j["evidence"]["hars"], json({"home.har", "contact.har"}));
  ASSERT_EQ(j["evidence"]["third_party_hosts"].size(), 2u);
  EXPECT_EQ(j["evidence"]["third_party_hosts"][1]["host"], "cdn.unknown.example");
  EXPECT_EQ(j["evidence"]["third_party_hosts"][1]["matched"], false);

  const json& tps = j["touchpoints"];
  ASSERT_EQ(tps.size(), 3u);
  EXPECT_EQ(tps[0]["kb_id"], "meta-pixel");
  EXPECT_EQ(tps[0]["blind_spot"], true);
  EXPECT_EQ(tps[0]["registered"], false);
  EXPECT_EQ(tps[0]["detected"], true);
  EXPECT_TRUE(tps[0]["register_id"].is_null());
  EXPECT_TRUE(tps[0]["answers"].is_null());
  EXPECT_EQ(tps[0]["status"], "blind_spot");
  EXPECT_EQ(tps[0]["vendor"]["legal_entity"], "Meta Platforms Ireland Ltd.");
  EXPECT_EQ(tps[0]["vendor"]["transfer_mechanism"], "data_privacy_framework");
  EXPECT_EQ(tps[0]["evidence_count"], 12);
  ASSERT_EQ(tps[0]["evidence"].size(), 2u);
  EXPECT_EQ(tps[0]["evidence"][0]["value"], kHostileUrl);
  EXPECT_EQ(tps[0]["evidence"][0]["kind"], std::string(ToString(EvidenceKind::kRequest)));
  EXPECT_EQ(tps[0]["evidence"][0]["entry"], 17);
  EXPECT_EQ(tps[0]["signals"][0]["id"], "advanced-matching");
  EXPECT_EQ(tps[0]["signals"][0]["meaning"], "Hashed e-mail address sent to Meta");
  EXPECT_EQ(tps[0]["role"]["value"], "joint_controller");
  EXPECT_EQ(tps[0]["role"]["sources"][0]["title"], "CJEU C-40/17 Fashion ID");
  EXPECT_EQ(tps[0]["consent_required"]["value"], "true");

  EXPECT_EQ(tps[1]["kb_id"], "whatsapp-business");
  EXPECT_EQ(tps[1]["blind_spot"], false);
  EXPECT_EQ(tps[1]["registered"], true);
  EXPECT_EQ(tps[1]["register_id"], "wa-klantenservice");
  EXPECT_EQ(tps[1]["answers"]["in_use"], true);
  EXPECT_EQ(tps[1]["answers"]["in_use_since"], "2023-04-01");
  EXPECT_EQ(tps[1]["answers"]["lawful_basis"], std::string(ToString(LawfulBasis::kConsent)));
  EXPECT_TRUE(tps[1]["answers"]["stored_by_us"].is_null());
  EXPECT_TRUE(tps[1]["answers"]["necessity"].is_null());
  EXPECT_TRUE(tps[1]["role"].is_null());

  EXPECT_TRUE(tps[2]["kb_id"].is_null());
  EXPECT_EQ(tps[2]["name"], "Callcenter recording");
  EXPECT_EQ(tps[2]["status"], "not_seen");
  EXPECT_EQ(tps[2]["detected"], false);
  EXPECT_EQ(tps[2]["channel"], "phone");
  EXPECT_EQ(tps[2]["evidence_count"], 0);

  const json& fs = j["findings"];
  ASSERT_EQ(fs.size(), 5u);
  std::vector<std::string> ids;
  for (const json& f : fs) ids.push_back(f["rule_id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"BS001-blind-spot", "BS004-no-lawful-basis", "BS002-not-seen",
                                           "BS003-art30-field-missing", "XX999-not-a-rule"}));
  EXPECT_EQ(fs[0]["severity"], "high");
  EXPECT_EQ(fs[0]["subject"]["kind"], "detected");
  EXPECT_EQ(fs[0]["subject"]["id"], "meta-pixel");
  EXPECT_EQ(fs[0]["detail"], "pixel detail");
  EXPECT_TRUE(fs[0]["register_location"].is_null());
  EXPECT_EQ(fs[1]["register_location"], json({{"line", 12}, {"column", 5}}));
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  EXPECT_EQ(fs[0]["title"], bs001->title.en);
  EXPECT_EQ(fs[0]["remediation"], bs001->remediation.en);
  ASSERT_EQ(fs[0]["legal_sources"].size(), bs001->legal_sources.size());
  EXPECT_EQ(fs[0]["legal_sources"][0]["title"], bs001->legal_sources[0].title);
  // Unknown rule: title falls back to the id, nothing invented.
  EXPECT_EQ(fs[4]["title"], "XX999-not-a-rule");
  EXPECT_TRUE(fs[4]["remediation"].is_null());
  EXPECT_TRUE(fs[4]["legal_sources"].empty());

  const json& s = j["summary"];
  EXPECT_EQ(s["high"], 1);
  EXPECT_EQ(s["medium"], 1);
  EXPECT_EQ(s["low"], 2);
  EXPECT_EQ(s["info"], 1);
  EXPECT_EQ(s["findings"], 5);
  EXPECT_EQ(s["blind_spots"], 1);
  EXPECT_EQ(s["not_seen"], 1);
  EXPECT_EQ(s["detected"], 2);
}

TEST(JsonReport, DutchTextsAndOptionsAndDeterminism) {
  Fixture fx;
  ReportOptions o;
  o.lang = "nl";
  o.generated_at = "2026-11-30T06:00:00Z";
  o.tool_version = "0.1.0";
  std::string a = *FindReportFormat("json")->render(fx.result, o);
  std::string b = *FindReportFormat("json")->render(fx.result, o);
  EXPECT_EQ(a, b);
  json j = json::parse(a);
  EXPECT_EQ(j["lang"], "nl");
  EXPECT_EQ(j["generated_at"], "2026-11-30T06:00:00Z");
  EXPECT_EQ(j["tool_version"], "0.1.0");
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  ASSERT_FALSE(bs001->title.nl.empty());
  EXPECT_NE(bs001->title.nl, bs001->title.en);
  EXPECT_EQ(j["findings"][0]["title"], bs001->title.nl);
  EXPECT_EQ(j["findings"][0]["remediation"], bs001->remediation.nl);
  EXPECT_EQ(j["findings"][0]["detail"], "pixel toelichting");
  EXPECT_EQ(j["touchpoints"][0]["signals"][0]["meaning"], "Gehasht e-mailadres naar Meta gestuurd");
  EXPECT_EQ(j["touchpoints"][0]["role"]["reason"], "Gezamenlijk verantwoordelijk voor verzamelen");
  // Key order is fixed: the document starts with the format marker.
  EXPECT_EQ(a.rfind("{\n  \"blindspot_report\": 1,\n  \"lang\": \"nl\",\n  \"generated_at\"", 0), 0u);
}

// Every URL the browser would fetch on its own: src= of any element,
// href= of <link>, and url( in CSS. <a href> does not load and is allowed.
std::vector<std::string> LoadedUrls(const std::string& html) {
  std::vector<std::string> out;
  std::regex tag_src(R"re(<(script|img|iframe|link|source|video|audio|embed|object|input)\b[^>]*>)re",
                     std::regex::icase);
  std::regex attr(R"re(\b(src|href|data|srcset|poster)\s*=\s*["']?([^"' >]*))re", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag_src); it != std::sregex_iterator();
       ++it) {
    std::string tag = (*it)[0];
    for (auto a = std::sregex_iterator(tag.begin(), tag.end(), attr); a != std::sregex_iterator(); ++a)
      out.push_back((*a)[2]);
  }
  std::regex css_url(R"re(url\(\s*["']?([^"')]*))re", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), css_url); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  std::regex import(R"re(@import)re");
  if (std::regex_search(html, import)) out.push_back("@import");
  return out;
}

TEST(HtmlReport, SelfContainedEscapedAndComplete) {
  Fixture fx;
  std::string html = Render("html", fx.result, "en");
  ASSERT_FALSE(html.empty());
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  // Nothing is loaded from anywhere; there is no script at all.
  EXPECT_EQ(LoadedUrls(html), std::vector<std::string>{});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  // The detector for loads does catch them (the check above can fail).
  EXPECT_EQ(LoadedUrls("<img src=\"https://x.example/a.png\"><link href=//cdn.example/s.css>").size(), 2u);
  // The hostile evidence URL is shown, escaped.
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=//x.example/a&gt;"),
            std::string::npos);
  EXPECT_NE(html.find("q=&quot;&gt;"), std::string::npos);
  // One card per touchpoint, the blind spot listed first.
  for (const char* anchor : {"id=\"tp-1\"", "id=\"tp-2\"", "id=\"tp-3\""})
    EXPECT_NE(html.find(anchor), std::string::npos) << anchor;
  EXPECT_EQ(html.find("id=\"tp-4\""), std::string::npos);
  size_t blind = html.find("id=\"blind-spots\"");
  size_t cards = html.find("id=\"touchpoints\"");
  ASSERT_NE(blind, std::string::npos);
  EXPECT_LT(blind, cards);
  EXPECT_NE(html.find("href=\"#tp-1\""), std::string::npos);
  for (const char* s :
       {"Meta Pixel", "WhatsApp Business", "Callcenter recording", "Meta Platforms Ireland Ltd.",
        "Acme Zorg B.V.", "2023-04-01", "CJEU C-40/17 Fashion ID", "Hashed e-mail address sent to Meta",
        "wa.me/31612345678", "Online marketing"})
    EXPECT_NE(html.find(s), std::string::npos) << s;
  // Legal source links are <a href>, escaped.
  EXPECT_NE(html.find("<a href=\"https://curia.europa.eu/juris/liste.jsf?num=C-40/17\">"), std::string::npos);
  // Unanswered questions are marked.
  EXPECT_NE(html.find("<span class=\"na\">not answered</span>"), std::string::npos);
  // No unrendered mustache tags, no untranslated key.
  EXPECT_EQ(html.find("{{"), std::string::npos);
  EXPECT_EQ(html.find("q_in_use"), std::string::npos);
  // Findings: the touchpoint's in its card, the activity's in its section.
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  size_t card1 = html.find("id=\"tp-1\""), card2 = html.find("id=\"tp-2\"");
  size_t f1 = html.find(bs001->title.en);
  EXPECT_GT(f1, card1);
  EXPECT_LT(f1, card2);
  size_t activities = html.find("id=\"activities\"");
  size_t reg = html.find("id=\"register\"");
  ASSERT_NE(activities, std::string::npos);
  size_t f2 = html.find("purpose has no basis");
  EXPECT_GT(f2, activities);
  EXPECT_LT(f2, reg);
  EXPECT_GT(html.find("no DPO contact"), reg);
  EXPECT_GT(html.find("XX999-not-a-rule"), reg);
}

TEST(HtmlReport, Dutch) {
  Fixture fx;
  std::string html = Render("html", fx.result, "nl");
  EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
  const auto& nl = report_internal::I18nTable("nl");
  for (const char* key : {"blind_spots", "not_answered", "status_blind_spot", "q_informed",
                          "register_findings", "basis_consent", "claim_role", "role_joint_controller"}) {
    ASSERT_TRUE(nl.contains(key)) << key;
    EXPECT_NE(html.find(nl.at(key)), std::string::npos) << key;
  }
  EXPECT_NE(html.find("niet beantwoord"), std::string::npos);
  EXPECT_NE(html.find("Blinde vlekken"), std::string::npos);
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  std::string escaped_title = bs001->title.nl;  // contains no markup characters
  EXPECT_NE(html.find(escaped_title), std::string::npos);
  EXPECT_NE(html.find("Gehasht e-mailadres naar Meta gestuurd"), std::string::npos);
  EXPECT_EQ(html.find("not answered"), std::string::npos);
}

// The text between `id="tp-<n>"` and the next card (or the end).
std::string CardText(const std::string& html, int n) {
  size_t from = html.find(fmt::format("id=\"tp-{}\"", n));
  if (from == std::string::npos) return {};
  size_t to = html.find("<article", from);
  return html.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, ReaderGuideQuestionsAndFolding) {
  Fixture fx;
  // WhatsApp: "stored by us: no" makes "where" not applicable rather than missing.
  fx.reg.touchpoints[0].answers.stored_by_us = false;
  // Meta Pixel: six evidence items shown, so its list is folded.
  DetectedTouchpoint& pixel = fx.result.detection.touchpoints[0];
  pixel.evidence.push_back({EvidenceKind::kRequest, "https://www.facebook.com/tr?id=1",
                            "https://acme.example/", "home.har", 18, "www.facebook.com/tr"});
  pixel.evidence.push_back({EvidenceKind::kRequest, "https://www.facebook.com/tr?id=2",
                            "https://acme.example/", "home.har", 19, "www.facebook.com/tr"});
  // The detector's two English signature forms are translated; others stay.
  pixel.evidence.push_back({EvidenceKind::kHtmlMarker, "connect.facebook.net/en_US/fbevents.js",
                            "https://acme.example/", "home.har", 0,
                            "html marker connect.facebook.net/en_US/fbevents.js"});
  pixel.evidence.push_back({EvidenceKind::kRequest, "https://www.facebook.com/tr?ud[em]=x",
                            "https://acme.example/", "home.har", 20,
                            "signal advanced-matching (ud[em]) of meta-pixel"});
  // A source with a Dutch title is cited in Dutch, one without keeps its title.
  fx.kb[0].role.sources[0].title_nl = "HvJ EU C-40/17 Fashion ID";
  std::string html = Render("html", fx.result, "nl");
  const auto& nl = report_internal::I18nTable("nl");
  EXPECT_NE(html.find(">HvJ EU C-40/17 Fashion ID</a>"), std::string::npos);
  EXPECT_EQ(html.find("CJEU C-40/17 Fashion ID"), std::string::npos);
  EXPECT_NE(html.find(">Telecommunicatiewet art. 11.7a</a>"), std::string::npos);
  EXPECT_NE(Render("html", fx.result, "en").find(">CJEU C-40/17 Fashion ID</a>"), std::string::npos);
  EXPECT_NE(html.find("herkend aan: HTML-kenmerk connect.facebook.net/en_US/fbevents.js"), std::string::npos);
  EXPECT_NE(html.find("herkend aan: signaal advanced-matching (ud[em]) van meta-pixel"), std::string::npos);
  EXPECT_NE(html.find("herkend aan: www.facebook.com/tr<"), std::string::npos);
  EXPECT_EQ(html.find("html marker"), std::string::npos);
  EXPECT_EQ(html.find(") of meta-pixel"), std::string::npos);
  // Findings per severity have their own caption.
  EXPECT_NE(html.find(nl.at("findings_by_severity")), std::string::npos);

  // The reading guide comes before the blind spots and explains the term.
  size_t guide = html.find("id=\"guide\"");
  ASSERT_NE(guide, std::string::npos);
  EXPECT_LT(guide, html.find("id=\"blind-spots\""));
  EXPECT_NE(html.find(nl.at("guide_blind_spot")), std::string::npos);
  EXPECT_NE(html.find("href=\"#guide\""), std::string::npos);

  // Category and channel values are translated, not shown as kb ids.
  EXPECT_NE(html.find("advertentiepixel"), std::string::npos);
  EXPECT_NE(html.find("websitemeting"), std::string::npos);
  EXPECT_EQ(html.find("advertising-pixel"), std::string::npos);
  EXPECT_EQ(html.find(">web-tracking"), std::string::npos);

  // Blind spot (not in the register): one "not answered" per question, 0 of 7.
  std::string card1 = CardText(html, 1);
  ASSERT_FALSE(card1.empty());
  EXPECT_EQ(Count(card1, "<span class=\"na\">niet beantwoord</span>"), 7u);
  EXPECT_NE(card1.find("0/7 beantwoord"), std::string::npos);
  EXPECT_EQ(Count(card1, "<tr class=\"none\">"), 7u);
  // Six evidence items: folded; legal sources of a finding are labelled.
  EXPECT_NE(card1.find("<details class=\"ev\">"), std::string::npos);
  EXPECT_EQ(card1.find("<details class=\"ev\" open>"), std::string::npos);
  EXPECT_NE(card1.find(nl.at("legal_sources")), std::string::npos);
  // The finding comes before the questions and the evidence.
  EXPECT_LT(card1.find(FindRule("BS001-blind-spot")->title.nl), card1.find(nl.at("questions")));

  // WhatsApp: in use + since (all), data (all), stored by us: no + where n/a (all).
  std::string card2 = CardText(html, 2);
  ASSERT_FALSE(card2.empty());
  EXPECT_NE(card2.find("3/7 beantwoord"), std::string::npos);
  EXPECT_EQ(Count(card2, "<tr class=\"all\">"), 3u);
  EXPECT_EQ(Count(card2, "<tr class=\"some\">"), 2u);  // informed, lawful
  EXPECT_EQ(Count(card2, "<tr class=\"none\">"), 2u);  // vendor, security
  EXPECT_NE(card2.find("niet van toepassing"), std::string::npos);
  // One evidence item: shown open.
  EXPECT_NE(card2.find("<details class=\"ev\" open>"), std::string::npos);

  // Registered but nothing answered: every sub-answer is marked.
  std::string card3 = CardText(html, 3);
  EXPECT_NE(card3.find("0/7 beantwoord"), std::string::npos);
  EXPECT_EQ(Count(card3, "<span class=\"na\">niet beantwoord</span>"), 14u);
  EXPECT_EQ(card3.find("niet van toepassing"), std::string::npos);
}

// Every category and channel of the kb schema is shown in words in both
// languages (html_report.cc shows the raw value for one without a key).
TEST(HtmlReport, EveryKbCategoryAndChannelHasALabel) {
  for (const char* lang : {"en", "nl"}) {
    const auto& table = report_internal::I18nTable(lang);
    auto key = [](std::string_view prefix, std::string_view value) {
      std::string k = std::string(prefix) + std::string(value);
      std::replace(k.begin(), k.end(), '-', '_');
      return k;
    };
    ASSERT_GT(KbCategories().size(), 10u);
    for (std::string_view c : KbCategories())
      EXPECT_TRUE(table.contains(key("category_", c))) << lang << " " << c;
    ASSERT_GT(KbChannels().size(), 5u);
    for (std::string_view c : KbChannels())
      EXPECT_TRUE(table.contains(key("channel_", c))) << lang << " " << c;
  }
}

TEST(HtmlReport, EmptyResultRenders) {
  Register reg;
  AuditResult r;
  r.reg = &reg;
  std::string html = Render("html", r, "en");
  EXPECT_NE(html.find(Tr("en", "no_blind_spots")), std::string::npos);
  EXPECT_EQ(html.find("id=\"tp-1\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"activities\""), std::string::npos);
  // No register given (the CLI leaves the source empty): said in words.
  reg.source.clear();
  std::string nl = Render("html", r, "nl");
  EXPECT_NE(nl.find(Tr("nl", "no_register")), std::string::npos);
  EXPECT_EQ(nl.find("(none)"), std::string::npos);
  // A register file is named.
  reg.source = "acme/register.yaml";
  reg.activities.emplace_back();
  EXPECT_EQ(Render("html", r, "nl").find(Tr("nl", "no_register")), std::string::npos);
}

TEST(TextReport, CountsTableAndFindings) {
  Fixture fx;
  std::string text = Render("text", fx.result, "en");
  EXPECT_NE(text.find("Acme Zorg B.V."), std::string::npos);
  EXPECT_NE(text.find("HAR files: 2, pages: 2, entries: 321"), std::string::npos);
  EXPECT_TRUE(std::regex_search(text, std::regex("\nTouchpoints detected: +2\n"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex("\nBlind spots: +1\n")));
  EXPECT_TRUE(std::regex_search(text, std::regex("\nRegistered, not seen: +1\n")));
  EXPECT_TRUE(std::regex_search(text, std::regex("\nFindings: +5 \\(high 1, medium 1, low 2, info 1\\)\n")));
  // Table rows.
  std::regex pixel_row(R"(\nMeta Pixel +advertising pixel +BLIND SPOT +12  advanced-matching\n)");
  EXPECT_TRUE(std::regex_search(text, pixel_row)) << text;
  std::regex wa_row(R"(\nWhatsApp Business +messaging +registered +1  -\n)");
  EXPECT_TRUE(std::regex_search(text, wa_row));
  std::regex call_row(R"(\nCallcenter recording +- +not seen +-  -\n)");
  EXPECT_TRUE(std::regex_search(text, call_row));
  // Findings grouped by severity, high first, with rule ids and sources.
  size_t high = text.find("HIGH (1)"), medium = text.find("MEDIUM (1)"), low = text.find("LOW (2)");
  ASSERT_NE(high, std::string::npos);
  EXPECT_LT(high, medium);
  EXPECT_LT(medium, low);
  EXPECT_NE(text.find("[BS001-blind-spot]"), std::string::npos);
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  EXPECT_NE(text.find(bs001->legal_sources[0].title), std::string::npos);
  EXPECT_NE(
      text.find(
          "    - processing activity marketing (Online marketing) [12:5]\n      purpose has no basis\n"),
      std::string::npos);

  // Layout: no line wider than 100 columns unless it is a single long word.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() <= 100) continue;
    EXPECT_EQ(line.find(' ', line.find_first_not_of(' ')), std::string::npos) << line;
  }
}

TEST(TextReport, GroupsFindingsOfOneRule) {
  Fixture fx;
  fx.result.findings.insert(fx.result.findings.begin() + 1,
                            Fixture::F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected,
                                       "other-tag", "Other Tag", {"second detail", "tweede"}, {}));
  std::string text = Render("text", fx.result, "en");
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  size_t header = text.find("[BS001-blind-spot] " + bs001->title.en + " (2)");
  ASSERT_NE(header, std::string::npos) << text;
  EXPECT_EQ(text.find("[BS001-blind-spot]"), text.rfind("[BS001-blind-spot]"));
  // The remediation is printed once (its first words fit on the first line).
  std::string remediation_start = bs001->remediation.en.substr(0, 30);
  EXPECT_NE(text.find(remediation_start), std::string::npos);
  EXPECT_EQ(text.find(remediation_start), text.rfind(remediation_start));
  size_t first = text.find("    - detected touchpoint meta-pixel (Meta Pixel)\n      pixel detail\n");
  size_t second = text.find("    - detected touchpoint other-tag (Other Tag)\n      second detail\n");
  EXPECT_LT(header, first);
  EXPECT_LT(first, second);
  EXPECT_NE(second, std::string::npos);
  EXPECT_NE(text.find("HIGH (2)"), std::string::npos);
}

TEST(TextReport, Dutch) {
  Fixture fx;
  std::string text = Render("text", fx.result, "nl");
  EXPECT_NE(text.find("Blinde vlekken:"), std::string::npos) << text;
  EXPECT_NE(text.find("BLINDE VLEK"), std::string::npos);
  // A label longer than the label column is kept whole.
  EXPECT_TRUE(std::regex_search(text, std::regex("\nGeregistreerd, niet gezien: +1\n"))) << text;
  EXPECT_NE(text.find("HOOG (1)"), std::string::npos);
  EXPECT_NE(text.find("pixel toelichting"), std::string::npos);
}

std::string CollapseSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

TEST(Reports, DutchReportsCiteLegalSourcesWithDutchTitles) {
  Fixture fx;
  fx.kb[0].role.sources[0].title_nl = "HvJ EU C-40/17 Fashion ID";
  const RuleInfo* bs001 = FindRule("BS001-blind-spot");
  ASSERT_NE(bs001, nullptr);
  ASSERT_FALSE(bs001->legal_sources.empty());
  const Source& art30 = bs001->legal_sources[0];
  ASSERT_EQ(art30.title_nl, "AVG art. 30 lid 1 (register van verwerkingsactiviteiten)");

  json nl = json::parse(Render("json", fx.result, "nl"));
  ASSERT_EQ(nl["findings"][0]["rule_id"], "BS001-blind-spot");
  const json& sources = nl["findings"][0]["legal_sources"];
  ASSERT_EQ(sources.size(), bs001->legal_sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    EXPECT_EQ(sources[i]["title"], bs001->legal_sources[i].title_nl) << i;
    EXPECT_EQ(sources[i]["url"], bs001->legal_sources[i].url) << i;
  }
  // kb claim sources follow the language too; one without a Dutch title keeps its title.
  EXPECT_EQ(nl["touchpoints"][0]["role"]["sources"][0]["title"], "HvJ EU C-40/17 Fashion ID");
  EXPECT_EQ(nl["touchpoints"][0]["consent_required"]["sources"][0]["title"],
            "Telecommunicatiewet art. 11.7a");
  json en = json::parse(Render("json", fx.result, "en"));
  EXPECT_EQ(en["findings"][0]["legal_sources"][0]["title"], art30.title);
  EXPECT_EQ(en["touchpoints"][0]["role"]["sources"][0]["title"], "CJEU C-40/17 Fashion ID");

  std::string text_nl = CollapseSpaces(Render("text", fx.result, "nl"));
  EXPECT_NE(text_nl.find(art30.title_nl + " - " + art30.url), std::string::npos) << text_nl;
  EXPECT_EQ(text_nl.find(art30.title), std::string::npos) << text_nl;
  std::string text_en = CollapseSpaces(Render("text", fx.result, "en"));
  EXPECT_NE(text_en.find(art30.title + " - " + art30.url), std::string::npos) << text_en;
  EXPECT_EQ(text_en.find(art30.title_nl), std::string::npos);
}

TEST(Reports, ConcurrentRenderingGivesTheSameOutput) {
  Fixture fx;
  std::vector<std::string> expected;
  for (const char* f : {"text", "json", "html"}) expected.push_back(Render(f, fx.result, "nl"));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      ReportOptions o;
      o.lang = "nl";
      for (int round = 0; round < 5; ++round)
        for (const ReportFormat& f : AllReportFormats()) {
          Result<std::string> r = f.render(fx.result, o);
          got[t].push_back(r ? *r : std::string());
          // Unknown keys are stored under a lock; exercise it from every thread.
          (void)Tr("nl", "missing-key-" + std::to_string(round));
        }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const auto& outputs : got) {
    ASSERT_EQ(outputs.size(), 15u);
    for (size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(outputs[i], expected[i % 3]);
  }
}

std::set<std::string> Keys(const std::string& lang) {
  std::set<std::string> out;
  for (const auto& [k, v] : report_internal::I18nTable(lang)) out.insert(k);
  return out;
}

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(I18n, BothLanguagesHaveTheSameKeysAndEveryUsedKey) {
  EXPECT_EQ(report_internal::I18nLoadErrors(), std::vector<std::string>{});
  std::set<std::string> en = Keys("en"), nl = Keys("nl");
  ASSERT_GT(en.size(), 50u);
  EXPECT_EQ(en, nl);
  for (const auto& [k, v] : report_internal::I18nTable("nl")) EXPECT_FALSE(v.empty()) << k;

  std::set<std::string> used;
  for (const std::string& k : report_internal::DynamicI18nKeys()) used.insert(k);
  std::regex code_key(R"re(\b(?:T|Part|YesNoPart|Question|add|add_meta|tile)\(\s*"([a-z0-9_]+)")re");
  std::regex tr_key(R"re(\bTr\([a-z_]+,\s*"([a-z0-9_]+)")re");
  for (const char* file :
       {"src/report/text_report.cc", "src/report/html_report.cc", "src/report/json_report.cc"}) {
    std::string src = ReadSource(file);
    ASSERT_FALSE(src.empty()) << file;
    for (const std::regex* re : {&code_key, &tr_key})
      for (auto it = std::sregex_iterator(src.begin(), src.end(), *re); it != std::sregex_iterator(); ++it)
        used.insert((*it)[1]);
  }
  std::string tmpl = ReadSource("data/templates/report.html.mustache");
  ASSERT_FALSE(tmpl.empty());
  std::regex tmpl_key(R"re(\{\{\s*t\.([a-z0-9_]+)\s*\}\})re");
  for (auto it = std::sregex_iterator(tmpl.begin(), tmpl.end(), tmpl_key); it != std::sregex_iterator(); ++it)
    used.insert((*it)[1]);
  ASSERT_GT(used.size(), 60u);
  for (const std::string& k : used) {
    EXPECT_TRUE(en.contains(k)) << "en.yaml lacks " << k;
    EXPECT_TRUE(nl.contains(k)) << "nl.yaml lacks " << k;
  }
}

}  // namespace
}  // namespace blindspot

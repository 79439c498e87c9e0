// Output formats on hand-built inputs: exact JSON values, HTML that loads
// nothing and escapes hostile input, text counts, every format of every
// subject, the three languages, and the choice of format by file extension.
#include "blindspot/report.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "blindspot/catalog.h"
#include "blindspot/io.h"
#include "blindspot/kb.h"
#include "blindspot/text_ids.h"
#include "blindspot_testing/text.h"

namespace blindspot {
namespace {

using nlohmann::json;

constexpr const char* kHostileUrl =
    "https://evil.example/p?q=\"><script>alert(1)</script><img src=//x.example/a>";

const TextCatalog& Cat() { return TextCatalog::Builtin(); }

// What kainjow mustache makes of a text in HTML.
std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// An unfilled message placeholder ("{name}", "{n, plural, ...") left in output.
// (CSS and JSON braces are followed by a space, a quote or a newline.)
bool HasUnfilledPlaceholder(const std::string& s) {
  static const std::regex re(R"(\{[a-z_]+(\}|, (plural|select)))");
  return std::regex_search(s, re);
}

Source Src(std::string id, std::string url, LocalizedText title, SourceKind kind = SourceKind::kRuling) {
  Source s;
  s.id = std::move(id);
  s.kind = kind;
  s.url = std::move(url);
  s.title = std::move(title);
  return s;
}

EvidenceItem Item(EvidenceKind kind, std::string url, std::string page, std::string source, uint64_t entry,
                  std::string signature) {
  EvidenceItem e;
  e.kind = kind;
  e.url = std::move(url);
  e.page = std::move(page);
  e.source = std::move(source);
  e.entry = entry;
  e.signature = std::move(signature);
  return e;
}

EvidenceItem CookieItem(std::string name, std::string domain, std::string expires, std::string page,
                        std::string source, uint64_t entry) {
  EvidenceItem e = Item(EvidenceKind::kCookie, "", std::move(page), std::move(source), entry, name);
  e.cookie_name = std::move(name);
  e.cookie_domain = std::move(domain);
  e.cookie_expires = std::move(expires);
  return e;
}

Finding F(std::string rule, Severity s, SubjectKind k, std::string id, std::string name, Message detail,
          std::string path = "") {
  Finding f;
  f.rule_id = std::move(rule);
  f.severity = s;
  f.subject_kind = k;
  f.subject_id = std::move(id);
  f.subject_name = std::move(name);
  f.detail = std::move(detail);
  f.path = std::move(path);
  return f;
}

Message BlindSpotDetail(const std::string& name, const std::string& kb_id, int64_t pages, int64_t evidence) {
  return Message(msg::BS001::seen)
      .Number("pages", pages)
      .Number("evidence", evidence)
      .Sub("also", Message())
      .Text("name", name)
      .Text("kb_id", kb_id)
      .Sub("signals", Message())
      .Sub("page_urls", Message())
      .Sub("transfer", Message());
}

using Tweak = std::function<void(Register&, std::vector<KbEntry>&)>;

// An audit result built by hand: a register (with a source map), two kb
// entries, a detection over two HARs and five findings. `tweak` changes the
// register and the kb entries before they are frozen.
struct Fixture {
  std::shared_ptr<Register> reg = std::make_shared<Register>();
  std::shared_ptr<const Kb> kb;
  SourceMap map;
  AuditResult result;

  explicit Fixture(const Tweak& tweak = nullptr) {
    reg->source = "clients/acme/register.yaml";
    reg->version = "1";
    reg->organisation.name = "Acme Zorg B.V.";
    ProcessingActivity act;
    act.id = "marketing";
    act.name = "Online marketing";
    Purpose purpose;
    purpose.id = "purpose-1";
    purpose.description = "Retargeting";
    act.purposes.push_back(purpose);
    reg->activities.push_back(act);
    Processor meta;
    meta.id = "meta";
    meta.name = "Meta";
    reg->processors.push_back(meta);

    Touchpoint wa;
    wa.id = "wa-klantenservice";
    wa.name = "WhatsApp klantenservice";
    wa.channel = "messaging";
    wa.product = "whatsapp-business";
    wa.answers.in_use = true;
    wa.answers.in_use_since = "2023-04-01";
    wa.answers.lawful_basis = LawfulBasis::kConsent;
    wa.answers.informed_statement = "https://acme.example/privacy";
    wa.answers.data_collected = {"user.contact.phone_number"};
    reg->touchpoints.push_back(wa);
    Touchpoint call;
    call.id = "callcenter";
    call.name = "Callcenter recording";
    call.channel = "phone";
    reg->touchpoints.push_back(call);

    std::vector<KbEntry> entries;
    KbEntry pixel;
    pixel.id = "meta-pixel";
    pixel.name = "Meta Pixel";
    pixel.category = "advertising-pixel";
    pixel.channel = "web-tracking";
    pixel.description = {{"en", "Meta's website pixel"},
                         {"nl", "De websitepixel van Meta"},
                         {"de", "Das Website-Pixel von Meta"}};
    pixel.vendor.legal_entity = "Meta Platforms Ireland Ltd.";
    pixel.vendor.country = "IE";
    pixel.vendor.processing_country = "US";
    pixel.vendor.transfer_mechanism = TransferSafeguard::kDataPrivacyFramework;
    DataSignal am;
    am.id = "advanced-matching";
    am.param = "ud[em]";
    am.data_category = "user.contact.email";
    am.meaning = {{"en", "Hashed e-mail address sent to Meta"},
                  {"nl", "Gehasht e-mailadres naar Meta gestuurd"},
                  {"de", "Gehashte E-Mail-Adresse an Meta gesendet"}};
    pixel.data_signals.push_back(am);
    pixel.role.value = VendorRole::kJointController;
    pixel.role.reason = {{"en", "Joint controller for collection"},
                         {"nl", "Gezamenlijk verantwoordelijk voor verzamelen"},
                         {"de", "Gemeinsam verantwortlich für die Erhebung"}};
    pixel.role.sources = {Src("cjeu-c-40-17-fashion-id",
                              "https://curia.europa.eu/juris/liste.jsf?num=C-40/17",
                              {{"en", "CJEU C-40/17 Fashion ID"}})};
    pixel.consent_required.value = true;
    pixel.consent_required.reason = {{"en", "It reads and stores cookies"},
                                     {"nl", "Het leest en plaatst cookies"},
                                     {"de", "Es liest und setzt Cookies"}};
    pixel.consent_required.sources = {Src("nl-telecommunicatiewet-11-7a", "https://wetten.overheid.nl/",
                                          {{"en", "Telecommunicatiewet art. 11.7a"}}, SourceKind::kLaw)};
    entries.push_back(pixel);
    KbEntry wab;
    wab.id = "whatsapp-business";
    wab.name = "WhatsApp Business";
    wab.category = "messaging";
    wab.channel = "messaging";
    wab.description = {
        {"en", "WhatsApp for companies"}, {"nl", "WhatsApp voor bedrijven"}, {"de", "WhatsApp für Firmen"}};
    wab.vendor.legal_entity = "WhatsApp Ireland Ltd.";
    wab.vendor.country = "IE";
    entries.push_back(wab);
    if (tweak) tweak(*reg, entries);
    kb = std::make_shared<const Kb>(Kb::FromEntries(std::move(entries)));

    DetectionResult d;
    d.sources = {{"home.har", "har"}, {"contact.har", "har"}};
    d.pages = {{"page_1", "https://acme.example/", ""}, {"page_2", "https://acme.example/contact", ""}};
    d.entries = 321;
    d.bytes = 654321;
    d.first_party_domains = {"acme.example"};
    d.third_party_hosts = {{"cdn.unknown.example", "unknown.example", 2, false},
                           {"connect.facebook.net", "facebook.net", 7, true}};
    DetectedTouchpoint dp;
    dp.kb_id = "meta-pixel";
    dp.kb = kb->Find("meta-pixel");
    dp.evidence.push_back(Item(EvidenceKind::kRequest, kHostileUrl, "https://acme.example/", "home.har", 17,
                               "facebook.com/tr"));
    dp.evidence.push_back(CookieItem("_fbp", ".acme.example", "Max-Age=7776000",
                                     "https://acme.example/contact", "contact.har", 3));
    dp.evidence_count = 12;
    dp.signals.push_back({"advanced-matching", "ud[em]", "user.contact.email", "home.har", 17, ""});
    dp.pages = {"https://acme.example/", "https://acme.example/contact"};
    d.touchpoints.push_back(dp);
    DetectedTouchpoint dw;
    dw.kb_id = "whatsapp-business";
    dw.kb = kb->Find("whatsapp-business");
    dw.evidence.push_back(Item(EvidenceKind::kLink, "https://wa.me/31612345678",
                               "https://acme.example/contact", "contact.har", 5, "wa.me/"));
    dw.evidence_count = 1;
    dw.pages = {"https://acme.example/contact"};
    d.touchpoints.push_back(dw);

    result.reg = reg;
    result.kb = kb;
    result.detection = std::move(d);
    // Rows point into what the result owns.
    const DetectionResult& det = result.detection;
    result.touchpoints.push_back({"meta-pixel", kb->Find("meta-pixel"), &det.touchpoints[0], nullptr});
    result.touchpoints.push_back(
        {"whatsapp-business", kb->Find("whatsapp-business"), &det.touchpoints[1], &reg->touchpoints[0]});
    result.touchpoints.push_back({"", nullptr, nullptr, &reg->touchpoints[1]});

    result.findings.push_back(F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "meta-pixel",
                                "Meta Pixel", BlindSpotDetail("Meta Pixel", "meta-pixel", 2, 12)));
    result.findings.push_back(F("BS004-no-lawful-basis", Severity::kMedium, SubjectKind::kActivity,
                                "marketing", "Online marketing",
                                Message(msg::BS004::purpose_no_basis)
                                    .Text("purpose", "Retargeting")
                                    .Text("activity", "Online marketing"),
                                "activities[marketing].purposes[purpose-1].lawful_basis"));
    result.findings.push_back(F("BS002-not-seen", Severity::kLow, SubjectKind::kTouchpoint, "callcenter",
                                "Callcenter recording",
                                Message(msg::BS002::not_seen)
                                    .Text("touchpoint", "Callcenter recording")
                                    .Text("product", "callrail")
                                    .Number("sources", 2)
                                    .Number("requests", 321),
                                "touchpoints[callcenter]"));
    result.findings.push_back(F("BS003-art30-field-missing", Severity::kLow, SubjectKind::kOrganisation, "",
                                "Acme Zorg B.V.", Message(msg::BS003::no_dpo), "organisation.dpo"));
    Message free;
    free.id = "XX999-not-a-rule.free";
    result.findings.push_back(F("XX999-not-a-rule", Severity::kInfo, SubjectKind::kRegister, "", "", free));

    map.file = reg->source;
    map.Add("organisation", {2, 1});
    map.Add("activities[marketing]", {10, 3});
    map.Add("activities[marketing].purposes[purpose-1]", {12, 5});
    map.Add("touchpoints[callcenter]", {60, 3});
  }

  ReportOptions Options(const std::string& lang) const {
    ReportOptions o;
    o.lang = lang;
    o.source_map = &map;
    return o;
  }
};

std::string RenderAs(OutputSubject subject, const char* format, OutputInput in) {
  const OutputFormat* f = FindOutputFormat(subject, format);
  EXPECT_NE(f, nullptr) << ToString(subject) << " " << format;
  if (!f) return {};
  Result<std::string> out = f->render(in);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().Format());
  return out ? *out : std::string();
}

std::string Render(const char* format, const AuditResult& r, const ReportOptions& o) {
  OutputInput in;
  in.audit = &r;
  in.options = o;
  return RenderAs(OutputSubject::kAudit, format, in);
}

std::string Render(const char* format, const Fixture& fx, const std::string& lang) {
  return Render(format, fx.result, fx.Options(lang));
}

const RuleMeta& RuleOf(std::string_view id) {
  const RuleMeta* r = Cat().FindRule(id);
  EXPECT_NE(r, nullptr) << id;
  static const RuleMeta kNone;
  return r ? *r : kNone;
}

// ---------------------------------------------------------------- registry

TEST(OutputRegistry, FormatsPerSubject) {
  auto names = [](OutputSubject s) {
    std::vector<std::string> v;
    for (const OutputFormat* f : OutputFormatsFor(s)) v.push_back(f->name);
    return v;
  };
  EXPECT_EQ(names(OutputSubject::kAudit),
            (std::vector<std::string>{"text", "json", "html", "sarif", "junit", "xlsx", "pdf"}));
  EXPECT_EQ(names(OutputSubject::kDetection), (std::vector<std::string>{"text", "json"}));
  EXPECT_EQ(names(OutputSubject::kRules), (std::vector<std::string>{"text", "json", "md"}));
  EXPECT_EQ(names(OutputSubject::kKb), (std::vector<std::string>{"text", "json"}));
  EXPECT_EQ(names(OutputSubject::kRegister), (std::vector<std::string>{"yaml", "json"}));
  EXPECT_EQ(FindOutputFormat(OutputSubject::kAudit, "docx"), nullptr);
  // Only the workbook and the PDF are binary; only the PDF is printed (by the application layer).
  for (const OutputFormat& f : AllOutputFormats()) {
    const bool document = f.subject == OutputSubject::kAudit && (f.name == "xlsx" || f.name == "pdf");
    EXPECT_EQ(f.binary, document) << f.name;
    EXPECT_EQ(f.printed, document && f.name == "pdf") << f.name;
  }
  EXPECT_EQ(FindOutputFormat(OutputSubject::kAudit, "pdf")->render,
            FindOutputFormat(OutputSubject::kAudit, "html")->render);
  EXPECT_EQ(FindOutputFormat(OutputSubject::kDetection, "html"), nullptr);
  ASSERT_NE(FindOutputFormat(OutputSubject::kAudit, "json"), nullptr);
  EXPECT_EQ(FindOutputFormat(OutputSubject::kAudit, "json")->subject, OutputSubject::kAudit);
  for (const OutputFormat& f : AllOutputFormats()) {
    EXPECT_NE(f.render, nullptr) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    ASSERT_FALSE(f.extensions.empty()) << f.name;
    for (const std::string& e : f.extensions) EXPECT_TRUE(e.starts_with(".")) << e;
  }
  EXPECT_EQ(ToString(OutputSubject::kAudit), "audit");
  EXPECT_EQ(ToString(OutputSubject::kDetection), "detection");
  EXPECT_EQ(ToString(OutputSubject::kRegister), "register");
}

std::string Chosen(OutputSubject s, std::string_view name, std::string_view path) {
  auto f = ChooseOutputFormat(s, name, path);
  if (!f) return "error: " + f.error().message;
  return (*f)->name;
}

TEST(OutputRegistry, ChooseByExtension) {
  using S = OutputSubject;
  EXPECT_EQ(Chosen(S::kAudit, "", "report.html"), "html");
  EXPECT_EQ(Chosen(S::kAudit, "", "out/REPORT.HTM"), "html");
  EXPECT_EQ(Chosen(S::kAudit, "", "report.json"), "json");
  EXPECT_EQ(Chosen(S::kAudit, "", "report.txt"), "text");
  // No extension, "-" (standard output) or nothing: the subject's default.
  EXPECT_EQ(Chosen(S::kAudit, "", "report"), "text");
  EXPECT_EQ(Chosen(S::kAudit, "", "out.d/report"), "text");  // a dot in a folder is no extension
  EXPECT_EQ(Chosen(S::kAudit, "", "-"), "text");
  EXPECT_EQ(Chosen(S::kAudit, "", ""), "text");
  EXPECT_EQ(Chosen(S::kRegister, "", "register.yml"), "yaml");
  EXPECT_EQ(Chosen(S::kRegister, "", "register.json"), "json");
  EXPECT_EQ(Chosen(S::kRegister, "", "-"), "yaml");
  EXPECT_EQ(Chosen(S::kRules, "", "docs/rules.md"), "md");
  EXPECT_EQ(Chosen(S::kDetection, "", "found.json"), "json");
  EXPECT_EQ(Chosen(S::kAudit, "", "audit.XLSX"), "xlsx");
  EXPECT_EQ(Chosen(S::kAudit, "", "out/audit.pdf"), "pdf");
}

TEST(OutputRegistry, UnknownExtensionNamesTheKnownOnes) {
  auto f = ChooseOutputFormat(OutputSubject::kAudit, "", "reports/report.docx");
  ASSERT_FALSE(f.has_value());
  const Error& e = f.error();
  EXPECT_EQ(e.kind, ErrorKind::kUsage);
  EXPECT_EQ(e.message, "cannot tell the format from the extension '.docx'");
  EXPECT_EQ(e.where.file, "reports/report.docx");
  EXPECT_EQ(e.expected, "a file ending in .txt, .text, .json, .html, .htm, .sarif, .xml, .xlsx, .pdf");
  EXPECT_EQ(e.hint, "or choose one with --format text|json|html|sarif|junit|xlsx|pdf");
  // A detection has no HTML format: .html is unknown there.
  auto d = ChooseOutputFormat(OutputSubject::kDetection, "", "found.html");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().expected, "a file ending in .txt, .text, .json");
}

TEST(OutputRegistry, ExplicitNameWins) {
  using S = OutputSubject;
  EXPECT_EQ(Chosen(S::kAudit, "json", "report.html"), "json");
  EXPECT_EQ(Chosen(S::kAudit, "html", "report"), "html");
  EXPECT_EQ(Chosen(S::kAudit, "html", "report.pdf"),
            "html");  // the name decides; the extension is not checked
  auto f = ChooseOutputFormat(S::kAudit, "docx", "report.html");
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(f.error().message, "unknown format 'docx'");
  EXPECT_EQ(f.error().expected, "one of text, json, html, sarif, junit, xlsx, pdf");
  auto r = ChooseOutputFormat(S::kRules, "html", "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().expected, "one of text, json, md");
}

// ---------------------------------------------------------------- JSON

TEST(JsonReport, ExactValues) {
  Fixture fx;
  std::string text = Render("json", fx, "en");
  json j = json::parse(text);
  EXPECT_EQ(j["blindspot_report"], 2);
  EXPECT_EQ(j["lang"], "en");
  EXPECT_FALSE(j.contains("generated_at"));
  // Inputs are named by base name: no client folder in the report.
  EXPECT_EQ(j["register"]["file"], "register.yaml");
  EXPECT_EQ(text.find("clients/acme"), std::string::npos);
  EXPECT_EQ(j["register"]["organisation"], "Acme Zorg B.V.");
  EXPECT_EQ(j["register"]["counts"]["touchpoints"], 2);
  EXPECT_EQ(j["register"]["counts"]["activities"], 1);
  EXPECT_EQ(j["evidence"]["entries"], 321);
  EXPECT_EQ(j["evidence"]["bytes"], 654321);
  EXPECT_EQ(j["evidence"]["sources"],
            json::parse(
                R"([{"name": "home.har", "kind": "har", "warnings": 0, "phase": null},
          {"name": "contact.har", "kind": "har", "warnings": 0, "phase": null}])"));
  ASSERT_EQ(j["evidence"]["third_party_hosts"].size(), 2u);
  EXPECT_EQ(j["evidence"]["third_party_hosts"][0]["host"], "cdn.unknown.example");
  EXPECT_EQ(j["evidence"]["third_party_hosts"][0]["matched"], false);
  EXPECT_EQ(j["evidence"]["first_party_domains"], json({"acme.example"}));

  const json& tps = j["touchpoints"];
  ASSERT_EQ(tps.size(), 3u);
  EXPECT_EQ(tps[0]["kb_id"], "meta-pixel");
  EXPECT_EQ(tps[0]["blind_spot"], true);
  EXPECT_EQ(tps[0]["registered"], false);
  EXPECT_EQ(tps[0]["detected"], true);
  EXPECT_TRUE(tps[0]["register_id"].is_null());
  EXPECT_TRUE(tps[0]["answers"].is_null());
  EXPECT_EQ(tps[0]["status"], "blind_spot");
  EXPECT_EQ(tps[0]["category"], "advertising-pixel");
  EXPECT_EQ(tps[0]["channel"], "web-tracking");
  EXPECT_FALSE(tps[0].contains("description"));  // once per product, in "products"
  EXPECT_EQ(tps[0]["vendor"]["legal_entity"], "Meta Platforms Ireland Ltd.");
  EXPECT_EQ(tps[0]["vendor"]["transfer_mechanism"], "data_privacy_framework");
  EXPECT_EQ(tps[0]["evidence_count"], 12);
  ASSERT_EQ(tps[0]["evidence"].size(), 2u);
  const json& ev0 = tps[0]["evidence"][0];
  EXPECT_EQ(ev0["url"], kHostileUrl);
  EXPECT_EQ(ev0["kind"], "request");
  EXPECT_EQ(ev0["entry"], 17);
  EXPECT_EQ(ev0["source"], "home.har");
  EXPECT_EQ(ev0["page"], "https://acme.example/");
  EXPECT_EQ(ev0["signature"], "facebook.com/tr");
  EXPECT_FALSE(ev0.contains("cookie"));
  const json& ev1 = tps[0]["evidence"][1];
  EXPECT_EQ(ev1["kind"], "cookie");
  EXPECT_TRUE(ev1["url"].is_null());
  EXPECT_EQ(ev1["cookie"],
            json::parse(R"({"name": "_fbp", "domain": ".acme.example", "expires": "Max-Age=7776000"})"));
  EXPECT_EQ(tps[0]["signals"][0]["id"], "advanced-matching");
  EXPECT_EQ(tps[0]["signals"][0]["param"], "ud[em]");
  EXPECT_EQ(tps[0]["signals"][0]["meaning"], "Hashed e-mail address sent to Meta");
  EXPECT_FALSE(tps[0].contains("role"));

  // Product texts and claims once per kb entry, sorted by id.
  const json& products = j["products"];
  ASSERT_EQ(products.size(), 2u);
  EXPECT_EQ(products.begin().key(), "meta-pixel");
  const json& meta = products["meta-pixel"];
  EXPECT_EQ(meta["name"], "Meta Pixel");
  EXPECT_EQ(meta["category"], "advertising-pixel");
  EXPECT_EQ(meta["description"], "Meta's website pixel");
  EXPECT_EQ(meta["role"]["value"], "joint_controller");
  EXPECT_EQ(meta["role"]["reason"], "Joint controller for collection");
  EXPECT_EQ(meta["role"]["sources"][0]["id"], "cjeu-c-40-17-fashion-id");
  EXPECT_EQ(meta["role"]["sources"][0]["title"], "CJEU C-40/17 Fashion ID");
  EXPECT_EQ(meta["consent_required"]["value"], true);

  EXPECT_EQ(tps[1]["kb_id"], "whatsapp-business");
  EXPECT_EQ(tps[1]["blind_spot"], false);
  EXPECT_EQ(tps[1]["registered"], true);
  EXPECT_EQ(tps[1]["register_id"], "wa-klantenservice");
  EXPECT_EQ(tps[1]["answers"]["in_use"], true);
  EXPECT_EQ(tps[1]["answers"]["in_use_since"], "2023-04-01");
  EXPECT_EQ(tps[1]["answers"]["lawful_basis"], "consent");
  EXPECT_TRUE(tps[1]["answers"]["stored_by_us"].is_null());
  EXPECT_TRUE(tps[1]["answers"]["necessity"].is_null());
  EXPECT_EQ(tps[1]["evidence"][0]["kind"], "link");
  EXPECT_EQ(tps[1]["evidence"][0]["url"], "https://wa.me/31612345678");
  // Every kb entry makes a role claim now (a typed claim, here the default with no reason or source).
  const json& wa = products["whatsapp-business"];
  EXPECT_EQ(wa["role"]["value"], "processor");
  EXPECT_TRUE(wa["role"]["reason"].is_null());
  EXPECT_TRUE(wa["role"]["sources"].empty());
  EXPECT_EQ(wa["consent_required"]["value"], false);

  EXPECT_TRUE(tps[2]["kb_id"].is_null());
  EXPECT_EQ(tps[2]["name"], "Callcenter recording");
  EXPECT_EQ(tps[2]["status"], "not_seen");
  EXPECT_EQ(tps[2]["detected"], false);
  EXPECT_EQ(tps[2]["channel"], "phone");
  EXPECT_EQ(tps[2]["evidence_count"], 0);
  EXPECT_FALSE(products.contains("callcenter-recording"));

  const json& fs = j["findings"];
  ASSERT_EQ(fs.size(), 5u);
  std::vector<std::string> ids;
  for (const json& f : fs) ids.push_back(f["rule_id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"BS001-blind-spot", "BS004-no-lawful-basis", "BS002-not-seen",
                                           "BS003-art30-field-missing", "XX999-not-a-rule"}));
  EXPECT_EQ(fs[0]["severity"], "high");
  EXPECT_EQ(fs[0]["subject"]["kind"], "detected");
  EXPECT_EQ(fs[0]["subject"]["id"], "meta-pixel");
  EXPECT_EQ(fs[0]["detail"],
            "Meta Pixel (meta-pixel) was seen on 2 pages (12 pieces of evidence) but is not in the register");
  EXPECT_TRUE(fs[0]["path"].is_null());
  EXPECT_TRUE(fs[0]["register_location"].is_null());
  // Each finding carries its message (id and arguments) so it can be rendered again in any language.
  EXPECT_EQ(fs[0]["message"]["id"], "BS001-blind-spot.seen");
  EXPECT_EQ(fs[0]["message"]["args"]["pages"], 2);
  EXPECT_EQ(fs[0]["message"]["args"]["evidence"], 12);
  EXPECT_EQ(fs[0]["message"]["args"]["kb_id"], "meta-pixel");
  EXPECT_TRUE(fs[0]["message"]["args"]["also"].is_null());
  EXPECT_EQ(fs[1]["message"], json::parse(R"({"id": "BS004-no-lawful-basis.purpose_no_basis",
      "args": {"purpose": "Retargeting", "activity": "Online marketing"}})"));
  EXPECT_EQ(fs[1]["detail"], "Purpose 'Retargeting' of activity 'Online marketing' has no lawful basis");
  EXPECT_EQ(fs[1]["path"], "activities[marketing].purposes[purpose-1].lawful_basis");
  // The source map places the path at its nearest enclosing entry (the purpose).
  EXPECT_EQ(fs[1]["register_location"], json::parse(R"({"file": "register.yaml", "line": 12, "column": 5})"));
  EXPECT_EQ(fs[2]["message"]["args"]["sources"], 2);
  EXPECT_EQ(fs[2]["register_location"]["line"], 60);
  EXPECT_EQ(fs[3]["path"], "organisation.dpo");
  EXPECT_EQ(fs[3]["register_location"]["line"], 2);
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  EXPECT_EQ(fs[0]["title"], bs001.title.Get("en"));
  EXPECT_FALSE(fs[0].contains("remediation"));  // rule texts are given once, in "rules"
  // Unknown rule: the title falls back to the id, the message renders as its id, nothing invented.
  EXPECT_EQ(fs[4]["title"], "XX999-not-a-rule");
  EXPECT_EQ(fs[4]["detail"], "XX999-not-a-rule.free");

  const json& rules = j["rules"];
  std::vector<std::string> rule_keys;
  for (auto it = rules.begin(); it != rules.end(); ++it) rule_keys.push_back(it.key());
  EXPECT_EQ(rule_keys, (std::vector<std::string>{"BS001-blind-spot", "BS002-not-seen",
                                                 "BS003-art30-field-missing", "BS004-no-lawful-basis"}));
  EXPECT_EQ(rules["BS001-blind-spot"]["severity"], "high");
  EXPECT_EQ(rules["BS001-blind-spot"]["title"], bs001.title.Get("en"));
  EXPECT_EQ(rules["BS001-blind-spot"]["remediation"], bs001.remediation.Get("en"));
  EXPECT_EQ(rules["BS001-blind-spot"]["explanation"], bs001.explanation.Get("en"));
  ASSERT_EQ(rules["BS001-blind-spot"]["sources"].size(), bs001.sources.size());
  EXPECT_EQ(rules["BS001-blind-spot"]["sources"][0]["id"], "gdpr-art-30-1");
  EXPECT_EQ(rules["BS001-blind-spot"]["sources"][0]["title"],
            "GDPR Art. 30(1) (records of processing activities)");
  EXPECT_EQ(rules["BS001-blind-spot"]["sources"][0]["url"], bs001.sources[0].url);

  const json& s = j["summary"];
  EXPECT_EQ(s["high"], 1);
  EXPECT_EQ(s["medium"], 1);
  EXPECT_EQ(s["low"], 2);
  EXPECT_EQ(s["info"], 1);
  EXPECT_EQ(s["findings"], 5);
  EXPECT_EQ(s["blind_spots"], 1);
  EXPECT_EQ(s["not_seen"], 1);
  EXPECT_EQ(s["detected"], 2);
  EXPECT_EQ(s["touchpoints"], 3);
  EXPECT_EQ(j["notes"], json::array());
}

TEST(JsonReport, RulesHoldEachRuleOnce) {
  Fixture fx;
  fx.result.findings.insert(fx.result.findings.begin() + 1,
                            F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "other-tag",
                              "Other Tag", BlindSpotDetail("Other Tag", "other-tag", 1, 1)));
  std::string text = Render("json", fx, "en");
  json j = json::parse(text);
  ASSERT_EQ(j["findings"].size(), 6u);
  EXPECT_EQ(j["rules"].size(), 4u);
  size_t n = 0;
  for (size_t at = text.find("\"BS001-blind-spot\": {"); at != std::string::npos;
       at = text.find("\"BS001-blind-spot\": {", at + 1))
    ++n;
  EXPECT_EQ(n, 1u) << "rule texts once";
  // The remediation of the rule is in the document once, whatever the number of findings.
  const std::string remediation = RuleOf("BS001-blind-spot").remediation.Get("en");
  EXPECT_EQ(text.find(remediation), text.rfind(remediation));
}

TEST(JsonReport, DutchTextsAndOptionsAndDeterminism) {
  Fixture fx;
  ReportOptions o = fx.Options("nl");
  o.generated_at = "2026-11-30T06:00:00Z";
  o.tool_version = "0.2.0";
  std::string a = Render("json", fx.result, o);
  std::string b = Render("json", fx.result, o);
  EXPECT_EQ(a, b);
  json j = json::parse(a);
  EXPECT_EQ(j["lang"], "nl");
  EXPECT_EQ(j["generated_at"], "2026-11-30T06:00:00Z");
  EXPECT_EQ(j["tool_version"], "0.2.0");
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  ASSERT_NE(bs001.title.Find("nl"), nullptr);
  EXPECT_NE(bs001.title.Get("nl"), bs001.title.Get("en"));
  EXPECT_EQ(j["findings"][0]["title"], bs001.title.Get("nl"));
  EXPECT_EQ(j["rules"]["BS001-blind-spot"]["remediation"], bs001.remediation.Get("nl"));
  EXPECT_EQ(j["findings"][0]["detail"],
            "Meta Pixel (meta-pixel) is gezien op 2 pagina's (12 bewijsstukken), maar staat niet in het "
            "verwerkingsregister");
  EXPECT_EQ(j["findings"][1]["detail"],
            "Doel 'Retargeting' van verwerking 'Online marketing' heeft geen grondslag");
  // The message is language-neutral: the same in every report language.
  json en = json::parse(Render("json", fx, "en"));
  EXPECT_EQ(j["findings"][1]["message"], en["findings"][1]["message"]);
  EXPECT_EQ(j["touchpoints"][0]["signals"][0]["meaning"], "Gehasht e-mailadres naar Meta gestuurd");
  EXPECT_EQ(j["products"]["meta-pixel"]["role"]["reason"], "Gezamenlijk verantwoordelijk voor verzamelen");
  EXPECT_EQ(j["products"]["meta-pixel"]["description"], "De websitepixel van Meta");
  // Key order is fixed: the document starts with the format marker.
  EXPECT_EQ(a.rfind("{\n  \"blindspot_report\": 2,\n  \"lang\": \"nl\",\n  \"generated_at\"", 0), 0u);
}

// ---------------------------------------------------------------- HTML

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
  std::string html = Render("html", fx, "en");
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
  for (const char* anchor : {"id=\"card-1\"", "id=\"card-2\"", "id=\"card-3\""})
    EXPECT_NE(html.find(anchor), std::string::npos) << anchor;
  EXPECT_EQ(html.find("id=\"card-4\""), std::string::npos);
  size_t blind = html.find("id=\"blind-spots\"");
  size_t cards = html.find("id=\"touchpoints\"");
  ASSERT_NE(blind, std::string::npos);
  EXPECT_LT(blind, cards);
  EXPECT_NE(html.find("href=\"#card-1\""), std::string::npos);
  for (const char* s :
       {"Meta Pixel", "WhatsApp Business", "Callcenter recording", "Meta Platforms Ireland Ltd.",
        "Acme Zorg B.V.", "2023-04-01", "CJEU C-40/17 Fashion ID", "Hashed e-mail address sent to Meta",
        "wa.me/31612345678", "Online marketing", "_fbp (.acme.example)"})
    EXPECT_NE(html.find(s), std::string::npos) << s;
  // Inputs by base name only.
  EXPECT_NE(html.find("<code>register.yaml</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>home.har</code>"), std::string::npos);
  EXPECT_EQ(html.find("clients/acme"), std::string::npos);
  // Legal source links are <a href>, escaped.
  EXPECT_NE(html.find("<a href=\"https://curia.europa.eu/juris/liste.jsf?num=C-40/17\">"), std::string::npos);
  // Unanswered questions are marked.
  EXPECT_NE(html.find("<span class=\"na\">not answered</span>"), std::string::npos);
  // No unrendered mustache tags, no message placeholder, no raw message id.
  EXPECT_EQ(html.find("{{"), std::string::npos);
  EXPECT_FALSE(HasUnfilledPlaceholder(html));
  EXPECT_EQ(html.find("q_in_use"), std::string::npos);
  EXPECT_EQ(html.find("ui."), std::string::npos);
  // Findings: the touchpoint's in its card, the activity's in its section.
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  size_t card1 = html.find("id=\"card-1\""), card2 = html.find("id=\"card-2\"");
  size_t f1 = html.find(HtmlEscape(bs001.title.Get("en")));
  EXPECT_GT(f1, card1);
  EXPECT_LT(f1, card2);
  size_t activities = html.find("id=\"activities\"");
  size_t reg = html.find("id=\"register\"");
  ASSERT_NE(activities, std::string::npos);
  size_t f2 =
      html.find(HtmlEscape("Purpose 'Retargeting' of activity 'Online marketing' has no lawful basis"));
  EXPECT_GT(f2, activities);
  EXPECT_LT(f2, reg);
  EXPECT_NE(html.find("<code>register.yaml:12:5</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>activities[marketing].purposes[purpose-1].lawful_basis</code>"),
            std::string::npos);
  EXPECT_GT(html.find("the name and contact details of the DPO"), reg);
  EXPECT_GT(html.find("XX999-not-a-rule"), reg);
  // Each rule behind a finding is explained once, in its own section.
  size_t rules = html.find("id=\"rules\"");
  ASSERT_NE(rules, std::string::npos);
  EXPECT_GT(rules, reg);
  for (const char* id :
       {"BS001-blind-spot", "BS002-not-seen", "BS003-art30-field-missing", "BS004-no-lawful-basis"}) {
    std::string anchor = std::string("id=\"rule-") + id + "\"";
    EXPECT_NE(html.find(anchor), std::string::npos) << id;
    EXPECT_EQ(html.find(anchor), html.rfind(anchor)) << id;
  }
  EXPECT_EQ(html.find("id=\"rule-XX999"), std::string::npos);
  std::string remediation = HtmlEscape(bs001.remediation.Get("en"));
  EXPECT_GT(html.find(remediation), rules);
  EXPECT_EQ(html.find(remediation), html.rfind(remediation));
  EXPECT_NE(html.find(">" + HtmlEscape(bs001.sources[0].Title("en")) + "</a>"), std::string::npos);
}

TEST(HtmlReport, HostileTouchpointNameIsEscaped) {
  Fixture fx([](Register& reg, std::vector<KbEntry>&) {
    reg.touchpoints[1].name = "<script>alert('tp')</script>";
    reg.organisation.name = "Acme <b>Zorg</b> & \"Co\"";
  });
  std::string html = Render("html", fx, "en");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>Zorg"), std::string::npos);
  EXPECT_NE(html.find("<h3>&lt;script&gt;alert(&apos;tp&apos;)&lt;/script&gt;</h3>"), std::string::npos);
  EXPECT_NE(html.find("Acme &lt;b&gt;Zorg&lt;/b&gt; &amp; &quot;Co&quot;"), std::string::npos);
  EXPECT_EQ(LoadedUrls(html), std::vector<std::string>{});
}

TEST(HtmlReport, Dutch) {
  Fixture fx;
  std::string html = Render("html", fx, "nl");
  EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
  for (MessageId id : {ui::blind_spots, ui::not_answered, ui::q_informed, ui::register_findings,
                       ui::claim_role, ui::rules_applied}) {
    const std::string& s = Cat().Ui("nl", id);
    EXPECT_NE(s, Cat().Ui("en", id)) << id.id;
    EXPECT_NE(html.find(HtmlEscape(s)), std::string::npos) << id.id;
  }
  for (auto [vocab, value] :
       std::vector<std::pair<const char*, const char*>>{{"lawful_basis", "consent"},
                                                        {"vendor_role", "joint_controller"},
                                                        {"touchpoint_status", "blind_spot"}}) {
    std::string label = Cat().Term("nl", vocab, value);
    EXPECT_NE(label, Cat().Term("en", vocab, value)) << vocab;
    EXPECT_NE(html.find(HtmlEscape(label)), std::string::npos) << vocab << " " << label;
  }
  EXPECT_NE(html.find("niet beantwoord"), std::string::npos);
  EXPECT_NE(html.find("Blinde vlekken"), std::string::npos);
  EXPECT_NE(html.find(HtmlEscape(RuleOf("BS001-blind-spot").title.Get("nl"))), std::string::npos);
  EXPECT_NE(html.find("Gehasht e-mailadres naar Meta gestuurd"), std::string::npos);
  EXPECT_NE(
      html.find(HtmlEscape("Doel 'Retargeting' van verwerking 'Online marketing' heeft geen grondslag")),
      std::string::npos);
  EXPECT_EQ(html.find("not answered"), std::string::npos);
  EXPECT_FALSE(HasUnfilledPlaceholder(html));
}

// The text between `id="card-<n>"` and the next card (or the end).
std::string CardText(const std::string& html, int n) {
  size_t from = html.find(fmt::format("id=\"card-{}\"", n));
  if (from == std::string::npos) return {};
  size_t to = html.find("<article", from);
  return html.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

// `text` with each run of blanks and newlines as one space: the kb text
// output wraps its lines, so a sentence may be split over lines.
std::string Flat(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool blank = c == ' ' || c == '\n';
    if (blank && !out.empty() && out.back() == ' ') continue;
    out += blank ? ' ' : c;
  }
  return out;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, ReaderGuideQuestionsAndFolding) {
  // A source with a Dutch title is cited in Dutch, one without keeps its title.
  Fixture fx([](Register& reg, std::vector<KbEntry>& kb) {
    // WhatsApp: "stored by us: no" makes "where" not applicable rather than missing.
    reg.touchpoints[0].answers.stored_by_us = false;
    kb[0].role.sources[0].title.Set("nl", "HvJ EU C-40/17 Fashion ID");
  });
  // Meta Pixel: six evidence items shown, so its list is folded.
  DetectedTouchpoint& pixel = fx.result.detection.touchpoints[0];
  pixel.evidence.push_back(Item(EvidenceKind::kRequest, "https://www.facebook.com/tr?id=1",
                                "https://acme.example/", "home.har", 18, "facebook.com/tr"));
  pixel.evidence.push_back(Item(EvidenceKind::kRequest, "https://www.facebook.com/tr?id=2",
                                "https://acme.example/", "home.har", 19, "facebook.com/tr"));
  // A marker is its own value (no signature line); a signal item says in words whose signal it was.
  pixel.evidence.push_back(Item(EvidenceKind::kHtmlMarker, "", "https://acme.example/", "home.har", 0,
                                "connect.facebook.net/en_US/fbevents.js"));
  EvidenceItem sig = Item(EvidenceKind::kSignal, "https://www.facebook.com/tr?ud[em]=…",
                          "https://acme.example/", "home.har", 20, "ud[em]");
  sig.signal_id = "advanced-matching";
  sig.signal_param = "ud[em]";
  sig.via = "meta-pixel";
  pixel.evidence.push_back(sig);
  std::string html = Render("html", fx, "nl");
  const TextCatalog& cat = Cat();
  EXPECT_NE(html.find(">HvJ EU C-40/17 Fashion ID</a>"), std::string::npos);
  EXPECT_EQ(html.find("CJEU C-40/17 Fashion ID"), std::string::npos);
  EXPECT_NE(html.find(">Telecommunicatiewet art. 11.7a</a>"), std::string::npos);
  EXPECT_NE(Render("html", fx, "en").find(">CJEU C-40/17 Fashion ID</a>"), std::string::npos);
  const std::string sig_label = HtmlEscape(cat.Ui("nl", ui::signature));
  EXPECT_EQ(sig_label, "herkend aan");
  EXPECT_NE(html.find("<code>connect.facebook.net/en_US/fbevents.js</code></td>"), std::string::npos);
  EXPECT_NE(html.find(sig_label + ": signaal advanced-matching (ud[em]) van meta-pixel<"), std::string::npos);
  EXPECT_NE(html.find(sig_label + ": facebook.com/tr<"), std::string::npos);
  EXPECT_NE(html.find(">" + HtmlEscape(cat.Term("nl", "evidence_kind", "html-marker")) + "<"),
            std::string::npos);
  EXPECT_NE(html.find(">" + HtmlEscape(cat.Term("nl", "evidence_kind", "signal")) + "<"), std::string::npos);
  EXPECT_EQ(html.find("html marker"), std::string::npos);
  EXPECT_EQ(html.find(") of meta-pixel"), std::string::npos);
  // Findings per severity have their own caption.
  EXPECT_NE(html.find(HtmlEscape(cat.Ui("nl", ui::findings_by_severity))), std::string::npos);

  // The reading guide comes before the blind spots and explains the term.
  size_t guide = html.find("id=\"guide\"");
  ASSERT_NE(guide, std::string::npos);
  EXPECT_LT(guide, html.find("id=\"blind-spots\""));
  EXPECT_NE(html.find(HtmlEscape(cat.Ui("nl", ui::guide_blind_spot))), std::string::npos);
  EXPECT_NE(html.find("href=\"#guide\""), std::string::npos);

  // Category and channel values are translated, not shown as kb ids.
  EXPECT_EQ(cat.Term("nl", "kb_category", "advertising-pixel"), "advertentiepixel");
  EXPECT_EQ(cat.Term("nl", "channel", "web-tracking"), "websitemeting");
  EXPECT_NE(html.find("advertentiepixel"), std::string::npos);
  EXPECT_NE(html.find("websitemeting"), std::string::npos);
  EXPECT_EQ(html.find("advertising-pixel"), std::string::npos);
  EXPECT_EQ(html.find("web-tracking"), std::string::npos);

  // Blind spot (not in the register): one "not answered" per question, 0 of 7.
  std::string card1 = CardText(html, 1);
  ASSERT_FALSE(card1.empty());
  EXPECT_EQ(Count(card1, "<span class=\"na\">niet beantwoord</span>"), 7u);
  EXPECT_NE(card1.find("0/7 beantwoord"), std::string::npos);
  EXPECT_EQ(Count(card1, "<tr class=\"none\">"), 7u);
  // Six evidence items: folded.
  EXPECT_NE(card1.find("<details class=\"ev\">"), std::string::npos);
  EXPECT_EQ(card1.find("<details class=\"ev\" open>"), std::string::npos);
  // The finding comes before the questions and the evidence; it links to its
  // rule, whose remediation and legal sources are given once in the rules section.
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  EXPECT_LT(card1.find(HtmlEscape(bs001.title.Get("nl"))),
            card1.find(HtmlEscape(cat.Ui("nl", ui::questions))));
  EXPECT_NE(card1.find("href=\"#rule-BS001-blind-spot\""), std::string::npos);
  EXPECT_EQ(card1.find(HtmlEscape(bs001.remediation.Get("nl"))), std::string::npos);
  size_t rules = html.find("id=\"rules\"");
  ASSERT_NE(rules, std::string::npos);
  EXPECT_GT(html.find(HtmlEscape(cat.Ui("nl", ui::legal_sources))), rules);
  EXPECT_GT(html.find(">" + HtmlEscape(bs001.sources[0].Title("nl")) + "</a>"), rules);

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

// Every kb category and channel is shown in words in every language: a
// value without a label would be shown as its kebab-case id.
TEST(HtmlReport, EveryKbCategoryAndChannelHasALabel) {
  const TextCatalog& cat = Cat();
  ASSERT_GT(cat.Vocabulary("kb_category").size(), 10u);
  ASSERT_GT(cat.Vocabulary("channel").size(), 5u);
  for (const Language& lang : cat.languages())
    for (const char* vocab : {"kb_category", "channel"})
      for (const std::string& v : cat.Vocabulary(vocab)) {
        std::string label = cat.Term(lang.code, vocab, v);
        EXPECT_FALSE(label.empty()) << lang.code << " " << v;
        if (v.find('-') != std::string::npos) {
          EXPECT_NE(label, v) << lang.code << " " << vocab << " " << v;
        }
      }
}

TEST(HtmlReport, EmptyResultRenders) {
  auto reg = std::make_shared<Register>();
  AuditResult r;
  r.reg = reg;
  r.kb = std::make_shared<const Kb>();
  std::string html = Render("html", r, ReportOptions{});
  EXPECT_NE(html.find(HtmlEscape(Cat().Ui("en", ui::no_blind_spots))), std::string::npos);
  EXPECT_EQ(html.find("id=\"card-1\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"activities\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"rules\""), std::string::npos);
  // No register given (nothing read): said in words.
  ReportOptions nl_options;
  nl_options.lang = "nl";
  std::string nl = Render("html", r, nl_options);
  EXPECT_NE(nl.find(HtmlEscape(Cat().Ui("nl", ui::no_register))), std::string::npos);
  EXPECT_EQ(nl.find("(none)"), std::string::npos);
  // A register file is named.
  reg->source = "acme/register.yaml";
  reg->activities.emplace_back();
  std::string named = Render("html", r, nl_options);
  EXPECT_EQ(named.find(HtmlEscape(Cat().Ui("nl", ui::no_register))), std::string::npos);
  EXPECT_NE(named.find("<code>register.yaml</code>"), std::string::npos);
}

// ---------------------------------------------------------------- text

TEST(TextReport, CountsTableAndFindings) {
  Fixture fx;
  std::string text = Render("text", fx, "en");
  EXPECT_NE(text.find("Acme Zorg B.V."), std::string::npos);
  EXPECT_NE(text.find("register.yaml (1 processing activity, 1 processor, 2 touchpoints)"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("clients/acme"), std::string::npos);
  EXPECT_NE(text.find("2 HAR files, 2 pages, 321 requests"), std::string::npos) << text;
  EXPECT_NE(text.find("home.har, contact.har"), std::string::npos);
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
  EXPECT_NE(text.find(RuleOf("BS001-blind-spot").sources[0].Title("en")), std::string::npos);
  // The location names the register's base name and the line of the field.
  EXPECT_NE(text.find("    - processing activity marketing (Online marketing) [register.yaml:12:5]\n"
                      "      Purpose 'Retargeting' of activity 'Online marketing' has no lawful basis\n"),
            std::string::npos)
      << text;
  EXPECT_FALSE(HasUnfilledPlaceholder(text));

  // Layout: no line wider than 100 columns unless it is a single long word.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() <= 100) continue;
    EXPECT_EQ(line.find(' ', line.find_first_not_of(' ')), std::string::npos) << line;
  }
}

TEST(TextReport, GroupsFindingsOfOneRule) {
  Fixture fx;
  Message implied = Message(msg::BS001::implied_only)
                        .Text("name", "Other Tag")
                        .Text("kb_id", "other-tag")
                        .Text("via", "meta-pixel")
                        .Sub("signals", Message())
                        .Sub("transfer", Message());
  fx.result.findings.insert(
      fx.result.findings.begin() + 1,
      F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "other-tag", "Other Tag", implied));
  std::string text = Render("text", fx, "en");
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  size_t header = text.find("[BS001-blind-spot] " + bs001.title.Get("en") + " (2)");
  ASSERT_NE(header, std::string::npos) << text;
  EXPECT_EQ(text.find("[BS001-blind-spot]"), text.rfind("[BS001-blind-spot]"));
  // The remediation is printed once (its first words fit on the first line).
  std::string remediation_start = bs001.remediation.Get("en").substr(0, 30);
  EXPECT_NE(text.find(remediation_start), std::string::npos);
  EXPECT_EQ(text.find(remediation_start), text.rfind(remediation_start));
  size_t first = text.find(
      "    - detected touchpoint meta-pixel (Meta Pixel)\n      Meta Pixel (meta-pixel) was seen on 2 pages");
  size_t second = text.find(
      "    - detected touchpoint other-tag (Other Tag)\n      Other Tag (other-tag) is shown to be in use by "
      "a data "
      "signal of meta-pixel, but is not in the\n      register\n");  // wrapped at 100 columns
  EXPECT_LT(header, first);
  EXPECT_LT(first, second);
  EXPECT_NE(second, std::string::npos) << text;
  EXPECT_NE(text.find("HIGH (2)"), std::string::npos);
}

TEST(TextReport, Dutch) {
  Fixture fx;
  std::string text = Render("text", fx, "nl");
  EXPECT_NE(text.find("Blinde vlekken:"), std::string::npos) << text;
  EXPECT_NE(text.find("BLINDE VLEK"), std::string::npos);
  // A label longer than the label column is kept whole.
  EXPECT_TRUE(std::regex_search(text, std::regex("\nGeregistreerd, niet gezien: +1\n"))) << text;
  EXPECT_NE(text.find("HOOG (1)"), std::string::npos);
  EXPECT_NE(text.find("Doel 'Retargeting' van verwerking 'Online marketing' heeft geen grondslag"),
            std::string::npos);
  EXPECT_NE(text.find("2 HAR-bestanden, 2 pagina's, 321 verzoeken"), std::string::npos);
  EXPECT_FALSE(HasUnfilledPlaceholder(text));
}

// Input text must not drive the terminal: control characters of a host name
// or a register value are shown escaped.
TEST(TextReport, ControlCharactersAreEscaped) {
  Fixture fx([](Register& reg, std::vector<KbEntry>&) { reg.organisation.name = "Acme\x1b[2J Zorg"; });
  fx.result.detection.third_party_hosts[0].host = "evil\x1b]0;pwned\x07.example";
  std::string text = Render("text", fx, "en");
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("Acme\\x1b[2J Zorg"), std::string::npos) << text;
  OutputInput in;
  in.detection = &fx.result.detection;
  std::string det = RenderAs(OutputSubject::kDetection, "text", in);
  EXPECT_EQ(det.find('\x1b'), std::string::npos);
  EXPECT_EQ(det.find('\x07'), std::string::npos);
  EXPECT_NE(det.find("evil\\x1b]0;pwned\\x07.example (2 requests)"), std::string::npos) << det;
  // JSON keeps the text as data (escaped the JSON way), HTML as text.
  std::string j = RenderAs(OutputSubject::kDetection, "json", in);
  EXPECT_EQ(j.find('\x1b'), std::string::npos);
  EXPECT_NE(j.find("evil\\u001b]0;pwned\\u0007.example"), std::string::npos);
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

// ---------------------------------------------------------------- languages

TEST(Reports, DutchReportsCiteLegalSourcesWithDutchTitles) {
  Fixture fx([](Register&, std::vector<KbEntry>& kb) {
    kb[0].role.sources[0].title.Set("nl", "HvJ EU C-40/17 Fashion ID");
  });
  const RuleMeta& bs001 = RuleOf("BS001-blind-spot");
  ASSERT_FALSE(bs001.sources.empty());
  const Source& art30 = bs001.sources[0];
  ASSERT_EQ(art30.Title("nl"), "AVG art. 30 lid 1 (register van verwerkingsactiviteiten)");
  ASSERT_EQ(art30.Title("en"), "GDPR Art. 30(1) (records of processing activities)");

  json nl = json::parse(Render("json", fx, "nl"));
  const json& sources = nl["rules"]["BS001-blind-spot"]["sources"];
  ASSERT_EQ(sources.size(), bs001.sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    EXPECT_EQ(sources[i]["title"], bs001.sources[i].Title("nl")) << i;
    EXPECT_EQ(sources[i]["url"], bs001.sources[i].url) << i;
  }
  // kb claim sources follow the language too; one without a Dutch title keeps its title.
  EXPECT_EQ(nl["products"]["meta-pixel"]["role"]["sources"][0]["title"], "HvJ EU C-40/17 Fashion ID");
  EXPECT_EQ(nl["products"]["meta-pixel"]["consent_required"]["sources"][0]["title"],
            "Telecommunicatiewet art. 11.7a");
  json en = json::parse(Render("json", fx, "en"));
  EXPECT_EQ(en["rules"]["BS001-blind-spot"]["sources"][0]["title"], art30.Title("en"));
  EXPECT_EQ(en["products"]["meta-pixel"]["role"]["sources"][0]["title"], "CJEU C-40/17 Fashion ID");

  std::string text_nl = CollapseSpaces(Render("text", fx, "nl"));
  EXPECT_NE(text_nl.find(art30.Title("nl") + " - " + art30.url), std::string::npos) << text_nl;
  EXPECT_EQ(text_nl.find(art30.Title("en")), std::string::npos) << text_nl;
  std::string text_en = CollapseSpaces(Render("text", fx, "en"));
  EXPECT_NE(text_en.find(art30.Title("en") + " - " + art30.url), std::string::npos) << text_en;
  EXPECT_EQ(text_en.find(art30.Title("nl")), std::string::npos);
}

// The same audit in each language: that language's UI words and vocabulary
// labels, none of another language's, and no placeholder left.
TEST(Reports, EachLanguageGivesItsOwnWords) {
  Fixture fx;
  const TextCatalog& cat = Cat();
  ASSERT_EQ(cat.LanguageCodes(), (std::vector<std::string_view>{"en", "de", "nl"}));
  const std::vector<std::string> langs = {"en", "nl", "de"};
  for (const std::string& lang : langs) {
    SCOPED_TRACE(lang);
    std::string text = Render("text", fx, lang);
    std::string html = Render("html", fx, lang);
    json j = json::parse(Render("json", fx, lang));
    const std::string blind = cat.Ui(lang, ui::sum_blind_spots);
    const std::string high = cat.Term(lang, "severity", "high");
    const std::string not_seen = cat.Term(lang, "touchpoint_status", "not_seen");
    // A UI string and vocabulary terms in text and HTML.
    EXPECT_TRUE(std::regex_search(text, std::regex("\n" + blind + ": +1\n"))) << text;
    EXPECT_NE(text.find(not_seen), std::string::npos);
    EXPECT_NE(html.find(HtmlEscape(cat.Ui(lang, ui::guide_title))), std::string::npos);
    EXPECT_NE(html.find(">" + HtmlEscape(high) + "<"), std::string::npos);
    EXPECT_NE(html.find(HtmlEscape(cat.Term(lang, "kb_category", "advertising-pixel"))), std::string::npos);
    // JSON: rule titles and details in the language.
    EXPECT_EQ(j["rules"]["BS004-no-lawful-basis"]["title"], RuleOf("BS004-no-lawful-basis").title.Get(lang));
    EXPECT_EQ(j["findings"][1]["detail"], cat.Render(fx.result.findings[1].detail, lang));
    for (const std::string* out : {&text, &html}) EXPECT_FALSE(HasUnfilledPlaceholder(*out));
    for (const json& f : j["findings"]) EXPECT_FALSE(HasUnfilledPlaceholder(f["detail"].get<std::string>()));
    // None of another language's words.
    for (const std::string& other : langs) {
      if (other == lang) continue;
      EXPECT_EQ(text.find(cat.Ui(other, ui::sum_blind_spots) + ":"), std::string::npos) << other;
      EXPECT_EQ(html.find(HtmlEscape(cat.Ui(other, ui::guide_title))), std::string::npos) << other;
    }
  }
  // The words differ per language (so the checks above can fail).
  EXPECT_EQ(cat.Ui("de", ui::sum_blind_spots), "Blinde Flecken");
  EXPECT_EQ(cat.Term("de", "severity", "high"), "hoch");
  EXPECT_EQ(cat.Term("nl", "severity", "high"), "hoog");
}

// A kb text without a translation falls back to English; the report says so
// once, in the language of the report.
TEST(Reports, KbTextFallbackNoteOnce) {
  auto note = [](const char* lang, const char* language) {
    return Cat().Render(Message(ui::kb_text_fallback).Text("language", language), lang);
  };
  const std::string de_note = note("de", "Deutsch");
  ASSERT_NE(de_note.find("Deutsch"), std::string::npos);
  ASSERT_FALSE(HasUnfilledPlaceholder(de_note));

  // A kb entry whose texts have only English: one note in German.
  KbEntry e;
  e.id = "acme-chat";
  e.name = "Acme Chat";
  e.category = "live-chat";
  e.channel = "chat";
  e.description = {{"en", "A chat widget"}};
  e.role.reason = {{"en", "Processes chats on our behalf"}};
  e.vendor.legal_entity = "Acme Chat B.V.";
  KbEntry translated = e;
  translated.id = "acme-chat-translated";
  translated.description.Set("de", "Ein Chat-Widget");
  translated.role.reason.Set("de", "Verarbeitet Chats in unserem Auftrag");
  Kb kb = Kb::FromEntries({e, translated});
  OutputInput in;
  in.kb = &kb;
  in.options.lang = "de";
  in.kb_entry = "acme-chat";
  std::string text = RenderAs(OutputSubject::kKb, "text", in);
  EXPECT_NE(text.find("A chat widget"), std::string::npos) << text;
  EXPECT_EQ(Count(Flat(text), de_note), 1u) << text;
  // Fully translated: no note; English never needs one; the list shows no texts.
  in.kb_entry = "acme-chat-translated";
  text = RenderAs(OutputSubject::kKb, "text", in);
  EXPECT_NE(text.find("Ein Chat-Widget"), std::string::npos) << text;
  EXPECT_EQ(text.find(de_note), std::string::npos) << text;
  in.kb_entry = "acme-chat";
  in.options.lang = "en";
  EXPECT_EQ(RenderAs(OutputSubject::kKb, "text", in).find("English"), std::string::npos);
  in.kb_entry.clear();
  in.options.lang = "de";
  EXPECT_EQ(RenderAs(OutputSubject::kKb, "text", in).find(de_note), std::string::npos);

  // The audit report: one note however many kb texts fall back.
  Fixture partial([](Register&, std::vector<KbEntry>& entries) {
    entries[0].description = {{"en", "Meta's website pixel"}};
    entries[0].data_signals[0].meaning = {{"en", "Hashed e-mail address sent to Meta"}};
    entries[1].description = {{"en", "WhatsApp for companies"}};
  });
  json j = json::parse(Render("json", partial, "de"));
  EXPECT_EQ(j["notes"], json({de_note}));
  EXPECT_EQ(j["products"]["meta-pixel"]["description"], "Meta's website pixel");
  std::string html = Render("html", partial, "de");
  EXPECT_EQ(Count(html, HtmlEscape(de_note)), 1u);
  // The descriptions lack Dutch too: the Dutch note, once; English needs none.
  EXPECT_EQ(Count(Render("html", partial, "nl"), HtmlEscape(note("nl", "Nederlands"))), 1u);
  EXPECT_EQ(json::parse(Render("json", partial, "en"))["notes"], json::array());
  // The complete fixture needs no note in any language.
  Fixture full;
  for (const Language& l : Cat().languages()) {
    EXPECT_EQ(json::parse(Render("json", full, l.code))["notes"], json::array()) << l.code;
    EXPECT_EQ(Render("html", full, l.code).find(HtmlEscape(note(l.code.c_str(), l.name.c_str()))),
              std::string::npos)
        << l.code;
  }
}

TEST(Reports, ConcurrentRenderingGivesTheSameOutput) {
  Fixture fx;
  std::vector<const OutputFormat*> formats = OutputFormatsFor(OutputSubject::kAudit);
  ASSERT_EQ(formats.size(), 7u);
  // The workbook holds the time it was written (docProps/core.xml): equal input, other bytes.
  std::erase_if(formats, [](const OutputFormat* f) { return f->name == "xlsx"; });
  std::vector<std::string> expected;
  for (const char* lang : {"nl", "de"})
    for (const OutputFormat* f : formats) expected.push_back(Render(f->name.c_str(), fx, lang));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round)
        for (const char* lang : {"nl", "de"})
          for (const OutputFormat* f : formats) {
            OutputInput in;
            in.audit = &fx.result;
            in.options = fx.Options(lang);
            Result<std::string> r = f->render(in);
            got[t].push_back(r ? *r : std::string());
          }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const auto& outputs : got) {
    ASSERT_EQ(outputs.size(), 3 * 2 * formats.size());  // 3 rounds x 2 languages
    for (size_t i = 0; i < outputs.size(); ++i) EXPECT_EQ(outputs[i], expected[i % expected.size()]);
  }
}

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every {{t.key}} of the HTML template and every ui:: key the HTML writer uses
// is a UI string, and every language has its own text for it (not the English
// fallback).
TEST(I18n, EveryTemplateKeyIsAUiStringInEveryLanguage) {
  const TextCatalog& cat = Cat();
  EXPECT_TRUE(cat.load_errors().empty());
  std::string tmpl = ReadSource("data/templates/report.html.mustache");
  ASSERT_FALSE(tmpl.empty());
  std::set<std::string> used;
  std::regex tmpl_key(R"re(\{\{\s*t\.([a-z0-9_]+)\s*\}\})re");
  for (auto it = std::sregex_iterator(tmpl.begin(), tmpl.end(), tmpl_key); it != std::sregex_iterator(); ++it)
    used.insert((*it)[1]);
  ASSERT_GT(used.size(), 30u);
  // The cards, products and activities are written by html_report.cc with ui:: keys.
  std::string code = ReadSource("src/report/html_report.cc");
  std::regex code_key(R"re(ui::([a-z0-9_]+))re");
  size_t from_code = 0;
  for (auto it = std::sregex_iterator(code.begin(), code.end(), code_key); it != std::sregex_iterator(); ++it)
    from_code += used.insert((*it)[1]).second;
  EXPECT_GT(from_code, 20u);
  for (const std::string& k : used) {
    const std::string* en = cat.Template("en", "ui." + k);
    ASSERT_NE(en, nullptr) << "no ui." << k;
    for (const Language& l : cat.languages()) {
      if (l.code == "en") continue;
      EXPECT_NE(cat.Template(l.code, "ui." + k), en) << l.code << " lacks ui." << k;
    }
  }
  std::regex term_key(R"re(\{\{\s*term\.([a-z_]+)\.([a-z_]+)\s*\}\})re");
  size_t terms = 0;
  for (auto it = std::sregex_iterator(tmpl.begin(), tmpl.end(), term_key); it != std::sregex_iterator();
       ++it) {
    ++terms;
    EXPECT_TRUE(cat.InVocabulary((*it)[1].str(), (*it)[2].str())) << (*it)[0];
  }
  EXPECT_EQ(terms, 7u);  // touchpoint_status (4) and verdict (3)
}

// ---------------------------------------------------------------- other subjects

// Reading warnings: a count and the list in the text, JSON and HTML audit
// reports and the detect outputs, with labels in the report language.
TEST(Reports, ReadWarningsInEveryFormatAndLanguage) {
  Fixture fx;
  DetectionResult& d = fx.result.detection;
  ReadWarning w1;
  w1.issue = ReadIssue::kWrongType;
  w1.action = ReadAction::kFieldIgnored;
  w1.has_entry = true;
  w1.entry = 4;
  w1.offset = 1234;
  w1.path = "log.entries[4].request.postData.params[2].value";
  w1.expected = "string";
  w1.found = "object";
  w1.source = "home.har";
  ReadWarning w2;
  w2.issue = ReadIssue::kNoFirstParty;
  w2.action = ReadAction::kAllThirdParty;
  w2.source = "contact.har";
  d.warnings = {w1, w2};
  d.warning_count = 5;  // three more than listed
  d.warning_counts = {{ReadIssue::kWrongType, 4}, {ReadIssue::kNoFirstParty, 1}};
  d.sources[0].warnings = 4;
  d.sources[1].warnings = 1;
  for (const std::string lang : {"en", "nl", "de"}) {
    auto term = [&](const char* vocab, const char* v) { return Cat().Term(lang, vocab, v); };
    std::string heading = Cat().Ui(lang, ui::read_warnings);
    std::string text = Render("text", fx, lang);
    EXPECT_NE(text.find(Cat().Ui(lang, ui::read_warnings_label) + ":"), std::string::npos) << lang << "\n"
                                                                                           << text;
    EXPECT_NE(text.find(heading + "\n"), std::string::npos) << lang << "\n" << text;
    EXPECT_NE(text.find(term("har_issue", "wrong-type") + " 4"), std::string::npos) << lang;
    EXPECT_NE(text.find("log.entries[4].request.postData.params[2].value"), std::string::npos) << lang;
    EXPECT_NE(text.find(term("json_type", "object")), std::string::npos) << lang;
    EXPECT_NE(text.find("(" + term("har_action", "field-ignored") + ")"), std::string::npos) << lang;
    EXPECT_NE(CollapseSpaces(text).find(Cat().Render(Message(ui::read_warnings_more).Number("n", 3), lang)),
              std::string::npos)
        << lang;
    std::string html = Render("html", fx, lang);
    EXPECT_NE(html.find("id=\"read-warnings\""), std::string::npos) << lang;
    EXPECT_NE(html.find(HtmlEscape(heading)), std::string::npos) << lang;
    EXPECT_NE(html.find(HtmlEscape(term("har_action", "all-third-party"))), std::string::npos) << lang;
    EXPECT_NE(html.find(HtmlEscape(Cat().Render(Message(ui::read_what_no_first_party), lang))),
              std::string::npos)
        << lang;
    EXPECT_NE(html.find("home.har"), std::string::npos);
    json j = json::parse(Render("json", fx, lang));
    EXPECT_EQ(j["evidence"]["warning_count"], 5);
    EXPECT_EQ(j["evidence"]["warning_counts"], json::parse(R"({"wrong-type": 4, "no-first-party": 1})"));
    ASSERT_EQ(j["evidence"]["warnings"].size(), 2u);
    const json& x = j["evidence"]["warnings"][0];
    EXPECT_EQ(x["source"], "home.har");
    EXPECT_EQ(x["entry"], 4);
    EXPECT_EQ(x["offset"], 1234);
    EXPECT_EQ(x["path"], "log.entries[4].request.postData.params[2].value");
    EXPECT_EQ(x["issue"], "wrong-type");
    EXPECT_EQ(x["action"], "field-ignored");
    EXPECT_EQ(x["expected"], "string");
    EXPECT_EQ(x["found"], "object");
    EXPECT_NE(x["text"].get<std::string>().find(term("har_action", "field-ignored")), std::string::npos);
    const json& y = j["evidence"]["warnings"][1];
    EXPECT_TRUE(y["entry"].is_null());
    EXPECT_TRUE(y["offset"].is_null());
    EXPECT_TRUE(y["path"].is_null());
    EXPECT_EQ(j["evidence"]["sources"][0]["warnings"], 4);
    // detect: text and JSON.
    OutputInput in;
    in.detection = &d;
    in.options.lang = lang;
    std::string dt = RenderAs(OutputSubject::kDetection, "text", in);
    EXPECT_NE(dt.find(heading + ": " + Cat().Render(Message(ui::read_warning_count).Number("n", 5), lang)),
              std::string::npos)
        << lang << "\n"
        << dt;
    EXPECT_NE(dt.find("home.har"), std::string::npos);
    json dj = json::parse(RenderAs(OutputSubject::kDetection, "json", in));
    EXPECT_EQ(dj["warning_count"], 5);
    EXPECT_EQ(dj["warnings"][0]["path"], "log.entries[4].request.postData.params[2].value");
    EXPECT_EQ(dj["warnings"][1]["issue"], "no-first-party");
  }
  // Without warnings: the count ("none") and no section.
  Fixture clean;
  std::string html = Render("html", clean, "en");
  EXPECT_EQ(html.find("id=\"read-warnings\""), std::string::npos);
  json j = json::parse(Render("json", clean, "en"));
  EXPECT_EQ(j["evidence"]["warning_count"], 0);
  EXPECT_TRUE(j["evidence"]["warnings"].empty());
  EXPECT_NE(Render("text", clean, "en").find(Cat().Ui("en", ui::read_warnings_label) + ":"),
            std::string::npos);
}

TEST(OtherSubjects, DetectionTextAndJson) {
  Fixture fx;
  OutputInput in;
  in.detection = &fx.result.detection;
  std::string text = RenderAs(OutputSubject::kDetection, "text", in);
  EXPECT_NE(text.find("2 HAR files, 321 entries, 654321 bytes\n"), std::string::npos) << text;
  EXPECT_NE(text.find("First-party domains: acme.example\n"), std::string::npos) << text;
  EXPECT_NE(text.find("2 touchpoints detected:\n"), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(R"(\n  meta-pixel +advertising-pixel +12  signals: advanced-matching \(ud\[em\]\)\n)")))
      << text;
  EXPECT_NE(text.find("2 third-party hosts, 1 not attributed to a known touchpoint:\n  cdn.unknown.example "
                      "(2 requests)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("connect.facebook.net"), std::string::npos);  // attributed hosts are not listed
  json j = json::parse(RenderAs(OutputSubject::kDetection, "json", in));
  EXPECT_EQ(j["sources"], json::parse(
                              R"([{"name": "home.har", "kind": "har", "warnings": 0, "phase": null},
          {"name": "contact.har", "kind": "har", "warnings": 0, "phase": null}])"));
  EXPECT_EQ(j["entries"], 321);
  ASSERT_EQ(j["touchpoints"].size(), 2u);
  EXPECT_EQ(j["touchpoints"][0]["kb_id"], "meta-pixel");
  EXPECT_EQ(j["touchpoints"][0]["name"], "Meta Pixel");
  EXPECT_EQ(j["touchpoints"][0]["evidence"][0]["signature"], "facebook.com/tr");
  EXPECT_EQ(j["touchpoints"][0]["evidence"][1]["cookie"]["expires"], "Max-Age=7776000");
  EXPECT_EQ(j["touchpoints"][0]["signals"][0]["source"], "home.har");
  EXPECT_EQ(j["third_party_hosts"][0]["host"], "cdn.unknown.example");
  for (const char* lang : {"nl", "de"}) {
    in.options.lang = lang;
    std::string t = RenderAs(OutputSubject::kDetection, "text", in);
    EXPECT_NE(t.find(Cat().Ui(lang, ui::first_party_domains) + ": acme.example"), std::string::npos) << lang;
    EXPECT_FALSE(HasUnfilledPlaceholder(t)) << t;
  }
}

TEST(OtherSubjects, RulesTextJsonAndMarkdown) {
  OutputInput in;
  std::string text = RenderAs(OutputSubject::kRules, "text", in);
  json j = json::parse(RenderAs(OutputSubject::kRules, "json", in));
  std::string md = RenderAs(OutputSubject::kRules, "md", in);
  const std::vector<Rule>& rules = AllRules();
  ASSERT_GE(rules.size(), 18u);
  ASSERT_EQ(j.size(), rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleMeta& m = *rules[i].meta;
    EXPECT_NE(text.find(m.id), std::string::npos) << m.id;
    EXPECT_NE(text.find(m.title.Get("en")), std::string::npos) << m.id;
    EXPECT_EQ(j[i]["id"], m.id);
    EXPECT_EQ(j[i]["severity"], std::string(ToString(m.severity)));
    EXPECT_EQ(j[i]["title"], m.title.Get("en"));
    EXPECT_EQ(j[i]["sources"].size(), m.sources.size());
    EXPECT_NE(md.find("\n## " + m.id + "\n"), std::string::npos) << m.id;
  }
  // Markdown has every language; the table links the English source titles.
  for (const Language& l : Cat().languages())
    EXPECT_NE(md.find("\n### " + l.name + "\n"), std::string::npos) << l.code;
  EXPECT_NE(md.find("| `BS001-blind-spot` | high |"), std::string::npos);
  // In German the titles are German.
  in.options.lang = "de";
  json de = json::parse(RenderAs(OutputSubject::kRules, "json", in));
  EXPECT_EQ(de[0]["title"], rules[0].meta->title.Get("de"));
  EXPECT_NE(de[0]["title"], rules[0].meta->title.Get("en"));
}

TEST(OtherSubjects, KbTextAndJson) {
  Fixture fx;
  OutputInput in;
  in.kb = fx.kb.get();
  std::string list = RenderAs(OutputSubject::kKb, "text", in);
  EXPECT_TRUE(std::regex_search(
      list, std::regex(R"(^meta-pixel +advertising pixel +Meta Pixel +Meta Platforms Ireland Ltd\.\n)")))
      << list;
  EXPECT_TRUE(std::regex_search(
      list, std::regex(R"(\nwhatsapp-business +messaging +WhatsApp Business +WhatsApp Ireland Ltd\.\n)")))
      << list;
  EXPECT_EQ(list.find("Meta's website pixel"), std::string::npos);  // the list shows no texts
  in.kb_entry = "meta-pixel";
  in.options.lang = "nl";
  std::string one = Flat(RenderAs(OutputSubject::kKb, "text", in));
  EXPECT_NE(one.find("De websitepixel van Meta"), std::string::npos) << one;
  EXPECT_NE(one.find(Cat().Term("nl", "vendor_role", "joint_controller") +
                     ": Gezamenlijk verantwoordelijk voor verzamelen"),
            std::string::npos)
      << one;
  EXPECT_NE(one.find("- CJEU C-40/17 Fashion ID <https://curia.europa.eu/juris/liste.jsf?num=C-40/17>"),
            std::string::npos);
  EXPECT_NE(one.find(Cat().Term("nl", "transfer_safeguard", "data_privacy_framework")), std::string::npos);
  EXPECT_EQ(one.find("whatsapp-business"), std::string::npos);
  EXPECT_FALSE(HasUnfilledPlaceholder(one)) << one;
  in.kb_entry.clear();
  json j = json::parse(RenderAs(OutputSubject::kKb, "json", in));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["id"], "meta-pixel");
  EXPECT_EQ(j[0]["transfer_mechanism"], "data_privacy_framework");
  EXPECT_EQ(j[0]["role"], "joint_controller");
  EXPECT_EQ(j[0]["consent_required"], true);
  EXPECT_EQ(j[1]["id"], "whatsapp-business");
  EXPECT_EQ(j[1]["consent_required"], false);
}

TEST(OtherSubjects, RegisterYamlAndJson) {
  Fixture fx;
  OutputInput in;
  in.reg = fx.reg.get();
  std::string yaml = RenderAs(OutputSubject::kRegister, "yaml", in);
  std::string js = RenderAs(OutputSubject::kRegister, "json", in);
  EXPECT_EQ(yaml, WriteRegisterYaml(*fx.reg));
  EXPECT_EQ(js, WriteRegisterJson(*fx.reg));
  json j = json::parse(js);
  EXPECT_EQ(j["organisation"]["name"], "Acme Zorg B.V.");
  EXPECT_EQ(j["activities"][0]["id"], "marketing");
  EXPECT_EQ(j["activities"][0]["purposes"][0]["id"], "purpose-1");
  EXPECT_NE(yaml.find("Acme Zorg B.V."), std::string::npos);
  // Both read back as the same register.
  auto from_yaml = ParseRegisterText(yaml, "out.yaml");
  auto from_json = ParseRegisterText(js, "out.json");
  ASSERT_TRUE(from_yaml.has_value()) << (from_yaml ? "" : from_yaml.error()[0].Format());
  ASSERT_TRUE(from_json.has_value()) << (from_json ? "" : from_json.error()[0].Format());
  Register expected = *fx.reg;
  expected.source = "out.yaml";
  EXPECT_TRUE(from_yaml->reg == expected);
  expected.source = "out.json";
  EXPECT_TRUE(from_json->reg == expected);
}

// ---------------------------------------------------------------- CI gate formats (issue 8)

// A gate over the fixture: BS001 in the baseline, BS004 accepted, the rest new,
// one baseline entry resolved and one acceptance expired.
struct GateFixture : Fixture {
  GateResult gate;
  GateFixture() {
    Baseline b;
    b.findings.push_back({Fingerprint(result.findings[0]), "BS001", "detected:meta-pixel", "", {}});
    b.findings.push_back({"00000000000000ff", "BS009", "activities[gone]", "Transfer without safeguard", {}});
    AcceptedList acc;
    Acceptance a;
    a.rule = "BS004";
    a.subject = "activities[marketing].purposes[purpose-1].lawful_basis";
    a.reason = "Basis <decided> in Q1";
    a.accepted_by = "DPO";
    a.expires = "2027-03-31";
    acc.items.push_back(a);
    Acceptance old;
    old.fingerprint = "0123456789abcdef";
    old.reason = "old";
    old.expires = "2026-01-31";
    old.loc = {7, 5};
    acc.items.push_back(old);
    gate = EvaluateGate(result.findings, &b, std::move(acc), "2026-12-02");
  }
  ReportOptions GateOptions(const std::string& lang) const {
    ReportOptions o = Options(lang);
    o.gate = &gate;
    return o;
  }
};

// The key structure of SARIF 2.1.0 (sarif-schema-2.1.0.json, OASIS): the
// objects used here with the properties the schema defines for them
// ("additionalProperties": false), their required ones and enumerations.
void CheckKeys(const json& o, const std::set<std::string>& allowed, const std::vector<std::string>& required,
               const std::string& where) {
  ASSERT_TRUE(o.is_object()) << where;
  for (const auto& [k, v] : o.items())
    EXPECT_TRUE(allowed.count(k)) << where << ": '" << k << "' is not in the schema";
  for (const std::string& r : required)
    EXPECT_TRUE(o.contains(r)) << where << ": required '" << r << "' missing";
}
void CheckMessage(const json& m, const std::string& where) {
  CheckKeys(m, {"text", "markdown", "id", "arguments", "properties"}, {}, where);
  EXPECT_TRUE(m.contains("text") || m.contains("id")) << where;  // anyOf text / id
  EXPECT_TRUE(m["text"].is_string()) << where;
}
void CheckSarifShape(const json& j) {
  CheckKeys(j, {"$schema", "version", "runs", "inlineExternalProperties", "properties"}, {"version", "runs"},
            "sarifLog");
  EXPECT_EQ(j["version"], "2.1.0");
  ASSERT_TRUE(j["runs"].is_array());
  ASSERT_EQ(j["runs"].size(), 1u);
  const json& run = j["runs"][0];
  CheckKeys(run,
            {"tool",
             "invocations",
             "conversion",
             "language",
             "versionControlProvenance",
             "originalUriBaseIds",
             "artifacts",
             "logicalLocations",
             "graphs",
             "results",
             "automationDetails",
             "runAggregates",
             "baselineGuid",
             "redactionTokens",
             "defaultEncoding",
             "defaultSourceLanguage",
             "newlineSequences",
             "columnKind",
             "externalPropertyFileReferences",
             "threadFlowLocations",
             "taxonomies",
             "addresses",
             "translations",
             "policies",
             "webRequests",
             "webResponses",
             "specialLocations",
             "properties"},
            {"tool"}, "run");
  CheckKeys(run["tool"], {"driver", "extensions", "properties"}, {"driver"}, "tool");
  const json& driver = run["tool"]["driver"];
  CheckKeys(driver,
            {"guid",
             "name",
             "organization",
             "product",
             "productSuite",
             "shortDescription",
             "fullDescription",
             "fullName",
             "version",
             "semanticVersion",
             "dottedQuadFileVersion",
             "releaseDateUtc",
             "downloadUri",
             "informationUri",
             "globalMessageStrings",
             "notifications",
             "rules",
             "taxa",
             "locations",
             "language",
             "contents",
             "isComprehensive",
             "localizedDataSemanticVersion",
             "minimumRequiredLocalizedDataSemanticVersion",
             "associatedComponent",
             "translationMetadata",
             "supportedTaxonomies",
             "properties"},
            {"name"}, "toolComponent");
  const std::set<std::string> descriptor = {"id",
                                            "deprecatedIds",
                                            "guid",
                                            "deprecatedGuids",
                                            "name",
                                            "deprecatedNames",
                                            "shortDescription",
                                            "fullDescription",
                                            "messageStrings",
                                            "defaultConfiguration",
                                            "helpUri",
                                            "help",
                                            "relationships",
                                            "properties"};
  const std::set<std::string> levels = {"none", "note", "warning", "error"};
  const json& rules = driver["rules"];
  ASSERT_TRUE(rules.is_array());
  for (const json& r : rules) {
    CheckKeys(r, descriptor, {"id"}, "reportingDescriptor");
    if (r.contains("helpUri")) {
      EXPECT_TRUE(r["helpUri"].get<std::string>().starts_with("https://"));
    }
    for (const char* k : {"shortDescription", "fullDescription", "help"})
      if (r.contains(k)) CheckKeys(r[k], {"text", "markdown", "properties"}, {"text"}, k);
    if (r.contains("defaultConfiguration")) {
      CheckKeys(r["defaultConfiguration"], {"enabled", "level", "rank", "parameters", "properties"}, {},
                "configuration");
      EXPECT_TRUE(levels.count(r["defaultConfiguration"]["level"].get<std::string>()));
    }
  }
  const std::set<std::string> result_keys = {"ruleId",
                                             "ruleIndex",
                                             "rule",
                                             "kind",
                                             "level",
                                             "message",
                                             "analysisTarget",
                                             "locations",
                                             "guid",
                                             "correlationGuid",
                                             "occurrenceCount",
                                             "partialFingerprints",
                                             "fingerprints",
                                             "stacks",
                                             "codeFlows",
                                             "graphs",
                                             "graphTraversals",
                                             "relatedLocations",
                                             "suppressions",
                                             "baselineState",
                                             "rank",
                                             "attachments",
                                             "hostedViewerUri",
                                             "workItemUris",
                                             "provenance",
                                             "fixes",
                                             "taxa",
                                             "webRequest",
                                             "webResponse",
                                             "properties"};
  for (const json& r : run["results"]) {
    CheckKeys(r, result_keys, {"message"}, "result");
    CheckMessage(r["message"], "result.message");
    if (r.contains("level")) {
      EXPECT_TRUE(levels.count(r["level"].get<std::string>())) << r["level"];
    }
    if (r.contains("ruleIndex")) {
      EXPECT_TRUE(r["ruleIndex"].is_number_integer());
      ASSERT_LT(r["ruleIndex"].get<size_t>(), rules.size());
      EXPECT_EQ(rules[r["ruleIndex"].get<size_t>()]["id"], r["ruleId"]);
    }
    if (r.contains("baselineState")) {
      EXPECT_TRUE((std::set<std::string>{"new", "unchanged", "updated", "absent"}.count(
          r["baselineState"].get<std::string>())));
    }
    if (r.contains("partialFingerprints")) {
      ASSERT_TRUE(r["partialFingerprints"].is_object());
      for (const auto& [k, v] : r["partialFingerprints"].items()) EXPECT_TRUE(v.is_string()) << k;
    }
    for (const json& loc : r.value("locations", json::array())) {
      CheckKeys(loc,
                {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships",
                 "properties"},
                {}, "location");
      const json& pl = loc["physicalLocation"];
      CheckKeys(pl, {"address", "artifactLocation", "region", "contextRegion", "properties"}, {},
                "physicalLocation");
      CheckKeys(pl["artifactLocation"], {"uri", "uriBaseId", "index", "description", "properties"}, {},
                "artifactLocation");
      if (pl.contains("region")) {
        CheckKeys(pl["region"],
                  {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
                   "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"},
                  {}, "region");
        EXPECT_GE(pl["region"]["startLine"].get<int>(), 1);
      }
    }
    for (const json& s : r.value("suppressions", json::array())) {
      CheckKeys(s, {"guid", "kind", "status", "justification", "location", "properties"}, {"kind"},
                "suppression");
      EXPECT_TRUE((std::set<std::string>{"inSource", "external"}.count(s["kind"].get<std::string>())));
      EXPECT_TRUE((std::set<std::string>{"accepted", "underReview", "rejected"}.count(
          s["status"].get<std::string>())));
    }
  }
}

TEST(SarifReport, SchemaShapeLevelsLocationsAndHelpUris) {
  Fixture fx;
  json j = json::parse(Render("sarif", fx, "en"));
  CheckSarifShape(j);
  EXPECT_EQ(j["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  const json& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "blindspot");
  // Rules: the reported ones, sorted; helpUri = the rule's primary source (an exact article).
  std::vector<std::string> ids;
  for (const json& r : run["tool"]["driver"]["rules"]) ids.push_back(r["id"].get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"BS001-blind-spot", "BS002-not-seen", "BS003-art30-field-missing",
                                           "BS004-no-lawful-basis", "XX999-not-a-rule"}));
  const json& bs001 = run["tool"]["driver"]["rules"][0];
  EXPECT_EQ(bs001["helpUri"], RuleOf("BS001-blind-spot").sources.front().url);
  EXPECT_EQ(bs001["helpUri"], "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_30");
  EXPECT_EQ(bs001["defaultConfiguration"]["level"], "error");
  const json& results = run["results"];
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0]["ruleId"], "BS001-blind-spot");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["partialFingerprints"]["blindspot/v1"], Fingerprint(fx.result.findings[0]));
  // A detected product without register line: the HAR file of its first evidence.
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "home.har");
  EXPECT_FALSE(results[0]["locations"][0]["physicalLocation"].contains("region"));
  // A register finding: the register file and line.
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "register.yaml");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
  EXPECT_EQ(results[2]["level"], "note");
  EXPECT_EQ(results[4]["level"], "note");  // info
  // Without a gate: no baselineState, no suppressions.
  for (const json& r : results) {
    EXPECT_FALSE(r.contains("baselineState"));
    EXPECT_FALSE(r.contains("suppressions"));
  }
  EXPECT_NE(results[1]["message"]["text"].get<std::string>().find("Retargeting"), std::string::npos);
}

TEST(SarifReport, BaselineStatesSuppressionsAndResolved) {
  GateFixture fx;
  json j = json::parse(Render("sarif", fx.result, fx.GateOptions("nl")));
  CheckSarifShape(j);
  const json& results = j["runs"][0]["results"];
  ASSERT_EQ(results.size(), 6u);                        // 5 findings + 1 resolved
  EXPECT_EQ(results[0]["baselineState"], "unchanged");  // in baseline
  EXPECT_EQ(results[1]["baselineState"], "unchanged");  // accepted
  EXPECT_EQ(results[1]["suppressions"][0]["status"], "accepted");
  EXPECT_EQ(results[1]["suppressions"][0]["justification"], "Basis <decided> in Q1");
  EXPECT_EQ(results[2]["baselineState"], "new");
  EXPECT_FALSE(results[2].contains("suppressions"));
  EXPECT_EQ(results[5]["baselineState"], "absent");
  EXPECT_EQ(results[5]["level"], "none");
  EXPECT_EQ(results[5]["partialFingerprints"]["blindspot/v1"], "00000000000000ff");
  EXPECT_NE(results[5]["message"]["text"].get<std::string>().find("opgelost"), std::string::npos);
  // The resolved entry names a rule the run does not report: no ruleIndex.
  EXPECT_FALSE(results[5].contains("ruleIndex"));
}

TEST(JunitReport, OneTestCasePerRuleAndSubjectFailuresForNewFindings) {
  GateFixture fx;
  std::string xml = Render("junit", fx.result, fx.GateOptions("en"));
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"blindspot audit\" "
                      "tests=\"6\" failures=\"3\" errors=\"0\" skipped=\"2\">\n"))
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"BS001-blind-spot\" name=\"detected:meta-pixel\">\n"
                     "      <skipped message=\"in baseline\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(
      xml.find(
          "<skipped message=\"accepted until 2027-03-31: Basis &lt;decided&gt; in Q1 (accepted by DPO)\"/>"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"BS002-not-seen\" name=\"touchpoints[callcenter]\" "
                     "file=\"register.yaml:60:3\">\n      <failure type=\"low\""),
            std::string::npos)
      << xml;
  // The resolved baseline entry passes, in its rule's suite.
  EXPECT_NE(xml.find("<testsuite name=\"BS009-transfer-no-safeguard"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"BS009-transfer-no-safeguard\" name=\"activities[gone]\">\n"
                     "      <system-out>"),
            std::string::npos)
      << xml;
  // No hostile text breaks the XML: no raw '<' inside attribute values.
  EXPECT_EQ(xml.find("<decided>"), std::string::npos);
  // Without a gate every finding is a failure.
  Fixture plain;
  std::string all = Render("junit", plain, "de");
  EXPECT_NE(all.find("tests=\"5\" failures=\"5\" errors=\"0\" skipped=\"0\""), std::string::npos) << all;
  EXPECT_EQ(all.find("<skipped"), std::string::npos);
}

TEST(GateSection, TextHtmlAndJson) {
  GateFixture fx;
  std::string text = Render("text", fx.result, fx.GateOptions("en"));
  EXPECT_NE(
      text.find("CI gate\n-------\n3 new, 1 in baseline, 1 accepted, 1 resolved (acceptances checked on "
                "2026-12-02)\n- resolved (in the baseline, no longer found): BS009 activities[gone] "
                "(00000000000000ff)\n- expired on 2026-01-31, no longer counts: 0123456789abcdef (old)\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("[in baseline] " + Fingerprint(fx.result.findings[0])), std::string::npos) << text;
  EXPECT_NE(text.find("[new] " + Fingerprint(fx.result.findings[2])), std::string::npos) << text;
  std::string nl = Render("text", fx.result, fx.GateOptions("nl"));
  EXPECT_NE(nl.find("CI-controle"), std::string::npos);
  EXPECT_NE(nl.find("[in de baseline]"), std::string::npos);
  std::string html = Render("html", fx.result, fx.GateOptions("de"));
  EXPECT_NE(
      html.find("<div class=\"note gate\" id=\"gate\"><strong>CI-Prüfung:</strong> 3 neu, 1 in der Baseline"),
      std::string::npos);
  EXPECT_NE(html.find("Basis &lt;decided&gt; in Q1"), std::string::npos);
  EXPECT_EQ(html.find("<decided>"), std::string::npos);
  json j = json::parse(Render("json", fx.result, fx.GateOptions("en")));
  EXPECT_EQ(j["gate"]["as_of"], "2026-12-02");
  EXPECT_EQ(j["gate"]["new"], 3);
  EXPECT_EQ(j["gate"]["in_baseline"], 1);
  EXPECT_EQ(j["gate"]["accepted"], 1);
  EXPECT_EQ(j["gate"]["resolved"], 1);
  EXPECT_EQ(j["gate"]["resolved_findings"][0]["fingerprint"], "00000000000000ff");
  EXPECT_EQ(j["gate"]["expired"][0]["line"], 7);
  EXPECT_EQ(j["findings"][0]["gate"]["state"], "baseline");
  EXPECT_EQ(j["findings"][1]["gate"]["accepted"]["accepted_by"], "DPO");
  EXPECT_EQ(j["findings"][2]["gate"]["accepted"], nullptr);
  // No gate: null, and no section in the other formats.
  Fixture plain;
  json p = json::parse(Render("json", plain, "en"));
  EXPECT_TRUE(p["gate"].is_null());
  EXPECT_TRUE(p["findings"][0]["gate"].is_null());
  EXPECT_EQ(p["findings"][0]["fingerprint"], Fingerprint(plain.result.findings[0]));
  EXPECT_EQ(Render("text", plain, "en").find("CI gate"), std::string::npos);
  EXPECT_EQ(Render("html", plain, "en").find("id=\"gate\""), std::string::npos);
}

// ---------------------------------------------------------------- action list

TEST(ActionList, TextHtmlAndJsonShowItFirst) {
  Fixture fx;
  fx.reg->activities[0].owner = "Head of Marketing";
  fx.result.actions = BuildActionList(fx.result, "2026-12-01");
  ASSERT_FALSE(fx.result.actions.actions.empty());

  std::string text = Render("text", fx, "en");
  size_t list = text.find("Action list\n===========\n");
  ASSERT_NE(list, std::string::npos) << text;
  EXPECT_LT(text.find("Acme Zorg B.V."), list);  // the header first
  EXPECT_LT(list, text.find("\nSummary\n"));     // then the actions
  EXPECT_NE(text.find("Due dates count from 2026-12-01."), std::string::npos) << text;
  // The high blind spot first (30 days), owner from the organisation (no touchpoint registered).
  EXPECT_NE(text.find(" 1. [HIGH, due 2026-12-31] Add Meta Pixel to the register"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Record a lawful basis for every purpose of Online marketing"), std::string::npos);
  EXPECT_NE(text.find("Owner: Head of Marketing (owner of the processing activity) - BS004, 1 finding"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("UNASSIGNED: no owner in the register"), std::string::npos) << text;
  EXPECT_FALSE(HasUnfilledPlaceholder(text.substr(0, text.find("\nSummary\n"))));

  std::string nl = Render("text", fx, "nl");
  EXPECT_NE(nl.find("Actielijst"), std::string::npos);
  EXPECT_NE(nl.find("[HOOG, uiterlijk 2026-12-31]"), std::string::npos) << nl;

  json j = json::parse(Render("json", fx, "en"));
  EXPECT_EQ(j["actions_date"], "2026-12-01");
  ASSERT_EQ(j["actions"].size(), fx.result.actions.actions.size());
  const json& first = j["actions"][0];
  EXPECT_EQ(first["priority"], "high");
  EXPECT_EQ(first["due"], "2026-12-31");
  EXPECT_EQ(first["due_in_days"], 30);
  EXPECT_EQ(first["rule_id"], "BS001-blind-spot");
  EXPECT_EQ(first["owner"], nullptr);
  EXPECT_EQ(first["owner_from"], "unassigned");
  ASSERT_EQ(first["fingerprints"].size(), 1u);
  EXPECT_EQ(first["fingerprints"][0], Fingerprint(fx.result.findings[0]));
  EXPECT_EQ(first["message"]["id"], "BS001-blind-spot.action");

  std::string html = Render("html", fx, "en");
  size_t section = html.find("<section id=\"actions\">");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(section, html.find("id=\"touchpoints\""));
  EXPECT_NE(html.find("class=\"unassigned\""), std::string::npos);
  EXPECT_NE(html.find("due 2026-12-31"), std::string::npos);
}

TEST(ActionList, OnePageAtMostTenThenCounted) {
  Fixture fx;
  for (int i = 0; i < 12; ++i)
    fx.result.findings.push_back(F("BS011-retention-missing", Severity::kMedium, SubjectKind::kActivity,
                                   fmt::format("act-{:02}", i), fmt::format("Activity {}", i), Message()));
  fx.result.actions = BuildActionList(fx.result, "");
  size_t n = fx.result.actions.actions.size();
  ASSERT_GT(n, 10u);
  std::string text = Render("text", fx, "en");
  EXPECT_NE(text.find("10. ["), std::string::npos);
  EXPECT_EQ(text.find("11. ["), std::string::npos);
  EXPECT_NE(text.find(fmt::format("... and {} more actions", n - 10)), std::string::npos) << text;
  EXPECT_NE(text.find("due within 30 days"), std::string::npos);
  std::string html = Render("html", fx, "en");
  size_t from = html.find("<ol class=\"actions\">"), to = html.find("</ol>", from);
  ASSERT_NE(from, std::string::npos);
  std::string ol = html.substr(from, to - from);
  size_t items = 0;
  for (size_t p = ol.find("<li>"); p != std::string::npos; p = ol.find("<li>", p + 1)) ++items;
  EXPECT_EQ(items, 10u);
  EXPECT_NE(html.find(fmt::format("and {} more actions", n - 10)), std::string::npos);
  // JSON has them all; without a date, due dates are in days only.
  json j = json::parse(Render("json", fx, "en"));
  EXPECT_EQ(j["actions"].size(), n);
  EXPECT_EQ(j["actions_date"], nullptr);
  EXPECT_EQ(j["actions"][0]["due"], nullptr);
}

TEST(SeverityContext, RaisedFindingsSayWhyInTextAndHtml) {
  Fixture fx;
  Finding& f = fx.result.findings[1];  // BS004, medium
  f.base_severity = Severity::kMedium;
  f.severity = Severity::kHigh;
  f.severity_context = {"special_category", "evidence_of_sending"};
  std::string text = Render("text", fx, "en");
  EXPECT_NE(text.find("Severity raised from medium: special categories of personal data"), std::string::npos)
      << text;
  std::string de = Render("html", fx, "de");
  EXPECT_NE(de.find("Schweregrad erhöht von mittel"), std::string::npos);
  // A finding at its base severity says nothing.
  Fixture plain;
  EXPECT_EQ(Render("text", plain, "en").find("Severity raised"), std::string::npos);
}

}  // namespace
}  // namespace blindspot

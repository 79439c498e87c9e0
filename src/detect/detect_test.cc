// Unit tests of the Detector with hand-built kb entries and HAR entries.
#include "blindspot/detect.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "detect/body_scanner.h"
#include "detect/url_util.h"

namespace blindspot {
namespace {

using detect_internal::DecodeName;
using detect_internal::ForEachJsonTopKey;
using detect_internal::MaskUrl;
using detect_internal::ParsedUrl;
using detect_internal::ParseUrl;

RequestSignature Req(std::string host, std::string path = "", std::vector<std::string> query = {}) {
  RequestSignature r;
  r.host = std::move(host);
  r.path_prefix = std::move(path);
  r.query_has = std::move(query);
  return r;
}

KbEntry Entry(std::string id) {
  KbEntry e;
  e.id = id;
  e.name = id + " name";
  e.category = "advertising-pixel";
  return e;
}

DataSignal Signal(std::string id, std::string param, std::string implies = "") {
  DataSignal s;
  s.id = std::move(id);
  s.param = std::move(param);
  s.data_category = "user.contact.email";
  s.implies = std::move(implies);
  return s;
}

Kb TestKb() {
  std::vector<KbEntry> v;
  KbEntry meta = Entry("meta-pixel");
  meta.signatures.requests = {Req("facebook.com", "/tr"), Req("connect.facebook.net", "/", {})};
  meta.signatures.cookies = {"_fbp", "_fbc"};
  meta.signatures.html_markers = {"fbq('init'"};
  meta.data_signals = {Signal("advanced-matching", "ud[*", ""),
                       Signal("custom-audience-hint", "cd[audience]", "meta-custom-audiences")};
  v.push_back(meta);
  KbEntry mca = Entry("meta-custom-audiences");
  mca.category = "custom-audience";
  v.push_back(mca);
  KbEntry ga = Entry("google-analytics");
  ga.signatures.requests = {Req("google-analytics.com", "/collect", {"tid"}),
                            Req("google-analytics.com", "/analytics.js"),
                            Req("google.com", "/ads/ga-audiences")};
  ga.signatures.cookies = {"_ga", "_ga_*", "_gid"};
  DataSignal ra = Signal("remarketing-audiences", "*");
  ra.path_prefix = "/ads/ga-audiences";
  ra.host = "google.com";
  ga.data_signals = {ra, Signal("user-id", "uid")};
  v.push_back(ga);
  KbEntry recaptcha = Entry("google-recaptcha");
  recaptcha.signatures.requests = {Req("www.google.com", "/recaptcha")};
  v.push_back(recaptcha);
  KbEntry wa = Entry("whatsapp-click-to-chat");
  wa.category = "messaging";
  wa.signatures.links = {"wa.me/", "api.whatsapp.com/send"};
  v.push_back(wa);
  KbEntry phone = Entry("phone-link");
  phone.signatures.links = {"tel:"};
  v.push_back(phone);
  return Kb::FromEntries(std::move(v));
}

EvidenceRecord Get(std::string_view url, uint64_t index = 0) {
  EvidenceRecord e;
  e.index = index;
  e.method = "GET";
  e.url = url;
  e.pageref = "page_1";
  e.status = 200;
  return e;
}

SourceSummary Summary(std::string title, uint64_t entries = 0) {
  SourceSummary s;
  s.pages.push_back(Page{"page_1", std::move(title), "2024-01-01T00:00:00Z"});
  s.entries = entries;
  return s;
}

// Runs the detector over `entries` in one HAR whose page title is `title`.
DetectionResult RunHar(const Kb& kb, const std::vector<EvidenceRecord>& entries,
                       std::string title = "https://www.shop.nl/") {
  Detector d(kb);
  d.BeginHar("test.har", SourceSummary{});
  for (const EvidenceRecord& e : entries) d.Observe(e);
  d.EndHar(Summary(title, entries.size()));
  return d.Finish();
}

TEST(UrlUtil, ParseUrlStripsPortUserinfoAndFragment) {
  ParsedUrl u;
  ASSERT_TRUE(ParseUrl("https://user:pw@WWW.Example.com:8443/a/b?x=1&y#frag", &u));
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "WWW.Example.com");
  EXPECT_EQ(u.path, "/a/b");
  EXPECT_EQ(u.query, "x=1&y");
  ASSERT_TRUE(ParseUrl("https://h.com?q=1", &u));
  EXPECT_EQ(u.host, "h.com");
  EXPECT_EQ(u.path, "");
  EXPECT_EQ(u.query, "q=1");
  ASSERT_TRUE(ParseUrl("http://[::1]:80/x", &u));
  EXPECT_EQ(u.host, "[::1]");
  EXPECT_FALSE(ParseUrl("data:image/png;base64,AAAA", &u));
  EXPECT_FALSE(ParseUrl("/relative/path", &u));
}

TEST(UrlUtil, DecodeNameAndMask) {
  std::string s;
  DecodeName("ud%5Bem%5D", &s);
  EXPECT_EQ(s, "ud[em]");
  DecodeName("a+b%2", &s);
  EXPECT_EQ(s, "a b%2");
  EXPECT_EQ(MaskUrl("https://www.facebook.com/tr/?id=123&ud%5Bem%5D=f1e2d3&flag#x", 300),
            "https://www.facebook.com/tr/?id=…&ud[em]=…&flag");
  EXPECT_EQ(MaskUrl("https://a.com/path", 300), "https://a.com/path");
  std::string long_url = "https://a.com/" + std::string(400, 'p');
  EXPECT_EQ(MaskUrl(long_url, 300).size(), 300u);
}

TEST(UrlUtil, JsonTopLevelKeysOnly) {
  std::vector<std::string> keys;
  ForEachJsonTopKey(
      R"( {"em": "x@y.z", "nested": {"inner": 1, "arr": [1, {"deep": 2}]}, "s\"q": "a,b}", "n": 5})",
      [&](std::string_view k) { keys.emplace_back(k); });
  EXPECT_EQ(keys, (std::vector<std::string>{"em", "nested", "s\\\"q", "n"}));
  keys.clear();
  ForEachJsonTopKey("[1,2]", [&](std::string_view k) { keys.emplace_back(k); });
  EXPECT_TRUE(keys.empty());
}

TEST(BodyScanner, FindsAllOccurrencesCaseRules) {
  detect_internal::BodyScanner sc;
  uint32_t a = sc.Add("fbq('init'", false);
  uint32_t b = sc.Add("wa.me/", true);
  uint32_t c = sc.Add("x", true);  // too short: ignored
  sc.Build();
  std::vector<std::pair<uint32_t, size_t>> hits;
  std::string text = "<a href='https://WA.ME/31'>x</a> FBQ('init' fbq('init', 1); wa.me/";
  sc.Scan(text, [&](uint32_t id, size_t pos) { hits.emplace_back(id, pos); });
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0], std::make_pair(b, size_t{17}));
  EXPECT_EQ(hits[1].first, a);  // the upper-case FBQ does not match a case-sensitive marker
  EXPECT_EQ(hits[1].second, text.find("fbq("));
  EXPECT_EQ(hits[2], std::make_pair(b, text.size() - 6));
  (void)c;
}

TEST(BodyScanner, UrlToken) {
  std::string text = "see <a href=\"https://wa.me/316?text=hi\">x</a> or call wa.me/31.";
  size_t start = 0;
  EXPECT_EQ(detect_internal::UrlTokenAt(text, text.find("wa.me"), &start), "https://wa.me/316?text=hi");
  EXPECT_EQ(start, text.find("https"));
  EXPECT_EQ(detect_internal::UrlTokenAt(text, text.rfind("wa.me"), nullptr), "wa.me/31");
}

// Random bytes through every parser: no crash, no read outside the input
// (run under ASan/UBSan to make this bite), masks never grow past the cap.
TEST(UrlUtil, RandomInputsAreSafe) {
  std::mt19937 rng(12345);
  const std::string alphabet = "ab%5B:/?#&=@[].\"{}, \\+tel:wa.me/";
  Kb kb = TestKb();
  Detector d(kb);
  d.BeginHar("fuzz.har", SourceSummary{});
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 64, ' ');
    for (char& c : s)
      c = (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    ParsedUrl u;
    (void)ParseUrl(s, &u);
    EXPECT_LE(MaskUrl(s, 40).size(), 40u);
    ForEachJsonTopKey(s, [](std::string_view) {});
    std::string name;
    DecodeName(s, &name);
    detect_internal::UrlTokenAt(s, s.empty() ? 0 : rng() % s.size(), nullptr);
    (void)d.ClassifyUrl(s);
    EvidenceRecord e = Get(s, i);
    e.mime_type = "text/html";
    e.body = s;
    e.post_text = s;
    e.post_mime = (i % 2) ? "application/json" : "";
    d.Observe(e);
  }
  d.EndHar(Summary("https://www.shop.nl/", 20000));
  DetectionResult r = d.Finish();
  EXPECT_EQ(r.entries, 20000u);
}

TEST(Classify, HostSuffixMatchesSubdomainsOnly) {
  Kb kb = TestKb();
  Detector d(kb);
  const KbEntry* e = d.ClassifyUrl("https://www.facebook.com/tr/?id=1&ev=PageView");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "meta-pixel");
  ASSERT_NE(d.ClassifyUrl("https://facebook.com/tr"), nullptr);
  ASSERT_NE(d.ClassifyUrl("https://WWW.FaceBook.COM:443/tr"), nullptr);
  EXPECT_EQ(d.ClassifyUrl("https://notfacebook.com/tr"), nullptr);
  EXPECT_EQ(d.ClassifyUrl("https://facebook.com.evil.net/tr"), nullptr);
  EXPECT_EQ(d.ClassifyUrl("https://www.shop.nl/tr?facebook.com"), nullptr);
  EXPECT_EQ(d.ClassifyUrl("not a url"), nullptr);
}

TEST(Classify, PathPrefix) {
  Kb kb = TestKb();
  Detector d(kb);
  EXPECT_EQ(d.ClassifyUrl("https://www.facebook.com/login"), nullptr);
  const KbEntry* e = d.ClassifyUrl("https://connect.facebook.net/en_US/fbevents.js");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "meta-pixel");
}

TEST(Classify, QueryHasWithEncodedNames) {
  Kb kb = TestKb();
  Detector d(kb);
  EXPECT_EQ(d.ClassifyUrl("https://www.google-analytics.com/collect?v=1&cid=5"), nullptr);
  const KbEntry* e = d.ClassifyUrl("https://www.google-analytics.com/collect?v=1&tid=UA-1-1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-analytics");
  EXPECT_NE(d.ClassifyUrl("https://www.google-analytics.com/collect?v=1&t%69d=UA-1-1"), nullptr);
  // "tid" as a value, not a name, does not count.
  EXPECT_EQ(d.ClassifyUrl("https://www.google-analytics.com/collect?x=tid"), nullptr);
}

TEST(Classify, MostSpecificHostWins) {
  Kb kb = TestKb();
  Detector d(kb);
  const KbEntry* e = d.ClassifyUrl("https://www.google.com/recaptcha/api.js");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-recaptcha");
  e = d.ClassifyUrl("https://www.google.com/ads/ga-audiences?t=sr&tid=UA-1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-analytics");
  EXPECT_EQ(d.ClassifyUrl("https://www.google.com/search?q=x"), nullptr);
}

TEST(Detect, RequestEvidenceIsMaskedAndPaged) {
  Kb kb = TestKb();
  DetectionResult r = RunHar(kb, {Get("https://www.facebook.com/tr/?id=42&ev=PageView", 7),
                                  Get("https://www.shop.nl/index.html", 8)});
  ASSERT_EQ(r.touchpoints.size(), 1u);
  const DetectedTouchpoint* t = r.Find("meta-pixel");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kb, kb.Find("meta-pixel"));
  EXPECT_EQ(t->kb->name, "meta-pixel name");
  EXPECT_EQ(t->evidence_count, 1u);
  ASSERT_EQ(t->evidence.size(), 1u);
  EXPECT_EQ(t->evidence[0].kind, EvidenceKind::kRequest);
  EXPECT_EQ(t->evidence[0].value, "https://www.facebook.com/tr/?id=…&ev=…");
  EXPECT_EQ(t->evidence[0].entry, 7u);
  EXPECT_EQ(t->evidence[0].har, "test.har");
  EXPECT_EQ(t->evidence[0].page, "https://www.shop.nl/");
  EXPECT_EQ(t->evidence[0].signature, "facebook.com/tr");
  EXPECT_EQ(t->pages, (std::set<std::string>{"https://www.shop.nl/"}));
  EXPECT_TRUE(t->implied_by.empty());
  EXPECT_EQ(r.hars, (std::vector<std::string>{"test.har"}));
  EXPECT_EQ(r.entries, 2u);
  ASSERT_EQ(r.pages.size(), 1u);
  EXPECT_EQ(r.pages[0].id, "page_1");
}

TEST(Detect, CookiesExactAndPrefixAndSetCookie) {
  Kb kb = TestKb();
  EvidenceRecord e = Get("https://www.shop.nl/", 0);
  e.request_cookies = {
      {"_ga", "GA1.2.x", ""}, {"_ga_ABC123", "GS1", ""}, {"session", "s", ""}, {"_gax", "1", ""}};
  EvidenceRecord e2 = Get("https://www.shop.nl/basket", 1);
  e2.response_cookies = {{"_fbp", "fb.1.x", ".shop.nl"}, {"JSESSIONID", "y", ""}};
  DetectionResult r = RunHar(kb, {e, e2});
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  EXPECT_EQ(ga->evidence_count, 2u);  // _ga exact, _ga_ABC123 by prefix; _gax matches neither
  ASSERT_EQ(ga->evidence.size(), 2u);
  EXPECT_EQ(ga->evidence[0].kind, EvidenceKind::kCookie);
  EXPECT_EQ(ga->evidence[0].value, "_ga");
  EXPECT_EQ(ga->evidence[0].signature, "_ga");
  EXPECT_EQ(ga->evidence[1].value, "_ga_ABC123");
  EXPECT_EQ(ga->evidence[1].signature, "_ga_*");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  ASSERT_EQ(meta->evidence.size(), 1u);
  EXPECT_EQ(meta->evidence[0].kind, EvidenceKind::kSetCookie);
  EXPECT_EQ(meta->evidence[0].value, "_fbp");
  // Cookie values are never copied.
  for (const auto& t : r.touchpoints)
    for (const auto& ev : t.evidence) EXPECT_EQ(ev.value.find("GA1.2"), std::string::npos);
  // First-party cookies are not attributed; the first-party host is not third party.
  EXPECT_EQ(r.touchpoints.size(), 2u);
  EXPECT_TRUE(r.third_party_hosts.empty());
}

TEST(Detect, ShortCookieNamesOnlyOnAttributedRequests) {
  std::vector<KbEntry> v = {Entry("meta-pixel")};
  v[0].signatures.requests = {Req("facebook.com", "/tr")};
  v[0].signatures.cookies = {"fr", "_fbp"};
  Kb kb = Kb::FromEntries(std::move(v));
  EvidenceRecord fp = Get("https://www.boulangerie.fr/", 0);
  fp.request_cookies = {{"fr", "1", ""}};  // a language cookie, not Meta's
  DetectionResult r = RunHar(kb, {fp}, "https://www.boulangerie.fr/");
  EXPECT_TRUE(r.touchpoints.empty());
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 1);
  px.request_cookies = {{"fr", "0abc", ""}};
  r = RunHar(kb, {fp, px}, "https://www.boulangerie.fr/");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 2u);  // the request and its "fr" cookie
  ASSERT_EQ(meta->evidence.size(), 2u);
  EXPECT_EQ(meta->evidence[1].kind, EvidenceKind::kCookie);
  EXPECT_EQ(meta->evidence[1].entry, 1u);
}

TEST(Detect, RepeatedCookieCountsAllKeepsOneItem) {
  Kb kb = TestKb();
  std::vector<EvidenceRecord> v;
  for (int i = 0; i < 30; ++i) {
    v.push_back(Get("https://www.shop.nl/p", i));
    v.back().request_cookies = {{"_fbp", "v", ""}};
  }
  DetectionResult r = RunHar(kb, v);
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 30u);
  EXPECT_EQ(meta->evidence.size(), 1u);
}

TEST(Detect, EvidenceCap) {
  Kb kb = TestKb();
  std::vector<std::string> urls;
  for (int i = 0; i < 25; ++i) urls.push_back("https://www.facebook.com/tr/" + std::to_string(i) + "?id=1");
  std::vector<EvidenceRecord> v;
  for (size_t i = 0; i < urls.size(); ++i) v.push_back(Get(urls[i], i));
  DetectionResult r = RunHar(kb, v);
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 25u);
  ASSERT_EQ(meta->evidence.size(), DetectedTouchpoint::kMaxEvidence);
  EXPECT_EQ(meta->evidence[0].entry, 0u);
  EXPECT_EQ(meta->evidence[9].entry, 9u);
  EXPECT_EQ(meta->evidence[9].value, "https://www.facebook.com/tr/9?id=…");
}

TEST(Detect, LinksAndMarkersOnlyInHtml) {
  Kb kb = TestKb();
  std::string html =
      "<html><body><a href=\"https://wa.me/31612345678?text=hallo\">WhatsApp</a>"
      "<a href=\"tel:+31201234567\">bel</a><a href=\"mailto:info@shop.nl\">mail</a>"
      "<script>fbq('init', '123');</script></body></html>";
  EvidenceRecord page = Get("https://www.shop.nl/", 0);
  page.mime_type = "text/html; charset=utf-8";
  page.body = html;
  EvidenceRecord script = Get("https://www.shop.nl/app.js", 1);
  script.mime_type = "application/javascript";
  script.body = html;  // same text, not HTML: ignored
  DetectionResult r = RunHar(kb, {page, script});
  const DetectedTouchpoint* wa = r.Find("whatsapp-click-to-chat");
  ASSERT_NE(wa, nullptr);
  EXPECT_EQ(wa->evidence_count, 1u);
  ASSERT_EQ(wa->evidence.size(), 1u);
  EXPECT_EQ(wa->evidence[0].kind, EvidenceKind::kLink);
  EXPECT_EQ(wa->evidence[0].value, "https://wa.me/31612345678?text=…");
  EXPECT_EQ(wa->evidence[0].signature, "link wa.me/");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 1u);
  EXPECT_EQ(meta->evidence[0].kind, EvidenceKind::kHtmlMarker);
  EXPECT_EQ(meta->evidence[0].value, "fbq('init'");
  // tel: is a kb link prefix here; the number itself is not kept.
  const DetectedTouchpoint* phone = r.Find("phone-link");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->evidence[0].value, "tel:…");
  EXPECT_EQ(r.tel_links, 1u);
  EXPECT_EQ(r.mailto_links, 1u);
}

TEST(Detect, LinkPrefixMustStartTheLink) {
  Kb kb = TestKb();
  std::string html =
      "<p>Hotel: kiwa.me/abc https://kiwa.me/x <a href=\"//www.wa.me/3161\">a</a> "
      "<script>open('https://api.whatsapp.com/send?phone=316&text=Hoi')</script>"
      "<script>fbq('init', '1');fbq('init', '2');</script></p>";
  EvidenceRecord page = Get("https://www.shop.nl/", 0);
  page.mime_type = "text/html";
  page.body = html;
  DetectionResult r = RunHar(kb, {page});
  const DetectedTouchpoint* wa = r.Find("whatsapp-click-to-chat");
  ASSERT_NE(wa, nullptr);
  EXPECT_EQ(wa->evidence_count, 2u);
  ASSERT_EQ(wa->evidence.size(), 2u);
  EXPECT_EQ(wa->evidence[0].value, "//www.wa.me/3161");
  EXPECT_EQ(wa->evidence[1].value, "https://api.whatsapp.com/send?phone=…&text=…");
  EXPECT_EQ(wa->evidence[1].signature, "link api.whatsapp.com/send");
  // A marker counts once per body however often it occurs.
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_EQ(r.Find("meta-pixel")->evidence_count, 1u);
  EXPECT_EQ(r.tel_links, 0u);  // "Hotel:" is no tel: link
  EXPECT_EQ(r.Find("phone-link"), nullptr);
}

TEST(Detect, SignalsMaskedAndOnlyOnAttributedRequests) {
  Kb kb = TestKb();
  EvidenceRecord px =
      Get("https://www.facebook.com/tr/?id=42&ev=PageView&ud%5Bem%5D=0f1e2d3c4b5a&ud%5Bph%5D=99", 3);
  EvidenceRecord fp = Get("https://www.shop.nl/account?ud%5Bem%5D=secret&uid=7", 4);
  DetectionResult r = RunHar(kb, {px, fp});
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  ASSERT_EQ(meta->signals.size(), 1u);  // one per distinct signal id
  const SignalHit& h = meta->signals[0];
  EXPECT_EQ(h.signal_id, "advanced-matching");
  EXPECT_EQ(h.param, "ud[em]");
  EXPECT_EQ(h.data_category, "user.contact.email");
  EXPECT_EQ(h.entry, 3u);
  EXPECT_EQ(h.har, "test.har");
  EXPECT_EQ(h.example_url, "https://www.facebook.com/tr/?id=…&ev=…&ud[em]=…&ud[ph]=…");
  EXPECT_EQ(h.example_url.find("0f1e2d"), std::string::npos);
  // The first-party request carries ud[em] and uid but is attributed to nothing.
  EXPECT_EQ(r.Find("google-analytics"), nullptr);
}

TEST(Detect, SignalsInFormAndJsonBodies) {
  Kb kb = TestKb();
  EvidenceRecord form = Get("https://www.facebook.com/tr/", 0);
  form.method = "POST";
  form.post_mime = "application/x-www-form-urlencoded";
  form.post_text = "id=1&ev=Lead&ud%5Bfn%5D=abc";
  EvidenceRecord json = Get("https://www.google-analytics.com/collect?tid=UA-1", 1);
  json.method = "POST";
  json.post_mime = "application/json";
  json.post_text = R"({"v": 1, "x": {"uid": "nested-not-top"}, "uid": "u-123"})";
  DetectionResult r = RunHar(kb, {form, json});
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  ASSERT_EQ(meta->signals.size(), 1u);
  EXPECT_EQ(meta->signals[0].param, "ud[fn]");
  EXPECT_EQ(meta->signals[0].example_url, "https://www.facebook.com/tr/");
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  ASSERT_EQ(ga->signals.size(), 1u);
  EXPECT_EQ(ga->signals[0].signal_id, "user-id");
  EXPECT_EQ(ga->signals[0].param, "uid");
  EXPECT_EQ(ga->signals[0].example_url.find("u-123"), std::string::npos);
}

TEST(Detect, SignalRestrictedToHostAndPath) {
  Kb kb = TestKb();
  // remarketing-audiences: any parameter, but only on google.com/ads/ga-audiences.
  DetectionResult r = RunHar(kb, {Get("https://www.google-analytics.com/collect?tid=UA-1&t=pageview", 0)});
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  EXPECT_TRUE(ga->signals.empty());
  r = RunHar(kb, {Get("https://www.google.com/ads/ga-audiences?v=1&t=sr&tid=UA-1", 0)});
  ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  ASSERT_EQ(ga->signals.size(), 1u);
  EXPECT_EQ(ga->signals[0].signal_id, "remarketing-audiences");
  EXPECT_EQ(ga->signals[0].param, "v");
}

TEST(Detect, ImpliesAddsTouchpoint) {
  Kb kb = TestKb();
  DetectionResult r =
      RunHar(kb, {Get("https://www.facebook.com/tr/?id=1&ev=ViewContent&cd%5Baudience%5D=x", 5)});
  const DetectedTouchpoint* mca = r.Find("meta-custom-audiences");
  ASSERT_NE(mca, nullptr);
  EXPECT_EQ(mca->implied_by, "meta-pixel");
  EXPECT_EQ(mca->evidence_count, 1u);
  ASSERT_EQ(mca->evidence.size(), 1u);
  EXPECT_EQ(mca->evidence[0].entry, 5u);
  EXPECT_EQ(mca->evidence[0].value, "https://www.facebook.com/tr/?id=…&ev=…&cd[audience]=…");
  ASSERT_EQ(mca->signals.size(), 1u);
  EXPECT_EQ(mca->signals[0].signal_id, "custom-audience-hint");
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_TRUE(r.Find("meta-pixel")->implied_by.empty());
  EXPECT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].kb_id, "meta-custom-audiences");  // sorted by id
}

TEST(Detect, ImpliedTouchpointWithOwnEvidenceIsNotImplied) {
  std::vector<KbEntry> v;
  KbEntry a = Entry("a-pixel");
  a.signatures.requests = {Req("a.com")};
  a.data_signals = {Signal("aud", "aud", "b-audiences")};
  KbEntry b = Entry("b-audiences");
  b.signatures.cookies = {"b_aud"};
  v = {a, b};
  Kb kb = Kb::FromEntries(std::move(v));
  EvidenceRecord e = Get("https://px.a.com/?aud=1", 0);
  e.request_cookies = {{"b_aud", "1", ""}};
  DetectionResult r = RunHar(kb, {e});
  const DetectedTouchpoint* t = r.Find("b-audiences");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->implied_by.empty());
  EXPECT_EQ(t->evidence_count, 2u);
}

TEST(Detect, ThirdPartyAccounting) {
  Kb kb = TestKb();
  DetectionResult r =
      RunHar(kb,
             {Get("https://www.shop.nl/", 0), Get("https://cdn.shop.nl/a.css", 1),
              Get("https://www.facebook.com/tr/?id=1", 2), Get("https://www.facebook.com/tr/?id=2", 3),
              Get("https://fonts.example.co.uk/f.woff", 4), Get("data:image/png;base64,AAAA", 5)},
             "https://www.shop.nl/ run 1");
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.nl"}));
  ASSERT_EQ(r.third_party_hosts.size(), 2u);
  EXPECT_EQ(r.third_party_hosts[0].host, "fonts.example.co.uk");
  EXPECT_EQ(r.third_party_hosts[0].registrable_domain, "example.co.uk");
  EXPECT_EQ(r.third_party_hosts[0].requests, 1u);
  EXPECT_FALSE(r.third_party_hosts[0].matched);
  EXPECT_EQ(r.third_party_hosts[1].host, "www.facebook.com");
  EXPECT_EQ(r.third_party_hosts[1].registrable_domain, "facebook.com");
  EXPECT_EQ(r.third_party_hosts[1].requests, 2u);
  EXPECT_TRUE(r.third_party_hosts[1].matched);
}

TEST(Detect, FirstPartyFromFirstDocumentWhenTitleIsNoUrl) {
  Kb kb = TestKb();
  EvidenceRecord doc = Get("https://checkout.shop.de/cart", 0);
  DetectionResult r =
      RunHar(kb, {doc, Get("https://static.shop.de/x.js", 1), Get("https://cdn.other.com/y.js", 2)},
             "Warenkorb | Shop");
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.de"}));
  ASSERT_EQ(r.third_party_hosts.size(), 1u);
  EXPECT_EQ(r.third_party_hosts[0].host, "cdn.other.com");
}

TEST(Detect, NoThirdParties) {
  Kb kb = TestKb();
  DetectionResult r = RunHar(kb, {Get("https://www.shop.nl/", 0), Get("https://img.shop.nl/logo.png", 1),
                                  Get("https://shop.nl/api", 2)});
  EXPECT_TRUE(r.third_party_hosts.empty());
  EXPECT_TRUE(r.touchpoints.empty());
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.nl"}));
}

TEST(Detect, TwoHarsKeepTheirOwnPagesAndFirstParties) {
  Kb kb = TestKb();
  Detector d(kb);
  EvidenceRecord a = Get("https://www.facebook.com/tr/?id=1", 0);
  d.BeginHar("a.har", SourceSummary{});
  d.Observe(a);
  d.EndHar(Summary("https://www.a-shop.nl/", 1));
  EvidenceRecord b = Get("https://www.facebook.com/tr/?id=2", 0);
  EvidenceRecord b2 = Get("https://www.a-shop.nl/img.png", 1);
  d.BeginHar("b.har", SourceSummary{});
  d.Observe(b);
  d.Observe(b2);
  d.EndHar(Summary("https://www.b-shop.nl/", 2));
  DetectionResult r = d.Finish();
  EXPECT_EQ(r.hars, (std::vector<std::string>{"a.har", "b.har"}));
  EXPECT_EQ(r.entries, 3u);
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"a-shop.nl", "b-shop.nl"}));
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->pages, (std::set<std::string>{"https://www.a-shop.nl/", "https://www.b-shop.nl/"}));
  ASSERT_EQ(meta->evidence.size(), 2u);
  EXPECT_EQ(meta->evidence[0].har, "a.har");
  EXPECT_EQ(meta->evidence[1].page, "https://www.b-shop.nl/");
  // www.a-shop.nl is first party in a.har but third party in b.har.
  ASSERT_EQ(r.third_party_hosts.size(), 2u);
  EXPECT_EQ(r.third_party_hosts[0].host, "www.a-shop.nl");
  EXPECT_EQ(r.third_party_hosts[1].requests, 2u);
}

TEST(Detect, EvidenceKindNames) {
  EXPECT_EQ(ToString(EvidenceKind::kRequest), "request");
  EXPECT_EQ(ToString(EvidenceKind::kSetCookie), "set-cookie");
  EXPECT_EQ(ToString(EvidenceKind::kHtmlMarker), "html-marker");
}

}  // namespace
}  // namespace blindspot

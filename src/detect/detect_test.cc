// Unit tests of the KbIndex and the Detector with hand-built kb entries and
// evidence records.
#include "blindspot/detect.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "blindspot/catalog.h"
#include "detect/body_scanner.h"
#include "detect/detector.h"
#include "detect/personal_data.h"
#include "detect/sensitive_terms.h"
#include "detect/url_util.h"
#include "evidence/har_gen.h"

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

DataSignal Signal(std::string id, std::string param, std::string implies = "",
                  InferenceConfidence confidence = InferenceConfidence::kHigh) {
  DataSignal s;
  s.id = std::move(id);
  s.param = std::move(param);
  s.data_category = "user.contact.email";
  s.implies = std::move(implies);
  s.implies_confidence = confidence;
  return s;
}

Kb TestKb() {
  std::vector<KbEntry> v;
  KbEntry meta = Entry("meta-pixel");
  meta.signatures.requests = {Req("facebook.com", "/tr"), Req("connect.facebook.net", "/", {})};
  meta.signatures.first_party_cookies = {"_fbp", "_fbc"};
  meta.signatures.html_markers = {"fbq('init'"};
  meta.data_signals = {
      Signal("advanced-matching", "ud[*", ""),
      Signal("custom-audience-hint", "cd[audience]", "meta-custom-audiences", InferenceConfidence::kLow)};
  v.push_back(meta);
  KbEntry mca = Entry("meta-custom-audiences");
  mca.category = "custom-audience";
  v.push_back(mca);
  KbEntry ga = Entry("google-analytics");
  ga.signatures.requests = {Req("google-analytics.com", "/collect", {"tid"}),
                            Req("google-analytics.com", "/analytics.js"),
                            Req("google.com", "/ads/ga-audiences")};
  ga.signatures.first_party_cookies = {"_ga", "_ga_*", "_gid"};
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

std::shared_ptr<const KbIndex> IndexOf(Kb kb) {
  return KbIndex::Build(std::make_shared<const Kb>(std::move(kb)));
}
std::shared_ptr<const KbIndex> TestIndex() { return IndexOf(TestKb()); }

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

// Runs a detector over `entries` in one source whose page title is `title`.
DetectionResult RunHar(const std::shared_ptr<const KbIndex>& index,
                       const std::vector<EvidenceRecord>& entries,
                       std::string title = "https://www.shop.nl/") {
  Detector d(index);
  d.BeginSource("test.har", "har");
  for (const EvidenceRecord& e : entries) d.Observe(e);
  d.EndSource(Summary(title, entries.size()));
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
  auto index = TestIndex();
  Detector d(index);
  d.BeginSource("fuzz.har", "har");
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
    (void)index->ClassifyUrl(s);
    EvidenceRecord e = Get(s, i);
    e.mime_type = "text/html";
    e.body = s;
    e.post_text = s;
    e.post_mime = (i % 2) ? "application/json" : "";
    d.Observe(e);
  }
  d.EndSource(Summary("https://www.shop.nl/", 20000));
  DetectionResult r = d.Finish();
  EXPECT_EQ(r.entries, 20000u);
}

TEST(Classify, HostSuffixMatchesSubdomainsOnly) {
  auto index = TestIndex();
  const KbEntry* e = index->ClassifyUrl("https://www.facebook.com/tr/?id=1&ev=PageView");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "meta-pixel");
  EXPECT_EQ(e, index->kb().Find("meta-pixel"));  // points into the index's kb
  ASSERT_NE(index->ClassifyUrl("https://facebook.com/tr"), nullptr);
  ASSERT_NE(index->ClassifyUrl("https://WWW.FaceBook.COM:443/tr"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("https://notfacebook.com/tr"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("https://facebook.com.evil.net/tr"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("https://www.shop.nl/tr?facebook.com"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("not a url"), nullptr);
}

TEST(Classify, PathPrefix) {
  auto index = TestIndex();
  EXPECT_EQ(index->ClassifyUrl("https://www.facebook.com/login"), nullptr);
  const KbEntry* e = index->ClassifyUrl("https://connect.facebook.net/en_US/fbevents.js");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "meta-pixel");
}

TEST(Glob, WholePathWithStars) {
  EXPECT_TRUE(GlobMatch("/*/fbevents.js", "/en_US/fbevents.js"));
  EXPECT_TRUE(GlobMatch("/*/fbevents.js", "/a/b/fbevents.js"));
  EXPECT_FALSE(GlobMatch("/*/fbevents.js", "/en_US/fbevents.json"));
  EXPECT_FALSE(GlobMatch("/*/fbevents.js", "/fbevents.js"));
  EXPECT_TRUE(GlobMatch("/signals/config/*", "/signals/config/123"));
  EXPECT_TRUE(GlobMatch("/signals/config/*", "/signals/config/"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("/gtm.js", "/gtm.js"));
  EXPECT_FALSE(GlobMatch("/gtm.js", "/gtm.jsx"));
  EXPECT_TRUE(GlobMatch("/a*b*c", "/aXbYbZc"));
  EXPECT_FALSE(GlobMatch("/a*b*c", "/aXbYbZ"));
  // Many stars against a long non-matching text stays fast (one backtrack point).
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*b", std::string(10000, 'a')));
}

TEST(Classify, PathPattern) {
  KbEntry e;
  e.id = "fb-sdk";
  e.name = "x";
  RequestSignature r;
  r.host = "connect.facebook.net";
  r.path = "/*/sdk.js";
  e.signatures.requests = {r};
  auto index = IndexOf(Kb::FromEntries({e}));
  ASSERT_NE(index->ClassifyUrl("https://connect.facebook.net/nl_NL/sdk.js?xfbml=1"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("https://connect.facebook.net/nl_NL/sdk.json"), nullptr);
  EXPECT_EQ(index->ClassifyUrl("https://connect.facebook.net/sdk.js"), nullptr);
  EXPECT_EQ(r.Pattern(), "connect.facebook.net/*/sdk.js");
  EXPECT_EQ(r.PathWeight(), 8u);
}

// Every URL an entry lists under `examples` is attributed to that entry and
// no other: the kb's own regression test of its request signatures.
TEST(KbExamples, EveryExampleClassifiesToItsEntry) {
  auto kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value());
  auto index = KbIndex::Build(std::make_shared<const Kb>(std::move(*kb)));
  size_t n = 0;
  for (const KbEntry& e : index->kb().entries()) {
    for (const std::string& url : e.examples) {
      ++n;
      const KbEntry* got = index->ClassifyUrl(url);
      EXPECT_TRUE(got && got->id == e.id) << e.id << ": " << url << " -> " << (got ? got->id : "nothing");
    }
  }
  EXPECT_GT(n, 0u);
}

TEST(Classify, QueryHasWithEncodedNames) {
  auto index = TestIndex();
  EXPECT_EQ(index->ClassifyUrl("https://www.google-analytics.com/collect?v=1&cid=5"), nullptr);
  const KbEntry* e = index->ClassifyUrl("https://www.google-analytics.com/collect?v=1&tid=UA-1-1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-analytics");
  EXPECT_NE(index->ClassifyUrl("https://www.google-analytics.com/collect?v=1&t%69d=UA-1-1"), nullptr);
  // "tid" as a value, not a name, does not count.
  EXPECT_EQ(index->ClassifyUrl("https://www.google-analytics.com/collect?x=tid"), nullptr);
}

TEST(Classify, MostSpecificHostWins) {
  auto index = TestIndex();
  const KbEntry* e = index->ClassifyUrl("https://www.google.com/recaptcha/api.js");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-recaptcha");
  e = index->ClassifyUrl("https://www.google.com/ads/ga-audiences?t=sr&tid=UA-1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "google-analytics");
  EXPECT_EQ(index->ClassifyUrl("https://www.google.com/search?q=x"), nullptr);
}

// The index keeps its kb alive: the caller's pointer may go.
TEST(Classify, IndexOwnsItsKb) {
  std::shared_ptr<const KbIndex> index;
  {
    auto kb = std::make_shared<const Kb>(TestKb());
    index = KbIndex::Build(kb);
  }
  ASSERT_EQ(index->kb().entries().size(), 6u);
  const KbEntry* e = index->ClassifyUrl("https://www.facebook.com/tr/");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "meta-pixel name");
}

TEST(Detect, RequestEvidenceIsMaskedAndPaged) {
  auto index = TestIndex();
  DetectionResult r = RunHar(index, {Get("https://www.facebook.com/tr/?id=42&ev=PageView", 7),
                                     Get("https://www.shop.nl/index.html", 8)});
  ASSERT_EQ(r.touchpoints.size(), 1u);
  const DetectedTouchpoint* t = r.Find("meta-pixel");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kb, index->kb().Find("meta-pixel"));
  EXPECT_EQ(t->kb->name, "meta-pixel name");
  EXPECT_EQ(t->evidence_count, 1u);
  ASSERT_EQ(t->evidence.size(), 1u);
  EXPECT_EQ(t->evidence[0].kind, EvidenceKind::kRequest);
  EXPECT_EQ(t->evidence[0].url, "https://www.facebook.com/tr/?id=…&ev=…");
  EXPECT_EQ(t->evidence[0].entry, 7u);
  EXPECT_EQ(t->evidence[0].source, "test.har");
  EXPECT_EQ(t->evidence[0].page, "https://www.shop.nl/");
  EXPECT_EQ(t->evidence[0].signature, "facebook.com/tr");
  EXPECT_TRUE(t->evidence[0].params.empty());
  EXPECT_TRUE(t->evidence[0].cookie_name.empty());
  EXPECT_TRUE(t->evidence[0].signal_id.empty());
  EXPECT_EQ(t->pages, (std::set<std::string>{"https://www.shop.nl/"}));
  EXPECT_TRUE(t->implied_by.empty());
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].name, "test.har");
  EXPECT_EQ(r.sources[0].kind, "har");
  EXPECT_EQ(r.entries, 2u);
  ASSERT_EQ(r.pages.size(), 1u);
  EXPECT_EQ(r.pages[0].id, "page_1");
}

TEST(Detect, CookiesExactAndPrefixAndSetCookie) {
  auto index = TestIndex();
  EvidenceRecord e = Get("https://www.shop.nl/", 0);
  e.request_cookies = {
      {"_ga", "GA1.2.x", ""}, {"_ga_ABC123", "GS1", ""}, {"session", "s", ""}, {"_gax", "1", ""}};
  EvidenceRecord e2 = Get("https://www.shop.nl/basket", 1);
  e2.response_cookies = {{"_fbp", "fb.1.x", ".shop.nl", "Max-Age=7776000"}, {"JSESSIONID", "y", ""}};
  // The products' scripts are in the capture: their first-party cookies count.
  EvidenceRecord s1 = Get("https://www.google-analytics.com/analytics.js", 2);
  EvidenceRecord s2 = Get("https://www.facebook.com/tr/?id=1", 3);
  DetectionResult r = RunHar(index, {e, e2, s1, s2});
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  EXPECT_EQ(ga->evidence_count, 3u);  // _ga exact, _ga_ABC123 by prefix, the script; _gax matches neither
  ASSERT_EQ(ga->evidence.size(), 3u);
  EXPECT_EQ(ga->evidence[0].kind, EvidenceKind::kCookie);
  EXPECT_EQ(ga->evidence[0].cookie_name, "_ga");
  EXPECT_EQ(ga->evidence[0].signature, "_ga");
  EXPECT_EQ(ga->evidence[0].url, "");
  EXPECT_EQ(ga->evidence[1].cookie_name, "_ga_ABC123");
  EXPECT_EQ(ga->evidence[1].signature, "_ga_*");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  ASSERT_EQ(meta->evidence.size(), 2u);
  EXPECT_EQ(meta->evidence[0].kind, EvidenceKind::kSetCookie);
  EXPECT_EQ(meta->evidence[0].cookie_name, "_fbp");
  EXPECT_EQ(meta->evidence[0].cookie_domain, ".shop.nl");
  EXPECT_EQ(meta->evidence[0].cookie_expires, "Max-Age=7776000");
  EXPECT_EQ(meta->evidence[0].entry, 1u);
  // Cookie values are never copied.
  for (const auto& t : r.touchpoints)
    for (const auto& ev : t.evidence)
      for (const std::string* f :
           {&ev.url, &ev.cookie_name, &ev.cookie_domain, &ev.cookie_expires, &ev.signature}) {
        EXPECT_EQ(f->find("GA1.2"), std::string::npos) << *f;
        EXPECT_EQ(f->find("fb.1.x"), std::string::npos) << *f;
      }
  EXPECT_EQ(r.touchpoints.size(), 2u);
}

// Issue 6 §2: a cookie name alone never identifies a product.
TEST(Detect, CookiesAloneDetectNothing) {
  auto index = TestIndex();
  EvidenceRecord e = Get("https://www.shop.nl/", 0);
  e.request_cookies = {{"_ga", "GA1.2.x", ""}, {"_fbp", "fb.1", ""}};
  e.response_cookies = {{"_gid", "x", ".shop.nl", "Max-Age=86400"}};
  DetectionResult r = RunHar(index, {e});
  EXPECT_TRUE(r.touchpoints.empty());
}

// A kb cookie name on an unrelated third-party host is not the product's.
TEST(Detect, CookieOnUnrelatedThirdPartyHostIsIgnored) {
  auto index = TestIndex();
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 0);
  EvidenceRecord other = Get("https://cdn.adserver.example/x.gif", 1);
  other.request_cookies = {{"_fbp", "1", ""}};
  DetectionResult r = RunHar(index, {px, other});
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 1u);  // only the request
}

// A Set-Cookie that deletes a cookie is not a cookie being set.
TEST(Detect, CookieDeletionIsNotEvidence) {
  auto index = TestIndex();
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 0);
  px.started = "2022-01-24T10:00:00.000Z";
  px.response_cookies = {{"_fbp", "", ".facebook.com", "Thu, 01 Jan 1970 00:00:00 GMT"},
                         {"fr", "", ".facebook.com", "Max-Age=0"},
                         {"_fbc", "", ".facebook.com", "2021-12-31T00:00:00Z"}};
  DetectionResult r = RunHar(index, {px});
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 1u);
  using detect_internal::IsCookieDeletion;
  EXPECT_TRUE(IsCookieDeletion({"a", "", "", "Max-Age=-1"}, ""));
  EXPECT_FALSE(IsCookieDeletion({"a", "", "", "Max-Age=60"}, ""));
  EXPECT_TRUE(IsCookieDeletion({"a", "", "", "Wed, 01-Jan-70 00:00:01 GMT"}, "2022-01-01T00:00:00Z"));
  EXPECT_FALSE(IsCookieDeletion({"a", "", "", "Wed, 01-Jan-2027 10:00:00 GMT"}, "2022-01-01T00:00:00Z"));
  EXPECT_TRUE(IsCookieDeletion({"a", "", "", "Sat, 01 Jan 2022 00:00:00 GMT"}, "2022-03-01T00:00:00Z"));
  EXPECT_FALSE(IsCookieDeletion({"a", "", "", "garbage"}, "2022-03-01T00:00:00Z"));
}

// "fr" is Meta's cookie on facebook.com; on a French shop it is a language
// cookie. A `cookies` name counts only on the entry's own hosts.
TEST(Detect, ThirdPartyCookieCountsOnlyOnOwnHosts) {
  std::vector<KbEntry> v = {Entry("meta-pixel")};
  v[0].signatures.requests = {Req("facebook.com", "/tr")};
  v[0].signatures.cookies = {"fr"};
  v[0].signatures.first_party_cookies = {"_fbp"};
  auto index = IndexOf(Kb::FromEntries(std::move(v)));
  EvidenceRecord fp = Get("https://www.boulangerie.fr/", 0);
  fp.request_cookies = {{"fr", "1", ""}};  // a language cookie, not Meta's
  DetectionResult r = RunHar(index, {fp}, "https://www.boulangerie.fr/");
  EXPECT_TRUE(r.touchpoints.empty());
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 1);
  px.request_cookies = {{"fr", "0abc", ""}};
  r = RunHar(index, {fp, px}, "https://www.boulangerie.fr/");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 2u);  // the request and its "fr" cookie
  ASSERT_EQ(meta->evidence.size(), 2u);
  EXPECT_EQ(meta->evidence[1].kind, EvidenceKind::kCookie);
  EXPECT_EQ(meta->evidence[1].cookie_name, "fr");
  EXPECT_EQ(meta->evidence[1].entry, 1u);
}

TEST(Detect, RepeatedCookieCountsAllKeepsOneItem) {
  auto index = TestIndex();
  std::vector<EvidenceRecord> v;
  for (int i = 0; i < 30; ++i) {
    v.push_back(Get("https://www.shop.nl/p", i));
    v.back().request_cookies = {{"_fbp", "v", ""}};
  }
  v.push_back(Get("https://connect.facebook.net/en_US/fbevents.js", 30));
  DetectionResult r = RunHar(index, v);
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 31u);
  EXPECT_EQ(meta->evidence.size(), 2u);  // one cookie item, one request
}

TEST(Detect, EvidenceCap) {
  auto index = TestIndex();
  std::vector<std::string> urls;
  for (int i = 0; i < 25; ++i) urls.push_back("https://www.facebook.com/tr/" + std::to_string(i) + "?id=1");
  std::vector<EvidenceRecord> v;
  for (size_t i = 0; i < urls.size(); ++i) v.push_back(Get(urls[i], i));
  DetectionResult r = RunHar(index, v);
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 25u);
  ASSERT_EQ(meta->evidence.size(), DetectedTouchpoint::kMaxEvidence);
  EXPECT_EQ(meta->evidence[0].entry, 0u);
  EXPECT_EQ(meta->evidence[9].entry, 9u);
  EXPECT_EQ(meta->evidence[9].url, "https://www.facebook.com/tr/9?id=…");
}

TEST(Detect, LinksAndMarkersOnlyInHtml) {
  auto index = TestIndex();
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
  DetectionResult r = RunHar(index, {page, script});
  const DetectedTouchpoint* wa = r.Find("whatsapp-click-to-chat");
  ASSERT_NE(wa, nullptr);
  EXPECT_EQ(wa->evidence_count, 1u);
  ASSERT_EQ(wa->evidence.size(), 1u);
  EXPECT_EQ(wa->evidence[0].kind, EvidenceKind::kLink);
  EXPECT_EQ(wa->evidence[0].url, "https://wa.me/31612345678?text=…");
  EXPECT_EQ(wa->evidence[0].signature, "wa.me/");
  EXPECT_EQ(wa->evidence[0].entry, 0u);
  EXPECT_EQ(wa->evidence[0].page, "https://www.shop.nl/");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 1u);
  EXPECT_EQ(meta->evidence[0].kind, EvidenceKind::kHtmlMarker);
  EXPECT_EQ(meta->evidence[0].signature, "fbq('init'");
  EXPECT_EQ(meta->evidence[0].url, "");
  // tel: is a kb link prefix here; the number itself is not kept.
  const DetectedTouchpoint* phone = r.Find("phone-link");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->evidence[0].url, "tel:…");
  EXPECT_EQ(phone->evidence[0].signature, "tel:");
  EXPECT_EQ(r.tel_links, 1u);
  EXPECT_EQ(r.mailto_links, 1u);
}

TEST(Detect, LinkPrefixMustStartTheLink) {
  auto index = TestIndex();
  std::string html =
      "<p>Hotel: kiwa.me/abc https://kiwa.me/x <a href=\"//www.wa.me/3161\">a</a> "
      "<script>open('https://api.whatsapp.com/send?phone=316&text=Hoi')</script>"
      "<script>fbq('init', '1');fbq('init', '2');</script></p>";
  EvidenceRecord page = Get("https://www.shop.nl/", 0);
  page.mime_type = "text/html";
  page.body = html;
  DetectionResult r = RunHar(index, {page});
  const DetectedTouchpoint* wa = r.Find("whatsapp-click-to-chat");
  ASSERT_NE(wa, nullptr);
  EXPECT_EQ(wa->evidence_count, 2u);
  ASSERT_EQ(wa->evidence.size(), 2u);
  EXPECT_EQ(wa->evidence[0].url, "//www.wa.me/3161");
  EXPECT_EQ(wa->evidence[0].signature, "wa.me/");
  EXPECT_EQ(wa->evidence[1].url, "https://api.whatsapp.com/send?phone=…&text=…");
  EXPECT_EQ(wa->evidence[1].signature, "api.whatsapp.com/send");
  // A marker counts once per body however often it occurs.
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_EQ(r.Find("meta-pixel")->evidence_count, 1u);
  EXPECT_EQ(r.tel_links, 0u);  // "Hotel:" is no tel: link
  EXPECT_EQ(r.Find("phone-link"), nullptr);
}

TEST(Detect, SignalsMaskedAndOnlyOnAttributedRequests) {
  auto index = TestIndex();
  EvidenceRecord px =
      Get("https://www.facebook.com/tr/?id=42&ev=PageView&ud%5Bem%5D=0f1e2d3c4b5a&ud%5Bph%5D=99", 3);
  EvidenceRecord fp = Get("https://www.shop.nl/account?ud%5Bem%5D=secret&uid=7", 4);
  DetectionResult r = RunHar(index, {px, fp});
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  // A prefix signal ("ud[*") gives one hit per parameter it covers: e-mail and phone.
  ASSERT_EQ(meta->signals.size(), 2u);
  const SignalHit& h = meta->signals[0];
  EXPECT_EQ(h.signal_id, "advanced-matching");
  EXPECT_EQ(h.param, "ud[em]");
  EXPECT_EQ(h.data_category, "user.contact.email");
  EXPECT_EQ(h.entry, 3u);
  EXPECT_EQ(meta->signals[1].param, "ud[ph]");
  EXPECT_EQ(h.source, "test.har");
  EXPECT_EQ(h.example_url, "https://www.facebook.com/tr/?id=…&ev=…&ud[em]=…&ud[ph]=…");
  EXPECT_EQ(h.example_url.find("0f1e2d"), std::string::npos);
  // The first-party request carries ud[em] and uid but is attributed to nothing.
  EXPECT_EQ(r.Find("google-analytics"), nullptr);
}

TEST(Detect, SignalsInFormAndJsonBodies) {
  auto index = TestIndex();
  EvidenceRecord form = Get("https://www.facebook.com/tr/", 0);
  form.method = "POST";
  form.post_mime = "application/x-www-form-urlencoded";
  form.post_text = "id=1&ev=Lead&ud%5Bfn%5D=abc";
  EvidenceRecord json = Get("https://www.google-analytics.com/collect?tid=UA-1", 1);
  json.method = "POST";
  json.post_mime = "application/json";
  json.post_text = R"({"v": 1, "x": {"uid": "nested-not-top"}, "uid": "u-123"})";
  DetectionResult r = RunHar(index, {form, json});
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
  // The request evidence names the signature with its required parameters.
  ASSERT_FALSE(ga->evidence.empty());
  EXPECT_EQ(ga->evidence[0].signature, "google-analytics.com/collect?tid");
  EXPECT_EQ(ga->evidence[0].params, (std::vector<std::string>{"tid"}));
}

TEST(Detect, SignalRestrictedToHostAndPath) {
  auto index = TestIndex();
  // remarketing-audiences: any parameter, but only on google.com/ads/ga-audiences.
  DetectionResult r = RunHar(index, {Get("https://www.google-analytics.com/collect?tid=UA-1&t=pageview", 0)});
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  EXPECT_TRUE(ga->signals.empty());
  r = RunHar(index, {Get("https://www.google.com/ads/ga-audiences?v=1&t=sr&tid=UA-1", 0)});
  ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  ASSERT_EQ(ga->signals.size(), 1u);
  EXPECT_EQ(ga->signals[0].signal_id, "remarketing-audiences");
  EXPECT_EQ(ga->signals[0].param, "v");
}

TEST(Detect, ImpliesAddsTouchpoint) {
  auto index = TestIndex();
  DetectionResult r =
      RunHar(index, {Get("https://www.facebook.com/tr/?id=1&ev=ViewContent&cd%5Baudience%5D=x", 5)});
  const DetectedTouchpoint* mca = r.Find("meta-custom-audiences");
  ASSERT_NE(mca, nullptr);
  EXPECT_EQ(mca->implied_by, "meta-pixel");
  EXPECT_EQ(mca->evidence_count, 1u);
  ASSERT_EQ(mca->evidence.size(), 1u);
  const EvidenceItem& ev = mca->evidence[0];
  EXPECT_EQ(ev.kind, EvidenceKind::kSignal);
  EXPECT_EQ(ev.entry, 5u);
  EXPECT_EQ(ev.url, "https://www.facebook.com/tr/?id=…&ev=…&cd[audience]=…");
  EXPECT_EQ(ev.signal_id, "custom-audience-hint");
  EXPECT_EQ(ev.signal_param, "cd[audience]");
  EXPECT_EQ(ev.via, "meta-pixel");
  EXPECT_EQ(ev.signature, "cd[audience]");
  EXPECT_EQ(ev.source, "test.har");
  EXPECT_EQ(ev.page, "https://www.shop.nl/");
  EXPECT_TRUE(ev.cookie_name.empty());
  // Only suggested, with the signal's confidence; the hit itself is kept once,
  // on the product that owns the signal.
  EXPECT_EQ(mca->confidence, InferenceConfidence::kLow);
  EXPECT_TRUE(mca->inferred());
  EXPECT_TRUE(mca->signals.empty());
  EXPECT_EQ(mca->pages, (std::set<std::string>{"https://www.shop.nl/"}));
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_TRUE(r.Find("meta-pixel")->implied_by.empty());
  ASSERT_EQ(r.Find("meta-pixel")->signals.size(), 1u);
  EXPECT_EQ(r.Find("meta-pixel")->signals[0].signal_id, "custom-audience-hint");
  EXPECT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].kb_id, "meta-custom-audiences");  // sorted by id
}

TEST(Detect, AnEmptyParameterIsNoDataSignal) {
  auto index = TestIndex();
  DetectionResult empty =
      RunHar(index, {Get("https://www.facebook.com/tr/?id=1&ud%5Bem%5D=&ev=PageView", 0)});
  ASSERT_NE(empty.Find("meta-pixel"), nullptr);
  EXPECT_TRUE(empty.Find("meta-pixel")->signals.empty());
  DetectionResult bare = RunHar(index, {Get("https://www.facebook.com/tr/?id=1&ud%5Bem%5D&ev=PageView", 0)});
  ASSERT_NE(bare.Find("meta-pixel"), nullptr);
  EXPECT_TRUE(bare.Find("meta-pixel")->signals.empty());
  DetectionResult full =
      RunHar(index, {Get("https://www.facebook.com/tr/?id=1&ud%5Bem%5D=ab12&ev=PageView", 0)});
  ASSERT_NE(full.Find("meta-pixel"), nullptr);
  ASSERT_EQ(full.Find("meta-pixel")->signals.size(), 1u);
  EXPECT_EQ(full.Find("meta-pixel")->signals[0].param, "ud[em]");
}

TEST(Detect, ImpliedConfidenceIsTheStrongestSignal) {
  KbEntry a = Entry("a-pixel");
  a.signatures.requests = {Req("a.com")};
  a.data_signals = {Signal("weak", "w", "b-audiences", InferenceConfidence::kLow),
                    Signal("strong", "s", "b-audiences", InferenceConfidence::kHigh)};
  KbEntry b = Entry("b-audiences");
  b.signatures.requests = {Req("b.com")};
  auto index = IndexOf(Kb::FromEntries({a, b}));
  DetectionResult weak = RunHar(index, {Get("https://px.a.com/?w=1", 0)});
  ASSERT_NE(weak.Find("b-audiences"), nullptr);
  EXPECT_TRUE(weak.Find("b-audiences")->inferred());
  DetectionResult both = RunHar(index, {Get("https://px.a.com/?w=1", 0), Get("https://px.a.com/?s=1", 1)});
  ASSERT_NE(both.Find("b-audiences"), nullptr);
  EXPECT_EQ(both.Find("b-audiences")->confidence, InferenceConfidence::kHigh);
  EXPECT_FALSE(both.Find("b-audiences")->inferred());
  EXPECT_EQ(both.Find("b-audiences")->implied_by, "a-pixel");
}

TEST(Detect, ImpliedTouchpointWithOwnEvidenceIsNotImplied) {
  std::vector<KbEntry> v;
  KbEntry a = Entry("a-pixel");
  a.signatures.requests = {Req("a.com")};
  a.data_signals = {Signal("aud", "aud", "b-audiences")};
  KbEntry b = Entry("b-audiences");
  b.signatures.requests = {Req("b.com")};
  v = {a, b};
  auto index = IndexOf(Kb::FromEntries(std::move(v)));
  EvidenceRecord e = Get("https://px.a.com/?aud=1", 0);
  EvidenceRecord own = Get("https://api.b.com/x", 1);
  DetectionResult r = RunHar(index, {e, own});
  const DetectedTouchpoint* t = r.Find("b-audiences");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->implied_by.empty());
  EXPECT_EQ(t->evidence_count, 2u);
  ASSERT_EQ(t->evidence.size(), 2u);
  EXPECT_EQ(t->evidence[0].kind, EvidenceKind::kSignal);
  EXPECT_EQ(t->evidence[0].via, "a-pixel");
  EXPECT_EQ(t->evidence[1].kind, EvidenceKind::kRequest);
}

TEST(Detect, ThirdPartyAccounting) {
  auto index = TestIndex();
  DetectionResult r =
      RunHar(index,
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
  auto index = TestIndex();
  EvidenceRecord doc = Get("https://checkout.shop.de/cart", 0);
  doc.mime_type = "text/html";
  DetectionResult r =
      RunHar(index, {doc, Get("https://static.shop.de/x.js", 1), Get("https://cdn.other.com/y.js", 2)},
             "Warenkorb | Shop");
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.de"}));
  ASSERT_EQ(r.third_party_hosts.size(), 1u);
  EXPECT_EQ(r.third_party_hosts[0].host, "cdn.other.com");
}

TEST(Detect, NoThirdParties) {
  auto index = TestIndex();
  DetectionResult r = RunHar(index, {Get("https://www.shop.nl/", 0), Get("https://img.shop.nl/logo.png", 1),
                                     Get("https://shop.nl/api", 2)});
  EXPECT_TRUE(r.third_party_hosts.empty());
  EXPECT_TRUE(r.touchpoints.empty());
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.nl"}));
}

TEST(Detect, TwoHarsKeepTheirOwnPagesAndFirstParties) {
  Detector d(TestIndex());
  EvidenceRecord a = Get("https://www.facebook.com/tr/?id=1", 0);
  d.BeginSource("a.har", "har");
  d.Observe(a);
  d.EndSource(Summary("https://www.a-shop.nl/", 1));
  EvidenceRecord b = Get("https://www.facebook.com/tr/?id=2", 0);
  EvidenceRecord b2 = Get("https://www.a-shop.nl/img.png", 1);
  d.BeginSource("b.har", "har");
  d.Observe(b);
  d.Observe(b2);
  d.EndSource(Summary("https://www.b-shop.nl/", 2));
  DetectionResult r = d.Finish();
  ASSERT_EQ(r.sources.size(), 2u);
  EXPECT_EQ(r.sources[0].name, "a.har");
  EXPECT_EQ(r.sources[1].name, "b.har");
  EXPECT_EQ(r.entries, 3u);
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"a-shop.nl", "b-shop.nl"}));
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->pages, (std::set<std::string>{"https://www.a-shop.nl/", "https://www.b-shop.nl/"}));
  ASSERT_EQ(meta->evidence.size(), 2u);
  EXPECT_EQ(meta->evidence[0].source, "a.har");
  EXPECT_EQ(meta->evidence[1].source, "b.har");
  EXPECT_EQ(meta->evidence[1].page, "https://www.b-shop.nl/");
  // www.a-shop.nl is first party in a.har but third party in b.har.
  ASSERT_EQ(r.third_party_hosts.size(), 2u);
  EXPECT_EQ(r.third_party_hosts[0].host, "www.a-shop.nl");
  EXPECT_EQ(r.third_party_hosts[1].requests, 2u);
}

TEST(Detect, EvidenceKindNames) {
  EXPECT_EQ(ToString(EvidenceKind::kRequest), "request");
  EXPECT_EQ(ToString(EvidenceKind::kCookie), "cookie");
  EXPECT_EQ(ToString(EvidenceKind::kSetCookie), "set-cookie");
  EXPECT_EQ(ToString(EvidenceKind::kLink), "link");
  EXPECT_EQ(ToString(EvidenceKind::kHtmlMarker), "html-marker");
  EXPECT_EQ(ToString(EvidenceKind::kSignal), "signal");
}

// ---------------------------------------------------------------- HAR sources

// A HAR as a browser saves it: Set-Cookie headers with Expires and with
// Max-Age, a pixel request that implies another product, and an HTML body with
// a WhatsApp link.
const char* kShopHar = R"({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
  "pages": [{"id": "page_1", "title": "https://www.shop.nl/", "startedDateTime": "2024-01-01T00:00:00Z"}],
  "entries": [
    {"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:00Z", "_resourceType": "document",
     "request": {"method": "GET", "url": "https://www.shop.nl/", "headers": []},
     "response": {"status": 200, "headers": [
        {"name": "Set-Cookie", "value": "_fbp=fb.1.1700000000.42; Expires=Wed, 01 Jan 2025 10:00:00 GMT; Domain=.shop.nl; Path=/"},
        {"name": "Set-Cookie", "value": "_ga=GA1.2.99.1; Max-Age=63072000; Domain=shop.nl; Path=/"}],
       "content": {"mimeType": "text/html", "text": "<a href=\"https://wa.me/31612345678?text=Hallo\">chat</a>"}}},
    {"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:01Z",
     "request": {"method": "GET", "url": "https://www.facebook.com/tr/?id=1&ev=PageView&cd%5Baudience%5D=vip"},
     "response": {"status": 200}},
    {"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:02Z",
     "request": {"method": "GET", "url": "https://www.google-analytics.com/collect?v=1&tid=UA-1&cid=555"},
     "response": {"status": 200}}
  ]}})";

const EvidenceItem* FindItem(const DetectedTouchpoint* t, EvidenceKind kind) {
  if (!t) return nullptr;
  for (const EvidenceItem& i : t->evidence)
    if (i.kind == kind) return &i;
  return nullptr;
}

TEST(DetectSources, StructuredEvidenceItemsFromAHar) {
  std::vector<std::unique_ptr<EvidenceSource>> sources;
  sources.push_back(NewHarSource(kShopHar, "captures/2024/shop.har", "shop.har"));
  auto r = Detect(TestIndex(), sources);
  ASSERT_TRUE(r.has_value()) << r.error().Format();

  // Set-Cookie with Expires: the date as written; with Max-Age: "Max-Age=N".
  const DetectedTouchpoint* meta = r->Find("meta-pixel");
  const EvidenceItem* fbp = FindItem(meta, EvidenceKind::kSetCookie);
  ASSERT_NE(fbp, nullptr);
  EXPECT_EQ(fbp->cookie_name, "_fbp");
  EXPECT_EQ(fbp->cookie_domain, ".shop.nl");
  EXPECT_EQ(fbp->cookie_expires, "Wed, 01 Jan 2025 10:00:00 GMT");
  EXPECT_EQ(fbp->signature, "_fbp");
  EXPECT_EQ(fbp->url, "");
  EXPECT_EQ(fbp->source, "shop.har");
  EXPECT_EQ(fbp->entry, 0u);
  EXPECT_EQ(fbp->page, "https://www.shop.nl/");
  const EvidenceItem* ga = FindItem(r->Find("google-analytics"), EvidenceKind::kSetCookie);
  ASSERT_NE(ga, nullptr);
  EXPECT_EQ(ga->cookie_name, "_ga");
  EXPECT_EQ(ga->cookie_domain, "shop.nl");
  EXPECT_EQ(ga->cookie_expires, "Max-Age=63072000");
  EXPECT_EQ(ga->signature, "_ga");

  // A request: the signature pattern as written in the kb, with its parameters.
  const EvidenceItem* px = FindItem(meta, EvidenceKind::kRequest);
  ASSERT_NE(px, nullptr);
  EXPECT_EQ(px->signature, "facebook.com/tr");
  EXPECT_TRUE(px->params.empty());
  EXPECT_EQ(px->url, "https://www.facebook.com/tr/?id=…&ev=…&cd[audience]=…");
  EXPECT_EQ(px->entry, 1u);
  const EvidenceItem* collect = FindItem(r->Find("google-analytics"), EvidenceKind::kRequest);
  ASSERT_NE(collect, nullptr);
  EXPECT_EQ(collect->signature, "google-analytics.com/collect?tid");
  EXPECT_EQ(collect->params, (std::vector<std::string>{"tid"}));
  EXPECT_EQ(collect->url, "https://www.google-analytics.com/collect?v=…&tid=…&cid=…");

  // The implied product: a signal item naming the signal, its parameter and
  // the product whose request carried it.
  const DetectedTouchpoint* mca = r->Find("meta-custom-audiences");
  ASSERT_NE(mca, nullptr);
  EXPECT_EQ(mca->implied_by, "meta-pixel");
  const EvidenceItem* sig = FindItem(mca, EvidenceKind::kSignal);
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->signal_id, "custom-audience-hint");
  EXPECT_EQ(sig->signal_param, "cd[audience]");
  EXPECT_EQ(sig->via, "meta-pixel");
  EXPECT_EQ(sig->url, px->url);
  EXPECT_EQ(sig->source, "shop.har");
  EXPECT_EQ(sig->entry, 1u);

  // A link in the HTML body.
  const EvidenceItem* link = FindItem(r->Find("whatsapp-click-to-chat"), EvidenceKind::kLink);
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->url, "https://wa.me/31612345678?text=…");
  EXPECT_EQ(link->signature, "wa.me/");
  EXPECT_EQ(link->entry, 0u);
  EXPECT_EQ(link->page, "https://www.shop.nl/");

  // No item anywhere carries a cookie value or a query value.
  for (const auto& t : r->touchpoints)
    for (const auto& ev : t.evidence)
      for (const std::string* f : {&ev.url, &ev.cookie_name, &ev.cookie_domain, &ev.cookie_expires}) {
        EXPECT_EQ(f->find("1700000000"), std::string::npos) << *f;
        EXPECT_EQ(f->find("GA1.2"), std::string::npos) << *f;
        EXPECT_EQ(f->find("vip"), std::string::npos) << *f;
        EXPECT_EQ(f->find("555"), std::string::npos) << *f;
      }
}

// Sources are named as their EvidenceSource names them (the base name the
// application layer chose), never by the label used in errors (the path).
TEST(DetectSources, SourcesAreNamedInOrder) {
  std::vector<std::unique_ptr<EvidenceSource>> sources;
  sources.push_back(NewHarSource(kShopHar, "/home/client a/captures/home.har", "home.har"));
  sources.push_back(NewHarSource(kShopHar, "/tmp/other/home.har", "other/home.har"));
  auto r = Detect(TestIndex(), sources);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  ASSERT_EQ(r->sources.size(), 2u);
  EXPECT_EQ(r->sources[0].name, "home.har");
  EXPECT_EQ(r->sources[0].kind, "har");
  EXPECT_EQ(r->sources[1].name, "other/home.har");
  EXPECT_EQ(r->sources[1].kind, "har");
  EXPECT_EQ(r->entries, 6u);
  EXPECT_EQ(r->bytes, 2 * std::string_view(kShopHar).size());
  const DetectedTouchpoint* meta = r->Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  std::set<std::string> names;
  for (const EvidenceItem& i : meta->evidence) names.insert(i.source);
  EXPECT_EQ(names, (std::set<std::string>{"home.har", "other/home.har"}));
  for (const auto& t : r->touchpoints)
    for (const auto& ev : t.evidence) EXPECT_EQ(ev.source.find("client a"), std::string::npos);
}

// A fatal source error (here: a cut-off file) stops detection and is returned
// unchanged: the label (path) and byte offset of the broken source.
TEST(DetectSources, SourceErrorIsReturnedUnchanged) {
  std::vector<std::unique_ptr<EvidenceSource>> sources;
  sources.push_back(NewHarSource(kShopHar, "dir/good.har", "good.har"));
  std::string broken = R"({"log": {"entries": [{"request": {"url": "https://a.nl/"}}, )";
  sources.push_back(NewHarSource(broken, "dir/broken.har", "broken.har"));
  auto r = Detect(TestIndex(), sources);
  ASSERT_FALSE(r.has_value());
  HarReader reader;
  auto direct = reader.ReadBuffer(broken, "dir/broken.har", nullptr);
  ASSERT_FALSE(direct.has_value());
  EXPECT_EQ(r.error().where.file, "dir/broken.har");
  EXPECT_EQ(r.error().where.offset, direct.error().where.offset);
  EXPECT_EQ(r.error().Format(), direct.error().Format());
}

// ---------------------------------------------------------------- bodies, pages, first party

std::string Dump(const DetectionResult& r);

TEST(UrlUtil, JsonNamesAreTopLevelKeysAndDottedPaths) {
  std::vector<std::string> names;
  std::string path, key;
  auto collect = [&](std::string_view body) {
    names.clear();
    detect_internal::ForEachJsonName(body, &path, &key, [&](std::string_view n) { names.emplace_back(n); });
    return names;
  };
  EXPECT_EQ(collect(R"( {"em": "x@y.z", "user_data": {"em": ["h"], "ph": 1}, "s\"q": "a,b}", "n": 5})"),
            (std::vector<std::string>{"em", "user_data", "user_data.em", "user_data.ph", "s\"q", "n"}));
  // Arrays add nothing to a path; a top-level array is read too.
  EXPECT_EQ(
      collect(R"({"data": [{"event_name": "P", "user_data": {"em": ["h"]}}, [{"x": 1}]]})"),
      (std::vector<std::string>{"data", "data.event_name", "data.user_data", "data.user_data.em", "data.x"}));
  EXPECT_EQ(collect(R"([{"event": "x", "context": {"user": {"email": "h"}}}])"),
            (std::vector<std::string>{"event", "context", "context.user", "context.user.email"}));
  // Empty keys are not names; escaped keys are unescaped; malformed input stops quietly.
  EXPECT_EQ(collect(R"({"": {"a": 1}, "b\u0041": 2})"), (std::vector<std::string>{"a", "bA"}));
  EXPECT_EQ(collect(R"({"a": {"b": )"), (std::vector<std::string>{"a", "a.b"}));
  EXPECT_EQ(collect(R"({"a": 1]})"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(collect("text").empty());
  // Depth and count are bounded.
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{\"k\":";
  deep += "1" + std::string(100, '}');
  EXPECT_EQ(collect(deep).size(), detect_internal::kMaxJsonDepth);  // a key per level, up to the bound
  std::string many = "{";
  for (int i = 0; i < 3000; ++i) many += fmt::format("{}\"k{}\":1", i ? "," : "", i);
  many += "}";
  EXPECT_EQ(collect(many).size(), detect_internal::kMaxJsonNames);
}

TEST(UrlUtil, MultipartNames) {
  std::vector<std::string> names;
  detect_internal::ForEachMultipartName(
      "--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx@y.nl\r\n--b\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"cv.pdf\"\r\n\r\n...\r\n--b--",
      [&](std::string_view n) { names.emplace_back(n); });
  EXPECT_EQ(names, (std::vector<std::string>{"email", "file"}));
}

TEST(UrlUtil, HtmlMimeAndSniffing) {
  using detect_internal::IsHtmlMime;
  using detect_internal::SniffHtml;
  EXPECT_TRUE(IsHtmlMime("text/html; charset=utf-8"));
  EXPECT_TRUE(IsHtmlMime("application/xhtml+xml"));
  EXPECT_TRUE(IsHtmlMime("Text/HTML"));
  EXPECT_FALSE(IsHtmlMime("text/plain"));
  EXPECT_TRUE(SniffHtml("<!DOCTYPE html><html>"));
  EXPECT_TRUE(SniffHtml("\xEF\xBB\xBF \r\n\t<html lang=\"nl\">"));
  EXPECT_TRUE(SniffHtml("<!doctype HTML>"));
  EXPECT_FALSE(SniffHtml("<?xml version=\"1.0\"?><html>"));
  EXPECT_FALSE(SniffHtml("fbq('init', '1'); // <html>"));
  EXPECT_FALSE(SniffHtml(""));
}

TEST(UrlUtil, CharacterReferencesAsABrowserDecodesThem) {
  using detect_internal::DecodeCharRefs;
  std::string out;
  EXPECT_FALSE(DecodeCharRefs("https://wa.me/316", &out));
  auto dec = [&](std::string_view in) {
    EXPECT_TRUE(DecodeCharRefs(in, &out)) << in;
    return out;
  };
  EXPECT_EQ(dec("https://api.whatsapp.com/send?phone=316&amp;text=Hoi"),
            "https://api.whatsapp.com/send?phone=316&text=Hoi");
  EXPECT_EQ(dec("https:&#x2F;&#X2f;wa&#46;me&sol;316&#63text"), "https://wa.me/316?text");
  EXPECT_EQ(dec("a&colon;b&period;c&commat;d&quest;e&equals;f&num;g&percnt;h&plus;i&lowbar;j"),
            "a:b.c@d?e=f#g%h+i_j");
  // Legacy names without ';' only when no alphanumeric or '=' follows.
  EXPECT_EQ(dec("?a=1&amp&b=2&copy=3&ampx=4&lt;"), "?a=1&&b=2&copy=3&ampx=4<");
  EXPECT_EQ(dec("x&nbsp;y"), "x\xC2\xA0y");
  // Numeric edge cases: 0, surrogates and out-of-range give U+FFFD; 0x80-0x9F are windows-1252.
  EXPECT_EQ(dec("&#0;&#xD800;&#x110000;&#99999999999;"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(dec("&#x80;&#150;"), "\xE2\x82\xAC\xE2\x80\x93");
  EXPECT_EQ(dec("&#;&#x;&unknown;&"), "&#;&#x;&unknown;&");
}

TEST(UrlUtil, MaskTextMasksUrlsAndEmailAddresses) {
  using detect_internal::MaskText;
  EXPECT_EQ(MaskText("https://www.shop.nl/checkout?email=jan%40example.nl&step=2#top"),
            "https://www.shop.nl/checkout?email=…&step=…");
  EXPECT_EQ(MaskText("Bestelling voor jan.jansen@example.nl - https://shop.nl/order?id=9 run 1"),
            "Bestelling voor … - https://shop.nl/order?id=… run 1");
  EXPECT_EQ(MaskText("https://shop.nl/klant/jan%40example.nl/orders"), "https://shop.nl/klant/…/orders");
  EXPECT_EQ(MaskText("Warenkorb | Shop"), "Warenkorb | Shop");
  EXPECT_EQ(MaskText("@home, a@b, x@y.z, ://x"), "@home, a@b, x@y.z, ://x");
  EXPECT_EQ(MaskText(""), "");
}

TEST(FirstParty, ParseFirstParty) {
  EXPECT_EQ(ParseFirstParty("shop.nl").value(), "shop.nl");
  EXPECT_EQ(ParseFirstParty("WWW.Shop.NL.").value(), "shop.nl");
  EXPECT_EQ(ParseFirstParty("a.b.shop.co.uk").value(), "shop.co.uk");
  EXPECT_EQ(ParseFirstParty("xn--bcher-kva.de").value(), "xn--bcher-kva.de");
  for (const char* bad :
       {"", "https://shop.nl/", "shop.nl/path", "jan@shop.nl", "bücher.de", "localhost", "co.uk", "nl",
        "192.168.0.1", "shop..nl", "-shop.nl", "shop_x.nl", "shop.nl:8080"}) {
    auto r = ParseFirstParty(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    EXPECT_NE(r.error().message.find("--first-party"), std::string::npos) << r.error().message;
  }
  EXPECT_NE(ParseFirstParty("https://shop.nl/").error().message.find("a URL"), std::string::npos);
  EXPECT_NE(ParseFirstParty("co.uk").error().message.find("public suffix"), std::string::npos);
}

EvidenceRecord Html(std::string_view url, uint64_t index, std::string_view pageref = "page_1") {
  EvidenceRecord e = Get(url, index);
  e.mime_type = "text/html";
  e.pageref = pageref;
  return e;
}

DetectionResult RunPages(const std::vector<EvidenceRecord>& entries, std::vector<Page> pages,
                         DetectOptions options = {}) {
  Detector d(TestIndex(), std::move(options));
  d.BeginSource("test.har", "har");
  for (const EvidenceRecord& e : entries) d.Observe(e);
  SourceSummary s;
  s.pages = std::move(pages);
  s.entries = entries.size();
  d.EndSource(s);
  return d.Finish();
}

TEST(FirstParty, NeverTheFirstEntryJustBecauseItIsFirst) {
  // An OCSP check before the page: not the site.
  EvidenceRecord ocsp = Get("http://ocsp.digicert.com/", 0);
  ocsp.method = "POST";
  ocsp.mime_type = "application/ocsp-response";
  ocsp.pageref = "";
  EvidenceRecord doc = Html("https://www.shop.nl/", 1, "");
  DetectionResult r = RunPages({ocsp, doc, Get("https://www.facebook.com/tr/?id=1", 2)}, {});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.nl"}));
  ASSERT_EQ(r.third_party_hosts.size(), 2u);
  EXPECT_EQ(r.third_party_hosts[0].host, "ocsp.digicert.com");
  EXPECT_TRUE(r.warnings.empty());
  // With resource types, the "document" request decides, not an earlier HTML response.
  EvidenceRecord frame = Html("https://ads.example.com/frame.html", 0);
  frame.resource_type = "iframe";
  EvidenceRecord main = Get("https://www.shop.de/", 1);
  main.resource_type = "document";
  r = RunPages({frame, main}, {Page{"page_1", "Warenkorb", "", ""}});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.de"}));
}

TEST(FirstParty, NavigationBeforeIframeInCapturesWithoutResourceTypes) {
  // An iframe's HTML (it has a Referer) before the page typed in the address bar (none).
  EvidenceRecord frame = Html("http://fast.dm.demdex.net/dest.html", 0, "");
  frame.referer = "http://parked.example/";
  EvidenceRecord page = Html("http://www.widex.com/en/", 1, "");
  DetectionResult r = RunPages({frame, page}, {});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"widex.com"}));
  // Sec-Fetch-Dest says it outright.
  frame.referer = "";
  frame.fetch_dest = "iframe";
  page.referer = "https://www.google.com/";
  page.fetch_dest = "document";
  r = RunPages({frame, page}, {});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"widex.com"}));
  // Only iframes: the first HTML response it is.
  page.fetch_dest = "iframe";
  r = RunPages({frame, page}, {});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"demdex.net"}));
}

TEST(FirstParty, FromPageUrlTitleOrEachPagesFirstDocument) {
  // _url beats a title that is no URL; a title that is a URL counts; a page
  // with neither uses its own first document.
  DetectionResult r = RunPages({Html("https://a.nl/", 0, "p1"), Html("https://www.b.nl/x", 1, "p2"),
                                Html("https://c.nl/", 2, "p3"), Html("https://d.nl/", 3, "p3")},
                               {Page{"p1", "Home | A", "", "https://www.a-shop.nl/"},
                                Page{"p2", "New Tab", "", ""}, Page{"p3", "https://c.nl/ run 1", "", ""}});
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"a-shop.nl", "b.nl", "c.nl"}));
  // Page labels: the title, else the URL, else the first document, else the id.
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 1);
  px.pageref = "p2";
  r = RunPages({Html("https://b.nl/doc?email=x%40y.nl", 0, "p2"), px}, {Page{"p2", "", "", ""}});
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_EQ(r.Find("meta-pixel")->evidence[0].page, "https://b.nl/doc?email=…");
}

TEST(FirstParty, OptionAndUnknown) {
  EvidenceRecord js = Get("https://cdn.shop.nl/app.js", 0);
  js.mime_type = "application/javascript";
  // No page URL, no document: no first party, and a warning that says so.
  DetectionResult r =
      RunPages({js, Get("https://www.facebook.com/tr/?id=1", 1)}, {Page{"page_1", "Shop", "", ""}});
  EXPECT_TRUE(r.first_party_domains.empty());
  EXPECT_EQ(r.third_party_hosts.size(), 2u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].issue, ReadIssue::kNoFirstParty);
  EXPECT_EQ(r.warnings[0].action, ReadAction::kAllThirdParty);
  EXPECT_EQ(r.warnings[0].source, "test.har");
  EXPECT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.sources[0].warnings, 1u);
  // The option decides for every source, whatever the pages say.
  DetectOptions o;
  o.first_party = {"shop.nl"};
  r = RunPages({js, Html("https://www.other.nl/", 1)}, {Page{"page_1", "https://www.other.nl/", "", ""}}, o);
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"shop.nl"}));
  ASSERT_EQ(r.third_party_hosts.size(), 1u);
  EXPECT_EQ(r.third_party_hosts[0].host, "www.other.nl");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Pages, TitlesAndUrlsAreMasked) {
  const std::string url = "https://www.shop.nl/afrekenen?email=jan%40example.nl&stap=2";
  EvidenceRecord px = Get("https://www.facebook.com/tr/?id=1", 1);
  DetectionResult r =
      RunPages({Html(url, 0), px}, {Page{"page_1", "Afrekenen voor jan@example.nl | " + url, "t", url}});
  ASSERT_EQ(r.pages.size(), 1u);
  EXPECT_EQ(r.pages[0].title, "Afrekenen voor … | https://www.shop.nl/afrekenen?email=…&stap=…");
  EXPECT_EQ(r.pages[0].url, "https://www.shop.nl/afrekenen?email=…&stap=…");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence[0].page, r.pages[0].title);
  EXPECT_EQ(*meta->pages.begin(), r.pages[0].title);
  EXPECT_EQ(Dump(r).find("jan"), std::string::npos) << Dump(r);
}

TEST(Detect, XhtmlAndSniffedHtmlAreScannedWithDecodedHrefs) {
  auto index = TestIndex();
  EvidenceRecord xhtml = Get("https://www.shop.nl/", 0);
  xhtml.mime_type = "application/xhtml+xml";
  xhtml.body =
      "<html><a href=\"https:&#x2F;&#x2F;wa&#46;me/31612345678?text=Hallo&amp;bron=site\">a</a>"
      "<a href='https://api.whatsapp.com/send?phone=316&amp;text=Hi'>b</a>"
      "<a href=https://wa.me/3162&amp;x=1>c</a></html>";
  EvidenceRecord sniffed = Get("https://www.shop.nl/contact", 1);
  sniffed.body = "\n <!DOCTYPE html><script>fbq('init', '1');</script>";
  EvidenceRecord script = Get("https://www.shop.nl/app.js", 2);
  script.body = "fbq('init', '1'); // <!DOCTYPE html>";  // no mime type, not HTML
  DetectionResult r = RunHar(index, {xhtml, sniffed, script});
  const DetectedTouchpoint* wa = r.Find("whatsapp-click-to-chat");
  ASSERT_NE(wa, nullptr);
  ASSERT_EQ(wa->evidence.size(), 3u);
  EXPECT_EQ(wa->evidence_count, 3u);  // each link once, not again as its raw token
  EXPECT_EQ(wa->evidence[0].url, "https://wa.me/31612345678?text=…&bron=…");
  EXPECT_EQ(wa->evidence[1].url, "https://api.whatsapp.com/send?phone=…&text=…");
  EXPECT_EQ(wa->evidence[2].url, "https://wa.me/3162&x=1");
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->evidence_count, 1u);
  EXPECT_EQ(meta->evidence[0].entry, 1u);
}

TEST(Detect, SignalsInNestedJsonMultipartAndTextPlainBodies) {
  std::vector<KbEntry> v;
  KbEntry tt = Entry("tiktok-pixel");
  tt.signatures.requests = {Req("analytics.tiktok.com")};
  tt.data_signals = {Signal("email", "context.user.email"), Signal("capi-email", "user_data.em"),
                     Signal("user-data", "user_data.*"), Signal("top-em", "em"),
                     Signal("form-email", "email")};
  v.push_back(tt);
  auto index = IndexOf(Kb::FromEntries(std::move(v)));
  EvidenceRecord a = Get("https://analytics.tiktok.com/api/v2/pixel", 0);
  a.method = "POST";
  a.post_mime = "application/json";
  a.post_text = R"({"event": "Pay", "context": {"user": {"email": "h"}}, "x": {"em": "nested, not top"}})";
  EvidenceRecord b = Get("https://analytics.tiktok.com/api/v2/pixel/act", 1);
  b.method = "POST";
  b.post_mime = "text/plain;charset=UTF-8";  // sendBeacon with JSON
  b.post_text = R"({"data": [{"user_data": {"em": ["h"], "ph": ["p"]}}]})";
  EvidenceRecord c = Get("https://analytics.tiktok.com/form", 2);
  c.method = "POST";
  c.post_mime = "multipart/form-data; boundary=b";
  c.post_text = "--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx\r\n--b--";
  DetectionResult r = RunHar(index, {a, b, c});
  const DetectedTouchpoint* t = r.Find("tiktok-pixel");
  ASSERT_NE(t, nullptr);
  std::vector<std::string> hits;
  for (const SignalHit& h : t->signals) hits.push_back(h.signal_id + " " + h.param);
  // user_data.* leaves data.user_data.em to the exact user_data.em signal.
  EXPECT_EQ(hits, (std::vector<std::string>{"email context.user.email", "capi-email data.user_data.em",
                                            "user-data data.user_data.ph", "form-email email"}));
}

TEST(Detect, ExactSignalTakesPrecedenceOverPrefixSignal) {
  std::vector<KbEntry> v;
  KbEntry meta = Entry("meta-pixel");
  meta.signatures.requests = {Req("facebook.com", "/tr"), Req("facebook.com", "/privacy_sandbox/")};
  DataSignal value = Signal("purchase-data", "cd[value]");
  value.data_category = "user.behavior.purchase_history";
  DataSignal search = Signal("search-term", "cd[search_string]");
  search.path_prefix = "/privacy_sandbox/";  // does not apply to /tr: the catch-all reports it there
  DataSignal custom = Signal("custom-data", "cd[*");
  custom.data_category = "user.behavior.browsing_history";
  DataSignal longer = Signal("custom-button", "cd[button*");  // a longer prefix also wins
  meta.data_signals = {custom, value, search, longer};
  v.push_back(meta);
  auto index = IndexOf(Kb::FromEntries(std::move(v)));
  DetectionResult r = RunHar(
      index,
      {Get("https://www.facebook.com/tr/?id=1&cd%5Bvalue%5D=9&cd%5Bsearch_string%5D=x&cd%5BMeta%5D=%7B%7D"
           "&cd%5BbuttonText%5D=Buy",
           0)});
  const DetectedTouchpoint* t = r.Find("meta-pixel");
  ASSERT_NE(t, nullptr);
  std::vector<std::string> hits;
  for (const SignalHit& h : t->signals) hits.push_back(h.signal_id + " " + h.param + " " + h.data_category);
  EXPECT_EQ(hits, (std::vector<std::string>{"custom-data cd[search_string] user.behavior.browsing_history",
                                            "custom-data cd[Meta] user.behavior.browsing_history",
                                            "purchase-data cd[value] user.behavior.purchase_history",
                                            "custom-button cd[buttonText] user.contact.email"}));
}

// ---------------------------------------------------------------- sharing

// Everything a DetectionResult holds, as text, to compare two results.
std::string Dump(const DetectionResult& r) {
  std::string s;
  for (const auto& t : r.touchpoints) {
    s += fmt::format("tp {} count={} implied_by={} kb={}\n", t.kb_id, t.evidence_count, t.implied_by,
                     t.kb ? t.kb->id : "-");
    for (const auto& e : t.evidence)
      s += fmt::format("  ev {} {} {} {} {} {} {} {} {} {} {} {} {}\n", ToString(e.kind), e.url, e.page,
                       e.source, e.entry, e.signature, fmt::join(e.params, ","), e.cookie_name,
                       e.cookie_domain, e.cookie_expires, e.signal_id, e.signal_param, e.via);
    for (const auto& h : t.signals)
      s += fmt::format("  sig {} {} {} {} {} {}\n", h.signal_id, h.param, h.data_category, h.source, h.entry,
                       h.example_url);
    for (const auto& p : t.pages) s += "  page " + p + "\n";
  }
  for (const auto& h : r.third_party_hosts)
    s += fmt::format("host {} {} {} {}\n", h.host, h.registrable_domain, h.requests, h.matched);
  s += fmt::format("fp {}\n", fmt::join(r.first_party_domains, ","));
  for (const auto& src : r.sources) s += fmt::format("source {} {}\n", src.name, src.kind);
  s += fmt::format("entries={} bytes={} tel={} mailto={} pages={}\n", r.entries, r.bytes, r.tel_links,
                   r.mailto_links, r.pages.size());
  return s;
}

// One immutable index, many detectors on many threads at once: every thread
// gets the result a lone detector gets, and ClassifyUrl answers the same.
TEST(KbIndexSharing, DetectorsOnSeveralThreadsShareOneIndex) {
  auto index = TestIndex();
  evidence_testing::HarGenOptions opt;
  opt.entries = 300;
  const std::string generated = evidence_testing::GenerateHar(opt);
  auto run = [&]() -> std::string {
    std::vector<std::unique_ptr<EvidenceSource>> sources;
    sources.push_back(NewHarSource(generated, "gen.har", "gen.har"));
    sources.push_back(NewHarSource(kShopHar, "shop.har", "shop.har"));
    auto r = Detect(index, sources);
    return r ? Dump(*r) : "error: " + r.error().Format();
  };
  const std::string expected = run();
  ASSERT_EQ(expected.find("error"), std::string::npos) << expected;
  ASSERT_NE(expected.find("tp meta-pixel"), std::string::npos) << expected;
  ASSERT_NE(expected.find("tp whatsapp-click-to-chat"), std::string::npos) << expected;
  const KbEntry* meta = index->kb().Find("meta-pixel");
  constexpr int kThreads = 6, kRounds = 4;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<int> classify_errors(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        results[t].push_back(run());
        if (index->ClassifyUrl("https://www.facebook.com/tr/?id=1") != meta) ++classify_errors[t];
        if (index->ClassifyUrl("https://www.shop.nl/") != nullptr) ++classify_errors[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(classify_errors[t], 0) << "thread " << t;
    ASSERT_EQ(results[t].size(), static_cast<size_t>(kRounds));
    for (const std::string& got : results[t]) EXPECT_EQ(got, expected) << "thread " << t;
  }
  // The detectors are gone; the index is still whole and shared only here.
  EXPECT_EQ(index.use_count(), 1);
}

// ---- Carried data (issue 6 §2): first-party URLs and personal data in clear ----

using detect_internal::DecodeValue;
using detect_internal::FindEmail;
using detect_internal::IsPhoneName;
using detect_internal::LooksLikePhone;
using detect_internal::MayCarry;

TEST(CarriedData, DecodeValueOnceOrTwice) {
  std::string out, scratch;
  DecodeValue("https%3A%2F%2Fshop.nl%2Fa%3Fb%3D1", &out, &scratch);
  EXPECT_EQ(out, "https://shop.nl/a?b=1");
  DecodeValue("https%253A%252F%252Fshop.nl%252Fa", &out, &scratch);  // encoded twice
  EXPECT_EQ(out, "https://shop.nl/a");
  DecodeValue("jan%2540voorbeeld.nl", &out, &scratch);
  EXPECT_EQ(out, "jan@voorbeeld.nl");
  DecodeValue("a+b%20c", &out, &scratch);
  EXPECT_EQ(out, "a b c");
  DecodeValue("100%", &out, &scratch);  // an invalid escape is kept
  EXPECT_EQ(out, "100%");
}

TEST(CarriedData, MayCarry) {
  EXPECT_TRUE(MayCarry("https%3A%2F%2Fshop.nl"));
  EXPECT_TRUE(MayCarry("HTTP://x"));
  EXPECT_TRUE(MayCarry("jan%40x.nl"));
  EXPECT_TRUE(MayCarry("jan@x.nl"));
  EXPECT_TRUE(MayCarry("jan\\u0040x.nl"));
  EXPECT_FALSE(MayCarry("PageView"));
  EXPECT_FALSE(MayCarry("1700000000000"));
  EXPECT_FALSE(MayCarry(""));
}

TEST(CarriedData, EmailAddressesFound) {
  size_t b = 0, e = 0;
  ASSERT_TRUE(FindEmail("jan@voorbeeld.nl", &b, &e));
  EXPECT_EQ(b, 0u);
  EXPECT_EQ(e, 16u);
  ASSERT_TRUE(FindEmail("to: Jan.de-Vries+shop@Mail.Example-Shop.co.uk, thanks", &b, &e));
  EXPECT_EQ(std::string_view("to: Jan.de-Vries+shop@Mail.Example-Shop.co.uk, thanks").substr(b, e - b),
            "Jan.de-Vries+shop@Mail.Example-Shop.co.uk");
  EXPECT_TRUE(FindEmail("https://shop.nl/checkout?email=jan@voorbeeld.nl"));
  EXPECT_TRUE(FindEmail("mailto:piet@gmail.com"));
  EXPECT_TRUE(FindEmail("{\"em\":\"a.b@web.de\"}"));
}

TEST(CarriedData, NotEmailAddresses) {
  EXPECT_FALSE(FindEmail("/img/logo@2x.png"));
  EXPECT_FALSE(FindEmail("icon@3x.webp"));
  EXPECT_FALSE(FindEmail("hero@2x.de"));  // a density suffix, even on a real TLD
  EXPECT_FALSE(FindEmail("https://cdn.jsdelivr.net/npm/@scope/pkg@1.2.3/dist/x.js"));
  EXPECT_FALSE(FindEmail("jquery@3.6.0.min.js"));
  EXPECT_FALSE(FindEmail("lodash@4.17.21"));
  EXPECT_FALSE(FindEmail("@babel/core@latest"));
  EXPECT_FALSE(FindEmail("@media screen"));
  EXPECT_FALSE(FindEmail("follow @blindspot.nl"));
  EXPECT_FALSE(FindEmail("https://0123abcd@o12345.ingest.sentry.io/678"));  // userinfo
  EXPECT_FALSE(FindEmail("https://user:secret@host.example.nl/"));
  EXPECT_FALSE(FindEmail("user@example.com"));  // documentation domains
  EXPECT_FALSE(FindEmail("jan@mail.example.org"));
  EXPECT_FALSE(FindEmail("jan@shop.test"));
  EXPECT_FALSE(FindEmail("jan@server.local"));  // not a TLD
  EXPECT_FALSE(FindEmail("noreply@shop.nl"));
  EXPECT_FALSE(FindEmail("info@shop.nl"));
  EXPECT_FALSE(FindEmail("a..b@shop.nl"));
  EXPECT_FALSE(FindEmail("jan@shop"));
  EXPECT_FALSE(FindEmail("jan@shop.nl7"));
  EXPECT_FALSE(FindEmail("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));  // a hash
  EXPECT_FALSE(FindEmail("shop.nl"));
}

TEST(CarriedData, PhoneNamesAndValues) {
  EXPECT_TRUE(IsPhoneName("phone"));
  EXPECT_TRUE(IsPhoneName("ud[ph]"));
  EXPECT_TRUE(IsPhoneName("user.Phone_Number"));
  EXPECT_TRUE(IsPhoneName("telefoonnummer"));
  EXPECT_FALSE(IsPhoneName("photo"));
  EXPECT_FALSE(IsPhoneName("path"));
  EXPECT_FALSE(IsPhoneName("telemetry"));
  EXPECT_TRUE(LooksLikePhone("+31 6 12345678"));
  EXPECT_TRUE(LooksLikePhone("(020) 123-4567"));
  EXPECT_TRUE(LooksLikePhone("0612345678"));
  EXPECT_FALSE(LooksLikePhone("12345"));
  EXPECT_FALSE(LooksLikePhone("00000000"));
  EXPECT_FALSE(LooksLikePhone("true"));
  EXPECT_FALSE(LooksLikePhone("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
}

const CarriedData* FindCarried(const std::vector<CarriedData>& list, CarriedKind kind, std::string_view param,
                               std::string_view inner = "") {
  for (const CarriedData& c : list)
    if (c.kind == kind && c.param == param && c.inner == inner) return &c;
  return nullptr;
}

TEST(CarriedData, PageUrlAndEmailInsideItToAPixel) {
  // A checkout page with the address in its query string; the pixel sends the
  // page URL (dl, encoded twice) and the referrer (rl).
  EvidenceRecord page = Get("https://www.shop.nl/checkout?email=jan%40voorbeeld.nl", 0);
  page.resource_type = "document";
  EvidenceRecord px =
      Get("https://www.facebook.com/tr/"
          "?id=1&ev=PageView&dl=https%253A%252F%252Fwww.shop.nl%252Fcheckout%253Femail%253D"
          "jan%252540voorbeeld.nl&rl=https%3A%2F%2Fshop.nl%2F&ts=1",
          1);
  px.referer = "https://www.shop.nl/checkout?email=jan%40voorbeeld.nl";  // the browser's: not counted
  DetectionResult r = RunHar(TestIndex(), {page, px}, "https://www.shop.nl/checkout");
  const DetectedTouchpoint* tp = r.Find("meta-pixel");
  ASSERT_NE(tp, nullptr);
  ASSERT_EQ(tp->carried.size(), 3u) << fmt::format("{}", tp->carried.size());
  const CarriedData* dl = FindCarried(tp->carried, CarriedKind::kPageUrl, "dl");
  ASSERT_NE(dl, nullptr);
  EXPECT_EQ(dl->requests, 1u);
  EXPECT_EQ(dl->host, "www.facebook.com");
  EXPECT_EQ(dl->source, "test.har");
  EXPECT_EQ(dl->entry, 1u);
  EXPECT_EQ(dl->page, "https://www.shop.nl/checkout");
  EXPECT_NE(FindCarried(tp->carried, CarriedKind::kPageUrl, "rl"), nullptr);
  const CarriedData* em = FindCarried(tp->carried, CarriedKind::kEmail, "dl", "email");
  ASSERT_NE(em, nullptr);
  EXPECT_TRUE(IsPersonalData(em->kind));
  EXPECT_TRUE(r.carried.empty());
}

TEST(CarriedData, FirstPartyRequestsAndOtherDomainsAreNotCounted) {
  EvidenceRecord page = Get("https://www.shop.nl/?email=jan%40voorbeeld.nl", 0);
  page.resource_type = "document";
  // First party: its own analytics with the page URL and the address.
  EvidenceRecord own =
      Get("https://stats.shop.nl/hit?url=https%3A%2F%2Fwww.shop.nl%2F&em=jan%40voorbeeld.nl", 1);
  // A third party given another site's URL, a bare domain, an image name, a hash.
  EvidenceRecord other =
      Get("https://cdn.vendor.com/p?u=https%3A%2F%2Fwww.elsewhere.com%2F&site=www.shop.nl&img=logo%402x.png&"
          "em=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08&ref=shop.nl%2Fcheckout",
          2);
  DetectionResult r = RunHar(TestIndex(), {page, own, other});
  EXPECT_TRUE(r.carried.empty()) << r.carried.size();
  for (const DetectedTouchpoint& tp : r.touchpoints) EXPECT_TRUE(tp.carried.empty()) << tp.kb_id;
}

TEST(CarriedData, UnattributedByDomainFormAndJsonBodies) {
  EvidenceRecord page = Get("https://www.shop.nl/", 0);
  page.resource_type = "document";
  EvidenceRecord form = Get("https://collect.tracker.io/e", 1);
  form.method = "POST";
  form.post_mime = "application/x-www-form-urlencoded";
  form.post_text = "page=https%3A%2F%2Fwww.shop.nl%2Fa&phone=%2B31+6+12345678&n=1";
  EvidenceRecord json = Get("https://api.tracker.io/v1/t", 2);
  json.method = "POST";
  json.post_mime = "text/plain";
  json.post_text =
      R"({"context":{"page":{"url":"https:\/\/www.shop.nl\/b","referrer":""}},"traits":{"email":"jan\u0040voorbeeld.nl"},)"
      R"("items":[{"img":"/i/logo@2x.png"}]})";
  EvidenceRecord json2 = json;
  json2.index = 3;
  DetectionResult r = RunHar(TestIndex(), {page, form, json, json2});
  ASSERT_EQ(r.carried.size(), 1u);
  EXPECT_EQ(r.carried[0].registrable_domain, "tracker.io");
  const auto& c = r.carried[0].carried;
  EXPECT_NE(FindCarried(c, CarriedKind::kPageUrl, "page"), nullptr);
  EXPECT_NE(FindCarried(c, CarriedKind::kPhone, "phone"), nullptr);
  const CarriedData* url = FindCarried(c, CarriedKind::kPageUrl, "context.page.url");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->requests, 2u);
  EXPECT_EQ(url->host, "api.tracker.io");
  EXPECT_NE(FindCarried(c, CarriedKind::kEmail, "traits.email"), nullptr);
  EXPECT_EQ(c.size(), 4u);
  // Sorted by kind, then parameter.
  EXPECT_EQ(c[0].kind, CarriedKind::kPageUrl);
  EXPECT_EQ(c[0].param, "context.page.url");
}

TEST(CarriedData, ResolvedAtEndSourceWithTheFirstPartyOfEachSource) {
  // The first party is only known at EndSource: a request before the page's
  // document is kept pending, and a URL of source A's site sent from source B
  // (another first party) is not B's page URL.
  Detector d(TestIndex());
  d.BeginSource("a.har", "har");
  d.Observe(Get("https://www.facebook.com/tr/?id=1&dl=https%3A%2F%2Fwww.a-shop.nl%2F", 0));
  EvidenceRecord doc = Get("https://www.a-shop.nl/", 1);
  doc.resource_type = "document";
  d.Observe(doc);
  d.EndSource(Summary("https://www.a-shop.nl/", 2));
  d.BeginSource("b.har", "har");
  EvidenceRecord doc_b = Get("https://www.b-shop.nl/", 0);
  doc_b.resource_type = "document";
  d.Observe(doc_b);
  d.Observe(Get("https://www.facebook.com/tr/?id=1&u=https%3A%2F%2Fwww.a-shop.nl%2F", 1));
  d.EndSource(Summary("https://www.b-shop.nl/", 2));
  DetectionResult r = d.Finish();
  const DetectedTouchpoint* tp = r.Find("meta-pixel");
  ASSERT_NE(tp, nullptr);
  ASSERT_EQ(tp->carried.size(), 1u);
  EXPECT_EQ(tp->carried[0].param, "dl");
  EXPECT_EQ(tp->carried[0].source, "a.har");
  EXPECT_EQ(tp->carried[0].entry, 0u);
}

TEST(CarriedData, GivenFirstPartySkipsItsRequests) {
  DetectOptions o;
  o.first_party = {"shop.nl"};
  Detector d(TestIndex(), o);
  d.BeginSource("a.har", "har");
  d.Observe(Get("https://www.shop.nl/x?email=jan%40voorbeeld.nl", 0));
  d.Observe(Get("https://www.facebook.com/tr/?id=1&dl=https%3A%2F%2Fwww.shop.nl%2F", 1));
  d.EndSource(Summary("https://www.shop.nl/", 2));
  DetectionResult r = d.Finish();
  EXPECT_TRUE(r.carried.empty());
  ASSERT_NE(r.Find("meta-pixel"), nullptr);
  EXPECT_EQ(r.Find("meta-pixel")->carried.size(), 1u);
}

}  // namespace
}  // namespace blindspot

// ---- sensitive terms (data/sensitive_terms.yaml, rule BS040) ----------------------------------------------

namespace blindspot {
namespace {

using detect_internal::SensitiveTerms;

TEST(SensitiveTerms, BuiltinListParsesAndCitesKnownSourcesAndCategories) {
  const SensitiveTerms& t = SensitiveTerms::Builtin();
  ASSERT_GE(t.groups().size(), 5u);
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const auto& g : t.groups()) {
    SCOPED_TRACE(g.category);
    EXPECT_TRUE(cat.InVocabulary("sensitive_category", g.category));
    EXPECT_FALSE(g.sources.empty());
    for (const std::string& s : g.sources) EXPECT_NE(cat.FindSource(s), nullptr) << s;
    EXPECT_FALSE(g.terms.empty());
  }
}

TEST(SensitiveTerms, ParseRejectsWhatItCannotMatch) {
  std::string error;
  EXPECT_FALSE(SensitiveTerms::Parse("groups: []", &error));
  EXPECT_FALSE(SensitiveTerms::Parse(
      "groups:\n  - category: health\n    sources: [x]\n    terms: {en: [HIV]}\n", &error));
  EXPECT_NE(error.find("'HIV'"), std::string::npos) << error;
  EXPECT_FALSE(SensitiveTerms::Parse("groups:\n  - category: health\n    terms: {en: [hiv]}\n", &error));
  EXPECT_NE(error.find("cites no source"), std::string::npos) << error;
}

TEST(SensitiveTerms, WholeWordsOnlyAndAmbiguousWordsAreNotOnTheList) {
  const SensitiveTerms& t = SensitiveTerms::Builtin();
  std::string scratch;
  auto term = [&](std::string_view v) {
    auto m = t.Find(v, &scratch);
    return m ? std::string(m->term) + "/" + std::string(m->category) : std::string();
  };
  EXPECT_EQ(term("https://www.shop.nl/hiv-zelftest?x=1"), "hiv/health");
  EXPECT_EQ(term("HIV Test kopen | Apotheek"), "hiv test/health");  // the longest term at a position
  EXPECT_EQ(term("Pregnancy Test - 2 pack"), "pregnancy test/health");
  EXPECT_EQ(term("/de/hörgeräte/im-ohr"), "hörgeräte/health");
  EXPECT_EQ(term("Moskee Amsterdam: gebedstijden"), "moskee/religion");
  EXPECT_EQ(term("https://x.nl/lid-worden-vakbond"), "vakbond/trade_union");
  // Not words of the list: a part of a word, innocent senses, an id.
  EXPECT_EQ(term("https://archive.org/details/x"), "");
  EXPECT_EQ(term("Health insurance comparison"), "");
  EXPECT_EQ(term("zorgverzekering vergelijken"), "");
  EXPECT_EQ(term("Recept: pasta met pesto"), "");
  EXPECT_EQ(term("Er sucht eine Wohnung"), "");
  EXPECT_EQ(term("Kerkstraat 12, Nieuwerkerk"), "");
  EXPECT_EQ(term("Cancer horoscope today"), "");
  EXPECT_EQ(term("GA1.2.1234567890.1700000000"), "");
  EXPECT_EQ(term("shiva"), "");
}

TEST(CarriedData, SensitiveTermsInThirdPartyValuesOnly) {
  EvidenceRecord page = Get("https://www.apotheek-voorbeeld.nl/hiv-zelftest", 0);
  page.resource_type = "document";
  // The pixel sends the page URL and a content name; the first party's own
  // analytics sends the same words and is not counted.
  EvidenceRecord px =
      Get("https://www.facebook.com/tr/"
          "?id=1&ev=ViewContent&dl=https%3A%2F%2Fwww.apotheek-voorbeeld.nl%2Fhiv-zelftest"
          "&cd[content_name]=HIV%20zelftest&cd[value]=19.95",
          1);
  EvidenceRecord own = Get("https://stats.apotheek-voorbeeld.nl/hit?title=HIV%20zelftest", 2);
  EvidenceRecord json = Get("https://collect.tracker.io/e", 3);
  json.method = "POST";
  json.post_mime = "application/json";
  json.post_text = R"({"event":"view","props":{"title":"Zwangerschapstest kopen"}})";
  DetectionResult r =
      RunHar(TestIndex(), {page, px, own, json}, "https://www.apotheek-voorbeeld.nl/hiv-zelftest");
  const DetectedTouchpoint* tp = r.Find("meta-pixel");
  ASSERT_NE(tp, nullptr);
  std::vector<std::string> got;
  for (const CarriedData& c : tp->carried)
    if (c.kind == CarriedKind::kSensitiveTerm) got.push_back(c.param + "=" + c.term + "/" + c.category);
  EXPECT_EQ(got, (std::vector<std::string>{"cd[content_name]=hiv/health", "dl=hiv/health"}));
  for (const CarriedData& c : tp->carried) EXPECT_FALSE(IsPersonalData(c.kind));
  ASSERT_EQ(r.carried.size(), 1u);
  EXPECT_EQ(r.carried[0].registrable_domain, "tracker.io");
  ASSERT_EQ(r.carried[0].carried.size(), 1u);
  EXPECT_EQ(r.carried[0].carried[0].param, "props.title");
  EXPECT_EQ(r.carried[0].carried[0].term, "zwangerschapstest");
  EXPECT_EQ(ToString(CarriedKind::kSensitiveTerm), "sensitive-term");
}

}  // namespace
}  // namespace blindspot

namespace blindspot {
namespace {

// The capture dates of each source (BS029 judges transfer tools by them).
TEST(CaptureDates, EarliestAndLatestStartedDateTimePerSourceAndOverall) {
  Detector d(TestIndex());
  d.BeginSource("a.har", "har");
  for (const char* started : {"2023-07-10T09:00:00.000Z", "2023-07-09T23:59:00.000Z", "", "not a date",
                              "2023-07-11T00:00:01+02:00"}) {
    EvidenceRecord e = Get("https://www.shop.nl/");
    e.started = started;
    d.Observe(e);
  }
  d.EndSource(Summary("https://www.shop.nl/", 5));
  d.BeginSource("b.har", "har");
  d.Observe(Get("https://www.shop.nl/"));  // no startedDateTime
  d.EndSource(Summary("https://www.shop.nl/", 1));
  DetectionResult r = d.Finish();
  ASSERT_EQ(r.sources.size(), 2u);
  EXPECT_EQ(r.sources[0].first_capture, "2023-07-09T23:59:00.000Z");
  EXPECT_EQ(r.sources[0].last_capture, "2023-07-11T00:00:01+02:00");
  EXPECT_TRUE(r.sources[1].first_capture.empty());
  EXPECT_EQ(r.FirstCaptureDate(), "2023-07-09");
  EXPECT_EQ(r.LastCaptureDate(), "2023-07-11");
  EXPECT_EQ(DetectionResult{}.FirstCaptureDate(), "");
}

}  // namespace
}  // namespace blindspot

// Detection on real HAR files (../shared/realdata/har, read in place) with the
// embedded knowledge base. Expected values were checked by hand against the
// HARs (see the comments next to each assertion).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "blindspot/app.h"
#include "blindspot/detect.h"
#include "blindspot/env.h"
#include "blindspot_testing/realdata_fixture.h"

namespace blindspot {
namespace {

std::string Har(const std::string& name) { return testing::RealHar(name); }

// The built-in knowledge base's index, as the application layer shares it.
std::shared_ptr<const KbIndex> BuiltinIndex() {
  auto index = app::LoadKbIndex(app::Options{});
  EXPECT_TRUE(index.has_value()) << (index ? "" : index.error().Format());
  return index ? *index : nullptr;
}

// Detection over files through the application layer, errors included.
Result<DetectionResult> DetectPaths(const std::vector<std::string>& paths) {
  auto sources = app::OpenEvidence(app::Options{}, paths, nullptr);
  if (!sources) return std::unexpected(sources.error());
  return Detect(BuiltinIndex(), sources->sources, {}, sources->discoveries);
}

class RealData : public testing::RealDataTest {
 protected:
  static std::vector<std::string> Ids(const DetectionResult& r) {
    std::vector<std::string> ids;
    for (const auto& t : r.touchpoints) ids.push_back(t.kb_id);
    return ids;
  }
};

void ExpectDetected(const DetectionResult& r, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    const DetectedTouchpoint* t = r.Find(id);
    EXPECT_NE(t, nullptr) << id << " not detected";
    if (t) {
      EXPECT_GT(t->evidence_count, 0u) << id;
      EXPECT_FALSE(t->evidence.empty()) << id;
      EXPECT_LE(t->evidence.size(), DetectedTouchpoint::kMaxEvidence) << id;
      ASSERT_NE(t->kb, nullptr);
      EXPECT_EQ(t->kb->id, id);
    }
  }
}

const ThirdPartyHost* FindHost(const DetectionResult& r, std::string_view host) {
  for (const auto& h : r.third_party_hosts)
    if (h.host == host) return &h;
  return nullptr;
}

uint64_t TotalRequests(const DetectionResult& r) {
  uint64_t n = 0;
  for (const auto& h : r.third_party_hosts) n += h.requests;
  return n;
}

TEST_F(RealData, Ferguson) {
  DetectionResult r = Detect("ferguson.com.har");
  EXPECT_EQ(r.entries, 174u);
  // Reports name a source by its base name, not the path it was read from.
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].name, "ferguson.com.har");
  EXPECT_EQ(r.sources[0].kind, "har");
  ExpectDetected(r, {"meta-pixel", "linkedin-insight", "google-analytics", "decibel-insight", "crazy-egg",
                     "medallia-digital", "oracle-bluekai", "the-trade-desk", "mntn", "oracle-eloqua"});
  // Google Analytics sends the client id to stats.g.doubleclick.net (entries
  // 102, 107) and google.<tld>/ads/ga-audiences: remarketing audiences.
  const DetectedTouchpoint* ga = r.Find("google-analytics");
  ASSERT_NE(ga, nullptr);
  auto sig = std::find_if(ga->signals.begin(), ga->signals.end(),
                          [](const SignalHit& h) { return h.signal_id == "remarketing-audiences"; });
  ASSERT_NE(sig, ga->signals.end()) << "no remarketing-audiences signal";
  EXPECT_EQ(sig->param, "cid");
  EXPECT_EQ(sig->entry, 102u);
  EXPECT_EQ(sig->example_url.find("878270908"), std::string::npos) << sig->example_url;
  EXPECT_TRUE(sig->example_url.starts_with("https://stats.g.doubleclick.net/g/collect?v=…&tid=…&cid=…"))
      << sig->example_url;
  // The pixel: first request evidence is fbevents.js (entry 72), later the
  // PageView event (entry 112); the page is the HAR's only page.
  const DetectedTouchpoint* meta = r.Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  bool found_event = false;
  for (const EvidenceItem& ev : meta->evidence) {
    EXPECT_EQ(ev.page, "https://www.ferguson.com run 1");
    EXPECT_EQ(ev.source, "ferguson.com.har");
    if (ev.kind == EvidenceKind::kRequest && ev.entry == 112) {
      found_event = true;
      EXPECT_TRUE(ev.url.starts_with("https://www.facebook.com/tr/?id=…&ev=…&dl=…")) << ev.url;
      EXPECT_EQ(ev.signature, "facebook.com/tr");
    }
  }
  EXPECT_TRUE(found_event);
  auto first_req = std::find_if(meta->evidence.begin(), meta->evidence.end(),
                                [](const EvidenceItem& ev) { return ev.kind == EvidenceKind::kRequest; });
  ASSERT_NE(first_req, meta->evidence.end());
  EXPECT_EQ(first_req->entry, 72u);
  EXPECT_EQ(first_req->url, "https://connect.facebook.net/en_US/fbevents.js");
  // The _fbp cookie is sent to ferguson.com before the pixel loads (entry 39).
  EXPECT_EQ(meta->evidence[0].kind, EvidenceKind::kCookie);
  EXPECT_EQ(meta->evidence[0].cookie_name, "_fbp");
  EXPECT_EQ(meta->evidence[0].signature, "_fbp");
  EXPECT_EQ(meta->evidence[0].entry, 39u);
  EXPECT_EQ(meta->pages, (std::set<std::string>{"https://www.ferguson.com run 1"}));
  ASSERT_EQ(r.pages.size(), 1u);
  EXPECT_EQ(r.pages[0].title, "https://www.ferguson.com run 1");

  // Third parties: 41 distinct hosts, of which www/api/analytics.ferguson.com
  // are first party; the other 38 hosts made 78 requests.
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"ferguson.com"}));
  EXPECT_EQ(r.third_party_hosts.size(), 38u);
  EXPECT_EQ(TotalRequests(r), 78u);
  EXPECT_EQ(FindHost(r, "www.ferguson.com"), nullptr);
  EXPECT_EQ(FindHost(r, "analytics.ferguson.com"), nullptr);
  const ThirdPartyHost* kampyle = FindHost(r, "nebula-cdn.kampyle.com");
  ASSERT_NE(kampyle, nullptr);
  EXPECT_EQ(kampyle->requests, 13u);
  EXPECT_EQ(kampyle->registrable_domain, "kampyle.com");
  EXPECT_TRUE(kampyle->matched);
  const ThirdPartyHost* maxymiser = FindHost(r, "service.maxymiser.net");
  ASSERT_NE(maxymiser, nullptr);
  EXPECT_EQ(maxymiser->requests, 6u);
  EXPECT_TRUE(std::is_sorted(r.third_party_hosts.begin(), r.third_party_hosts.end(),
                             [](const auto& a, const auto& b) { return a.host < b.host; }));
}

TEST_F(RealData, MyToys) {
  DetectionResult r = Detect("mytoys.de.har");
  EXPECT_EQ(r.entries, 50u);
  ExpectDetected(r, {"meta-pixel", "google-floodlight", "webtrends", "adition", "trusted-shops"});
  // Floodlight: two activityi requests on 5127363.fls.doubleclick.net (entries 39, 40).
  const DetectedTouchpoint* fl = r.Find("google-floodlight");
  ASSERT_NE(fl, nullptr);
  ASSERT_FALSE(fl->evidence.empty());
  EXPECT_EQ(fl->evidence[0].entry, 39u);
  EXPECT_TRUE(fl->evidence[0].url.starts_with("https://5127363.fls.doubleclick.net/activityi;src=5127363;"))
      << fl->evidence[0].url;
  // The page title is no URL; the first request (checkout.mytoys.de) decides.
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"mytoys.de"}));
  EXPECT_EQ(r.third_party_hosts.size(), 13u);
  EXPECT_EQ(TotalRequests(r), 21u);
  const ThirdPartyHost* wt = FindHost(r, "statse.webtrendslive.com");
  ASSERT_NE(wt, nullptr);
  EXPECT_EQ(wt->requests, 3u);
  EXPECT_TRUE(wt->matched);
  // A sister domain of the shop is still a third party by eTLD+1.
  EXPECT_NE(FindHost(r, "images.mytoys.com"), nullptr);
}

TEST_F(RealData, EnormMagazin) {
  DetectionResult r = Detect("chrome_enorm-magazin.de.har");
  EXPECT_EQ(r.entries, 65u);
  ExpectDetected(r, {"google-analytics", "google-tag-manager", "infonline", "addtoany"});
  const DetectedTouchpoint* gtm = r.Find("google-tag-manager");
  ASSERT_NE(gtm, nullptr);
  EXPECT_EQ(gtm->evidence[0].url, "https://www.googletagmanager.com/gtm.js?id=…");
  EXPECT_EQ(gtm->evidence[0].entry, 15u);
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"enorm-magazin.de"}));
  EXPECT_EQ(r.third_party_hosts.size(), 7u);
  EXPECT_EQ(TotalRequests(r), 10u);
  const ThirdPartyHost* fonts = FindHost(r, "fonts.gstatic.com");
  ASSERT_NE(fonts, nullptr);
  EXPECT_EQ(fonts->requests, 2u);
}

TEST_F(RealData, AllThreeTogether) {
  auto r = DetectPaths({Har("ferguson.com.har"), Har("mytoys.de.har"), Har("chrome_enorm-magazin.de.har")});
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  ASSERT_EQ(r->sources.size(), 3u);
  EXPECT_EQ(r->sources[0].name, "ferguson.com.har");
  EXPECT_EQ(r->sources[1].name, "mytoys.de.har");
  EXPECT_EQ(r->sources[2].name, "chrome_enorm-magazin.de.har");
  EXPECT_EQ(r->entries, 174u + 50u + 65u);
  EXPECT_EQ(r->first_party_domains,
            (std::vector<std::string>{"enorm-magazin.de", "ferguson.com", "mytoys.de"}));
  EXPECT_EQ(r->third_party_hosts.size(),
            38u + 13u + 7u - 3u);  // connect.facebook.net, www.google-analytics.com,
                                   // www.googletagmanager.com occur twice
  const DetectedTouchpoint* meta = r->Find("meta-pixel");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->pages.size(), 2u);
}

TEST_F(RealData, MissingFileIsAnError) {
  auto r = DetectPaths({Har("ferguson.com.har"), Har("does-not-exist.har")});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_NE(r.error().where.file.find("does-not-exist.har"), std::string::npos) << r.error().Format();
}

TEST_F(RealData, HarErrorIsReturnedUnchanged) {
  std::string path = ::testing::TempDir() + "/detect_truncated.har";
  {
    std::ofstream out(path, std::ios::binary);
    out << R"({"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "entries": [{"request": )";
  }
  auto bytes = Env::Default().ReadFile(path, 1 << 20, 64);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().Format();
  HarReader reader;
  auto direct = reader.ReadOwned(*bytes, path, [](const EvidenceRecord&) {});
  ASSERT_FALSE(direct.has_value());
  auto r = DetectPaths({Har("mytoys.de.har"), path});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.file, path);
  EXPECT_TRUE(r.error().where.has_offset);
  EXPECT_EQ(r.error().where.offset, direct.error().where.offset);
  EXPECT_EQ(r.error().Format(), direct.error().Format());
  std::remove(path.c_str());
}

TEST_F(RealData, HarWithoutThirdParties) {
  const std::string har = R"({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
    "pages": [{"id": "page_1", "title": "https://www.example.nl/", "startedDateTime": "2024-01-01T00:00:00Z",
               "pageTimings": {}}],
    "entries": [
      {"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:00Z", "time": 1,
       "request": {"method": "GET", "url": "https://www.example.nl/", "httpVersion": "HTTP/1.1",
                   "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
       "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                    "headers": [], "cookies": [],
                    "content": {"size": 5, "mimeType": "text/html", "text": "hello"}, "redirectURL": "",
                    "headersSize": -1, "bodySize": 5},
       "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}},
      {"pageref": "page_1", "startedDateTime": "2024-01-01T00:00:01Z", "time": 1,
       "request": {"method": "GET", "url": "https://static.example.nl/app.js", "httpVersion": "HTTP/1.1",
                   "headers": [{"name": "Cookie", "value": "session=abc"}], "queryString": [], "cookies": [],
                   "headersSize": -1, "bodySize": 0},
       "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                    "headers": [], "cookies": [],
                    "content": {"size": 0, "mimeType": "application/javascript"}, "redirectURL": "",
                    "headersSize": -1, "bodySize": 0},
       "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
    ]}})";
  Detector d(BuiltinIndex());
  HarReader reader;
  d.BeginSource("inline.har", "har");
  auto summary = reader.ReadBuffer(har, "inline.har", [&](const EvidenceRecord& e) { d.Observe(e); });
  ASSERT_TRUE(summary.has_value()) << summary.error().Format();
  d.EndSource(*summary);
  DetectionResult r = d.Finish();
  EXPECT_EQ(r.entries, 2u);
  EXPECT_TRUE(r.third_party_hosts.empty());
  EXPECT_TRUE(r.touchpoints.empty());
  EXPECT_EQ(r.first_party_domains, (std::vector<std::string>{"example.nl"}));
}

// Every real capture loads (issue 6): its entries, its first party (never the
// first entry just because it is first: widex.com's Fiddler capture starts
// with a parked domain's scripts and an ad iframe), and its reading warnings.
TEST_F(RealData, EveryCaptureLoadsWithItsFirstPartyAndWarnings) {
  struct Want {
    const char* file;
    uint64_t entries;
    const char* first_party;
    uint64_t warnings;  // all of them not-base64 where any
  };
  const Want kWant[] = {
      {"chrome_enorm-magazin.de.har", 65, "enorm-magazin.de", 23},
      {"cnet.com_chrome-har.har", 258, "cnet.com", 0},
      {"coupons.com_firebug.har", 128, "coupons.com", 0},
      {"ferguson.com.har", 174, "ferguson.com", 0},
      {"interiordesignshow.com_firefox.har", 354, "interiordesignshow.com", 0},
      {"lansstyrelsen.se_firefox.har", 222, "lansstyrelsen.se", 0},
      {"mylabbox.com_chrome-har.har", 91, "mylabbox.com", 0},
      {"mytoys.de.har", 50, "mytoys.de", 0},
      {"oraquick.com_chrome-har.har", 106, "oraquick.com", 0},
      {"personalabs.com_chrome-har.har", 215, "personalabs.com", 0},
      {"ryanair.com_webpagetest.har", 304, "ryanair.com", 0},
      {"thegreenwebfoundation.org_chrome-har.har", 51, "thegreenwebfoundation.org", 0},
      {"theverge.com_browsertime.har", 244, "theverge.com", 0},
      {"widex.com_fiddler.har", 87, "widex.com", 0},
  };
  for (const Want& w : kWant) {
    auto r = DetectPaths({Har(w.file)});
    ASSERT_TRUE(r.has_value()) << w.file << ": " << r.error().Format();
    EXPECT_EQ(r->entries, w.entries) << w.file;
    EXPECT_EQ(r->first_party_domains, std::vector<std::string>{w.first_party}) << w.file;
    EXPECT_EQ(r->warning_count, w.warnings) << w.file;
    if (w.warnings > 0) {
      EXPECT_EQ(r->warning_counts.at(ReadIssue::kNotBase64), w.warnings) << w.file;
    }
  }
}

}  // namespace
}  // namespace blindspot

// ---- sensitive terms (BS040) on the real captures
// ----------------------------------------------------------

namespace blindspot {
namespace {

// Every (receiving host, parameter, term) of kind sensitive-term, attributed or not.
std::set<std::string> SensitiveHits(const DetectionResult& r) {
  std::set<std::string> out;
  auto add = [&](const std::vector<CarriedData>& list) {
    for (const CarriedData& c : list)
      if (c.kind == CarriedKind::kSensitiveTerm) out.insert(c.host + " " + c.param + " " + c.term);
  };
  for (const DetectedTouchpoint& t : r.touchpoints) add(t.carried);
  for (const UnattributedCarried& u : r.carried) add(u.carried);
  return out;
}

// Checked by hand (2026-12-02): none of these sites sends a term of data/sensitive_terms.yaml to a
// third party; a term here would be a false positive of the list or the matcher.
TEST_F(RealData, SensitiveTermsNoneOnSitesThatSendNone) {
  for (const char* har : {"chrome_enorm-magazin.de.har", "cnet.com_chrome-har.har", "coupons.com_firebug.har",
                          "ferguson.com.har", "interiordesignshow.com_firefox.har",
                          "lansstyrelsen.se_firefox.har", "mytoys.de.har", "ryanair.com_webpagetest.har",
                          "thegreenwebfoundation.org_chrome-har.har", "theverge.com_browsertime.har"}) {
    SCOPED_TRACE(har);
    auto r = DetectPaths({Har(har)});
    ASSERT_TRUE(r.has_value()) << r.error().Format();
    EXPECT_EQ(SensitiveHits(*r), std::set<std::string>{});
  }
}

// The three health shops really send what their visitors look at: OraQuick's HIV self-test page
// to Meta (dl, cd[content_name]) and Google Analytics (dl, dt); myLAB Box's fertility test to
// Meta and Criteo; Personalabs' search for "pregnancy" and its pregnancy test to Google Ads,
// Meta and Bing. widex.com's page title "Digital Hearing Aids" goes to Google Analytics (utmdt).
TEST_F(RealData, SensitiveTermsOnHealthSites) {
  auto has = [](const std::set<std::string>& hits, const std::string& want) { return hits.count(want) > 0; };
  auto ora = DetectPaths({Har("oraquick.com_chrome-har.har")});
  ASSERT_TRUE(ora.has_value());
  auto ora_hits = SensitiveHits(*ora);
  EXPECT_TRUE(has(ora_hits, "www.facebook.com cd[content_name] hiv test")) << fmt::format("{}", ora_hits);
  EXPECT_TRUE(has(ora_hits, "www.google-analytics.com dt hiv test")) << fmt::format("{}", ora_hits);
  auto lab = DetectPaths({Har("mylabbox.com_chrome-har.har")});
  ASSERT_TRUE(lab.has_value());
  auto lab_hits = SensitiveHits(*lab);
  EXPECT_TRUE(has(lab_hits, "www.facebook.com cd[content_name] fertility")) << fmt::format("{}", lab_hits);
  auto pl = DetectPaths({Har("personalabs.com_chrome-har.har")});
  ASSERT_TRUE(pl.has_value());
  auto pl_hits = SensitiveHits(*pl);
  EXPECT_TRUE(has(pl_hits, "www.google-analytics.com dt pregnancy")) << fmt::format("{}", pl_hits);
  auto wx = DetectPaths({Har("widex.com_fiddler.har")});
  ASSERT_TRUE(wx.has_value());
  EXPECT_EQ(SensitiveHits(*wx), (std::set<std::string>{"www.google-analytics.com utmdt hearing aids"}));
}

}  // namespace
}  // namespace blindspot

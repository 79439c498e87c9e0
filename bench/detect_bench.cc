// Benchmarks of HAR ingest and detection (see bench/README.md).
//
// At start a deterministic HAR of 100,000 entries (about 2-4 KB each, like
// Chrome's exports: full header lists, cookies, timings, some HTML bodies) is
// written to a temp file. It mixes first-party requests with real-world
// tracker URLs, cookies and HTML snippets. Then:
//   BM_HarIngest        read the file's bytes (Env) + HarReader      -> bytes_per_second
//   BM_HarIngestDetect  the CLI's path: app::OpenEvidence + Detect
//                       (built-in kb index, shared)                  -> bytes_per_second
//   BM_HarIngestDetectReusedReader  same, reader reused              -> bytes_per_second
//   BM_ClassifyUrl      KbIndex::ClassifyUrl on 1M URLs              -> items_per_second
// Every benchmark reports the process's peak RSS (MiB) as a counter.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "blindspot/app.h"
#include "blindspot/detect.h"
#include "blindspot/env.h"
#include "blindspot/evidence.h"
#include "blindspot/kb.h"

namespace {

using namespace blindspot;

constexpr int kEntries = 100000;

// Real-world tracker requests (as seen in public HARs), first-party requests
// and the cookies that go with them.
const std::vector<std::string>& TrackerUrls() {
  static const std::vector<std::string> urls = {
      "https://connect.facebook.net/en_US/fbevents.js",
      "https://connect.facebook.net/signals/config/608795229329835?v=2.9.52&r=stable",
      "https://www.facebook.com/tr/"
      "?id=608795229329835&ev=PageView&dl=https%3A%2F%2Fwww.shop-example.nl%2F&rl=&if=false&ts=1643952222065&"
      "sw=1680&sh=1050&v=2.9.52&r=stable&ec=0&o=30&fbp=fb.1.1643952221.123&it=1643952221&coo=false&rqm=GET",
      "https://www.facebook.com/tr/"
      "?id=608795229329835&ev=Lead&ud%5Bem%5D="
      "1c8e3e1f7b0e3bd0d4a3b1f55e0e3f1a7f6a8f3a2c1d0e9f8a7b6c5d4e3f2a1b&ud%5Bph%5D="
      "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
      "https://www.google-analytics.com/analytics.js",
      "https://www.google-analytics.com/j/"
      "collect?v=1&_v=j96&a=1061112812&t=pageview&_s=1&dl=https%3A%2F%2Fwww.shop-example.nl%2F&ul=en-gb&de="
      "UTF-8&dt=Shop&sd=24-bit&sr=1680x1050&vp=1680x948&je=0&_u=YGBACUAABAAAAC~&jid=182588813&gjid="
      "1866661556&cid=878270908.1643952222&tid=UA-643778-1&_gid=2103125417.1643952222&_r=1&gtm=2wg1u0&z="
      "1578043035",
      "https://analytics.google.com/g/"
      "collect?v=2&tid=G-D8LRHP9HJ8&gtm=2oe220&_p=1061112812&sr=1680x1050&_gaz=1&ul=en-gb&cid=878270908."
      "1643952222&_s=1&dl=https%3A%2F%2Fwww.shop-example.nl%2F&dt=Shop&en=page_view",
      "https://stats.g.doubleclick.net/g/"
      "collect?v=2&tid=G-D8LRHP9HJ8&cid=878270908.1643952222&gtm=2oe220&aip=1",
      "https://www.google.com/ads/"
      "ga-audiences?t=sr&aip=1&_r=4&slf_rd=1&v=1&_v=j96&tid=UA-643778-1&cid=878270908.1643952222&jid="
      "182588813",
      "https://www.googletagmanager.com/gtm.js?id=GTM-WZL8XZV&l=gtmDataLayer",
      "https://www.googletagmanager.com/gtag/js?id=G-D8LRHP9HJ8&l=gtmDataLayer&cx=c",
      "https://5127363.fls.doubleclick.net/activityi;src=5127363;type=match0;cat=colli0;u1=7ca29899;ord=1",
      "https://snap.licdn.com/li.lms-analytics/insight.min.js",
      "https://px.ads.linkedin.com/"
      "collect?v=2&fmt=js&pid=2801748&time=1643952221798&url=https%3A%2F%2Fwww.shop-example.nl%2F",
      "https://script.crazyegg.com/pages/scripts/0028/7323.js",
      "https://cdn.decibelinsight.net/i/13755/106543/di.js",
      "https://nebula-cdn.kampyle.com/us/wu/571327/onsite/embed.js",
      "https://tags.bluekai.com/site/85350?vid=039b147782c84352b659f4ed1c53918e",
      "https://match.adsrvr.org/track/cmf/generic?ttd_pid=steelhouse&ttd_tpi=1&ttd_puid=9e998c6e-857a-11ec",
      "https://px.steelhousemedia.com/"
      "st?ga_tracking_id=UA-643778-1&ga_client_id=878270908.1643952222&shpt=Shop",
      "https://img.en25.com/i/elqCfg.min.js",
      "https://statse.webtrendslive.com/dcsmmq6yd10000oagav4wuuq0_7o6w/"
      "dcs.gif?&dcsdat=1513979931466&dcssip=www.shop-example.nl",
      "https://imagesrv.adition.com/js/adition.js",
      "https://widgets.trustedshops.com/js/XAAC0EA57A8522ADF2FB80A83A11D5D98.js",
      "https://de.ioam.de/tx.io?st=enormonl&cp=startseite&sv=ke&pt=CP&rf=&r2=&ur=shop-example.nl",
      "https://static.addtoany.com/menu/page.js",
      "https://fonts.googleapis.com/css?family=PT+Serif:400,700",
      "https://static.hotjar.com/c/hotjar-1234567.js?sv=6",
      "https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0",
      "https://bat.bing.com/action/0?ti=5000000&Ver=2&mid=abc&evt=pageLoad",
      "https://cdn.some-unknown-cdn.example/lib/v3/widget.min.js?build=20240101",
  };
  return urls;
}

std::string FirstPartyUrl(std::mt19937& rng) {
  static const char* kPaths[] = {"/static/js/app.", "/static/css/main.", "/media/catalog/product/",
                                 "/api/v2/cart/",   "/img/hero/",        "/checkout/step/",
                                 "/fonts/inter-"};
  static const char* kExt[] = {".js", ".css", ".jpg", "", ".png", "", ".woff2"};
  size_t k = rng() % 7;
  std::string u = (rng() % 4 == 0) ? "https://cdn.shop-example.nl" : "https://www.shop-example.nl";
  u += kPaths[k];
  u += std::to_string(rng() % 100000);
  u += kExt[k];
  if (rng() % 3 == 0) u += "?v=" + std::to_string(rng() % 1000) + "&lang=nl";
  return u;
}

std::string Header(std::string_view name, std::string_view value) {
  std::string s = "{\"name\": \"";
  s += name;
  s += "\", \"value\": \"";
  s += value;
  s += "\"}";
  return s;
}

const char* kUserAgent =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36";

std::string HtmlBody(std::mt19937& rng) {
  std::string b =
      "<!DOCTYPE html><html lang=\\\"nl\\\"><head><meta charset=\\\"utf-8\\\"><title>Shop</title>"
      "<link rel=\\\"stylesheet\\\" href=\\\"/static/css/main.css\\\">"
      "<script async src=\\\"https://www.googletagmanager.com/gtm.js?id=GTM-WZL8XZV\\\"></script>"
      "<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?"
      "n.callMethod.apply(n,arguments):n.queue.push(arguments)};}(window, document,'script',"
      "'https://connect.facebook.net/en_US/fbevents.js');fbq('init', '608795229329835');"
      "fbq('track', 'PageView');</script></head><body><header><nav>";
  for (int i = 0; i < 12; ++i)
    b += "<a href=\\\"/category/" + std::to_string(rng() % 500) + "\\\">Categorie</a>";
  b += "</nav></header><main><p>Welkom in onze winkel. Bestel voor 22:00, morgen in huis.</p>"
       "<a href=\\\"https://wa.me/31612345678?text=Hallo\\\">WhatsApp</a> "
       "<a href=\\\"tel:+31201234567\\\">Bel ons</a> <a href=\\\"mailto:service@shop-example.nl\\\">Mail</a>"
       "<a href=\\\"https://m.me/shopexample\\\">Messenger</a>";
  for (int i = 0; i < 8; ++i)
    b += "<div class=\\\"product\\\"><img src=\\\"/media/catalog/product/" + std::to_string(rng() % 9000) +
         ".jpg\\\" alt=\\\"Product\\\"><span class=\\\"price\\\">&euro; 19,95</span></div>";
  b += "</main><footer>&copy; Shop</footer></body></html>";
  return b;
}

std::string JsBody(std::mt19937& rng) {
  std::string b = "(function(){var w=window,d=document;";
  int n = 10 + rng() % 20;
  for (int i = 0; i < n; ++i)
    b += "w.fn" + std::to_string(i) + "=function(a,b){return a+b*" + std::to_string(i) + ";};";
  b += "})();";
  return b;
}

std::string Entry(std::mt19937& rng, int i) {
  bool tracker = rng() % 10 < 4;
  const auto& trackers = TrackerUrls();
  std::string url = tracker ? trackers[rng() % trackers.size()] : FirstPartyUrl(rng);
  bool html = !tracker && rng() % 20 == 0;
  bool js = !html && rng() % 3 == 0;
  bool post = tracker && url.find("collect") != std::string::npos;
  std::string host = url.substr(8, url.find('/', 8) - 8);
  std::string e;
  e.reserve(4096);
  e += "{\"pageref\": \"page_1\", \"startedDateTime\": \"2024-03-01T10:00:";
  e += std::to_string(10 + i % 50);
  e += ".123Z\", \"time\": 123.456, \"_resourceType\": \"";
  e += i == 0 ? "document" : (html ? "document" : (js ? "script" : "image"));
  e += "\", \"_initiator\": {\"type\": \"parser\", \"url\": \"https://www.shop-example.nl/\", "
       "\"lineNumber\": 12}, ";
  e += "\"_priority\": \"High\", \"_connectionId\": \"";
  e += std::to_string(1000 + rng() % 9000);
  e += "\", \"serverIPAddress\": \"192.0.2.";
  e += std::to_string(rng() % 250);
  e += "\", \"request\": {\"method\": \"";
  e += post ? "POST" : "GET";
  e += "\", \"url\": \"" + url + "\", \"httpVersion\": \"h2\", \"headers\": [";
  e += Header(":authority", host) + ", " + Header(":method", post ? "POST" : "GET") + ", " +
       Header(":scheme", "https") + ", ";
  e += Header("accept",
              "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8") +
       ", ";
  e += Header("accept-encoding", "gzip, deflate, br") + ", " +
       Header("accept-language", "nl-NL,nl;q=0.9,en;q=0.8") + ", ";
  e += Header("referer", "https://www.shop-example.nl/") + ", " +
       Header("sec-ch-ua", "\\\"Chromium\\\";v=\\\"120\\\"") + ", ";
  e += Header("sec-fetch-dest", "empty") + ", " + Header("sec-fetch-mode", "cors") + ", ";
  e += Header("user-agent", kUserAgent);
  std::string cookie_names;
  if (!tracker) {
    e += ", " + Header("cookie",
                       "_ga=GA1.2.878270908.1643952222; _gid=GA1.2.2103125417.1643952222; "
                       "_fbp=fb.1.1643952221.123; PHPSESSID=q9v8c7x6; cart=3");
  } else if (host.find("facebook.com") != std::string::npos) {
    e += ", " + Header("cookie", "fr=0abcDEF.1643952221; datr=xyz123; sb=abc456");
  } else if (host.find("doubleclick.net") != std::string::npos) {
    e += ", " + Header("cookie", "IDE=AHWqTUk3; DSID=NO_DATA");
  }
  e += "], \"queryString\": [";
  size_t q = url.find('?');
  if (q != std::string::npos) {
    std::string_view qs(url);
    qs.remove_prefix(q + 1);
    bool first = true;
    while (!qs.empty()) {
      size_t amp = qs.find('&');
      std::string_view pair = qs.substr(0, amp);
      size_t eq = pair.find('=');
      if (!first) e += ", ";
      first = false;
      e +=
          Header(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      qs.remove_prefix(amp + 1);
    }
  }
  e += "], \"cookies\": [";
  if (!tracker) {
    e += "{\"name\": \"_ga\", \"value\": \"GA1.2.878270908.1643952222\", \"path\": \"/\", \"domain\": "
         "\".shop-example.nl\", "
         "\"expires\": \"2026-03-01T10:00:00.000Z\", \"httpOnly\": false, \"secure\": false}, "
         "{\"name\": \"_fbp\", \"value\": \"fb.1.1643952221.123\", \"path\": \"/\", \"domain\": "
         "\".shop-example.nl\", "
         "\"expires\": \"2024-06-01T10:00:00.000Z\", \"httpOnly\": false, \"secure\": false}, "
         "{\"name\": \"PHPSESSID\", \"value\": \"q9v8c7x6\", \"path\": \"/\", \"domain\": "
         "\"www.shop-example.nl\", "
         "\"httpOnly\": true, \"secure\": true}";
  }
  e += "], \"headersSize\": -1, \"bodySize\": ";
  if (post) {
    e += "120, \"postData\": {\"mimeType\": \"text/plain;charset=UTF-8\", \"text\": "
         "\"v=1&t=event&ec=scroll&ea=50&cid=878270908.1643952222\"}";
  } else {
    e += "0";
  }
  e += "}, \"response\": {\"status\": 200, \"statusText\": \"\", \"httpVersion\": \"h2\", \"headers\": [";
  std::string mime = html ? "text/html; charset=utf-8" : (js ? "application/javascript" : "image/webp");
  e += Header("content-type", mime) + ", " + Header("cache-control", "public, max-age=31536000") + ", ";
  e += Header("date", "Fri, 01 Mar 2024 10:00:11 GMT") + ", " + Header("server", "nginx") + ", ";
  e += Header("strict-transport-security", "max-age=63072000; includeSubDomains; preload") + ", ";
  e += Header("x-content-type-options", "nosniff") + ", " + Header("access-control-allow-origin", "*") + ", ";
  e += Header("alt-svc", "h3=\\\":443\\\"; ma=86400") + ", " + Header("vary", "Accept-Encoding");
  bool set_cookie = tracker && rng() % 3 == 0;
  if (set_cookie)
    e += ", " + Header("set-cookie",
                       "_gcl_au=1.1.1234567.1643952222; Domain=.shop-example.nl; Path=/; Max-Age=7776000");
  e += "], \"cookies\": [";
  if (set_cookie)
    e += "{\"name\": \"_gcl_au\", \"value\": \"1.1.1234567.1643952222\", \"path\": \"/\", \"domain\": "
         "\".shop-example.nl\", "
         "\"expires\": \"2024-06-01T10:00:00.000Z\", \"httpOnly\": false, \"secure\": false}";
  e += "], \"content\": {\"size\": ";
  std::string body = html ? HtmlBody(rng) : (js ? JsBody(rng) : "");
  e += std::to_string(body.size() + 100);
  e += ", \"mimeType\": \"" + mime + "\"";
  if (!body.empty()) e += ", \"text\": \"" + body + "\"";
  e += "}, \"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": ";
  e += std::to_string(body.size());
  e += ", \"_transferSize\": ";
  e += std::to_string(body.size() + 450);
  e += ", \"_error\": null}, \"cache\": {}, \"timings\": {\"blocked\": 1.234, \"dns\": -1, \"ssl\": -1, "
       "\"connect\": -1, \"send\": 0.123, \"wait\": 45.678, \"receive\": 2.345, \"_blocked_queueing\": 0.8}}";
  return e;
}

struct Fixture {
  std::string path;
  uint64_t size = 0;
  std::shared_ptr<const KbIndex> index;  // the built-in kb, compiled once (as the CLI shares it)
  std::vector<std::string> urls;         // 1M URLs for ClassifyUrl
};

// The file's bytes as the application layer reads them (with the parser's padding).
Result<std::string> ReadBytes(const std::string& path) {
  return Env::Default().ReadFile(path, InputLimits{}.max_evidence_bytes, 64);
}

Fixture* g_fixture = nullptr;

Fixture& Get() {
  if (g_fixture) return *g_fixture;
  auto index = app::LoadKbIndex(app::Options{});
  if (!index) {
    std::fprintf(stderr, "%s", index.error().Format().c_str());
    std::exit(1);
  }
  g_fixture = new Fixture{"", 0, std::move(*index), {}};
  Fixture& f = *g_fixture;
  f.path = (std::filesystem::temp_directory_path() /
            ("blindspot_detect_bench_" + std::to_string(getpid()) + ".har"))
               .string();
  std::mt19937 rng(20240301);
  {
    std::ofstream out(f.path, std::ios::binary);
    out << "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"WebInspector\", \"version\": "
           "\"537.36\"}, "
           "\"pages\": [{\"startedDateTime\": \"2024-03-01T10:00:10.000Z\", \"id\": \"page_1\", "
           "\"title\": \"https://www.shop-example.nl/\", \"pageTimings\": {\"onContentLoad\": 812.5, "
           "\"onLoad\": 1650.2}}], "
           "\"entries\": [\n";
    for (int i = 0; i < kEntries; ++i) {
      if (i) out << ",\n";
      out << Entry(rng, i);
    }
    out << "\n]}}\n";
  }
  f.size = std::filesystem::file_size(f.path);
  std::fprintf(stderr, "generated %s: %d entries, %.1f MB\n", f.path.c_str(), kEntries, f.size / 1e6);
  return f;
}

void PeakRss(benchmark::State& state) {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

// (a) Reading the file's bytes and parsing them with a HarReader. A fresh
// reader per iteration, as each evidence source of the CLI has its own;
// range(0) == 1 reuses one reader (warm buffers).
void BM_HarIngest(benchmark::State& state) {
  Fixture& f = Get();
  HarReader shared;
  uint64_t n = 0;
  for (auto _ : state) {
    HarReader fresh;
    HarReader& reader = state.range(0) ? shared : fresh;
    auto data = ReadBytes(f.path);
    if (!data) {
      state.SkipWithError(data.error().Format().c_str());
      return;
    }
    auto r = reader.ReadOwned(*data, f.path, [&](const EvidenceRecord& e) { n += e.url.size(); });
    if (!r) {
      state.SkipWithError(r.error().Format().c_str());
      return;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.size));
  PeakRss(state);
}
BENCHMARK(BM_HarIngest)
    ->ArgName("reuse_reader")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_HarIngestDetect(benchmark::State& state) {
  Fixture& f = Get();
  size_t touchpoints = 0;
  uint64_t third = 0;
  app::Options o;
  for (auto _ : state) {
    auto sources = app::OpenEvidence(o, {f.path}, nullptr);
    if (!sources) {
      state.SkipWithError(sources.error().Format().c_str());
      return;
    }
    auto r = blindspot::Detect(f.index, sources->sources);
    if (!r) {
      state.SkipWithError(r.error().Format().c_str());
      return;
    }
    touchpoints = r->touchpoints.size();
    third = r->third_party_hosts.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.size));
  state.counters["touchpoints"] = static_cast<double>(touchpoints);
  state.counters["third_party_hosts"] = static_cast<double>(third);
  PeakRss(state);
}
BENCHMARK(BM_HarIngestDetect)->Unit(benchmark::kMillisecond)->Iterations(3);

// (b') Same with one HarReader reused across iterations: compared with
// BM_HarIngest/reuse_reader:1 this isolates the cost of detection itself.
void BM_HarIngestDetectReusedReader(benchmark::State& state) {
  Fixture& f = Get();
  HarReader reader;
  size_t touchpoints = 0;
  for (auto _ : state) {
    auto data = ReadBytes(f.path);
    if (!data) {
      state.SkipWithError(data.error().Format().c_str());
      return;
    }
    Detector d(f.index);
    d.BeginSource("bench.har", "har");
    auto r = reader.ReadOwned(*data, f.path, [&](const EvidenceRecord& e) { d.Observe(e); });
    if (!r) {
      state.SkipWithError(r.error().Format().c_str());
      return;
    }
    d.EndSource(*r);
    DetectionResult res = d.Finish();
    touchpoints = res.touchpoints.size();
    benchmark::DoNotOptimize(res);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.size));
  state.counters["touchpoints"] = static_cast<double>(touchpoints);
  PeakRss(state);
}
BENCHMARK(BM_HarIngestDetectReusedReader)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ClassifyUrl(benchmark::State& state) {
  Fixture& f = Get();
  if (f.urls.empty()) {  // made here, not at start, so the ingest benchmarks' peak RSS excludes them
    std::mt19937 rng(7);
    const auto& trackers = TrackerUrls();
    f.urls.reserve(1000000);
    for (int i = 0; i < 1000000; ++i)
      f.urls.push_back(rng() % 10 < 4 ? trackers[rng() % trackers.size()] : FirstPartyUrl(rng));
  }
  const KbIndex& index = *f.index;
  size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const std::string& u : f.urls) matched += index.ClassifyUrl(u) != nullptr;
    benchmark::DoNotOptimize(matched);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.urls.size()));
  state.counters["matched_share"] = static_cast<double>(matched) / f.urls.size();
  PeakRss(state);
}
BENCHMARK(BM_ClassifyUrl)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_fixture) std::filesystem::remove(g_fixture->path);
  return 0;
}

// HAR ingest throughput: HarReader over a generated Chrome-like HAR (100,000
// entries: 425 MB pretty-printed, 274 MB minified) and over the real files;
// ReadBuffer includes one memcpy of the input. Reports throughput as
// bytes_per_second. Run: build/<dir>/bench/har_read_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "blindspot/evidence.h"
#include "evidence/har_gen.h"

namespace {

const std::string& Generated(bool pretty) {
  static std::string pretty_har, minified_har;
  std::string& s = pretty ? pretty_har : minified_har;
  if (s.empty()) {
    blindspot::evidence_testing::HarGenOptions opt;
    opt.entries = 100000;
    opt.pretty = pretty;
    s = blindspot::evidence_testing::GenerateHar(opt);
  }
  return s;
}

void RunRead(benchmark::State& state, const std::string& har) {
  blindspot::HarReader reader;
  uint64_t sink = 0;
  for (auto _ : state) {
    auto res = reader.ReadBuffer(har, "bench.har", [&](const blindspot::EvidenceRecord& e) {
      sink += e.url.size() + e.request_cookies.size() + e.body.size();
    });
    if (!res) {
      state.SkipWithError(res.error().Format().c_str());
      return;
    }
    benchmark::DoNotOptimize(sink);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(har.size()));
  state.counters["MB"] = static_cast<double>(har.size()) / 1e6;
}

void BM_HarReadGeneratedPretty(benchmark::State& state) { RunRead(state, Generated(true)); }
void BM_HarReadGeneratedMinified(benchmark::State& state) { RunRead(state, Generated(false)); }

// The real files live next to the repository (../shared/realdata); the
// BLINDSPOT_REALDATA_DIR environment variable overrides the location.
std::string RealDataDir() {
  if (const char* env = std::getenv("BLINDSPOT_REALDATA_DIR")) return env;
  std::string here = __FILE__;  // <root>/bench/har_read_bench.cc
  return here.substr(0, here.rfind("/bench/")) + "/../shared/realdata";
}

void BM_HarReadRealFile(benchmark::State& state, const char* name) {
  std::ifstream in(RealDataDir() + "/har/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string har = ss.str();
  if (har.empty()) {
    state.SkipWithError("real HAR file not found");
    return;
  }
  RunRead(state, har);
}

void BM_ExtractLinksGeneratedHtml(benchmark::State& state) {
  std::string html =
      "<!DOCTYPE html><html><head><script src=\"https://connect.facebook.net/x.js\"></script></head><body>";
  for (int k = 0; k < 2000; ++k) {
    html += "<div class=\"row\"><p>Lorem ipsum dolor sit amet " + std::to_string(k) +
            ".</p><a href=\"/page/" + std::to_string(k) + "\">more</a></div>\n";
  }
  html += "<a href=\"https://wa.me/31612345678\">WhatsApp</a></body></html>";
  size_t n = 0;
  for (auto _ : state) {
    n += blindspot::ExtractLinks(html).size();
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(html.size()));
}

}  // namespace

BENCHMARK(BM_HarReadGeneratedPretty)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HarReadGeneratedMinified)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_HarReadRealFile, ferguson, "ferguson.com.har")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_HarReadRealFile, enorm, "chrome_enorm-magazin.de.har")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExtractLinksGeneratedHtml)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

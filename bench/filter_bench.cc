// Times the filter engine the way bench/filter_peer.mjs times uBlock Origin
// and Ghostery, for bench/filter_compare.sh. Not a Google Benchmark program:
// it prints one JSON object, like the peers.
//
//   filter_bench --list FILE [--list FILE] --requests FILE [--decisions OUT] [--no-timing]
//
// The requests file has lines "url<TAB>source_url<TAB>type". --decisions
// writes "block<TAB>filter text" or "allow" per request (what `blindspot
// match-filters` prints). Timed: building the engine from the list texts
// (files are read before), then a second pass over the corpus with each
// Match() call timed on its own (steady_clock; the clock's own cost, the
// median of back-to-back readings, subtracted), then a third pass in one
// stretch for the mean. The first pass warms caches and records decisions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/filter.h"

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "filter_bench: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string BaseName(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

using Clock = std::chrono::steady_clock;
double Ns(Clock::duration d) { return std::chrono::duration<double, std::nano>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> lists;
  std::string requests_path, decisions_path;
  bool timing = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--list" && i + 1 < argc) {
      lists.push_back(argv[++i]);
    } else if (a == "--requests" && i + 1 < argc) {
      requests_path = argv[++i];
    } else if (a == "--decisions" && i + 1 < argc) {
      decisions_path = argv[++i];
    } else if (a == "--no-timing") {
      timing = false;
    } else {
      std::cerr << "usage: filter_bench --list FILE [--list FILE] --requests FILE [--decisions OUT] "
                   "[--no-timing]\n";
      return 2;
    }
  }
  if (lists.empty() || requests_path.empty()) {
    std::cerr << "filter_bench: --list and --requests are required\n";
    return 2;
  }
  std::vector<std::string> texts;
  for (const std::string& l : lists) texts.push_back(ReadAll(l));
  std::string corpus = ReadAll(requests_path);
  std::vector<blindspot::FilterRequest> requests;
  for (size_t pos = 0; pos < corpus.size();) {
    size_t end = corpus.find('\n', pos);
    if (end == std::string::npos) end = corpus.size();
    std::string_view line(corpus.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t1 == std::string_view::npos || t2 == std::string_view::npos) continue;
    blindspot::FilterRequest r;
    r.url = line.substr(0, t1);
    r.source_url = line.substr(t1 + 1, t2 - t1 - 1);
    r.type = blindspot::ParseResourceType(line.substr(t2 + 1)).value_or(blindspot::ResourceType::kOther);
    requests.push_back(r);
  }

  auto t0 = Clock::now();
  blindspot::FilterEngine::Builder b;
  for (size_t i = 0; i < lists.size(); ++i) b.AddList(BaseName(lists[i]), std::move(texts[i]));
  std::shared_ptr<const blindspot::FilterEngine> engine = b.Build();
  double load_ns = Ns(Clock::now() - t0);

  // Pass 1: decisions (and warm caches).
  size_t blocked = 0;
  std::string out;
  for (const auto& r : requests) {
    blindspot::FilterDecision d = engine->Match(r);
    if (d.block) {
      ++blocked;
      out += "block\t";
      out += d.filter->text;
      out += '\n';
    } else {
      out += "allow\n";
    }
  }
  if (!decisions_path.empty()) {
    std::ofstream f(decisions_path, std::ios::binary);
    f << out;
  }

  std::printf(
      "{\"engine\":\"blindspot\",\"requests\":%zu,\"blocked\":%zu,\"load_ms\":%.3f,\"filters\":%zu,"
      "\"memory_bytes\":%zu",
      requests.size(), blocked, load_ns / 1e6, engine->filter_count(), engine->memory_bytes());
  if (timing) {
    std::vector<double> probe(100000);
    for (double& p : probe) {
      auto a = Clock::now();
      p = Ns(Clock::now() - a);
    }
    std::sort(probe.begin(), probe.end());
    double overhead = probe[probe.size() / 2];
    std::vector<double> ns(requests.size());
    size_t sink = 0;
    for (size_t i = 0; i < requests.size(); ++i) {
      auto a = Clock::now();
      sink += engine->Match(requests[i]).block;
      ns[i] = Ns(Clock::now() - a) - overhead;
    }
    auto p0 = Clock::now();
    for (const auto& r : requests) sink += engine->Match(r).block;
    double pass = Ns(Clock::now() - p0);
    std::sort(ns.begin(), ns.end());
    auto pct = [&](double p) { return ns[std::min(ns.size() - 1, static_cast<size_t>(ns.size() * p))]; };
    std::printf(
        ",\"timer_overhead_ns\":%.1f,\"median_ns\":%.1f,\"p90_ns\":%.1f,\"p99_ns\":%.1f,\"mean_ns\":%.1f",
        overhead, pct(0.5), pct(0.9), pct(0.99), pass / requests.size());
    if (sink == 42) std::fprintf(stderr, " ");
  }
  std::printf("}\n");
  return 0;
}

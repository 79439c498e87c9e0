// libFuzzer target: the filter engine. The input is split at the first NUL
// byte: before it a filter list (every line parsed, compiled, indexed), after
// it requests, one a line ("url<TAB>source<TAB>type" or just a URL), matched
// against the list and against a fixed engine over a small real-looking list.
// Checks: nothing crashes or reads out of bounds (ASan), every decision names
// a filter of the engine when it blocks, matching is deterministic, and a
// warning always carries the list name and a line number.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "blindspot/filter.h"

namespace {

const blindspot::FilterEngine& Fixed() {
  static const std::shared_ptr<const blindspot::FilterEngine> e = [] {
    blindspot::FilterEngine::Builder b;
    b.AddList(
        "fixed.txt",
        "||tracker.example^$third-party\n/ads/*/banner^\n|https://a.example/x|\n@@||tracker.example/ok^\n"
        "/^https?:\\/\\/[a-z]+\\.pixel\\.example\\/\\d+/$image\n*$ping,domain=~site.example\n"
        "||imp.example^$important\n@@||imp.example^\nevil.example\n%2Fevent.gif%3F\n"
        "||cdn.example^$script,to=~safe.cdn.example,strict3p\n");
    return b.Build();
  }();
  return *e;
}

void MatchAll(const blindspot::FilterEngine& e, std::string_view requests) {
  for (size_t pos = 0; pos <= requests.size();) {
    size_t end = requests.find('\n', pos);
    if (end == std::string_view::npos) end = requests.size();
    std::string_view line = requests.substr(pos, end - pos);
    pos = end + 1;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    blindspot::FilterRequest r;
    r.url = line.substr(0, t1);
    if (t1 != std::string_view::npos) r.source_url = line.substr(t1 + 1, t2 == t1 ? t2 : t2 - t1 - 1);
    if (t2 != std::string_view::npos)
      r.type = blindspot::ParseResourceType(line.substr(t2 + 1)).value_or(blindspot::ResourceType::kOther);
    blindspot::FilterDecision d = e.Match(r);
    if (d.block && d.filter == nullptr) __builtin_trap();
    if (d.filter && d.filter->list.empty()) __builtin_trap();
    blindspot::FilterDecision again = e.Match(r);
    if (again.block != d.block || again.filter != d.filter) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view list = in.substr(0, nul);
  std::string_view requests = nul == std::string_view::npos ? in : in.substr(nul + 1);
  blindspot::FilterEngine::Builder b;
  b.AddList("fuzz.txt", std::string(list));
  std::shared_ptr<const blindspot::FilterEngine> e = b.Build();
  for (const blindspot::Error& w : e->warnings())
    if (w.where.file != "fuzz.txt" || w.where.line == 0) __builtin_trap();
  MatchAll(*e, requests);
  MatchAll(Fixed(), requests);
  return 0;
}

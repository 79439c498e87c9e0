// libFuzzer target for the TCF v2 consent string decoder (ParseTcString).
// Checks besides "no crash, no sanitizer report": an error has a message; a
// decoded string is version 2, its purposes are 1..24 and its vendor ids
// ascending and within their maximum. See docs/fuzzing.md.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "blindspot/tc_string.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tc = blindspot::ParseTcString(text);
  if (!tc) {
    if (tc.error().message.empty()) std::abort();
    return 0;
  }
  if (tc->version != 2) std::abort();
  for (const auto* list : {&tc->purposes_consent, &tc->purposes_li})
    for (int p : *list)
      if (p < 1 || p > 24) std::abort();
  if (!std::is_sorted(tc->vendors_li.begin(), tc->vendors_li.end())) std::abort();
  if (!tc->vendors_li.empty() && tc->vendors_li.back() > tc->max_vendor_li) std::abort();
  if (!tc->vendors_consent.empty() && tc->vendors_consent.back() > tc->max_vendor_consent) std::abort();
  return 0;
}

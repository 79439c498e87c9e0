// libFuzzer target for the register readers: the native format
// (ParseRegisterText) and the Fides importer. Properties checked besides "no
// crash, no exception, no sanitizer report":
//   - every error carries a message and, when it has a line, a column;
//   - a register that was read can be written and read back to an equal register.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "blindspot/io.h"

namespace {

void CheckErrors(const blindspot::Diagnostics& d) {
  if (d.empty()) std::abort();
  for (const auto& e : d) {
    if (e.message.empty()) std::abort();
    if (e.where.line > 0 && e.where.column == 0) std::abort();
    (void)e.Format();
  }
}

void CheckRoundTrip(const blindspot::Register& r) {
  std::string yaml = blindspot::WriteRegisterYaml(r);
  auto back = blindspot::ParseRegisterText(yaml, r.source);
  if (!back) std::abort();
  blindspot::Register a = r, b = *back;
  blindspot::ClearLocations(a);
  blindspot::ClearLocations(b);
  if (!(a == b)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto native = blindspot::ParseRegisterText(text, "fuzz.yaml");
  if (native)
    CheckRoundTrip(*native);
  else
    CheckErrors(native.error());

  const blindspot::Importer* fides = blindspot::FindImporter("fides");
  (void)fides->sniff(text);
  auto imported = fides->import(text, "fuzz.yml");
  if (imported)
    CheckRoundTrip(*imported);
  else
    CheckErrors(imported.error());
  return 0;
}

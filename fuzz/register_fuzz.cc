// libFuzzer target for the register readers: the native format
// (ParseRegisterText) and the Fides importer. Properties checked besides "no
// crash, no exception, no sanitizer report":
//   - every error carries a message and, when it has a line, a column;
//   - a register that was read can be written (YAML and JSON) and read back to
//     an equal register, nested ids included;
//   - the source map of a register that was read locates its items in the file.
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

void CheckRoundTrip(const blindspot::LoadedRegister& loaded) {
  const blindspot::Register& r = loaded.reg;
  for (const std::string& written : {blindspot::WriteRegisterYaml(r), blindspot::WriteRegisterJson(r)}) {
    auto back = blindspot::ParseRegisterText(written, r.source);
    if (!back) std::abort();
    if (!(back->reg == r)) std::abort();
  }
  // Items that were read from the file have a position in it (a path falls
  // back to its enclosing one, so every item resolves to a line).
  for (const auto& a : r.activities)
    if (!loaded.map.empty() && loaded.map.Find(blindspot::path::Item("activities", a.id)).line == 0)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  blindspot::RegisterReadOptions options;
  options.today = "2026-01-01";  // enables the date plausibility warnings
  auto native = blindspot::ParseRegisterText(text, "fuzz.yaml", options);
  if (native)
    CheckRoundTrip(*native);
  else
    CheckErrors(native.error());

  const blindspot::Importer* fides = blindspot::FindImporter("fides");
  (void)fides->sniff(text);
  auto imported = fides->import(text, "fuzz.yml", options);
  if (imported)
    CheckRoundTrip(*imported);
  else
    CheckErrors(imported.error());
  return 0;
}

// libFuzzer target for the register importers: the input through every
// importer in the registry (AllImporters(): fides, vws, privacyregister,
// spreadsheet and one per spreadsheet template), first its `sniff`, then its
// `import`; a register that imports goes through every exporter
// (AllExporters()). The language of the exports is chosen by the input's
// length, so nl, en and de labels all run.
//
// Checks besides "no crash, no exception, no sanitizer report":
//   - every error has a message, a column when it has a line, and formats;
//     an import that fails returns at least one error, and not only
//     warnings;
//   - an imported register passes the validation the importers apply
//     (ValidateRegister: no errors, warnings allowed);
//   - it can be written (WriteRegisterYaml and WriteRegisterJson) and read
//     back (ParseRegisterText) to an equal register;
//   - every exporter writes it or returns an error with a message, and never
//     throws; what the `yaml` and `json` exporters write reads back to an
//     equal register.
// See docs/fuzzing.md.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "blindspot/io.h"

namespace {

[[noreturn]] void Fail(const std::string& who, const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "import_fuzz: %s: %s: %.*s\n", who.c_str(), what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void CheckError(const std::string& who, const blindspot::Error& e) {
  if (e.message.empty()) Fail(who, "an error without a message");
  if (e.where.line > 0 && e.where.column == 0) Fail(who, "an error with a line but no column", e.message);
  (void)e.Format();
}

void CheckErrors(const std::string& who, const blindspot::Diagnostics& d) {
  if (d.empty()) Fail(who, "a failed import without errors");
  bool error = false;
  for (const auto& e : d) {
    CheckError(who, e);
    error = error || !e.warning;
  }
  if (!error) Fail(who, "a failed import with only warnings", d.front().message);
}

void ReadsBackEqual(const std::string& who, const char* what, const std::string& text,
                    const blindspot::Register& r) {
  auto back = blindspot::ParseRegisterText(text, r.source);
  if (!back) Fail(who, what, back.error().front().Format() + "\n" + text);
  if (!(back->reg == r)) Fail(who, what, text);
}

void CheckImported(const std::string& who, const blindspot::LoadedRegister& loaded, size_t size) {
  const blindspot::Register& r = loaded.reg;
  for (const auto& w : loaded.warnings) CheckError(who, w);
  for (const auto& e : blindspot::ValidateRegister(r))
    if (!e.warning) Fail(who, "an imported register does not validate", e.Format());

  ReadsBackEqual(who, "WriteRegisterYaml does not read back equal", blindspot::WriteRegisterYaml(r), r);
  ReadsBackEqual(who, "WriteRegisterJson does not read back equal", blindspot::WriteRegisterJson(r), r);

  static const char* const kLangs[] = {"en", "nl", "de"};
  blindspot::ExportOptions options;
  options.lang = kLangs[size % 3];
  options.today = "2026-01-01";
  for (const auto& ex : blindspot::AllExporters()) {
    std::string tag = who + " -> " + ex.name;
    try {
      auto out = ex.write(r, options);
      if (!out) {
        CheckError(tag, out.error());
      } else if (ex.name == "yaml" || ex.name == "json") {
        ReadsBackEqual(tag, "the export does not read back equal", *out, r);
      }
    } catch (const std::exception& e) {
      Fail(tag, "the exporter threw", e.what());
    } catch (...) {
      Fail(tag, "the exporter threw");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  blindspot::RegisterReadOptions options;
  options.today = "2026-01-01";  // enables the date plausibility warnings
  for (const auto& imp : blindspot::AllImporters()) {
    try {
      if (imp.sniff) (void)imp.sniff(text);
      auto imported = imp.import(text, "fuzz.in", options);
      if (imported)
        CheckImported(imp.name, *imported, size);
      else
        CheckErrors(imp.name, imported.error());
    } catch (const std::exception& e) {
      Fail(imp.name, "the importer threw", e.what());
    }
  }
  return 0;
}

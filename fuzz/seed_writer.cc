// Writes the seeds of sheet_fuzz and import_fuzz that need the library's own
// writers (fuzz/make_seeds.py runs it when it is built; docs/fuzzing.md):
//
//   seed_writer REGISTER.yaml OUT
//
// OUT/sheet:  small workbooks written with WriteXlsx (one and two sheets,
//             accents, line breaks, a long cell, empty cells, formula-like
//             text) and the register's XLSX and CSV exports;
// OUT/import: the register in every export format (nl and en labels).
// Exits non-zero with a message when something cannot be read or written.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/io.h"

namespace {

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    std::fprintf(stderr, "seed_writer: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: seed_writer REGISTER.yaml OUT\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "seed_writer: cannot read %s\n", argv[1]);
    return 1;
  }
  auto reg = blindspot::ParseRegisterText(text.str(), argv[1]);
  if (!reg) {
    for (const auto& e : reg.error()) std::fprintf(stderr, "%s\n", e.Format().c_str());
    return 1;
  }
  const std::string out = argv[2];

  using blindspot::XlsxSheet;
  const std::vector<std::pair<std::string, std::vector<XlsxSheet>>> books = {
      {"one",
       {{"Register",
         {"Naam verwerking", "Doel", "Grondslag"},
         {{"Salaris", "Betalen", "Wettelijke plicht"}},
         {}}}},
      {"two",
       {{"Toelichting", {"Lees mij"}, {{"Eerst dit"}}, {}},
        {"Register",
         {"Name of processing", "Purpose", "Lawful basis", "Retention"},
         {{"CRM", "Customer care", "Contract", "P2Y"}, {"Newsletter", "Marketing", "Consent", ""}},
         {30, 20}}}},
      {"accents",
       {{"Verarbeitung",
         {"Zweck", "Empfänger"},
         {{"Gehaltsabrechnung\nzweite Zeile", "Finanzamt ≠ €"}},
         {}}}},
      {"formula-text",
       {{"Sheet1", {"=HYPERLINK(\"x\")", "+1", "-5", "@SUM(A1)"}, {{"=1+1", "\tx", "\ry", "'z"}}, {}}}},
      {"empty-cells", {{"Blad1", {"A", "", "C"}, {{"", "b", ""}, {}, {"a"}}, {}}}},
      {"long-cell", {{"Long", {"note"}, {{std::string(300, 'x')}, {std::string(150, 'y') + "é"}}, {}}}},
      {"header-only", {{"Register", {"Activity", "Purpose", "Lawful basis", "Data subjects"}, {}, {}}}},
  };
  for (const auto& [name, sheets] : books) {
    auto bytes = blindspot::WriteXlsx(sheets);
    if (!bytes) {
      std::fprintf(stderr, "seed_writer: %s: %s\n", name.c_str(), bytes.error().Format().c_str());
      return 1;
    }
    if (!Write(out + "/sheet/writer-" + name + ".xlsx", *bytes)) return 1;
  }

  for (const auto& ex : blindspot::AllExporters()) {
    for (const char* lang : {"en", "nl"}) {
      blindspot::ExportOptions options;
      options.lang = lang;
      auto bytes = ex.write(reg->reg, options);
      if (!bytes) {
        std::fprintf(stderr, "seed_writer: export %s: %s\n", ex.name.c_str(), bytes.error().Format().c_str());
        return 1;
      }
      std::string ext = ex.extensions.empty() ? ".out" : ex.extensions.front();
      std::string base = "export-" + ex.name + "-" + lang + ext;
      if (!Write(out + "/import/" + base, *bytes)) return 1;
      if (ext == ".xlsx" || ext == ".csv")
        if (!Write(out + "/sheet/" + base, *bytes)) return 1;
    }
  }
  return 0;
}

// Factories of the register exporters; each lives in its own src/io/<name>_exporter.cc
// and is listed once in src/io/registry.cc (docs/formats/export.md).
#pragma once
#include "blindspot/io.h"

namespace blindspot {

Exporter YamlExporter();   // native YAML (WriteRegisterYaml), .yaml/.yml
Exporter JsonExporter();   // native JSON (WriteRegisterJson), .json
Exporter CsvExporter();    // flat register, one row per activity, .csv
Exporter XlsxExporter();   // the same flat register as one XLSX sheet, .xlsx
Exporter FidesExporter();  // Fides / fideslang manifest, .fides.yaml
Exporter DpvExporter();    // W3C DPV JSON-LD, .jsonld
Exporter VwsExporter();    // VWS Verwerkingsregister JSON, .vws.json

// ExporterForPath over `exporters` (tests give their own list).
std::expected<const Exporter*, Error> ExporterForPathIn(std::string_view path,
                                                        const std::vector<Exporter>& exporters);

// The flat register shared by the CSV and XLSX exporters: the header in
// `lang` (nl, en, de) and one row per activity, lists joined with newlines.
// Cells are not yet neutralised (the writers do it).
struct FlatTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
FlatTable FlatRegister(const Register& reg, std::string_view lang);

}  // namespace blindspot

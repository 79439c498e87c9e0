// Factories of the register exporters; each lives in its own src/io/<name>_exporter.cc
// and is listed once in src/io/registry.cc (docs/formats/export.md).
#pragma once
#include "blindspot/io.h"

namespace blindspot {

Exporter YamlExporter();     // native YAML (WriteRegisterYaml), .yaml/.yml
Exporter JsonExporter();     // native JSON (WriteRegisterJson), .json
Exporter XlsxExporter();     // the VNG model layout as XLSX, .xlsx (layout_exporter.cc)
Exporter CsvExporter();      // the VNG model layout as CSV, .csv
Exporter IcoXlsxExporter();  // the ICO controller template's layout as XLSX
Exporter IcoCsvExporter();   // the ICO controller template's layout as CSV
Exporter FidesExporter();    // Fides / fideslang manifest, .fides.yaml
Exporter DpvExporter();      // W3C DPV JSON-LD, .jsonld
Exporter VwsExporter();      // VWS Verwerkingsregister JSON, .vws.json

// ExporterForPath over `exporters` (tests give their own list).
std::expected<const Exporter*, Error> ExporterForPathIn(std::string_view path,
                                                        const std::vector<Exporter>& exporters);

// A table for the spreadsheet writers: a header row and one row per activity.
// Cells are not yet neutralised (the writers do it).
struct FlatTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
// The register in the layout of the spreadsheet template `layout` (nl-vng,
// ico-controller); empty when there is no such template.
FlatTable LayoutTable(const Register& reg, std::string_view layout);
// RFC 4180 CSV with a UTF-8 byte-order mark, every cell neutralised.
std::string CsvTable(const FlatTable& t);

}  // namespace blindspot

// Register formats: the native YAML/JSON format (docs/formats/register.md),
// importers for other formats and exporters to them (one file each in src/io/,
// one registry line in src/io/registry.cc; docs/formats/export.md). Everything
// here is pure: text in, model out, model in, text out (files are read and
// written by the application layer through an Env). The one exception is
// WriteXlsx: libxlsxwriter 1.1.4 can only write to a path, so it writes a
// private temporary file and reads it back (see WriteXlsx).
#pragma once
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/register.h"

namespace blindspot {

struct RegisterReadOptions {
  // Today's date (YYYY-MM-DD) for plausibility warnings such as an agreement
  // signed in the future; empty = no such warnings.
  std::string today;
  // The ids of the knowledge base in use: when not empty, the native reader
  // warns about each touchpoint whose product is not one of them
  // (CheckProductIds, with file:line:col). The views must outlive the read.
  std::vector<std::string_view> kb_ids;
  // Spreadsheet registers: a column map (YAML text, `columns: {"Header": field}`)
  // used instead of the templates, and the file it came from (for messages).
  std::string column_map;
  std::string column_map_file;
};

// A register as read from a file: the model, where each field path was
// written, and warnings (the register is usable; the user should look).
struct LoadedRegister {
  Register reg;
  SourceMap map;
  Diagnostics warnings;
};

// Parses the native format (YAML, or JSON which is read by the same parser).
// Strict: unknown keys, wrong types, bad enum values, vocabulary values,
// country codes and dates, then ValidateRegister(). On failure returns ALL
// problems (each with file:line:col, what was expected and a hint). Nested
// items without an id get derived ids (AssignDerivedIds).
std::expected<LoadedRegister, Diagnostics> ParseRegisterText(std::string_view text, const std::string& file,
                                                             const RegisterReadOptions& options = {});

// Serialises to the native format, ids of nested items included, so
// ParseRegisterText(WriteRegisterYaml(r)) yields an equal register (source
// aside); WriteRegisterJson writes the same structure as JSON.
std::string WriteRegisterYaml(const Register& reg);
std::string WriteRegisterJson(const Register& reg);

struct Importer {
  std::string name;  // "fides"
  std::string description;
  // True when `text` looks like this format (used to accept it in --register).
  std::function<bool(std::string_view text)> sniff;
  std::function<std::expected<LoadedRegister, Diagnostics>(std::string_view text, const std::string& file,
                                                           const RegisterReadOptions& options)>
      import;
};
const std::vector<Importer>& AllImporters();
const Importer* FindImporter(std::string_view name);

// A starting column map for a spreadsheet register (XLSX or CSV): YAML with
// comments, each column of the header row mapped to its best guess (a field a
// template knows it by, else `note`). Edit it, then import with --columns.
std::expected<std::string, Diagnostics> SpreadsheetColumnMap(std::string_view bytes, const std::string& file);

// Parses a register in the native format or any format an importer sniffs.
std::expected<LoadedRegister, Diagnostics> ParseAnyRegister(std::string_view text, const std::string& file,
                                                            const RegisterReadOptions& options = {});

// ---- exporters -----------------------------------------------------------------

struct ExportOptions {
  std::string lang = "en";  // language of labels and headers: nl, en, de
  std::string today;        // YYYY-MM-DD (e.g. a generation date); empty = none
};

struct Exporter {
  std::string name;  // "fides"
  std::string description;
  // File name endings this exporter writes (".csv", ".fides.yaml"); see ExporterForPath.
  std::vector<std::string> extensions;
  // Chosen for its extension when several exporters share it.
  bool default_for_extension = false;
  std::function<std::expected<std::string, Error>(const Register&, const ExportOptions&)> write;
};
const std::vector<Exporter>& AllExporters();
const Exporter* FindExporter(std::string_view name);
// The exporter for an output path: among the exporters whose extension ends
// the path (case ignored) those with the longest one ("x.fides.yaml" is
// fides, not yaml); if that is one exporter, it; else the one marked
// default_for_extension. A kUsage error when no exporter has the extension
// or several do and none is the default (the message lists the candidates).
std::expected<const Exporter*, Error> ExporterForPath(std::string_view path);

// OWASP "CSV Injection": a spreadsheet cell that starts with '=', '+', '-',
// '@', a tab or a carriage return is a formula to Excel and LibreOffice; such
// a cell gets a leading apostrophe so it stays text. Every spreadsheet writer
// (CSV, XLSX) passes every cell through this. Importers do NOT undo it (a
// leading apostrophe read back is kept as text: the reader cannot tell it from
// one the user typed). A negative number ("-5") is neutralised too: a register
// has no numeric cells, and "-5+cmd|..." must not slip through as "a number".
std::string NeutraliseFormula(std::string_view cell);

// One sheet of a workbook: a bold, frozen header row with an autofilter over
// header and rows. widths[i] is column i's width in characters (0 or missing =
// the default). Cells are neutralised (NeutraliseFormula) and written as text.
struct XlsxSheet {
  std::string name;  // at most 31 characters, none of []:*?/\ (checked)
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<double> widths;
};
// The workbook's bytes (an .xlsx file). libxlsxwriter 1.1.4 writes only to a
// path, so this is the one place the io library touches the file system: it
// writes a private file (mkstemp in $TMPDIR, else /tmp), reads it back and
// removes it, also on error.
std::expected<std::string, Error> WriteXlsx(const std::vector<XlsxSheet>& sheets);

}  // namespace blindspot

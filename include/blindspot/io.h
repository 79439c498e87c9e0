// Register formats: the native YAML/JSON format (docs/formats/register.md) and
// importers for other formats (one file each in src/io/, one registry line in
// src/io/registry.cc). Everything here is pure: text in, model out (files
// are read and written by the application layer through an Env).
#pragma once
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

}  // namespace blindspot

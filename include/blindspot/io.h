// Register formats: the native YAML/JSON format (docs/formats/register.md) and
// importers for other formats (one file each in src/io/, one registry line in
// src/io/registry.cc). Reading does I/O only in the *File functions; the
// *Text functions are pure.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/register.h"

namespace blindspot {

// Parses the native format (YAML, or JSON which is read by the same parser).
// Strict: unknown keys, wrong types, bad enum values, then ValidateRegister().
// On failure returns ALL problems found (each with file:line:col, expected, hint).
std::expected<Register, Diagnostics> ParseRegisterText(std::string_view text, const std::string& file);
std::expected<Register, Diagnostics> ReadRegisterFile(const std::string& path);

// Serialises to the native YAML format; ParseRegisterText(WriteRegisterYaml(r))
// yields an equal register (locations aside).
std::string WriteRegisterYaml(const Register& reg);

struct Importer {
  std::string name;  // "fides"
  std::string description;
  // True when `text` looks like this format (used to accept it in --register).
  std::function<bool(std::string_view text)> sniff;
  std::function<std::expected<Register, Diagnostics>(std::string_view text, const std::string& file)> import;
};
const std::vector<Importer>& AllImporters();
const Importer* FindImporter(std::string_view name);

// Reads a register in the native format or any format an importer sniffs.
std::expected<Register, Diagnostics> LoadAnyRegister(const std::string& path);

// Writes `data` to `path` atomically (temp file + rename): nothing half-written.
Status WriteFileAtomic(const std::string& path, std::string_view data);
Result<std::string> ReadFileToString(const std::string& path);

}  // namespace blindspot

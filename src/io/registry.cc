#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "blindspot/io.h"
#include "input/yaml_walker.h"
#include "io/exporters.h"
#include "io/importers.h"

namespace blindspot {

const std::vector<Importer>& AllImporters() {
  static const std::vector<Importer> kImporters = [] {
    std::vector<Importer> all = {
        FidesImporter(), VwsImporter(), PrivacyRegisterImporter(), DpvImporter(), SpreadsheetImporter(),
    };
    for (Importer& i : SpreadsheetTemplateImporters()) all.push_back(std::move(i));
    return all;
  }();
  return kImporters;
}

const Importer* FindImporter(std::string_view name) {
  for (const auto& i : AllImporters())
    if (i.name == name) return &i;
  return nullptr;
}

std::expected<LoadedRegister, Diagnostics> ParseAnyRegister(std::string_view text, const std::string& file,
                                                            const RegisterReadOptions& options) {
  for (const auto& imp : AllImporters())
    if (imp.sniff && imp.sniff(text)) return imp.import(text, file, options);
  return ParseRegisterText(text, file, options);
}

const std::vector<Exporter>& AllExporters() {
  static const std::vector<Exporter> kExporters = {
      YamlExporter(),   JsonExporter(),  XlsxExporter(), CsvExporter(), IcoXlsxExporter(),
      IcoCsvExporter(), FidesExporter(), DpvExporter(),  VwsExporter(),
  };
  return kExporters;
}

const Exporter* FindExporter(std::string_view name) {
  for (const auto& e : AllExporters())
    if (e.name == name) return &e;
  return nullptr;
}

namespace {
bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (suffix.size() > s.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(suffix[i])))
      return false;
  return true;
}
}  // namespace

std::expected<const Exporter*, Error> ExporterForPath(std::string_view path) {
  return ExporterForPathIn(path, AllExporters());
}

std::expected<const Exporter*, Error> ExporterForPathIn(std::string_view path,
                                                        const std::vector<Exporter>& exporters) {
  size_t longest = 0;
  std::vector<const Exporter*> found;
  std::vector<std::string> all;  // each ending once (several exporters write .xlsx and .csv)
  for (const auto& e : exporters) {
    for (const auto& ext : e.extensions) {
      if (std::find(all.begin(), all.end(), ext) == all.end()) all.push_back(ext);
      if (!EndsWithNoCase(path, ext) || ext.size() < longest) continue;
      if (ext.size() > longest) found.clear();
      longest = ext.size();
      found.push_back(&e);
      break;
    }
  }
  SourceLocation where;
  where.file = std::string(path);
  if (found.empty())
    return MakeError(ErrorKind::kUsage,
                     "no export format writes files with the extension of '" + std::string(path) + "'", where,
                     fmt::format("a file name ending in one of {}", fmt::join(all, ", ")),
                     "name the format with --format NAME; `blindspot export --list` lists them");
  if (found.size() == 1) return found.front();
  std::string names;
  for (const Exporter* e : found) {
    if (e->default_for_extension) return e;
    names += (names.empty() ? "" : ", ") + e->name;
  }
  return MakeError(
      ErrorKind::kUsage, "the extension of '" + std::string(path) + "' fits several export formats", where,
      "one format, named with --format: one of " + names, "e.g. --format " + found.front()->name);
}

}  // namespace blindspot

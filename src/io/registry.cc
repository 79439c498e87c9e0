#include "blindspot/io.h"
#include "input/yaml_walker.h"
#include "io/importers.h"

namespace blindspot {

const std::vector<Importer>& AllImporters() {
  static const std::vector<Importer> kImporters = [] {
    std::vector<Importer> all = {
        FidesImporter(),
        VwsImporter(),
        PrivacyRegisterImporter(),
        SpreadsheetImporter(),
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

}  // namespace blindspot

#include "blindspot/io.h"
#include "io/importers.h"

namespace blindspot {

const std::vector<Importer>& AllImporters() {
  static const std::vector<Importer> kImporters = {
      FidesImporter(),
  };
  return kImporters;
}

const Importer* FindImporter(std::string_view name) {
  for (const auto& i : AllImporters())
    if (i.name == name) return &i;
  return nullptr;
}

std::expected<Register, Diagnostics> LoadAnyRegister(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text) return std::unexpected(Diagnostics{text.error()});
  for (const auto& imp : AllImporters())
    if (imp.sniff && imp.sniff(*text)) return imp.import(*text, path);
  return ParseRegisterText(*text, path);
}

}  // namespace blindspot

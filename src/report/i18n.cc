// Tr(): UI strings of the reports from the embedded data/i18n/<lang>.yaml.
// Each file is a flat YAML map `key: text`. The tables are parsed once, on
// first use (function-local static, thread-safe initialisation); lookups fall
// back to English and then to the key itself.
#include "report/i18n.h"

#include <yaml-cpp/yaml.h>

#include <mutex>
#include <set>

#include "blindspot/embedded.h"
#include "blindspot/report.h"

namespace blindspot {
namespace report_internal {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

struct Tables {
  std::map<std::string, Table, std::less<>> by_lang;
  std::vector<std::string> errors;
};

Tables LoadTables() {
  Tables t;
  constexpr std::string_view kPrefix = "i18n/";
  constexpr std::string_view kSuffix = ".yaml";
  for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
    std::string_view path = kDataFiles[i].path;
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) continue;
    std::string lang(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
    Table& table = t.by_lang[lang];
    try {
      YAML::Node root = YAML::Load(std::string(kDataFiles[i].data));
      if (!root.IsMap()) {
        if (!root.IsNull()) t.errors.push_back(std::string(path) + ": expected a map of key: text");
        continue;
      }
      for (const auto& kv : root) {
        std::string key = kv.first.as<std::string>();
        if (!kv.second.IsScalar()) {
          t.errors.push_back(std::string(path) + ": key '" + key + "': expected a text");
          continue;
        }
        table[key] = kv.second.as<std::string>();
      }
    } catch (const YAML::Exception& e) {
      t.errors.push_back(std::string(path) + ": " + e.what());
    }
  }
  return t;
}

const Tables& GetTables() {
  static const Tables tables = LoadTables();
  return tables;
}

}  // namespace

std::vector<std::string> I18nLanguages() {
  std::vector<std::string> out;
  for (const auto& [lang, table] : GetTables().by_lang) out.push_back(lang);
  return out;
}

const Table& I18nTable(std::string_view lang) {
  static const Table kEmpty;
  const auto& by_lang = GetTables().by_lang;
  auto it = by_lang.find(lang);
  return it == by_lang.end() ? kEmpty : it->second;
}

const std::vector<std::string>& I18nLoadErrors() { return GetTables().errors; }

}  // namespace report_internal

const std::string& Tr(std::string_view lang, std::string_view key) {
  using report_internal::I18nTable;
  const auto& table = I18nTable(lang);
  if (auto it = table.find(key); it != table.end()) return it->second;
  if (lang != "en") {
    const auto& en = I18nTable("en");
    if (auto it = en.find(key); it != en.end()) return it->second;
  }
  // Unknown key: return the key itself, from storage that outlives the call.
  static std::mutex mu;
  static std::set<std::string, std::less<>> missing;
  std::lock_guard<std::mutex> lock(mu);
  auto it = missing.find(key);
  if (it == missing.end()) it = missing.emplace(key).first;
  return *it;
}

}  // namespace blindspot

// Internal to src/report: the UI string tables behind Tr().
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot::report_internal {

// The languages that have a table (data/i18n/<lang>.yaml), sorted.
std::vector<std::string> I18nLanguages();

// The key -> text table of `lang` as loaded from the embedded YAML (no
// fallback applied); empty when the language has no table or it failed to
// parse. Loaded once; the returned reference lives for the program.
const std::map<std::string, std::string, std::less<>>& I18nTable(std::string_view lang);

// Load problems (bad YAML, non-scalar values) of all tables, for tests.
const std::vector<std::string>& I18nLoadErrors();

}  // namespace blindspot::report_internal

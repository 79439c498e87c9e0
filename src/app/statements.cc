// LoadStatements: the privacy statements of an audit (--statement files, or
// the statement text a scan bundle holds), read through the Env and parsed
// into Statement values (blindspot/statement.h).
#include <nlohmann/json.hpp>

#include "blindspot/app.h"
#include "blindspot/input.h"
#include "blindspot/statement.h"

namespace blindspot::app {
namespace {

constexpr const char* kPhases[] = {"before-consent", "after-reject", "after-accept"};

StatementFormat FormatOf(const std::string& path) {
  auto ends = [&](std::string_view ext) { return path.size() >= ext.size() && path.ends_with(ext); };
  if (ends(".html") || ends(".htm")) return StatementFormat::kHtml;
  if (ends(".txt")) return StatementFormat::kText;
  if (ends(".md") || ends(".markdown")) return StatementFormat::kMarkdown;
  return StatementFormat::kAuto;
}

// The bundle's statement text: the first phase whose scan.json lists a
// privacy statement link (pages[].statements[]) that is itself a crawled page
// with a text file. Read minimally: only url, final_url, statements and text.
std::optional<Statement> BundleStatement(const Options& o, const std::string& bundle) {
  for (const char* phase : kPhases) {
    std::string dir = bundle + "/" + phase;
    auto text = o.env->ReadFile(dir + "/scan.json", o.limits.max_text_bytes);
    if (!text) continue;
    nlohmann::json scan = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!scan.is_object() || !scan.contains("pages") || !scan["pages"].is_array()) continue;
    const nlohmann::json& pages = scan["pages"];
    auto str = [](const nlohmann::json& j, const char* key) {
      return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                    : std::string();
    };
    for (const nlohmann::json& page : pages) {
      if (!page.is_object() || !page.contains("statements") || !page["statements"].is_array()) continue;
      for (const nlohmann::json& s : page["statements"]) {
        std::string href = str(s, "href");
        if (href.empty() || (str(s, "kind") != "privacy" && !str(s, "kind").empty())) continue;
        for (const nlohmann::json& target : pages) {
          if (str(target, "url") != href && str(target, "final_url") != href) continue;
          std::string file = str(target, "text");
          if (file.empty() || file.find("..") != std::string::npos || file.front() == '/') continue;
          auto body = o.env->ReadFile(dir + "/" + file, o.limits.max_text_bytes);
          if (!body || !CheckTextInput(*body, dir + "/" + file, "statement text")) continue;
          return ParseStatement(*body, std::string(phase) + "/" + file, StatementFormat::kText);
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::expected<std::vector<Statement>, Diagnostics> LoadStatements(const Options& o,
                                                                  const std::vector<std::string>& paths,
                                                                  const std::vector<std::string>& bundles) {
  std::vector<Statement> out;
  for (const std::string& path : paths) {
    auto text = o.env->ReadFile(path, o.limits.max_text_bytes);
    if (!text) return std::unexpected(Diagnostics{text.error()});
    if (auto ok = CheckTextInput(*text, path, "privacy statement"); !ok)
      return std::unexpected(Diagnostics{ok.error()});
    // Shown by its base name, as reports show the register's.
    size_t slash = path.find_last_of('/');
    out.push_back(
        ParseStatement(*text, slash == std::string::npos ? path : path.substr(slash + 1), FormatOf(path)));
  }
  if (paths.empty())
    for (const std::string& b : bundles)
      if (auto st = BundleStatement(o, b)) out.push_back(std::move(*st));
  return out;
}

}  // namespace blindspot::app

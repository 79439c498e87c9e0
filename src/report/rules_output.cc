// The rule catalogue (`blindspot rules`, docs/rules.md), from the rule data
// files (data/rules/*.yaml) through the TextCatalog.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "blindspot/audit.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string Link(const Source& s, std::string_view lang) {
  return "[" + Cell(s.Title(lang)) + "](" + s.url + ")";
}

}  // namespace

Result<std::string> RenderRulesText(const OutputInput& in) {
  Texts t(in.options.lang);
  size_t w = 0;
  for (const Rule& r : AllRules()) w = std::max(w, r.meta->id.size());
  std::string out;
  for (const Rule& r : AllRules()) {
    out += fmt::format("{:<{}}  {:<7} {}\n", r.meta->id, w, ToString(r.meta->severity),
                       r.meta->title.Get(t.lang()));
    for (const Source& s : r.meta->sources) out += fmt::format("{:<{}}{}\n", "", w + 10, s.Title(t.lang()));
  }
  return out;
}

Result<std::string> RenderRulesJson(const OutputInput& in) {
  Texts t(in.options.lang);
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const Rule& r : AllRules()) {
    const RuleMeta& m = *r.meta;
    nlohmann::ordered_json src = nlohmann::ordered_json::array();
    for (const Source& s : m.sources)
      src.push_back({{"id", s.id},
                     {"kind", std::string(ToString(s.kind))},
                     {"title", s.Title(t.lang())},
                     {"url", s.url}});
    nlohmann::ordered_json applies = nlohmann::ordered_json::array();
    for (SubjectKind k : m.applies_to) applies.push_back(std::string(ToString(k)));
    arr.push_back({{"id", m.id},
                   {"severity", std::string(ToString(m.severity))},
                   {"applies_to", applies},
                   {"needs", m.needs},
                   {"title", m.title.Get(t.lang())},
                   {"explanation", m.explanation.Get(t.lang())},
                   {"remediation", m.remediation.Get(t.lang())},
                   {"sources", src}});
  }
  return arr.dump(2) + "\n";
}

Result<std::string> RenderRulesMarkdown(const OutputInput&) {
  const TextCatalog& cat = TextCatalog::Builtin();
  std::string md;
  md += "# Audit rules\n\n";
  md +=
      "Generated from the rule data files `data/rules/*.yaml` (`blindspot rules --format md`); do not edit "
      "by hand.\n";
  md +=
      "The check of each rule is one C++ file in `src/audit/rules/`. Each finding names its rule id, the "
      "subject "
      "(activity, vendor, touchpoint or detected product), the concrete gap, and the field of the register "
      "(with "
      "file:line:col for file registers).\n\n";
  md += "| id | severity | applies to | title | sources |\n";
  md += "|---|---|---|---|---|\n";
  for (const Rule& r : AllRules()) {
    const RuleMeta& m = *r.meta;
    std::string sources, applies;
    for (const Source& s : m.sources) sources += (sources.empty() ? "" : "; ") + Link(s, kBaseLanguage);
    for (SubjectKind k : m.applies_to) applies += (applies.empty() ? "" : ", ") + std::string(ToString(k));
    md += "| `" + m.id + "` | " + std::string(ToString(m.severity)) + " | " + applies + " | " +
          Cell(m.title.Get(kBaseLanguage)) + " | " + sources + " |\n";
  }
  for (const Rule& r : AllRules()) {
    const RuleMeta& m = *r.meta;
    md += "\n## " + m.id + "\n\n";
    md += "Severity: **" + std::string(ToString(m.severity)) + "**";
    if (!m.needs.empty()) md += fmt::format(" · needs: {}", fmt::join(m.needs, ", "));
    md += "\n";
    for (const Language& lang : cat.languages()) {
      md += "\n### " + lang.name + "\n\n";
      md += "**" + m.title.Get(lang.code) + "**\n\n";
      if (!m.explanation.empty()) md += m.explanation.Get(lang.code) + "\n\n";
      md += cat.Ui(lang.code, ui::remediation) + ": " + m.remediation.Get(lang.code) + "\n\n";
      for (const Source& s : m.sources) md += "- " + Link(s, lang.code) + "\n";
    }
  }
  return md;
}

}  // namespace blindspot::report_internal

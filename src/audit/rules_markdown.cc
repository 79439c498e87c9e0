// RulesMarkdown(): the rule catalogue as Markdown (docs/rules.md).
#include <string>

#include "blindspot/audit.h"

namespace blindspot {
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

std::string Link(const Source& s, std::string_view lang = "en") {
  return "[" + Cell(s.Title(lang)) + "](" + s.url + ")";
}

}  // namespace

std::string RulesMarkdown() {
  std::string md;
  md += "# Audit rules\n\n";
  md +=
      "Generated from the rule metadata in `src/audit/rules/` (`blindspot rules --format md`); do not edit "
      "by "
      "hand.\n";
  md +=
      "Each finding names its rule id, the subject (activity, vendor, touchpoint or detected product), the "
      "concrete gap in English and Dutch, and the line in the register where applicable.\n\n";
  md += "| id | severity | title (en) | titel (nl) | legal sources |\n";
  md += "|---|---|---|---|---|\n";
  for (const Rule& r : AllRules()) {
    const RuleInfo& i = r.info;
    std::string sources;
    for (const Source& s : i.legal_sources) {
      if (!sources.empty()) sources += "; ";
      sources += Link(s);
    }
    md += "| `" + i.id + "` | " + std::string(ToString(i.severity)) + " | " + Cell(i.title.en) + " | " +
          Cell(i.title.nl) + " | " + sources + " |\n";
  }
  for (const Rule& r : AllRules()) {
    const RuleInfo& i = r.info;
    md += "\n## " + i.id + "\n\n";
    md += "Severity: **" + std::string(ToString(i.severity)) + "**\n\n";
    md += "- " + i.title.en + "\n- " + i.title.nl + "\n\n";
    md += "Remediation: " + i.remediation.en + "\n\n";
    md += "Herstel: " + i.remediation.nl + "\n\n";
    md += "Legal sources:\n\n";
    for (const Source& s : i.legal_sources) md += "- " + Link(s) + "\n";
    md += "\nBronnen:\n\n";
    for (const Source& s : i.legal_sources) md += "- " + Link(s, "nl") + "\n";
  }
  return md;
}

}  // namespace blindspot

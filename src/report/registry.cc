// The output formats, one line each. A new format is a file in src/report/
// plus one line here; the CLI's --format choices, --help text and
// file-extension choice follow from this table.
#include <algorithm>
#include <cctype>

#include "blindspot/report.h"
#include "report/formats.h"

namespace blindspot {

std::string_view ToString(OutputSubject s) {
  switch (s) {
    case OutputSubject::kAudit:
      return "audit";
    case OutputSubject::kDetection:
      return "detection";
    case OutputSubject::kRules:
      return "rules";
    case OutputSubject::kKb:
      return "kb";
    case OutputSubject::kRegister:
      return "register";
    case OutputSubject::kVerify:
      return "verify";
    case OutputSubject::kDiff:
      return "diff";
  }
  return "audit";
}

const std::vector<OutputFormat>& AllOutputFormats() {
  using namespace report_internal;
  using S = OutputSubject;
  static const std::vector<OutputFormat> kFormats = {
      {"text", S::kAudit, {".txt", ".text"}, "plain-text report for the terminal (100 columns)", RenderText},
      {"json", S::kAudit, {".json"}, "machine-readable report (docs/formats/report-json.md)", RenderJson},
      {"html",
       S::kAudit,
       {".html", ".htm"},
       "self-contained HTML report for the privacy officer (printable)",
       RenderHtml},
      {"sarif", S::kAudit, {".sarif"}, "SARIF 2.1.0 for code-scanning views (docs/ci.md)", RenderSarif},
      {"junit",
       S::kAudit,
       {".xml"},
       "JUnit XML for CI test views, a failure per new finding (docs/ci.md)",
       RenderJunit},
      {"xlsx",
       S::kAudit,
       {".xlsx"},
       "spreadsheet for the auditor's file: sheets of findings and touchpoints (to a file only)",
       RenderXlsx,
       /*binary=*/true},
      {"pdf",
       S::kAudit,
       {".pdf"},
       "the HTML report printed to PDF (A4) by Chromium headless (to a file only)",
       RenderHtml,
       /*binary=*/true,
       /*printed=*/true},
      {"text",
       S::kDetection,
       {".txt", ".text"},
       "touchpoints and third-party hosts, for the terminal",
       RenderDetectionText},
      {"json", S::kDetection, {".json"}, "touchpoints with structured evidence", RenderDetectionJson},
      {"text", S::kRules, {".txt", ".text"}, "rule ids, severities, titles and sources", RenderRulesText},
      {"json", S::kRules, {".json"}, "the rule catalogue as JSON", RenderRulesJson},
      {"md",
       S::kRules,
       {".md"},
       "the rule catalogue as Markdown in every language (docs/rules.md)",
       RenderRulesMarkdown},
      {"text", S::kKb, {".txt", ".text"}, "the knowledge base, or one entry in full", RenderKbText},
      {"json", S::kKb, {".json"}, "the knowledge base as JSON", RenderKbJson},
      {"yaml",
       S::kRegister,
       {".yaml", ".yml"},
       "the native register format (docs/formats/register.md)",
       RenderRegisterYaml},
      {"json", S::kRegister, {".json"}, "the native register format as JSON", RenderRegisterJson},
      {"text",
       S::kVerify,
       {".txt", ".text"},
       "each file of the bundle: ok, changed, missing or extra",
       RenderVerifyText},
      {"json", S::kVerify, {".json"}, "the check as JSON (docs/formats/evidence.md)", RenderVerifyJson},
      {"text",
       S::kDiff,
       {".txt", ".text"},
       "per consent phase what appeared and disappeared",
       RenderDiffText},
      {"json", S::kDiff, {".json"}, "the comparison as JSON (docs/formats/evidence.md)", RenderDiffJson},
  };
  return kFormats;
}

const OutputFormat* FindOutputFormat(OutputSubject subject, std::string_view name) {
  for (const OutputFormat& f : AllOutputFormats())
    if (f.subject == subject && f.name == name) return &f;
  return nullptr;
}

std::vector<const OutputFormat*> OutputFormatsFor(OutputSubject subject) {
  std::vector<const OutputFormat*> out;
  for (const OutputFormat& f : AllOutputFormats())
    if (f.subject == subject) out.push_back(&f);
  return out;
}

Result<const OutputFormat*> ChooseOutputFormat(OutputSubject subject, std::string_view name,
                                               std::string_view out_path) {
  std::vector<const OutputFormat*> formats = OutputFormatsFor(subject);
  if (!name.empty()) {
    if (const OutputFormat* f = FindOutputFormat(subject, name)) return f;
    std::string names;
    for (const OutputFormat* f : formats) names += (names.empty() ? "" : ", ") + f->name;
    return MakeError(ErrorKind::kUsage, "unknown format '" + std::string(name) + "'", {}, "one of " + names);
  }
  std::string_view base = out_path.substr(
      out_path.find_last_of('/') == std::string_view::npos ? 0 : out_path.find_last_of('/') + 1);
  size_t dot = base.find_last_of('.');
  if (out_path.empty() || out_path == "-" || dot == std::string_view::npos || dot == 0)
    return formats.front();
  std::string ext(base.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const OutputFormat* f : formats)
    if (std::find(f->extensions.begin(), f->extensions.end(), ext) != f->extensions.end()) return f;
  std::string exts;
  for (const OutputFormat* f : formats)
    for (const std::string& e : f->extensions) exts += (exts.empty() ? "" : ", ") + e;
  std::string names;
  for (const OutputFormat* f : formats) names += (names.empty() ? "" : "|") + f->name;
  SourceLocation where;
  where.file = std::string(out_path);
  return MakeError(ErrorKind::kUsage, "cannot tell the format from the extension '" + ext + "'", where,
                   "a file ending in " + exts, "or choose one with --format " + names);
}

}  // namespace blindspot

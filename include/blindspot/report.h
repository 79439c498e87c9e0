// Output formats: the audit report (text for the terminal, JSON, a
// self-contained HTML page) and the exporters of the other use cases
// (detection, rule catalogue, knowledge base, register). Each format is one
// file in src/report/ plus one line in the registry (src/report/registry.cc);
// the registry drives the CLI's --format choices, its --help and the choice
// of format from the --out file extension, and will drive the HTTP API.
//
// Rendering is pure (no I/O) and thread-safe for distinct inputs. Texts come
// from the TextCatalog in the language asked for; what a report shows of an
// input file is its base name (a full path can reveal a client's folders).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/bundle.h"
#include "blindspot/gate.h"
#include "blindspot/kb.h"
#include "blindspot/register.h"

namespace blindspot {

struct ReportOptions {
  std::string lang = "en";
  std::string generated_at;  // ISO 8601 timestamp to print; empty = omit (keeps golden files stable)
  std::string tool_version;
  const SourceMap* source_map = nullptr;  // file positions of finding paths (file registers)
  // The CI gate (audit with --baseline or --accepted): per finding new, in
  // baseline or accepted, and the resolved and expired entries; null = no gate.
  const GateResult* gate = nullptr;
};

// What an output format renders.
enum class OutputSubject {
  kAudit,      // an AuditResult: the report
  kDetection,  // a DetectionResult (detect)
  kRules,      // the rule catalogue (rules)
  kKb,         // the knowledge base, or one entry of it (kb)
  kRegister,   // a register (import, export)
  kVerify,     // a BundleCheck: an evidence bundle against its manifest (verify)
  kDiff,       // an EvidenceDiff: what appeared and disappeared between two captures (diff)
};
std::string_view ToString(OutputSubject);

// The input of a render call; the field of the format's subject is set.
struct OutputInput {
  const AuditResult* audit = nullptr;
  const DetectionResult* detection = nullptr;
  const Kb* kb = nullptr;
  std::string kb_entry;  // kKb: one entry in full ("" = the list)
  const Register* reg = nullptr;
  const BundleCheck* bundle_check = nullptr;
  const EvidenceDiff* diff = nullptr;
  ReportOptions options;
};

struct OutputFormat {
  std::string name;  // "text", "json", "html", "md", "yaml"
  OutputSubject subject = OutputSubject::kAudit;
  std::vector<std::string> extensions;  // lower case with dot: ".html", ".htm"; the first is the usual one
  std::string description;              // one line, for --help and the docs
  Result<std::string> (*render)(const OutputInput&) = nullptr;
  // Bytes that are not text (XLSX, PDF): written to a file only, never to
  // standard output (the application layer refuses that, kUsage).
  bool binary = false;
  // render() gives the HTML page to print, not the output: the application
  // layer hands it to its printer (an I/O adapter, app::Options::print_pdf;
  // by default Chromium headless, src/scan/print.cc) and writes the PDF. The
  // report library itself never starts a browser.
  bool printed = false;
};

// Every format, in registry order (per subject the first is the default).
const std::vector<OutputFormat>& AllOutputFormats();
const OutputFormat* FindOutputFormat(OutputSubject subject, std::string_view name);
std::vector<const OutputFormat*> OutputFormatsFor(OutputSubject subject);
// The format for an output: `name` when given (an unknown one is kUsage),
// else the one whose extension the path has (case-insensitive; a path
// without extension, "-" or "" gives the subject's default; an extension no
// format has is kUsage, naming the known ones).
Result<const OutputFormat*> ChooseOutputFormat(OutputSubject subject, std::string_view name,
                                               std::string_view out_path);

}  // namespace blindspot

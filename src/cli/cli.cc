// The command-line interface: one table of subcommands {name, help, handler}.
// A handler parses its options with CLI11, calls one use case of the
// application layer, prints its output and notes, and returns an exit code;
// library errors (values) become messages and exit codes in Fail(), and
// nowhere else. Option choices (--format, --lang) come from the output-format
// registry and the text catalogue, so a new format or language needs no
// change here.
#include "blindspot/cli.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <iostream>
#include <ostream>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/discovery.h"
#include "blindspot/evidence.h"
#include "blindspot/report.h"
#include "blindspot/scan.h"
#include "blindspot/terminal.h"
#include "blindspot/text_ids.h"
#include "cli_internal.h"

namespace blindspot {
namespace cli {

// Prints every problem (escaped: input cannot drive the terminal) and the
// count; the exit code follows from the kinds (app::ExitCodeFor). A problem
// without a file is prefixed with the command ("blindspot kb: error: ..."),
// as the usage errors are.
int Fail(const Diagnostics& diags, std::ostream& err, bool writes, const CLI::App& app) {
  for (const Error& e : diags) err << (e.where.file.empty() ? app.get_name() + ": " : "") << e.Format();
  if (diags.size() > 1 || writes)
    err << fmt::format("{} error{}{}\n", diags.size(), diags.size() == 1 ? "" : "s",
                       writes ? "; nothing was written" : "");
  return app::ExitCodeFor(diags);
}

// Parses `args` (without the subcommand name) with a CLI11 app. Returns an
// exit code when the caller should stop (help shown or usage error).
std::optional<int> Parse(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  // Name an unknown option before CLI11 reports a missing required one.
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a.size() < 2 || a[0] != '-' || a == "-" ||
        (a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1]))))
      continue;
    std::string name = a.substr(0, a.find('='));
    if (name == "-h" || name == "--help") continue;
    if (app.get_option_no_throw(name) == nullptr) {
      err << app.get_name() << ": error: unknown option '" << EscapeControl(name) << "'\n";
      err << "  hint: run '" << app.get_name() << " --help' for the options\n";
      return kExitBadInput;
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ExtrasError&) {
    // CLI11's "The following argument was not expected: b", in our words.
    std::vector<std::string> extras = app.remaining();
    std::string list;
    for (const std::string& x : extras) list += (list.empty() ? "'" : ", '") + EscapeControl(x) + "'";
    err << app.get_name() << ": error: unexpected argument" << (extras.size() == 1 ? " " : "s ") << list
        << "\n";
    err << "  hint: run '" << app.get_name() << " --help' for the arguments it takes\n";
    return kExitBadInput;
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << app.get_name() << ": error: " << EscapeControl(e.what()) << "\n";
    err << "  hint: run '" << app.get_name() << " --help' for usage\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

// An option that was given must not be empty (an unset shell variable?).
std::optional<int> NoEmptyValues(CLI::App& app, std::initializer_list<const char*> opts, std::ostream& err) {
  for (const char* opt : opts) {
    if (app.count(opt) > 0 && app.get_option(opt)->as<std::string>().empty()) {
      err << app.get_name() << ": error: " << opt << " was given an empty value\n";
      err << "  hint: leave the option out, or give a file name (an unset shell variable?)\n";
      return kExitBadInput;
    }
  }
  return std::nullopt;
}

}  // namespace cli

namespace {

using cli::Fail;
using cli::Io;
using cli::NoEmptyValues;
using cli::Parse;

// The HAR files (positional or --har) and evidence bundles (--evidence) of
// audit and detect: at least one.
std::optional<int> NeedEvidence(const CLI::App& app, const std::vector<std::string>& evidence,
                                const std::vector<std::string>& bundles, std::ostream& err) {
  if (!evidence.empty() || !bundles.empty()) return std::nullopt;
  err << app.get_name() << ": error: give at least one HAR file, evidence file or evidence bundle\n";
  err << "  hint: " << app.get_name()
      << " site.har (or --har site.har; - reads standard input), or --evidence PATH (a folder blindspot scan "
         "wrote, a DNS zone, a DMARC report, ...)\n";
  return kExitBadInput;
}

// --evidence PATH (repeatable): evidence bundles and evidence files; --domain.
void AddEvidenceOption(CLI::App& app, std::vector<std::string>& bundles, std::string& domain) {
  std::string kinds;
  for (const DiscoveryReader& r : AllDiscoveryReaders()) kinds += ", " + std::string(r.description);
  app.add_option(
         "--evidence", bundles,
         "Evidence (repeatable), recognised by its content: a bundle folder written by blindspot scan "
         "(each consent phase's HAR read with its phase; one that does not match its manifest is read "
         "with a warning), a HAR file" +
             kinds + " (docs/formats/discovery.md)")
      ->allow_extra_args(false);
  app.add_option("--domain", domain,
                 "The organisation's domain, for evidence files that do not name it (an OctoDNS zone file "
                 "named otherwise)");
}

// --format: the formats of a subject from the registry, with their extensions.
void AddFormatOption(CLI::App& app, std::string& format, OutputSubject subject, bool by_extension) {
  std::vector<std::string> names;
  std::string help = "Output format: ";
  for (const OutputFormat* f : OutputFormatsFor(subject)) {
    names.push_back(f->name);
    help += fmt::format("{}{} ({}{})", names.size() > 1 ? "; " : "", f->name, f->description,
                        by_extension ? ", " + fmt::format("{}", fmt::join(f->extensions, " ")) : "");
  }
  help += by_extension ? ". Default: from the --out extension, else " + names.front()
                       : ". Default: " + names.front();
  app.add_option("--format,-f", format, help)->check(CLI::IsMember(names));
}

// --lang: the languages of the text catalogue.
void AddLangOption(CLI::App& app, std::string& lang) {
  std::vector<std::string> codes;
  std::string names;
  for (const Language& l : TextCatalog::Builtin().languages()) {
    codes.push_back(l.code);
    names += (names.empty() ? "" : ", ") + l.code + " " + l.name;
  }
  app.add_option("--lang", lang, "Language of the output: " + names)->check(CLI::IsMember(codes));
}

// --first-party DOMAIN (repeatable), checked by the use case.
void AddFirstPartyOption(CLI::App& app, std::vector<std::string>& domains) {
  app.add_option("--first-party", domains,
                 "The site's own domain (repeatable), e.g. shop.example.nl; every other host is third party. "
                 "Default: told from the HAR's pages and first document request")
      ->allow_extra_args(false);
}

// --max-input-size and --kb, shared by the commands that read inputs.
struct InputOptions {
  std::string max_size;
  std::string kb_dir;
  std::vector<std::string> filter_lists;
  bool no_default_filter_lists = false;
  bool filters = false;
  // The filter-list options of detect and audit.
  void AddFilters(CLI::App& app) {
    filters = true;
    app.add_option("--filter-list", filter_lists,
                   "Also flag requests that this Adblock Plus filter list blocks as unidentified trackers "
                   "(repeatable; EasyPrivacy and EasyList are used by default)");
    app.add_flag("--no-default-filter-lists", no_default_filter_lists,
                 "Do not use the EasyPrivacy and EasyList of webext-ublock-origin-chromium");
  }
  void Add(CLI::App& app, bool kb = true) {
    app.add_option(
        "--max-input-size", max_size,
        "Refuse inputs larger than this (e.g. 512M, 8G); default 256 MiB for registers and kb files, "
        "4 GiB for evidence");
    if (kb)
      app.add_option("--kb", kb_dir,
                     "Load the knowledge base from this directory instead of the built-in one");
  }
  // Applies to `o`; an exit code on a bad value.
  std::optional<int> Apply(app::Options& o, const CLI::App& app, std::ostream& err) const {
    o.kb_dir = kb_dir;
    if (filters) {
      o.filter_lists = filter_lists;
      o.default_filter_lists = !no_default_filter_lists;
    }
    if (max_size.empty()) return std::nullopt;
    auto n = ParseSize(max_size);
    if (!n) {
      err << app.get_name() << ": error: --max-input-size '" << EscapeControl(max_size) << "' is not a size\n"
          << "  expected: a number of bytes with an optional unit, e.g. 500M or 2G\n";
      return kExitBadInput;
    }
    o.limits.max_text_bytes = *n;
    o.limits.max_evidence_bytes = *n;
    return std::nullopt;
  }
};

void Print(std::ostream& os, const std::vector<std::string>& lines) {
  for (const std::string& l : lines) {
    os << EscapeControl(l, /*keep_newlines=*/true);
    if (!l.empty() && l.back() != '\n') os << '\n';
  }
}

// ---- audit ---------------------------------------------------------------

int CmdAudit(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Reconcile a register of processing activities with website evidence (HAR files) and report blind "
      "spots and "
      "gaps, each with its legal source.",
      "blindspot audit"};
  app::Options o;
  o.env = io.env;
  app::AuditRequest r;
  InputOptions inputs;
  std::string fail_on;
  bool no_timestamp = false;
  app.add_option(
      "--register,-r", r.register_path,
      "Register file: native YAML/JSON, or a Fides systems file. Omit to audit against an empty register "
      "(every touchpoint is then a blind spot).");
  app.add_option("--har,har", r.evidence,
                 "HAR file(s) of the website (positional or --har, repeatable; - reads standard "
                 "input)");
  AddEvidenceOption(app, r.bundles, r.domain);
  AddLangOption(app, o.lang);
  AddFormatOption(app, r.format, OutputSubject::kAudit, true);
  app.add_option("--out,-o", r.out_path,
                 "Write the report to this file (atomically) instead of standard output");
  AddFirstPartyOption(app, r.first_party);
  app.add_option(
         "--statement", r.statements,
         "Privacy statement to check against the register and the evidence (Markdown, plain text or "
         "HTML; repeatable, read together). Without it the statement text a scan bundle found is used")
      ->allow_extra_args(false);
  app.add_option(
         "--fail-on", fail_on,
         "Exit 1 when a finding at or above this severity exists (with --baseline or --accepted: a new "
         "one)")
      ->check(CLI::IsMember({"info", "low", "medium", "high"}));
  app.add_option(
         "--fail-on-rule", r.fail_on_rules,
         "Exit 1 when a new finding of this rule exists, whatever its severity (repeatable; e.g. BS019)")
      ->allow_extra_args(false);
  app.add_option(
      "--baseline", r.baseline_path,
      "Baseline file of known findings (docs/formats/baseline.md): they stay in the report, marked, "
      "but do not fail the build; fixed ones are reported as resolved");
  app.add_option("--write-baseline", r.write_baseline_path,
                 "Write the fingerprints of the current findings to this baseline file");
  app.add_option("--write-drafts", r.write_drafts_path,
                 "Write the register with a draft touchpoint for each blind spot, carrying what was seen, "
                 "for its owner to confirm (docs/formats/register.md#discovered)");
  app.add_option(
      "--accepted", r.accepted_path,
      "Accepted findings (YAML: fingerprint or rule+subject, reason, accepted_by, expires): they do "
      "not fail the build until their expiry date");
  app.add_option("--as-of", r.as_of,
                 "The day accepted findings' expiry dates are checked on and the action list's due dates "
                 "count from (YYYY-MM-DD; default today, for due dates the evidence date)");
  app.add_flag("--quiet,-q", r.quiet, "Print nothing but errors and the gate's one-line outcome");
  inputs.Add(app);
  inputs.AddFilters(app);
  app.add_flag("--no-timestamp", no_timestamp, "Leave the generation time out of the report");
  app.add_option("--browser", r.browser,
                 "The Chromium that prints --format pdf (default /usr/bin/chromium, Debian's chromium)");
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NeedEvidence(app, r.evidence, r.bundles, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app,
                              {"--register", "--kb", "--out", "--statement", "--baseline", "--write-baseline",
                               "--accepted", "--as-of", "--browser"},
                              io.err))
    return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  r.timestamp = !no_timestamp;
  if (!fail_on.empty()) r.fail_on = ParseSeverity(fail_on);

  auto outcome = app::Audit(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/true, app);
  if (!r.quiet) {
    Print(io.err, outcome->notes);
    if (!outcome->written) io.out << outcome->output;
    if (!outcome->summary.empty()) Print(io.err, {outcome->summary});
    if (!outcome->baseline_line.empty()) Print(io.err, {outcome->baseline_line});
    if (!outcome->drafts_line.empty()) Print(io.err, {outcome->drafts_line});
    if (!outcome->failing_line.empty()) Print(io.err, {outcome->failing_line});
  }
  if (!outcome->gate_line.empty()) Print(io.err, {outcome->gate_line});
  return outcome->failing > 0 ? kExitFindings : kExitOk;
}

// ---- detect --------------------------------------------------------------

int CmdDetect(const std::vector<std::string>& args, Io io) {
  CLI::App app{"Detect customer-contact touchpoints in HAR files (no register needed).", "blindspot detect"};
  app::Options o;
  o.env = io.env;
  app::DetectRequest r;
  InputOptions inputs;
  app.add_option("--har,har", r.evidence,
                 "HAR file(s) (positional or --har, repeatable; - reads standard input)");
  AddEvidenceOption(app, r.bundles, r.domain);
  AddFormatOption(app, r.format, OutputSubject::kDetection, true);
  AddLangOption(app, o.lang);
  app.add_option("--out,-o", r.out_path, "Write to this file instead of standard output");
  AddFirstPartyOption(app, r.first_party);
  inputs.Add(app);
  inputs.AddFilters(app);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NeedEvidence(app, r.evidence, r.bundles, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--kb", "--out"}, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Detect(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, !r.out_path.empty(), app);
  Print(io.err, outcome->notes);
  if (!outcome->written) io.out << outcome->output;
  return kExitOk;
}

// ---- verify / diff ---------------------------------------------------------------

int CmdVerify(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Check an evidence bundle against its manifest: the size and SHA-256 of every file, files missing and "
      "files added. Prints the SHA-256 of manifest.json (the seal). Exit 0 when intact, 1 when anything "
      "changed, 2 when the folder is not a bundle.",
      "blindspot verify"};
  app::Options o;
  o.env = io.env;
  app::VerifyRequest r;
  InputOptions inputs;
  app.add_option("dir", r.dir, "The bundle folder (written by blindspot scan --out)")->required();
  AddFormatOption(app, r.format, OutputSubject::kVerify, false);
  AddLangOption(app, o.lang);
  inputs.Add(app, /*kb=*/false);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Verify(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/false, app);
  io.out << outcome->output;
  return outcome->check.intact() ? kExitOk : kExitFindings;
}

int CmdDiff(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Compare two scans (evidence bundles) or two HAR files: per consent phase, the touchpoints, third "
      "parties (registrable domains), unidentified trackers and cookies that appeared and disappeared. Exit "
      "0 "
      "when nothing differs, 1 when something does.",
      "blindspot diff"};
  app::Options o;
  o.env = io.env;
  app::DiffRequest r;
  InputOptions inputs;
  app.add_option("old", r.old_path, "The earlier bundle folder or HAR file")->required();
  app.add_option("new", r.new_path, "The later bundle folder or HAR file")->required();
  AddFormatOption(app, r.format, OutputSubject::kDiff, false);
  AddLangOption(app, o.lang);
  AddFirstPartyOption(app, r.first_party);
  inputs.Add(app);
  inputs.AddFilters(app);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Diff(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/false, app);
  Print(io.err, outcome->notes);
  io.out << outcome->output;
  return outcome->diff.changes() == 0 ? kExitOk : kExitFindings;
}

// ---- validate / import -----------------------------------------------------

int CmdValidate(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Check a register file (native YAML/JSON or an importable format) and report every problem with "
      "file:line:col.",
      "blindspot validate"};
  app::Options o;
  o.env = io.env;
  std::string path;
  InputOptions inputs;
  bool strict = false;
  app.add_option("register", path, "Register file")->required();
  app.add_flag("--strict", strict,
               "Any warning makes the register not valid (exit 5); without it only input that was not read "
               "does (a skipped spreadsheet row, sheet or cell)");
  AddLangOption(app, o.lang);
  inputs.Add(app);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--kb"}, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Validate(o, path, strict);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/false, app);
  for (const Error& w : outcome->inputs.warnings) io.err << w.Format();
  io.out << EscapeControl(outcome->summary) << "\n";
  return outcome->exit_code;
}

int CmdImport(const std::vector<std::string>& args, Io io) {
  std::vector<std::string> formats;
  for (const auto& [name, description] : app::ImportFormats()) formats.push_back(name);
  CLI::App app{
      fmt::format("Convert a register from another format into blindspot's native format. The format is "
                  "recognised from the content unless --format names it. Formats: {}",
                  fmt::join(formats, ", ")),
      "blindspot import"};
  app::Options o;
  o.env = io.env;
  app::ImportRequest r;
  InputOptions inputs;
  std::vector<std::string> positional;
  bool list = false;
  app.add_option("file", positional, "File to import (an older form `import FORMAT FILE` is also accepted)")
      ->expected(1, 2);
  app.add_flag("--list", list, "List the import formats with their descriptions");
  app.add_option(
      "--columns", r.columns_path,
      "Spreadsheet registers (XLSX, CSV): a column map (YAML, header text -> field) to use instead of "
      "the templates");
  app.add_flag(
      "--columns-template", r.columns_template,
      "Spreadsheet registers: write a starting column map for FILE (each column's best guess) instead of "
      "importing it");
  app.add_option("--format,-f", r.format, "Import format (default: recognised from the content)")
      ->check(CLI::IsMember(formats));
  app.add_option("--out,-o", r.out_path,
                 "Write the native register here (atomically) instead of standard output; .yaml or .json");
  std::vector<std::string> outputs;
  for (const OutputFormat* f : OutputFormatsFor(OutputSubject::kRegister)) outputs.push_back(f->name);
  app.add_option("--to", r.output_format,
                 fmt::format("Native format to write: {}. Default: from the --out extension, else {}",
                             fmt::join(outputs, ", "), outputs.front()))
      ->check(CLI::IsMember(outputs));
  AddLangOption(app, o.lang);
  inputs.Add(app, /*kb=*/false);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (list) {
    for (const auto& [name, description] : app::ImportFormats())
      io.out << fmt::format("{:<15} {}\n", name, description);
    return kExitOk;
  }
  if (positional.empty()) {
    io.err
        << app.get_name()
        << ": error: the file to import is missing\n  expected: blindspot import FILE [--format NAME] --out "
           "register.yaml\n";
    return kExitBadInput;
  }
  if (positional.size() == 2) {
    if (!r.format.empty() && r.format != positional[0]) {
      io.err << app.get_name()
             << fmt::format(": error: two formats given: '{}' and --format {}\n",
                            EscapeControl(positional[0]), EscapeControl(r.format));
      return kExitBadInput;
    }
    r.format = positional[0];
  }
  r.path = positional.back();
  if (auto rc = NoEmptyValues(app, {"--out", "--columns"}, io.err)) return *rc;
  if (!r.columns_path.empty() && r.columns_template) {
    io.err << app.get_name()
           << ": error: --columns and --columns-template exclude each other\n  expected: first `blindspot "
              "import FILE "
              "--columns-template > map.yaml`, then `blindspot import FILE --columns map.yaml`\n";
    return kExitBadInput;
  }
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Import(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/true, app);
  Print(io.err, outcome->notes);
  for (const Error& w : outcome->warnings) io.err << w.Format();
  if (!outcome->written) io.out << outcome->output;
  if (!outcome->summary.empty()) Print(io.err, {outcome->summary});
  return app::ExitCodeForWarnings(outcome->warnings, /*strict=*/false);
}

// ---- export ------------------------------------------------------------------

int CmdExport(const std::vector<std::string>& args, Io io) {
  std::vector<std::string> formats;
  for (const auto& [name, description] : app::ExportFormats()) formats.push_back(name);
  CLI::App app{fmt::format("Write a register (native or any importable format) in another format. The format "
                           "comes from the --out extension unless --format names it. Formats: {}",
                           fmt::join(formats, ", ")),
               "blindspot export"};
  app::Options o;
  o.env = io.env;
  app::ExportRequest r;
  InputOptions inputs;
  bool list = false;
  app.add_flag("--list", list, "List the export formats with their descriptions and extensions");
  app.add_option("--register,-r", r.register_path, "Register file");
  app.add_option("--out,-o", r.out_path, "Write the export here (atomically)");
  app.add_option("--format,-f", r.format, "Export format (default: from the --out extension)")
      ->check(CLI::IsMember(formats));
  AddLangOption(app, o.lang);
  inputs.Add(app, /*kb=*/false);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (list) {
    for (const auto& [name, description] : app::ExportFormats())
      io.out << fmt::format("{:<8} {}\n", name, description);
    return kExitOk;
  }
  if (r.register_path.empty() || r.out_path.empty()) {
    io.err << app.get_name() << ": error: " << (r.register_path.empty() ? "--register" : "--out")
           << " is missing\n  expected: blindspot export --register FILE --out FILE [--format NAME]\n";
    return kExitBadInput;
  }
  if (auto rc = NoEmptyValues(app, {"--out", "--register"}, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Export(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/true, app);
  for (const Error& w : outcome->warnings) io.err << w.Format();
  if (!outcome->written) io.out << outcome->output;
  if (!outcome->summary.empty()) Print(io.err, {outcome->summary});
  return kExitOk;
}

// ---- notice ------------------------------------------------------------------

int CmdNotice(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Write a privacy-statement draft (Art. 13/14 GDPR) from the register: who you are, each processing "
      "activity, each touchpoint, the data subjects' rights. What the register does not say is marked TO "
      "COMPLETE, never guessed.",
      "blindspot notice"};
  app::Options o;
  o.env = io.env;
  app::NoticeRequest r;
  InputOptions inputs;
  app.add_option("--register,-r", r.register_path, "Register file")->required();
  app.add_option("--out,-o", r.out_path, "Write the draft here (atomically) instead of standard output");
  app.add_option("--format,-f", r.format, "markdown or html (default: html for a .html --out, else markdown)")
      ->check(CLI::IsMember({"markdown", "html"}));
  app.add_option("--date", r.date, "The date shown in the draft (YYYY-MM-DD; default today)");
  AddLangOption(app, o.lang);
  inputs.Add(app);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--register", "--out", "--kb"}, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::Notice(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/true, app);
  for (const Error& w : outcome->warnings) io.err << w.Format();
  if (!outcome->written) io.out << outcome->output;
  Print(io.err, {outcome->summary});
  return kExitOk;
}

// ---- rules / kb ------------------------------------------------------------

int CmdRules(const std::vector<std::string>& args, Io io) {
  CLI::App app{"List the audit rules with severity, title and legal sources.", "blindspot rules"};
  app::Options o;
  o.env = io.env;
  std::string format;
  AddFormatOption(app, format, OutputSubject::kRules, false);
  AddLangOption(app, o.lang);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  auto text = app::Rules(o, format);
  if (!text) return Fail(text.error(), io.err, false, app);
  io.out << *text;
  return kExitOk;
}

int CmdKb(const std::vector<std::string>& args, Io io) {
  CLI::App app{"List the knowledge base of touchpoints (vendor products), or show one entry.",
               "blindspot kb"};
  app::Options o;
  o.env = io.env;
  std::string format, id;
  InputOptions inputs;
  app.add_option("id", id, "Show this entry in full");
  AddLangOption(app, o.lang);
  AddFormatOption(app, format, OutputSubject::kKb, false);
  inputs.Add(app);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto text = app::KbListing(o, id, format);
  if (!text) return Fail(text.error(), io.err, false, app);
  io.out << *text;
  return kExitOk;
}

// ---- match-filters -----------------------------------------------------------

int CmdMatchFilters(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Classify network requests against filter lists (Adblock Plus syntax: EasyPrivacy, EasyList). Reads "
      "lines url<TAB>source_url<TAB>type and prints one line per request: 'block<TAB>filter' or 'allow'. "
      "Types: script, image, stylesheet, object, xmlhttprequest, subdocument, ping, media, font, websocket, "
      "other, document, popup (and xhr, css, frame, doc, beacon, main_frame, sub_frame). See "
      "docs/filters.md.",
      "blindspot match-filters"};
  app::Options o;
  o.env = io.env;
  app::MatchFiltersRequest r;
  InputOptions inputs;
  app.add_option("--list,-l", r.lists,
                 "Filter list file (repeatable), e.g. "
                 "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist/easyprivacy.txt")
      ->required();
  app.add_option("--requests", r.requests,
                 "Requests file: url<TAB>source_url<TAB>type per line (- reads standard input)")
      ->required();
  app.add_flag("--stats", r.stats,
               "Also print what each list held (filters, skipped by reason) to standard error");
  AddLangOption(app, o.lang);
  inputs.Add(app, /*kb=*/false);
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--requests"}, io.err)) return *rc;
  if (auto rc = inputs.Apply(o, app, io.err)) return *rc;
  auto outcome = app::MatchFilters(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/false, app);
  Print(io.err, outcome->notes);
  io.out << outcome->output;
  return kExitOk;
}

int CmdVersion(const std::vector<std::string>& args, Io io) {
  CLI::App app{"Print the version of blindspot.", "blindspot version"};
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  io.out << "blindspot " << app::kVersion << "\n";
  return kExitOk;
}

// ---- discover ---------------------------------------------------------------

// discover dns DOMAIN: a live DNS snapshot (app::DiscoverDns).
int CmdDiscoverDns(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Ask a DNS resolver about a domain's mail, verification and marketing names (its TXT, MX and NS, "
      "_dmarc, "
      "the DKIM selectors platforms prescribe, marketing subdomains: data/discover/dns-probe.yaml) and write "
      "the answers as a zone file that audit and detect read with --evidence (docs/formats/discovery.md, "
      "Live "
      "DNS). DNS cannot list a zone: only these names are asked.",
      "blindspot discover dns"};
  app::Options o;
  o.env = io.env;
  app::DiscoverDnsRequest r;
  double timeout = 5;
  AddLangOption(app, o.lang);
  app.add_option("domain", r.domain, "The domain, e.g. example.org")->required();
  app.add_option("--out,-o", r.out_path,
                 "Write the snapshot to this file (atomically; default DOMAIN.zone in the current folder; - "
                 "prints it)");
  app.add_flag("--force", r.force, "Replace the --out file when it exists");
  app.add_option(
      "--server", r.resolver.server,
      "The resolver to ask: IP, IP:PORT or [IPv6]:PORT (default: the nameservers of /etc/resolv.conf)");
  app.add_option("--timeout", timeout, "Seconds to wait for each answer (default 5; 0.1 to 60)");
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--out", "--server"}, io.err)) return *rc;
  if (!(timeout >= 0.1 && timeout <= 60)) {
    io.err << app.get_name() << ": error: --timeout " << timeout << " is out of range\n"
           << "  expected: seconds from 0.1 to 60\n";
    return kExitBadInput;
  }
  r.resolver.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000));
  auto outcome = app::DiscoverDns(o, r);
  if (!outcome) return Fail(outcome.error(), io.err, /*writes=*/true, app);
  if (!outcome->written) io.out << outcome->zone;
  Print(io.err, outcome->lines);
  return kExitOk;
}

// discover KIND ...: one kind for now.
int CmdDiscover(const std::vector<std::string>& args_in, Io io) {
  // A --lang given before the command arrives first: it belongs after the kind.
  std::vector<std::string> lang, args;
  for (size_t i = 0; i < args_in.size(); ++i) {
    if (args.empty() && args_in[i] == "--lang" && i + 1 < args_in.size()) {
      lang = {args_in[i], args_in[i + 1]};
      ++i;
    } else if (args.empty() && args_in[i].starts_with("--lang=")) {
      lang = {args_in[i]};
    } else {
      args.push_back(args_in[i]);
    }
  }
  constexpr const char* kUsage =
      "usage: blindspot discover dns DOMAIN [--out FILE] [--force] [--server IP[:PORT]] [--timeout SECONDS]\n"
      "  dns   ask a resolver about the domain's mail, verification and marketing names and write a zone\n"
      "        file for --evidence (blindspot discover dns --help)\n";
  if (args.empty()) {
    io.err << "blindspot discover: error: say what to discover\n" << kUsage;
    return kExitBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    io.out << kUsage;
    return kExitOk;
  }
  if (args[0] != "dns") {
    io.err << "blindspot discover: error: unknown kind '" << EscapeControl(args[0]) << "'\n" << kUsage;
    return kExitBadInput;
  }
  std::vector<std::string> rest = lang;
  rest.insert(rest.end(), args.begin() + 1, args.end());
  return CmdDiscoverDns(rest, io);
}

// ---- scan -------------------------------------------------------------------

extern "C" void OnScanSignal(int sig) {
  static std::atomic<int> seen{0};
  scan::CancelFlag().store(true);
  scan::KillAllBrowsers();
  if (seen.fetch_add(1) > 0) ::_exit(128 + sig);
}

// The sites of --sites FILE: one URL per line; blank lines and # comments skipped.
std::vector<std::pair<int, std::string>> SiteLines(const std::string& text) {
  std::vector<std::pair<int, std::string>> out;
  int line = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string l = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    ++line;
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.pop_back();
    size_t b = l.find_first_not_of(" \t");
    if (b != std::string::npos && l[b] != '#') out.emplace_back(line, l.substr(b));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

// A folder name for a site's bundle: its host, safe for a file name.
std::string SiteFolder(const std::string& url) {
  UrlParts parts;
  std::string host = SplitUrl(url, &parts) ? std::string(parts.host) : url;
  std::string out;
  for (char c : host)
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_');
  return out.empty() ? "site" : out;
}

int CmdScan(const std::vector<std::string>& args_in, Io io) {
  CLI::App app{
      "Scan a live website in headless Chromium, in three consent phases (before consent, after reject all, "
      "after accept all), into a sealed evidence bundle (docs/formats/evidence.md).",
      "blindspot scan"};
  app::Options o;
  o.env = io.env;
  app::ScanRequest r;
  scan::ScanOptions& so = r.options;
  std::string url, sites, phases = "before-consent,after-reject,after-accept", lang;
  int page_timeout = 30, timeout = 900;
  bool no_screenshots = false;
  // --browser-arg takes values that start with '-': taken out before parsing.
  std::vector<std::string> args;
  for (size_t i = 0; i < args_in.size(); ++i) {
    if (args_in[i] == "--browser-arg" && i + 1 < args_in.size()) {
      so.browser_args.push_back(args_in[++i]);
    } else if (args_in[i].starts_with("--browser-arg=")) {
      so.browser_args.push_back(args_in[i].substr(14));
    } else {
      args.push_back(args_in[i]);
    }
  }
  app.add_option("url", url, "The start URL (https://www.example.nl/)");
  app.add_option("--sites", sites,
                 "A file with one start URL per line: one bundle per site in --out, and a table");
  app.add_option("--out,-o", r.out_dir, "The folder to write the evidence bundle to (new or empty)")
      ->required();
  app.add_option("--pages", so.max_pages, "Pages per phase, the start page included (default 20)");
  app.add_option("--concurrency", so.concurrency,
                 "Pages loading at once, all phases together (default: CPU cores + 1, 2 to 8; here " +
                     std::to_string(scan::DefaultConcurrency()) + ")");
  app.add_option("--page-timeout", page_timeout, "Seconds a page may take (default 30)");
  app.add_option("--timeout", timeout, "Seconds the whole scan may take (default 900)");
  app.add_option("--phases", phases,
                 "Consent phases to scan, comma-separated (default all three: "
                 "before-consent,after-reject,after-accept)");
  app.add_option("--lang", lang,
                 "Browser language (Accept-Language), e.g. nl, de, en-GB; also the output language "
                 "when blindspot has it (default nl)");
  app.add_option("--user-agent", so.user_agent, "User agent to send (default: the browser's own)");
  app.add_flag("--mobile", so.mobile, "Emulate a phone (viewport, touch, mobile user agent)");
  app.add_flag(
      "--fill-forms", so.fill_forms,
      "Type test values (e-mail, name, phone, postcode) into forms, never submitted, and look for them "
      "leaving the site (plain, encoded or hashed)");
  app.add_flag("--no-private-networks", so.no_private_networks,
               "Refuse loopback and private addresses (off by default so local test sites can be scanned)");
  app.add_flag("--no-screenshots", no_screenshots, "Leave out the screenshots");
  app.add_option("--browser", so.browser, "The Chromium to run (default /usr/bin/chromium)");
  app.add_option("--max-browser-memory", so.max_browser_memory_mb,
                 "End the browser above this many MB of resident memory (default 4096)");
  app.footer("--browser-arg ARG (repeatable) passes a flag to Chromium, e.g. a proxy or a host mapping.");
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--out", "--sites", "--browser"}, io.err)) return *rc;
  if (url.empty() == sites.empty()) {
    io.err << "blindspot scan: error: give either a start URL or --sites FILE\n"
           << "  hint: blindspot scan https://www.example.nl --out evidence/\n";
    return kExitBadInput;
  }
  so.lang = lang.empty() ? "nl" : lang;
  o.lang = "en";
  for (const Language& l : TextCatalog::Builtin().languages()) {
    if (so.lang == l.code || so.lang.starts_with(l.code + "-")) o.lang = l.code;
  }
  so.page_timeout = std::chrono::seconds(std::max(1, page_timeout));
  so.timeout = std::chrono::seconds(std::max(1, timeout));
  so.screenshots = !no_screenshots;
  so.phases.clear();
  for (size_t start = 0; start <= phases.size();) {
    size_t comma = phases.find(',', start);
    std::string name = phases.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto ph = scan::ParsePhase(name);
    if (!ph) {
      io.err << "blindspot scan: error: --phases: unknown phase '" << EscapeControl(name) << "'\n"
             << "  expected: before-consent, after-reject, after-accept\n";
      return kExitBadInput;
    }
    if (std::find(so.phases.begin(), so.phases.end(), *ph) == so.phases.end()) so.phases.push_back(*ph);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  r.command = {"blindspot", "scan"};
  r.command.insert(r.command.end(), args_in.begin(), args_in.end());

  bool tty = ::isatty(2) != 0 && &io.err == &std::cerr;
  size_t last_len = 0;
  scan::ProgressFn progress = [&](const scan::Progress& p) {
    std::string phase(scan::PhaseName(p.phase));
    if (tty) {
      std::string line = fmt::format("[{}/{} {}] {}/{} {}", p.phase_index + 1, p.phase_count, phase, p.done,
                                     p.total, EscapeControl(p.url));
      if (line.size() > 110) line = line.substr(0, 107) + "...";
      io.err << "\r" << line << std::string(last_len > line.size() ? last_len - line.size() : 0, ' ')
             << std::flush;
      last_len = line.size();
    } else if (p.finished_page) {
      io.err << fmt::format("{} {}/{} {}\n", phase, p.done, p.total, EscapeControl(p.url));
    }
  };

  struct sigaction sa {
  }, old_int{}, old_term{};
  sa.sa_handler = OnScanSignal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &old_int);
  ::sigaction(SIGTERM, &sa, &old_term);
  scan::CancelFlag().store(false);
  auto restore = [&] {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
  };

  std::vector<std::pair<int, std::string>> targets;
  if (!sites.empty()) {
    auto text = o.env->ReadFile(sites, 1 << 20, 0, "");
    if (!text) {
      restore();
      return Fail({text.error()}, io.err, false, app);
    }
    targets = SiteLines(*text);
    Diagnostics bad;
    for (const auto& [line, u] : targets) {
      auto ok = scan::CheckStartUrl(u, so.no_private_networks);
      if (!ok) {
        Error e = ok.error();
        e.where.file = sites;
        e.where.line = static_cast<uint32_t>(line);
        e.where.column = 1;
        bad.push_back(e);
      }
    }
    if (targets.empty()) {
      Error e = MakeError(ErrorKind::kUsage, "no site to scan", {sites}, "one URL per line").error();
      bad.push_back(e);
    }
    if (!bad.empty()) {
      restore();
      return Fail(bad, io.err, true, app);
    }
  } else {
    targets.emplace_back(0, url);
  }

  int rc = kExitOk;
  std::vector<std::vector<std::string>> table;
  for (const auto& [line, u] : targets) {
    app::ScanRequest one = r;
    one.options.start_url = u;
    if (!sites.empty()) one.out_dir = r.out_dir + (r.out_dir.ends_with("/") ? "" : "/") + SiteFolder(u);
    auto outcome = app::Scan(o, one, progress);
    if (tty && last_len > 0) {
      io.err << "\r" << std::string(last_len, ' ') << "\r" << std::flush;
      last_len = 0;
    }
    if (!outcome) {
      int code = Fail(outcome.error(), io.err, true, app);
      if (scan::CancelFlag().load()) {
        restore();
        io.err << "blindspot scan: cancelled; no evidence was written for " << EscapeControl(u) << "\n";
        return 130;
      }
      rc = std::max(rc, code);
      if (!sites.empty()) table.push_back({u, "-", "-", "error", "", "", one.out_dir});
      continue;
    }
    io.out << EscapeControl(outcome->start_url) << "\n";
    for (const auto& ph : outcome->phases) {
      io.out << EscapeControl(ph.line) << "\n";
      std::string list;
      for (const auto& t : ph.touchpoints) list += (list.empty() ? "" : ", ") + t;
      io.out << EscapeControl(list.empty()
                                  ? TextCatalog::Builtin().Render(Message(ui::scan_no_touchpoints), o.lang)
                                  : TextCatalog::Builtin().Render(
                                        Message(ui::scan_touchpoints_line).Text("list", list), o.lang))
             << "\n";
      if (!ph.summary.leak_lines.empty()) {
        std::string leaks;
        for (const auto& l : ph.summary.leak_lines) leaks += (leaks.empty() ? "" : "; ") + l;
        io.out << EscapeControl(
                      TextCatalog::Builtin().Render(Message(ui::scan_leaks_line).Text("list", leaks), o.lang))
               << "\n";
      }
    }
    Print(io.err, outcome->notes);
    io.err << EscapeControl(outcome->written) << "\n" << EscapeControl(outcome->next_step) << "\n";
    if (!sites.empty()) {
      std::vector<std::string> row = {outcome->start_url};
      uint64_t pages = 0, requests = 0;
      for (const auto& ph : outcome->phases) {
        pages = std::max<uint64_t>(pages, ph.summary.pages);
        requests += ph.summary.requests;
      }
      row.push_back(std::to_string(pages));
      row.push_back(std::to_string(requests));
      for (auto phase : {scan::Phase::kBeforeConsent, scan::Phase::kAfterReject, scan::Phase::kAfterAccept}) {
        std::string cell = "-";
        for (const auto& ph : outcome->phases) {
          if (ph.summary.phase == phase) cell = std::to_string(ph.touchpoints.size());
        }
        row.push_back(cell);
      }
      row.push_back(one.out_dir);
      table.push_back(row);
    }
  }
  restore();
  if (!table.empty()) {
    std::string header = TextCatalog::Builtin().Render(Message(ui::scan_sites_header), o.lang);
    std::vector<std::string> cols;
    for (size_t s = 0, e; s <= header.size(); s = e + 1) {
      e = header.find('|', s);
      if (e == std::string::npos) e = header.size();
      cols.push_back(header.substr(s, e - s));
    }
    std::vector<size_t> w(cols.size(), 0);
    for (size_t i = 0; i < cols.size(); ++i) w[i] = cols[i].size();
    for (const auto& row : table)
      for (size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], row[i].size());
    auto print = [&](const std::vector<std::string>& row) {
      std::string l;
      for (size_t i = 0; i < row.size() && i < w.size(); ++i)
        l += fmt::format("{:<{}}  ", EscapeControl(row[i]), w[i]);
      while (!l.empty() && l.back() == ' ') l.pop_back();
      io.out << l << "\n";
    };
    io.out << "\n";
    print(cols);
    for (const auto& row : table) print(row);
  }
  return rc;
}

struct Command {
  const char* name;
  const char* help;
  int (*handler)(const std::vector<std::string>&, Io);
  bool has_lang = true;  // takes --lang (also when given before the command)
};

// The subcommand table.
const Command kCommands[] = {
    {"audit", "Reconcile the register with HAR evidence; report blind spots and gaps", CmdAudit},
    {"detect", "Detect touchpoints in HAR files", CmdDetect},
    {"scan", "Scan a live website in headless Chromium (three consent phases) into an evidence bundle",
     CmdScan},
    {"discover", "Look up evidence live: dns DOMAIN writes a DNS zone snapshot for --evidence", CmdDiscover},
    {"verify", "Check an evidence bundle against its manifest (SHA-256 of every file)", CmdVerify},
    {"diff", "Compare two scans or HAR files: what appeared and disappeared", CmdDiff},
    {"validate", "Check a register file", CmdValidate},
    {"import",
     "Convert a register from another format (fides, vws, privacyregister, XLSX/CSV spreadsheets) to the "
     "native format",
     CmdImport},
    {"export", "Write a register as CSV, XLSX, Fides, VWS JSON, DPV JSON-LD or native YAML/JSON", CmdExport},
    {"notice", "Write a privacy-statement draft from the register (nl, en, de)", CmdNotice},
    {"rules", "List the audit rules and their legal sources", CmdRules},
    {"kb", "List or show knowledge-base entries", CmdKb},
    {"match-filters", "Classify requests against filter lists (EasyPrivacy, EasyList)", CmdMatchFilters,
     /*has_lang=*/true},
    {"serve", "Run the privacy administration as a web application (SQLite or PostgreSQL)", cli::CmdServe,
     /*has_lang=*/false},
    {"org", "Add or list organisations in the administration's database", cli::CmdOrg, /*has_lang=*/false},
    {"user", "Add a user to an organisation with a role", cli::CmdUser, /*has_lang=*/false},
    {"token", "Add an API token for scripts and CI", cli::CmdToken, /*has_lang=*/false},
    {"db", "Migrate or back up the administration's database", cli::CmdDb, /*has_lang=*/false},
    {"history", "Verify the hash chain of the change history", cli::CmdHistory, /*has_lang=*/false},
    {"publish",
     "Write the public register as a static site (nl/en/de + JSON) from the database or a register file",
     cli::CmdPublish, /*has_lang=*/false},
    {"version", "Print the version", CmdVersion, /*has_lang=*/false},
};

void Usage(std::ostream& os) {
  os << "blindspot — find the customer-contact touchpoints missing from your GDPR register\n\n"
        "usage: blindspot [--lang LANG] <command> [options]   (blindspot <command> --help for details)\n"
        "       options follow the command; only --lang may also come before it\n\ncommands:\n";
  for (const auto& c : kCommands) os << fmt::format("  {:<13} {}\n", c.name, c.help);
  os << "\nexit codes: 0 ok, 1 findings at or above --fail-on or of a --fail-on-rule rule (new ones with\n"
        "            --baseline/--accepted; verify: the bundle changed; diff: a difference),\n"
        "            2 bad input or usage (nothing written),\n"
        "            3 internal error, 4 a file could not be read or written (discover dns: the\n"
        "            resolver gave no usable answer),\n"
        "            5 validate, import: input that was not read (a skipped spreadsheet row, sheet or\n"
        "            cell; validate --strict: any warning); import still writes what it read\n";
}

}  // namespace

int RunCli(const std::vector<std::string>& args_in, std::ostream& out, std::ostream& err, Env* env) {
  if (!env) env = &Env::Default();
  // Options before the command: --help, --version and --lang (moved after
  // the command); any other one is named, since options follow the command.
  std::vector<std::string> global;
  size_t first = 0;
  for (; first < args_in.size(); ++first) {
    const std::string& a = args_in[first];
    if (a.size() < 2 || a[0] != '-') break;
    if (a == "--help" || a == "-h") {
      Usage(out);
      out.flush();
      return out.fail() ? kExitBadInput : kExitOk;
    }
    if (a == "--version") return CmdVersion({}, Io{out, err, env});
    if (a == "--lang" && first + 1 < args_in.size()) {
      global = {a, args_in[++first]};
    } else if (a.starts_with("--lang=")) {
      global = {a};
    } else {
      err << "blindspot: error: "
          << (a == "--lang" ? "--lang needs a value"
                            : "unknown option '" + EscapeControl(a) + "' before the command")
          << "\n";
      err << "  hint: options follow the command, e.g. blindspot detect site.har --lang nl; only --lang may "
             "also "
             "come before it\n";
      return kExitBadInput;
    }
  }
  std::vector<std::string> args(args_in.begin() + static_cast<ptrdiff_t>(first), args_in.end());
  if (args.empty()) {
    if (!global.empty()) err << "blindspot: error: no command given\n";
    Usage(err);
    return kExitBadInput;
  }
  if (args[0] == "help") {
    Usage(out);
    out.flush();
    return out.fail() ? kExitBadInput : kExitOk;
  }
  if (const Diagnostics& broken = TextCatalog::Builtin().load_errors(); !broken.empty()) {
    err << "blindspot: internal error: the built-in texts do not load:\n";
    for (const Error& e : broken) err << e.Format();
    return kExitInternal;
  }
  for (const auto& c : kCommands) {
    if (args[0] != c.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    // A --lang before the command applies unless the command has its own.
    bool own_lang = false;
    for (const std::string& a : rest) {
      if (a == "--") break;
      own_lang = own_lang || a == "--lang" || a.starts_with("--lang=");
    }
    if (c.has_lang && !own_lang) rest.insert(rest.begin(), global.begin(), global.end());
    try {
      int rc = c.handler(rest, Io{out, err, env});
      out.flush();
      if (out.fail()) {
        err << "blindspot " << c.name
            << ": error: cannot write to standard output (disk full or closed pipe?)\n";
        return kExitIo;
      }
      return rc;
    } catch (const std::exception& e) {
      err << "blindspot " << c.name << ": internal error: " << e.what() << "\n";
      return kExitInternal;
    }
  }
  err << "blindspot: error: unknown command '" << EscapeControl(args[0]) << "'\n";
  Usage(err);
  return kExitBadInput;
}

}  // namespace blindspot

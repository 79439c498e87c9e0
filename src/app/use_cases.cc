// The use cases: validate, import, export, detect, audit, rules, kb. Each reads its
// inputs through the Env, renders through the output-format registry and
// writes through WriteOutput; texts for the user are in the options' language.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "app/gate_inputs.h"
#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/draft.h"
#include "blindspot/suggest.h"
#include "blindspot/terminal.h"
#include "blindspot/text_ids.h"
#include "io/unimportable.h"

namespace blindspot::app {
namespace {

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }

// Files an output must not replace: the given inputs and the files of the
// knowledge-base directory.
std::vector<std::string> Protected(const Options& o, std::vector<std::string> inputs) {
  if (!o.kb_dir.empty()) {
    if (auto names = o.env->ListDirectory(o.kb_dir, ".yaml"))
      for (const std::string& n : *names)
        inputs.push_back(o.kb_dir + (o.kb_dir.ends_with("/") ? "" : "/") + n);
  }
  return inputs;
}

std::string Say(const Options& o, const Message& m) { return TextCatalog::Builtin().Render(m, o.lang); }

}  // namespace

std::expected<DetectOptions, Diagnostics> DetectOptionsFor(const Options& o,
                                                           const std::vector<std::string>& first_party,
                                                           std::vector<std::string>* notes) {
  DetectOptions out;
  Diagnostics errors;
  for (const std::string& given : first_party) {
    auto domain = ParseFirstParty(given);
    if (!domain) {
      errors.push_back(domain.error());
      continue;
    }
    std::string lower = given;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!lower.empty() && lower.back() == '.') lower.pop_back();
    if (*domain != lower && notes)
      notes->push_back(
          Say(o, Message(ui::note_first_party_domain).Text("given", given).Text("domain", *domain)));
    if (std::find(out.first_party.begin(), out.first_party.end(), *domain) == out.first_party.end())
      out.first_party.push_back(std::move(*domain));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  auto filters = LoadDetectionFilters(o, notes);
  if (!filters) return std::unexpected(One(filters.error()));
  out.filters = std::move(*filters);
  return out;
}

void NoteReadWarnings(const Options& o, const DetectionResult& d, std::vector<std::string>* notes) {
  // A discovery file's warnings are notes of their own (DetectEvidence), with their place.
  for (const EvidenceSourceInfo& s : d.sources)
    if (s.warnings > 0 && s.kind == "har")
      notes->push_back(Say(o, Message(ui::note_read_warnings)
                                  .Text("source", s.name)
                                  .Number("n", static_cast<int64_t>(s.warnings))));
}

std::expected<ValidateOutcome, Diagnostics> Validate(const Options& o, const std::string& path, bool strict) {
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  auto in = LoadRegister(o, path, &(*index)->kb());
  if (!in) return std::unexpected(std::move(in.error()));
  ValidateOutcome out;
  const Register& r = *in->reg;
  out.exit_code = ExitCodeForWarnings(in->warnings, strict);
  const auto count = [&](bool not_read_only) {
    return std::count_if(in->warnings.begin(), in->warnings.end(), [&](const Error& w) {
      return w.warning && !w.note && (w.not_read || !not_read_only);
    });
  };
  if (const auto unread = count(true); unread > 0)
    out.summary = Say(o, Message(ui::validate_not_read)
                             .Text("file", path)
                             .Number("activities", static_cast<int64_t>(r.activities.size()))
                             .Number("n", unread));
  else if (out.exit_code != kExitOk)
    out.summary = Say(o, Message(ui::validate_strict).Text("file", path).Number("n", count(false)));
  else
    out.summary = Say(o, Message(ui::validate_summary)
                             .Text("file", path)
                             .Number("activities", static_cast<int64_t>(r.activities.size()))
                             .Number("processors", static_cast<int64_t>(r.processors.size()))
                             .Number("systems", static_cast<int64_t>(r.systems.size()))
                             .Number("touchpoints", static_cast<int64_t>(r.touchpoints.size())));
  out.inputs = std::move(*in);
  return out;
}

std::vector<std::pair<std::string, std::string>> ImportFormats() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Importer& i : AllImporters()) out.emplace_back(i.name, i.description);
  return out;
}

std::expected<ImportOutcome, Diagnostics> Import(const Options& o, const ImportRequest& r) {
  std::string names;
  for (const Importer& i : AllImporters()) names += (names.empty() ? "" : ", ") + i.name;
  const Importer* imp = nullptr;
  if (!r.format.empty()) {
    imp = FindImporter(r.format);
    if (!imp)
      return std::unexpected(
          One(MakeError(ErrorKind::kUsage, "unknown import format '" + r.format + "'", {}, "one of " + names)
                  .error()));
  }
  auto format = ChooseOutputFormat(OutputSubject::kRegister, r.output_format, r.out_path);
  if (!format) return std::unexpected(One(format.error()));
  ImportOutcome out;
  const std::string example = ExampleOutputName("register", **format);
  if (auto st = CheckOutput(o, r.out_path, **format, !r.output_format.empty(), example, &out.notes); !st)
    return std::unexpected(One(st.error()));
  auto text = o.env->ReadFile(r.path, o.limits.max_text_bytes, 0, "--max-input-size");
  if (!text) return std::unexpected(One(text.error()));
  // An empty file, an .xls, an .ods, a native register: said as such, not as
  // a CSV that is not UTF-8 or an unknown format.
  if (auto bad = UnimportableFile(*text, r.path, imp || r.columns_template || !r.columns_path.empty()))
    return std::unexpected(One(std::move(*bad)));
  RegisterReadOptions ro;
  ro.today = o.env->Today();
  if (r.columns_template) {
    // A starting column map instead of an import: printed, or written to --out.
    auto map = SpreadsheetColumnMap(*text, r.path);
    if (!map) return std::unexpected(std::move(map.error()));
    out.format = "spreadsheet";
    if (auto st = WriteOutput(o, r.out_path, *map, {r.path}, example); !st)
      return std::unexpected(One(st.error()));
    out.written = !r.out_path.empty() && r.out_path != "-";
    out.output = std::move(*map);
    return out;
  }
  if (!r.columns_path.empty()) {
    auto map = o.env->ReadFile(r.columns_path, o.limits.max_text_bytes, 0, "--max-input-size");
    if (!map) return std::unexpected(One(map.error()));
    ro.column_map = std::move(*map);
    ro.column_map_file = r.columns_path;
    if (!imp) imp = FindImporter("spreadsheet");
  }
  // A .csv file no template recognises is still read as a spreadsheet: its
  // error says which columns were found and how to map them.
  if (!imp && (r.path.ends_with(".csv") || r.path.ends_with(".CSV") || r.path.ends_with(".xlsx"))) {
    bool sniffed = false;
    for (const Importer& i : AllImporters()) sniffed = sniffed || (i.sniff && i.sniff(*text));
    if (!sniffed) imp = FindImporter("spreadsheet");
  }
  if (!imp) {
    for (const Importer& i : AllImporters())
      if (i.sniff && i.sniff(*text)) {
        imp = &i;
        break;
      }
    if (!imp) {
      SourceLocation where;
      where.file = r.path;
      return std::unexpected(
          One(MakeError(ErrorKind::kUsage, "the format of the register could not be recognised", where,
                        "a register in one of the import formats: " + names,
                        "name the format with --format NAME; `blindspot import --list` lists them")
                  .error()));
    }
  }
  out.format = imp->name;
  auto reg = imp->import(*text, r.path, ro);
  if (!reg) return std::unexpected(std::move(reg.error()));
  OutputInput in;
  in.reg = &reg->reg;
  auto rendered = (*format)->render(in);
  if (!rendered) return std::unexpected(One(rendered.error()));
  // The importer validated the register (ValidateImported); that the native
  // writers' output reads back as the same register is what the round-trip
  // tests (src/io/register_io_test.cc) and register_fuzz check, so the
  // output is not parsed once more here (at 100,000 activities that took
  // longer than the import itself).
  out.warnings = std::move(reg->warnings);
  if (auto st = WriteOutput(o, r.out_path, *rendered, {r.path}, example); !st)
    return std::unexpected(One(st.error()));
  out.written = !r.out_path.empty() && r.out_path != "-";
  if (out.written)
    out.summary = Say(o, Message(ui::import_summary)
                             .Text("out", r.out_path)
                             .Number("activities", static_cast<int64_t>(reg->reg.activities.size()))
                             .Number("systems", static_cast<int64_t>(reg->reg.systems.size()))
                             .Text("file", r.path)
                             .Text("format", imp->name)
                             .Number("warnings", std::count_if(out.warnings.begin(), out.warnings.end(),
                                                               [](const Error& w) { return !w.note; })));
  // Input left out (a skipped row, a cut cell): said after the summary; the
  // exit code (ExitCodeForWarnings) tells a script.
  if (const auto unread = std::count_if(out.warnings.begin(), out.warnings.end(),
                                        [](const Error& w) { return w.warning && !w.note && w.not_read; });
      unread > 0)
    out.summary +=
        (out.summary.empty() ? "" : "\n") + Say(o, Message(ui::import_not_read).Number("n", unread));
  out.output = std::move(*rendered);
  return out;
}

std::vector<std::pair<std::string, std::string>> ExportFormats() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Exporter& e : AllExporters()) {
    std::string ext;
    for (const std::string& x : e.extensions) ext += (ext.empty() ? "" : ", ") + x;
    out.emplace_back(e.name, e.description + " [" + ext + (e.default_for_extension ? ", default" : "") + "]");
  }
  return out;
}

std::expected<ExportOutcome, Diagnostics> Export(const Options& o, const ExportRequest& r) {
  const bool to_file = !r.out_path.empty() && r.out_path != "-";
  const Exporter* exporter = nullptr;
  if (!r.format.empty()) {
    exporter = FindExporter(r.format);
    if (!exporter) {
      std::string names;
      for (const Exporter& e : AllExporters()) names += (names.empty() ? "" : ", ") + e.name;
      return std::unexpected(One(MakeError(ErrorKind::kUsage, "unknown export format '" + r.format + "'", {},
                                           "one of " + names, "`blindspot export --list` lists them")
                                     .error()));
    }
  }
  // --out naming a directory: said before its "extension" is looked at, with
  // a register file name as the example (not the audit's report.html).
  if (to_file) {
    auto info = o.env->Stat(r.out_path);
    if (r.out_path.ends_with('/') || (info && info->is_directory)) {
      SourceLocation where;
      where.file = r.out_path;
      std::string example = "register" + (exporter ? exporter->extensions.front() : std::string(".xlsx"));
      return std::unexpected(One(
          MakeError(ErrorKind::kUsage, "--out names a directory, not a file", where, "a file name",
                    "add a file name, e.g. " + r.out_path + (r.out_path.ends_with('/') ? "" : "/") + example)
              .error()));
    }
  }
  if (!exporter && to_file) {
    auto found = ExporterForPath(r.out_path);
    if (!found) return std::unexpected(One(found.error()));
    exporter = *found;
  } else if (!exporter) {
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "no export format: no output file and no --format", {},
                      "--out FILE with a known extension, or --format NAME")
                .error()));
  }
  auto in = LoadRegister(o, r.register_path);
  if (!in) return std::unexpected(std::move(in.error()));
  ExportOptions eo;
  eo.lang = o.lang;
  eo.today = o.env->Today();
  auto bytes = exporter->write(*in->reg, eo);
  if (!bytes) {
    Error e = bytes.error();
    if (e.where.file.empty()) e.where.file = r.register_path;
    e.message = "export to " + exporter->name + ": " + e.message;
    return std::unexpected(One(std::move(e)));
  }
  ExportOutcome out;
  out.format = exporter->name;
  out.warnings = std::move(in->warnings);
  // An explicit format wins over the extension; warn when the extension is
  // another exporter's (CSV in register.xlsx is surprising), as CheckOutput
  // does for reports.
  if (!r.format.empty() && to_file) {
    std::string lower = r.out_path;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto longest = [&](const Exporter& e) {
      size_t n = 0;
      for (const std::string& x : e.extensions)
        if (lower.ends_with(x)) n = std::max(n, x.size());
      return n;
    };
    auto by_path = ExporterForPath(r.out_path);
    if (by_path && *by_path != exporter && longest(**by_path) > longest(*exporter)) {
      Error w;
      w.kind = ErrorKind::kUsage;
      w.warning = true;
      w.where.file = r.out_path;
      w.message = "writing " + exporter->name + ", but the extension " +
                  r.out_path.substr(r.out_path.size() - longest(**by_path)) + " is that of " +
                  (*by_path)->name;
      out.warnings.push_back(std::move(w));
    }
  }
  // Only the native formats carry touchpoints (export.md): the others leave
  // them out, which is said rather than done silently.
  if (exporter->name != "yaml" && exporter->name != "json" && !in->reg->touchpoints.empty()) {
    Error w;
    w.kind = ErrorKind::kUsage;
    w.warning = true;
    w.where.file = r.out_path;
    w.message = fmt::format(
        "the register's {} touchpoint(s) and their answers are not written: format {} has no place for them",
        in->reg->touchpoints.size(), exporter->name);
    w.hint =
        "keep the native register (YAML or JSON) as the register; docs/formats/export.md lists what each "
        "format leaves out";
    out.warnings.push_back(std::move(w));
  }
  if (auto st =
          WriteOutput(o, r.out_path, *bytes, {r.register_path}, "register" + exporter->extensions.front());
      !st)
    return std::unexpected(One(st.error()));
  out.written = to_file;
  if (out.written)
    out.summary = Say(o, Message(ui::export_summary)
                             .Text("out", r.out_path)
                             .Number("activities", static_cast<int64_t>(in->reg->activities.size()))
                             .Text("file", r.register_path)
                             .Text("format", exporter->name));
  out.output = std::move(*bytes);
  return out;
}

// Opens the evidence, runs detection over it and notes its reading warnings.
static Result<DetectionResult> DetectEvidence(const Options& o, const std::shared_ptr<const KbIndex>& index,
                                              const DetectOptions& options,
                                              const std::vector<std::string>& evidence,
                                              const std::vector<std::string>& bundles,
                                              const std::string& domain, std::vector<std::string>* notes) {
  std::vector<std::string> all = evidence;
  all.insert(all.end(), bundles.begin(), bundles.end());
  DiscoveryOptions discovery;
  discovery.domain = domain;
  auto opened = OpenEvidence(o, all, notes, discovery);
  if (!opened) return std::unexpected(opened.error());
  for (const auto& [name, report] : opened->discoveries)
    for (const Error& w : report->warnings) notes->push_back(w.Format());
  auto detection = blindspot::Detect(index, opened->sources, options, opened->discoveries);
  if (!detection) return detection;
  NoteReadWarnings(o, *detection, notes);
  return detection;
}

std::expected<DetectOutcome, Diagnostics> Detect(const Options& o, const DetectRequest& r) {
  auto format = ChooseOutputFormat(OutputSubject::kDetection, r.format, r.out_path);
  if (!format) return std::unexpected(One(format.error()));
  DetectOutcome out;
  const std::string example = ExampleOutputName("detection", **format);
  if (auto st = CheckOutput(o, r.out_path, **format, !r.format.empty(), example, &out.notes); !st)
    return std::unexpected(One(st.error()));
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  auto options = DetectOptionsFor(o, r.first_party, &out.notes);
  if (!options) return std::unexpected(std::move(options.error()));
  auto detection = DetectEvidence(o, *index, *options, r.evidence, r.bundles, r.domain, &out.notes);
  if (!detection) return std::unexpected(One(detection.error()));
  if (detection->entries == 0 && detection->discoveries.empty())
    out.notes.push_back(Say(o, Message(ui::note_no_requests)));
  OutputInput in;
  in.detection = &*detection;
  in.options.lang = o.lang;
  auto rendered = (*format)->render(in);
  if (!rendered) return std::unexpected(One(rendered.error()));
  std::vector<std::string> evidence_paths = r.evidence;  // --evidence files too: never overwritten
  evidence_paths.insert(evidence_paths.end(), r.bundles.begin(), r.bundles.end());
  if (auto st = WriteOutput(o, r.out_path, *rendered, Protected(o, evidence_paths), example); !st)
    return std::unexpected(One(st.error()));
  out.written = !r.out_path.empty() && r.out_path != "-";
  out.output = std::move(*rendered);
  out.detection = std::move(*detection);
  return out;
}

// The HTML report printed to PDF by o.print_pdf (default: Chromium headless),
// each page with "Page n of m" in the report language at its foot.
static Result<std::string> PrintReport(const Options& o, const std::string& browser,
                                       const std::string& html) {
  scan::PrintOptions po;
  if (!browser.empty()) po.browser = browser;
  // Chromium fills in the spans; the sentence around them is the catalogue's.
  std::string line =
      TextCatalog::Builtin().Render(Message(ui::pdf_page).Text("page", "\x01").Text("pages", "\x02"), o.lang);
  std::string escaped;
  for (char c : line) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '\x01':
        escaped += "<span class=\"pageNumber\"></span>";
        break;
      case '\x02':
        escaped += "<span class=\"totalPages\"></span>";
        break;
      default:
        escaped += c;
    }
  }
  po.footer_html =
      "<div style=\"width:100%;font:8pt sans-serif;color:#5b6675;text-align:center;\">" + escaped + "</div>";
  return o.print_pdf ? o.print_pdf(html, po) : scan::PrintPdf(html, po);
}

std::expected<AuditOutcome, Diagnostics> Audit(const Options& o, const AuditRequest& r) {
  // Every choice that can fail without reading anything is made first.
  auto format = ChooseOutputFormat(OutputSubject::kAudit, r.format, r.out_path);
  if (!format) return std::unexpected(One(format.error()));
  AuditOutcome out;
  const std::string example = ExampleOutputName("report", **format);
  if (auto st = CheckOutput(o, r.out_path, **format, !r.format.empty(), example, &out.notes); !st)
    return std::unexpected(One(st.error()));
  auto gate_inputs = LoadGateInputs(o, r);
  if (!gate_inputs) return std::unexpected(std::move(gate_inputs.error()));
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));

  auto options = DetectOptionsFor(o, r.first_party, &out.notes);
  if (!options) return std::unexpected(std::move(options.error()));
  LoadedInputs inputs;
  if (!r.register_path.empty()) {
    auto loaded = LoadRegister(o, r.register_path, &(*index)->kb());
    if (!loaded) return std::unexpected(std::move(loaded.error()));
    inputs = std::move(*loaded);
    for (const Error& w : inputs.warnings) out.notes.push_back(w.Format());
  } else {
    inputs.reg = std::make_shared<const Register>();
    out.notes.push_back(Say(o, Message(ui::note_no_register)));
  }

  auto detection = DetectEvidence(o, *index, *options, r.evidence, r.bundles, r.domain, &out.notes);
  if (!detection) return std::unexpected(One(detection.error()));
  if (detection->entries == 0 && detection->discoveries.empty()) {
    // An empty capture proves nothing; a CI gate must not pass on it.
    SourceLocation where;
    where.file = !r.evidence.empty() ? r.evidence.front()
                 : r.bundles.empty() ? std::string()
                                     : r.bundles.front();
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "the evidence contains no requests, so there is nothing to audit",
                      where, "a HAR with the requests of at least one page load",
                      "open DevTools (Network tab) before loading the page, then 'Save all as HAR'")
                .error()));
  }

  auto statements = LoadStatements(o, r.statements, r.bundles);
  if (!statements) return std::unexpected(std::move(statements.error()));
  out.result = RunAudit(inputs.reg, std::shared_ptr<const Kb>(*index, &(*index)->kb()), std::move(*detection),
                        std::move(*statements));
  // The action list's due dates (docs/actions.md) count from --as-of, else the day of the audit
  // (an old export's date would give due dates that have passed); without a timestamp, from the
  // evidence date (as RunAudit made it) so the report is reproducible, or in days.
  if (!r.as_of.empty())
    out.result.actions = BuildActionList(out.result, r.as_of);
  else if (r.timestamp)
    out.result.actions = BuildActionList(out.result, o.env->Today());
  out.source_map = std::move(inputs.source_map);
  out.gate = EvaluateGate(out.result.findings, gate_inputs->baseline ? &*gate_inputs->baseline : nullptr,
                          std::move(gate_inputs->accepted), gate_inputs->as_of);

  OutputInput in;
  in.audit = &out.result;
  in.options.lang = o.lang;
  in.options.tool_version = kVersion;
  in.options.source_map = &out.source_map;
  in.options.gate = &out.gate;
  if (r.timestamp) in.options.generated_at = o.env->NowIso();
  auto rendered = (*format)->render(in);
  if (!rendered) return std::unexpected(One(rendered.error()));
  if ((*format)->printed) {
    // The report core rendered the HTML; printing it is I/O (a browser), done here.
    auto pdf = PrintReport(o, r.browser, *rendered);
    if (!pdf) return std::unexpected(One(pdf.error()));
    rendered = std::move(pdf);
  }

  std::vector<std::string> inputs_paths = r.evidence;
  inputs_paths.insert(inputs_paths.end(), r.bundles.begin(), r.bundles.end());  // --evidence files
  if (!r.register_path.empty()) inputs_paths.push_back(r.register_path);
  inputs_paths.insert(inputs_paths.end(), r.statements.begin(), r.statements.end());
  for (const std::string* p : {&r.baseline_path, &r.accepted_path})
    if (!p->empty() && *p != r.write_baseline_path) inputs_paths.push_back(*p);
  if (!r.write_drafts_path.empty() &&
      (r.write_drafts_path == r.out_path || r.write_drafts_path == r.write_baseline_path))
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "--write-drafts names the same file as another output",
                      {r.write_drafts_path, 0, 0, 0, false}, "a file of its own",
                      "e.g. --write-drafts register-with-drafts.yaml")
                .error()));
  if (!r.write_baseline_path.empty() && r.write_baseline_path == r.out_path)
    return std::unexpected(One(MakeError(ErrorKind::kUsage, "--write-baseline and --out name the same file",
                                         {r.out_path, 0, 0, 0, false}, "two different files",
                                         "e.g. --write-baseline blindspot-baseline.yaml")
                                   .error()));
  // The baseline must not replace an input either; checked before anything is written.
  for (const std::string& in : Protected(o, inputs_paths))
    if (!r.write_baseline_path.empty() &&
        (in == r.write_baseline_path || o.env->SameFile(in, r.write_baseline_path)))
      return std::unexpected(One(
          MakeError(ErrorKind::kUsage, "the output file is one of the inputs; it would be overwritten",
                    {r.write_baseline_path, 0, 0, 0, false}, "a --write-baseline file that is not an input",
                    "e.g. --write-baseline blindspot-baseline.yaml")
              .error()));
  // Nor the drafts: all checked before the report is written, so a refusal
  // leaves nothing half-done.
  for (const std::string& in : Protected(o, inputs_paths))
    if (!r.write_drafts_path.empty() &&
        (in == r.write_drafts_path || o.env->SameFile(in, r.write_drafts_path)))
      return std::unexpected(
          One(MakeError(ErrorKind::kUsage, "the output file is one of the inputs; it would be overwritten",
                        {r.write_drafts_path, 0, 0, 0, false}, "a --write-drafts file that is not an input",
                        "e.g. --write-drafts register-with-drafts.yaml")
                  .error()));
  if (auto st = WriteOutput(o, r.out_path, *rendered, Protected(o, inputs_paths), example); !st)
    return std::unexpected(One(st.error()));
  if (!r.write_baseline_path.empty()) {
    std::string text = SerializeBaseline(out.result.findings, gate_inputs->as_of, BaselineTitle);
    if (auto st = WriteOutput(o, r.write_baseline_path, text, Protected(o, inputs_paths),
                              "blindspot-baseline.yaml");
        !st)
      return std::unexpected(One(st.error()));
    std::set<std::string> distinct;
    for (const std::string& fp : out.gate.fingerprints) distinct.insert(fp);
    out.baseline_line = Say(o, Message(ui::baseline_written)
                                   .Text("out", r.write_baseline_path)
                                   .Number("n", static_cast<int64_t>(distinct.size())));
  }
  if (!r.write_drafts_path.empty()) {
    // The register as audited (never the file given: it stays as it is) with
    // one draft touchpoint per blind spot and inference.
    Register with = *out.result.reg;
    DraftOptions draft_options;
    draft_options.date = gate_inputs->as_of;
    std::vector<Touchpoint> drafts = DraftTouchpoints(out.result, draft_options);
    std::string names;
    for (const Touchpoint& t : drafts) names += (names.empty() ? "" : ", ") + t.id;
    with.touchpoints.insert(with.touchpoints.end(), drafts.begin(), drafts.end());
    if (auto st = WriteOutput(o, r.write_drafts_path, WriteRegisterYaml(with), Protected(o, inputs_paths),
                              "register-with-drafts.yaml");
        !st)
      return std::unexpected(One(st.error()));
    out.drafts_line = Say(o, Message(ui::drafts_written)
                                 .Text("out", r.write_drafts_path)
                                 .Number("n", static_cast<int64_t>(drafts.size()))
                                 .Text("ids", names.empty() ? "" : ": " + names));
  }
  out.written = !r.out_path.empty() && r.out_path != "-";
  out.output = std::move(*rendered);

  const AuditResult& res = out.result;
  if (out.written) {
    // As the report's summary counts (an inferred touchpoint apart).
    const AuditResult::TouchpointCounts n = res.CountTouchpoints();
    out.summary = Say(o, Message(ui::audit_summary)
                             .Text("out", r.out_path)
                             .Number("detected", static_cast<int64_t>(n.detected))
                             .Number("inferred", static_cast<int64_t>(n.inferred))
                             .Number("blind", static_cast<int64_t>(n.blind_spots))
                             .Number("findings", static_cast<int64_t>(res.findings.size()))
                             .Number("high", static_cast<int64_t>(res.CountAtLeast(Severity::kHigh))));
  }
  GateOutcome(o, r, res, out);
  return out;
}

std::expected<std::string, Diagnostics> Rules(const Options& o, const std::string& format) {
  auto f = ChooseOutputFormat(OutputSubject::kRules, format, "");
  if (!f) return std::unexpected(One(f.error()));
  OutputInput in;
  in.options.lang = o.lang;
  auto r = (*f)->render(in);
  if (!r) return std::unexpected(One(r.error()));
  return *r;
}

std::expected<std::string, Diagnostics> KbListing(const Options& o, const std::string& id,
                                                  const std::string& format) {
  auto f = ChooseOutputFormat(OutputSubject::kKb, format, "");
  if (!f) return std::unexpected(One(f.error()));
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  const Kb& kb = (*index)->kb();
  if (!id.empty() && !kb.Find(id)) {
    std::vector<std::string_view> ids;
    for (const KbEntry& e : kb.entries()) ids.push_back(e.id);
    std::string guess = DidYouMeanOneOf(id, ids);  // case is ignored: META-PIXEL -> meta-pixel
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "no knowledge-base entry '" + id + "'", {}, "",
                      (guess.empty() ? "" : guess + " ") + "run 'blindspot kb' to list the ids")
                .error()));
  }
  OutputInput in;
  in.kb = &kb;
  in.kb_entry = id;
  in.options.lang = o.lang;
  auto r = (*f)->render(in);
  if (!r) return std::unexpected(One(r.error()));
  return *r;
}

}  // namespace blindspot::app

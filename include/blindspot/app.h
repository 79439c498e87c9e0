// The application layer: every use case once, for every door. The CLI
// (src/cli) and the coming HTTP API call these functions; they hold the
// policy (which register and evidence are read and how, which knowledge base,
// which output format, what is written where, what counts as failing) and do
// all file I/O through an Env. The doors only parse their input and map
// errors to exit codes or HTTP statuses (ExitCodeFor).
//
// Errors are values: a use case returns the problems it found (Diagnostics:
// all problems of a register at once, else one error). Nothing is written
// when a use case fails. Thread-safety: the functions share only immutable
// state (the built-in knowledge base and its index, the text catalogue), so
// distinct requests may run on distinct threads with their own Env or the
// default one.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/bundle.h"
#include "blindspot/detect.h"
#include "blindspot/dnslive.h"
#include "blindspot/env.h"
#include "blindspot/filter.h"
#include "blindspot/input.h"
#include "blindspot/io.h"
#include "blindspot/print.h"
#include "blindspot/report.h"
#include "blindspot/scan.h"

namespace blindspot::app {

inline constexpr const char* kVersion = "0.2.0";

// What every use case needs from its caller.
struct Options {
  Env* env = &Env::Default();
  InputLimits limits;
  std::string lang = "en";  // a language of TextCatalog::Builtin()
  std::string kb_dir;       // empty = the built-in knowledge base
  // Filter lists that flag unidentified trackers in detect and audit: the
  // EasyPrivacy and EasyList of Debian's webext-ublock-origin-chromium
  // (kDefaultFilterListDir) unless default_filter_lists is false, plus these.
  std::vector<std::string> filter_lists;
  bool default_filter_lists = true;
  // The printer of formats marked `printed` (the audit's pdf): HTML in, PDF
  // bytes out. Empty = scan::PrintPdf (Chromium headless); tests set another.
  std::function<Result<std::string>(std::string_view html, const scan::PrintOptions&)> print_pdf;
};

// Where Debian's webext-ublock-origin-chromium keeps EasyList and EasyPrivacy.
inline constexpr std::string_view kDefaultFilterListDir =
    "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist";

// Process exit codes, mapped in one place for the CLI (the HTTP layer maps
// the same kinds to statuses).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // findings at or above --fail-on
inline constexpr int kExitBadInput = 2;  // bad input or usage; nothing was written
inline constexpr int kExitInternal = 3;  // a defect of blindspot
inline constexpr int kExitIo = 4;        // a file could not be read or written
// The register was read, but not all of its input: a warning marked not_read
// names each row, sheet or cell left out (with validate --strict: any
// warning). validate does not call it valid; import still writes what it read.
inline constexpr int kExitNotRead = 5;
int ExitCodeFor(const Diagnostics& errors);
// For a use case that succeeded with `warnings`: kExitNotRead when one of
// them is marked not_read, or with `strict` when there is any warning (notes
// do not count); else kExitOk.
int ExitCodeForWarnings(const Diagnostics& warnings, bool strict);

// ---- inputs -----------------------------------------------------------------

struct LoadedInputs {
  std::shared_ptr<const Register> reg;  // never null; empty when no register was given
  SourceMap source_map;
  Diagnostics warnings;
};

// Reads a register (native YAML/JSON or any importable format) through the
// Env, within limits.max_text_bytes. With `kb` (the knowledge base in use;
// only read during the call), each touchpoint whose product id that kb does
// not have adds a warning with file:line:col and a did-you-mean
// (CheckProductIds).
std::expected<LoadedInputs, Diagnostics> LoadRegister(const Options& o, const std::string& path,
                                                      const Kb* kb = nullptr);

// The knowledge base and its index: the built-in one is loaded and compiled
// once per process and shared; a directory (o.kb_dir) is read through the Env.
Result<std::shared_ptr<const KbIndex>> LoadKbIndex(const Options& o);

// Opens evidence files (HAR) through the Env. Repeated paths (the same file
// twice) are read once; `notes` receives a line for each. Reports name each
// source by its base name (two different files with the same base name get
// their parent folder too). A path that is a folder is an evidence bundle
// (OpenBundle): one source per consent phase.
// A file is recognised by its content: a discovery file (discovery.h: a DNS
// zone, DMARC report, tag-manager export, ad-platform export, consent-manager
// declaration) is read by its reader into `discoveries`; anything else that
// starts like JSON is read as a HAR; other text is a kUsage error naming what
// --evidence accepts.
struct OpenedEvidence {
  std::vector<std::unique_ptr<EvidenceSource>> sources;
  std::vector<std::pair<std::string, std::shared_ptr<const DiscoveryReport>>> discoveries;  // name, report
};
Result<OpenedEvidence> OpenEvidence(const Options& o, const std::vector<std::string>& paths,
                                    std::vector<std::string>* notes, const DiscoveryOptions& discovery = {});

// ---- evidence bundles (docs/formats/evidence.md) ------------------------------

// Checks the bundle folder `dir` against its manifest: every listed file's
// size and SHA-256 (read in pieces, within limits.max_evidence_bytes), the
// files it does not list (extra), and the SHA-256 of manifest.json (the
// seal). Errors: a missing folder is kIo; a file, a folder without
// manifest.json or a manifest ParseManifest refuses is kUsage/kParse/kSchema
// (not a bundle, exit 2); a file that cannot be read is kIo.
Result<BundleCheck> VerifyBundle(const Options& o, const std::string& dir);

// The phases of the bundle `dir` as evidence sources, each knowing its
// ConsentPhase, named by its HAR's path in the bundle
// ("after-reject/capture.har"), or "<site>/after-reject" when `several`
// bundles are read together; `names` (may be null) holds the names taken so
// far and receives these (a taken one gets " (2)"). The bundle is verified
// first: one that does not match its manifest is still read, with a note in
// `notes` naming each changed, missing and extra file (the auditor must know).
Result<std::vector<std::unique_ptr<EvidenceSource>>> OpenBundle(const Options& o, const std::string& dir,
                                                                bool several, std::vector<std::string>* names,
                                                                std::vector<std::string>* notes);

struct VerifyRequest {
  std::string dir;
  std::string format;  // "text" (default) or "json"
};
struct VerifyOutcome {
  BundleCheck check;
  std::string output;  // rendered in o.lang
};
// verify: the check rendered; check.intact() tells the exit code (0 or 1).
std::expected<VerifyOutcome, Diagnostics> Verify(const Options& o, const VerifyRequest& r);

struct DiffRequest {
  std::string old_path, new_path;        // two bundle folders, or two HAR files
  std::vector<std::string> first_party;  // --first-party, as for detect
  std::string format;                    // "text" (default) or "json"
};
struct DiffOutcome {
  EvidenceDiff diff;
  std::string output;
  std::vector<std::string> notes;  // for stderr (bundles that do not match their manifest, ...)
};
// diff: detects each capture on its own (each phase of a bundle; a HAR is one
// capture of unknown phase) and lists per phase the touchpoints, third-party
// registrable domains, unidentified trackers and cookies that appeared and
// disappeared. A bundle and a HAR file cannot be compared (kUsage).
std::expected<DiffOutcome, Diagnostics> Diff(const Options& o, const DiffRequest& r);

// ---- outputs ----------------------------------------------------------------

// "report.html": `stem` with the usual extension of `format`, for hints.
std::string ExampleOutputName(std::string_view stem, const OutputFormat& format);

// Checks an output path before any work is done: a directory (an existing
// one, or a path ending in '/') is refused (kUsage), with `example`
// ("report.html") as the file name to add. When the format was chosen
// explicitly (--format) and the path's extension is that of another format
// (JSON into report.html), `notes` gets a one-line warning in o.lang. Empty
// or "-" (standard output) passes.
Status CheckOutput(const Options& o, const std::string& out_path, const OutputFormat& format,
                   bool explicit_format, std::string_view example, std::vector<std::string>* notes);

// Writes `data` to `out_path` atomically through the Env, unless the path
// names one of `inputs` (then kUsage, with `example` as another name to
// choose, and nothing is written). Empty or "-" is not written (the caller
// prints it).
Status WriteOutput(const Options& o, const std::string& out_path, std::string_view data,
                   const std::vector<std::string>& inputs, std::string_view example);

// ---- use cases ------------------------------------------------------------------

// Reads the register as LoadRegister does, against the knowledge base in use
// (the built-in one or o.kb_dir): problems are errors; warnings (product ids
// the kb does not have, implausible dates) leave it valid and are in
// inputs.warnings. A warning marked not_read (a spreadsheet row that was
// skipped), or with `strict` any warning, makes it not valid: exit_code is
// then kExitNotRead and the summary says so.
struct ValidateOutcome {
  LoadedInputs inputs;
  std::string summary;      // "register.yaml: valid register: 4 activities, ..." in o.lang
  int exit_code = kExitOk;  // ExitCodeForWarnings(inputs.warnings, strict)
};
std::expected<ValidateOutcome, Diagnostics> Validate(const Options& o, const std::string& path,
                                                     bool strict = false);

// `blindspot notice`: a privacy-statement draft written from the register
// (include/blindspot/notice.h), in o.lang, as Markdown or HTML.
struct NoticeRequest {
  std::string register_path;
  std::string out_path;  // empty or "-" = returned for stdout
  std::string format;    // "markdown" or "html"; empty = html for a .html/.htm out_path, else markdown
  std::string date;      // YYYY-MM-DD shown in the draft; empty = today (the Env's clock)
};
struct NoticeOutcome {
  std::string output;  // the draft (not yet written when out_path is empty)
  bool written = false;
  int todos = 0;        // places the draft marks TO COMPLETE
  std::string summary;  // one line for stderr, in o.lang
  Diagnostics warnings;
};
std::expected<NoticeOutcome, Diagnostics> Notice(const Options& o, const NoticeRequest& r);

struct ImportRequest {
  std::string format;  // an importer name ("fides", "vws"); empty = recognised from the content
  std::string path;
  std::string out_path;       // empty or "-" = output returned for stdout
  std::string output_format;  // "yaml" (default) or "json", or by out_path extension
  // Spreadsheet registers: a column map (YAML) to use instead of the templates,
  // or (columns_template) write a starting column map for `path` instead of importing.
  std::string columns_path;
  bool columns_template = false;
};
struct ImportOutcome {
  std::string format;  // the importer used (forced or recognised)
  std::string output;  // the register in the native format (not yet written when out_path is empty)
  bool written = false;
  // For stderr: the summary when written, and a line when a warning is marked
  // not_read (the CLI then exits ExitCodeForWarnings(warnings, false), the
  // register being written all the same).
  std::string summary;
  Diagnostics warnings;
  std::vector<std::string> notes;  // for stderr, in o.lang
};
std::expected<ImportOutcome, Diagnostics> Import(const Options& o, const ImportRequest& r);
// The importers (name, description) for `blindspot import --list`, in registry order.
std::vector<std::pair<std::string, std::string>> ImportFormats();

// `blindspot export`: the register (native or any importable format, read as
// LoadRegister does) written by an exporter (blindspot/io.h): the one named by
// `format`, else the one of out_path's extension (ExporterForPath). The file
// is written atomically (WriteOutput); on any error nothing is written.
struct ExportRequest {
  std::string register_path;
  std::string out_path;  // empty or "-" = output returned, not written (then `format` is needed)
  std::string format;    // an exporter name; empty = from out_path's extension
};
struct ExportOutcome {
  std::string format;  // the exporter used
  std::string output;  // the exported bytes (not yet written when out_path is empty)
  bool written = false;
  std::string summary;  // for stderr when written, in o.lang
  // Reading the register, and an explicit --format whose --out extension is
  // another exporter's (the file is still written as --format says).
  Diagnostics warnings;
};
std::expected<ExportOutcome, Diagnostics> Export(const Options& o, const ExportRequest& r);
// The exporters (name, "description (extensions)") for `blindspot export --list`, in registry order.
std::vector<std::pair<std::string, std::string>> ExportFormats();

// Checks --first-party values (ParseFirstParty): every bad one is a kUsage
// error; a value that is not its own registrable domain adds a note
// ("--first-party shop.example.nl: counted as example.nl").
std::expected<DetectOptions, Diagnostics> DetectOptionsFor(const Options& o,
                                                           const std::vector<std::string>& first_party,
                                                           std::vector<std::string>* notes);

// One note per evidence source that was read with warnings (the report lists them).
void NoteReadWarnings(const Options& o, const DetectionResult& d, std::vector<std::string>* notes);

struct DetectRequest {
  std::vector<std::string> evidence;
  std::vector<std::string> bundles;  // --evidence: bundle folders and evidence files (read after `evidence`)
  std::vector<std::string> first_party;  // --first-party: the site's domains (else told from the pages)
  std::string domain;  // --domain: the organisation's domain for discovery files that do not name it
  std::string format;  // explicit, else by out_path extension, else text
  std::string out_path;
};
struct DetectOutcome {
  DetectionResult detection;
  std::string output;
  bool written = false;
  std::vector<std::string> notes;  // for stderr
};
std::expected<DetectOutcome, Diagnostics> Detect(const Options& o, const DetectRequest& r);

struct AuditRequest {
  std::string register_path;  // empty = audit against an empty register (every touchpoint is a blind spot)
  std::vector<std::string> evidence;
  std::vector<std::string> bundles;  // --evidence: bundle folders and evidence files (read after `evidence`)
  std::vector<std::string> first_party;  // --first-party: the site's domains (else told from the pages)
  std::string domain;    // --domain: the organisation's domain for discovery files that do not name it
  std::string format;    // explicit, else by out_path extension, else text
  std::string out_path;  // empty or "-" = output returned for stdout
  std::optional<Severity> fail_on;
  bool timestamp = true;  // print the generation time in the report
  // The CI gate (docs/ci.md). With a baseline or accepted file only new
  // findings (neither in the baseline nor accepted) count for --fail-on and
  // --fail-on-rule; with one of those files and neither option, every new
  // finding fails.
  std::vector<std::string> fail_on_rules;  // --fail-on-rule: "BS019" or "BS019-unidentified-tracker"
  std::string baseline_path;               // --baseline: known findings (docs/formats/baseline.md)
  std::string write_baseline_path;         // --write-baseline: write the current findings as a baseline
  // --write-drafts: write the audited register with a draft touchpoint for
  // each blind spot and inference (DraftTouchpoints: what was seen, suggested
  // answers), for the owners to confirm; the file-based twin of the server's
  // drafts. Never an input; the register given stays as it is.
  std::string write_drafts_path;
  std::string accepted_path;  // --accepted: accepted findings with reason and expiry date
  std::string as_of;          // --as-of YYYY-MM-DD: the day expiry is checked on (else today)
  bool quiet = false;         // --quiet: the gate's one-line outcome is always made
  // --statement: privacy statements (Markdown, text, HTML) for BS043-BS047; when empty, the
  // statement text of the bundles' scans (scan.json pages[].statements[] -> text/NNN.txt) is used.
  std::vector<std::string> statements;
  // --browser: the Chromium that prints the pdf format (default /usr/bin/chromium).
  std::string browser;
};
struct AuditOutcome {
  AuditResult result;
  SourceMap source_map;
  std::string output;  // the rendered report (written when out_path names a file)
  bool written = false;
  std::vector<std::string> notes;  // notes and warnings for stderr, in o.lang
  std::string summary;             // "report.html: 8 touchpoints detected, ..." when written
  size_t failing = 0;              // findings at or above fail_on
  std::string failing_line;        // "failing: 5 findings at or above high: BS001 x3, ..." when failing
  GateResult gate;                 // per finding new / in baseline / accepted (active with the files)
  // The gate's one-line outcome ("gate: passed: ..." / "gate: failed: ..."),
  // made when the gate is active, with --fail-on-rule or quiet; it then
  // replaces failing_line.
  std::string gate_line;
  std::string baseline_line;  // "baseline.yaml: baseline of 12 findings written"
  std::string drafts_line;    // "drafts.yaml: register with 2 draft touchpoints written: ..."
};
std::expected<AuditOutcome, Diagnostics> Audit(const Options& o, const AuditRequest& r);

// The privacy statements of an audit: each file of `paths` (Markdown, text or HTML by extension,
// else by content), or, when there are none, the statement text each bundle's scan found (the page
// a pages[].statements[] link of scan.json points to, its text/NNN.txt). A bundle without one adds
// nothing; an unreadable or binary file is an error.
std::expected<std::vector<Statement>, Diagnostics> LoadStatements(const Options& o,
                                                                  const std::vector<std::string>& paths,
                                                                  const std::vector<std::string>& bundles);

// The rule catalogue in a format of OutputSubject::kRules.
std::expected<std::string, Diagnostics> Rules(const Options& o, const std::string& format);

// The knowledge base (or one entry: `id`) in a format of OutputSubject::kKb.
std::expected<std::string, Diagnostics> KbListing(const Options& o, const std::string& id,
                                                  const std::string& format);

// ---- filter lists --------------------------------------------------------------

// Reads filter lists (Adblock Plus syntax: EasyPrivacy, EasyList) through the
// Env, within limits.max_text_bytes, and builds one engine from them. Each
// list is named by its base name. Malformed lines do not fail: they are in
// the engine's warnings().
Result<std::shared_ptr<const FilterEngine>> LoadFilterEngine(const Options& o,
                                                             const std::vector<std::string>& paths);

// The filter engine detection uses (Options::filter_lists and the default
// lists), built once per distinct set of list files and shared; null when
// there is no list (a note in *notes says that unidentified trackers are then
// not flagged). A list that cannot be read is an error (I/O).
Result<std::shared_ptr<const FilterEngine>> LoadDetectionFilters(const Options& o,
                                                                 std::vector<std::string>* notes);

struct MatchFiltersRequest {
  std::vector<std::string> lists;  // filter list files
  std::string requests;            // lines "url<TAB>source_url<TAB>type"; "-" = standard input
  bool stats = false;              // add what each list held to the notes
};
struct MatchFiltersOutcome {
  std::string output;  // per request: "block<TAB>filter text" or "allow", one line each
  size_t requests = 0;
  size_t blocked = 0;
  std::vector<std::string> notes;  // the lists' warnings, and with `stats` their summaries, for stderr
  std::shared_ptr<const FilterEngine> engine;
};
// Classifies every request of the requests file, read through the Env in
// pieces (memory does not grow with its size, only the output does). A line
// that is not three tab-separated fields, a URL that is not absolute or an
// unknown type fails the whole call (kParse, file:line:column; at most 20
// such errors are reported), and nothing is printed.
std::expected<MatchFiltersOutcome, Diagnostics> MatchFilters(const Options& o, const MatchFiltersRequest& r);

// ---- live scan --------------------------------------------------------------------

struct ScanRequest {
  scan::ScanOptions options;
  std::string out_dir;               // a new or empty folder; never overwritten
  std::vector<std::string> command;  // the argument vector, for the manifest
};
struct ScanPhaseOutcome {
  scan::PhaseSummary summary;
  std::string line;                      // "before consent: 12 pages, ..." in o.lang
  std::vector<std::string> touchpoints;  // kb ids detected in the phase (inferred ones left out)
};
struct ScanOutcome {
  std::string start_url, result_site;
  std::vector<ScanPhaseOutcome> phases;
  size_t files = 0;                // written, the manifest included
  std::string seal;                // SHA-256 of manifest.json
  std::string written, next_step;  // lines for stderr, in o.lang
  std::vector<std::string> notes;  // pages that failed, limits reached
  uint64_t peak_browser_rss = 0;
};
// Scans req.options.start_url into the bundle folder req.out_dir (written
// through the Env: the files, then manifest.json with their SHA-256).
// Refuses a folder that is a file or not empty (kUsage) before the browser
// starts. `progress` as scan::Scan.
std::expected<ScanOutcome, Diagnostics> Scan(const Options& o, const ScanRequest& r,
                                             const scan::ProgressFn& progress = {});
// The manifest text (docs/formats/evidence.md); files as (sha256, path), sorted by path.
std::string ManifestJson(const scan::ScanOptions& so, const scan::ScanResult& r,
                         const std::vector<std::string>& command,
                         const std::vector<std::pair<std::string, std::string>>& hashes_and_paths,
                         const std::vector<uint64_t>& sizes);

// ---- live DNS lookup (discover dns) ---------------------------------------------

struct DiscoverDnsRequest {
  std::string domain;
  std::string out_path;  // empty: "<domain>.zone" in the current folder; "-": returned for stdout
  bool force = false;    // replace an existing out_path
  dnslive::ResolverOptions resolver;  // --server, --timeout (resolv.conf when no server)
};
struct DiscoverDnsOutcome {
  std::string out_path;  // where the snapshot went ("-" for stdout)
  std::string zone;      // the zone text (not yet printed when out_path is "-")
  bool written = false;
  dnslive::LookupResult lookup;
  std::vector<std::string>
      touchpoints;  // kb ids the snapshot shows, seen or inferred (as audit --evidence would)
  // Lines for stderr, in o.lang: what was asked and answered, the touchpoints,
  // what was written, how to audit it.
  std::vector<std::string> lines;
};
// discover dns: asks the resolver about the probe list's names of r.domain
// (dnslive::Lookup), writes the zone snapshot (dnslive::ZoneText) atomically
// through the Env, and reads it back with the dns-zonefile reader and the
// detector for the touchpoints it shows. Checked before any question: the
// domain (kUsage), the --server address (kUsage), an out_path that is a
// folder or exists without `force` (kUsage: evidence is not overwritten by
// accident). Lookup errors as dnslive::Lookup (NXDOMAIN kUsage; no answer
// kIo). Nothing is written on any error.
std::expected<DiscoverDnsOutcome, Diagnostics> DiscoverDns(const Options& o, const DiscoverDnsRequest& r);

}  // namespace blindspot::app

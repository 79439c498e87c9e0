// The command-line interface. One table of subcommands {name, help, handler};
// every handler parses its own options with CLI11 and returns an exit code.
// Library errors (values) are turned into messages and exit codes here, in
// ReportError/ReportDiagnostics, and nowhere else.
#include "blindspot/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "blindspot/audit.h"
#include "blindspot/detect.h"
#include "blindspot/io.h"
#include "blindspot/kb.h"
#include "blindspot/report.h"

namespace blindspot {
namespace {

constexpr const char* kVersion = "0.1.0";

int ReportError(const Error& e, std::ostream& err) {
  err << e.Format();
  switch (e.kind) {
    case ErrorKind::kInternal:
      return kExitInternal;
    default:
      return kExitBadInput;
  }
}

// `writes` says whether the command would have written a file (then say that
// nothing was).
int ReportDiagnostics(const Diagnostics& diags, std::ostream& err, bool writes = true) {
  for (const Error& e : diags) err << e.Format();
  err << fmt::format("{} error{}{}\n", diags.size(), diags.size() == 1 ? "" : "s",
                     writes ? "; nothing was written" : "");
  return kExitBadInput;
}

// Drops repeated HAR paths (the same file twice would count its evidence twice).
std::vector<std::string> UniqueHars(const std::vector<std::string>& hars, std::ostream& err) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  for (const auto& h : hars) {
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(h, ec).string();
    if (ec) key = h;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      err << "note: " << h << " is given more than once; read once\n";
      continue;
    }
    seen.push_back(key);
    out.push_back(h);
  }
  return out;
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
      err << app.get_name() << ": error: unknown option '" << name << "'\n";
      err << "  hint: run '" << app.get_name() << " --help' for the options\n";
      return kExitBadInput;
    }
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << app.get_name() << ": error: " << e.what() << "\n";
    err << "  hint: run '" << app.get_name() << " --help' for usage\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

Result<Kb> LoadKb(const std::string& kb_dir) {
  if (kb_dir.empty()) return Kb::LoadEmbedded();
  return Kb::LoadDirectory(kb_dir);
}

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// Picks the report format: explicit --format, else by --out extension
// (case-insensitive), else text. An extension that names no format is an error
// rather than a text file with a misleading name.
Result<std::string> ChooseFormat(const std::string& format, const std::string& out_path) {
  if (!format.empty()) return format;
  std::string ext = std::filesystem::path(out_path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".html" || ext == ".htm") return std::string("html");
  if (ext == ".json") return std::string("json");
  if (ext.empty() || ext == ".txt" || ext == ".text") return std::string("text");
  SourceLocation where;
  where.file = out_path;
  return MakeError(ErrorKind::kUsage, "cannot tell the report format from the extension '" + ext + "'", where,
                   "a file ending in .html, .json or .txt", "or choose one with --format text|json|html");
}

int WriteOutput(const std::string& out_path, std::string_view data, std::ostream& out, std::ostream& err) {
  if (out_path.empty() || out_path == "-") {
    out << data;
    return kExitOk;
  }
  if (auto st = WriteFileAtomic(out_path, data); !st) return ReportError(st.error(), err);
  return kExitOk;
}

// ---- audit ---------------------------------------------------------------

int CmdAudit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Reconcile a register of processing activities with website evidence (HAR) and report "
      "blind spots and gaps, each with its legal source.",
      "blindspot audit"};
  std::string register_path, lang = "en", format, out_path, fail_on, kb_dir, generated_at;
  std::vector<std::string> hars;
  bool no_timestamp = false;
  app.add_option("--register,-r", register_path,
                 "Register file: native YAML/JSON, or a Fides systems file. Omit to audit against an "
                 "empty register (every touchpoint is then a blind spot).");
  app.add_option("--har", hars, "HAR file of the website (repeat for several pages; - reads standard input)")
      ->required();
  app.add_option("--lang", lang, "Report language")->check(CLI::IsMember({"en", "nl"}));
  app.add_option("--format,-f", format, "Report format (default: from --out extension, else text)")
      ->check(CLI::IsMember({"text", "json", "html"}));
  app.add_option("--out,-o", out_path, "Write the report to this file (atomically) instead of stdout");
  app.add_option("--fail-on", fail_on, "Exit 1 when a finding at or above this severity exists")
      ->check(CLI::IsMember({"info", "low", "medium", "high"}));
  app.add_option("--kb", kb_dir, "Load the knowledge base from this directory instead of the built-in one");
  app.add_flag("--no-timestamp", no_timestamp, "Leave the generation time out of the report");
  if (auto rc = Parse(app, args, out, err)) return *rc;
  for (const char* opt : {"--register", "--kb", "--out"}) {
    if (app.count(opt) > 0 && app.get_option(opt)->as<std::string>().empty()) {
      err << app.get_name() << ": error: " << opt << " was given an empty value\n";
      err << "  hint: leave the option out, or give a file name (an unset shell variable?)\n";
      return kExitBadInput;
    }
  }
  hars = UniqueHars(hars, err);
  if (auto chosen = ChooseFormat(format, out_path); !chosen) return ReportError(chosen.error(), err);

  auto kb = LoadKb(kb_dir);
  if (!kb) return ReportError(kb.error(), err);

  Register reg;
  if (!register_path.empty()) {
    auto loaded = LoadAnyRegister(register_path);
    if (!loaded) return ReportDiagnostics(loaded.error(), err);
    reg = std::move(*loaded);
  } else {
    err << "note: no --register given; auditing against an empty register\n";
  }

  auto detection = DetectFromHars(*kb, hars);
  if (!detection) return ReportError(detection.error(), err);
  if (detection->entries == 0) {
    // An empty capture proves nothing; a CI gate must not pass on it.
    Error e;
    e.kind = ErrorKind::kUsage;
    e.message = "the HAR file(s) contain no requests, so there is nothing to audit";
    e.where.file = hars.front();
    e.expected = "a HAR with the requests of at least one page load";
    e.hint = "open DevTools (Network tab) before loading the page, then 'Save all as HAR'";
    return ReportError(e, err);
  }

  AuditResult result = RunAudit(reg, *kb, std::move(*detection));

  ReportOptions opts;
  opts.lang = lang;
  opts.tool_version = kVersion;
  if (!no_timestamp) opts.generated_at = NowIso();
  auto chosen = ChooseFormat(format, out_path);
  if (!chosen) return ReportError(chosen.error(), err);
  std::string fmt_name = *chosen;
  const ReportFormat* rf = FindReportFormat(fmt_name);
  if (!rf) {
    Error e;
    e.kind = ErrorKind::kUsage;
    e.message = "unknown report format '" + fmt_name + "'";
    return ReportError(e, err);
  }
  auto rendered = rf->render(result, opts);
  if (!rendered) return ReportError(rendered.error(), err);
  if (int rc = WriteOutput(out_path, *rendered, out, err); rc != kExitOk) return rc;

  if (!out_path.empty() && out_path != "-") {
    size_t blind = std::count_if(result.touchpoints.begin(), result.touchpoints.end(),
                                 [](const ReconciledTouchpoint& t) { return t.blind_spot(); });
    err << fmt::format("{}: {} touchpoints detected, {} blind spots, {} findings ({} high)\n", out_path,
                       result.detection.touchpoints.size(), blind, result.findings.size(),
                       result.CountAtLeast(Severity::kHigh));
  }
  if (!fail_on.empty()) {
    auto sev = ParseSeverity(fail_on);
    if (sev && result.CountAtLeast(*sev) > 0) return kExitFindings;
  }
  return kExitOk;
}

// ---- detect --------------------------------------------------------------

std::string DetectionJson(const DetectionResult& d) {
  nlohmann::ordered_json j;
  j["hars"] = d.hars;
  j["entries"] = d.entries;
  j["bytes"] = d.bytes;
  j["first_party_domains"] = d.first_party_domains;
  nlohmann::ordered_json tps = nlohmann::ordered_json::array();
  for (const auto& t : d.touchpoints) {
    nlohmann::ordered_json o;
    o["kb_id"] = t.kb_id;
    o["name"] = t.kb ? t.kb->name : t.kb_id;
    o["category"] = t.kb ? t.kb->category : "";
    o["evidence_count"] = t.evidence_count;
    nlohmann::ordered_json sig = nlohmann::ordered_json::array();
    for (const auto& s : t.signals) {
      sig.push_back({{"id", s.signal_id},
                     {"param", s.param},
                     {"data_category", s.data_category},
                     {"har", s.har},
                     {"entry", s.entry},
                     {"example_url", s.example_url}});
    }
    o["signals"] = sig;
    if (!t.implied_by.empty()) o["implied_by"] = t.implied_by;
    o["pages"] = std::vector<std::string>(t.pages.begin(), t.pages.end());
    nlohmann::ordered_json ev = nlohmann::ordered_json::array();
    for (const auto& e : t.evidence) {
      ev.push_back({{"kind", std::string(ToString(e.kind))},
                    {"value", e.value},
                    {"page", e.page},
                    {"har", e.har},
                    {"entry", e.entry},
                    {"signature", e.signature}});
    }
    o["evidence"] = ev;
    tps.push_back(o);
  }
  j["touchpoints"] = tps;
  nlohmann::ordered_json hosts = nlohmann::ordered_json::array();
  for (const auto& h : d.third_party_hosts) {
    hosts.push_back({{"host", h.host},
                     {"registrable_domain", h.registrable_domain},
                     {"requests", h.requests},
                     {"matched", h.matched}});
  }
  j["third_party_hosts"] = hosts;
  j["tel_links"] = d.tel_links;
  j["mailto_links"] = d.mailto_links;
  return j.dump(2) + "\n";
}

std::string DetectionText(const DetectionResult& d) {
  std::string s = fmt::format("{} HAR file(s), {} entries, {} bytes\n", d.hars.size(), d.entries, d.bytes);
  s += fmt::format("first party: {}\n", fmt::join(d.first_party_domains, ", "));
  s += fmt::format("{} touchpoint(s) detected:\n", d.touchpoints.size());
  for (const auto& t : d.touchpoints) {
    std::vector<std::string> sig;
    for (const auto& x : t.signals) sig.push_back(x.signal_id);
    s += fmt::format("  {:<32} {:<22} {:>5} evidence{}{}\n", t.kb_id, t.kb ? t.kb->category : "",
                     t.evidence_count,
                     sig.empty() ? "" : "  signals: " + fmt::format("{}", fmt::join(sig, ",")),
                     t.implied_by.empty() ? "" : "  (implied by " + t.implied_by + ")");
  }
  size_t unmatched = std::count_if(d.third_party_hosts.begin(), d.third_party_hosts.end(),
                                   [](const ThirdPartyHost& h) { return !h.matched; });
  s += fmt::format("{} third-party host(s), {} not attributed to a known touchpoint{}\n",
                   d.third_party_hosts.size(), unmatched, unmatched ? ":" : "");
  for (const auto& h : d.third_party_hosts)
    if (!h.matched) s += fmt::format("  {} ({} requests)\n", h.host, h.requests);
  if (d.tel_links + d.mailto_links > 0)
    s += fmt::format("links in pages: {} tel:, {} mailto: (phone and e-mail contact points)\n", d.tel_links,
                     d.mailto_links);
  return s;
}

int CmdDetect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"Detect customer-contact touchpoints in HAR files (no register needed).", "blindspot detect"};
  std::vector<std::string> hars;
  std::string format = "text", kb_dir, out_path;
  app.add_option("--har,har", hars, "HAR file(s)")->required();
  app.add_option("--format,-f", format, "Output format")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--out,-o", out_path, "Write to this file instead of stdout");
  app.add_option("--kb", kb_dir, "Knowledge-base directory instead of the built-in one");
  if (auto rc = Parse(app, args, out, err)) return *rc;
  hars = UniqueHars(hars, err);
  auto kb = LoadKb(kb_dir);
  if (!kb) return ReportError(kb.error(), err);
  auto detection = DetectFromHars(*kb, hars);
  if (!detection) return ReportError(detection.error(), err);
  if (detection->entries == 0) err << "warning: the HAR file(s) contain no requests\n";
  return WriteOutput(out_path, format == "json" ? DetectionJson(*detection) : DetectionText(*detection), out,
                     err);
}

// ---- validate / import -----------------------------------------------------

int CmdValidate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Check a register file (native YAML/JSON or an importable format) and report every problem "
      "with file:line:col.",
      "blindspot validate"};
  std::string path;
  app.add_option("register", path, "Register file")->required();
  if (auto rc = Parse(app, args, out, err)) return *rc;
  auto reg = LoadAnyRegister(path);
  if (!reg) return ReportDiagnostics(reg.error(), err, /*writes=*/false);
  out << fmt::format("{}: valid register: {} activities, {} processors, {} systems, {} touchpoints\n", path,
                     reg->activities.size(), reg->processors.size(), reg->systems.size(),
                     reg->touchpoints.size());
  return kExitOk;
}

int CmdImport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string names;
  for (const auto& i : AllImporters()) names += (names.empty() ? "" : ", ") + i.name;
  CLI::App app{"Convert a register from another format into blindspot's native YAML. Formats: " + names,
               "blindspot import"};
  std::string format, path, out_path;
  std::vector<std::string> formats;
  for (const auto& i : AllImporters()) formats.push_back(i.name);
  app.add_option("format", format, "Source format")->required()->check(CLI::IsMember(formats));
  app.add_option("file", path, "File to import")->required();
  app.add_option("--out,-o", out_path, "Write the native register here (atomically) instead of stdout");
  if (auto rc = Parse(app, args, out, err)) return *rc;
  const Importer* imp = FindImporter(format);
  auto text = ReadFileToString(path);
  if (!text) return ReportError(text.error(), err);
  auto reg = imp->import(*text, path);
  if (!reg) return ReportDiagnostics(reg.error(), err);
  std::string yaml = WriteRegisterYaml(*reg);
  // The output must read back as a valid native register before it is written.
  if (auto back = ParseRegisterText(yaml, out_path.empty() ? "(output)" : out_path); !back) {
    err << "internal error: the imported register does not validate:\n";
    ReportDiagnostics(back.error(), err);
    return kExitInternal;
  }
  int rc = WriteOutput(out_path, yaml, out, err);
  if (rc == kExitOk && !out_path.empty())
    err << fmt::format("{}: {} activities, {} systems imported from {}\n", out_path, reg->activities.size(),
                       reg->systems.size(), path);
  return rc;
}

// ---- rules / kb ------------------------------------------------------------

int CmdRules(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"List the audit rules with severity and legal source.", "blindspot rules"};
  std::string format = "text", lang = "en";
  app.add_option("--format,-f", format, "Output format")->check(CLI::IsMember({"text", "json", "md"}));
  app.add_option("--lang", lang, "Language")->check(CLI::IsMember({"en", "nl"}));
  if (auto rc = Parse(app, args, out, err)) return *rc;
  if (format == "md") {
    out << RulesMarkdown();
    return kExitOk;
  }
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& r : AllRules()) {
      nlohmann::ordered_json src = nlohmann::ordered_json::array();
      for (const auto& s : r.info.legal_sources) src.push_back({{"title", s.Title(lang)}, {"url", s.url}});
      arr.push_back({{"id", r.info.id},
                     {"severity", std::string(ToString(r.info.severity))},
                     {"title", r.info.title.Get(lang)},
                     {"remediation", r.info.remediation.Get(lang)},
                     {"legal_sources", src}});
    }
    out << arr.dump(2) << "\n";
    return kExitOk;
  }
  size_t w = 0;
  for (const auto& r : AllRules()) w = std::max(w, r.info.id.size());
  for (const auto& r : AllRules()) {
    out << fmt::format("{:<{}}  {:<7} {}\n", r.info.id, w, ToString(r.info.severity), r.info.title.Get(lang));
    for (const auto& s : r.info.legal_sources) out << fmt::format("{:<{}}{}\n", "", w + 10, s.Title(lang));
  }
  return kExitOk;
}

int CmdKb(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"List the knowledge base of touchpoints (vendor products), or show one entry.",
               "blindspot kb"};
  std::string format = "text", kb_dir, id;
  std::string lang = "en";
  app.add_option("id", id, "Show this entry in full");
  app.add_option("--lang", lang, "Language of descriptions and reasons")->check(CLI::IsMember({"en", "nl"}));
  app.add_option("--format,-f", format, "Output format")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--kb", kb_dir, "Knowledge-base directory instead of the built-in one");
  if (auto rc = Parse(app, args, out, err)) return *rc;
  auto kb = LoadKb(kb_dir);
  if (!kb) return ReportError(kb.error(), err);
  std::vector<const KbEntry*> list;
  if (!id.empty()) {
    const KbEntry* e = kb->Find(id);
    if (!e) {
      Error er;
      er.kind = ErrorKind::kUsage;
      er.message = "blindspot kb: no knowledge-base entry '" + id + "'";
      er.hint = "run 'blindspot kb' to list the ids";
      return ReportError(er, err);
    }
    list.push_back(e);
  } else {
    for (const auto& e : kb->entries()) list.push_back(&e);
  }
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const KbEntry* e : list) {
      arr.push_back({{"id", e->id},
                     {"name", e->name},
                     {"category", e->category},
                     {"channel", e->channel},
                     {"vendor", e->vendor.legal_entity},
                     {"country", e->vendor.country},
                     {"role", e->role.value},
                     {"consent_required", e->consent_required.value}});
    }
    out << arr.dump(2) << "\n";
    return kExitOk;
  }
  size_t wid = 0, wcat = 0, wname = 0;
  for (const KbEntry* e : list) {
    wid = std::max(wid, e->id.size());
    wcat = std::max(wcat, e->category.size());
    wname = std::max(wname, e->name.size());
  }
  for (const KbEntry* e : list) {
    out << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", e->id, wid, e->category, wcat, e->name, wname,
                       e->vendor.legal_entity);
    if (!id.empty()) {
      // One entry in full: what it is, who is behind it, how it is recognised,
      // and what the knowledge base claims, each claim with its sources.
      out << "\n" << e->description.Get(lang) << "\n\n";
      out << fmt::format("  vendor:             {} ({}); data processed in {}; transfer mechanism: {}\n",
                         e->vendor.legal_entity, e->vendor.country, e->vendor.processing_country,
                         e->vendor.transfer_mechanism.empty() ? "-" : e->vendor.transfer_mechanism);
      out << fmt::format("  category / channel: {} / {}\n", e->category, e->channel);
      for (const auto& r : e->signatures.requests)
        out << fmt::format("  request:            {}{}{}\n", r.host, r.path_prefix,
                           r.description.empty() ? "" : "  (" + r.description + ")");
      if (!e->signatures.cookies.empty())
        out << fmt::format("  cookies:            {}\n", fmt::join(e->signatures.cookies, ", "));
      if (!e->signatures.links.empty())
        out << fmt::format("  links:              {}\n", fmt::join(e->signatures.links, ", "));
      for (const auto& d : e->data_signals)
        out << fmt::format("  data signal:        {} = {} ({}){}\n", d.param, d.data_category, d.id,
                           d.implies.empty() ? "" : ", implies " + d.implies);
      out << fmt::format("  data categories:    {}\n", fmt::join(e->data_categories, ", "));
      out << fmt::format("  role:               {}: {}\n", e->role.value, e->role.reason.Get(lang));
      for (const auto& src : e->role.sources)
        out << "                      - " << src.Title(lang) << " <" << src.url << ">\n";
      out << fmt::format("  consent required:   {}: {}\n", e->consent_required.value,
                         e->consent_required.reason.Get(lang));
      for (const auto& src : e->consent_required.sources)
        out << "                      - " << src.Title(lang) << " <" << src.url << ">\n";
    }
  }
  return kExitOk;
}

int CmdVersion(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  out << "blindspot " << kVersion << "\n";
  return kExitOk;
}

struct Command {
  const char* name;
  const char* help;
  int (*handler)(const std::vector<std::string>&, std::ostream&, std::ostream&);
};

// The subcommand table.
const Command kCommands[] = {
    {"audit", "Reconcile the register with HAR evidence; report blind spots and gaps", CmdAudit},
    {"detect", "Detect touchpoints in HAR files", CmdDetect},
    {"validate", "Check a register file", CmdValidate},
    {"import", "Convert a register from another format (fides) to native YAML", CmdImport},
    {"rules", "List the audit rules and their legal sources", CmdRules},
    {"kb", "List or show knowledge-base entries", CmdKb},
    {"version", "Print the version", CmdVersion},
};

void Usage(std::ostream& os) {
  os << "blindspot — find the customer-contact touchpoints missing from your GDPR register\n\n"
        "usage: blindspot <command> [options]   (blindspot <command> --help for details)\n\ncommands:\n";
  for (const auto& c : kCommands) os << fmt::format("  {:<10} {}\n", c.name, c.help);
  os << "\nexit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input or usage, 3 internal error\n";
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    Usage(err);
    return kExitBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    Usage(out);
    out.flush();
    return out.fail() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "--version") return CmdVersion({}, out, err);
  for (const auto& c : kCommands) {
    if (args[0] == c.name) {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      try {
        int rc = c.handler(rest, out, err);
        out.flush();
        if (out.fail()) {
          err << "blindspot " << c.name
              << ": error: cannot write to standard output (disk full or closed pipe?)\n";
          return kExitBadInput;
        }
        return rc;
      } catch (const std::exception& e) {
        err << "blindspot " << c.name << ": internal error: " << e.what() << "\n";
        return kExitInternal;
      }
    }
  }
  err << "blindspot: error: unknown command '" << args[0] << "'\n";
  Usage(err);
  return kExitBadInput;
}

}  // namespace blindspot

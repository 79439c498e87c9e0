// Reading what a use case needs, through the Env: registers, the knowledge
// base (and its shared index), evidence files.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/terminal.h"
#include "blindspot/text_ids.h"
#include "io/unimportable.h"

namespace blindspot::app {

namespace {
constexpr std::string_view kLimitHint = "--max-input-size";
}  // namespace

std::expected<LoadedInputs, Diagnostics> LoadRegister(const Options& o, const std::string& path,
                                                      const Kb* kb) {
  auto info = o.env->Stat(path);
  if (info && info->is_directory) {
    SourceLocation where;
    where.file = path;
    return std::unexpected(
        Diagnostics{MakeError(ErrorKind::kIo, "is a directory, not a register file", where,
                              "a register file (YAML or JSON)", "give the path of the file itself")
                        .error()});
  }
  auto text = o.env->ReadFile(path, o.limits.max_text_bytes, 0, kLimitHint);
  if (!text) return std::unexpected(Diagnostics{text.error()});
  // An empty file, an .xls, an .ods: said for what it is, as `import` says
  // it, not as a YAML or binary-text error.
  if (auto bad = UnimportableFile(*text, path, /*importer_chosen=*/true))
    return std::unexpected(Diagnostics{std::move(*bad)});
  RegisterReadOptions ro;
  ro.today = o.env->Today();
  if (kb)
    for (const KbEntry& e : kb->entries()) ro.kb_ids.push_back(e.id);
  // A .csv or .xlsx file no importer recognises is read as a spreadsheet, as
  // `import` reads it: its error names the columns found and how to map them
  // (not a YAML error about the first line).
  const Importer* sheet = nullptr;
  auto ends = [&](std::string_view ext) {
    if (path.size() < ext.size()) return false;
    for (size_t i = 0; i < ext.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(path[path.size() - ext.size() + i])) != ext[i])
        return false;
    return true;
  };
  if (ends(".csv") || ends(".xlsx")) {
    bool sniffed = false;
    for (const Importer& i : AllImporters()) sniffed = sniffed || (i.sniff && i.sniff(*text));
    if (!sniffed) sheet = FindImporter("spreadsheet");
  }
  auto loaded = sheet ? sheet->import(*text, path, ro) : ParseAnyRegister(*text, path, ro);
  if (!loaded) return std::unexpected(std::move(loaded.error()));
  LoadedInputs in;
  in.reg = std::make_shared<const Register>(std::move(loaded->reg));
  in.source_map = std::move(loaded->map);
  in.warnings = std::move(loaded->warnings);
  return in;
}

Result<std::shared_ptr<const KbIndex>> LoadKbIndex(const Options& o) {
  if (o.kb_dir.empty()) {
    // Built once per process and shared by every request (immutable, thread-safe).
    static const Result<std::shared_ptr<const KbIndex>> builtin =
        []() -> Result<std::shared_ptr<const KbIndex>> {
      auto kb = Kb::LoadEmbedded();
      if (!kb) return std::unexpected(kb.error());
      return KbIndex::Build(std::make_shared<const Kb>(std::move(*kb)));
    }();
    return builtin;
  }
  auto names = o.env->ListDirectory(o.kb_dir, ".yaml");
  if (!names) {
    Error e = names.error();
    e.expected = "a directory with <id>.yaml files";
    e.hint = "pass the directory that holds the kb entries, e.g. data/kb";
    return std::unexpected(e);
  }
  if (names->empty()) {
    SourceLocation where;
    where.file = o.kb_dir;
    // The directory was read; what it holds is wrong: bad input, not I/O.
    return MakeError(ErrorKind::kUsage, "no *.yaml files in directory", where, "one <id>.yaml per entry",
                     "check the --kb path (e.g. data/kb)");
  }
  std::vector<std::string> paths, texts;
  for (const std::string& n : *names) {
    std::string p = o.kb_dir + (o.kb_dir.ends_with("/") ? "" : "/") + n;
    auto text = o.env->ReadFile(p, o.limits.max_text_bytes, 0, kLimitHint);
    if (!text) return std::unexpected(text.error());
    paths.push_back(p);
    texts.push_back(std::move(*text));
  }
  std::vector<std::pair<std::string, std::string_view>> files;
  for (size_t i = 0; i < paths.size(); ++i) files.emplace_back(paths[i], texts[i]);
  auto kb = Kb::FromTexts(files, TextCatalog::Builtin());
  if (!kb) return std::unexpected(kb.error());
  return KbIndex::Build(std::make_shared<const Kb>(std::move(*kb)));
}

// Whether `bytes` could be a HAR: its first character after blanks and a
// byte-order mark opens a JSON object (the HAR reader says what else is wrong).
static bool LooksLikeJsonObject(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  size_t i = bytes.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && bytes[i] == '{';
}

// The same DMARC aggregate report (its reporter's org_name and report_id)
// given twice, in two files or as .xml and .xml.gz: counted once, from the file
// given first. `seen` maps each report read so far to the name of its file;
// the later file gets one warning per repeated report, naming both files.
static void DropRepeatedDmarcReports(DiscoveryReport& rep, const std::string& path, const std::string& name,
                                     std::map<std::string, std::string>& seen) {
  std::map<std::string, std::string> repeats;  // report id -> the earlier file
  std::vector<std::string> fresh;
  std::erase_if(rep.observations, [&](const Observation& o) {
    std::string_view id = o.Attr("report_id");
    if (id.empty()) return false;
    std::string key = std::string(o.Attr("reporter")) + '\x1f' + std::string(id);
    auto it = seen.find(key);
    if (it == seen.end()) {
      fresh.push_back(std::move(key));
      return false;
    }
    std::string shown = "'" + std::string(id) + "'";
    if (!o.Attr("reporter").empty()) shown += " of " + std::string(o.Attr("reporter"));
    repeats.emplace(shown, it->second);
    return true;
  });
  for (std::string& key : fresh) seen.emplace(std::move(key), name);
  for (const auto& [shown, earlier] : repeats) {
    Error w;
    w.kind = ErrorKind::kParse;
    w.warning = true;
    w.where.file = path;
    w.message = "DMARC report " + shown + " was already read from " + earlier + "; " + name +
                " repeats it and its rows were not counted again";
    rep.warnings.push_back(std::move(w));
  }
}

// Text in UTF-16 (PowerShell's `>` and Notepad's "Unicode" write it): said
// for what it is, with how to convert it, instead of "not evidence". Told by
// its byte-order mark, or by a zero byte in every second place of its start.
static std::optional<Error> Utf16Error(const std::string& path, std::string_view bytes) {
  const char* order = nullptr;
  if (bytes.starts_with("\xFF\xFE"))
    order = "UTF-16LE";
  else if (bytes.starts_with("\xFE\xFF"))
    order = "UTF-16BE";
  else if (bytes.size() >= 8) {
    size_t n = std::min<size_t>(bytes.size() & ~size_t{1}, 64), even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
      even += bytes[i] == '\0' && bytes[i + 1] != '\0';
      odd += bytes[i + 1] == '\0' && bytes[i] != '\0';
    }
    if (odd == n / 2)
      order = "UTF-16LE";
    else if (even == n / 2)
      order = "UTF-16BE";
  }
  if (!order) return std::nullopt;
  SourceLocation where;
  where.file = path;
  return MakeError(ErrorKind::kUsage, std::string("the file is text in ") + order + ", not UTF-8", where,
                   "a UTF-8 (or ASCII) text file",
                   std::string("convert it first, e.g. 'iconv -f ") + order + " -t UTF-8 " + path +
                       " > converted-file' (PowerShell: 'Get-Content FILE | Set-Content -Encoding utf8 NEW')")
      .error();
}

static std::unexpected<Error> NotEvidence(const std::string& path, std::string_view bytes) {
  std::string expected = "a HAR file";
  for (const DiscoveryReader& r : AllDiscoveryReaders()) expected += ", " + std::string(r.description);
  // The first bytes, to recognise the file by; a word with an '@' (an e-mail
  // address in a mail's headers) is not repeated.
  std::string start;
  for (char c : bytes.substr(0, 40)) start += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  for (size_t at = start.find('@'); at != std::string::npos; at = start.find('@')) {
    size_t b = start.rfind(' ', at), e = start.find(' ', at);
    b = b == std::string::npos ? 0 : b + 1;
    start.replace(b, (e == std::string::npos ? start.size() : e) - b, "…");
  }
  SourceLocation where;
  where.file = path;
  return MakeError(
      ErrorKind::kUsage,
      bytes.empty() ? std::string("the evidence file is empty")
                    : "not evidence blindspot can read; it starts with \"" + EscapeControl(start) + "\"",
      where, expected,
      "a HAR from the browser's DevTools, a folder written by 'blindspot scan', or one of the files "
      "listed in docs/formats/discovery.md");
}

Result<OpenedEvidence> OpenEvidence(const Options& o, const std::vector<std::string>& paths,
                                    std::vector<std::string>* notes, const DiscoveryOptions& discovery) {
  const TextCatalog& cat = TextCatalog::Builtin();
  OpenedEvidence opened_evidence;
  std::vector<std::unique_ptr<EvidenceSource>>& out = opened_evidence.sources;
  std::vector<std::string> opened;
  std::vector<std::string> names;
  // A folder is an evidence bundle: one source per consent phase.
  auto is_dir = [&](const std::string& p) {
    auto info = p == "-" ? Result<FileInfo>(FileInfo{}) : o.env->Stat(p);
    return info && info->is_directory;
  };
  size_t bundles = std::count_if(paths.begin(), paths.end(), is_dir);
  std::map<std::string, std::string> dmarc_reports;  // reporter and report id -> file name
  for (const std::string& p : paths) {
    bool repeat = false;
    for (const std::string& q : opened) repeat = repeat || q == p || o.env->SameFile(q, p);
    if (repeat) {
      if (notes) notes->push_back(cat.Render(Message(ui::note_repeated_input).Text("path", p), o.lang));
      continue;
    }
    if (is_dir(p)) {
      auto phases = OpenBundle(o, p, bundles > 1, &names, notes);
      if (!phases) return std::unexpected(phases.error());
      opened.push_back(p);
      for (auto& s : *phases) out.push_back(std::move(s));
      continue;
    }
    auto data = o.env->ReadFile(p, o.limits.max_evidence_bytes, 64, kLimitHint);
    if (!data) return std::unexpected(data.error());
    // Reports name a source by its base name (a full path can reveal a client's
    // folders); while that name is taken, parent folders are added one at a
    // time, then a number.
    std::string name = p == "-" ? std::string("stdin") : BaseName(p);
    std::string rest =
        p.size() > BaseName(p).size() ? p.substr(0, p.size() - BaseName(p).size()) : std::string();
    for (int n = 2; std::find(names.begin(), names.end(), name) != names.end();) {
      while (!rest.empty() && rest.back() == '/') rest.pop_back();
      std::string parent = BaseName(rest);
      if (!parent.empty() && parent != "." && parent != "..") {
        name = parent + "/" + name;
        rest.resize(rest.size() - parent.size());
      } else {
        std::string base = p == "-" ? std::string("stdin") : BaseName(p);
        name = fmt::format("{} ({})", base, n++);
        rest.clear();
      }
    }
    names.push_back(name);
    opened.push_back(p);
    if (auto utf16 = Utf16Error(p, *data)) return std::unexpected(std::move(*utf16));
    // A UTF-8 byte-order mark (Windows editors write one) is not part of the
    // content: discovery readers see the text after it (lines stay as they are).
    std::string_view content = *data;
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    if (const DiscoveryReader* reader = RecogniseDiscovery(content, BaseName(p))) {
      auto report = reader->read(content, p, discovery);
      if (!report) return std::unexpected(report.error());
      if (report->reader == "dmarc") DropRepeatedDmarcReports(*report, p, name, dmarc_reports);
      opened_evidence.discoveries.emplace_back(name,
                                               std::make_shared<const DiscoveryReport>(std::move(*report)));
      continue;
    }
    // A file named .har (or standard input) goes to the HAR reader, whose
    // errors say what is wrong with it as a HAR. Otherwise a HAR's top-level
    // object is {"log": ...}; other JSON (a consent manager's rule list, a
    // ruleset) and other text are not evidence, whatever else they are.
    bool har_named = p == "-" || (p.size() > 4 && std::string_view(p).substr(p.size() - 4) == ".har");
    if (!har_named && (!LooksLikeJsonObject(*data) || data->find("\"log\"") == std::string::npos))
      return NotEvidence(p, *data);
    out.push_back(NewHarSource(std::move(*data), p, name));
  }
  return opened_evidence;
}

}  // namespace blindspot::app

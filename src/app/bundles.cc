// Evidence bundles through the Env: verify (the manifest against the files),
// the phases of a bundle as evidence sources, and diff (two captures).
#include <fmt/format.h>

#include <algorithm>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/terminal.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {

namespace {

constexpr std::string_view kLimitHint = "--max-input-size";
constexpr size_t kHashChunk = 1 << 20;

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }
std::string Say(const Options& o, const Message& m) { return TextCatalog::Builtin().Render(m, o.lang); }

std::string Join(const std::string& dir, std::string_view rel) {
  return dir.ends_with('/') ? dir + std::string(rel) : dir + "/" + std::string(rel);
}

std::unexpected<Error> NotABundle(const std::string& dir, std::string message) {
  SourceLocation where;
  where.file = dir;
  return MakeError(ErrorKind::kUsage, std::move(message), where,
                   "an evidence bundle: a folder with manifest.json (docs/formats/evidence.md)",
                   "give the folder that 'blindspot scan --out' wrote; a HAR file goes without --evidence");
}

// The manifest of the bundle `dir`, with its bytes' SHA-256.
struct LoadedManifest {
  Manifest manifest;
  std::string sha256;
};
Result<LoadedManifest> LoadManifest(const Options& o, const std::string& dir) {
  auto info = o.env->Stat(dir);
  if (!info) return std::unexpected(info.error());
  if (!info->exists) {
    SourceLocation where;
    where.file = dir;
    return MakeError(ErrorKind::kIo, "no such directory", where, "an evidence bundle folder",
                     "check the path");
  }
  if (!info->is_directory) return NotABundle(dir, "not a directory, so not an evidence bundle");
  std::string path = Join(dir, kManifestName);
  auto m = o.env->Stat(path);
  if (!m) return std::unexpected(m.error());
  if (!m->exists) return NotABundle(dir, "not an evidence bundle: the folder has no manifest.json");
  auto text = o.env->ReadFile(path, o.limits.max_text_bytes, 0, kLimitHint);
  if (!text) return std::unexpected(text.error());
  auto parsed = ParseManifest(*text, path);
  if (!parsed) return std::unexpected(parsed.error());
  return LoadedManifest{std::move(*parsed), Sha256Hex(*text)};
}

// Size and SHA-256 of a file, read in pieces through the Env.
Status HashFile(const Options& o, const std::string& path, uint64_t* bytes, std::string* sha) {
  Sha256 h;
  uint64_t n = 0;
  auto st =
      o.env->ReadFileInChunks(path, o.limits.max_evidence_bytes, kHashChunk, [&](std::string_view piece) {
        h.Update(piece);
        n += piece.size();
        return Status{};
      });
  if (!st) return st;
  *bytes = n;
  *sha = h.HexDigest();
  return {};
}

// A phase's scan.json (what the scan recorded besides the HAR): null when the
// manifest names none or the file is gone (the verify note says so); an error
// when it is there but not a scan.json.
Result<std::shared_ptr<const ScanObservations>> LoadObservations(const Options& o, const std::string& dir,
                                                                 const std::string& rel) {
  if (rel.empty()) return nullptr;
  std::string path = Join(dir, rel);
  auto info = o.env->Stat(path);
  if (!info) return std::unexpected(info.error());
  if (!info->exists || !info->is_regular) return nullptr;
  auto text = o.env->ReadFile(path, o.limits.max_evidence_bytes, 0, kLimitHint);
  if (!text) return std::unexpected(text.error());
  auto parsed = ParseScanObservations(*text, path);
  if (!parsed) return std::unexpected(parsed.error());
  parsed->file = rel;
  return std::make_shared<const ScanObservations>(std::move(*parsed));
}

}  // namespace

Result<BundleCheck> VerifyBundle(const Options& o, const std::string& dir) {
  auto loaded = LoadManifest(o, dir);
  if (!loaded) return std::unexpected(loaded.error());
  BundleCheck check;
  check.dir = dir;
  check.manifest_sha256 = loaded->sha256;
  check.manifest = std::move(loaded->manifest);
  for (const ManifestFile& f : check.manifest.files) {
    FileCheck c;
    c.path = f.path;
    c.expected_bytes = f.bytes;
    c.expected_sha256 = f.sha256;
    std::string full = Join(dir, f.path);
    auto info = o.env->Stat(full);
    if (!info) return std::unexpected(info.error());
    if (!info->exists) {
      c.state = FileState::kMissing;
    } else if (!info->is_regular) {
      c.state = FileState::kChanged;  // a directory, pipe or device where a file was
    } else {
      if (auto st = HashFile(o, full, &c.actual_bytes, &c.actual_sha256); !st)
        return std::unexpected(st.error());
      c.state =
          c.actual_bytes == f.bytes && c.actual_sha256 == f.sha256 ? FileState::kOk : FileState::kChanged;
    }
    check.files.push_back(std::move(c));
  }
  auto present = o.env->ListFilesRecursive(dir);
  if (!present) return std::unexpected(present.error());
  for (const std::string& p : *present) {
    if (p == kManifestName || check.manifest.FindFile(p)) continue;
    FileCheck c;
    c.path = p;
    c.state = FileState::kExtra;
    if (auto info = o.env->Stat(Join(dir, p)); info && info->exists) c.actual_bytes = info->size;
    check.files.push_back(std::move(c));
  }
  std::sort(check.files.begin(), check.files.end(),
            [](const FileCheck& a, const FileCheck& b) { return a.path < b.path; });
  return check;
}

std::expected<VerifyOutcome, Diagnostics> Verify(const Options& o, const VerifyRequest& r) {
  auto format = ChooseOutputFormat(OutputSubject::kVerify, r.format, "");
  if (!format) return std::unexpected(One(format.error()));
  auto check = VerifyBundle(o, r.dir);
  if (!check) return std::unexpected(One(check.error()));
  VerifyOutcome out;
  out.check = std::move(*check);
  OutputInput in;
  in.bundle_check = &out.check;
  in.options.lang = o.lang;
  auto rendered = (*format)->render(in);
  if (!rendered) return std::unexpected(One(rendered.error()));
  out.output = std::move(*rendered);
  return out;
}

Result<std::vector<std::unique_ptr<EvidenceSource>>> OpenBundle(const Options& o, const std::string& dir,
                                                                bool several, std::vector<std::string>* names,
                                                                std::vector<std::string>* notes) {
  auto check = VerifyBundle(o, dir);
  if (!check) return std::unexpected(check.error());
  if (!check->intact() && notes) {
    // The auditor must know: the evidence is read anyway, with a warning naming what changed.
    std::vector<MessageArg> files;
    for (const FileCheck& f : check->files)
      if (f.state != FileState::kOk)
        files.push_back(MessageItem(Message(ui::note_bundle_file)
                                        .Text("path", f.path)
                                        .Term("state", "file_state", ToString(f.state))));
    notes->push_back(Say(o, Message(ui::note_bundle_not_intact).Text("dir", dir).List("files", files)));
  }
  const Manifest& m = check->manifest;
  std::vector<std::unique_ptr<EvidenceSource>> out;
  for (const ManifestPhase& p : m.phases) {
    std::string path = Join(dir, p.har);
    auto data = o.env->ReadFile(path, o.limits.max_evidence_bytes, 64, kLimitHint);
    if (!data) return std::unexpected(data.error());
    std::string site = m.site.empty() ? BaseName(dir) : m.site;
    std::string base = several ? site + "/" + std::string(ToString(p.phase)) : p.har;
    std::string name = base;
    for (int n = 2; names && std::find(names->begin(), names->end(), name) != names->end(); ++n)
      name = fmt::format("{} ({})", base, n);  // two bundles of one site
    if (names) names->push_back(name);
    auto observations = LoadObservations(o, dir, p.scan);
    if (!observations) return std::unexpected(observations.error());
    out.push_back(NewHarSource(std::move(*data), path, name, p.phase, std::move(*observations)));
  }
  if (out.empty())
    return NotABundle(dir, "the evidence bundle holds no phase (manifest.json: phases is empty)");
  return out;
}

namespace {

// The captures of one side of a diff: one per phase of a bundle, or one HAR.
struct Side {
  std::map<ConsentPhase, CaptureSnapshot> phases;
  bool bundle = false;
};

Result<Side> Snapshots(const Options& o, const std::shared_ptr<const KbIndex>& index,
                       const DetectOptions& options, const std::string& path,
                       std::vector<std::string>* notes) {
  auto opened = OpenEvidence(o, {path}, notes);
  if (!opened) return std::unexpected(opened.error());
  if (!opened->discoveries.empty())
    return MakeError(
        ErrorKind::kUsage,
        "diff compares captures; this file is " + opened->discoveries.front().second->reader + " evidence",
        {path, 0, 0, 0, false}, "two evidence bundles, or two HAR files",
        "give discovery files to 'blindspot audit --evidence'");
  auto* sources = &opened->sources;
  Side side;
  auto info = o.env->Stat(path);
  side.bundle = info && info->is_directory;
  for (const auto& source : *sources) {
    Detector detector(index, options);
    detector.BeginSource(source->name(), "har", source->phase(), source->observations());
    std::set<std::string> cookies;
    std::string host;
    auto summary = source->Read([&](const EvidenceRecord& e) {
      detector.Observe(e);
      UrlParts u;
      host = SplitUrl(e.url, &u) ? std::string(u.host) : std::string();
      for (const Cookie& c : e.request_cookies) cookies.insert(CookieKey(c, host));
      for (const Cookie& c : e.response_cookies) cookies.insert(CookieKey(c, host));
    });
    if (!summary) return std::unexpected(summary.error());
    detector.EndSource(*summary);
    side.phases[source->phase()] = SnapshotOf(detector.Finish(), std::move(cookies));
  }
  return side;
}

}  // namespace

std::expected<DiffOutcome, Diagnostics> Diff(const Options& o, const DiffRequest& r) {
  auto format = ChooseOutputFormat(OutputSubject::kDiff, r.format, "");
  if (!format) return std::unexpected(One(format.error()));
  DiffOutcome out;
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  auto options = DetectOptionsFor(o, r.first_party, &out.notes);
  if (!options) return std::unexpected(std::move(options.error()));
  auto old_side = Snapshots(o, *index, *options, r.old_path, &out.notes);
  if (!old_side) return std::unexpected(One(old_side.error()));
  auto new_side = Snapshots(o, *index, *options, r.new_path, &out.notes);
  if (!new_side) return std::unexpected(One(new_side.error()));
  if (old_side->bundle != new_side->bundle) {
    SourceLocation where;
    where.file = old_side->bundle ? r.new_path : r.old_path;
    return std::unexpected(One(
        MakeError(ErrorKind::kUsage, "cannot compare an evidence bundle with a HAR file", where,
                  "two evidence bundles, or two HAR files",
                  "a bundle's phases are captures of their own; compare one of its capture.har files instead")
            .error()));
  }
  // Reports name inputs by their base name (a full path can reveal a client's folders).
  auto name = [](std::string p) {
    while (p.size() > 1 && p.ends_with('/')) p.pop_back();
    return BaseName(p);
  };
  out.diff.old_name = name(r.old_path);
  out.diff.new_name = name(r.new_path);
  std::vector<ConsentPhase> order = {ConsentPhase::kUnknown};
  for (ConsentPhase p : AllConsentPhases()) order.push_back(p);
  for (ConsentPhase p : order) {
    auto a = old_side->phases.find(p);
    auto b = new_side->phases.find(p);
    const CaptureSnapshot* sa = a == old_side->phases.end() ? nullptr : &a->second;
    const CaptureSnapshot* sb = b == new_side->phases.end() ? nullptr : &b->second;
    if (!sa && !sb) continue;
    out.diff.phases.push_back(DiffSnapshots(p, sa, sb));
  }
  OutputInput in;
  in.diff = &out.diff;
  in.options.lang = o.lang;
  auto rendered = (*format)->render(in);
  if (!rendered) return std::unexpected(One(rendered.error()));
  out.output = std::move(*rendered);
  return out;
}

}  // namespace blindspot::app

// Use case: scan a live site into an evidence bundle (issue 7). The scanner
// (src/scan) returns the bundle's files in memory; this writes them through
// the Env, manifest last (a folder without manifest.json is not a bundle),
// and detects the touchpoints of each phase for the summary.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "blindspot/app.h"
#include "blindspot/bundle.h"
#include "blindspot/catalog.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {
namespace {

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }
std::string Say(const Options& o, const Message& m) { return TextCatalog::Builtin().Render(m, o.lang); }

std::string Join(const std::string& dir, const std::string& rel) {
  return dir.empty() || dir.back() == '/' ? dir + rel : dir + "/" + rel;
}

MessageId PhaseText(scan::Phase p) {
  switch (p) {
    case scan::Phase::kBeforeConsent:
      return ui::scan_phase_before_consent;
    case scan::Phase::kAfterReject:
      return ui::scan_phase_after_reject;
    case scan::Phase::kAfterAccept:
      return ui::scan_phase_after_accept;
  }
  return ui::scan_phase_before_consent;
}

}  // namespace

std::string ManifestJson(const scan::ScanOptions& so, const scan::ScanResult& r,
                         const std::vector<std::string>& command,
                         const std::vector<std::pair<std::string, std::string>>& hashes_and_paths,
                         const std::vector<uint64_t>& sizes) {
  Manifest m;
  m.tool = {"blindspot", kVersion};
  m.browser = {r.browser_product, r.browser_user_agent, r.protocol};
  m.command = command;
  m.start_url = r.start_url;
  m.site = r.site;
  m.started = r.started;
  m.finished = r.finished;
  m.options.pages = so.max_pages;
  m.options.concurrency = so.concurrency;
  m.options.page_timeout_s = static_cast<uint64_t>(so.page_timeout.count());
  m.options.timeout_s = static_cast<uint64_t>(so.timeout.count());
  m.options.lang = so.lang;
  m.options.mobile = so.mobile;
  m.options.user_agent = so.user_agent;
  m.options.fill_forms = so.fill_forms;
  m.options.no_private_networks = so.no_private_networks;
  for (const auto& p : r.phases) {
    std::string name(scan::PhaseName(p.phase));
    m.phases.push_back(
        {ParseConsentPhase(name), name + "/capture.har", name + "/scan.json", p.pages, p.requests});
  }
  for (size_t i = 0; i < hashes_and_paths.size(); ++i)
    m.files.push_back({hashes_and_paths[i].second, hashes_and_paths[i].first, sizes[i]});
  return SerializeManifest(m);
}

std::expected<ScanOutcome, Diagnostics> Scan(const Options& o, const ScanRequest& req,
                                             const scan::ProgressFn& progress) {
  if (req.out_dir.empty() || req.out_dir == "-") {
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "the scan needs a folder to write the evidence to", {}, "--out DIR",
                      "e.g. --out evidence/")
                .error()));
  }
  // A folder that already holds evidence is never overwritten.
  auto st = o.env->Stat(req.out_dir);
  if (!st) return std::unexpected(One(st.error()));
  if (st->exists && !st->is_directory) {
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "--out " + req.out_dir + " is a file, not a folder", {},
                      "a new or empty folder")
                .error()));
  }
  if (st->exists) {
    auto manifest = o.env->Stat(Join(req.out_dir, "manifest.json"));
    auto entries = o.env->ListDirectory(req.out_dir, "");
    bool has_manifest = manifest && manifest->exists;
    if (has_manifest || (entries && !entries->empty())) {
      return std::unexpected(
          One(MakeError(ErrorKind::kUsage,
                        "--out " + req.out_dir + " is not empty" +
                            (has_manifest ? " (it holds an evidence bundle)" : ""),
                        {}, "a new or empty folder", "evidence is never overwritten: choose another folder")
                  .error()));
    }
  }
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));

  auto result = scan::Scan(
      req.options, [&] { return o.env->NowIso(); }, progress);
  if (!result) return std::unexpected(One(result.error()));

  ScanOutcome out;
  // Write every file, then the manifest with their hashes.
  std::set<std::string> dirs;
  for (const auto& f : result->files) {
    std::string path = Join(req.out_dir, f.path);
    std::string dir = path.substr(0, path.rfind('/'));
    if (dirs.insert(dir).second) {
      if (auto s = o.env->CreateDirectories(dir); !s) return std::unexpected(One(s.error()));
    }
  }
  std::vector<const scan::BundleFile*> sorted;
  for (const auto& f : result->files) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->path < b->path; });
  std::vector<std::pair<std::string, std::string>> hashes;
  std::vector<uint64_t> sizes;
  for (const auto* f : sorted) {
    if (auto s = o.env->WriteFileAtomic(Join(req.out_dir, f->path), f->data); !s)
      return std::unexpected(One(s.error()));
    hashes.emplace_back(Sha256Hex(f->data), f->path);
    sizes.push_back(f->data.size());
  }
  std::string manifest = ManifestJson(req.options, *result, req.command, hashes, sizes);
  if (auto s = o.env->WriteFileAtomic(Join(req.out_dir, "manifest.json"), manifest); !s)
    return std::unexpected(One(s.error()));
  out.seal = Sha256Hex(manifest);
  out.files = sorted.size();  // and manifest.json

  // What each phase shows: the detector over its HAR.
  for (const auto& p : result->phases) {
    std::string name(scan::PhaseName(p.phase));
    const scan::BundleFile* har = nullptr;
    for (const auto& f : result->files) {
      if (f.path == name + "/capture.har") har = &f;
    }
    std::string consent;
    if (p.consent_result == "no-banner")
      consent = Say(o, Message(ui::scan_consent_no_banner));
    else if (p.consent_result == "not-attempted")
      consent = Say(o, Message(ui::scan_consent_found).Text("cmp", p.consent_manager));
    else if (p.consent_result == "clicked" || p.consent_result == "failed")
      consent =
          Say(o, Message(p.consent_result == "clicked" ? ui::scan_consent_clicked : ui::scan_consent_failed)
                     .Text("cmp", p.consent_manager)
                     .Text("action",
                           Say(o, Message(p.phase == scan::Phase::kAfterReject ? ui::scan_action_reject
                                                                               : ui::scan_action_accept))));
    else
      consent = Say(o, Message(ui::scan_consent_not_run));
    ScanPhaseOutcome po;
    po.summary = p;
    po.line = Say(o, Message(ui::scan_phase_line)
                         .Text("phase", Say(o, Message(PhaseText(p.phase))))
                         .Number("pages", p.pages)
                         .Number("failed", p.pages_failed)
                         .Number("requests", static_cast<int64_t>(p.requests))
                         .Number("cookies", static_cast<int64_t>(p.cookies))
                         .Number("third", static_cast<int64_t>(p.third_party_cookies))
                         .Text("consent", consent));
    if (har != nullptr) {
      std::vector<std::unique_ptr<EvidenceSource>> sources;
      std::string data = har->data;
      data.reserve(data.size() + 64);
      sources.push_back(
          NewHarSource(std::move(data), Join(req.out_dir, har->path), har->path, ParseConsentPhase(name)));
      DetectOptions dopts;
      dopts.first_party = {result->site};
      auto d = blindspot::Detect(*index, sources, dopts);
      if (d) {
        for (const auto& t : d->touchpoints) {
          if (!t.inferred()) po.touchpoints.push_back(t.kb_id);
        }
      }
    }
    out.phases.push_back(std::move(po));
  }
  out.result_site = result->site;
  out.start_url = result->start_url;
  out.notes = std::move(result->notes);
  out.peak_browser_rss = result->peak_browser_rss;
  out.written = Say(o, Message(ui::scan_written)
                           .Text("dir", req.out_dir)
                           .Number("files", static_cast<int64_t>(out.files))
                           .Text("seal", out.seal));
  out.next_step = Say(o, Message(ui::scan_next_step).Text("dir", req.out_dir));
  return out;
}

}  // namespace blindspot::app

// The outputs of verify (an evidence bundle against its manifest) and diff
// (what appeared and disappeared between two captures, per consent phase).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "blindspot/terminal.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {

namespace {
using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

int64_t N(uint64_t n) { return static_cast<int64_t>(n); }
}  // namespace

// ---- verify -----------------------------------------------------------------------

Result<std::string> RenderVerifyText(const OutputInput& in) {
  const BundleCheck& c = *in.bundle_check;
  const Manifest& m = c.manifest;
  Texts t(in.options.lang);
  std::string s = t.R(Message(ui::verify_bundle)
                          .Text("dir", c.dir)
                          .Text("site", m.site.empty() ? t.T(ui::unknown) : m.site)
                          .Text("started", m.started)
                          .Text("finished", m.finished)
                          .Text("tool", fmt::format("{} {}", m.tool.name, m.tool.version))) +
                  "\n";
  size_t width = 0;
  for (FileState st : {FileState::kOk, FileState::kChanged, FileState::kMissing, FileState::kExtra})
    width = std::max(width, DisplayWidth(t.Term("file_state", ToString(st))));
  for (const FileCheck& f : c.files) {
    std::string label = t.Term("file_state", ToString(f.state));
    std::string line = "  " + label + std::string(width - DisplayWidth(label) + 2, ' ') + f.path;
    Message detail;
    switch (f.state) {
      case FileState::kOk:
        break;
      case FileState::kChanged:
        detail = f.actual_sha256.empty() ? Message(ui::verify_not_regular)
                                         : Message(ui::verify_changed)
                                               .Number("bytes", N(f.actual_bytes))
                                               .Text("sha256", f.actual_sha256);
        detail.Number("expected_bytes", N(f.expected_bytes)).Text("expected_sha256", f.expected_sha256);
        break;
      case FileState::kMissing:
        detail = Message(ui::verify_missing)
                     .Number("expected_bytes", N(f.expected_bytes))
                     .Text("expected_sha256", f.expected_sha256);
        break;
      case FileState::kExtra:
        detail = Message(ui::verify_extra).Number("bytes", N(f.actual_bytes));
        break;
    }
    s += line + (detail.empty() ? "" : ": " + t.R(detail)) + "\n";
  }
  s += t.R(Message(ui::verify_seal).Text("sha256", c.manifest_sha256)) + "\n";
  if (c.intact())
    s += t.R(Message(ui::verify_intact).Number("n", N(c.files.size()))) + "\n";
  else
    s += t.R(Message(ui::verify_not_intact)
                 .Number("changed", N(c.Count(FileState::kChanged)))
                 .Number("missing", N(c.Count(FileState::kMissing)))
                 .Number("extra", N(c.Count(FileState::kExtra)))
                 .Number("n", N(m.files.size()))) +
         "\n";
  return EscapeControl(s, /*keep_newlines=*/true);
}

Result<std::string> RenderVerifyJson(const OutputInput& in) {
  const BundleCheck& c = *in.bundle_check;
  const Manifest& m = c.manifest;
  Json j;
  j["dir"] = c.dir;
  j["intact"] = c.intact();
  j["seal"] = c.manifest_sha256;
  j["site"] = m.site;
  j["start_url"] = m.start_url;
  j["started"] = m.started;
  j["finished"] = m.finished;
  j["tool"] = {{"name", m.tool.name}, {"version", m.tool.version}};
  j["counts"] = {{"ok", c.Count(FileState::kOk)},
                 {"changed", c.Count(FileState::kChanged)},
                 {"missing", c.Count(FileState::kMissing)},
                 {"extra", c.Count(FileState::kExtra)}};
  Json files = Json::array();
  for (const FileCheck& f : c.files) {
    Json x;
    x["path"] = f.path;
    x["state"] = std::string(ToString(f.state));
    auto or_null = [](bool have, auto v) { return have ? Json(v) : Json(); };
    bool listed = f.state != FileState::kExtra;
    bool present = f.state != FileState::kMissing;
    x["bytes"] =
        or_null(present && (f.state != FileState::kChanged || !f.actual_sha256.empty()), f.actual_bytes);
    x["sha256"] = or_null(present && !f.actual_sha256.empty(), f.actual_sha256);
    x["expected_bytes"] = or_null(listed, f.expected_bytes);
    x["expected_sha256"] = or_null(listed, f.expected_sha256);
    files.push_back(std::move(x));
  }
  j["files"] = std::move(files);
  return Dump(j);
}

// ---- diff ---------------------------------------------------------------------------

namespace {

// "+ touchpoint  meta-pixel (Meta Pixel)" lines of one kind.
void Lines(std::string& s, const Texts& t, MessageId kind, const SetChange& c,
           const std::map<std::string, std::string>* names) {
  auto item = [&](const std::string& id) {
    if (!names) return id;
    auto it = names->find(id);
    return it == names->end() || it->second == id ? id : fmt::format("{} ({})", id, it->second);
  };
  for (const std::string& x : c.appeared) s += fmt::format("  + {}: {}\n", t.T(kind), item(x));
  for (const std::string& x : c.disappeared) s += fmt::format("  - {}: {}\n", t.T(kind), item(x));
}

Json ChangeJson(const SetChange& c) { return {{"appeared", c.appeared}, {"disappeared", c.disappeared}}; }

}  // namespace

Result<std::string> RenderDiffText(const OutputInput& in) {
  const EvidenceDiff& d = *in.diff;
  Texts t(in.options.lang);
  std::string s = t.R(Message(ui::diff_header).Text("old", d.old_name).Text("new", d.new_name)) + "\n";
  for (const PhaseDiff& p : d.phases) {
    Message head = !p.in_new   ? Message(ui::diff_only_old).Text("old", d.old_name)
                   : !p.in_old ? Message(ui::diff_only_new).Text("new", d.new_name)
                               : Message(ui::diff_phase).Number("n", N(p.changes()));
    head.Term("phase", "consent_phase", ToString(p.phase));
    s += t.R(head) + "\n";
    Lines(s, t, ui::diff_touchpoint, p.touchpoints, &p.names);
    Lines(s, t, ui::diff_third_party, p.third_parties, nullptr);
    Lines(s, t, ui::diff_unidentified, p.unidentified, nullptr);
    Lines(s, t, ui::diff_cookie, p.cookies, nullptr);
  }
  s += t.R(Message(ui::diff_total).Number("n", N(d.changes()))) + "\n";
  return EscapeControl(s, /*keep_newlines=*/true);
}

Result<std::string> RenderDiffJson(const OutputInput& in) {
  const EvidenceDiff& d = *in.diff;
  Json j;
  j["old"] = d.old_name;
  j["new"] = d.new_name;
  j["changes"] = d.changes();
  Json phases = Json::array();
  for (const PhaseDiff& p : d.phases) {
    Json x;
    x["phase"] = std::string(ToString(p.phase));
    x["in_old"] = p.in_old;
    x["in_new"] = p.in_new;
    x["changes"] = p.changes();
    x["touchpoints"] = ChangeJson(p.touchpoints);
    x["third_parties"] = ChangeJson(p.third_parties);
    x["unidentified_trackers"] = ChangeJson(p.unidentified);
    x["cookies"] = ChangeJson(p.cookies);
    phases.push_back(std::move(x));
  }
  j["phases"] = std::move(phases);
  return Dump(j);
}

}  // namespace blindspot::report_internal

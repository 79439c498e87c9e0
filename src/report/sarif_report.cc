// The audit report as SARIF 2.1.0 (docs/formats/sarif.md) for code-scanning
// views (GitHub, GitLab): one result per finding with its rule, level,
// message, location (the register line when the finding has one, else the
// evidence file), partialFingerprints (the finding's fingerprint) and
// baselineState when a baseline is used; resolved baseline entries are
// results with baselineState "absent". Rules carry a helpUri to their
// primary source. Messages in the report language.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "io/json_out.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
using io_internal::JsonOut;
namespace {

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kHigh:
      return "error";
    case Severity::kMedium:
      return "warning";
    case Severity::kLow:
    case Severity::kInfo:
      return "note";
  }
  return "warning";
}

// The evidence file a detected finding comes from: its touchpoint's first
// evidence item, else the first evidence source.
std::string EvidenceFile(const Finding& f, const AuditResult& r) {
  if (f.subject_kind == SubjectKind::kDetected)
    for (const DetectedTouchpoint& d : r.detection.touchpoints)
      if (d.kb_id == f.subject_id && !d.evidence.empty() && !d.evidence.front().source.empty())
        return d.evidence.front().source;
  return r.detection.sources.empty() ? std::string() : r.detection.sources.front().name;
}

void TextObject(JsonOut& j, std::string_view key, std::string_view text) {
  j.Key(key);
  j.BeginObject();
  j.Member("text", text);
  j.EndObject();
}

void PhysicalLocation(JsonOut& j, const std::string& uri, uint32_t line, uint32_t column) {
  j.Key("locations");
  j.BeginArray();
  j.BeginObject();
  j.Key("physicalLocation");
  j.BeginObject();
  j.Key("artifactLocation");
  j.BeginObject();
  j.Member("uri", uri);
  j.EndObject();
  if (line > 0) {
    j.Key("region");
    j.BeginObject();
    j.Member("startLine", line);
    if (column > 0) j.Member("startColumn", column);
    j.EndObject();
  }
  j.EndObject();
  j.EndObject();
  j.EndArray();
}

}  // namespace

Result<std::string> RenderSarif(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const ReportOptions& o = in.options;
  Texts t(o.lang);
  const TextCatalog& cat = t.catalog();
  const GateResult* gate = o.gate && o.gate->active ? o.gate : nullptr;
  bool baseline_used = gate && gate->has_baseline;

  // The rules reported, sorted by id, each with its index.
  std::vector<std::string> rule_ids;
  for (const Finding& f : r.findings) rule_ids.push_back(f.rule_id);
  std::sort(rule_ids.begin(), rule_ids.end());
  rule_ids.erase(std::unique(rule_ids.begin(), rule_ids.end()), rule_ids.end());
  std::map<std::string, size_t> rule_index;
  for (size_t i = 0; i < rule_ids.size(); ++i) rule_index[rule_ids[i]] = i;

  std::string out;
  JsonOut j(out);
  j.BeginObject();
  j.Member("$schema", kSchema);
  j.Member("version", "2.1.0");
  j.Key("runs");
  j.BeginArray();
  j.BeginObject();
  j.Key("tool");
  j.BeginObject();
  j.Key("driver");
  j.BeginObject();
  j.Member("name", "blindspot");
  if (!o.tool_version.empty()) j.Member("version", o.tool_version);
  j.Key("rules");
  j.BeginArray();
  for (const std::string& id : rule_ids) {
    const RuleMeta* rule = cat.FindRule(id);
    j.BeginObject();
    j.Member("id", id);
    if (rule) {
      TextObject(j, "shortDescription", rule->title.Get(t.lang()));
      TextObject(j, "fullDescription", rule->explanation.Get(t.lang()));
      TextObject(j, "help", rule->remediation.Get(t.lang()));
      if (!rule->sources.empty()) j.Member("helpUri", rule->sources.front().url);
      j.Key("defaultConfiguration");
      j.BeginObject();
      j.Member("level", Level(rule->severity));
      j.EndObject();
    }
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.EndObject();
  j.Member("language", t.lang());
  j.Key("results");
  j.BeginArray();
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    j.BeginObject();
    j.Member("ruleId", f.rule_id);
    j.Member("ruleIndex", static_cast<uint64_t>(rule_index[f.rule_id]));
    j.Member("level", Level(f.severity));
    std::string text = t.R(f.detail);
    if (text.empty()) {
      const RuleMeta* rule = cat.FindRule(f.rule_id);
      text = rule ? rule->title.Get(t.lang()) : f.rule_id;
    }
    if (gate && gate->states[i] != GateState::kNew) text += " [" + GateStateText(*gate, i, t) + "]";
    TextObject(j, "message", text);
    Loc l = !f.path.empty() && o.source_map ? o.source_map->Find(f.path) : Loc{};
    if (l.line)
      PhysicalLocation(j, RegisterName(r), l.line, l.column);
    else if (std::string file = EvidenceFile(f, r); !file.empty())
      PhysicalLocation(j, file, 0, 0);
    j.Key("partialFingerprints");
    j.BeginObject();
    j.Member("blindspot/v1", Fingerprint(f));
    j.EndObject();
    if (gate) {
      // SARIF has no "accepted": an accepted finding is suppressed, with its reason.
      if (baseline_used) j.Member("baselineState", gate->states[i] == GateState::kNew ? "new" : "unchanged");
      if (const Acceptance* a = gate->acceptance[i]) {
        j.Key("suppressions");
        j.BeginArray();
        j.BeginObject();
        j.Member("kind", "external");
        j.Member("status", "accepted");
        j.Member("justification", a->reason);
        j.EndObject();
        j.EndArray();
      }
    }
    j.Key("properties");
    j.BeginObject();
    j.Member("severity", ToString(f.severity));
    j.Member("subject", FindingSubject(f));
    if (!f.path.empty()) j.Member("path", f.path);
    j.EndObject();
    j.EndObject();
  }
  if (gate)
    for (const BaselineEntry& e : gate->resolved) {
      j.BeginObject();
      j.Member("ruleId", e.rule.empty() ? std::string("unknown") : e.rule);
      j.Member("level", "none");
      TextObject(j, "message",
                 t.R(Message(ui::gate_resolved_item)
                         .Text("rule", e.rule.empty() ? e.fingerprint : e.rule)
                         .Text("subject", e.subject.empty() ? e.fingerprint : e.subject)));
      j.Key("partialFingerprints");
      j.BeginObject();
      j.Member("blindspot/v1", e.fingerprint);
      j.EndObject();
      j.Member("baselineState", "absent");
      j.EndObject();
    }
  j.EndArray();
  j.EndObject();
  j.EndArray();
  j.EndObject();
  out += '\n';
  return out;
}

}  // namespace blindspot::report_internal

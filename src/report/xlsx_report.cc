// The audit report as a workbook for the auditor's file: a sheet of findings
// and a sheet of touchpoints, headers and texts in the report language, the
// values the JSON report carries (docs/formats/report-documents.md). Written by
// io's WriteXlsx, the one XLSX writer (bold frozen header, autofilter, every
// cell through NeutraliseFormula); the report library depends on io, not the
// other way round.
#include <algorithm>
#include <set>

#include "blindspot/io.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

std::string JoinLines(const std::vector<std::string>& items, std::string_view sep = "\n") {
  std::string out;
  for (const std::string& s : items) {
    if (s.empty()) continue;
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// The host of a URL ("https://www.facebook.com/tr?..." -> "www.facebook.com"); "" if none.
std::string HostOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.starts_with('[')) rest = rest.substr(0, rest.find(':'));
  std::string host(rest);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

// The hosts the evidence of a touchpoint was seen on: request and link URLs,
// cookie domains; sorted, each once.
std::string EvidenceHosts(const DetectedTouchpoint* d) {
  if (!d) return "";
  std::set<std::string> hosts;
  for (const EvidenceItem& e : d->evidence) {
    std::string h = !e.cookie_domain.empty() ? e.cookie_domain : HostOf(e.url);
    while (h.starts_with('.')) h.erase(0, 1);
    if (!h.empty()) hosts.insert(h);
  }
  return JoinLines({hosts.begin(), hosts.end()}, ", ");
}

XlsxSheet FindingsSheet(const AuditResult& r, const ReportOptions& o, const Texts& t) {
  XlsxSheet s;
  s.name = t.T(ui::findings);
  s.header = {t.T(ui::col_rule),      t.T(ui::col_severity), t.T(ui::col_title),
              t.T(ui::subject),       t.T(ui::detail),       t.T(ui::col_location),
              t.T(ui::legal_sources), t.T(ui::col_gate),     t.T(ui::col_fingerprint)};
  s.widths = {9, 10, 40, 30, 60, 28, 50, 18, 18};
  const bool gate = o.gate && o.gate->active;
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    const RuleMeta* rule = t.catalog().FindRule(f.rule_id);
    std::string subject(t.Term("subject_kind", ToString(f.subject_kind)));
    if (!f.subject_name.empty()) {
      subject += ": " + f.subject_name;
      if (!f.subject_id.empty() && f.subject_id != f.subject_name) subject += " (" + f.subject_id + ")";
    } else if (!f.subject_id.empty()) {
      subject += ": " + f.subject_id;
    }
    std::string location = Location(f, r, o);
    if (location.empty()) location = f.path;
    std::vector<std::string> sources;
    if (rule)
      for (const Source& src : rule->sources) sources.push_back(src.Title(t.lang()));
    std::string detail = f.detail.empty() ? std::string() : t.R(f.detail);
    if (std::string raised = SeverityRaised(f, t); !raised.empty())
      detail += (detail.empty() ? "" : "\n") + raised;
    s.rows.push_back({f.rule_id, t.Term("severity", ToString(f.severity)),
                      rule ? rule->title.Get(t.lang()) : f.rule_id, subject, detail, location,
                      JoinLines(sources), gate ? GateStateText(*o.gate, i, t) : std::string(),
                      Fingerprint(f)});
  }
  return s;
}

XlsxSheet TouchpointsSheet(const AuditResult& r, const Texts& t) {
  XlsxSheet s;
  s.name = t.T(ui::touchpoints);
  s.header = {t.T(ui::col_product),        t.T(ui::vendor),
              t.T(ui::col_vendor_country), t.T(ui::col_processing_country),
              t.T(ui::col_category),       t.T(ui::col_channel),
              t.T(ui::col_status),         t.T(ui::col_register_id),
              t.T(ui::claim_role),         t.T(ui::claim_consent),
              t.T(ui::col_phases),         t.T(ui::col_hosts),
              t.T(ui::col_evidence),       t.T(ui::col_signals),
              t.T(ui::col_verdict),        t.T(ui::findings)};
  s.widths = {28, 30, 10, 12, 20, 14, 16, 20, 22, 12, 30, 40, 10, 30, 14, 10};
  const FindingIndex index(r);
  for (const ReconciledTouchpoint& tp : r.touchpoints) {
    const KbEntry* kb = KbOf(tp);
    std::string vendor, country, processing;
    if (kb) {
      vendor = kb->vendor.legal_entity;
      country = kb->vendor.country;
      processing = kb->vendor.processing_country;
    } else if (const Processor* p = tp.registered ? r.reg->FindProcessor(tp.registered->vendor) : nullptr) {
      vendor = p->legal_entity.empty() ? p->name : p->legal_entity;
      country = p->country;
    }
    std::string channel = kb ? kb->channel : std::string();
    if (channel.empty() && tp.registered) channel = tp.registered->channel;
    std::vector<std::string> phases;
    std::vector<std::string> signals;
    if (tp.detected) {
      for (ConsentPhase p : tp.detected->phases_active)
        phases.push_back(t.Term("consent_phase", ToString(p)));
      for (const SignalHit& h : tp.detected->signals)
        signals.push_back(h.param.empty() ? h.signal_id : h.signal_id + " (" + h.param + ")");
    }
    s.rows.push_back({
        DisplayName(tp),
        vendor,
        country,
        processing,
        kb && !kb->category.empty() ? t.Term("kb_category", kb->category) : std::string(),
        channel.empty() ? channel : t.Term("channel", channel),
        t.Term("touchpoint_status", StatusId(tp)),
        tp.registered ? tp.registered->id : std::string(),
        kb ? t.Term("vendor_role", ToString(kb->role.value)) : std::string(),
        kb ? t.Term("yes_no", kb->consent_required.value ? "yes" : "no") : std::string(),
        JoinLines(phases, ", "),
        EvidenceHosts(tp.detected),
        std::to_string(tp.detected ? tp.detected->evidence_count : uint64_t{0}),
        JoinLines(signals, ", "),
        t.Term("verdict", ToString(tp.verdict.verdict)),
        std::to_string(index.About(tp).size()),
    });
  }
  return s;
}

}  // namespace

Result<std::string> RenderXlsx(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const Texts t(in.options.lang);
  return WriteXlsx({FindingsSheet(r, in.options, t), TouchpointsSheet(r, t)});
}

}  // namespace blindspot::report_internal

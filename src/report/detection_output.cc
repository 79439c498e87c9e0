// The `detect` outputs: touchpoints found in evidence, without a register.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "blindspot/terminal.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

nlohmann::ordered_json CarriedJson(const std::vector<CarriedData>& list) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const CarriedData& c : list) {
    nlohmann::ordered_json x = {{"kind", std::string(ToString(c.kind))}, {"param", c.param}};
    if (!c.inner.empty()) x["inner"] = c.inner;
    if (!c.term.empty()) {
      x["term"] = c.term;
      x["sensitive_category"] = c.category;
    }
    x["requests"] = c.requests;
    x["host"] = c.host;
    x["page"] = c.page;
    x["source"] = c.source;
    x["entry"] = c.entry;
    a.push_back(std::move(x));
  }
  return a;
}

// Each signal once, in order of first sight, with its parameters:
// "advanced-matching (ud[em], ud[ph]), enhanced-conversions (em)".
std::string SignalList(const std::vector<SignalHit>& hits) {
  std::vector<std::pair<std::string, std::vector<std::string>>> signals;
  for (const SignalHit& h : hits) {
    auto it =
        std::find_if(signals.begin(), signals.end(), [&](const auto& s) { return s.first == h.signal_id; });
    if (it == signals.end()) it = signals.insert(signals.end(), {h.signal_id, {}});
    if (!h.param.empty() && std::find(it->second.begin(), it->second.end(), h.param) == it->second.end())
      it->second.push_back(h.param);
  }
  std::string out;
  for (const auto& [id, params] : signals) {
    if (!out.empty()) out += ", ";
    out += id;
    if (!params.empty()) out += fmt::format(" ({})", fmt::join(params, ", "));
  }
  return out;
}

}  // namespace

Result<std::string> RenderDetectionJson(const OutputInput& in) {
  const DetectionResult& d = *in.detection;
  nlohmann::ordered_json j;
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const EvidenceSourceInfo& s : d.sources)
    sources.push_back(
        {{"name", s.name},
         {"kind", s.kind},
         {"warnings", s.warnings},
         {"phase", s.phase == ConsentPhase::kUnknown ? nlohmann::ordered_json()
                                                     : nlohmann::ordered_json(ToString(s.phase))}});
  j["sources"] = sources;
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
    for (const auto& s : t.signals)
      sig.push_back({{"id", s.signal_id},
                     {"param", s.param},
                     {"data_category", s.data_category},
                     {"source", s.source},
                     {"entry", s.entry},
                     {"example_url", s.example_url}});
    o["signals"] = sig;
    if (!t.implied_by.empty()) {
      o["implied_by"] = t.implied_by;
      o["confidence"] = std::string(ToString(t.confidence));
      o["inferred"] = t.inferred();
    }
    o["pages"] = std::vector<std::string>(t.pages.begin(), t.pages.end());
    nlohmann::ordered_json phases = nlohmann::ordered_json::array();
    for (ConsentPhase p : t.phases_active) phases.push_back(std::string(ToString(p)));
    o["phases_active"] = std::move(phases);
    o["carried"] = CarriedJson(t.carried);
    nlohmann::ordered_json ev = nlohmann::ordered_json::array();
    for (const auto& e : t.evidence) {
      nlohmann::ordered_json x = {{"kind", std::string(ToString(e.kind))},
                                  {"url", e.url},
                                  {"page", e.page},
                                  {"source", e.source},
                                  {"entry", e.entry},
                                  {"signature", e.signature}};
      if (!e.params.empty()) x["params"] = e.params;
      if (!e.cookie_name.empty())
        x["cookie"] = {{"name", e.cookie_name}, {"domain", e.cookie_domain}, {"expires", e.cookie_expires}};
      if (!e.signal_id.empty())
        x["signal"] = {{"id", e.signal_id}, {"param", e.signal_param}, {"via", e.via}};
      ev.push_back(std::move(x));
    }
    o["evidence"] = ev;
    tps.push_back(o);
  }
  j["touchpoints"] = tps;
  nlohmann::ordered_json hosts = nlohmann::ordered_json::array();
  for (const auto& h : d.third_party_hosts)
    hosts.push_back({{"host", h.host},
                     {"registrable_domain", h.registrable_domain},
                     {"requests", h.requests},
                     {"matched", h.matched}});
  j["third_party_hosts"] = hosts;
  nlohmann::ordered_json unid = nlohmann::ordered_json::array();
  for (const auto& u : d.unidentified)
    unid.push_back({{"registrable_domain", u.registrable_domain},
                    {"hosts", u.hosts},
                    {"requests", u.requests},
                    {"filter", u.filter},
                    {"list", u.list},
                    {"line", u.line},
                    {"example_url", u.example_url},
                    {"source", u.source},
                    {"entry", u.entry}});
  j["unidentified_trackers"] = unid;
  nlohmann::ordered_json carried = nlohmann::ordered_json::array();
  for (const auto& c : d.carried)
    carried.push_back({{"registrable_domain", c.registrable_domain}, {"carried", CarriedJson(c.carried)}});
  j["carried_unattributed"] = carried;
  j["tel_links"] = d.tel_links;
  j["mailto_links"] = d.mailto_links;
  Texts t(in.options.lang);
  j["warning_count"] = d.warning_count;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [issue, n] : d.warning_counts) counts[std::string(ToString(issue))] = n;
  j["warning_counts"] = counts;
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const ReadWarning& w : d.warnings) {
    auto str_or_null = [](const std::string& v) {
      return v.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(v);
    };
    nlohmann::ordered_json x;
    x["source"] = w.source;
    x["entry"] = w.has_entry ? nlohmann::ordered_json(w.entry) : nlohmann::ordered_json();
    x["offset"] =
        w.issue == ReadIssue::kNoFirstParty ? nlohmann::ordered_json() : nlohmann::ordered_json(w.offset);
    x["path"] = str_or_null(w.path);
    x["issue"] = std::string(ToString(w.issue));
    x["action"] = std::string(ToString(w.action));
    x["expected"] = str_or_null(w.expected);
    x["found"] = str_or_null(w.found);
    x["text"] = ReadWarningLine(w, t);
    warnings.push_back(std::move(x));
  }
  j["warnings"] = warnings;
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<std::string> RenderDetectionText(const OutputInput& in) {
  const DetectionResult& d = *in.detection;
  Texts t(in.options.lang);
  std::string s = t.R(Message(ui::detect_summary)
                          .Number("sources", static_cast<int64_t>(d.sources.size() - d.discoveries.size()))
                          .Number("entries", static_cast<int64_t>(d.entries))
                          .Number("bytes", static_cast<int64_t>(d.bytes))) +
                  "\n";
  s += fmt::format("{}: {}\n", t.T(ui::first_party_domains),
                   d.first_party_domains.empty() ? t.T(ui::none)
                                                 : fmt::format("{}", fmt::join(d.first_party_domains, ", ")));
  s += fmt::format("{}: {}\n", t.T(ui::read_warnings), ReadWarningSummary(d, t));
  for (const ReadWarning& w : d.warnings) s += "  " + ReadWarningLine(w, t) + "\n";
  if (d.warning_count > d.warnings.size())
    s += "  " +
         t.R(Message(ui::read_warnings_more)
                 .Number("n", static_cast<int64_t>(d.warning_count - d.warnings.size()))) +
         "\n";
  s += t.R(Message(ui::detect_touchpoints).Number("n", static_cast<int64_t>(d.touchpoints.size()))) + "\n";
  for (const auto& tp : d.touchpoints) {
    std::string line =
        fmt::format("  {:<32} {:<22} {:>5}", tp.kb_id, tp.kb ? tp.kb->category : "", tp.evidence_count);
    if (!tp.signals.empty()) line += "  " + t.T(ui::detect_signals) + ": " + SignalList(tp.signals);
    if (tp.inferred())
      line += "  (" + InferredFrom(tp, t) + ")";
    else if (!tp.implied_by.empty())
      line += "  (" + t.T(ui::implied_by) + " " + tp.implied_by + ")";
    else if (tp.records_only && tp.discovered)
      line += "  (" + t.Term("record_proof", ToString(*tp.discovered)) + ")";
    s += line + "\n";
    if (d.HasPhases()) s += "      " + PhasesActive(tp, t) + "\n";
    for (const CarriedData& c : tp.carried)
      s += "      " + t.T(ui::detect_carries) + " " + CarriedItem(c, t) + "\n";
  }
  size_t unmatched = std::count_if(d.third_party_hosts.begin(), d.third_party_hosts.end(),
                                   [](const ThirdPartyHost& h) { return !h.matched; });
  s += t.R(Message(ui::detect_third_parties)
               .Number("hosts", static_cast<int64_t>(d.third_party_hosts.size()))
               .Number("unmatched", static_cast<int64_t>(unmatched))) +
       "\n";
  for (const auto& h : d.third_party_hosts)
    if (!h.matched)
      s += "  " +
           t.R(Message(ui::detect_host)
                   .Text("host", h.host)
                   .Number("requests", static_cast<int64_t>(h.requests))) +
           "\n";
  if (!d.unidentified.empty()) {
    s +=
        t.R(Message(ui::detect_unidentified).Number("n", static_cast<int64_t>(d.unidentified.size()))) + "\n";
    for (const auto& u : d.unidentified)
      s += "  " +
           t.R(Message(ui::detect_unidentified_line)
                   .Text("domain", u.registrable_domain)
                   .Number("requests", static_cast<int64_t>(u.requests))
                   .Text("list", u.list)
                   .Number("line", static_cast<int64_t>(u.line))
                   .Text("filter", u.filter)) +
           "\n";
  }
  if (!d.carried.empty()) {
    s += t.R(Message(ui::detect_carried_unattributed).Number("n", static_cast<int64_t>(d.carried.size()))) +
         "\n";
    for (const auto& u : d.carried) {
      s += "  " + u.registrable_domain + "\n";
      for (const CarriedData& c : u.carried)
        s += "      " + t.T(ui::detect_carries) + " " + CarriedItem(c, t) + "\n";
    }
  }
  // Discovery files: each with its warnings and what no product explains (all of it).
  for (const DiscoverySource& ds : d.discoveries) {
    s += t.R(DiscoverySourceLine(ds)) + "\n";
    for (const Error& w : ds.report->warnings) {
      std::string line = w.Format();
      s += "  ! " + line.substr(0, line.find('\n')) + "\n";
    }
    if (!ds.unattributed.empty())
      s +=
          "  " +
          t.R(Message(ui::discovery_unattributed).Number("n", static_cast<int64_t>(ds.unattributed.size()))) +
          "\n";
    for (size_t i : ds.unattributed) s += "    " + t.R(UnattributedLine(ds.report->observations[i])) + "\n";
  }
  if (d.tel_links + d.mailto_links > 0)
    s += t.R(Message(ui::detect_contact_links)
                 .Number("tel", static_cast<int64_t>(d.tel_links))
                 .Number("mailto", static_cast<int64_t>(d.mailto_links))) +
         "\n";
  return EscapeControl(s, /*keep_newlines=*/true);
}

}  // namespace blindspot::report_internal

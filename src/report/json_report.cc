// JSON report: the schema is documented in docs/formats/report-json.md.
// Keys are emitted in a fixed order (nlohmann::ordered_json) and arrays keep
// the audit's deterministic order, so equal input gives byte-equal output.
// Prose (titles, details, remediation, reasons, meanings, source titles) is in
// the report language; every finding also carries its message id and
// arguments, so it can be rendered again in any language. Rule texts are
// given once per rule (in "rules"), not per finding.
#include <nlohmann/json.hpp>

#include "blindspot/terminal.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

using Json = nlohmann::ordered_json;

Json StrOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }
Json OptBool(const std::optional<bool>& b) { return b ? Json(*b) : Json(nullptr); }
Json ListOrNull(const std::vector<std::string>& v) { return v.empty() ? Json(nullptr) : Json(v); }

Json Sources(const std::vector<Source>& sources, const Texts& t) {
  Json arr = Json::array();
  for (const Source& s : sources)
    arr.push_back({{"id", s.id}, {"title", s.Title(t.lang())}, {"url", StrOrNull(s.url)}});
  return arr;
}

Json ArgJson(const MessageArg& a);

Json MessageJson(const Message& m) {
  Json args = Json::object();
  for (const MessageArg& a : m.args) args[a.name] = ArgJson(a);
  return {{"id", m.id}, {"args", std::move(args)}};
}

Json ArgJson(const MessageArg& a) {
  switch (a.kind) {
    case ArgKind::kText:
      return a.text;
    case ArgKind::kNumber:
      return a.number;
    case ArgKind::kTerm:
      return {{"vocabulary", a.vocab}, {"value", a.text}};
    case ArgKind::kList: {
      Json arr = Json::array();
      for (const MessageArg& i : a.items) arr.push_back(ArgJson(i));
      return arr;
    }
    case ArgKind::kMessage:
      return a.message.empty() || a.message.front().empty() ? Json(nullptr) : MessageJson(a.message.front());
  }
  return nullptr;
}

Json Vendor(const ReconciledTouchpoint& tp, const AuditResult& r) {
  if (const KbEntry* kb = KbOf(tp)) {
    return {{"legal_entity", StrOrNull(kb->vendor.legal_entity)},
            {"country", StrOrNull(kb->vendor.country)},
            {"processing_country", StrOrNull(kb->vendor.processing_country)},
            {"transfer_mechanism", std::string(ToString(kb->vendor.transfer_mechanism))}};
  }
  const Processor* p = tp.registered ? r.reg->FindProcessor(tp.registered->vendor) : nullptr;
  if (!p) return nullptr;
  return {{"legal_entity", StrOrNull(p->legal_entity.empty() ? p->name : p->legal_entity)},
          {"country", StrOrNull(p->country)},
          {"processing_country", nullptr},
          {"transfer_mechanism",
           p->transfer_safeguard ? Json(std::string(ToString(*p->transfer_safeguard))) : Json(nullptr)}};
}

Json Answers(const Touchpoint* tp) {
  if (!tp) return nullptr;
  const TouchpointAnswers& a = tp->answers;
  return {
      {"in_use", OptBool(a.in_use)},
      {"in_use_since", StrOrNull(a.in_use_since)},
      {"stored_by_us", OptBool(a.stored_by_us)},
      {"stored_by_us_where", StrOrNull(a.stored_by_us_where)},
      {"stored_by_vendor", OptBool(a.stored_by_vendor)},
      {"stored_by_vendor_details", StrOrNull(a.stored_by_vendor_details)},
      {"informed_statement", StrOrNull(a.informed_statement)},
      {"informed_section", StrOrNull(a.informed_section)},
      {"data_collected", ListOrNull(a.data_collected)},
      {"lawful_basis", a.lawful_basis ? Json(std::string(ToString(*a.lawful_basis))) : Json(nullptr)},
      {"necessity", StrOrNull(a.necessity)},
      {"subsidiarity", StrOrNull(a.subsidiarity)},
      {"proportionality", StrOrNull(a.proportionality)},
      {"security_measures", ListOrNull(a.security_measures)},
  };
}

Json EvidenceJson(const EvidenceItem& e) {
  Json j = {{"kind", std::string(ToString(e.kind))},
            {"url", StrOrNull(e.url)},
            {"page", StrOrNull(e.page)},
            {"source", StrOrNull(e.source)},
            {"entry", e.entry},
            {"signature", StrOrNull(e.signature)}};
  if (!e.params.empty()) j["params"] = e.params;
  if (!e.cookie_name.empty())
    j["cookie"] = {{"name", e.cookie_name}, {"domain", StrOrNull(e.cookie_domain)}, {"expires", StrOrNull(e.cookie_expires)}};
  if (!e.signal_id.empty()) j["signal"] = {{"id", e.signal_id}, {"param", e.signal_param}, {"via", e.via}};
  return j;
}

Json TouchpointJson(const ReconciledTouchpoint& tp, const AuditResult& r, const Texts& t) {
  const KbEntry* kb = KbOf(tp);
  Json evidence = Json::array();
  Json signals = Json::array();
  Json pages = Json::array();
  uint64_t evidence_count = 0;
  if (tp.detected) {
    for (const EvidenceItem& e : tp.detected->evidence) evidence.push_back(EvidenceJson(e));
    evidence_count = tp.detected->evidence_count;
    for (const SignalHit& s : tp.detected->signals) {
      std::string meaning = SignalMeaning(kb, s, t);
      signals.push_back({{"id", s.signal_id},
                         {"param", s.param},
                         {"data_category", StrOrNull(s.data_category)},
                         {"meaning", StrOrNull(meaning)}});
    }
    for (const std::string& p : tp.detected->pages) pages.push_back(p);
  }
  std::string channel = kb ? kb->channel : "";
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
  Json role = nullptr, consent = nullptr;
  if (kb) {
    role = {{"value", std::string(ToString(kb->role.value))},
            {"reason", StrOrNull(t.Kb(kb->role.reason))},
            {"sources", Sources(kb->role.sources, t)}};
    consent = {{"value", kb->consent_required.value},
               {"reason", StrOrNull(t.Kb(kb->consent_required.reason))},
               {"sources", Sources(kb->consent_required.sources, t)}};
  }
  return {
      {"kb_id", StrOrNull(tp.kb_id)},
      {"name", DisplayName(tp)},
      {"vendor", Vendor(tp, r)},
      {"category", kb ? StrOrNull(kb->category) : Json(nullptr)},
      {"channel", StrOrNull(channel)},
      {"status", std::string(StatusId(tp))},
      {"registered", tp.registered != nullptr},
      {"register_id", tp.registered ? Json(tp.registered->id) : Json(nullptr)},
      {"detected", tp.detected != nullptr},
      {"blind_spot", tp.blind_spot()},
      {"implied_by", tp.detected ? StrOrNull(tp.detected->implied_by) : Json(nullptr)},
      {"description", kb ? StrOrNull(t.Kb(kb->description)) : Json(nullptr)},
      {"role", std::move(role)},
      {"consent_required", std::move(consent)},
      {"evidence", std::move(evidence)},
      {"evidence_count", evidence_count},
      {"pages", std::move(pages)},
      {"signals", std::move(signals)},
      {"answers", Answers(tp.registered)},
  };
}

Json FindingJson(const Finding& f, const AuditResult& r, const ReportOptions& o, const Texts& t) {
  const RuleMeta* rule = t.catalog().FindRule(f.rule_id);
  Json loc = nullptr;
  if (!f.path.empty() && o.source_map) {
    Loc l = o.source_map->Find(f.path);
    if (l.line) loc = {{"file", RegisterName(r)}, {"line", l.line}, {"column", l.column}};
  }
  return {
      {"rule_id", f.rule_id},
      {"severity", std::string(ToString(f.severity))},
      {"title", rule ? rule->title.Get(t.lang()) : f.rule_id},
      {"subject",
       {{"kind", std::string(ToString(f.subject_kind))}, {"id", StrOrNull(f.subject_id)}, {"name", StrOrNull(f.subject_name)}}},
      {"detail", StrOrNull(t.R(f.detail))},
      {"message", f.detail.empty() ? Json(nullptr) : MessageJson(f.detail)},
      {"path", StrOrNull(f.path)},
      {"register_location", std::move(loc)},
  };
}

// The document is written piece by piece (touchpoints and findings one at a
// time), so memory stays near the size of the output rather than of a JSON
// tree of it; the bytes are those of nlohmann's dump(2) of the whole.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) { out_ += "{"; }
  void Member(std::string_view key, const Json& value) {
    Key(key);
    Indented(value, 2);
  }
  template <class Fn>
  void Array(std::string_view key, size_t n, Fn&& element) {
    Key(key);
    if (n == 0) {
      out_ += "[]";
      return;
    }
    out_ += "[";
    for (size_t i = 0; i < n; ++i) {
      out_ += i ? ",\n    " : "\n    ";
      Indented(element(i), 4);
    }
    out_ += "\n  ]";
  }
  void Close() { out_ += "\n}\n"; }

 private:
  void Key(std::string_view key) {
    out_ += first_ ? "\n  " : ",\n  ";
    first_ = false;
    out_ += Json(std::string(key)).dump();
    out_ += ": ";
  }
  // `value` dumped with indent 2, each line after the first shifted right by `indent`.
  void Indented(const Json& value, size_t indent) {
    std::string d = value.dump(2, ' ', false, Json::error_handler_t::replace);
    std::string pad(indent, ' ');
    size_t from = 0;
    for (size_t nl; (nl = d.find('\n', from)) != std::string::npos; from = nl + 1) {
      out_.append(d, from, nl + 1 - from);
      out_ += pad;
    }
    out_.append(d, from, std::string::npos);
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace

Result<std::string> RenderJson(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const ReportOptions& options = in.options;
  Texts t(options.lang);
  Counts counts = CountAll(r);
  std::string out;
  out.reserve(4096 + r.findings.size() * 900 + r.touchpoints.size() * 2500);
  JsonWriter w(out);
  w.Member("blindspot_report", 2);
  w.Member("lang", options.lang);
  if (!options.generated_at.empty()) w.Member("generated_at", options.generated_at);
  if (!options.tool_version.empty()) w.Member("tool_version", options.tool_version);

  if (r.reg->empty()) {
    w.Member("register", nullptr);
  } else {
    w.Member("register", Json{{"file", StrOrNull(RegisterName(r))},
                              {"organisation", StrOrNull(r.reg->organisation.name)},
                              {"counts",
                               {{"activities", r.reg->activities.size()},
                                {"processors", r.reg->processors.size()},
                                {"systems", r.reg->systems.size()},
                                {"touchpoints", r.reg->touchpoints.size()}}}});
  }

  const DetectionResult& d = r.detection;
  Json sources = Json::array();
  for (const EvidenceSourceInfo& s : d.sources) sources.push_back({{"name", s.name}, {"kind", s.kind}});
  Json pages = Json::array();
  for (const Page& p : d.pages)
    pages.push_back({{"id", p.id}, {"title", StrOrNull(p.title)}, {"started", StrOrNull(p.started)}});
  Json hosts = Json::array();
  for (const ThirdPartyHost& h : d.third_party_hosts)
    hosts.push_back({{"host", h.host},
                     {"registrable_domain", h.registrable_domain},
                     {"requests", h.requests},
                     {"matched", h.matched}});
  w.Member("evidence", Json{{"sources", std::move(sources)},
                            {"pages", std::move(pages)},
                            {"entries", d.entries},
                            {"bytes", d.bytes},
                            {"first_party_domains", d.first_party_domains},
                            {"third_party_hosts", std::move(hosts)}});

  w.Array("touchpoints", r.touchpoints.size(), [&](size_t i) { return TouchpointJson(r.touchpoints[i], r, t); });
  std::vector<std::string> rule_ids;
  w.Array("findings", r.findings.size(), [&](size_t i) {
    const Finding& f = r.findings[i];
    if (std::find(rule_ids.begin(), rule_ids.end(), f.rule_id) == rule_ids.end()) rule_ids.push_back(f.rule_id);
    return FindingJson(f, r, options, t);
  });

  std::sort(rule_ids.begin(), rule_ids.end());
  Json rules = Json::object();
  for (const std::string& id : rule_ids) {
    const RuleMeta* rule = t.catalog().FindRule(id);
    if (!rule) continue;
    rules[id] = {{"severity", std::string(ToString(rule->severity))},
                 {"title", rule->title.Get(t.lang())},
                 {"explanation", StrOrNull(rule->explanation.Get(t.lang()))},
                 {"remediation", rule->remediation.Get(t.lang())},
                 {"sources", Sources(rule->sources, t)}};
  }
  w.Member("rules", rules);

  w.Member("summary", Json{{"touchpoints", r.touchpoints.size()},
                           {"detected", counts.detected},
                           {"registered", counts.registered},
                           {"blind_spots", counts.blind_spots},
                           {"not_seen", counts.not_seen},
                           {"findings", counts.findings},
                           {"high", counts.high},
                           {"medium", counts.medium},
                           {"low", counts.low},
                           {"info", counts.info}});
  Json notes = Json::array();
  if (std::string note = t.FallbackNote(); !note.empty()) notes.push_back(note);
  w.Member("notes", notes);
  w.Close();
  // Invalid UTF-8 in input text is replaced (error_handler_t::replace) rather than failing the report.
  return out;
}

}  // namespace blindspot::report_internal

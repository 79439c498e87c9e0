// JSON report: the schema is documented in docs/formats/report-json.md.
// Keys are emitted in a fixed order (nlohmann::ordered_json) and arrays keep
// the audit's deterministic order, so equal input gives byte-equal output.
#include <nlohmann/json.hpp>

#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

using Json = nlohmann::ordered_json;

Json StrOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json OptBool(const std::optional<bool>& b) { return b ? Json(*b) : Json(nullptr); }

Json ListOrNull(const std::vector<std::string>& v) { return v.empty() ? Json(nullptr) : Json(v); }

// Source titles are in the report language (Source::Title), like every other text.
Json Sources(const std::vector<Source>& sources, std::string_view lang) {
  Json arr = Json::array();
  for (const Source& s : sources) arr.push_back({{"title", s.Title(lang)}, {"url", StrOrNull(s.url)}});
  return arr;
}

Json ClaimJson(const KbEntry* kb, const Claim KbEntry::*claim, std::string_view lang) {
  if (!kb) return nullptr;
  const Claim& c = kb->*claim;
  if (c.value.empty()) return nullptr;
  return {
      {"value", c.value}, {"reason", StrOrNull(c.reason.Get(lang))}, {"sources", Sources(c.sources, lang)}};
}

Json Vendor(const ReconciledTouchpoint& tp, const AuditResult& r) {
  if (const KbEntry* kb = KbOf(tp)) {
    return {{"legal_entity", StrOrNull(kb->vendor.legal_entity)},
            {"country", StrOrNull(kb->vendor.country)},
            {"processing_country", StrOrNull(kb->vendor.processing_country)},
            {"transfer_mechanism", StrOrNull(kb->vendor.transfer_mechanism)}};
  }
  const Processor* p = nullptr;
  if (tp.registered && r.reg) {
    for (const Processor& cand : r.reg->processors)
      if (cand.id == tp.registered->vendor) p = &cand;
  }
  if (!p) return nullptr;
  return {{"legal_entity", StrOrNull(p->legal_entity.empty() ? p->name : p->legal_entity)},
          {"country", StrOrNull(p->country)},
          {"processing_country", nullptr},
          {"transfer_mechanism",
           p->transfer_safeguard ? Json(std::string(ToString(*p->transfer_safeguard))) : Json(nullptr)}};
}

Json Answers(const Touchpoint* t) {
  if (!t) return nullptr;
  const TouchpointAnswers& a = t->answers;
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

Json TouchpointJson(const ReconciledTouchpoint& tp, const AuditResult& r, std::string_view lang) {
  const KbEntry* kb = KbOf(tp);
  Json evidence = Json::array();
  Json signals = Json::array();
  Json pages = Json::array();
  uint64_t evidence_count = 0;
  if (tp.detected) {
    for (const EvidenceItem& e : tp.detected->evidence) {
      evidence.push_back({{"kind", std::string(ToString(e.kind))},
                          {"value", e.value},
                          {"page", StrOrNull(e.page)},
                          {"har", StrOrNull(e.har)},
                          {"entry", e.entry},
                          {"signature", StrOrNull(e.signature)}});
    }
    evidence_count = tp.detected->evidence_count;
    for (const SignalHit& s : tp.detected->signals) {
      signals.push_back({{"id", s.signal_id},
                         {"param", s.param},
                         {"data_category", StrOrNull(s.data_category)},
                         {"meaning", StrOrNull(SignalMeaning(kb, s.signal_id, lang))}});
    }
    for (const std::string& p : tp.detected->pages) pages.push_back(p);
  }
  std::string channel = kb ? kb->channel : "";
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
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
      {"role", ClaimJson(kb, &KbEntry::role, lang)},
      {"consent_required", ClaimJson(kb, &KbEntry::consent_required, lang)},
      {"evidence", std::move(evidence)},
      {"evidence_count", evidence_count},
      {"pages", std::move(pages)},
      {"signals", std::move(signals)},
      {"answers", Answers(tp.registered)},
  };
}

Json FindingJson(const Finding& f, std::string_view lang) {
  RuleText rule = LookupRule(f.rule_id, lang);
  Json loc = f.loc.line == 0 ? Json(nullptr) : Json{{"line", f.loc.line}, {"column", f.loc.column}};
  return {
      {"rule_id", f.rule_id},
      {"severity", std::string(ToString(f.severity))},
      {"title", rule.title},
      {"subject",
       {{"kind", std::string(ToString(f.subject_kind))},
        {"id", StrOrNull(f.subject_id)},
        {"name", StrOrNull(f.subject_name)}}},
      {"detail", StrOrNull(f.detail.Get(lang))},
      {"remediation", StrOrNull(rule.remediation)},
      {"legal_sources", Sources(rule.legal_sources, lang)},
      {"register_location", std::move(loc)},
  };
}

}  // namespace

Result<std::string> RenderJson(const AuditResult& r, const ReportOptions& options) {
  const std::string& lang = options.lang;
  Counts counts = CountAll(r);
  Json doc;
  doc["blindspot_report"] = 1;
  doc["lang"] = lang;
  if (!options.generated_at.empty()) doc["generated_at"] = options.generated_at;
  if (!options.tool_version.empty()) doc["tool_version"] = options.tool_version;

  Json reg;
  if (r.reg) {
    reg["file"] = StrOrNull(r.reg->source);
    reg["organisation"] = StrOrNull(r.reg->organisation.name);
    reg["counts"] = {{"activities", r.reg->activities.size()},
                     {"processors", r.reg->processors.size()},
                     {"systems", r.reg->systems.size()},
                     {"touchpoints", r.reg->touchpoints.size()}};
  } else {
    reg = nullptr;
  }
  doc["register"] = std::move(reg);

  const DetectionResult& d = r.detection;
  Json pages = Json::array();
  for (const HarPage& p : d.pages)
    pages.push_back({{"id", p.id}, {"title", StrOrNull(p.title)}, {"started", StrOrNull(p.started)}});
  Json hosts = Json::array();
  for (const ThirdPartyHost& h : d.third_party_hosts) {
    hosts.push_back({{"host", h.host},
                     {"registrable_domain", h.registrable_domain},
                     {"requests", h.requests},
                     {"matched", h.matched}});
  }
  doc["evidence"] = {{"hars", d.hars},
                     {"pages", std::move(pages)},
                     {"entries", d.entries},
                     {"bytes", d.bytes},
                     {"first_party_domains", d.first_party_domains},
                     {"third_party_hosts", std::move(hosts)}};

  Json tps = Json::array();
  for (const ReconciledTouchpoint& tp : r.touchpoints) tps.push_back(TouchpointJson(tp, r, lang));
  doc["touchpoints"] = std::move(tps);

  Json findings = Json::array();
  for (const Finding& f : r.findings) findings.push_back(FindingJson(f, lang));
  doc["findings"] = std::move(findings);

  doc["summary"] = {{"touchpoints", r.touchpoints.size()},
                    {"detected", counts.detected},
                    {"registered", counts.registered},
                    {"blind_spots", counts.blind_spots},
                    {"not_seen", counts.not_seen},
                    {"findings", counts.findings},
                    {"high", counts.high},
                    {"medium", counts.medium},
                    {"low", counts.low},
                    {"info", counts.info}};
  // Invalid UTF-8 in input text is replaced rather than failing the report.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace blindspot::report_internal

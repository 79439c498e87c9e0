// JSON report: the schema is documented in docs/formats/report-json.md.
// The document is streamed with JsonOut (touchpoints and findings one at a
// time, no tree), keys in a fixed order, arrays in the audit's deterministic
// order: equal input gives byte-equal output.
// Prose (titles, details, remediation, reasons, meanings, source titles) is in
// the report language; every finding also carries its message id and
// arguments, so it can be rendered again in any language. Rule texts are
// given once per rule (in "rules"), not per finding, and a knowledge-base
// product's description and claims once per product (in "products"), not per
// touchpoint.
#include <algorithm>

#include "blindspot/terminal.h"
#include "io/json_out.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
using io_internal::JsonOut;
namespace {

void Sources(JsonOut& j, const std::vector<Source>& sources, const Texts& t) {
  j.BeginArray();
  for (const Source& s : sources) {
    j.BeginObject();
    j.Member("id", s.id);
    j.Member("title", s.Title(t.lang()));
    j.MemberOrNull("url", s.url);
    j.EndObject();
  }
  j.EndArray();
}

void Arg(JsonOut& j, const MessageArg& a);

void MessageJson(JsonOut& j, const Message& m) {
  j.BeginObject();
  j.Member("id", m.id);
  j.Key("args");
  j.BeginObject();
  // An argument name given twice keeps its first place and its last value.
  for (size_t i = 0; i < m.args.size(); ++i) {
    bool seen = false;
    for (size_t k = 0; k < i && !seen; ++k) seen = m.args[k].name == m.args[i].name;
    if (seen) continue;
    size_t last = i;
    for (size_t k = i + 1; k < m.args.size(); ++k)
      if (m.args[k].name == m.args[i].name) last = k;
    j.Key(m.args[i].name);
    Arg(j, m.args[last]);
  }
  j.EndObject();
  j.EndObject();
}

void Arg(JsonOut& j, const MessageArg& a) {
  switch (a.kind) {
    case ArgKind::kText:
      j.Str(a.text);
      return;
    case ArgKind::kNumber:
      j.Int(a.number);
      return;
    case ArgKind::kTerm:
      j.BeginObject();
      j.Member("vocabulary", a.vocab);
      j.Member("value", a.text);
      j.EndObject();
      return;
    case ArgKind::kList:
      j.BeginArray();
      for (const MessageArg& i : a.items) Arg(j, i);
      j.EndArray();
      return;
    case ArgKind::kMessage:
      if (a.message.empty() || a.message.front().empty())
        j.Null();
      else
        MessageJson(j, a.message.front());
      return;
  }
  j.Null();
}

void Vendor(JsonOut& j, const ReconciledTouchpoint& tp, const AuditResult& r) {
  if (const KbEntry* kb = KbOf(tp)) {
    j.BeginObject();
    j.MemberOrNull("legal_entity", kb->vendor.legal_entity);
    j.MemberOrNull("country", kb->vendor.country);
    j.MemberOrNull("processing_country", kb->vendor.processing_country);
    j.Member("transfer_mechanism", ToString(kb->vendor.transfer_mechanism));
    j.EndObject();
    return;
  }
  const Processor* p = tp.registered ? r.reg->FindProcessor(tp.registered->vendor) : nullptr;
  if (!p) {
    j.Null();
    return;
  }
  j.BeginObject();
  j.MemberOrNull("legal_entity", p->legal_entity.empty() ? p->name : p->legal_entity);
  j.MemberOrNull("country", p->country);
  j.NullMember("processing_country");
  j.Key("transfer_mechanism");
  if (p->transfer_safeguard)
    j.Str(ToString(*p->transfer_safeguard));
  else
    j.Null();
  j.EndObject();
}

void Answers(JsonOut& j, const Touchpoint* tp) {
  if (!tp) {
    j.Null();
    return;
  }
  const TouchpointAnswers& a = tp->answers;
  j.BeginObject();
  j.Key("in_use"), j.OptBool(a.in_use);
  j.MemberOrNull("in_use_since", a.in_use_since);
  j.Key("stored_by_us"), j.OptBool(a.stored_by_us);
  j.MemberOrNull("stored_by_us_where", a.stored_by_us_where);
  j.Key("stored_by_vendor"), j.OptBool(a.stored_by_vendor);
  j.MemberOrNull("stored_by_vendor_details", a.stored_by_vendor_details);
  j.MemberOrNull("informed_statement", a.informed_statement);
  j.MemberOrNull("informed_section", a.informed_section);
  j.Key("data_collected"), j.StrListOrNull(a.data_collected);
  j.Key("lawful_basis");
  if (a.lawful_basis)
    j.Str(ToString(*a.lawful_basis));
  else
    j.Null();
  j.MemberOrNull("necessity", a.necessity);
  j.MemberOrNull("subsidiarity", a.subsidiarity);
  j.MemberOrNull("proportionality", a.proportionality);
  j.Key("security_measures"), j.StrListOrNull(a.security_measures);
  j.EndObject();
}

void EvidenceJson(JsonOut& j, const EvidenceItem& e) {
  j.BeginObject();
  j.Member("kind", ToString(e.kind));
  j.MemberOrNull("url", e.url);
  j.MemberOrNull("page", e.page);
  j.MemberOrNull("source", e.source);
  j.Member("entry", e.entry);
  j.MemberOrNull("signature", e.signature);
  if (!e.params.empty() && e.kind != EvidenceKind::kRecord) j.Key("params"), j.StrList(e.params);
  if (!e.cookie_name.empty()) {
    j.Key("cookie");
    j.BeginObject();
    j.Member("name", e.cookie_name);
    j.MemberOrNull("domain", e.cookie_domain);
    j.MemberOrNull("expires", e.cookie_expires);
    j.EndObject();
  }
  if (e.kind == EvidenceKind::kRecord) {
    j.Key("record");
    j.BeginObject();
    j.Member("kind", ToString(e.record_kind));
    j.Member("proof", ToString(e.proof));
    j.MemberOrNull("subject", e.subject);
    j.MemberOrNull("detail", e.detail);
    j.MemberOrNull("location", e.location);
    j.MemberOrNull("first_date", e.first_date);
    j.MemberOrNull("last_date", e.last_date);
    j.Member("count", e.count);
    // A tag's settings (consent, tag_id, user_data; "name=value" in params), masked.
    if (!e.params.empty()) {
      j.Key("attrs");
      j.BeginObject();
      for (const std::string& p : e.params)
        if (size_t eq = p.find('='); eq != std::string::npos) j.Member(p.substr(0, eq), p.substr(eq + 1));
      j.EndObject();
    }
    j.EndObject();
  }
  if (!e.signal_id.empty()) {
    j.Key("signal");
    j.BeginObject();
    j.Member("id", e.signal_id);
    j.Member("param", e.signal_param);
    j.Member("via", e.via);
    j.EndObject();
  }
  j.EndObject();
}

// A kb claim: {"value", "reason", "sources"}; `value` writes the value.
template <class WriteValue>
void Claim(JsonOut& j, WriteValue&& value, const LocalizedText& reason, const std::vector<Source>& sources,
           const Texts& t) {
  j.BeginObject();
  j.Key("value");
  value();
  j.MemberOrNull("reason", t.Kb(reason));
  j.Key("sources"), Sources(j, sources, t);
  j.EndObject();
}

// What third-party requests carried (values never), with the item in words.
void CarriedJson(JsonOut& j, const std::vector<CarriedData>& list, const Texts& t) {
  j.BeginArray();
  for (const CarriedData& c : list) {
    j.BeginObject();
    j.Member("kind", ToString(c.kind));
    j.Member("param", c.param);
    j.MemberOrNull("inner", c.inner);
    if (!c.term.empty()) {  // kind sensitive-term only
      j.Member("term", c.term);
      j.Member("sensitive_category", c.category);
    }
    j.Member("requests", c.requests);
    j.Member("host", c.host);
    j.MemberOrNull("page", c.page);
    j.Member("source", c.source);
    j.Member("entry", c.entry);
    j.Member("text", CarriedItem(c, t));
    j.EndObject();
  }
  j.EndArray();
}

// A verdict and its reasons (docs/verdicts.md).
void VerdictJson(JsonOut& j, const Judgement& v, const Texts& t) {
  j.Member("verdict", ToString(v.verdict));
  j.Key("verdict_reasons");
  j.BeginArray();
  for (const VerdictReason& reason : v.reasons) {
    j.BeginObject();
    j.Member("check", reason.check);
    j.Member("state", ToString(reason.state));
    j.Key("rule_ids"), j.StrList(reason.rule_ids);
    j.Member("text", t.R(reason.message));
    j.Key("message");
    MessageJson(j, reason.message);
    j.EndObject();
  }
  j.EndArray();
}

void VerdictCountsJson(JsonOut& j, const VerdictCounts& c) {
  j.BeginObject();
  j.Member("safeguarded", c.safeguarded);
  j.Member("gaps", c.gaps);
  j.Member("not_assessed", c.not_assessed);
  j.EndObject();
}

void TouchpointJson(JsonOut& j, const ReconciledTouchpoint& tp, const AuditResult& r, const Texts& t) {
  const KbEntry* kb = KbOf(tp);
  std::string_view channel = kb ? std::string_view(kb->channel) : std::string_view();
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
  j.BeginObject();
  j.MemberOrNull("kb_id", tp.kb_id);
  j.Member("name", DisplayName(tp));
  j.Key("vendor"), Vendor(j, tp, r);
  j.Key("category"), kb ? j.StrOrNull(kb->category) : j.Null();
  j.MemberOrNull("channel", channel);
  j.Member("status", StatusId(tp));
  // A platform known from discovery records that the register names as a
  // processor, not as a touchpoint, is registered (as that processor).
  j.Member("registered", tp.registered != nullptr || tp.processor != nullptr);
  j.Key("registered_as"), tp.registered ? j.Str("touchpoint") : tp.processor ? j.Str("processor") : j.Null();
  j.Key("register_id"), tp.registered ? j.Str(tp.registered->id) : j.Null();
  if (tp.processor) j.Member("processor_id", tp.processor->id);
  j.Member("detected", tp.detected != nullptr);
  j.Member("blind_spot", tp.blind_spot());
  j.Key("implied_by"), tp.detected ? j.StrOrNull(tp.detected->implied_by) : j.Null();
  // How sure the implication is; "inferred" touchpoints are suggested, not seen.
  j.Key("confidence"), tp.detected && (!tp.detected->implied_by.empty() || tp.detected->records_only)
                           ? j.Str(std::string(ToString(tp.detected->confidence)))
                           : j.Null();
  if (tp.detected && tp.detected->discovered) {
    // Discovery records (DNS, DMARC, tag manager, ad platform): the strongest
    // proof, whether records are all the evidence, and their period.
    j.Key("records");
    j.BeginObject();
    j.Member("proof", ToString(*tp.detected->discovered));
    j.Member("records_only", tp.detected->records_only);
    j.MemberOrNull("first_date", tp.detected->records_first_date);
    j.MemberOrNull("last_date", tp.detected->records_last_date);
    j.EndObject();
  }
  j.Key("evidence");
  j.BeginArray();
  if (tp.detected)
    for (const EvidenceItem& e : tp.detected->evidence) EvidenceJson(j, e);
  j.EndArray();
  j.Member("evidence_count", tp.detected ? tp.detected->evidence_count : uint64_t{0});
  j.Key("pages");
  j.BeginArray();
  if (tp.detected)
    for (const std::string& p : tp.detected->pages) j.Str(p);
  j.EndArray();
  j.Key("signals");
  j.BeginArray();
  if (tp.detected) {
    for (const SignalHit& s : tp.detected->signals) {
      j.BeginObject();
      j.Member("id", s.signal_id);
      j.Member("param", s.param);
      j.MemberOrNull("data_category", s.data_category);
      j.MemberOrNull("meaning", SignalMeaning(kb, s, t));
      j.EndObject();
    }
  }
  j.EndArray();
  // The consent phases its own traffic was seen in (captures of an evidence bundle).
  j.Key("phases_active");
  j.BeginArray();
  if (tp.detected)
    for (ConsentPhase p : tp.detected->phases_active) j.Str(std::string(ToString(p)));
  j.EndArray();
  j.Key("carried");
  CarriedJson(j, tp.detected ? tp.detected->carried : std::vector<CarriedData>{}, t);
  j.Key("answers"), Answers(j, tp.registered);
  VerdictJson(j, tp.verdict, t);
  j.EndObject();
}

// A knowledge-base product once per report: its description and the claims
// with their reasons and sources (the touchpoints refer to it by kb_id).
void ProductJson(JsonOut& j, const KbEntry& kb, const Texts& t) {
  j.BeginObject();
  j.Member("name", kb.name);
  j.MemberOrNull("category", kb.category);
  j.MemberOrNull("channel", kb.channel);
  j.MemberOrNull("description", t.Kb(kb.description));
  j.Key("role");
  Claim(
      j, [&] { j.Str(ToString(kb.role.value)); }, kb.role.reason, kb.role.sources, t);
  j.Key("consent_required");
  Claim(
      j, [&] { j.Bool(kb.consent_required.value); }, kb.consent_required.reason, kb.consent_required.sources,
      t);
  j.EndObject();
}

// The subject of a finding or an action: {"kind", "id", "name"}.
void SubjectJson(JsonOut& j, SubjectKind kind, std::string_view id, std::string_view name) {
  j.Key("subject");
  j.BeginObject();
  j.Member("kind", ToString(kind));
  j.MemberOrNull("id", id);
  j.MemberOrNull("name", name);
  j.EndObject();
}

void FindingJson(JsonOut& j, const Finding& f, size_t index, const AuditResult& r, const ReportOptions& o,
                 const Texts& t) {
  const RuleMeta* rule = t.catalog().FindRule(f.rule_id);
  j.BeginObject();
  j.Member("rule_id", f.rule_id);
  j.Member("fingerprint", Fingerprint(f));
  j.Key("gate");
  if (o.gate && o.gate->active && index < o.gate->states.size()) {
    j.BeginObject();
    j.Member("state", ToString(o.gate->states[index]));
    const Acceptance* a = o.gate->acceptance[index];
    j.Key("accepted");
    if (a) {
      j.BeginObject();
      j.Member("reason", a->reason);
      j.MemberOrNull("accepted_by", a->accepted_by);
      j.Member("expires", a->expires);
      j.EndObject();
    } else {
      j.Null();
    }
    j.EndObject();
  } else {
    j.Null();
  }
  j.Member("severity", ToString(f.severity));
  // Severity in context (docs/rules-format.md): only when it differs from the rule's.
  if (!f.severity_context.empty()) {
    j.Member("base_severity", ToString(f.base_severity));
    j.Key("severity_context");
    j.BeginArray();
    for (const std::string& c : f.severity_context) j.Str(c);
    j.EndArray();
  }
  j.Member("title", rule ? std::string_view(rule->title.Get(t.lang())) : std::string_view(f.rule_id));
  SubjectJson(j, f.subject_kind, f.subject_id, f.subject_name);
  j.MemberOrNull("detail", t.R(f.detail));
  j.Key("message");
  if (f.detail.empty())
    j.Null();
  else
    MessageJson(j, f.detail);
  j.MemberOrNull("path", f.path);
  j.Key("register_location");
  Loc l = !f.path.empty() && o.source_map ? o.source_map->Find(f.path) : Loc{};
  if (l.line) {
    j.BeginObject();
    j.Member("file", RegisterName(r));
    j.Member("line", l.line);
    j.Member("column", l.column);
    j.EndObject();
  } else {
    j.Null();
  }
  j.EndObject();
}

// The action list (docs/actions.md): every action, with the fingerprints of the findings it covers.
void ActionsJson(JsonOut& j, const AuditResult& r, const Texts& t) {
  j.MemberOrNull("actions_date", r.actions.date);
  j.Key("actions");
  j.BeginArray();
  for (const Action& a : r.actions.actions) {
    j.BeginObject();
    j.Member("priority", ToString(a.priority));
    j.MemberOrNull("due", a.due);
    j.Member("due_in_days", a.due_in_days);
    j.MemberOrNull("owner", a.owner);
    j.Member("owner_from", a.owner_from);
    j.Member("rule_id", a.rule_id);
    SubjectJson(j, a.subject_kind, a.subject_id, a.subject_name);
    j.Member("text", t.R(a.what));
    j.Key("message");
    MessageJson(j, a.what);
    j.Key("fingerprints");
    j.BeginArray();
    for (size_t i : a.findings) j.Str(Fingerprint(r.findings[i]));
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
}

// The gate section: null without --baseline and --accepted.
void GateJson(JsonOut& j, const GateResult* g) {
  if (!g || !g->active) {
    j.Null();
    return;
  }
  j.BeginObject();
  j.Member("as_of", g->as_of);
  j.Member("new", g->new_count);
  j.Member("in_baseline", g->baseline_count);
  j.Member("accepted", g->accepted_count);
  j.Member("resolved", g->resolved.size());
  j.Key("resolved_findings");
  j.BeginArray();
  for (const BaselineEntry& e : g->resolved) {
    j.BeginObject();
    j.Member("fingerprint", e.fingerprint);
    j.MemberOrNull("rule", e.rule);
    j.MemberOrNull("subject", e.subject);
    j.MemberOrNull("title", e.title);
    j.EndObject();
  }
  j.EndArray();
  j.Key("expired");
  j.BeginArray();
  for (const Acceptance& a : g->expired) {
    j.BeginObject();
    j.MemberOrNull("fingerprint", a.fingerprint);
    j.MemberOrNull("rule", a.rule);
    j.MemberOrNull("subject", a.subject);
    j.Member("reason", a.reason);
    j.MemberOrNull("accepted_by", a.accepted_by);
    j.Member("expires", a.expires);
    j.Member("line", a.loc.line);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
}

// "warning_count", "warning_counts" and "warnings" of the evidence object.
void ReadWarningsJson(JsonOut& j, const DetectionResult& d, const Texts& t) {
  j.Member("warning_count", d.warning_count);
  j.Key("warning_counts");
  j.BeginObject();
  for (const auto& [issue, n] : d.warning_counts) j.Member(ToString(issue), n);
  j.EndObject();
  j.Key("warnings");
  j.BeginArray();
  for (const ReadWarning& w : d.warnings) {
    j.BeginObject();
    j.Member("source", w.source);
    j.Key("entry"), w.has_entry ? j.Uint(w.entry) : j.Null();
    j.Key("offset"), w.issue == ReadIssue::kNoFirstParty ? j.Null() : j.Uint(w.offset);
    j.MemberOrNull("path", w.path);
    j.Member("issue", ToString(w.issue));
    j.Member("action", ToString(w.action));
    j.MemberOrNull("expected", w.expected);
    j.MemberOrNull("found", w.found);
    j.Member("text", ReadWarningLine(w, t));
    j.EndObject();
  }
  j.EndArray();
}

}  // namespace

Result<std::string> RenderJson(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const ReportOptions& options = in.options;
  Texts t(options.lang);
  Counts counts = CountAll(r);
  std::string out;
  out.reserve(4096 + r.findings.size() * 900 + r.touchpoints.size() * 2500);
  JsonOut j(out);
  j.BeginObject();
  j.Member("blindspot_report", 2);
  j.Member("lang", options.lang);
  if (!options.generated_at.empty()) j.Member("generated_at", options.generated_at);
  if (!options.tool_version.empty()) j.Member("tool_version", options.tool_version);
  ActionsJson(j, r, t);

  j.Key("register");
  if (r.reg->empty()) {
    j.Null();
  } else {
    j.BeginObject();
    j.MemberOrNull("file", RegisterName(r));
    j.MemberOrNull("organisation", r.reg->organisation.name);
    j.Key("counts");
    j.BeginObject();
    j.Member("activities", r.reg->activities.size());
    j.Member("processors", r.reg->processors.size());
    j.Member("systems", r.reg->systems.size());
    j.Member("touchpoints", r.reg->touchpoints.size());
    j.EndObject();
    j.EndObject();
  }

  const DetectionResult& d = r.detection;
  j.Key("evidence");
  j.BeginObject();
  j.Key("sources");
  j.BeginArray();
  for (const EvidenceSourceInfo& s : d.sources) {
    j.BeginObject();
    j.Member("name", s.name);
    j.Member("kind", s.kind);
    j.Member("warnings", s.warnings);
    j.Key("phase"), s.phase == ConsentPhase::kUnknown ? j.Null() : j.Str(std::string(ToString(s.phase)));
    j.EndObject();
  }
  j.EndArray();
  j.Key("pages");
  j.BeginArray();
  for (const Page& p : d.pages) {
    j.BeginObject();
    j.Member("id", p.id);
    j.MemberOrNull("title", p.title);
    j.MemberOrNull("started", p.started);
    j.MemberOrNull("url", p.url);
    j.EndObject();
  }
  j.EndArray();
  j.Member("entries", d.entries);
  j.Member("bytes", d.bytes);
  j.Key("first_party_domains"), j.StrList(d.first_party_domains);
  j.Key("third_party_hosts");
  j.BeginArray();
  for (const ThirdPartyHost& h : d.third_party_hosts) {
    j.BeginObject();
    j.Member("host", h.host);
    j.Member("registrable_domain", h.registrable_domain);
    j.Member("requests", h.requests);
    j.Member("matched", h.matched);
    j.EndObject();
  }
  j.EndArray();
  j.Key("unidentified_trackers");
  j.BeginArray();
  for (const UnidentifiedTracker& u : d.unidentified) {
    j.BeginObject();
    j.Member("registrable_domain", u.registrable_domain);
    j.Key("hosts"), j.StrList(u.hosts);
    j.Member("requests", u.requests);
    j.Member("filter", u.filter);
    j.Member("list", u.list);
    j.Member("line", static_cast<uint64_t>(u.line));
    j.Member("example_url", u.example_url);
    j.Member("source", u.source);
    j.Member("entry", u.entry);
    j.EndObject();
  }
  j.EndArray();
  if (!d.discoveries.empty()) {
    // Discovery files: what each is about and what of it no kb entry explains.
    j.Key("discoveries");
    j.BeginArray();
    for (const DiscoverySource& ds : d.discoveries) {
      const DiscoveryReport& rep = *ds.report;
      j.BeginObject();
      j.Member("name", ds.name);
      j.Member("reader", rep.reader);
      j.MemberOrNull("subject", rep.subject);
      j.MemberOrNull("first_date", rep.first_date);
      j.MemberOrNull("last_date", rep.last_date);
      j.Member("observations", static_cast<uint64_t>(rep.observations.size()));
      j.Member("matched", ds.matched);
      // About a domain that is not the organisation's: the organisation's domains.
      j.MemberOrNull("other_than", OtherThan(r, ds));
      j.Key("warnings");
      j.BeginArray();
      for (const Error& w : rep.warnings) j.Str(w.Format());
      j.EndArray();
      j.Key("unattributed");
      j.BeginArray();
      for (size_t i : ds.unattributed) {
        const Observation& o = rep.observations[i];
        j.BeginObject();
        j.Member("kind", ToString(o.kind));
        j.Member("proof", ToString(o.proof));
        j.MemberOrNull("key", o.key);
        j.MemberOrNull("subject", o.subject);
        j.MemberOrNull("detail", o.detail);
        j.MemberOrNull("location", o.location);
        j.Member("count", o.count);
        j.EndObject();
      }
      j.EndArray();
      j.EndObject();
    }
    j.EndArray();
  }
  j.Key("carried_unattributed");
  j.BeginArray();
  for (const UnattributedCarried& u : d.carried) {
    j.BeginObject();
    j.Member("registrable_domain", u.registrable_domain);
    j.Key("carried");
    CarriedJson(j, u.carried, t);
    j.EndObject();
  }
  j.EndArray();
  ReadWarningsJson(j, d, t);
  j.EndObject();

  j.Key("touchpoints");
  j.BeginArray();
  std::vector<const KbEntry*> products;
  for (const ReconciledTouchpoint& tp : r.touchpoints) {
    TouchpointJson(j, tp, r, t);
    if (const KbEntry* kb = KbOf(tp)) products.push_back(kb);
  }
  j.EndArray();

  // One row per register activity, in register order, with its verdict.
  j.Key("activities");
  j.BeginArray();
  for (const ActivityVerdict& a : r.activities) {
    j.BeginObject();
    j.Member("id", a.activity->id);
    j.Member("name", DisplayName(*a.activity));
    j.Key("touchpoints");
    j.BeginArray();
    for (size_t i : a.touchpoints) j.Str(r.touchpoints[i].registered->id);
    j.EndArray();
    VerdictJson(j, a.verdict, t);
    j.EndObject();
  }
  j.EndArray();

  std::sort(products.begin(), products.end(),
            [](const KbEntry* a, const KbEntry* b) { return a->id < b->id; });
  products.erase(std::unique(products.begin(), products.end()), products.end());
  j.Key("products");
  j.BeginObject();
  for (const KbEntry* kb : products) {
    j.Key(kb->id);
    ProductJson(j, *kb, t);
  }
  j.EndObject();

  std::vector<std::string> rule_ids;
  j.Key("findings");
  j.BeginArray();
  for (const Finding& f : r.findings) {
    if (std::find(rule_ids.begin(), rule_ids.end(), f.rule_id) == rule_ids.end())
      rule_ids.push_back(f.rule_id);
    FindingJson(j, f, static_cast<size_t>(&f - r.findings.data()), r, options, t);
  }
  j.EndArray();

  std::sort(rule_ids.begin(), rule_ids.end());
  j.Key("rules");
  j.BeginObject();
  for (const std::string& id : rule_ids) {
    const RuleMeta* rule = t.catalog().FindRule(id);
    if (!rule) continue;
    j.Key(id);
    j.BeginObject();
    j.Member("severity", ToString(rule->severity));
    j.Member("title", rule->title.Get(t.lang()));
    j.MemberOrNull("explanation", rule->explanation.Get(t.lang()));
    j.Member("remediation", rule->remediation.Get(t.lang()));
    j.Key("sources"), Sources(j, rule->sources, t);
    j.EndObject();
  }
  j.EndObject();

  j.Key("summary");
  j.BeginObject();
  j.Member("touchpoints", r.touchpoints.size());
  j.Member("detected", counts.detected);
  j.Member("registered", counts.registered);
  j.Member("blind_spots", counts.blind_spots);
  j.Member("inferred", counts.inferred);
  j.Member("not_seen", counts.not_seen);
  j.Member("findings", counts.findings);
  j.Member("high", counts.high);
  j.Member("medium", counts.medium);
  j.Member("low", counts.low);
  j.Member("info", counts.info);
  j.Key("verdicts");
  j.BeginObject();
  j.Key("touchpoints"), VerdictCountsJson(j, CountVerdicts(r, false));
  j.Key("activities"), VerdictCountsJson(j, CountVerdicts(r, true));
  j.EndObject();
  j.EndObject();
  j.Key("gate");
  GateJson(j, options.gate);
  j.Key("notes");
  j.BeginArray();
  if (std::string note = t.FallbackNote(); !note.empty()) j.Str(note);
  j.EndArray();
  j.EndObject();
  out += '\n';
  // Invalid UTF-8 in input text is replaced by U+FFFD rather than failing the report.
  return out;
}

}  // namespace blindspot::report_internal

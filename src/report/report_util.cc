#include "report/report_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "audit/record_text.h"
#include "blindspot/terminal.h"

namespace blindspot::report_internal {

std::string Texts::FallbackNote() const {
  if (!kb_fell_back_) return "";
  Message m(ui::kb_text_fallback);
  std::string name = lang_;
  for (const Language& l : cat_.languages())
    if (l.code == lang_) name = l.name;
  m.Text("language", name);
  return R(m);
}

std::string_view StatusId(const ReconciledTouchpoint& tp) {
  if (tp.blind_spot()) return "blind_spot";
  if (tp.inferred()) return "inferred";
  if (tp.not_seen()) return "not_seen";
  return "registered";
}

const KbEntry* KbOf(const ReconciledTouchpoint& tp) {
  if (tp.kb) return tp.kb;
  if (tp.detected) return tp.detected->kb;
  return nullptr;
}

std::string DisplayName(const ReconciledTouchpoint& tp) {
  if (const KbEntry* kb = KbOf(tp); kb && !kb->name.empty()) return kb->name;
  if (tp.registered && !tp.registered->name.empty()) return tp.registered->name;
  if (tp.registered && tp.kb_id.empty()) return tp.registered->id;
  return tp.kb_id;
}

const std::vector<Severity>& SeveritiesDesc() {
  static const std::vector<Severity> kAll = {Severity::kHigh, Severity::kMedium, Severity::kLow,
                                             Severity::kInfo};
  return kAll;
}

size_t Counts::BySeverity(Severity s) const {
  switch (s) {
    case Severity::kHigh:
      return high;
    case Severity::kMedium:
      return medium;
    case Severity::kLow:
      return low;
    case Severity::kInfo:
      return info;
  }
  return 0;
}

Counts CountAll(const AuditResult& r) {
  Counts c;
  const AuditResult::TouchpointCounts t = r.CountTouchpoints();
  c.detected = t.detected;
  c.registered = t.registered;
  c.blind_spots = t.blind_spots;
  c.inferred = t.inferred;
  c.not_seen = t.not_seen;
  for (const Finding& f : r.findings) {
    ++c.findings;
    switch (f.severity) {
      case Severity::kHigh:
        ++c.high;
        break;
      case Severity::kMedium:
        ++c.medium;
        break;
      case Severity::kLow:
        ++c.low;
        break;
      case Severity::kInfo:
        ++c.info;
        break;
    }
  }
  return c;
}

namespace {
std::string SubjectKey(SubjectKind kind, std::string_view id) {
  std::string k(ToString(kind));
  k += '\x1f';
  k += id;
  return k;
}
}  // namespace

FindingIndex::FindingIndex(const AuditResult& r) {
  for (size_t i = 0; i < r.findings.size(); ++i)
    by_subject_[SubjectKey(r.findings[i].subject_kind, r.findings[i].subject_id)].push_back(i);
}

const std::vector<size_t>& FindingIndex::OfSubject(SubjectKind kind, std::string_view id) const {
  static const std::vector<size_t> kNone;
  auto it = by_subject_.find(SubjectKey(kind, id));
  return it == by_subject_.end() ? kNone : it->second;
}

std::vector<size_t> FindingIndex::About(const ReconciledTouchpoint& tp) const {
  std::vector<size_t> out;
  if (tp.registered) {
    const auto& v = OfSubject(SubjectKind::kTouchpoint, tp.registered->id);
    out.insert(out.end(), v.begin(), v.end());
  }
  if (!tp.kb_id.empty()) {
    const auto& v = OfSubject(SubjectKind::kDetected, tp.kb_id);
    out.insert(out.end(), v.begin(), v.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string RegisterName(const AuditResult& r) {
  return r.reg && !r.reg->source.empty() ? BaseName(r.reg->source) : "";
}

std::string Location(const Finding& f, const AuditResult& r, const ReportOptions& o) {
  if (f.path.empty() || !o.source_map) return "";
  Loc l = o.source_map->Find(f.path);
  if (l.line == 0) return "";
  std::string file = RegisterName(r);
  return fmt::format("{}:{}:{}", file.empty() ? "register" : file, l.line, l.column);
}

std::string RegisterCounts(const Register& reg, const Texts& t) {
  return t.R(Message(ui::register_counts)
                 .Number("activities", static_cast<int64_t>(reg.activities.size()))
                 .Number("processors", static_cast<int64_t>(reg.processors.size()))
                 .Number("touchpoints", static_cast<int64_t>(reg.touchpoints.size())));
}

std::string SignalMeaning(const KbEntry* kb, const SignalHit& hit, const Texts& t) {
  if (!kb) return "";
  const DataSignal* by_id = nullptr;
  for (const DataSignal& ds : kb->data_signals) {
    if (ds.id != hit.signal_id) continue;
    bool prefix = !ds.param.empty() && ds.param.back() == '*';
    std::string_view pattern(ds.param.data(), ds.param.size() - (prefix ? 1 : 0));
    if (prefix ? std::string_view(hit.param).starts_with(pattern) : hit.param == ds.param)
      return t.Kb(ds.meaning);
    if (!by_id) by_id = &ds;
  }
  return by_id ? t.Kb(by_id->meaning) : "";
}

bool IsWebUrl(std::string_view url) { return url.starts_with("https://") || url.starts_with("http://"); }

std::string EvidenceValue(const EvidenceItem& e) {
  switch (e.kind) {
    case EvidenceKind::kCookie:
    case EvidenceKind::kSetCookie:
      return e.cookie_domain.empty() ? e.cookie_name : e.cookie_name + " (" + e.cookie_domain + ")";
    case EvidenceKind::kHtmlMarker:
      return e.signature;
    case EvidenceKind::kRecord:
      return e.detail.empty() ? e.subject : e.subject + " → " + e.detail;
    default:
      return e.url;
  }
}

std::string EvidenceSignature(const EvidenceItem& e, const Texts& t) {
  switch (e.kind) {
    case EvidenceKind::kSignal:
      return t.R(Message(ui::evidence_via_signal)
                     .Text("signal", e.signal_id)
                     .Text("param", e.signal_param)
                     .Text("via", e.via));
    case EvidenceKind::kHtmlMarker:
      return "";  // the marker is the value
    case EvidenceKind::kRecord: {
      // What it proves and when: "sending now, 2024-03-06 to 2024-03-07";
      // a tag's consent setting, ids and the user data it sends.
      std::string out = t.Term("record_proof", ToString(e.proof));
      if (!e.first_date.empty())
        out += ", " + e.first_date +
               (e.last_date.empty() || e.last_date == e.first_date ? "" : " – " + e.last_date);
      if (Message tag = audit::TagSettings(e); !tag.empty()) out += "; " + t.R(tag);
      return out;
    }
    case EvidenceKind::kCookie:
    case EvidenceKind::kSetCookie:
      return e.signature == e.cookie_name ? "" : e.signature;
    default:
      return e.signature;
  }
}

std::string InferredFrom(const DetectedTouchpoint& d, const Texts& t) {
  // Known from discovery records only: what they prove ("configured, not seen working").
  if (d.records_only && d.implied_by.empty() && d.discovered)
    return t.Term("record_proof", ToString(*d.discovered)) + " (" +
           t.Term("inference_confidence", ToString(d.confidence)) + ")";
  return t.R(Message(ui::inferred_from)
                 .Text("via", d.implied_by)
                 .Term("confidence", "inference_confidence", ToString(d.confidence)));
}

size_t DisplayWidth(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string WordWrap(std::string_view text, size_t col, size_t indent, size_t width, bool keep_newlines) {
  std::string out;
  bool line_empty = true;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n' && keep_newlines) {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
      line_empty = true;
      ++i;
      continue;
    }
    if (text[i] == ' ' || text[i] == '\n') {
      ++i;
      continue;
    }
    size_t j = text.find_first_of(" \n", i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view word = text.substr(i, j - i);
    size_t w = DisplayWidth(word);
    if (!line_empty && col + 1 + w > width) {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++col;
    }
    out += word;
    col += w;
    line_empty = false;
    i = j;
  }
  return out + '\n';
}

std::string ReadWarningWhere(const ReadWarning& w, const Texts& t) {
  if (w.has_entry)
    return t.R(Message(ui::read_where_entry)
                   .Text("source", w.source)
                   .Number("entry", static_cast<int64_t>(w.entry))
                   .Number("offset", static_cast<int64_t>(w.offset)));
  if (w.issue == ReadIssue::kNoFirstParty) return w.source;
  return t.R(
      Message(ui::read_where_byte).Text("source", w.source).Number("offset", static_cast<int64_t>(w.offset)));
}

std::string ReadWarningWhat(const ReadWarning& w, const Texts& t) {
  switch (w.issue) {
    case ReadIssue::kWrongType:
      return t.R(Message(ui::read_what_wrong_type)
                     .Text("path", w.path)
                     .Term("expected", "json_type", w.expected)
                     .Term("found", "json_type", w.found));
    case ReadIssue::kMissing:
      return t.R(Message(ui::read_what_missing).Text("path", w.path));
    case ReadIssue::kInvalidUtf8:
      return t.R(Message(ui::read_what_invalid_utf8));
    case ReadIssue::kControlCharacter:
      return t.R(Message(ui::read_what_control_character));
    case ReadIssue::kBadEscape:
      return t.R(Message(ui::read_what_bad_escape).Text("path", w.path));
    case ReadIssue::kBadNumber:
      return t.R(Message(ui::read_what_bad_number).Text("path", w.path));
    case ReadIssue::kNotBase64:
      return t.R(Message(ui::read_what_not_base64).Text("path", w.path));
    case ReadIssue::kNoFirstParty:
      return t.R(Message(ui::read_what_no_first_party));
  }
  return std::string(ToString(w.issue));
}

std::string ReadWarningAction(const ReadWarning& w, const Texts& t) {
  return t.Term("har_action", ToString(w.action));
}

std::string ReadWarningLine(const ReadWarning& w, const Texts& t) {
  return t.R(Message(ui::read_warning_line)
                 .Text("where", ReadWarningWhere(w, t))
                 .Text("what", ReadWarningWhat(w, t))
                 .Text("action", ReadWarningAction(w, t)));
}

std::string ReadWarningSummary(const DetectionResult& d, const Texts& t) {
  std::string s = t.R(Message(ui::read_warning_count).Number("n", static_cast<int64_t>(d.warning_count)));
  if (d.warning_count == 0) return s;
  std::string kinds;
  for (const auto& [issue, n] : d.warning_counts)
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", t.Term("har_issue", ToString(issue)), n);
  return s + " (" + kinds + ")";
}

std::string CarriedItem(const CarriedData& c, const Texts& t) {
  return t.R(Message(ui::carried_item)
                 .Term("kind", "carried_kind", ToString(c.kind))
                 .Text("param", c.param)
                 .Sub("inner", !c.term.empty() ? Message(ui::carried_term)
                                                     .Text("term", c.term)
                                                     .Term("category", "sensitive_category", c.category)
                               : c.inner.empty() ? Message()
                                                 : Message(ui::carried_inner).Text("inner", c.inner))
                 .Number("requests", static_cast<int64_t>(c.requests)));
}

std::string CarriedList(const std::vector<CarriedData>& list, const Texts& t) {
  std::string out;
  for (const CarriedData& c : list) out += (out.empty() ? "" : "; ") + CarriedItem(c, t);
  return out;
}

std::string PhasesActive(const DetectedTouchpoint& d, const Texts& t) {
  std::vector<MessageArg> phases;
  for (ConsentPhase p : d.phases_active) phases.push_back(TermItem("consent_phase", ToString(p)));
  return t.R(Message(ui::phases_active).List("phases", std::move(phases)));
}

std::string GateCounts(const GateResult& g, const Texts& t) {
  return t.R(Message(ui::gate_counts)
                 .Number("new", static_cast<int64_t>(g.new_count))
                 .Number("baseline", static_cast<int64_t>(g.baseline_count))
                 .Number("accepted", static_cast<int64_t>(g.accepted_count))
                 .Number("resolved", static_cast<int64_t>(g.resolved.size()))
                 .Text("date", g.as_of));
}

std::string GateStateText(const GateResult& g, size_t finding, const Texts& t) {
  if (finding >= g.states.size()) return t.T(ui::gate_state_new);
  switch (g.states[finding]) {
    case GateState::kNew:
      return t.T(ui::gate_state_new);
    case GateState::kInBaseline:
      return t.T(ui::gate_state_baseline);
    case GateState::kAccepted:
      break;
  }
  const Acceptance* a = g.acceptance[finding];
  if (!a) return t.T(ui::gate_state_accepted);
  return t.R(Message(ui::gate_state_accepted)
                 .Text("expires", a->expires)
                 .Text("reason", a->reason)
                 .Sub("by", a->accepted_by.empty()
                                ? Message()
                                : Message(ui::gate_accepted_by).Text("by", a->accepted_by)));
}

std::string ExpiredItem(const Acceptance& a, const Texts& t) {
  return t.R(Message(ui::gate_expired_item)
                 .Text("expires", a.expires)
                 .Text("what", a.fingerprint.empty() ? a.rule + " " + a.subject : a.fingerprint)
                 .Text("reason", a.reason));
}

VerdictCounts CountVerdicts(const AuditResult& r, bool activities) {
  VerdictCounts c;
  auto add = [&](Verdict v) {
    if (v == Verdict::kSafeguarded) ++c.safeguarded;
    if (v == Verdict::kGaps) ++c.gaps;
    if (v == Verdict::kNotAssessed) ++c.not_assessed;
  };
  if (activities)
    for (const ActivityVerdict& a : r.activities) add(a.verdict.verdict);
  else
    for (const ReconciledTouchpoint& tp : r.touchpoints) add(tp.verdict.verdict);
  return c;
}

std::string VerdictCountsLine(const VerdictCounts& c, const Texts& t) {
  return t.R(Message(ui::verdict_counts)
                 .Number("safeguarded", static_cast<int64_t>(c.safeguarded))
                 .Number("gaps", static_cast<int64_t>(c.gaps))
                 .Number("not_assessed", static_cast<int64_t>(c.not_assessed)));
}

std::string ReasonLine(const VerdictReason& reason, const Texts& t) {
  return t.R(Message(ui::verdict_reason)
                 .Term("check", "verdict_check", reason.check)
                 .Term("state", "check_state", ToString(reason.state))
                 .Sub("why", reason.message));
}

std::string DisplayName(const ProcessingActivity& a) { return a.name.empty() ? a.id : a.name; }

std::string ActionDue(const Action& a, const Texts& t) {
  if (!a.due.empty()) return t.R(Message(ui::action_due_date).Text("date", a.due));
  return t.R(Message(ui::action_due_days).Number("days", a.due_in_days));
}

std::string ActionOwner(const Action& a, const Texts& t) {
  if (a.owner.empty()) return t.T(ui::action_unassigned);
  return t.R(
      Message(ui::action_owner_line).Text("owner", a.owner).Term("from", "action_owner", a.owner_from));
}

std::string ActionCovers(const Action& a, const Texts& t) {
  return t.R(Message(ui::action_covers)
                 .Text("rule", std::string(RuleNumber(a.rule_id)))
                 .Number("n", static_cast<int64_t>(a.findings.size())));
}

std::string ActionDate(const ActionList& l, const Texts& t) {
  if (l.date.empty()) return t.T(ui::actions_no_date);
  return t.R(Message(ui::actions_date).Text("date", l.date));
}

std::string SeverityRaised(const Finding& f, const Texts& t) {
  if (f.severity_context.empty() || f.severity == f.base_severity) return {};
  std::vector<MessageArg> reasons;
  for (const std::string& c : f.severity_context) reasons.push_back(TermItem("severity_context", c));
  return t.R(Message(ui::severity_raised)
                 .Term("base", "severity", ToString(f.base_severity))
                 .List("reasons", std::move(reasons)));
}

Message DiscoverySourceLine(const DiscoverySource& ds) {
  const DiscoveryReport& rep = *ds.report;
  std::string period = rep.first_date.empty() ? std::string("none")
                       : rep.last_date.empty() || rep.last_date == rep.first_date
                           ? rep.first_date
                           : rep.first_date + " – " + rep.last_date;
  return Message(ui::discovery_source)
      .Text("name", ds.name)
      .Text("reader", rep.reader)
      .Text("subject", rep.subject.empty() ? std::string("none") : rep.subject)
      .Text("period", period)
      .Number("n", static_cast<int64_t>(rep.observations.size()))
      .Number("matched", static_cast<int64_t>(ds.matched));
}

namespace {
// The registrable domain of a URL's host ("https://www.shop.nl/privacy" -> "shop.nl"), or empty.
std::string UrlDomain(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/:?#"));
  return host.empty() ? std::string() : RegistrableDomain(host);
}

std::string LowerHost(std::string d) {
  for (char& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!d.empty() && d.back() == '.') d.pop_back();
  return d;
}
}  // namespace

std::string OtherThan(const AuditResult& r, const DiscoverySource& ds) {
  const std::string& reader = ds.report->reader;
  if (!reader.starts_with("dns-") && reader != "dmarc") return {};  // only their subject is a domain
  std::string subject = LowerHost(ds.report->subject);
  if (subject.empty()) return {};
  std::vector<std::string> own;
  auto add = [&](std::string d) {
    d = LowerHost(std::move(d));
    if (!d.empty() && std::find(own.begin(), own.end(), d) == own.end()) own.push_back(std::move(d));
  };
  for (const std::string& d : r.detection.first_party_domains) add(d);
  if (r.reg) {
    const std::string& email = r.reg->organisation.contact.email;
    if (size_t at = email.rfind('@'); at != std::string::npos) add(RegistrableDomain(email.substr(at + 1)));
    for (const Touchpoint& tp : r.reg->touchpoints) add(UrlDomain(tp.answers.informed_statement));
  }
  if (own.empty()) return {};
  for (const std::string& d : own)
    if (subject == d ||
        (subject.size() > d.size() && subject.ends_with(d) && subject[subject.size() - d.size() - 1] == '.'))
      return {};
  std::string joined;
  for (const std::string& d : own) joined += (joined.empty() ? "" : ", ") + d;
  return joined;
}

Message UnattributedLine(const Observation& o) {
  // What was not recognised: the host an SPF, DKIM, MX, CNAME or DMARC
  // record names (not the whole record), else the record as shown.
  bool host_kind = o.kind == ObservationKind::kSpfInclude || o.kind == ObservationKind::kDkimKey ||
                   o.kind == ObservationKind::kMx || o.kind == ObservationKind::kCname ||
                   o.kind == ObservationKind::kDmarcReportTo;
  std::string detail = (host_kind && !o.key.empty()) || o.detail.empty() ? o.key : o.detail;
  if (detail.size() > 120) detail = detail.substr(0, 117) + "...";
  return Message(ui::discovery_unattributed_item)
      .Term("kind", "record_kind", ToString(o.kind))
      .Text("subject", o.subject)
      .Text("detail", detail.empty() || detail == o.subject ? std::string("none") : detail)
      .Term("proof", "record_proof", ToString(o.proof))
      .Text("location", o.location.empty() ? std::string("none") : std::string("some"))
      .Sub("where", audit::LocationMessage(o.location));
}

}  // namespace blindspot::report_internal

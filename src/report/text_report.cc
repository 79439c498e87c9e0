// Text report for the terminal: plain ASCII layout (texts themselves may be
// UTF-8), at most kWidth columns per line except for unbreakable words such
// as long URLs. Texts from the TextCatalog in the report language.
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "blindspot/terminal.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

constexpr size_t kWidth = 100;

// Cuts `s` to at most `w` columns (ending in "..." when cut) and pads it.
std::string Fit(std::string_view s, size_t w) {
  std::string out;
  if (DisplayWidth(s) > w) {
    size_t keep = w > 3 ? w - 3 : 0, cols = 0, i = 0;
    for (; i < s.size(); ++i) {
      bool start = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
      if (start && cols == keep) break;
      if (start) ++cols;
    }
    out = std::string(s.substr(0, i)) + std::string(std::min<size_t>(3, w), '.');
  } else {
    out = std::string(s);
  }
  out.append(w - std::min(w, DisplayWidth(out)), ' ');
  return out;
}

// Upper case for headings, UTF-8 aware for the letters of the report's
// languages: ASCII and Latin-1 letters (ä -> Ä, é -> É; ß -> SS, as German
// capitals write it); other characters are kept as they are.
std::string Upper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(std::toupper(c));
    } else if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[++i]);
      if (d == 0x9F) {
        out += "SS";
      } else {
        out += static_cast<char>(c);
        // U+00E0..U+00FE are the lower case of U+00C0..U+00DE, except ÷ (U+00F7).
        out += static_cast<char>(d >= 0xA0 && d <= 0xBE && d != 0xB7 ? d - 0x20 : d);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Word-wraps `text` into lines of at most kWidth columns. The first line
// starts with `first` (already written by the caller's label), the following
// ones with `indent` spaces.
void Wrapped(std::string& out, std::string_view first, size_t indent, std::string_view text) {
  out += first;
  out += WordWrap(text, DisplayWidth(first), indent, kWidth, /*keep_newlines=*/true);
}

void Heading(std::string& out, std::string_view title, char underline) {
  out += title;
  out += '\n';
  out.append(DisplayWidth(title), underline);
  out += '\n';
}

// "Label:" padded to a fixed column, then the value.
// A label longer than the column is not cut; its value then starts one
// space after it.
void Field(std::string& out, std::string_view label, std::string_view value, size_t label_width = 30) {
  std::string first = std::string(label) + ":";
  first.append(label_width > DisplayWidth(first) ? label_width - DisplayWidth(first) : 1, ' ');
  Wrapped(out, first, label_width, value);
}

}  // namespace

Result<std::string> RenderText(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const ReportOptions& options = in.options;
  Texts t(options.lang);
  auto T = [&](MessageId id) -> const std::string& { return t.T(id); };
  Counts c = CountAll(r);
  std::string out;

  Heading(out, T(ui::report_title), '=');
  std::string org = !r.reg->organisation.name.empty() ? r.reg->organisation.name : T(ui::unknown);
  Field(out, T(ui::organisation), org);
  if (r.reg->empty()) {
    Field(out, T(ui::register_file), T(ui::no_register));
  } else {
    std::string name = RegisterName(r);
    Field(out, T(ui::register_file),
          fmt::format("{} ({})", name.empty() ? "-" : name, RegisterCounts(*r.reg, t)));
  }
  size_t hars = r.detection.sources.size() - r.detection.discoveries.size();
  Field(out, T(ui::evidence),
        t.R(Message(ui::evidence_counts)
                .Number("sources", static_cast<int64_t>(hars))
                .Number("pages", static_cast<int64_t>(r.detection.pages.size()))
                .Number("entries", static_cast<int64_t>(r.detection.entries))));
  std::string list, others;
  for (const EvidenceSourceInfo& h : r.detection.sources)
    (h.kind == "har" ? list : others) += ((h.kind == "har" ? list : others).empty() ? "" : ", ") + h.name;
  if (!list.empty()) Field(out, T(ui::har_files), list);
  if (!others.empty()) Field(out, T(ui::discovery_files), others);
  Field(out, T(ui::read_warnings_label), ReadWarningSummary(r.detection, t));
  if (!options.generated_at.empty()) Field(out, T(ui::generated_at), options.generated_at);
  if (!options.tool_version.empty()) Field(out, T(ui::tool_version), options.tool_version);
  out += '\n';

  // The action list first (docs/actions.md): what to do, who owns it, by when.
  Heading(out, T(ui::actions_heading), '=');
  Wrapped(out, "", 0, T(ui::actions_explain) + " " + ActionDate(r.actions, t));
  if (r.actions.actions.empty()) out += T(ui::actions_none) + "\n";
  for (size_t i = 0; i < r.actions.actions.size() && i < kMaxActionsShown; ++i) {
    const Action& a = r.actions.actions[i];
    std::string head = fmt::format("{:>2}. [{}, {}] ", i + 1,
                                   Upper(t.Term("action_priority", ToString(a.priority))), ActionDue(a, t));
    Wrapped(out, head, 4, t.R(a.what));
    Wrapped(out, "    ", 4, ActionOwner(a, t) + " - " + ActionCovers(a, t));
  }
  if (r.actions.actions.size() > kMaxActionsShown)
    Wrapped(out, "", 0,
            t.R(Message(ui::actions_more)
                    .Number("n", static_cast<int64_t>(r.actions.actions.size() - kMaxActionsShown))));
  out += '\n';

  Heading(out, T(ui::summary), '-');
  Field(out, T(ui::sum_detected), fmt::format("{}", c.detected));
  Field(out, T(ui::sum_blind_spots), fmt::format("{}", c.blind_spots));
  if (c.inferred > 0) Field(out, T(ui::sum_inferred), fmt::format("{}", c.inferred));
  Field(out, T(ui::sum_not_seen), fmt::format("{}", c.not_seen));
  Field(out, T(ui::sum_unidentified), fmt::format("{}", r.detection.unidentified.size()));
  Field(out, T(ui::sum_findings),
        fmt::format("{} ({} {}, {} {}, {} {}, {} {})", c.findings, t.Term("severity", "high"), c.high,
                    t.Term("severity", "medium"), c.medium, t.Term("severity", "low"), c.low,
                    t.Term("severity", "info"), c.info));
  Field(out, T(ui::sum_verdicts),
        fmt::format("{}: {}; {}: {}", T(ui::touchpoints), VerdictCountsLine(CountVerdicts(r, false), t),
                    T(ui::activities_heading), VerdictCountsLine(CountVerdicts(r, true), t)));
  out += '\n';

  // The CI gate (--baseline, --accepted): counts, resolved and expired entries.
  const GateResult* gate = options.gate && options.gate->active ? options.gate : nullptr;
  if (gate) {
    Heading(out, T(ui::gate_heading), '-');
    Wrapped(out, "", 0, GateCounts(*gate, t));
    for (const BaselineEntry& e : gate->resolved)
      Wrapped(out, "- ", 2,
              t.R(Message(ui::gate_resolved_item)
                      .Text("rule", e.rule.empty() ? e.fingerprint : e.rule)
                      .Text("subject",
                            e.subject.empty() ? e.fingerprint : e.subject + " (" + e.fingerprint + ")")));
    for (const Acceptance& a : gate->expired) Wrapped(out, "- ", 2, ExpiredItem(a, t));
    out += '\n';
  }

  if (r.detection.warning_count > 0) {
    // What could not be read as written, before anything is concluded from it.
    Heading(out, T(ui::read_warnings), '-');
    for (const ReadWarning& w : r.detection.warnings) Wrapped(out, "- ", 2, ReadWarningLine(w, t));
    if (r.detection.warning_count > r.detection.warnings.size())
      out += t.R(Message(ui::read_warnings_more)
                     .Number("n",
                             static_cast<int64_t>(r.detection.warning_count - r.detection.warnings.size()))) +
             "\n";
    out += '\n';
  }

  Heading(out, T(ui::touchpoints), '-');
  if (r.touchpoints.empty()) {
    out += T(ui::none) + "\n";
  } else {
    constexpr size_t kName = 27, kCat = 23, kStatus = 14, kEv = 9;
    constexpr size_t kSig = kWidth - kName - kCat - kStatus - kEv - 1;
    out += Fit(Upper(T(ui::col_name)), kName) + Fit(Upper(T(ui::col_category)), kCat) +
           Fit(Upper(T(ui::col_status)), kStatus);
    std::string ev_head = Upper(T(ui::col_evidence));
    out += std::string(kEv - std::min(kEv, DisplayWidth(ev_head) + 1), ' ') + ev_head + "  ";
    out += Upper(T(ui::col_signals)) + "\n";
    out += std::string(kWidth, '-') + "\n";
    for (const ReconciledTouchpoint& tp : r.touchpoints) {
      const KbEntry* kb = KbOf(tp);
      std::string status = t.Term("touchpoint_status", StatusId(tp));
      if (tp.blind_spot()) status = Upper(status);
      std::string signals;
      if (tp.detected) {
        std::vector<std::string_view> seen;
        for (const SignalHit& s : tp.detected->signals) {
          if (std::find(seen.begin(), seen.end(), s.signal_id) != seen.end()) continue;
          seen.push_back(s.signal_id);
          signals += (signals.empty() ? "" : ", ") + s.signal_id;
        }
        // Only shown by another product's signal: say which (the signal
        // itself is listed once, with its owner).
        if (!tp.detected->implied_by.empty() && signals.empty())
          signals =
              tp.detected->inferred()
                  ? t.R(Message(ui::inferred_via)
                            .Text("via", tp.detected->implied_by)
                            .Term("confidence", "inference_confidence", ToString(tp.detected->confidence)))
                  : t.T(ui::implied_by) + " " + tp.detected->implied_by;
      }
      // Known from discovery records only: what they prove.
      if (tp.detected && tp.detected->records_only && tp.detected->discovered && signals.empty())
        signals = t.Term("record_proof", ToString(*tp.detected->discovered));
      std::string category = kb && !kb->category.empty() ? t.Term("kb_category", kb->category) : "-";
      std::string ev = tp.detected ? fmt::format("{}", tp.detected->evidence_count) : "-";
      out += Fit(DisplayName(tp), kName - 1) + " " + Fit(category, kCat - 1) + " " + Fit(status, kStatus) +
             fmt::format("{:>{}}", ev, kEv - 1) + "  " +
             (signals.empty() ? std::string("-") : Fit(signals, kSig));
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
      if (tp.processor && !tp.registered)
        Wrapped(out, "    ", 4,
                t.R(Message(ui::processor_note)
                        .Text("processor", tp.processor->name.empty() ? tp.processor->id : tp.processor->name)
                        .Text("id", tp.processor->id)));
      // Captures with a known consent phase (an evidence bundle): when it ran.
      if (tp.detected && r.detection.HasPhases()) out += "    " + PhasesActive(*tp.detected, t) + "\n";
    }
  }
  out += '\n';

  // The verdict per touchpoint and per activity with its reasons (docs/verdicts.md).
  Heading(out, T(ui::verdicts), '-');
  Wrapped(out, "", 0, T(ui::verdicts_explain));
  auto verdict_block = [&](std::string_view name, const Judgement& v) {
    std::string label = t.Term("verdict", ToString(v.verdict));
    if (v.verdict == Verdict::kGaps) label = Upper(label);
    Wrapped(out, "- ", 2, fmt::format("{}: {}", name, label));
    for (const VerdictReason& reason : v.reasons) Wrapped(out, "    ", 4, ReasonLine(reason, t));
  };
  out += '\n' + T(ui::touchpoints) + ":\n";
  if (r.touchpoints.empty()) out += T(ui::none) + "\n";
  for (const ReconciledTouchpoint& tp : r.touchpoints) verdict_block(DisplayName(tp), tp.verdict);
  out += '\n' + T(ui::activities_heading) + ":\n";
  if (r.activities.empty()) out += T(ui::none) + "\n";
  for (const ActivityVerdict& a : r.activities) verdict_block(DisplayName(*a.activity), a.verdict);
  out += '\n';

  // What third-party requests carried (issue 6 §2): page URLs, personal data.
  bool any_carried = !r.detection.carried.empty();
  for (const ReconciledTouchpoint& tp : r.touchpoints)
    if (tp.detected && !tp.detected->carried.empty()) any_carried = true;
  if (any_carried) {
    Heading(out, T(ui::carried_heading), '-');
    for (const ReconciledTouchpoint& tp : r.touchpoints) {
      if (!tp.detected || tp.detected->carried.empty()) continue;
      Wrapped(out, "- ", 2, DisplayName(tp) + ":");
      for (const CarriedData& c : tp.detected->carried) Wrapped(out, "    ", 4, CarriedItem(c, t));
    }
    if (!r.detection.carried.empty()) {
      out += T(ui::carried_unattributed) + ":\n";
      for (const UnattributedCarried& u : r.detection.carried) {
        Wrapped(out, "- ", 2, u.registrable_domain + ":");
        for (const CarriedData& c : u.carried) Wrapped(out, "    ", 4, CarriedItem(c, t));
      }
    }
    out += '\n';
  }

  // Discovery files (DNS, DMARC, tag manager, ad platforms): what each is
  // about, and what in it no product of the kb explains.
  if (!r.detection.discoveries.empty()) {
    Heading(out, T(ui::discovery_heading), '-');
    for (const DiscoverySource& ds : r.detection.discoveries) {
      Wrapped(out, "- ", 2, t.R(DiscoverySourceLine(ds)));
      if (std::string own = OtherThan(r, ds); !own.empty())
        Wrapped(out, "    ! ", 6,
                t.R(Message(ui::discovery_other_domain)
                        .Text("subject", ds.report->subject)
                        .Text("domains", own)));
      // What the reader recovered from, each with its place (first line of the message).
      for (const Error& w : ds.report->warnings) {
        std::string line = w.Format();
        Wrapped(out, "    ! ", 6, line.substr(0, line.find('\n')));
      }
      if (ds.unattributed.empty()) continue;
      Wrapped(
          out, "    ", 4,
          t.R(Message(ui::discovery_unattributed).Number("n", static_cast<int64_t>(ds.unattributed.size()))));
      constexpr size_t kShown = 10;
      for (size_t i = 0; i < ds.unattributed.size() && i < kShown; ++i)
        Wrapped(out, "    - ", 6, t.R(UnattributedLine(ds.report->observations[ds.unattributed[i]])));
      if (ds.unattributed.size() > kShown)
        Wrapped(out, "    ", 4,
                t.R(Message(ui::discovery_more)
                        .Number("n", static_cast<int64_t>(ds.unattributed.size() - kShown))));
    }
    out += '\n';
  }

  // Findings by severity, then by rule: the rule's title, remediation and
  // sources once, then each subject with its specific detail.
  Heading(out, T(ui::findings), '-');
  if (r.findings.empty()) out += T(ui::no_findings) + "\n";
  constexpr size_t kLabel = 18;
  const TextCatalog& cat = t.catalog();
  for (Severity sev : SeveritiesDesc()) {
    size_t n = c.BySeverity(sev);
    if (n == 0) continue;
    out += fmt::format("{} ({})\n\n", Upper(t.Term("severity", ToString(sev))), n);
    std::vector<std::string> rule_ids;  // first-appearance order
    std::unordered_map<std::string, size_t> count;
    for (const Finding& f : r.findings) {
      if (f.severity != sev) continue;
      if (count[f.rule_id]++ == 0) rule_ids.push_back(f.rule_id);
    }
    for (const std::string& id : rule_ids) {
      const RuleMeta* rule = cat.FindRule(id);
      std::string title = rule ? rule->title.Get(t.lang()) : id;
      Wrapped(out, fmt::format("  [{}] ", id), 4, fmt::format("{} ({})", title, count[id]));
      if (rule) {
        Field(out, "    " + T(ui::remediation), rule->remediation.Get(t.lang()), kLabel);
        for (const Source& src : rule->sources) {
          const std::string& st = src.Title(t.lang());
          Field(out, "    " + T(ui::legal_source), src.url.empty() ? st : st + " - " + src.url, kLabel);
        }
      }
      for (const Finding& f : r.findings) {
        if (f.severity != sev || f.rule_id != id) continue;
        std::string subject = t.Term("subject_kind", ToString(f.subject_kind));
        if (!f.subject_id.empty()) subject += " " + f.subject_id;
        if (!f.subject_name.empty() && f.subject_name != f.subject_id) subject += " (" + f.subject_name + ")";
        std::string where = Location(f, r, options);
        if (!where.empty()) subject += " [" + where + "]";
        Wrapped(out, "    - ", 6, subject);
        std::string detail = t.R(f.detail);
        if (!detail.empty()) Wrapped(out, "      ", 6, detail);
        if (std::string raised = SeverityRaised(f, t); !raised.empty()) Wrapped(out, "      ", 6, raised);
        if (gate) {
          size_t i = static_cast<size_t>(&f - r.findings.data());
          Wrapped(out, "      ", 6, "[" + GateStateText(*gate, i, t) + "] " + gate->fingerprints[i]);
        }
      }
      out += '\n';
    }
  }
  // Input text (host names, register values) must not drive the terminal.
  return EscapeControl(out, /*keep_newlines=*/true);
}

}  // namespace blindspot::report_internal

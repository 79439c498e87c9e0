// Text report for the terminal: plain ASCII layout (texts themselves may be
// UTF-8), at most kWidth columns per line except for unbreakable words such
// as long URLs. Localised through Tr().
#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "report/formats.h"
#include "report/i18n.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

constexpr size_t kWidth = 100;

// Display width: code points (continuation bytes do not count).
size_t Width(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Cuts `s` to at most `w` columns (ending in "..." when cut) and pads it.
std::string Fit(std::string_view s, size_t w) {
  std::string out;
  if (Width(s) > w) {
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
  out.append(w - std::min(w, Width(out)), ' ');
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x80)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Word-wraps `text` into lines of at most kWidth columns. The first line
// starts with `first` (already written by the caller's label), the following
// ones with `indent` spaces.
void Wrapped(std::string& out, std::string_view first, size_t indent, std::string_view text) {
  out += first;
  size_t col = Width(first);
  bool line_empty = true;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
      line_empty = true;
      ++i;
      continue;
    }
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
    std::string_view word = text.substr(i, j - i);
    size_t w = Width(word);
    if (!line_empty && col + 1 + w > kWidth) {
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
  out += '\n';
}

void Heading(std::string& out, std::string_view title, char underline) {
  out += title;
  out += '\n';
  out.append(Width(title), underline);
  out += '\n';
}

// "Label:" padded to a fixed column, then the value.
// A label longer than the column is not cut; its value then starts one
// space after it.
void Field(std::string& out, std::string_view label, std::string_view value, size_t label_width = 30) {
  std::string first = std::string(label) + ":";
  first.append(label_width > Width(first) ? label_width - Width(first) : 1, ' ');
  Wrapped(out, first, label_width, value);
}

}  // namespace

Result<std::string> RenderText(const AuditResult& r, const ReportOptions& options) {
  std::string_view lang = options.lang;
  auto T = [&](std::string_view key) -> const std::string& { return Tr(lang, key); };
  Counts c = CountAll(r);
  std::string out;

  Heading(out, T("report_title"), '=');
  std::string org = r.reg && !r.reg->organisation.name.empty() ? r.reg->organisation.name : T("unknown");
  Field(out, T("organisation"), org);
  if (!r.reg || (r.reg->source.empty() && r.reg->activities.empty() && r.reg->touchpoints.empty() &&
                 r.reg->processors.empty())) {
    Field(out, T("register_file"), T("no_register"));
  } else {
    Field(out, T("register_file"),
          fmt::format("{} ({}: {}, {}: {}, {}: {})", r.reg->source.empty() ? "-" : r.reg->source,
                      T("count_activities"), r.reg->activities.size(), T("count_processors"),
                      r.reg->processors.size(), T("count_touchpoints"), r.reg->touchpoints.size()));
  }
  Field(out, T("evidence"),
        fmt::format("{}: {}, {}: {}, {}: {}", T("count_hars"), r.detection.hars.size(), T("count_pages"),
                    r.detection.pages.size(), T("count_entries"), r.detection.entries));
  if (!r.detection.hars.empty()) {
    std::string list;
    for (const std::string& h : r.detection.hars) list += (list.empty() ? "" : ", ") + h;
    Field(out, T("har_files"), list);
  }
  if (!options.generated_at.empty()) Field(out, T("generated_at"), options.generated_at);
  if (!options.tool_version.empty()) Field(out, T("tool_version"), options.tool_version);
  out += '\n';

  Heading(out, T("summary"), '-');
  Field(out, T("sum_detected"), fmt::format("{}", c.detected));
  Field(out, T("sum_blind_spots"), fmt::format("{}", c.blind_spots));
  Field(out, T("sum_not_seen"), fmt::format("{}", c.not_seen));
  Field(out, T("sum_findings"),
        fmt::format("{} ({} {}, {} {}, {} {}, {} {})", c.findings, T("sev_high"), c.high, T("sev_medium"),
                    c.medium, T("sev_low"), c.low, T("sev_info"), c.info));
  out += '\n';

  Heading(out, T("touchpoints"), '-');
  if (r.touchpoints.empty()) {
    out += T("none") + "\n";
  } else {
    constexpr size_t kName = 27, kCat = 23, kStatus = 14, kEv = 9;
    constexpr size_t kSig = kWidth - kName - kCat - kStatus - kEv - 1;
    out += Fit(Upper(T("col_name")), kName) + Fit(Upper(T("col_category")), kCat) +
           Fit(Upper(T("col_status")), kStatus);
    std::string ev_head = Upper(T("col_evidence"));
    out += std::string(kEv - std::min(kEv, Width(ev_head) + 1), ' ') + ev_head + "  ";
    out += Upper(T("col_signals")) + "\n";
    out += std::string(kWidth, '-') + "\n";
    for (const ReconciledTouchpoint& tp : r.touchpoints) {
      const KbEntry* kb = KbOf(tp);
      std::string status = T(StatusKey(tp));
      if (tp.blind_spot()) status = Upper(status);
      std::string signals;
      if (tp.detected) {
        std::vector<std::string_view> seen;
        for (const SignalHit& s : tp.detected->signals) {
          if (std::find(seen.begin(), seen.end(), s.signal_id) != seen.end()) continue;
          seen.push_back(s.signal_id);
          signals += (signals.empty() ? "" : ", ") + s.signal_id;
        }
      }
      std::string category = "-";
      if (kb && !kb->category.empty()) {
        // The same words as the HTML report (i18n key category_<id>), else the id.
        std::string key = "category_" + kb->category;
        std::replace(key.begin(), key.end(), '-', '_');
        category = I18nTable("en").contains(key) ? Tr(lang, key) : kb->category;
      }
      std::string ev = tp.detected ? fmt::format("{}", tp.detected->evidence_count) : "-";
      out += Fit(DisplayName(tp), kName - 1) + " " + Fit(category, kCat - 1) + " " + Fit(status, kStatus) +
             fmt::format("{:>{}}", ev, kEv - 1) + "  " +
             (signals.empty() ? std::string("-") : Fit(signals, kSig));
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
    }
  }
  out += '\n';

  // Findings by severity, then by rule: the rule's title, remediation and
  // legal sources once, then each subject with its specific detail.
  Heading(out, T("findings"), '-');
  if (r.findings.empty()) out += T("no_findings") + "\n";
  constexpr size_t kLabel = 18;
  for (Severity sev : SeveritiesDesc()) {
    size_t n = c.BySeverity(sev);
    if (n == 0) continue;
    out += fmt::format("{} ({})\n\n", Upper(T(SeverityKey(sev))), n);
    std::vector<std::string> rule_ids;  // first-appearance order
    for (const Finding& f : r.findings)
      if (f.severity == sev && std::find(rule_ids.begin(), rule_ids.end(), f.rule_id) == rule_ids.end())
        rule_ids.push_back(f.rule_id);
    for (const std::string& id : rule_ids) {
      RuleText rule = LookupRule(id, lang);
      size_t count =
          static_cast<size_t>(std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
            return f.severity == sev && f.rule_id == id;
          }));
      Wrapped(out, fmt::format("  [{}] ", id), 4, fmt::format("{} ({})", rule.title, count));
      if (!rule.remediation.empty()) Field(out, "    " + T("remediation"), rule.remediation, kLabel);
      for (const Source& src : rule.legal_sources) {
        const std::string& title = src.Title(lang);
        Field(out, "    " + T("legal_source"), src.url.empty() ? title : title + " - " + src.url, kLabel);
      }
      for (const Finding& f : r.findings) {
        if (f.severity != sev || f.rule_id != id) continue;
        std::string subject = T(SubjectKindKey(f.subject_kind));
        if (!f.subject_id.empty()) subject += " " + f.subject_id;
        if (!f.subject_name.empty() && f.subject_name != f.subject_id) subject += " (" + f.subject_name + ")";
        if (f.loc.line != 0) subject += fmt::format(" [{}:{}]", f.loc.line, f.loc.column);
        Wrapped(out, "    - ", 6, subject);
        if (!f.detail.Get(lang).empty()) Wrapped(out, "      ", 6, f.detail.Get(lang));
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace blindspot::report_internal

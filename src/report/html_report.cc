// HTML report. The page (header, reading guide, tiles, blind-spot list,
// rules) is data/templates/report.html.mustache rendered with kainjow
// mustache. The parts that repeat once per touchpoint, product, activity and
// finding are written here directly into one string, each value escaped:
// a register of 20,000 touchpoints gives 20,000 cards, and building a
// mustache data tree per card cost more than everything else in an audit.
// Only http(s) URLs of sources / privacy statements become links. The page
// loads nothing: no scripts, external styles, fonts or images.
//
// Compact: a finding shows its rule's title, the subject and the specific
// detail; each rule's explanation, remediation and sources are shown once, in
// the rules section the findings link to; what the knowledge base says about a
// product (vendor, claims with sources, signal meanings) is shown once, in the
// products section the cards link to. Findings are grouped by subject once
// (FindingIndex), so the page is linear in the size of the audit.
#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <kainjow/mustache.hpp>
#include <unordered_set>

#include "blindspot/embedded.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

namespace mu = kainjow::mustache;
using Data = mu::data;

constexpr std::string_view kTemplatePath = "templates/report.html.mustache";
// Evidence lists up to this many items are shown unfolded in a card.
constexpr size_t kEvidenceOpenMax = 3;
// Placeholders for the big blocks (bytes no text contains: values are escaped
// or UTF-8, and the template has none).
constexpr std::string_view kCardsMarker =
    "\x01"
    "cards"
    "\x01";
constexpr std::string_view kActivitiesMarker =
    "\x01"
    "activities"
    "\x01";
constexpr std::string_view kRegisterMarker =
    "\x01"
    "register"
    "\x01";

const std::string* TemplateText() {
  static const std::string* text = []() -> const std::string* {
    for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i)
      if (kDataFiles[i].path == kTemplatePath) return new std::string(kDataFiles[i].data);
    return nullptr;
  }();
  return text;
}

// A string, or `false` when empty, so that {{#key}}...{{/key}} renders only
// for a non-empty value (kainjow treats every string as true).
void SetOpt(Data& d, const std::string& key, std::string value) {
  if (value.empty()) {
    d.set(key, false);
  } else {
    d.set(key, std::move(value));
  }
}

// Appends HTML with every value escaped (the same escapes as mustache's {{ }}).
class Html {
 public:
  explicit Html(std::string& out) : out_(out) {}
  Html& operator<<(std::string_view raw) {
    out_ += raw;
    return *this;
  }
  Html& Esc(std::string_view s) {
    for (char c : s) {
      switch (c) {
        case '&':
          out_ += "&amp;";
          break;
        case '<':
          out_ += "&lt;";
          break;
        case '>':
          out_ += "&gt;";
          break;
        case '"':
          out_ += "&quot;";
          break;
        case '\'':
          out_ += "&apos;";
          break;
        default:
          out_ += c;
      }
    }
    return *this;
  }
  Html& Num(uint64_t n) {
    out_ += std::to_string(n);
    return *this;
  }

 private:
  std::string& out_;
};

struct QPart {
  std::string label;  // "" = no label
  std::string value;  // "" = not answered
  bool link = false;
};
struct QRow {
  MessageId question;
  std::vector<QPart> parts;
};

class Builder {
 public:
  Builder(const AuditResult& r, const ReportOptions& o) : r_(r), o_(o), t_(o.lang), index_(r) {}
  Data Build();

 private:
  const std::string& T(MessageId id) const { return t_.T(id); }
  void SourcesHtml(Html& h, const std::vector<Source>& sources) const;
  Data Sources(const std::vector<Source>& sources) const;
  void FindingHtml(Html& h, size_t i);
  std::vector<QRow> Questions(const Touchpoint* t) const;
  void CardHtml(Html& h, const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used);
  void VerdictBadge(Html& h, Verdict v) const;
  void ReasonsHtml(Html& h, const Judgement& v) const;
  void ProductHtml(Html& h, const KbEntry& kb) const;
  void CarriedHtml(Html& h, const std::vector<CarriedData>& list) const;

  const AuditResult& r_;
  const ReportOptions& o_;
  Texts t_;
  FindingIndex index_;
  std::vector<std::string> rules_used_;  // rules with findings, sorted by Build
  std::unordered_set<std::string> rules_seen_;

 public:
  // (marker, writer) of the big blocks: RenderHtml calls each writer where the
  // rendered page has its marker, in page order (cards, activities, register).
  struct Block {
    std::string_view marker;
    std::function<void(Html&)> write;
  };
  std::vector<Block> blocks_;
};

void Builder::SourcesHtml(Html& h, const std::vector<Source>& sources) const {
  h << "<ul class=\"src\">";
  for (const Source& s : sources) {
    const std::string& title = s.Title(t_.lang()).empty() ? s.url : s.Title(t_.lang());
    h << "<li>";
    if (IsWebUrl(s.url)) {
      h << "<a href=\"";
      h.Esc(s.url) << "\">";
      h.Esc(title) << "</a>";
    } else {
      h.Esc(title);
    }
    h << "</li>";
  }
  h << "</ul>";
}

Data Builder::Sources(const std::vector<Source>& sources) const {
  Data list{Data::type::list};
  for (const Source& s : sources) {
    Data d;
    const std::string& title = s.Title(t_.lang());
    d.set("title", title.empty() ? s.url : title);
    d.set("url", s.url);
    d.set("is_link", IsWebUrl(s.url));
    list.push_back(d);
  }
  return list;
}

void Builder::FindingHtml(Html& h, size_t i) {
  const Finding& f = r_.findings[i];
  const RuleMeta* rule = t_.catalog().FindRule(f.rule_id);
  std::string sev(ToString(f.severity));
  h << "<div class=\"finding\">\n  <div><span class=\"badge sev_" << sev << "\">";
  h.Esc(t_.Term("severity", sev)) << "</span> <strong>";
  h.Esc(rule ? rule->title.Get(t_.lang()) : f.rule_id) << "</strong> <a class=\"rule\" href=\"#rule-";
  h.Esc(f.rule_id) << "\">";
  h.Esc(f.rule_id) << "</a></div>\n  <p class=\"sub\">";
  h.Esc(t_.Term("subject_kind", ToString(f.subject_kind)));
  if (!f.subject_name.empty()) {
    h << ": ";
    h.Esc(f.subject_name);
    if (!f.subject_id.empty() && f.subject_id != f.subject_name) {
      h << " (";
      h.Esc(f.subject_id) << ")";
    }
  } else if (!f.subject_id.empty()) {
    h << ": ";
    h.Esc(f.subject_id);
  }
  if (std::string where = Location(f, r_, o_); !where.empty()) {
    h << " &middot; <code>";
    h.Esc(where) << "</code>";
  }
  if (!f.path.empty()) {
    h << " &middot; <code>";
    h.Esc(f.path) << "</code>";
  }
  h << "</p>\n";
  if (std::string detail = t_.R(f.detail); !detail.empty()) {
    h << "  <p>";
    h.Esc(detail) << "</p>\n";
  }
  if (std::string raised = SeverityRaised(f, t_); !raised.empty()) {
    h << "  <p class=\"sub raised\">";
    h.Esc(raised) << "</p>\n";
  }
  if (o_.gate && o_.gate->active && i < o_.gate->states.size()) {
    h << "  <p class=\"sub gate " << ToString(o_.gate->states[i]) << "\">";
    h.Esc(GateStateText(*o_.gate, i, t_)) << " &middot; <code>";
    h.Esc(o_.gate->fingerprints[i]) << "</code></p>\n";
  }
  h << "</div>\n";
}

std::vector<QRow> Builder::Questions(const Touchpoint* t) const {
  static const TouchpointAnswers kNone;
  const TouchpointAnswers& a = t ? t->answers : kNone;
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  auto yes_no = [&](const std::optional<bool>& b) {
    return b ? t_.Term("yes_no", *b ? "yes" : "no") : std::string();
  };
  // The follow-up of a yes/no question answered "no" ("since when", "where")
  // does not apply; it is not a gap in the register.
  auto follow_up = [&](const std::optional<bool>& b, const std::string& value) {
    return value.empty() && b.has_value() && !*b ? T(ui::not_applicable) : value;
  };
  auto part = [&](MessageId label, std::string value, bool link = false) {
    return QPart{T(label), std::move(value), link};
  };
  std::vector<QRow> rows;
  rows.push_back(
      {ui::q_in_use,
       {part(ui::a_in_use, yes_no(a.in_use)), part(ui::a_since, follow_up(a.in_use, a.in_use_since))}});
  rows.push_back({ui::q_stored_by_us,
                  {part(ui::a_stored_by_us, yes_no(a.stored_by_us)),
                   part(ui::a_where, follow_up(a.stored_by_us, a.stored_by_us_where))}});
  rows.push_back({ui::q_stored_by_vendor,
                  {part(ui::a_stored_by_vendor, yes_no(a.stored_by_vendor)),
                   part(ui::a_vendor_details, follow_up(a.stored_by_vendor, a.stored_by_vendor_details))}});
  rows.push_back({ui::q_informed,
                  {part(ui::a_statement, a.informed_statement, /*link=*/true),
                   part(ui::a_section, a.informed_section)}});
  rows.push_back({ui::q_data, {QPart{"", join(a.data_collected)}}});
  rows.push_back({ui::q_lawful,
                  {part(ui::a_basis,
                        a.lawful_basis ? t_.Term("lawful_basis", ToString(*a.lawful_basis)) : std::string()),
                   part(ui::a_necessity, a.necessity), part(ui::a_subsidiarity, a.subsidiarity),
                   part(ui::a_proportionality, a.proportionality)}});
  rows.push_back({ui::q_security, {QPart{"", join(a.security_measures)}}});
  return rows;
}

void Builder::VerdictBadge(Html& h, Verdict v) const {
  h << "<span class=\"badge v_" << ToString(v) << "\" title=\"";
  h.Esc(T(ui::col_verdict)) << "\">";
  h.Esc(t_.Term("verdict", ToString(v))) << "</span>";
}

// The reasons of a verdict (docs/verdicts.md), gaps marked.
void Builder::ReasonsHtml(Html& h, const Judgement& v) const {
  h << "  <h4>";
  h.Esc(T(ui::col_verdict)) << "</h4>\n  <ul class=\"reasons\">\n";
  for (const VerdictReason& reason : v.reasons) {
    h << "    <li class=\"" << ToString(reason.state) << "\">";
    h.Esc(ReasonLine(reason, t_)) << "</li>\n";
  }
  h << "  </ul>\n";
}

void Builder::CardHtml(Html& h, const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used) {
  const KbEntry* kb = KbOf(tp);
  std::string status(StatusId(tp));
  // Cards are anchored by row ("card-3"), not by register id: rows without one exist.
  h << "<article class=\"card " << status << "\" id=\"card-";
  h.Num(index + 1) << "\">\n  <div class=\"card-head\">\n    <h3>";
  h.Esc(DisplayName(tp)) << "</h3>\n    <span class=\"badge " << status << "\">";
  h.Esc(t_.Term("touchpoint_status", status)) << "</span>\n    ";
  VerdictBadge(h, tp.verdict.verdict);
  h << "\n  </div>\n  <div class=\"sub\">\n";
  if (kb && !kb->vendor.legal_entity.empty()) {
    h << "    ";
    h.Esc(T(ui::vendor)) << ": ";
    h.Esc(kb->vendor.legal_entity);
    if (!kb->vendor.country.empty()) {
      h << " (";
      h.Esc(kb->vendor.country) << ")";
    }
    if (!kb->vendor.processing_country.empty()) {
      h << " &middot; ";
      h.Esc(T(ui::processing_country)) << ": ";
      h.Esc(kb->vendor.processing_country);
    }
    h << " &middot; ";
    h.Esc(T(ui::transfer_mechanism)) << ": ";
    h.Esc(t_.Term("transfer_safeguard", ToString(kb->vendor.transfer_mechanism))) << "<br>\n";
  }
  // "Category: x · channel: y · kb: id · register id: id", skipping empty ones.
  std::string channel = kb ? kb->channel : std::string();
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
  bool first = true;
  auto meta = [&](MessageId label, const std::string& value, bool code) {
    if (value.empty()) return;
    h << (first ? "    " : " &middot; ");
    first = false;
    h.Esc(T(label)) << ": ";
    if (code) h << "<code>";
    h.Esc(value);
    if (code) h << "</code>";
  };
  meta(ui::col_category, kb && !kb->category.empty() ? t_.Term("kb_category", kb->category) : std::string(),
       false);
  meta(ui::channel, channel.empty() ? channel : t_.Term("channel", channel), false);
  meta(ui::kb_entry, tp.kb_id, true);
  meta(ui::register_id, tp.registered ? tp.registered->id : std::string(), true);
  if (kb) {
    h << (first ? "    " : " &middot; ") << "<a href=\"#kb-";
    h.Esc(kb->id) << "\">";
    h.Esc(T(ui::product_details)) << "</a>";
  }
  h << "\n  </div>\n";
  if (tp.processor && !tp.registered) {
    h << "  <p class=\"note\">";
    h.Esc(t_.R(Message(ui::processor_note)
                   .Text("processor", tp.processor->name.empty() ? tp.processor->id : tp.processor->name)
                   .Text("id", tp.processor->id)))
        << "</p>\n";
  } else if (!tp.registered) {
    h << "  <p class=\"note\">";
    h.Esc(T(tp.inferred() ? ui::inferred_note : ui::not_in_register_note)) << "</p>\n";
  }
  if (tp.detected && tp.detected->inferred()) {
    h << "  <p class=\"sub\">";
    h.Esc(InferredFrom(*tp.detected, t_)) << "</p>\n";
  } else if (tp.detected && !tp.detected->implied_by.empty()) {
    h << "  <p class=\"sub\">";
    h.Esc(T(ui::implied_by)) << ": <code>";
    h.Esc(tp.detected->implied_by) << "</code></p>\n";
  }
  if (tp.detected && r_.detection.HasPhases()) {
    h << "  <p class=\"sub\">";
    h.Esc(PhasesActive(*tp.detected, t_)) << "</p>\n";
  }
  ReasonsHtml(h, tp.verdict);
  h << "  <h4>";
  h.Esc(T(ui::findings)) << "</h4>\n";
  std::vector<size_t> about = index_.About(tp);
  for (size_t i : about) {
    FindingHtml(h, i);
    used[i] = true;
  }
  if (about.empty()) {
    h << "  <p class=\"ok\">";
    h.Esc(T(ui::no_findings)) << "</p>\n";
  }

  std::vector<QRow> rows = Questions(tp.registered);
  size_t answered = 0;
  for (const QRow& q : rows)
    answered +=
        std::all_of(q.parts.begin(), q.parts.end(), [](const QPart& p) { return !p.value.empty(); }) ? 1 : 0;
  if (!tp.registered) answered = 0;
  h << "  <h4>";
  h.Esc(T(ui::questions)) << " <span class=\"qcount\">&middot; ";
  h.Num(answered) << "/";
  h.Num(rows.size()) << " ";
  h.Esc(T(ui::answered)) << "</span></h4>\n  <table class=\"q\">\n";
  for (const QRow& q : rows) {
    size_t yes =
        std::count_if(q.parts.begin(), q.parts.end(), [](const QPart& p) { return !p.value.empty(); });
    const char* state = !tp.registered ? "none" : yes == q.parts.size() ? "all" : yes == 0 ? "none" : "some";
    h << "    <tr class=\"" << state << "\"><th>";
    h.Esc(T(q.question)) << "</th><td>";
    if (!tp.registered) {
      // Not in the register: one "not answered" instead of one per sub-answer.
      h << "<div><span class=\"na\">";
      h.Esc(T(ui::not_answered)) << "</span></div>";
    } else {
      for (const QPart& p : q.parts) {
        h << "<div>";
        if (!p.label.empty()) {
          h << "<span class=\"lbl\">";
          h.Esc(p.label) << ":</span> ";
        }
        if (p.value.empty()) {
          h << "<span class=\"na\">";
          h.Esc(T(ui::not_answered)) << "</span>";
        } else if (p.link && IsWebUrl(p.value)) {
          h << "<a href=\"";
          h.Esc(p.value) << "\">";
          h.Esc(p.value) << "</a>";
        } else {
          h.Esc(p.value);
        }
        h << "</div>";
      }
    }
    h << "</td></tr>\n";
  }
  h << "  </table>\n";

  size_t shown = tp.detected ? tp.detected->evidence.size() : 0;
  uint64_t total = tp.detected ? tp.detected->evidence_count : 0;
  if (shown > 0) {
    // Short evidence lists are shown open; longer ones are folded (<details>).
    h << "  <details class=\"ev\"" << (shown <= kEvidenceOpenMax ? " open" : "") << ">\n  <summary>";
    h.Esc(T(ui::evidence)) << " (";
    h.Num(total) << ") <span class=\"sub\">&middot; ";
    h.Esc(T(ui::show_evidence)) << "</span></summary>\n  <table class=\"ev\">\n    <tr><th>";
    h.Esc(T(ui::evidence_kind)) << "</th><th>";
    h.Esc(T(ui::evidence_value)) << "</th><th>";
    h.Esc(T(ui::evidence_where)) << "</th></tr>\n";
    for (const EvidenceItem& e : tp.detected->evidence) {
      h << "    <tr><td>";
      h.Esc(t_.Term("evidence_kind", ToString(e.kind))) << "</td><td class=\"val\"><code>";
      h.Esc(EvidenceValue(e)) << "</code>";
      if (std::string sig = EvidenceSignature(e, t_); !sig.empty()) {
        h << "<div class=\"sub\">";
        h.Esc(T(ui::signature)) << ": ";
        h.Esc(sig) << "</div>";
      }
      h << "</td><td class=\"val\">";
      h.Esc(e.page);
      if (!e.source.empty()) {
        h << "<div class=\"sub\">";
        h.Esc(e.source) << " #";
        h.Num(e.entry) << "</div>";
      }
      h << "</td></tr>\n";
    }
    h << "  </table>\n";
    if (total > shown) {
      h << "  <p class=\"sub\">";
      h.Esc(T(ui::more_evidence)) << ": ";
      h.Num(total - shown) << "</p>\n";
    }
    h << "  </details>\n";
  } else {
    h << "  <h4>";
    h.Esc(T(ui::evidence)) << " (0)</h4><p class=\"sub\">";
    h.Esc(T(ui::no_evidence)) << "</p>\n";
  }
  if (tp.detected && !tp.detected->signals.empty()) {
    h << "  <h4>";
    h.Esc(T(ui::signals)) << "</h4>\n  <table>\n    <tr><th>";
    h.Esc(T(ui::signal)) << "</th><th>";
    h.Esc(T(ui::parameter)) << "</th><th>";
    h.Esc(T(ui::data_category)) << "</th></tr>\n";
    for (const SignalHit& s : tp.detected->signals) {
      h << "    <tr><td><code>";
      h.Esc(s.signal_id) << "</code></td><td><code>";
      h.Esc(s.param) << "</code></td><td><code>";
      h.Esc(s.data_category) << "</code></td></tr>\n";
    }
    h << "  </table>\n";
  }
  if (tp.detected && !tp.detected->carried.empty()) CarriedHtml(h, tp.detected->carried);
  h << "</article>\n";
}

// What third-party requests carried: kind, parameter, requests, first page.
void Builder::CarriedHtml(Html& h, const std::vector<CarriedData>& list) const {
  h << "  <h4>";
  h.Esc(T(ui::carried)) << "</h4>\n  <p class=\"sub\">";
  h.Esc(T(ui::carried_explain)) << "</p>\n  <table>\n    <tr><th>";
  h.Esc(T(ui::evidence_kind)) << "</th><th>";
  h.Esc(T(ui::parameter)) << "</th><th>";
  h.Esc(T(ui::requests)) << "</th><th>";
  h.Esc(T(ui::carried_first_seen)) << "</th></tr>\n";
  for (const CarriedData& c : list) {
    h << "    <tr" << (IsPersonalData(c.kind) ? " class=\"pd\"" : "") << "><td>";
    h.Esc(t_.Term("carried_kind", ToString(c.kind))) << "</td><td><code>";
    h.Esc(c.param) << "</code>";
    if (!c.inner.empty()) {
      h << " &rarr; <code>";
      h.Esc(c.inner) << "</code>";
    }
    if (!c.term.empty()) {
      h << " &rarr; <q>";
      h.Esc(c.term) << "</q> (";
      h.Esc(t_.Term("sensitive_category", c.category)) << ")";
    }
    h << "</td><td>";
    h.Num(c.requests) << "</td><td class=\"val\">";
    h.Esc(c.page);
    h << "<div class=\"sub\">";
    h.Esc(c.host) << " &middot; ";
    h.Esc(c.source) << " #";
    h.Num(c.entry) << "</div></td></tr>\n";
  }
  h << "  </table>\n";
}

void Builder::ProductHtml(Html& h, const KbEntry& kb) const {
  h << "<article class=\"card product\" id=\"kb-";
  h.Esc(kb.id) << "\">\n  <div class=\"card-head\"><h3>";
  h.Esc(kb.name.empty() ? kb.id : kb.name) << "</h3> <span class=\"sub\"><code>";
  h.Esc(kb.id) << "</code></span></div>\n  <div class=\"sub\">";
  h.Esc(T(ui::vendor)) << ": ";
  h.Esc(kb.vendor.legal_entity);
  if (!kb.vendor.country.empty()) {
    h << " (";
    h.Esc(kb.vendor.country) << ")";
  }
  if (!kb.vendor.processing_country.empty()) {
    h << " &middot; ";
    h.Esc(T(ui::processing_country)) << ": ";
    h.Esc(kb.vendor.processing_country);
  }
  h << " &middot; ";
  h.Esc(T(ui::transfer_mechanism)) << ": ";
  h.Esc(t_.Term("transfer_safeguard", ToString(kb.vendor.transfer_mechanism)));
  if (!kb.category.empty()) {
    h << " &middot; ";
    h.Esc(T(ui::col_category)) << ": ";
    h.Esc(t_.Term("kb_category", kb.category));
  }
  if (!kb.channel.empty()) {
    h << " &middot; ";
    h.Esc(T(ui::channel)) << ": ";
    h.Esc(t_.Term("channel", kb.channel));
  }
  h << "</div>\n";
  if (const std::string& desc = t_.Kb(kb.description); !desc.empty()) {
    h << "  <p>";
    h.Esc(desc) << "</p>\n";
  }
  if (!kb.data_signals.empty()) {
    h << "  <h4>";
    h.Esc(T(ui::signals)) << "</h4>\n  <table>\n    <tr><th>";
    h.Esc(T(ui::signal)) << "</th><th>";
    h.Esc(T(ui::parameter)) << "</th><th>";
    h.Esc(T(ui::data_category)) << "</th><th>";
    h.Esc(T(ui::meaning)) << "</th></tr>\n";
    for (const DataSignal& ds : kb.data_signals) {
      h << "    <tr><td><code>";
      h.Esc(ds.id) << "</code></td><td><code>";
      h.Esc(ds.param) << "</code></td><td><code>";
      h.Esc(ds.data_category) << "</code></td><td>";
      h.Esc(t_.Kb(ds.meaning)) << "</td></tr>\n";
    }
    h << "  </table>\n";
  }
  h << "  <h4>";
  h.Esc(T(ui::kb_claims)) << "</h4>\n";
  auto claim = [&](MessageId label, const std::string& value, const LocalizedText& reason,
                   const std::vector<Source>& sources) {
    h << "  <div class=\"claim\"><strong>";
    h.Esc(T(label)) << ":</strong> ";
    h.Esc(value);
    if (const std::string& r = t_.Kb(reason); !r.empty()) {
      h << " &mdash; ";
      h.Esc(r);
    }
    h << "\n    ";
    SourcesHtml(h, sources);
    h << "</div>\n";
  };
  claim(ui::claim_role, t_.Term("vendor_role", ToString(kb.role.value)), kb.role.reason, kb.role.sources);
  claim(ui::claim_consent, t_.Term("yes_no", kb.consent_required.value ? "yes" : "no"),
        kb.consent_required.reason, kb.consent_required.sources);
  h << "</article>\n";
}

Data Builder::Build() {
  Counts c = CountAll(r_);
  Data root;
  root.set("lang", std::string(t_.lang()));
  // Every UI string: {{t.key}} in the template; vocabulary labels: {{term.<vocabulary>.<value>}}.
  Data t;
  const TextCatalog& cat = t_.catalog();
  for (const auto& [id, en] : cat.AllMessages())
    if (id.starts_with("ui.")) t.set(id.substr(3), *cat.Template(t_.lang(), id));
  root.set("t", t);
  // The action list (docs/actions.md): at most kMaxActionsShown, the rest counted.
  root.set("actions_date", ActionDate(r_.actions, t_));
  root.set("has_actions", !r_.actions.actions.empty());
  Data actions{Data::type::list};
  for (size_t i = 0; i < r_.actions.actions.size() && i < kMaxActionsShown; ++i) {
    const Action& a = r_.actions.actions[i];
    Data d;
    d.set("priority_id", std::string(ToString(a.priority)));
    d.set("priority", t_.Term("action_priority", ToString(a.priority)));
    d.set("due", ActionDue(a, t_));
    d.set("what", t_.R(a.what));
    d.set("owner", ActionOwner(a, t_));
    d.set("owner_cls", std::string(a.owner.empty() ? "unassigned" : ""));
    d.set("rule_id", a.rule_id);
    d.set("covers", ActionCovers(a, t_));
    actions.push_back(d);
  }
  root.set("actions", actions);
  if (r_.actions.actions.size() > kMaxActionsShown)
    root.set("actions_more",
             t_.R(Message(ui::actions_more)
                      .Number("n", static_cast<int64_t>(r_.actions.actions.size() - kMaxActionsShown))));
  else
    root.set("actions_more", false);
  Data term;
  {
    Data st;
    for (const char* v : {"blind_spot", "registered", "inferred", "not_seen"})
      st.set(v, t_.Term("touchpoint_status", v));
    term.set("touchpoint_status", st);
    Data vd;
    for (const char* v : {"safeguarded", "gaps", "not_assessed"}) vd.set(v, t_.Term("verdict", v));
    term.set("verdict", vd);
  }
  root.set("term", term);

  std::string org = r_.reg->organisation.name;
  root.set("organisation", org.empty() ? T(ui::unknown) : org);
  const bool no_register = r_.reg->empty();
  root.set("no_register", no_register);
  root.set("register_file", RegisterName(r_));
  root.set("has_register_file", !no_register && !RegisterName(r_).empty());
  root.set("generated_at", o_.generated_at);
  root.set("has_generated_at", !o_.generated_at.empty());
  root.set("tool_version", o_.tool_version);
  root.set("has_tool_version", !o_.tool_version.empty());

  const DetectionResult& det = r_.detection;
  Data sources{Data::type::list};
  for (const EvidenceSourceInfo& h : det.sources) sources.push_back(Data(h.name));
  root.set("sources", sources);
  root.set("has_sources", !det.sources.empty());
  std::string domains;
  for (const std::string& dname : det.first_party_domains) domains += (domains.empty() ? "" : ", ") + dname;
  root.set("first_party_domains", domains);
  root.set("has_first_party_domains", !domains.empty());
  // The CI gate (--baseline, --accepted).
  const GateResult* gate = o_.gate && o_.gate->active ? o_.gate : nullptr;
  root.set("has_gate", gate != nullptr);
  Data gate_items{Data::type::list};
  if (gate) {
    root.set("gate_counts", GateCounts(*gate, t_));
    for (const BaselineEntry& e : gate->resolved)
      gate_items.push_back(Data(t_.R(
          Message(ui::gate_resolved_item)
              .Text("rule", e.rule.empty() ? e.fingerprint : e.rule)
              .Text("subject", e.subject.empty() ? e.fingerprint : e.subject + " (" + e.fingerprint + ")"))));
    for (const Acceptance& a : gate->expired) gate_items.push_back(Data(ExpiredItem(a, t_)));
  }
  root.set("gate_items", gate_items);
  root.set("read_warning_summary", ReadWarningSummary(det, t_));
  root.set("has_read_warnings", det.warning_count > 0);
  Data warnings{Data::type::list};
  for (const ReadWarning& w : det.warnings) {
    Data wd;
    wd.set("where", ReadWarningWhere(w, t_));
    wd.set("what", ReadWarningWhat(w, t_));
    wd.set("action", ReadWarningAction(w, t_));
    warnings.push_back(wd);
  }
  root.set("read_warnings", warnings);
  SetOpt(root, "read_warnings_more",
         det.warning_count > det.warnings.size()
             ? t_.R(Message(ui::read_warnings_more)
                        .Number("n", static_cast<int64_t>(det.warning_count - det.warnings.size())))
             : std::string());
  root.set("scope_counts", t_.R(Message(ui::evidence_counts)
                                    .Number("sources", static_cast<int64_t>(det.sources.size()))
                                    .Number("pages", static_cast<int64_t>(det.pages.size()))
                                    .Number("entries", static_cast<int64_t>(det.entries))));
  SetOpt(root, "register_counts", no_register ? std::string() : RegisterCounts(*r_.reg, t_));

  // Two rows of tiles: touchpoint counts, then findings per severity.
  Data tiles{Data::type::list};
  Data sev_tiles{Data::type::list};
  auto tile = [&](Data& list, std::string label, size_t n, std::string cls) {
    Data d;
    d.set("label", std::move(label));
    d.set("value", fmt::format("{}", n));
    d.set("cls", n > 0 ? cls : std::string("zero"));
    list.push_back(d);
  };
  tile(tiles, T(ui::sum_detected), c.detected, "neutral");
  tile(tiles, T(ui::sum_blind_spots), c.blind_spots, "bad");
  if (c.inferred > 0) tile(tiles, T(ui::sum_inferred), c.inferred, "warn");
  tile(tiles, T(ui::sum_not_seen), c.not_seen, "warn");
  tile(tiles, T(ui::sum_unidentified), r_.detection.unidentified.size(), "warn");
  for (Severity s : SeveritiesDesc())
    tile(sev_tiles, t_.Term("severity", ToString(s)), c.BySeverity(s), "sev_" + std::string(ToString(s)));
  root.set("tiles", tiles);
  root.set("sev_tiles", sev_tiles);
  // The touchpoints' verdicts (docs/verdicts.md).
  Data verdict_tiles{Data::type::list};
  VerdictCounts vc = CountVerdicts(r_, false);
  tile(verdict_tiles, t_.Term("verdict", "gaps"), vc.gaps, "bad");
  tile(verdict_tiles, t_.Term("verdict", "not_assessed"), vc.not_assessed, "warn");
  tile(verdict_tiles, t_.Term("verdict", "safeguarded"), vc.safeguarded, "neutral");
  root.set("verdict_tiles", verdict_tiles);

  // Which findings each block shows: a touchpoint's on its card, the rest of an
  // activity's under the activity, the others under the register. Worked out
  // first (the page needs to know which blocks are empty); the blocks themselves
  // are written straight into the output after the page (RenderHtml).
  std::vector<bool> used(r_.findings.size(), false);
  Data blind{Data::type::list};
  std::vector<const KbEntry*> products;
  for (size_t i = 0; i < r_.touchpoints.size(); ++i) {
    const ReconciledTouchpoint& tp = r_.touchpoints[i];
    for (size_t f : index_.About(tp)) used[f] = true;
    const KbEntry* kb = KbOf(tp);
    if (kb && std::find(products.begin(), products.end(), kb) == products.end()) products.push_back(kb);
    if (tp.blind_spot()) {
      Data b;
      b.set("anchor", fmt::format("card-{}", i + 1));
      b.set("name", DisplayName(tp));
      SetOpt(b, "vendor", kb ? kb->vendor.legal_entity : std::string());
      SetOpt(b, "category",
             kb && !kb->category.empty() ? t_.Term("kb_category", kb->category) : std::string());
      b.set("evidence_count", fmt::format("{}", tp.detected ? tp.detected->evidence_count : 0));
      b.set("pages", fmt::format("{}", tp.detected ? tp.detected->pages.size() : 0));
      blind.push_back(b);
    }
  }
  root.set("blind_spots", blind);
  root.set("has_blind_spots", c.blind_spots > 0);
  root.set("cards", std::string(kCardsMarker));
  blocks_.push_back({kCardsMarker, [this](Html& h) {
                       std::vector<bool> shown(r_.findings.size(), false);
                       for (size_t i = 0; i < r_.touchpoints.size(); ++i)
                         CardHtml(h, r_.touchpoints[i], i, shown);
                     }});
  root.set("has_touchpoints", !r_.touchpoints.empty());

  // What third-party requests carried that no touchpoint was attributed for.
  std::string carried_html;
  Html chtml(carried_html);
  for (const UnattributedCarried& u : r_.detection.carried) {
    chtml << "<article class=\"card\">\n  <div class=\"card-head\"><h3>";
    chtml.Esc(u.registrable_domain) << "</h3></div>\n";
    CarriedHtml(chtml, u.carried);
    chtml << "</article>\n";
  }
  root.set("carried_unattributed", std::move(carried_html));
  root.set("has_carried_unattributed", !r_.detection.carried.empty());

  // Discovery files: what each is about, and what no product explains.
  std::string discovery_html;
  Html dh(discovery_html);
  for (const DiscoverySource& ds : r_.detection.discoveries) {
    dh << "<article class=\"card\">\n  <div class=\"card-head\"><h3>";
    dh.Esc(ds.name) << "</h3></div>\n  <p class=\"sub\">";
    dh.Esc(t_.R(DiscoverySourceLine(ds))) << "</p>\n";
    if (std::string own = OtherThan(r_, ds); !own.empty()) {
      dh << "  <p class=\"note\">";
      dh.Esc(
          t_.R(Message(ui::discovery_other_domain).Text("subject", ds.report->subject).Text("domains", own)))
          << "</p>\n";
    }
    if (!ds.unattributed.empty()) {
      dh << "  <h4>";
      dh.Esc(
          t_.R(Message(ui::discovery_unattributed).Number("n", static_cast<int64_t>(ds.unattributed.size()))))
          << "</h4>\n  <ul>\n";
      constexpr size_t kShown = 25;
      for (size_t i = 0; i < ds.unattributed.size() && i < kShown; ++i) {
        dh << "    <li>";
        dh.Esc(t_.R(UnattributedLine(ds.report->observations[ds.unattributed[i]]))) << "</li>\n";
      }
      if (ds.unattributed.size() > kShown) {
        dh << "    <li>";
        dh.Esc(t_.R(
            Message(ui::discovery_more).Number("n", static_cast<int64_t>(ds.unattributed.size() - kShown))))
            << "</li>\n";
      }
      dh << "  </ul>\n";
    }
    if (!ds.report->warnings.empty()) {
      dh << "  <ul class=\"warnings\">\n";
      for (const Error& w : ds.report->warnings) {
        dh << "    <li><code>";
        dh.Esc(w.Format()) << "</code></li>\n";
      }
      dh << "  </ul>\n";
    }
    dh << "</article>\n";
  }
  root.set("discoveries", std::move(discovery_html));
  root.set("has_discoveries", !r_.detection.discoveries.empty());

  std::sort(products.begin(), products.end(),
            [](const KbEntry* a, const KbEntry* b) { return a->id < b->id; });
  std::string products_html;
  Html ph(products_html);
  for (const KbEntry* kb : products) ProductHtml(ph, *kb);
  root.set("products", std::move(products_html));  // a few dozen products
  root.set("has_products", !products.empty());

  // Findings per processing activity, in register order.
  std::vector<bool> by_card = used;
  bool any_activity = false;
  for (const ProcessingActivity& a : r_.reg->activities)
    for (size_t i : index_.OfSubject(SubjectKind::kActivity, a.id))
      if (!used[i]) used[i] = any_activity = true;
  root.set("has_activities", any_activity || !r_.activities.empty());
  root.set("activities", std::string(kActivitiesMarker));
  blocks_.push_back({kActivitiesMarker, [this, shown = std::move(by_card)](Html& h) mutable {
                       // Every activity with its verdict, then its findings not shown on a card.
                       // (A result built without ComputeVerdicts has no verdicts: then only
                       // the activities with findings, as before.)
                       const std::vector<ProcessingActivity>& acts = r_.reg->activities;
                       for (size_t k = 0; k < acts.size(); ++k) {
                         const ProcessingActivity& a = acts[k];
                         const ActivityVerdict* av =
                             k < r_.activities.size() && r_.activities[k].activity == &a ? &r_.activities[k]
                                                                                         : nullptr;
                         const std::vector<size_t>& idx = index_.OfSubject(SubjectKind::kActivity, a.id);
                         if (!av && std::none_of(idx.begin(), idx.end(), [&](size_t i) { return !shown[i]; }))
                           continue;
                         h << "<article class=\"card\">\n  <div class=\"card-head\"><h3>";
                         h.Esc(a.name.empty() ? a.id : a.name) << " <span class=\"sub\"><code>";
                         h.Esc(a.id) << "</code></span></h3>\n    ";
                         if (av) VerdictBadge(h, av->verdict.verdict);
                         h << "\n  </div>\n";
                         if (av) ReasonsHtml(h, av->verdict);
                         for (size_t i : idx) {
                           if (shown[i]) continue;
                           FindingHtml(h, i);
                           shown[i] = true;
                         }
                         h << "</article>\n";
                       }
                     }});

  root.set("has_register_findings", std::find(used.begin(), used.end(), false) != used.end());
  root.set("register_findings", std::string(kRegisterMarker));
  blocks_.push_back({kRegisterMarker, [this, shown = std::move(used)](Html& h) {
                       for (size_t i = 0; i < r_.findings.size(); ++i)
                         if (!shown[i]) FindingHtml(h, i);
                     }});
  root.set("no_findings", r_.findings.empty());

  // Each rule with findings once: what it checks, what to do, on what it rests.
  for (const Finding& f : r_.findings)
    if (rules_seen_.insert(f.rule_id).second) rules_used_.push_back(f.rule_id);
  std::sort(rules_used_.begin(), rules_used_.end());
  Data rules{Data::type::list};
  for (const std::string& id : rules_used_) {
    const RuleMeta* rule = cat.FindRule(id);
    if (!rule) continue;
    Data rd;
    rd.set("rule_id", id);
    rd.set("sev_cls", "sev_" + std::string(ToString(rule->severity)));
    rd.set("sev_label", t_.Term("severity", ToString(rule->severity)));
    rd.set("title", rule->title.Get(t_.lang()));
    SetOpt(rd, "explanation", rule->explanation.Get(t_.lang()));
    rd.set("remediation", rule->remediation.Get(t_.lang()));
    rd.set("sources", Sources(rule->sources));
    rules.push_back(rd);
  }
  root.set("rules", rules);
  root.set("has_rules", !rules.list_value().empty());
  SetOpt(root, "fallback_note", t_.FallbackNote());
  return root;
}

}  // namespace

Result<std::string> RenderHtml(const OutputInput& in) {
  const std::string* text = TemplateText();
  if (!text) {
    return MakeError(ErrorKind::kInternal, "HTML template is not embedded in this binary",
                     SourceLocation{std::string(kTemplatePath)}, "data/templates/report.html.mustache",
                     "rebuild blindspot; the template is compiled in from data/templates/");
  }
  mu::mustache tmpl(*text);
  if (!tmpl.is_valid()) {
    return MakeError(ErrorKind::kInternal, "HTML template does not parse: " + tmpl.error_message(),
                     SourceLocation{std::string(kTemplatePath)});
  }
  Builder builder(*in.audit, in.options);
  Data data = builder.Build();
  std::string page = tmpl.render(data);
  if (!tmpl.error_message().empty()) {
    return MakeError(ErrorKind::kInternal, "HTML template failed to render: " + tmpl.error_message(),
                     SourceLocation{std::string(kTemplatePath)});
  }
  std::string out;
  out.reserve(page.size() + in.audit->touchpoints.size() * 3500 + in.audit->findings.size() * 700);
  Html h(out);
  size_t from = 0;
  while (true) {
    size_t at = page.find('\x01', from);
    if (at == std::string::npos) break;
    bool written = false;
    for (const Builder::Block& b : builder.blocks_) {
      if (page.compare(at, b.marker.size(), b.marker) != 0) continue;
      out.append(page, from, at - from);
      b.write(h);
      from = at + b.marker.size();
      written = true;
      break;
    }
    if (!written) {
      out.append(page, from, at + 1 - from);
      from = at + 1;
    }
  }
  out.append(page, from, std::string::npos);
  return out;
}

}  // namespace blindspot::report_internal

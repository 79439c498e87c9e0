// HTML report: data/templates/report.html.mustache (embedded) rendered with
// kainjow mustache. Every value goes through {{ }} (HTML-escaped); only
// http(s) URLs of legal sources / privacy statements become links. The page
// loads nothing: no scripts, external styles, fonts or images.
#include <fmt/core.h>

#include <algorithm>
#include <kainjow/mustache.hpp>

#include "blindspot/embedded.h"
#include "report/formats.h"
#include "report/i18n.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

namespace mu = kainjow::mustache;
using Data = mu::data;

constexpr std::string_view kTemplatePath = "templates/report.html.mustache";
// The template file holds the page, then this marker, then the partial
// {{> finding}} (one file, so the template stays a single embedded asset).
// Evidence lists up to this many items are shown unfolded in a card.
constexpr size_t kEvidenceOpenMax = 3;
constexpr std::string_view kPartialMarker = "{{! ==== partial: finding ==== }}";

struct TemplateParts {
  bool found = false;
  std::string page;
  std::string finding;
};

const TemplateParts& Template() {
  static const TemplateParts parts = [] {
    TemplateParts p;
    for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      if (kDataFiles[i].path != kTemplatePath) continue;
      std::string_view text = kDataFiles[i].data;
      size_t at = text.find(kPartialMarker);
      p.found = true;
      p.page = std::string(text.substr(0, at));
      if (at != std::string_view::npos) p.finding = std::string(text.substr(at + kPartialMarker.size()));
    }
    return p;
  }();
  return parts;
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

class Builder {
 public:
  Builder(const AuditResult& r, const ReportOptions& o) : r_(r), o_(o), lang_(o.lang) {}

  Data Build();

 private:
  const std::string& T(std::string_view key) const { return Tr(lang_, key); }
  // Translation of a data value when the table has `prefix + value`, else the value.
  std::string Label(std::string_view prefix, std::string_view value) const {
    std::string key = std::string(prefix) + std::string(value);
    std::replace(key.begin(), key.end(), '-', '_');
    const auto& table = I18nTable(lang_);
    if (table.contains(key) || I18nTable("en").contains(key)) return T(key);
    return std::string(value);
  }

  Data Sources(const std::vector<Source>& sources) const;
  Data FindingData(const Finding& f) const;
  std::string Signature(const std::string& sig) const;
  Data Part(std::string_view label_key, std::string value, bool link = false) const;
  Data YesNoPart(std::string_view label_key, const std::optional<bool>& b) const;
  Data Question(std::string_view q_key, Data parts, bool unregistered) const;
  Data Questions(const Touchpoint* t) const;
  Data Card(const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used) const;

  const AuditResult& r_;
  const ReportOptions& o_;
  std::string_view lang_;
};

Data Builder::Sources(const std::vector<Source>& sources) const {
  Data list{Data::type::list};
  for (const Source& s : sources) {
    Data d;
    const std::string& title = s.Title(lang_);  // Dutch citation style when the source has one
    d.set("title", title.empty() ? s.url : title);
    d.set("url", s.url);
    d.set("is_link", IsWebUrl(s.url));
    list.push_back(d);
  }
  return list;
}

Data Builder::FindingData(const Finding& f) const {
  RuleText rule = LookupRule(f.rule_id, lang_);
  Data d;
  d.set("rule_id", f.rule_id);
  d.set("sev_cls", std::string(SeverityKey(f.severity)));
  d.set("sev_label", T(SeverityKey(f.severity)));
  d.set("title", rule.title);
  std::string subject = T(SubjectKindKey(f.subject_kind));
  if (!f.subject_name.empty()) {
    subject += ": " + f.subject_name;
    if (!f.subject_id.empty() && f.subject_id != f.subject_name) subject += " (" + f.subject_id + ")";
  } else if (!f.subject_id.empty()) {
    subject += ": " + f.subject_id;
  }
  d.set("subject", subject);
  d.set("detail", f.detail.Get(lang_));
  d.set("has_detail", !f.detail.Get(lang_).empty());
  d.set("remediation", rule.remediation);
  d.set("has_remediation", !rule.remediation.empty());
  d.set("sources", Sources(rule.legal_sources));
  d.set("has_sources", !rule.legal_sources.empty());
  std::string where;
  if (f.loc.line != 0) {
    where = fmt::format("{}:{}:{}", r_.reg && !r_.reg->source.empty() ? r_.reg->source : T("register_file"),
                        f.loc.line, f.loc.column);
  }
  d.set("location", where);
  d.set("has_location", !where.empty());
  return d;
}

// The detector writes two signature forms in English ("html marker <text>",
// "signal <id> (<param>) of <kb id>"); their fixed words are translated here.
// Any other signature is a vendor or cookie name and is shown as is.
std::string Builder::Signature(const std::string& sig) const {
  constexpr std::string_view kMarker = "html marker ";
  constexpr std::string_view kSignal = "signal ";
  constexpr std::string_view kOf = ") of ";
  if (sig.starts_with(kMarker)) return T("evidence_html_marker") + " " + sig.substr(kMarker.size());
  size_t of = sig.rfind(kOf);
  if (sig.starts_with(kSignal) && of != std::string::npos)
    return fmt::format("{} {}) {} {}", T("signal_word"), sig.substr(kSignal.size(), of - kSignal.size()),
                       T("signal_of"), sig.substr(of + kOf.size()));
  return sig;
}

Data Builder::Part(std::string_view label_key, std::string value, bool link) const {
  Data d;
  d.set("has_label", !label_key.empty());
  d.set("label", label_key.empty() ? std::string() : T(label_key));
  d.set("answered", !value.empty());
  d.set("is_link", link && IsWebUrl(value));
  d.set("value", std::move(value));
  return d;
}

Data Builder::YesNoPart(std::string_view label_key, const std::optional<bool>& b) const {
  return Part(label_key, b ? T(*b ? "yes" : "no") : std::string());
}

// One row of the questions table. `q_state` is "all", "some" or "none" (a
// CSS class). For a touchpoint that is not in the register the row holds a
// single "not answered" instead of one per sub-answer.
Data Builder::Question(std::string_view q_key, Data parts, bool unregistered) const {
  size_t n = 0, yes = 0;
  for (const Data& p : parts.list_value()) {
    ++n;
    if (p.get("answered")->is_true()) ++yes;
  }
  if (unregistered) {
    parts = Data{Data::type::list};
    parts.push_back(Part("", std::string()));
  }
  Data d;
  d.set("question", T(q_key));
  d.set("parts", parts);
  d.set("q_state", std::string(yes == n ? "all" : yes == 0 ? "none" : "some"));
  d.set("is_answered", yes == n);
  return d;
}

Data Builder::Questions(const Touchpoint* t) const {
  static const TouchpointAnswers kNone;
  const TouchpointAnswers& a = t ? t->answers : kNone;
  const bool unreg = t == nullptr;
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  // The follow-up of a yes/no question answered "no" ("since when", "where")
  // does not apply; it is not a gap in the register.
  auto follow_up = [&](const std::optional<bool>& b, const std::string& value) {
    return value.empty() && b.has_value() && !*b ? T("not_applicable") : value;
  };
  Data list{Data::type::list};
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart("a_in_use", a.in_use));
    parts.push_back(Part("a_since", follow_up(a.in_use, a.in_use_since)));
    list.push_back(Question("q_in_use", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart("a_stored_by_us", a.stored_by_us));
    parts.push_back(Part("a_where", follow_up(a.stored_by_us, a.stored_by_us_where)));
    list.push_back(Question("q_stored_by_us", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart("a_stored_by_vendor", a.stored_by_vendor));
    parts.push_back(Part("a_vendor_details", follow_up(a.stored_by_vendor, a.stored_by_vendor_details)));
    list.push_back(Question("q_stored_by_vendor", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part("a_statement", a.informed_statement, /*link=*/true));
    parts.push_back(Part("a_section", a.informed_section));
    list.push_back(Question("q_informed", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part("", join(a.data_collected)));
    list.push_back(Question("q_data", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part("a_basis", a.lawful_basis ? T(LawfulBasisKey(*a.lawful_basis)) : std::string()));
    parts.push_back(Part("a_necessity", a.necessity));
    parts.push_back(Part("a_subsidiarity", a.subsidiarity));
    parts.push_back(Part("a_proportionality", a.proportionality));
    list.push_back(Question("q_lawful", parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part("", join(a.security_measures)));
    list.push_back(Question("q_security", parts, unreg));
  }
  return list;
}

Data Builder::Card(const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used) const {
  const KbEntry* kb = KbOf(tp);
  Data d;
  d.set("anchor", fmt::format("tp-{}", index + 1));
  d.set("name", DisplayName(tp));
  d.set("status_cls", std::string(StatusId(tp)));
  d.set("status_label", T(StatusKey(tp)));
  std::string channel = kb ? kb->channel : std::string();
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
  // "Category: x · channel: y · kb: id · register id: id", skipping empty ones.
  Data meta{Data::type::list};
  auto add_meta = [&](std::string_view label_key, const std::string& value, bool code) {
    if (value.empty()) return;
    Data m;
    m.set("sep", !meta.list_value().empty());
    m.set("label", T(label_key));
    m.set("value", value);
    m.set("code", code);
    meta.push_back(m);
  };
  add_meta("col_category", kb && !kb->category.empty() ? Label("category_", kb->category) : std::string(),
           false);
  add_meta("channel", channel.empty() ? channel : Label("channel_", channel), false);
  add_meta("kb_entry", tp.kb_id, true);
  add_meta("register_id", tp.registered ? tp.registered->id : std::string(), true);
  d.set("meta", meta);
  d.set("has_vendor", kb && !kb->vendor.legal_entity.empty());
  if (kb) {
    d.set("vendor_entity", kb->vendor.legal_entity);
    SetOpt(d, "vendor_country", kb->vendor.country);
    d.set("processing_country", kb->vendor.processing_country);
    d.set("has_processing_country", !kb->vendor.processing_country.empty());
    d.set("transfer", kb->vendor.transfer_mechanism.empty()
                          ? std::string()
                          : Label("transfer_", kb->vendor.transfer_mechanism));
    d.set("has_transfer", !kb->vendor.transfer_mechanism.empty());
    d.set("description", kb->description.Get(lang_));
    d.set("has_description", !kb->description.Get(lang_).empty());
  }
  d.set("not_in_register", tp.registered == nullptr);
  Data questions = Questions(tp.registered);
  size_t answered = 0;
  for (const Data& q : questions.list_value()) answered += q.get("is_answered")->is_true() ? 1 : 0;
  d.set("answered_n", fmt::format("{}", answered));
  d.set("questions_n", fmt::format("{}", questions.list_value().size()));
  d.set("all_answered", answered == questions.list_value().size());
  d.set("questions", questions);

  Data evidence{Data::type::list};
  Data signals{Data::type::list};
  size_t shown = 0;
  uint64_t total = 0;
  if (tp.detected) {
    for (const EvidenceItem& e : tp.detected->evidence) {
      Data ev;
      ev.set("kind", T(EvidenceKindKey(e.kind)));
      ev.set("value", e.value);
      ev.set("page", e.page);
      ev.set("has_page", !e.page.empty());
      SetOpt(ev, "source", e.har.empty() ? std::string() : fmt::format("{} #{}", e.har, e.entry));
      SetOpt(ev, "signature", Signature(e.signature));
      evidence.push_back(ev);
      ++shown;
    }
    total = tp.detected->evidence_count;
    for (const SignalHit& s : tp.detected->signals) {
      Data sd;
      sd.set("id", s.signal_id);
      sd.set("param", s.param);
      sd.set("data_category", s.data_category);
      sd.set("meaning", SignalMeaning(kb, s.signal_id, lang_));
      signals.push_back(sd);
    }
    d.set("has_implied_by", !tp.detected->implied_by.empty());
    d.set("implied_by", tp.detected->implied_by);
  }
  d.set("evidence", evidence);
  d.set("has_evidence", shown > 0);
  // Short evidence lists are shown open; longer ones are folded (<details>).
  d.set("evidence_open", shown <= kEvidenceOpenMax);
  d.set("evidence_count", fmt::format("{}", total));
  d.set("has_more_evidence", total > shown);
  d.set("more_evidence", fmt::format("{}", total > shown ? total - shown : 0));
  d.set("signals", signals);
  d.set("has_signals", tp.detected && !tp.detected->signals.empty());

  Data claims{Data::type::list};
  if (kb) {
    auto add = [&](std::string_view label_key, std::string_view prefix, const Claim& c) {
      if (c.value.empty()) return;
      Data cd;
      cd.set("label", T(label_key));
      cd.set("value", Label(prefix, c.value));
      SetOpt(cd, "reason", c.reason.Get(lang_));
      cd.set("sources", Sources(c.sources));
      claims.push_back(cd);
    };
    add("claim_role", "role_", kb->role);
    add("claim_consent", "consent_", kb->consent_required);
  }
  d.set("claims", claims);
  d.set("has_claims", kb && (!kb->role.value.empty() || !kb->consent_required.value.empty()));

  Data findings{Data::type::list};
  bool any = false;
  for (size_t i = 0; i < r_.findings.size(); ++i) {
    if (!FindingIsAbout(r_.findings[i], tp)) continue;
    findings.push_back(FindingData(r_.findings[i]));
    used[i] = true;
    any = true;
  }
  d.set("findings", findings);
  d.set("has_findings", any);
  return d;
}

Data Builder::Build() {
  Counts c = CountAll(r_);
  Data root;
  root.set("lang", std::string(lang_));
  // Every UI string: {{t.key}} in the template.
  Data t;
  for (const auto& [key, text] : I18nTable("en")) t.set(key, T(key));
  for (const auto& [key, text] : I18nTable(lang_)) t.set(key, text);
  root.set("t", t);

  std::string org = r_.reg ? r_.reg->organisation.name : std::string();
  root.set("organisation", org.empty() ? T("unknown") : org);
  // No register given (the CLI leaves the source empty): say so in words.
  const bool no_register = !r_.reg || (r_.reg->source.empty() && r_.reg->activities.empty() &&
                                       r_.reg->touchpoints.empty() && r_.reg->processors.empty());
  root.set("no_register", no_register);
  root.set("register_file", r_.reg ? r_.reg->source : std::string());
  root.set("has_register_file", !no_register && !r_.reg->source.empty());
  root.set("generated_at", o_.generated_at);
  root.set("has_generated_at", !o_.generated_at.empty());
  root.set("tool_version", o_.tool_version);
  root.set("has_tool_version", !o_.tool_version.empty());

  const DetectionResult& det = r_.detection;
  Data hars{Data::type::list};
  for (const std::string& h : det.hars) hars.push_back(Data(h));
  root.set("hars", hars);
  root.set("has_hars", !det.hars.empty());
  std::string domains;
  for (const std::string& dname : det.first_party_domains) domains += (domains.empty() ? "" : ", ") + dname;
  root.set("first_party_domains", domains);
  root.set("has_first_party_domains", !domains.empty());
  root.set("scope_counts", fmt::format("{}: {}, {}: {}, {}: {}", T("count_hars"), det.hars.size(),
                                       T("count_pages"), det.pages.size(), T("count_entries"), det.entries));
  if (r_.reg) {
    SetOpt(root, "register_counts",
           fmt::format("{}: {}, {}: {}, {}: {}", T("count_activities"), r_.reg->activities.size(),
                       T("count_processors"), r_.reg->processors.size(), T("count_touchpoints"),
                       r_.reg->touchpoints.size()));
  } else {
    SetOpt(root, "register_counts", "");
  }

  // Two rows of tiles: touchpoint counts, then findings per severity.
  Data tiles{Data::type::list};
  Data sev_tiles{Data::type::list};
  auto tile = [&](Data& list, std::string_view key, size_t n, std::string cls) {
    Data d;
    d.set("label", T(key));
    d.set("value", fmt::format("{}", n));
    d.set("cls", n > 0 ? cls : std::string("zero"));
    list.push_back(d);
  };
  tile(tiles, "sum_detected", c.detected, "neutral");
  tile(tiles, "sum_blind_spots", c.blind_spots, "bad");
  tile(tiles, "sum_not_seen", c.not_seen, "warn");
  for (Severity s : SeveritiesDesc())
    tile(sev_tiles, SeverityKey(s), c.BySeverity(s), std::string(SeverityKey(s)));
  root.set("tiles", tiles);
  root.set("sev_tiles", sev_tiles);

  std::vector<bool> used(r_.findings.size(), false);
  Data blind{Data::type::list};
  Data cards{Data::type::list};
  for (size_t i = 0; i < r_.touchpoints.size(); ++i) {
    const ReconciledTouchpoint& tp = r_.touchpoints[i];
    Data card = Card(tp, i, used);
    if (tp.blind_spot()) {
      const KbEntry* kb = KbOf(tp);
      Data b;
      b.set("anchor", fmt::format("tp-{}", i + 1));
      b.set("name", DisplayName(tp));
      SetOpt(b, "vendor", kb ? kb->vendor.legal_entity : std::string());
      SetOpt(b, "category", kb && !kb->category.empty() ? Label("category_", kb->category) : std::string());
      b.set("evidence_count", fmt::format("{}", tp.detected ? tp.detected->evidence_count : 0));
      b.set("pages", fmt::format("{}", tp.detected ? tp.detected->pages.size() : 0));
      blind.push_back(b);
    }
    cards.push_back(card);
  }
  root.set("blind_spots", blind);
  root.set("has_blind_spots", c.blind_spots > 0);
  root.set("touchpoints", cards);
  root.set("has_touchpoints", !r_.touchpoints.empty());

  // Findings per processing activity: register order, then unknown ids in
  // order of appearance.
  std::vector<std::string> activity_ids;
  if (r_.reg)
    for (const ProcessingActivity& a : r_.reg->activities) activity_ids.push_back(a.id);
  for (const Finding& f : r_.findings)
    if (f.subject_kind == SubjectKind::kActivity &&
        std::find(activity_ids.begin(), activity_ids.end(), f.subject_id) == activity_ids.end())
      activity_ids.push_back(f.subject_id);
  Data activities{Data::type::list};
  for (const std::string& id : activity_ids) {
    Data findings{Data::type::list};
    std::string name;
    for (size_t i = 0; i < r_.findings.size(); ++i) {
      const Finding& f = r_.findings[i];
      if (used[i] || f.subject_kind != SubjectKind::kActivity || f.subject_id != id) continue;
      findings.push_back(FindingData(f));
      if (name.empty()) name = f.subject_name;
      used[i] = true;
    }
    if (findings.list_value().empty()) continue;
    if (r_.reg)
      if (const ProcessingActivity* a = r_.reg->FindActivity(id); a && !a->name.empty()) name = a->name;
    Data ad;
    ad.set("name", name.empty() ? id : name);
    ad.set("id", id);
    ad.set("findings", findings);
    activities.push_back(ad);
  }
  root.set("has_activities", !activities.list_value().empty());
  root.set("activities", activities);

  Data rest{Data::type::list};
  for (size_t i = 0; i < r_.findings.size(); ++i)
    if (!used[i]) rest.push_back(FindingData(r_.findings[i]));
  root.set("has_register_findings", !rest.list_value().empty());
  root.set("register_findings", rest);
  root.set("no_findings", r_.findings.empty());
  return root;
}

}  // namespace

Result<std::string> RenderHtml(const AuditResult& r, const ReportOptions& options) {
  const TemplateParts& parts = Template();
  if (!parts.found) {
    return MakeError(ErrorKind::kInternal, "HTML template is not embedded in this binary",
                     SourceLocation{std::string(kTemplatePath)}, "data/templates/report.html.mustache",
                     "rebuild blindspot; the template is compiled in from data/templates/");
  }
  mu::mustache tmpl(parts.page);
  if (!tmpl.is_valid()) {
    return MakeError(ErrorKind::kInternal, "HTML template does not parse: " + tmpl.error_message(),
                     SourceLocation{std::string(kTemplatePath)});
  }
  Builder builder(r, options);
  Data data = builder.Build();
  const std::string& finding = parts.finding;
  data.set("finding", mu::partial([&finding]() { return finding; }));
  std::string html = tmpl.render(data);
  if (!tmpl.error_message().empty()) {
    return MakeError(ErrorKind::kInternal, "HTML template failed to render: " + tmpl.error_message(),
                     SourceLocation{std::string(kTemplatePath)});
  }
  return html;
}

}  // namespace blindspot::report_internal

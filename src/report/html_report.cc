// HTML report: data/templates/report.html.mustache (embedded) rendered with
// kainjow mustache. Every value goes through {{ }} (HTML-escaped); only
// http(s) URLs of sources / privacy statements become links. The page loads
// nothing: no scripts, external styles, fonts or images.
//
// Compact: a finding shows its rule's title, the subject and the specific
// detail; each rule's explanation, remediation and sources are shown once, in
// the "rules" section the findings link to. Findings are grouped by subject
// once (FindingIndex), so the page is linear in the size of the audit.
#include <fmt/core.h>

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <unordered_map>
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

// The template file holds the page, then parts that each start with a
// "{{! ==== part: <name> ==== }}" comment: card, product, finding (one file,
// so the template stays a single embedded asset).
struct TemplateParts {
  bool found = false;
  std::string page, card, product, finding;
  std::vector<std::string> ui_keys;  // the t.<key> tags of card, product and finding
};

const TemplateParts& Template() {
  static const TemplateParts parts = [] {
    TemplateParts p;
    for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      if (kDataFiles[i].path != kTemplatePath) continue;
      std::string_view text = kDataFiles[i].data;
      p.found = true;
      auto part = [&](std::string_view name) -> std::pair<size_t, size_t> {
        std::string marker = "{{! ==== part: " + std::string(name) + " ==== }}";
        size_t at = text.find(marker);
        return {at, at == std::string_view::npos ? at : at + marker.size()};
      };
      auto [card_at, card_from] = part("card");
      auto [product_at, product_from] = part("product");
      auto [finding_at, finding_from] = part("finding");
      p.page = std::string(text.substr(0, card_at));
      if (card_at != std::string_view::npos) p.card = std::string(text.substr(card_from, product_at - card_from));
      if (product_at != std::string_view::npos)
        p.product = std::string(text.substr(product_from, finding_at - product_from));
      if (finding_at != std::string_view::npos) p.finding = std::string(text.substr(finding_from));
      for (const std::string* t : {&p.card, &p.product, &p.finding}) {
        for (size_t at = t->find("{{t."); at != std::string::npos; at = t->find("{{t.", at + 4)) {
          size_t end = t->find("}}", at);
          std::string key = t->substr(at + 4, end - at - 4);
          if (std::find(p.ui_keys.begin(), p.ui_keys.end(), key) == p.ui_keys.end()) p.ui_keys.push_back(key);
        }
      }
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
  Builder(const AuditResult& r, const ReportOptions& o) : r_(r), o_(o), t_(o.lang), index_(r) {}

  Data Build();

 private:
  const std::string& T(MessageId id) const { return t_.T(id); }

  Data Sources(const std::vector<Source>& sources) const;
  Data FindingData(size_t i);
  Data Part(MessageId label, std::string value, bool link = false) const;
  Data PartNoLabel(std::string value) const;
  Data YesNoPart(MessageId label, const std::optional<bool>& b) const;
  Data Question(MessageId q, Data parts, bool unregistered) const;
  Data Questions(const Touchpoint* t) const;
  Data Card(const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used);
  Data Product(const KbEntry& kb) const;
  // The UI strings the card, product and finding templates use.
  Data PartTexts() const;

  const AuditResult& r_;
  const ReportOptions& o_;
  Texts t_;
  FindingIndex index_;
  std::vector<std::string> rules_used_;  // first-use order
 public:
  std::string error_;  // a template error while rendering a part
 private:
  std::unordered_set<std::string> rules_seen_;
};

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

Data Builder::FindingData(size_t i) {
  const Finding& f = r_.findings[i];
  const RuleMeta* rule = t_.catalog().FindRule(f.rule_id);
  if (rules_seen_.insert(f.rule_id).second) rules_used_.push_back(f.rule_id);
  Data d;
  d.set("rule_id", f.rule_id);
  d.set("sev_cls", "sev_" + std::string(ToString(f.severity)));
  d.set("sev_label", t_.Term("severity", ToString(f.severity)));
  d.set("title", rule ? rule->title.Get(t_.lang()) : f.rule_id);
  std::string subject = t_.Term("subject_kind", ToString(f.subject_kind));
  if (!f.subject_name.empty()) {
    subject += ": " + f.subject_name;
    if (!f.subject_id.empty() && f.subject_id != f.subject_name) subject += " (" + f.subject_id + ")";
  } else if (!f.subject_id.empty()) {
    subject += ": " + f.subject_id;
  }
  d.set("subject", subject);
  std::string detail = t_.R(f.detail);
  d.set("has_detail", !detail.empty());
  d.set("detail", std::move(detail));
  std::string where = Location(f, r_, o_);
  d.set("location", where);
  d.set("has_location", !where.empty());
  SetOpt(d, "path", f.path);
  return d;
}

Data Builder::Part(MessageId label, std::string value, bool link) const {
  Data d;
  d.set("has_label", true);
  d.set("label", T(label));
  d.set("answered", !value.empty());
  d.set("is_link", link && IsWebUrl(value));
  d.set("value", std::move(value));
  return d;
}

Data Builder::PartNoLabel(std::string value) const {
  Data d;
  d.set("has_label", false);
  d.set("label", std::string());
  d.set("answered", !value.empty());
  d.set("is_link", false);
  d.set("value", std::move(value));
  return d;
}

Data Builder::YesNoPart(MessageId label, const std::optional<bool>& b) const {
  return Part(label, b ? t_.Term("yes_no", *b ? "yes" : "no") : std::string());
}

// One row of the questions table. `q_state` is "all", "some" or "none" (a
// CSS class). For a touchpoint that is not in the register the row holds a
// single "not answered" instead of one per sub-answer.
Data Builder::Question(MessageId q, Data parts, bool unregistered) const {
  size_t n = 0, yes = 0;
  for (const Data& p : parts.list_value()) {
    ++n;
    if (p.get("answered")->is_true()) ++yes;
  }
  if (unregistered) {
    parts = Data{Data::type::list};
    parts.push_back(PartNoLabel(std::string()));
  }
  Data d;
  d.set("question", T(q));
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
    return value.empty() && b.has_value() && !*b ? T(ui::not_applicable) : value;
  };
  Data list{Data::type::list};
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart(ui::a_in_use, a.in_use));
    parts.push_back(Part(ui::a_since, follow_up(a.in_use, a.in_use_since)));
    list.push_back(Question(ui::q_in_use, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart(ui::a_stored_by_us, a.stored_by_us));
    parts.push_back(Part(ui::a_where, follow_up(a.stored_by_us, a.stored_by_us_where)));
    list.push_back(Question(ui::q_stored_by_us, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(YesNoPart(ui::a_stored_by_vendor, a.stored_by_vendor));
    parts.push_back(Part(ui::a_vendor_details, follow_up(a.stored_by_vendor, a.stored_by_vendor_details)));
    list.push_back(Question(ui::q_stored_by_vendor, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part(ui::a_statement, a.informed_statement, /*link=*/true));
    parts.push_back(Part(ui::a_section, a.informed_section));
    list.push_back(Question(ui::q_informed, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(PartNoLabel(join(a.data_collected)));
    list.push_back(Question(ui::q_data, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(Part(ui::a_basis, a.lawful_basis ? t_.Term("lawful_basis", ToString(*a.lawful_basis)) : std::string()));
    parts.push_back(Part(ui::a_necessity, a.necessity));
    parts.push_back(Part(ui::a_subsidiarity, a.subsidiarity));
    parts.push_back(Part(ui::a_proportionality, a.proportionality));
    list.push_back(Question(ui::q_lawful, parts, unreg));
  }
  {
    Data parts{Data::type::list};
    parts.push_back(PartNoLabel(join(a.security_measures)));
    list.push_back(Question(ui::q_security, parts, unreg));
  }
  return list;
}

Data Builder::Card(const ReconciledTouchpoint& tp, size_t index, std::vector<bool>& used) {
  const KbEntry* kb = KbOf(tp);
  Data d;
  d.set("anchor", fmt::format("tp-{}", index + 1));
  d.set("name", DisplayName(tp));
  d.set("status_cls", std::string(StatusId(tp)));
  d.set("status_label", t_.Term("touchpoint_status", StatusId(tp)));
  std::string channel = kb ? kb->channel : std::string();
  if (channel.empty() && tp.registered) channel = tp.registered->channel;
  // "Category: x · channel: y · kb: id · register id: id", skipping empty ones.
  Data meta{Data::type::list};
  auto add_meta = [&](MessageId label, const std::string& value, bool code) {
    if (value.empty()) return;
    Data m;
    m.set("sep", !meta.list_value().empty());
    m.set("label", T(label));
    m.set("value", value);
    m.set("code", code);
    meta.push_back(m);
  };
  add_meta(ui::col_category, kb && !kb->category.empty() ? t_.Term("kb_category", kb->category) : std::string(), false);
  add_meta(ui::channel, channel.empty() ? channel : t_.Term("channel", channel), false);
  add_meta(ui::kb_entry, tp.kb_id, true);
  add_meta(ui::register_id, tp.registered ? tp.registered->id : std::string(), true);
  d.set("meta", meta);
  d.set("has_vendor", kb && !kb->vendor.legal_entity.empty());
  if (kb) {
    d.set("vendor_entity", kb->vendor.legal_entity);
    SetOpt(d, "vendor_country", kb->vendor.country);
    d.set("processing_country", kb->vendor.processing_country);
    d.set("has_processing_country", !kb->vendor.processing_country.empty());
    d.set("transfer", t_.Term("transfer_safeguard", ToString(kb->vendor.transfer_mechanism)));
    d.set("has_transfer", true);
    d.set("product_anchor", "kb-" + kb->id);
  } else {
    d.set("product_anchor", false);
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
      ev.set("kind", t_.Term("evidence_kind", ToString(e.kind)));
      ev.set("value", EvidenceValue(e));
      ev.set("page", e.page);
      ev.set("has_page", !e.page.empty());
      SetOpt(ev, "source", e.source.empty() ? std::string() : fmt::format("{} #{}", e.source, e.entry));
      SetOpt(ev, "signature", EvidenceSignature(e, t_));
      evidence.push_back(ev);
      ++shown;
    }
    total = tp.detected->evidence_count;
    for (const SignalHit& s : tp.detected->signals) {
      Data sd;
      sd.set("id", s.signal_id);
      sd.set("param", s.param);
      sd.set("data_category", s.data_category);
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

  Data findings{Data::type::list};
  std::vector<size_t> about = index_.About(tp);
  for (size_t i : about) {
    findings.push_back(FindingData(i));
    used[i] = true;
  }
  d.set("findings", findings);
  d.set("has_findings", !about.empty());
  return d;
}

Data Builder::Product(const KbEntry& kb) const {
  Data d;
  d.set("anchor", "kb-" + kb.id);
  d.set("kb_id", kb.id);
  d.set("name", kb.name.empty() ? kb.id : kb.name);
  d.set("vendor_entity", kb.vendor.legal_entity);
  SetOpt(d, "vendor_country", kb.vendor.country);
  d.set("processing_country", kb.vendor.processing_country);
  d.set("has_processing_country", !kb.vendor.processing_country.empty());
  d.set("transfer", t_.Term("transfer_safeguard", ToString(kb.vendor.transfer_mechanism)));
  SetOpt(d, "category", kb.category.empty() ? std::string() : t_.Term("kb_category", kb.category));
  SetOpt(d, "channel", kb.channel.empty() ? std::string() : t_.Term("channel", kb.channel));
  SetOpt(d, "description", t_.Kb(kb.description));
  Data signals{Data::type::list};
  for (const DataSignal& ds : kb.data_signals) {
    Data sd;
    sd.set("id", ds.id);
    sd.set("param", ds.param);
    sd.set("data_category", ds.data_category);
    sd.set("meaning", t_.Kb(ds.meaning));
    signals.push_back(sd);
  }
  d.set("has_signals", !kb.data_signals.empty());
  d.set("signals", signals);
  Data claims{Data::type::list};
  auto add = [&](MessageId label, std::string value, const LocalizedText& reason, const std::vector<Source>& srcs) {
    Data cd;
    cd.set("label", T(label));
    cd.set("value", std::move(value));
    SetOpt(cd, "reason", t_.Kb(reason));
    cd.set("sources", Sources(srcs));
    claims.push_back(cd);
  };
  add(ui::claim_role, t_.Term("vendor_role", ToString(kb.role.value)), kb.role.reason, kb.role.sources);
  add(ui::claim_consent, t_.Term("yes_no", kb.consent_required.value ? "yes" : "no"), kb.consent_required.reason,
      kb.consent_required.sources);
  d.set("claims", claims);
  return d;
}

Data Builder::PartTexts() const {
  Data t;
  const TextCatalog& cat = t_.catalog();
  for (const std::string& key : Template().ui_keys)
    if (const std::string* s = cat.Template(t_.lang(), "ui." + key)) t.set(key, *s);
  return t;
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
  Data term;
  {
    Data st;
    for (const char* v : {"blind_spot", "registered", "not_seen"}) st.set(v, t_.Term("touchpoint_status", v));
    term.set("touchpoint_status", st);
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
  tile(tiles, T(ui::sum_not_seen), c.not_seen, "warn");
  for (Severity s : SeveritiesDesc())
    tile(sev_tiles, t_.Term("severity", ToString(s)), c.BySeverity(s), "sev_" + std::string(ToString(s)));
  root.set("tiles", tiles);
  root.set("sev_tiles", sev_tiles);

  std::vector<bool> used(r_.findings.size(), false);
  Data blind{Data::type::list};
  // Each card is rendered on its own (one small data tree at a time) and the
  // HTML put into the page: memory stays near the size of the page.
  const TemplateParts& parts = Template();
  mu::mustache card_tmpl(parts.card);
  Data texts = PartTexts();
  auto finding_partial = mu::partial([&parts]() { return parts.finding; });
  std::string cards;
  std::vector<const KbEntry*> products;
  for (size_t i = 0; i < r_.touchpoints.size(); ++i) {
    const ReconciledTouchpoint& tp = r_.touchpoints[i];
    Data card = Card(tp, i, used);
    card.set("t", texts);
    card.set("finding", finding_partial);
    cards += card_tmpl.render(card);
    if (!card_tmpl.error_message().empty()) error_ = card_tmpl.error_message();
    const KbEntry* kb = KbOf(tp);
    if (kb && std::find(products.begin(), products.end(), kb) == products.end()) products.push_back(kb);
    if (tp.blind_spot()) {
      Data b;
      b.set("anchor", fmt::format("tp-{}", i + 1));
      b.set("name", DisplayName(tp));
      SetOpt(b, "vendor", kb ? kb->vendor.legal_entity : std::string());
      SetOpt(b, "category", kb && !kb->category.empty() ? t_.Term("kb_category", kb->category) : std::string());
      b.set("evidence_count", fmt::format("{}", tp.detected ? tp.detected->evidence_count : 0));
      b.set("pages", fmt::format("{}", tp.detected ? tp.detected->pages.size() : 0));
      blind.push_back(b);
    }
  }
  std::sort(products.begin(), products.end(), [](const KbEntry* a, const KbEntry* b) { return a->id < b->id; });
  mu::mustache product_tmpl(parts.product);
  std::string products_html;
  for (const KbEntry* kb : products) {
    Data pd = Product(*kb);
    pd.set("t", texts);
    products_html += product_tmpl.render(pd);
  }
  root.set("cards", std::move(cards));
  root.set("products", std::move(products_html));
  root.set("has_products", !products.empty());
  root.set("blind_spots", blind);
  root.set("has_blind_spots", c.blind_spots > 0);
  root.set("has_touchpoints", !r_.touchpoints.empty());

  // Findings per processing activity, in register order.
  Data activities{Data::type::list};
  for (const ProcessingActivity& a : r_.reg->activities) {
    const std::vector<size_t>& idx = index_.OfSubject(SubjectKind::kActivity, a.id);
    Data findings{Data::type::list};
    for (size_t i : idx) {
      if (used[i]) continue;
      findings.push_back(FindingData(i));
      used[i] = true;
    }
    if (findings.list_value().empty()) continue;
    Data ad;
    ad.set("name", a.name.empty() ? a.id : a.name);
    ad.set("id", a.id);
    ad.set("findings", findings);
    activities.push_back(ad);
  }
  root.set("has_activities", !activities.list_value().empty());
  root.set("activities", activities);

  Data rest{Data::type::list};
  for (size_t i = 0; i < r_.findings.size(); ++i)
    if (!used[i]) rest.push_back(FindingData(i));
  root.set("has_register_findings", !rest.list_value().empty());
  root.set("register_findings", rest);
  root.set("no_findings", r_.findings.empty());

  // Each rule with findings once: what it checks, what to do, on what it rests.
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
  const TemplateParts& parts = Template();
  if (!parts.found || parts.card.empty() || parts.product.empty() || parts.finding.empty()) {
    return MakeError(ErrorKind::kInternal, "HTML template is not embedded in this binary or lacks a part",
                     SourceLocation{std::string(kTemplatePath)}, "data/templates/report.html.mustache",
                     "rebuild blindspot; the template is compiled in from data/templates/");
  }
  for (const std::string* t : {&parts.page, &parts.card, &parts.product, &parts.finding}) {
    mu::mustache check(*t);
    if (!check.is_valid())
      return MakeError(ErrorKind::kInternal, "HTML template does not parse: " + check.error_message(),
                       SourceLocation{std::string(kTemplatePath)});
  }
  mu::mustache tmpl(parts.page);
  Builder builder(*in.audit, in.options);
  Data data = builder.Build();
  const std::string& finding = parts.finding;
  data.set("finding", mu::partial([&finding]() { return finding; }));
  std::string html = tmpl.render(data);
  if (!tmpl.error_message().empty() || !builder.error_.empty()) {
    return MakeError(ErrorKind::kInternal,
                     "HTML template failed to render: " + (builder.error_.empty() ? tmpl.error_message() : builder.error_),
                     SourceLocation{std::string(kTemplatePath)});
  }
  return html;
}

}  // namespace blindspot::report_internal

// Helpers shared by the rule checks (see rule.h).
#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "audit/ascii.h"
#include "audit/record_text.h"
#include "audit/rule.h"
#include "blindspot/fideslang.h"

namespace blindspot {

std::vector<const ProcessingActivity*> AuditContext::ActivitiesOf(const Touchpoint& tp) const {
  std::vector<const ProcessingActivity*> out;
  for (const std::string& id : tp.activities)
    if (const ProcessingActivity* a = Activity(id)) out.push_back(a);
  return out;
}

Finding AuditContext::Make(SubjectKind kind, std::string subject_id, std::string subject_name, Message detail,
                           std::string path) const {
  Finding f;
  f.rule_id = rule->id;
  f.severity = rule->severity;
  f.base_severity = rule->severity;
  f.subject_kind = kind;
  f.subject_id = std::move(subject_id);
  f.subject_name = std::move(subject_name);
  f.detail = std::move(detail);
  f.path = std::move(path);
  return f;
}

namespace audit {

// A legal entity or product name without legal form, brackets, punctuation
// and case: "The Rocket Science Group LLC (Intuit Mailchimp)" and "The Rocket
// Science Group, LLC" are both "the rocket science group".
std::string CompanyKey(std::string_view name) {
  std::string cut;
  int depth = 0;
  for (char c : name) {
    if (c == '(') ++depth;
    if (depth == 0) cut += c;
    if (c == ')' && depth > 0) --depth;
  }
  std::vector<std::string> words;
  std::string w;
  auto flush = [&] {
    static const std::set<std::string> kForms = {
        "llc", "inc",  "ltd",         "limited", "bv",      "nv", "gmbh", "ag", "sa", "sas", "sarl", "srl",
        "plc", "corp", "corporation", "co",      "company", "kg", "ab",   "as", "oy", "spa", "sl"};
    if (!w.empty() && !kForms.count(w)) words.push_back(w);
    w.clear();
  };
  for (char c : cut) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80)
      w += static_cast<char>(std::tolower(u));
    else if (c != '.')
      flush();
  }
  flush();
  std::string out;
  for (const std::string& x : words) out += (out.empty() ? "" : " ") + x;
  return out;
}

// Whether two keys share a word ("twilio sendgrid" and "sendgrid").
bool ShareWord(const std::string& a, const std::string& b) {
  std::set<std::string> words;
  for (size_t i = 0, j; i < a.size(); i = j + 1) {
    j = a.find(' ', i);
    if (j == std::string::npos) j = a.size();
    words.insert(a.substr(i, j - i));
  }
  for (size_t i = 0, j; i < b.size(); i = j + 1) {
    j = b.find(' ', i);
    if (j == std::string::npos) j = b.size();
    if (words.count(b.substr(i, j - i))) return true;
  }
  return false;
}

bool IsListUpload(const AuditContext& ctx, const Touchpoint& tp) {
  if (tp.answers.in_use == false) return false;
  if (!tp.audience_list.empty()) return true;
  const KbEntry* e = tp.product.empty() ? nullptr : ctx.kb.Find(tp.product);
  return e && e->category == "custom-audience";
}

std::string ProductName(const AuditContext& ctx, const Touchpoint& tp) {
  if (const KbEntry* e = tp.product.empty() ? nullptr : ctx.kb.Find(tp.product)) return e->name;
  return tp.product.empty() ? DisplayName(tp) : tp.product;
}

namespace {
// A key deprecated in the fideslang taxonomy counts as the key that replaced it.
std::string_view Current(std::string_view key) {
  const TaxonomyEntry* e = FindDataCategory(key);
  return e && !e->replaced_by.empty() ? e->replaced_by : key;
}
}  // namespace

bool CategoryCovered(std::string_view category_in, const std::vector<std::string>& declared) {
  std::string_view category = Current(category_in);
  for (const std::string& declared_key : declared) {
    std::string_view d = Current(declared_key);
    if (d == category) return true;
    if (category.size() > d.size() && category.substr(0, d.size()) == d && category[d.size()] == '.')
      return true;
  }
  return false;
}

std::string DisplayName(const Touchpoint& tp) { return tp.name.empty() ? tp.id : tp.name; }
std::string DisplayName(const ProcessingActivity& a) { return a.name.empty() ? a.id : a.name; }
std::string DisplayName(const Processor& p) { return p.name.empty() ? p.id : p.name; }
std::string ProductName(const ReconciledTouchpoint& row) {
  return row.kb && !row.kb->name.empty() ? row.kb->name : row.kb_id;
}

void AddDeclaredCategories(const AuditContext& ctx, const Touchpoint& tp,
                           std::vector<std::string>& declared) {
  declared.insert(declared.end(), tp.answers.data_collected.begin(), tp.answers.data_collected.end());
  for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
    declared.insert(declared.end(), a->data_categories.begin(), a->data_categories.end());
    for (const SpecialCategory& sc : a->special_categories) declared.push_back(sc.category);
  }
}

// An HTML marker ("wa.me/" in a page) is no traffic either: a touchpoint seen
// only through links and markers counts as link-only.
bool LinkOnly(const DetectedTouchpoint& d) {
  if (d.evidence.empty() || !d.signals.empty() || !d.carried.empty()) return false;
  return std::all_of(d.evidence.begin(), d.evidence.end(), [](const EvidenceItem& e) {
    return e.kind == EvidenceKind::kLink || e.kind == EvidenceKind::kHtmlMarker;
  });
}

void RaiseSeverity(Finding& f, std::string_view reason) {
  // Only a change is recorded: a finding already high stays as it is.
  if (f.severity == Severity::kHigh) return;
  f.severity_context.emplace_back(reason);
  f.severity = static_cast<Severity>(static_cast<int>(f.severity) + 1);
}

void RaiseSeverity(Finding& f, const std::vector<std::string_view>& reasons) {
  if (reasons.empty() || f.severity == Severity::kHigh) return;
  for (std::string_view r : reasons) f.severity_context.emplace_back(r);
  f.severity = static_cast<Severity>(static_cast<int>(f.severity) + 1);
}

namespace {
void AddOnce(std::vector<std::string_view>& out, std::string_view v) {
  if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}
}  // namespace

std::vector<std::string_view> StakesInContext(const AuditContext& ctx, const ProcessingActivity& a) {
  std::vector<std::string_view> out = StakesOf(a);
  if (ctx.reg.organisation.public_body) out.push_back("public_body");
  if (a.large_scale) out.push_back("large_scale");
  return out;
}

std::vector<std::string_view> StakesInContext(const AuditContext& ctx, const ReconciledTouchpoint& row) {
  std::vector<std::string_view> found;
  if (row.registered)
    for (const ProcessingActivity* a : ctx.ActivitiesOf(*row.registered))
      for (std::string_view s : StakesInContext(ctx, *a)) AddOnce(found, s);
  if (row.detected)
    for (const CarriedData& c : row.detected->carried)
      if (c.kind == CarriedKind::kSensitiveTerm) AddOnce(found, "special_category");
  if (ctx.reg.organisation.public_body) AddOnce(found, "public_body");
  // In vocabulary order, whatever the order found.
  std::vector<std::string_view> out;
  for (std::string_view v : {"special_category", "children", "public_body", "large_scale"})
    if (std::find(found.begin(), found.end(), v) != found.end()) out.push_back(v);
  return out;
}

bool SeenSending(const ReconciledTouchpoint& row) {
  return row.detected && !row.detected->inferred() && !LinkOnly(*row.detected);
}

bool SeenSendingFor(const AuditContext& ctx, const ProcessingActivity& a) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !SeenSending(row)) continue;
    const auto& acts = row.registered->activities;
    if (std::find(acts.begin(), acts.end(), a.id) != acts.end()) return true;
  }
  return false;
}

bool SeenSendingTo(const AuditContext& ctx, const Processor& p) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints)
    if (row.registered && !row.registered->vendor.empty() && row.registered->vendor == p.id &&
        SeenSending(row))
      return true;
  return false;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

namespace {
bool ContainsAny(std::string_view subject, std::initializer_list<std::string_view> words) {
  std::string l = AsciiLower(subject);
  for (std::string_view w : words)
    if (l.find(w) != std::string::npos) return true;
  return false;
}
}  // namespace

bool NamesChildren(std::string_view subject) {
  return ContainsAny(subject, {"child", "minor", "kind", "jeugd", "leerling", "pupil", "scholier", "schüler",
                               "jugendlich", "teenager"});
}
bool NamesEmployees(std::string_view subject) {
  return ContainsAny(subject, {"employee", "staff", "personnel", "werknemer", "medewerker", "personeel",
                               "sollicitant", "applicant", "mitarbeiter", "beschäftigte", "arbeitnehmer"});
}

std::vector<std::string_view> StakesOf(const ProcessingActivity& a) {
  std::vector<std::string_view> out;
  bool special = !a.special_categories.empty() ||
                 std::any_of(a.data_categories.begin(), a.data_categories.end(),
                             [](const std::string& k) { return IsSpecialCategoryKey(k); });
  if (special) out.push_back("special_category");
  if (std::any_of(a.data_subjects.begin(), a.data_subjects.end(),
                  [](const std::string& s) { return NamesChildren(s); }))
    out.push_back("children");
  return out;
}

DpiaCriteria DpiaCriteriaOf(const AuditContext& ctx, const ProcessingActivity& a) {
  DpiaCriteria c;
  auto any_key = [&](auto pred) {
    return std::any_of(a.data_categories.begin(), a.data_categories.end(), pred);
  };
  auto is_biometric = [](const std::string& k) {
    return CategoryCovered(k, {"user.biometric", "user.biometrics", "user.authorization.biometric",
                               "user.authorization.biometrics"});
  };
  bool genetic = any_key([](const std::string& k) { return k.find("genetic") != std::string::npos; });
  for (const SpecialCategory& sc : a.special_categories)
    if (sc.category.find("genetic") != std::string::npos) genetic = true;
  bool biometric = any_key(is_biometric);
  for (const SpecialCategory& sc : a.special_categories)
    if (is_biometric(sc.category)) biometric = true;
  bool sensitive = a.criminal_data.has_value() || a.national_id.has_value() ||
                   !a.special_categories.empty() || any_key([](const std::string& k) {
                     return IsSpecialCategoryKey(k) ||
                            CategoryCovered(k, {"user.criminal_history", "user.financial", "user.location",
                                                "user.government_id.national_identification_number"});
                   });
  bool vulnerable = std::any_of(a.data_subjects.begin(), a.data_subjects.end(),
                                [](const std::string& s) { return NamesChildren(s) || NamesEmployees(s); });
  bool employees = std::any_of(a.data_subjects.begin(), a.data_subjects.end(),
                               [](const std::string& s) { return NamesEmployees(s); });
  // The kb categories of the activity's registered touchpoints.
  static constexpr std::array<std::string_view, 8> kMonitoring = {
      "advertising-pixel", "custom-audience",     "conversion-tracking", "retargeting", "dmp",
      "session-recording", "identity-resolution", "data-broker"};
  static constexpr std::array<std::string_view, 5> kProfiling = {"custom-audience", "retargeting", "dmp",
                                                                 "identity-resolution", "data-broker"};
  static constexpr std::array<std::string_view, 5> kCombining = {
      "custom-audience", "dmp", "customer-data-platform", "identity-resolution", "data-broker"};
  static constexpr std::array<std::string_view, 4> kObservation = {"session-recording", "custom-audience",
                                                                   "retargeting", "dmp"};
  auto in = [](const auto& list, std::string_view v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  bool monitoring = false, profiling = false, combining = false, observation = false;
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    if (std::find(tp.activities.begin(), tp.activities.end(), a.id) == tp.activities.end()) continue;
    if (tp.answers.in_use == false) continue;
    const KbEntry* e = ctx.kb.Find(tp.product);
    if (!e) continue;
    monitoring = monitoring || in(kMonitoring, e->category);
    profiling = profiling || in(kProfiling, e->category);
    combining = combining || in(kCombining, e->category);
    observation = observation || in(kObservation, e->category);
  }
  bool profiling_use = false;
  for (const Purpose& p : a.purposes)
    for (const std::string& u : p.data_uses)
      if (u.find("profiling") != std::string::npos) profiling_use = true;
  if (profiling || profiling_use) c.wp248.push_back("wp248_evaluation_scoring");
  if (monitoring) c.wp248.push_back("wp248_systematic_monitoring");
  if (sensitive) c.wp248.push_back("wp248_sensitive_data");
  if (combining) c.wp248.push_back("wp248_combining_datasets");
  if (vulnerable) c.wp248.push_back("wp248_vulnerable_subjects");
  if (biometric) c.wp248.push_back("wp248_new_technology");
  if (genetic) c.ap.push_back("ap_genetic_data");
  if (biometric) c.ap.push_back("ap_biometric_data");
  if (employees && monitoring) c.ap.push_back("ap_employee_monitoring");
  if (profiling_use) c.ap.push_back("ap_profiling");
  if (observation) c.ap.push_back("ap_behaviour_observation");
  return c;
}

std::string JoinParams(const ImplyingSignal& s) {
  std::string out;
  for (const std::string& p : s.params) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::vector<ImplyingSignal> ImplyingSignals(const DetectedTouchpoint& d) {
  std::vector<ImplyingSignal> out;
  for (const EvidenceItem& e : d.evidence) {
    if (e.kind != EvidenceKind::kSignal) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const ImplyingSignal& s) {
      return s.via == e.via && s.signal_id == e.signal_id;
    });
    if (it == out.end()) it = out.insert(out.end(), ImplyingSignal{e.via, e.signal_id, {}});
    if (std::find(it->params.begin(), it->params.end(), e.signal_param) == it->params.end())
      it->params.push_back(e.signal_param);
  }
  return out;
}

Message LocationMessage(std::string_view loc) {
  // The pieces, in order: plain text, or a word before a number.
  std::vector<Message> pieces;
  std::string plain;
  auto word_at = [&](size_t i, std::string_view w) {
    return loc.substr(i).starts_with(w) &&
           (i == 0 || !std::isalpha(static_cast<unsigned char>(loc[i - 1]))) &&
           i + w.size() + 1 < loc.size() && loc[i + w.size()] == ' ' &&
           std::isdigit(static_cast<unsigned char>(loc[i + w.size() + 1]));
  };
  for (size_t i = 0; i < loc.size();) {
    MessageId id{};
    size_t len = 0;
    if (word_at(i, "line"))
      id = ui::loc_line, len = 4;
    else if (word_at(i, "record"))
      id = ui::loc_record, len = 6;
    else if (word_at(i, "row"))
      id = ui::loc_row, len = 3;
    if (len == 0) {
      plain += loc[i++];
      continue;
    }
    if (!plain.empty()) pieces.push_back(Message(ui::loc_text).Text("text", std::move(plain))), plain.clear();
    size_t j = i + len + 1;
    while (j < loc.size() && std::isdigit(static_cast<unsigned char>(loc[j]))) ++j;
    pieces.push_back(Message(id).Text("n", std::string(loc.substr(i + len + 1, j - i - len - 1))));
    i = j;
  }
  if (!plain.empty()) pieces.push_back(Message(ui::loc_text).Text("text", std::move(plain)));
  if (pieces.empty()) return Message(ui::loc_text).Text("text", "");
  // Joined from the end: {a}{b} with b the rest.
  Message out = std::move(pieces.back());
  for (size_t k = pieces.size() - 1; k-- > 0;)
    out = Message(ui::loc_join).Sub("a", std::move(pieces[k])).Sub("b", std::move(out));
  return out;
}

Message TagSettings(const EvidenceItem& e) {
  if (e.kind != EvidenceKind::kRecord || e.params.empty()) return Message();
  auto attr = [&](std::string_view name) {
    for (const std::string& p : e.params)
      if (p.size() > name.size() + 1 && p.starts_with(name) && p[name.size()] == '=')
        return p.substr(name.size() + 1);
    return std::string("none");
  };
  return Message(ui::evidence_tag)
      .Text("consent", attr("consent"))
      .Text("tag_id", attr("tag_id"))
      .Text("user_data", attr("user_data"));
}

std::vector<MessageArg> RecordItems(const DetectedTouchpoint& d, size_t max) {
  std::vector<const EvidenceItem*> records;
  for (const EvidenceItem& e : d.evidence)
    if (e.kind == EvidenceKind::kRecord) records.push_back(&e);
  std::stable_sort(records.begin(), records.end(), [](const EvidenceItem* a, const EvidenceItem* b) {
    return static_cast<int>(a->proof) < static_cast<int>(b->proof);
  });
  std::vector<MessageArg> out;
  for (const EvidenceItem* e : records) {
    if (out.size() >= max) break;
    Message dates;
    if (!e->first_date.empty())
      dates =
          Message(msg::BS001::record_dates)
              .Text("first", e->first_date)
              .Text("last", e->last_date.empty() || e->last_date == e->first_date ? "none" : e->last_date);
    Message loc;
    if (!e->location.empty())
      loc = Message(msg::BS001::record_location).Sub("location", LocationMessage(e->location));
    if (Message tag = TagSettings(*e); !tag.empty())
      loc = Message(msg::BS001::record_tag).Sub("location", loc).Sub("tag", tag);
    out.push_back(MessageItem(Message(msg::BS001::record)
                                  .Term("kind", "record_kind", ToString(e->record_kind))
                                  .Text("subject", e->subject.empty() ? e->signature : e->subject)
                                  .Term("proof", "record_proof", ToString(e->proof))
                                  .Sub("dates", dates)
                                  .Text("source", e->source)
                                  .Sub("location", loc)));
  }
  return out;
}

std::vector<LawfulBasis> RegisteredBases(const AuditContext& ctx, const Touchpoint& tp, bool* from_answer) {
  std::vector<LawfulBasis> bases;
  *from_answer = tp.answers.lawful_basis.has_value();
  if (*from_answer) {
    bases.push_back(*tp.answers.lawful_basis);
    return bases;
  }
  for (const ProcessingActivity* a : ctx.ActivitiesOf(tp))
    for (const Purpose& p : a->purposes)
      if (p.lawful_basis && std::find(bases.begin(), bases.end(), *p.lawful_basis) == bases.end())
        bases.push_back(*p.lawful_basis);
  return bases;
}

bool RegisteredWithConsent(const AuditContext& ctx, const Touchpoint& tp) {
  bool from_answer = false;
  auto bases = RegisteredBases(ctx, tp, &from_answer);
  return std::find(bases.begin(), bases.end(), LawfulBasis::kConsent) != bases.end();
}

std::vector<PhaseObservations> Observations(const AuditContext& ctx) {
  std::vector<PhaseObservations> out;
  for (const EvidenceSourceInfo& s : ctx.detection.sources)
    if (s.observations) out.push_back({s.observations.get(), s.phase, s.name});
  return out;
}

std::vector<MessageArg> SourcesIn(const AuditContext& ctx, ConsentPhase phase) {
  std::vector<MessageArg> out;
  for (const EvidenceSourceInfo& s : ctx.detection.sources)
    if (s.phase == phase) out.push_back(TextItem(s.name));
  return out;
}

std::vector<std::vector<PhaseObservations>> ObservationsPerScan(const AuditContext& ctx) {
  std::vector<std::vector<PhaseObservations>> out;
  for (PhaseObservations& o : Observations(ctx)) {
    bool again = !out.empty() && std::any_of(out.back().begin(), out.back().end(),
                                             [&](const PhaseObservations& x) { return x.phase == o.phase; });
    if (out.empty() || again) out.emplace_back();
    out.back().push_back(std::move(o));
  }
  return out;
}

namespace {
template <class Pred>
const KbEntry* FindCookieOwner(const Kb& kb, std::string_view name, Pred pred) {
  for (const KbEntry& e : kb.entries()) {
    if (!pred(e)) continue;
    for (const auto* list : {&e.signatures.cookies, &e.signatures.first_party_cookies})
      for (const std::string& pattern : *list)
        if (GlobMatch(pattern, name)) return &e;
  }
  return nullptr;
}
}  // namespace

BannerSubject BannerOf(const AuditContext& ctx, const ScanObservations& scan, const std::string& source) {
  const std::string& cmp = scan.consent.consent_manager;
  if (!cmp.empty()) {
    std::string want = AsciiLower(cmp);
    for (const KbEntry& e : ctx.kb.entries())
      if (e.category == "consent-management" && (AsciiLower(e.id) == want || AsciiLower(e.name) == want))
        return {e.id, e.name};
    return {want, cmp};
  }
  std::string site =
      ctx.detection.first_party_domains.empty() ? source : ctx.detection.first_party_domains[0];
  return {site, site};
}

const KbEntry* ConsentCookieOwner(const Kb& kb, std::string_view cookie_name) {
  return FindCookieOwner(kb, cookie_name, [](const KbEntry& e) { return e.consent_required.value; });
}

const KbEntry* CookieOwner(const Kb& kb, std::string_view cookie_name) {
  return FindCookieOwner(kb, cookie_name, [](const KbEntry&) { return true; });
}

ExemptionJudgement JudgeAnalyticsExemption(const ReconciledTouchpoint& row) {
  ExemptionJudgement j;
  if (!row.registered || row.registered->analytics_exemption.empty()) return j;
  const AnalyticsExemption& a = row.registered->analytics_exemption;
  j.claimed = true;
  j.allowed = row.kb && row.kb->analytics_exemption.value;
  for (std::string_view c : AnalyticsExemptionConditions())
    if (!AnalyticsExemptionAnswer(a, c).value_or(false)) j.missing.push_back(c);
  const DetectedTouchpoint* d = row.detected;
  if (!d || !row.kb) return j;
  // Evidence beats the label: what the traffic shows against the configuration.
  auto add = [&](std::string_view what) {
    if (std::find(j.contradicted.begin(), j.contradicted.end(), what) == j.contradicted.end())
      j.contradicted.push_back(what);
  };
  for (const EvidenceItem& e : d->evidence) {
    if (e.kind != EvidenceKind::kRequest) continue;
    for (const std::string& sig : row.kb->analytics_exemption.contradicted_by)
      if (!sig.empty() && e.signature.find(sig) != std::string::npos) add("advertising_feature");
  }
  for (const SignalHit& h : d->signals)
    for (const DataSignal& ds : row.kb->data_signals)
      if (ds.id == h.signal_id && !ds.implies.empty()) add("other_product");
  if (a.cookieless.value_or(false))
    for (const EvidenceItem& e : d->evidence)
      if (e.kind == EvidenceKind::kCookie || e.kind == EvidenceKind::kSetCookie) add("cookies_set");
  for (const CarriedData& c : d->carried)
    if (IsPersonalData(c.kind) || c.kind == CarriedKind::kSensitiveTerm) add("personal_data");
  return j;
}

}  // namespace audit
}  // namespace blindspot

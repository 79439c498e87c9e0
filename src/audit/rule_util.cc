// Helpers shared by the rule checks (see rule.h).
#include <algorithm>

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
  f.subject_kind = kind;
  f.subject_id = std::move(subject_id);
  f.subject_name = std::move(subject_name);
  f.detail = std::move(detail);
  f.path = std::move(path);
  return f;
}

namespace audit {

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
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
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
    std::string want = Lower(cmp);
    for (const KbEntry& e : ctx.kb.entries())
      if (e.category == "consent-management" && (Lower(e.id) == want || Lower(e.name) == want))
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

}  // namespace audit
}  // namespace blindspot

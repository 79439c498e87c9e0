// Verdicts per touchpoint and per processing activity (docs/verdicts.md).
//
// Generic: every finding counts under the check its rule names in its data
// file (`check:`, RuleMeta::check; none: "other") for the subjects it is about
// (a touchpoint by register id, a detected product by kb id, the touchpoint's
// vendor by processor id, an activity by id). On top of the findings, the
// checks the register and the evidence allow are made here, so that a check
// with no finding can be called ok (or not applicable, or unknown): consent,
// lawful basis, vendor role and agreement, transfer, personal data sent and the
// touchpoint questions. No sentences: each reason carries a ui.vr_* message.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot {

std::string_view ToString(Verdict v) {
  switch (v) {
    case Verdict::kSafeguarded:
      return "safeguarded";
    case Verdict::kGaps:
      return "gaps";
    case Verdict::kNotAssessed:
      return "not_assessed";
  }
  return "not_assessed";
}

std::string_view ToString(CheckState s) {
  switch (s) {
    case CheckState::kOk:
      return "ok";
    case CheckState::kGap:
      return "gap";
    case CheckState::kUnknown:
      return "unknown";
    case CheckState::kNotApplicable:
      return "not_applicable";
  }
  return "unknown";
}

namespace {

constexpr std::string_view kOther = "other";

// The check a rule's findings count under.
std::string CheckOf(std::string_view rule_id) {
  const RuleMeta* m = TextCatalog::Builtin().FindRule(rule_id);
  return m && !m->check.empty() ? m->check : std::string(kOther);
}

// A finding's severity as the state of its check: medium and high are gaps;
// low leaves the check open (unknown); info is noted without judging.
CheckState StateOf(Severity s) {
  if (s >= Severity::kMedium) return CheckState::kGap;
  if (s == Severity::kLow) return CheckState::kUnknown;
  return CheckState::kNotApplicable;
}

// "BS006-consent-required" -> "BS006".
std::string ShortRule(std::string_view id) { return std::string(id.substr(0, id.find('-'))); }

class Judge {
 public:
  explicit Judge(const std::vector<Finding>& findings) : findings_(findings) {}

  // A finding about this subject: grouped per (check, state) into one reason.
  void AddFinding(size_t index) {
    const Finding& f = findings_[index];
    std::string check = CheckOf(f.rule_id);
    CheckState state = StateOf(f.severity);
    auto it = std::find_if(reasons_.begin(), reasons_.end(), [&](const VerdictReason& r) {
      return r.check == check && r.state == state && !r.rule_ids.empty();
    });
    if (it == reasons_.end()) {
      it = reasons_.insert(reasons_.end(), VerdictReason{});
      it->check = check;
      it->state = state;
    }
    if (std::find(it->findings.begin(), it->findings.end(), index) == it->findings.end())
      it->findings.push_back(index);
    if (std::find(it->rule_ids.begin(), it->rule_ids.end(), f.rule_id) == it->rule_ids.end())
      it->rule_ids.push_back(f.rule_id);
  }

  // A check judged from the register or the evidence. It gives way to a
  // finding on the same check (the finding is more specific and says it).
  void Add(std::string_view check, CheckState state, Message m, std::vector<std::string> rule_ids = {}) {
    if (HasFindingOn(check)) return;
    VerdictReason r;
    r.check = std::string(check);
    r.state = state;
    r.rule_ids = std::move(rule_ids);
    r.message = std::move(m);
    reasons_.push_back(std::move(r));
  }

  bool HasFindingOn(std::string_view check) const {
    return std::any_of(reasons_.begin(), reasons_.end(),
                       [&](const VerdictReason& r) { return r.check == check && !r.findings.empty(); });
  }

  Judgement Finish() {
    // Finding reasons: their message lists the rules.
    for (VerdictReason& r : reasons_) {
      if (r.findings.empty() || !r.message.empty()) continue;
      std::vector<MessageArg> list;
      for (const std::string& id : r.rule_ids) list.push_back(TextItem(ShortRule(id)));
      r.message = Message(ui::vr_findings)
                      .Number("rules", static_cast<int64_t>(r.rule_ids.size()))
                      .List("list", std::move(list));
    }
    if (reasons_.empty()) Add(kOther, CheckState::kUnknown, Message(ui::vr_nothing));
    const std::vector<std::string>& order = TextCatalog::Builtin().Vocabulary("verdict_check");
    auto rank = [&](const VerdictReason& r) {
      return static_cast<size_t>(std::find(order.begin(), order.end(), r.check) - order.begin());
    };
    std::stable_sort(reasons_.begin(), reasons_.end(),
                     [&](const VerdictReason& a, const VerdictReason& b) { return rank(a) < rank(b); });
    Judgement j;
    auto any = [&](CheckState s) {
      return std::any_of(reasons_.begin(), reasons_.end(),
                         [s](const VerdictReason& r) { return r.state == s; });
    };
    if (any(CheckState::kGap))
      j.verdict = Verdict::kGaps;
    else if (!any(CheckState::kUnknown) && any(CheckState::kOk))
      j.verdict = Verdict::kSafeguarded;
    else
      j.verdict = Verdict::kNotAssessed;
    j.reasons = std::move(reasons_);
    return j;
  }

 private:
  const std::vector<Finding>& findings_;
  std::vector<VerdictReason> reasons_;
};

// Only a link or an HTML marker was seen: the product did not run on the page
// (a wa.me link sends nothing until the visitor follows it).
bool LinkOnly(const DetectedTouchpoint& d) {
  if (d.evidence.empty() || !d.signals.empty() || !d.carried.empty() || !d.implied_by.empty() ||
      !d.phases_active.empty())
    return false;
  return std::all_of(d.evidence.begin(), d.evidence.end(), [](const EvidenceItem& e) {
    return e.kind == EvidenceKind::kLink || e.kind == EvidenceKind::kHtmlMarker;
  });
}

const Processor* FindVendor(const Register& reg, std::string_view id) {
  if (id.empty()) return nullptr;
  for (const Processor& p : reg.processors)
    if (p.id == id) return &p;
  return nullptr;
}

void ConsentCheck(Judge& j, const ReconciledTouchpoint& row, const KbEntry* kb, bool link_only) {
  if (!kb) return;
  if (!kb->consent_required.value) {
    j.Add("consent", CheckState::kNotApplicable, Message(ui::vr_consent_not_required));
    return;
  }
  if (link_only) {
    j.Add("consent", CheckState::kNotApplicable, Message(ui::vr_link_only));
    return;
  }
  if (audit::JudgeAnalyticsExemption(row).exempt()) {
    j.Add("consent", CheckState::kOk, Message(ui::vr_consent_exempt));
    return;
  }
  const DetectedTouchpoint* d = row.detected;
  if (d && !d->phases_active.empty()) {
    // Evidence beats labels: when it ran is judged on its own (a run without
    // consent is BS022's finding).
    bool without = std::any_of(d->phases_active.begin(), d->phases_active.end(), IsWithoutConsent);
    if (!without) {
      std::vector<MessageArg> phases;
      for (ConsentPhase p : d->phases_active) phases.push_back(TermItem("consent_phase", ToString(p)));
      j.Add("consent", CheckState::kOk, Message(ui::vr_consent_waited).List("phases", std::move(phases)));
    }
  } else if (!row.registered) {
    j.Add("consent", CheckState::kUnknown, Message(ui::vr_consent_no_phase));
  }
  // The register's side (BS006 reports another basis).
  if (row.registered) j.Add("consent", CheckState::kOk, Message(ui::vr_consent_recorded));
}

void LawfulBasisCheck(Judge& j, const AuditContext& ctx, const Touchpoint& tp) {
  std::vector<std::string> bases;
  auto add = [&](LawfulBasis b) {
    std::string s(ToString(b));
    if (std::find(bases.begin(), bases.end(), s) == bases.end()) bases.push_back(s);
  };
  if (tp.answers.lawful_basis) add(*tp.answers.lawful_basis);
  for (const ProcessingActivity* a : ctx.ActivitiesOf(tp))
    for (const Purpose& p : a->purposes)
      if (p.lawful_basis) add(*p.lawful_basis);
  if (bases.empty()) {
    j.Add("lawful_basis", CheckState::kUnknown, Message(ui::vr_basis_none));
    return;
  }
  std::vector<MessageArg> items;
  for (const std::string& b : bases) items.push_back(TermItem("lawful_basis", b));
  j.Add("lawful_basis", CheckState::kOk, Message(ui::vr_basis_recorded).List("bases", std::move(items)));
}

void RoleCheck(Judge& j, const AuditContext& ctx, const ReconciledTouchpoint& row, const KbEntry* kb) {
  auto controller = [&] { j.Add("role", CheckState::kNotApplicable, Message(ui::vr_role_controller)); };
  if (!row.registered && !row.processor) {
    // A blind spot: the role is the kb's claim; no agreement can be known.
    if (!kb) return;
    if (kb->role.value == VendorRole::kIndependentController) return controller();
    j.Add("role", CheckState::kUnknown,
          Message(ui::vr_role_unknown).Term("role", "vendor_role", ToString(kb->role.value)));
    return;
  }
  // A platform known from records that the register names as a processor is
  // judged by that processor's record.
  const Processor* v = row.registered ? FindVendor(ctx.reg, row.registered->vendor) : row.processor;
  if (!v) {
    if (!kb) return;
    if (kb->role.value == VendorRole::kIndependentController) return controller();
    j.Add("role", CheckState::kUnknown,
          Message(ui::vr_vendor_none).Term("role", "vendor_role", ToString(kb->role.value)));
    return;
  }
  j.Add("role", CheckState::kOk,
        Message(ui::vr_vendor_recorded)
            .Text("vendor", audit::DisplayName(*v))
            .Term("role", "vendor_role", ToString(v->role)));
  if (v->role == VendorRole::kIndependentController) {
    j.Add("agreement", CheckState::kNotApplicable, Message(ui::vr_role_controller));
    return;
  }
  AgreementStatus s = v->agreement.status;
  bool ok = s == AgreementStatus::kSigned || s == AgreementStatus::kNotRequired;
  j.Add("agreement", ok ? CheckState::kOk : CheckState::kGap,
        Message(ui::vr_agreement)
            .Text("vendor", audit::DisplayName(*v))
            .Term("status", "agreement_status", ToString(s)));
}

void TransferCheck(Judge& j, const AuditContext& ctx, const ReconciledTouchpoint& row, const KbEntry* kb,
                   bool link_only) {
  // Where the data ends up: the kb's processing country first (a vendor with an
  // EU contracting entity may still process in the US), else the register's
  // vendor country, else the kb's contracting entity.
  const Processor* v = row.registered ? FindVendor(ctx.reg, row.registered->vendor) : row.processor;
  std::string country = kb ? kb->vendor.processing_country : "";
  if (country.empty() && v) country = v->country;
  if (country.empty() && kb) country = kb->vendor.country;
  if (country.empty()) return;
  if (IsEeaCountry(country)) {
    j.Add("transfer", CheckState::kNotApplicable, Message(ui::vr_transfer_eea).Text("country", country));
    return;
  }
  if (row.registered || row.processor) {
    // BS009 reports a transfer without a safeguard on the touchpoint or its vendor.
    j.Add("transfer", CheckState::kOk, Message(ui::vr_transfer_recorded).Text("country", country));
    return;
  }
  if (link_only) {
    j.Add("transfer", CheckState::kNotApplicable, Message(ui::vr_link_only));
    return;
  }
  // Evidence beats labels: the data reaches a vendor outside the EEA, and
  // nothing in the register covers it.
  j.Add("transfer", CheckState::kGap,
        Message(ui::vr_transfer_unrecorded)
            .Text("country", country)
            .Term("mechanism", "transfer_safeguard",
                  ToString(kb ? kb->vendor.transfer_mechanism : TransferSafeguard::kNone)));
}

// Whether the data signal `ds` covers the parameter `param` seen: its exact
// name, a prefix ("ud[*"), or a dotted path nested deeper ("data.user_data.em").
bool SignalCovers(const DataSignal& ds, std::string_view param) {
  std::string_view p = ds.param;
  if (p.ends_with('*')) return param.starts_with(p.substr(0, p.size() - 1));
  return param == p ||
         (param.size() > p.size() && param.ends_with(p) && param[param.size() - p.size() - 1] == '.');
}

void PersonalDataCheck(Judge& j, const Kb& kb, const ReconciledTouchpoint& row, bool link_only) {
  const DetectedTouchpoint* d = row.detected;
  if (!d) return;
  if (link_only) {
    j.Add("personal_data_sent", CheckState::kNotApplicable, Message(ui::vr_link_only));
    return;
  }
  if (d->records_only && d->signals.empty() && d->carried.empty()) {
    // Known from DNS, e-mail, tag-manager or ad-platform records: what it
    // receives is not in website traffic; the register (or the owner's
    // answers, when it is not registered) must say.
    if (row.registered)
      j.Add("personal_data_sent", CheckState::kOk, Message(ui::vr_data_declared));
    else if (row.processor)
      j.Add("personal_data_sent", CheckState::kOk,
            Message(ui::vr_records_processor).Text("vendor", audit::DisplayName(*row.processor)));
    else
      j.Add("personal_data_sent", CheckState::kUnknown, Message(ui::vr_records_only));
    return;
  }
  std::vector<std::string> categories;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(categories.begin(), categories.end(), c) == categories.end())
      categories.push_back(c);
  };
  for (const SignalHit& s : d->signals) add(s.data_category);
  // Shown by another product's data signal (Google Ads `em` is enhanced
  // conversions): that signal is this product's data flow.
  // Only the categories of the parameters seen: a signal id ("advanced-matching")
  // has a definition per parameter, and most of them are not in the request.
  for (const EvidenceItem& e : d->evidence) {
    if (e.kind != EvidenceKind::kSignal) continue;
    if (const KbEntry* via = kb.Find(e.via))
      for (const DataSignal& ds : via->data_signals)
        if (ds.id == e.signal_id && SignalCovers(ds, e.signal_param)) add(ds.data_category);
  }
  bool carried = std::any_of(d->carried.begin(), d->carried.end(),
                             [](const CarriedData& c) { return IsPersonalData(c.kind); });
  if (categories.empty() && !carried) {
    j.Add("personal_data_sent", CheckState::kOk, Message(ui::vr_data_none));
    return;
  }
  if (row.registered) {
    // BS015 (undeclared signal) and BS021 (in clear, not declared) report what the register misses.
    j.Add("personal_data_sent", CheckState::kOk, Message(ui::vr_data_declared));
    return;
  }
  if (categories.empty()) return;  // carried in clear only: BS021's finding says it
  std::vector<MessageArg> items;
  for (const std::string& c : categories) items.push_back(TextItem(c));
  j.Add("personal_data_sent", CheckState::kGap,
        Message(ui::vr_data_signals).List("categories", std::move(items)));
}

bool About(const Finding& f, const ReconciledTouchpoint& row) {
  switch (f.subject_kind) {
    case SubjectKind::kTouchpoint:
      return row.registered && f.subject_id == row.registered->id;
    case SubjectKind::kDetected:
      return row.detected && f.subject_id == row.detected->kb_id;
    case SubjectKind::kProcessor:
      if (row.processor) return f.subject_id == row.processor->id;
      return row.registered && !row.registered->vendor.empty() && f.subject_id == row.registered->vendor;
    default:
      return false;
  }
}

Judgement JudgeTouchpoint(const AuditContext& ctx, const std::vector<Finding>& findings,
                          const ReconciledTouchpoint& row) {
  Judge j(findings);
  for (size_t i = 0; i < findings.size(); ++i)
    if (About(findings[i], row)) j.AddFinding(i);
  const KbEntry* kb = row.kb ? row.kb : (row.detected ? row.detected->kb : nullptr);
  bool link_only = row.detected && LinkOnly(*row.detected);
  ConsentCheck(j, row, kb, link_only);
  if (row.registered) LawfulBasisCheck(j, ctx, *row.registered);
  RoleCheck(j, ctx, row, kb);
  TransferCheck(j, ctx, row, kb, link_only);
  PersonalDataCheck(j, ctx.kb, row, link_only);
  if (row.registered) j.Add("answers", CheckState::kOk, Message(ui::vr_answers_ok));
  return j.Finish();
}

Judgement JudgeActivity(const AuditResult& r, const ProcessingActivity& a, const std::vector<size_t>& tps) {
  Judge j(r.findings);
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    if (f.subject_kind == SubjectKind::kActivity && f.subject_id == a.id) j.AddFinding(i);
  }
  // Every check of a rule about activities that found nothing here is ok:
  // a new rule with `applies_to: [activity]` adds its check by itself.
  std::vector<std::string> checks;
  for (const Rule& rule : AllRules()) {
    const auto& kinds = rule.meta->applies_to;
    if (std::find(kinds.begin(), kinds.end(), SubjectKind::kActivity) == kinds.end()) continue;
    std::string c = rule.meta->check.empty() ? std::string(kOther) : rule.meta->check;
    if (std::find(checks.begin(), checks.end(), c) == checks.end()) checks.push_back(c);
  }
  for (const std::string& c : checks) j.Add(c, CheckState::kOk, Message(ui::vr_record_ok));
  // DPIA: required or in progress means the processing runs without the
  // completed assessment Art. 35(1) asks for before it starts.
  switch (a.dpia.status) {
    case DpiaStatus::kRequired:
    case DpiaStatus::kInProgress:
      j.Add("dpia", CheckState::kGap,
            Message(ui::vr_dpia).Term("status", "dpia_status", ToString(a.dpia.status)));
      break;
    case DpiaStatus::kCompleted:
    case DpiaStatus::kNotRequired:
      j.Add("dpia", CheckState::kOk,
            Message(ui::vr_dpia).Term("status", "dpia_status", ToString(a.dpia.status)));
      break;
    case DpiaStatus::kNotAssessed:
      break;  // BS014 asks for it where the touchpoints make it likely
  }
  // A touchpoint's gaps are the activity's gaps.
  for (size_t i : tps) {
    const ReconciledTouchpoint& row = r.touchpoints[i];
    if (row.verdict.verdict != Verdict::kGaps) continue;
    std::vector<std::string> rules;
    for (const VerdictReason& reason : row.verdict.reasons)
      if (reason.state == CheckState::kGap)
        for (const std::string& id : reason.rule_ids)
          if (std::find(rules.begin(), rules.end(), id) == rules.end()) rules.push_back(id);
    j.Add("touchpoints", CheckState::kGap,
          Message(ui::vr_touchpoint)
              .Text("touchpoint", audit::DisplayName(*row.registered))
              .Term("verdict", "verdict", ToString(Verdict::kGaps)),
          std::move(rules));
  }
  return j.Finish();
}

}  // namespace

void ComputeVerdicts(AuditResult& result) {
  RegisterIndex index(*result.reg);
  AuditContext ctx{*result.reg, index, *result.kb, result.detection, result.touchpoints};
  for (ReconciledTouchpoint& row : result.touchpoints)
    row.verdict = JudgeTouchpoint(ctx, result.findings, row);
  result.activities.clear();
  for (const ProcessingActivity& a : result.reg->activities) {
    ActivityVerdict av;
    av.activity = &a;
    for (size_t i = 0; i < result.touchpoints.size(); ++i) {
      const Touchpoint* tp = result.touchpoints[i].registered;
      if (tp && std::find(tp->activities.begin(), tp->activities.end(), a.id) != tp->activities.end())
        av.touchpoints.push_back(i);
    }
    av.verdict = JudgeActivity(result, a, av.touchpoints);
    result.activities.push_back(std::move(av));
  }
}

}  // namespace blindspot

// The action list (docs/actions.md): what to do, who owns it, by when.
//
// One action per rule and subject: the findings of one rule about one
// subject are fixed by one act (all missing Art. 30 fields of one activity,
// one pixel that fires before consent on twelve pages). What to do is the
// rule's `action:` text; the owner comes from the register; the due date from
// the priority. Pure: no I/O, no clock (the date is given).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "audit/rule.h"
#include "blindspot/gate.h"

namespace blindspot {

std::string_view ToString(ActionPriority p) {
  switch (p) {
    case ActionPriority::kImmediate:
      return "immediate";
    case ActionPriority::kHigh:
      return "high";
    case ActionPriority::kMedium:
      return "medium";
    case ActionPriority::kLow:
      return "low";
  }
  return "medium";
}

namespace {

// Days until due per priority (docs/actions.md says why).
int DueInDays(ActionPriority p) {
  switch (p) {
    case ActionPriority::kImmediate:
      return 0;
    case ActionPriority::kHigh:
      return 30;
    case ActionPriority::kMedium:
      return 90;
    case ActionPriority::kLow:
      return 180;
  }
  return 90;
}

// Personal data leaving the site now, where every further day adds people:
// tracking before consent or after a reject (BS022; BS035, where the register
// even claims consent), and, when their finding is high, personal data in
// clear (BS021), special-category signals (BS040) and tracker configurations
// that expose form data (BS041).
ActionPriority PriorityOf(const Finding& f) {
  std::string_view n = RuleNumber(f.rule_id);
  if (n == "BS022" || n == "BS035") return ActionPriority::kImmediate;
  if (f.severity == Severity::kHigh && (n == "BS021" || n == "BS040" || n == "BS041"))
    return ActionPriority::kImmediate;
  switch (f.severity) {
    case Severity::kHigh:
      return ActionPriority::kHigh;
    case Severity::kMedium:
      return ActionPriority::kMedium;
    default:
      return ActionPriority::kLow;
  }
}

// Civil date <-> day number (Howard Hinnant's algorithms), for "date + days".
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", y + (m <= 2), m, d);
}

std::string AddDays(std::string_view date, int days) {
  if (!IsIsoDate(date)) return {};
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (date[i] - '0');
    return v;
  };
  return CivilFromDays(
      DaysFromCivil(num(0, 4), static_cast<unsigned>(num(5, 2)), static_cast<unsigned>(num(8, 2))) + days);
}

std::string ContactName(const Contact& c) { return !c.name.empty() ? c.name : c.email; }

std::string TouchpointOwner(const Register& reg, const Touchpoint& tp) {
  if (!tp.owner.empty()) return tp.owner;
  for (const std::string& id : tp.activities)
    if (const ProcessingActivity* a = reg.FindActivity(id); a && !a->owner.empty()) return a->owner;
  return {};
}

// The owner the register names for the subject of `f`, and from where.
std::pair<std::string, std::string> RegisterOwner(const AuditResult& r, const Finding& f) {
  const Register& reg = *r.reg;
  switch (f.subject_kind) {
    case SubjectKind::kActivity:
      if (const ProcessingActivity* a = reg.FindActivity(f.subject_id); a && !a->owner.empty())
        return {a->owner, "activity"};
      break;
    case SubjectKind::kTouchpoint:
      if (const Touchpoint* tp = reg.FindTouchpoint(f.subject_id)) {
        if (!tp->owner.empty()) return {tp->owner, "touchpoint"};
        if (std::string o = TouchpointOwner(reg, *tp); !o.empty()) return {o, "activity"};
      }
      break;
    case SubjectKind::kDetected:
      // The registered touchpoints of the detected product.
      for (const Touchpoint& tp : reg.touchpoints) {
        if (tp.product.empty() || tp.product != f.subject_id) continue;
        if (!tp.owner.empty()) return {tp.owner, "touchpoint"};
        if (std::string o = TouchpointOwner(reg, tp); !o.empty()) return {o, "activity"};
      }
      break;
    case SubjectKind::kProcessor:
      // Who owns the touchpoints of this vendor.
      for (const Touchpoint& tp : reg.touchpoints)
        if (tp.vendor == f.subject_id && !tp.owner.empty()) return {tp.owner, "touchpoint"};
      break;
    default:
      break;
  }
  if (!reg.organisation.no_dpo && !ContactName(reg.organisation.dpo).empty())
    return {ContactName(reg.organisation.dpo), "dpo"};
  if (!ContactName(reg.organisation.contact).empty())
    return {ContactName(reg.organisation.contact), "contact"};
  return {{}, "unassigned"};
}

// The organisation (or the register) is one subject, whatever field a finding names
// ("organisation.contact", "organisation.dpo"): one act completes its record.
bool WholeOrganisation(const Finding& f) {
  return f.subject_kind == SubjectKind::kOrganisation || f.subject_kind == SubjectKind::kRegister;
}

// Whether the finding is about a product known only from discovery records
// (DNS, DMARC, a tag manager, an ad platform): not on the site, so not
// removed from it.
bool AboutRecordsOnly(const AuditResult& r, const Finding& f) {
  if (f.subject_kind != SubjectKind::kDetected) return false;
  return std::any_of(r.detection.touchpoints.begin(), r.detection.touchpoints.end(),
                     [&](const DetectedTouchpoint& d) { return d.kb_id == f.subject_id && d.records_only; });
}

Message What(const AuditResult& r, const Finding& f) {
  Message m;
  m.id = f.rule_id + ".action";
  // A rule may say what to do about records in "<rule id>.records_action".
  if (AboutRecordsOnly(r, f) && TextCatalog::Builtin().Template("en", f.rule_id + ".records_action"))
    m.id = f.rule_id + ".records_action";
  if (WholeOrganisation(f)) {
    if (!r.reg->organisation.name.empty())
      m.Text("subject", r.reg->organisation.name);
    else
      m.Term("subject", "subject_kind", ToString(f.subject_kind));
  } else if (!f.subject_name.empty())
    m.Text("subject", f.subject_name);
  else if (!f.subject_id.empty())
    m.Text("subject", f.subject_id);
  else if ((f.subject_kind == SubjectKind::kOrganisation || f.subject_kind == SubjectKind::kRegister) &&
           !r.reg->organisation.name.empty())
    m.Text("subject", r.reg->organisation.name);
  else
    m.Term("subject", "subject_kind", ToString(f.subject_kind));
  return m;
}

}  // namespace

ActionList BuildActionList(const AuditResult& result, std::string_view date) {
  ActionList list;
  if (IsIsoDate(date)) list.date = std::string(date);
  // One action per (rule, subject), in the order the findings first name it.
  std::map<std::tuple<std::string, SubjectKind, std::string>, size_t> index;
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    const bool whole = WholeOrganisation(f);
    auto key = std::make_tuple(f.rule_id, f.subject_kind, whole ? std::string() : f.subject_id);
    auto [it, fresh] = index.try_emplace(key, list.actions.size());
    if (fresh) {
      Action a;
      a.rule_id = f.rule_id;
      a.subject_kind = f.subject_kind;
      a.subject_id = whole ? std::string() : f.subject_id;
      a.subject_name = whole ? result.reg->organisation.name : f.subject_name;
      a.what = What(result, f);
      std::tie(a.owner, a.owner_from) = RegisterOwner(result, f);
      a.priority = PriorityOf(f);
      list.actions.push_back(std::move(a));
    }
    Action& a = list.actions[it->second];
    a.findings.push_back(i);
    a.priority = std::min(a.priority, PriorityOf(f));  // the most urgent finding decides
  }
  for (Action& a : list.actions) {
    a.due_in_days = DueInDays(a.priority);
    a.due = list.date.empty() ? std::string() : AddDays(list.date, a.due_in_days);
  }
  std::stable_sort(list.actions.begin(), list.actions.end(), [](const Action& a, const Action& b) {
    return std::tie(a.due_in_days, a.priority, a.rule_id, a.subject_id) <
           std::tie(b.due_in_days, b.priority, b.rule_id, b.subject_id);
  });
  return list;
}

}  // namespace blindspot

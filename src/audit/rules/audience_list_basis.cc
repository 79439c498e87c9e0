// BS037: a list of people uploaded to an ad platform (Custom Audiences,
// Customer Match, ...) without a fitting lawful basis: none recorded,
// legitimate interests for non-customers (or unknown subjects), legitimate
// interests for customers (only with information and an opt-out), or a basis
// that cannot cover advertising. Consent is not flagged. Exclusion lists are
// checked like any other list.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckAudienceListBasis(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    if (!IsListUpload(ctx, tp)) continue;
    // The touchpoint's own answer; else the bases of its activities' purposes.
    std::vector<LawfulBasis> bases;
    if (tp.answers.lawful_basis) {
      bases.push_back(*tp.answers.lawful_basis);
    } else {
      for (const ProcessingActivity* a : ctx.ActivitiesOf(tp))
        for (const Purpose& p : a->purposes)
          if (p.lawful_basis) bases.push_back(*p.lawful_basis);
    }
    auto has = [&](LawfulBasis b) { return std::find(bases.begin(), bases.end(), b) != bases.end(); };
    const AudienceList& list = tp.audience_list;
    auto message = [&](MessageId id) {
      Message m(id);
      m.Text("list", list.exclusion.value_or(false) ? "exclusion" : "list")
          .Text("touchpoint", DisplayName(tp))
          .Text("product", ProductName(ctx, tp));
      return m;
    };
    std::string answers = path::Field(PathOf(tp), "answers");
    std::string at = path::Field(answers, "lawful_basis");
    if (bases.empty()) {
      out.push_back(
          ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), message(msg::BS037::no_basis), at));
      continue;
    }
    if (has(LawfulBasis::kConsent)) continue;
    if (has(LawfulBasis::kLegitimateInterests)) {
      std::string subjects_path = path::Field(path::Field(PathOf(tp), "audience_list"), "list_subjects");
      if (list.subjects.empty()) {
        out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                               message(msg::BS037::li_unknown_subjects), at));
      } else if (list.subjects == "customers" || list.subjects == "former_customers") {
        out.push_back(ctx.Make(
            SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
            message(msg::BS037::li_customers).Term("subjects", "audience_list_subjects", list.subjects), at));
      } else {
        out.push_back(ctx.Make(
            SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
            message(msg::BS037::li_non_customers).Term("subjects", "audience_list_subjects", list.subjects),
            subjects_path));
      }
      continue;
    }
    out.push_back(ctx.Make(
        SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
        message(msg::BS037::basis_not_fitting).Term("basis", "lawful_basis", ToString(bases.front())), at));
  }
}

}  // namespace blindspot::audit

// BS013: one of the touchpoint questions is unanswered. One finding per
// unanswered question: (1) in use, (2) stored by us, (3) stored by the vendor,
// (4) how people are informed (privacy statement and section), (5) which data,
// (6) lawful and proportionate (lawful basis, necessity, subsidiarity), (7) which security
// measures apply. A touchpoint answered as not in use is skipped.
#include "audit/rule.h"

namespace blindspot::audit {
namespace {

struct Open {
  int number;
  MessageId question;
  const char* answer;  // the answer id the finding points at
};

}  // namespace

void CheckTouchpointQuestions(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const TouchpointAnswers& ans = tp.answers;
    if (ans.in_use == false) continue;  // not in use: the other questions do not apply
    std::vector<Open> open;
    if (!ans.in_use) open.push_back({1, msg::BS013::q_in_use, "in_use"});
    if (!ans.stored_by_us)
      open.push_back({2, msg::BS013::q_stored_by_us, "stored_by_us"});
    else if (*ans.stored_by_us && ans.stored_by_us_where.empty())
      open.push_back({2, msg::BS013::q_stored_by_us_where, "stored_by_us_where"});
    if (!ans.stored_by_vendor)
      open.push_back({3, msg::BS013::q_stored_by_vendor, "stored_by_vendor"});
    else if (*ans.stored_by_vendor && ans.stored_by_vendor_details.empty())
      open.push_back({3, msg::BS013::q_stored_by_vendor_details, "stored_by_vendor_details"});
    if (ans.informed_statement.empty())
      open.push_back({4, msg::BS013::q_informed, "informed_statement"});
    else if (ans.informed_section.empty())
      open.push_back({4, msg::BS013::q_informed_section, "informed_section"});
    if (ans.data_collected.empty()) open.push_back({5, msg::BS013::q_data, "data_collected"});
    if (ans.lawful_basis && !ans.necessity.empty() && ans.subsidiarity.empty())
      open.push_back({6, msg::BS013::q_subsidiarity, "subsidiarity"});
    if (!ans.lawful_basis || ans.necessity.empty()) {
      if (!ans.lawful_basis && ans.necessity.empty())
        open.push_back({6, msg::BS013::q_lawful_and_necessity, "lawful_basis"});
      else if (!ans.lawful_basis)
        open.push_back({6, msg::BS013::q_lawful, "lawful_basis"});
      else
        open.push_back({6, msg::BS013::q_necessity, "necessity"});
    }
    if (ans.security_measures.empty()) open.push_back({7, msg::BS013::q_security, "security_measures"});
    std::string answers = path::Field(PathOf(tp), "answers");
    for (const Open& q : open) {
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             Message(msg::BS013::unanswered)
                                 .Text("touchpoint", DisplayName(tp))
                                 .Number("number", q.number)
                                 .Sub("question", Message(q.question)),
                             path::Field(answers, q.answer)));
    }
  }
}

}  // namespace blindspot::audit

// BS003: an Art. 30(1) field of the register is empty. One finding per missing
// field: per activity purposes, data subjects, data categories, recipients;
// for the organisation the controller's name and contact details and the DPO.
// An explicit `dpo: none` or `recipients: none` is an answer, not a gap.
// Retention periods and TOMs have their own rules (BS011, BS012).
#include "audit/rule.h"

namespace blindspot::audit {

void CheckArt30Fields(const AuditContext& ctx, std::vector<Finding>& out) {
  const Organisation& org = ctx.reg.organisation;
  auto org_finding = [&](const char* id, MessageId m, const char* path) {
    out.push_back(ctx.Make(SubjectKind::kOrganisation, id, org.name, Message(m), path));
  };
  if (org.name.empty()) org_finding("organisation", msg::BS003::no_controller_name, "organisation.name");
  if (org.contact.email.empty() && org.contact.phone.empty() && org.contact.address.empty())
    org_finding("organisation.contact", msg::BS003::no_controller_contact, "organisation.contact");
  if (org.dpo.empty() && !org.no_dpo) org_finding("organisation.dpo", msg::BS003::no_dpo, "organisation.dpo");

  for (const ProcessingActivity& a : ctx.reg.activities) {
    auto activity_finding = [&](MessageId m, const char* field) {
      out.push_back(ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                             Message(m).Text("activity", DisplayName(a)), path::Field(PathOf(a), field)));
    };
    if (a.purposes.empty()) activity_finding(msg::BS003::no_purposes, "purposes");
    if (a.data_subjects.empty()) activity_finding(msg::BS003::no_data_subjects, "data_subjects");
    if (a.data_categories.empty() && a.special_categories.empty())
      activity_finding(msg::BS003::no_data_categories, "data_categories");
    if (a.recipients.empty() && !a.no_recipients) activity_finding(msg::BS003::no_recipients, "recipients");
  }
}

}  // namespace blindspot::audit

// BS049: customer contact on WhatsApp as the register describes it
// (touchpoint contact.whatsapp): the consumer app (no processor terms), the
// Business app with the address book uploaded or on the staff's own phones,
// the Business Platform through a provider without a signed processor
// agreement. Unanswered facts are not judged.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckWhatsAppStaffPhones(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    const WhatsAppUse& w = tp.contact.whatsapp;
    if (w.empty() || tp.answers.in_use == false) continue;
    std::string at = path::Field(path::Field(PathOf(tp), "contact"), "whatsapp");
    auto make = [&](Message m, std::string_view field) {
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             std::move(m.Text("touchpoint", DisplayName(tp))), path::Field(at, field)));
    };
    if (w.app == "consumer") {
      make(Message(msg::BS049::consumer), "app");
      continue;
    }
    if (w.app == "business_app") {
      if (w.contact_upload.value_or(false))
        make(Message(msg::BS049::contact_upload).Term("app", "whatsapp_app", w.app), "contact_upload");
      if (w.staff_own_phones.value_or(false))
        make(Message(msg::BS049::staff_phones).Term("app", "whatsapp_app", w.app), "staff_own_phones");
      continue;
    }
    if (w.app == "business_platform" && !w.provider.empty()) {
      const Processor* p = ctx.Vendor(w.provider);
      if (!p) continue;  // an unknown id is a validation error, not a finding
      AgreementStatus s = p->agreement.status;
      if (s == AgreementStatus::kSigned || s == AgreementStatus::kNotRequired) continue;
      make(Message(msg::BS049::platform_no_agreement).Text("provider", DisplayName(*p)), "provider");
    }
  }
}

}  // namespace blindspot::audit

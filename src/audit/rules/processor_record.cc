// BS018: an Art. 30(2) record (kept as processor) misses the controller's name
// or contact details, the categories of processing, a transfer safeguard, or
// the description of the security measures.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckProcessorRecord(const AuditContext& ctx, std::vector<Finding>& out) {
  for (size_t n = 0; n < ctx.reg.processor_records.size(); ++n) {
    const ProcessorRecord& rec = ctx.reg.processor_records[n];
    std::string p = path::Index("", "processor_records", n);
    std::string who = rec.controller.empty() ? p : rec.controller;
    auto finding = [&](Message m, std::string field_path) {
      m.Text("controller", who);
      out.push_back(ctx.Make(SubjectKind::kRegister, p, rec.controller, std::move(m), std::move(field_path)));
    };
    if (rec.controller.empty()) finding(Message(msg::BS018::no_controller), path::Field(p, "controller"));
    const Contact& c = rec.controller_contact;
    if (c.email.empty() && c.phone.empty() && c.address.empty())
      finding(Message(msg::BS018::no_contact), path::Field(p, "controller_contact"));
    if (rec.categories_of_processing.empty())
      finding(Message(msg::BS018::no_categories), path::Field(p, "categories_of_processing"));
    for (const Transfer& t : rec.transfers) {
      if (t.country.empty() || IsEeaCountry(t.country) || HasSafeguard(t.safeguard)) continue;
      Message m = t.recipient.empty()
                      ? Message(msg::BS018::transfer_no_safeguard)
                      : Message(msg::BS018::transfer_to_no_safeguard).Text("recipient", t.recipient);
      m.Text("country", t.country);
      finding(std::move(m), path::Field(path::Item(p, "transfers", t.id), "safeguard"));
    }
    if (rec.toms.empty()) finding(Message(msg::BS018::no_toms), path::Field(p, "toms"));
  }
}

}  // namespace blindspot::audit

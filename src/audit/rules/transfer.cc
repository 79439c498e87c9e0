// BS009: a transfer to a country outside the EEA without a Chapter V
// safeguard. Three checks: (1) an activity's transfer to a non-EEA country
// with no safeguard, (2) a vendor in a non-EEA country with no
// transfer_safeguard, (3) a registered touchpoint whose kb vendor processes
// data outside the EEA while the register records no transfer for it (no
// transfer to its vendor in its activities, and no safeguard on its vendor).
// Blind spots are left to BS001, which asks to record the transfer too.
// Not a finding: (2) for a vendor to which an activity records the transfer
// with a safeguard (the register says it, in the activity); (3) for a
// touchpoint seen only as a link (a wa.me link sends nothing), or whose
// registered vendor is an independent controller established in the EEA:
// the organisation discloses to that controller, and any onward transfer is
// the vendor's own (a joint controller shares the collection and
// transmission, so its transfer is still checked) (EDPB Guidelines 05/2021 on the interplay of Art. 3 and
// Chapter V: a transfer needs an exporter disclosing to an importer in a
// third country).
// Severity in context: medium for what the register records, high when the
// evidence shows data going to the recipient (a touchpoint of its vendor seen,
// always so for (3)) or something is at stake in the activities concerned.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckTransfer(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Transfer& t : a.transfers) {
      if (t.country.empty() || IsEeaCountry(t.country) || HasSafeguard(t.safeguard)) continue;
      const Processor* v = ctx.Vendor(t.recipient);
      Finding f = ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a),
                           Message(msg::BS009::activity_transfer)
                               .Text("activity", DisplayName(a))
                               .Text("recipient", v ? DisplayName(*v) : t.recipient)
                               .Text("country", t.country),
                           path::Field(path::Item(PathOf(a), "transfers", t.id), "safeguard"));
      std::vector<std::string_view> why = StakesInContext(ctx, a);
      if (v ? SeenSendingTo(ctx, *v) : SeenSendingFor(ctx, a)) why.push_back("evidence_of_sending");
      RaiseSeverity(f, why);
      out.push_back(std::move(f));
    }
  }
  auto recorded_in_activity = [&](const Processor& p) {
    for (const ProcessingActivity& a : ctx.reg.activities)
      for (const Transfer& t : a.transfers)
        if ((t.recipient == p.id || (!p.name.empty() && t.recipient == p.name)) && HasSafeguard(t.safeguard))
          return true;
    return false;
  };
  for (const Processor& p : ctx.reg.processors) {
    if (p.country.empty() || IsEeaCountry(p.country) || HasSafeguard(p.transfer_safeguard)) continue;
    if (recorded_in_activity(p)) continue;
    Finding f = ctx.Make(
        SubjectKind::kProcessor, p.id, DisplayName(p),
        Message(msg::BS009::vendor_outside).Text("processor", DisplayName(p)).Text("country", p.country),
        path::Field(PathOf(p), "transfer_safeguard"));
    // The stakes of the activities that name the vendor as recipient or transfer recipient.
    std::vector<std::string_view> why;
    for (const ProcessingActivity& a : ctx.reg.activities) {
      bool names = std::any_of(a.recipients.begin(), a.recipients.end(),
                               [&](const Recipient& r) { return r.processor == p.id; }) ||
                   std::any_of(a.transfers.begin(), a.transfers.end(),
                               [&](const Transfer& t) { return t.recipient == p.id; });
      if (!names) continue;
      for (std::string_view s : StakesInContext(ctx, a))
        if (std::find(why.begin(), why.end(), s) == why.end()) why.push_back(s);
    }
    if (ctx.reg.organisation.public_body && std::find(why.begin(), why.end(), "public_body") == why.end())
      why.push_back("public_body");
    if (SeenSendingTo(ctx, p)) why.push_back("evidence_of_sending");
    RaiseSeverity(f, why);
    out.push_back(std::move(f));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.kb || !row.registered) continue;
    const std::string& country = row.kb->vendor.processing_country;
    if (country.empty() || IsEeaCountry(country)) continue;
    if (LinkOnly(*row.detected)) continue;
    const Touchpoint& tp = *row.registered;
    const Processor* v = ctx.Vendor(tp.vendor);
    if (v && v->role == VendorRole::kIndependentController && !v->country.empty() && IsEeaCountry(v->country))
      continue;
    bool recorded = v && !IsEeaCountry(v->country) && HasSafeguard(v->transfer_safeguard);
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
      for (const Transfer& t : a->transfers) {
        bool to_vendor = (!tp.vendor.empty() && t.recipient == tp.vendor) || (v && t.recipient == v->name);
        bool same_country = !t.country.empty() && t.country == country;
        if (to_vendor || same_country) recorded = true;
      }
    }
    if (recorded) continue;
    TransferSafeguard mech = row.kb->vendor.transfer_mechanism;
    Message relies =
        mech == TransferSafeguard::kNone
            ? Message()
            : Message(msg::BS009::vendor_relies_on).Term("mechanism", "transfer_safeguard", ToString(mech));
    Finding f = ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                         Message(msg::BS009::touchpoint_transfer)
                             .Text("touchpoint", DisplayName(tp))
                             .Text("product", ProductName(row))
                             .Text("country", country)
                             .Sub("relies", relies),
                         path::Field(PathOf(tp), "vendor"));
    std::vector<std::string_view> why = StakesInContext(ctx, row);
    why.push_back("evidence_of_sending");  // seen in the traffic, not only as a link
    RaiseSeverity(f, why);
    out.push_back(std::move(f));
  }
}

}  // namespace blindspot::audit

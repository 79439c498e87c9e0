// BS029: the Chapter V tool a register records for a transfer (of an
// activity, or on a vendor), judged by the date of the evidence: the latest
// capture for the Privacy Shield (invalid from 2020-07-16, C-311/18), the
// earliest for the Data Privacy Framework (from 2023-07-10, Decision (EU)
// 2023/1795; US recipients only, certified ones only: the register's own
// dated check of the DPF list (`dpf_listing` on the vendor) first, a check
// dated before the DPF existed does not count; else the kb's mechanism of the
// vendor's products stands for its certification; unknown is "unverified");
// standard contractual clauses without a transfer impact
// assessment. Without evidence the audit judges as of today, after both
// dates. A transfer with no tool is BS009's. Evidence of actual sending to the
// vendor (a detected touchpoint of it) raises the severity.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

constexpr std::string_view kPrivacyShieldInvalid = "2020-07-16";
constexpr std::string_view kDpfApplies = "2023-07-10";

// The registered touchpoints whose vendor is `vendor` (a Processor id, or its name).
std::vector<const ReconciledTouchpoint*> RowsOfVendor(const AuditContext& ctx, const Processor* v,
                                                      std::string_view recipient) {
  std::vector<const ReconciledTouchpoint*> out;
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered) continue;
    const std::string& tv = row.registered->vendor;
    if (tv.empty()) continue;
    if ((v && tv == v->id) || tv == recipient) out.push_back(&row);
  }
  return out;
}

struct Judged {
  Message message;
  bool found = false;
};

Judged Judge(const AuditContext& ctx, TransferSafeguard tool, const std::string& country, const Processor* v,
             const std::string& recipient, bool has_tia) {
  Judged j;
  std::string first = ctx.detection.FirstCaptureDate();
  std::string last = ctx.detection.LastCaptureDate();
  if (tool == TransferSafeguard::kPrivacyShield) {
    if (!last.empty() && last < kPrivacyShieldInvalid) return j;  // evidence from when it was valid
    Message captured = last.empty() ? Message() : Message(msg::BS029::captured_on).Text("date", last);
    j.message = Message(msg::BS029::privacy_shield).Sub("captured", captured);
  } else if (tool == TransferSafeguard::kDataPrivacyFramework) {
    if (!first.empty() && first < kDpfApplies) {
      j.message = Message(msg::BS029::dpf_before).Text("date", first);
    } else if (!country.empty() && country != "US") {
      j.message = Message(msg::BS029::dpf_not_us);
    } else if (v && v->dpf_listing.listed == false) {
      j.message = Message(msg::BS029::dpf_register_not_listed)
                      .Text("checked", v->dpf_listing.checked.empty() ? "?" : v->dpf_listing.checked);
    } else if (v && v->dpf_listing.listed == true && !v->dpf_listing.checked.empty() &&
               v->dpf_listing.checked.substr(0, 10) < kDpfApplies) {
      j.message = Message(msg::BS029::dpf_checked_before).Text("checked", v->dpf_listing.checked);
    } else if (v && v->dpf_listing.listed == true) {
      return j;  // the register's check of the list
    } else {
      const KbEntry* other = nullptr;
      bool certified = false;
      for (const ReconciledTouchpoint* row : RowsOfVendor(ctx, v, recipient)) {
        if (!row->kb) continue;
        if (row->kb->vendor.transfer_mechanism == TransferSafeguard::kDataPrivacyFramework)
          certified = true;
        else if (!other)
          other = row->kb;
      }
      if (certified) return j;
      if (other)
        j.message = Message(msg::BS029::dpf_not_certified)
                        .Text("product", other->name.empty() ? other->id : other->name)
                        .Term("mechanism", "transfer_safeguard", ToString(other->vendor.transfer_mechanism));
      else
        j.message = Message(msg::BS029::dpf_unverified);
    }
  } else if (tool == TransferSafeguard::kSccs && !has_tia) {
    j.message = Message(msg::BS029::sccs_no_tia);
  } else {
    return j;
  }
  j.message.Text("recipient", v ? DisplayName(*v) : recipient)
      .Text("country", country.empty() ? "?" : country);
  j.found = true;
  return j;
}

// Evidence of actual sending to the vendor: one of its touchpoints was seen.
bool SeenSending(const AuditContext& ctx, const Processor* v, std::string_view recipient) {
  for (const ReconciledTouchpoint* row : RowsOfVendor(ctx, v, recipient))
    if (row->detected && !row->detected->inferred() && !LinkOnly(*row->detected)) return true;
  return false;
}

}  // namespace

void CheckTransferByDate(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ProcessingActivity& a : ctx.reg.activities) {
    for (const Transfer& t : a.transfers) {
      if (!t.safeguard || (!t.country.empty() && IsEeaCountry(t.country))) continue;
      const Processor* v = ctx.Vendor(t.recipient);
      Judged j = Judge(ctx, *t.safeguard, t.country, v, t.recipient, !t.tia.empty());
      if (!j.found) continue;
      std::string p = path::Item(PathOf(a), "transfers", t.id);
      Finding f = ctx.Make(SubjectKind::kActivity, a.id, DisplayName(a), std::move(j.message),
                           path::Field(p, *t.safeguard == TransferSafeguard::kSccs ? "tia" : "safeguard"));
      if (SeenSending(ctx, v, t.recipient)) RaiseSeverity(f, "evidence_of_sending");
      out.push_back(std::move(f));
    }
  }
  for (const Processor& p : ctx.reg.processors) {
    if (!p.transfer_safeguard || p.country.empty() || IsEeaCountry(p.country)) continue;
    // Standard contractual clauses: the assessment is recorded on the activities' transfers.
    if (*p.transfer_safeguard == TransferSafeguard::kSccs) continue;
    Judged j = Judge(ctx, *p.transfer_safeguard, p.country, &p, p.id, true);
    if (!j.found) continue;
    Finding f = ctx.Make(SubjectKind::kProcessor, p.id, DisplayName(p), std::move(j.message),
                         path::Field(PathOf(p), "transfer_safeguard"));
    if (SeenSending(ctx, &p, p.id)) RaiseSeverity(f, "evidence_of_sending");
    out.push_back(std::move(f));
  }
}

}  // namespace blindspot::audit

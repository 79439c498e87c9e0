// BS001: a touchpoint seen in the evidence that the register does not list.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckBlindSpot(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.blind_spot()) continue;
    const DetectedTouchpoint& d = *row.detected;
    std::string name = ProductName(row);
    std::vector<MessageArg> signals;
    for (const SignalHit& s : d.signals)
      signals.push_back(
          TextItem((s.data_category.empty() ? s.signal_id : s.data_category) + " (" + s.param + ")"));
    // Signals of other products that show this one (kept on that product,
    // each signal once): name the signal and its parameters.
    for (const ImplyingSignal& s : ImplyingSignals(d)) {
      signals.push_back(TextItem(s.signal_id + " (" + JoinParams(s) + ")"));
    }
    Message signals_part =
        signals.empty() ? Message() : Message(msg::BS001::signals_seen).List("signals", signals);
    // The page URLs it receives (issue 6 §2): what a register entry must cover.
    std::vector<MessageArg> url_params;
    for (const CarriedData& c : d.carried)
      if (c.kind == CarriedKind::kPageUrl) url_params.push_back(TextItem(c.param));
    Message page_urls = url_params.empty() ? Message()
                                           : Message(msg::BS001::page_urls)
                                                 .Number("params", static_cast<int64_t>(url_params.size()))
                                                 .List("list", std::move(url_params));
    Message transfer;
    if (row.kb && !row.kb->vendor.processing_country.empty() &&
        !IsEeaCountry(row.kb->vendor.processing_country)) {
      // The transfer is part of what must be registered (Art. 30(1)(e)).
      TransferSafeguard mech = row.kb->vendor.transfer_mechanism;
      Message relies =
          mech == TransferSafeguard::kNone
              ? Message()
              : Message(msg::BS001::relies_on).Term("mechanism", "transfer_safeguard", ToString(mech));
      transfer = Message(msg::BS001::transfer)
                     .Text("country", row.kb->vendor.processing_country)
                     .Sub("relies", relies);
    }
    Message m;
    if (d.records_only && d.implied_by.empty()) {
      // Known from discovery records only (DNS, DMARC, tag manager, ad platform).
      m = Message(msg::BS001::records).List("records", RecordItems(d));
    } else if (!d.implied_by.empty()) {
      m = Message(msg::BS001::implied_only).Text("via", d.implied_by);
    } else {
      m = Message(msg::BS001::seen)
              .Number("pages", static_cast<int64_t>(d.pages.size()))
              .Number("evidence", static_cast<int64_t>(d.evidence_count));
    }
    m.Text("name", name)
        .Text("kb_id", d.kb_id)
        .Sub("signals", signals_part)
        .Sub("page_urls", page_urls)
        .Sub("transfer", transfer);
    out.push_back(ctx.Make(SubjectKind::kDetected, d.kb_id, name, std::move(m), ""));
  }
}

}  // namespace blindspot::audit

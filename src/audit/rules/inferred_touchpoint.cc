// BS020: a product that another product's data signal suggests (with medium or
// low confidence) and that the register does not list: an inference to
// confirm, not a blind spot (Meta Advanced Matching -> Custom Audiences).
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckInferredTouchpoint(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.inferred()) continue;
    const DetectedTouchpoint& d = *row.detected;
    std::vector<MessageArg> signals;
    std::vector<std::string> via;
    for (const ImplyingSignal& s : ImplyingSignals(d)) {
      signals.push_back(
          MessageItem(Message(msg::BS020::signal).Text("signal", s.signal_id).Text("params", JoinParams(s))));
      if (std::find(via.begin(), via.end(), s.via) == via.end()) via.push_back(s.via);
    }
    std::string via_text;
    for (const std::string& v : via) via_text += (via_text.empty() ? "" : ", ") + v;
    if (via_text.empty()) via_text = d.implied_by;
    Message transfer;
    if (row.kb && !row.kb->vendor.processing_country.empty() &&
        !IsEeaCountry(row.kb->vendor.processing_country))
      transfer = Message(msg::BS020::transfer).Text("country", row.kb->vendor.processing_country);
    std::string name = ProductName(row);
    if (d.records_only && d.implied_by.empty()) {
      // Set up according to discovery records, not seen working.
      Message m(msg::BS020::records);
      m.Text("name", name)
          .Text("kb_id", d.kb_id)
          .Term("confidence", "inference_confidence", ToString(d.confidence))
          .List("records", RecordItems(d))
          .Sub("transfer", transfer);
      out.push_back(ctx.Make(SubjectKind::kDetected, d.kb_id, name, std::move(m), ""));
      continue;
    }
    Message m(msg::BS020::inferred);
    m.Text("name", name)
        .Text("kb_id", d.kb_id)
        .Term("confidence", "inference_confidence", ToString(d.confidence))
        .Text("via", via_text)
        .List("signals", std::move(signals))
        .Sub("transfer", transfer);
    out.push_back(ctx.Make(SubjectKind::kDetected, d.kb_id, name, std::move(m), ""));
  }
}

}  // namespace blindspot::audit

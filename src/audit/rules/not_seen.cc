// BS002: a registered touchpoint whose product was not seen in the evidence.
#include <set>

#include "audit/rule.h"

namespace blindspot::audit {

void CheckNotSeen(const AuditContext& ctx, std::vector<Finding>& out) {
  // With discovery files only (no captured request), a product can be missed
  // only by files that could have shown it: a record of a kind its kb entry
  // has a signature for, or a tag-manager export (a tag's code shows any
  // product by its URLs). A pixel is not "not seen" in a DNS zone.
  const bool records_only = ctx.detection.entries == 0 && !ctx.detection.discoveries.empty();
  std::set<ObservationKind> kinds;
  if (records_only)
    for (const DiscoverySource& ds : ctx.detection.discoveries)
      if (ds.report)
        for (const Observation& o : ds.report->observations) kinds.insert(o.kind);
  auto could_show = [&](const KbEntry& kb) {
    if (kinds.count(ObservationKind::kTagConfigured) && !kb.signatures.requests.empty()) return true;
    for (const RecordSignature& r : kb.signatures.records)
      if (kinds.count(r.kind)) return true;
    return false;
  };
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.not_seen() || !row.kb) continue;
    if (records_only && !could_show(*row.kb)) continue;
    const Touchpoint& tp = *row.registered;
    if (tp.answers.in_use == false) continue;  // recorded as not in use: consistent with not seen
    Message m = ctx.detection.sources.empty()
                    ? Message(msg::BS002::no_evidence)
                    : Message(msg::BS002::not_seen)
                          .Number("sources", static_cast<int64_t>(ctx.detection.sources.size()))
                          .Number("requests", static_cast<int64_t>(ctx.detection.entries));
    m.Text("touchpoint", DisplayName(tp)).Text("product", tp.product);
    out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp), std::move(m), PathOf(tp)));
  }
}

}  // namespace blindspot::audit

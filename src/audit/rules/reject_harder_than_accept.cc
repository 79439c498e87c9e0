// BS031: refusing is harder than accepting, as a live scan recorded it: the
// reject took more clicks than the accept, the reject click failed while the
// accept click worked, or the banner came back after reject (scan.json of the
// phases after reject and after accept: consent.clicks, result,
// banner_shown_again). What a scan did not record is not compared.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckRejectHarderThanAccept(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    const PhaseObservations* reject = nullptr;
    const PhaseObservations* accept = nullptr;
    for (const PhaseObservations& o : scan) {
      if (o.phase == ConsentPhase::kAfterReject) reject = &o;
      if (o.phase == ConsentPhase::kAfterAccept) accept = &o;
    }
    if (!reject || !reject->scan->consent.banner_found) continue;
    const ScanConsent& r = reject->scan->consent;
    BannerSubject who = BannerOf(ctx, *reject->scan, reject->source);
    auto both = [&] {
      return std::vector<MessageArg>{TextItem(reject->scan->file), TextItem(accept->scan->file)};
    };
    if (accept && accept->scan->consent.result == "clicked") {
      const ScanConsent& a = accept->scan->consent;
      if (r.result == "clicked" && r.clicks && a.clicks && *r.clicks > *a.clicks)
        out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                               Message(msg::BS031::more_clicks)
                                   .Number("reject", *r.clicks)
                                   .Number("accept", *a.clicks)
                                   .List("sources", both()),
                               ""));
      if (r.result == "failed")
        out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                               Message(msg::BS031::reject_failed).List("sources", both()), ""));
    }
    if (r.shown_again.value_or(false))
      out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                             Message(msg::BS031::shown_again).Text("source", reject->scan->file), ""));
  }
}

}  // namespace blindspot::audit

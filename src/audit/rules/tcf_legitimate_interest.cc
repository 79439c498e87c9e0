// BS034: after "reject all" the IAB TCF consent string still has advertising
// and profiling purposes (TCF purposes 2-7) on under legitimate interest for
// at least one vendor (after-reject scan.json: consent.tcf, decoded by
// ParseTcString). A string that does not decode is not judged.
#include "audit/rule.h"
#include "blindspot/tc_string.h"

namespace blindspot::audit {

void CheckTcfLegitimateInterest(const AuditContext& ctx, std::vector<Finding>& out) {
  // Purposes that need consent (storage and profiling for advertising and
  // content, and measuring ads): 2 basic ads, 3-4 ad profiles, 5-6 content
  // profiles, 7 ad measurement (Belgian DPA 21/2022; EDPB 05/2020).
  constexpr int kNeedConsent[] = {2, 3, 4, 5, 6, 7};
  for (const auto& scan : ObservationsPerScan(ctx)) {
    for (const PhaseObservations& o : scan) {
      if (o.phase != ConsentPhase::kAfterReject) continue;
      const ScanConsent& c = o.scan->consent;
      if (c.tc_string.empty() || c.result != "clicked") continue;
      auto tc = ParseTcString(c.tc_string);
      if (!tc || tc->vendors_li.empty()) continue;
      std::string purposes;
      for (int p : kNeedConsent)
        if (tc->PurposeLi(p)) purposes += (purposes.empty() ? "" : ", ") + std::to_string(p);
      if (purposes.empty()) continue;
      BannerSubject who = BannerOf(ctx, *o.scan, o.source);
      out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                             Message(msg::BS034::li_after_reject)
                                 .Text("banner", who.name)
                                 .Number("cmp", tc->cmp_id)
                                 .Text("purposes", purposes)
                                 .Number("vendors", static_cast<int64_t>(tc->vendors_li.size()))
                                 .Text("source", o.scan->file),
                             ""));
    }
  }
}

}  // namespace blindspot::audit

// BS030: the consent banner's first layer offers "accept" but no "reject"
// ("settings" alone does not count), as a live scan recorded it (scan.json:
// consent.first_layer_buttons). Judged once per scan, on the first phase that
// recorded the first layer.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckNoRejectFirstLayer(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    for (const PhaseObservations& o : scan) {
      const ScanConsent& c = o.scan->consent;
      if (!c.banner_found || !c.has_buttons || c.first_layer_buttons.empty()) continue;
      if (c.HasRole("accept") && !c.HasRole("reject")) {
        std::vector<MessageArg> buttons;
        for (const ConsentButton& b : c.first_layer_buttons) buttons.push_back(TextItem(b.text));
        BannerSubject who = BannerOf(ctx, *o.scan, o.source);
        Message m = c.consent_manager.empty() ? Message(msg::BS030::no_reject_unnamed)
                                              : Message(msg::BS030::no_reject).Text("manager", who.name);
        m.List("buttons", std::move(buttons)).Text("source", o.scan->file);
        out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name, std::move(m), ""));
      }
      break;  // the first layer is judged once per scan
    }
  }
}

}  // namespace blindspot::audit

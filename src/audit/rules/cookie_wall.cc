// BS048: a cookie wall, judged conservatively from a live scan: before
// consent the banner blocks the page (it covers at least 90% of the viewport,
// or the page beneath is scroll-locked or inert: consent.banner), its first
// layer offers no reject, and the after-reject phase did not get past it (the
// reject failed); or the page is still blocked by a banner that names a
// price or subscription after the reject (pay or accept). A big banner with a
// reject button, one the scan refused through its settings layer, and a scan
// without the after-reject phase are not walls.
#include <cmath>

#include "audit/rule.h"

namespace blindspot::audit {

namespace {

constexpr double kCovers = 0.9;

bool Blocks(const BannerBox& b) {
  return b.recorded && (b.viewport_share >= kCovers || b.scroll_locked || b.inert);
}

}  // namespace

void CheckCookieWall(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    const PhaseObservations* before = nullptr;
    const PhaseObservations* reject = nullptr;
    for (const PhaseObservations& o : scan) {
      if (o.phase == ConsentPhase::kBeforeConsent) before = &o;
      if (o.phase == ConsentPhase::kAfterReject) reject = &o;
    }
    if (!before || !reject) continue;
    const ScanConsent& b = before->scan->consent;
    const ScanConsent& r = reject->scan->consent;
    if (!b.banner_found || !b.has_buttons || b.first_layer_buttons.empty() || !Blocks(b.banner)) continue;
    bool no_reject = !b.HasRole("reject") && r.result == "failed";
    bool still_walled = r.result == "clicked" && Blocks(r.banner) && !r.banner.paywall_terms.empty();
    if (!no_reject && !still_walled) continue;
    std::vector<MessageArg> buttons;
    for (const ConsentButton& x : b.first_layer_buttons) buttons.push_back(TextItem(x.text));
    BannerSubject who = BannerOf(ctx, *before->scan, before->source);
    const std::vector<std::string>& terms =
        !b.banner.paywall_terms.empty() ? b.banner.paywall_terms : r.banner.paywall_terms;
    Message m = Message(msg::BS048::wall_locked);
    if (!terms.empty()) {
      std::vector<MessageArg> t;
      for (const std::string& w : terms) t.push_back(TextItem(w));
      m = Message(msg::BS048::pay_wall).List("terms", std::move(t));
    } else if (b.banner.viewport_share >= kCovers) {
      m = Message(msg::BS048::wall_covers)
              .Number("share", static_cast<int64_t>(std::lround(b.banner.viewport_share * 100)));
    }
    m.Text("banner", who.name).List("buttons", std::move(buttons)).Text("source", before->scan->file);
    out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name, std::move(m), ""));
  }
}

}  // namespace blindspot::audit

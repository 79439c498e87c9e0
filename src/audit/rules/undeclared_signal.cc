// BS015: a detected data signal carries a category of personal data that
// neither the touchpoint's answers nor its activities declare.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

namespace {

// The kb entry a signal hit implies (Google Ads' `em` -> enhanced
// conversions), or "".
std::string_view ImpliedBy(const KbEntry* kb, const SignalHit& s) {
  if (!kb) return {};
  for (const DataSignal& d : kb->data_signals)
    if (d.id == s.signal_id && !d.implies.empty()) return d.implies;
  return {};
}

}  // namespace

void CheckUndeclaredSignal(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered) continue;
    const Touchpoint& tp = *row.registered;
    std::vector<std::string> declared;
    AddDeclaredCategories(ctx, tp, declared);
    std::vector<std::string> reported;
    for (const SignalHit& s : row.detected->signals) {
      if (s.data_category.empty()) continue;
      // A hit is kept once, on the product that owns the signal; a register
      // that records the implied product (enhanced conversions) as a
      // touchpoint of its own may declare the data there.
      std::vector<std::string> also = declared;
      if (std::string_view target = ImpliedBy(row.kb, s); !target.empty())
        for (const Touchpoint& other : ctx.reg.touchpoints)
          if (other.product == target) AddDeclaredCategories(ctx, other, also);
      if (CategoryCovered(s.data_category, also)) continue;
      std::string key = s.data_category + "/" + s.signal_id;
      if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
      reported.push_back(key);
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             Message(msg::BS015::undeclared)
                                 .Text("product", ProductName(row))
                                 .Text("category", s.data_category)
                                 .Text("param", s.param)
                                 .Text("signal", s.signal_id)
                                 .Text("touchpoint", DisplayName(tp)),
                             path::Field(path::Field(PathOf(tp), "answers"), "data_collected")));
      out.back().key = key;
    }
  }
}

}  // namespace blindspot::audit

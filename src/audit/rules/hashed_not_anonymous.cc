// BS038: the register treats hashed identifiers as anonymous: an audience
// list recorded as anonymous, or a touchpoint whose security measures call
// the data anonymous while the evidence shows
// it sending contact data as a hashed data signal (advanced matching,
// enhanced conversions). An undeclared signal as such is BS015.
#include <algorithm>

#include "audit/rule.h"

namespace blindspot::audit {

namespace {

// "anonymous", "anonymised", "anonymized", "anonymisation", "anoniem",
// "geanonimiseerd", "anonym", "anonymisiert": the stems, case-insensitive.
bool CallsAnonymous(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("pseudonym") != std::string::npos) return false;  // "pseudonymised" is not a claim
  return lower.find("anonym") != std::string::npos || lower.find("anonim") != std::string::npos ||
         lower.find("anoniem") != std::string::npos;
}

}  // namespace

void CheckHashedNotAnonymous(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const Touchpoint& tp : ctx.reg.touchpoints) {
    if (tp.answers.in_use == false) continue;
    if (tp.audience_list.anonymous.value_or(false))
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             Message(msg::BS038::list_anonymous)
                                 .Text("touchpoint", DisplayName(tp))
                                 .Text("product", ProductName(ctx, tp))
                                 .Text("hashed", tp.audience_list.hashed.value_or(false) ? "yes" : "no"),
                             path::Field(path::Field(PathOf(tp), "audience_list"), "anonymous")));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered) continue;
    const Touchpoint& tp = *row.registered;
    // The first measure that calls the data anonymous, and its path.
    std::string measure, at;
    for (size_t i = 0; i < tp.answers.security_measures.size() && measure.empty(); ++i)
      if (CallsAnonymous(tp.answers.security_measures[i])) {
        measure = tp.answers.security_measures[i];
        at = path::Index(path::Field(PathOf(tp), "answers"), "security_measures", i);
      }
    if (measure.empty()) continue;
    for (const SignalHit& s : row.detected->signals) {
      if (!s.data_category.starts_with("user.contact")) continue;
      out.push_back(ctx.Make(SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
                             Message(msg::BS038::signal_called_anonymous)
                                 .Text("touchpoint", DisplayName(tp))
                                 .Text("measure", measure)
                                 .Text("product", ProductName(row))
                                 .Text("category", s.data_category)
                                 .Text("signal", s.signal_id)
                                 .Text("param", s.param),
                             at));
      break;  // one finding per touchpoint: the claim is one
    }
  }
}

}  // namespace blindspot::audit

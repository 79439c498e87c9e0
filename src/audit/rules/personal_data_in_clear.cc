// BS021: an e-mail address or phone number in clear in a parameter of a
// request to a third party (issue 6 §2): one finding per touchpoint (or
// unattributed third-party domain), kind, parameter and inner parameter.
#include "audit/rule.h"

namespace blindspot::audit {

namespace {

Message Sent(const CarriedData& c) {
  Message m(msg::BS021::sent);
  m.Term("kind", "carried_kind", ToString(c.kind))
      .Text("param", c.param)
      .Sub("inner", c.inner.empty() ? Message() : Message(msg::BS021::inner).Text("inner", c.inner))
      .Text("host", c.host)
      .Number("requests", static_cast<int64_t>(c.requests))
      .Text("page", c.page.empty() ? "-" : c.page);
  return m;
}

// What tells apart the findings about one recipient: kind, parameter, inner parameter.
std::string KeyOf(const CarriedData& c) {
  return std::string(ToString(c.kind)) + "/" + c.param + (c.inner.empty() ? "" : "/" + c.inner);
}

// The fideslang category of what was carried.
std::string_view CategoryOf(CarriedKind k) {
  return k == CarriedKind::kPhone ? "user.contact.phone_number" : "user.contact.email";
}

}  // namespace

void CheckPersonalDataInClear(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected) continue;
    // A registered recipient that declares the data (a newsletter form posting
    // the e-mail address to the registered e-mail platform) is the intended
    // processing, not a leak.
    std::vector<std::string> declared;
    if (row.registered) AddDeclaredCategories(ctx, *row.registered, declared);
    for (const CarriedData& c : row.detected->carried) {
      if (!IsPersonalData(c.kind)) continue;
      if (row.registered && CategoryCovered(CategoryOf(c.kind), declared)) continue;
      out.push_back(ctx.Make(SubjectKind::kDetected, row.detected->kb_id, ProductName(row), Sent(c), ""));
      out.back().key = KeyOf(c);
    }
  }
  for (const UnattributedCarried& u : ctx.detection.carried)
    for (const CarriedData& c : u.carried) {
      if (!IsPersonalData(c.kind)) continue;
      out.push_back(ctx.Make(SubjectKind::kDetected, "third-party:" + u.registrable_domain,
                             u.registrable_domain, Sent(c), ""));
      out.back().key = KeyOf(c);
    }
}

}  // namespace blindspot::audit

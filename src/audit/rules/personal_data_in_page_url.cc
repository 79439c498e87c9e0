// BS041: the site's own page URLs carry personal data (an e-mail address or a
// phone number in their query string or fragment), and third parties receive
// it with the page URL. A security matter of the site (Art. 32(1), Art.
// 5(1)(f) GDPR): every tag on the page, the vendors' logs and the browser
// history get what the form asked for. Told from the carried data: a
// recipient's parameter holds a first-party page URL (kPageUrl, kept only for
// first-party URLs) and, in the same parameter, an e-mail address or phone
// number inside that URL (CarriedData::inner). One finding per site and kind
// and URL parameter, naming every recipient; unlike BS021 it does not depend
// on the register (a registered recipient that declares the data still gets
// it through a URL that everything on the page sees).
#include <algorithm>
#include <map>

#include "audit/rule.h"

namespace blindspot::audit {

namespace {

struct Leak {
  CarriedKind kind = CarriedKind::kEmail;
  std::string inner;
  std::vector<std::string> recipients;  // product names or third-party domains, in order found
  uint64_t requests = 0;
  std::string page;
};

void Collect(const std::vector<CarriedData>& carried, const std::string& recipient,
             std::map<std::pair<int, std::string>, Leak>& leaks) {
  for (const CarriedData& c : carried) {
    if (!IsPersonalData(c.kind) || c.inner.empty()) continue;
    // The parameter must carry first-party page URLs: the embedded URL is one of the site's own.
    bool page_url = std::any_of(carried.begin(), carried.end(), [&](const CarriedData& p) {
      return p.kind == CarriedKind::kPageUrl && p.param == c.param;
    });
    if (!page_url) continue;
    Leak& l = leaks[{static_cast<int>(c.kind), c.inner}];
    l.kind = c.kind;
    l.inner = c.inner;
    if (std::find(l.recipients.begin(), l.recipients.end(), recipient) == l.recipients.end())
      l.recipients.push_back(recipient);
    l.requests += c.requests;
    if (l.page.empty()) l.page = c.page;
  }
}

}  // namespace

void CheckPersonalDataInPageUrl(const AuditContext& ctx, std::vector<Finding>& out) {
  std::map<std::pair<int, std::string>, Leak> leaks;
  for (const ReconciledTouchpoint& row : ctx.touchpoints)
    if (row.detected) Collect(row.detected->carried, ProductName(row), leaks);
  for (const UnattributedCarried& u : ctx.detection.carried) Collect(u.carried, u.registrable_domain, leaks);
  if (leaks.empty()) return;
  const std::string site =
      ctx.detection.first_party_domains.empty() ? std::string() : ctx.detection.first_party_domains[0];
  for (const auto& [key, l] : leaks) {
    std::vector<MessageArg> recipients;
    for (const std::string& r : l.recipients) recipients.push_back(TextItem(r));
    Message m = Message(msg::BS041::in_page_url)
                    .Text("site", site.empty() ? "-" : site)
                    .Term("kind", "carried_kind", ToString(l.kind))
                    .Text("inner", l.inner)
                    .List("recipients", std::move(recipients))
                    .Number("requests", static_cast<int64_t>(l.requests))
                    .Text("page", l.page.empty() ? "-" : l.page);
    out.push_back(ctx.Make(SubjectKind::kDetected, "site:" + site, site, std::move(m), ""));
    out.back().key = std::string(ToString(l.kind)) + "/" + l.inner;
  }
}

}  // namespace blindspot::audit

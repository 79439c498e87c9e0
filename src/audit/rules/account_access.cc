// BS055: a business with confirmed access to an ad account (discovery
// observation account-access, "<platform>:<role>", subject the business) that
// the register names neither as a processor (id, name or legal entity, compared
// as CompanyKey) nor as a recipient or transfer recipient of an activity.
// People ("person <pseudonymous id>"), pending or withdrawn access (proof not
// in-use) and the organisation itself are not reported.
#include <set>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

// How the platform of an account-access key is shown.
std::string PlatformName(std::string_view platform) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"meta", "Meta"},           {"google-ads", "Google Ads"},
      {"linkedin", "LinkedIn"},   {"x", "X"},
      {"snapchat", "Snapchat"},   {"tiktok", "TikTok"},
      {"pinterest", "Pinterest"}, {"mailchimp", "Mailchimp"},
      {"klaviyo", "Klaviyo"}};
  for (const auto& [key, name] : kNames)
    if (key == platform) return std::string(name);
  return std::string(platform);
}

// The register names the party: as a processor (id, name, legal entity), or as
// an external recipient or transfer recipient of an activity, or it is the
// organisation itself.
bool Named(const Register& reg, const std::string& party) {
  std::string key = CompanyKey(party);
  if (key.empty()) return true;  // nothing to compare: not reported
  auto same = [&](std::string_view name) { return !name.empty() && CompanyKey(name) == key; };
  if (same(reg.organisation.name)) return true;
  for (const Processor& p : reg.processors)
    if (same(p.id) || same(p.name) || same(p.legal_entity)) return true;
  for (const ProcessingActivity& a : reg.activities) {
    for (const Recipient& r : a.recipients)
      if (same(r.name) || same(r.processor)) return true;
    for (const Transfer& t : a.transfers)
      if (same(t.recipient)) return true;
  }
  return false;
}

}  // namespace

void CheckAccountAccess(const AuditContext& ctx, std::vector<Finding>& out) {
  std::set<std::string> done;  // one finding per party (by key)
  for (const DiscoverySource& ds : ctx.detection.discoveries) {
    for (const Observation& o : ds.report->observations) {
      if (o.kind != ObservationKind::kAccountAccess || o.proof != Proof::kInUse) continue;
      if (o.subject.empty() || o.subject.starts_with("person ")) continue;
      if (Named(ctx.reg, o.subject) || !done.insert(CompanyKey(o.subject)).second) continue;
      size_t colon = o.key.find(':');
      std::string platform = colon == std::string::npos ? o.key : o.key.substr(0, colon);
      std::string role = colon == std::string::npos ? "" : o.key.substr(colon + 1);
      Message tasks;
      if (!o.Attr("permitted_tasks").empty())
        tasks = Message(msg::BS055::tasks).Text("tasks", std::string(o.Attr("permitted_tasks")));
      out.push_back(ctx.Make(SubjectKind::kDetected, o.subject, o.subject,
                             Message(msg::BS055::not_named)
                                 .Text("party", o.subject)
                                 .Text("platform", PlatformName(platform))
                                 .Text("role", role)
                                 .Sub("tasks", tasks)
                                 .Text("source", ds.name)
                                 .Text("location", o.location),
                             ""));
    }
  }
}

}  // namespace blindspot::audit

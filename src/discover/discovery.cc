// Names of observation kinds and proofs, and Observation::Attr.
#include "blindspot/discovery.h"

#include <array>

namespace blindspot {

namespace {
constexpr std::array<std::pair<ObservationKind, std::string_view>, 11> kKinds{{
    {ObservationKind::kVerificationToken, "verification-token"},
    {ObservationKind::kSpfInclude, "spf-include"},
    {ObservationKind::kDkimKey, "dkim-key"},
    {ObservationKind::kMx, "mx"},
    {ObservationKind::kCname, "cname"},
    {ObservationKind::kDmarcReportTo, "dmarc-report-to"},
    {ObservationKind::kMailSent, "mail-sent"},
    {ObservationKind::kTagConfigured, "tag-configured"},
    {ObservationKind::kAudience, "audience"},
    {ObservationKind::kAccountAccess, "account-access"},
    {ObservationKind::kDeclaredCookie, "declared-cookie"},
}};
}  // namespace

std::string_view ToString(ObservationKind k) {
  for (const auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "?";
}

std::optional<ObservationKind> ParseObservationKind(std::string_view s) {
  for (const auto& [kind, name] : kKinds)
    if (name == s) return kind;
  return std::nullopt;
}

const std::vector<ObservationKind>& AllObservationKinds() {
  static const std::vector<ObservationKind> all = [] {
    std::vector<ObservationKind> v;
    for (const auto& kn : kKinds) v.push_back(kn.first);
    return v;
  }();
  return all;
}

std::string_view ToString(Proof p) {
  switch (p) {
    case Proof::kSendingNow:
      return "sending-now";
    case Proof::kInUse:
      return "in-use";
    case Proof::kConfigured:
      return "configured";
    case Proof::kPaused:
      return "paused";
    case Proof::kAccountExists:
      return "account-exists";
    case Proof::kDeclared:
      return "declared";
  }
  return "?";
}

std::string_view Observation::Attr(std::string_view name) const {
  for (const auto& [k, v] : attrs)
    if (k == name) return v;
  return {};
}

}  // namespace blindspot

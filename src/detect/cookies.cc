// Cookie names: exact names and prefixes ("_ga_*") of the kb.
#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::MatchCookie(const Cookie& c, EvidenceKind kind, const EvidenceRecord& e) {
  std::string_view name = c.name;
  if (name.empty()) return;
  auto fill = [&](std::string_view pattern) {
    return [&, pattern](EvidenceItem& item) {
      item.signature = std::string(pattern);
      item.cookie_name = std::string(name);
      item.cookie_domain = std::string(c.domain);
      item.cookie_expires = std::string(c.expires);
    };
  };
  auto it = d.cookie_exact.find(name);
  if (it != d.cookie_exact.end()) {
    for (uint32_t entry : it->second) {
      // Names of up to kShortCookie bytes ("fr", "RT") are too generic to
      // prove anything on their own: they count only on requests attributed to
      // the same entry (e.g. "fr" sent to facebook.com, not a language cookie).
      if (name.size() <= kShortCookie && std::find(matched.begin(), matched.end(), entry) == matched.end())
        continue;
      AddEvidence(entry, kind, name, fill(it->first), e, true);
    }
  }
  const auto& bucket = d.cookie_prefix[static_cast<unsigned char>(name[0])];
  for (const auto& [prefix, entry] : bucket) {
    if (!name.starts_with(prefix)) continue;
    // The pattern as written in the kb ("_ga_*").
    AddEvidence(entry, kind, name, fill(std::string_view(prefix.data(), prefix.size() + 1)), e, true);
  }
}

}  // namespace blindspot

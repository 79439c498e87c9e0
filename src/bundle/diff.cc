// Comparing two captures: what appeared and what disappeared, per consent phase.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <type_traits>

#include "blindspot/bundle.h"

namespace blindspot {

std::string CookieKey(const Cookie& c, std::string_view request_host) {
  std::string_view domain = c.domain;
  while (!domain.empty() && domain.front() == '.') domain.remove_prefix(1);
  if (domain.empty()) domain = request_host;
  std::string lower(domain);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string reg = lower.empty() ? std::string() : RegistrableDomain(lower);
  return std::string(c.name) + " @ " + (reg.empty() ? std::string("?") : reg);
}

CaptureSnapshot SnapshotOf(const DetectionResult& d, std::set<std::string> cookies) {
  CaptureSnapshot s;
  for (const DetectedTouchpoint& t : d.touchpoints)
    if (!t.inferred()) s.touchpoints[t.kb_id] = t.kb ? t.kb->name : t.kb_id;
  for (const ThirdPartyHost& h : d.third_party_hosts) s.third_parties.insert(h.registrable_domain);
  for (const UnidentifiedTracker& u : d.unidentified) s.unidentified.insert(u.registrable_domain);
  s.cookies = std::move(cookies);
  return s;
}

namespace {

template <class Set>
std::vector<std::string> Keys(const Set& s) {
  std::vector<std::string> out;
  for (const auto& x : s) {
    if constexpr (std::is_same_v<Set, std::set<std::string>>)
      out.push_back(x);
    else
      out.push_back(x.first);
  }
  return out;
}

SetChange Compare(std::vector<std::string> a, std::vector<std::string> b) {
  SetChange c;
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(c.appeared));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(c.disappeared));
  return c;
}

}  // namespace

size_t PhaseDiff::changes() const {
  return touchpoints.size() + third_parties.size() + unidentified.size() + cookies.size();
}

size_t EvidenceDiff::changes() const {
  size_t n = 0;
  for (const PhaseDiff& p : phases) n += p.changes();
  return n;
}

PhaseDiff DiffSnapshots(ConsentPhase phase, const CaptureSnapshot* old_snap,
                        const CaptureSnapshot* new_snap) {
  static const CaptureSnapshot kEmpty;
  const CaptureSnapshot& a = old_snap ? *old_snap : kEmpty;
  const CaptureSnapshot& b = new_snap ? *new_snap : kEmpty;
  PhaseDiff d;
  d.phase = phase;
  d.in_old = old_snap != nullptr;
  d.in_new = new_snap != nullptr;
  d.touchpoints = Compare(Keys(a.touchpoints), Keys(b.touchpoints));
  d.third_parties = Compare(Keys(a.third_parties), Keys(b.third_parties));
  d.unidentified = Compare(Keys(a.unidentified), Keys(b.unidentified));
  d.cookies = Compare(Keys(a.cookies), Keys(b.cookies));
  d.names = a.touchpoints;
  for (const auto& [id, name] : b.touchpoints) d.names[id] = name;
  return d;
}

}  // namespace blindspot

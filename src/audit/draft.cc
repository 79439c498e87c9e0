// Draft touchpoints from an audit's blind spots: see include/blindspot/draft.h.
#include "blindspot/draft.h"

#include <algorithm>
#include <set>

#include "audit/ascii.h"
#include "blindspot/discovery.h"

namespace blindspot {

SeenItem SeenItemOf(const EvidenceItem& e) {
  SeenItem s;
  std::string place = e.source;
  switch (e.kind) {
    case EvidenceKind::kRecord:
      s.kind = std::string(ToString(e.record_kind));
      s.what = e.subject;
      s.detail = e.detail;
      s.proof = std::string(ToString(e.proof));
      s.first_date = e.first_date;
      s.last_date = e.last_date;
      s.count = static_cast<int64_t>(e.count);
      if (!e.location.empty()) place += (place.empty() ? "" : ", ") + e.location;
      break;
    case EvidenceKind::kCookie:
    case EvidenceKind::kSetCookie:
      s.kind = std::string(ToString(e.kind));
      s.what = e.cookie_name;
      s.detail = e.cookie_domain;
      break;
    case EvidenceKind::kSignal:
      s.kind = std::string(ToString(e.kind));
      s.what = e.signal_param.empty() ? e.signal_id : e.signal_param;
      s.detail = e.url;
      break;
    case EvidenceKind::kHtmlMarker:
      s.kind = std::string(ToString(e.kind));
      s.what = e.signature;
      s.detail = e.page;
      break;
    case EvidenceKind::kRequest:
    case EvidenceKind::kLink:
      s.kind = std::string(ToString(e.kind));
      s.what = e.url;
      s.detail = e.page;
      break;
  }
  s.source = place;
  return s;
}

namespace {

bool Taken(const std::set<std::string>& taken, const std::string& id) { return taken.count(id) > 0; }

// The register's processor for a kb entry: the one whose id is the kb id or
// whose name is the kb entry's name. Not by legal entity: one company's
// processor record (Google Ads, under controller-to-controller terms) says
// nothing of its other products (Google Analytics), so the owner says which.
std::string VendorOf(const Register& reg, const KbEntry& kb) {
  const std::string name = audit::AsciiLower(kb.name);
  for (const Processor& p : reg.processors)
    if (p.id == kb.id || audit::AsciiLower(p.name) == name) return p.id;
  return "";
}

}  // namespace

std::vector<Touchpoint> DraftTouchpoints(const AuditResult& result, const DraftOptions& options) {
  std::set<std::string> taken(options.taken_ids.begin(), options.taken_ids.end());
  for (const Touchpoint& t : result.reg->touchpoints) taken.insert(t.id);
  std::vector<Touchpoint> out;
  for (const ReconciledTouchpoint& rt : result.touchpoints) {
    if (!(rt.blind_spot() || rt.inferred()) || rt.kb == nullptr || rt.detected == nullptr) continue;
    const DetectedTouchpoint& d = *rt.detected;
    const KbEntry& kb = *rt.kb;
    Touchpoint t;
    t.id = kb.id;
    for (int n = 2; Taken(taken, t.id); ++n) t.id = kb.id + "-" + std::to_string(n);
    taken.insert(t.id);
    t.name = kb.name;
    t.channel = kb.channel;
    t.product = kb.id;
    t.vendor = VendorOf(*result.reg, kb);
    Discovered& x = t.discovered;
    x.audit = options.audit_id;
    x.date = options.date;
    x.proof = d.records_only && d.discovered ? std::string(ToString(*d.discovered)) : "seen";
    x.first_date = d.records_first_date;
    x.last_date = d.records_last_date;
    for (const EvidenceItem& e : d.evidence) x.seen.push_back(SeenItemOf(e));
    const bool in_use =
        !d.records_only ||
        (d.discovered && (*d.discovered == Proof::kSendingNow || *d.discovered == Proof::kInUse));
    if (in_use && !d.inferred()) x.suggested.in_use = true;
    for (const SignalHit& s : d.signals)
      if (!s.data_category.empty() &&
          std::find(x.suggested.data_collected.begin(), x.suggested.data_collected.end(), s.data_category) ==
              x.suggested.data_collected.end())
        x.suggested.data_collected.push_back(s.data_category);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace blindspot

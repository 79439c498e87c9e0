// Data signals: personal-data parameters on requests of the product that owns
// them, and the products they prove in use ("implies").
#include <algorithm>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

void Detector::Impl::MatchSignals(uint32_t entry, const ParsedUrl& u, const EvidenceRecord& e) {
  const auto& sigs = d.signals[entry];
  if (sigs.empty()) return;
  CollectNames(u, e);
  if (n_names == 0) return;
  auto applies = [&](const CompiledSignal& cs) {
    const DataSignal& ds = *cs.sig;
    if (!ds.host.empty() && !HostMatches(host_buf, ds.host)) return false;
    return ds.path_prefix.empty() || u.path.starts_with(ds.path_prefix);
  };
  // Whether a more specific signal of the entry that applies to this request
  // (an exact name, or a longer prefix) covers `n`: a catch-all "cd[*" leaves
  // cd[value] to its own signal, which names the right data category.
  auto covered_by_more_specific = [&](const CompiledSignal& cs, const std::string& n) {
    for (const CompiledSignal& other : sigs) {
      if (&other == &cs || (other.prefix && other.pattern.size() <= cs.pattern.size())) continue;
      if (other.Matches(n) && applies(other)) return true;
    }
    return false;
  };
  for (const CompiledSignal& cs : sigs) {
    if (!applies(cs)) continue;
    for (size_t i = 0; i < n_names; ++i) {
      const std::string& n = names[i];
      // An empty parameter ("rl=") carries no data: not a data signal (a
      // signature's query_has still counts the name).
      if (!name_has_value[i] || !cs.Matches(n)) continue;
      if (cs.prefix && !cs.pattern.empty() && covered_by_more_specific(cs, n)) continue;
      RecordSignal(cs, n, u, e);
      // A prefix signal ("ud[*") records every parameter it covers (e-mail and
      // phone are different data); an exact one, or "*" (any parameter: the
      // request itself is the signal), once.
      if (!cs.prefix || cs.pattern.empty()) break;
    }
  }
}

void Detector::Impl::RecordSignal(const CompiledSignal& cs, const std::string& param, const ParsedUrl& u,
                                  const EvidenceRecord& e) {
  const DataSignal& ds = *cs.sig;
  auto add_hit = [&](Tp& tp) {
    // One hit per signal and parameter: ud[em] and ud[ph] share the id
    // "advanced-matching" but carry different personal data.
    for (const SignalHit& h : tp.out.signals)
      if (h.signal_id == ds.id && h.param == param) return;
    SignalHit hit;
    hit.signal_id = ds.id;
    hit.param = param;
    hit.data_category = ds.data_category;
    hit.source = source_name;
    hit.entry = e.index;
    hit.example_url = MaskUrl(e.url, kMaxValue);
    tp.out.signals.push_back(std::move(hit));
  };
  add_hit(TouchpointFor(cs.entry));
  if (cs.implies < 0) return;
  uint32_t target = static_cast<uint32_t>(cs.implies);
  const std::string& via = kb.entries()[cs.entry].id;
  AddEvidence(
      target, EvidenceKind::kSignal, {},
      [&](EvidenceItem& item) {
        item.url = MaskUrl(e.url, kMaxValue);
        item.signal_id = ds.id;
        item.signal_param = param;
        item.via = via;
        item.signature = ds.param;
      },
      e, /*direct=*/false);
  // The hit stays with the entry that owns the signal (each personal-data
  // signal once); the implied entry has the kSignal evidence item above.
  Tp& tp = TouchpointFor(target);
  // A signal that proves the product in use (high confidence) is its data
  // leaving in this request: the product is active in the carrier's phase
  // (enhanced conversions' hashed e-mail on a Google Ads ping after a
  // reject). A weaker one only suggests it, and makes no phase.
  if (ds.implies_confidence == InferenceConfidence::kHigh && source_phase != ConsentPhase::kUnknown)
    tp.out.phases_active.insert(source_phase);
  if (tp.out.implied_by.empty()) {
    tp.out.implied_by = via;
    tp.out.confidence = ds.implies_confidence;
  } else {
    tp.out.confidence = std::min(tp.out.confidence, ds.implies_confidence);
  }
}

}  // namespace blindspot

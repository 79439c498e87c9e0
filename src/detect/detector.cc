// Detector: the order of checks for one record, and the end of a capture.
#include "detect/detector.h"

#include <algorithm>

namespace blindspot {

using namespace detect_internal;

std::string_view ToString(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::kRequest:
      return "request";
    case EvidenceKind::kCookie:
      return "cookie";
    case EvidenceKind::kSetCookie:
      return "set-cookie";
    case EvidenceKind::kLink:
      return "link";
    case EvidenceKind::kHtmlMarker:
      return "html-marker";
    case EvidenceKind::kSignal:
      return "signal";
    case EvidenceKind::kRecord:
      return "record";
  }
  return "request";
}

const DetectedTouchpoint* DetectionResult::Find(std::string_view kb_id) const {
  auto it = std::lower_bound(touchpoints.begin(), touchpoints.end(), kb_id,
                             [](const DetectedTouchpoint& t, std::string_view id) { return t.kb_id < id; });
  if (it != touchpoints.end() && it->kb_id == kb_id) return &*it;
  return nullptr;
}

bool DetectionResult::HasPhases() const {
  return std::any_of(sources.begin(), sources.end(),
                     [](const EvidenceSourceInfo& s) { return s.phase != ConsentPhase::kUnknown; });
}

Detector::Impl::Impl(std::shared_ptr<const KbIndex> idx, DetectOptions opts)
    : index(std::move(idx)),
      filters(opts.filters),
      d(index->data()),
      kb(index->kb()),
      options(std::move(opts)) {
  tps.resize(kb.entries().size());
  marker_seen.assign(d.markers.size(), 0);
}

namespace {
// "YYYY-MM-DD..." (the start of an ISO 8601 timestamp).
bool StartsWithDate(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
std::string DateOf(const std::string& ts) { return ts.empty() ? std::string() : ts.substr(0, 10); }
}  // namespace

std::string DetectionResult::FirstCaptureDate() const {
  std::string out;
  for (const EvidenceSourceInfo& s : sources)
    if (!s.first_capture.empty() && (out.empty() || DateOf(s.first_capture) < out))
      out = DateOf(s.first_capture);
  return out;
}

std::string DetectionResult::LastCaptureDate() const {
  std::string out;
  for (const EvidenceSourceInfo& s : sources)
    if (!s.last_capture.empty() && DateOf(s.last_capture) > out) out = DateOf(s.last_capture);
  return out;
}

void Detector::Impl::Observe(const EvidenceRecord& e) {
  if (StartsWithDate(e.started)) {
    if (source_first_capture.empty() || e.started < source_first_capture)
      source_first_capture = std::string(e.started);
    if (e.started > source_last_capture) source_last_capture = std::string(e.started);
  }
  ParsedUrl u;
  bool has_url = ParseUrl(e.url, &u);
  // HTML: by mime type, or sniffed when there is none.
  bool html = IsHtmlMime(e.mime_type) || (e.mime_type.empty() && !e.body.empty() && SniffHtml(e.body));
  if (!e.resource_type.empty()) {
    source_has_types = true;
    if (e.resource_type == "document" || e.resource_type == "Document") NoteDocument(e, true);
  }
  if (html && has_url && e.status < 400) NoteDocument(e, false);
  names_ready = false;
  matched.clear();
  if (has_url) {
    LowerHost(u.host, &host_buf);
    HostStat* hs = nullptr;
    auto is = [&](std::string_view sch) {
      return u.scheme.size() == sch.size() && StartsWithNoCase(u.scheme, sch);
    };
    bool web = is("https") || is("http") || is("wss") || is("ws");
    if (web && !host_buf.empty()) {
      auto it = source_hosts.find(std::string_view(host_buf));
      if (it == source_hosts.end()) it = source_hosts.emplace(host_buf, HostStat{}).first;
      hs = &it->second;
      hs->requests++;
    }
    const CompiledRequest* first = nullptr;
    bool m = d.MatchRequest(
        host_buf, u.path,
        [&](std::string_view q) {
          CollectNames(u, e);
          return HasName(q);
        },
        &matched, &first);
    if (m) {
      if (hs) hs->matched = true;
      for (uint32_t entry : matched) {
        // This entry's best signature on this host, for the evidence.
        const CompiledRequest* cr = first->entry == entry ? first : d.SignatureFor(entry, host_buf, u.path);
        AddEvidence(
            entry, EvidenceKind::kRequest, {},
            [&](EvidenceItem& item) {
              item.url = MaskUrl(e.url, kMaxValue);
              if (cr) {
                item.signature = cr->pattern;
                item.params = cr->sig->query_has;
              }
            },
            e, true);
      }
      for (uint32_t entry : matched) MatchSignals(entry, u, e);
    } else if (filters && hs && !d.HostKnown(host_buf)) {
      // A host the kb knows (another path of a known vendor) is not an
      // unidentified tracker; it stays among the unattributed hosts.
      pending_requests.push_back(
          {std::string(e.url), host_buf, std::string(e.resource_type), std::string(e.mime_type), e.index});
    }
    // What the request carries to a third party (values; `matched` attributes it).
    if (hs) ScanCarried(u, e);
  }
  for (const Cookie& c : e.request_cookies) MatchCookie(c, EvidenceKind::kCookie, e);
  for (const Cookie& c : e.response_cookies) MatchCookie(c, EvidenceKind::kSetCookie, e);
  if (html && !e.body.empty()) ScanHtml(e);
}

DetectionResult Detector::Impl::Finish() {
  DetectionResult r = std::move(result);
  result = DetectionResult{};
  MatchDiscoveries(r);
  for (Tp& tp : tps) {
    if (!tp.active) continue;
    if (tp.direct) {
      tp.out.implied_by.clear();
      tp.out.confidence = InferenceConfidence::kHigh;
    } else if (tp.records && tp.out.discovered) {
      // Known from records (and perhaps another product's signal): the
      // records' proof counts when it is stronger than the signal's.
      InferenceConfidence rc = RecordConfidence(*tp.out.discovered);
      tp.out.records_only = true;
      if (tp.out.implied_by.empty() || static_cast<int>(rc) < static_cast<int>(tp.out.confidence)) {
        tp.out.confidence = rc;
        if (rc == InferenceConfidence::kHigh) tp.out.implied_by.clear();
      }
    }
    r.touchpoints.push_back(std::move(tp.out));
    tp = Tp{};
  }
  std::sort(r.touchpoints.begin(), r.touchpoints.end(),
            [](const DetectedTouchpoint& a, const DetectedTouchpoint& b) { return a.kb_id < b.kb_id; });
  for (auto& [host, t] : third_party) r.third_party_hosts.push_back(std::move(t));
  for (auto& [dom, t] : unidentified) r.unidentified.push_back(std::move(t));
  for (auto& [dom, c] : carried_unattributed) {
    SortCarried(c.carried);
    r.carried.push_back(std::move(c));
  }
  carried_unattributed.clear();
  for (DetectedTouchpoint& t : r.touchpoints) SortCarried(t.carried);
  unidentified.clear();
  third_party.clear();
  r.first_party_domains.assign(first_party.begin(), first_party.end());
  first_party.clear();
  return r;
}

Detector::Detector(std::shared_ptr<const KbIndex> index, DetectOptions options)
    : impl_(std::make_unique<Impl>(std::move(index), std::move(options))) {}
Detector::~Detector() = default;
void Detector::AddDiscovery(const std::string& name, std::shared_ptr<const DiscoveryReport> report) {
  EvidenceSourceInfo info;
  info.name = name;
  info.kind = report->reader;
  info.warnings = report->warnings.size();
  info.first_capture = report->first_date;
  info.last_capture = report->last_date;
  impl_->result.sources.push_back(std::move(info));
  impl_->discoveries.emplace_back(name, std::move(report));
}
void Detector::BeginSource(const std::string& name, const std::string& kind, ConsentPhase phase,
                           std::shared_ptr<const ScanObservations> observations) {
  impl_->BeginSource(name, kind, phase);
  impl_->source_observations = std::move(observations);
}
void Detector::Observe(const EvidenceRecord& record) { impl_->Observe(record); }
void Detector::EndSource(const SourceSummary& summary) { impl_->EndSource(summary); }
DetectionResult Detector::Finish() { return impl_->Finish(); }

Result<DetectionResult> Detect(
    std::shared_ptr<const KbIndex> index, const std::vector<std::unique_ptr<EvidenceSource>>& sources,
    const DetectOptions& options,
    const std::vector<std::pair<std::string, std::shared_ptr<const DiscoveryReport>>>& discoveries) {
  Detector detector(std::move(index), options);
  for (const auto& source : sources) {
    detector.BeginSource(source->name(), "har", source->phase(), source->observations());
    auto summary = source->Read([&](const EvidenceRecord& e) { detector.Observe(e); });
    if (!summary) return std::unexpected(std::move(summary.error()));
    detector.EndSource(*summary);
  }
  for (const auto& [name, report] : discoveries) detector.AddDiscovery(name, report);
  return detector.Finish();
}

}  // namespace blindspot

// libFuzzer target: the input as a HAR, through what production runs on it.
//
// 1. HarReader::ReadBuffer (reused reader, as the CLI does for several files).
//    Every view in each EvidenceRecord is copied so that AddressSanitizer
//    sees a read of each byte while the view is supposed to be valid. Every
//    record goes to a Detector (one per input, as one per capture) over a
//    KbIndex built once from the embedded knowledge base (Kb::LoadEmbedded):
//    URL splitting, query parameter names, request/response cookies, HTML
//    body scanning (text/html bodies), form and JSON POST bodies, data
//    signals. ExtractLinks on every response body, SplitUrl +
//    RegistrableDomain on every URL (the evidence helpers the reports use).
// 2. The application layer's path: the same bytes owned by an evidence source
//    (NewHarSource, parsed in place with ReadOwned) through Detect(index,
//    sources). It must agree with 1: same records, same error, same
//    DetectionResult.
// 3. The raw input once more as a synthetic record's URL, HTML body and
//    JSON / form / text/plain / untyped POST body on kb hosts with data
//    signals, through a second Detector, so that the detector's own parsers
//    see arbitrary bytes, not only valid JSON strings; and as HTML to
//    ExtractLinks.
//
// Checks besides "no crash, no sanitizer report" (UBSan stops the run: the
// fuzz build uses -fno-sanitize-recover=all):
//   - links lie inside their body;
//   - an error carries an offset inside (or at the end of) the input; on
//     success SourceSummary::bytes is the input size and entries the number
//     of visits;
//   - each DetectionResult is well-formed: touchpoints sorted by kb id,
//     unique, pointing at that kb entry, with at least one match; at most
//     kMaxEvidence items, evidence_count >= kept items; items name the source
//     they came from; request/link/signal URLs at most 300 bytes; tel:/mailto:
//     links keep only the scheme; a touchpoint implied by another entry's
//     signal has only signal evidence; third-party hosts and first-party
//     domains sorted and unique; one source, whose entries and bytes are the
//     summary's;
//   - for a record without POST body, KbIndex::ClassifyUrl(url) naming kb
//     entry X means X is among the touchpoints (the two matchers agree).
// See docs/fuzzing.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/detect.h"
#include "blindspot/evidence.h"
#include "blindspot/kb.h"

namespace {

using blindspot::DetectedTouchpoint;
using blindspot::DetectionResult;
using blindspot::EvidenceKind;

size_t Touch(std::string_view v) {
  std::string copy(v);  // reads every byte of the view
  size_t h = 0;
  for (unsigned char ch : copy) h = h * 31 + ch;
  return h;
}

[[noreturn]] void Fail() { __builtin_trap(); }

bool StartsWithNoCase(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    char a = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (a != p[i]) return false;
  }
  return true;
}

const std::shared_ptr<const blindspot::KbIndex>& TheIndex() {
  static const std::shared_ptr<const blindspot::KbIndex> index = [] {
    auto kb = blindspot::Kb::LoadEmbedded();
    if (!kb) std::abort();
    return blindspot::KbIndex::Build(std::make_shared<const blindspot::Kb>(std::move(*kb)));
  }();
  return index;
}

constexpr size_t kMaxUrl = 300;  // what the detector keeps of a URL

void CheckResult(const DetectionResult& r, const std::set<std::string>& must_have, const std::string& source,
                 const blindspot::SourceSummary& summary) {
  const blindspot::Kb& kb = TheIndex()->kb();
  for (size_t i = 0; i < r.touchpoints.size(); ++i) {
    const DetectedTouchpoint& t = r.touchpoints[i];
    if (i > 0 && !(r.touchpoints[i - 1].kb_id < t.kb_id)) Fail();  // sorted, unique
    if (t.kb == nullptr || t.kb != kb.Find(t.kb_id)) Fail();
    if (t.evidence.size() > DetectedTouchpoint::kMaxEvidence) Fail();
    if (t.evidence_count < t.evidence.size() || t.evidence_count == 0) Fail();
    if (t.evidence.empty()) Fail();  // reported without any reason
    if (!t.implied_by.empty() && kb.Find(t.implied_by) == nullptr) Fail();
    for (const auto& ev : t.evidence) {
      if (ev.source != source) Fail();
      if (ev.url.size() > kMaxUrl) Fail();
      // Only signal evidence for a touchpoint that another entry's signal implies.
      if (!t.implied_by.empty() && ev.kind != EvidenceKind::kSignal) Fail();
      if (ev.kind == EvidenceKind::kSignal && (ev.via.empty() || kb.Find(ev.via) == nullptr)) Fail();
      if (ev.kind == EvidenceKind::kLink) {
        // A phone number or e-mail address is never kept.
        size_t colon = ev.url.find(':');
        std::string_view scheme = std::string_view(ev.url).substr(0, colon + 1);
        if ((StartsWithNoCase(ev.url, "tel:") || StartsWithNoCase(ev.url, "mailto:")) &&
            ev.url != std::string(scheme) + "\xE2\x80\xA6")
          Fail();
      }
      if ((ev.kind == EvidenceKind::kCookie || ev.kind == EvidenceKind::kSetCookie) && ev.cookie_name.empty())
        Fail();
    }
    for (const auto& s : t.signals) {
      if (s.signal_id.empty() || s.param.empty() || s.data_category.empty()) Fail();
      if (s.source != source || s.example_url.size() > kMaxUrl) Fail();
    }
  }
  for (size_t i = 1; i < r.third_party_hosts.size(); ++i)
    if (!(r.third_party_hosts[i - 1].host < r.third_party_hosts[i].host)) Fail();
  for (const auto& h : r.third_party_hosts)
    if (h.requests == 0 || h.host.empty()) Fail();
  for (size_t i = 1; i < r.first_party_domains.size(); ++i)
    if (!(r.first_party_domains[i - 1] < r.first_party_domains[i])) Fail();
  for (const std::string& id : must_have)
    if (r.Find(id) == nullptr) Fail();
  // Reading warnings: the reader's, passed on with the source name, at most
  // kMaxWarnings kept (plus the detector's own no-first-party), all counted.
  if (r.warning_count < r.warnings.size()) Fail();
  if (r.warning_count < summary.warning_count) Fail();
  if (r.warnings.size() > blindspot::SourceSummary::kMaxWarnings + 1) Fail();
  for (const auto& w : r.warnings) {
    if (w.source != source) Fail();
    if (w.offset > summary.bytes && summary.bytes > 0) Fail();
  }
  if (r.sources.size() != 1 || r.sources[0].name != source || r.sources[0].kind != "har") Fail();
  if (r.entries != summary.entries || r.bytes != summary.bytes || r.pages.size() != summary.pages.size())
    Fail();
}

// Two detections of the same records agree.
void CheckSame(const DetectionResult& a, const DetectionResult& b) {
  if (a.touchpoints.size() != b.touchpoints.size() ||
      a.third_party_hosts.size() != b.third_party_hosts.size() ||
      a.first_party_domains != b.first_party_domains || a.entries != b.entries || a.bytes != b.bytes ||
      a.tel_links != b.tel_links || a.mailto_links != b.mailto_links || a.pages.size() != b.pages.size() ||
      a.warning_count != b.warning_count || a.warnings.size() != b.warnings.size())
    Fail();
  for (size_t i = 0; i < a.touchpoints.size(); ++i) {
    const DetectedTouchpoint& x = a.touchpoints[i];
    const DetectedTouchpoint& y = b.touchpoints[i];
    if (x.kb_id != y.kb_id || x.evidence_count != y.evidence_count ||
        x.evidence.size() != y.evidence.size() || x.signals.size() != y.signals.size() ||
        x.pages != y.pages || x.implied_by != y.implied_by)
      Fail();
    for (size_t j = 0; j < x.evidence.size(); ++j) {
      const auto& p = x.evidence[j];
      const auto& q = y.evidence[j];
      if (p.kind != q.kind || p.url != q.url || p.page != q.page || p.entry != q.entry ||
          p.signature != q.signature || p.cookie_name != q.cookie_name ||
          p.cookie_domain != q.cookie_domain || p.cookie_expires != q.cookie_expires)
        Fail();
    }
    for (size_t j = 0; j < x.signals.size(); ++j)
      if (x.signals[j].param != y.signals[j].param || x.signals[j].example_url != y.signals[j].example_url)
        Fail();
  }
  for (size_t i = 0; i < a.third_party_hosts.size(); ++i) {
    const auto& p = a.third_party_hosts[i];
    const auto& q = b.third_party_hosts[i];
    if (p.host != q.host || p.registrable_domain != q.registrable_domain || p.requests != q.requests ||
        p.matched != q.matched)
      Fail();
  }
}

// NewHarSource, counting the records it hands out.
class CountingSource : public blindspot::EvidenceSource {
 public:
  explicit CountingSource(std::unique_ptr<blindspot::EvidenceSource> inner) : inner_(std::move(inner)) {}
  const std::string& name() const override { return inner_->name(); }
  blindspot::Result<blindspot::SourceSummary> Read(const blindspot::RecordVisitor& visit) override {
    return inner_->Read([&](const blindspot::EvidenceRecord& e) {
      ++records;
      visit(e);
    });
  }
  uint64_t records = 0;

 private:
  std::unique_ptr<blindspot::EvidenceSource> inner_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static blindspot::HarReader reader;  // reused, as the CLI does for several files
  const auto& index = TheIndex();
  const std::string name = "fuzz.har";
  std::string_view input(reinterpret_cast<const char*>(data), size);
  volatile size_t sink = 0;
  std::set<std::string> must_have;  // kb ids ClassifyUrl named for records without a body
  uint64_t visits = 0;

  // 1. ReadBuffer, every record to a Detector.
  blindspot::Detector detector(index);
  detector.BeginSource(name, "har");
  auto result = reader.ReadBuffer(input, name, [&](const blindspot::EvidenceRecord& e) {
    ++visits;
    size_t h = Touch(e.pageref) + Touch(e.started) + Touch(e.method) + Touch(e.url) + Touch(e.post_mime) +
               Touch(e.post_text) + Touch(e.mime_type) + Touch(e.body) + Touch(e.resource_type) +
               Touch(e.referer) + Touch(e.fetch_dest);
    for (const auto& c : e.request_cookies)
      h += Touch(c.name) + Touch(c.value) + Touch(c.domain) + Touch(c.expires);
    for (const auto& c : e.response_cookies)
      h += Touch(c.name) + Touch(c.value) + Touch(c.domain) + Touch(c.expires);
    if (!e.body.empty()) {
      for (std::string_view link : blindspot::ExtractLinks(e.body)) {
        // Links are views into the body.
        if (link.data() < e.body.data() || link.data() + link.size() > e.body.data() + e.body.size()) Fail();
        h += Touch(link);
      }
    }
    blindspot::UrlParts parts;
    if (blindspot::SplitUrl(e.url, &parts)) h += blindspot::RegistrableDomain(parts.host).size();
    if (e.post_text.empty()) {
      if (const blindspot::KbEntry* k = index->ClassifyUrl(e.url)) must_have.insert(k->id);
    }
    detector.Observe(e);
    sink = sink + h;
  });
  blindspot::SourceSummary summary;
  if (!result) {
    const blindspot::Error& err = result.error();
    // Errors from a buffer always carry an offset inside (or at the end of) it.
    if (!err.where.has_offset || err.where.offset > size) Fail();
    sink = sink + err.Format().size();
  } else {
    if (result->bytes != size) Fail();
    if (result->entries != visits) Fail();
    summary = *result;
  }
  detector.EndSource(summary);  // after an error, what was seen before it is still reported
  DetectionResult buffered = detector.Finish();
  CheckResult(buffered, must_have, name, summary);

  // 2. The application layer's path: the bytes owned by an evidence source
  // (with room for the parser's padding), parsed in place, through Detect().
  std::string owned;
  owned.reserve(size + 64);
  owned.assign(input);
  auto counting = std::make_unique<CountingSource>(blindspot::NewHarSource(std::move(owned), name, name));
  CountingSource* source = counting.get();
  std::vector<std::unique_ptr<blindspot::EvidenceSource>> sources;
  sources.push_back(std::move(counting));
  auto in_place = blindspot::Detect(index, sources);
  if (in_place.has_value() != result.has_value()) Fail();
  if (result) {
    if (source->records != visits) Fail();
    CheckResult(*in_place, must_have, name, summary);
    CheckSame(buffered, *in_place);
  } else if (in_place.error().where.offset != result.error().where.offset ||
             in_place.error().message != result.error().message) {
    Fail();
  }

  // 3. The raw input as the parts of a request the detector parses itself.
  static constexpr std::string_view kUrls[] = {
      "https://www.facebook.com/tr/?id=1&ev=PageView",  // meta-pixel, ud[*] signals
      "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?gclid=x",
      "https://tr.snapchat.com/p",           // u_hem
      "https://ct.pinterest.com/v3/?tid=1",  // pd
  };
  static constexpr std::string_view kPostMimes[] = {"application/json", "application/x-www-form-urlencoded",
                                                    "text/plain;charset=UTF-8", ""};
  const std::string raw_name = "raw.har";
  must_have.clear();
  blindspot::Detector raw(index);
  raw.BeginSource(raw_name, "har");
  blindspot::EvidenceRecord e;
  e.method = "POST";
  e.started = "2026-12-02T00:00:00.000Z";
  for (size_t i = 0; i < std::size(kUrls); ++i) {
    e.index = i;
    e.url = kUrls[i];
    e.post_mime = kPostMimes[i];
    e.post_text = input;
    if (i == 0) {
      e.mime_type = "text/html; charset=utf-8";
      e.body = input;
    } else {
      e.mime_type = {};
      e.body = {};
    }
    raw.Observe(e);
  }
  e = blindspot::EvidenceRecord{};
  e.index = std::size(kUrls);
  e.url = input;  // ParseUrl, MaskUrl and the host lookups on arbitrary bytes
  if (const blindspot::KbEntry* k = index->ClassifyUrl(e.url)) must_have.insert(k->id);
  raw.Observe(e);
  blindspot::SourceSummary raw_summary;
  raw_summary.kind = "har";
  raw_summary.entries = std::size(kUrls) + 1;
  raw.EndSource(raw_summary);
  DetectionResult r = raw.Finish();
  CheckResult(r, must_have, raw_name, raw_summary);
  sink = sink + r.touchpoints.size();

  // Also treat the raw input as HTML.
  for (std::string_view link : blindspot::ExtractLinks(input)) sink = sink + Touch(link);
  return 0;
}

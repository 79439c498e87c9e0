// Discovery records (discovery.h) matched against the kb's record signatures:
// each matched observation is kRecord evidence of its product; what matches
// nothing is listed per file as unattributed.
#include <algorithm>
#include <cctype>
#include <map>

#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

InferenceConfidence RecordConfidence(Proof p) {
  switch (p) {
    case Proof::kSendingNow:
    case Proof::kInUse:
      return InferenceConfidence::kHigh;
    case Proof::kConfigured:
      return InferenceConfidence::kMedium;
    default:
      return InferenceConfidence::kLow;
  }
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// Strongest first, as the enum is ordered; kDeclared proves no use at all.
bool Stronger(Proof a, Proof b) { return static_cast<int>(a) < static_cast<int>(b); }

std::string Cut(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "…";
}

}  // namespace

void Detector::Impl::AddRecordEvidence(uint32_t entry, const Observation& o, const std::string& source,
                                       size_t index, std::string_view signature) {
  Tp& tp = TouchpointFor(entry);
  tp.records = true;
  tp.out.evidence_count++;
  if (!tp.out.discovered || Stronger(o.proof, *tp.out.discovered)) tp.out.discovered = o.proof;
  if (!o.first_date.empty() &&
      (tp.out.records_first_date.empty() || o.first_date < tp.out.records_first_date))
    tp.out.records_first_date = o.first_date;
  std::string last = o.last_date.empty() ? o.first_date : o.last_date;
  if (!last.empty() && last > tp.out.records_last_date) tp.out.records_last_date = last;
  // Keep distinct records: the same kind, subject and key of one file once.
  for (const EvidenceItem& k : tp.out.evidence)
    if (k.kind == EvidenceKind::kRecord && k.source == source && k.record_kind == o.kind &&
        k.subject == o.subject && k.signature == signature)
      return;
  if (tp.out.evidence.size() >= DetectedTouchpoint::kMaxEvidence) {
    // A stronger record replaces the weakest kept record (a DMARC row beats a
    // verification token), so the kept evidence shows the best proof.
    auto weakest = tp.out.evidence.end();
    for (auto it = tp.out.evidence.begin(); it != tp.out.evidence.end(); ++it)
      if (it->kind == EvidenceKind::kRecord && Stronger(o.proof, it->proof) &&
          (weakest == tp.out.evidence.end() || Stronger(weakest->proof, it->proof)))
        weakest = it;
    if (weakest == tp.out.evidence.end()) return;
    size_t at = static_cast<size_t>(weakest - tp.out.evidence.begin());
    tp.out.evidence.erase(weakest);
    tp.ev_source.erase(tp.ev_source.begin() + static_cast<std::ptrdiff_t>(at));
  }
  EvidenceItem item;
  item.kind = EvidenceKind::kRecord;
  item.record_kind = o.kind;
  item.proof = o.proof;
  item.signature = std::string(signature);
  item.subject = Cut(o.subject, kMaxValue);
  item.detail = Cut(o.detail, kMaxValue);
  item.location = o.location;
  item.first_date = o.first_date;
  item.last_date = o.last_date;
  item.count = o.count;
  // A tag's consent setting, tag ids and the user data it sends, as
  // "name=value" in params (a record has no request parameters; the reports
  // show them with the record: audit/record_text.h).
  if (o.kind == ObservationKind::kTagConfigured)
    for (std::string_view name : {"consent", "tag_id", "user_data"})
      if (std::string_view v = o.Attr(name); !v.empty())
        item.params.push_back(std::string(name) + "=" + Cut(v, kMaxValue));
  item.source = source;
  item.entry = index;
  item.page = item.subject;
  tp.out.evidence.push_back(std::move(item));
  tp.ev_source.push_back(UINT32_MAX);
}

namespace {

// Runs of 9 or more digits (with + ( ) - . and blanks between them) that start
// with '+' or '0': phone numbers, replaced by "…".
std::string MaskPhones(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool starts =
        (c == '+' || c == '0') && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])));
    if (starts) {
      size_t j = i, digits = 0, last_digit = i;
      while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) ||
                                 std::string_view("+()-. ").find(text[j]) != std::string_view::npos)) {
        if (std::isdigit(static_cast<unsigned char>(text[j]))) {
          ++digits;
          last_digit = j;
        }
        ++j;
      }
      if (digits >= 9 && (last_digit + 1 == text.size() ||
                          !std::isalnum(static_cast<unsigned char>(text[last_digit + 1])))) {
        out += "…";
        i = last_digit + 1;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

// What a person typed into a platform (a list's name, a tag's name, a TXT
// record) may hold an e-mail address, a URL with a query or a phone number:
// masked before any report sees it, as page titles are.
std::string MaskRecordText(std::string_view text) { return MaskPhones(MaskText(text)); }

// The report as the detection keeps it: masked, its warnings naming the file
// by its report name (a full path can reveal a client's folders).
std::shared_ptr<const DiscoveryReport> Masked(const DiscoveryReport& rep, const std::string& name) {
  auto out = std::make_shared<DiscoveryReport>(rep);
  for (Error& w : out->warnings) {
    // Keep the part inside the file ("report.xml.gz (member x.xml)").
    size_t inner = w.where.file.find(" (");
    w.where.file = inner == std::string::npos ? name : name + w.where.file.substr(inner);
  }
  for (Observation& o : out->observations) {
    o.key = MaskRecordText(o.key);
    o.subject = MaskRecordText(o.subject);
    o.detail = MaskRecordText(o.detail);
    for (auto& [name, value] : o.attrs) value = MaskRecordText(value);
  }
  return out;
}

}  // namespace

void Detector::Impl::MatchDiscoveries(DetectionResult& r) {
  for (auto& [name, rep] : discoveries) rep = Masked(*rep, name);
  // DKIM selectors delegated to a platform in a zone of this run:
  // "s1._domainkey.example.org" -> the entry its CNAME target names. A DMARC
  // row signed with the organisation's own d= and that selector was sent by
  // that platform.
  std::map<std::string, std::pair<uint32_t, std::string>> delegated;
  for (const auto& [name, rep] : discoveries)
    for (const Observation& o : rep->observations) {
      if (o.kind != ObservationKind::kDkimKey || o.key.empty()) continue;
      auto refs = d.MatchRecord(o.kind, o.key);
      if (!refs.empty()) delegated.emplace(Lower(o.subject), std::make_pair(refs.front().entry, o.key));
    }

  for (auto& [name, rep] : discoveries) {
    DiscoverySource ds;
    ds.name = name;
    ds.report = rep;
    for (size_t j = 0; j < rep->observations.size(); ++j) {
      const Observation& o = rep->observations[j];
      // A consent manager's declaration is what the organisation says, not a
      // product in use: kept for the rules, neither matched nor unattributed.
      if (o.kind == ObservationKind::kDeclaredCookie) continue;
      std::vector<std::pair<uint32_t, std::string>> hits;  // entry, signature shown
      // A DMARC row proves a platform sent the mail only when the platform's
      // own authentication passed: a row that failed DKIM and SPF is mail
      // someone else sent in the domain's name (spoofing), attributed to nobody.
      bool mail = o.kind == ObservationKind::kMailSent;
      bool dkim_pass = o.Attr("dkim_result") == "pass";
      bool spf_pass = o.Attr("spf_result") == "pass";
      std::string_view dkim_domain = o.Attr("dkim_domain");
      bool key_is_dkim = !dkim_domain.empty() && Lower(dkim_domain) == Lower(o.key);
      bool key_is_spf =
          !key_is_dkim && !o.Attr("spf_domain").empty() && Lower(o.Attr("spf_domain")) == Lower(o.key);
      bool key_proven = !mail || (key_is_dkim && dkim_pass) || (key_is_spf && spf_pass);
      if (key_proven)
        for (const RecordRef& ref : d.MatchRecord(o.kind, o.key))
          hits.emplace_back(ref.entry, ref.sig->value);
      // A token published at its own label ("_amazonses" TXT holding a random
      // value): the kb names it as "<label>=".
      if (hits.empty() && o.kind == ObservationKind::kVerificationToken && !o.Attr("label").empty())
        for (const RecordRef& ref : d.MatchRecord(o.kind, std::string(o.Attr("label")) + "=" + o.key))
          hits.emplace_back(ref.entry, ref.sig->value);
      if (hits.empty() && o.kind == ObservationKind::kMailSent) {
        std::string_view spf = o.Attr("spf_domain");
        if (!spf.empty() && spf_pass)
          for (const RecordRef& ref : d.MatchRecord(o.kind, spf))
            hits.emplace_back(ref.entry, ref.sig->value);
        std::string_view selector = o.Attr("dkim_selector");
        std::string_view dkim =
            o.Attr("dkim_domain").empty() ? std::string_view(o.key) : o.Attr("dkim_domain");
        if (hits.empty() && !selector.empty() && !dkim.empty() && dkim_pass) {
          auto it = delegated.find(Lower(std::string(selector) + "._domainkey." + std::string(dkim)));
          if (it != delegated.end())
            hits.emplace_back(it->second.first, it->first + " → " + it->second.second);
        }
      }
      // A tag's code names the products it loads: the request signatures decide.
      for (const std::string& url : o.urls)
        if (const KbEntry* e = index->ClassifyUrl(url)) {
          uint32_t entry = static_cast<uint32_t>(e - kb.entries().data());
          hits.emplace_back(entry, Cut(url, 120));
        }
      std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      hits.erase(std::unique(hits.begin(), hits.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 hits.end());
      if (hits.empty()) {
        ds.unattributed.push_back(j);
        continue;
      }
      ds.matched++;
      for (const auto& [entry, sig] : hits) {
        AddRecordEvidence(entry, o, name, j, sig);
        ds.attributed.emplace_back(j, kb.entries()[entry].id);
      }
    }
    r.discoveries.push_back(std::move(ds));
  }
  discoveries.clear();
}

}  // namespace blindspot

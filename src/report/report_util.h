// Internal to src/report: what the formats share, so they agree on status,
// names, grouping of findings, locations and texts.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "blindspot/catalog.h"
#include "blindspot/report.h"
#include "blindspot/text_ids.h"

namespace blindspot::report_internal {

// Texts in the report language. Knowledge-base texts that have no
// translation fall back to English; Kb() notes that, so a report can say so
// once (ui.kb_text_fallback).
class Texts {
 public:
  explicit Texts(std::string_view lang) : cat_(TextCatalog::Builtin()), lang_(lang) {}
  std::string_view lang() const { return lang_; }
  const TextCatalog& catalog() const { return cat_; }
  const std::string& T(MessageId id) const { return cat_.Ui(lang_, id); }
  std::string R(const Message& m) const { return cat_.Render(m, lang_); }
  std::string Term(std::string_view vocab, std::string_view value) const {
    return cat_.Term(lang_, vocab, value);
  }
  // A knowledge-base text (description, claim reason, signal meaning).
  const std::string& Kb(const LocalizedText& t) const {
    bool fb = false;
    const std::string& s = t.Get(lang_, &fb);
    if (fb) kb_fell_back_ = true;
    return s;
  }
  bool kb_fell_back() const { return kb_fell_back_; }
  // The note to show once when a kb text fell back to English ("" otherwise).
  std::string FallbackNote() const;

 private:
  const TextCatalog& cat_;
  std::string lang_;
  mutable bool kb_fell_back_ = false;
};

// "registered" (in the register and seen), "blind_spot" (seen, not
// registered) or "not_seen" (registered, not seen): the values of the
// touchpoint_status vocabulary.
std::string_view StatusId(const ReconciledTouchpoint& tp);

// The kb entry behind a row (from the row or its detection); may be null.
const KbEntry* KbOf(const ReconciledTouchpoint& tp);
// kb name, else the registered name, else the kb id.
std::string DisplayName(const ReconciledTouchpoint& tp);

// Severities from most to least severe.
const std::vector<Severity>& SeveritiesDesc();

struct Counts {
  size_t detected = 0;
  size_t blind_spots = 0;
  size_t inferred = 0;  // not registered, only suggested by another product's signal
  size_t not_seen = 0;
  size_t registered = 0;  // rows with a register touchpoint
  size_t high = 0, medium = 0, low = 0, info = 0;
  size_t findings = 0;
  size_t BySeverity(Severity s) const;
};
Counts CountAll(const AuditResult& r);

// Findings grouped by what they are about, built once per report (so a
// report is linear in the number of findings): for a touchpoint row the
// findings about its register touchpoint or its detected kb id.
class FindingIndex {
 public:
  explicit FindingIndex(const AuditResult& r);
  std::vector<size_t> About(const ReconciledTouchpoint& tp) const;
  // Indexes of findings about an activity / processor / the rest, in finding order.
  const std::vector<size_t>& OfSubject(SubjectKind kind, std::string_view id) const;

 private:
  std::unordered_map<std::string, std::vector<size_t>> by_subject_;
};

// "register.yaml:232:5" for a finding with a field path the source map knows
// (the register's base name), else "".
std::string Location(const Finding& f, const AuditResult& r, const ReportOptions& o);
// The register's file as reports show it: its base name ("" without a register file).
std::string RegisterName(const AuditResult& r);
// "0 processing activities, 6 processors, 4 touchpoints" in the report language.
std::string RegisterCounts(const Register& reg, const Texts& t);

// The kb meaning of a signal hit: the data signal with the hit's id and
// parameter (ud[em] and ud[ph] share an id but mean different data); "" if none.
std::string SignalMeaning(const KbEntry* kb, const SignalHit& hit, const Texts& t);

// Only http(s) URLs become links; anything else is shown as text.
bool IsWebUrl(std::string_view url);

// The evidence item's value and what matched, as a report shows them: the
// URL, the cookie name (with domain), the marker; the signature line in
// words ("signal advanced-matching (ud[em]) of meta-pixel").
std::string EvidenceValue(const EvidenceItem& e);
std::string EvidenceSignature(const EvidenceItem& e, const Texts& t);

// "inferred from meta-pixel (confidence: low)" for an inferred touchpoint.
std::string InferredFrom(const DetectedTouchpoint& d, const Texts& t);

// Display width of UTF-8 text: code points (continuation bytes do not count).
size_t DisplayWidth(std::string_view s);
// Word-wraps `text` to lines of at most `width` columns (a longer word, such
// as a URL, gets a line of its own): the first line continues after `col`
// columns already written, the following ones start with `indent` spaces.
// A newline in `text` is a space, or with keep_newlines a line break (the
// next line indented too). Ends with a newline.
std::string WordWrap(std::string_view text, size_t col, size_t indent, size_t width,
                     bool keep_newlines = false);

// Reading warnings (DetectionResult::warnings) as reports show them, in the
// report language: where ("home.har, entry 3, byte 1234"), what was wrong
// ("log.entries[3].request.postData.params[0].value: expected string, found
// object"), what was done ("field ignored"), and all three on one line.
std::string ReadWarningWhere(const ReadWarning& w, const Texts& t);
std::string ReadWarningWhat(const ReadWarning& w, const Texts& t);
std::string ReadWarningAction(const ReadWarning& w, const Texts& t);
std::string ReadWarningLine(const ReadWarning& w, const Texts& t);
// "3 warnings (wrong type 2, not base64 1)"; "none" without warnings.
std::string ReadWarningSummary(const DetectionResult& d, const Texts& t);

// One item of data a third-party request carried, in words, without its value:
// "e-mail address in parameter dl (in the URL's query parameter "email") (2 requests)".
std::string CarriedItem(const CarriedData& c, const Texts& t);
// All items, "; "-separated.
std::string CarriedList(const std::vector<CarriedData>& list, const Texts& t);

// The consent phases in which a touchpoint's own traffic was seen, in words:
// "active before consent, after accept" (for captures with a known phase).
std::string PhasesActive(const DetectedTouchpoint& d, const Texts& t);

// The CI gate in words: "2 new, 5 in baseline, 1 accepted, 0 resolved (...)";
// a finding's state ("new", "in baseline", "accepted until 2027-06-30: reason");
// an expired acceptance.
std::string GateCounts(const GateResult& g, const Texts& t);
std::string GateStateText(const GateResult& g, size_t finding, const Texts& t);
std::string ExpiredItem(const Acceptance& a, const Texts& t);
// Verdicts (docs/verdicts.md): how many of each, and a reason in words:
// "consent (gap): rules BS006, BS022" in the report language.
struct VerdictCounts {
  size_t safeguarded = 0, gaps = 0, not_assessed = 0;
};
VerdictCounts CountVerdicts(const AuditResult& r, bool activities);
std::string VerdictCountsLine(const VerdictCounts& c, const Texts& t);
std::string ReasonLine(const VerdictReason& reason, const Texts& t);
std::string DisplayName(const ProcessingActivity& a);

// The action list (docs/actions.md): text and HTML show at most this many
// actions (one page) and count the rest; JSON has them all.
inline constexpr size_t kMaxActionsShown = 10;
// "due 2027-01-15", or "due within 30 days" when the list has no date.
std::string ActionDue(const Action& a, const Texts& t);
// "Marketing (owner of the touchpoint)", or the unassigned text.
std::string ActionOwner(const Action& a, const Texts& t);
// "BS022, 3 findings"
std::string ActionCovers(const Action& a, const Texts& t);
// "Due dates count from 2027-01-15." or "... from the day of this report."
std::string ActionDate(const ActionList& l, const Texts& t);
// "Severity raised from medium: special categories ..."; "" when not raised.
std::string SeverityRaised(const Finding& f, const Texts& t);

// When a discovery file is about a domain (a DNS zone, a DMARC policy
// domain) that is neither the organisation's nor under it: the organisation's
// domains, joined with ", " (the sites of the captured pages, the register's
// contact address and the touchpoints' privacy statements); else empty (also
// when none of them is known).
std::string OtherThan(const AuditResult& r, const DiscoverySource& ds);

// A discovery file in one line: name, reader, subject, period, records and
// how many matched a product (ui::discovery_source).
Message DiscoverySourceLine(const DiscoverySource& ds);
// An observation no product explains (ui::discovery_unattributed_item).
Message UnattributedLine(const Observation& o);

}  // namespace blindspot::report_internal

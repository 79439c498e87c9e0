// The CI gate (issue 8): a baseline of known findings and a list of accepted
// findings (each with a reason and an expiry date), so that a build fails only
// on what is new. Findings are matched by their fingerprint (finding.h).
// File formats: docs/formats/baseline.md. Pure: text in, values out (the
// application layer reads and writes the files through the Env).
#pragma once
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/finding.h"
#include "blindspot/register.h"  // Loc

namespace blindspot {

// ---- baseline -------------------------------------------------------------------

struct BaselineEntry {
  std::string fingerprint;  // 16 hex digits
  std::string rule;         // "BS001" (informative)
  std::string subject;      // FindingSubject (informative)
  std::string title;        // a short title (informative)
  Loc loc;                  // where in the file
};
struct Baseline {
  std::string file;
  std::string created;  // YYYY-MM-DD
  std::vector<BaselineEntry> findings;
};

// Reads a baseline file (YAML or JSON). Every problem at once with
// file:line:col (kParse for syntax, kSchema for content).
std::expected<Baseline, Diagnostics> ParseBaseline(std::string_view text, const std::string& file);
// The baseline of `findings` as the file's text: stable (sorted by rule and
// subject, each fingerprint once), `created` the date written. `title_of`
// gives the short title of a finding (the rule title in English and the subject name).
std::string SerializeBaseline(const std::vector<Finding>& findings, std::string_view created,
                              std::string (*title_of)(const Finding&));

// ---- accepted findings -------------------------------------------------------------

struct Acceptance {
  std::string fingerprint;    // either this,
  std::string rule, subject;  // or both of these ("BS019", "detected:unidentified:example.com")
  std::string reason;         // required
  std::string accepted_by;    // optional
  std::string expires;        // YYYY-MM-DD, required: the last day it counts
  Loc loc;
  bool Matches(const Finding& f, std::string_view fingerprint) const;
};
struct AcceptedList {
  std::string file;
  std::vector<Acceptance> items;
};
std::expected<AcceptedList, Diagnostics> ParseAccepted(std::string_view text, const std::string& file);

// ---- the gate ----------------------------------------------------------------------

enum class GateState { kNew, kInBaseline, kAccepted };
std::string_view ToString(GateState);  // "new", "baseline", "accepted"

struct GateResult {
  bool active = false;        // a baseline or an accepted file was given
  bool has_baseline = false;  // a baseline was given
  std::string as_of;          // YYYY-MM-DD: the day acceptances are checked against
  // Per finding, in the order of the findings.
  std::vector<std::string> fingerprints;
  std::vector<GateState> states;
  std::vector<const Acceptance*> acceptance;  // the acceptance that counts, else null (into `accepted`)
  // Baseline entries no finding has any more (fixed).
  std::vector<BaselineEntry> resolved;
  // Acceptances whose expiry date has passed (they no longer count), in file order.
  std::vector<Acceptance> expired;
  size_t new_count = 0, baseline_count = 0, accepted_count = 0;
  AcceptedList accepted;  // owned copy the pointers point into

  GateResult() = default;
  GateResult(GateResult&&) = default;
  GateResult& operator=(GateResult&&) = default;
  GateResult(const GateResult&) = delete;
  GateResult& operator=(const GateResult&) = delete;

  bool IsNew(size_t i) const { return states.empty() || states[i] == GateState::kNew; }
};

// Classifies every finding: accepted (an acceptance that matches and has not
// expired on `as_of`), else in baseline, else new. Without baseline and
// accepted list, every finding is new and `active` is false.
GateResult EvaluateGate(const std::vector<Finding>& findings, const Baseline* baseline,
                        std::optional<AcceptedList> accepted, std::string_view as_of);

// True for a calendar date YYYY-MM-DD that exists.
bool IsIsoDate(std::string_view s);

}  // namespace blindspot

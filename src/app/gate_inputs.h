// Internal to bs_app: the CI gate of the audit use case (docs/ci.md): its
// inputs (baseline, accepted findings, --as-of, --fail-on-rule), checked and
// read before anything else, and its outcome (exit code, one-line summary).
#pragma once
#include <optional>
#include <string>

#include "blindspot/app.h"
#include "blindspot/gate.h"

namespace blindspot::app {

struct GateInputs {
  std::optional<Baseline> baseline;
  std::optional<AcceptedList> accepted;
  std::string as_of;  // YYYY-MM-DD
};
// Checks --as-of and --fail-on-rule (kUsage) and reads the baseline and
// accepted files through the Env (kIo; kParse/kSchema with file:line:col).
std::expected<GateInputs, Diagnostics> LoadGateInputs(const Options& o, const AuditRequest& r);

// The short title of a finding in a baseline: the English rule title and the subject name.
std::string BaselineTitle(const Finding& f);

// Sets out.failing, out.failing_line or out.gate_line and the notes on
// expired acceptances.
void GateOutcome(const Options& o, const AuditRequest& r, const AuditResult& res, AuditOutcome& out);

}  // namespace blindspot::app

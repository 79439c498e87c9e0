// Draft touchpoints from an audit's blind spots (issue 11): what the server
// makes of each touchpoint an audit found that nobody registered, so that a
// business owner confirms or corrects what was seen instead of filling in a
// blank form.
//
// Pure: reads an AuditResult, returns values; no I/O. Thread-safe as long as
// the AuditResult is not changed meanwhile.
#pragma once
#include <string>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/register.h"

namespace blindspot {

struct DraftOptions {
  std::string audit_id;  // Discovered::audit
  std::string date;      // Discovered::date (YYYY-MM-DD the audit ran)
  // Touchpoint ids already taken (the register's and any the caller keeps
  // elsewhere, e.g. obsolete records): a draft never reuses one.
  std::vector<std::string> taken_ids;
};

// One draft per touchpoint of `result` that is a blind spot or an inference
// (detected, in no registered touchpoint, not a registered processor; see
// ReconciledTouchpoint), in the result's order:
// - id: the kb id, or the kb id with "-2", "-3", ... when that one is taken;
// - name, channel, product: the kb entry's; vendor: the register's processor
//   whose id is the kb id or whose name is the kb entry's name (else empty:
//   a company's processor record for one product says nothing of another); no activities and no answers (the
//   owner's to give);
// - discovered: the audit, the strongest proof ("seen" when a capture showed
//   it, else the records' proof), the records' period, what was seen (the
//   touchpoint's evidence items, masked as in the reports) and the suggested
//   answers: in use (yes when seen, sending now or in use) and the data
//   categories its signals carried. Not "in use since": the evidence shows
//   when it was seen, not when it started (the seen items keep the dates).
// A touchpoint without a kb entry gets no draft.
std::vector<Touchpoint> DraftTouchpoints(const AuditResult& result, const DraftOptions& options);

// The SeenItem of one evidence item (its kind, what, place; a record's
// detail, proof, dates and count).
SeenItem SeenItemOf(const EvidenceItem& e);

}  // namespace blindspot

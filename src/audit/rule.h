// Internal to bs_audit: what a rule check sees (AuditContext) and small
// helpers the rule files share. A check is a pure function of the context; it
// appends findings (a Message from its data file plus the field path) and
// never reads files, prints, or writes sentences itself.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot/text_ids.h"

namespace blindspot {

struct AuditContext {
  const Register& reg;
  const RegisterIndex& index;
  const Kb& kb;
  const DetectionResult& detection;
  const std::vector<ReconciledTouchpoint>& touchpoints;  // reconciled rows, documented order
  const RuleMeta* rule = nullptr;                        // the rule being checked
  const std::vector<Statement>* statements = nullptr;    // privacy statements (BS043-BS047); may be null

  const ProcessingActivity* Activity(std::string_view id) const { return index.FindActivity(id); }
  const Processor* Vendor(std::string_view id) const {
    return id.empty() ? nullptr : index.FindProcessor(id);
  }
  // The register activities a touchpoint refers to (unknown ids are skipped).
  std::vector<const ProcessingActivity*> ActivitiesOf(const Touchpoint& tp) const;
  // A finding of the current rule.
  Finding Make(SubjectKind kind, std::string subject_id, std::string subject_name, Message detail,
               std::string path) const;
};

namespace audit {

// Paths of register objects (blindspot/register.h).
inline std::string PathOf(const ProcessingActivity& a) { return path::Item("activities", a.id); }
inline std::string PathOf(const Processor& p) { return path::Item("processors", p.id); }
inline std::string PathOf(const Touchpoint& t) { return path::Item("touchpoints", t.id); }

// A Chapter V tool is recorded (set, and not "none").
inline bool HasSafeguard(const std::optional<TransferSafeguard>& s) {
  return s && *s != TransferSafeguard::kNone;
}

// Fideslang hierarchy: `declared` covers `category` when equal or an ancestor
// ("user.contact" covers "user.contact.email"). Keys deprecated in the
// fideslang taxonomy are compared as the key that replaced them.
bool CategoryCovered(std::string_view category, const std::vector<std::string>& declared);

// A legal entity or company name without legal form (B.V., GmbH, LLC...),
// brackets, punctuation and case: "The Rocket Science Group LLC (Intuit
// Mailchimp)" and "The Rocket Science Group, LLC" are both "the rocket science
// group". Used to match a name in evidence with a name in the register.
std::string CompanyKey(std::string_view name);
// Whether two such keys share a word ("twilio sendgrid" and "sendgrid").
bool ShareWord(const std::string& a, const std::string& b);

// Display names: the name, else the id.
std::string DisplayName(const Touchpoint& tp);
std::string DisplayName(const ProcessingActivity& a);
std::string DisplayName(const Processor& p);
// The kb entry's name, else its id.
std::string ProductName(const ReconciledTouchpoint& row);

// A register touchpoint that uploads a list of people to an ad platform: it has
// an audience_list, or its product is a kb entry of category custom-audience.
// Touchpoints answered as not in use are not.
bool IsListUpload(const AuditContext& ctx, const Touchpoint& tp);
// Its product's kb name, else the product id, else the touchpoint's name.
std::string ProductName(const AuditContext& ctx, const Touchpoint& tp);

// Appends the data categories a registered touchpoint declares: its answers'
// data_collected and its activities' categories and special categories.
void AddDeclaredCategories(const AuditContext& ctx, const Touchpoint& tp, std::vector<std::string>& declared);

// Seen only as links in the pages (wa.me, m.me, tel:): every kept evidence
// item is a link and no signal or carried data is attributed to it. A link
// sends nothing to the vendor until a visitor clicks it, so it is neither the
// vendor's tracking nor joint control.
bool LinkOnly(const DetectedTouchpoint& d);

// Severity in context (docs/rules-format.md#severity-in-context): raises the
// finding's severity one step and records `reason`, a value of the
// severity_context vocabulary; base_severity keeps the rule's. A finding
// already high is left as it is (only a change is recorded).
void RaiseSeverity(Finding& f, std::string_view reason);
// Raises one step (at most high) and records every reason; no reasons: no change.
void RaiseSeverity(Finding& f, const std::vector<std::string_view>& reasons);
// What is at stake in an activity in this register: StakesOf(a), then
// "public_body" (organisation.public_body) and "large_scale" (a.large_scale).
std::vector<std::string_view> StakesInContext(const AuditContext& ctx, const ProcessingActivity& a);
// The same for a registered touchpoint: the stakes of its activities, and
// "special_category" when its detection carried a special-category term.
std::vector<std::string_view> StakesInContext(const AuditContext& ctx, const ReconciledTouchpoint& row);
// Evidence of actual sending (not only a register field): a touchpoint seen in
// the traffic (not inferred, not only as links) that serves the activity, that
// is the registered touchpoint, or whose vendor is the processor.
bool SeenSending(const ReconciledTouchpoint& row);
bool SeenSendingFor(const AuditContext& ctx, const ProcessingActivity& a);
bool SeenSendingTo(const AuditContext& ctx, const Processor& p);
// What is at stake in an activity: "special_category" (special categories
// recorded, or a special-category key among its data categories) and
// "children" (children among its data subjects).
std::vector<std::string_view> StakesOf(const ProcessingActivity& a);
// Whether a data subject label names children ("child", "minor", "kind",
// "leerling", "Schüler", ...), employees ("employee", "werknemer",
// "Beschäftigte", ...), case ignored.
bool NamesChildren(std::string_view subject);
bool NamesEmployees(std::string_view subject);

// The DPIA criteria (dpia_criterion vocabulary) an activity meets as far as
// the register and the kb categories of its touchpoints show them (BS027,
// BS028): WP248 criteria ("wp248_*") and items of the Dutch DPA's list ("ap_*").
struct DpiaCriteria {
  std::vector<std::string_view> wp248;
  std::vector<std::string_view> ap;
};
DpiaCriteria DpiaCriteriaOf(const AuditContext& ctx, const ProcessingActivity& a);

// The signals of other products that imply a detected touchpoint (its kSignal
// evidence items), grouped by product and signal, parameters in first-seen
// order: {"meta-pixel", "advanced-matching", {"ud[em]", "ud[ph]"}}.
struct ImplyingSignal {
  std::string via;
  std::string signal_id;
  std::vector<std::string> params;
};
std::vector<ImplyingSignal> ImplyingSignals(const DetectedTouchpoint& d);
// Its parameters as one text: "ud[em], ud[ph]".
std::string JoinParams(const ImplyingSignal& s);

// The discovery records (kRecord evidence) of a detected touchpoint as
// message items ("mail sent as the domain (DMARC report) example.org (sending
// now, 2024-03-06; report.xml, record 3)"), strongest proof first, at most
// `max`; BS001 and BS020 list them.
std::vector<MessageArg> RecordItems(const DetectedTouchpoint& d, size_t max = 5);

// The lawful bases the register gives a touchpoint: its own answer when given
// (`*from_answer` set), else those of its activities' purposes, each once.
std::vector<LawfulBasis> RegisteredBases(const AuditContext& ctx, const Touchpoint& tp, bool* from_answer);
// The register names consent among the touchpoint's lawful bases.
bool RegisteredWithConsent(const AuditContext& ctx, const Touchpoint& tp);

// The Dutch analytics exemption (art. 11.7a(3)(b) Tw) for one reconciled row:
// claimed when its register touchpoint has analytics_exemption answers;
// allowed when its kb entry says the product can be configured for it;
// `missing`: the conditions (analytics_exemption_condition values) not
// answered yes; `contradicted`: what the evidence shows against the
// configuration (exemption_contradiction values). BS006/BS022/BS035 and the
// consent verdict respect exempt(); BS054 reports the rest.
struct ExemptionJudgement {
  bool claimed = false;
  bool allowed = false;
  std::vector<std::string_view> missing;
  std::vector<std::string_view> contradicted;
  bool exempt() const { return claimed && allowed && missing.empty() && contradicted.empty(); }
};
ExemptionJudgement JudgeAnalyticsExemption(const ReconciledTouchpoint& row);

// What a live scan recorded per phase (scan.json), with the source's report
// name; in the order of the sources.
struct PhaseObservations {
  const ScanObservations* scan;
  ConsentPhase phase;
  std::string source;  // the capture's report name ("after-reject/capture.har")
};
std::vector<PhaseObservations> Observations(const AuditContext& ctx);
// The report names of the sources recorded in `phase`.
std::vector<MessageArg> SourcesIn(const AuditContext& ctx, ConsentPhase phase);
// The observations split per scan: a new group starts where a phase comes
// again (each bundle's phases are read one after the other).
std::vector<std::vector<PhaseObservations>> ObservationsPerScan(const AuditContext& ctx);
// Who a banner finding is about: the consent manager (its kb entry when the kb
// has one by that id or name), else the site.
struct BannerSubject {
  std::string id;
  std::string name;
};
BannerSubject BannerOf(const AuditContext& ctx, const ScanObservations& scan, const std::string& source);
// The kb entry that needs consent and lists `cookie_name` among its cookies
// (exact or prefix pattern); nullptr when none does.
const KbEntry* ConsentCookieOwner(const Kb& kb, std::string_view cookie_name);
// Any kb entry that lists the cookie; nullptr when none does.
const KbEntry* CookieOwner(const Kb& kb, std::string_view cookie_name);

// The rule table (src/audit/rules/registry.cc): rule id -> check.
struct RuleEntry {
  std::string_view id;
  RuleCheck check;
};
const std::vector<RuleEntry>& RuleTable();

}  // namespace audit
}  // namespace blindspot

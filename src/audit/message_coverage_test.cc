// Every message of every rule, rendered: a set of fixture registers and
// detections that together trigger every rule and every message listed under
// `messages:` in data/rules/*.yaml. Every finding must render in every
// language without an unfilled placeholder, with message ids the catalogue
// knows; and every message a rule file lists must be produced at least once
// (a message no check uses is dead text, or a check lost a branch).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "audit/audit_test_util.h"
#include "audit/offsite_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

std::shared_ptr<const Kb> CoverageKb() {
  std::vector<KbEntry> entries = TestKbEntries();
  // A retargeting vendor outside the EEA that relies on standard contractual clauses.
  entries.push_back(Entry("acme-ads", "Acme Ads", "retargeting", VendorRole::kProcessor, true, "US",
                          TransferSafeguard::kSccs));
  entries.back().signatures.first_party_cookies = {"acme_id"};
  entries.back().signatures.requests = {{"acme.example", "", "", {}}};
  // Blind spots: one seen outside the EEA, one only implied (high confidence), inside it.
  entries.push_back(Entry("spy-tag", "Spy Tag", "analytics", VendorRole::kProcessor, false, "US",
                          TransferSafeguard::kDataPrivacyFramework));
  entries.push_back(
      Entry("ghost-audience", "Ghost Audience", "custom-audience", VendorRole::kProcessor, false, "DE"));
  // An inference (BS020): suggested by another product's signal, vendor outside the EEA.
  entries.push_back(Entry("hint-audience", "Hint Audience", "custom-audience", VendorRole::kProcessor, false,
                          "US", TransferSafeguard::kDataPrivacyFramework));
  // Known from discovery records only (DNS, DMARC): one sending now, outside
  // the EEA (BS001), one only configured (BS020).
  entries.push_back(Entry("relay-mail", "Relay Mail", "email-marketing", VendorRole::kProcessor, false, "US",
                          TransferSafeguard::kDataPrivacyFramework));
  entries.push_back(Entry("list-tool", "List Tool", "email-marketing", VendorRole::kProcessor, false, "NL"));
  return std::make_shared<const Kb>(Kb::FromEntries(std::move(entries)));
}

Touchpoint AnsweredTouchpoint(std::string id, std::string product) {
  Touchpoint tp = CleanRegister().touchpoints[0];
  tp.id = std::move(id);
  tp.name = "Touchpoint " + tp.id;
  tp.product = std::move(product);
  tp.vendor.clear();
  tp.activities.clear();
  return tp;
}

// A register with a gap for every message of the register rules.
Register GapsRegister() {
  Register r = CleanRegister();
  r.organisation = {};  // no name, contact or DPO
  // BS038: the pixel's hashed e-mail address (advanced matching) called anonymous.
  r.touchpoints[0].answers.security_measures.push_back("anonymised e-mail (SHA-256)");

  ProcessingActivity& m = r.activities[0];
  m.purposes.push_back({"purpose-2", "Profiling", std::nullopt, "", "", {}});
  m.purposes.push_back({"purpose-3", "Analytics", LawfulBasis::kLegitimateInterests, "", "", {}});
  m.special_categories.push_back({"health", "user.health_and_medical", std::nullopt, ""});
  m.special_categories.push_back({"special-category-2", "user.religious_belief", 'z', ""});
  m.transfers.push_back({"transfer-2", "acme", "IN", TransferSafeguard::kNone, ""});
  m.retention = {{"retention-1", "*", "", ""}, {"retention-2", "user.contact.email", "", ""}};

  ProcessingActivity empty;
  empty.id = "empty";  // every Art. 30 field, retention and TOMs missing
  r.activities.push_back(empty);

  ProcessingActivity contracts = CleanRegister().activities[0];
  contracts.id = "contracts";
  contracts.name = "Contracts";
  contracts.purposes = {{"purpose-1", "Order handling", LawfulBasis::kContract, "", "", {}}};
  contracts.recipients.clear();
  contracts.no_recipients = true;
  contracts.transfers.clear();
  contracts.dpia.status = DpiaStatus::kInProgress;  // BS025: tp-act is seen while it is in progress
  contracts.criminal_data.emplace();                // BS023: a criminal_data block without a basis
  contracts.national_id.emplace();                  // BS024: a national_id block without a law
  r.activities.push_back(contracts);
  r.activities[0].dpia.date = "2017-03-01";  // BS025: completed before the GDPR applied

  // Issue 8 register checks: criminal data, BSN and biometrics as ordinary data
  // categories (BS007, BS023, BS024), a DPIA required but not done (BS025),
  // and a transfer per BS029 message.
  ProcessingActivity hr = CleanRegister().activities[0];
  hr.id = "hr";
  hr.name = "Personnel files";
  hr.data_subjects = {"employee"};
  hr.data_categories = {"user.criminal_history", "user.government_id.national_identification_number",
                        "user.biometric"};
  hr.dpia.status = DpiaStatus::kRequired;
  hr.transfers = {
      {"transfer-1", "cloud", "US", TransferSafeguard::kPrivacyShield, ""},        // invalid
      {"transfer-2", "acme", "IN", TransferSafeguard::kDataPrivacyFramework, ""},  // not the US
      {"transfer-3", "indep", "US", TransferSafeguard::kDataPrivacyFramework,
       ""},  // kb: acme-ads relies on SCCs
      {"transfer-4", "partner", "US", TransferSafeguard::kDataPrivacyFramework, ""},  // no product known
      {"transfer-5", "cloud", "US", TransferSafeguard::kSccs, ""},                    // no TIA
      {"transfer-6", "dpf-no", "US", TransferSafeguard::kDataPrivacyFramework, ""},   // register: not listed
      {"transfer-7", "dpf-old", "US", TransferSafeguard::kDataPrivacyFramework, ""},  // checked in 2021
  };
  Processor not_listed{.id = "dpf-no", .name = "Unlisted Inc.", .country = "US"};
  not_listed.dpf_listing = {false, "2025-03-01", ""};
  not_listed.agreement.status = AgreementStatus::kSigned;
  r.processors.push_back(not_listed);
  Processor old_check{.id = "dpf-old", .name = "Old Check Inc.", .country = "US"};
  old_check.dpf_listing = {true, "2021-05-04", ""};
  old_check.agreement.status = AgreementStatus::kSigned;
  r.processors.push_back(old_check);
  r.activities.push_back(hr);
  // BS027: children and location data (two WP248 criteria), not assessed.
  ProcessingActivity kids = CleanRegister().activities[0];
  kids.id = "kids";
  kids.name = "Youth club";
  kids.data_subjects = {"children"};
  kids.data_categories = {"user.location.precise"};
  kids.transfers.clear();
  kids.dpia.status = DpiaStatus::kNotAssessed;
  r.activities.push_back(kids);
  // BS028: staff only (one WP248 criterion), not assessed.
  ProcessingActivity staff = CleanRegister().activities[0];
  staff.id = "staff";
  staff.name = "Staff newsletter";
  staff.data_subjects = {"staff"};
  staff.transfers.clear();
  staff.dpia.status = DpiaStatus::kNotAssessed;
  r.activities.push_back(staff);

  auto vendor = [&](std::string id, VendorRole role, AgreementStatus status, std::string country) {
    Processor p;
    p.id = id;
    p.name = "Vendor " + id;
    p.role = role;
    p.agreement.status = status;
    p.country = std::move(country);
    r.processors.push_back(p);
  };
  vendor("mailer", VendorRole::kProcessor, AgreementStatus::kPending, "NL");
  vendor("partner", VendorRole::kJointController, AgreementStatus::kMissing, "NL");
  vendor("cloud", VendorRole::kProcessor, AgreementStatus::kSigned, "US");     // its transfers are recorded
  vendor("offshore", VendorRole::kProcessor, AgreementStatus::kSigned, "US");  // BS009: no transfer recorded
  vendor("indep", VendorRole::kIndependentController, AgreementStatus::kMissing, "NL");
  // BS008 expired: a signed agreement that ended in 2021 (reported where the evidence is dated: 2022).
  vendor("lapsed", VendorRole::kProcessor, AgreementStatus::kSigned, "NL");
  r.processors.back().agreement.expires = "2021-12-31";

  // BS006 no basis, BS008 no vendor, BS014, all of BS013 (not detected: BS002).
  Touchpoint noba = AnsweredTouchpoint("tp-noba", "hotjar");
  noba.answers = {};
  noba.audience_list.exclusion = true;  // BS037 no basis, BS039 no statement
  r.touchpoints.push_back(noba);
  // BS006 answer basis, BS008 unknown vendor.
  Touchpoint ans = AnsweredTouchpoint("tp-ans", "meta-custom-audiences");
  ans.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  ans.vendor = "ghost";
  r.touchpoints.push_back(ans);
  // BS006 activity basis, BS008 wrong role; detected outside the EEA: BS009 with the vendor's mechanism.
  Touchpoint act = AnsweredTouchpoint("tp-act", "acme-ads");
  act.answers.lawful_basis.reset();
  act.answers.necessity.clear();  // BS013 lawful basis and necessity
  act.activities = {"contracts"};
  act.vendor = "indep";
  act.audience_list.subjects = "customers";  // BS037: the activity's basis is contract
  r.touchpoints.push_back(act);
  // BS010 no vendor and wrong role; detected: BS009 without a mechanism.
  r.touchpoints.push_back(AnsweredTouchpoint("tp-jc-none", "meta-pixel"));
  Touchpoint jc_wrong = AnsweredTouchpoint("tp-jc-wrong", "meta-pixel");
  jc_wrong.vendor = "mailer";
  r.touchpoints.push_back(jc_wrong);
  // BS026 with a signed processing agreement (and BS010 silent for it).
  Touchpoint jc_signed = AnsweredTouchpoint("tp-jc-signed", "meta-pixel");
  jc_signed.vendor = "cloud";
  r.touchpoints.push_back(jc_signed);
  // BS016 no product; BS013 follow-up questions.
  Touchpoint q2 = AnsweredTouchpoint("tp-q2", "");
  q2.answers.stored_by_us = true;
  q2.answers.stored_by_vendor_details.clear();
  q2.answers.informed_section.clear();
  q2.answers.subsidiarity.clear();
  // BS037 prospects on legitimate interests, BS038 recorded as anonymous, BS039 no section.
  q2.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  q2.audience_list.subjects = "prospects";
  q2.audience_list.hashed = true;
  q2.audience_list.anonymous = true;
  r.touchpoints.push_back(q2);
  // BS016 unknown product; BS013 lawful basis only.
  Touchpoint q3 = AnsweredTouchpoint("tp-q3", "acme-chat");
  q3.answers.lawful_basis.reset();
  r.touchpoints.push_back(q3);
  // BS013 necessity only.
  Touchpoint q4 = AnsweredTouchpoint("tp-q4", "");
  q4.answers.necessity.clear();
  q4.answers.lawful_basis = LawfulBasis::kLegitimateInterests;  // BS037 customers on legitimate interests
  q4.audience_list.subjects = "customers";
  r.touchpoints.push_back(q4);
  // BS017: not in use, but seen.
  Touchpoint old = AnsweredTouchpoint("tp-old", "plausible");
  old.answers.in_use = false;
  r.touchpoints.push_back(old);

  ProcessorRecord blank;  // every Art. 30(2) item missing
  r.processor_records.push_back(blank);
  ProcessorRecord transfers;
  transfers.controller = "Stichting Broodfonds Noord";
  transfers.controller_contact.email = "info@broodfonds.example";
  transfers.categories_of_processing = {"payroll administration"};
  transfers.toms.measures = {"access_control"};
  transfers.transfers.push_back({"transfer-1", "Payroll Cloud Inc.", "US", TransferSafeguard::kNone, ""});
  transfers.transfers.push_back({"transfer-2", "", "IN", std::nullopt, ""});
  r.processor_records.push_back(transfers);
  return r;
}

DetectionResult GapsDetection(const Kb& kb) {
  DetectionResult det = CleanDetection(kb);
  det.touchpoints[0].signals.push_back(Signal("geo", "loc", "user.location"));  // BS015: undeclared
  // BS022: acme-ads (consent required) active before consent and after reject, in a bundle's phases;
  // spy-tag (no consent required) active before consent is not flagged.
  DetectedTouchpoint acme = Detected(kb, "acme-ads", 3, {"https://voorbeeld.nl/"});
  acme.phases_active = {ConsentPhase::kBeforeConsent, ConsentPhase::kAfterReject, ConsentPhase::kAfterAccept};
  det.touchpoints.push_back(acme);
  // What the scans recorded (scan.json), two bundles. The first: a named banner without reject on
  // its first layer (BS030), reject in 3 clicks against 1 and the banner back after reject (BS031),
  // acme_id declared always active (BS032), "stray" set before consent and not declared (BS033).
  // The second: an unnamed banner offering only accept (BS030), whose reject click failed (BS031).
  auto scan = [](ConsentPhase p, std::string cmp, std::vector<ConsentButton> buttons) {
    ScanObservations o;
    o.phase = p;
    o.file = std::string(ToString(p)) + "/scan.json";
    o.consent.recorded = o.consent.banner_found = o.consent.has_buttons = true;
    o.consent.consent_manager = std::move(cmp);
    o.consent.first_layer_buttons = std::move(buttons);
    o.consent.result = p == ConsentPhase::kBeforeConsent ? "not-attempted" : "clicked";
    return o;
  };
  for (ConsentPhase p : AllConsentPhases()) {
    ScanObservations o = scan(p, "Onetrust", {{"Accept all", "accept"}, {"Settings", "settings"}});
    o.consent.clicks = p == ConsentPhase::kAfterReject ? 3 : 1;
    o.consent.shown_again = p == ConsentPhase::kAfterReject;
    o.cmp_categories = {
        {"C0001", "Strictly necessary", "always active", {{"acme_id", "voorbeeld.nl", "1 year"}}}};
    o.has_cmp_declaration = true;
    if (p == ConsentPhase::kBeforeConsent)
      o.cookies = {{"stray", ".voorbeeld.nl", false, false, "script", 1, 30}};
    det.sources.push_back({std::string(ToString(p)) + "/capture.har", "har", 0, p,
                           std::make_shared<const ScanObservations>(std::move(o))});
  }
  for (ConsentPhase p : AllConsentPhases()) {
    ScanObservations o = scan(p, "", {{"OK", "accept"}});
    if (p == ConsentPhase::kAfterReject) o.consent.result = "failed";
    det.sources.push_back({"second/" + std::string(ToString(p)), "har", 0, p,
                           std::make_shared<const ScanObservations>(std::move(o))});
  }
  // BS035: tp-meta answers consent, but the pixel ran before consent (BS022 leaves it to BS035).
  det.touchpoints[0].phases_active = {ConsentPhase::kBeforeConsent};
  det.touchpoints.push_back(Detected(kb, "plausible", 2, {"https://voorbeeld.nl/"}));
  DetectedTouchpoint spy = Detected(kb, "spy-tag", 5, {"https://voorbeeld.nl/", "https://voorbeeld.nl/shop"});
  spy.phases_active = {ConsentPhase::kBeforeConsent};
  spy.signals.push_back(Signal("client-id", "cid", "user.unique_id"));
  auto carried = [](CarriedKind kind, std::string param, std::string inner) {
    CarriedData c;
    c.kind = kind;
    c.param = std::move(param);
    c.inner = std::move(inner);
    c.requests = 2;
    c.host = "t.spy.example";
    c.page = "https://voorbeeld.nl/shop?email=…";
    c.source = "shop.har";
    return c;
  };
  // BS001 page URLs; BS021 an e-mail address inside the page URL.
  spy.carried = {carried(CarriedKind::kPageUrl, "dl", ""), carried(CarriedKind::kPageUrl, "rl", ""),
                 carried(CarriedKind::kEmail, "dl", "email")};
  // BS040: a health term in the page title.
  CarriedData term = carried(CarriedKind::kSensitiveTerm, "dt", "");
  term.term = "depressie";
  term.category = "health";
  spy.carried.push_back(term);
  det.touchpoints.push_back(spy);
  // BS021 a phone number to a third party no touchpoint explains.
  UnattributedCarried unattributed;
  unattributed.registrable_domain = "collector.example";
  unattributed.carried = {carried(CarriedKind::kPhone, "traits.phone", "")};
  det.carried.push_back(unattributed);
  DetectedTouchpoint ghost = Detected(kb, "ghost-audience", 0, {});
  ghost.implied_by = "meta-pixel";
  det.touchpoints.push_back(ghost);
  DetectedTouchpoint hint = Detected(kb, "hint-audience", 1, {"https://voorbeeld.nl/"});
  hint.implied_by = "meta-pixel";
  hint.confidence = InferenceConfidence::kMedium;
  EvidenceItem via;
  via.kind = EvidenceKind::kSignal;
  via.via = "meta-pixel";
  via.signal_id = "advanced-matching";
  via.signal_param = "ud[em]";
  hint.evidence.push_back(via);
  det.touchpoints.push_back(hint);
  auto record = [](ObservationKind kind, Proof proof, std::string subject, std::string first,
                   std::string last, std::string location) {
    EvidenceItem e;
    e.kind = EvidenceKind::kRecord;
    e.record_kind = kind;
    e.proof = proof;
    e.subject = std::move(subject);
    e.first_date = std::move(first);
    e.last_date = std::move(last);
    e.location = std::move(location);
    e.source = "records";
    return e;
  };
  DetectedTouchpoint relay = Detected(kb, "relay-mail", 0, {});
  relay.records_only = true;
  relay.discovered = Proof::kSendingNow;
  relay.evidence = {record(ObservationKind::kMailSent, Proof::kSendingNow, "voorbeeld.nl", "2026-11-01",
                           "2026-11-02", "record 1 (line 23)")};
  det.touchpoints.push_back(relay);
  DetectedTouchpoint list = Detected(kb, "list-tool", 0, {});
  list.records_only = true;
  list.discovered = Proof::kConfigured;
  list.confidence = InferenceConfidence::kMedium;
  EvidenceItem tag = record(ObservationKind::kTagConfigured, Proof::kConfigured, "List signup tag",
                            "2026-10-01", "", "tag[3]");
  tag.params = {"consent=not set", "tag_id=AW-123", "user_data=email"};  // a tag's settings
  list.evidence = {
      record(ObservationKind::kDkimKey, Proof::kConfigured, "k1._domainkey.voorbeeld.nl", "", "", ""), tag};
  det.touchpoints.push_back(list);
  UnidentifiedTracker u;  // BS019: flagged by a filter list, not in the kb
  u.registrable_domain = "xplosion.de";
  u.hosts = {"uss.xplosion.de"};
  u.requests = 2;
  u.filter = "||xplosion.de^$third-party";
  u.list = "easyprivacy.txt";
  u.line = 8760;
  det.unidentified.push_back(u);
  return det;
}

// Privacy statements (BS043-BS047): an English one for a Dutch organisation with a section for the
// rights but none for the lawful basis and a denial under a heading; a Dutch one without headings
// (the scanned pages German) with a denial. Hotjar's requests were seen, the Meta Pixel only counted.
AuditResult StatementsAudit(std::shared_ptr<const Kb> kb) {
  Register reg = CleanRegister();
  reg.organisation.country = "NL";
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint hj = Detected(*kb, "hotjar", 2, {"https://voorbeeld.nl/"});
  EvidenceItem e;
  e.kind = EvidenceKind::kRequest;
  e.url = "https://script.hotjar.com/modules.js";
  hj.evidence.push_back(e);
  det.touchpoints.push_back(hj);
  SortDetections(det);
  Statement en = ParseStatement(
      "# Privacy\n\nThis is the statement of the shop and it is for you and your family. We are the shop "
      "that "
      "you know and we like to work with the people of the town and with the people that you know.\n\n"
      "## Cookies\n\nWe do not use tracking cookies.\n\n## Your rights\n\nYou can ask us for a copy of "
      "your data.\n",
      "en.md");
  Statement nl = ParseStatement(
      "Wij gebruiken geen cookies van derden. Dit is de verklaring van de winkel en het is voor u en uw "
      "familie. Wij zijn de winkel die u kent en wij werken met de mensen van de stad en met de mensen van "
      "het dorp en de mensen van de zee.",
      "nl.txt", StatementFormat::kText);
  nl.audience_lang = "de";
  return RunAudit(std::make_shared<const Register>(reg), std::move(kb), std::move(det), {en, nl});
}

struct Scenario {
  std::string name;
  AuditResult result;
};

// What the page probe read of three banners without clicking (BS034, BS036, BS042, BS048). The first
// (OneTrust): marketing switched on in the settings layer, a banner over 95% of the screen without
// reject that the reject step could not get past, the TCF string recording consent on page 2 and
// Acme Ads from the second page on. The second (unnamed): a full-screen wall naming a subscription
// still there after reject, whose TCF string keeps purposes 2 and 7 under legitimate interest. The
// third: a small banner that locks the page, without reject.
AuditResult BannerProbeAudit(std::shared_ptr<const Kb> kb) {
  DetectionResult det = CleanDetection(*kb);
  constexpr const char* kNothing = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAAAABpYAAAAAgAAAA";
  constexpr const char* kConsent = "CP1R2oAP1R2oBEsAHBNLB4EAALAAAAAAABpYAGgkIAAQAAAA";
  constexpr const char* kLi = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAEJAABpYAAALzgBQABAAMBeYAA";
  auto box = [](double share, bool locked, std::vector<std::string> terms) {
    BannerBox b;
    b.recorded = true;
    b.viewport_share = share;
    b.scroll_locked = locked;
    b.paywall_terms = std::move(terms);
    return b;
  };
  auto page = [](uint64_t i, std::vector<std::string> hosts, std::string tc) {
    ScanPage p;
    p.index = i;
    p.url = "https://voorbeeld.nl/" + std::to_string(i);
    p.has_hosts = true;
    p.third_party_hosts = std::move(hosts);
    p.tc_string = std::move(tc);
    return p;
  };
  auto add = [&](std::string prefix, ConsentPhase p, ScanObservations o) {
    o.phase = p;
    o.file = prefix + std::string(ToString(p)) + "/scan.json";
    o.consent.recorded = o.consent.banner_found = o.consent.has_buttons = true;
    det.sources.push_back({prefix + std::string(ToString(p)), "har", 0, p,
                           std::make_shared<const ScanObservations>(std::move(o))});
  };
  ScanObservations a;
  a.consent.consent_manager = "Onetrust";
  a.consent.first_layer_buttons = {{"Accept all", "accept"}, {"Settings", "settings"}};
  ScanObservations a_before = a;
  a_before.consent.result = "not-attempted";
  a_before.consent.action = "none";
  a_before.consent.second_layer = {{"Strictly necessary", "C0001", "category", true, true},
                                   {"Marketing", "C0004", "category", true, false}};
  a_before.consent.has_second_layer = true;
  a_before.consent.banner = box(0.95, false, {});
  a_before.pages = {page(1, {}, kNothing), page(2, {"t.acme.example"}, kConsent),
                    page(3, {"t.acme.example"}, "")};
  add("a/", ConsentPhase::kBeforeConsent, a_before);
  a.consent.result = "failed";
  add("a/", ConsentPhase::kAfterReject, a);
  a.consent.result = "clicked";
  add("a/", ConsentPhase::kAfterAccept, a);

  ScanObservations b;
  b.consent.first_layer_buttons = {{"Reject", "reject"}, {"Accept", "accept"}};
  b.consent.banner = box(1.0, true, {"abo"});
  b.consent.result = "not-attempted";
  add("b/", ConsentPhase::kBeforeConsent, b);
  b.consent.result = "clicked";
  b.consent.tc_string = kLi;
  add("b/", ConsentPhase::kAfterReject, b);

  ScanObservations c;
  c.consent.first_layer_buttons = {{"OK", "accept"}};
  c.consent.banner = box(0.4, true, {});
  c.consent.result = "not-attempted";
  add("c/", ConsentPhase::kBeforeConsent, c);
  c.consent.result = "failed";
  add("c/", ConsentPhase::kAfterReject, c);
  return Audit(CleanRegister(), kb, std::move(det));
}

// Discovery files (issue 11): an agency with access to an ad account with and
// without its tasks (BS055), two tags of a product that needs consent, one not
// set and one not needed (BS056), and a cookie set before consent that neither
// the scan's nor the file's declaration names (BS033 not_in_file), and a
// declared category on by default (BS036 default_on).
AuditResult DiscoveryFilesAudit(std::shared_ptr<const Kb> kb) {
  DetectionResult det;
  auto rep = std::make_shared<DiscoveryReport>();
  auto obs = [&](ObservationKind kind, std::string key, std::string subject, Proof proof,
                 std::vector<std::pair<std::string, std::string>> attrs) {
    Observation o;
    o.kind = kind;
    o.key = std::move(key);
    o.subject = std::move(subject);
    o.proof = proof;
    o.location = "item " + std::to_string(rep->observations.size());
    o.attrs = std::move(attrs);
    rep->observations.push_back(std::move(o));
  };
  obs(ObservationKind::kAccountAccess, "meta:agency", "Reclame Noord B.V.", Proof::kInUse,
      {{"permitted_tasks", "ADVERTISE, ANALYZE"}});
  obs(ObservationKind::kAccountAccess, "linkedin:campaign_manager", "urn:li:organization:42", Proof::kInUse,
      {});
  obs(ObservationKind::kTagConfigured, "html", "Pixel base code", Proof::kConfigured,
      {{"consent", "not set"}, {"trigger", "All Pages"}});
  obs(ObservationKind::kTagConfigured, "html", "Pixel purchase", Proof::kConfigured,
      {{"consent", "not needed"}, {"trigger", "Purchase"}});
  // BS036 default_on: a category that is not necessary, on by default (OneTrust opt-out).
  obs(ObservationKind::kDeclaredCookie, "acme_id", "acme_id", Proof::kDeclared,
      {{"category", "Advertising"}, {"default", "active"}, {"consent_model", "opt-out"}});
  DiscoverySource ds;
  ds.name = "files";
  ds.report = rep;
  ds.attributed = {{2, "meta-pixel"}, {3, "meta-pixel"}};
  det.discoveries.push_back(ds);
  det.touchpoints.push_back(Detected(*kb, "meta-pixel", 2, {}));
  for (ConsentPhase p : AllConsentPhases()) {
    ScanObservations o;
    o.phase = p;
    o.file = "d/" + std::string(ToString(p)) + "/scan.json";
    o.cmp_categories = {{"C0001", "Necessary", "always active", {{"session", "voorbeeld.nl", "session"}}}};
    o.has_cmp_declaration = true;
    if (p == ConsentPhase::kBeforeConsent)
      o.cookies = {{"stray", ".voorbeeld.nl", false, false, "script", 1, 30}};
    det.sources.push_back({"d/" + std::string(ToString(p)), "har", 0, p,
                           std::make_shared<const ScanObservations>(std::move(o))});
  }
  return Audit(CleanRegister(), kb, std::move(det));
}

std::vector<Scenario> Scenarios() {
  auto kb = CoverageKb();
  std::vector<Scenario> out;
  out.push_back({"gaps with evidence", Audit(GapsRegister(), kb, GapsDetection(*kb))});
  out.push_back({"gaps without evidence", Audit(GapsRegister(), kb, DetectionResult{})});
  out.push_back({"clean", Audit(CleanRegister(), kb, CleanDetection(*kb))});
  // Evidence captured in 2022: after the Privacy Shield fell, before the Data Privacy Framework (BS029).
  DetectionResult old = GapsDetection(*kb);
  for (EvidenceSourceInfo& s : old.sources) {
    s.first_capture = "2022-03-01T09:00:00.000Z";
    s.last_capture = "2022-03-01T09:30:00.000Z";
  }
  out.push_back({"gaps with evidence of 2022", Audit(GapsRegister(), kb, std::move(old))});
  out.push_back({"statements", StatementsAudit(kb)});
  out.push_back({"banners read by the page probe", BannerProbeAudit(kb)});
  // Customer contact off the website (BS049-BS053) and the Dutch analytics exemption (BS054).
  auto offsite_kb = OffsiteKb();
  out.push_back({"offsite", Audit(OffsiteRegister(), offsite_kb, OffsiteDetection(*offsite_kb))});
  out.push_back({"discovery files", DiscoveryFilesAudit(kb)});
  return out;
}

// The field path a finding points at starts at its subject.
void ExpectPathOfSubject(const Finding& f) {
  switch (f.subject_kind) {
    case SubjectKind::kDetected:
      EXPECT_EQ(f.path, "");
      break;
    case SubjectKind::kOrganisation:
      EXPECT_EQ(f.path.rfind("organisation.", 0), 0u) << f.path;
      break;
    case SubjectKind::kActivity:
      EXPECT_EQ(f.path.rfind("activities[" + f.subject_id + "]", 0), 0u) << f.path;
      break;
    case SubjectKind::kProcessor:
      EXPECT_EQ(f.path.rfind("processors[" + f.subject_id + "]", 0), 0u) << f.path;
      break;
    case SubjectKind::kTouchpoint:
      EXPECT_EQ(f.path.rfind("touchpoints[" + f.subject_id + "]", 0), 0u) << f.path;
      break;
    case SubjectKind::kRegister:
      EXPECT_EQ(f.path.rfind(f.subject_id + ".", 0), 0u) << f.path;
      EXPECT_EQ(f.subject_id.rfind("processor_records[", 0), 0u) << f.subject_id;
      break;
  }
}

TEST(MessageCoverage, EveryFindingRendersInEveryLanguageAndEveryMessageIsUsed) {
  const TextCatalog& cat = TextCatalog::Builtin();
  std::map<std::string, size_t> produced;  // message id -> times
  std::set<std::string> rules_seen;
  std::vector<Scenario> scenarios = Scenarios();
  for (const Scenario& s : scenarios) {
    SCOPED_TRACE(s.name);
    for (const Finding& f : s.result.findings) {
      SCOPED_TRACE(f.rule_id + " " + f.subject_id + " " + f.detail.id);
      rules_seen.insert(f.rule_id);
      const RuleMeta* meta = cat.FindRule(f.rule_id);
      ASSERT_NE(meta, nullptr);
      // A check may raise a finding above its rule's severity (BS040: an advertising recipient), never lower
      // it.
      EXPECT_GE(f.severity, meta->severity);
      EXPECT_EQ(f.detail.id.rfind(f.rule_id + ".", 0), 0u) << "a rule writes its own messages";
      EXPECT_NE(std::find(meta->applies_to.begin(), meta->applies_to.end(), f.subject_kind),
                meta->applies_to.end())
          << "subject kind " << ToString(f.subject_kind) << " not in applies_to";
      EXPECT_FALSE(f.subject_id.empty());
      ExpectPathOfSubject(f);
      std::vector<std::string> ids;
      CollectMessageIds(f.detail, ids);
      for (const std::string& id : ids) {
        EXPECT_NE(cat.Template("en", id), nullptr) << "unknown message id " << id;
        ++produced[id];
      }
      std::map<std::string, std::string> rendered;
      for (const char* lang : {"en", "nl", "de"}) {
        std::string text = cat.Render(f.detail, lang);
        EXPECT_FALSE(text.empty()) << lang;
        EXPECT_FALSE(HasPlaceholder(text)) << lang << ": " << text;
        EXPECT_EQ(text.find(f.detail.id), std::string::npos)
            << lang << ": id rendered instead of text: " << text;
        rendered[lang] = text;
      }
      EXPECT_NE(rendered["nl"], rendered["en"]) << rendered["en"];
      EXPECT_NE(rendered["de"], rendered["en"]) << rendered["en"];
    }
  }
  // The clean fixture is clean: every finding above comes from a deliberate gap.
  EXPECT_TRUE(scenarios[2].result.findings.empty());

  // Every rule produced a finding, and every message of every rule file was used.
  for (const Rule& r : AllRules())
    EXPECT_TRUE(rules_seen.count(r.meta->id)) << "no finding of " << r.meta->id;
  size_t messages = 0;
  for (const auto& [id, en] : cat.AllMessages()) {
    if (id.starts_with("ui.")) continue;
    // "<rule id>.action" is the rule's line in the action list (actions_test.cc), not a finding detail.
    // "<rule id>.records_action" is that line for a product known only from records (actions_test.cc).
    if (id.ends_with(".action") || id.ends_with(".records_action")) continue;
    ++messages;
    EXPECT_GT(produced[id], 0u) << "message never produced: " << id << " (\"" << en << "\")";
  }
  EXPECT_GE(messages, 50u);
  // Nothing produced that is not a rule message, but for the record texts a
  // finding shares with the reports' discovery section (audit/record_text.h):
  // a record's place ("line 12" in the report's language) and a tag's settings.
  for (const auto& [id, n] : produced)
    EXPECT_FALSE(id.starts_with("ui.") && !id.starts_with("ui.loc_") && id != "ui.evidence_tag") << id;
}

// A tag record's consent setting, tag id and the user data it sends are in
// the finding (user run: they were left out), and a record's place is in the
// report's language.
TEST(MessageCoverage, RecordItemsShowTagSettingsAndPlaceInTheLanguage) {
  std::vector<Scenario> scenarios = Scenarios();
  const Finding* list = nullptr;
  const Finding* relay = nullptr;
  for (const Finding& f : scenarios[0].result.findings) {
    if (f.subject_id == "list-tool" && f.rule_id.starts_with("BS020")) list = &f;
    if (f.subject_id == "relay-mail" && f.rule_id.starts_with("BS001")) relay = &f;
  }
  ASSERT_NE(list, nullptr);
  ASSERT_NE(relay, nullptr);
  EXPECT_NE(En(*list).find("records, tag[3]; consent: not set; tag id: AW-123; user data sent: email)"),
            std::string::npos)
      << En(*list);
  EXPECT_NE(Nl(*list).find("toestemming: not set; tag-id: AW-123; verstuurde gebruikersgegevens: email"),
            std::string::npos)
      << Nl(*list);
  EXPECT_NE(De(*list).find("Einwilligung: not set; Tag-ID: AW-123; gesendete Nutzerdaten: email"),
            std::string::npos)
      << De(*list);
  EXPECT_NE(En(*relay).find("records, record 1 (line 23))"), std::string::npos) << En(*relay);
  EXPECT_NE(Nl(*relay).find("records, record 1 (regel 23))"), std::string::npos) << Nl(*relay);
  EXPECT_NE(De(*relay).find("records, Datensatz 1 (Zeile 23))"), std::string::npos) << De(*relay);
}

TEST(MessageCoverage, GapsRegisterFindingsPerRule) {
  // The fixture above, counted per rule by hand, so a change in what a check reports shows here.
  std::vector<Scenario> scenarios = Scenarios();
  std::map<std::string, size_t> per_rule;
  for (const Finding& f : scenarios[0].result.findings) ++per_rule[f.rule_id.substr(0, 5)];
  std::map<std::string, size_t> expected = {
      {"BS001", 3},  // spy-tag (seen, also implied), ghost-audience (implied only), relay-mail (records)
      {"BS002", 2},  // tp-noba (hotjar), tp-ans (meta-custom-audiences): registered, not detected
      {"BS003",
       7},  // organisation name, contact, DPO; activity "empty": 4 fields ("contracts": recipients none)
      {"BS004", 1},  // marketing purpose-2
      {"BS005", 1},  // marketing purpose-3
      {"BS006", 3},  // tp-noba (no basis), tp-ans (answer), tp-act (activity); the pixels answer consent
      {"BS007", 3},  // health, special-category-2; user.biometric among hr's data categories
      {"BS008", 5},  // mailer unsigned; tp-noba, tp-old (no vendor), tp-ans (unknown), tp-act (wrong role)
      {"BS009",
       5},  // marketing transfer-2, vendor offshore; detected tp-act, tp-jc-none, tp-jc-wrong (cloud's
            // transfer is in an activity; tp-jc-signed's vendor is an independent controller in the EEA)
      {"BS010", 3},  // partner unsigned; tp-jc-none (no vendor), tp-jc-wrong (wrong role)
      {"BS011", 3},  // marketing retention-1 (all data), retention-2; "empty": no retention
      {"BS012", 1},  // "empty"
      {"BS013",
       14},          // tp-noba 7, tp-act 1, tp-q2 4 (where, details, section, subsidiarity), tp-q3 1, tp-q4 1
      {"BS014", 2},  // tp-noba (session recording), tp-ans (custom audience); tp-act's activity is assessed
      {"BS015",
       7},  // user.location on tp-meta; user.location and user.contact.email on the three jc touchpoints
      {"BS016", 3},  // tp-q2 and tp-q4 (no product), tp-q3 (unknown)
      {"BS017", 1},  // tp-old
      {"BS018", 6},  // blank record 4, transfers record 2
      {"BS019", 1},  // xplosion.de flagged by EasyPrivacy
      {"BS020", 2},  // hint-audience, inferred from meta-pixel (medium); list-tool (a DKIM key)
      {"BS021", 2},  // spy-tag's e-mail address inside dl; collector.example's phone number
      {"BS022", 1},  // acme-ads before consent and after reject (spy-tag needs no consent; tp-meta is BS035)
      {"BS023", 2},  // hr's user.criminal_history; contracts' empty criminal_data block
      {"BS024", 2},  // hr's national identification number; contracts' empty national_id block
      {"BS025", 3},  // hr required; contracts in progress while tp-act is seen; marketing completed in 2017
      {"BS026", 2},  // tp-jc-wrong (mailer), tp-jc-signed (cloud, signed): meta-pixel is a joint controller
      {"BS027", 1},  // kids: children and location data, not assessed (hr is required, contracts in progress)
      {"BS028", 1},  // staff: employees only
      {"BS029", 7},  // hr: privacy shield, DPF to IN, DPF to indep (acme-ads: SCCs), DPF unverified, SCCs no
                     // TIA, DPF to a vendor the register found unlisted, and to one checked in 2021
      {"BS030", 2},  // the Onetrust banner and the unnamed one: accept without reject on the first layer
      {"BS031", 3},  // first scan: 3 clicks against 1, banner back after reject; second: reject failed
      {"BS032", 1},  // acme_id declared always active
      {"BS033", 1},  // stray, set before consent and not declared
      {"BS035", 4},  // tp-meta and the three jc touchpoints: the pixel answers consent, active before consent
      {"BS037", 5},  // tp-noba (no basis), tp-ans (subjects unknown), tp-act (contract), tp-q2 (prospects),
                     // tp-q4 (customers)
      {"BS038", 2},  // tp-q2 (list recorded as anonymous), tp-meta (measure vs advanced matching)
      {"BS039", 2},  // tp-noba (no statement), tp-q2 (no section)
      {"BS040", 1},  // spy-tag's page title
      {"BS041", 1},  // the site's page URL with an e-mail address, sent by spy-tag as dl
  };
  for (const auto& [k, v] : per_rule) EXPECT_EQ(v, expected[k]) << k;
  for (const auto& [k, v] : expected) EXPECT_EQ(per_rule[k], v) << k;
  EXPECT_EQ(per_rule, expected);
}

}  // namespace
}  // namespace blindspot

// Test helpers for src/audit/*_test.cc: a complete register, a small kb and a
// detection that together produce no finding; tests change one thing each.
#pragma once
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "blindspot/audit.h"
#include "blindspot_testing/text.h"

namespace blindspot::testing_audit {

using testing::De;
using testing::En;
using testing::HasPlaceholder;
using testing::Nl;

inline KbEntry Entry(std::string id, std::string name, std::string category, VendorRole role, bool consent,
                     std::string processing_country, TransferSafeguard mechanism = TransferSafeguard::kNone) {
  KbEntry e;
  e.id = std::move(id);
  e.name = std::move(name);
  e.category = std::move(category);
  e.role.value = role;
  e.consent_required.value = consent;
  e.vendor.processing_country = std::move(processing_country);
  e.vendor.transfer_mechanism = mechanism;
  return e;
}

inline std::vector<KbEntry> TestKbEntries() {
  return {
      Entry("meta-pixel", "Meta Pixel", "advertising-pixel", VendorRole::kJointController, true, "US",
            TransferSafeguard::kDataPrivacyFramework),
      Entry("meta-custom-audiences", "Meta Custom Audiences", "custom-audience", VendorRole::kProcessor, true,
            "US"),
      Entry("hotjar", "Hotjar", "session-recording", VendorRole::kProcessor, true, "MT"),
      Entry("plausible", "Plausible Analytics", "analytics", VendorRole::kProcessor, false, "DE"),
  };
}

inline std::shared_ptr<const Kb> TestKb() {
  return std::make_shared<const Kb>(Kb::FromEntries(TestKbEntries()));
}

// Complete register: one activity, one joint-controller vendor, one touchpoint
// for meta-pixel with every question answered. Nested items carry the ids a
// reader would derive ("purpose-1", ...).
inline Register CleanRegister() {
  Register r;
  r.source = "register.yaml";
  r.organisation.name = "Voorbeeld BV";
  r.organisation.contact.email = "privacy@voorbeeld.nl";
  r.organisation.dpo.name = "F. Gegevens";
  r.organisation.dpo.email = "fg@voorbeeld.nl";

  ProcessingActivity a;
  a.id = "marketing";
  a.name = "Online marketing";
  Purpose p;
  p.id = "purpose-1";
  p.description = "Retargeting";
  p.lawful_basis = LawfulBasis::kConsent;
  a.purposes.push_back(p);
  a.data_subjects = {"website visitor"};
  a.data_categories = {"user.device.cookie_id", "user.contact.email"};
  Recipient rec;
  rec.id = "recipient-1";
  rec.kind = RecipientKind::kProcessor;
  rec.processor = "meta";
  a.recipients.push_back(rec);
  Transfer t;
  t.id = "transfer-1";
  t.recipient = "meta";
  t.country = "US";
  t.safeguard = TransferSafeguard::kDataPrivacyFramework;
  a.transfers.push_back(t);
  Retention ret;
  ret.id = "retention-1";
  ret.data_category = "*";
  ret.period = "P2Y";
  a.retention.push_back(ret);
  a.toms.measures = {"access_control"};
  a.dpia.status = DpiaStatus::kCompleted;
  r.activities.push_back(a);

  Processor v;
  v.id = "meta";
  v.name = "Meta Platforms Ireland";
  v.country = "IE";
  v.role = VendorRole::kJointController;
  v.agreement.status = AgreementStatus::kSigned;
  r.processors.push_back(v);

  Touchpoint tp;
  tp.id = "tp-meta";
  tp.name = "Meta Pixel on the website";
  tp.channel = "advertising";
  tp.product = "meta-pixel";
  tp.vendor = "meta";
  tp.activities = {"marketing"};
  tp.answers.in_use = true;
  tp.answers.stored_by_us = false;
  tp.answers.stored_by_vendor = true;
  tp.answers.stored_by_vendor_details = "Meta, up to 2 years";
  tp.answers.informed_statement = "https://voorbeeld.nl/privacy";
  tp.answers.informed_section = "Cookies";
  tp.answers.data_collected = {"user.device.cookie_id"};
  tp.answers.lawful_basis = LawfulBasis::kConsent;
  tp.answers.necessity = "Measure campaign effect";
  tp.answers.subsidiarity = "Aggregated statistics cannot attribute conversions";
  tp.answers.security_measures = {"consent_management"};
  r.touchpoints.push_back(tp);
  return r;
}

inline DetectedTouchpoint Detected(const Kb& kb, std::string id, uint64_t count,
                                   std::vector<std::string> pages) {
  DetectedTouchpoint d;
  d.kb_id = std::move(id);
  d.kb = kb.Find(d.kb_id);
  d.evidence_count = count;
  for (auto& p : pages) d.pages.insert(p);
  return d;
}

inline SignalHit Signal(std::string id, std::string param, std::string category) {
  SignalHit s;
  s.signal_id = std::move(id);
  s.param = std::move(param);
  s.data_category = std::move(category);
  s.source = "site.har";
  return s;
}

inline DetectionResult CleanDetection(const Kb& kb) {
  DetectionResult det;
  det.sources = {{"site.har", "har"}};
  det.entries = 100;
  DetectedTouchpoint d =
      Detected(kb, "meta-pixel", 12, {"https://voorbeeld.nl/", "https://voorbeeld.nl/shop"});
  d.signals.push_back(Signal("advanced-matching", "ud[em]", "user.contact.email"));
  det.touchpoints.push_back(d);
  return det;
}

inline std::vector<Finding> Of(const AuditResult& r, std::string_view rule) {
  std::vector<Finding> out;
  std::copy_if(r.findings.begin(), r.findings.end(), std::back_inserter(out),
               [rule](const Finding& f) { return f.rule_id == rule; });
  return out;
}

inline void SortDetections(DetectionResult& det) {
  std::sort(det.touchpoints.begin(), det.touchpoints.end(),
            [](const DetectedTouchpoint& a, const DetectedTouchpoint& b) { return a.kb_id < b.kb_id; });
}

// Runs the audit on copies of a register and detection kept by the test.
inline AuditResult Audit(const Register& reg, std::shared_ptr<const Kb> kb, DetectionResult det) {
  SortDetections(det);
  return RunAudit(std::make_shared<const Register>(reg), std::move(kb), std::move(det));
}

// Every message id in a message and its nested messages (arguments and list items).
inline void CollectMessageIds(const Message& m, std::vector<std::string>& out) {
  if (m.empty()) return;
  out.push_back(m.id);
  struct Walk {
    static void Arg(const MessageArg& a, std::vector<std::string>& out) {
      for (const Message& sub : a.message) CollectMessageIds(sub, out);
      for (const MessageArg& item : a.items) Arg(item, out);
    }
  };
  for (const MessageArg& a : m.args) Walk::Arg(a, out);
}

}  // namespace blindspot::testing_audit

// Test helpers for src/audit/*_test.cc: a complete register, a small kb and a
// detection that together produce no finding; tests change one thing each.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "blindspot/audit.h"

namespace blindspot::testing_audit {

inline KbEntry Entry(std::string id, std::string name, std::string category, std::string role, bool consent,
                     std::string processing_country) {
  KbEntry e;
  e.id = std::move(id);
  e.name = std::move(name);
  e.category = std::move(category);
  e.role.value = std::move(role);
  e.consent_required.value = consent ? "true" : "false";
  e.vendor.processing_country = std::move(processing_country);
  return e;
}

inline Kb TestKb() {
  return Kb::FromEntries({
      Entry("meta-pixel", "Meta Pixel", "advertising-pixel", "joint_controller", true, "US"),
      Entry("meta-custom-audiences", "Meta Custom Audiences", "custom-audience", "processor", true, "US"),
      Entry("hotjar", "Hotjar", "session-recording", "processor", true, "MT"),
      Entry("plausible", "Plausible Analytics", "analytics", "processor", false, "DE"),
  });
}

// Complete register: one activity, one joint-controller vendor, one touchpoint
// for meta-pixel with every question answered.
inline Register CleanRegister() {
  Register r;
  r.source = "register.yaml";
  r.organisation.name = "Voorbeeld BV";
  r.organisation.contact.email = "privacy@voorbeeld.nl";
  r.organisation.dpo.name = "F. Gegevens";
  r.organisation.dpo.email = "fg@voorbeeld.nl";
  r.organisation.loc = {2, 1};

  ProcessingActivity a;
  a.id = "marketing";
  a.name = "Online marketing";
  Purpose p;
  p.description = "Retargeting";
  p.lawful_basis = LawfulBasis::kConsent;
  p.loc = {12, 9};
  a.purposes.push_back(p);
  a.data_subjects = {"website visitor"};
  a.data_categories = {"user.device.cookie_id", "user.contact.email"};
  a.recipients.processors = {"meta"};
  Transfer t;
  t.recipient = "meta";
  t.country = "US";
  t.safeguard = TransferSafeguard::kDataPrivacyFramework;
  t.loc = {20, 9};
  a.transfers.push_back(t);
  Retention ret;
  ret.data_category = "*";
  ret.period = "P2Y";
  ret.loc = {24, 9};
  a.retention.push_back(ret);
  a.toms.measures = {"access_control"};
  a.dpia.status = DpiaStatus::kCompleted;
  a.loc = {10, 5};
  r.activities.push_back(a);

  Processor v;
  v.id = "meta";
  v.name = "Meta Platforms Ireland";
  v.country = "IE";
  v.role = VendorRole::kJointController;
  v.agreement.status = AgreementStatus::kSigned;
  v.agreement.loc = {33, 7};
  v.loc = {30, 5};
  r.processors.push_back(v);

  Touchpoint tp;
  tp.id = "tp-meta";
  tp.name = "Meta Pixel on the website";
  tp.channel = "web-pixel";
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
  tp.answers.loc = {42, 7};
  tp.loc = {40, 5};
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

inline DetectionResult CleanDetection(const Kb& kb) {
  DetectionResult det;
  det.hars = {"site.har"};
  det.entries = 100;
  DetectedTouchpoint d =
      Detected(kb, "meta-pixel", 12, {"https://voorbeeld.nl/", "https://voorbeeld.nl/shop"});
  SignalHit s;
  s.signal_id = "advanced-matching";
  s.param = "ud[em]";
  s.data_category = "user.contact.email";
  s.har = "site.har";
  d.signals.push_back(s);
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

}  // namespace blindspot::testing_audit

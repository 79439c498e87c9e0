// Test helpers for the rules on customer contact off the website (BS049-BS053)
// and the Dutch analytics exemption (BS054): touchpoints with a contact block,
// a kb with analytics products that can (or cannot) be configured for the
// exemption, and their detections.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_test_util.h"

namespace blindspot::testing_audit {

// The test kb plus: "stats-cloud" (analytics, needs consent, can be configured
// for the exemption; "ads.stats-cloud.example" shows its advertising features;
// its signal "to-ads" passes data to the Meta Pixel), "stats-plus" (the same)
// and "ga-like" (needs consent, no exemption known).
inline std::vector<KbEntry> OffsiteKbEntries() {
  std::vector<KbEntry> entries = TestKbEntries();
  for (const char* id : {"stats-cloud", "stats-plus"}) {
    KbEntry e = Entry(id, id == std::string("stats-cloud") ? "Stats Cloud" : "Stats Plus", "analytics",
                      VendorRole::kProcessor, true, "DE");
    e.analytics_exemption.value = true;
    e.analytics_exemption.contradicted_by = {"ads.stats-cloud.example"};
    DataSignal s;
    s.id = "to-ads";
    s.param = "ads_id";
    s.implies = "meta-pixel";
    e.data_signals.push_back(s);
    entries.push_back(e);
  }
  entries.push_back(Entry("ga-like", "GA Like", "analytics", VendorRole::kProcessor, true, "DE"));
  return entries;
}

inline std::shared_ptr<const Kb> OffsiteKb() {
  return std::make_shared<const Kb>(Kb::FromEntries(OffsiteKbEntries()));
}

// A touchpoint with every question answered, no product and no vendor: the
// contact facts are set by the caller.
inline Touchpoint ContactTouchpoint(std::string id, std::string name) {
  Touchpoint tp = CleanRegister().touchpoints[0];
  tp.id = std::move(id);
  tp.name = std::move(name);
  tp.channel = "messaging";
  tp.product.clear();
  tp.vendor.clear();
  tp.answers.lawful_basis = LawfulBasis::kContract;
  return tp;
}

// An analytics touchpoint that relies on the Dutch exemption with every condition answered yes.
inline Touchpoint ExemptTouchpoint(std::string id, std::string product) {
  Touchpoint tp = CleanRegister().touchpoints[0];
  tp.id = std::move(id);
  tp.name = "Statistics " + tp.id;
  tp.channel = "web-tracking";
  tp.product = std::move(product);
  tp.answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  AnalyticsExemption& a = tp.analytics_exemption;
  a.processor_agreement = a.ip_masked = a.no_sharing = a.no_other_services = a.informed = true;
  return tp;
}

// Its product seen before consent (a request matching `signature`).
inline DetectedTouchpoint SeenBeforeConsent(const Kb& kb, std::string id, std::string signature) {
  DetectedTouchpoint d = Detected(kb, std::move(id), 2, {"https://voorbeeld.nl/"});
  EvidenceItem e;
  e.kind = EvidenceKind::kRequest;
  e.url = "https://" + signature + "/collect";
  e.signature = std::move(signature);
  e.source = "before-consent/capture.har";
  d.evidence.push_back(e);
  d.phases_active = {ConsentPhase::kBeforeConsent};
  return d;
}

inline DetectionResult PhasedDetection(const Kb& kb) {
  DetectionResult det = CleanDetection(kb);
  det.sources = {{"before-consent/capture.har", "har"}};
  det.sources[0].phase = ConsentPhase::kBeforeConsent;
  return det;
}

// A register with every kind of contact finding (and their compliant twins)
// and the three ways an exemption falls short.
inline Register OffsiteRegister() {
  Register r = CleanRegister();
  Processor bsp;
  bsp.id = "bsp";
  bsp.name = "Berichten BV";
  bsp.country = "NL";
  bsp.agreement.status = AgreementStatus::kPending;
  r.processors.push_back(bsp);
  bsp.id = "bsp-ok";
  bsp.name = "Chatdienst BV";
  bsp.agreement.status = AgreementStatus::kSigned;
  r.processors.push_back(bsp);

  Touchpoint t = ContactTouchpoint("wa-consumer", "WhatsApp on the shop phone");
  t.contact.whatsapp.app = "consumer";
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("wa-app", "WhatsApp Business sales");
  t.contact.whatsapp.app = "business_app";
  t.contact.whatsapp.contact_upload = true;
  t.contact.whatsapp.staff_own_phones = true;
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("wa-app-ok", "WhatsApp Business service");
  t.contact.whatsapp.app = "business_app";
  t.contact.whatsapp.contact_upload = false;
  t.contact.whatsapp.staff_own_phones = false;
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("wa-platform", "WhatsApp customer service");
  t.contact.whatsapp.app = "business_platform";
  t.contact.whatsapp.provider = "bsp";
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("wa-platform-ok", "WhatsApp support");
  t.contact.whatsapp.app = "business_platform";
  t.contact.whatsapp.provider = "bsp-ok";
  r.touchpoints.push_back(t);

  t = ContactTouchpoint("calls", "Customer service line");
  t.channel = "phone";
  t.contact.call_recording.recorded = true;
  t.contact.call_recording.announced = false;
  t.contact.call_recording.scope = "all";
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("calls-ok", "Sales line");
  t.channel = "phone";
  t.contact.call_recording = {true, true, "sample", 30, "training of new staff"};
  r.touchpoints.push_back(t);

  t = ContactTouchpoint("chat", "Web chat");
  t.channel = "chat";
  t.contact.chat_transcripts.stored = true;
  t.contact.chat_transcripts.reused_in_crm = true;
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("chat-ok", "Support chat");
  t.channel = "chat";
  t.contact.chat_transcripts = {true, false, 90};
  r.touchpoints.push_back(t);

  t = ContactTouchpoint("mail", "Newsletter");
  t.channel = "email";
  t.contact.email_tracking = {true, false, true, false};
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("mail-clicks", "Promotions");
  t.channel = "email";
  t.contact.email_tracking = {true, true, true, std::nullopt};
  r.touchpoints.push_back(t);
  t = ContactTouchpoint("mail-ok", "Service e-mail");
  t.channel = "email";
  t.contact.email_tracking = {true, true, false, std::nullopt};
  r.touchpoints.push_back(t);

  // The exemption: one condition unanswered and one answered no; one contradicted
  // by the evidence; one for a product the kb knows no such configuration for.
  t = ExemptTouchpoint("stats-partial", "stats-cloud");
  t.analytics_exemption.ip_masked = false;
  t.analytics_exemption.informed.reset();
  r.touchpoints.push_back(t);
  r.touchpoints.push_back(ExemptTouchpoint("stats-ads", "stats-plus"));
  r.touchpoints.push_back(ExemptTouchpoint("stats-ga", "ga-like"));
  return r;
}

inline DetectionResult OffsiteDetection(const Kb& kb) {
  DetectionResult det = PhasedDetection(kb);
  det.touchpoints.push_back(SeenBeforeConsent(kb, "stats-cloud", "stats-cloud.example"));
  det.touchpoints.push_back(SeenBeforeConsent(kb, "stats-plus", "ads.stats-cloud.example"));
  return det;
}

}  // namespace blindspot::testing_audit

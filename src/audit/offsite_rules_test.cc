// Rules BS049-BS053 (customer contact off the website: WhatsApp, recorded
// calls, chat transcripts, e-mail tracking) and BS054 with the Dutch analytics
// exemption (art. 11.7a(3)(b) Tw) as BS006, BS022, BS035 and the consent
// verdict respect it. Positive and negative cases on offsite_test_util.h.
#include <gtest/gtest.h>

#include "audit/offsite_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

std::vector<Finding> About(const std::vector<Finding>& fs, std::string_view subject) {
  std::vector<Finding> out;
  for (const Finding& f : fs)
    if (f.subject_id == subject) out.push_back(f);
  return out;
}

const VerdictReason* ConsentReason(const AuditResult& r, std::string_view kb_id) {
  for (const ReconciledTouchpoint& row : r.touchpoints)
    if (row.kb_id == kb_id)
      for (const VerdictReason& v : row.verdict.reasons)
        if (v.check == "consent") return &v;
  return nullptr;
}

class OffsiteRuleTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = OffsiteKb();
  AuditResult Run(const Register& reg) { return Audit(reg, kb, OffsiteDetection(*kb)); }
};

// --- BS049 ----------------------------------------------------------------

TEST_F(OffsiteRuleTest, WhatsAppConsumerAppAndBusinessAppOnStaffPhones) {
  AuditResult r = Run(OffsiteRegister());
  auto all = Of(r, "BS049-whatsapp-on-staff-phones");
  auto consumer = About(all, "wa-consumer");
  ASSERT_EQ(consumer.size(), 1u);
  EXPECT_EQ(consumer[0].severity, Severity::kHigh);
  EXPECT_EQ(consumer[0].path, "touchpoints[wa-consumer].contact.whatsapp.app");
  EXPECT_EQ(
      En(consumer[0]),
      "Touchpoint 'WhatsApp on the shop phone' answers customers with the consumer WhatsApp app: WhatsApp "
      "offers no processor terms for it, so customer messages and the phone's address book are processed "
      "under WhatsApp's own terms");
  EXPECT_EQ(Nl(consumer[0])
                .rfind("Touchpoint 'WhatsApp on the shop phone' staat klanten te woord met de gewone", 0),
            0u);

  auto app = About(all, "wa-app");
  ASSERT_EQ(app.size(), 2u);
  EXPECT_EQ(app[0].path, "touchpoints[wa-app].contact.whatsapp.contact_upload");
  EXPECT_EQ(
      En(app[0]),
      "Touchpoint 'WhatsApp Business sales' uses the WhatsApp Business app with access to the phone's "
      "address book: every contact in it, customer or not, is sent to WhatsApp, and each needs a lawful "
      "basis");
  EXPECT_EQ(app[1].path, "touchpoints[wa-app].contact.whatsapp.staff_own_phones");
  EXPECT_NE(De(app[1]).find("auf den privaten Telefonen der Beschäftigten"), std::string::npos) << De(app[1]);

  auto platform = About(all, "wa-platform");
  ASSERT_EQ(platform.size(), 1u);
  EXPECT_EQ(platform[0].path, "touchpoints[wa-platform].contact.whatsapp.provider");
  EXPECT_EQ(En(platform[0]),
            "Touchpoint 'WhatsApp customer service' uses the WhatsApp Business Platform through provider "
            "'Berichten BV', but the register records no signed processor agreement with it");
  // Not reported: the Business app without address book on managed phones, the
  // platform through a provider with a signed agreement.
  EXPECT_TRUE(About(all, "wa-app-ok").empty());
  EXPECT_TRUE(About(all, "wa-platform-ok").empty());
  EXPECT_EQ(all.size(), 4u);
}

TEST_F(OffsiteRuleTest, WhatsAppNotInUseOrUnansweredIsNotJudged) {
  Register reg = OffsiteRegister();
  reg.touchpoints[1].answers.in_use = false;  // wa-consumer
  Touchpoint t = ContactTouchpoint("wa-unknown", "WhatsApp, facts unknown");
  t.contact.whatsapp.app = "business_app";  // upload and phones unanswered
  reg.touchpoints.push_back(t);
  auto all = Of(Run(reg), "BS049-whatsapp-on-staff-phones");
  EXPECT_TRUE(About(all, "wa-consumer").empty());
  EXPECT_TRUE(About(all, "wa-unknown").empty());
}

// --- BS050, BS051 ----------------------------------------------------------

TEST_F(OffsiteRuleTest, CallsRecordedWithoutAnnouncementOrRetention) {
  AuditResult r = Run(OffsiteRegister());
  auto bs050 = Of(r, "BS050-call-recording-not-announced");
  ASSERT_EQ(bs050.size(), 1u);
  EXPECT_EQ(bs050[0].subject_id, "calls");
  EXPECT_EQ(bs050[0].severity, Severity::kHigh);
  EXPECT_EQ(bs050[0].path, "touchpoints[calls].contact.call_recording.announced");
  EXPECT_EQ(En(bs050[0]),
            "Calls of touchpoint 'Customer service line' are recorded (all calls), but callers are not told "
            "before the recording starts");
  EXPECT_EQ(
      Nl(bs050[0]),
      "Gesprekken van touchpoint 'Customer service line' worden opgenomen (alle gesprekken), maar bellers "
      "horen dat niet voordat de opname begint");

  auto bs051 = Of(r, "BS051-contact-retention");
  auto calls = About(bs051, "calls");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].severity, Severity::kMedium);
  EXPECT_EQ(calls[0].path, "touchpoints[calls].contact.call_recording.retention_days");
  EXPECT_EQ(En(calls[0]), "Call recordings of touchpoint 'Customer service line' have no retention period");
  EXPECT_EQ(calls[1].path, "touchpoints[calls].contact.call_recording.scope");
  EXPECT_EQ(
      En(calls[1]),
      "Touchpoint 'Customer service line' records all calls, but the register names no purpose that needs "
      "every call recorded");
  // Announced, a sample, 30 days, a purpose: nothing.
  EXPECT_TRUE(About(bs051, "calls-ok").empty());
  EXPECT_TRUE(About(bs050, "calls-ok").empty());
}

TEST_F(OffsiteRuleTest, AnnouncementUnansweredIsNotReported) {
  Register reg = OffsiteRegister();
  for (Touchpoint& t : reg.touchpoints)
    if (t.id == "calls") t.contact.call_recording.announced.reset();
  EXPECT_TRUE(Of(Run(reg), "BS050-call-recording-not-announced").empty());
}

// --- BS051 (chat), BS052 ------------------------------------------------------

TEST_F(OffsiteRuleTest, ChatTranscriptsReusedInCrmAndKeptWithoutRetention) {
  Register reg = OffsiteRegister();
  Touchpoint t = ContactTouchpoint("chat-consent", "Chat with consent to follow-up");
  t.answers.lawful_basis = LawfulBasis::kConsent;
  t.contact.chat_transcripts = {true, true, 30};
  reg.touchpoints.push_back(t);
  AuditResult r = Run(reg);
  auto bs052 = Of(r, "BS052-chat-transcripts-reused");
  ASSERT_EQ(bs052.size(), 1u);
  EXPECT_EQ(bs052[0].subject_id, "chat");
  EXPECT_EQ(bs052[0].path, "touchpoints[chat].contact.chat_transcripts.reused_in_crm");
  EXPECT_EQ(
      En(bs052[0]),
      "Chat transcripts of touchpoint 'Web chat' are reused in the CRM, a purpose other than answering the "
      "question, without consent or a recorded compatibility assessment");
  EXPECT_EQ(Nl(bs052[0]).rfind("Chatgesprekken van touchpoint 'Web chat' worden in het CRM hergebruikt", 0),
            0u);
  auto chat = About(Of(r, "BS051-contact-retention"), "chat");
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(chat[0].path, "touchpoints[chat].contact.chat_transcripts.retention_days");
  EXPECT_EQ(En(chat[0]), "Chat transcripts of touchpoint 'Web chat' are stored without a retention period");
  // Stored for 90 days and not reused; reused on consent with 30 days: nothing.
  EXPECT_TRUE(About(Of(r, "BS051-contact-retention"), "chat-ok").empty());
  EXPECT_TRUE(About(Of(r, "BS051-contact-retention"), "chat-consent").empty());
}

// --- BS053 ----------------------------------------------------------------

TEST_F(OffsiteRuleTest, EmailTrackedPerRecipientWithoutConsent) {
  AuditResult r = Run(OffsiteRegister());
  auto f = Of(r, "BS053-email-tracking-without-consent");
  ASSERT_EQ(f.size(), 2u);
  auto mail = About(f, "mail");
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].severity, Severity::kHigh);
  EXPECT_EQ(mail[0].path, "touchpoints[mail].contact.email_tracking.consent");
  EXPECT_EQ(En(mail[0]),
            "E-mails of touchpoint 'Newsletter' track opens per recipient without the recipients' consent");
  EXPECT_EQ(Nl(mail[0]),
            "E-mails van touchpoint 'Newsletter' volgen het openen per ontvanger zonder toestemming van de "
            "ontvangers");
  auto both = About(f, "mail-clicks");
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(En(both[0]),
            "E-mails of touchpoint 'Promotions' track opens and clicks per recipient without the recipients' "
            "consent");
  EXPECT_TRUE(About(f, "mail-ok").empty());  // aggregate only
}

TEST_F(OffsiteRuleTest, EmailTrackingWithConsentIsNotReported) {
  Register reg = OffsiteRegister();
  for (Touchpoint& t : reg.touchpoints)
    if (t.id == "mail" || t.id == "mail-clicks") t.contact.email_tracking.consent = true;
  EXPECT_TRUE(Of(Run(reg), "BS053-email-tracking-without-consent").empty());
}

// --- BS054 and the exemption ------------------------------------------------

TEST_F(OffsiteRuleTest, ExemptionMetSilencesConsentRulesAndPassesTheVerdict) {
  Register reg = CleanRegister();
  reg.touchpoints.push_back(ExemptTouchpoint("stats", "stats-cloud"));
  DetectionResult det = PhasedDetection(*kb);
  det.touchpoints.push_back(SeenBeforeConsent(*kb, "stats-cloud", "stats-cloud.example"));
  AuditResult r = Audit(reg, kb, det);
  for (const char* id : {"BS006-consent-required", "BS022-tracking-without-consent",
                         "BS035-consent-claim-contradicted", "BS054-analytics-exemption-incomplete"})
    EXPECT_TRUE(About(Of(r, id), "stats").empty() && About(Of(r, id), "stats-cloud").empty()) << id;
  const VerdictReason* v = ConsentReason(r, "stats-cloud");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->state, CheckState::kOk);
  EXPECT_EQ(v->message.id, "ui.vr_consent_exempt");
}

TEST_F(OffsiteRuleTest, ExemptionWithoutAnswersIsAnOrdinaryConsentCase) {
  // The same product and traffic without the register's answers: BS006 and BS022 as always.
  Register reg = CleanRegister();
  Touchpoint t = ExemptTouchpoint("stats", "stats-cloud");
  t.analytics_exemption = {};
  reg.touchpoints.push_back(t);
  DetectionResult det = PhasedDetection(*kb);
  det.touchpoints.push_back(SeenBeforeConsent(*kb, "stats-cloud", "stats-cloud.example"));
  AuditResult r = Audit(reg, kb, det);
  EXPECT_EQ(About(Of(r, "BS006-consent-required"), "stats").size(), 1u);
  EXPECT_EQ(About(Of(r, "BS022-tracking-without-consent"), "stats-cloud").size(), 1u);
  EXPECT_TRUE(Of(r, "BS054-analytics-exemption-incomplete").empty());
}

TEST_F(OffsiteRuleTest, PartialExemptionNamesTheMissingConditionsOnce) {
  AuditResult r = Run(OffsiteRegister());
  auto f = About(Of(r, "BS054-analytics-exemption-incomplete"), "stats-partial");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].path, "touchpoints[stats-partial].analytics_exemption.ip_masked");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Statistics stats-partial' (Stats Cloud) relies on the Dutch analytics exemption, but the "
      "register does not confirm: IP addresses masked, visitors informed in the privacy statement; until "
      "it does, the analytics needs prior consent");
  EXPECT_NE(Nl(f[0]).find("IP-adressen gemaskeerd"), std::string::npos) << Nl(f[0]);
  // One finding: BS006 leaves it to BS054; the traffic before consent is still BS022's.
  EXPECT_TRUE(About(Of(r, "BS006-consent-required"), "stats-partial").empty());
  EXPECT_EQ(About(Of(r, "BS022-tracking-without-consent"), "stats-cloud").size(), 1u);
  const VerdictReason* v = ConsentReason(r, "stats-cloud");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->state, CheckState::kGap);
}

TEST_F(OffsiteRuleTest, EvidenceBeatsTheConfiguration) {
  AuditResult r = Run(OffsiteRegister());
  auto f = About(Of(r, "BS054-analytics-exemption-incomplete"), "stats-ads");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[stats-ads].analytics_exemption");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Statistics stats-ads' (Stats Plus) relies on the Dutch analytics exemption, but the "
      "evidence shows its advertising features in use; the exemption does not apply and the analytics needs "
      "prior consent");
  EXPECT_EQ(About(Of(r, "BS022-tracking-without-consent"), "stats-plus").size(), 1u);
}

TEST_F(OffsiteRuleTest, CookiesAndSignalsContradictTheConfiguration) {
  Register reg = CleanRegister();
  Touchpoint t = ExemptTouchpoint("stats", "stats-cloud");
  t.analytics_exemption.cookieless = true;
  reg.touchpoints.push_back(t);
  DetectionResult det = PhasedDetection(*kb);
  DetectedTouchpoint d = SeenBeforeConsent(*kb, "stats-cloud", "stats-cloud.example");
  EvidenceItem c;
  c.kind = EvidenceKind::kCookie;
  c.cookie_name = "_st_id";
  d.evidence.push_back(c);
  d.signals.push_back(Signal("to-ads", "ads_id", ""));
  det.touchpoints.push_back(d);
  auto f = Of(Audit(reg, kb, det), "BS054-analytics-exemption-incomplete");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("its data passed to another product, its cookies, although the configuration is "
                          "said to be cookieless"),
            std::string::npos)
      << En(f[0]);
}

TEST_F(OffsiteRuleTest, ExemptionForAProductWithoutAQualifyingConfiguration) {
  AuditResult r = Run(OffsiteRegister());
  auto f = About(Of(r, "BS054-analytics-exemption-incomplete"), "stats-ga");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[stats-ga].analytics_exemption");
  EXPECT_EQ(
      En(f[0]),
      "Touchpoint 'Statistics stats-ga' (GA Like) relies on the Dutch analytics exemption, but the knowledge "
      "base knows no configuration of this product that qualifies; it needs prior consent");
  // The product needs consent and the register names another basis: BS006 too.
  EXPECT_EQ(About(Of(r, "BS006-consent-required"), "stats-ga").size(), 1u);
  EXPECT_EQ(Of(r, "BS054-analytics-exemption-incomplete").size(), 3u);
}

TEST_F(OffsiteRuleTest, NoContactFactsNoFindings) {
  AuditResult r = Audit(CleanRegister(), kb, CleanDetection(*kb));
  for (const char* id : {"BS049-whatsapp-on-staff-phones", "BS050-call-recording-not-announced",
                         "BS051-contact-retention", "BS052-chat-transcripts-reused",
                         "BS053-email-tracking-without-consent", "BS054-analytics-exemption-incomplete"})
    EXPECT_TRUE(Of(r, id).empty()) << id;
}

}  // namespace
}  // namespace blindspot

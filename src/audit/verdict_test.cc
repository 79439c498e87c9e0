// Verdicts per touchpoint and per activity (src/audit/verdict.cc, docs/verdicts.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "audit/audit_test_util.h"
#include "blindspot/catalog.h"

namespace blindspot {
namespace {

using namespace testing_audit;

std::shared_ptr<const Kb> VerdictKb() {
  std::vector<KbEntry> e = TestKbEntries();
  e.push_back(Entry("whatsapp-click-to-chat", "WhatsApp Click to Chat", "messaging",
                    VendorRole::kIndependentController, false, "US"));
  return std::make_shared<const Kb>(Kb::FromEntries(std::move(e)));
}

const ReconciledTouchpoint* Row(const AuditResult& r, std::string_view kb_id) {
  for (const ReconciledTouchpoint& tp : r.touchpoints)
    if (tp.kb_id == kb_id) return &tp;
  return nullptr;
}

// The reasons of one check.
std::vector<VerdictReason> On(const Judgement& j, std::string_view check) {
  std::vector<VerdictReason> out;
  for (const VerdictReason& r : j.reasons)
    if (r.check == check) out.push_back(r);
  return out;
}

bool Has(const Judgement& j, std::string_view check, CheckState s) {
  for (const VerdictReason& r : j.reasons)
    if (r.check == check && r.state == s) return true;
  return false;
}

bool HasRule(const Judgement& j, std::string_view check, std::string_view rule) {
  for (const VerdictReason& r : j.reasons)
    if (r.check == check && std::find(r.rule_ids.begin(), r.rule_ids.end(), rule) != r.rule_ids.end())
      return true;
  return false;
}

DetectedTouchpoint WithRequest(DetectedTouchpoint d, std::string url) {
  EvidenceItem e;
  e.kind = EvidenceKind::kRequest;
  e.url = std::move(url);
  d.evidence.push_back(e);
  return d;
}

TEST(Verdict, CompleteRegisterAndCleanEvidenceIsSafeguarded) {
  auto kb = VerdictKb();
  AuditResult r = Audit(CleanRegister(), kb, CleanDetection(*kb));
  ASSERT_TRUE(r.findings.empty());
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->verdict.verdict, Verdict::kSafeguarded);
  EXPECT_TRUE(Has(tp->verdict, "consent", CheckState::kOk));
  EXPECT_TRUE(Has(tp->verdict, "lawful_basis", CheckState::kOk));
  EXPECT_TRUE(Has(tp->verdict, "role", CheckState::kOk));
  EXPECT_TRUE(Has(tp->verdict, "agreement", CheckState::kOk));
  // Meta processes in the US: the register's DPF transfer leaves no BS009 finding.
  EXPECT_TRUE(Has(tp->verdict, "transfer", CheckState::kOk));
  EXPECT_TRUE(Has(tp->verdict, "personal_data_sent", CheckState::kOk));
  EXPECT_TRUE(Has(tp->verdict, "answers", CheckState::kOk));
  for (const VerdictReason& reason : tp->verdict.reasons) {
    EXPECT_NE(reason.state, CheckState::kGap) << reason.check;
    EXPECT_FALSE(reason.message.empty()) << reason.check;
  }
  ASSERT_EQ(r.activities.size(), 1u);
  EXPECT_EQ(r.activities[0].activity->id, "marketing");
  EXPECT_EQ(r.activities[0].verdict.verdict, Verdict::kSafeguarded);
  EXPECT_EQ(r.activities[0].touchpoints, std::vector<size_t>{0});
  EXPECT_TRUE(Has(r.activities[0].verdict, "dpia", CheckState::kOk));
}

TEST(Verdict, RegisterNamingAnotherBasisForAConsentProductIsAConsentGap) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.touchpoints[0].answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(tp->verdict, "consent", "BS006-consent-required"));
  // The finding replaces the register-side "consent recorded".
  EXPECT_FALSE(Has(tp->verdict, "consent", CheckState::kOk));
}

TEST(Verdict, VendorWithoutSignedArrangementIsAnAgreementGapOnItsTouchpoints) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.processors[0].agreement.status = AgreementStatus::kMissing;
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  EXPECT_TRUE(Has(tp->verdict, "agreement", CheckState::kGap));
  EXPECT_TRUE(HasRule(tp->verdict, "agreement", "BS010-joint-controller-no-arrangement"));
}

TEST(Verdict, TransferWithoutSafeguardIsAGapOfTheActivity) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.activities[0].transfers[0].safeguard.reset();
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  ASSERT_FALSE(Of(r, "BS009-transfer-no-safeguard").empty());
  EXPECT_EQ(r.activities[0].verdict.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(r.activities[0].verdict, "transfer", "BS009-transfer-no-safeguard"));
  EXPECT_FALSE(Has(r.activities[0].verdict, "transfer", CheckState::kOk));
}

TEST(Verdict, DpiaRequiredOrInProgressIsAGap) {
  auto kb = VerdictKb();
  for (DpiaStatus s : {DpiaStatus::kRequired, DpiaStatus::kInProgress}) {
    Register reg = CleanRegister();
    reg.activities[0].dpia.status = s;
    AuditResult r = Audit(reg, kb, CleanDetection(*kb));
    EXPECT_EQ(r.activities[0].verdict.verdict, Verdict::kGaps) << ToString(s);
    EXPECT_TRUE(Has(r.activities[0].verdict, "dpia", CheckState::kGap)) << ToString(s);
  }
  Register reg = CleanRegister();
  reg.activities[0].dpia.status = DpiaStatus::kNotRequired;
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  EXPECT_EQ(r.activities[0].verdict.verdict, Verdict::kSafeguarded);
}

TEST(Verdict, UndeclaredDataSignalIsAPersonalDataGap) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.activities[0].data_categories = {"user.device.cookie_id"};
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(tp->verdict, "personal_data_sent", "BS015-undeclared-data-signal"));
  EXPECT_FALSE(Has(tp->verdict, "personal_data_sent", CheckState::kOk));
}

TEST(Verdict, EvidenceBeatsTheRegisterOnConsent) {
  // The register records consent, but the pixel ran before any choice.
  auto kb = VerdictKb();
  DetectionResult det = CleanDetection(*kb);
  det.sources[0].phase = ConsentPhase::kBeforeConsent;
  det.touchpoints[0].phases_active = {ConsentPhase::kBeforeConsent, ConsentPhase::kAfterAccept};
  AuditResult r = Audit(CleanRegister(), kb, det);
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(tp->verdict, "consent", "BS035-consent-claim-contradicted"));
  EXPECT_FALSE(Has(tp->verdict, "consent", CheckState::kOk));
}

TEST(Verdict, SeenOnlyAfterAcceptIsConsentOk) {
  auto kb = VerdictKb();
  DetectionResult det = CleanDetection(*kb);
  det.sources[0].phase = ConsentPhase::kAfterAccept;
  det.touchpoints[0].phases_active = {ConsentPhase::kAfterAccept};
  AuditResult r = Audit(CleanRegister(), kb, det);
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kSafeguarded);
  std::vector<VerdictReason> consent = On(tp->verdict, "consent");
  ASSERT_EQ(consent.size(), 2u);  // the evidence and the register
  EXPECT_EQ(consent[0].message.id, "ui.vr_consent_waited");
  EXPECT_EQ(consent[1].message.id, "ui.vr_consent_recorded");
}

TEST(Verdict, BlindSpotWithConsentProductSeenAfterRejectGetsEveryEvidenceCheck) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.touchpoints.clear();
  DetectionResult det;
  det.sources = {{"after-reject/capture.har", "har", 0, ConsentPhase::kAfterReject}};
  DetectedTouchpoint d = WithRequest(Detected(*kb, "meta-pixel", 3, {"https://voorbeeld.nl/"}),
                                     "https://www.facebook.com/tr?id=1");
  d.signals.push_back(Signal("advanced-matching", "ud[em]", "user.contact.email"));
  d.phases_active = {ConsentPhase::kAfterReject};
  det.touchpoints.push_back(d);
  AuditResult r = Audit(reg, kb, det);
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  ASSERT_TRUE(tp->blind_spot());
  const Judgement& v = tp->verdict;
  EXPECT_EQ(v.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(v, "registration", "BS001-blind-spot"));
  EXPECT_TRUE(HasRule(v, "consent", "BS022-tracking-without-consent"));
  EXPECT_TRUE(Has(v, "transfer", CheckState::kGap));  // US vendor, nothing recorded
  EXPECT_TRUE(Has(v, "personal_data_sent", CheckState::kGap));
  // Meta is a joint controller per the kb: no arrangement can be known.
  EXPECT_TRUE(Has(v, "role", CheckState::kUnknown));
  EXPECT_TRUE(On(v, "lawful_basis").empty());  // nothing registered to read a basis from
  EXPECT_TRUE(On(v, "answers").empty());
  // Reasons follow the verdict_check vocabulary.
  EXPECT_EQ(v.reasons.front().check, "registration");
}

TEST(Verdict, BlindSpotOfAProcessorHasRoleUnknownAndAnEeaVendorNoTransferGap) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  det.sources[0].phase = ConsentPhase::kAfterAccept;
  DetectedTouchpoint d =
      WithRequest(Detected(*kb, "hotjar", 2, {"https://voorbeeld.nl/"}), "https://script.hotjar.com/x.js");
  d.phases_active = {ConsentPhase::kAfterAccept};
  det.touchpoints.push_back(d);
  AuditResult r = Audit(reg, kb, det);
  const ReconciledTouchpoint* tp = Row(r, "hotjar");
  ASSERT_TRUE(tp->blind_spot());
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);  // not registered
  EXPECT_TRUE(Has(tp->verdict, "role", CheckState::kUnknown));
  EXPECT_EQ(On(tp->verdict, "role")[0].message.id, "ui.vr_role_unknown");
  EXPECT_TRUE(Has(tp->verdict, "transfer", CheckState::kNotApplicable));  // MT: EEA
  EXPECT_TRUE(Has(tp->verdict, "consent", CheckState::kOk));              // only after accept
  EXPECT_TRUE(Has(tp->verdict, "personal_data_sent", CheckState::kOk));
}

TEST(Verdict, BlindSpotWithoutPhasesLeavesConsentUnknown) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  det.touchpoints.push_back(
      WithRequest(Detected(*kb, "hotjar", 2, {"https://voorbeeld.nl/"}), "https://script.hotjar.com/x.js"));
  AuditResult r = Audit(reg, kb, det);
  const ReconciledTouchpoint* tp = Row(r, "hotjar");
  EXPECT_TRUE(Has(tp->verdict, "consent", CheckState::kUnknown));
  EXPECT_TRUE(Of(r, "BS022-tracking-without-consent").empty());
}

TEST(Verdict, WaMeLinkIsNotJudgedAsTracking) {
  // A click-to-chat link on a page runs nothing: no consent, transfer or
  // personal-data gap, only the missing register entry.
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint d = Detected(*kb, "whatsapp-click-to-chat", 1, {"https://voorbeeld.nl/contact"});
  EvidenceItem link;
  link.kind = EvidenceKind::kLink;
  link.url = "https://wa.me/31612345678";
  d.evidence.push_back(link);
  det.touchpoints.push_back(d);
  AuditResult r = Audit(reg, kb, det);
  const ReconciledTouchpoint* tp = Row(r, "whatsapp-click-to-chat");
  ASSERT_NE(tp, nullptr);
  EXPECT_TRUE(d.phases_active.empty());
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  for (const VerdictReason& reason : tp->verdict.reasons)
    if (reason.state == CheckState::kGap) {
      EXPECT_EQ(reason.check, "registration");
    }
  EXPECT_TRUE(Has(tp->verdict, "transfer", CheckState::kNotApplicable));
  EXPECT_EQ(On(tp->verdict, "transfer")[0].message.id, "ui.vr_link_only");
  EXPECT_TRUE(Has(tp->verdict, "personal_data_sent", CheckState::kNotApplicable));
  EXPECT_TRUE(Has(tp->verdict, "role", CheckState::kNotApplicable));  // independent controller
  EXPECT_TRUE(Has(tp->verdict, "consent", CheckState::kNotApplicable));
}

TEST(Verdict, TouchpointGapsPropagateToTheActivitiesItServes) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  reg.touchpoints[0].answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  ProcessingActivity other;
  other.id = "other";
  other.name = "Other";
  reg.activities.push_back(other);
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  ASSERT_EQ(r.activities.size(), 2u);
  const Judgement& v = r.activities[0].verdict;
  EXPECT_EQ(v.verdict, Verdict::kGaps);
  EXPECT_TRUE(HasRule(v, "touchpoints", "BS006-consent-required"));
  EXPECT_EQ(On(v, "touchpoints")[0].message.id, "ui.vr_touchpoint");
  // The second activity is not served by the touchpoint: no touchpoint reason.
  EXPECT_TRUE(r.activities[1].touchpoints.empty());
  EXPECT_TRUE(On(r.activities[1].verdict, "touchpoints").empty());
}

TEST(Verdict, BareRegisterEntryIsNotAssessed) {
  auto kb = VerdictKb();
  Register reg = CleanRegister();
  Touchpoint bare;
  bare.id = "phone";
  bare.name = "Phone line";
  reg.touchpoints.push_back(bare);
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  const ReconciledTouchpoint* tp = nullptr;
  for (const ReconciledTouchpoint& row : r.touchpoints)
    if (row.registered && row.registered->id == "phone") tp = &row;
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->verdict.verdict, Verdict::kNotAssessed);
  EXPECT_TRUE(Has(tp->verdict, "lawful_basis", CheckState::kUnknown));
  EXPECT_TRUE(HasRule(tp->verdict, "answers", "BS013-touchpoint-question-unanswered"));
  // A low finding leaves the check open, it is no gap, and no "all answered" beside it.
  EXPECT_FALSE(Has(tp->verdict, "answers", CheckState::kOk));
  EXPECT_FALSE(Has(tp->verdict, "answers", CheckState::kGap));
  EXPECT_TRUE(On(tp->verdict, "consent").empty());  // no product: nothing to say
}

TEST(Verdict, RegisteredButNotSeenIsNotAGap) {
  // BS002 (info) is noted as not applicable; the register's checks still decide.
  auto kb = VerdictKb();
  DetectionResult det;
  det.sources = {{"site.har", "har"}};
  AuditResult r = Audit(CleanRegister(), kb, det);
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  ASSERT_TRUE(tp->not_seen());
  EXPECT_EQ(tp->verdict.verdict, Verdict::kSafeguarded);
  EXPECT_TRUE(HasRule(tp->verdict, "record", "BS002-not-seen"));
  EXPECT_TRUE(Has(tp->verdict, "record", CheckState::kNotApplicable));
  EXPECT_TRUE(On(tp->verdict, "personal_data_sent").empty());  // no evidence to judge
}

TEST(Verdict, ARuleWithoutACheckCountsUnderOther) {
  auto kb = VerdictKb();
  AuditResult r = Audit(CleanRegister(), kb, CleanDetection(*kb));
  Finding f;
  f.rule_id = "BS999-new-rule";  // not in the catalogue: no `check`
  f.severity = Severity::kHigh;
  f.subject_kind = SubjectKind::kTouchpoint;
  f.subject_id = "tp-meta";
  r.findings.push_back(f);
  ComputeVerdicts(r);
  const ReconciledTouchpoint* tp = Row(r, "meta-pixel");
  EXPECT_EQ(tp->verdict.verdict, Verdict::kGaps);
  ASSERT_TRUE(HasRule(tp->verdict, "other", "BS999-new-rule"));
  EXPECT_EQ(On(tp->verdict, "other")[0].findings, std::vector<size_t>{0});
  EXPECT_EQ(tp->verdict.reasons.back().check, "other");
  // and the activity the touchpoint serves has a gap through it
  EXPECT_TRUE(HasRule(r.activities[0].verdict, "touchpoints", "BS999-new-rule"));
}

TEST(Verdict, EveryRuleNamesAKnownCheck) {
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const RuleMeta& m : cat.rules()) {
    EXPECT_FALSE(m.check.empty()) << m.id;
    EXPECT_TRUE(cat.InVocabulary("verdict_check", m.check)) << m.id << ": " << m.check;
  }
  for (Verdict v : {Verdict::kSafeguarded, Verdict::kGaps, Verdict::kNotAssessed})
    EXPECT_TRUE(cat.InVocabulary("verdict", ToString(v)));
  for (CheckState s : {CheckState::kOk, CheckState::kGap, CheckState::kUnknown, CheckState::kNotApplicable})
    EXPECT_TRUE(cat.InVocabulary("check_state", ToString(s)));
}

TEST(Verdict, EveryReasonRendersInEveryLanguage) {
  auto kb = VerdictKb();
  DetectionResult det = CleanDetection(*kb);
  det.touchpoints.push_back(
      WithRequest(Detected(*kb, "hotjar", 2, {"https://voorbeeld.nl/"}), "https://script.hotjar.com/x.js"));
  Register reg = CleanRegister();
  reg.activities[0].dpia.status = DpiaStatus::kRequired;
  AuditResult r = Audit(reg, kb, det);
  const TextCatalog& cat = TextCatalog::Builtin();
  std::vector<const Judgement*> all;
  for (const ReconciledTouchpoint& tp : r.touchpoints) all.push_back(&tp.verdict);
  for (const ActivityVerdict& a : r.activities) all.push_back(&a.verdict);
  for (const Judgement* j : all)
    for (const VerdictReason& reason : j->reasons)
      for (const char* lang : {"en", "nl", "de"}) {
        std::string text = cat.Render(reason.message, lang);
        EXPECT_FALSE(text.empty());
        EXPECT_EQ(text.find("ui.vr_"), std::string::npos) << lang << ": " << text;
        EXPECT_EQ(text.find('{'), std::string::npos) << lang << ": " << text;
      }
}

}  // namespace
}  // namespace blindspot

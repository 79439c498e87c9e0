// Reconciliation, ordering and the rule catalogue.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

TEST(Reconcile, CleanRegisterMatchesDetectionWithoutFindings) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  AuditResult r = RunAudit(reg, kb, CleanDetection(kb));
  ASSERT_EQ(r.touchpoints.size(), 1u);
  const ReconciledTouchpoint& row = r.touchpoints[0];
  EXPECT_EQ(row.kb_id, "meta-pixel");
  ASSERT_NE(row.kb, nullptr);
  EXPECT_EQ(row.kb->name, "Meta Pixel");
  ASSERT_NE(row.detected, nullptr);
  EXPECT_EQ(row.detected, &r.detection.touchpoints[0]);
  EXPECT_EQ(row.registered, &reg.touchpoints[0]);
  EXPECT_FALSE(row.blind_spot());
  EXPECT_FALSE(row.not_seen());
  for (const Finding& f : r.findings)
    ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << f.detail.en;
  EXPECT_EQ(r.reg, &reg);
  EXPECT_EQ(r.kb, &kb);
}

TEST(Reconcile, BlindSpotNotSeenAndOrder) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint chat;
  chat.id = "tp-plausible";
  chat.name = "Statistics";
  chat.product = "plausible";
  reg.touchpoints.insert(reg.touchpoints.begin(), chat);  // registered first, not seen
  Touchpoint unknown;
  unknown.id = "tp-acme";
  unknown.product = "acme-chat";
  reg.touchpoints.push_back(unknown);
  DetectionResult det = CleanDetection(kb);
  det.touchpoints.push_back(Detected(kb, "hotjar", 3, {"https://voorbeeld.nl/"}));
  SortDetections(det);

  AuditResult r = RunAudit(reg, kb, std::move(det));
  ASSERT_EQ(r.touchpoints.size(), 4u);
  // Detected first by kb id, then registered-not-seen in register order.
  EXPECT_EQ(r.touchpoints[0].kb_id, "hotjar");
  EXPECT_TRUE(r.touchpoints[0].blind_spot());
  EXPECT_EQ(r.touchpoints[1].kb_id, "meta-pixel");
  EXPECT_EQ(r.touchpoints[1].registered->id, "tp-meta");
  EXPECT_EQ(r.touchpoints[2].registered->id, "tp-plausible");
  EXPECT_TRUE(r.touchpoints[2].not_seen());
  ASSERT_NE(r.touchpoints[2].kb, nullptr);
  EXPECT_EQ(r.touchpoints[3].registered->id, "tp-acme");
  EXPECT_EQ(r.touchpoints[3].kb, nullptr);
  EXPECT_EQ(r.touchpoints[3].kb_id, "acme-chat");
  EXPECT_TRUE(r.touchpoints[3].not_seen());

  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(blind[0].subject_id, "hotjar");
  EXPECT_EQ(blind[0].subject_name, "Hotjar");
  EXPECT_EQ(blind[0].severity, Severity::kHigh);
  EXPECT_EQ(blind[0].detail.en,
            "Hotjar (hotjar) was seen on 1 page (3 pieces of evidence) but is not in the register");
  EXPECT_EQ(blind[0].detail.nl,
            "Hotjar (hotjar) is gezien op 1 pagina (3 bewijsstukken), maar staat niet in het "
            "verwerkingsregister");

  auto not_seen = Of(r, "BS002-not-seen");
  ASSERT_EQ(not_seen.size(), 1u);  // the unknown product is reported by BS016 instead
  EXPECT_EQ(not_seen[0].subject_id, "tp-plausible");
  EXPECT_EQ(not_seen[0].severity, Severity::kInfo);
  EXPECT_EQ(
      not_seen[0].detail.en,
      "Touchpoint 'Statistics' (product plausible) is registered but was not seen in 1 HAR file(s) with 100 "
      "request(s)");

  auto unknown_f = Of(r, "BS016-unknown-product");
  ASSERT_EQ(unknown_f.size(), 1u);
  EXPECT_EQ(unknown_f[0].subject_id, "tp-acme");
  EXPECT_EQ(unknown_f[0].severity, Severity::kLow);
}

TEST(Reconcile, ImpliedTouchpointMatchedByProduct) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint ca = reg.touchpoints[0];
  ca.id = "tp-audiences";
  ca.name = "Custom audiences";
  ca.product = "meta-custom-audiences";
  reg.touchpoints.push_back(ca);
  DetectionResult det = CleanDetection(kb);
  DetectedTouchpoint implied = Detected(kb, "meta-custom-audiences", 0, {});
  implied.implied_by = "meta-pixel";
  det.touchpoints.push_back(implied);
  SortDetections(det);

  AuditResult r = RunAudit(reg, kb, std::move(det));
  ASSERT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].kb_id, "meta-custom-audiences");
  ASSERT_NE(r.touchpoints[0].registered, nullptr);
  EXPECT_EQ(r.touchpoints[0].registered->id, "tp-audiences");
  EXPECT_EQ(r.touchpoints[0].detected->implied_by, "meta-pixel");
  EXPECT_TRUE(Of(r, "BS001-blind-spot").empty());
  EXPECT_TRUE(Of(r, "BS002-not-seen").empty());
}

TEST(Reconcile, ImpliedTouchpointNotRegisteredIsBlindSpot) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(kb);
  DetectedTouchpoint implied = Detected(kb, "meta-custom-audiences", 0, {});
  implied.implied_by = "meta-pixel";
  det.touchpoints.push_back(implied);
  SortDetections(det);
  AuditResult r = RunAudit(reg, kb, std::move(det));
  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0].subject_id, "meta-custom-audiences");
  EXPECT_EQ(
      blind[0].detail.en,
      "Meta Custom Audiences (meta-custom-audiences) is shown to be in use by a data signal of meta-pixel, "
      "but is not in the register; the vendor processes data in US (outside the EEA), so record the transfer "
      "too");
  EXPECT_NE(blind[0].detail.nl.find("blijkt in gebruik door een datasignaal van meta-pixel"),
            std::string::npos);
}

TEST(Reconcile, TwoRegisteredTouchpointsForOneProductAreBothSeen) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint second = reg.touchpoints[0];
  second.id = "tp-meta-shop";
  reg.touchpoints.push_back(second);
  AuditResult r = RunAudit(reg, kb, CleanDetection(kb));
  ASSERT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].registered->id, "tp-meta");
  EXPECT_EQ(r.touchpoints[1].registered->id, "tp-meta-shop");
  EXPECT_EQ(r.touchpoints[0].detected, r.touchpoints[1].detected);
  EXPECT_TRUE(Of(r, "BS002-not-seen").empty());
}

TEST(Reconcile, BlindSpotDetailListsDataSignals) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  reg.touchpoints.clear();
  AuditResult r = RunAudit(reg, kb, CleanDetection(kb));
  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0].detail.en,
            "Meta Pixel (meta-pixel) was seen on 2 pages (12 pieces of evidence) but is not in the register; "
            "data signals seen: user.contact.email (ud[em]); the vendor processes data in US (outside the EEA), "
            "so record the transfer too");
}

TEST(Audit, FindingsSortedBySeverityThenRuleThenSubject) {
  Kb kb = TestKb();
  Register reg = CleanRegister();
  reg.activities[0].purposes[0].lawful_basis.reset();  // BS004 high
  reg.activities[0].retention.clear();                 // BS011 medium
  reg.touchpoints[0].answers.in_use.reset();           // BS013 low
  DetectionResult det = CleanDetection(kb);
  det.touchpoints.push_back(Detected(kb, "hotjar", 1, {"p"}));  // BS001 high
  SortDetections(det);
  AuditResult r = RunAudit(reg, kb, std::move(det));
  ASSERT_GE(r.findings.size(), 4u);
  for (size_t i = 1; i < r.findings.size(); ++i) {
    const Finding& a = r.findings[i - 1];
    const Finding& b = r.findings[i];
    EXPECT_TRUE(a.severity > b.severity || (a.severity == b.severity && a.rule_id <= b.rule_id))
        << a.rule_id << " before " << b.rule_id;
  }
  EXPECT_EQ(r.findings.front().rule_id, "BS001-blind-spot");
  EXPECT_EQ(r.findings.back().rule_id, "BS013-touchpoint-question-unanswered");
  EXPECT_EQ(r.findings.size(), 4u);
  EXPECT_EQ(r.CountAtLeast(Severity::kHigh), 2u);  // BS001 hotjar, BS004 (hotjar processes in MT: EEA)
  EXPECT_EQ(r.CountAtLeast(Severity::kMedium), 3u);
  EXPECT_EQ(r.CountAtLeast(Severity::kInfo), r.findings.size());
}

TEST(Catalogue, RulesAreCompleteAndUnique) {
  const auto& rules = AllRules();
  ASSERT_GE(rules.size(), 14u);
  std::set<std::string> ids;
  for (const Rule& r : rules) {
    const RuleInfo& i = r.info;
    EXPECT_TRUE(ids.insert(i.id).second) << "duplicate " << i.id;
    EXPECT_EQ(i.id.rfind("BS", 0), 0u) << i.id;
    EXPECT_FALSE(i.title.en.empty()) << i.id;
    EXPECT_FALSE(i.title.nl.empty()) << i.id;
    EXPECT_NE(i.title.en, i.title.nl) << i.id;
    EXPECT_FALSE(i.remediation.en.empty()) << i.id;
    EXPECT_FALSE(i.remediation.nl.empty()) << i.id;
    EXPECT_NE(i.remediation.en, i.remediation.nl) << i.id;
    ASSERT_GE(i.legal_sources.size(), 1u) << i.id;
    for (const Source& s : i.legal_sources) {
      EXPECT_FALSE(s.title.empty()) << i.id;
      EXPECT_EQ(s.url.rfind("https://", 0), 0u) << i.id << " " << s.url;
    }
    EXPECT_TRUE(r.check) << i.id;
    EXPECT_EQ(FindRule(i.id), &i);
  }
  EXPECT_TRUE(std::is_sorted(rules.begin(), rules.end(),
                             [](const Rule& a, const Rule& b) { return a.info.id < b.info.id; }));
  EXPECT_EQ(FindRule("BS999-nope"), nullptr);
  ASSERT_NE(FindRule("BS001-blind-spot"), nullptr);
  EXPECT_EQ(FindRule("BS001-blind-spot")->severity, Severity::kHigh);
}

std::string ReadDoc() {
  std::ifstream in(BLINDSPOT_SOURCE_DIR "/docs/rules.md", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Catalogue, DocsListEveryRuleAndMatchGenerator) {
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(BLINDSPOT_SOURCE_DIR "/docs/rules.md", std::ios::binary) << RulesMarkdown();
  }
  std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "docs/rules.md missing";
  for (const Rule& r : AllRules()) {
    EXPECT_NE(doc.find("| `" + r.info.id + "` |"), std::string::npos) << r.info.id;
    EXPECT_NE(doc.find("## " + r.info.id + "\n"), std::string::npos) << r.info.id;
  }
  // Compared without printing both texts (they are long); run with UPDATE_GOLDEN=1 to regenerate.
  std::string md = RulesMarkdown();
  size_t diff = 0;
  while (diff < doc.size() && diff < md.size() && doc[diff] == md[diff]) ++diff;
  EXPECT_TRUE(doc == md) << "docs/rules.md differs from RulesMarkdown() at byte " << diff << ": '"
                         << doc.substr(diff, 60) << "' vs '" << md.substr(diff, 60)
                         << "'; regenerate with `blindspot rules --format md > docs/rules.md`";
}

TEST(Catalogue, MarkdownShape) {
  std::string md = RulesMarkdown();
  EXPECT_EQ(md.rfind("# Audit rules\n", 0), 0u);
  EXPECT_NE(md.find("| `BS006-consent-required` | high | Touchpoint requires consent"), std::string::npos);
  EXPECT_NE(
      md.find("[Telecommunicatiewet, art. 11.7a (cookiebepaling)](https://wetten.overheid.nl/BWBR0009950/)"),
      std::string::npos);
  EXPECT_EQ(md.back(), '\n');
}

TEST(Severity, StringsRoundTrip) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh}) {
    auto parsed = ParseSeverity(ToString(s));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(ToString(Severity::kHigh), "high");
  EXPECT_FALSE(ParseSeverity("critical").has_value());
  EXPECT_FALSE(ParseSeverity("").has_value());
  EXPECT_EQ(ToString(SubjectKind::kDetected), "detected");
  EXPECT_EQ(ToString(SubjectKind::kProcessor), "processor");
}

}  // namespace
}  // namespace blindspot

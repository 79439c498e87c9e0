// The rules that judge consent from what a live scan recorded (scan.json per
// phase, carried on DetectionResult::sources): BS030 no reject on the first
// layer, BS031 reject harder than accept, BS032 tracker declared strictly
// necessary, BS033 cookie before consent not declared, and BS035 the register
// says consent while the touchpoint ran before consent or after reject (which
// replaces BS022 for that touchpoint). Positive and negative cases each.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"

namespace blindspot {
namespace {

using namespace testing_audit;

std::shared_ptr<const Kb> BannerKb() {
  std::vector<KbEntry> entries = TestKbEntries();
  for (KbEntry& e : entries) {
    if (e.id == "meta-pixel") {
      e.signatures.cookies = {"fr"};
      e.signatures.first_party_cookies = {"_fbp", "_fbc"};
    }
    if (e.id == "plausible") e.signatures.first_party_cookies = {"plausible_ignore"};
  }
  KbEntry ga = Entry("google-analytics", "Google Analytics", "analytics", VendorRole::kProcessor, true, "US");
  ga.signatures.first_party_cookies = {"_ga", "_ga_*", "_gid"};
  entries.push_back(ga);
  KbEntry ot = Entry("onetrust", "OneTrust", "consent-management", VendorRole::kProcessor, false, "US");
  ot.signatures.first_party_cookies = {"OptanonConsent"};
  entries.push_back(ot);
  return std::make_shared<const Kb>(Kb::FromEntries(std::move(entries)));
}

ScanConsent Banner(std::string action, std::string result, std::vector<ConsentButton> buttons) {
  ScanConsent c;
  c.recorded = true;
  c.banner_found = true;
  c.consent_manager = "Onetrust";
  c.action = std::move(action);
  c.result = std::move(result);
  c.first_layer_buttons = std::move(buttons);
  c.has_buttons = true;
  return c;
}

const std::vector<ConsentButton> kGoodLayer = {
    {"Alles weigeren", "reject"}, {"Alles accepteren", "accept"}, {"Instellingen", "settings"}};
const std::vector<ConsentButton> kNoReject = {{"Alles accepteren", "accept"}, {"Instellingen", "settings"}};

ScanCookie Jar(std::string name, int64_t days) {
  ScanCookie c;
  c.name = std::move(name);
  c.domain = ".voorbeeld.nl";
  c.set_by = "script";
  c.first_page = 1;
  c.lifetime_days = days;
  return c;
}

DeclaredCategory Category(std::string id, std::string name, std::string status,
                          std::vector<std::string> cookies) {
  DeclaredCategory c{std::move(id), std::move(name), std::move(status), {}};
  for (auto& n : cookies) c.cookies.push_back({n, "voorbeeld.nl", "365 dagen"});
  return c;
}

class BannerRuleTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Kb> kb = BannerKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  std::map<ConsentPhase, ScanObservations> scans;

  BannerRuleTest() {
    // A compliant banner: reject next to accept, one click each, nothing undeclared.
    for (ConsentPhase p : AllConsentPhases()) {
      ScanObservations& o = scans[p];
      o.phase = p;
      o.file = std::string(ToString(p)) + "/scan.json";
      o.consent = p == ConsentPhase::kBeforeConsent ? Banner("none", "not-attempted", kGoodLayer)
                  : p == ConsentPhase::kAfterReject ? Banner("reject", "clicked", kGoodLayer)
                                                    : Banner("accept", "clicked", kGoodLayer);
      if (p != ConsentPhase::kBeforeConsent) {
        o.consent.clicks = 1;
        o.consent.shown_again = false;
      }
      o.has_cmp_declaration = true;
      o.cmp_categories = {
          Category("C0001", "Strikt noodzakelijke cookies", "always active", {"OptanonConsent"}),
          Category("C0002", "Prestatiecookies", "inactive", {"_ga", "_ga_*"}),
          Category("C0004", "Advertentiecookies", "inactive", {"_fbp"})};
      o.cookies = {Jar("OptanonConsent", 365)};
    }
    scans[ConsentPhase::kAfterAccept].cookies.push_back(Jar("_ga", 395));
  }

  AuditResult Run() {
    det.sources.clear();
    for (auto& [p, o] : scans)
      det.sources.push_back({std::string(ToString(p)) + "/capture.har", "har", 0, p,
                             std::make_shared<const ScanObservations>(o)});
    return Audit(reg, kb, det);
  }
  ScanObservations& before() { return scans[ConsentPhase::kBeforeConsent]; }
  ScanObservations& reject() { return scans[ConsentPhase::kAfterReject]; }
  ScanObservations& accept() { return scans[ConsentPhase::kAfterAccept]; }
};

TEST_F(BannerRuleTest, CompliantBannerHasNoFinding) {
  AuditResult r = Run();
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << En(f);
}

// --- BS030 no reject on the first layer ---------------------------------------

TEST_F(BannerRuleTest, NoRejectOnFirstLayerIsBS030Once) {
  for (auto& [p, o] : scans) o.consent.first_layer_buttons = kNoReject;
  AuditResult r = Run();
  auto f = Of(r, "BS030-no-reject-first-layer");
  ASSERT_EQ(f.size(), 1u);  // once per scan, not once per phase
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(f[0].subject_id, "onetrust");  // the kb entry of the consent manager
  EXPECT_EQ(f[0].subject_name, "OneTrust");
  EXPECT_EQ(f[0].path, "");
  EXPECT_EQ(En(f[0]),
            "The first layer of the OneTrust banner offers Alles accepteren, Instellingen, but no button to "
            "refuse (before-consent/scan.json)");
  EXPECT_EQ(
      Nl(f[0]),
      "De eerste laag van de banner van OneTrust biedt Alles accepteren, Instellingen, maar geen knop om "
      "te weigeren (before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
}

TEST_F(BannerRuleTest, SettingsOnlyIsNoRejectButNoBannerOrNoButtonsIsNotJudged) {
  for (auto& [p, o] : scans) {
    o.consent.consent_manager.clear();
    o.consent.first_layer_buttons = {{"Akkoord", "accept"}};
  }
  auto f = Of(Run(), "BS030-no-reject-first-layer");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(En(f[0]),
            "The first layer of the consent banner offers Akkoord, but no button to refuse "
            "(before-consent/scan.json)");

  for (auto& [p, o] : scans) o.consent.banner_found = false;
  EXPECT_TRUE(Of(Run(), "BS030-no-reject-first-layer").empty());
  for (auto& [p, o] : scans) {
    o.consent.banner_found = true;
    o.consent.first_layer_buttons.clear();
    o.consent.has_buttons = false;  // an older scan: buttons not recorded
  }
  EXPECT_TRUE(Of(Run(), "BS030-no-reject-first-layer").empty());
  // Only "other" buttons (no accept either): not this rule's case.
  for (auto& [p, o] : scans) {
    o.consent.first_layer_buttons = {{"OK", "other"}};
    o.consent.has_buttons = true;
  }
  EXPECT_TRUE(Of(Run(), "BS030-no-reject-first-layer").empty());
}

// --- BS031 reject harder than accept ------------------------------------------

TEST_F(BannerRuleTest, MoreClicksToRejectIsBS031) {
  reject().consent.clicks = 3;
  AuditResult r = Run();
  auto f = Of(r, "BS031-reject-harder-than-accept");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_id, "onetrust");
  EXPECT_EQ(En(f[0]),
            "Refusing took 3 clicks, accepting 1 click (after-reject/scan.json, after-accept/scan.json)");
  EXPECT_EQ(Nl(f[0]),
            "Weigeren kostte 3 klikken, accepteren 1 klik (after-reject/scan.json, after-accept/scan.json)");
}

TEST_F(BannerRuleTest, FailedRejectAndBannerBackAreBS031) {
  reject().consent.result = "failed";
  reject().consent.shown_again = true;
  auto f = Of(Run(), "BS031-reject-harder-than-accept");
  ASSERT_EQ(f.size(), 2u);
  std::vector<std::string> texts = {En(f[0]), En(f[1])};
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      "The click on \"reject\" did not work while the click on \"accept\" did "
                      "(after-reject/scan.json, after-accept/scan.json)"),
            texts.end());
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      "The banner came back after the visitor refused (after-reject/scan.json)"),
            texts.end());
}

TEST_F(BannerRuleTest, EqualClicksOrUnrecordedOrFailedAcceptIsNoBS031) {
  reject().consent.clicks = 1;
  EXPECT_TRUE(Of(Run(), "BS031-reject-harder-than-accept").empty());
  reject().consent.clicks = 3;
  accept().consent.clicks.reset();  // not recorded: not compared
  EXPECT_TRUE(Of(Run(), "BS031-reject-harder-than-accept").empty());
  accept().consent.clicks = 1;
  accept().consent.result = "failed";  // both failed: nothing shows that reject is harder
  reject().consent.result = "failed";
  EXPECT_TRUE(Of(Run(), "BS031-reject-harder-than-accept").empty());
  scans.erase(ConsentPhase::kAfterAccept);  // no accept phase
  reject().consent.result = "clicked";
  EXPECT_TRUE(Of(Run(), "BS031-reject-harder-than-accept").empty());
}

// --- BS032 tracker declared strictly necessary --------------------------------

TEST_F(BannerRuleTest, TrackingCookieDeclaredAlwaysActiveIsBS032) {
  for (auto& [p, o] : scans) {
    o.cmp_categories[0].cookies.push_back({"_ga", "voorbeeld.nl", "2 jaar"});
    o.cmp_categories[0].cookies.push_back({"_ga_*", "voorbeeld.nl", "2 jaar"});  // same product, other cookie
  }
  AuditResult r = Run();
  auto f = Of(r, "BS032-tracker-declared-necessary");
  ASSERT_EQ(f.size(), 2u);  // per cookie name, once per scan (not per phase)
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(f[0].subject_id, "google-analytics");
  EXPECT_EQ(En(f[0]),
            "_ga is a cookie of Google Analytics, which requires consent, but the cookie declaration puts it "
            "under \"Strikt noodzakelijke cookies\" (before-consent/scan.json)");
}

TEST_F(BannerRuleTest, PageTableSayingNecessaryIsBS032) {
  before().page_declarations.push_back({1, {"_fbp", "Meta", "Necessary", "3 months"}});
  before().page_declarations.push_back({1, {"_ga", "Google", "Statistics", "2 years"}});  // right category
  auto f = Of(Run(), "BS032-tracker-declared-necessary");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "meta-pixel");
  EXPECT_NE(En(f[0]).find("under \"Necessary\""), std::string::npos) << En(f[0]);
}

TEST_F(BannerRuleTest, NecessaryCookiesOfNoConsentProductAreNoBS032) {
  for (auto& [p, o] : scans) {
    o.cmp_categories[0].cookies.push_back(
        {"plausible_ignore", "voorbeeld.nl", "sessie"});                             // needs no consent
    o.cmp_categories[0].cookies.push_back({"PHPSESSID", "voorbeeld.nl", "sessie"});  // no kb entry
  }
  EXPECT_TRUE(Of(Run(), "BS032-tracker-declared-necessary").empty());
}

// --- BS033 cookie before consent not declared ----------------------------------

TEST_F(BannerRuleTest, UndeclaredCookieBeforeConsentIsBS033) {
  before().cookies.push_back(Jar("ab_test_id", 30));
  before().cookies.push_back(Jar("_ga_XYZ", 395));     // declared as _ga_*
  accept().cookies.push_back(Jar("late_cookie", 30));  // after accept: not this rule
  auto f = Of(Run(), "BS033-cookie-not-declared");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].subject_id, "ab_test_id");
  EXPECT_EQ(En(f[0]),
            "ab_test_id (.voorbeeld.nl) was set before consent, but the cookie declaration does not name it "
            "(before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(Nl(f[0])));
}

TEST_F(BannerRuleTest, NoDeclarationRecordedIsNoBS033) {
  before().cookies.push_back(Jar("_fbp", 90));
  for (auto& [p, o] : scans) {
    o.cmp_categories.clear();
    o.has_cmp_declaration = false;
  }
  EXPECT_TRUE(Of(Run(), "BS033-cookie-not-declared").empty());
  // A page's table counts as a declaration.
  accept().page_declarations.push_back({2, {"OptanonConsent", "OneTrust", "Noodzakelijk", "1 jaar"}});
  auto f = Of(Run(), "BS033-cookie-not-declared");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "meta-pixel");  // the cookie's kb product
}

// --- BS035 register says consent, evidence says otherwise (and BS022) ----------

TEST_F(BannerRuleTest, ConsentInRegisterButActiveAfterRejectIsBS035NotBS022) {
  det.touchpoints[0].phases_active = {ConsentPhase::kAfterReject, ConsentPhase::kAfterAccept};
  AuditResult r = Run();
  auto f = Of(r, "BS035-consent-claim-contradicted");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_kind, SubjectKind::kTouchpoint);
  EXPECT_EQ(f[0].subject_id, "tp-meta");
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta].answers.lawful_basis");
  EXPECT_EQ(
      En(f[0]),
      "Meta Pixel on the website is registered with consent as its lawful basis, but the own traffic of "
      "Meta Pixel was recorded after reject (after-reject/capture.har)");
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
  EXPECT_TRUE(Of(r, "BS022-tracking-without-consent").empty());  // one finding with both facts
}

TEST_F(BannerRuleTest, ConsentFromActivitiesCountsToo) {
  reg.touchpoints[0].answers.lawful_basis.reset();  // the activity's purpose says consent
  det.touchpoints[0].phases_active = {ConsentPhase::kBeforeConsent};
  auto f = Of(Run(), "BS035-consent-claim-contradicted");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "touchpoints[tp-meta]");
}

TEST_F(BannerRuleTest, OnlyAfterAcceptOrOtherBasisIsNoBS035) {
  det.touchpoints[0].phases_active = {ConsentPhase::kAfterAccept};
  EXPECT_TRUE(Of(Run(), "BS035-consent-claim-contradicted").empty());
  // Another basis: BS022 (and BS006) report it, not BS035.
  reg.touchpoints[0].answers.lawful_basis = LawfulBasis::kLegitimateInterests;
  det.touchpoints[0].phases_active = {ConsentPhase::kBeforeConsent};
  AuditResult r = Run();
  EXPECT_TRUE(Of(r, "BS035-consent-claim-contradicted").empty());
  EXPECT_EQ(Of(r, "BS022-tracking-without-consent").size(), 1u);
}

// --- several bundles -----------------------------------------------------------

TEST_F(BannerRuleTest, TwoScansAreJudgedEachOnTheirOwn) {
  before().consent.first_layer_buttons = kNoReject;
  AuditResult one = Run();
  // The same bad bundle twice (two sites with the same banner): one finding per scan.
  det.sources.clear();
  for (int n = 0; n < 2; ++n)
    for (auto& [p, o] : scans)
      det.sources.push_back({std::string(ToString(p)) + "/capture.har (" + std::to_string(n) + ")", "har", 0,
                             p, std::make_shared<const ScanObservations>(o)});
  AuditResult two = Audit(reg, kb, det);
  EXPECT_EQ(Of(one, "BS030-no-reject-first-layer").size(), 1u);
  EXPECT_EQ(Of(two, "BS030-no-reject-first-layer").size(), 2u);
}

}  // namespace
}  // namespace blindspot

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
      // What the probe read without clicking: a bar at the bottom, every choice off but the
      // necessary one (locked on); no consent in the TCF string before consent or after reject.
      o.consent.banner.recorded = true;
      o.consent.banner.viewport_share = 0.22;
      if (p != ConsentPhase::kAfterAccept) {
        o.consent.second_layer = {
            {"Strikt noodzakelijke cookies", "ot-group-id-C0001", "category", true, true},
            {"Advertentiecookies", "ot-group-id-C0004", "category", false, false}};
        o.consent.has_second_layer = true;
        o.consent.tc_string = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAAAABpYAAAAAgAAAA";
      }
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

// --- BS036 pre-ticked choices ---------------------------------------------------

constexpr const char* kTcLiAfterReject =
    "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAEJAABpYAAALzgBQABAAMBeYAA";  // LI 2, 7, 10
constexpr const char* kTcLiMeasureOnly =
    "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAHAABpYAAAADgAwABAAMAA";  // LI 8, 9, 10
constexpr const char* kTcNothing = "CP1R2oAP1R2oBEsAHBNLB4EAAAAAAAAAABpYAAAAAgAAAA";
constexpr const char* kTcConsent = "CP1R2oAP1R2oBEsAHBNLB4EAALAAAAAAABpYAGgkIAAQAAAA";  // consent 1, 3, 4

std::vector<ConsentToggle> Toggles(bool marketing_on) {
  return {{"Strikt noodzakelijke cookies", "ot-group-id-C0001", "category", true, true},
          {"Functionele cookies", "ot-group-id-C0003", "category", true, false},
          {"Prestatiecookies", "ot-group-id-C0002", "category", false, false},
          {"Advertentiecookies", "ot-group-id-C0004", "category", marketing_on, false},
          {"Google Advertising Products", "ot-vendor-755", "vendor", true, false},
          {"Gerechtvaardigd belang", "ot-leg-switch-2", "legitimate-interest", true, false}};
}

TEST_F(BannerRuleTest, PreTickedMarketingIsBS036) {
  before().consent.second_layer = Toggles(true);
  before().consent.has_second_layer = true;
  before().consent.second_layer.push_back({"", "cky-statistics", "category", true, false});
  AuditResult r = Run();
  auto f = Of(r, "BS036-pre-ticked-choices");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].subject_id, "onetrust");
  // Necessary (locked) and "functioneel" (the Dutch exempt category), vendors and legitimate
  // interest are not reported; a toggle without a label is named by its key.
  EXPECT_EQ(
      En(f[0]),
      "The settings layer of the OneTrust consent banner has Advertentiecookies, cky-statistics switched "
      "on before the visitor chose anything (before-consent/scan.json)");
  EXPECT_EQ(
      Nl(f[0]),
      "De instellingenlaag van de cookiebanner van OneTrust heeft Advertentiecookies, cky-statistics al "
      "aangevinkt voordat de bezoeker iets koos (before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
}

TEST_F(BannerRuleTest, NecessaryOnlyOrOtherPhasesAreNoBS036) {
  before().consent.second_layer = Toggles(false);
  before().consent.has_second_layer = true;
  // After accept everything is on: that phase is not judged.
  accept().consent.second_layer = Toggles(true);
  accept().consent.has_second_layer = true;
  EXPECT_TRUE(Of(Run(), "BS036-pre-ticked-choices").empty());
  // A locked marketing toggle that is on is still pre-ticked.
  before().consent.second_layer[3] = {"Marketing", "m", "category", true, true};
  EXPECT_EQ(Of(Run(), "BS036-pre-ticked-choices").size(), 1u);
  // An older scan: nothing recorded, nothing judged.
  before().consent.second_layer.clear();
  before().consent.has_second_layer = false;
  EXPECT_TRUE(Of(Run(), "BS036-pre-ticked-choices").empty());
}

// --- BS034 legitimate interest after reject -------------------------------------

TEST_F(BannerRuleTest, LegitimateInterestAfterRejectIsBS034) {
  reject().consent.tc_string = kTcLiAfterReject;
  reject().consent.tc_from = "cookie";
  auto f = Of(Run(), "BS034-tcf-legitimate-interest");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(
      En(f[0]),
      "After \"reject all\" the OneTrust consent string (IAB TCF, CMP 300) still has TCF purposes 2, 7 on "
      "under legitimate interest, for 4 vendors (after-reject/scan.json)");
  EXPECT_FALSE(HasPlaceholder(Nl(f[0])));
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
}

TEST_F(BannerRuleTest, MeasurementOnlyNothingOrNoRejectClickIsNoBS034) {
  reject().consent.tc_string = kTcLiMeasureOnly;  // purposes 8-10 only
  EXPECT_TRUE(Of(Run(), "BS034-tcf-legitimate-interest").empty());
  reject().consent.tc_string = kTcNothing;
  EXPECT_TRUE(Of(Run(), "BS034-tcf-legitimate-interest").empty());
  reject().consent.tc_string = "not a tc string";
  EXPECT_TRUE(Of(Run(), "BS034-tcf-legitimate-interest").empty());
  // Before consent and after accept the same string is not this rule's case.
  reject().consent.tc_string.clear();
  before().consent.tc_string = kTcLiAfterReject;
  accept().consent.tc_string = kTcLiAfterReject;
  EXPECT_TRUE(Of(Run(), "BS034-tcf-legitimate-interest").empty());
  // The reject click failed: what the string says is not the visitor's refusal.
  reject().consent.tc_string = kTcLiAfterReject;
  reject().consent.result = "failed";
  EXPECT_TRUE(Of(Run(), "BS034-tcf-legitimate-interest").empty());
}

// --- BS042 browsing as consent --------------------------------------------------

ScanPage Page(uint64_t index, std::vector<std::string> hosts, std::string tc = "") {
  ScanPage p;
  p.index = index;
  p.url = "https://www.voorbeeld.nl/" + (index == 1 ? std::string() : "p" + std::to_string(index));
  p.has_hosts = true;
  p.third_party_hosts = std::move(hosts);
  p.tc_string = std::move(tc);
  return p;
}

class BrowsingTest : public BannerRuleTest {
 protected:
  BrowsingTest() {
    KbEntry ga =
        Entry("google-analytics", "Google Analytics", "analytics", VendorRole::kProcessor, true, "US");
    ga.signatures.first_party_cookies = {"_ga"};
    ga.signatures.requests = {{"google-analytics.com", "", "", {}}};
    KbEntry yt = Entry("youtube-embed", "YouTube", "video-embed", VendorRole::kJointController, true, "US");
    yt.signatures.requests = {{"youtube.com", "", "", {}}};
    KbEntry fonts = Entry("fonts", "Fonts", "web-fonts", VendorRole::kProcessor, false, "US");
    fonts.signatures.requests = {{"fonts.example", "", "", {}}};
    std::vector<KbEntry> entries = TestKbEntries();
    entries.push_back(ga);
    entries.push_back(yt);
    entries.push_back(fonts);
    kb = std::make_shared<const Kb>(Kb::FromEntries(std::move(entries)));
    det = CleanDetection(*kb);
  }
};

TEST_F(BrowsingTest, TrackerFromTheSecondPageOnIsBS042) {
  before().pages = {Page(1, {"fonts.example"}),
                    Page(2, {"www.google-analytics.com", "fonts.example", "www.youtube.com"}),
                    Page(3, {"region1.google-analytics.com"}), Page(4, {"www.google-analytics.com"})};
  auto f = Of(Run(), "BS042-browsing-as-consent");
  ASSERT_EQ(f.size(), 1u);  // not YouTube (one page only), not the fonts (no consent needed, on page 1)
  EXPECT_EQ(f[0].subject_id, "google-analytics");
  EXPECT_EQ(
      En(f[0]),
      "Google Analytics (region1.google-analytics.com, www.google-analytics.com) was not contacted on the "
      "first page, but on all 3 later pages before any choice on the banner (before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(Nl(f[0])));
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
}

TEST_F(BrowsingTest, TrackerOnFirstPageOrSomePagesOrTooFewPagesIsNoBS042) {
  // Already on the first page: that is a tracker before consent, not browsing.
  before().pages = {Page(1, {"www.google-analytics.com"}), Page(2, {"www.google-analytics.com"}),
                    Page(3, {"www.google-analytics.com"})};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // Missing on one later page.
  before().pages = {Page(1, {}), Page(2, {"www.google-analytics.com"}), Page(3, {}),
                    Page(4, {"www.google-analytics.com"})};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // One later page only.
  before().pages = {Page(1, {}), Page(2, {"www.google-analytics.com"})};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // A failed later page does not count either way; the first page failed: not judged.
  before().pages = {Page(1, {}), Page(2, {"www.google-analytics.com"}), Page(3, {}),
                    Page(4, {"www.google-analytics.com"})};
  before().pages[2].failed = true;
  EXPECT_EQ(Of(Run(), "BS042-browsing-as-consent").size(), 1u);
  before().pages[0].failed = true;
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // An older scan without hosts per page.
  before().pages = {Page(1, {}), Page(2, {"www.google-analytics.com"}),
                    Page(3, {"www.google-analytics.com"})};
  for (ScanPage& p : before().pages) p.has_hosts = false;
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // After reject the same pattern is not this rule's case.
  before().pages.clear();
  reject().pages = {Page(1, {}), Page(2, {"www.google-analytics.com"}),
                    Page(3, {"www.google-analytics.com"})};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
}

TEST_F(BannerRuleTest, ConsentStringWithoutClickIsBS042) {
  before().pages = {Page(1, {}, kTcNothing), Page(2, {}, kTcConsent)};
  auto f = Of(Run(), "BS042-browsing-as-consent");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject_id, "onetrust");
  EXPECT_EQ(
      En(f[0]),
      "Without any click on the banner, the OneTrust consent string records consent for TCF purposes 1, 3, "
      "4 on page 2 (https://www.voorbeeld.nl/p2) (before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(Nl(f[0])));
  // Legitimate interest only, or nothing: no consent recorded.
  before().pages = {Page(1, {}, kTcNothing), Page(2, {}, kTcLiAfterReject)};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
  // After accept consent is expected.
  before().pages.clear();
  accept().pages = {Page(1, {}, kTcConsent)};
  EXPECT_TRUE(Of(Run(), "BS042-browsing-as-consent").empty());
}

// --- BS048 cookie wall ------------------------------------------------------------

BannerBox Box(double share, bool locked, std::vector<std::string> terms = {}) {
  BannerBox b;
  b.recorded = true;
  b.page = 1;
  b.viewport_share = share;
  b.scroll_locked = locked;
  b.paywall_terms = std::move(terms);
  return b;
}

TEST_F(BannerRuleTest, FullScreenBannerWithoutRejectIsBS048) {
  for (auto& [p, o] : scans) o.consent.first_layer_buttons = kNoReject;
  before().consent.banner = Box(0.97, false);
  reject().consent.result = "failed";
  auto f = Of(Run(), "BS048-cookie-wall");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(
      En(f[0]),
      "The OneTrust consent banner covers 97% of the screen and its first layer offers Alles accepteren, "
      "Instellingen, but no way to refuse; the scan's reject step did not get past it "
      "(before-consent/scan.json)");
  EXPECT_FALSE(HasPlaceholder(Nl(f[0])));
  EXPECT_FALSE(HasPlaceholder(De(f[0])));
  // A small banner that locks the page.
  before().consent.banner = Box(0.3, true);
  f = Of(Run(), "BS048-cookie-wall");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("locks the page beneath it"), std::string::npos) << En(f[0]);
}

TEST_F(BannerRuleTest, PayOrAcceptIsBS048) {
  for (auto& [p, o] : scans) o.consent.first_layer_buttons = {{"Akkoord", "accept"}, {"Abonneer", "other"}};
  before().consent.banner = Box(1.0, true, {"abonneer", "€ 3,99"});
  reject().consent.result = "failed";
  auto f = Of(Run(), "BS048-cookie-wall");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(En(f[0]),
            "The OneTrust consent banner blocks the page and offers paying (abonneer, € 3,99) instead of "
            "refusing: Akkoord, Abonneer (before-consent/scan.json)");
  // Reject clicked, but the page is still walled with a price afterwards.
  for (auto& [p, o] : scans) o.consent.first_layer_buttons = kGoodLayer;
  reject().consent.result = "clicked";
  before().consent.banner = Box(1.0, true);
  reject().consent.banner = Box(1.0, true, {"pur-abo"});
  f = Of(Run(), "BS048-cookie-wall");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(En(f[0]).find("(pur-abo)"), std::string::npos) << En(f[0]);
}

TEST_F(BannerRuleTest, BigBannerWithRejectOrRefusedViaSettingsIsNoBS048) {
  // Full screen and locked, but with a reject button that worked: not a wall.
  before().consent.banner = Box(1.0, true);
  EXPECT_TRUE(Of(Run(), "BS048-cookie-wall").empty());
  // No reject on the first layer, but the scan refused through the settings layer.
  for (auto& [p, o] : scans) o.consent.first_layer_buttons = kNoReject;
  EXPECT_TRUE(Of(Run(), "BS048-cookie-wall").empty());
  // No reject, reject failed, but the banner does not block the page (a bar at the bottom).
  reject().consent.result = "failed";
  before().consent.banner = Box(0.25, false);
  EXPECT_TRUE(Of(Run(), "BS048-cookie-wall").empty());
  // Not recorded (an older scan), or no after-reject phase.
  before().consent.banner = BannerBox{};
  EXPECT_TRUE(Of(Run(), "BS048-cookie-wall").empty());
  before().consent.banner = Box(1.0, true);
  scans.erase(ConsentPhase::kAfterReject);
  EXPECT_TRUE(Of(Run(), "BS048-cookie-wall").empty());
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

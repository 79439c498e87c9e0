// Discovery files made by others (../shared/realdata/{dns,dmarc,ad-platforms})
// through the application layer and the built-in kb: which platforms they
// name, with what proof, and what they must not name. The expectations were
// written from the files by hand (issue 11 research, plan §7) before the
// output was looked at.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "blindspot/audit.h"
#include "blindspot_testing/realdata_fixture.h"

namespace blindspot {
namespace {

using testing::BuiltinKb;
using testing::DetectFiles;

std::string Real(const std::string& rel) { return std::string(BLINDSPOT_REALDATA_DIR) + "/" + rel; }

std::set<std::string> Ids(const DetectionResult& d) {
  std::set<std::string> out;
  for (const DetectedTouchpoint& t : d.touchpoints) out.insert(t.kb_id);
  return out;
}

// "seen" (not an inference) or "inferred", as the audit counts it.
std::string State(const DetectionResult& d, const std::string& id) {
  const DetectedTouchpoint* t = d.Find(id);
  if (!t) return "absent";
  return t->inferred() ? "inferred" : "seen";
}

size_t Unattributed(const DetectionResult& d, ObservationKind kind) {
  size_t n = 0;
  for (const DiscoverySource& ds : d.discoveries)
    for (size_t i : ds.unattributed) n += ds.report->observations[i].kind == kind;
  return n;
}

class DiscoveryRealData : public ::testing::Test {
 protected:
  void SetUp() override { BLINDSPOT_REQUIRE_REALDATA(); }
};

TEST_F(DiscoveryRealData, ImaCitizensRightsZoneNamesItsMailPlatforms) {
  DetectionResult d = DetectFiles({Real("dns/octodns_ima-citizensrights.org.uk.yaml")});
  ASSERT_EQ(d.discoveries.size(), 1u);
  EXPECT_EQ(d.discoveries[0].report->subject, "ima-citizensrights.org.uk");
  // MX to Exchange Online: in use. Brevo receives the DMARC reports: in use.
  // SendGrid: link-tracking CNAMEs to sendgrid.net besides its DKIM keys: in use.
  EXPECT_EQ(State(d, "microsoft-365"), "seen");
  EXPECT_EQ(State(d, "brevo"), "seen");
  EXPECT_EQ(State(d, "twilio-sendgrid"), "seen");
  // Authorised to send (SPF include, DKIM key), not seen sending: inferences.
  EXPECT_EQ(State(d, "google-workspace"), "inferred");  // SPF only, no Google MX
  EXPECT_EQ(State(d, "mailchimp"), "inferred");         // k2/k3 -> dkim2/dkim3.mcsv.net
  EXPECT_EQ(State(d, "mailchimp-transactional"), "inferred");
  EXPECT_EQ(d.Find("mailchimp")->confidence, InferenceConfidence::kMedium);
  // Nothing in the zone names these.
  for (const char* id : {"meta-pixel", "hubspot-marketing-email", "amazon-ses", "zendesk-support", "mailgun",
                         "salesforce-marketing-cloud", "klaviyo", "google-analytics"})
    EXPECT_EQ(d.Find(id), nullptr) << id;
  // e-shot (newsletter.) has no kb entry: its MX and DKIM stay unattributed, named by nobody.
  EXPECT_GT(Unattributed(d, ObservationKind::kMx), 0u);

  // Without a register: the platforms in use are blind spots, the others inferences.
  AuditResult r =
      RunAudit(std::make_shared<const Register>(), std::make_shared<const Kb>(BuiltinKb()), std::move(d));
  std::set<std::string> bs001, bs020;
  for (const Finding& f : r.findings) {
    if (f.rule_id.starts_with("BS001")) bs001.insert(f.subject_id);
    if (f.rule_id.starts_with("BS020")) bs020.insert(f.subject_id);
  }
  EXPECT_EQ(bs001, (std::set<std::string>{"brevo", "microsoft-365", "twilio-sendgrid"}));
  EXPECT_EQ(bs020, (std::set<std::string>{"google-workspace", "mailchimp", "mailchimp-transactional"}));
}

TEST_F(DiscoveryRealData, JudiciaryZoneLeavesItsBareTokensUnattributed) {
  DetectionResult d = DetectFiles({Real("dns/octodns_judiciary.uk.yaml")});
  EXPECT_EQ(State(d, "microsoft-365"), "seen");
  EXPECT_NE(d.Find("twilio-sendgrid"), nullptr);  // hr., staging.hr., development.hr.
  // Eleven bare tokens at the apex (and Atlassian's, Miro's, ... which the kb does not name).
  EXPECT_GE(Unattributed(d, ObservationKind::kVerificationToken), 11u);
  for (const char* id : {"meta-pixel", "google-workspace", "amazon-ses", "brevo", "mailchimp"})
    EXPECT_EQ(d.Find(id), nullptr) << id;
}

TEST_F(DiscoveryRealData, JusticeZoneShowsSesMailgunAndWorkspaceInUse) {
  DetectionResult d = DetectFiles({Real("dns/octodns_justice.gov.uk.yaml")});
  // SES: MAIL FROM MX feedback-smtp.eu-west-2.amazonses.com; Mailgun: MX on participant.;
  // Google Workspace: MX on courtstore.; Exchange Online: MX on the apex.
  for (const char* id : {"amazon-ses", "mailgun", "google-workspace", "microsoft-365"})
    EXPECT_EQ(State(d, id), "seen") << id;
  for (const char* id : {"brevo", "mailchimp", "twilio-sendgrid"}) EXPECT_NE(d.Find(id), nullptr) << id;
  for (const char* id : {"meta-pixel", "hubspot-marketing-email", "klaviyo"})
    EXPECT_EQ(d.Find(id), nullptr) << id;
  // The legacy _amazonses tokens are SES's (matched by their label), not unattributed.
  const DetectedTouchpoint* ses = d.Find("amazon-ses");
  ASSERT_NE(ses, nullptr);
  EXPECT_GE(ses->evidence_count, 41u + 7u);
}

TEST_F(DiscoveryRealData, TerraformZoneShowsHubspotSesAndSendgrid) {
  DetectionResult d = DetectFiles({Real("dns/terraform_route53_digitalgov.gov.tf")});
  EXPECT_EQ(State(d, "hubspot-marketing-email"), "inferred");  // SPF include and DKIM: configured
  EXPECT_EQ(State(d, "amazon-ses"), "seen");                   // inbound-smtp MX on support.
  EXPECT_EQ(State(d, "twilio-sendgrid"), "seen");              // mx.sendgrid.net on email.
  // google-site-verification proves a Search Console account, no personal-data touchpoint.
  for (const char* id : {"google-workspace", "google-analytics", "meta-pixel"})
    EXPECT_EQ(d.Find(id), nullptr) << id;
}

TEST_F(DiscoveryRealData, DmarcReportsNameNoPlatformOfTheirOwn) {
  // Every realdata report is signed with its own domain (or not at all), and no
  // zone of the run delegates a selector: the reporters (Google, Yahoo,
  // Microsoft) are not the audited organisation's touchpoints.
  for (const char* f :
       {"dmarcviewer_aol.xml", "dmarcviewer_gmx.net.xml", "dmarcviewer_google.xml", "dmarcviewer_mail.ru.xml",
        "dmarcviewer_outlook.xml", "dmarcviewer_web.de.xml", "dmarcviewer_yahoo.xml",
        "parsedmarc_estadocuenta1.infonacot.gob.mx_example.com_2940.xml.zip",
        "parsedmarc_fastmail.com_example.com_102675056.xml.gz",
        "parsedmarc_google.com_borschow.com_949348866075514174.eml",
        "parsedmarc_ikea.com_example.de_1538690400_1538776800.xml",
        "parsedmarc_large-example.com_1711897200.xml", "parsedmarc_mimecast-weird-gzip.eml",
        "parsedmarc_protection.outlook.com_example.com_1711756800.xml", "parsedmarc_twilight.eml"}) {
    SCOPED_TRACE(f);
    DetectionResult d = DetectFiles({Real(std::string("dmarc/") + f)});
    ASSERT_EQ(d.discoveries.size(), 1u);
    EXPECT_TRUE(d.touchpoints.empty()) << d.touchpoints.front().kb_id;
    EXPECT_EQ(d.discoveries[0].matched, 0u);
    EXPECT_EQ(d.discoveries[0].unattributed.size(), d.discoveries[0].report->observations.size());
  }
}

TEST_F(DiscoveryRealData, ExampleShopZoneAndDmarcReportTurnConfiguredIntoSendingNow) {
  // The demo's synthetic pair: SendGrid and Mailchimp are only configured in the
  // zone; the DMARC report's rows signed with selectors s1 and k2 make both
  // "sending now" for 2026-12-01.
  const std::string dir = std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/discovery/";
  DetectionResult zone = DetectFiles({dir + "fietshuis-zonnepad.nl.zone"});
  EXPECT_EQ(State(zone, "mailchimp"), "inferred");
  EXPECT_EQ(State(zone, "twilio-sendgrid"), "seen");  // url4821/em4821 CNAMEs: link tracking in use
  DetectionResult both =
      DetectFiles({dir + "fietshuis-zonnepad.nl.zone", dir + "dmarc-google.com-2026-12-01.xml"});
  for (const char* id : {"mailchimp", "twilio-sendgrid"}) {
    SCOPED_TRACE(id);
    const DetectedTouchpoint* t = both.Find(id);
    ASSERT_NE(t, nullptr);
    ASSERT_TRUE(t->discovered.has_value());
    EXPECT_EQ(*t->discovered, Proof::kSendingNow);
    EXPECT_FALSE(t->inferred());
    EXPECT_EQ(t->records_last_date, "2026-12-01");
  }
  // The third row (3 messages, no DKIM, SPF softfail from an unknown server) names nobody.
  ASSERT_EQ(both.discoveries.size(), 2u);
  EXPECT_EQ(both.discoveries[1].unattributed.size(), 1u);
  EXPECT_EQ(both.Find("meta-pixel") != nullptr, true);  // facebook-domain-verification: account exists
  EXPECT_EQ(State(both, "meta-pixel"), "inferred");
}

TEST_F(DiscoveryRealData, GtmTemplateKitConfiguresOnlyGoogleTags) {
  // Analyzify's kit: Google Ads remarketing and conversions, enhanced
  // conversions (user-provided data), GA4; none paused, no consent settings.
  DetectionResult d = DetectFiles({Real("gtm/analyzify_gtm-kit_GTM-K2W53WLF.json")});
  ASSERT_EQ(d.discoveries.size(), 1u);
  EXPECT_EQ(d.discoveries[0].report->subject, "GTM-K2W53WLF");
  for (const char* id : {"google-ads-remarketing", "google-analytics", "google-enhanced-conversions"}) {
    SCOPED_TRACE(id);
    ASSERT_NE(d.Find(id), nullptr);
    EXPECT_EQ(State(d, id), "inferred");  // configured, not seen firing
    EXPECT_EQ(d.Find(id)->confidence, InferenceConfidence::kMedium);
  }
  for (const char* id : {"meta-pixel", "tiktok-pixel", "linkedin-insight", "microsoft-uet", "hotjar"})
    EXPECT_EQ(d.Find(id), nullptr) << id;
  AuditResult r =
      RunAudit(std::make_shared<const Register>(), std::make_shared<const Kb>(BuiltinKb()), std::move(d));
  for (const Finding& f : r.findings) {
    EXPECT_FALSE(f.rule_id.starts_with("BS001")) << f.subject_id;  // nothing seen running
    EXPECT_FALSE(f.rule_id.starts_with("BS022")) << f.subject_id;  // no capture, no before-consent claim
  }
}

TEST_F(DiscoveryRealData, AdPlatformExportsNameListsButNoMembers) {
  // Mailchimp: a list of 47 members imported by an admin; Klaviyo: 6 lists.
  DetectionResult mc = DetectFiles({Real("ad-platforms/airbyte_mailchimp_expected_records.jsonl")});
  EXPECT_EQ(State(mc, "mailchimp"), "seen");
  DetectionResult kl = DetectFiles({Real("ad-platforms/airbyte_klaviyo_expected_records.jsonl")});
  EXPECT_EQ(State(kl, "klaviyo"), "seen");
  // Snapchat customer lists: no kb entry for Snap's audiences, so they stay
  // unattributed (10 segments), never guessed as another product.
  DetectionResult snap =
      DetectFiles({Real("ad-platforms/airbyte_snapchat-marketing_expected_records.jsonl")});
  EXPECT_TRUE(snap.touchpoints.empty());
  EXPECT_EQ(Unattributed(snap, ObservationKind::kAudience), 10u);
  // LinkedIn: ad accounts and a billing admin, no matched audience.
  DetectionResult li = DetectFiles({Real("ad-platforms/airbyte_linkedin-ads_expected_records.jsonl")});
  EXPECT_EQ(li.Find("linkedin-matched-audiences"), nullptr);
}

TEST_F(DiscoveryRealData, ConsentManagerDeclarationsAreNotTouchpoints) {
  for (const char* f : {"cookiebot_cc_gamefly.com.js", "cookiebot_cc_purplemath.com.js",
                        "onetrust_domaindata_metabomb.net.json", "onetrust_domaindata_aveda.com.json"}) {
    SCOPED_TRACE(f);
    DetectionResult d = DetectFiles({Real(std::string("cookie-declarations/") + f)});
    ASSERT_EQ(d.discoveries.size(), 1u);
    EXPECT_TRUE(d.touchpoints.empty());
    EXPECT_TRUE(d.discoveries[0].unattributed.empty());  // declared, not a finding by itself
    EXPECT_GT(d.discoveries[0].report->observations.size(), 20u);
  }
}

}  // namespace
}  // namespace blindspot

// Record signatures of the embedded kb (signatures.records, issue 11): which
// entry a DNS or DMARC observation names. The keys below are real: they occur
// in the realdata zones (../shared/realdata/dns) or are the values the vendors
// tell customers to publish. The matching rule is the one kb.h documents for
// RecordSignature; the detector implements it, this test holds the data to it.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "blindspot/catalog.h"
#include "blindspot/discovery.h"
#include "blindspot/kb.h"

namespace blindspot {
namespace {

const Kb& EmbeddedKb() {
  static const Kb* kb = [] {
    auto r = Kb::LoadEmbedded();
    if (!r) {
      ADD_FAILURE() << r.error().Format();
      return new Kb();
    }
    return new Kb(std::move(*r));
  }();
  return *kb;
}

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool HostKind(ObservationKind k) {
  return k == ObservationKind::kSpfInclude || k == ObservationKind::kDkimKey || k == ObservationKind::kMx ||
         k == ObservationKind::kCname || k == ObservationKind::kDmarcReportTo ||
         k == ObservationKind::kMailSent;
}

// `host` is `value` or a name under it.
bool UnderHost(const std::string& host, const std::string& value) {
  return host == value ||
         (host.size() > value.size() && host.ends_with(value) && host[host.size() - value.size() - 1] == '.');
}

bool RecordMatches(const RecordSignature& r, ObservationKind kind, const std::string& key) {
  if (r.kind != kind) return false;
  if (kind == ObservationKind::kVerificationToken) return Lower(key).starts_with(Lower(r.value));
  if (HostKind(kind)) return UnderHost(Lower(key), r.value);
  return key == r.value;
}

// The ids of the entries whose record signatures match an observation.
std::set<std::string> Named(std::string_view kind_name, const std::string& key) {
  auto kind = ParseObservationKind(kind_name);
  EXPECT_TRUE(kind.has_value()) << kind_name;
  std::set<std::string> out;
  if (!kind) return out;
  for (const KbEntry& e : EmbeddedKb().entries())
    for (const RecordSignature& r : e.signatures.records)
      if (RecordMatches(r, *kind, key)) out.insert(e.id);
  return out;
}

using Ids = std::set<std::string>;

TEST(KbRecords, RealZoneRecordsNameTheirPlatform) {
  // Twilio SendGrid (ima-citizensrights, judiciary, justice zones).
  EXPECT_EQ(Named("spf-include", "sendgrid.net"), Ids{"twilio-sendgrid"});
  EXPECT_EQ(Named("dkim-key", "s1.domainkey.u29050082.wl083.sendgrid.net"), Ids{"twilio-sendgrid"});
  EXPECT_EQ(Named("cname", "u29050082.wl083.sendgrid.net"), Ids{"twilio-sendgrid"});
  EXPECT_EQ(Named("mx", "mx.sendgrid.net"), Ids{"twilio-sendgrid"});
  // Mailchimp marketing e-mail and Mailchimp Transactional are told apart.
  EXPECT_EQ(Named("dkim-key", "dkim2.mcsv.net"), Ids{"mailchimp"});
  EXPECT_EQ(Named("dkim-key", "dkim3.mcsv.net"), Ids{"mailchimp"});
  EXPECT_EQ(Named("spf-include", "spf.mandrillapp.com"), Ids{"mailchimp-transactional"});
  EXPECT_EQ(Named("dkim-key", "dkim1.mandrillapp.com"), Ids{"mailchimp-transactional"});
  // Microsoft 365: MX, SPF, both DKIM target forms, the tenant's verification token.
  EXPECT_EQ(Named("mx", "justice-gov-uk.mail.protection.outlook.com"), Ids{"microsoft-365"});
  EXPECT_EQ(Named("spf-include", "spf.protection.outlook.com"), Ids{"microsoft-365"});
  EXPECT_EQ(Named("dkim-key", "selector1-justice-gov-uk._domainkey.justiceuk.onmicrosoft.com"),
            Ids{"microsoft-365"});
  EXPECT_EQ(Named("dkim-key", "selector1-optic-justice-gov-uk._domainkey.justiceuk.p-v1.dkim.mail.microsoft"),
            Ids{"microsoft-365"});
  EXPECT_EQ(Named("verification-token", "MS=ms95480250"), Ids{"microsoft-365"});
  // Google Workspace.
  EXPECT_EQ(Named("mx", "aspmx.l.google.com"), Ids{"google-workspace"});
  EXPECT_EQ(Named("mx", "ALT3.ASPMX.L.GOOGLE.COM"), Ids{"google-workspace"});
  EXPECT_EQ(Named("spf-include", "_spf.google.com"), Ids{"google-workspace"});
  // Amazon SES: Easy DKIM, custom MAIL FROM (SPF + feedback MX), receiving MX.
  EXPECT_EQ(Named("dkim-key", "zer52fvryrnfdepqqw2xl2huersvzctv.dkim.amazonses.com"), Ids{"amazon-ses"});
  EXPECT_EQ(Named("spf-include", "amazonses.com"), Ids{"amazon-ses"});
  EXPECT_EQ(Named("mx", "feedback-smtp.eu-west-2.amazonses.com"), Ids{"amazon-ses"});
  EXPECT_EQ(Named("mx", "inbound-smtp.us-east-1.amazonaws.com"), Ids{"amazon-ses"});
  // HubSpot e-mail (digitalgov.gov Terraform): DKIM CNAME and the hub's SPF include.
  EXPECT_EQ(Named("dkim-key", "support-digitalgov-gov.hs11a.dkim.hubspotemail.net"),
            Ids{"hubspot-marketing-email"});
  EXPECT_EQ(Named("spf-include", "1962994.spf05.hubspotemail.net"), Ids{"hubspot-marketing-email"});
  // Mailgun (justice.gov.uk 'participant' MX, EU region).
  EXPECT_EQ(Named("mx", "mxa.eu.mailgun.org"), Ids{"mailgun"});
  EXPECT_EQ(Named("spf-include", "mailgun.org"), Ids{"mailgun"});
  // Brevo: the Brevo code, the new DKIM CNAME, the DMARC record Brevo hands out.
  EXPECT_EQ(Named("verification-token", "brevo-code:1c1e1b1e0e6d3f2b5a8c9d0e1f2a3b4c"), Ids{"brevo"});
  EXPECT_EQ(Named("dkim-key", "b1.justice-gov-uk.dkim.brevo.com"), Ids{"brevo"});
  EXPECT_EQ(Named("dmarc-report-to", "dmarc.brevo.com"), Ids{"brevo"});
  // Salesforce: Marketing Cloud Engagement (SAP) and the Account Engagement tracker CNAME.
  EXPECT_EQ(Named("spf-include", "cust-spf.exacttarget.com"), Ids{"salesforce-marketing-cloud"});
  EXPECT_EQ(Named("mx", "reply.s10.exacttarget.com"), Ids{"salesforce-marketing-cloud"});
  EXPECT_EQ(Named("cname", "go.pardot.com"), Ids{"salesforce-account-engagement"});
  // Zendesk Support mail.
  EXPECT_EQ(Named("spf-include", "mail.zendesk.com"), Ids{"zendesk-support"});
  EXPECT_EQ(Named("dkim-key", "zendesk1._domainkey.zendesk.com"), Ids{"zendesk-support"});
  // A Meta business verified the domain.
  EXPECT_EQ(Named("verification-token", "facebook-domain-verification=8t2kq0z3p1x9"), Ids{"meta-pixel"});
}

TEST(KbRecords, DmarcSendersWithoutTheirOwnDkimAreNamed) {
  // mail-sent keys are the DKIM d= (else SPF) domain of a DMARC report row.
  EXPECT_EQ(Named("mail-sent", "sendgrid.net"), Ids{"twilio-sendgrid"});
  EXPECT_EQ(Named("mail-sent", "eu-west-1.amazonses.com"), Ids{"amazon-ses"});
  EXPECT_EQ(Named("mail-sent", "mail128-136.atl41.mandrillapp.com"), Ids{"mailchimp-transactional"});
  EXPECT_EQ(Named("mail-sent", "justiceuk.onmicrosoft.com"), Ids{"microsoft-365"});
  EXPECT_EQ(Named("mail-sent", "klaviyomail.com"), Ids{"klaviyo"});
  // The organisation's own aligned domain names nobody.
  EXPECT_EQ(Named("mail-sent", "justice.gov.uk"), Ids{});
}

TEST(KbRecords, GenericAndInfrastructureRecordsNameNobody) {
  // Google's token does not say which Google service (Search Console, Workspace, Cloud).
  EXPECT_EQ(Named("verification-token", "google-site-verification=abc123"), Ids{});
  // A Twilio organisation token is not SendGrid.
  EXPECT_EQ(Named("verification-token", "twilio-domain-verification=0123456789abcdef"), Ids{});
  EXPECT_EQ(Named("verification-token", "v=spf1 include:spf.protection.outlook.com -all"), Ids{});
  // Hosting, load balancers, certificate validation, Microsoft client discovery.
  EXPECT_EQ(Named("cname", "tribunals-nginx-1184258455.eu-west-1.elb.amazonaws.com"), Ids{});
  EXPECT_EQ(Named("cname", "d1234abcd.cloudfront.net"), Ids{});
  EXPECT_EQ(Named("cname", "_3f2c.xlfgrmvvlj.acm-validations.aws"), Ids{});
  EXPECT_EQ(Named("cname", "autodiscover.outlook.com"), Ids{});
  EXPECT_EQ(Named("mx", "mail.example.org"), Ids{});
  // The suffix rule stops at a label boundary.
  EXPECT_EQ(Named("spf-include", "notsendgrid.net"), Ids{});
  EXPECT_EQ(Named("dkim-key", "mcsv.net.example.org"), Ids{});
  EXPECT_EQ(Named("mx", "mail.protection.outlook.com.example.org"), Ids{});
  // A region the kb does not list is not guessed.
  EXPECT_EQ(Named("mx", "inbound-smtp.ap-southeast-2.amazonaws.com"), Ids{});
}

// No (kind, value) is claimed twice, and no value of one entry covers another
// entry's value of the same kind (a host under another host, a token prefix
// of another token): an observation names at most one entry.
TEST(KbRecords, NoTwoEntriesClaimTheSameRecord) {
  struct Claim {
    std::string id;
    ObservationKind kind;
    std::string value;
  };
  std::vector<Claim> claims;
  std::map<std::pair<ObservationKind, std::string>, std::string> seen;
  for (const KbEntry& e : EmbeddedKb().entries())
    for (const RecordSignature& r : e.signatures.records) {
      auto [it, fresh] = seen.emplace(std::make_pair(r.kind, Lower(r.value)), e.id);
      EXPECT_TRUE(fresh) << ToString(r.kind) << " " << r.value << " in " << e.id << " and " << it->second;
      claims.push_back({e.id, r.kind, r.value});
    }
  EXPECT_GE(claims.size(), 40u);
  for (const Claim& a : claims)
    for (const Claim& b : claims) {
      if (a.id == b.id || a.kind != b.kind) continue;
      EXPECT_FALSE(RecordMatches(RecordSignature{a.kind, a.value, {}}, b.kind, b.value))
          << ToString(a.kind) << ": " << a.id << " '" << a.value << "' also matches " << b.id << " '"
          << b.value << "'";
    }
}

TEST(KbRecords, EveryRecordCitesAnHttpsVendorPage) {
  size_t records = 0;
  for (const KbEntry& e : EmbeddedKb().entries())
    for (const RecordSignature& r : e.signatures.records) {
      ++records;
      SCOPED_TRACE(e.id + " " + std::string(ToString(r.kind)) + " " + r.value);
      ASSERT_FALSE(r.sources.empty());
      for (const Source& s : r.sources) {
        EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.url;
        EXPECT_EQ(s.kind, SourceKind::kVendor) << s.id;
        EXPECT_FALSE(s.Title("en").empty()) << s.id;
      }
      if (HostKind(r.kind)) {
        EXPECT_EQ(r.value, Lower(r.value));
        EXPECT_FALSE(r.value.ends_with("."));
      }
    }
  EXPECT_GE(records, 40u);
}

// The e-mail platforms a register must name as processors when their records
// show: records-only entries with the GDPR facts the audit needs.
TEST(KbRecords, EmailPlatformEntriesArePlatformsWithProcessorRoles) {
  const std::map<std::string, bool> consent = {
      {"twilio-sendgrid", false}, {"amazon-ses", false},
      {"mailgun", false},         {"mailchimp-transactional", false},
      {"microsoft-365", false},   {"google-workspace", false},
      {"zendesk-support", false}, {"hubspot-marketing-email", true},
  };
  for (const auto& [id, needs_consent] : consent) {
    const KbEntry* e = EmbeddedKb().Find(id);
    ASSERT_NE(e, nullptr) << id;
    SCOPED_TRACE(id);
    EXPECT_EQ(e->channel, "email");
    EXPECT_EQ(e->role.value, VendorRole::kProcessor);
    EXPECT_EQ(e->consent_required.value, needs_consent);
    EXPECT_TRUE(e->signatures.requests.empty()) << "found by DNS/DMARC evidence only";
    EXPECT_FALSE(e->signatures.records.empty());
  }
  EXPECT_EQ(EmbeddedKb().Find("microsoft-365")->category, "email-hosting");
  EXPECT_EQ(EmbeddedKb().Find("twilio-sendgrid")->category, "email-delivery");
  // Search Console is not a touchpoint: Google Analytics claims no DNS record
  // (its GTM tag types are records of another kind).
  for (const RecordSignature& r : EmbeddedKb().Find("google-analytics")->signatures.records)
    EXPECT_EQ(r.kind, ObservationKind::kTagConfigured) << r.value;
}

}  // namespace
}  // namespace blindspot

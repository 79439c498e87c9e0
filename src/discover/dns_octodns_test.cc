// The dns-octodns reader on the real OctoDNS zones (../shared/realdata/dns,
// read in place) and on small synthetic zones written here after the OctoDNS
// README's record format. Expected values were taken by hand from the files
// (notes s10/issue11 plan.md §7.1-7.3) before the reader ran.
#include <gtest/gtest.h>

#include "blindspot/discovery.h"
#include "discover/discover_test_util.h"

namespace blindspot::discover {
namespace {

using testing::Count;
using testing::Find;
using testing::RealDns;
using testing::Slurp;
using testing::Warnings;
using K = ObservationKind;

const DiscoveryReader& Reader() { return *FindDiscoveryReader("dns-octodns"); }

Result<DiscoveryReport> ReadReal(const std::string& name, const std::string& domain) {
  std::string bytes = Slurp(RealDns(name));
  EXPECT_FALSE(bytes.empty()) << name;
  EXPECT_EQ(RecogniseDiscovery(bytes, name), &Reader()) << name;
  DiscoveryOptions o;
  o.domain = domain;
  return Reader().read(bytes, name, o);
}

TEST(DnsOctodns, ImaCitizensRights) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("octodns_ima-citizensrights.org.uk.yaml", "ima-citizensrights.org.uk");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->reader, "dns-octodns");
  EXPECT_EQ(r->subject, "ima-citizensrights.org.uk");
  // Counted by hand: 8 tokens (7 apex TXT minus SPF, plus 2 _asvdns), 4 SPF
  // hosts, 4 DMARC addresses, 2 MX, 12 DKIM selectors, 9 CNAMEs (10 minus
  // www.newsletter, whose target is the zone's own apex).
  EXPECT_EQ(Count(*r, K::kVerificationToken), 8u) << testing::Dump(*r);
  EXPECT_EQ(Count(*r, K::kSpfInclude), 4u);
  EXPECT_EQ(Count(*r, K::kDmarcReportTo), 4u);
  EXPECT_EQ(Count(*r, K::kMx), 2u);
  EXPECT_EQ(Count(*r, K::kDkimKey), 12u);
  EXPECT_EQ(Count(*r, K::kCname), 9u);
  EXPECT_EQ(r->observations.size(), 39u);
  EXPECT_EQ(
      Count(*r, K::kCname,
            [](const Observation& o) { return o.subject == "www.newsletter.ima-citizensrights.org.uk"; }),
      0u);
  EXPECT_EQ(Warnings(*r, ""), 0u) << testing::Dump(*r);

  // The record named 129688 is the text name "129688".
  const Observation* o = Find(*r, K::kCname, "sendgrid.net", "129688.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->proof, Proof::kInUse);
  EXPECT_EQ(o->location.rfind("line ", 0), 0u);

  o = Find(*r, K::kMx, "imacitizensrights-org-uk0i.mail.protection.outlook.com", "ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->proof, Proof::kInUse);

  o = Find(*r, K::kDkimKey, "dkim2.mcsv.net", "k2._domainkey.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("selector"), "k2");
  EXPECT_EQ(o->proof, Proof::kConfigured);

  o = Find(*r, K::kDkimKey, "selector1-imacitizensrights-org-uk0i._domainkey.justiceuk.onmicrosoft.com",
           "selector1._domainkey.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("tenant"), "justiceuk");
  // The civiccomputing target had a trailing dot.
  EXPECT_NE(Find(*r, K::kDkimKey, "ima._domainkey.civiccomputing.com",
                 "website._domainkey.ima-citizensrights.org.uk"),
            nullptr);
  // Brevo's shared key as TXT: key "".
  o = Find(*r, K::kDkimKey, "", "mail._domainkey.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("selector"), "mail");

  // "\;" unescaped: the DMARC tags were parsed.
  o = Find(*r, K::kDmarcReportTo, "dmarc.brevo.com", "_dmarc.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("policy"), "none");
  EXPECT_EQ(o->Attr("address_kind"), "rua");
  EXPECT_EQ(o->detail.find("rua@"), std::string::npos) << "no mailbox names: " << o->detail;
  o = Find(*r, K::kDmarcReportTo, "e-shot.net", "_dmarc.newsletter.ima-citizensrights.org.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("policy"), "reject");

  for (const char* host : {"spf.protection.outlook.com", "_spf.google.com", "spf.mandrillapp.com"})
    EXPECT_NE(Find(*r, K::kSpfInclude, host, "ima-citizensrights.org.uk"), nullptr) << host;
  EXPECT_NE(Find(*r, K::kSpfInclude, "spf-ps.e-shot.org", "newsletter.ima-citizensrights.org.uk"), nullptr);
  EXPECT_NE(Find(*r, K::kVerificationToken, "MS=ms27470079", "ima-citizensrights.org.uk"), nullptr);
  EXPECT_NE(Find(*r, K::kVerificationToken, "brevo-code:70df7540dafa8ea20f0eccbc493bb5ae",
                 "ima-citizensrights.org.uk"),
            nullptr);

  // Infrastructure: no ACM validation, MTA-STS, TLS-RPT, GitHub, Cloudflare,
  // _dnsauth, Microsoft discovery names, A records or aliases.
  for (const Observation& x : r->observations) {
    EXPECT_EQ(x.key.find("acm-validations"), std::string::npos) << x.key;
    EXPECT_EQ(x.subject.find("_mta-sts"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("_smtp._tls"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("_github"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("_cf-custom-hostname"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("_dnsauth"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("autodiscover"), std::string::npos) << x.subject;
    EXPECT_EQ(x.subject.find("enterprise"), std::string::npos) << x.subject;
    EXPECT_EQ(x.key.find("cloudfront"), std::string::npos) << x.key;
  }
}

TEST(DnsOctodns, ZoneFromThePrefixedFileNameIsSaid) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("octodns_ima-citizensrights.org.uk.yaml", "");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "ima-citizensrights.org.uk");
  ASSERT_EQ(r->warnings.size(), 1u) << testing::Dump(*r);
  EXPECT_NE(r->warnings[0].message.find("taken from the file name"), std::string::npos);
  EXPECT_EQ(r->observations.size(), 39u);
}

TEST(DnsOctodns, Judiciary) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("octodns_judiciary.uk.yaml", "judiciary.uk");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  // 11 apex tokens without any prefix: kept, never attributed here.
  EXPECT_EQ(Count(*r, K::kVerificationToken,
                  [](const Observation& o) {
                    return o.subject == "judiciary.uk" &&
                           o.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") ==
                               std::string::npos;
                  }),
            11u)
      << testing::Dump(*r);
  // Azure Communication Services: 3 ms-domain-verification tokens, 6 DKIM selectors.
  EXPECT_EQ(Count(*r, K::kVerificationToken,
                  [](const Observation& o) { return o.key.starts_with("ms-domain-verification="); }),
            3u);
  EXPECT_EQ(Count(*r, K::kDkimKey,
                  [](const Observation& o) { return o.key.find("azurecomm") != std::string::npos; }),
            6u);
  EXPECT_NE(Find(*r, K::kSpfInclude, "ciphr247.com", "judiciary.uk"), nullptr);
  // fp01: a key whose signer the file does not say.
  const Observation* o = Find(*r, K::kDkimKey, "", "fp01._domainkey.judiciary.uk");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("selector"), "fp01");
  // SendGrid user u29050082 on hr.
  EXPECT_GE(
      Count(*r, K::kCname, [](const Observation& o) { return o.key.find("u29050082") != std::string::npos; }),
      1u);
  // _dmarc is a CNAME to the shared policy: said, not an observation.
  bool delegated = false;
  for (const Error& w : r->warnings)
    delegated = delegated || (w.note && w.message.find("delegated") != std::string::npos);
  EXPECT_TRUE(delegated);
  EXPECT_EQ(
      Count(*r, K::kDmarcReportTo, [](const Observation& o) { return o.subject == "_dmarc.judiciary.uk"; }),
      0u);
  for (const Observation& x : r->observations) {
    EXPECT_EQ(x.key.find("comodoca"), std::string::npos) << x.key;
    EXPECT_EQ(x.key.find("digicert"), std::string::npos) << x.key;
    EXPECT_EQ(x.key.find("acm-validations"), std::string::npos) << x.key;
  }
}

TEST(DnsOctodns, JusticeGovUk) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("octodns_justice.gov.uk.yaml", "justice.gov.uk");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  // Amazon SES: 41 working DKIM CNAMEs, 3 broken (the CNAME target written as TXT).
  EXPECT_EQ(Count(*r, K::kDkimKey,
                  [](const Observation& o) {
                    return o.key.ends_with(".dkim.amazonses.com") && o.Attr("broken").empty();
                  }),
            41u)
      << testing::Dump(*r);
  EXPECT_EQ(Count(*r, K::kDkimKey, [](const Observation& o) { return o.Attr("broken") == "yes"; }), 3u);
  EXPECT_EQ(Warnings(*r, "which belongs in a CNAME"), 3u);
  EXPECT_EQ(Count(*r, K::kMx,
                  [](const Observation& o) { return o.key == "feedback-smtp.eu-west-2.amazonses.com"; }),
            4u);
  EXPECT_EQ(
      Count(*r, K::kVerificationToken, [](const Observation& o) { return o.Attr("label") == "_amazonses"; }),
      7u);
  EXPECT_EQ(
      Count(*r, K::kVerificationToken, [](const Observation& o) { return o.key.starts_with("amazonses:"); }),
      2u);
  EXPECT_EQ(Count(*r, K::kVerificationToken,
                  [](const Observation& o) { return o.key.starts_with("apple-domain-verification="); }),
            3u);
  EXPECT_NE(Find(*r, K::kDkimKey, "b1.justice-gov-uk.dkim.brevo.com", "brevo1._domainkey.justice.gov.uk"),
            nullptr);
  EXPECT_NE(Find(*r, K::kCname, "triadmoj.atlassian.net", "jira.cjscp.justice.gov.uk"), nullptr);
  EXPECT_NE(Find(*r, K::kSpfInclude, "_spf.salesforce.com", "justice.gov.uk"), nullptr);
  // Mailgun MX on participant (a `value:` holding a list).
  EXPECT_GE(Count(*r, K::kMx,
                  [](const Observation& o) {
                    return o.subject == "participant.justice.gov.uk" && o.key.ends_with("mailgun.org");
                  }),
            1u);
  // Warnings the research asked for.
  EXPECT_EQ(Warnings(*r, "SPF record at hmctssurvey.justice.gov.uk is invalid"), 1u);
  EXPECT_EQ(Warnings(*r, "null MX at hmctssurvey.justice.gov.uk"), 1u);
  EXPECT_EQ(Warnings(*r, "null MX at design102.justice.gov.uk"), 1u);
  EXPECT_EQ(Warnings(*r, "DMARC record published at cshrcasework.justice.gov.uk"), 1u);
  EXPECT_EQ(Warnings(*r, "DKIM key at *._domainkey.cshrcasework.justice.gov.uk is empty"), 1u);
  EXPECT_EQ(Count(*r, K::kSpfInclude, [](const Observation& o) { return o.key == "spf.ssmx.net"; }), 0u);
  // The shared policy that _dmarc CNAMEs point at is read; free-text TXT notes
  // and the DomainKeys policy at _domainkey.<name> are not tokens.
  EXPECT_NE(Find(*r, K::kDmarcReportTo, "dmarc.service.gov.uk", "_dmarc_ttp_policy.justice.gov.uk"), nullptr);
  EXPECT_EQ(Warnings(*r, "DMARC record published at _dmarc"), 0u);
  EXPECT_EQ(Count(*r, K::kVerificationToken,
                  [](const Observation& o) {
                    return o.key.starts_with("Reserved") || o.subject.starts_with("_domainkey.");
                  }),
            0u);
  size_t delegated = 0;  // _dmarc.ca, _dmarc.fax, _dmarc.noreply -> _dmarc_ttp_policy
  for (const Error& w : r->warnings)
    delegated += w.note && w.message.find("delegated by CNAME") != std::string::npos;
  EXPECT_EQ(delegated, 3u);
  EXPECT_NE(Find(*r, K::kDmarcReportTo, "egress.com", "_dmarc.cjsm.secure-email.ppud.justice.gov.uk"),
            nullptr);
  EXPECT_NE(Find(*r, K::kDmarcReportTo, "dmarc.inboxmonster.com", "_dmarc.people-development.justice.gov.uk"),
            nullptr);
  for (const Error& w : r->warnings) {
    EXPECT_TRUE(w.warning);
    EXPECT_GT(w.where.line, 0u) << w.message;
    EXPECT_GT(w.where.column, 0u) << w.message;
  }
  for (const Observation& x : r->observations) {
    EXPECT_EQ(x.key.find("acm-validations"), std::string::npos) << x.key;
    EXPECT_EQ(x.key.find("digicert"), std::string::npos) << x.key;
    EXPECT_EQ(x.key.find("fastly-validations"), std::string::npos) << x.key;
    EXPECT_FALSE(x.key.starts_with("QuoVadis")) << x.key;
    EXPECT_NE(x.kind, K::kMailSent);
  }
}

// Synthetic (after the OctoDNS README's record examples): both value shapes,
// escapes, split strings, trailing blanks and dots, mixed case, null MX.
constexpr std::string_view kSynthetic = R"(---
'':
  - type: TXT
    values:
      - v=spf1 include:Servers.MCSV.net. ~all
      - facebook-domain-verification=abc123
  - type: MX
    value:
      exchange: 'MX.Example-Mail.COM. '
      preference: 10
_dmarc:
  type: TXT
  value: v=DMARC1\; p=quarantine\; rua=mailto:a@Reports.Example.NET!10m,mailto:b@second.example
s1._domainkey:
  type: TXT
  value: v=DKIM1\; k=rsa\; ""p=MIGfAAAA""BBBB
bad:
  type: MX
  values:
    exchange: .
    preference: 0
typo:
  type: TXT
  value: v=spf1 nclude:spf.example.net -all
0000:
  type: CNAME
  value: Tracking.Example.NET.
www:
  type: CNAME
  value: example.org.
)";

TEST(DnsOctodns, SyntheticEdgeCases) {
  DiscoveryOptions o;
  o.domain = "Example.ORG.";
  ASSERT_EQ(RecogniseDiscovery(kSynthetic, "zone.yaml"), &Reader());
  auto r = Reader().read(kSynthetic, "zone.yaml", o);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "example.org");
  EXPECT_NE(Find(*r, K::kSpfInclude, "servers.mcsv.net", "example.org"), nullptr) << testing::Dump(*r);
  EXPECT_NE(Find(*r, K::kVerificationToken, "facebook-domain-verification=abc123", "example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kMx, "mx.example-mail.com", "example.org"), nullptr);
  const Observation* d = Find(*r, K::kDmarcReportTo, "reports.example.net", "_dmarc.example.org");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Attr("policy"), "quarantine");
  EXPECT_NE(Find(*r, K::kDmarcReportTo, "second.example", "_dmarc.example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kDkimKey, "", "s1._domainkey.example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kCname, "tracking.example.net", "0000.example.org"), nullptr);
  EXPECT_EQ(Find(*r, K::kCname, "example.org", "www.example.org"), nullptr);  // the zone itself
  EXPECT_EQ(Warnings(*r, "null MX at bad.example.org"), 1u);
  EXPECT_EQ(Warnings(*r, "'nclude:spf.example.net'"), 1u);
  EXPECT_EQ(r->observations.size(), 7u) << testing::Dump(*r);
}

TEST(DnsOctodns, BadInputIsAnErrorWithLineAndColumn) {
  DiscoveryOptions o;
  o.domain = "example.org";
  // Cut off inside a flow sequence.
  std::string cut = "---\nwww:\n  type: A\n  values: [192.0.2.1, 192.0.2.2\n";
  auto r = Reader().read(cut, "cut.yaml", o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_GT(r.error().where.line, 0u);
  EXPECT_GT(r.error().where.column, 0u);
  EXPECT_NE(r.error().Format().find("cut.yaml:"), std::string::npos) << r.error().Format();
  // A list at the top level is not a zone.
  r = Reader().read("- type: TXT\n  value: x\n", "list.yaml", o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 1u);
  EXPECT_GT(r.error().where.column, 0u);
  EXPECT_NE(r.error().message.find("not an OctoDNS zone"), std::string::npos);
  // No domain from the user nor the file name.
  r = Reader().read("www:\n  type: CNAME\n  value: a.example.net.\n", "zone.yaml", DiscoveryOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().hint.find("--domain"), std::string::npos);
  // A plain <zone>.yaml name gives the zone without a warning.
  auto ok = Reader().read("www:\n  type: CNAME\n  value: a.example.net.\n", "dir/example.com.yaml",
                          DiscoveryOptions{});
  ASSERT_TRUE(ok.has_value()) << ok.error().Format();
  EXPECT_EQ(ok->subject, "example.com");
  EXPECT_TRUE(ok->warnings.empty());
  EXPECT_NE(Find(*ok, K::kCname, "a.example.net", "www.example.com"), nullptr);
}

TEST(DnsOctodns, RefusesOtherFormats) {
  EXPECT_EQ(Reader().recognise(R"({"log":{"entries":[]}})", "x.har"), 0);
  EXPECT_EQ(Reader().recognise("hello world\n", "x.txt"), 0);
  EXPECT_EQ(Reader().recognise("$ORIGIN example.org.\n@ IN TXT \"x\"\n", "x.zone"), 0);
  EXPECT_EQ(Reader().recognise("resource \"aws_route53_record\" \"x\" {\n  type = \"TXT\"\n}\n", "x.tf"), 0);
  EXPECT_EQ(Reader().recognise("activities:\n  - type: processing\n    value: 3\n", "register.yaml"), 0);
}

}  // namespace
}  // namespace blindspot::discover

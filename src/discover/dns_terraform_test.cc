// The dns-terraform reader on the real Route 53 Terraform files
// (../shared/realdata/dns, read in place) and on a small SYNTHETIC file
// written here after the aws_route53_record documentation (records, alias,
// ttl; locals; heredoc). Expected values were taken by hand from the files
// (notes s10/issue11 plan.md §7.4-7.5) before the reader ran.
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

const DiscoveryReader& Reader() { return *FindDiscoveryReader("dns-terraform"); }

Result<DiscoveryReport> ReadReal(const std::string& name) {
  std::string bytes = Slurp(RealDns(name));
  EXPECT_FALSE(bytes.empty()) << name;
  EXPECT_EQ(RecogniseDiscovery(bytes, name), &Reader()) << name;
  return Reader().read(bytes, name, DiscoveryOptions{});
}

TEST(DnsTerraform, DigitalgovGov) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("terraform_route53_digitalgov.gov.tf");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->reader, "dns-terraform");
  EXPECT_EQ(r->subject, "digitalgov.gov");
  // Counted by hand: 6 CNAMEs, 9 DKIM (3 SES, 4 HubSpot CNAMEs, m1 and
  // smtpapi TXT keys), 3 tokens, 3 SPF hosts, 2 MX.
  EXPECT_EQ(Count(*r, K::kCname), 6u) << testing::Dump(*r);
  EXPECT_EQ(Count(*r, K::kDkimKey), 9u);
  EXPECT_EQ(Count(*r, K::kVerificationToken), 3u);
  EXPECT_EQ(Count(*r, K::kSpfInclude), 3u);
  EXPECT_EQ(Count(*r, K::kMx), 2u);
  EXPECT_EQ(r->observations.size(), 23u);
  EXPECT_NE(Find(*r, K::kSpfInclude, "1962994.spf05.hubspotemail.net", "support.digitalgov.gov"), nullptr);
  EXPECT_NE(Find(*r, K::kSpfInclude, "spf.servicenowservices.com", "support.digitalgov.gov"), nullptr);
  EXPECT_NE(Find(*r, K::kCname, "1962994g44.secure0082.hubspot.net", "connect.digitalgov.gov"), nullptr);
  const Observation* o = Find(*r, K::kDkimKey, "support-digitalgov-gov.hs11a.dkim.hubspotemail.net",
                              "hs1-1962994._domainkey.support.digitalgov.gov");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->Attr("selector"), "hs1-1962994");
  EXPECT_NE(Find(*r, K::kMx, "inbound-smtp.us-east-1.amazonaws.com", "support.digitalgov.gov"), nullptr);
  EXPECT_NE(Find(*r, K::kMx, "mx.sendgrid.net", "email.digitalgov.gov"), nullptr);
  // The module's txt_records: the literal read at the apex, the local not.
  EXPECT_NE(Find(*r, K::kVerificationToken,
                 "google-site-verification=WRPUo6XC7m4X-8jJFvXPVs-W4uiqfEbF-pQYcD1-MOU", "digitalgov.gov"),
            nullptr);
  EXPECT_NE(Find(*r, K::kVerificationToken, "8wtx7v9M", "dzc.digitalgov.gov"), nullptr);
  EXPECT_EQ(Warnings(*r, "local.spf_hubspot"), 1u) << testing::Dump(*r);
  EXPECT_EQ(Warnings(*r, ""), 1u);
  for (const Error& w : r->warnings) {
    EXPECT_GT(w.where.line, 0u);
    EXPECT_GT(w.where.column, 0u);
  }
  for (const Observation& x : r->observations)
    EXPECT_EQ(x.key.find("acm-validations"), std::string::npos) << x.key;
}

TEST(DnsTerraform, DigitalGov) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto r = ReadReal("terraform_route53_digital.gov.tf");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "digital.gov");
  EXPECT_NE(Find(*r, K::kDkimKey, "digital-gov.hs01a.dkim.hubspotemail.net", "hs1._domainkey.digital.gov"),
            nullptr)
      << testing::Dump(*r);
  EXPECT_NE(Find(*r, K::kDkimKey, "digital-gov.hs01b.dkim.hubspotemail.net", "hs2._domainkey.digital.gov"),
            nullptr);
  EXPECT_EQ(
      Count(*r, K::kVerificationToken, [](const Observation& o) { return o.Attr("label") == "_amazonses"; }),
      3u);
  EXPECT_EQ(
      Count(*r, K::kDkimKey, [](const Observation& o) { return o.key.ends_with(".dkim.amazonses.com"); }),
      18u);
  EXPECT_EQ(Count(*r, K::kDkimKey,
                  [](const Observation& o) {
                    return o.key.ends_with(".dkim.amazonses.com") && !o.subject.ends_with("digital.gov");
                  }),
            6u);
  EXPECT_GE(Count(*r, K::kVerificationToken,
                  [](const Observation& o) {
                    return o.subject == "digital.gov" && o.key.starts_with("google-site-verification=");
                  }),
            1u);
  EXPECT_EQ(
      Count(*r, K::kMx, [](const Observation& o) { return o.key == "inbound-smtp.us-east-1.amazonaws.com"; }),
      2u);
  EXPECT_EQ(Count(*r, K::kMx,
                  [](const Observation& o) { return o.key == "feedback-smtp.us-east-1.amazonses.com"; }),
            1u);
  EXPECT_EQ(Count(*r, K::kSpfInclude,
                  [](const Observation& o) { return o.subject == "mail.touchpoints.digital.gov"; }),
            1u);
  EXPECT_GE(Warnings(*r, "local.spf_hubspot"), 1u);
  EXPECT_GE(Warnings(*r, "outside the zone digital.gov"), 2u);
  EXPECT_EQ(Warnings(*r, "record _amazonses.touchpoints-staging.app.cloud.gov is named outside the zone"),
            1u);
  for (const Observation& x : r->observations) {
    EXPECT_EQ(x.subject.find("_acme-challenge"), std::string::npos) << x.subject;
    EXPECT_EQ(x.key.find("cloudfront"), std::string::npos) << x.key;
  }
}

// Synthetic, after the aws_route53_record documentation's examples.
constexpr std::string_view kSynthetic = R"(locals {
  spf = "v=spf1 include:servers.mcsv.net ~all"
}
resource "aws_route53_zone" "main" {
  name = "example.org"
}
/* a block comment
resource "aws_route53_record" "gone" { }
*/
#resource "aws_route53_record" "old" {
#  name = "old.example.org"
#}
resource "aws_route53_record" "spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "example.org"
  type    = "TXT"
  ttl     = "300"
  records = [local.spf, "long-part-one\"\"part-two", "${var.token}"]
}
resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "www.example.org"
  type    = "A"
  alias {
    name                   = "d111111abcdef8.cloudfront.net"
    zone_id                = "Z2FDTNDATAQYW2"
    evaluate_target_health = false
  }
}
resource "aws_route53_record" "mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "example.org."
  type    = "MX"
  ttl     = 300
  records = ["10 Inbound.Example.NET."]
}
resource "aws_route53_record" "computed" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "em.${aws_route53_zone.main.name}"
  type    = "CNAME"
  records = [lower("X.example.net")]
}
)";

TEST(DnsTerraform, SyntheticLocalsAliasesAndReferences) {
  ASSERT_EQ(RecogniseDiscovery(kSynthetic, "main.tf"), &Reader());
  auto r = Reader().read(kSynthetic, "main.tf", {});
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "example.org");
  EXPECT_NE(Find(*r, K::kSpfInclude, "servers.mcsv.net", "example.org"), nullptr) << testing::Dump(*r);
  EXPECT_NE(Find(*r, K::kVerificationToken, "long-part-onepart-two", "example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kMx, "inbound.example.net", "example.org"), nullptr);
  EXPECT_EQ(r->observations.size(), 3u);
  EXPECT_EQ(Warnings(*r, "interpolation in \"${var.token}\""), 1u);
  EXPECT_EQ(Warnings(*r, "name of aws_route53_record \"computed\""), 1u);
  EXPECT_EQ(r->warnings.size(), 2u);
}

TEST(DnsTerraform, BadInputIsAnErrorWithLineAndColumn) {
  std::string cut =
      "resource \"aws_route53_record\" \"x\" {\n  name = \"a.example.org\"\n  records = [\"v=spf1";
  auto r = Reader().read(cut, "cut.tf", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 3u);
  EXPECT_EQ(r.error().where.column, 14u);
  EXPECT_NE(r.error().Format().find("cut.tf:3:14"), std::string::npos) << r.error().Format();
  r = Reader().read("resource \"aws_route53_record\" \"x\" {\n  name = \"a\"\n", "cut2.tf", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("ends inside"), std::string::npos);
  EXPECT_GT(r.error().where.line, 0u);
  r = Reader().read("resource \"aws_route53_record\" \"x\" {\n  name \"a\"\n}\n", "bad.tf", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 2u);
  EXPECT_EQ(r.error().where.column, 3u);
  EXPECT_NE(r.error().message.find("'name'"), std::string::npos) << r.error().message;
  r = Reader().read("variable \"x\" {\n  default = 1\n}\n", "vars.tf", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("no Route 53"), std::string::npos);
}

TEST(DnsTerraform, RefusesOtherFormats) {
  EXPECT_EQ(Reader().recognise(R"({"log":{"entries":[]}})", "x.har"), 0);
  EXPECT_EQ(Reader().recognise("hello world\n", "x.txt"), 0);
  EXPECT_EQ(Reader().recognise("'':\n  type: TXT\n  value: x\n", "x.yaml"), 0);
  EXPECT_EQ(Reader().recognise("#resource \"aws_route53_record\" \"x\" {\n#}\n", "x.tf"), 0);
  EXPECT_EQ(Reader().recognise("resource \"google_dns_record_set\" \"x\" {\n}\n", "x.tf"), 0);
}

}  // namespace
}  // namespace blindspot::discover

// The dns-zonefile reader. There is no real zone file in realdata: the
// fixtures below are SYNTHETIC, written here after RFC 1035 §5 (master file
// syntax: $ORIGIN, $TTL, '@', relative names, blank owners, parentheses,
// quoted strings, ';' comments) and after the layout `dig` prints (header
// comments, ";; QUESTION SECTION:", ";; ANSWER SECTION:" with absolute names,
// TTL, class, type and data), with example.org / example.net names.
#include <gtest/gtest.h>

#include <filesystem>

#include "blindspot/discovery.h"
#include "discover/discover_test_util.h"

namespace blindspot::discover {
namespace {

using testing::Count;
using testing::Find;
using testing::Warnings;
using K = ObservationKind;

const DiscoveryReader& Reader() { return *FindDiscoveryReader("dns-zonefile"); }

constexpr std::string_view kZone = R"(; synthetic zone after RFC 1035 section 5
$ORIGIN example.org.
$TTL 3600
@       IN  SOA ns1.example.org. hostmaster.example.org. (
                2026120401 ; serial
                7200 3600 1209600 300 )
        IN  NS  ns1.example.org.
        IN  MX  10 mail.Example.NET.
        IN  TXT "v=spf1 include:_spf.google.com " "include:servers.mcsv.net ~all"
        IN  TXT "google-site-verification=abc\"def" ; quoted quote
@ 300 IN TXT "MS=ms12345"
www     IN  CNAME   @
news    1h IN CNAME   tracking.example.net.
k2._domainkey IN CNAME dkim2.mcsv.net.
google._domainkey IN TXT ( "v=DKIM1; k=rsa; "
                           "p=MIIBIjANBg" )
_dmarc  IN  TXT "v=DMARC1; p=reject; rua=mailto:d@rua.example.net; ruf=mailto:f@ruf.example.net"
_acme-challenge IN TXT "token-for-ca"
shop    IN  CNAME shops.myshopify.com.
relative IN CNAME target
ext     IN CNAME  Target.Example.NET.
nomail  IN  MX 0 .
sub 60 IN A 192.0.2.1
)";

TEST(DnsZonefile, MasterFile) {
  ASSERT_EQ(RecogniseDiscovery(kZone, "example.org.zone"), &Reader());
  auto r = Reader().read(kZone, "example.org.zone", DiscoveryOptions{});
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->reader, "dns-zonefile");
  EXPECT_EQ(r->subject, "example.org");
  // Two character-strings joined into one SPF record.
  EXPECT_NE(Find(*r, K::kSpfInclude, "_spf.google.com", "example.org"), nullptr) << testing::Dump(*r);
  EXPECT_NE(Find(*r, K::kSpfInclude, "servers.mcsv.net", "example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kVerificationToken, "google-site-verification=abc\"def", "example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kVerificationToken, "MS=ms12345", "example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kMx, "mail.example.net", "example.org"), nullptr);
  // CNAMEs to names of the zone itself are not third parties.
  EXPECT_EQ(Find(*r, K::kCname, "example.org", "www.example.org"), nullptr);
  EXPECT_EQ(Find(*r, K::kCname, "target.example.org", "relative.example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kCname, "tracking.example.net", "news.example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kCname, "shops.myshopify.com", "shop.example.org"), nullptr);
  EXPECT_NE(Find(*r, K::kCname, "target.example.net", "ext.example.org"), nullptr);
  const Observation* k = Find(*r, K::kDkimKey, "dkim2.mcsv.net", "k2._domainkey.example.org");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->Attr("selector"), "k2");
  EXPECT_EQ(k->location, "line 14");
  k = Find(*r, K::kDkimKey, "", "google._domainkey.example.org");  // parentheses over two lines
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->Attr("selector"), "google");
  EXPECT_NE(Find(*r, K::kDmarcReportTo, "rua.example.net", "_dmarc.example.org"), nullptr);
  const Observation* f = Find(*r, K::kDmarcReportTo, "ruf.example.net", "_dmarc.example.org");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->Attr("address_kind"), "ruf");
  EXPECT_EQ(f->Attr("policy"), "reject");
  EXPECT_EQ(Warnings(*r, "null MX at nomail.example.org"), 1u);
  // 2 SPF + 2 tokens + 1 MX + 3 CNAME + 2 DKIM + 2 DMARC; no _acme-challenge, NS, SOA or A.
  EXPECT_EQ(r->observations.size(), 12u) << testing::Dump(*r);
}

constexpr std::string_view kDig = R"(
; <<>> DiG 9.18.28 <<>> example.org TXT
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
;; flags: qr rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
;; QUESTION SECTION:
;example.org.			IN	TXT

;; ANSWER SECTION:
example.org.		300	IN	TXT	"v=spf1 include:sendgrid.net -all"
example.org.		300	IN	TXT	"facebook-domain-verification=zzz"

;; Query time: 20 msec
;; SERVER: 192.0.2.53#53(192.0.2.53) (UDP)
;; WHEN: Fri Dec 04 12:00:00 UTC 2026
;; MSG SIZE  rcvd: 140


; <<>> DiG 9.18.28 <<>> _dmarc.example.org TXT
;; QUESTION SECTION:
;_dmarc.example.org.		IN	TXT

;; ANSWER SECTION:
_dmarc.example.org.	300	IN	TXT	"v=DMARC1; p=none; rua=mailto:x@dmarc.example.com"

; <<>> DiG 9.18.28 <<>> em.example.org CNAME
;; QUESTION SECTION:
;em.example.org.			IN	CNAME

;; ANSWER SECTION:
em.example.org.		300	IN	CNAME	u1.wl1.sendgrid.net.
)";

TEST(DnsZonefile, DigOutputSeveralAnswers) {
  ASSERT_EQ(RecogniseDiscovery(kDig, "dig.txt"), &Reader());
  auto r = Reader().read(kDig, "dig.txt", DiscoveryOptions{});
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "example.org");
  EXPECT_NE(Find(*r, K::kSpfInclude, "sendgrid.net", "example.org"), nullptr) << testing::Dump(*r);
  EXPECT_NE(Find(*r, K::kVerificationToken, "facebook-domain-verification=zzz", "example.org"), nullptr);
  const Observation* d = Find(*r, K::kDmarcReportTo, "dmarc.example.com", "_dmarc.example.org");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->Attr("policy"), "none");
  EXPECT_NE(Find(*r, K::kCname, "u1.wl1.sendgrid.net", "em.example.org"), nullptr);
  EXPECT_EQ(r->observations.size(), 4u);
  EXPECT_TRUE(r->warnings.empty()) << testing::Dump(*r);
}

TEST(DnsZonefile, BadInputIsAnErrorWithLineAndColumn) {
  // Cut off inside parentheses.
  auto r = Reader().read("$ORIGIN example.org.\n@ IN SOA ns. host. ( 1 2\n 3 4\n", "cut.zone", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 2u);
  EXPECT_EQ(r.error().where.column, 20u);
  EXPECT_NE(r.error().message.find("not closed"), std::string::npos);
  // Cut off inside a quoted string.
  r = Reader().read("$ORIGIN example.org.\n@ IN TXT \"v=spf1 inclu", "cut2.zone", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 2u);
  EXPECT_EQ(r.error().where.column, 10u);
  // Not a record type.
  r = Reader().read("$ORIGIN example.org.\nwww IN BOGUS x\n", "bad.zone", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 2u);
  EXPECT_EQ(r.error().where.column, 8u);
  EXPECT_NE(r.error().Format().find("bad.zone:2:8"), std::string::npos) << r.error().Format();
  // A relative name with no origin.
  r = Reader().read("www IN CNAME x.example.net.\n", "noorigin.zone", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().hint.find("--domain"), std::string::npos);
  DiscoveryOptions o;
  o.domain = "example.org";
  auto ok = Reader().read("www IN CNAME x.example.net.\n", "noorigin.zone", o);
  ASSERT_TRUE(ok.has_value()) << ok.error().Format();
  EXPECT_NE(Find(*ok, K::kCname, "x.example.net", "www.example.org"), nullptr);
}

TEST(DnsZonefile, RefusesOtherFormats) {
  EXPECT_EQ(Reader().recognise(R"({"log":{"entries":[]}})", "x.har"), 0);
  EXPECT_EQ(Reader().recognise("hello world\nin the garden\n", "x.txt"), 0);
  EXPECT_EQ(Reader().recognise("Sign in A moment later.\nWe met in MX and in A town.\nlog in A b\n", "x.txt"),
            0);
  EXPECT_EQ(Reader().recognise("'':\n  type: TXT\n  value: x\n", "x.yaml"), 0);
  EXPECT_EQ(Reader().recognise("resource \"aws_route53_record\" \"x\" {\n}\n", "x.tf"), 0);
}

}  // namespace
}  // namespace blindspot::discover

namespace blindspot::discover {
namespace {

// The DNS readers take none of the other discovery formats (the real DMARC
// reports, tag-manager export, ad-platform records, consent-manager files and
// HAR captures, read in place).
TEST(DnsReaders, RefuseTheOtherRealFormats) {
  BLINDSPOT_REQUIRE_REALDATA();
  namespace fs = std::filesystem;
  size_t files = 0;
  for (const char* dir : {"dmarc", "gtm", "ad-platforms", "cookie-declarations", "har", "register"}) {
    fs::path p = fs::path(BLINDSPOT_REALDATA_DIR) / dir;
    if (!fs::exists(p)) continue;
    for (const auto& e : fs::directory_iterator(p)) {
      if (!e.is_regular_file()) continue;
      std::string bytes = testing::Slurp(e.path().string());
      std::string name = e.path().filename().string();
      ++files;
      for (const char* reader : {"dns-octodns", "dns-zonefile", "dns-terraform"})
        EXPECT_EQ(FindDiscoveryReader(reader)->recognise(bytes, name), 0)
            << reader << " on " << dir << "/" << name;
    }
  }
  EXPECT_GT(files, 20u);
}

}  // namespace
}  // namespace blindspot::discover

// Tests of the live DNS lookup: the probe list, the zone text (pure), and
// lookups against a fake resolver on 127.0.0.1 (tests/include/fake_dns_server.h),
// read back by the dns-zonefile reader and the detector. No other network.
#include "blindspot/dnslive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/detect.h"
#include "blindspot/discovery.h"
#include "blindspot/kb.h"
#include "fake_dns_server.h"

namespace blindspot::dnslive {
namespace {

using testing::FakeDnsServer;
using ::testing::HasSubstr;

std::string Now() { return "2026-12-05T00:30:00Z"; }

std::vector<Probe> Probes() {
  auto p = BuiltinProbes();
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().Format());
  return p ? *p : std::vector<Probe>{};
}

// Synthetic answers, shaped as the vendors' set-up pages say (data/sources/email.yaml):
// Mailchimp's k1 DKIM CNAME, SendGrid's s1 CNAME, Mailgun's SPF include and tracking CNAME,
// Meta's domain-verification token.
FakeDnsServer::Table ExampleTable() {
  return {
      {"example.org TXT",
       {"example.org. 300 IN TXT \"v=spf1 include:mailgun.org include:_spf.google.com ~all\"",
        "example.org. 300 IN TXT \"facebook-domain-verification=abc123def456\"",
        "example.org. 300 IN TXT \"note: \\\"quoted\\\"; with a semicolon\""}},
      {"example.org MX",
       {"example.org. 300 IN MX 1 aspmx.l.google.com.", "example.org. 300 IN MX 5 alt1.aspmx.l.google.com."}},
      {"example.org NS", {"example.org. 3600 IN NS ns1.example-dns.net."}},
      {"_dmarc.example.org TXT",
       {"_dmarc.example.org. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:r@dmarc.brevo.com\""}},
      {"k1._domainkey.example.org TXT",
       {"k1._domainkey.example.org. 300 IN CNAME dkim.mcsv.net.",
        "dkim.mcsv.net. 300 IN TXT \"v=DKIM1; k=rsa; p=MIGfMA0\""}},
      {"s1._domainkey.example.org TXT",
       {"s1._domainkey.example.org. 300 IN CNAME s1.domainkey.u123.wl042.sendgrid.net.",
        "s1.domainkey.u123.wl042.sendgrid.net. 300 IN TXT \"v=DKIM1; k=rsa; p=MIIB\""}},
      {"email.example.org CNAME", {"email.example.org. 300 IN CNAME mailgun.org."}},
      // A name with an A record only: asked as CNAME it has no data.
      {"mail.example.org A", {"mail.example.org. 300 IN A 192.0.2.10"}},
  };
}

TEST(DnsProbes, BuiltinListIsValidAndCitesWhatExists) {
  std::vector<Probe> probes = Probes();
  ASSERT_GE(probes.size(), 20u);
  EXPECT_EQ(probes[0].name, "@");
  EXPECT_EQ(probes[0].type, "TXT");
  auto kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value()) << kb.error().Format();
  std::set<std::string> names;
  for (const Probe& p : probes) {
    names.insert(p.name);
    EXPECT_FALSE(p.why.empty()) << p.name;
    for (const std::string& id : p.kb) EXPECT_NE(kb->Find(id), nullptr) << p.name << ": kb " << id;
    for (const std::string& id : p.sources)
      EXPECT_NE(TextCatalog::Builtin().FindSource(id), nullptr) << p.name << ": source " << id;
    // A DKIM selector probe serves a kb entry and cites the page that names the selector.
    if (p.name.find("._domainkey") != std::string::npos) {
      EXPECT_FALSE(p.kb.empty()) << p.name;
      EXPECT_FALSE(p.sources.empty()) << p.name;
    }
  }
  for (const char* n : {"_dmarc",
                        "k1._domainkey",
                        "k2._domainkey",
                        "k3._domainkey",
                        "s1._domainkey",
                        "s2._domainkey",
                        "zendesk1._domainkey",
                        "selector1._domainkey",
                        "google._domainkey",
                        "mte1._domainkey",
                        "email",
                        "links",
                        "click",
                        "track",
                        "go",
                        "info",
                        "news",
                        "mail",
                        "marketing",
                        "metrics",
                        "sstats"})
    EXPECT_TRUE(names.count(n)) << n;
}

TEST(DnsProbes, BadListsNameTheLine) {
  auto r = ParseProbes("probes:\n  - {name: \"@\", type: TXT, why: x}\n  - {name: k1, type: AAAA, why: y}\n",
                       "p.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().Format(), HasSubstr("p.yaml:3"));
  EXPECT_THAT(r.error().message, HasSubstr("unknown type 'AAAA'"));
  r = ParseProbes("probes:\n  - {name: \"@\", type: TXT}\n", "p.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("probe without why"));
  r = ParseProbes("probes:\n  - {name: \"@\", type: TXT, why: a}\n  - {name: \"@\", type: TXT, why: b}\n",
                  "p.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("listed twice"));
  r = ParseProbes("probes:\n  - {name: \"Bad Name\", type: TXT, why: a}\n", "p.yaml");
  ASSERT_FALSE(r.has_value());
  r = ParseProbes("probes:\n  - {name: x, type: TXT, why: a, colour: red}\n", "p.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("unknown key 'colour'"));
}

TEST(DnsDomain, Normalised) {
  EXPECT_EQ(*NormaliseDomain("Example.ORG."), "example.org");
  EXPECT_EQ(*NormaliseDomain(" shop.example.co.uk "), "shop.example.co.uk");
  EXPECT_FALSE(NormaliseDomain("").has_value());
  EXPECT_FALSE(NormaliseDomain("localhost").has_value());
  EXPECT_FALSE(NormaliseDomain("a..b").has_value());
  // Found by a user run: a label starting with a hyphen went to the resolver.
  EXPECT_FALSE(NormaliseDomain("-example.nl").has_value());
  EXPECT_FALSE(NormaliseDomain("example-.nl").has_value());
  EXPECT_TRUE(NormaliseDomain("my-shop.nl").has_value());
  EXPECT_FALSE(NormaliseDomain("exa mple.org").has_value());
  auto url = NormaliseDomain("https://example.org/");
  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().kind, ErrorKind::kUsage);
  EXPECT_THAT(url.error().hint, HasSubstr("domain alone"));
  auto idn = NormaliseDomain("bücher.de");
  ASSERT_FALSE(idn.has_value());
  EXPECT_THAT(idn.error().hint, HasSubstr("xn--"));
  EXPECT_FALSE(NormaliseDomain(std::string(64, 'a') + ".org").has_value());
}

// The pure part: answers in, zone text out, exactly.
TEST(DnsZoneText, WritesHeaderOriginAndRecords) {
  LookupResult r;
  r.domain = "example.org";
  r.resolver = "127.0.0.1 port 5353";
  r.started = "2026-12-05T00:30:00Z";
  r.finished = "2026-12-05T00:30:01Z";
  r.timeout = std::chrono::milliseconds(2500);
  Asked apex;
  apex.probe = {"@", "TXT", "SPF and tokens", {}, {}, 0};
  apex.fqdn = "example.org";
  apex.answer.status = AnswerStatus::kRecords;
  apex.kept = {{"example.org.", 300, "TXT", "\"v=spf1 include:mailgun.org ~all\""},
               {"example.org.", 300, "TXT", "\"line\nbreak\""}};
  Asked k1;
  k1.probe = {"k1._domainkey", "TXT", "Mailchimp DKIM selector", {}, {}, 0};
  k1.fqdn = "k1._domainkey.example.org";
  k1.answer.status = AnswerStatus::kRecords;
  k1.kept = {{"k1._domainkey.example.org.", 300, "CNAME", "dkim.mcsv.net."}};
  Asked s1;
  s1.probe = {"s1._domainkey", "TXT", "SendGrid", {}, {}, 0};
  s1.fqdn = "s1._domainkey.example.org";
  s1.answer.status = AnswerStatus::kNxDomain;
  Asked go;
  go.probe = {"go", "CNAME", "tracker", {}, {}, 0};
  go.fqdn = "go.example.org";
  go.answer.status = AnswerStatus::kTimeout;
  go.answer.error = "Could not send or receive";
  r.asked = {apex, k1, s1, go};
  EXPECT_EQ(
      ZoneText(r, "9.9.9"),
      "; DNS snapshot of example.org, written by blindspot 9.9.9 discover dns\n"
      "; queried 2026-12-05T00:30:00Z to 2026-12-05T00:30:01Z (UTC) through the resolver 127.0.0.1 port "
      "5353, 2.5 s per question\n"
      "; DNS cannot list a zone: only the names below were asked; other names of the domain may exist.\n"
      "; 4 questions: 2 with records (3 records kept), 1 NXDOMAIN, 1 timed out\n"
      ";\n"
      "; asked (name type: answer; why):\n"
      ";   @ TXT: 2 records; SPF and tokens\n"
      ";   k1._domainkey TXT: CNAME; Mailchimp DKIM selector\n"
      ";   s1._domainkey TXT: NXDOMAIN; SendGrid\n"
      ";   go CNAME: timed out (Could not send or receive); tracker\n"
      "\n"
      "$ORIGIN example.org.\n"
      "@ 300 IN TXT \"v=spf1 include:mailgun.org ~all\"\n"
      "@ 300 IN TXT \"line\\010break\"\n"
      "k1._domainkey 300 IN CNAME dkim.mcsv.net.\n");
}

// A scripted resolver: the seam without a network.
class ScriptedResolver : public Resolver {
 public:
  explicit ScriptedResolver(std::vector<Answer> answers) : answers_(std::move(answers)) {}
  Answer Query(const std::string& fqdn, const std::string& type) override {
    asked.push_back(fqdn + " " + type);
    if (next_ < answers_.size()) return answers_[next_++];
    Answer a;
    a.status = AnswerStatus::kTimeout;
    return a;
  }
  std::string Describe() const override { return "scripted"; }
  std::vector<std::string> asked;

 private:
  std::vector<Answer> answers_;
  size_t next_ = 0;
};

TEST(DnsLookup, StopsAskingAfterThreeTimeoutsInARow) {
  Answer first;
  first.status = AnswerStatus::kRecords;
  first.records = {{"example.org.", 60, "TXT", "\"v=spf1 -all\""}};
  ScriptedResolver resolver({first});
  std::vector<Probe> probes = Probes();
  auto r = Lookup(resolver, "example.org", probes, Now, std::chrono::milliseconds(100));
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(resolver.asked.size(), 4u);  // the apex, then three timeouts
  EXPECT_EQ(r->asked.size(), probes.size());
  EXPECT_EQ(r->asked[3].answer.status, AnswerStatus::kTimeout);
  EXPECT_EQ(r->asked[4].answer.status, AnswerStatus::kNotAsked);
  EXPECT_EQ(r->records(), 1u);
  EXPECT_THAT(ZoneText(*r, "1"), HasSubstr("not asked (the resolver had stopped answering)"));
}

TEST(DnsLookup, FirstAnswerDecides) {
  std::vector<Probe> probes = Probes();
  for (auto [status, kind, text] : std::vector<std::tuple<AnswerStatus, ErrorKind, std::string>>{
           {AnswerStatus::kNxDomain, ErrorKind::kUsage, "example.org does not exist"},
           {AnswerStatus::kServFail, ErrorKind::kIo, "SERVFAIL"},
           {AnswerStatus::kRefused, ErrorKind::kIo, "refused"},
           {AnswerStatus::kTimeout, ErrorKind::kIo, "no answer from the resolver scripted within 0.1 s"},
           {AnswerStatus::kNetworkError, ErrorKind::kIo, "no usable answer"}}) {
    Answer a;
    a.status = status;
    ScriptedResolver resolver({a});
    auto r = Lookup(resolver, "example.org", probes, Now, std::chrono::milliseconds(100));
    ASSERT_FALSE(r.has_value()) << ToString(status);
    EXPECT_EQ(r.error().kind, kind) << ToString(status);
    EXPECT_THAT(r.error().message, HasSubstr(text));
    EXPECT_EQ(resolver.asked.size(), 1u);
  }
}

// The whole way: ldns against the fake resolver, the zone text, the reader, the detector.
TEST(DnsLookup, FakeServerToZoneToDetection) {
  FakeDnsServer server(ExampleTable());
  ResolverOptions ro;
  ro.server = server.server();
  ro.timeout = std::chrono::milliseconds(2000);
  auto resolver = NewLdnsResolver(ro);
  ASSERT_TRUE(resolver.has_value()) << resolver.error().Format();
  EXPECT_EQ((*resolver)->Describe(), "127.0.0.1 port " + std::to_string(server.port()));
  std::vector<Probe> probes = Probes();
  auto start = std::chrono::steady_clock::now();
  auto r = Lookup(**resolver, "Example.org.", probes, Now, ro.timeout);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  std::printf("lookup of %zu names against the fake server: %lld ms\n", probes.size(),
              static_cast<long long>(ms.count()));
  EXPECT_LT(ms.count(), 5000);
  EXPECT_EQ(server.questions(), static_cast<int>(probes.size()));
  EXPECT_EQ(r->domain, "example.org");

  std::string zone = ZoneText(*r, app::kVersion);
  EXPECT_THAT(zone, HasSubstr("$ORIGIN example.org.\n"));
  EXPECT_THAT(zone, HasSubstr("@ 300 IN TXT \"v=spf1 include:mailgun.org include:_spf.google.com ~all\"\n"));
  EXPECT_THAT(zone, HasSubstr("@ 300 IN TXT \"facebook-domain-verification=abc123def456\"\n"));
  EXPECT_THAT(zone, HasSubstr("@ 300 IN TXT \"note: \\\"quoted\\\"; with a semicolon\"\n"));
  EXPECT_THAT(zone, HasSubstr("@ 300 IN MX 1 aspmx.l.google.com.\n"));
  EXPECT_THAT(zone, HasSubstr("@ 3600 IN NS ns1.example-dns.net.\n"));
  EXPECT_THAT(zone, HasSubstr("_dmarc 300 IN TXT \"v=DMARC1; p=none; rua=mailto:r@dmarc.brevo.com\"\n"));
  // The first CNAME only: the target's TXT is not the domain's record.
  EXPECT_THAT(zone, HasSubstr("k1._domainkey 300 IN CNAME dkim.mcsv.net.\n"));
  EXPECT_THAT(zone, ::testing::Not(HasSubstr("MIGfMA0")));
  EXPECT_THAT(zone, HasSubstr("s1._domainkey 300 IN CNAME s1.domainkey.u123.wl042.sendgrid.net.\n"));
  EXPECT_THAT(zone, HasSubstr("email 300 IN CNAME mailgun.org.\n"));
  EXPECT_THAT(zone, HasSubstr(";   k1._domainkey TXT: CNAME; Mailchimp DKIM selector"));
  EXPECT_THAT(zone, HasSubstr(";   k2._domainkey TXT: NXDOMAIN;"));
  EXPECT_THAT(zone, HasSubstr(";   mail CNAME: no record of this type;"));
  EXPECT_THAT(zone, HasSubstr("through the resolver 127.0.0.1 port " + std::to_string(server.port())));
  EXPECT_EQ(r->records(), 10u);

  // Read back by the zone-file reader...
  const DiscoveryReader* reader = RecogniseDiscovery(zone, "example.org.zone");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->name, "dns-zonefile");
  auto report = reader->read(zone, "example.org.zone", {});
  ASSERT_TRUE(report.has_value()) << report.error().Format();
  EXPECT_EQ(report->subject, "example.org");
  EXPECT_TRUE(report->warnings.empty()) << report->warnings[0].Format();
  std::set<std::string> keys;
  for (const Observation& o : report->observations) keys.insert(std::string(ToString(o.kind)) + " " + o.key);
  EXPECT_TRUE(keys.count("spf-include mailgun.org"));
  EXPECT_TRUE(keys.count("verification-token facebook-domain-verification=abc123def456"));
  EXPECT_TRUE(keys.count("dkim-key dkim.mcsv.net"));
  EXPECT_TRUE(keys.count("dkim-key s1.domainkey.u123.wl042.sendgrid.net"));
  EXPECT_TRUE(keys.count("cname mailgun.org"));
  EXPECT_TRUE(keys.count("mx aspmx.l.google.com"));
  EXPECT_TRUE(keys.count("dmarc-report-to dmarc.brevo.com"));

  // ...and the detector names the products.
  auto index = app::LoadKbIndex(app::Options{});
  ASSERT_TRUE(index.has_value()) << index.error().Format();
  auto shared = std::make_shared<const DiscoveryReport>(std::move(*report));
  auto d = Detect(*index, {}, {}, {{"example.org.zone", shared}});
  ASSERT_TRUE(d.has_value()) << d.error().Format();
  std::set<std::string> ids;
  for (const DetectedTouchpoint& t : d->touchpoints) ids.insert(t.kb_id);
  for (const char* id :
       {"mailchimp", "twilio-sendgrid", "mailgun", "meta-pixel", "google-workspace", "brevo"})
    EXPECT_TRUE(ids.count(id)) << id;
}

TEST(DnsLookup, SilentServerTimesOutWithAClearError) {
  FakeDnsServer server({}, /*silent=*/true);
  ResolverOptions ro;
  ro.server = server.server();
  ro.timeout = std::chrono::milliseconds(300);
  auto resolver = NewLdnsResolver(ro);
  ASSERT_TRUE(resolver.has_value());
  auto start = std::chrono::steady_clock::now();
  auto r = Lookup(**resolver, "example.org", Probes(), Now, ro.timeout);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_THAT(r.error().message,
              HasSubstr("no answer from the resolver 127.0.0.1 port " + std::to_string(server.port()) +
                        " within 0.3 s (example.org TXT)"));
  EXPECT_THAT(r.error().hint, HasSubstr("--server"));
  EXPECT_GE(ms.count(), 250);
  EXPECT_LT(ms.count(), 3000);
  EXPECT_EQ(server.questions(), 1);
}

TEST(DnsLookup, NxDomainAndRefusedFromTheServer) {
  {
    FakeDnsServer server(ExampleTable());
    ResolverOptions ro;
    ro.server = server.server();
    auto resolver = NewLdnsResolver(ro);
    ASSERT_TRUE(resolver.has_value());
    auto r = Lookup(**resolver, "no-such-domain.example", Probes(), Now, ro.timeout);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
    EXPECT_THAT(r.error().message, HasSubstr("no-such-domain.example does not exist"));
    EXPECT_THAT(r.error().message, HasSubstr("NXDOMAIN"));
  }
  {
    FakeDnsServer server({}, false, LDNS_RCODE_REFUSED);
    ResolverOptions ro;
    ro.server = server.server();
    auto resolver = NewLdnsResolver(ro);
    ASSERT_TRUE(resolver.has_value());
    auto r = Lookup(**resolver, "example.org", Probes(), Now, ro.timeout);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::kIo);
    EXPECT_THAT(r.error().message, HasSubstr("refused to answer example.org TXT"));
  }
}

TEST(DnsResolver, ServerOptionAndResolvConf) {
  for (const char* bad : {"dns.google", "1.2.3.4:0", "1.2.3.4:99999", "[::1", "1.2.3.4:x", ""}) {
    ResolverOptions ro;
    ro.server = bad;
    if (ro.server.empty()) ro.resolv_conf = "/nonexistent/resolv.conf";
    auto r = NewLdnsResolver(ro);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, ro.server.empty() ? ErrorKind::kIo : ErrorKind::kUsage) << bad;
  }
  for (auto [in, shown] :
       std::vector<std::pair<std::string, std::string>>{{"127.0.0.1", "127.0.0.1 port 53"},
                                                        {"127.0.0.1:5353", "127.0.0.1 port 5353"},
                                                        {"::1", "[::1] port 53"},
                                                        {"[::1]:5300", "[::1] port 5300"}}) {
    ResolverOptions ro;
    ro.server = in;
    auto r = NewLdnsResolver(ro);
    ASSERT_TRUE(r.has_value()) << in << ": " << r.error().Format();
    EXPECT_EQ((*r)->Describe(), shown);
  }
}

}  // namespace
}  // namespace blindspot::dnslive

// `blindspot discover dns` end to end, in-process: the CLI against a fake
// resolver on 127.0.0.1 (tests/include/fake_dns_server.h), writing through an
// in-memory file system, then `audit --evidence` on what it wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "blindspot/cli.h"
#include "blindspot/env.h"
#include "cli/cli_test_util.h"
#include "fake_dns_server.h"

namespace blindspot {
namespace {

using testing::FakeDnsServer;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::CliRun;

// Synthetic answers in the shape of the vendors' set-up pages (data/sources/email.yaml).
FakeDnsServer::Table Table() {
  return {
      {"example.org TXT",
       {"example.org. 300 IN TXT \"v=spf1 include:mailgun.org ~all\"",
        "example.org. 300 IN TXT \"facebook-domain-verification=abc123def456\""}},
      {"k1._domainkey.example.org TXT",
       {"k1._domainkey.example.org. 300 IN CNAME dkim.mcsv.net.",
        "dkim.mcsv.net. 300 IN TXT \"v=DKIM1; p=MIGf\""}},
      {"s1._domainkey.example.org TXT",
       {"s1._domainkey.example.org. 300 IN CNAME s1.domainkey.u1.wl1.sendgrid.net."}},
  };
}

class DiscoverDnsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.AddDirectory("/out");
    env_.SetNow("2026-12-05T00:30:00Z");
  }
  CliRun Cli(const std::vector<std::string>& args) { return testing::RunCliIn(env_, args); }
  MemEnv env_;
};

TEST_F(DiscoverDnsCli, WritesASnapshotThatAuditReads) {
  FakeDnsServer server(Table());
  CliRun r =
      Cli({"discover", "dns", "example.org", "--server", server.server(), "--out", "/out/example.org.zone"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("to 127.0.0.1 port " + std::to_string(server.port()) + ": 3 with records"));
  EXPECT_THAT(r.err, HasSubstr("touchpoints: mailchimp, mailgun, meta-pixel, twilio-sendgrid"));
  EXPECT_THAT(r.err, HasSubstr("/out/example.org.zone: DNS snapshot written (4 records)"));
  EXPECT_THAT(r.err, HasSubstr("blindspot audit --register REGISTER --evidence /out/example.org.zone"));
  const std::string* zone = env_.Contents("/out/example.org.zone");
  ASSERT_NE(zone, nullptr);
  EXPECT_THAT(*zone, HasSubstr("; queried 2026-12-05T00:30:00Z to 2026-12-05T00:30:00Z (UTC)"));
  EXPECT_THAT(*zone, HasSubstr("$ORIGIN example.org.\n@ 300 IN TXT \"v=spf1 include:mailgun.org ~all\"\n"));
  EXPECT_THAT(*zone, HasSubstr("k1._domainkey 300 IN CNAME dkim.mcsv.net.\n"));

  // Refused the second time without --force (before any question); replaced with it.
  int asked = server.questions();
  CliRun again =
      Cli({"discover", "dns", "example.org", "--server", server.server(), "--out", "/out/example.org.zone"});
  EXPECT_EQ(again.rc, 2);
  EXPECT_THAT(again.err, HasSubstr("--out /out/example.org.zone already exists"));
  EXPECT_THAT(again.err, HasSubstr("--force"));
  EXPECT_EQ(server.questions(), asked);
  CliRun forced = Cli({"discover", "dns", "example.org", "--server", server.server(), "--out",
                       "/out/example.org.zone", "--force"});
  EXPECT_EQ(forced.rc, 0) << forced.err;

  // audit --evidence reads it: the products are blind spots of an empty register.
  CliRun audit =
      Cli({"audit", "--evidence", "/out/example.org.zone", "--format", "json", "--no-default-filter-lists"});
  EXPECT_EQ(audit.rc, 0) << audit.err;
  for (const char* id : {"\"mailchimp\"", "\"twilio-sendgrid\"", "\"mailgun\"", "\"meta-pixel\""})
    EXPECT_THAT(audit.out, HasSubstr(id));
}

TEST_F(DiscoverDnsCli, DashPrintsTheZoneAndDefaultNameIsTheDomain) {
  FakeDnsServer server(Table());
  CliRun r = Cli({"discover", "dns", "EXAMPLE.org.", "--server", server.server(), "--out", "-"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("$ORIGIN example.org.\n"));
  EXPECT_THAT(r.err, Not(HasSubstr("written")));
  CliRun d = Cli({"discover", "dns", "example.org", "--server", server.server()});
  ASSERT_EQ(d.rc, 0) << d.err;
  EXPECT_NE(env_.Contents("example.org.zone"), nullptr);
}

TEST_F(DiscoverDnsCli, NoAnswerIsAnErrorAndWritesNothing) {
  FakeDnsServer server({}, /*silent=*/true);
  CliRun r = Cli({"discover", "dns", "example.org", "--server", server.server(), "--timeout", "0.3", "--out",
                  "/out/x.zone"});
  EXPECT_EQ(r.rc, 4);
  EXPECT_THAT(r.err, HasSubstr("error: no answer from the resolver 127.0.0.1 port " +
                               std::to_string(server.port()) + " within 0.3 s (example.org TXT)"));
  EXPECT_THAT(r.err, HasSubstr("nothing was written"));
  EXPECT_EQ(env_.Contents("/out/x.zone"), nullptr);
}

TEST_F(DiscoverDnsCli, NxDomainAndBadInput) {
  FakeDnsServer server(Table());
  CliRun r = Cli({"discover", "dns", "no-such.example", "--server", server.server(), "--out", "/out/x.zone"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_THAT(r.err, HasSubstr("no-such.example does not exist"));
  EXPECT_EQ(env_.Contents("/out/x.zone"), nullptr);

  EXPECT_EQ(Cli({"discover", "dns", "https://example.org/"}).rc, 2);
  CliRun bad_server = Cli({"discover", "dns", "example.org", "--server", "dns.example"});
  EXPECT_EQ(bad_server.rc, 2);
  EXPECT_THAT(bad_server.err, HasSubstr("--server 'dns.example' is not an IP address"));
  EXPECT_EQ(Cli({"discover", "dns", "example.org", "--timeout", "0"}).rc, 2);
  CliRun kind = Cli({"discover", "whois", "example.org"});
  EXPECT_EQ(kind.rc, 2);
  EXPECT_THAT(kind.err, HasSubstr("unknown kind 'whois'"));
  EXPECT_EQ(Cli({"discover"}).rc, 2);
  CliRun help = Cli({"discover", "dns", "--help"});
  EXPECT_EQ(help.rc, 0);
  EXPECT_THAT(help.out, HasSubstr("--server"));
  CliRun usage = Cli({"--help"});
  EXPECT_THAT(usage.out, HasSubstr("discover "));
  CliRun folder = Cli({"discover", "dns", "example.org", "--server", server.server(), "--out", "/out"});
  EXPECT_EQ(folder.rc, 2);
  EXPECT_THAT(folder.err, HasSubstr("names a folder"));
}

TEST_F(DiscoverDnsCli, LanguageBeforeTheCommand) {
  FakeDnsServer server(Table());
  CliRun r = Cli({"--lang", "nl", "discover", "dns", "example.org", "--server", server.server(), "--out",
                  "/out/nl.zone"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("DNS-momentopname geschreven"));
}

}  // namespace
}  // namespace blindspot

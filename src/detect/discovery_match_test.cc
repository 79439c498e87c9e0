// Discovery records matched against record signatures (discovery_match.cc):
// hand-built kb entries and observations.
#include <gtest/gtest.h>

#include "blindspot/detect.h"

namespace blindspot {
namespace {

RecordSignature Rec(ObservationKind kind, std::string value) {
  RecordSignature r;
  r.kind = kind;
  r.value = std::move(value);
  return r;
}

KbEntry Entry(std::string id, std::vector<RecordSignature> records, std::vector<std::string> hosts = {}) {
  KbEntry e;
  e.id = id;
  e.name = id;
  e.signatures.records = std::move(records);
  for (std::string& h : hosts) {
    RequestSignature r;
    r.host = std::move(h);
    e.signatures.requests.push_back(r);
  }
  return e;
}

Observation Obs(ObservationKind kind, std::string key, std::string subject, Proof proof) {
  Observation o;
  o.kind = kind;
  o.key = std::move(key);
  o.subject = std::move(subject);
  o.proof = proof;
  return o;
}

std::shared_ptr<const KbIndex> Index() {
  std::vector<KbEntry> v;
  v.push_back(Entry("mailer", {Rec(ObservationKind::kSpfInclude, "servers.mailer.example"),
                               Rec(ObservationKind::kDkimKey, "dkim.mailer.example"),
                               Rec(ObservationKind::kVerificationToken, "mailer-verification=")}));
  v.push_back(Entry("sender", {Rec(ObservationKind::kMailSent, "sender.example"),
                               Rec(ObservationKind::kDkimKey, "sender.example")}));
  v.push_back(Entry("pixel", {Rec(ObservationKind::kTagConfigured, "pxl")}, {"px.pixel.example"}));
  v.push_back(Entry("audiences", {Rec(ObservationKind::kAudience, "meta:customer_list")}));
  return KbIndex::Build(std::make_shared<const Kb>(Kb::FromEntries(std::move(v))));
}

DetectionResult DetectAll(std::vector<std::shared_ptr<DiscoveryReport>> reports) {
  Detector d(Index());
  int n = 0;
  for (auto& r : reports) d.AddDiscovery("file" + std::to_string(++n), r);
  return d.Finish();
}

TEST(DiscoveryMatch, HostKindsMatchByLabelSuffixAndTokensByPrefix) {
  auto zone = std::make_shared<DiscoveryReport>();
  zone->reader = "dns-test";
  zone->subject = "example.org";
  zone->observations = {
      Obs(ObservationKind::kSpfInclude, "eu.servers.mailer.example", "example.org", Proof::kConfigured),
      Obs(ObservationKind::kSpfInclude, "notservers.mailer.example", "example.org", Proof::kConfigured),
      Obs(ObservationKind::kVerificationToken, "Mailer-Verification=abc", "example.org",
          Proof::kAccountExists),
      Obs(ObservationKind::kVerificationToken, "other-verification=abc", "example.org",
          Proof::kAccountExists),
  };
  DetectionResult r = DetectAll({zone});
  ASSERT_EQ(r.touchpoints.size(), 1u);
  const DetectedTouchpoint& t = r.touchpoints[0];
  EXPECT_EQ(t.kb_id, "mailer");
  EXPECT_EQ(t.evidence_count, 2u);
  ASSERT_TRUE(t.discovered.has_value());
  EXPECT_EQ(*t.discovered, Proof::kConfigured);
  EXPECT_TRUE(t.records_only);
  EXPECT_EQ(t.confidence, InferenceConfidence::kMedium);
  EXPECT_TRUE(t.inferred());
  ASSERT_EQ(r.discoveries.size(), 1u);
  EXPECT_EQ(r.discoveries[0].matched, 2u);
  // "notservers.mailer.example" is not under "servers.mailer.example".
  EXPECT_EQ(r.discoveries[0].unattributed, (std::vector<size_t>{1, 3}));
  ASSERT_EQ(r.sources.size(), 1u);
  EXPECT_EQ(r.sources[0].kind, "dns-test");
}

TEST(DiscoveryMatch, DmarcRowSignedWithOwnDomainIsAttributedThroughTheDelegatedSelector) {
  auto zone = std::make_shared<DiscoveryReport>();
  zone->reader = "dns-test";
  Observation dkim = Obs(ObservationKind::kDkimKey, "k2.dkim.mailer.example", "K2._domainkey.example.org.",
                         Proof::kConfigured);
  zone->observations = {dkim};
  auto dmarc = std::make_shared<DiscoveryReport>();
  dmarc->reader = "dmarc";
  Observation row = Obs(ObservationKind::kMailSent, "example.org", "example.org", Proof::kSendingNow);
  row.attrs = {{"dkim_domain", "example.org"}, {"dkim_selector", "k2"}, {"dkim_result", "pass"}};
  row.count = 12;
  row.first_date = "2024-03-06";
  row.last_date = "2024-03-07";
  Observation own = Obs(ObservationKind::kMailSent, "example.org", "example.org", Proof::kSendingNow);
  own.attrs = {{"dkim_domain", "example.org"}, {"dkim_selector", "own"}, {"dkim_result", "pass"}};
  // Spoofed: the selector of the platform, but DKIM failed, and SPF from the
  // platform's host failed too; and a row signed by the platform's own domain
  // that failed. None of them proves the platform sent anything.
  Observation spoof = Obs(ObservationKind::kMailSent, "example.org", "example.org", Proof::kSendingNow);
  spoof.attrs = {{"dkim_domain", "example.org"},
                 {"dkim_selector", "k2"},
                 {"dkim_result", "fail"},
                 {"spf_domain", "servers.mailer.example"},
                 {"spf_result", "fail"}};
  Observation forged = Obs(ObservationKind::kMailSent, "sender.example", "example.org", Proof::kSendingNow);
  forged.attrs = {{"dkim_domain", "sender.example"}, {"dkim_result", "fail"}};
  dmarc->observations = {row, own, spoof, forged};
  DetectionResult r = DetectAll({zone, dmarc});
  const DetectedTouchpoint* t = r.Find("mailer");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(*t->discovered, Proof::kSendingNow);
  EXPECT_FALSE(t->inferred());  // sending now counts as seen
  EXPECT_EQ(t->confidence, InferenceConfidence::kHigh);
  EXPECT_EQ(t->records_first_date, "2024-03-06");
  EXPECT_EQ(t->records_last_date, "2024-03-07");
  ASSERT_EQ(r.discoveries.size(), 2u);
  EXPECT_EQ(r.discoveries[1].unattributed, (std::vector<size_t>{1, 2, 3}));  // own selector, spoofed, forged
  EXPECT_EQ(r.Find("sender"), nullptr);
}

TEST(DiscoveryMatch, TagUrlsAreMatchedByRequestSignaturesAndDeclarationsAreNotTouchpoints) {
  auto gtm = std::make_shared<DiscoveryReport>();
  gtm->reader = "gtm";
  Observation html = Obs(ObservationKind::kTagConfigured, "html", "Custom pixel", Proof::kPaused);
  html.urls = {"https://px.pixel.example/p.gif?id=1"};
  Observation cookie = Obs(ObservationKind::kDeclaredCookie, "_ga", "_ga", Proof::kDeclared);
  gtm->observations = {html, cookie};
  DetectionResult r = DetectAll({gtm});
  ASSERT_EQ(r.touchpoints.size(), 1u);
  EXPECT_EQ(r.touchpoints[0].kb_id, "pixel");
  EXPECT_EQ(r.touchpoints[0].confidence, InferenceConfidence::kLow);
  ASSERT_EQ(r.touchpoints[0].evidence.size(), 1u);
  EXPECT_EQ(r.touchpoints[0].evidence[0].kind, EvidenceKind::kRecord);
  EXPECT_EQ(r.touchpoints[0].evidence[0].subject, "Custom pixel");
  EXPECT_TRUE(r.discoveries[0].unattributed.empty());
  EXPECT_EQ(r.discoveries[0].matched, 1u);
}

TEST(DiscoveryMatch, AStrongerRecordReplacesTheWeakestKeptOne) {
  auto zone = std::make_shared<DiscoveryReport>();
  zone->reader = "dns-test";
  for (int i = 0; i < 12; ++i)
    zone->observations.push_back(Obs(ObservationKind::kVerificationToken,
                                     "mailer-verification=" + std::to_string(i),
                                     "n" + std::to_string(i) + ".example.org", Proof::kAccountExists));
  zone->observations.push_back(
      Obs(ObservationKind::kDkimKey, "dkim.mailer.example", "s._domainkey.example.org", Proof::kConfigured));
  DetectionResult r = DetectAll({zone});
  const DetectedTouchpoint* t = r.Find("mailer");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->evidence_count, 13u);
  EXPECT_EQ(t->evidence.size(), DetectedTouchpoint::kMaxEvidence);
  bool has_dkim = false;
  for (const EvidenceItem& e : t->evidence) has_dkim = has_dkim || e.record_kind == ObservationKind::kDkimKey;
  EXPECT_TRUE(has_dkim);
  EXPECT_EQ(*t->discovered, Proof::kConfigured);
}

TEST(DiscoveryMatch, WhatAPersonTypedIsMaskedBeforeAnyReportSeesIt) {
  // A list named after a person, with an address and a phone number; a TXT
  // record holding a contact address: masked as page titles are.
  auto ads = std::make_shared<DiscoveryReport>();
  ads->reader = "meta-audiences";
  Observation list = Obs(ObservationKind::kAudience, "meta:customer_list",
                         "Klanten van jan.jansen@example.nl", Proof::kInUse);
  list.detail = "uploaded by +31 6 1234 5678, see https://crm.example.nl/export?user=jan";
  Observation txt = Obs(ObservationKind::kVerificationToken, "contact=piet@example.org", "example.org",
                        Proof::kAccountExists);
  txt.detail = "contact=piet@example.org";
  ads->observations = {list, txt};
  DetectionResult r = DetectAll({ads});
  const DetectedTouchpoint* t = r.Find("audiences");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->evidence.size(), 1u);
  EXPECT_EQ(t->evidence[0].subject, "Klanten van …");
  EXPECT_EQ(t->evidence[0].detail, "uploaded by …, see https://crm.example.nl/export?user=…");
  const Observation& left = r.discoveries[0].report->observations[1];
  EXPECT_EQ(left.key, "contact=…");
  EXPECT_EQ(left.detail, "contact=…");
  // Record values are not phone numbers: ids and tokens stay.
  Observation dkim = Obs(ObservationKind::kDkimKey, "s1.domainkey.u4821937.wl187.sendgrid.net",
                         "s1._domainkey.example.org", Proof::kConfigured);
  auto zone = std::make_shared<DiscoveryReport>();
  zone->reader = "dns-test";
  zone->observations = {dkim};
  DetectionResult z = DetectAll({zone});
  EXPECT_EQ(z.discoveries[0].report->observations[0].key, "s1.domainkey.u4821937.wl187.sendgrid.net");
}

}  // namespace
}  // namespace blindspot

// Evidence bundles in the application layer, on an in-memory file system:
// verify (intact, a changed byte, a missing file, an extra file, not a
// bundle), the phases of a bundle through detection and the audit (BS022),
// and diff. The bundles are written here with SerializeManifest, as the
// scanner writes them.
#include "blindspot/bundle.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "blindspot/app.h"
#include "blindspot/env.h"

namespace blindspot {
namespace {

const std::string kSite = "https://www.winkel.nl/";

// One HAR entry; `body` makes it an HTML page.
std::string Entry(const std::string& url, const std::string& type, const std::string& body = "",
                  const std::string& set_cookie = "") {
  return fmt::format(
      R"({{"pageref": "p1", "startedDateTime": "2026-12-02T10:00:01Z", "_resourceType": "{}",
  "request": {{"method": "GET", "url": "{}", "headers": [], "cookies": []}},
  "response": {{"status": 200, "headers": [], "cookies": [{}],
    "content": {{"mimeType": "{}", "text": "{}"}}}}}})",
      type, url, set_cookie, body.empty() ? "image/gif" : "text/html", body);
}

std::string Har(const std::vector<std::string>& entries) {
  std::string list;
  for (const std::string& e : entries) list += (list.empty() ? "" : ",\n") + e;
  return fmt::format(R"({{"log": {{"version": "1.2", "creator": {{"name": "blindspot", "version": "0.2.0"}},
  "pages": [{{"id": "p1", "title": "{}", "startedDateTime": "2026-12-02T10:00:00Z"}}],
  "entries": [{}]}}}})",
                     kSite, list);
}

std::string Page(const std::string& html = "<p>Welkom</p>") { return Entry(kSite, "document", html); }
std::string Pixel() {
  return Entry("https://www.facebook.com/tr?id=1&ev=PageView", "image", "",
               R"({"name": "fr", "value": "v", "domain": ".facebook.com"})");
}

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    o_.env = &env_;
    o_.default_filter_lists = false;
  }

  // Writes a bundle at `dir` with one HAR (and a scan.json) per phase, sealed
  // by a manifest, the way the scanner does (CreateDirectories, SerializeManifest).
  void WriteBundle(const std::string& dir, const std::vector<std::pair<ConsentPhase, std::string>>& phases) {
    Manifest m;
    m.tool = {"blindspot", "0.2.0"};
    m.browser = {"Chrome/120.0", "Mozilla/5.0", "1.3"};
    m.command = {"blindspot", "scan", kSite, "--out", dir};
    m.start_url = kSite;
    m.site = "winkel.nl";
    m.started = "2026-12-02T10:00:00Z";
    m.finished = "2026-12-02T10:00:30Z";
    m.options = {1, 1, 30, 600, "nl", false, "", false, false};
    for (const auto& [phase, har] : phases) {
      std::string folder(ToString(phase));
      ASSERT_TRUE(env_.CreateDirectories(dir + "/" + folder).has_value());
      std::string scan = "{\"phase\": \"" + folder + "\"}\n";
      using File = std::pair<std::string, std::string>;
      for (const auto& [name, data] :
           {File{folder + "/capture.har", har}, File{folder + "/scan.json", scan}}) {
        ASSERT_TRUE(env_.WriteFileAtomic(dir + "/" + name, data).has_value());
        m.files.push_back({name, Sha256Hex(data), data.size()});
      }
      m.phases.push_back({phase, folder + "/capture.har", folder + "/scan.json", 1, 1});
    }
    ASSERT_TRUE(env_.WriteFileAtomic(dir + "/manifest.json", SerializeManifest(m)).has_value());
  }

  static size_t CountRule(const AuditResult& r, std::string_view prefix) {
    return static_cast<size_t>(std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
      return f.rule_id.starts_with(prefix);
    }));
  }

  MemEnv env_;
  app::Options o_;
};

// ---- verify ------------------------------------------------------------------------

TEST_F(BundleTest, IntactBundleVerifies) {
  WriteBundle("/ev", {{ConsentPhase::kBeforeConsent, Har({Page()})},
                      {ConsentPhase::kAfterAccept, Har({Page(), Pixel()})}});
  auto check = app::VerifyBundle(o_, "/ev");
  ASSERT_TRUE(check) << check.error().Format();
  EXPECT_TRUE(check->intact());
  EXPECT_EQ(check->files.size(), 4u);
  EXPECT_EQ(check->Count(FileState::kOk), 4u);
  EXPECT_EQ(check->manifest_sha256, Sha256Hex(*env_.Contents("/ev/manifest.json")));
  EXPECT_EQ(check->files.front().path, "after-accept/capture.har");  // sorted
  auto out = app::Verify(o_, {"/ev", ""});
  ASSERT_TRUE(out);
  EXPECT_NE(out->output.find("Seal (SHA-256 of manifest.json): " + check->manifest_sha256), std::string::npos)
      << out->output;
}

TEST_F(BundleTest, ChangedByteMissingFileAndExtraFileAreNamed) {
  std::string har = Har({Page()});
  WriteBundle("/ev", {{ConsentPhase::kBeforeConsent, har}, {ConsentPhase::kAfterReject, Har({Page()})}});
  std::string changed = har;
  changed[changed.find("Welkom")] = 'w';  // one byte, same size
  env_.AddFile("/ev/before-consent/capture.har", changed);
  // "Delete" after-reject/scan.json: MemEnv has no delete; rebuild the env without it.
  MemEnv fresh;
  for (const char* p : {"/ev/manifest.json", "/ev/before-consent/capture.har", "/ev/before-consent/scan.json",
                        "/ev/after-reject/capture.har"})
    fresh.AddFile(p, *env_.Contents(p));
  ASSERT_TRUE(fresh.CreateDirectories("/ev/before-consent").has_value());
  fresh.AddFile("/ev/notes.txt", "later");
  o_.env = &fresh;
  auto check = app::VerifyBundle(o_, "/ev");
  ASSERT_TRUE(check) << check.error().Format();
  EXPECT_FALSE(check->intact());
  auto state = [&](const std::string& path) {
    for (const FileCheck& f : check->files)
      if (f.path == path) return f;
    ADD_FAILURE() << "no " << path;
    return FileCheck{};
  };
  FileCheck c = state("before-consent/capture.har");
  EXPECT_EQ(c.state, FileState::kChanged);
  EXPECT_EQ(c.actual_bytes, c.expected_bytes);  // same size, another hash
  EXPECT_EQ(c.actual_sha256, Sha256Hex(changed));
  EXPECT_EQ(c.expected_sha256, Sha256Hex(har));
  EXPECT_EQ(state("after-reject/scan.json").state, FileState::kMissing);
  FileCheck extra = state("notes.txt");
  EXPECT_EQ(extra.state, FileState::kExtra);
  EXPECT_EQ(extra.actual_bytes, 5u);
  EXPECT_EQ(state("before-consent/scan.json").state, FileState::kOk);
  EXPECT_EQ(check->Count(FileState::kChanged), 1u);
  EXPECT_EQ(check->Count(FileState::kMissing), 1u);
  EXPECT_EQ(check->Count(FileState::kExtra), 1u);

  // Audited anyway, with a note naming what changed.
  app::AuditRequest r;
  r.bundles = {"/ev"};
  r.timestamp = false;
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  std::string notes = fmt::format("{}", fmt::join(audit->notes, "\n"));
  EXPECT_NE(notes.find("the evidence bundle does not match its manifest: after-reject/scan.json missing, "
                       "before-consent/capture.har changed, notes.txt extra; read anyway"),
            std::string::npos)
      << notes;
}

TEST_F(BundleTest, NotABundleIsBadInput) {
  env_.AddDirectory("/plain");
  env_.AddFile("/plain/capture.har", Har({Page()}));
  auto none = app::VerifyBundle(o_, "/plain");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "not an evidence bundle: the folder has no manifest.json");
  EXPECT_EQ(app::ExitCodeFor({none.error()}), app::kExitBadInput);

  auto file = app::VerifyBundle(o_, "/plain/capture.har");
  ASSERT_FALSE(file);
  EXPECT_EQ(app::ExitCodeFor({file.error()}), app::kExitBadInput);

  env_.AddFile("/plain/manifest.json", R"({"log": {"entries": []}})");
  auto har_like = app::VerifyBundle(o_, "/plain");
  ASSERT_FALSE(har_like);
  EXPECT_EQ(har_like.error().path, "format");
  EXPECT_EQ(app::ExitCodeFor({har_like.error()}), app::kExitBadInput);

  auto missing = app::VerifyBundle(o_, "/nowhere");
  ASSERT_FALSE(missing);
  EXPECT_EQ(app::ExitCodeFor({missing.error()}), app::kExitIo);

  // --evidence with a file that is no evidence at all: what it accepts is said.
  env_.AddFile("/plain/notes.txt", "Minutes of the privacy meeting\n");
  app::AuditRequest r;
  r.bundles = {"/plain/notes.txt"};
  auto audit = app::Audit(o_, r);
  ASSERT_FALSE(audit);
  EXPECT_EQ(audit.error().front().message,
            "not evidence blindspot can read; it starts with \"Minutes of the privacy meeting \"");
  EXPECT_EQ(app::ExitCodeFor(audit.error()), app::kExitBadInput);

  // An evidence file given with --evidence is an input: the report never replaces it.
  const std::string zone =
      "$ORIGIN winkel.nl.\n$TTL 3600\n@ IN MX 10 winkel-nl.mail.protection.outlook.com.\n"
      "k2._domainkey IN CNAME dkim2.mcsv.net.\n";
  env_.AddFile("/plain/winkel.nl.zone", zone);
  app::AuditRequest over;
  over.bundles = {"/plain/winkel.nl.zone"};
  over.out_path = "/plain/winkel.nl.zone";
  over.format = "json";
  auto refused = app::Audit(o_, over);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().front().message.find("one of the inputs"), std::string::npos)
      << refused.error().front().message;
  auto kept = env_.ReadFile("/plain/winkel.nl.zone", 1 << 20);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(*kept, zone);
}

// ---- phases through detection and the audit ------------------------------------------

TEST_F(BundleTest, PixelBeforeConsentIsBS022) {
  WriteBundle("/ev", {{ConsentPhase::kBeforeConsent, Har({Page(), Pixel()})},
                      {ConsentPhase::kAfterReject, Har({Page()})},
                      {ConsentPhase::kAfterAccept, Har({Page(), Pixel()})}});
  app::AuditRequest r;
  r.bundles = {"/ev"};
  r.timestamp = false;
  r.format = "json";
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  const DetectionResult& d = audit->result.detection;
  ASSERT_EQ(d.sources.size(), 3u);
  EXPECT_EQ(d.sources[0].name, "before-consent/capture.har");
  EXPECT_EQ(d.sources[0].phase, ConsentPhase::kBeforeConsent);
  EXPECT_EQ(d.sources[2].phase, ConsentPhase::kAfterAccept);
  const DetectedTouchpoint* pixel = d.Find("meta-pixel");
  ASSERT_NE(pixel, nullptr);
  EXPECT_EQ(pixel->phases_active,
            (std::set<ConsentPhase>{ConsentPhase::kBeforeConsent, ConsentPhase::kAfterAccept}));
  ASSERT_EQ(CountRule(audit->result, "BS022"), 1u);
  for (const Finding& f : audit->result.findings)
    if (f.rule_id.starts_with("BS022")) {
      EXPECT_EQ(f.subject_id, "meta-pixel");
      EXPECT_EQ(f.severity, Severity::kHigh);
    }
  // The JSON report: the phase of each source, the phases of each touchpoint.
  nlohmann::json j = nlohmann::json::parse(audit->output);
  EXPECT_EQ(j["evidence"]["sources"][1]["phase"], "after-reject");
  bool found = false;
  for (const auto& t : j["touchpoints"])
    if (t["kb_id"] == "meta-pixel") {
      found = true;
      EXPECT_EQ(t["phases_active"], nlohmann::json::array({"before-consent", "after-accept"}));
    }
  EXPECT_TRUE(found);
}

TEST_F(BundleTest, PixelAfterRejectIsBS022) {
  WriteBundle("/ev", {{ConsentPhase::kAfterReject, Har({Page(), Pixel()})}});
  app::AuditRequest r;
  r.bundles = {"/ev"};
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  EXPECT_EQ(CountRule(audit->result, "BS022"), 1u);
}

TEST_F(BundleTest, PixelOnlyAfterAcceptIsNoFinding) {
  WriteBundle("/ev", {{ConsentPhase::kBeforeConsent, Har({Page()})},
                      {ConsentPhase::kAfterReject, Har({Page()})},
                      {ConsentPhase::kAfterAccept, Har({Page(), Pixel()})}});
  app::AuditRequest r;
  r.bundles = {"/ev"};
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  const DetectedTouchpoint* pixel = audit->result.detection.Find("meta-pixel");
  ASSERT_NE(pixel, nullptr);
  EXPECT_EQ(pixel->phases_active, std::set<ConsentPhase>{ConsentPhase::kAfterAccept});
  EXPECT_EQ(CountRule(audit->result, "BS022"), 0u);
}

TEST_F(BundleTest, AProductProvedBySignalIsActiveInThePhasesOfItsCarrier) {
  // Enhanced conversions has no request of its own: it rides on the Google
  // Ads conversion ping as `em` (a hashed e-mail address). Sent after a
  // reject, that e-mail address left without consent: BS022 for it.
  const std::string ping = Entry(
      "https://www.googleadservices.com/pagead/conversion/123/?label=x&em=tv.1~em.abcdef", "image", "", "");
  // The pixel's advanced matching only suggests a Custom Audience (low
  // confidence, to confirm): no phase for it from that.
  const std::string matching = Entry("https://www.facebook.com/tr?id=1&ev=Lead&ud[em]=abc", "image", "", "");
  WriteBundle("/ev", {{ConsentPhase::kBeforeConsent, Har({Page()})},
                      {ConsentPhase::kAfterReject, Har({Page(), ping})},
                      {ConsentPhase::kAfterAccept, Har({Page(), matching})}});
  app::AuditRequest r;
  r.bundles = {"/ev"};
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  const DetectedTouchpoint* ec = audit->result.detection.Find("google-enhanced-conversions");
  ASSERT_NE(ec, nullptr);
  ASSERT_FALSE(ec->evidence.empty());
  EXPECT_EQ(ec->evidence.front().kind, EvidenceKind::kSignal);
  EXPECT_EQ(ec->phases_active, std::set<ConsentPhase>{ConsentPhase::kAfterReject});
  const DetectedTouchpoint* audiences = audit->result.detection.Find("meta-custom-audiences");
  ASSERT_NE(audiences, nullptr);
  EXPECT_TRUE(audiences->inferred());
  EXPECT_TRUE(audiences->phases_active.empty());
  EXPECT_EQ(audit->result.detection.Find("meta-pixel")->phases_active,
            std::set<ConsentPhase>{ConsentPhase::kAfterAccept});
  size_t bs022 = 0;
  for (const Finding& f : audit->result.findings)
    if (f.rule_id.starts_with("BS022") && f.subject_id == "google-enhanced-conversions") ++bs022;
  EXPECT_EQ(bs022, 1u);
}

TEST_F(BundleTest, LinksBeforeConsentAreNotTracking) {
  // A wa.me link and an m.me link (Messenger: consent required by the kb) on
  // the page before consent: detected, but not active in any phase.
  WriteBundle(
      "/ev",
      {{ConsentPhase::kBeforeConsent,
        Har({Page(
            "<a href='https://wa.me/31612345678'>WhatsApp</a> <a href='https://m.me/winkel'>Chat</a>")})}});
  app::AuditRequest r;
  r.bundles = {"/ev"};
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  const DetectionResult& d = audit->result.detection;
  for (const char* id : {"whatsapp-click-to-chat", "messenger"}) {
    const DetectedTouchpoint* t = d.Find(id);
    ASSERT_NE(t, nullptr) << id;
    EXPECT_TRUE(t->phases_active.empty()) << id;
  }
  ASSERT_NE(d.Find("messenger")->kb, nullptr);
  EXPECT_TRUE(d.Find("messenger")->kb->consent_required.value);  // so the test means something
  EXPECT_EQ(CountRule(audit->result, "BS022"), 0u);
}

TEST_F(BundleTest, HarWithoutPhaseIsNeverBS022) {
  env_.AddFile("/site.har", Har({Page(), Pixel()}));
  app::AuditRequest r;
  r.evidence = {"/site.har"};
  auto audit = app::Audit(o_, r);
  ASSERT_TRUE(audit) << audit.error().front().Format();
  EXPECT_TRUE(audit->result.detection.Find("meta-pixel")->phases_active.empty());
  EXPECT_FALSE(audit->result.detection.HasPhases());
  EXPECT_EQ(CountRule(audit->result, "BS022"), 0u);
}

TEST_F(BundleTest, SeveralBundlesAreNamedBySiteAndPhase) {
  WriteBundle("/a", {{ConsentPhase::kBeforeConsent, Har({Page()})}});
  WriteBundle("/b", {{ConsentPhase::kBeforeConsent, Har({Page()})}});
  env_.AddFile("/x.har", Har({Page()}));
  std::vector<std::string> notes;
  auto sources = app::OpenEvidence(o_, {"/x.har", "/a", "/b"}, &notes);
  ASSERT_TRUE(sources) << sources.error().Format();
  ASSERT_EQ(sources->sources.size(), 3u);
  EXPECT_EQ(sources->sources[0]->name(), "x.har");
  EXPECT_EQ(sources->sources[0]->phase(), ConsentPhase::kUnknown);
  EXPECT_EQ(sources->sources[1]->name(), "winkel.nl/before-consent");
  EXPECT_EQ(sources->sources[2]->name(), "winkel.nl/before-consent (2)");
  EXPECT_EQ(sources->sources[2]->phase(), ConsentPhase::kBeforeConsent);
  EXPECT_TRUE(notes.empty());
}

// ---- diff ---------------------------------------------------------------------------

TEST_F(BundleTest, DiffListsWhatAppearedPerPhase) {
  WriteBundle("/old", {{ConsentPhase::kBeforeConsent, Har({Page(), Pixel()})},
                       {ConsentPhase::kAfterAccept, Har({Page(), Pixel()})}});
  WriteBundle("/new", {{ConsentPhase::kBeforeConsent, Har({Page()})},
                       {ConsentPhase::kAfterAccept, Har({Page(), Pixel()})}});
  app::DiffRequest r;
  r.old_path = "/old";
  r.new_path = "/new";
  auto d = app::Diff(o_, r);
  ASSERT_TRUE(d) << d.error().front().Format();
  ASSERT_EQ(d->diff.phases.size(), 2u);
  const PhaseDiff& before = d->diff.phases[0];
  EXPECT_EQ(before.phase, ConsentPhase::kBeforeConsent);
  EXPECT_EQ(before.touchpoints.disappeared, std::vector<std::string>{"meta-pixel"});
  EXPECT_EQ(before.third_parties.disappeared, std::vector<std::string>{"facebook.com"});
  EXPECT_EQ(before.cookies.disappeared, std::vector<std::string>{"fr @ facebook.com"});
  EXPECT_TRUE(before.touchpoints.appeared.empty());
  EXPECT_EQ(d->diff.phases[1].changes(), 0u);
  EXPECT_EQ(d->diff.changes(), 3u);
  EXPECT_EQ(d->diff.old_name, "old");

  app::DiffRequest same = r;
  same.new_path = "/old";
  auto s = app::Diff(o_, same);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->diff.changes(), 0u);

  env_.AddFile("/x.har", Har({Page()}));
  app::DiffRequest mixed = r;
  mixed.new_path = "/x.har";
  auto m = app::Diff(o_, mixed);
  ASSERT_FALSE(m);
  EXPECT_EQ(app::ExitCodeFor(m.error()), app::kExitBadInput);
}

}  // namespace
}  // namespace blindspot

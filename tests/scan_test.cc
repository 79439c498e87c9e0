// The live scan (issue 7) asserted against the hand-written expectations of
// tests/expectations/scan/<site>.yaml (read here at run time, never copied):
// each site of the local "internet" (tools/webharness, docs/harness.md) is
// scanned once per test process through the CLI (RunCli, in-process) with
// Debian's chromium, and its evidence bundle (docs/formats/evidence.md) is
// read back from disk: scan.json and capture.har per phase, the detection on
// each phase's HAR, and the manifest. Then the safety rules of the scan
// (schemes, private networks, --out, a missing browser, cancel) and, after
// every scan, that no browser process or profile folder is left behind.
//
// The browser profiles go to a private TMPDIR of this process, so that the
// leftover checks see this process's browsers only (other scans may run on
// the same machine). Without /usr/bin/chromium the tests are skipped; under CI
// (environment variable CI set, not "false") that is a failure.
#include "blindspot/scan.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "blindspot/app.h"
#include "blindspot/cli.h"
#include "blindspot/evidence.h"
#include "blindspot_testing/files.h"
#include "blindspot_testing/tools.h"
#include "blindspot_testing/webharness.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;
using StrSet = std::set<std::string>;

namespace {

const fs::path kExpectations = fs::path(BLINDSPOT_SOURCE_DIR) / "tests" / "expectations" / "scan";
constexpr const char* kChromium = "/usr/bin/chromium";
const std::vector<std::string> kPhaseKeys = {"before_consent", "after_reject", "after_accept"};

std::string Folder(const std::string& phase_key) {  // before_consent -> before-consent
  std::string s = phase_key;
  for (char& c : s)
    if (c == '_') c = '-';
  return s;
}

#define REQUIRE_CHROMIUM() BLINDSPOT_REQUIRE_TOOL(kChromium)

using blindspot::testing::Slurp;

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

bool EqualsNoCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string HostOf(const std::string& url) {
  blindspot::UrlParts parts;
  if (!blindspot::SplitUrl(url, &parts)) return "";
  return std::string(parts.host);
}

// Query parameters, names and values URL-decoded.
std::multimap<std::string, std::string> QueryOf(const std::string& url) {
  std::multimap<std::string, std::string> out;
  size_t q = url.find('?');
  if (q == std::string::npos) return out;
  std::string qs =
      url.substr(q + 1, url.find('#') == std::string::npos ? std::string::npos : url.find('#') - q - 1);
  std::stringstream ss(qs);
  std::string kv;
  while (std::getline(ss, kv, '&')) {
    size_t eq = kv.find('=');
    out.emplace(UrlDecode(kv.substr(0, eq)), eq == std::string::npos ? "" : UrlDecode(kv.substr(eq + 1)));
  }
  return out;
}

StrSet Strings(const YAML::Node& n) {
  StrSet out;
  if (n && n.IsSequence())
    for (const auto& x : n) out.insert(x.as<std::string>());
  return out;
}

std::string Show(const StrSet& s) {
  std::string out = "{";
  for (const auto& x : s) out += (out.size() > 1 ? ", " : "") + x;
  return out + "}";
}

// The browser's own background traffic, which the harness answers with 404
// (tests/expectations/scan/README.md: not the site's hosts).
bool BackgroundHost(const std::string& h) {
  auto ends = [&](const std::string& suffix) { return h.size() >= suffix.size() && h.ends_with(suffix); };
  return ends(".googleapis.com") || ends(".gvt1.com") || h == "accounts.google.com" ||
         h == "clients2.google.com" || h == "clients1.google.com" || h == "update.googleapis.com";
}

// ---- leftovers: browser processes and profiles of this process ------------------------

fs::path& PrivateTmp() {
  static fs::path p;
  return p;
}

std::string ProfilePrefix() { return (PrivateTmp() / "blindspot-profile-").string(); }

// Processes whose command line holds this process's browser profile prefix.
std::vector<std::string> BrowsersLeft() {
  std::vector<std::string> out;
  const std::string prefix = ProfilePrefix();
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = Slurp(e.path() / "cmdline");
    for (char& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(prefix) != std::string::npos) out.push_back(name + ": " + cmd.substr(0, 200));
  }
  return out;
}

std::vector<std::string> ProfilesLeft() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(PrivateTmp(), ec))
    if (e.path().filename().string().starts_with("blindspot-profile-")) out.push_back(e.path().string());
  return out;
}

// No chromium of ours left and no profile folder: checked right after a scan
// returned (a process that is still ending gets 2 s).
void ExpectNothingLeft(const std::string& what) {
  std::vector<std::string> procs = BrowsersLeft();
  for (int i = 0; i < 20 && !procs.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    procs = BrowsersLeft();
  }
  EXPECT_TRUE(procs.empty()) << what << ": browser processes left:\n" << ::testing::PrintToString(procs);
  EXPECT_TRUE(ProfilesLeft().empty())
      << what << ": profile folders left: " << ::testing::PrintToString(ProfilesLeft());
}

// ---- the harness and the scans: once per test process ------------------------------------

blindspot::testing::RunningHarness& Harness() {
  static blindspot::testing::RunningHarness h;
  return h;
}

class ScanEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    PrivateTmp() = fs::temp_directory_path() / ("blindspot_scan_tests_" + std::to_string(getpid()));
    fs::remove_all(PrivateTmp());
    fs::create_directories(PrivateTmp());
    setenv("TMPDIR", PrivateTmp().c_str(), 1);  // the scanner's profiles go here
  }
  void TearDown() override {
    if (Harness().running()) Harness().Stop();
    if (!std::getenv("BLINDSPOT_KEEP_SCANS")) fs::remove_all(PrivateTmp());
  }
};
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new ScanEnvironment);

// Starts the harness when it is not running; false (and the reason) when it cannot.
bool EnsureHarness(std::string* why) {
  if (Harness().running()) return true;
  if (!Harness().Start(PrivateTmp() / "webharness.log")) {
    *why = Harness().error();
    return false;
  }
  return true;
}

struct Cli {
  int rc = -1;
  std::string out, err;
  double seconds = 0;
};

Cli RunScanCli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  auto t0 = std::chrono::steady_clock::now();
  Cli c;
  c.rc = blindspot::RunCli(args, out, err);
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  c.out = out.str();
  c.err = err.str();
  return c;
}

// How each site is scanned (the brief of the tests): the shop with forms
// filled and enough pages to reach /afrekenen (breadth first it is the last of
// the 73 pages: linked only from /winkelwagen), the others with 6 pages and
// forms filled too, so "no personal data leaving" is measured.
struct SiteSpec {
  std::string site;
  std::vector<std::string> options;
};
const std::vector<SiteSpec> kSites = {
    {"www.fietshuis-zonnepad.nl", {"--pages", "80", "--concurrency", "2", "--fill-forms"}},
    {"www.kapsalon-de-schaar.nl", {"--pages", "6", "--fill-forms"}},
    {"www.bakkerij-clean.nl", {"--pages", "6", "--fill-forms"}},
};

struct SiteScan {
  YAML::Node exp;
  fs::path out;
  std::vector<std::string> args;  // after "scan"
  Cli cli;
  bool fill_forms = false;
  uint32_t max_pages = 0;
  std::string skip;  // why the scan could not run (no harness)
  std::vector<std::string> procs_left, profiles_left;
  std::map<std::string, Json> scan_json;  // by phase key
  std::map<std::string, Json> har;
  std::map<std::string, blindspot::DetectionResult> detection;
  std::map<std::string, std::string> detect_error;
};

std::map<std::string, SiteScan>& Scans() {
  static std::map<std::string, SiteScan> m;
  return m;
}

// The scan of SITE, run on first use.
SiteScan& ScanOf(const std::string& site) {
  auto it = Scans().find(site);
  if (it != Scans().end()) return it->second;
  SiteScan& s = Scans()[site];
  s.exp = YAML::LoadFile((kExpectations / (site + ".yaml")).string());
  std::string why;
  if (!EnsureHarness(&why)) {
    s.skip = why;
    return s;
  }
  const SiteSpec* spec = nullptr;
  for (const auto& k : kSites)
    if (k.site == site) spec = &k;
  s.out = PrivateTmp() / ("bundle-" + site);
  s.args = {"scan", s.exp["start_url"].as<std::string>()};
  for (const auto& a : Harness().browser_args()) s.args.push_back("--browser-arg=" + a);
  s.args.insert(s.args.end(), {"--out", s.out.string()});
  s.args.insert(s.args.end(), spec->options.begin(), spec->options.end());
  for (size_t i = 0; i < spec->options.size(); ++i) {
    if (spec->options[i] == "--fill-forms") s.fill_forms = true;
    if (spec->options[i] == "--pages") s.max_pages = std::stoul(spec->options[i + 1]);
  }
  s.cli = RunScanCli(s.args);
  std::printf("[ scan     ] %s: exit %d in %.1f s\n", site.c_str(), s.cli.rc, s.cli.seconds);
  s.procs_left = BrowsersLeft();
  for (int i = 0; i < 20 && !s.procs_left.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    s.procs_left = BrowsersLeft();
  }
  s.profiles_left = ProfilesLeft();
  if (s.cli.rc != 0) return s;
  blindspot::app::Options o;
  for (const auto& key : kPhaseKeys) {
    fs::path dir = s.out / Folder(key);
    try {
      s.scan_json[key] = Json::parse(Slurp(dir / "scan.json"));
      s.har[key] = Json::parse(Slurp(dir / "capture.har"));
    } catch (const std::exception& e) {
      s.detect_error[key] = std::string("bundle unreadable: ") + e.what();
      continue;
    }
    blindspot::app::DetectRequest r;
    r.evidence = {(dir / "capture.har").string()};
    r.first_party = {s.exp["first_party"][0].as<std::string>()};
    auto d = blindspot::app::Detect(o, r);
    if (d)
      s.detection[key] = std::move(d->detection);
    else
      s.detect_error[key] = d.error().empty() ? "detect failed" : d.error().front().message;
  }
  return s;
}

// ---- per site and phase ----------------------------------------------------------------

struct SitePhase {
  std::string site, phase;
};
void PrintTo(const SitePhase& p, std::ostream* os) { *os << p.site << " " << p.phase; }
// "www.kapsalon-de-schaar.nl" -> "kapsalon_de_schaar" (a test name part).
std::string ShortName(const std::string& site) {
  std::string s = site.substr(4, site.find('.', 4) - 4);
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}
std::string SitePhaseName(const ::testing::TestParamInfo<SitePhase>& info) {
  return ShortName(info.param.site) + "_" + info.param.phase;
}

class ScanPhase : public ::testing::TestWithParam<SitePhase> {
 protected:
  void SetUp() override {
    REQUIRE_CHROMIUM();
    s_ = &ScanOf(GetParam().site);
    ASSERT_TRUE(s_->skip.empty()) << s_->skip;
    ASSERT_EQ(s_->cli.rc, 0) << s_->cli.err;
    key_ = GetParam().phase;
    ASSERT_TRUE(s_->detect_error[key_].empty()) << s_->detect_error[key_];
    e_ = s_->exp["phases"][key_];
    ASSERT_TRUE(e_.IsMap()) << "no phase " << key_ << " in the expectations";
    j_ = &s_->scan_json[key_];
    har_ = &s_->har[key_];
    site_ = s_->exp["first_party"][0].as<std::string>();
  }
  // Every third-party host of the phase's HAR (browser background traffic left out).
  StrSet HarThirdPartyHosts() const {
    StrSet out;
    for (const auto& e : (*har_)["log"]["entries"]) {
      std::string h = HostOf(e["request"].value("url", ""));
      if (h.empty() || blindspot::RegistrableDomain(h) == site_ || BackgroundHost(h)) continue;
      out.insert(h);
    }
    return out;
  }
  // Expected set with the _with_fill_forms addition when forms were filled.
  StrSet WithFill(const std::string& base) const {
    StrSet out = Strings(e_[base]);
    if (s_->fill_forms) {
      StrSet more = Strings(e_[base + "_with_fill_forms"]);
      out.insert(more.begin(), more.end());
    }
    return out;
  }
  SiteScan* s_ = nullptr;
  std::string key_, site_;
  YAML::Node e_;
  const Json* j_ = nullptr;
  const Json* har_ = nullptr;
};

TEST_P(ScanPhase, TouchpointsDetectedInThePhaseHarAreExactlyTheExpectedOnes) {
  StrSet seen;
  for (const auto& t : s_->detection[key_].touchpoints)
    if (!t.inferred()) seen.insert(t.kb_id);
  EXPECT_EQ(seen, WithFill("touchpoints")) << "seen " << Show(seen);
  for (const auto& id : Strings(e_["not_touchpoints"])) EXPECT_EQ(seen.count(id), 0u) << id << " must not be";
  if (s_->exp["must_not_hosts"] && Strings(s_->exp["must_not_hosts"]).count("*")) {
    EXPECT_TRUE(s_->detection[key_].touchpoints.empty());
    EXPECT_TRUE(s_->detection[key_].unidentified.empty()) << "an unidentified tracker on the clean site";
  }
}

TEST_P(ScanPhase, ThirdPartyHostsAreExactlyTheExpectedOnes) {
  StrSet har = HarThirdPartyHosts();
  EXPECT_EQ(har, WithFill("hosts")) << "HAR third-party hosts " << Show(har);
  for (const auto& h : Strings(e_["hosts_not"])) EXPECT_EQ(har.count(h), 0u) << h << " was contacted";
  StrSet must_not = Strings(s_->exp["must_not_hosts"]);
  if (must_not.count("*")) {
    EXPECT_TRUE(har.empty()) << Show(har);
  } else {
    for (const auto& h : must_not) EXPECT_EQ(har.count(h), 0u) << h << " was contacted";
  }
  // scan.json says the same.
  StrSet listed;
  for (const auto& h : (*j_)["third_party_hosts"]) listed.insert(h.get<std::string>());
  EXPECT_EQ(listed, har) << "scan.json third_party_hosts differ from the HAR";
}

TEST_P(ScanPhase, CookiesInTheJarAndAttempted) {
  StrSet first, third, blocked;
  for (const auto& c : (*j_)["cookies"]) {
    (c.value("third_party", false) ? third : first).insert(c.value("name", ""));
    if (!c.value("third_party", false)) {
      EXPECT_EQ(blindspot::RegistrableDomain(
                    c.value("domain", "").substr(c.value("domain", "").starts_with(".") ? 1 : 0)),
                site_)
          << c.dump();
    }
  }
  for (const auto& c : (*j_)["blocked_cookies"]) blocked.insert(c.value("name", ""));
  EXPECT_EQ(first, Strings(e_["cookies"]["first_party"])) << "first-party jar " << Show(first);
  // Third-party Set-Cookie: stored (third_party) or refused (blocked_cookies),
  // depending on the browser's third-party cookie setting (expectations README).
  StrSet attempted = third;
  attempted.insert(blocked.begin(), blocked.end());
  EXPECT_EQ(attempted, Strings(e_["cookies"]["third_party_attempted"]))
      << "third-party jar " << Show(third) << ", blocked " << Show(blocked);
  for (const auto& n : Strings(e_["cookies"]["not"]))
    EXPECT_TRUE(!first.count(n) && !attempted.count(n)) << n << " must not be set";
  // OneTrust's stored choice, as the browser sends it back to the site.
  if (auto g = e_["cookies"]["optanon_consent_groups"]) {
    std::string want = "groups=" + g.as<std::string>();
    size_t sent = 0, right = 0;
    for (const auto& e : (*har_)["log"]["entries"]) {
      if (blindspot::RegistrableDomain(HostOf(e["request"].value("url", ""))) != site_) continue;
      for (const auto& h : e["request"]["headers"]) {
        if (!EqualsNoCase(h.value("name", ""), "cookie")) continue;
        std::smatch m;
        std::string v = h.value("value", "");
        if (!std::regex_search(v, m, std::regex("OptanonConsent=([^;]*)"))) continue;
        ++sent;
        std::string decoded = UrlDecode(m[1]);
        if (decoded.find(want + "&") != std::string::npos || decoded.ends_with(want)) ++right;
      }
    }
    EXPECT_GT(sent, 0u) << "OptanonConsent never sent";
    EXPECT_EQ(right, sent) << "OptanonConsent without " << want;
  }
}

TEST_P(ScanPhase, LocalStorageKeys) {
  StrSet keys;
  for (const auto& k : (*j_)["storage"]["local"]) keys.insert(k.value("key", ""));
  EXPECT_EQ(keys, Strings(e_["local_storage"]));
}

TEST_P(ScanPhase, ConsentManagerFoundAndOperated) {
  const Json& c = (*j_)["consent"];
  YAML::Node cm = s_->exp["consent_manager"];
  if (!cm || cm.IsNull()) {
    EXPECT_FALSE(c.value("banner_found", true)) << c.dump();
    EXPECT_EQ(c.value("consent_manager", "?"), "");
    EXPECT_EQ(c.value("result", ""), "no-banner") << "the scan must say that no banner was found";
    return;
  }
  EXPECT_TRUE(c.value("banner_found", false));
  EXPECT_EQ(c.value("consent_manager", ""), cm["name"].as<std::string>());
  EXPECT_EQ(c.value("result", ""), key_ == "before_consent" ? "not-attempted" : "clicked") << c.dump();
  EXPECT_EQ(c.value("action", ""), key_ == "before_consent" ? "none"
                                   : key_ == "after_reject" ? "reject"
                                                            : "accept");
  if (key_ == "after_reject" && cm["self_test_after_reject"]) {
    ASSERT_TRUE(c["self_test"].is_boolean()) << c.dump();
    EXPECT_EQ(c["self_test"].get<bool>(), cm["self_test_after_reject"].as<bool>());
  }
  // The first layer's buttons, by role (the expectation names OneTrust's handlers).
  StrSet roles, want;
  for (const auto& b : c["first_layer_buttons"]) roles.insert(b.value("role", ""));
  for (const auto& sel : Strings(cm["first_layer_buttons"])) {
    if (sel.find("accept") != std::string::npos) want.insert("accept");
    if (sel.find("reject") != std::string::npos) want.insert("reject");
    if (sel.find("pc-btn") != std::string::npos || sel.find("setting") != std::string::npos)
      want.insert("settings");
  }
  EXPECT_EQ(want, (StrSet{"accept", "reject", "settings"}));
  for (const auto& r : want) EXPECT_EQ(roles.count(r), 1u) << "no " << r << " button: " << c.dump();
  // The consent manager's own declaration was loaded (in the phase that has the first load).
  if (key_ == "before_consent" && cm["declaration_url"]) {
    bool loaded = false;
    for (const auto& e : (*har_)["log"]["entries"])
      if (e["request"].value("url", "") == cm["declaration_url"].as<std::string>() &&
          e["response"].value("status", 0) == 200)
        loaded = true;
    EXPECT_TRUE(loaded) << cm["declaration_url"].as<std::string>();
  }
}

TEST_P(ScanPhase, SettingsLayerTogglesReadWithoutClicking) {
  YAML::Node cm = s_->exp["consent_manager"];
  if (!cm || cm.IsNull() || !cm["second_layer_before_consent"] || key_ != "before_consent") GTEST_SKIP();
  const Json& c = (*j_)["consent"];
  ASSERT_TRUE(c.contains("second_layer")) << c.dump();
  std::map<std::string, bool> seen;
  for (const auto& t : c["second_layer"])
    if (t.value("kind", "") == "category") seen[t.value("category", "")] = t.value("checked", false);
  for (const auto& kv : cm["second_layer_before_consent"]) {
    std::string category = kv.first.as<std::string>();
    ASSERT_TRUE(seen.count(category)) << category << " not read: " << c["second_layer"].dump();
    EXPECT_EQ(seen[category], kv.second.as<bool>()) << category;
  }
  // The probe also measured the banner and found no TCF consent manager.
  ASSERT_TRUE(c.contains("banner")) << c.dump();
  EXPECT_GT(c["banner"].value("viewport_share", 0.0), 0.0);
  EXPECT_LT(c["banner"].value("viewport_share", 1.0), 0.9);
  EXPECT_FALSE(c.contains("tcf"));
}

TEST_P(ScanPhase, PersonalDataLeavingWithFillForms) {
  ASSERT_TRUE(s_->fill_forms) << "every site is scanned with --fill-forms";
  // The forms were filled at all (else "no leak" proves nothing).
  size_t filled = 0;
  for (const auto& p : (*j_)["pages"])
    if (p.contains("filled") && p["filled"].is_array()) filled += p["filled"].size();
  bool has_forms = s_->exp["forms"] && s_->exp["forms"].size() > 0;
  if (has_forms) {
    EXPECT_GT(filled, 0u) << "no field was filled";
  }
  // Field, encoding, host and parameter (the values are the scan's own test
  // identity with a random e-mail tag: not compared).
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen, want;
  for (const auto& l : (*j_)["leaks"])
    seen.emplace(l.value("host", ""), l.value("where", ""), l.value("field", ""), l.value("encoding", ""));
  for (const auto& p : e_["personal_data"])
    want.emplace(p["host"].as<std::string>(), p["param"].as<std::string>(), p["value"].as<std::string>(),
                 p["encoding"].as<std::string>());
  EXPECT_EQ(seen, want) << (*j_)["leaks"].dump(1);
  for (const auto& l : (*j_)["leaks"]) {
    std::string enc = l.value("encoding", "");
    EXPECT_TRUE(enc != "plain" && enc != "url") << "a form value in clear: " << l.dump();
    // The leak points at a real request of the phase's HAR.
    size_t entry = l.value("entry", size_t(-1));
    const auto& entries = (*har_)["log"]["entries"];
    ASSERT_LT(entry, entries.size()) << l.dump();
    EXPECT_EQ(HostOf(entries[entry]["request"].value("url", "")), l.value("host", "")) << l.dump();
    auto q = QueryOf(entries[entry]["request"].value("url", ""));
    if (l.value("place", "") == "query") {
      auto it = q.find(l.value("where", ""));
      ASSERT_NE(it, q.end()) << l.dump();
      if (enc == "sha256") {
        EXPECT_TRUE(std::regex_search(it->second, std::regex("[0-9a-f]{64}"))) << it->second;
      }
    }
  }
}

// A JSON value at a dotted path ("context.page.url"), or anywhere under that key name.
std::optional<std::string> JsonAt(const Json& j, const std::string& path) {
  const Json* cur = &j;
  std::stringstream ss(path);
  std::string part;
  bool ok = true;
  while (std::getline(ss, part, '.')) {
    if (!cur->is_object() || !cur->contains(part)) {
      ok = false;
      break;
    }
    cur = &(*cur)[part];
  }
  if (ok && cur->is_string()) return cur->get<std::string>();
  return std::nullopt;
}

TEST_P(ScanPhase, PageUrlsCarriedToThirdParties) {
  const std::string origin = s_->exp["start_url"].as<std::string>();
  for (const auto& want : e_["page_urls_to"]) {
    std::string host = want["host"].as<std::string>(), param = want["param"].as<std::string>();
    bool body = want["in"] && want["in"].as<std::string>() == "json_body";
    size_t carried = 0;
    for (const auto& e : (*har_)["log"]["entries"]) {
      const std::string url = e["request"].value("url", "");
      if (HostOf(url) != host) continue;
      std::optional<std::string> v;
      if (body) {
        std::string text =
            e["request"].contains("postData") ? e["request"]["postData"].value("text", "") : "";
        Json pj = Json::parse(text, nullptr, false);
        if (!pj.is_discarded()) v = JsonAt(pj, param);
      } else {
        auto q = QueryOf(url);
        if (auto it = q.find(param); it != q.end()) v = it->second;
      }
      if (v && v->starts_with(origin)) ++carried;
    }
    EXPECT_GT(carried, 0u) << "no page URL in " << param << " to " << host;
  }
}

std::vector<SitePhase> AllSitePhases() {
  std::vector<SitePhase> out;
  for (const auto& s : kSites)
    for (const auto& p : kPhaseKeys) out.push_back({s.site, p});
  return out;
}
INSTANTIATE_TEST_SUITE_P(Sites, ScanPhase, ::testing::ValuesIn(AllSitePhases()), SitePhaseName);

// ---- per site ------------------------------------------------------------------------

class ScanSite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    REQUIRE_CHROMIUM();
    s_ = &ScanOf(GetParam());
    ASSERT_TRUE(s_->skip.empty()) << s_->skip;
    ASSERT_EQ(s_->cli.rc, 0) << s_->cli.err;
    ASSERT_EQ(s_->scan_json.size(), 3u);
    origin_ = s_->exp["start_url"].as<std::string>();
    origin_.pop_back();  // no trailing slash
  }
  // Every page record of the phase with URL `page` (a path).
  const Json* Page(const std::string& key, const std::string& path) const {
    for (const auto& p : s_->scan_json[key]["pages"])
      if (p.value("url", "") == origin_ + path) return &p;
    return nullptr;
  }
  SiteScan* s_ = nullptr;
  std::string origin_;
};

TEST_P(ScanSite, NoBrowserOrProfileLeftAfterTheScan) {
  EXPECT_TRUE(s_->procs_left.empty()) << ::testing::PrintToString(s_->procs_left);
  EXPECT_TRUE(s_->profiles_left.empty()) << ::testing::PrintToString(s_->profiles_left);
}

TEST_P(ScanSite, CrawlReachesEveryPageAndEveryPhaseVisitsTheSame) {
  size_t min_pages = s_->exp["min_pages"].as<size_t>();
  std::vector<std::string> first;
  for (const auto& p : s_->scan_json["before_consent"]["pages"]) {
    first.push_back(p.value("url", ""));
    EXPECT_FALSE(p.contains("error") && p["error"].is_string() && !p["error"].get<std::string>().empty())
        << p.value("url", "") << ": " << p["error"];
  }
  if (s_->max_pages > min_pages)
    EXPECT_EQ(first.size(), min_pages) << "all reachable pages, and no more";
  else
    EXPECT_EQ(first.size(), s_->max_pages);
  for (const auto& f : s_->exp["forms"])
    EXPECT_NE(std::find(first.begin(), first.end(), origin_ + f["page"].as<std::string>()), first.end())
        << f["page"].as<std::string>() << " not crawled";
  for (const auto& key : {"after_reject", "after_accept"}) {
    std::vector<std::string> urls;
    for (const auto& p : s_->scan_json[key]["pages"]) urls.push_back(p.value("url", ""));
    EXPECT_EQ(StrSet(urls.begin(), urls.end()), StrSet(first.begin(), first.end())) << key;
  }
}

TEST_P(ScanSite, ContactLinksRecordedByKind) {
  for (const auto& key : kPhaseKeys) {
    for (const auto& l : s_->exp["links"]) {
      std::string kind = l["kind"].as<std::string>(), url = l["url"].as<std::string>();
      StrSet accept = {url};
      // A call-tracking script may swap the number in the live DOM (the note says to what).
      std::smatch m;
      std::string note = l["note"] ? l["note"].as<std::string>() : "";
      if (std::regex_search(note, m, std::regex(R"(swaps it to (tel:\+?\d+))"))) accept.insert(m[1]);
      bool found = false;
      for (const auto& p : s_->scan_json[key]["pages"]) {
        if (l["page"] && p.value("url", "") != origin_ + l["page"].as<std::string>()) continue;
        for (const auto& c : p["contact_links"])
          if (c.value("kind", "") == kind && accept.count(c.value("href", ""))) found = true;
      }
      EXPECT_TRUE(found) << key << ": no " << kind << " link " << url;
    }
  }
}

TEST_P(ScanSite, FormsAskingForPersonalData) {
  for (const auto& key : kPhaseKeys) {
    for (const auto& f : s_->exp["forms"]) {
      const Json* page = Page(key, f["page"].as<std::string>());
      ASSERT_NE(page, nullptr) << key << " " << f["page"].as<std::string>();
      const Json* form = nullptr;
      for (const auto& x : (*page)["forms"])
        if (x.value("id", "") == f["id"].as<std::string>()) form = &x;
      ASSERT_NE(form, nullptr) << key << ": no form " << f["id"].as<std::string>() << " in "
                               << (*page)["forms"];
      EXPECT_EQ(form->value("action", ""), f["action"].as<std::string>());
      EXPECT_EQ(form->value("method", ""), f["method"].as<std::string>());
      EXPECT_FALSE(form->value("insecure_action", true));
      StrSet personal;
      for (const auto& fld : (*form)["fields"])
        if (!fld.value("kind", "").empty()) personal.insert(fld.value("name", ""));
      EXPECT_EQ(personal, Strings(f["personal_fields"])) << key << " " << (*form)["fields"].dump();
      EXPECT_FALSE((*form)["asks_personal_data"].empty());
    }
  }
}

TEST_P(ScanSite, PrivacyAndCookieStatements) {
  const YAML::Node st = s_->exp["statements"];
  for (const auto& key : kPhaseKeys) {
    std::map<std::string, StrSet> by_kind;
    for (const auto& p : s_->scan_json[key]["pages"])
      for (const auto& x : p["statements"]) by_kind[x.value("kind", "")].insert(x.value("href", ""));
    for (const char* kind : {"privacy", "cookies"}) {
      StrSet want;
      if (st[kind] && !st[kind].IsNull()) want.insert(st[kind].as<std::string>());
      EXPECT_EQ(by_kind[kind], want) << key << " " << kind;
    }
  }
  // What the privacy statement names, in the page text the bundle keeps.
  const Json* page = Page("before_consent", st["privacy"].as<std::string>().substr(origin_.size()));
  ASSERT_NE(page, nullptr);
  std::string text = Slurp(s_->out / "before-consent" / page->value("text", "?"));
  ASSERT_FALSE(text.empty());
  for (const auto& n : Strings(st["privacy_names"])) EXPECT_NE(text.find(n), std::string::npos) << n;
  for (const auto& n : Strings(st["privacy_does_not_name"])) EXPECT_EQ(text.find(n), std::string::npos) << n;
}

TEST_P(ScanSite, ManifestListsEveryFileWithItsHashSizePhasesAndCommand) {
  Json m = Json::parse(Slurp(s_->out / "manifest.json"));
  EXPECT_EQ(m.value("format", ""), "blindspot-evidence");
  EXPECT_EQ(m["tool"].value("name", ""), "blindspot");
  EXPECT_FALSE(m["browser"].value("product", "").empty());
  EXPECT_FALSE(m.value("started", "").empty());
  EXPECT_FALSE(m.value("finished", "").empty());
  EXPECT_EQ(m.value("site", ""), s_->exp["first_party"][0].as<std::string>());
  std::vector<std::string> command = {"blindspot"};
  command.insert(command.end(), s_->args.begin(), s_->args.end());
  EXPECT_EQ(m["command"].get<std::vector<std::string>>(), command);
  std::vector<std::string> phases;
  for (const auto& p : m["phases"]) {
    phases.push_back(p.value("name", ""));
    EXPECT_TRUE(fs::exists(s_->out / p.value("har", "?"))) << p.dump();
    EXPECT_TRUE(fs::exists(s_->out / p.value("scan", "?"))) << p.dump();
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"before-consent", "after-reject", "after-accept"}));
  StrSet listed, on_disk;
  for (const auto& f : m["files"]) {
    std::string path = f.value("path", "");
    listed.insert(path);
    std::string data = Slurp(s_->out / path);
    EXPECT_EQ(f.value("sha256", ""), Sha256Hex(data)) << path;
    EXPECT_EQ(f.value("bytes", uint64_t{0}), data.size()) << path;
  }
  for (const auto& e : fs::recursive_directory_iterator(s_->out))
    if (e.is_regular_file()) on_disk.insert(fs::relative(e.path(), s_->out).string());
  on_disk.erase("manifest.json");
  EXPECT_EQ(listed, on_disk);
  // Per phase: the HAR, scan.json, and a text and a screenshot per page.
  for (const auto& key : kPhaseKeys) {
    std::string dir = Folder(key);
    EXPECT_TRUE(listed.count(dir + "/capture.har") && listed.count(dir + "/scan.json")) << dir;
    for (const auto& p : s_->scan_json[key]["pages"]) {
      EXPECT_TRUE(listed.count(dir + "/" + p.value("text", "?"))) << p.value("url", "");
      EXPECT_TRUE(listed.count(dir + "/" + p.value("screenshot", "?"))) << p.value("url", "");
    }
  }
}

std::vector<std::string> AllSites() {
  std::vector<std::string> out;
  for (const auto& s : kSites) out.push_back(s.site);
  return out;
}
INSTANTIATE_TEST_SUITE_P(Sites, ScanSite, ::testing::ValuesIn(AllSites()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return ShortName(i.param); });

// ---- safety ----------------------------------------------------------------------------

class ScanSafety : public ::testing::Test {
 protected:
  static fs::path FreshOut(const std::string& name) {
    fs::path p = PrivateTmp() / ("out-" + name);
    fs::remove_all(p);
    return p;
  }
};

TEST_F(ScanSafety, NonWebSchemesAreRefusedBeforeAnythingStarts) {
  const std::vector<std::pair<std::string, std::string>> urls = {{"file:///etc/passwd", "file"},
                                                                 {"chrome://settings", "chrome"},
                                                                 {"data:text/html,x", "data"},
                                                                 {"javascript:alert(1)", "javascript"}};
  for (const auto& [url, scheme] : urls) {
    fs::path out = FreshOut("scheme");
    Cli c = RunScanCli({"scan", url, "--out", out.string()});
    EXPECT_EQ(c.rc, 2) << url << "\n" << c.err;
    EXPECT_NE(c.err.find("refusing to scan a " + scheme + ": URL"), std::string::npos) << c.err;
    EXPECT_FALSE(fs::exists(out)) << url;
    ExpectNothingLeft(url);
  }
}

TEST_F(ScanSafety, NoPrivateNetworksRefusesLoopback) {
  for (const char* url :
       {"http://127.0.0.1/", "http://localhost/", "http://[::1]:8080/", "http://10.1.2.3/"}) {
    fs::path out = FreshOut("private");
    Cli c = RunScanCli({"scan", url, "--no-private-networks", "--out", out.string()});
    EXPECT_EQ(c.rc, 2) << url << "\n" << c.err;
    EXPECT_NE(c.err.find("a loopback or private address"), std::string::npos) << c.err;
    EXPECT_FALSE(fs::exists(out)) << url;
  }
  ExpectNothingLeft("--no-private-networks");
}

TEST_F(ScanSafety, AnOutFolderThatIsNotEmptyIsRefusedAndLeftAsItWas) {
  fs::path out = FreshOut("nonempty");
  fs::create_directories(out);
  std::ofstream(out / "keep.txt") << "mine";
  Cli c = RunScanCli({"scan", "https://www.bakkerij-clean.nl/", "--out", out.string()});
  EXPECT_EQ(c.rc, 2) << c.err;
  EXPECT_NE(c.err.find("is not empty"), std::string::npos) << c.err;
  std::vector<std::string> entries;
  for (const auto& e : fs::recursive_directory_iterator(out)) entries.push_back(e.path().filename());
  EXPECT_EQ(entries, std::vector<std::string>{"keep.txt"});
  EXPECT_EQ(Slurp(out / "keep.txt"), "mine");
  ExpectNothingLeft("non-empty --out");
}

TEST_F(ScanSafety, AMissingBrowserIsAnIoErrorWithAClearMessage) {
  fs::path out = FreshOut("nobrowser");
  Cli c = RunScanCli(
      {"scan", "https://www.bakkerij-clean.nl/", "--browser", "/nonexistent", "--out", out.string()});
  EXPECT_EQ(c.rc, 4) << c.err;
  EXPECT_NE(c.err.find("cannot run the browser /nonexistent"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out));
  ExpectNothingLeft("--browser /nonexistent");
}

TEST_F(ScanSafety, AnUnknownPhaseIsAUsageError) {
  fs::path out = FreshOut("phases");
  Cli c = RunScanCli({"scan", "https://www.bakkerij-clean.nl/", "--phases", "bogus", "--out", out.string()});
  EXPECT_EQ(c.rc, 2) << c.err;
  EXPECT_NE(c.err.find("unknown phase 'bogus'"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(ScanSafety, CancelEndsTheScanSoonWritesNothingAndLeavesNothing) {
  REQUIRE_CHROMIUM();
  std::string why;
  ASSERT_TRUE(EnsureHarness(&why)) << why;
  fs::path out = FreshOut("cancel");
  std::vector<std::string> args = {"scan", "https://www.fietshuis-zonnepad.nl/"};
  for (const auto& a : Harness().browser_args()) args.push_back("--browser-arg=" + a);
  args.insert(args.end(), {"--out", out.string(), "--pages", "40"});
  Cli c;
  std::atomic<bool> done{false};
  std::thread t([&] {
    c = RunScanCli(args);
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  bool finished_early = done.load();
  blindspot::scan::CancelFlag().store(true);
  auto t0 = std::chrono::steady_clock::now();
  while (!done.load() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t.join();
  blindspot::scan::CancelFlag().store(false);
  ASSERT_FALSE(finished_early) << "the scan ended before it was cancelled: " << c.err;
  EXPECT_LT(after, 5.0) << "the scan took " << after << " s to end after the cancel";
  EXPECT_NE(c.rc, 0);
  EXPECT_NE(c.err.find("cancelled"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << "something was written to --out";
  ExpectNothingLeft("cancel");
}

}  // namespace

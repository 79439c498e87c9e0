// The bundle module: SHA-256, manifest.json written and read back, every
// problem ParseManifest names (with its JSON path), bundle paths, the
// snapshots and comparison of diff.
#include "blindspot/bundle.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace blindspot {
namespace {

using Json = nlohmann::ordered_json;

TEST(Sha256, KnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  EXPECT_EQ(h.HexDigest(), Sha256Hex("abc"));
}

Manifest Example() {
  Manifest m;
  m.tool = {"blindspot", "0.2.0"};
  m.browser = {"Chrome/156.0.8078.114", "Mozilla/5.0 (X11)", "1.3"};
  m.command = {"blindspot", "scan", "https://www.example.nl", "--out", "evidence/"};
  m.start_url = "https://www.example.nl/";
  m.site = "example.nl";
  m.started = "2026-12-02T10:00:00Z";
  m.finished = "2026-12-02T10:00:41.250Z";
  m.options = {20, 2, 30, 600, "nl", false, "", true, false};
  m.phases = {
      {ConsentPhase::kBeforeConsent, "before-consent/capture.har", "before-consent/scan.json", 12, 311},
      {ConsentPhase::kAfterAccept, "after-accept/capture.har", "", 3, 40}};
  // Not sorted here: the writer sorts.
  m.files = {{"before-consent/scan.json", Sha256Hex("{}"), 2},
             {"after-accept/capture.har", Sha256Hex("b"), 1},
             {"before-consent/capture.har", Sha256Hex("a"), 1}};
  return m;
}

TEST(Manifest, RoundTripIsStableAndSortsFiles) {
  Manifest m = Example();
  std::string text = SerializeManifest(m);
  auto back = ParseManifest(text, "manifest.json");
  ASSERT_TRUE(back) << back.error().Format();
  EXPECT_EQ(SerializeManifest(*back), text);
  ASSERT_EQ(back->files.size(), 3u);
  EXPECT_EQ(back->files[0].path, "after-accept/capture.har");
  EXPECT_EQ(back->files[2].path, "before-consent/scan.json");
  EXPECT_EQ(back->phases.at(1).phase, ConsentPhase::kAfterAccept);
  EXPECT_EQ(back->phases.at(1).scan, "");
  EXPECT_EQ(back->phases.at(0).requests, 311u);
  EXPECT_EQ(back->command, m.command);
  EXPECT_EQ(back->options.pages, 20u);
  EXPECT_TRUE(back->options.fill_forms);
  EXPECT_EQ(back->finished, "2026-12-02T10:00:41.250Z");
  // Documented key order, two-space indentation, a final newline.
  EXPECT_TRUE(
      text.starts_with("{\n  \"format\": \"blindspot-evidence\",\n  \"format_version\": 1,\n  \"tool\""))
      << text;
  EXPECT_TRUE(text.ends_with("}\n"));
  EXPECT_LT(text.find("\"options\""), text.find("\"phases\""));
  EXPECT_LT(text.find("\"phases\""), text.find("\"files\""));
}

// Parses the example with one change made to its JSON.
Result<Manifest> ParseChanged(const std::function<void(Json&)>& change) {
  Json j = Json::parse(SerializeManifest(Example()));
  change(j);
  return ParseManifest(j.dump(), "ev/manifest.json");
}

struct BadCase {
  const char* what;
  std::function<void(Json&)> change;
  ErrorKind kind;
  const char* path;
  const char* message;  // a part of the message
};

TEST(Manifest, EveryProblemIsNamedWithItsPath) {
  const BadCase cases[] = {
      {"another format", [](Json& j) { j["format"] = "har"; }, ErrorKind::kSchema, "format",
       "not a blindspot evidence manifest: 'har'"},
      {"no format", [](Json& j) { j.erase("format"); }, ErrorKind::kSchema, "format",
       "missing: not a blindspot evidence manifest"},
      {"newer version", [](Json& j) { j["format_version"] = 2; }, ErrorKind::kSchema, "format_version",
       "version 2 is newer than this blindspot reads (1)"},
      {"version as text", [](Json& j) { j["format_version"] = "1"; }, ErrorKind::kSchema, "format_version",
       "expected a whole number, found '1'"},
      {"unknown key", [](Json& j) { j["sealed_by"] = "x"; }, ErrorKind::kSchema, "sealed_by", "unknown key"},
      {"missing key", [](Json& j) { j.erase("site"); }, ErrorKind::kSchema, "site", "missing"},
      {"tool not an object", [](Json& j) { j["tool"] = "blindspot"; }, ErrorKind::kSchema, "tool",
       "expected an object, found 'blindspot'"},
      {"tool version a number", [](Json& j) { j["tool"]["version"] = 2; }, ErrorKind::kSchema, "tool.version",
       "expected a string, found number 2"},
      {"browser key misspelt",
       [](Json& j) {
         j["browser"].erase("user_agent");
         j["browser"]["useragent"] = "x";
       },
       ErrorKind::kSchema, "browser.useragent", "unknown key"},
      {"command not an array", [](Json& j) { j["command"] = "blindspot scan"; }, ErrorKind::kSchema,
       "command", "expected an array of strings"},
      {"command item a number", [](Json& j) { j["command"][2] = 20; }, ErrorKind::kSchema, "command[2]",
       "expected a string, found number 20"},
      {"local time", [](Json& j) { j["started"] = "2026-12-02 11:00:00+01:00"; }, ErrorKind::kSchema,
       "started", "not an ISO 8601 UTC time"},
      {"negative pages", [](Json& j) { j["options"]["pages"] = -1; }, ErrorKind::kSchema, "options.pages",
       "expected a whole number >= 0, found number -1"},
      {"mobile as text", [](Json& j) { j["options"]["mobile"] = "no"; }, ErrorKind::kSchema, "options.mobile",
       "expected true or false"},
      {"files not an array", [](Json& j) { j["files"] = Json::object(); }, ErrorKind::kSchema, "files",
       "expected an array, found object"},
      {"sha256 upper case",
       [](Json& j) {
         std::string s = j["files"][1]["sha256"];
         for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         j["files"][1]["sha256"] = s;
       },
       ErrorKind::kSchema, "files[1].sha256", "not a SHA-256"},
      {"sha256 short", [](Json& j) { j["files"][0]["sha256"] = "abc"; }, ErrorKind::kSchema,
       "files[0].sha256", "not a SHA-256: 'abc'"},
      {"bytes a float", [](Json& j) { j["files"][0]["bytes"] = 1.5; }, ErrorKind::kSchema, "files[0].bytes",
       "expected a whole number >= 0, found number 1.5"},
      {"path leaves the bundle", [](Json& j) { j["files"][0]["path"] = "../../etc/passwd"; },
       ErrorKind::kSchema, "files[0].path", "not a path inside the bundle: '../../etc/passwd'"},
      {"absolute path", [](Json& j) { j["files"][0]["path"] = "/etc/passwd"; }, ErrorKind::kSchema,
       "files[0].path", "not a path inside the bundle"},
      {"manifest lists itself", [](Json& j) { j["files"][0]["path"] = "manifest.json"; }, ErrorKind::kSchema,
       "files[0].path", "manifest.json cannot list itself"},
      {"file twice", [](Json& j) { j["files"][1]["path"] = j["files"][0]["path"]; }, ErrorKind::kReference,
       "files[1].path", "'after-accept/capture.har' is listed twice"},
      {"unknown phase", [](Json& j) { j["phases"][0]["name"] = "before-consnet"; }, ErrorKind::kSchema,
       "phases[0].name", "not a consent phase: 'before-consnet'"},
      {"phase twice", [](Json& j) { j["phases"][1]["name"] = "before-consent"; }, ErrorKind::kReference,
       "phases[1].name", "phase 'before-consent' is listed twice"},
      {"har not in files", [](Json& j) { j["phases"][1]["har"] = "after-accept/other.har"; },
       ErrorKind::kReference, "phases[1].har", "'after-accept/other.har' is not in files"},
      {"scan not in files", [](Json& j) { j["phases"][1]["scan"] = "after-accept/scan.json"; },
       ErrorKind::kReference, "phases[1].scan", "'after-accept/scan.json' is not in files"},
      {"empty har", [](Json& j) { j["phases"][0]["har"] = ""; }, ErrorKind::kSchema, "phases[0].har",
       "not a path inside the bundle: ''"},
      {"phase requests a string", [](Json& j) { j["phases"][0]["requests"] = "311"; }, ErrorKind::kSchema,
       "phases[0].requests", "expected a whole number >= 0, found '311'"},
  };
  for (const BadCase& c : cases) {
    auto r = ParseChanged(c.change);
    ASSERT_FALSE(r) << c.what;
    const Error& e = r.error();
    EXPECT_EQ(e.kind, c.kind) << c.what << ": " << e.Format();
    EXPECT_EQ(e.path, c.path) << c.what << ": " << e.Format();
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.what << ": " << e.message;
    EXPECT_EQ(e.where.file, "ev/manifest.json") << c.what;
    EXPECT_FALSE(e.expected.empty()) << c.what;
  }
}

TEST(Manifest, DidYouMeanForAMisspeltPhaseAndKey) {
  auto r = ParseChanged([](Json& j) { j["phases"][0]["name"] = "before-consnet"; });
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().hint.find("before-consent"), std::string::npos) << r.error().Format();
  auto k = ParseChanged([](Json& j) {
    j.erase("start_url");
    j["start_ulr"] = "x";
  });
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().hint.find("start_url"), std::string::npos) << k.error().Format();
}

TEST(Manifest, NotJsonHasAByteOffset) {
  auto r = ParseManifest("{\"format\": \"blindspot-evidence\",\n  \"format_version\": 1,, }", "m.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_TRUE(r.error().where.has_offset);
  EXPECT_EQ(r.error().where.offset, 55u) << r.error().Format();
  EXPECT_NE(r.error().message.find("not JSON"), std::string::npos);
  auto empty = ParseManifest("", "m.json");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::kParse);
  auto array = ParseManifest("[]", "m.json");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().kind, ErrorKind::kSchema);
  EXPECT_NE(array.error().message.find("expected an object (the manifest), found array"), std::string::npos);
}

TEST(BundlePath, OnlyRelativePathsInsideTheBundle) {
  EXPECT_TRUE(IsSafeBundlePath("before-consent/capture.har"));
  EXPECT_TRUE(IsSafeBundlePath("a"));
  EXPECT_TRUE(IsSafeBundlePath("screenshots/..001.png"));
  for (const char* bad : {"", "/abs", "a/", "a//b", "./a", "a/./b", "..", "a/../b", "a\\b", "a\nb"})
    EXPECT_FALSE(IsSafeBundlePath(bad)) << bad;
}

TEST(ConsentPhase, FolderNamesBothWays) {
  for (ConsentPhase p : AllConsentPhases()) EXPECT_EQ(ParseConsentPhase(ToString(p)), p);
  EXPECT_EQ(ToString(ConsentPhase::kAfterReject), "after-reject");
  EXPECT_EQ(ParseConsentPhase("unknown"), ConsentPhase::kUnknown);
  EXPECT_EQ(ParseConsentPhase("Before-Consent"), ConsentPhase::kUnknown);
  EXPECT_TRUE(IsWithoutConsent(ConsentPhase::kBeforeConsent));
  EXPECT_TRUE(IsWithoutConsent(ConsentPhase::kAfterReject));
  EXPECT_FALSE(IsWithoutConsent(ConsentPhase::kAfterAccept));
  EXPECT_FALSE(IsWithoutConsent(ConsentPhase::kUnknown));
}

TEST(Diff, CookieKeyIsNameAndRegistrableDomain) {
  Cookie c;
  c.name = "_fbp";
  c.domain = ".Shop.example.nl";
  EXPECT_EQ(CookieKey(c, "www.facebook.com"), "_fbp @ example.nl");
  c.domain = "";
  EXPECT_EQ(CookieKey(c, "www.facebook.com"), "_fbp @ facebook.com");
  EXPECT_EQ(CookieKey(c, ""), "_fbp @ ?");
}

TEST(Diff, AppearedAndDisappearedPerKind) {
  CaptureSnapshot a, b;
  a.touchpoints = {{"meta-pixel", "Meta Pixel"}, {"hotjar", "Hotjar"}};
  b.touchpoints = {{"hotjar", "Hotjar"}, {"tiktok-pixel", "TikTok Pixel"}};
  a.third_parties = {"facebook.com", "hotjar.com"};
  b.third_parties = {"hotjar.com", "tiktok.com"};
  b.unidentified = {"xplosion.de"};
  a.cookies = {"_fbp @ example.nl"};
  b.cookies = {"_fbp @ example.nl"};
  PhaseDiff d = DiffSnapshots(ConsentPhase::kBeforeConsent, &a, &b);
  EXPECT_EQ(d.touchpoints.appeared, std::vector<std::string>{"tiktok-pixel"});
  EXPECT_EQ(d.touchpoints.disappeared, std::vector<std::string>{"meta-pixel"});
  EXPECT_EQ(d.third_parties.appeared, std::vector<std::string>{"tiktok.com"});
  EXPECT_EQ(d.third_parties.disappeared, std::vector<std::string>{"facebook.com"});
  EXPECT_EQ(d.unidentified.appeared, std::vector<std::string>{"xplosion.de"});
  EXPECT_EQ(d.cookies.size(), 0u);
  EXPECT_EQ(d.changes(), 5u);
  EXPECT_EQ(d.names.at("meta-pixel"), "Meta Pixel");
  EXPECT_EQ(d.names.at("tiktok-pixel"), "TikTok Pixel");

  PhaseDiff only_new = DiffSnapshots(ConsentPhase::kAfterReject, nullptr, &b);
  EXPECT_FALSE(only_new.in_old);
  EXPECT_TRUE(only_new.in_new);
  EXPECT_EQ(only_new.touchpoints.appeared.size(), 2u);
  EXPECT_EQ(only_new.cookies.appeared, std::vector<std::string>{"_fbp @ example.nl"});
  PhaseDiff same = DiffSnapshots(ConsentPhase::kUnknown, &a, &a);
  EXPECT_EQ(same.changes(), 0u);
  EvidenceDiff all;
  all.phases = {d, only_new, same};
  EXPECT_EQ(all.changes(), 5u + only_new.changes());
}

}  // namespace
}  // namespace blindspot

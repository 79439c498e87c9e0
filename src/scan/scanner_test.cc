// Pure parts of the scanner: start-URL checks, address classes, crawl keys,
// the consent manager's declaration, base64. The browser-driven parts are
// tested on the local web harness (tests/scan_test.cc).
#include <gtest/gtest.h>

#include "blindspot/scan.h"
#include "scan/scan_internal.h"

namespace blindspot::scan {
namespace {

TEST(CheckStartUrl, RefusesSchemesThatAreNotTheWeb) {
  for (const char* bad :
       {"file:///etc/passwd", "chrome://settings", "data:text/html,x", "javascript:alert(1)",
        "ftp://example.nl/", "about:blank", "view-source:https://example.nl"}) {
    auto r = CheckStartUrl(bad, false);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    EXPECT_NE(r.error().message.find("refusing to scan"), std::string::npos) << r.error().message;
  }
}

TEST(CheckStartUrl, AddsHttpsAndASlash) {
  EXPECT_EQ(CheckStartUrl("www.example.nl", false).value(), "https://www.example.nl/");
  EXPECT_EQ(CheckStartUrl("  https://www.example.nl/a?b=1 \n", false).value(),
            "https://www.example.nl/a?b=1");
  EXPECT_EQ(CheckStartUrl("http://example.nl:8080", false).value(), "http://example.nl:8080/");
  EXPECT_EQ(CheckStartUrl("localhost:8080", false).value(), "https://localhost:8080/");
  EXPECT_FALSE(CheckStartUrl("", false).has_value());
  EXPECT_FALSE(CheckStartUrl("https://", false).has_value());
}

TEST(CheckStartUrl, NoPrivateNetworks) {
  for (const char* bad :
       {"http://127.0.0.1/", "http://localhost/", "http://10.1.2.3/", "http://192.168.1.1/", "http://[::1]/",
        "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data", "http://app.localhost/"}) {
    auto r = CheckStartUrl(bad, true);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().message.find("loopback or private"), std::string::npos) << r.error().message;
    EXPECT_TRUE(CheckStartUrl(bad, false).has_value()) << bad;  // allowed without the flag
  }
  EXPECT_TRUE(CheckStartUrl("http://8.8.8.8/", true).has_value());
}

TEST(IsNonPublicAddress, Classes) {
  for (const char* ip : {"127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1",
                         "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fc00::1", "fd12::1", "fe80::1",
                         "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    EXPECT_TRUE(IsNonPublicAddress(ip)) << ip;
  for (const char* ip :
       {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2a00:1450::1", "::ffff:8.8.8.8", "example.nl"})
    EXPECT_FALSE(IsNonPublicAddress(ip)) << ip;
}

TEST(CrawlKey, DropsFragmentsAndSkipsFiles) {
  EXPECT_EQ(CrawlKey("https://a.nl/x#top"), "https://a.nl/x");
  EXPECT_EQ(CrawlKey("https://a.nl/x?p=1"), "https://a.nl/x?p=1");
  EXPECT_EQ(CrawlKey("mailto:a@b.nl"), "");
  EXPECT_EQ(CrawlKey("tel:+31612345678"), "");
  EXPECT_EQ(CrawlKey("https://a.nl/folder.PDF"), "");
  EXPECT_EQ(CrawlKey("https://a.nl/img/x.jpg"), "");
  EXPECT_EQ(CrawlKey("https://a.nl/account/logout"), "");
  EXPECT_EQ(CrawlKey("ftp://a.nl/x"), "");
}

TEST(CmpDeclaration, OneTrustDomainJson) {
  EXPECT_TRUE(IsCmpDeclarationUrl("https://cdn.cookielaw.org/consent/abc/abc.json"));
  EXPECT_FALSE(IsCmpDeclarationUrl("https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"));
  EXPECT_FALSE(IsCmpDeclarationUrl("https://evil.example/consent/abc.json"));
  // The real CDN wraps the groups in DomainData; third parties sit under Hosts.
  std::string body = R"({"DomainData":{"Groups":[
    {"OptanonGroupId":"C0001","GroupName":"Strictly necessary","Status":"always active",
     "FirstPartyCookies":[{"Name":"OptanonConsent","Host":"shop.nl","Length":"365"}],"Hosts":[]},
    {"OptanonGroupId":"C0004","GroupName":"Targeting",
     "FirstPartyCookies":[{"Name":"_fbp","Host":"shop.nl","Length":"90"}],
     "Hosts":[{"HostName":"linkedin.com","Cookies":[{"Name":"bcookie","Length":"365"}]}]}]}})";
  Json d = ParseCmpDeclaration("https://cdn.cookielaw.org/consent/x/x.json", body);
  ASSERT_TRUE(d.is_object());
  ASSERT_EQ(d["categories"].size(), 2u);
  EXPECT_EQ(d["categories"][0]["id"], "C0001");
  EXPECT_EQ(d["categories"][0]["cookies"][0]["name"], "OptanonConsent");
  EXPECT_EQ(d["categories"][1]["cookies"][1]["name"], "bcookie");
  EXPECT_EQ(d["categories"][1]["cookies"][1]["party"], "third");
  EXPECT_EQ(d["categories"][1]["cookies"][1]["host"], "linkedin.com");
  EXPECT_TRUE(ParseCmpDeclaration("u", "not json").is_null());
  EXPECT_TRUE(ParseCmpDeclaration("u", R"({"other":1})").is_null());
}

TEST(Base64, RoundTrip) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\x00\xff\x10", 3)})
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64Decode("aGVsbG8"), "hello");  // padding optional
}

TEST(PhaseName, RoundTrip) {
  for (Phase p : {Phase::kBeforeConsent, Phase::kAfterReject, Phase::kAfterAccept})
    EXPECT_EQ(ParsePhase(PhaseName(p)), p);
  EXPECT_FALSE(ParsePhase("before").has_value());
}

}  // namespace
}  // namespace blindspot::scan

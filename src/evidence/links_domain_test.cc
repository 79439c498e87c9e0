// ExtractLinks, RegistrableDomain and SplitUrl.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "blindspot/evidence.h"
#include "evidence/har_gen.h"

namespace blindspot {
namespace {

std::vector<std::string> Strings(const std::vector<std::string_view>& v) {
  return std::vector<std::string>(v.begin(), v.end());
}

bool Contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void ExpectViewsInto(const std::vector<std::string_view>& links, std::string_view html) {
  for (auto l : links) {
    EXPECT_GE(l.data(), html.data());
    EXPECT_LE(l.data() + l.size(), html.data() + html.size());
  }
}

TEST(ExtractLinks, AttributesInDomOrder) {
  std::string html = R"HTML(<!doctype html><html><head>
<script src="https://connect.facebook.net/en_US/fbevents.js"></script>
<link rel=stylesheet href=/css/site.css>
</head><body>
<a href='https://www.example.com/a?x=1&amp;y=2'>a</a>
<form action="/contact" method=post><button formaction="/alt">b</button></form>
<div data-href="https://m.me/examplepage">chat</div>
<img data-src="//cdn.example.net/i.png" src="  /img/spacer.gif  ">
<a href="#top">top</a><a href="javascript:void(0)">js</a><a href="">empty</a>
<iframe src="https://www.googletagmanager.com/ns.html?id=GTM-XXXX"></iframe>
</body></html>)HTML";
  auto links = ExtractLinks(html);
  ExpectViewsInto(links, html);
  EXPECT_EQ(Strings(links), (std::vector<std::string>{
                                "https://connect.facebook.net/en_US/fbevents.js",
                                "/css/site.css",
                                "https://www.example.com/a?x=1&amp;y=2",  // as written, not decoded
                                "/contact",
                                "/alt",
                                "https://m.me/examplepage",
                                "//cdn.example.net/i.png",
                                "/img/spacer.gif",
                                "https://www.googletagmanager.com/ns.html?id=GTM-XXXX",
                            }));
}

TEST(ExtractLinks, BareContactLinksInTextAndScripts) {
  std::string html = R"HTML(<html><body>
<p>Bel ons: tel:+31201234567 of mail mailto:info@example.nl.</p>
<script>var w = "https://wa.me/31612345678?text=Hallo"; var m='m.me/shop.page';
var a = 'api.whatsapp.com/send?phone=31612345678';</script>
<p>hotel: Amsterdam, fm.me/x, swa.me/y</p>
<a href="https://wa.me/31699999999">once only</a>
</body></html>)HTML";
  auto links = ExtractLinks(html);
  ExpectViewsInto(links, html);
  EXPECT_TRUE(Contains(links, "tel:+31201234567"));
  EXPECT_TRUE(Contains(links, "mailto:info@example.nl"));
  EXPECT_TRUE(Contains(links, "https://wa.me/31612345678?text=Hallo"));
  EXPECT_TRUE(Contains(links, "m.me/shop.page"));
  EXPECT_TRUE(Contains(links, "api.whatsapp.com/send?phone=31612345678"));
  EXPECT_EQ(std::count(links.begin(), links.end(), "https://wa.me/31699999999"), 1);
  for (auto l : links) {
    EXPECT_EQ(l.find("hotel"), std::string_view::npos) << l;
    EXPECT_EQ(l.find("fm.me"), std::string_view::npos) << l;
    EXPECT_EQ(l.find("swa.me"), std::string_view::npos) << l;
  }
  EXPECT_EQ(links.size(), 6u) << testing::PrintToString(Strings(links));
}

TEST(ExtractLinks, GeneratedHarBody) {
  evidence_testing::HarGenOptions opt;
  opt.entries = 1;
  std::string body;
  HarReader reader;
  auto r = reader.ReadBuffer(evidence_testing::GenerateHar(opt), "gen.har",
                             [&](const EvidenceRecord& e) { body = std::string(e.body); });
  ASSERT_TRUE(r.has_value());
  auto links = ExtractLinks(body);
  EXPECT_TRUE(Contains(links, "https://connect.facebook.net/en_US/fbevents.js"));
  EXPECT_TRUE(Contains(links, "https://wa.me/31612345678"));
  EXPECT_TRUE(Contains(links, "/subscribe"));
  EXPECT_TRUE(Contains(links, "/page/11"));
  EXPECT_TRUE(Contains(links, "tel:+31201234567"));
}

TEST(ExtractLinks, HostileInputDoesNotCrash) {
  // Nesting far deeper than browsers allow: handled without the DOM.
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  deep += "<a href=\"https://wa.me/31611111111\">x</a>";
  auto links = ExtractLinks(deep);
  EXPECT_TRUE(Contains(links, "https://wa.me/31611111111"));
  // Binary garbage, NUL bytes, unterminated tags and attributes.
  std::string junk("\0<a href=\"\xff\xfe<<>>\0tel:", 20);
  for (int i = 0; i < 1000; ++i) junk += static_cast<char>((i * 131) & 0xFF);
  junk += "<a href=\"unterminated";
  auto l2 = ExtractLinks(junk);
  ExpectViewsInto(l2, junk);
  EXPECT_TRUE(ExtractLinks("").empty());
  EXPECT_TRUE(ExtractLinks("tel:").empty());
}

TEST(RegistrableDomain, PublicSuffixList) {
  EXPECT_EQ(RegistrableDomain("www.facebook.com"), "facebook.com");
  EXPECT_EQ(RegistrableDomain("a.b.co.uk"), "b.co.uk");
  EXPECT_EQ(RegistrableDomain("5127363.fls.doubleclick.net"), "doubleclick.net");
  EXPECT_EQ(RegistrableDomain("WWW.Google-Analytics.COM"), "google-analytics.com");
  EXPECT_EQ(RegistrableDomain(".facebook.com"), "facebook.com");  // cookie domain form
  EXPECT_EQ(RegistrableDomain("connect.facebook.net."), "facebook.net");
  EXPECT_EQ(RegistrableDomain("shop.example.nl"), "example.nl");
  EXPECT_EQ(RegistrableDomain("foo.github.io"), "foo.github.io");  // private suffix section
  EXPECT_EQ(RegistrableDomain("localhost"), "localhost");
  EXPECT_EQ(RegistrableDomain("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(RegistrableDomain("[::1]"), "[::1]");
  EXPECT_EQ(RegistrableDomain("co.uk"), "co.uk");
  EXPECT_EQ(RegistrableDomain(""), "");
}

TEST(RegistrableDomain, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      for (int i = 0; i < 2000; ++i) {
        ok[t] += RegistrableDomain("x" + std::to_string(i) + ".ads.linkedin.com") == "linkedin.com";
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ok[t], 2000);
}

TEST(SplitUrl, Parts) {
  UrlParts p;
  ASSERT_TRUE(SplitUrl("https://user:pw@WWW.Example.com:8443/a/b?x=1&y=2#frag", &p));
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.host, "WWW.Example.com");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "x=1&y=2");
  ASSERT_TRUE(SplitUrl("http://[2001:db8::1]:80/", &p));
  EXPECT_EQ(p.host, "[2001:db8::1]");
  EXPECT_EQ(p.path, "/");
  ASSERT_TRUE(SplitUrl("https://wa.me?text=hi", &p));
  EXPECT_EQ(p.host, "wa.me");
  EXPECT_EQ(p.path, "");
  EXPECT_EQ(p.query, "text=hi");
  ASSERT_TRUE(SplitUrl("https://5127363.fls.doubleclick.net/activityi;src=5127363;type=match0", &p));
  EXPECT_EQ(p.host, "5127363.fls.doubleclick.net");
  EXPECT_EQ(p.path, "/activityi;src=5127363;type=match0");
  EXPECT_FALSE(SplitUrl("mailto:info@example.nl", &p));
  EXPECT_FALSE(SplitUrl("/relative/path", &p));
  EXPECT_FALSE(SplitUrl("//cdn.example.net/x", &p));
  EXPECT_FALSE(SplitUrl("https:///nohost", &p));
  EXPECT_FALSE(SplitUrl("", &p));
}

}  // namespace
}  // namespace blindspot

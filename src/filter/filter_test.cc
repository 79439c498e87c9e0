// Tests of the filter engine: each part of the syntax, the decision order,
// what is skipped and reported, and the real EasyPrivacy list from Debian's
// uBlock Origin package (skipped where that package is not installed).
#include "blindspot/filter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "filter/filter_internal.h"

namespace blindspot {
namespace {

using filter_internal::MatchAt;
using filter_internal::PatternMatches;
using filter_internal::PatternTokens;
using filter_internal::RegexTokens;

std::shared_ptr<const FilterEngine> Engine(std::string text, std::string name = "test.txt") {
  FilterEngine::Builder b;
  b.AddList(std::move(name), std::move(text));
  return b.Build();
}

// The filter text that blocks, "" when allowed.
std::string Blocker(const FilterEngine& e, std::string_view url,
                    std::string_view source = "https://site.example/",
                    ResourceType type = ResourceType::kScript) {
  FilterDecision d = e.Match({url, source, type});
  if (!d.block) return "";
  EXPECT_NE(d.filter, nullptr);
  return d.filter ? std::string(d.filter->text) : "?";
}

bool Blocks(const FilterEngine& e, std::string_view url, std::string_view source = "https://site.example/",
            ResourceType type = ResourceType::kScript) {
  return e.Match({url, source, type}).block;
}

// ---- patterns -------------------------------------------------------------------

TEST(FilterPattern, PlainIsASubstringAndCaseInsensitive) {
  auto e = Engine("/ads/banner\n");
  EXPECT_TRUE(Blocks(*e, "https://a.example/ads/banner.gif"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/x/ADS/Banner?x=1"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/ads/bann"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/adsbanner"));
}

TEST(FilterPattern, Wildcards) {
  auto e = Engine("/track/*/pixel.\n-ad-*-300x250\n");
  EXPECT_TRUE(Blocks(*e, "https://a.example/track/123/pixel.gif"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/track//pixel.gif"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/track/pixel.gif"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/img-ad-top-300x250.png"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/img-300x250-ad-top.png"));
}

TEST(FilterPattern, Anchors) {
  auto e = Engine("|https://ads.\n.swf|\n||cdn.example/lib/\n");
  EXPECT_TRUE(Blocks(*e, "https://ads.example/x.js"));
  EXPECT_FALSE(Blocks(*e, "https://www.example/?u=https://ads.example/"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/movie.swf"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/movie.swf?x"));
  // ||: at the start of the host or of one of its labels, nowhere else.
  EXPECT_TRUE(Blocks(*e, "https://cdn.example/lib/a.js"));
  EXPECT_TRUE(Blocks(*e, "https://x.cdn.example/lib/a.js"));
  EXPECT_FALSE(Blocks(*e, "https://xcdn.example/lib/a.js"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/cdn.example/lib/a.js"));
}

TEST(FilterPattern, Separator) {
  auto e = Engine("/foo^\n^bar^baz\n");
  EXPECT_TRUE(Blocks(*e, "https://a.example/foo"));  // the end of the URL counts
  EXPECT_TRUE(Blocks(*e, "https://a.example/foo?x=1"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/foo/x"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/foox"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/foo_"));  // _ - . % are no separators
  EXPECT_FALSE(Blocks(*e, "https://a.example/foo-"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/foo.js"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/foo%20"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/x/bar?baz"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/x/bar.baz"));
}

TEST(FilterPattern, HostNames) {
  auto e = Engine("||tracker.example^\n");
  EXPECT_TRUE(Blocks(*e, "https://tracker.example/x"));
  EXPECT_TRUE(Blocks(*e, "https://a.b.tracker.example/x"));
  EXPECT_TRUE(Blocks(*e, "https://tracker.example:8443/x"));
  EXPECT_TRUE(Blocks(*e, "wss://tracker.example/socket", "https://site.example/", ResourceType::kWebSocket));
  EXPECT_TRUE(Blocks(*e, "https://user:pw@tracker.example/x"));
  EXPECT_FALSE(Blocks(*e, "https://tracker.example.net/x"));
  EXPECT_FALSE(Blocks(*e, "https://nottracker.example/x"));
  EXPECT_FALSE(Blocks(*e, "https://site.example/?ref=tracker.example"));
}

TEST(FilterPattern, HostLikePatternsReadAsUBlockOriginDoes) {
  // A plain host name means that host and its subdomains; so does one with
  // type options only; `||host` without `^` and without options is a prefix.
  auto e =
      Engine("evil.example\nimg.pixel.example$image\n||prefix.example\nsub.example$domain=site.example\n");
  EXPECT_TRUE(Blocks(*e, "https://evil.example/a"));
  EXPECT_TRUE(Blocks(*e, "https://x.evil.example/a"));
  EXPECT_FALSE(Blocks(*e, "https://site.example/?u=evil.example"));
  EXPECT_TRUE(Blocks(*e, "https://img.pixel.example/p.gif", "https://site.example/", ResourceType::kImage));
  EXPECT_FALSE(
      Blocks(*e, "https://site.example/?img.pixel.example", "https://site.example/", ResourceType::kImage));
  EXPECT_TRUE(Blocks(*e, "https://prefix.example/"));
  EXPECT_TRUE(Blocks(*e, "https://prefix.example.net/"));
  // With domain= (and no ||) the pattern is plain text again.
  EXPECT_TRUE(Blocks(*e, "https://cdn.example/?from=sub.example"));
}

TEST(FilterPattern, HostsFileLines) {
  auto e = Engine("0.0.0.0 ads.example\n127.0.0.1 localhost\n");
  EXPECT_TRUE(Blocks(*e, "https://ads.example/a"));
  EXPECT_EQ(e->lists()[0].block_filters, 1u);
  EXPECT_EQ(e->lists()[0].skipped.at("hosts-file line for a local host"), 1u);
}

TEST(FilterPattern, Regex) {
  auto e = Engine(
      "/^https?:\\/\\/[a-z]+\\.tracker\\.(com|net)\\/px/\n"
      "/banner\\d+\\.gif$/$image\n"
      "/CaseSensitive/$match-case\n");
  EXPECT_TRUE(Blocks(*e, "https://eu.tracker.com/px?a=1"));
  EXPECT_TRUE(Blocks(*e, "HTTP://EU.TRACKER.NET/PX"));  // case-insensitive by default
  EXPECT_FALSE(Blocks(*e, "https://tracker.com/px"));
  EXPECT_TRUE(Blocks(*e, "https://a.example/banner12.gif", "https://s.example/", ResourceType::kImage));
  EXPECT_FALSE(Blocks(*e, "https://a.example/banner12.gif", "https://s.example/", ResourceType::kScript));
  EXPECT_FALSE(Blocks(*e, "https://a.example/banner12.gif?x", "https://s.example/", ResourceType::kImage));
  EXPECT_TRUE(Blocks(*e, "https://a.example/CaseSensitive.js"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/casesensitive.js"));
  EXPECT_EQ(e->lists()[0].regex_filters, 3u);
}

TEST(FilterPattern, MatchCase) {
  auto e = Engine("/AdServer/$match-case\n");
  EXPECT_TRUE(Blocks(*e, "https://a.example/AdServer/x.js"));
  EXPECT_FALSE(Blocks(*e, "https://a.example/adserver/x.js"));
}

// ---- options ----------------------------------------------------------------------

TEST(FilterOptions, ThirdPartyByPublicSuffixList) {
  auto e = Engine("||cdn.example.com^$third-party\n||self.example.org^$~third-party\n||cloudfront.net^$3p\n");
  EXPECT_FALSE(Blocks(*e, "https://cdn.example.com/a.js", "https://www.example.com/"));
  EXPECT_TRUE(Blocks(*e, "https://cdn.example.com/a.js", "https://news.example.net/"));
  EXPECT_TRUE(Blocks(*e, "https://cdn.example.com/a.js", ""));  // no source: third party
  EXPECT_TRUE(Blocks(*e, "https://self.example.org/a.js", "https://www.example.org/"));
  EXPECT_FALSE(Blocks(*e, "https://self.example.org/a.js", "https://other.example/"));
  // cloudfront.net is a public suffix (private section): two distributions
  // are two parties; and co.uk is one for the ICANN section.
  EXPECT_TRUE(Blocks(*e, "https://d1.cloudfront.net/a.js", "https://d2.cloudfront.net/"));
  EXPECT_FALSE(Blocks(*e, "https://d1.cloudfront.net/a.js", "https://x.d1.cloudfront.net/"));
  auto uk = Engine("||shop.co.uk^$third-party\n");
  EXPECT_FALSE(Blocks(*uk, "https://img.shop.co.uk/a.png", "https://www.shop.co.uk/"));
  EXPECT_TRUE(Blocks(*uk, "https://img.shop.co.uk/a.png", "https://www.other.co.uk/"));
}

TEST(FilterOptions, FirstPartyAliases) {
  for (std::string opt : {"first-party", "1p", "~third-party", "~3p"}) {
    auto e = Engine("/collect?$" + opt + "\n");
    EXPECT_TRUE(Blocks(*e, "https://www.a.example/collect?x", "https://a.example/")) << opt;
    EXPECT_FALSE(Blocks(*e, "https://www.a.example/collect?x", "https://b.example/")) << opt;
  }
}

TEST(FilterOptions, Domain) {
  auto e = Engine("||x.example^$domain=a.example|~b.a.example\n||y.example^$domain=~a.example\n");
  EXPECT_TRUE(Blocks(*e, "https://x.example/", "https://a.example/"));
  EXPECT_TRUE(Blocks(*e, "https://x.example/", "https://c.a.example/page"));
  EXPECT_FALSE(Blocks(*e, "https://x.example/", "https://b.a.example/"));
  EXPECT_FALSE(Blocks(*e, "https://x.example/", "https://x.b.a.example/"));
  EXPECT_FALSE(Blocks(*e, "https://x.example/", "https://aa.example/"));
  EXPECT_FALSE(Blocks(*e, "https://x.example/", ""));
  // Exclusions only: everywhere else, also without a source.
  EXPECT_TRUE(Blocks(*e, "https://y.example/", "https://q.example/"));
  EXPECT_TRUE(Blocks(*e, "https://y.example/", ""));
  EXPECT_FALSE(Blocks(*e, "https://y.example/", "https://www.a.example/"));
}

TEST(FilterOptions, DomainBothIncludedAndExcluded) {
  // uBlock Origin: an exclusion wins wherever it matches, even under a more
  // specific inclusion.
  auto e = Engine("||z.example^$domain=~a.example|b.a.example\n");
  EXPECT_FALSE(Blocks(*e, "https://z.example/", "https://x.b.a.example/"));
  EXPECT_FALSE(Blocks(*e, "https://z.example/", "https://c.a.example/"));
}

TEST(FilterOptions, DomainEntities) {
  auto e = Engine("||w.example^$domain=shop.*\n");
  EXPECT_TRUE(Blocks(*e, "https://w.example/", "https://www.shop.co.uk/"));
  EXPECT_TRUE(Blocks(*e, "https://w.example/", "https://shop.de/"));
  EXPECT_FALSE(Blocks(*e, "https://w.example/", "https://shop.other.de/"));
  EXPECT_FALSE(Blocks(*e, "https://w.example/", "https://myshop.de/"));
}

TEST(FilterOptions, ToDenyallowAndStrictParty) {
  auto e = Engine(
      "*$script,to=cdn.example|~safe.cdn.example\n*$image,domain=site.example,denyallow=img.example|static."
      "example\n"
      "||s1.example^$strict1p\n||s3.example^$strict3p\n*$font,denyallow=x.example\n");
  using T = ResourceType;
  EXPECT_TRUE(Blocks(*e, "https://cdn.example/a.js", "https://q.example/", T::kScript));
  EXPECT_FALSE(Blocks(*e, "https://safe.cdn.example/a.js", "https://q.example/", T::kScript));
  EXPECT_FALSE(Blocks(*e, "https://other.example/a.js", "https://q.example/", T::kScript));
  EXPECT_TRUE(Blocks(*e, "https://x.example/a.png", "https://site.example/", T::kImage));
  EXPECT_FALSE(Blocks(*e, "https://img.example/a.png", "https://site.example/", T::kImage));
  EXPECT_FALSE(Blocks(*e, "https://a.static.example/a.png", "https://site.example/", T::kImage));
  // strict1p: the same host, not only the same site.
  EXPECT_TRUE(Blocks(*e, "https://s1.example/", "https://s1.example/"));
  EXPECT_FALSE(Blocks(*e, "https://s1.example/", "https://www.s1.example/"));
  EXPECT_TRUE(Blocks(*e, "https://s3.example/", "https://www.s3.example/"));
  EXPECT_FALSE(Blocks(*e, "https://s3.example/", "https://s3.example/"));
  // denyallow= without domain= is dropped, as uBlock Origin does.
  EXPECT_FALSE(Blocks(*e, "https://y.example/f.woff", "https://q.example/", T::kFont));
  ASSERT_EQ(e->warnings().size(), 1u);
  EXPECT_EQ(e->warnings()[0].where.line, 5u);
}

TEST(FilterOptions, Types) {
  auto e = Engine(
      "/only-script.$script\n/not-image.$~image\n/xhr-alias.$xhr\n/css-alias.$css\n/frame-alias.$frame\n"
      "/any-type.\n/doc-type.$document\n/all-types.$all\n/popup-only.$popup\n/"
      "img-not-script.$image,~script\n");
  using T = ResourceType;
  const char* s = "https://s.example/";
  EXPECT_TRUE(Blocks(*e, "https://a.example/only-script.js", s, T::kScript));
  EXPECT_FALSE(Blocks(*e, "https://a.example/only-script.js", s, T::kImage));
  EXPECT_TRUE(Blocks(*e, "https://a.example/not-image.js", s, T::kScript));
  EXPECT_FALSE(Blocks(*e, "https://a.example/not-image.js", s, T::kImage));
  EXPECT_FALSE(Blocks(*e, "https://a.example/not-image.js", s, T::kDocument));
  EXPECT_TRUE(Blocks(*e, "https://a.example/xhr-alias.json", s, T::kXmlHttpRequest));
  EXPECT_FALSE(Blocks(*e, "https://a.example/xhr-alias.json", s, T::kScript));
  EXPECT_TRUE(Blocks(*e, "https://a.example/css-alias.css", s, T::kStylesheet));
  EXPECT_TRUE(Blocks(*e, "https://a.example/frame-alias.html", s, T::kSubdocument));
  // Without a type option: every type but the page itself (and popups).
  for (T t : {T::kOther, T::kScript, T::kImage, T::kStylesheet, T::kObject, T::kXmlHttpRequest,
              T::kSubdocument, T::kPing, T::kMedia, T::kFont, T::kWebSocket})
    EXPECT_TRUE(Blocks(*e, "https://a.example/any-type.x", s, t)) << ToString(t);
  EXPECT_FALSE(Blocks(*e, "https://a.example/any-type.x", s, T::kDocument));
  EXPECT_FALSE(Blocks(*e, "https://a.example/any-type.x", s, T::kPopup));
  EXPECT_TRUE(Blocks(*e, "https://a.example/doc-type.html", s, T::kDocument));
  EXPECT_FALSE(Blocks(*e, "https://a.example/doc-type.html", s, T::kSubdocument));
  EXPECT_TRUE(Blocks(*e, "https://a.example/all-types.html", s, T::kDocument));
  EXPECT_TRUE(Blocks(*e, "https://a.example/all-types.html", s, T::kImage));
  EXPECT_TRUE(Blocks(*e, "https://a.example/popup-only.html", s, T::kPopup));
  EXPECT_FALSE(Blocks(*e, "https://a.example/popup-only.html", s, T::kSubdocument));
  EXPECT_TRUE(Blocks(*e, "https://a.example/img-not-script.png", s, T::kImage));
  EXPECT_FALSE(Blocks(*e, "https://a.example/img-not-script.png", s, T::kFont));
}

TEST(FilterOptions, ResourceTypeNames) {
  EXPECT_EQ(ParseResourceType("xhr"), ResourceType::kXmlHttpRequest);
  EXPECT_EQ(ParseResourceType("sub_frame"), ResourceType::kSubdocument);
  EXPECT_EQ(ParseResourceType("main_frame"), ResourceType::kDocument);
  EXPECT_EQ(ParseResourceType("beacon"), ResourceType::kPing);
  EXPECT_EQ(ParseResourceType("css"), ResourceType::kStylesheet);
  EXPECT_EQ(ParseResourceType("Script"), std::nullopt);
  EXPECT_EQ(ParseResourceType("fetchy"), std::nullopt);
  EXPECT_EQ(ToString(ResourceType::kXmlHttpRequest), "xmlhttprequest");
  EXPECT_NE(ResourceTypeNames().find("subdocument"), std::string::npos);
}

// ---- decisions ------------------------------------------------------------------

TEST(FilterDecide, ExceptionWins) {
  auto e = Engine("||ads.example^\n@@||ads.example/consent.js\n");
  FilterDecision d =
      e->Match({"https://ads.example/consent.js", "https://s.example/", ResourceType::kScript});
  EXPECT_FALSE(d.block);
  ASSERT_NE(d.filter, nullptr);
  EXPECT_EQ(d.filter->text, "@@||ads.example/consent.js");
  EXPECT_TRUE(d.filter->exception);
  EXPECT_EQ(Blocker(*e, "https://ads.example/ad.js"), "||ads.example^");
  // No match at all: no filter.
  EXPECT_EQ(e->Match({"https://ok.example/", "", ResourceType::kScript}).filter, nullptr);
}

TEST(FilterDecide, ImportantBeatsExceptionsUnlessTheExceptionIsImportant) {
  auto e = Engine(
      "||a.example^$important\n@@||a.example^\n"
      "||b.example^$important\n@@||b.example^$important\n"
      "/c-ad.\n||c.example^$important\n@@/c-ad.\n");
  EXPECT_EQ(Blocker(*e, "https://a.example/x.js"), "||a.example^$important");
  EXPECT_FALSE(Blocks(*e, "https://b.example/x.js"));
  EXPECT_EQ(e->Match({"https://b.example/x.js", "", ResourceType::kScript}).filter->text,
            "@@||b.example^$important");
  // A plain block is excepted, but an important one matches too.
  EXPECT_EQ(Blocker(*e, "https://c.example/c-ad.js"), "||c.example^$important");
  EXPECT_FALSE(Blocks(*e, "https://d.example/c-ad.js"));
}

TEST(FilterDecide, FilterKnowsItsListAndLine) {
  FilterEngine::Builder b;
  b.AddList("one.txt", "! comment\n||one.example^\n");
  b.AddList("two.txt", "[Adblock Plus 2.0]\n! x\n\n||two.example^$script\n");
  auto e = b.Build();
  FilterDecision d = e->Match({"https://two.example/a.js", "", ResourceType::kScript});
  ASSERT_TRUE(d.block);
  EXPECT_EQ(d.filter->list, "two.txt");
  EXPECT_EQ(d.filter->line, 4u);
  EXPECT_EQ(d.filter->text, "||two.example^$script");
  d = e->Match({"https://one.example/a.js", "", ResourceType::kScript});
  EXPECT_EQ(d.filter->list, "one.txt");
  EXPECT_EQ(d.filter->line, 2u);
  EXPECT_EQ(e->filter_count(), 2u);
}

TEST(FilterDecide, Badfilter) {
  FilterEngine::Builder b;
  b.AddList("a.txt", "||bad.example^$third-party,script\n||keep.example^\n/gone/*\n");
  // In another list, options in another order and spelling, before or after.
  b.AddList("b.txt", "||bad.example^$script,3p,badfilter\n/gone/*$badfilter\n");
  auto e = b.Build();
  EXPECT_FALSE(Blocks(*e, "https://bad.example/a.js"));
  EXPECT_FALSE(Blocks(*e, "https://s.example/gone/a.js"));
  EXPECT_TRUE(Blocks(*e, "https://keep.example/a.js"));
  EXPECT_EQ(e->lists()[0].badfiltered, 2u);
  EXPECT_EQ(e->lists()[1].badfilter_filters, 2u);
  EXPECT_EQ(e->filter_count(), 1u);
  // A badfilter cancels only the same filter: other options, other filter.
  auto f = Engine("||bad.example^$script\n||bad.example^$image,badfilter\n");
  EXPECT_TRUE(Blocks(*f, "https://bad.example/a.js"));
}

// ---- what is skipped, and never unblocks -----------------------------------------

TEST(FilterSkip, CosmeticScriptletAndHtmlAreCounted) {
  auto e = Engine(
      "example.com##.ad\n##.banner\nexample.com#@#.ad\nexample.com#?#div:has(.x)\nexample.com#$#.a { x: y }\n"
      "example.com##+js(set, a, 1)\nexample.com#%#//scriptlet('x')\nexample.com##^script:has-text(ad)\n"
      "example.com$$script[tag-content=\"ad\"]\n# comment\n");
  const FilterListStats& s = e->lists()[0];
  EXPECT_EQ(s.cosmetic, 5u);
  EXPECT_EQ(s.scriptlet, 2u);
  EXPECT_EQ(s.html, 2u);
  EXPECT_EQ(s.comments, 1u);
  EXPECT_EQ(e->filter_count(), 0u);
  EXPECT_TRUE(e->warnings().empty());
}

TEST(FilterSkip, UnsupportedOptionsAreSkippedByReason) {
  auto e = Engine(
      "||a.example^$csp=script-src "
      "'none'\n||a.example^$removeparam=utm_source\n||a.example^$redirect-rule=noop.js\n"
      "||a.example^$method=post\n||a.example^$header=x-ad\n||a.example^$xhr,ipaddress=1.2.3.4\n");
  EXPECT_FALSE(
      Blocks(*e, "https://a.example/x?utm_source=1", "https://s.example/", ResourceType::kXmlHttpRequest));
  const auto& sk = e->lists()[0].skipped;
  for (const char* r : {"csp", "removeparam", "redirect-rule", "method", "header", "ipaddress"})
    EXPECT_EQ(sk.count(r), 1u) << r;
  EXPECT_TRUE(e->warnings().empty());
}

TEST(FilterSkip, SkippedExceptionsDoNotUnblock) {
  // Exceptions that only stop a redirect, a CSP or cosmetic filtering leave
  // the block in place, as in uBlock Origin.
  auto e = Engine(
      "||a.example^\n@@||a.example^$csp\n@@||a.example^$redirect=noop.js\n@@||a.example^$generichide\n"
      "@@||a.example^$elemhide\n@@||a.example^$removeparam\n");
  EXPECT_TRUE(Blocks(*e, "https://a.example/x.js"));
}

TEST(FilterSkip, RedirectBlocks) {
  auto e = Engine(
      "||r.example^$script,redirect=noop.js\n||w.example^$rewrite=abp-resource:blank-js\n||m.example^$"
      "empty\n");
  EXPECT_EQ(Blocker(*e, "https://r.example/a.js"), "||r.example^$script,redirect=noop.js");
  EXPECT_TRUE(Blocks(*e, "https://w.example/a.js"));
  EXPECT_TRUE(Blocks(*e, "https://m.example/a.js"));
}

TEST(FilterSkip, MalformedLinesAreWarningsWithLineNumbers) {
  auto e = Engine(
      "||ok.example^\n||a.example^$nonsense\n/ab(/\n||b.example^$domain=a.com,domain=b.com\n/ads/ "
      "banner$script\n");
  EXPECT_TRUE(Blocks(*e, "https://ok.example/"));  // never fatal
  const Diagnostics& w = e->warnings();
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].where.file, "test.txt");
  EXPECT_EQ(w[0].where.line, 2u);
  EXPECT_TRUE(w[0].warning);
  EXPECT_NE(w[0].message.find("unknown option 'nonsense'"), std::string::npos) << w[0].message;
  EXPECT_EQ(w[0].source_line, "||a.example^$nonsense");
  EXPECT_EQ(w[1].where.line, 3u);
  EXPECT_NE(w[1].message.find("regular expression"), std::string::npos) << w[1].message;
  EXPECT_EQ(w[2].where.line, 4u);
  EXPECT_EQ(w[3].where.line, 5u);
  EXPECT_NE(w[3].Format().find("test.txt:5:1: warning:"), std::string::npos) << w[3].Format();
  EXPECT_EQ(e->lists()[0].malformed, 4u);
}

TEST(FilterSkip, IfDirectives) {
  auto e = Engine(
      "!#if env_firefox\n||ff.example^\n!#else\n||notff.example^\n!#endif\n"
      "!#if !env_safari\n||safe.example^\n!#endif\n!#if ext_ublock\n||ubo.example^\n!#endif\n");
  EXPECT_FALSE(Blocks(*e, "https://ff.example/"));
  EXPECT_TRUE(Blocks(*e, "https://notff.example/"));
  EXPECT_TRUE(Blocks(*e, "https://safe.example/"));
  EXPECT_TRUE(Blocks(*e, "https://ubo.example/"));
  EXPECT_EQ(e->lists()[0].excluded_by_if, 1u);
}

TEST(FilterSkip, LicenceFromHeader) {
  auto e = Engine("[Adblock Plus 2.0]\n! Title: X\n! Licence: https://easylist.to/pages/licence.html\n");
  EXPECT_EQ(e->lists()[0].licence, "https://easylist.to/pages/licence.html");
  FilterEngine::Builder b;
  b.AddList("x", "", "GPL-3.0-or-later OR CC-BY-SA-3.0");
  EXPECT_EQ(b.Build()->lists()[0].licence, "GPL-3.0-or-later OR CC-BY-SA-3.0");
}

// ---- internals ------------------------------------------------------------------------

TEST(FilterInternal, Matcher) {
  EXPECT_TRUE(MatchAt("ab^", false, "xab", 1));
  EXPECT_TRUE(MatchAt("ab^^", true, "xab", 1));  // trailing ^ at the end: zero width
  EXPECT_FALSE(MatchAt("ab^c", false, "xab", 1));
  EXPECT_TRUE(MatchAt("a*c", true, "xabcbc", 1));
  EXPECT_FALSE(MatchAt("a*c", true, "xabcb", 1));
  EXPECT_TRUE(PatternMatches("b*d", 0, "abcde", 0, 0));
  EXPECT_FALSE(PatternMatches("d*b", 0, "abcde", 0, 0));
  EXPECT_TRUE(PatternMatches("a.b/", filter_internal::kAnchorHost, "https://x.a.b/", 8, 13));
  EXPECT_FALSE(PatternMatches("a.b/", filter_internal::kAnchorHost, "https://xa.b/", 8, 12));
}

TEST(FilterInternal, Tokens) {
  auto toks = [](std::string_view p, uint8_t anchors) {
    std::vector<std::string> out;
    for (const auto& t : PatternTokens(p, anchors)) out.emplace_back(t.text);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(toks("/ads/banner", 0), V{"ads"});  // "banner" may continue
  EXPECT_EQ(toks("/ads/banner", filter_internal::kAnchorRight), (V{"ads", "banner"}));
  EXPECT_EQ(toks("ads*/x^", 0), V{"x"});
  EXPECT_EQ(toks("/analytics*", 0), V{"analytics"});  // 8 bytes or more: the key covers it
  EXPECT_EQ(toks("cdn.example/", filter_internal::kAnchorHost), (V{"cdn", "example"}));
  EXPECT_EQ(RegexTokens("^https?:\\/\\/ads\\.example\\.com\\/"),
            (std::vector<std::string>{"ads", "example", "com"}));
  EXPECT_EQ(RegexTokens("\\/px\\d+\\.gif$"), (std::vector<std::string>{"gif"}));
  EXPECT_TRUE(RegexTokens("a|b").empty());
  EXPECT_EQ(RegexTokens("(ads|track)\\.js$"), std::vector<std::string>{"js"});
  EXPECT_TRUE(RegexTokens("(ads|track)\\.js").empty());  // "js" may continue
}

TEST(FilterMatch, OddInputsDoNotCrash) {
  auto e = Engine("||a.example^\n/xyz/\n|http:\n*$domain=q.example\n");
  EXPECT_FALSE(Blocks(*e, ""));
  EXPECT_FALSE(Blocks(*e, "not a url"));
  EXPECT_FALSE(Blocks(*e, "https://"));
  EXPECT_TRUE(Blocks(*e, "http:relative"));
  EXPECT_FALSE(Blocks(*e, "https://[::1]:8080/"));
  EXPECT_TRUE(Blocks(*e, "https://anything.example/", "https://q.example/"));
  std::string long_url = "https://b.example/?" + std::string(100000, 'a') + "&x=" + std::string(5000, '%');
  EXPECT_FALSE(Blocks(*e, long_url));
}

TEST(FilterMatch, ThreadsShareOneEngine) {
  auto e = Engine("||t.example^$third-party\n/ads/*\n@@/ads/ok\n/^https:\\/\\/r\\.example\\/\\d+/\n");
  std::vector<std::string> urls = {"https://t.example/a", "https://s.example/ads/x",
                                   "https://s.example/ads/ok", "https://r.example/123",
                                   "https://s.example/clean"};
  std::vector<bool> want;
  for (const auto& u : urls) want.push_back(Blocks(*e, u, "https://s.example/"));
  EXPECT_EQ(want, (std::vector<bool>{true, true, false, true, false}));
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        size_t k = static_cast<size_t>(i) % urls.size();
        if (e->Match({urls[k], "https://s.example/", ResourceType::kScript}).block != want[k]) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- the real EasyPrivacy ---------------------------------------------------------

constexpr const char* kEasyPrivacy =
    "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist/easyprivacy.txt";

TEST(FilterRealList, DebianEasyPrivacy) {
  std::ifstream in(kEasyPrivacy, std::ios::binary);
  if (!in) GTEST_SKIP() << kEasyPrivacy << " is absent (apt-get install webext-ublock-origin-chromium)";
  std::stringstream ss;
  ss << in.rdbuf();
  auto e = Engine(ss.str(), "easyprivacy.txt");
  const FilterListStats& s = e->lists()[0];
  EXPECT_GT(s.block_filters, 30000u);
  EXPECT_GT(s.exception_filters, 300u);
  EXPECT_EQ(s.malformed, 0u) << (e->warnings().empty() ? "" : e->warnings()[0].Format());
  EXPECT_NE(s.licence.find("easylist.to"), std::string::npos);
  const char* page = "https://www.shop.example/products/1";
  using T = ResourceType;
  EXPECT_TRUE(
      Blocks(*e, "https://www.google-analytics.com/collect?v=1&t=pageview&tid=UA-1-1", page, T::kPing));
  EXPECT_TRUE(Blocks(*e, "https://www.google-analytics.com/analytics.js", page, T::kScript));
  EXPECT_TRUE(Blocks(*e, "https://www.googletagmanager.com/gtag/js?id=G-ABC", page, T::kScript));
  EXPECT_TRUE(Blocks(*e, "https://connect.facebook.net/en_US/fbevents.js", page, T::kScript));
  EXPECT_TRUE(Blocks(*e, "https://script.hotjar.com/modules.js", page, T::kScript));
  EXPECT_FALSE(Blocks(*e, "https://www.shop.example/images/logo.png", page, T::kImage));
  EXPECT_FALSE(Blocks(*e, "https://www.shop.example/css/site.css", page, T::kStylesheet));
  EXPECT_FALSE(Blocks(*e, "https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js", page, T::kScript));
  // The decision names the filter, its list and its line.
  FilterDecision d = e->Match({"https://www.google-analytics.com/analytics.js", page, T::kScript});
  ASSERT_TRUE(d.block);
  EXPECT_EQ(d.filter->list, "easyprivacy.txt");
  EXPECT_GT(d.filter->line, 0u);
  EXPECT_NE(d.filter->text.find("google-analytics"), std::string::npos) << d.filter->text;
}

}  // namespace
}  // namespace blindspot

// HarReader on the three real HAR files, on generated HARs, and on broken input.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "blindspot/app.h"
#include "blindspot/env.h"
#include "blindspot/evidence.h"
#include "blindspot_testing/realdata.h"
#include "evidence/har_gen.h"
#include "evidence/har_util.h"

namespace blindspot {
namespace {

namespace fs = std::filesystem;

std::string RealHar(const char* name) { return std::string(BLINDSPOT_REALDATA_DIR) + "/har/" + name; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What the tests look at, copied out of the visitor (views die after it).
struct Copy {
  uint64_t index = 0, offset = 0;
  std::string pageref, started, method, url, post_mime, post_text, mime, body, resource_type;
  int status = 0;
  std::vector<std::tuple<std::string, std::string, std::string>> req_cookies, resp_cookies;
};

struct Collected {
  Result<SourceSummary> summary = std::unexpected(Error{});
  std::vector<Copy> entries;
};

std::function<void(const EvidenceRecord&)> Collector(std::vector<Copy>* out) {
  return [out](const EvidenceRecord& e) {
    Copy c;
    c.index = e.index;
    c.offset = e.offset;
    c.pageref = e.pageref;
    c.started = e.started;
    c.method = e.method;
    c.url = e.url;
    c.post_mime = e.post_mime;
    c.post_text = e.post_text;
    c.mime = e.mime_type;
    c.body = e.body;
    c.resource_type = e.resource_type;
    c.status = e.status;
    for (const auto& k : e.request_cookies) c.req_cookies.emplace_back(k.name, k.value, k.domain);
    for (const auto& k : e.response_cookies) c.resp_cookies.emplace_back(k.name, k.value, k.domain);
    out->push_back(std::move(c));
  };
}

// Reads a file the way the application layer does: its bytes through the Env
// (with the parser's padding), parsed in place.
Result<SourceSummary> ReadFileWith(HarReader& reader, const std::string& path, const RecordVisitor& visit) {
  auto data = Env::Default().ReadFile(path, InputLimits{}.max_evidence_bytes, 64);
  if (!data) return std::unexpected(data.error());
  return reader.ReadOwned(*data, path, visit);
}

Collected ReadPath(const std::string& path) {
  Collected c;
  HarReader reader;
  c.summary = ReadFileWith(reader, path, Collector(&c.entries));
  return c;
}

Collected ReadText(std::string_view text, const std::string& name = "t.har") {
  Collected c;
  HarReader reader;
  c.summary = reader.ReadBuffer(text, name, Collector(&c.entries));
  return c;
}

size_t CountReqCookies(const Collected& c) {
  size_t n = 0;
  for (const auto& e : c.entries) n += e.req_cookies.size();
  return n;
}
size_t CountRespCookies(const Collected& c) {
  size_t n = 0;
  for (const auto& e : c.entries) n += e.resp_cookies.size();
  return n;
}

// ---------------------------------------------------------------- real files

TEST(HarReaderReal, Ferguson) {
  BLINDSPOT_REQUIRE_REALDATA();
  Collected c = ReadPath(RealHar("ferguson.com.har"));
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  const SourceSummary& s = *c.summary;
  EXPECT_EQ(s.entries, 174u);
  ASSERT_EQ(c.entries.size(), 174u);
  EXPECT_EQ(s.creator, "chrome-har 0.12.0");
  EXPECT_EQ(s.browser, "Chrome 97.0.4692.99");  // log.browser comes after log.entries in this file
  ASSERT_EQ(s.pages.size(), 1u);
  EXPECT_EQ(s.pages[0].id, "page_1");
  EXPECT_EQ(s.pages[0].title, "https://www.ferguson.com run 1");
  EXPECT_EQ(s.pages[0].started, "2022-02-04T05:23:40.044Z");
  EXPECT_EQ(s.bytes, fs::file_size(RealHar("ferguson.com.har")));

  EXPECT_EQ(c.entries[0].url, "https://www.ferguson.com/");
  EXPECT_EQ(c.entries[0].method, "GET");
  EXPECT_EQ(c.entries[0].pageref, "page_1");
  EXPECT_EQ(c.entries[0].resource_type, "document");
  bool fb = false, linkedin = false;
  for (const auto& e : c.entries) {
    fb = fb || e.url.find("connect.facebook.net") != std::string::npos;
    linkedin = linkedin || e.url.find("px.ads.linkedin.com") != std::string::npos;
  }
  EXPECT_TRUE(fb);
  EXPECT_TRUE(linkedin);

  std::map<std::string, int> types;
  for (const auto& e : c.entries) types[e.resource_type]++;
  EXPECT_EQ(types["image"], 72);
  EXPECT_EQ(types["script"], 48);
  EXPECT_EQ(types["xhr"], 20);
  EXPECT_EQ(types["document"], 4);

  // Request cookies come from the cookies arrays; response cookies (arrays are
  // empty in this file) from Set-Cookie headers.
  EXPECT_EQ(CountReqCookies(c), 742u);
  EXPECT_EQ(CountRespCookies(c), 45u);

  std::vector<uint64_t> posts;
  for (const auto& e : c.entries) {
    if (!e.post_text.empty()) posts.push_back(e.index);
  }
  EXPECT_EQ(posts, (std::vector<uint64_t>{104, 131, 141, 173}));
  EXPECT_EQ(c.entries[104].method, "POST");
  EXPECT_EQ(c.entries[104].post_mime, "text/plain;charset=UTF-8");
  EXPECT_EQ(c.entries[104].post_text.size(), 1539u);
  EXPECT_EQ(c.entries[173].post_text.size(), 26060u);  // bytes (UTF-8), not characters
  EXPECT_EQ(c.entries[173].url.rfind("https://col.eum-appdynamics.com/eumcollector/beacons/", 0), 0u);

  // Entry offsets point at the '{' of each entry, in increasing order.
  std::string text = Slurp(RealHar("ferguson.com.har"));
  for (size_t i = 0; i < c.entries.size(); ++i) {
    ASSERT_LT(c.entries[i].offset, text.size());
    EXPECT_EQ(text[c.entries[i].offset], '{') << i;
    if (i) {
      EXPECT_GT(c.entries[i].offset, c.entries[i - 1].offset);
    }
    EXPECT_EQ(c.entries[i].index, i);
  }
}

TEST(HarReaderReal, MyToys) {
  BLINDSPOT_REQUIRE_REALDATA();
  Collected c = ReadPath(RealHar("mytoys.de.har"));
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  EXPECT_EQ(c.summary->entries, 50u);
  EXPECT_EQ(c.summary->creator, "chrome-har 0.2.3");
  EXPECT_EQ(c.summary->browser, "Chrome 63.0.3239.108");
  ASSERT_EQ(c.summary->pages.size(), 1u);
  EXPECT_EQ(c.summary->pages[0].title, "Registrierung | myToys.de run 1");
  EXPECT_EQ(c.entries[0].url, "https://checkout.mytoys.de/checkout/registration");
  EXPECT_EQ(c.entries[0].status, 302);
  EXPECT_EQ(c.entries[0].started, "2017-12-22T21:58:49.425Z");
  EXPECT_EQ(c.entries[39].url.rfind("https://5127363.fls.doubleclick.net/activityi;src=5127363;", 0), 0u);
  EXPECT_EQ(CountReqCookies(c), 243u);
  EXPECT_EQ(CountRespCookies(c), 42u);
  std::set<std::string> names;
  std::string incap_domain;
  for (const auto& [n, v, d] : c.entries[0].resp_cookies) {
    names.insert(n);
    if (n == "visid_incap_592261") incap_domain = d;
  }
  EXPECT_TRUE(names.count("JSESSIONID"));
  EXPECT_TRUE(names.count("MS_TEST"));
  EXPECT_EQ(incap_domain, "mytoys.de");
}

TEST(HarReaderReal, EnormMagazin) {
  BLINDSPOT_REQUIRE_REALDATA();
  Collected c = ReadPath(RealHar("chrome_enorm-magazin.de.har"));
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  EXPECT_EQ(c.summary->entries, 65u);
  EXPECT_EQ(c.summary->creator, "WebInspector 537.36");
  EXPECT_EQ(c.summary->browser, "");
  ASSERT_EQ(c.summary->pages.size(), 1u);
  EXPECT_EQ(c.summary->pages[0].title, "http://enorm-magazin.de/");
  EXPECT_EQ(c.entries[0].url, "http://enorm-magazin.de/");
  EXPECT_EQ(c.entries[0].status, 301);
  EXPECT_EQ(c.entries[0].resource_type, "");  // DevTools 2017 wrote no _resourceType
  EXPECT_EQ(CountReqCookies(c), 143u);
  EXPECT_EQ(CountRespCookies(c), 3u);
  size_t bodies = 0;
  for (const auto& e : c.entries) bodies += !e.body.empty();
  EXPECT_EQ(bodies, 62u);
  // Bodies were blanked by whoever published the file; the HTML one is plain text.
  EXPECT_EQ(c.entries[1].mime, "text/html");
  EXPECT_EQ(c.entries[1].body, "MANUALLY REMOVED");
  EXPECT_TRUE(ExtractLinks(c.entries[1].body).empty());
  // Entry 11 says base64, but "MANUALLY REMOVED" is not base64: kept as text,
  // with a warning (23 such bodies).
  EXPECT_EQ(c.entries[11].mime, "image/gif");
  EXPECT_EQ(c.entries[11].body, "MANUALLY REMOVED");
  EXPECT_EQ(c.summary->warning_count, 23u);
  ASSERT_EQ(c.summary->warnings.size(), 23u);
  const ReadWarning& w = c.summary->warnings[0];
  EXPECT_EQ(w.issue, ReadIssue::kNotBase64);
  EXPECT_EQ(w.action, ReadAction::kUsedAsText);
  EXPECT_TRUE(w.has_entry);
  EXPECT_EQ(w.path, fmt::format("log.entries[{}].response.content.text", w.entry));
  std::string text = Slurp(RealHar("chrome_enorm-magazin.de.har"));
  EXPECT_EQ(text.substr(w.offset, 18), "\"MANUALLY REMOVED\"");
  auto ioam = std::find_if(c.entries.begin(), c.entries.end(),
                           [](const Copy& e) { return e.url.rfind("https://de.ioam.de/tx.io?", 0) == 0; });
  EXPECT_NE(ioam, c.entries.end());
}

TEST(HarReaderReal, ReadBufferMatchesReadFile) {
  BLINDSPOT_REQUIRE_REALDATA();
  std::string text = Slurp(RealHar("mytoys.de.har"));
  Collected a = ReadPath(RealHar("mytoys.de.har"));
  Collected b = ReadText(text);
  ASSERT_TRUE(a.summary && b.summary);
  ASSERT_EQ(a.entries.size(), b.entries.size());
  for (size_t i = 0; i < a.entries.size(); ++i) {
    EXPECT_EQ(a.entries[i].url, b.entries[i].url);
    EXPECT_EQ(a.entries[i].offset, b.entries[i].offset);
    EXPECT_EQ(a.entries[i].req_cookies, b.entries[i].req_cookies);
  }
}

TEST(HarReaderReal, ReaderIsReusable) {
  BLINDSPOT_REQUIRE_REALDATA();
  HarReader reader;
  uint64_t n1 = 0, n2 = 0, n3 = 0;
  auto r1 = ReadFileWith(reader, RealHar("ferguson.com.har"), [&](const EvidenceRecord&) { ++n1; });
  auto r2 = ReadFileWith(reader, RealHar("mytoys.de.har"), [&](const EvidenceRecord&) { ++n2; });
  auto r3 = reader.ReadBuffer("{\"log\":{\"entries\":[{\"request\":{\"url\":\"x\"}}]}}", "b",
                              [&](const EvidenceRecord&) { ++n3; });
  ASSERT_TRUE(r1 && r2 && r3);
  EXPECT_EQ(n1, 174u);
  EXPECT_EQ(n2, 50u);
  EXPECT_EQ(n3, 1u);
}

// ---------------------------------------------------------------- generated

TEST(HarReaderGenerated, PrettyAndMinifiedAgree) {
  evidence_testing::HarGenOptions opt;
  opt.entries = 200;
  std::string pretty = evidence_testing::GenerateHar(opt);
  opt.pretty = false;
  std::string mini = evidence_testing::GenerateHar(opt);
  ASSERT_LT(mini.size(), pretty.size());
  Collected a = ReadText(pretty), b = ReadText(mini);
  ASSERT_TRUE(a.summary.has_value()) << a.summary.error().Format();
  ASSERT_TRUE(b.summary.has_value()) << b.summary.error().Format();
  ASSERT_EQ(a.entries.size(), 200u);
  ASSERT_EQ(b.entries.size(), 200u);
  for (size_t i = 0; i < 200; ++i) {
    EXPECT_EQ(a.entries[i].url, b.entries[i].url);
    EXPECT_EQ(a.entries[i].body, b.entries[i].body);
    EXPECT_EQ(a.entries[i].resp_cookies, b.entries[i].resp_cookies);
  }
  EXPECT_EQ(a.summary->creator, "WebInspector 537.36");
  EXPECT_EQ(a.summary->pages.size(), 1u);
}

TEST(HarReaderGenerated, FieldsBodiesAndCookies) {
  evidence_testing::HarGenOptions opt;
  opt.entries = 40;
  Collected c = ReadText(evidence_testing::GenerateHar(opt));
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  ASSERT_EQ(c.entries.size(), 40u);
  const Copy& e0 = c.entries[0];  // HTML body
  EXPECT_EQ(e0.url, "https://www.example.com/path/0/resource.js?v=0&utm_source=test");
  EXPECT_EQ(e0.status, 200);
  EXPECT_EQ(e0.mime, "text/html");
  EXPECT_NE(e0.body.find("<a href=\"https://wa.me/31612345678\">"), std::string::npos);  // \" unescaped
  EXPECT_NE(e0.body.find("</div>\n<div"), std::string::npos);                            // \n unescaped
  const Copy& e1 = c.entries[1];                                                         // base64 body
  std::string expected;
  for (int k = 0; k < 29; ++k) expected += "console.log('blindspot');\nc";
  expected += "console.log('blindspot');\n";
  EXPECT_EQ(e1.body, expected);
  const Copy& e19 = c.entries[19];  // POST
  EXPECT_EQ(e19.method, "POST");
  EXPECT_EQ(e19.post_mime, "application/x-www-form-urlencoded");
  EXPECT_EQ(e19.post_text, "id=19&ev=PageView&dl=https%3A%2F%2Fwww.example.com%2F");
  // Request cookies from the array (not from the Cookie header).
  ASSERT_EQ(e19.req_cookies.size(), 3u);
  EXPECT_EQ(e19.req_cookies[0], std::make_tuple(std::string("_ga"), std::string("GA1.2.1234567890.19"),
                                                std::string(".example.com")));
  // Response cookies from one Set-Cookie header joined with '\n'.
  ASSERT_EQ(e19.resp_cookies.size(), 2u);
  EXPECT_EQ(e19.resp_cookies[0],
            std::make_tuple(std::string("sid"), std::string("19"), std::string(".example.com")));
  EXPECT_EQ(e19.resp_cookies[1], std::make_tuple(std::string("uid"), std::string("19"), std::string("")));
  EXPECT_EQ(c.entries[2].resource_type, "image");
}

// Firefox style: no cookies arrays, params instead of text, nulls, extra keys,
// header value before name, status as a float.
TEST(HarReaderGenerated, FirefoxStyleFallbacks) {
  std::string har = R"({"log": {"version": "1.2", "creator": {"name": "Firefox", "version": "121.0"},
    "browser": {"name": "Firefox", "version": "121.0"}, "pages": [],
    "entries": [{"pageref": null, "startedDateTime": "2026-01-01T10:00:00.000+01:00", "_unknown": {"a": [1, {"b": null}]},
      "request": {"bodySize": 7, "method": "POST", "url": "https://shop.example.nl/form",
        "headers": [{"name": "Host", "value": "shop.example.nl"},
                    {"value": "a=1; b=two;c", "name": "Cookie"},
                    {"name": "cookie", "value": "d=4"}],
        "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [
          {"name": "email", "value": "x%40y.nl"}, {"name": "ok", "value": "1"}]}},
      "response": {"status": 200.0, "headers": [
          {"name": "Set-Cookie", "value": "s1=v1; Path=/; domain=.example.nl\ns2=v2"},
          {"name": "set-cookie", "value": "s3=v3; Secure"}],
        "content": {"mimeType": "text/html; charset=utf-8", "size": 5, "text": null}}}]}})";
  Collected c = ReadText(har);
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  EXPECT_EQ(c.summary->creator, "Firefox 121.0");
  EXPECT_EQ(c.summary->browser, "Firefox 121.0");
  ASSERT_EQ(c.entries.size(), 1u);
  const Copy& e = c.entries[0];
  EXPECT_EQ(e.pageref, "");
  EXPECT_EQ(e.post_text, "email=x%40y.nl&ok=1");
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.body, "");
  using T = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(e.req_cookies, (std::vector<T>{{"a", "1", ""}, {"b", "two", ""}, {"c", "", ""}, {"d", "4", ""}}));
  EXPECT_EQ(e.resp_cookies,
            (std::vector<T>{{"s1", "v1", ".example.nl"}, {"s2", "v2", ""}, {"s3", "v3", ""}}));
}

TEST(HarReaderGenerated, HugeStringIsAccepted) {
  std::string url = "https://example.com/?q=" + std::string(50u << 20, 'a');
  std::string har = "{\"log\":{\"entries\":[{\"request\":{\"url\":\"" + url + "\"}}]}}";
  Collected c = ReadText(har);
  ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].url.size(), url.size());
}

// ---------------------------------------------------------------- errors

Error ReadError(std::string_view text, const std::string& name = "bad.har") {
  Collected c = ReadText(text, name);
  EXPECT_FALSE(c.summary.has_value());
  return c.summary ? Error{} : c.summary.error();
}

// The warnings of a read that succeeded.
std::vector<ReadWarning> Warnings(std::string_view text, Collected* out = nullptr) {
  Collected c = ReadText(text, "w.har");
  EXPECT_TRUE(c.summary.has_value()) << c.summary.error().Format();
  std::vector<ReadWarning> w = c.summary ? c.summary->warnings : std::vector<ReadWarning>{};
  if (out) *out = std::move(c);
  return w;
}

std::string Describe(const ReadWarning& w) {
  return fmt::format("{} {} {} @{} {} {} {}", ToString(w.issue), ToString(w.action),
                     w.has_entry ? std::to_string(w.entry) : "-", w.offset, w.path, w.expected, w.found);
}

TEST(HarReaderRecovery, WrongTypeOfUrlSkipsTheEntryOnly) {
  std::string har =
      R"({"log":{"entries":[{"request":{"url":"a"}},{"request":{"url":"b"}},{"request":{"url":"c"}},{"request":{"url":42}}]}})";
  Collected c;
  auto w = Warnings(har, &c);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(Describe(w[0]), "wrong-type entry-skipped 3 @109 log.entries[3].request.url string number");
  EXPECT_EQ(har.substr(109, 2), "42");
  ASSERT_EQ(c.entries.size(), 3u);
  EXPECT_EQ(c.summary->entries, 3u);
  EXPECT_EQ(c.summary->warning_count, 1u);
  EXPECT_EQ(c.summary->warning_counts.at(ReadIssue::kWrongType), 1u);
}

TEST(HarReaderRecovery, FieldsOfTheWrongTypeAreCoercedOrIgnored) {
  std::string har =
      R"({"log":{"creator":"Fiddler","pages":{"id":1},"entries":[{"request":{"url":"u","method":7,)"
      R"("cookies":[{"name":"a"},{"name":true},"x",null],"headers":{"name":"Cookie"},)"
      R"("postData":{"mimeType":null,"params":[{"name":"id","value":{"v":1}},{"name":"n","value":12.5},{"name":"ok","value":"1"}]}},)"
      R"("response":{"status":"200","content":{"mimeType":["text/html"],"text":{"x":1}}}},)"
      R"({"request":{"url":"v"},"response":{"status":"OK"}},{"request":{"url":"w"},"response":{"status":1e999}}]}})";
  Collected c;
  auto w = Warnings(har, &c);
  std::vector<std::string> d;
  for (const auto& x : w) d.push_back(Describe(x));
  auto at = [&](std::string_view needle) { return har.find(needle); };
  EXPECT_EQ(
      d,
      (std::vector<std::string>{
          fmt::format("wrong-type field-ignored - @{} log.creator object string", at("\"Fiddler\"")),
          fmt::format("wrong-type field-ignored - @{} log.pages array object", at("{\"id\":1}")),
          fmt::format("wrong-type coerced 0 @{} log.entries[0].request.method string number", at("7,")),
          fmt::format("wrong-type coerced 0 @{} log.entries[0].request.cookies[1].name string boolean",
                      at("true")),
          fmt::format("wrong-type field-ignored 0 @{} log.entries[0].request.cookies[2] object string",
                      at("\"x\"")),
          fmt::format("wrong-type field-ignored 0 @{} log.entries[0].request.headers array object",
                      at("{\"name\":\"Cookie\"}")),
          fmt::format("wrong-type field-ignored 0 @{} log.entries[0].request.postData.params[0].value "
                      "string object",
                      at("{\"v\":1}")),
          fmt::format("wrong-type coerced 0 @{} log.entries[0].request.postData.params[1].value string "
                      "number",
                      at("12.5")),
          fmt::format("wrong-type coerced 0 @{} log.entries[0].response.status number string", at("\"200\"")),
          fmt::format("wrong-type field-ignored 0 @{} log.entries[0].response.content.mimeType string array",
                      at("[\"text/html\"]")),
          fmt::format("wrong-type field-ignored 0 @{} log.entries[0].response.content.text string object",
                      at("{\"x\":1}")),
          fmt::format("wrong-type field-ignored 1 @{} log.entries[1].response.status number string",
                      at("\"OK\"")),
          fmt::format("bad-number field-ignored 2 @{} log.entries[2].response.status  ", at("1e999")),
      }));
  ASSERT_EQ(c.entries.size(), 3u);
  const Copy& e = c.entries[0];
  EXPECT_EQ(e.method, "7");
  EXPECT_EQ(e.req_cookies.size(), 2u);  // "a" and "true"
  EXPECT_EQ(e.post_text, "id=&n=12.5&ok=1");
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.mime, "");
  EXPECT_EQ(e.body, "");
  EXPECT_EQ(c.entries[1].status, 0);
  EXPECT_EQ(c.entries[2].status, 0);
  EXPECT_EQ(c.summary->creator, "");
  EXPECT_TRUE(c.summary->pages.empty());
}

TEST(HarReaderRecovery, EntriesWithoutRequestOrUrlAreSkipped) {
  std::string har =
      "{\n  \"log\": {\n    \"entries\": [\n      null,\n      \"x\",\n      {\"response\": {}},\n"
      "      {\"request\": {\"method\": \"GET\"}},\n      {\"request\": {\"url\": null}},\n"
      "      {\"request\": \"https://a.nl/\"},\n      {\"request\": {\"url\": \"https://ok.nl/\"}}\n    ]\n  "
      "}\n}\n";
  Collected c;
  auto w = Warnings(har, &c);
  std::vector<std::string> d;
  for (const auto& x : w) d.push_back(Describe(x));
  EXPECT_EQ(
      d, (std::vector<std::string>{
             fmt::format("wrong-type entry-skipped 0 @{} log.entries[0] object null", har.find("null")),
             fmt::format("wrong-type entry-skipped 1 @{} log.entries[1] object string", har.find("\"x\"")),
             fmt::format("missing entry-skipped 2 @{} log.entries[2].request  ", har.find("{\"response")),
             fmt::format("missing entry-skipped 3 @{} log.entries[3].request.url  ", har.find("{\"method")),
             fmt::format("wrong-type entry-skipped 4 @{} log.entries[4].request.url string null",
                         har.find("null}")),
             fmt::format("wrong-type entry-skipped 5 @{} log.entries[5].request object string",
                         har.find("\"https://a.nl/\"")),
         }));
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].index, 6u);
  EXPECT_EQ(c.entries[0].url, "https://ok.nl/");
}

TEST(HarReaderRecovery, BadEscapesAreKeptAsWritten) {
  std::string har = R"({"log":{"entries":[{"request":{"url":"https://a.nl/?q=\ud800x&r=\q"}}]}})";
  Collected c;
  auto w = Warnings(har, &c);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(Describe(w[0]),
            fmt::format("bad-escape used-as-text 0 @{} log.entries[0].request.url  ", har.find("\"https")));
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].url, R"(https://a.nl/?q=\ud800x&r=\q)");
}

TEST(HarReaderRecovery, InvalidUtf8AndControlCharactersInStringsAreReplaced) {
  std::string har =
      "{\"log\":{\"pages\":[{\"id\":\"p\",\"title\":\"caf\xe9\"}],\"entries\":[{\"request\":{\"url\":"
      "\"a\xff\xfe"
      "b\"}},{\"request\":{\"url\":\"c\td\"}}]}}";
  Collected c;
  auto w = Warnings(har, &c);
  std::vector<std::string> d;
  for (const auto& x : w) d.push_back(Describe(x));
  EXPECT_EQ(d, (std::vector<std::string>{
                   fmt::format("invalid-utf8 bytes-replaced - @{}   ", har.find('\xe9')),
                   fmt::format("invalid-utf8 bytes-replaced 0 @{} log.entries[0]  ", har.find('\xff')),
                   fmt::format("control-character bytes-replaced 1 @{} log.entries[1]  ", har.find('\t')),
               }));
  ASSERT_EQ(c.entries.size(), 2u);
  EXPECT_EQ(c.entries[0].url, "a??b");
  EXPECT_EQ(c.entries[1].url, "c d");
  EXPECT_EQ(c.summary->pages[0].title, "caf?");
  // A surrogate encoded in UTF-8 (ED A0 80) deep in a generated file.
  evidence_testing::HarGenOptions opt;
  opt.entries = 50;
  std::string big = evidence_testing::GenerateHar(opt);
  size_t at = big.find("Lorem ipsum", big.size() / 2);
  ASSERT_NE(at, std::string::npos);
  big.replace(at, 3, "\xED\xA0\x80");
  w = Warnings(big, &c);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].offset, at);
  EXPECT_EQ(w[0].issue, ReadIssue::kInvalidUtf8);
  EXPECT_EQ(c.entries.size(), 50u);
  // Outside a string it is still not JSON.
  Error e = ReadError("{\"log\":{\"entries\":[]}\xff}");
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.message.rfind("invalid UTF-8", 0), 0u) << e.message;
}

TEST(HarReaderRecovery, Base64BodiesAndPostData) {
  std::string form = "id=1&ud[em]=abc";
  std::string b64 = "aWQ9MSZ1ZFtlbV09YWJj";  // base64 of `form`
  std::string har = R"({"log":{"entries":[
    {"request":{"url":"a","postData":{"mimeType":"application/x-www-form-urlencoded","text":")" +
                    b64 +
                    R"(","encoding":"base64"}}},
    {"request":{"url":"b","postData":{"text":")" +
                    b64 + R"(","_base64":true}}},
    {"request":{"url":"c","postData":{"_base64":")" +
                    b64 + R"("}}},
    {"request":{"url":"d","postData":{"text":"id=1&x=2","_encoding":"BASE64"}}},
    {"request":{"url":"e"},"response":{"content":{"text":"<html>not base64</html>","encoding":"base64"}}},
    {"request":{"url":"f"},"response":{"content":{"text":"aGVs\r\nbG8=","encoding":"base64"}}}]}})";
  Collected c;
  auto w = Warnings(har, &c);
  ASSERT_EQ(c.entries.size(), 6u);
  EXPECT_EQ(c.entries[0].post_text, form);
  EXPECT_EQ(c.entries[1].post_text, form);
  EXPECT_EQ(c.entries[2].post_text, form);
  EXPECT_EQ(c.entries[3].post_text, "id=1&x=2");
  EXPECT_EQ(c.entries[4].body, "<html>not base64</html>");
  EXPECT_EQ(c.entries[5].body, "hello");
  std::vector<std::string> d;
  for (const auto& x : w) d.push_back(Describe(x));
  EXPECT_EQ(d, (std::vector<std::string>{
                   fmt::format("not-base64 used-as-text 3 @{} log.entries[3].request.postData.text  ",
                               har.find("\"id=1&x=2\"")),
                   fmt::format("not-base64 used-as-text 4 @{} log.entries[4].response.content.text  ",
                               har.find("\"<html>")),
               }));
}

TEST(HarReaderRecovery, PageUrlsAndNavigationHeaders) {
  std::string har = R"({"log":{"pages":[{"id":"a","title":"Home","_url":"https://a.nl/"},
    {"id":"b","title":"Run 1","_URL":"https://b.nl/"}],"entries":[{"request":{"url":"https://a.nl/",
    "headers":[{"name":"referer","value":"https://g.com/"},{"name":"Sec-Fetch-Dest","value":"document"}]}}]}})";
  Collected c;
  EXPECT_TRUE(Warnings(har, &c).empty());
  ASSERT_EQ(c.summary->pages.size(), 2u);
  EXPECT_EQ(c.summary->pages[0].url, "https://a.nl/");
  EXPECT_EQ(c.summary->pages[1].url, "https://b.nl/");
  HarReader reader;
  std::string referer, dest;
  auto r = reader.ReadBuffer(har, "p.har", [&](const EvidenceRecord& e) {
    referer = e.referer;
    dest = e.fetch_dest;
  });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(referer, "https://g.com/");
  EXPECT_EQ(dest, "document");
}

TEST(HarReaderRecovery, WarningsAreCappedButCounted) {
  std::string har = R"({"log":{"entries":[)";
  for (int i = 0; i < 250; ++i) har += std::string(i ? "," : "") + R"({"request":{"url":"u","method":1}})";
  har += "]}}";
  Collected c;
  auto w = Warnings(har, &c);
  EXPECT_EQ(w.size(), SourceSummary::kMaxWarnings);
  EXPECT_EQ(c.summary->warning_count, 250u);
  EXPECT_EQ(c.summary->warning_counts.at(ReadIssue::kWrongType), 250u);
  EXPECT_EQ(c.entries.size(), 250u);
}

// Not a HAR at all stays fatal: nothing to recover.
TEST(HarReaderErrors, NotAHarStructureIsFatal) {
  Error e = ReadError("{\"log\":{\"entries\":{}}}");
  EXPECT_EQ(e.kind, ErrorKind::kSchema);
  EXPECT_EQ(e.where.offset, 18u);
  EXPECT_EQ(e.message.rfind("log.entries: expected an array, found object", 0), 0u) << e.message;
  e = ReadError("{\"log\":{\"version\":\"1.2\"}}");
  EXPECT_EQ(e.where.offset, 7u);
  EXPECT_EQ(e.message.rfind("log: missing required key 'entries'", 0), 0u) << e.message;
  e = ReadError("{\"log\":[]}");
  EXPECT_EQ(e.message.rfind("log: expected an object, found array", 0), 0u) << e.message;
}

TEST(HarReaderErrors, NotAHar) {
  Error e = ReadError("{\"foo\": {\"entries\": []}}");
  EXPECT_EQ(e.kind, ErrorKind::kSchema);
  EXPECT_EQ(e.where.offset, 0u);
  EXPECT_EQ(e.message.rfind("expected a HAR file: top-level object with a 'log' key", 0), 0u) << e.message;
  e = ReadError("  [1, 2, 3]");
  EXPECT_EQ(e.where.offset, 2u);
  EXPECT_EQ(e.message.rfind("expected a HAR file: top-level object with a 'log' key, found array", 0), 0u);
}

TEST(HarReaderErrors, NotJson) {
  Error e = ReadError("<!DOCTYPE html><html></html>");
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.where.offset, 0u);
  EXPECT_EQ(e.message.rfind("not JSON", 0), 0u) << e.message;
  e = ReadError("{\"log\":{\"entries\":[{\"request\":{\"url\":\"a\"}},]}}");
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.where.offset, 43u);  // the ']' after the stray comma
  EXPECT_NE(e.message.find("invalid JSON syntax"), std::string::npos) << e.message;
}

TEST(HarReaderErrors, Truncated) {
  BLINDSPOT_REQUIRE_REALDATA();
  // Cut inside a string: located at the string's opening quote.
  std::string har = "{\"log\":{\"entries\":[{\"request\":{\"url\":\"https://exa";
  Error e = ReadError(har);
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.where.offset, 37u);
  EXPECT_EQ(har[37], '"');
  EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
  // Cut between values: located at the end of the input.
  har = "{\"log\":{\"entries\":[{\"request\":{\"url\":\"a\"}}";
  e = ReadError(har);
  EXPECT_EQ(e.where.offset, har.size());
  EXPECT_NE(e.message.find("unexpected end of file"), std::string::npos) << e.message;
  // A real file cut in half.
  std::string real = Slurp(RealHar("ferguson.com.har"));
  e = ReadError(std::string_view(real).substr(0, real.size() / 2));
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.message;
}

TEST(HarReaderErrors, TrailingContent) {
  Error e = ReadError("{\"log\":{\"entries\":[]}} x");
  EXPECT_EQ(e.where.offset, 23u);
  EXPECT_NE(e.message.find("after the end of the top-level JSON object"), std::string::npos) << e.message;
}

TEST(HarReaderErrors, DeepNesting) {
  // Deep nesting in a field the reader skips is refused before parsing.
  std::string har = "{\"log\":{\"entries\":[{\"request\":{\"url\":\"a\"},\"_x\":" + std::string(100000, '[') +
                    std::string(100000, ']') + "}]}}";
  Error e = ReadError(har);
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  // The bracket that makes depth 1025: 4 levels ({ { [ {) before the run.
  EXPECT_EQ(e.where.offset, har.find('[', 20) + 1024 - 4);
  EXPECT_NE(e.message.find("nesting deeper than 1024"), std::string::npos);
  // Clipped source line for a long line, caret on the offending byte.
  EXPECT_LE(e.source_line.size(), 126u);
  EXPECT_EQ(e.source_line.substr(0, 3), "...");
  EXPECT_EQ(e.source_line[e.where.column - 1], '[');
  // Unbalanced deep input (not even JSON) does not crash either.
  e = ReadError(std::string(1000000, '{'));
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  // Within the limit: accepted.
  har = "{\"log\":{\"entries\":[{\"request\":{\"url\":\"a\"},\"_x\":" + std::string(1000, '[') +
        std::string(1000, ']') + "}]}}";
  Collected c = ReadText(har);
  EXPECT_TRUE(c.summary.has_value()) << c.summary.error().Format();
}

// File errors are the Env's (the application layer reads the bytes, the reader
// parses them); an empty file is the reader's.
TEST(HarReaderErrors, FileErrors) {
  app::Options o;
  auto missing = app::OpenEvidence(o, {"/nonexistent/dir/x.har"}, nullptr);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
  EXPECT_EQ(missing.error().where.file, "/nonexistent/dir/x.har");
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);

  fs::path dir = fs::temp_directory_path() / ("bs-evidence-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string empty = (dir / "empty.har").string();
  std::ofstream(empty).close();
  auto sources = app::OpenEvidence(o, {empty}, nullptr);
  ASSERT_TRUE(sources.has_value()) << sources.error().Format();
  ASSERT_EQ(sources->sources.size(), 1u);
  EXPECT_EQ(sources->sources[0]->name(), "empty.har");  // reports show the base name
  auto r = sources->sources[0]->Read(nullptr);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_EQ(r.error().where.file, empty);  // errors show the path as given
  EXPECT_EQ(r.error().message.rfind("empty file", 0), 0u);
  // A folder is read as an evidence bundle: one without manifest.json is not one (bad input).
  auto d = app::OpenEvidence(o, {dir.string()}, nullptr);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(d.error().message, "not an evidence bundle: the folder has no manifest.json");
  fs::remove_all(dir);
}

// ---------------------------------------------------------------- helpers

TEST(HarUtil, CookieHeader) {
  std::vector<Cookie> out;
  evidence_internal::ParseCookieHeader(" _ga=GA1.2.3; _fbp=fb.1.2 ;flag; ;=x; e=", &out);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].name, "_ga");
  EXPECT_EQ(out[0].value, "GA1.2.3");
  EXPECT_EQ(out[1].name, "_fbp");
  EXPECT_EQ(out[1].value, "fb.1.2");
  EXPECT_EQ(out[2].name, "flag");
  EXPECT_EQ(out[2].value, "");
  EXPECT_EQ(out[3].name, "");
  EXPECT_EQ(out[3].value, "x");
  EXPECT_EQ(out[4].name, "e");
}

TEST(HarUtil, SetCookie) {
  std::vector<Cookie> out;
  evidence_internal::ParseSetCookie(
      "fr=0abc; expires=Wed, 01-Jan-2027 10:00:00 GMT; Max-Age=7776000; "
      "path=/; DOMAIN=.facebook.com; secure; httponly\n\nnoval\r\n x = y ;Path=/",
      &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].name, "fr");
  EXPECT_EQ(out[0].value, "0abc");
  EXPECT_EQ(out[0].domain, ".facebook.com");
  EXPECT_EQ(out[1].name, "");
  EXPECT_EQ(out[1].value, "noval");
  EXPECT_EQ(out[2].name, "x");
  EXPECT_EQ(out[2].value, "y");
  EXPECT_EQ(out[2].domain, "");
  // Max-Age takes precedence over Expires (RFC 6265 5.3), whatever their order.
  EXPECT_EQ(out[0].expires, "Max-Age=7776000");
  EXPECT_EQ(out[1].expires, "");
  EXPECT_EQ(out[2].expires, "");
  out.clear();
  evidence_internal::ParseSetCookie(
      "a=1; Max-Age=60; Expires=Wed, 01 Jan 2027 10:00:00 GMT\nb=2; expires= Thu, 02 Jan 2025 00:00:00 GMT ",
      &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].expires, "Max-Age=60");
  EXPECT_EQ(out[1].expires, "Thu, 02 Jan 2025 00:00:00 GMT");
}

// Cookie expiry from the cookies arrays: a string is kept as recorded, the
// numbers and nulls some tools write are ignored; Set-Cookie headers give
// Expires or Max-Age.
TEST(HarReaderGenerated, CookieExpires) {
  std::string har = R"({"log": {"entries": [{"request": {"url": "https://a.example/",
      "cookies": [{"name": "c1", "value": "1", "expires": "2027-01-01T00:00:00.000Z"},
                  {"name": "c2", "value": "2", "expires": 1798761600},
                  {"name": "c3", "value": "3", "expires": null}]},
    "response": {"status": 200, "headers": [
      {"name": "Set-Cookie", "value": "s1=v; Expires=Wed, 01 Jan 2027 10:00:00 GMT; Path=/"},
      {"name": "set-cookie", "value": "s2=v; Max-Age=3600; Domain=.a.example"}]}}]}})";
  std::vector<std::pair<std::string, std::string>> req, resp;
  HarReader reader;
  auto r = reader.ReadBuffer(har, "exp.har", [&](const EvidenceRecord& e) {
    for (const Cookie& c : e.request_cookies) req.emplace_back(c.name, c.expires);
    for (const Cookie& c : e.response_cookies) resp.emplace_back(c.name, c.expires);
  });
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(req, (std::vector<P>{{"c1", "2027-01-01T00:00:00.000Z"}, {"c2", ""}, {"c3", ""}}));
  EXPECT_EQ(resp, (std::vector<P>{{"s1", "Wed, 01 Jan 2027 10:00:00 GMT"}, {"s2", "Max-Age=3600"}}));
}

// ReadOwned parses in place when the string has room for the padding, and
// copies otherwise; both give the same records, and a byte-order mark is
// blanked (offsets stay those of the file).
TEST(HarReaderGenerated, ReadOwnedWithAndWithoutPadding) {
  evidence_testing::HarGenOptions opt;
  opt.entries = 30;
  std::string text = "\xEF\xBB\xBF" + evidence_testing::GenerateHar(opt);
  Collected viaBuffer = ReadText(text);
  ASSERT_TRUE(viaBuffer.summary.has_value()) << viaBuffer.summary.error().Format();
  for (size_t extra : {size_t{0}, size_t{64}}) {
    std::string data;
    data.reserve(text.size() + extra);
    data = text;
    if (extra == 0) data.shrink_to_fit();
    Collected c;
    HarReader reader;
    c.summary = reader.ReadOwned(data, "owned.har", Collector(&c.entries));
    ASSERT_TRUE(c.summary.has_value()) << c.summary.error().Format();
    EXPECT_EQ(c.summary->entries, 30u);
    EXPECT_EQ(c.summary->bytes, text.size());
    ASSERT_EQ(c.entries.size(), viaBuffer.entries.size());
    for (size_t i = 0; i < c.entries.size(); ++i) {
      EXPECT_EQ(c.entries[i].url, viaBuffer.entries[i].url);
      EXPECT_EQ(c.entries[i].offset, viaBuffer.entries[i].offset);
      EXPECT_EQ(c.entries[i].body, viaBuffer.entries[i].body);
    }
  }
}

TEST(HarUtil, Base64) {
  std::string out;
  EXPECT_TRUE(evidence_internal::Base64Decode("aGVsbG8gd29ybGQ=", &out));
  EXPECT_EQ(out, "hello world");
  EXPECT_TRUE(evidence_internal::Base64Decode("aGVs\r\nbG8=", &out));
  EXPECT_EQ(out, "hello");
  EXPECT_TRUE(evidence_internal::Base64Decode("_-8", &out));  // URL-safe alphabet
  EXPECT_EQ(out, "\xff\xef");
  EXPECT_FALSE(evidence_internal::Base64Decode("aGVs*bG8=", &out));
  EXPECT_EQ(out, "hel");
  EXPECT_TRUE(evidence_internal::Base64Decode("", &out));
  EXPECT_EQ(out, "");
}

TEST(HarUtil, Utf8) {
  using evidence_internal::FindInvalidUtf8;
  EXPECT_EQ(FindInvalidUtf8("plain ascii text that is long enough"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xc0\xaf"), 10u);  // overlong
  EXPECT_EQ(FindInvalidUtf8("ab\xed\xa0\x80"), 2u);       // surrogate
  EXPECT_EQ(FindInvalidUtf8("abc\xf4\x90\x80\x80"), 3u);  // > U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abcd\xe2\x82"), 4u);         // cut sequence
  EXPECT_EQ(FindInvalidUtf8(std::string_view("12345678\x80", 9)), 8u);
}

TEST(HarUtil, LineColumn) {
  uint32_t l = 0, c = 0;
  evidence_internal::LineColumn("ab\ncd\nef", 0, &l, &c);
  EXPECT_EQ(l, 1u);
  EXPECT_EQ(c, 1u);
  evidence_internal::LineColumn("ab\ncd\nef", 4, &l, &c);
  EXPECT_EQ(l, 2u);
  EXPECT_EQ(c, 2u);
  evidence_internal::LineColumn("ab\ncd\nef", 6, &l, &c);
  EXPECT_EQ(l, 3u);
  EXPECT_EQ(c, 1u);
}

}  // namespace
}  // namespace blindspot

TEST(HarReaderBom, Utf8ByteOrderMarkIsIgnored) {
  std::string har =
      "\xEF\xBB\xBF{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"method\": \"GET\", "
      "\"url\": \"https://wa.me/31612345678\"}, \"response\": {\"status\": 200}}]}}";
  blindspot::HarReader reader;
  std::vector<std::string> urls;
  auto r = reader.ReadBuffer(har, "bom.har",
                             [&](const blindspot::EvidenceRecord& e) { urls.emplace_back(e.url); });
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0], "https://wa.me/31612345678");
  // Offsets still count the BOM: an error right after it is at byte 3.
  auto bad = reader.ReadBuffer("\xEF\xBB\xBF[1]", "bom-array.har", [](const blindspot::EvidenceRecord&) {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().where.offset, 3u);
}

TEST(HarReaderErrors, Utf16AndBinaryAreNamedAtByteZero) {
  blindspot::HarReader reader;
  std::string utf16("\xFF\xFE{\0\"\0l\0o\0g\0\"\0", 14);
  auto a = reader.ReadBuffer(utf16, "utf16.har", [](const blindspot::EvidenceRecord&) {});
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().where.offset, 0u);
  EXPECT_EQ(a.error().message.rfind("the file is UTF-16 encoded, not UTF-8", 0), 0u) << a.error().message;
  // Random bytes used to be reported as an unclosed string far into the file.
  std::string garbage = "\x93\x87\xA2\x39\"abc";
  auto b = reader.ReadBuffer(garbage, "garbage.har", [](const blindspot::EvidenceRecord&) {});
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().where.offset, 0u);
  EXPECT_EQ(b.error().message.rfind("not JSON", 0), 0u) << b.error().message;
}

TEST(HarReaderInput, PipeAndDirectory) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string har =
      "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"method\": \"GET\", \"url\": "
      "\"https://connect.facebook.net/en_US/fbevents.js\"}, \"response\": {\"status\": 200}}]}}";
  ASSERT_EQ(::write(fds[1], har.data(), har.size()), static_cast<ssize_t>(har.size()));
  ::close(fds[1]);
  // A pipe has no size: the Env reads it in chunks, the source parses the bytes.
  auto data = blindspot::Env::Default().ReadFile("/dev/fd/" + std::to_string(fds[0]), 1 << 20, 64);
  ::close(fds[0]);
  ASSERT_TRUE(data.has_value()) << data.error().Format();
  auto source = blindspot::NewHarSource(std::move(*data), "/dev/fd/x", "x");
  std::vector<std::string> urls;
  auto r = source->Read([&](const blindspot::EvidenceRecord& e) { urls.emplace_back(e.url); });
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->kind, "har");
  EXPECT_EQ(urls, std::vector<std::string>{"https://connect.facebook.net/en_US/fbevents.js"});
  auto dir = blindspot::Env::Default().ReadFile(std::filesystem::temp_directory_path().string(), 1 << 20, 64);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().kind, blindspot::ErrorKind::kIo);
  EXPECT_EQ(dir.error().message, "is a directory, not a file");
}

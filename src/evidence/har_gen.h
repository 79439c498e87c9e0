// Test-data generator: synthetic HAR 1.2 text shaped like a Chrome DevTools /
// chrome-har export (headers, cookies, timings, _private fields, some HTML and
// base64 bodies). Deterministic for given options. Used by tests, the
// benchmark and to seed fuzzing; never writes files itself. Header-only.
#pragma once
#include <cstdint>
#include <string>

namespace blindspot::evidence_testing {

struct HarGenOptions {
  uint64_t entries = 1000;
  bool pretty = true;          // DevTools indents with 2 spaces; false gives minified JSON
  unsigned html_every = 5;     // every Nth entry has an HTML body (0: none)
  unsigned base64_every = 10;  // every Nth entry has a base64 body (0: none)
  unsigned post_every = 20;    // every Nth entry is a POST with postData (0: none)
};

inline std::string GenerateHar(const HarGenOptions& opt) {
  std::string out;
  out.reserve(opt.entries * 3000 + 1024);
  const char* nl = opt.pretty ? "\n" : "";
  auto ind = [&](int level) {
    if (opt.pretty) out.append(static_cast<size_t>(level) * 2, ' ');
  };
  const char* sep = opt.pretty ? ": " : ":";
  auto kv = [&](int level, const char* key, const std::string& raw_value, bool last = false) {
    ind(level);
    out += '"';
    out += key;
    out += '"';
    out += sep;
    out += raw_value;
    if (!last) out += ',';
    out += nl;
  };
  auto str = [](const std::string& s) { return "\"" + s + "\""; };
  auto header_list = [&](int level, const char* key, const std::string* names, const std::string* values,
                         int n, bool last) {
    ind(level);
    out += '"';
    out += key;
    out += '"';
    out += sep;
    out += '[';
    out += nl;
    for (int i = 0; i < n; ++i) {
      ind(level + 1);
      out += '{';
      out += nl;
      kv(level + 2, "name", str(names[i]));
      kv(level + 2, "value", str(values[i]), true);
      ind(level + 1);
      out += i + 1 < n ? "}," : "}";
      out += nl;
    }
    ind(level);
    out += last ? "]" : "],";
    out += nl;
  };
  static const char* kHosts[] = {"www.example.com",        "connect.facebook.net", "www.google-analytics.com",
                                 "static.example-cdn.net", "px.ads.linkedin.com",  "wa.me"};
  static const char* kTypes[] = {"document", "script", "image", "xhr", "stylesheet", "font"};

  out += "{";
  out += nl;
  ind(1);
  out += "\"log\"";
  out += sep;
  out += "{";
  out += nl;
  kv(2, "version", str("1.2"));
  ind(2);
  out += std::string("\"creator\"") + sep + "{\"name\"" + sep + "\"WebInspector\"," + "\"version\"" + sep +
         "\"537.36\"},";
  out += nl;
  ind(2);
  out += std::string("\"pages\"") + sep + "[{\"startedDateTime\"" + sep +
         "\"2026-01-01T10:00:00.000Z\",\"id\"" + sep + "\"page_1\",\"title\"" + sep +
         "\"https://www.example.com/\",\"pageTimings\"" + sep + "{\"onContentLoad\"" + sep +
         "812.5,\"onLoad\"" + sep + "1640.25}}],";
  out += nl;
  ind(2);
  out += "\"entries\"";
  out += sep;
  out += "[";
  out += nl;
  for (uint64_t i = 0; i < opt.entries; ++i) {
    std::string n = std::to_string(i);
    const char* host = kHosts[i % 6];
    std::string url =
        std::string("https://") + host + "/path/" + n + "/resource.js?v=" + n + "&utm_source=test";
    bool post = opt.post_every && i % opt.post_every == opt.post_every - 1;
    bool html = opt.html_every && i % opt.html_every == 0;
    bool b64 = !html && opt.base64_every && i % opt.base64_every == 1;
    ind(3);
    out += "{";
    out += nl;
    kv(4, "_initiator",
       std::string("{\"type\"") + sep + "\"script\",\"stack\"" + sep + "{\"callFrames\"" + sep +
           "[{\"functionName\"" + sep + "\"t\",\"scriptId\"" + sep + "\"55\",\"url\"" + sep +
           "\"https://www.example.com/app.js\",\"lineNumber\"" + sep + "1,\"columnNumber\"" + sep +
           "2040}]}}");
    kv(4, "_priority", str("High"));
    kv(4, "_resourceType", str(kTypes[i % 6]));
    kv(4, "cache", "{}");
    kv(4, "connection", str(std::to_string(1000 + i % 50)));
    kv(4, "pageref", str("page_1"));
    ind(4);
    out += std::string("\"request\"") + sep + "{";
    out += nl;
    kv(5, "method", str(post ? "POST" : "GET"));
    kv(5, "url", str(url));
    kv(5, "httpVersion", str("http/2.0"));
    std::string hn[] = {":authority",      ":method",         ":path",  ":scheme", "accept",
                        "accept-encoding", "accept-language", "cookie", "referer", "user-agent"};
    std::string hv[] = {host,
                        post ? "POST" : "GET",
                        "/path/" + n + "/resource.js?v=" + n,
                        "https",
                        "*/*",
                        "gzip, deflate, br",
                        "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
                        "_ga=GA1.2.1234567890." + n + "; _fbp=fb.1.1640000000000." + n + "; session=abc" + n,
                        "https://www.example.com/",
                        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/120.0.0.0 Safari/537.36"};
    header_list(5, "headers", hn, hv, 10, false);
    ind(5);
    out += std::string("\"queryString\"") + sep + "[{\"name\"" + sep + "\"v\",\"value\"" + sep + "\"" + n +
           "\"},{\"name\"" + sep + "\"utm_source\",\"value\"" + sep + "\"test\"}],";
    out += nl;
    ind(5);
    out += std::string("\"cookies\"") + sep + "[{\"name\"" + sep + "\"_ga\",\"value\"" + sep +
           "\"GA1.2.1234567890." + n + "\",\"path\"" + sep + "\"/\",\"domain\"" + sep +
           "\".example.com\",\"expires\"" + sep + "\"2027-01-01T10:00:00.000Z\",\"httpOnly\"" + sep +
           "false,\"secure\"" + sep + "false},{\"name\"" + sep + "\"_fbp\",\"value\"" + sep +
           "\"fb.1.1640000000000." + n + "\"},{\"name\"" + sep + "\"session\",\"value\"" + sep + "\"abc" + n +
           "\"}],";
    out += nl;
    if (post) {
      kv(5, "postData",
         std::string("{\"mimeType\"") + sep + "\"application/x-www-form-urlencoded\",\"text\"" + sep +
             "\"id=" + n + "&ev=PageView&dl=https%3A%2F%2Fwww.example.com%2F\"}");
    }
    kv(5, "headersSize", "-1");
    kv(5, "bodySize", post ? "48" : "0", true);
    ind(4);
    out += "},";
    out += nl;
    ind(4);
    out += std::string("\"response\"") + sep + "{";
    out += nl;
    kv(5, "status", "200");
    kv(5, "statusText", str(""));
    kv(5, "httpVersion", str("http/2.0"));
    std::string rn[] = {"cache-control", "content-encoding", "content-length", "content-type",
                        "date",          "server",           "set-cookie",     "vary"};
    std::string rv[] = {
        "public, max-age=31536000",
        "br",
        std::to_string(1000 + i % 9000),
        html ? "text/html; charset=utf-8" : "application/javascript",
        "Thu, 01 Jan 2026 10:00:00 GMT",
        "nginx",
        "sid=" + n + "; Path=/; Domain=.example.com; Secure; HttpOnly\\nuid=" + n + "; Max-Age=3600",
        "Accept-Encoding"};
    header_list(5, "headers", rn, rv, 8, false);
    kv(5, "cookies", "[]");
    ind(5);
    out += std::string("\"content\"") + sep + "{";
    out += nl;
    kv(6, "size", std::to_string(1000 + i % 9000));
    if (html) {
      std::string body =
          "<!DOCTYPE html><html><head><title>Page " + n +
          "</title><script src=\\\"https://connect.facebook.net/en_US/fbevents.js\\\"></script></head><body>";
      for (int k = 0; k < 12; ++k) {
        body += "<div class=\\\"row\\\"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit " +
                std::to_string(k) + ".</p><a href=\\\"/page/" + std::to_string(k) + "\\\">more</a></div>\\n";
      }
      body +=
          "<a href=\\\"https://wa.me/31612345678\\\">WhatsApp</a><form action=\\\"/subscribe\\\"></form>"
          "<script>var c='tel:+31201234567';</script></body></html>";
      kv(6, "mimeType", str("text/html"));
      kv(6, "text", str(body), true);
    } else if (b64) {
      // "console.log('blindspot');\n" repeated, base64-encoded.
      std::string chunk = "Y29uc29sZS5sb2coJ2JsaW5kc3BvdCcpOwo=";
      std::string body;
      for (int k = 0; k < 29; ++k)
        body += "Y29uc29sZS5sb2coJ2JsaW5kc3BvdCcpOwpj";  // 27 bytes each, no padding
      body += chunk;
      kv(6, "mimeType", str("application/javascript"));
      kv(6, "text", str(body));
      kv(6, "encoding", str("base64"), true);
    } else {
      kv(6, "mimeType", str("application/javascript"), true);
    }
    ind(5);
    out += "},";
    out += nl;
    kv(5, "redirectURL", str(""));
    kv(5, "headersSize", "-1");
    kv(5, "bodySize", "-1");
    kv(5, "_transferSize", std::to_string(1200 + i % 9000), true);
    ind(4);
    out += "},";
    out += nl;
    kv(4, "serverIPAddress", str("93.184.216.34"));
    kv(4, "startedDateTime", str("2026-01-01T10:00:00.123Z"));
    kv(4, "time", "42.125");
    kv(4, "timings",
       std::string("{\"blocked\"") + sep + "1.5,\"dns\"" + sep + "-1,\"ssl\"" + sep + "-1,\"connect\"" + sep +
           "-1,\"send\"" + sep + "0.25,\"wait\"" + sep + "30.5,\"receive\"" + sep +
           "9.875,\"_blocked_queueing\"" + sep + "0.75}",
       true);
    ind(3);
    out += i + 1 < opt.entries ? "}," : "}";
    out += nl;
  }
  ind(2);
  out += "]";
  out += nl;
  ind(1);
  out += "}";
  out += nl;
  out += "}";
  out += nl;
  return out;
}

}  // namespace blindspot::evidence_testing

// What a phase leaves in the bundle: capture.har (HAR 1.2, every hop of
// every page), scan.json (pages, consent, cookies, storage, links, forms,
// statements, declarations, leaks), screenshots/NNN.jpg and text/NNN.txt.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>

#include "blindspot/evidence.h"
#include "evidence/har_util.h"
#include "scan/leaks.h"
#include "scan/scan_internal.h"

namespace blindspot::scan {

// ---- small helpers -------------------------------------------------------------

std::string Base64Decode(std::string_view in) {
  // CDP's base64 (screenshots, bodies, post data) through the HAR reader's decoder.
  std::string out;
  (void)evidence_internal::Base64Decode(in, &out);  // not base64: what decoded so far
  return out;
}

std::string Base64Encode(std::string_view in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    out += {a[v >> 18], a[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], '='};
  }
  return out;
}

double WallNow() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() / 1e6;
}

std::string IsoTime(double wall) {
  if (wall <= 0) wall = WallNow();
  std::time_t secs = static_cast<std::time_t>(wall);
  int ms = static_cast<int>((wall - static_cast<double>(secs)) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string CrawlKey(const std::string& url) {
  std::string u = url.substr(0, url.find('#'));
  UrlParts parts;
  if (!SplitUrl(u, &parts)) return {};
  std::string scheme(parts.scheme);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (scheme != "http" && scheme != "https") return {};
  std::string path(parts.path);
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static const char* kSkip[] = {".pdf",  ".jpg", ".jpeg", ".png",  ".gif",   ".webp", ".svg",  ".zip", ".mp4",
                                ".mp3",  ".doc", ".docx", ".xls",  ".xlsx",  ".ppt",  ".pptx", ".ics", ".xml",
                                ".json", ".css", ".js",   ".woff", ".woff2", ".exe",  ".dmg",  ".rss"};
  for (const char* ext : kSkip) {
    if (lower.ends_with(ext)) return {};
  }
  if (lower.find("logout") != std::string::npos || lower.find("uitloggen") != std::string::npos) return {};
  return u;
}

bool IsCmpDeclarationUrl(std::string_view url) {
  UrlParts parts;
  if (!SplitUrl(url, &parts)) return false;
  std::string host(parts.host);
  return (host == "cdn.cookielaw.org" || host.ends_with(".cookielaw.org") || host == "cdn.cookiepro.com") &&
         parts.path.starts_with("/consent/") && parts.path.ends_with(".json");
}

Json ParseCmpDeclaration(std::string_view url, std::string_view body) {
  Json doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return nullptr;
  // OneTrust: Groups at the top or under DomainData; each with FirstPartyCookies
  // and Hosts[].Cookies (third parties).
  const Json* groups = nullptr;
  if (auto g = doc.find("Groups"); g != doc.end() && g->is_array())
    groups = &*g;
  else if (auto d = doc.find("DomainData"); d != doc.end() && d->is_object() && d->contains("Groups"))
    groups = &(*d)["Groups"];
  if (groups == nullptr || !groups->is_array()) return nullptr;
  auto str = [](const Json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Json out = {{"consent_manager", "OneTrust"}, {"source", std::string(url)}, {"categories", Json::array()}};
  for (const auto& g : *groups) {
    if (!g.is_object()) continue;
    Json cookies = Json::array();
    for (const auto& c : g.value("FirstPartyCookies", Json::array())) {
      if (c.is_object())
        cookies.push_back({{"name", str(c, "Name")},
                           {"host", str(c, "Host")},
                           {"lifetime", str(c, "Length")},
                           {"party", "first"}});
    }
    for (const auto& h : g.value("Hosts", Json::array())) {
      if (!h.is_object()) continue;
      for (const auto& c : h.value("Cookies", Json::array())) {
        if (c.is_object())
          cookies.push_back({{"name", str(c, "Name")},
                             {"host", str(h, "HostName")},
                             {"lifetime", str(c, "Length")},
                             {"party", "third"}});
      }
    }
    out["categories"].push_back({{"id", str(g, "OptanonGroupId")},
                                 {"name", str(g, "GroupName")},
                                 {"status", str(g, "Status")},
                                 {"cookies", cookies}});
  }
  return out;
}

void ApplyResponse(Hop& h, const Json& r) {
  h.status = r.value("status", 0);
  h.status_text = r.value("statusText", "");
  h.mime = r.value("mimeType", "");
  h.protocol = r.value("protocol", "");
  h.remote_ip = r.value("remoteIPAddress", "");
  h.from_cache = r.value("fromDiskCache", false) || r.value("fromServiceWorker", false);
  if (!h.resp_extra && r.contains("headers") && r["headers"].is_object()) h.resp_headers = r["headers"];
}

void ApplyRequestExtra(Hop& h, const Json& extra) {
  if (extra.contains("headers") && extra["headers"].is_object()) h.req_headers = extra["headers"];
  if (extra.contains("associatedCookies")) h.associated_cookies = extra["associatedCookies"];
  h.req_extra = true;
}

void ApplyResponseExtra(Hop& h, const Json& extra) {
  if (extra.contains("headers") && extra["headers"].is_object()) h.resp_headers = extra["headers"];
  if (extra.contains("blockedCookies")) {
    for (const auto& b : extra["blockedCookies"]) h.blocked_cookies.push_back(b);
  }
  h.resp_extra = true;
}

void PhaseLog::ObserveCookie(const Json& c, int page) {
  std::string key = c.value("name", "") + "|" + c.value("domain", "") + "|" + c.value("path", "");
  auto [it, inserted] = cookies.try_emplace(key);
  if (inserted) {
    it->second.cookie = c;
    it->second.first_page = page;
  }
  it->second.last_value = c.value("value", "");
  it->second.last_page = page;
}

namespace {

std::string HostOf(std::string_view url) {
  UrlParts parts;
  if (!SplitUrl(url, &parts)) return {};
  std::string h(parts.host);
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
  return h;
}

// Header objects as CDP gives them ({"name": "v1\nv2"}) -> HAR header list.
Json HarHeaders(const Json& headers) {
  Json out = Json::array();
  if (!headers.is_object()) return out;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (!it.value().is_string()) continue;
    std::string v = it.value().get<std::string>();
    size_t start = 0;
    while (true) {
      size_t nl = v.find('\n', start);
      out.push_back(
          {{"name", it.key()}, {"value", v.substr(start, nl == std::string::npos ? nl : nl - start)}});
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  return out;
}

std::string HeaderValue(const Json& headers, std::string_view name) {
  if (!headers.is_object()) return {};
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    const std::string& k = it.key();
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }) &&
        it.value().is_string())
      return it.value().get<std::string>();
  }
  return {};
}

Json QueryString(std::string_view url) {
  Json out = Json::array();
  UrlParts parts;
  if (!SplitUrl(url, &parts)) return out;
  std::string_view q = parts.query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      out.push_back(
          {{"name", std::string(pair.substr(0, eq))},
           {"value", eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1))}});
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool DomainMatches(const std::string& host, std::string domain) {
  if (!domain.empty() && domain.front() == '.') domain.erase(0, 1);
  return host == domain || (host.size() > domain.size() && host.ends_with("." + domain));
}

std::string Num(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", i + 1);
  return buf;
}

std::string_view LinkKind(std::string_view href) {
  std::string h = Lower(std::string(href.substr(0, 64)));
  if (h.starts_with("tel:")) return "tel";
  if (h.starts_with("mailto:")) return "mailto";
  if (h.starts_with("sms:")) return "sms";
  std::string host = HostOf(href);
  if (host == "wa.me" || host == "api.whatsapp.com" || host == "chat.whatsapp.com" ||
      host == "web.whatsapp.com" || host == "whatsapp.com" || host == "www.whatsapp.com")
    return "whatsapp";
  if (host == "m.me" || host == "www.m.me" || host == "messenger.com" || host == "www.messenger.com")
    return "messenger";
  if (host == "t.me" || host == "telegram.me") return "telegram";
  static const std::pair<const char*, const char*> kSocial[] = {
      {"facebook.com", "social"}, {"instagram.com", "social"}, {"linkedin.com", "social"},
      {"twitter.com", "social"},  {"x.com", "social"},         {"youtube.com", "social"},
      {"tiktok.com", "social"},   {"pinterest.com", "social"}, {"threads.net", "social"},
      {"snapchat.com", "social"}, {"bsky.app", "social"},      {"mastodon.social", "social"}};
  for (const auto& [d, k] : kSocial) {
    if (DomainMatches(host, d)) return k;
  }
  return "";
}

}  // namespace

void AppendPhaseFiles(const PhaseInput& in, std::vector<BundleFile>* files, PhaseSummary* summary,
                      std::vector<std::string>* notes) {
  PhaseLog& log = *in.log;
  std::lock_guard lock(log.mu);
  std::string dir(PhaseName(in.phase));
  summary->phase = in.phase;

  // Which hops count: in phases 2 and 3, what came after the choice.
  auto counts = [&](const Hop& h) { return in.phase == Phase::kBeforeConsent || h.seq >= log.action_seq; };

  // ---- HAR -----------------------------------------------------------------------
  Json pages = Json::array();
  for (const auto& p : log.pages) {
    std::string title = p.probe.is_object() ? p.probe.value("title", "") : "";
    pages.push_back({{"id", "page_" + std::to_string(p.index + 1)},
                     {"startedDateTime", IsoTime(p.wall_started)},
                     {"title", title.empty() ? p.url : title},
                     {"_url", p.final_url.empty() ? p.url : p.final_url},
                     {"pageTimings", Json::object()}});
  }
  std::vector<const Hop*> order;
  for (const auto& h : log.hops) {
    if (counts(h)) order.push_back(&h);
  }
  std::stable_sort(order.begin(), order.end(), [](const Hop* a, const Hop* b) { return a->seq < b->seq; });
  Json entries = Json::array();
  std::set<std::string> third_party_hosts;
  for (const Hop* h : order) {
    Json req = {{"method", h->method},
                {"url", h->url},
                {"httpVersion", h->protocol.empty() ? "HTTP/1.1" : h->protocol},
                {"headers", HarHeaders(h->req_headers)},
                {"queryString", QueryString(h->url)},
                {"cookies", Json::array()},
                {"headersSize", -1},
                {"bodySize", static_cast<int64_t>(h->post_data.size())}};
    if (!h->post_data.empty() || h->method == "POST") {
      req["postData"] = {{"mimeType", h->post_mime}, {"text", h->post_data}};
      if (h->post_truncated) req["postData"]["_truncated"] = true;
    }
    Json content = {{"size", static_cast<int64_t>(h->body.size())}, {"mimeType", h->mime}};
    if (!h->body.empty()) content["text"] = h->body;
    Json resp = {{"status", h->status},
                 {"statusText", h->status_text},
                 {"httpVersion", h->protocol.empty() ? "HTTP/1.1" : h->protocol},
                 {"headers", HarHeaders(h->resp_headers)},
                 {"cookies", Json::array()},
                 {"content", content},
                 {"redirectURL", h->redirect_url},
                 {"headersSize", -1},
                 {"bodySize", static_cast<int64_t>(h->encoded_size)}};
    if (h->failed) resp["_error"] = h->error;
    if (!h->blocked_cookies.empty()) resp["_blockedCookies"] = h->blocked_cookies;
    double ms = h->end_ts > h->ts ? (h->end_ts - h->ts) * 1000 : 0;
    std::string rtype = Lower(h->resource_type);
    Json e = {{"startedDateTime", IsoTime(h->wall_time)},
              {"time", ms},
              {"request", req},
              {"response", resp},
              {"cache", Json::object()},
              {"timings", {{"send", 0}, {"wait", ms}, {"receive", 0}}},
              {"_resourceType", rtype},
              {"_initiator", {{"type", h->initiator_type}, {"url", h->initiator_url}}}};
    if (h->page >= 0) e["pageref"] = "page_" + std::to_string(h->page + 1);
    if (!h->remote_ip.empty()) e["serverIPAddress"] = h->remote_ip;
    entries.push_back(std::move(e));
    std::string host = HostOf(h->url);
    if (!host.empty() && RegistrableDomain(host) != in.site) third_party_hosts.insert(host);
  }
  Json har = {{"log",
               {{"version", "1.2"},
                {"creator", {{"name", "blindspot"}, {"version", in.options ? "scan" : ""}}},
                {"browser", {{"name", "Chromium"}, {"version", ""}}},
                {"pages", pages},
                {"entries", entries},
                {"_blindspot", {{"phase", dir}}}}}};
  files->push_back({dir + "/capture.har", har.dump(1, ' ', false, Json::error_handler_t::replace)});
  summary->requests = order.size();

  // ---- scan.json -------------------------------------------------------------------
  Json jpages = Json::array();
  std::map<std::string, std::set<std::string>> storage_local, storage_session;
  for (const auto& p : log.pages) {
    Json jp = {
        {"index", p.index + 1}, {"url", p.url}, {"depth", p.depth}, {"started", IsoTime(p.wall_started)}};
    if (!p.final_url.empty() && p.final_url != p.url) jp["final_url"] = p.final_url;
    if (!p.error.empty()) {
      jp["error"] = p.error;
      ++summary->pages_failed;
    }
    // The redirect chain of the page's document: its first hop, then each
    // hop's redirect target.
    Json chain = Json::array();
    std::string want = p.url;
    for (const Hop* h : order) {
      if (h->page != p.index || h->resource_type != "Document" || h->url != want) continue;
      chain.push_back({{"url", h->url}, {"status", h->status}});
      if (h->redirect_url.empty() || chain.size() > 20) break;
      want = h->redirect_url;
    }
    if (chain.size() > 1) jp["redirects"] = chain;
    // The third-party hosts this page contacted (a tracker that only shows up
    // on later pages is judged from these).
    std::set<std::string> page_hosts;
    for (const Hop* h : order) {
      if (h->page != p.index) continue;
      std::string host = HostOf(h->url);
      if (!host.empty() && RegistrableDomain(host) != in.site) page_hosts.insert(host);
    }
    jp["third_party_hosts"] = Json(std::vector<std::string>(page_hosts.begin(), page_hosts.end()));
    if (p.probe.is_object()) {
      const Json& pr = p.probe;
      jp["title"] = pr.value("title", "");
      Json links = Json::array();
      for (const auto& l : pr.value("links", Json::array())) {
        std::string href = l.value("href", "");
        std::string_view kind = LinkKind(href);
        if (kind.empty()) continue;  // same-site navigation links are in the crawl, not here
        links.push_back({{"kind", kind}, {"href", href}, {"text", l.value("text", "")}});
      }
      jp["contact_links"] = links;
      jp["iframes"] = pr.value("iframes", Json::array());
      jp["embeds"] = pr.value("embeds", Json::array());
      Json forms = Json::array();
      for (const auto& f : pr.value("forms", Json::array())) {
        Json jf = f;
        std::string action = f.value("action", "");
        jf["insecure_action"] = Lower(action.substr(0, 5)) == "http:";
        Json personal = Json::array();
        for (const auto& fld : f.value("fields", Json::array())) {
          std::string k = fld.value("kind", "");
          if (!k.empty() && k != "message") personal.push_back(k);
        }
        jf["asks_personal_data"] = personal;
        forms.push_back(std::move(jf));
      }
      jp["forms"] = forms;
      jp["statements"] = pr.value("statements", Json::array());
      if (auto d = pr.value("declaration", Json::array()); !d.empty()) jp["cookie_declaration"] = d;
      if (pr.contains("tcf") && pr["tcf"].is_object()) jp["tc_string"] = pr["tcf"].value("tc_string", "");
      jp["storage"] = pr.value("storage", Json::object());
      for (const auto& k : pr["storage"].value("local", Json::array()))
        storage_local[k.get<std::string>()].insert(p.url);
      for (const auto& k : pr["storage"].value("session", Json::array()))
        storage_session[k.get<std::string>()].insert(p.url);
      std::string text = pr.value("text", "");
      files->push_back({dir + "/text/" + Num(p.index) + ".txt", text});
      jp["text"] = "text/" + Num(p.index) + ".txt";
    }
    if (!p.filled.is_null()) jp["filled"] = p.filled;
    if (!p.screenshot.empty()) {
      files->push_back({dir + "/screenshots/" + Num(p.index) + ".jpg", p.screenshot});
      jp["screenshot"] = "screenshots/" + Num(p.index) + ".jpg";
    }
    jpages.push_back(std::move(jp));
  }
  summary->pages = static_cast<uint32_t>(log.pages.size());

  // Cookies: who set them (a Set-Cookie header seen for that name on a
  // matching host, else a script), first or third party.
  std::map<std::string, std::set<std::string>> http_set;  // name -> hosts whose responses set it
  Json blocked = Json::array();
  for (const Hop* h : order) {
    std::string host = HostOf(h->url);
    std::string sc = HeaderValue(h->resp_headers, "set-cookie");
    size_t start = 0;
    while (!sc.empty() && start < sc.size()) {
      size_t nl = sc.find('\n', start);
      std::string line = sc.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      std::string name = line.substr(0, line.find('='));
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      http_set[name].insert(host);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    for (const auto& b : h->blocked_cookies) {
      std::string line = b.value("cookieLine", "");
      std::string name = line.substr(0, line.find('='));
      blocked.push_back({{"name", name},
                         {"host", host},
                         {"reasons", b.value("blockedReasons", Json::array())},
                         {"page", h->page + 1}});
    }
  }
  Json cookies = Json::array();
  for (const auto& [key, rec] : log.cookies) {
    const Json& c = rec.cookie;
    std::string name = c.value("name", ""), domain = c.value("domain", "");
    std::string bare = domain.starts_with(".") ? domain.substr(1) : domain;
    bool third = RegistrableDomain(bare) != in.site;
    bool by_http = false;
    if (auto it = http_set.find(name); it != http_set.end()) {
      for (const auto& host : it->second)
        by_http = by_http || DomainMatches(host, bare) || DomainMatches(bare, host);
    }
    Json jc = {{"name", name},
               {"domain", domain},
               {"path", c.value("path", "/")},
               {"session", c.value("session", false)},
               {"http_only", c.value("httpOnly", false)},
               {"secure", c.value("secure", false)},
               {"same_site", c.value("sameSite", "")},
               {"third_party", third},
               {"set_by", by_http ? "http" : "script"},
               {"first_page", rec.first_page + 1}};
    if (!c.value("session", false)) {
      double exp = c.value("expires", 0.0);
      jc["expires"] = IsoTime(exp);
      double days = (exp - WallNow()) / 86400.0;
      jc["lifetime_days"] = days < 0 ? 0 : static_cast<int64_t>(days + 0.5);
    }
    cookies.push_back(std::move(jc));
    ++summary->cookies;
    if (third) ++summary->third_party_cookies;
  }
  Json storage = {{"local", Json::array()}, {"session", Json::array()}};
  for (const auto& [k, ps] : storage_local) storage["local"].push_back({{"key", k}, {"pages", ps.size()}});
  for (const auto& [k, ps] : storage_session)
    storage["session"].push_back({{"key", k}, {"pages", ps.size()}});

  Json consent = Json::object();
  if (in.consent != nullptr) {
    const ConsentOutcome& c = *in.consent;
    std::string action = c.action == ConsentAction::kReject   ? "reject"
                         : c.action == ConsentAction::kAccept ? "accept"
                                                              : "none";
    std::string result = !c.banner_found                    ? "no-banner"
                         : c.action == ConsentAction::kNone ? "not-attempted"
                         : c.succeeded                      ? "clicked"
                                                            : "failed";
    Json buttons = Json::array();
    for (const auto& b : c.first_layer_buttons)
      buttons.push_back({{"text", b.text}, {"role", ToString(b.role)}});
    consent = {{"banner_found", c.banner_found},
               {"consent_manager", c.cmp},
               {"action", action},
               {"result", result},
               {"first_layer_buttons", buttons},
               {"self_test", c.self_test ? Json(*c.self_test) : Json()},
               {"cmps_detected", c.cmps_detected},
               {"banner_url", c.banner_url},
               {"cosmetic", c.cosmetic},
               {"clicks", c.clicks},
               {"banner_shown_again", c.banner_shown_again},
               {"error", c.error},
               {"log", c.log}};
    summary->consent_manager = c.cmp;
    summary->banner_found = c.banner_found;
    summary->consent_result = result;
  } else {
    consent = {{"result", "not-run"}};
    summary->consent_result = "not-run";
  }

  // What the probe read of the banner without clicking: the second layer's
  // toggles and the banner's box, from the first page that showed them.
  for (const auto& p : log.pages) {
    if (!p.probe.is_object()) continue;
    if (!consent.contains("second_layer") && p.probe.contains("consent_toggles")) {
      Json toggles = Json::array();
      for (const auto& t : p.probe["consent_toggles"])
        toggles.push_back({{"category", t.value("category", "")},
                           {"key", t.value("key", "")},
                           {"kind", t.value("kind", "category")},
                           {"checked", t.value("checked", false)},
                           {"disabled", t.value("disabled", false)}});
      consent["second_layer"] = toggles;
      consent["second_layer_page"] = p.index + 1;
    }
    if (!consent.contains("banner") && p.probe.contains("banner") && p.probe["banner"].is_object()) {
      const Json& b = p.probe["banner"];
      consent["banner"] = {{"page", p.index + 1},
                           {"viewport_share", b.value("share", 0.0)},
                           {"scroll_locked", b.value("scroll_locked", false)},
                           {"inert", b.value("inert", false)},
                           {"paywall_terms", b.value("paywall_terms", Json::array())}};
    }
  }
  // The TCF consent string: the consent manager's API on the last page that
  // answered, else the euconsent-v2 cookie as last seen.
  for (auto it = log.pages.rbegin(); it != log.pages.rend() && !consent.contains("tcf"); ++it) {
    if (it->probe.is_object() && it->probe.contains("tcf") && it->probe["tcf"].is_object())
      consent["tcf"] = {{"tc_string", it->probe["tcf"].value("tc_string", "")},
                        {"from", "tcfapi"},
                        {"page", it->index + 1}};
  }
  for (const auto& [key, rec] : log.cookies) {
    if (consent.contains("tcf") || rec.cookie.value("name", "") != "euconsent-v2" || rec.last_value.empty())
      continue;
    consent["tcf"] = {{"tc_string", rec.last_value}, {"from", "cookie"}, {"page", rec.last_page + 1}};
  }

  // The consent manager's own declaration, when the pages loaded one.
  Json declaration = nullptr;
  for (const Hop* h : order) {
    if (!h->body.empty() && IsCmpDeclarationUrl(h->url)) {
      declaration = ParseCmpDeclaration(h->url, h->body);
      if (!declaration.is_null()) break;
    }
  }
  // --fill-forms: the typed values in requests to third parties.
  Json leaks = Json::array();
  if (in.options != nullptr && in.options->fill_forms) {
    const FormIdentity& fi = in.options->identity;
    TestIdentity id;
    id.email = fi.email;
    id.first_name = fi.first_name;
    id.last_name = fi.last_name;
    id.phone = fi.phone;
    id.postcode = fi.postcode;
    id.country_calling_code = fi.country_calling_code;
    LeakMatcher matcher(id);
    std::set<std::string> seen;
    for (size_t i = 0; i < order.size(); ++i) {
      const Hop* h = order[i];
      std::string host = HostOf(h->url);
      if (host.empty() || RegistrableDomain(host) == in.site) continue;
      for (const Leak& l : matcher.Find(h->url, h->post_data)) {
        std::string key = host + "|" + std::string(ToString(l.field)) + "|" +
                          std::string(ToString(l.encoding)) + "|" + l.where;
        if (!seen.insert(key).second) continue;
        summary->leak_lines.push_back(std::string(ToString(l.field)) + " " +
                                      std::string(ToString(l.encoding)) + " -> " + host +
                                      (l.where.empty() ? "" : " (" + l.where + ")"));
        leaks.push_back({{"field", ToString(l.field)},
                         {"encoding", ToString(l.encoding)},
                         {"form", l.form},
                         {"digest_text", l.digest_text},
                         {"place", ToString(l.place)},
                         {"where", l.where},
                         {"host", host},
                         {"url", h->url.substr(0, 300)},
                         {"entry", i},
                         {"page", h->page + 1}});
      }
    }
    summary->leaks = static_cast<uint32_t>(leaks.size());
  }
  Json scan = {{"phase", dir},
               {"started", in.started},
               {"finished", in.finished},
               {"site", in.site},
               {"consent", consent},
               {"pages", jpages},
               {"cookies", cookies},
               {"blocked_cookies", blocked},
               {"storage", storage},
               {"third_party_hosts",
                Json(std::vector<std::string>(third_party_hosts.begin(), third_party_hosts.end()))},
               {"cmp_declaration", declaration},
               {"leaks", leaks}};
  files->push_back({dir + "/scan.json", scan.dump(1, ' ', false, Json::error_handler_t::replace)});
  for (const auto& p : log.pages) {
    if (!p.error.empty()) notes->push_back(dir + ": " + p.url + ": " + p.error);
  }
}

}  // namespace blindspot::scan

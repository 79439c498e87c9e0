#include "blindspot/http.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "blindspot/io.h"
#include "internal.h"
#include "pages.h"
#include "store_test_util.h"
#include "zip_test_util.h"

namespace blindspot::http {
namespace {

using Json = nlohmann::json;
using store::Role;

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Sends `request` as it is over a new connection and returns the whole
// response (the connection is closed after it: "Connection: close").
std::string RawRequest(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// The status, Content-Type and body of a raw response.
struct RawResponse {
  int status = 0;
  std::string content_type, body;
};
RawResponse ParseRaw(const std::string& raw) {
  RawResponse r;
  if (raw.size() > 12 && raw.starts_with("HTTP/1.1 ")) r.status = std::atoi(raw.c_str() + 9);
  size_t end = raw.find("\r\n\r\n");
  std::string head = raw.substr(0, end);
  if (end != std::string::npos) r.body = raw.substr(end + 4);
  size_t ct = head.find("Content-Type: ");
  if (ct != std::string::npos) r.content_type = head.substr(ct + 14, head.find("\r\n", ct) - ct - 14);
  return r;
}

class HttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = store::testing::TestDatabase::Create(GetParam());
    if (!db_) GTEST_SKIP() << store::testing::TestDatabase::SkipReason(GetParam());
    auto st = store::Store::Open(db_->url());
    ASSERT_TRUE(st.has_value()) << st.error().message;
    store_ = std::move(*st);
    admin::Options o;
    o.app.default_filter_lists = false;
    admin_ = std::make_unique<admin::Admin>(*store_, o);
    org_ = admin_->AddOrg("Fietshuis Zonnepad B.V.")->id;
    for (Role r : store::AllRoles()) {
      std::string email = std::string(store::RoleName(r)) + "@example.nl";
      auto u = admin_->AddUser(org_, email, r, "a long password 123");
      ASSERT_TRUE(u.has_value()) << u.error().message;
      secrets_[r] = u->totp_secret;
      tokens_[r] = *admin_->AddToken(org_, email, "test");
    }
    ServeOptions so;
    so.port = 0;
    so.threads = 4;
    so.max_body_bytes = 8u << 20;
    server_ = Server::Create(*admin_, so);
    auto port = server_->Bind();
    ASSERT_TRUE(port.has_value());
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }
  httplib::Headers Bearer(Role r) { return {{"Authorization", "Bearer " + tokens_[r]}}; }
  // An import that replaces the register whatever its version (If-Match: *).
  httplib::Headers Replacing(Role r) {
    return {{"Authorization", "Bearer " + tokens_[r]}, {"If-Match", "*"}};
  }

  void ImportExample() {
    auto c = Client();
    auto res = c.Put("/api/v1/orgs/" + org_ + "/register", Replacing(Role::kPrivacyOfficer),
                     ReadSource("examples/webshop/register.yaml"), "application/yaml");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }

  // Logs in through the form; returns the session cookie ("name=value") and the CSRF token.
  std::pair<std::string, std::string> LogIn(Role r) {
    auto c = Client();
    auto page = c.Get("/login");
    EXPECT_TRUE(page);
    std::string cookie = page->get_header_value("Set-Cookie");
    cookie = cookie.substr(0, cookie.find(';'));
    std::smatch m;
    std::regex field(R"re(name="csrf" value="([^"]+)")re");
    EXPECT_TRUE(std::regex_search(page->body, m, field));
    std::string login_csrf = m[1];
    httplib::Params form = {{"csrf", login_csrf},
                            {"email", std::string(store::RoleName(r)) + "@example.nl"},
                            {"password", "a long password 123"}};
    if (!secrets_[r].empty()) {
      // A fresh code step per login (no replay): step forward through the window.
      form.emplace("totp", *auth::TotpCode(secrets_[r], std::time(nullptr) + 30 * logins_[r]++));
    }
    auto res = c.Post("/login", {{"Cookie", cookie}}, form);
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 303) << res->body;
    std::string session;
    for (auto [it, end] = res->headers.equal_range("Set-Cookie"); it != end; ++it)
      if (it->second.starts_with("__Host-bs_session=")) session = it->second.substr(0, it->second.find(';'));
    EXPECT_FALSE(session.empty());
    // The session's CSRF token from a page's logout form.
    auto home = c.Get("/", {{"Cookie", session}});
    std::string csrf;
    if (home && std::regex_search(home->body, m, field)) csrf = m[1];
    return {session, csrf};
  }

  std::unique_ptr<store::testing::TestDatabase> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<admin::Admin> admin_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string org_;
  std::map<Role, std::string> secrets_, tokens_;
  std::map<Role, int> logins_;
};

TEST_P(HttpTest, OpenApiDocumentListsEveryApiRoute) {
  auto c = Client();
  auto res = c.Get("/api/v1/openapi.json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  Json doc = Json::parse(res->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  int api_routes = 0;
  for (const RouteInfo& r : Routes()) {
    if (!r.api) continue;
    ++api_routes;
    std::string method(r.method);
    for (char& ch : method) ch = static_cast<char>(std::tolower(ch));
    ASSERT_TRUE(doc["paths"].contains(std::string(r.path))) << r.path;
    EXPECT_TRUE(doc["paths"][std::string(r.path)].contains(method)) << r.method << " " << r.path;
  }
  EXPECT_GE(api_routes, 20);
  EXPECT_EQ(doc["paths"]["/api/v1/orgs/{org}/register"]["put"]["x-roles"],
            Json::parse(R"(["admin","privacy_officer"])"));
}

TEST_P(HttpTest, TheScriptContract) {
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  // No token: 401; a role without the right: 403; both JSON with a stable code.
  auto none = c.Get(base + "/register");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(Json::parse(none->body)["error"]["code"], "auth");
  auto bad_token = c.Get(base + "/register", {{"Authorization", "Bearer bst_wrong"}});
  EXPECT_EQ(bad_token->status, 401);
  auto denied =
      c.Put(base + "/register", Bearer(Role::kAuditor), "blindspot_register: 1\n", "application/yaml");
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(Json::parse(denied->body)["error"]["code"], "denied");
  // Import, export in both formats.
  ImportExample();
  auto yaml = c.Get(base + "/register?format=yaml", Bearer(Role::kAuditor));
  ASSERT_EQ(yaml->status, 200);
  auto original = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "r.yaml");
  auto back = ParseRegisterText(yaml->body, "r.yaml");
  ASSERT_TRUE(back.has_value());
  back->reg.source = original->reg.source;
  EXPECT_TRUE(back->reg == original->reg);
  auto json = c.Get(base + "/register?format=json", Bearer(Role::kAuditor));
  ASSERT_EQ(json->status, 200);
  EXPECT_EQ(json->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Json::parse(json->body)["organisation"]["name"], "Fietshuis Zonnepad B.V.");
  // A broken register: 400 with where.
  auto broken = c.Put(base + "/register", Replacing(Role::kPrivacyOfficer),
                      "blindspot_register: 1\nactivities: 7\n", "application/yaml");
  EXPECT_EQ(broken->status, 400);
  Json err = Json::parse(broken->body);
  EXPECT_EQ(err["error"]["where"]["line"], 2);
  // An audit over two HARs (multipart) returns the JSON report.
  httplib::MultipartFormDataItems parts = {
      {"har", ReadSource("examples/webshop/har/home.har"), "home.har", "application/json"},
      {"har", ReadSource("examples/webshop/har/checkout.har"), "checkout.har", "application/json"}};
  auto audit = c.Post(base + "/audits", Bearer(Role::kPrivacyOfficer), parts);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 201) << audit->body.substr(0, 500);
  Json report = Json::parse(audit->body);
  EXPECT_FALSE(report["touchpoints"].empty());
  EXPECT_FALSE(report["findings"].empty());
  auto latest = c.Get(base + "/audits/latest", Bearer(Role::kDpo));
  EXPECT_EQ(latest->status, 200);
  EXPECT_EQ(latest->body, audit->body);
  // The dashboard counts as the report's summary does, in the reader's language.
  const Json& sum = report["summary"];
  const std::string counts = fmt::format(
      "{} touchpoints gevonden{}, {} blinde vlekken, {} geregistreerd maar niet gezien, {} "
      "bevindingen ({} hoog)",
      sum["detected"].get<int>(),
      sum["inferred"].get<int>() > 0
          ? fmt::format(" (+{} afgeleid, te bevestigen)", sum["inferred"].get<int>())
          : std::string(),
      sum["blind_spots"].get<int>(), sum["not_seen"].get<int>(), sum["findings"].get<int>(),
      sum["high"].get<int>());
  auto [session, csrf] = LogIn(Role::kAuditor);
  auto dash = c.Get("/orgs/" + org_ + "?lang=nl", {{"Cookie", session}});
  ASSERT_EQ(dash->status, 200);
  EXPECT_NE(dash->body.find(counts), std::string::npos) << counts << "\n" << dash->body;
  // The history lists the import, newest first, with pagination.
  auto hist = c.Get(base + "/history?limit=5", Bearer(Role::kAuditor));
  ASSERT_EQ(hist->status, 200);
  Json h = Json::parse(hist->body);
  EXPECT_EQ(h["items"].size(), 5u);
  EXPECT_GT(h["total"].get<int>(), 10);
  EXPECT_EQ(h["limit"], 5);
  EXPECT_EQ(c.Get(base + "/history?limit=abc", Bearer(Role::kAuditor))->status, 400);
}

TEST_P(HttpTest, OptimisticConcurrencyOverTheApi) {
  ImportExample();
  auto c = Client();
  const std::string url = "/api/v1/orgs/" + org_ + "/records/touchpoint/meta-pixel";
  auto got = c.Get(url, Bearer(Role::kPrivacyOfficer));
  ASSERT_EQ(got->status, 200);
  Json rec = Json::parse(got->body);
  int64_t version = rec["version"];
  EXPECT_EQ(got->get_header_value("ETag"), "\"" + std::to_string(version) + "\"");
  Json body = rec["body"];
  body["owner"] = "Marketing";
  Json put = {{"version", version}, {"body", body}, {"reason", "owner named"}};
  auto first = c.Put(url, Bearer(Role::kPrivacyOfficer), put.dump(), "application/json");
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(Json::parse(first->body)["version"], version + 1);
  // The same write again, based on the old version: 409, nothing overwritten.
  body["owner"] = "Sales";
  put["body"] = body;
  auto second = c.Put(url, Bearer(Role::kAdmin), put.dump(), "application/json");
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(Json::parse(second->body)["error"]["code"], "conflict");
  EXPECT_EQ(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["body"]["owner"], "Marketing");
  // No version at all: 400.
  auto unversioned = c.Put(url, Bearer(Role::kAdmin), Json{{"body", body}}.dump(), "application/json");
  EXPECT_EQ(unversioned->status, 400);
  // Another id in the body: refused.
  body["id"] = "other";
  auto renamed = c.Put(url, Bearer(Role::kAdmin), Json{{"version", version + 1}, {"body", body}}.dump(),
                       "application/json");
  EXPECT_EQ(renamed->status, 400);
}

// Every route x every role: a role the table does not allow gets 403, an
// allowed one never gets 401 or 403.
TEST_P(HttpTest, RouteRoleMatrix) {
  ImportExample();
  // The business owner owns the touchpoint the routes act on.
  auto po = admin::Actor{};
  {
    auto u = store_->FindUserByEmail("privacy_officer@example.nl");
    po.user_id = u->id;
    po.org_id = org_;
    po.roles = {Role::kPrivacyOfficer};
    auto rec = admin_->GetRecord(po, store::RecordKind::kTouchpoint, "meta-pixel");
    ASSERT_TRUE(admin_
                    ->Assign(po, store::RecordKind::kTouchpoint, "meta-pixel", rec->record.version,
                             "business_owner@example.nl", "")
                    .has_value());
  }
  std::map<Role, std::pair<std::string, std::string>> sessions;
  for (Role r : store::AllRoles()) sessions[r] = LogIn(r);
  int checked = 0;
  for (const RouteInfo& route : Routes()) {
    if (route.access != Access::kOrg) continue;
    std::string path(route.path);
    auto sub = [&](const std::string& key, const std::string& value) {
      size_t p = path.find(key);
      if (p != std::string::npos) path.replace(p, key.size(), value);
    };
    sub("{org}", org_);
    sub("{kind}", "touchpoint");
    sub("{id}", "meta-pixel");
    sub("{user}", "usr_nobody");  // member routes act on no one: 404 for the roles allowed
    for (Role role : store::AllRoles()) {
      auto c = Client();
      httplib::Headers headers;
      if (route.api) {
        headers = Bearer(role);
      } else {
        headers = {{"Cookie", sessions[role].first}, {"X-CSRF-Token", sessions[role].second}};
      }
      const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
      httplib::Result res = route.method == "GET"    ? c.Get(path, headers)
                            : route.method == "POST" ? c.Post(path, headers, body, "application/json")
                            : route.method == "PUT"  ? c.Put(path, headers, body, "application/json")
                                                     : c.Delete(path, headers);
      ASSERT_TRUE(res) << route.method << " " << route.path;
      bool allowed = RoleMayCall(route, role);
      if (allowed) {
        EXPECT_NE(res->status, 401) << route.method << " " << route.path << " as " << store::RoleName(role)
                                    << ": " << res->body;
        EXPECT_NE(res->status, 403) << route.method << " " << route.path << " as " << store::RoleName(role)
                                    << ": " << res->body;
      } else {
        EXPECT_EQ(res->status, 403) << route.method << " " << route.path << " as " << store::RoleName(role);
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 6 * 20);
  // The account routes (the user's own invitations): every role's session
  // may call them, a token may not (400), no login is 401.
  int account = 0;
  for (const RouteInfo& route : Routes()) {
    if (!route.session_only) continue;
    ASSERT_EQ(route.access, Access::kSession) << route.path;
    std::string path(route.path);
    if (size_t p = path.find("{org}"); p != std::string::npos) path.replace(p, 5, org_);
    auto call = [&](const httplib::Headers& h) {
      auto c = Client();
      return route.method == "GET" ? c.Get(path, h) : c.Post(path, h, "", "application/json");
    };
    for (Role role : store::AllRoles()) {
      auto res = call({{"Cookie", sessions[role].first}, {"X-CSRF-Token", sessions[role].second}});
      ASSERT_TRUE(res);
      EXPECT_TRUE(res->status == 200 || res->status == 404)
          << route.method << " " << route.path << " as " << store::RoleName(role) << ": " << res->status;
      EXPECT_EQ(call(Bearer(role))->status, 400) << route.path;
    }
    EXPECT_EQ(call({})->status, 401) << route.path;
    ++account;
  }
  EXPECT_EQ(account, 3);
  // A member of another organisation gets 403 on every org route; a stranger 401.
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(
      admin_->AddUser(other->id, "stranger@example.nl", Role::kAdmin, "a long password 123").has_value());
  std::string stranger = *admin_->AddToken(other->id, "stranger@example.nl", "t");
  auto c = Client();
  EXPECT_EQ(c.Get("/api/v1/orgs/" + org_ + "/register", {{"Authorization", "Bearer " + stranger}})->status,
            403);
}

TEST_P(HttpTest, SessionsCookiesAndCsrf) {
  auto c = Client();
  auto page = c.Get("/login");
  ASSERT_EQ(page->status, 200);
  std::string set = page->get_header_value("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set.find("Secure"), std::string::npos);
  // A login post without the form's token is refused.
  auto forged =
      c.Post("/login", httplib::Params{{"email", "auditor@example.nl"}, {"password", "a long password 123"}});
  EXPECT_EQ(forged->status, 403);
  auto [session, csrf] = LogIn(Role::kAuditor);
  ASSERT_FALSE(csrf.empty());
  auto home = c.Get("/", {{"Cookie", session}});
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("Fietshuis Zonnepad B.V."), std::string::npos);
  // State changes with a session need the CSRF token.
  auto no_csrf = c.Post("/logout", {{"Cookie", session}}, "", "application/x-www-form-urlencoded");
  EXPECT_EQ(no_csrf->status, 403);
  auto out = c.Post("/logout", {{"Cookie", session}}, "csrf=" + csrf, "application/x-www-form-urlencoded");
  EXPECT_EQ(out->status, 303);
  // The session is gone: pages send to the login form, the API says 401.
  auto after = c.Get("/", {{"Cookie", session}});
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->get_header_value("Location"), "/login");
  EXPECT_EQ(c.Get("/api/v1/orgs", {{"Cookie", session}})->status, 401);
  // A privacy officer without the code does not get a session.
  auto p2 = c.Get("/login");
  std::string cookie = p2->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::smatch m;
  std::regex field(R"re(name="csrf" value="([^"]+)")re");
  ASSERT_TRUE(std::regex_search(p2->body, m, field));
  auto nocode = c.Post(
      "/login", {{"Cookie", cookie}},
      httplib::Params{
          {"csrf", m[1]}, {"email", "privacy_officer@example.nl"}, {"password", "a long password 123"}});
  EXPECT_EQ(nocode->status, 401);
  EXPECT_TRUE(nocode->get_header_value("Set-Cookie").find("__Host-bs_session") == std::string::npos);
}

TEST_P(HttpTest, SecurityHeadersAndHostileText) {
  auto c = Client();
  std::string hostile =
      "blindspot_register: 1\norganisation:\n  name: \"<script>alert(1)</script> & <img src=x "
      "onerror=alert(2)>\"\n";
  auto put =
      c.Put("/api/v1/orgs/" + org_ + "/register", Replacing(Role::kAdmin), hostile, "application/yaml");
  ASSERT_EQ(put->status, 200) << put->body;
  auto [session, csrf] = LogIn(Role::kAuditor);
  auto dash = c.Get("/orgs/" + org_, {{"Cookie", session}});
  ASSERT_EQ(dash->status, 200);
  std::string csp = dash->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(dash->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(dash->get_header_value("Cache-Control"), "no-store");
  // The page holds no script of its own and shows the name escaped.
  EXPECT_EQ(dash->body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(dash->body.find("<img src=x"), std::string::npos);
  EXPECT_NE(dash->body.find("&lt;script&gt;alert(1)"), std::string::npos) << dash->body;
  EXPECT_EQ(std::regex_search(dash->body, std::regex("<script>[^<]")), false);
  // The API's JSON is JSON (nosniff), and its errors echo no raw markup.
  auto api = c.Get("/api/v1/orgs/" + org_ + "/records/touchpoint/%3Cscript%3E", Bearer(Role::kAdmin));
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->body.find("<script>"), std::string::npos);
  EXPECT_EQ(api->get_header_value("X-Content-Type-Options"), "nosniff");
  // Assets are served by blindspot itself.
  auto htmx = c.Get("/static/htmx.min.js");
  EXPECT_EQ(htmx->status, 200);
  EXPECT_GT(htmx->body.size(), 10000u);
  EXPECT_EQ(c.Get("/static/../../etc/passwd")->status, 404);
}

// A form post with the session cookie and its CSRF token.
httplib::Result PostForm(httplib::Client& c, const std::string& path,
                         const std::pair<std::string, std::string>& s, httplib::Params form) {
  form.emplace("csrf", s.second);
  return c.Post(path, {{"Cookie", s.first}}, form);
}

std::string Field(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? std::string(m[1]) : std::string();
}

TEST_P(HttpTest, RegisterPagesRenderForAllowedRoles) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto auditor = LogIn(Role::kAuditor);
  auto list = c.Get(base + "/records/touchpoint", {{"Cookie", auditor.first}});
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("Meta Pixel"), std::string::npos);
  EXPECT_NE(list->body.find(base + "/records/touchpoint/meta-pixel"), std::string::npos);
  EXPECT_NE(list->body.find("2/7"), std::string::npos) << "meta-pixel has 5 of 7 questions open";
  EXPECT_NE(list->body.find(base + "/my"), std::string::npos) << "navigation";
  for (const char* kind : {"activity", "processor", "system"}) {
    auto l = c.Get(base + "/records/" + kind, {{"Cookie", auditor.first}});
    EXPECT_EQ(l->status, 200) << kind;
  }
  EXPECT_EQ(c.Get(base + "/records/nonsense", {{"Cookie", auditor.first}})->status, 404);
  auto rec = c.Get(base + "/records/touchpoint/meta-pixel", {{"Cookie", auditor.first}});
  ASSERT_EQ(rec->status, 200);
  EXPECT_NE(rec->body.find("Do we use this?"), std::string::npos);
  EXPECT_NE(rec->body.find("legitimate interests"), std::string::npos) << "lawful basis label";
  EXPECT_NE(rec->body.find("value=\"user.device.cookie_id\" checked"), std::string::npos);
  EXPECT_NE(rec->body.find("<fieldset disabled>"), std::string::npos) << "read-only for the auditor";
  EXPECT_EQ(rec->body.find("/step\""), std::string::npos) << "no workflow for the auditor";
  EXPECT_EQ(c.Get(base + "/records/touchpoint/nope", {{"Cookie", auditor.first}})->status, 404);
  // Other kinds show their facts readably (nested items as "key: value").
  auto act = c.Get(base + "/records/activity/webshop-orders", {{"Cookie", auditor.first}});
  ASSERT_EQ(act->status, 200);
  EXPECT_NE(act->body.find("<dt>Department</dt><dd>E-commerce</dd>"), std::string::npos);
  EXPECT_NE(act->body.find("description: Uitvoeren van de koopovereenkomst, lawful_basis: contract"),
            std::string::npos);
  EXPECT_EQ(act->body.find("section class=\"questions\""), std::string::npos)
      << "questions only for touchpoints";
  // In Dutch by ?lang=, and as the user's choice.
  auto nl = c.Get(base + "/records/touchpoint/meta-pixel?lang=nl", {{"Cookie", auditor.first}});
  EXPECT_NE(nl->body.find("Gebruiken we dit?"), std::string::npos);
  EXPECT_NE(nl->body.find("gerechtvaardigd"), std::string::npos);
  auto lang = PostForm(c, "/lang", auditor, {{"lang", "nl"}, {"back", base + "/my"}});
  ASSERT_EQ(lang->status, 303);
  EXPECT_EQ(lang->get_header_value("Location"), base + "/my");
  auto my = c.Get(base + "/my", {{"Cookie", auditor.first}});
  EXPECT_EQ(my->status, 200);
  EXPECT_NE(my->body.find("Mijn vragen"), std::string::npos);
  EXPECT_NE(my->body.find("<html lang=\"nl\">"), std::string::npos);
  auto hist = c.Get(base + "/history?limit=5", {{"Cookie", auditor.first}});
  ASSERT_EQ(hist->status, 200);
  EXPECT_NE(hist->body.find("Geschiedenis"), std::string::npos);
  EXPECT_NE(hist->body.find("offset=5&amp;limit=5"), std::string::npos) << "a link to older changes";
  EXPECT_EQ(PostForm(c, "/lang", auditor, {{"lang", "fr"}})->status, 400);
  EXPECT_EQ(PostForm(c, "/lang", auditor, {{"lang", "en"}, {"back", "//evil.example/"}})
                ->get_header_value("Location"),
            "/");
  // The login page: ?lang= and Accept-Language.
  EXPECT_NE(c.Get("/login?lang=de")->body.find("Anmelden"), std::string::npos);
  EXPECT_NE(c.Get("/login", {{"Accept-Language", "nl-NL,nl;q=0.9,en;q=0.8"}})->body.find("Inloggen"),
            std::string::npos);
  EXPECT_NE(c.Get("/login", {{"Accept-Language", "fr, de;q=0.5"}})->body.find("Anmelden"), std::string::npos);
  // Audits (read) and import (edit) pages.
  EXPECT_EQ(c.Get(base + "/audits", {{"Cookie", auditor.first}})->status, 200);
  EXPECT_EQ(c.Get(base + "/import", {{"Cookie", auditor.first}})->status, 403);
  auto po = LogIn(Role::kPrivacyOfficer);
  auto imp = c.Get(base + "/import", {{"Cookie", po.first}});
  ASSERT_EQ(imp->status, 200);
  EXPECT_NE(imp->body.find("enctype=\"multipart/form-data\""), std::string::npos);
}

TEST_P(HttpTest, AnswerAssignApproveThroughTheForms) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  const std::string url = base + "/records/touchpoint/meta-pixel";
  auto po = LogIn(Role::kPrivacyOfficer);
  // Assign to the business owner with a due date in the past (overdue).
  auto page = c.Get(url, {{"Cookie", po.first}});
  ASSERT_EQ(page->status, 200);
  std::string version = Field(page->body, "version");
  ASSERT_FALSE(version.empty());
  EXPECT_NE(page->body.find("business_owner@example.nl</option>"), std::string::npos);
  // Members who cannot answer it are not offered.
  EXPECT_EQ(page->body.find("auditor@example.nl</option>"), std::string::npos);
  EXPECT_EQ(page->body.find("approver@example.nl</option>"), std::string::npos);
  auto assign =
      PostForm(c, url + "/assign", po,
               {{"version", version}, {"owner", "business_owner@example.nl"}, {"due", "2020-01-31"}});
  ASSERT_EQ(assign->status, 303) << assign->body;
  // The business owner sees it under "my questions", overdue.
  auto bo = LogIn(Role::kBusinessOwner);
  auto my = c.Get(base + "/my", {{"Cookie", bo.first}});
  ASSERT_EQ(my->status, 200);
  EXPECT_NE(my->body.find("Meta Pixel"), std::string::npos);
  EXPECT_NE(my->body.find("2020-01-31"), std::string::npos);
  EXPECT_NE(my->body.find("class=\"overdue\""), std::string::npos);
  // Answers all seven.
  page = c.Get(url, {{"Cookie", bo.first}});
  version = Field(page->body, "version");
  EXPECT_EQ(page->body.find("<fieldset disabled>"), std::string::npos);
  int64_t v0 = std::stoll(version);
  std::string long_answer;
  while (long_answer.size() < 12'000) long_answer += "Meten van advertenties na toestemming. ";
  httplib::Params answers = {{"version", version},
                             {"in_use", "yes"},
                             {"in_use_since", "2023-09-01"},
                             {"stored_by_us", "no"},
                             {"stored_by_vendor", "yes"},
                             {"stored_by_vendor_details", "Meta, 2 jaar"},
                             {"informed_statement", "https://www.fietshuis-zonnepad.nl/privacy"},
                             {"informed_section", "6. Cookies"},
                             {"data_collected", "user.device.cookie_id"},
                             {"data_collected", "user.contact.email"},
                             {"lawful_basis", "consent"},
                             // a long answer: over cpp-httplib's default 8 KiB form cap
                             {"necessity", long_answer},
                             {"subsidiarity", "Geen alternatief"},
                             {"proportionality", "Alleen na toestemming"},
                             {"security_measures", "consent_management\n  two-factor login  \n\n"},
                             {"reason", "checked with the agency"}};
  auto answered = PostForm(c, url + "/answers", bo, answers);
  ASSERT_EQ(answered->status, 303) << answered->body;
  EXPECT_EQ(answered->get_header_value("Location"), url + "?saved=1");
  auto after = c.Get(url, {{"Cookie", bo.first}});
  EXPECT_EQ(std::stoll(Field(after->body, "version")), v0 + 1);
  EXPECT_NE(after->body.find("7/7"), std::string::npos);
  EXPECT_NE(after->body.find("value=\"user.contact.email\" checked"), std::string::npos);
  EXPECT_NE(after->body.find("two-factor login\n"), std::string::npos);
  EXPECT_EQ(after->body.find("checked with the agency"), std::string::npos)
      << "no history for business owners";
  auto po_view = c.Get(url, {{"Cookie", po.first}});
  EXPECT_NE(po_view->body.find("checked with the agency"), std::string::npos) << "the record's history";
  EXPECT_NE(po_view->body.find("compare?from=" + std::to_string(v0) + "&amp;to=" + std::to_string(v0 + 1)),
            std::string::npos);
  auto stored = admin_->store().GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel");
  Json body = Json::parse(stored->body);
  EXPECT_EQ(body["answers"]["lawful_basis"], "consent");
  EXPECT_NE(stored->body.find(long_answer.substr(0, long_answer.size() - 1)), std::string::npos)
      << "a 12 KB answer from the form is kept whole";
  EXPECT_EQ(body["answers"]["stored_by_us"], false);
  EXPECT_EQ(body["answers"]["informed"]["section"], "6. Cookies");
  EXPECT_EQ(body["answers"]["security_measures"],
            Json::parse(R"(["consent_management","two-factor login"])"));
  auto hist = admin_->store().History(org_, store::Page{0, 50}, store::RecordKind::kTouchpoint, "meta-pixel");
  bool logged = false;
  for (const auto& h : *hist)
    logged = logged || (h.field == "answers.lawful_basis" && h.reason == "checked with the agency" &&
                        h.version == v0 + 1);
  EXPECT_TRUE(logged);
  // A stale version: the form again with the message, nothing overwritten.
  answers.erase("version");
  answers.emplace("version", std::to_string(v0));
  answers.erase("lawful_basis");
  answers.emplace("lawful_basis", "contract");
  auto stale = PostForm(c, url + "/answers", bo, answers);
  EXPECT_EQ(stale->status, 409);
  EXPECT_NE(stale->body.find("Someone else changed this"), std::string::npos);
  EXPECT_EQ(Json::parse(admin_->store()
                            .GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")
                            ->body)["answers"]["lawful_basis"],
            "consent");
  // A bad date: the form again with the reader's message and what was sent.
  answers.erase("version");
  answers.emplace("version", std::to_string(v0 + 1));
  answers.erase("in_use_since");
  answers.emplace("in_use_since", "2023-02-30");
  auto bad = PostForm(c, url + "/answers", bo, answers);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("class=\"error\""), std::string::npos);
  EXPECT_NE(bad->body.find("value=\"2023-02-30\""), std::string::npos);
  // Submit for approval; the business owner cannot approve.
  after = c.Get(url, {{"Cookie", bo.first}});
  EXPECT_NE(after->body.find("value=\"submit\""), std::string::npos);
  EXPECT_EQ(after->body.find("value=\"approve\""), std::string::npos);
  auto submit =
      PostForm(c, url + "/step", bo, {{"version", Field(after->body, "version")}, {"step", "submit"}});
  ASSERT_EQ(submit->status, 303) << submit->body;
  // The approver (not the author) approves.
  auto ap = LogIn(Role::kApprover);
  auto review = c.Get(url, {{"Cookie", ap.first}});
  EXPECT_NE(review->body.find("value=\"approve\""), std::string::npos);
  auto approve =
      PostForm(c, url + "/step", ap,
               {{"version", Field(review->body, "version")}, {"step", "approve"}, {"reason", "ok"}});
  ASSERT_EQ(approve->status, 303) << approve->body;
  EXPECT_EQ(admin_->store().GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->status,
            store::RecordStatus::kApproved);
  // Approved: gone from "my questions".
  EXPECT_EQ(c.Get(base + "/my", {{"Cookie", bo.first}})->body.find("Meta Pixel"), std::string::npos);
  // Compare the answered version with the one before.
  auto cmp = c.Get(url + "/compare?from=" + std::to_string(v0) + "&to=" + std::to_string(v0 + 1),
                   {{"Cookie", po.first}});
  ASSERT_EQ(cmp->status, 200);
  EXPECT_NE(cmp->body.find("answers.lawful_basis"), std::string::npos);
  EXPECT_NE(cmp->body.find("<td>legitimate_interests</td><td>consent</td>"), std::string::npos) << cmp->body;
  EXPECT_EQ(c.Get(url + "/compare", {{"Cookie", po.first}})->status, 400);
  // A step the approver may not take here: the page again with the message.
  auto publish =
      PostForm(c, url + "/step", ap, {{"version", Field(review->body, "version")}, {"step", "publish"}});
  EXPECT_EQ(publish->status, 403);
  // Missing version: 400, not a crash.
  EXPECT_EQ(PostForm(c, url + "/assign", po, {{"owner", ""}})->status, 400);
  // Without the CSRF token: refused.
  EXPECT_EQ(c.Post(url + "/assign", {{"Cookie", po.first}}, httplib::Params{{"version", "1"}})->status, 403);
}

// Issue 11: an audit of the example's zone and DMARC report makes SendGrid
// (sending as the shop, unregistered) a draft touchpoint; the audits page
// links it, the API names it, and its page asks the owner with what was seen
// and the suggested answers pre-filled.
TEST_P(HttpTest, BlindSpotsOfAnAuditBecomeQuestionsForOwners) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto po = LogIn(Role::kPrivacyOfficer);
  httplib::MultipartFormDataItems parts = {
      {"har", ReadSource("examples/webshop/discovery/fietshuis-zonnepad.nl.zone"),
       "fietshuis-zonnepad.nl.zone", "text/plain"},
      {"har", ReadSource("examples/webshop/discovery/dmarc-google.com-2026-12-01.xml"),
       "dmarc-google.com-2026-12-01.xml", "application/xml"}};
  // The API names the drafts its audit made.
  auto api = c.Post("/api/v1/orgs/" + org_ + "/audits", Bearer(Role::kPrivacyOfficer), parts);
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 201) << api->body.substr(0, 300);
  EXPECT_EQ(api->get_header_value("Blindspot-Drafted"), "twilio-sendgrid");
  const std::string link =
      "<li><a href=\"" + base + "/records/touchpoint/twilio-sendgrid\">Twilio SendGrid</a></li>";
  auto page = c.Get(base + "/audits", {{"Cookie", po.first}});
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find(link), std::string::npos) << page->body;
  // The page's upload reads them alike; the draft exists now, so none again.
  parts.insert(parts.begin(), {"csrf", po.second, "", ""});
  auto run = c.Post(base + "/audits", {{"Cookie", po.first}}, parts);
  ASSERT_TRUE(run);
  ASSERT_EQ(run->status, 303) << run->body.substr(0, 500);
  page = c.Get(base + "/audits", {{"Cookie", po.first}});
  EXPECT_EQ(page->body.find(link), std::string::npos);
  auto rec = c.Get(base + "/records/touchpoint/twilio-sendgrid", {{"Cookie", po.first}});
  ASSERT_EQ(rec->status, 200);
  EXPECT_NE(rec->body.find("Found by an audit: please confirm or correct"), std::string::npos);
  EXPECT_NE(rec->body.find("which nobody had registered (sending now)"), std::string::npos) << rec->body;
  EXPECT_NE(rec->body.find("dmarc-google.com-2026-12-01.xml"), std::string::npos);
  EXPECT_NE(rec->body.find("× 341"), std::string::npos);
  // Pre-filled: in use yes; not yet answered.
  EXPECT_NE(rec->body.find("name=\"in_use\" value=\"yes\" checked"), std::string::npos);
  EXPECT_NE(rec->body.find("name=\"in_use_since\" value=\"\""), std::string::npos);
  EXPECT_NE(rec->body.find("nothing counts as answered until you save"), std::string::npos);
  EXPECT_NE(rec->body.find("(0/7 answered)"), std::string::npos) << "suggestions are not answers";
  auto nl = c.Get(base + "/records/touchpoint/twilio-sendgrid?lang=nl", {{"Cookie", po.first}});
  EXPECT_NE(nl->body.find("dat niemand had geregistreerd (verstuurt nu)"), std::string::npos) << nl->body;
}

TEST_P(HttpTest, AuditAndImportPages) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto po = LogIn(Role::kPrivacyOfficer);
  httplib::MultipartFormDataItems parts = {
      {"csrf", po.second, "", ""},
      {"har", ReadSource("examples/webshop/har/home.har"), "home.har", "application/json"},
      {"har", ReadSource("examples/webshop/har/checkout.har"), "checkout.har", "application/json"}};
  auto run = c.Post(base + "/audits", {{"Cookie", po.first}}, parts);
  ASSERT_TRUE(run);
  ASSERT_EQ(run->status, 303) << run->body.substr(0, 500);
  auto page = c.Get(base + "/audits", {{"Cookie", po.first}});
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("What must change"), std::string::npos);
  EXPECT_NE(page->body.find("data-rule=\"BS013-touchpoint-question-unanswered\" data-subject=\"meta-pixel\""),
            std::string::npos);
  EXPECT_NE(page->body.find("href=\"" + base + "/records/touchpoint/meta-pixel\""), std::string::npos);
  // The record page tells what the evidence showed.
  auto rec = c.Get(base + "/records/touchpoint/meta-pixel", {{"Cookie", po.first}});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(rec->body, m, std::regex("<p class=\"sentence\">([^<]*)</p>")));
  std::string sentence = m[1];
  EXPECT_TRUE(sentence.starts_with("Seen on 2 pages on 2 November: sends ")) << sentence;
  EXPECT_NE(sentence.find("e-mail address"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find(" to Meta Platforms Ireland Ltd."), std::string::npos) << sentence;
  EXPECT_EQ(sentence.find("addresses of the pages"), std::string::npos) << "said once, as pages visited";
  EXPECT_NE(rec->body.find("<dd><span class=\"muted\">nobody yet</span></dd>"), std::string::npos);
  EXPECT_NE(rec->body.find("Meta Platforms Ireland Ltd."), std::string::npos);
  auto nl = c.Get(base + "/records/touchpoint/meta-pixel?lang=nl", {{"Cookie", po.first}});
  EXPECT_NE(nl->body.find("Gezien op 2 pagina&apos;s op 2 november: stuurt "), std::string::npos);
  EXPECT_NE(nl->body.find("e-mailadres"), std::string::npos);
  // No files: the form again.
  httplib::MultipartFormDataItems none = {{"csrf", po.second, "", ""}};
  EXPECT_EQ(c.Post(base + "/audits", {{"Cookie", po.first}}, none)->status, 400);
  // Import: a broken register lists every problem with line:column.
  httplib::MultipartFormDataItems broken = {
      {"csrf", po.second, "", ""},
      {"register", "blindspot_register: 1\nactivities: 7\ntouchpoints: 8\n", "r.yaml", "application/yaml"}};
  auto bad = c.Post(base + "/import", {{"Cookie", po.first}}, broken);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("<code>2:"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("<code>3:"), std::string::npos);
  httplib::MultipartFormDataItems good = {
      {"csrf", po.second, "", ""},
      {"register", ReadSource("examples/webshop/register.yaml"), "register.yaml", "application/yaml"},
      {"reason", "again", "", ""}};
  auto ok = c.Post(base + "/import", {{"Cookie", po.first}}, good);
  ASSERT_EQ(ok->status, 303) << ok->body;
  auto done = c.Get(ok->get_header_value("Location"), {{"Cookie", po.first}});
  EXPECT_NE(done->body.find("Imported:"), std::string::npos);
  // An import without a touchpoint lists it as retired, with a link; its
  // page offers to use it again, which brings it back as a draft.
  auto loaded = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "r.yaml");
  ASSERT_TRUE(loaded.has_value());
  Register without = loaded->reg;
  std::erase_if(without.touchpoints, [](const auto& t) { return t.id == "meta-pixel"; });
  httplib::MultipartFormDataItems lacking = {
      {"csrf", po.second, "", ""},
      {"register", WriteRegisterJson(without), "register.json", "application/json"}};
  auto retired = c.Post(base + "/import", {{"Cookie", po.first}}, lacking);
  ASSERT_EQ(retired->status, 303) << retired->body;
  auto listed = c.Get(retired->get_header_value("Location"), {{"Cookie", po.first}});
  EXPECT_NE(listed->body.find("Not in the imported file, so marked as no longer used"), std::string::npos)
      << listed->body;
  EXPECT_NE(listed->body.find("<a href=\"" + base + "/records/touchpoint/meta-pixel\">"), std::string::npos)
      << listed->body;
  auto gone = c.Get(base + "/records/touchpoint/meta-pixel", {{"Cookie", po.first}});
  EXPECT_NE(gone->body.find("value=\"reinstate\""), std::string::npos) << gone->body;
  std::smatch v;
  ASSERT_TRUE(std::regex_search(gone->body, v, std::regex(R"re(name="version" value="(\d+)")re")));
  auto step = c.Post(base + "/records/touchpoint/meta-pixel/step", {{"Cookie", po.first}},
                     httplib::Params{{"csrf", po.second}, {"version", v[1]}, {"step", "reinstate"}});
  ASSERT_EQ(step->status, 303) << step->body;
  EXPECT_EQ(
      Json::parse(c.Get("/api/v1/orgs/" + org_ + "/records/touchpoint/meta-pixel", Bearer(Role::kAuditor))
                      ->body)["status"],
      "draft");
}

// The session cookie a login form's answer set ("" when none), and where it sent the browser.
std::pair<std::string, std::string> FormLogin(httplib::Client& c, const std::string& email,
                                              const std::string& password, const std::string& code) {
  auto page = c.Get("/login");
  std::string cookie = page->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::smatch m;
  if (!std::regex_search(page->body, m, std::regex(R"re(name="csrf" value="([^"]+)")re"))) return {};
  httplib::Params form = {{"csrf", m[1]}, {"email", email}, {"password", password}};
  if (!code.empty()) form.emplace("totp", code);
  auto res = c.Post("/login", {{"Cookie", cookie}}, form);
  std::string session;
  for (auto [it, end] = res->headers.equal_range("Set-Cookie"); it != end; ++it)
    if (it->second.starts_with("__Host-bs_session=")) session = it->second.substr(0, it->second.find(';'));
  return {session, res->get_header_value("Location")};
}

std::string Csrf(const std::string& body) {
  std::smatch m;
  return std::regex_search(body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")) ? std::string(m[1])
                                                                                      : "";
}

// Replaces the session's one-time password on the password page; true when it took.
bool ChooseNewPassword(httplib::Client& c, const std::string& session, const std::string& current,
                       const std::string& chosen) {
  auto page = c.Get("/account/password", {{"Cookie", session}});
  if (!page || page->status != 200) return false;
  auto res = c.Post("/account/password", {{"Cookie", session}},
                    httplib::Params{{"csrf", Csrf(page->body)},
                                    {"current_password", current},
                                    {"new_password", chosen},
                                    {"repeat_password", chosen}});
  return res && res->status == 200;
}

TEST_P(HttpTest, MembersAndTokensOverTheApi) {
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  // An admin invites a new address; the initial password comes once.
  auto add = c.Post(base + "/members", Bearer(Role::kAdmin),
                    Json{{"email", "new@example.nl"}, {"roles", {"auditor", "approver"}}}.dump(),
                    "application/json");
  ASSERT_EQ(add->status, 201) << add->body;
  Json added = Json::parse(add->body);
  EXPECT_EQ(added["email"], "new@example.nl");
  EXPECT_EQ(added["roles"], Json::array({"approver", "auditor"}));
  EXPECT_EQ(added["status"], "pending");
  EXPECT_EQ(added["invited_by"], "admin@example.nl");
  EXPECT_EQ(added["org"], org_);
  EXPECT_FALSE(added.contains("created"));
  ASSERT_TRUE(added["initial_password"].is_string());
  const std::string user = added["user"];
  EXPECT_EQ(add->get_header_value("Location"), base + "/invitations/" + user);
  // Pending, not a member, until the person logs in and accepts.
  auto list = Json::parse(c.Get(base + "/members", Bearer(Role::kAuditor))->body);
  for (const Json& m : list["items"]) EXPECT_NE(m["user"], user);
  ASSERT_EQ(list["invitations"].size(), 1u) << list.dump();
  EXPECT_EQ(list["invitations"][0]["user"], user);
  EXPECT_EQ(list["invitations"][0]["roles"], added["roles"]);
  EXPECT_EQ(list.dump().find(added["initial_password"].get<std::string>()), std::string::npos);
  auto [session, to] = FormLogin(c, "new@example.nl", added["initial_password"].get<std::string>(), "");
  ASSERT_FALSE(session.empty());
  // The admin saw that password: it is one-time, replaced before anything else.
  EXPECT_EQ(to, "/account/password");
  EXPECT_EQ(c.Get("/api/v1/account/invitations", {{"Cookie", session}})->status, 403);
  ASSERT_TRUE(ChooseNewPassword(c, session, added["initial_password"], "the invitee's own password"));
  EXPECT_EQ(c.Get(base, {{"Cookie", session}})->status, 404);
  const std::string csrf = Csrf(c.Get("/", {{"Cookie", session}})->body);
  auto mine = c.Get("/api/v1/account/invitations", {{"Cookie", session}});
  ASSERT_EQ(mine->status, 200) << mine->body;
  Json mj = Json::parse(mine->body);
  ASSERT_EQ(mj["items"].size(), 1u);
  EXPECT_EQ(mj["items"][0]["org"], org_);
  EXPECT_EQ(mj["items"][0]["org_name"], "Fietshuis Zonnepad B.V.");
  EXPECT_EQ(mj["items"][0]["invited_by"], "admin@example.nl");
  // The account routes are the session's: a token is refused, and so is a missing CSRF token.
  EXPECT_EQ(c.Get("/api/v1/account/invitations", Bearer(Role::kAdmin))->status, 400);
  EXPECT_EQ(
      c.Post("/api/v1/account/invitations/" + org_ + "/accept", Bearer(Role::kAdmin), "", "application/json")
          ->status,
      400);
  EXPECT_EQ(
      c.Post("/api/v1/account/invitations/" + org_ + "/accept", {{"Cookie", session}}, "", "application/json")
          ->status,
      403);
  auto accept = c.Post("/api/v1/account/invitations/" + org_ + "/accept",
                       {{"Cookie", session}, {"X-CSRF-Token", csrf}}, "", "application/json");
  ASSERT_EQ(accept->status, 204) << accept->body;
  EXPECT_EQ(c.Get(base, {{"Cookie", session}})->status, 200);
  list = Json::parse(c.Get(base + "/members", Bearer(Role::kAuditor))->body);
  bool listed = false;
  for (const Json& m : list["items"]) listed = listed || (m["user"] == user && m["roles"] == added["roles"]);
  EXPECT_TRUE(listed) << list.dump();
  EXPECT_TRUE(list["invitations"].empty());
  EXPECT_EQ(c.Post("/api/v1/account/invitations/" + org_ + "/accept",
                   {{"Cookie", session}, {"X-CSRF-Token", csrf}}, "", "application/json")
                ->status,
            404);
  // Bad input names the field; a privacy officer may not manage members.
  auto bad_role = c.Post(base + "/members", Bearer(Role::kAdmin),
                         Json{{"email", "x@example.nl"}, {"roles", {"king"}}}.dump(), "application/json");
  EXPECT_EQ(bad_role->status, 400);
  EXPECT_EQ(Json::parse(bad_role->body)["error"]["path"], "roles");
  EXPECT_EQ(c.Post(base + "/members", Bearer(Role::kAdmin),
                   Json{{"email", "new@example.nl"}, {"roles", {"auditor"}}}.dump(), "application/json")
                ->status,
            409);
  EXPECT_EQ(c.Post(base + "/members", Bearer(Role::kPrivacyOfficer),
                   Json{{"email", "y@example.nl"}, {"roles", {"auditor"}}}.dump(), "application/json")
                ->status,
            403);
  // Roles change; the last admin keeps its role (409 with the stable code).
  auto put = c.Put(base + "/members/" + user, Bearer(Role::kAdmin), Json{{"roles", {"dpo"}}}.dump(),
                   "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Json::parse(put->body)["roles"], Json::array({"dpo"}));
  const std::string admin_id = store_->FindUserByEmail("admin@example.nl")->id;
  auto last = c.Put(base + "/members/" + admin_id, Bearer(Role::kAdmin), Json{{"roles", {"auditor"}}}.dump(),
                    "application/json");
  EXPECT_EQ(last->status, 409);
  EXPECT_EQ(Json::parse(last->body)["error"]["code"], "conflict");
  // A token acts as the member who makes it: one for somebody else would let
  // its maker act as them (approve its own change with an approver's token).
  auto other =
      c.Post(base + "/tokens", Bearer(Role::kPrivacyOfficer),
             Json{{"user", user}, {"name", "dpo script"}, {"role", "dpo"}}.dump(), "application/json");
  EXPECT_EQ(other->status, 403) << other->body;
  EXPECT_EQ(Json::parse(other->body)["error"]["path"], "user");
  // One for yourself with one of your roles: shown once, acts with that role.
  const std::string po_id = store_->FindUserByEmail("privacy_officer@example.nl")->id;
  auto tok = c.Post(base + "/tokens", Bearer(Role::kPrivacyOfficer),
                    Json{{"user", po_id}, {"name", "po script"}, {"role", "privacy_officer"}}.dump(),
                    "application/json");
  ASSERT_EQ(tok->status, 201) << tok->body;
  const std::string secret = Json::parse(tok->body)["token"];
  EXPECT_TRUE(secret.starts_with("bst_"));
  auto org = c.Get(base, {{"Authorization", "Bearer " + secret}});
  ASSERT_EQ(org->status, 200);
  EXPECT_EQ(Json::parse(org->body)["your_roles"], Json::array({"privacy_officer"}));
  auto tokens = c.Get(base + "/tokens", Bearer(Role::kAdmin));
  EXPECT_EQ(tokens->body.find(secret), std::string::npos);
  EXPECT_NE(tokens->body.find("\"role\":\"privacy_officer\""), std::string::npos);
  // No token with more rights than its maker's.
  auto escalate =
      c.Post(base + "/tokens", Bearer(Role::kPrivacyOfficer),
             Json{{"user", admin_id}, {"name", "x"}, {"role", "admin"}}.dump(), "application/json");
  EXPECT_EQ(escalate->status, 403);
  // Removing the member revokes its token (made by the operator, as
  // `blindspot token add` does); every change is in the security log.
  auto member_token = admin_->AddToken(org_, "new@example.nl", "its script");
  ASSERT_TRUE(member_token.has_value()) << member_token.error().message;
  EXPECT_EQ(c.Get(base, {{"Authorization", "Bearer " + *member_token}})->status, 200);
  EXPECT_EQ(c.Delete(base + "/members/" + user, Bearer(Role::kAdmin))->status, 204);
  EXPECT_EQ(c.Get(base, {{"Authorization", "Bearer " + *member_token}})->status, 401);
  EXPECT_EQ(c.Delete(base + "/members/" + user, Bearer(Role::kAdmin))->status, 404);
  auto log = c.Get(base + "/security-log", Bearer(Role::kDpo))->body;
  for (const char* event :
       {"member_invited", "invitation_accepted", "member_roles_changed", "token_added", "member_removed"})
    EXPECT_NE(log.find(event), std::string::npos) << event;
}

TEST_P(HttpTest, SecondFactorIsEnrolledInTheBrowser) {
  auto c = Client();
  ASSERT_TRUE(
      admin_
          ->AddMember(
              admin::Actor{
                  store_->FindUserByEmail("admin@example.nl")->id, "admin@example.nl", org_, {Role::kAdmin}},
              "officer@example.nl", {Role::kPrivacyOfficer}, "officer password 12")
          .has_value());
  // Invited, not a member yet: the password alone logs in; the home page
  // offers the invitation, the organisation is not open to it.
  auto [invited, first_to] = FormLogin(c, "officer@example.nl", "officer password 12", "");
  ASSERT_FALSE(invited.empty());
  EXPECT_EQ(first_to, "/account/password");  // the admin chose it: one-time
  ASSERT_TRUE(ChooseNewPassword(c, invited, "officer password 12", "seven blue lanterns"));
  auto offer = c.Get("/", {{"Cookie", invited}});
  ASSERT_EQ(offer->status, 200) << offer->body;
  EXPECT_NE(offer->body.find("<td>Fietshuis Zonnepad B.V.</td>"), std::string::npos) << offer->body;
  EXPECT_NE(offer->body.find("<td>admin@example.nl</td>"), std::string::npos);
  EXPECT_NE(offer->body.find("action=\"/invitations/" + org_ + "/accept\""), std::string::npos);
  EXPECT_EQ(c.Get("/orgs/" + org_, {{"Cookie", invited}})->status, 404);
  // Without the CSRF token nothing is accepted; with it, the privacy
  // officer's role needs a second factor: every page now leads to enrolment.
  EXPECT_EQ(c.Post("/invitations/" + org_ + "/accept", {{"Cookie", invited}}, httplib::Params{})->status,
            403);
  auto accepted = c.Post("/invitations/" + org_ + "/accept", {{"Cookie", invited}},
                         httplib::Params{{"csrf", Csrf(offer->body)}});
  EXPECT_EQ(accepted->status, 303);
  EXPECT_EQ(c.Get("/", {{"Cookie", invited}})->get_header_value("Location"), "/account/totp");
  // The password alone leads to the enrolment page, and every page leads there.
  auto [session, to] = FormLogin(c, "officer@example.nl", "seven blue lanterns", "");
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(to, "/account/totp");
  auto home = c.Get("/", {{"Cookie", session}});
  EXPECT_EQ(home->status, 303);
  EXPECT_EQ(home->get_header_value("Location"), "/account/totp");
  EXPECT_EQ(c.Get("/orgs/" + org_, {{"Cookie", session}})->get_header_value("Location"), "/account/totp");
  EXPECT_EQ(c.Get("/api/v1/orgs/" + org_, {{"Cookie", session}})->status, 401);
  auto page = c.Get("/account/totp", {{"Cookie", session}});
  ASSERT_EQ(page->status, 200) << page->body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex(R"re(name="secret" value="([A-Z2-7]{32})")re")));
  const std::string secret = m[1];
  ASSERT_TRUE(
      std::regex_search(page->body, m, std::regex(R"re(name="secret_mac" value="([0-9a-f]{64})")re")));
  const std::string mac = m[1];
  EXPECT_NE(page->body.find("otpauth://totp/"), std::string::npos);
  EXPECT_NE(page->body.find("src=\"data:image/svg+xml;base64,"), std::string::npos);
  EXPECT_EQ(page->body.find("<script>"), std::string::npos);
  const std::string csrf = Csrf(page->body);
  // A wrong code: the same secret again with the message; nothing stored.
  auto wrong =
      c.Post("/account/totp", {{"Cookie", session}},
             httplib::Params{{"csrf", csrf}, {"secret", secret}, {"secret_mac", mac}, {"code", "000000"}});
  EXPECT_EQ(wrong->status, 400);
  EXPECT_NE(wrong->body.find(secret), std::string::npos);
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  // A secret the client chose, with its current code: refused, a new one offered.
  const std::string chosen = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  auto forged = c.Post("/account/totp", {{"Cookie", session}},
                       httplib::Params{{"csrf", csrf},
                                       {"secret", chosen},
                                       {"secret_mac", mac},
                                       {"code", *auth::TotpCode(chosen, std::time(nullptr))}});
  EXPECT_EQ(forged->status, 400);
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  // Without the CSRF token: refused.
  EXPECT_EQ(c.Post("/account/totp", {{"Cookie", session}}, httplib::Params{{"secret", secret}, {"code", "1"}})
                ->status,
            403);
  auto ok = c.Post("/account/totp", {{"Cookie", session}},
                   httplib::Params{{"csrf", csrf},
                                   {"secret", secret},
                                   {"secret_mac", mac},
                                   {"code", *auth::TotpCode(secret, std::time(nullptr))}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(store_->FindUserByEmail("officer@example.nl")->totp_secret, secret);
  EXPECT_EQ(c.Get("/orgs/" + org_, {{"Cookie", session}})->status, 200);
  // The admin resets it from the members page: the member's session ends.
  auto admin = LogIn(Role::kAdmin);
  auto members = c.Get("/orgs/" + org_ + "/members", {{"Cookie", admin.first}});
  ASSERT_EQ(members->status, 200);
  EXPECT_NE(members->body.find("officer@example.nl"), std::string::npos);
  const std::string officer = store_->FindUserByEmail("officer@example.nl")->id;
  auto reset = c.Post("/orgs/" + org_ + "/members/" + officer + "/totp-reset", {{"Cookie", admin.first}},
                      httplib::Params{{"csrf", admin.second}, {"confirm", "yes"}});
  EXPECT_EQ(reset->status, 303);
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  EXPECT_EQ(c.Get("/orgs/" + org_, {{"Cookie", session}})->get_header_value("Location"), "/login");
}

TEST_P(HttpTest, MembersAndTokensPages) {
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto admin = LogIn(Role::kAdmin);
  // A new member with an initial password shown on the page, once.
  httplib::Params add = {
      {"csrf", admin.second}, {"email", "page@example.nl"}, {"role", "auditor"}, {"role", "dpo"}};
  auto added = c.Post(base + "/members", {{"Cookie", admin.first}}, add);
  ASSERT_EQ(added->status, 201) << added->body;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(added->body, m, std::regex(R"re(<code id="initial-password">([^<]{24})</code>)re")));
  const std::string password = m[1];
  auto page = c.Get(base + "/members", {{"Cookie", admin.first}});
  EXPECT_EQ(page->body.find(password), std::string::npos);
  EXPECT_NE(page->body.find("data-email=\"page@example.nl\""), std::string::npos);
  EXPECT_NE(added->body.find(
                "page@example.nl is invited; the membership starts when the person logs in and accepts."),
            std::string::npos);
  auto [session, to] = FormLogin(c, "page@example.nl", password, "");
  EXPECT_FALSE(session.empty());
  EXPECT_EQ(to, "/account/password");  // one-time: the admin saw it
  ASSERT_TRUE(ChooseNewPassword(c, session, password, "a quiet river at dawn"));
  // It accepts on its home page.
  auto home = c.Get("/", {{"Cookie", session}});
  ASSERT_EQ(home->status, 200);
  auto accepted = c.Post("/invitations/" + org_ + "/accept", {{"Cookie", session}},
                         httplib::Params{{"csrf", Csrf(home->body)}});
  EXPECT_EQ(accepted->status, 303);
  EXPECT_EQ(accepted->get_header_value("Location"), "/?done=accepted");
  home = c.Get("/?done=accepted", {{"Cookie", session}});
  EXPECT_NE(home->body.find("You accepted the invitation"), std::string::npos);
  EXPECT_NE(home->body.find("href=\"/orgs/" + org_ + "\""), std::string::npos);
  // An invitation the admin revokes from the members page.
  add = {{"csrf", admin.second}, {"email", "revoked@example.nl"}, {"role", "auditor"}};
  ASSERT_EQ(c.Post(base + "/members", {{"Cookie", admin.first}}, add)->status, 201);
  const std::string revoked = store_->FindUserByEmail("revoked@example.nl")->id;
  page = c.Get(base + "/members", {{"Cookie", admin.first}});
  EXPECT_NE(page->body.find("data-invited=\"" + revoked + "\""), std::string::npos);
  auto revoke_inv = c.Post(base + "/invitations/" + revoked + "/revoke", {{"Cookie", admin.first}},
                           httplib::Params{{"csrf", admin.second}});
  EXPECT_EQ(revoke_inv->status, 303);
  EXPECT_TRUE(store_->InvitationsOfUser(revoked)->empty());
  page = c.Get(base + "/members?done=revoked", {{"Cookie", admin.first}});
  EXPECT_NE(page->body.find("The invitation is revoked."), std::string::npos);
  EXPECT_EQ(page->body.find("data-invited=\"" + revoked + "\""), std::string::npos);
  // The last admin cannot be removed: the page says why (409).
  const std::string admin_id = store_->FindUserByEmail("admin@example.nl")->id;
  auto last = c.Post(base + "/members/" + admin_id + "/remove", {{"Cookie", admin.first}},
                     httplib::Params{{"csrf", admin.second}, {"confirm", "yes"}});
  EXPECT_EQ(last->status, 409);
  EXPECT_NE(last->body.find("without an admin"), std::string::npos);
  // Roles from the checkboxes.
  const std::string user = store_->FindUserByEmail("page@example.nl")->id;
  auto roles = c.Post(base + "/members/" + user + "/roles", {{"Cookie", admin.first}},
                      httplib::Params{{"csrf", admin.second}, {"role", "approver"}});
  EXPECT_EQ(roles->status, 303);
  auto ms = store_->MembershipsOfUser(user);
  ASSERT_EQ(ms->size(), 1u);
  EXPECT_EQ(ms->front().role, Role::kApprover);
  // A token: the secret on the page once, then only its name and role.
  auto tokens = c.Get(base + "/tokens", {{"Cookie", admin.first}});
  ASSERT_EQ(tokens->status, 200);
  // Only the maker's own roles are offered: a token acts as its maker.
  EXPECT_EQ(tokens->body.find("value=\"" + user + ":approver\""), std::string::npos);
  EXPECT_NE(tokens->body.find("value=\"" + admin_id + ":admin\""), std::string::npos);
  auto made =
      c.Post(base + "/tokens", {{"Cookie", admin.first}},
             httplib::Params{{"csrf", admin.second}, {"name", "bot"}, {"member_role", admin_id + ":admin"}});
  ASSERT_EQ(made->status, 201) << made->body;
  ASSERT_TRUE(std::regex_search(made->body, m, std::regex(R"re(<code id="new-token">(bst_[^<]+)</code>)re")));
  const std::string secret = m[1];
  EXPECT_EQ(c.Get("/api/v1/orgs/" + org_, {{"Authorization", "Bearer " + secret}})->status, 200);
  auto again = c.Get(base + "/tokens", {{"Cookie", admin.first}});
  EXPECT_EQ(again->body.find(secret), std::string::npos);
  ASSERT_TRUE(std::regex_search(
      again->body, m,
      std::regex(
          R"re(<tr data-token="(tok_[0-9a-f]+)"><td>bot</td><td>admin@example.nl</td><td>[^<]*</td>)re")))
      << again->body;
  auto revoke = c.Post(base + "/tokens/" + m[1].str() + "/revoke", {{"Cookie", admin.first}},
                       httplib::Params{{"csrf", admin.second}, {"confirm", "yes"}});
  EXPECT_EQ(revoke->status, 303);
  EXPECT_EQ(c.Get("/api/v1/orgs/" + org_, {{"Authorization", "Bearer " + secret}})->status, 401);
  // Menus: the admin sees both pages, a privacy officer only the tokens.
  EXPECT_NE(again->body.find(">Members</a>"), std::string::npos);
  auto po = LogIn(Role::kPrivacyOfficer);
  auto po_page = c.Get(base + "/tokens", {{"Cookie", po.first}});
  EXPECT_EQ(po_page->status, 200);
  EXPECT_EQ(po_page->body.find(">Members</a>"), std::string::npos);
  EXPECT_EQ(po_page->body.find(":admin\""), std::string::npos)
      << "no admin tokens offered to a privacy officer";
  EXPECT_EQ(c.Get(base + "/members", {{"Cookie", po.first}})->status, 403);
}

// Issue 9: the admin of another organisation cannot learn whether an
// address has an account nor capture a member of this one by "adding" it.
TEST_P(HttpTest, AddingAMemberInvitesAndTellsNothingAboutTheAddress) {
  auto other = admin_->AddOrg("Other B.V.");
  auto b_admin = admin_->AddUser(other->id, "b-admin@example.nl", Role::kAdmin, "b admin password 1");
  ASSERT_TRUE(b_admin.has_value());
  const std::string b_token = *admin_->AddToken(other->id, "b-admin@example.nl", "t");
  const httplib::Headers b = {{"Authorization", "Bearer " + b_token}};
  const std::string b_base = "/api/v1/orgs/" + other->id;
  auto c = Client();
  // The API: the same status and fields for a member of this organisation and a new address.
  auto invite = [&](const std::string& email, const Json& password) {
    Json body = {{"email", email}, {"roles", {"dpo"}}};
    if (!password.is_null()) body["password"] = password;
    return c.Post(b_base + "/members", b, body.dump(), "application/json");
  };
  auto shape = [](Json j) {
    j.erase("email");
    j.erase("user");
    j.erase("created_at");  // may fall in the next second
    if (j.contains("initial_password"))
      j["initial_password"] = j["initial_password"].get<std::string>().size();
    return j;
  };
  auto existing = invite("privacy_officer@example.nl", "chosen password 123");
  auto fresh = invite("fresh@example.nl", "chosen password 123");
  ASSERT_EQ(existing->status, 201) << existing->body;
  ASSERT_EQ(fresh->status, 201) << fresh->body;
  EXPECT_EQ(shape(Json::parse(existing->body)), shape(Json::parse(fresh->body)));
  EXPECT_EQ(Json::parse(existing->body)["message"],
            "Invited; the membership starts when the person logs in and accepts.");
  auto existing2 = invite("auditor@example.nl", nullptr);
  auto fresh2 = invite("fresh2@example.nl", nullptr);
  ASSERT_EQ(existing2->status, 201);
  ASSERT_EQ(fresh2->status, 201);
  EXPECT_EQ(shape(Json::parse(existing2->body)), shape(Json::parse(fresh2->body)));
  EXPECT_EQ(Json::parse(existing2->body)["initial_password"].get<std::string>().size(), 24u);
  auto short_existing = invite("approver@example.nl", "short");
  auto short_fresh = invite("fresh3@example.nl", "short");
  EXPECT_EQ(short_existing->status, 400);
  EXPECT_EQ(short_existing->body, short_fresh->body);
  // The pages: the same notice but for the address.
  const std::string b_session = FormLogin(c, "b-admin@example.nl", "b admin password 1",
                                          *auth::TotpCode(b_admin->totp_secret, std::time(nullptr)))
                                    .first;
  ASSERT_FALSE(b_session.empty());
  const std::string b_csrf = Csrf(c.Get("/", {{"Cookie", b_session}})->body);
  auto notice = [&](const std::string& email) {
    auto res = c.Post(
        "/orgs/" + other->id + "/members", {{"Cookie", b_session}},
        httplib::Params{
            {"csrf", b_csrf}, {"email", email}, {"role", "auditor"}, {"password", "chosen password 123"}});
    EXPECT_EQ(res->status, 201) << res->body;
    std::smatch m;
    std::string text =
        std::regex_search(res->body, m, std::regex(R"re(<p class="notice" role="status">([^<]*)</p>)re"))
            ? std::string(m[1])
            : "";
    return text.replace(0, email.size(), "EMAIL");
  };
  EXPECT_EQ(notice("business_owner@example.nl"), notice("fresh4@example.nl"));
  EXPECT_EQ(notice("fresh5@example.nl"),
            "EMAIL is invited; the membership starts when the person logs in and accepts.");
  // Pending in B: no access there, and B's admin has no say over the member's
  // second factor or password: this organisation's admin still resets them.
  const std::string po = store_->FindUserByEmail("privacy_officer@example.nl")->id;
  EXPECT_EQ(c.Get(b_base, Bearer(Role::kPrivacyOfficer))->status, 403);
  auto po_session = LogIn(Role::kPrivacyOfficer);
  EXPECT_EQ(c.Get(b_base + "/register", {{"Cookie", po_session.first}})->status, 404);
  const std::string a_base = "/api/v1/orgs/" + org_;
  EXPECT_EQ(
      c.Post(a_base + "/members/" + po + "/password-reset", Bearer(Role::kAdmin), "{}", "application/json")
          ->status,
      200);
  EXPECT_EQ(
      c.Post(a_base + "/members/" + po + "/totp-reset", Bearer(Role::kAdmin), "", "application/json")->status,
      204);
  // B's admin revokes one invitation over the API; a second time it is not found.
  const std::string fresh_id = Json::parse(fresh->body)["user"];
  EXPECT_EQ(c.Delete(b_base + "/invitations/" + fresh_id, b)->status, 204);
  auto again = c.Delete(b_base + "/invitations/" + fresh_id, b);
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(Json::parse(again->body)["error"]["code"], "not_found");
  // The auditor declines its invitation; then there is nothing to accept.
  auto au = LogIn(Role::kAuditor);
  auto mine = Json::parse(c.Get("/api/v1/account/invitations", {{"Cookie", au.first}})->body);
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["org_name"], "Other B.V.");
  EXPECT_EQ(mine["items"][0]["roles"], Json::array({"dpo"}));
  const httplib::Headers au_h = {{"Cookie", au.first}, {"X-CSRF-Token", au.second}};
  EXPECT_EQ(
      c.Post("/api/v1/account/invitations/" + other->id + "/decline", au_h, "", "application/json")->status,
      204);
  EXPECT_TRUE(
      Json::parse(c.Get("/api/v1/account/invitations", {{"Cookie", au.first}})->body)["items"].empty());
  EXPECT_EQ(
      c.Post("/api/v1/account/invitations/" + other->id + "/accept", au_h, "", "application/json")->status,
      404);
  EXPECT_EQ(c.Post("/api/v1/account/invitations/org_missing/accept", au_h, "", "application/json")->status,
            404);
  EXPECT_EQ(c.Get(b_base + "/register", {{"Cookie", au.first}})->status, 404);
  // Without a login: 401.
  EXPECT_EQ(c.Get("/api/v1/account/invitations")->status, 401);
  // B's security log: invited, revoked, declined; never whether the account was new.
  auto log = c.Get(b_base + "/security-log", b)->body;
  for (const char* event : {"member_invited", "invitation_revoked", "invitation_declined"})
    EXPECT_NE(log.find(event), std::string::npos) << event;
  EXPECT_EQ(log.find("new user"), std::string::npos);
}

TEST_P(HttpTest, AnEvidenceBundleUploadedAsAZip) {
  ImportExample();
  auto c = Client();
  const std::string url = "/api/v1/orgs/" + org_ + "/audits";
  const std::string zip = blindspot::testing::MakeZip(blindspot::testing::FolderEntries(
      std::string(BLINDSPOT_SOURCE_DIR) + "/tests/cases/bundle/fixtures/shop-v1", "shop-v1/"));
  httplib::MultipartFormDataItems parts = {{"bundle", zip, "shop-v1.zip", "application/zip"}};
  auto run = c.Post(url, Bearer(Role::kPrivacyOfficer), parts);
  ASSERT_EQ(run->status, 201) << run->body.substr(0, 500);
  Json report = Json::parse(run->body);
  EXPECT_EQ(report["evidence"]["sources"].size(), 3u);
  // Hostile zips: 400 with the stable code and the part named.
  for (const auto& [entries, words] :
       std::vector<std::pair<std::vector<blindspot::testing::ZipEntry>, std::string>>{
           {{{"../../etc/cron.d/x", "x"}}, "'..'"},
           {{{"manifest.json", "/etc/passwd", S_IFLNK | 0777}}, "symbolic link"}}) {
    httplib::MultipartFormDataItems bad = {
        {"bundle", blindspot::testing::MakeZip(entries), "b.zip", "application/zip"}};
    auto res = c.Post(url, Bearer(Role::kPrivacyOfficer), bad);
    EXPECT_EQ(res->status, 400) << res->body;
    Json err = Json::parse(res->body)["error"];
    EXPECT_EQ(err["code"], "bad_request");
    EXPECT_EQ(err["path"], "bundle");
    EXPECT_NE(err["message"].get<std::string>().find(words), std::string::npos) << err.dump();
  }
  httplib::MultipartFormDataItems junk = {{"bundle", "not a zip", "b.zip", "application/zip"}};
  EXPECT_EQ(c.Post(url, Bearer(Role::kPrivacyOfficer), junk)->status, 400);
  // The page takes the bundle too.
  auto po = LogIn(Role::kPrivacyOfficer);
  httplib::MultipartFormDataItems form = {{"csrf", po.second, "", ""},
                                          {"bundle", zip, "shop-v1.zip", "application/zip"}};
  EXPECT_EQ(c.Post("/orgs/" + org_ + "/audits", {{"Cookie", po.first}}, form)->status, 303);
}

TEST(Http, QrCodeOfATotpUri) {
  int modules = 0;
  std::string svg = QrSvg(
      "otpauth://totp/blindspot:a%40b.nl?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=blindspot", &modules);
  ASSERT_FALSE(svg.empty());
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  // Version 5 or more at this length (37+ modules) plus the 4-module quiet zone on each side.
  EXPECT_GE(modules, 37 + 8);
  EXPECT_EQ((modules - 8 - 17) % 4, 0) << "a QR code is 17 + 4 x version modules wide";
  // The three finder patterns: a 7x7 dark square at the top left starts the path.
  EXPECT_NE(svg.find("d=\"M4 4h1v1h-1zM5 4h1v1h-1zM6 4h1v1h-1z"), std::string::npos) << svg.substr(0, 300);
}

TEST_P(HttpTest, HostileTextIsEscapedOnEveryPage) {
  std::string reg = ReadSource("examples/webshop/register.yaml");
  const std::string evil = "<script>alert(1)</script>\\\" onmouseover=\\\"x";
  size_t p = reg.find("name: Meta Pixel");
  ASSERT_NE(p, std::string::npos);
  reg.replace(p, 16, "name: \"Meta <script>alert(1)</script> & <img src=x onerror=alert(2)>\"");
  p = reg.find("      lawful_basis: legitimate_interests\n\n  - id: google-ads");
  ASSERT_NE(p, std::string::npos);
  reg.insert(p, "      necessity: \"" + evil + "\"\n");
  auto c = Client();
  auto put =
      c.Put("/api/v1/orgs/" + org_ + "/register", Replacing(Role::kPrivacyOfficer), reg, "application/yaml");
  ASSERT_EQ(put->status, 200) << put->body;
  auto po = LogIn(Role::kPrivacyOfficer);
  const std::string base = "/orgs/" + org_;
  const std::string url = base + "/records/touchpoint/meta-pixel";
  auto page = c.Get(url, {{"Cookie", po.first}});
  ASSERT_EQ(page->status, 200);
  std::string version = Field(page->body, "version");
  ASSERT_EQ(PostForm(c, url + "/assign", po,
                     {{"version", version}, {"owner", "business_owner@example.nl"}, {"due", "2030-01-01"}})
                ->status,
            303);
  auto bo = LogIn(Role::kBusinessOwner);
  httplib::MultipartFormDataItems parts = {
      {"csrf", po.second, "", ""},
      {"har", ReadSource("examples/webshop/har/home.har"), "<b>x</b>.har", "application/json"}};
  ASSERT_EQ(c.Post(base + "/audits", {{"Cookie", po.first}}, parts)->status, 303);
  for (const auto& [who, path] : std::vector<std::pair<std::pair<std::string, std::string>, std::string>>{
           {po, base + "/records/touchpoint"},
           {po, url},
           {bo, base + "/my"},
           {po, base + "/history?limit=500"},
           {po, base + "/audits"},
           {po, url + "/compare?from=1&to=2"},
           {po, base}}) {
    auto res = c.Get(path, {{"Cookie", who.first}});
    ASSERT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body.find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("<img src=x"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("\" onmouseover=\""), std::string::npos) << path;
    EXPECT_EQ(res->body.find("<b>x</b>"), std::string::npos) << path;
    EXPECT_FALSE(std::regex_search(res->body, std::regex("<script>[^<]"))) << path;
  }
  EXPECT_NE(page->body.find("Meta &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img"), std::string::npos);
  EXPECT_NE(page->body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x</textarea>"),
            std::string::npos);
}

TEST_P(HttpTest, AUserChangesItsPasswordAndReplacesAOneTimePassword) {
  auto c = Client();
  const std::string url = "/api/v1/account/password";
  auto bo = LogIn(Role::kBusinessOwner);
  auto other = LogIn(Role::kBusinessOwner);
  auto body = [](const std::string& current, const std::string& fresh) {
    return Json{{"current_password", current}, {"new_password", fresh}}.dump();
  };
  auto with_session = [&](const std::pair<std::string, std::string>& s) {
    return httplib::Headers{{"Cookie", s.first}, {"X-CSRF-Token", s.second}};
  };
  // The menu links the page.
  auto home = c.Get("/", {{"Cookie", bo.first}});
  ASSERT_TRUE(home);
  EXPECT_NE(home->body.find("href=\"/account/password\""), std::string::npos);
  // Not with a token, not without the CSRF token.
  auto by_token = c.Post(url, Bearer(Role::kBusinessOwner),
                         body("a long password 123", "a new long password"), "application/json");
  EXPECT_EQ(by_token->status, 400) << by_token->body;
  auto no_csrf = c.Post(url, {{"Cookie", bo.first}}, body("a long password 123", "a new long password"),
                        "application/json");
  EXPECT_EQ(no_csrf->status, 403);
  // A wrong current password: 403 naming the field.
  auto wrong =
      c.Post(url, with_session(bo), body("wrong password!!", "a new long password"), "application/json");
  ASSERT_EQ(wrong->status, 403) << wrong->body;
  EXPECT_EQ(Json::parse(wrong->body)["error"]["code"], "denied");
  EXPECT_EQ(Json::parse(wrong->body)["error"]["path"], "current_password");
  auto weak = c.Post(url, with_session(bo), body("a long password 123", "short"), "application/json");
  ASSERT_EQ(weak->status, 400) << weak->body;
  EXPECT_EQ(Json::parse(weak->body)["error"]["path"], "new_password");
  // What is missing or refused is a 400 before the current password is
  // checked, and never counts as a wrong one: ten of them lock nothing.
  for (int i = 0; i < 10; ++i) {
    auto missing = c.Post(url, with_session(bo), Json{{"new_password", "a new long password"}}.dump(),
                          "application/json");
    ASSERT_EQ(missing->status, 400) << missing->body;
    EXPECT_EQ(Json::parse(missing->body)["error"]["path"], "current_password");
    auto mine = c.Post(url, with_session(bo), body("wrong password!!", "business_owner@example.nl"),
                       "application/json");
    ASSERT_EQ(mine->status, 400) << mine->body;
    EXPECT_EQ(Json::parse(mine->body)["error"]["path"], "new_password");
    auto repeated =
        c.Post(url, with_session(bo), body("wrong password!!", "            "), "application/json");
    ASSERT_EQ(repeated->status, 400) << repeated->body;
  }
  // Changed: this session goes on, the other one ends.
  auto ok =
      c.Post(url, with_session(bo), body("a long password 123", "a new long password"), "application/json");
  ASSERT_EQ(ok->status, 204) << ok->body;
  EXPECT_EQ(c.Get("/", {{"Cookie", bo.first}})->status, 200);
  EXPECT_EQ(c.Get("/", {{"Cookie", other.first}})->status, 303);
  // The page: two new passwords that differ are refused.
  auto page = c.Post("/account/password", {{"Cookie", bo.first}},
                     httplib::Params{{"csrf", bo.second},
                                     {"current_password", "a new long password"},
                                     {"new_password", "the third password"},
                                     {"repeat_password", "the third passwort"}});
  EXPECT_EQ(page->status, 400);
  EXPECT_NE(page->body.find(Ui("en", "password_mismatch")), std::string::npos);

  // An admin gives a one-time password (API): returned once; the user's sessions end.
  const std::string bo_id = store_->FindUserByEmail("business_owner@example.nl")->id;
  auto reset = c.Post("/api/v1/orgs/" + org_ + "/members/" + bo_id + "/password-reset", Bearer(Role::kAdmin),
                      "", "application/json");
  ASSERT_EQ(reset->status, 200) << reset->body;
  const std::string one_time = Json::parse(reset->body).value("one_time_password", "");
  ASSERT_EQ(one_time.size(), 24u) << reset->body;
  EXPECT_EQ(c.Get("/", {{"Cookie", bo.first}})->status, 303);
  EXPECT_EQ(c.Post("/api/v1/orgs/" + org_ + "/members/" + bo_id + "/password-reset",
                   Bearer(Role::kPrivacyOfficer), "", "application/json")
                ->status,
            403);
  // It logs in to the password page; nothing else answers until a new one is chosen.
  auto form = c.Get("/login");
  std::string cookie = form->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(form->body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
  auto login =
      c.Post("/login", {{"Cookie", cookie}},
             httplib::Params{{"csrf", m[1]}, {"email", "business_owner@example.nl"}, {"password", one_time}});
  ASSERT_EQ(login->status, 303) << login->body;
  EXPECT_EQ(login->get_header_value("Location"), "/account/password");
  std::string session;
  for (auto [it, end] = login->headers.equal_range("Set-Cookie"); it != end; ++it)
    if (it->second.starts_with("__Host-bs_session=")) session = it->second.substr(0, it->second.find(';'));
  for (const std::string& path : {std::string("/"), "/orgs/" + org_, "/orgs/" + org_ + "/my"}) {
    auto res = c.Get(path, {{"Cookie", session}});
    EXPECT_EQ(res->status, 303) << path;
    EXPECT_EQ(res->get_header_value("Location"), "/account/password") << path;
  }
  auto api = c.Get("/api/v1/orgs/" + org_ + "/register", {{"Cookie", session}});
  EXPECT_EQ(api->status, 403) << api->body;
  auto pw_page = c.Get("/account/password", {{"Cookie", session}});
  ASSERT_EQ(pw_page->status, 200);
  EXPECT_NE(pw_page->body.find(Ui("en", "password_one_time")), std::string::npos);
  ASSERT_TRUE(std::regex_search(pw_page->body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
  auto chosen = c.Post("/account/password", {{"Cookie", session}},
                       httplib::Params{{"csrf", m[1]},
                                       {"current_password", one_time},
                                       {"new_password", "my very own password"},
                                       {"repeat_password", "my very own password"}});
  ASSERT_EQ(chosen->status, 200) << chosen->body;
  EXPECT_NE(chosen->body.find(Ui("en", "password_changed")), std::string::npos);
  EXPECT_EQ(c.Get("/orgs/" + org_ + "/my", {{"Cookie", session}})->status, 200);
}

// Found by a fresh-user test: a token made without naming the member is the
// maker's own; an owner is named by address or user id, and an account
// elsewhere is answered as no account at all; admin actions log the address.
TEST_P(HttpTest, MembersAreNamedEitherWayAndAdminActionsLogTheirAddress) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  auto mine = c.Post(base + "/tokens", Bearer(Role::kBusinessOwner),
                     R"({"name":"ci","role":"business_owner"})", "application/json");
  ASSERT_EQ(mine->status, 201) << mine->body;
  EXPECT_EQ(Json::parse(mine->body)["user"], store_->FindUserByEmail("business_owner@example.nl")->id);
  EXPECT_EQ(Json::parse(mine->body)["email"], "business_owner@example.nl");
  // Assign by user id.
  const std::string url = base + "/records/touchpoint/meta-pixel";
  auto assign = [&](const std::string& owner) {
    auto cur = Json::parse(c.Get(url, Bearer(Role::kPrivacyOfficer))->body);
    return c.Post(url + "/assign", Bearer(Role::kPrivacyOfficer),
                  Json{{"owner", owner}, {"version", cur["version"]}}.dump(), "application/json");
  };
  const std::string bo_id = store_->FindUserByEmail("business_owner@example.nl")->id;
  auto by_id = assign(bo_id);
  ASSERT_EQ(by_id->status, 200) << by_id->body;
  EXPECT_EQ(Json::parse(by_id->body)["owner"], "business_owner@example.nl");
  // A user of another organisation and an address without an account: one answer.
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(admin_->AddUser(other->id, "elsewhere@example.nl", Role::kBusinessOwner, "elsewhere pass 12"));
  auto elsewhere = assign("elsewhere@example.nl");
  auto nobody = assign("nobody@example.nl");
  ASSERT_EQ(elsewhere->status, 400);
  ASSERT_EQ(nobody->status, 400);
  Json e1 = Json::parse(elsewhere->body)["error"], e2 = Json::parse(nobody->body)["error"];
  EXPECT_EQ(e1["message"], "elsewhere@example.nl is not a member of this organisation");
  EXPECT_EQ(e2["message"], "nobody@example.nl is not a member of this organisation");
  EXPECT_EQ(e1["path"], e2["path"]);
  EXPECT_EQ(e1["expected"], e2["expected"]);
  // An admin action in the security log, with the client's address.
  auto reset =
      c.Post(base + "/members/" + bo_id + "/password-reset", Bearer(Role::kAdmin), "{}", "application/json");
  ASSERT_EQ(reset->status, 200) << reset->body;
  EXPECT_EQ(Json::parse(reset->body)["user"], bo_id);
  auto log = Json::parse(c.Get(base + "/security-log", Bearer(Role::kDpo))->body);
  bool found = false;
  for (const Json& e : log["items"])
    if (e["event"] == "password_reset") {
      found = true;
      EXPECT_EQ(e["remote"], "127.0.0.1") << e.dump();
    }
  EXPECT_TRUE(found) << log.dump();
}

TEST_P(HttpTest, ASecondServerCannotTakeAPortInUse) {
  ServeOptions so;
  so.port = port_;
  auto second = Server::Create(*admin_, so);
  auto bound = second->Bind();
  ASSERT_FALSE(bound.has_value()) << "a second server bound port " << port_;
  EXPECT_EQ(bound.error().kind, ErrorKind::kIo);
}

TEST_P(HttpTest, RequestSizeIsBounded) {
  auto c = Client();
  std::string big(9u << 20, 'a');
  auto res = c.Put("/api/v1/orgs/" + org_ + "/register", Bearer(Role::kAdmin), big, "application/yaml");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

// A request declaring a large body without valid credentials is answered
// 401 before its body is read, and its connection is closed: nobody can make
// the server read megabytes without logging in.
TEST_P(HttpTest, LargeBodiesWithoutCredentialsAreRefusedBeforeTheyAreRead) {
  const std::string base = "/api/v1/orgs/" + org_;
  // Only the headers of a 10 MiB body are sent: the answer comes without it.
  auto headers = [&](const std::string& line, const std::string& extra) {
    return line + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/yaml\r\n" + extra +
           "Content-Length: " + std::to_string(10u << 20) + "\r\n\r\n";
  };
  auto timed = [&](const std::string& request) {
    auto start = std::chrono::steady_clock::now();
    std::string raw = RawRequest(port_, request);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, std::chrono::seconds(3)) << request.substr(0, 80);
    EXPECT_NE(raw.find("Connection: close\r\n"), std::string::npos) << raw;
    // Once: the library adds the header the refusal asks for.
    EXPECT_EQ(raw.find("Connection: close\r\n"), raw.rfind("Connection: close\r\n")) << raw;
    return ParseRaw(raw);
  };
  for (const std::string& extra : {std::string(), std::string("Authorization: Bearer bst_not-a-token\r\n"),
                                   std::string("Cookie: bs_session=not-a-session\r\n")}) {
    auto r = timed(headers("PUT " + base + "/register", extra));
    EXPECT_EQ(r.status, 401) << extra;
    EXPECT_EQ(Json::parse(r.body)["error"]["code"], "auth") << r.body;
  }
  // A chunked body without credentials: 401 too.
  auto chunked = timed("PUT " + base +
                       "/register HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       "Content-Type: application/yaml\r\n\r\n100000\r\n" +
                       std::string(4096, 'a'));
  EXPECT_EQ(chunked.status, 401);
  // A page: the login page, as for any page without a session.
  std::string page = RawRequest(port_, headers("POST /orgs/" + org_ + "/import", ""));
  EXPECT_EQ(ParseRaw(page).status, 303) << page;
  EXPECT_NE(page.find("Location: /login\r\n"), std::string::npos) << page;
  // The login form needs no credentials and is never large: 413.
  EXPECT_EQ(timed(headers("POST /login", "")).status, 413);
  // A revoked token is no credential.
  auto revoke = Client().Delete(
      base + "/tokens/" + admin_->store().FindApiToken(auth::HashSecret(tokens_[Role::kAuditor]))->id,
      Bearer(Role::kAdmin));
  ASSERT_TRUE(revoke);
  ASSERT_EQ(revoke->status, 204) << revoke->body;
  EXPECT_EQ(
      timed(headers("PUT " + base + "/register", "Authorization: Bearer " + tokens_[Role::kAuditor] + "\r\n"))
          .status,
      401);
  // With a valid token the body is read as before: RequestSizeIsBounded.
}

// A client sending its headers a byte at a time is cut off when the read
// timeout has passed since its first byte (each byte alone comes well
// within it), and the server goes on serving others.
TEST_P(HttpTest, SlowHeadersAreCutOffAfterTheReadTimeout) {
  ServeOptions so;
  so.port = 0;
  so.threads = 2;
  so.read_timeout_seconds = 1;
  auto server = Server::Create(*admin_, so);
  auto port = server->Bind();
  ASSERT_TRUE(port.has_value());
  std::thread run([&] { (void)server->Run(); });
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request =
      "GET /login HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n";
  auto start = std::chrono::steady_clock::now();
  bool cut = false;
  for (char ch : request) {
    if (::send(fd, &ch, 1, MSG_NOSIGNAL) != 1) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      char buf[512];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      // The end of the connection, or the 408 for headers cut short before it.
      cut = n <= 0 || std::string_view(buf, static_cast<size_t>(n)).starts_with("HTTP/1.1 408");
      if (cut) break;
    }
  }
  auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_TRUE(cut) << "the slow client was served for the whole request";
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(3));
  httplib::Client c("127.0.0.1", *port);
  auto res = c.Get("/login");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  server->Stop();
  run.join();
}

// A test client's connection on which a request is sent in parts.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return connected_; }
  // False when the server has closed the connection (or answered: `received` holds it).
  bool Send(std::string_view data) {
    Poll(0);
    if (eof_) return false;
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // Reads what arrives within `wait` of the last byte (or until the server closes).
  std::string ReadAll(std::chrono::milliseconds wait) {
    while (!eof_ && Poll(static_cast<int>(wait.count()))) {
    }
    return received;
  }
  // True when something arrived (or the connection ended) within `ms`.
  bool Poll(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
    } else {
      received.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  bool eof() const { return eof_; }
  std::string received;

 private:
  int fd_;
  bool connected_ = false, eof_ = false;
};

size_t Count(const std::string& text, std::string_view part) {
  size_t n = 0;
  for (size_t p = text.find(part); p != std::string::npos; p = text.find(part, p + 1)) ++n;
  return n;
}

// A Content-Length that is not one plain decimal number is answered 400 at
// once (it says what is wrong with the header), the body is not read and
// the connection is closed; before, -5 or 2^64 made the server read all the
// client sent (and answer 413 ten seconds after it stopped), "abc" was no
// body and "1, 2" a body of one byte.
TEST_P(HttpTest, BogusContentLengthsAreRefusedAtOnce) {
  const std::string base = "/api/v1/orgs/" + org_;
  const std::string auth = "Authorization: Bearer " + tokens_[Role::kPrivacyOfficer] + "\r\n";
  const std::vector<std::string> lengths = {"-5", "18446744073709551616", "abc", "1, 2", "+5", "0x10"};
  for (const std::string& target : std::vector<std::string>{
           "PUT /login", "POST /login", "PUT " + base + "/register", "PUT /api/v1/orgs/x/register",
           "POST " + base + "/records/touchpoint/meta-pixel/assign"}) {
    const bool api = target.find("/api/") != std::string::npos;
    for (const std::string& length : lengths) {
      SCOPED_TRACE(target + " with Content-Length: " + length);
      RawConnection conn(port_);
      ASSERT_TRUE(conn.connected());
      auto start = std::chrono::steady_clock::now();
      ASSERT_TRUE(conn.Send(target + " HTTP/1.1\r\nHost: x\r\n" + (api ? auth : "") +
                            "Content-Type: application/yaml\r\nContent-Length: " + length + "\r\n\r\n"));
      // The body keeps coming: the server does not wait for it.
      for (int i = 0; i < 20 && !conn.Poll(0); ++i) {
        if (!conn.Send(std::string(64u << 10, 'a'))) break;
      }
      std::string raw = conn.ReadAll(std::chrono::milliseconds(3000));
      auto took = std::chrono::steady_clock::now() - start;
      EXPECT_LT(took, std::chrono::seconds(3));
      EXPECT_TRUE(conn.eof()) << "the connection stayed open";
      auto r = ParseRaw(raw);
      EXPECT_EQ(r.status, 400) << raw.substr(0, 300);
      EXPECT_EQ(Count(raw, "Connection: close\r\n"), 1u) << raw.substr(0, 300);
      if (api) {
        Json j = Json::parse(r.body, nullptr, false);
        ASSERT_TRUE(j.is_object()) << r.body;
        EXPECT_EQ(j["error"]["code"], "bad_request");
        EXPECT_NE(j["error"]["message"].get<std::string>().find("Content-Length"), std::string::npos)
            << r.body;
      } else {
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
        EXPECT_NE(r.body.find("Content-Length"), std::string::npos) << r.body;
      }
    }
  }
  // Two Content-Length headers: 400 too (even when they agree).
  std::string twice = RawRequest(port_,
                                 "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                 "Content-Length: 2\r\n\r\nab");
  EXPECT_EQ(ParseRaw(twice).status, 400) << twice;
  // A plain number still works: the register is read (and is not one).
  std::string fine = RawRequest(port_, "PUT " + base + "/register HTTP/1.1\r\nHost: x\r\n" + auth +
                                           "Content-Type: application/yaml\r\nContent-Length: 007\r\n"
                                           "Connection: close\r\n\r\na: [b]\n");
  EXPECT_EQ(ParseRaw(fine).status, 400) << fine;
  EXPECT_EQ(fine.find("Content-Length header"), std::string::npos) << fine;
  EXPECT_EQ(Json::parse(ParseRaw(fine).body, nullptr, false)["error"].value("code", ""), "schema") << fine;
}

// A body sent slowly is cut off: without credentials within the read
// timeout (as slow headers are), with valid credentials within the read
// timeout or the time the body takes at the minimum rate, whichever is
// longer; the answer is 408. Before, each byte alone came within the read
// timeout and the connection stayed open for as long as the client liked.
TEST_P(HttpTest, SlowBodiesAreCutOff) {
  ServeOptions so;
  so.port = 0;
  so.threads = 2;
  so.read_timeout_seconds = 1;
  so.min_body_bytes_per_second = 1000;
  auto server = Server::Create(*admin_, so);
  auto port = server->Bind();
  ASSERT_TRUE(port.has_value());
  std::thread run([&] { (void)server->Run(); });
  // Sends `head` and then `body` in `part`-byte pieces every 100 ms until
  // the server answers; returns the answer and how long it took.
  auto trickle = [&](const std::string& head, const std::string& body, size_t part) {
    RawConnection conn(*port);
    EXPECT_TRUE(conn.connected());
    auto start = std::chrono::steady_clock::now();
    conn.Send(head);
    for (size_t sent = 0; sent < body.size() && !conn.Poll(100); sent += part)
      if (!conn.Send(body.substr(sent, part))) break;
    conn.ReadAll(std::chrono::milliseconds(3000));
    return std::pair{ParseRaw(conn.received), std::chrono::steady_clock::now() - start};
  };
  using std::chrono::milliseconds;
  // The login form, a byte every 100 ms of 1,000: cut off after 1 s.
  auto [login, login_took] = trickle(
      "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 1000\r\n\r\n",
      std::string(1000, 'a'), 1);
  EXPECT_EQ(login.status, 408) << login.body;
  EXPECT_GE(login_took, milliseconds(900));
  EXPECT_LT(login_took, milliseconds(2500));
  // 3,000 bytes in 150-byte parts (2 s): with a valid token the body may
  // take 3 s (3,000 bytes at 1,000 bytes/s) and is read; without one 1 s.
  const std::string body = "a: [" + std::string(2994, 'b') + "]\n";
  ASSERT_EQ(body.size(), 3000u);
  auto put = [&](const std::string& token) {
    return "PUT /api/v1/orgs/" + org_ + "/register HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/yaml\r\nContent-Length: 3000\r\n\r\n";
  };
  auto [ok, ok_took] = trickle(put(tokens_[Role::kPrivacyOfficer]), body, 150);
  EXPECT_NE(ok.status, 408) << ok.body;
  EXPECT_NE(ok.status, 0);
  EXPECT_GE(ok_took, milliseconds(1800));
  auto [anon, anon_took] = trickle(put("bst_not-a-token"), body, 150);
  EXPECT_EQ(anon.status, 408) << anon.body;
  EXPECT_EQ(Json::parse(anon.body, nullptr, false)["error"]["code"], "request_timeout") << anon.body;
  EXPECT_LT(anon_took, milliseconds(1800));
  // 3,000 bytes in 50-byte parts (6 s) with a valid token: cut off after 3 s.
  auto [slow, slow_took] = trickle(put(tokens_[Role::kPrivacyOfficer]), body, 50);
  EXPECT_EQ(slow.status, 408) << slow.body;
  EXPECT_GE(slow_took, milliseconds(2800));
  EXPECT_LT(slow_took, milliseconds(4500));
  // The server goes on serving others.
  httplib::Client c("127.0.0.1", *port);
  auto res = c.Get("/login");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  server->Stop();
  run.join();
}

// A request with "Expect: 100-continue" that will be refused gets the
// refusal instead of "100 Continue" (curl would otherwise start sending the
// body); one that will be read gets the 100 first.
TEST_P(HttpTest, ExpectContinueGetsTheRefusalInsteadOfTheGoAhead) {
  const std::string base = "/api/v1/orgs/" + org_;
  auto ask = [&](const std::string& extra, const std::string& length) {
    auto conn = std::make_unique<RawConnection>(port_);
    EXPECT_TRUE(conn->connected());
    conn->Send("PUT " + base + "/register HTTP/1.1\r\nHost: x\r\n" + extra +
               "Content-Type: application/yaml\r\nExpect: 100-continue\r\nContent-Length: " + length +
               "\r\n\r\n");
    conn->Poll(3000);
    return conn;
  };
  // No credentials, a body over 1 MiB: 401.
  auto anon = ask("", std::to_string(2u << 20));
  EXPECT_TRUE(anon->received.starts_with("HTTP/1.1 401")) << anon->received;
  EXPECT_EQ(anon->received.find("100 Continue"), std::string::npos) << anon->received;
  // A valid token and a body over the limit (8 MiB here): 413.
  const std::string auth = "Authorization: Bearer " + tokens_[Role::kPrivacyOfficer] + "\r\n";
  auto big = ask(auth, std::to_string(9u << 20));
  EXPECT_TRUE(big->received.starts_with("HTTP/1.1 413")) << big->received;
  EXPECT_EQ(Count(big->ReadAll(std::chrono::milliseconds(3000)), "Connection: close\r\n"), 1u)
      << big->received;
  // A bogus length: 400.
  auto bogus = ask(auth, "-5");
  EXPECT_TRUE(bogus->received.starts_with("HTTP/1.1 400")) << bogus->received;
  // A body that will be read: 100 Continue, then the answer once it is sent.
  const std::string yaml = "a: [b]\n";
  auto fine = ask(auth, std::to_string(yaml.size()));
  EXPECT_TRUE(fine->received.starts_with("HTTP/1.1 100 Continue\r\n\r\n")) << fine->received;
  fine->Send(yaml);
  fine->Poll(3000);
  EXPECT_NE(fine->received.find("\r\n\r\nHTTP/1.1 400"), std::string::npos) << fine->received;
}

// Every error of an /api/v1 route is the JSON error shape with a stable
// code, also those cpp-httplib answers itself.
TEST_P(HttpTest, ApiErrorsTheLibraryMakesAreJson) {
  const std::string base = "/api/v1/orgs/" + org_;
  auto json_error = [](const RawResponse& r) {
    EXPECT_EQ(r.content_type, "application/json") << r.body;
    Json j = Json::parse(r.body, nullptr, false);
    EXPECT_TRUE(j.is_object() && j.contains("error") && j["error"]["message"].is_string()) << r.body;
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  };
  const std::string auth = "Authorization: Bearer " + tokens_[Role::kPrivacyOfficer] + "\r\n";
  // A request line over the library's 8 KiB limit: 414.
  auto long_uri =
      ParseRaw(RawRequest(port_, "GET " + base + "/records?kind=" + std::string(9000, 'a') +
                                     " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n"));
  EXPECT_EQ(long_uri.status, 414);
  EXPECT_EQ(json_error(long_uri), "uri_too_long");
  // A chunked body: 411 before a byte of it is read (the library's size
  // limit sees only Content-Length).
  auto chunked = ParseRaw(RawRequest(
      port_, "PUT " + base + "/register HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + auth +
                 "Content-Type: application/yaml\r\n\r\n" + "100000\r\n" + std::string(4096, 'a')));
  EXPECT_EQ(chunked.status, 411);
  EXPECT_EQ(json_error(chunked), "length_required");
  // A request line the library cannot read: 400.
  auto garbage = ParseRaw(RawRequest(port_, "HELLO\r\n\r\n"));
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(json_error(garbage), "bad_request");
  // A POST without a body (no Content-Length), and with an empty one.
  ImportExample();
  for (const std::string& length : {std::string(), std::string("Content-Length: 0\r\n")}) {
    auto empty =
        ParseRaw(RawRequest(port_, "POST " + base + "/records/touchpoint/meta-pixel/assign HTTP/1.1\r\n" +
                                       "Host: x\r\n" + auth + length + "Connection: close\r\n\r\n"));
    EXPECT_EQ(empty.status, 400) << length;
    EXPECT_EQ(json_error(empty), "parse") << length;
    auto put = ParseRaw(RawRequest(port_, "PUT " + base + "/register HTTP/1.1\r\nHost: x\r\n" + auth +
                                              length + "Connection: close\r\n\r\n"));
    EXPECT_EQ(put.status, 400) << length;
    EXPECT_EQ(json_error(put), "bad_request") << length;
  }
  // A multipart upload without a boundary: the library refuses it (400).
  auto no_boundary =
      ParseRaw(RawRequest(port_, "POST " + base + "/audits HTTP/1.1\r\nHost: x\r\n" + auth +
                                     "Content-Type: multipart/form-data\r\nContent-Length: 2\r\n"
                                     "Connection: close\r\n\r\n{}"));
  EXPECT_EQ(no_boundary.status, 400);
  EXPECT_EQ(json_error(no_boundary), "bad_request");
  // No such route and a method no route has: 404.
  auto missing = ParseRaw(
      RawRequest(port_, "GET /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json_error(missing), "not_found");
  // A path a route has, with a method none of its routes has: 405, the
  // JSON error and the methods it has (PATCH, TRACE, OPTIONS alike).
  for (const std::string method : {"PATCH", "TRACE", "OPTIONS", "POST"}) {
    std::string raw = RawRequest(port_, method + " " + base + "/register HTTP/1.1\r\nHost: x\r\n" + auth +
                                            "Content-Length: 0\r\nConnection: close\r\n\r\n");
    auto r = ParseRaw(raw);
    EXPECT_EQ(r.status, 405) << method << "\n" << raw;
    EXPECT_EQ(json_error(r), "method_not_allowed") << method;
    EXPECT_NE(raw.find("\r\nAllow: GET, HEAD, PUT\r\n"), std::string::npos) << method << "\n" << raw;
  }
  std::string get_step =
      RawRequest(port_, "GET " + base + "/records/touchpoint/meta-pixel/submit HTTP/1.1\r\nHost: x\r\n" +
                            auth + "Connection: close\r\n\r\n");
  EXPECT_EQ(ParseRaw(get_step).status, 405) << get_step;
  EXPECT_NE(get_step.find("\r\nAllow: POST\r\n"), std::string::npos) << get_step;
  // A method no route has on a path no route has: 404.
  auto nowhere = ParseRaw(RawRequest(port_,
                                     "TRACE /api/v1/nothing-here HTTP/1.1\r\nHost: x\r\n"
                                     "Connection: close\r\n\r\n"));
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(json_error(nowhere), "not_found");
  // Pages keep their HTML errors.
  auto page =
      ParseRaw(RawRequest(port_, "GET /no-such-page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
}

// ?limit= is 1..1000 and ?offset= any whole number up to 2^63-1; anything
// else is 400 naming the parameter and its range (never silently changed).
TEST_P(HttpTest, PaginationParametersAreCheckedNotBent) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  for (const std::string list : {"/history", "/records", "/security-log"}) {
    SCOPED_TRACE(list);
    auto get = [&](const std::string& q) { return c.Get(base + list + q, Bearer(Role::kPrivacyOfficer)); };
    for (const std::string bad : {"?limit=0", "?limit=1001", "?limit=-1", "?limit=abc", "?limit=1e3",
                                  "?limit=99999999999999999999"}) {
      auto r = get(bad);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 400) << bad;
      Json e = Json::parse(r->body)["error"];
      EXPECT_EQ(e["code"], "bad_request") << bad;
      EXPECT_NE(e["message"].get<std::string>().find("?limit must be a whole number from 1 to 1000"),
                std::string::npos)
          << e;
    }
    for (const std::string bad :
         {"?offset=-1", "?offset=9223372036854775808", "?offset=1.5", "?offset=%2B1"}) {
      auto r = get(bad);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 400) << bad;
      EXPECT_NE(Json::parse(r->body)["error"]["message"].get<std::string>().find(
                    "?offset must be a whole number from 0 to 9223372036854775807"),
                std::string::npos)
          << r->body;
    }
    auto one = get("?limit=1");
    ASSERT_EQ(one->status, 200) << one->body;
    EXPECT_EQ(Json::parse(one->body)["items"].size(), 1u);
    auto most = get("?limit=1000");
    ASSERT_EQ(most->status, 200);
    EXPECT_EQ(Json::parse(most->body)["limit"], 1000);
    for (const std::string far : {"1234567890", "9223372036854775807"}) {
      auto r = get("?offset=" + far + "&limit=1000");
      ASSERT_EQ(r->status, 200) << far << " " << r->body;
      Json j = Json::parse(r->body);
      EXPECT_TRUE(j["items"].empty()) << far;
      EXPECT_EQ(j["offset"].get<int64_t>(), std::stoll(far));
    }
  }
}

// Assign: a due date must be on the calendar, the owner must be able to answer.
TEST_P(HttpTest, AssignRefusesImpossibleDatesAndOwnersWhoCannotAnswer) {
  ImportExample();
  auto c = Client();
  const std::string url = "/api/v1/orgs/" + org_ + "/records/touchpoint/meta-pixel";
  int64_t version = Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["version"];
  auto assign = [&](const std::string& owner, const std::string& due) {
    return c.Post(url + "/assign", Bearer(Role::kPrivacyOfficer),
                  Json{{"version", version}, {"owner", owner}, {"due_date", due}}.dump(), "application/json");
  };
  auto feb31 = assign("business_owner@example.nl", "2026-02-31");
  ASSERT_EQ(feb31->status, 400) << feb31->body;
  Json e = Json::parse(feb31->body)["error"];
  EXPECT_EQ(e["code"], "bad_request");
  EXPECT_EQ(e["path"], "due_date");
  EXPECT_EQ(e["message"], "due_date '2026-02-31' is not a date on the calendar");
  auto auditor = assign("auditor@example.nl", "2026-02-28");
  ASSERT_EQ(auditor->status, 400) << auditor->body;
  e = Json::parse(auditor->body)["error"];
  EXPECT_EQ(e["code"], "bad_request");
  EXPECT_EQ(e["path"], "owner");
  EXPECT_NE(e["message"].get<std::string>().find("(auditor)"), std::string::npos) << e;
  // Neither wrote anything.
  EXPECT_EQ(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["version"], version);
  auto ok = assign("business_owner@example.nl", "2028-02-29");
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Json::parse(ok->body)["due_date"], "2028-02-29");
}

// An import replaces the whole register: it names the version it read (the
// export's ETag) and a stale one is refused, nothing written.
TEST_P(HttpTest, AnImportIsVersionCheckedLikeEveryWrite) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  auto exported = c.Get(base + "/register?format=yaml", Bearer(Role::kPrivacyOfficer));
  ASSERT_EQ(exported->status, 200);
  const std::string etag = exported->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 66u) << etag;
  EXPECT_EQ(etag.front(), '"');
  // The JSON export is the same version.
  EXPECT_EQ(c.Get(base + "/register?format=json", Bearer(Role::kAuditor))->get_header_value("ETag"), etag);
  // Someone edits a record in the web application meanwhile.
  const std::string url = base + "/records/touchpoint/meta-pixel";
  Json rec = Json::parse(c.Get(url, Bearer(Role::kPrivacyOfficer))->body);
  Json body = rec["body"];
  body["owner"] = "Marketing (newer edit)";
  auto edit = c.Put(url, Bearer(Role::kPrivacyOfficer),
                    Json{{"version", rec["version"]}, {"body", body}}.dump(), "application/json");
  ASSERT_EQ(edit->status, 200) << edit->body;
  const std::string newer = c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag");
  EXPECT_NE(newer, etag);
  const int64_t history =
      Json::parse(c.Get(base + "/history?limit=1", Bearer(Role::kAuditor))->body)["total"];
  // The import based on the old export: 409, the newer edit stays.
  auto headers = [&](const std::string& if_match) {
    httplib::Headers h = Bearer(Role::kPrivacyOfficer);
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return h;
  };
  auto stale = c.Put(base + "/register", headers(etag), exported->body, "application/yaml");
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(Json::parse(stale->body)["error"]["code"], "conflict");
  EXPECT_EQ(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["body"]["owner"], "Marketing (newer edit)");
  EXPECT_EQ(Json::parse(c.Get(base + "/history?limit=1", Bearer(Role::kAuditor))->body)["total"], history);
  // An If-Match that is not an ETag: 400, nothing written.
  for (const std::string& bad : {std::string("\"3\""), std::string("W/") + etag, std::string("\"\"")}) {
    auto r = c.Put(base + "/register", headers(bad), exported->body, "application/yaml");
    ASSERT_EQ(r->status, 400) << bad << " " << r->body;
    Json e = Json::parse(r->body)["error"];
    EXPECT_EQ(e["code"], "bad_request");
    EXPECT_EQ(e["message"], "say which version of the register you read");
  }
  EXPECT_EQ(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["body"]["owner"], "Marketing (newer edit)");
  // With the current ETag (quoted or not) it goes in.
  auto fresh = c.Put(base + "/register", headers(newer), exported->body, "application/yaml");
  ASSERT_EQ(fresh->status, 200) << fresh->body;
  EXPECT_NE(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["body"]["owner"], "Marketing (newer edit)");
  const std::string after = c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag");
  auto unquoted = c.Put(base + "/register", headers(after.substr(1, 64)), exported->body, "application/yaml");
  EXPECT_EQ(unquoted->status, 200) << unquoted->body;
  // If-Match: * replaces whatever is there; so does a PUT without If-Match
  // (the scripts' contract of issue 9: PUT the register and it is imported).
  auto any = c.Put(base + "/register", headers("*"), exported->body, "application/yaml");
  EXPECT_EQ(any->status, 200) << any->body;
  auto plain = c.Put(base + "/register", headers(""), exported->body, "application/yaml");
  EXPECT_EQ(plain->status, 200) << plain->body;
  // The import page carries the version it showed: an edit made meanwhile is not overwritten.
  auto po = LogIn(Role::kPrivacyOfficer);
  auto form = c.Get("/orgs/" + org_ + "/import", {{"Cookie", po.first}});
  ASSERT_EQ(form->status, 200);
  const std::string shown = Field(form->body, "if_match");
  EXPECT_EQ("\"" + shown + "\"", c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag"));
  rec = Json::parse(c.Get(url, Bearer(Role::kPrivacyOfficer))->body);
  body = rec["body"];
  body["owner"] = "Sales (edited while the page was open)";
  ASSERT_EQ(c.Put(url, Bearer(Role::kPrivacyOfficer),
                  Json{{"version", rec["version"]}, {"body", body}}.dump(), "application/json")
                ->status,
            200);
  httplib::MultipartFormDataItems upload = {
      {"csrf", po.second, "", ""},
      {"if_match", shown, "", ""},
      {"register", exported->body, "register.yaml", "application/yaml"}};
  auto page = c.Post("/orgs/" + org_ + "/import", {{"Cookie", po.first}}, upload);
  EXPECT_EQ(page->status, 409) << page->body;
  EXPECT_NE(page->body.find("the register changed since you read it"), std::string::npos);
  EXPECT_EQ(Json::parse(c.Get(url, Bearer(Role::kAuditor))->body)["body"]["owner"],
            "Sales (edited while the page was open)");
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpTest, ::testing::ValuesIn(store::testing::Backends()),
                         [](const auto& info) { return info.param; });

// Errors name the client's input: a JSON pointer into the request body, a
// line and column and byte offset in it, or the uploaded file's name; never
// a document the server composed.
TEST_P(HttpTest, ErrorsPointIntoWhatTheClientSent) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  auto where = [](const httplib::Result& r) {
    EXPECT_TRUE(r);
    if (!r) return Json();
    EXPECT_EQ(r->status, 400) << r->body;
    Json j = Json::parse(r->body, nullptr, false);
    const bool placed = j.is_object() && j.contains("error") && j["error"].contains("where");
    EXPECT_TRUE(placed) << r->body;
    return placed ? j["error"]["where"] : Json();
  };
  // A bad answer: /answers/in_use of the request.
  auto tp = Json::parse(c.Get(base + "/records/touchpoint/meta-pixel", Bearer(Role::kPrivacyOfficer))->body);
  Json answers = {{"version", tp["version"]}, {"answers", {{"in_use", "maybe"}}}};
  Json w = where(c.Put(base + "/touchpoints/meta-pixel/answers", Bearer(Role::kPrivacyOfficer),
                       answers.dump(), "application/json"));
  EXPECT_EQ(w, (Json{{"file", "request body"}, {"pointer", "/answers/in_use"}})) << w.dump();
  // A bad field of a record: /body/... of the request.
  auto act =
      Json::parse(c.Get(base + "/records/activity/webshop-orders", Bearer(Role::kPrivacyOfficer))->body);
  Json body = act["body"];
  body["purposes"][1]["lawful_basis"] = "because";
  w = where(c.Put(base + "/records/activity/webshop-orders", Bearer(Role::kPrivacyOfficer),
                  Json{{"version", act["version"]}, {"body", body}}.dump(), "application/json"));
  EXPECT_EQ(w, (Json{{"file", "request body"}, {"pointer", "/body/purposes/1/lawful_basis"}})) << w.dump();
  // A body that is not JSON: line and column in it.
  w = where(c.Put(base + "/records/activity/webshop-orders", Bearer(Role::kPrivacyOfficer),
                  "{\n  \"version\": 1,\n  \"body\": tru\n}", "application/json"));
  EXPECT_EQ(w["file"], "request body");
  EXPECT_EQ(w["line"], 3) << w.dump();
  EXPECT_GE(w["column"].get<int>(), 11) << w.dump();
  // Not UTF-8: the first bad byte, by offset and line:column.
  w = where(c.Put(base + "/touchpoints/meta-pixel/answers", Bearer(Role::kPrivacyOfficer),
                  "{\"answers\":\n {\"in_use\": \"ja\xff\"}}", "application/json"));
  EXPECT_EQ(w, (Json{{"file", "request body"}, {"line", 2}, {"column", 16}, {"offset", 27}})) << w.dump();
  // A register upload that is not UTF-8: the byte, not line 0.
  auto reg = c.Put(base + "/register", Replacing(Role::kPrivacyOfficer),
                   "blindspot_register: 1\n# \xc3\x28\n", "application/yaml");
  w = where(reg);
  EXPECT_EQ(w["offset"], 24) << reg->body;
  EXPECT_FALSE(w.contains("line") && w["line"] == 0) << reg->body;
  // A HAR that does not read: the uploaded part's file name.
  httplib::MultipartFormDataItems parts = {{"har", "{\"log\": 5}", "broken capture.har", "application/json"}};
  auto audit = c.Post(base + "/audits", Bearer(Role::kPrivacyOfficer), parts);
  w = where(audit);
  EXPECT_EQ(w["file"], "broken capture.har") << audit->body;
  EXPECT_EQ(audit->body.find("/in/"), std::string::npos) << audit->body;
}

TEST_P(HttpTest, TokensSayWhoseTheyAreAndARevokedOneIsNotRevokedAgain) {
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  auto list = c.Get(base + "/tokens", Bearer(Role::kPrivacyOfficer));
  ASSERT_EQ(list->status, 200) << list->body;
  Json items = Json::parse(list->body)["items"];
  ASSERT_EQ(items.size(), store::AllRoles().size());
  Json auditor;
  for (const Json& t : items)
    if (t["member"]["email"] == "auditor@example.nl") auditor = t;
  ASSERT_TRUE(auditor.is_object()) << items.dump();
  EXPECT_EQ(auditor["roles"], Json::array({"auditor"}));
  EXPECT_TRUE(auditor["member"]["user_id"].is_string() &&
              !auditor["member"]["user_id"].get<std::string>().empty());
  const std::string url = base + "/tokens/" + auditor["id"].get<std::string>();
  auto first = c.Delete(url, Bearer(Role::kPrivacyOfficer));
  EXPECT_EQ(first->status, 204) << first->body;
  auto second = c.Delete(url, Bearer(Role::kPrivacyOfficer));
  EXPECT_EQ(second->status, 409) << second->body;
  EXPECT_EQ(Json::parse(second->body)["error"]["code"], "conflict");
  auto unknown = c.Delete(base + "/tokens/tok_nothing", Bearer(Role::kPrivacyOfficer));
  EXPECT_EQ(unknown->status, 404) << unknown->body;
}

TEST_P(HttpTest, PublicRegisterTakesFormatAndLanguage) {
  auto c = Client();
  const std::string url = "/api/v1/orgs/" + org_ + "/public-register";
  auto json = c.Get(url, Bearer(Role::kAuditor));
  ASSERT_EQ(json->status, 200) << json->body;
  EXPECT_EQ(json->get_header_value("Content-Type"), "application/json");
  auto html = c.Get(url + "?format=html&lang=de", Bearer(Role::kAuditor));
  ASSERT_EQ(html->status, 200) << html->body;
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(html->body.find("<html lang=\"de\">"), std::string::npos);
  auto nl = c.Get(url + "?format=json&lang=nl", Bearer(Role::kAuditor));
  ASSERT_EQ(nl->status, 200);
  EXPECT_EQ(Json::parse(nl->body)["lang"], "nl");
  EXPECT_EQ(nl->get_header_value("Content-Language"), "nl");
  for (const auto& [query, param] : std::vector<std::pair<std::string, std::string>>{
           {"?format=xml", "format"}, {"?lang=fr", "lang"}, {"?format=html&lang=EN", "lang"}}) {
    auto bad = c.Get(url + query, Bearer(Role::kAuditor));
    EXPECT_EQ(bad->status, 400) << query;
    Json e = Json::parse(bad->body)["error"];
    EXPECT_EQ(e["code"], "bad_request");
    EXPECT_EQ(e["path"], param) << bad->body;
    EXPECT_NE(e["message"].get<std::string>().find("?" + param), std::string::npos) << bad->body;
  }
}

TEST_P(HttpTest, TheRegisterGoesOutAndComesBackAsASpreadsheet) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  // Out in the VNG layout, as a file to save.
  auto xlsx = c.Get(base + "/register?format=xlsx", Bearer(Role::kAuditor));
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition"), "attachment; filename=\"register.xlsx\"");
  EXPECT_TRUE(xlsx->body.starts_with("PK\x03\x04"));
  EXPECT_EQ(xlsx->get_header_value("ETag"),
            c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag"));
  auto ld = c.Get(base + "/register?format=dpv", Bearer(Role::kAuditor));
  ASSERT_EQ(ld->status, 200);
  EXPECT_EQ(ld->get_header_value("Content-Type"), "application/ld+json");
  EXPECT_NE(ld->body.find("\"dpv\": \"https://w3id.org/dpv#\""), std::string::npos);
  auto unknown = c.Get(base + "/register?format=onetrust", Bearer(Role::kAuditor));
  ASSERT_EQ(unknown->status, 400);
  Json e = Json::parse(unknown->body)["error"];
  EXPECT_EQ(e["message"], "unknown register format 'onetrust'");
  EXPECT_NE(e["expected"].get<std::string>().find("ico-xlsx"), std::string::npos) << e.dump();

  // Back in: the workbook's bytes as the body, recognised from the content.
  auto put = c.Put(base + "/register?name=register.xlsx", Replacing(Role::kPrivacyOfficer), xlsx->body,
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_EQ(put->status, 200) << put->body;
  Json res = Json::parse(put->body);
  EXPECT_GE(res["records"].get<int>(), 4) << res.dump();
  // The activities kept their ids (the layout's Nummer column).
  auto rec = c.Get(base + "/records/activity/webshop-orders", Bearer(Role::kAuditor));
  ASSERT_EQ(rec->status, 200) << rec->body;
  EXPECT_EQ(Json::parse(rec->body)["body"]["name"], "Bestellingen afhandelen");
  // A forced importer that does not fit: 400 with where it failed, nothing written.
  const std::string tag = c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag");
  auto wrong = c.Put(base + "/register?format=vws", Replacing(Role::kPrivacyOfficer), xlsx->body,
                     "application/octet-stream");
  ASSERT_EQ(wrong->status, 400) << wrong->body;
  auto nosuch = c.Put(base + "/register?format=onetrust", Replacing(Role::kPrivacyOfficer), xlsx->body,
                      "application/octet-stream");
  ASSERT_EQ(nosuch->status, 400);
  EXPECT_EQ(Json::parse(nosuch->body)["error"]["message"], "unknown import format 'onetrust'");
  EXPECT_EQ(c.Get(base + "/register", Bearer(Role::kAuditor))->get_header_value("ETag"), tag);
}

TEST_P(HttpTest, AnImportSaysWhatItRetiredAndAnObsoleteRecordComesBack) {
  ImportExample();
  auto c = Client();
  const std::string base = "/api/v1/orgs/" + org_;
  auto loaded = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "r.yaml");
  ASSERT_TRUE(loaded.has_value());
  Register without = loaded->reg;
  std::erase_if(without.touchpoints, [](const auto& t) { return t.id == "meta-pixel"; });
  auto put = c.Put(base + "/register", Replacing(Role::kPrivacyOfficer), WriteRegisterJson(without),
                   "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  Json answer = Json::parse(put->body);
  ASSERT_EQ(answer["retired"].size(), 1u) << put->body;
  EXPECT_EQ(answer["retired"][0]["kind"], "touchpoint");
  EXPECT_EQ(answer["retired"][0]["id"], "meta-pixel");
  EXPECT_EQ(answer["retired"][0]["status_before"], "draft");
  EXPECT_TRUE(answer["reinstated"].empty());
  const std::string url = base + "/records/touchpoint/meta-pixel";
  Json rec = Json::parse(c.Get(url, Bearer(Role::kAuditor))->body);
  EXPECT_EQ(rec["status"], "obsolete");
  // Only who may mark it obsolete may bring it back.
  Json step = {{"version", rec["version"]}, {"reason", "in use again"}};
  EXPECT_EQ(c.Post(url + "/reinstate", Bearer(Role::kApprover), step.dump(), "application/json")->status,
            403);
  auto back = c.Post(url + "/reinstate", Bearer(Role::kPrivacyOfficer), step.dump(), "application/json");
  ASSERT_EQ(back->status, 200) << back->body;
  EXPECT_EQ(Json::parse(back->body)["status"], "draft");
  auto hist = Json::parse(c.Get(base + "/history?limit=1", Bearer(Role::kAuditor))->body)["items"][0];
  EXPECT_EQ(hist["record"], "meta-pixel");
  EXPECT_EQ(hist["field"], "@status");
  EXPECT_EQ(hist["old"], "obsolete");
  EXPECT_EQ(hist["new"], "draft");
  EXPECT_EQ(hist["reason"], "in use again");
}

TEST(Http, PublicRegisterPageInEveryLanguageEscaped) {
  std::string json = R"({"public_register": 1, "generated_at": "2027-01-15T08:00:00Z",
    "organisation": {"name": "<b>Shop</b> & Co", "contact": {"email": "privacy@shop.nl"}, "dpo": {"name": "M. de Vries"}},
    "activities": [{"id": "orders", "name": "Orders <script>x()</script>", "description": null,
      "purposes": [{"description": "Delivering orders", "lawful_basis": "contract", "legal_obligation": null}],
      "data_subjects": ["customer"], "data_categories": [{"key": "user.contact.email", "group": "contact"}],
      "recipients": [{"kind": "processor", "name": "PostNL"}],
      "transfers": [{"recipient": "Mailchimp", "country": "US", "safeguard": "data_privacy_framework"}],
      "retention": [{"data_category": "*", "period": "7 years"}],
      "security_measures": {"measures": ["encryption_in_transit"], "description": null}}]})";
  auto nl = RenderPublicRegisterHtml(json, "nl");
  ASSERT_TRUE(nl.has_value()) << nl.error().message;
  EXPECT_NE(nl->find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(nl->find("Register van verwerkingsactiviteiten"), std::string::npos);
  EXPECT_NE(nl->find("Delivering orders"), std::string::npos);
  EXPECT_NE(nl->find("encryption in transit"), std::string::npos);
  EXPECT_NE(nl->find("alle gegevens: 7 years"), std::string::npos);
  EXPECT_EQ(nl->find("<script>"), std::string::npos);
  EXPECT_EQ(nl->find("<b>Shop"), std::string::npos);
  EXPECT_NE(nl->find("&lt;b&gt;Shop&lt;/b&gt; &amp; Co"), std::string::npos);
  auto de = RenderPublicRegisterHtml(json, "de");
  EXPECT_NE(de->find("Verzeichnis von Verarbeitungstätigkeiten"), std::string::npos);
  auto en = RenderPublicRegisterHtml(json, "en");
  EXPECT_NE(en->find("Transfers outside the EEA"), std::string::npos);
  EXPECT_NE(en->find("Mailchimp: US"), std::string::npos);
  EXPECT_FALSE(RenderPublicRegisterHtml("[1,2]", "en").has_value());
  // No activity published: said so.
  auto none = RenderPublicRegisterHtml(R"({"organisation": {"name": "X"}, "activities": []})", "en");
  EXPECT_NE(none->find("No processing activities have been published yet."), std::string::npos);
}

TEST(Http, PublicRegisterSiteHasEveryLanguageAndNoScript) {
  std::string json = R"({"public_register": 1, "generated_at": "2027-01-15T08:00:00Z",
    "organisation": {"name": "<script>alert(1)</script> B.V.", "contact": {"email": "privacy@shop.nl"},
      "dpo": {"name": "M. de Vries", "email": "fg@shop.nl"}},
    "activities": [{"id": "orders", "name": "Orders \"<img src=x onerror=y>\"", "purposes": [], "recipients": []},
                   {"id": "newsletter", "name": "Newsletter", "purposes": [], "recipients": []}]})";
  auto site = RenderPublicRegisterSite(json);
  ASSERT_TRUE(site.has_value()) << site.error().message;
  std::vector<std::string> paths;
  for (const SiteFile& f : *site) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"index.html", "nl/index.html", "en/index.html", "de/index.html",
                                             "register.json", "register.jsonld"}));
  auto file = [&](const std::string& p) {
    for (const SiteFile& f : *site)
      if (f.path == p) return f.data;
    return std::string();
  };
  EXPECT_EQ(file("register.json"), json);
  // The chooser links each language's page, titled in its own language.
  const std::string index = file("index.html");
  EXPECT_NE(index.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(index.find("href=\"nl/index.html\" hreflang=\"nl\">Register van verwerkingsactiviteiten</a>"),
            std::string::npos);
  EXPECT_NE(index.find("href=\"en/index.html\" hreflang=\"en\">Register of processing activities</a>"),
            std::string::npos);
  EXPECT_NE(index.find("href=\"de/index.html\" hreflang=\"de\">Verzeichnis von Verarbeitungstätigkeiten</a>"),
            std::string::npos);
  const std::string de = file("de/index.html");
  EXPECT_NE(de.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(de.find("Datenschutzbeauftragter:</strong> M. de Vries, fg@shop.nl"), std::string::npos);
  EXPECT_NE(de.find("<a href=\"../en/index.html\" hreflang=\"en\" lang=\"en\">English</a>"),
            std::string::npos);
  EXPECT_NE(
      de.find("<a href=\"../de/index.html\" hreflang=\"de\" lang=\"de\" aria-current=\"page\">Deutsch</a>"),
      std::string::npos);
  // Per-activity anchors and a table of contents pointing at them.
  EXPECT_NE(de.find("<section id=\"newsletter\">"), std::string::npos);
  EXPECT_NE(de.find("<li><a href=\"#newsletter\">Newsletter</a></li>"), std::string::npos);
  EXPECT_NE(file("nl/index.html").find("<h2>Inhoud</h2>"), std::string::npos);
  for (const SiteFile& f : *site) {
    if (f.path == "register.json" || f.path == "register.jsonld") continue;
    SCOPED_TRACE(f.path);
    // Hostile names are text, no script runs, nothing is loaded from elsewhere.
    EXPECT_EQ(f.data.find("<script"), std::string::npos);
    EXPECT_EQ(f.data.find("<img"), std::string::npos);
    EXPECT_EQ(f.data.find(" src=\""), std::string::npos);
    // The only <link>s are the language pages' alternates: the register as data, in the site.
    size_t links = 0;
    for (size_t p = f.data.find("<link"); p != std::string::npos; p = f.data.find("<link", p + 1)) ++links;
    EXPECT_EQ(links, f.path == "index.html" ? 0u : 2u);
    EXPECT_EQ(f.data.find("http://"), std::string::npos);
    EXPECT_EQ(f.data.find("https://"), std::string::npos);
    EXPECT_NE(f.data.find("&lt;script&gt;alert(1)&lt;/script&gt; B.V."), std::string::npos);
  }
  EXPECT_NE(file("en/index.html").find("Orders &quot;&lt;img src=x onerror=y&gt;&quot;"), std::string::npos);
  // Each language page links the register as JSON and as DPV JSON-LD, in the head and visibly.
  for (const char* lang : {"nl", "en", "de"}) {
    SCOPED_TRACE(lang);
    const std::string page = file(std::string(lang) + "/index.html");
    EXPECT_NE(page.find("<link rel=\"alternate\" type=\"application/ld+json\" href=\"../register.jsonld\">"),
              std::string::npos);
    EXPECT_NE(page.find("<link rel=\"alternate\" type=\"application/json\" href=\"../register.json\">"),
              std::string::npos);
    EXPECT_NE(page.find("<a href=\"../register.json\" type=\"application/json\">JSON</a> · <a "
                        "href=\"../register.jsonld\" type=\"application/ld+json\">JSON-LD"),
              std::string::npos);
  }
  EXPECT_NE(file("nl/index.html").find("Dit register als gegevens:"), std::string::npos);
  EXPECT_NE(file("de/index.html").find("Dieses Verzeichnis als Daten:"), std::string::npos);
  // register.jsonld: JSON with a DPV @context, the controller and every published activity, names as data.
  auto ld = nlohmann::json::parse(file("register.jsonld"), nullptr, false);
  ASSERT_FALSE(ld.is_discarded()) << file("register.jsonld");
  EXPECT_EQ(ld["@context"]["dpv"], "https://w3id.org/dpv#");
  ASSERT_TRUE(ld["@graph"].is_array());
  ASSERT_EQ(ld["@graph"].size(), 3u);
  EXPECT_EQ(ld["@graph"][0]["@type"], "dpv:DataController");
  EXPECT_EQ(ld["@graph"][0]["rdfs:label"], "<script>alert(1)</script> B.V.");
  EXPECT_EQ(ld["@graph"][1]["@id"], "urn:blindspot:activity:orders");
  EXPECT_EQ(ld["@graph"][1]["@type"], "dpv:Process");
  EXPECT_EQ(ld["@graph"][1]["rdfs:label"], "Orders \"<img src=x onerror=y>\"");
  EXPECT_EQ(ld["@graph"][2]["rdfs:label"], "Newsletter");
  // The controller's IRI is percent-encoded, the text escaped as JSON.
  EXPECT_EQ(ld["@graph"][0]["@id"],
            "urn:blindspot:organisation:%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20B.V.");
  EXPECT_NE(file("register.jsonld").find(R"("rdfs:label": "Orders \"<img src=x onerror=y>\"")"),
            std::string::npos);
  // The server's page links languages by ?lang=.
  auto page = RenderPublicRegisterHtml(json, "en");
  EXPECT_NE(page->find("<a href=\"?format=html&amp;lang=nl\" hreflang=\"nl\" lang=\"nl\">Nederlands</a>"),
            std::string::npos);
  auto bad = RenderPublicRegisterSite("{\"activities\": ");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kParse);
}

TEST(Http, DocsHoldTheCurrentRouteTable) {
  std::string doc = ReadSource("docs/server.md");
  const std::string begin = "<!-- routes:begin (generated by blindspot serve --routes) -->\n",
                    end = "<!-- routes:end -->";
  size_t b = doc.find(begin), e = doc.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_EQ(doc.substr(b + begin.size(), e - b - begin.size()), RoutesMarkdown())
      << "regenerate docs/server.md's tables with: blindspot serve --routes";
}

TEST(Http, JsonStringIsValidJsonSafeInHtml) {
  using blindspot::http::JsonString;
  EXPECT_EQ(JsonString("a\"b\\c\n"), R"("a\"b\\c\n")");
  EXPECT_EQ(JsonString("</script>&"), R"("\u003c/script\u003e\u0026")");
  // Invalid UTF-8 (a file name a client sent) still gives valid JSON: U+FFFD.
  const std::string bad = JsonString("x\xff<");
  auto parsed = nlohmann::json::parse(bad, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << bad;
  EXPECT_EQ(parsed.get<std::string>(), "x\xef\xbf\xbd<");
  EXPECT_EQ(JsonString("caf\xc3\xa9 \x01"), "\"caf\xc3\xa9 \\u0001\"");
}

TEST(Http, ListenAddresses) {
  EXPECT_EQ(*ParseListen("127.0.0.1:0"), std::make_pair(std::string("127.0.0.1"), 0));
  EXPECT_EQ(*ParseListen("[::1]:8080"), std::make_pair(std::string("::1"), 8080));
  EXPECT_FALSE(ParseListen("8080").has_value());
  EXPECT_FALSE(ParseListen("host:99999").has_value());
  EXPECT_FALSE(ParseListen("host:").has_value());
}

TEST(Http, StatusesComeFromOnePlace) {
  EXPECT_EQ(StatusFor(ErrorKind::kAuth), 401);
  EXPECT_EQ(StatusFor(ErrorKind::kDenied), 403);
  EXPECT_EQ(StatusFor(ErrorKind::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorKind::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorKind::kSchema), 400);
  EXPECT_EQ(StatusFor(ErrorKind::kIo), 500);
  EXPECT_EQ(ErrorCode(ErrorKind::kConflict), "conflict");
}

// A user who is not a member of an organisation gets 404 for it whether it
// exists or not (its ids are not to be found out), over the API and on
// pages; a member whose role lacks the right still gets 403.
TEST_P(HttpTest, OrganisationsOfOthersAreNotFound) {
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(
      admin_->AddUser(other->id, "stranger@example.nl", Role::kAuditor, "a long password 123").has_value());
  auto c = Client();
  auto [session, to] = FormLogin(c, "stranger@example.nl", "a long password 123", "");
  ASSERT_FALSE(session.empty());
  for (const std::string& org : {org_, std::string("org_doesnotexist")}) {
    auto page = c.Get("/orgs/" + org, {{"Cookie", session}});
    EXPECT_EQ(page->status, 404) << org;
    auto api = c.Get("/api/v1/orgs/" + org + "/register", {{"Cookie", session}});
    EXPECT_EQ(api->status, 404) << org;
    Json j = Json::parse(api->body);
    EXPECT_EQ(j["error"]["code"], "not_found");
    EXPECT_EQ(j["error"]["message"], "no organisation " + org + " of which you are a member");
  }
  // A member whose role lacks the right: 403.
  auto auditor = LogIn(Role::kAuditor);
  EXPECT_EQ(c.Get("/orgs/" + org_ + "/import", {{"Cookie", auditor.first}})->status, 403);
}

// Unassigning (no owner) clears the due date, in the form and over the API;
// the API refuses a due date sent without an owner instead of keeping it.
TEST_P(HttpTest, UnassigningClearsTheDueDate) {
  ImportExample();
  auto c = Client();
  const std::string api = "/api/v1/orgs/" + org_ + "/records/touchpoint/meta-pixel";
  auto version = [&] { return Json::parse(c.Get(api, Bearer(Role::kAuditor))->body)["version"].get<int>(); };
  auto assign = c.Post(
      api + "/assign", Bearer(Role::kPrivacyOfficer),
      Json{{"version", version()}, {"owner", "business_owner@example.nl"}, {"due_date", "2030-01-31"}}.dump(),
      "application/json");
  ASSERT_EQ(assign->status, 200) << assign->body;
  EXPECT_EQ(store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->due_date, "2030-01-31");
  // The form sends the date field as it was shown, with "nobody".
  auto po = LogIn(Role::kPrivacyOfficer);
  auto unassign = PostForm(c, "/orgs/" + org_ + "/records/touchpoint/meta-pixel/assign", po,
                           {{"version", std::to_string(version())}, {"owner", ""}, {"due", "2030-01-31"}});
  ASSERT_EQ(unassign->status, 303) << unassign->body;
  auto rec = store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel");
  EXPECT_EQ(rec->owner_user_id, "");
  EXPECT_EQ(rec->due_date, "");
  // Over the API: a due date without an owner is refused, naming the field.
  auto bad = c.Post(api + "/assign", Bearer(Role::kPrivacyOfficer),
                    Json{{"version", version()}, {"due_date", "2030-02-28"}}.dump(), "application/json");
  ASSERT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(Json::parse(bad->body)["error"]["path"], "due_date");
  EXPECT_EQ(store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->due_date, "");
  // Assign with a date, then unassign without one: cleared.
  ASSERT_EQ(
      c.Post(api + "/assign", Bearer(Role::kPrivacyOfficer),
             Json{{"version", version()}, {"owner", "business_owner@example.nl"}, {"due_date", "2030-03-31"}}
                 .dump(),
             "application/json")
          ->status,
      200);
  auto cleared = c.Post(api + "/assign", Bearer(Role::kPrivacyOfficer),
                        Json{{"version", version()}, {"owner", ""}}.dump(), "application/json");
  ASSERT_EQ(cleared->status, 200) << cleared->body;
  EXPECT_EQ(store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->due_date, "");
}

// Every role may make an API token for itself, acting with one of its own
// roles, and list and revoke its own; admins and privacy officers manage
// everyone's.
TEST_P(HttpTest, EveryRoleMakesItsOwnToken) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto bo = LogIn(Role::kBusinessOwner);
  auto page = c.Get(base + "/tokens", {{"Cookie", bo.first}});
  ASSERT_EQ(page->status, 200) << page->body;
  const std::string bo_id = store_->FindUserByEmail("business_owner@example.nl")->id;
  EXPECT_NE(page->body.find("value=\"" + bo_id + ":business_owner\""), std::string::npos) << page->body;
  // Only its own token is listed (the setup made one for every role).
  EXPECT_EQ(page->body.find("admin@example.nl</td>"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("business_owner@example.nl</td>"), std::string::npos) << page->body;
  auto dash = c.Get(base, {{"Cookie", bo.first}});
  EXPECT_NE(dash->body.find("href=\"" + base + "/tokens\""), std::string::npos);
  auto made =
      PostForm(c, base + "/tokens", bo, {{"name", "my script"}, {"member_role", bo_id + ":business_owner"}});
  ASSERT_EQ(made->status, 201) << made->body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(made->body, m, std::regex(R"re(<code id="new-token">(bst_[^<]+)</code>)re")));
  const std::string secret = m[1];
  auto me = c.Get("/api/v1/orgs/" + org_, {{"Authorization", "Bearer " + secret}});
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Json::parse(me->body)["your_roles"], Json::array({"business_owner"}));
  // Over the API: its own, yes; for somebody else, no.
  const std::string api = "/api/v1/orgs/" + org_ + "/tokens";
  auto own =
      c.Post(api, Bearer(Role::kBusinessOwner),
             Json{{"user", bo_id}, {"name", "ci"}, {"role", "business_owner"}}.dump(), "application/json");
  EXPECT_EQ(own->status, 201) << own->body;
  const std::string auditor_id = store_->FindUserByEmail("auditor@example.nl")->id;
  auto theirs =
      c.Post(api, Bearer(Role::kBusinessOwner),
             Json{{"user", auditor_id}, {"name", "ci"}, {"role", "auditor"}}.dump(), "application/json");
  EXPECT_EQ(theirs->status, 403) << theirs->body;
  // The list holds its own tokens only; another's token is not found to revoke.
  Json list = Json::parse(c.Get(api, Bearer(Role::kBusinessOwner))->body);
  EXPECT_EQ(list["items"].size(), 3u) << list.dump();
  for (const Json& t : list["items"]) EXPECT_EQ(t["member"]["user_id"], bo_id);
  Json all = Json::parse(c.Get(api, Bearer(Role::kAdmin))->body);
  std::string auditor_token;
  for (const Json& t : all["items"])
    if (t["member"]["user_id"] == auditor_id) auditor_token = t["id"];
  ASSERT_FALSE(auditor_token.empty());
  EXPECT_EQ(c.Delete(api + "/" + auditor_token, Bearer(Role::kBusinessOwner))->status, 404);
  EXPECT_EQ(
      c.Delete(api + "/" + Json::parse(own->body)["id"].get<std::string>(), Bearer(Role::kBusinessOwner))
          ->status,
      204);
  // An admin still revokes anyone's.
  EXPECT_EQ(c.Delete(api + "/" + auditor_token, Bearer(Role::kAdmin))->status, 204);
}

// Removing a member, revoking a token, resetting a second factor and
// marking a record no longer used need the form's "I understand" box:
// without it nothing changes (no script needed for the question).
TEST_P(HttpTest, IrreversibleStepsAreConfirmedInTheForm) {
  ImportExample();
  auto c = Client();
  const std::string base = "/orgs/" + org_;
  auto admin = LogIn(Role::kAdmin);
  auto members = c.Get(base + "/members", {{"Cookie", admin.first}});
  ASSERT_EQ(members->status, 200);
  EXPECT_NE(members->body.find("name=\"confirm\" value=\"yes\" required> " + Ui("en", "confirm_remove")),
            std::string::npos)
      << members->body;
  EXPECT_NE(members->body.find(Ui("en", "confirm_reset")), std::string::npos);
  EXPECT_EQ(members->body.find("hx-confirm"), std::string::npos);
  const std::string auditor = store_->FindUserByEmail("auditor@example.nl")->id;
  auto unconfirmed = PostForm(c, base + "/members/" + auditor + "/remove", admin, {});
  EXPECT_EQ(unconfirmed->status, 400);
  EXPECT_NE(unconfirmed->body.find(Ui("en", "confirm_needed")), std::string::npos) << unconfirmed->body;
  EXPECT_EQ(store_->MembershipsOfUser(auditor)->size(), 1u);
  auto removed = PostForm(c, base + "/members/" + auditor + "/remove", admin, {{"confirm", "yes"}});
  EXPECT_EQ(removed->status, 303) << removed->body;
  EXPECT_TRUE(store_->MembershipsOfUser(auditor)->empty());
  // Resetting a second factor.
  const std::string officer = store_->FindUserByEmail("privacy_officer@example.nl")->id;
  EXPECT_EQ(PostForm(c, base + "/members/" + officer + "/totp-reset", admin, {})->status, 400);
  EXPECT_FALSE(store_->FindUserByEmail("privacy_officer@example.nl")->totp_secret.empty());
  EXPECT_EQ(PostForm(c, base + "/members/" + officer + "/totp-reset", admin, {{"confirm", "yes"}})->status,
            303);
  EXPECT_TRUE(store_->FindUserByEmail("privacy_officer@example.nl")->totp_secret.empty());
  // Revoking a token.
  auto tokens = c.Get(base + "/tokens", {{"Cookie", admin.first}});
  EXPECT_NE(tokens->body.find(Ui("en", "confirm_revoke")), std::string::npos);
  std::smatch m;
  // The admin's own token (the auditor's was revoked with its membership).
  ASSERT_TRUE(std::regex_search(
      tokens->body, m,
      std::regex(R"re(<tr data-token="(tok_[0-9a-f]+)"><td>test</td><td>admin@example.nl</td>)re")))
      << tokens->body;
  const std::string token_id = m[1];
  EXPECT_EQ(PostForm(c, base + "/tokens/" + token_id + "/revoke", admin, {})->status, 400);
  auto listed = admin_->Tokens(admin::Actor{
      store_->FindUserByEmail("admin@example.nl")->id, "admin@example.nl", org_, {Role::kAdmin}});
  int found = 0;
  for (const auto& t : *listed)
    if (t.token.id == token_id) {
      ++found;
      EXPECT_TRUE(t.token.revoked_at.empty());
    }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(PostForm(c, base + "/tokens/" + token_id + "/revoke", admin, {{"confirm", "yes"}})->status, 303);
  // Marking a record no longer used: its own form with the box.
  auto record = c.Get(base + "/records/touchpoint/meta-pixel", {{"Cookie", admin.first}});
  EXPECT_NE(record->body.find(Ui("en", "confirm_obsolete")), std::string::npos) << record->body;
  const std::string v = Field(record->body, "version");
  auto step = PostForm(c, base + "/records/touchpoint/meta-pixel/step", admin,
                       {{"version", v}, {"step", "obsolete"}});
  EXPECT_EQ(step->status, 400);
  EXPECT_NE(store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->status,
            store::RecordStatus::kObsolete);
  step = PostForm(c, base + "/records/touchpoint/meta-pixel/step", admin,
                  {{"version", v}, {"step", "obsolete"}, {"confirm", "yes"}});
  EXPECT_EQ(step->status, 303) << step->body;
  EXPECT_EQ(store_->GetRecord(org_, store::RecordKind::kTouchpoint, "meta-pixel")->status,
            store::RecordStatus::kObsolete);
}

// The login form keeps the language it was opened in (?lang=) through a
// failed login, into the pages after a successful one, and after logging out.
TEST_P(HttpTest, LoginKeepsItsLanguage) {
  auto c = Client();
  auto page = c.Get("/login?lang=nl");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("action=\"/login?lang=nl\""), std::string::npos) << page->body;
  std::string cookie = page->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto wrong = c.Post(
      "/login?lang=nl", {{"Cookie", cookie}},
      httplib::Params{
          {"csrf", Csrf(page->body)}, {"email", "auditor@example.nl"}, {"password", "not the password"}});
  ASSERT_EQ(wrong->status, 401);
  EXPECT_NE(wrong->body.find("<html lang=\"nl\">"), std::string::npos) << wrong->body;
  EXPECT_NE(wrong->body.find("Verkeerd e-mailadres, wachtwoord of code (na 5 mislukte pogingen"),
            std::string::npos)
      << wrong->body;
  EXPECT_NE(wrong->body.find("action=\"/login?lang=nl\""), std::string::npos) << wrong->body;
  // A stale form, in the language too.
  auto stale = c.Post("/login?lang=de", httplib::Params{{"email", "auditor@example.nl"}});
  EXPECT_EQ(stale->status, 403);
  EXPECT_NE(stale->body.find(Ui("de", "login_stale")), std::string::npos) << stale->body;
  // A successful login from /login?lang=de: the user had chosen no language,
  // so German is its choice from now on.
  page = c.Get("/login?lang=de");
  cookie = page->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto ok = c.Post(
      "/login?lang=de", {{"Cookie", cookie}},
      httplib::Params{
          {"csrf", Csrf(page->body)}, {"email", "auditor@example.nl"}, {"password", "a long password 123"}});
  ASSERT_EQ(ok->status, 303) << ok->body;
  EXPECT_EQ(ok->get_header_value("Location"), "/?lang=de");
  EXPECT_EQ(store_->FindUserByEmail("auditor@example.nl")->lang, "de");
  std::string session;
  for (auto [it, end] = ok->headers.equal_range("Set-Cookie"); it != end; ++it)
    if (it->second.starts_with("__Host-bs_session=")) session = it->second.substr(0, it->second.find(';'));
  auto home = c.Get("/", {{"Cookie", session}});
  EXPECT_NE(home->body.find("<html lang=\"de\">"), std::string::npos);
  auto out = c.Post("/logout", {{"Cookie", session}}, httplib::Params{{"csrf", Csrf(home->body)}});
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(out->get_header_value("Location"), "/login?lang=de");
  // A user with a chosen language keeps it; the page follows ?lang= only.
  page = c.Get("/login?lang=nl");
  cookie = page->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  ok = c.Post(
      "/login?lang=nl", {{"Cookie", cookie}},
      httplib::Params{
          {"csrf", Csrf(page->body)}, {"email", "auditor@example.nl"}, {"password", "a long password 123"}});
  ASSERT_EQ(ok->status, 303);
  EXPECT_EQ(store_->FindUserByEmail("auditor@example.nl")->lang, "de");
  // The second-factor enrolment after a login in Dutch: its form posts back in Dutch.
  ASSERT_TRUE(
      admin_
          ->AddMember(
              admin::Actor{
                  store_->FindUserByEmail("admin@example.nl")->id, "admin@example.nl", org_, {Role::kAdmin}},
              "officer@example.nl", {Role::kPrivacyOfficer}, "officer password 12")
          .has_value());
  store::Session officer;
  officer.user_id = store_->FindUserByEmail("officer@example.nl")->id;
  ASSERT_TRUE(admin_->AcceptInvitation(officer, org_, ""));
  // (As if already replaced: the one-time password's page is tested elsewhere.)
  ASSERT_TRUE(store_->SetPasswordHash(officer.user_id, *auth::HashPassword("officer password 12"), false));
  page = c.Get("/login?lang=nl");
  cookie = page->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto enrol = c.Post(
      "/login?lang=nl", {{"Cookie", cookie}},
      httplib::Params{
          {"csrf", Csrf(page->body)}, {"email", "officer@example.nl"}, {"password", "officer password 12"}});
  ASSERT_EQ(enrol->status, 303);
  EXPECT_EQ(enrol->get_header_value("Location"), "/account/totp?lang=nl");
  for (auto [it, end] = enrol->headers.equal_range("Set-Cookie"); it != end; ++it)
    if (it->second.starts_with("__Host-bs_session=")) session = it->second.substr(0, it->second.find(';'));
  auto totp = c.Get("/account/totp?lang=nl", {{"Cookie", session}});
  ASSERT_EQ(totp->status, 200);
  EXPECT_NE(totp->body.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(totp->body.find(Ui("nl", "totp_title")), std::string::npos);
  auto wrong_code = c.Post("/account/totp?lang=nl", {{"Cookie", session}},
                           httplib::Params{{"csrf", Csrf(totp->body)},
                                           {"secret", Field(totp->body, "secret")},
                                           {"secret_mac", Field(totp->body, "secret_mac")},
                                           {"code", "000000"}});
  EXPECT_EQ(wrong_code->status, 400);
  EXPECT_NE(wrong_code->body.find(Ui("nl", "totp_wrong_code")), std::string::npos);
  EXPECT_NE(wrong_code->body.find("action=\"/account/totp?lang=nl\""), std::string::npos);
}

// Error pages speak the reader's language (the user's choice, ?lang=,
// Accept-Language) inside the page layout, with a title per status, a
// sentence per stable code and the library's English message as details.
TEST_P(HttpTest, ErrorPagesAreInTheReadersLanguage) {
  auto c = Client();
  // No session: ?lang= and Accept-Language, for a page no route has.
  auto nl = c.Get("/no-such-page?lang=nl");
  ASSERT_EQ(nl->status, 404);
  EXPECT_NE(nl->body.find("<html lang=\"nl\">"), std::string::npos) << nl->body;
  EXPECT_NE(nl->body.find("<header class=\"top\">"), std::string::npos) << nl->body;
  EXPECT_NE(nl->body.find("<h1>" + Ui("nl", "error_status_404") + "</h1>"), std::string::npos) << nl->body;
  EXPECT_NE(nl->body.find(Ui("nl", "error_code_not_found")), std::string::npos) << nl->body;
  EXPECT_NE(nl->body.find("href=\"/login?lang=nl\""), std::string::npos) << nl->body;
  auto de = c.Get("/no-such-page", {{"Accept-Language", "de-DE,de;q=0.9,en;q=0.5"}});
  ASSERT_EQ(de->status, 404);
  EXPECT_NE(de->body.find("<h1>" + Ui("de", "error_status_404") + "</h1>"), std::string::npos) << de->body;
  // 405 (a POST-only page asked with GET) and 413 say so in the language.
  auto get_logout = c.Get("/logout?lang=de");
  EXPECT_EQ(get_logout->status, 405);
  EXPECT_NE(get_logout->body.find("<h1>" + Ui("de", "error_status_405") + "</h1>"), std::string::npos)
      << get_logout->body;
  // A logged-in user who chose Dutch: an error of a route (no such kind of
  // record, 404; a role without the right, 403) in Dutch, the English
  // message as details, and a link back to the organisation.
  auto auditor = LogIn(Role::kAuditor);
  ASSERT_TRUE(admin_->SetLanguage(store_->FindUserByEmail("auditor@example.nl")->id, "nl").has_value());
  auto kind = c.Get("/orgs/" + org_ + "/records/nonsense", {{"Cookie", auditor.first}});
  ASSERT_EQ(kind->status, 404);
  EXPECT_NE(kind->body.find("<html lang=\"nl\">"), std::string::npos) << kind->body;
  EXPECT_NE(kind->body.find(Ui("nl", "error_code_not_found")), std::string::npos) << kind->body;
  EXPECT_NE(kind->body.find(Ui("nl", "error_details") + ": <span lang=\"en\">no such kind of record</span>"),
            std::string::npos)
      << kind->body;
  EXPECT_NE(kind->body.find("href=\"/orgs/" + org_ + "\">" + Ui("nl", "error_back_org")), std::string::npos)
      << kind->body;
  auto denied = c.Get("/orgs/" + org_ + "/import", {{"Cookie", auditor.first}});
  ASSERT_EQ(denied->status, 403);
  EXPECT_NE(denied->body.find("<h1>" + Ui("nl", "error_status_403") + "</h1>"), std::string::npos)
      << denied->body;
  EXPECT_NE(denied->body.find(Ui("nl", "error_code_denied")), std::string::npos) << denied->body;
  // The layout's header shows who is logged in, also on a library error.
  auto missing = c.Get("/no-such-page", {{"Cookie", auditor.first}});
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("auditor@example.nl"), std::string::npos) << missing->body;
  EXPECT_NE(missing->body.find("<h1>" + Ui("nl", "error_status_404") + "</h1>"), std::string::npos);
  // Every status a page can answer has its title in every language.
  for (int status : {400, 403, 404, 405, 409, 411, 413, 414, 429, 500})
    for (const char* lang : {"en", "nl", "de"})
      EXPECT_NE(Ui(lang, "error_status_" + std::to_string(status)), "error_status_" + std::to_string(status));
}

// A multipart form over the library's part limit: 400 with a stable code
// and a message naming the limit (JSON for the API, the page otherwise).
TEST_P(HttpTest, TooManyFormPartsNamesTheLimit) {
  const std::string boundary = "b0undary";
  auto parts = [&](size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i)
      out += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
             "\"\r\n\r\nx\r\n";
    return out + "--" + boundary + "--\r\n";
  };
  std::string body = parts(kMaxFormParts + 1);
  auto send = [&](const std::string& path, const std::string& extra) {
    return ParseRaw(RawRequest(port_, "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + extra +
                                          "Content-Type: multipart/form-data; boundary=" + boundary +
                                          "\r\nContent-Length: " + std::to_string(body.size()) +
                                          "\r\nConnection: close\r\n\r\n" + body));
  };
  auto api = send("/api/v1/orgs/" + org_ + "/audits",
                  "Authorization: Bearer " + tokens_[Role::kPrivacyOfficer] + "\r\n");
  EXPECT_EQ(api.status, 400) << api.body;
  Json j = Json::parse(api.body, nullptr, false);
  ASSERT_TRUE(j.is_object()) << api.body;
  EXPECT_EQ(j["error"]["code"], "too_many_parts") << api.body;
  EXPECT_NE(j["error"]["message"].get<std::string>().find("more than 1024 parts"), std::string::npos);
  auto page = send("/orgs/" + org_ + "/audits?lang=nl", "");
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.body.find("data-code=\"too_many_parts\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("meer dan 1024 delen"), std::string::npos) << page.body;
  // At the limit the form is read, and the route answers for what it holds (no HAR file).
  body = parts(kMaxFormParts);
  auto at_limit = send("/api/v1/orgs/" + org_ + "/audits",
                       "Authorization: Bearer " + tokens_[Role::kPrivacyOfficer] + "\r\n");
  EXPECT_EQ(at_limit.status, 400) << at_limit.body;
  EXPECT_EQ(at_limit.body.find("too_many_parts"), std::string::npos) << at_limit.body;
}

TEST(Http, EveryUiTextInEveryLanguage) {
  const auto& table = UiTextTable();
  ASSERT_TRUE(table.contains("en"));
  for (const char* lang : {"nl", "de"}) {
    ASSERT_TRUE(table.contains(lang)) << lang;
    for (const auto& [key, text] : table.at("en")) {
      EXPECT_TRUE(table.at(lang).contains(key)) << lang << " lacks " << key;
      if (table.at(lang).contains(key)) {
        EXPECT_FALSE(table.at(lang).at(key).empty());
      }
    }
  }
}

}  // namespace
}  // namespace blindspot::http

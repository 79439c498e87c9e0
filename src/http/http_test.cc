#include "blindspot/http.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "pages.h"
#include "store_test_util.h"

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

  void ImportExample() {
    auto c = Client();
    auto res = c.Put("/api/v1/orgs/" + org_ + "/register", Bearer(Role::kPrivacyOfficer),
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
  auto broken = c.Put(base + "/register", Bearer(Role::kPrivacyOfficer),
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
  auto put = c.Put("/api/v1/orgs/" + org_ + "/register", Bearer(Role::kAdmin), hostile, "application/yaml");
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

TEST_P(HttpTest, RequestSizeIsBounded) {
  auto c = Client();
  std::string big(9u << 20, 'a');
  auto res = c.Put("/api/v1/orgs/" + org_ + "/register", Bearer(Role::kAdmin), big, "application/yaml");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpTest, ::testing::ValuesIn(store::testing::Backends()),
                         [](const auto& info) { return info.param; });

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

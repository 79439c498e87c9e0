// The server's HTML pages: server-rendered (kainjow mustache templates in
// data/server/templates/, texts in data/server/ui.yaml in en/nl/de), every
// value escaped by the template engine, no inline script, htmx and the
// stylesheet served by blindspot itself.
#include "pages.h"

#include <qrencode.h>
#include <yaml-cpp/yaml.h>

#include <kainjow/mustache.hpp>
#include <mutex>

#include "blindspot/auth.h"
#include "blindspot/embedded.h"
#include "internal.h"

namespace blindspot {
extern const EmbeddedFile kWebAssets[];
}

namespace blindspot::http {
namespace mu = kainjow::mustache;

namespace {

std::string_view DataFile(std::string_view path) {
  for (const EmbeddedFile* f = kDataFiles; f->path != nullptr; ++f)
    if (path == f->path) return f->data;
  return {};
}

std::string_view AssetFile(std::string_view path) {
  for (const EmbeddedFile* f = kWebAssets; f->path != nullptr; ++f)
    if (path == f->path) return f->data;
  return {};
}

struct UiTexts {
  std::map<std::string, std::map<std::string, std::string>> by_lang;  // lang -> key -> text
};

const UiTexts& Texts() {
  static const UiTexts texts = [] {
    UiTexts t;
    YAML::Node root = YAML::Load(std::string(DataFile("server/ui.yaml")));
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      for (const auto& lv : kv.second)
        t.by_lang[lv.first.as<std::string>()][key] = lv.second.as<std::string>();
    }
    return t;
  }();
  return texts;
}

}  // namespace

const std::map<std::string, std::map<std::string, std::string>>& UiTextTable() { return Texts().by_lang; }

std::string Ui(const std::string& lang, const std::string& key) {
  const auto& t = Texts().by_lang;
  auto l = t.find(lang);
  if (l == t.end()) l = t.find("en");
  auto it = l->second.find(key);
  return it == l->second.end() ? key : it->second;
}

mu::data TextData(const std::string& lang) {
  mu::data d{mu::data::type::object};
  const auto& t = Texts().by_lang;
  auto l = t.find(lang);
  if (l == t.end()) l = t.find("en");
  for (const auto& [k, v] : l->second) d.set(k, v);
  return d;
}

std::string RenderTemplate(const std::string& name, const mu::data& data) {
  static std::mutex mu_lock;
  static std::map<std::string, std::unique_ptr<mu::mustache>> cache;
  mu::mustache* tpl = nullptr;
  {
    std::lock_guard lock(mu_lock);
    auto& slot = cache[name];
    if (!slot)
      slot = std::make_unique<mu::mustache>(
          std::string(DataFile("server/templates/" + name + ".html.mustache")));
    tpl = slot.get();
  }
  return tpl->render(data);
}

void SendPage(Ctx& c, int status, const std::string& title, const std::string& template_name, mu::data data) {
  data.set("t", TextData(c.lang));
  data.set("lang", c.lang);
  if (c.session) data.set("csrf", c.session->csrf);
  std::string content = RenderTemplate(template_name, data);
  mu::data layout{mu::data::type::object};
  layout.set("t", TextData(c.lang));
  layout.set("lang", c.lang);
  layout.set("title", title);
  layout.set("content", content);
  if (c.session) {
    if (c.principal) {
      layout.set("user", c.principal->user.email);
    } else if (auto u = c.admin.store().GetUser(c.session->user_id)) {
      layout.set("user", u->email);
    }
    layout.set("csrf", c.session->csrf);
    layout.set("back", c.req.path);
    mu::data langs{mu::data::type::list};
    for (const char* l : {"nl", "en", "de"}) {
      mu::data o{mu::data::type::object};
      o.set("code", std::string(l));
      o.set("name", Ui(l, "language_name"));
      o.set("selected",
            c.lang == l ? mu::data(mu::data::type::bool_true) : mu::data(mu::data::type::bool_false));
      langs.push_back(o);
    }
    layout.set("langs", langs);
  } else {
    mu::data langs{mu::data::type::list};
    for (const char* l : {"nl", "en", "de"}) {
      mu::data o{mu::data::type::object};
      o.set("href", c.req.path + "?lang=" + l);
      o.set("name", Ui(l, "language_name"));
      langs.push_back(o);
    }
    layout.set("lang_links", langs);
  }
  if (c.actor) {
    using P = admin::Permission;
    const std::string base = "/orgs/" + c.actor->org_id;
    mu::data nav{mu::data::type::list};
    auto item = [&](const std::string& key, const std::string& href) {
      mu::data o{mu::data::type::object};
      o.set("label", Ui(c.lang, key));
      o.set("href", href);
      o.set("current",
            c.req.path == href ? mu::data(mu::data::type::bool_true) : mu::data(mu::data::type::bool_false));
      nav.push_back(o);
    };
    item("nav_dashboard", base);
    item("nav_activities", base + "/records/activity");
    item("nav_touchpoints", base + "/records/touchpoint");
    item("nav_processors", base + "/records/processor");
    item("nav_systems", base + "/records/system");
    item("nav_my", base + "/my");
    item("nav_audits", base + "/audits");
    if (c.actor->Can(P::kReadHistory)) item("nav_history", base + "/history");
    if (c.actor->Can(P::kEditRegister)) item("nav_import", base + "/import");
    if (c.actor->Can(P::kManageMembers)) item("nav_members", base + "/members");
    item("nav_tokens", base + "/tokens");  // everyone's own; everyone's with kManageTokens
    layout.set("nav", nav);
    layout.set("any_nav", mu::data(mu::data::type::bool_true));
  }
  SendHtml(c, status, RenderTemplate("layout", layout));
}

void SendErrorPage(Ctx& c, int status, std::string_view code, const std::string& details,
                   const std::string& hint) {
  const std::string status_key = "error_status_" + std::to_string(status);
  const auto& en = UiTextTable().at("en");
  std::string heading = en.contains(status_key) ? Ui(c.lang, status_key) : Ui(c.lang, "error_title");
  std::string code_key = "error_code_" + std::string(code);
  std::string text = en.contains(code_key) ? Ui(c.lang, code_key) : Ui(c.lang, "error_title");
  const std::string limit =
      code == "too_many_parts" ? std::to_string(kMaxFormParts) : SizeText(c.options.max_body_bytes);
  if (size_t p = text.find("{limit}"); p != std::string::npos) text.replace(p, 7, limit);
  mu::data d{mu::data::type::object};
  d.set("heading", heading);
  d.set("code", std::string(code));
  d.set("text", text);
  if (!details.empty()) d.set("details", details);
  if (!hint.empty()) d.set("hint", hint);
  if (c.actor) {
    d.set("back", "/orgs/" + c.actor->org_id);
    d.set("back_label", Ui(c.lang, "error_back_org"));
  } else if (c.session) {
    d.set("back", "/");
    d.set("back_label", Ui(c.lang, "error_back_home"));
  } else {
    d.set("back", "/login?lang=" + c.lang);
    d.set("back_label", Ui(c.lang, "error_back_login"));
  }
  SendPage(c, status, heading, "error", d);
}

namespace {

constexpr std::string_view kLoginCsrfCookie = "bs_login_csrf";

std::string Cookie(const Ctx& c, std::string_view name) {
  std::string all = c.req.get_header_value("Cookie");
  std::string key = std::string(name) + "=";
  for (size_t pos = 0; pos < all.size();) {
    while (pos < all.size() && all[pos] == ' ') ++pos;
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    if (all.compare(pos, key.size(), key) == 0) return all.substr(pos + key.size(), end - pos - key.size());
    pos = end + 1;
  }
  return {};
}

std::string CookieAttrs(const Ctx& c) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (c.options.secure_cookies ? "; Secure" : "");
}

// "?lang=nl" when the request chose its language with ?lang= (a form posts
// back to it, a redirect leads on to it), "" otherwise.
std::string LangQuery(const Ctx& c) {
  const std::string l = c.req.get_param_value("lang");
  return l == "nl" || l == "en" || l == "de" ? "?lang=" + l : "";
}

void LoginPage(Ctx& c, int status, const std::string& error, const std::string& email) {
  std::string token = auth::RandomToken(24);
  c.res.set_header("Set-Cookie",
                   std::string(kLoginCsrfCookie) + "=" + token + CookieAttrs(c) + "; Max-Age=3600");
  mu::data d{mu::data::type::object};
  d.set("login_csrf", token);
  if (!error.empty()) d.set("error", error);
  d.set("email", email);
  d.set("action", "/login" + LangQuery(c));
  c.session.reset();  // the layout shows no user
  SendPage(c, status, Ui(c.lang, "login_title"), "login", d);
}

void GetLogin(Ctx& c) {
  if (c.session) return Redirect(c, "/");
  LoginPage(c, 200, "", "");
}

void PostLogin(Ctx& c) {
  std::string cookie = Cookie(c, kLoginCsrfCookie);
  if (!auth::SecretsEqual(cookie, c.Param("csrf"))) return LoginPage(c, 403, Ui(c.lang, "login_stale"), "");
  admin::LoginRequest r{c.Param("email"), c.Param("password"), c.Param("totp"), c.req.remote_addr};
  auto login = c.admin.Login(r);
  if (!login) {
    const Error& e = login.error();
    if (e.kind != ErrorKind::kAuth) return SendError(c, e);
    // Admin::Login gives one answer for every refusal (and another when
    // this address is throttled); both in the reader's language.
    std::string text = Ui(c.lang, e.message.starts_with("too many") ? "login_throttled" : "login_refused");
    for (auto [key, value] : {std::pair{"{failures}", c.admin.options().max_login_failures},
                              std::pair{"{minutes}", c.admin.options().lockout_minutes}})
      if (size_t p = text.find(key); p != std::string::npos)
        text.replace(p, std::string_view(key).size(), std::to_string(value));
    return LoginPage(c, 401, text, r.email);
  }
  std::string attrs = CookieAttrs(c);
  c.res.set_header("Set-Cookie", SessionCookieName(c.options) + "=" + login->session_cookie + attrs);
  c.res.headers.emplace("Set-Cookie", std::string(kLoginCsrfCookie) + "=" + attrs + "; Max-Age=0");
  // A language chosen on the login page (?lang=) is the user's choice from
  // then on when it has made none: the second-factor pages, the
  // organisation's pages and the page after logging out keep it.
  if (!LangQuery(c).empty() && login->user.lang.empty()) (void)c.admin.SetLanguage(login->user.id, c.lang);
  Redirect(c, std::string(login->must_change_password ? "/account/password"
                          : login->must_enrol         ? "/account/totp"
                                                      : "/") +
                  LangQuery(c));
}

// ---- enrolling a second factor ----

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace

// The QR code of `text` (libqrencode, error correction M) as an SVG image:
// one path of dark modules in a 4-module quiet zone. Empty when it cannot be
// encoded.
std::string QrSvg(const std::string& text, int* modules) {
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == nullptr) return {};
  const int w = qr->width, size = w + 8;
  std::string path;
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (qr->data[y * w + x] & 1)
        path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
  QRcode_free(qr);
  if (modules != nullptr) *modules = size;
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"" + std::to_string(size) +
         "\" height=\"" + std::to_string(size) + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

namespace {

void TotpPage(Ctx& c, int status, const std::string& secret, const std::string& mac,
              const std::string& error) {
  mu::data d{mu::data::type::object};
  if (!error.empty()) d.set("error", error);
  auto u = c.admin.store().GetUser(c.session->user_id);
  if (!u) return SendError(c, u.error());
  mu::data e{mu::data::type::object};
  e.set("secret", secret);
  e.set("secret_mac", mac);
  std::string grouped;
  for (size_t i = 0; i < secret.size(); i += 4) grouped += (grouped.empty() ? "" : " ") + secret.substr(i, 4);
  e.set("grouped", grouped);
  const std::string uri = auth::TotpUri(c.admin.options().issuer, u->email, secret);
  e.set("uri", uri);
  int modules = 0;
  if (std::string svg = QrSvg(uri, &modules); !svg.empty()) {
    e.set("qr", "data:image/svg+xml;base64," + Base64(svg));
    e.set("qr_size", std::to_string(modules * 6));
  }
  d.set("enrol", e);
  d.set("action", "/account/totp" + LangQuery(c));
  SendPage(c, status, Ui(c.lang, "totp_title"), "totp", d);
}

void TotpMessage(Ctx& c, int status, const std::string& key) {
  mu::data d{mu::data::type::object};
  if (key == "totp_enrolled")
    d.set("done", mu::data(mu::data::type::bool_true));
  else
    d.set("message", Ui(c.lang, key));
  d.set("continue", "/" + LangQuery(c));
  SendPage(c, status, Ui(c.lang, "totp_title"), "totp", d);
}

std::string TotpErrorKey(const Error& e) {
  return e.kind == ErrorKind::kConflict ? "totp_has_one"
         : e.kind == ErrorKind::kUsage  ? "totp_not_needed"
                                        : "";
}

void GetTotp(Ctx& c) {
  if (!c.session)
    return SendError(c,
                     Error{ErrorKind::kUsage, "a second factor is set up by a logged-in user, not a token"});
  auto en = c.admin.StartTotpEnrolment(*c.session);
  if (!en) {
    std::string key = TotpErrorKey(en.error());
    if (key.empty()) return SendError(c, en.error());
    return TotpMessage(c, 200, key);
  }
  TotpPage(c, 200, en->secret, en->mac, "");
}

void PostTotp(Ctx& c) {
  if (!c.session)
    return SendError(c,
                     Error{ErrorKind::kUsage, "a second factor is set up by a logged-in user, not a token"});
  const std::string secret = c.Param("secret");
  const std::string mac = c.Param("secret_mac");
  auto s = c.admin.EnrolTotp(*c.session, secret, mac, c.Param("code"), c.req.remote_addr);
  if (s) return TotpMessage(c, 200, "totp_enrolled");
  const Error& e = s.error();
  if (e.kind == ErrorKind::kAuth) return TotpPage(c, 400, secret, mac, Ui(c.lang, "totp_wrong_code"));
  if (std::string key = TotpErrorKey(e); !key.empty() && e.path != "secret") return TotpMessage(c, 409, key);
  if (e.path == "secret") {  // a form not made by this page: a new secret
    auto en = c.admin.StartTotpEnrolment(*c.session);
    if (en) return TotpPage(c, 400, en->secret, en->mac, e.message);
  }
  SendError(c, e);
}

// ---- the user's own password ----

void PasswordPage(Ctx& c, int status, const std::string& error_key, bool done) {
  mu::data d{mu::data::type::object};
  if (!error_key.empty()) d.set("error", Ui(c.lang, error_key));
  if (c.must_change_password && !done) d.set("must_change", mu::data(mu::data::type::bool_true));
  if (done) {
    d.set("done", mu::data(mu::data::type::bool_true));
    d.set("next", c.must_enrol ? std::string("/account/totp") : std::string("/"));
  }
  SendPage(c, status, Ui(c.lang, "password_title"), "password", d);
}

void GetPassword(Ctx& c) {
  if (!c.session) return SendError(c, Error{ErrorKind::kUsage, Ui(c.lang, "password_token")});
  PasswordPage(c, 200, "", false);
}

void PostPassword(Ctx& c) {
  if (!c.session) return SendError(c, Error{ErrorKind::kUsage, Ui(c.lang, "password_token")});
  if (c.Param("new_password") != c.Param("repeat_password"))
    return PasswordPage(c, 400, "password_mismatch", false);
  auto s = c.admin.ChangePassword(*c.session, c.Param("current_password"), c.Param("new_password"),
                                  c.req.remote_addr);
  if (!s) {
    const Error& e = s.error();
    if (e.kind == ErrorKind::kDenied) return PasswordPage(c, 403, "password_current_wrong", false);
    if (e.kind == ErrorKind::kUsage) return PasswordPage(c, 400, "password_rules", false);
    return SendError(c, e);
  }
  c.must_change_password = false;
  PasswordPage(c, 200, "", true);
}

void PostLogout(Ctx& c) {
  (void)c.admin.Logout(c.session_cookie);
  c.res.set_header("Set-Cookie", SessionCookieName(c.options) + "=" + CookieAttrs(c) + "; Max-Age=0");
  Redirect(c, "/login?lang=" + c.lang);  // the login page in the language just used
}

void Home(Ctx& c) {
  if (!c.session)
    return SendError(c, Error{ErrorKind::kUsage, "the home page is a logged-in user's, not an API token's"});
  auto orgs = c.principal ? c.admin.OrgsOf(c.principal->memberships) : c.admin.OrgsOfUser(c.session->user_id);
  if (!orgs) return SendError(c, orgs.error());
  mu::data list{mu::data::type::list};
  for (const auto& [org, roles] : *orgs) {
    mu::data o{mu::data::type::object};
    o.set("id", org.id);
    o.set("name", org.name);
    std::string rs;
    for (auto r : roles)
      rs += (rs.empty() ? "" : ", ") + Ui(c.lang, "role_" + std::string(store::RoleName(r)));
    o.set("roles", rs);
    list.push_back(o);
  }
  mu::data d{mu::data::type::object};
  d.set("orgs", list);
  // Invitations waiting for the user's answer (no access until accepted).
  auto invitations = c.admin.MyInvitations(c.session->user_id);
  if (!invitations) return SendError(c, invitations.error());
  mu::data pending{mu::data::type::list};
  for (const admin::InvitationView& v : *invitations) {
    mu::data o{mu::data::type::object};
    o.set("org", v.invitation.org_id);
    o.set("org_name", v.org_name);
    std::string rs;
    for (auto r : v.invitation.roles)
      rs += (rs.empty() ? "" : ", ") + Ui(c.lang, "role_" + std::string(store::RoleName(r)));
    o.set("roles", rs);
    o.set("invited_by", v.invited_by_email);
    o.set("created_at", v.invitation.created_at);
    o.set("accept_action", "/invitations/" + v.invitation.org_id + "/accept");
    o.set("decline_action", "/invitations/" + v.invitation.org_id + "/decline");
    pending.push_back(o);
  }
  d.set("invitations", pending);
  d.set("has_invitations",
        invitations->empty() ? mu::data(mu::data::type::bool_false) : mu::data(mu::data::type::bool_true));
  if (const std::string done = c.Param("done"); done == "accepted" || done == "declined")
    d.set("notice", Ui(c.lang, "invitation_" + done));
  SendPage(c, 200, Ui(c.lang, "your_organisations"), "home", d);
}

// The session's user answers an invitation; back to the home page (which
// sends a user whose new role needs a second factor to set one up first).
Handler AnswerInvitation(bool accept) {
  return [accept](Ctx& c) {
    if (!c.session)
      return SendError(c, Error{ErrorKind::kUsage, "an invitation is answered by its logged-in user"});
    Status s = accept ? c.admin.AcceptInvitation(*c.session, c.Path("org"), c.req.remote_addr)
                      : c.admin.DeclineInvitation(*c.session, c.Path("org"), c.req.remote_addr);
    if (!s) return SendError(c, s.error());
    Redirect(c, std::string("/?done=") + (accept ? "accepted" : "declined"));
  };
}

// The user's language (a form in the layout); back to the page it came from.
void PostLang(Ctx& c) {
  if (!c.session)
    return SendError(c, Error{ErrorKind::kUsage, "the language is a choice of a logged-in user", {}, {}, ""});
  std::string lang = c.Param("lang");
  if (auto s = c.admin.SetLanguage(c.session->user_id, lang); !s) return SendError(c, s.error());
  std::string back = c.Param("back");
  // Only a path on this server (no "//host" or scheme): no open redirect.
  if (back.empty() || back[0] != '/' || back.starts_with("//") || back.find('\\') != std::string::npos ||
      back.find_first_of("\r\n") != std::string::npos)
    back = "/";
  Redirect(c, back);
}

void Asset(Ctx& c) {
  std::string file = c.Path("file");
  std::string_view body;
  std::string type;
  if (file == "htmx.min.js") {
    body = AssetFile("dist/htmx.min.js");
    type = "text/javascript; charset=utf-8";
  } else if (file == "app.css") {
    body = DataFile("server/app.css");
    type = "text/css; charset=utf-8";
  }
  if (body.empty()) return SendError(c, Error{ErrorKind::kNotFound, "no such file"});
  c.res.set_header("Cache-Control", "public, max-age=3600");
  c.res.status = 200;
  c.res.set_content(std::string(body), type);
}

RouteInfo Page(std::string_view method, std::string_view path, Access access,
               std::vector<admin::Permission> perms, std::string_view summary,
               bool before_second_factor = false, bool before_password_change = false) {
  RouteInfo r;
  r.before_second_factor = before_second_factor;
  r.before_password_change = before_password_change;
  r.method = method;
  r.path = path;
  r.access = access;
  r.permissions = std::move(perms);
  r.api = false;
  r.summary = summary;
  return r;
}

}  // namespace

std::vector<RouteHandler> PageRoutes() {
  std::vector<RouteHandler> v = {
      {Page("GET", "/login", Access::kPublic, {}, "The login form"), GetLogin},
      {Page("POST", "/login", Access::kPublic, {},
            "Log in (password, and the TOTP code where the role needs it)"),
       PostLogin},
      {Page("POST", "/logout", Access::kSession, {}, "Log out", true, true), PostLogout},
      {Page("GET", "/account/password", Access::kSession, {},
            "Change your password (the current one and a new one); the only page after a password reset "
            "until a new one is chosen",
            true, true),
       GetPassword},
      {Page("POST", "/account/password", Access::kSession, {},
            "Change your password: every other session of yours ends, your API tokens stay", true, true),
       PostPassword},
      {Page("GET", "/account/totp", Access::kSession, {},
            "Set up your second factor (admins and privacy officers without one): the secret as text, link "
            "and QR code",
            true),
       GetTotp},
      {Page("POST", "/account/totp", Access::kSession, {},
            "Confirm the second factor with a current code; stored only then", true),
       PostTotp},
      {Page("GET", "/", Access::kSession, {},
            "Your organisations, and the invitations waiting for your answer (accept or decline)"),
       Home},
      {Page("POST", "/invitations/{org}/accept", Access::kSession, {},
            "Accept an invitation: its roles become your membership (a role that needs a second factor "
            "asks you to set one up first)"),
       AnswerInvitation(true)},
      {Page("POST", "/invitations/{org}/decline", Access::kSession, {},
            "Decline an invitation: it is deleted, you do not join"),
       AnswerInvitation(false)},
      {Page("POST", "/lang", Access::kSession, {}, "Choose your language (nl, en, de) for pages and reports"),
       PostLang},
      {Page("GET", "/static/{file}", Access::kPublic, {}, "The stylesheet and htmx"), Asset},
  };
  for (RouteHandler& r : OrgPageRoutes()) v.push_back(std::move(r));
  return v;
}

}  // namespace blindspot::http

// The HTTP door of the privacy administration (issue 9): `blindspot serve`.
// Thin: it parses a request, checks the session or API token and the
// route's permission (admin::RoleAllows, the one table), calls one use case
// of admin::Admin, and renders JSON or HTML. Errors become statuses in one
// place (StatusFor) and JSON errors with a stable code ({"error": {"code":
// "conflict", "message": ..., ...}}).
//
// Every route is one row of the route table (Routes()): method, path
// template, who may call it, summary; the same rows make the OpenAPI 3.1
// document (/api/v1/openapi.json), docs/server.md and the route x role test.
//
// Security: sessions are an HttpOnly, Secure, SameSite=Strict cookie whose
// value is only stored hashed; every state-changing request authenticated by
// a session carries its CSRF token (a form field or the X-CSRF-Token header);
// API tokens come as `Authorization: Bearer`; every response has a strict
// Content-Security-Policy (no inline script, frame-ancestors 'none'),
// nosniff, no-referrer; request bodies and times are bounded. Nothing the
// server logs holds a secret.
//
// Thread-safety: the server runs a pool of threads over one Admin.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/admin.h"
#include "blindspot/error.h"

namespace blindspot::http {

// Who may call a route.
enum class Access {
  kPublic,   // anyone (login page, OpenAPI document, static assets)
  kSession,  // any logged-in user or token (pages outside an organisation)
  kOrg,      // a member of the {org} in the path with one of `permissions`
};

struct RouteInfo {
  std::string_view method;  // GET, POST, PUT, DELETE
  std::string_view path;    // "/api/v1/orgs/{org}/register"
  Access access = Access::kOrg;
  std::vector<admin::Permission> permissions;  // any of them (kOrg)
  bool api = true;                             // JSON API (else an HTML page or asset)
  std::string_view summary;                    // one line (OpenAPI, docs)
  std::string_view request;                    // what the body is, for OpenAPI ("" = none)
  // kSession routes a logged-in user may also call while its second factor
  // is still to be enrolled (the enrolment page, logout); every other route
  // sends such a session to the enrolment page.
  bool before_second_factor = false;
  // kSession routes a logged-in user may also call while it must replace a
  // one-time password (choosing a new password, logout); every other route
  // sends such a session to the password page (an API route: 403).
  bool before_password_change = false;
  // kSession routes for the logged-in user's own account that an API token
  // (which acts for an organisation) may not call: 400.
  bool session_only = false;
};
// The route table in order.
const std::vector<RouteInfo>& Routes();
// True when `role` may call the route (kOrg: any of its permissions).
bool RoleMayCall(const RouteInfo& r, store::Role role);

// The OpenAPI 3.1 document of the /api/v1 routes.
std::string OpenApiDocument();
// The route table and the permission table as Markdown (docs/server.md
// holds it between markers; `blindspot serve --routes` prints it).
std::string RoutesMarkdown();

// The HTTP status of an error kind (401, 403, 404, 409, 400, 413, 500).
int StatusFor(ErrorKind k);
// The stable code of an error kind in JSON errors ("auth", "denied", "not_found", "conflict",
// "bad_request", "internal").
std::string_view ErrorCode(ErrorKind k);

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = a free port
  int threads = 8;
  size_t max_body_bytes = 64u << 20;  // uploads (HAR files) included
  // A request's line and headers must arrive within the read timeout of its
  // first byte (a slow client is cut off), and each part of a body within
  // the read timeout of the one before. A production deployment sits behind
  // a reverse proxy that buffers requests (docs/server.md).
  int read_timeout_seconds = 10;
  // A body as a whole must arrive within the read timeout of the headers'
  // end, or, with valid credentials, within its Content-Length at this rate
  // when that is longer (64 MiB at 64 KiB/s: 17 minutes); else 408.
  size_t min_body_bytes_per_second = 64u << 10;
  int write_timeout_seconds = 10;
  // A kept-alive connection waits this long for its next request and serves
  // at most this many.
  int keep_alive_timeout_seconds = 5;
  int keep_alive_max_count = 100;
  // Secure cookies need HTTPS (a reverse proxy); browsers accept them on
  // http://localhost and 127.0.0.1 too.
  bool secure_cookies = true;
};

class Server {
 public:
  static std::unique_ptr<Server> Create(admin::Admin& admin, ServeOptions options);
  virtual ~Server() = default;
  // Binds the socket; returns the port (the free one picked for port 0). kIo when it cannot.
  virtual Result<int> Bind() = 0;
  // Serves until Stop(); kIo when the loop fails.
  virtual Status Run() = 0;
  virtual void Stop() = 0;
};

// The public register as one self-contained HTML page in `lang` (en, nl,
// de) from Admin::PublicRegisterJson's JSON: readable without JavaScript,
// no external resources, every value escaped, an anchor per activity (its
// id) and a table of contents. It links to itself in nl, en and de by
// `lang_link` with "{}" replaced by the language code ("?format=html&lang={}" on the
// server, "../{}/index.html" in the static site). With `data_link` (the
// static site: "../") it also links the register as data, `data_link` +
// "register.json" and + "register.jsonld" (W3C DPV), visibly and as
// <link rel="alternate">. kParse for JSON it cannot read.
Result<std::string> RenderPublicRegisterHtml(std::string_view json, const std::string& lang,
                                             std::string_view lang_link = "?format=html&lang={}",
                                             std::string_view data_link = "");

// One file of a static site: its path in the site ('/'-separated) and content.
struct SiteFile {
  std::string path;
  std::string data;
};
// The public register as a static site (blindspot publish, the server's
// ?format=zip): index.html (a language chooser), nl/index.html,
// en/index.html, de/index.html (RenderPublicRegisterHtml), register.json
// (the JSON as given) and register.jsonld (what the JSON holds, written by
// the DPV exporter: W3C Data Privacy Vocabulary JSON-LD). Everything is
// rendered before anything is returned.
// kParse for JSON it cannot read.
Result<std::vector<SiteFile>> RenderPublicRegisterSite(std::string_view json);
// The same JSON for readers of `lang` (en, nl, de): "lang" and, next to
// each code (lawful_basis, group, kind, safeguard), its label as
// "<code>_label". kParse for JSON it cannot read, kUsage for another language.
Result<std::string> LabelPublicRegisterJson(std::string_view json, const std::string& lang);

// "127.0.0.1:8080" -> host, port; kUsage for anything else.
Result<std::pair<std::string, int>> ParseListen(std::string_view s);

}  // namespace blindspot::http

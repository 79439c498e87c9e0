// Inside the HTTP door: the request context handlers get, and the handler
// table that pairs each RouteInfo row with its function. Not public.
#pragma once
#include <httplib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "blindspot/admin.h"
#include "blindspot/http.h"

namespace blindspot::http {

struct Ctx {
  const httplib::Request& req;
  httplib::Response& res;
  admin::Admin& admin;
  const ServeOptions& options;
  const RouteInfo& route;
  std::map<std::string, std::string> path;  // {org}, {kind}, {id}, ... from the path template
  std::optional<store::Session> session;    // when logged in by cookie
  std::string session_cookie;
  std::optional<admin::Actor> actor;  // kOrg routes (and kSession when a token was used)
  std::string bearer;                 // the API token, when one was given
  std::string lang = "en";            // the reader's language (user preference, Accept-Language, ?lang)
  bool must_enrol = false;            // the session's user must enrol a second factor before anything else
  bool must_change_password = false;  // the session's user must replace a one-time password first
  // The session's user and memberships, read with it (last: the server
  // initialises the fields above by position).
  std::optional<store::Principal> principal;

  // A form field or query parameter ("" when absent).
  std::string Param(const std::string& key) const;
  // Every value of a repeated form field or query parameter (checkboxes), in order.
  std::vector<std::string> Params(const std::string& key) const;
  std::string Path(const std::string& key) const;
};

using Handler = std::function<void(Ctx&)>;

struct RouteHandler {
  RouteInfo info;
  Handler handler;
};

// The API routes (api.cc) and the pages (pages.cc), in table order.
std::vector<RouteHandler> ApiRoutes();
std::vector<RouteHandler> PageRoutes();
const std::vector<RouteHandler>& AllRoutes();

// Responses.
void SendJson(Ctx& c, int status, std::string body);  // moved into the response
void SendError(Ctx& c, const Error& e);               // JSON for API routes, a page for HTML routes
void SendHtml(Ctx& c, int status, std::string body);
void Redirect(Ctx& c, const std::string& to);

// The most parts (files and fields) of a multipart form cpp-httplib reads
// (CPPHTTPLIB_MULTIPART_FORM_DATA_FILE_MAX_COUNT of the library it is built
// with); one more is answered 400 too_many_parts.
constexpr size_t kMaxFormParts = 1024;

// A size for people: "64 MiB", "512 KiB", "100 bytes".
std::string SizeText(uint64_t bytes);

// JSON string escaping for hand-written bodies.
std::string JsonString(std::string_view s);

// The cookie's name ("__Host-" prefix when secure: path=/, no domain, Secure).
std::string SessionCookieName(const ServeOptions& o);

}  // namespace blindspot::http

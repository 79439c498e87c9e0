// The OpenAPI 3.1 document, made from the route table (no second list).
#include <nlohmann/json.hpp>

#include "blindspot/app.h"
#include "internal.h"

namespace blindspot::http {
namespace {

using Json = nlohmann::ordered_json;

Json ErrorResponse(std::string_view what) {
  return {{"description", std::string(what)},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

Json RequestBody(std::string_view kind) {
  if (kind == "register")
    return {{"required", true},
            {"description",
             "A register in the native format (docs/formats/register.md), YAML or JSON, or Fides YAML"},
            {"content",
             {{"application/yaml", {{"schema", {{"type", "string"}}}}},
              {"application/json", {{"schema", {{"type", "object"}}}}}}}};
  if (kind == "audit")
    return {
        {"required", true},
        {"content",
         {{"multipart/form-data",
           {{"schema",
             {{"type", "object"},
              {"properties",
               {{"har",
                 {{"type", "array"},
                  {"items", {{"type", "string"}, {"contentMediaType", "application/json"}}}}},
                {"bundle",
                 {{"type", "string"},
                  {"contentMediaType", "application/zip"},
                  {"description",
                   "an evidence bundle's folder as a .zip (instead of HAR files): no links, no paths "
                   "leaving the folder, at most 2,000 entries and 256 MiB unpacked"}}}}},
              {"oneOf", Json::array({Json{{"required", {"har"}}}, Json{{"required", {"bundle"}}}})}}}}}}}};
  auto object = [](Json props, std::vector<std::string> required) {
    return Json{{"required", true},
                {"content",
                 {{"application/json",
                   {{"schema", {{"type", "object"}, {"properties", props}, {"required", required}}}}}}}};
  };
  const Json roles = {
      {"type", "array"},
      {"minItems", 1},
      {"items",
       {{"type", "string"},
        {"enum", {"admin", "privacy_officer", "dpo", "business_owner", "approver", "auditor"}}}}};
  if (kind == "member")
    return object({{"email", {{"type", "string"}, {"format", "email"}}},
                   {"roles", roles},
                   {"password",
                    {{"type", "string"},
                     {"description",
                      "the password of the account if the address has none yet (12 characters or "
                      "more; checked either way, else ignored); without it an initial password is made "
                      "and returned once"}}}},
                  {"email", "roles"});
  if (kind == "roles") return object({{"roles", roles}}, {"roles"});
  if (kind == "password")
    return object({{"current_password", {{"type", "string"}}},
                   {"new_password", {{"type", "string"}, {"minLength", 12}, {"maxLength", 1024}}}},
                  {"current_password", "new_password"});
  if (kind == "password-reset") {
    Json body =
        object({{"password",
                 {{"type", "string"},
                  {"minLength", 12},
                  {"description", "the one-time password; without it one is made and returned once"}}}},
               {});
    body["required"] = false;
    return body;
  }
  if (kind == "token")
    return object({{"user",
                    {{"type", "string"},
                     {"description",
                      "your own user id (a token acts as the member who makes it); "
                      "without it, yours"}}},
                   {"name", {{"type", "string"}, {"description", "what the token is for, e.g. ci"}}},
                   {"role", {{"type", "string"}, {"description", "one of the member's roles"}}}},
                  {"name", "role"});
  Json props = {{"version", {{"type", "integer"}, {"description", "the version you read (or If-Match)"}}},
                {"reason", {{"type", "string"}}}};
  if (kind == "record")
    props["body"] = {{"type", "object"}, {"description", "the item in the native register format"}};
  if (kind == "answers")
    props["answers"] = {{"type", "object"},
                        {"description", "the touchpoint's `answers` in the native format"}};
  if (kind == "assign") {
    props["owner"] = {{"type", "string"},
                      {"description", "the e-mail address or user id of a member; empty unassigns"}};
    props["due_date"] = {{"type", "string"}, {"format", "date"}};
  }
  return {{"required", kind != "step"},
          {"content", {{"application/json", {{"schema", {{"type", "object"}, {"properties", props}}}}}}}};
}

}  // namespace

std::string OpenApiDocument() {
  Json doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {
      {"title", "blindspot privacy administration API"},
      {"version", app::kVersion},
      {"description",
       "The register, business owners' answers, approvals, audits and the tamper-evident history. "
       "Authenticate with `Authorization: Bearer TOKEN` (blindspot token add). Errors are JSON with a "
       "stable `code`: auth (401), denied (403), not_found (404), conflict (409: the version you read is "
       "stale), bad_request/parse/schema/reference (400), request_timeout (408), length_required (411), "
       "too_large (413), "
       "uri_too_long (414), internal "
       "(500); requests the server cannot read get bad_request, not_found, method_not_allowed (405), "
       "range_not_satisfiable (416) or expectation_failed (417)."}};
  doc["components"]["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
  doc["components"]["schemas"]["Error"] = {
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties",
           {{"code",
             {{"type", "string"},
              {"enum",
               {"auth", "denied", "not_found", "conflict", "bad_request", "parse", "schema", "reference",
                "internal", "too_large"}}}},
            {"message", {{"type", "string"}}},
            {"where", {{"type", "object"}}},
            {"path", {{"type", "string"}}},
            {"expected", {{"type", "string"}}},
            {"hint", {{"type", "string"}}}}},
          {"required", {"code", "message"}}}}}},
      {"required", {"error"}}};
  doc["security"] = Json::array({{{"bearer", Json::array()}}});
  Json paths = Json::object();
  for (const RouteInfo& r : Routes()) {
    if (!r.api) continue;
    std::string method(r.method);
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    Json op;
    op["summary"] = std::string(r.summary);
    std::string id;
    for (char ch : std::string(r.method) + std::string(r.path))
      id += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    op["operationId"] = id;
    Json params = Json::array();
    std::string_view p = r.path;
    for (size_t i = p.find('{'); i != std::string_view::npos; i = p.find('{', i + 1)) {
      std::string name(p.substr(i + 1, p.find('}', i) - i - 1));
      params.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (r.request == "register")
      params.push_back({{"name", "If-Match"},
                        {"in", "header"},
                        {"required", true},
                        {"description",
                         "the ETag of GET .../register you based this on (409 when the register "
                         "changed since), or * to replace it whatever it is"},
                        {"schema", {{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = params;
    if (!r.request.empty()) op["requestBody"] = RequestBody(r.request);
    if (r.access == Access::kPublic) op["security"] = Json::array();
    if (r.access == Access::kOrg) {
      Json perms = Json::array();
      for (admin::Permission perm : r.permissions) perms.push_back(std::string(admin::PermissionName(perm)));
      Json roles = Json::array();
      for (store::Role role : store::AllRoles())
        if (RoleMayCall(r, role)) roles.push_back(std::string(store::RoleName(role)));
      op["x-permissions"] = perms;
      op["x-roles"] = roles;
    }
    Json responses;
    const bool creates = r.method == "POST" && (r.path.ends_with("/audits") || r.path.ends_with("/members") ||
                                                r.path.ends_with("/tokens"));
    const bool no_content = r.method == "DELETE" || r.path.ends_with("/totp-reset") ||
                            r.path.ends_with("/accept") || r.path.ends_with("/decline");
    responses[creates ? "201" : no_content ? "204" : "200"] = {{"description", "OK"}};
    if (r.access != Access::kPublic) {
      responses["401"] = ErrorResponse("not authenticated");
      responses["403"] = ErrorResponse("your role does not allow it");
    }
    if (r.method != "GET" || r.path.find('{') != std::string_view::npos)
      responses["400"] = ErrorResponse("bad input");
    if (r.path.find("{id}") != std::string_view::npos || r.path.find("{user}") != std::string_view::npos ||
        r.path.starts_with("/api/v1/account/invitations/"))
      responses["404"] = ErrorResponse("not found");
    if (r.path.find("/members") != std::string_view::npos && r.method != "GET")
      responses["409"] = ErrorResponse(
          "a member already, invited already, or the organisation would be left without an admin");
    // Accepting, declining and revoking an invitation change nothing that can be stale.
    else if ((r.method == "PUT" || r.method == "POST") &&
             r.path.find("/invitations") == std::string_view::npos)
      responses["409"] = ErrorResponse("the version you read is stale");
    op["responses"] = responses;
    paths[std::string(r.path)][method] = op;
  }
  doc["paths"] = paths;
  return doc.dump(2) + "\n";
}

std::string RoutesMarkdown() {
  std::string out = "| method | path | who may call it | what it does |\n|---|---|---|---|\n";
  for (const RouteInfo& r : Routes()) {
    std::string who;
    if (r.access == Access::kPublic) {
      who = "anyone";
    } else if (r.access == Access::kSession) {
      who = r.before_second_factor ? "any logged-in user, also before its second factor is set up"
            : !r.api               ? "any logged-in user"  // pages answer sessions, not tokens
            : r.session_only       ? "any logged-in user (its session, not a token)"
                                   : "any logged-in user or token";
    } else {
      for (store::Role role : store::AllRoles())
        if (RoleMayCall(r, role)) who += (who.empty() ? "" : ", ") + std::string(store::RoleName(role));
    }
    std::string summary(r.summary);
    for (size_t p = summary.find('|'); p != std::string::npos; p = summary.find('|', p + 2))
      summary.replace(p, 1, "\\|");
    out +=
        "| " + std::string(r.method) + " | `" + std::string(r.path) + "` | " + who + " | " + summary + " |\n";
  }
  out += "\n| permission |";
  for (store::Role role : store::AllRoles()) out += " " + std::string(store::RoleName(role)) + " |";
  out += "\n|---|";
  for (size_t i = 0; i < store::AllRoles().size(); ++i) out += "---|";
  out += "\n";
  for (admin::Permission p : admin::AllPermissions()) {
    out += "| " + std::string(admin::PermissionName(p)) + " |";
    for (store::Role role : store::AllRoles()) out += admin::RoleAllows(role, p) ? " yes |" : " |";
    out += "\n";
  }
  return out;
}

}  // namespace blindspot::http

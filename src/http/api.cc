// The JSON API under /api/v1: one row per route (RouteInfo + handler). Each
// handler parses, calls one admin::Admin use case and renders JSON.
#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "blindspot/input.h"
#include "blindspot/io.h"
#include "internal.h"
#include "pages.h"

namespace blindspot::http {
namespace {

using admin::Permission;
using Json = nlohmann::ordered_json;
using store::RecordKind;

void Reply(Ctx& c, int status, const Json& j) { SendJson(c, status, j.dump() + "\n"); }

template <class T>
bool Check(Ctx& c, const Result<T>& r) {
  if (r) return true;
  SendError(c, r.error());
  return false;
}
bool CheckStatus(Ctx& c, const Status& s) {
  if (s) return true;
  SendError(c, s.error());
  return false;
}

std::optional<RecordKind> KindOf(Ctx& c) {
  auto k = store::ParseRecordKind(c.Path("kind"));
  if (!k)
    SendError(c, Error{ErrorKind::kNotFound,
                       "no record kind '" + c.Path("kind") + "'",
                       {},
                       "organisation, activity, processor, system, touchpoint or processor_record"});
  return k;
}

// ?offset=&limit=: offset a whole number from 0 to 2^63-1 (default 0), limit
// one from 1 to kMaxLimit (default 100); anything else is 400 naming the
// parameter and what it takes. An empty value is the default.
constexpr int64_t kMaxLimit = 1000;
std::optional<store::Page> PageOf(Ctx& c) {
  store::Page p;
  for (const char* key : {"offset", "limit"}) {
    std::string v = c.Param(key);
    if (v.empty()) continue;  // absent: the default
    const bool is_limit = std::string_view(key) == "limit";
    const std::string range = is_limit ? "a whole number from 1 to " + std::to_string(kMaxLimit)
                                       : "a whole number from 0 to 9223372036854775807";
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    const bool number = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
    if (!number || ec != std::errc() || end != v.data() + v.size() ||
        (is_limit && (n < 1 || n > kMaxLimit))) {
      std::string shown = v.size() > 40 ? v.substr(0, 40) + "..." : v;
      SendError(
          c,
          Error{ErrorKind::kUsage, fmt::format("?{} must be {} (not '{}')", key, range, shown), {}, range});
      return std::nullopt;
    }
    (is_limit ? p.limit : p.offset) = n;
  }
  return p;
}

// The version a write is based on: If-Match ("3" or 3) or the body's "version".
std::optional<int64_t> VersionOf(Ctx& c, const Json* body) {
  std::string v = c.req.get_header_value("If-Match");
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() && body != nullptr && body->contains("version") && (*body)["version"].is_number_integer())
    return (*body)["version"].get<int64_t>();
  if (v.empty()) v = c.Param("version");
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
    SendError(c, Error{ErrorKind::kUsage,
                       "say which version you read",
                       {},
                       "an If-Match header or \"version\": N (the record's version when you read it)"});
    return std::nullopt;
  }
  return std::stoll(v);
}

// A place in the request body (byte `offset`) as the client can find it:
// line and column (1-based, in bytes) and the offset.
SourceLocation BodyPlace(std::string_view text, size_t offset) {
  SourceLocation w;
  w.file = "request body";
  w.offset = std::min(offset, text.size());
  w.has_offset = true;
  w.line = 1;
  w.column = 1;
  for (size_t i = 0; i < w.offset; ++i) {
    if (text[i] == '\n') {
      ++w.line;
      w.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++w.column;
    }
  }
  return w;
}

// The request body as a JSON object (an empty body is {} when
// `empty_is_object`). What is wrong is placed in the body the client sent:
// the first byte that is not UTF-8, or where the JSON stops reading.
std::optional<Json> BodyJson(Ctx& c, bool empty_is_object = false) {
  std::string_view text = c.req.body;
  if (empty_is_object && text.empty()) return Json::object();
  Error e;
  e.kind = ErrorKind::kParse;
  e.expected = "a JSON object in UTF-8";
  if (size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    e.where = BodyPlace(text, bad);
    e.message = fmt::format("the request body is not UTF-8: byte {} (line {}, column {}) is not", bad,
                            e.where.line, e.where.column);
    SendError(c, e);
    return std::nullopt;
  }
  try {
    Json j = Json::parse(text);
    if (j.is_object()) return j;
    e.where = BodyPlace(text, text.find_first_not_of(" \t\r\n") == std::string_view::npos
                                  ? 0
                                  : text.find_first_not_of(" \t\r\n"));
    e.message = "the request body is JSON but not an object";
  } catch (const Json::parse_error& x) {
    // x.byte counts from 1 and is one past the character that stopped the parser.
    e.where = BodyPlace(text, x.byte > 0 ? x.byte - 1 : 0);
    e.message = fmt::format("the request body is not JSON: it stops reading at line {}, column {}",
                            e.where.line, e.where.column);
  }
  SendError(c, e);
  return std::nullopt;
}

// An error in a record body the admin layer placed with a JSON pointer into
// what it was given: the same place in the request body, under `member`.
Error InRequestBody(Error e, std::string_view member) {
  if (!e.where.pointer.empty() || e.where.file.empty()) {
    const bool placed = !e.where.pointer.empty();
    const std::string pointer = std::string(member) + e.where.pointer;
    e.where = {};
    if (placed) {
      e.where.file = "request body";
      e.where.pointer = pointer;
    }
  }
  return e;
}

Json RecordJson(const admin::RecordView& v) {
  const store::Record& r = v.record;
  Json j;
  j["kind"] = std::string(store::RecordKindName(r.kind));
  j["id"] = r.id;
  j["name"] = v.name;
  j["version"] = r.version;
  j["status"] = std::string(store::RecordStatusName(r.status));
  j["owner"] = v.owner_email.empty() ? Json(nullptr) : Json(v.owner_email);
  j["due_date"] = r.due_date.empty() ? Json(nullptr) : Json(r.due_date);
  j["author"] = v.author_email.empty() ? Json(nullptr) : Json(v.author_email);
  j["updated_at"] = r.updated_at;
  if (r.kind == RecordKind::kTouchpoint)
    j["questions"] = {{"total", v.questions_total}, {"answered", v.questions_answered}};
  j["editable"] = v.editable;
  j["approvable"] = v.approvable;
  return j;
}

// The record's JSON with its body appended as stored: the store keeps each
// body as the canonical JSON text of the record (written by the application
// layer), so it is spliced in rather than parsed and written again.
void AppendRecordWithBody(std::string& out, const admin::RecordView& v) {
  std::string head = RecordJson(v).dump();
  head.pop_back();  // the closing brace
  out += head;
  out += ",\"body\":";
  out += v.record.body.empty() ? std::string_view("null") : std::string_view(v.record.body);
  out += '}';
}

void ReplyRecord(Ctx& c, int status, const admin::RecordView& v) {
  c.res.set_header("ETag", "\"" + std::to_string(v.record.version) + "\"");
  std::string out;
  AppendRecordWithBody(out, v);
  out += '\n';
  SendJson(c, status, std::move(out));
}

Json HistoryJson(const store::HistoryEntry& e) {
  auto val = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json::parse(s, nullptr, false); };
  return Json{{"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor},
              {"kind", std::string(store::RecordKindName(e.kind))},
              {"record", e.record_id},
              {"version", e.version},
              {"field", e.field},
              {"old", val(e.old_value)},
              {"new", val(e.new_value)},
              {"reason", e.reason},
              {"hash", e.hash}};
}

RouteInfo Info(std::string_view method, std::string_view path, std::vector<Permission> perms,
               std::string_view summary, std::string_view request = "") {
  RouteInfo r;
  r.method = method;
  r.path = path;
  r.access = Access::kOrg;
  r.permissions = std::move(perms);
  r.api = true;
  r.summary = summary;
  r.request = request;
  return r;
}

// ---- handlers ----

void GetOpenApi(Ctx& c) {
  c.res.set_header("Cache-Control", "public, max-age=300");
  SendJson(c, 200, OpenApiDocument());
}

void ListOrgs(Ctx& c) {
  Json items = Json::array();
  if (c.actor && !c.actor->token_id.empty()) {
    auto org = c.admin.Org(c.actor->org_id);
    if (!Check(c, org)) return;
    Json roles = Json::array();
    for (auto r : c.actor->roles) roles.push_back(std::string(store::RoleName(r)));
    items.push_back({{"id", org->id}, {"name", org->name}, {"roles", roles}});
  } else {
    auto orgs = c.admin.OrgsOfUser(c.session->user_id);
    if (!Check(c, orgs)) return;
    for (const auto& [org, roles] : *orgs) {
      Json rs = Json::array();
      for (auto r : roles) rs.push_back(std::string(store::RoleName(r)));
      items.push_back({{"id", org.id}, {"name", org.name}, {"roles", rs}});
    }
  }
  Json out;
  out["items"] = std::move(items);
  Reply(c, 200, out);
}

void GetOrg(Ctx& c) {
  auto org = c.admin.Org(c.actor->org_id);
  if (!Check(c, org)) return;
  Json roles = Json::array();
  for (auto r : c.actor->roles) roles.push_back(std::string(store::RoleName(r)));
  Reply(c, 200,
        Json{{"id", org->id}, {"name", org->name}, {"created_at", org->created_at}, {"your_roles", roles}});
}

// An import replaces the whole register, so like every write it names the
// version it read: If-Match with the ETag of GET .../register (409 when the
// register has changed since), or If-Match: * to replace whatever is there.
void PutRegister(Ctx& c) {
  if (c.req.body.empty())
    return SendError(c, Error{ErrorKind::kUsage, "the body is empty", {}, "a register (YAML or JSON)"});
  std::string tag = c.req.get_header_value("If-Match");
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  // No If-Match: an import as the script contract has it (PUT the
  // register, it becomes the register). With one, it is version-checked.
  std::optional<std::string> expected;
  if (!c.req.get_header_value("If-Match").empty() && tag != "*") {
    if (tag.size() != 64 || tag.find_first_not_of("0123456789abcdef") != std::string::npos)
      return SendError(c, Error{ErrorKind::kUsage,
                                "say which version of the register you read",
                                {},
                                "an If-Match header: the ETag of GET .../register, or * to replace whatever "
                                "is there"});
    expected = tag;
  }
  std::string name = c.Param("name");
  auto r = c.admin.PutRegister(*c.actor, c.req.body, name.empty() ? "register" : name, c.Param("reason"),
                               expected, c.Param("format"));
  if (!Check(c, r)) return;
  // What the import took out of the register and what it brought back, so
  // nothing leaves the register unseen.
  auto notes = [](const std::vector<admin::ImportNote>& v) {
    Json out = Json::array();
    for (const admin::ImportNote& n : v)
      out.push_back({{"kind", std::string(store::RecordKindName(n.kind))},
                     {"id", n.id},
                     {"name", n.name},
                     {"status_before", std::string(store::RecordStatusName(n.before))}});
    return out;
  };
  Reply(c, 200,
        Json{{"records", r->records},
             {"history_entries", r->changed},
             {"warnings", r->warnings},
             {"retired", notes(r->retired)},
             {"reinstated", notes(r->reinstated)}});
}

void GetRegister(Ctx& c) {
  std::string format = c.Param("format");
  if (format.empty()) format = "yaml";
  // The version first: a change made while the export is built leaves an
  // older ETag (an import based on it is refused), never a newer one.
  auto version = c.admin.RegisterVersion(*c.actor);
  if (!Check(c, version)) return;
  auto r = c.admin.ExportRegister(*c.actor, format);
  if (!Check(c, r)) return;
  c.res.set_header("ETag", "\"" + *version + "\"");
  c.res.status = 200;
  // Formats other than the native ones come as a file to save.
  std::string type = "application/yaml; charset=utf-8";
  if (format == "json" || format == "vws") type = "application/json";
  if (format != "yaml" && format != "json") {
    static const std::pair<const char*, const char*> kTypes[] = {
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"ico-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"csv", "text/csv; charset=utf-8"},
        {"ico-csv", "text/csv; charset=utf-8"},
        {"dpv", "application/ld+json"},
        {"fides", "application/yaml; charset=utf-8"}};
    for (const auto& [f, t] : kTypes)
      if (format == f) type = t;
    const Exporter* e = FindExporter(format);
    std::string ext = e && !e->extensions.empty() ? e->extensions.front() : "." + format;
    c.res.set_header("Content-Disposition", "attachment; filename=\"register" + ext + "\"");
  }
  // Served from the shared cached export, not copied per request.
  std::shared_ptr<const std::string> text = *r;
  c.res.set_content_provider(
      text->size(), type, [text](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(text->data() + offset, std::min(length, text->size() - offset));
      });
}

void ListRecords(Ctx& c) {
  std::optional<RecordKind> kind;
  if (std::string k = c.Param("kind"); !k.empty()) {
    kind = store::ParseRecordKind(k);
    if (!kind) return SendError(c, Error{ErrorKind::kUsage, "unknown record kind '" + k + "'"});
  }
  auto page = PageOf(c);
  if (!page) return;
  store::RecordQuery q;
  q.kind = kind;
  q.with_bodies = false;
  q.page = *page;
  auto r = c.admin.FindRecords(*c.actor, q);
  if (!Check(c, r)) return;
  Json items = Json::array();
  for (const admin::RecordView& v : r->items) items.push_back(RecordJson(v));
  Json out;
  out["items"] = std::move(items);
  out["offset"] = page->offset;
  out["limit"] = page->limit;
  out["total"] = r->total;
  Reply(c, 200, out);
}

void GetRecord(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  auto r = c.admin.GetRecord(*c.actor, *kind, c.Path("id"));
  if (!Check(c, r)) return;
  ReplyRecord(c, 200, *r);
}

void PutRecord(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  auto body = BodyJson(c);
  if (!body) return;
  auto version = VersionOf(c, &*body);
  if (!version) return;
  if (!body->contains("body") || !(*body)["body"].is_object())
    return SendError(
        c, Error{ErrorKind::kUsage, "give the record as \"body\"", {}, "{\"version\": N, \"body\": {...}}"});
  std::string reason = body->value("reason", std::string());
  auto r = c.admin.UpdateRecord(*c.actor, *kind, c.Path("id"), *version, (*body)["body"].dump(), reason);
  if (!r) return SendError(c, InRequestBody(r.error(), "/body"));
  ReplyRecord(c, 200, *r);
}

void PutAnswers(Ctx& c) {
  auto body = BodyJson(c);
  if (!body) return;
  auto version = VersionOf(c, &*body);
  if (!version) return;
  if (!body->contains("answers") || !(*body)["answers"].is_object())
    return SendError(c, Error{ErrorKind::kUsage,
                              "give the answers as \"answers\"",
                              {},
                              "{\"version\": N, \"answers\": {\"in_use\": true, ...}}"});
  auto r = c.admin.AnswerTouchpoint(*c.actor, c.Path("id"), *version, (*body)["answers"].dump(),
                                    body->value("reason", std::string()));
  if (!r) return SendError(c, InRequestBody(r.error(), "/answers"));
  ReplyRecord(c, 200, *r);
}

void PostAssign(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  auto body = BodyJson(c);
  if (!body) return;
  auto version = VersionOf(c, &*body);
  if (!version) return;
  std::string owner =
      body->contains("owner") && (*body)["owner"].is_string() ? (*body)["owner"].get<std::string>() : "";
  std::string due = body->contains("due_date") && (*body)["due_date"].is_string()
                        ? (*body)["due_date"].get<std::string>()
                        : "";
  auto r = c.admin.Assign(*c.actor, *kind, c.Path("id"), *version, owner, due);
  if (!Check(c, r)) return;
  ReplyRecord(c, 200, *r);
}

Handler Step(std::string step) {
  return [step](Ctx& c) {
    auto kind = KindOf(c);
    if (!kind) return;
    auto body = BodyJson(c, /*empty_is_object=*/true);
    if (!body) return;
    auto version = VersionOf(c, &*body);
    if (!version) return;
    auto r = c.admin.Transition(*c.actor, *kind, c.Path("id"), *version, step,
                                body->value("reason", std::string()));
    if (!Check(c, r)) return;
    ReplyRecord(c, 200, *r);
  };
}

void CompareVersions(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  std::string from = c.Param("from"), to = c.Param("to");
  auto num = [](const std::string& s) {
    return !s.empty() && s.size() < 18 && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!num(from) || !num(to))
    return SendError(c, Error{ErrorKind::kUsage, "give two versions", {}, "?from=1&to=3"});
  auto r = c.admin.CompareVersions(*c.actor, *kind, c.Path("id"), std::stoll(from), std::stoll(to));
  if (!Check(c, r)) return;
  Json items = Json::array();
  auto val = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json::parse(s, nullptr, false); };
  for (const store::FieldChange& f : *r)
    items.push_back({{"field", f.path}, {"old", val(f.old_value)}, {"new", val(f.new_value)}});
  Reply(c, 200, Json{{"from", std::stoll(from)}, {"to", std::stoll(to)}, {"changes", items}});
}

void PostAudit(Ctx& c) {
  if (!c.req.is_multipart_form_data())
    return SendError(c, Error{ErrorKind::kUsage,
                              "send the HAR files or the bundle as multipart/form-data",
                              {},
                              "one or more parts named 'har', or one part named 'bundle' (a .zip)"});
  std::vector<admin::Upload> hars;
  auto range = c.req.files.equal_range("har");
  for (auto it = range.first; it != range.second; ++it)
    hars.push_back({it->second.filename, it->second.content});
  const size_t bundles = c.req.files.count("bundle");
  if (bundles > 1 || (bundles == 1 && !hars.empty()))
    return SendError(c, Error{ErrorKind::kUsage,
                              "send one bundle, or HAR files, not both",
                              {},
                              "one part named 'bundle' (a .zip) or parts named 'har'"});
  auto r = bundles == 1 ? c.admin.RunBundleAudit(*c.actor, c.req.get_file_value("bundle").content)
                        : c.admin.RunAudit(*c.actor, hars);
  if (!Check(c, r)) return;
  c.res.set_header("Location", "/api/v1/orgs/" + c.actor->org_id + "/audits/" + r->id);
  // The draft touchpoints this audit made of its blind spots (Admin::RunAudit).
  const Json summary = Json::parse(r->summary, nullptr, false);
  if (summary.is_object() && summary.contains("drafted") && summary["drafted"].is_array()) {
    std::string ids;
    for (const Json& t : summary["drafted"])
      if (t.is_object() && t.contains("id") && t["id"].is_string())
        ids += (ids.empty() ? "" : ", ") + t["id"].get<std::string>();
    if (!ids.empty()) c.res.set_header("Blindspot-Drafted", ids);
  }
  SendJson(c, 201, r->report_json);
}

void GetLatestAudit(Ctx& c) {
  auto r = c.admin.LatestAudit(*c.actor);
  if (!Check(c, r)) return;
  SendJson(c, 200, r->report_json);
}

void GetHistory(Ctx& c) {
  auto page = PageOf(c);
  if (!page) return;
  auto r = c.admin.History(*c.actor, *page);
  if (!Check(c, r)) return;
  auto total = c.admin.store().HistoryCount(c.actor->org_id);
  if (!Check(c, total)) return;
  Json items = Json::array();
  for (const store::HistoryEntry& e : *r) items.push_back(HistoryJson(e));
  Json out;
  out["items"] = std::move(items);
  out["offset"] = page->offset;
  out["limit"] = page->limit;
  out["total"] = *total;
  Reply(c, 200, out);
}

void GetMyQuestions(Ctx& c) {
  auto r = c.admin.MyQuestions(*c.actor);
  if (!Check(c, r)) return;
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < r->size(); ++i) {
    if (i) out += ',';
    AppendRecordWithBody(out, (*r)[i]);
  }
  out += "]}\n";
  SendJson(c, 200, std::move(out));
}

Json MemberJson(const admin::Member& m) {
  Json roles = Json::array();
  for (store::Role r : m.roles) roles.push_back(std::string(store::RoleName(r)));
  return Json{{"user", m.user_id},
              {"email", m.email},
              {"roles", roles},
              {"second_factor", m.second_factor},
              {"needs_second_factor", m.needs_second_factor}};
}

// A pending invitation: the same fields for the organisation's list, the
// invited user's list and the answer to "add member".
Json InvitationJson(const admin::InvitationView& v) {
  Json roles = Json::array();
  for (store::Role r : v.invitation.roles) roles.push_back(std::string(store::RoleName(r)));
  return Json{{"org", v.invitation.org_id},
              {"org_name", v.org_name},
              {"user", v.invitation.user_id},
              {"email", v.email},
              {"roles", roles},
              {"invited_by", v.invited_by_email},
              {"created_at", v.invitation.created_at},
              {"status", "pending"}};
}

void GetMembers(Ctx& c) {
  auto r = c.admin.MemberList(*c.actor);
  if (!Check(c, r)) return;
  auto inv = c.admin.OrgInvitations(*c.actor);
  if (!Check(c, inv)) return;
  Json items = Json::array();
  for (const admin::Member& m : *r) items.push_back(MemberJson(m));
  Json invitations = Json::array();
  for (const admin::InvitationView& v : *inv) invitations.push_back(InvitationJson(v));
  Json out;
  out["items"] = std::move(items);
  out["invitations"] = std::move(invitations);
  Reply(c, 200, out);
}

// "roles": a list of role names; 400 naming the first that is not one.
std::optional<std::vector<store::Role>> RolesOf(Ctx& c, const Json& body) {
  const std::string expected =
      "\"roles\": [\"admin\" | \"privacy_officer\" | \"dpo\" | \"business_owner\" | "
      "\"approver\" | \"auditor\", ...]";
  auto it = body.find("roles");
  if (it == body.end() || !it->is_array() || it->empty()) {
    Error e{ErrorKind::kUsage, "give the member's roles as a list", {}, expected};
    e.path = "roles";
    SendError(c, e);
    return std::nullopt;
  }
  std::vector<store::Role> out;
  for (const Json& v : *it) {
    auto r = v.is_string() ? store::ParseRole(v.get<std::string>()) : std::nullopt;
    if (!r) {
      std::string shown = v.dump();
      Error e{ErrorKind::kUsage, "no role " + shown.substr(0, 60), {}, expected};
      e.path = "roles";
      SendError(c, e);
      return std::nullopt;
    }
    out.push_back(*r);
  }
  return out;
}

std::string StringField(const Json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Always an invitation, answered alike whether the address has an account
// or not (Admin::AddMember).
void PostMember(Ctx& c) {
  auto body = BodyJson(c);
  if (!body) return;
  auto roles = RolesOf(c, *body);
  if (!roles) return;
  auto r = c.admin.AddMember(*c.actor, StringField(*body, "email"), *roles, StringField(*body, "password"));
  if (!Check(c, r)) return;
  Json out = InvitationJson(r->invitation);
  out["message"] = Ui(c.lang, "member_invited");
  // Shown once: only its hash is stored (and only when the address had no account).
  if (!r->initial_password.empty()) out["initial_password"] = r->initial_password;
  c.res.set_header("Location",
                   "/api/v1/orgs/" + c.actor->org_id + "/invitations/" + r->invitation.invitation.user_id);
  Reply(c, 201, out);
}

void DeleteInvitation(Ctx& c) {
  if (!CheckStatus(c, c.admin.RevokeInvitation(*c.actor, c.Path("user")))) return;
  c.res.status = 204;
}

// The account routes act for the session's user (RouteInfo::session_only
// keeps tokens out before the handler runs).
bool SessionOnly(Ctx& c, std::string_view what) {
  if (c.session && c.bearer.empty()) return true;
  SendError(c, Error{ErrorKind::kUsage, std::string(what) + " is for the logged-in user, not an API token"});
  return false;
}

void GetMyInvitations(Ctx& c) {
  if (!SessionOnly(c, "your invitations")) return;
  auto r = c.admin.MyInvitations(c.session->user_id);
  if (!Check(c, r)) return;
  Json items = Json::array();
  for (const admin::InvitationView& v : *r) items.push_back(InvitationJson(v));
  Json out;
  out["items"] = std::move(items);
  Reply(c, 200, out);
}

Handler AnswerInvitation(bool accept) {
  return [accept](Ctx& c) {
    if (!SessionOnly(c, "an invitation")) return;
    Status s = accept ? c.admin.AcceptInvitation(*c.session, c.Path("org"), c.req.remote_addr)
                      : c.admin.DeclineInvitation(*c.session, c.Path("org"), c.req.remote_addr);
    if (!CheckStatus(c, s)) return;
    c.res.status = 204;
  };
}

void PutMember(Ctx& c) {
  auto body = BodyJson(c);
  if (!body) return;
  auto roles = RolesOf(c, *body);
  if (!roles) return;
  if (!CheckStatus(c, c.admin.SetMemberRoles(*c.actor, c.Path("user"), *roles))) return;
  auto members = c.admin.MemberList(*c.actor);
  if (!Check(c, members)) return;
  for (const admin::Member& m : *members)
    if (m.user_id == c.Path("user")) return Reply(c, 200, MemberJson(m));
  SendError(c, Error{ErrorKind::kNotFound, "no member " + c.Path("user")});
}

void DeleteMember(Ctx& c) {
  if (!CheckStatus(c, c.admin.RemoveMember(*c.actor, c.Path("user")))) return;
  c.res.status = 204;
}

void PostTotpReset(Ctx& c) {
  if (!CheckStatus(c, c.admin.ResetSecondFactor(*c.actor, c.Path("user")))) return;
  c.res.status = 204;
}

void PostPasswordReset(Ctx& c) {
  auto body = BodyJson(c, /*empty_is_object=*/true);
  if (!body) return;
  auto r = c.admin.ResetPassword(*c.actor, c.Path("user"), StringField(*body, "password"));
  if (!Check(c, r)) return;
  Json out = {{"user", c.Path("user")}, {"must_change_password", true}};
  // Shown once: only its hash is stored.
  if (!r->empty()) out["one_time_password"] = *r;
  Reply(c, 200, out);
}

// The session's user changes its own password (a token cannot).
void PostAccountPassword(Ctx& c) {
  if (!c.session || !c.bearer.empty())
    return SendError(c,
                     Error{ErrorKind::kUsage,
                           "a password is changed by its logged-in user (session cookie and X-CSRF-Token), "
                           "not with an API token"});
  auto body = BodyJson(c);
  if (!body) return;
  if (!CheckStatus(c, c.admin.ChangePassword(*c.session, StringField(*body, "current_password"),
                                             StringField(*body, "new_password"), c.req.remote_addr)))
    return;
  c.res.status = 204;
}

void GetTokens(Ctx& c) {
  auto r = c.admin.Tokens(*c.actor);
  if (!Check(c, r)) return;
  auto members = c.admin.MemberList(*c.actor);
  if (!Check(c, members)) return;
  std::map<std::string, std::string> emails;
  for (const admin::Member& m : *members) emails[m.user_id] = m.email;
  Json items = Json::array();
  for (const admin::TokenView& v : *r) {
    const store::ApiToken& t = v.token;
    // Whose token it is and the roles it acts with now (its own role while
    // the member has it; else the member's roles; none when the member has
    // left or lost the token's role).
    Json roles = Json::array();
    for (store::Role role : v.roles) roles.push_back(std::string(store::RoleName(role)));
    items.push_back({{"id", t.id},
                     {"name", t.name},
                     {"member", {{"user_id", t.user_id}, {"email", v.email}}},
                     {"role", t.role.empty() ? Json(nullptr) : Json(t.role)},
                     {"roles", roles},
                     {"created_at", t.created_at},
                     {"revoked_at", t.revoked_at.empty() ? Json(nullptr) : Json(t.revoked_at)}});
  }
  Json out;
  out["items"] = std::move(items);
  Reply(c, 200, out);
}

void PostToken(Ctx& c) {
  auto body = BodyJson(c);
  if (!body) return;
  auto role = store::ParseRole(StringField(*body, "role"));
  if (!role) {
    Error e{
        ErrorKind::kUsage, "say which role the token acts with", {}, "\"role\": one of the member's roles"};
    e.path = "role";
    return SendError(c, e);
  }
  auto r = c.admin.CreateToken(*c.actor, StringField(*body, "user"), StringField(*body, "name"), *role);
  if (!Check(c, r)) return;
  Reply(c, 201,
        Json{{"id", r->token.id},
             {"name", r->token.name},
             {"user", r->token.user_id},
             {"email", r->email},
             {"role", r->token.role},
             {"created_at", r->token.created_at},
             {"token", r->secret}});  // shown once: only its hash is stored
}

// A token revoked before is 409 (not 204 again): a script learns that its
// revocation did nothing; an unknown id is 404.
void DeleteToken(Ctx& c) {
  if (!CheckStatus(c, c.admin.RevokeToken(*c.actor, c.Path("id")))) return;
  c.res.status = 204;
}

void GetSecurityLog(Ctx& c) {
  auto page = PageOf(c);
  if (!page) return;
  auto r = c.admin.SecurityLog(*c.actor, *page);
  if (!Check(c, r)) return;
  Json items = Json::array();
  for (const store::SecurityEvent& e : *r)
    items.push_back(
        {{"at", e.at}, {"email", e.email}, {"event", e.event}, {"detail", e.detail}, {"remote", e.remote}});
  Json out;
  out["items"] = std::move(items);
  out["offset"] = page->offset;
  out["limit"] = page->limit;
  Reply(c, 200, out);
}

// ?format=json|html (default json) and ?lang=nl|en|de (default the
// reader's language): the page's language, and the JSON's labels.
void GetPublicRegister(Ctx& c) {
  std::string format = c.Param("format"), lang = c.Param("lang");
  auto refuse = [&](std::string_view key, const std::string& value, std::string_view allowed) {
    Error e;
    e.kind = ErrorKind::kUsage;
    e.message = fmt::format("?{} must be {} (not '{}')", key, allowed,
                            value.size() > 40 ? value.substr(0, 40) + "..." : value);
    e.expected = std::string(allowed);
    e.path = std::string(key);
    SendError(c, e);
  };
  if (format.empty()) format = "json";
  if (format != "json" && format != "html") return refuse("format", format, "json or html");
  if (lang.empty()) lang = c.lang;
  if (lang != "nl" && lang != "en" && lang != "de") return refuse("lang", lang, "nl, en or de");
  auto json = c.admin.PublicRegisterJson(c.actor->org_id);
  if (!Check(c, json)) return;
  if (format == "html") {
    auto html = RenderPublicRegisterHtml(*json, lang);
    if (!Check(c, html)) return;
    return SendHtml(c, 200, *html);
  }
  auto labelled = LabelPublicRegisterJson(*json, lang);
  if (!Check(c, labelled)) return;
  c.res.set_header("Content-Language", lang);
  SendJson(c, 200, std::move(*labelled));
}

}  // namespace

std::vector<RouteHandler> ApiRoutes() {
  using P = Permission;
  RouteInfo openapi = Info("GET", "/api/v1/openapi.json", {}, "This API as an OpenAPI 3.1 document");
  openapi.access = Access::kPublic;
  RouteInfo orgs = Info("GET", "/api/v1/orgs", {}, "The organisations you are a member of, with your roles");
  orgs.access = Access::kSession;
  RouteInfo password = Info("POST", "/api/v1/account/password", {},
                            "Change your own password (session only): the current and a new one; every other "
                            "session of yours ends, your API tokens stay (204)",
                            "password");
  password.access = Access::kSession;
  password.before_second_factor = true;
  password.before_password_change = true;
  auto account = [](std::string_view method, std::string_view path, std::string_view summary) {
    RouteInfo r = Info(method, path, {}, summary);
    r.access = Access::kSession;
    r.session_only = true;
    return r;
  };
  return {
      {openapi, GetOpenApi},
      {orgs, ListOrgs},
      {password, PostAccountPassword},
      {account("GET", "/api/v1/account/invitations",
               "Your pending invitations (session only): organisation, roles, who invited you, when"),
       GetMyInvitations},
      {account("POST", "/api/v1/account/invitations/{org}/accept",
               "Accept an invitation (session only): its roles become your membership (204); a role that "
               "needs a second factor asks you to set one up first"),
       AnswerInvitation(true)},
      {account("POST", "/api/v1/account/invitations/{org}/decline",
               "Decline an invitation (session only): it is deleted, you do not join (204)"),
       AnswerInvitation(false)},
      {Info("GET", "/api/v1/orgs/{org}", {P::kRead}, "The organisation and your roles in it"), GetOrg},
      {Info("PUT", "/api/v1/orgs/{org}/register", {P::kEditRegister},
            "Import a register as the organisation's register: native YAML or JSON, Fides, the VWS or "
            "privacy-register JSON, XLSX or CSV in a known template's columns, recognised from the content "
            "(?format= forces an importer; If-Match: the export's ETag, 409 when stale; or * or none to "
            "replace it as it is)",
            "register"),
       PutRegister},
      {Info("GET", "/api/v1/orgs/{org}/register", {P::kRead},
            "The current register (?format=yaml|json, or an export format: xlsx, csv, ico-xlsx, ico-csv, "
            "fides, dpv, vws, as a file; ETag: its version)"),
       GetRegister},
      {Info("GET", "/api/v1/orgs/{org}/records", {P::kRead},
            "The register's records with status, owner and version (?kind=, ?offset=, ?limit=)"),
       ListRecords},
      {Info("GET", "/api/v1/orgs/{org}/records/{kind}/{id}", {P::kRead}, "One record (ETag: its version)"),
       GetRecord},
      {Info("PUT", "/api/v1/orgs/{org}/records/{kind}/{id}", {P::kEditRegister, P::kEditAssigned},
            "Replace a record (If-Match or \"version\": the version read; 409 when stale)", "record"),
       PutRecord},
      {Info("PUT", "/api/v1/orgs/{org}/touchpoints/{id}/answers", {P::kEditRegister, P::kEditAssigned},
            "Answer the seven touchpoint questions (merged into the touchpoint)", "answers"),
       PutAnswers},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/assign", {P::kAssign},
            "Assign a record to a business owner, with a due date", "assign"),
       PostAssign},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/submit", {P::kEditRegister, P::kEditAssigned},
            "Submit a draft for review", "step"),
       Step("submit")},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/approve", {P::kApprove},
            "Approve a record in review (not your own version)", "step"),
       Step("approve")},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/reject", {P::kApprove},
            "Send a record in review back to draft", "step"),
       Step("reject")},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/publish", {P::kPublish},
            "Publish an approved record", "step"),
       Step("publish")},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/obsolete", {P::kPublish},
            "Mark a record obsolete", "step"),
       Step("obsolete")},
      {Info("POST", "/api/v1/orgs/{org}/records/{kind}/{id}/reinstate", {P::kPublish},
            "Bring an obsolete record back as a draft", "step"),
       Step("reinstate")},
      {Info("GET", "/api/v1/orgs/{org}/records/{kind}/{id}/compare", {P::kReadHistory},
            "Compare two versions of a record field by field (?from=&to=)"),
       CompareVersions},
      {Info(
           "POST", "/api/v1/orgs/{org}/audits", {P::kRunAudit},
           "Audit the register against uploaded evidence files (multipart, parts named 'har': HAR files, DNS "
           "zones, DMARC reports, GTM exports, ad-platform exports, cookie declarations) or an evidence "
           "bundle as a .zip of its folder (one part named 'bundle'; its manifest's hashes are verified, "
           "each consent phase audited); the JSON report. Each blind spot becomes a draft touchpoint with "
           "what was seen (header Blindspot-Drafted: their ids)",
           "audit"),
       PostAudit},
      {Info("GET", "/api/v1/orgs/{org}/audits/latest", {P::kRead}, "The latest audit's JSON report"),
       GetLatestAudit},
      {Info("GET", "/api/v1/orgs/{org}/history", {P::kReadHistory},
            "Every field change, newest first, hash-chained (?offset=, ?limit=)"),
       GetHistory},
      {Info("GET", "/api/v1/orgs/{org}/my-questions", {P::kRead},
            "The records assigned to you that are still open"),
       GetMyQuestions},
      {Info("GET", "/api/v1/orgs/{org}/members", {P::kRead},
            "The organisation's members (e-mail, roles, whether a second factor is enrolled) and pending "
            "invitations"),
       GetMembers},
      {Info("POST", "/api/v1/orgs/{org}/members", {P::kManageMembers},
            "Invite a member by e-mail with roles: the membership starts when the person logs in and "
            "accepts; the same answer whether the address has an account or not (a new one gets the "
            "password given, or an initial password returned once)",
            "member"),
       PostMember},
      {Info("DELETE", "/api/v1/orgs/{org}/invitations/{user}", {P::kManageMembers},
            "Revoke a pending invitation"),
       DeleteInvitation},
      {Info("PUT", "/api/v1/orgs/{org}/members/{user}", {P::kManageMembers},
            "Replace a member's roles (never the last admin's)", "roles"),
       PutMember},
      {Info("DELETE", "/api/v1/orgs/{org}/members/{user}", {P::kManageMembers},
            "Remove a member (never the last admin); its tokens are revoked"),
       DeleteMember},
      {Info("POST", "/api/v1/orgs/{org}/members/{user}/totp-reset", {P::kManageMembers},
            "Clear a member's second factor and end its sessions: it enrols a new one at its next login"),
       PostTotpReset},
      {Info("POST", "/api/v1/orgs/{org}/members/{user}/password-reset", {P::kManageMembers},
            "Give a member a one-time password (its \"password\", or one made and returned once): it chooses "
            "a new one at its next login, its sessions end (only for a member of organisations you all "
            "administer)",
            "password-reset"),
       PostPasswordReset},
      {Info("GET", "/api/v1/orgs/{org}/tokens", {P::kRead},
            "The API tokens (the organisation's with manage_tokens, else your own): member, role, created, "
            "revoked (never the secret)"),
       GetTokens},
      {Info("POST", "/api/v1/orgs/{org}/tokens", {P::kRead},
            "Create an API token for yourself acting with one of your roles; the secret is returned once",
            "token"),
       PostToken},
      {Info("DELETE", "/api/v1/orgs/{org}/tokens/{id}", {P::kRead},
            "Revoke an API token (any with manage_tokens, else your own)"),
       DeleteToken},
      {Info("GET", "/api/v1/orgs/{org}/public-register", {P::kRead},
            "The public register: the published processing activities (?format=json|html, ?lang=)"),
       GetPublicRegister},
      {Info("GET", "/api/v1/orgs/{org}/security-log", {P::kReadSecurityLog},
            "Logins, lockouts and token changes (?offset=, ?limit=)"),
       GetSecurityLog},
  };
}

}  // namespace blindspot::http

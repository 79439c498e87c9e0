// The privacy administration's use cases (include/blindspot/admin.h): the
// permission table, setup, login and sessions, the register as records,
// the workflow, audits and history.
#include "blindspot/admin.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "blindspot/draft.h"
#include "blindspot/env.h"
#include "blindspot/io.h"

namespace blindspot::admin {
namespace {

using store::Record;
using store::RecordKind;
using store::RecordStatus;
using Json = nlohmann::ordered_json;

std::unexpected<Error> Denied(std::string what) {
  return MakeError(ErrorKind::kDenied, std::move(what), {}, {},
                   "ask a privacy officer or admin of the organisation");
}
// A bad value of a request, named by its field ("roles", "email", "bundle").
std::unexpected<Error> AtPath(ErrorKind kind, std::string what, std::string path, std::string expected = {},
                              std::string hint = {}) {
  auto e = MakeError(kind, std::move(what), {}, std::move(expected), std::move(hint));
  e.error().path = std::move(path);
  return e;
}
std::unexpected<Error> AuthError(std::string what) { return MakeError(ErrorKind::kAuth, std::move(what)); }

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool PlausibleEmail(std::string_view e) {
  auto at = e.find('@');
  return e.size() <= 254 && at != std::string_view::npos && at > 0 && at + 1 < e.size() &&
         e.find_first_of(" \t\r\n<>\"") == std::string_view::npos &&
         e.find('@', at + 1) == std::string_view::npos;
}

// A real calendar date written YYYY-MM-DD (2028-02-29 yes, 2026-02-31 no).
bool CalendarDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), day = num(8, 2);
  if (m < 1 || m > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// "2026-12-03T08:00:00Z" -> unix seconds (UTC); 0 when not parsable.
int64_t IsoToUnix(std::string_view iso) {
  std::tm tm{};
  if (iso.size() < 19) return 0;
  std::string s(iso.substr(0, 19));
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string UnixToIso(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The seven touchpoint questions answered in `answers` (the native format's
// object), counted as rule BS013 counts them: a question is answered when the
// audit would not report it (a touchpoint not in use has nothing open).
std::pair<int, int> CountAnswers(const Json& answers) {
  auto text = [&](const Json& obj, const char* k) {
    auto it = obj.find(k);
    return it != obj.end() && it->is_string() && !it->get<std::string>().empty();
  };
  auto flag = [&](const char* k) -> std::optional<bool> {
    auto it = answers.find(k);
    if (it == answers.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
  };
  auto list = [&](const char* k) {
    auto it = answers.find(k);
    return it != answers.end() && it->is_array() && !it->empty();
  };
  if (flag("in_use") == false) return {7, 7};
  const Json none = Json::object();
  auto inf = answers.find("informed");
  const Json& informed = inf != answers.end() && inf->is_object() ? *inf : none;
  const bool basis = text(answers, "lawful_basis");
  int n = 0;
  n += flag("in_use").has_value();
  auto us = flag("stored_by_us");
  n += us.has_value() && (!*us || text(answers, "stored_by_us_where"));
  auto vendor = flag("stored_by_vendor");
  n += vendor.has_value() && (!*vendor || text(answers, "stored_by_vendor_details"));
  n += text(informed, "statement") && text(informed, "section");
  n += list("data_collected");
  n += basis && text(answers, "necessity") && text(answers, "subsidiarity");
  n += list("security_measures");
  return {7, n};
}

// A register field path ("touchpoints[meta-pixel].answers.in_use",
// "activities[crm].purposes[purpose-1].lawful_basis") of a value inside
// the record `prefix` names ("touchpoints[meta-pixel]"), as a JSON pointer
// into the record's body ("/answers/in_use", "/purposes/0/lawful_basis"):
// an "[id]" is the index of the item with that id (or the index written).
// As far as the body holds the path; nullopt when the path is not inside
// the record.
std::optional<std::string> PointerInRecord(const Json& body, std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  if (!path.empty() && path.front() != '.' && path.front() != '[') return std::nullopt;
  auto escape = [](std::string_view key) {
    std::string out;
    for (char ch : key) out += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
    return out;
  };
  std::string pointer;
  const Json* at = &body;
  while (!path.empty()) {
    std::string step;
    if (path.front() == '.') {
      path.remove_prefix(1);
      size_t end = path.find_first_of(".[");
      std::string_view key = path.substr(0, end);
      path.remove_prefix(end == std::string_view::npos ? path.size() : end);
      if (at == nullptr || !at->is_object() || !at->contains(std::string(key)))
        return pointer + "/" + escape(key);
      pointer += "/" + escape(key);
      at = &(*at)[std::string(key)];
      continue;
    }
    size_t end = path.find(']');
    if (end == std::string_view::npos) break;
    std::string_view item = path.substr(1, end - 1);
    path.remove_prefix(end + 1);
    if (at == nullptr || !at->is_array()) break;
    std::optional<size_t> index;
    for (size_t i = 0; i < at->size(); ++i) {
      const Json& x = (*at)[i];
      if (x.is_object() && x.contains("id") && x["id"].is_string() && x["id"].get<std::string>() == item) {
        index = i;
        break;
      }
    }
    if (!index && !item.empty() && item.find_first_not_of("0123456789") == std::string_view::npos &&
        item.size() < 10 && std::stoul(std::string(item)) < at->size())
      index = std::stoul(std::string(item));
    if (!index) break;
    pointer += "/" + std::to_string(*index);
    at = &(*at)[*index];
  }
  return pointer;
}

// The JSON pointer of the value that starts on each line of doc.dump(2)
// (index = 1-based line): dump(2) puts every member and item of a non-empty
// container on a line of its own, and nothing else starts a line but
// closing brackets. Places a reader's line:column in a document this server
// wrote back into its values.
std::vector<std::string> LinePointers(const Json& doc) {
  std::vector<std::string> lines = {"", ""};  // line 1: the root's opening bracket
  auto escape = [](const std::string& key) {
    std::string out;
    for (char ch : key) out += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch);
    return out;
  };
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& v, const std::string& at) {
    if (v.is_object() && !v.empty()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        lines.push_back(at + "/" + escape(it.key()));
        walk(it.value(), lines.back());
      }
      lines.push_back(at);  // the closing bracket
    } else if (v.is_array() && !v.empty()) {
      for (size_t i = 0; i < v.size(); ++i) {
        lines.push_back(at + "/" + std::to_string(i));
        walk(v[i], lines.back());
      }
      lines.push_back(at);
    }
  };
  walk(doc, "");
  return lines;
}

}  // namespace

// ---- permissions ----------------------------------------------------------------

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kRead:
      return "read";
    case Permission::kReadHistory:
      return "read_history";
    case Permission::kEditRegister:
      return "edit_register";
    case Permission::kEditAssigned:
      return "edit_assigned";
    case Permission::kAssign:
      return "assign";
    case Permission::kApprove:
      return "approve";
    case Permission::kPublish:
      return "publish";
    case Permission::kRunAudit:
      return "run_audit";
    case Permission::kManageMembers:
      return "manage_members";
    case Permission::kManageTokens:
      return "manage_tokens";
    case Permission::kReadSecurityLog:
      return "read_security_log";
  }
  return "?";
}

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> all = {
      Permission::kRead,         Permission::kReadHistory,    Permission::kEditRegister,
      Permission::kEditAssigned, Permission::kAssign,         Permission::kApprove,
      Permission::kPublish,      Permission::kRunAudit,       Permission::kManageMembers,
      Permission::kManageTokens, Permission::kReadSecurityLog};
  return all;
}

bool RoleAllows(Role r, Permission p) {
  using P = Permission;
  switch (r) {
    case Role::kAdmin:
      return true;
    case Role::kPrivacyOfficer:
      return p != P::kManageMembers;
    case Role::kDpo:
      return p == P::kRead || p == P::kReadHistory || p == P::kReadSecurityLog;
    case Role::kAuditor:
      return p == P::kRead || p == P::kReadHistory;
    case Role::kBusinessOwner:
      return p == P::kRead || p == P::kEditAssigned;
    case Role::kApprover:
      return p == P::kRead || p == P::kReadHistory || p == P::kApprove;
  }
  return false;
}

bool Actor::Can(Permission p) const {
  return std::any_of(roles.begin(), roles.end(), [&](Role r) { return RoleAllows(r, p); });
}
bool Actor::Has(Role r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

bool NeedsSecondFactor(const std::vector<store::Membership>& memberships) {
  return std::any_of(memberships.begin(), memberships.end(), [](const store::Membership& m) {
    return m.role == Role::kAdmin || m.role == Role::kPrivacyOfficer;
  });
}

// ---- registers as records ------------------------------------------------------------

std::vector<store::RecordChange> SplitRegister(const Register& reg) {
  Json j = Json::parse(WriteRegisterJson(reg));
  std::vector<store::RecordChange> out;
  if (j.contains("organisation")) {
    out.push_back({RecordKind::kOrganisation, "organisation", 0, j["organisation"].dump(), ""});
  }
  for (RecordKind k : store::AllRecordKinds()) {
    if (k == RecordKind::kOrganisation) continue;
    std::string key(store::RecordKindList(k));
    if (!j.contains(key) || !j[key].is_array()) continue;
    for (const Json& item : j[key]) {
      std::string id = item.contains("id") && item["id"].is_string() ? item["id"].get<std::string>() : "";
      out.push_back({k, id, 0, item.dump(), ""});
    }
  }
  return out;
}

std::string JoinRecords(const std::vector<Record>& records) {
  std::vector<const Record*> sorted;
  for (const Record& r : records)
    if (r.status != RecordStatus::kObsolete) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Record* a, const Record* b) {
    if (a->kind != b->kind) return static_cast<int>(a->kind) < static_cast<int>(b->kind);
    return a->position < b->position;
  });
  Json j;
  j["blindspot_register"] = 1;
  for (const Record* r : sorted) {
    Json body = Json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) continue;
    if (r->kind == RecordKind::kOrganisation) {
      j["organisation"] = std::move(body);
    } else {
      j[std::string(store::RecordKindList(r->kind))].push_back(std::move(body));
    }
  }
  return j.dump(2);
}

namespace {

// Appends compact JSON (as nlohmann's dump() writes it) as dump(2) would
// write the same value nested `level` deep: the same characters with line
// breaks and two spaces per level, `": "` after keys, and "{}" / "[]" for
// empty containers. Strings are copied as they are (JSON strings hold no raw
// line breaks, so re-indenting cannot change one).
void AppendPretty(std::string& out, std::string_view json, int level) {
  auto newline = [&](int lvl) {
    out += '\n';
    out.append(static_cast<size_t>(lvl) * 2, ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    const char ch = json[i];
    switch (ch) {
      case '"': {
        size_t j = i + 1;
        while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
        out.append(json.substr(i, j + 1 - i));
        i = j;
        break;
      }
      case '{':
      case '[':
        if (i + 1 < json.size() && json[i + 1] == (ch == '{' ? '}' : ']')) {
          out += ch;
          out += json[++i];
        } else {
          out += ch;
          newline(++level);
        }
        break;
      case '}':
      case ']':
        newline(--level);
        out += ch;
        break;
      case ',':
        out += ',';
        newline(level);
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += ch;
    }
  }
}

}  // namespace

std::string Admin::JsonExport(const std::vector<Record>& records) {
  // JoinRecords' document (the stored bodies are the writer's canonical
  // items, so this is what parsing and writing the register gives: a test
  // holds the two equal), without parsing a single body.
  std::vector<const Record*> sorted;
  size_t bytes = 64;
  for (const Record& r : records)
    if (r.status != RecordStatus::kObsolete && !r.body.empty()) {
      sorted.push_back(&r);
      bytes += r.body.size() * 2;
    }
  std::stable_sort(sorted.begin(), sorted.end(), [](const Record* a, const Record* b) {
    if (a->kind != b->kind) return static_cast<int>(a->kind) < static_cast<int>(b->kind);
    return a->position < b->position;
  });
  std::string out;
  out.reserve(bytes);
  out += "{\n  \"blindspot_register\": 1";
  std::optional<RecordKind> open_list;
  for (const Record* r : sorted) {
    if (r->kind == RecordKind::kOrganisation) {
      out += ",\n  \"organisation\": ";
      AppendPretty(out, r->body, 1);
      continue;
    }
    if (open_list != r->kind) {
      if (open_list) out += "\n  ]";
      out += ",\n  \"";
      out += store::RecordKindList(r->kind);
      out += "\": [\n    ";
      open_list = r->kind;
    } else {
      out += ",\n    ";
    }
    AppendPretty(out, r->body, 2);
  }
  if (open_list) out += "\n  ]";
  out += "\n}\n";
  return out;
}

// Bounds on what one change may hold: a register item is a few KB (the
// largest in the repository's registers is under 8 KB), a reason a sentence.
// A 20 MB name was accepted and made the record page 100 MB.
constexpr size_t kMaxRecordBytes = 64 * 1024;
constexpr size_t kMaxReasonBytes = 2000;

static Status CheckSizes(const std::string& what, size_t body_bytes, const std::string& reason) {
  if (body_bytes > kMaxRecordBytes)
    return MakeError(ErrorKind::kUsage,
                     fmt::format("{} is {} bytes as JSON, more than the {} a record may hold", what,
                                 body_bytes, kMaxRecordBytes),
                     {}, "shorter texts (put long documents elsewhere and refer to them)");
  if (reason.size() > kMaxReasonBytes)
    return MakeError(ErrorKind::kUsage,
                     fmt::format("the reason is {} bytes, more than {}", reason.size(), kMaxReasonBytes), {},
                     "a sentence");
  return {};
}

// ---- Admin ---------------------------------------------------------------------------

Admin::Admin(store::Store& store, Options options)
    : store_(store),
      options_(std::move(options)),
      client_throttle_(20, std::chrono::seconds(60), std::chrono::seconds(60)) {}

int64_t Admin::UnixNow() const {
  if (options_.unix_now) return options_.unix_now();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Admin::Require(const Actor& a, Permission p) const {
  if (!a.Can(p))
    return Denied(fmt::format("your role does not allow '{}' in this organisation", PermissionName(p)));
  return {};
}

namespace {
// The characters (code points) of UTF-8 text.
size_t Characters(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
constexpr size_t kMaxNameCharacters = 200;

// An organisation id that names none: what to run to see the ids.
std::unexpected<Error> NoSuchOrg(const std::string& org_id) {
  return MakeError(ErrorKind::kNotFound, "no organisation '" + org_id + "'", {},
                   "an organisation id (org_...)",
                   "blindspot org list --db DB shows the organisations and their ids");
}
}  // namespace

Result<store::Org> Admin::AddOrg(const std::string& name) {
  if (name.empty())
    return MakeError(ErrorKind::kUsage, "the organisation needs a name", {}, "1 to 200 characters");
  if (const size_t n = Characters(name); n > kMaxNameCharacters)
    return MakeError(ErrorKind::kUsage,
                     fmt::format("the organisation's name is {} characters long; a name has at most {}", n,
                                 kMaxNameCharacters),
                     {}, "1 to 200 characters", "shorten it, e.g. leave out the legal form's full wording");
  auto org = store_.CreateOrg(name);
  if (!org && org.error().kind == ErrorKind::kConflict) {
    Error e = org.error();
    e.hint = "blindspot org list --db DB shows its id";
    return std::unexpected(e);
  }
  return org;
}

Result<NewUser> Admin::AddUser(const std::string& org_id, const std::string& email_in, Role role,
                               const std::string& password) {
  std::string email = Lower(email_in);
  if (!PlausibleEmail(email))
    return MakeError(ErrorKind::kUsage, "'" + email_in + "' is not an e-mail address", {}, "name@example.nl");
  auto org = store_.GetOrg(org_id);
  if (!org)
    return org.error().kind == ErrorKind::kNotFound ? NoSuchOrg(org_id) : std::unexpected(org.error());
  NewUser out;
  auto existing = store_.FindUserByEmail(email);
  if (existing) {
    out.user = *existing;
  } else if (existing.error().kind != ErrorKind::kNotFound) {
    return std::unexpected(existing.error());
  } else {
    if (password.empty())
      return MakeError(ErrorKind::kUsage, email + " is a new user and needs a password", {},
                       "a password of at least 12 characters on standard input",
                       "echo 'a long password' | blindspot user add ... --password-stdin");
    auto hash = auth::HashPassword(password);
    if (!hash) return std::unexpected(hash.error());
    auto u = store_.CreateUser(email, *hash);
    if (!u) return std::unexpected(u.error());
    out.user = *u;
    out.created = true;
  }
  if (auto s = store_.AddMembership({org_id, out.user.id, role}); !s) return std::unexpected(s.error());
  if ((role == Role::kAdmin || role == Role::kPrivacyOfficer) && out.user.totp_secret.empty()) {
    out.totp_secret = auth::NewTotpSecret();
    if (auto s = store_.SetTotpSecret(out.user.id, out.totp_secret); !s) return std::unexpected(s.error());
    out.user.totp_secret = out.totp_secret;
    out.totp_uri = auth::TotpUri(options_.issuer, email, out.totp_secret);
  }
  (void)store_.LogSecurity(
      {store_.Now(), org_id, email, "member_added", std::string(store::RoleName(role)), "cli"});
  return out;
}

Result<std::string> Admin::AddToken(const std::string& org_id, const std::string& email,
                                    const std::string& name, const std::string& actor) {
  if (name.empty())
    return MakeError(ErrorKind::kUsage, "the token needs a name", {}, "1 to 200 characters, e.g. \"ci\"");
  if (const size_t n = Characters(name); n > kMaxNameCharacters)
    return MakeError(
        ErrorKind::kUsage,
        fmt::format("the token's name is {} characters long; a name has at most {}", n, kMaxNameCharacters),
        {}, "1 to 200 characters, e.g. \"ci\"");
  if (auto org = store_.GetOrg(org_id); !org)
    return org.error().kind == ErrorKind::kNotFound ? NoSuchOrg(org_id) : std::unexpected(org.error());
  auto user = store_.FindUserByEmail(Lower(email));
  if (!user) {
    if (user.error().kind != ErrorKind::kNotFound) return std::unexpected(user.error());
    return MakeError(ErrorKind::kNotFound, "no user with the e-mail address '" + Lower(email) + "'", {}, {},
                     "add the user first: blindspot user add --org " + org_id + " --email " + Lower(email) +
                         " --role ROLE --password-stdin");
  }
  auto ms = store_.MembershipsOfUser(user->id);
  if (!ms) return std::unexpected(ms.error());
  if (std::none_of(ms->begin(), ms->end(), [&](const store::Membership& m) { return m.org_id == org_id; }))
    return MakeError(ErrorKind::kUsage, email + " is not a member of organisation " + org_id, {}, {},
                     "add the user first: blindspot user add --org " + org_id);
  std::string token = "bst_" + auth::RandomToken(32);
  store::ApiToken t;
  t.id = "tok_" + auth::RandomHex(8);
  t.org_id = org_id;
  t.user_id = user->id;
  t.name = name;
  t.token_hash = auth::HashSecret(token);
  t.created_at = store_.Now();
  if (auto s = store_.CreateApiToken(t); !s) return std::unexpected(s.error());
  (void)store_.LogSecurity({store_.Now(), org_id, user->email, "token_added", t.id + " " + name, actor});
  return token;
}

// ---- authentication ----

Result<LoginResult> Admin::Login(const LoginRequest& r) {
  const std::string email = Lower(r.email);
  // Each event is logged for every organisation the user is a member of
  // (their DPOs read it there); attempts on unknown addresses under none.
  std::vector<std::string> orgs;
  auto log = [&](std::string_view event, const std::string& detail) {
    if (orgs.empty()) {
      (void)store_.LogSecurity(
          {store_.Now(), "", email.substr(0, 254), std::string(event), detail, r.remote});
    }
    for (const std::string& org : orgs)
      (void)store_.LogSecurity(
          {store_.Now(), org, email.substr(0, 254), std::string(event), detail, r.remote});
  };
  if (int64_t wait = client_throttle_.RetryAfter(r.remote); wait > 0) {
    log("login_throttled", "");
    return AuthError(fmt::format("too many failed logins from this address; try again in {} seconds", wait));
  }
  // One answer for an unknown address, a wrong password or code and a
  // locked account, in about the same time (each checks a password hash):
  // the answer does not tell which accounts exist or are locked. The
  // security log records which it was.
  const std::string refused = fmt::format(
      "wrong e-mail address, password or code (after {} failed logins an account is locked for {} "
      "minutes)",
      options_.max_login_failures, options_.lockout_minutes);
  auto user = store_.FindUserByEmail(email);
  const int64_t now = UnixNow();
  if (!user) {
    if (user.error().kind != ErrorKind::kNotFound) return std::unexpected(user.error());
    (void)auth::VerifyPassword(auth::DummyPasswordHash(), r.password);  // the same time as a known user
    client_throttle_.Failure(r.remote);
    log("login_failed", "unknown user");
    return AuthError(refused);
  }
  if (auto ms = store_.MembershipsOfUser(user->id); ms) {
    for (const store::Membership& m : *ms)
      if (std::find(orgs.begin(), orgs.end(), m.org_id) == orgs.end()) orgs.push_back(m.org_id);
  }
  if (!user->locked_until.empty() && IsoToUnix(user->locked_until) > now) {
    (void)auth::VerifyPassword(auth::DummyPasswordHash(), r.password);  // the time of a check
    client_throttle_.Failure(r.remote);
    log("login_locked", "until " + user->locked_until);
    return AuthError(refused);
  }
  auto fail = [&](std::string why) -> std::unexpected<Error> {
    if (CountPasswordFailure(*user, now, r.remote))
      log("login_locked", "after " + std::to_string(options_.max_login_failures) + " failures");
    log("login_failed", std::move(why));
    return AuthError(refused);
  };
  if (!auth::VerifyPassword(user->password_hash, r.password)) return fail("password");
  auto ms = store_.MembershipsOfUser(user->id);
  if (!ms) return std::unexpected(ms.error());
  bool needs_totp = NeedsSecondFactor(*ms);
  // A user whose role needs a second factor but who has none yet (added
  // through the web pages, or reset by an admin) gets a session good only
  // for enrolling one: the password is all it has to give.
  const bool must_enrol = needs_totp && user->totp_secret.empty();
  if (needs_totp && !must_enrol) {
    // No code is a failure like a wrong one, with the same answer: a
    // different answer would confirm the password without the second
    // factor (the login form always asks for the code).
    if (r.totp_code.empty()) return fail("no code");
    int64_t step = totp_steps_.Last(user->id);
    if (!auth::VerifyTotp(user->totp_secret, r.totp_code, now, &step)) return fail("second factor");
    totp_steps_.Set(user->id, step);
  }
  (void)store_.UpdateUserSecurity(user->id, 0, "");
  client_throttle_.Success(r.remote);
  LoginResult out;
  out.session_cookie = auth::RandomToken(32);
  out.csrf = auth::RandomToken(24);
  out.user = *user;
  store::Session s;
  s.token_hash = auth::HashSecret(out.session_cookie);
  s.user_id = user->id;
  s.csrf = out.csrf;
  s.created_at = s.last_seen = UnixToIso(now);
  s.totp_ok = needs_totp && !must_enrol;
  if (auto st = store_.CreateSession(s); !st) return std::unexpected(st.error());
  out.must_enrol = must_enrol;
  out.must_change_password = user->must_change_password;
  log("login_ok", std::string(must_enrol   ? "password; second factor to enrol"
                              : needs_totp ? "password and code"
                                           : "password") +
                      (user->must_change_password ? "; one-time password, a new one to choose" : ""));
  return out;
}

bool Admin::CountPasswordFailure(const store::User& u, int64_t now, const std::string& remote) {
  int64_t failures = u.failed_logins + 1;
  std::string locked;
  if (failures >= options_.max_login_failures) {
    locked = UnixToIso(now + int64_t{options_.lockout_minutes} * 60);
    failures = 0;
  }
  (void)store_.UpdateUserSecurity(u.id, failures, locked);
  client_throttle_.Failure(remote);
  return !locked.empty();
}

Status Admin::Logout(const std::string& session_cookie) {
  auto s = store_.GetSession(auth::HashSecret(session_cookie));
  if (s) {
    auto u = store_.GetUser(s->user_id);
    auto ms = store_.MembershipsOfUser(s->user_id);
    std::vector<std::string> seen;
    for (const store::Membership& m : ms ? *ms : std::vector<store::Membership>{}) {
      if (std::find(seen.begin(), seen.end(), m.org_id) != seen.end()) continue;
      seen.push_back(m.org_id);
      (void)store_.LogSecurity({store_.Now(), m.org_id, u ? u->email : "", "logout", "", ""});
    }
  }
  return store_.DeleteSession(auth::HashSecret(session_cookie));
}

Result<store::Session> Admin::CheckSession(const std::string& session_cookie, store::Principal* principal) {
  if (session_cookie.empty() || session_cookie.size() > 128) return AuthError("not logged in");
  std::string hash = auth::HashSecret(session_cookie);
  auto sp = store_.GetSessionPrincipal(hash);
  if (!sp) {
    if (sp.error().kind == ErrorKind::kNotFound) return AuthError("not logged in");
    return std::unexpected(sp.error());
  }
  std::optional<store::Session> s = std::move(sp->first);
  if (principal) *principal = std::move(sp->second);
  const int64_t now = UnixNow();
  if (now - IsoToUnix(s->last_seen) > int64_t{options_.idle_timeout_minutes} * 60 ||
      now - IsoToUnix(s->created_at) > int64_t{options_.absolute_timeout_hours} * 3600) {
    (void)store_.DeleteSession(hash);
    return AuthError("the session has expired; log in again");
  }
  // Refresh last_seen at most once a minute (fewer writes on reads).
  if (now - IsoToUnix(s->last_seen) >= 60) {
    s->last_seen = UnixToIso(now);
    (void)store_.TouchSession(hash, s->last_seen, s->totp_ok);
  }
  return std::move(*s);
}

namespace {
// The actor `u` is in `org_id`, from the user's memberships (read once by the caller).
Result<Actor> ActorOf(const store::User& u, const std::vector<store::Membership>& ms,
                      const std::string& org_id) {
  Actor a;
  a.user_id = u.id;
  a.email = u.email;
  a.org_id = org_id;
  a.lang = u.lang.empty() ? "en" : u.lang;
  a.lang_chosen = !u.lang.empty();
  for (const store::Membership& m : ms)
    if (m.org_id == org_id) a.roles.push_back(m.role);
  // Not a member: the same answer whether the organisation exists or not,
  // so that asking does not tell which ids exist (a member whose role lacks
  // a right still gets kDenied, from the permission check).
  if (a.roles.empty())
    return MakeError(ErrorKind::kNotFound, "no organisation " + org_id + " of which you are a member");
  return a;
}
}  // namespace

Result<Actor> Admin::ActorForSession(const store::Session& s, const std::string& org_id,
                                     const store::Principal* principal) {
  store::Principal read;
  if (!principal) {
    auto u = store_.GetUser(s.user_id);
    if (!u) return AuthError("not logged in");
    auto ms = store_.MembershipsOfUser(u->id);
    if (!ms) return std::unexpected(ms.error());
    read = {std::move(*u), std::move(*ms)};
    principal = &read;
  }
  const store::User& u = principal->user;
  if (NeedsSecondFactor(principal->memberships) && !s.totp_ok)
    return AuthError(u.totp_secret.empty() ? "set up your second factor first (/account/totp)"
                                           : "log in again with your authenticator code");
  return ActorOf(u, principal->memberships, org_id);
}

Result<Actor> Admin::ActorForToken(const std::string& bearer, const std::string& org_id) {
  if (bearer.empty() || bearer.size() > 200) return AuthError("no valid API token");
  auto tp = store_.FindApiTokenPrincipal(auth::HashSecret(bearer));
  if (!tp || !tp->first.revoked_at.empty()) return AuthError("no valid API token");
  const store::ApiToken& t = tp->first;
  if (t.org_id != org_id) return Denied("this API token belongs to another organisation");
  auto a = ActorOf(tp->second.user, tp->second.memberships, org_id);
  if (!a) return a;
  a->token_id = t.id;
  // A token with a role acts with that role only, while its member still has it.
  if (!t.role.empty()) {
    auto role = store::ParseRole(t.role);
    if (!role || !a->Has(*role))
      return Denied("this API token's role '" + t.role + "' is no longer one of its member's roles");
    a->roles = {*role};
  }
  return a;
}

Result<std::vector<std::pair<store::Org, std::vector<Role>>>> Admin::OrgsOfUser(const std::string& user_id) {
  auto ms = store_.MembershipsOfUser(user_id);
  if (!ms) return std::unexpected(ms.error());
  return OrgsOf(*ms);
}

Result<store::Org> Admin::Org(const std::string& id) {
  {
    std::lock_guard lock(orgs_.mu);
    auto it = orgs_.entries.find(id);
    if (it != orgs_.entries.end()) return it->second;
  }
  auto org = store_.GetOrg(id);
  if (!org) return org;
  std::lock_guard lock(orgs_.mu);
  if (orgs_.entries.size() >= OrgCache::kMax) orgs_.entries.clear();
  orgs_.entries.emplace(id, *org);
  return org;
}

Result<std::vector<std::pair<store::Org, std::vector<Role>>>> Admin::OrgsOf(
    const std::vector<store::Membership>& ms) {
  std::vector<std::pair<store::Org, std::vector<Role>>> out;
  for (const store::Membership& m : ms) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first.id == m.org_id; });
    if (it == out.end()) {
      auto org = Org(m.org_id);
      if (!org) continue;
      out.push_back({*org, {}});
      it = out.end() - 1;
    }
    it->second.push_back(m.role);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first.name < b.first.name; });
  return out;
}

// ---- the register ----

Diagnostics RegisterProblems(std::string_view text, const std::string& file_name) {
  auto loaded = ParseAnyRegister(text, file_name.empty() ? "register" : file_name);
  if (loaded) return {};
  return loaded.error();
}

Result<std::string> Admin::RegisterVersion(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto head = store_.HistoryHead(a.org_id);
  if (!head) return std::unexpected(head.error());
  return head->hash;
}

Result<ImportResult> Admin::PutRegister(const Actor& a, std::string_view text, const std::string& file_name,
                                        const std::string& reason,
                                        const std::optional<std::string>& expected_version,
                                        const std::string& format) {
  if (auto s = Require(a, Permission::kEditRegister); !s) return std::unexpected(s.error());
  const std::string file = file_name.empty() ? "register" : file_name;
  std::expected<LoadedRegister, Diagnostics> loaded;
  if (format.empty() || format == "native") {
    loaded = format.empty() ? ParseAnyRegister(text, file) : ParseRegisterText(text, file);
  } else if (const Importer* imp = FindImporter(format)) {
    loaded = imp->import(text, file, RegisterReadOptions{});
  } else {
    std::string names = "native";
    for (const Importer& i : AllImporters()) names += ", " + i.name;
    return MakeError(ErrorKind::kUsage, "unknown import format '" + format + "'", {}, "one of " + names);
  }
  if (!loaded) {
    Error e = loaded.error().front();
    if (loaded.error().size() > 1)
      e.message += fmt::format(" (and {} more problems)", loaded.error().size() - 1);
    return std::unexpected(e);
  }
  std::vector<store::RecordChange> records = SplitRegister(loaded->reg);
  for (const store::RecordChange& rc : records)
    if (auto s = CheckSizes(std::string(store::RecordKindName(rc.kind)) + " '" + rc.id + "'", rc.body.size(),
                            reason);
        !s)
      return std::unexpected(s.error());
  auto before = store_.HistoryCount(a.org_id);
  store::ReplaceReport report;
  auto put = store_.ReplaceRegister(a.org_id, a.user_id, records,
                                    reason.empty() ? "register imported" : reason, expected_version, &report);
  if (!put) return std::unexpected(put.error());
  for (const Record& r : *put) Remember(r);
  auto after = store_.HistoryCount(a.org_id);
  ImportResult out;
  out.records = put->size();
  out.changed = (before && after) ? static_cast<size_t>(*after - *before) : 0;
  for (const Error& w : loaded->warnings) out.warnings.push_back(w.Format());
  auto note = [&](const store::StatusChange& c) {
    Remember(c.record);
    return ImportNote{c.record.kind, c.record.id, Summarize(c.record).name, c.before};
  };
  for (const store::StatusChange& c : report.retired) out.retired.push_back(note(c));
  for (const store::StatusChange& c : report.reinstated) out.reinstated.push_back(note(c));
  return out;
}

Result<Register> Admin::CurrentRegister(const std::string& org_id) {
  auto recs = store_.ListRecords(org_id);
  if (!recs) return std::unexpected(recs.error());
  std::string text = JoinRecords(*recs);
  auto loaded = ParseRegisterText(text, "register");
  if (!loaded) {
    Error e = loaded.error().front();
    e.message = "the stored register does not read back: " + e.message;
    e.kind = ErrorKind::kInternal;
    return std::unexpected(e);
  }
  return std::move(loaded->reg);
}

Result<std::string> Admin::GetRegister(const Actor& a, const std::string& format) {
  auto text = ExportRegister(a, format);
  if (!text) return std::unexpected(text.error());
  return **text;
}

Result<std::shared_ptr<const std::string>> Admin::ExportRegister(const Actor& a, const std::string& format) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  const Exporter* exporter = nullptr;
  if (format != "yaml" && format != "json") {
    exporter = FindExporter(format);
    if (!exporter) {
      std::string names;
      for (const Exporter& e : AllExporters()) names += (names.empty() ? "" : ", ") + e.name;
      return MakeError(ErrorKind::kUsage, "unknown register format '" + format + "'", {}, "one of " + names);
    }
  }
  const auto key = std::pair{a.org_id, format};
  auto stamp = store_.RegisterStamp(a.org_id);
  if (stamp) {
    std::lock_guard lock(exports_.mu);
    auto it = exports_.entries.find(key);
    if (it != exports_.entries.end() && it->second.first == *stamp) return it->second.second;
  }
  std::string text;
  if (exporter) {
    auto reg = CurrentRegister(a.org_id);
    if (!reg) return std::unexpected(reg.error());
    auto written = exporter->write(*reg, ExportOptions{});
    if (!written) return std::unexpected(written.error());
    text = std::move(*written);
  } else if (format == "json") {
    auto recs = store_.ListRecords(a.org_id);
    if (!recs) return std::unexpected(recs.error());
    text = JsonExport(*recs);
  } else {
    auto reg = CurrentRegister(a.org_id);
    if (!reg) return std::unexpected(reg.error());
    text = WriteRegisterYaml(*reg);
  }
  auto shared = std::make_shared<const std::string>(std::move(text));
  if (stamp) {
    std::lock_guard lock(exports_.mu);
    if (exports_.entries.size() >= ExportCache::kMaxCachedExports && !exports_.entries.contains(key))
      exports_.entries.clear();
    exports_.entries[key] = {std::move(*stamp), shared};
  }
  return shared;
}

// ---- record views and their summaries ----

Admin::Summary Admin::Summarize(const Record& r) {
  Summary s;
  s.version = r.version;
  Json body = Json::parse(r.body, nullptr, false);
  if (!body.is_discarded() && body.is_object()) {
    auto text = [&](const char* k) {
      auto it = body.find(k);
      return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    s.name = text("name");
    if (r.kind == RecordKind::kActivity) s.business_function = text("business_function");
    if (r.kind == RecordKind::kTouchpoint) {
      auto acts = body.find("activities");
      if (acts != body.end() && acts->is_array() && !acts->empty() && acts->front().is_string())
        s.first_activity = acts->front().get<std::string>();
      auto answers = body.find("answers");
      auto [total, answered] = CountAnswers(answers != body.end() ? *answers : Json::object());
      s.questions_total = total;
      s.questions_answered = answered;
    }
  }
  if (s.name.empty()) s.name = r.id;
  return s;
}

std::string Admin::SummaryCache::Key(const Record& r) {
  std::string k;
  KeyInto(r, k);
  return k;
}

void Admin::SummaryCache::KeyInto(const Record& r, std::string& k) {
  k.assign(r.org_id);
  k += '\0';
  k += store::RecordKindName(r.kind);
  k += '\0';
  k += r.id;
}

std::optional<Admin::Summary> Admin::SummaryCache::Find(const Record& r) {
  const std::string k = Key(r);
  std::lock_guard lock(mu);
  auto it = entries.find(k);
  if (it == entries.end() || it->second.version != r.version) return std::nullopt;
  return it->second;
}

void Admin::SummaryCache::FindAll(const std::vector<Record>& rs, std::vector<std::optional<Summary>>& out) {
  out.resize(rs.size());
  std::string key;  // one buffer for all the keys: a list looks up hundreds
  std::lock_guard lock(mu);
  for (size_t i = 0; i < rs.size(); ++i) {
    KeyInto(rs[i], key);
    auto it = entries.find(key);
    if (it != entries.end() && it->second.version == rs[i].version) out[i] = it->second;
  }
}

void Admin::SummaryCache::Put(const Record& r, Summary s) {
  std::string k = Key(r);
  std::lock_guard lock(mu);
  if (entries.size() >= kMaxEntries && !entries.contains(k)) entries.clear();
  entries.insert_or_assign(std::move(k), std::move(s));
}

void Admin::Remember(const Record& r) {
  if (!r.body.empty()) summaries_.Put(r, Summarize(r));
}

std::string Admin::EmailOf(const std::string& user_id) {
  {
    std::lock_guard lock(emails_.mu);
    auto it = emails_.entries.find(user_id);
    if (it != emails_.entries.end()) return it->second;
  }
  auto u = store_.GetUser(user_id);
  if (!u) return {};  // unknown (or unreadable now): not cached
  std::lock_guard lock(emails_.mu);
  if (emails_.entries.size() >= EmailCache::kMax) emails_.entries.clear();
  emails_.entries.emplace(user_id, u->email);
  return u->email;
}

RecordView Admin::View(const Actor& a, Record r, const Summary& s) {
  RecordView v;
  v.name = s.name;
  v.business_function = s.business_function;
  v.first_activity = s.first_activity;
  v.questions_total = s.questions_total;
  v.questions_answered = s.questions_answered;
  if (!r.owner_user_id.empty()) v.owner_email = EmailOf(r.owner_user_id);
  if (!r.author_user_id.empty()) v.author_email = EmailOf(r.author_user_id);
  bool status_open = r.status != RecordStatus::kObsolete;
  v.editable = status_open && (a.Can(Permission::kEditRegister) ||
                               (a.Can(Permission::kEditAssigned) && r.owner_user_id == a.user_id &&
                                (r.kind == RecordKind::kTouchpoint || r.kind == RecordKind::kActivity)));
  v.approvable =
      r.status == RecordStatus::kInReview && a.Can(Permission::kApprove) && r.author_user_id != a.user_id;
  v.record = std::move(r);
  return v;
}

Result<RecordView> Admin::View(const Actor& a, Record r) {
  std::optional<Summary> s = summaries_.Find(r);
  if (!s) {
    s = Summarize(r);
    summaries_.Put(r, *s);
  }
  return View(a, std::move(r), *s);
}

Result<std::vector<std::optional<Admin::Summary>>> Admin::Summaries(const Actor& a,
                                                                    const std::vector<Record>& records) {
  std::vector<std::optional<Summary>> sums;
  summaries_.FindAll(records, sums);
  std::vector<size_t> missing;
  for (size_t i = 0; i < records.size(); ++i) {
    if (sums[i]) continue;
    if (!records[i].body.empty()) {
      sums[i] = Summarize(records[i]);
      summaries_.Put(records[i], *sums[i]);
    } else {
      missing.push_back(i);
    }
  }
  // Read the bodies of the records the cache does not know: one by one when
  // they are few (after a write), else the org's register once.
  constexpr size_t kOneByOne = 8;
  if (!missing.empty() && missing.size() <= kOneByOne) {
    for (size_t i : missing) {
      auto r = store_.GetRecord(a.org_id, records[i].kind, records[i].id);
      if (!r) {
        if (r.error().kind != ErrorKind::kNotFound) return std::unexpected(r.error());
        sums[i] = Summarize(records[i]);  // deleted meanwhile: the id as its name
        continue;
      }
      Summary s = Summarize(*r);
      summaries_.Put(*r, s);
      if (r->version == records[i].version)
        sums[i] = std::move(s);
      else
        sums[i] = Summarize(records[i]);
    }
  } else if (!missing.empty()) {
    auto all = store_.ListRecords(a.org_id);
    if (!all) return std::unexpected(all.error());
    std::unordered_map<std::string, const Record*> by_key;
    for (const Record& r : *all) by_key.emplace(SummaryCache::Key(r), &r);
    for (size_t i : missing) {
      auto it = by_key.find(SummaryCache::Key(records[i]));
      if (it != by_key.end()) {
        Summary s = Summarize(*it->second);
        summaries_.Put(*it->second, s);
        if (it->second->version == records[i].version) {
          sums[i] = std::move(s);
          continue;
        }
      }
      sums[i] = Summarize(records[i]);  // changed or deleted meanwhile
    }
  }
  return sums;
}

Result<std::vector<RecordView>> Admin::Views(const Actor& a, std::vector<Record> records) {
  auto sums = Summaries(a, records);
  if (!sums) return std::unexpected(sums.error());
  std::vector<RecordView> out;
  out.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) out.push_back(View(a, std::move(records[i]), *(*sums)[i]));
  return out;
}

Result<RecordPage> Admin::FindRecords(const Actor& a, store::RecordQuery q) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  // A page and its total in one query (FindRecords without a page: its size).
  Result<std::pair<std::vector<Record>, int64_t>> found;
  if (q.page) {
    found = store_.FindRecordsCounted(a.org_id, q);
  } else if (auto all = store_.FindRecords(a.org_id, q)) {
    const auto n = static_cast<int64_t>(all->size());
    found = std::pair{std::move(*all), n};
  } else {
    found = std::unexpected(all.error());
  }
  if (!found) return std::unexpected(found.error());
  RecordPage out;
  out.total = found->second;
  auto views = Views(a, std::move(found->first));
  if (!views) return std::unexpected(views.error());
  out.items = std::move(*views);
  return out;
}

Result<std::vector<RecordView>> Admin::Records(const Actor& a, std::optional<RecordKind> kind) {
  store::RecordQuery q;
  q.kind = kind;
  q.with_bodies = false;
  auto page = FindRecords(a, q);
  if (!page) return std::unexpected(page.error());
  return std::move(page->items);
}

Result<RecordView> Admin::GetRecord(const Actor& a, RecordKind kind, const std::string& id) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto r = store_.GetRecord(a.org_id, kind, id);
  if (!r) return std::unexpected(r.error());
  return View(a, std::move(*r));
}

Result<std::vector<RecordView>> Admin::MyQuestions(const Actor& a) {
  store::RecordQuery q;
  q.owner_user_id = a.user_id;
  q.open_only = true;
  auto page = FindRecords(a, q);
  if (!page) return std::unexpected(page.error());
  return std::move(page->items);
}

Dashboard Admin::CountDashboard(const DashboardEntry& e, const std::string& today) {
  Dashboard out;
  std::unordered_map<std::string_view, std::string_view> dept_of_activity;
  for (const auto& [key, row] : e.rows) {
    if (key.first == RecordKind::kOrganisation && row.name != key.second) out.controller = row.name;
    if (key.first == RecordKind::kActivity) dept_of_activity[key.second] = row.business_function;
  }
  std::map<std::string_view, DepartmentCounts> by_dept;
  for (const auto& [key, row] : e.rows) {
    if (key.first != RecordKind::kActivity && key.first != RecordKind::kTouchpoint) continue;
    if (row.status == RecordStatus::kObsolete) continue;
    std::string_view dept;
    if (key.first == RecordKind::kActivity) {
      dept = row.business_function;
    } else if (auto it = dept_of_activity.find(row.first_activity); it != dept_of_activity.end()) {
      dept = it->second;
    }
    DepartmentCounts& n = by_dept[dept];
    if (n.records == 0) n.department = std::string(dept);
    ++n.records;
    bool done = row.status == RecordStatus::kApproved || row.status == RecordStatus::kPublished ||
                (key.first == RecordKind::kTouchpoint && row.all_answered);
    if (done) {
      ++n.answered;
    } else {
      ++n.open;
      if (!row.due_date.empty() && row.due_date < today) ++n.overdue;
    }
  }
  for (auto& [dept, n] : by_dept) out.departments.push_back(std::move(n));
  return out;
}

Result<Dashboard> Admin::DashboardOf(const Actor& a, const std::string& today) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  std::shared_ptr<const DashboardEntry> cached;
  {
    std::lock_guard lock(dashboards_.mu);
    if (auto it = dashboards_.entries.find(a.org_id); it != dashboards_.entries.end()) cached = it->second;
  }
  // The records changed since the cached seq, or (no entry, too many
  // changes) the chain's seq and then every record. Read after the seq: a
  // change committed in between is read again next time, never missed.
  auto entry = std::make_shared<DashboardEntry>();
  store::RecordQuery q;
  q.with_bodies = false;
  bool incremental = false;
  if (cached) {
    auto changed = store_.ChangedSince(a.org_id, cached->seq, DashboardCache::kMaxChanged);
    if (!changed) return std::unexpected(changed.error());
    if (!changed->more) {
      if (changed->records.empty() && cached->day == today) return cached->counts;
      incremental = true;
      entry->seq = changed->head_seq;
      entry->rows = cached->rows;
      for (const auto& key : changed->records) entry->rows.erase(key);  // deleted ones stay out
      q.any_of_records = std::move(changed->records);
    }
  }
  if (!incremental) {
    auto head = store_.HistoryHead(a.org_id);
    if (!head) return std::unexpected(head.error());
    entry->seq = head->seq;
  }
  if (!incremental || !q.any_of_records.empty()) {
    // Record heads and their summaries only: the counts need no view (no
    // e-mails, no permissions per record).
    auto recs = store_.FindRecords(a.org_id, q);
    if (!recs) return std::unexpected(recs.error());
    auto sums = Summaries(a, *recs);
    if (!sums) return std::unexpected(sums.error());
    for (size_t i = 0; i < recs->size(); ++i) {
      Record& r = (*recs)[i];
      const Summary& sum = *(*sums)[i];
      DashboardRow row;
      row.status = r.status;
      row.due_date = std::move(r.due_date);
      row.name = sum.name;
      row.business_function = sum.business_function;
      row.first_activity = sum.first_activity;
      row.all_answered = sum.questions_answered == sum.questions_total;
      entry->rows[{r.kind, std::move(r.id)}] = std::move(row);
    }
  }
  entry->day = today;
  entry->counts = CountDashboard(*entry, today);
  Dashboard out = entry->counts;
  std::lock_guard lock(dashboards_.mu);
  auto& slot = dashboards_.entries[a.org_id];
  // Another request may have stored a newer one meanwhile: keep the newest.
  if (!slot || slot->seq <= entry->seq) {
    if (!slot && dashboards_.entries.size() > DashboardCache::kMaxOrgs) {
      dashboards_.entries.clear();
      dashboards_.entries[a.org_id] = std::move(entry);
    } else {
      slot = std::move(entry);
    }
  }
  return out;
}

Result<RecordView> Admin::UpdateRecord(const Actor& a, RecordKind kind, const std::string& id,
                                       int64_t expected_version, const std::string& body_json,
                                       const std::string& reason) {
  if (auto s = CheckSizes("the record", body_json.size(), reason); !s) return std::unexpected(s.error());
  auto current = GetRecord(a, kind, id);
  if (!current) return std::unexpected(current.error());
  return UpdateFrom(a, std::move(*current), expected_version, body_json, reason);
}

Result<RecordView> Admin::UpdateFrom(const Actor& a, RecordView current_view, int64_t expected_version,
                                     const std::string& body_json, const std::string& reason) {
  if (auto s = CheckSizes("the record", body_json.size(), reason); !s) return std::unexpected(s.error());
  const RecordKind kind = current_view.record.kind;
  const std::string id = current_view.record.id;
  const RecordView* current = &current_view;
  if (!current->editable) {
    if (a.Can(Permission::kEditAssigned) && !a.Can(Permission::kEditRegister))
      return Denied("this record is not assigned to you");
    return Denied("your role does not allow editing this record");
  }
  Json body = Json::parse(body_json, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return MakeError(ErrorKind::kParse, "the record is not a JSON object");
  if (kind != RecordKind::kOrganisation) {
    if (!body.contains("id") || !body["id"].is_string() || body["id"].get<std::string>() != id) {
      SourceLocation at;
      at.pointer = "/id";
      return MakeError(ErrorKind::kUsage, "the record's id cannot change", at, "\"id\": \"" + id + "\"");
    }
  }
  // Check the register with the change: references and vocabularies. The
  // register's checks are per item plus references from an item to others
  // (an id cannot change, so nothing that points at this record breaks). A
  // touchpoint or activity is therefore checked with what it can point at:
  // the organisation, processors, systems, processor records and, for a
  // touchpoint, the activities it names; parsing the other few hundred
  // records would find nothing new and made every answer cost a whole
  // register's parse. Other kinds are checked with the whole register.
  std::vector<Record> context;
  if (kind == RecordKind::kTouchpoint || kind == RecordKind::kActivity) {
    // One query: the kinds it can point at and the activities it names.
    store::RecordQuery q;
    q.any_of_kinds = {RecordKind::kOrganisation, RecordKind::kProcessor, RecordKind::kSystem,
                      RecordKind::kProcessorRecord};
    std::set<std::string> named_activities;
    if (kind == RecordKind::kTouchpoint && body.contains("activities") && body["activities"].is_array())
      for (const Json& x : body["activities"])
        if (x.is_string()) named_activities.insert(x.get<std::string>());
    for (const std::string& act : named_activities) q.any_of_records.emplace_back(RecordKind::kActivity, act);
    auto recs = store_.FindRecords(a.org_id, q);
    if (!recs) return std::unexpected(recs.error());
    context = std::move(*recs);
    Record self = current->record;
    self.body = body.dump();
    context.push_back(std::move(self));
  } else {
    auto recs = store_.ListRecords(a.org_id);
    if (!recs) return std::unexpected(recs.error());
    for (Record& r : *recs) {
      if (r.kind == kind && r.id == id) r.body = body.dump();
      context.push_back(std::move(r));
    }
  }
  auto loaded = ParseRegisterText(JoinRecords(context), "register");
  if (!loaded) {
    // The register the change was checked in is this server's own document:
    // the problem is placed in the body the caller gave (a JSON pointer).
    Error e = loaded.error().front();
    const std::string prefix = kind == RecordKind::kOrganisation
                                   ? std::string("organisation")
                                   : fmt::format("{}[{}]", store::RecordKindList(kind), id);
    std::optional<std::string> pointer;
    if (e.where.line > 0) {
      // A reader's line in the composed document: the value there, when it
      // is inside this record.
      const std::string text = JoinRecords(context);
      const Json doc = Json::parse(text, nullptr, false);
      const std::vector<std::string> lines = LinePointers(doc);
      std::string root = "/organisation";
      if (kind != RecordKind::kOrganisation) {
        const std::string list(store::RecordKindList(kind));
        const Json& items = doc.contains(list) ? doc[list] : Json::array();
        for (size_t i = 0; i < items.size(); ++i)
          if (items[i].is_object() && items[i].value("id", std::string()) == id)
            root = "/" + list + "/" + std::to_string(i);
      }
      if (e.where.line < lines.size()) {
        const std::string& at = lines[e.where.line];
        if (at == root || at.starts_with(root + "/")) pointer = at.substr(root.size());
      }
    } else {
      pointer = PointerInRecord(body, e.path, prefix);
    }
    e.where = {};
    e.source_line.clear();
    if (pointer && !pointer->empty()) e.where.pointer = *pointer;
    return std::unexpected(e);
  }
  // Canonical form: the item as the writer writes it (derived ids, order).
  std::string canonical = body.dump();
  for (const store::RecordChange& c : SplitRegister(loaded->reg))
    if (c.kind == kind && c.id == (kind == RecordKind::kOrganisation ? "organisation" : id))
      canonical = c.body;
  // An approved or published record goes back to draft before its body
  // changes, so every version marked published holds a published body (the
  // public register shows the last one).
  int64_t version = expected_version;
  const RecordStatus status = current->record.status;
  if ((status == RecordStatus::kApproved || status == RecordStatus::kPublished) &&
      canonical != current->record.body) {
    auto back = store_.SetStatus(a.org_id, kind, id, expected_version, RecordStatus::kDraft, a.user_id,
                                 "changed after approval");
    if (!back) return std::unexpected(back.error());
    version = back->version;
  }
  std::vector<store::RecordChange> changes = {{kind, id, version, canonical, reason}};
  auto applied = store_.ApplyChanges(a.org_id, a.user_id, changes);
  if (!applied) return std::unexpected(applied.error());
  Record r = applied->empty() ? current->record : applied->front();
  return View(a, std::move(r));
}

Result<RecordView> Admin::AnswerTouchpoint(const Actor& a, const std::string& id, int64_t expected_version,
                                           const std::string& answers_json, const std::string& reason) {
  auto current = GetRecord(a, RecordKind::kTouchpoint, id);
  if (!current) return std::unexpected(current.error());
  Json answers = Json::parse(answers_json, nullptr, false);
  if (answers.is_discarded() || !answers.is_object())
    return MakeError(ErrorKind::kParse, "the answers are not a JSON object");
  // A problem in the merged touchpoint is placed in the answers given
  // ("/answers/in_use" of the touchpoint is "/in_use" of the answers).
  auto in_answers = [](Result<RecordView> r) -> Result<RecordView> {
    if (r) return r;
    Error e = r.error();
    std::string& p = e.where.pointer;
    if (p == "/answers" || p.starts_with("/answers/"))
      p = p.substr(std::string_view("/answers").size());
    else
      p.clear();
    return std::unexpected(e);
  };
  Json body = Json::parse(current->record.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return MakeError(ErrorKind::kInternal, "stored touchpoint unreadable");
  Json merged = body.contains("answers") && body["answers"].is_object() ? body["answers"] : Json::object();
  for (auto it = answers.begin(); it != answers.end(); ++it) {
    bool empty = it.value().is_null() || (it.value().is_string() && it.value().get<std::string>().empty()) ||
                 (it.value().is_array() && it.value().empty());
    if (empty) {
      merged.erase(it.key());
    } else {
      merged[it.key()] = it.value();
    }
  }
  if (merged.empty()) {
    body.erase("answers");
  } else {
    body["answers"] = merged;
  }
  return in_answers(UpdateFrom(a, std::move(*current), expected_version, body.dump(), reason));
}

Result<RecordView> Admin::Assign(const Actor& a, RecordKind kind, const std::string& id,
                                 int64_t expected_version, const std::string& owner_email,
                                 const std::string& due_date) {
  if (auto s = Require(a, Permission::kAssign); !s) return std::unexpected(s.error());
  if (!due_date.empty() && !CalendarDate(due_date)) {
    Error e;
    e.kind = ErrorKind::kUsage;
    e.message = "due_date '" + (due_date.size() > 40 ? due_date.substr(0, 40) + "..." : due_date) +
                "' is not a date on the calendar";
    e.expected = "a date written YYYY-MM-DD, e.g. 2026-02-28";
    e.path = "due_date";
    return std::unexpected(e);
  }
  // Unassigning (no owner) clears the due date: a date nobody has to meet
  // would count as overdue on the dashboard. One sent with it is refused,
  // not dropped.
  if (owner_email.empty() && !due_date.empty())
    return AtPath(ErrorKind::kUsage, "a record without an owner has no due date", "due_date",
                  "no due_date when unassigning (it is cleared), or an owner with it");
  std::string owner_id;
  if (!owner_email.empty()) {
    // By e-mail address or user id (as the members routes name them). One
    // answer for an address without an account and one of another
    // organisation's user: the organisation's members are all it may learn.
    const bool by_id = owner_email.find('@') == std::string::npos;
    auto u = by_id ? store_.GetUser(owner_email) : store_.FindUserByEmail(Lower(owner_email));
    auto not_member = [&] {
      return AtPath(ErrorKind::kUsage, owner_email + " is not a member of this organisation", "owner",
                    "the e-mail address or user id of a member (GET .../members)");
    };
    if (!u) {
      if (u.error().kind == ErrorKind::kNotFound) return not_member();
      return std::unexpected(u.error());
    }
    auto ms = store_.MembershipsOfUser(u->id);
    if (!ms) return std::unexpected(ms.error());
    if (std::none_of(ms->begin(), ms->end(),
                     [&](const store::Membership& m) { return m.org_id == a.org_id; }))
      return not_member();
    // Only a member who can edit the record can answer it: a role with
    // edit_assigned or edit_register (not a dpo, approver or auditor).
    auto answers = [](Role r) {
      return RoleAllows(r, Permission::kEditAssigned) || RoleAllows(r, Permission::kEditRegister);
    };
    std::string roles;
    bool can_answer = false;
    for (const store::Membership& m : *ms) {
      if (m.org_id != a.org_id) continue;
      can_answer = can_answer || answers(m.role);
      roles += (roles.empty() ? "" : ", ") + std::string(store::RoleName(m.role));
    }
    if (!can_answer) {
      std::string allowed;
      for (Role r : store::AllRoles())
        if (answers(r)) allowed += (allowed.empty() ? "" : ", ") + std::string(store::RoleName(r));
      Error e;
      e.kind = ErrorKind::kUsage;
      e.message = owner_email + " cannot answer this record: their role in this organisation (" + roles +
                  ") does not allow editing it";
      e.expected = "a member with a role that can answer: " + allowed;
      e.path = "owner";
      return std::unexpected(e);
    }
    owner_id = u->id;
  }
  auto r = store_.Assign(a.org_id, kind, id, expected_version, owner_id, due_date, a.user_id);
  if (!r) return std::unexpected(r.error());
  return View(a, std::move(*r));
}

namespace {
// The first problem the org's register would have with the record (kind,
// id) in `status` (obsolete records are not in it); none when it reads.
Result<std::optional<Error>> ProblemWithStatus(store::Store& st, const std::string& org_id, RecordKind kind,
                                               const std::string& id, RecordStatus status) {
  auto recs = st.ListRecords(org_id);
  if (!recs) return std::unexpected(recs.error());
  for (Record& other : *recs)
    if (other.kind == kind && other.id == id) other.status = status;
  auto loaded = ParseRegisterText(JoinRecords(*recs), "register");
  if (loaded) return std::optional<Error>();
  return std::optional<Error>(loaded.error().front());
}
}  // namespace

Result<RecordView> Admin::Transition(const Actor& a, RecordKind kind, const std::string& id,
                                     int64_t expected_version, const std::string& step,
                                     const std::string& reason) {
  if (auto s = CheckSizes("", 0, reason); !s) return std::unexpected(s.error());
  // The import's own reasons mark what an import did (RetiredByImport reads them).
  if (reason == store::kNotInImportReason || reason == store::kBackInImportReason)
    return MakeError(ErrorKind::kUsage, "'" + reason + "' is the reason an import gives; give your own", {},
                     "why you take this step");
  auto current = GetRecord(a, kind, id);
  if (!current) return std::unexpected(current.error());
  const Record& r = current->record;
  RecordStatus to;
  std::optional<RecordStatus> from;
  if (step == "submit") {
    if (!current->editable) return Denied("only an editor of this record can submit it for review");
    from = RecordStatus::kDraft;
    to = RecordStatus::kInReview;
  } else if (step == "approve" || step == "reject") {
    if (auto s = Require(a, Permission::kApprove); !s) return std::unexpected(s.error());
    if (step == "approve") {
      // Four eyes: whoever wrote the content under review (the version that
      // introduced the current body, not the one that only submitted it) may not approve it.
      std::string content_author = r.author_user_id;
      for (int64_t v = r.version - 1; v >= 1; --v) {
        auto older = store_.GetRecordVersion(a.org_id, kind, id, v);
        if (!older || older->body != r.body) break;
        content_author = older->author_user_id;
      }
      if (content_author == a.user_id || r.author_user_id == a.user_id)
        return Denied("you made this version; another approver must approve it");
    }
    from = RecordStatus::kInReview;
    to = step == "approve" ? RecordStatus::kApproved : RecordStatus::kDraft;
  } else if (step == "publish") {
    if (auto s = Require(a, Permission::kPublish); !s) return std::unexpected(s.error());
    from = RecordStatus::kApproved;
    to = RecordStatus::kPublished;
  } else if (step == "reinstate") {
    if (auto s = Require(a, Permission::kPublish); !s) return std::unexpected(s.error());
    from = RecordStatus::kObsolete;
    to = RecordStatus::kDraft;
    // Back in the register, it must hold together with the others (what it
    // refers to may have gone meanwhile).
    if (r.status == RecordStatus::kObsolete) {
      auto problem = ProblemWithStatus(store_, a.org_id, kind, id, RecordStatus::kDraft);
      if (!problem) return std::unexpected(problem.error());
      if (*problem)
        return MakeError(ErrorKind::kConflict,
                         "'" + id + "' does not fit the register as it is now: " + (*problem)->message, {},
                         {}, "add or reinstate what it refers to first");
    }
  } else if (step == "obsolete") {
    if (auto s = Require(a, Permission::kPublish); !s) return std::unexpected(s.error());
    to = RecordStatus::kObsolete;
    if (r.status == RecordStatus::kObsolete) {
      // An import retired it: the privacy officer confirms, which takes its
      // published version out of the public register. Obsolete by a
      // decision already: nothing to do.
      if (!RetiredByImport(r))
        return MakeError(ErrorKind::kConflict, "'obsolete' needs a record that is not obsolete yet");
      auto done = store_.SetStatus(a.org_id, kind, id, expected_version, to, a.user_id, reason,
                                   /*record_unchanged=*/true);
      if (!done) return std::unexpected(done.error());
      return View(a, std::move(*done));
    }
    // The register without it must still hold together: a record others refer to stays.
    auto problem = ProblemWithStatus(store_, a.org_id, kind, id, RecordStatus::kObsolete);
    if (!problem) return std::unexpected(problem.error());
    if (*problem)
      return MakeError(ErrorKind::kConflict,
                       "other records still refer to '" + id + "': " + (*problem)->message, {}, {},
                       "change or retire those records first");
  } else {
    return MakeError(ErrorKind::kUsage, "unknown workflow step '" + step + "'", {},
                     "submit, approve, reject, publish, obsolete or reinstate");
  }
  if (from && r.status != *from)
    return MakeError(ErrorKind::kConflict,
                     fmt::format("'{}' needs a record in {}, this one is {}", step,
                                 store::RecordStatusName(*from), store::RecordStatusName(r.status)));
  auto done = store_.SetStatus(a.org_id, kind, id, expected_version, to, a.user_id, reason);
  if (!done) return std::unexpected(done.error());
  return View(a, std::move(*done));
}

bool Admin::RetiredByImport(const Record& r) {
  if (r.status != RecordStatus::kObsolete) return false;
  auto last = store_.History(r.org_id, store::Page{0, 1}, r.kind, r.id);
  if (!last || last->empty()) return false;
  const store::HistoryEntry& e = last->front();
  return e.version == r.version && e.field == "@status" && e.reason == store::kNotInImportReason;
}

// ---- audits ----

Result<store::AuditRun> Admin::RunAudit(const Actor& a, const std::vector<Upload>& hars) {
  if (auto s = Require(a, Permission::kRunAudit); !s) return std::unexpected(s.error());
  if (hars.empty())
    return MakeError(ErrorKind::kUsage, "upload at least one evidence file", {},
                     "a 'har' file part: a HAR, a DNS zone, a DMARC report, a GTM export, an ad-platform "
                     "export or a cookie declaration");
  auto reg = CurrentRegister(a.org_id);
  if (!reg) return std::unexpected(reg.error());
  MemEnv env;
  env.SetNow(store_.Now());
  app::AuditRequest req;
  if (!reg->empty()) {
    env.AddFile("/in/register.yaml", WriteRegisterYaml(*reg));
    req.register_path = "/in/register.yaml";
  }
  int n = 0;
  // The path each upload has in the MemEnv -> its name as the client sent it.
  std::vector<std::pair<std::string, std::string>> named;
  for (const Upload& u : hars) {
    std::string name;
    for (char c :
         u.name.substr(u.name.find_last_of('/') == std::string::npos ? 0 : u.name.find_last_of('/') + 1))
      name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
    if (name.empty() || name[0] == '.') name = "upload" + name;
    std::string path = fmt::format("/in/{}/{}", ++n, name);
    env.AddFile(path, u.content);
    req.evidence.push_back(path);
    named.emplace_back(path, u.name.empty() ? fmt::format("upload {}", n) : u.name);
  }
  return SaveAuditOf(a, env, req, named);
}

Result<store::AuditRun> Admin::SaveAuditOf(const Actor& a, MemEnv& env, app::AuditRequest& req,
                                           const std::vector<std::pair<std::string, std::string>>& named) {
  app::Options o = options_.app;
  o.env = &env;
  o.lang = a.lang;
  req.format = "json";
  auto out = app::Audit(o, req);
  if (!out) {
    // A HAR that does not read is named as it was uploaded, not by the
    // path this audit gave it.
    Error e = out.error().front();
    for (const auto& [path, name] : named) {
      if (e.where.file == path) e.where.file = name;
      for (std::string* text : {&e.message, &e.hint})
        for (size_t at = text->find(path); at != std::string::npos; at = text->find(path, at + name.size()))
          text->replace(at, path.size(), name);
    }
    return std::unexpected(e);
  }
  store::AuditRun run;
  run.id = "aud_" + auth::RandomHex(8);
  run.org_id = a.org_id;
  run.at = store_.Now();
  run.actor = a.user_id;
  run.report_json = std::move(out->output);
  // Each blind spot becomes a draft touchpoint with what was seen, for a
  // business owner to confirm or correct (when the actor may edit the
  // register). The audit stands whether or not that works: a failure is
  // kept in the summary, and nothing of it is half-written (ApplyChanges).
  std::vector<std::pair<std::string, std::string>> drafted;  // id, name
  std::string draft_error;
  if (a.Can(Permission::kEditRegister)) {
    auto made = DraftQuestions(a, out->result, run.id, run.at.substr(0, 10));
    if (made)
      drafted = std::move(*made);
    else
      draft_error = made.error().message;
  }
  // The counts as the report's summary gives them (an inferred touchpoint
  // apart, a registered one not seen apart), as JSON: pages say them in the
  // reader's language.
  const AuditResult::TouchpointCounts n = out->result.CountTouchpoints();
  Json summary = {{"detected", n.detected},
                  {"inferred", n.inferred},
                  {"not_seen", n.not_seen},
                  {"blind_spots", n.blind_spots},
                  {"findings", out->result.findings.size()},
                  {"high", out->result.CountAtLeast(Severity::kHigh)}};
  if (!drafted.empty()) {
    Json list = Json::array();
    for (const auto& [id, name] : drafted) list.push_back({{"id", id}, {"name", name}});
    summary["drafted"] = std::move(list);
  }
  if (!draft_error.empty()) summary["draft_error"] = draft_error;
  run.summary = summary.dump();
  if (auto s = store_.SaveAudit(run); !s) return std::unexpected(s.error());
  return run;
}

Result<std::vector<std::pair<std::string, std::string>>> Admin::DraftQuestions(const Actor& a,
                                                                               const AuditResult& result,
                                                                               const std::string& audit_id,
                                                                               const std::string& date) {
  auto recs = store_.ListRecords(a.org_id);
  if (!recs) return std::unexpected(recs.error());
  DraftOptions options{audit_id, date, {}};
  // A product a touchpoint record already has is not drafted again: a draft
  // its owner has not confirmed yet (still a blind spot in the report), or
  // one someone took out of the register (obsolete: theirs to bring back).
  std::set<std::string> decided;
  for (const Record& r : *recs) {
    if (r.kind != RecordKind::kTouchpoint) continue;
    options.taken_ids.push_back(r.id);
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_object()) decided.insert(body.value("product", std::string()));
  }
  Register only;
  for (Touchpoint& t : DraftTouchpoints(result, options))
    if (!decided.count(t.product)) only.touchpoints.push_back(std::move(t));
  if (only.touchpoints.empty()) return std::vector<std::pair<std::string, std::string>>{};
  std::vector<store::RecordChange> changes;
  std::vector<std::pair<std::string, std::string>> made;
  std::vector<Record> context = *recs;
  for (store::RecordChange& c : SplitRegister(only)) {
    if (c.kind != RecordKind::kTouchpoint) continue;
    c.reason = fmt::format("discovered by audit {}", audit_id);
    Record r;
    r.org_id = a.org_id;
    r.kind = c.kind;
    r.id = c.id;
    r.position = std::numeric_limits<int64_t>::max();
    r.body = c.body;
    context.push_back(std::move(r));
    changes.push_back(std::move(c));
  }
  for (const Touchpoint& t : only.touchpoints) made.emplace_back(t.id, t.name);
  // The register must hold together with them (it does unless the register
  // changed in a way no draft foresaw): then all are made, or none.
  if (auto check = ParseRegisterText(JoinRecords(context), "register"); !check)
    return std::unexpected(check.error().front());
  auto applied = store_.ApplyChanges(a.org_id, a.user_id, changes);
  if (!applied) return std::unexpected(applied.error());
  for (const Record& r : *applied) Remember(r);
  return made;
}

Result<store::AuditRun> Admin::LatestAudit(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  return store_.LatestAudit(a.org_id);
}

// ---- history ----

Result<std::vector<store::HistoryEntry>> Admin::History(const Actor& a, const store::Page& page) {
  if (auto s = Require(a, Permission::kReadHistory); !s) return std::unexpected(s.error());
  return store_.History(a.org_id, page);
}

Result<std::vector<store::HistoryEntry>> Admin::RecordHistory(const Actor& a, RecordKind kind,
                                                              const std::string& id,
                                                              const store::Page& page) {
  if (auto s = Require(a, Permission::kReadHistory); !s) return std::unexpected(s.error());
  return store_.History(a.org_id, page, kind, id);
}

Status Admin::SetLanguage(const std::string& user_id, const std::string& lang) {
  if (lang != "en" && lang != "nl" && lang != "de")
    return MakeError(ErrorKind::kUsage, "'" + lang + "' is not a language of blindspot", {}, "en, nl or de");
  return store_.SetUserLang(user_id, lang);
}

Status Admin::ChangePassword(const store::Session& s, const std::string& current, const std::string& fresh,
                             const std::string& remote) {
  auto u = store_.GetUser(s.user_id);
  if (!u) return AuthError("not logged in");
  auto log = [&](const std::string& event, const std::string& detail) {
    LogForUser(u->id, u->email, event, detail, remote);
  };
  // What is missing or not allowed is said before the current password is
  // checked, and not counted as a wrong one.
  if (current.empty())
    return AtPath(ErrorKind::kUsage, "the current password is missing", "current_password",
                  "your current password");
  if (auto ok = auth::CheckNewPassword(fresh, u->email); !ok) {
    Error e = ok.error();
    e.path = "new_password";
    return std::unexpected(std::move(e));
  }
  if (int64_t wait = client_throttle_.RetryAfter(remote); wait > 0) {
    log("password_change_throttled", "");
    return AtPath(ErrorKind::kDenied,
                  fmt::format("too many failed attempts from this address; try again in {} seconds", wait),
                  "current_password");
  }
  const int64_t now = UnixNow();
  if (!u->locked_until.empty() && IsoToUnix(u->locked_until) > now) {
    (void)auth::VerifyPassword(auth::DummyPasswordHash(), current);  // the time of a check
    client_throttle_.Failure(remote);
    log("password_change_failed", "locked until " + u->locked_until);
    return AtPath(ErrorKind::kDenied,
                  "the account is locked after too many wrong passwords until " + u->locked_until + " (UTC)",
                  "current_password", {}, "try again later");
  }
  if (!auth::VerifyPassword(u->password_hash, current)) {
    if (CountPasswordFailure(*u, now, remote))
      log("login_locked", "after " + std::to_string(options_.max_login_failures) + " failures");
    log("password_change_failed", "wrong current password");
    return AtPath(ErrorKind::kDenied,
                  fmt::format("that is not your current password (after {} wrong passwords the account is "
                              "locked for {} minutes)",
                              options_.max_login_failures, options_.lockout_minutes),
                  "current_password");
  }
  if (fresh == current)
    return AtPath(ErrorKind::kUsage, "the new password is the current one", "new_password",
                  "another password of at least 12 characters");
  auto hash = auth::HashPassword(fresh);
  if (!hash) {
    Error e = hash.error();
    e.path = "new_password";
    return std::unexpected(std::move(e));
  }
  if (auto st = store_.SetPasswordHash(u->id, *hash, false); !st) return st;
  (void)store_.UpdateUserSecurity(u->id, 0, "");
  client_throttle_.Success(remote);
  // Every other session ends (one opened with the old password by someone
  // else among them): all of them, then this one again.
  if (auto st = store_.DeleteSessionsOfUser(u->id); !st) return st;
  if (auto st = store_.CreateSession(s); !st) return st;
  log("password_changed", "other sessions ended; API tokens kept");
  return {};
}

Result<std::vector<store::FieldChange>> Admin::CompareVersions(const Actor& a, RecordKind kind,
                                                               const std::string& id, int64_t from,
                                                               int64_t to) {
  if (auto s = Require(a, Permission::kReadHistory); !s) return std::unexpected(s.error());
  auto f = store_.GetRecordVersion(a.org_id, kind, id, from);
  if (!f) return std::unexpected(f.error());
  auto t = store_.GetRecordVersion(a.org_id, kind, id, to);
  if (!t) return std::unexpected(t.error());
  return store::DiffJson(f->body, t->body);
}

Result<std::vector<store::SecurityEvent>> Admin::SecurityLog(const Actor& a, const store::Page& page) {
  if (auto s = Require(a, Permission::kReadSecurityLog); !s) return std::unexpected(s.error());
  return store_.SecurityLog(a.org_id, page);
}

// ---- tokens and members ----

Result<std::vector<TokenView>> Admin::Tokens(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto tokens = store_.ListApiTokens(a.org_id);
  if (!tokens) return std::unexpected(tokens.error());
  // Without kManageTokens a member sees (and revokes) only its own tokens.
  if (!a.Can(Permission::kManageTokens))
    std::erase_if(*tokens, [&](const store::ApiToken& t) { return t.user_id != a.user_id; });
  auto ms = store_.MembershipsOfOrg(a.org_id);
  if (!ms) return std::unexpected(ms.error());
  std::map<std::string, std::string> emails;
  std::vector<TokenView> out;
  for (store::ApiToken& t : *tokens) {
    TokenView v;
    auto it = emails.find(t.user_id);
    if (it == emails.end()) {
      auto u = store_.GetUser(t.user_id);
      it = emails.emplace(t.user_id, u ? u->email : std::string()).first;
    }
    v.email = it->second;
    for (const store::Membership& m : *ms)
      if (m.user_id == t.user_id) v.roles.push_back(m.role);
    if (!t.role.empty()) {  // a token with a role acts with it alone, while its member has it
      auto own = store::ParseRole(t.role);
      const bool has = own && std::find(v.roles.begin(), v.roles.end(), *own) != v.roles.end();
      v.roles.clear();
      if (has) v.roles.push_back(*own);
    }
    v.token = std::move(t);
    out.push_back(std::move(v));
  }
  return out;
}

Status Admin::RevokeToken(const Actor& a, const std::string& token_id) {
  if (auto s = Require(a, Permission::kRead); !s) return s;
  if (!a.Can(Permission::kManageTokens)) {
    // Only its own: another member's token is not found (its id tells nothing).
    auto tokens = store_.ListApiTokens(a.org_id);
    if (!tokens) return std::unexpected(tokens.error());
    if (std::none_of(tokens->begin(), tokens->end(),
                     [&](const store::ApiToken& t) { return t.id == token_id && t.user_id == a.user_id; }))
      return MakeError(ErrorKind::kNotFound, "no API token " + token_id + " of yours");
  }
  if (auto s = store_.RevokeApiToken(a.org_id, token_id); !s) return s;
  (void)store_.LogSecurity({store_.Now(), a.org_id, a.email, "token_revoked", token_id, ""});
  return {};
}

Result<std::vector<std::pair<store::Membership, std::string>>> Admin::Members(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto ms = store_.MembershipsOfOrg(a.org_id);
  if (!ms) return std::unexpected(ms.error());
  std::vector<std::pair<store::Membership, std::string>> out;
  for (const store::Membership& m : *ms) {
    auto u = store_.GetUser(m.user_id);
    out.push_back({m, u ? u->email : m.user_id});
  }
  return out;
}

namespace {

std::string RolesText(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : ",") + std::string(store::RoleName(r));
  return out;
}

// The roles in AllRoles() order, each once; kUsage when there are none.
Result<std::vector<Role>> CheckRoles(const std::vector<Role>& in) {
  std::vector<Role> out;
  for (Role r : store::AllRoles())
    if (std::find(in.begin(), in.end(), r) != in.end()) out.push_back(r);
  if (out.empty())
    return AtPath(ErrorKind::kUsage, "give the member at least one role", "roles",
                  "admin, privacy_officer, dpo, business_owner, approver or auditor");
  return out;
}

}  // namespace

void Admin::Log(const Actor& a, const std::string& email, std::string event, std::string detail) {
  (void)store_.LogSecurity({store_.Now(), a.org_id, email, std::move(event),
                            std::move(detail) + " (by " + a.email + ")", a.remote});
}

void Admin::LogForUser(const std::string& user_id, const std::string& email, const std::string& event,
                       const std::string& detail, const std::string& remote) {
  auto ms = store_.MembershipsOfUser(user_id);
  std::vector<std::string> seen;
  for (const store::Membership& m : ms ? *ms : std::vector<store::Membership>{}) {
    if (std::find(seen.begin(), seen.end(), m.org_id) != seen.end()) continue;
    seen.push_back(m.org_id);
    (void)store_.LogSecurity({store_.Now(), m.org_id, email, event, detail, remote});
  }
  if (seen.empty()) (void)store_.LogSecurity({store_.Now(), "", email, event, detail, remote});
}

Result<std::vector<Member>> Admin::MemberList(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto ms = store_.MembershipsOfOrg(a.org_id);
  if (!ms) return std::unexpected(ms.error());
  std::map<std::string, Member> by_user;
  for (const store::Membership& m : *ms) {
    Member& mem = by_user[m.user_id];
    if (mem.user_id.empty()) {
      mem.user_id = m.user_id;
      auto u = store_.GetUser(m.user_id);
      if (!u) return std::unexpected(u.error());
      mem.email = u->email;
      mem.second_factor = !u->totp_secret.empty();
    }
    mem.roles.push_back(m.role);
  }
  std::vector<Member> out;
  for (auto& [id, m] : by_user) {
    std::vector<Role> sorted;
    for (Role r : store::AllRoles())
      if (std::find(m.roles.begin(), m.roles.end(), r) != m.roles.end()) sorted.push_back(r);
    m.roles = std::move(sorted);
    m.needs_second_factor = std::any_of(m.roles.begin(), m.roles.end(), [](Role r) {
      return r == Role::kAdmin || r == Role::kPrivacyOfficer;
    });
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const Member& x, const Member& y) { return x.email < y.email; });
  return out;
}

Result<Member> Admin::FindMember(const Actor& a, const std::string& user_id) {
  auto all = MemberList(a);
  if (!all) return std::unexpected(all.error());
  for (Member& m : *all)
    if (m.user_id == user_id) return std::move(m);
  return MakeError(ErrorKind::kNotFound, "no member '" + user_id + "' in this organisation", {},
                   "the id of a member (GET .../members)");
}

Result<AddedMember> Admin::AddMember(const Actor& a, const std::string& email_in,
                                     const std::vector<Role>& roles_in, const std::string& password) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return std::unexpected(s.error());
  const std::string email = Lower(email_in);
  if (!PlausibleEmail(email))
    return AtPath(ErrorKind::kUsage, "'" + email_in.substr(0, 254) + "' is not an e-mail address", "email",
                  "name@example.nl");
  auto roles = CheckRoles(roles_in);
  if (!roles) return std::unexpected(roles.error());
  AddedMember out;
  std::string pw = password;
  if (pw.empty()) {
    // 18 random bytes as base64url: 24 characters, 144 bits.
    pw = auth::RandomToken(18);
    out.initial_password = pw;
  }
  // Checked and hashed whether or not the address has an account: the same
  // rules, the same answer, about the same time.
  auto hash = auth::HashPassword(pw);
  if (!hash) {
    Error e = hash.error();
    e.path = "password";
    return std::unexpected(std::move(e));
  }
  store::User user;
  auto existing = store_.FindUserByEmail(email);
  if (existing) {
    // Its own password stays; the one given is ignored.
    user = *existing;
    auto ms = store_.MembershipsOfUser(user.id);
    if (!ms) return std::unexpected(ms.error());
    if (std::any_of(ms->begin(), ms->end(), [&](const store::Membership& m) { return m.org_id == a.org_id; }))
      return MakeError(ErrorKind::kConflict, email + " is a member already", {}, {},
                       "change the member's roles instead");
  } else if (existing.error().kind != ErrorKind::kNotFound) {
    return std::unexpected(existing.error());
  } else {
    // The admin chose or saw the password: the user replaces it at its first login.
    auto u = store_.CreateUser(email, *hash, /*must_change=*/true);
    if (!u) return std::unexpected(u.error());
    user = *u;
  }
  store::Invitation inv{a.org_id, user.id, *roles, a.user_id, store_.Now()};
  if (auto s = store_.CreateInvitation(inv); !s) {
    if (s.error().kind == ErrorKind::kConflict)
      return MakeError(ErrorKind::kConflict, email + " has a pending invitation already", {}, {},
                       "revoke it first to invite with other roles");
    return std::unexpected(s.error());
  }
  out.invitation.invitation = std::move(inv);
  out.invitation.email = user.email;
  out.invitation.invited_by_email = a.email;
  if (auto org = Org(a.org_id); org) out.invitation.org_name = org->name;
  // No word of whether the account is new: the log's readers are no wiser than the admin.
  Log(a, user.email, "member_invited", RolesText(*roles));
  return out;
}

Result<std::vector<InvitationView>> Admin::ViewsOf(const std::vector<store::Invitation>& invitations) {
  std::vector<InvitationView> out;
  for (const store::Invitation& i : invitations) {
    InvitationView v;
    v.invitation = i;
    auto org = Org(i.org_id);
    if (!org) return std::unexpected(org.error());
    v.org_name = org->name;
    v.email = EmailOf(i.user_id);
    v.invited_by_email = EmailOf(i.invited_by);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<InvitationView>> Admin::OrgInvitations(const Actor& a) {
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  auto is = store_.InvitationsOfOrg(a.org_id);
  if (!is) return std::unexpected(is.error());
  return ViewsOf(*is);
}

Result<InvitationView> Admin::FindInvitation(const std::string& org_id, const std::string& user_id) {
  auto mine = MyInvitations(user_id);
  if (!mine) return std::unexpected(mine.error());
  for (InvitationView& v : *mine)
    if (v.invitation.org_id == org_id) return std::move(v);
  return MakeError(ErrorKind::kNotFound, "no pending invitation to organisation '" + org_id + "'", {},
                   "the id of an organisation that invited you (GET /api/v1/account/invitations)");
}

Status Admin::RevokeInvitation(const Actor& a, const std::string& user_id) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return s;
  auto v = FindInvitation(a.org_id, user_id);
  if (!v)
    return MakeError(ErrorKind::kNotFound, "no pending invitation of '" + user_id + "' in this organisation",
                     {}, "the user id of a pending invitation (GET .../members)");
  if (auto s = store_.DeleteInvitation(a.org_id, user_id); !s) return s;
  Log(a, v->email, "invitation_revoked", RolesText(v->invitation.roles));
  return {};
}

Result<std::vector<InvitationView>> Admin::MyInvitations(const std::string& user_id) {
  auto is = store_.InvitationsOfUser(user_id);
  if (!is) return std::unexpected(is.error());
  return ViewsOf(*is);
}

Status Admin::AcceptInvitation(const store::Session& s, const std::string& org_id,
                               const std::string& remote) {
  auto v = FindInvitation(org_id, s.user_id);
  if (!v) return std::unexpected(v.error());
  auto done = store_.AcceptInvitation(org_id, s.user_id);
  if (!done) return std::unexpected(done.error());
  (void)store_.LogSecurity({store_.Now(), org_id, v->email, "invitation_accepted",
                            RolesText(done->roles) + " (invited by " + v->invited_by_email + ")", remote});
  return {};
}

Status Admin::DeclineInvitation(const store::Session& s, const std::string& org_id,
                                const std::string& remote) {
  auto v = FindInvitation(org_id, s.user_id);
  if (!v) return std::unexpected(v.error());
  if (auto d = store_.DeleteInvitation(org_id, s.user_id); !d) return d;
  (void)store_.LogSecurity({store_.Now(), org_id, v->email, "invitation_declined",
                            RolesText(v->invitation.roles) + " (invited by " + v->invited_by_email + ")",
                            remote});
  return {};
}

Status Admin::SetMemberRoles(const Actor& a, const std::string& user_id, const std::vector<Role>& roles_in) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return s;
  auto roles = CheckRoles(roles_in);
  if (!roles) return std::unexpected(roles.error());
  auto m = FindMember(a, user_id);
  if (!m) return std::unexpected(m.error());
  if (auto s = store_.SetMemberRoles(a.org_id, user_id, *roles); !s) return s;
  Log(a, m->email, "member_roles_changed", RolesText(m->roles) + " -> " + RolesText(*roles));
  return {};
}

Status Admin::RemoveMember(const Actor& a, const std::string& user_id) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return s;
  auto m = FindMember(a, user_id);
  if (!m) return std::unexpected(m.error());
  if (auto s = store_.SetMemberRoles(a.org_id, user_id, {}); !s) return s;
  Log(a, m->email, "member_removed", RolesText(m->roles));
  return {};
}

Result<NewToken> Admin::CreateToken(const Actor& a, const std::string& user_id, const std::string& name,
                                    Role role) {
  // Every member may make a token for itself, with one of its own roles.
  if (auto s = Require(a, Permission::kRead); !s) return std::unexpected(s.error());
  if (name.empty() || name.size() > 200)
    return AtPath(ErrorKind::kUsage, "the token needs a name", "name", "1 to 200 characters, e.g. \"ci\"");
  auto m = FindMember(a, user_id.empty() ? a.user_id : user_id);  // none named: the maker's own
  if (!m) return std::unexpected(m.error());
  // A token acts as its member: one made for somebody else would let its
  // maker act as them (approve its own change with an approver's token,
  // answer as a business owner). The server's operator can still make one
  // for any member with `blindspot token add`.
  if (m->user_id != a.user_id)
    return AtPath(ErrorKind::kDenied,
                  fmt::format("an API token acts as the member who makes it, not as {}", m->email), "user",
                  "your own user id (" + a.user_id + "); " + m->email + " can make one for themselves");
  if (std::find(m->roles.begin(), m->roles.end(), role) == m->roles.end())
    return AtPath(ErrorKind::kUsage,
                  fmt::format("{} does not have the role '{}' here", m->email, store::RoleName(role)), "role",
                  "one of the member's roles: " + RolesText(m->roles));
  for (Permission p : AllPermissions())
    if (RoleAllows(role, p) && !a.Can(p))
      return Denied(fmt::format("a token with the role '{}' could do more than you may ('{}')",
                                store::RoleName(role), PermissionName(p)));
  NewToken out;
  out.secret = "bst_" + auth::RandomToken(32);
  store::ApiToken& t = out.token;
  t.id = "tok_" + auth::RandomHex(8);
  t.org_id = a.org_id;
  t.user_id = m->user_id;
  t.name = name;
  t.role = std::string(store::RoleName(role));
  t.created_at = store_.Now();
  store::ApiToken stored = t;
  stored.token_hash = auth::HashSecret(out.secret);
  if (auto s = store_.CreateApiToken(stored); !s) return std::unexpected(s.error());
  out.email = m->email;
  Log(a, m->email, "token_added", t.id + " " + name + " as " + t.role);
  return out;
}

Status Admin::ResetSecondFactor(const Actor& a, const std::string& user_id) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return s;
  auto m = FindMember(a, user_id);
  if (!m) return std::unexpected(m.error());
  if (auto s = AdministersEveryOrgOf(a, *m); !s) return s;
  if (auto s = store_.SetTotpSecret(user_id, ""); !s) return s;
  if (auto s = store_.DeleteSessionsOfUser(user_id); !s) return s;
  Log(a, m->email, "totp_reset", "second factor cleared, sessions ended");
  return {};
}

Status Admin::AdministersEveryOrgOf(const Actor& a, const Member& m) {
  // The user's password and second factor guard all its organisations:
  // only one who administers each of them may take them away.
  auto theirs = store_.MembershipsOfUser(m.user_id);
  if (!theirs) return std::unexpected(theirs.error());
  auto mine = store_.MembershipsOfUser(a.user_id);
  if (!mine) return std::unexpected(mine.error());
  for (const store::Membership& t : *theirs) {
    bool admin_there = std::any_of(mine->begin(), mine->end(), [&](const store::Membership& x) {
      return x.org_id == t.org_id && x.role == Role::kAdmin;
    });
    if (!admin_there) return Denied(m.email + " is also a member of an organisation you do not administer");
  }
  return {};
}

Status Admin::SetOneTimePassword(const store::User& u, const std::string& password) {
  auto hash = auth::HashPassword(password);
  if (!hash) {
    Error e = hash.error();
    e.path = "password";
    return std::unexpected(std::move(e));
  }
  if (auto s = store_.SetPasswordHash(u.id, *hash, /*must_change=*/true); !s) return s;
  if (auto s = store_.UpdateUserSecurity(u.id, 0, ""); !s) return s;
  return store_.DeleteSessionsOfUser(u.id);
}

Result<std::string> Admin::ResetPassword(const Actor& a, const std::string& user_id,
                                         const std::string& password) {
  if (auto s = Require(a, Permission::kManageMembers); !s) return std::unexpected(s.error());
  auto m = FindMember(a, user_id);
  if (!m) return std::unexpected(m.error());
  if (m->user_id == a.user_id)
    return AtPath(ErrorKind::kUsage, "this resets another member's password, not your own", "user", {},
                  "change your own password with your current one (/account/password)");
  if (auto s = AdministersEveryOrgOf(a, *m); !s) return std::unexpected(s.error());
  auto u = store_.GetUser(user_id);
  if (!u) return std::unexpected(u.error());
  // 18 random bytes as base64url: 24 characters, 144 bits (as AddMember's initial password).
  const std::string pw = password.empty() ? auth::RandomToken(18) : password;
  if (auto s = SetOneTimePassword(*u, pw); !s) return std::unexpected(s.error());
  Log(a, m->email, "password_reset", "one-time password set, sessions ended");
  return password.empty() ? pw : std::string();
}

Status Admin::ResetPasswordByOperator(const std::string& email_in, const std::string& password) {
  const std::string email = Lower(email_in);
  auto u = store_.FindUserByEmail(email);
  if (!u) {
    if (u.error().kind != ErrorKind::kNotFound) return std::unexpected(u.error());
    return MakeError(ErrorKind::kNotFound, "no user with the e-mail address '" + email + "'", {}, {},
                     "check the address; blindspot user add adds a user");
  }
  if (password.empty())
    return MakeError(ErrorKind::kUsage, "the one-time password is empty", {},
                     "a password of at least 12 characters on standard input",
                     "echo 'a long password' | blindspot user reset-password ... --password-stdin");
  if (auto s = SetOneTimePassword(*u, password); !s) return s;
  LogForUser(u->id, u->email, "password_reset", "one-time password set, sessions ended (by cli)", "cli");
  return {};
}

Result<TotpEnrolment> Admin::StartTotpEnrolment(const store::Session& s) {
  auto u = store_.GetUser(s.user_id);
  if (!u) return AuthError("not logged in");
  auto ms = store_.MembershipsOfUser(u->id);
  if (!ms) return std::unexpected(ms.error());
  if (!u->totp_secret.empty())
    return MakeError(ErrorKind::kConflict, "you have a second factor already", {}, {},
                     "an admin of your organisation can reset it");
  if (!NeedsSecondFactor(*ms))
    return MakeError(ErrorKind::kUsage, "your roles do not need a second factor", {}, {}, "");
  TotpEnrolment out;
  out.secret = auth::NewTotpSecret();
  out.uri = auth::TotpUri(options_.issuer, u->email, out.secret);
  out.mac = EnrolMac(s, out.secret);
  return out;
}

Status Admin::EnrolTotp(const store::Session& s, const std::string& secret, const std::string& mac,
                        const std::string& code, const std::string& remote) {
  auto en = StartTotpEnrolment(s);  // the same checks: logged in, needs one, has none
  if (!en) return std::unexpected(en.error());
  auto u = store_.GetUser(s.user_id);
  if (!u) return AuthError("not logged in");
  // A secret of the size NewTotpSecret makes (20 bytes: 32 base32 digits).
  if (secret.size() != 32 ||
      secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != std::string::npos ||
      !auth::SecretsEqual(mac, EnrolMac(s, secret)))
    return AtPath(ErrorKind::kUsage, "the form's secret is not one this page made", "secret",
                  "reload the page and scan its code again");
  int64_t step = totp_steps_.Last(u->id);
  std::vector<std::string> orgs;
  if (auto ms = store_.MembershipsOfUser(u->id); ms)
    for (const store::Membership& m : *ms)
      if (std::find(orgs.begin(), orgs.end(), m.org_id) == orgs.end()) orgs.push_back(m.org_id);
  auto log = [&](const char* event, const std::string& detail) {
    for (const std::string& org : orgs)
      (void)store_.LogSecurity({store_.Now(), org, u->email, event, detail, remote});
  };
  if (!auth::VerifyTotp(secret, code, UnixNow(), &step)) {
    log("totp_failed", "enrolment: wrong code");
    return AuthError(
        "that is not the current code of this secret; check the clock of your phone and try again");
  }
  totp_steps_.Set(u->id, step);
  if (auto st = store_.SetTotpSecret(u->id, secret); !st) return st;
  if (auto st = store_.TouchSession(s.token_hash, UnixToIso(UnixNow()), true); !st) return st;
  log("totp_enrolled", "");
  return {};
}

// ---- evidence bundles as uploads ----

Result<store::AuditRun> Admin::RunBundleAudit(const Actor& a, std::string_view zip, const ZipLimits& limits) {
  if (auto s = Require(a, Permission::kRunAudit); !s) return std::unexpected(s.error());
  auto files = ReadZip(zip, limits);
  if (!files) return std::unexpected(files.error());
  // The bundle is the zip's root, or its one top-level folder (a zip of the folder itself).
  std::string prefix;
  bool at_root =
      std::any_of(files->begin(), files->end(), [](const Upload& u) { return u.name == "manifest.json"; });
  if (!at_root && !files->empty()) {
    std::string first = files->front().name.substr(0, files->front().name.find('/') + 1);
    bool one_folder =
        !first.empty() && first.back() == '/' &&
        std::all_of(files->begin(), files->end(), [&](const Upload& u) { return u.name.starts_with(first); });
    if (one_folder) prefix = first;
    if (!one_folder || std::none_of(files->begin(), files->end(),
                                    [&](const Upload& u) { return u.name == prefix + "manifest.json"; }))
      return AtPath(ErrorKind::kUsage, "the zip holds no evidence bundle: no manifest.json", "bundle",
                    "a zip of the folder `blindspot scan --out DIR` wrote (manifest.json at its root or in "
                    "its one folder)");
  }
  if (files->empty())
    return AtPath(ErrorKind::kUsage, "the zip is empty", "bundle", "a zip of an evidence bundle's folder");
  auto reg = CurrentRegister(a.org_id);
  if (!reg) return std::unexpected(reg.error());
  MemEnv env;
  env.SetNow(store_.Now());
  const std::string dir = "/in/bundle";
  std::set<std::string> dirs = {"/in", dir};
  for (Upload& f : *files) {
    std::string rel = f.name.substr(prefix.size());
    for (size_t p = rel.find('/'); p != std::string::npos; p = rel.find('/', p + 1))
      dirs.insert(dir + "/" + rel.substr(0, p));
    env.AddFile(dir + "/" + rel, std::move(f.content));
  }
  for (const std::string& d : dirs) env.AddDirectory(d);
  app::Options o = options_.app;
  o.env = &env;
  auto check = app::VerifyBundle(o, dir);
  if (!check) {
    Error e = check.error();
    e.path = "bundle";
    return std::unexpected(std::move(e));
  }
  if (!check->intact()) {
    std::string what;
    size_t shown = 0;
    for (const FileCheck& f : check->files) {
      if (f.state == FileState::kOk) continue;
      if (++shown <= 5) what += (what.empty() ? "" : ", ") + f.path + " " + std::string(ToString(f.state));
    }
    if (shown > 5) what += fmt::format(" and {} more", shown - 5);
    return AtPath(ErrorKind::kUsage, "the bundle does not match its manifest: " + what, "bundle", {},
                  "upload the bundle as the scan wrote it (blindspot verify DIR shows what changed)");
  }
  app::AuditRequest req;
  if (!reg->empty()) {
    env.AddFile("/in/register.yaml", WriteRegisterYaml(*reg));
    req.register_path = "/in/register.yaml";
  }
  req.bundles.push_back(dir);
  return SaveAuditOf(a, env, req);
}

}  // namespace blindspot::admin

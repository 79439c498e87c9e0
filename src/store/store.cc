// Store over a small pool of Db connections: the repository of the privacy
// administration. Every write runs in one transaction (write.h's Write); a
// record write first locks its organisation's row, which serialises the
// writers of one organisation (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
// BEGIN IMMEDIATE already does), so versions are checked and history seqs
// allocated without races.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "db_internal.h"

namespace blindspot::store {
namespace {

using Json = nlohmann::ordered_json;
const std::string kZeroHash(64, '0');

// ---- the pool -------------------------------------------------------------------

class Pool {
 public:
  Pool(std::string url, int max) : url_(std::move(url)), max_(std::max(1, max)) {}

  class Lease {
   public:
    Lease(Pool* p, std::unique_ptr<Db> db) : pool_(p), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Release(std::move(db_));
    }
    Db& operator*() { return *db_; }
    Db* operator->() { return db_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Db> db_;
  };

  void Add(std::unique_ptr<Db> db) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(db));
    ++open_;
  }

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
    ++open_;
    lock.unlock();
    auto db = OpenDb(url_);
    if (!db) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return std::unexpected(db.error());
    }
    return Lease(this, std::move(*db));
  }

 private:
  void Release(std::unique_ptr<Db> db) {
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(db));
    }
    cv_.notify_one();
  }

  std::string url_;
  int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Db>> idle_;
  int open_ = 0;
};

// ---- row mapping -------------------------------------------------------------------

constexpr std::string_view kRecordCols =
    "org_id, kind, id, position, version, status, owner_user_id, author_user_id, due_date, body, updated_at";
// The same columns with an empty body (lists that do not need bodies).
constexpr std::string_view kRecordHeadCols =
    "org_id, kind, id, position, version, status, owner_user_id, author_user_id, due_date, '', updated_at";
constexpr std::string_view kHistoryCols =
    "org_id, seq, at, actor, kind, record_id, version, field, old_value, new_value, reason, prev_hash, hash";
constexpr std::string_view kUserCols =
    "id, email, password_hash, totp_secret, failed_logins, locked_until, created_at, lang, "
    "must_change_password";
// How many columns kUserCols names.
constexpr size_t kUserColCount = 9;
constexpr std::string_view kTokenCols = "id, org_id, user_id, name, token_hash, created_at, revoked_at, role";
constexpr std::string_view kAuditCols = "id, org_id, at, actor, summary, report_json";

std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s += p;
  return s;
}

// A record from its row (kRecordCols), moving the text columns out of a row
// that is not used again.
Record ToRecord(Row&& r) {
  auto take = [&](size_t i) {
    if (auto* s = std::get_if<std::string>(&r.cols.at(i))) return std::move(*s);
    return std::string();
  };
  Record x;
  x.org_id = take(0);
  x.kind = ParseRecordKind(r.Text(1)).value_or(RecordKind::kActivity);
  x.id = take(2);
  x.position = r.Int(3);
  x.version = r.Int(4);
  x.status = ParseRecordStatus(r.Text(5)).value_or(RecordStatus::kDraft);
  x.owner_user_id = take(6);
  x.author_user_id = take(7);
  x.due_date = take(8);
  x.body = take(9);
  x.updated_at = take(10);
  return x;
}

Record ToRecord(const Row& r) {
  Row copy = r;
  return ToRecord(std::move(copy));
}

HistoryEntry ToEntry(const Row& r) {
  HistoryEntry e;
  e.org_id = r.Text(0);
  e.seq = r.Int(1);
  e.at = r.Text(2);
  e.actor = r.Text(3);
  e.kind = ParseRecordKind(r.Text(4)).value_or(RecordKind::kActivity);
  e.record_id = r.Text(5);
  e.version = r.Int(6);
  e.field = r.Text(7);
  e.old_value = r.Text(8);
  e.new_value = r.Text(9);
  e.reason = r.Text(10);
  e.prev_hash = r.Text(11);
  e.hash = r.Text(12);
  return e;
}

User ToUser(const Row& r) {
  User u;
  u.id = r.Text(0);
  u.email = r.Text(1);
  u.password_hash = r.Text(2);
  u.totp_secret = r.Text(3);
  u.failed_logins = r.Int(4);
  u.locked_until = r.Text(5);
  u.created_at = r.Text(6);
  u.lang = r.Text(7);
  u.must_change_password = r.Int(8) != 0;
  return u;
}

ApiToken ToToken(const Row& r) {
  return ApiToken{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)};
}

AuditRun ToAudit(const Row& r) {
  return AuditRun{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Describe(RecordKind k, const std::string& id) {
  return std::string(RecordKindName(k)) + " " + Quoted(id);
}

// A workflow value as history stores values: compact JSON, "" = absent.
std::string JsonString(const std::string& s) { return s.empty() ? std::string() : Json(s).dump(); }

std::pair<int64_t, int64_t> Clamp(const Page& p) {
  return {std::max<int64_t>(0, p.offset), std::clamp<int64_t>(p.limit <= 0 ? 100 : p.limit, 1, 1000)};
}

int64_t Stamp() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The failed statement's error as the Store reports it: a duplicate key is
// kConflict, a missing parent kNotFound, anything else as the database said.
std::unexpected<Error> Mapped(Db& db, const Error& e, const std::string& duplicate,
                              const std::string& missing) {
  if (db.last_failure() == DbFailure::kUniqueViolation && !duplicate.empty()) {
    return MakeError(ErrorKind::kConflict, duplicate);
  }
  if (db.last_failure() == DbFailure::kForeignKeyViolation && !missing.empty()) {
    return MakeError(ErrorKind::kNotFound, missing);
  }
  return std::unexpected(e);
}

// ---- the chain of one organisation inside a write -----------------------------------------

struct Chain {
  std::string org_id;
  int64_t seq = 0;
  std::string head;
  bool dirty = false;
};

class StoreImpl final : public Store {
 public:
  StoreImpl(Dialect d, std::string url, int connections) : dialect_(d), pool_(std::move(url), connections) {}
  Pool& pool() { return pool_; }

  Dialect dialect() const override { return dialect_; }
  void SetClock(std::function<std::string()> now) override {
    std::lock_guard lock(clock_mu_);
    clock_ = std::move(now);
  }
  std::string Now() const override {
    std::lock_guard lock(clock_mu_);
    return clock_ ? clock_() : UtcNow();
  }

  // ---- organisations ----
  Result<Org> CreateOrg(const std::string& name) override {
    if (name.empty()) return MakeError(ErrorKind::kSchema, "an organisation needs a name");
    Org o{NewId("org"), name, Now()};
    auto s = Write([&](Db& db) -> Status {
      auto r =
          db.Exec("INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)", {o.id, o.name, o.created_at});
      if (!r) return Mapped(db, r.error(), "an organisation named " + Quoted(name) + " exists", "");
      return {};
    });
    if (!s) return std::unexpected(s.error());
    return o;
  }

  Result<Org> GetOrg(const std::string& id) override {
    auto rows = Query("SELECT id, name, created_at FROM orgs WHERE id = ?", {id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(id));
    const Row& r = rows->front();
    return Org{r.Text(0), r.Text(1), r.Text(2)};
  }

  Result<std::vector<Org>> ListOrgs() override {
    auto rows = Query("SELECT id, name, created_at FROM orgs ORDER BY name, id", {});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Org> out;
    for (const Row& r : *rows) out.push_back(Org{r.Text(0), r.Text(1), r.Text(2)});
    return out;
  }

  // ---- users ----
  Result<User> CreateUser(const std::string& email, const std::string& password_hash,
                          bool must_change) override {
    if (email.empty()) return MakeError(ErrorKind::kSchema, "a user needs an e-mail address");
    User u;
    u.id = NewId("usr");
    u.email = Lower(email);
    u.password_hash = password_hash;
    u.created_at = Now();
    u.must_change_password = must_change;
    auto s = Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO users (id, email, password_hash, created_at, must_change_password) VALUES (?, ?, ?, "
          "?, ?)",
          {u.id, u.email, u.password_hash, u.created_at, int64_t{must_change ? 1 : 0}});
      if (!r)
        return Mapped(db, r.error(), "a user with the e-mail address " + Quoted(u.email) + " exists", "");
      return {};
    });
    if (!s) return std::unexpected(s.error());
    return u;
  }

  Result<User> GetUser(const std::string& id) override {
    return OneUser(Sql({"SELECT ", kUserCols, " FROM users WHERE id = ?"}), id, "no user " + Quoted(id));
  }
  Result<User> FindUserByEmail(const std::string& email) override {
    return OneUser(Sql({"SELECT ", kUserCols, " FROM users WHERE email = ?"}), Lower(email),
                   "no user with the e-mail address " + Quoted(Lower(email)));
  }

  Status UpdateUserSecurity(const std::string& user_id, int64_t failed_logins,
                            const std::string& locked_until) override {
    return UpdateOne("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                     {failed_logins, locked_until, user_id}, "no user " + Quoted(user_id));
  }
  Status SetTotpSecret(const std::string& user_id, const std::string& secret) override {
    return UpdateOne("UPDATE users SET totp_secret = ? WHERE id = ?", {secret, user_id},
                     "no user " + Quoted(user_id));
  }
  Status SetPasswordHash(const std::string& user_id, const std::string& hash, bool must_change) override {
    return UpdateOne("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?",
                     {hash, int64_t{must_change ? 1 : 0}, user_id}, "no user " + Quoted(user_id));
  }
  Status SetUserLang(const std::string& user_id, const std::string& lang) override {
    return UpdateOne("UPDATE users SET lang = ? WHERE id = ?", {lang, user_id}, "no user " + Quoted(user_id));
  }

  Status AddMembership(const Membership& m) override {
    return Write([&](Db& db) -> Status {
      auto r =
          db.Exec("INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                  {m.org_id, m.user_id, std::string(RoleName(m.role))});
      if (!r) {
        return Mapped(db, r.error(), "",
                      "no organisation " + Quoted(m.org_id) + " or no user " + Quoted(m.user_id));
      }
      return {};
    });
  }
  Status RemoveMembership(const Membership& m) override {
    return UpdateOne(
        "DELETE FROM memberships WHERE org_id = ? AND user_id = ? AND role = ?",
        {m.org_id, m.user_id, std::string(RoleName(m.role))},
        "user " + Quoted(m.user_id) + " is not " + std::string(RoleName(m.role)) + " in " + Quoted(m.org_id));
  }
  Status SetMemberRoles(const std::string& org_id, const std::string& user_id,
                        const std::vector<Role>& roles) override {
    return Write([&](Db& db) -> Status {
      if (auto chain = LockOrg(db, org_id); !chain) return std::unexpected(chain.error());
      auto had =
          db.Query("SELECT count(*) FROM memberships WHERE org_id = ? AND user_id = ?", {org_id, user_id});
      if (!had) return std::unexpected(had.error());
      if (roles.empty() && (had->empty() || had->front().Int(0) == 0))
        return MakeError(ErrorKind::kNotFound,
                         "user " + Quoted(user_id) + " is not a member of " + Quoted(org_id));
      if (auto r = db.Exec("DELETE FROM memberships WHERE org_id = ? AND user_id = ?", {org_id, user_id}); !r)
        return std::unexpected(r.error());
      for (Role role : roles) {
        auto r =
            db.Exec("INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    {org_id, user_id, std::string(RoleName(role))});
        if (!r) return Mapped(db, r.error(), "", "no user " + Quoted(user_id));
      }
      auto admins =
          db.Query("SELECT count(*) FROM memberships WHERE org_id = ? AND role = 'admin'", {org_id});
      if (!admins) return std::unexpected(admins.error());
      if (admins->empty() || admins->front().Int(0) == 0)
        return MakeError(ErrorKind::kConflict, "the organisation would be left without an admin", {}, {},
                         "make another member admin first");
      if (roles.empty()) {
        auto r = db.Exec(
            "UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND user_id = ? AND revoked_at = ''",
            {Now(), org_id, user_id});
        if (!r) return std::unexpected(r.error());
      }
      return {};
    });
  }
  Result<std::vector<Membership>> MembershipsOfUser(const std::string& user_id) override {
    return Memberships(
        "SELECT org_id, user_id, role FROM memberships WHERE user_id = ? ORDER BY org_id, role", user_id);
  }
  Result<std::vector<Membership>> MembershipsOfOrg(const std::string& org_id) override {
    return Memberships(
        "SELECT org_id, user_id, role FROM memberships WHERE org_id = ? ORDER BY user_id, role", org_id);
  }

  // ---- invitations ----
  Status CreateInvitation(const Invitation& i) override {
    std::string roles;
    for (Role r : i.roles) roles += (roles.empty() ? "" : ",") + std::string(RoleName(r));
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO invitations (org_id, user_id, roles, invited_by, created_at) VALUES (?, ?, ?, ?, ?)",
          {i.org_id, i.user_id, roles, i.invited_by, i.created_at.empty() ? Now() : i.created_at});
      if (!r)
        return Mapped(db, r.error(),
                      "user " + Quoted(i.user_id) + " has a pending invitation to " + Quoted(i.org_id),
                      "no organisation " + Quoted(i.org_id) + " or no user " + Quoted(i.user_id));
      return {};
    });
  }
  Result<std::vector<Invitation>> InvitationsOfUser(const std::string& user_id) override {
    return Invitations(
        "SELECT org_id, user_id, roles, invited_by, created_at FROM invitations WHERE user_id = ? "
        "ORDER BY created_at, org_id",
        user_id);
  }
  Result<std::vector<Invitation>> InvitationsOfOrg(const std::string& org_id) override {
    return Invitations(
        "SELECT org_id, user_id, roles, invited_by, created_at FROM invitations WHERE org_id = ? "
        "ORDER BY created_at, user_id",
        org_id);
  }
  Status DeleteInvitation(const std::string& org_id, const std::string& user_id) override {
    return UpdateOne("DELETE FROM invitations WHERE org_id = ? AND user_id = ?", {org_id, user_id},
                     "no invitation of user " + Quoted(user_id) + " to " + Quoted(org_id));
  }
  Result<Invitation> AcceptInvitation(const std::string& org_id, const std::string& user_id) override {
    Invitation out;
    auto s = Write([&](Db& db) -> Status {
      if (auto chain = LockOrg(db, org_id); !chain) return std::unexpected(chain.error());
      auto rows = db.Query(
          "SELECT org_id, user_id, roles, invited_by, created_at FROM invitations WHERE org_id = ? AND "
          "user_id = ?",
          {org_id, user_id});
      if (!rows) return std::unexpected(rows.error());
      if (rows->empty())
        return MakeError(ErrorKind::kNotFound,
                         "no invitation of user " + Quoted(user_id) + " to " + Quoted(org_id));
      out = ToInvitation(rows->front());
      for (Role role : out.roles) {
        auto r =
            db.Exec("INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    {org_id, user_id, std::string(RoleName(role))});
        if (!r) return Mapped(db, r.error(), "", "no user " + Quoted(user_id));
      }
      auto d = db.Exec("DELETE FROM invitations WHERE org_id = ? AND user_id = ?", {org_id, user_id});
      if (!d) return std::unexpected(d.error());
      return {};
    });
    if (!s) return std::unexpected(s.error());
    return out;
  }

  // ---- sessions ----
  Status CreateSession(const Session& s) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, totp_ok) VALUES (?, ?, ?, "
          "?, ?, ?)",
          {s.token_hash, s.user_id, s.csrf, s.created_at.empty() ? Now() : s.created_at,
           s.last_seen.empty() ? Now() : s.last_seen, int64_t{s.totp_ok ? 1 : 0}});
      if (!r) return Mapped(db, r.error(), "the session exists", "no user " + Quoted(s.user_id));
      return {};
    });
  }
  Result<Session> GetSession(const std::string& token_hash) override {
    auto rows = Query(
        "SELECT token_hash, user_id, csrf, created_at, last_seen, totp_ok FROM sessions WHERE "
        "token_hash = ?",
        {token_hash});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no such session");
    const Row& r = rows->front();
    return Session{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5) != 0};
  }
  Result<std::pair<Session, Principal>> GetSessionPrincipal(const std::string& token_hash) override {
    auto p = PrincipalQuery("SELECT s.token_hash, s.user_id, s.csrf, s.created_at, s.last_seen, s.totp_ok",
                            "sessions", 6, token_hash);
    if (!p) return std::unexpected(p.error());
    if (!p->first) return MakeError(ErrorKind::kNotFound, "no such session");
    const Row& r = *p->first;
    return std::pair{Session{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5) != 0},
                     std::move(p->second)};
  }
  Status TouchSession(const std::string& token_hash, const std::string& last_seen, bool totp_ok) override {
    return UpdateOne("UPDATE sessions SET last_seen = ?, totp_ok = ? WHERE token_hash = ?",
                     {last_seen, int64_t{totp_ok ? 1 : 0}, token_hash}, "no such session");
  }
  Status DeleteSession(const std::string& token_hash) override {
    return UpdateOne("DELETE FROM sessions WHERE token_hash = ?", {token_hash}, "no such session");
  }
  Status DeleteSessionsOfUser(const std::string& user_id) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
      if (!r) return std::unexpected(r.error());
      return {};
    });
  }
  Status DeleteSessionsIdleSince(const std::string& before) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec("DELETE FROM sessions WHERE last_seen < ?", {before});
      if (!r) return std::unexpected(r.error());
      return {};
    });
  }

  // ---- API tokens ----
  Status CreateApiToken(const ApiToken& t) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at, revoked_at, role) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {t.id.empty() ? NewId("tok") : t.id, t.org_id, t.user_id, t.name, t.token_hash,
           t.created_at.empty() ? Now() : t.created_at, t.revoked_at, t.role});
      if (!r) {
        return Mapped(db, r.error(), "the API token exists",
                      "no organisation " + Quoted(t.org_id) + " or no user " + Quoted(t.user_id));
      }
      return {};
    });
  }
  Result<ApiToken> FindApiToken(const std::string& token_hash) override {
    auto rows = Query(Sql({"SELECT ", kTokenCols, " FROM api_tokens WHERE token_hash = ?"}), {token_hash});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no such API token");
    return ToToken(rows->front());
  }
  Result<std::pair<ApiToken, Principal>> FindApiTokenPrincipal(const std::string& token_hash) override {
    std::string head = "SELECT ";
    for (std::string_view col :
         {"id", "org_id", "user_id", "name", "token_hash", "created_at", "revoked_at", "role"}) {
      if (head.size() > 7) head += ", ";
      head += "s.";
      head += col;
    }
    auto p = PrincipalQuery(head, "api_tokens", 8, token_hash);
    if (!p) return std::unexpected(p.error());
    if (!p->first) return MakeError(ErrorKind::kNotFound, "no such API token");
    return std::pair{ToToken(*p->first), std::move(p->second)};
  }
  Result<std::vector<ApiToken>> ListApiTokens(const std::string& org_id) override {
    auto rows = Query(
        Sql({"SELECT ", kTokenCols, " FROM api_tokens WHERE org_id = ? ORDER BY created_at, id"}), {org_id});
    if (!rows) return std::unexpected(rows.error());
    std::vector<ApiToken> out;
    for (const Row& r : *rows) out.push_back(ToToken(r));
    return out;
  }
  Status RevokeApiToken(const std::string& org_id, const std::string& token_id) override {
    return Write([&](Db& db) -> Status {
      auto rows =
          db.Query("SELECT revoked_at FROM api_tokens WHERE org_id = ? AND id = ?", {org_id, token_id});
      if (!rows) return std::unexpected(rows.error());
      if (rows->empty())
        return MakeError(ErrorKind::kNotFound, "no API token " + Quoted(token_id) + " in " + Quoted(org_id));
      if (!rows->front().Text(0).empty())
        return MakeError(ErrorKind::kConflict, "the API token " + Quoted(token_id) +
                                                   " was revoked already, at " + rows->front().Text(0));
      auto r = db.Exec("UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ?",
                       {Now(), org_id, token_id});
      if (!r) return std::unexpected(r.error());
      return {};
    });
  }

  // ---- records ----
  Result<std::vector<Record>> ListRecords(const std::string& org_id,
                                          std::optional<RecordKind> kind) override {
    RecordQuery q;
    q.kind = kind;
    return FindRecords(org_id, q);
  }

  // The WHERE clause and parameters of a RecordQuery.
  static std::string RecordFilter(const std::string& org_id, const RecordQuery& q,
                                  std::vector<Value>& params) {
    std::string where = " WHERE org_id = ?";
    params.push_back(org_id);
    if (q.kind) {
      where += " AND kind = ?";
      params.push_back(std::string(RecordKindName(*q.kind)));
    }
    if (!q.owner_user_id.empty()) {
      where += " AND owner_user_id = ?";
      params.push_back(q.owner_user_id);
    }
    if (q.open_only) where += " AND status IN ('draft', 'in_review')";
    if (!q.any_of_kinds.empty() || !q.any_of_records.empty()) {
      std::string any;
      if (!q.any_of_kinds.empty()) {
        any = "kind IN (";
        for (size_t i = 0; i < q.any_of_kinds.size(); ++i) {
          any += i == 0 ? "?" : ", ?";
          params.push_back(std::string(RecordKindName(q.any_of_kinds[i])));
        }
        any += ")";
      }
      for (const auto& [kind, id] : q.any_of_records) {
        any += any.empty() ? "(kind = ? AND id = ?)" : " OR (kind = ? AND id = ?)";
        params.push_back(std::string(RecordKindName(kind)));
        params.push_back(id);
      }
      where += " AND (" + any + ")";
    }
    return where;
  }

  // ORDER BY in register order: the kinds as AllRecordKinds lists them.
  static const std::string& RegisterOrder() {
    static const std::string order = [] {
      std::string s = " ORDER BY CASE kind";
      int i = 0;
      for (RecordKind k : AllRecordKinds()) s += fmt::format(" WHEN '{}' THEN {}", RecordKindName(k), i++);
      s += fmt::format(" ELSE {} END, position, id", i);
      return s;
    }();
    return order;
  }

  Result<std::vector<Record>> FindRecords(const std::string& org_id, const RecordQuery& q) override {
    auto found = Find(org_id, q, false);
    if (!found) return std::unexpected(found.error());
    return std::move(found->first);
  }

  Result<std::pair<std::vector<Record>, int64_t>> FindRecordsCounted(const std::string& org_id,
                                                                     const RecordQuery& q) override {
    auto found = Find(org_id, q, true);
    if (!found) return std::unexpected(found.error());
    if (found->first.empty()) {
      // Past the end (or nothing at all): the window count had no row to ride on.
      auto n = CountRecords(org_id, q);
      if (!n) return std::unexpected(n.error());
      found->second = *n;
    }
    return found;
  }

  // FindRecords; with `counted`, each row also carries the total the filter
  // selects (a window count, before LIMIT), returned as second.
  Result<std::pair<std::vector<Record>, int64_t>> Find(const std::string& org_id, const RecordQuery& q,
                                                       bool counted) {
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    Db& db = **lease;
    std::vector<Value> params;
    std::string sql = Sql({"SELECT ", q.with_bodies ? kRecordCols : kRecordHeadCols,
                           counted ? ", COUNT(*) OVER ()" : "", " FROM records"});
    sql += RecordFilter(org_id, q, params);
    sql += q.kind ? std::string(" ORDER BY position, id") : RegisterOrder();
    if (q.page) {
      sql += " LIMIT ? OFFSET ?";
      params.push_back(std::max<int64_t>(q.page->limit, 0));
      params.push_back(std::max<int64_t>(q.page->offset, 0));
    }
    auto rows = db.Query(sql, params);
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty() && !counted) {
      if (auto e = OrgExists(db, org_id); !e) return std::unexpected(e.error());
    }
    std::pair<std::vector<Record>, int64_t> out{{}, 0};
    out.first.reserve(rows->size());
    for (Row& r : *rows) {
      if (counted) {
        out.second = r.Int(r.cols.size() - 1);
        r.cols.pop_back();
      }
      out.first.push_back(ToRecord(std::move(r)));
    }
    if (!counted) out.second = static_cast<int64_t>(out.first.size());
    return out;
  }

  Result<int64_t> CountRecords(const std::string& org_id, const RecordQuery& q) override {
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    Db& db = **lease;
    std::vector<Value> params;
    std::string sql = "SELECT COUNT(*) FROM records" + RecordFilter(org_id, q, params);
    auto rows = db.Query(sql, params);
    if (!rows) return std::unexpected(rows.error());
    const int64_t n = rows->empty() ? 0 : rows->front().Int(0);
    if (n == 0) {
      if (auto e = OrgExists(db, org_id); !e) return std::unexpected(e.error());
    }
    return n;
  }

  Result<Record> GetRecord(const std::string& org_id, RecordKind kind, const std::string& id) override {
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto r = LoadRecord(**lease, org_id, kind, id);
    if (!r) return std::unexpected(r.error());
    if (!*r) return MakeError(ErrorKind::kNotFound, "no " + Describe(kind, id) + " in " + Quoted(org_id));
    return std::move(**r);
  }

  Result<std::vector<Record>> ApplyChanges(const std::string& org_id, const std::string& actor,
                                           const std::vector<RecordChange>& changes) override {
    std::vector<Record> out;
    auto s = Write([&](Db& db) -> Status {
      out.clear();
      auto chain = LockOrg(db, org_id);
      if (!chain) return std::unexpected(chain.error());
      const std::string now = Now();
      for (const RecordChange& c : changes) {
        auto body = Normalise(c);
        if (!body) return std::unexpected(body.error());
        auto cur = LoadRecord(db, org_id, c.kind, c.id);
        if (!cur) return std::unexpected(cur.error());
        if (c.expected_version == 0) {
          if (*cur) {
            return MakeError(ErrorKind::kConflict, Describe(c.kind, c.id) + " exists (version " +
                                                       std::to_string((*cur)->version) + ")");
          }
          auto rec = Create(db, *chain, c.kind, c.id, std::nullopt, *body, actor, c.reason, now);
          if (!rec) return std::unexpected(rec.error());
          out.push_back(std::move(*rec));
          continue;
        }
        if (!*cur)
          return MakeError(ErrorKind::kNotFound, "no " + Describe(c.kind, c.id) + " in " + Quoted(org_id));
        if (auto v = CheckVersion(**cur, c.expected_version); !v) return v;
        auto rec = Update(db, *chain, std::move(**cur), *body, std::nullopt, actor, c.reason, now);
        if (!rec) return std::unexpected(rec.error());
        out.push_back(std::move(*rec));
      }
      return SaveHead(db, *chain);
    });
    if (!s) return std::unexpected(s.error());
    return out;
  }

  Result<std::vector<Record>> ReplaceRegister(const std::string& org_id, const std::string& actor,
                                              const std::vector<RecordChange>& records,
                                              const std::string& reason,
                                              const std::optional<std::string>& expected_head,
                                              ReplaceReport* report) override {
    std::vector<Record> out;
    ReplaceReport changed;
    auto s = Write([&](Db& db) -> Status {
      out.clear();
      changed = {};
      auto chain = LockOrg(db, org_id);
      if (!chain) return std::unexpected(chain.error());
      if (expected_head && *expected_head != chain->head) {
        return MakeError(ErrorKind::kConflict,
                         "the register changed since you read it (its history is at entry " +
                             std::to_string(chain->seq) + " now)",
                         {}, {},
                         "read the register again, merge your changes and import with its new version");
      }
      const std::string now = Now();
      auto rows = db.Query(Sql({"SELECT ", kRecordCols, " FROM records WHERE org_id = ?"}), {org_id});
      if (!rows) return std::unexpected(rows.error());
      std::map<std::pair<int, std::string>, Record> existing;
      for (const Row& r : *rows) {
        Record rec = ToRecord(r);
        existing.emplace(std::pair{static_cast<int>(rec.kind), rec.id}, std::move(rec));
      }
      std::map<int, int64_t> next_position;
      std::set<std::pair<int, std::string>> seen;
      for (const RecordChange& c : records) {
        const auto key = std::pair{static_cast<int>(c.kind), c.id};
        if (!seen.insert(key).second) {
          return MakeError(ErrorKind::kReference, "the register names " + Describe(c.kind, c.id) + " twice");
        }
        auto body = Normalise(c);
        if (!body) return std::unexpected(body.error());
        const int64_t position = next_position[key.first]++;
        const std::string& why = c.reason.empty() ? reason : c.reason;
        auto it = existing.find(key);
        if (it != existing.end() && it->second.status == RecordStatus::kObsolete) {
          // Obsolete, and in the register again: a draft again, on record.
          auto back = ChangeStatus(db, *chain, std::move(it->second), RecordStatus::kDraft, actor,
                                   std::string(kBackInImportReason), now);
          if (!back) return std::unexpected(back.error());
          changed.reinstated.push_back({*back, RecordStatus::kObsolete});
          it->second = std::move(*back);
        }
        Result<Record> rec =
            it == existing.end()
                ? Create(db, *chain, c.kind, c.id, position, *body, actor, why, now)
                : Update(db, *chain, std::move(it->second), *body, position, actor, why, now);
        if (!rec) return std::unexpected(rec.error());
        if (it != existing.end()) existing.erase(it);
        out.push_back(std::move(*rec));
      }
      // What the import lacks leaves the register on record, never unseen:
      // obsolete, its versions kept (a published one stays public until a
      // privacy officer decides).
      for (auto& [key, rec] : existing) {
        if (rec.status == RecordStatus::kObsolete) continue;
        const RecordStatus before = rec.status;
        auto gone = ChangeStatus(db, *chain, std::move(rec), RecordStatus::kObsolete, actor,
                                 std::string(kNotInImportReason), now);
        if (!gone) return std::unexpected(gone.error());
        changed.retired.push_back({std::move(*gone), before});
      }
      return SaveHead(db, *chain);
    });
    if (!s) return std::unexpected(s.error());
    if (report != nullptr) *report = std::move(changed);
    return out;
  }

  Result<Record> SetStatus(const std::string& org_id, RecordKind kind, const std::string& id,
                           int64_t expected_version, RecordStatus status, const std::string& actor,
                           const std::string& reason, bool record_unchanged) override {
    return Workflow(org_id, kind, id, expected_version, actor, reason, [&](Record& r) {
      std::vector<FieldChange> ch;
      if (r.status != status || record_unchanged) {
        ch.push_back({"@status", JsonString(std::string(RecordStatusName(r.status))),
                      JsonString(std::string(RecordStatusName(status)))});
        r.status = status;
      }
      return ch;
    });
  }

  Result<Record> Assign(const std::string& org_id, RecordKind kind, const std::string& id,
                        int64_t expected_version, const std::string& owner_user_id,
                        const std::string& due_date, const std::string& actor) override {
    return Workflow(org_id, kind, id, expected_version, actor, "", [&](Record& r) {
      std::vector<FieldChange> ch;
      if (r.owner_user_id != owner_user_id) {
        ch.push_back({"@owner", JsonString(r.owner_user_id), JsonString(owner_user_id)});
        r.owner_user_id = owner_user_id;
      }
      if (r.due_date != due_date) {
        ch.push_back({"@due_date", JsonString(r.due_date), JsonString(due_date)});
        r.due_date = due_date;
      }
      return ch;
    });
  }

  Result<Record> GetRecordVersion(const std::string& org_id, RecordKind kind, const std::string& id,
                                  int64_t version) override {
    auto rows = Query(
        "SELECT org_id, kind, id, position, version, status, owner_user_id, author_user_id, due_date, body, "
        "at FROM "
        "record_versions WHERE org_id = ? AND kind = ? AND id = ? AND version = ?",
        {org_id, std::string(RecordKindName(kind)), id, version});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) {
      return MakeError(ErrorKind::kNotFound, "no version " + std::to_string(version) + " of " +
                                                 Describe(kind, id) + " in " + Quoted(org_id));
    }
    return ToRecord(rows->front());
  }

  // ---- history ----
  Result<std::vector<HistoryEntry>> History(const std::string& org_id, const Page& page,
                                            std::optional<RecordKind> kind,
                                            const std::string& record_id) override {
    const auto [offset, limit] = Clamp(page);
    std::string sql = Sql({"SELECT ", kHistoryCols, " FROM history WHERE org_id = ?"});
    std::vector<Value> params{org_id};
    if (kind) {
      sql += " AND kind = ?";
      params.emplace_back(std::string(RecordKindName(*kind)));
    }
    if (!record_id.empty()) {
      sql += " AND record_id = ?";
      params.emplace_back(record_id);
    }
    sql += " ORDER BY seq DESC LIMIT ? OFFSET ?";
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = Query(sql, params);
    if (!rows) return std::unexpected(rows.error());
    std::vector<HistoryEntry> out;
    out.reserve(rows->size());
    for (const Row& r : *rows) out.push_back(ToEntry(r));
    return out;
  }

  Result<std::string> RegisterStamp(const std::string& org_id) override {
    // One statement (one snapshot, one round trip): the chain's head seq and
    // each record's head. The seq moves with every change; positions move
    // without an entry, so they are part of the stamp.
    auto rows = Query(
        "SELECT o.history_seq, r.kind, r.id, r.version, r.position, r.status FROM orgs o "
        "LEFT JOIN records r ON r.org_id = o.id WHERE o.id = ? ORDER BY r.kind, r.id",
        {org_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    std::string out = std::to_string(rows->front().Int(0));
    out.reserve(rows->size() * 32);
    for (const Row& r : *rows) {
      if (r.IsNull(1)) continue;  // an organisation without records
      out += '\n';
      out += r.Text(1);
      out += ' ';
      out += r.Text(2);
      out += ' ';
      out += std::to_string(r.Int(3));
      out += ' ';
      out += std::to_string(r.Int(4));
      out += ' ';
      out += r.Text(5);
    }
    return out;
  }

  Result<ChainHead> HistoryHead(const std::string& org_id) override {
    auto rows = Query("SELECT history_seq, history_head FROM orgs WHERE id = ?", {org_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    return ChainHead{rows->front().Int(0), rows->front().Text(1)};
  }

  Result<ChangedRecords> ChangedSince(const std::string& org_id, int64_t after_seq, size_t limit) override {
    // Entries of one change share (kind, record_id): many rows per record,
    // so the rows are capped well above `limit` and deduplicated here.
    const int64_t rows_cap = static_cast<int64_t>(limit) * 16 + 1;
    auto rows = Query(
        "SELECT o.history_seq, h.seq, h.kind, h.record_id FROM orgs o LEFT JOIN history h "
        "ON h.org_id = o.id AND h.seq > ? WHERE o.id = ? ORDER BY h.seq LIMIT ?",
        {after_seq, org_id, rows_cap});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    ChangedRecords out;
    out.head_seq = rows->front().Int(0);
    std::set<std::pair<RecordKind, std::string>> seen;
    for (const Row& r : *rows) {
      if (r.IsNull(1)) continue;
      auto kind = ParseRecordKind(r.Text(2));
      if (!kind) continue;
      std::pair<RecordKind, std::string> key{*kind, r.Text(3)};
      if (seen.contains(key)) continue;
      if (out.records.size() == limit) {
        out.more = true;
        break;
      }
      seen.insert(key);
      out.records.push_back(std::move(key));
    }
    if (static_cast<int64_t>(rows->size()) == rows_cap) out.more = true;
    return out;
  }

  Result<int64_t> HistoryCount(const std::string& org_id) override {
    // The chain's length is its head's seq (entries are numbered from 1 and
    // never deleted; a gap is what VerifyHistory finds): no count of rows.
    auto rows = Query("SELECT history_seq FROM orgs WHERE id = ?", {org_id});
    if (!rows) return std::unexpected(rows.error());
    return rows->empty() ? 0 : rows->front().Int(0);
  }

  Result<std::vector<ChainCheck>> VerifyHistory(const std::string& org_id,
                                                const std::string& anchor) override {
    if (!anchor.empty() && org_id.empty())
      return MakeError(ErrorKind::kUsage,
                       "an anchor belongs to one organisation's chain: name the organisation");
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    Db& db = **lease;
    auto orgs = org_id.empty()
                    ? db.Query("SELECT id, history_seq, history_head FROM orgs ORDER BY id")
                    : db.Query("SELECT id, history_seq, history_head FROM orgs WHERE id = ?", {org_id});
    if (!orgs) return std::unexpected(orgs.error());
    if (!org_id.empty() && orgs->empty())
      return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    std::vector<ChainCheck> out;
    for (const Row& o : *orgs) {
      auto c = VerifyChain(db, o.Text(0), o.Int(1), o.Text(2), anchor);
      if (!c) return std::unexpected(c.error());
      out.push_back(std::move(*c));
    }
    return out;
  }

  // ---- audits ----
  Status SaveAudit(const AuditRun& a) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO audits (id, org_id, at, actor, summary, report_json, stamp) VALUES (?, ?, ?, ?, ?, ?, "
          "?)",
          {a.id.empty() ? NewId("aud") : a.id, a.org_id, a.at.empty() ? Now() : a.at, a.actor, a.summary,
           a.report_json, Stamp()});
      if (!r)
        return Mapped(db, r.error(), "the audit " + Quoted(a.id) + " exists",
                      "no organisation " + Quoted(a.org_id));
      return {};
    });
  }
  Result<AuditRun> LatestAudit(const std::string& org_id) override {
    return Latest(org_id, std::string(kAuditCols));
  }
  Result<AuditRun> LatestAuditSummary(const std::string& org_id) override {
    return Latest(org_id, "id, org_id, at, actor, summary, ''");  // report_json left empty
  }
  // The org's newest audit, `cols` selected (kAuditCols' order).
  Result<AuditRun> Latest(const std::string& org_id, const std::string& cols) {
    auto rows = Query("SELECT " + cols + " FROM audits WHERE org_id = ? ORDER BY at DESC, stamp DESC LIMIT 1",
                      {org_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no audit of " + Quoted(org_id));
    return ToAudit(rows->front());
  }
  Result<std::vector<AuditRun>> ListAudits(const std::string& org_id, const Page& page) override {
    const auto [offset, limit] = Clamp(page);
    auto rows = Query(Sql({"SELECT ", kAuditCols,
                           " FROM audits WHERE org_id = ? ORDER BY at DESC, stamp DESC LIMIT ? OFFSET ?"}),
                      {org_id, limit, offset});
    if (!rows) return std::unexpected(rows.error());
    std::vector<AuditRun> out;
    for (const Row& r : *rows) out.push_back(ToAudit(r));
    return out;
  }

  // ---- security log ----
  Status LogSecurity(const SecurityEvent& e) override {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(
          "INSERT INTO security_log (id, at, stamp, org_id, email, event, detail, remote) VALUES (?, ?, ?, "
          "?, ?, ?, "
          "?, ?)",
          {NewId("sec"), e.at.empty() ? Now() : e.at, Stamp(), e.org_id, e.email, e.event, e.detail,
           e.remote});
      if (!r) return std::unexpected(r.error());
      return {};
    });
  }
  Result<std::vector<SecurityEvent>> SecurityLog(const std::string& org_id, const Page& page) override {
    const auto [offset, limit] = Clamp(page);
    auto rows =
        org_id.empty()
            ? Query(
                  "SELECT at, org_id, email, event, detail, remote FROM security_log ORDER BY at DESC, stamp "
                  "DESC LIMIT ? OFFSET ?",
                  {limit, offset})
            : Query(
                  "SELECT at, org_id, email, event, detail, remote FROM security_log WHERE org_id = ? ORDER "
                  "BY at DESC, stamp DESC LIMIT ? OFFSET ?",
                  {org_id, limit, offset});
    if (!rows) return std::unexpected(rows.error());
    std::vector<SecurityEvent> out;
    for (const Row& r : *rows)
      out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
    return out;
  }

  Status Backup(const std::string& path) override {
    if (dialect_ == Dialect::kPostgres) {
      return MakeError(ErrorKind::kUsage, "a PostgreSQL database is backed up with pg_dump", {}, "",
                       "pg_dump --format=custom --file=blindspot.dump \"<the database URL>\"");
    }
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    return SqliteBackup(**lease, path);
  }

 private:
  // ---- plumbing ----
  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Value>& params) {
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    return (*lease)->Query(sql, params);
  }

  // Runs `f` in one transaction; retried (a few times) when the database
  // reports a serialisation failure or a deadlock, rolled back on any error.
  Status Write(const std::function<Status(Db&)>& f) {
    auto lease = pool_.Acquire();
    if (!lease) return std::unexpected(lease.error());
    Db& db = **lease;
    for (int attempt = 0;; ++attempt) {
      if (auto b = db.Begin(); !b) {
        if (db.last_failure() == DbFailure::kSerialization && attempt < 5) continue;
        return b;
      }
      Status s = f(db);
      if (!s) {
        const bool retry = s.error().kind == ErrorKind::kIo && db.last_failure() == DbFailure::kSerialization;
        db.Rollback();
        if (retry && attempt < 5) continue;
        return s;
      }
      if (auto c = db.Commit(); !c) {
        if (db.last_failure() == DbFailure::kSerialization && attempt < 5) continue;
        return c;
      }
      return {};
    }
  }

  Result<User> OneUser(const std::string& sql, const std::string& key, const std::string& missing) {
    auto rows = Query(sql, {key});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, missing);
    return ToUser(rows->front());
  }

  Status UpdateOne(const std::string& sql, const std::vector<Value>& params, const std::string& missing) {
    return Write([&](Db& db) -> Status {
      auto r = db.Exec(sql, params);
      if (!r) return std::unexpected(r.error());
      if (*r == 0) return MakeError(ErrorKind::kNotFound, missing);
      return {};
    });
  }

  // `head` selects `n` columns of `table` (aliased s) whose token_hash is
  // `hash`; joined with the user (s.user_id) and the user's memberships:
  // one row per membership (one with null membership columns for none).
  // first: the head columns, empty when no row matched.
  Result<std::pair<std::optional<Row>, Principal>> PrincipalQuery(const std::string& head,
                                                                  std::string_view table, size_t n,
                                                                  const std::string& hash) {
    std::string sql = head;
    std::string_view cols = kUserCols;
    while (!cols.empty()) {
      size_t comma = cols.find(", ");
      sql += ", u.";
      sql += cols.substr(0, comma);
      cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 2);
    }
    sql += ", m.org_id, m.role FROM ";
    sql += table;
    sql +=
        " s JOIN users u ON u.id = s.user_id LEFT JOIN memberships m ON m.user_id = u.id"
        " WHERE s.token_hash = ? ORDER BY m.org_id, m.role";
    auto rows = Query(sql, {hash});
    if (!rows) return std::unexpected(rows.error());
    std::pair<std::optional<Row>, Principal> out;
    if (rows->empty()) return out;
    Row& first = rows->front();
    Row user;
    user.cols.assign(first.cols.begin() + static_cast<std::ptrdiff_t>(n),
                     first.cols.begin() + static_cast<std::ptrdiff_t>(n + kUserColCount));
    out.second.user = ToUser(user);
    for (const Row& r : *rows) {
      if (auto role = ParseRole(r.Text(n + kUserColCount + 1)); role && !r.Text(n + kUserColCount).empty())
        out.second.memberships.push_back({r.Text(n + kUserColCount), out.second.user.id, *role});
    }
    first.cols.resize(n);
    out.first = std::move(first);
    return out;
  }

  Result<std::vector<Membership>> Memberships(const std::string& sql, const std::string& key) {
    auto rows = Query(sql, {key});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Membership> out;
    for (const Row& r : *rows) {
      if (auto role = ParseRole(r.Text(2))) out.push_back({r.Text(0), r.Text(1), *role});
    }
    return out;
  }

  static Invitation ToInvitation(const Row& r) {
    Invitation i;
    i.org_id = r.Text(0);
    i.user_id = r.Text(1);
    std::string_view rest = r.Text(2);
    std::vector<Role> given;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      if (auto role = ParseRole(rest.substr(0, comma))) given.push_back(*role);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    for (Role role : AllRoles())
      if (std::find(given.begin(), given.end(), role) != given.end()) i.roles.push_back(role);
    i.invited_by = r.Text(3);
    i.created_at = r.Text(4);
    return i;
  }

  Result<std::vector<Invitation>> Invitations(const std::string& sql, const std::string& key) {
    auto rows = Query(sql, {key});
    if (!rows) return std::unexpected(rows.error());
    std::vector<Invitation> out;
    for (const Row& r : *rows) out.push_back(ToInvitation(r));
    return out;
  }

  Status OrgExists(Db& db, const std::string& org_id) {
    auto rows = db.Query("SELECT 1 FROM orgs WHERE id = ?", {org_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    return {};
  }

  // Locks the organisation's row for the rest of the transaction and reads
  // the head of its chain.
  Result<Chain> LockOrg(Db& db, const std::string& org_id) {
    auto rows = db.Query(dialect_ == Dialect::kPostgres
                             ? "SELECT history_seq, history_head FROM orgs WHERE id = ? FOR UPDATE"
                             : "SELECT history_seq, history_head FROM orgs WHERE id = ?",
                         {org_id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorKind::kNotFound, "no organisation " + Quoted(org_id));
    return Chain{org_id, rows->front().Int(0), rows->front().Text(1), false};
  }

  Status SaveHead(Db& db, const Chain& c) {
    if (!c.dirty) return {};
    auto r =
        db.Exec("UPDATE orgs SET history_seq = ?, history_head = ? WHERE id = ?", {c.seq, c.head, c.org_id});
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Result<std::optional<Record>> LoadRecord(Db& db, const std::string& org_id, RecordKind kind,
                                           const std::string& id) {
    auto rows =
        db.Query(Sql({"SELECT ", kRecordCols, " FROM records WHERE org_id = ? AND kind = ? AND id = ?"}),
                 {org_id, std::string(RecordKindName(kind)), id});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<Record>();
    return std::optional<Record>(ToRecord(rows->front()));
  }

  static Status CheckVersion(const Record& cur, int64_t expected) {
    if (cur.version == expected) return {};
    return MakeError(ErrorKind::kConflict,
                     Describe(cur.kind, cur.id) + " is at version " + std::to_string(cur.version) + ", not " +
                         std::to_string(expected) + ": someone else changed it; reload and try again");
  }

  // The body as stored: compact JSON of an object, keys in the given order.
  static Result<std::string> Normalise(const RecordChange& c) {
    if (c.id.empty())
      return MakeError(ErrorKind::kSchema, std::string(RecordKindName(c.kind)) + " without an id");
    Json j = Json::parse(c.body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      return MakeError(ErrorKind::kParse, "the body of " + Describe(c.kind, c.id) + " is not valid JSON");
    }
    if (!j.is_object()) {
      return MakeError(ErrorKind::kSchema, "the body of " + Describe(c.kind, c.id) + " is not a JSON object");
    }
    return j.dump();
  }

  Status Append(Db& db, Chain& chain, HistoryEntry e) {
    e.org_id = chain.org_id;
    e.seq = chain.seq + 1;
    e.prev_hash = chain.seq == 0 ? kZeroHash : chain.head;
    e.hash = HistoryHash(e);
    auto r = db.Exec(
        Sql({"INSERT INTO history (", kHistoryCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"}),
        {e.org_id, e.seq, e.at, e.actor, std::string(RecordKindName(e.kind)), e.record_id, e.version, e.field,
         e.old_value, e.new_value, e.reason, e.prev_hash, e.hash});
    if (!r) return std::unexpected(r.error());
    chain.seq = e.seq;
    chain.head = e.hash;
    chain.dirty = true;
    return {};
  }

  Status AppendAll(Db& db, Chain& chain, const Record& r, const std::vector<FieldChange>& changes,
                   const std::string& actor, const std::string& reason, const std::string& now) {
    for (const FieldChange& c : changes) {
      HistoryEntry e;
      e.at = now;
      e.actor = actor;
      e.kind = r.kind;
      e.record_id = r.id;
      e.version = r.version;
      e.field = c.path;
      e.old_value = c.old_value;
      e.new_value = c.new_value;
      e.reason = reason;
      if (auto s = Append(db, chain, std::move(e)); !s) return s;
    }
    return {};
  }

  Status SaveVersion(Db& db, const Record& r, const std::string& body) {
    auto x = db.Exec(
        "INSERT INTO record_versions (org_id, kind, id, version, status, owner_user_id, author_user_id, "
        "due_date, "
        "position, body, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r.org_id, std::string(RecordKindName(r.kind)), r.id, r.version,
         std::string(RecordStatusName(r.status)), r.owner_user_id, r.author_user_id, r.due_date, r.position,
         body, r.updated_at});
    if (!x) return std::unexpected(x.error());
    return {};
  }

  Status SaveRecord(Db& db, const Record& r, bool insert) {
    const std::vector<Value> params = {r.position,
                                       r.version,
                                       std::string(RecordStatusName(r.status)),
                                       r.owner_user_id,
                                       r.author_user_id,
                                       r.due_date,
                                       r.body,
                                       r.updated_at,
                                       r.org_id,
                                       std::string(RecordKindName(r.kind)),
                                       r.id};
    auto x =
        insert
            ? db.Exec(
                  "INSERT INTO records (position, version, status, owner_user_id, author_user_id, "
                  "due_date, body, updated_at, org_id, kind, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  params)
            : db.Exec(
                  "UPDATE records SET position = ?, version = ?, status = ?, owner_user_id = ?, "
                  "author_user_id = ?, due_date = ?, body = ?, updated_at = ? WHERE org_id = ? AND kind = ? "
                  "AND id = ?",
                  params);
    if (!x) return std::unexpected(x.error());
    return {};
  }

  Result<Record> Create(Db& db, Chain& chain, RecordKind kind, const std::string& id,
                        std::optional<int64_t> position, const std::string& body, const std::string& actor,
                        const std::string& reason, const std::string& now) {
    Record r;
    r.org_id = chain.org_id;
    r.kind = kind;
    r.id = id;
    const std::string kind_name(RecordKindName(kind));
    if (position) {
      r.position = *position;
    } else {
      auto p = db.Query("SELECT COALESCE(MAX(position), -1) + 1 FROM records WHERE org_id = ? AND kind = ?",
                        {chain.org_id, kind_name});
      if (!p) return std::unexpected(p.error());
      r.position = p->empty() ? 0 : p->front().Int(0);
    }
    // A record deleted earlier and created again goes on from its last version.
    auto v = db.Query(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM record_versions WHERE org_id = ? AND kind = ? AND id = ?",
        {chain.org_id, kind_name, id});
    if (!v) return std::unexpected(v.error());
    r.version = v->empty() ? 1 : v->front().Int(0);
    r.status = RecordStatus::kDraft;
    r.author_user_id = actor;
    r.body = body;
    r.updated_at = now;
    if (auto s = SaveRecord(db, r, true); !s) return std::unexpected(s.error());
    if (auto s = SaveVersion(db, r, r.body); !s) return std::unexpected(s.error());
    if (auto s = AppendAll(db, chain, r, {{"", "", r.body}}, actor, reason, now); !s)
      return std::unexpected(s.error());
    return r;
  }

  Result<Record> Update(Db& db, Chain& chain, Record r, const std::string& body,
                        std::optional<int64_t> position, const std::string& actor, const std::string& reason,
                        const std::string& now) {
    auto diff = DiffJson(r.body, body);
    if (!diff) return std::unexpected(diff.error());
    if (diff->empty()) {
      if (position && *position != r.position) {
        // Moved only: the order is not a field of the record (no version, no entry).
        auto x = db.Exec("UPDATE records SET position = ? WHERE org_id = ? AND kind = ? AND id = ?",
                         {*position, r.org_id, std::string(RecordKindName(r.kind)), r.id});
        if (!x) return std::unexpected(x.error());
        r.position = *position;
      }
      return r;
    }
    if (position) r.position = *position;
    // A changed body of an approved or published record is a draft again
    // (also through an import): what was approved or published stays in
    // its versions, the change waits for review.
    if (r.status == RecordStatus::kApproved || r.status == RecordStatus::kPublished) {
      diff->push_back({"@status", JsonString(std::string(RecordStatusName(r.status))),
                       JsonString(std::string(RecordStatusName(RecordStatus::kDraft)))});
      r.status = RecordStatus::kDraft;
    }
    r.version += 1;
    r.body = body;
    r.author_user_id = actor;
    r.updated_at = now;
    if (auto s = SaveRecord(db, r, false); !s) return std::unexpected(s.error());
    if (auto s = SaveVersion(db, r, r.body); !s) return std::unexpected(s.error());
    if (auto s = AppendAll(db, chain, r, *diff, actor, reason, now); !s) return std::unexpected(s.error());
    return r;
  }

  // A status change inside a write: a version and a history entry ("@status").
  Result<Record> ChangeStatus(Db& db, Chain& chain, Record r, RecordStatus to, const std::string& actor,
                              const std::string& reason, const std::string& now) {
    const std::vector<FieldChange> ch = {{"@status", JsonString(std::string(RecordStatusName(r.status))),
                                          JsonString(std::string(RecordStatusName(to)))}};
    r.status = to;
    r.version += 1;
    r.author_user_id = actor;
    r.updated_at = now;
    if (auto s = SaveRecord(db, r, false); !s) return std::unexpected(s.error());
    if (auto s = SaveVersion(db, r, r.body); !s) return std::unexpected(s.error());
    if (auto s = AppendAll(db, chain, r, ch, actor, reason, now); !s) return std::unexpected(s.error());
    return r;
  }

  Result<Record> Workflow(const std::string& org_id, RecordKind kind, const std::string& id,
                          int64_t expected_version, const std::string& actor, const std::string& reason,
                          const std::function<std::vector<FieldChange>(Record&)>& change) {
    Record out;
    auto s = Write([&](Db& db) -> Status {
      auto chain = LockOrg(db, org_id);
      if (!chain) return std::unexpected(chain.error());
      auto cur = LoadRecord(db, org_id, kind, id);
      if (!cur) return std::unexpected(cur.error());
      if (!*cur) return MakeError(ErrorKind::kNotFound, "no " + Describe(kind, id) + " in " + Quoted(org_id));
      Record r = std::move(**cur);
      if (auto v = CheckVersion(r, expected_version); !v) return v;
      auto changes = change(r);
      if (!changes.empty()) {
        const std::string now = Now();
        r.version += 1;
        r.author_user_id = actor;
        r.updated_at = now;
        if (auto x = SaveRecord(db, r, false); !x) return x;
        if (auto x = SaveVersion(db, r, r.body); !x) return x;
        if (auto x = AppendAll(db, *chain, r, changes, actor, reason, now); !x) return x;
        if (auto x = SaveHead(db, *chain); !x) return x;
      }
      out = std::move(r);
      return {};
    });
    if (!s) return std::unexpected(s.error());
    return out;
  }

  Result<ChainCheck> VerifyChain(Db& db, const std::string& org_id, int64_t head_seq, const std::string& head,
                                 const std::string& anchor) {
    ChainCheck c;
    bool anchor_seen = false;
    c.org_id = org_id;
    auto bad = [&](int64_t seq, std::string problem) {
      c.ok = false;
      c.first_bad_seq = seq;
      c.problem = std::move(problem);
    };
    int64_t last = 0;
    std::string prev = kZeroHash;
    constexpr int64_t kBatch = 2000;
    while (c.ok) {
      auto rows = db.Query(
          Sql({"SELECT ", kHistoryCols, " FROM history WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?"}),
          {org_id, last, kBatch});
      if (!rows) return std::unexpected(rows.error());
      for (const Row& row : *rows) {
        HistoryEntry e = ToEntry(row);
        ++c.entries;
        if (e.seq != last + 1) {
          bad(last + 1, "entry " + std::to_string(last + 1) + " is missing (the next is " +
                            std::to_string(e.seq) + ")");
          break;
        }
        if (e.prev_hash != prev) {
          bad(e.seq, "prev_hash does not match the hash of entry " + std::to_string(e.seq - 1));
          break;
        }
        if (HistoryHash(e) != e.hash) {
          bad(e.seq, "the hash does not match the entry's content");
          break;
        }
        last = e.seq;
        prev = e.hash;
        anchor_seen = anchor_seen || e.hash == anchor;
      }
      if (static_cast<int64_t>(rows->size()) < kBatch) break;
    }
    if (c.ok && last < head_seq) {
      bad(last + 1, "entries " + std::to_string(last + 1) + " to " + std::to_string(head_seq) +
                        " are missing (the chain's head is at " + std::to_string(head_seq) + ")");
    } else if (c.ok && last > head_seq) {
      bad(head_seq + 1, "entry " + std::to_string(head_seq + 1) + " is past the chain's head (" +
                            std::to_string(head_seq) + ")");
    } else if (c.ok && last > 0 && prev != head) {
      bad(last, "the last entry's hash does not match the chain's head");
    }
    if (c.ok && !anchor.empty() && !anchor_seen) {
      bad(last + 1, "no entry has the anchor's hash " + anchor + " (the chain ends at entry " +
                        std::to_string(last) + "): entries were deleted from its end, or it was rewritten");
    }
    c.head = prev;
    return c;
  }

  Dialect dialect_;
  Pool pool_;
  mutable std::mutex clock_mu_;
  std::function<std::string()> clock_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, bool migrate, int connections) {
  auto db = OpenDb(url);
  if (!db) return std::unexpected(db.error());
  if (migrate) {
    auto m = Migrate(**db);
    if (!m) return std::unexpected(m.error());
  } else {
    auto v = SchemaVersion(**db);
    if (!v) return std::unexpected(v.error());
    const int latest = Migrations().back().version;
    if (*v != latest) {
      return MakeError(ErrorKind::kSchema,
                       "the database has schema version " + std::to_string(*v) + ", this program needs " +
                           std::to_string(latest),
                       {}, "", *v < latest ? "open it with migrations enabled" : "use a newer blindspot");
    }
  }
  const Dialect d = (*db)->dialect();
  const int n = (d == Dialect::kSqlite && url == ":memory:") ? 1 : connections;
  auto store = std::make_unique<StoreImpl>(d, url, n);
  store->pool().Add(std::move(*db));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace blindspot::store

// The schema, as versioned migrations in portable SQL (the same text runs on
// SQLite and PostgreSQL): TEXT and BIGINT columns, ids made by the store
// ("org_" + 16 hex), ISO 8601 UTC timestamps as text, foreign keys that
// cascade where a child cannot live without its parent. A new migration is
// appended, never edited once released.
#include <set>

#include "db_internal.h"

namespace blindspot::store {
namespace {

constexpr std::string_view kInitial = R"sql(
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  -- the head of the org's history chain: the last seq and its hash
  history_seq BIGINT NOT NULL DEFAULT 0,
  history_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  totp_secret TEXT NOT NULL DEFAULT '',
  failed_logins BIGINT NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT ''
);
CREATE TABLE memberships (
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id, role)
);
CREATE INDEX memberships_user ON memberships(user_id);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  totp_ok BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_org ON api_tokens(org_id, created_at);
CREATE TABLE records (
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  position BIGINT NOT NULL,
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  owner_user_id TEXT NOT NULL DEFAULT '',
  author_user_id TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id)
);
CREATE INDEX records_order ON records(org_id, kind, position);
-- every version of every record (also of deleted ones: body '' marks the deletion)
CREATE TABLE record_versions (
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  version BIGINT NOT NULL,
  status TEXT NOT NULL,
  owner_user_id TEXT NOT NULL DEFAULT '',
  author_user_id TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  position BIGINT NOT NULL,
  body TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, id, version)
);
CREATE TABLE history (
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE INDEX history_record ON history(org_id, kind, record_id, seq);
CREATE TABLE audits (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  summary TEXT NOT NULL,
  report_json TEXT NOT NULL,
  stamp BIGINT NOT NULL
);
CREATE INDEX audits_org ON audits(org_id, at, stamp);
-- org_id is '' for events outside an organisation (a failed login); no foreign key
CREATE TABLE security_log (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  stamp BIGINT NOT NULL,
  org_id TEXT NOT NULL,
  email TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL,
  remote TEXT NOT NULL
);
CREATE INDEX security_log_org ON security_log(org_id, at, stamp);
CREATE INDEX security_log_at ON security_log(at, stamp);
)sql";

// A covering index of every record column but the body, in register order:
// lists read from it alone (SQLite stores the body before updated_at, so
// reading a row's head from the table walks the body's overflow pages).
constexpr std::string_view kRecordHeads = R"sql(
CREATE INDEX records_heads ON records(org_id, kind, position, id, version, status, owner_user_id,
  author_user_id, due_date, updated_at);
CREATE INDEX records_owner ON records(org_id, owner_user_id, status);
)sql";

// An API token acts with one role of its member (empty: all of them, as
// before).
constexpr std::string_view kTokenRole = R"sql(
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT '';
)sql";

// A password set by an admin or the operator is good for one login: the
// user must choose a new one first.
constexpr std::string_view kMustChangePassword = R"sql(
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
)sql";

// An organisation admin's "add member" invites: the membership starts only
// when the user accepts (an invitation gives no access and counts for no
// rule about members). Roles as a comma-separated list of role names;
// invited_by is the inviting user's id.
constexpr std::string_view kInvitations = R"sql(
CREATE TABLE invitations (
  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  roles TEXT NOT NULL,
  invited_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX invitations_user ON invitations(user_id);
)sql";

constexpr std::string_view kCreateMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

// The advisory lock key of migrations on PostgreSQL (any fixed number).
constexpr int64_t kMigrationLock = 0x626c696e64;

Result<bool> HasMigrationsTable(Db& db) {
  auto rows =
      db.dialect() == Dialect::kSqlite
          ? db.Query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
          : db.Query(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
                "table_name = 'schema_migrations'");
  if (!rows) return std::unexpected(rows.error());
  return !rows->empty() && rows->front().Int(0) > 0;
}

Result<std::set<int64_t>> AppliedVersions(Db& db) {
  std::set<int64_t> out;
  auto has = HasMigrationsTable(db);
  if (!has) return std::unexpected(has.error());
  if (!*has) return out;
  auto rows = db.Query("SELECT version FROM schema_migrations");
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) out.insert(r.Int(0));
  return out;
}

int LatestKnown() { return Migrations().empty() ? 0 : Migrations().back().version; }

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {
      {1,
       "initial schema: orgs, users, memberships, sessions, api tokens, records, versions, history, audits, "
       "security log",
       kInitial},
      {2, "record heads index: lists, my questions and the dashboard read no record bodies", kRecordHeads},
      {3, "api token role: a token acts with one role of its member", kTokenRole},
      {4, "one-time passwords: a password reset makes the user choose a new one at its next login",
       kMustChangePassword},
      {5, "invitations: an admin's new member joins only when the user accepts", kInvitations},
  };
  return kAll;
}

Result<int> SchemaVersion(Db& db) {
  auto applied = AppliedVersions(db);
  if (!applied) return std::unexpected(applied.error());
  return applied->empty() ? 0 : static_cast<int>(*applied->rbegin());
}

Result<std::vector<int>> Migrate(Db& db) {
  auto applied = AppliedVersions(db);
  if (!applied) return std::unexpected(applied.error());
  for (int64_t v : *applied) {
    if (v > LatestKnown()) {
      return MakeError(ErrorKind::kSchema,
                       "the database has schema version " + std::to_string(v) +
                           ", newer than this program knows (" + std::to_string(LatestKnown()) + ")",
                       {}, "", "use a newer blindspot with this database");
    }
  }
  std::vector<int> done;
  for (const Migration& m : Migrations()) {
    if (applied->contains(m.version)) continue;
    if (auto s = db.Begin(); !s) return std::unexpected(s.error());
    auto fail = [&](const Error& e) {
      db.Rollback();
      Error out = e;
      out.message =
          "migration " + std::to_string(m.version) + " (" + std::string(m.name) + ") failed: " + e.message;
      return std::unexpected(std::move(out));
    };
    // Processes opening the same database at once take turns (SQLite: BEGIN
    // IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), and each
    // re-checks what the one before it applied.
    if (db.dialect() == Dialect::kPostgres) {
      if (auto l = db.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationLock}); !l) return fail(l.error());
    }
    if (auto s = db.ExecScript(kCreateMigrations); !s) return fail(s.error());
    auto again = db.Query("SELECT count(*) FROM schema_migrations WHERE version = ?", {int64_t{m.version}});
    if (!again) return fail(again.error());
    if (!again->empty() && again->front().Int(0) > 0) {
      db.Rollback();
      continue;
    }
    if (auto s = db.ExecScript(m.sql); !s) return fail(s.error());
    if (auto s = db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         {int64_t{m.version}, std::string(m.name), UtcNow()});
        !s) {
      return fail(s.error());
    }
    if (auto s = db.Commit(); !s) return fail(s.error());
    done.push_back(m.version);
  }
  return done;
}

}  // namespace blindspot::store

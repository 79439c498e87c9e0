// The privacy administration's storage (issue 9): one schema on SQLite (the
// default, one file, WAL, foreign keys) and PostgreSQL (a team's server),
// versioned migrations applied on open, prepared statements only.
//
// Two layers:
//  - Db: one connection, a thin seam over libsqlite3 and libpqxx. SQL is
//    written once with `?` placeholders (the PostgreSQL backend numbers
//    them); statements are prepared once per connection and cached. Not
//    thread-safe: a connection belongs to one thread at a time (Pool hands
//    them out).
//  - Store: the repository the application layer calls (organisations,
//    users, roles, sessions, API tokens, register records with versions and
//    workflow status, the hash-chained history, audits, the security log).
//    It holds no policy (who may do what is the application layer's,
//    include/blindspot/admin.h); it keeps the data consistent: every write
//    is one transaction, a record update names the version it read and a
//    stale one fails with kConflict, every field change of a record is a
//    history entry whose hash chains it to the one before.
//
// Errors are values: kIo for a database that cannot be opened or a
// statement the database refuses, ErrorKind::kConflict for a stale version
// or a duplicate key, ErrorKind::kNotFound for a missing row. Nothing throws across the API.
// Thread-safety: a Store is safe to use from many threads; it takes a
// connection from its pool per call.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::store {

// ---- the connection seam ----------------------------------------------------

// A statement parameter or a column value. NULL is monostate.
using Value = std::variant<std::monostate, int64_t, std::string>;

struct Row {
  std::vector<Value> cols;
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(cols.at(i)); }
  int64_t Int(size_t i) const;              // 0 for NULL; a text column is parsed
  const std::string& Text(size_t i) const;  // "" for NULL (and for an integer column)
};

enum class Dialect { kSqlite, kPostgres };

// What a failed statement was (for Store to map to kConflict).
enum class DbFailure { kOther, kUniqueViolation, kForeignKeyViolation, kSerialization };

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Status Begin() = 0;  // SQLite: BEGIN IMMEDIATE (writers wait for each other)
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // The failure class of the last failed statement.
  virtual DbFailure last_failure() const = 0;
};

// Opens a connection: "postgresql://..." or "postgres://..." (libpq's URI,
// also "host=... dbname=..." key/value strings starting with one of host=,
// dbname=, user=) is PostgreSQL; anything else is a SQLite file path (its
// folder is created; ":memory:" for tests). SQLite connections run with
// journal_mode=WAL, foreign_keys=ON, busy_timeout 5 s, synchronous=NORMAL.
Result<std::unique_ptr<Db>> OpenDb(const std::string& url);
bool IsPostgresUrl(std::string_view url);

// ---- migrations -----------------------------------------------------------------

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;  // the same text for both dialects (portable SQL only)
};
// The schema's migrations in order (src/store/migrations.cc).
const std::vector<Migration>& Migrations();
// Applies the migrations the database has not had, each in its own
// transaction, recorded in schema_migrations (version, name, applied_at).
// Returns the versions applied. A database newer than this program (an
// unknown version recorded) is kSchema.
Result<std::vector<int>> Migrate(Db& db);
Result<int> SchemaVersion(Db& db);

// ---- the repository ----------------------------------------------------------------

enum class Role { kAdmin, kPrivacyOfficer, kDpo, kBusinessOwner, kApprover, kAuditor };
std::string_view RoleName(
    Role r);  // "admin", "privacy_officer", "dpo", "business_owner", "approver", "auditor"
std::optional<Role> ParseRole(std::string_view s);
const std::vector<Role>& AllRoles();

// Register record kinds: the top-level lists of the native register format
// plus the organisation profile (one record, id "organisation").
enum class RecordKind { kOrganisation, kActivity, kProcessor, kSystem, kTouchpoint, kProcessorRecord };
std::string_view RecordKindName(RecordKind k);  // "organisation", "activity", ... (singular)
std::string_view RecordKindList(RecordKind k);  // the register key: "organisation", "activities",
                                                // "processors", "systems", "touchpoints", "processor_records"
std::optional<RecordKind> ParseRecordKind(std::string_view s);  // the singular name
const std::vector<RecordKind>& AllRecordKinds();                // in register order

// Workflow of a record: draft -> in_review -> approved -> published; obsolete.
enum class RecordStatus { kDraft, kInReview, kApproved, kPublished, kObsolete };
std::string_view RecordStatusName(
    RecordStatus s);  // "draft", "in_review", "approved", "published", "obsolete"
std::optional<RecordStatus> ParseRecordStatus(std::string_view s);

struct Org {
  std::string id;  // "org_" + 16 hex (random)
  std::string name;
  std::string created_at;  // ISO 8601 UTC
};

struct User {
  std::string id;
  std::string email;          // stored lower-case; unique
  std::string password_hash;  // argon2id string (libsodium crypto_pwhash_str)
  std::string totp_secret;    // base32; empty = not enrolled
  int64_t failed_logins = 0;
  std::string locked_until;  // ISO 8601 UTC or empty
  std::string created_at;
  std::string lang;  // preferred UI language ("en", "nl", "de") or empty
  // A one-time password set by an admin or the operator: the user must
  // choose a new one before anything else.
  bool must_change_password = false;
};

struct Membership {
  std::string org_id;
  std::string user_id;
  Role role;
};

// An organisation's pending invitation of a user: no membership (no access,
// counted by no rule about members) until the user accepts it.
struct Invitation {
  std::string org_id;
  std::string user_id;
  std::vector<Role> roles;  // in AllRoles() order
  std::string invited_by;   // the inviting user's id
  std::string created_at;   // ISO 8601 UTC
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value (the value itself is never stored)
  std::string user_id;
  std::string csrf;  // the CSRF token of this session
  std::string created_at, last_seen;
  bool totp_ok = false;  // the second factor was given in this session
};

// A user with every membership: whom a session or an API token acts as.
struct Principal {
  User user;
  std::vector<Membership> memberships;
};

struct ApiToken {
  std::string id;
  std::string org_id;
  std::string user_id;  // acts with this user's roles in org_id
  std::string name;
  std::string token_hash;  // SHA-256 hex of the token
  std::string created_at;
  std::string revoked_at;  // empty = valid
  // The one role the token acts with (it must still be one of the user's
  // roles in org_id); empty: all of the user's roles (tokens made before
  // tokens had a role, and by `blindspot token add` without --role).
  std::string role;
};

struct Record {
  std::string org_id;
  RecordKind kind = RecordKind::kActivity;
  std::string id;        // the register's stable id
  int64_t position = 0;  // order in the register's list
  int64_t version = 0;   // 1 for a new record, +1 per change
  RecordStatus status = RecordStatus::kDraft;
  std::string owner_user_id;   // the business owner it is assigned to; empty = none
  std::string author_user_id;  // who made the current version
  std::string due_date;        // answers due (YYYY-MM-DD) or empty
  std::string body;            // the item as compact JSON in the native register format
  std::string updated_at;
};

// One field change, one link of the org's chain.
struct HistoryEntry {
  std::string org_id;
  int64_t seq = 0;  // 1, 2, ... per organisation
  std::string at;
  std::string actor;  // user id (or "cli")
  RecordKind kind = RecordKind::kActivity;
  std::string record_id;
  int64_t version = 0;  // the record version this change made
  // The field path inside the record ("purposes[0].lawful_basis",
  // "answers.in_use"; "" for the record as a whole: created, deleted) or a
  // workflow field ("@status", "@owner", "@due_date").
  std::string field;
  std::string old_value, new_value;  // compact JSON; "" = absent
  std::string reason;
  std::string prev_hash, hash;  // SHA-256 hex; prev of seq 1 is 64 zeros
};

// The hash of an entry from its fields and prev_hash (what Verify recomputes).
std::string HistoryHash(const HistoryEntry& e);

// The end of an organisation's history chain: its last entry's seq and hash
// (0 and 64 zeros before the first entry).
struct ChainHead {
  int64_t seq = 0;
  std::string hash;
};

struct ChainCheck {
  std::string org_id;
  int64_t entries = 0;
  bool ok = true;
  int64_t first_bad_seq = 0;  // the first entry whose hash or link does not match
  std::string problem;        // what is wrong there
  std::string head;           // the hash of the last entry read (when ok: the chain's end, to keep elsewhere)
};

struct AuditRun {
  std::string id;
  std::string org_id;
  std::string at;
  std::string actor;
  std::string summary;      // one line
  std::string report_json;  // the JSON report
};

struct SecurityEvent {
  std::string at;
  std::string org_id;  // may be empty
  std::string email;   // as given (a failed login may name an unknown user)
  std::string
      event;  // "login_ok", "login_failed", "login_locked", "logout", "totp_failed", "token_added", ...
  std::string detail;  // never a secret
  std::string remote;  // client address
};

// A change of one record: what the caller read (expected_version) and the new body.
struct RecordChange {
  RecordKind kind;
  std::string id;
  int64_t expected_version = 0;  // 0 = create (fails with kConflict when it exists)
  std::string body;              // compact JSON; the field diff against the stored body goes to history
  std::string reason;
};

struct Page {
  int64_t offset = 0;
  int64_t limit = 100;  // at most 1000
};

// Which records FindRecords returns. Filters combine with AND; the order is
// always the register's (kind as AllRecordKinds, then position, then id), so
// a page is a stable slice of it.
struct RecordQuery {
  std::optional<RecordKind> kind;  // only this kind
  // Only these kinds and these records (kind, id): the union of both, when
  // either is non-empty (with `kind` too, the intersection). One query for
  // what a change is checked against.
  std::vector<RecordKind> any_of_kinds;
  std::vector<std::pair<RecordKind, std::string>> any_of_records;
  std::string owner_user_id;  // only records assigned to this user
  bool open_only = false;     // only draft and in_review records
  bool with_bodies = true;    // false: Record::body is left empty (lists, counts)
  std::optional<Page> page;   // a slice (limit not capped here); none = all
};

// The reasons the history gives when an import changes a record's status
// (ReplaceRegister): a record the import lacks is retired, an obsolete one it
// holds comes back as a draft.
inline constexpr std::string_view kNotInImportReason = "not in the imported register";
inline constexpr std::string_view kBackInImportReason = "in the imported register again: a draft again";

// A record whose status an import changed: as it is now, and its status before.
struct StatusChange {
  Record record;
  RecordStatus before = RecordStatus::kDraft;
};
struct ReplaceReport {
  std::vector<StatusChange> retired;     // not in the import: now obsolete
  std::vector<StatusChange> reinstated;  // obsolete, in the import: now a draft
};

class Store {
 public:
  // Opens the database (OpenDb) with a pool of `connections`, applies
  // migrations unless `migrate` is false (then a database that needs them
  // is kSchema).
  static Result<std::unique_ptr<Store>> Open(const std::string& url, bool migrate = true,
                                             int connections = 4);
  virtual ~Store() = default;
  virtual Dialect dialect() const = 0;
  // The clock (ISO 8601 UTC with seconds); tests set a fixed one.
  virtual void SetClock(std::function<std::string()> now) = 0;
  virtual std::string Now() const = 0;

  // Organisations.
  virtual Result<Org> CreateOrg(const std::string& name) = 0;
  virtual Result<Org> GetOrg(const std::string& id) = 0;
  virtual Result<std::vector<Org>> ListOrgs() = 0;

  // Users and roles.
  // `must_change`: the password is one-time (somebody else chose or saw it).
  virtual Result<User> CreateUser(const std::string& email, const std::string& password_hash,
                                  bool must_change = false) = 0;
  virtual Result<User> GetUser(const std::string& id) = 0;
  virtual Result<User> FindUserByEmail(const std::string& email) = 0;  // case-insensitive
  virtual Status UpdateUserSecurity(const std::string& user_id, int64_t failed_logins,
                                    const std::string& locked_until) = 0;
  virtual Status SetTotpSecret(const std::string& user_id, const std::string& secret) = 0;
  // `must_change`: a one-time password (User::must_change_password).
  virtual Status SetPasswordHash(const std::string& user_id, const std::string& hash, bool must_change) = 0;
  virtual Status SetUserLang(const std::string& user_id, const std::string& lang) = 0;
  virtual Status AddMembership(const Membership& m) = 0;  // adding one that exists is ok
  virtual Status RemoveMembership(const Membership& m) = 0;
  virtual Result<std::vector<Membership>> MembershipsOfUser(const std::string& user_id) = 0;
  virtual Result<std::vector<Membership>> MembershipsOfOrg(const std::string& org_id) = 0;
  // Replaces the roles of `user_id` in `org_id` with `roles` (empty: the user
  // leaves the organisation, and its API tokens there are revoked) in one
  // transaction under the organisation's lock. kConflict, and nothing
  // changed, when the organisation would be left without an admin;
  // kNotFound when the user is not a member (unless `roles` adds it).
  virtual Status SetMemberRoles(const std::string& org_id, const std::string& user_id,
                                const std::vector<Role>& roles) = 0;

  // Invitations (see Invitation). Creating one for a user with a pending
  // invitation of the organisation is kConflict; kNotFound for an unknown
  // organisation or user.
  virtual Status CreateInvitation(const Invitation& i) = 0;
  // Oldest first.
  virtual Result<std::vector<Invitation>> InvitationsOfUser(const std::string& user_id) = 0;
  virtual Result<std::vector<Invitation>> InvitationsOfOrg(const std::string& org_id) = 0;
  // kNotFound when there is none.
  virtual Status DeleteInvitation(const std::string& org_id, const std::string& user_id) = 0;
  // In one transaction: gives the user the invitation's roles in the
  // organisation (added to any it has) and deletes the invitation; returns
  // it. kNotFound when there is none.
  virtual Result<Invitation> AcceptInvitation(const std::string& org_id, const std::string& user_id) = 0;

  // Sessions (by the hash of the cookie value).
  virtual Status CreateSession(const Session& s) = 0;
  virtual Result<Session> GetSession(const std::string& token_hash) = 0;
  // The same with the session's user and every membership, in one query.
  virtual Result<std::pair<Session, Principal>> GetSessionPrincipal(const std::string& token_hash) = 0;
  virtual Status TouchSession(const std::string& token_hash, const std::string& last_seen, bool totp_ok) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;  // kNotFound when there is none
  virtual Status DeleteSessionsIdleSince(const std::string& before) = 0;
  // Ends every session of a user (a reset second factor, a removed member).
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;

  // API tokens.
  virtual Status CreateApiToken(const ApiToken& t) = 0;
  virtual Result<ApiToken> FindApiToken(const std::string& token_hash) = 0;
  // The token with this hash and its user with every membership, in one
  // query (each API request authenticates). kNotFound when no token has it.
  virtual Result<std::pair<ApiToken, Principal>> FindApiTokenPrincipal(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(const std::string& org_id) = 0;
  // Sets revoked_at to Now(); kNotFound for an unknown token, kConflict for
  // one revoked before (saying when).
  virtual Status RevokeApiToken(const std::string& org_id, const std::string& token_id) = 0;

  // Register records, in register order: by kind (AllRecordKinds), then position.
  virtual Result<std::vector<Record>> ListRecords(const std::string& org_id,
                                                  std::optional<RecordKind> kind = std::nullopt) = 0;
  // The records the query selects, in register order (see RecordQuery).
  // An org without records is an empty list; an unknown org is kNotFound.
  virtual Result<std::vector<Record>> FindRecords(const std::string& org_id, const RecordQuery& q) = 0;
  // How many records the query selects (its page ignored).
  virtual Result<int64_t> CountRecords(const std::string& org_id, const RecordQuery& q) = 0;
  // A page of FindRecords and CountRecords' total, read in one query (one
  // round trip to the database) when the page is not past the end.
  virtual Result<std::pair<std::vector<Record>, int64_t>> FindRecordsCounted(const std::string& org_id,
                                                                             const RecordQuery& q) = 0;
  virtual Result<Record> GetRecord(const std::string& org_id, RecordKind kind, const std::string& id) = 0;
  // Applies all changes in one transaction (all or nothing): creates,
  // updates (version check: a stale expected_version is kConflict with the
  // current version in the message), each field change a history entry.
  // A record whose body does not change keeps its version and gets no entry.
  // New records are draft, positioned after the last of their kind. A body
  // must be a JSON object (kParse, kSchema); it is stored compact with its
  // keys in the given order. A record deleted before and created again goes
  // on from its last version.
  virtual Result<std::vector<Record>> ApplyChanges(const std::string& org_id, const std::string& actor,
                                                   const std::vector<RecordChange>& changes) = 0;
  // Replaces the whole register of an org in one transaction: records not
  // in `records` are never deleted but marked obsolete (history "@status",
  // reason kNotInImportReason; obsolete ones stay as they are), others
  // created or updated (no version check per record: an import), positions
  // as given (a record only moved keeps its version and gets no entry); an
  // obsolete record in `records` is a draft again first (its own version,
  // history "@status", reason kBackInImportReason). An id twice is
  // kReference. With `expected_head`, the chain's head hash (HistoryHead)
  // the caller read the register at: when the head is another by now (the
  // register changed since), kConflict and nothing is written; checked under
  // the organisation's lock. `report` (optional) lists the records retired
  // and reinstated. Returns the records of `records`, in their order.
  virtual Result<std::vector<Record>> ReplaceRegister(const std::string& org_id, const std::string& actor,
                                                      const std::vector<RecordChange>& records,
                                                      const std::string& reason,
                                                      const std::optional<std::string>& expected_head = {},
                                                      ReplaceReport* report = nullptr) = 0;
  // Workflow fields, version-checked like a change, with a history entry
  // ("@status", "@owner", "@due_date"). A status the record has already
  // writes nothing, unless `record_unchanged` (an entry old = new: a
  // decision about the record that keeps its status, e.g. confirming an
  // import's retirement).
  virtual Result<Record> SetStatus(const std::string& org_id, RecordKind kind, const std::string& id,
                                   int64_t expected_version, RecordStatus status, const std::string& actor,
                                   const std::string& reason, bool record_unchanged = false) = 0;
  virtual Result<Record> Assign(const std::string& org_id, RecordKind kind, const std::string& id,
                                int64_t expected_version, const std::string& owner_user_id,
                                const std::string& due_date, const std::string& actor) = 0;
  // A value that changes whenever the org's register as exported can: every
  // record's kind, id, version, position and status and the last history
  // entry's seq (a body change, a creation and a deletion each write
  // history). Cheap (no bodies read); for caches of the exported register.
  // kNotFound for an unknown organisation.
  virtual Result<std::string> RegisterStamp(const std::string& org_id) = 0;
  // A record as it was at `version` (its body and status then; body "" is
  // the version that deleted it).
  virtual Result<Record> GetRecordVersion(const std::string& org_id, RecordKind kind, const std::string& id,
                                          int64_t version) = 0;

  // History, newest first (seq descending); `record_id` filters when not empty.
  virtual Result<std::vector<HistoryEntry>> History(const std::string& org_id, const Page& page,
                                                    std::optional<RecordKind> kind = std::nullopt,
                                                    const std::string& record_id = "") = 0;
  // How many entries the org's chain has: its head's seq (0 for an unknown org).
  virtual Result<int64_t> HistoryCount(const std::string& org_id) = 0;
  // The org's recorded chain head: it moves with every change of the
  // register (each writes history), so it is the register's version.
  virtual Result<ChainHead> HistoryHead(const std::string& org_id) = 0;
  // The org's head seq and the records its history entries after `after_seq`
  // are about (each once, in order of their first change since), in one
  // query: what a cache made at `after_seq` must read again. At most `limit`
  // records; `more` says there were others (read everything instead).
  // kNotFound for an unknown org.
  struct ChangedRecords {
    int64_t head_seq = 0;
    std::vector<std::pair<RecordKind, std::string>> records;
    bool more = false;
  };
  virtual Result<ChangedRecords> ChangedSince(const std::string& org_id, int64_t after_seq, size_t limit) = 0;
  // Recomputes every hash of the org's chain (all orgs when empty). With an
  // `anchor` (an entry's hash kept outside the database, e.g. a head printed
  // by an earlier check; needs `org_id`, else kUsage) the chain must also
  // hold an entry with that hash: a chain cut back together with its stored
  // head passes every other check but not this one.
  virtual Result<std::vector<ChainCheck>> VerifyHistory(const std::string& org_id = "",
                                                        const std::string& anchor = "") = 0;

  // Audits.
  virtual Status SaveAudit(const AuditRun& a) = 0;
  virtual Result<AuditRun> LatestAudit(const std::string& org_id) = 0;
  // The latest audit without its report_json (left empty): what a dashboard
  // shows, without reading a report of hundreds of kilobytes.
  virtual Result<AuditRun> LatestAuditSummary(const std::string& org_id) = 0;
  // Newest first. SaveAudit makes the id ("aud_" + hex) and `at` when empty.
  virtual Result<std::vector<AuditRun>> ListAudits(const std::string& org_id, const Page& page) = 0;

  // Security log (logins, lockouts, tokens).
  virtual Status LogSecurity(const SecurityEvent& e) = 0;
  // Newest first; all organisations' events (and those of none) when org_id is empty.
  virtual Result<std::vector<SecurityEvent>> SecurityLog(const std::string& org_id, const Page& page) = 0;

  // SQLite only: an online backup to `path` (sqlite3_backup_*), consistent
  // while writers go on, written to a temporary file and renamed (never over
  // the live database). PostgreSQL: kUsage naming pg_dump.
  virtual Status Backup(const std::string& path) = 0;
};

// Field-level difference of two JSON documents (compact JSON text): one
// (path, old, new) per changed leaf or added/removed subtree. Objects by
// key ("answers.in_use"), arrays of objects that all have a string "id" by
// id ("purposes[purpose-1]"), other arrays as a whole value. "" for a side
// means absent. Exposed for tests and the version compare view.
struct FieldChange {
  std::string path, old_value, new_value;
};
Result<std::vector<FieldChange>> DiffJson(std::string_view old_json, std::string_view new_json);

}  // namespace blindspot::store

// The privacy administration's application layer (issue 9): every use case
// of the server and of the administration commands of the CLI, once. The
// HTTP door (include/blindspot/http.h) and the CLI (`blindspot org add`,
// `user add`, `token add`, `db ...`, `history verify`) only parse, call one
// of these and render; who may do what is decided here, in one permission
// table (RoleAllows), and nowhere else.
//
// Ownership: an Admin borrows a Store (include/blindspot/store.h) that
// outlives it. Errors are values: kAuth (not logged in, bad password, code or
// token), kDenied (the role does not allow it), kNotFound, kConflict (a stale
// version: reload and retry), kUsage/kParse/kSchema (bad input, with
// location), kIo (the database). Thread-safety: an Admin is used by all the
// server's threads at once; it keeps only the login throttle, the TOTP
// steps, a cache of exported registers (each checked against the store's
// RegisterStamp before use, so other processes' writes are seen) and the
// immutable options.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "blindspot/app.h"
#include "blindspot/auth.h"
#include "blindspot/register.h"
#include "blindspot/store.h"

namespace blindspot::admin {

using store::Role;

// What a role may do in its organisation.
enum class Permission {
  kRead,            // the register, findings, audits, assignments
  kReadHistory,     // the change history
  kEditRegister,    // any record; import a register
  kEditAssigned,    // the records assigned to the actor (business owners)
  kAssign,          // assign records to business owners, set due dates
  kApprove,         // approve a record in review (never one's own version)
  kPublish,         // publish approved records; mark records obsolete
  kRunAudit,        // upload evidence and run an audit
  kManageMembers,   // users and roles of the organisation
  kManageTokens,    // API tokens of the organisation
  kReadSecurityLog  // logins, lockouts, tokens
};
std::string_view PermissionName(Permission p);
const std::vector<Permission>& AllPermissions();
// The permission table (docs/server.md prints it): admin everything;
// privacy_officer everything but members; dpo and auditor read everything
// (incl. history and the security log for the dpo); business_owner reads
// and edits what is assigned to it; approver reads and approves.
bool RoleAllows(Role r, Permission p);

// Who is asking, in which organisation.
struct Actor {
  std::string user_id;
  std::string email;
  std::string org_id;
  std::vector<Role> roles;   // in org_id
  std::string token_id;      // set when authenticated by an API token
  std::string lang = "en";   // preferred language
  bool lang_chosen = false;  // the user set `lang` (else it is the default)
  std::string remote;        // the client's address, for the security log ("" outside HTTP)
  bool Can(Permission p) const;
  bool Has(Role r) const;
};

struct Upload {
  std::string name;     // the file name as uploaded
  std::string content;  // the file
};

// Roles that must log in with a second factor (TOTP).
bool NeedsSecondFactor(const std::vector<store::Membership>& memberships);

struct Options {
  app::Options app;                  // kb, filter lists, limits for audits
  std::string issuer = "blindspot";  // shown in authenticator apps
  int idle_timeout_minutes = 30;
  int absolute_timeout_hours = 12;
  int max_login_failures = 5;  // per account before a lockout
  int lockout_minutes = 15;
  // The clock as unix seconds (tests set a fixed one); the store has its own for timestamps.
  std::function<int64_t()> unix_now;
};

struct NewUser {
  store::User user;
  std::string totp_secret;  // set when the role needs a second factor and the user had none: show it once
  std::string totp_uri;
  bool created = false;  // false: an existing user got the role
};

struct LoginRequest {
  std::string email, password, totp_code, remote;
};
struct LoginResult {
  std::string session_cookie;  // the secret cookie value (only its hash is stored)
  std::string csrf;
  store::User user;
  // A one-time password was given (a reset): the session is good only for
  // choosing a new one (ChangePassword), then for the rest.
  bool must_change_password = false;
  // The user's role needs a second factor and it has none yet: the session
  // is good only for enrolling one (StartTotpEnrolment, EnrolTotp).
  bool must_enrol = false;
};

// A member of an organisation: one user with its roles there.
struct Member {
  std::string user_id, email;
  std::vector<Role> roles;           // in AllRoles() order
  bool second_factor = false;        // a TOTP secret is enrolled
  bool needs_second_factor = false;  // one of its roles needs one (admin, privacy_officer)
};

// A pending invitation as the lists show it.
struct InvitationView {
  store::Invitation invitation;
  std::string org_name;
  std::string email;             // of the invited user
  std::string invited_by_email;  // of the admin who invited ("" when that account is gone)
};

// What AddMember did: the same for an address with an account and one
// without (nothing tells them apart).
struct AddedMember {
  InvitationView invitation;
  // Made here when none was given: shown once, never stored. It becomes the
  // password of the account only if the address had none yet.
  std::string initial_password;
};

// A new API token: the secret is returned once, only its SHA-256 is kept.
struct NewToken {
  store::ApiToken token;  // token_hash left empty
  std::string email;      // of the member it acts as
  std::string secret;     // "bst_..."
};

// A TOTP secret offered for enrolment; stored only by EnrolTotp.
struct TotpEnrolment {
  std::string secret;  // base32
  std::string uri;     // otpauth://totp/...
  std::string mac;     // binds the secret to the session and this server (EnrolTotp checks it)
};

// An evidence bundle uploaded as a .zip (the folder `blindspot scan` wrote):
// bounds on what is unpacked (into memory, never onto a disk).
struct ZipLimits {
  size_t max_entries = 2000;
  uint64_t max_bytes = 256ull << 20;  // all files uncompressed, counted as they are inflated
  uint64_t max_file_bytes = 128ull << 20;
};
// The files of a zip archive held in memory, by their path in it. kUsage
// (400) naming the entry for: not a zip; an entry whose path is absolute,
// holds "..", a backslash or a control character; a symbolic link or any
// other non-regular file; an encrypted entry; a path twice; more entries or
// more bytes uncompressed than the limits (a zip bomb is stopped while it
// inflates, whatever sizes its headers claim). Folders are skipped. Pure:
// no file I/O.
Result<std::vector<Upload>> ReadZip(std::string_view zip, const ZipLimits& limits = {});

// A register record as the door shows it, with what it needs to render.
struct RecordView {
  store::Record record;
  std::string name;               // the record's display name (its `name`, else its id)
  std::string owner_email;        // the business owner it is assigned to
  std::string author_email;       // who made the current version
  bool editable = false;          // by the actor
  bool approvable = false;        // by the actor (approver, not the author, in review)
  int questions_total = 0;        // touchpoints: the seven questions
  int questions_answered = 0;     // as rule BS013 counts them (all seven when not in use)
  std::string business_function;  // activities: their business_function (the department)
  std::string first_activity;     // touchpoints: the id of the first activity they serve
};

// The dashboard's counts for one department: the activities with that
// business_function and the touchpoints whose first activity has it
// (obsolete records not counted). Answered: approved or published, or a
// touchpoint with all seven questions answered; open: the rest; overdue:
// open with a due date before today.
struct DepartmentCounts {
  std::string department;  // "" for records without one
  int records = 0, answered = 0, open = 0, overdue = 0;
};

struct Dashboard {
  std::string controller;                     // the organisation record's name, if it has one
  std::vector<DepartmentCounts> departments;  // by department name
};

// A slice of the records and how many the query selects in all.
struct RecordPage {
  std::vector<RecordView> items;
  int64_t total = 0;
};

// A record an import took out of the register or brought back.
struct ImportNote {
  store::RecordKind kind = store::RecordKind::kActivity;
  std::string id;
  std::string name;                                          // its display name
  store::RecordStatus before = store::RecordStatus::kDraft;  // its status before the import
};

struct ImportResult {
  size_t records = 0;
  size_t changed = 0;  // history entries written
  std::vector<std::string> warnings;
  // Records the import lacks: marked obsolete (never deleted), history
  // "not in the imported register"; a published one stays in the public
  // register until a privacy officer confirms (obsolete) or reinstates it.
  std::vector<ImportNote> retired;
  // Obsolete records the import holds again: a draft again (history says so).
  std::vector<ImportNote> reinstated;
};

// An API token as its list shows it: whose it is and the roles it acts with.
struct TokenView {
  store::ApiToken token;
  std::string email;               // of the member it acts as
  std::vector<store::Role> roles;  // the member's roles in the token's organisation now
};

// The public register's JSON (the shape of Admin::PublicRegisterJson) from a
// register file: a file has no publication status, so every processing
// activity in it counts as published, at `generated_at`. Processor ids are
// replaced by their names, as in the server's. Pure.
std::string PublicRegisterFromRegister(const Register& reg, const std::string& generated_at);

class Admin {
 public:
  Admin(store::Store& store, Options options);

  store::Store& store() { return store_; }
  const Options& options() const { return options_; }

  // ---- setup (the CLI: the operator of the machine, no actor) ----
  Result<store::Org> AddOrg(const std::string& name);
  // Creates the user when the e-mail is new (the password is required then)
  // and gives it `role` in `org_id`. For admin and privacy_officer a TOTP
  // secret is made when the user has none (returned once).
  Result<NewUser> AddUser(const std::string& org_id, const std::string& email, Role role,
                          const std::string& password);
  // A new API token acting as the user `email` in `org_id` (a member there);
  // the token is returned once, only its hash is kept.
  Result<std::string> AddToken(const std::string& org_id, const std::string& email, const std::string& name,
                               const std::string& actor = "cli");

  // ---- authentication ----
  // Password (argon2id) and, for users with a role that needs it, the TOTP
  // code. An unknown address, a wrong password or code and a locked
  // account are all kAuth with one and the same message (taking about the
  // time of a password check each), so the answer tells no one which
  // accounts exist or are locked; a throttled client is kAuth with the
  // seconds to wait; every attempt is in the security log with what it
  // really was (never the password).
  Result<LoginResult> Login(const LoginRequest& r);
  Status Logout(const std::string& session_cookie);
  // The user of a session cookie (kAuth when unknown, idle or expired; the
  // session's last use is updated). `principal`, when given, receives the
  // session's user and memberships (read in the same query).
  Result<store::Session> CheckSession(const std::string& session_cookie,
                                      store::Principal* principal = nullptr);
  // The actor of a session or token in `org_id`: kAuth when not
  // authenticated, kNotFound when not a member of the organisation (the
  // same as for an organisation that does not exist: no enumeration of
  // ids), kDenied for a token of another organisation (whatever the id).
  // `principal`: the session's user and memberships as CheckSession read
  // them (else they are read again).
  Result<Actor> ActorForSession(const store::Session& s, const std::string& org_id,
                                const store::Principal* principal = nullptr);
  Result<Actor> ActorForToken(const std::string& bearer, const std::string& org_id);
  // The organisations a user is a member of, with its roles there.
  Result<std::vector<std::pair<store::Org, std::vector<Role>>>> OrgsOfUser(const std::string& user_id);
  // The organisation `id` (kNotFound when there is none), from a cache.
  Result<store::Org> Org(const std::string& id);
  // The same from memberships already read (a session's principal).
  Result<std::vector<std::pair<store::Org, std::vector<Role>>>> OrgsOf(
      const std::vector<store::Membership>& ms);

  // ---- the register ----
  // Imports a register (native YAML/JSON or any importer's format) as the
  // org's register: every item a record (stable ids as keys), history
  // entries for what changed. Needs kEditRegister. With `expected_version`
  // (a RegisterVersion the caller read), kConflict and nothing written when
  // the register has changed since; without, it replaces whatever is there.
  // The format is recognised from the content (XLSX and CSV in a known
  // template's columns, the VWS and privacy-register JSON, Fides, native);
  // `format` names an importer to force one (kUsage when there is none).
  Result<ImportResult> PutRegister(const Actor& a, std::string_view text, const std::string& file_name,
                                   const std::string& reason,
                                   const std::optional<std::string>& expected_version = std::nullopt,
                                   const std::string& format = {});
  // The register's version: the head hash of the org's history chain (64
  // hex digits), which every change of the register moves. The API's ETag
  // of the exported register. Needs kRead.
  Result<std::string> RegisterVersion(const Actor& a);
  // The current register (all records but obsolete ones) in the native
  // format ("yaml", "json") or any exporter's (blindspot/io.h AllExporters:
  // "xlsx", "csv", "ico-xlsx", "dpv", "vws", ...; bytes for XLSX). kUsage
  // for an unknown format or a register the format cannot carry. Needs kRead.
  Result<std::string> GetRegister(const Actor& a, const std::string& format);
  // The same export, shared with the cache (no copy; the text never changes).
  Result<std::shared_ptr<const std::string>> ExportRegister(const Actor& a, const std::string& format);
  // The current register as the model (for audits and views).
  Result<Register> CurrentRegister(const std::string& org_id);
  Result<std::vector<RecordView>> Records(const Actor& a, std::optional<store::RecordKind> kind);
  // The records a query selects (a page of them, with or without bodies)
  // and their total. Views come from the record heads and the summary
  // cache (below), so a list reads no bodies unless asked to. kRead.
  Result<RecordPage> FindRecords(const Actor& a, store::RecordQuery q);
  Result<RecordView> GetRecord(const Actor& a, store::RecordKind kind, const std::string& id);
  // The records assigned to the actor that are not approved or published yet.
  Result<std::vector<RecordView>> MyQuestions(const Actor& a);
  // Answered, open and overdue per department as of `today` (YYYY-MM-DD).
  // kRead. Every change of a record writes history, so the records are kept
  // per organisation with the history seq they were read at, and only those
  // changed since are read again (one query when none is): never stale, also
  // with several servers on one database.
  Result<Dashboard> DashboardOf(const Actor& a, const std::string& today);
  // Replaces a record's body (JSON of the item in the native format; its id
  // must stay), version-checked. Checked by parsing the whole register with
  // the change: a change that makes the register invalid is refused with
  // the reader's diagnostics. An approved or published record goes back to
  // draft. kEditRegister, or kEditAssigned for a record assigned to the actor.
  // A problem in the body is placed by a JSON pointer into `body_json`
  // (Error::where.pointer, no file), never in the register it is checked in.
  Result<RecordView> UpdateRecord(const Actor& a, store::RecordKind kind, const std::string& id,
                                  int64_t expected_version, const std::string& body_json,
                                  const std::string& reason);
  // Answers to the seven touchpoint questions (TouchpointAnswers as JSON, the
  // native format's `answers` object), merged into the touchpoint. A problem
  // is placed by a JSON pointer into `answers_json` ("/in_use").
  Result<RecordView> AnswerTouchpoint(const Actor& a, const std::string& id, int64_t expected_version,
                                      const std::string& answers_json, const std::string& reason);
  // Assigns a record to a member of the org (by e-mail; empty = nobody) with a due date. kAssign.
  // kUsage (400) when the due date is not a calendar date written YYYY-MM-DD
  // (path "due_date"), or when the member's roles cannot answer the record
  // (none has edit_assigned or edit_register: dpo, approver, auditor; path
  // "owner", naming the roles): an assignment nobody can act on.
  Result<RecordView> Assign(const Actor& a, store::RecordKind kind, const std::string& id,
                            int64_t expected_version, const std::string& owner_email,
                            const std::string& due_date);
  // Workflow: "submit" (draft -> in_review; an editor of the record),
  // "approve" (in_review -> approved; kApprove and not the author of the
  // version), "reject" (in_review -> draft; kApprove), "publish" (approved ->
  // published; kPublish), "obsolete" (any -> obsolete; kPublish; on a record
  // an import retired it confirms the retirement, which takes it out of the
  // public register), "reinstate" (obsolete -> draft; kPublish; kConflict when
  // the register would not hold together with it). A step that does not
  // apply to the status is kConflict.
  Result<RecordView> Transition(const Actor& a, store::RecordKind kind, const std::string& id,
                                int64_t expected_version, const std::string& step, const std::string& reason);
  // An obsolete record an import retired (store::kNotInImportReason) that no
  // privacy officer has decided on since: its published version stays in
  // the public register.
  bool RetiredByImport(const store::Record& r);

  // ---- audits ----
  // Audits the current register against uploaded evidence files (at least
  // one: HARs and the discovery files `--evidence` reads): the JSON report of
  // app::Audit, stored as the org's latest audit. kRunAudit. A file that does
  // not read is named by its upload's file name.
  // When the actor may also edit the register (kEditRegister), each blind
  // spot and inferred touchpoint of the audit becomes a draft touchpoint
  // record pre-filled with what was seen (Touchpoint::discovered, made by
  // DraftTouchpoints), for a business owner to confirm or correct; the run's
  // summary lists them ("drafted": [{id, name}]) and keeps a failure to make
  // them ("draft_error") without failing the audit. Never for a product a
  // touchpoint record already has (an obsolete one included). A draft stays
  // a blind spot in the next audits' reports until its owner answers whether
  // it is in use (Reconcile).
  Result<store::AuditRun> RunAudit(const Actor& a, const std::vector<Upload>& hars);
  // Audits the current register against an evidence bundle uploaded as a
  // .zip of its folder (ReadZip; the folder may be the zip's root or its one
  // top-level folder): its manifest's hashes are verified (kUsage naming the
  // changed, missing and extra files when they do not match), then each
  // consent phase is a source, as `blindspot audit --evidence DIR` reads it.
  // kRunAudit.
  Result<store::AuditRun> RunBundleAudit(const Actor& a, std::string_view zip, const ZipLimits& limits = {});
  Result<store::AuditRun> LatestAudit(const Actor& a);

  // ---- history ----
  Result<std::vector<store::HistoryEntry>> History(const Actor& a, const store::Page& page);
  // The changes of one record, newest first. kReadHistory.
  Result<std::vector<store::HistoryEntry>> RecordHistory(const Actor& a, store::RecordKind kind,
                                                         const std::string& id, const store::Page& page);
  // Compares two versions of a record field by field.
  Result<std::vector<store::FieldChange>> CompareVersions(const Actor& a, store::RecordKind kind,
                                                          const std::string& id, int64_t from, int64_t to);
  Result<std::vector<store::SecurityEvent>> SecurityLog(const Actor& a, const store::Page& page);

  // ---- publication ----
  // The public register (docs/server.md#the-public-register): the
  // organisation profile and the processing activities (controller records,
  // GDPR Art. 30(1)) in their last published version, as JSON: name,
  // purposes with lawful bases, data subjects, data categories, recipients,
  // third-country transfers with safeguards, retention, security measures.
  // Records never published are left out; nothing that is not published
  // appears. Needs no actor: what it holds is public by the organisation's
  // decision (the CLI and a kRead route call it).
  Result<std::string> PublicRegisterJson(const std::string& org_id);

  // ---- the user's own settings ----
  // The user's language for pages and reports: "en", "nl" or "de" (else kUsage).
  Status SetLanguage(const std::string& user_id, const std::string& lang);
  // Changes the password of the session's user. `current` must be its
  // password: a wrong one is kDenied (path "current_password") and counts
  // toward the account's lockout like a failed login (while locked, every
  // attempt is kDenied); a client address with too many failures is
  // throttled as at the login (kDenied with the seconds to wait). `fresh`
  // follows the rules of every password (kUsage, path "new_password") and
  // differs from the current one. Every OTHER session of the user ends (this
  // one stays); its API tokens stay. Clears a one-time password. Logged
  // ("password_changed", no secret) in each of the user's organisations.
  Status ChangePassword(const store::Session& s, const std::string& current, const std::string& fresh,
                        const std::string& remote);

  // ---- tokens and members (kManageTokens / kManageMembers) ----
  // The organisation's API tokens with kManageTokens; a member's own tokens
  // without it (every member may make, list and revoke its own).
  Result<std::vector<TokenView>> Tokens(const Actor& a);
  // kNotFound for an unknown token (and, without kManageTokens, for another
  // member's), kConflict for one revoked before (saying when).
  Status RevokeToken(const Actor& a, const std::string& token_id);
  Result<std::vector<std::pair<store::Membership, std::string>>> Members(const Actor& a);  // with e-mails
  // The members, one per user with its roles, sorted by e-mail. kRead.
  Result<std::vector<Member>> MemberList(const Actor& a);
  // Invites the user `email` to the actor's organisation with `roles` (at
  // least one): the membership starts only when the user accepts
  // (AcceptInvitation); until then it gives no access and counts for no rule
  // about members (second factor and password resets, the last admin). An
  // address without an account gets one with `password` (or, when that is
  // empty, an initial password made here and returned once), one-time: the
  // admin knows it, so the user replaces it at its first login; an address with
  // one keeps its own password and the given one is ignored, but it is
  // checked by the same rules and hashed all the same, so the answer (and
  // about its time) is one and the same: it tells the admin nothing about
  // the address. A member already or an invitation pending is kConflict.
  // No second factor is made: a user whose role needs one enrols it at its
  // first request after accepting. Logged ("member_invited"). kManageMembers.
  Result<AddedMember> AddMember(const Actor& a, const std::string& email, const std::vector<Role>& roles,
                                const std::string& password);
  // The organisation's pending invitations, oldest first. kRead.
  Result<std::vector<InvitationView>> OrgInvitations(const Actor& a);
  // Withdraws the pending invitation of `user_id` (kNotFound when there is
  // none). Logged ("invitation_revoked"). kManageMembers.
  Status RevokeInvitation(const Actor& a, const std::string& user_id);
  // Replaces a member's roles (at least one; RemoveMember to remove). Never
  // leaves the organisation without an admin (kConflict). A token whose role
  // the member loses stops working. Logged. kManageMembers.
  Status SetMemberRoles(const Actor& a, const std::string& user_id, const std::vector<Role>& roles);
  // Removes a member (never the last admin: kConflict); its tokens in the
  // organisation are revoked. Logged. kManageMembers.
  Status RemoveMember(const Actor& a, const std::string& user_id);
  // A new API token for the member `user_id` acting with one of its roles.
  // A token acts as its maker: `user_id` must be the actor's own (kDenied
  // otherwise), and the role one of the actor's. Logged. Any member (kRead).
  Result<NewToken> CreateToken(const Actor& a, const std::string& user_id, const std::string& name,
                               Role role);
  // Clears a member's second factor and ends its sessions: it enrols a new
  // one at its next login. Only for a user whose every organisation the
  // actor administers (kDenied otherwise). Logged ("totp_reset").
  // kManageMembers.
  Status ResetSecondFactor(const Actor& a, const std::string& user_id);
  // Gives a member a one-time password: `password` (the rules of every
  // password, path "password") or, when empty, one made here and returned
  // once (else "" is returned). The user must choose a new one at its next
  // login before anything else; all its sessions end; a lockout is lifted;
  // its API tokens stay. Only for a user whose every organisation the actor
  // administers (kDenied otherwise, as ResetSecondFactor), never the actor
  // itself (ChangePassword). Logged ("password_reset", no secret).
  // kManageMembers.
  Result<std::string> ResetPassword(const Actor& a, const std::string& user_id, const std::string& password);
  // The same by the operator of the machine (the CLI, no actor) for the
  // user `email` (kNotFound naming it when there is none); `password`
  // required. Logged in each of the user's organisations.
  Status ResetPasswordByOperator(const std::string& email, const std::string& password);

  // ---- invitations (the invited user itself, by session) ----
  // The user's pending invitations, oldest first.
  Result<std::vector<InvitationView>> MyInvitations(const std::string& user_id);
  // Accepting makes the invitation's roles the user's memberships (added to
  // any it has there); declining deletes it. kNotFound when the user has no
  // invitation of `org_id` (the same for an organisation that does not
  // exist). Logged in the organisation ("invitation_accepted",
  // "invitation_declined"). A role that needs a second factor, accepted by
  // a user without one, sends its session to enrolment at its next request.
  Status AcceptInvitation(const store::Session& s, const std::string& org_id, const std::string& remote);
  Status DeclineInvitation(const store::Session& s, const std::string& org_id, const std::string& remote);

  // ---- enrolling a second factor (the user itself, by session) ----
  // A new secret to show (not stored yet). kUsage when the user's roles need
  // no second factor, kConflict when it has one already.
  Result<TotpEnrolment> StartTotpEnrolment(const store::Session& s);
  // Stores `secret` as the user's second factor when `code` is its current
  // code (kAuth otherwise) and the user has none yet (kConflict); the
  // session counts as logged in with the second factor from then on.
  // Logged ("totp_enrolled").
  // `mac`: the one StartTotpEnrolment gave with `secret` (a secret the
  // client chose, or one offered to another session or by an earlier run of
  // the server, is refused: path "secret").
  Status EnrolTotp(const store::Session& s, const std::string& secret, const std::string& mac,
                   const std::string& code, const std::string& remote);

 private:
  int64_t UnixNow() const;
  // What a view shows of a record's body (its name, department, answers),
  // derived from the body of one version.
  struct Summary {
    int64_t version = 0;
    std::string name, business_function, first_activity;
    int questions_total = 0, questions_answered = 0;
  };
  static Summary Summarize(const store::Record& r);  // r.body must be set
  // Summaries by org, kind and id, each of the version it was made from: a
  // record whose version differs is summarised again from its body, so the
  // cache is never stale, also with several servers on one database. Filled
  // on reads and by this server's writes. Bounded; guarded by its mutex.
  struct SummaryCache {
    static constexpr size_t kMaxEntries = 200'000;
    std::mutex mu;
    std::unordered_map<std::string, Summary> entries;
    static std::string Key(const store::Record& r);
    static void KeyInto(const store::Record& r, std::string& key);  // Key without a new string
    std::optional<Summary> Find(const store::Record& r);            // only of r.version
    // Find for each record, under one lock; out[i] stays empty on a miss.
    void FindAll(const std::vector<store::Record>& rs, std::vector<std::optional<Summary>>& out);
    void Put(const store::Record& r, Summary s);
  };
  // UpdateRecord of the record `current` (as GetRecord read it).
  Result<RecordView> UpdateFrom(const Actor& a, RecordView current, int64_t expected_version,
                                const std::string& body_json, const std::string& reason);
  void Remember(const store::Record& r);  // after a write: the new version's summary
  // Views of records read with or without bodies: summaries from the cache,
  // the missing ones from the bodies (read in one query when there is none).
  Result<std::vector<RecordView>> Views(const Actor& a, std::vector<store::Record> records);
  // The summary of each record (all set on success): the first half of Views.
  Result<std::vector<std::optional<Summary>>> Summaries(const Actor& a,
                                                        const std::vector<store::Record>& records);
  RecordView View(const Actor& a, store::Record r, const Summary& s);
  Result<RecordView> View(const Actor& a, store::Record r);
  // The JSON export built from the stored bodies without parsing the register (see GetRegister).
  static std::string JsonExport(const std::vector<store::Record>& records);
  Status Require(const Actor& a, Permission p) const;
  // Runs app::Audit (JSON) on what `env` holds and saves it as the org's latest audit.
  // `named`: the path each upload has in `env` -> its name as the client sent
  // it (an error names the upload, not the path the audit gave it).
  // The drafts of an audit's blind spots (DraftTouchpoints), made as draft
  // touchpoint records in one change: (id, name) of each. None for a product
  // an obsolete touchpoint already has.
  Result<std::vector<std::pair<std::string, std::string>>> DraftQuestions(const Actor& a,
                                                                          const AuditResult& result,
                                                                          const std::string& audit_id,
                                                                          const std::string& date);
  Result<store::AuditRun> SaveAuditOf(const Actor& a, MemEnv& env, app::AuditRequest& req,
                                      const std::vector<std::pair<std::string, std::string>>& named = {});
  // The member `user_id` of the actor's organisation (kNotFound when it is none).
  Result<Member> FindMember(const Actor& a, const std::string& user_id);
  void Log(const Actor& a, const std::string& email, std::string event, std::string detail);
  // Logs `event` for `email` in each organisation `user_id` is a member of.
  void LogForUser(const std::string& user_id, const std::string& email, const std::string& event,
                  const std::string& detail, const std::string& remote);
  // kDenied unless the actor is an admin of every organisation the member
  // belongs to (its password and second factor guard them all).
  Status AdministersEveryOrgOf(const Actor& a, const Member& m);
  // Sets a one-time password for `u` (ResetPassword's second half).
  Status SetOneTimePassword(const store::User& u, const std::string& password);
  // Counts a wrong password of `u` toward its lockout (and `remote`'s
  // throttle); true when the account is locked by it.
  bool CountPasswordFailure(const store::User& u, int64_t now, const std::string& remote);

  // The TOTP step last accepted per user (no replay of a code). In memory:
  // a restart forgets it, leaving at most one code's 90 s of replay.
  class StepMemo {
   public:
    int64_t Last(const std::string& user_id) {
      std::lock_guard lock(mu_);
      auto it = steps_.find(user_id);
      return it == steps_.end() ? 0 : it->second;
    }
    void Set(const std::string& user_id, int64_t step) {
      std::lock_guard lock(mu_);
      steps_[user_id] = step;
    }

   private:
    std::mutex mu_;
    std::map<std::string, int64_t> steps_;
  };

  // The exported register per organisation and format, with the store's
  // RegisterStamp it was made at: an export whose stamp still matches is
  // served as it is (building one parses and writes the whole register).
  // At most kMaxCachedExports entries; guarded by its mutex.
  struct ExportCache {
    static constexpr size_t kMaxCachedExports = 256;
    std::mutex mu;
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::shared_ptr<const std::string>>>
        entries;
  };

  // What DashboardOf counts of one record (its head and summary).
  struct DashboardRow {
    store::RecordStatus status = store::RecordStatus::kDraft;
    std::string due_date, name, business_function, first_activity;
    bool all_answered = false;
  };
  // Per organisation: its records as of history seq `seq`, and the counts of
  // `day`. An entry is immutable once published (readers share it); a newer
  // one replaces it. Guarded by mu.
  struct DashboardEntry {
    int64_t seq = 0;
    std::map<std::pair<store::RecordKind, std::string>, DashboardRow> rows;
    std::string day;
    Dashboard counts;
  };
  struct DashboardCache {
    static constexpr size_t kMaxOrgs = 4096;
    static constexpr size_t kMaxChanged = 256;  // more changed records since: read them all
    std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<const DashboardEntry>> entries;
  };
  static Dashboard CountDashboard(const DashboardEntry& e, const std::string& today);

  // User id -> e-mail address, for the owner and author of record views. An
  // address never changes once the account exists (there is no route that
  // changes it), so entries never go stale; at most kMax, guarded by mu.
  struct EmailCache {
    static constexpr size_t kMax = 65536;
    std::mutex mu;
    std::unordered_map<std::string, std::string> entries;
  };
  // The e-mail address of a user ("" for an unknown id): cached, else read.
  std::string EmailOf(const std::string& user_id);
  // Organisations by id, for page headers and the home page: an organisation
  // is never renamed or deleted, so entries never go stale. Guarded by mu.
  struct OrgCache {
    static constexpr size_t kMax = 65536;
    std::mutex mu;
    std::unordered_map<std::string, store::Org> entries;
  };
  // The views of `invitations` (e-mails and organisation names read).
  Result<std::vector<InvitationView>> ViewsOf(const std::vector<store::Invitation>& invitations);
  // The invitation view of the user `user_id` to `org_id` (kNotFound when there is none).
  Result<InvitationView> FindInvitation(const std::string& org_id, const std::string& user_id);

  // EnrolTotp's MAC key: random per process (an enrolment page from before a
  // restart is simply reloaded).
  std::string enrol_key_ = auth::RandomToken(32);
  std::string EnrolMac(const store::Session& s, const std::string& secret) const {
    return auth::MacHex(enrol_key_, "totp-enrol\n" + s.token_hash + "\n" + secret);
  }

  store::Store& store_;
  Options options_;
  ExportCache exports_;
  DashboardCache dashboards_;
  SummaryCache summaries_;
  EmailCache emails_;
  OrgCache orgs_;
  auth::Throttle client_throttle_;
  StepMemo totp_steps_;
};

// Every problem the reader finds in a register text (native YAML/JSON or an
// importer's format), with file:line:column; empty when it reads. For the
// import page, which lists them all (PutRegister returns the first).
Diagnostics RegisterProblems(std::string_view text, const std::string& file_name);

// Splits a register into records (one per item, bodies as compact JSON of
// the native format) and joins records back into a register text; the
// register's stable ids are the record ids. Exposed for tests.
std::vector<store::RecordChange> SplitRegister(const Register& reg);
std::string JoinRecords(const std::vector<store::Record>& records);

}  // namespace blindspot::admin

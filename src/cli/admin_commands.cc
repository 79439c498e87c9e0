// The privacy administration's commands: serve, org, user, token, db,
// history. Each parses, opens the store, calls one use case of admin::Admin
// (or the store for db and history), prints. Scripts rely on these outputs
// (issue 9's contract): `serve` prints "listening on http://HOST:PORT" as its
// first line; `org add` prints the organisation id; `token add` the token.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "blindspot/admin.h"
#include "blindspot/app.h"
#include "blindspot/http.h"
#include "blindspot/store.h"
#include "cli_internal.h"

namespace blindspot::cli {
namespace {

constexpr const char* kDefaultDb = "blindspot-data/blindspot.db";

void AddDbOption(CLI::App& app, std::string& db) {
  app.add_option("--db", db,
                 fmt::format("The database: a SQLite file (default {}) or a PostgreSQL URL "
                             "(postgresql://user@host/db)",
                             kDefaultDb));
}

// The database holds password hashes, TOTP secrets and the register: the
// files this process makes for it (the SQLite file, its -wal and -shm, its
// folder, a backup) are for the owner alone (umask 077, kept for the
// process). `keep_private` false restores the umask once the database is
// open, for a command that then writes files meant to be public.
Result<std::unique_ptr<store::Store>> OpenStore(const std::string& db, bool migrate = true,
                                                bool keep_private = true) {
  const mode_t before = ::umask(077);
  auto st = store::Store::Open(db.empty() ? kDefaultDb : db, migrate);
  if (!keep_private) ::umask(before);
  return st;
}

// "add" (or another verb) as the first argument of a command group.
std::optional<int> Verb(const std::vector<std::string>& args, const std::vector<std::string>& verbs,
                        const std::string& command, std::string& verb, Io io) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    io.out << "usage: blindspot " << command << " <" << fmt::format("{}", fmt::join(verbs, "|"))
           << "> [options]\n"
           << "       blindspot " << command << " <verb> --help for its options\n";
    return 0;
  }
  if (args.empty() || std::find(verbs.begin(), verbs.end(), args[0]) == verbs.end()) {
    io.err << "blindspot " << command
           << ": error: " << (args.empty() ? "say what to do" : "unknown action '" + args[0] + "'") << "\n"
           << "  expected: " << fmt::format("{}", fmt::join(verbs, ", ")) << "\n"
           << "  hint: blindspot " << command << " " << verbs.front() << " --help\n";
    return 2;
  }
  verb = args[0];
  return std::nullopt;
}

// An organisation id that names none: say how to see the ids.
Error WithOrgHint(Error e) {
  if (e.kind == ErrorKind::kNotFound && e.message.starts_with("no organisation") && e.hint.empty())
    e.hint = "blindspot org list --db DB shows the organisations and their ids";
  return e;
}

std::string ReadPasswordLine(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int CmdServe(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Run the privacy administration as a web application: the register, business owners' answers, "
      "approvals, audits and the history, for several organisations. The first line on standard output "
      "is 'listening on http://HOST:PORT'.",
      "blindspot serve"};
  std::string db, listen = "127.0.0.1:8080";
  // cpp-httplib keeps a thread per open (kept-alive) connection, so the
  // threads bound the clients served at once; idle ones only wait.
  int threads = 64;
  bool insecure_cookies = false, routes = false;
  AddDbOption(app, db);
  app.add_flag("--routes", routes,
               "Print the route and permission tables (Markdown, as in docs/server.md) and exit");
  app.add_option("--listen", listen,
                 "HOST:PORT to listen on (port 0 picks a free one); default 127.0.0.1:8080");
  app.add_option("--threads", threads, "Worker threads: connections served at once (default 64)")
      ->check(CLI::Range(1, 256));
  app.add_flag(
      "--insecure-cookies", insecure_cookies,
      "Session cookies without the Secure flag (plain HTTP on a non-local address; never in production)");
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (routes) {
    io.out << http::RoutesMarkdown();
    return 0;
  }
  auto where = http::ParseListen(listen);
  if (!where) return Fail({where.error()}, io.err, false, app);
  auto st = OpenStore(db);
  if (!st) return Fail({st.error()}, io.err, false, app);
  admin::Options ao;
  admin::Admin admin(**st, ao);
  http::ServeOptions so;
  so.host = where->first;
  so.port = where->second;
  so.threads = threads;
  so.secure_cookies = !insecure_cookies;
  auto server = http::Server::Create(admin, so);
  // Signals go to one thread that stops the server (httplib's stop is not
  // async-signal-safe, so no handler calls it).
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto port = server->Bind();
  if (!port) return Fail({port.error()}, io.err, false, app);
  std::string host = so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host;
  io.out << "listening on http://" << host << ":" << *port << std::endl;
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != 0) server->Stop();
  });
  auto run = server->Run();
  // Wake the waiter if the server ended by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!run) return Fail({run.error()}, io.err, false, app);
  io.err << "blindspot serve: stopped\n";
  return 0;
}

int CmdOrg(const std::vector<std::string>& args, Io io) {
  std::string verb;
  if (auto rc = Verb(args, {"add", "list"}, "org", verb, io)) return *rc;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  CLI::App app{
      verb == "add" ? "Add an organisation; prints its id." : "List the organisations (id and name).",
      "blindspot org " + verb};
  std::string db, name;
  AddDbOption(app, db);
  if (verb == "add") app.add_option("--name", name, "The organisation's name")->required();
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  auto st = OpenStore(db);
  if (!st) return Fail({st.error()}, io.err, false, app);
  admin::Admin admin(**st, {});
  if (verb == "add") {
    auto org = admin.AddOrg(name);
    if (!org) return Fail({org.error()}, io.err, false, app);
    io.out << org->id << "\n";
    return 0;
  }
  auto orgs = (*st)->ListOrgs();
  if (!orgs) return Fail({orgs.error()}, io.err, false, app);
  for (const store::Org& o : *orgs) io.out << o.id << "\t" << o.name << "\n";
  return 0;
}

// `blindspot user reset-password`: a one-time password set by the operator.
int CmdUserResetPassword(const std::vector<std::string>& rest, Io io) {
  CLI::App app{
      "Give a user a one-time password (a forgotten password: blindspot sends no e-mail). The user must "
      "choose a new password at its next login, before anything else; all its sessions end. Logged in "
      "each of its organisations.",
      "blindspot user reset-password"};
  std::string db, email;
  bool password_stdin = false;
  AddDbOption(app, db);
  app.add_option("--email", email, "The user's e-mail address (the login name)")->required();
  app.add_flag("--password-stdin", password_stdin,
               "Read the one-time password from the first line of standard input (at least 12 characters)")
      ->required();
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  std::string password = ReadPasswordLine(std::cin);
  auto st = OpenStore(db);
  if (!st) return Fail({st.error()}, io.err, false, app);
  admin::Admin admin(**st, {});
  if (auto s = admin.ResetPasswordByOperator(email, password); !s)
    return Fail({s.error()}, io.err, false, app);
  io.err << fmt::format(
      "blindspot user reset-password: {} has a one-time password; a new one is chosen at the next login\n",
      email);
  return 0;
}

int CmdUser(const std::vector<std::string>& args, Io io) {
  std::string verb;
  if (auto rc = Verb(args, {"add", "reset-password"}, "user", verb, io)) return *rc;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (verb == "reset-password") return CmdUserResetPassword(rest, io);
  std::vector<std::string> roles;
  for (store::Role r : store::AllRoles()) roles.emplace_back(store::RoleName(r));
  CLI::App app{
      "Add a user to an organisation with a role (an existing user gets the role). Prints the user id; "
      "for admin and privacy_officer also the TOTP secret to enrol in an authenticator app (shown once).",
      "blindspot user add"};
  std::string db, org, email, role;
  bool password_stdin = false;
  AddDbOption(app, db);
  app.add_option("--org", org, "The organisation id (blindspot org add printed it)")->required();
  app.add_option("--email", email, "The user's e-mail address (the login name)")->required();
  app.add_option("--role", role, "The role in the organisation")->required()->check(CLI::IsMember(roles));
  app.add_flag("--password-stdin", password_stdin,
               "Read the password from the first line of standard input (needed for a new user; at least 12 "
               "characters)");
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  std::string password = password_stdin ? ReadPasswordLine(std::cin) : "";
  auto st = OpenStore(db);
  if (!st) return Fail({st.error()}, io.err, false, app);
  admin::Admin admin(**st, {});
  auto u = admin.AddUser(org, email, *store::ParseRole(role), password);
  if (!u) return Fail({u.error()}, io.err, false, app);
  io.out << u->user.id << "\n";
  if (!u->totp_secret.empty()) {
    io.out << "totp-secret " << u->totp_secret << "\n";
    io.out << "totp-uri " << u->totp_uri << "\n";
  }
  io.err << fmt::format("blindspot user add: {} {} as {} in {}\n", u->created ? "created" : "existing user",
                        u->user.email, role, org);
  return 0;
}

int CmdToken(const std::vector<std::string>& args, Io io) {
  std::string verb;
  if (auto rc = Verb(args, {"add"}, "token", verb, io)) return *rc;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  CLI::App app{
      "Add an API token acting as a member of an organisation (with that member's roles); prints the "
      "token once (only its hash is stored). Use it as 'Authorization: Bearer TOKEN'.",
      "blindspot token add"};
  std::string db, org, email, name;
  AddDbOption(app, db);
  app.add_option("--org", org, "The organisation id")->required();
  app.add_option("--email", email, "The member the token acts as")->required();
  app.add_option("--name", name, "What the token is for (e.g. ci)")->required();
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  auto st = OpenStore(db);
  if (!st) return Fail({st.error()}, io.err, false, app);
  admin::Admin admin(**st, {});
  auto t = admin.AddToken(org, email, name);
  if (!t) return Fail({t.error()}, io.err, false, app);
  io.out << *t << "\n";
  return 0;
}

int CmdDb(const std::vector<std::string>& args, Io io) {
  std::string verb;
  if (auto rc = Verb(args, {"migrate", "backup"}, "db", verb, io)) return *rc;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  CLI::App app{verb == "migrate"
                   ? "Apply the schema migrations the database has not had (serve does this on start)."
                   : "Back up a SQLite database while it is in use (SQLite's online backup). For "
                     "PostgreSQL use pg_dump.",
               "blindspot db " + verb};
  std::string db, out;
  AddDbOption(app, db);
  if (verb == "backup") app.add_option("--out", out, "The backup file to write")->required();
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  if (verb == "migrate") {
    auto conn = store::OpenDb(db.empty() ? kDefaultDb : db);
    if (!conn) return Fail({conn.error()}, io.err, false, app);
    auto applied = store::Migrate(**conn);
    if (!applied) return Fail({applied.error()}, io.err, false, app);
    auto version = store::SchemaVersion(**conn);
    io.out << fmt::format(
        "schema version {}; applied {}\n", version ? *version : 0,
        applied->empty() ? std::string("nothing") : fmt::format("{}", fmt::join(*applied, ", ")));
    return 0;
  }
  auto st = OpenStore(db, /*migrate=*/false);
  if (!st) return Fail({st.error()}, io.err, false, app);
  if (auto s = (*st)->Backup(out); !s) return Fail({s.error()}, io.err, true, app);
  io.err << "blindspot db backup: " << out << " written\n";
  return 0;
}

int CmdHistory(const std::vector<std::string>& args, Io io) {
  std::string verb;
  if (auto rc = Verb(args, {"verify"}, "history", verb, io)) return *rc;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  CLI::App app{
      "Recompute the hash chain of every organisation's change history (or one's): exit 0 when unbroken "
      "(printing each chain's head hash: keep it outside the database), 1 naming the first entry that does "
      "not match.",
      "blindspot history verify"};
  std::string db, org, anchor;
  AddDbOption(app, db);
  app.add_option("--org", org, "Only this organisation");
  app.add_option("--anchor", anchor,
                 "A head hash printed by an earlier check (kept outside the database): the chain must still "
                 "hold that entry, which finds entries deleted from its end together with the stored head "
                 "(needs --org)");
  if (auto rc = Parse(app, rest, io.out, io.err)) return *rc;
  if (!anchor.empty() &&
      (anchor.size() != 64 || anchor.find_first_not_of("0123456789abcdef") != std::string::npos))
    return Fail(
        {Error{ErrorKind::kUsage, "--anchor '" + anchor + "' is not a hash", {}, "64 lower-case hex digits"}},
        io.err, false, app);
  if (!anchor.empty() && org.empty())
    return Fail(
        {Error{ErrorKind::kUsage, "--anchor needs --org (an anchor belongs to one organisation's chain)"}},
        io.err, false, app);
  auto st = OpenStore(db, /*migrate=*/false);
  if (!st) return Fail({st.error()}, io.err, false, app);
  auto checks = (*st)->VerifyHistory(org, anchor);
  if (!checks) return Fail({WithOrgHint(checks.error())}, io.err, false, app);
  int rc = 0;
  for (const store::ChainCheck& c : *checks) {
    if (c.ok) {
      io.out << fmt::format("{}: ok, {} entries, head {}\n", c.org_id, c.entries, c.head);
    } else {
      io.out << fmt::format("{}: BROKEN at entry {} of {}: {}\n", c.org_id, c.first_bad_seq, c.entries,
                            c.problem);
      rc = 1;
    }
  }
  if (checks->empty()) io.out << "no history\n";
  return rc;
}

int CmdPublish(const std::vector<std::string>& args, Io io) {
  CLI::App app{
      "Write the public register as a static website to put online: the processing activities "
      "(controller records, GDPR Art. 30(1)) with the organisation's name, contact and DPO, as index.html "
      "(a language chooser), nl/index.html, en/index.html, de/index.html, register.json and register.jsonld "
      "(W3C DPV JSON-LD). From a register "
      "file (--register: every activity in it counts as published) or from the database (--org: only records "
      "an approver approved and a privacy officer published, each in its last published version). The folder "
      "is written whole or not at all; a folder that holds other files than a public register is refused.",
      "blindspot publish"};
  std::string db, org, out, reg_path;
  AddDbOption(app, db);
  auto* org_opt = app.add_option("--org", org, "The organisation id (the register in the database)");
  auto* reg_opt = app.add_option("--register", reg_path, "A register file (native YAML/JSON or importable)");
  org_opt->excludes(reg_opt);
  app.add_option("--out", out,
                 "The folder to write (created when missing, replaced when it holds a register)")
      ->required();
  if (auto rc = Parse(app, args, io.out, io.err)) return *rc;
  if (auto rc = NoEmptyValues(app, {"--org", "--register", "--out"}, io.err)) return *rc;
  if (org.empty() && reg_path.empty())
    return Fail({MakeError(ErrorKind::kUsage, "publish needs the register to publish", {},
                           "--register FILE, or --org ID (with --db)")
                     .error()},
                io.err, false, app);
  std::string json;
  if (!reg_path.empty()) {
    app::Options o;
    o.env = io.env;
    auto loaded = app::LoadRegister(o, reg_path);
    if (!loaded) return Fail(loaded.error(), io.err, false, app);
    for (const Error& w : loaded->warnings) io.err << w.Format();
    json = admin::PublicRegisterFromRegister(*loaded->reg, io.env->NowIso());
  } else {
    auto st = OpenStore(db, /*migrate=*/false, /*keep_private=*/false);
    if (!st) return Fail({st.error()}, io.err, false, app);
    admin::Admin admin(**st, {});
    auto pub = admin.PublicRegisterJson(org);
    if (!pub) return Fail({WithOrgHint(pub.error())}, io.err, false, app);
    json = std::move(*pub);
  }
  // Everything is rendered before anything is written.
  auto site = http::RenderPublicRegisterSite(json);
  if (!site) return Fail({site.error()}, io.err, false, app);
  std::vector<std::pair<std::string, std::string>> files;
  for (auto& f : *site) files.emplace_back(f.path, std::move(f.data));
  // An existing folder is replaced only when it holds nothing but a public
  // register (an earlier publish): never someone's other files.
  auto info = io.env->Stat(out);
  if (!info) return Fail({info.error()}, io.err, true, app);
  if (info->exists) {
    if (!info->is_directory)
      return Fail({MakeError(ErrorKind::kUsage, "--out is a file, not a folder", {"--out " + out}, "a folder")
                       .error()},
                  io.err, false, app);
    auto present = io.env->ListFilesRecursive(out);
    if (!present) return Fail({present.error()}, io.err, true, app);
    for (const std::string& p : *present) {
      bool ours = std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.first == p; });
      if (!ours)
        return Fail({MakeError(ErrorKind::kUsage,
                               "the folder holds '" + p +
                                   "', which is not part of a public register: publish "
                                   "replaces the whole folder",
                               {"--out " + out}, "a new or empty folder, or one an earlier publish wrote",
                               "choose another --out, e.g. " + out + "/register")
                         .error()},
                    io.err, false, app);
    }
  }
  if (auto s = io.env->ReplaceDirectory(out, files); !s) return Fail({s.error()}, io.err, true, app);
  size_t n = nlohmann::json::parse(json)["activities"].size();
  io.err << fmt::format("blindspot publish: {} published processing activit{} written to {}/\n", n,
                        n == 1 ? "y" : "ies", out);
  return 0;
}

}  // namespace blindspot::cli

// The Store on every backend: SQLite file, SQLite :memory: and PostgreSQL
// (store_test_util.h). Exact values: versions, history entries and hashes.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "store_test_db.h"

namespace blindspot::store {
namespace {

using test_db::Backend;
using test_db::TestDb;

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Opens a Store on a fresh database with a fixed clock.
  std::unique_ptr<Store> OpenFresh(TestDb& tdb, int connections = 4) {
    auto s = Store::Open(tdb.url, true, connections);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
    if (!s) return nullptr;
    (*s)->SetClock([] { return std::string("2026-01-02T03:04:05Z"); });
    return std::move(*s);
  }
};

std::string Hash0() { return std::string(64, '0'); }

// The org's whole history, oldest first.
std::vector<HistoryEntry> AllHistory(Store& s, const std::string& org) {
  auto h = s.History(org, Page{0, 1000});
  EXPECT_TRUE(h.has_value()) << (h ? "" : h.error().message);
  if (!h) return {};
  std::reverse(h->begin(), h->end());
  return *h;
}

TEST_P(StoreTest, MigratesFromEmptyOnceAndRefusesANewerSchema) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto db = OpenDb(tdb.url);
  ASSERT_TRUE(db.has_value()) << db.error().message;
  auto v0 = SchemaVersion(**db);
  ASSERT_TRUE(v0.has_value()) << v0.error().message;
  EXPECT_EQ(*v0, 0);
  auto applied = Migrate(**db);
  ASSERT_TRUE(applied.has_value()) << applied.error().message;
  EXPECT_EQ(*applied, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(*SchemaVersion(**db), 5);
  auto again = Migrate(**db);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->empty());
  auto rows = (*db)->Query("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[4].Int(0), 5);
  EXPECT_EQ((*rows)[4].Text(1), std::string(Migrations()[4].name));
  EXPECT_EQ((*rows)[3].Int(0), 4);
  EXPECT_EQ((*rows)[3].Text(1), std::string(Migrations()[3].name));
  EXPECT_EQ((*rows)[2].Int(0), 3);
  EXPECT_EQ((*rows)[2].Text(1), std::string(Migrations()[2].name));
  EXPECT_EQ((*rows)[0].Int(0), 1);
  EXPECT_EQ((*rows)[0].Text(1), std::string(Migrations()[0].name));
  EXPECT_EQ((*rows)[1].Int(0), 2);
  EXPECT_EQ((*rows)[1].Text(1), std::string(Migrations()[1].name));

  ASSERT_TRUE(
      (*db)->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                  {int64_t{99}, std::string("from the future"), std::string("2030-01-01T00:00:00Z")}));
  auto newer = Migrate(**db);
  ASSERT_FALSE(newer.has_value());
  EXPECT_EQ(newer.error().kind, ErrorKind::kSchema);
  EXPECT_NE(newer.error().message.find("99"), std::string::npos) << newer.error().message;
  if (tdb.shareable()) {
    auto s = Store::Open(tdb.url);
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().kind, ErrorKind::kSchema);
  }
}

TEST_P(StoreTest, OpenWithoutMigrationsRefusesAnEmptyDatabase) {
  BS_STORE_TEST_DB(tdb, GetParam());
  if (!tdb.shareable()) GTEST_SKIP() << "a :memory: database is new on every open";
  auto s = Store::Open(tdb.url, /*migrate=*/false);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().kind, ErrorKind::kSchema);
  ASSERT_TRUE(Store::Open(tdb.url).has_value());
  auto again = Store::Open(tdb.url, /*migrate=*/false);
  ASSERT_TRUE(again.has_value()) << again.error().message;
}

TEST_P(StoreTest, ProcessesOpeningAFreshDatabaseAtOnceMigrateItOnce) {
  BS_STORE_TEST_DB(tdb, GetParam());
  if (!tdb.shareable()) GTEST_SKIP() << "a :memory: database is private to its connection";
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&, i] {
      auto s = Store::Open(tdb.url, true, 1);
      if (s) {
        ++ok;
      } else {
        errors[i] = s.error().message;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 4) << errors[0] << errors[1] << errors[2] << errors[3];
  auto db = OpenDb(tdb.url);
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ((*db)->Query("SELECT count(*) FROM schema_migrations")->at(0).Int(0),
            static_cast<int64_t>(Migrations().size()));
}

TEST_P(StoreTest, DbSeamReportsFailuresAsValues) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto opened = OpenDb(tdb.url);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Db& db = **opened;
  ASSERT_TRUE(Migrate(db).has_value());
  auto bad = db.Query("SELECT nope FROM nowhere");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kIo);
  EXPECT_NE(bad.error().message.find("nowhere"), std::string::npos) << bad.error().message;
  EXPECT_EQ(db.last_failure(), DbFailure::kOther);
  const std::string insert = "INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)";
  ASSERT_EQ(*db.Exec(insert, {std::string("org_1"), std::string("a"), std::string("t")}), 1);
  auto dup = db.Exec(insert, {std::string("org_2"), std::string("a"), std::string("t")});
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(db.last_failure(), DbFailure::kUniqueViolation);
  auto fk = db.Exec(
      "INSERT INTO audits (id, org_id, at, actor, summary, report_json, stamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {std::string("aud_1"), std::string("org_missing"), std::string("t"), std::string("u"), std::string(""),
       std::string("{}"), int64_t{1}});
  ASSERT_FALSE(fk.has_value());
  EXPECT_EQ(db.last_failure(), DbFailure::kForeignKeyViolation);
  // A failed statement inside a transaction: rolled back, the connection goes on.
  ASSERT_TRUE(db.Begin());
  ASSERT_EQ(*db.Exec(insert, {std::string("org_3"), std::string("b"), std::string("t")}), 1);
  EXPECT_FALSE(db.Exec(insert, {std::string("org_4"), std::string("b"), std::string("t")}).has_value());
  db.Rollback();
  auto rows = db.Query("SELECT id, name, history_seq, NULL FROM orgs WHERE name <> ? ORDER BY id",
                       {std::string("zz")});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "org_1");
  EXPECT_EQ((*rows)[0].Int(2), 0);
  EXPECT_TRUE((*rows)[0].IsNull(3));
  // NULL parameters, '?' inside quotes left alone, a wrong parameter count refused.
  auto q = db.Query("SELECT CAST(? AS TEXT), 'what?', CASE WHEN CAST(? AS TEXT) IS NULL THEN 1 ELSE 0 END",
                    {std::string("x"), Value{}});
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ((*q)[0].Text(0), "x");
  EXPECT_EQ((*q)[0].Text(1), "what?");
  EXPECT_EQ((*q)[0].Int(2), 1);
  EXPECT_FALSE(db.Query("SELECT ?", {}).has_value());

  if (GetParam() == Backend::kPostgres) {
    // The server ends this connection (as a restart would): reads and
    // transactions go on on a new one.
    auto pid = db.Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid.has_value());
    auto other = OpenDb(tdb.url);
    ASSERT_TRUE(other.has_value());
    auto killed = (*other)->Query("SELECT CASE WHEN pg_terminate_backend(?, 5000) THEN 1 ELSE 0 END",
                                  {(*pid)[0].Int(0)});
    ASSERT_TRUE(killed.has_value()) << killed.error().message;
    EXPECT_EQ((*killed)[0].Int(0), 1);
    auto again = db.Query("SELECT count(*) FROM orgs");
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ((*again)[0].Int(0), 1);
    auto pid2 = db.Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid2.has_value());
    EXPECT_NE((*pid2)[0].Int(0), (*pid)[0].Int(0));
    ASSERT_TRUE((*other)->Query("SELECT pg_terminate_backend(?, 5000)", {(*pid2)[0].Int(0)}).has_value());
    ASSERT_TRUE(db.Begin()) << "a transaction begins on a new connection";
    EXPECT_TRUE(db.Exec(insert, {std::string("org_5"), std::string("c"), std::string("t")}).has_value());
    ASSERT_TRUE(db.Commit());
  }
}

TEST_P(StoreTest, Orgs) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto a = s->CreateOrg("Fietshuis");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_TRUE(a->id.starts_with("org_"));
  EXPECT_EQ(a->id.size(), 4u + 16u);
  EXPECT_EQ(a->created_at, "2026-01-02T03:04:05Z");
  auto b = s->CreateOrg("Bakkerij");
  ASSERT_TRUE(b.has_value());
  auto dup = s->CreateOrg("Fietshuis");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  auto got = s->GetOrg(a->id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "Fietshuis");
  auto missing = s->GetOrg("org_0000000000000000");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  auto list = s->ListOrgs();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "Bakkerij");
  EXPECT_EQ((*list)[1].name, "Fietshuis");
  EXPECT_EQ(s->CreateOrg("").error().kind, ErrorKind::kSchema);
}

TEST_P(StoreTest, UsersAndMemberships) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto u = s->CreateUser("Anna@Example.COM", "$argon2id$x");
  ASSERT_TRUE(u.has_value()) << u.error().message;
  EXPECT_EQ(u->email, "anna@example.com");
  EXPECT_TRUE(u->id.starts_with("usr_"));
  auto dup = s->CreateUser("ANNA@example.com", "h");
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  auto found = s->FindUserByEmail("anna@EXAMPLE.com");
  ASSERT_TRUE(found.has_value()) << found.error().message;
  EXPECT_EQ(found->id, u->id);
  EXPECT_EQ(found->password_hash, "$argon2id$x");
  EXPECT_EQ(s->FindUserByEmail("bob@example.com").error().kind, ErrorKind::kNotFound);

  ASSERT_TRUE(s->UpdateUserSecurity(u->id, 3, "2026-01-02T03:19:05Z"));
  ASSERT_TRUE(s->SetTotpSecret(u->id, "JBSWY3DPEHPK3PXP"));
  EXPECT_FALSE(s->GetUser(u->id)->must_change_password);
  ASSERT_TRUE(s->SetPasswordHash(u->id, "$argon2id$y", /*must_change=*/true));
  ASSERT_TRUE(s->SetUserLang(u->id, "nl"));
  auto got = s->GetUser(u->id);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->must_change_password);
  // Read with a session too (the principal's user).
  ASSERT_TRUE(s->CreateSession(
      {"hash-of-cookie", u->id, "csrf", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z", false}));
  auto sp = s->GetSessionPrincipal("hash-of-cookie");
  ASSERT_TRUE(sp.has_value()) << sp.error().message;
  EXPECT_TRUE(sp->second.user.must_change_password);
  EXPECT_EQ(sp->second.user.lang, "nl");
  ASSERT_TRUE(s->SetPasswordHash(u->id, "$argon2id$y", /*must_change=*/false));
  EXPECT_FALSE(s->GetUser(u->id)->must_change_password);
  got = s->GetUser(u->id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->failed_logins, 3);
  EXPECT_EQ(got->locked_until, "2026-01-02T03:19:05Z");
  EXPECT_EQ(got->totp_secret, "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(got->password_hash, "$argon2id$y");
  EXPECT_EQ(got->lang, "nl");
  EXPECT_EQ(got->created_at, "2026-01-02T03:04:05Z");
  EXPECT_EQ(s->GetUser("usr_nobody").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->SetUserLang("usr_nobody", "de").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->UpdateUserSecurity("usr_nobody", 0, "").error().kind, ErrorKind::kNotFound);

  auto org = s->CreateOrg("Kapsalon");
  ASSERT_TRUE(org.has_value());
  const Membership admin{org->id, u->id, Role::kAdmin};
  const Membership dpo{org->id, u->id, Role::kDpo};
  ASSERT_TRUE(s->AddMembership(admin));
  ASSERT_TRUE(s->AddMembership(admin)) << "adding one that exists is ok";
  ASSERT_TRUE(s->AddMembership(dpo));
  auto mine = s->MembershipsOfUser(u->id);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].role, Role::kAdmin);
  EXPECT_EQ((*mine)[1].role, Role::kDpo);
  auto theirs = s->MembershipsOfOrg(org->id);
  ASSERT_TRUE(theirs.has_value());
  EXPECT_EQ(theirs->size(), 2u);
  ASSERT_TRUE(s->RemoveMembership(dpo));
  EXPECT_EQ(s->RemoveMembership(dpo).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->MembershipsOfOrg(org->id)->size(), 1u);
  auto bad = s->AddMembership({"org_missing", u->id, Role::kAuditor});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kNotFound);
}

// A request's authentication reads the session or token with its user and
// every membership in one query: the same user and roles the separate reads give.
TEST_P(StoreTest, PrincipalsComeWithTheirSessionOrToken) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto u = s->CreateUser("p@b.nl", "h");
  auto loner = s->CreateUser("q@b.nl", "h");
  auto o1 = s->CreateOrg("One");
  auto o2 = s->CreateOrg("Two");
  ASSERT_TRUE(u && loner && o1 && o2);
  ASSERT_TRUE(s->AddMembership({o2->id, u->id, Role::kAuditor}));
  ASSERT_TRUE(s->AddMembership({o1->id, u->id, Role::kPrivacyOfficer}));
  ASSERT_TRUE(s->AddMembership({o1->id, u->id, Role::kAdmin}));
  ASSERT_TRUE(s->CreateSession({"sh", u->id, "csrf", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", true}));
  ASSERT_TRUE(
      s->CreateSession({"sl", loner->id, "c2", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false}));
  ASSERT_TRUE(s->CreateApiToken({"tok_p", o1->id, u->id, "ci", "th", "2026-01-01T00:00:00Z", "", "admin"}));

  auto sp = s->GetSessionPrincipal("sh");
  ASSERT_TRUE(sp.has_value()) << sp.error().message;
  EXPECT_EQ(sp->first.csrf, "csrf");
  EXPECT_EQ(sp->first.last_seen, "2026-01-01T00:01:00Z");
  EXPECT_TRUE(sp->first.totp_ok);
  EXPECT_EQ(sp->second.user.id, u->id);
  EXPECT_EQ(sp->second.user.email, "p@b.nl");
  auto separate = s->MembershipsOfUser(u->id);
  ASSERT_TRUE(separate.has_value());
  ASSERT_EQ(sp->second.memberships.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sp->second.memberships[i].org_id, (*separate)[i].org_id);
    EXPECT_EQ(sp->second.memberships[i].role, (*separate)[i].role);
    EXPECT_EQ(sp->second.memberships[i].user_id, u->id);
  }

  auto lp = s->GetSessionPrincipal("sl");
  ASSERT_TRUE(lp.has_value());
  EXPECT_EQ(lp->second.user.email, "q@b.nl");
  EXPECT_TRUE(lp->second.memberships.empty()) << "a user without memberships has none, not one empty";

  auto tp = s->FindApiTokenPrincipal("th");
  ASSERT_TRUE(tp.has_value()) << tp.error().message;
  EXPECT_EQ(tp->first.id, "tok_p");
  EXPECT_EQ(tp->first.org_id, o1->id);
  EXPECT_EQ(tp->first.role, "admin");
  EXPECT_EQ(tp->second.user.id, u->id);
  EXPECT_EQ(tp->second.memberships.size(), 3u);

  EXPECT_EQ(s->GetSessionPrincipal("nope").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->FindApiTokenPrincipal("nope").error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, SessionsAndApiTokens) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto u = s->CreateUser("a@b.nl", "h");
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(u && org);
  Session ses{"hash1", u->id, "csrf1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false};
  ASSERT_TRUE(s->CreateSession(ses));
  EXPECT_EQ(s->CreateSession(ses).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(s->CreateSession({"hash2", "usr_missing", "c", "", "", false}).error().kind,
            ErrorKind::kNotFound);
  ASSERT_TRUE(s->TouchSession("hash1", "2026-01-01T00:10:00Z", true));
  auto got = s->GetSession("hash1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->user_id, u->id);
  EXPECT_EQ(got->csrf, "csrf1");
  EXPECT_EQ(got->last_seen, "2026-01-01T00:10:00Z");
  EXPECT_TRUE(got->totp_ok);
  EXPECT_EQ(s->TouchSession("nope", "x", false).error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(
      s->CreateSession({"hash3", u->id, "c3", "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", false}));
  ASSERT_TRUE(s->DeleteSessionsIdleSince("2026-01-01T00:06:00Z"));
  EXPECT_EQ(s->GetSession("hash3").error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(s->GetSession("hash1").has_value());
  ASSERT_TRUE(s->DeleteSession("hash1"));
  EXPECT_EQ(s->GetSession("hash1").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->DeleteSession("hash1").error().kind, ErrorKind::kNotFound);

  ApiToken t{"tok_1", org->id, u->id, "ci", "thash", "2026-01-01T00:00:00Z", ""};
  ASSERT_TRUE(s->CreateApiToken(t));
  EXPECT_EQ(s->CreateApiToken({"tok_2", org->id, u->id, "dup", "thash", "", ""}).error().kind,
            ErrorKind::kConflict);
  EXPECT_EQ(s->CreateApiToken({"tok_3", "org_missing", u->id, "x", "h3", "", ""}).error().kind,
            ErrorKind::kNotFound);
  ASSERT_TRUE(
      s->CreateApiToken({"tok_4", org->id, u->id, "second", "h4", "2026-01-01T01:00:00Z", "", "auditor"}));
  EXPECT_EQ(s->FindApiToken("h4")->role, "auditor");
  auto f = s->FindApiToken("thash");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->id, "tok_1");
  EXPECT_EQ(f->name, "ci");
  EXPECT_TRUE(f->revoked_at.empty());
  ASSERT_TRUE(s->RevokeApiToken(org->id, "tok_1"));
  EXPECT_EQ(s->FindApiToken("thash")->revoked_at, "2026-01-02T03:04:05Z");
  // Twice: a conflict saying when it was revoked (a script learns its revocation did nothing).
  auto twice = s->RevokeApiToken(org->id, "tok_1");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().kind, ErrorKind::kConflict);
  EXPECT_NE(twice.error().message.find("2026-01-02T03:04:05Z"), std::string::npos) << twice.error().message;
  EXPECT_EQ(s->FindApiToken("thash")->revoked_at, "2026-01-02T03:04:05Z");
  EXPECT_EQ(s->RevokeApiToken(org->id, "tok_missing").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->FindApiToken("nope").error().kind, ErrorKind::kNotFound);
  auto list = s->ListApiTokens(org->id);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "tok_1");
  EXPECT_EQ((*list)[1].id, "tok_4");
  EXPECT_EQ((*list)[0].role, "");
  EXPECT_EQ((*list)[1].role, "auditor");

  // All sessions of one user end at once; another user's stay.
  auto other = s->CreateUser("c@d.nl", "h");
  ASSERT_TRUE(other.has_value());
  ASSERT_TRUE(s->CreateSession({"h5", u->id, "c5", "", "", true}));
  ASSERT_TRUE(s->CreateSession({"h6", u->id, "c6", "", "", false}));
  ASSERT_TRUE(s->CreateSession({"h7", other->id, "c7", "", "", false}));
  ASSERT_TRUE(s->DeleteSessionsOfUser(u->id));
  EXPECT_EQ(s->GetSession("h5").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->GetSession("h6").error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(s->GetSession("h7").has_value());
}

TEST_P(StoreTest, MemberRolesNeverLeaveAnOrganisationWithoutAdmin) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  auto a = s->CreateUser("a@b.nl", "h");
  auto b = s->CreateUser("b@b.nl", "h");
  ASSERT_TRUE(org && a && b);
  ASSERT_TRUE(s->AddMembership({org->id, a->id, Role::kAdmin}));
  // The only admin cannot lose the role nor leave: nothing changes.
  auto demote = s->SetMemberRoles(org->id, a->id, {Role::kDpo});
  ASSERT_FALSE(demote.has_value());
  EXPECT_EQ(demote.error().kind, ErrorKind::kConflict);
  auto leave = s->SetMemberRoles(org->id, a->id, {});
  ASSERT_FALSE(leave.has_value());
  EXPECT_EQ(leave.error().kind, ErrorKind::kConflict);
  ASSERT_EQ(s->MembershipsOfOrg(org->id)->size(), 1u);
  EXPECT_EQ(s->MembershipsOfOrg(org->id)->front().role, Role::kAdmin);
  // A second member's roles are replaced as a whole.
  ASSERT_TRUE(s->SetMemberRoles(org->id, b->id, {Role::kAuditor, Role::kApprover}));
  ASSERT_TRUE(s->SetMemberRoles(org->id, b->id, {Role::kAdmin, Role::kApprover}));
  auto roles = s->MembershipsOfUser(b->id);
  ASSERT_EQ(roles->size(), 2u);
  EXPECT_EQ((*roles)[0].role, Role::kAdmin);
  EXPECT_EQ((*roles)[1].role, Role::kApprover);
  // Now the first admin may go; its tokens there are revoked.
  ASSERT_TRUE(s->CreateApiToken({"tok_a", org->id, a->id, "ci", "ha", "", "", ""}));
  ASSERT_TRUE(s->SetMemberRoles(org->id, a->id, {}));
  EXPECT_TRUE(s->MembershipsOfUser(a->id)->empty());
  EXPECT_FALSE(s->FindApiToken("ha")->revoked_at.empty());
  // Removing one who is not a member is kNotFound; an unknown org too.
  EXPECT_EQ(s->SetMemberRoles(org->id, a->id, {}).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->SetMemberRoles("org_missing", b->id, {Role::kAdmin}).error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, InvitationsAreNoMembershipsUntilAccepted) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  s->SetClock([] { return std::string("2026-03-01T10:00:00Z"); });
  auto org = s->CreateOrg("O");
  auto a = s->CreateUser("a@b.nl", "h");
  auto b = s->CreateUser("b@b.nl", "h");
  ASSERT_TRUE(org && a && b);
  ASSERT_TRUE(s->AddMembership({org->id, a->id, Role::kAdmin}));
  ASSERT_TRUE(s->CreateInvitation({org->id, b->id, {Role::kDpo, Role::kAdmin}, a->id, ""}));
  // Pending: no membership, listed for the user and the organisation.
  EXPECT_TRUE(s->MembershipsOfUser(b->id)->empty());
  auto mine = s->InvitationsOfUser(b->id);
  ASSERT_TRUE(mine.has_value()) << mine.error().message;
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().org_id, org->id);
  EXPECT_EQ(mine->front().roles, (std::vector<Role>{Role::kAdmin, Role::kDpo}));
  EXPECT_EQ(mine->front().invited_by, a->id);
  EXPECT_EQ(mine->front().created_at, "2026-03-01T10:00:00Z");
  ASSERT_EQ(s->InvitationsOfOrg(org->id)->size(), 1u);
  EXPECT_EQ(s->InvitationsOfOrg(org->id)->front().user_id, b->id);
  // A second one for the same user and organisation is a conflict; unknown ids are not found.
  auto twice = s->CreateInvitation({org->id, b->id, {Role::kAuditor}, a->id, ""});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().kind, ErrorKind::kConflict);
  auto nobody = s->CreateInvitation({org->id, "usr_missing", {Role::kAuditor}, a->id, ""});
  ASSERT_FALSE(nobody.has_value());
  EXPECT_EQ(nobody.error().kind, ErrorKind::kNotFound);
  // Accepting makes the memberships and ends the invitation.
  auto accepted = s->AcceptInvitation(org->id, b->id);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().message;
  EXPECT_EQ(accepted->roles, (std::vector<Role>{Role::kAdmin, Role::kDpo}));
  auto ms = s->MembershipsOfUser(b->id);
  ASSERT_EQ(ms->size(), 2u);
  EXPECT_EQ((*ms)[0].role, Role::kAdmin);
  EXPECT_EQ((*ms)[1].role, Role::kDpo);
  EXPECT_TRUE(s->InvitationsOfUser(b->id)->empty());
  EXPECT_EQ(s->AcceptInvitation(org->id, b->id).error().kind, ErrorKind::kNotFound);
  // Deleting (decline, revoke) one there is, then one there is not.
  ASSERT_TRUE(s->CreateInvitation({org->id, b->id, {Role::kAuditor}, a->id, ""}));
  ASSERT_TRUE(s->DeleteInvitation(org->id, b->id));
  EXPECT_TRUE(s->InvitationsOfOrg(org->id)->empty());
  EXPECT_EQ(s->DeleteInvitation(org->id, b->id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->MembershipsOfUser(b->id)->size(), 2u);
}

// What a cache made at one seq must read again: each record changed since, once.
TEST_P(StoreTest, ChangedSinceNamesEachRecordChangedAfterASeqOnce) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("Fietshuis");
  ASSERT_TRUE(org.has_value());
  ASSERT_TRUE(s->ApplyChanges(org->id, "u",
                              {{RecordKind::kActivity, "crm", 0, R"({"id":"crm","name":"CRM"})", ""},
                               {RecordKind::kSystem, "hr", 0, R"({"id":"hr","name":"HR"})", ""}}));
  // One change of two fields: two history entries (seq 3 and 4) about one record.
  ASSERT_TRUE(s->ApplyChanges(
      org->id, "u",
      {{RecordKind::kActivity, "crm", 1, R"({"id":"crm","name":"CRM 2","answers":{"in_use":true}})", ""}}));
  using Key = std::pair<RecordKind, std::string>;
  auto all = s->ChangedSince(org->id, 0, 10);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(all->head_seq, s->HistoryHead(org->id)->seq);
  EXPECT_GE(all->head_seq, 4);
  EXPECT_EQ(all->records, (std::vector<Key>{{RecordKind::kActivity, "crm"}, {RecordKind::kSystem, "hr"}}));
  EXPECT_FALSE(all->more);
  auto since2 = s->ChangedSince(org->id, 2, 10);
  ASSERT_TRUE(since2.has_value());
  EXPECT_EQ(since2->records, (std::vector<Key>{{RecordKind::kActivity, "crm"}}));
  auto none = s->ChangedSince(org->id, all->head_seq, 10);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->head_seq, all->head_seq);
  EXPECT_TRUE(none->records.empty());
  EXPECT_FALSE(none->more);
  auto capped = s->ChangedSince(org->id, 0, 1);
  ASSERT_TRUE(capped.has_value());
  EXPECT_EQ(capped->records, (std::vector<Key>{{RecordKind::kActivity, "crm"}}));
  EXPECT_TRUE(capped->more);
  EXPECT_EQ(s->ChangedSince("org_missing", 0, 10).error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, RecordChangesBecomeChainedHistoryEntries) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("Fietshuis");
  ASSERT_TRUE(org.has_value());
  const std::string crm1 = R"({"id":"crm","name":"CRM","purposes":[{"id":"p1","lawful_basis":"consent"}]})";
  auto created = s->ApplyChanges(org->id, "usr_a",
                                 {{RecordKind::kActivity, "crm", 0, crm1, "first"},
                                  {RecordKind::kActivity, "hr", 0, R"({"id":"hr","name":"HR"})", ""}});
  ASSERT_TRUE(created.has_value()) << created.error().message;
  ASSERT_EQ(created->size(), 2u);
  EXPECT_EQ((*created)[0].version, 1);
  EXPECT_EQ((*created)[0].position, 0);
  EXPECT_EQ((*created)[1].position, 1);
  EXPECT_EQ((*created)[0].status, RecordStatus::kDraft);
  EXPECT_EQ((*created)[0].author_user_id, "usr_a");
  EXPECT_EQ((*created)[0].body, crm1);

  // Spacing and key order inside is kept as given, whitespace is not.
  const std::string crm2_spaced =
      R"({"id": "crm", "name": "CRM system", "purposes": [{"id": "p1", "lawful_basis": "contract"}], "answers": {"in_use": true}})";
  const std::string crm2 =
      R"({"id":"crm","name":"CRM system","purposes":[{"id":"p1","lawful_basis":"contract"}],"answers":{"in_use":true}})";
  auto updated =
      s->ApplyChanges(org->id, "usr_b", {{RecordKind::kActivity, "crm", 1, crm2_spaced, "review"}});
  ASSERT_TRUE(updated.has_value()) << updated.error().message;
  EXPECT_EQ((*updated)[0].version, 2);
  EXPECT_EQ((*updated)[0].body, crm2);
  EXPECT_EQ((*updated)[0].author_user_id, "usr_b");

  auto h = AllHistory(*s, org->id);
  ASSERT_EQ(h.size(), 5u);
  struct Want {
    int64_t seq;
    std::string record, field, old_value, new_value, actor, reason;
    int64_t version;
  };
  const std::vector<Want> want = {
      {1, "crm", "", "", crm1, "usr_a", "first", 1},
      {2, "hr", "", "", R"({"id":"hr","name":"HR"})", "usr_a", "", 1},
      {3, "crm", "name", "\"CRM\"", "\"CRM system\"", "usr_b", "review", 2},
      {4, "crm", "purposes[p1].lawful_basis", "\"consent\"", "\"contract\"", "usr_b", "review", 2},
      {5, "crm", "answers", "", R"({"in_use":true})", "usr_b", "review", 2},
  };
  std::string prev = Hash0();
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(h[i].org_id, org->id);
    EXPECT_EQ(h[i].seq, want[i].seq);
    EXPECT_EQ(h[i].kind, RecordKind::kActivity);
    EXPECT_EQ(h[i].record_id, want[i].record);
    EXPECT_EQ(h[i].field, want[i].field);
    EXPECT_EQ(h[i].old_value, want[i].old_value);
    EXPECT_EQ(h[i].new_value, want[i].new_value);
    EXPECT_EQ(h[i].actor, want[i].actor);
    EXPECT_EQ(h[i].reason, want[i].reason);
    EXPECT_EQ(h[i].version, want[i].version);
    EXPECT_EQ(h[i].at, "2026-01-02T03:04:05Z");
    EXPECT_EQ(h[i].prev_hash, prev);
    EXPECT_EQ(h[i].hash, HistoryHash(h[i]));
    EXPECT_EQ(h[i].hash.size(), 64u);
    prev = h[i].hash;
  }

  // A change that changes nothing: same version, no entry.
  auto same = s->ApplyChanges(org->id, "usr_b", {{RecordKind::kActivity, "crm", 2, crm2_spaced, ""}});
  ASSERT_TRUE(same.has_value()) << same.error().message;
  EXPECT_EQ((*same)[0].version, 2);
  EXPECT_EQ(*s->HistoryCount(org->id), 5);

  // Stale: kConflict naming the current version, nothing written.
  auto stale = s->ApplyChanges(org->id, "usr_c", {{RecordKind::kActivity, "crm", 1, R"({"id":"crm"})", ""}});
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  EXPECT_NE(stale.error().message.find("version 2"), std::string::npos) << stale.error().message;
  // All or nothing: the first change is fine, the last is stale.
  auto batch = s->ApplyChanges(org->id, "usr_c",
                               {{RecordKind::kActivity, "hr", 1, R"({"id":"hr","name":"People"})", ""},
                                {RecordKind::kActivity, "new", 0, R"({"id":"new"})", ""},
                                {RecordKind::kActivity, "crm", 1, R"({"id":"crm"})", ""}});
  ASSERT_FALSE(batch.has_value());
  EXPECT_EQ(batch.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(s->GetRecord(org->id, RecordKind::kActivity, "hr")->version, 1);
  EXPECT_EQ(s->GetRecord(org->id, RecordKind::kActivity, "hr")->body, R"({"id":"hr","name":"HR"})");
  EXPECT_EQ(s->GetRecord(org->id, RecordKind::kActivity, "new").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(*s->HistoryCount(org->id), 5);
  // Creating one that exists, updating one that does not, an unknown org, bad bodies.
  auto exists = s->ApplyChanges(org->id, "u", {{RecordKind::kActivity, "crm", 0, R"({"id":"crm"})", ""}});
  EXPECT_EQ(exists.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(s->ApplyChanges(org->id, "u", {{RecordKind::kActivity, "nope", 3, "{}", ""}}).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(s->ApplyChanges("org_missing", "u", {{RecordKind::kActivity, "x", 0, "{}", ""}}).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(s->ApplyChanges(org->id, "u", {{RecordKind::kActivity, "x", 0, "{nope", ""}}).error().kind,
            ErrorKind::kParse);
  EXPECT_EQ(s->ApplyChanges(org->id, "u", {{RecordKind::kActivity, "x", 0, "[1]", ""}}).error().kind,
            ErrorKind::kSchema);

  // Versions as they were.
  auto v1 = s->GetRecordVersion(org->id, RecordKind::kActivity, "crm", 1);
  ASSERT_TRUE(v1.has_value()) << v1.error().message;
  EXPECT_EQ(v1->body, crm1);
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->author_user_id, "usr_a");
  EXPECT_EQ(s->GetRecordVersion(org->id, RecordKind::kActivity, "crm", 2)->body, crm2);
  EXPECT_EQ(s->GetRecordVersion(org->id, RecordKind::kActivity, "crm", 3).error().kind, ErrorKind::kNotFound);

  // Workflow.
  auto st = s->SetStatus(org->id, RecordKind::kActivity, "crm", 2, RecordStatus::kInReview, "usr_d", "ready");
  ASSERT_TRUE(st.has_value()) << st.error().message;
  EXPECT_EQ(st->version, 3);
  EXPECT_EQ(st->status, RecordStatus::kInReview);
  auto st_stale =
      s->SetStatus(org->id, RecordKind::kActivity, "crm", 2, RecordStatus::kApproved, "usr_d", "");
  ASSERT_FALSE(st_stale.has_value());
  EXPECT_EQ(st_stale.error().kind, ErrorKind::kConflict);
  EXPECT_NE(st_stale.error().message.find("version 3"), std::string::npos);
  auto as = s->Assign(org->id, RecordKind::kActivity, "crm", 3, "usr_owner", "2026-02-01", "usr_d");
  ASSERT_TRUE(as.has_value()) << as.error().message;
  EXPECT_EQ(as->version, 4);
  EXPECT_EQ(as->owner_user_id, "usr_owner");
  EXPECT_EQ(as->due_date, "2026-02-01");
  auto as_same = s->Assign(org->id, RecordKind::kActivity, "crm", 4, "usr_owner", "2026-02-01", "usr_d");
  ASSERT_TRUE(as_same.has_value());
  EXPECT_EQ(as_same->version, 4);
  EXPECT_EQ(
      s->SetStatus(org->id, RecordKind::kActivity, "zzz", 1, RecordStatus::kDraft, "u", "").error().kind,
      ErrorKind::kNotFound);
  h = AllHistory(*s, org->id);
  ASSERT_EQ(h.size(), 8u);
  EXPECT_EQ(h[5].field, "@status");
  EXPECT_EQ(h[5].old_value, "\"draft\"");
  EXPECT_EQ(h[5].new_value, "\"in_review\"");
  EXPECT_EQ(h[5].reason, "ready");
  EXPECT_EQ(h[5].version, 3);
  EXPECT_EQ(h[6].field, "@owner");
  EXPECT_EQ(h[6].old_value, "");
  EXPECT_EQ(h[6].new_value, "\"usr_owner\"");
  EXPECT_EQ(h[7].field, "@due_date");
  EXPECT_EQ(h[7].new_value, "\"2026-02-01\"");
  EXPECT_EQ(h[7].version, 4);
  auto v3 = s->GetRecordVersion(org->id, RecordKind::kActivity, "crm", 3);
  ASSERT_TRUE(v3.has_value());
  EXPECT_EQ(v3->status, RecordStatus::kInReview);
  EXPECT_EQ(v3->owner_user_id, "");

  // Filters and paging: newest first.
  auto crm_only = s->History(org->id, Page{0, 100}, RecordKind::kActivity, "crm");
  ASSERT_TRUE(crm_only.has_value());
  EXPECT_EQ(crm_only->size(), 7u);
  EXPECT_EQ(crm_only->front().seq, 8);
  auto page = s->History(org->id, Page{2, 3});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].seq, 6);
  EXPECT_EQ((*page)[2].seq, 4);
  EXPECT_TRUE(s->History(org->id, Page{0, 10}, RecordKind::kSystem)->empty());

  auto check = s->VerifyHistory(org->id);
  ASSERT_TRUE(check.has_value()) << check.error().message;
  ASSERT_EQ(check->size(), 1u);
  EXPECT_TRUE((*check)[0].ok) << (*check)[0].problem;
  EXPECT_EQ((*check)[0].entries, 8);
  EXPECT_EQ(s->VerifyHistory("org_missing").error().kind, ErrorKind::kNotFound);
}

// An import never deletes: what it lacks is marked obsolete (its versions
// and body kept, the reason in the history), what it holds again that was
// obsolete is a draft again, each on record.
TEST_P(StoreTest, ReplaceRegisterCreatesUpdatesAndRetires) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(org.has_value());
  const std::string a = R"({"id":"a","name":"A"})", b = R"({"id":"b","name":"B"})";
  ASSERT_TRUE(s->ApplyChanges(
      org->id, "u", {{RecordKind::kActivity, "a", 0, a, ""}, {RecordKind::kActivity, "b", 0, b, ""}}));
  ReplaceReport report;
  auto r = s->ReplaceRegister(org->id, "cli",
                              {{RecordKind::kOrganisation, "organisation", 0, R"({"name":"O BV"})", ""},
                               {RecordKind::kActivity, "b", 0, R"({"id":"b","name":"B2"})", ""},
                               {RecordKind::kSystem, "s1", 0, R"({"id":"s1"})", ""}},
                              "import", std::nullopt, &report);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].id, "b");
  EXPECT_EQ((*r)[1].version, 2);
  EXPECT_EQ((*r)[1].position, 0);
  ASSERT_EQ(report.retired.size(), 1u);
  EXPECT_EQ(report.retired[0].record.id, "a");
  EXPECT_EQ(report.retired[0].before, RecordStatus::kDraft);
  EXPECT_EQ(report.retired[0].record.status, RecordStatus::kObsolete);
  EXPECT_TRUE(report.reinstated.empty());
  auto list = s->ListRecords(org->id);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].kind, RecordKind::kOrganisation);
  EXPECT_EQ((*list)[1].id, "a");  // kept, at its place
  EXPECT_EQ((*list)[2].id, "b");
  EXPECT_EQ((*list)[3].kind, RecordKind::kSystem);
  auto kept = s->GetRecord(org->id, RecordKind::kActivity, "a");
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->status, RecordStatus::kObsolete);
  EXPECT_EQ(kept->body, a);
  EXPECT_EQ(kept->version, 2);
  auto h = AllHistory(*s, org->id);
  ASSERT_EQ(h.size(), 6u);
  EXPECT_EQ(h[2].record_id, "organisation");
  EXPECT_EQ(h[2].field, "");
  EXPECT_EQ(h[2].reason, "import");
  EXPECT_EQ(h[3].record_id, "b");
  EXPECT_EQ(h[3].field, "name");
  EXPECT_EQ(h[4].record_id, "s1");
  EXPECT_EQ(h[5].record_id, "a");
  EXPECT_EQ(h[5].field, "@status");
  EXPECT_EQ(h[5].old_value, "\"draft\"");
  EXPECT_EQ(h[5].new_value, "\"obsolete\"");
  EXPECT_EQ(h[5].version, 2);
  EXPECT_EQ(h[5].actor, "cli");
  EXPECT_EQ(h[5].reason, kNotInImportReason);
  auto v2 = s->GetRecordVersion(org->id, RecordKind::kActivity, "a", 2);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->body, a);
  EXPECT_EQ(v2->status, RecordStatus::kObsolete);
  // The same import again changes nothing (an obsolete record stays as it is).
  ReplaceReport same;
  ASSERT_TRUE(s->ReplaceRegister(org->id, "cli",
                                 {{RecordKind::kOrganisation, "organisation", 0, R"({"name":"O BV"})", ""},
                                  {RecordKind::kActivity, "b", 0, R"({"id":"b","name":"B2"})", ""},
                                  {RecordKind::kSystem, "s1", 0, R"({"id":"s1"})", ""}},
                                 "import", std::nullopt, &same));
  EXPECT_TRUE(same.retired.empty());
  EXPECT_EQ(*s->HistoryCount(org->id), 6);
  // In an import again: a draft again (its own version and entry), then changed.
  ReplaceReport back;
  auto again = s->ReplaceRegister(org->id, "cli",
                                  {{RecordKind::kActivity, "b", 0, R"({"id":"b","name":"B2"})", ""},
                                   {RecordKind::kActivity, "a", 0, R"({"id":"a","name":"A2"})", ""},
                                   {RecordKind::kOrganisation, "organisation", 0, R"({"name":"O BV"})", ""},
                                   {RecordKind::kSystem, "s1", 0, R"({"id":"s1"})", ""}},
                                  "again", std::nullopt, &back);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  ASSERT_EQ(back.reinstated.size(), 1u);
  EXPECT_EQ(back.reinstated[0].record.id, "a");
  EXPECT_EQ(back.reinstated[0].before, RecordStatus::kObsolete);
  EXPECT_EQ((*again)[1].status, RecordStatus::kDraft);
  EXPECT_EQ((*again)[1].version, 4);
  EXPECT_EQ((*again)[1].position, 1);
  h = AllHistory(*s, org->id);
  ASSERT_EQ(h.size(), 8u);
  EXPECT_EQ(h[6].field, "@status");
  EXPECT_EQ(h[6].new_value, "\"draft\"");
  EXPECT_EQ(h[6].reason, kBackInImportReason);
  EXPECT_EQ(h[7].field, "name");
  EXPECT_EQ(h[7].reason, "again");
  // Twice the same id is refused, nothing written.
  auto twice = s->ReplaceRegister(
      org->id, "cli", {{RecordKind::kSystem, "s1", 0, "{}", ""}, {RecordKind::kSystem, "s1", 0, "{}", ""}},
      "");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().kind, ErrorKind::kReference);
  EXPECT_EQ(*s->HistoryCount(org->id), 8);
  EXPECT_TRUE((*s->VerifyHistory())[0].ok);
  EXPECT_EQ(s->ListRecords("org_missing").error().kind, ErrorKind::kNotFound);
}

TEST_P(StoreTest, FindRecordsFiltersPagesAndKeepsRegisterOrder) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(org.has_value());
  auto u1 = s->CreateUser("one@example.nl", "h");
  auto u2 = s->CreateUser("two@example.nl", "h");
  ASSERT_TRUE(u1 && u2);
  // Kinds whose names sort otherwise than the register orders them.
  std::vector<RecordChange> all = {{RecordKind::kTouchpoint, "t1", 0, R"({"id":"t1"})", ""},
                                   {RecordKind::kSystem, "s1", 0, R"({"id":"s1"})", ""},
                                   {RecordKind::kOrganisation, "organisation", 0, R"({"name":"O"})", ""}};
  for (int i = 0; i < 5; ++i)
    all.push_back({RecordKind::kActivity, "a" + std::to_string(i), 0,
                   R"({"id":"a)" + std::to_string(i) + R"(","name":"A"})", ""});
  ASSERT_TRUE(s->ReplaceRegister(org->id, "cli", all, "import").has_value());
  auto a1 = s->GetRecord(org->id, RecordKind::kActivity, "a1");
  auto a3 = s->GetRecord(org->id, RecordKind::kActivity, "a3");
  ASSERT_TRUE(s->Assign(org->id, RecordKind::kActivity, "a1", a1->version, u1->id, "", "po").has_value());
  ASSERT_TRUE(s->Assign(org->id, RecordKind::kActivity, "a3", a3->version, u1->id, "", "po").has_value());
  auto a3b = s->GetRecord(org->id, RecordKind::kActivity, "a3");
  ASSERT_TRUE(
      s->SetStatus(org->id, RecordKind::kActivity, "a3", a3b->version, RecordStatus::kApproved, "ap", "")
          .has_value());
  auto ids = [](const std::vector<Record>& rs) {
    std::string out;
    for (const Record& r : rs) out += r.id + " ";
    return out;
  };
  // All, in register order: organisation, activities, systems, touchpoints.
  RecordQuery q;
  auto every = s->FindRecords(org->id, q);
  ASSERT_TRUE(every.has_value()) << every.error().message;
  EXPECT_EQ(ids(*every), "organisation a0 a1 a2 a3 a4 s1 t1 ");
  EXPECT_EQ((*every)[0].body, R"({"name":"O"})");
  // A page of them, with the same order, and without bodies.
  q.page = Page{2, 3};
  q.with_bodies = false;
  auto page = s->FindRecords(org->id, q);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(ids(*page), "a1 a2 a3 ");
  EXPECT_EQ((*page)[0].body, "");
  EXPECT_EQ((*page)[0].owner_user_id, u1->id);
  EXPECT_EQ((*page)[0].version, a1->version + 1);
  EXPECT_EQ(*s->CountRecords(org->id, q), 8);
  // By kind; by owner; only open ones.
  RecordQuery k;
  k.kind = RecordKind::kActivity;
  k.page = Page{4, 10};
  EXPECT_EQ(ids(*s->FindRecords(org->id, k)), "a4 ");
  EXPECT_EQ(*s->CountRecords(org->id, k), 5);
  RecordQuery mine;
  mine.owner_user_id = u1->id;
  EXPECT_EQ(ids(*s->FindRecords(org->id, mine)), "a1 a3 ");
  mine.open_only = true;
  EXPECT_EQ(ids(*s->FindRecords(org->id, mine)), "a1 ");
  EXPECT_EQ(*s->CountRecords(org->id, mine), 1);
  mine.owner_user_id = u2->id;
  EXPECT_TRUE(s->FindRecords(org->id, mine)->empty());
  EXPECT_EQ(*s->CountRecords(org->id, mine), 0);
  // Past the end: empty; an unknown organisation: kNotFound.
  q.page = Page{100, 10};
  EXPECT_TRUE(s->FindRecords(org->id, q)->empty());
  EXPECT_EQ(s->FindRecords("org_missing", q).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(s->CountRecords("org_missing", q).error().kind, ErrorKind::kNotFound);
  // A page with its total in one query; past the end the total still counts.
  q.page = Page{2, 3};
  auto counted = s->FindRecordsCounted(org->id, q);
  ASSERT_TRUE(counted.has_value()) << counted.error().message;
  EXPECT_EQ(ids(counted->first), "a1 a2 a3 ");
  EXPECT_EQ(counted->first[0].owner_user_id, u1->id);
  EXPECT_EQ(counted->first[2].status, RecordStatus::kApproved);
  EXPECT_EQ(counted->second, 8);
  k.page = Page{1, 2};
  counted = s->FindRecordsCounted(org->id, k);
  EXPECT_EQ(ids(counted->first), "a1 a2 ");
  EXPECT_EQ(counted->second, 5);
  q.page = Page{100, 10};
  counted = s->FindRecordsCounted(org->id, q);
  ASSERT_TRUE(counted.has_value());
  EXPECT_TRUE(counted->first.empty());
  EXPECT_EQ(counted->second, 8);
  EXPECT_EQ(s->FindRecordsCounted("org_missing", q).error().kind, ErrorKind::kNotFound);
  // Any of some kinds and some records: their union, in register order.
  RecordQuery any;
  any.any_of_kinds = {RecordKind::kSystem, RecordKind::kOrganisation};
  any.any_of_records = {{RecordKind::kActivity, "a3"},
                        {RecordKind::kActivity, "a0"},
                        {RecordKind::kTouchpoint, "a1"}};  // no touchpoint a1: nothing
  EXPECT_EQ(ids(*s->FindRecords(org->id, any)), "organisation a0 a3 s1 ");
  any.any_of_kinds.clear();
  EXPECT_EQ(ids(*s->FindRecords(org->id, any)), "a0 a3 ");
  any.kind = RecordKind::kSystem;  // with `kind`: the intersection
  EXPECT_TRUE(s->FindRecords(org->id, any)->empty());
}

TEST_P(StoreTest, RegisterStampAndHistoryCountFollowEveryChange) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(org.has_value());
  auto empty = s->RegisterStamp(org->id);
  ASSERT_TRUE(empty.has_value()) << empty.error().message;
  EXPECT_EQ(*empty, "0");
  EXPECT_EQ(*s->HistoryCount(org->id), 0);
  std::vector<RecordChange> two = {{RecordKind::kActivity, "a", 0, R"({"id":"a"})", ""},
                                   {RecordKind::kActivity, "b", 0, R"({"id":"b"})", ""}};
  ASSERT_TRUE(s->ReplaceRegister(org->id, "cli", two, "import").has_value());
  auto first = s->RegisterStamp(org->id);
  ASSERT_TRUE(first.has_value());
  const int64_t n = *s->HistoryCount(org->id);
  EXPECT_GT(n, 0);
  EXPECT_EQ(n, s->History(org->id, Page{0, 1000})->size());
  EXPECT_TRUE(first->starts_with(std::to_string(n) + "\nactivity a 1 "));
  // Moving a record (a new position, no history entry) changes the stamp.
  std::vector<RecordChange> swapped = {two[1], two[0]};
  for (RecordChange& c : swapped) c.expected_version = 1;
  ASSERT_TRUE(s->ReplaceRegister(org->id, "cli", swapped, "import").has_value());
  EXPECT_EQ(*s->HistoryCount(org->id), n);
  auto moved = s->RegisterStamp(org->id);
  ASSERT_TRUE(moved.has_value());
  EXPECT_NE(*moved, *first);
  EXPECT_EQ(s->RegisterStamp("org_missing").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(*s->HistoryCount("org_missing"), 0);
}

TEST_P(StoreTest, TamperingIsFoundAtTheFirstBadSeq) {
  BS_STORE_TEST_DB(tdb, GetParam());
  if (!tdb.shareable()) GTEST_SKIP() << "needs a second connection to the database";
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto o1 = s->CreateOrg("one");
  auto o2 = s->CreateOrg("two");
  auto o3 = s->CreateOrg("three");
  ASSERT_TRUE(o1 && o2 && o3);
  for (const auto& org : {*o1, *o2, *o3}) {
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(
          s->ApplyChanges(org.id, "u", {{RecordKind::kSystem, "s" + std::to_string(i), 0, "{}", ""}}));
    }
  }
  auto all = s->VerifyHistory();
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  for (const auto& c : *all) EXPECT_TRUE(c.ok && c.entries == 5) << c.org_id << ": " << c.problem;

  auto raw = OpenDb(tdb.url);
  ASSERT_TRUE(raw.has_value());
  ASSERT_EQ(*(*raw)->Exec("UPDATE history SET new_value = ? WHERE org_id = ? AND seq = 3",
                          {std::string("{\"x\":1}"), o1->id}),
            1);
  ASSERT_EQ(*(*raw)->Exec("DELETE FROM history WHERE org_id = ? AND seq = 2", {o2->id}), 1);
  ASSERT_EQ(*(*raw)->Exec("DELETE FROM history WHERE org_id = ? AND seq = 5", {o3->id}), 1);
  auto c1 = s->VerifyHistory(o1->id);
  ASSERT_TRUE(c1.has_value());
  EXPECT_FALSE((*c1)[0].ok);
  EXPECT_EQ((*c1)[0].first_bad_seq, 3);
  EXPECT_NE((*c1)[0].problem.find("hash"), std::string::npos) << (*c1)[0].problem;
  auto c2 = s->VerifyHistory(o2->id);
  EXPECT_FALSE((*c2)[0].ok);
  EXPECT_EQ((*c2)[0].first_bad_seq, 2);
  EXPECT_NE((*c2)[0].problem.find("missing"), std::string::npos) << (*c2)[0].problem;
  auto c3 = s->VerifyHistory(o3->id);
  EXPECT_FALSE((*c3)[0].ok) << "the last entry deleted: the chain's head says 5";
  EXPECT_EQ((*c3)[0].first_bad_seq, 5);
  // Rewriting an entry together with its hash breaks the next link.
  auto e = AllHistory(*s, o1->id);
  ASSERT_EQ(e.size(), 5u);
  HistoryEntry forged = e[2];  // seq 3, its new_value changed above
  ASSERT_EQ(forged.new_value, "{\"x\":1}");
  forged.hash = HistoryHash(forged);
  ASSERT_EQ(*(*raw)->Exec("UPDATE history SET hash = ? WHERE org_id = ? AND seq = 3", {forged.hash, o1->id}),
            1);
  auto c1b = s->VerifyHistory(o1->id);
  EXPECT_FALSE((*c1b)[0].ok);
  EXPECT_EQ((*c1b)[0].first_bad_seq, 4);
  EXPECT_NE((*c1b)[0].problem.find("prev_hash"), std::string::npos) << (*c1b)[0].problem;
}

// The last entries deleted together with the stored head rewound pass
// every check of the chain itself; a head hash kept outside the database
// (an anchor) finds it.
TEST_P(StoreTest, AnAnchorFindsAChainCutBackWithItsHead) {
  BS_STORE_TEST_DB(tdb, GetParam());
  if (!tdb.shareable()) GTEST_SKIP() << "needs a second connection to the database";
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("anchored");
  ASSERT_TRUE(org.has_value());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(s->ApplyChanges(org->id, "u", {{RecordKind::kSystem, "s" + std::to_string(i), 0, "{}", ""}}));
  auto before = s->VerifyHistory(org->id);
  ASSERT_TRUE(before.has_value());
  ASSERT_TRUE((*before)[0].ok);
  const std::string head5 = (*before)[0].head;
  auto e = AllHistory(*s, org->id);
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(head5, e[4].hash);
  EXPECT_EQ(s->HistoryHead(org->id)->hash, head5);
  EXPECT_EQ(s->HistoryHead(org->id)->seq, 5);
  // An older anchor is in the chain too.
  EXPECT_TRUE((*s->VerifyHistory(org->id, e[2].hash))[0].ok);
  EXPECT_TRUE((*s->VerifyHistory(org->id, head5))[0].ok);
  // Cut entry 5 and rewind the stored head to entry 4.
  auto raw = OpenDb(tdb.url);
  ASSERT_TRUE(raw.has_value());
  ASSERT_EQ(*(*raw)->Exec("DELETE FROM history WHERE org_id = ? AND seq = 5", {org->id}), 1);
  ASSERT_EQ(
      *(*raw)->Exec("UPDATE orgs SET history_seq = 4, history_head = ? WHERE id = ?", {e[3].hash, org->id}),
      1);
  auto plain = s->VerifyHistory(org->id);
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE((*plain)[0].ok) << "without an anchor the cut chain looks whole";
  EXPECT_EQ((*plain)[0].head, e[3].hash);
  auto anchored = s->VerifyHistory(org->id, head5);
  ASSERT_TRUE(anchored.has_value());
  EXPECT_FALSE((*anchored)[0].ok);
  EXPECT_EQ((*anchored)[0].first_bad_seq, 5);
  EXPECT_NE((*anchored)[0].problem.find("no entry has the anchor's hash " + head5), std::string::npos)
      << (*anchored)[0].problem;
  EXPECT_TRUE((*s->VerifyHistory(org->id, e[3].hash))[0].ok);
  // An anchor names one organisation's chain.
  EXPECT_EQ(s->VerifyHistory("", head5).error().kind, ErrorKind::kUsage);
}

TEST_P(StoreTest, RacingWritersOneWinsNoLostUpdateGaplessSeq) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("race");
  ASSERT_TRUE(org.has_value());
  ASSERT_TRUE(s->ApplyChanges(org->id, "u", {{RecordKind::kActivity, "r", 0, R"({"n":0})", ""}}));
  for (int round = 0; round < 5; ++round) {
    const int64_t v = s->GetRecord(org->id, RecordKind::kActivity, "r")->version;
    std::atomic<int> ok{0}, conflict{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < 2; ++t) {
      ts.emplace_back([&, t] {
        auto r = s->ApplyChanges(
            org->id, "t" + std::to_string(t),
            {{RecordKind::kActivity, "r", v, R"({"n":)" + std::to_string(round * 10 + t + 1) + "}", ""}});
        if (r) {
          ++ok;
        } else if (r.error().kind == ErrorKind::kConflict) {
          ++conflict;
        }
      });
    }
    for (auto& t : ts) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflict.load(), 1);
  }
  // Increments with reload-and-retry from four threads: none lost.
  constexpr int kThreads = 4, kEach = 10;
  std::vector<std::thread> ts;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        for (;;) {
          auto cur = s->GetRecord(org->id, RecordKind::kActivity, "r");
          if (!cur) {
            ++failures;
            return;
          }
          const int n = std::stoi(cur->body.substr(5));
          auto r = s->ApplyChanges(
              org->id, "inc",
              {{RecordKind::kActivity, "r", cur->version, R"({"n":)" + std::to_string(n + 1) + "}", ""}});
          if (r) break;
          if (r.error().kind != ErrorKind::kConflict) {
            ++failures;
            ADD_FAILURE() << r.error().message;
            return;
          }
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto rec = s->GetRecord(org->id, RecordKind::kActivity, "r");
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->version, 1 + 5 + kThreads * kEach);
  const int start = std::stoi(s->GetRecordVersion(org->id, RecordKind::kActivity, "r", 6)->body.substr(5));
  EXPECT_EQ(rec->body, R"({"n":)" + std::to_string(start + kThreads * kEach) + "}");
  auto h = AllHistory(*s, org->id);
  ASSERT_EQ(h.size(), static_cast<size_t>(1 + 5 + kThreads * kEach));
  for (size_t i = 0; i < h.size(); ++i) EXPECT_EQ(h[i].seq, static_cast<int64_t>(i + 1));
  EXPECT_TRUE((*s->VerifyHistory(org->id))[0].ok);
}

TEST_P(StoreTest, AuditsAndSecurityLog) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(org.has_value());
  EXPECT_EQ(s->LatestAudit(org->id).error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(s->SaveAudit({"aud_1", org->id, "2026-01-01T00:00:00Z", "u", "3 findings", "{\"a\":1}"}));
  ASSERT_TRUE(s->SaveAudit({"aud_2", org->id, "2026-01-02T00:00:00Z", "u", "2 findings", "{\"a\":2}"}));
  EXPECT_EQ(s->SaveAudit({"aud_3", "org_missing", "", "u", "", "{}"}).error().kind, ErrorKind::kNotFound);
  auto latest = s->LatestAudit(org->id);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, "aud_2");
  EXPECT_EQ(latest->report_json, "{\"a\":2}");
  auto summary = s->LatestAuditSummary(org->id);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->id, "aud_2");
  EXPECT_EQ(summary->summary, "2 findings");
  EXPECT_EQ(summary->report_json, "");  // not read
  auto list = s->ListAudits(org->id, Page{0, 10});
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].summary, "3 findings");
  EXPECT_EQ(s->ListAudits(org->id, Page{1, 10})->size(), 1u);

  ASSERT_TRUE(s->LogSecurity({"", "", "who@x.nl", "login_failed", "unknown user", "10.0.0.1"}));
  ASSERT_TRUE(s->LogSecurity({"", org->id, "a@x.nl", "token_added", "ci", "10.0.0.2"}));
  auto all = s->SecurityLog("", Page{0, 10});
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].event, "token_added");  // newest first
  EXPECT_EQ((*all)[1].email, "who@x.nl");
  EXPECT_EQ((*all)[1].at, "2026-01-02T03:04:05Z");
  auto mine = s->SecurityLog(org->id, Page{0, 10});
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].remote, "10.0.0.2");
}

TEST_P(StoreTest, BackupWhileWriting) {
  BS_STORE_TEST_DB(tdb, GetParam());
  auto s = OpenFresh(tdb);
  ASSERT_TRUE(s);
  auto org = s->CreateOrg("O");
  ASSERT_TRUE(org.has_value());
  if (GetParam() == Backend::kPostgres) {
    auto b = s->Backup("/tmp/x.db");
    ASSERT_FALSE(b.has_value());
    EXPECT_EQ(b.error().kind, ErrorKind::kUsage);
    EXPECT_NE(b.error().hint.find("pg_dump"), std::string::npos);
    return;
  }
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(s->ApplyChanges(org->id, "u", {{RecordKind::kSystem, "s" + std::to_string(i), 0, "{}", ""}}));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 50; !stop; ++i) {
      if (s->ApplyChanges(org->id, "u", {{RecordKind::kSystem, "s" + std::to_string(i), 0, "{}", ""}}))
        ++written;
    }
  });
  if (GetParam() == Backend::kSqliteFile) {
    auto over = s->Backup(tdb.url);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().kind, ErrorKind::kUsage);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("bs_backup_" + test_db::RandomHex(12));
  const std::string path = (dir / "nested" / "backup.db").string();
  auto b = s->Backup(path);
  stop = true;
  writer.join();
  ASSERT_TRUE(b.has_value()) << b.error().message;
  {
    auto copy = Store::Open(path, /*migrate=*/false);
    ASSERT_TRUE(copy.has_value()) << copy.error().message;
    auto n = (*copy)->HistoryCount(org->id);
    ASSERT_TRUE(n.has_value());
    EXPECT_GE(*n, 50);
    EXPECT_EQ(static_cast<size_t>(*n), (*copy)->ListRecords(org->id)->size());
    auto check = (*copy)->VerifyHistory();
    ASSERT_TRUE(check.has_value());
    EXPECT_TRUE((*check)[0].ok) << (*check)[0].problem;
    auto raw = OpenDb(path);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ((*raw)->Query("PRAGMA integrity_check")->at(0).Text(0), "ok");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kSqliteMemory, Backend::kPostgres),
                         [](const auto& info) { return test_db::BackendName(info.param); });

}  // namespace
}  // namespace blindspot::store

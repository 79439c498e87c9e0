#include "blindspot/admin.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "blindspot/io.h"
#include "store_test_util.h"
#include "zip_test_util.h"

namespace blindspot::admin {
namespace {

using store::RecordKind;
using store::RecordStatus;
using store::Role;

std::string ReadSource(const std::string& rel) {
  std::ifstream in(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Permissions, TheTable) {
  using P = Permission;
  for (Permission p : AllPermissions()) EXPECT_TRUE(RoleAllows(Role::kAdmin, p)) << PermissionName(p);
  EXPECT_FALSE(RoleAllows(Role::kPrivacyOfficer, P::kManageMembers));
  EXPECT_TRUE(RoleAllows(Role::kPrivacyOfficer, P::kEditRegister));
  EXPECT_TRUE(RoleAllows(Role::kPrivacyOfficer, P::kAssign));
  EXPECT_TRUE(RoleAllows(Role::kPrivacyOfficer, P::kPublish));
  // Read-only roles.
  for (Role r : {Role::kDpo, Role::kAuditor}) {
    EXPECT_TRUE(RoleAllows(r, P::kRead));
    EXPECT_TRUE(RoleAllows(r, P::kReadHistory));
    for (P p : {P::kEditRegister, P::kEditAssigned, P::kAssign, P::kApprove, P::kPublish, P::kRunAudit,
                P::kManageMembers, P::kManageTokens})
      EXPECT_FALSE(RoleAllows(r, p)) << store::RoleName(r) << " " << PermissionName(p);
  }
  EXPECT_TRUE(RoleAllows(Role::kDpo, P::kReadSecurityLog));
  EXPECT_FALSE(RoleAllows(Role::kAuditor, P::kReadSecurityLog));
  EXPECT_TRUE(RoleAllows(Role::kBusinessOwner, P::kEditAssigned));
  EXPECT_FALSE(RoleAllows(Role::kBusinessOwner, P::kEditRegister));
  EXPECT_FALSE(RoleAllows(Role::kBusinessOwner, P::kApprove));
  EXPECT_TRUE(RoleAllows(Role::kApprover, P::kApprove));
  EXPECT_FALSE(RoleAllows(Role::kApprover, P::kEditRegister));
  EXPECT_FALSE(RoleAllows(Role::kApprover, P::kPublish));
}

TEST(Records, SplitAndJoinTheExampleRegister) {
  auto loaded = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "register.yaml");
  ASSERT_TRUE(loaded.has_value());
  std::vector<store::RecordChange> changes = SplitRegister(loaded->reg);
  ASSERT_GT(changes.size(), 10u);
  EXPECT_EQ(changes[0].kind, RecordKind::kOrganisation);
  EXPECT_EQ(changes[0].id, "organisation");
  size_t touchpoints = 0;
  for (const auto& c : changes) touchpoints += c.kind == RecordKind::kTouchpoint;
  EXPECT_EQ(touchpoints, loaded->reg.touchpoints.size());
  std::vector<store::Record> records;
  int64_t pos = 0;
  for (const auto& c : changes) {
    store::Record r;
    r.kind = c.kind;
    r.id = c.id;
    r.body = c.body;
    r.position = pos--;  // reversed positions: the join must order by position
    records.push_back(r);
  }
  std::reverse(records.begin(), records.end());
  for (size_t i = 0; i < records.size(); ++i) records[i].position = static_cast<int64_t>(i);
  std::reverse(records.begin(), records.end());
  for (auto& r : records) r.position = -r.position;
  auto back = ParseRegisterText(JoinRecords(records), "joined");
  ASSERT_TRUE(back.has_value()) << back.error().front().Format();
  back->reg.source = loaded->reg.source;
  EXPECT_TRUE(back->reg == loaded->reg);
  // Obsolete records are left out.
  for (auto& r : records)
    if (r.kind == RecordKind::kSystem) r.status = RecordStatus::kObsolete;
  auto without = ParseRegisterText(JoinRecords(records), "joined");
  // Systems are referenced by activities: the register no longer reads.
  if (!loaded->reg.systems.empty()) {
    EXPECT_FALSE(without.has_value());
  }
}

class AdminTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = store::testing::TestDatabase::Create(GetParam());
    if (!db_) GTEST_SKIP() << store::testing::TestDatabase::SkipReason(GetParam());
    auto st = store::Store::Open(db_->url());
    ASSERT_TRUE(st.has_value()) << st.error().message;
    store_ = std::move(*st);
    store_->SetClock([this] { return now_iso_; });
    Options o;
    o.unix_now = [this] { return now_; };
    o.app.default_filter_lists = false;
    admin_ = std::make_unique<Admin>(*store_, o);
    auto org = admin_->AddOrg("Fietshuis Zonnepad B.V.");
    ASSERT_TRUE(org.has_value());
    org_ = org->id;
    for (auto [email, role] :
         std::vector<std::pair<std::string, Role>>{{"po@example.nl", Role::kPrivacyOfficer},
                                                   {"bo@example.nl", Role::kBusinessOwner},
                                                   {"bo2@example.nl", Role::kBusinessOwner},
                                                   {"ap@example.nl", Role::kApprover},
                                                   {"ap2@example.nl", Role::kApprover},
                                                   {"au@example.nl", Role::kAuditor}}) {
      auto u = admin_->AddUser(org_, email, role, "a long password 123");
      ASSERT_TRUE(u.has_value()) << u.error().message;
      secrets_[email] = u->totp_secret;
    }
  }

  Actor As(const std::string& email) {
    auto u = store_->FindUserByEmail(email);
    EXPECT_TRUE(u.has_value());
    auto ms = store_->MembershipsOfUser(u->id);
    Actor a;
    a.user_id = u->id;
    a.email = email;
    a.org_id = org_;
    for (const auto& m : *ms)
      if (m.org_id == org_) a.roles.push_back(m.role);
    return a;
  }

  // Submit (privacy officer), approve (approver), publish (privacy officer).
  void Publish(RecordKind kind, const std::string& id) {
    auto r = admin_->GetRecord(As("po@example.nl"), kind, id);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    auto sub = admin_->Transition(As("po@example.nl"), kind, id, r->record.version, "submit", "");
    ASSERT_TRUE(sub.has_value()) << sub.error().message;
    auto ok = admin_->Transition(As("ap@example.nl"), kind, id, sub->record.version, "approve", "");
    ASSERT_TRUE(ok.has_value()) << ok.error().message;
    auto pub = admin_->Transition(As("po@example.nl"), kind, id, ok->record.version, "publish", "");
    ASSERT_TRUE(pub.has_value()) << pub.error().message;
  }

  void Import() {
    auto r = admin_->PutRegister(As("po@example.nl"), ReadSource("examples/webshop/register.yaml"),
                                 "register.yaml", "initial import");
    ASSERT_TRUE(r.has_value()) << r.error().Format();
  }

  std::unique_ptr<store::testing::TestDatabase> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Admin> admin_;
  std::string org_;
  std::map<std::string, std::string> secrets_;
  int64_t now_ = 1'800'000'000;  // 2027-01-15T08:00:00Z
  std::string now_iso_ = "2027-01-15T08:00:00Z";
};

TEST_P(AdminTest, SecondFactorOnlyForAdminsAndPrivacyOfficers) {
  EXPECT_FALSE(secrets_["po@example.nl"].empty());
  EXPECT_TRUE(secrets_["bo@example.nl"].empty());
  // The business owner logs in with the password alone.
  auto bo = admin_->Login({"BO@example.nl", "a long password 123", "", "10.0.0.1"});
  ASSERT_TRUE(bo.has_value()) << bo.error().message;
  EXPECT_EQ(bo->session_cookie.size(), 43u);
  auto s = admin_->CheckSession(bo->session_cookie);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->csrf, bo->csrf);
  // The stored session is the hash of the cookie, never the cookie.
  EXPECT_EQ(s->token_hash, auth::HashSecret(bo->session_cookie));
  // The privacy officer needs the code; without it the answer is the one
  // for a wrong password (it must not confirm the password alone).
  auto po = admin_->Login({"po@example.nl", "a long password 123", "", "10.0.0.1"});
  ASSERT_FALSE(po.has_value());
  EXPECT_EQ(po.error().kind, ErrorKind::kAuth);
  auto bad_password = admin_->Login({"po@example.nl", "not the password", "", "10.0.0.1"});
  ASSERT_FALSE(bad_password.has_value());
  EXPECT_EQ(po.error().message, bad_password.error().message);
  EXPECT_EQ(po.error().expected, bad_password.error().expected);
  auto code = auth::TotpCode(secrets_["po@example.nl"], now_);
  auto ok = admin_->Login({"po@example.nl", "a long password 123", *code, "10.0.0.1"});
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  // The same code again is a replay.
  auto replay = admin_->Login({"po@example.nl", "a long password 123", *code, "10.0.0.1"});
  EXPECT_FALSE(replay.has_value());
  auto wrong = admin_->Login({"po@example.nl", "a long password 123", "000000", "10.0.0.2"});
  EXPECT_FALSE(wrong.has_value());
}

TEST_P(AdminTest, LockoutAfterFailuresAndSecurityLog) {
  // One answer, whatever was wrong: it does not tell a locked account, a
  // wrong password and an unknown address apart.
  const std::string refused =
      "wrong e-mail address, password or code (after 5 failed logins an account is locked for 15 minutes)";
  auto timed = [&](const LoginRequest& r) {
    auto start = std::chrono::steady_clock::now();
    auto res = admin_->Login(r);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return std::pair{std::move(res), ms};
  };
  double wrong_ms = 0;
  for (int i = 0; i < 5; ++i) {
    auto [r, ms] = timed({"bo@example.nl", "wrong password!!", "", "10.0.0." + std::to_string(i)});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ErrorKind::kAuth);
    EXPECT_EQ(r.error().message, refused);
    wrong_ms = i == 0 ? ms : std::min(wrong_ms, ms);
  }
  // Now locked: even the right password is refused, with the same answer,
  // after a password check's time (not at once).
  auto [locked, locked_ms] = timed({"bo@example.nl", "a long password 123", "", "10.0.0.9"});
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().kind, ErrorKind::kAuth);
  EXPECT_EQ(locked.error().message, refused);
  EXPECT_GT(locked_ms, wrong_ms / 4) << "a locked account is answered at once (" << locked_ms << " ms vs "
                                     << wrong_ms << " ms for a wrong password)";
  // An unknown address gets the same answer in about the same time.
  auto [unknown, unknown_ms] = timed({"nobody@example.nl", "a long password 123", "", "10.0.0.8"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kAuth);
  EXPECT_EQ(unknown.error().message, refused);
  EXPECT_GT(unknown_ms, wrong_ms / 4);
  now_ += 16 * 60;
  now_iso_ = "2027-01-15T08:16:00Z";
  EXPECT_TRUE(admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.9"}).has_value());
  // The security log still records what really happened.
  auto log = admin_->SecurityLog(As("po@example.nl"), {0, 100});
  ASSERT_TRUE(log.has_value());
  std::map<std::string, int> events;
  std::vector<std::string> locked_details;
  for (const auto& e : *log) {
    ++events[e.event];
    if (e.event == "login_locked") locked_details.push_back(e.detail);
    EXPECT_EQ(e.detail.find("a long password"), std::string::npos);
    EXPECT_EQ(e.detail.find("wrong password"), std::string::npos);
  }
  EXPECT_EQ(events["login_failed"], 5) << "5 wrong passwords; the unknown user is no member's event";
  EXPECT_EQ(events["login_locked"], 2) << "locked after the fifth, refused while locked";
  EXPECT_EQ(events["login_ok"], 1);
  // Newest first: refused while locked (until when), then the lock itself.
  ASSERT_EQ(locked_details.size(), 2u);
  EXPECT_EQ(locked_details[0], "until 2027-01-15T08:15:00Z");
  EXPECT_EQ(locked_details[1], "after 5 failures");
  auto all = store_->SecurityLog("", {0, 100});
  ASSERT_TRUE(all.has_value());
  int unknown_events = 0;
  for (const auto& e : *all)
    if (e.email == "nobody@example.nl" && e.event == "login_failed" && e.detail == "unknown user")
      ++unknown_events;
  EXPECT_EQ(unknown_events, 1);
}

TEST_P(AdminTest, SessionsExpireWhenIdle) {
  auto bo = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"});
  ASSERT_TRUE(bo.has_value());
  now_ += 29 * 60;
  EXPECT_TRUE(admin_->CheckSession(bo->session_cookie).has_value());
  now_ += 29 * 60;  // used 29 minutes ago: still fresh
  EXPECT_TRUE(admin_->CheckSession(bo->session_cookie).has_value());
  now_ += 31 * 60;
  auto idle = admin_->CheckSession(bo->session_cookie);
  ASSERT_FALSE(idle.has_value());
  EXPECT_EQ(idle.error().kind, ErrorKind::kAuth);
  EXPECT_FALSE(admin_->CheckSession("not a cookie").has_value());
  auto again = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"});
  ASSERT_TRUE(again.has_value());
  ASSERT_TRUE(admin_->Logout(again->session_cookie).has_value());
  EXPECT_FALSE(admin_->CheckSession(again->session_cookie).has_value());
}

TEST_P(AdminTest, ImportExportRoundTrip) {
  Import();
  auto yaml = admin_->GetRegister(As("au@example.nl"), "yaml");
  ASSERT_TRUE(yaml.has_value()) << yaml.error().message;
  auto original = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "register.yaml");
  auto back = ParseRegisterText(*yaml, "register.yaml");
  ASSERT_TRUE(back.has_value());
  back->reg.source = original->reg.source;
  EXPECT_TRUE(back->reg == original->reg);
  auto json = admin_->GetRegister(As("au@example.nl"), "json");
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(*json, WriteRegisterJson(original->reg));
  // Importing the same register again changes nothing.
  auto before = store_->HistoryCount(org_);
  auto again =
      admin_->PutRegister(As("po@example.nl"), ReadSource("examples/webshop/register.yaml"), "r.yaml", "");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->changed, 0u);
  EXPECT_EQ(*store_->HistoryCount(org_), *before);
  // Read-only roles cannot import; a broken register is refused with its location.
  auto denied = admin_->PutRegister(As("au@example.nl"), "blindspot_register: 1\n", "r.yaml", "");
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().kind, ErrorKind::kDenied);
  auto broken =
      admin_->PutRegister(As("po@example.nl"), "blindspot_register: 1\nactivities: 7\n", "r.yaml", "");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().where.file, "r.yaml");
  EXPECT_EQ(broken.error().where.line, 2u);
}

// The dashboard keeps each organisation's records and reads again only those
// changed since: after every kind of change, by this Admin or another one on
// the same database, it must count what a fresh count counts.
TEST_P(AdminTest, DashboardFollowsEveryChangeAsAFreshCountWould) {
  Import();
  const Actor po = As("po@example.nl");
  auto text = [](const Result<Dashboard>& d) {
    if (!d) return "error: " + d.error().message;
    std::string out = d->controller;
    for (const DepartmentCounts& n : d->departments)
      out += fmt::format(" | {}: {} records, {} answered, {} open, {} overdue", n.department, n.records,
                         n.answered, n.open, n.overdue);
    return out;
  };
  auto fresh = [&](const std::string& day) {
    Admin other(*store_, Options{});
    return text(other.DashboardOf(po, day));
  };
  auto marketing = [&](const std::string& day) {
    auto d = admin_->DashboardOf(po, day);
    EXPECT_TRUE(d.has_value());
    for (const DepartmentCounts& n : d->departments)
      if (n.department == "Marketing") return n;
    return DepartmentCounts{};
  };
  const std::string day = "2027-01-15";
  // The example: 4 activities and 4 touchpoints, each touchpoint under its first activity's department.
  auto first = admin_->DashboardOf(po, day);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  std::vector<std::pair<std::string, int>> depts;
  for (const DepartmentCounts& n : first->departments) depts.emplace_back(n.department, n.records);
  EXPECT_EQ(depts, (std::vector<std::pair<std::string, int>>{
                       {"E-commerce", 1}, {"Klantenservice", 2}, {"Marketing", 5}}));
  EXPECT_EQ(text(first), fresh(day));
  EXPECT_EQ(text(admin_->DashboardOf(po, day)), text(first)) << "unchanged";
  // Assigned with a due date in the past: one more overdue in Marketing.
  const DepartmentCounts before = marketing(day);
  auto pixel = admin_->GetRecord(po, RecordKind::kTouchpoint, "meta-pixel");
  ASSERT_TRUE(pixel.has_value());
  auto assigned = admin_->Assign(po, RecordKind::kTouchpoint, "meta-pixel", pixel->record.version,
                                 "bo@example.nl", "2027-01-10");
  ASSERT_TRUE(assigned.has_value()) << assigned.error().message;
  EXPECT_EQ(marketing(day).overdue, before.overdue + 1);
  EXPECT_EQ(text(admin_->DashboardOf(po, day)), fresh(day));
  // An activity's department renamed: its touchpoint moves with it.
  auto cs = admin_->GetRecord(po, RecordKind::kActivity, "customer-service");
  ASSERT_TRUE(cs.has_value());
  nlohmann::json body = nlohmann::json::parse(cs->record.body);
  body["business_function"] = "Service";
  ASSERT_TRUE(admin_
                  ->UpdateRecord(po, RecordKind::kActivity, "customer-service", cs->record.version,
                                 body.dump(), "renamed")
                  .has_value());
  auto renamed = admin_->DashboardOf(po, day);
  ASSERT_TRUE(renamed.has_value());
  EXPECT_EQ(text(renamed), fresh(day));
  EXPECT_NE(text(renamed).find(" | Service: 2 records"), std::string::npos) << text(renamed);
  EXPECT_EQ(text(renamed).find("Klantenservice"), std::string::npos) << text(renamed);
  // Made obsolete by another server on the same database: no longer counted here either.
  Admin other(*store_, Options{});
  auto signup = other.GetRecord(po, RecordKind::kTouchpoint, "newsletter-signup");
  ASSERT_TRUE(signup.has_value());
  ASSERT_TRUE(other
                  .Transition(po, RecordKind::kTouchpoint, "newsletter-signup", signup->record.version,
                              "obsolete", "gone")
                  .has_value());
  EXPECT_EQ(marketing(day).records, before.records - 1);
  EXPECT_EQ(text(admin_->DashboardOf(po, day)), fresh(day));
  // No change, another day: a due date of today is overdue tomorrow.
  // (An activity: a draft is open until approved; the example's touchpoints but the pixel are answered.)
  auto ads = admin_->GetRecord(po, RecordKind::kActivity, "online-advertising");
  ASSERT_TRUE(ads.has_value());
  ASSERT_TRUE(admin_
                  ->Assign(po, RecordKind::kActivity, "online-advertising", ads->record.version,
                           "bo@example.nl", "2027-01-16")
                  .has_value());
  const int overdue_16 = marketing("2027-01-16").overdue;
  EXPECT_EQ(marketing("2027-01-17").overdue, overdue_16 + 1);
  EXPECT_EQ(text(admin_->DashboardOf(po, "2027-01-17")), fresh("2027-01-17"));
  // A whole import (many records at once) and back to the first day.
  ASSERT_TRUE(
      admin_->PutRegister(po, ReadSource("examples/webshop/register.yaml"), "register.yaml", "import again")
          .has_value());
  EXPECT_EQ(text(admin_->DashboardOf(po, day)), fresh(day));
}

TEST_P(AdminTest, CachedExportFollowsEveryChange) {
  Import();
  const Actor au = As("au@example.nl"), po = As("po@example.nl");
  auto first = admin_->GetRegister(au, "json");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*admin_->GetRegister(au, "json"), *first) << "served again unchanged";
  // A change through this Admin.
  auto tp = admin_->GetRecord(po, RecordKind::kTouchpoint, "whatsapp-button");
  ASSERT_TRUE(tp.has_value());
  auto ans = admin_->AnswerTouchpoint(po, "whatsapp-button", tp->record.version,
                                      R"({"stored_by_vendor_details": "cache check 1"})", "");
  ASSERT_TRUE(ans.has_value()) << ans.error().Format();
  auto second = admin_->GetRegister(au, "json");
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(second->find("cache check 1"), std::string::npos);
  EXPECT_EQ(first->find("cache check 1"), std::string::npos);
  // A change by another process (another Admin on the same database): seen too.
  Admin other(*store_, Options{});
  auto ans2 = other.AnswerTouchpoint(po, "whatsapp-button", ans->record.version,
                                     R"({"stored_by_vendor_details": "cache check 2"})", "");
  ASSERT_TRUE(ans2.has_value()) << ans2.error().Format();
  auto yaml = admin_->GetRegister(au, "yaml");
  ASSERT_TRUE(yaml.has_value());
  EXPECT_NE(yaml->find("cache check 2"), std::string::npos);
  EXPECT_NE(admin_->GetRegister(au, "json")->find("cache check 2"), std::string::npos);
  // Straight in the store: a record made obsolete leaves the export.
  auto gone = store_->SetStatus(org_, RecordKind::kTouchpoint, "whatsapp-button", ans2->record.version,
                                store::RecordStatus::kObsolete, po.user_id, "");
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(admin_->GetRegister(au, "json")->find("cache check 2"), std::string::npos);
  // An import that only reorders records changes the export's order.
  auto reg = admin_->CurrentRegister(org_);
  ASSERT_TRUE(reg.has_value());
  ASSERT_GE(reg->activities.size(), 2u);
  std::swap(reg->activities[0], reg->activities[1]);
  auto before = admin_->GetRegister(au, "json");
  ASSERT_TRUE(admin_->PutRegister(po, WriteRegisterJson(*reg), "r.json", "reorder").has_value());
  auto after = admin_->GetRegister(au, "json");
  ASSERT_TRUE(after.has_value());
  EXPECT_NE(*after, *before);
  EXPECT_LT(after->find("\"" + reg->activities[0].id + "\""),
            after->find("\"" + reg->activities[1].id + "\""));
}

TEST_P(AdminTest, AnAnswerIsCheckedAgainstWhatTheTouchpointNames) {
  Import();
  const Actor po = As("po@example.nl");
  auto tp = admin_->GetRecord(po, RecordKind::kTouchpoint, "whatsapp-button");
  ASSERT_TRUE(tp.has_value());
  auto body = nlohmann::json::parse(tp->record.body);
  // An activity or vendor that does not exist is refused, as with the whole register.
  auto bad_act = body;
  bad_act["activities"] = {"no-such-activity"};
  auto r = admin_->UpdateRecord(po, RecordKind::kTouchpoint, "whatsapp-button", tp->record.version,
                                bad_act.dump(), "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kReference) << r.error().Format();
  EXPECT_NE(r.error().message.find("no-such-activity"), std::string::npos) << r.error().message;
  auto bad_vendor = body;
  bad_vendor["vendor"] = "no-such-processor";
  r = admin_->UpdateRecord(po, RecordKind::kTouchpoint, "whatsapp-button", tp->record.version,
                           bad_vendor.dump(), "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kReference) << r.error().Format();
  // An existing activity is accepted, and the stored register still reads back whole.
  auto acts = admin_->Records(po, RecordKind::kActivity);
  ASSERT_TRUE(acts.has_value());
  ASSERT_FALSE(acts->empty());
  auto good = body;
  good["activities"] = {acts->back().record.id};
  r = admin_->UpdateRecord(po, RecordKind::kTouchpoint, "whatsapp-button", tp->record.version, good.dump(),
                           "");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  auto reg = admin_->CurrentRegister(org_);
  ASSERT_TRUE(reg.has_value()) << reg.error().Format();
  ASSERT_NE(reg->FindTouchpoint("whatsapp-button"), nullptr);
  EXPECT_EQ(reg->FindTouchpoint("whatsapp-button")->activities,
            std::vector<std::string>{acts->back().record.id});
}

TEST_P(AdminTest, BusinessOwnerAnswersOnlyWhatIsAssigned) {
  Import();
  const std::string tp = "whatsapp-button";
  auto rec = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp);
  ASSERT_TRUE(rec.has_value()) << rec.error().message;
  EXPECT_FALSE(rec->editable == false);
  // Not assigned: the business owner cannot answer.
  auto no = admin_->AnswerTouchpoint(As("bo@example.nl"), tp, rec->record.version, R"({"in_use": true})", "");
  ASSERT_FALSE(no.has_value());
  EXPECT_EQ(no.error().kind, ErrorKind::kDenied);
  EXPECT_EQ(no.error().message, "this record is not assigned to you");
  // Assigned by the privacy officer, with a due date.
  auto as = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, rec->record.version,
                           "bo@example.nl", "2027-02-01");
  ASSERT_TRUE(as.has_value()) << as.error().message;
  EXPECT_EQ(as->owner_email, "bo@example.nl");
  EXPECT_EQ(as->record.due_date, "2027-02-01");
  auto mine = admin_->MyQuestions(As("bo@example.nl"));
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].record.id, tp);
  EXPECT_TRUE(admin_->MyQuestions(As("bo2@example.nl"))->empty());
  // Another business owner still cannot.
  EXPECT_EQ(admin_->AnswerTouchpoint(As("bo2@example.nl"), tp, as->record.version, R"({"in_use": true})", "")
                .error()
                .kind,
            ErrorKind::kDenied);
  // The owner answers; the answers are merged into the touchpoint.
  auto ans = admin_->AnswerTouchpoint(As("bo@example.nl"), tp, as->record.version,
                                      R"({"in_use": true, "stored_by_us": false, "lawful_basis": "consent"})",
                                      "answered by customer service");
  ASSERT_TRUE(ans.has_value()) << ans.error().Format();
  EXPECT_EQ(ans->record.version, as->record.version + 1);
  auto body = nlohmann::json::parse(ans->record.body);
  EXPECT_EQ(body["answers"]["in_use"], true);
  EXPECT_EQ(body["answers"]["stored_by_us"], false);
  EXPECT_EQ(body["answers"]["lawful_basis"], "consent");
  // A stale version is a conflict, and nothing changes.
  auto stale =
      admin_->AnswerTouchpoint(As("bo@example.nl"), tp, as->record.version, R"({"in_use": false})", "");
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(nlohmann::json::parse(admin_->GetRecord(As("bo@example.nl"), RecordKind::kTouchpoint, tp)
                                      ->record.body)["answers"]["in_use"],
            true);
  // An invalid answer (not a lawful basis) is refused by the register reader.
  auto bad = admin_->AnswerTouchpoint(As("bo@example.nl"), tp, ans->record.version,
                                      R"({"lawful_basis": "because we can"})", "");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kSchema) << bad.error().Format();
  // The business owner cannot edit an activity not assigned to it, nor a processor at all.
  auto procs = admin_->Records(As("bo@example.nl"), RecordKind::kProcessor);
  ASSERT_TRUE(procs.has_value());
  ASSERT_FALSE(procs->empty());
  EXPECT_FALSE((*procs)[0].editable);
  // The history names the field, old and new value, who and why.
  auto hist = admin_->History(As("au@example.nl"), {0, 20});
  ASSERT_TRUE(hist.has_value());
  bool found = false;
  for (const auto& e : *hist)
    if (e.record_id == tp && e.field == "answers.lawful_basis") {
      found = true;
      EXPECT_EQ(e.old_value, "\"legitimate_interests\"") << "the example register's answer";
      EXPECT_EQ(e.new_value, "\"consent\"");
      EXPECT_EQ(e.actor, As("bo@example.nl").user_id);
      EXPECT_EQ(e.reason, "answered by customer service");
    }
  EXPECT_TRUE(found);
}

TEST_P(AdminTest, AssignTakesOnlyCalendarDates) {
  Import();
  const std::string tp = "whatsapp-button";
  auto rec = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp);
  ASSERT_TRUE(rec.has_value());
  const int64_t v = rec->record.version;
  for (const std::string bad :
       {"2026-02-31", "2026-02-29", "2026-04-31", "2100-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
        "2026-1-01", "26-01-01", "2026/01/01", "tomorrow"}) {
    auto r = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, v, "bo@example.nl", bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
    EXPECT_EQ(r.error().path, "due_date");
    EXPECT_EQ(r.error().message, "due_date '" + bad + "' is not a date on the calendar");
    EXPECT_EQ(r.error().expected, "a date written YYYY-MM-DD, e.g. 2026-02-28");
  }
  // Nothing was written by the refusals.
  EXPECT_EQ(admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp)->record.version, v);
  int64_t at = v;
  for (const std::string good : {"2028-02-29", "2000-02-29", "2026-12-31", "2026-02-28"}) {
    auto r = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, at, "bo@example.nl", good);
    ASSERT_TRUE(r.has_value()) << good << ": " << r.error().message;
    EXPECT_EQ(r->record.due_date, good);
    at = r->record.version;
  }
}

TEST_P(AdminTest, AssignOnlyToAMemberWhoCanAnswer) {
  Import();
  ASSERT_TRUE(admin_->AddUser(org_, "dpo@example.nl", Role::kDpo, "a long password 123").has_value());
  // Two roles, one of which can answer: fine.
  ASSERT_TRUE(admin_->AddUser(org_, "ap2@example.nl", Role::kBusinessOwner, "").has_value());
  const std::string tp = "whatsapp-button";
  auto rec = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp);
  ASSERT_TRUE(rec.has_value());
  const int64_t v = rec->record.version;
  for (auto [email, role] : std::vector<std::pair<std::string, std::string>>{
           {"au@example.nl", "auditor"}, {"ap@example.nl", "approver"}, {"dpo@example.nl", "dpo"}}) {
    auto r = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, v, email, "2027-02-01");
    ASSERT_FALSE(r.has_value()) << email;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(r.error().path, "owner");
    EXPECT_EQ(r.error().message, email + " cannot answer this record: their role in this organisation (" +
                                     role + ") does not allow editing it");
    EXPECT_EQ(r.error().expected,
              "a member with a role that can answer: admin, privacy_officer, business_owner");
  }
  EXPECT_EQ(admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp)->record.version, v);
  EXPECT_TRUE(admin_->MyQuestions(As("au@example.nl"))->empty());
  auto bo =
      admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, v, "bo@example.nl", "2027-02-01");
  ASSERT_TRUE(bo.has_value()) << bo.error().message;
  auto both = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, bo->record.version,
                             "ap2@example.nl", "2027-02-01");
  ASSERT_TRUE(both.has_value()) << both.error().message;
  EXPECT_EQ(both->owner_email, "ap2@example.nl");
  // The privacy officer can answer too; nobody (empty) unassigns.
  auto po = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, both->record.version,
                           "po@example.nl", "");
  ASSERT_TRUE(po.has_value()) << po.error().message;
  auto none = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, po->record.version, "", "");
  ASSERT_TRUE(none.has_value()) << none.error().message;
  EXPECT_TRUE(none->owner_email.empty());
}

TEST_P(AdminTest, ApprovalByAnotherThanTheAuthor) {
  Import();
  const std::string tp = "whatsapp-button";
  auto rec = *admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, tp);
  auto as = *admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, rec.record.version,
                            "bo@example.nl", "");
  auto ans = admin_->AnswerTouchpoint(As("bo@example.nl"), tp, as.record.version, R"({"in_use": true})", "");
  ASSERT_TRUE(ans.has_value());
  // Approving a draft is a conflict: it must be submitted first.
  auto early = admin_->Transition(As("ap@example.nl"), RecordKind::kTouchpoint, tp, ans->record.version,
                                  "approve", "");
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().kind, ErrorKind::kConflict);
  auto sub =
      admin_->Transition(As("bo@example.nl"), RecordKind::kTouchpoint, tp, ans->record.version, "submit", "");
  ASSERT_TRUE(sub.has_value()) << sub.error().message;
  EXPECT_EQ(sub->record.status, RecordStatus::kInReview);
  // The business owner cannot approve; the auditor cannot either.
  EXPECT_EQ(
      admin_->Transition(As("bo@example.nl"), RecordKind::kTouchpoint, tp, sub->record.version, "approve", "")
          .error()
          .kind,
      ErrorKind::kDenied);
  EXPECT_EQ(
      admin_->Transition(As("au@example.nl"), RecordKind::kTouchpoint, tp, sub->record.version, "approve", "")
          .error()
          .kind,
      ErrorKind::kDenied);
  auto ok = admin_->Transition(As("ap@example.nl"), RecordKind::kTouchpoint, tp, sub->record.version,
                               "approve", "checked with the statement");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->record.status, RecordStatus::kApproved);
  auto pub =
      admin_->Transition(As("po@example.nl"), RecordKind::kTouchpoint, tp, ok->record.version, "publish", "");
  ASSERT_TRUE(pub.has_value()) << pub.error().message;
  EXPECT_EQ(pub->record.status, RecordStatus::kPublished);
  // An approver who is also the author of a version cannot approve it.
  ASSERT_TRUE(store_->AddMembership({org_, As("ap2@example.nl").user_id, Role::kBusinessOwner}).has_value());
  auto as2 = *admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, tp, pub->record.version,
                             "ap2@example.nl", "");
  auto edit =
      admin_->AnswerTouchpoint(As("ap2@example.nl"), tp, as2.record.version, R"({"in_use": false})", "");
  ASSERT_TRUE(edit.has_value()) << edit.error().message;
  EXPECT_EQ(edit->record.status, RecordStatus::kDraft) << "a change after publication goes back to draft";
  auto sub2 = *admin_->Transition(As("ap2@example.nl"), RecordKind::kTouchpoint, tp, edit->record.version,
                                  "submit", "");
  auto own = admin_->Transition(As("ap2@example.nl"), RecordKind::kTouchpoint, tp, sub2.record.version,
                                "approve", "");
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().kind, ErrorKind::kDenied);
  EXPECT_TRUE(
      admin_->Transition(As("ap@example.nl"), RecordKind::kTouchpoint, tp, sub2.record.version, "approve", "")
          .has_value());
  // Versions compare field by field.
  auto diff = admin_->CompareVersions(As("au@example.nl"), RecordKind::kTouchpoint, tp, ans->record.version,
                                      edit->record.version);
  ASSERT_TRUE(diff.has_value()) << diff.error().message;
  ASSERT_EQ(diff->size(), 1u);
  EXPECT_EQ((*diff)[0].path, "answers.in_use");
  EXPECT_EQ((*diff)[0].old_value, "true");
  EXPECT_EQ((*diff)[0].new_value, "false");
  auto chain = store_->VerifyHistory(org_);
  ASSERT_TRUE(chain.has_value());
  ASSERT_EQ(chain->size(), 1u);
  EXPECT_TRUE((*chain)[0].ok) << (*chain)[0].problem;
}

TEST_P(AdminTest, AuditTheStoredRegisterAgainstUploadedHars) {
  Import();
  std::vector<Upload> hars = {{"../../home.har", ReadSource("examples/webshop/har/home.har")},
                              {"checkout.har", ReadSource("examples/webshop/har/checkout.har")}};
  auto denied = admin_->RunAudit(As("bo@example.nl"), hars);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().kind, ErrorKind::kDenied);
  auto none = admin_->RunAudit(As("po@example.nl"), {});
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().kind, ErrorKind::kUsage);
  auto run = admin_->RunAudit(As("po@example.nl"), hars);
  ASSERT_TRUE(run.has_value()) << run.error().Format();
  auto report = nlohmann::json::parse(run->report_json);
  std::set<std::string> products;
  for (const auto& t : report["touchpoints"]) products.insert(t["kb_id"].get<std::string>());
  EXPECT_TRUE(products.contains("meta-pixel")) << run->report_json.substr(0, 2000);
  EXPECT_FALSE(report["findings"].empty());
  // The upload's path is not trusted: the source is named by its base name.
  EXPECT_EQ(run->report_json.find("../"), std::string::npos);
  auto latest = admin_->LatestAudit(As("au@example.nl"));
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, run->id);
  // A file that is not a HAR is a clear error.
  auto bad = admin_->RunAudit(As("po@example.nl"), {{"x.har", "{\"log\": 5}"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().where.file.find("x.har"), std::string::npos) << bad.error().Format();
}

// Issue 11: a blind spot of an audit becomes a draft touchpoint with what was
// seen, for a business owner to confirm or correct. Expected by hand from the
// example's zone and DMARC report before the first run: SendGrid sends as the
// shop (DMARC: 341 messages on 1 December 2026, selector s1) and nobody
// registered it: one draft. Mailchimp and the Meta pixel (its verification
// token) are registered: no draft for them.
TEST_P(AdminTest, AnAuditMakesEachBlindSpotADraftQuestionWithWhatWasSeen) {
  Import();
  std::vector<Upload> files = {
      {"fietshuis-zonnepad.nl.zone", ReadSource("examples/webshop/discovery/fietshuis-zonnepad.nl.zone")},
      {"dmarc-google.com-2026-12-01.xml",
       ReadSource("examples/webshop/discovery/dmarc-google.com-2026-12-01.xml")}};
  auto run = admin_->RunAudit(As("po@example.nl"), files);
  ASSERT_TRUE(run.has_value()) << run.error().Format();
  auto summary = nlohmann::json::parse(run->summary);
  ASSERT_TRUE(summary.contains("drafted")) << run->summary;
  ASSERT_EQ(summary["drafted"].size(), 1u) << run->summary;
  EXPECT_EQ(summary["drafted"][0]["id"], "twilio-sendgrid");
  EXPECT_EQ(summary["drafted"][0]["name"], "Twilio SendGrid");
  EXPECT_FALSE(summary.contains("draft_error"));

  auto draft = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid");
  ASSERT_TRUE(draft.has_value()) << draft.error().message;
  EXPECT_EQ(draft->record.status, RecordStatus::kDraft);
  auto body = nlohmann::json::parse(draft->record.body);
  EXPECT_EQ(body["product"], "twilio-sendgrid");
  EXPECT_EQ(body["channel"], "email");
  EXPECT_FALSE(body.contains("answers")) << "nothing is answered for the owner";
  const auto& found = body["discovered"];
  EXPECT_EQ(found["audit"], run->id);
  EXPECT_EQ(found["date"], now_iso_.substr(0, 10));
  EXPECT_EQ(found["proof"], "sending-now");
  EXPECT_EQ(found["first_date"], "2026-12-01");
  bool dmarc_row = false;
  for (const auto& item : found["seen"])
    if (item["kind"] == "mail-sent") {
      dmarc_row = true;
      EXPECT_EQ(item["count"], 341) << item.dump();
      EXPECT_EQ(item["proof"], "sending-now");
      EXPECT_NE(item["source"].get<std::string>().find("dmarc-google.com-2026-12-01.xml"), std::string::npos);
    }
  EXPECT_TRUE(dmarc_row) << found.dump();
  EXPECT_EQ(found["suggested"]["in_use"], true);
  EXPECT_FALSE(found["suggested"].contains("in_use_since")) << "seen on a day is not in use since that day";
  EXPECT_EQ(draft->questions_answered, 0) << "suggestions are not answers";
  // The history says where it came from.
  auto hist = admin_->RecordHistory(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid", {});
  ASSERT_TRUE(hist.has_value());
  ASSERT_FALSE(hist->empty());
  EXPECT_EQ(hist->back().reason, "discovered by audit " + run->id);

  // Until its owner confirms it, the next audit still reports the blind spot
  // (a draft is no registration) and makes no second draft.
  auto unconfirmed = admin_->RunAudit(As("po@example.nl"), files);
  ASSERT_TRUE(unconfirmed.has_value()) << unconfirmed.error().Format();
  EXPECT_FALSE(nlohmann::json::parse(unconfirmed->summary).contains("drafted")) << unconfirmed->summary;
  EXPECT_EQ(nlohmann::json::parse(unconfirmed->summary)["blind_spots"], 1) << unconfirmed->summary;
  draft = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid");
  ASSERT_TRUE(draft.has_value());
  // Assigned to a business owner, it is one of the owner's questions, and
  // the owner's answers are saved as answers.
  auto as = admin_->Assign(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid",
                           draft->record.version, "bo@example.nl", "2027-02-01");
  ASSERT_TRUE(as.has_value()) << as.error().message;
  auto mine = admin_->MyQuestions(As("bo@example.nl"));
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(std::any_of(mine->begin(), mine->end(),
                          [](const RecordView& v) { return v.record.id == "twilio-sendgrid"; }));
  auto ans = admin_->AnswerTouchpoint(As("bo@example.nl"), "twilio-sendgrid", as->record.version,
                                      R"({"in_use": true, "in_use_since": "2025-03-01"})", "order mails");
  ASSERT_TRUE(ans.has_value()) << ans.error().Format();

  // Confirmed in use, the next audit finds it registered: no second draft.
  auto again = admin_->RunAudit(As("po@example.nl"), files);
  ASSERT_TRUE(again.has_value()) << again.error().Format();
  EXPECT_FALSE(nlohmann::json::parse(again->summary).contains("drafted")) << again->summary;
  EXPECT_EQ(nlohmann::json::parse(again->summary)["blind_spots"], 0) << again->summary;
  // Taken out of the register by a privacy officer, it is not drafted again:
  // that decision is theirs to undo (reinstate), and the report still says BS001.
  auto cur = admin_->GetRecord(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid");
  ASSERT_TRUE(cur.has_value());
  ASSERT_TRUE(admin_
                  ->Transition(As("po@example.nl"), RecordKind::kTouchpoint, "twilio-sendgrid",
                               cur->record.version, "obsolete", "not ours")
                  .has_value());
  auto third = admin_->RunAudit(As("po@example.nl"), files);
  ASSERT_TRUE(third.has_value()) << third.error().Format();
  EXPECT_FALSE(nlohmann::json::parse(third->summary).contains("drafted")) << third->summary;
  EXPECT_NE(third->report_json.find("BS001"), std::string::npos);
}

TEST_P(AdminTest, TokensActForTheirOrganisationOnly) {
  auto token = admin_->AddToken(org_, "au@example.nl", "ci");
  ASSERT_TRUE(token.has_value()) << token.error().message;
  EXPECT_TRUE(token->starts_with("bst_"));
  auto a = admin_->ActorForToken(*token, org_);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->roles, std::vector<Role>{Role::kAuditor});
  auto other = admin_->AddOrg("Other B.V.");
  EXPECT_EQ(admin_->ActorForToken(*token, other->id).error().kind, ErrorKind::kDenied);
  EXPECT_EQ(admin_->ActorForToken("bst_nonsense", org_).error().kind, ErrorKind::kAuth);
  // Only the hash is stored.
  auto list = admin_->Tokens(As("po@example.nl"));
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].token.token_hash, auth::HashSecret(*token));
  // Whose it is and the roles it acts with.
  EXPECT_EQ((*list)[0].email, "au@example.nl");
  EXPECT_EQ((*list)[0].roles, std::vector<Role>{Role::kAuditor});
  // A member without manage_tokens sees its own tokens only.
  auto own = admin_->Tokens(As("au@example.nl"));
  ASSERT_TRUE(own.has_value());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].email, "au@example.nl");
  EXPECT_TRUE(admin_->Tokens(As("bo@example.nl"))->empty());
  EXPECT_EQ(admin_->RevokeToken(As("bo@example.nl"), (*list)[0].token.id).error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(admin_->RevokeToken(As("po@example.nl"), (*list)[0].token.id).has_value());
  EXPECT_EQ(admin_->ActorForToken(*token, org_).error().kind, ErrorKind::kAuth);
  // A second revocation did nothing and says so; an unknown id is not found.
  auto again = admin_->RevokeToken(As("po@example.nl"), (*list)[0].token.id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_NE(again.error().message.find("revoked already"), std::string::npos) << again.error().message;
  EXPECT_EQ(admin_->RevokeToken(As("po@example.nl"), "tok_nothing").error().kind, ErrorKind::kNotFound);
  // A non-member gets no token.
  EXPECT_FALSE(admin_->AddToken(other->id, "au@example.nl", "ci").has_value());
  // An unknown organisation is named as such, with how to list them.
  auto no_org = admin_->AddToken("org_0000000000000000", "au@example.nl", "ci");
  ASSERT_FALSE(no_org.has_value());
  EXPECT_EQ(no_org.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(no_org.error().message, "no organisation 'org_0000000000000000'");
  EXPECT_NE(no_org.error().hint.find("blindspot org list"), std::string::npos);
  auto no_user = admin_->AddToken(org_, "nobody@example.nl", "ci");
  ASSERT_FALSE(no_user.has_value());
  EXPECT_NE(no_user.error().hint.find("blindspot user add --org " + org_), std::string::npos);
  // Over-long names say what the limit is.
  auto long_name = admin_->AddOrg(std::string(201, 'N'));
  ASSERT_FALSE(long_name.has_value());
  EXPECT_EQ(long_name.error().message,
            "the organisation's name is 201 characters long; a name has at most 200");
  EXPECT_TRUE(admin_
                  ->AddOrg([] {
                    std::string s;
                    for (int i = 0; i < 200; ++i) s += "\xC3\xA9";  // 200 characters, 400 bytes
                    return s;
                  }())
                  .has_value());
}

// An import is the register as a file: what it lacks leaves the register on
// record (obsolete, never deleted), published texts stay public until the
// privacy officer decides, and what it holds again comes back as a draft.
TEST_P(AdminTest, AnImportRetiresWhatItLacksAndReinstatesWhatItHolds) {
  Import();
  Publish(RecordKind::kOrganisation, "organisation");
  Publish(RecordKind::kActivity, "webshop-orders");
  const Actor po = As("po@example.nl");
  auto loaded = ParseRegisterText(ReadSource("examples/webshop/register.yaml"), "register.yaml");
  ASSERT_TRUE(loaded.has_value());
  Register without = loaded->reg;
  // Leave out the published activity (and the touchpoints that serve it, so the register reads).
  std::erase_if(without.activities, [](const auto& a) { return a.id == "webshop-orders"; });
  for (auto& t : without.touchpoints) std::erase(t.activities, std::string("webshop-orders"));
  std::erase_if(without.touchpoints, [](const auto& t) { return t.activities.empty(); });
  auto put = admin_->PutRegister(po, WriteRegisterJson(without), "r.json", "");
  ASSERT_TRUE(put.has_value()) << put.error().Format();
  auto retired = std::find_if(put->retired.begin(), put->retired.end(),
                              [](const ImportNote& n) { return n.id == "webshop-orders"; });
  ASSERT_NE(retired, put->retired.end());
  EXPECT_EQ(retired->kind, RecordKind::kActivity);
  EXPECT_EQ(retired->before, RecordStatus::kPublished);
  EXPECT_FALSE(retired->name.empty());
  // Still there, obsolete, with the reason in its history.
  auto rec = admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  ASSERT_TRUE(rec.has_value()) << rec.error().message;
  EXPECT_EQ(rec->record.status, RecordStatus::kObsolete);
  EXPECT_TRUE(admin_->RetiredByImport(rec->record));
  auto hist = admin_->RecordHistory(po, RecordKind::kActivity, "webshop-orders", {0, 1});
  ASSERT_TRUE(hist.has_value() && !hist->empty());
  EXPECT_EQ((*hist)[0].field, "@status");
  EXPECT_EQ((*hist)[0].old_value, "\"published\"");
  EXPECT_EQ((*hist)[0].new_value, "\"obsolete\"");
  EXPECT_EQ((*hist)[0].reason, "not in the imported register");
  // Not in the register any more, but the public register keeps its published text.
  EXPECT_EQ(admin_->GetRegister(po, "json")->find("\"webshop-orders\""), std::string::npos);
  auto pub = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  ASSERT_EQ(pub["activities"].size(), 1u);
  EXPECT_EQ(pub["activities"][0]["id"], "webshop-orders");
  // The import's reason is not a reason anyone else may give.
  EXPECT_EQ(admin_
                ->Transition(po, RecordKind::kActivity, "webshop-orders", rec->record.version, "obsolete",
                             "not in the imported register")
                .error()
                .kind,
            ErrorKind::kUsage);
  // Importing it again brings it back as a draft, on record.
  auto again = admin_->PutRegister(po, ReadSource("examples/webshop/register.yaml"), "register.yaml", "");
  ASSERT_TRUE(again.has_value()) << again.error().Format();
  auto back = std::find_if(again->reinstated.begin(), again->reinstated.end(),
                           [](const ImportNote& n) { return n.id == "webshop-orders"; });
  ASSERT_NE(back, again->reinstated.end());
  EXPECT_EQ(back->before, RecordStatus::kObsolete);
  rec = admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  EXPECT_EQ(rec->record.status, RecordStatus::kDraft);
  hist = admin_->RecordHistory(po, RecordKind::kActivity, "webshop-orders", {0, 1});
  EXPECT_EQ((*hist)[0].new_value, "\"draft\"");
  EXPECT_EQ((*hist)[0].reason, "in the imported register again: a draft again");
  // A draft after publication: the public register shows the published version.
  pub = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  EXPECT_EQ(pub["activities"].size(), 1u);
  // Retired again, the privacy officer confirms: out of the public register.
  put = admin_->PutRegister(po, WriteRegisterJson(without), "r.json", "");
  ASSERT_TRUE(put.has_value());
  rec = admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  EXPECT_EQ(rec->record.status, RecordStatus::kObsolete);
  auto confirmed = admin_->Transition(po, RecordKind::kActivity, "webshop-orders", rec->record.version,
                                      "obsolete", "no longer offered");
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(confirmed->record.version, rec->record.version + 1);
  EXPECT_FALSE(admin_->RetiredByImport(confirmed->record));
  pub = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  EXPECT_TRUE(pub["activities"].empty()) << pub.dump();
  // Obsolete by decision: obsolete again is a conflict, not a new entry.
  EXPECT_EQ(
      admin_
          ->Transition(po, RecordKind::kActivity, "webshop-orders", confirmed->record.version, "obsolete", "")
          .error()
          .kind,
      ErrorKind::kConflict);
}

// Obsolete is no dead end: reinstate (the permission of obsolete) makes it a
// draft again, on record, when the register holds together with it.
TEST_P(AdminTest, AnObsoleteRecordCanBeReinstated) {
  Import();
  const Actor po = As("po@example.nl");
  auto rec = admin_->GetRecord(po, RecordKind::kTouchpoint, "meta-pixel");
  ASSERT_TRUE(rec.has_value());
  auto gone = admin_->Transition(po, RecordKind::kTouchpoint, "meta-pixel", rec->record.version, "obsolete",
                                 "not used any more");
  ASSERT_TRUE(gone.has_value()) << gone.error().message;
  EXPECT_FALSE(gone->editable);
  // Only a role that may mark records obsolete may bring them back.
  EXPECT_EQ(admin_
                ->Transition(As("ap@example.nl"), RecordKind::kTouchpoint, "meta-pixel", gone->record.version,
                             "reinstate", "")
                .error()
                .kind,
            ErrorKind::kDenied);
  auto back = admin_->Transition(po, RecordKind::kTouchpoint, "meta-pixel", gone->record.version, "reinstate",
                                 "in use again");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->record.status, RecordStatus::kDraft);
  EXPECT_TRUE(back->editable);
  auto hist = admin_->RecordHistory(po, RecordKind::kTouchpoint, "meta-pixel", {0, 1});
  ASSERT_TRUE(hist.has_value() && !hist->empty());
  EXPECT_EQ((*hist)[0].field, "@status");
  EXPECT_EQ((*hist)[0].old_value, "\"obsolete\"");
  EXPECT_EQ((*hist)[0].new_value, "\"draft\"");
  EXPECT_EQ((*hist)[0].reason, "in use again");
  EXPECT_NE(admin_->GetRegister(po, "json")->find("\"meta-pixel\""), std::string::npos);
  // A record that is not obsolete cannot be reinstated.
  EXPECT_EQ(
      admin_->Transition(po, RecordKind::kTouchpoint, "meta-pixel", back->record.version, "reinstate", "")
          .error()
          .kind,
      ErrorKind::kConflict);
}

// A problem in an edited record is placed in what the caller gave (a JSON
// pointer), never in the register the server composed to check it.
TEST_P(AdminTest, ProblemsInARecordArePlacedInTheRecordGiven) {
  Import();
  const Actor po = As("po@example.nl");
  auto rec = admin_->GetRecord(po, RecordKind::kTouchpoint, "meta-pixel");
  ASSERT_TRUE(rec.has_value());
  auto bad = admin_->AnswerTouchpoint(po, "meta-pixel", rec->record.version, R"({"in_use": "maybe"})", "");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().where.pointer, "/in_use") << bad.error().Format();
  EXPECT_EQ(bad.error().where.file, "");
  EXPECT_EQ(bad.error().where.line, 0u);
  auto act = admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  ASSERT_TRUE(act.has_value());
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(act->record.body);
  ASSERT_TRUE(body["purposes"].is_array() && !body["purposes"].empty());
  body["purposes"][0]["lawful_basis"] = "because";
  auto wrong =
      admin_->UpdateRecord(po, RecordKind::kActivity, "webshop-orders", act->record.version, body.dump(), "");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().where.pointer, "/purposes/0/lawful_basis") << wrong.error().Format();
  EXPECT_EQ(wrong.error().where.line, 0u);
}

TEST_P(AdminTest, PublicRegisterHoldsOnlyPublishedVersions) {
  Import();
  auto empty = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  EXPECT_TRUE(empty["activities"].empty()) << "nothing is published yet";
  EXPECT_EQ(empty["organisation"]["name"], "Fietshuis Zonnepad B.V.");
  Publish(RecordKind::kOrganisation, "organisation");
  Publish(RecordKind::kActivity, "webshop-orders");
  auto one = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  ASSERT_EQ(one["activities"].size(), 1u);
  const auto& a = one["activities"][0];
  EXPECT_EQ(a["id"], "webshop-orders");
  EXPECT_EQ(a["name"], "Bestellingen afhandelen");
  EXPECT_EQ(a["purposes"][0]["lawful_basis"], "contract");
  EXPECT_EQ(a["purposes"][1]["legal_obligation"], "Art. 52 Algemene wet inzake rijksbelastingen");
  EXPECT_EQ(a["data_categories"][0]["group"], "name");
  EXPECT_EQ(one["organisation"]["dpo"]["email"], "fg@privacybureau-utrecht.nl");
  // What is not for the public is not there: owners, systems, processors' ids, LIA references.
  std::string text = one.dump();
  EXPECT_EQ(text.find("Hoofd webwinkel"), std::string::npos);
  EXPECT_EQ(text.find("shopware-hosting"), std::string::npos);
  // Processors as recipients by their legal entity's name, never null.
  std::vector<std::string> recipients;
  for (const auto& r : a["recipients"]) {
    ASSERT_TRUE(r["name"].is_string()) << r.dump();
    recipients.push_back(r["name"]);
  }
  EXPECT_NE(std::find(recipients.begin(), recipients.end(), "Webhosting Utrecht B.V."), recipients.end())
      << a["recipients"].dump();
  // A change after publication: the public register keeps the published version until it is published again.
  auto cur = *admin_->GetRecord(As("po@example.nl"), RecordKind::kActivity, "webshop-orders");
  auto body = nlohmann::json::parse(cur.record.body);
  body["name"] = "Bestellingen (concept)";
  auto edited = admin_->UpdateRecord(As("po@example.nl"), RecordKind::kActivity, "webshop-orders",
                                     cur.record.version, body.dump(), "draft");
  ASSERT_TRUE(edited.has_value()) << edited.error().Format();
  EXPECT_EQ(edited->record.status, RecordStatus::kDraft);
  auto still = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  ASSERT_EQ(still["activities"].size(), 1u);
  EXPECT_EQ(still["activities"][0]["name"], "Bestellingen afhandelen");
  // Obsolete: gone.
  auto obs = admin_->Transition(As("po@example.nl"), RecordKind::kActivity, "webshop-orders",
                                edited->record.version, "obsolete", "stopped");
  ASSERT_TRUE(obs.has_value());
  EXPECT_TRUE(nlohmann::json::parse(*admin_->PublicRegisterJson(org_))["activities"].empty());
}

TEST_P(AdminTest, QuestionsAreCountedAsTheAuditCountsThem) {
  Import();
  Actor po = As("po@example.nl");
  // The example answers all seven for the WhatsApp button but leaves five open for the Meta Pixel
  // (stored by us; the vendor's details; the statement's section; necessity; security measures).
  auto wa = admin_->GetRecord(po, RecordKind::kTouchpoint, "whatsapp-button");
  ASSERT_TRUE(wa.has_value());
  EXPECT_EQ(wa->questions_total, 7);
  EXPECT_EQ(wa->questions_answered, 7);
  auto mp = admin_->GetRecord(po, RecordKind::kTouchpoint, "meta-pixel");
  EXPECT_EQ(mp->questions_answered, 2);
  // Not in use: nothing is open.
  auto off = admin_->AnswerTouchpoint(po, "meta-pixel", mp->record.version, R"({"in_use": false})", "off");
  ASSERT_TRUE(off.has_value()) << off.error().Format();
  EXPECT_EQ(off->questions_answered, 7);
  // The statement without its section is still open.
  auto on = admin_->AnswerTouchpoint(
      po, "meta-pixel", off->record.version,
      R"({"in_use": true, "stored_by_us": false, "informed": {"statement": "x"}})", "on");
  ASSERT_TRUE(on.has_value()) << on.error().Format();
  EXPECT_EQ(on->questions_answered, 3);
}

TEST_P(AdminTest, HistoryOfOneRecordAndTheLanguage) {
  Import();
  Actor po = As("po@example.nl");
  auto mp = admin_->GetRecord(po, RecordKind::kTouchpoint, "meta-pixel");
  ASSERT_TRUE(admin_
                  ->AnswerTouchpoint(po, "meta-pixel", mp->record.version,
                                     R"({"necessity": "measuring ads"})", "asked marketing")
                  .has_value());
  auto h = admin_->RecordHistory(po, RecordKind::kTouchpoint, "meta-pixel", store::Page{0, 100});
  ASSERT_TRUE(h.has_value());
  ASSERT_GE(h->size(), 2u);
  for (const auto& e : *h) {
    EXPECT_EQ(e.record_id, "meta-pixel");
    EXPECT_EQ(e.kind, RecordKind::kTouchpoint);
  }
  EXPECT_EQ(h->front().field, "answers.necessity");
  EXPECT_EQ(h->front().reason, "asked marketing");
  EXPECT_GT(h->front().seq, h->back().seq) << "newest first";
  // The business owner may not read the history.
  auto bo = admin_->RecordHistory(As("bo@example.nl"), RecordKind::kTouchpoint, "meta-pixel", store::Page{});
  ASSERT_FALSE(bo.has_value());
  EXPECT_EQ(bo.error().kind, ErrorKind::kDenied);
  // The language of a user.
  ASSERT_TRUE(admin_->SetLanguage(po.user_id, "nl").has_value());
  EXPECT_EQ(store_->GetUser(po.user_id)->lang, "nl");
  auto bad = admin_->SetLanguage(po.user_id, "fr");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(store_->GetUser(po.user_id)->lang, "nl");
}

TEST(Records, RegisterProblemsListsEveryProblemWithItsPlace) {
  Diagnostics d = RegisterProblems("blindspot_register: 1\nactivities: 7\ntouchpoints: 8\n", "r.yaml");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].where.line, 2);
  EXPECT_EQ(d[1].where.line, 3);
  EXPECT_TRUE(RegisterProblems(ReadSource("examples/webshop/register.yaml"), "register.yaml").empty());
}

TEST_P(AdminTest, ARecordOthersReferToIsNotRetired) {
  Import();
  auto act = *admin_->GetRecord(As("po@example.nl"), RecordKind::kActivity, "newsletter");
  auto refused = admin_->Transition(As("po@example.nl"), RecordKind::kActivity, "newsletter",
                                    act.record.version, "obsolete", "");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  EXPECT_NE(refused.error().message.find("newsletter"), std::string::npos) << refused.error().message;
  // Nothing changed: the register still exports.
  EXPECT_TRUE(admin_->GetRegister(As("po@example.nl"), "yaml").has_value());
}

TEST_P(AdminTest, FourEyesLookAtWhoWroteTheContentNotWhoSubmittedIt) {
  Import();
  ASSERT_TRUE(admin_->AddUser(org_, "admin@example.nl", Role::kAdmin, "a long password 123").has_value());
  auto rec = *admin_->GetRecord(As("po@example.nl"), RecordKind::kActivity, "customer-service");
  auto body = nlohmann::json::parse(rec.record.body);
  body["description"] = "Changed by the privacy officer";
  auto edited = admin_->UpdateRecord(As("po@example.nl"), RecordKind::kActivity, "customer-service",
                                     rec.record.version, body.dump(), "");
  ASSERT_TRUE(edited.has_value()) << edited.error().Format();
  auto sub = admin_->Transition(As("admin@example.nl"), RecordKind::kActivity, "customer-service",
                                edited->record.version, "submit", "");
  ASSERT_TRUE(sub.has_value()) << sub.error().message;
  auto own = admin_->Transition(As("po@example.nl"), RecordKind::kActivity, "customer-service",
                                sub->record.version, "approve", "");
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().kind, ErrorKind::kDenied);
  EXPECT_TRUE(admin_
                  ->Transition(As("ap@example.nl"), RecordKind::kActivity, "customer-service",
                               sub->record.version, "approve", "")
                  .has_value());
}

// An import is a change like any other: a published record whose body it
// changes is a draft again, and the public register keeps the published
// version (a fresh-install run found imports rewriting published records).
TEST_P(AdminTest, AnImportThatChangesAPublishedRecordMakesItADraft) {
  Import();
  const Actor po = As("po@example.nl");
  Publish(RecordKind::kOrganisation, "organisation");
  Publish(RecordKind::kActivity, "webshop-orders");
  auto reg = admin_->CurrentRegister(org_);
  ASSERT_TRUE(reg.has_value());
  for (auto& a : reg->activities)
    if (a.id == "webshop-orders") a.name = "Bestellingen (niet beoordeeld)";
  auto put = admin_->PutRegister(po, WriteRegisterJson(*reg), "r.json", "import with a change");
  ASSERT_TRUE(put.has_value()) << put.error().Format();
  auto after = admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->record.status, RecordStatus::kDraft);
  EXPECT_EQ(after->name, "Bestellingen (niet beoordeeld)");
  auto pub = nlohmann::json::parse(*admin_->PublicRegisterJson(org_));
  ASSERT_EQ(pub["activities"].size(), 1u);
  EXPECT_EQ(pub["activities"][0]["name"], "Bestellingen afhandelen");
  // The organisation record the import did not change stays published.
  EXPECT_EQ(admin_->GetRecord(po, RecordKind::kOrganisation, "organisation")->record.status,
            RecordStatus::kPublished);
  // The status change is on record.
  auto h = admin_->RecordHistory(po, RecordKind::kActivity, "webshop-orders", store::Page{0, 10});
  ASSERT_TRUE(h.has_value());
  bool to_draft = false;
  for (const auto& e : *h)
    to_draft |= e.field == "@status" && e.new_value == "\"draft\"" && e.old_value == "\"published\"";
  EXPECT_TRUE(to_draft);
}

// A record and a reason have bounds (a 20 MB name was accepted once).
TEST_P(AdminTest, RecordsAndReasonsAreBounded) {
  Import();
  const Actor po = As("po@example.nl");
  auto cur = *admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders");
  auto body = nlohmann::json::parse(cur.record.body);
  body["name"] = std::string(100'000, 'x');
  auto big =
      admin_->UpdateRecord(po, RecordKind::kActivity, "webshop-orders", cur.record.version, body.dump(), "");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().kind, ErrorKind::kUsage);
  EXPECT_NE(big.error().message.find("65536"), std::string::npos) << big.error().message;
  body["name"] = "Bestellingen";
  auto long_reason = admin_->UpdateRecord(po, RecordKind::kActivity, "webshop-orders", cur.record.version,
                                          body.dump(), std::string(3000, 'r'));
  ASSERT_FALSE(long_reason.has_value());
  EXPECT_EQ(long_reason.error().kind, ErrorKind::kUsage);
  auto step = admin_->Transition(po, RecordKind::kActivity, "webshop-orders", cur.record.version, "submit",
                                 std::string(3000, 'r'));
  ASSERT_FALSE(step.has_value());
  EXPECT_EQ(step.error().kind, ErrorKind::kUsage);
  // Nothing was written; a change within the bounds goes in.
  EXPECT_EQ(admin_->GetRecord(po, RecordKind::kActivity, "webshop-orders")->record.version,
            cur.record.version);
  auto ok = admin_->UpdateRecord(po, RecordKind::kActivity, "webshop-orders", cur.record.version, body.dump(),
                                 std::string(2000, 'r'));
  EXPECT_TRUE(ok.has_value()) << ok.error().Format();
  // An import with an item over the bound is refused whole.
  auto reg = admin_->CurrentRegister(org_);
  ASSERT_TRUE(reg.has_value());
  reg->activities[0].description = std::string(70'000, 'd');
  auto put = admin_->PutRegister(po, WriteRegisterJson(*reg), "r.json", "");
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().kind, ErrorKind::kUsage);
  EXPECT_NE(put.error().message.find(reg->activities[0].id), std::string::npos) << put.error().message;
}

// GetRegister(json) builds the export from the stored bodies without
// parsing the register; it must be exactly what reading the register and
// writing it gives, for every register the repository holds and after
// answers, assignments and retirements.
TEST_P(AdminTest, JsonExportIsTheWritersOutput) {
  namespace fs = std::filesystem;
  const Actor po = As("po@example.nl"), au = As("au@example.nl");
  std::vector<std::string> files;
  for (const char* dir : {"examples", "tests/cases"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(BLINDSPOT_SOURCE_DIR) / dir))
      if (e.is_regular_file() && e.path().filename().string().starts_with("register") &&
          (e.path().extension() == ".yaml" || e.path().extension() == ".json"))
        files.push_back(fs::relative(e.path(), BLINDSPOT_SOURCE_DIR).string());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 40u);
  size_t compared = 0;
  for (const std::string& f : files) {
    std::string text = ReadSource(f);
    if (!ParseRegisterText(text, f).has_value()) continue;  // the cases of broken registers
    auto put = admin_->PutRegister(po, text, f, "");
    if (!put) continue;  // a register the server refuses (e.g. items without ids)
    auto reg = admin_->CurrentRegister(org_);
    ASSERT_TRUE(reg.has_value()) << f;
    auto json = admin_->GetRegister(au, "json");
    ASSERT_TRUE(json.has_value()) << f;
    EXPECT_EQ(*json, WriteRegisterJson(*reg)) << f;
    ++compared;
  }
  EXPECT_GE(compared, 30u);
  // After changes through the workflow.
  Import();
  auto tp = admin_->GetRecord(po, RecordKind::kTouchpoint, "whatsapp-button");
  ASSERT_TRUE(tp.has_value());
  auto ans = admin_->AnswerTouchpoint(
      po, "whatsapp-button", tp->record.version,
      R"({"in_use": true, "stored_by_vendor": true, "stored_by_vendor_details": "Meta \"WhatsApp\" <b>\n ü"})",
      "");
  ASSERT_TRUE(ans.has_value()) << ans.error().Format();
  auto as = admin_->Assign(po, RecordKind::kTouchpoint, "whatsapp-button", ans->record.version,
                           "bo@example.nl", "2027-02-01");
  ASSERT_TRUE(as.has_value()) << as.error().Format();
  auto acts = admin_->Records(po, RecordKind::kActivity);
  ASSERT_TRUE(acts.has_value());
  for (const RecordView& v : *acts) {
    auto gone = admin_->Transition(po, RecordKind::kActivity, v.record.id, v.record.version, "obsolete", "");
    if (gone) break;  // the first one no touchpoint refers to
  }
  auto reg = admin_->CurrentRegister(org_);
  ASSERT_TRUE(reg.has_value());
  auto json = admin_->GetRegister(au, "json");
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(*json, WriteRegisterJson(*reg));
  EXPECT_NE(json->find("\\\"WhatsApp\\\" <b>\\n ü"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminTest, ::testing::ValuesIn(store::testing::Backends()),
                         [](const auto& info) { return info.param; });

// ---- members, tokens, second factor, bundles (issue 9's web pieces) ----

class AdminMembersTest : public AdminTest {
 protected:
  void SetUp() override {
    AdminTest::SetUp();
    if (IsSkipped()) return;
    auto u = admin_->AddUser(org_, "ad@example.nl", Role::kAdmin, "a long password 123");
    ASSERT_TRUE(u.has_value()) << u.error().message;
    secrets_["ad@example.nl"] = u->totp_secret;
  }
  std::string IdOf(const std::string& email) { return store_->FindUserByEmail(email)->id; }
  // The user `email` accepts its invitation to the test organisation.
  Status Accept(const std::string& email, const std::string& org = "") {
    store::Session s;
    s.user_id = IdOf(email);
    return admin_->AcceptInvitation(s, org.empty() ? org_ : org, "10.0.0.9");
  }
  std::vector<std::string> Events() {
    std::vector<std::string> out;
    auto log = store_->SecurityLog(org_, {0, 1000});
    for (const auto& e : *log) out.push_back(e.event + " " + e.email + " " + e.detail);
    return out;
  }
  bool Logged(const std::string& prefix) {
    for (const std::string& e : Events())
      if (e.starts_with(prefix)) return true;
    return false;
  }
};

TEST_P(AdminMembersTest, AddChangeAndRemoveMembers) {
  const Actor ad = As("ad@example.nl");
  // A new address without a password: invited, with an initial password
  // shown once that logs in; a member only after accepting.
  auto added = admin_->AddMember(ad, "New.Owner@Example.nl", {Role::kBusinessOwner}, "");
  ASSERT_TRUE(added.has_value()) << added.error().message;
  EXPECT_EQ(added->invitation.email, "new.owner@example.nl");
  EXPECT_EQ(added->invitation.invitation.roles, std::vector<Role>{Role::kBusinessOwner});
  EXPECT_EQ(added->invitation.invited_by_email, "ad@example.nl");
  EXPECT_EQ(added->initial_password.size(), 24u);
  EXPECT_TRUE(admin_->Login({"new.owner@example.nl", added->initial_password, "", "10.0.0.9"}).has_value());
  EXPECT_TRUE(As("new.owner@example.nl").roles.empty());
  EXPECT_TRUE(Logged("member_invited new.owner@example.nl business_owner (by ad@example.nl)"));
  ASSERT_TRUE(Accept("new.owner@example.nl"));
  EXPECT_EQ(As("new.owner@example.nl").roles, std::vector<Role>{Role::kBusinessOwner});
  // A password given is used and not returned.
  auto given =
      admin_->AddMember(ad, "second@example.nl", {Role::kAuditor, Role::kApprover}, "another long password");
  ASSERT_TRUE(given.has_value());
  EXPECT_TRUE(given->initial_password.empty());
  EXPECT_EQ(given->invitation.invitation.roles, (std::vector<Role>{Role::kApprover, Role::kAuditor}));
  EXPECT_TRUE(admin_->Login({"second@example.nl", "another long password", "", "10.0.0.9"}).has_value());
  ASSERT_TRUE(Accept("second@example.nl"));
  // An existing user of another organisation keeps its own password.
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(
      admin_->AddUser(other->id, "elsewhere@example.nl", Role::kAuditor, "elsewhere password 1").has_value());
  auto joined = admin_->AddMember(ad, "elsewhere@example.nl", {Role::kDpo}, "ignored password 123");
  ASSERT_TRUE(joined.has_value());
  EXPECT_TRUE(joined->initial_password.empty());
  EXPECT_FALSE(admin_->Login({"elsewhere@example.nl", "ignored password 123", "", "10.0.0.8"}).has_value());
  EXPECT_TRUE(admin_->Login({"elsewhere@example.nl", "elsewhere password 1", "", "10.0.0.9"}).has_value());
  ASSERT_TRUE(Accept("elsewhere@example.nl"));
  // Bad input: a member already or invited already (409), no roles, no e-mail, a short password (400
  // naming the field).
  EXPECT_EQ(admin_->AddMember(ad, "bo@example.nl", {Role::kAuditor}, "").error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(admin_->AddMember(ad, "pending@example.nl", {Role::kAuditor}, "").has_value());
  EXPECT_EQ(admin_->AddMember(ad, "pending@example.nl", {Role::kDpo}, "").error().kind, ErrorKind::kConflict);
  auto no_roles = admin_->AddMember(ad, "x@example.nl", {}, "");
  EXPECT_EQ(no_roles.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(no_roles.error().path, "roles");
  EXPECT_EQ(admin_->AddMember(ad, "not an address", {Role::kAuditor}, "").error().path, "email");
  EXPECT_EQ(admin_->AddMember(ad, "y@example.nl", {Role::kAuditor}, "short").error().path, "password");
  EXPECT_EQ(store_->FindUserByEmail("y@example.nl").error().kind, ErrorKind::kNotFound);
  // Only an admin manages members.
  EXPECT_EQ(admin_->AddMember(As("po@example.nl"), "z@example.nl", {Role::kAuditor}, "").error().kind,
            ErrorKind::kDenied);
  // The list: one entry per user, roles in order, who has a second factor.
  auto list = admin_->MemberList(As("au@example.nl"));
  ASSERT_TRUE(list.has_value());
  std::map<std::string, Member> by_email;
  for (const Member& m : *list) by_email[m.email] = m;
  EXPECT_EQ(by_email.size(), 10u);
  EXPECT_EQ(by_email["second@example.nl"].roles, (std::vector<Role>{Role::kApprover, Role::kAuditor}));
  EXPECT_TRUE(by_email["po@example.nl"].second_factor);
  EXPECT_FALSE(by_email["bo@example.nl"].second_factor);
  // Roles change as a whole; the only admin keeps its role and stays.
  ASSERT_TRUE(admin_->SetMemberRoles(ad, IdOf("bo@example.nl"), {Role::kBusinessOwner, Role::kApprover}));
  EXPECT_EQ(As("bo@example.nl").roles, (std::vector<Role>{Role::kApprover, Role::kBusinessOwner}));
  EXPECT_TRUE(Logged("member_roles_changed bo@example.nl business_owner -> business_owner,approver"));
  auto demote = admin_->SetMemberRoles(ad, ad.user_id, {Role::kAuditor});
  ASSERT_FALSE(demote.has_value());
  EXPECT_EQ(demote.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(admin_->RemoveMember(ad, ad.user_id).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(As("ad@example.nl").roles, std::vector<Role>{Role::kAdmin});
  EXPECT_EQ(admin_->SetMemberRoles(ad, "usr_nobody", {Role::kAuditor}).error().kind, ErrorKind::kNotFound);
  // A user of another organisation only is not found here.
  ASSERT_TRUE(
      admin_->AddUser(other->id, "only-there@example.nl", Role::kAuditor, "only there password").has_value());
  EXPECT_EQ(admin_->RemoveMember(ad, IdOf("only-there@example.nl")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_->MembershipsOfUser(IdOf("only-there@example.nl"))->size(), 1u);
  // Removing a member revokes its tokens here.
  auto tok = admin_->AddToken(org_, "au@example.nl", "ci");  // as `blindspot token add` makes it
  ASSERT_TRUE(tok.has_value()) << tok.error().message;
  ASSERT_TRUE(admin_->RemoveMember(ad, IdOf("au@example.nl")));
  EXPECT_TRUE(As("au@example.nl").roles.empty());
  EXPECT_EQ(admin_->ActorForToken(*tok, org_).error().kind, ErrorKind::kAuth);
  EXPECT_TRUE(Logged("member_removed au@example.nl auditor (by ad@example.nl)"));
}

TEST_P(AdminMembersTest, AnInvitationRevealsNothingAndCapturesNoOne) {
  const Actor ad = As("ad@example.nl");
  // The admin of another organisation invites a member of this one and a new address alike.
  auto b = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(b.has_value());
  ASSERT_TRUE(admin_->AddUser(b->id, "b-admin@example.nl", Role::kAdmin, "b admin password 1").has_value());
  Actor bad = As("b-admin@example.nl");
  bad.org_id = b->id;
  bad.roles = {Role::kAdmin};
  auto existing = admin_->AddMember(bad, "po@example.nl", {Role::kDpo}, "chosen password 123");
  auto fresh = admin_->AddMember(bad, "fresh@example.nl", {Role::kDpo}, "chosen password 123");
  ASSERT_TRUE(existing.has_value()) << existing.error().message;
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
  // The same answer but for the address and the id.
  EXPECT_EQ(existing->initial_password, fresh->initial_password);
  EXPECT_EQ(existing->invitation.invitation.roles, fresh->invitation.invitation.roles);
  EXPECT_EQ(existing->invitation.invited_by_email, fresh->invitation.invited_by_email);
  EXPECT_EQ(existing->invitation.org_name, fresh->invitation.org_name);
  // Without a password, both get an initial password (it counts only for the new address).
  auto existing2 = admin_->AddMember(bad, "bo@example.nl", {Role::kAuditor}, "");
  auto fresh2 = admin_->AddMember(bad, "fresh2@example.nl", {Role::kAuditor}, "");
  ASSERT_TRUE(existing2.has_value() && fresh2.has_value());
  EXPECT_EQ(existing2->initial_password.size(), 24u);
  EXPECT_EQ(fresh2->initial_password.size(), 24u);
  EXPECT_FALSE(admin_->Login({"bo@example.nl", existing2->initial_password, "", "10.0.0.7"}).has_value());
  // The same rules for the password either way.
  EXPECT_EQ(admin_->AddMember(bad, "ap@example.nl", {Role::kAuditor}, "short").error().path, "password");
  EXPECT_EQ(admin_->AddMember(bad, "fresh3@example.nl", {Role::kAuditor}, "short").error().path, "password");
  // The security log of B does not tell them apart either.
  auto log = store_->SecurityLog(b->id, {0, 100});
  std::vector<std::string> invited;
  for (const auto& e : *log)
    if (e.event == "member_invited") invited.push_back(e.email + " " + e.detail);
  EXPECT_EQ(invited, (std::vector<std::string>{"fresh2@example.nl auditor (by b-admin@example.nl)",
                                               "bo@example.nl auditor (by b-admin@example.nl)",
                                               "fresh@example.nl dpo (by b-admin@example.nl)",
                                               "po@example.nl dpo (by b-admin@example.nl)"}));
  // Pending: no access to B, and no say over the user's password or second
  // factor: this organisation's admin still resets them.
  const std::string po = IdOf("po@example.nl");
  auto po_memberships = store_->MembershipsOfUser(po);
  ASSERT_TRUE(po_memberships.has_value());
  for (const auto& m : *po_memberships) EXPECT_EQ(m.org_id, org_);
  auto po_login = admin_->Login(
      {"po@example.nl", "a long password 123", *auth::TotpCode(secrets_["po@example.nl"], now_), "10.0.0.7"});
  ASSERT_TRUE(po_login.has_value()) << po_login.error().message;
  auto po_session = admin_->CheckSession(po_login->session_cookie);
  ASSERT_TRUE(po_session.has_value());
  EXPECT_EQ(admin_->ActorForSession(*po_session, b->id).error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(admin_->ResetSecondFactor(ad, po)) << "a pending invitation must not block the reset";
  EXPECT_TRUE(admin_->ResetPassword(ad, IdOf("bo@example.nl"), "").has_value());
  // Nor does it count as an admin of B: B's only admin stays.
  ASSERT_TRUE(admin_->AddMember(bad, "au@example.nl", {Role::kAdmin}, "").has_value());
  EXPECT_EQ(admin_->SetMemberRoles(bad, bad.user_id, {Role::kAuditor}).error().kind, ErrorKind::kConflict);
  // The user sees its invitations: organisation, roles, who, when.
  auto mine = admin_->MyInvitations(po);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().org_name, "Other B.V.");
  EXPECT_EQ(mine->front().invitation.roles, std::vector<Role>{Role::kDpo});
  EXPECT_EQ(mine->front().invited_by_email, "b-admin@example.nl");
  EXPECT_EQ(mine->front().invitation.created_at, now_iso_);
  // It declines: gone, logged in B; answering again is not found (as for an organisation that is none).
  EXPECT_TRUE(Accept("po@example.nl", "org_missing").error().kind == ErrorKind::kNotFound);
  store::Session ps;
  ps.user_id = po;
  ASSERT_TRUE(admin_->DeclineInvitation(ps, b->id, "10.0.0.7"));
  EXPECT_TRUE(admin_->MyInvitations(po)->empty());
  EXPECT_EQ(admin_->DeclineInvitation(ps, b->id, "").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Accept("po@example.nl", b->id).error().kind, ErrorKind::kNotFound);
  // B's admin revokes one; a member of B without manage_members may not.
  auto pending = admin_->OrgInvitations(bad);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->size(), 4u);
  EXPECT_EQ(admin_->RevokeInvitation(bad, IdOf("fresh@example.nl")).has_value(), true);
  EXPECT_EQ(admin_->RevokeInvitation(bad, IdOf("fresh@example.nl")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Accept("fresh@example.nl", b->id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(admin_->OrgInvitations(bad)->size(), 3u);
  // Accepting makes the membership: only now does it count.
  ASSERT_TRUE(Accept("bo@example.nl", b->id));
  Actor bo_in_b = As("bo@example.nl");
  bo_in_b.org_id = b->id;
  bo_in_b.roles = {Role::kAuditor};
  EXPECT_EQ(admin_->RevokeInvitation(bo_in_b, IdOf("au@example.nl")).error().kind, ErrorKind::kDenied);
  EXPECT_EQ(admin_->ResetSecondFactor(ad, IdOf("bo@example.nl")).error().kind, ErrorKind::kDenied);
  bool member_of_b = false;
  auto bo_memberships = store_->MembershipsOfUser(IdOf("bo@example.nl"));
  ASSERT_TRUE(bo_memberships.has_value());
  for (const auto& m : *bo_memberships)
    member_of_b = member_of_b || (m.org_id == b->id && m.role == Role::kAuditor);
  EXPECT_TRUE(member_of_b);
  std::vector<std::string> answers;
  auto b_log = store_->SecurityLog(b->id, {0, 100});
  ASSERT_TRUE(b_log.has_value());
  for (const auto& e : *b_log)
    if (e.event.starts_with("invitation_")) answers.push_back(e.event + " " + e.email + " " + e.detail);
  EXPECT_EQ(answers, (std::vector<std::string>{
                         "invitation_accepted bo@example.nl auditor (invited by b-admin@example.nl)",
                         "invitation_revoked fresh@example.nl dpo (by b-admin@example.nl)",
                         "invitation_declined po@example.nl dpo (invited by b-admin@example.nl)"}));
}

TEST_P(AdminMembersTest, TokensActWithOneRoleTheirMakerMayGive) {
  const Actor ad = As("ad@example.nl");
  ASSERT_TRUE(admin_->SetMemberRoles(ad, IdOf("ad@example.nl"), {Role::kAdmin, Role::kApprover}));
  const Actor po = As("po@example.nl");
  // A token for somebody else would let its maker act as them (approve its
  // own change with an approver's token): refused, for any role.
  ASSERT_TRUE(admin_->SetMemberRoles(ad, IdOf("bo@example.nl"), {Role::kBusinessOwner, Role::kApprover}));
  auto for_other = admin_->CreateToken(po, IdOf("bo@example.nl"), "review bot", Role::kApprover);
  ASSERT_FALSE(for_other.has_value());
  EXPECT_EQ(for_other.error().kind, ErrorKind::kDenied);
  EXPECT_EQ(for_other.error().path, "user");
  auto t = admin_->CreateToken(As("ad@example.nl"), IdOf("ad@example.nl"), "review bot", Role::kApprover);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_TRUE(t->secret.starts_with("bst_"));
  EXPECT_EQ(t->token.role, "approver");
  EXPECT_EQ(t->email, "ad@example.nl");
  // Stored hashed, listed with its role.
  auto list = admin_->Tokens(po);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].token.token_hash, auth::HashSecret(t->secret));
  EXPECT_EQ((*list)[0].token.role, "approver");
  // It acts with that role only, not with all of the member's.
  auto a = admin_->ActorForToken(t->secret, org_);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->roles, std::vector<Role>{Role::kApprover});
  EXPECT_TRUE(Logged("token_added ad@example.nl " + t->token.id + " review bot as approver"));
  // A role the member does not have; a role with more rights than the maker's own.
  auto not_theirs = admin_->CreateToken(po, IdOf("po@example.nl"), "x", Role::kAuditor);
  EXPECT_EQ(not_theirs.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(not_theirs.error().path, "role");
  auto escalate = admin_->CreateToken(po, IdOf("ad@example.nl"), "x", Role::kAdmin);
  ASSERT_FALSE(escalate.has_value());
  EXPECT_EQ(escalate.error().kind, ErrorKind::kDenied);
  EXPECT_TRUE(admin_->CreateToken(As("ad@example.nl"), IdOf("ad@example.nl"), "x", Role::kAdmin).has_value());
  EXPECT_EQ(admin_->CreateToken(po, IdOf("po@example.nl"), "", Role::kPrivacyOfficer).error().path, "name");
  // Every member makes its own token with one of its own roles.
  auto au = admin_->CreateToken(As("au@example.nl"), IdOf("au@example.nl"), "x", Role::kAuditor);
  ASSERT_TRUE(au.has_value()) << au.error().message;
  EXPECT_EQ(admin_->ActorForToken(au->secret, org_)->roles, std::vector<Role>{Role::kAuditor});
  EXPECT_EQ(
      admin_->CreateToken(As("au@example.nl"), IdOf("bo@example.nl"), "x", Role::kBusinessOwner).error().kind,
      ErrorKind::kDenied);
  // The member loses the role: the token stops working.
  ASSERT_TRUE(admin_->SetMemberRoles(ad, IdOf("ad@example.nl"), {Role::kAdmin}));
  EXPECT_EQ(admin_->ActorForToken(t->secret, org_).error().kind, ErrorKind::kDenied);
  ASSERT_TRUE(admin_->RevokeToken(po, t->token.id));
  EXPECT_EQ(admin_->ActorForToken(t->secret, org_).error().kind, ErrorKind::kAuth);
  EXPECT_EQ(admin_->RevokeToken(po, "tok_missing").error().kind, ErrorKind::kNotFound);
}

TEST_P(AdminMembersTest, SecondFactorEnrolledAtFirstLoginAndResetByAnAdmin) {
  const Actor ad = As("ad@example.nl");
  auto added = admin_->AddMember(ad, "officer@example.nl", {Role::kPrivacyOfficer}, "officer password 12");
  ASSERT_TRUE(added.has_value());
  // Invited: no second factor needed before accepting, then one is.
  auto before = admin_->Login({"officer@example.nl", "officer password 12", "", "10.0.0.3"});
  ASSERT_TRUE(before.has_value()) << before.error().message;
  EXPECT_FALSE(before->must_enrol);
  ASSERT_TRUE(Accept("officer@example.nl"));
  auto members = admin_->MemberList(ad);
  ASSERT_TRUE(members.has_value());
  auto member = std::find_if(members->begin(), members->end(),
                             [](const Member& m) { return m.email == "officer@example.nl"; });
  ASSERT_NE(member, members->end());
  EXPECT_TRUE(member->needs_second_factor);
  EXPECT_FALSE(member->second_factor);
  // The password alone opens a session good only for enrolling.
  auto login = admin_->Login({"officer@example.nl", "officer password 12", "", "10.0.0.3"});
  ASSERT_TRUE(login.has_value()) << login.error().message;
  EXPECT_TRUE(login->must_enrol);
  auto session = admin_->CheckSession(login->session_cookie);
  ASSERT_TRUE(session.has_value());
  EXPECT_FALSE(session->totp_ok);
  auto refused = admin_->ActorForSession(*session, org_);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::kAuth);
  EXPECT_NE(refused.error().message.find("/account/totp"), std::string::npos);
  // A secret to show: not stored until confirmed.
  auto en = admin_->StartTotpEnrolment(*session);
  ASSERT_TRUE(en.has_value()) << en.error().message;
  EXPECT_EQ(en->secret.size(), 32u);
  EXPECT_TRUE(en->uri.starts_with("otpauth://totp/")) << en->uri;
  EXPECT_NE(en->uri.find("secret=" + en->secret), std::string::npos);
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  // A wrong code stores nothing; a made-up secret is refused.
  auto wrong = admin_->EnrolTotp(*session, en->secret, en->mac, "000000", "10.0.0.3");
  EXPECT_EQ(wrong.error().kind, ErrorKind::kAuth);
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  EXPECT_EQ(admin_->EnrolTotp(*session, "short", en->mac, "123456", "").error().path, "secret");
  // A secret the client chose (well formed, with a current code) is refused:
  // only the one this server offered to this session, with its MAC.
  const std::string chosen = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  auto chosen_code = auth::TotpCode(chosen, std::time(nullptr));
  ASSERT_TRUE(chosen_code.has_value());
  EXPECT_EQ(admin_->EnrolTotp(*session, chosen, en->mac, *chosen_code, "").error().path, "secret");
  EXPECT_EQ(admin_->EnrolTotp(*session, chosen, "", *chosen_code, "").error().path, "secret");
  // The current code stores it and lifts the session's restriction.
  auto code = auth::TotpCode(en->secret, now_);
  ASSERT_TRUE(admin_->EnrolTotp(*session, en->secret, en->mac, *code, "10.0.0.3"));
  EXPECT_EQ(store_->FindUserByEmail("officer@example.nl")->totp_secret, en->secret);
  auto upgraded = admin_->CheckSession(login->session_cookie);
  ASSERT_TRUE(upgraded.has_value());
  EXPECT_TRUE(upgraded->totp_ok);
  EXPECT_TRUE(admin_->ActorForSession(*upgraded, org_).has_value());
  EXPECT_TRUE(Logged("totp_enrolled officer@example.nl"));
  // No second enrolment over it; the next login needs the code.
  EXPECT_EQ(admin_->StartTotpEnrolment(*upgraded).error().kind, ErrorKind::kConflict);
  EXPECT_FALSE(admin_->Login({"officer@example.nl", "officer password 12", "", "10.0.0.3"}).has_value());
  now_ += 30;
  auto next = auth::TotpCode(en->secret, now_);
  auto again = admin_->Login({"officer@example.nl", "officer password 12", *next, "10.0.0.3"});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_FALSE(again->must_enrol);
  // A business owner needs none.
  auto bo = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.3"});
  EXPECT_EQ(admin_->StartTotpEnrolment(*admin_->CheckSession(bo->session_cookie)).error().kind,
            ErrorKind::kUsage);
  // An admin resets it: cleared, sessions ended, logged; the user enrols again.
  EXPECT_EQ(admin_->ResetSecondFactor(As("po@example.nl"), IdOf("officer@example.nl")).error().kind,
            ErrorKind::kDenied);
  ASSERT_TRUE(admin_->ResetSecondFactor(ad, IdOf("officer@example.nl")));
  EXPECT_TRUE(store_->FindUserByEmail("officer@example.nl")->totp_secret.empty());
  EXPECT_EQ(admin_->CheckSession(again->session_cookie).error().kind, ErrorKind::kAuth);
  EXPECT_TRUE(
      Logged("totp_reset officer@example.nl second factor cleared, sessions ended (by ad@example.nl)"));
  auto after = admin_->Login({"officer@example.nl", "officer password 12", "", "10.0.0.3"});
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->must_enrol);
  // Not for a user who is also a member of an organisation the admin does not administer.
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(admin_->AddUser(other->id, "po@example.nl", Role::kAuditor, "").has_value());
  EXPECT_EQ(admin_->ResetSecondFactor(ad, IdOf("po@example.nl")).error().kind, ErrorKind::kDenied);
  EXPECT_FALSE(store_->FindUserByEmail("po@example.nl")->totp_secret.empty());
}

TEST_P(AdminMembersTest, AUserChangesItsOwnPassword) {
  auto first = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"});
  auto second = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.2"});
  ASSERT_TRUE(first.has_value() && second.has_value());
  auto tok = admin_->AddToken(org_, "bo@example.nl", "ci");
  ASSERT_TRUE(tok.has_value());
  auto s = admin_->CheckSession(first->session_cookie);
  ASSERT_TRUE(s.has_value());
  // A wrong current password: refused (403, naming the field), counted toward the lockout, logged.
  auto wrong = admin_->ChangePassword(*s, "not my password", "a new long password", "10.0.0.1");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kDenied);
  EXPECT_EQ(wrong.error().path, "current_password");
  EXPECT_EQ(store_->FindUserByEmail("bo@example.nl")->failed_logins, 1);
  EXPECT_TRUE(Logged("password_change_failed bo@example.nl wrong current password"));
  // The new password follows the rules of every password and is not the current one.
  EXPECT_EQ(admin_->ChangePassword(*s, "a long password 123", "short", "10.0.0.1").error().path,
            "new_password");
  EXPECT_EQ(admin_->ChangePassword(*s, "a long password 123", "a long password 123", "10.0.0.1").error().path,
            "new_password");
  ASSERT_TRUE(admin_->ChangePassword(*s, "a long password 123", "a new long password", "10.0.0.1"));
  EXPECT_EQ(store_->FindUserByEmail("bo@example.nl")->failed_logins, 0);
  // This session stays, the other one ends; the token stays.
  EXPECT_TRUE(admin_->CheckSession(first->session_cookie).has_value());
  EXPECT_EQ(admin_->CheckSession(second->session_cookie).error().kind, ErrorKind::kAuth);
  EXPECT_TRUE(admin_->ActorForToken(*tok, org_).has_value());
  // The old password no longer logs in, the new one does.
  EXPECT_FALSE(admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.3"}).has_value());
  EXPECT_TRUE(admin_->Login({"bo@example.nl", "a new long password", "", "10.0.0.3"}).has_value());
  // Logged without a secret.
  EXPECT_TRUE(Logged("password_changed bo@example.nl other sessions ended; API tokens kept"));
  for (const std::string& e : Events()) {
    EXPECT_EQ(e.find("a new long password"), std::string::npos) << e;
    EXPECT_EQ(e.find("not my password"), std::string::npos) << e;
  }
  // Guessing the current password locks the account as wrong logins do.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(admin_
                  ->ChangePassword(*s, "guess " + std::to_string(i) + " xxxxxxx", "another long password",
                                   "10.0.0." + std::to_string(10 + i))
                  .error()
                  .kind,
              ErrorKind::kDenied);
  EXPECT_FALSE(store_->FindUserByEmail("bo@example.nl")->locked_until.empty());
  EXPECT_EQ(
      admin_->ChangePassword(*s, "a new long password", "another long password", "10.0.0.20").error().kind,
      ErrorKind::kDenied);
  EXPECT_FALSE(admin_->Login({"bo@example.nl", "a new long password", "", "10.0.0.21"}).has_value());
}

TEST_P(AdminMembersTest, AnAdminGivesAOneTimePasswordThatMustBeReplaced) {
  const Actor ad = As("ad@example.nl");
  auto before = admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"});
  ASSERT_TRUE(before.has_value());
  // Only an admin; never one's own; not for a user of an organisation the admin does not administer.
  EXPECT_EQ(admin_->ResetPassword(As("po@example.nl"), IdOf("bo@example.nl"), "").error().kind,
            ErrorKind::kDenied);
  EXPECT_EQ(admin_->ResetPassword(ad, ad.user_id, "").error().path, "user");
  EXPECT_EQ(admin_->ResetPassword(ad, IdOf("bo@example.nl"), "short").error().path, "password");
  auto other = admin_->AddOrg("Other B.V.");
  ASSERT_TRUE(admin_->AddUser(other->id, "au@example.nl", Role::kAuditor, "").has_value());
  EXPECT_EQ(admin_->ResetPassword(ad, IdOf("au@example.nl"), "").error().kind, ErrorKind::kDenied);
  // A one-time password made here, returned once; the sessions end; a lockout is lifted.
  ASSERT_TRUE(store_->UpdateUserSecurity(IdOf("bo@example.nl"), 0, "2099-01-01T00:00:00Z"));
  auto pw = admin_->ResetPassword(ad, IdOf("bo@example.nl"), "");
  ASSERT_TRUE(pw.has_value()) << pw.error().message;
  EXPECT_EQ(pw->size(), 24u);
  EXPECT_EQ(admin_->CheckSession(before->session_cookie).error().kind, ErrorKind::kAuth);
  EXPECT_TRUE(
      Logged("password_reset bo@example.nl one-time password set, sessions ended (by ad@example.nl)"));
  // It logs in once, to a session that must choose a new password.
  EXPECT_FALSE(admin_->Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"}).has_value());
  auto login = admin_->Login({"bo@example.nl", *pw, "", "10.0.0.1"});
  ASSERT_TRUE(login.has_value()) << login.error().message;
  EXPECT_TRUE(login->must_change_password);
  auto s = admin_->CheckSession(login->session_cookie);
  ASSERT_TRUE(admin_->ChangePassword(*s, *pw, "my own long password", "10.0.0.1"));
  EXPECT_FALSE(store_->FindUserByEmail("bo@example.nl")->must_change_password);
  auto next = admin_->Login({"bo@example.nl", "my own long password", "", "10.0.0.1"});
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->must_change_password);
  // A password given by the admin is not returned.
  auto given = admin_->ResetPassword(ad, IdOf("bo@example.nl"), "a given one-time pw");
  ASSERT_TRUE(given.has_value());
  EXPECT_TRUE(given->empty());
  EXPECT_TRUE(store_->FindUserByEmail("bo@example.nl")->must_change_password);
  // The operator (CLI) resets any user's; an unknown address is named.
  ASSERT_TRUE(admin_->ResetPasswordByOperator("AU@example.nl", "operator one-time pw"));
  EXPECT_TRUE(store_->FindUserByEmail("au@example.nl")->must_change_password);
  EXPECT_TRUE(admin_->Login({"au@example.nl", "operator one-time pw", "", "10.0.0.1"})->must_change_password);
  EXPECT_TRUE(Logged("password_reset au@example.nl one-time password set, sessions ended (by cli)"));
  auto unknown = admin_->ResetPasswordByOperator("nobody@example.nl", "operator one-time pw");
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(unknown.error().message.find("nobody@example.nl"), std::string::npos);
  EXPECT_EQ(admin_->ResetPasswordByOperator("au@example.nl", "").error().kind, ErrorKind::kUsage);
}

TEST_P(AdminMembersTest, AuditOfABundleUploadedAsAZip) {
  Import();
  const Actor po = As("po@example.nl");
  const std::string dir = std::string(BLINDSPOT_SOURCE_DIR) + "/tests/cases/bundle/fixtures/shop-v1";
  auto entries = blindspot::testing::FolderEntries(dir);
  ASSERT_EQ(entries.size(), 7u);
  // The folder's files at the root of the zip.
  auto run = admin_->RunBundleAudit(po, blindspot::testing::MakeZip(entries));
  ASSERT_TRUE(run.has_value()) << run.error().Format();
  auto report = nlohmann::json::parse(run->report_json);
  // One source per consent phase, each knowing its phase, as `audit --evidence DIR` reads them.
  std::map<std::string, std::string> phases;
  for (const auto& s : report["evidence"]["sources"])
    phases[s["name"].get<std::string>()] = s["phase"].is_string() ? s["phase"].get<std::string>() : "";
  EXPECT_EQ(phases.size(), 3u) << report["evidence"]["sources"].dump();
  EXPECT_EQ(phases["before-consent/capture.har"], "before-consent") << report["evidence"]["sources"].dump();
  EXPECT_EQ(phases["after-reject/capture.har"], "after-reject");
  EXPECT_EQ(phases["after-accept/capture.har"], "after-accept");
  EXPECT_EQ(admin_->LatestAudit(As("au@example.nl"))->id, run->id);
  // The folder itself zipped (one top-level folder) reads the same.
  auto nested = admin_->RunBundleAudit(
      po, blindspot::testing::MakeZip(blindspot::testing::FolderEntries(dir, "shop-v1/")));
  ASSERT_TRUE(nested.has_value()) << nested.error().Format();
  // A bundle that does not match its manifest is refused, naming the file.
  auto changed = entries;
  for (auto& e : changed)
    if (e.name == "after-accept/capture.har") e.content.insert(e.content.size() - 2, " ");
  auto bad = admin_->RunBundleAudit(po, blindspot::testing::MakeZip(changed));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
  EXPECT_NE(bad.error().message.find("after-accept/capture.har changed"), std::string::npos)
      << bad.error().message;
  // No manifest: not a bundle. Only who may run audits.
  auto no_manifest = admin_->RunBundleAudit(po, blindspot::testing::MakeZip({{"a/capture.har", "{}"}}));
  EXPECT_NE(no_manifest.error().message.find("manifest.json"), std::string::npos)
      << no_manifest.error().message;
  EXPECT_EQ(admin_->RunBundleAudit(As("au@example.nl"), blindspot::testing::MakeZip(entries)).error().kind,
            ErrorKind::kDenied);
}

TEST(Zip, HostileArchivesAreRefusedWithTheEntryNamed) {
  using blindspot::testing::MakeZip;
  auto refused = [](const std::string& zip, const ZipLimits& limits = {}) {
    auto r = ReadZip(zip, limits);
    EXPECT_FALSE(r.has_value());
    if (r) return std::string();
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage);
    EXPECT_EQ(r.error().path, "bundle");
    return r.error().message;
  };
  auto ok = ReadZip(MakeZip({{"manifest.json", "{}"}, {"dir/", ""}, {"dir/a.har", "abc"}}));
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].name, "dir/a.har");
  EXPECT_EQ((*ok)[1].content, "abc");
  EXPECT_NE(refused("not a zip at all").find("not a readable zip"), std::string::npos);
  EXPECT_NE(refused(MakeZip({{"../escape.har", "x"}})).find("'../escape.har' has a '..'"), std::string::npos);
  EXPECT_NE(refused(MakeZip({{"a/../../escape.har", "x"}})).find("'..'"), std::string::npos);
  EXPECT_NE(refused(MakeZip({{"/etc/passwd", "x"}})).find("absolute path"), std::string::npos);
  EXPECT_NE(refused(MakeZip({{"a\\..\\b", "x"}})).find("backslash"), std::string::npos);
  EXPECT_NE(refused(MakeZip({{"link", "/etc/passwd", S_IFLNK | 0777}})).find("'link' is a symbolic link"),
            std::string::npos);
  EXPECT_NE(refused(MakeZip({{"fifo", "", S_IFIFO | 0644}})).find("not a regular file"), std::string::npos);
  // Too many entries; too many bytes unpacked: a megabyte of zeros deflates
  // to about a kilobyte, refused under a limit it passes compressed.
  EXPECT_NE(refused(MakeZip({{"a", "1"}, {"b", "2"}, {"c", "3"}}), ZipLimits{2, 1 << 20, 1 << 20})
                .find("3 entries, more than the 2"),
            std::string::npos);
  const std::string zeros(1 << 20, '\0');
  const std::string bomb = MakeZip({{"a.har", zeros}});
  ASSERT_LT(bomb.size(), 10'000u);
  // The message names the limit that was hit: one file's, or all files'.
  EXPECT_EQ(refused(bomb, ZipLimits{10, 4 << 20, 512 * 1024}),
            "the zip entry 'a.har' unpacks to more than 512 KiB, the most one file of a bundle may have");
  EXPECT_EQ(refused(MakeZip({{"a", zeros}, {"b", zeros}}), ZipLimits{10, (1 << 20) + 10, 1 << 20}),
            "the zip unpacks to more than 1048586 bytes in all (at 'b'), the most a bundle may have");
  EXPECT_NE(refused(bomb, ZipLimits{10, 512 * 1024, 1 << 20}).find("more than 512 KiB in all"),
            std::string::npos);
  EXPECT_TRUE(ReadZip(bomb, ZipLimits{10, 1 << 20, 1 << 20}).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminMembersTest, ::testing::ValuesIn(store::testing::Backends()),
                         [](const auto& info) { return info.param; });

TEST(PublicRegister, FromARegisterFileEveryActivityIsPublished) {
  auto loaded = ParseRegisterText(R"(blindspot_register: 1
organisation:
  name: "<script>x()</script> B.V."
  contact: {name: Privacy desk, email: privacy@example.nl}
  dpo: {name: M. de Vries, email: fg@example.nl}
activities:
  - id: orders
    name: Orders
    purposes:
      - {description: Delivering orders, lawful_basis: contract}
    data_subjects: [customer]
    data_categories: [user.contact.email]
    recipients:
      processors: [hosting]
  - id: newsletter
    name: Newsletter
    purposes:
      - {description: Sending the newsletter, lawful_basis: consent}
processors:
  - id: hosting
    name: Hosting
    legal_entity: Hosting Utrecht B.V.
    country: NL
    role: processor
)",
                                  "reg.yaml");
  ASSERT_TRUE(loaded.has_value()) << loaded.error()[0].Format();
  auto pub = nlohmann::json::parse(PublicRegisterFromRegister(loaded->reg, "2027-01-15T08:00:00Z"));
  EXPECT_EQ(pub["public_register"], 1);
  EXPECT_EQ(pub["generated_at"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(pub["organisation"]["name"], "<script>x()</script> B.V.");
  EXPECT_EQ(pub["organisation"]["contact"]["email"], "privacy@example.nl");
  EXPECT_EQ(pub["organisation"]["dpo"]["name"], "M. de Vries");
  ASSERT_EQ(pub["activities"].size(), 2u);
  EXPECT_EQ(pub["activities"][0]["id"], "orders");
  EXPECT_EQ(pub["activities"][0]["published_at"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(pub["activities"][0]["purposes"][0]["lawful_basis"], "contract");
  EXPECT_EQ(pub["activities"][0]["data_categories"][0]["group"], "contact");
  // The processor's id is replaced by its legal entity.
  ASSERT_EQ(pub["activities"][0]["recipients"].size(), 1u);
  EXPECT_EQ(pub["activities"][0]["recipients"][0]["name"], "Hosting Utrecht B.V.");
  EXPECT_EQ(pub.dump().find("\"hosting\""), std::string::npos);
  EXPECT_EQ(pub["activities"][1]["purposes"][0]["lawful_basis"], "consent");
}

}  // namespace
}  // namespace blindspot::admin

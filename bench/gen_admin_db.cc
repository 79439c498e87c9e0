// gen_admin_db: fills a privacy-administration database for the server
// benchmark (bench/server_bench.sh) through store::Store and admin::Admin,
// the same paths `blindspot serve` and the CLI use.
//
//   gen_admin_db DB OUTDIR [ORGS [PER_ORG]]
//
// DB is a SQLite path or a postgresql:// URL (an empty database). ORGS
// organisations (default 50), each with PER_ORG processing activities and
// PER_ORG touchpoints (default 200 + 200: 10,000 of each for 50 orgs), a
// few processors and systems, imported with Admin::PutRegister (the real
// import path). Per organisation nine users: admin, privacy_officer, dpo,
// approver, auditor and four business owners; 4 of 5 touchpoints and half
// of the activities are assigned to a business owner with a due date
// (Admin::Assign). Every user gets an API token, the first business owner a
// session (Admin::Login; business owners need no TOTP).
//
// Written to OUTDIR for the wrk scripts (bench/wrk/*.lua), one line each,
// space-separated:
//   tokens.txt   ORG ROLE EMAIL TOKEN
//   sessions.txt ORG COOKIE CSRF                (the first business owner)
//   reads.txt    TOKEN PATH                     (API reads, shuffled over all orgs)
//   pages.txt    COOKIE PATH                    (page reads)
//   writes.txt   TOKEN ORG TOUCHPOINT VERSION   (a business owner's assigned touchpoints)
// Deterministic content (ids, names), random secrets.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "blindspot/admin.h"
#include "blindspot/auth.h"
#include "blindspot/store.h"

using namespace blindspot;

namespace {

const char* kProducts[] = {"meta-pixel",
                           "google-analytics",
                           "google-ads-remarketing",
                           "hotjar",
                           "linkedin-insight",
                           "tiktok-pixel",
                           "microsoft-clarity",
                           "whatsapp-click-to-chat",
                           "tidio",
                           "callrail",
                           "mailchimp",
                           "youtube"};
const char* kChannels[] = {"advertising", "web-tracking", "advertising",  "web-tracking",
                           "advertising", "advertising",  "web-tracking", "messaging",
                           "chat",        "phone",        "email",        "video"};
const char* kFunctions[] = {"Marketing", "Sales", "Customer service", "HR", "Finance", "IT", "Logistics"};
const char* kBases[] = {"contract", "consent", "legitimate_interests", "legal_obligation"};
const char* kCategories[] = {"user.contact.email",          "user.name",
                             "user.device.cookie_id",       "user.contact.phone_number",
                             "user.financial.bank_account", "user.contact.address"};
const char* kSubjects[] = {"customer", "website visitor", "employee", "applicant", "supplier contact"};

// The register of organisation `o` in the native YAML format.
std::string RegisterYaml(int o, int n) {
  const int processors = 6, systems = 4;
  const std::string p = "o" + std::to_string(o) + "-";
  std::string s;
  s.reserve(static_cast<size_t>(n) * 2400);
  s += "blindspot_register: 1\norganisation:\n  name: Organisatie " + std::to_string(o) +
       " B.V.\n  country: NL\n  contact:\n    email: privacy@org" + std::to_string(o) +
       ".example\n  dpo:\n    name: F. Gegevens\n    email: fg@org" + std::to_string(o) + ".example\n";
  s += "activities:\n";
  for (int i = 0; i < n; ++i) {
    std::string id = p + "act-" + std::to_string(i);
    s += "  - id: " + id + "\n    name: Verwerking " + std::to_string(i) + " van organisatie " +
         std::to_string(o) + "\n";
    s += "    description: Verwerking van klantgegevens voor doel " + std::to_string(i) + "\n";
    s += std::string("    business_function: ") + kFunctions[i % 7] + "\n    owner: Afdeling " +
         std::to_string(i % 17) + "\n";
    s += std::string("    purposes:\n      - description: Klantcontact\n        lawful_basis: ") +
         kBases[i % 4] + "\n";
    s += "      - description: Marketing\n        lawful_basis: " +
         std::string(i % 10 == 0 ? "legitimate_interests\n" : "consent\n");
    s += std::string("    data_subjects: [") + kSubjects[i % 5] + ", " + kSubjects[(i + 1) % 5] + "]\n";
    s += std::string("    data_categories: [") + kCategories[i % 6] + ", " + kCategories[(i + 2) % 6] + ", " +
         kCategories[(i + 4) % 6] + "]\n";
    s += "    recipients:\n      internal: [Klantenservice]\n      processors: [" + p + "proc-" +
         std::to_string(i % processors) + "]\n";
    s += "    transfers:\n      - recipient: " + p + "proc-" + std::to_string(i % processors) +
         "\n        country: US\n";
    if (i % 20 != 0) s += "        safeguard: data_privacy_framework\n";
    s += "    retention:\n      - data_category: \"*\"\n";
    if (i % 50 != 0) s += "        period: P2Y\n";
    s += "    toms:\n      measures: [access_control, encryption_at_rest]\n";
    s += "    systems: [" + p + "sys-" + std::to_string(i % systems) + "]\n";
    s += "    dpia:\n      status: " + std::string(i % 7 == 0 ? "not_required" : "completed") + "\n";
  }
  s += "processors:\n";
  for (int i = 0; i < processors; ++i) {
    s += "  - id: " + p + "proc-" + std::to_string(i) + "\n    name: Leverancier " + std::to_string(i) +
         "\n    country: " + (i % 3 == 0 ? "US" : "NL") +
         "\n    role: processor\n    agreement:\n      status: " + (i % 4 == 0 ? "pending" : "signed") + "\n";
    if (i % 3 == 0) s += "    transfer_safeguard: data_privacy_framework\n";
  }
  s += "systems:\n";
  for (int i = 0; i < systems; ++i)
    s += "  - id: " + p + "sys-" + std::to_string(i) + "\n    name: Systeem " + std::to_string(i) +
         "\n    processor: " + p + "proc-" + std::to_string(i % processors) + "\n";
  s += "touchpoints:\n";
  for (int i = 0; i < n; ++i) {
    size_t k = static_cast<size_t>(i + o) % (sizeof kProducts / sizeof *kProducts);
    s += "  - id: " + p + "tp-" + std::to_string(i) + "\n    name: Touchpoint " + std::to_string(i) + " (" +
         kProducts[k] + ")\n";
    s += "    channel: " + std::string(kChannels[k]) + "\n    product: " + kProducts[k] + "\n";
    s += "    vendor: " + p + "proc-" + std::to_string(i % processors) + "\n";
    s += "    activities: [" + p + "act-" + std::to_string(i) + ", " + p + "act-" +
         std::to_string((i + 1) % n) + "]\n";
    // Partial answers: a third unanswered, a third half answered, a third complete.
    if (i % 3 == 0) continue;
    s += "    answers:\n      in_use: true\n      stored_by_us: false\n";
    if (i % 3 == 1) continue;
    s += "      stored_by_vendor: true\n      stored_by_vendor_details: EU, 13 maanden\n";
    s += "      informed:\n        statement: https://org" + std::to_string(o) + ".example/privacy\n";
    s += "      data_collected: [user.device.cookie_id]\n      lawful_basis: consent\n";
    s += "      necessity: Meten van campagnes\n";
    s += "      security_measures: [consent_management]\n";
  }
  return s;
}

struct OrgOut {
  std::string id;
  std::vector<std::string> tokens;  // "ORG ROLE EMAIL TOKEN"
  std::string dpo_token, auditor_token;
  std::vector<std::string> bo_tokens;  // the four business owners
  std::string cookie, csrf;
  std::vector<std::string> writes;  // "TOKEN ORG TP VERSION"
  std::vector<std::string> tps, acts;
};

int Fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "gen_admin_db: %s: %s\n", what.c_str(), e.Format().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: gen_admin_db DB OUTDIR [ORGS [PER_ORG]]\n");
    return 2;
  }
  const std::string db = argv[1], out = argv[2];
  const int orgs = argc > 3 ? std::atoi(argv[3]) : 50;
  const int per_org = argc > 4 ? std::atoi(argv[4]) : 200;
  if (orgs <= 0 || per_org <= 1) {
    std::fprintf(stderr, "gen_admin_db: ORGS and PER_ORG must be positive (PER_ORG at least 2)\n");
    return 2;
  }
  auto st = store::Store::Open(db, true, 4);
  if (!st) return Fail("open " + db, st.error());
  admin::Admin adm(**st, admin::Options{});
  const std::string password = "bench-password-" + auth::RandomHex(8);
  // One argon2id hash for all users (hashing 450 times would take minutes);
  // Admin::AddUser then finds the user and only gives it the role.
  auto hash = auth::HashPassword(password);
  if (!hash) return Fail("hash", hash.error());

  std::vector<OrgOut> outs(static_cast<size_t>(orgs));
  std::atomic<int> next{0};
  std::mutex err_mu;
  std::string first_error;
  auto work = [&] {
    for (int o = next++; o < orgs; o = next++) {
      OrgOut& oo = outs[static_cast<size_t>(o)];
      auto fail = [&](const std::string& what, const Error& e) {
        std::lock_guard lock(err_mu);
        if (first_error.empty()) first_error = what + ": " + e.Format();
      };
      auto org = adm.AddOrg("Organisatie " + std::to_string(o) + " B.V.");
      if (!org) return fail("org", org.error());
      oo.id = org->id;
      struct U {
        std::string email;
        store::Role role;
      };
      std::vector<U> users = {{"admin", store::Role::kAdmin},
                              {"privacy", store::Role::kPrivacyOfficer},
                              {"fg", store::Role::kDpo},
                              {"approver", store::Role::kApprover},
                              {"auditor", store::Role::kAuditor}};
      for (int b = 0; b < 4; ++b) users.push_back({"owner" + std::to_string(b), store::Role::kBusinessOwner});
      std::string po_id;
      for (U& u : users) {
        u.email = u.email + "@org" + std::to_string(o) + ".example";
        auto created = (*st)->CreateUser(u.email, *hash);
        if (!created) return fail("user " + u.email, created.error());
        auto added = adm.AddUser(oo.id, u.email, u.role, "");
        if (!added) return fail("role " + u.email, added.error());
        if (u.role == store::Role::kPrivacyOfficer) po_id = added->user.id;
        auto tok = adm.AddToken(oo.id, u.email, "bench", "gen_admin_db");
        if (!tok) return fail("token " + u.email, tok.error());
        oo.tokens.push_back(oo.id + " " + std::string(store::RoleName(u.role)) + " " + u.email + " " + *tok);
        if (u.role == store::Role::kDpo) oo.dpo_token = *tok;
        if (u.role == store::Role::kAuditor) oo.auditor_token = *tok;
        if (u.role == store::Role::kBusinessOwner) oo.bo_tokens.push_back(*tok);
      }
      admin::Actor po;
      po.user_id = po_id;
      po.email = users[1].email;
      po.org_id = oo.id;
      po.roles = {store::Role::kPrivacyOfficer};
      auto put = adm.PutRegister(po, RegisterYaml(o, per_org), "register.yaml", "initial import");
      if (!put) return fail("import", put.error());
      // Assignments: 4 of 5 touchpoints, every other activity, due dates spread
      // over a year (some overdue).
      const std::string p = "o" + std::to_string(o) + "-";
      for (int i = 0; i < per_org; ++i) {
        std::string tp = p + "tp-" + std::to_string(i), act = p + "act-" + std::to_string(i);
        oo.tps.push_back(tp);
        oo.acts.push_back(act);
        char due[16];
        std::snprintf(due, sizeof due, "2026-%02d-%02d", 1 + i % 12, 1 + i % 28);
        if (i % 5 != 4) {
          int b = i % 4;
          auto r = adm.Assign(po, store::RecordKind::kTouchpoint, tp, 1, users[5 + b].email, due);
          if (!r) return fail("assign " + tp, r.error());
          oo.writes.push_back(oo.bo_tokens[b] + " " + oo.id + " " + tp + " " +
                              std::to_string(r->record.version));
        }
        if (i % 2 == 0) {
          auto r = adm.Assign(po, store::RecordKind::kActivity, act, 1, users[5 + (i / 2) % 4].email, due);
          if (!r) return fail("assign " + act, r.error());
        }
      }
      auto login = adm.Login({users[5].email, password, "", "127.0.0.1"});
      if (!login) return fail("login", login.error());
      oo.cookie = login->session_cookie;
      oo.csrf = login->csrf;
      std::fprintf(stderr, "gen_admin_db: organisation %d/%d %s\n", o + 1, orgs, oo.id.c_str());
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (!first_error.empty()) {
    std::fprintf(stderr, "gen_admin_db: %s\n", first_error.c_str());
    return 1;
  }

  std::mt19937 rng(9);
  std::vector<std::string> reads, pages, writes;
  for (const OrgOut& oo : outs) {
    const std::string base = "/api/v1/orgs/" + oo.id;
    // Per org: the kinds of API reads a team's tools and pages make.
    reads.push_back(oo.dpo_token + " " + base + "/records?kind=touchpoint&limit=100");
    reads.push_back(oo.auditor_token + " " + base + "/records?kind=activity&limit=100&offset=100");
    reads.push_back(oo.dpo_token + " " + base + "/register?format=json");
    reads.push_back(oo.auditor_token + " " + base + "/history?limit=50");
    for (const std::string& t : oo.bo_tokens) reads.push_back(t + " " + base + "/my-questions");
    for (int i = 0; i < 8; ++i) {
      const std::string& tp = oo.tps[rng() % oo.tps.size()];
      reads.push_back(oo.dpo_token + " " + base + "/records/touchpoint/" + tp);
      const std::string& act = oo.acts[rng() % oo.acts.size()];
      reads.push_back(oo.auditor_token + " " + base + "/records/activity/" + act);
    }
    pages.push_back(oo.cookie + " /orgs/" + oo.id);
    pages.push_back(oo.cookie + " /");
    for (const std::string& w : oo.writes) writes.push_back(w);
  }
  std::shuffle(reads.begin(), reads.end(), rng);
  std::shuffle(pages.begin(), pages.end(), rng);
  std::shuffle(writes.begin(), writes.end(), rng);
  auto write = [&](const std::string& name, const std::vector<std::string>& lines) {
    std::ofstream f(out + "/" + name);
    for (const std::string& l : lines) f << l << "\n";
    return static_cast<bool>(f);
  };
  std::vector<std::string> tokens, sessions;
  for (const OrgOut& oo : outs) {
    for (const std::string& t : oo.tokens) tokens.push_back(t);
    sessions.push_back(oo.id + " " + oo.cookie + " " + oo.csrf);
  }
  if (!write("tokens.txt", tokens) || !write("sessions.txt", sessions) || !write("reads.txt", reads) ||
      !write("pages.txt", pages) || !write("writes.txt", writes)) {
    std::fprintf(stderr, "gen_admin_db: cannot write to %s\n", out.c_str());
    return 1;
  }
  std::printf("%d organisations, %d activities, %d touchpoints, %zu users, %zu write targets\n", orgs,
              orgs * per_org, orgs * per_org, tokens.size(), writes.size());
  return 0;
}

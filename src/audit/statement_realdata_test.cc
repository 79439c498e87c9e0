// The transparency rules over the real privacy statements in
// ../shared/realdata/privacy-statements/ (made by others, read in place).
// Each statement is audited alone (no register, no evidence), so only the
// unconditional Art. 13 elements are looked for. The expectations were written
// by reading the statements before the rules ran (docs/transparency.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "audit/audit_test_util.h"
#include "audit/statement_match.h"
#include "blindspot/statement.h"
#include "blindspot_testing/realdata.h"

namespace blindspot {
namespace {

namespace fs = std::filesystem;
using namespace testing_audit;

fs::path Dir() { return fs::path(BLINDSPOT_REALDATA_DIR) / "privacy-statements"; }

Statement Load(const std::string& name) {
  std::ifstream in(Dir() / name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseStatement(ss.str(), name);
}

// The element ids BS043 reports for a statement audited alone.
std::set<std::string> Missing(const Statement& st) {
  DetectionResult none;
  none.entries = 1;
  AuditResult r = RunAudit(std::make_shared<const Register>(), TestKb(), std::move(none), {st});
  std::set<std::string> out;
  for (const Finding& f : Of(r, "BS043-statement-element-missing"))
    for (const MessageArg& a : f.detail.args)
      if (a.name == "element") out.insert(a.text);
  EXPECT_TRUE(Of(r, "BS046-statement-contradiction").empty())
      << st.name;  // nothing seen: nothing contradicted
  return out;
}

struct Expect {
  const char* file;
  const char* lang;
  std::vector<std::string> missing;      // must be reported
  std::vector<std::string> not_missing;  // must not be reported
};

const std::vector<std::string> kRights = {"right_access",      "right_rectification", "right_erasure",
                                          "right_restriction", "right_objection",     "right_portability"};

std::vector<std::string> Join(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(StatementRealdata, ElementsAsReadByHand) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::vector<Expect> expectations = {
      // A municipal template: names purposes, bases, processors, retention and a DPO, but none of the
      // rights, no complaint to the AP, nothing on withdrawing the consent it asks for.
      {"openwoo_gemeente_privacyverklaring_nl.md",
       "nl",
       Join(kRights, {"withdraw_consent", "complaint", "provision_required"}),
       {"controller", "contact", "purposes", "lawful_basis", "recipients", "retention"}},
      // The government app: public-task basis, recipients, retention, the rights by reference to
      // Art. 15-20 (limited by Art. 11), the complaint to the AP, use is voluntary.
      {"coronamelder_privacy.nl.md",
       "nl",
       {},
       Join(kRights, {"controller", "contact", "purposes", "lawful_basis", "recipients", "retention",
                      "complaint", "provision_required"})},
      // Mozilla's websites notice points to the main policy: an access portal and an e-mail address,
      // no lawful basis, no list of rights, no supervisory authority.
      {"mozilla_websites_privacy_notice_nl.md",
       "nl",
       {"lawful_basis", "right_rectification", "right_erasure", "right_restriction", "right_portability",
        "complaint"},
       {"controller", "contact", "purposes", "recipients", "retention", "right_access"}},
      {"mozilla_websites_privacy_notice_de.md",
       "de",
       {"lawful_basis", "right_rectification", "right_erasure", "right_restriction", "right_portability",
        "complaint"},
       {"contact", "recipients", "right_access"}},
      // GitHub: lawful bases for EEA users, every right, the DPO, the complaint to a DPA; it does not say
      // whether providing the data is required.
      {"github_general_privacy_statement_en.md",
       "en",
       {"provision_required"},
       Join(kRights, {"controller", "contact", "purposes", "lawful_basis", "recipients", "retention",
                      "withdraw_consent", "complaint"})},
      // 37signals: the GDPR rights one by one and the supervisory authority, retention section.
      {"basecamp_37signals_privacy_policy_en.md",
       "en",
       {},
       Join(kRights, {"contact", "recipients", "retention", "complaint"})},
      // Automattic: legal bases section, rights under the GDPR, complaint to a supervisory authority.
      {"automattic_privacy_policy_en.md",
       "en",
       {},
       {"contact", "purposes", "lawful_basis", "recipients", "retention", "right_portability", "complaint"}},
  };
  for (const Expect& e : expectations) {
    SCOPED_TRACE(e.file);
    Statement st = Load(e.file);
    EXPECT_EQ(st.lang, e.lang);
    std::set<std::string> missing = Missing(st);
    for (const std::string& m : e.missing) EXPECT_TRUE(missing.count(m)) << "should be reported: " << m;
    for (const std::string& m : e.not_missing)
      EXPECT_FALSE(missing.count(m)) << "must not be reported: " << m;
  }
}

TEST(StatementRealdata, EveryFileParsesWithItsLanguage) {
  BLINDSPOT_REQUIRE_REALDATA();
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(Dir())) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".md")) continue;
    ++files;
    SCOPED_TRACE(name);
    Statement st = Load(name);
    EXPECT_GE(st.sections.size(), 1u);
    // The file names tell the language: ..._en.md, ..._nl.md / .nl.md, ..._de.md.
    std::string lang = name.find("_en.") != std::string::npos   ? "en"
                       : name.find("_de.") != std::string::npos ? "de"
                                                                : "nl";
    // 37signals' processor list is a table of company names: too few words to tell.
    if (name == "basecamp_37signals_company_processors_en.md") lang = "";
    EXPECT_EQ(st.lang, lang);
    // An English statement for a Dutch organisation is reported; a Dutch one is not.
    Register reg;
    reg.organisation.country = "NL";
    DetectionResult none;
    none.entries = 1;
    AuditResult r = RunAudit(std::make_shared<const Register>(reg), TestKb(), std::move(none), {st});
    EXPECT_EQ(Of(r, "BS045-statement-language").size(), lang == "nl" || lang.empty() ? 0u : 1u);
  }
  EXPECT_EQ(files, 12u);
}

// The Mozilla notice names Google Analytics: a detected google-analytics-like product is named;
// the Meta Pixel (only "Facebook" as a social platform: its alias) is named too; Hotjar is not.
TEST(StatementRealdata, VendorsNamedInMozillaNotice) {
  BLINDSPOT_REQUIRE_REALDATA();
  Statement st = Load("mozilla_websites_privacy_notice_nl.md");
  audit::StatementText t(st);
  EXPECT_TRUE(t.NamesAny({"Google Analytics"}));
  EXPECT_TRUE(t.NamesAny({"Facebook"}));
  EXPECT_FALSE(t.NamesAny({"Hotjar"}));
}

}  // namespace
}  // namespace blindspot

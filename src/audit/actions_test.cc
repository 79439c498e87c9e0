// The action list (BuildActionList, docs/actions.md): grouping, owners, due dates, order.
#include <gtest/gtest.h>

#include "audit/audit_test_util.h"
#include "blindspot/catalog.h"

namespace blindspot {
namespace {

using namespace testing_audit;

Finding F(std::string rule, Severity sev, SubjectKind kind, std::string id, std::string name,
          std::string path = {}) {
  Finding f;
  f.rule_id = std::move(rule);
  f.severity = sev;
  f.base_severity = sev;
  f.subject_kind = kind;
  f.subject_id = std::move(id);
  f.subject_name = std::move(name);
  f.path = std::move(path);
  return f;
}

AuditResult WithFindings(Register reg, std::vector<Finding> findings) {
  AuditResult r;
  r.reg = std::make_shared<const Register>(std::move(reg));
  r.kb = TestKb();
  r.findings = std::move(findings);
  return r;
}

TEST(ActionList, OneActionPerRuleAndSubject) {
  Register reg = CleanRegister();
  reg.activities[0].owner = "Head of Marketing";
  std::vector<Finding> fs = {
      F("BS003-art30-field-missing", Severity::kMedium, SubjectKind::kActivity, "marketing",
        "Online marketing", "activities[marketing].purposes"),
      F("BS003-art30-field-missing", Severity::kMedium, SubjectKind::kActivity, "marketing",
        "Online marketing", "activities[marketing].data_subjects"),
      F("BS003-art30-field-missing", Severity::kMedium, SubjectKind::kActivity, "marketing",
        "Online marketing", "activities[marketing].recipients"),
      // Another rule about the same activity is another thing to do.
      F("BS011-retention-missing", Severity::kMedium, SubjectKind::kActivity, "marketing",
        "Online marketing"),
  };
  AuditResult r = WithFindings(reg, fs);
  ActionList l = BuildActionList(r, "2026-12-01");
  ASSERT_EQ(l.actions.size(), 2u);
  EXPECT_EQ(l.actions[0].rule_id, "BS003-art30-field-missing");
  EXPECT_EQ(l.actions[0].findings, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(l.actions[0].owner, "Head of Marketing");
  EXPECT_EQ(l.actions[0].owner_from, "activity");
  EXPECT_EQ(l.actions[1].rule_id, "BS011-retention-missing");
  EXPECT_EQ(l.actions[1].findings, (std::vector<size_t>{3}));
  // What to do is the rule's action text, naming the subject, in every language.
  const TextCatalog& cat = TextCatalog::Builtin();
  EXPECT_EQ(cat.Render(l.actions[0].what, "en"), "Complete the record of Online marketing in the register");
  EXPECT_EQ(cat.Render(l.actions[0].what, "nl"), "Vul de gegevens van Online marketing in het register aan");
  EXPECT_EQ(cat.Render(l.actions[0].what, "de"),
            "Vervollständigen Sie die Angaben zu Online marketing im Verzeichnis");
}

TEST(ActionList, TrackingBeforeConsentOnManyPagesIsOneImmediateAction) {
  Register reg = CleanRegister();
  reg.touchpoints[0].owner = "Web team";
  std::vector<Finding> fs;
  // One finding per phase for the pixel: one act (block it until consent) fixes both.
  for (const char* key : {"before_consent", "after_reject"}) {
    fs.push_back(F("BS022-tracking-without-consent", Severity::kHigh, SubjectKind::kDetected, "meta-pixel",
                   "Meta Pixel"));
    fs.back().key = key;
  }
  fs.push_back(F("BS008-processor-no-dpa", Severity::kHigh, SubjectKind::kProcessor, "meta", "Meta"));
  AuditResult r = WithFindings(reg, fs);
  ActionList l = BuildActionList(r, "2026-12-01");
  ASSERT_EQ(l.actions.size(), 2u);
  const Action& a = l.actions[0];
  EXPECT_EQ(a.rule_id, "BS022-tracking-without-consent");
  EXPECT_EQ(a.findings.size(), 2u);
  EXPECT_EQ(a.priority, ActionPriority::kImmediate);
  EXPECT_EQ(a.due_in_days, 0);
  EXPECT_EQ(a.due, "2026-12-01");
  // The detected product's registered touchpoint names the owner.
  EXPECT_EQ(a.owner, "Web team");
  EXPECT_EQ(a.owner_from, "touchpoint");
  // A high finding that is not data leaving now: 30 days, across a month end.
  EXPECT_EQ(l.actions[1].priority, ActionPriority::kHigh);
  EXPECT_EQ(l.actions[1].due, "2026-12-31");
  EXPECT_EQ(l.actions[1].owner, "Web team");  // the touchpoint whose vendor it is
}

TEST(ActionList, DueDatesByPriorityAndSortedByDueDate) {
  Register reg = CleanRegister();
  std::vector<Finding> fs = {
      F("BS013-touchpoint-question-unanswered", Severity::kLow, SubjectKind::kTouchpoint, "tp-meta", "Pixel"),
      F("BS002-not-seen", Severity::kInfo, SubjectKind::kTouchpoint, "tp-x", "X"),
      F("BS011-retention-missing", Severity::kMedium, SubjectKind::kActivity, "marketing",
        "Online marketing"),
      F("BS004-no-lawful-basis", Severity::kHigh, SubjectKind::kActivity, "marketing", "Online marketing"),
  };
  AuditResult r = WithFindings(reg, fs);
  ActionList l = BuildActionList(r, "2027-11-15");
  ASSERT_EQ(l.actions.size(), 4u);
  EXPECT_EQ(l.date, "2027-11-15");
  EXPECT_EQ(l.actions[0].rule_id, "BS004-no-lawful-basis");
  EXPECT_EQ(l.actions[0].due, "2027-12-15");
  EXPECT_EQ(l.actions[1].rule_id, "BS011-retention-missing");
  EXPECT_EQ(l.actions[1].due, "2028-02-13");  // 90 days, over a year end
  // Low and info: 180 days, then by rule.
  EXPECT_EQ(l.actions[2].rule_id, "BS002-not-seen");
  EXPECT_EQ(l.actions[2].priority, ActionPriority::kLow);
  EXPECT_EQ(l.actions[2].due, "2028-05-13");  // 2028 is a leap year
  EXPECT_EQ(l.actions[3].rule_id, "BS013-touchpoint-question-unanswered");
}

TEST(ActionList, WithoutADateDueDatesStayInDays) {
  AuditResult r =
      WithFindings(CleanRegister(),
                   {F("BS004-no-lawful-basis", Severity::kHigh, SubjectKind::kActivity, "marketing", "M")});
  for (std::string_view date : {"", "not a date", "2027-02-29"}) {
    ActionList l = BuildActionList(r, date);
    EXPECT_EQ(l.date, "") << date;
    ASSERT_EQ(l.actions.size(), 1u);
    EXPECT_EQ(l.actions[0].due, "") << date;
    EXPECT_EQ(l.actions[0].due_in_days, 30);
  }
}

TEST(ActionList, OwnerFallsBackToDpoThenContactThenUnassigned) {
  // The activity has no owner: the DPO.
  Register reg = CleanRegister();
  std::vector<Finding> fs = {F("BS011-retention-missing", Severity::kMedium, SubjectKind::kActivity,
                               "marketing", "Online marketing")};
  {
    ActionList l = BuildActionList(WithFindings(reg, fs), "2026-12-01");
    EXPECT_EQ(l.actions[0].owner, "F. Gegevens");
    EXPECT_EQ(l.actions[0].owner_from, "dpo");
  }
  // No DPO designated: the organisation's contact.
  reg.organisation.dpo = {};
  reg.organisation.no_dpo = true;
  {
    ActionList l = BuildActionList(WithFindings(reg, fs), "2026-12-01");
    EXPECT_EQ(l.actions[0].owner, "privacy@voorbeeld.nl");
    EXPECT_EQ(l.actions[0].owner_from, "contact");
  }
  // Nobody: unassigned, shown as such.
  reg.organisation.contact = {};
  {
    ActionList l = BuildActionList(WithFindings(reg, fs), "2026-12-01");
    EXPECT_EQ(l.actions[0].owner, "");
    EXPECT_EQ(l.actions[0].owner_from, "unassigned");
  }
  // A touchpoint without owner takes the owner of its activity.
  reg = CleanRegister();
  reg.activities[0].owner = "CMO";
  ActionList l = BuildActionList(
      WithFindings(reg, {F("BS013-touchpoint-question-unanswered", Severity::kLow, SubjectKind::kTouchpoint,
                           "tp-meta", "Meta Pixel on the website")}),
      "2026-12-01");
  EXPECT_EQ(l.actions[0].owner, "CMO");
  EXPECT_EQ(l.actions[0].owner_from, "activity");
}

TEST(ActionList, OrganisationFindingsNameTheOrganisation) {
  AuditResult r = WithFindings(CleanRegister(), {F("BS043-statement-element-missing", Severity::kMedium,
                                                   SubjectKind::kOrganisation, "", "")});
  ActionList l = BuildActionList(r, "");
  ASSERT_EQ(l.actions.size(), 1u);
  EXPECT_EQ(TextCatalog::Builtin().Render(l.actions[0].what, "en"),
            "Add the missing Art. 13 elements to the privacy statement of Voorbeeld BV");
}

TEST(ActionList, OrganisationFieldsAreOneAction) {
  // BS003 names each missing field of the organisation as its own subject id.
  Register reg = CleanRegister();
  AuditResult r =
      WithFindings(reg, {F("BS003-art30-field-missing", Severity::kMedium, SubjectKind::kOrganisation,
                           "organisation.contact", "", "organisation.contact"),
                         F("BS003-art30-field-missing", Severity::kMedium, SubjectKind::kOrganisation,
                           "organisation.dpo", "", "organisation.dpo")});
  ActionList l = BuildActionList(r, "2026-12-01");
  ASSERT_EQ(l.actions.size(), 1u);
  EXPECT_EQ(l.actions[0].findings.size(), 2u);
  EXPECT_EQ(l.actions[0].subject_id, "");
  EXPECT_EQ(l.actions[0].subject_name, "Voorbeeld BV");
  EXPECT_EQ(TextCatalog::Builtin().Render(l.actions[0].what, "en"),
            "Complete the record of Voorbeeld BV in the register");
}

// A product known only from DNS or DMARC records is not on the site: its
// action says to register it or stop it, not to remove it from the site.
TEST(ActionList, RecordsOnlyProductIsNotRemovedFromTheSite) {
  std::vector<Finding> fs = {
      F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "hotjar", "Hotjar"),
      F("BS001-blind-spot", Severity::kHigh, SubjectKind::kDetected, "plausible", "Plausible Analytics")};
  AuditResult r = WithFindings(CleanRegister(), fs);
  DetectedTouchpoint records = Detected(*r.kb, "hotjar", 1, {});
  records.records_only = true;
  r.detection.touchpoints.push_back(records);
  r.detection.touchpoints.push_back(Detected(*r.kb, "plausible", 3, {"https://voorbeeld.nl/"}));
  ActionList l = BuildActionList(r, "2026-12-01");
  ASSERT_EQ(l.actions.size(), 2u);
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const Action& a : l.actions) {
    std::string en = cat.Render(a.what, "en");
    if (a.subject_id == "hotjar") {
      EXPECT_EQ(a.what.id, "BS001-blind-spot.records_action");
      EXPECT_EQ(en.find("from the site"), std::string::npos) << en;
      EXPECT_NE(en.find("end the account and remove what points to it"), std::string::npos) << en;
      EXPECT_NE(cat.Render(a.what, "nl").find("beëindig het account"), std::string::npos);
      EXPECT_NE(cat.Render(a.what, "de").find("Konto schließen"), std::string::npos);
    } else {
      EXPECT_NE(en.find("remove it from the site"), std::string::npos) << en;
    }
  }
}

TEST(ActionList, NoFindingsNoActions) {
  AuditResult r = WithFindings(CleanRegister(), {});
  EXPECT_TRUE(BuildActionList(r, "2026-12-01").actions.empty());
}

TEST(ActionList, RunAuditCountsFromTheEvidenceDate) {
  auto kb = TestKb();
  DetectionResult det = CleanDetection(*kb);
  EvidenceSourceInfo s;
  s.name = "site.har";
  s.first_capture = "2026-10-01T10:00:00Z";
  s.last_capture = "2026-10-02T09:00:00Z";
  det.sources.push_back(s);
  Register reg = CleanRegister();
  reg.activities[0].retention.clear();  // BS011
  AuditResult r = Audit(reg, kb, std::move(det));
  EXPECT_EQ(r.actions.date, "2026-10-02");
  ASSERT_FALSE(r.actions.actions.empty());
  size_t covered = 0;
  for (const Action& a : r.actions.actions) covered += a.findings.size();
  EXPECT_EQ(covered, r.findings.size());  // every finding is in exactly one action
}

}  // namespace
}  // namespace blindspot

// The CI gate (issue 8): finding fingerprints, the baseline and accepted
// files (parsing, errors with file:line:col, expiry) and the classification
// of findings as new, in baseline or accepted.
#include "blindspot/gate.h"

#include <gtest/gtest.h>

#include <set>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/text_ids.h"

namespace blindspot {
namespace {

Finding F(std::string rule, SubjectKind kind, std::string id, std::string path = "", std::string key = "") {
  Finding f;
  f.rule_id = std::move(rule);
  f.subject_kind = kind;
  f.subject_id = std::move(id);
  f.subject_name = "Name";
  f.path = std::move(path);
  f.key = std::move(key);
  return f;
}

TEST(Fingerprint, StableAndFromRuleAndSubjectOnly) {
  Finding a = F("BS001-blind-spot", SubjectKind::kDetected, "meta-pixel");
  std::string fp = Fingerprint(a);
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(FindingSubject(a), "detected:meta-pixel");
  // A known value: the fingerprint must not change between releases (baselines in CI would break).
  EXPECT_EQ(fp, Fingerprint(a));
  // Message, severity, display name: not part of it.
  Finding b = a;
  b.severity = Severity::kLow;
  b.subject_name = "Another name";
  b.detail = Message(msg::BS001::seen).Text("name", "x").Number("pages", 7);
  b.rule_id = "BS001-renamed-slug";
  EXPECT_EQ(Fingerprint(b), fp);
  // The subject, the rule and the key are.
  EXPECT_NE(Fingerprint(F("BS001-blind-spot", SubjectKind::kDetected, "google-analytics")), fp);
  EXPECT_NE(Fingerprint(F("BS020-inferred-touchpoint", SubjectKind::kDetected, "meta-pixel")), fp);
  EXPECT_NE(Fingerprint(F("BS001-blind-spot", SubjectKind::kTouchpoint, "meta-pixel")), fp);
  Finding p1 =
      F("BS004-no-lawful-basis", SubjectKind::kActivity, "crm", "activities[crm].purposes[p-1].lawful_basis");
  Finding p2 =
      F("BS004-no-lawful-basis", SubjectKind::kActivity, "crm", "activities[crm].purposes[p-2].lawful_basis");
  EXPECT_EQ(FindingSubject(p1), "activities[crm].purposes[p-1].lawful_basis");
  EXPECT_NE(Fingerprint(p1), Fingerprint(p2));
  Finding k1 = F("BS021-personal-data-in-clear", SubjectKind::kDetected, "meta-pixel", "", "email/ud[em]");
  Finding k2 = F("BS021-personal-data-in-clear", SubjectKind::kDetected, "meta-pixel", "", "phone/ud[ph]");
  EXPECT_EQ(FindingSubject(k1), "detected:meta-pixel#email/ud[em]");
  EXPECT_NE(Fingerprint(k1), Fingerprint(k2));
}

TEST(Fingerprint, SameInEveryLanguageOfTheExampleAudit) {
  // The fingerprints in the JSON report do not depend on the report language.
  std::set<std::string> en_fps;
  for (std::string lang : {"en", "nl", "de"}) {
    app::Options o;
    o.lang = lang;
    o.default_filter_lists = false;
    app::AuditRequest r;
    r.register_path = std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml";
    r.evidence = {std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/har/home.har"};
    r.format = "json";
    r.timestamp = false;
    auto out = app::Audit(o, r);
    ASSERT_TRUE(out.has_value());
    std::set<std::string> fps;
    for (size_t pos = 0; (pos = out->output.find("\"fingerprint\": \"", pos)) != std::string::npos; ++pos)
      fps.insert(out->output.substr(pos + 16, 16));
    EXPECT_EQ(fps.size(), out->result.findings.size()) << lang;
    EXPECT_GE(fps.size(), 5u);
    if (lang == "en")
      en_fps = fps;
    else
      EXPECT_EQ(fps, en_fps) << lang;
  }
}

TEST(Baseline, RoundTripsAndIsStable) {
  std::vector<Finding> fs = {F("BS019-unidentified-tracker", SubjectKind::kDetected, "unidentified:x.com"),
                             F("BS001-blind-spot", SubjectKind::kDetected, "meta-pixel"),
                             F("BS001-blind-spot", SubjectKind::kDetected, "meta-pixel")};  // a duplicate
  auto title = [](const Finding& f) { return f.rule_id + " \"quoted\""; };
  std::string text = SerializeBaseline(fs, "2026-12-01", +title);
  EXPECT_NE(
      text.find("version: 1\ncreated: \"2026-12-01\"\nfindings:\n  - fingerprint: \"" + Fingerprint(fs[1]) +
                "\"\n    rule: \"BS001\"\n    subject: \"detected:meta-pixel\"\n"
                "    title: \"BS001-blind-spot \\\"quoted\\\"\"\n"),
      std::string::npos)
      << text;
  auto b = ParseBaseline(text, "baseline.yaml");
  ASSERT_TRUE(b.has_value()) << b.error().front().Format();
  EXPECT_EQ(b->created, "2026-12-01");
  ASSERT_EQ(b->findings.size(), 2u);  // each fingerprint once, sorted by rule
  EXPECT_EQ(b->findings[0].rule, "BS001");
  EXPECT_EQ(b->findings[0].title, "BS001-blind-spot \"quoted\"");
  EXPECT_EQ(b->findings[1].fingerprint, Fingerprint(fs[0]));
  EXPECT_EQ(SerializeBaseline({}, "2026-12-01", nullptr),
            "# blindspot baseline: docs/formats/baseline.md\n"
            "version: 1\ncreated: \"2026-12-01\"\nfindings: []\n");
  EXPECT_TRUE(ParseBaseline("findings: []\n", "b.yaml").has_value());
  // JSON is read too.
  auto j = ParseBaseline(R"({"version": 1, "findings": [{"fingerprint": "0123456789abcdef"}]})", "b.json");
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->findings.at(0).fingerprint, "0123456789abcdef");
}

std::string Errors(const Diagnostics& d) {
  std::string s;
  for (const Error& e : d) s += e.Format();
  return s;
}

TEST(Baseline, BadFilesFailWithFileLineAndColumn) {
  auto syntax = ParseBaseline("findings:\n  - fingerprint: [\n", "b.yaml");
  ASSERT_FALSE(syntax.has_value());
  EXPECT_EQ(syntax.error().front().kind, ErrorKind::kParse);
  EXPECT_NE(Errors(syntax.error()).find("b.yaml:"), std::string::npos);

  auto bad = ParseBaseline(
      "version: 1\nfindings:\n  - fingerprint: \"xyz\"\n  - rule: BS001\n  - fingerprint: "
      "\"0123456789abcdef\"\n"
      "    colour: red\n  - fingerprint: \"0123456789abcdef\"\n",
      "b.yaml");
  ASSERT_FALSE(bad.has_value());
  std::string all = Errors(bad.error());
  EXPECT_NE(all.find("b.yaml:3:18"), std::string::npos) << all;  // not a fingerprint
  EXPECT_NE(all.find("'xyz' is not a finding fingerprint"), std::string::npos) << all;
  EXPECT_NE(all.find("b.yaml:4:5: error: missing required key 'fingerprint'"), std::string::npos) << all;
  EXPECT_NE(all.find("b.yaml:6:5: error: unknown key 'colour'"), std::string::npos) << all;
  EXPECT_NE(all.find("b.yaml:7:18: error: fingerprint '0123456789abcdef' is listed twice"), std::string::npos)
      << all;
  for (const Error& e : bad.error()) EXPECT_EQ(e.kind, ErrorKind::kSchema);

  auto version = ParseBaseline("version: 2\nfindings: []\n", "b.yaml");
  ASSERT_FALSE(version.has_value());
  EXPECT_NE(Errors(version.error()).find("b.yaml:1:10: error: unknown baseline version '2'"),
            std::string::npos)
      << Errors(version.error());
  auto no_list = ParseBaseline("version: 1\n", "b.yaml");
  ASSERT_FALSE(no_list.has_value());
  EXPECT_NE(Errors(no_list.error()).find("missing required key 'findings'"), std::string::npos);
  auto not_list = ParseBaseline("findings: abc\n", "b.yaml");
  ASSERT_FALSE(not_list.has_value());
  EXPECT_NE(Errors(not_list.error()).find("b.yaml:1:11: error: 'findings' must be a list"), std::string::npos)
      << Errors(not_list.error());
}

constexpr const char* kAccepted = R"(accepted:
  - fingerprint: "0123456789abcdef"
    reason: "Consent banner fix scheduled for sprint 42"
    accepted_by: "Privacy officer"
    expires: 2027-01-31
  - rule: BS019-unidentified-tracker
    subject: "detected:unidentified:cdn.example"
    reason: "Our own CDN under another domain"
    expires: 2026-11-30
)";

TEST(Accepted, ParsesBothWaysOfNamingAFinding) {
  auto a = ParseAccepted(kAccepted, "accepted.yaml");
  ASSERT_TRUE(a.has_value()) << Errors(a.error());
  ASSERT_EQ(a->items.size(), 2u);
  EXPECT_EQ(a->items[0].fingerprint, "0123456789abcdef");
  EXPECT_EQ(a->items[0].accepted_by, "Privacy officer");
  EXPECT_EQ(a->items[0].expires, "2027-01-31");
  EXPECT_EQ(a->items[1].rule, "BS019");  // the rule number, whatever was written
  EXPECT_EQ(a->items[1].subject, "detected:unidentified:cdn.example");
  EXPECT_EQ(a->items[1].loc.line, 6u);
  Finding f = F("BS019-unidentified-tracker", SubjectKind::kDetected, "unidentified:cdn.example");
  EXPECT_TRUE(a->items[1].Matches(f, Fingerprint(f)));
  EXPECT_FALSE(a->items[0].Matches(f, Fingerprint(f)));
  Finding other = F("BS019-unidentified-tracker", SubjectKind::kDetected, "unidentified:cdn.other");
  EXPECT_FALSE(a->items[1].Matches(other, Fingerprint(other)));
}

TEST(Accepted, ReasonAndExpiryAreRequired) {
  auto a = ParseAccepted(R"(accepted:
  - fingerprint: "0123456789abcdef"
    expires: 2027-01-31
  - fingerprint: "0123456789abcdef"
    reason: "ok"
  - fingerprint: "0123456789abcdef"
    reason: "ok"
    expires: 2027-02-30
  - rule: BS001
    reason: "ok"
    expires: 2027-01-31
  - reason: "ok"
    expires: 2027-01-31
  - fingerprint: "0123456789abcdef"
    rule: BS001
    subject: "detected:x"
    reason: ""
    expires: 2027-01-31
)",
                         "acc.yaml");
  ASSERT_FALSE(a.has_value());
  std::string all = Errors(a.error());
  EXPECT_NE(all.find("acc.yaml:2:5: error: missing required key 'reason' in accepted[0]"), std::string::npos)
      << all;
  EXPECT_NE(all.find("acc.yaml:4:5: error: missing required key 'expires' in accepted[1]"), std::string::npos)
      << all;
  EXPECT_NE(all.find("acc.yaml:8:14: error: '2027-02-30' is not a date"), std::string::npos) << all;
  EXPECT_NE(all.find("acc.yaml:9:5: error: accepted[3] must name its finding"), std::string::npos) << all;
  EXPECT_NE(all.find("acc.yaml:12:5: error: accepted[4] must name its finding"), std::string::npos) << all;
  EXPECT_NE(all.find("acc.yaml:14:5: error: accepted[5] must name its finding"), std::string::npos) << all;
  EXPECT_NE(all.find("acc.yaml:17:13"), std::string::npos) << all;  // empty reason
  auto empty = ParseAccepted("accepted:\n", "acc.yaml");
  EXPECT_TRUE(empty.has_value());
  auto wrong = ParseAccepted("- fingerprint: x\n", "acc.yaml");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(Errors(wrong.error()).find("acc.yaml:1:1"), std::string::npos) << Errors(wrong.error());
}

TEST(Gate, ClassifiesNewBaselineAcceptedResolvedAndExpired) {
  std::vector<Finding> fs = {
      F("BS001-blind-spot", SubjectKind::kDetected, "meta-pixel"),
      F("BS001-blind-spot", SubjectKind::kDetected, "hotjar"),
      F("BS019-unidentified-tracker", SubjectKind::kDetected, "unidentified:cdn.example"),
      F("BS019-unidentified-tracker", SubjectKind::kDetected, "unidentified:ads.example")};
  Baseline b;
  b.findings.push_back({Fingerprint(fs[0]), "BS001", "detected:meta-pixel", "", {}});
  b.findings.push_back({Fingerprint(fs[2]), "BS019", "detected:unidentified:cdn.example", "", {}});
  b.findings.push_back({"00000000000000ff", "BS004", "activities[old]", "", {}});  // fixed since
  auto acc = ParseAccepted(kAccepted, "accepted.yaml");
  ASSERT_TRUE(acc.has_value());
  acc->items[0].fingerprint = Fingerprint(fs[1]);

  // On 2026-11-30 both acceptances count (the expiry date is the last day).
  GateResult g = EvaluateGate(fs, &b, *acc, "2026-11-30");
  EXPECT_TRUE(g.active);
  EXPECT_EQ(g.states, (std::vector<GateState>{GateState::kInBaseline, GateState::kAccepted,
                                              GateState::kAccepted, GateState::kNew}));
  EXPECT_EQ(g.new_count, 1u);
  EXPECT_EQ(g.baseline_count, 1u);
  EXPECT_EQ(g.accepted_count, 2u);
  ASSERT_NE(g.acceptance[1], nullptr);
  EXPECT_EQ(g.acceptance[1]->reason, "Consent banner fix scheduled for sprint 42");
  EXPECT_EQ(g.acceptance[0], nullptr);
  ASSERT_EQ(g.resolved.size(), 1u);
  EXPECT_EQ(g.resolved[0].fingerprint, "00000000000000ff");
  EXPECT_TRUE(g.expired.empty());
  EXPECT_FALSE(g.IsNew(0));
  EXPECT_TRUE(g.IsNew(3));

  // A day later the second acceptance has expired: the finding falls back to the baseline.
  GateResult later = EvaluateGate(fs, &b, *acc, "2026-12-01");
  EXPECT_EQ(later.states[2], GateState::kInBaseline);
  EXPECT_EQ(later.accepted_count, 1u);
  ASSERT_EQ(later.expired.size(), 1u);
  EXPECT_EQ(later.expired[0].rule, "BS019");
  // Without a baseline it is new again.
  GateResult no_baseline = EvaluateGate(fs, nullptr, *acc, "2026-12-01");
  EXPECT_FALSE(no_baseline.has_baseline);
  EXPECT_EQ(no_baseline.states[2], GateState::kNew);
  EXPECT_EQ(no_baseline.new_count, 3u);
  EXPECT_TRUE(no_baseline.resolved.empty());

  // Without files: inactive, every finding new.
  GateResult none = EvaluateGate(fs, nullptr, std::nullopt, "2026-12-01");
  EXPECT_FALSE(none.active);
  EXPECT_EQ(none.new_count, 4u);
  EXPECT_EQ(none.fingerprints.size(), 4u);
}

TEST(Gate, IsIsoDate) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2027-13-01"));
  EXPECT_FALSE(IsIsoDate("2027-1-01"));
  EXPECT_FALSE(IsIsoDate("31-01-2027"));
  EXPECT_FALSE(IsIsoDate(""));
}

}  // namespace
}  // namespace blindspot

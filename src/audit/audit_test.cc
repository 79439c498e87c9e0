// Reconciliation, ordering, the audit result's ownership and the rule catalogue.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>

#include "audit/audit_test_util.h"
#include "blindspot/app.h"

namespace blindspot {
namespace {

using namespace testing_audit;

TEST(Reconcile, CleanRegisterMatchesDetectionWithoutFindings) {
  auto kb = TestKb();
  auto reg = std::make_shared<const Register>(CleanRegister());
  AuditResult r = RunAudit(reg, kb, CleanDetection(*kb));
  ASSERT_EQ(r.touchpoints.size(), 1u);
  const ReconciledTouchpoint& row = r.touchpoints[0];
  EXPECT_EQ(row.kb_id, "meta-pixel");
  ASSERT_NE(row.kb, nullptr);
  EXPECT_EQ(row.kb->name, "Meta Pixel");
  EXPECT_EQ(row.kb, kb->Find("meta-pixel"));
  ASSERT_NE(row.detected, nullptr);
  EXPECT_EQ(row.detected, &r.detection.touchpoints[0]);
  EXPECT_EQ(row.registered, &reg->touchpoints[0]);
  EXPECT_FALSE(row.blind_spot());
  EXPECT_FALSE(row.not_seen());
  for (const Finding& f : r.findings) ADD_FAILURE() << f.rule_id << " " << f.subject_id << ": " << En(f);
  // The result shares the register and kb it was given, not copies.
  EXPECT_EQ(r.reg, reg);
  EXPECT_EQ(r.kb, kb);
}

TEST(Reconcile, NullRegisterAndKbBecomeEmptyOnes) {
  AuditResult r = RunAudit(nullptr, nullptr, DetectionResult{});
  ASSERT_NE(r.reg, nullptr);
  ASSERT_NE(r.kb, nullptr);
  EXPECT_TRUE(r.reg->empty());
  EXPECT_TRUE(r.kb->entries().empty());
  EXPECT_TRUE(r.touchpoints.empty());
  // An empty register still misses the controller's name, contact and DPO.
  auto f = Of(r, "BS003-art30-field-missing");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].path, "organisation.name");
  EXPECT_EQ(f[1].path, "organisation.contact");
  EXPECT_EQ(f[2].path, "organisation.dpo");
  EXPECT_EQ(r.findings.size(), 3u);
}

TEST(Reconcile, BlindSpotNotSeenAndOrder) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint chat;
  chat.id = "tp-plausible";
  chat.name = "Statistics";
  chat.product = "plausible";
  reg.touchpoints.insert(reg.touchpoints.begin(), chat);  // registered first, not seen
  Touchpoint unknown;
  unknown.id = "tp-acme";
  unknown.product = "acme-chat";
  reg.touchpoints.push_back(unknown);
  DetectionResult det = CleanDetection(*kb);
  det.touchpoints.push_back(Detected(*kb, "hotjar", 3, {"https://voorbeeld.nl/"}));

  AuditResult r = Audit(reg, kb, std::move(det));
  ASSERT_EQ(r.touchpoints.size(), 4u);
  // Detected first by kb id, then registered-not-seen in register order.
  EXPECT_EQ(r.touchpoints[0].kb_id, "hotjar");
  EXPECT_TRUE(r.touchpoints[0].blind_spot());
  EXPECT_EQ(r.touchpoints[1].kb_id, "meta-pixel");
  EXPECT_EQ(r.touchpoints[1].registered->id, "tp-meta");
  EXPECT_EQ(r.touchpoints[2].registered->id, "tp-plausible");
  EXPECT_TRUE(r.touchpoints[2].not_seen());
  ASSERT_NE(r.touchpoints[2].kb, nullptr);
  EXPECT_EQ(r.touchpoints[3].registered->id, "tp-acme");
  EXPECT_EQ(r.touchpoints[3].kb, nullptr);
  EXPECT_EQ(r.touchpoints[3].kb_id, "acme-chat");
  EXPECT_TRUE(r.touchpoints[3].not_seen());

  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0].subject_kind, SubjectKind::kDetected);
  EXPECT_EQ(blind[0].subject_id, "hotjar");
  EXPECT_EQ(blind[0].subject_name, "Hotjar");
  EXPECT_EQ(blind[0].severity, Severity::kHigh);
  EXPECT_EQ(blind[0].path, "");  // not about a register field
  EXPECT_EQ(En(blind[0]),
            "Hotjar (hotjar) was seen on 1 page (3 pieces of evidence) but is not in the register");
  EXPECT_EQ(Nl(blind[0]),
            "Hotjar (hotjar) is gezien op 1 pagina (3 bewijsstukken), maar staat niet in het "
            "verwerkingsregister");

  auto not_seen = Of(r, "BS002-not-seen");
  ASSERT_EQ(not_seen.size(), 1u);  // the unknown product is reported by BS016 instead
  EXPECT_EQ(not_seen[0].subject_id, "tp-plausible");
  EXPECT_EQ(not_seen[0].severity, Severity::kInfo);
  EXPECT_EQ(not_seen[0].path, "touchpoints[tp-plausible]");
  EXPECT_EQ(En(not_seen[0]),
            "Touchpoint 'Statistics' (product plausible) is registered but was not seen in 1 evidence file "
            "with 100 "
            "requests");
  EXPECT_EQ(Nl(not_seen[0]),
            "Touchpoint 'Statistics' (product plausible) staat in het register, maar is niet gezien in 1 "
            "bewijsbestand met 100 verzoeken");

  auto unknown_f = Of(r, "BS016-unknown-product");
  ASSERT_EQ(unknown_f.size(), 1u);
  EXPECT_EQ(unknown_f[0].subject_id, "tp-acme");
  EXPECT_EQ(unknown_f[0].severity, Severity::kLow);
  EXPECT_EQ(unknown_f[0].path, "touchpoints[tp-acme].product");
}

TEST(Reconcile, ImpliedTouchpointMatchedByProduct) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint ca = reg.touchpoints[0];
  ca.id = "tp-audiences";
  ca.name = "Custom audiences";
  ca.product = "meta-custom-audiences";
  reg.touchpoints.push_back(ca);
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint implied = Detected(*kb, "meta-custom-audiences", 0, {});
  implied.implied_by = "meta-pixel";
  det.touchpoints.push_back(implied);

  AuditResult r = Audit(reg, kb, std::move(det));
  ASSERT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].kb_id, "meta-custom-audiences");
  ASSERT_NE(r.touchpoints[0].registered, nullptr);
  EXPECT_EQ(r.touchpoints[0].registered->id, "tp-audiences");
  EXPECT_EQ(r.touchpoints[0].detected->implied_by, "meta-pixel");
  EXPECT_TRUE(Of(r, "BS001-blind-spot").empty());
  EXPECT_TRUE(Of(r, "BS002-not-seen").empty());
}

TEST(Reconcile, ImpliedTouchpointNotRegisteredIsBlindSpot) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint implied = Detected(*kb, "meta-custom-audiences", 0, {});
  implied.implied_by = "meta-pixel";
  det.touchpoints.push_back(implied);
  AuditResult r = Audit(reg, kb, std::move(det));
  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(blind[0].subject_id, "meta-custom-audiences");
  EXPECT_EQ(blind[0].detail.id, "BS001-blind-spot.implied_only");
  EXPECT_EQ(
      En(blind[0]),
      "Meta Custom Audiences (meta-custom-audiences) is shown to be in use by a data signal of meta-pixel, "
      "but is not in the register; the vendor processes data in US (outside the EEA), so record the transfer "
      "too");
  EXPECT_NE(Nl(blind[0]).find("blijkt in gebruik door een datasignaal van meta-pixel"), std::string::npos);
  EXPECT_NE(De(blind[0]).find("wird laut einem Datensignal von meta-pixel verwendet"), std::string::npos);
}

TEST(Reconcile, InferredTouchpointIsNotABlindSpotButAnInference) {
  auto kb = TestKb();
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint inferred = Detected(*kb, "meta-custom-audiences", 2, {"https://voorbeeld.nl/"});
  inferred.implied_by = "meta-pixel";
  inferred.confidence = InferenceConfidence::kLow;
  for (const char* p : {"ud[em]", "ud[ph]"}) {
    EvidenceItem e;
    e.kind = EvidenceKind::kSignal;
    e.via = "meta-pixel";
    e.signal_id = "advanced-matching";
    e.signal_param = p;
    inferred.evidence.push_back(e);
  }
  det.touchpoints.push_back(inferred);
  AuditResult r = Audit(CleanRegister(), kb, std::move(det));
  EXPECT_TRUE(Of(r, "BS001-blind-spot").empty());
  auto inf = Of(r, "BS020-inferred-touchpoint");
  ASSERT_EQ(inf.size(), 1u);
  EXPECT_EQ(inf[0].severity, Severity::kMedium);
  EXPECT_EQ(
      En(inf[0]),
      "Meta Custom Audiences (meta-custom-audiences) was not seen, but is inferred from meta-pixel "
      "(confidence: low) by signal advanced-matching (ud[em], ud[ph]); it is not in the register; if it "
      "is in use, the vendor processes data in US (outside the EEA), so record the transfer too");
  EXPECT_NE(Nl(inf[0]).find("afgeleid uit meta-pixel (zekerheid: laag)"), std::string::npos) << Nl(inf[0]);
  EXPECT_NE(De(inf[0]).find("(Sicherheit: niedrig)"), std::string::npos) << De(inf[0]);
  const ReconciledTouchpoint* row = nullptr;
  for (const auto& t : r.touchpoints)
    if (t.kb_id == "meta-custom-audiences") row = &t;
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(row->inferred());
  EXPECT_FALSE(row->blind_spot());
}

TEST(Reconcile, ImpliedWithHighConfidenceIsABlindSpotNamingTheSignal) {
  std::vector<KbEntry> entries = TestKbEntries();
  for (KbEntry& e : entries)
    if (e.id == "meta-custom-audiences") e.vendor.transfer_mechanism = TransferSafeguard::kSccs;
  auto kb = std::make_shared<const Kb>(Kb::FromEntries(entries));
  DetectionResult det = CleanDetection(*kb);
  DetectedTouchpoint implied = Detected(*kb, "meta-custom-audiences", 1, {"https://voorbeeld.nl/"});
  implied.implied_by = "meta-pixel";  // confidence kHigh: the signal is the product's own data flow
  EvidenceItem e;
  e.kind = EvidenceKind::kSignal;
  e.via = "meta-pixel";
  e.signal_id = "advanced-matching";
  e.signal_param = "ud[em]";
  implied.evidence.push_back(e);
  det.touchpoints.push_back(implied);
  AuditResult r = Audit(CleanRegister(), kb, std::move(det));
  EXPECT_TRUE(Of(r, "BS020-inferred-touchpoint").empty());
  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  // The mechanism the vendor relies on is a vocabulary term: "SCCs" reads "standard contractual clauses".
  EXPECT_EQ(
      En(blind[0]),
      "Meta Custom Audiences (meta-custom-audiences) is shown to be in use by a data signal of meta-pixel, "
      "but is not in the register; data signals seen: advanced-matching (ud[em]); the vendor processes "
      "data in US (outside the EEA; relies on standard contractual clauses), so record the transfer too");
  EXPECT_NE(Nl(blind[0]).find("beroept zich op modelcontractbepalingen"), std::string::npos) << Nl(blind[0]);
}

TEST(Reconcile, TwoRegisteredTouchpointsForOneProductAreBothSeen) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint second = reg.touchpoints[0];
  second.id = "tp-meta-shop";
  reg.touchpoints.push_back(second);
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  ASSERT_EQ(r.touchpoints.size(), 2u);
  EXPECT_EQ(r.touchpoints[0].registered->id, "tp-meta");
  EXPECT_EQ(r.touchpoints[1].registered->id, "tp-meta-shop");
  EXPECT_EQ(r.touchpoints[0].detected, r.touchpoints[1].detected);
  EXPECT_TRUE(Of(r, "BS002-not-seen").empty());
}

TEST(Reconcile, BlindSpotDetailListsDataSignals) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  reg.touchpoints.clear();
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  auto blind = Of(r, "BS001-blind-spot");
  ASSERT_EQ(blind.size(), 1u);
  EXPECT_EQ(
      En(blind[0]),
      "Meta Pixel (meta-pixel) was seen on 2 pages (12 pieces of evidence) but is not in the register; "
      "data signals seen: user.contact.email (ud[em]); the vendor processes data in US (outside the EEA; "
      "relies on EU-US Data Privacy Framework), so record the transfer too");
  EXPECT_EQ(
      De(blind[0]),
      "Meta Pixel (meta-pixel) wurde auf 2 Seiten gesehen (12 Nachweise), steht aber nicht im "
      "Verzeichnis von "
      "Verarbeitungstätigkeiten; gesehene Datensignale: user.contact.email (ud[em]); der Anbieter "
      "verarbeitet "
      "Daten in US (außerhalb des EWR; stützt sich auf EU-US Data Privacy Framework), erfassen Sie daher "
      "auch die Übermittlung");
}

TEST(Audit, FindingsSortedBySeverityThenRuleThenSubject) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  reg.activities[0].purposes[0].lawful_basis.reset();  // BS004 high
  reg.activities[0].retention.clear();                 // BS011 medium
  reg.touchpoints[0].answers.in_use.reset();           // BS013 low
  DetectionResult det = CleanDetection(*kb);
  det.touchpoints.push_back(Detected(*kb, "hotjar", 1, {"p"}));  // BS001 high
  AuditResult r = Audit(reg, kb, std::move(det));
  ASSERT_GE(r.findings.size(), 4u);
  for (size_t i = 1; i < r.findings.size(); ++i) {
    const Finding& a = r.findings[i - 1];
    const Finding& b = r.findings[i];
    EXPECT_TRUE(a.severity > b.severity ||
                (a.severity == b.severity &&
                 (a.rule_id < b.rule_id || (a.rule_id == b.rule_id && a.subject_id <= b.subject_id))))
        << a.rule_id << " before " << b.rule_id;
  }
  EXPECT_EQ(r.findings.front().rule_id, "BS001-blind-spot");
  EXPECT_EQ(r.findings.back().rule_id, "BS013-touchpoint-question-unanswered");
  EXPECT_EQ(r.findings.size(), 4u);
  EXPECT_EQ(r.CountAtLeast(Severity::kHigh), 2u);  // BS001 hotjar, BS004 (hotjar processes in MT: EEA)
  EXPECT_EQ(r.CountAtLeast(Severity::kMedium), 3u);
  EXPECT_EQ(r.CountAtLeast(Severity::kInfo), r.findings.size());
}

TEST(Audit, SubjectsOfOneRuleAreSortedById) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  for (const char* id : {"zeta", "alpha", "mid"}) {
    ProcessingActivity a = reg.activities[0];
    a.id = id;
    a.name.clear();  // the display name falls back to the id
    a.toms = {};
    reg.activities.push_back(a);
  }
  AuditResult r = Audit(reg, kb, CleanDetection(*kb));
  auto f = Of(r, "BS012-toms-missing");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].subject_id, "alpha");
  EXPECT_EQ(f[1].subject_id, "mid");
  EXPECT_EQ(f[2].subject_id, "zeta");
  EXPECT_EQ(f[0].subject_name, "alpha");
  EXPECT_EQ(f[0].path, "activities[alpha].toms");
  EXPECT_EQ(En(f[0]),
            "Activity 'alpha' does not describe its technical and organisational measures (Art. 30(1)(g))");
}

// ---- AuditResult ownership ------------------------------------------------------

static_assert(!std::is_copy_constructible_v<AuditResult>, "rows would point into the original");
static_assert(!std::is_copy_assignable_v<AuditResult>, "rows would point into the original");
static_assert(std::is_nothrow_move_constructible_v<AuditResult>);
static_assert(std::is_move_assignable_v<AuditResult>);

// Every row points into the result's own detection and register.
void ExpectRowsPointInto(const AuditResult& r) {
  ASSERT_NE(r.reg, nullptr);
  for (const ReconciledTouchpoint& row : r.touchpoints) {
    if (row.detected) {
      EXPECT_GE(row.detected, r.detection.touchpoints.data()) << row.kb_id;
      EXPECT_LT(row.detected, r.detection.touchpoints.data() + r.detection.touchpoints.size()) << row.kb_id;
      EXPECT_EQ(row.detected->kb_id, row.kb_id);
    }
    if (row.registered) {
      EXPECT_GE(row.registered, r.reg->touchpoints.data()) << row.kb_id;
      EXPECT_LT(row.registered, r.reg->touchpoints.data() + r.reg->touchpoints.size()) << row.kb_id;
    }
    if (row.kb) {
      EXPECT_EQ(row.kb, r.kb->Find(row.kb_id)) << row.kb_id;
    }
  }
}

TEST(AuditResultOwnership, MovingKeepsRowPointersValid) {
  auto kb = TestKb();
  Register reg = CleanRegister();
  Touchpoint extra;
  extra.id = "tp-plausible";
  extra.product = "plausible";
  reg.touchpoints.push_back(extra);
  DetectionResult det = CleanDetection(*kb);
  det.touchpoints.push_back(Detected(*kb, "hotjar", 3, {"https://voorbeeld.nl/"}));

  AuditResult original = Audit(reg, kb, std::move(det));
  ASSERT_EQ(original.touchpoints.size(), 3u);
  const DetectedTouchpoint* detected0 = original.touchpoints[0].detected;
  const Touchpoint* registered1 = original.touchpoints[1].registered;
  const Register* reg_ptr = original.reg.get();
  size_t findings = original.findings.size();

  AuditResult moved(std::move(original));
  ExpectRowsPointInto(moved);
  ASSERT_EQ(moved.touchpoints.size(), 3u);
  EXPECT_EQ(moved.reg.get(), reg_ptr);                  // shared, not copied
  EXPECT_EQ(moved.touchpoints[0].detected, detected0);  // the vector's buffer moved with it
  EXPECT_EQ(moved.touchpoints[0].detected, &moved.detection.touchpoints[0]);
  EXPECT_EQ(moved.touchpoints[0].detected->kb_id, "hotjar");
  EXPECT_EQ(moved.touchpoints[1].registered, registered1);
  EXPECT_EQ(moved.touchpoints[1].registered, &moved.reg->touchpoints[0]);
  EXPECT_EQ(moved.touchpoints[1].registered->id, "tp-meta");
  EXPECT_EQ(moved.touchpoints[2].registered->id, "tp-plausible");
  EXPECT_EQ(moved.findings.size(), findings);

  // Move assignment into a result that held another audit; then the first
  // holder goes away and the rows still read valid data.
  AuditResult target = Audit(CleanRegister(), kb, CleanDetection(*kb));
  target = std::move(moved);
  ExpectRowsPointInto(target);
  EXPECT_EQ(target.touchpoints[0].detected->kb_id, "hotjar");
  EXPECT_EQ(target.touchpoints[0].detected->evidence_count, 3u);
  EXPECT_EQ(target.touchpoints[1].registered->name, "Meta Pixel on the website");

  // Stored in a container that reallocates: still valid.
  std::vector<AuditResult> many;
  many.push_back(std::move(target));
  for (int i = 0; i < 8; ++i) many.push_back(Audit(CleanRegister(), kb, CleanDetection(*kb)));
  ExpectRowsPointInto(many[0]);
  EXPECT_EQ(many[0].touchpoints[2].registered->id, "tp-plausible");
  for (const AuditResult& r : many) ExpectRowsPointInto(r);
}

TEST(AuditResultOwnership, ResultOutlivesTheCallersRegisterAndKb) {
  AuditResult r;
  {
    auto kb = TestKb();
    auto reg = std::make_shared<const Register>(CleanRegister());
    DetectionResult det = CleanDetection(*kb);
    r = RunAudit(reg, kb, std::move(det));
    EXPECT_EQ(r.reg.get(), reg.get());
    EXPECT_EQ(reg.use_count(), 2);
  }
  // The register and kb are kept alive by the result; the caller's pointers are gone.
  EXPECT_EQ(r.reg.use_count(), 1);
  EXPECT_EQ(r.kb.use_count(), 1);
  ExpectRowsPointInto(r);
  ASSERT_EQ(r.touchpoints.size(), 1u);
  EXPECT_EQ(r.touchpoints[0].registered->name, "Meta Pixel on the website");
  ASSERT_NE(r.touchpoints[0].kb, nullptr);
  EXPECT_EQ(r.touchpoints[0].kb->name, "Meta Pixel");
  EXPECT_EQ(r.kb->entries().size(), 4u);
}

// ---- rule catalogue ----------------------------------------------------------------

TEST(Catalogue, RulesAreCompleteAndUnique) {
  const TextCatalog& cat = TextCatalog::Builtin();
  const auto& rules = AllRules();
  ASSERT_EQ(rules.size(), 56u);
  std::set<std::string> ids;
  for (const Rule& r : rules) {
    ASSERT_NE(r.meta, nullptr);
    const RuleMeta& m = *r.meta;
    EXPECT_TRUE(ids.insert(m.id).second) << "duplicate " << m.id;
    EXPECT_EQ(m.id.rfind("BS", 0), 0u) << m.id;
    for (const char* lang : {"en", "nl", "de"}) {
      ASSERT_NE(m.title.Find(lang), nullptr) << m.id << " " << lang;
      EXPECT_FALSE(m.title.Find(lang)->empty()) << m.id << " " << lang;
      ASSERT_NE(m.remediation.Find(lang), nullptr) << m.id << " " << lang;
      EXPECT_FALSE(m.remediation.Find(lang)->empty()) << m.id << " " << lang;
      // Every rule says what to do for the action list, naming its subject.
      ASSERT_NE(m.action.Find(lang), nullptr) << m.id << " " << lang;
      EXPECT_NE(m.action.Find(lang)->find("{subject}"), std::string::npos) << m.id << " " << lang;
    }
    EXPECT_NE(m.action.Get("en"), m.action.Get("nl")) << m.id;
    EXPECT_NE(m.action.Get("en"), m.action.Get("de")) << m.id;
    EXPECT_NE(m.title.Get("en"), m.title.Get("nl")) << m.id;
    EXPECT_NE(m.title.Get("en"), m.title.Get("de")) << m.id;
    EXPECT_NE(m.remediation.Get("en"), m.remediation.Get("nl")) << m.id;
    EXPECT_NE(m.remediation.Get("en"), m.remediation.Get("de")) << m.id;
    ASSERT_GE(m.sources.size(), 1u) << m.id;
    for (const Source& s : m.sources) {
      EXPECT_FALSE(s.Title("en").empty()) << m.id << " " << s.id;
      EXPECT_EQ(s.url.rfind("https://", 0), 0u) << m.id << " " << s.url;
    }
    EXPECT_TRUE(r.check) << m.id;
    EXPECT_EQ(cat.FindRule(m.id), &m);
  }
  EXPECT_TRUE(std::is_sorted(rules.begin(), rules.end(),
                             [](const Rule& a, const Rule& b) { return a.meta->id < b.meta->id; }));
  EXPECT_EQ(cat.FindRule("BS999-nope"), nullptr);
  ASSERT_NE(cat.FindRule("BS001-blind-spot"), nullptr);
  EXPECT_EQ(cat.FindRule("BS001-blind-spot")->severity, Severity::kHigh);
}

std::string ReadDoc() {
  std::ifstream in(BLINDSPOT_SOURCE_DIR "/docs/rules.md", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RulesMarkdown() {
  auto md = app::Rules(app::Options{}, "md");
  EXPECT_TRUE(md.has_value()) << (md ? "" : md.error().front().Format());
  return md ? *md : std::string();
}

TEST(Catalogue, DocsListEveryRuleAndMatchGenerator) {
  if (const char* u = std::getenv("UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(BLINDSPOT_SOURCE_DIR "/docs/rules.md", std::ios::binary) << RulesMarkdown();
  }
  std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "docs/rules.md missing";
  for (const Rule& r : AllRules()) {
    EXPECT_NE(doc.find("| `" + r.meta->id + "` |"), std::string::npos) << r.meta->id;
    EXPECT_NE(doc.find("## " + r.meta->id + "\n"), std::string::npos) << r.meta->id;
  }
  // Compared without printing both texts (they are long); run with UPDATE_GOLDEN=1 to regenerate.
  std::string md = RulesMarkdown();
  size_t diff = 0;
  while (diff < doc.size() && diff < md.size() && doc[diff] == md[diff]) ++diff;
  EXPECT_TRUE(doc == md) << "docs/rules.md differs from `blindspot rules --format md` at byte " << diff
                         << ": '" << doc.substr(diff, 60) << "' vs '" << md.substr(diff, 60)
                         << "'; regenerate with `blindspot rules --format md > docs/rules.md`";
}

TEST(Catalogue, MarkdownShape) {
  std::string md = RulesMarkdown();
  EXPECT_EQ(md.rfind("# Audit rules\n", 0), 0u);
  EXPECT_NE(md.find("| `BS006-consent-required` | medium | touchpoint | Touchpoint requires consent"),
            std::string::npos);
  EXPECT_NE(md.find("[Telecommunicatiewet (NL), art. 11.7a (Dutch cookie "
                    "rule)](https://wetten.overheid.nl/BWBR0009950/#Hoofdstuk11_Paragraaf11.1_Artikel11.7a)"),
            std::string::npos);
  // Every language of the catalogue, with the Dutch citation of the same source.
  EXPECT_NE(md.find("\n### Nederlands\n"), std::string::npos);
  EXPECT_NE(md.find("\n### Deutsch\n"), std::string::npos);
  EXPECT_NE(md.find("[Telecommunicatiewet art. 11.7a "
                    "(cookiebepaling)](https://wetten.overheid.nl/BWBR0009950/"
                    "#Hoofdstuk11_Paragraaf11.1_Artikel11.7a)"),
            std::string::npos);
  EXPECT_EQ(md.back(), '\n');
}

TEST(Severity, StringsRoundTrip) {
  for (Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh}) {
    auto parsed = ParseSeverity(ToString(s));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(ToString(Severity::kHigh), "high");
  EXPECT_FALSE(ParseSeverity("critical").has_value());
  EXPECT_FALSE(ParseSeverity("").has_value());
  EXPECT_EQ(ToString(SubjectKind::kDetected), "detected");
  EXPECT_EQ(ToString(SubjectKind::kProcessor), "processor");
  for (SubjectKind k : {SubjectKind::kRegister, SubjectKind::kOrganisation, SubjectKind::kActivity,
                        SubjectKind::kProcessor, SubjectKind::kTouchpoint, SubjectKind::kDetected}) {
    auto parsed = ParseSubjectKind(ToString(k));
    ASSERT_TRUE(parsed.has_value()) << ToString(k);
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_FALSE(ParseSubjectKind("vendor").has_value());
}

}  // namespace
}  // namespace blindspot

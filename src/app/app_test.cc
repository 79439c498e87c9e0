// The application layer on an in-memory file system (MemEnv): what is read
// and written where, what is refused (and that nothing is written then), exit
// codes, size limits, --fail-on, notes in the user's language, and how
// reports name their inputs.
#include "blindspot/app.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "blindspot/catalog.h"
#include "blindspot/env.h"
#include "blindspot/io.h"
#include "blindspot/text_ids.h"

namespace blindspot {
namespace {

using nlohmann::json;

const std::string kHome = "/clients/acme/captures/home.har";
const std::string kCheckout = "/clients/acme/captures/checkout.har";
const std::string kRegister = "/clients/acme/register.yaml";

std::string Slurp(const std::string& rel) {
  auto text = Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel, 1 << 26);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().Format());
  return text ? *text : std::string();
}

std::string Say(const Message& m, const std::string& lang) { return TextCatalog::Builtin().Render(m, lang); }

std::string Errors(const Diagnostics& d) {
  std::string s;
  for (const Error& e : d) s += e.Format();
  return s;
}

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = Slurp("examples/webshop/har/home.har");
    checkout_ = Slurp("examples/webshop/har/checkout.har");
    register_ = Slurp("examples/webshop/register.yaml");
    ASSERT_FALSE(home_.empty() || checkout_.empty() || register_.empty());
    env_.AddFile(kHome, home_);
    env_.AddFile(kCheckout, checkout_);
    env_.AddFile(kRegister, register_);
    env_.AddDirectory("/out");
    o_.env = &env_;
    o_.default_filter_lists = false;  // the in-memory Env has no system filter lists
  }

  app::AuditRequest Request(std::string out = "", std::string format = "") const {
    app::AuditRequest r;
    r.register_path = kRegister;
    r.evidence = {kHome, kCheckout};
    r.out_path = std::move(out);
    r.format = std::move(format);
    return r;
  }

  // Expects `files` unchanged and nothing written at all.
  void ExpectNothingWritten() {
    EXPECT_EQ(env_.writes(), 0u);
    ASSERT_NE(env_.Contents(kHome), nullptr);
    EXPECT_EQ(*env_.Contents(kHome), home_);
    EXPECT_EQ(*env_.Contents(kCheckout), checkout_);
    EXPECT_EQ(*env_.Contents(kRegister), register_);
  }

  MemEnv env_;
  app::Options o_;
  std::string home_, checkout_, register_;
};

// ---------------------------------------------------------------- audit: outputs

TEST_F(AppTest, AuditWritesTheReportThroughTheEnv) {
  env_.SetNow("2026-12-02T10:00:00Z");
  auto out = app::Audit(o_, Request("/out/report.html"));
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  EXPECT_TRUE(out->written);
  EXPECT_EQ(env_.writes(), 1u);
  const std::string* written = env_.Contents("/out/report.html");
  ASSERT_NE(written, nullptr);
  EXPECT_EQ(*written, out->output);
  EXPECT_NE(written->find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(written->find("2026-12-02T10:00:00Z"), std::string::npos);  // the Env's clock
  EXPECT_NE(written->find(app::kVersion), std::string::npos);
  EXPECT_TRUE(out->summary.starts_with("/out/report.html: ")) << out->summary;
  // The example's Custom Audiences touchpoint is only inferred (from the
  // pixel's advanced matching): counted apart, as in the report's summary.
  EXPECT_EQ(out->summary,
            "/out/report.html: 6 touchpoints detected (+1 inferred), 3 blind spots, 19 findings (8 high)");
  EXPECT_FALSE(out->result.findings.empty());
  EXPECT_FALSE(out->source_map.empty());
  // Inputs are only read.
  EXPECT_EQ(*env_.Contents(kRegister), register_);
  // Without a timestamp the report is reproducible.
  app::AuditRequest r = Request("/out/a.json");
  r.timestamp = false;
  auto a = app::Audit(o_, r);
  env_.SetNow("2027-01-01T00:00:00Z");
  r.out_path = "/out/b.json";
  auto b = app::Audit(o_, r);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*env_.Contents("/out/a.json"), *env_.Contents("/out/b.json"));
  EXPECT_EQ(env_.Contents("/out/a.json")->find("generated_at"), std::string::npos);
}

TEST_F(AppTest, AuditToStandardOutputWritesNothing) {
  for (const char* out : {"", "-"}) {
    auto r = app::Audit(o_, Request(out, "json"));
    ASSERT_TRUE(r.has_value()) << Errors(r.error());
    EXPECT_FALSE(r->written);
    EXPECT_TRUE(r->summary.empty());
    EXPECT_EQ(json::parse(r->output)["blindspot_report"], 2);
  }
  ExpectNothingWritten();
}

// An --out that names an input is refused before anything is written: the
// register and the HAR stay as they were.
TEST_F(AppTest, OutputPathThatIsAnInputIsRefused) {
  for (const std::string& input : {kRegister, kHome, kCheckout}) {
    SCOPED_TRACE(input);
    auto r = app::Audit(o_, Request(input, "json"));
    ASSERT_FALSE(r.has_value());
    ASSERT_EQ(r.error().size(), 1u);
    const Error& e = r.error()[0];
    EXPECT_EQ(e.kind, ErrorKind::kUsage);
    EXPECT_EQ(e.message, "the output file is one of the inputs; it would be overwritten");
    EXPECT_EQ(e.hint, "choose another file name for --out, e.g. report.json");
    EXPECT_EQ(e.where.file, input);
    EXPECT_EQ(app::ExitCodeFor(r.error()), app::kExitBadInput);
    EXPECT_EQ(app::ExitCodeFor(r.error()), 2);
  }
  // Without --format the extension is checked first (.har and .yaml are no report formats): refused too.
  for (const std::string& input : {kRegister, kHome}) {
    auto r = app::Audit(o_, Request(input));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error()[0].kind, ErrorKind::kUsage);
    EXPECT_EQ(app::ExitCodeFor(r.error()), 2);
  }
  ExpectNothingWritten();
  // The same check guards detect.
  app::DetectRequest d;
  d.evidence = {kHome};
  d.format = "json";
  d.out_path = kHome;
  auto det = app::Detect(o_, d);
  ASSERT_FALSE(det.has_value());
  EXPECT_EQ(det.error()[0].message, "the output file is one of the inputs; it would be overwritten");
  ExpectNothingWritten();
}

TEST_F(AppTest, WriteFailureIsAnIoError) {
  env_.FailWrites("/readonly/");
  auto r = app::Audit(o_, Request("/readonly/report.html"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].kind, ErrorKind::kIo);
  EXPECT_EQ(r.error()[0].where.file, "/readonly/report.html");
  EXPECT_NE(r.error()[0].message.find("write failed"), std::string::npos) << r.error()[0].message;
  EXPECT_EQ(app::ExitCodeFor(r.error()), app::kExitIo);
  EXPECT_EQ(app::ExitCodeFor(r.error()), 4);
  EXPECT_EQ(env_.Contents("/readonly/report.html"), nullptr);
  ExpectNothingWritten();
}

TEST_F(AppTest, OutputThatNamesADirectoryIsBadInput) {
  // An existing directory, or a path ending in '/': refused before any work, exit code 2.
  for (const std::string& out : {std::string("/out"), std::string("/out/"), std::string("/nowhere/")}) {
    SCOPED_TRACE(out);
    auto dir = app::Audit(o_, Request(out, "html"));
    ASSERT_FALSE(dir.has_value());
    EXPECT_EQ(dir.error()[0].kind, ErrorKind::kUsage);
    EXPECT_EQ(dir.error()[0].message, "--out names a directory, not a file");
    EXPECT_EQ(dir.error()[0].hint, "add a file name, e.g. /" +
                                       std::string(out == "/nowhere/" ? "nowhere" : "out") + "/report.html");
    EXPECT_EQ(app::ExitCodeFor(dir.error()), 2);
  }
  app::DetectRequest d;
  d.evidence = {kHome};
  d.out_path = "/out";
  auto det = app::Detect(o_, d);
  ASSERT_FALSE(det.has_value());
  EXPECT_EQ(det.error()[0].hint, "add a file name, e.g. /out/detection.txt");
  ExpectNothingWritten();
}

TEST_F(AppTest, ExplicitFormatThatContradictsTheExtensionIsNoted) {
  auto r = app::Audit(o_, Request("/out/report.html", "json"));
  ASSERT_TRUE(r.has_value()) << Errors(r.error());
  ASSERT_FALSE(r->notes.empty());
  EXPECT_EQ(r->notes.front(),
            "warning: /out/report.html: writing json, but the extension .html is that of html");
  o_.lang = "de";
  auto de = app::Audit(o_, Request("/out/report.yaml", "text"));
  ASSERT_TRUE(de.has_value()) << Errors(de.error());
  EXPECT_EQ(de->notes.front(),
            "Warnung: /out/report.yaml: Ausgabe als text, aber die Endung .yaml gehört zu yaml");
  // The format from the extension, or a matching or unknown extension: no note.
  for (auto [out, format] : {std::pair<std::string, std::string>{"/out/r.html", ""},
                             {"/out/r.htm", "html"},
                             {"/out/r.report", "json"}}) {
    auto ok = app::Audit(o_, Request(out, format));
    ASSERT_TRUE(ok.has_value()) << Errors(ok.error());
    for (const std::string& n : ok->notes) EXPECT_EQ(n.find("Warnung"), std::string::npos) << n;
  }
}

// ---------------------------------------------------------------- audit: inputs

TEST_F(AppTest, MissingOrUnreadableHarIsAnIoError) {
  app::AuditRequest req = Request("/out/report.html");
  req.evidence = {kHome, "/clients/acme/captures/missing.har"};
  auto r = app::Audit(o_, req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].kind, ErrorKind::kIo);
  EXPECT_EQ(r.error()[0].where.file, "/clients/acme/captures/missing.har");
  EXPECT_NE(r.error()[0].message.find("No such file"), std::string::npos);
  EXPECT_EQ(app::ExitCodeFor(r.error()), 4);
  env_.FailReads(kCheckout);
  auto unreadable = app::Audit(o_, Request("/out/report.html"));
  ASSERT_FALSE(unreadable.has_value());
  EXPECT_EQ(unreadable.error()[0].where.file, kCheckout);
  EXPECT_EQ(app::ExitCodeFor(unreadable.error()), 4);
  // A missing register too.
  app::AuditRequest no_reg = Request("/out/report.html");
  no_reg.register_path = "/clients/acme/missing.yaml";
  auto m = app::Audit(o_, no_reg);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(app::ExitCodeFor(m.error()), 4);
  ExpectNothingWritten();
}

TEST_F(AppTest, TooLargeInputIsRefusedWithItsSize) {
  o_.limits.max_evidence_bytes = 1000;
  auto r = app::Audit(o_, Request("/out/report.html"));
  ASSERT_FALSE(r.has_value());
  const Error& e = r.error()[0];
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.where.file, kHome);
  EXPECT_EQ(e.message, fmt::format("input too large: {} ({} bytes), the limit is 1000 bytes",
                                   HumanSize(home_.size()), home_.size()));
  EXPECT_NE(e.hint.find("--max-input-size"), std::string::npos) << e.hint;
  EXPECT_EQ(app::ExitCodeFor(r.error()), 2);
  // The register has its own limit.
  o_.limits = InputLimits{};
  o_.limits.max_text_bytes = 4096;
  auto reg = app::Audit(o_, Request("/out/report.html"));
  ASSERT_FALSE(reg.has_value());
  EXPECT_EQ(reg.error()[0].where.file, kRegister);
  EXPECT_NE(reg.error()[0].message.find(fmt::format("({} bytes)", register_.size())), std::string::npos)
      << reg.error()[0].message;
  EXPECT_NE(reg.error()[0].message.find("the limit is " + HumanSize(4096)), std::string::npos)
      << reg.error()[0].message;
  ExpectNothingWritten();
}

TEST_F(AppTest, BadRegisterReturnsEveryProblemAndWritesNothing) {
  env_.AddFile(
      "/clients/acme/bad.yaml",
      "blindspot_register: 1\norganisation:\n  name: X\n  country: XX\nactivities:\n  - id: a\n    name: A\n"
      "    colour: blue\n");
  app::AuditRequest req = Request("/out/report.html");
  req.register_path = "/clients/acme/bad.yaml";
  auto r = app::Audit(o_, req);
  ASSERT_FALSE(r.has_value());
  EXPECT_GE(r.error().size(), 2u) << Errors(r.error());
  for (const Error& e : r.error()) {
    EXPECT_EQ(e.where.file, "/clients/acme/bad.yaml");
    EXPECT_GT(e.where.line, 0u) << e.Format();
  }
  EXPECT_EQ(app::ExitCodeFor(r.error()), 2);
  ExpectNothingWritten();
}

TEST_F(AppTest, EmptyCaptureIsRefused) {
  env_.AddFile("/clients/acme/captures/empty.har", R"({"log": {"version": "1.2", "entries": []}})");
  app::AuditRequest req = Request("/out/report.html");
  req.evidence = {"/clients/acme/captures/empty.har"};
  auto r = app::Audit(o_, req);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].kind, ErrorKind::kUsage);
  EXPECT_EQ(r.error()[0].message, "the evidence contains no requests, so there is nothing to audit");
  EXPECT_EQ(app::ExitCodeFor(r.error()), 2);
  ExpectNothingWritten();
  // Detection says so in a note and goes on.
  app::DetectRequest d;
  d.evidence = {"/clients/acme/captures/empty.har"};
  o_.lang = "nl";
  auto det = app::Detect(o_, d);
  ASSERT_TRUE(det.has_value()) << Errors(det.error());
  EXPECT_EQ(det->notes, std::vector<std::string>{Say(Message(ui::note_no_requests), "nl")});
  EXPECT_TRUE(det->detection.touchpoints.empty());
}

// ---------------------------------------------------------------- --fail-on

// "failing: 9 findings at or above high: BS001 x8, BS006 x1": the counts per
// rule, most first, add up to the number of failing findings.
void CheckFailingLine(const app::AuditOutcome& out, const std::string& lang, const std::string& prefix,
                      const std::string& middle) {
  SCOPED_TRACE(lang);
  std::smatch m;
  std::regex re("^" + prefix + "(\\d+) " + middle + "((BS\\d{3}) x(\\d+)(, BS\\d{3} x\\d+)*)$");
  ASSERT_TRUE(std::regex_match(out.failing_line, m, re)) << out.failing_line;
  EXPECT_EQ(std::stoul(m[1].str()), out.failing);
  std::string list = m[2].str();
  size_t sum = 0, last = SIZE_MAX;
  std::regex item(R"((BS\d{3}) x(\d+))");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it) {
    size_t n = std::stoul((*it)[2].str());
    EXPECT_LE(n, last) << "most findings first: " << list;
    last = n;
    sum += n;
    size_t expected = 0;
    for (const Finding& f : out.result.findings)
      if (f.severity >= Severity::kHigh && f.rule_id.starts_with((*it)[1].str() + "-")) ++expected;
    EXPECT_EQ(n, expected) << (*it)[1];
  }
  EXPECT_EQ(sum, out.failing);
}

TEST_F(AppTest, FailOnHighCountsAndNamesTheFailingRules) {
  app::AuditRequest req = Request();
  req.register_path.clear();  // an empty register: every detected touchpoint is a blind spot (BS001, high)
  req.fail_on = Severity::kHigh;
  auto en = app::Audit(o_, req);
  ASSERT_TRUE(en.has_value()) << Errors(en.error());
  EXPECT_GT(en->failing, 0u);
  EXPECT_EQ(en->failing, en->result.CountAtLeast(Severity::kHigh));
  size_t blind = 0, inferred = 0;
  for (const auto& t : en->result.touchpoints) {
    blind += t.blind_spot();
    inferred += t.inferred();  // suggested only (BS020, medium): not failing at high
  }
  EXPECT_EQ(blind + inferred, en->result.detection.touchpoints.size());
  ASSERT_TRUE(en->failing_line.starts_with(
      fmt::format("failing: {} findings at or above high: BS001 x{}", en->failing, blind)))
      << en->failing_line;
  CheckFailingLine(*en, "en", "failing: ", "findings at or above high: ");

  o_.lang = "nl";
  auto nl = app::Audit(o_, req);
  ASSERT_TRUE(nl.has_value());
  EXPECT_EQ(nl->failing, en->failing);
  CheckFailingLine(*nl, "nl", "mislukt: ", "bevindingen van ernst hoog of hoger: ");
  o_.lang = "de";
  auto de = app::Audit(o_, req);
  ASSERT_TRUE(de.has_value());
  CheckFailingLine(*de, "de", "fehlgeschlagen: ", "Befunde mit Schweregrad hoch oder höher: ");
  // The rule list is the same in every language.
  EXPECT_EQ(en->failing_line.substr(en->failing_line.find("BS001")),
            de->failing_line.substr(de->failing_line.find("BS001")));

  // Without --fail-on nothing fails; at info everything does.
  req.fail_on.reset();
  auto none = app::Audit(o_, req);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->failing, 0u);
  EXPECT_TRUE(none->failing_line.empty());
  req.fail_on = Severity::kInfo;
  auto all = app::Audit(o_, req);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->failing, all->result.findings.size());
}

// ---------------------------------------------------------------- notes and names

TEST_F(AppTest, NotesAreInTheOptionsLanguage) {
  app::AuditRequest req = Request();
  req.register_path.clear();
  req.evidence = {kHome, kHome};
  for (const char* lang : {"en", "nl", "de"}) {
    o_.lang = lang;
    auto r = app::Audit(o_, req);
    ASSERT_TRUE(r.has_value()) << Errors(r.error());
    EXPECT_EQ(r->notes,
              (std::vector<std::string>{Say(Message(ui::note_no_register), lang),
                                        Say(Message(ui::note_repeated_input).Text("path", kHome), lang)}))
        << lang;
  }
  o_.lang = "en";
  auto en = app::Audit(o_, req);
  ASSERT_TRUE(en.has_value());
  EXPECT_EQ(en->notes[0], "note: no --register given; auditing against an empty register");
  EXPECT_EQ(en->notes[1], "note: " + kHome + " is given more than once; read once");
  o_.lang = "nl";
  auto nl = app::Audit(o_, req);
  ASSERT_TRUE(nl.has_value());
  EXPECT_EQ(nl->notes[1], "let op: " + kHome + " is meer dan eens opgegeven; één keer gelezen");
  o_.lang = "de";
  auto de = app::Audit(o_, req);
  ASSERT_TRUE(de.has_value());
  EXPECT_EQ(de->notes[0], "Hinweis: kein --register angegeben; die Prüfung verwendet ein leeres Verzeichnis");
  // The summary of a written report follows the language too.
  auto written = app::Audit(o_, Request("/out/bericht.html"));
  ASSERT_TRUE(written.has_value());
  EXPECT_NE(written->summary.find(" erkannt (+1 abgeleitet), "), std::string::npos) << written->summary;
}

TEST_F(AppTest, SameHarTwiceIsReadOnce) {
  app::AuditRequest once = Request();
  once.evidence = {kHome};
  app::AuditRequest twice = Request();
  twice.evidence = {kHome, kHome};
  auto a = app::Audit(o_, once);
  auto b = app::Audit(o_, twice);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(b->result.detection.sources.size(), 1u);
  EXPECT_EQ(b->result.detection.entries, a->result.detection.entries);
  EXPECT_EQ(b->result.detection.bytes, home_.size());
  EXPECT_EQ(std::count(b->notes.begin(), b->notes.end(),
                       Say(Message(ui::note_repeated_input).Text("path", kHome), "en")),
            1);
  EXPECT_EQ(a->notes, std::vector<std::string>{});
  EXPECT_EQ(b->result.findings.size(), a->result.findings.size());
}

// Reports show an input by its base name: a full path can reveal a client's folders.
TEST_F(AppTest, ReportsNameInputsByBaseName) {
  for (const char* format : {"text", "json", "html"}) {
    SCOPED_TRACE(format);
    auto r = app::Audit(o_, Request("", format));
    ASSERT_TRUE(r.has_value()) << Errors(r.error());
    EXPECT_EQ(r->output.find("/clients"), std::string::npos);
    EXPECT_EQ(r->output.find("acme/"), std::string::npos);
    EXPECT_NE(r->output.find("register.yaml"), std::string::npos);
    EXPECT_NE(r->output.find("home.har"), std::string::npos);
    EXPECT_NE(r->output.find("checkout.har"), std::string::npos);
  }
  auto r = app::Audit(o_, Request("", "json"));
  ASSERT_TRUE(r.has_value());
  json j = json::parse(r->output);
  EXPECT_EQ(j["register"]["file"], "register.yaml");
  EXPECT_EQ(j["evidence"]["sources"][0]["name"], "home.har");
  EXPECT_EQ(j["evidence"]["sources"][1]["name"], "checkout.har");
  for (const auto& f : j["findings"]) {
    if (!f["register_location"].is_null()) {
      EXPECT_EQ(f["register_location"]["file"], "register.yaml");
    }
  }
  for (const auto& t : j["touchpoints"])
    for (const auto& e : t["evidence"])
      EXPECT_TRUE(e["source"] == "home.har" || e["source"] == "checkout.har") << e;
  // Errors, on the other hand, name the path as given (the user has to find the file).
  app::AuditRequest bad = Request();
  bad.evidence = {"/clients/acme/captures/nope.har"};
  auto err = app::Audit(o_, bad);
  ASSERT_FALSE(err.has_value());
  EXPECT_EQ(err.error()[0].where.file, "/clients/acme/captures/nope.har");
}

TEST_F(AppTest, SameBaseNameInDifferentFoldersGetsDistinctNames) {
  env_.AddFile("/clients/acme/shop/home.har", home_);
  env_.AddFile("/clients/acme/blog/home.har", checkout_);
  app::AuditRequest req = Request("", "json");
  req.evidence = {"/clients/acme/shop/home.har", "/clients/acme/blog/home.har"};
  auto r = app::Audit(o_, req);
  ASSERT_TRUE(r.has_value()) << Errors(r.error());
  const auto& sources = r->result.detection.sources;
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].name, "home.har");
  EXPECT_EQ(sources[1].name, "blog/home.har");
  EXPECT_NE(sources[0].name, sources[1].name);
  EXPECT_EQ(r->output.find("/clients"), std::string::npos);
  // Evidence keeps the distinct names.
  std::set<std::string> seen;
  for (const auto& t : r->result.detection.touchpoints)
    for (const auto& e : t.evidence) seen.insert(e.source);
  EXPECT_EQ(seen, (std::set<std::string>{"home.har", "blog/home.har"}));
  EXPECT_EQ(r->notes, std::vector<std::string>{});  // different files: no "read once" note
}

// Every source gets a name of its own, however the same base names are spread
// over folders.
TEST_F(AppTest, BaseNamesStayDistinctForManyFilesAndRelativePaths) {
  env_.AddFile("/a/x/home.har", home_);
  env_.AddFile("/b/x/home.har", checkout_);
  env_.AddFile("/c/x/home.har", home_);
  env_.AddFile("captures/home.har", home_);
  env_.AddFile("home.har", checkout_);
  for (const std::vector<std::string>& paths : std::vector<std::vector<std::string>>{
           {"/a/x/home.har", "/b/x/home.har", "/c/x/home.har"}, {"captures/home.har", "home.har"}}) {
    auto sources = app::OpenEvidence(o_, paths, nullptr);
    ASSERT_TRUE(sources.has_value()) << sources.error().Format();
    ASSERT_EQ(sources->sources.size(), paths.size());
    std::set<std::string> names;
    for (const auto& s : sources->sources) names.insert(s->name());
    EXPECT_EQ(names.size(), paths.size())
        << "names collide for " << ::testing::PrintToString(paths) << ": " << ::testing::PrintToString(names);
  }
}

// The same DMARC report in two files (a copy with other line ends, as a
// second download or the .xml beside its .xml.gz would be) is counted once;
// the second file says which file gave it first.
TEST_F(AppTest, RepeatedDmarcReportIsCountedOnce) {
  const std::string xml = Slurp("examples/webshop/discovery/dmarc-google.com-2026-12-01.xml");
  ASSERT_FALSE(xml.empty());
  std::string crlf;
  for (char c : xml) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  env_.AddFile("/in/dmarc.xml", xml);
  env_.AddFile("/in/copy/dmarc-again.xml", crlf);
  auto opened = app::OpenEvidence(o_, {"/in/dmarc.xml", "/in/copy/dmarc-again.xml"}, nullptr);
  ASSERT_TRUE(opened.has_value()) << opened.error().Format();
  ASSERT_EQ(opened->discoveries.size(), 2u);
  const DiscoveryReport& first = *opened->discoveries[0].second;
  const DiscoveryReport& second = *opened->discoveries[1].second;
  uint64_t messages = 0;
  for (const Observation& o : first.observations) messages += o.count;
  EXPECT_GT(messages, 0u);
  EXPECT_TRUE(second.observations.empty());
  ASSERT_EQ(second.warnings.size(), 1u);
  EXPECT_NE(second.warnings[0].message.find("was already read from dmarc.xml; dmarc-again.xml repeats it"),
            std::string::npos)
      << second.warnings[0].message;
  EXPECT_EQ(second.warnings[0].where.file, "/in/copy/dmarc-again.xml");
  EXPECT_TRUE(first.warnings.empty());
  // Counted once in the audit too (the zone's DKIM selectors name the platforms that sent).
  env_.AddFile("/in/shop.zone", Slurp("examples/webshop/discovery/fietshuis-zonnepad.nl.zone"));
  app::AuditRequest req = Request("", "json");
  req.evidence = {"/in/shop.zone", "/in/dmarc.xml", "/in/copy/dmarc-again.xml"};
  auto r = app::Audit(o_, req);
  ASSERT_TRUE(r.has_value()) << Errors(r.error());
  uint64_t counted = 0;
  for (const auto& t : r->result.detection.touchpoints)
    for (const auto& e : t.evidence)
      if (e.kind == EvidenceKind::kRecord && e.record_kind == ObservationKind::kMailSent) counted += e.count;
  std::string notes;
  for (const std::string& n : r->notes) notes += n + "\n";
  EXPECT_NE(notes.find("dmarc-again.xml repeats it"), std::string::npos) << notes;
  EXPECT_GT(counted, 0u);
  EXPECT_LE(counted, messages);
}

// Due dates count from the day of the audit, not from an old capture (user
// run: a year-old export gave due dates in the past); without a timestamp,
// from the evidence, so the report stays reproducible.
TEST_F(AppTest, DueDatesCountFromTheAuditDay) {
  env_.SetNow("2031-03-01T09:00:00Z");
  app::AuditRequest r = Request();
  r.timestamp = true;
  auto a = app::Audit(o_, r);
  ASSERT_TRUE(a.has_value()) << Errors(a.error());
  ASSERT_FALSE(a->result.actions.actions.empty());
  EXPECT_EQ(a->result.actions.date, "2031-03-01");
  for (const Action& act : a->result.actions.actions) EXPECT_GE(act.due, "2031-03-01") << act.rule_id;
  r.timestamp = false;
  auto b = app::Audit(o_, r);
  ASSERT_TRUE(b.has_value()) << Errors(b.error());
  EXPECT_EQ(b->result.actions.date, b->result.detection.LastCaptureDate());
  EXPECT_LT(b->result.actions.date, "2031-03-01");
}

// A zone of another organisation given by mistake is said to be about another
// domain (user run); the shop's own zone and a subdomain of it are not.
TEST_F(AppTest, DiscoveryFileAboutAnotherDomainIsWarned) {
  const std::string zone = Slurp("examples/webshop/discovery/fietshuis-zonnepad.nl.zone");
  ASSERT_FALSE(zone.empty());
  std::string other = zone, sub = zone;
  for (std::string* z : {&other, &sub}) {
    const std::string to = z == &other ? "other-shop.example" : "mail.fietshuis-zonnepad.nl";
    for (size_t at = z->find("fietshuis-zonnepad.nl"); at != std::string::npos;
         at = z->find("fietshuis-zonnepad.nl", at + to.size()))
      z->replace(at, 21, to);
  }
  env_.AddFile("/in/own.zone", zone);
  env_.AddFile("/in/other.zone", other);
  env_.AddFile("/in/sub.zone", sub);
  for (const char* lang : {"en", "nl", "de"}) {
    app::AuditRequest req = Request("", "text");
    req.evidence = {"/in/own.zone", "/in/other.zone", "/in/sub.zone"};
    o_.lang = lang;
    auto r = app::Audit(o_, req);
    ASSERT_TRUE(r.has_value()) << Errors(r.error());
    const auto& ds = r->result.detection.discoveries;
    ASSERT_EQ(ds.size(), 3u);
    EXPECT_EQ(ds[1].report->subject, "other-shop.example");
    EXPECT_EQ(ds[2].report->subject, "mail.fietshuis-zonnepad.nl");
    const char* expected = std::string_view(lang) == "en" ? "this file is about other-shop.example, which is"
                           : std::string_view(lang) == "nl" ? "dit bestand gaat over other-shop.example"
                                                            : "diese Datei betrifft other-shop.example";
    EXPECT_NE(r->output.find(expected), std::string::npos) << lang << "\n" << r->output;
    EXPECT_EQ(r->output.find("about fietshuis-zonnepad.nl, which"), std::string::npos);
    EXPECT_EQ(r->output.find("mail.fietshuis-zonnepad.nl, which"), std::string::npos);
    EXPECT_EQ(r->output.find("mail.fietshuis-zonnepad.nl, dat niet"), std::string::npos);
  }
  // The JSON report names the organisation's domains for that file only.
  o_.lang = "en";
  app::AuditRequest req = Request("", "json");
  req.evidence = {"/in/own.zone", "/in/other.zone"};
  auto j = app::Audit(o_, req);
  ASSERT_TRUE(j.has_value()) << Errors(j.error());
  json doc = json::parse(j->output);
  ASSERT_EQ(doc["evidence"]["discoveries"].size(), 2u);
  EXPECT_TRUE(doc["evidence"]["discoveries"][0]["other_than"].is_null());
  EXPECT_EQ(doc["evidence"]["discoveries"][1]["other_than"], "fietshuis-zonnepad.nl");
}

// A zone saved with a UTF-8 byte-order mark reads as without it; one saved as
// UTF-16 (PowerShell's `>`) is refused saying so and how to convert it.
TEST_F(AppTest, ZoneWithByteOrderMarkReadsAndUtf16IsExplained) {
  const std::string zone = Slurp("examples/webshop/discovery/fietshuis-zonnepad.nl.zone");
  ASSERT_FALSE(zone.empty());
  env_.AddFile("/in/plain.zone", zone);
  env_.AddFile("/in/bom.zone", "\xEF\xBB\xBF" + zone);
  auto opened = app::OpenEvidence(o_, {"/in/plain.zone", "/in/bom.zone"}, nullptr);
  ASSERT_TRUE(opened.has_value()) << opened.error().Format();
  ASSERT_EQ(opened->discoveries.size(), 2u);
  const DiscoveryReport& plain = *opened->discoveries[0].second;
  const DiscoveryReport& bom = *opened->discoveries[1].second;
  EXPECT_EQ(bom.reader, "dns-zonefile");
  EXPECT_EQ(bom.subject, plain.subject);
  ASSERT_EQ(bom.observations.size(), plain.observations.size());
  for (size_t i = 0; i < plain.observations.size(); ++i)
    EXPECT_EQ(bom.observations[i].location, plain.observations[i].location);
  for (bool with_bom : {true, false}) {
    std::string utf16 = with_bom ? std::string("\xFF\xFE") : std::string();
    for (char c : zone) utf16 += std::string(1, c) + '\0';
    env_.AddFile("/in/utf16.zone", utf16);
    auto r = app::OpenEvidence(o_, {"/in/utf16.zone"}, nullptr);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "the file is text in UTF-16LE, not UTF-8");
    EXPECT_NE(r.error().Format().find("iconv -f UTF-16LE -t UTF-8"), std::string::npos) << r.error().Format();
  }
}

// The example shop's zone and DMARC report (the demo): an e-mail platform the
// register names as a processor, known only from those records, is registered
// (as that processor) in every format, and its verdict does not talk as if it
// were not (user run). The German and Dutch texts: headings upper-cased with
// their umlauts, the place of a record ("line 26") in the report's language.
TEST_F(AppTest, DiscoveryDemoProcessorRegisteredAndTextsInTheLanguage) {
  env_.AddFile("/in/shop.zone", Slurp("examples/webshop/discovery/fietshuis-zonnepad.nl.zone"));
  env_.AddFile("/in/dmarc.xml", Slurp("examples/webshop/discovery/dmarc-google.com-2026-12-01.xml"));
  // The shop registers SendGrid (which sends its order confirmations) as a
  // processor, not as a touchpoint.
  std::string reg = register_;
  size_t systems = reg.find("\nsystems:");
  ASSERT_NE(systems, std::string::npos);
  reg.insert(systems,
             "  - id: sendgrid\n    name: SendGrid\n    legal_entity: Twilio Inc.\n    country: US\n"
             "    role: processor\n    transfer_safeguard: data_privacy_framework\n"
             "    agreement:\n      status: signed\n      date: \"2024-02-01\"\n");
  env_.AddFile("/in/register.yaml", reg);
  app::AuditRequest req = Request("", "json");
  req.register_path = "/in/register.yaml";
  req.evidence = {kHome, kCheckout, "/in/shop.zone", "/in/dmarc.xml"};
  req.timestamp = false;
  auto r = app::Audit(o_, req);
  ASSERT_TRUE(r.has_value()) << Errors(r.error());
  json doc = json::parse(r->output);
  size_t processors = 0;
  for (const auto& t : doc["touchpoints"]) {
    if (!t.contains("processor_id")) {
      EXPECT_EQ(t["registered"], !t["register_id"].is_null()) << t["kb_id"];
      continue;
    }
    ++processors;
    EXPECT_EQ(t["registered"], true) << t["kb_id"];
    EXPECT_EQ(t["registered_as"], "processor") << t["kb_id"];
    EXPECT_EQ(t["status"], "registered") << t["kb_id"];
    EXPECT_EQ(t["blind_spot"], false) << t["kb_id"];
    ASSERT_TRUE(t.contains("verdict_reasons"));
    for (const auto& reason : t["verdict_reasons"]) {
      std::string text = reason["text"];
      EXPECT_EQ(text.find("not in the register"), std::string::npos) << t["kb_id"] << ": " << text;
      EXPECT_EQ(text.find("the register records no transfer"), std::string::npos)
          << t["kb_id"] << ": " << text;
    }
  }
  EXPECT_GT(processors, 0u) << r->output.substr(0, 2000);
  for (const char* lang : {"en", "nl", "de"}) {
    o_.lang = lang;
    req.format = "text";
    auto text = app::Audit(o_, req);
    ASSERT_TRUE(text.has_value()) << Errors(text.error());
    // Word-wrapped: runs of blanks and line breaks as one blank.
    std::string out;
    for (char c : text->output)
      if (!(c == ' ' || c == '\n') || out.empty() || out.back() != ' ') out += c == '\n' ? ' ' : c;
    std::string_view l(lang);
    EXPECT_NE(out.find(l == "en"   ? "In the register as processor '"
                       : l == "nl" ? "In het verwerkingsregister als verwerker '"
                                   : "Im Verzeichnis als Auftragsverarbeiter '"),
              std::string::npos)
        << lang;
    if (l == "de") {
      EXPECT_NE(out.find("LÜCKEN"), std::string::npos);
      EXPECT_EQ(out.find("LüCKEN"), std::string::npos);
      EXPECT_NE(out.find(", Zeile 16)"), std::string::npos);
      EXPECT_NE(out.find("Datensatz 3 (Zeile 73)"), std::string::npos);
    }
    if (l == "nl") EXPECT_NE(out.find(", regel 16)"), std::string::npos);
    if (l != "en") EXPECT_EQ(out.find(", line 16)"), std::string::npos) << lang;
    if (l == "en") EXPECT_NE(out.find(", line 16)"), std::string::npos);
  }
}

// A knowledge-base file given with --kb is an input too: --out must not overwrite it.
TEST_F(AppTest, OutputPathThatIsAKbFileIsRefused) {
  const std::string entry = Slurp("data/kb/hotjar.yaml");
  env_.AddDirectory("/kb");
  env_.AddFile("/kb/hotjar.yaml", entry);
  o_.kb_dir = "/kb";
  auto r = app::Audit(o_, Request("/kb/hotjar.yaml", "json"));
  ASSERT_FALSE(r.has_value()) << "the kb entry was overwritten";
  EXPECT_EQ(r.error()[0].message, "the output file is one of the inputs; it would be overwritten");
  EXPECT_EQ(*env_.Contents("/kb/hotjar.yaml"), entry);
  EXPECT_EQ(env_.writes(), 0u);
}

// ---------------------------------------------------------------- other use cases

TEST_F(AppTest, ValidateSummarisesInTheLanguage) {
  auto v = app::Validate(o_, kRegister);
  ASSERT_TRUE(v.has_value()) << Errors(v.error());
  EXPECT_TRUE(v->summary.starts_with(kRegister + ": valid register: ")) << v->summary;
  EXPECT_FALSE(v->inputs.source_map.empty());
  o_.lang = "de";
  auto de = app::Validate(o_, kRegister);
  ASSERT_TRUE(de.has_value());
  EXPECT_NE(de->summary, v->summary);
  EXPECT_TRUE(v->inputs.warnings.empty()) << Errors(v->inputs.warnings);  // the example names known products
  auto dir = app::Validate(o_, "/out");
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error()[0].message, "is a directory, not a register file");
  EXPECT_EQ(app::ExitCodeFor(dir.error()), 4);
}

TEST_F(AppTest, UnknownProductIdsAreWarningsInValidateAndAuditNotes) {
  std::string reg = register_;
  const std::string right = "product: whatsapp-click-to-chat";
  ASSERT_NE(reg.find(right), std::string::npos);
  reg.replace(reg.find(right), right.size(), "product: whatsapp-chat");
  env_.AddFile(kRegister, reg);
  auto v = app::Validate(o_, kRegister);
  ASSERT_TRUE(v.has_value()) << Errors(v.error());  // still valid: exit code 0
  ASSERT_EQ(v->inputs.warnings.size(), 1u);
  const Error& w = v->inputs.warnings[0];
  EXPECT_EQ(w.where.line, 212u);
  EXPECT_EQ(w.path, "touchpoints[whatsapp-button].product");
  EXPECT_EQ(w.hint, "did you mean 'whatsapp-click-to-chat'?");
  // The audit says the same in its notes: the WhatsApp button it then reports
  // as a blind spot is registered under a mistyped id.
  auto a = app::Audit(o_, Request());
  ASSERT_TRUE(a.has_value()) << Errors(a.error());
  bool noted = false;
  std::string notes;
  for (const std::string& n : a->notes) {
    noted = noted || n == w.Format();
    notes += n;
  }
  EXPECT_TRUE(noted) << notes;
  // Against a knowledge base without the product, the right id is unknown too.
  env_.AddFile(kRegister, register_);
  env_.AddDirectory("/kb");
  env_.AddFile("/kb/hotjar.yaml", Slurp("data/kb/hotjar.yaml"));
  o_.kb_dir = "/kb";
  auto small = app::Validate(o_, kRegister);
  ASSERT_TRUE(small.has_value()) << Errors(small.error());
  EXPECT_EQ(small->inputs.warnings.size(), 4u) << Errors(small->inputs.warnings);
}

TEST_F(AppTest, KnowledgeBaseFromADirectoryInTheEnv) {
  std::string entry = Slurp("data/kb/hotjar.yaml");
  ASSERT_EQ(entry.find("implies:"), std::string::npos);  // stands alone
  env_.AddDirectory("/kb");
  env_.AddFile("/kb/hotjar.yaml", entry);
  env_.AddFile("/kb/README.md", "not an entry");
  o_.kb_dir = "/kb";
  auto index = app::LoadKbIndex(o_);
  ASSERT_TRUE(index.has_value()) << index.error().Format();
  ASSERT_EQ((*index)->kb().entries().size(), 1u);
  EXPECT_EQ((*index)->kb().entries()[0].id, "hotjar");
  auto listing = app::KbListing(o_, "", "json");
  ASSERT_TRUE(listing.has_value()) << Errors(listing.error());
  EXPECT_EQ(json::parse(*listing).size(), 1u);
  auto unknown = app::KbListing(o_, "meta-pixel", "text");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error()[0].message, "no knowledge-base entry 'meta-pixel'");
  EXPECT_EQ(unknown.error()[0].hint, "run 'blindspot kb' to list the ids");
  EXPECT_EQ(app::ExitCodeFor(unknown.error()), 2);
  auto upper = app::KbListing(o_, "HOTJAR", "text");  // case-insensitive did-you-mean
  ASSERT_FALSE(upper.has_value());
  EXPECT_EQ(upper.error()[0].hint, "did you mean 'hotjar'? run 'blindspot kb' to list the ids");
  // A directory that is not there: an I/O error; one without entries: bad input.
  o_.kb_dir = "/nokb";
  auto missing = app::LoadKbIndex(o_);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(app::ExitCodeFor({missing.error()}), 4);
  env_.AddDirectory("/emptykb");
  o_.kb_dir = "/emptykb";
  auto empty = app::LoadKbIndex(o_);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message, "no *.yaml files in directory");
  EXPECT_EQ(app::ExitCodeFor({empty.error()}), 2);
  // The built-in one is shared: the same index every time.
  o_.kb_dir.clear();
  auto a = app::LoadKbIndex(o_);
  auto b = app::LoadKbIndex(app::Options{});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->get(), b->get());
  EXPECT_GT((*a)->kb().entries().size(), 50u);
}

TEST_F(AppTest, RulesAndFormats) {
  auto md = app::Rules(o_, "md");
  ASSERT_TRUE(md.has_value());
  EXPECT_TRUE(md->starts_with("# Audit rules\n"));
  auto bad = app::Rules(o_, "pdf");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error()[0].kind, ErrorKind::kUsage);
  EXPECT_EQ(app::ExitCodeFor(bad.error()), 2);
  // An unknown --out extension is refused before anything is read.
  env_.FailReads("/");
  auto docx = app::Audit(o_, Request("/out/report.docx"));
  ASSERT_FALSE(docx.has_value());
  EXPECT_EQ(docx.error()[0].message, "cannot tell the format from the extension '.docx'");
  EXPECT_EQ(app::ExitCodeFor(docx.error()), 2);
  ExpectNothingWritten();
}

TEST(ExitCodes, OneMappingForEveryDoor) {
  auto err = [](ErrorKind k, bool warning = false) {
    Error e;
    e.kind = k;
    e.warning = warning;
    return e;
  };
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kSchema)}), app::kExitBadInput);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kParse), err(ErrorKind::kReference)}), 2);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kUsage)}), 2);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kIo)}), app::kExitIo);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kSchema), err(ErrorKind::kIo)}), 4);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kIo), err(ErrorKind::kInternal)}), app::kExitInternal);
  EXPECT_EQ(app::ExitCodeFor({err(ErrorKind::kIo, /*warning=*/true), err(ErrorKind::kSchema)}), 2);
  EXPECT_EQ(app::kExitOk, 0);
  EXPECT_EQ(app::kExitFindings, 1);
  EXPECT_EQ(app::kExitInternal, 3);
}

}  // namespace
// ---------------------------------------------------------------- the CI gate (issue 8)

// --write-drafts: the audited register with a draft touchpoint per blind
// spot, the file-based twin of the server's drafts. Expected by hand from the
// example's zone and DMARC report: SendGrid (sending, unregistered) is the
// one draft; the register given is left as it was.
TEST_F(AppTest, WriteDraftsAddsADraftTouchpointPerBlindSpot) {
  env_.AddFile("/in/shop.zone", Slurp("examples/webshop/discovery/fietshuis-zonnepad.nl.zone"));
  env_.AddFile("/in/dmarc.xml", Slurp("examples/webshop/discovery/dmarc-google.com-2026-12-01.xml"));
  app::AuditRequest r = Request("/out/report.json");
  r.evidence.clear();
  r.bundles = {"/in/shop.zone", "/in/dmarc.xml"};
  r.write_drafts_path = "/out/register-with-drafts.yaml";
  r.as_of = "2026-12-05";
  auto out = app::Audit(o_, r);
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  EXPECT_EQ(out->drafts_line,
            "/out/register-with-drafts.yaml: the register with 1 draft touchpoint written: "
            "twilio-sendgrid");
  ASSERT_NE(env_.Contents("/out/register-with-drafts.yaml"), nullptr);
  auto drafts = ParseRegisterText(*env_.Contents("/out/register-with-drafts.yaml"), "drafts.yaml");
  ASSERT_TRUE(drafts.has_value()) << Errors(drafts.error());
  auto original = ParseRegisterText(register_, "register.yaml");
  ASSERT_TRUE(original.has_value());
  ASSERT_EQ(drafts->reg.touchpoints.size(), original->reg.touchpoints.size() + 1);
  const Touchpoint& t = drafts->reg.touchpoints.back();
  EXPECT_EQ(t.id, "twilio-sendgrid");
  EXPECT_EQ(t.discovered.date, "2026-12-05");
  EXPECT_EQ(t.discovered.proof, "sending-now");
  EXPECT_EQ(t.discovered.suggested.in_use, true);
  EXPECT_TRUE(t.answers.empty());
  EXPECT_EQ(*env_.Contents(kRegister), register_) << "the register given is not changed";
  // Never over an input, and then nothing is written: not the report either
  // (found by a user run: the report was written before the refusal).
  r.write_drafts_path = kRegister;
  r.out_path = "/out/second-report.json";
  auto refused = app::Audit(o_, r);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().front().hint.find("--write-drafts"), std::string::npos);
  EXPECT_EQ(*env_.Contents(kRegister), register_);
  EXPECT_EQ(env_.Contents("/out/second-report.json"), nullptr);
}

TEST_F(AppTest, GateBaselineMakesOnlyNewFindingsFail) {
  // Write a baseline of today's findings; with it, nothing is new and --fail-on high passes.
  app::AuditRequest first = Request("/out/report.json");
  first.write_baseline_path = "/out/baseline.yaml";
  first.as_of = "2026-12-02";
  auto written = app::Audit(o_, first);
  ASSERT_TRUE(written.has_value()) << Errors(written.error());
  ASSERT_NE(env_.Contents("/out/baseline.yaml"), nullptr);
  const std::string baseline = *env_.Contents("/out/baseline.yaml");
  EXPECT_TRUE(
      baseline.starts_with("# blindspot baseline: docs/formats/baseline.md\nversion: 1\ncreated: "
                           "\"2026-12-02\"\nfindings:\n"))
      << baseline;
  EXPECT_EQ(written->baseline_line, fmt::format("/out/baseline.yaml: baseline of {} findings written",
                                                written->result.findings.size()));
  EXPECT_EQ(written->failing, 0u);
  EXPECT_TRUE(written->gate_line.empty());  // no gate, no --fail-on-rule, not quiet: as before

  app::AuditRequest gated = Request();
  gated.baseline_path = "/out/baseline.yaml";
  gated.fail_on = Severity::kHigh;
  gated.as_of = "2026-12-02";
  auto pass = app::Audit(o_, gated);
  ASSERT_TRUE(pass.has_value()) << Errors(pass.error());
  EXPECT_EQ(pass->failing, 0u);
  EXPECT_TRUE(pass->failing_line.empty());
  EXPECT_EQ(pass->gate_line,
            fmt::format("gate: passed: no new finding fails the build; 0 new, {} in baseline, 0 "
                        "accepted, 0 resolved (acceptances checked on 2026-12-02)",
                        pass->result.findings.size()));

  // One entry removed from the baseline: that finding is new again and fails; one added: resolved.
  std::string edited = baseline;
  size_t first_entry = edited.find("  - fingerprint:");
  size_t second_entry = edited.find("  - fingerprint:", first_entry + 1);
  std::string removed = edited.substr(first_entry, second_entry - first_entry);
  edited.erase(first_entry, second_entry - first_entry);
  edited += "  - fingerprint: \"00000000000000ff\"\n    rule: \"BS009\"\n";
  env_.AddFile("/out/edited.yaml", edited);
  gated.baseline_path = "/out/edited.yaml";
  gated.fail_on = Severity::kInfo;
  auto fail = app::Audit(o_, gated);
  ASSERT_TRUE(fail.has_value()) << Errors(fail.error());
  EXPECT_EQ(fail->failing, 1u);
  EXPECT_EQ(fail->gate.new_count, 1u);
  ASSERT_EQ(fail->gate.resolved.size(), 1u);
  EXPECT_EQ(fail->gate.resolved[0].rule, "BS009");
  EXPECT_TRUE(fail->gate_line.starts_with("gate: failed: 1 new finding fails the build: "))
      << fail->gate_line;
  EXPECT_NE(fail->gate_line.find("1 resolved"), std::string::npos) << fail->gate_line;
  EXPECT_NE(removed.find(fail->gate.fingerprints[std::find(fail->gate.states.begin(), fail->gate.states.end(),
                                                           GateState::kNew) -
                                                 fail->gate.states.begin()]),
            std::string::npos);

  // A baseline without --fail-on / --fail-on-rule: every new finding fails.
  gated.fail_on.reset();
  auto any = app::Audit(o_, gated);
  ASSERT_TRUE(any.has_value());
  EXPECT_EQ(any->failing, 1u);
}

TEST_F(AppTest, GateFailOnRuleAcceptedAndExpired) {
  app::AuditRequest r = Request();
  r.as_of = "2026-12-02";
  r.fail_on_rules = {"bs020-inferred-touchpoint"};  // medium: --fail-on high would not catch it
  auto base = app::Audit(o_, r);
  ASSERT_TRUE(base.has_value()) << Errors(base.error());
  size_t bs020 = 0;
  for (const Finding& f : base->result.findings) bs020 += f.rule_id.starts_with("BS020-");
  ASSERT_GT(bs020, 0u);
  EXPECT_EQ(base->failing, bs020);
  EXPECT_TRUE(base->gate_line.starts_with(fmt::format("gate: failed: {} new finding", bs020)))
      << base->gate_line;
  EXPECT_NE(base->gate_line.find(fmt::format("BS020 x{}", bs020)), std::string::npos);

  // Accepted until 2026-12-31 (by rule + subject of each BS020 finding): passes; from 2027-01-01 it fails
  // again.
  std::string accepted = "accepted:\n";
  for (const Finding& f : base->result.findings)
    if (f.rule_id.starts_with("BS020-"))
      accepted += "  - rule: BS020\n    subject: \"" + FindingSubject(f) +
                  "\"\n    reason: \"checked\"\n    expires: 2026-12-31\n";
  env_.AddFile("/out/accepted.yaml", accepted);
  r.accepted_path = "/out/accepted.yaml";
  auto ok = app::Audit(o_, r);
  ASSERT_TRUE(ok.has_value()) << Errors(ok.error());
  EXPECT_EQ(ok->failing, 0u);
  EXPECT_EQ(ok->gate.accepted_count, bs020);
  EXPECT_TRUE(ok->gate.expired.empty());
  r.as_of = "2027-01-01";
  auto late = app::Audit(o_, r);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->failing, bs020);
  EXPECT_EQ(late->gate.expired.size(), bs020);
  ASSERT_FALSE(late->notes.empty());
  EXPECT_NE(std::find_if(late->notes.begin(), late->notes.end(),
                         [](const std::string& n) {
                           return n.starts_with("warning: /out/accepted.yaml:2: the acceptance of BS020 ") &&
                                  n.ends_with("expired on 2026-12-31 and no longer counts");
                         }),
            late->notes.end());
  // A rule that has no finding (negative): passes.
  r.fail_on_rules = {"BS022"};
  auto none = app::Audit(o_, r);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->failing, 0u);
}

TEST_F(AppTest, GateInputErrorsWriteNothing) {
  env_.AddFile("/in/bad-baseline.yaml", "findings:\n  - fingerprint: 12\n");
  env_.AddFile("/in/bad-accepted.yaml",
               "accepted:\n  - fingerprint: \"0123456789abcdef\"\n    expires: 2027-01-01\n");
  struct Case {
    std::function<void(app::AuditRequest&)> set;
    ErrorKind kind;
    std::string text;
  };
  std::vector<Case> cases = {
      {[](app::AuditRequest& r) { r.baseline_path = "/in/bad-baseline.yaml"; }, ErrorKind::kSchema,
       "/in/bad-baseline.yaml:2:18: error: '12' is not a finding fingerprint"},
      {[](app::AuditRequest& r) { r.accepted_path = "/in/bad-accepted.yaml"; }, ErrorKind::kSchema,
       "/in/bad-accepted.yaml:2:5: error: missing required key 'reason' in accepted[0]"},
      {[](app::AuditRequest& r) { r.baseline_path = "/in/missing.yaml"; }, ErrorKind::kIo,
       "/in/missing.yaml"},
      {[](app::AuditRequest& r) { r.as_of = "2027-02-29"; }, ErrorKind::kUsage,
       "--as-of '2027-02-29' is not a date"},
      {[](app::AuditRequest& r) { r.fail_on_rules = {"BS999"}; }, ErrorKind::kUsage,
       "--fail-on-rule: no rule 'BS999'"},
      {[](app::AuditRequest& r) { r.write_baseline_path = "/out/report.html"; }, ErrorKind::kUsage,
       "--write-baseline and --out name the same file"},
      {[](app::AuditRequest& r) { r.write_baseline_path = kRegister; }, ErrorKind::kUsage,
       "the output file is one of the inputs"},
  };
  for (const Case& c : cases) {
    app::AuditRequest r = Request("/out/report.html");
    r.as_of = "2026-12-02";
    c.set(r);
    auto out = app::Audit(o_, r);
    ASSERT_FALSE(out.has_value()) << c.text;
    EXPECT_EQ(out.error().front().kind, c.kind) << c.text;
    EXPECT_NE(Errors(out.error()).find(c.text), std::string::npos) << Errors(out.error());
    EXPECT_EQ(app::ExitCodeFor(out.error()), c.kind == ErrorKind::kIo ? app::kExitIo : app::kExitBadInput);
    EXPECT_EQ(env_.Contents("/out/report.html"), nullptr) << c.text;
  }
  ExpectNothingWritten();
}

}  // namespace blindspot

// The command line in-process on an in-memory file system: arguments reach
// the use cases, errors become messages and exit codes, and output goes to
// stdout or through the Env to a file.
#include "blindspot/cli.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "blindspot/admin.h"
#include "blindspot/env.h"
#include "blindspot/store.h"
#include "cli/cli_test_util.h"

namespace blindspot {
namespace {

const std::string kHome = "/work/captures/home.har";
const std::string kCheckout = "/work/captures/checkout.har";
const std::string kRegister = "/work/register.yaml";

std::string Slurp(const std::string& rel) {
  auto text = Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel, 1 << 26);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().Format());
  return text ? *text : std::string();
}

using testing::CliRun;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = Slurp("examples/webshop/har/home.har");
    env_.AddFile(kHome, home_);
    env_.AddFile(kCheckout, Slurp("examples/webshop/har/checkout.har"));
    env_.AddFile(kRegister, Slurp("examples/webshop/register.yaml"));
    env_.AddDirectory("/out");
  }

  CliRun Cli(const std::vector<std::string>& args) { return testing::RunCliIn(env_, args); }

  MemEnv env_;
  std::string home_;
};

TEST_F(CliTest, AuditToStdoutAndToAFile) {
  CliRun r = Cli(
      {"audit", "--register", kRegister, "--har", kHome, kCheckout, "--format", "json", "--no-timestamp"});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["register"]["file"], "register.yaml");
  EXPECT_EQ(j["evidence"]["sources"].size(), 2u);
  EXPECT_EQ(env_.writes(), 0u);

  r = Cli({"audit", "-r", kRegister, kHome, "--out", "/out/report.html"});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  EXPECT_TRUE(r.out.empty());
  ASSERT_NE(env_.Contents("/out/report.html"), nullptr);
  EXPECT_NE(env_.Contents("/out/report.html")->find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(r.err.find("/out/report.html: "), std::string::npos) << r.err;  // the summary
}

TEST_F(CliTest, OutputThatIsAnInputExitsTwoAndWritesNothing) {
  CliRun r = Cli({"audit", "-r", kRegister, kHome, "--format", "html", "--out", kRegister});
  EXPECT_EQ(r.rc, kExitBadInput);
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("the output file is one of the inputs; it would be overwritten"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was written"), std::string::npos) << r.err;
  EXPECT_EQ(env_.writes(), 0u);
  EXPECT_EQ(*env_.Contents(kHome), home_);
}

TEST_F(CliTest, IoErrorsExitFour) {
  CliRun missing = Cli({"audit", "/work/captures/missing.har"});
  EXPECT_EQ(missing.rc, kExitIo);
  EXPECT_NE(missing.err.find("/work/captures/missing.har"), std::string::npos) << missing.err;
  env_.FailWrites("/out/");
  CliRun written = Cli({"audit", kHome, "--out", "/out/report.json"});
  EXPECT_EQ(written.rc, 4);
  EXPECT_NE(written.err.find("write failed"), std::string::npos) << written.err;
  EXPECT_EQ(env_.Contents("/out/report.json"), nullptr);
}

TEST_F(CliTest, FailOnExitsOneWithTheFailingLine) {
  CliRun r = Cli({"audit", kHome, kCheckout, "--fail-on", "high", "--out", "/out/r.json"});
  EXPECT_EQ(r.rc, kExitFindings);
  EXPECT_NE(r.err.find("\nfailing: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" findings at or above high: BS001 x"), std::string::npos) << r.err;
  CliRun nl = Cli({"audit", kHome, kCheckout, "--fail-on", "high", "--lang", "nl", "--out", "/out/r.json"});
  EXPECT_EQ(nl.rc, 1);
  EXPECT_NE(nl.err.find("let op: geen --register opgegeven"), std::string::npos) << nl.err;
  EXPECT_NE(nl.err.find("mislukt: "), std::string::npos) << nl.err;
  // Without --fail-on, findings do not fail the run.
  CliRun ok = Cli({"audit", "-r", kRegister, kHome, kCheckout, "--out", "/out/r.json"});
  EXPECT_EQ(ok.rc, 0) << ok.err;
}

TEST_F(CliTest, SizeLimitAndBadValues) {
  CliRun r = Cli({"audit", kHome, "--max-input-size", "1k"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("input too large: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(" + std::to_string(home_.size()) + " bytes)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--max-input-size"), std::string::npos);
  CliRun bad = Cli({"audit", kHome, "--max-input-size", "lots"});
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("--max-input-size 'lots' is not a size"), std::string::npos) << bad.err;
  CliRun lang = Cli({"audit", kHome, "--lang", "fr"});
  EXPECT_EQ(lang.rc, 2);
  CliRun unknown = Cli({"audit", kHome, "--colour"});
  EXPECT_EQ(unknown.rc, 2);
  EXPECT_NE(unknown.err.find("unknown option '--colour'"), std::string::npos) << unknown.err;
  CliRun empty = Cli({"audit", kHome, "--out", ""});
  EXPECT_EQ(empty.rc, 2);
  EXPECT_NE(empty.err.find("--out was given an empty value"), std::string::npos) << empty.err;
  EXPECT_EQ(env_.writes(), 0u);
}

TEST_F(CliTest, RepeatedHarNoteOnStderr) {
  CliRun r = Cli({"detect", kHome, kHome, "--format", "json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("note: " + kHome + " is given more than once; read once"), std::string::npos) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["sources"].size(), 1u);
  EXPECT_EQ(j["sources"][0]["name"], "home.har");
}

TEST_F(CliTest, OtherCommands) {
  CliRun v = Cli({"validate", kRegister});
  EXPECT_EQ(v.rc, 0) << v.err;
  EXPECT_NE(v.out.find(kRegister + ": valid register: "), std::string::npos) << v.out;
  CliRun rules = Cli({"rules", "--format", "json", "--lang", "de"});
  EXPECT_EQ(rules.rc, 0);
  EXPECT_GE(nlohmann::json::parse(rules.out).size(), 18u);
  CliRun kb = Cli({"kb", "meta-pixel", "--lang", "nl"});
  EXPECT_EQ(kb.rc, 0);
  EXPECT_NE(kb.out.find("meta-pixel"), std::string::npos);
  CliRun nokb = Cli({"kb", "no-such-product"});
  EXPECT_EQ(nokb.rc, 2);
  CliRun version = Cli({"--version"});
  EXPECT_EQ(version.rc, 0);
  EXPECT_EQ(version.out, std::string("blindspot ") + app::kVersion + "\n");
  CliRun none = Cli({});
  EXPECT_EQ(none.rc, 2);
  CliRun what = Cli({"frobnicate"});
  EXPECT_EQ(what.rc, 2);
  EXPECT_NE(what.err.find("unknown command 'frobnicate'"), std::string::npos);
}

TEST_F(CliTest, LangMayComeBeforeTheCommand) {
  CliRun help = Cli({"--lang", "nl", "--help"});
  EXPECT_EQ(help.rc, 0) << help.err;
  EXPECT_NE(help.out.find("usage: blindspot [--lang LANG] <command> [options]"), std::string::npos)
      << help.out;
  CliRun kb = Cli({"--lang", "nl", "kb", "meta-pixel"});
  EXPECT_EQ(kb.rc, 0) << kb.err;
  EXPECT_NE(kb.out.find("Leverancier:"), std::string::npos) << kb.out;
  CliRun eq = Cli({"--lang=de", "kb", "meta-pixel"});
  EXPECT_EQ(eq.rc, 0) << eq.err;
  EXPECT_NE(eq.out.find("Anbieter:"), std::string::npos) << eq.out;
  // The command's own --lang wins.
  CliRun own = Cli({"--lang", "nl", "kb", "meta-pixel", "--lang", "en"});
  EXPECT_EQ(own.rc, 0) << own.err;
  EXPECT_NE(own.out.find("Vendor:"), std::string::npos) << own.out;
  CliRun bad = Cli({"--lang", "fr", "kb"});
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("blindspot kb: error: "), std::string::npos) << bad.err;
  EXPECT_EQ(Cli({"--lang", "nl", "version"}).rc, 0);
  // Any other option before the command is named, with where options go.
  CliRun other = Cli({"--kb", "/kb", "detect", kHome});
  EXPECT_EQ(other.rc, 2);
  EXPECT_NE(other.err.find("blindspot: error: unknown option '--kb' before the command"), std::string::npos)
      << other.err;
  EXPECT_NE(other.err.find("options follow the command"), std::string::npos) << other.err;
  EXPECT_EQ(Cli({"--lang", "nl"}).rc, 2);
}

TEST_F(CliTest, ErrorsNameTheCommand) {
  CliRun extra = Cli({"validate", kRegister, "b"});
  EXPECT_EQ(extra.rc, 2);
  EXPECT_EQ(extra.err.find("The following argument"), std::string::npos) << extra.err;
  EXPECT_NE(extra.err.find("blindspot validate: error: unexpected argument 'b'\n"), std::string::npos)
      << extra.err;
  CliRun nokb = Cli({"kb", "nope"});
  EXPECT_EQ(nokb.rc, 2);
  EXPECT_EQ(nokb.err.rfind("blindspot kb: error: no knowledge-base entry 'nope'\n", 0), 0u) << nokb.err;
  CliRun size = Cli({"detect", kHome, "--max-input-size", "1X"});
  EXPECT_EQ(size.rc, 2);
  EXPECT_EQ(size.err.rfind("blindspot detect: error: --max-input-size '1X' is not a size", 0), 0u)
      << size.err;
  // Errors with a file keep the file:line:col form.
  CliRun missing = Cli({"detect", "/work/captures/missing.har"});
  EXPECT_EQ(missing.err.rfind("/work/captures/missing.har: error: ", 0), 0u) << missing.err;
}

TEST_F(CliTest, HarFilesArePositionalOrHar) {
  for (const char* cmd : {"audit", "detect"}) {
    SCOPED_TRACE(cmd);
    CliRun none = Cli({cmd});
    EXPECT_EQ(none.rc, 2);
    EXPECT_NE(none.err.find(std::string("blindspot ") + cmd + ": error: give at least one HAR file"),
              std::string::npos)
        << none.err;
    EXPECT_EQ(none.err.find("--har is required"), std::string::npos) << none.err;
    CliRun help = Cli({cmd, "--help"});
    EXPECT_EQ(help.rc, 0);
    EXPECT_EQ(help.out.find("REQUIRED"), std::string::npos) << help.out;
    EXPECT_EQ(Cli({cmd, kHome, "--format", "json"}).rc, 0);
    EXPECT_EQ(Cli({cmd, "--har", kHome, "--format", "json"}).rc, 0);
  }
}

TEST_F(CliTest, VersionHelpIsHelp) {
  CliRun r = Cli({"version", "--help"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("Usage: blindspot version"), std::string::npos) << r.out;
  EXPECT_EQ(Cli({"version"}).out, std::string("blindspot ") + app::kVersion + "\n");
  EXPECT_EQ(Cli({"version", "extra"}).rc, 2);
}

TEST_F(CliTest, UnknownKbIdSuggestsTheClosestIgnoringCase) {
  CliRun r = Cli({"kb", "META-PIXEL"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("hint: did you mean 'meta-pixel'?"), std::string::npos) << r.err;
}

TEST_F(CliTest, KbDirectoryWithoutEntriesIsBadInput) {
  env_.AddDirectory("/emptykb");
  CliRun r = Cli({"detect", kHome, "--kb", "/emptykb"});
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_NE(r.err.find("/emptykb: error: no *.yaml files in directory"), std::string::npos) << r.err;
}

TEST_F(CliTest, OutputThatNamesADirectoryExitsTwo) {
  for (const std::string& out : {std::string("/out"), std::string("/out/"), std::string("/not-yet/")}) {
    SCOPED_TRACE(out);
    CliRun r = Cli({"audit", kHome, "--out", out});
    EXPECT_EQ(r.rc, 2) << r.err;
    EXPECT_NE(r.err.find(out + ": error: --out names a directory, not a file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint: add a file name, e.g. /"), std::string::npos) << r.err;
  }
  CliRun d = Cli({"detect", kHome, "--format", "json", "--out", "/out/"});
  EXPECT_EQ(d.rc, 2);
  EXPECT_NE(d.err.find("e.g. /out/detection.json"), std::string::npos) << d.err;
  EXPECT_EQ(env_.writes(), 0u);
}

TEST_F(CliTest, OutputThatIsAnInputHintFitsTheCommand) {
  const std::string fides =
      "system:\n  - fides_key: app\n    name: App\n    privacy_declarations:\n"
      "      - data_categories: [user.contact.email]\n        data_use: marketing.advertising\n"
      "        data_subjects: [customer]\n";
  env_.AddFile("/work/fides.yml", fides);
  CliRun imp = Cli({"import", "fides", "/work/fides.yml", "--out", "/work/fides.yml"});
  EXPECT_EQ(imp.rc, 2) << imp.err;
  EXPECT_NE(imp.err.find("the output file is one of the inputs"), std::string::npos) << imp.err;
  EXPECT_NE(imp.err.find("e.g. register.yaml"), std::string::npos) << imp.err;
  EXPECT_EQ(imp.err.find("report.html"), std::string::npos) << imp.err;
  EXPECT_EQ(*env_.Contents("/work/fides.yml"), fides);
  CliRun audit = Cli({"audit", kHome, "--format", "html", "--out", kHome});
  EXPECT_NE(audit.err.find("e.g. report.html"), std::string::npos) << audit.err;
}

TEST_F(CliTest, ImportListsTheFormats) {
  CliRun r = Cli({"import", "--list"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "fides           Fides / fideslang manifest (system: list with privacy_declarations)\n"
      "vws             VWS Verwerkingsregister JSON export (array of processing records: Naam, Nummer, "
      "Doelen, "
      "Betrokkenen, ...)\n"
      "privacyregister Open Dutch privacy-register standard JSON (legalclinic/privacyregister-standard: an "
      "Organisation with processingActivitiesAsController and processingActivitiesAsProcessor)\n"
      "dpv             W3C Data Privacy Vocabulary (DPV 2.0) JSON-LD: an @graph with the controller, "
      "processors and a "
      "dpv:Process per activity (as `blindspot export --format dpv` writes it)\n"
      "spreadsheet     XLSX or CSV register; the template (cnil, fides-datamap, ico-controller, "
      "ico-processor, "
      "nl-vng) is recognised from the header row; --columns map.yaml for other columns\n"
      "cnil            CNIL registre des activités de traitement (XLSX or CSV; Finalité(s), Base "
      "légale, Catégories "
      "de données, ...)\n"
      "fides-datamap   Fides data-map export (XLSX; one row per system and data use, merged into one "
      "activity per "
      "system)\n"
      "ico-controller  ICO documentation template for controllers (XLSX or CSV; one row per purpose of "
      "processing)\n"
      "ico-processor   ICO documentation template for processors (XLSX or CSV; one row per category of "
      "processing)\n"
      "nl-vng          VNG model verwerkingsregister for municipalities (XLSX or CSV; Afdeling, Naam "
      "verwerking, "
      "Doeleinden, ...)\n");
  EXPECT_EQ(env_.writes(), 0u);
}

// Builds a small XLSX register in the VNG columns with libxlsxwriter.
std::string VngWorkbook() {
  char tmpl[] = "/tmp/bs_cli_xlsx_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string path = dir + "/r.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Register");
  const char* rows[2][4] = {{"Afdeling", "Naam verwerking", "Bewaartermijn", "Eigen kolom"},
                            {"HR", "Werving", "4 weken", "vertrouwelijk"}};
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 4; ++c) worksheet_write_string(ws, r, c, rows[r][c], nullptr);
  workbook_close(wb);
  auto read = Env::Default().ReadFile(path, 1 << 26);
  std::string bytes = read ? *read : std::string();
  std::filesystem::remove_all(dir);
  return bytes;
}

TEST_F(CliTest, ImportSpreadsheets) {
  env_.AddFile("/work/r.xlsx", VngWorkbook());
  CliRun r = Cli({"import", "/work/r.xlsx", "--out", "/out/r.yaml"});
  ASSERT_EQ(r.rc, 0) << r.err;
  // Which template was used is a note, not one of the warnings the summary counts.
  EXPECT_NE(r.err.find("/work/r.xlsx: note: sheet 'Register' A1: read as template 'nl-vng'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("sheet 'Register' D2: 'Eigen kolom' kept as a note on activity 'werving'"),
            std::string::npos)
      << r.err;
  size_t warned = 0;
  for (size_t at = r.err.find(": warning: "); at != std::string::npos; at = r.err.find(": warning: ", at + 1))
    ++warned;
  EXPECT_NE(
      r.err.find("imported from /work/r.xlsx (format spreadsheet); " + std::to_string(warned) + " warning"),
      std::string::npos)
      << r.err;
  // An export read back: nothing but the note, so no warning is counted.
  ASSERT_EQ(Cli({"export", "--register", kRegister, "--out", "/out/back.xlsx"}).rc, 0);
  CliRun back = Cli({"import", "/out/back.xlsx", "--out", "/out/back.yaml"});
  ASSERT_EQ(back.rc, 0) << back.err;
  EXPECT_NE(back.err.find("/out/back.xlsx: note: sheet 'Verwerkingsregister' A1: read as template 'nl-vng'"),
            std::string::npos)
      << back.err;
  EXPECT_NE(back.err.find("(format spreadsheet); no warnings"), std::string::npos) << back.err;
  const std::string* written = env_.Contents("/out/r.yaml");
  ASSERT_NE(written, nullptr);
  EXPECT_NE(written->find("period: P4W"), std::string::npos) << *written;
  EXPECT_NE(written->find("- \"Eigen kolom: vertrouwelijk\""), std::string::npos) << *written;
  // Forced template; a template whose headers are not there.
  CliRun forced = Cli({"import", "/work/r.xlsx", "--format", "nl-vng"});
  ASSERT_EQ(forced.rc, 0) << forced.err;
  EXPECT_NE(forced.out.find("name: Werving"), std::string::npos) << forced.out;
  CliRun wrong = Cli({"import", "/work/r.xlsx", "--format", "cnil"});
  EXPECT_EQ(wrong.rc, 2);
  EXPECT_NE(wrong.err.find("the columns match no spreadsheet template 'cnil'"), std::string::npos)
      << wrong.err;
  // Unknown columns: the error says so; the starting map; the map used.
  env_.AddFile("/work/eigen.csv", "Proces;Waarom\nWerving;Vacatures\n");
  CliRun none = Cli({"import", "/work/eigen.csv", "--out", "/out/e.yaml"});
  EXPECT_EQ(none.rc, 2);
  EXPECT_NE(none.err.find("/work/eigen.csv: error: the columns match no spreadsheet template"),
            std::string::npos)
      << none.err;
  EXPECT_NE(none.err.find("--columns-template"), std::string::npos) << none.err;
  CliRun start = Cli({"import", "/work/eigen.csv", "--columns-template"});
  ASSERT_EQ(start.rc, 0) << start.err;
  EXPECT_NE(start.out.find("  \"Proces\": note  # A: no guess; kept as a note\n"), std::string::npos)
      << start.out;
  env_.AddFile("/work/map.yaml", "columns:\n  Proces: name\n  Waarom: purposes\n");
  CliRun mapped = Cli({"import", "/work/eigen.csv", "--columns", "/work/map.yaml"});
  ASSERT_EQ(mapped.rc, 0) << mapped.err;
  EXPECT_NE(mapped.out.find("description: Vacatures"), std::string::npos) << mapped.out;
  CliRun both = Cli({"import", "/work/eigen.csv", "--columns", "/work/map.yaml", "--columns-template"});
  EXPECT_EQ(both.rc, 2);
  EXPECT_NE(both.err.find("--columns and --columns-template exclude each other"), std::string::npos)
      << both.err;
}

// A spreadsheet row that is not read (no name) fails validate and import
// with exit 5; import still writes what it read. --strict fails on any warning.
TEST_F(CliTest, InputThatWasNotReadFailsValidateAndImport) {
  EXPECT_EQ(kExitNotRead, 5);
  env_.AddFile("/work/rows.csv",
               "Afdeling;Naam verwerking;Bewaartermijn\nHR;Werving;4 weken\nFinanciën;;7 jaar\n");
  CliRun v = Cli({"validate", "/work/rows.csv"});
  EXPECT_EQ(v.rc, kExitNotRead) << v.err;
  EXPECT_NE(
      v.err.find("B3: the row has no activity name (column 'Naam verwerking'); its 2 other filled cell(s) "
                 "are not imported"),
      std::string::npos)
      << v.err;
  EXPECT_EQ(v.out,
            "/work/rows.csv: incomplete register: 1 activity read, but 1 warning above names input that "
            "was not read\n");
  CliRun nl = Cli({"validate", "/work/rows.csv", "--lang", "nl"});
  EXPECT_EQ(nl.rc, kExitNotRead);
  EXPECT_NE(nl.out.find("onvolledig register: 1 verwerking gelezen"), std::string::npos) << nl.out;
  CliRun i = Cli({"import", "/work/rows.csv", "--out", "/out/rows.yaml"});
  EXPECT_EQ(i.rc, kExitNotRead) << i.err;
  ASSERT_NE(env_.Contents("/out/rows.yaml"), nullptr);  // written all the same
  EXPECT_NE(env_.Contents("/out/rows.yaml")->find("name: Werving"), std::string::npos);
  EXPECT_NE(i.err.find("/out/rows.yaml: 1 activity, 0 systems imported from /work/rows.csv"),
            std::string::npos)
      << i.err;
  EXPECT_NE(i.err.find("\nincomplete: 1 warning above names input that was not read into the register"),
            std::string::npos)
      << i.err;
  CliRun to_stdout = Cli({"import", "/work/rows.csv"});
  EXPECT_EQ(to_stdout.rc, kExitNotRead);
  EXPECT_NE(to_stdout.out.find("name: Werving"), std::string::npos);
  EXPECT_NE(to_stdout.err.find("incomplete: 1 warning above"), std::string::npos) << to_stdout.err;
  // A cell cut at Excel's 32,767 characters: not read whole.
  env_.AddFile("/work/long.csv",
               "Afdeling;Naam verwerking;Bewaartermijn\n" + std::string(40000, 'x') + ";Werving;4 weken\n");
  CliRun cut = Cli({"validate", "/work/long.csv"});
  EXPECT_EQ(cut.rc, kExitNotRead) << cut.err;
  EXPECT_NE(cut.err.find("A2: the cell has 40000 characters; cut to 32767"), std::string::npos) << cut.err;
  // Every row named: valid, exit 0, even with --strict.
  env_.AddFile("/work/named.csv", "Afdeling;Naam verwerking;Bewaartermijn\nHR;Werving;4 weken\n");
  CliRun ok = Cli({"validate", "/work/named.csv", "--strict"});
  EXPECT_EQ(ok.rc, kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("/work/named.csv: valid register: 1 activity"), std::string::npos) << ok.out;
  EXPECT_EQ(Cli({"import", "/work/named.csv", "--out", "/out/named.yaml"}).rc, kExitOk);
  // A value kept as a note is read: valid, but not with --strict.
  env_.AddFile("/work/r.xlsx", VngWorkbook());
  CliRun noted = Cli({"validate", "/work/r.xlsx"});
  EXPECT_EQ(noted.rc, kExitOk) << noted.err;
  EXPECT_NE(noted.out.find("/work/r.xlsx: valid register: 1 activity"), std::string::npos) << noted.out;
  CliRun strict = Cli({"validate", "/work/r.xlsx", "--strict"});
  EXPECT_EQ(strict.rc, kExitNotRead) << strict.err;
  EXPECT_EQ(strict.out, "/work/r.xlsx: not valid with --strict: 1 warning above\n");
  EXPECT_NE(strict.err.find("'Eigen kolom' kept as a note"), std::string::npos) << strict.err;
  // The native example register has no warning.
  EXPECT_EQ(Cli({"validate", kRegister, "--strict"}).rc, kExitOk);
}

// --register (validate, audit, export) says what an unreadable file is, as import does.
TEST_F(CliTest, RegisterThatIsNoRegisterIsSaidForWhatItIs) {
  std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  xls.resize(512, '\0');
  xls += std::string("W\0o\0r\0k\0b\0o\0o\0k\0", 16);
  xls.resize(1024, '\0');
  std::string ods("PK\x03\x04", 4);
  ods += std::string(22, '\0') + std::string("\x08\x00\x00\x00", 4) +
         "mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK";
  env_.AddFile("/work/empty.yaml", "");
  env_.AddFile("/work/old.xls", xls);
  env_.AddFile("/work/renamed.xlsx", xls);
  env_.AddFile("/work/cnil.ods", ods);
  ASSERT_EQ(Cli({"export", "--register", kRegister, "--out", "/out/r.jsonld"}).rc, 0);
  const std::string save =
      "; blindspot reads .xlsx and CSV: open it in a spreadsheet program and save it as .xlsx";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/work/empty.yaml", "/work/empty.yaml is empty (0 bytes)"},
      {"/work/old.xls", "/work/old.xls is an Excel 97-2003 workbook (.xls)" + save},
      {"/work/renamed.xlsx", "/work/renamed.xlsx is an Excel 97-2003 workbook (.xls)" + save},
      {"/work/cnil.ods", "/work/cnil.ods is an OpenDocument spreadsheet (.ods)" + save},
  };
  size_t writes = env_.writes();
  for (const auto& [file, message] : cases) {
    SCOPED_TRACE(file);
    CliRun v = Cli({"validate", file});
    EXPECT_EQ(v.rc, 2);
    EXPECT_EQ(v.err, "blindspot validate: error: " + message + "\n");
    CliRun a = Cli({"audit", "--register", file, kHome, "--out", "/out/report.html"});
    EXPECT_EQ(a.rc, 2);
    EXPECT_NE(a.err.find("blindspot audit: error: " + message + "\n"), std::string::npos) << a.err;
    CliRun e = Cli({"export", "--register", file, "--out", "/out/x.csv"});
    EXPECT_EQ(e.rc, 2);
    EXPECT_NE(e.err.find("blindspot export: error: " + message + "\n"), std::string::npos) << e.err;
  }
  EXPECT_EQ(env_.writes(), writes);
  // A .csv no template recognises: the spreadsheet's error, as import gives it (not a YAML one).
  env_.AddFile("/work/eigen.csv", "Proces;Waarom\nWerving;Vacatures\n");
  CliRun csv = Cli({"validate", "/work/eigen.csv"});
  EXPECT_EQ(csv.rc, 2);
  EXPECT_NE(csv.err.find("/work/eigen.csv: error: the columns match no spreadsheet template"),
            std::string::npos)
      << csv.err;
  EXPECT_NE(csv.err.find("--columns-template"), std::string::npos) << csv.err;
  // The DPV export is read back (its importer), and a spreadsheet as import reads it.
  CliRun dpv = Cli({"validate", "/out/r.jsonld"});
  EXPECT_EQ(dpv.rc, kExitOk) << dpv.err;
  EXPECT_NE(dpv.out.find("/out/r.jsonld: valid register: 4 activities"), std::string::npos) << dpv.out;
  env_.AddFile("/work/r.xlsx", VngWorkbook());
  CliRun a = Cli({"audit", "--register", "/work/r.xlsx", kHome, "--format", "json", "--no-timestamp"});
  EXPECT_EQ(a.rc, kExitOk) << a.err;
  EXPECT_EQ(nlohmann::json::parse(a.out)["register"]["file"], "r.xlsx");
}

TEST_F(CliTest, ImportRecognisesTheFormatOrTakesIt) {
  const std::string vws =
      "\xEF\xBB\xBF[{\"Nummer\": \"M7\", \"Naam\": \"Loket\", \"Status\": \"Vastgesteld\",\n"
      "  \"Doelen\": [{\"Id\": 1, \"Doel\": \"Vragen beantwoorden\", \"Rechtsgrond\": \"Publiekrechtelijke "
      "taak\"}]}]";
  env_.AddFile("/work/vws.json", vws);
  CliRun r = Cli({"import", "/work/vws.json", "--out", "/out/register.yaml"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("/work/vws.json:1:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at /0/Status: Status kept as a note on activity 'm7'"), std::string::npos) << r.err;
  EXPECT_NE(
      r.err.find("/out/register.yaml: 1 activity, 0 systems imported from /work/vws.json (format vws); 1 "
                 "warning above"),
      std::string::npos)
      << r.err;
  const std::string* written = env_.Contents("/out/register.yaml");
  ASSERT_NE(written, nullptr);
  EXPECT_NE(written->find("lawful_basis: public_task"), std::string::npos) << *written;
  EXPECT_NE(written->find("notes:\n      - \"Status: Vastgesteld\""), std::string::npos) << *written;
  // Forced, as --format and in the older `import FORMAT FILE` form; the Dutch report.
  CliRun forced = Cli({"import", "/work/vws.json", "--format", "vws", "--to", "json", "--lang", "nl"});
  ASSERT_EQ(forced.rc, 0) << forced.err;
  EXPECT_EQ(forced.out.front(), '{');
  CliRun nl = Cli({"import", "vws", "/work/vws.json", "--out", "/out/r.json", "--lang", "nl"});
  ASSERT_EQ(nl.rc, 0) << nl.err;
  EXPECT_NE(nl.err.find("(formaat vws); 1 waarschuwing hierboven"), std::string::npos) << nl.err;
  // The wrong importer forced: its errors, nothing written.
  size_t writes = env_.writes();
  CliRun wrong = Cli({"import", "/work/vws.json", "--format", "fides", "--out", "/out/f.yaml"});
  EXPECT_EQ(wrong.rc, 2) << wrong.err;
  EXPECT_EQ(env_.writes(), writes);
  // Unrecognised content, two formats, no file.
  env_.AddFile("/work/notes.txt", "hello");
  CliRun unknown = Cli({"import", "/work/notes.txt", "--out", "/out/n.yaml"});
  EXPECT_EQ(unknown.rc, 2);
  EXPECT_NE(unknown.err.find("/work/notes.txt: error: the format of the register could not be recognised"),
            std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find("expected: a register in one of the import formats: fides, vws"),
            std::string::npos);
  CliRun two = Cli({"import", "fides", "/work/vws.json", "--format", "vws"});
  EXPECT_EQ(two.rc, 2);
  EXPECT_NE(two.err.find("two formats given: 'fides' and --format vws"), std::string::npos) << two.err;
  CliRun none = Cli({"import"});
  EXPECT_EQ(none.rc, 2);
  EXPECT_NE(none.err.find("the file to import is missing"), std::string::npos) << none.err;
  EXPECT_EQ(env_.writes(), writes);
}

TEST_F(CliTest, ImportSaysWhatAFileIsWhenNoImporterReadsIt) {
  size_t writes = env_.writes();
  auto run = [&](const std::string& path, std::string bytes, std::vector<std::string> more = {}) {
    env_.AddFile(path, std::move(bytes));
    std::vector<std::string> args = {"import", path, "--out", "/out/x.yaml"};
    args.insert(args.end(), more.begin(), more.end());
    CliRun r = Cli(args);
    EXPECT_EQ(r.rc, 2) << path;
    return r.err;
  };
  // What stderr says: the one error, and that nothing was written.
  auto said = [](const std::string& message) {
    return "blindspot import: error: " + message + "\n1 error; nothing was written\n";
  };
  // An empty file, whatever its name (a .xlsx was read as a CSV).
  EXPECT_EQ(run("/work/empty.xlsx", ""), said("/work/empty.xlsx is empty (0 bytes)"));
  EXPECT_EQ(run("/work/empty", ""), said("/work/empty is empty (0 bytes)"));
  // An .xls, also renamed .xlsx (it was "the CSV file is not UTF-8") and
  // with --format spreadsheet.
  std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  xls.resize(512, '\0');
  xls += std::string("W\0o\0r\0k\0b\0o\0o\0k\0", 16);
  xls.resize(1024, '\0');
  const std::string save =
      "; blindspot reads .xlsx and CSV: open it in a spreadsheet program and save it as .xlsx";
  EXPECT_EQ(run("/work/legacy.xls", xls),
            said("/work/legacy.xls is an Excel 97-2003 workbook (.xls)" + save));
  EXPECT_EQ(run("/work/renamed.xlsx", xls, {"--format", "spreadsheet"}),
            said("/work/renamed.xlsx is an Excel 97-2003 workbook (.xls)" + save));
  // An .ods (the CNIL model is one), also renamed .xlsx.
  std::string ods("PK\x03\x04", 4);
  ods += std::string(22, '\0') + std::string("\x08\x00\x00\x00", 4) +
         "mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK";
  EXPECT_EQ(run("/work/cnil.ods", ods), said("/work/cnil.ods is an OpenDocument spreadsheet (.ods)" + save));
  EXPECT_EQ(run("/work/renamed_ods.xlsx", ods),
            said("/work/renamed_ods.xlsx is an OpenDocument spreadsheet (.ods)" + save));
  // A native register and the DPV export, as `blindspot export` writes them.
  ASSERT_EQ(Cli({"export", "--register", kRegister, "--out", "/out/r.yaml"}).rc, 0);
  ASSERT_EQ(Cli({"export", "--register", kRegister, "--out", "/out/r.json"}).rc, 0);
  ASSERT_EQ(Cli({"export", "--register", kRegister, "--out", "/out/r.jsonld"}).rc, 0);
  writes = env_.writes();
  for (std::string f : {"/out/r.yaml", "/out/r.json"}) {
    CliRun native = Cli({"import", f, "--out", "/out/x.yaml"});
    EXPECT_EQ(native.rc, 2);
    EXPECT_EQ(native.err, said(f + " is already a blindspot register: use it with --register (or `blindspot "
                                   "export` to convert it)"));
  }
  EXPECT_EQ(env_.writes(), writes);
  EXPECT_EQ(env_.Contents("/out/x.yaml"), nullptr);
  // The DPV export reads back through its importer.
  CliRun dpv = Cli({"import", "/out/r.jsonld", "--out", "/out/x.yaml"});
  EXPECT_EQ(dpv.rc, 0) << dpv.err;
  EXPECT_NE(dpv.err.find("(format dpv)"), std::string::npos) << dpv.err;
  ASSERT_NE(env_.Contents("/out/x.yaml"), nullptr);
}

TEST_F(CliTest, ExportPicksTheFormatFromTheExtensionOrTakesIt) {
  CliRun list = Cli({"export", "--list"});
  ASSERT_EQ(list.rc, 0) << list.err;
  EXPECT_NE(list.out.find("dpv      W3C Data Privacy Vocabulary (DPV 2.0) JSON-LD"), std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("[.fides.yaml, .fides.yml]"), std::string::npos) << list.out;

  CliRun csv = Cli({"export", "--register", kRegister, "--out", "/out/register.csv", "--lang", "nl"});
  ASSERT_EQ(csv.rc, 0) << csv.err;
  EXPECT_NE(csv.err.find("/out/register.csv: 4 verwerkingen geëxporteerd uit"), std::string::npos) << csv.err;
  const std::string* written = env_.Contents("/out/register.csv");
  ASSERT_NE(written, nullptr);
  EXPECT_TRUE(written->starts_with("\xEF\xBB\xBFNummer,Afdeling,Naam verwerking,")) << *written;

  CliRun ld = Cli({"export", "-r", kRegister, "-o", "/out/register.jsonld"});
  ASSERT_EQ(ld.rc, 0) << ld.err;
  EXPECT_NE(env_.Contents("/out/register.jsonld")->find("\"dpv\": \"https://w3id.org/dpv#\""),
            std::string::npos);
  EXPECT_NE(ld.err.find("(format dpv)"), std::string::npos) << ld.err;
  // Only the native formats carry touchpoints: the others say they leave them out.
  EXPECT_NE(ld.err.find("the register's 4 touchpoint(s) and their answers are not written: format dpv has no "
                        "place for them"),
            std::string::npos)
      << ld.err;
  CliRun native = Cli({"export", "-r", kRegister, "-o", "/out/register.json"});
  ASSERT_EQ(native.rc, 0) << native.err;
  EXPECT_EQ(native.err.find("touchpoint(s)"), std::string::npos) << native.err;

  // --format wins over the extension.
  CliRun forced = Cli({"export", "--register", kRegister, "--out", "/out/r.json", "--format", "vws"});
  ASSERT_EQ(forced.rc, 0) << forced.err;
  EXPECT_TRUE(env_.Contents("/out/r.json")->starts_with("\xEF\xBB\xBF[")) << *env_.Contents("/out/r.json");
  // ... with a warning when the extension is another format's.
  EXPECT_NE(forced.err.find("/out/r.json: warning: writing vws, but the extension .json is that of json\n"),
            std::string::npos)
      << forced.err;
  CliRun mismatch =
      Cli({"export", "--register", kRegister, "--out", "/out/mismatch.csv", "--format", "ico-xlsx"});
  ASSERT_EQ(mismatch.rc, 0) << mismatch.err;
  EXPECT_NE(mismatch.err.find(
                "/out/mismatch.csv: warning: writing ico-xlsx, but the extension .csv is that of csv"),
            std::string::npos)
      << mismatch.err;
  EXPECT_TRUE(env_.Contents("/out/mismatch.csv")->starts_with("PK"));
  CliRun longer = Cli({"export", "--register", kRegister, "--out", "/out/r.fides.yaml", "--format", "yaml"});
  ASSERT_EQ(longer.rc, 0) << longer.err;
  EXPECT_NE(longer.err.find("writing yaml, but the extension .fides.yaml is that of fides"),
            std::string::npos)
      << longer.err;
  // No warning when the extension is the format's own, or no format's.
  for (std::vector<std::string> ok : {std::vector<std::string>{"/out/ico.xlsx", "ico-xlsx"},
                                      {"/out/r.vws.json", "vws"},
                                      {"/out/r.txt", "csv"}}) {
    CliRun quiet = Cli({"export", "--register", kRegister, "--out", ok[0], "--format", ok[1]});
    ASSERT_EQ(quiet.rc, 0) << quiet.err;
    EXPECT_EQ(quiet.err.find("extension"), std::string::npos) << quiet.err;
  }
  // The native format reads back as the same register.
  CliRun yaml = Cli({"export", "--register", kRegister, "--out", "/out/copy.yaml"});
  ASSERT_EQ(yaml.rc, 0) << yaml.err;
  CliRun again = Cli({"export", "--register", "/out/copy.yaml", "--out", "/out/copy2.yaml"});
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_EQ(*env_.Contents("/out/copy.yaml"), *env_.Contents("/out/copy2.yaml"));
}

TEST_F(CliTest, ExportErrorsWriteNothing) {
  size_t writes = env_.writes();
  CliRun ext = Cli({"export", "--register", kRegister, "--out", "/out/register.txt"});
  EXPECT_EQ(ext.rc, 2);
  EXPECT_NE(ext.err.find("/out/register.txt: error: no export format writes files with the extension of "
                         "'/out/register.txt'"),
            std::string::npos)
      << ext.err;
  EXPECT_NE(ext.err.find("blindspot export --list"), std::string::npos) << ext.err;
  // Each ending listed once (two layouts write .xlsx and .csv).
  EXPECT_NE(
      ext.err.find("expected: a file name ending in one of .yaml, .yml, .json, .xlsx, .csv, .fides.yaml"),
      std::string::npos)
      << ext.err;
  // --out naming a directory: said so, with a register's file name as the
  // example (not the audit's report.html), whatever its name ends in.
  env_.AddDirectory("/out/dir.xlsx");
  for (const std::string& out : {std::string("/out/dir.xlsx"), std::string("/out/")}) {
    SCOPED_TRACE(out);
    CliRun dir = Cli({"export", "--register", kRegister, "--out", out});
    EXPECT_EQ(dir.rc, 2) << dir.err;
    EXPECT_NE(dir.err.find(out + ": error: --out names a directory, not a file"), std::string::npos)
        << dir.err;
    EXPECT_EQ(dir.err.find("report.html"), std::string::npos) << dir.err;
  }
  CliRun dir = Cli({"export", "--register", kRegister, "--out", "/out/", "--format", "dpv"});
  EXPECT_NE(dir.err.find("hint: add a file name, e.g. /out/register.jsonld"), std::string::npos) << dir.err;
  CliRun unknown = Cli({"export", "--register", kRegister, "--out", "/out/r.csv", "--format", "pdf"});
  EXPECT_EQ(unknown.rc, 2);
  CliRun missing = Cli({"export", "--register", kRegister});
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.err.find("--out is missing"), std::string::npos) << missing.err;
  CliRun self = Cli({"export", "--register", kRegister, "--out", kRegister, "--format", "yaml"});
  EXPECT_EQ(self.rc, 2);
  EXPECT_NE(self.err.find("the output file is one of the inputs"), std::string::npos) << self.err;
  // An exporter that refuses the register (Fides needs a data_use per purpose).
  env_.AddFile("/work/nouse.yaml",
               "blindspot_register: 1\nactivities:\n  - id: a\n    name: A\n    purposes:\n"
               "      - description: Sales\n");
  CliRun fides = Cli({"export", "--register", "/work/nouse.yaml", "--out", "/out/a.fides.yaml"});
  EXPECT_EQ(fides.rc, 2) << fides.err;
  EXPECT_NE(fides.err.find("export to fides: activity 'a', purpose 'purpose-1' has no fideslang data_use"),
            std::string::npos)
      << fides.err;
  EXPECT_EQ(env_.Contents("/out/a.fides.yaml"), nullptr);
  EXPECT_EQ(env_.writes(), writes);
  // A failing write leaves no file (the Env writes atomically: temp + rename).
  env_.FailWrites("/out/full");
  CliRun full = Cli({"export", "--register", kRegister, "--out", "/out/full.csv"});
  EXPECT_NE(full.rc, 0);
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  EXPECT_EQ(env_.Contents("/out/full.csv"), nullptr);
}

TEST_F(CliTest, FormatThatContradictsTheExtensionWarns) {
  CliRun r = Cli({"detect", kHome, "--format", "json", "--out", "/out/r.html"});
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("warning: /out/r.html: writing json, but the extension .html is that of html\n"),
            std::string::npos)
      << r.err;
  ASSERT_NE(env_.Contents("/out/r.html"), nullptr);
  EXPECT_EQ(env_.Contents("/out/r.html")->front(), '{');
  CliRun nl = Cli({"audit", kHome, "--format", "json", "--out", "/out/r.txt", "--lang", "nl"});
  EXPECT_NE(nl.err.find("waarschuwing: /out/r.txt: uitvoer in json, maar de extensie .txt hoort bij text"),
            std::string::npos)
      << nl.err;
  // No warning when the extension fits, names no format, or the format follows from it.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"detect", kHome, "--format", "json", "--out", "/out/r.json"},
        {"detect", kHome, "--format", "json", "--out", "/out/r.log"},
        {"detect", kHome, "--out", "/out/r.txt"}}) {
    CliRun ok = Cli(args);
    EXPECT_EQ(ok.rc, 0) << ok.err;
    EXPECT_EQ(ok.err.find("warning"), std::string::npos) << ok.err;
  }
}

// The README tells a new user where the built program is and how to install
// it, keeps the quick start at two commands, and says which messages
// follow --lang; scripts/demo.sh ends by printing the program's path.
TEST(Readme, SaysWhereTheProgramIsAndWhichMessagesAreEnglish) {
  std::string readme = Slurp("README.md");
  auto section = [&](const std::string& heading) {
    size_t at = readme.find("\n## " + heading + "\n");
    EXPECT_NE(at, std::string::npos) << heading;
    if (at == std::string::npos) return std::string();
    size_t end = readme.find("\n## ", at + 1);
    return readme.substr(at, end == std::string::npos ? std::string::npos : end - at);
  };
  std::string quick = section("Quick start");
  size_t block = quick.find("```sh\n");
  ASSERT_NE(block, std::string::npos);
  std::string commands = quick.substr(block + 6, quick.find("```", block + 6) - block - 6);
  EXPECT_EQ(std::count(commands.begin(), commands.end(), '\n'), 2) << commands;
  std::string usage = section("Using it");
  EXPECT_NE(usage.find("build/release/src/blindspot"), std::string::npos) << usage;
  EXPECT_NE(usage.find("cmake --install build/release"), std::string::npos) << usage;
  EXPECT_NE(usage.find("Error messages about input files and command-line usage are\nin English"),
            std::string::npos)
      << usage;
  std::string demo = Slurp("scripts/demo.sh");
  std::string last = demo.substr(demo.rfind("\necho ") + 1);
  EXPECT_NE(last.find("$bin"), std::string::npos) << last;
  EXPECT_NE(demo.find("bin=build/release/src/blindspot"), std::string::npos);
}

// The operator gives a user a one-time password: read from standard
// input, stored hashed, to be replaced at the next login.
TEST_F(CliTest, UserResetPasswordSetsAOneTimePassword) {
  char tmpl[] = "/tmp/bs_cli_reset_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string db = std::string(tmpl) + "/admin.db";
  auto with_stdin = [&](const std::string& input, const std::vector<std::string>& args) {
    std::istringstream in(input);
    auto* old = std::cin.rdbuf(in.rdbuf());
    CliRun r = Cli(args);
    std::cin.rdbuf(old);
    return r;
  };
  CliRun org = Cli({"org", "add", "--db", db, "--name", "Fietshuis"});
  ASSERT_EQ(org.rc, kExitOk) << org.err;
  const std::string org_id = org.out.substr(0, org.out.find('\n'));
  ASSERT_EQ(
      with_stdin("a long password 123\n", {"user", "add", "--db", db, "--org", org_id, "--email",
                                           "bo@example.nl", "--role", "business_owner", "--password-stdin"})
          .rc,
      kExitOk);
  CliRun reset = with_stdin("a one-time password\n", {"user", "reset-password", "--db", db, "--email",
                                                      "bo@example.nl", "--password-stdin"});
  ASSERT_EQ(reset.rc, kExitOk) << reset.err;
  EXPECT_NE(reset.err.find("bo@example.nl has a one-time password"), std::string::npos) << reset.err;
  {
    auto st = store::Store::Open(db);
    ASSERT_TRUE(st.has_value()) << st.error().message;
    admin::Admin admin(**st, {});
    EXPECT_FALSE(admin.Login({"bo@example.nl", "a long password 123", "", "10.0.0.1"}).has_value());
    auto login = admin.Login({"bo@example.nl", "a one-time password", "", "10.0.0.1"});
    ASSERT_TRUE(login.has_value()) << login.error().message;
    EXPECT_TRUE(login->must_change_password);
  }
  CliRun unknown = with_stdin("a one-time password\n", {"user", "reset-password", "--db", db, "--email",
                                                        "nobody@example.nl", "--password-stdin"});
  EXPECT_EQ(unknown.rc, 2);
  EXPECT_NE(unknown.err.find("no user with the e-mail address 'nobody@example.nl'"), std::string::npos)
      << unknown.err;
  CliRun short_one = with_stdin(
      "short\n", {"user", "reset-password", "--db", db, "--email", "bo@example.nl", "--password-stdin"});
  EXPECT_EQ(short_one.rc, 2) << short_one.err;
  std::filesystem::remove_all(tmpl);
}

TEST_F(CliTest, PublishWritesTheStaticSiteFromARegisterFile) {
  env_.SetNow("2027-01-15T08:00:00Z");
  auto r = Cli({"publish", "--register", kRegister, "--out", "/out/site"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("4 published processing activities written to /out/site/"), std::string::npos)
      << r.err;
  for (const char* f :
       {"index.html", "nl/index.html", "en/index.html", "de/index.html", "register.json", "register.jsonld"})
    EXPECT_NE(env_.Contents(std::string("/out/site/") + f), nullptr) << f;
  const std::string nl = *env_.Contents("/out/site/nl/index.html");
  EXPECT_NE(nl.find("Fietshuis Zonnepad B.V."), std::string::npos);
  EXPECT_NE(nl.find("fg@privacybureau-utrecht.nl"), std::string::npos);
  EXPECT_NE(nl.find("<section id=\"webshop-orders\">"), std::string::npos);
  EXPECT_NE(nl.find("Mollie B.V."), std::string::npos);
  EXPECT_EQ(nl.find("<script"), std::string::npos);
  auto json = nlohmann::json::parse(*env_.Contents("/out/site/register.json"));
  EXPECT_EQ(json["activities"].size(), 4u);
  EXPECT_EQ(json["generated_at"], "2027-01-15T08:00:00Z");
  // register.jsonld: the same activities as DPV processes, recipients by their public names.
  auto ld = nlohmann::json::parse(*env_.Contents("/out/site/register.jsonld"));
  EXPECT_EQ(ld["@context"]["dpv"], "https://w3id.org/dpv#");
  std::vector<std::string> processes, ids;
  for (const auto& n : ld["@graph"]) {
    EXPECT_NE(n["@type"], "dpv:DataProcessor") << n.dump();
    if (n["@type"] == "dpv:Process") processes.push_back(n["@id"]);
  }
  for (const auto& a : json["activities"])
    ids.push_back("urn:blindspot:activity:" + a["id"].get<std::string>());
  EXPECT_EQ(processes, ids);
  EXPECT_NE(env_.Contents("/out/site/register.jsonld")->find("\"rdfs:label\": \"Mollie B.V.\""),
            std::string::npos);
  EXPECT_NE(nl.find("href=\"../register.jsonld\""), std::string::npos);
  // Publishing again replaces the site (a folder that holds only a public register).
  env_.SetNow("2027-02-01T08:00:00Z");
  r = Cli({"publish", "--register", kRegister, "--out", "/out/site"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(*env_.Contents("/out/site/register.json"))["generated_at"],
            "2027-02-01T08:00:00Z");
}

TEST_F(CliTest, PublishRefusesBadInputAndWritesNothing) {
  // Neither source, or both.
  auto r = Cli({"publish", "--out", "/out/site"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--register FILE, or --org ID"), std::string::npos) << r.err;
  r = Cli({"publish", "--register", kRegister, "--org", "o1", "--out", "/out/site"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("excludes"), std::string::npos) << r.err;
  // A register with a problem: its file:line:col, nothing written.
  env_.AddFile("/bad.yaml", "blindspot_register: 1\nactivities:\n  - id: x\n    lawful: 1\n");
  r = Cli({"publish", "--register", "/bad.yaml", "--out", "/out/site"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("/bad.yaml:4:"), std::string::npos) << r.err;
  EXPECT_EQ(env_.Contents("/out/site/index.html"), nullptr);
  r = Cli({"publish", "--register", "/missing.yaml", "--out", "/out/site"});
  EXPECT_EQ(r.rc, 4) << r.err;
  // A folder with other files is never replaced.
  env_.AddDirectory("/www");
  env_.AddFile("/www/about.html", "mine");
  r = Cli({"publish", "--register", kRegister, "--out", "/www"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("the folder holds 'about.html', which is not part of a public register"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(*env_.Contents("/www/about.html"), "mine");
  EXPECT_EQ(env_.Contents("/www/index.html"), nullptr);
  // A file in the way.
  env_.AddFile("/out/file", "x");
  r = Cli({"publish", "--register", kRegister, "--out", "/out/file"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--out is a file, not a folder"), std::string::npos) << r.err;
  // A write that fails: exit 4 and no half site.
  env_.FailWrites("/out/half/de/");
  r = Cli({"publish", "--register", kRegister, "--out", "/out/half"});
  EXPECT_EQ(r.rc, 4) << r.err;
  EXPECT_EQ(env_.Contents("/out/half/index.html"), nullptr);
  EXPECT_EQ(env_.Contents("/out/half/nl/index.html"), nullptr);
}

}  // namespace
}  // namespace blindspot

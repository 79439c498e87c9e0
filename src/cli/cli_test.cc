// The command line in-process on an in-memory file system: arguments reach
// the use cases, errors become messages and exit codes, and output goes to
// stdout or through the Env to a file.
#include "blindspot/cli.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "blindspot/env.h"

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

struct CliRun {
  int rc = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = Slurp("examples/webshop/har/home.har");
    env_.AddFile(kHome, home_);
    env_.AddFile(kCheckout, Slurp("examples/webshop/har/checkout.har"));
    env_.AddFile(kRegister, Slurp("examples/webshop/register.yaml"));
    env_.AddDirectory("/out");
  }

  CliRun Cli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    CliRun r;
    r.rc = RunCli(args, out, err, &env_);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

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

}  // namespace
}  // namespace blindspot

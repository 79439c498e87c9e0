// The audit report printed to PDF by Debian's chromium (headless, over the
// DevTools pipe), end to end through the command line: a real file that
// starts as a PDF, a sensible number of A4 pages, and the text of a known
// finding of the example (pdftotext, poppler-utils). Without chromium or
// poppler-utils the test is skipped; under CI (CI set, not "false") that is a
// failure (scripts/setup.sh installs both). ctest label: scan.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "blindspot/cli.h"
#include "blindspot_testing/files.h"
#include "blindspot_testing/tools.h"

namespace fs = std::filesystem;

namespace {

using blindspot::testing::Slurp;

// The standard output of a command (the paths are ours, quoted).
std::string CommandOutput(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

class ReportPdf : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/blindspot-pdf-test-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }
  int Cli(const std::vector<std::string>& args, std::string* err) {
    std::ostringstream out, e;
    int rc = blindspot::RunCli(args, out, e);
    *err = e.str();
    return rc;
  }
  fs::path dir_;
};

TEST_F(ReportPdf, TheExampleAuditPrintsToA4WithItsFindings) {
  BLINDSPOT_REQUIRE_TOOL("/usr/bin/chromium");
  BLINDSPOT_REQUIRE_TOOL("/usr/bin/pdftotext");
  BLINDSPOT_REQUIRE_TOOL("/usr/bin/pdfinfo");
  const std::string root = BLINDSPOT_SOURCE_DIR;
  const fs::path pdf = dir_ / "report.pdf";
  std::string err;
  int rc = Cli({"audit", "--register", root + "/examples/webshop/register.yaml", "--har",
                root + "/examples/webshop/har/home.har", "--har", root + "/examples/webshop/har/checkout.har",
                "--lang", "nl", "--no-timestamp", "--out", pdf.string()},
               &err);
  ASSERT_EQ(rc, 0) << err;
  EXPECT_NE(err.find(pdf.string() + ": "), std::string::npos) << err;  // the summary names the file
  const std::string bytes = Slurp(pdf);
  ASSERT_TRUE(bytes.starts_with("%PDF-")) << bytes.substr(0, 16);
  const std::string info = CommandOutput("pdfinfo '" + pdf.string() + "'");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) << info;
  const int pages = std::stoi(m[1]);
  EXPECT_GE(pages, 5) << info;   // 19 findings, 8 touchpoints with their evidence
  EXPECT_LE(pages, 60) << info;  // and not one finding per page
  // A4 in points: 595.28 x 841.89 (pdfinfo rounds).
  EXPECT_TRUE(std::regex_search(info, std::regex(R"(Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\))"))) << info;
  // The text with every run of white space as one space (lines wrap where the page ends them).
  std::string text;
  for (char c : CommandOutput("pdftotext '" + pdf.string() + "' -")) {
    const bool space = c == ' ' || c == '\n' || c == '\f' || c == '\t';
    if (!space)
      text += c;
    else if (!text.empty() && text.back() != ' ')
      text += ' ';
  }
  // A finding of the golden case (tests/cases/pinned/example-json-nl), its rule and the footer.
  EXPECT_NE(text.find("Touchpoint vereist toestemming, maar het register noemt een andere grondslag"),
            std::string::npos);
  EXPECT_NE(text.find("BS006-consent-required"), std::string::npos);
  EXPECT_NE(text.find("Pagina 1 van " + std::to_string(pages)), std::string::npos) << text.substr(0, 3000);
}

TEST_F(ReportPdf, AMissingBrowserExitsFourAndWritesNothing) {
  const std::string root = BLINDSPOT_SOURCE_DIR;
  const fs::path pdf = dir_ / "report.pdf";
  std::string err;
  int rc = Cli({"audit", "--har", root + "/examples/webshop/har/home.har", "--out", pdf.string(), "--browser",
                (dir_ / "no-chromium").string()},
               &err);
  EXPECT_EQ(rc, 4) << err;
  EXPECT_NE(err.find("cannot run the browser " + (dir_ / "no-chromium").string()), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(pdf));
}

}  // namespace

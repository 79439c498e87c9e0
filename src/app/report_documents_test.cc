// The audit report as documents for the auditor's file: XLSX (read back with
// the project's own reader, src/sheet) and PDF (the HTML report handed to the
// printer seam, app::Options::print_pdf; Chromium itself is tested in
// tests/report_pdf_test.cc, label scan). Binary formats never go to stdout.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blindspot/app.h"
#include "blindspot/env.h"
#include "blindspot/sheet.h"

namespace blindspot {
namespace {

const std::string kHome = "/c/captures/home.har";
const std::string kCheckout = "/c/captures/checkout.har";
const std::string kRegister = "/c/register.yaml";

std::string Slurp(const std::string& rel) {
  auto text = Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/" + rel, 1 << 26);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().Format());
  return text ? *text : std::string();
}

std::string Errors(const Diagnostics& d) {
  std::string s;
  for (const Error& e : d) s += e.Format();
  return s;
}

class ReportDocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.AddFile(kHome, Slurp("examples/webshop/har/home.har"));
    env_.AddFile(kCheckout, Slurp("examples/webshop/har/checkout.har"));
    env_.AddFile(kRegister, Slurp("examples/webshop/register.yaml"));
    env_.AddDirectory("/out");
    o_.env = &env_;
    o_.default_filter_lists = false;
  }
  app::AuditRequest Request(std::string out, std::string format = "") const {
    app::AuditRequest r;
    r.register_path = kRegister;
    r.evidence = {kHome, kCheckout};
    r.out_path = std::move(out);
    r.format = std::move(format);
    r.timestamp = false;
    return r;
  }
  // The row of `sheet` whose first `n` cells are `key`; nullptr if none.
  static const std::vector<std::string>* Row(const sheet::Sheet& s, const std::vector<std::string>& key) {
    for (const auto& row : s.rows)
      if (row.size() >= key.size() && std::equal(key.begin(), key.end(), row.begin())) return &row;
    return nullptr;
  }

  MemEnv env_;
  app::Options o_;
};

TEST_F(ReportDocumentsTest, XlsxHasFindingsAndTouchpointsInTheReportLanguage) {
  o_.lang = "nl";
  auto out = app::Audit(o_, Request("/out/report.xlsx"));
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  ASSERT_NE(env_.Contents("/out/report.xlsx"), nullptr);
  const std::string& bytes = *env_.Contents("/out/report.xlsx");
  ASSERT_TRUE(sheet::LooksLikeXlsx(bytes));
  auto wb = sheet::ReadXlsx(bytes, "report.xlsx");
  ASSERT_TRUE(wb.has_value()) << wb.error().Format();
  ASSERT_EQ(wb->sheets.size(), 2u);
  const sheet::Sheet& findings = wb->sheets[0];
  const sheet::Sheet& touchpoints = wb->sheets[1];
  EXPECT_EQ(findings.name, "Bevindingen");
  EXPECT_EQ(touchpoints.name, "Touchpoints");
  EXPECT_EQ(findings.rows.at(0),
            (std::vector<std::string>{"Regel", "Ernst", "Titel", "Onderwerp", "Toelichting",
                                      "Plaats in het register", "Juridische bronnen",
                                      "Ten opzichte van de baseline", "Vingerafdruk"}));
  // One row per finding, as many as the audit made.
  EXPECT_EQ(findings.rows.size(), 1 + out->result.findings.size());
  EXPECT_EQ(out->result.findings.size(), 19u);
  // The golden case's BS006 about the Meta Pixel (tests/cases/pinned/example-json-nl).
  const auto* bs006 = Row(findings, {"BS006-consent-required", "hoog"});
  ASSERT_NE(bs006, nullptr);
  EXPECT_EQ((*bs006)[2], "Touchpoint vereist toestemming, maar het register noemt een andere grondslag");
  EXPECT_EQ((*bs006)[3], "touchpoint: Meta Pixel (meta-pixel)");
  EXPECT_EQ(
      (*bs006)[4].substr(0, (*bs006)[4].find('\n')),
      "Touchpoint 'Meta Pixel' (Meta Pixel) vereist voorafgaande toestemming, maar het antwoord bij het "
      "touchpoint noemt gerechtvaardigd belang (art. 6 lid 1 sub f) als grondslag");
  EXPECT_EQ((*bs006)[5], "register.yaml:246:21");
  EXPECT_EQ((*bs006)[6].substr(0, (*bs006)[6].find('\n')), "Telecommunicatiewet art. 11.7a (cookiebepaling)");
  EXPECT_NE((*bs006)[6].find("\nHvJ EU C-673/17 Planet49, ECLI:EU:C:2019:801\n"), std::string::npos);
  EXPECT_EQ((*bs006)[7], "");  // no baseline: no gate state
  EXPECT_EQ((*bs006)[8], "2915aebbef0e8276");

  EXPECT_EQ(touchpoints.rows.at(0).at(0), "Product");
  EXPECT_EQ(touchpoints.rows.at(0).at(1), "Leverancier");
  EXPECT_EQ(touchpoints.rows.at(0).at(6), "Status");
  EXPECT_EQ(touchpoints.rows.size(), 1 + out->result.touchpoints.size());
  const auto* callrail = Row(touchpoints, {"CallRail", "CallRail, Inc.", "US", "US"});
  ASSERT_NE(callrail, nullptr);
  EXPECT_EQ((*callrail)[6], "blinde vlek");
  EXPECT_EQ((*callrail)[7], "");  // not in the register
  EXPECT_NE((*callrail)[11].find("cdn.callrail.com"), std::string::npos) << (*callrail)[11];
  EXPECT_NE((*callrail)[11].find("js.callrail.com"), std::string::npos) << (*callrail)[11];
  EXPECT_EQ((*callrail)[12], "5");  // evidence items, as the JSON report's evidence_count
  const auto* meta = Row(touchpoints, {"Meta Pixel"});
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ((*meta)[6], "geregistreerd");
  EXPECT_EQ((*meta)[7], "meta-pixel");
}

TEST_F(ReportDocumentsTest, XlsxSaysWhichFindingsTheBaselineKnows) {
  app::AuditRequest first = Request("/out/first.xlsx");
  first.write_baseline_path = "/out/baseline.yaml";
  auto known = app::Audit(o_, first);
  ASSERT_TRUE(known.has_value()) << Errors(known.error());
  // The same audit again against that baseline: every finding is known.
  app::AuditRequest second = Request("/out/second.xlsx");
  second.baseline_path = "/out/baseline.yaml";
  auto out = app::Audit(o_, second);
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  auto wb = sheet::ReadXlsx(*env_.Contents("/out/second.xlsx"), "second.xlsx");
  ASSERT_TRUE(wb.has_value()) << wb.error().Format();
  const sheet::Sheet& findings = wb->sheets[0];
  EXPECT_EQ(findings.rows.at(0).at(7), "Against the baseline");
  ASSERT_EQ(findings.rows.size(), 20u);
  for (size_t r = 1; r < findings.rows.size(); ++r) EXPECT_EQ(findings.Cell(r, 7), "in baseline") << r;
}

TEST_F(ReportDocumentsTest, XlsxCellsThatLookLikeFormulasStayText) {
  std::string reg = *env_.Contents(kRegister);
  reg +=
      "  - id: formula\n    name: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\n"
      "    channel: web-tracking\n";
  env_.AddFile(kRegister, reg);
  auto out = app::Audit(o_, Request("/out/report.xlsx"));
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  auto wb = sheet::ReadXlsx(*env_.Contents("/out/report.xlsx"), "report.xlsx");
  ASSERT_TRUE(wb.has_value()) << wb.error().Format();
  const auto* row = Row(wb->sheets[1], {"'=HYPERLINK(\"http://evil.example\",\"x\")"});
  ASSERT_NE(row, nullptr) << "the touchpoint's name is neutralised with a leading apostrophe";
  EXPECT_EQ((*row)[6], "not seen");
}

TEST_F(ReportDocumentsTest, BinaryFormatsAreNotWrittenToStandardOutput) {
  for (const char* format : {"xlsx", "pdf"}) {
    SCOPED_TRACE(format);
    for (const char* out : {"", "-"}) {
      auto r = app::Audit(o_, Request(out, format));
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(app::ExitCodeFor(r.error()), app::kExitBadInput);
      const std::string text = Errors(r.error());
      EXPECT_NE(text.find(std::string("the ") + format +
                          " format is binary: it is written to a file, not to standard output"),
                std::string::npos)
          << text;
      EXPECT_NE(text.find(std::string("e.g. --out report.") + format), std::string::npos) << text;
    }
  }
  EXPECT_EQ(env_.writes(), 0u);
}

TEST_F(ReportDocumentsTest, PdfIsTheHtmlReportHandedToThePrinter) {
  o_.lang = "de";
  std::string html_seen;
  scan::PrintOptions options_seen;
  o_.print_pdf = [&](std::string_view html, const scan::PrintOptions& po) -> Result<std::string> {
    html_seen = std::string(html);
    options_seen = po;
    return std::string("%PDF-1.4 printed");
  };
  app::AuditRequest req = Request("/out/report.pdf");
  req.browser = "/opt/chromium/chrome";
  auto out = app::Audit(o_, req);
  ASSERT_TRUE(out.has_value()) << Errors(out.error());
  EXPECT_EQ(*env_.Contents("/out/report.pdf"), "%PDF-1.4 printed");
  // The same page as --format html: the report core is unchanged and pure.
  auto html = app::Audit(o_, Request("/out/report.html"));
  ASSERT_TRUE(html.has_value()) << Errors(html.error());
  EXPECT_EQ(html_seen, *env_.Contents("/out/report.html"));
  EXPECT_EQ(options_seen.browser, "/opt/chromium/chrome");
  EXPECT_NE(options_seen.footer_html.find(
                "Seite <span class=\"pageNumber\"></span> von <span class=\"totalPages\"></span>"),
            std::string::npos)
      << options_seen.footer_html;
  EXPECT_NE(out->summary.find("/out/report.pdf: "), std::string::npos) << out->summary;
}

TEST_F(ReportDocumentsTest, PdfWithoutChromiumIsAnIoErrorAndWritesNothing) {
  app::AuditRequest req = Request("/out/report.pdf");
  req.browser = "/nonexistent/chromium";
  auto out = app::Audit(o_, req);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(app::ExitCodeFor(out.error()), app::kExitIo);
  const std::string text = Errors(out.error());
  EXPECT_NE(text.find("cannot run the browser /nonexistent/chromium"), std::string::npos) << text;
  EXPECT_NE(text.find("apt install chromium"), std::string::npos) << text;
  EXPECT_EQ(env_.Contents("/out/report.pdf"), nullptr);
}

}  // namespace
}  // namespace blindspot

// End to end on real input: a real HAR (read in place from
// BLINDSPOT_REALDATA_DIR) through detection and the audit with an empty
// register, then every report format. Real URLs must stay inert in HTML.
#include <gtest/gtest.h>

#include "blindspot_testing/realdata.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "blindspot/report.h"

namespace blindspot {
namespace {

TEST(ReportRealData, FergusonHarWithEmptyRegister) {
  BLINDSPOT_REQUIRE_REALDATA();
  Result<Kb> kb = Kb::LoadEmbedded();
  ASSERT_TRUE(kb.has_value()) << kb.error().Format();
  std::string har = std::string(BLINDSPOT_REALDATA_DIR) + "/har/ferguson.com.har";
  Result<DetectionResult> det = DetectFromHars(*kb, {har});
  ASSERT_TRUE(det.has_value()) << det.error().Format();
  ASSERT_FALSE(det->touchpoints.empty());
  std::vector<std::string> detected_ids;
  for (const DetectedTouchpoint& d : det->touchpoints) detected_ids.push_back(d.kb_id);

  Register reg;
  reg.source = "empty.yaml";
  reg.organisation.name = "Example";
  AuditResult result = RunAudit(reg, *kb, std::move(*det));

  ReportOptions o;
  o.lang = "nl";
  auto t0 = std::chrono::steady_clock::now();
  Result<std::string> json_text = FindReportFormat("json")->render(result, o);
  Result<std::string> html = FindReportFormat("html")->render(result, o);
  Result<std::string> text = FindReportFormat("text")->render(result, o);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(json_text && html && text);
  RecordProperty("render_ms_all_formats", static_cast<int>(ms));

  nlohmann::json j = nlohmann::json::parse(*json_text);
  EXPECT_EQ(j["evidence"]["entries"], result.detection.entries);
  EXPECT_GT(j["evidence"]["entries"].get<uint64_t>(), 100u);
  std::vector<std::string> json_ids;
  for (const auto& tp : j["touchpoints"]) {
    json_ids.push_back(tp["kb_id"]);
    // Nothing is registered, so every detected touchpoint is a blind spot.
    EXPECT_EQ(tp["blind_spot"], true) << tp["kb_id"];
    EXPECT_GE(tp["evidence_count"].get<uint64_t>(), tp["evidence"].size());
  }
  EXPECT_EQ(json_ids, detected_ids);
  EXPECT_EQ(j["summary"]["blind_spots"], detected_ids.size());
  EXPECT_EQ(j["findings"].size(), result.findings.size());
  // The meta pixel is in this HAR (see realdata/README.md).
  EXPECT_NE(std::find(json_ids.begin(), json_ids.end(), "meta-pixel"), json_ids.end());

  // HTML: the real tracker URLs appear only as text, never as a load.
  std::regex loads(R"re(<(script|img|iframe|link|source|embed|object)\b)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(*html, loads));
  EXPECT_EQ(html->find("url("), std::string::npos);
  EXPECT_NE(html->find("facebook"), std::string::npos);
  EXPECT_EQ(html->find("{{"), std::string::npos);
  for (size_t i = 1; i <= detected_ids.size(); ++i)
    EXPECT_NE(html->find("id=\"tp-" + std::to_string(i) + "\""), std::string::npos) << i;
  EXPECT_NE(html->find("<html lang=\"nl\">"), std::string::npos);

  EXPECT_TRUE(std::regex_search(
      *text, std::regex("\nBlinde vlekken: +" + std::to_string(detected_ids.size()) + "\n")))
      << *text;
}

}  // namespace
}  // namespace blindspot

// End to end on real input: a real HAR (read in place from
// BLINDSPOT_REALDATA_DIR) through detection and the audit with an empty
// register, then every report format. Real URLs must stay inert in HTML.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "blindspot/app.h"
#include "blindspot/report.h"
#include "blindspot_testing/realdata_fixture.h"

namespace blindspot {
namespace {

TEST(ReportRealData, FergusonHarWithEmptyRegister) {
  BLINDSPOT_REQUIRE_REALDATA();
  auto index = app::LoadKbIndex(app::Options{});
  ASSERT_TRUE(index.has_value()) << index.error().Format();
  // The kb the detection points into, kept alive by the index.
  std::shared_ptr<const Kb> kb(*index, &(*index)->kb());
  DetectionResult det = testing::DetectFiles({testing::RealHar("ferguson.com.har")});
  ASSERT_FALSE(det.touchpoints.empty());
  std::vector<std::string> detected_ids;
  for (const DetectedTouchpoint& d : det.touchpoints) detected_ids.push_back(d.kb_id);

  auto reg = std::make_shared<Register>();
  reg->source = "/home/someone/clients/example/empty.yaml";
  reg->organisation.name = "Example";
  AuditResult result = RunAudit(reg, kb, std::move(det));

  OutputInput in;
  in.audit = &result;
  in.options.lang = "nl";
  auto t0 = std::chrono::steady_clock::now();
  Result<std::string> json_text = FindOutputFormat(OutputSubject::kAudit, "json")->render(in);
  Result<std::string> html = FindOutputFormat(OutputSubject::kAudit, "html")->render(in);
  Result<std::string> text = FindOutputFormat(OutputSubject::kAudit, "text")->render(in);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(json_text && html && text);
  RecordProperty("render_ms_all_formats", static_cast<int>(ms));

  nlohmann::json j = nlohmann::json::parse(*json_text);
  EXPECT_EQ(j["evidence"]["entries"], result.detection.entries);
  // Inputs by base name: no local folder in any format.
  EXPECT_EQ(j["register"]["file"], "empty.yaml");
  EXPECT_EQ(j["evidence"]["sources"][0]["name"], "ferguson.com.har");
  for (const std::string* out : {&*json_text, &*html, &*text}) {
    EXPECT_EQ(out->find("/home/someone"), std::string::npos);
    EXPECT_EQ(out->find(BLINDSPOT_REALDATA_DIR), std::string::npos);
  }
  EXPECT_GT(j["evidence"]["entries"].get<uint64_t>(), 100u);
  std::vector<std::string> json_ids;
  size_t inferred = 0;
  for (const auto& tp : j["touchpoints"]) {
    json_ids.push_back(tp["kb_id"]);
    // Nothing is registered, so every detected touchpoint is a blind spot,
    // except what is only inferred from another product's signal (Google Ads
    // remarketing from Google Analytics' advertising features, medium).
    if (tp["kb_id"] == "google-ads-remarketing") {
      EXPECT_EQ(tp["status"], "inferred");
      EXPECT_EQ(tp["confidence"], "medium");
      EXPECT_EQ(tp["implied_by"], "google-analytics");
      ++inferred;
    } else {
      EXPECT_EQ(tp["blind_spot"], true) << tp["kb_id"];
    }
    EXPECT_GE(tp["evidence_count"].get<uint64_t>(), tp["evidence"].size());
  }
  EXPECT_EQ(inferred, 1u);
  EXPECT_EQ(json_ids, detected_ids);
  EXPECT_EQ(j["summary"]["blind_spots"], detected_ids.size() - inferred);
  EXPECT_EQ(j["summary"]["inferred"], inferred);
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
    EXPECT_NE(html->find("id=\"card-" + std::to_string(i) + "\""), std::string::npos) << i;
  EXPECT_NE(html->find("<html lang=\"nl\">"), std::string::npos);

  EXPECT_TRUE(std::regex_search(
      *text, std::regex("\nBlinde vlekken: +" + std::to_string(detected_ids.size() - inferred) + "\n")))
      << *text;
}

}  // namespace
}  // namespace blindspot

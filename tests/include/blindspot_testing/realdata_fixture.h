// A fixture for tests on the real HAR files: the embedded knowledge base is
// loaded once per suite, each test is skipped (or, under CI, failed) when the
// real data is absent, and Detect(name) runs detection on one real HAR.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "blindspot/detect.h"
#include "blindspot/kb.h"
#include "blindspot_testing/realdata.h"

namespace blindspot::testing {

inline std::string RealHar(const std::string& name) {
  return std::string(BLINDSPOT_REALDATA_DIR) + "/har/" + name;
}

class RealDataTest : public ::testing::Test {
 protected:
  void SetUp() override { BLINDSPOT_REQUIRE_REALDATA(); }
  static void SetUpTestSuite() {
    if (!RealDataAvailable()) return;
    auto kb = Kb::LoadEmbedded();
    ASSERT_TRUE(kb.has_value()) << kb.error().Format();
    kb_ = new Kb(std::move(*kb));
  }
  static void TearDownTestSuite() {
    delete kb_;
    kb_ = nullptr;
  }
  static DetectionResult Detect(const std::string& har) {
    auto r = DetectFromHars(*kb_, {RealHar(har)});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().Format());
    return r ? std::move(*r) : DetectionResult{};
  }
  static inline Kb* kb_ = nullptr;
};

}  // namespace blindspot::testing

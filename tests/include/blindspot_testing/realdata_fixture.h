// A fixture for tests on the real HAR files: the built-in knowledge base and
// its index are loaded once (shared by the application layer), each test is
// skipped (or, under CI, failed) when the real data is absent, and
// Detect(name) runs detection on one real HAR through the application layer.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "blindspot/app.h"
#include "blindspot/detect.h"
#include "blindspot_testing/realdata.h"

namespace blindspot::testing {

inline std::string RealHar(const std::string& name) {
  return std::string(BLINDSPOT_REALDATA_DIR) + "/har/" + name;
}

// Detection over files through the application layer (the CLI's path).
// `first_party` (registrable domains) is the auditor's --first-party, if any.
inline DetectionResult DetectFiles(const std::vector<std::string>& paths,
                                   const std::vector<std::string>& first_party = {}) {
  app::Options o;
  auto index = app::LoadKbIndex(o);
  EXPECT_TRUE(index.has_value()) << (index ? "" : index.error().Format());
  if (!index) return {};
  auto sources = app::OpenEvidence(o, paths, nullptr);
  EXPECT_TRUE(sources.has_value()) << (sources ? "" : sources.error().Format());
  if (!sources) return {};
  auto filters = app::LoadDetectionFilters(o, nullptr);
  EXPECT_TRUE(filters.has_value()) << (filters ? "" : filters.error().Format());
  DetectOptions options;
  options.first_party = first_party;
  if (filters) options.filters = *filters;
  auto r = blindspot::Detect(*index, sources->sources, options, sources->discoveries);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().Format());
  return r ? std::move(*r) : DetectionResult{};
}

// The built-in knowledge base (shared, loaded once).
inline const Kb& BuiltinKb() {
  static const std::shared_ptr<const KbIndex> index = [] {
    auto i = app::LoadKbIndex(app::Options{});
    return i ? *i : nullptr;
  }();
  static const Kb empty;
  return index ? index->kb() : empty;
}

class RealDataTest : public ::testing::Test {
 protected:
  void SetUp() override { BLINDSPOT_REQUIRE_REALDATA(); }
  static DetectionResult Detect(const std::string& har) { return DetectFiles({RealHar(har)}); }
  static const Kb& kb() { return BuiltinKb(); }
};

}  // namespace blindspot::testing

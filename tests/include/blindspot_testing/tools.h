// Tests that need a program installed by scripts/setup.sh (chromium,
// pdftotext): skipped where it is missing, failed under CI (CI=true), where
// setup.sh has run and a skip would hide a broken test. Header-only; tests only.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace blindspot::testing {

inline bool CiRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false";
}

}  // namespace blindspot::testing

// In a TEST body: skips (or fails under CI) when `path` does not exist.
#define BLINDSPOT_REQUIRE_TOOL(path)                                             \
  do {                                                                           \
    if (!std::filesystem::exists(path)) {                                        \
      if (::blindspot::testing::CiRequired())                                    \
        FAIL() << (path) << " is required under CI (scripts/setup.sh)";          \
      GTEST_SKIP() << (path) << " not installed (scripts/setup.sh): not tested"; \
    }                                                                            \
  } while (0)

// Tests that read ../shared/realdata (files made by others, never copied into
// the repository) start with BLINDSPOT_REQUIRE_REALDATA(). Where the folder is
// absent (a machine with only the repository) they are skipped with a message;
// under CI (environment variable CI set) a missing folder is a failure, so CI
// cannot pass by skipping them.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace blindspot::testing {

inline bool RealDataAvailable() {
  return std::filesystem::exists(std::filesystem::path(BLINDSPOT_REALDATA_DIR) / "har" / "ferguson.com.har");
}

inline bool RealDataRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false";
}

}  // namespace blindspot::testing

#define BLINDSPOT_REQUIRE_REALDATA()                                                                       \
  do {                                                                                                     \
    if (!::blindspot::testing::RealDataAvailable()) {                                                      \
      if (::blindspot::testing::RealDataRequired()) {                                                      \
        FAIL() << "real data not found at " BLINDSPOT_REALDATA_DIR " (required under CI)";                 \
      } else {                                                                                             \
        GTEST_SKIP() << "real data not found at " BLINDSPOT_REALDATA_DIR                                   \
                     << " (place the shared realdata folder there or configure -DBLINDSPOT_REALDATA_DIR)"; \
      }                                                                                                    \
    }                                                                                                      \
  } while (0)

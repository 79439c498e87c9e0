// Test helpers for src/io/*_test.cc: comparing what an importer read back
// with what was written, item by item.
#pragma once
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

namespace blindspot::testing_io {

// Asserts that `got` has as many items as `want`, then calls check(g, w) on
// each pair in order, traced by the wanted item's id (activities, processors,
// ... all have one). A fatal failure inside `check` ends the loop; callers
// wrap the call in ASSERT_NO_FATAL_FAILURE to end the test there as well.
template <typename T, typename Check>
void ExpectEachPair(const std::vector<T>& got, const std::vector<T>& want, Check check) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].id);
    check(got[i], want[i]);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace blindspot::testing_io

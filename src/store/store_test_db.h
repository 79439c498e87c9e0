// Test helper of the store's own tests (src/store/*_test.cc; the admin and http tests share
// tests/include/store_test_util.h): a fresh, empty database per test on each backend. SQLite: a
// file in a new temporary folder (a subfolder that does not exist yet, so
// OpenDb creates it) or ":memory:". PostgreSQL: a new database
// test_<random> in the cluster named by BLINDSPOT_TEST_PG (scripts/test.sh
// starts one with scripts/pg_cluster.sh), dropped at the end; without
// BLINDSPOT_TEST_PG the PostgreSQL variants are skipped, and fail under CI.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "blindspot/store.h"

namespace blindspot::store::test_db {

enum class Backend { kSqliteFile, kSqliteMemory, kPostgres };

inline std::string BackendName(Backend b) {
  switch (b) {
    case Backend::kSqliteFile:
      return "SqliteFile";
    case Backend::kSqliteMemory:
      return "SqliteMemory";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "";
}

inline std::string RandomHex(int n) {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^ (static_cast<uint64_t>(::getpid()) << 20));
  std::string s;
  for (int i = 0; i < n; ++i) s += "0123456789abcdef"[rng() % 16];
  return s;
}

// The connection string `base` with its database name replaced.
inline std::string WithDatabase(const std::string& base, const std::string& name) {
  if (base.starts_with("postgres://") || base.starts_with("postgresql://")) {
    const size_t scheme = base.find("://") + 3;
    const size_t q = base.find('?', scheme);
    const size_t slash = base.find('/', scheme);
    const size_t end = q == std::string::npos ? base.size() : q;
    if (slash == std::string::npos || slash > end) return base.substr(0, end) + "/" + name + base.substr(end);
    return base.substr(0, slash + 1) + name + base.substr(end);
  }
  return base + " dbname=" + name;  // key/value: the last dbname wins
}

class TestDb {
 public:
  // Sets url; on failure `error` says why (empty with `skip` set: skipped).
  explicit TestDb(Backend b) : backend_(b) {
    switch (b) {
      case Backend::kSqliteMemory:
        url = ":memory:";
        break;
      case Backend::kSqliteFile: {
        dir_ = std::filesystem::temp_directory_path() / ("bs_store_" + RandomHex(12));
        url = (dir_ / "sub" / "blindspot.db").string();
        break;
      }
      case Backend::kPostgres: {
        const char* base = std::getenv("BLINDSPOT_TEST_PG");
        if (!base || !*base) {
          skip = true;
          return;
        }
        base_ = base;
        name_ = "test_" + RandomHex(16);
        auto db = OpenDb(base_);
        if (!db) {
          error = db.error().message;
          return;
        }
        if (auto s = (*db)->ExecScript("CREATE DATABASE " + name_); !s) {
          error = s.error().message;
          return;
        }
        url = WithDatabase(base_, name_);
        break;
      }
    }
  }
  ~TestDb() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    if (!name_.empty() && !base_.empty()) {
      if (auto db = OpenDb(base_))
        (void)(*db)->ExecScript("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }
  Backend backend() const { return backend_; }
  // A second connection to the same database (not for :memory:).
  bool shareable() const { return backend_ != Backend::kSqliteMemory; }

  std::string url;
  std::string error;
  bool skip = false;

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::string base_, name_;
};

inline bool CiRequiresPostgres() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0' && std::string(ci) != "false";
}

}  // namespace blindspot::store::test_db

// In a test body: `tdb` ready, or the test skipped (failed under CI).
#define BS_STORE_TEST_DB(tdb, backend)                                                                  \
  ::blindspot::store::test_db::TestDb tdb(backend);                                                     \
  do {                                                                                                  \
    if (tdb.skip) {                                                                                     \
      if (::blindspot::store::test_db::CiRequiresPostgres()) {                                          \
        FAIL() << "BLINDSPOT_TEST_PG is not set (required under CI; scripts/test.sh starts a cluster)"; \
      }                                                                                                 \
      GTEST_SKIP() << "BLINDSPOT_TEST_PG is not set: PostgreSQL tests skipped "                         \
                      "(scripts/pg_cluster.sh start DIR prints a URL for it)";                          \
    }                                                                                                   \
    ASSERT_TRUE(tdb.error.empty()) << tdb.error;                                                        \
  } while (0)

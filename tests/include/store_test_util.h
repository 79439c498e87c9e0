// Test databases for the store, admin and http tests: a SQLite file in a
// temporary folder, or a PostgreSQL database of its own (created in the
// cluster BLINDSPOT_TEST_PG names; scripts/test.sh starts a throwaway one)
// and dropped at the end, so tests run in parallel. Without
// BLINDSPOT_TEST_PG the PostgreSQL variants are skipped, except under CI
// where that is a failure.
#pragma once
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

namespace blindspot::store::testing {

inline std::vector<std::string> Backends() { return {"sqlite", "postgresql"}; }

inline std::string PgClusterUrl() {
  const char* v = std::getenv("BLINDSPOT_TEST_PG");
  return v == nullptr ? "" : v;
}

// `url` with its database name replaced by `db` (URI or key=value form).
inline std::string WithDatabase(const std::string& url, const std::string& db) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    size_t auth = url.find("://") + 3;
    size_t slash = url.find('/', auth);
    size_t q = url.find('?', auth);
    if (slash == std::string::npos || (q != std::string::npos && slash > q)) {
      return url.substr(0, q == std::string::npos ? url.size() : q) + "/" + db +
             (q == std::string::npos ? "" : url.substr(q));
    }
    size_t end = q == std::string::npos ? url.size() : q;
    return url.substr(0, slash + 1) + db + url.substr(end);
  }
  return url + " dbname=" + db;
}

class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> Create(const std::string& backend) {
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase());
    std::random_device rd;
    std::string suffix = std::to_string(::getpid()) + "_" + std::to_string(rd() % 1000000000);
    if (backend == "sqlite") {
      t->dir_ = std::filesystem::temp_directory_path() / ("bs_store_test_" + suffix);
      std::filesystem::create_directories(t->dir_);
      t->url_ = (t->dir_ / "blindspot.db").string();
      return t;
    }
    std::string cluster = PgClusterUrl();
    if (cluster.empty()) {
      if (std::getenv("CI") != nullptr) {
        ADD_FAILURE() << "BLINDSPOT_TEST_PG is not set under CI: scripts/test.sh starts a PostgreSQL cluster";
      }
      return nullptr;
    }
    t->cluster_ = cluster;
    t->db_name_ = "bs_test_" + suffix;
    try {
      pqxx::connection c(cluster);
      pqxx::nontransaction tx(c);
      tx.exec("CREATE DATABASE " + t->db_name_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cannot create a test database in " << cluster << ": " << e.what();
      return nullptr;
    }
    t->url_ = WithDatabase(cluster, t->db_name_);
    return t;
  }
  static std::string SkipReason(const std::string& backend) {
    return backend + ": BLINDSPOT_TEST_PG is not set (scripts/test.sh starts a throwaway PostgreSQL)";
  }
  ~TestDatabase() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    if (!db_name_.empty()) {
      try {
        pqxx::connection c(cluster_);
        pqxx::nontransaction tx(c);
        tx.exec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
      } catch (const std::exception&) {
      }
    }
  }
  const std::string& url() const { return url_; }
  std::filesystem::path dir() const { return dir_; }

 private:
  TestDatabase() = default;
  std::filesystem::path dir_;
  std::string url_, cluster_, db_name_;
};

}  // namespace blindspot::store::testing

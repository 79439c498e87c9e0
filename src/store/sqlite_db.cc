// The SQLite backend of Db (libsqlite3): one connection, statements prepared
// once (sqlite3_prepare_v3, persistent) and cached by their SQL text.
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>
#include <unordered_map>

#include "db_internal.h"

namespace blindspot::store {
namespace {

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  ~SqliteDb() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() const { return db_; }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    auto st = Prepare(sql, params);
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* s = *st;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return Fail(s);
    Reset(s);
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    auto st = Prepare(sql, params);
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* s = *st;
    std::vector<Row> rows;
    const int n = sqlite3_column_count(s);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      Row& r = rows.emplace_back();
      r.cols.reserve(n);
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(s, i)) {
          case SQLITE_NULL:
            r.cols.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            r.cols.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, i)));
            break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
            r.cols.emplace_back(std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, i))));
          }
        }
      }
    }
    if (rc != SQLITE_DONE) return Fail(s);
    Reset(s);
    return rows;
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      Classify(sqlite3_extended_errcode(db_));
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      return DbError("SQLite: " + msg);
    }
    last_ = DbFailure::kOther;
    return {};
  }

  Status Begin() override { return ExecScript("BEGIN IMMEDIATE"); }
  Status Commit() override {
    auto s = ExecScript("COMMIT");
    if (!s) Rollback();
    return s;
  }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  DbFailure last_failure() const override { return last_; }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
    std::string key(sql);
    sqlite3_stmt* s = nullptr;
    if (auto it = cache_.find(key); it != cache_.end()) {
      s = it->second;
    } else {
      if (sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &s,
                             nullptr) != SQLITE_OK) {
        Classify(sqlite3_extended_errcode(db_));
        return DbError("SQLite: " + std::string(sqlite3_errmsg(db_)) + " in: " + key);
      }
      cache_.emplace(std::move(key), s);
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(s)) {
      last_ = DbFailure::kOther;
      return MakeError(ErrorKind::kInternal, "statement takes " +
                                                 std::to_string(sqlite3_bind_parameter_count(s)) +
                                                 " parameters, given " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      int rc;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(s, idx, *n);
      } else if (const auto* t = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(s, idx, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(s, idx);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(s);
        return DbError("SQLite: cannot bind parameter " + std::to_string(idx) + ": " + sqlite3_errmsg(db_));
      }
    }
    return s;
  }

  void Reset(sqlite3_stmt* s) {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    last_ = DbFailure::kOther;
  }

  std::unexpected<Error> Fail(sqlite3_stmt* s) {
    const int ext = sqlite3_extended_errcode(db_);
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    Classify(ext);
    return DbError("SQLite: " + msg);
  }

  void Classify(int ext) {
    switch (ext) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY:
        last_ = DbFailure::kUniqueViolation;
        break;
      case SQLITE_CONSTRAINT_FOREIGNKEY:
        last_ = DbFailure::kForeignKeyViolation;
        break;
      default:
        last_ = (ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED ? DbFailure::kSerialization
                                                                             : DbFailure::kOther;
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  DbFailure last_ = DbFailure::kOther;
};

}  // namespace

Result<std::unique_ptr<Db>> OpenSqlite(const std::string& path) {
  if (path != ":memory:") {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) return DbError("cannot create the folder " + parent.string() + ": " + ec.message());
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    return DbError("cannot open the database " + path + ": " + msg);
  }
  auto db = std::make_unique<SqliteDb>(raw);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_extended_result_codes(raw, 1);
  // journal_mode answers with a row; "memory" for :memory:. Switching a new
  // file to WAL takes an exclusive lock and answers SQLITE_BUSY at once,
  // without the busy handler, while another connection switches it: retried
  // for as long as the busy timeout.
  for (int waited_ms = 0;; waited_ms += 10) {
    auto r = db->Query("PRAGMA journal_mode=WAL", {});
    if (r) break;
    if ((sqlite3_extended_errcode(raw) & 0xff) != SQLITE_BUSY || waited_ms >= 5000)
      return std::unexpected(r.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Reads through a memory map of the file (up to 256 MiB): the OS page
  // cache serves them without a read system call per page; its pages are
  // shared by all connections and the kernel's to reclaim.
  if (auto s = db->ExecScript("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"); !s) {
    return std::unexpected(s.error());
  }
  // Fail now rather than on the first statement when the file is not a database.
  if (auto r = db->Query("SELECT count(*) FROM sqlite_master", {}); !r) {
    return DbError("cannot open the database " + path + ": " + r.error().message);
  }
  return std::unique_ptr<Db>(std::move(db));
}

Status SqliteBackup(Db& db, const std::string& path) {
  auto* sdb = dynamic_cast<SqliteDb*>(&db);
  if (!sdb) return MakeError(ErrorKind::kUsage, "not a SQLite database");
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  if (!target.parent_path().empty()) fs::create_directories(target.parent_path(), ec);
  if (ec) return DbError("cannot create the folder " + target.parent_path().string() + ": " + ec.message());
  // Never over the live database itself.
  if (const char* live = sqlite3_db_filename(sdb->handle(), "main"); live && *live) {
    std::error_code ec2;
    if (fs::weakly_canonical(fs::path(live), ec) == fs::weakly_canonical(target, ec2)) {
      return MakeError(ErrorKind::kUsage, "the backup cannot replace the database it copies: " + path);
    }
  }
  std::random_device rd;
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  sqlite3* out = nullptr;
  if (sqlite3_open_v2(tmp.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = out ? sqlite3_errmsg(out) : "out of memory";
    sqlite3_close_v2(out);
    std::remove(tmp.c_str());
    return DbError("cannot create the backup " + tmp + ": " + msg);
  }
  // One step copies every page in one read transaction: a consistent
  // snapshot while writers go on (WAL readers do not block them).
  sqlite3_backup* b = sqlite3_backup_init(out, "main", sdb->handle(), "main");
  int rc = SQLITE_ERROR;
  std::string msg;
  if (b) {
    do {
      rc = sqlite3_backup_step(b, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
  }
  if (rc != SQLITE_DONE) msg = sqlite3_errmsg(out);
  // The copy keeps the source's WAL flag; leave a self-contained file behind.
  if (rc == SQLITE_DONE) sqlite3_exec(out, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  if (sqlite3_close_v2(out) != SQLITE_OK && rc == SQLITE_DONE) {
    rc = SQLITE_ERROR;
    msg = "cannot close the backup file";
  }
  if (rc != SQLITE_DONE) {
    std::remove(tmp.c_str());
    std::remove((tmp + "-wal").c_str());
    std::remove((tmp + "-shm").c_str());
    return DbError("backup to " + path + " failed: " + msg);
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return DbError("cannot move the backup into place at " + path + ": " + ec.message());
  }
  return {};
}

}  // namespace blindspot::store

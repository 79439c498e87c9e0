// The PostgreSQL backend of Db (libpqxx 6.4). Every libpqxx exception is
// caught here and returned as an Error: nothing throws out of this file.
#include <pqxx/pqxx>
#include <unordered_map>

#include "db_internal.h"

namespace blindspot::store {
namespace {

constexpr unsigned kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

// Connects (throws what libpqxx throws).
std::unique_ptr<pqxx::connection> Connect(const std::string& url) {
  auto conn = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction n(*conn);
  n.exec("SET client_min_messages = warning");
  return conn;
}

class PgDb final : public Db {
 public:
  PgDb(std::string url, std::unique_ptr<pqxx::connection> c) : url_(std::move(url)), conn_(std::move(c)) {}
  ~PgDb() override {
    try {
      tx_.reset();
      conn_.reset();
    } catch (...) {
    }
  }
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    return Run<int64_t>(sql, params, false,
                        [](const pqxx::result& r) { return static_cast<int64_t>(r.affected_rows()); });
  }

  Result<std::vector<Row>> Query(std::string_view sql, const std::vector<Value>& params) override {
    return Run<std::vector<Row>>(sql, params, true, [](const pqxx::result& r) {
      std::vector<Row> rows;
      rows.reserve(r.size());
      const auto ncols = r.columns();
      std::vector<bool> is_int(ncols);
      for (pqxx::row_size_type c = 0; c < ncols; ++c) {
        const auto t = r.column_type(c);
        is_int[c] = t == kInt8Oid || t == kInt2Oid || t == kInt4Oid;
      }
      for (const auto& row : r) {
        Row& out = rows.emplace_back();
        out.cols.reserve(ncols);
        for (pqxx::row_size_type c = 0; c < ncols; ++c) {
          const auto f = row[c];
          if (f.is_null()) {
            out.cols.emplace_back(std::monostate{});
          } else if (is_int[c]) {
            out.cols.emplace_back(f.as<int64_t>());
          } else {
            out.cols.emplace_back(std::string(f.c_str(), f.size()));
          }
        }
      }
      return rows;
    });
  }

  Status ExecScript(std::string_view sql) override {
    auto r = Guard<int>([&] {
      const std::string text(sql);
      if (tx_) {
        tx_->exec(text);
      } else {
        pqxx::nontransaction n(*conn_);
        n.exec(text);
      }
      return 0;
    });
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Status Begin() override {
    if (tx_) return MakeError(ErrorKind::kInternal, "a transaction is already open on this connection");
    auto r = Guard<int>([&] {
      try {
        tx_ = std::make_unique<pqxx::work>(*conn_);
      } catch (const pqxx::broken_connection&) {
        Reconnect();  // nothing was done yet: begin on a new connection
        tx_ = std::make_unique<pqxx::work>(*conn_);
      }
      return 0;
    });
    if (!r) return std::unexpected(r.error());
    return {};
  }

  Status Commit() override {
    if (!tx_) return MakeError(ErrorKind::kInternal, "no transaction is open on this connection");
    auto r = Guard<int>([&] {
      tx_->commit();
      return 0;
    });
    tx_.reset();
    if (!r) return std::unexpected(r.error());
    return {};
  }

  void Rollback() override {
    try {
      if (tx_) tx_->abort();
    } catch (...) {
    }
    tx_.reset();
  }

  DbFailure last_failure() const override { return last_; }

 private:
  // The prepared statement's name for `sql`, preparing it on first use.
  const std::string& Prepared(std::string_view sql) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return it->second;
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    conn_->prepare(name, NumberPlaceholders(sql));
    return prepared_.emplace(std::move(key), std::move(name)).first->second;
  }

  template <class T, class F>
  Result<T> Run(std::string_view sql, const std::vector<Value>& params, bool read_only, F convert) {
    return Guard<T>([&] {
      std::vector<std::string> text(params.size());
      std::vector<const char*> ptrs(params.size(), nullptr);
      for (size_t i = 0; i < params.size(); ++i) {
        if (const auto* n = std::get_if<int64_t>(&params[i])) {
          text[i] = std::to_string(*n);
          ptrs[i] = text[i].c_str();
        } else if (const auto* s = std::get_if<std::string>(&params[i])) {
          ptrs[i] = s->c_str();
        }
      }
      auto dyn = pqxx::prepare::make_dynamic_params(ptrs);
      if (tx_) return convert(tx_->exec_prepared(Prepared(sql), dyn));
      try {
        pqxx::nontransaction n(*conn_);
        return convert(n.exec_prepared(Prepared(sql), dyn));
      } catch (const pqxx::broken_connection&) {
        // The server went away since the last statement (a restart): a read
        // outside a transaction is tried once more on a new connection; a
        // write is not (it may have been done), the next statement reconnects.
        Reconnect();
        if (!read_only) throw;
      }
      pqxx::nontransaction n(*conn_);
      return convert(n.exec_prepared(Prepared(sql), dyn));
    });
  }

  // A new connection to the same database (its statements prepared anew).
  void Reconnect() {
    tx_.reset();
    prepared_.clear();
    conn_ = Connect(url_);
  }

  template <class T, class F>
  Result<T> Guard(F f) {
    try {
      T v = f();
      last_ = DbFailure::kOther;
      return v;
    } catch (const pqxx::sql_error& e) {
      const std::string& state = e.sqlstate();
      if (state == "23505") {
        last_ = DbFailure::kUniqueViolation;
      } else if (state == "23503") {
        last_ = DbFailure::kForeignKeyViolation;
      } else if (state == "40001" || state == "40P01") {
        last_ = DbFailure::kSerialization;
      } else {
        last_ = DbFailure::kOther;
      }
      return DbError("PostgreSQL: " + Trim(e.what()) + (state.empty() ? "" : " (SQLSTATE " + state + ")"));
    } catch (const pqxx::broken_connection& e) {
      last_ = DbFailure::kOther;
      return DbError("PostgreSQL: the connection is broken: " + Trim(e.what()));
    } catch (const std::exception& e) {
      last_ = DbFailure::kOther;
      return DbError("PostgreSQL: " + Trim(e.what()));
    } catch (...) {
      last_ = DbFailure::kOther;
      return DbError("PostgreSQL: unknown error");
    }
  }

  static std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }

  std::string url_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;
  std::unordered_map<std::string, std::string> prepared_;
  DbFailure last_ = DbFailure::kOther;
};

}  // namespace

Result<std::unique_ptr<Db>> OpenPostgres(const std::string& url) {
  try {
    return std::unique_ptr<Db>(std::make_unique<PgDb>(url, Connect(url)));
  } catch (const std::exception& e) {
    std::string msg = e.what();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return DbError("cannot connect to PostgreSQL: " + msg);
  } catch (...) {
    return DbError("cannot connect to PostgreSQL");
  }
}

}  // namespace blindspot::store

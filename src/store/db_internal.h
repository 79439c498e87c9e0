// Internal to src/store: the two Db backends and helpers the Store shares.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "blindspot/sha256.h"  // Sha256Hex for the chain and the token hashes
#include "blindspot/store.h"

namespace blindspot::store {

// A SQLite connection to `path` (":memory:" for a private in-memory one).
Result<std::unique_ptr<Db>> OpenSqlite(const std::string& path);
// A PostgreSQL connection (libpq connection string or URI).
Result<std::unique_ptr<Db>> OpenPostgres(const std::string& url);

// SQLite only: an online backup of `db` into a new file `path` (written to a
// temporary file in the same folder, then renamed). kUsage for another Db.
Status SqliteBackup(Db& db, const std::string& path);

// `?` placeholders numbered $1, $2, ... outside quoted text (PostgreSQL).
std::string NumberPlaceholders(std::string_view sql);

// The current time as ISO 8601 UTC with seconds ("2026-12-03T07:23:16Z").
std::string UtcNow();
// `prefix` + "_" + 16 random hex digits (OpenSSL RAND_bytes).
std::string NewId(std::string_view prefix);

// Error helpers.
inline std::unexpected<Error> DbError(std::string message) {
  return MakeError(ErrorKind::kIo, std::move(message));
}

}  // namespace blindspot::store

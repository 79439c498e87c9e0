// Row accessors, OpenDb and the URL test (the backends are sqlite_db.cc and
// postgres_db.cc).
#include <openssl/rand.h>

#include <charconv>
#include <ctime>
#include <random>

#include "db_internal.h"

namespace blindspot::store {

int64_t Row::Int(size_t i) const {
  const Value& v = cols.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t n = 0;
    std::from_chars(s->data(), s->data() + s->size(), n);
    return n;
  }
  return 0;
}

const std::string& Row::Text(size_t i) const {
  static const std::string kEmpty;
  const Value& v = cols.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return kEmpty;
}

bool IsPostgresUrl(std::string_view url) {
  for (std::string_view p : {"postgresql://", "postgres://", "host=", "dbname=", "user="}) {
    if (url.starts_with(p)) return true;
  }
  return false;
}

Result<std::unique_ptr<Db>> OpenDb(const std::string& url) {
  if (url.empty())
    return MakeError(ErrorKind::kUsage, "no database given (a SQLite file path or a postgresql:// URL)");
  if (IsPostgresUrl(url)) return OpenPostgres(url);
  return OpenSqlite(url);
}

std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewId(std::string_view prefix) {
  unsigned char b[8];
  if (RAND_bytes(b, sizeof b) != 1) {
    // RAND_bytes does not fail on a seeded Linux system; never hand out a fixed id.
    std::random_device rd;
    for (auto& c : b) c = static_cast<unsigned char>(rd());
  }
  return std::string(prefix) + "_" + HexBytes(b, sizeof b);
}

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote re-opens on the next character
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace blindspot::store

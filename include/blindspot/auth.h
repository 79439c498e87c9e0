// Credentials of the privacy administration (issue 9): password hashes
// (argon2id, libsodium), second factor (TOTP, RFC 6238, liboath), random
// secrets and their hashes at rest (session cookies, CSRF tokens, API
// tokens), and the login throttle.
//
// Pure functions over libsodium and liboath: no I/O, no state but the
// Throttle object. InitCrypto() must have run once (it is idempotent and
// thread-safe; every function calls it). Secrets are never logged or put in
// an Error.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "blindspot/error.h"

namespace blindspot::auth {

// Initialises libsodium and liboath once. kInternal when they cannot start.
Status InitCrypto();

// argon2id (crypto_pwhash_str_alg, ALG_ARGON2ID13) with libsodium's
// interactive limits (64 MiB, 2 passes): a self-describing "$argon2id$..."
// string. Passwords shorter than kMinPasswordLength or longer than
// kMaxPasswordLength are kUsage.
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;
// HashPassword also refuses (CheckNewPassword) what is not a password anyone
// should choose.
Result<std::string> HashPassword(std::string_view password);
// The rules for a new password (kUsage with what was wrong, else ok):
// kMinPasswordLength to kMaxPasswordLength bytes; no control characters
// (tabs, line breaks, NUL); at least 5 different characters (not
// "aaaaaaaaaaaa" or spaces); not one of the commonest passwords with digits
// or signs around it ("password123456", "Welkom2024!!"); and, when
// `email` is given, neither the e-mail address nor its part before the @.
// Existing passwords are not judged again (VerifyPassword).
Status CheckNewPassword(std::string_view password, std::string_view email = {});
// Constant-time check; false for a malformed hash.
bool VerifyPassword(std::string_view hash, std::string_view password);
// A hash a login can be checked against when the user does not exist, so
// the answer takes the same time (no user enumeration by timing).
const std::string& DummyPasswordHash();

// `bytes` random bytes (libsodium) as lower-case hex / base64url without padding.
std::string RandomHex(size_t bytes);
std::string RandomToken(size_t bytes = 32);
// SHA-256 hex of a secret: what is stored for session cookies and API tokens.
std::string HashSecret(std::string_view secret);
// HMAC-SHA-256 of `msg` under `key`, in hex (libsodium).
std::string MacHex(std::string_view key, std::string_view msg);
// Constant-time equality of two strings (CSRF tokens).
bool SecretsEqual(std::string_view a, std::string_view b);

// TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits).
// A new secret: 20 random bytes in base32 (RFC 4648, no padding).
std::string NewTotpSecret();
// The code of `secret` (base32) at unix time `t`. kUsage for a bad secret.
Result<std::string> TotpCode(std::string_view secret, int64_t t, int digits = 6);
// True when `code` is the code of `secret` at `t` or one step before or
// after (clock drift). `last_step` (when not null) is the step last accepted
// for this user: a code of that step or an older one is refused (no
// replay), and it receives the step accepted.
bool VerifyTotp(std::string_view secret, std::string_view code, int64_t t, int64_t* last_step = nullptr);
// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=... for authenticator apps.
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

// Login throttle per key (an e-mail address, a client address): at most
// `max_failures` failures within `window`; then the key is locked for
// `lockout`. Thread-safe. The store keeps the per-user lockout across
// restarts; this bounds guessing from one client across users.
class Throttle {
 public:
  using Clock = std::chrono::steady_clock;
  Throttle(int max_failures, std::chrono::seconds window, std::chrono::seconds lockout)
      : max_failures_(max_failures), window_(window), lockout_(lockout) {}
  // Seconds until `key` may try again (0 = now).
  int64_t RetryAfter(const std::string& key, Clock::time_point now = Clock::now());
  void Failure(const std::string& key, Clock::time_point now = Clock::now());
  void Success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point first, locked_until;
  };
  int max_failures_;
  std::chrono::seconds window_, lockout_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace blindspot::auth

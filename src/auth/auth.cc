// Credentials: argon2id (libsodium), TOTP (liboath), random secrets, the
// login throttle. See include/blindspot/auth.h.
#include "blindspot/auth.h"

#include <liboath/oath.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>

namespace blindspot::auth {
namespace {

struct OathBuffer {
  char* p = nullptr;
  ~OathBuffer() { std::free(p); }
};

// Base32 secret -> raw key bytes (liboath; spaces and lower case accepted, as apps show them).
std::optional<std::string> DecodeSecret(std::string_view secret) {
  std::string clean;
  for (char c : secret) {
    if (c == ' ' || c == '-') continue;
    clean += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  while (!clean.empty() && clean.back() == '=') clean.pop_back();
  if (clean.empty()) return std::nullopt;
  // liboath wants padding to a multiple of 8.
  while (clean.size() % 8 != 0) clean += '=';
  OathBuffer out;
  size_t len = 0;
  if (oath_base32_decode(clean.data(), clean.size(), &out.p, &len) != OATH_OK || len == 0)
    return std::nullopt;
  return std::string(out.p, len);
}

}  // namespace

Status InitCrypto() {
  static const int rc = [] {
    if (sodium_init() < 0) return -1;
    if (oath_init() != OATH_OK) return -2;
    return 0;
  }();
  if (rc != 0)
    return MakeError(ErrorKind::kInternal,
                     rc == -1 ? "libsodium could not start" : "liboath could not start");
  return {};
}

namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The commonest choices (in the languages of the UI) that people pad with
// digits or signs to reach a length rule; compared after removing those.
constexpr std::string_view kCommonBases[] = {
    "password", "passwort", "wachtwoord", "motdepasse", "welcome", "welkom",   "willkommen",
    "qwerty",   "qwertz",   "azerty",     "letmein",    "admin",   "iloveyou", "sunshine",
    "football", "monkey",   "dragon",     "secret",     "geheim",  "changeme", "blindspot"};

}  // namespace

Status CheckNewPassword(std::string_view password, std::string_view email) {
  const std::string expected = "at least " + std::to_string(kMinPasswordLength) +
                               " characters, e.g. a few unrelated words (a passphrase)";
  if (password.size() < kMinPasswordLength)
    return MakeError(ErrorKind::kUsage, "the password is too short", {}, expected);
  if (password.size() > kMaxPasswordLength)
    return MakeError(ErrorKind::kUsage, "the password is too long", {},
                     "at most " + std::to_string(kMaxPasswordLength) + " characters");
  bool seen[256] = {};
  int distinct = 0;
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7f)
      return MakeError(ErrorKind::kUsage,
                       "the password contains a control character (a tab, line break or NUL)", {}, expected);
    if (!seen[c]) ++distinct;
    seen[c] = true;
  }
  if (distinct < 5)
    return MakeError(ErrorKind::kUsage, "the password repeats too few characters", {},
                     "at least 5 different characters; " + expected);
  std::string letters;
  for (char c : LowerAscii(password))
    if ((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) letters += c;
  for (std::string_view common : kCommonBases)
    if (letters == common)
      return MakeError(ErrorKind::kUsage, "the password is a common one with digits or signs added", {},
                       expected);
  if (!email.empty()) {
    const std::string lower = LowerAscii(password);
    const std::string address = LowerAscii(email);
    const std::string local = address.substr(0, address.find('@'));
    if (lower.find(address) != std::string::npos ||
        (local.size() >= 4 && lower.find(local) != std::string::npos))
      return MakeError(ErrorKind::kUsage, "the password contains your e-mail address or its name part", {},
                       expected);
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  if (auto s = InitCrypto(); !s) return std::unexpected(s.error());
  if (auto s = CheckNewPassword(password); !s) return std::unexpected(s.error());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return MakeError(ErrorKind::kInternal, "out of memory while hashing the password");
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitCrypto()) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || password.size() > kMaxPasswordLength)
    return false;
  std::string h(hash);  // NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomHex(16));
    return h ? *h : std::string();
  }();
  return hash;
}

std::string RandomHex(size_t bytes) {
  (void)InitCrypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  sodium_memzero(raw.data(), raw.size());
  return hex;
}

std::string RandomToken(size_t bytes) {
  (void)InitCrypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string HashSecret(std::string_view secret) {
  (void)InitCrypto();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  std::string hex(sizeof digest * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

std::string MacHex(std::string_view key, std::string_view msg) {
  unsigned char k[crypto_auth_hmacsha256_KEYBYTES] = {};
  crypto_hash_sha256(k, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), k);
  sodium_memzero(k, sizeof k);
  std::string hex(crypto_auth_hmacsha256_BYTES * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), mac, sizeof mac);
  hex.pop_back();
  return hex;
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewTotpSecret() {
  (void)InitCrypto();
  std::string raw(20, '\0');
  randombytes_buf(raw.data(), raw.size());
  OathBuffer out;
  size_t len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &out.p, &len) != OATH_OK) return {};
  std::string s(out.p, len);
  while (!s.empty() && s.back() == '=') s.pop_back();
  sodium_memzero(raw.data(), raw.size());
  return s;
}

Result<std::string> TotpCode(std::string_view secret, int64_t t, int digits) {
  if (auto s = InitCrypto(); !s) return std::unexpected(s.error());
  auto key = DecodeSecret(secret);
  if (!key) return MakeError(ErrorKind::kUsage, "the TOTP secret is not base32");
  if (digits < 6 || digits > 8) return MakeError(ErrorKind::kUsage, "TOTP codes have 6 to 8 digits");
  char otp[16] = {};
  if (oath_totp_generate(key->data(), key->size(), static_cast<time_t>(t), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                         OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), otp) != OATH_OK)
    return MakeError(ErrorKind::kInternal, "liboath could not compute a TOTP code");
  return std::string(otp);
}

bool VerifyTotp(std::string_view secret, std::string_view code, int64_t t, int64_t* last_step) {
  if (!InitCrypto()) return false;
  if (code.size() != 6) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  auto key = DecodeSecret(secret);
  if (!key) return false;
  std::string otp(code);
  uint64_t counter = 0;
  int pos = 0;
  int rc =
      oath_totp_validate3(key->data(), key->size(), static_cast<time_t>(t), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                          OATH_TOTP_DEFAULT_START_TIME, 1, &pos, &counter, otp.c_str());
  if (rc < 0) return false;
  if (last_step != nullptr) {
    if (static_cast<int64_t>(counter) <= *last_step) return false;  // replayed
    *last_step = static_cast<int64_t>(counter);
  }
  return true;
}

namespace {
std::string UriEscape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) + "?secret=" + std::string(secret) +
         "&issuer=" + UriEscape(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

int64_t Throttle::RetryAfter(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now).count();
}

void Throttle::Failure(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (entries_.size() > 100000) {  // bound memory under a flood of keys: forget the stale ones
    for (auto it = entries_.begin(); it != entries_.end();)
      it = (it->second.locked_until <= now && now - it->second.first > window_) ? entries_.erase(it)
                                                                                : std::next(it);
  }
  Entry& e = entries_[key];
  if (e.failures == 0 || now - e.first > window_) {
    e.failures = 0;
    e.first = now;
  }
  if (++e.failures >= max_failures_) {
    e.locked_until = now + lockout_;
    e.failures = 0;
  }
}

void Throttle::Success(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

}  // namespace blindspot::auth

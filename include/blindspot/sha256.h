// SHA-256 through OpenSSL's libcrypto, and lower-case hex of bytes: the one
// place the bundle manifest, the history chain, token hashes and evidence
// fingerprints take their digests from.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace blindspot {

// `n` bytes at `p` as 2n lower-case hex digits.
std::string HexBytes(const unsigned char* p, size_t n);

// The SHA-256 of `data` as 64 lower-case hex digits. Thread-safe.
std::string Sha256Hex(std::string_view data);

// The same, fed in pieces (a large HAR is hashed without holding it whole).
// One object per thread.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view piece);
  // 64 lower-case hex digits; the object is spent afterwards.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blindspot

#include "blindspot/auth.h"

#include <gtest/gtest.h>

namespace blindspot::auth {
namespace {

TEST(Password, Argon2idRoundTrip) {
  auto h = HashPassword("correct horse battery staple");
  ASSERT_TRUE(h.has_value()) << h.error().message;
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=65536,t=2,p=1$")) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse battery stapLe"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "correct horse battery staple"));
  // Two hashes of the same password differ (random salt).
  EXPECT_NE(*h, *HashPassword("correct horse battery staple"));
}

TEST(Password, LengthLimits) {
  auto short_pw = HashPassword("elevenchars");
  ASSERT_FALSE(short_pw.has_value());
  EXPECT_EQ(short_pw.error().kind, ErrorKind::kUsage);
  EXPECT_EQ(short_pw.error().expected, "at least 12 characters, e.g. a few unrelated words (a passphrase)");
  EXPECT_FALSE(HashPassword(std::string(1025, 'a')).has_value());
  EXPECT_TRUE(HashPassword("correct horse battery").has_value());
  // Not passwords anyone should choose (a fresh-user test set each of them).
  for (std::string_view weak : {std::string_view("aaaaaaaaaaaa"), std::string_view("            "),
                                std::string_view("\t\n\t\n\t\n\t\n\t\n\t\n"),
                                std::string_view("abcdef\0ghijkl", 13), std::string_view("password123456"),
                                std::string_view("Welkom2024!!!"), std::string_view("ababababababab")}) {
    auto h = HashPassword(weak);
    ASSERT_FALSE(h.has_value()) << weak;
    EXPECT_EQ(h.error().kind, ErrorKind::kUsage);
    EXPECT_FALSE(h.error().expected.empty());
  }
  EXPECT_EQ(HashPassword("password123456").error().message,
            "the password is a common one with digits or signs added");
  // With the e-mail address: neither it nor its name part.
  EXPECT_TRUE(CheckNewPassword("jansen.marketing 2027", "p.devries@example.nl").has_value());
  EXPECT_FALSE(CheckNewPassword("p.devries@example.nl", "p.devries@example.nl").has_value());
  EXPECT_FALSE(CheckNewPassword("P.deVries 2027 !", "p.devries@example.nl").has_value());
  EXPECT_TRUE(CheckNewPassword("P.deVries 2027 !").has_value()) << "without an address, no such rule";
  EXPECT_FALSE(DummyPasswordHash().empty());
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), "anything at all"));
}

TEST(Secrets, RandomAndHashed) {
  std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(RandomHex(8).size(), 16u);
  // SHA-256 of "abc" (FIPS 180-2 example).
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(SecretsEqual("abcdef", "abcdef"));
  EXPECT_FALSE(SecretsEqual("abcdef", "abcdeg"));
  EXPECT_FALSE(SecretsEqual("abc", "abcdef"));
  EXPECT_FALSE(SecretsEqual("", ""));
}

// RFC 6238 appendix B: the SHA-1 key "12345678901234567890" is
// GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ in base32; 8-digit codes.
constexpr std::string_view kRfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(Totp, Rfc6238Vectors) {
  EXPECT_EQ(*TotpCode(kRfcSecret, 59, 8), "94287082");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1111111109, 8), "07081804");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1234567890, 8), "89005924");
  EXPECT_EQ(*TotpCode(kRfcSecret, 20000000000, 8), "65353130");
  // Six digits are the last six; lower case and spaces as apps show the secret.
  EXPECT_EQ(*TotpCode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 59), "287082");
  EXPECT_FALSE(TotpCode("not base32!", 59).has_value());
}

TEST(Totp, ValidateWithDriftAndNoReplay) {
  std::string secret = NewTotpSecret();
  ASSERT_EQ(secret.size(), 32u);
  const int64_t t = 1'800'000'000;
  std::string now = *TotpCode(secret, t), before = *TotpCode(secret, t - 30),
              after = *TotpCode(secret, t + 30), old = *TotpCode(secret, t - 90);
  EXPECT_TRUE(VerifyTotp(secret, now, t));
  EXPECT_TRUE(VerifyTotp(secret, before, t));
  EXPECT_TRUE(VerifyTotp(secret, after, t));
  if (old != now && old != before && old != after) {
    EXPECT_FALSE(VerifyTotp(secret, old, t));
  }
  EXPECT_FALSE(VerifyTotp(secret, "12345", t));
  EXPECT_FALSE(VerifyTotp(secret, "abcdef", t));
  // The same code twice: the second is a replay.
  int64_t last = 0;
  EXPECT_TRUE(VerifyTotp(secret, now, t, &last));
  EXPECT_EQ(last, t / 30);
  EXPECT_FALSE(VerifyTotp(secret, now, t, &last));
  EXPECT_FALSE(VerifyTotp(secret, before, t, &last));  // older than the last accepted
  EXPECT_TRUE(VerifyTotp(secret, after, t + 30, &last));
}

TEST(Totp, Uri) {
  EXPECT_EQ(
      TotpUri("blindspot", "fg@example.nl", "ABC"),
      "otpauth://totp/blindspot:fg@example.nl?secret=ABC&issuer=blindspot&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpUri("A B", "x", "S"),
            "otpauth://totp/A%20B:x?secret=S&issuer=A%20B&algorithm=SHA1&digits=6&period=30");
}

TEST(Throttle, LocksAfterFailuresWithinWindow) {
  using namespace std::chrono_literals;
  Throttle th(3, 60s, 300s);
  auto t0 = Throttle::Clock::time_point{} + 1000s;
  EXPECT_EQ(th.RetryAfter("a", t0), 0);
  th.Failure("a", t0);
  th.Failure("a", t0 + 1s);
  EXPECT_EQ(th.RetryAfter("a", t0 + 2s), 0);
  th.Failure("a", t0 + 2s);
  EXPECT_EQ(th.RetryAfter("a", t0 + 2s), 300);
  EXPECT_EQ(th.RetryAfter("a", t0 + 302s), 0);
  EXPECT_EQ(th.RetryAfter("b", t0 + 2s), 0);  // per key
  // Failures spread beyond the window do not add up.
  th.Failure("c", t0);
  th.Failure("c", t0 + 61s);
  th.Failure("c", t0 + 62s);
  EXPECT_EQ(th.RetryAfter("c", t0 + 62s), 0);
  // Success forgets.
  th.Failure("d", t0);
  th.Failure("d", t0);
  th.Success("d");
  th.Failure("d", t0);
  EXPECT_EQ(th.RetryAfter("d", t0), 0);
}

}  // namespace
}  // namespace blindspot::auth

// Personal data leaving the site (issue 7, `scan --fill-forms`): the test
// identity the scanner types into a site's forms (never submitting them), and
// the matcher that finds those values in the requests the page then sends —
// plain, URL-encoded, base64, or hashed the way ad platforms ask sites to hash
// them. Pure: no I/O. A Leak names the field, the encoding and where it was
// found, never the value.
//
// Normalisation before hashing (the vendors' own rules):
// - Meta (Pixel Advanced Matching, Conversions API), "Customer information
//   parameters":
//   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
//   e-mail trimmed and lower-cased; phone digits only with the country code,
//   no '+' and no leading zeros; first/last name lower-cased without
//   punctuation; postcode lower-cased without spaces or dashes.
// - Google (enhanced conversions), "Normalize and hash user-provided data":
//   https://developers.google.com/google-ads/api/docs/conversions/enhance-conversions
//   and https://developers.google.com/doubleclick-advertisers/guides/conversions_ec#hashing
//   trimmed and lower-cased; phone in E.164 ("+31612345678"); dots removed from
//   the local part of gmail.com / googlemail.com addresses; postcodes are not
//   hashed. gtag sends the SHA-256 digest as URL-safe base64 ("em=tv.1~em.<b64>").
// - TikTok and others follow the same two shapes (lower-cased e-mail, E.164).
// Hashes of the value exactly as typed are matched too (a site that hashes
// without normalising still sends it). A hash of some other spelling of the
// value (upper case, extra blanks) is not matched: no vendor asks for it, and
// the scanner types only the identity's own spelling. See docs/scan.md.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/body_scanner.h"

namespace blindspot::scan {

struct TestIdentity {
  std::string email;  // chosen by the caller: TestIdentity::ForTag gives blindspot.test+<tag>@example.org
  std::string first_name = "Quirijn";
  std::string last_name = "Testerveld";
  std::string phone = "+31 6 12345678";  // as typed
  std::string postcode = "1012 AB";
  // For a phone typed without one ("06 12345678"): the country calling code.
  std::string country_calling_code = "31";

  // The defaults with e-mail blindspot.test+<tag>@example.org (tag: letters and
  // digits, e.g. random per scan, so that one scan's values are told from another's).
  static TestIdentity ForTag(std::string_view tag);
};

enum class LeakField { kEmail, kPhone, kFirstName, kLastName, kPostcode };
enum class LeakEncoding { kPlain, kUrl, kBase64, kMd5, kSha1, kSha256 };
enum class LeakPlace { kQuery, kPath, kFragment, kBody };
std::string_view ToString(LeakField f);     // email, phone, first_name, last_name, postcode
std::string_view ToString(LeakEncoding e);  // plain, url, base64, md5, sha1, sha256
std::string_view ToString(LeakPlace p);     // query, path, fragment, body

struct Leak {
  LeakField field = LeakField::kEmail;
  LeakEncoding encoding = LeakEncoding::kPlain;
  // How the value was spelt before encoding or hashing: "as-typed", or the
  // normalisation ("lower-case", "digits", "e164", "gmail-no-dots", "no-punctuation", "no-spaces").
  std::string form;
  // For hashes: "hex" or "base64" (also URL-safe) of the digest; otherwise empty.
  std::string digest_text;
  LeakPlace place = LeakPlace::kQuery;
  // The query or form parameter name, or the JSON path in the body
  // ("context.user.email", "data[0].user_data.em"); empty when none applies
  // (a path segment, a body that is neither form nor JSON). "(base64)" is
  // appended when the hit is inside base64 text.
  std::string where;

  bool operator==(const Leak&) const = default;
};

// Precomputes every encoding of every value of one identity (a few hundred
// patterns); then each Find is one pass over the URL and one over the body.
// Immutable after construction: Find is const and thread-safe.
class LeakMatcher {
 public:
  explicit LeakMatcher(const TestIdentity& identity);

  // Each distinct (field, encoding, form, digest text, place, where) once, in
  // the order found (URL first, then body).
  std::vector<Leak> Find(std::string_view url, std::string_view post_body) const;

  std::size_t pattern_count() const { return patterns_.size(); }

 private:
  struct Pattern {
    LeakField field;
    LeakEncoding encoding;
    std::string form;
    std::string digest_text;
    bool word_bounded;  // the hit must not touch a letter or digit on either side
    bool base64;        // found inside base64 text (where gets " (base64)")
    std::size_t length = 0;
  };
  void Add(std::string text, bool nocase, Pattern p);
  void Scan(std::string_view text, bool in_url, std::vector<Leak>* out) const;

  std::vector<Pattern> patterns_;
  std::vector<std::string> texts_;  // "i:"/"s:" + text, for de-duplication while building
  detect_internal::BodyScanner scanner_;
};

// One-off convenience: builds a LeakMatcher and runs it once. The scanner
// keeps one LeakMatcher per identity instead.
std::vector<Leak> FindLeaks(const TestIdentity& identity, std::string_view url, std::string_view post_body);

// Normalisations, exposed for tests and docs.
std::string NormaliseEmail(std::string_view email);  // trimmed, lower case
std::string GoogleEmail(std::string_view email);     // also no dots in a gmail local part
std::string PhoneDigits(std::string_view phone, std::string_view country_calling_code);  // 31612345678
std::string NormaliseName(std::string_view name);    // lower case, no punctuation, blanks kept single
std::string NormalisePostcode(std::string_view pc);  // lower case, no spaces or dashes

}  // namespace blindspot::scan

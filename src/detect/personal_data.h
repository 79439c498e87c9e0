// Personal data in clear and first-party URLs in parameter values: the pure
// helpers of src/detect/carried.cc, here so that they can be tested alone.
// Thread-safe; no allocation except into the buffers passed in.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace blindspot::detect_internal {

// Finds an e-mail address in `s` (already decoded), conservatively: a local
// part of letters, digits and ". _ + -" (not starting or ending with '.'),
// '@', and a domain of at least two labels whose last one is a top-level
// domain the Public Suffix List knows (so "logo@2x.png", "jquery@3.6.0.min.js",
// "pkg@1.2.3" and "@scope/pkg" are not addresses). Not counted: an '@' in a
// URL's userinfo ("https://key@o1.ingest.sentry.io/1"), the documentation
// domains (example.com/.net/.org and .example, .test, .invalid, .localhost),
// a density suffix as domain ("icon@2x.de"), and technical or role addresses
// that are no one's personal data (noreply@, postmaster@, info@, support@ ...).
// Sets *begin/*end (when given) to the address found first.
bool FindEmail(std::string_view s, size_t* begin = nullptr, size_t* end = nullptr);

// A parameter name that names a phone number: its last word (letters, digits
// and '_' after the last '.', '[' ...), lower case, is one of phone,
// phone_number, phonenumber, telephone, tel, mobile, mobile_number,
// mobilephone, cell, cellphone, msisdn, ph, telefoon, telefoonnummer, mobiel,
// telefon, telefonnummer, handy, mobil ("ud[ph]", "user.phone").
bool IsPhoneName(std::string_view name);

// A value that is a phone number: optional '+', 8 to 15 digits, separators
// " -./()" only, not one digit repeated.
bool LooksLikePhone(std::string_view value);

// Percent-decodes a parameter value ('+' is a space) into *out: once, and a
// second time when the result is still encoded (many pixels encode twice):
// it starts with "http%3a"/"https%3a" (any case) or holds "%40".
void DecodeValue(std::string_view raw, std::string* out, std::string* scratch);

// Whether `v` starts with "http://" or "https://" (any case).
bool IsHttpUrl(std::string_view v);

// Whether a raw (still encoded) value is worth decoding: it starts with
// "http" (any case), or holds '@', "%40" or "\u0040".
bool MayCarry(std::string_view raw);

}  // namespace blindspot::detect_internal

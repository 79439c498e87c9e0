// Internals of the filter engine shared by its files and its tests: the
// parsed form of a line, the pattern matcher, URL tokens and host hashes.
// Nothing here is part of the public API (include/blindspot/filter.h).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/filter.h"

namespace blindspot::filter_internal {

// ---- characters --------------------------------------------------------------

// Token characters: what the URL is cut into index tokens by (after
// lower-casing): letters and digits. Everything else ends a token, `%` too,
// so that `%2Fevent.gif` holds the tokens `2fevent` and `gif` whatever
// precedes it.
constexpr bool IsTokenChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}
// What may follow `|` or `||` for the anchor to count (uBlock Origin: a
// letter, a digit or `%`).
constexpr bool IsAnchorableChar(unsigned char c) { return IsTokenChar(c) || c == '%'; }
// `^`: anything but a letter, a digit, `_ - . %` (and not a byte >= 0x80);
// the end of the URL matches too (handled by the matcher).
inline bool IsSeparator(unsigned char c) {
  return c < 0x80 && !IsTokenChar(c) && c != '_' && c != '-' && c != '.' && c != '%';
}
// The same as a table, for the per-request loop over the URL.
struct TokenCharTable {
  bool t[256] = {};
  constexpr TokenCharTable() {
    for (int c = 0; c < 256; ++c) t[c] = IsTokenChar(static_cast<unsigned char>(c));
  }
  constexpr bool operator[](unsigned char c) const { return t[c]; }
};
inline constexpr TokenCharTable kTokenChars;

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// ---- tokens and hashes ---------------------------------------------------------

// Index key of a token: its first 8 bytes (lower-case), packed. Tokens of 8
// bytes or more share the key of their first 8, so a pattern token that may
// continue in the URL (`/analytics*`) still finds it. Never 0.
inline constexpr size_t kTokenKeyBytes = 8;
inline uint64_t TokenKey(const char* p, size_t n) {
  uint64_t k = 0;
  if (n > kTokenKeyBytes) n = kTokenKeyBytes;
  for (size_t i = 0; i < n; ++i)
    k |= static_cast<uint64_t>(static_cast<unsigned char>(Lower(p[i]))) << (8 * i);
  return k;
}

// Host hashes are computed right to left, so one pass over a host gives the
// hash of every suffix ("a.b.com", "b.com", "com"). HostHash(s) equals the
// suffix hash of s inside any longer host.
struct HostHasher {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  void Push(char c) { h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL + 0x9e37; }
  uint64_t Value() const {
    uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x | 1;  // never 0 (0 marks an empty slot)
  }
};
inline uint64_t HostHash(std::string_view s) {
  HostHasher h;
  for (size_t i = s.size(); i-- > 0;) h.Push(s[i]);
  return h.Value();
}
// Entity entries (`domain=example.*`) are kept apart from host entries.
inline constexpr uint64_t kEntitySalt = 0x5bd1e9955bd1e995ULL;

// ---- patterns --------------------------------------------------------------

enum Anchor : uint8_t {
  kAnchorLeft = 1,   // |pattern: at the start of the URL
  kAnchorHost = 2,   // ||pattern: at the start of the host or of one of its labels
  kAnchorRight = 4,  // pattern|: at the end of the URL
};

// How a filter's pattern is matched (and indexed).
enum class PatternKind : uint8_t {
  kAny,           // empty pattern: every URL
  kHostname,      // a host name: the request host is it or one of its subdomains
  kHostAnchored,  // ||host followed by /, ^, :, ...: host suffix lookup, then the rest
  kPlain,         // literal text, perhaps with ^ (no *)
  kGeneric,       // with *
  kRegex,         // /regex/
};

// Matches `pattern` (literal bytes, `*`, `^`) at exactly `pos` of `url`, then
// the rest of it anywhere after (leftmost), with `right` requiring the match
// to end at the end of the URL. `pattern` must not start with `*`.
bool MatchAt(std::string_view pattern, bool right, std::string_view url, size_t pos);
// Matches `pattern` with its anchors. Host positions [host_begin, host_end)
// (empty when the URL has no host) serve the `||` anchor.
bool PatternMatches(std::string_view pattern, uint8_t anchors, std::string_view url, size_t host_begin,
                    size_t host_end);

// ---- the parsed form of a line ----------------------------------------------

enum class LineKind : uint8_t {
  kComment,   // comment, blank line, [Adblock Plus 2.0], !# directive
  kNetwork,   // a network filter to keep (or a $badfilter)
  kCosmetic,  // ##, #@#, #?#, #$#
  kScriptlet,
  kHtml,
  kSkipped,    // a network filter skipped on purpose: `reason`
  kMalformed,  // `reason` says what is wrong, `expected` what was expected
};

struct ParsedLine {
  LineKind kind = LineKind::kComment;
  std::string reason;    // kSkipped: the counter name; kMalformed: the message
  std::string expected;  // kMalformed

  // kNetwork:
  bool exception = false;
  bool important = false;
  bool match_case = false;
  bool badfilter = false;
  bool redirect = false;  // blocks by a redirect= (or rewrite=, empty, mp4)
  PatternKind pattern_kind = PatternKind::kAny;
  uint8_t anchors = 0;
  std::string pattern;                       // normalized: no anchors, no leading/trailing `*`,
                                             // lower-case unless match_case; the host for kHostname
  uint16_t host_length = 0;                  // kHostAnchored: bytes of `pattern` that are the host
  std::string regex;                         // kRegex: the expression between the slashes
  uint16_t type_mask = 0;                    // bit (1 << ResourceType) for each type it applies to
  uint8_t party = 3;                         // bit 0: first party, bit 1: third party
  std::vector<std::string> include_domains;  // domain=: "example.com" or "example.*"
  std::vector<std::string> exclude_domains;  // domain=~...
  std::vector<std::string> to_include;       // to=: the request host
  std::vector<std::string> to_exclude;       // to=~..., denyallow=
  uint8_t strict = 0;                        // bit 0 strict1p (same host), bit 1 strict3p
};

// The type mask of a filter without type options: every type a request can
// have except document and popup (uBlock Origin applies type-less filters to
// neither).
inline constexpr uint16_t TypeBit(ResourceType t) { return static_cast<uint16_t>(1u << static_cast<int>(t)); }
inline constexpr uint16_t kAllTypes = (1u << kResourceTypeCount) - 1;
inline constexpr uint16_t kDefaultTypes =
    kAllTypes & ~TypeBit(ResourceType::kDocument) & ~TypeBit(ResourceType::kPopup);

// Parses one line (without its line break). Pure; the `!#if` directives are
// the caller's (they span lines).
ParsedLine ParseLine(std::string_view line);

// For a regex filter: the literal tokens (lower-case) every matching URL
// contains as whole tokens (or, for 8 bytes and more, as the start of one);
// empty when none is certain.
std::vector<std::string> RegexTokens(std::string_view regex);

// The tokens of a (normalized) pattern that a matching URL must contain as a
// whole token (or, for 8 bytes and more, as the start of one), with their
// offsets in the pattern.
struct PatternToken {
  std::string_view text;
  uint32_t offset = 0;
};
std::vector<PatternToken> PatternTokens(std::string_view pattern, uint8_t anchors);

}  // namespace blindspot::filter_internal

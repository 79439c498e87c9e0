// The IAB Europe Transparency & Consent Framework (TCF) v2 consent string
// ("TC string": the `euconsent-v2` cookie, `__tcfapi('getTCData')`'s
// tcString): a consent manager's record of what the visitor chose, per
// purpose and per vendor, for consent and for legitimate interest. Decoded
// here from its base64url bitfield (IAB Tech Lab, "Consent string and vendor
// list formats v2"); only what the audit judges is kept. No I/O.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

struct TcString {
  int version = 0;      // 2 (a v1 string is refused)
  int64_t created = 0;  // deciseconds since the epoch
  int64_t last_updated = 0;
  int cmp_id = 0;
  int cmp_version = 0;
  int consent_screen = 0;
  std::string consent_language;  // two letters ("EN")
  int vendor_list_version = 0;
  int policy_version = 0;  // TCF policy version (4 = TCF 2.2)
  bool service_specific = false;
  bool non_standard_texts = false;
  bool purpose_one_treatment = false;
  std::string publisher_cc;           // two letters ("NL")
  std::vector<int> special_features;  // opted in, 1..12, ascending
  std::vector<int> purposes_consent;  // 1..24, ascending
  std::vector<int> purposes_li;       // legitimate interest established (not objected to), 1..24
  std::vector<int> vendors_consent;   // vendor ids, ascending
  std::vector<int> vendors_li;        // vendor ids with legitimate interest established, ascending
  int max_vendor_consent = 0;
  int max_vendor_li = 0;
  int publisher_restrictions = 0;  // how many restriction entries the string carries
  int segments = 1;                // the core segment and the optional segments after it

  bool PurposeConsent(int purpose) const;
  bool PurposeLi(int purpose) const;
};

// Decodes a TC string (base64url without padding, segments separated by
// '.'). Errors (kParse) say what is wrong and at which bit: not base64url, a
// version other than 2, a segment that ends before its fields, a vendor range
// beyond the maximum vendor id. Trailing bits after the core segment's
// fields are allowed (the format pads to whole characters).
Result<TcString> ParseTcString(std::string_view text);

}  // namespace blindspot

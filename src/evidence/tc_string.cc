// The TCF v2 consent string decoder (include/blindspot/tc_string.h). The
// layout is the IAB Tech Lab's "Consent string and vendor list formats v2":
// a base64url text of 6-bit characters read as one big-endian bit stream.
#include "blindspot/tc_string.h"

#include <fmt/format.h>

#include <algorithm>

namespace blindspot {

bool TcString::PurposeConsent(int purpose) const {
  return std::binary_search(purposes_consent.begin(), purposes_consent.end(), purpose);
}
bool TcString::PurposeLi(int purpose) const {
  return std::binary_search(purposes_li.begin(), purposes_li.end(), purpose);
}

namespace {

int SextetOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;  // base64url, and the standard alphabet some CMPs write
  if (c == '_' || c == '/') return 63;
  return -1;
}

Error Bad(std::string message) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.message = std::move(message);
  e.expected = "a TCF v2 consent string (base64url, IAB Tech Lab format v2)";
  return e;
}

// Reads one segment's bits, most significant first; reading past the end sets
// `short_` and gives zeros.
class Bits {
 public:
  explicit Bits(std::vector<uint8_t> sextets) : s_(std::move(sextets)) {}
  uint64_t size() const { return s_.size() * 6; }
  uint64_t pos() const { return pos_; }
  bool ended() const { return short_; }
  uint64_t Read(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) {
      v <<= 1;
      if (pos_ >= size()) {
        short_ = true;
        continue;
      }
      v |= (s_[pos_ / 6] >> (5 - pos_ % 6)) & 1u;
      ++pos_;
    }
    return v;
  }
  std::string Letters() {
    std::string out;
    for (int i = 0; i < 2; ++i) out.push_back(static_cast<char>('A' + Read(6) % 26));
    return out;
  }

 private:
  std::vector<uint8_t> s_;
  uint64_t pos_ = 0;
  bool short_ = false;
};

Result<std::vector<uint8_t>> Sextets(std::string_view segment, size_t offset) {
  while (!segment.empty() && segment.back() == '=') segment.remove_suffix(1);
  std::vector<uint8_t> out;
  out.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    int v = SextetOf(segment[i]);
    if (v < 0)
      return std::unexpected(Bad(fmt::format(
          "character {} is not base64url ('{}')", offset + i + 1,
          static_cast<unsigned char>(segment[i]) < 0x20 || static_cast<unsigned char>(segment[i]) >= 0x7f
              ? std::string("?")
              : std::string(1, segment[i]))));
    out.push_back(static_cast<uint8_t>(v));
  }
  return out;
}

std::vector<int> Flags(Bits& b, int n) {
  std::vector<int> out;
  for (int i = 1; i <= n; ++i)
    if (b.Read(1)) out.push_back(i);
  return out;
}

// A vendor section (consent or legitimate interest): MaxVendorId, then a
// bitfield or range entries.
Result<std::vector<int>> Vendors(Bits& b, int* max_out, std::string_view what) {
  int max = static_cast<int>(b.Read(16));
  *max_out = max;
  bool range = b.Read(1) != 0;
  std::vector<int> out;
  if (!range) {
    if (b.pos() + static_cast<uint64_t>(max) > b.size())
      return std::unexpected(
          Bad(fmt::format("the {} vendor bitfield ({} bits) runs past the end of the "
                          "core segment at bit {}",
                          what, max, b.pos())));
    for (int id = 1; id <= max; ++id)
      if (b.Read(1)) out.push_back(id);
    return out;
  }
  int entries = static_cast<int>(b.Read(12));
  std::vector<char> on(static_cast<size_t>(max) + 1, 0);
  for (int i = 0; i < entries && !b.ended(); ++i) {
    bool is_range = b.Read(1) != 0;
    int start = static_cast<int>(b.Read(16));
    int end = is_range ? static_cast<int>(b.Read(16)) : start;
    if (b.ended()) break;
    if (start < 1 || end < start || end > max)
      return std::unexpected(Bad(fmt::format("{} vendor range {}-{} is outside 1-{} (the maximum vendor id)",
                                             what, start, end, max)));
    std::fill(on.begin() + start, on.begin() + end + 1, 1);
  }
  if (b.ended())
    return std::unexpected(Bad(fmt::format("the core segment ends inside the {} vendor ranges", what)));
  for (int id = 1; id <= max; ++id)
    if (on[static_cast<size_t>(id)]) out.push_back(id);
  return out;
}

}  // namespace

Result<TcString> ParseTcString(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
  if (text.empty()) return std::unexpected(Bad("empty consent string"));
  if (text.size() > 1 << 20) return std::unexpected(Bad("consent string longer than 1 MiB"));
  size_t dot = text.find('.');
  std::string_view core = text.substr(0, dot);
  auto sextets = Sextets(core, 0);
  if (!sextets) return std::unexpected(sextets.error());
  Bits b(std::move(*sextets));
  TcString tc;
  tc.version = static_cast<int>(b.Read(6));
  if (b.ended()) return std::unexpected(Bad("empty core segment"));
  if (tc.version != 2)
    return std::unexpected(Bad(fmt::format("version {} (only TCF v2 strings are read)", tc.version)));
  tc.created = static_cast<int64_t>(b.Read(36));
  tc.last_updated = static_cast<int64_t>(b.Read(36));
  tc.cmp_id = static_cast<int>(b.Read(12));
  tc.cmp_version = static_cast<int>(b.Read(12));
  tc.consent_screen = static_cast<int>(b.Read(6));
  tc.consent_language = b.Letters();
  tc.vendor_list_version = static_cast<int>(b.Read(12));
  tc.policy_version = static_cast<int>(b.Read(6));
  tc.service_specific = b.Read(1) != 0;
  tc.non_standard_texts = b.Read(1) != 0;
  tc.special_features = Flags(b, 12);
  tc.purposes_consent = Flags(b, 24);
  tc.purposes_li = Flags(b, 24);
  tc.purpose_one_treatment = b.Read(1) != 0;
  tc.publisher_cc = b.Letters();
  if (b.ended())
    return std::unexpected(
        Bad(fmt::format("the core segment ends at bit {}, before its purpose fields", b.size())));
  auto consent = Vendors(b, &tc.max_vendor_consent, "consent");
  if (!consent) return std::unexpected(consent.error());
  tc.vendors_consent = std::move(*consent);
  auto li = Vendors(b, &tc.max_vendor_li, "legitimate-interest");
  if (!li) return std::unexpected(li.error());
  tc.vendors_li = std::move(*li);
  // Publisher restrictions: counted and skipped (a string from before TCF
  // v2.0's final layout may end here).
  int restrictions = static_cast<int>(b.Read(12));
  if (!b.ended()) {
    for (int r = 0; r < restrictions && !b.ended(); ++r) {
      b.Read(6);  // purpose id
      b.Read(2);  // restriction type
      int entries = static_cast<int>(b.Read(12));
      for (int i = 0; i < entries && !b.ended(); ++i) b.Read(b.Read(1) ? 32 : 16);
    }
    if (b.ended()) return std::unexpected(Bad("the core segment ends inside its publisher restrictions"));
    tc.publisher_restrictions = restrictions;
  }
  // The optional segments (disclosed vendors, publisher TC): checked to be
  // base64url, counted.
  size_t offset = dot == std::string_view::npos ? text.size() : dot + 1;
  while (dot != std::string_view::npos) {
    size_t next = text.find('.', offset);
    std::string_view seg =
        text.substr(offset, next == std::string_view::npos ? std::string_view::npos : next - offset);
    auto s = Sextets(seg, offset);
    if (!s) return std::unexpected(s.error());
    if (s->empty()) return std::unexpected(Bad(fmt::format("empty segment at character {}", offset + 1)));
    ++tc.segments;
    dot = next;
    offset = next + 1;
  }
  return tc;
}

}  // namespace blindspot

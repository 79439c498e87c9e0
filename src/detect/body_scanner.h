// Multi-pattern substring search over response bodies (internal to
// src/detect). One pass over the text: every position's two bytes (ASCII
// lower-cased) index a 64K-bit table; only on a hit are the few patterns that
// start with that pair compared. Patterns shorter than 2 bytes are ignored.
// Build once, then Scan is const and thread-safe.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot::detect_internal {

constexpr std::array<unsigned char, 256> MakeLowerTable() {
  std::array<unsigned char, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = static_cast<unsigned char>((i >= 'A' && i <= 'Z') ? i - 'A' + 'a' : i);
  return t;
}
inline constexpr std::array<unsigned char, 256> kLower = MakeLowerTable();

class BodyScanner {
 public:
  // Adds a pattern and returns its id (0, 1, ...). `nocase`: ASCII
  // case-insensitive; otherwise bytes must be equal.
  uint32_t Add(std::string_view text, bool nocase) {
    Pattern p;
    p.text = std::string(text);
    p.nocase = nocase;
    if (nocase)
      for (char& c : p.text) c = static_cast<char>(kLower[static_cast<unsigned char>(c)]);
    patterns_.push_back(std::move(p));
    built_ = false;
    return static_cast<uint32_t>(patterns_.size() - 1);
  }

  void Build() {
    bits_.fill(0);
    begin_.assign(kKeys + 1, 0);
    order_.clear();
    std::vector<uint32_t> count(kKeys, 0);
    for (const Pattern& p : patterns_)
      if (p.text.size() >= 2) count[Key(p.text[0], p.text[1])]++;
    uint32_t sum = 0;
    for (uint32_t k = 0; k < kKeys; ++k) {
      begin_[k] = sum;
      sum += count[k];
    }
    begin_[kKeys] = sum;
    order_.resize(sum);
    std::vector<uint32_t> fill(begin_.begin(), begin_.end() - 1);
    for (uint32_t i = 0; i < patterns_.size(); ++i) {
      const Pattern& p = patterns_[i];
      if (p.text.size() < 2) continue;
      uint32_t k = Key(p.text[0], p.text[1]);
      order_[fill[k]++] = i;
      bits_[k >> 6] |= uint64_t{1} << (k & 63);
    }
    built_ = true;
  }

  bool empty() const { return patterns_.empty(); }

  // Calls f(pattern_id, position) for every occurrence, in text order.
  template <class F>
  void Scan(std::string_view s, F&& f) const {
    if (!built_ || s.size() < 2) return;
    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size();
    for (size_t i = 0; i + 1 < n; ++i) {
      uint32_t k = (uint32_t{kLower[p[i]]} << 8) | kLower[p[i + 1]];
      if (!((bits_[k >> 6] >> (k & 63)) & 1)) continue;
      for (uint32_t j = begin_[k]; j < begin_[k + 1]; ++j) {
        const Pattern& pat = patterns_[order_[j]];
        if (i + pat.text.size() > n) continue;
        if (Equal(p + i, pat)) f(order_[j], i);
      }
    }
  }

 private:
  struct Pattern {
    std::string text;  // lower-cased when nocase
    bool nocase = false;
  };
  static constexpr uint32_t kKeys = 65536;

  static uint32_t Key(char a, char b) {
    return (uint32_t{kLower[static_cast<unsigned char>(a)]} << 8) | kLower[static_cast<unsigned char>(b)];
  }
  static bool Equal(const unsigned char* at, const Pattern& pat) {
    const size_t m = pat.text.size();
    if (pat.nocase) {
      for (size_t i = 0; i < m; ++i)
        if (kLower[at[i]] != static_cast<unsigned char>(pat.text[i])) return false;
      return true;
    }
    for (size_t i = 0; i < m; ++i)
      if (at[i] != static_cast<unsigned char>(pat.text[i])) return false;
    return true;
  }

  std::vector<Pattern> patterns_;
  std::array<uint64_t, kKeys / 64> bits_{};
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> order_;
  bool built_ = false;
};

// The URL-like token around text[pos]: extends both ways until a blank, a
// quote, '<', '>', '(', ')', '`', '{', '}', '|', '\\' or '^' (at most 2048
// bytes each way). Trailing '.', ',' and ';' are dropped.
inline std::string_view UrlTokenAt(std::string_view text, size_t pos, size_t* start_out) {
  auto stop = [](char c) {
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '"':
      case '\'':
      case '<':
      case '>':
      case '(':
      case ')':
      case '`':
      case '{':
      case '}':
      case '|':
      case '\\':
      case '^':
        return true;
      default:
        return false;
    }
  };
  size_t b = pos, limit = pos > 2048 ? pos - 2048 : 0;
  while (b > limit && !stop(text[b - 1])) --b;
  size_t e = pos, elimit = std::min(text.size(), pos + 2048);
  while (e < elimit && !stop(text[e])) ++e;
  while (e > b && (text[e - 1] == '.' || text[e - 1] == ',' || text[e - 1] == ';')) --e;
  if (start_out) *start_out = b;
  return text.substr(b, e - b);
}

}  // namespace blindspot::detect_internal

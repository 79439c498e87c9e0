// Internal to src/io and its users (reports, the server): a streaming JSON
// writer for the big outputs (audit report, native register).
//
// JsonOut appends to a string the bytes nlohmann::json::dump(2) would give
// for the same document (two-space indent, ", " never used, "[]"/"{}" for
// empty containers, UTF-8 kept, control characters escaped, invalid UTF-8
// replaced by U+FFFD), without building a tree first: a 20,000-touchpoint
// report is written in one pass. Keys are written in call order.
//
// Misuse (a value where a key is due, End without Begin) is a programming
// error checked by assert. Not thread-safe; one writer per output string.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot::io_internal {

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // The key of the next value in the current object.
  void Key(std::string_view key);

  void Str(std::string_view s);
  void Null();
  void Bool(bool b);
  void Uint(uint64_t n);
  void Int(int64_t n);

  // Conveniences: "" and empty lists as null, optionals as null when unset.
  void StrOrNull(std::string_view s) { s.empty() ? Null() : Str(s); }
  void OptBool(const std::optional<bool>& b) { b ? Bool(*b) : Null(); }
  void StrList(const std::vector<std::string>& v);
  void StrListOrNull(const std::vector<std::string>& v) { v.empty() ? Null() : StrList(v); }

  // Key + value in one call.
  void Member(std::string_view key, std::string_view s) { Key(key), Str(s); }
  void Member(std::string_view key, const char* s) { Key(key), Str(s); }
  void Member(std::string_view key, const std::string& s) { Key(key), Str(s); }
  void Member(std::string_view key, bool b) { Key(key), Bool(b); }
  void Member(std::string_view key, uint64_t n) { Key(key), Uint(n); }
  void Member(std::string_view key, uint32_t n) { Key(key), Uint(n); }
  void Member(std::string_view key, int64_t n) { Key(key), Int(n); }
  void Member(std::string_view key, int n) { Key(key), Int(n); }
  void MemberOrNull(std::string_view key, std::string_view s) { Key(key), StrOrNull(s); }
  void NullMember(std::string_view key) { Key(key), Null(); }

  // Appends `s` as a JSON string (quoted and escaped) to `out`.
  static void Quote(std::string& out, std::string_view s);

 private:
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void Newline(size_t depth);

  struct Level {
    bool empty = true;
    bool object = false;
  };
  std::string& out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace blindspot::io_internal

#include "io/json_out.h"

#include <simdjson.h>

#include <cassert>
#include <charconv>
#include <nlohmann/json.hpp>

namespace blindspot::io_internal {

void JsonOut::Newline(size_t depth) {
  out_ += '\n';
  out_.append(depth * 2, ' ');
}

void JsonOut::BeforeValue() {
  if (after_key_) {  // the key wrote the separator
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;  // the document's root
  Level& l = stack_.back();
  assert(!l.object && "a value in an object needs a key");
  if (!l.empty) out_ += ',';
  l.empty = false;
  Newline(stack_.size());
}

void JsonOut::Key(std::string_view key) {
  assert(!stack_.empty() && stack_.back().object && !after_key_);
  Level& l = stack_.back();
  if (!l.empty) out_ += ',';
  l.empty = false;
  Newline(stack_.size());
  Quote(out_, key);
  out_ += ": ";
  after_key_ = true;
}

void JsonOut::Open(char c) {
  BeforeValue();
  out_ += c;
  stack_.push_back({true, c == '{'});
}

void JsonOut::Close(char c) {
  assert(!stack_.empty() && stack_.back().object == (c == '}') && !after_key_);
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) Newline(stack_.size());
  out_ += c;
}

void JsonOut::Str(std::string_view s) {
  BeforeValue();
  Quote(out_, s);
}

void JsonOut::Null() {
  BeforeValue();
  out_ += "null";
}

void JsonOut::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
}

void JsonOut::Uint(uint64_t n) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
}

void JsonOut::Int(int64_t n) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
}

void JsonOut::StrList(const std::vector<std::string>& v) {
  BeginArray();
  for (const std::string& s : v) Str(s);
  EndArray();
}

void JsonOut::Quote(std::string& out, std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (!ascii && !simdjson::validate_utf8(s.data(), s.size())) {
    // Invalid UTF-8 (from a HAR or a register): bad bytes become U+FFFD, as
    // nlohmann's replace handler does; rare, so its dump is used as is.
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace blindspot::io_internal

// The test identity's values in requests: every spelling, encoding and digest
// is computed once (LeakMatcher), then found with one multi-pattern pass per
// URL and body; only a hit costs more (its place: parameter name or JSON path).
#include "scan/leaks.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace blindspot::scan {

namespace {

bool IsAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

constexpr char kHex[] = "0123456789abcdef";

std::string HexOf(const unsigned char* d, unsigned n) {
  std::string out;
  out.reserve(n * 2);
  for (unsigned i = 0; i < n; ++i) {
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 15]);
  }
  return out;
}

// Base64 without padding; URL-safe ('-', '_') when `url`.
std::string Base64(std::string_view in, bool url) {
  static constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* t = url ? kUrl : kStd;
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(t[v >> 18]);
    out.push_back(t[(v >> 12) & 63]);
    out.push_back(t[(v >> 6) & 63]);
    out.push_back(t[v & 63]);
  }
  if (in.size() - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    out.push_back(t[v >> 18]);
    out.push_back(t[(v >> 12) & 63]);
  } else if (in.size() - i == 2) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    out.push_back(t[v >> 18]);
    out.push_back(t[(v >> 12) & 63]);
    out.push_back(t[(v >> 6) & 63]);
  }
  return out;
}

// The base64 characters that depend on `v` alone when `v` starts at byte
// offset 0, 1 or 2 (mod 3) of a longer encoded text: the value is found inside
// base64 of a larger body ({"email":"..."}), whatever precedes it.
std::array<std::string, 3> Base64Cores(std::string_view v, bool url) {
  std::array<std::string, 3> cores;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string buf(shift, '\0');
    buf.append(v);
    std::string enc = Base64(buf, url);
    const std::size_t first = (8 * shift + 5) / 6;         // first character without a prefix bit
    const std::size_t count = 8 * (shift + v.size()) / 6;  // characters without a bit after the value
    cores[shift] = count > first ? enc.substr(first, count - first) : std::string();
  }
  return cores;
}

// Percent-encodes all but RFC 3986 unreserved characters (also '+' unless keep_plus).
std::string PercentEncode(std::string_view v, bool keep_plus, bool space_plus) {
  std::string out;
  for (unsigned char c : v) {
    if (IsAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_plus && c == '+')) {
      out.push_back(static_cast<char>(c));
    } else if (space_plus && c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back("0123456789ABCDEF"[c >> 4]);
      out.push_back("0123456789ABCDEF"[c & 15]);
    }
  }
  return out;
}

std::string Digest(std::string_view v, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if (EVP_Digest(v.data(), v.size(), out, &n, md, nullptr) != 1) return {};
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// The name of the `&`-separated parameter of `params` that holds `pos`.
std::string ParamNameAt(std::string_view params, std::size_t pos) {
  std::size_t begin = params.rfind('&', pos == 0 ? 0 : pos - 1);
  begin = (begin == params.npos || begin >= pos) ? 0 : begin + 1;
  std::size_t end = params.find('&', pos);
  std::string_view param = params.substr(begin, end == params.npos ? params.npos : end - begin);
  std::size_t eq = param.find('=');
  if (eq == param.npos || begin + eq >= pos) return {};  // no name, or the hit is in the name itself
  return PercentDecode(param.substr(0, eq)).substr(0, 200);
}

// The JSON path ("context.user.email", "data[0].em") of the value that holds
// byte `pos` of `json`, read leniently up to there (no full parse).
std::string JsonPathAt(std::string_view json, std::size_t pos) {
  struct Level {
    bool object;
    bool expect_key;
    std::string key;
    std::size_t index;
  };
  std::vector<Level> stack;
  std::string last_string;
  bool in_string = false;
  std::size_t string_start = 0;
  for (std::size_t i = 0; i < json.size() && i < pos; ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (!stack.empty() && stack.back().object && stack.back().expect_key) {
          stack.back().key = std::string(json.substr(string_start, i - string_start)).substr(0, 100);
          stack.back().expect_key = false;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        string_start = i + 1;
        break;
      case '{':
        stack.push_back({true, true, {}, 0});
        break;
      case '[':
        stack.push_back({false, false, {}, 0});
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      case ',':
        if (!stack.empty()) {
          if (stack.back().object) {
            stack.back().expect_key = true;
            stack.back().key.clear();
          } else {
            ++stack.back().index;
          }
        }
        break;
      default:
        break;
    }
  }
  std::string path;
  for (const Level& l : stack) {
    if (l.object) {
      if (l.key.empty()) break;
      if (!path.empty()) path.push_back('.');
      path += l.key;
    } else {
      path += "[" + std::to_string(l.index) + "]";
    }
  }
  return path;
}

bool LooksLikeJson(std::string_view body) {
  body = Trim(body);
  return !body.empty() && (body.front() == '{' || body.front() == '[');
}

}  // namespace

std::string_view ToString(LeakField f) {
  switch (f) {
    case LeakField::kEmail:
      return "email";
    case LeakField::kPhone:
      return "phone";
    case LeakField::kFirstName:
      return "first_name";
    case LeakField::kLastName:
      return "last_name";
    case LeakField::kPostcode:
      return "postcode";
  }
  return "email";
}

std::string_view ToString(LeakEncoding e) {
  switch (e) {
    case LeakEncoding::kPlain:
      return "plain";
    case LeakEncoding::kUrl:
      return "url";
    case LeakEncoding::kBase64:
      return "base64";
    case LeakEncoding::kMd5:
      return "md5";
    case LeakEncoding::kSha1:
      return "sha1";
    case LeakEncoding::kSha256:
      return "sha256";
  }
  return "plain";
}

std::string_view ToString(LeakPlace p) {
  switch (p) {
    case LeakPlace::kQuery:
      return "query";
    case LeakPlace::kPath:
      return "path";
    case LeakPlace::kFragment:
      return "fragment";
    case LeakPlace::kBody:
      return "body";
  }
  return "query";
}

TestIdentity TestIdentity::ForTag(std::string_view tag) {
  TestIdentity id;
  id.email = "blindspot.test+" + std::string(tag) + "@example.org";
  return id;
}

std::string NormaliseEmail(std::string_view email) { return Lower(Trim(email)); }

std::string GoogleEmail(std::string_view email) {
  std::string e = NormaliseEmail(email);
  std::size_t at = e.rfind('@');
  if (at == e.npos) return e;
  std::string_view domain = std::string_view(e).substr(at + 1);
  if (domain != "gmail.com" && domain != "googlemail.com") return e;
  std::string local = e.substr(0, at);
  local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
  return local + e.substr(at);
}

std::string PhoneDigits(std::string_view phone, std::string_view country_calling_code) {
  std::string_view t = Trim(phone);
  std::string digits;
  for (char c : t)
    if (c >= '0' && c <= '9') digits.push_back(c);
  if (digits.empty()) return digits;
  if (!t.empty() && t.front() == '+') return digits;                                       // +31 6 ...
  if (digits.starts_with("00")) return digits.substr(2);                                   // 0031 6 ...
  if (digits.front() == '0') return std::string(country_calling_code) + digits.substr(1);  // 06 ...
  return digits;  // already with its country code
}

std::string NormaliseName(std::string_view name) {
  std::string out;
  bool blank = false;
  for (unsigned char c : Trim(name)) {
    if (IsBlank(static_cast<char>(c))) {
      blank = !out.empty();
      continue;
    }
    // ASCII punctuation goes; letters beyond ASCII (UTF-8) stay, as Meta asks.
    if (c < 0x80 && !IsAlnum(c)) continue;
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c));
  }
  return out;
}

std::string NormalisePostcode(std::string_view pc) {
  std::string out;
  for (char c : Trim(pc))
    if (!IsBlank(c) && c != '-') out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return out;
}

void LeakMatcher::Add(std::string text, bool nocase, Pattern p) {
  if (text.size() < 4) return;
  std::string key = (nocase ? "i:" : "s:") + (nocase ? Lower(text) : text);
  if (std::find(texts_.begin(), texts_.end(), key) != texts_.end()) return;  // the first spelling names it
  texts_.push_back(std::move(key));
  p.length = text.size();
  scanner_.Add(text, nocase);
  patterns_.push_back(std::move(p));
}

LeakMatcher::LeakMatcher(const TestIdentity& id) {
  struct Spelling {
    std::string text;
    std::string form;
  };
  struct Value {
    LeakField field;
    std::vector<Spelling> hashed;   // spellings whose digests are looked for (normalised first)
    std::vector<Spelling> encoded;  // spellings looked for plain, URL-encoded and in base64
    bool word_bounded;
  };
  std::vector<Value> values;
  const std::string email = std::string(Trim(id.email));
  if (!email.empty()) {
    values.push_back(
        {LeakField::kEmail,
         {{NormaliseEmail(email), "lower-case"}, {GoogleEmail(email), "gmail-no-dots"}, {email, "as-typed"}},
         {{email, "as-typed"}, {NormaliseEmail(email), "lower-case"}},
         false});
  }
  const std::string phone = std::string(Trim(id.phone));
  if (!phone.empty()) {
    std::string digits = PhoneDigits(phone, id.country_calling_code);
    std::string national;  // 0612345678 for a number of the given country
    if (!id.country_calling_code.empty() && digits.starts_with(id.country_calling_code))
      national = "0" + digits.substr(id.country_calling_code.size());
    values.push_back(
        {LeakField::kPhone,
         {{digits, "digits"}, {"+" + digits, "e164"}, {phone, "as-typed"}},
         {{phone, "as-typed"}, {digits, "digits"}, {"+" + digits, "e164"}, {national, "national"}},
         true});
  }
  auto name = [&](LeakField f, const std::string& raw) {
    std::string v = std::string(Trim(raw));
    if (v.empty()) return;
    std::string norm = NormaliseName(v);
    std::string joined = norm;
    joined.erase(std::remove(joined.begin(), joined.end(), ' '), joined.end());
    values.push_back(
        {f,
         {{norm, "no-punctuation"}, {joined, "no-punctuation"}, {Lower(v), "lower-case"}, {v, "as-typed"}},
         {{v, "as-typed"}, {norm, "no-punctuation"}},
         true});
  };
  name(LeakField::kFirstName, id.first_name);
  name(LeakField::kLastName, id.last_name);
  const std::string pc = std::string(Trim(id.postcode));
  if (!pc.empty()) {
    std::string norm = NormalisePostcode(pc);
    values.push_back({LeakField::kPostcode,
                      {{norm, "no-spaces"}, {pc, "as-typed"}},
                      {{pc, "as-typed"}, {norm, "no-spaces"}},
                      true});
  }

  struct Algo {
    LeakEncoding encoding;
    const EVP_MD* md;
  };
  const std::array<Algo, 3> algos = {{{LeakEncoding::kSha256, EVP_sha256()},
                                      {LeakEncoding::kSha1, EVP_sha1()},
                                      {LeakEncoding::kMd5, EVP_md5()}}};
  for (const Value& v : values) {
    for (const Spelling& s : v.hashed) {
      if (s.text.empty()) continue;
      for (const Algo& a : algos) {
        std::string d = Digest(s.text, a.md);
        if (d.empty()) continue;
        Add(HexOf(reinterpret_cast<const unsigned char*>(d.data()), static_cast<unsigned>(d.size())), true,
            {v.field, a.encoding, s.form, "hex", false, false});
        Add(Base64(d, false), false, {v.field, a.encoding, s.form, "base64", false, false});
        Add(Base64(d, true), false, {v.field, a.encoding, s.form, "base64", false, false});
      }
    }
    for (const Spelling& s : v.encoded) {
      if (s.text.empty()) continue;
      Add(s.text, true, {v.field, LeakEncoding::kPlain, s.form, "", v.word_bounded, false});
      std::string once = PercentEncode(s.text, false, false);
      Add(once, true, {v.field, LeakEncoding::kUrl, s.form, "", v.word_bounded, false});
      Add(PercentEncode(s.text, true, false), true,
          {v.field, LeakEncoding::kUrl, s.form, "", v.word_bounded, false});
      Add(PercentEncode(s.text, false, true), true,
          {v.field, LeakEncoding::kUrl, s.form, "", v.word_bounded, false});
      Add(PercentEncode(once, false, false), true,
          {v.field, LeakEncoding::kUrl, s.form, "", v.word_bounded, false});
      if (s.text.size() >= 6) {
        for (bool url : {false, true})
          for (std::string& core : Base64Cores(s.text, url))
            if (core.size() >= 8)
              Add(std::move(core), false, {v.field, LeakEncoding::kBase64, s.form, "", false, true});
      }
    }
  }
  scanner_.Build();
}

void LeakMatcher::Scan(std::string_view text, bool in_url, std::vector<Leak>* out) const {
  const std::size_t query = in_url ? text.find('?') : text.npos;
  const std::size_t fragment = in_url ? text.find('#') : text.npos;
  const bool json = !in_url && LooksLikeJson(text);
  const bool form = !in_url && !json && text.find('=') != text.npos;
  scanner_.Scan(text, [&](uint32_t id, std::size_t pos) {
    const Pattern& p = patterns_[id];
    const std::size_t len = p.length;
    if (p.word_bounded) {
      // A letter or digit right before or after is part of another word
      // ("%20" before a name counts as a separator).
      bool before_ok = pos == 0 || !IsAlnum(static_cast<unsigned char>(text[pos - 1])) ||
                       (pos >= 3 && text[pos - 3] == '%');
      bool after_ok = pos + len >= text.size() || !IsAlnum(static_cast<unsigned char>(text[pos + len]));
      if (!before_ok || !after_ok) return;
    }
    Leak leak;
    leak.field = p.field;
    leak.encoding = p.encoding;
    leak.form = p.form;
    leak.digest_text = p.digest_text;
    if (in_url) {
      if (fragment != text.npos && pos > fragment) {
        leak.place = LeakPlace::kFragment;
        leak.where = ParamNameAt(text.substr(fragment + 1), pos - fragment - 1);
      } else if (query != text.npos && pos > query) {
        leak.place = LeakPlace::kQuery;
        std::string_view q = text.substr(query + 1, fragment == text.npos ? text.npos : fragment - query - 1);
        leak.where = ParamNameAt(q, pos - query - 1);
      } else {
        leak.place = LeakPlace::kPath;
      }
    } else {
      leak.place = LeakPlace::kBody;
      if (json) {
        leak.where = JsonPathAt(text, pos);
      } else if (form) {
        leak.where = ParamNameAt(text, pos);
      }
    }
    if (p.base64) leak.where += leak.where.empty() ? "(base64)" : " (base64)";
    if (std::find(out->begin(), out->end(), leak) == out->end()) out->push_back(std::move(leak));
  });
}

std::vector<Leak> LeakMatcher::Find(std::string_view url, std::string_view post_body) const {
  std::vector<Leak> out;
  Scan(url, true, &out);
  if (!post_body.empty()) Scan(post_body, false, &out);
  return out;
}

std::vector<Leak> FindLeaks(const TestIdentity& identity, std::string_view url, std::string_view post_body) {
  return LeakMatcher(identity).Find(url, post_body);
}

}  // namespace blindspot::scan

// One line of a filter list -> ParsedLine. The syntax is Adblock Plus's with
// uBlock Origin's extensions and its readings of the corner cases (a pattern
// that looks like a host name, where the options start, which options make a
// filter invalid); docs/filters.md lists them.
#include <algorithm>
#include <array>

#include "filter/filter_internal.h"

namespace blindspot::filter_internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool HasSpace(std::string_view s) { return std::any_of(s.begin(), s.end(), IsSpace); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || IsDigit(c); }

// ^(?:[\da-z][\da-z_-]*\.)*[\da-z][\da-z-]*[\da-z]$ : what uBlock Origin takes
// for a host name (then a pattern means that host and its subdomains).
bool IsHostnameAscii(std::string_view s) {
  if (s.size() < 2) return false;
  size_t last_dot = s.rfind('.');
  std::string_view last = last_dot == std::string_view::npos ? s : s.substr(last_dot + 1);
  // The last label: [\da-z][\da-z-]*[\da-z], at least two characters.
  if (last.size() < 2 || !IsLowerAlnum(last.front()) || !IsLowerAlnum(last.back())) return false;
  for (char c : last)
    if (!IsLowerAlnum(c) && c != '-') return false;
  if (last_dot == std::string_view::npos) return true;
  // The other labels: [\da-z][\da-z_-]*
  std::string_view head = s.substr(0, last_dot + 1);
  size_t start = 0;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] != '.') continue;
    std::string_view label = head.substr(start, i - start);
    if (label.empty() || !IsLowerAlnum(label.front())) return false;
    for (char c : label)
      if (!IsLowerAlnum(c) && c != '_' && c != '-') return false;
    start = i + 1;
  }
  return true;
}

// ^(?:[\da-z][\da-z_-]*\.)*[\da-z_-]*[\da-z]$ : the host of uBlock Origin's
// fast path for `||host^` (its last label may hold `_` and be one character).
bool IsEasyListHostname(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.back())) return false;
  size_t last_dot = s.rfind('.');
  std::string_view last = last_dot == std::string_view::npos ? s : s.substr(last_dot + 1);
  for (char c : last)
    if (!IsLowerAlnum(c) && c != '_' && c != '-') return false;
  if (last_dot == std::string_view::npos) return true;
  size_t start = 0;
  for (size_t i = 0; i <= last_dot; ++i) {
    if (s[i] != '.') continue;
    std::string_view label = s.substr(start, i - start);
    if (label.empty() || !IsLowerAlnum(label.front())) return false;
    for (char c : label)
      if (!IsLowerAlnum(c) && c != '_' && c != '-') return false;
    start = i + 1;
  }
  return true;
}

// Where the options start: the last `$` not followed by `)`, `/` or `|` and
// not escaped (so `/ads$/` and `removeparam=/x$/` keep theirs). npos: no
// options; kHtmlAnchor: `$$` (an AdGuard HTML filter).
constexpr size_t kHtmlAnchor = static_cast<size_t>(-2);
size_t OptionsAnchor(std::string_view s) {
  size_t j = s.rfind('$');
  if (j == std::string_view::npos || j + 1 == s.size()) return std::string_view::npos;
  for (;;) {
    char before = j > 0 ? s[j - 1] : '\0';
    if (j != 0 && before == '$') return kHtmlAnchor;
    char after = s[j + 1];
    if (after != ')' && after != '/' && after != '|' && before != '\\') return j;
    if (j == 0) break;
    j = s.rfind('$', j - 1);
    if (j == std::string_view::npos) break;
  }
  return std::string_view::npos;
}

// `,` separates options only where an option name follows (a csp= value may
// hold commas): ,(?:~?[13a-z-]+(?:=.*?)?|_+)(?:,|$)
bool OptionStartsAt(std::string_view s, size_t p) {
  size_t i = p;
  if (i < s.size() && s[i] == '_') {
    while (i < s.size() && s[i] == '_') ++i;
    return i == s.size() || s[i] == ',';
  }
  if (i < s.size() && s[i] == '~') ++i;
  size_t name = i;
  while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '1' || s[i] == '3' || s[i] == '-')) ++i;
  if (i == name) return false;
  return i == s.size() || s[i] == ',' || s[i] == '=';
}

struct RawOption {
  std::string_view name;
  std::string_view value;
  bool negated = false;
  bool has_value = false;
};

std::vector<RawOption> SplitOptions(std::string_view s) {
  std::vector<RawOption> out;
  if (s.empty()) return out;
  size_t p = 0;
  while (p <= s.size()) {
    // The option runs to the next comma that starts another option.
    size_t end = p;
    for (;;) {
      end = s.find(',', end);
      if (end == std::string_view::npos) {
        end = s.size();
        break;
      }
      if (OptionStartsAt(s, end + 1)) break;
      ++end;
    }
    std::string_view opt = s.substr(p, end - p);
    RawOption o;
    if (!opt.empty() && opt[0] == '~') {
      o.negated = true;
      opt.remove_prefix(1);
    }
    size_t eq = opt.find('=');
    if (eq != std::string_view::npos) {
      o.has_value = true;
      o.value = opt.substr(eq + 1);
      opt = opt.substr(0, eq);
    }
    o.name = opt;
    out.push_back(o);
    if (end >= s.size()) break;
    p = end + 1;
  }
  return out;
}

struct TypeName {
  std::string_view name;
  ResourceType type;
};
constexpr std::array<TypeName, 20> kTypeOptions = {{
    {"script", ResourceType::kScript},
    {"image", ResourceType::kImage},
    {"stylesheet", ResourceType::kStylesheet},
    {"css", ResourceType::kStylesheet},
    {"object", ResourceType::kObject},
    {"object-subrequest", ResourceType::kObject},
    {"xmlhttprequest", ResourceType::kXmlHttpRequest},
    {"xhr", ResourceType::kXmlHttpRequest},
    {"subdocument", ResourceType::kSubdocument},
    {"frame", ResourceType::kSubdocument},
    {"ping", ResourceType::kPing},
    {"beacon", ResourceType::kPing},
    {"media", ResourceType::kMedia},
    {"font", ResourceType::kFont},
    {"websocket", ResourceType::kWebSocket},
    {"other", ResourceType::kOther},
    {"document", ResourceType::kDocument},
    {"doc", ResourceType::kDocument},
    {"popup", ResourceType::kPopup},
    {"popunder", ResourceType::kPopup},
}};

// Options that make a network filter do something other than block or allow
// a request (or that this engine does not evaluate): the filter is skipped
// and counted under the canonical name.
struct SkipOption {
  std::string_view name;
  std::string_view reason;
};
constexpr std::array<SkipOption, 30> kSkipOptions = {{
    {"csp", "csp"},
    {"removeparam", "removeparam"},
    {"queryprune", "removeparam"},
    {"header", "header"},
    {"permissions", "permissions"},
    {"replace", "replace"},
    {"urltransform", "urltransform"},
    {"uritransform", "urltransform"},
    {"urlskip", "urlskip"},
    {"redirect-rule", "redirect-rule"},
    {"cname", "cname"},
    {"genericblock", "genericblock"},
    {"generichide", "generichide"},
    {"ghide", "generichide"},
    {"elemhide", "elemhide"},
    {"ehide", "elemhide"},
    {"specifichide", "specifichide"},
    {"shide", "specifichide"},
    {"method", "method"},
    {"ipaddress", "ipaddress"},
    {"sitekey", "sitekey"},
    {"inline-script", "inline-script"},
    {"inline-font", "inline-font"},
    {"webrtc", "webrtc"},
    {"content", "content"},
    {"jsinject", "jsinject"},
    {"extension", "extension"},
    {"stealth", "stealth"},
    {"cookie", "cookie"},
    {"hls", "hls"},
}};

ParsedLine Malformed(std::string message, std::string expected = {}) {
  ParsedLine p;
  p.kind = LineKind::kMalformed;
  p.reason = std::move(message);
  p.expected = std::move(expected);
  return p;
}

ParsedLine Skipped(std::string_view reason) {
  ParsedLine p;
  p.kind = LineKind::kSkipped;
  p.reason = std::string(reason);
  return p;
}

ParsedLine Kind(LineKind k) {
  ParsedLine p;
  p.kind = k;
  return p;
}

// #@?(?:\$\?|\$|%|\?)?# followed by at least one character: an extended
// (cosmetic, scriptlet, HTML) filter, wherever it stands in the line.
std::optional<LineKind> ExtendedKind(std::string_view s) {
  for (size_t i = s.find('#'); i != std::string_view::npos; i = s.find('#', i + 1)) {
    size_t j = i + 1;
    if (j < s.size() && s[j] == '@') ++j;
    bool percent = false;
    if (j + 1 < s.size() && s[j] == '$' && s[j + 1] == '?') {
      j += 2;
    } else if (j < s.size() && (s[j] == '$' || s[j] == '%' || s[j] == '?')) {
      percent = s[j] == '%';
      ++j;
    }
    if (j >= s.size() || s[j] != '#' || j + 1 >= s.size()) continue;
    std::string_view body = s.substr(j + 1);
    if (percent || body.starts_with("+js(")) return LineKind::kScriptlet;
    if (body.front() == '^') return LineKind::kHtml;
    return LineKind::kCosmetic;
  }
  return std::nullopt;
}

// A `domain=` entry: a host name (lower-case; an IPv6 address in brackets),
// or an entity `name.*`.
bool ValidDomainEntry(std::string_view d) {
  if (d.ends_with(".*")) d.remove_suffix(2);
  if (d.empty() || d.front() == '.' || d.back() == '.') return false;
  for (char c : d) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(IsLowerAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']' ||
          u >= 0x80))
      return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (Lower(s[i]) != prefix[i]) return false;
  return true;
}

// A hosts-file line ("0.0.0.0 example.com"): the host, or empty when the line
// names a local host (uBlock Origin ignores those).
std::optional<std::string> HostsEntry(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (IsLowerAlnum(Lower(s[i])) || s[i] == '_' || s[i] == '%' || s[i] == '.' ||
                          s[i] == ':' || s[i] == '[' || s[i] == ']' || s[i] == '-'))
    ++i;
  if (i == 0 || i == s.size() || !IsSpace(s[i])) return std::nullopt;
  std::string host(Trim(s.substr(i)));
  for (char& c : host) c = Lower(c);
  static constexpr std::array<std::string_view, 5> kLocal = {"localhost", "localhost.localdomain", "local",
                                                             "broadcasthost", "0.0.0.0"};
  bool local = host.starts_with("ip6-");
  for (std::string_view l : kLocal)
    local = local || host == l ||
            (host.size() > l.size() && host.ends_with(l) && host[host.size() - l.size() - 1] == '.');
  if (local || !IsHostnameAscii(host)) return std::string();
  return host;
}

}  // namespace

ParsedLine ParseLine(std::string_view line) {
  std::string_view s = Trim(line);
  if (s.empty() || s[0] == '!') return Kind(LineKind::kComment);
  if (s[0] == '[' && StartsWithNoCase(s, "[adblock")) return Kind(LineKind::kComment);
  if (s.starts_with("####") || (s.size() > 1 && s[0] == '#' && IsSpace(s[1])))
    return Kind(LineKind::kComment);
  if (auto ext = ExtendedKind(s)) return Kind(*ext);
  if (s[0] == '#') return Kind(LineKind::kComment);

  // An inline comment: white space, then `#`, to the end of the line.
  if (HasSpace(s)) {
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      if (!IsSpace(s[i])) continue;
      size_t j = i;
      while (j < s.size() && IsSpace(s[j])) ++j;
      if (j < s.size() && s[j] == '#') {
        s = Trim(s.substr(0, i));
        break;
      }
      i = j - 1;
    }
    if (s.empty()) return Kind(LineKind::kComment);
  }

  ParsedLine out;
  out.kind = LineKind::kNetwork;
  std::string_view body = s;
  if (body.starts_with("@@")) {
    out.exception = true;
    body.remove_prefix(2);
  }
  size_t anchor = OptionsAnchor(body);
  if (anchor == kHtmlAnchor) return Kind(LineKind::kHtml);
  std::string_view pattern = anchor == std::string_view::npos ? body : body.substr(0, anchor);
  std::string_view options = anchor == std::string_view::npos ? std::string_view() : body.substr(anchor + 1);
  const bool has_options = anchor != std::string_view::npos;

  if (!out.exception && !has_options && HasSpace(pattern)) {
    if (auto host = HostsEntry(pattern)) {
      if (host->empty()) return Skipped("hosts-file line for a local host");
      out.pattern_kind = PatternKind::kHostname;
      out.pattern = *host;
      out.type_mask = kDefaultTypes;
      return out;
    }
  }
  if (HasSpace(pattern))
    return Malformed("white space in the pattern", "a URL pattern without spaces, then $options");

  // ---- options ----
  uint16_t types = 0, not_types = 0;
  bool saw_domain = false, saw_to = false, saw_denyallow = false;
  std::string_view skip;
  for (const RawOption& o : SplitOptions(options)) {
    std::string_view n = o.name;
    if (n.empty()) return Malformed("empty option", "options separated by single commas");
    if (n.find_first_not_of('_') == std::string_view::npos) {  // `_`: no-op
      if (o.negated || o.has_value) return Malformed("the no-op option _ takes no value and no ~");
      continue;
    }
    auto type = std::find_if(kTypeOptions.begin(), kTypeOptions.end(),
                             [&](const TypeName& t) { return t.name == n; });
    if (type != kTypeOptions.end()) {
      if (o.has_value) return Malformed("the type option " + std::string(n) + " takes no value");
      (o.negated ? not_types : types) |= TypeBit(type->type);
      continue;
    }
    if (n == "all") {
      if (o.negated || o.has_value) return Malformed("the option all takes no value and no ~");
      types |= kAllTypes;
    } else if (n == "third-party" || n == "3p" || n == "first-party" || n == "1p") {
      if (o.has_value) return Malformed("the option " + std::string(n) + " takes no value");
      bool third = (n == "third-party" || n == "3p") != o.negated;
      if (out.party == 3) out.party = 0;
      out.party |= third ? 2 : 1;
    } else if (n == "domain" || n == "from" || n == "to" || n == "denyallow") {
      // domain=: the source host; to=: the request host; denyallow=: not
      // these request hosts (uBlock Origin wants it with domain=).
      const bool to = n == "to" || n == "denyallow";
      if (o.negated || !o.has_value || o.value.empty())
        return Malformed(std::string(n) + "= needs a list of domains",
                         std::string(n) + "=example.com|~sub.example.com");
      bool& seen = to ? saw_to : saw_domain;
      if (seen)
        return Malformed(std::string(to ? "to= or denyallow=" : "domain=") + " given twice", "one list");
      seen = true;
      std::string_view v = o.value;
      for (size_t p = 0; p <= v.size();) {
        size_t bar = v.find('|', p);
        if (bar == std::string_view::npos) bar = v.size();
        std::string_view d = v.substr(p, bar - p);
        bool excl = !d.empty() && d[0] == '~';
        if (excl) d.remove_prefix(1);
        if (n == "denyallow") {
          if (excl) return Malformed("denyallow= entries take no ~", "denyallow=a.example|b.example");
          excl = true;
        }
        if (!d.empty() && d.front() == '/' && d.back() == '/' && d.size() > 2) {
          skip = "domain= regex";
        } else {
          std::string dom(d);
          for (char& c : dom) c = Lower(c);
          if (!ValidDomainEntry(dom))
            return Malformed("bad domain '" + std::string(d) + "' in " + std::string(n) + "=",
                             "host names or entities (example.*) separated by |");
          auto& list = to ? (excl ? out.to_exclude : out.to_include)
                          : (excl ? out.exclude_domains : out.include_domains);
          list.push_back(std::move(dom));
        }
        p = bar + 1;
      }
      if (n == "denyallow") saw_denyallow = true;
    } else if (n == "strict1p" || n == "strict3p") {
      if (o.negated || o.has_value) return Malformed(std::string(n) + " takes no value and no ~");
      out.strict |= n == "strict1p" ? 1 : 2;
    } else if (n == "match-case") {
      if (o.negated || o.has_value) return Malformed("match-case takes no value and no ~");
      out.match_case = true;
    } else if (n == "important") {
      if (o.negated || o.has_value) return Malformed("important takes no value and no ~");
      out.important = true;
    } else if (n == "badfilter") {
      if (o.negated || o.has_value) return Malformed("badfilter takes no value and no ~");
      out.badfilter = true;
    } else if (n == "redirect" || n == "empty" || n == "mp4" || n == "rewrite") {
      if (o.negated) return Malformed("~" + std::string(n) + " is not an option");
      if (n == "rewrite" && !o.value.starts_with("abp-resource:")) {
        if (skip.empty()) skip = "rewrite";
      } else if ((n == "redirect" || n == "rewrite") && !out.exception && o.value.empty()) {
        return Malformed(std::string(n) + "= needs a resource name", std::string(n) + "=noop.js");
      } else if (out.exception) {
        if (skip.empty()) skip = "redirect";  // unblocks nothing, only stops the redirect
      } else {
        out.redirect = true;
      }
    } else {
      auto s2 = std::find_if(kSkipOptions.begin(), kSkipOptions.end(),
                             [&](const SkipOption& k) { return k.name == n; });
      if (s2 == kSkipOptions.end())
        return Malformed("unknown option '" + std::string(n) + "'",
                         "an option such as third-party, script, domain=, important, badfilter");
      if (skip.empty()) skip = s2->reason;
    }
  }
  if (!skip.empty()) return Skipped(skip);
  if (saw_denyallow && !saw_domain)
    return Malformed("denyallow= without domain=",
                     "denyallow= together with domain=, as uBlock Origin wants");
  if (out.strict == 3) out.strict = 0;  // both: no constraint
  if (types & not_types) return Malformed("a type is both given and negated", "each type once");
  out.type_mask = types ? types : static_cast<uint16_t>(kDefaultTypes & ~not_types);
  if (out.type_mask == 0) return Skipped("no type left");
  if (out.redirect && (types & (TypeBit(ResourceType::kPing) | TypeBit(ResourceType::kWebSocket) |
                                TypeBit(ResourceType::kPopup))))
    return Skipped("redirect of a type that cannot be redirected");

  // ---- pattern ----
  if (pattern.size() > 2 && pattern.front() == '/' && pattern.back() == '/') {
    out.pattern_kind = PatternKind::kRegex;
    out.regex = std::string(pattern.substr(1, pattern.size() - 2));
    return out;
  }
  if (!has_options && pattern.size() <= 1)
    return Malformed("a pattern of one character or none, without options", "a longer pattern, or options");
  if (pattern.size() > 1024) return Skipped("pattern longer than 1024 bytes");

  // uBlock Origin's fast path for `||host/path` without options (not `@@`):
  // a plain pattern, never a host name (so `||example.com` still matches
  // example.community.org).
  bool quick_plain = false;
  if (!out.exception && !has_options && pattern.size() > 2 && pattern.starts_with("||")) {
    quick_plain = std::all_of(pattern.begin() + 2, pattern.end(), [](char c) {
      return IsLowerAlnum(c) || std::string_view("%&,-./:;=?_").find(c) != std::string_view::npos;
    });
  }
  bool easylist_host = pattern.size() > 3 && pattern.starts_with("||") && pattern.back() == '^' &&
                       pattern.find('*') == std::string_view::npos &&
                       IsEasyListHostname(pattern.substr(2, pattern.size() - 3));

  std::string_view p = pattern;
  uint8_t anchors = 0;
  if (p.starts_with("||")) {
    if (p.size() > 2 && IsAnchorableChar(static_cast<unsigned char>(p[2]))) anchors |= kAnchorHost;
    p.remove_prefix(2);
  } else if (p.starts_with("|")) {
    if (p.size() > 1 && IsAnchorableChar(static_cast<unsigned char>(p[1]))) anchors |= kAnchorLeft;
    p.remove_prefix(1);
  }
  if (p.ends_with("|")) {
    if (p.size() >= 2 && p[p.size() - 2] != '*') anchors |= kAnchorRight;
    p.remove_suffix(1);
  }
  std::string norm;
  norm.reserve(p.size());
  for (char c : p) {
    if (c == '*' && !norm.empty() && norm.back() == '*') continue;
    norm.push_back(out.match_case ? c : Lower(c));
  }
  // Leading `*`: the anchor means nothing. Trailing `*^`, `*`: nothing to
  // match at the end either.
  if (!norm.empty() && norm.front() == '*') {
    norm.erase(0, 1);
    anchors &= static_cast<uint8_t>(~(kAnchorLeft | kAnchorHost));
  }
  while (!norm.empty() &&
         (norm.back() == '*' || (norm.back() == '^' && norm.size() >= 2 && norm[norm.size() - 2] == '*'))) {
    norm.pop_back();
    anchors &= static_cast<uint8_t>(~kAnchorRight);
  }

  // A pattern that is a host name means that host and its subdomains (uBlock
  // Origin), unless options such as domain= or important come with it and
  // it is not `||`-anchored.
  bool hostname_like = easylist_host || (!quick_plain && !out.match_case && IsHostnameAscii(norm));
  bool option_units = saw_domain || saw_to || out.strict != 0 || out.important || not_types != 0;
  if (hostname_like && (!option_units || (anchors & kAnchorHost))) {
    out.pattern_kind = PatternKind::kHostname;
    if (easylist_host && norm.ends_with("^")) norm.pop_back();
    out.pattern = std::move(norm);
    out.anchors = 0;
    return out;
  }
  out.anchors = anchors;
  if (norm.empty()) {
    out.pattern_kind = PatternKind::kAny;
    out.anchors = 0;
    return out;
  }
  out.pattern_kind = norm.find('*') == std::string::npos ? PatternKind::kPlain : PatternKind::kGeneric;
  if (anchors & kAnchorHost) {
    // ||host/..., ||host^..., ||host:port...: the request host must end with
    // `host` (at a label), so a host-suffix lookup finds it.
    size_t h = 0;
    while (h < norm.size() && (IsLowerAlnum(norm[h]) || norm[h] == '.' || norm[h] == '-' || norm[h] == '_'))
      ++h;
    if (h > 0 && h < norm.size() && norm[0] != '.' && norm[h - 1] != '.' &&
        (norm[h] == '/' || norm[h] == '^' || norm[h] == ':' || norm[h] == '?') && h <= 0xffff) {
      out.pattern_kind = PatternKind::kHostAnchored;
      out.host_length = static_cast<uint16_t>(h);
    }
  }
  out.pattern = std::move(norm);
  return out;
}

}  // namespace blindspot::filter_internal

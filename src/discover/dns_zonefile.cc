// The dns-zonefile reader: an RFC 1035 master file (section 5: $ORIGIN, $TTL,
// '@', relative names, blank owners, parentheses over several lines, quoted
// character-strings with \X and \DDD escapes, ';' comments) and the output of
// `dig`, whose answer, authority and additional sections are records in the
// same presentation format between ';' comment lines. See
// docs/formats/discovery.md (DNS).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "discover/dns_records.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

constexpr std::string_view kName = "dns-zonefile";

struct Token {
  std::string text;
  bool quoted = false;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Entry {
  std::vector<Token> tokens;
  bool blank_owner = false;  // the first line began with a blank: the previous owner
};

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Upper(c);
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A TTL: digits, or BIND's units (1h30m, 2d, 1W).
bool IsTtl(std::string_view t) {
  if (t.empty() || !IsDigit(t[0])) return false;
  for (char c : t)
    if (!IsDigit(c) && std::string_view("smhdwSMHDW").find(c) == std::string_view::npos) return false;
  return true;
}

bool IsClass(std::string_view t) {
  std::string u = ToUpper(t);
  return u == "IN" || u == "CH" || u == "HS" || u == "CS" || u == "ANY";
}

bool IsType(std::string_view t) {
  static constexpr std::string_view kTypes[] = {
      "A",     "AAAA",  "AFSDB",  "ALIAS",      "ANAME",      "CAA",   "CDNSKEY", "CDS",   "CERT",
      "CNAME", "DNAME", "DNSKEY", "DS",         "HINFO",      "HTTPS", "LOC",     "MX",    "NAPTR",
      "NS",    "NSEC",  "NSEC3",  "NSEC3PARAM", "OPENPGPKEY", "PTR",   "RP",      "RRSIG", "SMIMEA",
      "SOA",   "SPF",   "SRV",    "SSHFP",      "SVCB",       "TLSA",  "TXT",     "URI",   "WKS",
      "MB",    "MG",    "MINFO",  "MR",         "NULL",       "ZONEMD"};
  std::string u = ToUpper(t);
  for (std::string_view k : kTypes)
    if (u == k) return true;
  // RFC 3597 unknown types: TYPE65534.
  if (u.size() > 4 && u.compare(0, 4, "TYPE") == 0) {
    for (size_t i = 4; i < u.size(); ++i)
      if (!IsDigit(u[i])) return false;
    return true;
  }
  return false;
}

Error ErrorAt(const std::string& file, uint32_t line, uint32_t column, std::string message,
              std::string expected = {}, std::string hint = {}) {
  SourceLocation where;
  where.file = file;
  where.line = line;
  where.column = column;
  return MakeError(ErrorKind::kParse, std::move(message), std::move(where), std::move(expected),
                   std::move(hint))
      .error();
}

// Splits the text into entries (RFC 1035 §5.1): one a line, or several lines
// inside parentheses; comments dropped; quoted strings and escapes decoded.
// Each entry is given to `each` as it ends (one entry in memory at a time: a
// zone of a million records does not become a million entries); `each`
// returns false to stop early.
template <class Each>
Status Tokenise(std::string_view text, const std::string& file, Each&& each) {
  Entry cur;
  bool stop = false;
  uint32_t line = 1, column = 1;
  int depth = 0;
  uint32_t paren_line = 0, paren_col = 0;
  bool line_start = true;
  size_t i = 0;
  auto flush = [&] {
    if (!cur.tokens.empty() && !each(static_cast<const Entry&>(cur))) stop = true;
    cur.tokens.clear();
    cur.blank_owner = false;
  };
  // Decodes \X and \DDD at text[i] (the backslash), appending to `out`.
  auto escape = [&](std::string* out) {
    if (i + 3 < text.size() && IsDigit(text[i + 1]) && IsDigit(text[i + 2]) && IsDigit(text[i + 3])) {
      int v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
      if (v <= 255) {
        *out += static_cast<char>(v);
        i += 4;
        column += 4;
        return;
      }
    }
    if (i + 1 < text.size() && text[i + 1] != '\n') {
      *out += text[i + 1];
      i += 2;
      column += 2;
    } else {
      *out += '\\';
      ++i;
      ++column;
    }
  };
  while (i < text.size() && !stop) {
    char c = text[i];
    if (c == '\n') {
      if (depth == 0) flush();
      ++line;
      column = 1;
      ++i;
      line_start = true;
      continue;
    }
    if (line_start && depth == 0 && cur.tokens.empty()) cur.blank_owner = c == ' ' || c == '\t';
    line_start = false;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      ++column;
    } else if (c == ';') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '(') {
      if (depth == 0) {
        paren_line = line;
        paren_col = column;
      }
      if (++depth > 1)
        return std::unexpected(ErrorAt(file, line, column, "nested parenthesis in a master file entry",
                                       "one level of ( ) around an entry's continuation lines"));
      ++i;
      ++column;
    } else if (c == ')') {
      if (depth == 0) return std::unexpected(ErrorAt(file, line, column, "')' without an opening '('"));
      --depth;
      ++i;
      ++column;
    } else if (c == '"') {
      Token t{std::string(), true, line, column};
      ++i;
      ++column;
      bool closed = false;
      while (i < text.size()) {
        char d = text[i];
        if (d == '"') {
          ++i;
          ++column;
          closed = true;
          break;
        }
        if (d == '\n') break;
        if (d == '\\') {
          escape(&t.text);
        } else {
          t.text += d;
          ++i;
          ++column;
        }
      }
      if (!closed)
        return std::unexpected(ErrorAt(file, t.line, t.column, "quoted string not closed on its line",
                                       "a closing '\"'", "the file may be cut off"));
      cur.tokens.push_back(std::move(t));
    } else {
      Token t{std::string(), false, line, column};
      while (i < text.size()) {
        char d = text[i];
        if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == ';' || d == '(' || d == ')' || d == '"')
          break;
        if (d == '\\') {
          escape(&t.text);
        } else {
          t.text += d;
          ++i;
          ++column;
        }
      }
      cur.tokens.push_back(std::move(t));
    }
  }
  if (stop) return {};
  if (depth > 0)
    return std::unexpected(ErrorAt(file, paren_line, paren_col, "'(' not closed before the end of the file",
                                   "a closing ')'", "the file may be cut off"));
  flush();
  return {};
}

// `name` made absolute (no trailing dot) against `origin`; nullopt when it
// is relative and there is no origin.
std::optional<std::string> Qualify(std::string_view name, std::string_view origin) {
  if (name == "@") {
    if (origin.empty()) return std::nullopt;
    return std::string(origin);
  }
  if (!name.empty() && name.back() == '.') return std::string(name.substr(0, name.size() - 1));
  if (origin.empty()) return std::nullopt;
  return std::string(name) + "." + std::string(origin);
}

// dig's question lines (";example.org.  IN  TXT") name what was asked: the
// shortest is taken as the domain the output is about.
std::string DigQuestionDomain(std::string_view text) {
  std::string best;
  size_t pos = text.find(";; QUESTION SECTION:");
  while (pos != std::string_view::npos) {
    size_t p = text.find('\n', pos);
    while (p != std::string_view::npos && p + 1 < text.size() && text[p + 1] == ';' &&
           (p + 2 >= text.size() || text[p + 2] != ';')) {
      size_t start = p + 2;
      size_t end = text.find_first_of(" \t\r\n", start);
      std::string name =
          dns::NormaliseHost(text.substr(start, end == std::string_view::npos ? 0 : end - start));
      if (!name.empty() && (best.empty() || name.size() < best.size())) best = name;
      p = text.find('\n', p + 1);
    }
    pos = text.find(";; QUESTION SECTION:", pos + 1);
  }
  return best;
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  std::string_view head = bytes.substr(0, 65536);
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] == '{' || head[first] == '[') return 0;
  if (head.find("resource \"") != std::string_view::npos) return 0;
  if (head.find("; <<>> DiG") != std::string_view::npos ||
      head.find(";; ANSWER SECTION:") != std::string_view::npos)
    return 90;
  // Record lines: "<name> [ttl] IN <type> ...".
  int records = 0;
  bool directive = false;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    std::string_view l = head.substr(pos, (eol == std::string_view::npos ? head.size() : eol) - pos);
    pos = eol == std::string_view::npos ? head.size() : eol + 1;
    if (l.starts_with("$ORIGIN ") || l.starts_with("$TTL ")) directive = true;
    std::vector<std::string_view> words;
    size_t k = 0;
    bool blank_owner = !l.empty() && (l[0] == ' ' || l[0] == '\t');
    while (k < l.size() && words.size() < 4) {
      while (k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
      size_t s = k;
      while (k < l.size() && l[k] != ' ' && l[k] != '\t' && l[k] != ';' && l[k] != '\r') ++k;
      if (k > s) words.push_back(l.substr(s, k - s));
      if (k < l.size() && (l[k] == ';' || l[k] == '\r')) break;
    }
    // "<name> IN <type>", "<name> <ttl> IN <type>", or a blank owner's
    // "IN <type>" / "<ttl> IN <type>": class in upper case, as zone files and
    // dig write it (so that English prose is not taken for records).
    auto at = [&](size_t w) { return w < words.size() ? words[w] : std::string_view(); };
    size_t c = blank_owner ? 0 : 1;
    if (IsTtl(at(c))) ++c;
    if (at(c) == "IN" && IsType(at(c + 1)) && ToUpper(at(c + 1)) == at(c + 1)) ++records;
  }
  bool zone_name = file_name.ends_with(".zone") || file_name.ends_with(".db") || file_name.ends_with(".txt");
  if (directive && records > 0) return 75 + (zone_name ? 5 : 0);
  if (records >= 2) return 60 + (zone_name ? 5 : 0);
  return 0;
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file_name,
                             const DiscoveryOptions& options) {
  DiscoveryReport report;
  report.reader = std::string(kName);
  // The zone: the first $ORIGIN, else --domain, else the SOA's owner, else
  // what dig was asked. A first pass looks for them (it stops at a $ORIGIN).
  std::string zone_name, soa_owner;
  auto first = Tokenise(bytes, file_name, [&](const Entry& e) {
    if (e.blank_owner) return true;
    if (e.tokens[0].text == "$ORIGIN" && e.tokens.size() > 1 && e.tokens[1].text.ends_with(".")) {
      zone_name = dns::NormaliseHost(e.tokens[1].text);
      return false;
    }
    if (soa_owner.empty() && e.tokens.size() >= 3 && e.tokens[0].text.ends_with("."))
      for (size_t k = 1; k < e.tokens.size() && k < 4; ++k)
        if (ToUpper(e.tokens[k].text) == "SOA") soa_owner = dns::NormaliseHost(e.tokens[0].text);
    return true;
  });
  if (!first) return std::unexpected(first.error());
  if (zone_name.empty()) zone_name = dns::NormaliseHost(options.domain);
  if (zone_name.empty()) zone_name = soa_owner;
  if (zone_name.empty()) zone_name = DigQuestionDomain(bytes);
  report.subject = zone_name;
  dns::ZoneBuilder zone(zone_name, file_name, &report);

  std::string origin = dns::NormaliseHost(options.domain);
  std::string owner;
  size_t records = 0;
  std::optional<Error> failure;
  auto fail = [&](std::unexpected<Error> e) {
    failure = std::move(e.error());
    return false;
  };
  auto read = Tokenise(bytes, file_name, [&](const Entry& e) {
    const std::vector<Token>& t = e.tokens;
    if (!e.blank_owner && !t[0].quoted && t[0].text.starts_with("$")) {
      std::string d = ToUpper(t[0].text);
      if (d == "$ORIGIN") {
        if (t.size() < 2)
          return fail(std::unexpected(ErrorAt(file_name, t[0].line, t[0].column,
                                              "$ORIGIN without a domain name", "$ORIGIN example.org.")));
        auto o = Qualify(t[1].text, origin);
        if (!o)
          return fail(std::unexpected(ErrorAt(file_name, t[1].line, t[1].column,
                                              "relative $ORIGIN '" + t[1].text + "' with no origin before it",
                                              "an absolute name ending in '.'")));
        origin = dns::NormaliseHost(*o);
      } else if (d == "$INCLUDE" || d == "$GENERATE") {
        zone.Warn(t[0].line, t[0].column, d + " is not followed: the records it would add are not read");
      } else if (d != "$TTL") {
        zone.Warn(t[0].line, t[0].column, "unknown directive " + t[0].text + "; skipped");
      }
      return true;
    }
    size_t k = 0;
    if (!e.blank_owner) {
      auto o = Qualify(t[0].text, origin);
      if (!o)
        return fail(std::unexpected(ErrorAt(
            file_name, t[0].line, t[0].column, "relative name '" + t[0].text + "' with no $ORIGIN before it",
            "$ORIGIN or an absolute name ending in '.'", "give the zone's domain with --domain")));
      owner = *o;
      k = 1;
    } else if (owner.empty()) {
      return fail(
          std::unexpected(ErrorAt(file_name, t[0].line, t[0].column,
                                  "record without an owner name (the line begins with a blank) and no "
                                  "record before it",
                                  "an owner name at the start of the line")));
    }
    for (int n = 0; n < 2 && k < t.size() && !t[k].quoted && (IsTtl(t[k].text) || IsClass(t[k].text)); ++n)
      ++k;
    if (k >= t.size())
      return fail(std::unexpected(
          ErrorAt(file_name, t.back().line, t.back().column, "record of " + owner + " has no type",
                  "a record type (A, MX, TXT, CNAME...)", "the file may be cut off")));
    if (t[k].quoted || !IsType(t[k].text))
      return fail(std::unexpected(ErrorAt(file_name, t[k].line, t[k].column,
                                          "'" + t[k].text + "' is not a DNS record type",
                                          "[ttl] [class] type rdata: a type such as A, MX, TXT or CNAME")));
    ++records;
    dns::Record r;
    r.name = owner;
    r.type = ToUpper(t[k].text);
    r.line = t[k].line;
    r.column = t[k].column;
    const size_t rd = k + 1;
    if (r.type == "TXT" || r.type == "SPF") {
      for (size_t j = rd; j < t.size(); ++j) r.value += t[j].text;  // character-strings, joined
    } else if (r.type == "MX") {
      if (t.size() < rd + 2) {
        zone.Warn(r.line, r.column, "MX record of " + owner + " without preference and exchange; skipped");
        return true;
      }
      r.preference = t[rd].text;
      if (t[rd + 1].text == ".") {
        r.value = "";
      } else {
        auto ex = Qualify(t[rd + 1].text, origin);
        r.value = ex ? *ex : t[rd + 1].text;
      }
    } else if (r.type == "CNAME") {
      if (t.size() < rd + 1) {
        zone.Warn(r.line, r.column, "CNAME record of " + owner + " without a target; skipped");
        return true;
      }
      auto target = Qualify(t[rd].text, origin);
      r.value = target ? *target : t[rd].text;
    }
    zone.Add(r);
    return true;
  });
  if (failure) return std::unexpected(std::move(*failure));
  if (!read) return std::unexpected(read.error());
  if (records == 0) {
    SourceLocation where;
    where.file = file_name;
    where.line = 1;
    where.column = 1;
    return MakeError(ErrorKind::kParse, "no DNS record in the file", std::move(where),
                     "a master file (RFC 1035 §5) or dig output with an ANSWER SECTION");
  }
  return report;
}

}  // namespace

DiscoveryReader DnsZonefileReader() {
  return DiscoveryReader{kName, "DNS zone file (RFC 1035 master file) or dig output", &Recognise, &Read};
}

}  // namespace blindspot::discover

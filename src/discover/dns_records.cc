// What a DNS record means as discovery evidence (dns_records.h).
#include "discover/dns_records.h"

#include <algorithm>
#include <array>
#include <vector>

namespace blindspot::discover::dns {

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (Lower(s[i]) != Lower(prefix[i])) return false;
  return true;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// A value shown in an observation's detail: long keys are cut (at a UTF-8
// character boundary) so that a report stays readable.
std::string Shown(std::string_view v) {
  constexpr size_t kMax = 200;
  if (v.size() <= kMax) return std::string(v);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  return std::string(v.substr(0, cut)) + "...";
}

// Leftmost labels that are infrastructure, not a touchpoint (see
// docs/formats/discovery.md): certificate validation, MTA-STS (RFC 8461),
// GitHub and Cloudflare-for-SaaS ownership checks, Author Domain Signing
// Practices (RFC 5617, historic) and Microsoft 365 client discovery names.
constexpr std::array<std::string_view, 7> kIgnoredPrefixes = {
    "_acme-challenge", "_mta-sts", "_github-challenge-", "_github-pages-challenge-", "_cf-custom-hostname",
    "_dnsauth",        "_adsp",
};
constexpr std::array<std::string_view, 7> kIgnoredLabels = {
    "mta-sts",      "autodiscover", "enterpriseenrollment", "enterpriseregistration", "msoid",
    "lyncdiscover", "sip",
};
// CNAME targets of certificate authorities' domain validation.
constexpr std::array<std::string_view, 4> kValidationHosts = {
    "acm-validations.aws",
    "comodoca.com",
    "dcv.digicert.com",
    "fastly-validations.com",
};

bool UnderHost(std::string_view name, std::string_view host) {
  return name == host || (EndsWith(name, host) && name[name.size() - host.size() - 1] == '.');
}

bool IgnoredName(const std::vector<std::string_view>& labels) {
  if (labels.empty()) return false;
  for (std::string_view p : kIgnoredPrefixes)
    if (StartsWithNoCase(labels[0], p)) return true;
  for (std::string_view l : kIgnoredLabels)
    if (labels[0] == l) return true;
  // SMTP TLS reporting (RFC 8460) at _smtp._tls.<name>.
  return labels.size() > 1 && labels[0] == "_smtp" && labels[1] == "_tls";
}

bool IgnoredTarget(std::string_view target) {
  for (std::string_view h : kValidationHosts)
    if (UnderHost(target, h)) return true;
  return StartsWithNoCase(target, "_acme-challenge.");
}

// The DKIM selector of `labels` ("k2" for k2._domainkey.example.org), or
// empty when the name is not under a _domainkey label with a selector.
std::string Selector(const std::vector<std::string_view>& labels) {
  for (size_t i = 1; i < labels.size(); ++i) {
    if (labels[i] != "_domainkey") continue;
    std::string s;
    for (size_t j = 0; j < i; ++j) {
      if (j) s += '.';
      s += labels[j];
    }
    return s;
  }
  return {};
}

// "k=v; k=v" tags (DKIM RFC 6376 §3.2, DMARC RFC 7489 §6.3), names lower case.
std::vector<std::pair<std::string, std::string>> Tags(std::string_view v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view part : Split(v, ';')) {
    part = Trim(part);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(ToLower(Trim(part.substr(0, eq))), std::string(Trim(part.substr(eq + 1))));
  }
  return out;
}

const std::string* Tag(const std::vector<std::pair<std::string, std::string>>& tags, std::string_view name) {
  for (const auto& [k, v] : tags)
    if (k == name) return &v;
  return nullptr;
}

// A host name as a DKIM TXT value would hold it by mistake: letters, digits,
// '-', '_' and at least one inner '.', nothing else.
bool LooksLikeHost(std::string_view v) {
  if (v.empty() || v.find('.') == std::string_view::npos || v.front() == '.') return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// The host of an SPF domain-spec with macros ("%{i}._spf.example.com"): the
// labels after the last one holding a macro.
std::string SpfHost(std::string_view spec) {
  size_t macro = spec.rfind('%');
  if (macro != std::string_view::npos) {
    size_t dot = spec.find('.', macro);
    spec = dot == std::string_view::npos ? std::string_view() : spec.substr(dot + 1);
  }
  return NormaliseHost(spec);
}

}  // namespace

std::string NormaliseHost(std::string_view host) {
  host = Trim(host);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return ToLower(host);
}

bool InZone(std::string_view name, std::string_view zone) { return zone.empty() || UnderHost(name, zone); }

ZoneBuilder::ZoneBuilder(std::string zone, std::string file, DiscoveryReport* report)
    : zone_(NormaliseHost(zone)), file_(std::move(file)), report_(report) {}

void ZoneBuilder::Warn(uint32_t line, uint32_t column, std::string message, std::string hint) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.message = std::move(message);
  e.hint = std::move(hint);
  e.where.file = file_;
  e.where.line = line;
  e.where.column = line > 0 && column == 0 ? 1 : column;
  e.warning = true;
  report_->warnings.push_back(std::move(e));
}

void ZoneBuilder::Note(uint32_t line, uint32_t column, std::string message) {
  Warn(line, column, std::move(message));
  report_->warnings.back().note = true;
}

Observation ZoneBuilder::Make(ObservationKind kind, std::string key, const std::string& name, const Record& r,
                              Proof proof) const {
  Observation o;
  o.kind = kind;
  o.key = std::move(key);
  o.subject = name;
  o.detail = Shown(r.preference.empty() ? r.value : r.preference + " " + r.value);
  o.proof = proof;
  o.location = "line " + std::to_string(r.line);
  return o;
}

void ZoneBuilder::Add(const Record& r) {
  ++records_;
  const std::string name = NormaliseHost(r.name);
  const std::string type = ToLower(Trim(r.type));
  if (type != "txt" && type != "spf" && type != "mx" && type != "cname") return;  // not evidence
  const std::vector<std::string_view> labels = Split(name, '.');
  const std::string zone = r.zone.empty() ? zone_ : NormaliseHost(r.zone);
  if (!zone.empty() && !InZone(name, zone) && outside_warned_.insert(name).second)
    Warn(r.line, r.column, "record " + name + " is named outside the zone " + zone,
         "it is kept as written and counts for the domain in its name; check that the zone serves it");
  if (IgnoredName(labels)) return;
  // _domainkey.<name> itself holds the DomainKeys policy (t=y; o=~), no key.
  if (labels[0] == "_domainkey") return;

  if (type == "txt" || type == "spf") {
    AddTxt(r, name);
  } else if (type == "mx") {
    std::string host = NormaliseHost(r.value);
    if (host.empty()) {
      Warn(r.line, r.column,
           "null MX at " + name + " (RFC 7505): the name receives no mail; not an observation");
      return;
    }
    report_->observations.push_back(Make(ObservationKind::kMx, host, name, r, Proof::kInUse));
  } else {  // cname
    std::string target = NormaliseHost(r.value);
    if (target.empty() || IgnoredTarget(target)) return;
    std::string selector = Selector(labels);
    if (!selector.empty()) {
      Observation o = Make(ObservationKind::kDkimKey, target, name, r, Proof::kConfigured);
      o.attrs.emplace_back("selector", selector);
      constexpr std::string_view kMs = ".onmicrosoft.com";
      if (EndsWith(target, kMs)) {
        std::string_view rest = std::string_view(target).substr(0, target.size() - kMs.size());
        size_t dot = rest.rfind('.');
        o.attrs.emplace_back("tenant",
                             std::string(dot == std::string_view::npos ? rest : rest.substr(dot + 1)));
      }
      report_->observations.push_back(std::move(o));
    } else if (labels[0] == "_dmarc") {
      Note(r.line, r.column,
           "the DMARC policy of " + (name.size() > 7 ? name.substr(7) : name) + " is delegated by CNAME to " +
               target + "; its report addresses are not in this file");
    } else if (zone.empty() || !InZone(target, zone)) {
      // (A name of the zone itself, www -> the apex, is not a third party.)
      report_->observations.push_back(Make(ObservationKind::kCname, target, name, r, Proof::kInUse));
    }
  }
}

void ZoneBuilder::AddTxt(const Record& r, const std::string& name) {
  std::string_view v = Trim(r.value);
  const std::vector<std::string_view> labels = Split(name, '.');
  if (StartsWithNoCase(v, "v=spf1") && (v.size() == 6 || v[6] == ' ' || v[6] == '\t')) return AddSpf(r, name);
  if (StartsWithNoCase(v, "v=dmarc1")) return AddDmarc(r, name);
  if (!Selector(labels).empty()) return AddDkimTxt(r, name);
  if (StartsWithNoCase(v, "v=dkim1")) {
    Warn(r.line, r.column, "DKIM key published at " + name + ", which is not a <selector>._domainkey name",
         "signers look keys up at <selector>._domainkey.<domain>; not an observation");
    return;
  }
  if (StartsWithNoCase(v, "v=tlsrptv1") || StartsWithNoCase(v, "v=stsv1") || StartsWithNoCase(v, "quovadis="))
    return;  // TLS reporting, MTA-STS, certificate validation
  if (labels[0] == "_dmarc" || v.empty()) return;
  // Free text ("Reserved for internal use"): words without any name=value.
  if (v.find_first_of(" \t") != std::string_view::npos && v.find('=') == std::string_view::npos) return;
  Observation o = Make(ObservationKind::kVerificationToken, std::string(v), name, r, Proof::kAccountExists);
  if (!labels[0].empty() && labels[0][0] == '_') o.attrs.emplace_back("label", std::string(labels[0]));
  report_->observations.push_back(std::move(o));
}

// RFC 7208 §4.6.1 (terms), §5 (mechanisms), §6 (modifiers).
void ZoneBuilder::AddSpf(const Record& r, const std::string& name) {
  std::vector<std::string_view> words = Words(r.value);
  std::vector<std::pair<std::string, std::string>> hosts;  // (mechanism, host)
  for (size_t i = 1; i < words.size(); ++i) {
    std::string term = ToLower(words[i]);
    std::string_view t = term;
    bool qualified = !t.empty() && (t[0] == '+' || t[0] == '-' || t[0] == '~' || t[0] == '?');
    if (qualified) t.remove_prefix(1);
    size_t sep = t.find_first_of(":=/");
    std::string_view mech = t.substr(0, sep);
    char how = sep == std::string_view::npos ? '\0' : t[sep];
    std::string_view arg = sep == std::string_view::npos ? std::string_view() : t.substr(sep + 1);
    bool ok = false;
    std::string host;
    if (how != '=') {
      if (mech == "all") {
        ok = how == '\0';
      } else if (mech == "include" || mech == "exists") {
        ok = how == ':' && !arg.empty();
        host = SpfHost(arg);
      } else if (mech == "a" || mech == "mx") {
        ok = true;
        if (how == ':') {
          host = SpfHost(arg.substr(0, arg.find('/')));
          ok = !host.empty();
        }
      } else if (mech == "ptr") {
        ok = how != '/';
      } else if (mech == "ip4" || mech == "ip6") {
        ok = how == ':' && !arg.empty();
      }
    } else if (!qualified && !mech.empty() && mech[0] >= 'a' && mech[0] <= 'z') {
      // redirect=, exp= and unknown modifiers (name=macro-string) are valid.
      ok = true;
      if (mech == "redirect") {
        host = SpfHost(arg);
        ok = !host.empty();
      }
    }
    if (!ok) {
      Warn(r.line, r.column,
           "SPF record at " + name + " is invalid: '" + std::string(words[i]) +
               "' is not an SPF mechanism or modifier (RFC 7208 §4.6.1); receivers treat the record as a "
               "permanent error, so it authorises no one",
           "no observations were taken from this record; fix the term (e.g. 'include:')");
      return;
    }
    if (!host.empty()) hosts.emplace_back(std::string(mech), std::move(host));
  }
  for (auto& [mech, host] : hosts) {
    Observation o = Make(ObservationKind::kSpfInclude, host, name, r, Proof::kConfigured);
    o.attrs.emplace_back("mechanism", mech);
    report_->observations.push_back(std::move(o));
  }
}

// RFC 7489 §6.3 (tags), §6.1 (published at _dmarc.<domain>).
void ZoneBuilder::AddDmarc(const Record& r, const std::string& name) {
  const std::vector<std::string_view> labels = Split(name, '.');
  // _dmarc.<domain>, or a shared policy that _dmarc names point at by CNAME
  // (_dmarc_ttp_policy.<zone>).
  if (!labels[0].starts_with("_dmarc")) {
    Warn(r.line, r.column,
         "DMARC record published at " + name + ", not at _dmarc." + name +
             " (RFC 7489 §6.1): receivers do not read it there",
         "no observations were taken from it; publish it at _dmarc." + name);
    return;
  }
  auto tags = Tags(r.value);
  const std::string* p = Tag(tags, "p");
  std::string policy = p ? ToLower(*p) : std::string();
  for (const char* kind : {"rua", "ruf"}) {
    const std::string* uris = Tag(tags, kind);
    if (!uris) continue;
    for (std::string_view uri : Split(*uris, ',')) {
      uri = Trim(uri);
      if (uri.empty()) continue;
      if (!StartsWithNoCase(uri, "mailto:")) {
        Warn(r.line, r.column,
             "DMARC " + std::string(kind) + " address '" + std::string(uri) + "' at " + name +
                 " is not a mailto: URI; skipped");
        continue;
      }
      std::string_view addr = uri.substr(7);
      addr = addr.substr(0, addr.find('!'));  // a size limit ("!10m", RFC 7489 §6.2)
      size_t at = addr.rfind('@');
      std::string domain = at == std::string_view::npos ? std::string() : NormaliseHost(addr.substr(at + 1));
      if (domain.empty()) {
        Warn(r.line, r.column,
             "DMARC " + std::string(kind) + " address at " + name + " has no domain; skipped");
        continue;
      }
      Observation o = Make(ObservationKind::kDmarcReportTo, domain, name, r, Proof::kInUse);
      o.detail = "v=DMARC1; p=" + policy + "; " + kind + " to " + domain;  // no mailbox names
      o.attrs.emplace_back("policy", policy);
      o.attrs.emplace_back("address_kind", kind);
      report_->observations.push_back(std::move(o));
    }
  }
}

// RFC 6376 §3.6.1: a key record holds tags, p= the key (empty: revoked).
void ZoneBuilder::AddDkimTxt(const Record& r, const std::string& name) {
  std::string_view v = Trim(r.value);
  std::string selector = Selector(Split(name, '.'));
  auto tags = Tags(v);
  const std::string* p = Tag(tags, "p");
  if (p) {
    if (p->empty()) {
      Warn(r.line, r.column,
           "DKIM key at " + name +
               " is empty (p=): revoked, or a wildcard that refuses every selector; "
               "not an observation");
      return;
    }
    Observation o = Make(ObservationKind::kDkimKey, "", name, r, Proof::kConfigured);
    o.attrs.emplace_back("selector", selector);
    report_->observations.push_back(std::move(o));
    return;
  }
  if (LooksLikeHost(v)) {
    std::string host = NormaliseHost(v);
    Warn(r.line, r.column,
         "DKIM record at " + name + " is a TXT record holding the host name " + host +
             ", which belongs in a CNAME: the key cannot be found (broken set-up)",
         "kept as a dkim-key observation with broken=yes");
    Observation o = Make(ObservationKind::kDkimKey, host, name, r, Proof::kConfigured);
    o.attrs.emplace_back("selector", selector);
    o.attrs.emplace_back("broken", "yes");
    report_->observations.push_back(std::move(o));
    return;
  }
  Warn(r.line, r.column, "TXT record at DKIM name " + name + " holds no key (no p= tag); not an observation");
}

}  // namespace blindspot::discover::dns

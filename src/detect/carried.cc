// Carried data (issue 6 §2): what the requests to third parties carry in their
// parameter values, beyond the Referer header a browser sends by default:
// first-party URLs (page URLs, referrers) and personal data in clear (e-mail
// addresses, phone numbers). See "Carried data" in blindspot/detect.h.
//
// The hot path: a request without a query or body, or on the first party as
// far as it is known while reading, costs one comparison; a value is decoded
// only when it can hold something (MayCarry, or a phone-like name), into
// reused buffers. What is found waits as a PendingCarried until EndSource.
#include <algorithm>

#include "detect/detector.h"
#include "detect/personal_data.h"
#include "detect/sensitive_terms.h"

namespace blindspot {

using namespace detect_internal;

std::string_view ToString(CarriedKind k) {
  switch (k) {
    case CarriedKind::kPageUrl:
      return "page-url";
    case CarriedKind::kEmail:
      return "email";
    case CarriedKind::kPhone:
      return "phone";
    case CarriedKind::kSensitiveTerm:
      return "sensitive-term";
  }
  return "page-url";
}

namespace detect_internal {

namespace {

bool LocalChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '+' || c == '-';
}
bool DomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}
bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

// Addresses that are no one's personal data.
bool TechnicalLocal(std::string_view local) {
  static constexpr std::string_view kLocals[] = {
      "noreply",    "no-reply",  "no_reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster",
      "hostmaster", "webmaster", "abuse",    "git",        "info",         "support",       "contact",
      "privacy",    "hello",     "sales",    "service",    "admin",        "office",        "mail"};
  for (std::string_view l : kLocals)
    if (EqualsNoCase(local, l)) return true;
  return false;
}

bool DocumentationDomain(std::string_view domain) {
  auto ends = [&](std::string_view suffix) {
    return domain.size() >= suffix.size() &&
           EqualsNoCase(domain.substr(domain.size() - suffix.size()), suffix);
  };
  for (std::string_view d : {"example.com", "example.net", "example.org"})
    if (EqualsNoCase(domain, d) || ends(std::string(".") + std::string(d))) return true;
  for (std::string_view t : {".example", ".test", ".invalid", ".localhost"})
    if (ends(t)) return true;
  return false;
}

// A valid domain of an address: labels of letters, digits and '-', not
// starting or ending with '-', at least two, the last a known TLD, and the
// first not a density suffix ("2x").
bool AddressDomain(std::string_view domain) {
  if (domain.size() < 4 || domain.size() > 253) return false;
  size_t labels = 0, start = 0;
  std::string_view first, last;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (labels++ == 0) first = label;
    last = label;
    start = dot + 1;
  }
  if (labels < 2 || last.size() < 2) return false;
  char tld[64];
  for (size_t i = 0; i < last.size(); ++i) {
    if (!Alpha(last[i])) return false;
    tld[i] = Lower(last[i]);
  }
  if (first.size() >= 2 && (first.back() == 'x' || first.back() == 'X') &&
      std::all_of(first.begin(), first.end() - 1, [](char c) { return c >= '0' && c <= '9'; }))
    return false;  // "logo@2x.de" is an image name
  if (DocumentationDomain(domain)) return false;
  return IsKnownTld(std::string_view(tld, last.size()));
}

}  // namespace

bool FindEmail(std::string_view s, size_t* begin, size_t* end) {
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    size_t b = at;
    while (b > 0 && LocalChar(s[b - 1])) --b;
    if (b == at || at - b > 64) continue;
    std::string_view local = s.substr(b, at - b);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) continue;
    // The userinfo of a URL: "scheme://user@host" or "//user:secret@host".
    size_t auth = s.rfind("//", b);
    if (auth != std::string_view::npos && s.find_first_of("/?#&=", auth + 2) >= at) continue;
    size_t e = at + 1;
    while (e < s.size() && DomainChar(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
    // "a@b.co.uk7" or "a@b.com_x": the domain must end at a non-word character.
    if (e < s.size() && (s[e] == '_' || (s[e] >= '0' && s[e] <= '9'))) continue;
    std::string_view domain = s.substr(at + 1, e - at - 1);
    if (!AddressDomain(domain)) continue;
    if (TechnicalLocal(local)) continue;
    if (begin) *begin = b;
    if (end) *end = e;
    return true;
  }
  return false;
}

bool IsPhoneName(std::string_view name) {
  size_t e = name.size();
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  while (e > 0 && !word(name[e - 1])) --e;
  size_t b = e;
  while (b > 0 && word(name[b - 1])) --b;
  std::string_view w = name.substr(b, e - b);
  static constexpr std::string_view kNames[] = {
      "phone",          "phone_number", "phonenumber", "telephone",     "tel",    "mobile", "mobile_number",
      "mobilephone",    "mobile_phone", "cell",        "cellphone",     "msisdn", "ph",     "telefoon",
      "telefoonnummer", "mobiel",       "telefon",     "telefonnummer", "handy",  "mobil"};
  for (std::string_view n : kNames)
    if (EqualsNoCase(w, n)) return true;
  return false;
}

bool LooksLikePhone(std::string_view v) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  size_t digits = 0;
  char first = 0;
  bool same = true;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      if (digits++ == 0) first = c;
      if (c != first) same = false;
    } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 8 && digits <= 15 && !same;
}

bool IsHttpUrl(std::string_view v) {
  return StartsWithNoCase(v, "http://") || StartsWithNoCase(v, "https://");
}

bool MayCarry(std::string_view raw) {
  if (StartsWithNoCase(raw, "http")) return true;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '@') return true;
    if (c == '%' && i + 2 < raw.size() && raw[i + 1] == '4' && raw[i + 2] == '0') return true;
    if (c == '\\' && i + 5 < raw.size() && raw[i + 1] == 'u' && raw.substr(i + 2, 4) == "0040") return true;
  }
  return false;
}

void DecodeValue(std::string_view raw, std::string* out, std::string* scratch) {
  DecodeName(raw, out);
  bool again = StartsWithNoCase(*out, "http%3a") || StartsWithNoCase(*out, "https%3a") ||
               out->find("%40") != std::string::npos;
  if (!again) return;
  DecodeName(*out, scratch);
  out->swap(*scratch);
}

}  // namespace detect_internal

bool Detector::Impl::LikelyFirstParty() {
  if (!options.first_party.empty()) {
    const std::string& rd = Regdom(host_buf);
    return std::find(options.first_party.begin(), options.first_party.end(), rd) != options.first_party.end();
  }
  const std::string& doc = FirstDocumentOf(source_doc);
  if (doc.empty()) return false;
  if (doc != carried_doc) {
    carried_doc = doc;
    carried_doc_domain = DomainOfUrlish(doc).value_or(std::string());
  }
  return !carried_doc_domain.empty() && Regdom(host_buf) == carried_doc_domain;
}

void Detector::Impl::PendCarried(CarriedKind kind, std::string_view param, std::string_view inner,
                                 std::string_view url_host, const EvidenceRecord& e) {
  auto add = [&](uint32_t entry) {
    PendingCarried p;
    p.entry = entry;
    p.kind = kind;
    p.host = host_buf;
    LowerHost(url_host, &p.url_host);
    p.param = std::string(param);
    p.inner = std::string(inner);
    p.pageref = std::string(e.pageref);
    p.index = e.index;
    pending_carried.push_back(std::move(p));
  };
  if (matched.empty()) {
    add(PendingCarried::kNoEntry);
  } else {
    for (uint32_t entry : matched) add(entry);
  }
}

// A decoded value of parameter `name`.
void Detector::Impl::ScanText(std::string_view name, std::string_view v, const EvidenceRecord& e) {
  if (IsHttpUrl(v)) {
    ParsedUrl inner;
    if (!ParseUrl(v, &inner) || inner.host.empty()) return;
    PendCarried(CarriedKind::kPageUrl, name, {}, inner.host, e);
    // Personal data inside the embedded URL: its query and fragment parameters.
    auto scan_inner = [&](std::string_view iname_raw, std::string_view ivalue) {
      if (ivalue.empty()) return;
      DecodeName(iname_raw, &carried_inner_name);
      bool phone_name = IsPhoneName(carried_inner_name);
      if (!phone_name && !MayCarry(ivalue)) return;
      DecodeValue(ivalue, &carried_inner, &carried_scratch);
      if (FindEmail(carried_inner))
        PendCarried(CarriedKind::kEmail, name, carried_inner_name, {}, e);
      else if (phone_name && LooksLikePhone(carried_inner))
        PendCarried(CarriedKind::kPhone, name, carried_inner_name, {}, e);
    };
    ForEachParam(inner.query, scan_inner);
    size_t hash = v.find('#');
    if (hash != std::string_view::npos) ForEachParam(v.substr(hash + 1), scan_inner);
    return;
  }
  if (FindEmail(v))
    PendCarried(CarriedKind::kEmail, name, {}, {}, e);
  else if (IsPhoneName(name) && LooksLikePhone(v))
    PendCarried(CarriedKind::kPhone, name, {}, {}, e);
}

void Detector::Impl::ScanSensitive(std::string_view name, std::string_view value, bool decode,
                                   const EvidenceRecord& e) {
  // Words need letters: numbers, hashes and short codes are skipped early.
  if (value.size() < 3) return;
  if (std::none_of(value.begin(), value.end(),
                   [](char c) { return Alpha(c) || static_cast<unsigned char>(c) >= 0x80; }))
    return;
  std::string_view text = value;
  if (decode) {
    DecodeValue(value, &sensitive_value, &sensitive_scratch);
    text = sensitive_value;
  }
  // A URL's host names the site, not what the visitor looked at: a pharmacy's
  // domain is in every URL of its pages, the sunscreen page included. Only
  // the path, query and fragment are looked at.
  if (size_t scheme = text.find("://");
      scheme != std::string_view::npos && scheme <= 5 &&
      std::all_of(text.begin(), text.begin() + scheme, [](char c) { return Alpha(c); })) {
    size_t rest = text.find_first_of("/?#", scheme + 3);
    if (rest == std::string_view::npos) return;
    text.remove_prefix(rest);
  }
  auto m = SensitiveTerms::Builtin().Find(text, &sensitive_scratch);
  if (!m) return;
  if (decode) {
    DecodeName(name, &sensitive_name);
    name = sensitive_name;
  }
  size_t before = pending_carried.size();
  PendCarried(CarriedKind::kSensitiveTerm, name, {}, {}, e);
  for (size_t i = before; i < pending_carried.size(); ++i) {
    pending_carried[i].term = std::string(m->term);
    pending_carried[i].category = std::string(m->category);
  }
}

void Detector::Impl::ScanCarried(const ParsedUrl& u, const EvidenceRecord& e) {
  if (u.query.empty() && e.post_text.empty()) return;
  if (LikelyFirstParty()) return;
  auto form = [&](std::string_view raw_name, std::string_view raw_value) {
    if (raw_value.empty()) return;
    ScanSensitive(raw_name, raw_value, /*decode=*/true, e);
    bool phone_name = IsPhoneName(raw_name);  // (a name with escapes is checked decoded below)
    bool escaped_name = raw_name.find('%') != std::string_view::npos;
    if (!phone_name && !escaped_name && !MayCarry(raw_value)) return;
    DecodeName(raw_name, &carried_name);
    if (escaped_name && !IsPhoneName(carried_name) && !MayCarry(raw_value)) return;
    DecodeValue(raw_value, &carried_value, &carried_scratch);
    ScanText(carried_name, carried_value, e);
  };
  ForEachParam(u.query, form);
  if (e.post_text.empty()) return;
  std::string_view mime = e.post_mime;
  std::string_view body = e.post_text;
  size_t ws = body.find_first_not_of(" \t\r\n");
  bool json_like = ws != std::string_view::npos && (body[ws] == '{' || body[ws] == '[');
  if (mime.find("json") != std::string_view::npos ||
      (json_like && (mime.empty() || StartsWithNoCase(mime, "text/plain")))) {
    if (!json_like) return;
    WalkJson(
        body, &json_path, &json_key, [](std::string_view) {},
        [&](std::string_view path, std::string_view raw) {
          if (raw.empty() || path.empty()) return;
          if (raw.size() >= 3) {
            UnescapeJsonKey(raw, &sensitive_value);
            ScanSensitive(path, sensitive_value, /*decode=*/false, e);
          }
          if (!MayCarry(raw) && !IsPhoneName(path)) return;
          UnescapeJsonKey(raw, &carried_value);
          if (StartsWithNoCase(carried_value, "http%3a") || StartsWithNoCase(carried_value, "https%3a") ||
              carried_value.find("%40") != std::string::npos) {
            DecodeValue(carried_value, &carried_inner, &carried_scratch);
            carried_value.swap(carried_inner);
          }
          carried_name.assign(path);
          ScanText(carried_name, carried_value, e);
        });
  } else if (mime.find("x-www-form-urlencoded") != std::string_view::npos ||
             (mime.empty() && body.find('=') != std::string_view::npos && !json_like) ||
             (mime.starts_with("text/plain") && body.find('=') != std::string_view::npos &&
              body.find_first_of(" \n") == std::string_view::npos)) {
    ForEachParam(body, form);
  }
}

void Detector::Impl::ResolveCarried(const std::set<std::string>& first_party_domains,
                                    const std::function<std::string(const std::string&)>& page_of) {
  for (const PendingCarried& p : pending_carried) {
    const std::string& rd = Regdom(p.host);
    if (first_party_domains.count(rd)) continue;  // a first-party request
    if (p.kind == CarriedKind::kPageUrl && !first_party_domains.count(Regdom(p.url_host))) continue;
    std::vector<CarriedData>* list;
    if (p.entry != PendingCarried::kNoEntry) {
      list = &TouchpointFor(p.entry).out.carried;
    } else {
      UnattributedCarried& u = carried_unattributed[rd];
      u.registrable_domain = rd;
      list = &u.carried;
    }
    auto it = std::find_if(list->begin(), list->end(), [&](const CarriedData& c) {
      return c.kind == p.kind && c.param == p.param && c.inner == p.inner && c.term == p.term;
    });
    if (it != list->end()) {
      it->requests++;
      continue;
    }
    if (list->size() >= DetectedTouchpoint::kMaxCarried) continue;
    CarriedData c;
    c.kind = p.kind;
    c.param = p.param;
    c.inner = p.inner;
    c.term = p.term;
    c.category = p.category;
    c.requests = 1;
    c.host = p.host;
    c.page = page_of(p.pageref);
    c.source = source_name;
    c.entry = p.index;
    list->push_back(std::move(c));
  }
  pending_carried.clear();
}

void detect_internal::SortCarried(std::vector<CarriedData>& list) {
  std::sort(list.begin(), list.end(), [](const CarriedData& a, const CarriedData& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.param != b.param) return a.param < b.param;
    if (a.inner != b.inner) return a.inner < b.inner;
    return a.term < b.term;
  });
}

}  // namespace blindspot

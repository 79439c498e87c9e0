// RegistrableDomain (libpsl) and SplitUrl.
#include <libpsl.h>

#include <cctype>
#include <string>

#include "blindspot/evidence.h"

namespace blindspot {
namespace {

// Loaded once; psl_ctx_t is read-only afterwards, so lookups from several
// threads are safe. psl_latest() prefers the newer of the system list
// (/usr/share/publicsuffix) and the built-in one; psl_builtin() is the
// fallback when no file can be read.
const psl_ctx_t* Psl() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    if (!c) c = psl_builtin();
    return c;
  }();
  return ctx;
}

bool LooksLikeIp(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  if (host.empty()) return false;
  for (char c : host) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;
  }
  return true;
}

}  // namespace

std::string RegistrableDomain(std::string_view host) {
  std::string h(host);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!h.empty() && h.front() == '[' && h.back() == ']') return h;  // [IPv6]
  while (!h.empty() && h.back() == '.') h.pop_back();               // FQDN form "example.com."
  while (!h.empty() && h.front() == '.') h.erase(0, 1);             // cookie domain form ".example.com"
  if (h.empty() || LooksLikeIp(h)) return h;
  const psl_ctx_t* psl = Psl();
  if (!psl) return h;
  const char* reg = psl_registrable_domain(psl, h.c_str());
  if (!reg) return h;  // the host is itself a public suffix (or unknown): keep it whole
  return std::string(reg);
}

bool IsPublicSuffix(std::string_view host) {
  const psl_ctx_t* psl = Psl();
  if (!psl || host.empty()) return false;
  std::string h(host);
  return psl_is_public_suffix(psl, h.c_str()) != 0;
}

bool IsKnownTld(std::string_view tld) {
  const psl_ctx_t* psl = Psl();
  if (!psl || tld.empty() || tld.size() > 63 || tld.find('.') != std::string_view::npos) return false;
  char buf[64];
  tld.copy(buf, tld.size());
  buf[tld.size()] = '\0';
  return psl_is_public_suffix2(psl, buf, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

bool SplitUrl(std::string_view url, UrlParts* out) {
  *out = UrlParts{};
  size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = url[i];
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 && (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  if (url.substr(colon + 1, 2) != "//") return false;
  out->scheme = url.substr(0, colon);
  size_t auth_start = colon + 3;
  size_t auth_end = url.find_first_of("/?#", auth_start);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  std::string_view authority = url.substr(auth_start, auth_end - auth_start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(0, close + 1);
  } else {
    size_t port = host.find(':');
    if (port != std::string_view::npos) host = host.substr(0, port);
  }
  if (host.empty()) return false;
  out->host = host;
  std::string_view rest = url.substr(auth_end);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t q = rest.find('?');
  if (q == std::string_view::npos) {
    out->path = rest;
  } else {
    out->path = rest.substr(0, q);
    out->query = rest.substr(q + 1);
  }
  return true;
}

}  // namespace blindspot
